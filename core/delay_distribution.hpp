// A distribution of delays, drawn from a seeded Rng in integer nanoseconds: a fixed delay, a
// uniform one, or a capped lognormal one (a typical value with a long tail up to a bound).
//
//   const DelayDistribution d = DelayDistribution::lognormal(15s, 0.5, 60s);
//   Duration delay = d.sample(rng);   to_string(d) == "lognormal(median 15s, sigma 0.5, max 1m)"
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/random.hpp"
#include "core/time.hpp"

namespace ersim {

class DelayDistribution {
 public:
  enum class Kind : std::uint8_t { Fixed, Uniform, LogNormal };

  /// Always `delay` (>= 0); draws nothing.
  static DelayDistribution fixed(Duration delay);
  /// Uniform in [min, max], both included (0 <= min <= max).
  static DelayDistribution uniform(Duration min, Duration max);
  /// median * exp(sigma * Z) with Z standard normal, capped at `max` and never below 1 ns
  /// (0 < median <= max, sigma >= 0). Half the draws lie below the median; about 68% within a
  /// factor exp(sigma) of it.
  static DelayDistribution lognormal(Duration median, double sigma, Duration max);

  /// One draw. The arithmetic of a lognormal draw is done in double and rounded to the
  /// nanosecond; the same Rng state gives the same delay.
  [[nodiscard]] Duration sample(Rng& rng) const;

  [[nodiscard]] Kind kind() const { return kind_; }
  /// The smallest and largest delay a draw can give.
  [[nodiscard]] Duration min() const;
  [[nodiscard]] Duration max() const { return max_; }
  /// Half the draws lie at or below it (uniform: the midpoint, rounded down).
  [[nodiscard]] Duration median() const;
  /// The lognormal's spread (the standard deviation of the delay's logarithm); 0 otherwise.
  [[nodiscard]] double sigma() const { return sigma_; }

  friend bool operator==(const DelayDistribution&, const DelayDistribution&) = default;

 private:
  DelayDistribution(Kind kind, Duration low, Duration max, double sigma)
      : kind_(kind), low_(low), max_(max), sigma_(sigma) {}

  Kind kind_;
  Duration low_;  ///< fixed: the delay; uniform: the minimum; lognormal: the median
  Duration max_;
  double sigma_;
};

/// "fixed", "uniform", "lognormal".
std::string_view to_string(DelayDistribution::Kind kind);
/// "fixed(10s)", "uniform(5s, 20s)", "lognormal(median 15s, sigma 0.5, max 1m)".
std::string to_string(const DelayDistribution& distribution);

/// A standard normal deviate (Box–Muller on two 53-bit uniforms), so draws depend on the Rng
/// alone and not on the standard library's distributions.
double standard_normal(Rng& rng);

}  // namespace ersim
