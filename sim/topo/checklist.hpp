// The ExpressRoute checklist (Microsoft's design guidance for resiliency) applied to a sealed
// topology: each rule yields findings with a severity, the object concerned and what to do.
//   for (const Finding& f : run_checklist(topology)) fmt::print("{} {}\n", to_string(f.severity),
//   f.message);
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/topo/topology.hpp"

namespace ersim::topo {

enum class Severity { Error, Warning, Info };
std::string_view to_string(Severity severity);

/// Azure's resiliency models for a gateway's connectivity: Maximum (circuits at two or more
/// peering locations), High (an ExpressRoute Metro circuit), Standard (one location).
enum class ResiliencyModel { Maximum, High, Standard, Unconnected };
std::string_view to_string(ResiliencyModel model);

struct Finding {
  Severity severity = Severity::Info;
  std::string rule;     ///< stable id of the checklist rule, e.g. "redundant-ce"
  std::string object;   ///< the circuit, router, VNet... it concerns
  std::string message;  ///< what is wrong (or, for info, what is so)
  std::string advice;   ///< what to do about it ("" for info)
};

struct VNetResiliency {
  std::string vnet;
  ResiliencyModel model = ResiliencyModel::Unconnected;
  std::vector<std::string> locations;  ///< peering locations its circuits reach, sorted
};

struct ChecklistReport {
  std::vector<VNetResiliency> resiliency;
  std::vector<Finding> findings;  ///< errors first, then warnings, then info; stable otherwise
  [[nodiscard]] std::size_t count(Severity severity) const;
};

ChecklistReport run_checklist(const Topology& topology);

}  // namespace ersim::topo
