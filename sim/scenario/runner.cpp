#include "sim/scenario/runner.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "core/assert.hpp"
#include "core/engine.hpp"
#include "core/random.hpp"
#include "sim/bgp/messages.hpp"
#include "sim/reach/capacity.hpp"
#include "sim/topo/rate.hpp"

namespace ersim::scenario {

using bgp::Side;
using reach::Outcome;

double seconds(Duration duration) { return static_cast<double>(duration.count()) / 1e9; }

std::string time_text(SimTime at) { return fmt::format("{:.3f}s", seconds(at - kTimeZero)); }

std::string duration_text(Duration duration) {
  return duration < 1s ? fmt::format("{:.1f}ms", seconds(duration) * 1e3)
                       : fmt::format("{:.3f}s", seconds(duration));
}

std::string_view to_string(LogEntry::Kind kind) {
  switch (kind) {
    case LogEntry::Kind::Event:
      return "event";
    case LogEntry::Kind::Session:
      return "session";
    case LogEntry::Kind::Route:
      return "route";
    case LogEntry::Kind::Flow:
      return "flow";
  }
  return "?";
}

bool ScenarioResult::all_met() const {
  return std::all_of(expectations.begin(), expectations.end(),
                     [](const Verdict& v) { return v.met; });
}

namespace {

/// A session going down, as its end saw it.
struct Down {
  SimTime at{};  ///< scenario time
  topo::SessionId session;
  topo::RouterId router;  ///< the end that saw it
  bgp::StateReason reason = bgp::StateReason::ManualStart;
  std::optional<bgp::NotificationMessage> notification;
};

/// How a session end learnt that the path was gone, as a word for the cause chain; nullptr for
/// a change that detects nothing (the dead router's own view of its sessions).
const char* detection_word(const Down& down) {
  using R = bgp::StateReason;
  switch (down.reason) {
    case R::CarrierLost:
      return "carrier";
    case R::BfdDown:
      return "BFD";
    case R::HoldTimerExpired:
      return "hold timer";
    case R::MaxPrefixExceeded:
      return "max-prefix";
    case R::AdministrativeShutdown:
      return "maintenance";
    case R::PeerClosed:
    case R::TcpFailed:
      return "TCP close";
    case R::NotificationReceived:
      if (down.notification && down.notification->code == bgp::NotificationCode::Cease) {
        if (down.notification->subcode == bgp::kCeaseMaximumPrefixes) {
          return "max-prefix";
        }
        if (down.notification->subcode == bgp::kCeaseAdministrativeShutdown) {
          return "maintenance";
        }
      }
      if (down.notification && down.notification->code == bgp::NotificationCode::HoldTimerExpired) {
        return "hold timer";
      }
      return "notification";
    default:
      return nullptr;
  }
}

std::string instance_name(const router::Network& net, router::InstanceId instance,
                          const topo::Topology& topology) {
  return topology.router(net.instance_router(instance)).name;
}

/// The state of one run while it goes.
class Run {
 public:
  Run(const topo::Topology& topology, const Scenario& scenario, std::uint64_t seed, bool keep_log)
      : topology_(topology),
        scenario_(scenario),
        streams_(seed),
        net_(engine_, streams_, topology, scenario.options),
        keep_log_(keep_log) {
    result_.seed = seed;
  }

  /// The cold start until quiet, which is scenario time 0, and every flow watched from there.
  void prepare() {
    net_.start();
    converge();
    watch();
  }

  /// As prepare(), from a copy of `converged`'s network (a run of the same topology, scenario
  /// and seed, quiet, its attributes frozen) instead of a cold start.
  void prepare_from(const Run& converged) {
    ERSIM_ASSERT(converged.result_.seed == result_.seed, "a run copies a run of the same seed");
    net_.copy_converged(converged.net_);
    watch();
  }

  /// Freezes the network's attribute table: other runs may copy this one (prepare_from).
  void freeze() { net_.freeze_attributes(); }

