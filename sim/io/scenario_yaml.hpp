// Reads a scenario file (docs/scenario.md) against the topology it runs on: every name is
// resolved to its element, every time converted once, every mistake a ConfigError at its line
// and column.
//
//   const YamlFile file = load_yaml_file("scenarios/silent-primary.yaml");
//   const scenario::Scenario s = read_scenario(file, load_topology(*scenario_topology(file)));
#pragma once

#include <optional>
#include <string>

#include "sim/io/yaml_reader.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/topo/topology.hpp"

namespace ersim::io {

/// The scenario a parsed scenario file states, resolved against `topology`: events in time
/// order (a flap expanded, a group failure split into its routers and its links), flows with
/// their endpoints and return paths (every site <-> VNet pair when the file lists none), and
/// expectations on those flows.
scenario::Scenario read_scenario(const YamlFile& file, const topo::Topology& topology);

/// The scenario of a file that says nothing but its name: the default flows (every site and
/// the VNets of its circuits, both ways), the default options, no events, no expectations —
/// what `ersim sweep TOPOLOGY` watches when no scenario file is given.
scenario::Scenario default_scenario(const topo::Topology& topology, const std::string& name);

/// The `topology:` of a scenario file as written (relative to the scenario file's directory), if
/// it has one, so the caller can load the topology before read_scenario. Reads nothing else:
/// the rest of the file is read_scenario's to check.
std::optional<std::string> scenario_topology(const YamlFile& file);

}  // namespace ersim::io
