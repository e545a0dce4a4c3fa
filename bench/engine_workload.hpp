// The timer-heavy workloads of engine_bench, written once over any queue with the EventQueue
// interface, and the std::priority_queue baseline they are measured against.
//
//   HoldModel<ErsimQueue> model(10'000, /*seed=*/1);  model.step();   // pop, run, schedule one
//   ChurnModel<BaselineQueue> churn(10'000, 1);       churn.step();   // + rearm a random timer
// Both queues see the same random delays and run events in the same order, so their checksums
// agree (test/bench/engine_workload_test.cpp checks it).
#pragma once

#include <cstdint>
#include <queue>
#include <utility>
#include <vector>

#include "core/event_queue.hpp"
#include "core/random.hpp"

namespace ersim::bench {

/// ersim's queue; rearm cancels the pending event and pushes a new one.
class ErsimQueue {
 public:
  using Handle = EventId;
  Handle push(SimTime at, EventFn fn) { return queue_.push(at, std::move(fn)); }
  template <class MakeFn>
  Handle rearm(Handle h, SimTime at, MakeFn&& make) {
    queue_.cancel(h);
    return queue_.push(at, make());
  }
  EventQueue::Popped pop() { return queue_.pop(); }
  [[nodiscard]] std::size_t size() const { return queue_.size(); }

 private:
  EventQueue queue_;
};

/// ersim's queue; rearm moves the pending event (EventQueue::reschedule), as core/timer does.
class ErsimRescheduleQueue {
 public:
  using Handle = EventId;
  Handle push(SimTime at, EventFn fn) { return queue_.push(at, std::move(fn)); }
  template <class MakeFn>
  Handle rearm(Handle h, SimTime at, MakeFn&& /*make*/) {
    queue_.reschedule(h, at);
    return h;
  }
  EventQueue::Popped pop() { return queue_.pop(); }
  [[nodiscard]] std::size_t size() const { return queue_.size(); }

 private:
  EventQueue queue_;
};

/// A plain std::priority_queue of (time, sequence, id, function), cancelled by a tombstone flag
/// per id that pop() skips.
class BaselineQueue {
 public:
  using Handle = std::uint64_t;
  Handle push(SimTime at, EventFn fn) {
    const Handle id = cancelled_.size();
    cancelled_.push_back(0);
    heap_.push({at.time_since_epoch().count(), next_seq_++, id, std::move(fn)});
    ++live_;
    return id;
  }
  template <class MakeFn>
  Handle rearm(Handle h, SimTime at, MakeFn&& make) {
    cancelled_[h] = 1;
    --live_;
    return push(at, make());
  }
  EventQueue::Popped pop() {
    while (cancelled_[heap_.top().id] != 0) {
      heap_.pop();
    }
    // top() is const; moving the function out is safe because pop() only compares times.
    auto& top = const_cast<Entry&>(heap_.top());  // NOLINT(cppcoreguidelines-pro-type-const-cast)
    EventQueue::Popped popped{SimTime(Duration(top.at)), std::move(top.fn)};
    cancelled_[top.id] = 1;
    heap_.pop();
    --live_;
    return popped;
  }
  [[nodiscard]] std::size_t size() const { return live_; }

 private:
  struct Entry {
    std::int64_t at;
    std::uint64_t seq;
    Handle id;
    EventFn fn;
  };
  struct Later {
    bool operator()(const Entry& a, const Entry& b) const {
      return a.at > b.at || (a.at == b.at && a.seq > b.seq);
    }
  };
  std::priority_queue<Entry, std::vector<Entry>, Later> heap_;
  std::vector<std::uint8_t> cancelled_;
  std::uint64_t next_seq_ = 0;
  std::size_t live_ = 0;
};

/// Pure schedule/execute (the classic "hold" model): `pending` events; each step runs the
/// earliest, which schedules one more at a random time ahead.
template <class Queue>
class HoldModel {
 public:
  HoldModel(std::size_t pending, std::uint64_t seed)
      : rng_(seed), span_(static_cast<std::int64_t>(pending) * 1000) {
    for (std::size_t i = 0; i < pending; ++i) {
      queue_.push(ahead(), make(static_cast<std::uint32_t>(i)));
    }
  }
  void step() {
    EventQueue::Popped event = queue_.pop();
    now_ = event.at;
    event.fn();
  }
  [[nodiscard]] std::uint64_t executed() const { return executed_; }
  [[nodiscard]] std::uint64_t checksum() const { return checksum_; }
  [[nodiscard]] std::size_t pending() const { return queue_.size(); }

 private:
  SimTime ahead() { return now_ + Duration(rng_.between(1, span_)); }
  EventFn make(std::uint32_t i) {
    return [this, i] {
      ++executed_;
      checksum_ = checksum_ * 31 + i;
      queue_.push(ahead(), make(i));
    };
  }

  Queue queue_;
  Rng rng_;
  std::int64_t span_;
  SimTime now_ = kTimeZero;
  std::uint64_t executed_ = 0;
  std::uint64_t checksum_ = 0;
};

/// Timer churn: `pending` timers, always armed. Each step rearms one timer at random (its pending
/// event is cancelled and never fires: half of all scheduled events), then runs the earliest
/// event, whose timer arms itself again. Per step: two schedules, one cancel, one execution.
template <class Queue>
class ChurnModel {
 public:
  ChurnModel(std::size_t pending, std::uint64_t seed)
      : rng_(seed), span_(static_cast<std::int64_t>(pending) * 1000) {
    timers_.reserve(pending);
    for (std::size_t i = 0; i < pending; ++i) {
      timers_.push_back(queue_.push(ahead(), make(static_cast<std::uint32_t>(i))));
    }
  }
  void step() {
    const auto i = static_cast<std::uint32_t>(rng_.below(timers_.size()));
    timers_[i] = queue_.rearm(timers_[i], ahead(), [this, i] { return make(i); });
    EventQueue::Popped event = queue_.pop();
    now_ = event.at;
    event.fn();
  }
  [[nodiscard]] std::uint64_t executed() const { return executed_; }
  [[nodiscard]] std::uint64_t checksum() const { return checksum_; }
  [[nodiscard]] std::size_t pending() const { return queue_.size(); }

 private:
  SimTime ahead() { return now_ + Duration(rng_.between(1, span_)); }
  EventFn make(std::uint32_t i) {
    return [this, i] {
      ++executed_;
      checksum_ = checksum_ * 31 + i;
      timers_[i] = queue_.push(ahead(), make(i));
    };
  }

  Queue queue_;
  Rng rng_;
  std::int64_t span_;
  std::vector<typename Queue::Handle> timers_;
  SimTime now_ = kTimeZero;
  std::uint64_t executed_ = 0;
  std::uint64_t checksum_ = 0;
};

}  // namespace ersim::bench
