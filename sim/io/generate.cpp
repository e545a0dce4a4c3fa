#include "sim/io/generate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/random.hpp"

namespace ersim::io {
namespace {

// Address pools, one per kind, so prefixes of different kinds never overlap and every address
// is computed from an index: site prefixes from 10.0.0.0/8, VNets from 172.16.0.0/12, peering
// /29s from 100.64.0.0/10 (shared address space, RFC 6598): the circuits' first, then one per
// customer for Global Reach.
constexpr std::uint32_t kSitePool = 0x0A000000U;  // 10.0.0.0/8
constexpr int kSitePoolLength = 8;
constexpr std::uint32_t kVnetPool = 0xAC100000U;  // 172.16.0.0/12
constexpr int kVnetPoolLength = 12;
constexpr std::uint32_t kPeeringPool = 0x64400000U;  // 100.64.0.0/10
constexpr int kPeeringLength = 29;
constexpr int kPreferredLength = 24;    // prefixes are /24s while the pool holds enough of them
constexpr int kLongestSiteLength = 30;  // still holds the router ids .1 and .2
constexpr int kLongestVnetLength = 29;

// Microsoft peering takes public addresses only. The documentation blocks (RFC 5737) hold 48
// /28s, too few, so they come from 198.18.0.0/15: set aside for benchmarking (RFC 2544), never
// routed on the Internet, yet not private (RFC 1918). Peering i takes the /28 number i: its /29
// subnet, then its NAT pool, a /29 that it also advertises.
constexpr std::uint32_t kMicrosoftPool = 0xC6120000U;  // 198.18.0.0/15
constexpr int kMicrosoftBlockLength = 28;
constexpr std::uint32_t kNatPoolOffset = 8;
constexpr int kMicrosoftSubnetLength = 29;

// Customers use 4-byte private ASNs (RFC 6996), layer 3 providers 2-byte ones below Azure's
// reserved 65515-65520; neither is Microsoft's 12076.
constexpr std::uint32_t kCustomerAsnBase = 4'200'000'000U;
constexpr std::uint32_t kProviderAsnBase = 64512;
// Microsoft peering wants a public AS. No network holds 65536-65551 (documentation, RFC 5398)
// or 65552-131071 (reserved by IANA), and neither range is private: a customer with Microsoft
// peering takes this base plus the index of its first one, layer 3 providers follow all of them.
constexpr std::uint32_t kPublicAsnBase = 65536;
constexpr std::uint32_t kFirstVlan = 100;
constexpr std::uint32_t kVlanCount = 3900;           // 100..3999
constexpr std::uint32_t kMicrosoftFirstVlan = 4000;  // above every private peering's VLAN
constexpr std::uint32_t kMicrosoftVlanCount = 95;    // 4000..4094
constexpr std::uint64_t kMetroEvery = 4;  // circuits 3, 7, 11... are Metro when metros > 0
constexpr std::int64_t kMaxLegLatencyMs = 5;
constexpr std::uint64_t kWeightSteps = 4;  // weights 0, 100, 200, 300
constexpr std::uint32_t kWeightStep = 100;

constexpr std::array<std::string_view, 8> kBandwidths{"50Mbps", "100Mbps", "200Mbps", "500Mbps",
                                                      "1Gbps",  "2Gbps",   "5Gbps",   "10Gbps"};
constexpr std::array<std::string_view, 3> kGatewaySkus{"ErGw1AZ", "ErGw2AZ", "ErGw3AZ"};
// Azure's regional BGP communities of East US, East US 2, West US, North Central US, South
// Central US and Central US; a route filter takes two neighbours.
constexpr std::array<std::string_view, 6> kRegionCommunities{
    "12076:51004", "12076:51005", "12076:51006", "12076:51007", "12076:51008", "12076:51009"};

using Buffer = fmt::memory_buffer;

// The prefix length that gives `count` prefixes out of a pool: /24 when they fit, longer when
// not. 0 when even `longest` is too short.
int prefix_length(std::uint64_t count, int pool_length, int longest) {
  const int bits = count <= 1 ? 0 : static_cast<int>(std::bit_width(count - 1));
  const int length = std::max(kPreferredLength, pool_length + bits);
  return length <= longest ? length : 0;
}

void address(Buffer& out, std::uint32_t a) {
  fmt::format_to(std::back_inserter(out), "{}.{}.{}.{}", a >> 24U, (a >> 16U) & 0xFFU,
                 (a >> 8U) & 0xFFU, a & 0xFFU);
}

void prefix(Buffer& out, std::uint32_t pool, int length, std::uint64_t index) {
  address(out, pool + static_cast<std::uint32_t>(index << (32U - static_cast<unsigned>(length))));
  fmt::format_to(std::back_inserter(out), "/{}", length);
}

void check(bool ok, std::string_view message) {
  if (!ok) {
    throw std::invalid_argument(std::string(message));
  }
}

// An MSEE as (location, device number), both from 1.
using Msee = std::pair<std::uint64_t, std::uint64_t>;
struct MseePair {
  Msee primary;
  Msee secondary;
};

class Generator {
 public:
  explicit Generator(const GeneratorParams& p)
      : p_(p),
        streams_(p.seed),
        circuits_(std::uint64_t{p.customers} * p.circuits_per_customer),
        microsoft_(p.microsoft_peering_every == 0 ? 0 : circuits_ / p.microsoft_peering_every),
        providers_(std::uint64_t{p.providers_layer2} + p.providers_layer3),
        site_length_(
            prefix_length(std::uint64_t{p.customers} * p.sites_per_customer * p.prefixes_per_site,
                          kSitePoolLength, kLongestSiteLength)),
        vnet_length_(prefix_length(std::uint64_t{p.customers} * p.vnets_per_customer,
                                   kVnetPoolLength, kLongestVnetLength)) {
    validate();  // also guarantees that both lengths were found (not 0)
  }

