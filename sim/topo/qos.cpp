#include "sim/topo/qos.hpp"

#include <fmt/format.h>

#include <charconv>

namespace ersim::topo {
namespace {

constexpr std::uint8_t kMaxDscp = 63;  // six bits (RFC 2474 §3)
constexpr std::uint8_t kEf = 46;       // RFC 3246

std::optional<std::uint8_t> number(std::string_view digits) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || error != std::errc() || end != digits.data() + digits.size()) {
    return std::nullopt;
  }
  return value <= kMaxDscp ? std::optional(static_cast<std::uint8_t>(value)) : std::nullopt;
}

}  // namespace

std::string_view to_string(TrafficClass traffic) {
  switch (traffic) {
    case TrafficClass::Voice:
      return "voice";
    case TrafficClass::Video:
      return "video";
    case TrafficClass::AppSharing:
      return "app_sharing";
    case TrafficClass::FileTransfer:
      return "file_transfer";
    case TrafficClass::Other:
      return "other";
  }
  return "unknown";
}

// ExpressRoute QoS requirements for Microsoft peering (Teams and Skype for Business media).
std::uint8_t microsoft_dscp(TrafficClass traffic) {
  switch (traffic) {
    case TrafficClass::Voice:
      return kEf;
    case TrafficClass::Video:
      return 34;  // AF41
    case TrafficClass::AppSharing:
      return 18;  // AF21
    case TrafficClass::FileTransfer:
      return 10;  // AF11
    case TrafficClass::Other:
      return 0;  // CS0, best effort
  }
  return 0;
}

std::optional<std::uint8_t> parse_dscp(std::string_view text) {
  if (text == "EF") {
    return kEf;
  }
  // RFC 2474 §4.2.2.1: class selector x is 8x.
  if (text.size() == 3 && text.starts_with("CS") && text[2] >= '0' && text[2] <= '7') {
    return static_cast<std::uint8_t>(8 * (text[2] - '0'));
  }
  // RFC 2597 §6: AFxy (class 1..4, drop precedence 1..3) is 8x + 2y.
  if (text.size() == 4 && text.starts_with("AF") && text[2] >= '1' && text[2] <= '4' &&
      text[3] >= '1' && text[3] <= '3') {
    return static_cast<std::uint8_t>(8 * (text[2] - '0') + 2 * (text[3] - '0'));
  }
  if (text.size() > 1 && text[0] == '0') {
    return std::nullopt;  // no octal look-alikes
  }
  return number(text);
}

std::string dscp_name(std::uint8_t dscp) {
  if (dscp == kEf) {
    return "EF";
  }
  if (dscp % 8 == 0 && dscp <= 56) {
    return fmt::format("CS{}", dscp / 8);
  }
  const int af_class = dscp / 8;
  const int drop = (dscp % 8) / 2;
  if (dscp % 2 == 0 && af_class >= 1 && af_class <= 4 && drop >= 1 && drop <= 3) {
    return fmt::format("AF{}{}", af_class, drop);
  }
  return fmt::format("{}", dscp);
}

}  // namespace ersim::topo
