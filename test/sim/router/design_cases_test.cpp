// Design cases from Microsoft's ExpressRoute routing guidance, each run on the whole control
// plane from a cold start with a fixed seed, and checked against the outcome Microsoft
// documents ("Optimize ExpressRoute routing", "Designing for high availability with
// ExpressRoute", "Using S2S VPN as a backup for ExpressRoute private peering"):
//
// - the VNet gateway chooses by longest prefix, then ExpressRoute over VPN, then the highest
//   connection weight, then the shortest AS path, then spreads over what is left (ECMP);
// - on-premises routers run the RFC 4271 §9.1 decision, so local preference steers traffic to
//   Azure, and AS-path prepending on what they advertise steers traffic from Azure.
//
// Each case also fails the preferred path and checks that traffic moves where the guidance says.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "sim/io/topology_yaml.hpp"
#include "sim/router/network.hpp"
#include "sim/topo/expand.hpp"

namespace ersim::router {
namespace {

using namespace std::chrono_literals;

Ipv4Prefix prefix(const char* text) { return Ipv4Prefix::parse_or_throw(text); }

// A site with two CE routers, both circuits' primary legs on ce1 and secondary legs on ce2.
constexpr const char* kSite = R"(
sites:
  - name: dc
    prefixes: [10.1.0.0/16]
    routers:
      - {name: ce1, asn: 65001, router_id: 10.1.255.1}
      - {name: ce2, asn: 65001, router_id: 10.1.255.2}
providers:
  - {name: equinix, kind: layer2}
locations:
  - {name: amsterdam}
  - {name: london}
)";

// One circuit in Amsterdam (er-ams) and one in London (er-lon). The tokens AMS_ADVERTISE,
// AMS_PRIMARY, AMS_SECONDARY, LON_ADVERTISE, LON_PRIMARY and AMS_WEIGHT are replaced per case.
constexpr const char* kTwoCircuits = R"(
circuits:
  - name: er-ams
    location: amsterdam
    provider: equinix
    bandwidth: 1Gbps
    peerings:
      private:
        vlan: 100
        peer_asn: 65001
        subnet: 192.168.10.0/29
        primary: {router: ce1AMS_PRIMARY}
        secondary: {router: ce2AMS_SECONDARY}
        advertise: [AMS_ADVERTISE]
  - name: er-lon
    location: london
    provider: equinix
    bandwidth: 1Gbps
    peerings:
      private:
        vlan: 100
        peer_asn: 65001
        subnet: 192.168.20.0/29
        primary: {router: ce1LON_PRIMARY}
        secondary: {router: ce2}
        advertise: [LON_ADVERTISE]
vnets:
  - name: hub
    prefixes: [10.100.0.0/16]
    gateway: {name: hub-gw}
    connections:
      - {circuit: er-ams, weight: AMS_WEIGHT}
      - {circuit: er-lon}
)";

struct TwoCircuits {
  std::string ams_advertise = "10.1.0.0/16";
  std::string lon_advertise = "10.1.0.0/16";
  std::string ams_primary{};  ///< extra keys of the leg, e.g. ", policy: {prepend: 3}"
  std::string ams_secondary{};
  std::string lon_primary{};
  int ams_weight = 0;
};

void replace(std::string& text, const std::string& token, const std::string& value) {
  const std::size_t at = text.find(token);
  ASSERT_NE(at, std::string::npos) << token;
  text.replace(at, token.size(), value);
}

std::string two_circuits(const TwoCircuits& c) {
  std::string yaml = std::string("name: case\n") + kSite + kTwoCircuits;
  replace(yaml, "AMS_ADVERTISE", c.ams_advertise);
  replace(yaml, "LON_ADVERTISE", c.lon_advertise);
  replace(yaml, "AMS_PRIMARY", c.ams_primary);
  replace(yaml, "AMS_SECONDARY", c.ams_secondary);
  replace(yaml, "LON_PRIMARY", c.lon_primary);
  replace(yaml, "AMS_WEIGHT", std::to_string(c.ams_weight));
  return yaml;
}

