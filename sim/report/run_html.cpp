#include "sim/report/run_html.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include "core/time.hpp"
#include "sim/reach/forwarding.hpp"
#include "sim/report/capacity_report.hpp"
#include "sim/report/html_page.hpp"
#include "sim/report/metrics_report.hpp"
#include "sim/report/run_report.hpp"
#include "sim/report/verdicts.hpp"

namespace ersim::report {

using scenario::Outage;
using scenario::seconds;
using topo::Link;
using topo::Router;
using topo::RouterRole;
using topo::Topology;

namespace {

// Tableau's ten colours with its red and grey swapped for two darker ones: red means an outage
// and grey traffic that crossed no circuit, so no circuit may look like either.
constexpr std::array<std::string_view, 10> kPalette{"#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd",
                                                    "#17becf", "#8c564b", "#e377c2", "#bcbd22",
                                                    "#393b79", "#637939"};
constexpr std::string_view kOutageColour = "#d62728";
constexpr std::string_view kNoCircuitColour = "#9e9e9e";
constexpr std::string_view kOtherLinkColour = "#888888";

// Print widths in pixels: the page is meant for a laptop screen or a 1200 px screenshot.
constexpr double kTimelineWidth = 1100;
constexpr double kMinOutageWidth = 2;

std::string esc(std::string_view text) { return html_escaped(text); }

/// "12.345678900s": scenario seconds to the nanosecond, as run_text writes them.
std::string at_text(SimTime at) { return scenario::time_text(at); }

std::string colour_of(const reach::Trace& trace) {
  if (trace.outcome != reach::Outcome::Delivered) {
    return std::string(kOutageColour);
  }
  return std::string(trace.circuit ? circuit_colour(*trace.circuit) : kNoCircuitColour);
}

// --- The header: what ran and the verdicts. ---

void write_header(std::string& out, const Topology& topology, const scenario::Scenario& s,
                  const scenario::ScenarioResult& result) {
  out += fmt::format("<header>\n<h1>{}</h1>\n", esc(s.name));
  if (!s.description.empty()) {
    out += fmt::format("<p class=\"description\">{}</p>\n", esc(s.description));
  }
  out += "<dl class=\"facts\">\n";
  out += fmt::format("<dt>Topology</dt><dd>{}</dd>\n", esc(topology.name()));
  out += fmt::format("<dt>Seed</dt><dd>{}</dd>\n", s.seed);
  out += fmt::format("<dt>Runs</dt><dd>{}</dd>\n", s.runs);
  out += fmt::format("<dt>Until</dt><dd>{}</dd>\n", format_duration(s.until - kTimeZero));
  out += fmt::format(
      "<dt>Cold start</dt><dd>converged in {} (first run); times count from "
      "there</dd>\n",
      format_duration(result.runs.front().converged_after));
  out += "</dl>\n";

  out += verdicts_html(verdict_lines(s.expectations, result.expectations));
  if (!s.events.empty()) {
    out += "<h2>Events</h2>\n<ol class=\"events\">\n";
    for (const scenario::Event& e : s.events) {
      out += fmt::format("<li><span class=\"num\">{}</span> {}</li>\n",
                         format_duration(e.at - kTimeZero), esc(e.text));
    }
    out += "</ol>\n";
  }
  out += "</header>\n";
}

// --- The topology picture: columns by role, groups by location. ---

constexpr double kNodeWidth = 140;
constexpr double kNodeHeight = 34;
constexpr double kRowPitch = 48;
constexpr double kColumnPitch = 300;
constexpr double kLeftMargin = 90;  // room for the curves of links within one column
constexpr double kTopMargin = 40;   // the column titles
constexpr double kGroupTitle = 20;
constexpr double kGroupGap = 24;

enum class Column : std::uint8_t { Site, Provider, Location, VNet, Other };
constexpr std::size_t kColumns = 5;

std::string_view column_title(Column column) {
  switch (column) {
    case Column::Site:
      return "Sites (CE)";
    case Column::Provider:
      return "Providers (PE)";
    case Column::Location:
      return "Peering locations (MSEE)";
    case Column::VNet:
      return "VNet gateways";
    case Column::Other:
      return "Other routers";
  }
  return "";
}

std::string_view group_word(Column column) {
  switch (column) {
    case Column::Site:
      return "site ";
    case Column::Provider:
      return "provider ";
    case Column::Location:
      return "location ";
    case Column::VNet:
      return "VNet ";
    case Column::Other:
      return "";
  }
  return "";
}

// A generic host stands with the site or VNet its location names, else in a column of its own.
Column column_of(const Topology& topology, const Router& router) {
  switch (router.role) {
    case RouterRole::Ce:
      return Column::Site;
    case RouterRole::Pe:
      return Column::Provider;
    case RouterRole::Msee:
      return Column::Location;
    case RouterRole::Gateway:
    case RouterRole::VpnGateway:
      return Column::VNet;
    case RouterRole::Host:
      break;
  }
  const auto named = [&](const auto& element) { return element.name == router.location; };
  if (std::ranges::any_of(topology.sites(), named)) {
    return Column::Site;
  }
  if (std::ranges::any_of(topology.vnets(), named)) {
    return Column::VNet;
  }
  return Column::Other;
}

struct Group {
  std::string location;
  std::vector<std::size_t> routers;
};

struct Box {
  double x = 0;
  double y = 0;
  std::size_t column = 0;  ///< among the columns drawn
};

void write_topology(std::string& out, const Topology& topology) {
  out += "<section id=\"topology\">\n<h2>Topology</h2>\n";
  const auto routers = topology.routers();
  if (routers.size() > kHtmlPictureMaxRouters) {
    out += fmt::format(
        "<p class=\"note\">{} routers: too many to draw legibly, so the picture is left out "
        "(<code>ersim graph</code> writes the design for Graphviz).</p>\n</section>\n",
        routers.size());
    return;
  }

  // Groups in the order their first router was added, so the picture does not depend on hashing.
  std::array<std::vector<Group>, kColumns> columns;
  for (std::size_t i = 0; i < routers.size(); ++i) {
    std::vector<Group>& groups =
        columns.at(static_cast<std::size_t>(column_of(topology, routers[i])));
    const auto it = std::ranges::find(groups, routers[i].location, &Group::location);
    if (it == groups.end()) {
      groups.push_back({routers[i].location, {i}});
    } else {
      it->routers.push_back(i);
    }
  }

  // Lay out the non-empty columns left to right, each centred vertically on the tallest.
  std::vector<std::size_t> drawn;
  std::vector<double> heights;
  for (std::size_t c = 0; c < kColumns; ++c) {
    if (columns.at(c).empty()) {
      continue;
    }
    double height = 0;
    for (const Group& g : columns.at(c)) {
      height += kGroupTitle + static_cast<double>(g.routers.size()) * kRowPitch + kGroupGap;
    }
    drawn.push_back(c);
    heights.push_back(height);
  }
  const double tallest = heights.empty() ? 0 : *std::ranges::max_element(heights);
  std::vector<Box> boxes(routers.size());
  std::string groups_svg;
  std::string titles_svg;
  for (std::size_t d = 0; d < drawn.size(); ++d) {
    const double x = kLeftMargin + static_cast<double>(d) * kColumnPitch;
    const auto column = static_cast<Column>(drawn[d]);
    titles_svg += fmt::format(
        "<text class=\"column-title\" x=\"{}\" y=\"18\" text-anchor=\"middle\" font-size=\"13\" "
        "font-weight=\"bold\">{}</text>\n",
        px(x + kNodeWidth / 2), column_title(column));
    double y = kTopMargin + (tallest - heights[d]) / 2;
    for (const Group& g : columns.at(drawn[d])) {
      const double height = kGroupTitle + static_cast<double>(g.routers.size()) * kRowPitch;
      groups_svg += fmt::format(
          "<rect class=\"group\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\" "
          "fill=\"#f5f7fa\" stroke=\"#b0b8c4\" stroke-dasharray=\"4 3\"/>\n",
          px(x - 10), px(y), px(kNodeWidth + 20), px(height));
      if (!g.location.empty()) {
        groups_svg +=
            fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#445\">{}{}</text>\n",
                        px(x - 4), px(y + 14), group_word(column), esc(g.location));
      }
      double row = y + kGroupTitle + (kRowPitch - kNodeHeight) / 2;
      for (const std::size_t r : g.routers) {
        boxes[r] = {x, row, d};
        row += kRowPitch;
      }
      y += height + kGroupGap;
    }
  }

