// Programmer-error checks that stay on in every build type.
//
// ERSIM_ASSERT(condition, message) throws ersim::InternalError when the condition is false; the
// CLI's main turns that into exit code 3. It is for broken invariants, never for bad input.
//   ERSIM_ASSERT(at >= now_, "event scheduled in the past");
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace ersim {

/// Thrown when an ERSIM_ASSERT fails: a bug in ersim, not in the user's input.
class InternalError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

/// Builds the message "file:line: assertion `condition` failed: message" and throws it.
[[noreturn]] void assertion_failed(std::string_view condition, std::string_view message,
                                   std::string_view file, int line);

}  // namespace ersim

// NOLINTNEXTLINE(cppcoreguidelines-macro-usage): needs the stringified condition.
#define ERSIM_ASSERT(condition, message)                                    \
  do {                                                                      \
    if (!(condition)) [[unlikely]] {                                        \
      ::ersim::assertion_failed(#condition, (message), __FILE__, __LINE__); \
    }                                                                       \
  } while (false)
