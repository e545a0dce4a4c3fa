// The sweep block of a scenario file: each key read into SweepOptions or an expectation, each
// kind of mistake reported at its line and column, and a scenario with a sweep block still a
// scenario.
#include "sim/io/sweep_yaml.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "sim/io/scenario_yaml.hpp"
#include "sim/io/topology_yaml.hpp"
#include "test/sim/io/position_of.hpp"

namespace ersim::io {
namespace {

using testing::position_of;

using namespace std::chrono_literals;
using sweep::ElementKind;
using sweep::SweepExpectationKind;

std::optional<SweepFile> read(const std::string& yaml) {
  return read_sweep(load_yaml_string("s.yaml", yaml));
}

// Reads "name: t\nsweep:\n" + `block` and expects `message` at the position of `where`.
void expect_error(const std::string& block, const std::string& where, const std::string& message) {
  const std::string yaml = "name: t\nsweep:\n" + block;
  try {
    read(yaml);
    ADD_FAILURE() << "no error; expected: " << message;
  } catch (const ConfigError& e) {
    const auto [line, column] = position_of(yaml, where);
    EXPECT_EQ(e.message(), message);
    EXPECT_EQ(e.file(), "s.yaml");
    EXPECT_EQ(e.line(), line) << e.what();
    EXPECT_EQ(e.column(), column) << e.what();
  }
}

constexpr std::string_view kFullBlock = R"(name: t
sweep:
  k: 2
  only: [link, router, location]
  exclude: [provider, "link:er-ams.primary"]
  mode: silent
  runs: 5
  seed: 7
  horizon: 5m
  expect:
    - no_single_partition
    - single_outage: 1s
    - no_cross_location_pair_partition
)";

TEST(SweepYaml, FullBlockIsRead) {
  const auto f = read(std::string(kFullBlock));
  ASSERT_TRUE(f.has_value());
  const sweep::SweepOptions& o = f->options;
  EXPECT_EQ(o.k, 2U);
  EXPECT_EQ(o.only, (std::vector<ElementKind>{ElementKind::Link, ElementKind::Router,
                                              ElementKind::Location}));
  EXPECT_EQ(o.exclude, (std::vector<std::string>{"provider", "link:er-ams.primary"}));
  EXPECT_EQ(o.mode, topo::FailureMode::Silent);
  EXPECT_EQ(o.runs, 5U);
  EXPECT_EQ(o.seed, 7U);
  EXPECT_EQ(o.horizon, 5min);
  ASSERT_EQ(f->expectations.size(), 3U);
  EXPECT_EQ(f->expectations[0].kind, SweepExpectationKind::NoSinglePartition);
  EXPECT_EQ(f->expectations[0].text, "no single failure partitions any flow");
  EXPECT_EQ(f->expectations[1].kind, SweepExpectationKind::SingleOutageAtMost);
  EXPECT_EQ(f->expectations[1].bound, 1s);
  EXPECT_EQ(f->expectations[1].text, "no single failure costs a flow more than 1s");
  EXPECT_EQ(f->expectations[2].kind, SweepExpectationKind::NoCrossLocationPairPartition);
  EXPECT_EQ(f->expectations[2].text,
            "no pair of failures in different peering locations partitions a flow");
}

TEST(SweepYaml, EmptyBlockTakesTheDefaults) {
  const auto f = read("name: t\nsweep: {}\n");
  ASSERT_TRUE(f.has_value());
  const sweep::SweepOptions defaults;
  EXPECT_EQ(f->options.k, 1U);
  EXPECT_TRUE(f->options.only.empty());
  EXPECT_TRUE(f->options.exclude.empty());
  EXPECT_FALSE(f->options.mode.has_value());
  EXPECT_EQ(f->options.runs, 1U);
  EXPECT_EQ(f->options.seed, 1U);
  EXPECT_EQ(f->options.horizon, defaults.horizon);
  EXPECT_TRUE(f->expectations.empty());
}

TEST(SweepYaml, NoBlockIsNoSweep) { EXPECT_FALSE(read("name: t\nruns: 3\n").has_value()); }

TEST(SweepYaml, EachElementKindWordIsAccepted) {
  const auto f = read("sweep:\n  only: [link, router, gateway, location, metro, provider, srlg]\n");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->options.only.size(), 7U);
  EXPECT_EQ(f->options.only.back(), ElementKind::Group);
}

TEST(SweepYaml, UnknownKeySuggestsTheClosest) {
  expect_error("  horizn: 5m\n", "horizn",
               "unknown key 'horizn' in sweep (did you mean 'horizon'?)");
}

TEST(SweepYaml, KOutOfRange) {
  expect_error("  k: 3\n", "3", "k 3 is out of range 1..2");
  expect_error("  k: 0\n", "0", "k 0 is out of range 1..2");
}

TEST(SweepYaml, UnknownElementKindSuggestsTheClosest) {
  expect_error("  only: [link, routr]\n", "routr",
               "unknown element kind 'routr' (did you mean "
               "'router'?)");
  expect_error("  only: [circuit]\n", "circuit",
               "unknown element kind 'circuit' (expected one of: link, router, gateway, location, "
               "metro, provider, srlg)");
}

