#include "sim/topo/ipv4.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "core/assert.hpp"

namespace ersim {
namespace {

struct Block {
  std::uint32_t base;
  int length;
};

// RFC 1918 §3: the three blocks reserved for private internets.
constexpr std::array<Block, 3> kPrivateBlocks{{
    {0x0a000000U, 8},   // 10.0.0.0/8
    {0xac100000U, 12},  // 172.16.0.0/12
    {0xc0a80000U, 16},  // 192.168.0.0/16
}};

constexpr std::uint32_t mask(int length) {
  // A shift by 32 is undefined, hence the special case.
  return length == 0 ? 0U : ~0U << static_cast<unsigned>(Ipv4Prefix::kMaxLength - length);
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A decimal number of 1 to max_digits digits without a leading zero (but "0" itself); max_digits
// is small enough that the value cannot overflow.
std::optional<std::uint32_t> parse_decimal(std::string_view text, std::size_t max_digits) {
  if (text.empty() || text.size() > max_digits || (text.size() > 1 && text[0] == '0')) {
    return std::nullopt;
  }
  std::uint32_t value = 0;
  for (const char c : text) {
    if (!is_digit(c)) {
      return std::nullopt;
    }
    value = value * 10 + static_cast<std::uint32_t>(c - '0');
  }
  return value;
}

// The one parser behind parse and parse_or_throw; the message is only built when asked for.
std::optional<Ipv4Prefix> parse_prefix(std::string_view text, std::string* error) {
  const auto set_error = [&](std::string message) {
    if (error != nullptr) {
      *error = std::move(message);
    }
    return std::nullopt;
  };
  const std::size_t slash = text.find('/');
  const std::optional<Ipv4Address> address = Ipv4Address::parse(text.substr(0, slash));
  if (slash == std::string_view::npos) {
    if (address) {
      return set_error(
          fmt::format("prefix '{0}' has no length (write {0}/32 for one address)", text));
    }
    return set_error(fmt::format(
        "'{}' is not an IPv4 prefix (write address/length, such as 10.0.0.0/16)", text));
  }
  if (!address) {
    return set_error(fmt::format("'{}' is not an IPv4 address", text));
  }
  const std::string_view length_text = text.substr(slash + 1);
  const bool all_digits =
      !length_text.empty() && length_text.find_first_not_of("0123456789") == std::string::npos;
  if (!all_digits || (length_text.size() > 1 && length_text[0] == '0')) {
    return set_error(
        fmt::format("prefix '{}' has an invalid length '{}' (write 0 to 32)", text, length_text));
  }
  // Checked before conversion, so no number of digits can overflow.
  const std::optional<std::uint32_t> length = parse_decimal(length_text, 2);
  if (!length || *length > Ipv4Prefix::kMaxLength) {
    return set_error(fmt::format("prefix '{}' has a length over 32", text));
  }
  const auto bits = static_cast<int>(*length);
  const std::uint32_t network = address->value() & mask(bits);
  if (network != address->value()) {
    return set_error(fmt::format("prefix '{}' has host bits set (did you mean {}/{}?)", text,
                                 Ipv4Address(network).to_string(), bits));
  }
  return Ipv4Prefix(*address, bits);
}

}  // namespace

std::optional<Ipv4Address> Ipv4Address::parse(std::string_view text) {
  std::uint32_t value = 0;
  std::size_t start = 0;
  for (int octet = 0; octet < 4; ++octet) {
    const std::size_t dot = octet < 3 ? text.find('.', start) : text.size();
    if (dot == std::string_view::npos) {
      return std::nullopt;
    }
    const std::optional<std::uint32_t> part = parse_decimal(text.substr(start, dot - start), 3);
    if (!part || *part > 255) {
      return std::nullopt;
    }
    value = (value << 8U) | *part;
    start = dot + 1;
  }
  return Ipv4Address(value);
}

Ipv4Address Ipv4Address::parse_or_throw(std::string_view text) {
  const std::optional<Ipv4Address> address = parse(text);
  if (!address) {
    throw AddressError(fmt::format("'{}' is not an IPv4 address", text));
  }
  return *address;
}

std::string Ipv4Address::to_string() const {
  return fmt::format("{}.{}.{}.{}", value_ >> 24U, (value_ >> 16U) & 0xffU, (value_ >> 8U) & 0xffU,
                     value_ & 0xffU);
}

bool Ipv4Address::is_private() const {
  return std::ranges::any_of(kPrivateBlocks, [&](const Block& block) {
    return (value_ & mask(block.length)) == block.base;
  });
}

Ipv4Prefix::Ipv4Prefix(Ipv4Address address, int length)
    : address_(address.value()), length_(static_cast<std::uint8_t>(length)) {
  ERSIM_ASSERT(length >= 0 && length <= kMaxLength, "prefix length out of range 0..32");
  ERSIM_ASSERT((address_ & mask(length)) == address_, "prefix has host bits set");
}

Ipv4Prefix Ipv4Prefix::containing(Ipv4Address address, int length) {
  ERSIM_ASSERT(length >= 0 && length <= kMaxLength, "prefix length out of range 0..32");
  Ipv4Prefix prefix;
  prefix.address_ = address.value() & mask(length);
  prefix.length_ = static_cast<std::uint8_t>(length);
  return prefix;
}

Ipv4Prefix Ipv4Prefix::parse_or_throw(std::string_view text) {
  std::string error;
  const std::optional<Ipv4Prefix> prefix = parse_prefix(text, &error);
  if (!prefix) {
    throw PrefixError(error);
  }
  return *prefix;
}

std::optional<Ipv4Prefix> Ipv4Prefix::parse(std::string_view text) {
  return parse_prefix(text, nullptr);
}

bool Ipv4Prefix::contains(Ipv4Address address) const {
  return (address.value() & mask(length_)) == address_;
}

bool Ipv4Prefix::contains(const Ipv4Prefix& other) const {
  return other.length_ >= length_ && contains(other.address());
}

bool Ipv4Prefix::overlaps(const Ipv4Prefix& other) const {
  return contains(other) || other.contains(*this);
}

Ipv4Address Ipv4Prefix::last() const { return Ipv4Address(address_ | ~mask(length_)); }

std::uint64_t Ipv4Prefix::size() const {
  return std::uint64_t{1} << static_cast<unsigned>(kMaxLength - length_);
}

Ipv4Address Ipv4Prefix::host(std::uint32_t n) const {
  ERSIM_ASSERT(n < size(), "host number outside the prefix");
  return Ipv4Address(address_ + n);
}

bool Ipv4Prefix::is_private() const {
  return std::ranges::any_of(kPrivateBlocks, [&](const Block& block) {
    return length_ >= block.length && (address_ & mask(block.length)) == block.base;
  });
}

std::string Ipv4Prefix::to_string() const {
  return fmt::format("{}/{}", address().to_string(), length_);
}

}  // namespace ersim
