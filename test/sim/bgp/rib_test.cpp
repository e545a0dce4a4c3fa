#include "sim/bgp/rib.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/assert.hpp"
#include "test/sim/bgp/test_routes.hpp"

namespace ersim::bgp {
namespace {

using testing::make_route;
using testing::Offer;

constexpr topo::SessionId kPrimary{1};
constexpr topo::SessionId kSecondary{2};
constexpr topo::SessionId kVpn{3};

Ipv4Prefix prefix(std::string_view text) { return Ipv4Prefix::parse_or_throw(text); }

// Routes from the primary MSEE (192.0.2.1, router id 1.1.1.1) and the secondary (192.0.2.5,
// 2.2.2.2), both in AS 12076.
Offer from_primary(Offer offer = {}) {
  offer.neighbour = "192.0.2.1";
  offer.router_id = "1.1.1.1";
  offer.peer_asn = 12076;
  offer.session = kPrimary.value;
  return offer;
}

Offer from_secondary(Offer offer = {}) {
  offer.neighbour = "192.0.2.5";
  offer.router_id = "2.2.2.2";
  offer.peer_asn = 12076;
  offer.session = kSecondary.value;
  return offer;
}

// A Rib, the attribute table its routes are interned in, and the entry of the prefix tested.
class RibTest : public ::testing::Test {
 protected:
  explicit RibTest(RibConfig config) : rib_(config) {}

  Route route(const Offer& offer) { return make_route(table_, offer); }
  [[nodiscard]] const LocRibEntry& entry(std::string_view text = "10.1.0.0/16") const {
    const LocRibEntry* found = rib().find(prefix(text));
    EXPECT_NE(found, nullptr) << text;
    return *found;
  }

  Rib& rib() { return rib_; }
  [[nodiscard]] const Rib& rib() const { return rib_; }
  AttributeTable& table() { return table_; }