  std::string run() && {
    header();
    sites();
    providers();
    locations();
    circuits();
    vnets();
    global_reach();
    return fmt::to_string(out_);
  }

 private:
  void validate() const {
    check(p_.customers >= 1, "customers must be at least 1");
    check(p_.sites_per_customer >= 1, "sites_per_customer must be at least 1");
    check(p_.circuits_per_customer >= 1, "circuits_per_customer must be at least 1");
    check(p_.peering_locations >= 1, "peering_locations must be at least 1");
    check(p_.msee_pairs_per_location >= 1 && p_.msee_pairs_per_location <= kMaxMseePairs,
          fmt::format("msee_pairs_per_location must be 1..{}", kMaxMseePairs));
    check(providers_ >= 1, "providers_layer2 + providers_layer3 must be at least 1");
    check(p_.providers_layer3 <= kMaxProvidersLayer3,
          fmt::format("providers_layer3 must be at most {}", kMaxProvidersLayer3));
    check(p_.prefixes_per_site >= 1 && p_.prefixes_per_site <= kMaxPrefixesPerSite,
          fmt::format("prefixes_per_site must be 1..{} (a private peering's prefix limit)",
                      kMaxPrefixesPerSite));
    check(std::uint64_t{p_.metros} * 2 <= p_.peering_locations,
          fmt::format("{} metros need {} peering locations (two each), not {}", p_.metros,
                      std::uint64_t{p_.metros} * 2, p_.peering_locations));
    check(circuits_ <= kMaxCircuits,
          fmt::format("customers x circuits_per_customer = {} circuits exceed the {} peering "
                      "/29s of 100.64.0.0/10",
                      circuits_, kMaxCircuits));
    const std::uint64_t site_prefixes =
        std::uint64_t{p_.customers} * p_.sites_per_customer * p_.prefixes_per_site;
    check(site_prefixes <= kMaxSitePrefixes,
          fmt::format("customers x sites_per_customer x prefixes_per_site = {} site prefixes "
                      "exceed the {} /30s of 10.0.0.0/8",
                      site_prefixes, kMaxSitePrefixes));
    const std::uint64_t vnets = std::uint64_t{p_.customers} * p_.vnets_per_customer;
    check(vnets <= kMaxVnets,
          fmt::format("customers x vnets_per_customer = {} VNets exceed the {} /29s of "
                      "172.16.0.0/12",
                      vnets, kMaxVnets));
    check(microsoft_ <= kMaxMicrosoftPeerings,
          fmt::format("customers x circuits_per_customer / microsoft_peering_every = {} Microsoft "
                      "peerings exceed the {} /28s of 198.18.0.0/15",
                      microsoft_, kMaxMicrosoftPeerings));
    check(!p_.global_reach || circuits_ + p_.customers <= kMaxCircuits,
          fmt::format("with global_reach, circuits + customers = {} exceed the {} peering /29s of "
                      "100.64.0.0/10",
                      circuits_ + p_.customers, kMaxCircuits));
  }

