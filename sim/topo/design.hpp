// A design in the ExpressRoute vocabulary, as the topology file states it: sites, providers,
// peering locations, circuits with peerings, VNets with gateways and connections, Global Reach,
// and a generic section. expand() (expand.hpp) turns it into a Topology of plain routers, links
// and sessions. The loader fills it only with validated values.
//   Design d;  d.sites.push_back({.name = "ams", .prefixes = {...}, .routers = {...}});
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/topo/model.hpp"

namespace ersim::topo {

struct Defaults {
  Duration latency = 1ms;
  BgpTimers timers;               ///< customer routers; MSEEs always run 60 s / 180 s
  BfdSettings bfd;                ///< customer routers; MSEEs always run BFD at 300 ms x 3
  ImplementationProfile profile;  ///< customer routers; MSEEs always run the default
};

struct RouterSpec {
  std::string name;
  std::uint32_t asn = 0;
  Ipv4Address router_id;
  BgpTimers timers;
  BfdSettings bfd;
  ImplementationProfile profile;
};

struct SiteSpec {
  std::string name;
  std::vector<Ipv4Prefix> prefixes;
  std::vector<RouterSpec> routers;
};

struct ProviderSpec {
  std::string name;
  ProviderKind kind = ProviderKind::Layer2;
  std::uint32_t asn = 0;  ///< layer 3: the AS of the provider edge routers
  FailureMode failure = FailureMode::Silent;
};

struct LocationSpec {
  std::string name;
  std::string metro;               ///< "" when none
  std::vector<std::string> msees;  ///< at least two
};

/// One leg (primary or secondary) of a peering: the customer router and its link.
struct LegSpec {
  std::string router;
  Duration latency = 1ms;
  FailureMode failure = FailureMode::Silent;
  std::vector<std::string> srlgs;
  SessionPolicy policy;  ///< the customer router's policy on this session
};

struct PeeringSpec {
  PeeringKind kind = PeeringKind::Private;
  std::uint32_t vlan = 0;
  std::uint32_t peer_asn = 0;
  Ipv4Prefix primary_subnet;    ///< a /30: customer first usable address, Microsoft the second
  Ipv4Prefix secondary_subnet;  ///< a /30
  LegSpec primary;
  LegSpec secondary;
  std::vector<Ipv4Prefix> advertise;
  std::vector<Ipv4Prefix> nat_pool;
  std::vector<std::string> route_filter;
  std::optional<std::vector<DscpMarking>> qos;  ///< Microsoft peering
};

struct CircuitSpec {
  std::string name;
  std::vector<std::string> locations;  ///< one, or two for ExpressRoute Metro
  std::string provider;
  std::uint64_t bandwidth_bps = 0;
  CircuitSku sku = CircuitSku::Standard;
  std::string msee_primary;
  std::string msee_secondary;
  std::vector<PeeringSpec> peerings;
};

struct ConnectionSpec {
  std::string circuit;
  std::uint32_t weight = 0;
};

/// An S2S VPN tunnel from the VNet's VPN gateway to a customer router (backup, active-passive).
struct VpnSpec {
  std::string router;
  Duration latency = 10ms;
};

struct VNetSpec {
  std::string name;
  std::vector<Ipv4Prefix> prefixes;
  std::string gateway;
  std::string gateway_sku;
  bool zone_redundant = false;
  std::vector<ConnectionSpec> connections;
  std::vector<VpnSpec> vpn;
};

struct GlobalReachSpec {
  std::string circuit_a;
  std::string circuit_b;
  Ipv4Prefix subnet;  ///< a /29 for the two /30s of the backbone sessions
};

struct GenericLinkSpec {
  std::string name;
  std::string a;
  std::string b;
  Duration latency = 1ms;
  std::uint64_t capacity_bps = 0;
  FailureMode failure = FailureMode::Carrier;
  std::vector<std::string> srlgs;
};

struct GenericSessionEnd {
  std::string router;
  Ipv4Address address;
  std::vector<Ipv4Prefix> advertise;
  SessionPolicy policy;
};

struct GenericSessionSpec {
  std::string name;
  std::string link;
  GenericSessionEnd a;
  GenericSessionEnd b;
};

struct GenericRouterSpec {
  RouterSpec router;
  RouterRole role = RouterRole::Host;
  std::string location;
};

struct Design {
  std::string name;
  Defaults defaults;
  std::vector<SiteSpec> sites;
  std::vector<ProviderSpec> providers;
  std::vector<LocationSpec> locations;
  std::vector<std::string> srlgs;  ///< declared shared-risk groups (a conduit, a building)
  std::vector<CircuitSpec> circuits;
  std::vector<VNetSpec> vnets;
  std::vector<GlobalReachSpec> global_reach;
  std::vector<GenericRouterSpec> routers;
  std::vector<GenericLinkSpec> links;
  std::vector<GenericSessionSpec> sessions;
};

}  // namespace ersim::topo
