// What a sweep fails: the elements of a design that can fail as a unit (links, routers, VNet
// gateways, peering locations, metros, providers, declared shared-risk groups), narrowed by the
// sweep's --only and --exclude, and the failure sets made of them — every element alone, and
// the pairs worth simulating among all n (n - 1) / 2.
//
//   const std::vector<Element> elements = sweep_elements(topology, options);
//   const PairPlan plan = classify_pairs(elements, dependents);  // plan.simulated: the pairs to
//   run
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/sweep/sweep.hpp"
#include "sim/topo/topology.hpp"

namespace ersim::sweep {

/// Every element of the design that can fail, kept by `options.only` and `options.exclude`, in
/// this order: links, routers (all but VNet and VPN gateways), gateways (VNet by VNet, its
/// ExpressRoute gateway unless zone redundant, then its VPN gateway), then the shared-risk groups
/// as locations, metros, providers and declared groups, each kind in the topology's order. A CE
/// device's own group is left out (it is the CE router's failure), and so is a group with no
/// members. Exclude entries that name nothing are ignored here: check_filters reports them.
std::vector<Element> sweep_elements(const topo::Topology& topology, const SweepOptions& options);

/// An error message for the first `options.exclude` entry that names nothing in the design:
/// "exclude 'link:er-ams.primry' names no link of the design (did you mean
/// 'link:er-ams.primary'?)". An entry is a kind ("provider"), KIND:NAME ("link:er-ams.primary")
/// or a bare element name of any kind.
std::optional<std::string> check_filters(const topo::Topology& topology,
                                         const SweepOptions& options);

/// Each of `element_count` elements failed alone, in element order.
std::vector<FailureSet> single_sets(std::size_t element_count);

/// The pairs of a k = 2 sweep: how all of them classify, and the ones that need a run.
struct PairPlan {
  PairCounts counts;
  std::vector<FailureSet> simulated;  ///< sorted by (first, second)
};

/// Classifies every pair of elements. `dependents[e]` lists, sorted, the flows element e
/// touches. A pair is simulated when its elements touch a flow in common and neither element's
/// links and routers contain the other's (a location and one of its links fail as the location
/// alone). No effect: an element touches no flow, or one contains the other. Composed: the rest,
/// whose elements touch disjoint flows. The cost grows with the pairs that share a flow, never
/// with n squared. A "flow" here is any key two elements may share: with rated flows the sweep
/// adds the links and circuits each single moved traffic across as keys after the flows'.
PairPlan classify_pairs(const std::vector<Element>& elements,
                        const std::vector<std::vector<std::uint32_t>>& dependents);

}  // namespace ersim::sweep
