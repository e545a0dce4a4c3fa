// The VNet gateway's reconvergence delay after a change on an MSEE session (DESIGN §1: up to
// 60 s after detection, ~15 s typical), on the whole control plane of topologies/maximum.yaml.
#include "sim/router/gateway_reconvergence.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "test/sim/router/network_lab.hpp"

namespace ersim::router {
namespace {

using bgp::Side;
using namespace std::chrono_literals;
using testing::example_text;
using testing::Lab;
using testing::with_gateway_reconvergence;

using testing::both_legs;
using testing::secondary;

TEST(GatewayReconvergence, DefaultIsWhatAzureDocuments) {
  EXPECT_EQ(NetworkOptions{}.gateway_reconvergence, DelayDistribution::lognormal(15s, 0.5, 60s));
  EXPECT_EQ(to_string(azure_gateway_reconvergence()), "lognormal(median 15s, sigma 0.5, max 1m)");
}

// The cold start is not a reconvergence: the design converges exactly as without the delay.
TEST(GatewayReconvergence, ColdStartIsNotDelayed) {
  const auto routes = [](DelayDistribution delay) {
    Lab lab(example_text("maximum.yaml"), 1, with_gateway_reconvergence(delay));
    EXPECT_EQ(lab.net_.stats().gateway_reconvergence_batches, 0U);
    EXPECT_EQ(lab.gateway_paths("10.1.0.0/16"), both_legs());
    std::vector<std::string> trace;
    for (const RouteEvent& e : lab.routes_) {
      trace.push_back(
          fmt::format("{} {} {}", format_time(e.at), e.instance.value, e.prefix.to_string()));
    }
    return trace;
  };
  const std::vector<std::string> delayed = routes(DelayDistribution::fixed(10s));
  EXPECT_FALSE(delayed.empty());
  EXPECT_EQ(delayed, routes(DelayDistribution::fixed(0s)));
}

// A silent failure of Amsterdam's primary link: BFD detects it in under a second at both ends.
// The customer's router moves at once; the gateway hears the MSEE's withdrawal as fast, but acts
// on it only 10 s later.
TEST(GatewayReconvergence, PrimaryFailureReachesTheGatewayOnlyAfterDetectionAndTheDelay) {
  Lab lab(example_text("maximum.yaml"), 1,
          with_gateway_reconvergence(DelayDistribution::fixed(10s)));
  const SimTime failed_at = lab.engine_.now();
  lab.net_.fail_link(lab.link("er-ams.primary"), topo::FailureMode::Silent);

  lab.run_for(5s);
  const auto ce = lab.changes(lab.instance("ams-ce1"), "10.100.0.0/16", failed_at);
  ASSERT_FALSE(ce.empty());
  EXPECT_GT(ce.front().at - failed_at, 600ms);  // BFD 300 ms x 3: (0.6 s, 0.9 s]
  EXPECT_LT(ce.front().at - failed_at, 950ms);
  EXPECT_EQ(ce.front().gateway_reconvergence, 0s);
  EXPECT_EQ(lab.via("ams-ce1", "10.100.0.0/16"), "wan-1-ibgp");
  // The gateway still spreads over the dead leg, and waits.
  EXPECT_EQ(lab.gateway_paths("10.1.0.0/16"), both_legs());
  EXPECT_EQ(lab.net_.stats().gateway_reconvergence_batches, 1U);

  lab.run_for(55s);
  EXPECT_EQ(lab.gateway_paths("10.1.0.0/16"), secondary());
  EXPECT_EQ(lab.gateway_paths("10.2.0.0/16"), secondary());
  const auto gw = lab.changes(lab.instance("hub-gw"), "10.1.0.0/16", failed_at);
  ASSERT_EQ(gw.size(), 1U);
  EXPECT_GT(gw.front().at - failed_at, 10s + 600ms);
  EXPECT_LT(gw.front().at - failed_at, 10s + 950ms);
  EXPECT_EQ(gw.front().gateway_reconvergence, 10s);
  // Its changes went together: one batch.
  EXPECT_EQ(lab.changes(lab.instance("hub-gw"), "10.2.0.0/16", failed_at).front().at,
            gw.front().at);
  EXPECT_EQ(lab.net_.stats().gateway_reconvergence_batches, 1U);
  // The customer's side did not wait for it.
  EXPECT_LT(lab.changes(lab.instance("ams-ce1"), "10.100.0.0/16", failed_at).back().at - failed_at,
            1s);
}

// The delay of the first gateway change after a carrier loss of Amsterdam's primary link, one
// run per seed.
Duration first_gateway_delay(std::uint64_t seed, SimTime* at, SimTime* failed_at) {
  Lab lab(example_text("maximum.yaml"), seed);
  *failed_at = lab.engine_.now();
  lab.net_.fail_link(lab.link("er-ams.primary"), topo::FailureMode::Carrier);
  lab.run_for(61s);
  const auto gw = lab.changes(lab.instance("hub-gw"), "10.1.0.0/16", *failed_at);
  if (gw.empty()) {
    return Duration::min();
  }
  *at = gw.front().at;
  return gw.front().gateway_reconvergence;
}

// DESIGN §1: up to 60 s, about 15 s typical.
TEST(GatewayReconvergence, DefaultDelaysLieWithinSixtySecondsAroundFifteen) {
  std::vector<Duration> delays;
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    SimTime at{};
    SimTime failed_at{};
    const Duration d = first_gateway_delay(seed, &at, &failed_at);
    ASSERT_GT(d, 0s) << "seed " << seed;
    ASSERT_LE(d, 60s) << "seed " << seed;
    // Carrier loss is seen at once: the gateway acts the delay after the MSEE's withdrawal,
    // which takes a link latency and a little processing.
    EXPECT_GE(at - failed_at, d) << "seed " << seed;
    EXPECT_LT(at - failed_at, d + 20ms) << "seed " << seed;
    delays.push_back(d);
  }
  std::sort(delays.begin(), delays.end());
  EXPECT_GT(delays[50], 13s);
  EXPECT_LT(delays[50], 17s);
  // Not one number: the delays spread (lognormal: 10% under 7.9 s, 10% over 28.5 s).
  EXPECT_LT(delays[10], 11s);
  EXPECT_GT(delays[90], 20s);
}

TEST(GatewayReconvergence, SameSeedGivesTheSameDelaysAndAnotherSeedOthers) {
  const auto run = [](std::uint64_t seed) {
    Lab lab(example_text("maximum.yaml"), seed);
    lab.net_.fail_link(lab.link("er-ams.primary"), topo::FailureMode::Silent);
    lab.run_for(120s);
    lab.net_.restore_link(lab.link("er-ams.primary"));
    lab.run_for(300s);
    return lab.full_trace();
  };
  const std::vector<std::string> first = run(7);
  EXPECT_EQ(first, run(7));
  EXPECT_NE(first, run(8));
}

// The gateway's session to the primary MSEE goes down while the MSEE's withdrawal waits: the
// batch ends with the withdrawal of everything the session brought, and the session's routes
// come back only after it is up again and a new batch has waited.
TEST(GatewayReconvergence, SessionDownWhileABatchWaitsEndsWithItsRoutesGone) {
  Lab lab(example_text("maximum.yaml"), 1,
          with_gateway_reconvergence(DelayDistribution::fixed(10s)));
  const topo::SessionId gw_primary = lab.session("hub-gw.er-ams.primary");
  const SimTime t0 = lab.engine_.now();
  lab.net_.fail_link(lab.link("er-ams.primary"), topo::FailureMode::Carrier);
  lab.run_for(2s);
  EXPECT_EQ(lab.net_.stats().gateway_reconvergence_batches, 1U);
  lab.net_.fail_link(lab.link("hub-gw.er-ams.primary"), topo::FailureMode::Carrier);
  lab.run_for(3s);
  EXPECT_NE(lab.net_.session_state(gw_primary, Side::A), bgp::SessionState::Established);
  EXPECT_EQ(lab.gateway_paths("10.1.0.0/16"), both_legs());  // still waiting

  lab.engine_.run_until(t0 + 11s);
  EXPECT_EQ(lab.gateway_paths("10.1.0.0/16"), secondary());
  EXPECT_EQ(lab.gateway_paths("10.2.0.0/16"), secondary());
  EXPECT_TRUE(lab.net_.rib(lab.instance("hub-gw")).adj_rib_in(gw_primary).empty());
  EXPECT_EQ(lab.net_.stats().gateway_reconvergence_batches, 1U);

  lab.net_.restore_link(lab.link("er-ams.primary"));
  lab.net_.restore_link(lab.link("hub-gw.er-ams.primary"));
  lab.engine_.run_until_quiet();
  EXPECT_EQ(lab.net_.session_state(gw_primary, Side::A), bgp::SessionState::Established);
  EXPECT_EQ(lab.gateway_paths("10.1.0.0/16"), both_legs());
  EXPECT_EQ(lab.gateway_paths("10.2.0.0/16"), both_legs());
  EXPECT_EQ(
      lab.changes(lab.instance("hub-gw"), "10.1.0.0/16", t0 + 12s).back().gateway_reconvergence,
      10s);
  EXPECT_EQ(lab.engine_.pending_count(), 0U);
}

// The session goes down and comes back up while its withdrawal still waits (a delay longer
// than the connect retry): the batch withdraws the old life's routes, then applies the new
// life's table, in that order, and the gateway ends with both legs.
TEST(GatewayReconvergence, SessionFlapWithinOneBatchAppliesDownThenTheNewTable) {
  Lab lab(example_text("maximum.yaml"), 1,
          with_gateway_reconvergence(DelayDistribution::fixed(3min)));
  const topo::SessionId gw_primary = lab.session("hub-gw.er-ams.primary");
  const SimTime t0 = lab.engine_.now();
  lab.net_.fail_link(lab.link("hub-gw.er-ams.primary"), topo::FailureMode::Carrier);
  lab.run_for(5s);
  lab.net_.restore_link(lab.link("hub-gw.er-ams.primary"));
  lab.engine_.run_until(t0 + 170s);
  ASSERT_EQ(lab.net_.session_state(gw_primary, Side::A), bgp::SessionState::Established);
  // The MSEE has sent its table again, and it waits behind the withdrawal.
  EXPECT_EQ(lab.gateway_paths("10.1.0.0/16"), both_legs());
  EXPECT_TRUE(lab.changes(lab.instance("hub-gw"), "10.1.0.0/16", t0).empty());
  EXPECT_EQ(lab.net_.stats().gateway_reconvergence_batches, 1U);

  lab.engine_.run_until_quiet();
  const auto gw = lab.changes(lab.instance("hub-gw"), "10.1.0.0/16", t0);
  ASSERT_EQ(gw.size(), 2U);
  EXPECT_EQ(gw[0].at, t0 + 3min);
  EXPECT_EQ(gw[1].at, gw[0].at);
  EXPECT_EQ(lab.gateway_paths("10.1.0.0/16"), both_legs());
  EXPECT_EQ(lab.net_.rib(lab.instance("hub-gw")).adj_rib_in(gw_primary).size(), 2U);
  // What the gateway sent in the session's new life is still recorded as sent: withdrawing the
  // VNet's prefix reaches the MSEE.
  lab.net_.withdraw(lab.router("hub-gw"), "", testing::prefix("10.100.0.0/16"));
  lab.run_for(1s);
  EXPECT_EQ(lab.via("ams-msee1", "10.100.0.0/16", "er-ams.private"), "(no route)");
}

// The VNet's VPN tunnels are not ExpressRoute: a route over one reaches the VNet's table at once,
// while the same route over the circuit waits for the gateway.
TEST(GatewayReconvergence, VpnTunnelsAreNotDelayed) {
  Lab lab(example_text("maximum-vpn.yaml"), 1,
          with_gateway_reconvergence(DelayDistribution::fixed(10s)));
  lab.net_.advertise(lab.router("par-ce1"), "", testing::prefix("10.3.7.0/24"));
  lab.run_for(1s);
  EXPECT_EQ(lab.via("hub-gw-vpn", "10.3.7.0/24"), "hub-gw-vpn.par-ce1");
  lab.run_for(10s);
  EXPECT_EQ(lab.via("hub-gw-vpn", "10.3.7.0/24"), "hub-gw.er-par.primary");
}

}  // namespace
}  // namespace ersim::router
