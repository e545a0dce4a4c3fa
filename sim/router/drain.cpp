#include "sim/router/drain.hpp"

namespace ersim::router {

std::string_view to_string(DrainMethod method) {
  switch (method) {
    case DrainMethod::Prepend:
      return "prepend";
    case DrainMethod::Disconnect:
      return "disconnect";
  }
  return "unknown";
}

}  // namespace ersim::router
