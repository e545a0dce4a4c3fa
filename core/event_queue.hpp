// The pending-event set of the engine: ordered by (time, sequence), cancel by handle in O(1).
//
// Events live in a slab of slots; 16-byte entries (time, sequence, slot) order them, in two
// tiers. Entries due up to a horizon sit in a 4-ary min-heap; later ones wait unsorted in a far
// list, which pays nothing per entry until the heap runs dry and the earliest part of the list
// (an eighth, at least kRefillMinimum entries) moves into the heap and pushes the horizon past
// it. A network's timers run minutes ahead of its messages (hold and connect-retry timers,
// restarted or cancelled long before they are due), so the heap holds the near events only.
// Cancel and reschedule only touch the slot, leaving the old entry behind as a stale entry,
// which pop() skips and compaction sweeps out once stale entries outnumber live ones. Whichever
// tier an entry is in, events come out in exactly (time, sequence) order.
//   EventQueue queue;
//   EventId id = queue.push(SimTime(3s), [] { ... });  queue.cancel(id);
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "core/time.hpp"

namespace ersim {

using EventFn = std::function<void()>;

/// A handle to a scheduled event. Default-constructed handles refer to nothing; a handle whose
/// event has run or been cancelled is harmless to cancel again.
class EventId {
 public:
  constexpr EventId() = default;
  [[nodiscard]] constexpr bool valid() const { return generation_ != 0; }
  friend constexpr bool operator==(EventId, EventId) = default;

 private:
  friend class EventQueue;
  constexpr EventId(std::uint32_t slot, std::uint32_t generation)
      : slot_(slot), generation_(generation) {}
  std::uint32_t slot_ = 0;
  std::uint32_t generation_ = 0;
};

class EventQueue {
 public:
  /// `first_sequence` exists so tests can start near the wrap-around of sequence numbers.
  explicit EventQueue(std::uint32_t first_sequence = 0);

  /// Adds an event. Among events at the same time, the one pushed (or rescheduled) first runs
  /// first.
  EventId push(SimTime at, EventFn fn);

  /// Removes a pending event in O(1) and releases its function. Returns false, and does nothing,
  /// when the event already ran or was cancelled.
  bool cancel(EventId id);

  /// Moves a pending event to a new time; it keeps its handle and function and counts as
  /// scheduled now for the ordering of equal times. Returns false when the event is not pending.
  bool reschedule(EventId id, SimTime at);

  [[nodiscard]] bool pending(EventId id) const;
  [[nodiscard]] std::optional<SimTime> time_of(EventId id) const;

  [[nodiscard]] std::size_t size() const { return live_; }
  [[nodiscard]] bool empty() const { return live_ == 0; }

  /// The time of the earliest pending event. Precondition: !empty().
  SimTime top_time();

  struct Popped {
    SimTime at;
    EventFn fn;
  };
  /// Removes the earliest pending event and returns it. Its handle is no longer pending when this
  /// returns, so the function may reschedule under a new handle. Precondition: !empty().
  Popped pop();

  /// Drops every pending event, releasing its function: no handle given out so far is pending
  /// any more, whatever it was.
  void clear();

  /// Entries in both tiers, stale ones included; for tests of the compaction policy.
  [[nodiscard]] std::size_t entries() const { return heap_.size() + far_.size(); }
  /// Entries in the heap, stale ones included; for tests of the tiers.
  [[nodiscard]] std::size_t heap_entries() const { return heap_.size(); }

 private:
  struct Entry {
    std::int64_t at;
    std::uint32_t seq;
    std::uint32_t slot;
  };
  // 48 bytes: a cold start of 10,000 circuits has 200,000 events pending at once. A slot is
  // live while it holds a function (push() takes none that is empty).
  struct Slot {
    EventFn fn;
    SimTime at{};
    std::uint32_t seq = 0;
    std::uint32_t generation = 1;
  };

  static bool earlier(const Entry& a, const Entry& b) {
    return a.at < b.at || (a.at == b.at && a.seq < b.seq);
  }
  [[nodiscard]] bool stale(const Entry& e) const {
    const Slot& s = slots_[e.slot];
    return !s.fn || s.seq != e.seq;
  }
  [[nodiscard]] const Slot* find(EventId id) const;

  std::uint32_t next_sequence();
  void release(std::uint32_t index);
  void push_entry(Entry e);
  void refill();
  void heapify();
  void pop_root();
  void sift_up(std::size_t pos);
  void sift_down(std::size_t pos);
  void drop_stale_top();
  void note_stale();
  void compact();
  void renumber();

  std::vector<Entry> heap_;
  // Every entry in far_ is due after horizon_, every entry in heap_ at or before it.
  std::vector<Entry> far_;
  std::int64_t horizon_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::size_t live_ = 0;
  std::size_t stale_ = 0;
  std::uint32_t next_seq_;
};

}  // namespace ersim