  std::string links_svg;
  std::string labels_svg;
  for (const Link& link : topology.links()) {
    Box a = boxes.at(link.a.value);
    Box b = boxes.at(link.b.value);
    if (a.column > b.column) {
      std::swap(a, b);
    }
    const std::string colour =
        std::string(link.circuit ? circuit_colour(*link.circuit) : kOtherLinkColour);
    const std::string dash =
        link.path == topo::PathRole::Secondary ? " stroke-dasharray=\"7 4\"" : "";
    const std::string title =
        fmt::format("<title>{}: {} - {}{}{}</title>", esc(link.name),
                    esc(topology.router(link.a).name), esc(topology.router(link.b).name),
                    link.circuit ? ", circuit " + esc(topology.circuit(*link.circuit).name) : "",
                    link.failure == topo::FailureMode::Silent ? ", fails silently" : "");
    double label_x = 0;
    double label_y = 0;
    if (a.column == b.column) {
      // Within a column: a curve out to the left, clear of the boxes.
      const double x0 = a.x;
      const double y0 = a.y + kNodeHeight / 2;
      const double y1 = b.y + kNodeHeight / 2;
      const double bulge = 40 + std::min(30.0, std::abs(y1 - y0) / 20);
      links_svg += fmt::format(
          "<path class=\"link\" d=\"M {} {} Q {} {} {} {}\" fill=\"none\" stroke=\"{}\" "
          "stroke-width=\"2\"{}>{}</path>\n",
          px(x0), px(y0), px(x0 - 2 * bulge), px((y0 + y1) / 2), px(x0), px(y1), colour, dash,
          title);
      label_x = x0 - bulge;
      label_y = (y0 + y1) / 2 + 4;
    } else {
      const double x0 = a.x + kNodeWidth;
      const double y0 = a.y + kNodeHeight / 2;
      const double x1 = b.x;
      const double y1 = b.y + kNodeHeight / 2;
      links_svg += fmt::format(
          "<line class=\"link\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" "
          "stroke-width=\"2\"{}>{}</line>\n",
          px(x0), px(y0), px(x1), px(y1), colour, dash, title);
      label_x = (x0 + x1) / 2;
      label_y = (y0 + y1) / 2 - 3;
    }
    labels_svg += fmt::format(
        "<text class=\"link-label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"10\" "
        "fill=\"{}\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">{}{}</text>\n",
        px(label_x), px(label_y), colour, esc(link.name), title);
  }