TEST(SweepYaml, ElementKindListedTwice) {
  expect_error("  only: [link, router, link]\n", "link]",
               "element kind 'link' is listed twice in only");
}

TEST(SweepYaml, OnlyMustNameAKind) {
  expect_error("  only: []\n", "[]",
               "only must name at least one element kind (leave it out to sweep every kind)");
}

TEST(SweepYaml, OnlyMustBeAList) {
  expect_error("  only: link\n", "link", "expected a list for only, found 'link'");
}

TEST(SweepYaml, EmptyExcludeEntry) {
  expect_error("  exclude: [link, \"\"]\n", "\"\"", "an exclude entry must not be empty");
}

TEST(SweepYaml, UnknownMode) {
  expect_error("  mode: quiet\n", "quiet",
               "unknown mode 'quiet' (expected one of: carrier, silent)");
}

TEST(SweepYaml, RunsOutOfRange) {
  expect_error("  runs: 10001\n", "10001", "runs 10001 is out of range 1..10000");
}

TEST(SweepYaml, DurationWithoutUnit) {
  expect_error("  horizon: 600\n", "600", "duration '600' has no unit (use ns, us, ms, s, m or h)");
  expect_error("  expect:\n    - single_outage: 1\n", "1\n",
               "duration '1' has no unit (use ns, us, ms, s, m or h)");
}

TEST(SweepYaml, HorizonMustBePositive) {
  expect_error("  horizon: 0s\n", "0s", "horizon must be positive");
}

TEST(SweepYaml, NegativeOutageBound) {
  expect_error("  expect:\n    - single_outage: -1s\n", "-1s",
               "single_outage must not be negative");
}

TEST(SweepYaml, UnknownExpectationSuggestsTheClosest) {
  expect_error("  expect:\n    - no-single-partition\n", "no-single",
               "unknown sweep expectation 'no-single-partition' (did you mean "
               "'no_single_partition'?)");
  expect_error("  expect:\n    - everything_fine\n", "everything",
               "unknown sweep expectation 'everything_fine' (expected one of: "
               "no_single_partition, single_outage: DURATION, no_cross_location_pair_partition, "
               "single_utilization: PERCENT)");
}

TEST(SweepYaml, SingleOutageWithoutBound) {
  expect_error("  expect:\n    - single_outage\n", "single_outage",
               "single_outage needs a bound: write 'single_outage: 1s'");
}

TEST(SweepYaml, UtilizationBoundIsRead) {
  const std::optional<SweepFile> f =
      read("name: t\nsweep:\n  expect:\n    - single_utilization: 80%\n");
  ASSERT_TRUE(f.has_value());
  ASSERT_EQ(f->expectations.size(), 1U);
  EXPECT_EQ(f->expectations[0].kind, SweepExpectationKind::SingleUtilizationAtMost);
  EXPECT_DOUBLE_EQ(f->expectations[0].utilization, 0.8);
}

TEST(SweepYaml, UtilizationBoundMustBeAPercentage) {
  expect_error("  expect:\n    - single_utilization\n", "single_utilization",
               "single_utilization needs a bound: write 'single_utilization: 80%'");
  expect_error("  expect:\n    - single_utilization: 0.8\n", "0.8",
               "single_utilization '0.8' is not a percentage (write 80%)");
  expect_error("  expect:\n    - single_utilization: 0%\n", "0%",
               "single_utilization 0% is out of range (above 0%, at most 1000%)");
  expect_error("  expect:\n    - {single_utilization: 80%, single_outage: 1s}\n", "{single",
               "sweep expectation has both 'single_outage' and 'single_utilization': write one "
               "for each");
}

TEST(SweepYaml, BoundlessExpectationWithAValue) {
  expect_error("  expect:\n    - no_single_partition: true\n", "no_single",
               "no_single_partition takes no value: write it alone, '- no_single_partition'");
}

TEST(SweepYaml, MisspeltSingleOutageKey) {
  expect_error("  expect:\n    - single_outge: 1s\n", "single_outge",
               "unknown key 'single_outge' in sweep expectation (did you mean "
               "'single_outage'?)");
}

TEST(SweepYaml, ExpectationThatIsAList) {
  expect_error("  expect:\n    - [no_single_partition]\n", "[no",
               "expected a mapping for sweep expectation, found a list");
}

TEST(SweepYaml, BlockMustBeAMapping) {
  expect_error("  - k: 2\n", "- k", "expected a mapping for sweep, found a list");
}

TEST(SweepYaml, ScenarioWithASweepBlockIsStillAScenario) {
  const topo::Topology topology = load_topology(ERSIM_SOURCE_DIR "/topologies/maximum.yaml");
  const YamlFile file = load_yaml_string("s.yaml", std::string(kFullBlock));
  const scenario::Scenario s = read_scenario(file, topology);
  EXPECT_EQ(s.name, "t");
  EXPECT_FALSE(s.flows.empty());
  // The scenario reader leaves the block alone, mistakes and all: they are read_sweep's.
  const YamlFile bad = load_yaml_string("s.yaml", "name: t\nsweep: {k: 3}\n");
  EXPECT_EQ(read_scenario(bad, topology).name, "t");
  EXPECT_THROW(read_sweep(bad), ConfigError);
}

}  // namespace
}  // namespace ersim::io
