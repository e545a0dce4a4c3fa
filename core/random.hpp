// Seeded randomness: one seed per run, an independent stream per stable entity id.
//
// Streams are derived from (seed, entity) alone, so what one entity draws never shifts another's
// numbers, and the same seed gives the same numbers on every platform (no std:: distributions,
// whose algorithms differ between standard libraries).
//   RandomStreams streams(42);
//   Rng rng = streams.stream("msee-ams-1");   Duration jitter = rng.uniform(0ms, 300ms);
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <string_view>

#include "core/time.hpp"

namespace ersim {

/// xoshiro256** (Blackman and Vigna), seeded through SplitMix64. Meets the
/// UniformRandomBitGenerator requirements.
class Rng {
 public:
  using result_type = std::uint64_t;  // NOLINT(readability-identifier-naming): standard name

  explicit Rng(std::uint64_t seed);

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }
  result_type operator()();

  /// Uniform in [0, bound), without bias. Precondition: bound > 0.
  std::uint64_t below(std::uint64_t bound);
  /// Uniform in [lo, hi], both included. Precondition: lo <= hi.
  std::int64_t between(std::int64_t lo, std::int64_t hi);
  /// Uniform in [lo, hi), to the nanosecond. Precondition: lo < hi.
  Duration uniform(Duration lo, Duration hi);
  /// True with probability numerator/denominator. Precondition: 0 < denominator.
  bool chance(std::uint64_t numerator, std::uint64_t denominator);

 private:
  std::array<std::uint64_t, 4> state_{};
};

class RandomStreams {
 public:
  explicit RandomStreams(std::uint64_t seed) : seed_(seed) {}

  [[nodiscard]] std::uint64_t seed() const { return seed_; }
  /// The stream of an entity with a stable numeric id.
  [[nodiscard]] Rng stream(std::uint64_t entity_id) const;
  /// The stream of an entity with a stable name (hashed with 64-bit FNV-1a).
  [[nodiscard]] Rng stream(std::string_view entity_name) const;

 private:
  std::uint64_t seed_;
};

/// 64-bit FNV-1a of a name: a stable entity id for RandomStreams::stream.
std::uint64_t stable_id(std::string_view name);

}  // namespace ersim
