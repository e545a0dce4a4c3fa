// Routes for the BGP tests, written as the differences from one plain eBGP route:
//   AttributeTable table;
//   const Route r = make_route(table, {.local_preference = 200, .neighbour = "192.0.2.2"});
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "sim/bgp/path_attributes.hpp"
#include "sim/bgp/route.hpp"
#include "sim/topo/ids.hpp"
#include "sim/topo/ipv4.hpp"

namespace ersim::bgp::testing {

struct Offer {
  std::string_view prefix = "10.1.0.0/16";
  std::vector<std::uint32_t> as_path = {65001};
  Origin origin = Origin::Igp;
  std::optional<std::uint32_t> med = std::nullopt;
  std::uint32_t local_preference = kDefaultLocalPreference;
  std::vector<Community> communities{};
  std::string_view next_hop = "192.0.2.1";
  std::string_view neighbour = "192.0.2.1";
  std::string_view router_id = "1.1.1.1";
  std::uint32_t peer_asn = 65001;
  std::uint32_t session = 0;
  PeerKind kind = PeerKind::External;
  std::uint16_t weight = 0;
  std::uint32_t igp_cost = 0;
};

inline Route make_route(AttributeTable& table, const Offer& offer) {
  return Route{
      .attributes = table.intern({.as_path = offer.as_path,
                                  .origin = offer.origin,
                                  .med = offer.med,
                                  .local_preference = offer.local_preference,
                                  .communities = offer.communities,
                                  .next_hop = Ipv4Address::parse_or_throw(offer.next_hop)}),
      .prefix = Ipv4Prefix::parse_or_throw(offer.prefix),
      .neighbour_address = Ipv4Address::parse_or_throw(offer.neighbour),
      .neighbour_router_id = Ipv4Address::parse_or_throw(offer.router_id),
      .peer_asn = offer.peer_asn,
      .session = topo::SessionId{offer.session},
      .igp_cost = offer.igp_cost,
      .weight = offer.weight,
      .kind = offer.kind,
  };
}

}  // namespace ersim::bgp::testing
