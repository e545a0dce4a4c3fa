// A fixed set of protocol timers of one owner, sharing its engine and one handler: each timer
// costs its event handle only (8 bytes), where a Timer of its own carries an engine reference
// and a handler besides (48 bytes). A BGP session has eight timers and a network tens of
// thousands of sessions.
//
//   enum : std::size_t { Hold, Keepalive };
//   TimerSet<2> timers(engine, [this](std::size_t timer) { on_expired(timer); });
//   timers.arm(Hold, 180s);   ...   timers.rearm(Hold, 180s);   timers.cancel(Keepalive);
//
// The same rules as Timer: arming an armed timer is a programmer error (use rearm), a timer is
// no longer armed when its handler runs, and every timer is cancelled when the set is destroyed.
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <optional>
#include <utility>

#include "core/assert.hpp"
#include "core/engine.hpp"

namespace ersim {

template <std::size_t N>
class TimerSet {
 public:
  using Handler = std::function<void(std::size_t timer)>;

  TimerSet(Engine& engine, Handler on_expired)
      : engine_(engine), on_expired_(std::move(on_expired)) {
    ERSIM_ASSERT(on_expired_ != nullptr, "timers without a handler");
  }
  ~TimerSet() { cancel_all(); }
  // The engine's events refer to this object, so it stays where it was made.
  TimerSet(const TimerSet&) = delete;
  TimerSet& operator=(const TimerSet&) = delete;
  TimerSet(TimerSet&&) = delete;
  TimerSet& operator=(TimerSet&&) = delete;

  void arm(std::size_t timer, Duration delay) { arm_at(timer, engine_.now() + delay); }
  void arm_at(std::size_t timer, SimTime at) {
    ERSIM_ASSERT(!armed(timer), "arm() of an armed timer; use rearm()");
    events_.at(timer) = schedule(timer, at);
  }
  /// Sets a new expiry whether or not the timer is armed.
  void rearm(std::size_t timer, Duration delay) { rearm_at(timer, engine_.now() + delay); }
  void rearm_at(std::size_t timer, SimTime at) {
    // Moving the pending event keeps its slot and function: no allocation on the hot path of a
    // hold timer that every keepalive restarts.
    EventId& event = events_.at(timer);
    if (!engine_.reschedule(event, at)) {
      event = schedule(timer, at);
    }
  }
  /// Disarms; harmless when not armed.
  void cancel(std::size_t timer) { engine_.cancel(events_.at(timer)); }
  void cancel_all() {
    for (const EventId event : events_) {
      engine_.cancel(event);
    }
  }

  /// The engine was rewound (Engine::rewind): its events are gone, so the handles are dropped
  /// without looking each one up, which would touch a slot of the engine per timer. Asserts
  /// that the engine has nothing pending.
  void forget_all() {
    ERSIM_ASSERT(engine_.pending_count() == 0, "timers forgotten while events are pending");
    events_ = {};
  }

  [[nodiscard]] bool armed(std::size_t timer) const { return engine_.pending(events_.at(timer)); }
  /// When it will fire, if armed.
  [[nodiscard]] std::optional<SimTime> expiry(std::size_t timer) const {
    return engine_.time_of(events_.at(timer));
  }

 private:
  EventId schedule(std::size_t timer, SimTime at) {
    // The engine already counts the event as run when the handler is called, so armed() is
    // false there and the handler may arm the timer again.
    return engine_.schedule_at(at, [this, timer] { on_expired_(timer); });
  }

  Engine& engine_;
  Handler on_expired_;
  std::array<EventId, N> events_{};
};

}  // namespace ersim
