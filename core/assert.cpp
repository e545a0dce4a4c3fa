#include "core/assert.hpp"

#include <fmt/format.h>

namespace ersim {

void assertion_failed(std::string_view condition, std::string_view message, std::string_view file,
                      int line) {
  throw InternalError(
      fmt::format("{}:{}: assertion `{}` failed: {}", file, line, condition, message));
}

}  // namespace ersim
