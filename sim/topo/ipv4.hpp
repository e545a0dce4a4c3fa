// IPv4 addresses and prefixes: small, trivially copyable values for routes stored by the million.
//
// Parsing is strict (dotted quad, no leading zeros, no host bits in a prefix):
//   const Ipv4Prefix vnet = Ipv4Prefix::parse_or_throw("10.1.0.0/16");
//   vnet.contains(Ipv4Address::parse_or_throw("10.1.2.3"));  // true
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

namespace ersim {

/// Thrown by Ipv4Address::parse_or_throw: "'10.0.0.256' is not an IPv4 address".
class AddressError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// Thrown by Ipv4Prefix::parse_or_throw. The message names the text and what is wrong with it,
/// without a position (the caller that knows the file and line adds it).
class PrefixError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

class Ipv4Address {
 public:
  /// 0.0.0.0.
  constexpr Ipv4Address() = default;
  /// From the address in host byte order: Ipv4Address(0x0a000001) is 10.0.0.1.
  constexpr explicit Ipv4Address(std::uint32_t value) : value_(value) {}

  /// Exactly four decimal octets 0..255 separated by dots; "0" but no other leading zero, no
  /// sign, no spaces. Anything else is std::nullopt.
  static std::optional<Ipv4Address> parse(std::string_view text);
  /// As parse, but throws AddressError.
  static Ipv4Address parse_or_throw(std::string_view text);

  constexpr std::uint32_t value() const { return value_; }
  /// Dotted quad: "10.0.0.1".
  std::string to_string() const;
  /// Inside RFC 1918 private space: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16.
  bool is_private() const;

  // clang-tidy 14 takes the 0 that a defaulted <=> compares with for a null pointer.
  // NOLINTNEXTLINE(modernize-use-nullptr)
  friend constexpr auto operator<=>(const Ipv4Address&, const Ipv4Address&) = default;

 private:
  std::uint32_t value_ = 0;
};

/// An address and a length 0..32 with no bits set after the length: 10.1.0.0/16.
class Ipv4Prefix {
 public:
  static constexpr int kMaxLength = 32;

  /// 0.0.0.0/0.
  constexpr Ipv4Prefix() = default;
  /// Asserts (ERSIM_ASSERT) that length is 0..32 and that address has no host bits set.
  Ipv4Prefix(Ipv4Address address, int length);

  /// The prefix of `length` bits that contains `address` (its host bits cleared). Asserts that
  /// length is 0..32.
  static Ipv4Prefix containing(Ipv4Address address, int length);

  /// "address/length". Throws PrefixError, for example "prefix '10.0.0.1/16' has host bits set
  /// (did you mean 10.0.0.0/16?)" or "prefix '10.0.0.0' has no length (write 10.0.0.0/32 for one
  /// address)".
  static Ipv4Prefix parse_or_throw(std::string_view text);
  /// As parse_or_throw, but std::nullopt instead of an exception.
  static std::optional<Ipv4Prefix> parse(std::string_view text);

  constexpr Ipv4Address address() const { return Ipv4Address(address_); }
  constexpr int length() const { return length_; }

  bool contains(Ipv4Address address) const;
  /// True when other is this prefix or a more specific one inside it.
  bool contains(const Ipv4Prefix& other) const;
  /// True when the two share at least one address, that is when one contains the other.
  bool overlaps(const Ipv4Prefix& other) const;

  Ipv4Address first() const { return address(); }
  Ipv4Address last() const;
  /// Number of addresses: 2^(32 - length), so 4294967296 for /0.
  std::uint64_t size() const;
  /// The n-th address, first() + n. Asserts n < size().
  Ipv4Address host(std::uint32_t n) const;
  /// Entirely inside RFC 1918 private space.
  bool is_private() const;
  /// "10.1.0.0/16".
  std::string to_string() const;

  /// Orders by address, then the shorter prefix first: 10.0.0.0/8 < 10.0.0.0/16 < 10.1.0.0/16.
  // NOLINTNEXTLINE(modernize-use-nullptr): as for Ipv4Address.
  friend constexpr auto operator<=>(const Ipv4Prefix&, const Ipv4Prefix&) = default;

 private:
  std::uint32_t address_ = 0;
  std::uint8_t length_ = 0;
};

static_assert(std::is_trivially_copyable_v<Ipv4Address> && sizeof(Ipv4Address) == 4);
static_assert(std::is_trivially_copyable_v<Ipv4Prefix> && sizeof(Ipv4Prefix) == 8);

}  // namespace ersim

template <>
struct std::hash<ersim::Ipv4Address> {
  std::size_t operator()(ersim::Ipv4Address address) const noexcept {
    return std::hash<std::uint32_t>{}(address.value());
  }
};

template <>
struct std::hash<ersim::Ipv4Prefix> {
  std::size_t operator()(const ersim::Ipv4Prefix& prefix) const noexcept {
    const std::uint64_t key = (std::uint64_t{prefix.address().value()} << 8U) |
                              static_cast<std::uint64_t>(prefix.length());
    return std::hash<std::uint64_t>{}(key);
  }
};
