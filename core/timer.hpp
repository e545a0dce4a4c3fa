// A protocol timer: one handler, armed and cancelled by its owner, cancelled when destroyed.
//
//   Timer hold_timer(engine, [this] { on_hold_timer_expired(); });
//   hold_timer.arm(std::chrono::seconds(180));   ...   hold_timer.rearm(std::chrono::seconds(180));
#pragma once

#include <functional>
#include <optional>

#include "core/engine.hpp"

namespace ersim {

class Timer {
 public:
  Timer(Engine& engine, std::function<void()> on_expired);
  ~Timer();
  // The engine's event refers to this object, so it stays where it was made.
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;
  Timer(Timer&&) = delete;
  Timer& operator=(Timer&&) = delete;

  /// Arms a timer that is not armed (arming an armed timer is a programmer error: use rearm).
  void arm(Duration delay);
  void arm_at(SimTime at);
  /// Sets a new expiry whether or not the timer is armed.
  void rearm(Duration delay);
  void rearm_at(SimTime at);
  /// Disarms; harmless when not armed.
  void cancel();

  [[nodiscard]] bool armed() const { return engine_.pending(event_); }
  /// When it will fire, if armed.
  [[nodiscard]] std::optional<SimTime> expiry() const { return engine_.time_of(event_); }

 private:
  void fire();

  Engine& engine_;
  std::function<void()> on_expired_;
  EventId event_;
};

}  // namespace ersim
