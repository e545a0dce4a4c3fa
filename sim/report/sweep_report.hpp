// What `ersim sweep` writes: the readable summary (the resiliency index, the worst failure sets,
// which sets partition which flow, each element's criticality, the verdicts), the versioned JSON
// document, and one self-contained HTML page with a heatmap of failure set by flow. All three
// come from a SweepResult, so they agree; the same result gives the same bytes.
//   fmt::print("{}", report::sweep_text(result, {.color = true, .top = 10}));
//   std::ofstream("sweep.html") << report::sweep_html(result, "sweep of maximum.yaml");
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "sim/sweep/sweep.hpp"

namespace ersim::report {

/// Version of the JSON document written by sweep_json; bump on incompatible changes.
inline constexpr const char* kSweepSchema = "ersim.sweep/1";

struct SweepTextOptions {
  bool color = false;  ///< ANSI colours
  /// At most this many worst failure sets, elements by criticality, and sets under each flow
  /// partitioned; 0 lists them all.
  std::size_t top = 20;
};

/// The failure sets that hurt a flow (lost or partitioned it in some run), worst first: the most
/// flows partitioned, then the longest worst outage, then the sweep's own order. Indices into
/// result.sets.
std::vector<std::size_t> worst_sets(const sweep::SweepResult& result);

/// The elements on some flow's path, the most dependent flows first, ties in element order.
/// Indices into result.elements.
std::vector<std::size_t> critical_elements(const sweep::SweepResult& result);

/// A failure set as people read it: its elements' labels joined by " + ".
std::string set_label(const sweep::SweepResult& result, const sweep::FailureSet& set);

/// The header (elements by kind, the failure sets simulated, for k = 2 how the pairs were
/// classified, runs, seed, horizon), the resiliency index and its components, the worst failure
/// sets with the flows each hurt, the sets partitioning each flow, the elements by criticality,
/// and the verdicts as `ersim run` writes them.
std::string sweep_text(const sweep::SweepResult& result, const SweepTextOptions& options = {});

/// {"schema", "options": {k, only, exclude, mode, runs, seed, horizon_ns, horizon_s},
/// "elements": [{kind, name, locations, dependents}], "flows": [{name}], "sets": [{elements
/// (indices), partitioned, worst_outage_ns, worst_outage_s, flows: [{flow (index), fate,
/// lost_runs, partitioned_runs, worst_outage_ns, worst_outage_s, mean_outage_ns, mean_outage_s,
/// detection}]}], "pairs": {raw, no_effect, composed, simulated}, "resiliency": {index, model,
/// components: [{name, points, max, explanation}]}, "expectations": [{text, met, detail}],
/// "all_met", "engine_events"}. docs/sweep.schema.json describes it.
nlohmann::ordered_json sweep_json(const sweep::SweepResult& result);

/// Writes `sweep_json(result).dump(2)` and a newline to `out`, building the failure sets' trees
/// a batch at a time (kSweepJsonBatch): an N-2 sweep's document runs to gigabytes, and its whole
/// tree to several times that in memory. `threads` threads make each batch's texts side by side;
/// the bytes written do not depend on it.
void write_sweep_json(std::FILE* out, const sweep::SweepResult& result, unsigned threads = 1);
/// The failure sets write_sweep_json renders before it writes them.
inline constexpr std::size_t kSweepJsonBatch = 4096;

/// The page's heatmap draws at most this many failure sets (the worst), and says how many more.
inline constexpr std::size_t kSweepHtmlMaxRows = 200;
/// Its tables list at most this many worst failure sets and critical elements.
inline constexpr std::size_t kSweepHtmlTop = 50;

/// The colour (CSS hex) of a heatmap cell: a flow partitioned in some run is dark, a flow never
/// lost light grey, and a lost one takes the band of its worst outage, under 1 s up to 3 min.
std::string_view outage_colour(sweep::Fate fate, Duration worst);

/// The page, titled `title`. Stable hooks for tests and style sheets: `<section id="resiliency">`,
/// `id="worst"` (a `<table class="worst">`), `id="heatmap"` (`<svg class="heatmap">` with a
/// `<rect class="cell" data-set="S" data-flow="F" fill="COLOUR"><title>...</title></rect>` per
/// failure set drawn and flow), `id="criticality"`; the heatmap legend `<ul class="legend">`.
/// Every name is escaped.
std::string sweep_html(const sweep::SweepResult& result, std::string_view title);

}  // namespace ersim::report
