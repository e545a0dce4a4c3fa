// Generated topologies load, expand and pass the checklist, with the element counts their
// parameters promise, and the same parameters always give the same text.
#include "sim/io/generate.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sim/io/topology_yaml.hpp"
#include "sim/topo/checklist.hpp"
#include "sim/topo/expand.hpp"

namespace ersim::io {
namespace {

topo::Topology load(const GeneratorParams& params) {
  return topo::expand(read_design(load_yaml_string("gen.yaml", generate_topology_yaml(params))));
}

// The counts the header's contract implies, computed here independently of the generator.
struct Expected {
  std::uint64_t circuits = 0;
  std::uint64_t layer3 = 0;  // circuits with a layer 3 provider
  std::uint64_t metro = 0;
  std::uint64_t microsoft = 0;         // Microsoft peerings
  std::uint64_t microsoft_layer3 = 0;  // of them, on circuits with a layer 3 provider
  std::uint64_t global_reach = 0;
  std::uint64_t routers = 0;
  std::uint64_t links = 0;
  std::uint64_t sessions = 0;
};

Expected expected(const GeneratorParams& p) {
  Expected e;
  e.circuits = std::uint64_t{p.customers} * p.circuits_per_customer;
  const std::uint64_t providers = p.providers_layer2 + p.providers_layer3;
  for (std::uint64_t g = 0; g < e.circuits; ++g) {
    const bool layer3 = g % providers >= p.providers_layer2;
    const bool microsoft =
        p.microsoft_peering_every > 0 && (g + 1) % p.microsoft_peering_every == 0;
    e.layer3 += layer3 ? 1U : 0U;
    e.metro += p.metros > 0 && g % 4 == 3 ? 1U : 0U;
    e.microsoft += microsoft ? 1U : 0U;
    e.microsoft_layer3 += microsoft && layer3 ? 1U : 0U;
  }
  if (p.global_reach) {
    // Without Metro and with two locations or more, a customer's first two circuits stand at
    // different locations, so every customer with two circuits gets Global Reach. Other
    // parameters make the count depend on the drawn MSEEs
    // (GlobalReachPicksFirstCircuitOnOtherMsees).
    EXPECT_TRUE(p.metros == 0 && p.peering_locations >= 2) << "Global Reach count unpredictable";
    e.global_reach = p.circuits_per_customer >= 2 ? p.customers : 0U;
  }
  const std::uint64_t vnets = std::uint64_t{p.customers} * p.vnets_per_customer;
  const std::uint64_t connections = vnets * p.circuits_per_customer;
  // Two CEs per site, the MSEEs, one gateway per VNet, a provider edge per layer 3 leg.
  e.routers = std::uint64_t{p.customers} * p.sites_per_customer * 2 +
              std::uint64_t{p.peering_locations} * p.msee_pairs_per_location * 2 + vnets +
              2 * e.layer3;
  // A link per leg (layer 3: access and PE-MSEE), two per connection and per Global Reach; a
  // session on each, and a Microsoft peering's sessions (layer 3: both ends) on the same links.
  e.links = 2 * e.circuits + 2 * e.layer3 + 2 * connections + 2 * e.global_reach;
  e.sessions = e.links + 2 * e.microsoft + 2 * e.microsoft_layer3;
  return e;
}

std::vector<GeneratorParams> parameter_sets() {
  GeneratorParams layer2_only;
  layer2_only.customers = 5;
  layer2_only.providers_layer3 = 0;
  layer2_only.metros = 0;

  GeneratorParams layer3_metro;
  layer3_metro.customers = 7;
  layer3_metro.circuits_per_customer = 3;
  layer3_metro.peering_locations = 6;
  layer3_metro.metros = 3;
  layer3_metro.providers_layer2 = 1;
  layer3_metro.providers_layer3 = 2;

  GeneratorParams wide;
  wide.customers = 11;
  wide.sites_per_customer = 3;
  wide.circuits_per_customer = 4;
  wide.peering_locations = 5;
  wide.metros = 2;
  wide.msee_pairs_per_location = 3;
  wide.providers_layer2 = 3;
  wide.providers_layer3 = 1;
  wide.prefixes_per_site = 20;
  wide.vnets_per_customer = 2;
  wide.seed = 99;

  GeneratorParams no_vnets;
  no_vnets.customers = 3;
  no_vnets.vnets_per_customer = 0;

  GeneratorParams microsoft;
  microsoft.customers = 9;
  microsoft.circuits_per_customer = 3;
  microsoft.peering_locations = 4;
  microsoft.metros = 2;
  microsoft.providers_layer2 = 2;
  microsoft.providers_layer3 = 2;
  microsoft.microsoft_peering_every = 2;
  microsoft.seed = 5;

  GeneratorParams reach;
  reach.customers = 6;
  reach.circuits_per_customer = 3;
  reach.peering_locations = 3;
  reach.metros = 0;
  reach.msee_pairs_per_location = 2;
  reach.microsoft_peering_every = 4;
  reach.global_reach = true;
  reach.seed = 17;

  return {GeneratorParams{}, layer2_only, layer3_metro, wide, no_vnets, microsoft, reach};
}

std::uint64_t count_microsoft_peerings(const topo::Topology& t) {
  std::uint64_t n = 0;
  for (const topo::Circuit& c : t.circuits()) {
    n += static_cast<std::uint64_t>(std::count_if(
        c.peerings.begin(), c.peerings.end(),
        [](const topo::Peering& p) { return p.kind == topo::PeeringKind::Microsoft; }));
  }
  return n;
}

std::uint64_t count_global_reach_links(const topo::Topology& t) {
  return static_cast<std::uint64_t>(
      std::count_if(t.links().begin(), t.links().end(),
                    [](const topo::Link& l) { return l.name.starts_with("global-reach."); }));
}

TEST(Generate, ParameterSetsLoadWithPromisedCounts) {
  for (const GeneratorParams& p : parameter_sets()) {
    SCOPED_TRACE(::testing::Message() << "customers " << p.customers << ", seed " << p.seed);
    const topo::Topology t = load(p);
    const Expected e = expected(p);
    EXPECT_EQ(t.circuits().size(), e.circuits);
    EXPECT_EQ(t.routers().size(), e.routers);
    EXPECT_EQ(t.links().size(), e.links);
    EXPECT_EQ(t.sessions().size(), e.sessions);
    EXPECT_EQ(t.sites().size(), std::uint64_t{p.customers} * p.sites_per_customer);
    EXPECT_EQ(t.vnets().size(), std::uint64_t{p.customers} * p.vnets_per_customer);

    std::uint64_t metro = 0;
    std::uint64_t pe = 0;
    for (const topo::Circuit& c : t.circuits()) {
      metro += c.metro() ? 1U : 0U;
    }
    for (const topo::Router& r : t.routers()) {
      pe += r.role == topo::RouterRole::Pe ? 1U : 0U;
    }
    EXPECT_EQ(metro, e.metro);
    EXPECT_EQ(pe, 2 * e.layer3);
    EXPECT_EQ(count_microsoft_peerings(t), e.microsoft);
    EXPECT_EQ(count_global_reach_links(t), 2 * e.global_reach);
    for (const topo::Site& s : t.sites()) {
      EXPECT_EQ(s.prefixes.size(), p.prefixes_per_site);
      EXPECT_EQ(s.routers.size(), 2U);
    }
  }
}

TEST(Generate, ParameterSetsExerciseEveryOption) {
  // Guards the counting test above against parameter sets that never exercise these paths.
  const Expected e = expected(parameter_sets()[2]);
  EXPECT_GT(e.layer3, 0U);
  EXPECT_LT(e.layer3, e.circuits);
  EXPECT_GT(e.metro, 0U);
  // ... and Microsoft peering on both kinds of provider, Global Reach on every customer.
  const Expected microsoft = expected(parameter_sets()[5]);
  EXPECT_GT(microsoft.microsoft_layer3, 0U);
  EXPECT_LT(microsoft.microsoft_layer3, microsoft.microsoft);
  EXPECT_GT(expected(parameter_sets()[6]).global_reach, 0U);
}

TEST(Generate, ManyCircuitsShareFewMseePairs) {
  GeneratorParams p;
  p.customers = 20;
  p.peering_locations = 2;
  p.metros = 0;
  p.msee_pairs_per_location = 2;
  const topo::Topology t = load(p);
  std::set<std::uint32_t> msees;  // router ids' values
  for (const topo::Circuit& c : t.circuits()) {
    msees.insert(c.msee_primary.value);
    msees.insert(c.msee_secondary.value);
    EXPECT_NE(c.msee_primary, c.msee_secondary);
  }
  EXPECT_EQ(t.circuits().size(), 40U);
  EXPECT_LE(msees.size(), 8U);
  EXPECT_GE(msees.size(), 4U);  // both locations used
}

TEST(Generate, CustomerCircuitsReachDifferentLocations) {
  GeneratorParams p;
  p.customers = 4;
  p.circuits_per_customer = 2;
  p.peering_locations = 3;
  p.metros = 0;
  const topo::Topology t = load(p);
  for (std::size_t i = 0; i + 1 < t.circuits().size(); i += 2) {
    EXPECT_NE(t.circuits()[i].locations, t.circuits()[i + 1].locations) << t.circuits()[i].name;
  }
}

TEST(Generate, GeneratedDesignsHaveNoChecklistErrors) {
  for (const GeneratorParams& p : parameter_sets()) {
    SCOPED_TRACE(::testing::Message() << "customers " << p.customers << ", seed " << p.seed);
    const topo::ChecklistReport report = topo::run_checklist(load(p));
    EXPECT_EQ(report.count(topo::Severity::Error), 0U);
    for (const topo::Finding& f : report.findings) {
      EXPECT_NE(f.severity, topo::Severity::Error) << f.rule << ": " << f.message;
    }
    // Every VNet is connected, so none is reported unconnected.
    EXPECT_EQ(std::count_if(report.resiliency.begin(), report.resiliency.end(),
                            [](const topo::VNetResiliency& r) {
                              return r.model == topo::ResiliencyModel::Unconnected;
                            }),
              0);
  }
}

TEST(Generate, SameParamsTwiceGiveIdenticalText) {
  for (const GeneratorParams& p : parameter_sets()) {
    EXPECT_EQ(generate_topology_yaml(p), generate_topology_yaml(p));
  }
}

// The text of the default parameters, written before Microsoft peering and Global Reach were
// added: options left at their defaults must not change a byte of existing files.
constexpr std::string_view kDefaultText =
    R"(# Generated by: ersim generate --customers 2 --sites-per-customer 1 --circuits-per-customer 2
#   --peering-locations 2 --metros 1 --msee-pairs-per-location 1 --providers-layer2 1
#   --providers-layer3 1 --prefixes-per-site 1 --vnets-per-customer 1 --seed 1
name: generated-4-circuits-seed-1

sites:
  - name: c1-s1
    prefixes: [10.0.0.0/24]
    routers:
      - {name: c1-s1-ce1, asn: 4200000000, router_id: 10.0.0.1}
      - {name: c1-s1-ce2, asn: 4200000000, router_id: 10.0.0.2}
  - name: c2-s1
    prefixes: [10.0.1.0/24]
    routers:
      - {name: c2-s1-ce1, asn: 4200000001, router_id: 10.0.1.1}
      - {name: c2-s1-ce2, asn: 4200000001, router_id: 10.0.1.2}

providers:
  - {name: l2-p1, kind: layer2}
  - {name: l3-p1, kind: layer3, asn: 64512}

locations:
  - name: loc1
    metro: metro1
    msees: [loc1-msee1, loc1-msee2]
  - name: loc2
    metro: metro1
    msees: [loc2-msee1, loc2-msee2]

circuits:
  - name: c1-er1
    location: loc2
    msees: [loc2-msee1, loc2-msee2]
    provider: l2-p1
    bandwidth: 10Gbps
    peerings:
      private:
        vlan: 100
        peer_asn: 4200000000
        subnet: 100.64.0.0/29
        primary: {router: c1-s1-ce1, latency: 2ms}
        secondary: {router: c1-s1-ce2, latency: 3ms}
  - name: c1-er2
    location: loc1
    msees: [loc1-msee1, loc1-msee2]
    provider: l3-p1
    bandwidth: 10Gbps
    peerings:
      private:
        vlan: 101
        peer_asn: 64512
        subnet: 100.64.0.8/29
        primary: {router: c1-s1-ce1, latency: 3ms}
        secondary: {router: c1-s1-ce2, latency: 4ms}
  - name: c2-er1
    location: loc2
    msees: [loc2-msee1, loc2-msee2]
    provider: l2-p1
    bandwidth: 5Gbps
    peerings:
      private:
        vlan: 100
        peer_asn: 4200000001
        subnet: 100.64.0.16/29
        primary: {router: c2-s1-ce1, latency: 4ms}
        secondary: {router: c2-s1-ce2, latency: 3ms}
  - name: c2-er2
    locations: [loc1, loc2]
    msees: [loc1-msee1, loc2-msee2]
    provider: l3-p1
    bandwidth: 5Gbps
    peerings:
      private:
        vlan: 101
        peer_asn: 64512
        subnet: 100.64.0.24/29
        primary: {router: c2-s1-ce1, latency: 1ms}
        secondary: {router: c2-s1-ce2, latency: 4ms}

vnets:
  - name: c1-vnet1
    prefixes: [172.16.0.0/24]
    gateway: {name: c1-vnet1-gw, sku: ErGw3AZ}
    connections:
      - {circuit: c1-er1, weight: 0}
      - {circuit: c1-er2, weight: 0}
  - name: c2-vnet1
    prefixes: [172.16.1.0/24]
    gateway: {name: c2-vnet1-gw, sku: ErGw2AZ}
    connections:
      - {circuit: c2-er1, weight: 300}
      - {circuit: c2-er2, weight: 300}
)";

TEST(Generate, DefaultParamsGivePinnedText) {
  EXPECT_EQ(generate_topology_yaml(GeneratorParams{}), kDefaultText);
}

bool is_private_asn(std::uint32_t asn) {  // RFC 6996
  return (asn >= 64512 && asn <= 65534) || asn >= 4'200'000'000U;
}

const topo::Peering* find_peering(const topo::Circuit& c, topo::PeeringKind kind) {
  const auto it = std::find_if(c.peerings.begin(), c.peerings.end(),
                               [kind](const topo::Peering& p) { return p.kind == kind; });
  return it == c.peerings.end() ? nullptr : &*it;
}

TEST(Generate, MicrosoftPeeringsArePublicOnTheirOwnVlan) {
  for (const GeneratorParams& p : {parameter_sets()[5], parameter_sets()[6]}) {
    SCOPED_TRACE(::testing::Message() << "customers " << p.customers << ", seed " << p.seed);
    const topo::Topology t = load(p);
    std::uint64_t seen = 0;
    for (std::size_t g = 0; g < t.circuits().size(); ++g) {
      const topo::Circuit& c = t.circuits()[g];
      SCOPED_TRACE(c.name);
      const topo::Peering* priv = find_peering(c, topo::PeeringKind::Private);
      const topo::Peering* ms = find_peering(c, topo::PeeringKind::Microsoft);
      ASSERT_NE(priv, nullptr);
      // Circuits N, 2N, ... of the file, counted from 1.
      ASSERT_EQ(ms != nullptr, (g + 1) % p.microsoft_peering_every == 0);
      if (ms == nullptr) {
        continue;
      }
      ++seen;
      EXPECT_NE(ms->vlan, priv->vlan);
      EXPECT_FALSE(is_private_asn(ms->peer_asn)) << ms->peer_asn;
      EXPECT_FALSE(ms->peer_asn >= 65515 && ms->peer_asn <= 65520) << ms->peer_asn;
      ASSERT_FALSE(ms->nat_pool.empty());
      for (const Ipv4Prefix& pool : ms->nat_pool) {
        EXPECT_FALSE(pool.is_private()) << pool.to_string();
      }
      EXPECT_EQ(ms->advertised, ms->nat_pool);
      ASSERT_FALSE(ms->route_filter.empty());
      for (const std::string& community : ms->route_filter) {
        EXPECT_TRUE(community.starts_with("12076:51")) << community;
      }
      for (const topo::SessionId id : {ms->primary, ms->secondary}) {
        const topo::Session& s = t.session(id);
        EXPECT_FALSE(s.a.address.is_private()) << s.name << " " << s.a.address.to_string();
        EXPECT_FALSE(s.b.address.is_private()) << s.name << " " << s.b.address.to_string();
        // Over the private peering's link: a second VLAN, not a second circuit.
        EXPECT_EQ(s.link, t.session(id == ms->primary ? priv->primary : priv->secondary).link);
      }
    }
    EXPECT_EQ(seen, t.circuits().size() / p.microsoft_peering_every);
    for (const topo::Finding& f : topo::run_checklist(t).findings) {
      EXPECT_FALSE(f.rule.starts_with("microsoft") || f.rule == "qos")
          << f.rule << ": " << f.message;
    }
  }
}

TEST(Generate, ThousandsOfMicrosoftPeeringsAndGlobalReachLoad) {
  // Thousands of subnets and NAT pools, all distinct: read_design rejects overlapping subnets.
  GeneratorParams p;
  p.customers = 1500;
  p.peering_locations = 4;
  p.metros = 0;
  p.providers_layer3 = 2;
  p.microsoft_peering_every = 1;
  p.global_reach = true;
  const topo::Topology t = load(p);
  EXPECT_EQ(count_microsoft_peerings(t), 3000U);
  EXPECT_EQ(count_global_reach_links(t), 3000U);
  std::set<Ipv4Prefix> pools;
  for (const topo::Circuit& c : t.circuits()) {
    for (const topo::Peering& peering : c.peerings) {
      pools.insert(peering.nat_pool.begin(), peering.nat_pool.end());
    }
  }
  EXPECT_EQ(pools.size(), 3000U);
  const topo::ChecklistReport report = topo::run_checklist(t);
  EXPECT_EQ(report.count(topo::Severity::Error), 0U);
  for (const topo::Finding& f : report.findings) {
    EXPECT_FALSE(f.rule.starts_with("microsoft") || f.rule == "qos") << f.rule << ": " << f.message;
  }
}

std::string circuit_name(std::uint64_t customer, std::uint64_t k) {
  return "c" + std::to_string(customer) + "-er" + std::to_string(k);
}

TEST(Generate, GlobalReachPicksFirstCircuitOnOtherMsees) {
  // Metro circuits and few MSEE pairs make a customer's circuits share MSEEs, which Global Reach
  // cannot join: the first circuit goes to the next one that shares none, or to none.
  GeneratorParams metro;
  metro.customers = 40;
  metro.circuits_per_customer = 3;
  GeneratorParams one_location;
  one_location.customers = 20;
  one_location.circuits_per_customer = 3;
  one_location.peering_locations = 1;
  one_location.metros = 0;
  one_location.msee_pairs_per_location = 2;
  GeneratorParams one_pair = one_location;
  one_pair.msee_pairs_per_location = 1;
  std::uint64_t joined = 0;
  std::uint64_t skipped = 0;
  for (GeneratorParams p : {metro, one_location, one_pair}) {
    p.global_reach = true;
    SCOPED_TRACE(::testing::Message() << "locations " << p.peering_locations << ", MSEE pairs "
                                      << p.msee_pairs_per_location);
    const topo::Topology t = load(p);
    std::uint64_t links = 0;
    for (std::uint64_t c = 1; c <= p.customers; ++c) {
      const topo::Circuit& first = t.circuit(*t.circuit_id(circuit_name(c, 1)));
      std::uint64_t partner = 0;
      for (std::uint64_t k = 2; k <= p.circuits_per_customer; ++k) {
        const topo::Circuit& other = t.circuit(*t.circuit_id(circuit_name(c, k)));
        const bool apart = other.msee_primary != first.msee_primary &&
                           other.msee_secondary != first.msee_secondary;
        if (partner == 0 && apart) {
          partner = k;
        }
        const std::string link = "global-reach." + first.name + "." + other.name + ".primary";
        EXPECT_EQ(t.link_id(link).has_value(), k == partner) << link;
      }
      links += partner == 0 ? 0U : 2U;
      (partner == 0 ? skipped : joined) += 1;
    }
    EXPECT_EQ(count_global_reach_links(t), links);
  }
  EXPECT_GT(joined, 0U);
  EXPECT_GT(skipped, 0U);
}

TEST(Generate, OtherSeedGivesOtherText) {
  GeneratorParams a;
  a.customers = 10;
  a.msee_pairs_per_location = 4;
  GeneratorParams b = a;
  b.seed = a.seed + 1;
  EXPECT_NE(generate_topology_yaml(a), generate_topology_yaml(b));
}

TEST(Generate, PrefixesBeyondSlash24PoolUseLongerPrefixes) {
  // 68,000 site prefixes exceed the 65,536 /24s of 10.0.0.0/8: they become /25s, still unique
  // and non-overlapping (read_design rejects overlaps).
  GeneratorParams p;
  p.customers = 17;
  p.prefixes_per_site = 4000;
  p.metros = 0;
  const topo::Topology t = load(p);
  std::uint64_t prefixes = 0;
  for (const topo::Site& s : t.sites()) {
    prefixes += s.prefixes.size();
    for (const Ipv4Prefix& prefix : s.prefixes) {
      EXPECT_EQ(prefix.length(), 25);
    }
  }
  EXPECT_EQ(prefixes, 68'000U);
  EXPECT_EQ(topo::run_checklist(t).count(topo::Severity::Error), 0U);
}

TEST(Generate, TooManyMetrosThrows) {
  GeneratorParams p;
  p.peering_locations = 3;
  p.metros = 2;
  EXPECT_THROW((void)generate_topology_yaml(p), std::invalid_argument);
  p.metros = 1;
  EXPECT_NO_THROW((void)generate_topology_yaml(p));
}

TEST(Generate, CircuitsBeyondPeeringPoolThrow) {
  GeneratorParams p;
  p.customers = kMaxCircuits / 2 + 1;
  p.circuits_per_customer = 2;
  EXPECT_THROW((void)generate_topology_yaml(p), std::invalid_argument);
}

TEST(Generate, GlobalReachOnlyAddsItsHeaderAndSection) {
  // The option draws nothing, so every other line stays as it was.
  GeneratorParams p;
  p.customers = 6;
  p.peering_locations = 3;
  p.metros = 0;
  const std::string without = generate_topology_yaml(p);
  p.global_reach = true;
  std::string with = generate_topology_yaml(p);
  const std::string header = "#   --global-reach\n";
  const std::size_t at = with.find(header);
  ASSERT_NE(at, std::string::npos);
  with.erase(at, header.size());
  const std::size_t section = with.find("\nglobal_reach:\n");
  ASSERT_NE(section, std::string::npos);
  EXPECT_EQ(with.substr(0, section), without);
  EXPECT_EQ(std::count(with.begin() + static_cast<std::ptrdiff_t>(section), with.end(), '\n'),
            2 + 6);  // the blank line, the key, a line per customer
}

TEST(Generate, MicrosoftPeeringsBeyondPoolThrow) {
  GeneratorParams p;
  p.customers = kMaxMicrosoftPeerings / 2 + 1;
  p.microsoft_peering_every = 1;
  EXPECT_THROW((void)generate_topology_yaml(p), std::invalid_argument);
  p.microsoft_peering_every = 2;  // half of them
  EXPECT_NO_THROW((void)generate_topology_yaml(p));
}

TEST(Generate, GlobalReachBeyondPeeringPoolThrows) {
  GeneratorParams p;
  p.customers = kMaxCircuits / 3 + 1;  // 2 circuits and a Global Reach /29 each
  p.global_reach = true;
  EXPECT_THROW((void)generate_topology_yaml(p), std::invalid_argument);
}

TEST(Generate, NoProvidersThrows) {
  GeneratorParams p;
  p.providers_layer2 = 0;
  p.providers_layer3 = 0;
  EXPECT_THROW((void)generate_topology_yaml(p), std::invalid_argument);
}

}  // namespace
}  // namespace ersim::io
