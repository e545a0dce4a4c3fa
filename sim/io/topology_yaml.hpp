// Reads a topology file (docs/topology.md) into a validated Design, and from there into a sealed
// Topology. Every mistake is a ConfigError at its line and column.
//   topo::Topology t = io::load_topology("topologies/maximum.yaml");
#pragma once

#include <string>

#include "sim/io/yaml_reader.hpp"
#include "sim/topo/design.hpp"
#include "sim/topo/topology.hpp"

namespace ersim::io {

/// The design a parsed topology file states, validated: names unique and resolved, prefixes and
/// subnets well formed and not overlapping, ASNs allowed, values in range.
topo::Design read_design(const YamlFile& file);

/// load_yaml_file, read_design, then topo::expand.
topo::Topology load_topology(const std::string& path);

}  // namespace ersim::io
