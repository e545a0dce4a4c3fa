#include "sim/io/config_error.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace ersim {

ConfigError::ConfigError(std::string_view file, int line, int column, std::string_view message)
    : std::runtime_error(fmt::format("{}:{}:{}: {}", file, line, column, message)),
      file_size_(file.size()),
      message_size_(message.size()),
      line_(line),
      column_(column) {}

// The min() calls only matter for a file name or message with a NUL in it, which what() ends at.
std::string_view ConfigError::file() const noexcept {
  const std::string_view text(what());
  return {text.data(), std::min(file_size_, text.size())};
}

std::string_view ConfigError::message() const noexcept {
  std::string_view text(what());
  text.remove_prefix(text.size() - std::min(message_size_, text.size()));
  return text;
}

}  // namespace ersim
