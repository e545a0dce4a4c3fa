#include "core/assert.hpp"

#include <fmt/format.h>

namespace ersim {

void assertion_failed(std::string_view condition, std::string_view message,
                      std::source_location where) {
  throw InternalError(fmt::format("{}:{}: assertion `{}` failed: {}", where.file_name(),
                                  where.line(), condition, message));
}

}  // namespace ersim
