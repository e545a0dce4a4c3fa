#include "core/closest_match.hpp"

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace ersim {
namespace {

// Optimal string alignment distance: Levenshtein plus the swap of two neighbours ("hlod" is one
// edit from "hold"), the commonest typo in a key.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> before(b.size() + 1);
  std::vector<std::size_t> previous(b.size() + 1);
  std::vector<std::size_t> current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    previous[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

}  // namespace

std::optional<std::string_view> closest_match(std::string_view unknown,
                                              std::span<const std::string_view> candidates) {
  const std::string_view* best = nullptr;
  std::size_t best_distance = 0;
  for (const std::string_view& candidate : candidates) {
    const std::size_t distance = edit_distance(unknown, candidate);
    if (best == nullptr || distance < best_distance) {
      best = &candidate;
      best_distance = distance;
    }
  }
  const std::size_t limit = std::max<std::size_t>(2, unknown.size() / 3);
  if (best == nullptr || best_distance > limit ||
      best_distance >= std::max(unknown.size(), best->size())) {
    return std::nullopt;
  }
  return *best;
}

}  // namespace ersim