  template <class... Args>
  void put(fmt::format_string<Args...> format, Args&&... args) {
    fmt::format_to(std::back_inserter(out_), format, std::forward<Args>(args)...);
  }

  void header() {
    put("# Generated by: ersim generate --customers {} --sites-per-customer {} "
        "--circuits-per-customer {}\n#   --peering-locations {} --metros {} "
        "--msee-pairs-per-location {} --providers-layer2 {}\n#   --providers-layer3 {} "
        "--prefixes-per-site {} --vnets-per-customer {} --seed {}\n",
        p_.customers, p_.sites_per_customer, p_.circuits_per_customer, p_.peering_locations,
        p_.metros, p_.msee_pairs_per_location, p_.providers_layer2, p_.providers_layer3,
        p_.prefixes_per_site, p_.vnets_per_customer, p_.seed);
    // Only options away from their defaults, so that older files stay byte-identical.
    if (p_.microsoft_peering_every > 0 || p_.global_reach) {
      put("#  ");
      if (p_.microsoft_peering_every > 0) {
        put(" --microsoft-peering-every {}", p_.microsoft_peering_every);
      }
      if (p_.global_reach) {
        put(" --global-reach");
      }
      put("\n");
    }
    put("name: generated-{}-circuits-seed-{}\n\n", circuits_, p_.seed);
  }

  // Circuits N, 2N, 3N... of the file (g = N-1, 2N-1, ... from 0) have Microsoft peering.
  bool has_microsoft_peering(std::uint64_t g) const {
    const std::uint64_t every = p_.microsoft_peering_every;
    return every > 0 && g % every == every - 1;
  }

  std::uint32_t customer_asn(std::uint64_t customer) const {
    const std::uint64_t every = p_.microsoft_peering_every;
    if (every > 0) {
      const std::uint64_t first = customer * p_.circuits_per_customer;
      const std::uint64_t microsoft = first + (every - 1 - first % every);
      if (microsoft < first + p_.circuits_per_customer) {
        return kPublicAsnBase + static_cast<std::uint32_t>(microsoft / every);
      }
    }
    return kCustomerAsnBase + static_cast<std::uint32_t>(customer);
  }

  std::uint32_t provider_asn(std::uint64_t layer3_provider) const {
    return static_cast<std::uint32_t>(layer3_provider) +
           (p_.microsoft_peering_every > 0 ? kPublicAsnBase + kMaxMicrosoftPeerings
                                           : kProviderAsnBase);
  }

  // Each site's routers take the first two addresses of its first prefix as router ids.
  void sites() {
    put("sites:\n");
    std::uint64_t index = 0;  // of the next site prefix
    for (std::uint64_t c = 0; c < p_.customers; ++c) {
      for (std::uint32_t s = 0; s < p_.sites_per_customer; ++s) {
        put("  - name: c{}-s{}\n    prefixes: [", c + 1, s + 1);
        const std::uint64_t first = index;
        for (std::uint32_t i = 0; i < p_.prefixes_per_site; ++i) {
          if (i > 0) {
            put(", ");
          }
          prefix(out_, kSitePool, site_length_, index++);
        }
        put("]\n    routers:\n");
        const std::uint32_t base =
            kSitePool +
            static_cast<std::uint32_t>(first << (32U - static_cast<unsigned>(site_length_)));
        for (std::uint32_t r = 1; r <= 2; ++r) {
          put("      - {{name: c{}-s{}-ce{}, asn: {}, router_id: ", c + 1, s + 1, r,
              customer_asn(c));
          address(out_, base + r);
          put("}}\n");
        }
      }
    }
  }

