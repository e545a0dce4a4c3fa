// The resiliency index on the example designs, and its validation component from hand-made
// failure set results.
#include "sim/sweep/resiliency.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "sim/io/topology_yaml.hpp"

namespace ersim::sweep {
namespace {

using namespace std::chrono_literals;
using topo::ResiliencyModel;

topo::Topology example(const std::string& name) {
  return io::load_topology(std::string(ERSIM_SOURCE_DIR) + "/topologies/" + name);
}

const IndexComponent& component(const Resiliency& r, const std::string& name) {
  for (const IndexComponent& c : r.components) {
    if (c.name == name) {
      return c;
    }
  }
  ADD_FAILURE() << "no component " << name;
  return r.components.front();
}

// 15 less 5 per error and 1 per warning, down to 0.
double advisory_points(const topo::ChecklistReport& checklist) {
  const auto errors = static_cast<double>(checklist.count(topo::Severity::Error));
  const auto warnings = static_cast<double>(checklist.count(topo::Severity::Warning));
  return std::max(0.0, 15 - 5 * errors - warnings);
}

bool mentions(const IndexComponent& c, const std::string& text) {
  return c.explanation.find(text) != std::string::npos;
}

// A set of one element whose flows fared as given: partitioned flows, then lost ones.
SetResult single(std::uint32_t element, std::uint32_t partitioned, std::uint32_t lost) {
  SetResult r{{{element}}, {}, {}, 0, {}, {}, {}};
  std::uint32_t flow = 0;
  for (std::uint32_t i = 0; i < partitioned; ++i) {
    r.flows.push_back({flow++, 0, 1, 10min, 10min, "hold timer"});
  }
  for (std::uint32_t i = 0; i < lost; ++i) {
    r.flows.push_back({flow++, 1, 0, 900ms, 900ms, "BFD"});
  }
  return r;
}

TEST(ResiliencyIndex, ComponentsInOrderWithTheirMaxima) {
  const topo::Topology t = example("maximum.yaml");
  const Resiliency r = resiliency_index(t, topo::run_checklist(t), {}, 0);
  ASSERT_EQ(r.components.size(), 4U);
  EXPECT_EQ(r.components[0].name, "route diversity");
  EXPECT_EQ(r.components[1].name, "gateway zone redundancy");
  EXPECT_EQ(r.components[2].name, "advisory recommendations");
  EXPECT_EQ(r.components[3].name, "validation");
  double max = 0;
  for (const IndexComponent& c : r.components) {
    max += c.max;
    EXPECT_FALSE(c.explanation.empty()) << c.name;
  }
  EXPECT_DOUBLE_EQ(max, 100);
}

TEST(ResiliencyIndex, MaximumDesignScoresFullRouteDiversity) {
  const topo::Topology t = example("maximum.yaml");
  const topo::ChecklistReport checklist = topo::run_checklist(t);
  const Resiliency r = resiliency_index(t, checklist, {}, 0);
  EXPECT_EQ(r.model, ResiliencyModel::Maximum);
  const IndexComponent& routes = component(r, "route diversity");
  EXPECT_DOUBLE_EQ(routes.points, 50);
  EXPECT_TRUE(mentions(routes, "1 maximum: hub-westeurope (amsterdam, london)"))
      << routes.explanation;
  EXPECT_TRUE(mentions(routes, "ersim's weights")) << routes.explanation;
  const IndexComponent& zones = component(r, "gateway zone redundancy");
  EXPECT_DOUBLE_EQ(zones.points, 15);
  EXPECT_TRUE(mentions(zones, "zone redundant: hub-gw (ErGw2AZ)")) << zones.explanation;
  const IndexComponent& advice = component(r, "advisory recommendations");
  EXPECT_DOUBLE_EQ(advice.points, advisory_points(checklist));
  const IndexComponent& validation = component(r, "validation");
  EXPECT_DOUBLE_EQ(validation.points, 0);
  EXPECT_EQ(validation.explanation, "no failure set was run");
  EXPECT_DOUBLE_EQ(r.index, 50 + 15 + advice.points);
}

TEST(ResiliencyIndex, StandardDesignScoresStandardRouteDiversity) {
  const topo::Topology t = example("standard.yaml");
  const topo::ChecklistReport checklist = topo::run_checklist(t);
  const Resiliency r = resiliency_index(t, checklist, {}, 0);
  EXPECT_EQ(r.model, ResiliencyModel::Standard);
  const IndexComponent& routes = component(r, "route diversity");
  EXPECT_DOUBLE_EQ(routes.points, 15);
  EXPECT_TRUE(mentions(routes, "1 standard: hub (amsterdam)")) << routes.explanation;
  // The checklist warns of the Standard model: the advisory component loses a point for it.
  const IndexComponent& advice = component(r, "advisory recommendations");
  EXPECT_LT(advice.points, 15);
  EXPECT_TRUE(mentions(advice, "resiliency 'hub'")) << advice.explanation;
}

TEST(ResiliencyIndex, FlawedDesignLosesZoneRedundancyAndAdvisoryPoints) {
  const topo::Topology t = example("flawed.yaml");
  const topo::ChecklistReport checklist = topo::run_checklist(t);
  ASSERT_GT(checklist.count(topo::Severity::Error), 0U);
  const Resiliency r = resiliency_index(t, checklist, {}, 0);
  EXPECT_EQ(r.model, ResiliencyModel::Standard);
  const IndexComponent& zones = component(r, "gateway zone redundancy");
  EXPECT_DOUBLE_EQ(zones.points, 0);
  EXPECT_TRUE(mentions(zones, "not zone redundant: app-gw (Standard)")) << zones.explanation;
  const IndexComponent& advice = component(r, "advisory recommendations");
  EXPECT_DOUBLE_EQ(advice.points, advisory_points(checklist));
  // The checklist finds microsoft-public once per session: the explanation names it once.
  EXPECT_TRUE(mentions(advice, "microsoft-public 'er-fra' x4")) << advice.explanation;
  EXPECT_TRUE(mentions(advice, "zone-redundancy 'app'")) << advice.explanation;
}

TEST(ResiliencyIndex, ValidationIsTheShareOfSinglesThatPartitionNothing) {
  const topo::Topology t = example("maximum.yaml");
  const topo::ChecklistReport checklist = topo::run_checklist(t);
  const std::vector<Element> elements{
      {ElementKind::Link, "er-ams.primary", {}, {}, {"amsterdam"}},
      {ElementKind::Link, "er-ams.secondary", {}, {}, {"amsterdam"}},
      {ElementKind::Location, "amsterdam", {}, {}, {"amsterdam"}},
      {ElementKind::Router, "ams-ce1", {}, {}, {}},
  };
  // Two sets lose flows and recover, one partitions two flows, one touches nothing.
  const std::vector<SetResult> singles{single(0, 0, 1), single(1, 0, 2), single(2, 2, 1),
                                       single(3, 0, 0)};
  EXPECT_EQ(singles[2].partitioned(), 2U);
  EXPECT_EQ(singles[2].worst_outage(), 10min);
  const Resiliency r = resiliency_index(t, checklist, singles, 3, elements);
  const IndexComponent& validation = component(r, "validation");
  EXPECT_DOUBLE_EQ(validation.points, 15);
  EXPECT_EQ(validation.explanation,
            "3 of 4 single failures partition none of 3 flows (location amsterdam partitions 2); "
            "x 20 (ersim's weight)");
  const double sum = 50 + 15 + component(r, "advisory recommendations").points + 15;
  EXPECT_NEAR(r.index, sum, 0.05);

  // Without the elements the sets are named by index.
  const Resiliency unnamed = resiliency_index(t, checklist, singles, 3);
  EXPECT_TRUE(mentions(component(unnamed, "validation"), "element #2 partitions 2"));
}

TEST(ResiliencyIndex, ValidationWithoutFlowsScoresNothing) {
  const topo::Topology t = example("maximum.yaml");
  const std::vector<SetResult> singles{single(0, 0, 0)};
  const Resiliency r = resiliency_index(t, topo::run_checklist(t), singles, 0);
  EXPECT_DOUBLE_EQ(component(r, "validation").points, 0);
  EXPECT_EQ(component(r, "validation").explanation, "no flow was watched");
}

TEST(ResiliencyIndex, IndexIsRoundedToOneDecimal) {
  const topo::Topology t = example("maximum.yaml");
  // One clean set of three: 20 / 3 = 6.67 points.
  const std::vector<SetResult> singles{single(0, 1, 0), single(1, 1, 0), single(2, 0, 0)};
  const Resiliency r = resiliency_index(t, topo::run_checklist(t), singles, 1);
  double sum = 0;
  for (const IndexComponent& c : r.components) {
    sum += c.points;
  }
  EXPECT_NEAR(component(r, "validation").points, 20.0 / 3, 1e-9);
  EXPECT_DOUBLE_EQ(r.index, std::round(sum * 10) / 10);
  EXPECT_NE(r.index, sum);
}

}  // namespace
}  // namespace ersim::sweep
