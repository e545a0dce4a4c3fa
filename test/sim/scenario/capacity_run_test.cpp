// Traffic and capacity on the Maximum design (scenarios/sweep-capacity-maximum.yaml): with the
// backup circuit sized for the traffic, losing the Amsterdam location overloads nothing, in a
// run and in a sweep; with the backup circuit smaller than the traffic it moves onto, both find
// the overload, on the circuit and its link, with the flows that cause it.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include "sim/io/scenario_yaml.hpp"
#include "sim/io/sweep_yaml.hpp"
#include "sim/io/topology_yaml.hpp"
#include "sim/reach/capacity.hpp"
#include "sim/scenario/runner.hpp"
#include "sim/sweep/failure_sets.hpp"
#include "sim/sweep/sweep_runner.hpp"
#include "sim/topo/expand.hpp"

namespace ersim::scenario {
namespace {

using namespace std::chrono_literals;

std::string root() { return ERSIM_SOURCE_DIR; }

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// maximum.yaml with London's circuit (the backup once Amsterdam is lost) of this bandwidth.
topo::Topology maximum_with_london(const std::string& bandwidth) {
  std::string text = read(root() + "/topologies/maximum.yaml");
  const std::size_t circuit = text.find("name: er-lon");
  const std::string old = "bandwidth: 1Gbps";
  const std::size_t at = text.find(old, circuit);
  EXPECT_NE(at, std::string::npos);
  text.replace(at, old.size(), "bandwidth: " + bandwidth);
  return topo::expand(io::read_design(io::load_yaml_string("maximum.yaml", text)));
}

std::string scenario_path() { return root() + "/scenarios/sweep-capacity-maximum.yaml"; }

Scenario scenario(const topo::Topology& t) {
  return io::read_scenario(io::load_yaml_file(scenario_path()), t);
}

reach::Channel circuit_toward_microsoft(const topo::Topology& t, const char* name) {
  return {reach::Channel::Kind::Circuit, t.circuit_id(name)->value, true};
}

sweep::SweepResult sweep_of(const topo::Topology& t) {
  const io::YamlFile file = io::load_yaml_file(scenario_path());
  const std::optional<io::SweepFile> block = io::read_sweep(file);
  EXPECT_TRUE(block.has_value());
  sweep::SweepPlan plan;
  plan.base = io::read_scenario(file, t);
  plan.options = block->options;
  plan.elements = sweep::sweep_elements(t, plan.options);
  plan.expectations = block->expectations;
  return sweep::run_sweep(t, plan);
}

const sweep::SetResult& set_named(const sweep::SweepResult& r, const std::string& label) {
  const auto it = std::find_if(r.sets.begin(), r.sets.end(), [&](const sweep::SetResult& s) {
    return s.set.elements.size() == 1 && r.elements[s.set.elements[0]].label() == label;
  });
  EXPECT_NE(it, r.sets.end()) << label;
  return *it;
}

TEST(CapacityRun, ABackupSizedRightCarriesTheTrafficAfterTheLocationFails) {
  const topo::Topology t = maximum_with_london("1Gbps");
  const ScenarioResult r = run_scenario(t, scenario(t));
  EXPECT_TRUE(r.all_met()) << r.expectations[0].detail;
  const reach::LoadReport& loads = r.runs[0].capacity;
  EXPECT_TRUE(loads.overloads.empty());
  // er-lon carries all 600 Mbps toward Microsoft once Amsterdam is gone, 60 % of it.
  const auto lon = std::find_if(loads.peaks.begin(), loads.peaks.end(), [&](const auto& p) {
    return p.channel == circuit_toward_microsoft(t, "er-lon");
  });
  ASSERT_NE(lon, loads.peaks.end());
  EXPECT_EQ(lon->peak_bps, 600'000'000U);
  EXPECT_GT(lon->at, kTimeZero + 10s);
  EXPECT_DOUBLE_EQ(loads.peak_utilization(), 0.6);
}

TEST(CapacityRun, ABackupSmallerThanTheTrafficIsOverloadedAfterTheLocationFails) {
  const topo::Topology t = maximum_with_london("500Mbps");
  const ScenarioResult r = run_scenario(t, scenario(t));
  EXPECT_FALSE(r.expectations[0].met);
  EXPECT_NE(r.expectations[0].detail.find("peak 120%"), std::string::npos)
      << r.expectations[0].detail;
  const reach::LoadReport& loads = r.runs[0].capacity;
  const auto overload = std::find_if(
      loads.overloads.begin(), loads.overloads.end(),
      [&](const auto& o) { return o.channel == circuit_toward_microsoft(t, "er-lon"); });
  ASSERT_NE(overload, loads.overloads.end());
  EXPECT_GT(overload->start, kTimeZero + 10s);  // after detection, when the traffic moved
  EXPECT_LT(overload->start, kTimeZero + 11s);
  EXPECT_TRUE(overload->open);
  EXPECT_EQ(overload->peak_bps, 600'000'000U);
  EXPECT_EQ(overload->excess_bps(), 100'000'000U);
  EXPECT_EQ(overload->flows, (std::vector<std::uint32_t>{0, 1}));  // the sites' flows
  // The link that carries it drops the excess.
  EXPECT_TRUE(std::any_of(loads.overloads.begin(), loads.overloads.end(), [&](const auto& o) {
    return o.channel.kind == reach::Channel::Kind::Link &&
           t.link(topo::LinkId{o.channel.index}).circuit == t.circuit_id("er-lon");
  }));
}

TEST(CapacitySweep, ABackupSizedRightMeetsTheUtilizationBoundAfterEverySingleFailure) {
  const topo::Topology t = maximum_with_london("1Gbps");
  const sweep::SweepResult r = sweep_of(t);
  ASSERT_EQ(r.verdicts.size(), 1U);
  EXPECT_TRUE(r.verdicts[0].met) << r.verdicts[0].detail;
  EXPECT_TRUE(r.capacity.overloads.empty());
  for (const sweep::SetResult& s : r.sets) {
    EXPECT_TRUE(s.overloads.empty());
  }
  const sweep::SetResult& amsterdam = set_named(r, "location amsterdam");
  ASSERT_TRUE(amsterdam.busiest.has_value());
  EXPECT_EQ(amsterdam.busiest->peak_bps, 600'000'000U);
}

TEST(CapacitySweep, ABackupSmallerThanTheTrafficIsOverloadedByTheLocationFailure) {
  const topo::Topology t = maximum_with_london("500Mbps");
  const sweep::SweepResult r = sweep_of(t);
  ASSERT_EQ(r.verdicts.size(), 1U);
  EXPECT_FALSE(r.verdicts[0].met);
  // Losing er-ams's primary link alone does as much: ams-ce1 has no session with ams-ce2, so
  // it sends over the WAN to London rather than to er-ams's secondary. The first of equals is
  // named.
  EXPECT_EQ(r.verdicts[0].detail,
            "peak 120%: link er-lon.primary lon-ce1 -> lon-msee1 after link er-ams.primary (20 "
            "single sets)");
  const sweep::SetResult& amsterdam = set_named(r, "location amsterdam");
  const auto overload = std::find_if(
      amsterdam.overloads.begin(), amsterdam.overloads.end(),
      [&](const auto& o) { return o.channel == circuit_toward_microsoft(t, "er-lon"); });
  ASSERT_NE(overload, amsterdam.overloads.end());
  EXPECT_EQ(overload->excess_bps(), 100'000'000U);
  // A failure inside London moves nothing onto er-lon: no overload there.
  EXPECT_TRUE(set_named(r, "link er-lon.primary").overloads.empty());
}

}  // namespace
}  // namespace ersim::scenario
