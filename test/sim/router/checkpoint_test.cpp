// Network::checkpoint and rollback: a failure run from a rolled-back network is the run a fresh
// network, converged the same way, makes — session changes, route changes with their times and
// gateway delays, the tables at the end — whatever ran before it, in any order. The same holds
// of a network copied from a converged one (Network::copy_converged).
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "sim/router/network.hpp"
#include "test/sim/router/network_lab.hpp"

namespace ersim::router {
namespace {

using namespace std::chrono_literals;
using testing::example_text;
using testing::Lab;

using Failure = std::function<void(Lab&)>;

// Every instance's Loc-RIB, best route and ECMP set per prefix, in prefix order, and what each
// instance has sent over each session: the state a rollback must bring back.
std::vector<std::string> tables(const Lab& lab) {
  std::vector<std::string> out;
  for (std::uint32_t i = 0; i < lab.net_.instance_count(); ++i) {
    const bgp::Rib& rib = lab.net_.rib(InstanceId{i});
    std::vector<std::string> lines;
    for (const bgp::LocRibEntry& entry : rib.loc_rib()) {
      std::string line = fmt::format("{} {}:", i, entry.prefix().to_string());
      for (const bgp::Route& r : entry.candidates()) {
        line += r.locally_originated() ? " local" : " " + lab.topology_.session(r.session).name;
      }
      lines.push_back(line + fmt::format(" ecmp {}", entry.multipath().size()));
    }
    std::sort(lines.begin(), lines.end());
    out.insert(out.end(), lines.begin(), lines.end());
  }
  for (std::uint32_t s = 0; s < lab.topology_.sessions().size(); ++s) {
    const topo::SessionId id{s};
    for (const bgp::Side side : {bgp::Side::A, bgp::Side::B}) {
      out.push_back(
          fmt::format("{} {} {} sent {}", lab.topology_.sessions()[s].name, to_string(side),
                      to_string(lab.net_.session_state(id, side)),
                      lab.net_.rib(lab.net_.end_instance(id, side)).adj_rib_out(id).size()));
    }
  }
  return out;
}

struct Observed {
  std::vector<std::string> trace;
  std::vector<std::string> tables;
  std::uint64_t route_changes = 0;
  friend bool operator==(const Observed&, const Observed&) = default;
};

// Applies the failure now and runs ten minutes: past the hold timer, connect retries and the
// gateway's reconvergence.
Observed observe(Lab& lab, const Failure& failure) {
  lab.trace_.clear();
  lab.routes_.clear();
  const std::uint64_t before = lab.net_.stats().route_changes;
  failure(lab);
  lab.run_for(10min);
  return {lab.full_trace(), tables(lab), lab.net_.stats().route_changes - before};
}

std::vector<std::pair<std::string, Failure>> failures() {
  return {
      {"silent primary link", [](Lab& l) { l.net_.fail_link(l.link("er-ams.primary")); }},
      {"carrier secondary link",
       [](Lab& l) { l.net_.fail_link(l.link("er-ams.secondary"), topo::FailureMode::Carrier); }},
      {"MSEE device",
       [](Lab& l) { l.net_.fail_router(l.router("ams-msee1"), RouterFailure::Device); }},
      {"CE process",
       [](Lab& l) { l.net_.fail_router(l.router("ams-ce1"), RouterFailure::Process); }},
      {"maintenance by prepend",
       [](Lab& l) { l.net_.drain_link(l.link("er-ams.primary"), DrainMethod::Prepend); }},
      {"maintenance by BGP disconnect",
       [](Lab& l) { l.net_.drain_link(l.link("er-ams.primary"), DrainMethod::Disconnect); }},
      {"policies: local preference and prepending",
       [](Lab& l) {
         // The CE's end of the primary: which end is the CE's depends on the session's order.
         const topo::SessionId primary = l.session("er-ams.private.primary");
         const bgp::Side ce = l.topology_.session(primary).a.router == l.router("ams-ce1")
                                  ? bgp::Side::A
                                  : bgp::Side::B;
         l.net_.set_local_preference(primary, ce, 50);
         l.net_.set_prepend(primary, ce, 3);
       }},
      {"location amsterdam",
       [](Lab& l) {
         const topo::Srlg& g = l.topology_.srlg(l.topology_.srlg_id("location:amsterdam").value());
         for (const topo::RouterId r : g.routers) {
           l.net_.fail_router(r, RouterFailure::Device);
         }
         for (const topo::LinkId k : g.links) {
           l.net_.fail_link(k);
         }
       }},
  };
}

// Each failure on a fresh network of the design, converged from a cold start with `seed`.
std::vector<Observed> fresh_runs(const std::string& yaml, std::uint64_t seed) {
  std::vector<Observed> fresh;
  for (const auto& [name, failure] : failures()) {
    Lab lab(yaml, seed);
    fresh.push_back(observe(lab, failure));
    EXPECT_GT(fresh.back().route_changes, 0U) << name;
  }
  return fresh;
}

TEST(Checkpoint, EachFailureFromARollbackIsTheFreshNetworksRun) {
  const std::string yaml = example_text("maximum.yaml");
  // The gateway's reconvergence delay draws from its sessions' streams: the rollback must put
  // them back too.
  const std::vector<Observed> fresh = fresh_runs(yaml, 3);
  Lab lab(yaml, 3);
  const SimTime converged = lab.engine_.now();
  const std::vector<std::string> baseline = tables(lab);
  const NetworkStats stats = lab.net_.stats();
  lab.net_.checkpoint();
  // Forward, then backward: what ran before must not matter.
  std::vector<std::size_t> order(fresh.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    order[i] = i;
  }
  for (int pass = 0; pass < 2; ++pass) {
    for (const std::size_t i : order) {
      EXPECT_EQ(observe(lab, failures()[i].second), fresh[i]) << failures()[i].first;
      lab.net_.rollback();
      EXPECT_EQ(lab.engine_.now(), converged);
      EXPECT_EQ(lab.engine_.pending_count(), 0U);
      EXPECT_EQ(tables(lab), baseline) << failures()[i].first;
      EXPECT_EQ(lab.net_.stats().route_changes, stats.route_changes);
      // The links and routers it failed or drained are back (a rollback puts back only those).
      for (std::uint32_t k = 0; k < lab.topology_.links().size(); ++k) {
        EXPECT_TRUE(lab.net_.link_up(topo::LinkId{k})) << failures()[i].first;
        EXPECT_FALSE(lab.net_.drained(topo::LinkId{k})) << failures()[i].first;
      }
      for (std::uint32_t r = 0; r < lab.topology_.routers().size(); ++r) {
        EXPECT_TRUE(lab.net_.router_up(topo::RouterId{r})) << failures()[i].first;
      }
    }
    std::reverse(order.begin(), order.end());
  }
}

// A sweep's workers copy one converged network: a failure on a copy is the run of a fresh
// network, and the copies leave the original as it was.
TEST(CopyConverged, EachFailureOnACopyIsTheFreshNetworksRun) {
  const std::string yaml = example_text("maximum.yaml");
  const std::vector<Observed> fresh = fresh_runs(yaml, 3);
  Lab original(yaml, 3);
  original.net_.freeze_attributes();
  const std::vector<std::string> baseline = tables(original);
  const std::size_t sets = original.net_.attributes().size();
  for (std::size_t i = 0; i < fresh.size(); ++i) {
    Lab copy(yaml, original, 3);
    EXPECT_EQ(copy.engine_.now(), original.engine_.now());
    EXPECT_EQ(copy.engine_.pending_count(), 0U);
    EXPECT_EQ(tables(copy), baseline);
    EXPECT_EQ(copy.net_.stats().route_changes, original.net_.stats().route_changes);
    EXPECT_EQ(copy.net_.attributes().size(), sets);
    // From the copy's own checkpoint, as a sweep's worker runs its sets, twice.
    copy.net_.checkpoint();
    EXPECT_EQ(observe(copy, failures()[i].second), fresh[i]) << failures()[i].first;
    copy.net_.rollback();
    EXPECT_EQ(tables(copy), baseline);
    EXPECT_EQ(observe(copy, failures()[i].second), fresh[i]) << failures()[i].first;
  }
  EXPECT_EQ(tables(original), baseline);
  EXPECT_EQ(original.net_.attributes().size(), sets);
  // The original, still at its converged state, runs the same as a fresh network too.
  EXPECT_EQ(observe(original, failures()[0].second), fresh[0]);
}

TEST(CopyConverged, NeedsAFrozenQuietNetworkAndANewOne) {
  const std::string yaml = example_text("standard.yaml");
  Lab original(yaml);
  // Not frozen: its attribute handles are not to be shared.
  EXPECT_THROW(Lab(yaml, original, 1), InternalError);
  original.net_.freeze_attributes();
  EXPECT_THROW(original.net_.freeze_attributes(), InternalError);
  Lab started(yaml);  // converged from a cold start of its own
  EXPECT_THROW(started.net_.copy_converged(original.net_), InternalError);
  original.net_.fail_link(original.link("er-ams.primary"), topo::FailureMode::Carrier);
  EXPECT_THROW(Lab(yaml, original, 1), InternalError);  // not quiet
  // Another design.
  EXPECT_THROW(Lab(example_text("maximum.yaml"), original, 1), InternalError);
}

TEST(Checkpoint, NeedsAQuietNetwork) {
  Lab lab(example_text("standard.yaml"));
  lab.net_.fail_link(lab.link("er-ams.primary"), topo::FailureMode::Carrier);
  EXPECT_THROW(lab.net_.checkpoint(), InternalError);
}

}  // namespace
}  // namespace ersim::router
