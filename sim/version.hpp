// The version of ersim, as the project's CMake declares it.
//   fmt::print("ersim {}\n", ersim::version());
#pragma once

#include <string_view>

namespace ersim {

/// "MAJOR.MINOR.PATCH".
std::string_view version();

}  // namespace ersim