  /// Scenario time 0 is now: every flow is watched from here.
  void watch() {
    origin_ = engine_.now();
    baseline_stats_ = net_.stats();
    baseline_events_ = engine_.executed_count();
    result_.converged_after = origin_ - kTimeZero;
    std::vector<reach::FlowSpec> specs;
    for (const Flow& flow : scenario_.flows) {
      specs.push_back(spec(flow.source, flow.destination, flow.dscp));
    }
    // The return traffic of the flows a Symmetric expectation checks.
    for (const Expectation& e : scenario_.expectations) {
      if (e.kind == ExpectationKind::Symmetric) {
        const Flow& flow = scenario_.flows.at(e.flow);
        ERSIM_ASSERT(flow.reply_source.has_value(), "a symmetric flow without a return path");
        reply_of_.emplace_back(e.flow, specs.size());
        specs.push_back(spec(*flow.reply_source, flow.source.address, flow.dscp));
      }
    }
    monitor_ = std::make_unique<reach::FlowMonitor>(engine_, net_, std::move(specs));
    metrics_ = std::make_unique<MetricsRecorder>(engine_, net_, topology_);
    net_.on_session_change([this](const router::SessionEvent& e) { session_changed(e); });
    net_.on_route_change([this](const router::RouteEvent& e) { route_changed(e); });
    monitor_->start();
  }

  RunResult go() {
    prepare();
    schedule_events();
    for (std::size_t i = 0; i < scenario_.expectations.size(); ++i) {
      const Expectation& e = scenario_.expectations[i];
      if (e.kind == ExpectationKind::SessionStateAt) {
        const SimTime at = std::min(e.at, scenario_.until);
        engine_.schedule_at(origin_ + (at - kTimeZero), [this, i, e] {
          sampled_states_.emplace_back(i, net_.session_state(e.session, Side::A));
        });
      }
    }
    engine_.run_until(origin_ + (scenario_.until - kTimeZero));
    monitor_->finish();
    result_.end = scenario_.until;
    for (std::size_t f = 0; f < scenario_.flows.size(); ++f) {
      result_.flows.push_back(flow_run(to_scenario_time(monitor_->timeline(f))));
    }
    for (const auto& [flow, reply] : reply_of_) {
      replies_.emplace(reply, to_scenario_time(monitor_->timeline(reply)));
    }
    result_.capacity = loads();
    for (std::size_t i = 0; i < scenario_.expectations.size(); ++i) {
      result_.expectations.push_back(judge(i));
    }
    if (keep_log_) {
      log_flows();
    }
    result_.stats = cost();
    result_.engine_events = engine_.executed_count() - baseline_events_;
    result_.metrics = metrics_->finish(scenario_.events);
    return std::move(result_);
  }

  /// The loads of the flows with a rate, over the whole run.
  [[nodiscard]] reach::LoadReport loads() const {
    std::vector<std::uint64_t> rates;
    for (const Flow& flow : scenario_.flows) {
      rates.push_back(flow.rate_bps);
    }
    reach::LoadTracker tracker(topology_, std::move(rates));
    if (!tracker.carries_traffic()) {
      return {};
    }
    std::vector<const reach::Trace*> baseline;
    std::vector<reach::FlowTimeline> timelines;
    for (std::size_t f = 0; f < result_.flows.size(); ++f) {
      baseline.push_back(&result_.flows[f].timeline.front().trace);
      timelines.push_back({static_cast<std::uint32_t>(f), result_.flows[f].timeline});
    }
    tracker.set_baseline(baseline);
    return tracker.analyse(timelines, scenario_.until, reach::Scope::Whole);
  }

  /// Failure sweeps: keeps the prepared network to come back to after each play().
  void checkpoint() {
    net_.checkpoint();
    monitor_->checkpoint();
  }

