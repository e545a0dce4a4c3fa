// One BGP session between two speakers, A and B, over one link: both ends' RFC 4271 §8 finite
// state machines, their ConnectRetry, Hold and Keepalive timers, and the TCP connection between
// them, driven by the failures and repairs the network layer injects.
//
// A opens the TCP connection and B listens (B is passive, as BIRD's `passive on`), so the two
// ends never open connections at each other and §6.8 collision handling is not needed. Every
// state change of an end goes through one function with a typed reason; subscribers see each.
//   BgpSession session(engine, streams, stable_id("ams-ce1/msee1"), {.a = ce, .b = msee});
//   session.on_state_change([&](const StateChange& c) { trace(c); });   session.start();
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "core/engine.hpp"
#include "core/random.hpp"
#include "core/timer_set.hpp"
#include "sim/bgp/jitter_profile.hpp"
#include "sim/bgp/messages.hpp"
#include "sim/bgp/tcp_pipe.hpp"
#include "sim/topo/ipv4.hpp"
#include "sim/topo/model.hpp"

namespace ersim::bgp {

/// RFC 4271 §8.2.2.
enum class SessionState : std::uint8_t {
  Idle,
  Connect,
  Active,
  OpenSent,
  OpenConfirm,
  Established
};

/// "Idle", "Connect", "Active", "OpenSent", "OpenConfirm", "Established" (the RFC's words).
std::string_view to_string(SessionState state);

enum class Side : std::uint8_t { A, B };

/// "A", "B".
std::string_view to_string(Side side);
constexpr Side peer_of(Side side) { return side == Side::A ? Side::B : Side::A; }

/// Why an end changed state (after GoBGP's fsmStateReasonType).
enum class StateReason : std::uint8_t {
  ManualStart,           ///< start() or admin_start(): §8.1.2 Event 1 (A) or 4 (B)
  AutomaticStart,        ///< back from Idle by itself after a drop: Event 3 (A) or 5 (B)
  IdleHoldExpired,       ///< the idle hold (max-prefix restart, wait after an OPEN error) ended
  MaxPrefixCleared,      ///< max_prefix_cleared()
  Restarted,             ///< the routing process or the device is back
  ConnectRetry,          ///< Event 9, ConnectRetryTimer_Expires
  TcpEstablished,        ///< Events 16/17
  TcpFailed,             ///< Event 18 before the OPEN exchange ended: refused or reset
  OpenReceived,          ///< Event 19, BGPOpen
  KeepaliveReceived,     ///< Event 26, KeepAliveMsg
  HoldTimerExpired,      ///< Event 10
  PeerClosed,            ///< Event 18 after OPEN: the peer closed the TCP connection
  NotificationReceived,  ///< Events 24/25
  UnacceptableHoldTime,  ///< §6.2: the peer's OPEN offered a hold time of 1 or 2 s
  FsmError,              ///< a message the state does not allow (§6.6)
  AdministrativeShutdown,
  MaxPrefixExceeded,
  CarrierLost,
  BfdDown,
  ProcessFailed,
  DeviceFailed,
};

/// "manual start", "hold timer expired", "BFD down", "peer closed connection", ...
std::string_view to_string(StateReason reason);

/// Whether keepalives are simulated one by one (DESIGN §3, quiet steady state).
enum class BgpTimerMode : std::uint8_t {
  /// A converged session schedules nothing; when its path goes silent the hold timer is armed
  /// from a seeded phase of the last keepalive.
  Quiet,
  /// Every KEEPALIVE is an engine event and restarts the receiver's hold timer.
  Packet,
};

/// "quiet", "packet".
std::string_view to_string(BgpTimerMode mode);

/// One end's configuration.
struct SpeakerConfig {
  std::uint32_t asn = 0;
  Ipv4Address router_id{};
  /// Configured hold and keepalive (§4.2, §10); the hold time is sent in whole seconds.
  topo::BgpTimers timers{};
  /// RFC 4271 §10 suggests 120 s.
  Duration connect_retry = std::chrono::seconds(120);
  JitterProfile jitter{};
  /// After a max-prefix drop, restart by itself after this long; without it, stay down until
  /// max_prefix_cleared().
  std::optional<Duration> max_prefix_restart{};
};

struct SessionConfig {
  SpeakerConfig a{};
  SpeakerConfig b{};
  Duration latency = std::chrono::milliseconds(1);
  BgpTimerMode mode = BgpTimerMode::Quiet;
};

/// What subscribers see of every state change.
struct StateChange {
  SimTime at{};
  Side side = Side::A;
  SessionState from = SessionState::Idle;
  SessionState to = SessionState::Idle;
  StateReason reason = StateReason::ManualStart;
  /// The NOTIFICATION this end sent or received with the change, if any.
  std::optional<NotificationMessage> notification{};
};

class BgpSession {
 public:
  using StateChangeFn = std::function<void(const StateChange&)>;
  /// The end that received the UPDATE, and the message (the last subscriber's to keep).
  using UpdateFn = std::function<void(Side, UpdateMessage)>;
  /// The end that sent the segment, and the segment.
  using SegmentFn = std::function<void(Side, const Segment&)>;

