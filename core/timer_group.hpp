// A fixed set of protocol timers of one owner that share a single engine event, kept at or
// before the earliest expiry: the engine holds one event for the whole group and runs it only
// when a timer may be due. Suits timers that are pushed back far more often than they fire, such
// as a BFD detection timer that every received packet restarts (RFC 5880 §6.8.4): pushing a timer
// later touches no engine state at all, where a TimerSet moves an event in the engine's queue.
//
//   enum : std::size_t { Tx, Detect };
//   TimerGroup<2> timers(engine, [this](std::size_t timer) { on_expired(timer); });
//   timers.arm(Tx, 300ms);   timers.rearm(Detect, 900ms);   // once per packet, for free
//
// The same rules as TimerSet: arming an armed timer is a programmer error (use rearm), a timer is
// no longer armed when its handler runs, and every timer is cancelled when the group is
// destroyed. Timers due at the same instant fire in the order they were (re)armed, one after the
// other within the group's event; a timer armed for now() from a handler fires after the events
// already due now, as an event scheduled at now() does. Expiry and armed() are answered from
// the group itself, without a look into the engine.
//
// When the earliest timer is pushed later, the event stays where it was; when it runs and finds
// nothing due it moves itself to the earliest expiry. When the earliest timer is cancelled, the
// event moves to the next one; cancelling the last armed timer cancels the event, so a group
// with nothing armed leaves the engine quiet.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <utility>

#include "core/assert.hpp"
#include "core/engine.hpp"

namespace ersim {

/// `Handler` is called with the number of the timer that expired; an owner that keeps the group
/// small passes a functor holding a pointer to itself rather than a std::function.
template <std::size_t N, class Handler = std::function<void(std::size_t timer)>>
class TimerGroup {
  static_assert(N >= 1 && N <= 8, "a group of one to eight timers");

 public:
  TimerGroup(Engine& engine, Handler on_expired)
      : engine_(engine), on_expired_(std::move(on_expired)) {
    due_.fill(kTimeMax);
    for (std::size_t t = 0; t < N; ++t) {
      rank_[t] = static_cast<std::uint8_t>(t);
    }
  }
  ~TimerGroup() { engine_.cancel(event_); }
  // The engine's event refers to this object, so it stays where it was made.
  TimerGroup(const TimerGroup&) = delete;
  TimerGroup& operator=(const TimerGroup&) = delete;
  TimerGroup(TimerGroup&&) = delete;
  TimerGroup& operator=(TimerGroup&&) = delete;

  void arm(std::size_t timer, Duration delay) { arm_at(timer, engine_.now() + delay); }
  void arm_at(std::size_t timer, SimTime at) {
    ERSIM_ASSERT(!armed(timer), "arm() of an armed timer; use rearm()");
    set(timer, at);
  }
  /// Sets a new expiry whether or not the timer is armed.
  void rearm(std::size_t timer, Duration delay) { rearm_at(timer, engine_.now() + delay); }
  void rearm_at(std::size_t timer, SimTime at) { set(timer, at); }
  /// Disarms; harmless when not armed.
  void cancel(std::size_t timer) {
    if (!armed(timer)) {
      return;
    }
    const SimTime was = due_.at(timer);
    due_.at(timer) = kTimeMax;
    if (firing_) {
      return;
    }
    if (const SimTime next = earliest(); next == kTimeMax) {
      engine_.cancel(event_);
      event_ = {};
    } else if (was < next) {
      // The event was at or before the cancelled timer: it moves to the earliest one left
      // rather than run for nothing.
      engine_.reschedule(event_, next);
    }
  }
  void cancel_all() {
    due_.fill(kTimeMax);
    if (!firing_) {
      engine_.cancel(event_);
      event_ = {};
    }
  }

  /// The engine was rewound (Engine::rewind): its events are gone, so the timers are dropped
  /// without a look into the engine. Asserts that the engine has nothing pending.
  void forget_all() {
    ERSIM_ASSERT(engine_.pending_count() == 0, "timers forgotten while events are pending");
    due_.fill(kTimeMax);
    event_ = {};
  }

  [[nodiscard]] bool armed(std::size_t timer) const { return due_.at(timer) != kTimeMax; }
  /// Whether `timer` was last armed before `other`: the one that fires first at a tie.
  [[nodiscard]] bool armed_before(std::size_t timer, std::size_t other) const {
    return rank_.at(timer) < rank_.at(other);
  }
  /// When it will fire, if armed.
  [[nodiscard]] std::optional<SimTime> expiry(std::size_t timer) const {
    if (!armed(timer)) {
      return std::nullopt;
    }
    return due_.at(timer);
  }

 private:
  [[nodiscard]] SimTime earliest() const { return *std::min_element(due_.begin(), due_.end()); }

  // The event is pending exactly while a timer is armed (outside fire()), at or before the
  // earliest expiry: only a timer that becomes the earliest of all may need to move it, and only
  // then is the engine asked where it is.
  void set(std::size_t timer, SimTime at) {
    ERSIM_ASSERT(at >= engine_.now() && at < kTimeMax, "timer armed in the past or never");
    // The timer is now the last one armed: those ranked after it move up one.
    const std::uint8_t rank = rank_.at(timer);
    for (std::uint8_t& r : rank_) {
      if (r > rank) {
        --r;
      }
    }
    rank_.at(timer) = static_cast<std::uint8_t>(N - 1);
    if (firing_) {
      due_.at(timer) = at;
      fresh_ |= static_cast<std::uint8_t>(1U << timer);
      return;  // fire() places the event when the handlers are done
    }
    const SimTime before = earliest();
    due_.at(timer) = at;
    if (!event_.valid()) {
      event_ = engine_.schedule_at(at, [this] { fire(); });
    } else if (at < before && at < *engine_.time_of(event_)) {
      engine_.reschedule(event_, at);
    }
  }

  // The group's event: every timer due now, in the order they were armed, then the event again
  // at the earliest expiry left. A timer armed by one of these handlers (fresh_) waits for that
  // next event, even if due now: it runs after the events already due now.
  void fire() {
    event_ = {};  // the engine counts it as run
    firing_ = true;
    fresh_ = 0;
    const SimTime now = engine_.now();
    for (;;) {
      std::size_t next = N;
      for (std::size_t t = 0; t < N; ++t) {
        if (due_[t] <= now && (fresh_ & (1U << t)) == 0 && (next == N || rank_[t] < rank_[next])) {
          next = t;
        }
      }
      if (next == N) {
        break;
      }
      due_[next] = kTimeMax;
      on_expired_(next);
    }
    firing_ = false;
    if (const SimTime at = earliest(); at != kTimeMax) {
      event_ = engine_.schedule_at(at, [this] { fire(); });
    }
  }

  Engine& engine_;
  Handler on_expired_;
  std::array<SimTime, N> due_{};  ///< kTimeMax: not armed
  EventId event_;                 ///< invalid while no event is pending
  /// The order the timers were last armed in, 0 first: ties at one instant fire in it.
  std::array<std::uint8_t, N> rank_{};
  std::uint8_t fresh_ = 0;  ///< bit t: timer t was armed by a handler of the running event
  bool firing_ = false;
};

}  // namespace ersim