// One circuit, and an S2S VPN tunnel from the VNet's VPN gateway to ce1. CE_POLICY is the CE's
// policy on both circuit legs.
constexpr const char* kCircuitAndVpn = R"(
circuits:
  - name: er-ams
    location: amsterdam
    provider: equinix
    bandwidth: 1Gbps
    peerings:
      private:
        vlan: 100
        peer_asn: 65001
        subnet: 192.168.10.0/29
        primary: {router: ce1CE_POLICY}
        secondary: {router: ce2CE_POLICY}
vnets:
  - name: hub
    prefixes: [10.100.0.0/16]
    gateway: {name: hub-gw}
    connections:
      - {circuit: er-ams}
    vpn:
      - {router: ce1, latency: 15ms}
)";

std::string circuit_and_vpn(const std::string& ce_policy) {
  std::string yaml = std::string("name: case-vpn\n") + kSite + kCircuitAndVpn;
  replace(yaml, "CE_POLICY", ce_policy);
  replace(yaml, "CE_POLICY", ce_policy);
  return yaml;
}

// One run of a design on the whole control plane, converged from a cold start.
class Lab {
 public:
  explicit Lab(const std::string& yaml, std::uint64_t seed = 1)
      : topology_(topo::expand(io::read_design(io::load_yaml_string("case.yaml", yaml)))),
        streams_(seed),
        net_(engine_, streams_, topology_) {
    net_.start();
    engine_.run_until_quiet();
  }

  // A session whose peer stays unreachable retries its connection for ever, so a run with a
  // lasting failure ends at a time, not when the engine is quiet.
  void run_for(Duration d) { engine_.run_until(engine_.now() + d); }
  // Long enough after a failure for detection and then the VNet gateway's reconvergence, which
  // takes up to 60 s (DESIGN §1).
  void settle() { run_for(90s); }
  void fail(const char* link) {
    net_.fail_link(topology_.link_id(link).value(), topo::FailureMode::Carrier);
  }

  // The Loc-RIB entry of a router's default instance for exactly `to`, or nullptr.
  const bgp::LocRibEntry* entry(const char* router, const char* to) const {
    const auto id = net_.instance(topology_.router_id(router).value());
    return id ? net_.rib(*id).find(prefix(to)) : nullptr;
  }
  std::string name(const bgp::Route& route) const {
    return route.locally_originated() ? "(local)" : topology_.session(route.session).name;
  }
  // The session of the best route, or "(no route)".
  std::string best(const char* router, const char* to) const {
    const bgp::LocRibEntry* e = entry(router, to);
    return e == nullptr ? "(no route)" : name(e->best());
  }
  // The sessions of the ECMP set, best first.
  std::vector<std::string> ecmp(const char* router, const char* to) const {
    std::vector<std::string> names;
    if (const bgp::LocRibEntry* e = entry(router, to)) {
      for (const bgp::Route& r : e->multipath()) {
        names.push_back(name(r));
      }
    }
    return names;
  }
  // The sessions of every route known to the prefix.
  std::vector<std::string> candidates(const char* router, const char* to) const {
    std::vector<std::string> names;
    if (const bgp::LocRibEntry* e = entry(router, to)) {
      for (const bgp::Route& r : e->candidates()) {
        names.push_back(name(r));
      }
    }
    std::sort(names.begin(), names.end());
    return names;
  }
  std::optional<bgp::DecisionReason> reason(const char* router, const char* to) const {
    const bgp::LocRibEntry* e = entry(router, to);
    return e == nullptr ? std::nullopt : std::optional(e->reason());
  }

  Engine engine_;
  topo::Topology topology_;
  RandomStreams streams_;
  Network net_;
};

using Names = std::vector<std::string>;

