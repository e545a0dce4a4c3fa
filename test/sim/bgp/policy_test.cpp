#include "sim/bgp/policy.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace ersim::bgp {
namespace {

Ipv4Prefix prefix(const char* text) { return Ipv4Prefix::parse_or_throw(text); }
Ipv4Address address(const char* text) { return Ipv4Address::parse_or_throw(text); }

// The customer router's end of its ExpressRoute session.
PolicyContext ce() { return {.local_asn = 65001, .local_address = address("192.168.0.1")}; }

// A session policy with one or two values set (designated initializers would have to name
// every member under -Wmissing-field-initializers).
template <class F>
topo::SessionPolicy policy_with(F set) {
  topo::SessionPolicy p;
  set(p);
  return p;
}

Route route(Attributes attributes, PeerKind kind, const char* p = "10.100.0.0/16") {
  return Route{.attributes = attributes, .prefix = prefix(p), .kind = kind};
}

class PolicyTest : public ::testing::Test {
 protected:
  // A route as the MSEE (AS 12076) sends the gateway's VNet prefix.
  Attributes from_msee(std::uint32_t local_preference = kDefaultLocalPreference) {
    return table_.intern({.as_path = {12076, 65515},
                          .med = 20,
                          .local_preference = local_preference,
                          .next_hop = address("192.168.0.2")});
  }
  AttributeTable& table() { return table_; }

