// Which timers a BGP implementation jitters (RFC 4271 §10), one profile per router.
//
// RFC 4271 §10 asks for jitter on the KeepaliveTimer, MinASOriginationIntervalTimer,
// MinRouteAdvertisementIntervalTimer and ConnectRetryTimer: each time one starts, its interval
// is multiplied by a random factor in [0.75, 1.0]. Implementations differ (some jitter the hold
// timer too), so a router carries a profile whose default is the RFC's; the topology names it
// (topo::BgpJitter, the file's `bgp.jitter`) and jitter_profile() gives its timers.
//   JitterProfile profile;                       // RFC 4271
//   Duration d = profile.draw(JitteredTimer::Keepalive, 60s, rng);   // in [45 s, 60 s]
#pragma once

#include <cstdint>
#include <string_view>

#include "core/random.hpp"
#include "core/time.hpp"
#include "sim/topo/model.hpp"

namespace ersim::bgp {

enum class JitteredTimer : std::uint8_t { ConnectRetry, Keepalive, Hold };

/// "connect retry", "keepalive", "hold".
std::string_view to_string(JitteredTimer timer);

struct JitterProfile {
  bool connect_retry = true;
  bool keepalive = true;
  bool hold = false;

  /// RFC 4271 §10: connect-retry and keepalive jittered, hold not (the default).
  static constexpr JitterProfile rfc4271() { return {}; }
  /// As the RFC, and the hold timer too.
  static constexpr JitterProfile with_hold() { return {.hold = true}; }
  /// Every timer runs its full interval.
  static constexpr JitterProfile none() {
    return {.connect_retry = false, .keepalive = false, .hold = false};
  }

  [[nodiscard]] bool jitters(JitteredTimer timer) const;
  /// `interval` times a factor drawn from `rng` in [0.75, 1.0] (both included, to the
  /// nanosecond) when the profile jitters `timer`; `interval` itself otherwise, without drawing.
  [[nodiscard]] Duration draw(JitteredTimer timer, Duration interval, Rng& rng) const;

  friend bool operator==(const JitterProfile&, const JitterProfile&) = default;
};

/// The profile a topology's router names: rfc4271(), with_hold() or none().
JitterProfile jitter_profile(topo::BgpJitter jitter);

/// The smallest value draw() can return for a jittered interval: three quarters of it.
constexpr Duration jitter_floor(Duration interval) { return interval * 3 / 4; }

}  // namespace ersim::bgp