// "Optimize ExpressRoute routing": the gateway matches the longest prefix first, before any
// connection weight. Amsterdam's circuit carries the site's /16 with weight 100; London's, at
// weight 0, carries one /24 inside it. The gateway holds both routes, each over its own circuit:
// traffic to the /24 takes London, the rest of the /16 Amsterdam (the FIB's longest match).
TEST(DesignCase, MoreSpecificPrefixBeatsConnectionWeight) {
  Lab lab(two_circuits({.lon_advertise = "10.1.5.0/24", .ams_weight = 100}));
  EXPECT_EQ(lab.ecmp("hub-gw", "10.1.0.0/16"),
            (Names{"hub-gw.er-ams.primary", "hub-gw.er-ams.secondary"}));
  EXPECT_EQ(lab.candidates("hub-gw", "10.1.0.0/16"),
            (Names{"hub-gw.er-ams.primary", "hub-gw.er-ams.secondary"}));
  // The weight-0 circuit is the only way the gateway knows to the /24, and it keeps it.
  EXPECT_EQ(lab.ecmp("hub-gw", "10.1.5.0/24"),
            (Names{"hub-gw.er-lon.primary", "hub-gw.er-lon.secondary"}));
  EXPECT_EQ(lab.candidates("hub-gw", "10.1.5.0/24"),
            (Names{"hub-gw.er-lon.primary", "hub-gw.er-lon.secondary"}));
  EXPECT_EQ(lab.reason("hub-gw", "10.1.5.0/24"), bgp::DecisionReason::EqualCostMultipath);

  // London's circuit fails: the /24 is withdrawn and its traffic falls back on the /16 over
  // Amsterdam.
  lab.fail("er-lon.primary");
  lab.fail("er-lon.secondary");
  lab.settle();
  EXPECT_EQ(lab.entry("hub-gw", "10.1.5.0/24"), nullptr);
  EXPECT_EQ(lab.ecmp("hub-gw", "10.1.0.0/16"),
            (Names{"hub-gw.er-ams.primary", "hub-gw.er-ams.secondary"}));
}

// "Optimize ExpressRoute routing": connection weight comes before AS-path length. The customer
// prepends its AS three times on the weight-100 circuit, which would lose on AS-path length;
// the gateway stays on it and spreads over both of its legs.
TEST(DesignCase, ConnectionWeightBeatsAsPathLength) {
  Lab lab(two_circuits({.ams_primary = ", policy: {prepend: 3}",
                        .ams_secondary = ", policy: {prepend: 3}",
                        .ams_weight = 100}));
  EXPECT_EQ(lab.candidates("hub-gw", "10.1.0.0/16"),
            (Names{"hub-gw.er-ams.primary", "hub-gw.er-ams.secondary", "hub-gw.er-lon.primary",
                   "hub-gw.er-lon.secondary"}));
  EXPECT_EQ(lab.ecmp("hub-gw", "10.1.0.0/16"),
            (Names{"hub-gw.er-ams.primary", "hub-gw.er-ams.secondary"}));
  EXPECT_EQ(lab.reason("hub-gw", "10.1.0.0/16"), bgp::DecisionReason::HigherConnectionWeight);
  // The prepend did reach the gateway: the chosen path is the longer one.
  const bgp::LocRibEntry* entry = lab.entry("hub-gw", "10.1.0.0/16");
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->best().attributes->as_path,
            (std::vector<std::uint32_t>{12076, 65001, 65001, 65001, 65001}));
  for (const bgp::Route& r : entry->candidates()) {
    if (lab.name(r).starts_with("hub-gw.er-lon")) {
      EXPECT_EQ(r.attributes->as_path, (std::vector<std::uint32_t>{12076, 65001}));
    }
  }

  // Amsterdam's circuit fails: the gateway moves to London.
  lab.fail("er-ams.primary");
  lab.fail("er-ams.secondary");
  lab.settle();
  EXPECT_EQ(lab.ecmp("hub-gw", "10.1.0.0/16"),
            (Names{"hub-gw.er-lon.primary", "hub-gw.er-lon.secondary"}));
}

