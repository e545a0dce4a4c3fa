// The generated designs every benchmark measures: one size parameter (circuits) and the
// prefixes per site vary, the rest is fixed. bench/topology_report.py passes the same options
// to `ersim generate`; keep the three in step.
//   const std::string yaml = io::generate_topology_yaml(bench::generated_design(10'000, 4));
#pragma once

#include <cstdint>

#include "sim/io/generate.hpp"

namespace ersim::bench {

/// Half as many customers as circuits, each with one site, two circuits at two of eight peering
/// locations (every fourth a Metro circuit), sharing 32 MSEE pairs, a quarter over the layer 3
/// provider, and a VNet whose gateway connects to both circuits.
inline io::GeneratorParams generated_design(std::int64_t circuits, std::int64_t prefixes_per_site) {
  io::GeneratorParams p;
  p.customers = static_cast<std::uint32_t>(circuits / 2);
  p.circuits_per_customer = 2;
  p.sites_per_customer = 1;
  p.peering_locations = 8;
  p.metros = 2;
  p.msee_pairs_per_location = 4;
  p.providers_layer2 = 3;
  p.providers_layer3 = 1;
  p.prefixes_per_site = static_cast<std::uint32_t>(prefixes_per_site);
  p.vnets_per_customer = 1;
  p.seed = 1;
  return p;
}

}  // namespace ersim::bench
