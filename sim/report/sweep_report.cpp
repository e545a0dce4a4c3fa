#include "sim/report/sweep_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>
#include <thread>
#include <tuple>
#include <utility>

#include "core/assert.hpp"
#include "sim/report/html_page.hpp"
#include "sim/report/metrics_report.hpp"
#include "sim/report/paint.hpp"
#include "sim/report/sweep_capacity.hpp"
#include "sim/report/verdicts.hpp"
#include "sim/scenario/runner.hpp"

namespace ersim::report {

using scenario::duration_text;
using scenario::seconds;
using sweep::Element;
using sweep::ElementKind;
using sweep::Fate;
using sweep::FlowHit;
using sweep::SetResult;
using sweep::SweepResult;

namespace {

constexpr std::array kKinds{ElementKind::Link,     ElementKind::Router, ElementKind::Gateway,
                            ElementKind::Location, ElementKind::Metro,  ElementKind::Provider,
                            ElementKind::Group};

/// The index is out of 100 by definition (sweep.hpp), whatever its components' maxima add up to.
constexpr double kIndexScale = 100;

/// 18003000 -> "18,003,000": a k = 2 sweep of a large design counts pairs in the millions.
std::string grouped(std::uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) {
      out += ',';
    }
    out += digits[i];
  }
  return out;
}

/// "1 flow", "2 flows".
std::string counted(std::uint64_t n, std::string_view word) {
  return fmt::format("{} {}{}", grouped(n), word, n == 1 ? "" : "s");
}

/// `top` of SweepTextOptions applied to a list of `n`: 0 means all.
std::size_t shown(std::size_t n, std::size_t top) { return top == 0 ? n : std::min(n, top); }

/// "7 elements (3 links, 2 routers, 1 location, 1 srlg)", the kinds in their own order.
std::string elements_text(const SweepResult& r) {
  std::array<std::size_t, kKinds.size()> counts{};
  for (const Element& e : r.elements) {
    ++counts.at(static_cast<std::size_t>(e.kind));
  }
  std::string kinds;
  for (const ElementKind kind : kKinds) {
    if (const std::size_t n = counts.at(static_cast<std::size_t>(kind)); n > 0) {
      kinds += (kinds.empty() ? "" : ", ") + counted(n, sweep::to_string(kind));
    }
  }
  const std::string total = counted(r.elements.size(), "element");
  return kinds.empty() ? total : fmt::format("{} ({})", total, kinds);
}

/// "9 (7 singles, 2 pairs)": a pair that was pruned is not simulated, so it is not counted here.
std::string sets_text(const SweepResult& r) {
  const auto singles = static_cast<std::size_t>(std::count_if(
      r.sets.begin(), r.sets.end(), [](const SetResult& s) { return s.set.elements.size() == 1; }));
  if (r.options.k < 2) {
    return fmt::format("{} (each element alone)", grouped(r.sets.size()));
  }
  return fmt::format("{} ({}, {})", grouped(r.sets.size()), counted(singles, "single"),
                     counted(r.sets.size() - singles, "pair"));
}

/// "18,003,000 raw, 17,950,000 pruned (no effect 12,000, composed 17,938,000), 53,000 simulated".
std::string pairs_text(const sweep::PairCounts& p) {
  return fmt::format("{} raw, {} pruned (no effect {}, composed {}), {} simulated", grouped(p.raw),
                     grouped(p.no_effect + p.composed), grouped(p.no_effect), grouped(p.composed),
                     grouped(p.simulated));
}

/// "silent": the failure mode every link was forced to, or "" when each keeps its own.
std::string mode_text(const sweep::SweepOptions& o) {
  return o.mode ? std::string(topo::to_string(*o.mode)) : std::string();
}

/// "link, router" for --only; "every kind" when it was not given.
std::string only_text(const sweep::SweepOptions& o) {
  std::string out;
  for (const ElementKind kind : o.only) {
    out += (out.empty() ? "" : ", ") + std::string(sweep::to_string(kind));
  }
  return out;
}

std::string joined(const std::vector<std::string>& words, std::string_view separator) {
  std::string out;
  for (const std::string& w : words) {
    out += (out.empty() ? "" : std::string(separator)) + w;
  }
  return out;
}

/// "Maximum": Azure writes its resiliency models capitalised; the JSON keeps the word.
std::string model_text(topo::ResiliencyModel model) {
  std::string word(topo::to_string(model));
  if (!word.empty()) {
    word.front() = static_cast<char>(word.front() - 'a' + 'A');
  }
  return word;
}

/// "30.0/40".
std::string points_text(const sweep::IndexComponent& c) {
  return fmt::format("{:.1f}/{:g}", c.points, c.max);
}

