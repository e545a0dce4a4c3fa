// Reads a topology file (docs/topology.md) into a validated Design, and from there into a sealed
// Topology. Every mistake is a ConfigError at its line and column.
//   topo::Topology t = io::load_topology("topologies/maximum.yaml");
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <utility>

#include "sim/io/yaml_reader.hpp"
#include "sim/topo/design.hpp"
#include "sim/topo/topology.hpp"

namespace ersim::io {

/// The words of a link's failure mode, in topology and scenario files.
inline constexpr std::array<std::pair<std::string_view, topo::FailureMode>, 2> kFailureModes{{
    {"carrier", topo::FailureMode::Carrier},
    {"silent", topo::FailureMode::Silent},
}};

/// The design a parsed topology file states, validated: names unique and resolved, prefixes and
/// subnets well formed and not overlapping, ASNs allowed, values in range.
topo::Design read_design(const YamlFile& file);

/// read_design, then topo::expand; the file's YAML tree, the largest structure by far, is freed
/// before the expansion.
topo::Topology read_topology(YamlFile file);

/// load_yaml_file, then read_topology.
topo::Topology load_topology(const std::string& path);

}  // namespace ersim::io
