#include "sim/sweep/resiliency.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ersim::sweep {
namespace {

using topo::ResiliencyModel;
using topo::Severity;

// Azure's Resiliency Insights index weighs route resilience, zone-redundant gateways, advisory
// recommendations and resiliency validation tests, but publishes no formula. The maxima and the
// points below are ersim's own choice: route diversity weighs most because losing a peering
// location is the failure ExpressRoute's models exist for; validation next, because a sweep
// shows what the design does rather than what it declares. The explanations say so too.
constexpr double kRouteDiversityMax = 50;
constexpr double kZoneRedundancyMax = 15;
constexpr double kAdvisoryMax = 15;
constexpr double kValidationMax = 20;
constexpr double kPerError = 5;
constexpr double kPerWarning = 1;

double model_points(ResiliencyModel model) {
  switch (model) {
    case ResiliencyModel::Maximum:
      return kRouteDiversityMax;
    case ResiliencyModel::High:
      return 35;
    case ResiliencyModel::Standard:
      return 15;
    case ResiliencyModel::Unconnected:
      return 0;
  }
  return 0;
}

// Higher is weaker: Maximum < High < Standard < Unconnected.
int weakness(ResiliencyModel model) {
  switch (model) {
    case ResiliencyModel::Maximum:
      return 0;
    case ResiliencyModel::High:
      return 1;
    case ResiliencyModel::Standard:
      return 2;
    case ResiliencyModel::Unconnected:
      return 3;
  }
  return 3;
}

// "a, b, ..., h and 92 more": an explanation names a few, so that it stays a line on a design
// of thousands of VNets.
std::string listed(const std::vector<std::string>& names) {
  constexpr std::size_t kNamed = 8;
  if (names.size() <= kNamed) {
    return fmt::format("{}", fmt::join(names, ", "));
  }
  return fmt::format("{} and {} more", fmt::join(names.begin(), names.begin() + kNamed, ", "),
                     names.size() - kNamed);
}

IndexComponent route_diversity(const topo::ChecklistReport& checklist) {
  IndexComponent c{"route diversity", 0, kRouteDiversityMax, ""};
  if (checklist.resiliency.empty()) {
    c.explanation = "no VNet";
    return c;
  }
  // By model, weakest first: what pulls the mean down comes first.
  std::map<double, std::pair<topo::ResiliencyModel, std::vector<std::string>>> by_points;
  double sum = 0;
  for (const topo::VNetResiliency& v : checklist.resiliency) {
    sum += model_points(v.model);
    auto& [model, vnets] = by_points[model_points(v.model)];
    model = v.model;
    vnets.push_back(v.locations.empty()
                        ? v.vnet
                        : fmt::format("{} ({})", v.vnet, fmt::join(v.locations, ", ")));
  }
  std::vector<std::string> parts;
  parts.reserve(by_points.size());
  for (const auto& [points, group] : by_points) {
    parts.push_back(fmt::format("{} {}: {}", group.second.size(), to_string(group.first),
                                listed(group.second)));
  }
  c.points = sum / static_cast<double>(checklist.resiliency.size());
  c.explanation = fmt::format(
      "{}; the mean over VNets of maximum 50, high 35, standard 15, unconnected 0 (ersim's "
      "weights)",
      fmt::join(parts, "; "));
  return c;
}

IndexComponent zone_redundancy(const topo::Topology& topology) {
  IndexComponent c{"gateway zone redundancy", 0, kZoneRedundancyMax, ""};
  if (topology.vnets().empty()) {
    c.explanation = "no VNet gateway";
    return c;
  }
  std::vector<std::string> redundant;
  std::vector<std::string> not_redundant;
  for (const topo::VNet& v : topology.vnets()) {
    const std::string name = fmt::format("{} ({})", topology.router(v.gateway).name, v.gateway_sku);
    (v.zone_redundant ? redundant : not_redundant).push_back(name);
  }
  const std::size_t total = topology.vnets().size();
  c.points =
      kZoneRedundancyMax * static_cast<double>(redundant.size()) / static_cast<double>(total);
  std::vector<std::string> parts;
  if (!redundant.empty()) {
    parts.push_back(fmt::format("zone redundant: {}", listed(redundant)));
  }
  if (!not_redundant.empty()) {
    parts.push_back(fmt::format("not zone redundant: {}", listed(not_redundant)));
  }
  c.explanation = fmt::format("{}; {} of {} gateways x 15 (ersim's weight)", fmt::join(parts, "; "),
                              redundant.size(), total);
  return c;
}

// "microsoft-public 'er-fra' x4, qos 'er-fra'": a rule that fires on one object several times
// (once per session, say) is named once, in the checklist's order.
std::string grouped(const std::vector<std::string>& findings) {
  std::vector<std::pair<std::string_view, std::size_t>> counts;
  for (const std::string& f : findings) {
    const auto it =
        std::find_if(counts.begin(), counts.end(), [&f](const auto& c) { return c.first == f; });
    if (it == counts.end()) {
      counts.emplace_back(f, 1);
    } else {
      ++it->second;
    }
  }
  std::vector<std::string> parts;
  parts.reserve(counts.size());
  for (const auto& [finding, count] : counts) {
    parts.push_back(count == 1 ? std::string(finding) : fmt::format("{} x{}", finding, count));
  }
  return listed(parts);
}

// The checklist's Standard-resiliency and zone-redundancy warnings count here as well as in
// their own components, as Azure's advisories overlap its other factors: one point each.
IndexComponent advisory(const topo::ChecklistReport& checklist) {
  IndexComponent c{"advisory recommendations", 0, kAdvisoryMax, ""};
  std::vector<std::string> errors;
  std::vector<std::string> warnings;
  for (const topo::Finding& f : checklist.findings) {
    if (f.severity == Severity::Error) {
      errors.push_back(fmt::format("{} '{}'", f.rule, f.object));
    } else if (f.severity == Severity::Warning) {
      warnings.push_back(fmt::format("{} '{}'", f.rule, f.object));
    }
  }
  const double penalty = kPerError * static_cast<double>(errors.size()) +
                         kPerWarning * static_cast<double>(warnings.size());
  c.points = std::max(0.0, kAdvisoryMax - penalty);
  if (errors.empty() && warnings.empty()) {
    c.explanation = "the checklist found no error or warning";
    return c;
  }
  std::vector<std::string> parts;
  if (!errors.empty()) {
    parts.push_back(fmt::format("{} error{} ({})", errors.size(), errors.size() == 1 ? "" : "s",
                                grouped(errors)));
  }
  if (!warnings.empty()) {
    parts.push_back(fmt::format("{} warning{} ({})", warnings.size(),
                                warnings.size() == 1 ? "" : "s", grouped(warnings)));
  }
  c.explanation = fmt::format("{}; 15 less 5 per error and 1 per warning (ersim's weights)",
                              fmt::join(parts, "; "));
  return c;
}

// How a set names its elements: by label when the caller gave them.
std::string set_name(const FailureSet& set, std::span<const Element> elements) {
  std::vector<std::string> names;
  for (const std::uint32_t e : set.elements) {
    names.push_back(e < elements.size() ? elements[e].label() : fmt::format("element #{}", e));
  }
  return fmt::format("{}", fmt::join(names, " + "));
}

IndexComponent validation(std::span<const SetResult> singles, std::size_t flow_count,
                          std::span<const Element> elements) {
  IndexComponent c{"validation", 0, kValidationMax, ""};
  if (singles.empty()) {
    c.explanation = "no failure set was run";
    return c;
  }
  // With no flow watched every set trivially partitions nothing: that validates nothing.
  if (flow_count == 0) {
    c.explanation = "no flow was watched";
    return c;
  }
  std::vector<const SetResult*> partitioning;
  for (const SetResult& r : singles) {
    if (r.partitioned() > 0) {
      partitioning.push_back(&r);
    }
  }
  const std::size_t clean = singles.size() - partitioning.size();
  c.points = kValidationMax * static_cast<double>(clean) / static_cast<double>(singles.size());
  std::string explanation = fmt::format("{} of {} single failures partition none of {} flows",
                                        clean, singles.size(), flow_count);
  // The worst first, and only a few: the report lists them all.
  constexpr std::size_t kNamed = 3;
  std::stable_sort(
      partitioning.begin(), partitioning.end(),
      [](const SetResult* a, const SetResult* b) { return a->partitioned() > b->partitioned(); });
  std::vector<std::string> named;
  for (std::size_t i = 0; i < partitioning.size() && i < kNamed; ++i) {
    const SetResult& r = *partitioning[i];
    named.push_back(fmt::format("{} partitions {}", set_name(r.set, elements), r.partitioned()));
  }
  if (partitioning.size() > kNamed) {
    named.push_back(fmt::format("{} more", partitioning.size() - kNamed));
  }
  if (!named.empty()) {
    explanation += fmt::format(" ({})", fmt::join(named, ", "));
  }
  c.explanation = explanation + "; x 20 (ersim's weight)";
  return c;
}

}  // namespace

Resiliency resiliency_index(const topo::Topology& topology, const topo::ChecklistReport& checklist,
                            std::span<const SetResult> singles, std::size_t flow_count,
                            std::span<const Element> elements) {
  Resiliency r;
  r.components.push_back(route_diversity(checklist));
  r.components.push_back(zone_redundancy(topology));
  r.components.push_back(advisory(checklist));
  r.components.push_back(validation(singles, flow_count, elements));
  double sum = 0;
  for (const IndexComponent& c : r.components) {
    sum += c.points;
  }
  r.index = std::round(sum * 10) / 10;

  // The design is as resilient as its weakest VNet; with none it is connected to nothing.
  r.model = ResiliencyModel::Unconnected;
  if (!checklist.resiliency.empty()) {
    r.model = checklist.resiliency.front().model;
    for (const topo::VNetResiliency& v : checklist.resiliency) {
      if (weakness(v.model) > weakness(r.model)) {
        r.model = v.model;
      }
    }
  }
  return r;
}

}  // namespace ersim::sweep