/// "partitioned" with one run; with several, in how many: "partitioned 2/3, lost 1/3".
std::string fate_text(const FlowHit& hit, std::uint32_t runs) {
  if (runs <= 1) {
    return std::string(sweep::to_string(hit.fate()));
  }
  std::string out;
  if (hit.partitioned_runs > 0) {
    out += fmt::format("partitioned {}/{}", hit.partitioned_runs, runs);
  }
  if (hit.lost_runs > 0) {
    out += fmt::format("{}lost {}/{}", out.empty() ? "" : ", ", hit.lost_runs, runs);
  }
  return out.empty() ? std::string(sweep::to_string(hit.fate())) : out;
}

/// "partitioned, worst 600.000s, mean 600.000s, detection BFD": a hit in one line.
std::string hit_text(const FlowHit& hit, std::uint32_t runs) {
  return fmt::format("{}, worst {}, mean {}, detection {}", fate_text(hit, runs),
                     duration_text(hit.worst_outage), duration_text(hit.mean_outage),
                     hit.detection);
}

/// The names of the first `most` of `flows`, and "and N more" for the rest.
std::string named_flows(const SweepResult& r, const std::vector<std::uint32_t>& flows,
                        std::size_t most) {
  std::string out;
  for (std::size_t i = 0; i < std::min(flows.size(), most); ++i) {
    out += (i == 0 ? "" : ", ") + r.flows.at(flows[i]);
  }
  if (flows.size() > most) {
    out += fmt::format(" and {} more", flows.size() - most);
  }
  return out;
}

bool hurts(const SetResult& s) {
  return std::any_of(s.flows.begin(), s.flows.end(),
                     [](const FlowHit& h) { return h.fate() != Fate::NeverLost; });
}

std::size_t dependents_of(const SweepResult& r, std::size_t element) {
  return element < r.dependents.size() ? r.dependents[element].size() : 0;
}

/// Per flow, the failure sets that partition it, in the sweep's order: the singles first, which
/// are what a design must survive, then the pairs.
std::vector<std::vector<std::size_t>> partitioning_sets(const SweepResult& r) {
  std::vector<std::vector<std::size_t>> out(r.flows.size());
  for (std::size_t s = 0; s < r.sets.size(); ++s) {
    for (const FlowHit& hit : r.sets[s].flows) {
      if (hit.fate() == Fate::Partitioned) {
        out.at(hit.flow).push_back(s);
      }
    }
  }
  return out;
}

std::size_t widest(const std::vector<std::string>& texts) {
  std::size_t width = 0;
  for (const std::string& t : texts) {
    width = std::max(width, t.size());
  }
  return width;
}

// --- Text. ---

void write_text_header(std::string& out, const SweepResult& r, bool color) {
  out += fmt::format("{}, k = {}: {}, {}\n", paint("Failure sweep", kAnsiBold, color), r.options.k,
                     elements_text(r), counted(r.flows.size(), "flow"));
  out += fmt::format("failure sets simulated: {}\n", sets_text(r));
  if (r.options.k >= 2) {
    out += fmt::format("pairs: {}\n", pairs_text(r.pairs));
  }
  out += fmt::format("runs {}, seed {}, horizon {}", r.options.runs, r.options.seed,
                     format_duration(r.options.horizon));
  if (r.options.mode) {
    out += fmt::format("; every link fails {}", mode_text(r.options));
  }
  if (!r.options.only.empty()) {
    out += fmt::format("; only {}", only_text(r.options));
  }
  if (!r.options.exclude.empty()) {
    out += fmt::format("; excluding {}", joined(r.options.exclude, ", "));
  }
  out += '\n';
  if (!r.unreachable.empty()) {
    std::vector<std::string> names;
    for (const std::uint32_t f : r.unreachable) {
      names.push_back(r.flows.at(f));
    }
    out += paint(fmt::format("not delivered before any failure, so counted under no set: {}",
                             joined(names, ", ")),
                 kAnsiRed, color) +
           '\n';
  }
}

void write_text_resiliency(std::string& out, const SweepResult& r, bool color) {
  out += fmt::format(
      "\n{} (model: {})\n",
      paint(fmt::format("Resiliency index {:.1f}/{:g}", r.resiliency.index, kIndexScale), kAnsiBold,
            color),
      model_text(r.resiliency.model));
  std::vector<std::string> names;
  std::vector<std::string> points;
  for (const sweep::IndexComponent& c : r.resiliency.components) {
    names.push_back(c.name);
    points.push_back(points_text(c));
  }
  const std::size_t name_width = widest(names);
  const std::size_t points_width = widest(points);
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string& why = r.resiliency.components[i].explanation;
    out += fmt::format("  {:<{}}  {:>{}}{}\n", names[i], name_width, points[i], points_width,
                       why.empty() ? "" : "  " + why);
  }
}

