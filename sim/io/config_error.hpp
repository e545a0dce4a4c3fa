// Bad input, with the place in the file where it is: "topo.yaml:12:5: unknown key 'hold_tme'".
//
// Everything the user wrote is validated at load time; the first problem throws a ConfigError,
// which only main catches (exit 2):
//   throw ConfigError("topo.yaml", 12, 5, "missing required key 'asn' in router 'ce1'");
//   e.what();  // "topo.yaml:12:5: missing required key 'asn' in router 'ce1'"
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string_view>

namespace ersim {

class ConfigError : public std::runtime_error {
 public:
  /// line and column count from 1.
  ConfigError(std::string_view file, int line, int column, std::string_view message);

  /// Views into what(), valid as long as this exception object.
  std::string_view file() const noexcept;
  std::string_view message() const noexcept;
  int line() const noexcept { return line_; }
  int column() const noexcept { return column_; }

 private:
  // The text lives only in what(), whose copy never throws, so neither does this exception's.
  std::size_t file_size_;
  std::size_t message_size_;
  int line_;
  int column_;
};

}  // namespace ersim
