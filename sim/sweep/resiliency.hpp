// The resiliency index of a design, 0-100, modelled on Azure's Resiliency Insights index for
// ExpressRoute gateways: route diversity (Azure's route resilience), zone-redundant gateways,
// advisory recommendations (the checklist's findings) and validation (the sweep's single
// failures). The factors are Azure's; the weights are ersim's own.
//
//   const Resiliency r = resiliency_index(topology, run_checklist(topology), singles, flows);
//   r.index;  // 93.3;   r.components[0].explanation  // "hub: maximum (amsterdam, london)"
#pragma once

#include <cstddef>
#include <span>

#include "sim/sweep/sweep.hpp"
#include "sim/topo/checklist.hpp"
#include "sim/topo/topology.hpp"

namespace ersim::sweep {

/// The index and its four components, in this order:
/// - "route diversity", max 50: per VNet Maximum 50, High 35, Standard 15, Unconnected 0, the
///   mean over the VNets;
/// - "gateway zone redundancy", max 15: the share of VNet gateways that are zone redundant;
/// - "advisory recommendations", max 15: 5 off per checklist error, 1 per warning, down to 0;
/// - "validation", max 20: the share of `singles` that partition no flow (0 when no set ran or
///   no flow was watched).
/// `index` is their sum rounded to one decimal; `model` the weakest VNet's model (Unconnected
/// when a VNet is, or when there is none). `elements`, when given, are the ones the singles'
/// indices refer to: the validation explanation names those that partition a flow.
Resiliency resiliency_index(const topo::Topology& topology, const topo::ChecklistReport& checklist,
                            std::span<const SetResult> singles, std::size_t flow_count,
                            std::span<const Element> elements = {});

}  // namespace ersim::sweep