void write_text_worst(std::string& out, const SweepResult& r, const std::vector<std::size_t>& worst,
                      const SweepTextOptions& o) {
  const std::size_t n = shown(worst.size(), o.top);
  out += fmt::format("\n{} ({} of {} hurt a flow{})\n",
                     paint("Worst failure sets", kAnsiBold, o.color), grouped(worst.size()),
                     counted(r.sets.size(), "set"),
                     n < worst.size() ? fmt::format("; the worst {} shown", n) : "");
  // Columns sized over what is shown, so that one long name elsewhere does not widen them all.
  std::vector<std::string> labels;
  std::vector<std::string> names;
  std::vector<std::string> fates;
  for (std::size_t i = 0; i < n; ++i) {
    const SetResult& s = r.sets[worst[i]];
    labels.push_back(set_label(r, s.set));
    for (const FlowHit& hit : s.flows) {
      names.push_back(r.flows.at(hit.flow));
      fates.push_back(fate_text(hit, r.options.runs));
    }
  }
  const std::size_t label_width = widest(labels);
  const std::size_t name_width = widest(names);
  const std::size_t fate_width = widest(fates);
  for (std::size_t i = 0; i < n; ++i) {
    const SetResult& s = r.sets[worst[i]];
    const std::size_t partitioned = s.partitioned();
    const std::string count = fmt::format("{} partitioned", partitioned);
    out += fmt::format("  {:<{}}  {}, worst {}\n", labels[i], label_width,
                       partitioned > 0 ? paint(count, kAnsiRed, o.color) : count,
                       duration_text(s.worst_outage()));
    std::size_t shown = 0;
    for (const FlowHit& hit : s.flows) {
      if (hit.fate() == Fate::NeverLost) {
        continue;
      }
      if (o.top > 0 && shown == o.top) {
        out += fmt::format("    and {} more\n", grouped(s.flows.size() - shown));
        break;
      }
      ++shown;
      const std::string fate = fmt::format("{:<{}}", fate_text(hit, r.options.runs), fate_width);
      out += fmt::format(
          "    {:<{}}  {}  worst {:<9} mean {:<9} detection {}\n", r.flows.at(hit.flow), name_width,
          hit.fate() == Fate::Partitioned ? paint(fate, kAnsiRed, o.color) : fate,
          duration_text(hit.worst_outage), duration_text(hit.mean_outage), hit.detection);
    }
  }
}

void write_text_partitioned(std::string& out, const SweepResult& r, const SweepTextOptions& o) {
  const std::vector<std::vector<std::size_t>> by_flow = partitioning_sets(r);
  if (std::all_of(by_flow.begin(), by_flow.end(), [](const auto& s) { return s.empty(); })) {
    return;
  }
  out += "\n" + paint("Flows partitioned by", kAnsiBold, o.color) + "\n";
  for (std::size_t f = 0; f < by_flow.size(); ++f) {
    const std::vector<std::size_t>& sets = by_flow[f];
    if (sets.empty()) {
      continue;
    }
    out += fmt::format("  {} ({})\n", paint(r.flows[f], kAnsiRed, o.color),
                       counted(sets.size(), "failure set"));
    const std::size_t n = shown(sets.size(), o.top);
    for (std::size_t i = 0; i < n; ++i) {
      out += fmt::format("    {}\n", set_label(r, r.sets[sets[i]].set));
    }
    if (n < sets.size()) {
      out += fmt::format("    and {} more\n", grouped(sets.size() - n));
    }
  }
}

void write_text_criticality(std::string& out, const SweepResult& r, const SweepTextOptions& o) {
  const std::vector<std::size_t> critical = critical_elements(r);
  if (critical.empty()) {
    return;
  }
  const std::size_t n = shown(critical.size(), o.top);
  out += fmt::format(
      "\n{} (flows on each element's path{})\n", paint("Criticality", kAnsiBold, o.color),
      n < critical.size() ? fmt::format("; the top {} of {}", n, critical.size()) : "");
  std::vector<std::string> labels;
  for (std::size_t i = 0; i < n; ++i) {
    labels.push_back(r.elements[critical[i]].label());
  }
  const std::size_t width = widest(labels);
  // A handful of flows reads better by name than as a number.
  constexpr std::size_t kNamed = 3;
  for (std::size_t i = 0; i < n; ++i) {
    const std::vector<std::uint32_t>& flows = r.dependents[critical[i]];
    out += fmt::format("  {:<{}}  {}{}\n", labels[i], width, counted(flows.size(), "flow"),
                       flows.size() <= kNamed ? ": " + named_flows(r, flows, kNamed) : "");
  }
}

// --- JSON. ---

/// A duration both ways: exact nanoseconds for programs, seconds for people and plots.
void put_duration(nlohmann::ordered_json& j, std::string_view name, Duration d) {
  j[fmt::format("{}_ns", name)] = d.count();
  j[fmt::format("{}_s", name)] = seconds(d);
}

