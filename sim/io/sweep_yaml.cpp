#include "sim/io/sweep_yaml.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include "sim/io/topology_yaml.hpp"
#include "sim/sweep/sweep_expectations.hpp"

namespace ersim::io {
namespace {

using sweep::ElementKind;

// As a scenario's runs: every failure set runs this many times, so the bound matters more here.
constexpr std::int64_t kMaxRuns = 10000;

// The words of `expect`: two alone, one as the key of its bound.
constexpr std::string_view kNoSinglePartition = "no_single_partition";
constexpr std::string_view kSingleOutage = "single_outage";
constexpr std::string_view kNoCrossLocationPairPartition = "no_cross_location_pair_partition";
constexpr std::string_view kSingleUtilization = "single_utilization";
constexpr std::array<std::string_view, 4> kExpectationWords{
    kNoSinglePartition,
    kSingleOutage,
    kNoCrossLocationPairPartition,
    kSingleUtilization,
};
// The highest utilization bound: ten times the capacity.
constexpr double kMaxUtilizationBound = 10.0;

// Every element kind's word, in ElementKind's order, for suggestions.
std::vector<std::string_view> kind_words() {
  std::vector<std::string_view> words;
  for (auto k = static_cast<int>(ElementKind::Link); k <= static_cast<int>(ElementKind::Group);
       ++k) {
    words.push_back(sweep::to_string(static_cast<ElementKind>(k)));
  }
  return words;
}

class SweepReader {
 public:
  explicit SweepReader(const std::string& file) : r_(file) {}

  SweepFile read(const Node& node) {
    MapReader m(r_, node, "sweep");
    const auto k = m.optional("k");
    const auto only = m.optional("only");
    const auto exclude = m.optional("exclude");
    const auto mode = m.optional("mode");
    const auto runs = m.optional("runs");
    const auto seed = m.optional("seed");
    const auto horizon = m.optional("horizon");
    const auto expect = m.optional("expect");
    m.finish();

    SweepFile f;
    sweep::SweepOptions& o = f.options;
    if (k) {
      o.k = static_cast<unsigned>(r_.integer(*k, 1, 2, "k"));
    }
    if (only) {
      read_only(*only, o.only);
    }
    if (exclude) {
      r_.for_each(*exclude, "exclude", [&](const Node& item) {
        std::string entry = r_.string(item, "exclude");
        if (entry.empty()) {
          r_.fail(item, "an exclude entry must not be empty");
        }
        o.exclude.push_back(std::move(entry));
      });
    }
    if (mode) {
      o.mode = choose(r_, *mode, "mode", kFailureModes);
    }
    if (runs) {
      o.runs = static_cast<std::uint32_t>(r_.integer(*runs, 1, kMaxRuns, "runs"));
    }
    if (seed) {
      o.seed = static_cast<std::uint64_t>(
          r_.integer(*seed, 0, std::numeric_limits<std::int64_t>::max(), "seed"));
    }
    if (horizon) {
      o.horizon = r_.duration(*horizon, "horizon");
      if (o.horizon <= Duration::zero()) {
        r_.fail(*horizon, "horizon must be positive");
      }
    }
    if (expect) {
      r_.for_each(*expect, "expect",
                  [&](const Node& item) { f.expectations.push_back(read_expectation(item)); });
    }
    return f;
  }

 private:
  void read_only(const Node& node, std::vector<ElementKind>& kinds) const {
    r_.for_each(node, "only", [&](const Node& item) {
      const std::string word = r_.string(item, "element kind");
      const auto kind = sweep::element_kind(word);
      if (!kind) {
        const std::vector<std::string_view> words = kind_words();
        if (const auto best = closest_match(word, words)) {
          r_.fail(item, fmt::format("unknown element kind '{}' (did you mean '{}'?)", word, *best));
        }
        r_.fail(item, fmt::format("unknown element kind '{}' (expected one of: {})", word,
                                  fmt::join(words, ", ")));
      }
      // A repeat changes nothing, so it is most likely another kind mistyped.
      if (std::find(kinds.begin(), kinds.end(), *kind) != kinds.end()) {
        r_.fail(item, fmt::format("element kind '{}' is listed twice in only", word));
      }
      kinds.push_back(*kind);
    });
    // An empty list would mean every kind (SweepOptions::only), the opposite of what it says.
    if (kinds.empty()) {
      r_.fail(node, "only must name at least one element kind (leave it out to sweep every kind)");
    }
  }