  void providers() {
    put("\nproviders:\n");
    for (std::uint32_t i = 0; i < p_.providers_layer2; ++i) {
      put("  - {{name: l2-p{}, kind: layer2}}\n", i + 1);
    }
    for (std::uint32_t i = 0; i < p_.providers_layer3; ++i) {
      put("  - {{name: l3-p{}, kind: layer3, asn: {}}}\n", i + 1, provider_asn(i));
    }
  }

  // Metro m (from 0) pairs locations 2m and 2m+1.
  void locations() {
    put("\nlocations:\n");
    for (std::uint32_t l = 0; l < p_.peering_locations; ++l) {
      put("  - name: loc{}\n", l + 1);
      if (l / 2 < p_.metros) {
        put("    metro: metro{}\n", l / 2 + 1);
      }
      put("    msees: [");
      for (std::uint32_t m = 1; m <= 2 * p_.msee_pairs_per_location; ++m) {
        put("{}loc{}-msee{}", m == 1 ? "" : ", ", l + 1, m);
      }
      put("]\n");
    }
  }

  // Circuit k of a customer is at its site k % sites and at location (base + k) % locations,
  // so a customer's circuits reach different locations when there are enough of them.
  void circuits() {
    put("\ncircuits:\n");
    if (p_.global_reach) {
      reach_partner_.assign(p_.customers, 0);
    }
    std::uint64_t g = 0;  // the circuit's index in the file
    for (std::uint64_t c = 0; c < p_.customers; ++c) {
      Rng rng = streams_.stream(c * 2);
      const std::uint64_t base = rng.below(p_.peering_locations);
      MseePair first{};  // of the customer's first circuit
      for (std::uint32_t k = 0; k < p_.circuits_per_customer; ++k, ++g) {
        const std::uint64_t pair = rng.below(p_.msee_pairs_per_location);
        const std::string_view bandwidth = kBandwidths.at(rng.below(kBandwidths.size()));
        const std::int64_t primary_ms = rng.between(1, kMaxLegLatencyMs);
        const std::int64_t secondary_ms = rng.between(1, kMaxLegLatencyMs);
        const std::uint64_t provider = g % providers_;
        const bool layer3 = provider >= p_.providers_layer2;

        put("  - name: c{}-er{}\n", c + 1, k + 1);
        MseePair msees{};
        if (p_.metros > 0 && g % kMetroEvery == kMetroEvery - 1) {
          const std::uint64_t metro = rng.below(p_.metros);
          msees = {{2 * metro + 1, 2 * pair + 1}, {2 * metro + 2, 2 * pair + 2}};
          put("    locations: [loc{}, loc{}]\n", 2 * metro + 1, 2 * metro + 2);
        } else {
          const std::uint64_t location = (base + k) % p_.peering_locations + 1;
          msees = {{location, 2 * pair + 1}, {location, 2 * pair + 2}};
          put("    location: loc{}\n", location);
        }
        put("    msees: [loc{}-msee{}, loc{}-msee{}]\n", msees.primary.first, msees.primary.second,
            msees.secondary.first, msees.secondary.second);
        if (k == 0) {
          first = msees;
        } else if (p_.global_reach && reach_partner_[c] == 0 && msees.primary != first.primary &&
                   msees.secondary != first.secondary) {
          reach_partner_[c] = k;  // Global Reach joins circuits that share no MSEE
        }
        if (layer3) {
          put("    provider: l3-p{}\n", provider - p_.providers_layer2 + 1);
        } else {
          put("    provider: l2-p{}\n", provider + 1);
        }
        const std::uint64_t peer_asn =
            layer3 ? provider_asn(provider - p_.providers_layer2) : customer_asn(c);
        const std::uint32_t site = k % p_.sites_per_customer + 1;
        put("    bandwidth: {}\n    peerings:\n      private:\n        vlan: {}\n"
            "        peer_asn: {}\n        subnet: ",
            bandwidth, kFirstVlan + k % kVlanCount, peer_asn);
        prefix(out_, kPeeringPool, kPeeringLength, g);
        const std::string legs = fmt::format(
            "        primary: {{router: c{}-s{}-ce1, latency: {}ms}}\n"
            "        secondary: {{router: c{}-s{}-ce2, latency: {}ms}}\n",
            c + 1, site, primary_ms, c + 1, site, secondary_ms);
        put("\n{}", legs);
        if (has_microsoft_peering(g)) {
          microsoft_peering(g / p_.microsoft_peering_every, k, peer_asn, legs);
        }
      }
    }
  }

