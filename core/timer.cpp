#include "core/timer.hpp"

#include <utility>

#include "core/assert.hpp"

namespace ersim {

Timer::Timer(Engine& engine, std::function<void()> on_expired)
    : engine_(engine), on_expired_(std::move(on_expired)) {
  ERSIM_ASSERT(on_expired_ != nullptr, "timer without a handler");
}

Timer::~Timer() { engine_.cancel(event_); }

void Timer::arm(Duration delay) { arm_at(engine_.now() + delay); }

void Timer::arm_at(SimTime at) {
  ERSIM_ASSERT(!armed(), "arm() of an armed timer; use rearm()");
  event_ = engine_.schedule_at(at, [this] { fire(); });
}

void Timer::rearm(Duration delay) { rearm_at(engine_.now() + delay); }

void Timer::rearm_at(SimTime at) {
  // Moving the pending event keeps its slot and function: no allocation on the hot path of a
  // hold timer that every keepalive restarts.
  if (!engine_.reschedule(event_, at)) {
    event_ = engine_.schedule_at(at, [this] { fire(); });
  }
}

void Timer::cancel() { engine_.cancel(event_); }

void Timer::fire() {
  // The engine already counts the event as run, so armed() is false here and the handler may
  // arm the timer again.
  on_expired_();
}

}  // namespace ersim