  /// Plays the scenario's events (as they are now) from the checkpoint until its `until`, and
  /// puts everything back: only the flows whose timeline changed are returned.
  Replayer::Played play() {
    metrics_->restart();
    schedule_events();
    const SimTime end = origin_ + (scenario_.until - kTimeZero);
    engine_.run_until(end);
    monitor_->flush();
    Replayer::Played played;
    std::vector<std::size_t> changed = monitor_->changed();
    std::sort(changed.begin(), changed.end());
    for (const std::size_t f : changed) {
      if (f >= scenario_.flows.size()) {
        continue;  // a return flow
      }
      std::vector<reach::Interval> timeline = to_scenario_time(monitor_->timeline(f));
      timeline.back().end = scenario_.until;
      played.flows.emplace_back(f, flow_run(std::move(timeline)));
    }
    played.stats = cost();
    played.engine_events = engine_.executed_count() - baseline_events_;
    played.storm = metrics_->storm();
    net_.rollback();
    monitor_->rollback();
    downs_.clear();
    // Released, not cleared: clear() keeps the bucket array a heavy set grew (a peering location's
    // tens of thousands of sessions) and zeroes all of it again after every later set.
    decltype(downs_of_)().swap(downs_of_);
    last_change_ = {};
    baseline_events_ = engine_.executed_count();
    return played;
  }

  [[nodiscard]] const reach::FlowMonitor& monitor() const { return *monitor_; }

  /// Why the prepared network is not quiet, if it is not: something is still pending.
  [[nodiscard]] std::optional<std::string> not_quiet() const {
    if (engine_.pending_count() == 0) {
      return std::nullopt;
    }
    for (std::uint32_t s = 0; s < topology_.sessions().size(); ++s) {
      for (const Side side : {Side::A, Side::B}) {
        const bgp::SessionState state = net_.session_state(topo::SessionId{s}, side);
        if (state != bgp::SessionState::Established) {
          return fmt::format(
              "the network is not quiet after its cold start: session {} is {} at {}",
              topology_.sessions()[s].name, bgp::to_string(state),
              topology_
                  .router((side == Side::A ? topology_.sessions()[s].a : topology_.sessions()[s].b)
                              .router)
                  .name);
        }
      }
    }
    return "the network is not quiet after its cold start: it never stops sending (keepalives "
           "or BFD packets simulated one by one?)";
  }

 private:
  void schedule_events() {
    for (std::size_t i = 0; i < scenario_.events.size(); ++i) {
      engine_.schedule_at(origin_ + (scenario_.events[i].at - kTimeZero), [this, i] { apply(i); });
    }
  }

  /// What the run cost since scenario time 0, without the cold start.
  [[nodiscard]] router::NetworkStats cost() const {
    const router::NetworkStats& now = net_.stats();
    const router::NetworkStats& base = baseline_stats_;
    return {now.updates_sent - base.updates_sent,
            now.prefixes_sent - base.prefixes_sent,
            now.route_changes - base.route_changes,
            now.routes_rejected - base.routes_rejected,
            now.max_prefix_recounts - base.max_prefix_recounts,
            now.gateway_reconvergence_batches - base.gateway_reconvergence_batches};
  }

  // The cold start: whole seconds until nothing is pending or, with packets simulated (never
  // quiet), until every session is Established and a second passes without a route change; ten
  // minutes at most (a session that never comes up).
  void converge() {
    constexpr Duration kLimit = 10min;
    const bool packets = scenario_.options.bgp_mode != bgp::BgpTimerMode::Quiet ||
                         scenario_.options.bfd_mode != bfd::BfdMode::Quiet;
    std::uint64_t changes = ~std::uint64_t{0};
    while (engine_.now() - kTimeZero < kLimit && engine_.pending_count() > 0) {
      engine_.run_until(engine_.now() + 1s);
      const bool settled = changes == net_.stats().route_changes;
      changes = net_.stats().route_changes;
      if (packets && settled && all_established()) {
        break;
      }
    }
  }

  [[nodiscard]] bool all_established() const {
    for (std::uint32_t s = 0; s < topology_.sessions().size(); ++s) {
      if (net_.session_state(topo::SessionId{s}, Side::A) != bgp::SessionState::Established) {
        return false;
      }
    }
    return true;
  }

  static reach::FlowSpec spec(const Endpoint& source, Ipv4Address destination,
                              std::optional<std::uint8_t> dscp) {
    return {source.routers, source.vrf, destination,
            reach::flow_hash(source.address, destination, dscp)};
  }

  [[nodiscard]] SimTime scenario_time() const { return kTimeZero + (engine_.now() - origin_); }

