#include "sim/bgp/path_attributes.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/assert.hpp"
#include "sim/bgp/route.hpp"

namespace ersim::bgp {
namespace {

constexpr Community community(std::uint32_t asn, std::uint32_t value) {
  return (asn << 16U) | value;
}

PathAttributes plain() {
  return {.as_path = {12076, 65001},
          .origin = Origin::Igp,
          .med = 50,
          .local_preference = 100,
          .communities = {community(12076, 51004)},
          .next_hop = Ipv4Address::parse_or_throw("192.0.2.1")};
}

TEST(Community, ParseReadsAsnColonValue) {
  EXPECT_EQ(parse_community("12076:51004"), community(12076, 51004));
  EXPECT_EQ(parse_community("0:0"), 0U);
  EXPECT_EQ(parse_community("65535:65535"), 0xffffffffU);
  EXPECT_EQ(parse_community("1:2"), 0x00010002U);
}

TEST(Community, ParseRejectsAnythingElse) {
  for (const std::string_view text :
       {"", "12076", "12076:", ":51004", "65536:1", "1:65536", "01:1", "1:01", "+1:1", "-1:1",
        "1:2:3", " 1:1", "1:1 ", "a:b", "12076 51004", "99999999999:1"}) {
    EXPECT_EQ(parse_community(text), std::nullopt) << "'" << text << "'";
  }
}

TEST(Community, ParseOrThrowNamesTheText) {
  EXPECT_EQ(parse_community_or_throw("12076:51004"), community(12076, 51004));
  try {
    (void)parse_community_or_throw("12076:70000");
    FAIL() << "no error";
  } catch (const CommunityError& e) {
    EXPECT_STREQ(e.what(), "'12076:70000' is not a BGP community (ASN:VALUE, each 0-65535)");
  }
}

TEST(Community, FormatRoundTrips) {
  for (const std::string_view text : {"12076:51004", "0:0", "65535:65535", "65001:100"}) {
    EXPECT_EQ(format_community(parse_community_or_throw(text)), text);
  }
}

TEST(PathAttributes, EqualSetsShareOneHandle) {
  AttributeTable table;
  const Attributes a = table.intern(plain());
  const Attributes b = table.intern(plain());
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.get(), b.get());
  EXPECT_EQ(table.size(), 1U);
  PathAttributes other = plain();
  other.as_path.push_back(65002);
  EXPECT_NE(table.intern(other), a);
  EXPECT_EQ(table.size(), 2U);
}

// A sweep's workers share the sets of one converged network: a frozen table's handles stay
// valid, tables that share its base give the same handles for its sets, and what each interns
// after is its own.
TEST(PathAttributes, TablesThatShareAFrozenBaseGiveItsHandles) {
  AttributeTable original;
  const Attributes a = original.intern(plain());
  original.freeze();
  EXPECT_EQ(*a, plain());
  EXPECT_EQ(original.intern(plain()), a);
  EXPECT_EQ(original.size(), 1U);

  AttributeTable copy;
  copy.share(original);
  EXPECT_EQ(copy.intern(plain()), a);
  EXPECT_EQ(copy.size(), 1U);
  const Attributes longer = copy.prepend(a, 65002);
  EXPECT_EQ(copy.size(), 2U);
  EXPECT_EQ(copy.prepend(a, 65002), longer);
  // Not in the base, so the original interns a set of its own, with another handle.
  const Attributes own = original.prepend(a, 65002);
  EXPECT_EQ(*own, *longer);
  EXPECT_NE(own, longer);
  EXPECT_EQ(original.size(), 2U);
}

TEST(PathAttributes, OnlyAnEmptyTableSharesAFrozenOne) {
  AttributeTable original;
  (void)original.intern(plain());
  AttributeTable copy;
  EXPECT_THROW(copy.share(original), InternalError);  // not frozen
  original.freeze();
  EXPECT_THROW(original.freeze(), InternalError);
  AttributeTable used;
  (void)used.intern(plain());
  EXPECT_THROW(used.share(original), InternalError);
  (void)original.prepend(original.intern(plain()), 65002);
  EXPECT_THROW(copy.share(original), InternalError);  // interned since it froze
}

TEST(PathAttributes, ManyRoutesShareOneSet) {
  AttributeTable table;
  const Attributes first = table.intern(plain());
  for (int i = 0; i < 100'000; ++i) {
    ASSERT_EQ(table.intern(plain()), first);
  }
  EXPECT_EQ(table.size(), 1U);
}

TEST(PathAttributes, EveryFieldTellsSetsApart) {
  AttributeTable table;
  const Attributes base = table.intern(plain());
  std::vector<PathAttributes> variants(7, plain());
  variants[0].as_path = {12076, 65002};
  variants[1].origin = Origin::Incomplete;
  variants[2].med = 51;
  variants[3].med = std::nullopt;
  variants[4].local_preference = 200;
  variants[5].communities = {community(12076, 51005)};
  variants[6].next_hop = Ipv4Address::parse_or_throw("192.0.2.2");
  for (const PathAttributes& variant : variants) {
    EXPECT_NE(variant, plain()) << to_string(variant);
    EXPECT_NE(table.intern(variant), base) << to_string(variant);
  }
  EXPECT_EQ(table.size(), 1 + variants.size());
}

TEST(PathAttributes, EqualSetsHashEqually) {
  const PathAttributesHash hash;
  EXPECT_EQ(hash(plain()), hash(plain()));
  PathAttributes zero_med = plain();
  zero_med.med = 0;
  PathAttributes no_med = plain();
  no_med.med = std::nullopt;
  EXPECT_NE(zero_med, no_med);
  EXPECT_NE(hash(zero_med), hash(no_med));
}

TEST(PathAttributes, CommunitiesAreSortedWithoutDuplicates) {
  AttributeTable table;
  PathAttributes shuffled = plain();
  shuffled.communities = {community(12076, 51005), community(12076, 51004),
                          community(12076, 51005)};
  PathAttributes sorted = plain();
  sorted.communities = {community(12076, 51004), community(12076, 51005)};
  const Attributes a = table.intern(shuffled);
  EXPECT_EQ(a, table.intern(sorted));
  EXPECT_EQ(a->communities, sorted.communities);
  EXPECT_TRUE(a->has_community(community(12076, 51005)));
  EXPECT_FALSE(a->has_community(community(12076, 51006)));
}

TEST(PathAttributes, PrependPutsTheAsInFrontAndLeavesTheBase) {
  AttributeTable table;
  const Attributes base = table.intern(plain());
  const Attributes prepended = table.prepend(base, 65001, 3);
  EXPECT_NE(prepended, base);
  EXPECT_EQ(prepended->as_path, (std::vector<std::uint32_t>{65001, 65001, 65001, 12076, 65001}));
  EXPECT_EQ(base->as_path, (std::vector<std::uint32_t>{12076, 65001}));
  EXPECT_EQ(prepended->neighbour_as(), 65001U);
  EXPECT_EQ(table.prepend(base, 65001, 3), prepended);
  EXPECT_EQ(table.prepend(base, 65001, 0), base);
  EXPECT_EQ(table.prepend(base, 65001)->as_path_length(), 3U);
}

TEST(PathAttributes, DerivedSetsDifferAndAreInterned) {
  AttributeTable table;
  const Attributes base = table.intern(plain());

  const Attributes preferred = table.with_local_preference(base, 200);
  EXPECT_NE(preferred, base);
  EXPECT_EQ(preferred->local_preference, 200U);
  EXPECT_EQ(preferred->as_path, base->as_path);
  EXPECT_EQ(table.with_local_preference(base, 200), preferred);
  EXPECT_EQ(table.with_local_preference(base, 100), base);

  const Attributes med = table.with_med(base, 10);
  EXPECT_NE(med, base);
  EXPECT_EQ(med->med, 10U);
  EXPECT_EQ(table.with_med(base, std::nullopt)->med, std::nullopt);
  EXPECT_EQ(table.with_med(base, 50), base);

  const std::vector<Community> added{community(12076, 51006), community(12076, 51004)};
  const Attributes tagged = table.with_communities_added(base, added);
  EXPECT_NE(tagged, base);
  EXPECT_EQ(tagged->communities,
            (std::vector<Community>{community(12076, 51004), community(12076, 51006)}));
  const std::vector<Community> present{community(12076, 51004)};
  EXPECT_EQ(table.with_communities_added(base, present), base);

  const Attributes self = table.with_next_hop(base, Ipv4Address::parse_or_throw("192.0.2.9"));
  EXPECT_NE(self, base);
  EXPECT_EQ(self->next_hop.to_string(), "192.0.2.9");

  // Deriving back to the base's values finds the base again.
  EXPECT_EQ(table.with_local_preference(preferred, 100), base);
}

TEST(PathAttributes, NeighbourAsIsTheLeftmost) {
  EXPECT_EQ(plain().neighbour_as(), 12076U);
  EXPECT_EQ(PathAttributes{}.neighbour_as(), std::nullopt);
}

TEST(PathAttributes, ToStringListsTheFields) {
  EXPECT_EQ(to_string(plain()),
            "as-path 12076 65001, origin igp, med 50, local-pref 100, communities 12076:51004, "
            "next-hop 192.0.2.1");
  EXPECT_EQ(to_string(PathAttributes{.origin = Origin::Incomplete}),
            "as-path (empty), origin incomplete, local-pref 100, next-hop 0.0.0.0");
}

TEST(PathAttributes, NullHandleAsserts) {
  const Attributes null;
  EXPECT_FALSE(null);
  EXPECT_EQ(null.get(), nullptr);
  EXPECT_THROW((void)null->as_path, InternalError);
}

TEST(Route, StaysSmall) {
  // A router holds up to a million routes; the attributes live once in the table.
  EXPECT_LE(sizeof(Route), 40U);
  EXPECT_EQ(to_string(PeerKind::External), "eBGP");
  EXPECT_EQ(to_string(PeerKind::Internal), "iBGP");
  EXPECT_EQ(to_string(PeerKind::Local), "local");
}

}  // namespace
}  // namespace ersim::bgp
