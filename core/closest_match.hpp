// Did-you-mean: the known name an unknown one is most likely a typo of. Domain-free, so every
// layer that names things to a user (io's keys and names, a sweep's --exclude) shares one rule.
//   const std::array<std::string_view, 2> keys{"hold_time", "keepalive"};
//   closest_match("hold_tme", keys);  // "hold_time"
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace ersim {

/// The candidate `unknown` is most likely a typo of: the closest within max(2, length / 3) edits
/// (a swap of two neighbours counts as one) that is not a complete rewrite of it; of equally
/// close ones, the first. For "(did you mean 'hold_time'?)" after an unknown key or name.
std::optional<std::string_view> closest_match(std::string_view unknown,
                                              std::span<const std::string_view> candidates);

}  // namespace ersim
