#include "sim/report/capacity_report.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <vector>

#include "sim/report/html_page.hpp"
#include "sim/report/paint.hpp"
#include "sim/scenario/runner.hpp"
#include "sim/topo/rate.hpp"

namespace ersim::report {
namespace {

double seconds_at(SimTime at) { return scenario::seconds(at - kTimeZero); }

}  // namespace

FlowRates::FlowRates(const scenario::Scenario& scenario) {
  for (const scenario::Flow& f : scenario.flows) {
    names.push_back(f.name);
    rates.push_back(f.rate_bps);
  }
}

bool FlowRates::carries_traffic() const {
  return std::any_of(rates.begin(), rates.end(), [](std::uint64_t r) { return r > 0; });
}

std::string peak_text(const reach::ChannelDirectory& names, const reach::ChannelPeak& peak) {
  return fmt::format("{}: {} of {} ({}) at {}", reach::channel_label(names, peak.channel),
                     rate_text(peak.peak_bps), rate_text(peak.capacity_bps),
                     percent_text(peak.utilization()), scenario::time_text(peak.at));
}

std::string overload_text(const reach::ChannelDirectory& names, const reach::Overload& overload) {
  const std::string excess = rate_text(overload.excess_bps());
  return fmt::format("{}: {} of {} ({}) from {} {}{}, {}",
                     reach::channel_label(names, overload.channel), rate_text(overload.peak_bps),
                     rate_text(overload.capacity_bps), percent_text(overload.utilization()),
                     scenario::time_text(overload.start),
                     overload.open ? "until the end at " : "to ", scenario::time_text(overload.end),
                     overload.channel.kind == reach::Channel::Kind::Link
                         ? excess + " dropped"
                         : excess + " above its bandwidth (not guaranteed)");
}

std::string overload_flows_text(const reach::Overload& overload, const RatedFlows& flows) {
  std::vector<std::string> parts;
  parts.reserve(overload.flows.size());
  for (const std::uint32_t f : overload.flows) {
    parts.push_back(fmt::format("{} {}", flows.names[f], rate_text(flows.rates[f])));
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

std::string load_text(const reach::LoadReport& report, const reach::ChannelDirectory& names,
                      const RatedFlows& flows, bool color, std::size_t top) {
  std::string out = paint("Capacity", kAnsiBold, color) + "\n";
  if (report.peaks.empty()) {
    return out + "  no link or circuit with a capacity carries the flows' traffic\n";
  }
  const std::size_t shown = top == 0 ? report.peaks.size() : std::min(top, report.peaks.size());
  out += fmt::format("  busiest (peak load of its capacity{}):\n",
                     shown < report.peaks.size()
                         ? fmt::format(", {} of {}", shown, report.peaks.size())
                         : std::string());
  for (std::size_t i = 0; i < shown; ++i) {
    const reach::ChannelPeak& p = report.peaks[i];
    const std::string line = peak_text(names, p);
    out += fmt::format("    {}\n", p.utilization() > 1.0 ? paint(line, kAnsiRed, color) : line);
  }
  if (report.overloads.empty()) {
    return out + "  " + paint("no overload", kAnsiGreen, color) + "\n";
  }
  out += fmt::format("  {}:\n", paint(fmt::format("{} overload{}", report.overloads.size(),
                                                  report.overloads.size() == 1 ? "" : "s"),
                                      kAnsiRed, color));
  for (const reach::Overload& o : report.overloads) {
    out += fmt::format("    {}\n      flows: {}\n", overload_text(names, o),
                       overload_flows_text(o, flows));
  }
  return out;
}

nlohmann::ordered_json channel_json(const reach::ChannelDirectory& names, reach::Channel channel) {
  const reach::ChannelNames& n = names.at(channel);
  return {{"kind", reach::to_string(channel.kind)}, {"name", n.name}, {"direction", n.direction}};
}

nlohmann::ordered_json peak_json(const reach::ChannelDirectory& names,
                                 const reach::ChannelPeak& peak) {
  nlohmann::ordered_json j = channel_json(names, peak.channel);
  j["capacity_bps"] = peak.capacity_bps;
  j["peak_bps"] = peak.peak_bps;
  j["utilization"] = peak.utilization();
  j["at_s"] = seconds_at(peak.at);
  return j;
}

nlohmann::ordered_json overload_json(const reach::ChannelDirectory& names,
                                     const reach::Overload& overload, const RatedFlows& flows) {
  nlohmann::ordered_json j = channel_json(names, overload.channel);
  j["capacity_bps"] = overload.capacity_bps;
  j["peak_bps"] = overload.peak_bps;
  j["utilization"] = overload.utilization();
  j["excess_bps"] = overload.excess_bps();
  j["start_s"] = seconds_at(overload.start);
  j["end_s"] = seconds_at(overload.end);
  j["open"] = overload.open;
  j["peak_at_s"] = seconds_at(overload.peak_at);
  nlohmann::ordered_json on = nlohmann::ordered_json::array();
  for (const std::uint32_t f : overload.flows) {
    on.push_back({{"flow", f}, {"name", flows.names[f]}, {"rate_bps", flows.rates[f]}});
  }
  j["flows"] = std::move(on);
  return j;
}

nlohmann::ordered_json load_json(const reach::LoadReport& report,
                                 const reach::ChannelDirectory& names, const RatedFlows& flows) {
  nlohmann::ordered_json peaks = nlohmann::ordered_json::array();
  for (const reach::ChannelPeak& p : report.peaks) {
    peaks.push_back(peak_json(names, p));
  }
  nlohmann::ordered_json overloads = nlohmann::ordered_json::array();
  for (const reach::Overload& o : report.overloads) {
    overloads.push_back(overload_json(names, o, flows));
  }
  return {{"peak_utilization", report.peak_utilization()},
          {"peaks", std::move(peaks)},
          {"overloads", std::move(overloads)}};
}

std::string utilization_bar(double utilization) {
  constexpr double kFull = 100;  // px at 100 %
  constexpr double kMost = 200;
  constexpr double kHigh = 0.8;
  const double width = std::min(kMost, utilization * kFull);
  constexpr std::string_view kOver = "#d32f2f";
  constexpr std::string_view kHighColour = "#f9a825";
  constexpr std::string_view kFine = "#43a047";
  const std::string_view colour = utilization > 1.0     ? kOver
                                  : utilization > kHigh ? kHighColour
                                                        : kFine;
  return fmt::format(
      "<svg class=\"bar\" width=\"{}\" height=\"10\" role=\"img\" aria-label=\"{}\">"
      "<rect width=\"{}\" height=\"10\" fill=\"#eee\"/><rect width=\"{}\" height=\"10\" "
      "fill=\"{}\"/><line x1=\"{}\" x2=\"{}\" y1=\"0\" y2=\"10\" stroke=\"#333\"/></svg>",
      px(kMost), percent_text(utilization), px(kMost), px(width), colour, px(kFull), px(kFull));
}

std::string load_html(const reach::LoadReport& report, const reach::ChannelDirectory& names,
                      const RatedFlows& flows, std::size_t top) {
  std::string out = "<section id=\"capacity\">\n<h2>Capacity</h2>\n";
  if (report.peaks.empty()) {
    return out +
           "<p class=\"note\">No link or circuit with a capacity carries the flows' "
           "traffic.</p>\n</section>\n";
  }
  const std::size_t n = top == 0 ? report.peaks.size() : std::min(top, report.peaks.size());
  out +=
      "<table class=\"loads\">\n<tr><th>link or circuit</th><th>direction</th><th>peak</th>"
      "<th>capacity</th><th>utilization</th><th></th><th>at</th></tr>\n";
  for (std::size_t i = 0; i < n; ++i) {
    const reach::ChannelPeak& p = report.peaks[i];
    const reach::ChannelNames& name = names.at(p.channel);
    out += fmt::format(
        "<tr><td>{} {}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td></tr>\n",
        reach::to_string(p.channel.kind), html_escaped(name.name), html_escaped(name.direction),
        rate_text(p.peak_bps), rate_text(p.capacity_bps), percent_text(p.utilization()),
        utilization_bar(p.utilization()), scenario::time_text(p.at));
  }
  out += "</table>\n";
  if (n < report.peaks.size()) {
    out += fmt::format("<p class=\"note\">The busiest {} of {} links and circuits.</p>\n", n,
                       report.peaks.size());
  }
  if (report.overloads.empty()) {
    return out + "<p class=\"note\">No overload.</p>\n</section>\n";
  }
  out += "<h3>Overloads</h3>\n<ul class=\"overloads\">\n";
  for (const reach::Overload& o : report.overloads) {
    out += fmt::format("<li>{}<br>flows: {}</li>\n", html_escaped(overload_text(names, o)),
                       html_escaped(overload_flows_text(o, flows)));
  }
  return out + "</ul>\n</section>\n";
}

reach::ChannelDirectory channel_names(const topo::Topology& topology,
                                      const reach::LoadReport& report) {
  reach::ChannelDirectory names;
  for (const reach::ChannelPeak& p : report.peaks) {
    reach::name_channel(topology, p.channel, names);
  }
  for (const reach::Overload& o : report.overloads) {
    reach::name_channel(topology, o.channel, names);
  }
  return names;
}

}  // namespace ersim::report
