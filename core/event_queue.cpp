#include "core/event_queue.hpp"

#include <algorithm>
#include <bit>
#include <limits>
#include <utility>

#include "core/assert.hpp"

namespace ersim {
namespace {

// Below this many entries compaction is not worth its pass.
constexpr std::size_t kCompactMinimum = 64;
// A bucket emptied by redistribution keeps storage for up to this many entries (16 KiB).
constexpr std::size_t kKeepCapacity = 1024;

// A time as an unsigned key of the same order (the sign bit flipped), for the radix buckets.
std::uint64_t key(std::int64_t at) {
  return static_cast<std::uint64_t>(at) ^ (std::uint64_t{1} << 63U);
}

std::uint64_t bit(std::size_t bucket) { return std::uint64_t{1} << (bucket - 1); }

}  // namespace

EventQueue::EventQueue(std::uint32_t first_sequence) : next_seq_(first_sequence) {}

EventId EventQueue::push(SimTime at, EventFn fn) {
  ERSIM_ASSERT(fn != nullptr, "event without a function");
  std::uint32_t index = 0;
  if (free_slots_.empty()) {
    ERSIM_ASSERT(slots_.size() < std::numeric_limits<std::uint32_t>::max(), "too many events");
    index = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  } else {
    index = free_slots_.back();
    free_slots_.pop_back();
  }
  const std::uint32_t seq = next_sequence();
  Slot& slot = slots_[index];
  slot.fn = std::move(fn);
  slot.at = at;
  slot.seq = seq;
  ++live_;
  push_entry({at.time_since_epoch().count(), seq, index});
  return {index, slot.generation};
}

bool EventQueue::cancel(EventId id) {
  if (find(id) == nullptr) {
    return false;
  }
  release(id.slot_);
  note_stale();
  return true;
}

bool EventQueue::reschedule(EventId id, SimTime at) {
  if (find(id) == nullptr) {
    return false;
  }
  const std::uint32_t seq = next_sequence();
  Slot& slot = slots_[id.slot_];
  slot.at = at;
  slot.seq = seq;
  push_entry({at.time_since_epoch().count(), seq, id.slot_});
  note_stale();
  return true;
}

bool EventQueue::pending(EventId id) const { return find(id) != nullptr; }

std::optional<SimTime> EventQueue::time_of(EventId id) const {
  const Slot* slot = find(id);
  if (slot == nullptr) {
    return std::nullopt;
  }
  return slot->at;
}

SimTime EventQueue::top_time() {
  ERSIM_ASSERT(!empty(), "top_time() of an empty event queue");
  settle_top();
  return SimTime(Duration(buckets_[0][zero_head_].at));
}

EventQueue::Popped EventQueue::pop() {
  ERSIM_ASSERT(!empty(), "pop() of an empty event queue");
  settle_top();
  const std::uint32_t index = buckets_[0][zero_head_].slot;
  ++zero_head_;
  --entries_;
  Slot& slot = slots_[index];
  Popped popped{slot.at, std::move(slot.fn)};
  release(index);
  return popped;
}

template <class F>
void EventQueue::take_live(F f) {
  for (std::size_t b = 0; b < kBuckets; ++b) {
    std::vector<Entry>& bucket = buckets_[b];
    for (std::size_t i = b == 0 ? zero_head_ : 0; i < bucket.size(); ++i) {
      if (!stale(bucket[i])) {
        f(bucket[i]);
      }
    }
    bucket.clear();
  }
  zero_head_ = 0;
  nonempty_ = 0;
  entries_ = 0;
  stale_ = 0;
}

void EventQueue::clear() {
  take_live([this](const Entry& e) { release(e.slot); });
  min_key_ = 0;
}

const EventQueue::Slot* EventQueue::find(EventId id) const {
  if (!id.valid() || id.slot_ >= slots_.size()) {
    return nullptr;
  }
  const Slot& slot = slots_[id.slot_];
  return (slot.fn && slot.generation == id.generation_) ? &slot : nullptr;
}

std::size_t EventQueue::bucket_of(std::uint64_t k) const {
  return k == min_key_ ? 0 : static_cast<std::size_t>(64 - std::countl_zero(k ^ min_key_));
}

std::uint32_t EventQueue::next_sequence() {
  if (next_seq_ == std::numeric_limits<std::uint32_t>::max()) {
    rebuild(min_key_, true);
  }
  return next_seq_++;
}

// Frees a slot whose entry may still be in the heap: that entry is now stale, because a free
// slot is not live and a reused slot gets a newer sequence number.
void EventQueue::release(std::uint32_t index) {
  Slot& slot = slots_[index];
  slot.fn = nullptr;  // not live
  if (++slot.generation == 0) {
    slot.generation = 1;  // 0 marks the invalid handle
  }
  free_slots_.push_back(index);
  --live_;
}

// An entry due at the minimum joins bucket 0 behind the others: its sequence number is the
// newest.
void EventQueue::push_entry(Entry e) {
  if (key(e.at) < min_key_) {
    rebuild(key(e.at), false);
  }
  place(e);
  ++entries_;
}

void EventQueue::place(Entry e) {
  const std::size_t b = bucket_of(key(e.at));
  buckets_[b].push_back(e);
  if (b != 0) {
    nonempty_ |= bit(b);
  }
}

// Makes the front of bucket 0 the earliest live entry. live_ > 0, so there is one.
//
// Only the front of bucket 0 is checked for staleness, where pop() reads the slot anyway:
// redistribution moves stale entries down with the live ones rather than look up each one's
// slot, a random read into an array of about 100 MB at 100,000 circuits (two million events
// pending), for every move of every entry. Stale entries at most double the entries (note_stale),
// and the minimum taken over them is never later than the live minimum, which is all min_key_
// promises.
void EventQueue::settle_top() {
  std::vector<Entry>& zero = buckets_[0];
  while (true) {
    for (; zero_head_ < zero.size(); ++zero_head_) {
      if (!stale(zero[zero_head_])) {
        return;
      }
      --stale_;
      --entries_;
    }
    zero.clear();
    zero_head_ = 0;
    ERSIM_ASSERT(nonempty_ != 0, "event queue with live events and no entry");
    const auto b = static_cast<std::size_t>(std::countr_zero(nonempty_)) + 1;
    std::vector<Entry>& from = buckets_[b];
    nonempty_ &= ~bit(b);
    std::uint64_t earliest = std::numeric_limits<std::uint64_t>::max();
    for (const Entry& e : from) {
      earliest = std::min(earliest, key(e.at));
    }
    // Every entry of the bucket first differs from the new minimum below bit b - 1.
    min_key_ = earliest;
    for (const Entry& e : from) {
      place(e);
    }
    // They came in the bucket's order: the ones due now run in the order they were scheduled.
    std::sort(zero.begin(), zero.end(),
              [](const Entry& x, const Entry& y) { return x.seq < y.seq; });
    // A large bucket's storage goes with it: its entries now sit in the buckets below, and the
    // clock will not bring that many back to it for a while (a cold start's timers otherwise
    // leave every bucket as large as it ever was).
    if (from.capacity() > kKeepCapacity) {
      std::vector<Entry>().swap(from);
    } else {
      from.clear();
    }
  }
}

// Cancel and reschedule leave one stale entry each. Sweeping them out once they outnumber the
// live ones keeps the heap under twice the live size at O(1) amortised cost per stale entry.
void EventQueue::note_stale() {
  ++stale_;
  if (entries_ >= kCompactMinimum && stale_ > live_) {
    compact();
  }
}

void EventQueue::compact() {
  const auto is_stale = [this](const Entry& e) { return stale(e); };
  std::vector<Entry>& zero = buckets_[0];
  zero.erase(zero.begin(), zero.begin() + static_cast<std::ptrdiff_t>(zero_head_));
  zero_head_ = 0;
  entries_ = 0;
  nonempty_ = 0;
  for (std::size_t b = 0; b < kBuckets; ++b) {
    std::erase_if(buckets_[b], is_stale);
    entries_ += buckets_[b].size();
    if (b != 0 && !buckets_[b].empty()) {
      nonempty_ |= bit(b);
    }
  }
  stale_ = 0;
}

// Puts every live entry back with `floor` as the minimum, in (time, sequence) order so bucket 0
// stays in sequence order: for an event due before the minimum (push_entry), and before the
// sequence numbers wrap (they only order events of equal time), renumbering the live entries
// 0..n-1 in that order.
void EventQueue::rebuild(std::uint64_t floor, bool renumber) {
  std::vector<Entry> live;
  live.reserve(live_);
  take_live([&live](const Entry& e) { live.push_back(e); });
  std::sort(live.begin(), live.end(), [](const Entry& x, const Entry& y) {
    return x.at < y.at || (x.at == y.at && x.seq < y.seq);
  });
  if (renumber) {
    std::uint32_t seq = 0;
    for (Entry& e : live) {
      e.seq = seq;
      slots_[e.slot].seq = seq;
      ++seq;
    }
    next_seq_ = seq;
  }
  entries_ = live.size();
  min_key_ = floor;
  for (const Entry& e : live) {
    place(e);
  }
}

}  // namespace ersim
