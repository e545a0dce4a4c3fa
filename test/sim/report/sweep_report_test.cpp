// The sweep report on a hand-built SweepResult: four elements, two flows, a pair that partitions
// both, a location that partitions one, sets that only lose a flow, a clean set, and two
// expectations of which one failed. With ERSIM_SWEEP_HTML_OUT set,
// SweepHtml.PageWritesForBrowser also writes the page there for test/html/render_test.sh; with
// ERSIM_SWEEP_JSON_OUT, SweepJson.DocumentWritesForSchema the document for
// test/lint/check_schema.py.
#include "sim/report/sweep_report.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "test/sim/report/page_checks.hpp"

namespace ersim::report {
namespace {

using namespace std::chrono_literals;
using sweep::ElementKind;
using sweep::Fate;
using sweep::FlowHit;
using sweep::SetResult;
using sweep::SweepResult;

sweep::Element element(ElementKind kind, std::string name, std::vector<std::string> locations) {
  sweep::Element e;
  e.kind = kind;
  e.name = std::move(name);
  e.locations = std::move(locations);
  return e;
}

FlowHit lost(std::uint32_t flow, Duration worst, std::string detection) {
  FlowHit hit;
  hit.flow = flow;
  hit.lost_runs = 1;
  hit.worst_outage = worst;
  hit.mean_outage = worst;
  hit.detection = std::move(detection);
  return hit;
}

FlowHit partitioned(std::uint32_t flow, Duration worst, std::string detection) {
  FlowHit hit = lost(flow, worst, std::move(detection));
  hit.lost_runs = 0;
  hit.partitioned_runs = 1;
  return hit;
}

SetResult set(std::vector<std::uint32_t> elements, std::vector<FlowHit> flows) {
  SetResult s;
  s.set.elements = std::move(elements);
  s.flows = std::move(flows);
  return s;
}

// Elements: 0 link er-ams.primary, 1 router ams-msee1, 2 location amsterdam, 3 link lon<1>.
// Sets: 0 {0} loses flow 0 for 812 ms; 1 {1} hurts nothing; 2 {2} partitions flow 0 and loses
// flow 1 for 45 s; 3 {3} loses flow 1 for 3 s; 4 {0, 3} partitions both; 5 {1, 3} loses flow 1
// for 3 s, as set 3 does. Worst first: 4 (two partitioned), 2 (one), 3 and 5 (3 s, in set
// order), 0 (812 ms).
SweepResult sample() {
  SweepResult r;
  r.options.k = 2;
  r.options.seed = 7;
  r.options.horizon = 10min;
  r.elements = {element(ElementKind::Link, "er-ams.primary", {"amsterdam"}),
                element(ElementKind::Router, "ams-msee1", {"amsterdam"}),
                element(ElementKind::Location, "amsterdam", {"amsterdam"}),
                element(ElementKind::Link, "lon<1>", {"london"})};
  r.flows = {"amsterdam-dc -> hub", "london-dc -> hub"};
  r.sets = {set({0}, {lost(0, 812ms, "BFD")}),
            set({1}, {}),
            set({2}, {partitioned(0, 599100ms, "BFD"), lost(1, 45s, "hold timer")}),
            set({3}, {lost(1, 3s, "carrier")}),
            set({0, 3}, {partitioned(0, 599s, "BFD"), partitioned(1, 599s, "carrier")}),
            set({1, 3}, {lost(1, 3s, "carrier")})};
  r.pairs = {.raw = 6, .no_effect = 2, .composed = 2, .simulated = 2};
  r.dependents = {{0}, {0, 1}, {0, 1}, {1}};
  r.resiliency.index = 72.5;
  r.resiliency.model = topo::ResiliencyModel::Maximum;
  r.resiliency.components = {
      {"route diversity", 30, 40, "hub -> amsterdam-dc over amsterdam and london"},
      {"gateway zone redundancy", 10, 20, "the gateway is not zone-redundant"},
      {"advisory", 20, 20, ""},
      {"validation", 12.5, 20, "2 of 4 single failures lose a flow"}};
  sweep::SweepExpectation single;
  single.kind = sweep::SweepExpectationKind::NoSinglePartition;
  single.text = "no single failure partitions a flow";
  sweep::SweepExpectation bound;
  bound.kind = sweep::SweepExpectationKind::SingleOutageAtMost;
  bound.bound = 10min;
  bound.text = "no single failure costs a flow more than 10m";
  r.expectations = {single, bound};
  r.verdicts = {{false, "location amsterdam partitions 1 flow"},
                {true, "worst 599.100s (location amsterdam, amsterdam-dc -> hub)"}};
  r.engine_events = 12345;
  return r;
}

const SweepResult& result() {
  static const SweepResult r = sample();
  return r;
}

bool has_line(const std::string& text, std::string_view line) {
  return ("\n" + text).find("\n" + std::string(line) + "\n") != std::string::npos;
}

/// The text holds `section` whole, from its first line on.
testing::AssertionResult has_section(const std::string& text, std::string_view section) {
  const std::string title(section.substr(0, section.find('\n') + 1));
  const std::size_t at = ("\n" + text).find("\n" + title);
  if (at != std::string::npos && text.compare(at, section.size(), section) == 0) {
    return testing::AssertionSuccess();
  }
  return testing::AssertionFailure() << "no section\n" << section << "in\n" << text;
}

// --- Ordering. ---

TEST(SweepReport, WorstSetsByPartitionedThenWorstOutageThenSetOrder) {
  EXPECT_EQ(worst_sets(result()), (std::vector<std::size_t>{4, 2, 3, 5, 0}));
}

TEST(SweepReport, CriticalElementsByDependentsThenElementOrder) {
  EXPECT_EQ(critical_elements(result()), (std::vector<std::size_t>{1, 2, 0, 3}));
}

TEST(SweepReport, SetLabelJoinsElementLabels) {
  EXPECT_EQ(set_label(result(), result().sets[4].set), "link er-ams.primary + link lon<1>");
}

// --- Text. ---

TEST(SweepText, HeaderCountsElementsSetsAndPairs) {
  const std::string text = sweep_text(result());
  EXPECT_TRUE(
      has_line(text, "Failure sweep, k = 2: 4 elements (2 links, 1 router, 1 location), 2 flows"))
      << text;
  EXPECT_TRUE(has_line(text, "failure sets simulated: 6 (4 singles, 2 pairs)")) << text;
  EXPECT_TRUE(has_line(text, "pairs: 6 raw, 4 pruned (no effect 2, composed 2), 2 simulated"))
      << text;
  EXPECT_TRUE(has_line(text, "runs 1, seed 7, horizon 10m")) << text;
}

TEST(SweepText, LargePairCountsAreGrouped) {
  SweepResult r = sample();
  r.pairs = {.raw = 18'003'000, .no_effect = 12'000, .composed = 17'938'000, .simulated = 53'000};
  EXPECT_TRUE(has_line(sweep_text(r),
                       "pairs: 18,003,000 raw, 17,950,000 pruned (no effect 12,000, composed "
                       "17,938,000), 53,000 simulated"));
}

TEST(SweepText, OneElementAtATimeHasNoPairsLine) {
  SweepResult r = sample();
  r.options.k = 1;
  r.sets.resize(4);
  const std::string text = sweep_text(r);
  EXPECT_TRUE(has_line(text, "failure sets simulated: 4 (each element alone)")) << text;
  EXPECT_EQ(text.find("pairs:"), std::string::npos);
}

TEST(SweepText, ResiliencyIndexWithComponents) {
  const std::string text = sweep_text(result());
  EXPECT_TRUE(has_line(text, "Resiliency index 72.5/100 (model: Maximum)")) << text;
  EXPECT_TRUE(has_line(text,
                       "  route diversity          30.0/40  hub -> amsterdam-dc over amsterdam "
                       "and london"))
      << text;
  // No explanation, no trailing blanks.
  EXPECT_TRUE(has_line(text, "  advisory                 20.0/20")) << text;
  EXPECT_TRUE(has_line(text,
                       "  validation               12.5/20  2 of 4 single failures lose a "
                       "flow"))
      << text;
}

TEST(SweepText, WorstSetsListedWorstFirstWithTheirFlows) {
  const std::string text = sweep_text(result());
  EXPECT_TRUE(has_line(text, "Worst failure sets (5 of 6 sets hurt a flow)")) << text;
  const std::vector<std::string> lines{
      "  link er-ams.primary + link lon<1>  2 partitioned, worst 599.000s",
      "    amsterdam-dc -> hub  partitioned  worst 599.000s  mean 599.000s  detection BFD",
      "    london-dc -> hub     partitioned  worst 599.000s  mean 599.000s  detection carrier",
      "  location amsterdam                 1 partitioned, worst 599.100s",
      "    amsterdam-dc -> hub  partitioned  worst 599.100s  mean 599.100s  detection BFD",
      "    london-dc -> hub     lost         worst 45.000s   mean 45.000s   detection hold timer",
      "  link lon<1>                        0 partitioned, worst 3.000s",
      "  router ams-msee1 + link lon<1>     0 partitioned, worst 3.000s",
      "  link er-ams.primary                0 partitioned, worst 812.0ms",
      "    amsterdam-dc -> hub  lost         worst 812.0ms   mean 812.0ms   detection BFD",
  };
  std::size_t at = 0;
  for (const std::string& line : lines) {
    const std::size_t found = text.find("\n" + line + "\n", at);
    ASSERT_NE(found, std::string::npos) << "missing or out of order: " << line << "\n" << text;
    at = found + 1;
  }
  // The clean set is not among the worst.
  const std::size_t from = text.find("Worst failure sets");
  const std::string worst = text.substr(from, text.find("Flows partitioned by") - from);
  EXPECT_EQ(worst.find("\n  router ams-msee1  "), std::string::npos) << worst;
}

TEST(SweepText, TopLimitsEveryList) {
  const std::string text = sweep_text(result(), {.color = false, .top = 2});
  EXPECT_TRUE(has_line(text, "Worst failure sets (5 of 6 sets hurt a flow; the worst 2 shown)"))
      << text;
  EXPECT_EQ(text.find("0 partitioned"), std::string::npos) << text;
  EXPECT_TRUE(has_line(text, "Criticality (flows on each element's path; the top 2 of 4)")) << text;
  EXPECT_EQ(text.find("  link lon<1>          1 flow"), std::string::npos) << text;
}

TEST(SweepText, FlowsPartitionedByListsTheirSetsInSweepOrder) {
  EXPECT_TRUE(has_section(sweep_text(result()),
                          "Flows partitioned by\n"
                          "  amsterdam-dc -> hub (2 failure sets)\n"
                          "    location amsterdam\n"
                          "    link er-ams.primary + link lon<1>\n"
                          "  london-dc -> hub (1 failure set)\n"
                          "    link er-ams.primary + link lon<1>\n\n"));
}

TEST(SweepText, CriticalityMostDependentsFirst) {
  EXPECT_TRUE(has_section(sweep_text(result()),
                          "Criticality (flows on each element's path)\n"
                          "  router ams-msee1     2 flows: amsterdam-dc -> hub, london-dc -> hub\n"
                          "  location amsterdam   2 flows: amsterdam-dc -> hub, london-dc -> hub\n"
                          "  link er-ams.primary  1 flow: amsterdam-dc -> hub\n"
                          "  link lon<1>          1 flow: london-dc -> hub\n\n"));
}

TEST(SweepText, VerdictsAsRunWritesThem) {
  const std::string text = sweep_text(result());
  EXPECT_TRUE(has_line(text,
                       "  FAILED  no single failure partitions a flow (location amsterdam "
                       "partitions 1 flow)"))
      << text;
  EXPECT_TRUE(has_line(text,
                       "  met     no single failure costs a flow more than 10m (worst "
                       "599.100s (location amsterdam, amsterdam-dc -> hub))"))
      << text;
  EXPECT_TRUE(text.ends_with("\n1 of 2 expectations failed.\n")) << text;
}

TEST(SweepText, AllMetSaysSo) {
  SweepResult r = sample();
  r.verdicts[0].met = true;
  EXPECT_TRUE(sweep_text(r).ends_with("\nAll 2 expectations met.\n"));
}

TEST(SweepText, NothingHurtSaysSo) {
  SweepResult r = sample();
  for (SetResult& s : r.sets) {
    s.flows.clear();
  }
  const std::string text = sweep_text(r);
  EXPECT_TRUE(has_line(text, "No failure set hurt any flow.")) << text;
  EXPECT_EQ(text.find("Worst failure sets"), std::string::npos);
  EXPECT_EQ(text.find("Flows partitioned by"), std::string::npos);
}

TEST(SweepText, SeveralRunsCountTheRunsOfEachFate) {
  SweepResult r = sample();
  r.options.runs = 3;
  r.sets[2].flows[0].partitioned_runs = 2;
  r.sets[2].flows[0].lost_runs = 1;
  const std::string text = sweep_text(r);
  EXPECT_NE(text.find("amsterdam-dc -> hub  partitioned 2/3, lost 1/3  worst 599.100s"),
            std::string::npos)
      << text;
}

TEST(SweepText, ColourMarksPartitionsAndFailures) {
  const std::string plain = sweep_text(result());
  const std::string painted = sweep_text(result(), {.color = true});
  EXPECT_EQ(plain.find('\x1b'), std::string::npos);
  EXPECT_NE(painted.find("\x1b[1;31m2 partitioned\x1b[0m"), std::string::npos) << painted;
  EXPECT_NE(painted.find("\x1b[1;31mFAILED\x1b[0m"), std::string::npos) << painted;
}

// --- JSON. ---

TEST(SweepJson, TopLevelFieldsInOrder) {
  const nlohmann::ordered_json j = sweep_json(result());
  std::vector<std::string> keys;
  for (const auto& item : j.items()) {
    keys.push_back(item.key());
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"schema", "options", "elements", "flows", "sets",
                                            "pairs", "resiliency", "capacity", "expectations",
                                            "all_met", "engine_events"}));
  EXPECT_TRUE(j["capacity"].is_null());  // no flow has a rate
  EXPECT_EQ(j["schema"], "ersim.sweep/1");
  EXPECT_EQ(j["all_met"], false);
  EXPECT_EQ(j["engine_events"], 12345);
}

