#include "sim/topo/checklist.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace ersim::topo {
namespace {

// A warning before the limit, so growth does not surprise: 80 % of it.
constexpr std::uint64_t kHeadroomPercent = 80;

std::string join(const std::vector<Ipv4Prefix>& prefixes) {
  std::string out;
  for (const Ipv4Prefix& p : prefixes) {
    out += out.empty() ? "" : ", ";
    out += p.to_string();
  }
  return out;
}

std::string peering_label(const Circuit& c, const Peering& p) {
  return fmt::format("the {} peering of circuit '{}'", to_string(p.kind), c.name);
}

class Checker {
 public:
  explicit Checker(const Topology& t) : t_(t) {}

  ChecklistReport run() && {
    for (const Circuit& c : t_.circuits()) {
      check_circuit(c);
    }
    check_bfd();
    for (const VNet& v : t_.vnets()) {
      check_vnet(v);
    }
    check_unconnected_circuits();
    std::stable_sort(report_.findings.begin(), report_.findings.end(),
                     [](const Finding& a, const Finding& b) { return a.severity < b.severity; });
    return std::move(report_);
  }

 private:
  void add(Severity severity, std::string rule, std::string object, std::string message,
           std::string advice = "") {
    report_.findings.push_back(
        {severity, std::move(rule), std::move(object), std::move(message), std::move(advice)});
  }

  // The customer's router on a peering session: the session's own end for layer 2, the far end
  // of the access session for layer 3 (where a provider edge router speaks to the MSEE).
  RouterId customer_router(SessionId id) const {
    const Session& s = t_.session(id);
    if (t_.router(s.a.router).role == RouterRole::Pe) {
      if (const auto access = t_.session_id(s.name + ".access")) {
        return t_.session(*access).a.router;
      }
    }
    return s.a.router;
  }

  const SessionEnd& customer_end(SessionId id) const {
    const Session& s = t_.session(id);
    if (t_.router(s.a.router).role == RouterRole::Pe) {
      if (const auto access = t_.session_id(s.name + ".access")) {
        return t_.session(*access).a;
      }
    }
    return s.a;
  }

  void check_circuit(const Circuit& c) {
    // Microsoft's checklist: two links per peering, to two MSEEs, from two customer devices.
    if (c.msee_primary == c.msee_secondary) {
      add(Severity::Error, "redundant-msee", c.name,
          fmt::format("both links of circuit '{}' end on one MSEE, '{}'", c.name,
                      t_.router(c.msee_primary).name),
          "Connect the primary and secondary links to the two MSEEs of the circuit.");
    }
    for (const Peering& p : c.peerings) {
      const RouterId primary = customer_router(p.primary);
      const RouterId secondary = customer_router(p.secondary);
      if (primary == secondary) {
        add(Severity::Error, "redundant-ce", c.name,
            fmt::format("the primary and secondary links of {} end on one router, '{}': it is a "
                        "single point of failure",
                        peering_label(c, p), t_.router(primary).name),
            "Terminate the secondary link on a second customer edge router (not on a second "
            "port or sub-interface of the same one).");
      }
      check_prefix_limits(c, p);
      check_legs_symmetry(c, p);
      if (p.kind == PeeringKind::Microsoft) {
        check_microsoft_peering(c, p);
      }
    }
  }

  void check_prefix_limits(const Circuit& c, const Peering& p) {
    const std::uint32_t limit = msee_prefix_limit(p.kind, c.sku);
    for (const SessionId id : {p.primary, p.secondary}) {
      const std::size_t count = customer_end(id).advertise.size();
      const std::string& name = t_.session(id).name;
      if (count > limit) {
        add(Severity::Error, "prefix-limit", name,
            fmt::format("{} prefixes are advertised over session '{}'; the limit is {}: the MSEE "
                        "drops the session",
                        count, name, limit),
            p.kind == PeeringKind::Private && c.sku != CircuitSku::Premium
                ? "Summarise the prefixes, or upgrade the circuit to Premium (10,000)."
                : "Summarise the prefixes.");
      } else if (count * 100 >= limit * kHeadroomPercent) {
        add(Severity::Warning, "prefix-limit", name,
            fmt::format("{} prefixes are advertised over session '{}', {}% of the limit of {}",
                        count, name, count * 100 / limit, limit),
            "Leave headroom: past the limit the MSEE drops the session.");
      }
    }
    if (customer_end(p.primary).advertise != customer_end(p.secondary).advertise) {
      add(Severity::Warning, "identical-routes", c.name,
          fmt::format("the primary and secondary sessions of {} advertise different prefixes",
                      peering_label(c, p)),
          "Advertise the same prefixes over both links, so either can carry all traffic.");
    }
  }

