#include "sim/sweep/sweep_expectations.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "core/assert.hpp"
#include "sim/scenario/runner.hpp"
#include "sim/topo/rate.hpp"

namespace ersim::sweep {
namespace {

constexpr std::string_view kForms =
    "no-single-partition, single-outage<=DURATION (e.g. single-outage<=1s), "
    "no-cross-location-pair-partition, single-utilization<=PERCENT (e.g. "
    "single-utilization<=80%)";
constexpr std::string_view kSingleOutage = "single-outage";
constexpr std::string_view kSingleUtilization = "single-utilization";
constexpr std::string_view kAtMost = "<=";

const Element& element(const SweepResult& r, std::uint32_t index) {
  ERSIM_ASSERT(index < r.elements.size(), "failure set names an element the sweep lacks");
  return r.elements[index];
}

const std::string& flow_name(const SweepResult& r, std::uint32_t index) {
  ERSIM_ASSERT(index < r.flows.size(), "flow hit names a flow the sweep lacks");
  return r.flows[index];
}

// "link er-ams.primary", or "link er-ams.primary + location london" for a pair.
std::string set_label(const SweepResult& r, const FailureSet& set) {
  std::vector<std::string> labels;
  labels.reserve(set.elements.size());
  for (const std::uint32_t e : set.elements) {
    labels.push_back(element(r, e).label());
  }
  return fmt::format("{}", fmt::join(labels, " + "));
}

// The names of the flows a set partitioned, in flow order; empty when it partitioned none.
std::vector<std::string_view> partitioned_flows(const SweepResult& r, const SetResult& s) {
  std::vector<std::string_view> names;
  for (const FlowHit& hit : s.flows) {
    if (hit.fate() == Fate::Partitioned) {
      names.emplace_back(flow_name(r, hit.flow));
    }
  }
  return names;
}

std::string count_of(std::size_t n, std::string_view noun) {
  return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s");
}

// Whether two sorted lists of locations share one.
bool meet(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() && j != b.end()) {
    if (*i == *j) {
      return true;
    }
    if (*i < *j) {
      ++i;
    } else {
      ++j;
    }
  }
  return false;
}

// Elements without a location (a CE router, a gateway) are in no peering location, so they are
// in no *different* one either: only elements that both have locations can be cross-location.
bool cross_location(const Element& a, const Element& b) {
  return !a.locations.empty() && !b.locations.empty() && !meet(a.locations, b.locations);
}

SweepVerdict judge_no_single_partition(const SweepResult& r) {
  std::size_t singles = 0;
  for (const SetResult& s : r.sets) {
    if (s.set.elements.size() != 1) {
      continue;
    }
    ++singles;
    const auto flows = partitioned_flows(r, s);
    if (!flows.empty()) {
      return {false, fmt::format("{} partitions {}", set_label(r, s.set), fmt::join(flows, ", "))};
    }
  }
  return {true, fmt::format("no single failure partitions a flow ({})", count_of(singles, "set"))};
}

SweepVerdict judge_single_outage(const SweepResult& r, Duration bound) {
  // The worst hit of any single failure: a partitioned flow is worse than any outage that ends,
  // and of equals the first (in set order, then flow order) stands for them.
  const SetResult* worst_set = nullptr;
  const FlowHit* worst = nullptr;
  const auto rank = [](const FlowHit& h) {
    return std::pair(h.fate() == Fate::Partitioned, h.worst_outage);
  };
  std::size_t singles = 0;
  for (const SetResult& s : r.sets) {
    if (s.set.elements.size() != 1) {
      continue;
    }
    ++singles;
    for (const FlowHit& hit : s.flows) {
      if (worst == nullptr || rank(*worst) < rank(hit)) {
        worst_set = &s;
        worst = &hit;
      }
    }
  }
  if (worst == nullptr) {
    return {true,
            fmt::format("no single failure costs a flow anything ({})", count_of(singles, "set"))};
  }
  const std::string label = set_label(r, worst_set->set);
  const std::string& flow = flow_name(r, worst->flow);
  if (worst->fate() == Fate::Partitioned) {
    return {false, fmt::format("worst: {} partitions {}", label, flow)};
  }
  return {
      worst->worst_outage <= bound,
      fmt::format("worst {}: {}, {}", scenario::duration_text(worst->worst_outage), label, flow)};
}

SweepVerdict judge_no_cross_location_pair_partition(const SweepResult& r) {
  if (r.options.k != 2) {
    return {false, "needs --k 2"};
  }
  // The pairs that were simulated, to tell them from those that act as their singles together.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> simulated;
  for (const SetResult& s : r.sets) {
    if (s.set.elements.size() == 2) {
      simulated.emplace_back(std::min(s.set.elements[0], s.set.elements[1]),
                             std::max(s.set.elements[0], s.set.elements[1]));
    }
  }
  std::sort(simulated.begin(), simulated.end());
  const auto was_simulated = [&](std::uint32_t a, std::uint32_t b) {
    return std::binary_search(simulated.begin(), simulated.end(),
                              std::pair(std::min(a, b), std::max(a, b)));
  };

  std::size_t checked = 0;
  for (const SetResult& s : r.sets) {
    const std::vector<std::uint32_t>& es = s.set.elements;
    if (es.size() == 2) {
      if (!cross_location(element(r, es[0]), element(r, es[1]))) {
        continue;
      }
      ++checked;
      const auto flows = partitioned_flows(r, s);
      if (!flows.empty()) {
        return {false, fmt::format("{} partition {}", set_label(r, s.set), fmt::join(flows, ", "))};
      }
      continue;
    }
    if (es.size() != 1 || element(r, es[0]).locations.empty()) {
      continue;
    }
    const auto flows = partitioned_flows(r, s);
    if (flows.empty()) {
      continue;
    }
    // A single that partitions a flow partitions it in every pair that was not simulated, since
    // such a pair is its two singles together. It breaks the expectation only if one of those
    // pairs is cross-location: a design with one peering location has none. The first partner
    // will do; the search is long only when there is none.
    const std::uint32_t e = es[0];
    const Element& self = element(r, e);
    for (std::uint32_t f = 0; f < r.elements.size(); ++f) {
      if (f != e && cross_location(self, r.elements[f]) && !was_simulated(e, f)) {
        return {false, fmt::format("{} + {} partition {} ({} alone does)", self.label(),
                                   r.elements[f].label(), fmt::join(flows, ", "), self.label())};
      }
    }
  }
  return {true, fmt::format("no pair of failures in different peering locations partitions a flow "
                            "({} simulated)",
                            count_of(checked, "pair"))};
}

std::string channel_text(const SweepResult& r, reach::Channel channel) {
  return reach::channel_label(r.channels, channel);
}

SweepVerdict judge_single_utilization(const SweepResult& r, double bound) {
  if (std::all_of(r.rates.begin(), r.rates.end(), [](std::uint64_t rate) { return rate == 0; })) {
    return {false, "no flow carries a rate: give the scenario's flows a rate"};
  }
  // The highest utilization before any failure, then after each single failure; the first of
  // equals stands for them.
  double worst = r.capacity.peak_utilization();
  std::string where =
      r.capacity.peaks.empty()
          ? std::string("no link or circuit with a capacity carries traffic")
          : fmt::format("{} before any failure", channel_text(r, r.capacity.peaks.front().channel));
  std::size_t singles = 0;
  for (const SetResult& s : r.sets) {
    if (s.set.elements.size() != 1) {
      continue;
    }
    ++singles;
    if (s.busiest && s.busiest->utilization() > worst) {
      worst = s.busiest->utilization();
      where = fmt::format("{} after {}", channel_text(r, s.busiest->channel), set_label(r, s.set));
    }
  }
  return {worst <= bound, fmt::format("peak {}: {} ({})", percent_text(worst), where,
                                      count_of(singles, "single set"))};
}

[[noreturn]] void bad_expectation(std::string_view text, std::string_view what) {
  throw std::invalid_argument(
      fmt::format("expectation '{}' {} (expected one of: {})", text, what, kForms));
}

}  // namespace

