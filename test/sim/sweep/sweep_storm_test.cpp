// The convergence storm of each failure set of a sweep: the sessions a shared device's failure
// takes down on the Standard design, the storm equal to a replay of the same failure, the
// largest first in the report's order, and the storm kept by the journal for --resume.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "sim/io/scenario_yaml.hpp"
#include "sim/io/sweep_journal.hpp"
#include "sim/io/topology_yaml.hpp"
#include "sim/report/metrics_report.hpp"
#include "sim/report/sweep_report.hpp"
#include "sim/scenario/runner.hpp"
#include "sim/sweep/failure_sets.hpp"
#include "sim/sweep/sweep_runner.hpp"

namespace ersim::sweep {
namespace {

using namespace std::chrono_literals;

struct Swept {
  topo::Topology topology;
  SweepPlan plan;
  SweepResult result;
};

const Swept& standard() {
  static const Swept swept = [] {
    Swept s{io::load_topology(std::string(ERSIM_SOURCE_DIR) + "/topologies/standard.yaml"), {}, {}};
    s.plan.base = io::default_scenario(s.topology, "sweep");
    s.plan.elements = sweep_elements(s.topology, s.plan.options);
    s.result = run_sweep(s.topology, s.plan, {});
    return s;
  }();
  return swept;
}

const SetResult& set_of(const SweepResult& r, const std::string& label) {
  const auto it = std::find_if(r.sets.begin(), r.sets.end(), [&](const SetResult& s) {
    return s.set.elements.size() == 1 && r.elements[s.set.elements[0]].label() == label;
  });
  EXPECT_NE(it, r.sets.end()) << label;
  return *it;
}

TEST(SweepStorm, SharedDevicesTakeTheirSessionsDown) {
  const SweepResult& r = standard().result;
  // An MSEE: its private peering session and its gateway leg.
  const scenario::Storm& msee = set_of(r, "router amsterdam-msee1").storm;
  EXPECT_EQ(msee.sessions_down, 2U);
  // No router has anyone to tell (no iBGP between the CEs; the gateway advertises only the
  // VNet): the storm is route changes without UPDATEs.
  EXPECT_EQ(msee.updates, 0U);
  EXPECT_GT(msee.route_changes, 0U);
  ASSERT_TRUE(msee.last_change.has_value());
  // The location: both MSEEs, every session of the circuit.
  const scenario::Storm& location = set_of(r, "location amsterdam").storm;
  EXPECT_EQ(location.sessions_down, 4U);
  EXPECT_GT(location.route_changes, msee.route_changes);
}

TEST(SweepStorm, IsWhatAReplayOfTheFailureGives) {
  const Swept& s = standard();
  scenario::Replayer replayer(s.topology, s.plan.base, s.plan.options.seed);
  for (std::uint32_t e = 0; e < s.result.elements.size(); ++e) {
    const FailureSet set{{e}};
    const scenario::Replayer::Played played = replayer.play(
        {failure_event(s.plan.elements, set, s.plan.options)}, kTimeZero + s.plan.options.horizon);
    EXPECT_EQ(played.storm, s.result.sets[e].storm) << s.result.elements[e].label();
  }
}

TEST(SweepStorm, LargestStormsFirst) {
  const SweepResult& r = standard().result;
  const std::vector<std::size_t> storms = report::largest_storms(r);
  ASSERT_FALSE(storms.empty());
  for (std::size_t i = 1; i < storms.size(); ++i) {
    EXPECT_GE(r.sets[storms[i - 1]].storm.updates, r.sets[storms[i]].storm.updates);
  }
  const std::string text = report::sweep_storms_text(r, false, 3);
  EXPECT_NE(text.find("Largest convergence storms (the top 3 of"), std::string::npos) << text;
  EXPECT_NE(text.find(report::set_label(r, r.sets[storms[0]].set)), std::string::npos);
}

TEST(SweepJournal, LineKeepsTheStorm) {
  SetResult set;
  set.set.elements = {3};
  set.engine_events = 42;
  set.storm = {4, 30, 44, 52, 903ms, 1204ms};
  SetResult back;
  ASSERT_TRUE(io::parse_journal_line(io::journal_line(set), back));
  EXPECT_EQ(back, set);
  set.storm.first_change.reset();
  set.storm.last_change.reset();
  ASSERT_TRUE(io::parse_journal_line(io::journal_line(set), back));
  EXPECT_EQ(back, set);
}

}  // namespace
}  // namespace ersim::sweep