  void log(LogEntry::Kind kind, std::string text, const nlohmann::ordered_json& fields) {
    if (!keep_log_) {
      return;
    }
    const SimTime at = scenario_time();
    nlohmann::ordered_json line;
    line["t"] = seconds(at - kTimeZero);
    line["kind"] = to_string(kind);
    line.update(fields);
    result_.log.push_back(LogEntry{at, kind, std::move(text), std::move(line)});
  }

  void apply(std::size_t index) {
    const Event& e = scenario_.events[index];
    log(LogEntry::Kind::Event, e.text, {{"event", e.text}});
    metrics_->event_begins(index);
    switch (e.action) {
      case Action::FailLink:
      case Action::FailRouter:
        for (const topo::RouterId r : e.routers) {
          if (net_.router_up(r)) {
            net_.fail_router(r, e.router_failure);
          }
        }
        for (const topo::LinkId l : e.links) {
          if (net_.link_up(l)) {
            net_.fail_link(l, e.mode.value_or(topology_.link(l).failure));
          }
        }
        break;
      case Action::RestoreLink:
      case Action::RestoreRouter:
        for (const topo::LinkId l : e.links) {
          if (!net_.link_up(l)) {
            net_.restore_link(l);
          }
        }
        for (const topo::RouterId r : e.routers) {
          if (!net_.router_up(r)) {
            net_.restore_router(r);
          }
        }
        break;
      case Action::Drain:
        for (const topo::LinkId l : e.links) {
          net_.drain_link(l, e.drain_method);
        }
        break;
      case Action::Undrain:
        for (const topo::LinkId l : e.links) {
          net_.undrain_link(l);
        }
        break;
      case Action::Advertise:
        for (const Ipv4Prefix& p : e.prefixes) {
          net_.advertise(e.router, e.vrf, p);
        }
        break;
      case Action::Withdraw:
        for (const Ipv4Prefix& p : e.prefixes) {
          net_.withdraw(e.router, e.vrf, p);
        }
        break;
      case Action::SetLocalPreference:
        net_.set_local_preference(e.session, e.side, e.value);
        break;
      case Action::SetPrepend:
        net_.set_prepend(e.session, e.side, e.value);
        break;
      case Action::SetConnectionWeight:
        net_.set_connection_weight(e.vnet, e.circuit, static_cast<std::uint16_t>(e.value));
        break;
    }
    monitor_->topology_changed(e.links, e.routers);
  }

  void session_changed(const router::SessionEvent& e) {
    const SimTime at = scenario_time();
    const bgp::StateChange& c = e.change;
    if (c.from == bgp::SessionState::Established) {
      const topo::Session& s = topology_.session(e.session);
      downs_of_[e.session.value].push_back(downs_.size());
      downs_.push_back(
          Down{at, e.session, (c.side == Side::A ? s.a : s.b).router, c.reason, c.notification});
    }
    last_change_ = at;
    if (!keep_log_) {
      return;
    }
    const topo::Session& s = topology_.session(e.session);
    const topo::SessionEnd& end = c.side == Side::A ? s.a : s.b;
    const std::string& router = topology_.router(end.router).name;
    std::string text =
        fmt::format("session {} at {}: {} -> {} ({})", s.name, router, bgp::to_string(c.from),
                    bgp::to_string(c.to), bgp::to_string(c.reason));
    nlohmann::ordered_json fields{{"session", s.name},
                                  {"router", router},
                                  {"from", bgp::to_string(c.from)},
                                  {"to", bgp::to_string(c.to)},
                                  {"reason", bgp::to_string(c.reason)}};
    if (c.notification) {
      fields["notification"] = bgp::to_string(*c.notification);
      text += fmt::format(", notification {}", bgp::to_string(*c.notification));
    }
    log(LogEntry::Kind::Session, std::move(text), fields);
  }

