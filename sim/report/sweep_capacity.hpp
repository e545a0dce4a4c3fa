// The capacity part of `ersim sweep`'s reports, when the flows carry a rate: the links and
// circuits before any failure, the failure sets by the load they put on their busiest link or
// circuit, and the overloads each set made or made worse.
//
//   if (carries_traffic(r)) out += sweep_capacity_text(r, color, top);
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

#include "sim/sweep/sweep.hpp"

namespace ersim::report {

/// Some flow of the sweep has a rate.
bool carries_traffic(const sweep::SweepResult& result);

/// The sets that raised a link's or circuit's load, the highest utilization first, then in
/// set order. Indices into result.sets.
std::vector<std::size_t> busiest_sets(const sweep::SweepResult& result);

/// The "Capacity" section: before any failure, the `top` busiest sets (0: all), and every set
/// with an overload and its overloads (at most `top` sets).
std::string sweep_capacity_text(const sweep::SweepResult& result, bool color, std::size_t top);

/// {"before_failures": load_json, "sets_overloading": N}, or null without a rate.
nlohmann::ordered_json sweep_capacity_json(const sweep::SweepResult& result);

/// A set's {"busiest": peak_json or null, "overloads": [overload_json]}, added to its JSON; for
/// a sweep that carries_traffic() (the caller asks once, not per set: it reads every flow).
void add_set_capacity_json(const sweep::SweepResult& result, const sweep::SetResult& set,
                           nlohmann::ordered_json& json);

/// The HTML page's "Capacity" section: the sets by busiest link or circuit with bars, and
/// their overloads (at most `top` sets each).
std::string sweep_capacity_html(const sweep::SweepResult& result, std::size_t top);

}  // namespace ersim::report
