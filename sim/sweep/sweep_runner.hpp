// Runs a failure sweep: every failure set from the same converged network (scenario::Replayer,
// which rolls the network back after each), on a pool of worker threads that each hold the
// converged network of every run seed: one cold start per seed, spread over the workers, and
// copies of it in the others. Singles first; with k = 2 the pairs whose elements touch a flow in
// common next (failure_sets' classify_pairs, on the paths the singles saw). A set's result
// depends only on the set and the seeds, so the report is the same for any number of threads.
//
//   const SweepResult r = run_sweep(topology, {scenario, options, elements, expectations}, {});
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>
#include <vector>

#include "sim/scenario/scenario.hpp"
#include "sim/sweep/sweep.hpp"
#include "sim/topo/topology.hpp"

namespace ersim::sweep {

/// What to sweep.
struct SweepPlan {
  /// The flows to watch and the network's options; its events and expectations are ignored.
  scenario::Scenario base;
  SweepOptions options;
  std::vector<Element> elements;  ///< sweep_elements
  std::vector<SweepExpectation> expectations;
};

/// How to run it, and who hears of its progress.
struct SweepHooks {
  unsigned threads = 1;
  /// Each failure set's result as it finishes, one call at a time (from any worker): a sweep
  /// streams them to a file so that an interrupted one can resume.
  std::function<void(const SetResult&)> on_result;
  /// Sets done and sets known so far (the pairs are known once the singles are done), one call
  /// at a time.
  std::function<void(std::size_t done, std::size_t total)> on_progress;
  /// Results of an interrupted sweep of the same plan: their sets are not run again.
  std::vector<SetResult> resumed;
  /// Called as each phase of run_sweep begins, in this order: "converge" (the cold start, the
  /// workers' copies, the baseline traces), "singles" (the N-1 sets, `sets` of them, resumed
  /// ones included), "analysis" (criticality, the resiliency index, the pairs' classification),
  /// "pairs" (with k = 2: the pairs simulated), "verdicts". `sets` is 0 for the other phases.
  /// For timing (`ersim sweep --timings`); nothing in the result depends on it.
  std::function<void(std::string_view phase, std::size_t sets)> on_phase;
};

/// The failure event of a set at scenario time 0: its elements' routers (devices) and links
/// fail together, each link in its own failure mode unless `options.mode` says otherwise.
scenario::Event failure_event(const std::vector<Element>& elements, const FailureSet& set,
                              const SweepOptions& options);

/// Runs the plan. The result's resiliency and verdicts are filled in.
SweepResult run_sweep(const topo::Topology& topology, const SweepPlan& plan,
                      const SweepHooks& hooks = {});

}  // namespace ersim::sweep
