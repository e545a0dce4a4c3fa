// DSCP markings of traffic classes, and the ones Microsoft expects on Microsoft peering for
// Teams and Skype for Business media (ExpressRoute QoS requirements).
//   microsoft_dscp(TrafficClass::Voice) == 46;   parse_dscp("AF41") == 34;   dscp_name(46) == "EF"
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ersim::topo {

enum class TrafficClass { Voice, Video, AppSharing, FileTransfer, Other };
std::string_view to_string(TrafficClass traffic);  ///< "voice", "video", "app_sharing", ...

inline constexpr std::array<TrafficClass, 5> kTrafficClasses{
    TrafficClass::Voice, TrafficClass::Video, TrafficClass::AppSharing, TrafficClass::FileTransfer,
    TrafficClass::Other};

/// Voice EF (46), video AF41 (34), application sharing AF21 (18), file transfer AF11 (10),
/// everything else CS0 (0).
std::uint8_t microsoft_dscp(TrafficClass traffic);

/// A DSCP as a number 0..63 or a per-hop behaviour name: EF, AF11..AF43 (RFC 2597), CS0..CS7
/// (RFC 2474). Case matters: names are upper case, as in the RFCs.
std::optional<std::uint8_t> parse_dscp(std::string_view text);
/// "EF", "AF41", "CS0", or the number for a code point without a name.
std::string dscp_name(std::uint8_t dscp);

/// What a customer marks one traffic class with.
struct DscpMarking {
  TrafficClass traffic = TrafficClass::Other;
  std::uint8_t dscp = 0;
  friend bool operator==(const DscpMarking&, const DscpMarking&) = default;
};

}  // namespace ersim::topo
