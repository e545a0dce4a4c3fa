// The words of the sweep's vocabulary and the summaries of its results.
#include "sim/sweep/sweep.hpp"

#include <gtest/gtest.h>

namespace ersim::sweep {
namespace {

using namespace std::chrono_literals;

FlowHit hit(std::uint32_t flow, std::uint32_t lost, std::uint32_t partitioned, Duration worst) {
  return {flow, lost, partitioned, worst, worst, "BFD"};
}

TEST(SetResult, PartitionedCountsPartitionedFlowsOnly) {
  SetResult r{{{0}}, {hit(0, 0, 2, 10min), hit(1, 3, 0, 2s), hit(2, 1, 1, 11min)}, {}, 0, {}, {},
              {}};
  EXPECT_EQ(r.partitioned(), 2U);
  EXPECT_EQ(r.worst_outage(), 11min);
  EXPECT_EQ(r.flows[1].fate(), Fate::Lost);
  EXPECT_EQ(to_string(r.flows[0].fate()), "partitioned");
  EXPECT_EQ(to_string(FlowHit{}.fate()), "never lost");
  EXPECT_EQ(SetResult{}.partitioned(), 0U);
  EXPECT_EQ(SetResult{}.worst_outage(), Duration{});
}

TEST(SweepResult, AllMetWhenEveryVerdictIs) {
  SweepResult r;
  EXPECT_TRUE(r.all_met());
  r.verdicts = {{true, ""}, {false, "location amsterdam partitions 2 flows"}};
  EXPECT_FALSE(r.all_met());
  r.verdicts[1].met = true;
  EXPECT_TRUE(r.all_met());
}

TEST(ElementKind, WordsReadBack) {
  for (const ElementKind kind :
       {ElementKind::Link, ElementKind::Router, ElementKind::Gateway, ElementKind::Location,
        ElementKind::Metro, ElementKind::Provider, ElementKind::Group}) {
    EXPECT_EQ(element_kind(to_string(kind)), kind);
  }
  EXPECT_EQ(to_string(ElementKind::Group), "srlg");
  EXPECT_EQ(element_kind("group"), std::nullopt);
}

TEST(Element, LabelIsKindWordAndName) {
  EXPECT_EQ((Element{ElementKind::Metro, "amsterdam", {}, {}, {}}).label(), "metro amsterdam");
  EXPECT_EQ((Element{ElementKind::Group, "ams-conduit-north", {}, {}, {}}).label(),
            "srlg ams-conduit-north");
}

}  // namespace
}  // namespace ersim::sweep