// "Using S2S VPN as a backup for ExpressRoute private peering": "When a given route is
// advertised through both ExpressRoute and VPN, Azure will prefer routing over ExpressRoute";
// the VPN carries traffic only when ExpressRoute is gone (active-passive). The VNet's table
// should hold both routes to the site, ExpressRoute's chosen (reason ExpressRoute over VPN): the
// VPN gateway's tunnel sessions end in the VNet's one routing instance, with the gateway's.
TEST(DesignCase, ExpressRouteBeatsVpnForTheSamePrefixAtTheVNet) {
  Lab lab(circuit_and_vpn(""));
  EXPECT_EQ(lab.candidates("hub-gw", "10.1.0.0/16"),
            (Names{"hub-gw-vpn.ce1", "hub-gw.er-ams.primary", "hub-gw.er-ams.secondary"}));
  EXPECT_EQ(lab.ecmp("hub-gw", "10.1.0.0/16"),
            (Names{"hub-gw.er-ams.primary", "hub-gw.er-ams.secondary"}));
  EXPECT_EQ(lab.reason("hub-gw", "10.1.0.0/16"), bgp::DecisionReason::ExpressRouteOverVpn);

  lab.fail("er-ams.primary");
  lab.fail("er-ams.secondary");
  lab.settle();
  EXPECT_EQ(lab.ecmp("hub-gw", "10.1.0.0/16"), (Names{"hub-gw-vpn.ce1"}));
}

// The on-premises side of the same design. The VPN gateway advertises the VNet as [65515], the
// circuit as [12076, 65515], so by RFC 4271 §9.1.2.2 (a) a CE prefers the tunnel; Microsoft's
// guidance is to make on-premises prefer ExpressRoute, e.g. with a higher local preference on
// the routes learned over it. With it, ce1 uses the circuit and falls back to the VPN only
// when the circuit's leg is gone.
TEST(DesignCase, CePrefersVpnByAsPathUnlessLocalPreferenceFavoursExpressRoute) {
  {
    Lab lab(circuit_and_vpn(""));
    EXPECT_EQ(lab.best("ce1", "10.100.0.0/16"), "hub-gw-vpn.ce1");
    EXPECT_EQ(lab.reason("ce1", "10.100.0.0/16"), bgp::DecisionReason::ShorterAsPath);
    // ce2 has no tunnel: its own leg.
    EXPECT_EQ(lab.best("ce2", "10.100.0.0/16"), "er-ams.private.secondary");
  }
  Lab lab(circuit_and_vpn(", policy: {local_preference: 200}"));
  EXPECT_EQ(lab.ecmp("ce1", "10.100.0.0/16"), (Names{"er-ams.private.primary"}));
  EXPECT_EQ(lab.reason("ce1", "10.100.0.0/16"), bgp::DecisionReason::HigherLocalPreference);
  EXPECT_EQ(lab.candidates("ce1", "10.100.0.0/16"),
            (Names{"er-ams.private.primary", "hub-gw-vpn.ce1"}));

  lab.fail("er-ams.primary");
  lab.settle();
  EXPECT_EQ(lab.ecmp("ce1", "10.100.0.0/16"), (Names{"hub-gw-vpn.ce1"}));
}

// "Designing for high availability with ExpressRoute": to make one link of a circuit the
// active one from Azure, prepend the AS path on the other. With equal connection weights the
// gateway takes the primary leg alone (no ECMP), decided on AS-path length.
TEST(DesignCase, PrependOnSecondaryMakesThePrimaryPreferredAtTheGateway) {
  Lab lab(two_circuits({.ams_secondary = ", policy: {prepend: 2}"}));
  // London's circuit advertises the same /16 with weight 0 too; only Amsterdam's secondary
  // is prepended, so the gateway spreads over three legs and leaves that one out.
  EXPECT_EQ(lab.ecmp("hub-gw", "10.1.0.0/16"),
            (Names{"hub-gw.er-ams.primary", "hub-gw.er-lon.primary", "hub-gw.er-lon.secondary"}));
  EXPECT_EQ(lab.reason("hub-gw", "10.1.0.0/16"), bgp::DecisionReason::ShorterAsPath);
}