  // Local preference steers traffic leaving the site; AS-path prepending steers traffic coming
  // back. Steering only one direction, or the two against each other, makes paths asymmetric.
  void check_legs_symmetry(const Circuit& c, const Peering& p) {
    const SessionPolicy& primary = customer_end(p.primary).policy;
    const SessionPolicy& secondary = customer_end(p.secondary).policy;
    const std::uint32_t lp_primary = primary.local_preference.value_or(100);
    const std::uint32_t lp_secondary = secondary.local_preference.value_or(100);
    // Which leg each direction prefers: -1 primary, +1 secondary, 0 neither (both used).
    const int outbound = lp_primary > lp_secondary ? -1 : (lp_primary < lp_secondary ? 1 : 0);
    const int inbound =
        primary.prepend < secondary.prepend ? -1 : (primary.prepend > secondary.prepend ? 1 : 0);
    if (outbound == inbound) {
      if (outbound != 0) {
        add(Severity::Info, "active-passive", c.name,
            fmt::format("{} is active-passive: the {} link carries traffic both ways",
                        peering_label(c, p), outbound < 0 ? "primary" : "secondary"));
      }
      return;
    }
    const auto word = [](int side) {
      return side < 0 ? "the primary link" : (side > 0 ? "the secondary link" : "both links");
    };
    add(Severity::Warning, "asymmetry", c.name,
        fmt::format("on {}, traffic to Azure uses {} (local preference) but traffic from Azure "
                    "uses {} (AS-path prepending): paths are asymmetric",
                    peering_label(c, p), word(outbound), word(inbound)),
        "Set local preference and AS-path prepending to prefer the same link, or neither "
        "(Microsoft "
        "recommends active-active).");
  }

  void check_microsoft_peering(const Circuit& c, const Peering& p) {
    const std::string label = peering_label(c, p);
    for (const SessionId id : {p.primary, p.secondary}) {
      for (const Ipv4Prefix& prefix : customer_end(id).advertise) {
        if (prefix.is_private()) {
          add(Severity::Error, "microsoft-public", c.name,
              fmt::format("{} advertises the private prefix {} over session '{}'", label,
                          prefix.to_string(), t_.session(id).name),
              "Microsoft peering accepts public addresses only: translate private addresses to "
              "a public NAT pool and advertise the pool.");
        }
      }
      const Session& s = t_.session(id);
      if (s.b.address.is_private()) {
        add(Severity::Error, "microsoft-public", c.name,
            fmt::format("{} uses the private address {} on session '{}'", label,
                        s.b.address.to_string(), s.name),
            "Use public /30 subnets (or a /29) that you own for Microsoft peering.");
      }
    }
    for (const Ipv4Prefix& pool : p.nat_pool) {
      if (pool.is_private()) {
        add(Severity::Error, "microsoft-public", c.name,
            fmt::format("the NAT pool {} of {} is private", pool.to_string(), label),
            "The NAT pool must be public addresses registered to you.");
      }
    }
    if (p.route_filter.empty()) {
      add(Severity::Warning, "microsoft-route-filter", c.name,
          fmt::format("{} has no route filter: it receives no Microsoft prefixes", label),
          "Attach a route filter with the BGP communities of the services and regions you use.");
    }
    if (is_private_asn(p.peer_asn)) {
      add(Severity::Warning, "microsoft-asn", c.name,
          fmt::format("{} uses the private AS {}", label, p.peer_asn),
          "Use a public AS registered to you for Microsoft peering.");
    }
    check_qos(c, p, label);
  }

