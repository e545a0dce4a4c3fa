// The discrete-event engine: simulated time, the pending events, and the run loop.
//
// Events run in (time, scheduling order); the engine never looks at a wall clock.
//   Engine engine;
//   engine.schedule_in(std::chrono::seconds(3), [&] { ... });  engine.run_until_quiet();
#pragma once

#include <cstdint>
#include <string_view>

#include "core/event_queue.hpp"
#include "core/time.hpp"

namespace ersim {

/// Why a run returned.
enum class StopReason {
  Quiet,      ///< no event was pending any more
  TimeLimit,  ///< simulated time reached the end given to run_until()
  Stopped,    ///< an event called stop()
};

std::string_view to_string(StopReason reason);

class Engine {
 public:
  Engine() = default;
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  Engine(Engine&&) = delete;
  Engine& operator=(Engine&&) = delete;
  ~Engine() = default;

  [[nodiscard]] SimTime now() const { return now_; }

  /// Schedules `fn` at `at`. Scheduling in the past is a programmer error (InternalError);
  /// scheduling at now() is allowed and runs after the events already due now.
  EventId schedule_at(SimTime at, EventFn fn);
  /// Schedules `fn` after `delay` (>= 0).
  EventId schedule_in(Duration delay, EventFn fn);

  /// Cancels in O(1); false when the event already ran or was cancelled.
  bool cancel(EventId id) { return queue_.cancel(id); }
  /// Moves a pending event to `at` (not in the past); false when it is not pending.
  bool reschedule(EventId id, SimTime at);
  [[nodiscard]] bool pending(EventId id) const { return queue_.pending(id); }
  [[nodiscard]] std::optional<SimTime> time_of(EventId id) const { return queue_.time_of(id); }

  [[nodiscard]] std::size_t pending_count() const { return queue_.size(); }
  [[nodiscard]] std::uint64_t executed_count() const { return executed_; }

  /// Runs every event due at or before `end`, then sets now() to `end`. Returns TimeLimit, or
  /// Stopped when an event called stop() (now() is then that event's time).
  StopReason run_until(SimTime end);
  /// Runs until no event is pending (Quiet) or an event calls stop() (Stopped).
  StopReason run_until_quiet();
  /// Drops every pending event and sets now() to `at`, which may be earlier than now(): a
  /// simulation that kept its state from an earlier instant (router::Network::rollback) goes on
  /// from there. Events then scheduled keep their relative order as if the engine were new.
  void rewind(SimTime at);
  /// Makes the current run return after the event that is running finishes.
  void stop() { stop_requested_ = true; }

 private:
  StopReason run(SimTime end);

  EventQueue queue_;
  SimTime now_ = kTimeZero;
  std::uint64_t executed_ = 0;
  bool stop_requested_ = false;
};

}  // namespace ersim
