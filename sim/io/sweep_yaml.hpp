// Reads the `sweep:` block of a scenario file (docs/sweep.md): the options and expectations of
// `ersim sweep`, every mistake a ConfigError at its line and column. The rest of the file is the
// scenario reader's; element names in `exclude` are checked against the topology later.
//
//   const YamlFile file = load_yaml_file("scenarios/sweep-maximum.yaml");
//   if (const auto sweep = read_sweep(file)) { options = sweep->options; }
#pragma once

#include <optional>
#include <vector>

#include "sim/io/yaml_reader.hpp"
#include "sim/sweep/sweep.hpp"

namespace ersim::io {

struct SweepFile {
  sweep::SweepOptions options;  ///< what the block leaves out keeps SweepOptions' default
  std::vector<sweep::SweepExpectation> expectations;
};

/// The sweep block of a parsed scenario file, or nullopt when it has none. Checks everything
/// that needs no topology: k 1 or 2, element kinds, the failure mode, runs 1–10000, a positive
/// horizon, the form of each expectation.
std::optional<SweepFile> read_sweep(const YamlFile& file);

}  // namespace ersim::io
