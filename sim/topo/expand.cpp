#include "sim/topo/expand.hpp"

#include <fmt/format.h>

#include <array>
#include <map>
#include <tuple>
#include <utility>

#include "core/assert.hpp"

namespace ersim::topo {
namespace {

// MSEE settings are Microsoft's, not the customer's: keepalive 60 s, hold 180 s; BFD on, 300 ms
// x 3 (ExpressRoute BGP and BFD documentation); jitter as the RFCs say (the default profile), as
// do the other routers ersim creates.
constexpr BgpTimers kMseeTimers{60s, 180s};
constexpr BfdSettings kMseeBfd{true, 300ms, 3};
// The gateway's sessions to the MSEEs use the MSEE timers; BFD is not documented for them.
constexpr BfdSettings kNoBfd{false, 300ms, 3};

// Router ids of routers ersim creates (MSEEs, provider edges, gateways) come from 240.0.0.0/4,
// which no customer router uses, so they never tie with one.
constexpr std::uint32_t kSyntheticRouterIdBase = 0xF0000000U;

constexpr std::array<PathRole, 2> kLegs{PathRole::Primary, PathRole::Secondary};

std::string srlg_location(std::string_view name) { return fmt::format("location:{}", name); }
std::string srlg_metro(std::string_view name) { return fmt::format("metro:{}", name); }
std::string srlg_provider(std::string_view name) { return fmt::format("provider:{}", name); }
std::string srlg_ce(std::string_view name) { return fmt::format("ce:{}", name); }

class Expander {
 public:
  explicit Expander(const Design& design) : d_(design), b_(design.name) {}

  Topology run() && {
    reserve();
    for (const std::string& name : d_.srlgs) {
      b_.srlg(name, SrlgKind::Declared);
    }
    for (const ProviderSpec& p : d_.providers) {
      providers_.emplace(p.name, &p);
      b_.srlg(srlg_provider(p.name), SrlgKind::Provider);
    }
    for (const SiteSpec& site : d_.sites) {
      add_site(site);
    }
    for (const LocationSpec& location : d_.locations) {
      add_location(location);
    }
    for (const GenericRouterSpec& r : d_.routers) {
      add_router(r.router, r.role, r.location);
    }
    for (const CircuitSpec& circuit : d_.circuits) {
      add_circuit(circuit);
    }
    for (const VNetSpec& vnet : d_.vnets) {
      add_vnet(vnet);
    }
    for (const GlobalReachSpec& reach : d_.global_reach) {
      add_global_reach(reach);
    }
    for (const GenericLinkSpec& link : d_.links) {
      add_generic_link(link);
    }
    for (const GenericSessionSpec& session : d_.sessions) {
      add_generic_session(session);
    }
    return std::move(b_).seal();
  }

 private:
  RouterId router(std::string_view name) const {
    const std::optional<RouterId> id = b_.find_router(name);
    ERSIM_ASSERT(id.has_value(), fmt::format("unknown router {}", name));
    return *id;
  }

  Ipv4Address synthetic_router_id() { return Ipv4Address(kSyntheticRouterIdBase + next_id_++); }

  // Upper bounds of what run() adds: per circuit two provider edges, and per leg two links and,
  // per peering, two sessions (over a layer 3 provider); two of each per gateway connection.
  void reserve() {
    std::size_t routers = 2 * d_.circuits.size() + 2 * d_.vnets.size() + d_.routers.size();
    std::size_t links = 4 * d_.circuits.size() + 2 * d_.global_reach.size() + d_.links.size();
    std::size_t sessions = 2 * d_.global_reach.size() + d_.sessions.size();
    for (const SiteSpec& site : d_.sites) {
      routers += site.routers.size();
    }
    for (const LocationSpec& location : d_.locations) {
      routers += location.msees.size();
    }
    for (const CircuitSpec& circuit : d_.circuits) {
      sessions += 4 * circuit.peerings.size();
    }
    for (const VNetSpec& vnet : d_.vnets) {
      links += 2 * vnet.connections.size() + vnet.vpn.size();
      sessions += 2 * vnet.connections.size() + vnet.vpn.size();
    }
    b_.reserve(routers, links, sessions);
  }

  RouterId add_router(const RouterSpec& spec, RouterRole role, std::string location) {
    return b_.add_router({spec.name, role, spec.asn, spec.router_id, std::move(location),
                          spec.timers, spec.bfd, spec.profile});
  }

