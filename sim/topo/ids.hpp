// Typed indexes into a Topology: a RouterId cannot be passed where a LinkId is meant.
//   RouterId ce = topology.router_id("ams-ce1").value();   topology.router(ce).asn;
#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace ersim::topo {

template <class Tag>
struct Id {
  std::uint32_t value = 0;
  // clang-tidy 14 takes the 0 that a defaulted <=> compares with for a null pointer.
  // NOLINTNEXTLINE(modernize-use-nullptr)
  friend constexpr auto operator<=>(Id, Id) = default;
};

using RouterId = Id<struct RouterTag>;
using LinkId = Id<struct LinkTag>;
using SessionId = Id<struct SessionTag>;
using CircuitId = Id<struct CircuitTag>;
using SrlgId = Id<struct SrlgTag>;

}  // namespace ersim::topo

template <class Tag>
struct std::hash<ersim::topo::Id<Tag>> {
  std::size_t operator()(ersim::topo::Id<Tag> id) const noexcept { return id.value; }
};
