// The BGP messages a session carries (RFC 4271 §4): OPEN, UPDATE, NOTIFICATION, KEEPALIVE.
//
// Messages are values, not wire bytes: an UPDATE holds an interned `Attributes` handle and its
// prefixes, one attribute set per message as RFC 4271 §4.3 requires.
//   UpdateMessage update{.attributes = table.intern({.as_path = {12076}}), .announced = {vnet}};
//   session.send_update(Side::B, std::move(update));
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/bgp/path_attributes.hpp"
#include "sim/topo/ipv4.hpp"

namespace ersim::bgp {

/// RFC 4271 §4.2. The hold time travels in whole seconds.
struct OpenMessage {
  std::uint32_t my_as = 0;
  std::uint16_t hold_time_s = 0;
  Ipv4Address bgp_identifier{};
  friend bool operator==(const OpenMessage&, const OpenMessage&) = default;
};

/// RFC 4271 §4.3: withdrawn routes, then one attribute set and the prefixes announced with it.
struct UpdateMessage {
  std::vector<Ipv4Prefix> withdrawn{};
  Attributes attributes{};
  std::vector<Ipv4Prefix> announced{};
  friend bool operator==(const UpdateMessage&, const UpdateMessage&) = default;
};

/// RFC 4271 §4.4.
struct KeepaliveMessage {
  friend bool operator==(KeepaliveMessage, KeepaliveMessage) = default;
};

/// RFC 4271 §4.5 error codes, with their wire values.
enum class NotificationCode : std::uint8_t {
  MessageHeaderError = 1,
  OpenMessageError = 2,
  UpdateMessageError = 3,
  HoldTimerExpired = 4,
  FiniteStateMachineError = 5,
  Cease = 6,
};

/// RFC 4271 §6.2 OPEN Message Error subcode.
inline constexpr std::uint8_t kUnacceptableHoldTime = 6;
/// RFC 4486 §4 Cease subcodes.
inline constexpr std::uint8_t kCeaseMaximumPrefixes = 1;
inline constexpr std::uint8_t kCeaseAdministrativeShutdown = 2;

/// "hold timer expired", "cease", ...
std::string_view to_string(NotificationCode code);

/// RFC 4271 §4.5.
struct NotificationMessage {
  NotificationCode code = NotificationCode::Cease;
  std::uint8_t subcode = 0;
  friend bool operator==(const NotificationMessage&, const NotificationMessage&) = default;
};

/// "cease/administrative shutdown", "open message error/unacceptable hold time", "hold timer
/// expired"; subcodes ersim does not name print as numbers ("cease/7").
std::string to_string(const NotificationMessage& notification);

using BgpMessage = std::variant<OpenMessage, UpdateMessage, NotificationMessage, KeepaliveMessage>;

}  // namespace ersim::bgp