  /// Draws its jitter and phases from `streams.stream(stream_id)`: give each session a stable id.
  BgpSession(Engine& engine, const RandomStreams& streams, std::uint64_t stream_id,
             const SessionConfig& config);
  BgpSession(const BgpSession&) = delete;
  BgpSession& operator=(const BgpSession&) = delete;
  BgpSession(BgpSession&&) = delete;
  BgpSession& operator=(BgpSession&&) = delete;
  ~BgpSession() = default;

  // Subscribers. Callbacks run inside the session's event handling and may call back into it.
  void on_state_change(StateChangeFn fn);
  void on_update(UpdateFn fn);
  /// Every segment an end sends (SYN, SYN-ACK, close, BGP messages) as it leaves, for tests and
  /// packet traces; without subscribers, sending does no more than test an empty list.
  void on_segment(SegmentFn fn);

  // Inputs from the network layer.
  /// ManualStart at both ends: A connects, B listens.
  void start();
  /// ManualStop (Event 2): Cease/Administrative Shutdown to the peer; the end stays Idle until
  /// admin_start().
  void admin_stop(Side side);
  void admin_start(Side side);
  /// The end's RIB holds more prefixes than allowed: Cease/Maximum Number of Prefixes Reached
  /// (RFC 4486), and the end stays Idle until max_prefix_cleared() or its restart interval.
  /// Ignored unless the end is Established.
  void max_prefix_exceeded(Side side);
  void max_prefix_cleared(Side side);
  /// Carrier: both ends lose the interface and the TCP connection at once. Silent: nothing is
  /// noticed until a hold timer (or BFD) fires.
  void path_failed(topo::FailureMode mode);
  void path_restored();
  /// The routing process dies on a box that stays up: its kernel closes the TCP connection, so
  /// the peer notices one latency later.
  void process_failed(Side side);
  /// The box dies: the peer notices by hold timer or BFD.
  void device_failed(Side side);
  /// The process or device is back: the end starts again through the FSM.
  void restarted(Side side);
  /// RFC 5882 §4.3: BFD down takes the session down at once.
  void bfd_down(Side side);

  /// Sends an UPDATE from `from` to its peer: delivered one latency later, in order, to
  /// on_update subscribers. False (nothing sent) unless `from` is Established.
  bool send_update(Side from, UpdateMessage update);

  /// Test hook: `message` arrives at `to` now, on the connection `to` is on, as if its peer had
  /// sent it; for the events a peer running this FSM never causes (RFC 4271 §6.6 FSM errors).
  void inject(Side to, BgpMessage message);