  void route_changed(const router::RouteEvent& e) {
    last_change_ = scenario_time();
    if (!keep_log_) {
      return;
    }
    const router::InstanceId instance = e.instance;
    const std::string router = instance_name(net_, instance, topology_);
    const bgp::LocRibEntry* entry = net_.rib(instance).find(e.prefix);
    std::string best = "none";
    if (entry != nullptr) {
      const bgp::Route& r = entry->best();
      best = r.locally_originated() ? "local" : topology_.session(r.session).name;
    }
    std::string text = fmt::format("route {} at {}: {}, best via {}", e.prefix.to_string(), router,
                                   bgp::to_string(e.change), best);
    nlohmann::ordered_json fields{{"router", router},
                                  {"prefix", e.prefix.to_string()},
                                  {"change", bgp::to_string(e.change)},
                                  {"best", best}};
    if (e.gateway_reconvergence > Duration::zero()) {
      fields["gateway_reconvergence_s"] = seconds(e.gateway_reconvergence);
      text +=
          fmt::format(" (after gateway reconvergence {})", duration_text(e.gateway_reconvergence));
    }
    log(LogEntry::Kind::Route, std::move(text), fields);
  }

  [[nodiscard]] std::vector<reach::Interval> to_scenario_time(
      const std::vector<reach::Interval>& timeline) const {
    std::vector<reach::Interval> out = timeline;
    for (reach::Interval& i : out) {
      i.start = kTimeZero + (i.start - origin_);
      i.end = kTimeZero + (i.end - origin_);
    }
    return out;
  }

  /// A flow's outages and their causes, from its timeline in scenario time.
  FlowRun flow_run(std::vector<reach::Interval> timeline) const {
    FlowRun run;
    run.timeline = std::move(timeline);
    const std::vector<reach::Interval>& t = run.timeline;
    for (std::size_t i = 0; i < t.size();) {
      if (t[i].delivered()) {
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j < t.size() && !t[j].delivered()) {
        ++j;
      }
      Outage outage;
      outage.start = t[i].start;
      outage.end = t[j - 1].end;
      outage.outcome = t[i].trace.outcome;
      outage.where = reach::path_text(topology_, t[i].trace);
      outage.open = j == t.size();
      const reach::Interval* before = i > 0 ? &t[i - 1] : nullptr;
      const reach::Interval* after = j < t.size() ? &t[j] : nullptr;
      outage.cause = cause(outage, t[i].trace, before, after);
      run.total_outage += outage.duration();
      run.longest_outage = std::max(run.longest_outage, outage.duration());
      run.outages.push_back(std::move(outage));
      i = j;
    }
    return run;
  }

  /// `lost`: the trace at the first moment of the outage; `before` and `after`: the intervals
  /// around it, if any.
  Cause cause(const Outage& outage, const reach::Trace& lost, const reach::Interval* before,
              const reach::Interval* after) const {
    Cause c;
    for (std::size_t e = 0; e < scenario_.events.size(); ++e) {
      if (scenario_.events[e].at <= outage.start) {
        c.event = e;
      }
    }
    const SimTime since = c.event ? scenario_.events[*c.event].at : kTimeZero;
    // The session end that noticed, looking in order of relevance: the router that sent the
    // packets into the failure, over the session it was following (its detection ends the
    // outage); any end of a session the flow followed before; any end at all. Within a rank,
    // the first to notice.
    const bool lost_on_the_way =
        (lost.outcome == Outcome::LinkDown || lost.outcome == Outcome::RouterDown) &&
        !lost.sessions.empty();
    const std::optional<topo::RouterId> sender =
        !lost_on_the_way ? std::nullopt
        : lost.outcome == Outcome::LinkDown
            ? std::optional(lost.routers.back())
            : std::optional(lost.routers.at(lost.routers.size() - 2));
    // The first end that noticed in the window, of a session if given, that `pred` accepts
    // (downs_ and each session's list are in time order).
    const auto noticed = [&](const Down& d) {
      return d.at >= since && d.at <= outage.end && detection_word(d) != nullptr;
    };
    const auto first_of = [&](topo::SessionId session, auto pred) -> const Down* {
      const auto it = downs_of_.find(session.value);
      if (it != downs_of_.end()) {
        for (const std::size_t i : it->second) {
          if (noticed(downs_[i]) && pred(downs_[i])) {
            return &downs_[i];
          }
        }
      }
      return nullptr;
    };
    const Down* detected = nullptr;
    if (lost_on_the_way) {
      detected = first_of(lost.sessions.back(), [&](const Down& d) { return d.router == *sender; });
    }
    if (detected == nullptr && before != nullptr) {
      for (const topo::SessionId s : before->trace.sessions) {
        const Down* d = first_of(s, [](const Down&) { return true; });
        if (d != nullptr && (detected == nullptr || d < detected)) {
          detected = d;
        }
      }
    }
    if (detected == nullptr) {
      auto it = std::lower_bound(downs_.begin(), downs_.end(), since,
                                 [](const Down& d, SimTime t) { return d.at < t; });
      for (; it != downs_.end() && it->at <= outage.end; ++it) {
        if (noticed(*it)) {
          detected = &*it;
          break;
        }
      }
    }
    const Duration duration = outage.duration();
    if (detected != nullptr) {
      c.detection = detection_word(*detected);
      // On a carrier loss both ends' BFD goes down at once, and takes BGP with it (RFC 5882):
      // the interface told them, not a BFD timeout.
      if (detected->reason == bgp::StateReason::BfdDown && c.event && detected->at == since &&
          carrier_lost(scenario_.events[*c.event], detected->session)) {
        c.detection = "carrier";
      }
      c.detection_time = std::clamp(detected->at - outage.start, Duration::zero(), duration);
    }
    if (after != nullptr) {
      c.gateway_reconvergence = std::min(after->gateway_reconvergence, duration - c.detection_time);
    }
    c.propagation = duration - c.detection_time - c.gateway_reconvergence;
    return c;
  }