std::string written_json(const SweepResult& r, unsigned threads = 1) {
  std::FILE* file = std::tmpfile();
  EXPECT_NE(file, nullptr);
  write_sweep_json(file, r, threads);
  std::string text(static_cast<std::size_t>(std::ftell(file)), '\0');
  std::rewind(file);
  EXPECT_EQ(std::fread(text.data(), 1, text.size(), file), text.size());
  EXPECT_EQ(std::fclose(file), 0);
  return text;
}

TEST(SweepJson, WrittenASetAtATimeIsTheDocument) {
  EXPECT_EQ(written_json(result()), sweep_json(result()).dump(2) + "\n");
  SweepResult none = result();
  none.sets.clear();
  EXPECT_EQ(written_json(none), sweep_json(none).dump(2) + "\n");
  SweepResult one = result();
  one.sets.resize(1);
  EXPECT_EQ(written_json(one), sweep_json(one).dump(2) + "\n");
}

// Several batches, each made by several threads (more than sets, in the small document): the
// same bytes as one thread writes.
TEST(SweepJson, WrittenOnSeveralThreadsIsTheSameDocument) {
  SweepResult many = result();
  const std::vector<SetResult> sets = many.sets;
  while (many.sets.size() < 2 * kSweepJsonBatch + 3) {
    many.sets.insert(many.sets.end(), sets.begin(), sets.end());
  }
  const std::string expected = sweep_json(many).dump(2) + "\n";
  EXPECT_EQ(written_json(many, 2), expected);
  EXPECT_EQ(written_json(many, 3), expected);
  EXPECT_EQ(written_json(result(), 64), sweep_json(result()).dump(2) + "\n");
}