SweepExpectation no_single_partition() {
  return {SweepExpectationKind::NoSinglePartition, {}, "no single failure partitions any flow"};
}

SweepExpectation single_outage_at_most(Duration bound) {
  ERSIM_ASSERT(bound >= Duration::zero(), "a negative outage bound");
  return {SweepExpectationKind::SingleOutageAtMost, bound,
          fmt::format("no single failure costs a flow more than {}", format_duration(bound))};
}

SweepExpectation no_cross_location_pair_partition() {
  return {SweepExpectationKind::NoCrossLocationPairPartition,
          {},
          "no pair of failures in different peering locations partitions a flow"};
}

SweepExpectation single_utilization_at_most(double bound) {
  ERSIM_ASSERT(bound > 0, "a utilization bound of zero or less");
  SweepExpectation x{
      SweepExpectationKind::SingleUtilizationAtMost,
      {},
      fmt::format("no link or circuit above {} after any single failure", percent_text(bound))};
  x.utilization = bound;
  return x;
}

std::vector<SweepVerdict> judge(const SweepResult& r) {
  std::vector<SweepVerdict> verdicts;
  verdicts.reserve(r.expectations.size());
  for (const SweepExpectation& x : r.expectations) {
    switch (x.kind) {
      case SweepExpectationKind::NoSinglePartition:
        verdicts.push_back(judge_no_single_partition(r));
        break;
      case SweepExpectationKind::SingleOutageAtMost:
        verdicts.push_back(judge_single_outage(r, x.bound));
        break;
      case SweepExpectationKind::NoCrossLocationPairPartition:
        verdicts.push_back(judge_no_cross_location_pair_partition(r));
        break;
      case SweepExpectationKind::SingleUtilizationAtMost:
        verdicts.push_back(judge_single_utilization(r, x.utilization));
        break;
    }
  }
  return verdicts;
}

SweepExpectation parse_expectation(std::string_view text) {
  if (text == "no-single-partition") {
    return no_single_partition();
  }
  if (text == "no-cross-location-pair-partition") {
    return no_cross_location_pair_partition();
  }
  if (text.starts_with(kSingleUtilization)) {
    const std::string_view rest = text.substr(kSingleUtilization.size());
    if (!rest.starts_with(kAtMost)) {
      bad_expectation(text, "needs a bound: single-utilization<=PERCENT");
    }
    const std::optional<double> bound = parse_percent(rest.substr(kAtMost.size()));
    if (!bound || *bound <= 0) {
      bad_expectation(text, "has a bad bound: write a percentage above 0, such as 80%");
    }
    return single_utilization_at_most(*bound);
  }
  if (!text.starts_with(kSingleOutage)) {
    bad_expectation(text, "is unknown");
  }
  const std::string_view rest = text.substr(kSingleOutage.size());
  if (!rest.starts_with(kAtMost)) {
    bad_expectation(text, "needs a bound: single-outage<=DURATION");
  }
  Duration bound{};
  try {
    bound = parse_duration(rest.substr(kAtMost.size()));
  } catch (const DurationError& e) {
    bad_expectation(text, fmt::format("has a bad bound: {}", e.what()));
  }
  if (bound < Duration::zero()) {
    bad_expectation(text, "has a negative bound");
  }
  return single_outage_at_most(bound);
}

}  // namespace ersim::sweep