  std::string nodes_svg;
  for (std::size_t i = 0; i < routers.size(); ++i) {
    const Router& r = routers[i];
    const Box& box = boxes[i];
    nodes_svg += fmt::format(
        "<g class=\"router\" data-router=\"{0}\"><title>{0}: {1} AS {2}{3}</title>"
        "<rect x=\"{4}\" y=\"{5}\" width=\"{6}\" height=\"{7}\" rx=\"4\" fill=\"#fff\" "
        "stroke=\"#556\"/>"
        "<text x=\"{8}\" y=\"{9}\" text-anchor=\"middle\" font-size=\"12\" "
        "font-weight=\"bold\">{0}</text>"
        "<text x=\"{8}\" y=\"{10}\" text-anchor=\"middle\" font-size=\"10\" fill=\"#556\">{1} "
        "AS {2}</text></g>\n",
        esc(r.name), topo::to_string(r.role), r.asn,
        r.location.empty() ? "" : ", " + esc(r.location), px(box.x), px(box.y), px(kNodeWidth),
        px(kNodeHeight), px(box.x + kNodeWidth / 2), px(box.y + 14), px(box.y + 27));
  }

  const double width =
      kLeftMargin + static_cast<double>(std::max<std::size_t>(drawn.size(), 1) - 1) * kColumnPitch +
      kNodeWidth + 20;
  const double height = kTopMargin + tallest;
  out += fmt::format(
      "<svg class=\"topology\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" role=\"img\" "
      "aria-label=\"topology {2}\">\n",
      px(width), px(height), esc(topology.name()));
  out += titles_svg + groups_svg + links_svg + nodes_svg + labels_svg;
  out += "</svg>\n";
  out +=
      "<p class=\"note\">Circuit links in their circuit's colour, the secondary leg dashed; "
      "other links grey. Hover a link or router for details.</p>\n</section>\n";
}

// --- The timelines. ---

/// Scenario time 0..until onto [left, left + width] pixels.
struct TimeScale {
  SimTime until{};
  double left = 0;
  double width = 0;
  [[nodiscard]] double x(SimTime at) const {
    const SimTime clamped = std::clamp(at, kTimeZero, until);
    return left + width * seconds(clamped - kTimeZero) / seconds(until - kTimeZero);
  }
};

/// A round tick step (1, 2 or 5 times a power of ten nanoseconds) giving at most ten ticks.
Duration tick_step(Duration span) {
  std::int64_t step = 1;
  while (true) {
    for (const std::int64_t m : {1, 2, 5}) {
      if (span.count() / (step * m) <= 10) {
        return Duration(step * m);
      }
    }
    step *= 10;
  }
}

void write_axis(std::string& out, const TimeScale& scale, double y) {
  out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#555\"/>\n",
                     px(scale.left), px(y), px(scale.left + scale.width), px(y));
  const Duration span = scale.until - kTimeZero;
  const Duration step = tick_step(span);
  for (Duration t{}; t <= span; t += step) {
    const double x = scale.x(kTimeZero + t);
    out += fmt::format(
        "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#555\"/>"
        "<text x=\"{0}\" y=\"{3}\" text-anchor=\"middle\" font-size=\"10\" "
        "fill=\"#444\">{4}</text>\n",
        px(x), px(y), px(y + 5), px(y + 16), format_duration(t));
  }
}