nlohmann::ordered_json options_json(const sweep::SweepOptions& o) {
  nlohmann::ordered_json only = nlohmann::ordered_json::array();
  for (const ElementKind kind : o.only) {
    only.push_back(sweep::to_string(kind));
  }
  nlohmann::ordered_json j{{"k", o.k},
                           {"only", std::move(only)},
                           {"exclude", o.exclude},
                           {"mode", o.mode ? nlohmann::ordered_json(mode_text(o)) : nullptr},
                           {"runs", o.runs},
                           {"seed", o.seed}};
  put_duration(j, "horizon", o.horizon);
  return j;
}

/// `traffic`: carries_traffic(r), which reads every flow's rate, so the caller asks it once.
nlohmann::ordered_json set_json(const SweepResult& r, const SetResult& s, bool traffic) {
  nlohmann::ordered_json flows = nlohmann::ordered_json::array();
  for (const FlowHit& hit : s.flows) {
    nlohmann::ordered_json h{{"flow", hit.flow},
                             {"fate", sweep::to_string(hit.fate())},
                             {"lost_runs", hit.lost_runs},
                             {"partitioned_runs", hit.partitioned_runs}};
    put_duration(h, "worst_outage", hit.worst_outage);
    put_duration(h, "mean_outage", hit.mean_outage);
    h["detection"] = hit.detection;
    flows.push_back(std::move(h));
  }
  nlohmann::ordered_json j{{"elements", s.set.elements}, {"partitioned", s.partitioned()}};
  put_duration(j, "worst_outage", s.worst_outage());
  j["flows"] = std::move(flows);
  if (traffic) {
    add_set_capacity_json(r, s, j);
  }
  j["storm"] = storm_json(s.storm);
  return j;
}

// --- HTML. ---

// The heatmap's bands of worst outage, ColorBrewer's YlOrRd: under 1 s is what BFD buys; 10 s a
// slow detection; 1 min the gateway's reconvergence; 3 min the default hold timer. A partitioned
// flow is a different kind of harm, so it is a dark purple off that scale; a flow never lost is
// near white, so the eye goes to the harm.
struct Band {
  Duration below;
  std::string_view colour;
  std::string_view label;
};
constexpr std::array<Band, 5> kBands{{
    {std::chrono::seconds(1), "#ffffb2", "lost, worst under 1s"},
    {std::chrono::seconds(10), "#fecc5c", "lost, worst 1s to 10s"},
    {std::chrono::minutes(1), "#fd8d3c", "lost, worst 10s to 1m"},
    {std::chrono::minutes(3), "#f03b20", "lost, worst 1m to 3m"},
    {Duration::max(), "#bd0026", "lost, worst 3m or more"},
}};
constexpr std::string_view kPartitionedColour = "#3f007d";
constexpr std::string_view kNeverLostColour = "#f4f4f4";