 private:
  AttributeTable table_;
  Rib rib_;
};

class RibStandard : public RibTest {
 protected:
  explicit RibStandard(RibConfig config = {}) : RibTest(config) {
    rib().add_neighbour(kPrimary);
    rib().add_neighbour(kSecondary);
  }
};

TEST_F(RibStandard, FirstRouteIsAdded) {
  const Route r = route(from_primary());
  EXPECT_EQ(rib().update(r), RibChange::BestAdded);
  EXPECT_EQ(entry().best(), r);
  EXPECT_EQ(entry().reason(), DecisionReason::OnlyCandidate);
  EXPECT_EQ(entry().multipath().size(), 1U);
  EXPECT_EQ(rib().size(), 1U);
  ASSERT_NE(rib().adj_rib_in(kPrimary).find(r.prefix), nullptr);
  EXPECT_EQ(*rib().adj_rib_in(kPrimary).find(r.prefix), r);
  EXPECT_TRUE(rib().adj_rib_in(kSecondary).empty());
}

TEST_F(RibStandard, BetterRouteReplacesTheBest) {
  rib().update(route(from_primary({.as_path = {12076, 12076, 65001}})));
  const Route better = route(from_secondary({.as_path = {12076, 65001}}));
  EXPECT_EQ(rib().update(better), RibChange::BestReplaced);
  EXPECT_EQ(entry().best(), better);
  EXPECT_EQ(entry().reason(), DecisionReason::ShorterAsPath);
  EXPECT_EQ(entry().candidates().size(), 2U);
}

TEST_F(RibStandard, WorseRouteChangesNothingButTheReason) {
  const Route best = route(from_primary({.local_preference = 200}));
  rib().update(best);
  EXPECT_EQ(rib().update(route(from_secondary())), RibChange::None);
  EXPECT_EQ(entry().best(), best);
  EXPECT_EQ(entry().reason(), DecisionReason::HigherLocalPreference);
  EXPECT_EQ(entry().candidates().size(), 2U);
}

TEST_F(RibStandard, RepeatedUpdateChangesNothing) {
  const Route r = route(from_primary());
  rib().update(r);
  EXPECT_EQ(rib().update(r), RibChange::None);
  EXPECT_EQ(entry().candidates().size(), 1U);
}

TEST_F(RibStandard, NewAttributesFromTheSameNeighbourReplaceItsRoute) {
  // RFC 4271 §9: an UPDATE for a prefix the neighbour already sent implicitly withdraws it.
  rib().update(route(from_primary()));
  rib().update(route(from_secondary({.as_path = {12076, 12076, 65001}})));
  const Route prepended = route(from_primary({.as_path = {12076, 12076, 12076, 65001}}));
  EXPECT_EQ(rib().update(prepended), RibChange::BestReplaced);
  EXPECT_EQ(rib().adj_rib_in(kPrimary).size(), 1U);
  EXPECT_EQ(*rib().adj_rib_in(kPrimary).find(prepended.prefix), prepended);
  EXPECT_EQ(entry().best().session, kSecondary);
  EXPECT_EQ(entry().reason(), DecisionReason::ShorterAsPath);
  EXPECT_EQ(entry().candidates().size(), 2U);
}

TEST_F(RibStandard, NewAttributesOnTheBestThatKeepItBestReplaceIt) {
  rib().update(route(from_primary()));
  const Route tagged = route(from_primary({.communities = {0x2f2cc73cU}}));
  EXPECT_EQ(rib().update(tagged), RibChange::BestReplaced);
  EXPECT_EQ(entry().best(), tagged);
}

TEST_F(RibStandard, WithdrawingTheBestFallsBackToTheOther) {
  rib().update(route(from_primary()));
  const Route backup = route(from_secondary({.as_path = {12076, 12076, 65001}}));
  rib().update(backup);
  EXPECT_EQ(rib().withdraw(kPrimary, prefix("10.1.0.0/16")), RibChange::BestReplaced);
  EXPECT_EQ(entry().best(), backup);
  EXPECT_EQ(entry().reason(), DecisionReason::OnlyCandidate);
  EXPECT_TRUE(rib().adj_rib_in(kPrimary).empty());
}

TEST_F(RibStandard, WithdrawingALoserChangesNothing) {
  const Route best = route(from_primary());
  rib().update(best);
  rib().update(route(from_secondary({.as_path = {12076, 12076, 65001}})));
  EXPECT_EQ(rib().withdraw(kSecondary, prefix("10.1.0.0/16")), RibChange::None);
  EXPECT_EQ(entry().best(), best);
  EXPECT_EQ(entry().candidates().size(), 1U);
}

TEST_F(RibStandard, WithdrawingTheLastRouteRemovesThePrefix) {
  rib().update(route(from_primary()));
  EXPECT_EQ(rib().withdraw(kPrimary, prefix("10.1.0.0/16")), RibChange::BestRemoved);
  EXPECT_EQ(rib().find(prefix("10.1.0.0/16")), nullptr);
  EXPECT_EQ(rib().size(), 0U);
  EXPECT_EQ(rib().withdraw(kPrimary, prefix("10.1.0.0/16")), RibChange::None);
}

TEST_F(RibStandard, WithdrawingAnUnknownPrefixChangesNothing) {
  rib().update(route(from_primary()));
  EXPECT_EQ(rib().withdraw(kSecondary, prefix("10.1.0.0/16")), RibChange::None);
  EXPECT_EQ(rib().withdraw(kPrimary, prefix("10.2.0.0/16")), RibChange::None);
  EXPECT_EQ(rib().size(), 1U);
}

TEST_F(RibStandard, DecisionRunsPerPrefix) {
  const Route other = route(from_secondary({.prefix = "10.2.0.0/16"}));
  rib().update(other);
  rib().update(route(from_primary()));
  EXPECT_EQ(rib().update(route(from_primary({.local_preference = 50}))), RibChange::BestReplaced);
  EXPECT_EQ(entry("10.2.0.0/16").best(), other);
  EXPECT_EQ(entry("10.2.0.0/16").candidates().size(), 1U);
  EXPECT_EQ(rib().size(), 2U);
}

TEST_F(RibStandard, WithdrawAllReportsChangedPrefixesInOrder) {
  // The primary session goes down: 10.1 falls back to the secondary, 10.3 and 10.2 are gone,
  // 10.4 (only from the secondary) is untouched.
  for (const std::string_view p : {"10.3.0.0/16", "10.1.0.0/16", "10.2.0.0/16"}) {
    rib().update(route(from_primary({.prefix = p})));
  }
  rib().update(route(from_secondary({.prefix = "10.1.0.0/16", .as_path = {12076, 12076}})));
  rib().update(route(from_secondary({.prefix = "10.4.0.0/16"})));
  rib().adj_rib_out(kPrimary).advertise(prefix("10.9.0.0/16"), table().intern({}));

  const std::vector<PrefixChange> expected{
      {prefix("10.1.0.0/16"), RibChange::BestReplaced},
      {prefix("10.2.0.0/16"), RibChange::BestRemoved},
      {prefix("10.3.0.0/16"), RibChange::BestRemoved},
  };
  EXPECT_EQ(rib().withdraw_all(kPrimary), expected);
  EXPECT_TRUE(rib().adj_rib_in(kPrimary).empty());
  EXPECT_EQ(rib().adj_rib_out(kPrimary).size(), 0U);
  EXPECT_EQ(rib().size(), 2U);
  EXPECT_EQ(entry("10.1.0.0/16").best().session, kSecondary);
  EXPECT_TRUE(rib().withdraw_all(kPrimary).empty());
}

TEST_F(RibStandard, LocallyOriginatedRoutesCompete) {
  // Cisco's weight for local routes beats a learned route with a higher local preference.
  const Route learned = route(from_primary({.local_preference = 300}));
  rib().update(learned);
  const Route own = route({.as_path = {},
                           .neighbour = "0.0.0.0",
                           .router_id = "9.9.9.9",
                           .peer_asn = 0,
                           .kind = PeerKind::Local,
                           .weight = kLocallyOriginatedWeight});
  EXPECT_EQ(rib().update(own), RibChange::BestReplaced);
  EXPECT_EQ(entry().best(), own);
  EXPECT_EQ(entry().reason(), DecisionReason::HigherWeight);
  EXPECT_EQ(rib().local_routes().size(), 1U);
  EXPECT_EQ(rib().withdraw_local(own.prefix), RibChange::BestReplaced);
  EXPECT_EQ(entry().best(), learned);
}

// A prefix keeps its first route inline and moves to an array from the second on; routes come
// and go through both forms, and each neighbour's Adj-RIB-In view follows.
TEST_F(RibStandard, ManyRoutesToOnePrefixComeAndGo) {
  std::vector<Route> routes;
  for (std::uint32_t s = 10; s < 16; ++s) {
    rib().add_neighbour(topo::SessionId{s});
    const std::string id = "10.0.0." + std::to_string(s);
    routes.push_back(route({.neighbour = id, .router_id = id, .session = s}));
  }
  for (const Route& r : routes) {
    rib().update(r);
  }
  ASSERT_EQ(entry().candidates().size(), 6U);
  EXPECT_EQ(entry().best(), routes[0]);  // the lowest router id
  for (const Route& r : routes) {
    ASSERT_NE(rib().adj_rib_in(r.session).find(r.prefix), nullptr);
    EXPECT_EQ(*rib().adj_rib_in(r.session).find(r.prefix), r);
    EXPECT_EQ(rib().adj_rib_in(r.session).size(), 1U);
  }
  EXPECT_EQ(rib().prefixes_from(routes[3].session), std::vector{prefix("10.1.0.0/16")});
  for (std::size_t i = 0; i + 1 < routes.size(); ++i) {
    rib().withdraw(routes[i].session, routes[i].prefix);
    EXPECT_EQ(entry().candidates().size(), routes.size() - i - 1);
    EXPECT_EQ(entry().best(), routes[i + 1]);
    EXPECT_TRUE(rib().adj_rib_in(routes[i].session).empty());
    EXPECT_EQ(rib().adj_rib_in(routes[i].session).find(routes[i].prefix), nullptr);
  }
  // Back to one route, then two again.
  rib().update(routes[0]);
  EXPECT_EQ(entry().candidates().size(), 2U);
  EXPECT_EQ(entry().best(), routes[0]);
  EXPECT_EQ(rib().withdraw_all(routes[5].session),
            (std::vector<PrefixChange>{}));  // not the best: nothing to tell
  EXPECT_EQ(entry().candidates().size(), 1U);
  EXPECT_TRUE(rib().prefixes_from(routes[5].session).empty());
}

// Everything a Rib shows, in an order that does not depend on its tables' layout.
struct RibView {
  std::vector<std::pair<Ipv4Prefix, std::vector<Route>>> entries;  // candidates, best first
  std::vector<std::pair<Ipv4Prefix, std::size_t>> multipath;
  std::vector<std::size_t> adj_rib_in;  // sizes: local, primary, secondary
  std::vector<std::pair<Ipv4Prefix, Attributes>> primary_out;
  std::vector<std::pair<Ipv4Prefix, Attributes>> secondary_out;
  friend bool operator==(const RibView&, const RibView&) = default;
};

RibView view(const Rib& rib) {
  RibView v;
  for (const LocRibEntry& entry : rib.loc_rib()) {
    v.entries.emplace_back(entry.prefix(),
                           std::vector(entry.candidates().begin(), entry.candidates().end()));
    v.multipath.emplace_back(entry.prefix(), entry.multipath().size());
  }
  std::sort(v.entries.begin(), v.entries.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::sort(v.multipath.begin(), v.multipath.end());
  v.adj_rib_in = {rib.local_routes().size(), rib.adj_rib_in(kPrimary).size(),
                  rib.adj_rib_in(kSecondary).size()};
  for (const auto& [to, out] :
       {std::pair{kPrimary, &v.primary_out}, std::pair{kSecondary, &v.secondary_out}}) {
    const auto& routes = rib.adj_rib_out(to).routes();
    out->assign(routes.begin(), routes.end());
    std::sort(out->begin(), out->end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
  }
  return v;
}

// A failure set's worth of changes: a session lost, a new prefix, new attributes, a local route
// withdrawn, an advertisement.
void churn(Rib& rib, AttributeTable& table) {
  rib.withdraw_all(kPrimary);
  rib.update(make_route(table, from_secondary({.prefix = "10.6.0.0/16"})));
  rib.update(make_route(table, from_secondary({.prefix = "10.4.0.0/16", .med = 7})));
  rib.withdraw_local(prefix("10.5.0.0/16"));
  rib.adj_rib_out(kSecondary).advertise(prefix("10.8.0.0/16"), table.intern({.med = 1}));
}

TEST_F(RibStandard, RollbackPutsBackWhatChangedSinceTheCheckpoint) {
  for (const std::string_view p : {"10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16"}) {
    rib().update(route(from_primary({.prefix = p})));
  }
  rib().update(route(from_secondary({.prefix = "10.1.0.0/16", .as_path = {12076, 12076}})));
  rib().update(route(from_secondary({.prefix = "10.4.0.0/16"})));
  rib().update(route({.prefix = "10.5.0.0/16",
                      .as_path = {},
                      .neighbour = "0.0.0.0",
                      .router_id = "9.9.9.9",
                      .peer_asn = 0,
                      .kind = PeerKind::Local}));
  rib().adj_rib_out(kPrimary).advertise(prefix("10.9.0.0/16"), table().intern({}));
  rib().checkpoint();
  const RibView at_checkpoint = view(rib());

  churn(rib(), table());
  ASSERT_NE(view(rib()), at_checkpoint);
  rib().rollback();
  EXPECT_EQ(view(rib()), at_checkpoint);

  // Recording goes on: a second set's changes are put back too, the checkpoint's state kept.
  churn(rib(), table());
  rib().update(route(from_primary({.prefix = "10.7.0.0/16"})));
  rib().rollback();
  EXPECT_EQ(view(rib()), at_checkpoint);
  EXPECT_EQ(rib().size(), 5U);

  // A new checkpoint is the new state to return to.
  churn(rib(), table());
  const RibView churned = view(rib());
  rib().checkpoint();
  rib().update(route(from_primary({.prefix = "10.7.0.0/16"})));
  rib().rollback();
  EXPECT_EQ(view(rib()), churned);
}

TEST_F(RibStandard, LongestMatchFindsTheLongestPrefixHoldingTheAddress) {
  const auto address = [](std::string_view text) { return *Ipv4Address::parse(text); };
  const auto matched = [&](std::string_view text) -> std::string {
    const LocRibEntry* entry = rib().longest_match(address(text));
    return entry == nullptr ? "none" : entry->prefix().to_string();
  };
  EXPECT_EQ(matched("10.1.2.3"), "none");  // an empty table
  rib().update(route(from_primary({.prefix = "10.1.0.0/16"})));
  rib().update(route(from_primary({.prefix = "10.1.2.0/24"})));
  rib().update(route(from_secondary({.prefix = "10.1.2.128/25"})));
  EXPECT_EQ(matched("10.1.2.200"), "10.1.2.128/25");
  EXPECT_EQ(matched("10.1.2.3"), "10.1.2.0/24");
  EXPECT_EQ(matched("10.1.9.9"), "10.1.0.0/16");
  EXPECT_EQ(matched("10.2.0.1"), "none");

  // A withdrawn prefix no longer matches, though its length is still looked up.
  rib().withdraw(kSecondary, prefix("10.1.2.128/25"));
  EXPECT_EQ(matched("10.1.2.200"), "10.1.2.0/24");
  rib().update(route(from_secondary({.prefix = "0.0.0.0/0"})));
  EXPECT_EQ(matched("10.2.0.1"), "0.0.0.0/0");
  EXPECT_EQ(matched("10.1.2.3"), "10.1.2.0/24");

  // Rolled back, and into a copy: the lengths go with the table.
  rib().checkpoint();
  rib().update(route(from_primary({.prefix = "10.1.2.3/32"})));
  EXPECT_EQ(matched("10.1.2.3"), "10.1.2.3/32");
  rib().rollback();
  EXPECT_EQ(matched("10.1.2.3"), "10.1.2.0/24");
  Rib copy;
  copy.assign(rib());
  ASSERT_NE(copy.longest_match(address("10.1.2.200")), nullptr);
  EXPECT_EQ(copy.longest_match(address("10.1.2.200"))->prefix(), prefix("10.1.2.0/24"));
  EXPECT_EQ(copy.longest_match(address("192.0.2.1"))->prefix(), prefix("0.0.0.0/0"));
}

TEST_F(RibStandard, RollbackPutsBackTheAdjRibOutPrefixByPrefixAndAcrossAClear) {
  const Attributes plain = table().intern({});
  const Attributes prepended = table().intern({.as_path = {65001, 65001}});
  AdjRibOut& primary = rib().adj_rib_out(kPrimary);
  primary.advertise(prefix("10.1.0.0/16"), plain);
  primary.advertise(prefix("10.2.0.0/16"), plain);
  rib().adj_rib_out(kSecondary).advertise(prefix("10.3.0.0/16"), plain);
  rib().checkpoint();
  const RibView at_checkpoint = view(rib());

  // Prefix by prefix: new attributes, a withdrawal, a new prefix, each changed twice.
  AdjRibOut& out = rib().adj_rib_out(kPrimary);
  EXPECT_TRUE(out.advertise(prefix("10.1.0.0/16"), prepended));
  EXPECT_TRUE(out.advertise(prefix("10.1.0.0/16"), plain));
  EXPECT_TRUE(out.withdraw(prefix("10.2.0.0/16")));
  EXPECT_TRUE(out.advertise(prefix("10.4.0.0/16"), plain));
  EXPECT_TRUE(out.advertise(prefix("10.4.0.0/16"), prepended));
  EXPECT_FALSE(out.withdraw(prefix("10.9.0.0/16")));
  rib().rollback();
  EXPECT_EQ(view(rib()), at_checkpoint);

  // Changes, then the session goes down, then it comes back and advertises anew.
  AdjRibOut& again = rib().adj_rib_out(kPrimary);
  again.withdraw(prefix("10.1.0.0/16"));
  again.advertise(prefix("10.5.0.0/16"), plain);
  again.clear();
  EXPECT_EQ(again.size(), 0U);
  again.advertise(prefix("10.2.0.0/16"), prepended);
  again.clear();
  again.advertise(prefix("10.6.0.0/16"), plain);
  rib().adj_rib_out(kSecondary).clear();

  // A copy taken meanwhile holds the table as it is now and does not change with the rollback.
  Rib copy;
  copy.assign(rib());
  rib().rollback();
  EXPECT_EQ(view(rib()), at_checkpoint);
  EXPECT_EQ(copy.adj_rib_out(kPrimary).size(), 1U);
  EXPECT_TRUE(copy.adj_rib_out(kPrimary).find(prefix("10.6.0.0/16")).has_value());
  EXPECT_EQ(copy.adj_rib_out(kSecondary).size(), 0U);

  // Recording goes on after a rollback, and a new checkpoint keeps what is there.
  rib().adj_rib_out(kSecondary).withdraw(prefix("10.3.0.0/16"));
  rib().checkpoint();
  rib().adj_rib_out(kSecondary).advertise(prefix("10.7.0.0/16"), plain);
  rib().rollback();
  EXPECT_EQ(rib().adj_rib_out(kSecondary).size(), 0U);
}

TEST_F(RibStandard, ForgetLearnedKeepsOnlyTheRoutersOwnRoutes) {
  const Offer own{.prefix = "10.5.0.0/16",
                  .as_path = {},
                  .neighbour = "0.0.0.0",
                  .router_id = "9.9.9.9",
                  .peer_asn = 0,
                  .kind = PeerKind::Local};
  rib().update(route(from_primary({.prefix = "10.1.0.0/16"})));
  rib().update(route(from_secondary({.prefix = "10.1.0.0/16", .as_path = {12076, 12076}})));
  rib().update(route(from_secondary({.prefix = "10.2.0.0/16"})));
  rib().update(route(own));
  // The router's own route to a prefix a neighbour also sent, and beaten by it.
  rib().update(route(from_primary({.prefix = "10.5.0.0/16", .weight = 100})));
  rib().adj_rib_out(kPrimary).advertise(prefix("10.5.0.0/16"), table().intern({}));
  rib().checkpoint();
  const RibView before = view(rib());

  rib().forget_learned();
  EXPECT_EQ(rib().size(), 1U);
  EXPECT_EQ(rib().find(prefix("10.1.0.0/16")), nullptr);
  EXPECT_EQ(rib().find(prefix("10.2.0.0/16")), nullptr);
  EXPECT_EQ(entry("10.5.0.0/16").best(), route(own));
  EXPECT_EQ(entry("10.5.0.0/16").candidates().size(), 1U);
  EXPECT_EQ(rib().local_routes().size(), 1U);
  EXPECT_TRUE(rib().adj_rib_in(kPrimary).empty());
  EXPECT_TRUE(rib().adj_rib_in(kSecondary).empty());
  EXPECT_EQ(rib().adj_rib_out(kPrimary).size(), 0U);

  rib().rollback();
  EXPECT_EQ(view(rib()), before);
}

TEST_F(RibStandard, RollbackWithoutACheckpointAsserts) {
  EXPECT_THROW(rib().rollback(), InternalError);
}

TEST_F(RibStandard, UnknownNeighbourAsserts) {
  EXPECT_THROW(rib().update(route({.session = 99})), InternalError);
  EXPECT_THROW((void)rib().withdraw(topo::SessionId{99}, prefix("10.1.0.0/16")), InternalError);
  EXPECT_THROW(rib().add_neighbour(kPrimary), InternalError);
  EXPECT_THROW(rib().update(Route{.session = kPrimary, .kind = PeerKind::External}), InternalError);
}

class RibMultipath : public RibStandard {
 protected:
  RibMultipath() : RibStandard({.max_paths = 2}) {}
};

TEST_F(RibMultipath, EqualRouteJoinsTheSetWithoutNewBest) {
  const Route primary = route(from_primary());
  EXPECT_EQ(rib().update(primary), RibChange::BestAdded);
  const Route secondary = route(from_secondary());
  EXPECT_EQ(rib().update(secondary), RibChange::MultipathChanged);
  EXPECT_EQ(entry().best(), primary);
  ASSERT_EQ(entry().multipath().size(), 2U);
  EXPECT_EQ(entry().multipath()[1], secondary);
  EXPECT_EQ(entry().reason(), DecisionReason::LowerRouterId);

  EXPECT_EQ(rib().withdraw(kSecondary, primary.prefix), RibChange::MultipathChanged);
  EXPECT_EQ(entry().multipath().size(), 1U);
}

TEST_F(RibMultipath, WorseRouteStaysOutOfTheSet) {
  rib().update(route(from_primary()));
  EXPECT_EQ(rib().update(route(from_secondary({.as_path = {12076, 12076}}))), RibChange::None);
  EXPECT_EQ(entry().multipath().size(), 1U);
  EXPECT_EQ(entry().candidates().size(), 2U);
}

TEST_F(RibMultipath, SetIsCappedAtMaxPaths) {
  rib().add_neighbour(topo::SessionId{7});
  rib().update(route(from_secondary()));
  rib().update(route({.neighbour = "192.0.2.9", .router_id = "0.0.0.9", .session = 7}));
  // The primary (1.1.1.1) ranks before the secondary (2.2.2.2) and takes its place in the set.
  EXPECT_EQ(rib().update(route(from_primary())), RibChange::MultipathChanged);
  ASSERT_EQ(entry().multipath().size(), 2U);
  EXPECT_EQ(entry().best().session, topo::SessionId{7});
  EXPECT_EQ(entry().multipath()[1].session, kPrimary);
  EXPECT_EQ(entry().candidates().size(), 3U);
}

class RibGateway : public RibTest {
 protected:
  RibGateway() : RibTest({.mode = DecisionMode::Gateway}) {
    rib().add_neighbour(kPrimary, {GatewayConnection::ExpressRoute, 0});
    rib().add_neighbour(kSecondary, {GatewayConnection::ExpressRoute, 0});
    rib().add_neighbour(kVpn, {GatewayConnection::Vpn, 0});
  }
};

TEST_F(RibGateway, RunsTheGatewayOrder) {
  const Route vpn = route({.as_path = {65001}, .neighbour = "192.0.2.9", .session = kVpn.value});
  EXPECT_EQ(rib().update(vpn), RibChange::BestAdded);
  const Route primary = route(from_primary({.as_path = {12076, 65001, 65001}}));
  EXPECT_EQ(rib().update(primary), RibChange::BestReplaced);
  EXPECT_EQ(entry().best(), primary);
  EXPECT_EQ(entry().reason(), DecisionReason::ExpressRouteOverVpn);

  // The secondary MSEE sends the same path: ECMP over both links.
  const Route secondary = route(from_secondary({.as_path = {12076, 65001, 65001}}));
  EXPECT_EQ(rib().update(secondary), RibChange::MultipathChanged);
  ASSERT_EQ(entry().multipath().size(), 2U);
  EXPECT_EQ(entry().multipath()[1], secondary);

  // Both ExpressRoute sessions down: the VPN carries the prefix.
  rib().withdraw_all(kPrimary);
  EXPECT_EQ(rib().withdraw_all(kSecondary),
            (std::vector<PrefixChange>{{prefix("10.1.0.0/16"), RibChange::BestReplaced}}));
  EXPECT_EQ(entry().best(), vpn);
}

TEST_F(RibGateway, ConnectionWeightBeatsAsPath) {
  rib().add_neighbour(topo::SessionId{4}, {GatewayConnection::ExpressRoute, 100});
  rib().update(route(from_primary({.as_path = {12076, 65001}})));
  const Route weighted =
      route({.as_path = {12076, 65001, 65001, 65001}, .neighbour = "192.0.2.13", .session = 4});
  EXPECT_EQ(rib().update(weighted), RibChange::BestReplaced);
  EXPECT_EQ(entry().best(), weighted);
  EXPECT_EQ(entry().reason(), DecisionReason::HigherConnectionWeight);
  EXPECT_EQ(entry().multipath().size(), 1U);
}

// A connection's weight changed at run time: every prefix the neighbours have a route to is
// decided again, once for all the links given, and only the entries that changed come back.
TEST_F(RibGateway, SetLinksRedecidesTheNeighboursPrefixes) {
  for (const char* p : {"10.1.0.0/16", "10.2.0.0/16"}) {
    rib().update(route(from_primary({.prefix = p})));
    rib().update(route(from_secondary({.prefix = p})));
  }
  rib().update(route({.prefix = "10.3.0.0/16", .neighbour = "192.0.2.9", .session = kVpn.value}));
  ASSERT_EQ(entry().multipath().size(), 2U);
  const GatewayLink weighted{GatewayConnection::ExpressRoute, 200};
  const std::vector<std::pair<topo::SessionId, GatewayLink>> secondary{{kSecondary, weighted}};
  EXPECT_EQ(rib().set_links(secondary),
            (std::vector<PrefixChange>{{prefix("10.1.0.0/16"), RibChange::BestReplaced},
                                       {prefix("10.2.0.0/16"), RibChange::BestReplaced}}));
  EXPECT_EQ(rib().link(kSecondary).connection_weight, 200);
  EXPECT_EQ(entry().best().session, kSecondary);
  EXPECT_EQ(entry().reason(), DecisionReason::HigherConnectionWeight);
  EXPECT_EQ(entry().multipath().size(), 1U);
  // The same weight on both: one decision per prefix puts both back in the set at once.
  const std::vector<std::pair<topo::SessionId, GatewayLink>> both{{kPrimary, weighted},
                                                                  {kSecondary, weighted}};
  EXPECT_EQ(rib().set_links(both),
            (std::vector<PrefixChange>{{prefix("10.1.0.0/16"), RibChange::BestReplaced},
                                       {prefix("10.2.0.0/16"), RibChange::BestReplaced}}));
  EXPECT_EQ(entry().multipath().size(), 2U);
  EXPECT_TRUE(rib().set_links(both).empty());
  const std::vector<std::pair<topo::SessionId, GatewayLink>> over{
      {kPrimary, {GatewayConnection::ExpressRoute, 32001}}};
  EXPECT_THROW((void)rib().set_links(over), InternalError);
}

// A list holds one route inline and more in an array that shares the inline route's bytes:
// copies and moves must carry either form whole and leave the source usable.
TEST(RouteList, CopiesAndMovesInlineAndArrayForms) {
  AttributeTable table;
  std::vector<Route> routes;
  for (std::uint32_t s = 1; s <= 5; ++s) {
    const std::string id = "10.0.0." + std::to_string(s);
    routes.push_back(make_route(table, {.neighbour = id, .router_id = id, .session = s}));
  }
  const auto holds = [](const RouteList& list, std::span<const Route> expected) {
    return std::equal(list.begin(), list.end(), expected.begin(), expected.end());
  };
  RouteList one(routes[0]);
  RouteList many;
  for (const Route& r : routes) {
    many.push_back(r);  // inline, then an array of four, then of eight
  }
  ASSERT_TRUE(holds(one, {routes.data(), 1}));
  ASSERT_TRUE(holds(many, routes));

  RouteList one_copy(one);
  RouteList many_copy(many);
  many_copy.erase(many_copy.begin());
  EXPECT_TRUE(holds(many, routes)) << "a copy shares no array with its source";
  one.erase(one.begin());
  EXPECT_TRUE(one.empty());
  EXPECT_TRUE(holds(one_copy, {routes.data(), 1}));
  EXPECT_TRUE(holds(many_copy, std::span(routes).subspan(1)));

  RouteList moved(std::move(many));
  EXPECT_TRUE(holds(moved, routes));
  EXPECT_TRUE(many.empty());  // NOLINT(bugprone-use-after-move,hicpp-invalid-access-moved)
  many.push_back(routes[2]);
  EXPECT_TRUE(holds(many, {&routes[2], 1}));
  many = std::move(moved);  // an array replaces an inline route
  EXPECT_TRUE(holds(many, routes));
  many = one_copy;  // an inline route replaces an array
  EXPECT_TRUE(holds(many, {routes.data(), 1}));

  // Erasing down to one route goes back inline; to none, empty.
  many_copy.erase(many_copy.begin() + 1);
  many_copy.erase(many_copy.begin() + 1);
  many_copy.erase(many_copy.begin());
  EXPECT_TRUE(holds(many_copy, {&routes[4], 1}));
  many_copy.erase(many_copy.begin());
  EXPECT_TRUE(many_copy.empty());
}

TEST(AdjRibOut, AdvertiseAndWithdrawReportOnlyChanges) {
  AttributeTable table;
  AdjRibOut out;
  const Ipv4Prefix p = prefix("10.1.0.0/16");
  const Attributes a = table.intern({.as_path = {65001}});
  const Attributes b = table.prepend(a, 65001);
  EXPECT_TRUE(out.advertise(p, a));
  EXPECT_FALSE(out.advertise(p, a));
  EXPECT_TRUE(out.advertise(p, b));
  EXPECT_EQ(out.find(p), b);
  EXPECT_EQ(out.size(), 1U);
  EXPECT_TRUE(out.withdraw(p));
  EXPECT_FALSE(out.withdraw(p));
  EXPECT_EQ(out.find(p), std::nullopt);
}

TEST(RibChange, PrintsAsWords) {
  EXPECT_EQ(to_string(RibChange::None), "none");
  EXPECT_EQ(to_string(RibChange::BestReplaced), "best replaced");
  EXPECT_EQ(to_string(RibChange::MultipathChanged), "multipath changed");
}

}  // namespace
}  // namespace ersim::bgp
