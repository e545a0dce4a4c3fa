// What a failure sweep must show, and whether it did: the expectations of a scenario file's
// `sweep.expect` or of `--expect`, and their verdicts on a SweepResult (docs/sweep.md).
//
//   r.expectations = {parse_expectation("single-outage<=1s")};
//   r.verdicts = judge(r);  // {met, "worst 812.0ms: link er-ams.primary, amsterdam-dc -> hub"}
#pragma once

#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "sim/sweep/sweep.hpp"

namespace ersim::sweep {

/// The expectations with the sentence reports print as their text, so a file and the command
/// line state the same expectation in the same words.
SweepExpectation no_single_partition();
/// bound is not negative.
SweepExpectation single_outage_at_most(Duration bound);
SweepExpectation no_cross_location_pair_partition();
/// bound is above 0: 0.8 for 80 %.
SweepExpectation single_utilization_at_most(double bound);

/// One verdict per r.expectations, in their order, each with what was seen: the first failure
/// set that breaks it, or a summary when none does. Sets are taken in r.sets order.
///  - NoSinglePartition: no single-element set has a partitioned flow.
///  - SingleOutageAtMost: every flow hit by a single-element set has a worst outage <= bound and
///    is not partitioned.
///  - NoCrossLocationPairPartition: needs r.options.k == 2. No simulated pair of elements in
///    different peering locations partitions a flow, and no single element in a peering
///    location partitions a flow while some element in another location forms a pair with it
///    that was not simulated (such a pair acts as its two singles together).
///  - SingleUtilizationAtMost: no link or circuit with a capacity carries more than the bound
///    before any failure (r.capacity) or after any single failure (each single set's busiest);
///    not met when no flow has a rate.
std::vector<SweepVerdict> judge(const SweepResult& r);

/// An expectation as `--expect` writes it: "no-single-partition", "single-outage<=DURATION"
/// (a duration with its unit, as in files: "single-outage<=1s", "single-outage<=500ms"),
/// "no-cross-location-pair-partition" or "single-utilization<=PERCENT"
/// ("single-utilization<=80%"). Throws std::invalid_argument whose message says what is wrong
/// and lists these forms.
SweepExpectation parse_expectation(std::string_view text);

}  // namespace ersim::sweep
