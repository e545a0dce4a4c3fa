#include "sim/version.hpp"

namespace ersim {

std::string_view version() { return ERSIM_VERSION; }

}  // namespace ersim
