// The pending-event set of the engine: ordered by (time, sequence), cancel by handle in O(1).
//
// Events live in a slab of slots; 16-byte entries (time, sequence, slot) order them in a radix
// heap over the integer time, which suits an engine whose clock never goes back between pops.
// Bucket 0 holds the entries due at the current minimum time, in sequence order; bucket i > 0
// those whose time first differs from it at bit i - 1. When bucket 0 runs out, the lowest
// non-empty bucket's earliest time becomes the minimum and its entries move to lower buckets:
// an entry moves a few times between its push and its pop, by appending, with no comparison
// against the others, and an entry due minutes ahead (a hold timer) sits in a high bucket
// untouched until the clock comes near it. Cancel and reschedule only touch the slot, leaving
// the old entry behind as a stale entry, which the heap skips and compaction sweeps out once
// stale entries outnumber live ones. Events come out in exactly (time, sequence) order.
//   EventQueue queue;
//   EventId id = queue.push(SimTime(3s), [] { ... });  queue.cancel(id);
#pragma once

#include <array>
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
  /// first. An event due before the earliest pending one that top_time() or pop() last saw
  /// (an engine that stopped at a time limit and schedules before the next event) costs a
  /// rebuild of the heap, O(n log n); an engine never schedules before the last pop.
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

  /// Entries in the heap, stale ones included; for tests of the compaction policy.
  [[nodiscard]] std::size_t entries() const { return entries_; }

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
  // Bucket 0 and one per bit of the 64-bit key.
  static constexpr std::size_t kBuckets = 65;

  [[nodiscard]] bool stale(const Entry& e) const {
    const Slot& s = slots_[e.slot];
    return !s.fn || s.seq != e.seq;
  }
  [[nodiscard]] const Slot* find(EventId id) const;
  [[nodiscard]] std::size_t bucket_of(std::uint64_t key) const;

  std::uint32_t next_sequence();
  void release(std::uint32_t index);
  void push_entry(Entry e);
  /// Appends an entry due no earlier than min_key_ to its bucket.
  void place(Entry e);
  void settle_top();
  void note_stale();
  void compact();
  void rebuild(std::uint64_t floor, bool renumber);
  /// Calls f on every live entry and empties the buckets.
  template <class F>
  void take_live(F f);

  // buckets_[0] from zero_head_ on: the entries due at min_key_, in sequence order.
  std::array<std::vector<Entry>, kBuckets> buckets_;
  std::size_t zero_head_ = 0;
  std::uint64_t nonempty_ = 0;  ///< bit i - 1 set when buckets_[i] holds entries
  std::uint64_t min_key_ = 0;   ///< no pending entry is due before it (the time as a key)
  std::size_t entries_ = 0;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::size_t live_ = 0;
  std::size_t stale_ = 0;
  std::uint32_t next_seq_;
};

}  // namespace ersim