  // The i-th Microsoft peering, over the same customer routers (and links) as the private one.
  void microsoft_peering(std::uint64_t i, std::uint32_t k, std::uint64_t peer_asn,
                         const std::string& legs) {
    const std::uint32_t block =
        kMicrosoftPool +
        static_cast<std::uint32_t>(i << (32U - static_cast<unsigned>(kMicrosoftBlockLength)));
    put("      microsoft:\n        vlan: {}\n        peer_asn: {}\n        subnet: ",
        kMicrosoftFirstVlan + k % kMicrosoftVlanCount, peer_asn);
    address(out_, block);
    put("/{}\n{}        nat_pool: [", kMicrosoftSubnetLength, legs);
    address(out_, block + kNatPoolOffset);
    put("/{}]\n        advertise: [", kMicrosoftSubnetLength);
    address(out_, block + kNatPoolOffset);
    put("/{}]\n        route_filter: [\"{}\", \"{}\"]\n", kMicrosoftSubnetLength,
        kRegionCommunities.at(i % kRegionCommunities.size()),
        kRegionCommunities.at((i + 1) % kRegionCommunities.size()));
    // Teams media marked as Microsoft's QoS requirements ask, so `ersim check` stays clean.
    put("        qos: {{voice: EF, video: AF41, app_sharing: AF21, file_transfer: AF11, other: "
        "CS0}}\n");
  }

  // Each VNet's gateway connects to every circuit of its customer, with drawn weights.
  void vnets() {
    if (p_.vnets_per_customer == 0) {
      return;
    }
    put("\nvnets:\n");
    std::uint64_t index = 0;
    for (std::uint64_t c = 0; c < p_.customers; ++c) {
      Rng rng = streams_.stream(c * 2 + 1);
      for (std::uint32_t v = 0; v < p_.vnets_per_customer; ++v) {
        const std::string_view sku = kGatewaySkus.at(rng.below(kGatewaySkus.size()));
        put("  - name: c{}-vnet{}\n    prefixes: [", c + 1, v + 1);
        prefix(out_, kVnetPool, vnet_length_, index++);
        put("]\n    gateway: {{name: c{}-vnet{}-gw, sku: {}}}\n    connections:\n", c + 1, v + 1,
            sku);
        for (std::uint32_t k = 0; k < p_.circuits_per_customer; ++k) {
          put("      - {{circuit: c{}-er{}, weight: {}}}\n", c + 1, k + 1,
              rng.below(kWeightSteps) * kWeightStep);
        }
      }
    }
  }

  // Each customer's circuit joined to its first by Global Reach, from 1; 0 for none.
  void global_reach() {
    bool any = false;
    for (std::uint64_t c = 0; c < reach_partner_.size(); ++c) {
      if (reach_partner_[c] == 0) {
        continue;
      }
      put("{}  - {{circuits: [c{}-er1, c{}-er{}], subnet: ", any ? "" : "\nglobal_reach:\n", c + 1,
          c + 1, reach_partner_[c] + 1);
      prefix(out_, kPeeringPool, kPeeringLength, circuits_ + c);
      put("}}\n");
      any = true;
    }
  }

  const GeneratorParams& p_;
  RandomStreams streams_;
  std::uint64_t circuits_;
  std::uint64_t microsoft_;  // Microsoft peerings
  std::uint64_t providers_;
  int site_length_;
  int vnet_length_;
  std::vector<std::uint32_t> reach_partner_;  // by customer
  Buffer out_;
};

}  // namespace

std::string generate_topology_yaml(const GeneratorParams& params) {
  return Generator(params).run();
}

}  // namespace ersim::io