void write_legend(std::string& out, const Topology& topology, const scenario::Scenario& s,
                  const scenario::ScenarioResult& result) {
  std::set<std::uint32_t> used;
  for (std::size_t f = 0; f < s.flows.size(); ++f) {
    for (const reach::Interval& i : result.runs.front().flows.at(f).timeline) {
      if (i.delivered() && i.trace.circuit) {
        used.insert(i.trace.circuit->value);
      }
    }
  }
  out += "<ul class=\"legend\">\n";
  for (const std::uint32_t c : used) {
    const topo::CircuitId id{c};
    out += fmt::format(
        "<li class=\"legend-circuit\" data-circuit=\"{0}\"><span class=\"swatch\" "
        "style=\"background:{1}\"></span>over circuit {0}</li>\n",
        esc(topology.circuit(id).name), circuit_colour(id));
  }
  out += fmt::format(
      "<li><span class=\"swatch\" style=\"background:{}\"></span>delivered without a "
      "circuit</li>\n<li><span class=\"swatch\" style=\"background:{}\"></span>outage (at least "
      "{} px wide)</li>\n<li><span class=\"swatch\" style=\"border:0;border-left:2px dashed "
      "#333\"></span>scenario event (numbered as in Events)</li>\n</ul>\n",
      kNoCircuitColour, kOutageColour, kMinOutageWidth);
}

std::string interval_title(const Topology& topology, const reach::Interval& i, SimTime until) {
  const SimTime end = std::min(i.end, until);
  std::string text =
      fmt::format("{} to {} ({}): {}", at_text(i.start), at_text(end),
                  scenario::duration_text(end - i.start), reach::to_string(i.trace.outcome));
  if (i.trace.circuit) {
    text += fmt::format(" over circuit {}", topology.circuit(*i.trace.circuit).name);
  }
  text += "\n" + reach::path_text(topology, i.trace);
  return esc(text);
}

std::string outage_title(const scenario::Scenario& s, const Outage& o) {
  return esc(fmt::format("outage {} to {} ({}){}: {} at {}\n{}", at_text(o.start), at_text(o.end),
                         scenario::duration_text(o.duration()),
                         o.open ? ", still out at the end" : "", reach::to_string(o.outcome),
                         o.where, cause_text(s, o.cause)));
}

std::string flow_summary(const scenario::FlowRun& run) {
  if (run.outages.empty()) {
    return "never out";
  }
  return fmt::format("{} outage{}, total {}, longest {}", run.outages.size(),
                     run.outages.size() == 1 ? "" : "s", scenario::duration_text(run.total_outage),
                     scenario::duration_text(run.longest_outage));
}

