// The generic elements of a sealed topology: routers, links, BGP sessions, shared-risk groups,
// and the ExpressRoute objects (sites, circuits, peerings, VNets) kept first-class on top of
// them. The BGP engine sees only routers, links and sessions.
//   const Router& msee = topology.router(session.b.router);   // msee.asn == 12076
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "sim/topo/ids.hpp"
#include "sim/topo/ipv4.hpp"
#include "sim/topo/qos.hpp"

namespace ersim::topo {

using namespace std::chrono_literals;

/// Microsoft's AS on every MSEE, and the AS the VNet gateway speaks as.
inline constexpr std::uint32_t kMicrosoftAsn = 12076;
inline constexpr std::uint32_t kGatewayAsn = 65515;
/// ASNs Azure reserves: a customer may not use them (65515-65520).
inline constexpr std::uint32_t kReservedAsnFirst = 65515;
inline constexpr std::uint32_t kReservedAsnLast = 65520;

/// ExpressRoute prefix limits. What an MSEE accepts per session: private peering 4,000
/// (10,000 with Premium), Microsoft peering 200; over the limit the session is dropped. What a
/// gateway connection sends toward on-premises: 1,000, over that the connection goes down.
inline constexpr std::uint32_t kPrivatePeeringLimit = 4000;
inline constexpr std::uint32_t kPrivatePeeringPremiumLimit = 10000;
inline constexpr std::uint32_t kMicrosoftPeeringLimit = 200;
inline constexpr std::uint32_t kConnectionLimit = 1000;

/// RFC 6996 private AS numbers: 64512-65534 and 4200000000-4294967294.
constexpr bool is_private_asn(std::uint32_t asn) {
  return (asn >= 64512 && asn <= 65534) || (asn >= 4'200'000'000U && asn <= 4'294'967'294U);
}

enum class RouterRole { Ce, Pe, Msee, Gateway, VpnGateway, Host };
enum class FailureMode { Carrier, Silent };
enum class PeeringKind { Private, Microsoft };
/// Which leg of a circuit a link or session belongs to.
enum class PathRole { None, Primary, Secondary };
enum class SrlgKind { PeeringLocation, Metro, Provider, CeDevice, Declared };
enum class CircuitSku { Standard, Premium, Local };
enum class ProviderKind { Layer2, Layer3 };
/// Which BGP timers an implementation jitters (RFC 4271 §10); bgp::jitter_profile() turns it
/// into the session's bgp::JitterProfile.
enum class BgpJitter {
  Rfc4271,   ///< connect-retry and keepalive, each to 75-100 % (the RFC's rule)
  WithHold,  ///< as the RFC, and the hold timer too
  None,      ///< every timer runs its full interval
};

std::string_view to_string(RouterRole role);
std::string_view to_string(FailureMode mode);
std::string_view to_string(PeeringKind kind);
std::string_view to_string(PathRole role);
std::string_view to_string(SrlgKind kind);
std::string_view to_string(CircuitSku sku);
std::string_view to_string(ProviderKind kind);
/// "rfc4271", "with-hold", "none" (the words of the topology file).
std::string_view to_string(BgpJitter jitter);

/// RFC 4271 §4.2 and §10; ExpressRoute's MSEE uses 60 s / 180 s.
struct BgpTimers {
  Duration keepalive = 60s;
  Duration hold = 180s;
  friend bool operator==(const BgpTimers&, const BgpTimers&) = default;
};

/// RFC 5880 asynchronous mode; ExpressRoute's MSEE runs 300 ms x 3.
struct BfdSettings {
  bool enabled = true;
  Duration interval = 300ms;
  std::uint32_t multiplier = 3;
  friend bool operator==(const BfdSettings&, const BfdSettings&) = default;
};

/// The range, in percent of the transmit interval, that an end draws each BFD control packet's
/// interval from (RFC 5880 §6.8.7: reduced by 0-25 %, so 75-100; no more than 90 % when the
/// Detect Mult is 1). The session draws every whole nanosecond in [interval x low %, interval x
/// high %] with equal chance, and caps the high end at 90 % when the end's multiplier is 1.
struct BfdJitter {
  std::uint8_t low_percent = 75;
  std::uint8_t high_percent = 100;
  friend bool operator==(const BfdJitter&, const BfdJitter&) = default;
};

/// "75-100".
std::string to_string(BfdJitter jitter);

/// How one router's implementation behaves where the RFCs leave room; the defaults are the RFCs'
/// (and what MSEEs run). The BGP and BFD engines get the parts that concern them from
/// router::Network.
struct ImplementationProfile {
  BgpJitter bgp_jitter = BgpJitter::Rfc4271;
  BfdJitter bfd_jitter;
  friend bool operator==(const ImplementationProfile&, const ImplementationProfile&) = default;
};

struct Router {
  std::string name;
  RouterRole role = RouterRole::Host;
  std::uint32_t asn = 0;
  Ipv4Address router_id;
  std::string location;  ///< the site, peering location or VNet it stands in
  BgpTimers timers;
  BfdSettings bfd;
  ImplementationProfile profile;
};

struct Link {
  std::string name;
  RouterId a;
  RouterId b;
  Duration latency = 1ms;
  std::uint64_t capacity_bps = 0;  ///< 0: not limited
  FailureMode failure = FailureMode::Carrier;
  std::vector<SrlgId> srlgs;
  std::optional<CircuitId> circuit;
  PathRole path = PathRole::None;
};

/// What one end applies to the routes it exchanges over a session.
struct SessionPolicy {
  std::optional<std::uint32_t> local_preference;  ///< set on routes received
  std::uint32_t prepend = 0;                      ///< own AS prepended this often on export
  std::optional<std::uint32_t> med;               ///< set on routes sent
  std::vector<Ipv4Prefix> import_filter;          ///< accepted prefixes (empty: all)
  std::vector<Ipv4Prefix> export_filter;          ///< sent prefixes (empty: all)
  std::vector<std::string> communities;           ///< added to routes sent ("12076:51004")
  std::optional<std::uint32_t> max_prefix;        ///< received routes before the session drops
  friend bool operator==(const SessionPolicy&, const SessionPolicy&) = default;
};

struct SessionEnd {
  RouterId router;
  Ipv4Address address;
  std::string vrf;                    ///< routing instance on the router ("" : the default one)
  std::vector<Ipv4Prefix> advertise;  ///< prefixes this end originates over the session
  SessionPolicy policy;
};

struct Session {
  std::string name;
  SessionEnd a;
  SessionEnd b;
  LinkId link;
  std::optional<CircuitId> circuit;
  std::optional<PeeringKind> peering;
  PathRole path = PathRole::None;
};

struct Srlg {
  std::string name;
  SrlgKind kind = SrlgKind::Declared;
  std::vector<LinkId> links;
  std::vector<RouterId> routers;
};

struct Peering {
  PeeringKind kind = PeeringKind::Private;
  std::uint32_t vlan = 0;
  std::uint32_t peer_asn = 0;
  SessionId primary;
  SessionId secondary;
  std::vector<Ipv4Prefix> advertised;
  std::vector<Ipv4Prefix> nat_pool;       ///< Microsoft peering
  std::vector<std::string> route_filter;  ///< Microsoft peering: BGP communities
  /// Microsoft peering: the DSCP the customer marks each traffic class with; absent when the
  /// design declares none.
  std::optional<std::vector<DscpMarking>> qos;
};

/// The prefix limit of an MSEE session of this peering kind on a circuit of this SKU.
std::uint32_t msee_prefix_limit(PeeringKind kind, CircuitSku sku);

struct Circuit {
  std::string name;
  std::vector<std::string> locations;  ///< one, or two in one metro (ExpressRoute Metro)
  std::string provider;
  std::uint64_t bandwidth_bps = 0;
  CircuitSku sku = CircuitSku::Standard;
  RouterId msee_primary;
  RouterId msee_secondary;
  std::vector<Peering> peerings;
  [[nodiscard]] bool metro() const { return locations.size() == 2; }
};

struct Site {
  std::string name;
  std::vector<Ipv4Prefix> prefixes;
  std::vector<RouterId> routers;
};

struct Connection {
  CircuitId circuit;
  std::uint32_t weight = 0;  ///< 0-32000, higher wins
  std::vector<SessionId> sessions;
};

struct VNet {
  std::string name;
  std::vector<Ipv4Prefix> prefixes;
  RouterId gateway;
  std::string gateway_sku;
  bool zone_redundant = false;
  std::vector<Connection> connections;
  std::optional<RouterId> vpn_gateway;
  std::vector<SessionId> vpn_sessions;
};

}  // namespace ersim::topo