  // ExpressRoute QoS requirements: Teams and Skype for Business media over Microsoft peering
  // must arrive marked (voice EF, video AF41, ...); unmarked, it is best effort at every hop.
  void check_qos(const Circuit& c, const Peering& p, const std::string& label) {
    const std::string expected = [] {
      std::string text;
      for (const TrafficClass traffic : kTrafficClasses) {
        text += fmt::format("{}{} {} ({})", text.empty() ? "" : ", ", to_string(traffic),
                            dscp_name(microsoft_dscp(traffic)), microsoft_dscp(traffic));
      }
      return text;
    }();
    if (!p.qos) {
      add(Severity::Warning, "qos", c.name,
          fmt::format("{} declares no DSCP markings (qos): voice and video crossing it are "
                      "treated as best effort",
                      label),
          fmt::format("Mark traffic as Microsoft expects and declare it under qos: {}.", expected));
      return;
    }
    for (const TrafficClass traffic : {TrafficClass::Voice, TrafficClass::Video}) {
      const bool declared = std::any_of(p.qos->begin(), p.qos->end(),
                                        [&](const DscpMarking& m) { return m.traffic == traffic; });
      if (!declared) {
        add(Severity::Warning, "qos", c.name,
            fmt::format("{} declares no marking for {}", label, to_string(traffic)),
            fmt::format("Mark {} {} ({}).", to_string(traffic), dscp_name(microsoft_dscp(traffic)),
                        microsoft_dscp(traffic)));
      }
    }
    for (const DscpMarking& m : *p.qos) {
      const std::uint8_t wanted = microsoft_dscp(m.traffic);
      if (m.dscp != wanted) {
        add(Severity::Warning, "qos", c.name,
            fmt::format("{} marks {} {} ({}); Microsoft expects {} ({})", label,
                        to_string(m.traffic), dscp_name(m.dscp), m.dscp, dscp_name(wanted), wanted),
            fmt::format("Remark {} to {} ({}), as Microsoft's QoS requirements for Teams media "
                        "ask.",
                        to_string(m.traffic), dscp_name(wanted), wanted));
      }
    }
  }

  // ExpressRoute: BFD is on at the MSEE; without it on the customer's side a silent failure is
  // noticed only when the BGP hold timer expires.
  void check_bfd() {
    std::set<RouterId> reported;
    for (const Session& s : t_.sessions()) {
      if (!s.circuit || t_.router(s.b.router).role != RouterRole::Msee) {
        continue;
      }
      const Router& customer = t_.router(s.a.router);
      if (customer.role != RouterRole::Ce || customer.bfd.enabled ||
          !reported.insert(s.a.router).second) {
        continue;
      }
      const Duration hold = std::min(customer.timers.hold, t_.router(s.b.router).timers.hold);
      add(Severity::Warning, "bfd", customer.name,
          fmt::format("BFD is off on router '{}': a silent failure of its ExpressRoute links is "
                      "noticed when the BGP hold timer expires, up to {} later, instead of in "
                      "under a second",
                      customer.name, format_duration(hold)),
          "Enable BFD on the router's ExpressRoute sessions (the MSEEs run it by default).");
    }
  }

