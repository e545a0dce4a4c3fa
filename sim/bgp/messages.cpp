#include "sim/bgp/messages.hpp"

#include <fmt/format.h>

namespace ersim::bgp {

std::string_view to_string(NotificationCode code) {
  switch (code) {
    case NotificationCode::MessageHeaderError:
      return "message header error";
    case NotificationCode::OpenMessageError:
      return "open message error";
    case NotificationCode::UpdateMessageError:
      return "update message error";
    case NotificationCode::HoldTimerExpired:
      return "hold timer expired";
    case NotificationCode::FiniteStateMachineError:
      return "finite state machine error";
    case NotificationCode::Cease:
      return "cease";
  }
  return "unknown notification code";
}

namespace {

// The subcodes ersim sends; RFC 4271 §6.2 and RFC 4486 §4 list the rest.
std::string_view subcode_name(NotificationCode code, std::uint8_t subcode) {
  if (code == NotificationCode::OpenMessageError && subcode == kUnacceptableHoldTime) {
    return "unacceptable hold time";
  }
  if (code == NotificationCode::Cease && subcode == kCeaseMaximumPrefixes) {
    return "maximum number of prefixes reached";
  }
  if (code == NotificationCode::Cease && subcode == kCeaseAdministrativeShutdown) {
    return "administrative shutdown";
  }
  return {};
}

}  // namespace

std::string to_string(const NotificationMessage& notification) {
  if (notification.subcode == 0) {
    return std::string(to_string(notification.code));
  }
  const std::string_view name = subcode_name(notification.code, notification.subcode);
  if (name.empty()) {
    return fmt::format("{}/{}", to_string(notification.code), notification.subcode);
  }
  return fmt::format("{}/{}", to_string(notification.code), name);
}

}  // namespace ersim::bgp
