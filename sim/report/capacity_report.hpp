// Loads and overloads (reach/capacity.hpp) as `ersim run` and `ersim sweep` report them: the
// same words and the same JSON objects in both.
//
//   out += load_text(run.capacity, names, {flow_names, rates}, color, 10);
//   json["capacity"] = load_json(run.capacity, names, {flow_names, rates});
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sim/reach/capacity.hpp"
#include "sim/scenario/scenario.hpp"

namespace ersim::report {

/// How many of the busiest links and circuits a run's reports list.
inline constexpr std::size_t kBusiestShown = 10;

/// The flows a load report's indices refer to: their names and rates (bits per second).
struct RatedFlows {
  std::span<const std::string> names;
  std::span<const std::uint64_t> rates;
};

/// A scenario's flow names and rates, for RatedFlows to point into.
struct FlowRates {
  explicit FlowRates(const scenario::Scenario& scenario);
  /// Some flow has a rate: the reports have a capacity section.
  [[nodiscard]] bool carries_traffic() const;
  [[nodiscard]] RatedFlows rated() const { return {names, rates}; }
  std::vector<std::string> names;
  std::vector<std::uint64_t> rates;
};

/// "circuit er-ams to Microsoft: 700Mbps of 1Gbps (70%) at 0s".
std::string peak_text(const reach::ChannelDirectory& names, const reach::ChannelPeak& peak);

/// "circuit er-lon to Microsoft: 1.4Gbps of 1Gbps (140%) from 10.9s to 5m, 400Mbps above its
/// bandwidth (not guaranteed)" for a circuit; "..., 400Mbps dropped" for a link.
std::string overload_text(const reach::ChannelDirectory& names, const reach::Overload& overload);

/// "amsterdam-dc -> hub-westeurope 700Mbps, london-dc -> hub-westeurope 700Mbps".
std::string overload_flows_text(const reach::Overload& overload, const RatedFlows& flows);

/// A run's "Capacity" section: the `top` busiest links and circuits (0: all) and every
/// overload with its flows.
std::string load_text(const reach::LoadReport& report, const reach::ChannelDirectory& names,
                      const RatedFlows& flows, bool color, std::size_t top);

/// {"kind", "name", "direction"}.
nlohmann::ordered_json channel_json(const reach::ChannelDirectory& names, reach::Channel channel);
/// The channel's fields, then {"capacity_bps", "peak_bps", "utilization", "at_s"}.
nlohmann::ordered_json peak_json(const reach::ChannelDirectory& names,
                                 const reach::ChannelPeak& peak);
/// The channel's fields, then {"capacity_bps", "peak_bps", "utilization", "excess_bps",
/// "start_s", "end_s", "open", "peak_at_s", "flows": [{"flow" (index), "name", "rate_bps"}]}.
nlohmann::ordered_json overload_json(const reach::ChannelDirectory& names,
                                     const reach::Overload& overload, const RatedFlows& flows);
/// {"peak_utilization", "peaks": [peak_json], "overloads": [overload_json]}.
nlohmann::ordered_json load_json(const reach::LoadReport& report,
                                 const reach::ChannelDirectory& names, const RatedFlows& flows);

/// An inline SVG bar of a utilization: 100 px at 100 %, at most 200 px; red above 100 %, amber
/// above 80 %.
std::string utilization_bar(double utilization);

/// A run's "Capacity" section of the HTML report: the `top` busiest links and circuits with their
/// bars, and every overload with its flows.
std::string load_html(const reach::LoadReport& report, const reach::ChannelDirectory& names,
                      const RatedFlows& flows, std::size_t top);

/// The names of every channel the report mentions.
reach::ChannelDirectory channel_names(const topo::Topology& topology,
                                      const reach::LoadReport& report);

}  // namespace ersim::report