void write_timelines(std::string& out, const Topology& topology, const scenario::Scenario& s,
                     const scenario::ScenarioResult& result) {
  out += "<section id=\"timelines\">\n<h2>Flow timelines (first run)</h2>\n";
  write_legend(out, topology, s, result);
  const SimTime until = std::max(s.until, kTimeZero + Duration(1));
  const TimeScale scale{until, 10, kTimelineWidth - 40};
  constexpr double kBarTop = 16;
  constexpr double kBarHeight = 22;
  for (std::size_t f = 0; f < s.flows.size(); ++f) {
    const scenario::Flow& flow = s.flows[f];
    const scenario::FlowRun& run = result.runs.front().flows.at(f);
    out += fmt::format("<div class=\"flow\">\n<h3>{} <span class=\"summary {}\">{}</span></h3>\n",
                       esc(flow.name), run.outages.empty() ? "met" : "failed", flow_summary(run));
    out += fmt::format(
        "<svg class=\"timeline\" width=\"{0}\" height=\"64\" viewBox=\"0 0 {0} 64\" role=\"img\" "
        "aria-label=\"timeline of {1}\">\n",
        px(kTimelineWidth), esc(flow.name));
    out += fmt::format("<g class=\"flow-timeline\" data-flow=\"{}\">\n", esc(flow.name));
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#eee\"/>\n",
                       px(scale.left), px(kBarTop), px(scale.width), px(kBarHeight));
    for (const reach::Interval& i : run.timeline) {
      const double x0 = scale.x(i.start);
      const double x1 = scale.x(std::min(i.end, until));
      out += fmt::format(
          "<rect class=\"interval\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" "
          "fill=\"{}\"><title>{}</title></rect>\n",
          px(x0), px(kBarTop), px(std::max(0.0, x1 - x0)), px(kBarHeight), colour_of(i.trace),
          interval_title(topology, i, until));
    }
    // Drawn over the intervals: an outage of milliseconds in a run of minutes stays visible.
    for (const Outage& o : run.outages) {
      const double right = scale.left + scale.width;
      const double w = std::max(kMinOutageWidth, scale.x(o.end) - scale.x(o.start));
      const double x = std::min(scale.x(o.start), right - w);
      out += fmt::format(
          "<rect class=\"outage\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" "
          "fill=\"{}\"><title>{}</title></rect>\n",
          px(x), px(kBarTop), px(w), px(kBarHeight), kOutageColour, outage_title(s, o));
    }
    out += "</g>\n";
    for (std::size_t e = 0; e < s.events.size(); ++e) {
      const scenario::Event& event = s.events[e];
      if (event.at > until) {
        continue;
      }
      const double x = scale.x(event.at);
      out += fmt::format(
          "<g class=\"event\"><title>{} {}</title><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" "
          "stroke=\"#333\" stroke-dasharray=\"3 2\"/><text x=\"{}\" y=\"10\" "
          "text-anchor=\"middle\" font-size=\"10\">{}</text></g>\n",
          format_duration(event.at - kTimeZero), esc(event.text), px(x), px(kBarTop - 4), px(x),
          px(kBarTop + kBarHeight + 2), px(x), e + 1);
    }
    write_axis(out, scale, kBarTop + kBarHeight + 4);
    out += "</svg>\n</div>\n";
  }
  out += "</section>\n";
}

// --- The outages, as run_text's flow section. ---

void write_outages(std::string& out, const scenario::Scenario& s,
                   const scenario::ScenarioResult& result) {
  out += "<section id=\"outages\">\n<h2>Outages (first run)</h2>\n";
  for (std::size_t f = 0; f < s.flows.size(); ++f) {
    const scenario::FlowRun& run = result.runs.front().flows.at(f);
    out += fmt::format("<h3>{} <span class=\"summary {}\">{}</span></h3>\n", esc(s.flows[f].name),
                       run.outages.empty() ? "met" : "failed", flow_summary(run));
    if (run.outages.empty()) {
      continue;
    }
    out += fmt::format(
        "<table class=\"outages\" data-flow=\"{}\">\n<tr><th>start</th><th>end</th>"
        "<th>duration</th><th>outcome</th><th>where</th><th>after event</th><th>detection</th>"
        "<th>detected in</th><th>propagation</th><th>gateway reconvergence</th></tr>\n",
        esc(s.flows[f].name));
    for (const Outage& o : run.outages) {
      const scenario::Cause& c = o.cause;
      const std::string event =
          c.event ? fmt::format("{} {}", format_duration(s.events.at(*c.event).at - kTimeZero),
                                s.events.at(*c.event).text)
                  : "none (from the start)";
      out += fmt::format(
          "<tr><td class=\"num\">{}</td><td class=\"num\">{}{}</td><td class=\"num\">{}</td>"
          "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
          at_text(o.start), at_text(o.end), o.open ? " (still out at the end)" : "",
          scenario::duration_text(o.duration()), reach::to_string(o.outcome), esc(o.where),
          esc(event), esc(c.detection),
          c.detection == "none" ? "" : scenario::duration_text(c.detection_time),
          scenario::duration_text(c.propagation),
          c.gateway_reconvergence > Duration::zero()
              ? scenario::duration_text(c.gateway_reconvergence)
              : "");
    }
    out += "</table>\n";
  }
  out += "</section>\n";
}

