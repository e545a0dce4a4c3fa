#include "sim/bgp/jitter_profile.hpp"

namespace ersim::bgp {

std::string_view to_string(JitteredTimer timer) {
  switch (timer) {
    case JitteredTimer::ConnectRetry:
      return "connect retry";
    case JitteredTimer::Keepalive:
      return "keepalive";
    case JitteredTimer::Hold:
      return "hold";
  }
  return "unknown timer";
}

bool JitterProfile::jitters(JitteredTimer timer) const {
  switch (timer) {
    case JitteredTimer::ConnectRetry:
      return connect_retry;
    case JitteredTimer::Keepalive:
      return keepalive;
    case JitteredTimer::Hold:
      return hold;
  }
  return false;
}

JitterProfile jitter_profile(topo::BgpJitter jitter) {
  switch (jitter) {
    case topo::BgpJitter::Rfc4271:
      return JitterProfile::rfc4271();
    case topo::BgpJitter::WithHold:
      return JitterProfile::with_hold();
    case topo::BgpJitter::None:
      return JitterProfile::none();
  }
  return JitterProfile::rfc4271();
}

Duration JitterProfile::draw(JitteredTimer timer, Duration interval, Rng& rng) const {
  if (!jitters(timer) || interval <= Duration::zero()) {
    return interval;
  }
  // RFC 4271 §10: "multiplied by a random factor which is uniformly distributed in the range
  // from 0.75 to 1.0". Integer nanoseconds keep the draw exact and the same on every platform.
  return Duration(rng.between(jitter_floor(interval).count(), interval.count()));
}

}  // namespace ersim::bgp
