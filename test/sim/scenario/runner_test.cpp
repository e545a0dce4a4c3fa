// The scenario runner on the example designs, with scenarios built in code (the scenario file
// reader has its own tests): the outage numbers DESIGN §3 and Microsoft's timers predict, cause
// chains, expectations, and determinism across seeds and threads.
#include "sim/scenario/runner.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "sim/io/topology_yaml.hpp"
#include "sim/report/run_report.hpp"
#include "sim/topo/expand.hpp"

namespace ersim::scenario {
namespace {

using namespace std::chrono_literals;

topo::Topology example(const std::string& name) {
  return io::load_topology(std::string(ERSIM_SOURCE_DIR) + "/topologies/" + name);
}

Endpoint site(const topo::Topology& t, std::size_t index) {
  const topo::Site& s = t.sites()[index];
  return {Endpoint::Kind::Site, s.name, s.routers, "", s.prefixes.front().host(1)};
}

Endpoint vnet(const topo::Topology& t, std::size_t index) {
  const topo::VNet& v = t.vnets()[index];
  return {Endpoint::Kind::VNet, v.name, {v.gateway}, "", v.prefixes.front().host(1)};
}

/// amsterdam-dc <-> hub-westeurope on maximum.yaml, and the primary link of er-ams failing.
Scenario primary_failure(const topo::Topology& t, std::optional<topo::FailureMode> mode) {
  Scenario s;
  s.name = "primary failure";
  s.until = kTimeZero + 10min;
  s.options.gateway_reconvergence = DelayDistribution::fixed(0s);
  Event fail;
  fail.at = kTimeZero + 10s;
  fail.action = Action::FailLink;
  fail.text = "fail link er-ams.primary";
  fail.links = {*t.link_id("er-ams.primary")};
  fail.mode = mode;
  s.events.push_back(fail);
  s.flows.push_back({"to azure", site(t, 0), vnet(t, 0).address, std::nullopt, vnet(t, 0)});
  s.flows.push_back({"to site", vnet(t, 0), site(t, 0).address, std::nullopt, site(t, 0)});
  return s;
}

TEST(Runner, SilentFailureWithBfdCostsUnderOneSecond) {
  const topo::Topology t = example("maximum.yaml");
  Scenario s = primary_failure(t, topo::FailureMode::Silent);
  s.runs = 20;
  const ScenarioResult r = run_scenario(t, s);
  for (const RunResult& run : r.runs) {
    const FlowRun& to_azure = run.flows[0];
    ASSERT_EQ(to_azure.outages.size(), 1U) << "seed " << run.seed;
    const Outage& o = to_azure.outages[0];
    EXPECT_EQ(o.start, kTimeZero + 10s);
    EXPECT_EQ(o.outcome, reach::Outcome::LinkDown);
    EXPECT_EQ(o.cause.detection, "BFD");
    // BFD detects in (0.6 s, 0.9 s]; the CE then moves to the secondary within milliseconds.
    EXPECT_GT(o.cause.detection_time, 600ms);
    EXPECT_LE(o.cause.detection_time, 900ms);
    EXPECT_LT(o.duration(), 1s);
    EXPECT_EQ(o.cause.event, 0U);
    EXPECT_FALSE(o.open);
  }
}

TEST(Runner, SilentFailureWithoutBfdWaitsForTheHoldTimer) {
  std::ifstream in(std::string(ERSIM_SOURCE_DIR) + "/topologies/maximum.yaml");
  std::stringstream text;
  text << in.rdbuf();
  std::string yaml = text.str();
  const std::string with_bfd = "bfd: {enabled: true";
  yaml.replace(yaml.find(with_bfd), with_bfd.size(), "bfd: {enabled: false");
  const topo::Topology t = topo::expand(io::read_design(io::load_yaml_string("t.yaml", yaml)));
  Scenario s = primary_failure(t, topo::FailureMode::Silent);
  s.runs = 10;
  const ScenarioResult r = run_scenario(t, s);
  for (const RunResult& run : r.runs) {
    ASSERT_EQ(run.flows[0].outages.size(), 1U) << "seed " << run.seed;
    const Outage& o = run.flows[0].outages[0];
    EXPECT_EQ(o.cause.detection, "hold timer");
    // The 180 s hold timer expires in (120 s, 180 s] after the last keepalive (DESIGN §3).
    EXPECT_GT(o.cause.detection_time, 120s);
    EXPECT_LE(o.cause.detection_time, 180s);
    EXPECT_LT(o.duration(), o.cause.detection_time + 1s);
  }
}

TEST(Runner, CarrierLossCostsMilliseconds) {
  const topo::Topology t = example("maximum.yaml");
  Scenario s = primary_failure(t, topo::FailureMode::Carrier);
  // London's routers send over ams-ce1 too; they learn of the loss over iBGP.
  s.flows.push_back({"london", site(t, 1), vnet(t, 0).address, std::nullopt, vnet(t, 0)});
  s.runs = 10;
  const ScenarioResult r = run_scenario(t, s);
  for (const RunResult& run : r.runs) {
    // Both ends see the interface go down at once: ams-ce1 loses its route in that instant and
    // the site's first-hop group moves to ams-ce2, so Amsterdam loses nothing.
    EXPECT_EQ(run.flows[0].total_outage, 0s) << "seed " << run.seed;
    const FlowRun& london = run.flows[2];
    ASSERT_EQ(london.outages.size(), 1U) << "seed " << run.seed;
    // No detection time, only ams-ce1's processing and the iBGP round to London (milliseconds).
    EXPECT_EQ(london.outages[0].cause.detection, "carrier");
    EXPECT_EQ(london.outages[0].cause.detection_time, 0s);
    EXPECT_LT(london.outages[0].duration(), 50ms);
  }
}

TEST(Runner, SiteTrafficLeavesFromARouterWithARoute) {
  // standard.yaml: one circuit, its legs on two CE routers with no session between them. When
  // the primary link's loss takes ams-ce1's route away, the site's first-hop group sends from
  // ams-ce2 over the secondary (VRRP/HSRP with route tracking), so the loss costs BFD's
  // detection, not the whole failure.
  const topo::Topology t = example("standard.yaml");
  Scenario s;
  s.name = "standard primary";
  s.until = kTimeZero + 2min;
  Event fail;
  fail.at = kTimeZero + 10s;
  fail.text = "fail primary";
  fail.mode = topo::FailureMode::Silent;
  for (const topo::Link& l : t.links()) {
    if (l.circuit && l.path == topo::PathRole::Primary &&
        t.router(l.a).role == topo::RouterRole::Ce) {
      fail.links.push_back(*t.link_id(l.name));
    }
  }
  ASSERT_EQ(fail.links.size(), 1U);
  s.events.push_back(fail);
  s.flows.push_back({"to azure", site(t, 0), vnet(t, 0).address, std::nullopt, vnet(t, 0)});
  const ScenarioResult r = run_scenario(t, s);
  const FlowRun& f = r.runs[0].flows[0];
  ASSERT_EQ(f.outages.size(), 1U);
  EXPECT_EQ(f.outages[0].cause.detection, "BFD");
  EXPECT_LT(f.outages[0].duration(), 1s);
  ASSERT_FALSE(f.timeline.empty());
  EXPECT_EQ(t.router(f.timeline.back().trace.routers.front()).name, "ams-ce2");
}

TEST(Runner, SameSeedSameJsonWhateverTheThreads) {
  const topo::Topology t = example("maximum.yaml");
  Scenario s = primary_failure(t, topo::FailureMode::Silent);
  s.runs = 6;
  const ScenarioResult one = run_scenario(t, s, {.threads = 1});
  const ScenarioResult two = run_scenario(t, s, {.threads = 2});
  const ScenarioResult again = run_scenario(t, s, {.threads = 1});
  EXPECT_EQ(report::run_json(t, s, one).dump(), report::run_json(t, s, two).dump());
  EXPECT_EQ(report::run_json(t, s, one).dump(), report::run_json(t, s, again).dump());
  EXPECT_EQ(report::run_trace(one), report::run_trace(two));
  EXPECT_FALSE(report::run_trace(one).empty());
}

TEST(Runner, ExpectationsAreJudged) {
  const topo::Topology t = example("maximum.yaml");
  Scenario s = primary_failure(t, topo::FailureMode::Silent);
  Expectation longest;
  longest.kind = ExpectationKind::LongestOutageAtMost;
  longest.text = "to azure: longest <= 1s";
  longest.bound = 1s;
  Expectation never;
  never.kind = ExpectationKind::NeverUnreachable;
  never.text = "to azure: never unreachable";
  Expectation uses;
  uses.kind = ExpectationKind::Uses;
  // ams-ce1 has no session to ams-ce2: without its primary it sends over the WAN to London.
  uses.text = "to azure uses er-lon";
  uses.flow = 0;
  uses.from = kTimeZero + 20s;
  uses.to = kTimeMax;
  uses.uses = {UsesTarget::Kind::Circuit, "er-lon", t.circuit_id("er-lon"), std::nullopt};
  Expectation state;
  state.kind = ExpectationKind::SessionStateAt;
  state.text = "primary down at 5m";
  state.session = *t.session_id("er-ams.private.primary");
  state.state = bgp::SessionState::Established;
  state.at = kTimeZero + 5min;
  Expectation quiet;
  quiet.kind = ExpectationKind::QuietBy;
  quiet.text = "quiet by 1m";
  quiet.at = kTimeZero + 1min;
  s.expectations = {longest, never, uses, state, quiet};
  const ScenarioResult r = run_scenario(t, s);
  EXPECT_TRUE(r.expectations[0].met) << r.expectations[0].detail;
  EXPECT_FALSE(r.expectations[1].met);
  EXPECT_TRUE(r.expectations[2].met) << r.expectations[2].detail;
  EXPECT_FALSE(r.expectations[3].met) << r.expectations[3].detail;  // the primary stays down
  EXPECT_FALSE(r.all_met());
  const std::string text = report::run_text(t, s, r, false);
  EXPECT_NE(text.find("FAILED"), std::string::npos) << text;
  EXPECT_NE(text.find("detected by BFD"), std::string::npos) << text;
}

}  // namespace
}  // namespace ersim::scenario
