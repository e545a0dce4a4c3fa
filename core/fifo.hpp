// A first-in first-out queue on one vector: nothing is allocated until the first push (unlike
// std::deque, which allocates its first block when it is made), and the storage is released
// when the queue drains. The simulator keeps several per session, nearly all of them empty.
//
//   Fifo<Segment> in_flight;
//   in_flight.push(std::move(segment));   ...   Segment next = in_flight.pop();
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

#include "core/assert.hpp"

namespace ersim {

template <class T>
class Fifo {
 public:
  void push(T value) { items_.push_back(std::move(value)); }

  /// Removes the oldest element and returns it. Precondition: !empty().
  T pop() {
    ERSIM_ASSERT(!empty(), "pop() of an empty queue");
    T value = std::move(items_[head_]);
    if (++head_ == items_.size()) {
      items_ = std::vector<T>();
      head_ = 0;
    } else if (head_ >= kCompactAfter && 2 * head_ >= items_.size()) {
      // A queue that never drains drops what it handed out, in amortised O(1).
      items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
    return value;
  }

  /// Removes the first element, oldest first, for which `pred` holds; true when there was one.
  template <class Pred>
  bool erase_first(Pred pred) {
    for (auto it = begin(); it != items_.end(); ++it) {
      if (pred(*it)) {
        items_.erase(it);
        if (empty()) {
          clear();
        }
        return true;
      }
    }
    return false;
  }

  /// Removes every element for which `pred` holds; the others keep their order.
  template <class Pred>
  void remove_if(Pred pred) {
    items_.erase(std::remove_if(begin(), items_.end(), pred), items_.end());
    if (empty()) {
      clear();
    }
  }

  void clear() {
    items_.clear();
    head_ = 0;
  }

  [[nodiscard]] bool empty() const { return head_ == items_.size(); }
  [[nodiscard]] std::size_t size() const { return items_.size() - head_; }
  [[nodiscard]] T& front() { return items_[head_]; }
  [[nodiscard]] const T& front() const { return items_[head_]; }
  [[nodiscard]] T& back() { return items_.back(); }
  [[nodiscard]] const T& back() const { return items_.back(); }

  // Oldest first.
  [[nodiscard]] auto begin() { return items_.begin() + static_cast<std::ptrdiff_t>(head_); }
  [[nodiscard]] auto end() { return items_.end(); }
  [[nodiscard]] auto begin() const { return items_.begin() + static_cast<std::ptrdiff_t>(head_); }
  [[nodiscard]] auto end() const { return items_.end(); }

 private:
  static constexpr std::size_t kCompactAfter = 64;

  std::vector<T> items_;
  std::size_t head_ = 0;
};

}  // namespace ersim
