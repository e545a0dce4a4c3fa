#include "core/random.hpp"

#include <bit>

#include "core/assert.hpp"

namespace ersim {
namespace {

// SplitMix64 (Steele, Lea and Flood): a bijective mixer, used to spread seeds over the state.
std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31U);
}

}  // namespace

Rng::Rng(std::uint64_t seed) {
  for (std::uint64_t& word : state_) {
    word = splitmix64(seed);
  }
}

Rng::result_type Rng::operator()() {
  const std::uint64_t result = std::rotl(state_[1] * 5, 7) * 9;
  const std::uint64_t t = state_[1] << 17U;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = std::rotl(state_[3], 45);
  return result;
}

// Bitmask rejection: draw as many bits as the bound needs and retry when the value is too large.
// Unbiased, portable, and fewer than two draws on average.
std::uint64_t Rng::below(std::uint64_t bound) {
  ERSIM_ASSERT(bound > 0, "below(0)");
  const std::uint64_t mask =
      std::numeric_limits<std::uint64_t>::max() >> std::countl_zero((bound - 1) | 1U);
  std::uint64_t value = (*this)() & mask;
  while (value >= bound) {
    value = (*this)() & mask;
  }
  return value;
}

std::int64_t Rng::between(std::int64_t lo, std::int64_t hi) {
  ERSIM_ASSERT(lo <= hi, "between() with lo > hi");
  const std::uint64_t span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
  const std::uint64_t offset =
      span == std::numeric_limits<std::uint64_t>::max() ? (*this)() : below(span + 1);
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + offset);
}

Duration Rng::uniform(Duration lo, Duration hi) {
  ERSIM_ASSERT(lo < hi, "uniform() over an empty interval");
  return Duration(between(lo.count(), hi.count() - 1));
}

bool Rng::chance(std::uint64_t numerator, std::uint64_t denominator) {
  ERSIM_ASSERT(denominator > 0, "chance() with denominator 0");
  return below(denominator) < numerator;
}

Rng RandomStreams::stream(std::uint64_t entity_id) const {
  // Mix seed and id through two SplitMix64 rounds so neighbouring ids and seeds give unrelated
  // streams.
  std::uint64_t x = seed_;
  const std::uint64_t mixed_seed = splitmix64(x);
  std::uint64_t y = mixed_seed ^ entity_id;
  return Rng(splitmix64(y));
}

Rng RandomStreams::stream(std::string_view entity_name) const {
  return stream(stable_id(entity_name));
}

std::uint64_t stable_id(std::string_view name) {
  std::uint64_t hash = 0xCBF29CE484222325ULL;
  for (const char c : name) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001B3ULL;
  }
  return hash;
}

}  // namespace ersim