// --- Several runs: each flow's total outage per run. ---

void write_distribution(std::string& out, const scenario::Scenario& s,
                        const scenario::ScenarioResult& result) {
  out += fmt::format(
      "<section id=\"distribution\">\n<h2>Total outage per run ({} runs, seeds {}-{})</h2>\n",
      s.runs, s.seed, s.seed + s.runs - 1);
  constexpr double kWidth = 420;
  constexpr double kLeft = 10;
  constexpr double kPlotWidth = 400;
  constexpr double kPlotHeight = 60;
  constexpr std::int64_t kMaxBins = 20;
  for (std::size_t f = 0; f < s.flows.size(); ++f) {
    const OutageStatistics stats = outage_statistics(result, f);
    out += fmt::format(
        "<div class=\"distribution\" data-flow=\"{0}\">\n<h3>{0} <span class=\"summary\">min {1}, "
        "median {2}, p95 {3}, max {4}</span></h3>\n",
        esc(s.flows[f].name), scenario::duration_text(stats.min),
        scenario::duration_text(stats.median), scenario::duration_text(stats.p95),
        scenario::duration_text(stats.max));
    // A histogram of equal bins from min to max; one bar when every run agrees.
    const Duration span = stats.max - stats.min;
    const std::int64_t bins =
        span == Duration::zero()
            ? 1
            : std::min<std::int64_t>(kMaxBins, static_cast<std::int64_t>(stats.totals.size()));
    std::vector<std::size_t> counts(static_cast<std::size_t>(bins), 0);
    for (const Duration total : stats.totals) {
      const std::int64_t bin =
          span == Duration::zero() ? 0 : (total - stats.min).count() * bins / span.count();
      ++counts.at(static_cast<std::size_t>(std::min(bin, bins - 1)));
    }
    const std::size_t most = *std::ranges::max_element(counts);
    out += fmt::format(
        "<svg class=\"histogram\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
        "role=\"img\" aria-label=\"total outage per run of {2}\">\n",
        px(kWidth), px(kPlotHeight + 24), esc(s.flows[f].name));
    const double bar = kPlotWidth / static_cast<double>(bins);
    for (std::int64_t b = 0; b < bins; ++b) {
      const std::size_t n = counts.at(static_cast<std::size_t>(b));
      const Duration from = stats.min + span * b / bins;
      const Duration to = stats.min + span * (b + 1) / bins;
      const double h = kPlotHeight * static_cast<double>(n) / static_cast<double>(most);
      out += fmt::format(
          "<rect class=\"bin\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#4a6fa5\" "
          "stroke=\"#fff\"><title>{} to {}: {} run{}</title></rect>\n",
          px(kLeft + bar * static_cast<double>(b)), px(kPlotHeight - h), px(bar), px(h),
          scenario::duration_text(from), scenario::duration_text(to), n, n == 1 ? "" : "s");
    }
    out += fmt::format(
        "<line x1=\"{0}\" y1=\"{2}\" x2=\"{1}\" y2=\"{2}\" stroke=\"#555\"/>"
        "<text x=\"{0}\" y=\"{3}\" font-size=\"10\">{4}</text>"
        "<text x=\"{1}\" y=\"{3}\" font-size=\"10\" "
        "text-anchor=\"end\">{5}</text>\n</svg>\n</div>\n",
        px(kLeft), px(kLeft + kPlotWidth), px(kPlotHeight), px(kPlotHeight + 14),
        scenario::duration_text(stats.min), scenario::duration_text(stats.max));
  }
  out += "</section>\n";
}

}  // namespace

std::string_view circuit_colour(topo::CircuitId circuit) {
  return kPalette.at(circuit.value % kPalette.size());
}

std::string run_html(const Topology& topology, const scenario::Scenario& s,
                     const scenario::ScenarioResult& result) {
  std::string out = html_page_begin(fmt::format("{} on {}: ersim run", s.name, topology.name()));
  write_header(out, topology, s, result);
  write_topology(out, topology);
  write_timelines(out, topology, s, result);
  write_outages(out, s, result);
  if (const FlowRates flows(s); flows.carries_traffic()) {
    const reach::LoadReport& loads = result.runs.front().capacity;
    out += load_html(loads, channel_names(topology, loads), flows.rated(), kBusiestShown);
  }
  if (s.runs > 1) {
    write_distribution(out, s, result);
  }
  out += run_metrics_html(topology, s, result);
  out += html_page_end();
  return out;
}

}  // namespace ersim::report
