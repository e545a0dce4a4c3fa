#include "sim/bgp/session.hpp"

#include <algorithm>
#include <utility>

#include "core/assert.hpp"

namespace ersim::bgp {

using std::chrono::seconds;

namespace {

// RFC 4271 §8.2.2 (OpenSent): "sets the HoldTimer to a large value ... A HoldTimer value of 4
// minutes is suggested."
constexpr Duration kOpenSentHold = std::chrono::minutes(4);
constexpr std::int64_t kMaxHoldSeconds = 65535;

}  // namespace

std::string_view to_string(SessionState state) {
  switch (state) {
    case SessionState::Idle:
      return "Idle";
    case SessionState::Connect:
      return "Connect";
    case SessionState::Active:
      return "Active";
    case SessionState::OpenSent:
      return "OpenSent";
    case SessionState::OpenConfirm:
      return "OpenConfirm";
    case SessionState::Established:
      return "Established";
  }
  return "unknown state";
}

std::string_view to_string(Side side) { return side == Side::A ? "A" : "B"; }

std::string_view to_string(StateReason reason) {
  switch (reason) {
    case StateReason::ManualStart:
      return "manual start";
    case StateReason::AutomaticStart:
      return "automatic start";
    case StateReason::IdleHoldExpired:
      return "idle hold timer expired";
    case StateReason::MaxPrefixCleared:
      return "maximum prefixes cleared";
    case StateReason::Restarted:
      return "restarted";
    case StateReason::ConnectRetry:
      return "connect retry";
    case StateReason::TcpEstablished:
      return "TCP connection established";
    case StateReason::TcpFailed:
      return "TCP connection failed";
    case StateReason::OpenReceived:
      return "OPEN received";
    case StateReason::KeepaliveReceived:
      return "KEEPALIVE received";
    case StateReason::HoldTimerExpired:
      return "hold timer expired";
    case StateReason::PeerClosed:
      return "peer closed connection";
    case StateReason::NotificationReceived:
      return "NOTIFICATION received";
    case StateReason::UnacceptableHoldTime:
      return "unacceptable hold time";
    case StateReason::FsmError:
      return "finite state machine error";
    case StateReason::AdministrativeShutdown:
      return "administrative shutdown";
    case StateReason::MaxPrefixExceeded:
      return "maximum prefixes exceeded";
    case StateReason::CarrierLost:
      return "carrier lost";
    case StateReason::BfdDown:
      return "BFD down";
    case StateReason::ProcessFailed:
      return "routing process failed";
    case StateReason::DeviceFailed:
      return "device failed";
  }
  return "unknown reason";
}

std::string_view to_string(BgpTimerMode mode) {
  return mode == BgpTimerMode::Quiet ? "quiet" : "packet";
}

BgpSession::BgpSession(Engine& engine, const RandomStreams& streams, std::uint64_t stream_id,
                       const SessionConfig& config)
    : engine_(engine),
      rng_(streams.stream(stream_id)),
      config_(config),
      a_(Side::A),
      b_(Side::B),
      timers_(engine,
              [this](std::size_t t) {
                wake();
                End& e = t < kTimersPerEnd ? a_ : b_;
                switch (static_cast<TimerKind>(t % kTimersPerEnd)) {
                  case TimerKind::ConnectRetry:
                    on_connect_retry_timer_expired(e);
                    break;
                  case TimerKind::Hold:
                    on_hold_timer_expired(e);
                    break;
                  case TimerKind::Keepalive:
                    on_keepalive_timer_expired(e);
                    break;
                  case TimerKind::IdleHold:
                    on_idle_hold_timer_expired(e);
                    break;
                }
                settle();
              }),
      to_b_(engine, config_.latency,
            [this](Segment segment) {
              wake();
              receive(b_, std::move(segment));
              settle();
            }),
      to_a_(engine, config_.latency, [this](Segment segment) {
        wake();
        receive(a_, std::move(segment));
        settle();
      }) {}

void BgpSession::on_state_change(StateChangeFn fn) { state_subscribers_.push_back(std::move(fn)); }

void BgpSession::on_update(UpdateFn fn) { update_subscribers_.push_back(std::move(fn)); }

void BgpSession::on_segment(SegmentFn fn) {
  wake();
  if (!segment_subscribers_) {
    segment_subscribers_ = std::make_unique<std::vector<SegmentFn>>();
  }
  segment_subscribers_->push_back(std::move(fn));
}

BgpSession::Checkpoint BgpSession::checkpoint() const {
  for (const End* e : {&a_, &b_}) {
    ERSIM_ASSERT(!timers_.armed(timer(*e, TimerKind::ConnectRetry)) &&
                     !timers_.armed(timer(*e, TimerKind::Hold)) &&
                     !timers_.armed(timer(*e, TimerKind::Keepalive)) &&
                     !timers_.armed(timer(*e, TimerKind::IdleHold)),
                 "checkpoint of a BGP session with a timer armed");
  }
  ERSIM_ASSERT(to_a_.queued() == 0 && to_b_.queued() == 0,
               "checkpoint of a BGP session with segments in flight");
  ERSIM_ASSERT(dormant_retry_ == kTimeMax, "checkpoint of a BGP session with a retry due");
  Checkpoint saved(rng_);
  saved.path_up_ = path_up_;
  saved.next_connection_ = next_connection_;
  saved.a_ = static_cast<const EndState&>(a_);  // the state, without the timers
  saved.b_ = static_cast<const EndState&>(b_);
  saved.to_b_up_ = to_b_.up();
  saved.to_a_up_ = to_a_.up();
  return saved;
}

void BgpSession::rollback(const Checkpoint& saved) {
  timers_.forget_all();  // the engine was rewound first
  dormant_retry_ = kTimeMax;
  rng_ = saved.rng_;
  path_up_ = saved.path_up_;
  next_connection_ = saved.next_connection_;
  static_cast<EndState&>(a_) = saved.a_;
  static_cast<EndState&>(b_) = saved.b_;
  to_b_.reset(saved.to_b_up_);
  to_a_.reset(saved.to_a_up_);
}

bool BgpSession::established() const {
  return a_.state == SessionState::Established && b_.state == SessionState::Established;
}

std::optional<Duration> BgpSession::negotiated_hold() const {
  return a_.negotiated_hold ? a_.negotiated_hold : b_.negotiated_hold;
}

std::optional<Duration> BgpSession::keepalive_interval(Side side) const {
  return end(side).keepalive;
}

// ---- The one function that changes an end's state (BIRD's bgp_conn_set_state). ----

void BgpSession::enter(End& e, SessionState to, StateReason reason,
                       std::optional<NotificationMessage> notification) {
  ERSIM_ASSERT(e.state != to, "a state change to the same state");
  const StateChange change{.at = engine_.now(),
                           .side = e.side,
                           .from = e.state,
                           .to = to,
                           .reason = reason,
                           .notification = notification};
  e.state = to;
  e.last_reason = reason;
  if (to == SessionState::Idle) {
    e.down_reason = reason;
  }
  if (to == SessionState::Established) {
    e.established_at = engine_.now();
  }
  // By index: a subscriber may subscribe another.
  // NOLINTNEXTLINE(modernize-loop-convert)
  for (std::size_t i = 0; i < state_subscribers_.size(); ++i) {
    state_subscribers_[i](change);
  }
}

// ---- Inputs from the network layer. ----

void BgpSession::start() {
  wake();
  for (End* e : {&a_, &b_}) {
    e->admin_down = false;
    if (e->state == SessionState::Idle && may_start(*e)) {
      start_connecting(*e, StateReason::ManualStart);
    }
  }
  settle();
}

void BgpSession::admin_stop(Side side) {
  wake();
  End& e = end(side);
  e.admin_down = true;
  if (e.state != SessionState::Idle) {
    // §8.2.2, Event 2 (ManualStop): Connect and Active drop the TCP connection; OpenSent,
    // OpenConfirm and Established first send a NOTIFICATION with a Cease (RFC 4486 subcode 2).
    std::optional<NotificationMessage> cease;
    if (e.state >= SessionState::OpenSent) {
      cease = NotificationMessage{NotificationCode::Cease, kCeaseAdministrativeShutdown};
    }
    drop(e, StateReason::AdministrativeShutdown, cease);
  }
  settle();
}

void BgpSession::admin_start(Side side) {
  wake();
  End& e = end(side);
  e.admin_down = false;
  if (e.state == SessionState::Idle && may_start(e)) {
    start_connecting(e, StateReason::ManualStart);
  }
  settle();
}

void BgpSession::max_prefix_exceeded(Side side) {
  wake();
  End& e = end(side);
  if (e.state != SessionState::Established) {
    return;
  }
  e.max_prefix_held = true;
  if (const auto& restart = config(e).max_prefix_restart) {
    timers_.rearm(timer(e, TimerKind::IdleHold), *restart);
  }
  // RFC 4486 §4: Cease, subcode 1, "Maximum Number of Prefixes Reached".
  drop(e, StateReason::MaxPrefixExceeded,
       NotificationMessage{NotificationCode::Cease, kCeaseMaximumPrefixes});
  settle();
}

void BgpSession::max_prefix_cleared(Side side) {
  wake();
  End& e = end(side);
  if (!e.max_prefix_held) {
    return;
  }
  e.max_prefix_held = false;
  timers_.cancel(timer(e, TimerKind::IdleHold));
  if (e.state == SessionState::Idle && may_start(e)) {
    start_connecting(e, StateReason::MaxPrefixCleared);
  }
  settle();
}

void BgpSession::path_failed(topo::FailureMode mode) {
  wake();
  path_up_ = false;
  to_a_.path_down();
  to_b_.path_down();
  if (mode == topo::FailureMode::Carrier) {
    // Both interfaces go down together and the kernel aborts the connection: nothing is sent,
    // nothing in flight arrives, and each end sees TcpConnectionFails (Event 18) now.
    to_a_.clear();
    to_b_.clear();
    for (End* e : {&a_, &b_}) {
      if (e->connection != 0) {
        e->connection = 0;
        go_idle(*e, StateReason::CarrierLost, std::nullopt);
      }
    }
  }
  settle();
}

void BgpSession::path_restored() {
  wake();
  path_up_ = true;
  to_a_.path_up();
  to_b_.path_up();
  settle();
}

void BgpSession::process_failed(Side side) {
  wake();
  End& e = end(side);
  if (!e.process_up) {
    return;
  }
  e.process_up = false;
  timers_.cancel(timer(e, TimerKind::IdleHold));
  if (e.state != SessionState::Idle) {
    // The box stays up, so its kernel closes the socket: the peer sees the FIN one latency later.
    go_idle(e, StateReason::ProcessFailed, std::nullopt);
  }
  settle();
}

void BgpSession::device_failed(Side side) {
  wake();
  End& e = end(side);
  if (!e.device_up) {
    return;
  }
  e.device_up = false;
  e.process_up = false;
  // The box's TCP state dies with it: nothing it queued is retransmitted, nothing sent to it is
  // acknowledged, and no FIN or RST leaves it.
  e.connection = 0;
  to_a_.clear();
  to_b_.clear();
  stop_timers(e);
  timers_.cancel(timer(e, TimerKind::IdleHold));
  if (e.state != SessionState::Idle) {
    enter(e, SessionState::Idle, StateReason::DeviceFailed);
  }
  settle();
}

void BgpSession::restarted(Side side) {
  wake();
  End& e = end(side);
  if (e.device_up && e.process_up) {
    return;
  }
  e.device_up = true;
  e.process_up = true;
  if (e.state == SessionState::Idle && may_start(e)) {
    start_connecting(e, StateReason::Restarted);
  }
  settle();
}

void BgpSession::bfd_down(Side side) {
  wake();
  End& e = end(side);
  // RFC 5882 §4.3: BFD down means the path is gone; the session goes down without waiting for
  // its hold timer. Before the OPEN exchange there is no session to take down.
  if (e.state >= SessionState::OpenSent) {
    drop(e, StateReason::BfdDown, std::nullopt);
  }
  settle();
}

bool BgpSession::send_update(Side from, UpdateMessage update) {
  wake();
  End& e = end(from);
  if (e.state != SessionState::Established) {
    return false;
  }
  send_message(e, std::move(update));
  // §8.2.2 (Established): "Each time the local system sends a KEEPALIVE or UPDATE message, it
  // restarts its KeepaliveTimer, unless the negotiated HoldTime value is zero."
  if (config_.mode == BgpTimerMode::Packet) {
    arm_keepalive_timer(e);
  }
  return true;
}

void BgpSession::inject(Side to, BgpMessage message) {
  wake();
  End& e = end(to);
  std::visit(
      [&](auto&& m) {
        receive(e, {.connection = e.connection, .payload = std::forward<decltype(m)>(m)});
      },
      std::move(message));
  settle();
}

// ---- Timer handlers. ----

void BgpSession::on_connect_retry_timer_expired(End& e) {
  switch (e.state) {
    case SessionState::Connect:
      // §8.2.2 Connect, Event 9: drops the TCP connection, restarts the ConnectRetryTimer,
      // initiates a new TCP connection, stays in Connect.
      close_connection(e);
      timers_.rearm(timer(e, TimerKind::ConnectRetry), draw_connect_retry(e));
      initiate_tcp(e, engine_.now());
      return;
    case SessionState::Active:
      // §8.2.2 Active, Event 9: restarts the ConnectRetryTimer, initiates a TCP connection,
      // changes to Connect.
      timers_.rearm(timer(e, TimerKind::ConnectRetry), draw_connect_retry(e));
      initiate_tcp(e, engine_.now());
      enter(e, SessionState::Connect, StateReason::ConnectRetry);
      return;
    default:
      ERSIM_ASSERT(false, "ConnectRetryTimer running after the TCP connection came up");
  }
}

void BgpSession::on_hold_timer_expired(End& e) {
  // §8.2.2 OpenSent, OpenConfirm and Established, Event 10: send a NOTIFICATION with the error
  // code Hold Timer Expired, drop the connection, go to Idle (§6.5).
  ERSIM_ASSERT(e.state >= SessionState::OpenSent, "HoldTimer running before OpenSent");
  drop(e, StateReason::HoldTimerExpired, NotificationMessage{NotificationCode::HoldTimerExpired});
}

void BgpSession::on_keepalive_timer_expired(End& e) {
  // §8.2.2 OpenConfirm and Established, Event 11: send a KEEPALIVE, restart the timer. A quiet
  // Established session sends this one keepalive only to find out whether its peer still knows
  // the connection (settle()), so it does not restart the timer.
  ERSIM_ASSERT(e.state >= SessionState::OpenConfirm, "KeepaliveTimer running before OpenConfirm");
  send_message(e, KeepaliveMessage{});
  if (config_.mode == BgpTimerMode::Packet || e.state == SessionState::OpenConfirm) {
    arm_keepalive_timer(e);
  }
}

void BgpSession::on_idle_hold_timer_expired(End& e) {
  e.max_prefix_held = false;
  if (e.state == SessionState::Idle && may_start(e)) {
    start_connecting(e, StateReason::IdleHoldExpired);
  }
}

// ---- Segments arriving. ----

void BgpSession::receive(End& e, Segment segment) {
  if (!e.device_up) {
    return;  // a dead box hears nothing and answers nothing
  }
  if (std::holds_alternative<TcpSyn>(segment.payload)) {
    on_syn(e, segment.connection);
    return;
  }
  if (e.connection == 0 || segment.connection != e.connection) {
    // RFC 793: a segment for a connection this end does not have draws a reset; a reset draws
    // nothing. This is how a peer that restarted tells a stale session it is gone.
    if (!std::holds_alternative<TcpClose>(segment.payload)) {
      send(e, {.connection = segment.connection, .payload = TcpClose{}});
    }
    return;
  }
  std::visit(
      [&](auto& payload) {
        using T = std::decay_t<decltype(payload)>;
        if constexpr (std::is_same_v<T, TcpSynAck>) {
          on_syn_ack(e);
        } else if constexpr (std::is_same_v<T, TcpClose>) {
          on_tcp_close(e);
        } else if constexpr (std::is_same_v<T, OpenMessage>) {
          on_open(e, payload);
        } else if constexpr (std::is_same_v<T, KeepaliveMessage>) {
          on_keepalive(e);
        } else if constexpr (std::is_same_v<T, UpdateMessage>) {
          on_update_message(e, std::move(payload));
        } else if constexpr (std::is_same_v<T, NotificationMessage>) {
          on_notification(e, payload);
        }
      },
      segment.payload);
}

void BgpSession::on_syn(End& e, std::uint64_t connection) {
  // Only a listening end takes a connection (§8.2.2 Idle refuses them; a dead process has no
  // listener): anything else answers with a reset.
  if (e.side != Side::B || !e.process_up || e.state != SessionState::Active || e.connection != 0) {
    send(e, {.connection = connection, .payload = TcpClose{}});
    return;
  }
  // §8.2.2 Active, Event 17 (TcpConnectionConfirmed): stop the ConnectRetryTimer, send an OPEN,
  // set the HoldTimer to a large value, change to OpenSent.
  e.connection = connection;
  timers_.cancel(timer(e, TimerKind::ConnectRetry));
  send(e, {.connection = connection, .payload = TcpSynAck{}});
  send_open(e);
  timers_.rearm(timer(e, TimerKind::Hold), kOpenSentHold);
  enter(e, SessionState::OpenSent, StateReason::TcpEstablished);
}

void BgpSession::on_syn_ack(End& e) {
  if (e.state != SessionState::Connect) {
    return;
  }
  // §8.2.2 Connect, Event 16 (Tcp_CR_Acked): stop the ConnectRetryTimer, send an OPEN, set the
  // HoldTimer to a large value, change to OpenSent.
  timers_.cancel(timer(e, TimerKind::ConnectRetry));
  send_open(e);
  timers_.rearm(timer(e, TimerKind::Hold), kOpenSentHold);
  enter(e, SessionState::OpenSent, StateReason::TcpEstablished);
}

void BgpSession::on_tcp_close(End& e) {
  e.connection = 0;  // closed by the peer: nothing to close or reset from this end
  switch (e.state) {
    case SessionState::Connect:
      // §8.2.2 Connect, Event 18: restart the ConnectRetryTimer, keep listening, change to
      // Active (the RFC's DelayOpen branch; without it a refused connection would go to Idle
      // and start again at once, which is how real speakers behave only with a back-off).
    case SessionState::OpenSent:
      // §8.2.2 OpenSent, Event 18: close the connection, restart the ConnectRetryTimer,
      // continue to listen, change to Active.
      timers_.cancel(timer(e, TimerKind::Hold));
      if (e.side == Side::A) {
        timers_.rearm(timer(e, TimerKind::ConnectRetry), draw_connect_retry(e));
      }
      enter(e, SessionState::Active, StateReason::TcpFailed);
      return;
    case SessionState::OpenConfirm:
    case SessionState::Established:
      // §8.2.2 OpenConfirm and Established, Event 18: go to Idle.
      go_idle(e, StateReason::PeerClosed, std::nullopt);
      return;
    default:
      return;
  }
}

void BgpSession::on_open(End& e, const OpenMessage& open) {
  if (e.state != SessionState::OpenSent) {
    fsm_error(e);
    return;
  }
  // §6.2: "The Hold Time MUST be either zero or at least three seconds. An implementation MAY
  // reject connections on the basis of the Hold Time." A hold time of 1 or 2 s is refused with
  // OPEN Message Error / Unacceptable Hold Time; the end waits a connect-retry interval before
  // it tries again, so a misconfigured pair does not spin.
  if (open.hold_time_s == 1 || open.hold_time_s == 2) {
    timers_.rearm(
        timer(e, TimerKind::IdleHold),
        config(e).jitter.draw(JitteredTimer::ConnectRetry, config(e).connect_retry, rng_));
    drop(e, StateReason::UnacceptableHoldTime,
         NotificationMessage{NotificationCode::OpenMessageError, kUnacceptableHoldTime});
    return;
  }
  // §4.2: the session uses the smaller of its own and the peer's hold time; §10: keepalive a
  // third of it, unless configured lower.
  const std::int64_t own_s = std::clamp<std::int64_t>(
      std::chrono::duration_cast<seconds>(config(e).timers.hold).count(), 0, kMaxHoldSeconds);
  const Duration hold = seconds(std::min<std::int64_t>(own_s, open.hold_time_s));
  e.negotiated_hold = hold;
  const Duration configured = config(e).timers.keepalive;
  e.keepalive = configured > Duration::zero() ? std::min(configured, hold / 3) : hold / 3;
  // §8.2.2 OpenSent, Event 19: send a KEEPALIVE, set the KeepaliveTimer and the HoldTimer to the
  // negotiated values (none when the hold time is zero), change to OpenConfirm.
  send_message(e, KeepaliveMessage{});
  if (hold > Duration::zero()) {
    restart_hold_timer(e, hold);
    arm_keepalive_timer(e);
  } else {
    timers_.cancel(timer(e, TimerKind::Hold));
  }
  enter(e, SessionState::OpenConfirm, StateReason::OpenReceived);
}

void BgpSession::on_keepalive(End& e) {
  switch (e.state) {
    case SessionState::OpenConfirm:
      // §8.2.2 OpenConfirm, Event 26: restart the HoldTimer, change to Established. A quiet
      // session stops both timers instead: settle() arms the hold timer when the path goes
      // silent.
      if (config_.mode == BgpTimerMode::Quiet || *e.negotiated_hold == Duration::zero()) {
        timers_.cancel(timer(e, TimerKind::Hold));
        timers_.cancel(timer(e, TimerKind::Keepalive));
      } else {
        restart_hold_timer(e, *e.negotiated_hold);
      }
      enter(e, SessionState::Established, StateReason::KeepaliveReceived);
      return;
    case SessionState::Established:
      // §8.2.2 Established, Event 26: restart the HoldTimer (if the negotiated hold is not 0).
      if (config_.mode == BgpTimerMode::Packet && *e.negotiated_hold > Duration::zero()) {
        restart_hold_timer(e, *e.negotiated_hold);
      }
      return;
    default:
      fsm_error(e);  // §8.2.2 OpenSent, Event 26: an FSM error
      return;
  }
}

void BgpSession::on_update_message(End& e, UpdateMessage update) {
  if (e.state != SessionState::Established) {
    fsm_error(e);  // §8.2.2 OpenSent and OpenConfirm, Event 27: an FSM error
    return;
  }
  // §8.2.2 Established, Event 27: restart the HoldTimer, process the UPDATE.
  if (config_.mode == BgpTimerMode::Packet && *e.negotiated_hold > Duration::zero()) {
    restart_hold_timer(e, *e.negotiated_hold);
  }
  // By index, as a subscriber may subscribe another; each but the last gets a copy, the last
  // the message itself.
  for (std::size_t i = 0; i + 1 < update_subscribers_.size(); ++i) {
    update_subscribers_[i](e.side, update);
  }
  if (!update_subscribers_.empty()) {
    update_subscribers_.back()(e.side, std::move(update));
  }
}

void BgpSession::on_notification(End& e, const NotificationMessage& notification) {
  // §8.2.2, Events 24 and 25: a NOTIFICATION drops the connection and the end goes to Idle.
  e.connection = 0;
  go_idle(e, StateReason::NotificationReceived, notification);
}

// ---- Actions. ----

void BgpSession::start_connecting(End& e, StateReason reason) {
  ERSIM_ASSERT(e.state == SessionState::Idle, "starting an end that is not Idle");
  if (e.side == Side::A) {
    // §8.2.2 Idle, Events 1 and 3: start the ConnectRetryTimer, initiate a TCP connection,
    // change to Connect.
    timers_.rearm(timer(e, TimerKind::ConnectRetry), draw_connect_retry(e));
    initiate_tcp(e, engine_.now());
    enter(e, SessionState::Connect, reason);
  } else {
    // §8.2.2 Idle, Events 4 and 5 (passive TCP establishment): listen, change to Active. B never
    // initiates a connection, so it has nothing to retry and runs no ConnectRetryTimer.
    enter(e, SessionState::Active, reason);
  }
}

void BgpSession::initiate_tcp(End& e, SimTime at) {
  e.connection = next_connection_++;
  send(e, {.connection = e.connection, .payload = TcpSyn{}}, at);
}

Duration BgpSession::draw_connect_retry(const End& e) {
  return config(e).jitter.draw(JitteredTimer::ConnectRetry, config(e).connect_retry, rng_);
}

void BgpSession::send(End& e, Segment segment, SimTime at) {
  if (segment_subscribers_) {
    std::vector<SegmentFn>& subscribers = *segment_subscribers_;
    // NOLINTNEXTLINE(modernize-loop-convert): by index, a subscriber may subscribe another
    for (std::size_t i = 0; i < subscribers.size(); ++i) {
      subscribers[i](e.side, segment);
    }
  }
  pipe_from(e).send_at(std::move(segment), at);
}

void BgpSession::send_message(End& e, BgpMessage message) {
  ERSIM_ASSERT(e.connection != 0, "a BGP message without a connection");
  std::visit(
      [this, &e](auto&& m) {
        send(e, {.connection = e.connection, .payload = std::forward<decltype(m)>(m)});
      },
      std::move(message));
}

void BgpSession::send_open(End& e) {
  const SpeakerConfig& c = config(e);
  const std::int64_t hold_s = std::clamp<std::int64_t>(
      std::chrono::duration_cast<seconds>(c.timers.hold).count(), 0, kMaxHoldSeconds);
  send_message(e, OpenMessage{.my_as = c.asn,
                              .hold_time_s = static_cast<std::uint16_t>(hold_s),
                              .bgp_identifier = c.router_id});
}

void BgpSession::close_connection(End& e, SimTime at) {
  if (e.connection == 0) {
    return;
  }
  const std::uint64_t connection = e.connection;
  e.connection = 0;
  // A SYN still waiting for the path goes with its socket: the peer never heard of it.
  if (e.state == SessionState::Connect && pipe_from(e).withdraw_syn(connection)) {
    return;
  }
  send(e, {.connection = connection, .payload = TcpClose{}}, at);
}

void BgpSession::stop_timers(End& e) {
  timers_.cancel(timer(e, TimerKind::ConnectRetry));
  timers_.cancel(timer(e, TimerKind::Hold));
  timers_.cancel(timer(e, TimerKind::Keepalive));
}

void BgpSession::drop(End& e, StateReason reason, std::optional<NotificationMessage> notification) {
  if (notification && e.connection != 0) {
    send_message(e, *notification);
  }
  go_idle(e, reason, notification);
}

void BgpSession::go_idle(End& e, StateReason reason,
                         std::optional<NotificationMessage> notification) {
  close_connection(e);
  stop_timers(e);
  enter(e, SessionState::Idle, reason, notification);
  automatic_start(e);
}

void BgpSession::fsm_error(End& e) {
  // §6.6: an event the state does not expect is a Finite State Machine Error, which OpenSent,
  // OpenConfirm and Established send as a NOTIFICATION. §8.2.2 Connect, "any other event
  // (Events 8, 10-11, 13, 19, 23, 25-28)": drop the TCP connection and go to Idle, without a
  // NOTIFICATION, as the connection is not up at this end yet (no SYN-ACK).
  std::optional<NotificationMessage> notification;
  if (e.state >= SessionState::OpenSent) {
    notification = NotificationMessage{NotificationCode::FiniteStateMachineError};
  }
  drop(e, StateReason::FsmError, notification);
}

void BgpSession::automatic_start(End& e) {
  // §8.1.1 AllowAutomaticStart: a speaker starts again by itself after the session drops,
  // unless an operator, a max-prefix limit or an idle hold keeps it down.
  if (e.state == SessionState::Idle && may_start(e)) {
    start_connecting(e, StateReason::AutomaticStart);
  }
}

bool BgpSession::may_start(const End& e) const {
  return e.device_up && e.process_up && !e.admin_down && !e.max_prefix_held &&
         !timers_.armed(timer(e, TimerKind::IdleHold));
}

void BgpSession::arm_keepalive_timer(End& e) {
  if (e.keepalive && *e.keepalive > Duration::zero()) {
    timers_.rearm(timer(e, TimerKind::Keepalive),
                  config(e).jitter.draw(JitteredTimer::Keepalive, *e.keepalive, rng_));
  }
}

void BgpSession::restart_hold_timer(End& e, Duration hold) {
  timers_.rearm(timer(e, TimerKind::Hold), config(e).jitter.draw(JitteredTimer::Hold, hold, rng_));
}

// ---- Quiet steady state (DESIGN §3). ----

void BgpSession::settle() {
  settle(a_);
  settle(b_);
  rest();
}

bool BgpSession::hears_keepalives(const End& e) const {
  const End& p = e.side == Side::A ? b_ : a_;
  return path_up_ && p.device_up && p.connection == e.connection &&
         p.state >= SessionState::OpenConfirm;
}

void BgpSession::settle(End& e) {
  if (config_.mode != BgpTimerMode::Quiet || e.state != SessionState::Established ||
      *e.negotiated_hold == Duration::zero()) {
    return;
  }
  if (hears_keepalives(e)) {
    // The silence ended before the hold timer fired: the peer's keepalives arrive again.
    timers_.cancel(timer(e, TimerKind::Hold));
    timers_.cancel(timer(e, TimerKind::Keepalive));
    return;
  }
  if (!timers_.armed(timer(e, TimerKind::Hold))) {
    // §6.5: the hold timer runs from the last KEEPALIVE or UPDATE received.
    const Duration hold = config(e).jitter.draw(JitteredTimer::Hold, *e.negotiated_hold, rng_);
    timers_.arm_at(timer(e, TimerKind::Hold),
                   std::max(draw_last_keepalive(e) + hold, engine_.now()));
  }
  const End& p = e.side == Side::A ? b_ : a_;
  if (path_up_ && p.device_up && !timers_.armed(timer(e, TimerKind::Keepalive))) {
    // The peer is reachable but no longer on this connection (it restarted, or closed and its
    // FIN is on the way): the next KEEPALIVE this end sends, at its seeded phase, draws a reset.
    const Duration interval = config(e).jitter.draw(JitteredTimer::Keepalive, *e.keepalive, rng_);
    timers_.arm(timer(e, TimerKind::Keepalive),
                rng_.uniform(Duration::zero(), interval) + Duration(1));
  }
}

SimTime BgpSession::draw_last_keepalive(const End& e) {
  // The peer sends a KEEPALIVE every keepalive interval, each interval jittered (§10). Seen
  // from a moment that knows nothing of the phase, the interval it falls in is picked with a
  // probability proportional to its length, and the moment is uniform within it; the last
  // KEEPALIVE arrived that long ago. Drawing the interval by rejection keeps the agreement with
  // packet mode exact rather than approximate.
  const End& p = e.side == Side::A ? b_ : a_;
  const Duration nominal = p.keepalive.value_or(*e.keepalive);
  const JitterProfile& profile = config(p).jitter;
  Duration interval = nominal;
  do {
    interval = profile.draw(JitteredTimer::Keepalive, nominal, rng_);
  } while (rng_.below(static_cast<std::uint64_t>(nominal.count())) >=
           static_cast<std::uint64_t>(interval.count()));
  const Duration age = rng_.uniform(Duration::zero(), interval);
  // It cannot be before the KEEPALIVE that made the session Established.
  return std::max(engine_.now() - age, e.established_at);
}

// ---- Dormant connection attempts (DESIGN §3). ----

void BgpSession::rest() {
  End& e = a_;
  if (segment_subscribers_ || e.state != SessionState::Connect ||
      !timers_.armed(timer(e, TimerKind::ConnectRetry))) {
    return;
  }
  // Unanswerable: the path holds every SYN until it comes back (path_restored() wakes A first),
  // or it delivers them to a box that hears nothing, with nothing else on the way either way.
  const bool unanswerable =
      !path_up_ || (!b_.device_up && to_b_.queued() == 0 && to_a_.queued() == 0);
  if (!unanswerable) {
    return;
  }
  dormant_retry_ = *timers_.expiry(timer(e, TimerKind::ConnectRetry));
  timers_.cancel(timer(e, TimerKind::ConnectRetry));
}

void BgpSession::wake() {
  if (dormant_retry_ == kTimeMax) {
    return;
  }
  End& e = a_;
  SimTime due = dormant_retry_;
  dormant_retry_ = kTimeMax;
  // Nothing changed for A since it went dormant (every input wakes it first), so each retry
  // due before now is §8.2.2 Connect, Event 9, as on_connect_retry_timer_expired does it.
  while (due < engine_.now()) {
    to_b_.forget_arrived(due);
    close_connection(e, due);
    const Duration next = draw_connect_retry(e);
    initiate_tcp(e, due);
    due += next;
  }
  to_b_.forget_arrived(engine_.now());
  timers_.arm_at(timer(e, TimerKind::ConnectRetry), due);
}

}  // namespace ersim::bgp
