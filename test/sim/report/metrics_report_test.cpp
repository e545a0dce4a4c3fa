// The network metrics in `ersim run`'s text, JSON and HTML: an MSEE failure on the Standard
// design, whose storm, churn, tables and prefix limits every format carries, at the end. With
// ERSIM_RUN_JSON_OUT set, RunMetricsJson.DocumentWritesForSchema writes its JSON document for
// test/lint/check_schema.py.
#include "sim/report/metrics_report.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include "sim/io/topology_yaml.hpp"
#include "sim/report/run_html.hpp"
#include "sim/report/run_report.hpp"
#include "test/sim/report/page_checks.hpp"

namespace ersim::report {
namespace {

using namespace std::chrono_literals;

struct MetricsRun {
  topo::Topology topology;
  scenario::Scenario scenario;
  scenario::ScenarioResult result;
};

const MetricsRun& msee_failure() {
  static const MetricsRun run = [] {
    MetricsRun r{io::load_topology(ERSIM_SOURCE_DIR "/topologies/standard.yaml"), {}, {}};
    r.scenario.name = "msee failure";
    r.scenario.until = kTimeZero + 2min;
    r.scenario.options.gateway_reconvergence = DelayDistribution::fixed(0s);
    scenario::Event fail;
    fail.at = kTimeZero + 10s;
    fail.action = scenario::Action::FailRouter;
    fail.text = "fail router amsterdam-msee1";
    fail.routers = {*r.topology.router_id("amsterdam-msee1")};
    r.scenario.events.push_back(fail);
    scenario::Event restore = fail;
    restore.at = kTimeZero + 60s;
    restore.action = scenario::Action::RestoreRouter;
    restore.text = "restore router amsterdam-msee1";
    r.scenario.events.push_back(restore);
    const topo::Site& site = r.topology.sites().front();
    r.scenario.flows.push_back({"to azure",
                                {scenario::Endpoint::Kind::Site, site.name, site.routers, "",
                                 site.prefixes.front().host(1)},
                                r.topology.vnets().front().prefixes.front().host(1),
                                std::nullopt,
                                std::nullopt,
                                200'000'000});  // a rate, so that the JSON has its capacity
    r.result = scenario::run_scenario(r.topology, r.scenario);
    return r;
  }();
  return run;
}

TEST(RunMetricsText, ConvergenceStormChurnTablesAndLimitsAtTheEnd) {
  const MetricsRun& r = msee_failure();
  const std::string text = run_text(r.topology, r.scenario, r.result, false);
  const auto at = text.find("Network metrics (first run)");
  ASSERT_NE(at, std::string::npos) << text;
  const std::string metrics = text.substr(at);
  EXPECT_EQ(metrics, run_metrics_text(r.topology, r.scenario, r.result, false).substr(1));
  EXPECT_NE(metrics.find("fail router amsterdam-msee1"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("2 sessions down"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("(storm: a shared device failed)"), std::string::npos) << metrics;
  EXPECT_EQ(count(metrics, "(storm: a shared device failed)"), 1U) << "not the restore";
  EXPECT_NE(metrics.find("churn since time 0"), std::string::npos);
  EXPECT_NE(metrics.find("amsterdam-msee1 on er-ams.private.primary"), std::string::npos);
  EXPECT_NE(metrics.find("1 of 4000 (peak 1), headroom 3999 (100.0%)"), std::string::npos)
      << metrics;
  EXPECT_EQ(metrics.find("TIGHT"), std::string::npos);
}

TEST(RunMetricsJson, EveryRouterInstanceAndLimitedEnd) {
  const MetricsRun& r = msee_failure();
  const nlohmann::ordered_json doc = run_json(r.topology, r.scenario, r.result);
  ASSERT_TRUE(doc.contains("metrics"));
  EXPECT_EQ(doc.items().begin().key(), "schema");
  EXPECT_EQ(std::prev(doc.end()).key(), "metrics") << "at the end";
  const nlohmann::ordered_json& m = doc["metrics"];
  ASSERT_EQ(m["events"].size(), 2U);
  const scenario::Storm& storm = r.result.runs[0].metrics.events[0];
  EXPECT_EQ(m["events"][0]["sessions_down"], 2);
  EXPECT_EQ(m["events"][0]["shared_device"], true);
  EXPECT_EQ(m["events"][1]["shared_device"], false);
  EXPECT_EQ(m["events"][0]["updates"], storm.updates);
  EXPECT_DOUBLE_EQ(m["events"][0]["last_change_s"].get<double>(),
                   scenario::seconds(*storm.last_change));
  EXPECT_EQ(m["churn"].size(), r.topology.routers().size());
  EXPECT_EQ(m["tables"].size(), r.result.runs[0].metrics.tables.size());
  EXPECT_EQ(m["prefix_limits"]["tight_below"], 0.1);
  ASSERT_EQ(m["prefix_limits"]["sessions"].size(), 2U);
  EXPECT_EQ(m["prefix_limits"]["sessions"][0]["headroom"], 3999);
  EXPECT_EQ(m["prefix_limits"]["sessions"][0]["limit"], 4000);
}

TEST(RunMetricsJson, DocumentWritesForSchema) {
  const MetricsRun& r = msee_failure();
  const nlohmann::ordered_json j = run_json(r.topology, r.scenario, r.result);
  EXPECT_EQ(j["metrics"]["events"].size(), 2U);
  ASSERT_TRUE(j["capacity"].is_object());
  EXPECT_EQ(j["flows"][0]["rate_bps"], 200'000'000);
  if (const char* path = std::getenv("ERSIM_RUN_JSON_OUT"); path != nullptr) {
    std::ofstream out(path, std::ios::binary);
    out << j.dump(2) << '\n';
    out.close();
    ASSERT_TRUE(out.good()) << path;
  }
}

TEST(RunMetricsHtml, SectionAfterTheOthersWithItsTables) {
  const MetricsRun& r = msee_failure();
  const std::string html = run_html(r.topology, r.scenario, r.result);
  EXPECT_TRUE(fetches_nothing(html));
  const auto section = html.find("<section id=\"metrics\">");
  ASSERT_NE(section, std::string::npos);
  EXPECT_GT(section, html.find("<section id=\"outages\">"));
  EXPECT_EQ(count(html, "<table class=\"convergence\">"), 1U);
  EXPECT_EQ(count(html, "<tr class=\"storm\">"), 1U);
  EXPECT_EQ(count(html, "<table class=\"churn\">"), 1U);
  EXPECT_EQ(count(html, "<table class=\"tables\">"), 1U);
  EXPECT_EQ(count(html, "<table class=\"prefix-limits\">"), 1U);
  EXPECT_EQ(count(html, "<tr class=\"tight\">"), 0U);
}

}  // namespace
}  // namespace ersim::report
