// `ersim run`'s report for a browser: one self-contained HTML page of a ScenarioResult with the
// verdicts, the topology drawn as inline SVG, each flow's timeline coloured by the circuit it
// used, each flow's outages with their causes, and, with several runs, the spread of each
// flow's total outage. Nothing is fetched (no URL, font, image or script from outside) and
// nothing varies but the result: the same result gives the same bytes.
//   std::ofstream("run.html") << report::run_html(topology, scenario, result);
//   // <g class="flow-timeline" data-flow="amsterdam-dc -&gt; hub-westeurope">, rect.outage, ...
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "sim/scenario/runner.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/topo/topology.hpp"

namespace ersim::report {

/// Above this many routers the page leaves the topology picture out (and says so).
inline constexpr std::size_t kHtmlPictureMaxRouters = 200;

/// The page. Stable hooks for tests and style sheets: a `<g class="flow-timeline"
/// data-flow="NAME">` per flow holding its first run's intervals (`rect class="interval"`) and
/// outages (`rect class="outage"`, at least 2 px wide); `<section id="topology">`,
/// `id="timelines"`, `id="outages"`, and `id="distribution"` when scenario.runs > 1; the
/// circuit legend `<ul class="legend">`. Every name from the user's files is escaped.
std::string run_html(const topo::Topology& topology, const scenario::Scenario& scenario,
                     const scenario::ScenarioResult& result);

/// The colour (CSS hex) of a circuit in the page's pictures: a palette of ten by circuit index,
/// none of them the outage red or the grey of traffic that crossed no circuit.
std::string_view circuit_colour(topo::CircuitId circuit);

}  // namespace ersim::report