  void check_vnet(const VNet& v) {
    VNetResiliency r{v.name, ResiliencyModel::Unconnected, {}};
    std::set<std::string> primary_locations;
    std::set<std::string> all_locations;
    bool metro = false;
    for (const Connection& conn : v.connections) {
      const Circuit& c = t_.circuit(conn.circuit);
      primary_locations.insert(c.locations.front());
      all_locations.insert(c.locations.begin(), c.locations.end());
      metro = metro || c.metro();
      connected_.insert(conn.circuit);
    }
    r.locations.assign(all_locations.begin(), all_locations.end());
    if (primary_locations.size() >= 2) {
      r.model = ResiliencyModel::Maximum;
      add(Severity::Info, "resiliency", v.name,
          fmt::format("VNet '{}' has Maximum resiliency: circuits at {} peering locations", v.name,
                      primary_locations.size()));
    } else if (metro) {
      r.model = ResiliencyModel::High;
      add(Severity::Info, "resiliency", v.name,
          fmt::format("VNet '{}' has High resiliency: an ExpressRoute Metro circuit across two "
                      "locations of one metro",
                      v.name));
    } else if (!v.connections.empty()) {
      r.model = ResiliencyModel::Standard;
      add(Severity::Warning, "resiliency", v.name,
          fmt::format("VNet '{}' has Standard resiliency: losing peering location '{}' cuts it "
                      "off from on-premises",
                      v.name, *primary_locations.begin()),
          "Add a circuit at a second peering location (Maximum resiliency), or use an "
          "ExpressRoute Metro circuit (High).");
    } else {
      add(Severity::Warning, "resiliency", v.name,
          fmt::format("VNet '{}' is connected to no circuit", v.name),
          "Connect its gateway to an ExpressRoute circuit.");
    }
    report_.resiliency.push_back(std::move(r));

    if (!v.zone_redundant) {
      add(Severity::Warning, "zone-redundancy", v.name,
          fmt::format("gateway '{}' ({}) of VNet '{}' is not zone-redundant",
                      t_.router(v.gateway).name, v.gateway_sku, v.name),
          "Use a zone-redundant gateway SKU (ErGw1AZ, ErGw2AZ, ErGw3AZ).");
    }
    if (v.prefixes.size() > kConnectionLimit) {
      add(Severity::Error, "prefix-limit", v.name,
          fmt::format("VNet '{}' advertises {} prefixes toward on-premises; a connection carries "
                      "at most {}: the connection goes down",
                      v.name, v.prefixes.size(), kConnectionLimit),
          "Summarise the VNet's address space.");
    }
    if (v.vpn_gateway) {
      add(Severity::Info, "vpn-backup", v.name,
          fmt::format("VNet '{}' has a site-to-site VPN backup: active-passive, used only when no "
                      "circuit carries a prefix",
                      v.name));
    }
    check_circuit_pairs(v);
  }

  std::set<Ipv4Prefix> private_prefixes(const Circuit& c) const {
    std::set<Ipv4Prefix> out;
    for (const Peering& p : c.peerings) {
      if (p.kind == PeeringKind::Private) {
        for (const SessionId id : {p.primary, p.secondary}) {
          const auto& advertise = customer_end(id).advertise;
          out.insert(advertise.begin(), advertise.end());
        }
      }
    }
    return out;
  }

  std::optional<std::uint32_t> local_preference(const Circuit& c) const {
    std::optional<std::uint32_t> best;
    for (const Peering& p : c.peerings) {
      if (p.kind != PeeringKind::Private) {
        continue;
      }
      for (const SessionId id : {p.primary, p.secondary}) {
        const auto lp = customer_end(id).policy.local_preference.value_or(100);
        best = std::max(best.value_or(0), lp);
      }
    }
    return best;
  }

