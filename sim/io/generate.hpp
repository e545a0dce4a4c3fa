// Synthetic topologies for benchmarks and tests: ordinary topology YAML (docs/topology.md) for
// any number of customers, each with sites of two CE routers, circuits spread over shared MSEE
// pairs at peering locations (some ExpressRoute Metro), layer 2 and layer 3 providers, VNets
// connected to every circuit of their customer, and on request Microsoft peering and Global Reach.
// The same parameters give byte-identical text.
//   const std::string yaml = generate_topology_yaml({.customers = 500, .seed = 7});
//   topo::Topology t = topo::expand(read_design(load_yaml_string("gen.yaml", yaml)));
#pragma once

#include <cstdint>
#include <string>

namespace ersim::io {

struct GeneratorParams {
  std::uint32_t customers = 2;
  std::uint32_t sites_per_customer = 1;
  std::uint32_t circuits_per_customer = 2;  ///< circuit k of a customer is at its site k % sites
  std::uint32_t peering_locations = 2;
  std::uint32_t metros = 1;  ///< metro m pairs locations 2m and 2m+1; every 4th circuit is Metro
  std::uint32_t msee_pairs_per_location = 1;
  std::uint32_t providers_layer2 = 1;  ///< circuit g uses provider g % (layer2 + layer3),
  std::uint32_t providers_layer3 = 1;  ///< the layer 2 ones first
  std::uint32_t prefixes_per_site = 1;
  std::uint32_t vnets_per_customer = 1;
  std::uint64_t seed = 1;  ///< draws MSEE pairs, locations, Metro pairs, bandwidths, weights
  /// Every Nth circuit (the file's circuits N, 2N, ...) also has a Microsoft peering; 0: none.
  /// A customer with one takes a public AS, and so does every layer 3 provider.
  std::uint32_t microsoft_peering_every = 0;
  /// Joins each customer's first circuit with Global Reach to its next circuit that shares no
  /// MSEE with it (the second, whenever the two are at different locations).
  bool global_reach = false;
};

/// Limits of the parameters, one at a time (the CLI checks them) and together (address space).
/// One /29 each in 100.64.0.0/10, shared with Global Reach: one /29 per customer after them.
inline constexpr std::uint32_t kMaxCircuits = 1U << 19;
inline constexpr std::uint32_t kMaxSitePrefixes = 1U << 22;  ///< /30s of 10.0.0.0/8
inline constexpr std::uint32_t kMaxVnets = 1U << 17;         ///< /29s of 172.16.0.0/12
inline constexpr std::uint32_t kMaxPrefixesPerSite = 4000;   ///< a private peering's limit
inline constexpr std::uint32_t kMaxProvidersLayer3 = 1000;   ///< ASNs 64512 and up
inline constexpr std::uint32_t kMaxMseePairs = 1000;
/// One /28 each in 198.18.0.0/15: the peering's /29, then its NAT pool's /29.
inline constexpr std::uint32_t kMaxMicrosoftPeerings = 1U << 13;

/// The topology file. Throws std::invalid_argument naming the parameter when a value is out of
/// range or the design does not fit its address space (see the limits above).
std::string generate_topology_yaml(const GeneratorParams& params);

}  // namespace ersim::io
