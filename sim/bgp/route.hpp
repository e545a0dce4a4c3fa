// A BGP route as a router holds it: a prefix, its interned path attributes, where it came from,
// and the two router-local values the decision process reads (weight, IGP cost to the next hop).
// Kept small and trivially copyable: a router may hold a million of them.
//   Route r{.prefix = vnet, .attributes = table.intern({.as_path = {12076}}),
//           .neighbour_address = msee_addr, .neighbour_router_id = msee_id,
//           .peer_asn = 12076, .session = primary, .kind = PeerKind::External};
#pragma once

#include <cstdint>
#include <string_view>
#include <type_traits>

#include "sim/bgp/path_attributes.hpp"
#include "sim/topo/ids.hpp"
#include "sim/topo/ipv4.hpp"

namespace ersim::bgp {

/// How a route reached this router (RFC 4271 §3: external and internal peers).
enum class PeerKind : std::uint8_t {
  Local,     ///< originated by this router (a network statement, the VNet's address space)
  External,  ///< eBGP: from a peer in another AS
  Internal,  ///< iBGP: from a peer in this AS
};

/// "local", "eBGP", "iBGP".
std::string_view to_string(PeerKind kind);

/// Cisco gives routes a router originates this weight, so they beat anything learned; ersim's
/// default weight is 0 for every route, and whoever originates a route chooses.
inline constexpr std::uint16_t kLocallyOriginatedWeight = 32768;

struct Route {
  Attributes attributes{};
  Ipv4Prefix prefix{};
  /// The peer's address on the session; 0.0.0.0 for a locally originated route
  /// (RFC 4271 §9.1.2.2 g).
  Ipv4Address neighbour_address{};
  /// The peer's BGP Identifier; this router's own for a locally originated route (§9.1.2.2 f).
  Ipv4Address neighbour_router_id{};
  std::uint32_t peer_asn = 0;
  /// The session the route arrived on; meaningless when kind is Local.
  topo::SessionId session{};
  /// The interior cost to the next hop (§9.1.2.2 e).
  std::uint32_t igp_cost = 0;
  /// Cisco-style weight: local to this router, never sent, higher wins before anything else.
  std::uint16_t weight = 0;
  PeerKind kind = PeerKind::Local;

  [[nodiscard]] bool locally_originated() const { return kind == PeerKind::Local; }

  friend bool operator==(const Route&, const Route&) = default;
};

static_assert(std::is_trivially_copyable_v<Route>);
static_assert(sizeof(Route) <= 40, "a router holds a million routes: keep Route small");

}  // namespace ersim::bgp
