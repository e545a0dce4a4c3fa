// The HTML run report: one self-contained page with a timeline per flow, its outages drawn and
// tabled, the circuit legend, the verdicts, escaped names, and the spread over several runs.
// With ERSIM_HTML_OUT set, RunHtml.FailoverPageWritesForBrowser also writes the page there for
// test/html/render_test.sh, which renders it in a headless browser.
#include "sim/report/run_html.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/io/generate.hpp"
#include "sim/io/topology_yaml.hpp"
#include "sim/io/yaml_reader.hpp"
#include "sim/report/html_page.hpp"
#include "sim/report/run_report.hpp"
#include "sim/topo/expand.hpp"
#include "test/sim/report/page_checks.hpp"

namespace ersim::report {
namespace {

using scenario::Endpoint;
using scenario::ExpectationKind;
using topo::Topology;

const Topology& maximum() {
  static const Topology topology = io::load_topology(ERSIM_SOURCE_DIR "/topologies/maximum.yaml");
  return topology;
}

std::vector<topo::RouterId> routers(const Topology& t,
                                    std::initializer_list<std::string_view> names) {
  std::vector<topo::RouterId> ids;
  for (const std::string_view name : names) {
    const auto id = t.router_id(name);
    EXPECT_TRUE(id.has_value()) << name;
    ids.push_back(id.value_or(topo::RouterId{}));
  }
  return ids;
}

scenario::Flow site_flow(const Topology& t, std::string_view site,
                         std::initializer_list<std::string_view> ces, std::string_view from) {
  scenario::Flow flow;
  flow.name = std::string(site) + " -> hub-westeurope";
  flow.source = Endpoint{Endpoint::Kind::Site, std::string(site), routers(t, ces), "",
                         Ipv4Address::parse_or_throw(from)};
  flow.destination = Ipv4Address::parse_or_throw("10.100.0.1");
  return flow;
}

// Amsterdam's primary link fails silently at 10 s: BFD notices, the flow from Amsterdam is out
// for about a second, London's never.
scenario::Scenario failover(std::string name, std::uint32_t runs) {
  const Topology& t = maximum();
  scenario::Scenario s;
  s.name = std::move(name);
  s.description = "The primary link of er-ams fails silently; BFD notices.";
  s.until = kTimeZero + std::chrono::seconds(60);
  s.seed = 7;
  s.runs = runs;
  scenario::Event fail;
  fail.at = kTimeZero + std::chrono::seconds(10);
  fail.action = scenario::Action::FailLink;
  fail.text = "fail link er-ams.primary";
  const auto link = t.link_id("er-ams.primary");
  EXPECT_TRUE(link.has_value());
  fail.links = {link.value_or(topo::LinkId{})};
  fail.mode = topo::FailureMode::Silent;
  s.events.push_back(fail);
  s.flows.push_back(site_flow(t, "amsterdam-dc", {"ams-ce1", "ams-ce2"}, "10.1.0.1"));
  s.flows.push_back(site_flow(t, "london-dc", {"lon-ce1", "lon-ce2"}, "10.2.0.1"));
  scenario::Expectation longest;
  longest.kind = ExpectationKind::LongestOutageAtMost;
  longest.text = "flow amsterdam-dc -> hub-westeurope: longest outage <= 5s";
  longest.flow = 0;
  longest.bound = std::chrono::seconds(5);
  s.expectations.push_back(longest);
  scenario::Expectation never;
  never.kind = ExpectationKind::NeverUnreachable;
  never.text = "flow amsterdam-dc -> hub-westeurope: never unreachable";
  never.flow = 0;
  s.expectations.push_back(never);
  return s;
}

struct Page {
  scenario::Scenario scenario;
  scenario::ScenarioResult result;
  std::string html;
};

Page render(std::string name, std::uint32_t runs) {
  Page page{failover(std::move(name), runs), {}, {}};
  page.result = scenario::run_scenario(maximum(), page.scenario, {.threads = 2});
  page.html = run_html(maximum(), page.scenario, page.result);
  return page;
}

const Page& one_run() {
  static const Page page = render("fail <ams> & \"see\"", 1);
  return page;
}

const Page& three_runs() {
  static const Page page = render("silent failure of er-ams.primary", 3);
  return page;
}

TEST(RunHtml, FailoverPageFetchesNothing) { EXPECT_TRUE(fetches_nothing(one_run().html)); }

TEST(RunHtml, FailoverPageHasOneTimelinePerFlow) {
  const Page& page = one_run();
  EXPECT_EQ(count(page.html, "class=\"flow-timeline\""), page.scenario.flows.size());
  EXPECT_NE(page.html.find("<g class=\"flow-timeline\" data-flow=\"amsterdam-dc -&gt; "
                           "hub-westeurope\">"),
            std::string::npos);
  EXPECT_NE(page.html.find("data-flow=\"london-dc -&gt; hub-westeurope\""), std::string::npos);
  // The event is marked on every timeline.
  EXPECT_EQ(count(page.html, "<g class=\"event\">"), page.scenario.flows.size());
}

TEST(RunHtml, FailoverOutageDrawnAtLeastTwoPixelsWide) {
  const Page& page = one_run();
  const scenario::RunResult& run = page.result.runs.front();
  ASSERT_FALSE(run.flows.at(0).outages.empty()) << "the scenario should cause an outage";
  std::size_t outages = 0;
  for (const scenario::FlowRun& flow : run.flows) {
    outages += flow.outages.size();
  }
  EXPECT_EQ(count(page.html, "<rect class=\"outage\""), outages);
  const std::regex rect(R"re(<rect class="outage" x="[0-9.]+" y="[0-9.]+" width="([0-9.]+)")re");
  std::size_t seen = 0;
  for (auto it = std::sregex_iterator(page.html.begin(), page.html.end(), rect);
       it != std::sregex_iterator(); ++it) {
    EXPECT_GE(std::stod((*it)[1].str()), 2.0);
    ++seen;
  }
  EXPECT_EQ(seen, outages);
  // The table has a row per outage with its cause.
  EXPECT_NE(page.html.find("<table class=\"outages\" data-flow=\"amsterdam-dc -&gt; "
                           "hub-westeurope\">"),
            std::string::npos);
  EXPECT_NE(page.html.find("<td>BFD</td>"), std::string::npos);
}

TEST(RunHtml, FailoverLegendNamesTheCircuitsUsed) {
  const Page& page = one_run();
  const auto er_ams = maximum().circuit_id("er-ams");
  ASSERT_TRUE(er_ams.has_value());
  EXPECT_NE(page.html.find("<ul class=\"legend\">"), std::string::npos);
  const std::string entry = std::string(
                                "data-circuit=\"er-ams\"><span class=\"swatch\" "
                                "style=\"background:") +
                            std::string(circuit_colour(*er_ams)) + "\"></span>over circuit er-ams";
  EXPECT_NE(page.html.find(entry), std::string::npos);
  // The intervals over er-ams are drawn in its colour.
  EXPECT_NE(page.html.find("fill=\"" + std::string(circuit_colour(*er_ams)) + "\"><title>"),
            std::string::npos);
}

TEST(RunHtml, ScenarioNameWithMarkupIsEscaped) {
  const std::string& html = one_run().html;
  EXPECT_NE(html.find("<h1>fail &lt;ams&gt; &amp; &quot;see&quot;</h1>"), std::string::npos);
  EXPECT_EQ(html.find("<ams>"), std::string::npos);
  EXPECT_EQ(html.find("& \""), std::string::npos);
}

TEST(RunHtml, ExpectationsListedWithTheirVerdicts) {
  const Page& page = one_run();
  ASSERT_TRUE(page.result.expectations.at(0).met);
  ASSERT_FALSE(page.result.expectations.at(1).met);
  EXPECT_NE(page.html.find("<p class=\"verdict failed\">1 of 2 expectations failed</p>"),
            std::string::npos);
  EXPECT_NE(page.html.find("<span class=\"word met\">met</span> flow amsterdam-dc -&gt; "
                           "hub-westeurope: longest outage &lt;= 5s"),
            std::string::npos);
  EXPECT_NE(page.html.find("<span class=\"word failed\">FAILED</span> flow amsterdam-dc -&gt; "
                           "hub-westeurope: never unreachable"),
            std::string::npos);
}

TEST(RunHtml, TopologyPictureDrawsRoutersAndLinks) {
  const std::string& html = one_run().html;
  EXPECT_NE(html.find("<svg class=\"topology\""), std::string::npos);
  for (const topo::Router& r : maximum().routers()) {
    EXPECT_NE(html.find("data-router=\"" + r.name + "\""), std::string::npos) << r.name;
  }
  EXPECT_EQ(count(html, "class=\"link\""), maximum().links().size());
  EXPECT_NE(html.find(">er-ams.primary<title>"), std::string::npos);
}

TEST(RunHtml, OneRunHasNoDistribution) {
  EXPECT_EQ(one_run().html.find("id=\"distribution\""), std::string::npos);
}

TEST(RunHtml, ThreeRunsShowEachFlowsDistribution) {
  const Page& page = three_runs();
  EXPECT_NE(page.html.find("<section id=\"distribution\">"), std::string::npos);
  EXPECT_EQ(count(page.html, "<svg class=\"histogram\""), page.scenario.flows.size());
  const OutageStatistics stats = outage_statistics(page.result, 0);
  EXPECT_NE(page.html.find(fmt::format(
                "min {}, median {}, p95 {}, max {}", scenario::duration_text(stats.min),
                scenario::duration_text(stats.median), scenario::duration_text(stats.p95),
                scenario::duration_text(stats.max))),
            std::string::npos);
  // Every run lands in a bin.
  std::size_t runs = 0;
  const std::regex bin(R"(: ([0-9]+) runs?</title>)");
  const std::string flow0 = page.html.substr(page.html.find("<svg class=\"histogram\""));
  const std::string first = flow0.substr(0, flow0.find("</svg>"));
  for (auto it = std::sregex_iterator(first.begin(), first.end(), bin);
       it != std::sregex_iterator(); ++it) {
    runs += std::stoul((*it)[1].str());
  }
  EXPECT_EQ(runs, 3U);
}

TEST(RunHtml, SameResultGivesSameBytes) {
  const Page& page = three_runs();
  EXPECT_EQ(run_html(maximum(), page.scenario, page.result), page.html);
}

TEST(RunHtml, BigTopologyLeavesThePictureOut) {
  const Topology big = topo::expand(io::read_design(
      io::load_yaml_string("gen.yaml", io::generate_topology_yaml({.customers = 60}))));
  ASSERT_GT(big.routers().size(), kHtmlPictureMaxRouters);
  scenario::Scenario s;
  s.name = "big";
  s.until = kTimeZero + std::chrono::seconds(1);
  scenario::ScenarioResult result;
  result.runs.emplace_back();
  const std::string html = run_html(big, s, result);
  EXPECT_EQ(html.find("<svg class=\"topology\""), std::string::npos);
  EXPECT_NE(html.find("too many to draw legibly"), std::string::npos);
}

TEST(RunHtml, EscapesEveryMarkupCharacter) {
  EXPECT_EQ(html_escaped("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  EXPECT_EQ(html_escaped("plain"), "plain");
}

// The page test/html/render_test.sh opens in a headless browser (and docs/images/run-report.png
// shows): three runs, so every section is there.
TEST(RunHtml, FailoverPageWritesForBrowser) {
  const Page& page = three_runs();
  ASSERT_NE(page.html.find("class=\"flow-timeline\""), std::string::npos);
  if (const char* path = std::getenv("ERSIM_HTML_OUT"); path != nullptr) {
    std::ofstream out(path, std::ios::binary);
    out << page.html;
    out.close();
    ASSERT_TRUE(out.good()) << path;
  }
}

}  // namespace
}  // namespace ersim::report
