#include "sim/scenario/metrics.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

#include "core/assert.hpp"

namespace ersim::scenario {

using bgp::Side;

namespace {

std::optional<Duration> later(const std::optional<Duration>& a, const std::optional<Duration>& b) {
  if (!a) {
    return b;
  }
  if (!b) {
    return a;
  }
  return std::max(*a, *b);
}

const topo::SessionEnd& end_of(const topo::Session& s, Side side) {
  return side == Side::A ? s.a : s.b;
}

}  // namespace

Storm largest(const Storm& a, const Storm& b) {
  return {std::max(a.sessions_down, b.sessions_down), std::max(a.updates, b.updates),
          std::max(a.prefixes, b.prefixes),           std::max(a.route_changes, b.route_changes),
          later(a.first_change, b.first_change),      later(a.last_change, b.last_change)};
}

bool PrefixHeadroom::tight() const {
  return static_cast<double>(headroom()) < kTightHeadroom * static_cast<double>(limit);
}

bool fails_shared_device(const topo::Topology& topology, const Event& event) {
  if (event.action != Action::FailLink && event.action != Action::FailRouter) {
    return false;
  }
  return std::any_of(event.routers.begin(), event.routers.end(), [&](topo::RouterId r) {
    const topo::RouterRole role = topology.router(r).role;
    return role == topo::RouterRole::Msee || role == topo::RouterRole::Pe;
  });
}

MetricsRecorder::MetricsRecorder(const Engine& engine, router::Network& net,
                                 const topo::Topology& topology)
    : engine_(engine),
      net_(net),
      topology_(topology),
      cold_start_(net.last_route_change() - kTimeZero),
      stats_at_origin_(net.stats()),
      routers_at_origin_(net.router_stats()) {
  net.on_route_change([this](const router::RouteEvent& e) {
    if (windows_.empty()) {
      return;
    }
    Window& w = windows_.back();
    if (!w.first_change) {
      w.first_change = e.at;
    }
    w.last_change = e.at;
  });
  net.on_session_change([this](const router::SessionEvent& e) {
    if (e.change.from != bgp::SessionState::Established) {
      return;
    }
    down_ends_.push_back(end_of(topology_.session(e.session), e.change.side).router);
    if (!windows_.empty()) {
      windows_.back().sessions_down.push_back(e.session.value);
    }
  });
}

void MetricsRecorder::event_begins(std::size_t index) {
  const SimTime now = engine_.now();
  if (windows_.empty() || windows_.back().start != now) {
    windows_.push_back(Window{{}, now, net_.stats(), {}, std::nullopt, std::nullopt});
  }
  windows_.back().events.push_back(index);
}

void MetricsRecorder::restart() {
  windows_.clear();
  down_ends_.clear();
}

Storm MetricsRecorder::storm_of(const Window& w, const router::NetworkStats& at_end) {
  Storm s;
  std::vector<std::uint32_t> sessions = w.sessions_down;
  std::sort(sessions.begin(), sessions.end());
  s.sessions_down =
      static_cast<std::uint32_t>(std::unique(sessions.begin(), sessions.end()) - sessions.begin());
  s.updates = at_end.updates_sent - w.stats_at_start.updates_sent;
  s.prefixes = at_end.prefixes_sent - w.stats_at_start.prefixes_sent;
  s.route_changes = at_end.route_changes - w.stats_at_start.route_changes;
  if (w.first_change) {
    s.first_change = *w.first_change - w.start;
    s.last_change = *w.last_change - w.start;
  }
  return s;
}

Storm MetricsRecorder::storm() const {
  if (windows_.empty()) {
    return {};
  }
  Window all{{}, windows_.front().start, windows_.front().stats_at_start, {}, {}, {}};
  for (const Window& w : windows_) {
    all.sessions_down.insert(all.sessions_down.end(), w.sessions_down.begin(),
                             w.sessions_down.end());
    if (!all.first_change) {
      all.first_change = w.first_change;
    }
    if (w.last_change) {
      all.last_change = w.last_change;
    }
  }
  return storm_of(all, net_.stats());
}

RunMetrics MetricsRecorder::finish(const std::vector<Event>& events) const {
  RunMetrics m;
  m.cold_start_last_change = cold_start_;
  // Each window ends where the next begins, the last at the end of the run.
  m.events.resize(events.size());
  for (std::size_t i = 0; i < windows_.size(); ++i) {
    const router::NetworkStats at_end =
        i + 1 < windows_.size() ? windows_[i + 1].stats_at_start : net_.stats();
    const Storm storm = storm_of(windows_[i], at_end);
    for (const std::size_t e : windows_[i].events) {
      ERSIM_ASSERT(e < m.events.size(), "metrics: an event beyond the scenario's");
      m.events[e] = storm;
    }
  }

  // Churn since scenario time 0.
  const std::vector<router::RouterStats> now = net_.router_stats();
  std::vector<std::uint32_t> downs(now.size(), 0);
  for (const topo::RouterId r : down_ends_) {
    ++downs[r.value];
  }
  m.churn.reserve(now.size());
  for (std::uint32_t r = 0; r < now.size(); ++r) {
    const router::RouterStats& a = now[r];
    const router::RouterStats& b = routers_at_origin_.at(r);
    m.churn.push_back(
        {topo::RouterId{r},
         {a.updates_sent - b.updates_sent, a.updates_received - b.updates_received,
          a.prefixes_sent - b.prefixes_sent, a.prefixes_received - b.prefixes_received,
          a.route_changes - b.route_changes},
         downs[r]});
  }
  std::stable_sort(m.churn.begin(), m.churn.end(), [](const RouterChurn& x, const RouterChurn& y) {
    return std::make_tuple(x.messages(), x.stats.route_changes) >
           std::make_tuple(y.messages(), y.stats.route_changes);
  });

  // Tables: each instance's own routes and what each neighbour sent it.
  m.tables.resize(net_.instance_count());
  for (std::uint32_t i = 0; i < net_.instance_count(); ++i) {
    const router::InstanceId id{i};
    const bgp::Rib& rib = net_.rib(id);
    m.tables[i] = {id, net_.instance_router(id), "", rib.local_routes().size(), rib.size()};
  }
  for (std::uint32_t s = 0; s < topology_.sessions().size(); ++s) {
    const topo::Session& session = topology_.sessions()[s];
    for (const Side side : {Side::A, Side::B}) {
      const router::InstanceId id = net_.end_instance(topo::SessionId{s}, side);
      TableSize& t = m.tables[id.value];
      t.rib_routes += net_.rib(id).adj_rib_in(topo::SessionId{s}).size();
      t.vrf = end_of(session, side).vrf;
      const std::optional<std::uint32_t> limit = end_of(session, side).policy.max_prefix;
      if (!limit) {
        continue;
      }
      const auto received =
          static_cast<std::uint64_t>(net_.rib(id).adj_rib_in(topo::SessionId{s}).size());
      m.headroom.push_back({topo::SessionId{s}, side, end_of(session, side).router, *limit,
                            received,
                            std::max(received, net_.peak_received(topo::SessionId{s}, side)),
                            net_.held_for_max_prefix(topo::SessionId{s}, side)});
    }
  }
  std::stable_sort(m.tables.begin(), m.tables.end(), [](const TableSize& x, const TableSize& y) {
    return x.rib_routes > y.rib_routes;
  });
  // The least headroom relative to the limit first: h1 / l1 < h2 / l2, in integers.
  std::stable_sort(m.headroom.begin(), m.headroom.end(),
                   [](const PrefixHeadroom& x, const PrefixHeadroom& y) {
                     return x.headroom() * static_cast<std::int64_t>(y.limit) <
                            y.headroom() * static_cast<std::int64_t>(x.limit);
                   });
  return m;
}

}  // namespace ersim::scenario