  [[nodiscard]] SessionState state(Side side) const { return end(side).state; }
  [[nodiscard]] bool established() const;
  /// The hold time both ends agreed in the last OPEN exchange (§4.2: the lower offer); zero
  /// means no keepalives and no hold timer.
  [[nodiscard]] std::optional<Duration> negotiated_hold() const;
  /// The keepalive interval `side` uses (before jitter): its configured keepalive or a third of
  /// the negotiated hold, whichever is lower.
  [[nodiscard]] std::optional<Duration> keepalive_interval(Side side) const;
  /// The reason of the end's last state change, and of its last change to Idle.
  [[nodiscard]] StateReason last_reason(Side side) const { return end(side).last_reason; }
  [[nodiscard]] std::optional<StateReason> down_reason(Side side) const {
    return end(side).down_reason;
  }
  /// When the end's hold timer will fire, if it is armed.
  [[nodiscard]] std::optional<SimTime> hold_expiry(Side side) const {
    return timers_.expiry(timer(end(side), TimerKind::Hold));
  }
  [[nodiscard]] BgpTimerMode mode() const { return config_.mode; }
  [[nodiscard]] bool path_up() const { return path_up_; }

 private:
  /// What an end is, apart from its timers: what checkpoint() keeps.
  struct EndState {
    // The one-byte fields together, in the first eight bytes.
    SessionState state = SessionState::Idle;
    StateReason last_reason = StateReason::ManualStart;
    std::optional<StateReason> down_reason;
    bool device_up = true;
    bool process_up = true;
    bool admin_down = false;
    bool max_prefix_held = false;
    /// The TCP connection this end is on; 0 for none.
    std::uint64_t connection = 0;
    std::optional<Duration> negotiated_hold;
    std::optional<Duration> keepalive;
    /// When the end entered Established: its hold timer last restarted then.
    SimTime established_at{};
  };
  struct End : EndState {
    explicit End(Side s) : side(s) {}
    Side side;
  };
  /// Each end's timers, in timers_ at timer(e, kind).
  enum class TimerKind : std::uint8_t {
    ConnectRetry,
    Hold,
    Keepalive,
    /// RFC 4271 §8.1.1 IdleHoldTimer: keeps the end in Idle for a while before it starts again.
    IdleHold,
  };
  static constexpr std::size_t kTimersPerEnd = 4;
  [[nodiscard]] static std::size_t timer(const End& e, TimerKind kind) {
    return static_cast<std::size_t>(e.side) * kTimersPerEnd + static_cast<std::size_t>(kind);
  }

  [[nodiscard]] End& end(Side side) { return side == Side::A ? a_ : b_; }
  [[nodiscard]] const End& end(Side side) const { return side == Side::A ? a_ : b_; }
  [[nodiscard]] End& peer(const End& e) { return end(peer_of(e.side)); }
  [[nodiscard]] const SpeakerConfig& config(const End& e) const {
    return e.side == Side::A ? config_.a : config_.b;
  }
  [[nodiscard]] TcpPipe& pipe_from(const End& e) { return e.side == Side::A ? to_b_ : to_a_; }

  /// The one place an end changes state.
  void enter(End& e, SessionState to, StateReason reason,
             std::optional<NotificationMessage> notification = std::nullopt);

  // Timer handlers, one per timer; each decides by the state.
  void on_connect_retry_timer_expired(End& e);
  void on_hold_timer_expired(End& e);
  void on_keepalive_timer_expired(End& e);
  void on_idle_hold_timer_expired(End& e);

  // Segments arriving at an end.
  void receive(End& e, Segment segment);
  void on_syn(End& e, std::uint64_t connection);
  void on_syn_ack(End& e);
  void on_tcp_close(End& e);
  void on_open(End& e, const OpenMessage& open);
  void on_keepalive(End& e);
  void on_update_message(End& e, UpdateMessage update);
  void on_notification(End& e, const NotificationMessage& notification);

