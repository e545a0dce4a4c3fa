// Forwarding: where a packet goes, hop by hop, through the routers' forwarding tables as they
// stand at one instant (DESIGN §4). Each router's FIB is its Loc-RIB: the longest prefix that
// holds the destination decides, an ECMP set is split by a hash of the flow, and a route learned
// over a session sends the packet over that session's link to the peer's routing instance.
//
//   const Trace t = trace(network, {.routers = site_ces, .destination = vm, .hash = h});
//   t.outcome == Outcome::Delivered;   t.circuit;   // the ExpressRoute circuit it crossed
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/bgp/rib.hpp"
#include "sim/router/network.hpp"
#include "sim/topo/ids.hpp"
#include "sim/topo/ipv4.hpp"

namespace ersim::reach {

/// How a packet's journey ends.
enum class Outcome : std::uint8_t {
  Delivered,   ///< a router holds the destination's prefix as its own route
  NoRoute,     ///< a router has no route to the destination: a black hole
  Loop,        ///< the packet came back to a routing instance it had left
  LinkDown,    ///< sent over a failed link that BGP has not noticed yet
  RouterDown,  ///< sent to (or from) a router that is down
};

/// "delivered", "no route", "loop", "link down", "router down".
std::string_view to_string(Outcome outcome);

/// What is traced: from `routers`, in their instance `vrf`, toward `destination`. The routers
/// act as one first-hop redundancy group with route tracking (VRRP, RFC 5798, or HSRP, with the
/// active router tracking its route to the destination): the packet leaves from the first router
/// that is up and has a route to the destination, or, when none has one, from the first that is
/// up. `hash` picks a path from each ECMP set, the same one every time for the same flow.
struct Packet {
  std::span<const topo::RouterId> routers;
  std::string_view vrf;
  Ipv4Address destination;
  std::uint64_t hash = 0;
};

struct Trace {
  Outcome outcome = Outcome::NoRoute;
  /// The routers the packet visited, in order: the last one delivered or dropped it.
  std::vector<topo::RouterId> routers;
  /// The links it crossed, in order; for LinkDown, the failed link last.
  std::vector<topo::LinkId> links;
  /// The sessions whose routes it followed, one per link.
  std::vector<topo::SessionId> sessions;
  /// The routing instances it was looked up in, in order.
  std::vector<router::InstanceId> instances;
  /// The ExpressRoute circuit whose link it crossed first, if any.
  std::optional<topo::CircuitId> circuit;
  friend bool operator==(const Trace&, const Trace&) = default;
};

/// The router a packet from `routers` leaves from (see Packet), if any is up.
[[nodiscard]] std::optional<topo::RouterId> first_hop(const router::Network& network,
                                                      std::span<const topo::RouterId> routers,
                                                      std::string_view vrf,
                                                      Ipv4Address destination);

/// Follows the packet through the network's current forwarding state.
[[nodiscard]] Trace trace(const router::Network& network, const Packet& packet);

/// A fixed hash of a flow's addresses and DSCP, for ECMP (RFC 2992's hash-threshold idea: one
/// flow, one path).
[[nodiscard]] std::uint64_t flow_hash(Ipv4Address source, Ipv4Address destination,
                                      std::optional<std::uint8_t> dscp);

/// "ce1 -[er-ams.primary]-> msee1 -> ..." style path text: router names joined by their links.
[[nodiscard]] std::string path_text(const topo::Topology& topology, const Trace& trace);

}  // namespace ersim::reach