constexpr std::string_view kSweepStyle = R"(
.index .score { font-size: 2.4em; font-weight: bold; }
.index .of { color: #555; margin-right: 0.6em; }
svg.bar { vertical-align: middle; }
.hit.partitioned { color: #3f007d; font-weight: bold; }
.hit.lost { color: #b71c1c; }
svg.heatmap { display: block; margin: 0.4em 0; }
)";

// Heatmap geometry in pixels, for a 1160 px page.
constexpr double kLabelWidth = 330;
constexpr double kGridWidth = 760;
constexpr double kCellHeight = 14;
constexpr double kMinCellWidth = 8;
constexpr double kMaxCellWidth = 28;
constexpr std::size_t kLabelChars = 52;  // of a row label at 11 px; the tooltip has it all

std::string esc(std::string_view text) { return html_escaped(text); }

/// `text` cut to `chars` bytes and an ellipsis, never inside a UTF-8 sequence.
std::string shortened(const std::string& text, std::size_t chars) {
  if (text.size() <= chars) {
    return text;
  }
  std::size_t cut = chars - 1;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) {
    --cut;
  }
  return text.substr(0, cut) + "\u2026";
}

void write_html_header(std::string& out, const SweepResult& r, std::string_view title) {
  out += fmt::format("<header>\n<h1>{}</h1>\n<dl class=\"facts\">\n", esc(title));
  out += fmt::format("<dt>Elements</dt><dd>{}</dd>\n", elements_text(r));
  out += fmt::format("<dt>Flows</dt><dd>{}</dd>\n", grouped(r.flows.size()));
  out += fmt::format("<dt>Failed together</dt><dd>up to {} (k = {})</dd>\n",
                     counted(r.options.k, "element"), r.options.k);
  out += fmt::format("<dt>Failure sets simulated</dt><dd>{}</dd>\n", sets_text(r));
  if (r.options.k >= 2) {
    out += fmt::format("<dt>Pairs</dt><dd>{}</dd>\n", pairs_text(r.pairs));
  }
  out += fmt::format("<dt>Runs</dt><dd>{}</dd>\n", r.options.runs);
  out += fmt::format("<dt>Seed</dt><dd>{}</dd>\n", r.options.seed);
  out += fmt::format("<dt>Horizon</dt><dd>{}</dd>\n", format_duration(r.options.horizon));
  if (r.options.mode) {
    out +=
        fmt::format("<dt>Link failures</dt><dd>every link fails {}</dd>\n", mode_text(r.options));
  }
  if (!r.options.only.empty()) {
    out += fmt::format("<dt>Only</dt><dd>{}</dd>\n", only_text(r.options));
  }
  if (!r.options.exclude.empty()) {
    out += fmt::format("<dt>Excluding</dt><dd>{}</dd>\n", esc(joined(r.options.exclude, ", ")));
  }
  out += "</dl>\n";
  out += verdicts_html(verdict_lines(r.expectations, r.verdicts));
  out += "</header>\n";
}

void write_html_resiliency(std::string& out, const SweepResult& r) {
  constexpr double kBarWidth = 160;
  out += fmt::format(
      "<section id=\"resiliency\">\n<h2>Resiliency index</h2>\n<p class=\"index\"><span "
      "class=\"score\">{:.1f}</span><span class=\"of\">/{:g}</span>model {}</p>\n",
      r.resiliency.index, kIndexScale, esc(model_text(r.resiliency.model)));
  if (!r.resiliency.components.empty()) {
    out +=
        "<table class=\"components\">\n<tr><th>component</th><th>points</th><th></th>"
        "<th>why</th></tr>\n";
    for (const sweep::IndexComponent& c : r.resiliency.components) {
      const double filled = c.max > 0 ? kBarWidth * std::clamp(c.points / c.max, 0.0, 1.0) : 0;
      out += fmt::format(
          "<tr><td>{0}</td><td class=\"num\">{1}</td><td><svg class=\"bar\" width=\"{2}\" "
          "height=\"12\" viewBox=\"0 0 {2} 12\"><rect width=\"{2}\" height=\"12\" "
          "fill=\"#e6e6e6\"/><rect width=\"{3}\" height=\"12\" fill=\"#4a6fa5\"/></svg></td>"
          "<td>{4}</td></tr>\n",
          esc(c.name), points_text(c), px(kBarWidth), px(filled), esc(c.explanation));
    }
    out += "</table>\n";
  }
  out += "</section>\n";
}

void write_html_worst(std::string& out, const SweepResult& r,
                      const std::vector<std::size_t>& worst) {
  out += "<section id=\"worst\">\n<h2>Worst failure sets</h2>\n";
  if (!r.unreachable.empty()) {
    std::vector<std::string> names;
    for (const std::uint32_t f : r.unreachable) {
      names.push_back(html_escaped(r.flows.at(f)));
    }
    out += fmt::format(
        "<p class=\"verdict bad\">Not delivered before any failure, so counted under no set: "
        "{}</p>\n",
        joined(names, ", "));
  }
  if (worst.empty()) {
    out += "<p class=\"verdict ok\">No failure set hurt any flow.</p>\n</section>\n";
    return;
  }
  const std::size_t n = std::min(worst.size(), kSweepHtmlTop);
  out +=
      "<table class=\"worst\">\n<tr><th>#</th><th>failure set</th><th>flows partitioned</th>"
      "<th>worst outage</th><th>flows hurt</th></tr>\n";
  for (std::size_t i = 0; i < n; ++i) {
    const SetResult& s = r.sets[worst[i]];
    std::string hits;
    for (const FlowHit& hit : s.flows) {
      if (hit.fate() == Fate::NeverLost) {
        continue;
      }
      hits += fmt::format("{}<span class=\"hit {}\">{}</span>: {}", hits.empty() ? "" : "<br>",
                          hit.fate() == Fate::Partitioned ? "partitioned" : "lost",
                          esc(r.flows.at(hit.flow)), esc(hit_text(hit, r.options.runs)));
    }
    out += fmt::format(
        "<tr data-set=\"{}\"><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td>{}</td></tr>\n",
        worst[i], i + 1, esc(set_label(r, s.set)), s.partitioned(), duration_text(s.worst_outage()),
        hits);
  }
  out += "</table>\n";
  if (n < worst.size()) {
    out += fmt::format(
        "<p class=\"note\">The worst {} of the {} failure sets that hurt a flow; the JSON report "
        "lists them all.</p>\n",
        n, grouped(worst.size()));
  }
  out += "</section>\n";
}

void write_heatmap_legend(std::string& out) {
  const auto swatch = [&](std::string_view colour, std::string_view label) {
    out += fmt::format("<li><span class=\"swatch\" style=\"background:{}\"></span>{}</li>\n",
                       colour, label);
  };
  out += "<ul class=\"legend\">\n";
  swatch(kNeverLostColour, "never lost");
  for (const Band& band : kBands) {
    swatch(band.colour, band.label);
  }
  swatch(kPartitionedColour, "partitioned (still out at the horizon)");
  out += "</ul>\n";
}

void write_heatmap(std::string& out, const SweepResult& r, const std::vector<std::size_t>& worst) {
  out += "<section id=\"heatmap\">\n<h2>Failure sets by flow</h2>\n";
  if (worst.empty() || r.flows.empty()) {
    out += "<p class=\"note\">No failure set hurt any flow: nothing to draw.</p>\n</section>\n";
    return;
  }
  write_heatmap_legend(out);
  const std::size_t rows = std::min(worst.size(), kSweepHtmlMaxRows);
  const double cell_width =
      std::clamp(kGridWidth / static_cast<double>(r.flows.size()), kMinCellWidth, kMaxCellWidth);
  // Flow names stand slanted above their columns; the header grows with the longest, up to a
  // limit past which they overflow into the page's margin rather than push the grid down.
  const double header = std::clamp(5.0 * static_cast<double>(widest(r.flows)) + 12.0, 40.0, 160.0);
  const double grid_width = cell_width * static_cast<double>(r.flows.size());
  const double width = kLabelWidth + grid_width + header;
  const double height = header + kCellHeight * static_cast<double>(rows) + 4;
  out += fmt::format(
      "<svg class=\"heatmap\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" role=\"img\" "
      "aria-label=\"worst outage per failure set and flow\">\n",
      px(width), px(height));
  for (std::size_t f = 0; f < r.flows.size(); ++f) {
    const double x = kLabelWidth + cell_width * (static_cast<double>(f) + 0.5);
    out += fmt::format(
        "<text class=\"flow-label\" transform=\"translate({},{}) rotate(-45)\" "
        "font-size=\"11\">{}</text>\n",
        px(x), px(header - 4), esc(r.flows[f]));
  }
  for (std::size_t row = 0; row < rows; ++row) {
    const std::size_t s = worst[row];
    const SetResult& set = r.sets[s];
    const std::string label = set_label(r, set.set);
    const double y = header + kCellHeight * static_cast<double>(row);
    out += fmt::format(
        "<text class=\"set-label\" x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"11\">"
        "<title>{}</title>{}</text>\n",
        px(kLabelWidth - 6), px(y + kCellHeight - 3), esc(label),
        esc(shortened(label, kLabelChars)));
    // The hits are sorted by flow: walk them alongside the columns.
    auto hit = set.flows.begin();
    for (std::size_t f = 0; f < r.flows.size(); ++f) {
      while (hit != set.flows.end() && hit->flow < f) {
        ++hit;
      }
      const bool listed = hit != set.flows.end() && hit->flow == f;
      const std::string tooltip =
          listed ? fmt::format("{}\n{}: {}", label, r.flows[f], hit_text(*hit, r.options.runs))
                 : fmt::format("{}\n{}: never lost", label, r.flows[f]);
      out += fmt::format(
          "<rect class=\"cell\" data-set=\"{}\" data-flow=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" "
          "height=\"{}\" fill=\"{}\" stroke=\"#fff\"><title>{}</title></rect>\n",
          s, f, px(kLabelWidth + cell_width * static_cast<double>(f)), px(y), px(cell_width),
          px(kCellHeight),
          listed ? outage_colour(hit->fate(), hit->worst_outage) : kNeverLostColour, esc(tooltip));
    }
  }
  out += "</svg>\n";
  if (rows < worst.size()) {
    out += fmt::format(
        "<p class=\"note\">The worst {} failure sets are drawn; {} more that hurt a flow are left "
        "out.</p>\n",
        rows, grouped(worst.size() - rows));
  }
  if (const std::size_t clean = r.sets.size() - worst.size(); clean > 0) {
    out += fmt::format("<p class=\"note\">{} that hurt no flow {} not drawn.</p>\n",
                       counted(clean, "failure set"), clean == 1 ? "is" : "are");
  }
  out += "<p class=\"note\">Hover a cell for the flow's fate, outages and detection.</p>\n";
  out += "</section>\n";
}

void write_html_criticality(std::string& out, const SweepResult& r) {
  out += "<section id=\"criticality\">\n<h2>Criticality</h2>\n";
  const std::vector<std::size_t> critical = critical_elements(r);
  if (critical.empty()) {
    out += "<p class=\"note\">No element is on a flow's path.</p>\n</section>\n";
    return;
  }
  constexpr std::size_t kNamed = 5;
  const std::size_t n = std::min(critical.size(), kSweepHtmlTop);
  out +=
      "<table class=\"criticality\">\n<tr><th>#</th><th>element</th><th>peering locations</th>"
      "<th>flows on its path</th><th>which</th></tr>\n";
  for (std::size_t i = 0; i < n; ++i) {
    const Element& e = r.elements[critical[i]];
    const std::vector<std::uint32_t>& flows = r.dependents[critical[i]];
    out += fmt::format(
        "<tr data-element=\"{}\"><td class=\"num\">{}</td><td>{}</td><td>{}</td>"
        "<td class=\"num\">{}</td><td>{}</td></tr>\n",
        critical[i], i + 1, esc(e.label()), esc(joined(e.locations, ", ")), flows.size(),
        esc(named_flows(r, flows, kNamed)));
  }
  out += "</table>\n";
  if (n < critical.size()) {
    out += fmt::format("<p class=\"note\">The top {} of {} elements on a flow's path.</p>\n", n,
                       critical.size());
  }
  out += "</section>\n";
}

}  // namespace

