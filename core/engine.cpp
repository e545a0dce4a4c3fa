#include "core/engine.hpp"

#include <utility>

#include "core/assert.hpp"

namespace ersim {

std::string_view to_string(StopReason reason) {
  switch (reason) {
    case StopReason::Quiet:
      return "quiet";
    case StopReason::TimeLimit:
      return "time-limit";
    case StopReason::Stopped:
      return "stopped";
  }
  return "unknown";
}

EventId Engine::schedule_at(SimTime at, EventFn fn) {
  ERSIM_ASSERT(at >= now_, "event scheduled in the past");
  ERSIM_ASSERT(fn != nullptr, "event without a function");
  return queue_.push(at, std::move(fn));
}

EventId Engine::schedule_in(Duration delay, EventFn fn) {
  ERSIM_ASSERT(delay >= Duration::zero(), "event scheduled with a negative delay");
  ERSIM_ASSERT(now_ <= kTimeMax - delay, "event scheduled beyond the end of simulated time");
  return schedule_at(now_ + delay, std::move(fn));
}

bool Engine::reschedule(EventId id, SimTime at) {
  ERSIM_ASSERT(at >= now_, "event rescheduled into the past");
  return queue_.reschedule(id, at);
}

StopReason Engine::run_until(SimTime end) {
  ERSIM_ASSERT(end >= now_, "run_until() a time in the past");
  const StopReason reason = run(end);
  if (reason == StopReason::Stopped) {
    return reason;
  }
  now_ = end;
  return StopReason::TimeLimit;
}

void Engine::rewind(SimTime at) {
  queue_.clear();
  now_ = at;
}

StopReason Engine::run_until_quiet() { return run(kTimeMax); }

StopReason Engine::run(SimTime end) {
  stop_requested_ = false;
  while (!queue_.empty()) {
    if (queue_.top_time() > end) {
      return StopReason::TimeLimit;
    }
    EventQueue::Popped event = queue_.pop();
    now_ = event.at;
    ++executed_;
    event.fn();
    if (stop_requested_) {
      stop_requested_ = false;
      return StopReason::Stopped;
    }
  }
  return StopReason::Quiet;
}

}  // namespace ersim
