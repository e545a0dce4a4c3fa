// The vocabulary of a BFD session (RFC 5880) as its subscribers see it: the two ends, the
// states, the diagnostics, why a state changed, and the event a subscriber receives.
//
//   session.subscribe(Side::A, [&](const BfdEvent& e) {
//     if (e.state == BfdState::Down && !e.administrative()) { bgp.on_bfd_down(); } });
#pragma once

#include <cstdint>
#include <string_view>

#include "core/time.hpp"

namespace ersim::bfd {

/// The two ends of the link a session runs over (topo::Link::a and topo::Link::b).
enum class Side : std::uint8_t { A, B };

/// RFC 5880 §4.1 State field; the numbers are the wire values.
enum class BfdState : std::uint8_t { AdminDown = 0, Down = 1, Init = 2, Up = 3 };

/// RFC 5880 §4.1 Diagnostic field, the codes ersim produces; the numbers are the wire values.
enum class BfdDiagnostic : std::uint8_t {
  None = 0,
  ControlDetectionTimeExpired = 1,
  NeighborSignaledSessionDown = 3,
  PathDown = 5,
  AdministrativelyDown = 7,
};

/// Why an end changed state: the trigger, one per RFC 5880 rule that moves the state machine.
enum class BfdChangeReason : std::uint8_t {
  ReceivedDown,          ///< §6.8.6: Down heard in Down (-> Init), or in Up (-> Down)
  ReceivedInitOrUp,      ///< §6.8.6: Init heard in Down, Init or Up heard in Init (-> Up)
  ReceivedAdminDown,     ///< §6.8.6: the neighbour signalled AdminDown (-> Down)
  DetectionTimeExpired,  ///< §6.8.4: nothing heard for a Detection Time (-> Down)
  CarrierLost,           ///< §6.8.16 / RFC 5882 §3.1: the interface went down (-> Down)
  LocalAdminDown,        ///< §6.8.16: disabled here (-> AdminDown)
  LocalAdminUp,          ///< §6.8.16: enabled again here (-> Down)
  EndFailed,             ///< the device of this end died; its subscribers are not told
};

std::string_view to_string(Side side);
std::string_view to_string(BfdState state);
std::string_view to_string(BfdDiagnostic diagnostic);
std::string_view to_string(BfdChangeReason reason);

constexpr Side other(Side side) { return side == Side::A ? Side::B : Side::A; }

/// One state change of one end, as recorded and as delivered to subscribers.
struct BfdEvent {
  Side side = Side::A;
  BfdState previous = BfdState::Down;
  BfdState state = BfdState::Down;
  BfdDiagnostic diagnostic = BfdDiagnostic::None;
  BfdChangeReason reason = BfdChangeReason::ReceivedDown;
  SimTime time{};

  /// True when the change is an administrative action, here or at the neighbour, rather than a
  /// loss of the path. RFC 5882 §3.2: a client must not treat AdminDown as a forwarding failure,
  /// so a BGP session keeps running (on its hold timer) when this is true.
  [[nodiscard]] bool administrative() const {
    return reason == BfdChangeReason::LocalAdminDown ||
           reason == BfdChangeReason::ReceivedAdminDown;
  }
  /// True when the session left Up for a reason a client acts on (RFC 5882 §3.2, §4.3: BGP
  /// closes the session at once).
  [[nodiscard]] bool failure() const {
    return previous == BfdState::Up && state != BfdState::Up && !administrative();
  }

  friend bool operator==(const BfdEvent&, const BfdEvent&) = default;
};

}  // namespace ersim::bfd
