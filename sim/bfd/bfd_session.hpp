// One BFD session (RFC 5880, asynchronous mode) over one link, with the state machines of both
// ends, driven by the network layer and watched by any number of BGP sessions (RFC 5882).
//
//   BfdSession bfd(engine, streams, {.name = "ce1-msee1", .a = ce.bfd, .b = msee.bfd});
//   bfd.subscribe(Side::A, on_bfd_change);  bfd.start();  ... bfd.path_failed(FailureMode::Silent);
//
// Two modes give the same behaviour in distribution (test/sim/bfd):
// - Packet: every control packet is simulated, sent every jittered interval (§6.8.7, within the
//   end's topo::BfdJitter range: 75-100 % by default, 75-90 % with a multiplier of 1) and
//   received at its arrival time; each received packet restarts the receiver's detection timer
//   (§6.8.4). A packet that can change nothing but that timer (its receiver is Up and hears
//   again what it heard last) is taken in at its arrival time by the session's next event
//   rather than by one of its own. The session's four timers share one engine event
//   (core/timer_group.hpp), so restarting a detection timer costs no event. A steady session
//   (both ends Up and in agreement, the path up, every packet in flight such a refresh, a
//   Detect Mult of 2 or more) parks its transmit timers and sends in batches: each time its
//   earliest detection timer comes due, the session first sends every packet whose instant has
//   come, in the order and at the instants the transmit timers would have fired, drawing the
//   same jitter from its stream, and takes in those that arrived. They restart the detection
//   timers, which therefore fire only when the packets stop, as before. An input first sends
//   what is due before its instant and re-arms the transmit timers. A steady session thus runs
//   about one event per detection time rather than one per packet, with the same outcome
//   (test/sim/bfd runs both).
// - Quiet (the default, DESIGN §3): the same packet machinery runs while the session is coming up
//   or going down, and stops once both ends are Up and agree, so a converged session schedules
//   nothing. A disturbance (path or end failure, admin down) first places the stopped packet
//   streams at a seeded phase: the last packet each end received is drawn within a jittered
//   interval before now, which sets its detection timer. A stream that can change nothing (the
//   path is down, the receiver dead, disabled or AdminDown) sends nothing in this mode either.
//
// The caller owns time: inputs run at the engine's now(); subscribers are called synchronously
// at the state change, after the session's own state is updated. Changes of the device that
// failed (end_failed) are recorded but not delivered: its subscribers died with it.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/engine.hpp"
#include "core/fifo.hpp"
#include "core/random.hpp"
#include "core/timer_group.hpp"
#include "sim/bfd/bfd_event.hpp"
#include "sim/topo/model.hpp"

namespace ersim::bfd {

enum class BfdMode : std::uint8_t { Quiet, Packet };

std::string_view to_string(BfdMode mode);

struct BfdSessionConfig {
  /// Stable name of the session (the link's name); the random substream is "bfd:" + name.
  std::string name;
  topo::BfdSettings a;
  topo::BfdSettings b;
  /// The range each end draws its transmit intervals from (§6.8.7; the default is the RFC's).
  topo::BfdJitter a_jitter{};
  topo::BfdJitter b_jitter{};
  /// One-way delay of a control packet.
  Duration latency = std::chrono::milliseconds(1);
  BfdMode mode = BfdMode::Quiet;
  /// Packet mode: a steady session sends its packets in batches (see BfdSession), with the same
  /// outcome as an event per packet; false runs an event per packet (test/sim/bfd compares).
  bool batch_steady_packets = true;
};

/// RFC 5880 §6.8.3: while not Up, an end advertises a Desired Min TX of at least one second.
inline constexpr Duration kSlowTxInterval = std::chrono::seconds(1);

class BfdSession {
 public:
  using Callback = std::function<void(const BfdEvent&)>;
  using SubscriptionId = std::uint64_t;

  /// Enabled ends need interval > 0, multiplier >= 1 and 0 < low <= high <= 100 percent of jitter
  /// (low <= 90 with a multiplier of 1, whose high end the session caps at 90, §6.8.7).
  BfdSession(Engine& engine, const RandomStreams& streams, BfdSessionConfig config);
  ~BfdSession();
  // Engine events refer to this object.
  BfdSession(const BfdSession&) = delete;
  BfdSession& operator=(const BfdSession&) = delete;
  BfdSession(BfdSession&&) = delete;
  BfdSession& operator=(BfdSession&&) = delete;

