// Microsoft's maintenance drain of one link of a circuit (DESIGN §1: "primary and secondary are
// serviced separately; Microsoft drains a link by AS-path prepending on it, or by disconnecting
// its BGP session"). Network::drain_link applies it.
//
//   net.drain_link(primary, DrainMethod::Prepend);   // traffic moves to the secondary
//   net.undrain_link(primary);                       // and back
#pragma once

#include <cstdint>
#include <string_view>

namespace ersim::router {

enum class DrainMethod : std::uint8_t {
  /// The MSEE prepends its AS on what it sends over the link, and on what it learned over it.
  Prepend,
  /// The MSEE shuts the link's BGP sessions down (Cease / Administrative Shutdown).
  Disconnect,
};

/// "prepend", "disconnect".
std::string_view to_string(DrainMethod method);

}  // namespace ersim::router