  /// Whether the event took the session's link down by carrier loss.
  [[nodiscard]] bool carrier_lost(const Event& event, topo::SessionId session) const {
    const topo::LinkId link = topology_.session(session).link;
    if (std::find(event.links.begin(), event.links.end(), link) == event.links.end() ||
        (event.action != Action::FailLink && event.action != Action::FailRouter)) {
      return false;
    }
    return event.mode.value_or(topology_.link(link).failure) == topo::FailureMode::Carrier;
  }

  Verdict judge(std::size_t index) const {
    const Expectation& e = scenario_.expectations[index];
    switch (e.kind) {
      case ExpectationKind::TotalOutageAtMost: {
        const Duration total = result_.flows.at(e.flow).total_outage;
        return {total <= e.bound, fmt::format("total outage {}", duration_text(total))};
      }
      case ExpectationKind::LongestOutageAtMost: {
        const Duration longest = result_.flows.at(e.flow).longest_outage;
        return {longest <= e.bound, fmt::format("longest outage {}", duration_text(longest))};
      }
      case ExpectationKind::NeverUnreachable: {
        const FlowRun& f = result_.flows.at(e.flow);
        if (f.outages.empty()) {
          return {true, "always delivered"};
        }
        return {false, fmt::format("{} outage(s), the first at {} ({})", f.outages.size(),
                                   time_text(f.outages.front().start),
                                   reach::to_string(f.outages.front().outcome))};
      }
      case ExpectationKind::Uses:
        return judge_uses(e);
      case ExpectationKind::SessionStateAt: {
        for (const auto& [i, state] : sampled_states_) {
          if (i == index) {
            return {state == e.state, fmt::format("{}", bgp::to_string(state))};
          }
        }
        return {false, "not sampled"};
      }
      case ExpectationKind::QuietBy:
        return {last_change_ <= e.at,
                last_change_ == kTimeZero
                    ? std::string("no change")
                    : fmt::format("last change at {}", time_text(last_change_))};
      case ExpectationKind::Symmetric:
        return judge_symmetric(index);
      case ExpectationKind::MaxUtilization:
        return judge_utilization(e);
    }
    return {false, "?"};
  }

  [[nodiscard]] Verdict judge_utilization(const Expectation& e) const {
    const std::vector<reach::ChannelPeak>& peaks = result_.capacity.peaks;
    if (peaks.empty()) {
      return {true, "no link or circuit with a capacity carries traffic"};
    }
    const reach::ChannelPeak& top = peaks.front();
    return {top.utilization() <= e.utilization,
            fmt::format("peak {} on {} at {}", percent_text(top.utilization()),
                        reach::channel_label(topology_, top.channel), time_text(top.at))};
  }