  // Inputs from the network layer, at engine.now().
  /// Both ends begin in Down and handshake across the link (§6.2). Once only.
  void start();
  /// Carrier: both ends see the interface go down and go Down with PathDown at once.
  /// Silent: packets stop flowing (those in flight are lost); each end finds out when its
  /// detection time runs out. Precondition: the path is up.
  void path_failed(topo::FailureMode mode);
  /// Packets flow again; the ends handshake back to Up. Precondition: the path is down.
  void path_restored();
  /// The device at `side` died: it stops sending and receiving, silently. Precondition: alive.
  void end_failed(Side side);
  /// The device at `side` is back: its end starts over in Down. Precondition: failed.
  void end_restored(Side side);
  /// §6.8.16: the end goes AdminDown and tells its peer, which goes Down with
  /// NeighborSignaledSessionDown; both events are administrative().
  void admin_down(Side side);
  /// §6.8.16: the end leaves AdminDown for Down and handshakes again.
  void admin_up(Side side);

  /// Test hook: a control packet from the peer of `to` arrives now, with State `remote_state`
  /// and the timers the peer would advertise in that state (§6.8.3); for the orderings of the
  /// §6.8.6 reception rules that packet timing alone cannot force.
  void inject(Side to, BfdState remote_state);

  // Outputs.
  /// Calls `callback` on every state change of the end at `side`, in subscription order.
  SubscriptionId subscribe(Side side, Callback callback);
  /// Harmless for an unknown id; safe from inside a callback.
  void unsubscribe(SubscriptionId id);

  [[nodiscard]] BfdState state(Side side) const { return end(side).state; }
  [[nodiscard]] BfdDiagnostic diagnostic(Side side) const { return end(side).diagnostic; }
  /// §6.8.4: the remote's Detect Mult times the agreed interval, max(this end's Required Min RX,
  /// the remote's last Desired Min TX); none before the end has heard from its peer.
  [[nodiscard]] std::optional<Duration> detection_time(Side side) const;
  /// §6.8.7: max(this end's Desired Min TX, the remote's Required Min RX), before jitter.
  [[nodiscard]] Duration transmit_interval(Side side) const;
  /// The end's last state change, if it had one.
  [[nodiscard]] const std::optional<BfdEvent>& last_change(Side side) const {
    return end(side).last_change;
  }
  [[nodiscard]] bool path_up() const { return path_up_; }
  [[nodiscard]] bool alive(Side side) const { return end(side).alive; }
  /// Quiet mode only: true while converged and scheduling nothing.
  [[nodiscard]] bool quiescent() const { return quiescent_; }

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] BfdMode mode() const { return mode_; }
  /// Control packets put on the wire by now (both ends), the batch not sent yet included: what
  /// the quiet mode saves.
  [[nodiscard]] std::uint64_t packets_sent() const;
  /// Packet mode: true while steady and sending in batches.
  [[nodiscard]] bool batched() const { return batched_; }

 private:
  /// The fields of a control packet that this model reads (§4.1).
  struct Packet {
    BfdState state = BfdState::Down;
    BfdDiagnostic diagnostic = BfdDiagnostic::None;
    std::uint32_t detect_mult = 0;
    Duration desired_min_tx{};
    Duration required_min_rx{};
    friend bool operator==(const Packet&, const Packet&) = default;
  };
  struct InFlight {
    EventId arrival;  ///< none while the packet only refreshes (refreshes_only)
    SimTime arrives;
    Packet packet;
  };
  struct Subscriber {
    SubscriptionId id = 0;
    Callback callback;
  };
  /// What an end is, apart from its timers, packets and subscribers: what checkpoint() keeps.
  struct EndState {
    topo::BfdSettings settings;
    BfdState state = BfdState::Down;
    BfdDiagnostic diagnostic = BfdDiagnostic::None;
    bool alive = true;
    topo::BfdJitter jitter;
    /// The remote's last packet (§6.8.1 bfd.RemoteSessionState, bfd.RemoteMinRxInterval, and
    /// the Desired Min TX and Detect Mult that §6.8.4 reads); none before the first.
    std::optional<Packet> heard;
    SimTime last_heard{};
    std::optional<BfdEvent> last_change;
  };
  struct End : EndState {
    /// Packets this end sent that are still on the link, oldest first (latency is constant).
    Fifo<InFlight> in_flight;  // allocates nothing until a packet is sent
    /// When the detection time runs out unless another packet arrives; the detection timer is
    /// armed at it (restart_detection_timer).
    SimTime detect_at{};
    std::vector<Subscriber> subscribers;
  };

  End& end(Side side) { return ends_.at(static_cast<std::size_t>(side)); }
  [[nodiscard]] const End& end(Side side) const { return ends_.at(static_cast<std::size_t>(side)); }