  void check_circuit_pairs(const VNet& v) {
    if (v.connections.size() < 2) {
      return;
    }
    // The same prefixes over every circuit, so each can take over all traffic.
    const Circuit& first = t_.circuit(v.connections.front().circuit);
    const std::set<Ipv4Prefix> reference = private_prefixes(first);
    for (std::size_t i = 1; i < v.connections.size(); ++i) {
      const Circuit& other = t_.circuit(v.connections[i].circuit);
      const std::set<Ipv4Prefix> prefixes = private_prefixes(other);
      if (prefixes != reference) {
        std::vector<Ipv4Prefix> only_first;
        std::vector<Ipv4Prefix> only_other;
        std::set_difference(reference.begin(), reference.end(), prefixes.begin(), prefixes.end(),
                            std::back_inserter(only_first));
        std::set_difference(prefixes.begin(), prefixes.end(), reference.begin(), reference.end(),
                            std::back_inserter(only_other));
        add(Severity::Warning, "identical-routes", v.name,
            fmt::format("circuits '{}' and '{}' of VNet '{}' advertise different prefixes (only "
                        "on '{}': {}; only on '{}': {})",
                        first.name, other.name, v.name, first.name,
                        only_first.empty() ? "none" : join(only_first), other.name,
                        only_other.empty() ? "none" : join(only_other)),
            "Advertise the same prefixes over every circuit, so one can carry all traffic when "
            "the other fails.");
      }
    }
    // Azure chooses the circuit toward on-premises by connection weight; the site chooses the
    // circuit toward Azure by local preference. Preferring different circuits is asymmetric.
    const auto by_weight = std::max_element(
        v.connections.begin(), v.connections.end(),
        [](const Connection& a, const Connection& b) { return a.weight < b.weight; });
    const bool weight_prefers =
        std::count_if(v.connections.begin(), v.connections.end(),
                      [&](const Connection& c) { return c.weight == by_weight->weight; }) == 1;
    std::optional<CircuitId> lp_choice;
    std::uint32_t best_lp = 0;
    bool lp_tie = false;
    for (const Connection& conn : v.connections) {
      const std::uint32_t lp = local_preference(t_.circuit(conn.circuit)).value_or(100);
      if (!lp_choice || lp > best_lp) {
        lp_choice = conn.circuit;
        best_lp = lp;
        lp_tie = false;
      } else if (lp == best_lp) {
        lp_tie = true;
      }
    }
    const bool lp_prefers = !lp_tie;
    if (weight_prefers) {
      for (const Connection& conn : v.connections) {
        if (conn.circuit != by_weight->circuit) {
          add(Severity::Info, "connection-weight", v.name,
              fmt::format("circuit '{}' carries traffic from VNet '{}' only when '{}' fails "
                          "(weight {} < {})",
                          t_.circuit(conn.circuit).name, v.name,
                          t_.circuit(by_weight->circuit).name, conn.weight, by_weight->weight));
        }
      }
    }
    if (weight_prefers && lp_prefers && *lp_choice != by_weight->circuit) {
      add(Severity::Warning, "asymmetry", v.name,
          fmt::format("VNet '{}' sends traffic over '{}' (connection weight) but on-premises "
                      "sends it over '{}' (local preference): paths are asymmetric",
                      v.name, t_.circuit(by_weight->circuit).name, t_.circuit(*lp_choice).name),
          "Prefer the same circuit in both directions: raise its local preference on-premises "
          "and its connection weight in Azure.");
    } else if (weight_prefers != lp_prefers) {
      add(Severity::Warning, "asymmetry", v.name,
          fmt::format("VNet '{}' prefers a circuit only in one direction ({}): traffic may "
                      "return over another circuit",
                      v.name,
                      weight_prefers ? "from Azure, by connection weight"
                                     : "to Azure, by local preference"),
          "Set the preference in both directions (connection weight and local preference) or "
          "in neither.");
    }
  }

  void check_unconnected_circuits() {
    for (std::size_t i = 0; i < t_.circuits().size(); ++i) {
      const CircuitId id{static_cast<std::uint32_t>(i)};
      const Circuit& c = t_.circuit(id);
      const bool has_private =
          std::any_of(c.peerings.begin(), c.peerings.end(),
                      [](const Peering& p) { return p.kind == PeeringKind::Private; });
      if (has_private && !connected_.contains(id)) {
        add(Severity::Warning, "connection", c.name,
            fmt::format("circuit '{}' has private peering but no VNet gateway is connected to it",
                        c.name),
            "Connect a VNet gateway to the circuit, or remove its private peering.");
      }
    }
  }

  const Topology& t_;
  ChecklistReport report_;
  std::set<CircuitId> connected_;
};

}  // namespace

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::Error:
      return "error";
    case Severity::Warning:
      return "warning";
    case Severity::Info:
      return "info";
  }
  return "unknown";
}

std::string_view to_string(ResiliencyModel model) {
  switch (model) {
    case ResiliencyModel::Maximum:
      return "maximum";
    case ResiliencyModel::High:
      return "high";
    case ResiliencyModel::Standard:
      return "standard";
    case ResiliencyModel::Unconnected:
      return "unconnected";
  }
  return "unknown";
}

std::size_t ChecklistReport::count(Severity severity) const {
  return static_cast<std::size_t>(
      std::count_if(findings.begin(), findings.end(),
                    [severity](const Finding& f) { return f.severity == severity; }));
}

ChecklistReport run_checklist(const Topology& topology) { return Checker(topology).run(); }

}  // namespace ersim::topo