  [[nodiscard]] bool uses(const reach::Trace& trace, const UsesTarget& target) const {
    switch (target.kind) {
      case UsesTarget::Kind::Circuit:
        return trace.circuit == target.circuit;
      case UsesTarget::Kind::Link:
        return std::find(trace.links.begin(), trace.links.end(), *target.link) != trace.links.end();
      case UsesTarget::Kind::Location:
        return std::any_of(trace.routers.begin(), trace.routers.end(), [&](topo::RouterId r) {
          const topo::Router& router = topology_.router(r);
          return router.role == topo::RouterRole::Msee && router.location == target.name;
        });
    }
    return false;
  }

  Verdict judge_uses(const Expectation& e) const {
    const SimTime to = std::min(e.to, result_.end);
    for (const reach::Interval& i : result_.flows.at(e.flow).timeline) {
      if (i.end <= e.from || i.start >= to || (i.start == i.end)) {
        continue;
      }
      if (!i.delivered()) {
        return {false, fmt::format("{} at {}", reach::to_string(i.trace.outcome),
                                   time_text(std::max(i.start, e.from)))};
      }
      if (!uses(i.trace, e.uses)) {
        return {false, fmt::format("at {} it takes {}", time_text(std::max(i.start, e.from)),
                                   reach::path_text(topology_, i.trace))};
      }
    }
    return {true, "throughout"};
  }

  Verdict judge_symmetric(std::size_t index) const {
    const Expectation& e = scenario_.expectations[index];
    const std::vector<reach::Interval>& forward = result_.flows.at(e.flow).timeline;
    const std::vector<reach::Interval>* back = nullptr;
    for (const auto& [flow, reply] : reply_of_) {
      if (flow == e.flow) {
        back = &replies_.at(reply);
        break;
      }
    }
    ERSIM_ASSERT(back != nullptr, "a symmetric flow whose return was not watched");
    const SimTime to = std::min(e.to, result_.end);
    for (const reach::Interval& f : forward) {
      for (const reach::Interval& b : *back) {
        const SimTime from = std::max({f.start, b.start, e.from});
        const SimTime until = std::min({f.end, b.end, to});
        if (from >= until || !f.delivered() || !b.delivered() ||
            f.trace.circuit == b.trace.circuit) {
          continue;
        }
        const auto name = [&](const std::optional<topo::CircuitId>& c) {
          return c ? topology_.circuit(*c).name : std::string("no circuit");
        };
        return {false, fmt::format("asymmetric from {}: forward over {}, return over {}",
                                   time_text(from), name(f.trace.circuit), name(b.trace.circuit))};
      }
    }
    return {true, "same circuit both ways"};
  }

  void log_flows() {
    std::vector<LogEntry> flows;
    for (std::size_t f = 0; f < scenario_.flows.size(); ++f) {
      const std::string& name = scenario_.flows[f].name;
      for (const reach::Interval& i : result_.flows[f].timeline) {
        nlohmann::ordered_json line;
        line["t"] = seconds(i.start - kTimeZero);
        line["kind"] = "flow";
        line["flow"] = name;
        line["outcome"] = reach::to_string(i.trace.outcome);
        line["path"] = reach::path_text(topology_, i.trace);
        std::string circuit;
        if (i.trace.circuit) {
          circuit = topology_.circuit(*i.trace.circuit).name;
          line["circuit"] = circuit;
        }
        std::string text =
            i.delivered()
                ? fmt::format("flow {}: delivered via {}{}", name,
                              reach::path_text(topology_, i.trace),
                              circuit.empty() ? "" : fmt::format(" (circuit {})", circuit))
                : fmt::format("flow {}: {} at {}", name, reach::to_string(i.trace.outcome),
                              reach::path_text(topology_, i.trace));
        flows.push_back(LogEntry{i.start, LogEntry::Kind::Flow, std::move(text), std::move(line)});
      }
    }
    // Flow changes follow what caused them at the same instant.
    std::vector<LogEntry>& log = result_.log;
    log.insert(log.end(), std::make_move_iterator(flows.begin()),
               std::make_move_iterator(flows.end()));
    std::stable_sort(log.begin(), log.end(),
                     [](const LogEntry& a, const LogEntry& b) { return a.at < b.at; });
  }