  RouterId add_synthetic_router(std::string name, RouterRole role, std::uint32_t asn,
                                std::string location, BfdSettings bfd) {
    return b_.add_router({std::move(name), role, asn, synthetic_router_id(), std::move(location),
                          kMseeTimers, bfd, ImplementationProfile{}});
  }

  void add_site(const SiteSpec& spec) {
    Site site{spec.name, spec.prefixes, {}};
    for (const RouterSpec& r : spec.routers) {
      const RouterId id = add_router(r, RouterRole::Ce, spec.name);
      b_.add_to_srlg(b_.srlg(srlg_ce(r.name), SrlgKind::CeDevice), id);
      site.routers.push_back(id);
      site_of_router_.emplace(r.name, &spec);
    }
    b_.add_site(std::move(site));
  }

  void add_location(const LocationSpec& spec) {
    const SrlgId location = b_.srlg(srlg_location(spec.name), SrlgKind::PeeringLocation);
    location_of_.emplace(spec.name, &spec);
    for (const std::string& msee : spec.msees) {
      const RouterId id =
          add_synthetic_router(msee, RouterRole::Msee, kMicrosoftAsn, spec.name, kMseeBfd);
      b_.add_to_srlg(location, id);
      if (!spec.metro.empty()) {
        b_.add_to_srlg(b_.srlg(srlg_metro(spec.metro), SrlgKind::Metro), id);
      }
    }
  }

  // The shared-risk groups a link toward an MSEE belongs to: the MSEE's peering location and
  // metro, plus the ones named.
  void add_msee_groups(LinkId link, RouterId msee, const std::vector<std::string>& declared) {
    const LocationSpec& location = *location_of_.at(b_.router(msee).location);
    b_.add_to_srlg(b_.srlg(srlg_location(location.name), SrlgKind::PeeringLocation), link);
    if (!location.metro.empty()) {
      b_.add_to_srlg(b_.srlg(srlg_metro(location.metro), SrlgKind::Metro), link);
    }
    for (const std::string& name : declared) {
      b_.add_to_srlg(b_.srlg(name, SrlgKind::Declared), link);
    }
  }

  LinkId add_link(std::string name, RouterId a, RouterId b, const LegSpec& leg,
                  std::uint64_t capacity, CircuitId circuit, PathRole path) {
    return b_.add_link(
        {std::move(name), a, b, leg.latency, capacity, leg.failure, {}, circuit, path});
  }

  // The link of one leg of a circuit for one customer router, made once and shared by the
  // peerings (VLANs) that run over it. Layer 3: the customer router reaches a provider edge
  // router over an access link, and the provider edge router reaches the MSEE.
  struct LegLinks {
    LinkId msee_link;              // CE-MSEE (layer 2) or PE-MSEE (layer 3)
    std::optional<LinkId> access;  // CE-PE (layer 3)
    std::optional<RouterId> provider_edge;
  };

  LegLinks leg_links(const CircuitSpec& c, CircuitId cid, PathRole leg, const LegSpec& spec) {
    const auto key = std::make_tuple(c.name, leg, spec.router);
    if (const auto it = leg_links_.find(key); it != leg_links_.end()) {
      return it->second;
    }
    const ProviderSpec& provider = *providers_.at(c.provider);
    const SrlgId provider_group = b_.srlg(srlg_provider(provider.name), SrlgKind::Provider);
    const RouterId ce = router(spec.router);
    const RouterId msee = router(leg == PathRole::Primary ? c.msee_primary : c.msee_secondary);
    // The first customer router on a leg names the link after the circuit alone.
    const bool first = !first_router_on_leg_.contains({c.name, leg});
    first_router_on_leg_.emplace(std::make_pair(c.name, leg), spec.router);
    std::string name = circuit_link_name(c.name, leg);
    if (!first) {
      name += "." + spec.router;
    }

    LegLinks links{};
    if (provider.kind == ProviderKind::Layer2) {
      links.msee_link = add_link(name, ce, msee, spec, c.bandwidth_bps, cid, leg);
    } else {
      const RouterId pe =
          add_synthetic_router(name + ".pe", RouterRole::Pe, provider.asn, provider.name, kMseeBfd);
      b_.add_to_srlg(provider_group, pe);
      links.provider_edge = pe;
      links.access = add_link(name + ".access", ce, pe, spec, c.bandwidth_bps, cid, leg);
      b_.add_to_srlg(provider_group, *links.access);
      links.msee_link = add_link(name, pe, msee, spec, c.bandwidth_bps, cid, leg);
    }
    b_.add_to_srlg(provider_group, links.msee_link);
    add_msee_groups(links.msee_link, msee, spec.srlgs);
    leg_links_.emplace(key, links);
    return links;
  }

