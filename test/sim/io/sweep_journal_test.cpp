// A sweep's journal gives back exactly the results written to it, loads and overloads
// included, and refuses lines it cannot read.
#include "sim/io/sweep_journal.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ersim::io {
namespace {

using namespace std::chrono_literals;

sweep::SetResult sample() {
  sweep::SetResult r;
  r.set.elements = {2, 5};
  r.flows = {{3, 1, 0, 812ms, 406ms, "BFD"}, {4, 0, 2, 10min, 10min, "hold timer"}};
  r.detours = {{3, {topo::LinkId{1}, topo::LinkId{7}}, {topo::RouterId{0}, topo::RouterId{9}}}};
  r.engine_events = 4242;
  const reach::Channel circuit{reach::Channel::Kind::Circuit, 1, true};
  const reach::Channel link{reach::Channel::Kind::Link, 7, false};
  r.busiest = reach::ChannelPeak{circuit, 500'000'000, 600'000'000, kTimeZero + 668ms};
  r.overloads = {{circuit,
                  500'000'000,
                  600'000'000,
                  kTimeZero + 668ms,
                  kTimeZero + 10min,
                  true,
                  kTimeZero + 668ms,
                  {4, 3}},
                 {link,
                  1'000'000'000,
                  1'200'000'000,
                  kTimeZero + 1s,
                  kTimeZero + 2s,
                  false,
                  kTimeZero + 1s,
                  {3}}};
  return r;
}

TEST(SweepJournal, ALineGivesBackTheSetItWasWrittenFrom) {
  for (const sweep::SetResult& written : {sample(), sweep::SetResult{}}) {
    sweep::SetResult read;
    ASSERT_TRUE(parse_journal_line(journal_line(written), read)) << journal_line(written);
    EXPECT_EQ(read, written);
  }
}

TEST(SweepJournal, ALineWithoutLoadsHasNoneOfTheirKeys) {
  sweep::SetResult r = sample();
  r.busiest.reset();
  r.overloads.clear();
  const std::string line = journal_line(r);
  EXPECT_EQ(line.find("busiest"), std::string::npos);
  EXPECT_EQ(line.find("overloads"), std::string::npos);
}

TEST(SweepJournal, ACutOrMalformedLineIsRefused) {
  const std::string line = journal_line(sample());
  sweep::SetResult read;
  EXPECT_FALSE(parse_journal_line(line.substr(0, line.size() / 2), read));
  EXPECT_FALSE(parse_journal_line("{\"set\": [1]}", read));
  std::string bad = line;
  bad.replace(bad.find(R"("busiest":[)"), 11, R"("busiest":["x",)");
  EXPECT_FALSE(parse_journal_line(bad, read));
}

}  // namespace
}  // namespace ersim::io
