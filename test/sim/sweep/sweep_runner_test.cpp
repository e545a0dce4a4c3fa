// Failure sweeps on the example designs find what an architect expects: the Standard design is
// partitioned by losing its one peering location, the Maximum design survives every single
// failure (BFD-detected ones within a second, gateway reconvergence aside), the flawed design's
// single points of failure are named; and the report does not depend on the thread count.
#include "sim/sweep/sweep_runner.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/io/scenario_yaml.hpp"
#include "sim/io/topology_yaml.hpp"
#include "sim/scenario/runner.hpp"
#include "sim/sweep/failure_sets.hpp"
#include "sim/sweep/sweep_expectations.hpp"

namespace ersim::sweep {
namespace {

using namespace std::chrono_literals;

topo::Topology example(const std::string& name) {
  return io::load_topology(std::string(ERSIM_SOURCE_DIR) + "/topologies/" + name);
}

SweepPlan plan(const topo::Topology& t, const SweepOptions& options = {}) {
  SweepPlan p;
  p.base = io::default_scenario(t, "sweep");
  p.options = options;
  p.elements = sweep_elements(t, options);
  p.expectations = {no_single_partition()};
  return p;
}

// The labels of the single failure sets that partition a flow.
std::set<std::string> partitioning(const SweepResult& r) {
  std::set<std::string> out;
  for (const SetResult& s : r.sets) {
    if (s.set.elements.size() == 1 && s.partitioned() > 0) {
      out.insert(r.elements[s.set.elements[0]].label());
    }
  }
  return out;
}

TEST(SweepRunner, StandardDesignIsPartitionedByItsOnePeeringLocation) {
  const topo::Topology t = example("standard.yaml");
  const SweepResult r = run_sweep(t, plan(t));
  const std::set<std::string> spof = partitioning(r);
  EXPECT_TRUE(spof.contains("location amsterdam")) << fmt::format("{}", fmt::join(spof, ", "));
  ASSERT_EQ(r.verdicts.size(), 1U);
  EXPECT_FALSE(r.verdicts[0].met);
  EXPECT_TRUE(r.unreachable.empty());
}

TEST(SweepRunner, MaximumDesignSurvivesEverySingleFailure) {
  const topo::Topology t = example("maximum.yaml");
  SweepPlan p = plan(t);
  // Gateway reconvergence aside: what the BFD-protected legs cost on their own.
  p.base.options.gateway_reconvergence = DelayDistribution::fixed(0s);
  const SweepResult r = run_sweep(t, p);
  EXPECT_TRUE(partitioning(r).empty()) << fmt::format("{}", fmt::join(partitioning(r), ", "));
  EXPECT_TRUE(r.verdicts.at(0).met) << r.verdicts.at(0).detail;
  std::size_t hurt = 0;
  for (const SetResult& s : r.sets) {
    for (const FlowHit& h : s.flows) {
      ++hurt;
      if (h.detection == "BFD" || h.detection == "carrier") {
        EXPECT_LT(h.worst_outage, 1s)
            << r.elements[s.set.elements[0]].label() << " " << r.flows[h.flow];
      }
    }
  }
  EXPECT_GT(hurt, 0U);  // failures do cost something: the sweep saw them
  EXPECT_GE(r.resiliency.index, 80.0);
}

TEST(SweepRunner, FlawedDesignsSinglePointsOfFailureAreNamed) {
  const topo::Topology t = example("flawed.yaml");
  const SweepResult r = run_sweep(t, plan(t));
  const std::set<std::string> spof = partitioning(r);
  for (const char* expected : {"router branch-ce1", "gateway app-gw", "location frankfurt"}) {
    EXPECT_TRUE(spof.contains(expected))
        << expected << " not in " << fmt::format("{}", fmt::join(spof, ", "));
  }
}

TEST(SweepRunner, ResultsDoNotDependOnTheThreadCount) {
  const topo::Topology t = example("maximum.yaml");
  SweepOptions options;
  options.k = 2;
  options.runs = 2;
  const SweepPlan p = plan(t, options);
  SweepHooks hooks;
  const SweepResult one = run_sweep(t, p, hooks);
  hooks.threads = 2;
  const SweepResult two = run_sweep(t, p, hooks);
  EXPECT_EQ(one.sets, two.sets);
  EXPECT_EQ(one.dependents, two.dependents);
  EXPECT_GT(one.pairs.simulated, 0U);
  EXPECT_EQ(one.pairs.raw, one.pairs.no_effect + one.pairs.composed + one.pairs.simulated);
  // The classification reads the singles' detours; the pairs keep none.
  std::size_t single_detours = 0;
  for (const SetResult& s : one.sets) {
    if (s.set.elements.size() == 1) {
      single_detours += s.detours.size();
    } else {
      EXPECT_TRUE(s.detours.empty());
    }
  }
  EXPECT_GT(single_detours, 0U);
}

// `ersim sweep --timings` learns the phases from on_phase: each once, in order, the set phases
// with their sizes, the pairs' being the pairs simulated; the result is the same without it.
TEST(SweepRunner, PhasesAreAnnouncedInOrderWithTheirSets) {
  const topo::Topology t = example("maximum.yaml");
  SweepOptions options;
  options.k = 2;
  const SweepPlan p = plan(t, options);
  std::vector<std::pair<std::string, std::size_t>> phases;
  SweepHooks hooks;
  hooks.on_phase = [&](std::string_view phase, std::size_t sets) {
    phases.emplace_back(phase, sets);
  };
  const SweepResult r = run_sweep(t, p, hooks);
  const std::size_t singles = p.elements.size();
  ASSERT_GT(r.pairs.simulated, 0U);
  const std::vector<std::pair<std::string, std::size_t>> expected{{"converge", 0},
                                                                  {"singles", singles},
                                                                  {"analysis", 0},
                                                                  {"pairs", r.pairs.simulated},
                                                                  {"verdicts", 0}};
  EXPECT_EQ(phases, expected);
  EXPECT_EQ(r.sets.size(), singles + r.pairs.simulated);
  EXPECT_EQ(run_sweep(t, p).sets, r.sets);
}

// The sets that fail the most sessions run first, so that two workers do not end with one of
// them running a peering location alone; the results keep the sets' order.
TEST(SweepRunner, HeaviestSetsRunFirst) {
  const topo::Topology t = example("maximum.yaml");
  const SweepPlan p = plan(t);
  std::vector<std::string> order;
  SweepHooks hooks;
  hooks.on_result = [&](const SetResult& r) {
    order.push_back(p.elements[r.set.elements[0]].label());
  };
  const SweepResult r = run_sweep(t, p, hooks);
  ASSERT_EQ(order.size(), r.sets.size());
  // Positions in the order run: of the first set of a kind, and just after the last one.
  const auto first = [&](std::string_view kind) {
    return std::find_if(order.begin(), order.end(),
                        [&](const std::string& label) { return label.starts_with(kind); }) -
           order.begin();
  };
  const auto after_last = [&](std::string_view kind) {
    return std::find_if(order.rbegin(), order.rend(),
                        [&](const std::string& label) { return label.starts_with(kind); })
               .base() -
           order.begin();
  };
  // A location fails every MSEE and link in it; a link's failure touches one or two sessions.
  EXPECT_FALSE(order.front().starts_with("link ")) << order.front();
  ASSERT_GT(after_last("location "), 0);
  EXPECT_LE(after_last("location "), first("link ")) << fmt::format("{}", fmt::join(order, ", "));
  for (std::size_t i = 0; i < r.sets.size(); ++i) {
    EXPECT_EQ(r.sets[i].set, single_sets(p.elements.size())[i]);  // in plan order
  }
}

// Each set starts from the converged network: its result is what a fresh run of that failure,
// cold start included, gives.
TEST(SweepRunner, EachSetIsWhatAFreshRunOfItsFailureGives) {
  const topo::Topology t = example("maximum.yaml");
  const SweepPlan p = plan(t);
  const SweepResult r = run_sweep(t, p);
  std::size_t compared = 0;
  for (const SetResult& s : r.sets) {
    scenario::Scenario fresh = p.base;
    fresh.events = {failure_event(p.elements, s.set, p.options)};
    fresh.until = kTimeZero + p.options.horizon;
    const scenario::RunResult run = scenario::run_once(t, fresh, p.options.seed, false);
    std::vector<FlowHit> hits;
    for (std::uint32_t f = 0; f < run.flows.size(); ++f) {
      const scenario::FlowRun& flow = run.flows[f];
      if (flow.outages.empty()) {
        continue;
      }
      const bool open = flow.outages.back().open;
      hits.push_back({f, open ? 0U : 1U, open ? 1U : 0U, flow.total_outage, flow.total_outage,
                      flow.outages.front().cause.detection});
    }
    EXPECT_EQ(s.flows, hits) << r.elements[s.set.elements[0]].label();
    compared += hits.size();
  }
  EXPECT_GT(compared, 0U);
}

}  // namespace
}  // namespace ersim::sweep
