// The network metrics of a run on the example designs: the storm of an MSEE failure, the churn
// at its peers, the convergence of a silent failure with BFD, the prefix headroom of the MSEE's
// sessions, the cold start; and the per-router counters surviving a checkpoint and rollback.
#include "sim/scenario/metrics.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/engine.hpp"
#include "core/random.hpp"
#include "sim/io/topology_yaml.hpp"
#include "sim/scenario/runner.hpp"

namespace ersim::scenario {
namespace {

using namespace std::chrono_literals;

topo::Topology example(const std::string& name) {
  return io::load_topology(std::string(ERSIM_SOURCE_DIR) + "/topologies/" + name);
}

/// The first site to the first VNet, with no gateway reconvergence delay so that the figures are
/// the network's own.
Scenario base(const topo::Topology& t) {
  Scenario s;
  s.name = "metrics";
  s.until = kTimeZero + 5min;
  s.options.gateway_reconvergence = DelayDistribution::fixed(0s);
  const topo::Site& site = t.sites().front();
  const topo::VNet& vnet = t.vnets().front();
  s.flows.push_back(
      {"to azure",
       {Endpoint::Kind::Site, site.name, site.routers, "", site.prefixes.front().host(1)},
       vnet.prefixes.front().host(1),
       std::nullopt,
       std::nullopt});
  return s;
}

Event fail_router(const topo::Topology& t, const std::string& name, SimTime at) {
  Event e;
  e.at = at;
  e.action = Action::FailRouter;
  e.text = "fail router " + name;
  e.routers = {*t.router_id(name)};
  return e;
}

Event fail_link(const topo::Topology& t, const std::string& name, SimTime at,
                topo::FailureMode mode) {
  Event e;
  e.at = at;
  e.action = Action::FailLink;
  e.text = "fail link " + name;
  e.links = {*t.link_id(name)};
  e.mode = mode;
  return e;
}

const RouterChurn& churn_of(const RunMetrics& m, const topo::Topology& t, const std::string& name) {
  const topo::RouterId id = *t.router_id(name);
  const auto it = std::find_if(m.churn.begin(), m.churn.end(),
                               [&](const RouterChurn& c) { return c.router == id; });
  EXPECT_NE(it, m.churn.end()) << name;
  return *it;
}

TEST(RunMetrics, MseeFailureInStandardDesignIsAStormOfItsSessions) {
  const topo::Topology t = example("standard.yaml");
  Scenario s = base(t);
  s.events.push_back(fail_router(t, "amsterdam-msee1", kTimeZero + 10s));
  const RunResult r = run_once(t, s, 1, false);
  ASSERT_EQ(r.metrics.events.size(), 1U);
  const Storm& storm = r.metrics.events[0];
  EXPECT_TRUE(fails_shared_device(t, s.events[0]));
  // Every session of the MSEE goes down: the primary private peering to ams-ce1 and the
  // primary leg's session to the VNet gateway.
  const std::size_t sessions = t.sessions_of(*t.router_id("amsterdam-msee1")).size();
  EXPECT_EQ(sessions, 2U);
  EXPECT_EQ(storm.sessions_down, sessions);
  EXPECT_GT(storm.route_changes, 0U);
  ASSERT_TRUE(storm.last_change.has_value());
  // The dead box's own tables empty at once and count no change: it decides nothing. The first
  // change is ams-ce1's, which notices by BFD, in (0.6 s, 0.9 s] plus its processing; the VNet
  // gateway runs no BFD, so the last change waits for its hold timer: in (120 s, 180 s]
  // (DESIGN §3).
  ASSERT_TRUE(storm.first_change.has_value());
  EXPECT_GT(*storm.first_change, 600ms);
  EXPECT_LT(*storm.first_change, 1s);
  EXPECT_EQ(churn_of(r.metrics, t, "amsterdam-msee1").stats.route_changes, 0U);
  EXPECT_GT(*storm.last_change, 120s);
  EXPECT_LE(*storm.last_change, 181s);
  // Its peers churn; the other MSEE, whose routes do not change, takes no session down.
  const RouterChurn& ce = churn_of(r.metrics, t, "ams-ce1");
  EXPECT_GT(ce.stats.route_changes, 0U);
  EXPECT_EQ(ce.sessions_down, 1U);
  EXPECT_GT(churn_of(r.metrics, t, "hub-gw").stats.route_changes, 0U);
  EXPECT_EQ(churn_of(r.metrics, t, "amsterdam-msee2").sessions_down, 0U);
  // The churn list is every router, most UPDATEs first.
  EXPECT_EQ(r.metrics.churn.size(), t.routers().size());
  for (std::size_t i = 1; i < r.metrics.churn.size(); ++i) {
    EXPECT_GE(r.metrics.churn[i - 1].messages(), r.metrics.churn[i].messages());
  }
  // The UPDATEs of the storm are the run's: nothing else happened.
  EXPECT_EQ(storm.updates, r.stats.updates_sent);
  EXPECT_EQ(storm.route_changes, r.stats.route_changes);
}

TEST(RunMetrics, SilentFailureWithBfdConvergesInDetectionPlusPropagation) {
  const topo::Topology t = example("standard.yaml");
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    Scenario s = base(t);
    s.events.push_back(fail_link(t, "er-ams.primary", kTimeZero + 10s, topo::FailureMode::Silent));
    const RunResult r = run_once(t, s, seed, false);
    const Storm& storm = r.metrics.events.at(0);
    EXPECT_FALSE(fails_shared_device(t, s.events[0]));
    EXPECT_EQ(storm.sessions_down, 1U) << "the private peering's primary session";
    ASSERT_TRUE(storm.first_change.has_value()) << "seed " << seed;
    // Each end's BFD detects in (0.6 s, 0.9 s] (DESIGN §3), each with its own phase, and its
    // routes change at once (no iBGP to tell): detection plus milliseconds of propagation.
    EXPECT_GT(*storm.first_change, 600ms) << "seed " << seed;
    EXPECT_LE(*storm.first_change, 900ms) << "seed " << seed;
    EXPECT_GT(*storm.last_change, 600ms) << "seed " << seed;
    EXPECT_LE(*storm.last_change, 900ms + 10ms) << "seed " << seed;
  }
}

TEST(RunMetrics, EventThatChangesNoRouteSaysSo) {
  const topo::Topology t = example("standard.yaml");
  Scenario s = base(t);
  Event withdraw;
  withdraw.at = kTimeZero + 10s;
  withdraw.action = Action::Withdraw;
  withdraw.text = "withdraw a prefix never originated";
  withdraw.router = *t.router_id("ams-ce1");
  withdraw.prefixes = {Ipv4Prefix::parse_or_throw("10.9.0.0/24")};
  s.events.push_back(withdraw);
  s.events.push_back(fail_link(t, "er-ams.primary", kTimeZero + 20s, topo::FailureMode::Carrier));
  const RunResult r = run_once(t, s, 1, false);
  EXPECT_FALSE(r.metrics.events.at(0).first_change.has_value());
  EXPECT_EQ(r.metrics.events[0].route_changes, 0U);
  // A carrier loss is seen at once: the first route change is at the event's instant.
  ASSERT_TRUE(r.metrics.events.at(1).first_change.has_value());
  EXPECT_EQ(*r.metrics.events[1].first_change, 0s);
}

TEST(RunMetrics, EventsAtOneInstantShareTheirFigures) {
  const topo::Topology t = example("standard.yaml");
  Scenario s = base(t);
  s.events.push_back(fail_link(t, "er-ams.primary", kTimeZero + 10s, topo::FailureMode::Carrier));
  s.events.push_back(fail_link(t, "er-ams.secondary", kTimeZero + 10s, topo::FailureMode::Carrier));
  const RunResult r = run_once(t, s, 1, false);
  EXPECT_EQ(r.metrics.events.at(0), r.metrics.events.at(1));
  EXPECT_EQ(r.metrics.events[0].sessions_down, 2U) << "one private peering session per leg";
}

TEST(RunMetrics, ColdStartEndsWithItsLastRouteChange) {
  const topo::Topology t = example("maximum.yaml");
  const RunResult r = run_once(t, base(t), 1, false);
  EXPECT_GT(r.metrics.cold_start_last_change, 0s);
  // Quiet comes later: the sessions' last keepalives and BFD packets, checked in whole seconds.
  EXPECT_LT(r.metrics.cold_start_last_change, r.converged_after);
}

TEST(RunMetrics, HeadroomIsTheLimitLessWhatTheCustomerAdvertises) {
  const topo::Topology t = example("standard.yaml");
  const RunResult r = run_once(t, base(t), 1, false);
  // The MSEE ends of the private peering's two sessions carry the limit.
  ASSERT_EQ(r.metrics.headroom.size(), 2U);
  for (const PrefixHeadroom& h : r.metrics.headroom) {
    EXPECT_EQ(t.router(h.router).role, topo::RouterRole::Msee);
    EXPECT_EQ(h.limit, topo::kPrivatePeeringLimit);
    // The site advertises its one /16.
    EXPECT_EQ(h.received, 1U);
    EXPECT_EQ(h.peak, 1U);
    EXPECT_EQ(h.headroom(), 3999);
    EXPECT_FALSE(h.tight());
    EXPECT_FALSE(h.held);
  }
  // Tables: the CE's holds the VNet's prefix from its MSEE and its own site prefix.
  const auto ce =
      std::find_if(r.metrics.tables.begin(), r.metrics.tables.end(),
                   [&](const TableSize& table) { return table.router == *t.router_id("ams-ce1"); });
  ASSERT_NE(ce, r.metrics.tables.end());
  EXPECT_EQ(ce->fib_prefixes, 2U);
  EXPECT_EQ(ce->rib_routes, 2U);
}

TEST(RunMetrics, PrefixFloodNearTheLimitIsTightAndOverItDropsTheSession) {
  const topo::Topology t = example("standard.yaml");
  const topo::SessionId primary_session = *t.session_id("er-ams.private.primary");
  for (const std::uint32_t count : {3700U, 4000U}) {
    Scenario s = base(t);
    Event flood;
    flood.at = kTimeZero + 10s;
    flood.action = Action::Advertise;
    flood.text = "advertise a flood";
    flood.router = *t.router_id("ams-ce1");
    // /28s inside the site's 10.1.0.0/16, so they go out over the leg that advertises it.
    for (std::uint32_t i = 0; i < count; ++i) {
      flood.prefixes.emplace_back(Ipv4Address((10U << 24) | (1U << 16) | (i << 4)), 28);
    }
    s.events.push_back(flood);
    const RunResult r = run_once(t, s, 1, false);
    const auto primary =
        std::find_if(r.metrics.headroom.begin(), r.metrics.headroom.end(),
                     [&](const PrefixHeadroom& h) { return h.session == primary_session; });
    ASSERT_NE(primary, r.metrics.headroom.end());
    EXPECT_EQ(primary->peak, count + 1) << "the flood and the site's /16";
    EXPECT_EQ(primary->headroom(), 4000 - static_cast<std::int64_t>(count) - 1);
    EXPECT_TRUE(primary->tight());
    // The tightest comes first: the secondary's MSEE still holds the /16 alone.
    EXPECT_EQ(r.metrics.headroom.front().session, primary_session);
    if (count == 4000) {
      // 4,001 is over the limit: the MSEE drops the session and holds nothing from it.
      EXPECT_TRUE(primary->held);
      EXPECT_EQ(primary->received, 0U);
    } else {
      EXPECT_FALSE(primary->held);
      EXPECT_EQ(primary->received, count + 1);
    }
  }
}

TEST(NetworkRouterStats, CountersComeBackWithARollback) {
  const topo::Topology t = example("standard.yaml");
  Engine engine;
  const RandomStreams streams(1);
  router::Network net(engine, streams, t, {});
  net.start();
  engine.run_until_quiet();
  const std::vector<router::RouterStats> before = net.router_stats();
  const SimTime last = net.last_route_change();
  EXPECT_GT(before[t.router_id("ams-ce1")->value].updates_sent, 0U);
  net.checkpoint();
  net.fail_router(*t.router_id("amsterdam-msee1"), router::RouterFailure::Device);
  // Not until quiet: the dead box's peers try to reconnect for ever.
  engine.run_until(engine.now() + 5min);
  const std::vector<router::RouterStats> failed = net.router_stats();
  EXPECT_GT(failed[t.router_id("ams-ce1")->value].route_changes,
            before[t.router_id("ams-ce1")->value].route_changes);
  EXPECT_GT(net.last_route_change(), last);
  net.rollback();
  EXPECT_EQ(net.router_stats(), before);
  EXPECT_EQ(net.last_route_change(), last);
}

TEST(Replayer, StormIsTheSameEachTimeFromTheCheckpoint) {
  const topo::Topology t = example("standard.yaml");
  Replayer replayer(t, base(t), 1);
  const std::vector<Event> events{fail_router(t, "amsterdam-msee1", kTimeZero)};
  const Replayer::Played first = replayer.play(events, kTimeZero + 5min);
  const Replayer::Played second = replayer.play(events, kTimeZero + 5min);
  EXPECT_EQ(first.storm.sessions_down, 2U);
  EXPECT_GT(first.storm.route_changes, 0U);
  EXPECT_EQ(first.storm, second.storm);
  EXPECT_EQ(first.storm.updates, first.stats.updates_sent);
}

TEST(Storm, LargestTakesEachFigureAndTheLaterChange) {
  const Storm a{2, 10, 12, 5, 1s, 2s};
  const Storm b{3, 8, 20, 5, std::nullopt, std::nullopt};
  const Storm l = largest(a, b);
  EXPECT_EQ(l, (Storm{3, 10, 20, 5, 1s, 2s}));
  EXPECT_EQ(largest(b, a), l);
}

TEST(PrefixHeadroom, TightUnderATenthOfTheLimit) {
  PrefixHeadroom h;
  h.limit = 4000;
  h.peak = 3600;
  EXPECT_FALSE(h.tight()) << "400 left is a tenth";
  h.peak = 3601;
  EXPECT_TRUE(h.tight());
  h.peak = 4001;
  EXPECT_EQ(h.headroom(), -1);
  EXPECT_TRUE(h.tight());
}

}  // namespace
}  // namespace ersim::scenario