  void add_circuit(const CircuitSpec& c) {
    const CircuitId cid = b_.add_circuit({c.name,
                                          c.locations,
                                          c.provider,
                                          c.bandwidth_bps,
                                          c.sku,
                                          router(c.msee_primary),
                                          router(c.msee_secondary),
                                          {}});
    for (const PeeringSpec& p : c.peerings) {
      Peering peering{p.kind,      p.vlan,     p.peer_asn,     {},   {},
                      p.advertise, p.nat_pool, p.route_filter, p.qos};
      for (const PathRole leg : kLegs) {
        const bool primary = leg == PathRole::Primary;
        const LegSpec& spec = primary ? p.primary : p.secondary;
        const Ipv4Prefix& subnet = primary ? p.primary_subnet : p.secondary_subnet;
        const LegLinks links = leg_links(c, cid, leg, spec);
        const RouterId msee = router(primary ? c.msee_primary : c.msee_secondary);
        const RouterId ce = router(spec.router);

        std::vector<Ipv4Prefix> advertise = p.advertise;
        if (advertise.empty() && p.kind == PeeringKind::Private) {
          advertise = site_of_router_.at(spec.router)->prefixes;
        }
        SessionEnd microsoft{msee, subnet.host(2), peering_vrf_name(c.name, p.kind), {}, {}};
        microsoft.policy.max_prefix = msee_prefix_limit(p.kind, c.sku);
        const std::string name = peering_session_name(c.name, p.kind, leg);

        SessionId id{};
        if (links.provider_edge) {
          // Layer 3: the provider runs the session with the MSEE and one with the customer.
          id = b_.add_session({name, SessionEnd{*links.provider_edge, subnet.host(1), "", {}, {}},
                               std::move(microsoft), links.msee_link, cid, p.kind, leg});
          b_.add_session({name + ".access",
                          SessionEnd{ce, Ipv4Address(0), "", std::move(advertise), spec.policy},
                          SessionEnd{*links.provider_edge, Ipv4Address(0), "", {}, {}},
                          *links.access, cid, p.kind, leg});
        } else {
          id = b_.add_session(
              {name, SessionEnd{ce, subnet.host(1), "", std::move(advertise), spec.policy},
               std::move(microsoft), links.msee_link, cid, p.kind, leg});
        }
        (primary ? peering.primary : peering.secondary) = id;
      }
      b_.circuit(cid).peerings.push_back(std::move(peering));
    }
  }

  void add_vnet(const VNetSpec& spec) {
    const RouterId gateway =
        add_synthetic_router(spec.gateway, RouterRole::Gateway, kGatewayAsn, spec.name, kNoBfd);
    VNet vnet{spec.name, spec.prefixes, gateway, spec.gateway_sku, spec.zone_redundant, {}, {}, {}};
    for (const ConnectionSpec& cs : spec.connections) {
      const CircuitId cid = *b_.find_circuit(cs.circuit);
      Connection connection{cid, cs.weight, {}};
      for (const PathRole leg : kLegs) {
        const Circuit& circuit = b_.circuit(cid);
        const RouterId msee =
            leg == PathRole::Primary ? circuit.msee_primary : circuit.msee_secondary;
        const std::string name = fmt::format("{}.{}.{}", spec.gateway, cs.circuit, to_string(leg));
        const LinkId link = b_.add_link(
            {name, gateway, msee, d_.defaults.latency, 0, FailureMode::Carrier, {}, cid, leg});
        connection.sessions.push_back(b_.add_session(
            {name, SessionEnd{gateway, Ipv4Address(0), "", spec.prefixes, {}},
             SessionEnd{
                 msee, Ipv4Address(0), peering_vrf_name(cs.circuit, PeeringKind::Private), {}, {}},
             link, cid, PeeringKind::Private, leg}));
      }
      vnet.connections.push_back(std::move(connection));
    }
    if (!spec.vpn.empty()) {
      const RouterId vpn = add_synthetic_router(spec.gateway + "-vpn", RouterRole::VpnGateway,
                                                kGatewayAsn, spec.name, kNoBfd);
      vnet.vpn_gateway = vpn;
      for (const VpnSpec& tunnel : spec.vpn) {
        const RouterId ce = router(tunnel.router);
        const std::string name = fmt::format("{}-vpn.{}", spec.gateway, tunnel.router);
        // The tunnel crosses the Internet: its failure is silent, seen by BGP alone.
        const LinkId link =
            b_.add_link({name, vpn, ce, tunnel.latency, 0, FailureMode::Silent, {}, {}, {}});
        vnet.vpn_sessions.push_back(b_.add_session(
            {name,
             SessionEnd{vpn, Ipv4Address(0), "", spec.prefixes, {}},
             SessionEnd{ce, Ipv4Address(0), "", site_of_router_.at(tunnel.router)->prefixes, {}},
             link,
             {},
             {},
             PathRole::None}));
      }
    }
    b_.add_vnet(std::move(vnet));
  }

