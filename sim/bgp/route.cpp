#include "sim/bgp/route.hpp"

namespace ersim::bgp {

std::string_view to_string(PeerKind kind) {
  switch (kind) {
    case PeerKind::Local:
      return "local";
    case PeerKind::External:
      return "eBGP";
    case PeerKind::Internal:
      return "iBGP";
  }
  return "unknown";
}

}  // namespace ersim::bgp
