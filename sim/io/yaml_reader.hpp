// Reading YAML into values: the one place that turns parsed nodes (yaml_node.hpp) into strings,
// numbers, durations and addresses, and every mistake into a ConfigError at the right line and
// column.
//
//   const YamlFile file = load_yaml_file("topo.yaml");
//   MapReader router(Reader(file.name), file.root, "router");  // then required, optional, finish
//
// Strict on purpose: a mapping may not repeat a key or hold a key nobody asked for (finish()
// names the closest known key), a list must be a list, a duration must carry its unit. Nothing
// here knows what a router is; the callers in io/ do.
#pragma once

#include <fmt/format.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/closest_match.hpp"
#include "core/time.hpp"
#include "sim/io/config_error.hpp"
#include "sim/io/yaml_node.hpp"
#include "sim/topo/ipv4.hpp"

namespace ersim::io {

/// A parsed YAML document and the name its errors carry. Copies share the tree.
struct YamlFile {
  std::string name;
  std::shared_ptr<const YamlTree> tree;
  Node root;  ///< points into tree
};

/// Reads and parses one YAML document. Throws ConfigError "path:1:1: cannot read file: No such
/// file or directory", a YAML syntax error at its position, or an error at a second document.
YamlFile load_yaml_file(const std::string& path);
/// As load_yaml_file, from text; name is what errors report as the file.
YamlFile load_yaml_string(std::string name, const std::string& text);

/// Typed reads of single nodes. Each takes `what`, the name of the value in messages ("weight",
/// "hold timer"), and throws ConfigError at the node's line and column. A scalar is read from its
/// text, quoted or not: `weight: "100"` is the integer 100.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  const std::string& file() const { return file_; }

  /// Throws ConfigError at the node. A node without a position (an empty document) reports 1:1;
  /// callers that hold a better place, such as the parent, pass its node or mark instead.
  [[noreturn]] void fail(const Node& at, std::string_view message) const;
  [[noreturn]] void fail(const Mark& at, std::string_view message) const;

  /// Any scalar, including the empty string `""`.
  std::string string(const Node& node, std::string_view what) const;
  /// A decimal integer in lo..hi: "weight 40000 is out of range 0..32000".
  std::int64_t integer(const Node& node, std::int64_t lo, std::int64_t hi,
                       std::string_view what) const;
  /// `true` or `false` only: YAML 1.1's yes, no, on and off are errors.
  bool boolean(const Node& node, std::string_view what) const;
  /// Text with units, as parse_duration reads it: "300ms", "1m30s". A bare number is an error.
  Duration duration(const Node& node, std::string_view what) const;
  Ipv4Prefix prefix(const Node& node, std::string_view what) const;
  Ipv4Address address(const Node& node, std::string_view what) const;
  /// An autonomous system number, 1..4294967295.
  std::uint32_t asn(const Node& node, std::string_view what) const;
  /// A rate as parse_rate reads it, "500Mbps", "2.5Gbps": "bandwidth '1 gig' is not a bandwidth
  /// (write 500Mbps, 1Gbps, 10Gbps)", with `noun` the word for what it should be.
  std::uint64_t rate(const Node& node, std::string_view what, std::string_view noun) const;
  /// A percentage as parse_percent reads it, "80%", as a fraction above zero and at most `hi`.
  double percent(const Node& node, double hi, std::string_view what) const;

  /// Calls f(item) for each item of a list, in order. Anything but a list, a single scalar
  /// included, is an error ("expected a list for routers, found 'ce1'"), and so is an empty item.
  template <class F>
  void for_each(const Node& seq, std::string_view what, F f) const {
    check_list(seq, what);
    for (const Node item : seq) {
      std::invoke(f, item);
    }
  }

 private:
  void check_list(const Node& seq, std::string_view what) const;
  std::string scalar(const Node& node, std::string_view expected, std::string_view what) const;

  std::string file_;
};

/// A mapping read strictly, key by key:
///   MapReader map(reader, node, "router");
///   map.describe(fmt::format("router '{}'", name));  // optional: names it in later messages
///   const std::uint32_t asn = reader.asn(map.required("asn"), "asn");
///   map.finish();  // "unknown key 'hold_tme' in router 'ce1' (did you mean 'hold_time'?)"
/// Construction rejects a node that is not a mapping, a key that is not a scalar and a repeated
/// key. A key with an empty or null value is an error at the key when it is asked for.
class MapReader {
 public:
  MapReader(Reader reader, const Node& map, std::string what);

  /// Names the mapping in messages from now on: "router" becomes "router 'ce1'".
  void describe(std::string what) { what_ = std::move(what); }

  /// The value of key, or nullptr when the mapping lacks it. Remembers key as known.
  const Node* get(std::string_view key);
  /// The value of key; if absent, "missing required key 'asn' in router 'ce1'" at the mapping.
  Node required(std::string_view key);
  std::optional<Node> optional(std::string_view key);

  /// Throws for the first key, in document order, that no get, required or optional asked for:
  /// "unknown key 'hold_tme' in router (did you mean 'hold_time'?)" at the key, or "(expected
  /// one of: asn, hold_time, name)" when no known key is close.
  void finish() const;

  /// Throws ConfigError at the mapping.
  [[noreturn]] void fail(std::string_view message) const;

  const Reader& reader() const { return reader_; }
  const Node& node() const { return map_; }
  Mark mark() const;
  const std::string& what() const { return what_; }

 private:
  struct Entry {
    std::string_view key;  // points into the tree
    Node key_node;
    Node value;
    bool asked = false;  // get, required or optional named it
  };

  // A mapping has a handful of keys: linear scans beat a tree here.
  const Entry* find(std::string_view key) const;

  Reader reader_;  // a copy, so a MapReader never outlives its Reader
  Node map_;
  std::string what_;
  std::vector<Entry> entries_;      // document order
  std::vector<std::string> known_;  // every key asked for, in order asked
};

/// "12:5": a place in a file, for messages that point at another one ("first defined at 12:5").
std::string where(const Mark& mark);

/// Reads a word of the file as an enum value from `words`; anything else is "unknown mode 'x'
/// (expected one of: carrier, silent)" at the node.
template <class E, std::size_t N>
E choose(const Reader& r, const Node& node, std::string_view what,
         const std::array<std::pair<std::string_view, E>, N>& words) {
  const std::string text = r.string(node, what);
  std::string accepted;
  for (const auto& [word, value] : words) {
    if (word == text) {
      return value;
    }
    accepted += accepted.empty() ? "" : ", ";
    accepted += word;
  }
  r.fail(node, fmt::format("unknown {} '{}' (expected one of: {})", what, text, accepted));
}

}  // namespace ersim::io
