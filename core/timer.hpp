// A protocol timer: one handler, armed and cancelled by its owner, cancelled when destroyed.
//
//   Timer hold_timer(engine, [this] { on_hold_timer_expired(); });
//   hold_timer.arm(std::chrono::seconds(180));   ...   hold_timer.rearm(std::chrono::seconds(180));
//
// An owner of several timers keeps them in one TimerSet (core/timer_set.hpp), whose timers cost
// a handle each; a Timer is a set of one.
#pragma once

#include <concepts>
#include <cstddef>
#include <optional>
#include <utility>

#include "core/timer_set.hpp"

namespace ersim {

class Timer {
 public:
  /// A handler that captures a pointer or two is stored without allocating.
  template <std::invocable F>
  Timer(Engine& engine, F on_expired)
      : timer_(engine, [f = std::move(on_expired)](std::size_t) mutable { f(); }) {}

  /// Arms a timer that is not armed (arming an armed timer is a programmer error: use rearm).
  void arm(Duration delay) { timer_.arm(0, delay); }
  void arm_at(SimTime at) { timer_.arm_at(0, at); }
  /// Sets a new expiry whether or not the timer is armed.
  void rearm(Duration delay) { timer_.rearm(0, delay); }
  void rearm_at(SimTime at) { timer_.rearm_at(0, at); }
  /// Disarms; harmless when not armed.
  void cancel() { timer_.cancel(0); }
  /// The engine was rewound: see TimerSet::forget_all.
  void forget() { timer_.forget_all(); }

  [[nodiscard]] bool armed() const { return timer_.armed(0); }
  /// When it will fire, if armed.
  [[nodiscard]] std::optional<SimTime> expiry() const { return timer_.expiry(0); }

 private:
  TimerSet<1> timer_;
};

}  // namespace ersim