std::vector<std::size_t> worst_sets(const SweepResult& r) {
  struct Rank {
    std::size_t partitioned;
    Duration worst;
    std::size_t set;
  };
  std::vector<Rank> ranks;
  for (std::size_t s = 0; s < r.sets.size(); ++s) {
    if (hurts(r.sets[s])) {
      ranks.push_back({r.sets[s].partitioned(), r.sets[s].worst_outage(), s});
    }
  }
  // More partitioned first, then the longer worst outage, then the sweep's order.
  std::sort(ranks.begin(), ranks.end(), [](const Rank& a, const Rank& b) {
    return std::tie(b.partitioned, b.worst, a.set) < std::tie(a.partitioned, a.worst, b.set);
  });
  std::vector<std::size_t> out;
  out.reserve(ranks.size());
  for (const Rank& rank : ranks) {
    out.push_back(rank.set);
  }
  return out;
}

std::vector<std::size_t> critical_elements(const SweepResult& r) {
  // Most dependent flows first, then the sweep's order (keys gathered first, as in worst_sets).
  std::vector<std::pair<std::size_t, std::size_t>> ranks;  // (dependents, element)
  for (std::size_t e = 0; e < r.elements.size(); ++e) {
    if (const std::size_t n = dependents_of(r, e); n > 0) {
      ranks.emplace_back(n, e);
    }
  }
  std::sort(ranks.begin(), ranks.end(), [](const auto& a, const auto& b) {
    return std::tie(b.first, a.second) < std::tie(a.first, b.second);
  });
  std::vector<std::size_t> out;
  out.reserve(ranks.size());
  for (const auto& rank : ranks) {
    out.push_back(rank.second);
  }
  return out;
}

