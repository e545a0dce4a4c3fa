#include "sim/topo/ipv4.hpp"

#include <gtest/gtest.h>

#include <unordered_set>

#include "core/assert.hpp"

namespace ersim {
namespace {

Ipv4Address address(std::string_view text) { return Ipv4Address::parse_or_throw(text); }
Ipv4Prefix prefix(std::string_view text) { return Ipv4Prefix::parse_or_throw(text); }

std::string prefix_error(std::string_view text) {
  try {
    Ipv4Prefix::parse_or_throw(text);
  } catch (const PrefixError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Ipv4Address, ParseReadsDottedQuads) {
  EXPECT_EQ(Ipv4Address::parse("10.0.0.1"), Ipv4Address(0x0a000001U));
  EXPECT_EQ(Ipv4Address::parse("0.0.0.0"), Ipv4Address(0U));
  EXPECT_EQ(Ipv4Address::parse("255.255.255.255"), Ipv4Address(0xffffffffU));
  EXPECT_EQ(Ipv4Address::parse("192.168.100.20"), Ipv4Address(0xc0a86414U));
  EXPECT_EQ(Ipv4Address::parse("1.2.3.4")->value(), 0x01020304U);
}

TEST(Ipv4Address, ParseRejectsAnythingButFourPlainOctets) {
  for (const std::string_view text :
       {"",           "1",         "1.2.3",     "1.2.3.4.5",  "1.2.3.",   ".1.2.3",
        "1..2.3",     "256.0.0.0", "1.2.3.256", "1.2.3.1000", "01.2.3.4", "1.2.3.04",
        "1.2.3.00",   "+1.2.3.4",  "-1.2.3.4",  " 1.2.3.4",   "1.2.3.4 ", "1.2. 3.4",
        "1.2.3.4/32", "0x1.2.3.4", "a.b.c.d",   "1.2.3.4\n"}) {
    EXPECT_EQ(Ipv4Address::parse(text), std::nullopt) << "'" << text << "'";
  }
}

TEST(Ipv4Address, ParseOrThrowNamesTheText) {
  EXPECT_EQ(Ipv4Address::parse_or_throw("172.16.0.9"), Ipv4Address(0xac100009U));
  try {
    Ipv4Address::parse_or_throw("10.0.0.256");
    FAIL() << "no error";
  } catch (const AddressError& e) {
    EXPECT_STREQ(e.what(), "'10.0.0.256' is not an IPv4 address");
  }
  EXPECT_THROW(Ipv4Address::parse_or_throw(""), std::invalid_argument);
}

TEST(Ipv4Address, ToStringRoundTrips) {
  EXPECT_EQ(Ipv4Address(0x0a000001U).to_string(), "10.0.0.1");
  EXPECT_EQ(Ipv4Address().to_string(), "0.0.0.0");
  EXPECT_EQ(Ipv4Address(0xffffffffU).to_string(), "255.255.255.255");
  for (const std::string_view text : {"1.2.3.4", "192.168.0.255", "100.64.7.0"}) {
    EXPECT_EQ(address(text).to_string(), text);
  }
}

TEST(Ipv4Address, ComparesByNumericValue) {
  EXPECT_LT(address("9.255.255.255"), address("10.0.0.0"));
  EXPECT_LT(address("10.0.0.2"), address("10.0.0.10"));
  EXPECT_EQ(address("10.0.0.1"), Ipv4Address(0x0a000001U));
  EXPECT_NE(address("10.0.0.1"), address("10.0.0.2"));
  EXPECT_GT(address("255.0.0.0"), address("128.0.0.0"));
}

TEST(Ipv4Address, IsPrivateFollowsRfc1918) {
  for (const std::string_view text : {"10.0.0.0", "10.255.255.255", "172.16.0.0", "172.31.255.255",
                                      "192.168.0.0", "192.168.255.255"}) {
    EXPECT_TRUE(address(text).is_private()) << text;
  }
  for (const std::string_view text :
       {"9.255.255.255", "11.0.0.0", "172.15.255.255", "172.32.0.0", "192.167.255.255",
        "192.169.0.0", "100.64.0.1", "8.8.8.8", "0.0.0.0"}) {
    EXPECT_FALSE(address(text).is_private()) << text;
  }
}

TEST(Ipv4Prefix, ParseReadsEdgeLengths) {
  const Ipv4Prefix any = prefix("0.0.0.0/0");
  EXPECT_EQ(any.address(), Ipv4Address(0U));
  EXPECT_EQ(any.length(), 0);
  const Ipv4Prefix one = prefix("255.255.255.255/32");
  EXPECT_EQ(one.address(), Ipv4Address(0xffffffffU));
  EXPECT_EQ(one.length(), 32);
  EXPECT_EQ(prefix("10.1.0.0/16").length(), 16);
  EXPECT_EQ(prefix("10.1.0.0/16").address(), address("10.1.0.0"));
  EXPECT_EQ(prefix("128.0.0.0/1").address(), address("128.0.0.0"));
}

TEST(Ipv4Prefix, ParseOrThrowExplainsHostBits) {
  EXPECT_EQ(prefix_error("10.0.0.1/16"),
            "prefix '10.0.0.1/16' has host bits set (did you mean 10.0.0.0/16?)");
  EXPECT_EQ(prefix_error("192.168.1.77/30"),
            "prefix '192.168.1.77/30' has host bits set (did you mean 192.168.1.76/30?)");
  EXPECT_EQ(prefix_error("1.0.0.0/0"),
            "prefix '1.0.0.0/0' has host bits set (did you mean 0.0.0.0/0?)");
}

TEST(Ipv4Prefix, ParseOrThrowExplainsAMissingOrBadLength) {
  EXPECT_EQ(prefix_error("10.0.0.0"),
            "prefix '10.0.0.0' has no length (write 10.0.0.0/32 for one address)");
  EXPECT_EQ(prefix_error("10.0.0.0/33"), "prefix '10.0.0.0/33' has a length over 32");
  EXPECT_EQ(prefix_error("10.0.0.0/100"), "prefix '10.0.0.0/100' has a length over 32");
  EXPECT_EQ(prefix_error("10.0.0.0/99999999999999999999"),
            "prefix '10.0.0.0/99999999999999999999' has a length over 32");
  EXPECT_EQ(prefix_error("10.0.0.0/"),
            "prefix '10.0.0.0/' has an invalid length '' (write 0 to 32)");
  EXPECT_EQ(prefix_error("10.0.0.0/08"),
            "prefix '10.0.0.0/08' has an invalid length '08' (write 0 to 32)");
  EXPECT_EQ(prefix_error("10.0.0.0/-1"),
            "prefix '10.0.0.0/-1' has an invalid length '-1' (write 0 to 32)");
  EXPECT_EQ(prefix_error("10.0.0.0/8/8"),
            "prefix '10.0.0.0/8/8' has an invalid length '8/8' (write 0 to 32)");
  EXPECT_EQ(prefix_error("10.0.0.0/ 8"),
            "prefix '10.0.0.0/ 8' has an invalid length ' 8' (write 0 to 32)");
}

TEST(Ipv4Prefix, ParseOrThrowExplainsABadAddress) {
  EXPECT_EQ(prefix_error("10.0.0.300/24"), "'10.0.0.300/24' is not an IPv4 address");
  EXPECT_EQ(prefix_error("10.0.0/24"), "'10.0.0/24' is not an IPv4 address");
  EXPECT_EQ(prefix_error("10.0.0.0./24"), "'10.0.0.0./24' is not an IPv4 address");
  EXPECT_EQ(prefix_error("010.0.0.0/8"), "'010.0.0.0/8' is not an IPv4 address");
  EXPECT_EQ(prefix_error("/24"), "'/24' is not an IPv4 address");
  EXPECT_EQ(prefix_error("vnet"),
            "'vnet' is not an IPv4 prefix (write address/length, such as 10.0.0.0/16)");
  EXPECT_EQ(prefix_error(""),
            "'' is not an IPv4 prefix (write address/length, such as 10.0.0.0/16)");
}

TEST(Ipv4Prefix, ParseWithoutThrowingAgreesWithParseOrThrow) {
  EXPECT_EQ(Ipv4Prefix::parse("10.1.0.0/16"), prefix("10.1.0.0/16"));
  for (const std::string_view text :
       {"10.0.0.1/16", "10.0.0.0", "10.0.0.0/33", "10.0.0.300/24", "", "10.0.0.0/"}) {
    EXPECT_EQ(Ipv4Prefix::parse(text), std::nullopt) << text;
    EXPECT_THROW(Ipv4Prefix::parse_or_throw(text), PrefixError) << text;
  }
}

TEST(Ipv4Prefix, ConstructorAssertsItsInvariants) {
  EXPECT_EQ(Ipv4Prefix(address("10.0.0.0"), 8), prefix("10.0.0.0/8"));
  EXPECT_EQ(Ipv4Prefix(), prefix("0.0.0.0/0"));
  EXPECT_THROW(Ipv4Prefix(address("10.0.0.1"), 8), InternalError);
  EXPECT_THROW(Ipv4Prefix(address("10.0.0.0"), 33), InternalError);
  EXPECT_THROW(Ipv4Prefix(address("10.0.0.0"), -1), InternalError);
}

TEST(Ipv4Prefix, ContainingClearsTheHostBits) {
  EXPECT_EQ(Ipv4Prefix::containing(address("10.1.2.3"), 8), prefix("10.0.0.0/8"));
  EXPECT_EQ(Ipv4Prefix::containing(address("10.1.2.3"), 23), prefix("10.1.2.0/23"));
  EXPECT_EQ(Ipv4Prefix::containing(address("10.1.2.3"), 32), prefix("10.1.2.3/32"));
  EXPECT_EQ(Ipv4Prefix::containing(address("255.255.255.255"), 0), prefix("0.0.0.0/0"));
  EXPECT_THROW((void)Ipv4Prefix::containing(address("10.0.0.0"), 33), InternalError);
  EXPECT_THROW((void)Ipv4Prefix::containing(address("10.0.0.0"), -1), InternalError);
}

TEST(Ipv4Prefix, ToStringRoundTrips) {
  for (const std::string_view text :
       {"0.0.0.0/0", "10.0.0.0/8", "172.16.0.0/12", "192.168.1.0/24", "1.2.3.4/32"}) {
    EXPECT_EQ(prefix(text).to_string(), text);
  }
}

TEST(Ipv4Prefix, ContainsAddressesOnlyInsideIt) {
  const Ipv4Prefix p = prefix("10.1.0.0/16");
  EXPECT_TRUE(p.contains(address("10.1.0.0")));
  EXPECT_TRUE(p.contains(address("10.1.255.255")));
  EXPECT_TRUE(p.contains(address("10.1.7.9")));
  EXPECT_FALSE(p.contains(address("10.0.255.255")));
  EXPECT_FALSE(p.contains(address("10.2.0.0")));
  EXPECT_TRUE(prefix("0.0.0.0/0").contains(address("255.255.255.255")));
  EXPECT_TRUE(prefix("1.2.3.4/32").contains(address("1.2.3.4")));
  EXPECT_FALSE(prefix("1.2.3.4/32").contains(address("1.2.3.5")));
}

TEST(Ipv4Prefix, ContainsItselfAndMoreSpecificsOnly) {
  const Ipv4Prefix p = prefix("10.1.0.0/16");
  EXPECT_TRUE(p.contains(p));
  EXPECT_TRUE(p.contains(prefix("10.1.128.0/17")));
  EXPECT_TRUE(p.contains(prefix("10.1.2.3/32")));
  EXPECT_FALSE(p.contains(prefix("10.0.0.0/8")));
  EXPECT_FALSE(p.contains(prefix("10.0.0.0/15")));
  EXPECT_FALSE(p.contains(prefix("10.2.0.0/16")));
  EXPECT_TRUE(prefix("0.0.0.0/0").contains(p));
  EXPECT_FALSE(p.contains(prefix("0.0.0.0/0")));
  // A shorter prefix is never inside, even when its first address is.
  EXPECT_FALSE(prefix("10.0.0.0/16").contains(prefix("10.0.0.0/8")));
  EXPECT_TRUE(prefix("10.0.0.0/8").contains(prefix("10.0.0.0/16")));
  EXPECT_FALSE(prefix("1.2.3.4/32").contains(prefix("0.0.0.0/0")));
}

TEST(Ipv4Prefix, OverlapsWhenEitherContainsTheOther) {
  const Ipv4Prefix p = prefix("10.1.0.0/16");
  EXPECT_TRUE(p.overlaps(prefix("10.0.0.0/8")));
  EXPECT_TRUE(prefix("10.0.0.0/8").overlaps(p));
  EXPECT_TRUE(p.overlaps(prefix("10.1.4.0/24")));
  EXPECT_TRUE(p.overlaps(p));
  EXPECT_FALSE(p.overlaps(prefix("10.2.0.0/16")));
  EXPECT_FALSE(prefix("10.1.0.0/17").overlaps(prefix("10.1.128.0/17")));
  EXPECT_TRUE(prefix("0.0.0.0/0").overlaps(prefix("255.255.255.255/32")));
}

TEST(Ipv4Prefix, FirstLastAndSizeSpanTheBlock) {
  const Ipv4Prefix p = prefix("192.168.4.0/22");
  EXPECT_EQ(p.first(), address("192.168.4.0"));
  EXPECT_EQ(p.last(), address("192.168.7.255"));
  EXPECT_EQ(p.size(), 1024U);

  const Ipv4Prefix all = prefix("0.0.0.0/0");
  EXPECT_EQ(all.first(), address("0.0.0.0"));
  EXPECT_EQ(all.last(), address("255.255.255.255"));
  EXPECT_EQ(all.size(), 4'294'967'296U);

  const Ipv4Prefix one = prefix("10.9.8.7/32");
  EXPECT_EQ(one.first(), address("10.9.8.7"));
  EXPECT_EQ(one.last(), address("10.9.8.7"));
  EXPECT_EQ(one.size(), 1U);

  EXPECT_EQ(prefix("10.0.0.0/31").size(), 2U);
  EXPECT_EQ(prefix("10.0.0.0/31").last(), address("10.0.0.1"));
}

TEST(Ipv4Prefix, HostCountsFromTheFirstAddress) {
  const Ipv4Prefix p = prefix("10.1.2.0/24");
  EXPECT_EQ(p.host(0), address("10.1.2.0"));
  EXPECT_EQ(p.host(1), address("10.1.2.1"));
  EXPECT_EQ(p.host(255), address("10.1.2.255"));
  EXPECT_THROW(p.host(256), InternalError);
  EXPECT_EQ(prefix("0.0.0.0/0").host(0xffffffffU), address("255.255.255.255"));
  EXPECT_EQ(prefix("10.0.0.0/8").host(0x10203U), address("10.1.2.3"));
  EXPECT_THROW(prefix("1.2.3.4/32").host(1), InternalError);
}

TEST(Ipv4Prefix, IsPrivateOnlyWhenEntirelyInsideRfc1918) {
  for (const std::string_view text : {"10.0.0.0/8", "10.1.0.0/16", "172.16.0.0/12",
                                      "172.31.255.0/24", "192.168.0.0/16", "192.168.7.7/32"}) {
    EXPECT_TRUE(prefix(text).is_private()) << text;
  }
  for (const std::string_view text : {"10.0.0.0/7", "0.0.0.0/0", "172.0.0.0/11", "172.32.0.0/16",
                                      "192.168.0.0/15", "8.8.8.0/24", "100.64.0.0/10"}) {
    EXPECT_FALSE(prefix(text).is_private()) << text;
  }
}

TEST(Ipv4Prefix, OrdersByAddressThenLength) {
  EXPECT_LT(prefix("10.0.0.0/8"), prefix("10.0.0.0/16"));
  EXPECT_LT(prefix("10.0.0.0/16"), prefix("10.1.0.0/16"));
  EXPECT_LT(prefix("9.0.0.0/8"), prefix("10.0.0.0/8"));
  EXPECT_EQ(prefix("10.0.0.0/8"), Ipv4Prefix(address("10.0.0.0"), 8));
  EXPECT_NE(prefix("10.0.0.0/8"), prefix("10.0.0.0/9"));
}

TEST(Ipv4Hash, EqualValuesHashEquallyAndLengthsDiffer) {
  const std::hash<Ipv4Prefix> hash_prefix;
  EXPECT_EQ(hash_prefix(prefix("10.0.0.0/8")), hash_prefix(Ipv4Prefix(address("10.0.0.0"), 8)));
  EXPECT_NE(hash_prefix(prefix("10.0.0.0/8")), hash_prefix(prefix("10.0.0.0/9")));
  const std::hash<Ipv4Address> hash_address;
  EXPECT_EQ(hash_address(address("1.2.3.4")), hash_address(Ipv4Address(0x01020304U)));

  const std::unordered_set<Ipv4Prefix> prefixes{prefix("10.0.0.0/8"), prefix("10.0.0.0/16"),
                                                prefix("10.0.0.0/8")};
  EXPECT_EQ(prefixes.size(), 2U);
  const std::unordered_set<Ipv4Address> addresses{address("1.1.1.1"), address("1.1.1.2"),
                                                  address("1.1.1.1")};
  EXPECT_EQ(addresses.size(), 2U);
}

}  // namespace
}  // namespace ersim
