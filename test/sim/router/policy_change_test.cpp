// Policy changes at run time (a scenario's "what if we change the local preference"):
// Network::set_local_preference, set_prepend and set_connection_weight, on
// topologies/maximum.yaml.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/assert.hpp"
#include "test/sim/router/network_lab.hpp"

namespace ersim::router {
namespace {

using bgp::Side;
using namespace std::chrono_literals;
using testing::both_legs;
using testing::example_text;
using testing::Lab;
using testing::secondary;

// maximum.yaml's one VNet, hub-westeurope.
constexpr std::size_t kHub = 0;

std::vector<std::string> london_legs() {
  return {"hub-gw.er-lon.primary", "hub-gw.er-lon.secondary"};
}

// The side of `session` whose router is `router`.
Side side_at(const Lab& lab, const char* session, const char* router) {
  const topo::Session& s = lab.topology_.session(lab.session(session));
  EXPECT_TRUE(s.a.router == lab.router(router) || s.b.router == lab.router(router));
  return s.a.router == lab.router(router) ? Side::A : Side::B;
}

// Sets the local preference both Amsterdam CEs give what they learn over er-ams.
void set_amsterdam_local_preference(Lab& lab, std::uint32_t value) {
  for (const auto& [session, router] : {std::pair{"er-ams.private.primary", "ams-ce1"},
                                        std::pair{"er-ams.private.secondary", "ams-ce2"}}) {
    lab.net_.set_local_preference(lab.session(session), side_at(lab, session, router), value);
  }
}

// The gateway re-ranks its routes at once: the weight is its own configuration, so the change
// neither waits for reconvergence nor needs a message. London's weight above Amsterdam's moves
// both legs of the ECMP set to er-lon; back to 0 restores the original set.
TEST(PolicyChange, ConnectionWeightMovesGatewayToOtherCircuitAtOnce) {
  Lab lab(example_text("maximum.yaml"));
  const topo::CircuitId er_lon = lab.topology_.circuit_id("er-lon").value();
  ASSERT_EQ(lab.gateway_paths("10.1.0.0/16"), both_legs());
  const SimTime at = lab.engine_.now();

  lab.net_.set_connection_weight(kHub, er_lon, 200);
  EXPECT_EQ(lab.gateway_paths("10.1.0.0/16"), london_legs());
  EXPECT_EQ(lab.gateway_paths("10.2.0.0/16"), london_legs());
  const auto changes = lab.changes(lab.instance("hub-gw"), "10.1.0.0/16", at);
  ASSERT_EQ(changes.size(), 1U);  // both legs at once, not one after the other
  EXPECT_EQ(changes[0].at, at);
  EXPECT_EQ(changes[0].change, bgp::RibChange::BestReplaced);
  EXPECT_EQ(changes[0].gateway_reconvergence, Duration::zero());
  lab.engine_.run_until_quiet();
  EXPECT_EQ(lab.gateway_paths("10.1.0.0/16"), london_legs());

  lab.net_.set_connection_weight(kHub, er_lon, 0);
  EXPECT_EQ(lab.gateway_paths("10.1.0.0/16"), both_legs());
  lab.engine_.run_until_quiet();
  EXPECT_EQ(lab.gateway_paths("10.1.0.0/16"), both_legs());
  EXPECT_EQ(lab.gateway_paths("10.2.0.0/16"), both_legs());
}

// er-ams's weight lowered to London's 0 ties the circuits: the gateway order goes on to the
// routes' attributes, the same AS path over either circuit, and the gateway keeps every tie, so
// all four legs share the traffic.
TEST(PolicyChange, ConnectionWeightTieSpreadsGatewayOverBothCircuits) {
  Lab lab(example_text("maximum.yaml"));
  lab.net_.set_connection_weight(kHub, lab.topology_.circuit_id("er-ams").value(), 0);
  std::vector<std::string> paths = lab.gateway_paths("10.1.0.0/16");
  std::sort(paths.begin(), paths.end());
  EXPECT_EQ(paths, (std::vector<std::string>{"hub-gw.er-ams.primary", "hub-gw.er-ams.secondary",
                                             "hub-gw.er-lon.primary", "hub-gw.er-lon.secondary"}));
}

// Local preference 50 on the er-ams legs, below London's default 100: ams-ce1 asks ams-msee1
// for a route refresh (RFC 2918), re-imports the VNet's route at 50, and sends it to lon-ce1
// over iBGP, where London's own eBGP route at 100 now wins; lon-ce1 sends that back, and
// ams-ce1 leaves er-ams for the WAN to London. Back at 200 every best route is as it was.
TEST(PolicyChange, LocalPreferenceBelowLondonMovesAmsterdamToLondonPath) {
  Lab lab(example_text("maximum.yaml"));
  ASSERT_EQ(lab.via("ams-ce1", "10.100.0.0/16"), "er-ams.private.primary");
  ASSERT_EQ(lab.via("ams-ce2", "10.100.0.0/16"), "er-ams.private.secondary");
  ASSERT_EQ(lab.via("lon-ce1", "10.100.0.0/16"), "wan-1-ibgp");
  const std::uint64_t updates = lab.net_.stats().updates_sent;

  set_amsterdam_local_preference(lab, 50);
  // The refreshed routes are UPDATEs on their way: nothing has moved yet.
  EXPECT_EQ(lab.via("ams-ce1", "10.100.0.0/16"), "er-ams.private.primary");
  lab.engine_.run_until_quiet();
  EXPECT_GT(lab.net_.stats().updates_sent, updates);
  const bgp::Route* ams = route_over(lab, "ams-ce1", "10.100.0.0/16", "er-ams.private.primary");
  ASSERT_NE(ams, nullptr);
  EXPECT_EQ(ams->attributes->local_preference, 50U);
  EXPECT_EQ(lab.via("ams-ce1", "10.100.0.0/16"), "wan-1-ibgp");
  EXPECT_EQ(lab.via("ams-ce2", "10.100.0.0/16"), "wan-2-ibgp");
  EXPECT_EQ(lab.via("lon-ce1", "10.100.0.0/16"), "er-lon.private.primary");
  EXPECT_EQ(lab.via("lon-ce2", "10.100.0.0/16"), "er-lon.private.secondary");

  set_amsterdam_local_preference(lab, 200);
  lab.engine_.run_until_quiet();
  EXPECT_EQ(lab.via("ams-ce1", "10.100.0.0/16"), "er-ams.private.primary");
  EXPECT_EQ(lab.via("ams-ce2", "10.100.0.0/16"), "er-ams.private.secondary");
  EXPECT_EQ(lab.via("lon-ce1", "10.100.0.0/16"), "wan-1-ibgp");
  EXPECT_EQ(lab.via("lon-ce2", "10.100.0.0/16"), "wan-2-ibgp");
}

// Setting the value a session end already has changes nothing: no refresh, no UPDATE.
TEST(PolicyChange, LocalPreferenceSameValueSendsNothing) {
  Lab lab(example_text("maximum.yaml"));
  const std::uint64_t updates = lab.net_.stats().updates_sent;
  const std::size_t changes = lab.routes_.size();
  set_amsterdam_local_preference(lab, 200);
  lab.engine_.run_until_quiet();
  EXPECT_EQ(lab.net_.stats().updates_sent, updates);
  EXPECT_EQ(lab.routes_.size(), changes);
}

// Over a session that is down nothing is refreshed; when it comes back, the end imports the
// whole table with the new value.
TEST(PolicyChange, LocalPreferenceOnDownSessionAppliesWhenItComesBack) {
  Lab lab(example_text("maximum.yaml"));
  const topo::LinkId primary = lab.link("er-ams.primary");
  lab.net_.fail_link(primary, topo::FailureMode::Silent);
  lab.run_for(60s);
  ASSERT_NE(lab.net_.session_state(lab.session("er-ams.private.primary"),
                                   side_at(lab, "er-ams.private.primary", "ams-ce1")),
            bgp::SessionState::Established);
  lab.net_.set_local_preference(lab.session("er-ams.private.primary"),
                                side_at(lab, "er-ams.private.primary", "ams-ce1"), 50);
  lab.net_.restore_link(primary);
  lab.run_for(120s);
  const bgp::Route* ams = route_over(lab, "ams-ce1", "10.100.0.0/16", "er-ams.private.primary");
  ASSERT_NE(ams, nullptr);
  EXPECT_EQ(ams->attributes->local_preference, 50U);
  EXPECT_EQ(lab.via("ams-ce1", "10.100.0.0/16"), "wan-1-ibgp");
}

// ams-ce1 prepends its AS three times on the primary: ams-msee1 passes the longer path to the
// gateway, which (same connection weight, RFC 4271 §9.1.2.2 (a) next) keeps the secondary
// alone, once its reconvergence delay is over: a policy change is a change at run time. Back
// to 0, both legs again.
TEST(PolicyChange, PrependOnPrimaryMovesGatewayToSecondary) {
  Lab lab(example_text("maximum.yaml"));
  ASSERT_EQ(lab.gateway_paths("10.1.0.0/16"), both_legs());
  const char* session = "er-ams.private.primary";
  const Side ce = side_at(lab, session, "ams-ce1");
  const SimTime at = lab.engine_.now();

  lab.net_.set_prepend(lab.session(session), ce, 3);
  lab.engine_.run_until_quiet();
  EXPECT_EQ(lab.gateway_paths("10.1.0.0/16"), secondary());
  EXPECT_EQ(lab.gateway_paths("10.2.0.0/16"), secondary());
  const bgp::Route* primary = route_over(lab, "hub-gw", "10.1.0.0/16", "hub-gw.er-ams.primary");
  const bgp::Route* backup = route_over(lab, "hub-gw", "10.1.0.0/16", "hub-gw.er-ams.secondary");
  ASSERT_NE(primary, nullptr);
  ASSERT_NE(backup, nullptr);
  EXPECT_EQ(primary->attributes->as_path.size(), backup->attributes->as_path.size() + 3);
  const auto changes = lab.changes(lab.instance("hub-gw"), "10.1.0.0/16", at);
  ASSERT_FALSE(changes.empty());
  EXPECT_GT(changes.front().gateway_reconvergence, Duration::zero());
  // The customer's own routers still prefer er-ams: prepending acts on the far side only.
  EXPECT_EQ(lab.via("ams-ce1", "10.100.0.0/16"), "er-ams.private.primary");

  lab.net_.set_prepend(lab.session(session), ce, 0);
  lab.engine_.run_until_quiet();
  EXPECT_EQ(lab.gateway_paths("10.1.0.0/16"), both_legs());
  EXPECT_EQ(lab.gateway_paths("10.2.0.0/16"), both_legs());
}

// One seed, the same changes twice: the same trace, line for line.
TEST(PolicyChange, ChangesAreDeterministic) {
  const auto run = [] {
    Lab lab(example_text("maximum.yaml"), 7);
    lab.net_.set_prepend(lab.session("er-ams.private.primary"),
                         side_at(lab, "er-ams.private.primary", "ams-ce1"), 2);
    set_amsterdam_local_preference(lab, 50);
    lab.net_.set_connection_weight(kHub, lab.topology_.circuit_id("er-lon").value(), 300);
    lab.engine_.run_until_quiet();
    lab.net_.set_connection_weight(kHub, lab.topology_.circuit_id("er-lon").value(), 0);
    set_amsterdam_local_preference(lab, 200);
    lab.engine_.run_until_quiet();
    return lab.full_trace();
  };
  const std::vector<std::string> first = run();
  EXPECT_GT(first.size(), 0U);
  EXPECT_EQ(first, run());
}

// Programmer errors (a session or connection that does not exist, a weight out of range): the
// scenario reader checks these before the network sees them.
TEST(PolicyChange, ConnectionWeightOfMissingConnectionAsserts) {
  std::string yaml = example_text("maximum.yaml");
  const std::string london = "      - {circuit: er-lon, weight: 0}\n";
  ASSERT_NE(yaml.find(london), std::string::npos);
  yaml.erase(yaml.find(london), london.size());
  Lab lab(yaml);
  const topo::CircuitId er_lon = lab.topology_.circuit_id("er-lon").value();
  const topo::CircuitId er_ams = lab.topology_.circuit_id("er-ams").value();
  EXPECT_THROW(lab.net_.set_connection_weight(kHub, er_lon, 10), InternalError);
  EXPECT_THROW(lab.net_.set_connection_weight(1, er_ams, 10), InternalError);
  EXPECT_THROW(lab.net_.set_connection_weight(kHub, er_ams, 32001), InternalError);
  const topo::SessionId none{static_cast<std::uint32_t>(lab.topology_.sessions().size())};
  EXPECT_THROW(lab.net_.set_local_preference(none, Side::A, 50), InternalError);
  EXPECT_THROW(lab.net_.set_prepend(none, Side::B, 1), InternalError);
}

}  // namespace
}  // namespace ersim::router
