#include "sim/report/sweep_capacity.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sim/report/capacity_report.hpp"
#include "sim/report/html_page.hpp"
#include "sim/report/paint.hpp"
#include "sim/report/sweep_report.hpp"
#include "sim/topo/rate.hpp"

namespace ersim::report {
namespace {

using sweep::SetResult;
using sweep::SweepResult;

RatedFlows rated(const SweepResult& r) { return {r.flows, r.rates}; }

std::size_t shown(std::size_t n, std::size_t top) { return top == 0 ? n : std::min(n, top); }

std::vector<std::size_t> overloading_sets(const SweepResult& r) {
  std::vector<std::size_t> out;
  for (const std::size_t s : busiest_sets(r)) {
    if (!r.sets[s].overloads.empty()) {
      out.push_back(s);
    }
  }
  return out;
}

}  // namespace

bool carries_traffic(const SweepResult& r) {
  return std::any_of(r.rates.begin(), r.rates.end(), [](std::uint64_t rate) { return rate > 0; });
}

std::vector<std::size_t> busiest_sets(const SweepResult& r) {
  std::vector<std::size_t> out;
  for (std::size_t s = 0; s < r.sets.size(); ++s) {
    if (r.sets[s].busiest) {
      out.push_back(s);
    }
  }
  std::stable_sort(out.begin(), out.end(), [&](std::size_t a, std::size_t b) {
    return r.sets[a].busiest->utilization() > r.sets[b].busiest->utilization();
  });
  return out;
}

std::string sweep_capacity_text(const SweepResult& r, bool color, std::size_t top) {
  std::string out = "\n" + paint("Capacity", kAnsiBold, color) + "\n";
  if (r.capacity.peaks.empty()) {
    out += "  before any failure: no link or circuit with a capacity carries the flows' traffic\n";
  } else {
    const reach::ChannelPeak& p = r.capacity.peaks.front();
    out += fmt::format("  before any failure, the busiest: {}\n", peak_text(r.channels, p));
  }
  for (const reach::Overload& o : r.capacity.overloads) {
    out += fmt::format("    {}\n      flows: {}\n",
                       paint(overload_text(r.channels, o), kAnsiRed, color),
                       overload_flows_text(o, rated(r)));
  }
  const std::vector<std::size_t> busiest = busiest_sets(r);
  if (busiest.empty()) {
    return out + "  no failure set raises the load of a link or circuit with a capacity\n";
  }
  const std::size_t n = shown(busiest.size(), top);
  std::vector<std::string> labels;
  for (std::size_t i = 0; i < n; ++i) {
    labels.push_back(set_label(r, r.sets[busiest[i]].set));
  }
  std::size_t width = 0;
  for (const std::string& l : labels) {
    width = std::max(width, l.size());
  }
  out += fmt::format("  failure sets by the load on their busiest link or circuit ({} of {}):\n", n,
                     busiest.size());
  for (std::size_t i = 0; i < n; ++i) {
    const reach::ChannelPeak& p = *r.sets[busiest[i]].busiest;
    const std::string line = fmt::format("{:<{}}  {}", labels[i], width, peak_text(r.channels, p));
    out += fmt::format("    {}\n", p.utilization() > 1.0 ? paint(line, kAnsiRed, color) : line);
  }
  const std::vector<std::size_t> overloading = overloading_sets(r);
  if (overloading.empty()) {
    return out + "  " + paint("no failure set overloads a link or circuit", kAnsiGreen, color) +
           "\n";
  }
  const std::size_t m = shown(overloading.size(), top);
  out += fmt::format("  {} ({} shown):\n",
                     paint(fmt::format("{} failure set{} overload a link or circuit",
                                       overloading.size(), overloading.size() == 1 ? "" : "s"),
                           kAnsiRed, color),
                     m);
  for (std::size_t i = 0; i < m; ++i) {
    const SetResult& s = r.sets[overloading[i]];
    out += fmt::format("    {}\n", set_label(r, s.set));
    for (const reach::Overload& o : s.overloads) {
      out += fmt::format("      {}\n        flows: {}\n", overload_text(r.channels, o),
                         overload_flows_text(o, rated(r)));
    }
  }
  return out;
}

nlohmann::ordered_json sweep_capacity_json(const SweepResult& r) {
  if (!carries_traffic(r)) {
    return nullptr;
  }
  return {{"before_failures", load_json(r.capacity, r.channels, rated(r))},
          {"sets_overloading", overloading_sets(r).size()}};
}

void add_set_capacity_json(const SweepResult& r, const SetResult& s, nlohmann::ordered_json& j) {
  j["busiest"] = s.busiest ? peak_json(r.channels, *s.busiest) : nlohmann::ordered_json(nullptr);
  nlohmann::ordered_json overloads = nlohmann::ordered_json::array();
  for (const reach::Overload& o : s.overloads) {
    overloads.push_back(overload_json(r.channels, o, rated(r)));
  }
  j["overloads"] = std::move(overloads);
}

std::string sweep_capacity_html(const SweepResult& r, std::size_t top) {
  std::string out = "<section id=\"capacity\">\n<h2>Capacity</h2>\n";
  if (r.capacity.peaks.empty()) {
    out +=
        "<p class=\"note\">Before any failure no link or circuit with a capacity carries the "
        "flows' traffic.</p>\n";
  } else {
    out += fmt::format("<p>Before any failure, the busiest: {} {}</p>\n",
                       html_escaped(peak_text(r.channels, r.capacity.peaks.front())),
                       utilization_bar(r.capacity.peaks.front().utilization()));
  }
  const std::vector<std::size_t> busiest = busiest_sets(r);
  if (busiest.empty()) {
    return out +
           "<p class=\"note\">No failure set raises the load of a link or circuit with a "
           "capacity.</p>\n</section>\n";
  }
  const std::size_t n = shown(busiest.size(), top);
  out +=
      "<table class=\"loads\">\n<tr><th>failure set</th><th>busiest link or circuit</th>"
      "<th>peak</th><th>capacity</th><th>utilization</th><th></th><th>overloads</th></tr>\n";
  for (std::size_t i = 0; i < n; ++i) {
    const SetResult& s = r.sets[busiest[i]];
    const reach::ChannelPeak& p = *s.busiest;
    std::string overloads;
    for (const reach::Overload& o : s.overloads) {
      overloads +=
          fmt::format("<div>{}<br>flows: {}</div>", html_escaped(overload_text(r.channels, o)),
                      html_escaped(overload_flows_text(o, rated(r))));
    }
    out += fmt::format(
        "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>\n",
        html_escaped(set_label(r, s.set)),
        html_escaped(reach::channel_label(r.channels, p.channel)), rate_text(p.peak_bps),
        rate_text(p.capacity_bps), percent_text(p.utilization()), utilization_bar(p.utilization()),
        overloads.empty() ? "none" : overloads);
  }
  out += "</table>\n";
  if (n < busiest.size()) {
    out +=
        fmt::format("<p class=\"note\">The {} of {} sets that load a link or circuit most.</p>\n",
                    n, busiest.size());
  }
  return out + "</section>\n";
}

}  // namespace ersim::report
