#include "core/delay_distribution.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/assert.hpp"

namespace ersim {

DelayDistribution DelayDistribution::fixed(Duration delay) {
  ERSIM_ASSERT(delay >= Duration::zero(), "a fixed delay must not be negative");
  return {Kind::Fixed, delay, delay, 0.0};
}

DelayDistribution DelayDistribution::uniform(Duration min, Duration max) {
  ERSIM_ASSERT(Duration::zero() <= min && min <= max, "uniform delay needs 0 <= min <= max");
  return {Kind::Uniform, min, max, 0.0};
}

DelayDistribution DelayDistribution::lognormal(Duration median, double sigma, Duration max) {
  ERSIM_ASSERT(Duration::zero() < median && median <= max,
               "lognormal delay needs 0 < median <= max");
  ERSIM_ASSERT(sigma >= 0.0 && std::isfinite(sigma), "lognormal delay needs a finite sigma >= 0");
  return {Kind::LogNormal, median, max, sigma};
}

Duration DelayDistribution::min() const { return kind_ == Kind::LogNormal ? Duration(1) : low_; }

Duration DelayDistribution::median() const {
  return kind_ == Kind::Uniform ? low_ + (max_ - low_) / 2 : low_;
}

Duration DelayDistribution::sample(Rng& rng) const {
  switch (kind_) {
    case Kind::Fixed:
      return low_;
    case Kind::Uniform:
      return Duration(rng.between(low_.count(), max_.count()));
    case Kind::LogNormal: {
      // The cap is a clamp, not a redraw: a draw past it is a delay of exactly `max`, as a
      // documented upper bound would be met.
      const double ns = static_cast<double>(low_.count()) * std::exp(sigma_ * standard_normal(rng));
      if (!(ns < static_cast<double>(max_.count()))) {
        return max_;
      }
      return std::clamp(Duration(std::llround(ns)), Duration(1), max_);
    }
  }
  return low_;
}

double standard_normal(Rng& rng) {
  constexpr double kUnit = 0x1.0p-53;
  // u1 in (0, 1], so its logarithm is finite; u2 in [0, 1).
  const double u1 = static_cast<double>((rng() >> 11U) + 1U) * kUnit;
  const double u2 = static_cast<double>(rng() >> 11U) * kUnit;
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

std::string_view to_string(DelayDistribution::Kind kind) {
  switch (kind) {
    case DelayDistribution::Kind::Fixed:
      return "fixed";
    case DelayDistribution::Kind::Uniform:
      return "uniform";
    case DelayDistribution::Kind::LogNormal:
      return "lognormal";
  }
  return "unknown";
}

std::string to_string(const DelayDistribution& distribution) {
  switch (distribution.kind()) {
    case DelayDistribution::Kind::Fixed:
      return fmt::format("fixed({})", format_duration(distribution.max()));
    case DelayDistribution::Kind::Uniform:
      return fmt::format("uniform({}, {})", format_duration(distribution.min()),
                         format_duration(distribution.max()));
    case DelayDistribution::Kind::LogNormal:
      break;
  }
  return fmt::format("lognormal(median {}, sigma {}, max {})",
                     format_duration(distribution.median()), distribution.sigma(),
                     format_duration(distribution.max()));
}

}  // namespace ersim
