#include "sim/bfd/bfd_session.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "core/assert.hpp"

namespace ersim::bfd {
namespace {

constexpr std::array<Side, 2> kSides = {Side::A, Side::B};

bool init_or_up(BfdState state) { return state == BfdState::Init || state == BfdState::Up; }

// RFC 5880 §6.8.7: with a Detect Mult of 1 an interval "MUST be no more than 90%" of the
// negotiated one.
constexpr std::uint8_t kSingleDetectMaxPercent = 90;

void check_settings(const topo::BfdSettings& settings, topo::BfdJitter jitter) {
  ERSIM_ASSERT(!settings.enabled || settings.interval > Duration::zero(),
               "BFD interval must be positive");
  ERSIM_ASSERT(!settings.enabled || settings.multiplier >= 1, "BFD multiplier must be >= 1");
  ERSIM_ASSERT(
      !settings.enabled || (jitter.low_percent >= 1 && jitter.low_percent <= jitter.high_percent &&
                            jitter.high_percent <= 100),
      "BFD jitter must be a range within 1-100 percent");
  ERSIM_ASSERT(!settings.enabled || settings.multiplier != 1 ||
                   jitter.low_percent <= kSingleDetectMaxPercent,
               "BFD jitter with a multiplier of 1 must start at 90 percent or below");
}

// floor(interval x percent / 100) in integers, without overflow for any interval.
Duration percent_of(Duration interval, std::int64_t percent) {
  const std::int64_t ns = interval.count();
  return Duration(ns / 100 * percent + ns % 100 * percent / 100);
}

}  // namespace

std::string_view to_string(BfdMode mode) { return mode == BfdMode::Quiet ? "quiet" : "packet"; }

BfdSession::BfdSession(Engine& engine, const RandomStreams& streams, BfdSessionConfig config)
    : engine_(engine),
      rng_(streams.stream("bfd:" + config.name)),
      name_(std::move(config.name)),
      latency_(config.latency),
      timers_(engine, OnTimer{this}),
      mode_(config.mode),
      batch_(config.batch_steady_packets) {
  ERSIM_ASSERT(latency_ >= Duration::zero(), "negative link latency");
  check_settings(config.a, config.a_jitter);
  check_settings(config.b, config.b_jitter);
  end(Side::A).settings = config.a;
  end(Side::B).settings = config.b;
  end(Side::A).jitter = config.a_jitter;
  end(Side::B).jitter = config.b_jitter;
}

void BfdSession::on_timer(std::size_t timer) {
  if (batched_) {
    send_parked(engine_.now());  // what the parked transmit timers would have sent by now
  }
  deliver_due();
  const auto side = static_cast<Side>(timer / 2);
  if (timer % 2 == 0) {
    on_tx_timer(side);
  } else {
    on_detection_time_expired(side);
  }
}

BfdSession::~BfdSession() {
  // Arrival events point at this object; the timers cancel their own events.
  drop_in_flight(Side::A);
  drop_in_flight(Side::B);
}

BfdSession::Checkpoint BfdSession::checkpoint() const {
  Checkpoint saved(rng_);
  for (const Side side : kSides) {
    const End& e = end(side);
    ERSIM_ASSERT(!timers_.armed(tx_timer(side)) && !timers_.armed(detection_timer(side)) &&
                     e.in_flight.empty(),
                 "checkpoint of BFD session " + name_ + " while it is not quiet");
    saved.ends_.at(static_cast<std::size_t>(side)) = static_cast<const EndState&>(e);
  }
  saved.started_ = started_;
  saved.path_up_ = path_up_;
  saved.quiescent_ = quiescent_;
  saved.packets_sent_ = packets_sent_;
  return saved;
}

void BfdSession::rollback(const Checkpoint& saved) {
  timers_.forget_all();  // the engine was rewound first
  for (const Side side : kSides) {
    End& e = end(side);
    e.in_flight.clear();  // their arrival events went with the engine's
    static_cast<EndState&>(e) = saved.ends_.at(static_cast<std::size_t>(side));
  }
  rng_ = saved.rng_;
  batched_ = false;  // a checkpoint is quiet: nothing was parked
  started_ = saved.started_;
  path_up_ = saved.path_up_;
  quiescent_ = saved.quiescent_;
  packets_sent_ = saved.packets_sent_;
}

// ---- inputs ----------------------------------------------------------------------------------

void BfdSession::start() {
  ERSIM_ASSERT(!started_, "BFD session started twice");
  started_ = true;
  settle();
}

void BfdSession::path_failed(topo::FailureMode mode) {
  ERSIM_ASSERT(path_up_, "path_failed() on a failed path");
  unpark_tx_timers();
  deliver_due();
  wake();
  path_up_ = false;
  // Whatever is on the wire is lost with the path.
  drop_in_flight(Side::A);
  drop_in_flight(Side::B);
  if (mode == topo::FailureMode::Carrier) {
    // Both interfaces go down at once, and BFD hears of it from outside: diagnostic Path Down
    // (RFC 5880 §6.8.16; RFC 5882 §3.1 lets a client learn of the failure from the interface).
    // §6.8.16 allows AdminDown here; ersim goes Down, as BIRD and FRR do, so that the session
    // handshakes again by itself when the carrier returns.
    for (const Side side : kSides) {
      if (running(side) && init_or_up(end(side).state)) {
        set_state(side, BfdState::Down, BfdDiagnostic::PathDown, BfdChangeReason::CarrierLost);
      }
    }
  }
  // Silent: the interfaces stay up; each end finds out when its detection timer (armed by the
  // last packet it heard, or by wake() in quiet mode) runs out (§6.8.4).
  settle();
}

void BfdSession::path_restored() {
  ERSIM_ASSERT(!path_up_, "path_restored() on a working path");
  unpark_tx_timers();
  deliver_due();
  path_up_ = true;
  settle();
}

void BfdSession::end_failed(Side side) {
  ERSIM_ASSERT(end(side).alive, "end_failed() on a failed end");
  unpark_tx_timers();
  deliver_due();
  wake();
  End& e = end(side);
  e.alive = false;
  set_state(side, BfdState::Down, BfdDiagnostic::None, BfdChangeReason::EndFailed);
  timers_.cancel(tx_timer(side));
  timers_.cancel(detection_timer(side));
  // Packets on their way to the dead device are lost; those it sent before dying still arrive.
  drop_in_flight(other(side));
  settle();
}

void BfdSession::end_restored(Side side) {
  unpark_tx_timers();
  deliver_due();
  End& e = end(side);
  ERSIM_ASSERT(!e.alive, "end_restored() on a live end");
  e.alive = true;
  // A rebooted system starts from the §6.8.1 initial values: it has heard nothing.
  e.heard.reset();
  e.diagnostic = BfdDiagnostic::None;
  settle();
}

void BfdSession::admin_down(Side side) {
  ERSIM_ASSERT(end(side).alive, "admin_down() on a failed end");
  unpark_tx_timers();
  deliver_due();
  wake();
  // RFC 5880 §6.8.16; the peer learns of it from the State field of the next packets (§6.8.6).
  set_state(side, BfdState::AdminDown, BfdDiagnostic::AdministrativelyDown,
            BfdChangeReason::LocalAdminDown);
  settle();
}

void BfdSession::admin_up(Side side) {
  unpark_tx_timers();
  deliver_due();
  if (end(side).state != BfdState::AdminDown) {
    return;
  }
  // §6.8.16: "If enabling session, set bfd.SessionState to Down".
  set_state(side, BfdState::Down, BfdDiagnostic::None, BfdChangeReason::LocalAdminUp);
  settle();
}

void BfdSession::inject(Side to, BfdState remote_state) {
  unpark_tx_timers();
  deliver_due();
  const Side from = other(to);
  Packet packet = packet_of(from);
  packet.state = remote_state;
  // §6.8.3, as desired_min_tx(): the one-second floor unless Up.
  const Duration interval = end(from).settings.interval;
  packet.desired_min_tx =
      remote_state == BfdState::Up ? interval : std::max(interval, kSlowTxInterval);
  wake();
  receive(to, packet);
  settle();
}

// ---- outputs ---------------------------------------------------------------------------------

BfdSession::SubscriptionId BfdSession::subscribe(Side side, Callback callback) {
  ERSIM_ASSERT(callback != nullptr, "BFD subscription without a callback");
  const SubscriptionId id = next_subscription_++;
  end(side).subscribers.push_back({id, std::move(callback)});
  return id;
}

void BfdSession::unsubscribe(SubscriptionId id) {
  for (End& e : ends_) {
    std::erase_if(e.subscribers, [id](const Subscriber& s) { return s.id == id; });
  }
}

std::optional<Duration> BfdSession::detection_time(Side side) const {
  const End& e = end(side);
  if (!e.heard) {
    return std::nullopt;
  }
  // RFC 5880 §6.8.4: "the Detection Time calculated in the local system is equal to the value of
  // Detect Mult received from the remote system, multiplied by the agreed transmit interval of
  // the remote system (the greater of bfd.RequiredMinRxInterval and the last received Desired Min
  // TX Interval)".
  return static_cast<std::int64_t>(e.heard->detect_mult) *
         std::max(e.settings.interval, e.heard->desired_min_tx);
}

Duration BfdSession::transmit_interval(Side side) const {
  const End& e = end(side);
  // §6.8.1: bfd.RemoteMinRxInterval starts at 1 (microsecond) until the first packet.
  const Duration remote_min_rx =
      e.heard ? e.heard->required_min_rx : Duration(std::chrono::microseconds(1));
  // §6.8.2 / §6.8.7: never faster than either side allows, so the slower side sets the rate.
  return std::max(desired_min_tx(side), remote_min_rx);
}

// ---- the state machine -----------------------------------------------------------------------

bool BfdSession::running(Side side) const {
  const End& e = end(side);
  return started_ && e.alive && e.settings.enabled;
}

Duration BfdSession::desired_min_tx(Side side) const {
  const End& e = end(side);
  // §6.8.3: "When bfd.SessionState is not Up, the system MUST set bfd.DesiredMinTxInterval to a
  // value of not less than one second".
  return e.state == BfdState::Up ? e.settings.interval
                                 : std::max(e.settings.interval, kSlowTxInterval);
}

BfdSession::Packet BfdSession::packet_of(Side side) const {
  const End& e = end(side);
  return {.state = e.state,
          .diagnostic = e.diagnostic,
          .detect_mult = e.settings.multiplier,
          .desired_min_tx = desired_min_tx(side),
          .required_min_rx = e.settings.interval};
}

void BfdSession::set_state(Side side, BfdState state, BfdDiagnostic diagnostic,
                           BfdChangeReason reason) {
  End& e = end(side);
  if (e.state == state) {
    return;
  }
  const BfdEvent event{.side = side,
                       .previous = e.state,
                       .state = state,
                       .diagnostic = diagnostic,
                       .reason = reason,
                       .time = engine_.now()};
  e.state = state;
  e.diagnostic = diagnostic;
  e.last_change = event;
  materialise(other(side));
  if (!init_or_up(state)) {
    // §6.8.4: detection applies only in Init and Up.
    timers_.cancel(detection_timer(side));
  }
  // Going Up drops the §6.8.3 one-second floor: the faster rate starts now, not a second later.
  pull_in_tx_timer(side);
  if (reason == BfdChangeReason::EndFailed) {
    return;
  }
  // A copy, so a callback may subscribe or unsubscribe; a removal takes effect next time.
  const std::vector<Subscriber> subscribers = e.subscribers;
  for (const Subscriber& subscriber : subscribers) {
    subscriber.callback(event);
  }
}

void BfdSession::receive(Side side, const Packet& packet) {
  End& e = end(side);
  if (!running(side)) {
    return;  // a dead device, or one without BFD, hears nothing
  }
  if (e.heard != packet) {
    materialise(other(side));  // what follows from the peer no longer repeats what was heard
  }
  // §6.8.6, in its order: remember the remote's state and timers (which §6.8.2 and §6.8.4 read)...
  e.heard = packet;
  e.last_heard = engine_.now();
  // ... "If bfd.SessionState is AdminDown: Discard the packet".
  if (e.state == BfdState::AdminDown) {
    return;
  }
  if (packet.state == BfdState::AdminDown) {
    // "If received state is AdminDown: If bfd.SessionState is not Down: Set bfd.LocalDiag to 3
    // (Neighbor signaled session down), Set bfd.SessionState to Down".
    if (e.state != BfdState::Down) {
      set_state(side, BfdState::Down, BfdDiagnostic::NeighborSignaledSessionDown,
                BfdChangeReason::ReceivedAdminDown);
    }
  } else if (e.state == BfdState::Down) {
    // §6.2 three-way handshake: Down hears Down -> Init, Down hears Init -> Up.
    if (packet.state == BfdState::Down) {
      set_state(side, BfdState::Init, BfdDiagnostic::None, BfdChangeReason::ReceivedDown);
    } else if (packet.state == BfdState::Init) {
      set_state(side, BfdState::Up, BfdDiagnostic::None, BfdChangeReason::ReceivedInitOrUp);
    }
  } else if (e.state == BfdState::Init) {
    if (packet.state == BfdState::Init || packet.state == BfdState::Up) {
      set_state(side, BfdState::Up, BfdDiagnostic::None, BfdChangeReason::ReceivedInitOrUp);
    }
  } else if (packet.state == BfdState::Down) {
    // Up hears Down: the neighbour lost the session (it timed out, or restarted).
    set_state(side, BfdState::Down, BfdDiagnostic::NeighborSignaledSessionDown,
              BfdChangeReason::ReceivedDown);
  }
  restart_detection_timer(side, e.last_heard);
  // The remote's Required Min RX may have lowered this end's transmit interval (§6.8.2).
  pull_in_tx_timer(side);
}

// Every packet restarts the timer (§6.8.4). The session's timers share one engine event
// (TimerGroup), so pushing the detection timer later touches nothing in the engine: a session
// hearing a packet every 300 ms costs an event for its transmissions only, and the detection
// timer fires at its deadline only when the packets stop.
void BfdSession::restart_detection_timer(Side side, SimTime heard_at) {
  End& e = end(side);
  const std::size_t timer = detection_timer(side);
  if (!init_or_up(e.state)) {
    timers_.cancel(timer);
    return;
  }
  e.detect_at = heard_at + *detection_time(side);
  timers_.rearm_at(timer, e.detect_at);
}

void BfdSession::on_detection_time_expired(Side side) {
  End& e = end(side);
  if (e.detect_at > engine_.now()) {
    // deliver_due() took in a packet that arrived at this very instant, or a batched session's
    // packets that arrived since its last event.
    timers_.rearm_at(detection_timer(side), e.detect_at);
    return;
  }
  ERSIM_ASSERT(!batched_, "BFD session " + name_ + " timed out while steady");
  // §6.8.4: "a period of time equal to the Detection Time passes without receiving a BFD Control
  // packet from the remote system, and bfd.SessionState is Init or Up": Down, diagnostic 1.
  if (init_or_up(e.state)) {
    set_state(side, BfdState::Down, BfdDiagnostic::ControlDetectionTimeExpired,
              BfdChangeReason::DetectionTimeExpired);
  }
  settle();
}

// ---- packets ---------------------------------------------------------------------------------

Duration BfdSession::jittered_interval(Side side) {
  return draw_interval(interval_range(side), rng_);
}

Duration BfdSession::draw_interval(std::pair<Duration, Duration> range, Rng& rng) {
  return rng.uniform(range.first, range.second + Duration(1));
}

std::pair<Duration, Duration> BfdSession::interval_range(Side side) const {
  const End& e = end(side);
  const Duration interval = transmit_interval(side);
  // §6.8.7: "the interval MUST be reduced by a random value of 0 to 25%"; with a Detect Mult of
  // 1 the interval "MUST be no more than 90% of the negotiated transmission interval, and MUST
  // be no less than 75%", so one late packet cannot end the session. An implementation picks its
  // range (75-100 by default, some always 75-90); every whole nanosecond from interval x low %
  // (rounded up) to interval x high % (rounded down) is equally likely.
  const std::uint8_t high = e.settings.multiplier == 1
                                ? std::min(e.jitter.high_percent, kSingleDetectMaxPercent)
                                : e.jitter.high_percent;
  const Duration lo = interval - percent_of(interval, 100 - e.jitter.low_percent);
  return {lo, std::max(percent_of(interval, high), lo)};
}

Duration BfdSession::length_biased_interval(Side side) {
  // The gap between packets that contains a given instant is a length-biased draw: a long gap is
  // more likely to straddle it. Rejection against the longest possible gap keeps it exact in
  // integers: accept a jittered gap J with probability J / (longest + 1).
  const Duration bound = transmit_interval(side) + Duration(1);
  for (;;) {
    const Duration gap = jittered_interval(side);
    if (rng_.below(static_cast<std::uint64_t>(bound.count())) <
        static_cast<std::uint64_t>(gap.count())) {
      return gap;
    }
  }
}

void BfdSession::send(Side side) {
  ++packets_sent_;
  if (!path_up_) {
    return;  // lost on the failed path
  }
  const Packet packet = packet_of(side);
  const SimTime arrives = engine_.now() + latency_;
  if (refreshes_only(side, packet)) {
    end(side).in_flight.push({EventId{}, arrives, packet});  // deliver_due() takes it in
    return;
  }
  const EventId arrival = engine_.schedule_at(arrives, [this, side] { on_arrival(side); });
  end(side).in_flight.push({arrival, arrives, packet});
}

// A packet that finds its receiver Up and repeats what it heard last changes nothing there but
// the time of the last packet (and so the detection deadline): it needs no event of its own. It
// waits in flight and is taken in, at its arrival time, by the session's next event or input
// (deliver_due), which is never later than the detection timer it pushes back; should the
// receiver change before it arrives, it becomes an event after all (materialise). Packets of one
// direction arrive in order, so only an unbroken run of such packets at the head of the queue
// waits this way.
bool BfdSession::refreshes_only(Side from, const Packet& packet) const {
  const End& receiver = end(other(from));
  const Fifo<InFlight>& queue = end(from).in_flight;
  return mode_ == BfdMode::Packet && latency_ > Duration::zero() &&
         (queue.empty() || !queue.back().arrival.valid()) && running(other(from)) &&
         receiver.state == BfdState::Up && packet.state == BfdState::Up && receiver.heard &&
         *receiver.heard == packet;
}

void BfdSession::deliver_due() {
  const SimTime now = engine_.now();
  for (const Side from : kSides) {
    Fifo<InFlight>& queue = end(from).in_flight;
    while (!queue.empty() && !queue.front().arrival.valid() && queue.front().arrives <= now) {
      // What receive() does with it: the receiver is Up and hears what it heard before, so
      // only the time of the last packet and the detection deadline move (§6.8.4).
      const SimTime arrived = queue.pop().arrives;
      end(other(from)).last_heard = arrived;
      restart_detection_timer(other(from), arrived);
    }
  }
}

void BfdSession::materialise(Side from) {
  for (InFlight& packet : end(from).in_flight) {
    if (packet.arrival.valid()) {
      break;  // the rest are events already
    }
    packet.arrival = engine_.schedule_at(packet.arrives, [this, from] { on_arrival(from); });
  }
}

void BfdSession::on_tx_timer(Side side) {
  send(side);
  if (should_transmit(side)) {
    timers_.arm(tx_timer(side), jittered_interval(side));
  }
  settle();
}

void BfdSession::on_arrival(Side from) {
  deliver_due();
  End& sender = end(from);
  ERSIM_ASSERT(!sender.in_flight.empty(), "BFD packet arrived that was not in flight");
  // Constant latency keeps each direction first in, first out.
  const Packet packet = sender.in_flight.pop().packet;
  receive(other(from), packet);
  settle();
}

void BfdSession::pull_in_tx_timer(Side side) {
  const std::size_t timer = tx_timer(side);
  const std::optional<SimTime> expiry = timers_.expiry(timer);
  if (expiry && *expiry > engine_.now() + transmit_interval(side)) {
    timers_.rearm(timer, jittered_interval(side));
  }
}

void BfdSession::drop_in_flight(Side from) {
  for (const InFlight& packet : end(from).in_flight) {
    engine_.cancel(packet.arrival);
  }
  end(from).in_flight.clear();
}

// ---- quiet mode ------------------------------------------------------------------------------

bool BfdSession::should_transmit(Side side) const {
  if (!running(side)) {
    return false;
  }
  if (mode_ == BfdMode::Packet) {
    return true;  // every packet is simulated, even those nobody can hear
  }
  if (quiescent_ || !path_up_ || !running(other(side))) {
    return false;
  }
  const End& receiver = end(other(side));
  // A receiver in AdminDown discards everything (§6.8.6); once it has heard our AdminDown, more
  // of the same changes nothing.
  if (receiver.state == BfdState::AdminDown) {
    return false;
  }
  return !(end(side).state == BfdState::AdminDown && receiver.heard &&
           receiver.heard->state == BfdState::AdminDown);
}

bool BfdSession::in_agreement() const {
  // Up, and the peer knows this end's current state and timers, so its detection time is the
  // one the steady state will use.
  return path_up_ && std::ranges::all_of(kSides, [this](Side side) {
           const std::optional<Packet>& heard = end(other(side)).heard;
           return running(side) && end(side).state == BfdState::Up && heard &&
                  *heard == packet_of(side);
         });
}

bool BfdSession::converged() const {
  if (mode_ != BfdMode::Quiet || !in_agreement()) {
    return false;
  }
  for (const End& e : ends_) {
    for (const InFlight& packet : e.in_flight) {
      if (!init_or_up(packet.packet.state)) {
        return false;  // news still on its way
      }
    }
  }
  return true;
}

void BfdSession::settle() {
  if (batched_) {
    return;  // steady: nothing to start or stop
  }
  if (mode_ == BfdMode::Quiet && !quiescent_ && converged()) {
    // Both ends Up and in agreement: what follows is packets that only restart detection timers.
    // Stop simulating them; wake() puts them back at a seeded phase when something happens.
    quiescent_ = true;
    for (const Side side : kSides) {
      timers_.cancel(tx_timer(side));
      timers_.cancel(detection_timer(side));
      drop_in_flight(side);
    }
    return;
  }
  for (const Side side : kSides) {
    const std::size_t timer = tx_timer(side);
    if (!should_transmit(side)) {
      timers_.cancel(timer);
    } else if (!timers_.armed(timer)) {
      // A stream (re)starts at a seeded phase: the time to the next packet of a stream already
      // running, which has the same distribution as the time since the last one (see wake()).
      const Duration gap = length_biased_interval(side);
      timers_.arm(timer, rng_.uniform(Duration::zero(), gap));
    }
  }
  if (steady()) {
    park_tx_timers();
  }
}

void BfdSession::wake() {
  if (!quiescent_) {
    return;
  }
  quiescent_ = false;
  const SimTime now = engine_.now();
  for (const Side from : kSides) {
    const Side to = other(from);
    End& receiver = end(to);
    // The stream from -> to has been running unseen. The gap that contains now is length-biased
    // and now falls uniformly within it (renewal theory), so the last packet arrived u before now
    // with u uniform in [0, gap): the receiver detects a silence at now + detection - u, which
    // with 300 ms x 3 lies in (0.6 s, 0.9 s] (DESIGN §3).
    const Duration gap = length_biased_interval(from);
    const Duration since_last = rng_.uniform(Duration::zero(), gap);
    const SimTime last = std::max(now - since_last, receiver.last_heard);
    receiver.last_heard = last;
    receiver.detect_at = last + *detection_time(to);
    timers_.rearm_at(detection_timer(to), receiver.detect_at);
    // The sender's packets after that one: those sent before now are on the wire.
    SimTime next_send = last + gap - latency_;
    while (next_send < now) {
      const EventId arrival =
          engine_.schedule_at(next_send + latency_, [this, from] { on_arrival(from); });
      end(from).in_flight.push({arrival, next_send + latency_, packet_of(from)});
      ++packets_sent_;
      next_send += jittered_interval(from);
    }
    timers_.rearm_at(tx_timer(from), next_send);
  }
}

// ---- packet mode: the batches of a steady session -------------------------------------------

bool BfdSession::steady() const {
  if (mode_ != BfdMode::Packet || !batch_ || latency_ <= Duration::zero() || !in_agreement()) {
    return false;
  }
  for (const Side from : kSides) {
    const End& sender = end(from);
    const End& receiver = end(other(from));
    // Every packet in flight only refreshes (refreshes_only), and so will every packet sent:
    // both ends are Up and each repeats what its peer heard last.
    if (!timers_.armed(tx_timer(from)) ||
        std::any_of(sender.in_flight.begin(), sender.in_flight.end(),
                    [](const InFlight& p) { return p.arrival.valid(); })) {
      return false;
    }
    // No detection timer can run out while the packets flow: the next packet arrives before the
    // receiver's deadline, and each after it within the longest jittered interval of the one
    // before, which §6.8.7 keeps under the detection time. A deadline that falls due finds the
    // packets sent in time. And the batches pay: with a detection time of two of the longest
    // intervals or more (a Detect Mult of 2 or more), a deadline comes due once per two packets
    // of each end or fewer; with a Detect Mult of 1 it would come due about once per packet, and
    // the session keeps an event per packet.
    if (*timers_.expiry(tx_timer(from)) + latency_ >= receiver.detect_at ||
        2 * interval_range(from).second > *detection_time(other(from))) {
      return false;
    }
  }
  return true;
}

void BfdSession::park_tx_timers() {
  for (const Side side : kSides) {
    parked_.next_send.at(static_cast<std::size_t>(side)) = *timers_.expiry(tx_timer(side));
  }
  parked_.first_on_tie =
      timers_.armed_before(tx_timer(Side::A), tx_timer(Side::B)) ? Side::A : Side::B;
  timers_.cancel(tx_timer(Side::A));
  timers_.cancel(tx_timer(Side::B));
  batched_ = true;
}

void BfdSession::unpark_tx_timers() {
  if (!batched_) {
    return;
  }
  // The input runs at now, after the parked packets due before now. One due at this very
  // instant goes after it, as the transmit timer's event would after an input scheduled first.
  send_parked(engine_.now() - Duration(1));
  batched_ = false;
  const Side first = parked_.next_sender();
  for (const Side side : {first, other(first)}) {
    timers_.arm_at(tx_timer(side), parked_.next_send.at(static_cast<std::size_t>(side)));
  }
}

template <class OnSend>
void BfdSession::for_each_parked_send(ParkedTx& tx, Rng& rng, SimTime last, OnSend on_send) const {
  // Steady: neither end's interval changes within the batch.
  const std::array<std::pair<Duration, Duration>, 2> ranges = {interval_range(Side::A),
                                                               interval_range(Side::B)};
  for (;;) {
    const Side side = tx.next_sender();
    SimTime& at = tx.next_send.at(static_cast<std::size_t>(side));
    if (at > last) {
      return;
    }
    on_send(side, at);
    // As on_tx_timer: the next interval is drawn as the packet goes, and the other end's timer,
    // armed before this one is re-armed, goes first at a tie.
    at += draw_interval(ranges.at(static_cast<std::size_t>(side)), rng);
    tx.first_on_tie = other(side);
  }
}

void BfdSession::send_parked(SimTime last) {
  const SimTime now = engine_.now();
  std::array<bool, 2> heard{};
  for_each_parked_send(parked_, rng_, last, [&](Side side, SimTime at) {
    // What send() does with a packet that only refreshes: on the wire, without an event, until
    // deliver_due() takes it in at its arrival time. One that has arrived by now, behind no
    // other, is taken in at once, as deliver_due() would: the receiver's last packet moves, and
    // its detection timer once the batch is sent.
    ++packets_sent_;
    Fifo<InFlight>& queue = end(side).in_flight;
    const SimTime arrives = at + latency_;
    if (arrives <= now && queue.empty()) {
      end(other(side)).last_heard = arrives;
      heard.at(static_cast<std::size_t>(other(side))) = true;
    } else {
      queue.push({EventId{}, arrives, packet_of(side)});
    }
  });
  for (const Side side : kSides) {
    if (heard.at(static_cast<std::size_t>(side))) {
      restart_detection_timer(side, end(side).last_heard);
    }
  }
}

std::uint64_t BfdSession::packets_sent() const {
  if (!batched_) {
    return packets_sent_;
  }
  // The parked packets due by now count as sent: drawn on copies, so that reading changes nothing.
  ParkedTx tx = parked_;
  Rng rng = rng_;
  std::uint64_t sent = packets_sent_;
  for_each_parked_send(tx, rng, engine_.now(), [&sent](Side, SimTime) { ++sent; });
  return sent;
}

}  // namespace ersim::bfd