std::string set_label(const SweepResult& r, const sweep::FailureSet& set) {
  std::vector<std::string> labels;
  for (const std::uint32_t e : set.elements) {
    labels.push_back(r.elements.at(e).label());
  }
  return joined(labels, " + ");
}

std::string sweep_text(const SweepResult& r, const SweepTextOptions& options) {
  std::string out;
  write_text_header(out, r, options.color);
  write_text_resiliency(out, r, options.color);
  const std::vector<std::size_t> worst = worst_sets(r);
  if (worst.empty()) {
    out += "\n" + paint("No failure set hurt any flow.", kAnsiGreen, options.color) + "\n";
  } else {
    write_text_worst(out, r, worst, options);
    write_text_partitioned(out, r, options);
  }
  write_text_criticality(out, r, options);
  if (carries_traffic(r)) {
    out += sweep_capacity_text(r, options.color, options.top);
  }
  out += sweep_storms_text(r, options.color, options.top);
  if (!r.expectations.empty()) {
    out += "\n" + verdicts_text(verdict_lines(r.expectations, r.verdicts), options.color);
  }
  return out;
}

namespace {

// The document with `sets` as the failure sets' array.
nlohmann::ordered_json sweep_json_with(const SweepResult& r, nlohmann::ordered_json sets) {
  nlohmann::ordered_json elements = nlohmann::ordered_json::array();
  for (std::size_t e = 0; e < r.elements.size(); ++e) {
    const Element& element = r.elements[e];
    elements.push_back({{"kind", sweep::to_string(element.kind)},
                        {"name", element.name},
                        {"locations", element.locations},
                        {"dependents", dependents_of(r, e)}});
  }
  nlohmann::ordered_json flows = nlohmann::ordered_json::array();
  for (std::uint32_t f = 0; f < r.flows.size(); ++f) {
    // A flow lost before any failure is counted under no set.
    const bool unreachable = std::binary_search(r.unreachable.begin(), r.unreachable.end(), f);
    flows.push_back(
        {{"name", r.flows[f]},
         {"delivered_before_failures", !unreachable},
         {"rate_bps", f < r.rates.size() && r.rates[f] > 0 ? nlohmann::ordered_json(r.rates[f])
                                                           : nlohmann::ordered_json(nullptr)}});
  }
  nlohmann::ordered_json components = nlohmann::ordered_json::array();
  for (const sweep::IndexComponent& c : r.resiliency.components) {
    components.push_back(
        {{"name", c.name}, {"points", c.points}, {"max", c.max}, {"explanation", c.explanation}});
  }
  nlohmann::ordered_json expectations = nlohmann::ordered_json::array();
  for (const VerdictLine& v : verdict_lines(r.expectations, r.verdicts)) {
    expectations.push_back({{"text", v.text}, {"met", v.met}, {"detail", v.detail}});
  }
  return {{"schema", kSweepSchema},
          {"options", options_json(r.options)},
          {"elements", std::move(elements)},
          {"flows", std::move(flows)},
          {"sets", std::move(sets)},
          {"pairs",
           {{"raw", r.pairs.raw},
            {"no_effect", r.pairs.no_effect},
            {"composed", r.pairs.composed},
            {"simulated", r.pairs.simulated}}},
          {"resiliency",
           {{"index", r.resiliency.index},
            {"model", topo::to_string(r.resiliency.model)},
            {"components", std::move(components)}}},
          {"capacity", sweep_capacity_json(r)},
          {"expectations", std::move(expectations)},
          {"all_met", r.all_met()},
          {"engine_events", r.engine_events}};
}

}  // namespace

