// The BGP decision process: which of the routes to one prefix a router uses, and why.
//
// select_best runs RFC 4271 §9.1.2 as a table of labelled steps (weight first, as Cisco does),
// each removing the routes that lose it, and reports the step that left one route standing.
// select_multipath gives the ECMP set; select_gateway is the Azure VNet gateway's own order.
//   const auto best = select_best(candidates);   // best->route, best->reason
//   fmt::print("{} wins: {}", best->route->neighbour_address.to_string(), to_string(best->reason));
#pragma once

#include <boost/container/small_vector.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "sim/bgp/route.hpp"

namespace ersim::bgp {

/// Why the chosen route won: the step that removed the last competitor. The gateway values
/// belong to select_gateway.
enum class DecisionReason : std::uint8_t {
  OnlyCandidate,
  HigherWeight,
  HigherLocalPreference,
  ShorterAsPath,
  LowerOrigin,
  LowerMed,
  ExternalOverInternal,
  LowerIgpCost,
  LowerRouterId,
  LowerNeighbourAddress,
  /// No step told the routes apart (they came from the same neighbour address, which one
  /// Adj-RIB-In never holds twice): the first candidate is kept.
  Tied,
  // select_gateway only.
  LocallyOriginated,
  ExpressRouteOverVpn,
  HigherConnectionWeight,
  /// No step removed a route: every candidate is in the ECMP set.
  EqualCostMultipath,
};

/// Words for traces and reports: "higher local preference", "shorter AS path", ...
std::string_view to_string(DecisionReason reason);

struct BestRoute {
  const Route* route = nullptr;
  DecisionReason reason = DecisionReason::OnlyCandidate;
};

/// A set of routes chosen among candidates (an ECMP set): inline up to four, as the decision
/// runs for every route change.
using RouteSet = boost::container::small_vector<const Route*, 4>;

/// RFC 4271 §9.1.2: the best of the candidates (routes to one prefix), std::nullopt if there
/// are none. The result points into `candidates`. Every candidate is taken as feasible: the
/// caller has already dropped routes whose next hop does not resolve (§9.1.2.1).
std::optional<BestRoute> select_best(std::span<const Route* const> candidates);
std::optional<BestRoute> select_best(std::span<const Route> candidates);

/// The ECMP set: the routes that survive select_best's steps up to and including the IGP-cost
/// step (§9.1.2.2 e), so equal in weight, local preference, AS-path length, origin, MED (as
/// §9.1.2.2 c compares it: within one neighbouring AS), peer kind and IGP cost. The best route
/// comes first, then the others by router id and neighbour address, as the later steps would
/// rank them; at most max_paths (>= 1) routes. Empty if there are no candidates.
RouteSet select_multipath(std::span<const Route* const> candidates, std::size_t max_paths);
RouteSet select_multipath(std::span<const Route> candidates, std::size_t max_paths);

/// How a route reached an Azure VNet gateway.
enum class GatewayConnection : std::uint8_t { ExpressRoute, Vpn };

/// "ExpressRoute", "VPN".
std::string_view to_string(GatewayConnection connection);

/// Azure's connection routing weight: 0-32000, default 0, higher wins.
inline constexpr std::uint16_t kMaxConnectionWeight = 32000;

struct GatewayCandidate {
  const Route* route = nullptr;
  GatewayConnection connection = GatewayConnection::ExpressRoute;
  std::uint16_t connection_weight = 0;
};

// NOLINTNEXTLINE(bugprone-exception-escape): small_vector's moves may allocate (bad_alloc only)
struct GatewaySelection {
  /// The tied best routes (ECMP), ordered by router id then neighbour address. Empty if there
  /// were no candidates.
  RouteSet routes;
  /// The last step that removed a candidate; OnlyCandidate for one candidate,
  /// EqualCostMultipath when no step removed any.
  DecisionReason reason = DecisionReason::OnlyCandidate;
};

/// The Azure VNet gateway's order for routes to one prefix (longest prefix match is the FIB's
/// job, before this): the VNet's own address space (locally originated) over anything learned,
/// ExpressRoute over S2S VPN, highest connection weight, shortest AS path, then ECMP among the
/// ties. Asserts that connection weights are at most kMaxConnectionWeight.
GatewaySelection select_gateway(std::span<const GatewayCandidate> candidates);

}  // namespace ersim::bgp
