#include "core/event_queue.hpp"

#include <algorithm>
#include <limits>
#include <utility>

#include "core/assert.hpp"

namespace ersim {
namespace {

constexpr std::size_t kArity = 4;
// Below this many entries compaction is not worth its pass.
constexpr std::size_t kCompactMinimum = 64;
// A refill moves the earliest eighth of the far list into the heap, and at least this many
// entries (or all): each far entry is looked at a bounded number of times before it moves, and
// a small queue keeps all its entries in the heap.
constexpr std::size_t kRefillFraction = 8;
constexpr std::size_t kRefillMinimum = 256;
// Before the first refill nothing is near: every entry waits in the far list.
constexpr std::int64_t kNoHorizon = std::numeric_limits<std::int64_t>::min();

}  // namespace

EventQueue::EventQueue(std::uint32_t first_sequence)
    : horizon_(kNoHorizon), next_seq_(first_sequence) {}

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
  drop_stale_top();
  return SimTime(Duration(heap_.front().at));
}

EventQueue::Popped EventQueue::pop() {
  ERSIM_ASSERT(!empty(), "pop() of an empty event queue");
  drop_stale_top();
  const std::uint32_t index = heap_.front().slot;
  pop_root();
  Slot& slot = slots_[index];
  Popped popped{slot.at, std::move(slot.fn)};
  release(index);
  return popped;
}

// Every live slot has an entry in one of the tiers, so the tiers (live and stale entries) are the
// lists to walk: the cost is what is pending, not every slot the queue ever used.
void EventQueue::clear() {
  for (const std::vector<Entry>* tier : {&heap_, &far_}) {
    for (const Entry& e : *tier) {
      if (!stale(e)) {
        release(e.slot);
      }
    }
  }
  heap_.clear();
  far_.clear();
  horizon_ = kNoHorizon;
  stale_ = 0;
}

const EventQueue::Slot* EventQueue::find(EventId id) const {
  if (!id.valid() || id.slot_ >= slots_.size()) {
    return nullptr;
  }
  const Slot& slot = slots_[id.slot_];
  return (slot.fn && slot.generation == id.generation_) ? &slot : nullptr;
}

std::uint32_t EventQueue::next_sequence() {
  if (next_seq_ == std::numeric_limits<std::uint32_t>::max()) {
    renumber();
  }
  return next_seq_++;
}

// Frees a slot whose heap entry may still be in the heap: that entry is now stale, because a
// free slot is not live and a reused slot gets a newer sequence number.
void EventQueue::release(std::uint32_t index) {
  Slot& slot = slots_[index];
  slot.fn = nullptr;  // not live
  if (++slot.generation == 0) {
    slot.generation = 1;  // 0 marks the invalid handle
  }
  free_slots_.push_back(index);
  --live_;
}

void EventQueue::push_entry(Entry e) {
  if (e.at > horizon_) {
    far_.push_back(e);
    return;
  }
  heap_.push_back(e);
  sift_up(heap_.size() - 1);
}

// The heap has no entry left: the earliest part of the far list becomes near. Entries due at the
// new horizon all move, so no entry in the far list is due at or before it.
void EventQueue::refill() {
  ERSIM_ASSERT(heap_.empty() && !far_.empty(), "refill() with entries near or none far");
  const auto at_less = [](const Entry& a, const Entry& b) { return a.at < b.at; };
  const std::size_t count =
      std::min(far_.size(), std::max(kRefillMinimum, far_.size() / kRefillFraction));
  const auto nth = far_.begin() + static_cast<std::ptrdiff_t>(count - 1);
  std::nth_element(far_.begin(), nth, far_.end(), at_less);
  horizon_ = nth->at;
  const auto near_begin =
      std::partition(far_.begin(), far_.end(), [this](const Entry& e) { return e.at > horizon_; });
  heap_.assign(near_begin, far_.end());
  far_.erase(near_begin, far_.end());
  heapify();
}

void EventQueue::heapify() {
  if (heap_.size() < 2) {
    return;
  }
  for (std::size_t pos = (heap_.size() - 2) / kArity + 1; pos-- > 0;) {
    sift_down(pos);
  }
}

void EventQueue::pop_root() {
  heap_.front() = heap_.back();
  heap_.pop_back();
  if (!heap_.empty()) {
    sift_down(0);
  }
}

void EventQueue::sift_up(std::size_t pos) {
  const Entry e = heap_[pos];
  while (pos > 0) {
    const std::size_t parent = (pos - 1) / kArity;
    if (!earlier(e, heap_[parent])) {
      break;
    }
    heap_[pos] = heap_[parent];
    pos = parent;
  }
  heap_[pos] = e;
}

void EventQueue::sift_down(std::size_t pos) {
  const std::size_t n = heap_.size();
  const Entry e = heap_[pos];
  while (true) {
    const std::size_t first = kArity * pos + 1;
    if (first >= n) {
      break;
    }
    const std::size_t last = std::min(first + kArity, n);
    std::size_t best = first;
    for (std::size_t child = first + 1; child < last; ++child) {
      if (earlier(heap_[child], heap_[best])) {
        best = child;
      }
    }
    if (!earlier(heap_[best], e)) {
      break;
    }
    heap_[pos] = heap_[best];
    pos = best;
  }
  heap_[pos] = e;
}

// live_ > 0, so a live entry is in one of the tiers, and it is in the heap once the heap holds
// any: the heap's entries are due no later than the horizon, the far list's after it.
void EventQueue::drop_stale_top() {
  while (true) {
    if (heap_.empty()) {
      refill();
    }
    if (!stale(heap_.front())) {
      return;
    }
    pop_root();
    --stale_;
  }
}

// Cancel and reschedule leave one stale entry each. Sweeping them out once they outnumber the
// live ones keeps the heap under twice the live size at O(1) amortised cost per stale entry.
void EventQueue::note_stale() {
  ++stale_;
  if (entries() >= kCompactMinimum && stale_ > live_) {
    compact();
  }
}

void EventQueue::compact() {
  const auto is_stale = [this](const Entry& e) { return stale(e); };
  std::erase_if(heap_, is_stale);
  std::erase_if(far_, is_stale);
  stale_ = 0;
  heapify();
}

// Sequence numbers only order events of equal time. Before they wrap, renumber the pending ones
// 0..n-1 in (time, sequence) order: relative order is kept, and a sorted array is a valid heap.
// Sorted by time, the near entries come first and the far ones after them.
void EventQueue::renumber() {
  compact();
  heap_.insert(heap_.end(), far_.begin(), far_.end());
  std::sort(heap_.begin(), heap_.end(), earlier);
  std::uint32_t seq = 0;
  for (Entry& e : heap_) {
    e.seq = seq;
    slots_[e.slot].seq = seq;
    ++seq;
  }
  next_seq_ = seq;
  const auto far_begin = std::partition_point(heap_.begin(), heap_.end(),
                                              [this](const Entry& e) { return e.at <= horizon_; });
  far_.assign(far_begin, heap_.end());
  heap_.erase(far_begin, heap_.end());
}

}  // namespace ersim
