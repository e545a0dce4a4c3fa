#include "sim/reach/forwarding.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace ersim::reach {

using bgp::Side;
using router::InstanceId;
using topo::RouterId;

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::Delivered:
      return "delivered";
    case Outcome::NoRoute:
      return "no route";
    case Outcome::Loop:
      return "loop";
    case Outcome::LinkDown:
      return "link down";
    case Outcome::RouterDown:
      return "router down";
  }
  return "?";
}

namespace {

// SplitMix64's finaliser: a fixed mixer, so paths never depend on a per-process seed.
std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 30U;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27U;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31U;
  return x;
}

// A network has a few dozen hops at most between any two routers; a longer walk is a loop that
// the instance check missed, which cannot happen, so this only bounds the work.
constexpr std::size_t kMaxHops = 255;

}  // namespace

std::uint64_t flow_hash(Ipv4Address source, Ipv4Address destination,
                        std::optional<std::uint8_t> dscp) {
  const std::uint64_t addresses = (std::uint64_t{source.value()} << 32U) | destination.value();
  return mix(addresses ^ mix(dscp.value_or(0xffU)));
}

std::optional<RouterId> first_hop(const router::Network& network, std::span<const RouterId> routers,
                                  std::string_view vrf, Ipv4Address destination) {
  std::optional<RouterId> first_up;
  for (const RouterId r : routers) {
    if (!network.router_up(r)) {
      continue;
    }
    if (!first_up) {
      first_up = r;
    }
    const std::optional<InstanceId> instance = network.instance(r, vrf);
    if (instance && network.rib(*instance).longest_match(destination) != nullptr) {
      return r;
    }
  }
  return first_up;
}

Trace trace(const router::Network& network, const Packet& packet) {
  const topo::Topology& topology = network.topology();
  Trace out;
  const std::optional<RouterId> source =
      first_hop(network, packet.routers, packet.vrf, packet.destination);
  if (!source) {
    out.outcome = Outcome::RouterDown;
    if (!packet.routers.empty()) {
      out.routers.push_back(packet.routers.front());
    }
    return out;
  }
  const RouterId at = *source;
  std::optional<InstanceId> instance = network.instance(at, packet.vrf);
  out.routers.push_back(at);
  while (instance) {
    if (std::find(out.instances.begin(), out.instances.end(), *instance) != out.instances.end() ||
        out.instances.size() >= kMaxHops) {
      out.outcome = Outcome::Loop;
      return out;
    }
    out.instances.push_back(*instance);
    const bgp::LocRibEntry* entry = network.rib(*instance).longest_match(packet.destination);
    if (entry == nullptr) {
      out.outcome = Outcome::NoRoute;
      return out;
    }
    const std::span<const bgp::Route> paths = entry->multipath();
    // Mixing in the instance keeps one flow from taking the same ECMP index at every hop.
    const bgp::Route& route =
        paths[mix(packet.hash ^ (std::uint64_t{instance->value} << 1U)) % paths.size()];
    if (route.locally_originated()) {
      out.outcome = Outcome::Delivered;
      return out;
    }
    const topo::Session& session = topology.session(route.session);
    const bool from_a = network.end_instance(route.session, Side::A) == *instance;
    const topo::SessionEnd& here = from_a ? session.a : session.b;
    const topo::SessionEnd& there = from_a ? session.b : session.a;
    // A VNet's VPN gateway shares the gateway's instance: the packet leaves from the router at
    // this end of the session.
    if (here.router != out.routers.back()) {
      out.routers.push_back(here.router);
    }
    out.links.push_back(session.link);
    out.sessions.push_back(route.session);
    if (!out.circuit) {
      out.circuit = topology.link(session.link).circuit;
    }
    if (!network.link_up(session.link)) {
      out.outcome = Outcome::LinkDown;
      return out;
    }
    out.routers.push_back(there.router);
    if (!network.router_up(there.router)) {
      out.outcome = Outcome::RouterDown;
      return out;
    }
    instance = network.end_instance(route.session, from_a ? Side::B : Side::A);
  }
  out.outcome = Outcome::NoRoute;  // the source router has no such instance
  return out;
}

std::string path_text(const topo::Topology& topology, const Trace& trace) {
  std::string text;
  std::size_t link = 0;
  for (std::size_t i = 0; i < trace.routers.size(); ++i) {
    if (i > 0) {
      // Consecutive routers of one instance (a VPN gateway beside its gateway) share no link.
      const bool crossed =
          link < trace.links.size() && (topology.link(trace.links[link]).a == trace.routers[i] ||
                                        topology.link(trace.links[link]).b == trace.routers[i]);
      if (crossed) {
        fmt::format_to(std::back_inserter(text), " -[{}]-> ",
                       topology.link(trace.links[link]).name);
        ++link;
      } else {
        text += " + ";
      }
    }
    text += topology.router(trace.routers[i]).name;
  }
  if (trace.outcome == Outcome::LinkDown && link < trace.links.size()) {
    fmt::format_to(std::back_inserter(text), " -[{}: down]", topology.link(trace.links[link]).name);
  }
  return text;
}

}  // namespace ersim::reach