 private:
  AttributeTable table_;
};

TEST_F(PolicyTest, ImportRejectsAPathHoldingTheLocalAs) {
  const Policy policy({}, ce());
  const Attributes looped = table().intern({.as_path = {12076, 65001}});
  EXPECT_FALSE(policy.import(table(), prefix("10.1.0.0/16"), looped, PeerKind::External));
  EXPECT_TRUE(policy.import(table(), prefix("10.1.0.0/16"), from_msee(), PeerKind::External));
}

TEST_F(PolicyTest, ImportFilterPassesPrefixesWithinItsList) {
  const Policy policy(policy_with([](auto& p) { p.import_filter = {prefix("10.100.0.0/16")}; }),
                      ce());
  EXPECT_TRUE(policy.import(table(), prefix("10.100.0.0/16"), from_msee(), PeerKind::External));
  EXPECT_TRUE(policy.import(table(), prefix("10.100.4.0/24"), from_msee(), PeerKind::External));
  EXPECT_FALSE(policy.import(table(), prefix("10.0.0.0/8"), from_msee(), PeerKind::External));
  EXPECT_FALSE(policy.import(table(), prefix("10.101.0.0/16"), from_msee(), PeerKind::External));
}

TEST_F(PolicyTest, ImportSetsLocalPreferenceFromPolicy) {
  const Policy policy(policy_with([](auto& p) { p.local_preference = 200; }), ce());
  const auto in = policy.import(table(), prefix("10.100.0.0/16"), from_msee(), PeerKind::External);
  ASSERT_TRUE(in);
  EXPECT_EQ((*in)->local_preference, 200U);
  EXPECT_EQ((*in)->as_path, (std::vector<std::uint32_t>{12076, 65515}));
}

TEST_F(PolicyTest, ImportIgnoresLocalPreferenceReceivedOverEbgpButKeepsItOverIbgp) {
  const Policy policy({}, ce());
  const Attributes sent = from_msee(300);
  EXPECT_EQ((*policy.import(table(), prefix("10.100.0.0/16"), sent, PeerKind::External))
                ->local_preference,
            kDefaultLocalPreference);
  EXPECT_EQ((*policy.import(table(), prefix("10.100.0.0/16"), sent, PeerKind::Internal))
                ->local_preference,
            300U);
}

TEST_F(PolicyTest, EbgpExportPrependsOwnAsSetsNextHopAndDropsMedAndLocalPreference) {
  const Policy policy({}, ce());
  const auto out =
      policy.export_route(table(), route(from_msee(250), PeerKind::Internal), PeerKind::External);
  ASSERT_TRUE(out);
  EXPECT_EQ((*out)->as_path, (std::vector<std::uint32_t>{65001, 12076, 65515}));
  EXPECT_EQ((*out)->next_hop, address("192.168.0.1"));
  EXPECT_FALSE((*out)->med.has_value());
  EXPECT_EQ((*out)->local_preference, kDefaultLocalPreference);
}

TEST_F(PolicyTest, EbgpExportPrependsAsOftenAsThePolicySaysAndSetsItsMed) {
  const Policy policy(policy_with([](auto& p) {
                        p.prepend = 2;
                        p.med = 50;
                      }),
                      ce());
  const Attributes own = table().intern({});
  const auto out =
      policy.export_route(table(), route(own, PeerKind::Local, "10.1.0.0/16"), PeerKind::External);
  ASSERT_TRUE(out);
  EXPECT_EQ((*out)->as_path, (std::vector<std::uint32_t>{65001, 65001, 65001}));
  EXPECT_EQ((*out)->med, 50U);
}

TEST_F(PolicyTest, ExportFilterAndCommunities) {
  const Policy policy(policy_with([](auto& p) {
                        p.export_filter = {prefix("10.1.0.0/16")};
                        p.communities = {"12076:51002", "65001:7"};
                      }),
                      ce());
  const Attributes own = table().intern({.communities = {parse_community_or_throw("65001:1")}});
  EXPECT_FALSE(
      policy.export_route(table(), route(own, PeerKind::Local, "10.2.0.0/16"), PeerKind::External));
  const auto out =
      policy.export_route(table(), route(own, PeerKind::Local, "10.1.2.0/24"), PeerKind::External);
  ASSERT_TRUE(out);
  EXPECT_EQ((*out)->communities, (std::vector<Community>{parse_community_or_throw("12076:51002"),
                                                         parse_community_or_throw("65001:1"),
                                                         parse_community_or_throw("65001:7")}));
}

TEST_F(PolicyTest, IbgpLearnedRoutesAreNotSentToIbgpPeers) {
  const Policy policy({}, ce());
  EXPECT_FALSE(
      policy.export_route(table(), route(from_msee(), PeerKind::Internal), PeerKind::Internal));
  const auto out =
      policy.export_route(table(), route(from_msee(), PeerKind::External), PeerKind::Internal);
  ASSERT_TRUE(out);
  // iBGP keeps the path, the local preference and the next hop (no next-hop-self here).
  EXPECT_EQ(*out, from_msee());
}

TEST_F(PolicyTest, NextHopSelfOnIbgp) {
  PolicyContext context = ce();
  context.next_hop_self = true;
  const Policy policy({}, context);
  const auto out =
      policy.export_route(table(), route(from_msee(), PeerKind::External), PeerKind::Internal);
  ASSERT_TRUE(out);
  EXPECT_EQ((*out)->next_hop, address("192.168.0.1"));
}

TEST_F(PolicyTest, RemovePrivateAsStripsPrivateAsnsBeforePrepending) {
  PolicyContext context{.local_asn = 12076, .local_address = address("203.0.113.2")};
  context.remove_private_as = true;
  const Policy policy({}, context);
  const Attributes customer = table().intern({.as_path = {65010, 64496, 4'200'000'001U}});
  const auto out = policy.export_route(
      table(), route(customer, PeerKind::External, "198.51.100.0/28"), PeerKind::External);
  ASSERT_TRUE(out);
  EXPECT_EQ((*out)->as_path, (std::vector<std::uint32_t>{12076, 64496}));
}

// Run-time changes act on the next import or export, as if the policy had said so from the
// start.
TEST_F(PolicyTest, SettersChangeLaterImportsAndExports) {
  Policy policy({}, ce());
  const Ipv4Prefix p = prefix("10.100.0.0/16");
  EXPECT_EQ(policy.local_preference(), std::nullopt);
  policy.set_local_preference(50);
  EXPECT_EQ(policy.local_preference(), 50U);
  EXPECT_EQ((*policy.import(table(), p, from_msee(), PeerKind::External))->local_preference, 50U);
  policy.set_prepend(2);
  EXPECT_EQ(policy.prepend(), 2U);
  const auto out =
      policy.export_route(table(), route(from_msee(), PeerKind::External), PeerKind::External);
  ASSERT_TRUE(out);
  EXPECT_EQ((*out)->as_path, (std::vector<std::uint32_t>{65001, 65001, 65001, 12076, 65515}));
}

TEST_F(PolicyTest, MaxPrefixComesFromThePolicy) {
  EXPECT_EQ(Policy(policy_with([](auto& p) { p.max_prefix = 4000; }), ce()).max_prefix(), 4000U);
  EXPECT_FALSE(Policy({}, ce()).max_prefix().has_value());
}

TEST(PrivateAsn, Rfc6996Ranges) {
  EXPECT_FALSE(topo::is_private_asn(64511));
  EXPECT_TRUE(topo::is_private_asn(64512));
  EXPECT_TRUE(topo::is_private_asn(65534));
  EXPECT_FALSE(topo::is_private_asn(65535));
  EXPECT_FALSE(topo::is_private_asn(4'199'999'999U));
  EXPECT_TRUE(topo::is_private_asn(4'200'000'000U));
  EXPECT_FALSE(topo::is_private_asn(4'294'967'295U));
}

}  // namespace
}  // namespace ersim::bgp
