#include "sim/bgp/decision.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "core/assert.hpp"
#include "test/sim/bgp/test_routes.hpp"

namespace ersim::bgp {
namespace {

using testing::make_route;
using testing::Offer;

std::string describe(const std::vector<std::size_t>& order) {
  std::string text;
  for (const std::size_t i : order) {
    text += std::to_string(i) + ' ';
  }
  return text;
}

// The decision must not depend on the order the candidates come in: every permutation of the
// routes gives routes[winner] and the reason.
void expect_winner(const std::vector<Route>& routes, std::size_t winner, DecisionReason reason) {
  std::vector<std::size_t> order(routes.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  do {
    std::vector<const Route*> candidates;
    candidates.reserve(order.size());
    for (const std::size_t i : order) {
      candidates.push_back(&routes[i]);
    }
    const auto best = select_best(candidates);
    ASSERT_TRUE(best.has_value());
    EXPECT_EQ(best->route, &routes[winner]) << "candidate order " << describe(order);
    EXPECT_EQ(to_string(best->reason), to_string(reason)) << "candidate order " << describe(order);
  } while (std::next_permutation(order.begin(), order.end()));
}

TEST(Decision, NoCandidatesGiveNoBest) {
  EXPECT_FALSE(select_best(std::span<const Route>{}).has_value());
  EXPECT_TRUE(select_multipath(std::span<const Route>{}, 4).empty());
}

TEST(Decision, OnlyCandidateWins) {
  AttributeTable table;
  const std::vector<Route> routes{make_route(table, {})};
  const auto best = select_best(routes);
  ASSERT_TRUE(best.has_value());
  EXPECT_EQ(best->route, routes.data());
  EXPECT_EQ(best->reason, DecisionReason::OnlyCandidate);
}

// Each step's test gives the loser the better value at every later step, so only this step can
// have decided.

TEST(Decision, HigherWeightWins) {
  AttributeTable table;
  const std::vector<Route> routes{
      make_route(table, {.as_path = {65001, 65001, 65001},
                         .local_preference = 50,
                         .neighbour = "192.0.2.9",
                         .router_id = "9.9.9.9",
                         .kind = PeerKind::Internal,
                         .weight = 10,
                         .igp_cost = 99}),
      make_route(table, {.local_preference = 300}),
  };
  expect_winner(routes, 0, DecisionReason::HigherWeight);
}

TEST(Decision, HigherLocalPreferenceWins) {
  AttributeTable table;
  const std::vector<Route> routes{
      make_route(table, {.as_path = {65001, 65001, 65001},
                         .origin = Origin::Incomplete,
                         .local_preference = 200,
                         .neighbour = "192.0.2.9",
                         .router_id = "9.9.9.9",
                         .igp_cost = 99}),
      make_route(table, {.local_preference = 100}),
  };
  expect_winner(routes, 0, DecisionReason::HigherLocalPreference);
}

TEST(Decision, ShorterAsPathWins) {
  AttributeTable table;
  const std::vector<Route> routes{
      make_route(table, {.as_path = {12076},
                         .origin = Origin::Incomplete,
                         .neighbour = "192.0.2.9",
                         .router_id = "9.9.9.9",
                         .kind = PeerKind::Internal,
                         .igp_cost = 99}),
      make_route(table, {.as_path = {12076, 12076}}),
  };
  expect_winner(routes, 0, DecisionReason::ShorterAsPath);
}

TEST(Decision, LowerOriginWins) {
  AttributeTable table;
  const std::vector<Route> routes{
      make_route(table, {.origin = Origin::Egp,
                         .med = 500,
                         .neighbour = "192.0.2.9",
                         .router_id = "9.9.9.9",
                         .igp_cost = 99}),
      make_route(table, {.origin = Origin::Incomplete, .med = 0}),
  };
  expect_winner(routes, 0, DecisionReason::LowerOrigin);
}

TEST(Decision, LowerMedWinsWithinOneNeighbourAs) {
  AttributeTable table;
  const std::vector<Route> routes{
      make_route(table, {.as_path = {12076, 65100},
                         .med = 10,
                         .neighbour = "192.0.2.9",
                         .router_id = "9.9.9.9",
                         .kind = PeerKind::Internal,
                         .igp_cost = 99}),
      make_route(table, {.as_path = {12076, 65200}, .med = 20}),
  };
  expect_winner(routes, 0, DecisionReason::LowerMed);
}

TEST(Decision, MissingMedCountsAsLowest) {
  // RFC 4271 §9.1.2.2 (c): a route without MED has the lowest possible MED.
  AttributeTable table;
  const std::vector<Route> routes{
      make_route(table, {.neighbour = "192.0.2.9", .router_id = "9.9.9.9", .igp_cost = 99}),
      make_route(table, {.med = 1}),
  };
  expect_winner(routes, 0, DecisionReason::LowerMed);
}

TEST(Decision, MedIsNotComparedAcrossNeighbourAses) {
  // Route 1 has the lower MED but comes from another AS: the IGP cost decides.
  AttributeTable table;
  const std::vector<Route> routes{
      make_route(table, {.as_path = {65001}, .med = 100, .igp_cost = 5}),
      make_route(table, {.as_path = {65002},
                         .med = 0,
                         .neighbour = "192.0.2.0",
                         .router_id = "0.0.0.1",
                         .peer_asn = 65002,
                         .igp_cost = 10}),
  };
  expect_winner(routes, 0, DecisionReason::LowerIgpCost);
}

TEST(Decision, MedEliminationIsNotPairwise) {
  // A loses to B on MED (same AS); C, from another AS, is not MED-compared with either. A beats
  // C on IGP cost and C beats B on IGP cost, so comparing routes two at a time gives B or C
  // depending on the order. RFC 4271 §9.1.2.2 (c) removes A first: C wins on IGP cost.
  AttributeTable table;
  const std::vector<Route> routes{
      make_route(table, {.as_path = {65001}, .med = 10, .router_id = "1.1.1.1", .igp_cost = 1}),
      make_route(table, {.as_path = {65001},
                         .med = 5,
                         .neighbour = "192.0.2.2",
                         .router_id = "2.2.2.2",
                         .igp_cost = 20}),
      make_route(table, {.as_path = {65002},
                         .med = 50,
                         .neighbour = "192.0.2.3",
                         .router_id = "3.3.3.3",
                         .peer_asn = 65002,
                         .igp_cost = 10}),
  };
  expect_winner(routes, 2, DecisionReason::LowerIgpCost);
}

TEST(Decision, ExternalOverInternalWins) {
  AttributeTable table;
  const std::vector<Route> routes{
      make_route(table, {.neighbour = "192.0.2.9", .router_id = "9.9.9.9", .igp_cost = 99}),
      make_route(table, {.kind = PeerKind::Internal}),
  };
  expect_winner(routes, 0, DecisionReason::ExternalOverInternal);
}

TEST(Decision, LocallyOriginatedIsNotRemovedAsInternal) {
  // Both paths are empty (originated in this AS); (d) removes only routes received via iBGP.
  AttributeTable table;
  const std::vector<Route> routes{
      make_route(table, {.as_path = {},
                         .neighbour = "0.0.0.0",
                         .router_id = "9.9.9.9",
                         .peer_asn = 0,
                         .kind = PeerKind::Local,
                         .igp_cost = 99}),
      make_route(table, {.as_path = {}, .peer_asn = 65000, .kind = PeerKind::Internal}),
  };
  expect_winner(routes, 0, DecisionReason::ExternalOverInternal);
}

TEST(Decision, LowerIgpCostWins) {
  AttributeTable table;
  const std::vector<Route> routes{
      make_route(table, {.neighbour = "192.0.2.9", .router_id = "9.9.9.9", .igp_cost = 10}),
      make_route(table, {.igp_cost = 20}),
  };
  expect_winner(routes, 0, DecisionReason::LowerIgpCost);
}

TEST(Decision, LowerRouterIdWins) {
  AttributeTable table;
  const std::vector<Route> routes{
      make_route(table, {.neighbour = "192.0.2.9", .router_id = "1.1.1.1"}),
      make_route(table, {.neighbour = "192.0.2.1", .router_id = "2.2.2.2"}),
  };
  expect_winner(routes, 0, DecisionReason::LowerRouterId);
}

TEST(Decision, LowerNeighbourAddressWins) {
  // Two sessions to one router: the same BGP Identifier, different addresses.
  AttributeTable table;
  const std::vector<Route> routes{
      make_route(table, {.neighbour = "192.0.2.1", .session = 2}),
      make_route(table, {.neighbour = "192.0.2.5", .session = 1}),
  };
  expect_winner(routes, 0, DecisionReason::LowerNeighbourAddress);
}

TEST(Decision, RoutesAlikeInEveryStepKeepTheFirst) {
  AttributeTable table;
  const std::vector<Route> routes{make_route(table, {.session = 1}),
                                  make_route(table, {.session = 2})};
  const auto best = select_best(routes);
  ASSERT_TRUE(best.has_value());
  EXPECT_EQ(best->route, routes.data());
  EXPECT_EQ(best->reason, DecisionReason::Tied);
}

TEST(Decision, ReasonsPrintAsWords) {
  EXPECT_EQ(to_string(DecisionReason::HigherLocalPreference), "higher local preference");
  EXPECT_EQ(to_string(DecisionReason::ShorterAsPath), "shorter AS path");
  EXPECT_EQ(to_string(DecisionReason::LowerMed), "lower MED");
  EXPECT_EQ(to_string(DecisionReason::ExternalOverInternal), "eBGP over iBGP");
  EXPECT_EQ(to_string(DecisionReason::ExpressRouteOverVpn), "ExpressRoute over VPN");
  std::set<std::string_view> words;
  for (int i = 0; i <= static_cast<int>(DecisionReason::EqualCostMultipath); ++i) {
    const std::string_view word = to_string(static_cast<DecisionReason>(i));
    EXPECT_NE(word, "unknown") << i;
    words.insert(word);
  }
  EXPECT_EQ(words.size(), static_cast<std::size_t>(DecisionReason::EqualCostMultipath) + 1);
}

// Multipath.

std::vector<const Route*> as_vector(const RouteSet& set) { return {set.begin(), set.end()}; }

std::vector<const Route*> pointers(const std::vector<Route>& routes) {
  std::vector<const Route*> result;
  result.reserve(routes.size());
  for (const Route& route : routes) {
    result.push_back(&route);
  }
  return result;
}

TEST(Multipath, EqualRoutesShareTheLoadBestFirst) {
  // Microsoft's recommendation: both links of a circuit active, the CE balancing over them.
  AttributeTable table;
  const std::vector<Route> routes{
      make_route(table, {.as_path = {12076}, .neighbour = "192.0.2.6", .router_id = "2.2.2.2"}),
      make_route(table, {.as_path = {12076}, .neighbour = "192.0.2.2", .router_id = "1.1.1.1"}),
  };
  const auto set = select_multipath(routes, 4);
  ASSERT_EQ(set.size(), 2U);
  EXPECT_EQ(set[0], &routes[1]);
  EXPECT_EQ(set[1], routes.data());
  EXPECT_EQ(set[0], select_best(routes)->route);
}

TEST(Multipath, MaxPathsOneGivesTheBestOnly) {
  AttributeTable table;
  const std::vector<Route> routes{
      make_route(table, {.neighbour = "192.0.2.6", .router_id = "2.2.2.2"}),
      make_route(table, {.neighbour = "192.0.2.2", .router_id = "1.1.1.1"}),
  };
  const auto set = select_multipath(routes, 1);
  ASSERT_EQ(set.size(), 1U);
  EXPECT_EQ(set[0], &routes[1]);
}

TEST(Multipath, CapKeepsTheBestThenTheLowestRouterIds) {
  AttributeTable table;
  std::vector<Route> routes;
  for (const std::string_view id : {"4.4.4.4", "2.2.2.2", "3.3.3.3", "1.1.1.1"}) {
    routes.push_back(make_route(table, {.neighbour = id, .router_id = id}));
  }
  auto candidates = pointers(routes);
  const std::vector<const Route*> expected{&routes[3], &routes[1]};
  do {
    EXPECT_EQ(as_vector(select_multipath(candidates, 2)), expected);
  } while (std::next_permutation(candidates.begin(), candidates.end()));
  EXPECT_EQ(select_multipath(routes, 10).size(), 4U);
}

TEST(Multipath, StopsAtEveryStepUpToIgpCost) {
  AttributeTable table;
  const Route best = make_route(table, {.router_id = "9.9.9.9"});
  const std::vector<Offer> differing{
      {.neighbour = "192.0.2.2", .weight = 0, .igp_cost = 1},
      {.local_preference = 90, .neighbour = "192.0.2.2"},
      {.as_path = {65001, 65001}, .neighbour = "192.0.2.2"},
      {.origin = Origin::Egp, .neighbour = "192.0.2.2"},
      {.med = 1, .neighbour = "192.0.2.2"},
      {.neighbour = "192.0.2.2", .kind = PeerKind::Internal},
  };
  for (const Offer& offer : differing) {
    const std::vector<Route> routes{best, make_route(table, offer)};
    const auto set = select_multipath(routes, 8);
    ASSERT_EQ(set.size(), 1U) << to_string(*routes[1].attributes);
    EXPECT_EQ(set[0], routes.data());
  }
  const std::vector<Route> heavier{make_route(table, {.weight = 1}), best};
  EXPECT_EQ(as_vector(select_multipath(heavier, 8)), std::vector<const Route*>{heavier.data()});
}

TEST(Multipath, MedsFromDifferentNeighbourAsesDoNotSplitTheSet) {
  // §9.1.2.2 (c) never compares these MEDs, so both routes stay equal through step (e).
  AttributeTable table;
  const std::vector<Route> routes{
      make_route(table, {.as_path = {65001}, .med = 10, .router_id = "1.1.1.1"}),
      make_route(table, {.as_path = {65002},
                         .med = 50,
                         .neighbour = "192.0.2.2",
                         .router_id = "2.2.2.2",
                         .peer_asn = 65002}),
  };
  EXPECT_EQ(select_multipath(routes, 2).size(), 2U);
}

TEST(Multipath, ZeroMaxPathsAsserts) {
  AttributeTable table;
  const std::vector<Route> routes{make_route(table, {})};
  EXPECT_THROW((void)select_multipath(routes, 0), InternalError);
}

// The Azure VNet gateway's order.

TEST(Gateway, ExpressRouteBeatsVpnEvenWithLongerAsPath) {
  AttributeTable table;
  const Route vpn = make_route(table, {.as_path = {65001},
                                       .local_preference = 500,
                                       .neighbour = "192.0.2.1",
                                       .router_id = "1.1.1.1"});
  const Route er = make_route(table, {.as_path = {12076, 65001, 65001, 65001},
                                      .neighbour = "192.0.2.9",
                                      .router_id = "9.9.9.9",
                                      .peer_asn = 12076});
  const std::vector<GatewayCandidate> candidates{
      {&vpn, GatewayConnection::Vpn, kMaxConnectionWeight},
      {&er, GatewayConnection::ExpressRoute, 0},
  };
  const auto selection = select_gateway(candidates);
  EXPECT_EQ(as_vector(selection.routes), std::vector<const Route*>{&er});
  EXPECT_EQ(selection.reason, DecisionReason::ExpressRouteOverVpn);
}

TEST(Gateway, ConnectionWeightBeatsAsPath) {
  AttributeTable table;
  const Route short_path = make_route(table, {.as_path = {12076, 65001}});
  const Route weighted = make_route(
      table,
      {.as_path = {12076, 65001, 65001, 65001}, .neighbour = "192.0.2.9", .router_id = "9.9.9.9"});
  const std::vector<GatewayCandidate> candidates{
      {&short_path, GatewayConnection::ExpressRoute, 0},
      {&weighted, GatewayConnection::ExpressRoute, 100},
  };
  const auto selection = select_gateway(candidates);
  EXPECT_EQ(as_vector(selection.routes), std::vector<const Route*>{&weighted});
  EXPECT_EQ(selection.reason, DecisionReason::HigherConnectionWeight);
}

TEST(Gateway, ShorterAsPathWinsAtEqualWeight) {
  // Microsoft's drain: the MSEE under maintenance prepends, the gateway moves to the other.
  AttributeTable table;
  const Route drained = make_route(table, {.as_path = {12076, 12076, 12076, 65001}});
  const Route other = make_route(
      table, {.as_path = {12076, 65001}, .neighbour = "192.0.2.9", .router_id = "9.9.9.9"});
  const std::vector<GatewayCandidate> candidates{
      {&drained, GatewayConnection::ExpressRoute, 0},
      {&other, GatewayConnection::ExpressRoute, 0},
  };
  const auto selection = select_gateway(candidates);
  EXPECT_EQ(as_vector(selection.routes), std::vector<const Route*>{&other});
  EXPECT_EQ(selection.reason, DecisionReason::ShorterAsPath);
}

TEST(Gateway, TiesGiveEcmpOrderedByRouterId) {
  // Local preference, MED and router ids play no part in the gateway's order.
  AttributeTable table;
  const Route secondary = make_route(table, {.as_path = {12076, 65001},
                                             .med = 50,
                                             .local_preference = 300,
                                             .neighbour = "192.0.2.6",
                                             .router_id = "2.2.2.2"});
  const Route primary = make_route(
      table, {.as_path = {12076, 65001}, .neighbour = "192.0.2.2", .router_id = "1.1.1.1"});
  const std::vector<GatewayCandidate> candidates{
      {&secondary, GatewayConnection::ExpressRoute, 10},
      {&primary, GatewayConnection::ExpressRoute, 10},
  };
  const auto selection = select_gateway(candidates);
  EXPECT_EQ(as_vector(selection.routes), (std::vector<const Route*>{&primary, &secondary}));
  EXPECT_EQ(selection.reason, DecisionReason::EqualCostMultipath);
}

TEST(Gateway, TiesAfterAStepReportThatStep) {
  AttributeTable table;
  const Route vpn = make_route(table, {.as_path = {65001}, .router_id = "0.0.0.1"});
  const Route er1 = make_route(table, {.as_path = {12076, 65001}, .router_id = "1.1.1.1"});
  const Route er2 = make_route(table, {.as_path = {12076, 65001}, .router_id = "2.2.2.2"});
  const std::vector<GatewayCandidate> candidates{
      {&er2, GatewayConnection::ExpressRoute, 0},
      {&vpn, GatewayConnection::Vpn, 0},
      {&er1, GatewayConnection::ExpressRoute, 0},
  };
  const auto selection = select_gateway(candidates);
  EXPECT_EQ(as_vector(selection.routes), (std::vector<const Route*>{&er1, &er2}));
  EXPECT_EQ(selection.reason, DecisionReason::ExpressRouteOverVpn);
}

TEST(Gateway, OwnAddressSpaceBeatsLearnedRoutes) {
  AttributeTable table;
  const Route own = make_route(table, {.as_path = {},
                                       .neighbour = "0.0.0.0",
                                       .router_id = "9.9.9.9",
                                       .peer_asn = 0,
                                       .kind = PeerKind::Local});
  const Route learned = make_route(table, {.as_path = {12076}});
  const std::vector<GatewayCandidate> candidates{
      {&learned, GatewayConnection::ExpressRoute, kMaxConnectionWeight},
      {&own, GatewayConnection::ExpressRoute, 0},
  };
  const auto selection = select_gateway(candidates);
  EXPECT_EQ(as_vector(selection.routes), std::vector<const Route*>{&own});
  EXPECT_EQ(selection.reason, DecisionReason::LocallyOriginated);
}

TEST(Gateway, OnlyCandidateAndNoCandidate) {
  AttributeTable table;
  const Route only = make_route(table, {});
  const std::vector<GatewayCandidate> one{{&only, GatewayConnection::Vpn, 0}};
  const auto selection = select_gateway(one);
  EXPECT_EQ(as_vector(selection.routes), std::vector<const Route*>{&only});
  EXPECT_EQ(selection.reason, DecisionReason::OnlyCandidate);
  EXPECT_TRUE(select_gateway({}).routes.empty());
}

TEST(Gateway, WeightAbove32000Asserts) {
  AttributeTable table;
  const Route route = make_route(table, {});
  const std::vector<GatewayCandidate> candidates{
      {&route, GatewayConnection::ExpressRoute, kMaxConnectionWeight + 1}};
  EXPECT_THROW((void)select_gateway(candidates), InternalError);
}

}  // namespace
}  // namespace ersim::bgp