nlohmann::ordered_json sweep_json(const SweepResult& r) {
  nlohmann::ordered_json sets = nlohmann::ordered_json::array();
  const bool traffic = carries_traffic(r);
  for (const SetResult& s : r.sets) {
    sets.push_back(set_json(r, s, traffic));
  }
  return sweep_json_with(r, std::move(sets));
}

void write_sweep_json(std::FILE* out, const SweepResult& r, unsigned threads) {
  // The document around an empty array, which the sets then fill as dump(2) would: each one at
  // the array's indent (4), one after another.
  const std::string around = sweep_json_with(r, nlohmann::ordered_json::array()).dump(2);
  constexpr std::string_view kEmpty = "\n  \"sets\": []";
  const std::size_t at = around.find(kEmpty);
  ERSIM_ASSERT(at != std::string::npos, "the document has its sets' array");
  const std::size_t close = at + kEmpty.size() - 1;  // the array's ']'
  if (r.sets.empty()) {
    fmt::print(out, "{}\n", around);
    return;
  }
  fmt::print(out, "{}\n", std::string_view(around).substr(0, close));
  const bool traffic = carries_traffic(r);
  const auto text = [&](const SetResult& s) {
    const std::string set = set_json(r, s, traffic).dump(2);
    // Every line four spaces further in, a line at a time.
    std::string indented;
    indented.reserve(set.size() +
                     4 * static_cast<std::size_t>(std::count(set.begin(), set.end(), '\n') + 1));
    for (std::size_t from = 0;;) {
      indented.append(4, ' ');
      const std::size_t newline = set.find('\n', from);
      if (newline == std::string::npos) {
        indented.append(set, from);
        return indented;
      }
      indented.append(set, from, newline + 1 - from);
      from = newline + 1;
    }
  };
  // A batch of sets at a time, its texts made by `threads` threads side by side (each a
  // contiguous share) and written in order: the same bytes for any thread count, and a batch's
  // texts the only ones held at once.
  std::vector<std::string> texts;
  for (std::size_t first = 0; first < r.sets.size(); first += kSweepJsonBatch) {
    const std::size_t n = std::min(kSweepJsonBatch, r.sets.size() - first);
    texts.assign(n, {});
    const std::size_t shares = std::clamp<std::size_t>(threads, 1, n);
    const auto make = [&](std::size_t share) {
      for (std::size_t i = share * n / shares; i < (share + 1) * n / shares; ++i) {
        texts[i] = text(r.sets[first + i]);
      }
    };
    {
      std::vector<std::jthread> helpers;  // joined before the batch is written, even on a throw
      for (std::size_t share = 1; share < shares; ++share) {
        helpers.emplace_back(make, share);
      }
      make(0);
    }
    for (std::size_t i = 0; i < n; ++i) {
      fmt::print(out, "{}{}\n", texts[i], first + i + 1 < r.sets.size() ? "," : "");
    }
  }
  fmt::print(out, "  {}\n", std::string_view(around).substr(close));
}

std::string_view outage_colour(Fate fate, Duration worst) {
  if (fate == Fate::Partitioned) {
    return kPartitionedColour;
  }
  if (fate == Fate::NeverLost) {
    return kNeverLostColour;
  }
  const auto* band =
      std::find_if(kBands.begin(), kBands.end(), [&](const Band& b) { return worst < b.below; });
  return band == kBands.end() ? kBands.back().colour : band->colour;
}

std::string sweep_html(const SweepResult& r, std::string_view title) {
  std::string out = html_page_begin(fmt::format("{}: ersim sweep", title), kSweepStyle);
  const std::vector<std::size_t> worst = worst_sets(r);
  write_html_header(out, r, title);
  write_html_resiliency(out, r);
  write_html_worst(out, r, worst);
  write_heatmap(out, r, worst);
  write_html_criticality(out, r);
  if (carries_traffic(r)) {
    out += sweep_capacity_html(r, kSweepHtmlTop);
  }
  out += sweep_storms_html(r);
  out += html_page_end();
  return out;
}

}  // namespace ersim::report