  [[nodiscard]] bool running(Side side) const;
  [[nodiscard]] Packet packet_of(Side side) const;
  [[nodiscard]] Duration desired_min_tx(Side side) const;
  [[nodiscard]] bool should_transmit(Side side) const;
  /// The path is up and both ends are Up, each having heard the other's current packet.
  [[nodiscard]] bool in_agreement() const;
  [[nodiscard]] bool converged() const;

  // Draws from the session's stream.
  Duration jittered_interval(Side side);
  /// The shortest and the longest of them (§6.8.7).
  [[nodiscard]] std::pair<Duration, Duration> interval_range(Side side) const;
  /// One of them, from `rng` (the session's stream, or a copy of it).
  static Duration draw_interval(std::pair<Duration, Duration> range, Rng& rng);
  Duration length_biased_interval(Side side);

  void set_state(Side side, BfdState state, BfdDiagnostic diagnostic, BfdChangeReason reason);
  void send(Side side);
  void on_tx_timer(Side side);
  void on_arrival(Side from);
  void receive(Side side, const Packet& packet);
  [[nodiscard]] bool refreshes_only(Side from, const Packet& packet) const;
  /// Takes in the packets that arrived by now without an event of their own.
  void deliver_due();
  /// Gives each packet from `from` still waiting without an event its arrival event: its
  /// receiver changed state (set_state) or heard something else (receive).
  void materialise(Side from);
  void on_detection_time_expired(Side side);
  void restart_detection_timer(Side side, SimTime heard_at);
  void pull_in_tx_timer(Side side);
  void drop_in_flight(Side from);

  void wake();
  void settle();

  /// The transmit timers of a batched session, parked: when each end sends next, and which end
  /// goes first should both send at one instant (the one whose timer was armed first).
  struct ParkedTx {
    std::array<SimTime, 2> next_send{};
    Side first_on_tie = Side::A;
    [[nodiscard]] Side next_sender() const {
      if (next_send[0] == next_send[1]) {
        return first_on_tie;
      }
      return next_send[0] < next_send[1] ? Side::A : Side::B;
    }
  };
  [[nodiscard]] bool steady() const;
  void park_tx_timers();
  /// Before an input: sends the parked packets due before now, then re-arms the transmit timers.
  void unpark_tx_timers();
  /// Sends the parked packets due at or before `last`, each as on_tx_timer would have.
  void send_parked(SimTime last);
  /// Calls on_send(side, instant) for each parked packet due at or before `last`, in order,
  /// drawing each next interval from `rng`; `tx` ends at the first one after `last`.
  template <class OnSend>
  void for_each_parked_send(ParkedTx& tx, Rng& rng, SimTime last, OnSend on_send) const;

  /// The end's timers in timers_: when it sends its next packet (§6.8.7), and when it declares
  /// its peer down if nothing arrives (§6.8.4).
  [[nodiscard]] static std::size_t tx_timer(Side side) {
    return 2 * static_cast<std::size_t>(side);
  }
  [[nodiscard]] static std::size_t detection_timer(Side side) { return tx_timer(side) + 1; }

  Engine& engine_;
  Rng rng_;
  std::string name_;
  Duration latency_;
  std::array<End, 2> ends_;
  /// The timers' handler: a pointer to the session, where a std::function would take four.
  struct OnTimer {
    BfdSession* session;
    void operator()(std::size_t timer) const { session->on_timer(timer); }
  };
  void on_timer(std::size_t timer);

  TimerGroup<4, OnTimer> timers_;
  ParkedTx parked_;
  bool started_ = false;
  bool path_up_ = true;
  bool quiescent_ = false;
  // Beside the flags, where they share padding: the session fits jemalloc's 512-byte class.
  BfdMode mode_;
  bool batch_;            ///< config.batch_steady_packets
  bool batched_ = false;  ///< the transmit timers are parked_
  SubscriptionId next_subscription_ = 1;
  std::uint64_t packets_sent_ = 0;

 public:
  /// The session's state at a quiet instant — no timer armed, no packet on the link — without
  /// its subscribers: what router::Network::checkpoint keeps to come back to.
  class Checkpoint {
    friend class BfdSession;
    explicit Checkpoint(const Rng& rng) : rng_(rng) {}
    Rng rng_;
    std::array<EndState, 2> ends_;
    bool started_ = false;
    bool path_up_ = true;
    bool quiescent_ = false;
    std::uint64_t packets_sent_ = 0;
  };
  /// Asserts that no timer is armed and no packet is in flight.
  [[nodiscard]] Checkpoint checkpoint() const;
  /// Puts the session back as it was at `saved`: timers disarmed, packets in flight dropped,
  /// its random stream where it was. Subscribers stay; nothing is announced to them.
  /// The engine must have been rewound first (Engine::rewind: its events are gone), which is
  /// asserted.
  void rollback(const Checkpoint& saved);
};

}  // namespace ersim::bfd
