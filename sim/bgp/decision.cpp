#include "sim/bgp/decision.hpp"

#include <boost/container/small_vector.hpp>

#include <algorithm>
#include <array>
#include <tuple>

#include "core/assert.hpp"

namespace ersim::bgp {
namespace {

// Most prefixes have a handful of candidates; a decision then allocates nothing.
using Candidates = boost::container::small_vector<const Route*, 8>;
using GatewayCandidates = boost::container::small_vector<GatewayCandidate, 8>;

enum class Prefer : std::uint8_t { Higher, Lower };

// One elimination step: keeps the candidates whose key is the best among them.
template <class Container, class Key>
void keep_best(Container& candidates, Key key, Prefer prefer) {
  auto best = key(candidates.front());
  for (const auto& candidate : candidates) {
    const auto value = key(candidate);
    best = prefer == Prefer::Higher ? std::max(best, value) : std::min(best, value);
  }
  candidates.erase(std::remove_if(candidates.begin(), candidates.end(),
                                  [&](const auto& candidate) { return key(candidate) != best; }),
                   candidates.end());
}

template <auto Key, Prefer kPrefer>
void keep_best_route(Candidates& candidates) {
  keep_best(
      candidates, [](const Route* route) { return Key(*route); }, kPrefer);
}

std::uint16_t weight(const Route& route) { return route.weight; }
std::uint32_t local_preference(const Route& route) { return route.attributes->local_preference; }
std::size_t as_path_length(const Route& route) { return route.attributes->as_path_length(); }
Origin origin(const Route& route) { return route.attributes->origin; }
// §9.1.2.2 (c): "If route n has no MED attribute, the function returns the lowest possible MED
// value" (unlike Cisco's `bgp bestpath med missing-as-worst`).
std::uint32_t med(const Route& route) { return route.attributes->med.value_or(0); }
// §9.1.2.2 (d) removes routes received via iBGP if any came via eBGP; a route this router
// originated was received via neither, so it is not removed.
bool internal(const Route& route) { return route.kind == PeerKind::Internal; }
std::uint32_t igp_cost(const Route& route) { return route.igp_cost; }
std::uint32_t router_id(const Route& route) { return route.neighbour_router_id.value(); }
std::uint32_t neighbour_address(const Route& route) { return route.neighbour_address.value(); }

// RFC 4271 §9.1.2.2 (c): remove every route m for which a route n from the same neighbouring AS
// has a lower MED. MEDs of routes from different neighbouring ASes are never compared, which
// makes "better than" non-transitive: this is an elimination over the whole set, not a pairwise
// order. neighbour_as() is std::nullopt for an empty AS path, which the RFC assigns to the local
// AS, so all such routes form one group.
void keep_lowest_med_per_neighbour_as(Candidates& candidates) {
  struct Group {
    std::optional<std::uint32_t> neighbour_as;
    std::uint32_t lowest_med;
  };
  boost::container::small_vector<Group, 8> groups;
  for (const Route* route : candidates) {
    const auto neighbour_as = route->attributes->neighbour_as();
    const auto it = std::find_if(groups.begin(), groups.end(),
                                 [&](const Group& g) { return g.neighbour_as == neighbour_as; });
    if (it == groups.end()) {
      groups.push_back({neighbour_as, med(*route)});
    } else {
      it->lowest_med = std::min(it->lowest_med, med(*route));
    }
  }
  const auto loses = [&](const Route* route) {
    const auto neighbour_as = route->attributes->neighbour_as();
    const auto it = std::find_if(groups.begin(), groups.end(),
                                 [&](const Group& g) { return g.neighbour_as == neighbour_as; });
    return med(*route) > it->lowest_med;
  };
  candidates.erase(std::remove_if(candidates.begin(), candidates.end(), loses), candidates.end());
}

struct Step {
  DecisionReason reason;
  void (*apply)(Candidates&);
};

// The decision process, in order. Each step removes the routes that lose it; the first step
// that leaves one route standing is the reason it won.
constexpr std::array kSteps{
    // Not in RFC 4271: Cisco's weight, local to the router, considered before anything else.
    Step{DecisionReason::HigherWeight, &keep_best_route<weight, Prefer::Higher>},
    // RFC 4271 §9.1.1 / §9.1.2.1: the highest degree of preference. For routes from iBGP it is
    // LOCAL_PREF; for routes from eBGP import policy computes it, and ersim's policies store it
    // in LOCAL_PREF too.
    Step{DecisionReason::HigherLocalPreference, &keep_best_route<local_preference, Prefer::Higher>},
    // RFC 4271 §9.1.2.2 (a): the fewest ASes in AS_PATH.
    Step{DecisionReason::ShorterAsPath, &keep_best_route<as_path_length, Prefer::Lower>},
    // RFC 4271 §9.1.2.2 (b): the lowest ORIGIN (IGP < EGP < INCOMPLETE).
    Step{DecisionReason::LowerOrigin, &keep_best_route<origin, Prefer::Lower>},
    // RFC 4271 §9.1.2.2 (c): the lowest MED among routes from the same neighbouring AS.
    Step{DecisionReason::LowerMed, &keep_lowest_med_per_neighbour_as},
    // RFC 4271 §9.1.2.2 (d): routes received via eBGP over routes received via iBGP.
    Step{DecisionReason::ExternalOverInternal, &keep_best_route<internal, Prefer::Lower>},
    // RFC 4271 §9.1.2.2 (e): the lowest interior cost to the next hop.
    Step{DecisionReason::LowerIgpCost, &keep_best_route<igp_cost, Prefer::Lower>},
    // RFC 4271 §9.1.2.2 (f): the lowest BGP Identifier of the advertising speaker.
    Step{DecisionReason::LowerRouterId, &keep_best_route<router_id, Prefer::Lower>},
    // RFC 4271 §9.1.2.2 (g): the lowest peer address.
    Step{DecisionReason::LowerNeighbourAddress, &keep_best_route<neighbour_address, Prefer::Lower>},
};

// Multipath keeps the routes still standing after this step.
constexpr std::size_t kLastMultipathStep = 6;
static_assert(kSteps[kLastMultipathStep].reason == DecisionReason::LowerIgpCost);

Candidates copy(std::span<const Route* const> candidates) {
  Candidates result(candidates.begin(), candidates.end());
  ERSIM_ASSERT(std::none_of(result.begin(), result.end(),
                            [](const Route* route) { return route == nullptr; }),
               "null route among the candidates");
  return result;
}

Candidates copy(std::span<const Route> candidates) {
  Candidates result;
  result.reserve(candidates.size());
  for (const Route& route : candidates) {
    result.push_back(&route);
  }
  return result;
}

std::optional<BestRoute> select_best_of(Candidates candidates) {
  if (candidates.empty()) {
    return std::nullopt;
  }
  if (candidates.size() == 1) {
    return BestRoute{candidates.front(), DecisionReason::OnlyCandidate};
  }
  for (const Step& step : kSteps) {
    step.apply(candidates);
    if (candidates.size() == 1) {
      return BestRoute{candidates.front(), step.reason};
    }
  }
  return BestRoute{candidates.front(), DecisionReason::Tied};
}

// The order of steps (f) and (g), which ranks routes that tie on everything before them.
bool ranks_before(const Route* a, const Route* b) {
  return std::tuple(router_id(*a), neighbour_address(*a)) <
         std::tuple(router_id(*b), neighbour_address(*b));
}

// A stable insertion sort: the sets are a handful of routes, and std::stable_sort allocates.
template <class Container, class Less>
void stable_sort_small(Container& items, Less less) {
  for (std::size_t i = 1; i < items.size(); ++i) {
    auto item = items[i];
    std::size_t j = i;
    for (; j > 0 && less(item, items[j - 1]); --j) {
      items[j] = items[j - 1];
    }
    items[j] = item;
  }
}

RouteSet select_multipath_of(Candidates candidates, std::size_t max_paths) {
  ERSIM_ASSERT(max_paths >= 1, "multipath needs room for at least one path");
  if (candidates.empty()) {
    return {};
  }
  for (std::size_t i = 0; i <= kLastMultipathStep && candidates.size() > 1; ++i) {
    kSteps.at(i).apply(candidates);
  }
  // Stable, so routes that tie on (f) and (g) too keep their input order, as select_best does.
  stable_sort_small(candidates, ranks_before);
  const std::size_t count = std::min(max_paths, candidates.size());
  return {candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(count)};
}

struct GatewayStep {
  DecisionReason reason;
  void (*apply)(GatewayCandidates&);
};

template <auto Key, Prefer kPrefer>
void keep_best_gateway(GatewayCandidates& candidates) {
  keep_best(candidates, Key, kPrefer);
}

bool learned(const GatewayCandidate& candidate) { return !candidate.route->locally_originated(); }
GatewayConnection connection(const GatewayCandidate& candidate) { return candidate.connection; }
std::uint16_t connection_weight(const GatewayCandidate& candidate) {
  return candidate.connection_weight;
}
std::size_t gateway_as_path_length(const GatewayCandidate& candidate) {
  return as_path_length(*candidate.route);
}

// The Azure VNet gateway's order (Azure's ExpressRoute routing guidance: longest prefix match,
// then ExpressRoute over S2S VPN, then connection weight, then AS-path length, then ECMP).
constexpr std::array kGatewaySteps{
    // The VNet's own address space is a system route on the gateway; learned routes never
    // replace it.
    GatewayStep{DecisionReason::LocallyOriginated, &keep_best_gateway<learned, Prefer::Lower>},
    // ExpressRoute over S2S VPN for the same prefix, whatever the AS paths.
    GatewayStep{DecisionReason::ExpressRouteOverVpn, &keep_best_gateway<connection, Prefer::Lower>},
    // The connection's routing weight, 0-32000, highest wins.
    GatewayStep{DecisionReason::HigherConnectionWeight,
                &keep_best_gateway<connection_weight, Prefer::Higher>},
    // The shortest AS path (as RFC 4271 §9.1.2.2 a); what remains is ECMP.
    GatewayStep{DecisionReason::ShorterAsPath,
                &keep_best_gateway<gateway_as_path_length, Prefer::Lower>},
};

}  // namespace

std::string_view to_string(DecisionReason reason) {
  switch (reason) {
    case DecisionReason::OnlyCandidate:
      return "only candidate";
    case DecisionReason::HigherWeight:
      return "higher weight";
    case DecisionReason::HigherLocalPreference:
      return "higher local preference";
    case DecisionReason::ShorterAsPath:
      return "shorter AS path";
    case DecisionReason::LowerOrigin:
      return "lower origin";
    case DecisionReason::LowerMed:
      return "lower MED";
    case DecisionReason::ExternalOverInternal:
      return "eBGP over iBGP";
    case DecisionReason::LowerIgpCost:
      return "lower IGP cost";
    case DecisionReason::LowerRouterId:
      return "lower router id";
    case DecisionReason::LowerNeighbourAddress:
      return "lower neighbour address";
    case DecisionReason::Tied:
      return "tied on every step";
    case DecisionReason::LocallyOriginated:
      return "locally originated";
    case DecisionReason::ExpressRouteOverVpn:
      return "ExpressRoute over VPN";
    case DecisionReason::HigherConnectionWeight:
      return "higher connection weight";
    case DecisionReason::EqualCostMultipath:
      return "equal-cost multipath";
  }
  return "unknown";
}

std::string_view to_string(GatewayConnection connection) {
  switch (connection) {
    case GatewayConnection::ExpressRoute:
      return "ExpressRoute";
    case GatewayConnection::Vpn:
      return "VPN";
  }
  return "unknown";
}

std::optional<BestRoute> select_best(std::span<const Route* const> candidates) {
  return select_best_of(copy(candidates));
}

std::optional<BestRoute> select_best(std::span<const Route> candidates) {
  return select_best_of(copy(candidates));
}

RouteSet select_multipath(std::span<const Route* const> candidates, std::size_t max_paths) {
  return select_multipath_of(copy(candidates), max_paths);
}

RouteSet select_multipath(std::span<const Route> candidates, std::size_t max_paths) {
  return select_multipath_of(copy(candidates), max_paths);
}

GatewaySelection select_gateway(std::span<const GatewayCandidate> candidates) {
  GatewaySelection selection;
  if (candidates.empty()) {
    return selection;
  }
  GatewayCandidates remaining(candidates.begin(), candidates.end());
  for (const GatewayCandidate& candidate : remaining) {
    ERSIM_ASSERT(candidate.route != nullptr, "null route among the gateway candidates");
    ERSIM_ASSERT(candidate.connection_weight <= kMaxConnectionWeight,
                 "connection weight above 32000");
  }
  selection.reason =
      remaining.size() == 1 ? DecisionReason::OnlyCandidate : DecisionReason::EqualCostMultipath;
  for (const GatewayStep& step : kGatewaySteps) {
    if (remaining.size() == 1) {
      break;
    }
    const std::size_t before = remaining.size();
    step.apply(remaining);
    if (remaining.size() < before) {
      selection.reason = step.reason;
    }
  }
  selection.routes.reserve(remaining.size());
  for (const GatewayCandidate& candidate : remaining) {
    selection.routes.push_back(candidate.route);
  }
  stable_sort_small(selection.routes, ranks_before);
  return selection;
}

}  // namespace ersim::bgp