TEST(SweepJson, OptionsCarryTheHorizonBothWays) {
  const nlohmann::ordered_json o = sweep_json(result())["options"];
  EXPECT_EQ(o["k"], 2);
  EXPECT_EQ(o["seed"], 7);
  EXPECT_TRUE(o["mode"].is_null());
  EXPECT_EQ(o["horizon_ns"], 600'000'000'000);
  EXPECT_TRUE(o["horizon_ns"].is_number_integer());
  EXPECT_DOUBLE_EQ(o["horizon_s"].get<double>(), 600.0);
}

TEST(SweepJson, ElementsWithKindLocationsAndDependents) {
  const nlohmann::ordered_json e = sweep_json(result())["elements"];
  ASSERT_EQ(e.size(), 4U);
  EXPECT_EQ(e[2].dump(),
            R"({"kind":"location","name":"amsterdam","locations":["amsterdam"],"dependents":2})");
  EXPECT_EQ(e[3]["name"], "lon<1>");
  EXPECT_EQ(e[3]["dependents"], 1);
}

TEST(SweepJson, SetsByIndexWithFatesAndOutages) {
  const nlohmann::ordered_json j = sweep_json(result());
  EXPECT_EQ(j["flows"][1]["name"], "london-dc -> hub");
  ASSERT_EQ(j["sets"].size(), 6U);
  const nlohmann::ordered_json& pair = j["sets"][4];
  EXPECT_EQ(pair["elements"], nlohmann::ordered_json::array({0, 3}));
  EXPECT_EQ(pair["partitioned"], 2);
  EXPECT_EQ(pair["worst_outage_ns"], 599'000'000'000);
  EXPECT_EQ(j["sets"][1]["flows"], nlohmann::ordered_json::array());
  const nlohmann::ordered_json& hit = j["sets"][2]["flows"][1];
  EXPECT_EQ(hit.dump(),
            R"({"flow":1,"fate":"lost","lost_runs":1,"partitioned_runs":0,)"
            R"("worst_outage_ns":45000000000,"worst_outage_s":45.0,)"
            R"("mean_outage_ns":45000000000,"mean_outage_s":45.0,"detection":"hold timer"})");
  EXPECT_EQ(j["sets"][2]["flows"][0]["fate"], "partitioned");
  EXPECT_DOUBLE_EQ(j["sets"][0]["flows"][0]["worst_outage_s"].get<double>(), 0.812);
}

TEST(SweepJson, PairsResiliencyAndExpectations) {
  const nlohmann::ordered_json j = sweep_json(result());
  EXPECT_EQ(j["pairs"].dump(), R"({"raw":6,"no_effect":2,"composed":2,"simulated":2})");
  EXPECT_EQ(j["resiliency"]["index"], 72.5);
  EXPECT_EQ(j["resiliency"]["model"], "maximum");
  EXPECT_EQ(j["resiliency"]["components"][3].dump(),
            R"({"name":"validation","points":12.5,"max":20.0,)"
            R"("explanation":"2 of 4 single failures lose a flow"})");
  EXPECT_EQ(j["expectations"][0].dump(),
            R"({"text":"no single failure partitions a flow","met":false,)"
            R"("detail":"location amsterdam partitions 1 flow"})");
  EXPECT_EQ(j["expectations"][1]["met"], true);
}

// The document test/lint/check_schema.py validates against docs/sweep.schema.json: the sample
// with every option given, so the schema meets each field's non-default form.
// sample() with rated flows: a circuit at 60 % before any failure, and the location's loss
// overloading the other circuit and its link.
SweepResult with_loads() {
  SweepResult r = sample();
  r.rates = {300'000'000, 700'000'000};
  const reach::Channel ams{reach::Channel::Kind::Circuit, 0, true};
  const reach::Channel lon{reach::Channel::Kind::Circuit, 1, true};
  const reach::Channel lon_link{reach::Channel::Kind::Link, 3, true};
  r.channels = {{ams, {"er-ams", "to Microsoft"}},
                {lon, {"er-lon", "to Microsoft"}},
                {lon_link, {"er-lon.primary", "lon-ce1 -> lon-msee1"}}};
  r.capacity.peaks = {{ams, 1'000'000'000, 600'000'000, kTimeZero}};
  const SimTime moved = kTimeZero + 700ms;
  r.sets[2].busiest = reach::ChannelPeak{lon, 500'000'000, 1'000'000'000, moved};
  r.sets[2].overloads = {
      {lon, 500'000'000, 1'000'000'000, moved, kTimeZero + 10min, true, moved, {1, 0}},
      {lon_link, 500'000'000, 1'000'000'000, moved, kTimeZero + 10min, true, moved, {1, 0}}};
  r.sets[3].busiest = reach::ChannelPeak{lon, 500'000'000, 300'000'000, kTimeZero};
  return r;
}

TEST(SweepText, CapacityListsTheBusiestSetsAndTheirOverloads) {
  const std::string text = sweep_text(with_loads());
  const std::size_t at = text.find("\nCapacity\n");
  ASSERT_NE(at, std::string::npos) << text;
  const std::string section = text.substr(at);
  EXPECT_NE(section.find("before any failure, the busiest: circuit er-ams to Microsoft: 600Mbps "
                         "of 1Gbps (60%) at 0.000s"),
            std::string::npos)
      << section;
  // The location first (200 %), then lon<1> (60 %).
  const std::size_t location = section.find(
      "location amsterdam  circuit er-lon to Microsoft: "
      "1Gbps of 500Mbps (200%) at 0.700s");
  const std::size_t link = section.find("link lon<1>");
  EXPECT_NE(location, std::string::npos) << section;
  EXPECT_LT(location, link);
  EXPECT_NE(section.find("1 failure set overload a link or circuit"), std::string::npos);
  EXPECT_NE(section.find("link er-lon.primary lon-ce1 -> lon-msee1: 1Gbps of 500Mbps (200%) "
                         "from 0.700s until the end at 600.000s, 500Mbps dropped"),
            std::string::npos)
      << section;
  EXPECT_NE(section.find("flows: london-dc -> hub 700Mbps, amsterdam-dc -> hub 300Mbps"),
            std::string::npos)
      << section;
  // Without rates, no such section.
  EXPECT_EQ(sweep_text(sample()).find("\nCapacity\n"), std::string::npos);
}

TEST(SweepHtml, CapacitySectionHasABarPerSet) {
  const std::string html = sweep_html(with_loads(), "loads");
  const std::size_t at = html.find("<section id=\"capacity\">");
  ASSERT_NE(at, std::string::npos);
  EXPECT_NE(html.find("aria-label=\"200%\"", at), std::string::npos);
  EXPECT_NE(html.find("500Mbps dropped", at), std::string::npos);
  EXPECT_EQ(sweep_html(sample(), "no loads").find("id=\"capacity\""), std::string::npos);
}

TEST(SweepJson, DocumentWritesForSchema) {
  SweepResult r = with_loads();
  r.options.only = {ElementKind::Link, ElementKind::Location};
  r.options.exclude = {"link:er-lon.primary", "metro"};
  r.options.mode = topo::FailureMode::Silent;
  r.options.runs = 3;
  r.sets[0].flows[0].lost_runs = 3;
  r.sets[0].flows[0].mean_outage = 1ns;
  r.sets[2].storm = {4, 30, 44, 52, 903ms, 1204ms};
  const nlohmann::ordered_json j = sweep_json(r);
  EXPECT_EQ(j["options"]["mode"], "silent");
  EXPECT_EQ(j["options"]["only"], nlohmann::ordered_json::array({"link", "location"}));
  EXPECT_EQ(j["flows"][1]["rate_bps"], 700'000'000);
  EXPECT_EQ(j["capacity"]["sets_overloading"], 1);
  EXPECT_EQ(j["sets"][2]["overloads"][1]["excess_bps"], 500'000'000);
  EXPECT_EQ(j["sets"][2]["overloads"][1]["flows"][0]["name"], "london-dc -> hub");
  EXPECT_TRUE(j["sets"][0]["busiest"].is_null());
  if (const char* path = std::getenv("ERSIM_SWEEP_JSON_OUT"); path != nullptr) {
    std::ofstream out(path, std::ios::binary);
    out << j.dump(2) << '\n';
    out.close();
    ASSERT_TRUE(out.good()) << path;
  }
}

// --- HTML. ---

std::string cell(std::size_t set, std::size_t flow) {
  return R"(<rect class="cell" data-set=")" + std::to_string(set) + R"(" data-flow=")" +
         std::to_string(flow) + "\"";
}

/// The fill and tooltip of a heatmap cell, or "" when it is not drawn.
std::pair<std::string, std::string> cell_fill_and_title(const std::string& html, std::size_t set,
                                                        std::size_t flow) {
  const std::size_t at = html.find(cell(set, flow));
  if (at == std::string::npos) {
    return {};
  }
  const std::string rect = html.substr(at, html.find("</rect>", at) - at);
  const std::size_t fill = rect.find("fill=\"") + 6;
  const std::size_t title = rect.find("<title>") + 7;
  return {rect.substr(fill, rect.find('"', fill) - fill),
          rect.substr(title, rect.find("</title>") - title)};
}

TEST(SweepHtml, PageFetchesNothing) {
  const std::string html = sweep_html(result(), "sweep of maximum.yaml");
  EXPECT_TRUE(fetches_nothing(html));
  EXPECT_NE(html.find("<title>sweep of maximum.yaml: ersim sweep</title>"), std::string::npos);
}

TEST(SweepHtml, HeatmapCellsColouredByFateAndWorstOutage) {
  const std::string html = sweep_html(result(), "sweep");
  // Five sets hurt a flow, two flows each; the clean set is not drawn.
  EXPECT_EQ(count(html, "<rect class=\"cell\""), 10U);
  EXPECT_EQ(html.find(cell(1, 0)), std::string::npos);
  EXPECT_NE(html.find("1 failure set that hurt no flow is not drawn."), std::string::npos);

  const auto [partitioned_fill, partitioned_title] = cell_fill_and_title(html, 4, 0);
  EXPECT_EQ(partitioned_fill, outage_colour(Fate::Partitioned, 599s));
  EXPECT_EQ(partitioned_title,
            "link er-ams.primary + link lon&lt;1&gt;\namsterdam-dc -&gt; hub: partitioned, worst "
            "599.000s, mean 599.000s, detection BFD");
  const auto [never_fill, never_title] = cell_fill_and_title(html, 0, 1);
  EXPECT_EQ(never_fill, outage_colour(Fate::NeverLost, {}));
  EXPECT_EQ(never_title, "link er-ams.primary\nlondon-dc -&gt; hub: never lost");
  EXPECT_EQ(cell_fill_and_title(html, 0, 0).first, outage_colour(Fate::Lost, 812ms));
  EXPECT_EQ(cell_fill_and_title(html, 3, 1).first, outage_colour(Fate::Lost, 3s));
  EXPECT_EQ(cell_fill_and_title(html, 2, 1).first, outage_colour(Fate::Lost, 45s));
  // Rows worst first: the pair's row stands above the location's.
  EXPECT_LT(html.find(cell(4, 0)), html.find(cell(2, 0)));
  EXPECT_LT(html.find(cell(2, 0)), html.find(cell(0, 0)));
}

TEST(SweepHtml, OutageColoursAreDistinctBands) {
  EXPECT_EQ(outage_colour(Fate::Lost, 999ms), outage_colour(Fate::Lost, 1ms));
  EXPECT_NE(outage_colour(Fate::Lost, 999ms), outage_colour(Fate::Lost, 1s));
  EXPECT_NE(outage_colour(Fate::Lost, 9s), outage_colour(Fate::Lost, 10s));
  EXPECT_NE(outage_colour(Fate::Lost, 59s), outage_colour(Fate::Lost, 60s));
  EXPECT_NE(outage_colour(Fate::Lost, 179s), outage_colour(Fate::Lost, 180s));
  EXPECT_EQ(outage_colour(Fate::Lost, 180s), outage_colour(Fate::Lost, 10min));
  // A partition is not the longest loss: it has a colour of its own.
  EXPECT_NE(outage_colour(Fate::Partitioned, 10min), outage_colour(Fate::Lost, 10min));
  EXPECT_NE(outage_colour(Fate::NeverLost, {}), outage_colour(Fate::Lost, 1ms));
}

TEST(SweepHtml, LegendShowsEveryColour) {
  const std::string html = sweep_html(result(), "sweep");
  const std::string legend = html.substr(html.find("<ul class=\"legend\">"));
  for (const Duration d : std::vector<Duration>{1ms, 1s, 10s, 60s, 180s}) {
    EXPECT_NE(legend.find(std::string("background:") + std::string(outage_colour(Fate::Lost, d))),
              std::string::npos);
  }
  EXPECT_NE(
      legend.find(std::string("background:") + std::string(outage_colour(Fate::Partitioned, 1s)) +
                  "\"></span>partitioned"),
      std::string::npos);
}

TEST(SweepHtml, NamesAreEscaped) {
  const std::string html = sweep_html(result(), "sweep <of> \"maximum\" & co");
  EXPECT_NE(html.find("<h1>sweep &lt;of&gt; &quot;maximum&quot; &amp; co</h1>"), std::string::npos);
  EXPECT_NE(html.find("link lon&lt;1&gt;"), std::string::npos);
  EXPECT_EQ(html.find("lon<1>"), std::string::npos);
  EXPECT_EQ(html.find("<of>"), std::string::npos);
}

TEST(SweepHtml, IndexWorstTableCriticalityAndVerdicts) {
  const std::string html = sweep_html(result(), "sweep");
  EXPECT_NE(html.find("<span class=\"score\">72.5</span><span class=\"of\">/100</span>model "
                      "Maximum"),
            std::string::npos);
  EXPECT_NE(html.find("<td>route diversity</td><td class=\"num\">30.0/40</td>"), std::string::npos);
  EXPECT_NE(html.find("<tr data-set=\"4\"><td class=\"num\">1</td><td>link er-ams.primary + "
                      "link lon&lt;1&gt;</td><td class=\"num\">2</td>"),
            std::string::npos);
  EXPECT_LT(html.find("<tr data-element=\"1\">"), html.find("<tr data-element=\"0\">"));
  EXPECT_NE(html.find("<p class=\"verdict failed\">1 of 2 expectations failed</p>"),
            std::string::npos);
  EXPECT_NE(html.find("<dt>Pairs</dt><dd>6 raw, 4 pruned (no effect 2, composed 2), 2 "
                      "simulated</dd>"),
            std::string::npos);
}

TEST(SweepHtml, HeatmapKeepsTheWorstRowsAndSaysHowManyAreLeftOut) {
  SweepResult r = sample();
  r.sets.clear();
  constexpr std::size_t kSets = kSweepHtmlMaxRows + 50;
  for (std::size_t i = 0; i < kSets; ++i) {
    // Longer outages later, so the worst are the last sets.
    r.sets.push_back(set({0}, {lost(0, std::chrono::seconds(i + 1), "BFD")}));
  }
  const std::string html = sweep_html(r, "many");
  EXPECT_EQ(count(html, "<rect class=\"cell\""), kSweepHtmlMaxRows * r.flows.size());
  EXPECT_NE(html.find(cell(kSets - 1, 0)), std::string::npos);
  EXPECT_EQ(html.find(cell(49, 0)), std::string::npos);
  EXPECT_NE(html.find("The worst 200 failure sets are drawn; 50 more that hurt a flow are left "
                      "out."),
            std::string::npos);
}

TEST(SweepHtml, NothingHurtDrawsNoHeatmap) {
  SweepResult r = sample();
  for (SetResult& s : r.sets) {
    s.flows.clear();
  }
  const std::string html = sweep_html(r, "clean");
  EXPECT_EQ(html.find("<svg class=\"heatmap\""), std::string::npos);
  EXPECT_NE(html.find("No failure set hurt any flow."), std::string::npos);
}

TEST(SweepHtml, SameResultGivesSameBytes) {
  EXPECT_EQ(sweep_html(result(), "sweep"), sweep_html(sample(), "sweep"));
}

// The page test/html/render_test.sh opens in a headless browser.
TEST(SweepHtml, PageWritesForBrowser) {
  const std::string html = sweep_html(result(), "sweep of maximum.yaml");
  ASSERT_NE(html.find("<svg class=\"heatmap\""), std::string::npos);
  if (const char* path = std::getenv("ERSIM_SWEEP_HTML_OUT"); path != nullptr) {
    std::ofstream out(path, std::ios::binary);
    out << html;
    out.close();
    ASSERT_TRUE(out.good()) << path;
  }
}

}  // namespace
}  // namespace ersim::report
