// What `ersim run` writes: the readable timeline and verdicts, the versioned JSON document, and
// the trace (one JSON line per state change). All three come from a ScenarioResult, so they
// agree; none depends on the thread count.
//   fmt::print("{}", run_text(topology, scenario, result, /*color=*/false));
//   fmt::print("{}\n", run_json(topology, scenario, result).dump(2));
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

#include "sim/scenario/runner.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/topo/topology.hpp"

namespace ersim::report {

/// Version of the JSON document written by run_json; bump on incompatible changes.
inline constexpr const char* kRunSchema = "ersim.run/1";

/// The first run's timeline (scenario events, session changes, route changes — a burst at one
/// router and instant as one line — and flow changes), each flow's outages with their causes,
/// the loads of the links and circuits when a flow has a rate (the busiest and every overload,
/// report/capacity_report.hpp), and the verdict of each expectation. ANSI colours when `color`.
std::string run_text(const topo::Topology& topology, const scenario::Scenario& scenario,
                     const scenario::ScenarioResult& result, bool color);

/// {"schema", "scenario", "topology", "seed", "runs", "until_s", "flows": [{name, source,
/// destination, dscp, rate_bps, total_outage_s, longest_outage_s, outages: [{start_s, end_s,
/// duration_s, outcome, where, open, cause: {event, event_s, detection, detection_s, propagation_s,
/// gateway_reconvergence_s}}], timeline: [...], statistics: {min_s, median_s, p95_s, max_s}}],
/// "expectations": [{text, met, detail}], "capacity": load_json or null when no flow has a
/// rate, "per_run": [{seed, converged_after_s, flows: [{name,
/// total_outage_s, longest_outage_s}], expectations_met}], "network": {...}}. The flows' outages
/// and timelines are the first run's; statistics are of each run's total outage.
nlohmann::ordered_json run_json(const topo::Topology& topology, const scenario::Scenario& scenario,
                                const scenario::ScenarioResult& result);

/// An outage's cause chain in words, as run_text writes it: "after 'fail link er-ams.primary';
/// detected by BFD in 900ms; propagation 12ms" (and "; gateway reconvergence 1s" when any).
std::string cause_text(const scenario::Scenario& scenario, const scenario::Cause& cause);

/// One flow's total outage in each run, sorted, with its nearest-rank percentiles.
struct OutageStatistics {
  std::vector<Duration> totals;  ///< one per run, shortest first
  Duration min{};
  Duration median{};
  Duration p95{};
  Duration max{};
};

/// The statistics of flow `flow` (an index into Scenario::flows) over every run of `result`.
OutageStatistics outage_statistics(const scenario::ScenarioResult& result, std::size_t flow);

/// The first run's log as JSON lines, one per state change, each with "t" (scenario seconds)
/// and "kind" (event, session, route, flow) first.
std::string run_trace(const scenario::ScenarioResult& result);

}  // namespace ersim::report