  const topo::Topology& topology_;
  const Scenario& scenario_;
  Engine engine_;
  RandomStreams streams_;
  router::Network net_;
  bool keep_log_;
  std::unique_ptr<reach::FlowMonitor> monitor_;
  std::unique_ptr<MetricsRecorder> metrics_;
  SimTime origin_{};
  router::NetworkStats baseline_stats_;
  std::uint64_t baseline_events_ = 0;
  RunResult result_;
  std::vector<Down> downs_;  ///< in time order
  /// Indices into downs_ by session, in time order.
  std::unordered_map<std::uint32_t, std::vector<std::size_t>> downs_of_;
  SimTime last_change_{};
  std::vector<std::pair<std::size_t, bgp::SessionState>> sampled_states_;
  std::vector<std::pair<std::size_t, std::size_t>> reply_of_;  ///< (flow, monitored reply)
  std::map<std::size_t, std::vector<reach::Interval>> replies_;
};

/// What a Replayer keeps of its base scenario: the flows and options.
Scenario without_events(Scenario base) {
  base.events.clear();
  base.expectations.clear();
  return base;
}

}  // namespace

struct Replayer::Impl {
  Impl(const topo::Topology& topology, Scenario base, std::uint64_t seed)
      : scenario(std::move(base)), run(topology, scenario, seed, false) {}
  Scenario scenario;
  Run run;
};

Replayer::Replayer(const topo::Topology& topology, Scenario base, std::uint64_t seed)
    : impl_(std::make_unique<Impl>(topology, without_events(std::move(base)), seed)) {
  impl_->run.prepare();
  if (const std::optional<std::string> why = impl_->run.not_quiet()) {
    throw NotQuiet(*why);
  }
  impl_->run.freeze();
  impl_->run.checkpoint();
}

Replayer::Replayer(const topo::Topology& topology, Scenario base, std::uint64_t seed,
                   const std::shared_future<const Replayer*>& converged)
    : impl_(std::make_unique<Impl>(topology, without_events(std::move(base)), seed)) {
  impl_->run.prepare_from(converged.get()->impl_->run);
  impl_->run.checkpoint();
}

Replayer::~Replayer() = default;

Replayer::Played Replayer::play(std::vector<Event> events, SimTime until) {
  impl_->scenario.events = std::move(events);
  impl_->scenario.until = until;
  return impl_->run.play();
}

const reach::Trace& Replayer::baseline(std::size_t flow) const {
  return impl_->run.monitor().timeline(flow).back().trace;
}

RunResult run_once(const topo::Topology& topology, const Scenario& scenario, std::uint64_t seed,
                   bool keep_log) {
  Run run(topology, scenario, seed, keep_log);
  return run.go();
}

ScenarioResult run_scenario(const topo::Topology& topology, const Scenario& scenario,
                            const RunOptions& options) {
  ScenarioResult result;
  result.runs.resize(scenario.runs);
  const unsigned threads = std::max(1U, std::min(options.threads, scenario.runs));
  if (threads == 1) {
    for (std::uint32_t i = 0; i < scenario.runs; ++i) {
      result.runs[i] = run_once(topology, scenario, scenario.seed + i, i == 0);
    }
  } else {
    boost::asio::thread_pool pool(threads);
    std::mutex failure_mutex;
    std::exception_ptr failure;
    for (std::uint32_t i = 0; i < scenario.runs; ++i) {
      boost::asio::post(pool, [&, i] {
        try {
          result.runs[i] = run_once(topology, scenario, scenario.seed + i, i == 0);
        } catch (...) {
          const std::lock_guard lock(failure_mutex);
          if (!failure) {
            failure = std::current_exception();
          }
        }
      });
    }
    pool.join();
    if (failure) {
      std::rethrow_exception(failure);
    }
  }
  for (std::size_t e = 0; e < scenario.expectations.size(); ++e) {
    Verdict verdict{true, result.runs.front().expectations.at(e).detail};
    for (const RunResult& run : result.runs) {
      if (!run.expectations.at(e).met) {
        verdict = {false, scenario.runs == 1 ? run.expectations.at(e).detail
                                             : fmt::format("seed {}: {}", run.seed,
                                                           run.expectations.at(e).detail)};
        break;
      }
    }
    result.expectations.push_back(std::move(verdict));
  }
  return result;
}

}  // namespace ersim::scenario