  // Global Reach joins the private peerings of two circuits over Microsoft's backbone: one
  // session per leg between the circuits' MSEEs, addressed from the /29 (first /30 primary).
  void add_global_reach(const GlobalReachSpec& spec) {
    const Circuit& a = b_.circuit(*b_.find_circuit(spec.circuit_a));
    const Circuit& bc = b_.circuit(*b_.find_circuit(spec.circuit_b));
    const std::array<Ipv4Prefix, 2> halves{
        Ipv4Prefix(spec.subnet.address(), 30),
        Ipv4Prefix(spec.subnet.host(4), 30),
    };
    for (std::size_t i = 0; i < kLegs.size(); ++i) {
      const PathRole leg = kLegs.at(i);
      const bool primary = leg == PathRole::Primary;
      const RouterId from = primary ? a.msee_primary : a.msee_secondary;
      const RouterId to = primary ? bc.msee_primary : bc.msee_secondary;
      const std::string name =
          fmt::format("global-reach.{}.{}.{}", spec.circuit_a, spec.circuit_b, to_string(leg));
      const LinkId link =
          b_.add_link({name, from, to, d_.defaults.latency, 0, FailureMode::Carrier, {}, {}, leg});
      b_.add_session(
          {name,
           SessionEnd{
               from, halves.at(i).host(1), peering_vrf_name(a.name, PeeringKind::Private), {}, {}},
           SessionEnd{
               to, halves.at(i).host(2), peering_vrf_name(bc.name, PeeringKind::Private), {}, {}},
           link,
           {},
           PeeringKind::Private,
           leg});
    }
  }

  void add_generic_link(const GenericLinkSpec& spec) {
    const LinkId link = b_.add_link({spec.name,
                                     router(spec.a),
                                     router(spec.b),
                                     spec.latency,
                                     spec.capacity_bps,
                                     spec.failure,
                                     {},
                                     {},
                                     PathRole::None});
    for (const std::string& name : spec.srlgs) {
      b_.add_to_srlg(b_.srlg(name, SrlgKind::Declared), link);
    }
  }

  void add_generic_session(const GenericSessionSpec& spec) {
    const auto end = [this](const GenericSessionEnd& e) {
      return SessionEnd{router(e.router), e.address, "", e.advertise, e.policy};
    };
    const std::optional<LinkId> link = b_.find_link(spec.link);
    ERSIM_ASSERT(link.has_value(), "unknown link " + spec.link);
    b_.add_session({spec.name, end(spec.a), end(spec.b), *link, {}, {}, PathRole::None});
  }

  const Design& d_;
  TopologyBuilder b_;
  std::uint32_t next_id_ = 0;
  std::map<std::string, const ProviderSpec*, std::less<>> providers_;
  std::map<std::string, const LocationSpec*, std::less<>> location_of_;
  std::map<std::string, const SiteSpec*, std::less<>> site_of_router_;
  std::map<std::tuple<std::string, PathRole, std::string>, LegLinks> leg_links_;
  std::map<std::pair<std::string, PathRole>, std::string> first_router_on_leg_;
};

}  // namespace

std::string circuit_link_name(std::string_view circuit, PathRole leg) {
  return fmt::format("{}.{}", circuit, to_string(leg));
}

std::string peering_session_name(std::string_view circuit, PeeringKind kind, PathRole leg) {
  return fmt::format("{}.{}.{}", circuit, to_string(kind), to_string(leg));
}

std::string peering_vrf_name(std::string_view circuit, PeeringKind kind) {
  return fmt::format("{}.{}", circuit, to_string(kind));
}

Topology expand(const Design& design) { return Expander(design).run(); }

}  // namespace ersim::topo
