// The network's own figures in every report: for `ersim run`, the convergence after the cold
// start and after each event, the storm each event set going, each router's churn, the
// routing tables' sizes and the prefix headroom of each session with a limit
// (scenario::RunMetrics, first run); for `ersim sweep`, the largest convergence storms among the
// failure sets. Text, JSON and an HTML section each; run_report, run_html and sweep_report call
// them at the end of their documents.
//   out += run_metrics_text(topology, scenario, result, /*color=*/false);
//   doc["metrics"] = run_metrics_json(topology, scenario, result);
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

#include "sim/scenario/metrics.hpp"
#include "sim/scenario/runner.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/sweep/sweep.hpp"
#include "sim/topo/topology.hpp"

namespace ersim::report {

/// The text and the HTML page list at most this many routers by churn, routing instances by
/// size and session ends by headroom; the JSON lists them all.
inline constexpr std::size_t kMetricsTop = 10;

/// "Network metrics (first run)": convergence per event (first and last route change, sessions
/// down, UPDATEs, route changes; events that fail a shared device marked as storms), the top
/// routers by churn, the largest tables, the tightest prefix limits.
std::string run_metrics_text(const topo::Topology& topology, const scenario::Scenario& scenario,
                             const scenario::ScenarioResult& result, bool color);

/// {"cold_start_last_change_s", "events": [{event, at_s, shared_device, first_change_s,
/// last_change_s (null: no route change), sessions_down, updates, prefixes, route_changes}],
/// "churn": [{router, role, updates_sent, updates_received, prefixes_sent, prefixes_received,
/// route_changes, sessions_down}], "tables": [{router, vrf, rib_routes, fib_prefixes}],
/// "prefix_limits": {"tight_below", "sessions": [{session, router, limit, received, peak,
/// headroom, tight, held}]}}, of the first run, every router, instance and limited end.
nlohmann::ordered_json run_metrics_json(const topo::Topology& topology,
                                        const scenario::Scenario& scenario,
                                        const scenario::ScenarioResult& result);

/// `<section id="metrics">` with `table.convergence` (a row per event, `tr.storm` for a
/// shared device's failure), `table.churn`, `table.tables` and `table.prefix-limits` (`tr.tight`
/// under the threshold). Names escaped.
std::string run_metrics_html(const topo::Topology& topology, const scenario::Scenario& scenario,
                             const scenario::ScenarioResult& result);

/// {sessions_down, updates, prefixes, route_changes, first_change_ns, first_change_s,
/// last_change_ns, last_change_s (null: no route change)}.
nlohmann::ordered_json storm_json(const scenario::Storm& storm);

/// The failure sets that set something going (a session down or a route change), the largest
/// storm first: the most UPDATEs, then route changes, then sessions down, then sweep order.
/// Indices into result.sets.
std::vector<std::size_t> largest_storms(const sweep::SweepResult& result);

/// "Largest convergence storms": at most `top` of largest_storms (0: all) with their sessions
/// down, UPDATEs, route changes and the time to the last route change.
std::string sweep_storms_text(const sweep::SweepResult& result, bool color, std::size_t top);

/// `<section id="storms">` with `table.storms`, at most kMetricsTop * 5 rows.
std::string sweep_storms_html(const sweep::SweepResult& result);

}  // namespace ersim::report