  // `- no_single_partition`, `- single_outage: 1s`, `- no_cross_location_pair_partition` or
  // `- single_utilization: 80%`.
  sweep::SweepExpectation read_expectation(const Node& node) const {
    if (node.is_scalar()) {
      const std::string word = r_.string(node, "sweep expectation");
      if (word == kNoSinglePartition) {
        return sweep::no_single_partition();
      }
      if (word == kNoCrossLocationPairPartition) {
        return sweep::no_cross_location_pair_partition();
      }
      if (word == kSingleOutage) {
        r_.fail(node, "single_outage needs a bound: write 'single_outage: 1s'");
      }
      if (word == kSingleUtilization) {
        r_.fail(node, "single_utilization needs a bound: write 'single_utilization: 80%'");
      }
      if (const auto best = closest_match(word, kExpectationWords)) {
        r_.fail(node,
                fmt::format("unknown sweep expectation '{}' (did you mean '{}'?)", word, *best));
      }
      r_.fail(node, fmt::format("unknown sweep expectation '{}' (expected one of: {}, {}: "
                                "DURATION, {}, {}: PERCENT)",
                                word, kNoSinglePartition, kSingleOutage,
                                kNoCrossLocationPairPartition, kSingleUtilization));
    }
    if (node.is_map()) {
      // The words without a bound written as keys (`{no_single_partition: true}`) would
      // otherwise be "unknown keys" of a mapping that has only single_outage.
      for (std::size_t i = 0; i < node.size(); ++i) {
        const std::string_view key = node.key(i).scalar();
        if (key == kNoSinglePartition || key == kNoCrossLocationPairPartition) {
          r_.fail(node.key(i), fmt::format("{} takes no value: write it alone, '- {}'", key, key));
        }
      }
    }
    MapReader m(r_, node, "sweep expectation");
    const auto bound = m.optional(kSingleOutage);
    const auto utilization = m.optional(kSingleUtilization);
    m.finish();
    if (bound && utilization) {
      r_.fail(node, fmt::format("sweep expectation has both '{}' and '{}': write one for each",
                                kSingleOutage, kSingleUtilization));
    }
    if (utilization) {
      return sweep::single_utilization_at_most(
          r_.percent(*utilization, kMaxUtilizationBound, kSingleUtilization));
    }
    if (!bound) {
      m.fail(fmt::format("sweep expectation needs one of: {}, {}: DURATION, {}, {}: PERCENT",
                         kNoSinglePartition, kSingleOutage, kNoCrossLocationPairPartition,
                         kSingleUtilization));
    }
    const Duration d = r_.duration(*bound, kSingleOutage);
    if (d < Duration::zero()) {
      r_.fail(*bound, "single_outage must not be negative");
    }
    return sweep::single_outage_at_most(d);
  }

  Reader r_;
};

}  // namespace

std::optional<SweepFile> read_sweep(const YamlFile& file) {
  // The top level is the scenario reader's to check, key by key: this asks for `sweep` alone
  // and so never calls finish(). Going through MapReader still reports a sweep key without a
  // value, or a file that is not a mapping, as the scenario reader would.
  MapReader top(Reader(file.name), file.root, "scenario");
  const auto block = top.optional("sweep");
  if (!block) {
    return std::nullopt;
  }
  return SweepReader(file.name).read(*block);
}

}  // namespace ersim::io
