// The ExpressRoute checklist as people and machines read it.
//   fmt::print("{}", checklist_text(topology, report, /*color=*/false));
//   fmt::print("{}\n", checklist_json(topology, report).dump(2));
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "sim/topo/checklist.hpp"

namespace ersim::report {

/// Version of the JSON document written by checklist_json; bump on incompatible changes.
inline constexpr const char* kChecklistSchema = "ersim.check/1";

/// Aligned text: the resiliency model of each VNet, then one block per finding (severity,
/// object, message, advice), then a count. ANSI colours when `color`.
std::string checklist_text(const topo::Topology& topology, const topo::ChecklistReport& report,
                           bool color);

/// {"schema", "topology", "resiliency": [{vnet, model, locations}], "findings": [{severity,
/// rule, object, message, advice}], "summary": {errors, warnings, info}}.
nlohmann::json checklist_json(const topo::Topology& topology, const topo::ChecklistReport& report);

}  // namespace ersim::report