  // Actions.
  void start_connecting(End& e, StateReason reason);
  void initiate_tcp(End& e, SimTime at);
  /// `segment` leaves `e` at `at` (now, or a dormant retry's time in wake()).
  void send(End& e, Segment segment, SimTime at);
  void send(End& e, Segment segment) { send(e, std::move(segment), engine_.now()); }
  void send_message(End& e, BgpMessage message);
  void send_open(End& e);
  void close_connection(End& e, SimTime at);
  void close_connection(End& e) { close_connection(e, engine_.now()); }
  [[nodiscard]] Duration draw_connect_retry(const End& e);
  void stop_timers(End& e);
  /// Sends `notification` if given, closes the connection, enters Idle, and starts again by
  /// itself when nothing holds the end down.
  void drop(End& e, StateReason reason, std::optional<NotificationMessage> notification);
  /// Closes the connection, stops the timers, enters Idle (recording `notification`, sent or
  /// received) and starts again by itself when it may.
  void go_idle(End& e, StateReason reason, std::optional<NotificationMessage> notification);
  void fsm_error(End& e);
  void automatic_start(End& e);
  [[nodiscard]] bool may_start(const End& e) const;
  void arm_keepalive_timer(End& e);
  void restart_hold_timer(End& e, Duration hold);
  /// Quiet mode: arms an Established end's hold timer when its inbound goes silent, from the
  /// seeded phase of the last keepalive, and cancels it when the silence ends.
  void settle();
  void settle(End& e);
  /// A in Connect whose SYNs nobody can answer — the path is down, or the peer's box is dead and
  /// nothing is in flight — retries unseen: it goes dormant, its ConnectRetryTimer replaced by
  /// the time it would fire, so a partitioned network schedules nothing (DESIGN §3). Not while
  /// segment subscribers watch every SYN.
  void rest();
  /// Called first by every input and event of the session: replays the retries a dormant A
  /// skipped before now, each as on_connect_retry_timer_expired would have done it at its time
  /// (the same connections, random draws and segments, those that reached the dead box
  /// dropped), and arms the ConnectRetryTimer for the next one.
  void wake();
  [[nodiscard]] bool hears_keepalives(const End& e) const;
  [[nodiscard]] SimTime draw_last_keepalive(const End& e);

  Engine& engine_;
  Rng rng_;
  SessionConfig config_;
  bool path_up_ = true;
  std::uint32_t next_connection_ = 1;
  /// When A's ConnectRetryTimer would fire while A is dormant (rest()); kTimeMax when it is not.
  SimTime dormant_retry_ = kTimeMax;
  std::vector<StateChangeFn> state_subscribers_;
  std::vector<UpdateFn> update_subscribers_;
  /// Made by the first on_segment(): only tests and packet traces subscribe.
  std::unique_ptr<std::vector<SegmentFn>> segment_subscribers_;
  End a_;
  End b_;
  /// Both ends' timers: one handle each, sharing the engine and a handler.
  TimerSet<2 * kTimersPerEnd> timers_;
  TcpPipe to_b_;
  TcpPipe to_a_;

 public:
  /// The session's state at a quiet instant — no timer armed, nothing on the wire — without
  /// its subscribers: what Network::checkpoint keeps to come back to.
  class Checkpoint {
    friend class BgpSession;
    explicit Checkpoint(const Rng& rng) : rng_(rng) {}
    Rng rng_;
    bool path_up_ = true;
    std::uint32_t next_connection_ = 1;
    EndState a_;
    EndState b_;
    bool to_b_up_ = true;
    bool to_a_up_ = true;
  };
  /// Asserts that no timer is armed and nothing is in flight.
  [[nodiscard]] Checkpoint checkpoint() const;
  /// Puts the session back as it was at `saved`: its timers disarmed, both directions emptied,
  /// its random stream where it was. Subscribers stay; nothing is announced to them.
  /// The engine must have been rewound first (Engine::rewind: its events are gone), which is
  /// asserted.
  void rollback(const Checkpoint& saved);
};

}  // namespace ersim::bgp
