// The verdicts of sweep expectations on hand-made sweep results, and the --expect forms.
#include "sim/sweep/sweep_expectations.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ersim::sweep {
namespace {

using namespace std::chrono_literals;

// Element indices of the design below.
constexpr std::uint32_t kAmsPrimary = 0;
constexpr std::uint32_t kLonPrimary = 1;
constexpr std::uint32_t kAmsterdam = 2;
constexpr std::uint32_t kCe = 3;
constexpr std::uint32_t kAmsSecondary = 4;
// Flow indices.
constexpr std::uint32_t kToHub = 0;
constexpr std::uint32_t kFromHub = 1;

Element element(ElementKind kind, std::string name, std::vector<std::string> locations) {
  Element e;
  e.kind = kind;
  e.name = std::move(name);
  e.locations = std::move(locations);
  return e;
}

// Two circuits at two peering locations, and a CE router that stands in none.
SweepResult design(unsigned k) {
  SweepResult r;
  r.options.k = k;
  r.elements = {
      element(ElementKind::Link, "er-ams.primary", {"amsterdam"}),
      element(ElementKind::Link, "er-lon.primary", {"london"}),
      element(ElementKind::Location, "amsterdam", {"amsterdam"}),
      element(ElementKind::Router, "ams-ce1", {}),
      element(ElementKind::Link, "er-ams.secondary", {"amsterdam"}),
  };
  r.flows = {"amsterdam-dc -> hub", "hub -> amsterdam-dc"};
  return r;
}

FlowHit lost(std::uint32_t flow, Duration outage) {
  FlowHit h;
  h.flow = flow;
  h.lost_runs = 1;
  h.worst_outage = outage;
  h.mean_outage = outage;
  return h;
}

FlowHit partitioned(std::uint32_t flow, Duration outage = 10min) {
  FlowHit h = lost(flow, outage);
  h.lost_runs = 0;
  h.partitioned_runs = 1;
  return h;
}

void add_set(SweepResult& r, std::vector<std::uint32_t> elements, std::vector<FlowHit> hits) {
  SetResult s;
  s.set.elements = std::move(elements);
  s.flows = std::move(hits);
  r.sets.push_back(std::move(s));
}

// Every element alone, hurting nothing unless `hits` says so.
void add_singles(SweepResult& r, const std::vector<std::pair<std::uint32_t, FlowHit>>& hits = {}) {
  for (std::uint32_t e = 0; e < r.elements.size(); ++e) {
    std::vector<FlowHit> flows;
    for (const auto& [element, hit] : hits) {
      if (element == e) {
        flows.push_back(hit);
      }
    }
    add_set(r, {e}, std::move(flows));
  }
}

SweepVerdict verdict(SweepResult r, SweepExpectation x) {
  r.expectations = {std::move(x)};
  const std::vector<SweepVerdict> verdicts = judge(r);
  EXPECT_EQ(verdicts.size(), 1U);
  return verdicts.at(0);
}

// ---- NoSinglePartition ----------------------------------------------------------------------

TEST(SweepExpectations, NoSinglePartitionMetWhenSinglesOnlyLoseFlows) {
  SweepResult r = design(2);
  add_singles(r, {{kAmsPrimary, lost(kToHub, 800ms)}});
  // A pair that partitions does not count against single failures.
  add_set(r, {kAmsPrimary, kAmsSecondary}, {partitioned(kToHub)});
  const SweepVerdict v = verdict(r, no_single_partition());
  EXPECT_TRUE(v.met);
  EXPECT_EQ(v.detail, "no single failure partitions a flow (5 sets)");
}

TEST(SweepExpectations, NoSinglePartitionNotMetNamesTheFirstSetAndItsFlows) {
  SweepResult r = design(1);
  add_singles(r, {{kAmsPrimary, lost(kToHub, 800ms)},
                  {kAmsterdam, partitioned(kToHub)},
                  {kAmsterdam, partitioned(kFromHub)},
                  {kCe, partitioned(kFromHub)}});
  const SweepVerdict v = verdict(r, no_single_partition());
  EXPECT_FALSE(v.met);
  EXPECT_EQ(v.detail, "location amsterdam partitions amsterdam-dc -> hub, hub -> amsterdam-dc");
}

// ---- SingleOutageAtMost ---------------------------------------------------------------------

TEST(SweepExpectations, SingleOutageAtMostMetWithinTheBoundNamesTheWorst) {
  SweepResult r = design(1);
  add_singles(r, {{kAmsPrimary, lost(kToHub, 812ms)},
                  {kAmsPrimary, lost(kFromHub, 300ms)},
                  {kLonPrimary, lost(kToHub, 812ms)}});  // as bad, later: the first stands
  const SweepVerdict v = verdict(r, single_outage_at_most(1s));
  EXPECT_TRUE(v.met);
  EXPECT_EQ(v.detail, "worst 812.0ms: link er-ams.primary, amsterdam-dc -> hub");
}

TEST(SweepExpectations, SingleOutageAtMostMetAtExactlyTheBound) {
  SweepResult r = design(1);
  add_singles(r, {{kAmsPrimary, lost(kToHub, 1s)}});
  EXPECT_TRUE(verdict(r, single_outage_at_most(1s)).met);
}

TEST(SweepExpectations, SingleOutageAtMostNotMetAboveTheBound) {
  SweepResult r = design(1);
  add_singles(r, {{kAmsPrimary, lost(kToHub, 300ms)}, {kLonPrimary, lost(kFromHub, 1500ms)}});
  const SweepVerdict v = verdict(r, single_outage_at_most(1s));
  EXPECT_FALSE(v.met);
  EXPECT_EQ(v.detail, "worst 1.500s: link er-lon.primary, hub -> amsterdam-dc");
}

TEST(SweepExpectations, SingleOutageAtMostNotMetByAPartitionHoweverShort) {
  SweepResult r = design(1);
  r.options.horizon = 1s;
  // Out at a short horizon: its outage is under the bound, yet the flow never came back.
  add_singles(r, {{kAmsPrimary, lost(kToHub, 900ms)}, {kCe, partitioned(kFromHub, 500ms)}});
  const SweepVerdict v = verdict(r, single_outage_at_most(1s));
  EXPECT_FALSE(v.met);
  EXPECT_EQ(v.detail, "worst: router ams-ce1 partitions hub -> amsterdam-dc");
}

TEST(SweepExpectations, SingleOutageAtMostIgnoresPairs) {
  SweepResult r = design(2);
  add_singles(r);
  add_set(r, {kAmsPrimary, kLonPrimary}, {lost(kToHub, 5s)});
  const SweepVerdict v = verdict(r, single_outage_at_most(1s));
  EXPECT_TRUE(v.met);
  EXPECT_EQ(v.detail, "no single failure costs a flow anything (5 sets)");
}

// ---- NoCrossLocationPairPartition -----------------------------------------------------------

TEST(SweepExpectations, CrossLocationPairNeedsKTwo) {
  SweepResult r = design(1);
  add_singles(r);
  const SweepVerdict v = verdict(r, no_cross_location_pair_partition());
  EXPECT_FALSE(v.met);
  EXPECT_EQ(v.detail, "needs --k 2");
}

TEST(SweepExpectations, CrossLocationPairMetWhenOnlySameLocationPairsPartition) {
  SweepResult r = design(2);
  add_singles(r, {{kAmsPrimary, lost(kToHub, 800ms)}, {kLonPrimary, lost(kToHub, 800ms)}});
  add_set(r, {kAmsPrimary, kLonPrimary}, {lost(kToHub, 2s)});       // cross, survives
  add_set(r, {kAmsPrimary, kAmsSecondary}, {partitioned(kToHub)});  // both in amsterdam
  add_set(r, {kLonPrimary, kCe}, {partitioned(kToHub)});            // the CE is in none
  add_set(r, {kAmsPrimary, kAmsterdam}, {partitioned(kFromHub)});   // amsterdam again
  const SweepVerdict v = verdict(r, no_cross_location_pair_partition());
  EXPECT_TRUE(v.met);
  EXPECT_EQ(v.detail,
            "no pair of failures in different peering locations partitions a flow (1 pair "
            "simulated)");
}

TEST(SweepExpectations, CrossLocationPairNotMetBySimulatedPair) {
  SweepResult r = design(2);
  add_singles(r, {{kAmsPrimary, lost(kToHub, 800ms)}, {kLonPrimary, lost(kToHub, 800ms)}});
  add_set(r, {kAmsPrimary, kAmsSecondary}, {partitioned(kToHub)});
  add_set(r, {kAmsPrimary, kLonPrimary}, {partitioned(kToHub), partitioned(kFromHub)});
  const SweepVerdict v = verdict(r, no_cross_location_pair_partition());
  EXPECT_FALSE(v.met);
  EXPECT_EQ(v.detail,
            "link er-ams.primary + link er-lon.primary partition amsterdam-dc -> hub, "
            "hub -> amsterdam-dc");
}

TEST(SweepExpectations, CrossLocationPairNotMetByASingleWithAnUnsimulatedPartner) {
  SweepResult r = design(2);
  // The location partitions alone; paired with london's link it was not simulated, so that
  // pair is the two singles together and partitions too.
  add_singles(r, {{kAmsterdam, partitioned(kToHub)}});
  const SweepVerdict v = verdict(r, no_cross_location_pair_partition());
  EXPECT_FALSE(v.met);
  EXPECT_EQ(v.detail,
            "location amsterdam + link er-lon.primary partition amsterdam-dc -> hub (location "
            "amsterdam alone does)");
}

TEST(SweepExpectations, CrossLocationPairMetWhenThePartitioningSinglesPairsWereSimulated) {
  SweepResult r = design(2);
  add_singles(r, {{kAmsterdam, partitioned(kToHub)}});
  // Its only cross-location pair was simulated, and came back whole (the simulated result is
  // what counts).
  add_set(r, {kLonPrimary, kAmsterdam}, {lost(kToHub, 3s)});
  EXPECT_TRUE(verdict(r, no_cross_location_pair_partition()).met);
}

TEST(SweepExpectations, CrossLocationPairIgnoresSinglesOutsideAnyLocation) {
  SweepResult r = design(2);
  add_singles(r, {{kCe, partitioned(kToHub)}});
  EXPECT_TRUE(verdict(r, no_cross_location_pair_partition()).met);
}

TEST(SweepExpectations, CrossLocationPairMetInADesignOfOneLocation) {
  SweepResult r = design(2);
  r.elements.at(kLonPrimary).locations = {"amsterdam"};
  add_singles(r, {{kAmsterdam, partitioned(kToHub)}});
  EXPECT_TRUE(verdict(r, no_cross_location_pair_partition()).met);
}

TEST(SweepExpectations, ElementsOfSeveralLocationsAreCrossOnlyWhenTheyShareNone) {
  SweepResult r = design(2);
  // A metro spans both locations: in no different location from anything.
  r.elements.push_back(element(ElementKind::Metro, "ams-lon", {"amsterdam", "london"}));
  const auto metro = static_cast<std::uint32_t>(r.elements.size() - 1);
  add_singles(r);
  add_set(r, {kLonPrimary, metro}, {partitioned(kToHub)});
  EXPECT_TRUE(verdict(r, no_cross_location_pair_partition()).met);
}

// ---- judge ----------------------------------------------------------------------------------

TEST(SweepExpectations, JudgeGivesOneVerdictPerExpectationInOrder) {
  SweepResult r = design(1);
  add_singles(r, {{kAmsPrimary, lost(kToHub, 2s)}});
  r.expectations = {single_outage_at_most(1s), no_single_partition(),
                    no_cross_location_pair_partition()};
  const std::vector<SweepVerdict> v = judge(r);
  ASSERT_EQ(v.size(), 3U);
  EXPECT_FALSE(v[0].met);
  EXPECT_TRUE(v[1].met);
  EXPECT_FALSE(v[2].met);
}

TEST(SweepExpectations, JudgeOfNoExpectationsIsEmpty) { EXPECT_TRUE(judge(design(1)).empty()); }

// ---- parse_expectation ----------------------------------------------------------------------

TEST(SweepExpectations, ParseEachForm) {
  const SweepExpectation a = parse_expectation("no-single-partition");
  EXPECT_EQ(a.kind, SweepExpectationKind::NoSinglePartition);
  EXPECT_EQ(a.text, "no single failure partitions any flow");

  const SweepExpectation b = parse_expectation("single-outage<=1s");
  EXPECT_EQ(b.kind, SweepExpectationKind::SingleOutageAtMost);
  EXPECT_EQ(b.bound, 1s);
  EXPECT_EQ(b.text, "no single failure costs a flow more than 1s");

  const SweepExpectation c = parse_expectation("single-outage<=1m30s");
  EXPECT_EQ(c.bound, 90s);
  EXPECT_EQ(c.text, "no single failure costs a flow more than 1m30s");
  EXPECT_EQ(parse_expectation("single-outage<=0s").bound, 0s);

  const SweepExpectation d = parse_expectation("no-cross-location-pair-partition");
  EXPECT_EQ(d.kind, SweepExpectationKind::NoCrossLocationPairPartition);
  EXPECT_EQ(d.text, "no pair of failures in different peering locations partitions a flow");
}

// The message of the invalid_argument that parse_expectation throws for `text`.
std::string parse_error(const std::string& text) {
  try {
    parse_expectation(text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  ADD_FAILURE() << "no error for '" << text << "'";
  return "";
}

constexpr std::string_view kForms =
    " (expected one of: no-single-partition, single-outage<=DURATION (e.g. single-outage<=1s), "
    "no-cross-location-pair-partition, single-utilization<=PERCENT (e.g. "
    "single-utilization<=80%))";

TEST(SweepExpectations, ParseRejectsBadInputListingTheForms) {
  const std::string forms(kForms);
  EXPECT_EQ(parse_error("no-single-partitions"),
            "expectation 'no-single-partitions' is unknown" + forms);
  EXPECT_EQ(parse_error(""), "expectation '' is unknown" + forms);
  EXPECT_EQ(parse_error("no_single_partition"),
            "expectation 'no_single_partition' is unknown" + forms);
  EXPECT_EQ(parse_error("single-outage"),
            "expectation 'single-outage' needs a bound: single-outage<=DURATION" + forms);
  EXPECT_EQ(parse_error("single-outage<1s"),
            "expectation 'single-outage<1s' needs a bound: single-outage<=DURATION" + forms);
  EXPECT_EQ(parse_error("single-outage<=1"),
            "expectation 'single-outage<=1' has a bad bound: duration '1' has no unit (use ns, "
            "us, ms, s, m or h)" +
                forms);
  EXPECT_EQ(parse_error("single-outage<=-1s"),
            "expectation 'single-outage<=-1s' has a negative bound" + forms);
  EXPECT_EQ(parse_error("single-utilization"),
            "expectation 'single-utilization' needs a bound: single-utilization<=PERCENT" + forms);
  for (const char* bad :
       {"single-utilization<=80", "single-utilization<=0%", "single-utilization<=-5%"}) {
    EXPECT_EQ(parse_error(bad), fmt::format("expectation '{}' has a bad bound: write a percentage "
                                            "above 0, such as 80%",
                                            bad) +
                                    forms);
  }
}

TEST(SweepExpectations, ParseReadsAUtilizationBound) {
  const SweepExpectation x = parse_expectation("single-utilization<=80%");
  EXPECT_EQ(x.kind, SweepExpectationKind::SingleUtilizationAtMost);
  EXPECT_DOUBLE_EQ(x.utilization, 0.8);
  EXPECT_EQ(x.text, "no link or circuit above 80% after any single failure");
}

}  // namespace
}  // namespace ersim::sweep