// The single-circuit form of the same guidance: the primary is the one path.
TEST(DesignCase, PrependOnSecondaryOfTheOnlyCircuitLeavesThePrimaryAlone) {
  std::string yaml = two_circuits({.ams_secondary = ", policy: {prepend: 2}"});
  // Drop London's connection so the gateway sees Amsterdam's circuit only.
  replace(yaml, "      - {circuit: er-lon}\n", "");
  Lab lab(yaml);
  EXPECT_EQ(lab.ecmp("hub-gw", "10.1.0.0/16"), (Names{"hub-gw.er-ams.primary"}));
  EXPECT_EQ(lab.reason("hub-gw", "10.1.0.0/16"), bgp::DecisionReason::ShorterAsPath);
  EXPECT_EQ(lab.candidates("hub-gw", "10.1.0.0/16"),
            (Names{"hub-gw.er-ams.primary", "hub-gw.er-ams.secondary"}));

  // The primary fails: the prepended secondary carries the traffic.
  lab.fail("er-ams.primary");
  lab.settle();
  EXPECT_EQ(lab.ecmp("hub-gw", "10.1.0.0/16"), (Names{"hub-gw.er-ams.secondary"}));
}

// "Optimize ExpressRoute routing": on-premises, local preference picks the circuit traffic to
// Azure leaves by. ce1 has a leg on each circuit; both bring the VNet as [12076, 65515].
// Without policy it spreads over both (RFC 4271 ties up to §9.1.2.2 (e): multipath); with local
// preference 200 on London's leg, London alone.
TEST(DesignCase, LocalPreferenceOnTheCeSteersTrafficToAzure) {
  {
    Lab lab(two_circuits({}));
    EXPECT_EQ(lab.candidates("ce1", "10.100.0.0/16"),
              (Names{"er-ams.private.primary", "er-lon.private.primary"}));
    EXPECT_EQ(lab.ecmp("ce1", "10.100.0.0/16").size(), 2U);
  }
  Lab lab(two_circuits({.lon_primary = ", policy: {local_preference: 200}"}));
  EXPECT_EQ(lab.ecmp("ce1", "10.100.0.0/16"), (Names{"er-lon.private.primary"}));
  EXPECT_EQ(lab.reason("ce1", "10.100.0.0/16"), bgp::DecisionReason::HigherLocalPreference);
  EXPECT_EQ(
      lab.net_.best_route(lab.topology_.router_id("ce1").value(), "", prefix("10.100.0.0/16"))
          ->attributes->local_preference,
      200U);
  // ce2 has no such policy: it still spreads over its legs on both circuits.
  EXPECT_EQ(lab.ecmp("ce2", "10.100.0.0/16").size(), 2U);

  // London's leg fails: ce1 goes to Amsterdam.
  lab.fail("er-lon.primary");
  lab.settle();
  EXPECT_EQ(lab.ecmp("ce1", "10.100.0.0/16"), (Names{"er-ams.private.primary"}));
}

// "Designing for high availability with ExpressRoute": both links active; identical
// advertisements over the two legs of a circuit give the gateway two equal paths, and it uses
// both (ECMP). A failed leg leaves the other.
TEST(DesignCase, IdenticalAdvertisementsOverBothLegsGiveEcmpAtTheGateway) {
  std::string yaml = two_circuits({});
  replace(yaml, "      - {circuit: er-lon}\n", "");
  Lab lab(yaml);
  EXPECT_EQ(lab.ecmp("hub-gw", "10.1.0.0/16"),
            (Names{"hub-gw.er-ams.primary", "hub-gw.er-ams.secondary"}));
  EXPECT_EQ(lab.reason("hub-gw", "10.1.0.0/16"), bgp::DecisionReason::EqualCostMultipath);

  lab.fail("er-ams.secondary");
  lab.settle();
  EXPECT_EQ(lab.ecmp("hub-gw", "10.1.0.0/16"), (Names{"hub-gw.er-ams.primary"}));
}

}  // namespace
}  // namespace ersim::router
