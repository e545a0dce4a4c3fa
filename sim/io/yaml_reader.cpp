#include "sim/io/yaml_reader.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <memory>
#include <system_error>
#include <utility>

#include "sim/topo/rate.hpp"

namespace ersim::io {
namespace {

// How a node looks, for "found ..." in messages.
std::string describe(const Node& node) {
  switch (node.kind()) {
    case NodeKind::Sequence:
      return "a list";
    case NodeKind::Map:
      return "a mapping";
    case NodeKind::Scalar:
      return fmt::format("'{}'", node.scalar());
    default:
      return "nothing";
  }
}

// "(did you mean 'hold_time'?)" when a known key is close to the unknown one (closest_match),
// else the list of known keys.
std::string hint(std::string_view unknown, std::vector<std::string> known) {
  if (known.empty()) {
    return "(it takes no keys)";
  }
  std::sort(known.begin(), known.end());
  known.erase(std::unique(known.begin(), known.end()), known.end());
  // Sorted, so of equally close keys the first in order wins.
  const std::vector<std::string_view> views(known.begin(), known.end());
  if (const auto best = closest_match(unknown, views)) {
    return fmt::format("(did you mean '{}'?)", *best);
  }
  return fmt::format("(expected one of: {})", fmt::join(known, ", "));
}

struct FileCloser {
  void operator()(std::FILE* file) const { static_cast<void>(std::fclose(file)); }
};

[[noreturn]] void cannot_read(const std::string& path, int error) {
  throw ConfigError(path, 1, 1, "cannot read file: " + std::generic_category().message(error));
}

// std::FILE rather than a stream: fopen and fread set errno, which gives the reason.
std::string read_file(const std::string& path) {
  errno = 0;
  const std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) {
    cannot_read(path, errno);
  }
  std::string text;
  std::array<char, 1 << 16> buffer{};
  std::size_t count = 0;
  while ((count = std::fread(buffer.data(), 1, buffer.size(), file.get())) > 0) {
    text.append(buffer.data(), count);
  }
  if (std::ferror(file.get()) != 0) {
    cannot_read(path, errno);
  }
  return text;
}

}  // namespace

YamlFile load_yaml_file(const std::string& path) { return load_yaml_string(path, read_file(path)); }

YamlFile load_yaml_string(std::string name, const std::string& text) {
  std::shared_ptr<const YamlTree> tree = parse_yaml(name, text);
  const Node root = tree->root();
  return YamlFile{std::move(name), std::move(tree), root};
}

void Reader::fail(const Node& at, std::string_view message) const { fail(at.mark(), message); }

void Reader::fail(const Mark& at, std::string_view message) const {
  // Line 0 is "no place" (the root of an empty document).
  if (at.line <= 0 || at.column <= 0) {
    throw ConfigError(file_, 1, 1, message);
  }
  throw ConfigError(file_, at.line, at.column, message);
}

std::string Reader::scalar(const Node& node, std::string_view expected,
                           std::string_view what) const {
  if (!node.is_scalar()) {
    fail(node, fmt::format("expected {} for {}, found {}", expected, what, describe(node)));
  }
  return std::string(node.scalar());
}

std::string Reader::string(const Node& node, std::string_view what) const {
  return scalar(node, "a string", what);
}

std::int64_t Reader::integer(const Node& node, std::int64_t lo, std::int64_t hi,
                             std::string_view what) const {
  const std::string text = scalar(node, "an integer", what);
  // Decimal only, without a leading zero: YAML 1.1 reads 010 as octal 8, and also takes 0x10
  // and 1_000, none of which a number in a design file should be.
  const std::string_view digits = std::string_view(text).substr(text.starts_with('-') ? 1 : 0);
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos ||
      (digits.size() > 1 && digits[0] == '0')) {
    fail(node, fmt::format("expected an integer for {}, found '{}'", what, text));
  }
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || value < lo || value > hi) {
    fail(node, fmt::format("{} {} is out of range {}..{}", what, text, lo, hi));
  }
  return value;
}

bool Reader::boolean(const Node& node, std::string_view what) const {
  const std::string text = scalar(node, "true or false", what);
  if (text == "true") {
    return true;
  }
  if (text == "false") {
    return false;
  }
  fail(node, fmt::format("expected true or false for {}, found '{}'", what, text));
}

Duration Reader::duration(const Node& node, std::string_view what) const {
  const std::string text = scalar(node, "a duration", what);
  try {
    return parse_duration(text);
  } catch (const DurationError& e) {
    fail(node, e.what());
  }
}

Ipv4Prefix Reader::prefix(const Node& node, std::string_view what) const {
  const std::string text = scalar(node, "an IPv4 prefix", what);
  try {
    return Ipv4Prefix::parse_or_throw(text);
  } catch (const PrefixError& e) {
    fail(node, e.what());
  }
}

Ipv4Address Reader::address(const Node& node, std::string_view what) const {
  const std::string text = scalar(node, "an IPv4 address", what);
  try {
    return Ipv4Address::parse_or_throw(text);
  } catch (const AddressError& e) {
    fail(node, e.what());
  }
}

std::uint32_t Reader::asn(const Node& node, std::string_view what) const {
  return static_cast<std::uint32_t>(integer(node, 1, 4'294'967'295, what));
}

std::uint64_t Reader::rate(const Node& node, std::string_view what, std::string_view noun) const {
  const std::string text = string(node, what);
  if (const std::optional<std::uint64_t> bps = parse_rate(text)) {
    return *bps;
  }
  fail(node, fmt::format("{} '{}' is not a {} (write 500Mbps, 1Gbps, 10Gbps)", what, text, noun));
}

double Reader::percent(const Node& node, double hi, std::string_view what) const {
  const std::string text = string(node, what);
  const std::optional<double> fraction = parse_percent(text);
  if (!fraction) {
    fail(node, fmt::format("{} '{}' is not a percentage (write 80%)", what, text));
  }
  if (*fraction <= 0 || *fraction > hi) {
    fail(node,
         fmt::format("{} {} is out of range (above 0%, at most {})", what, text, percent_text(hi)));
  }
  return *fraction;
}

void Reader::check_list(const Node& seq, std::string_view what) const {
  if (!seq.is_sequence()) {
    fail(seq, fmt::format("expected a list for {}, found {}", what, describe(seq)));
  }
  // An empty item's own mark points at whatever follows it, so report it at the list.
  std::size_t number = 1;
  for (const Node item : seq) {
    if (item.is_null()) {
      fail(seq, fmt::format("item {} of the list for {} is empty", number, what));
    }
    ++number;
  }
}

MapReader::MapReader(Reader reader, const Node& map, std::string what)
    : reader_(std::move(reader)), map_(map), what_(std::move(what)) {
  if (!map.is_map()) {
    reader_.fail(map, fmt::format("expected a mapping for {}, found {}", what_, io::describe(map)));
  }
  const std::size_t pairs = map.size();
  entries_.reserve(pairs);
  for (std::size_t i = 0; i < pairs; ++i) {
    const Node key = map.key(i);
    if (!key.is_scalar()) {
      reader_.fail(key,
                   fmt::format("expected a key name in {}, found {}", what_, io::describe(key)));
    }
    entries_.push_back(Entry{key.scalar(), key, map.value(i)});
  }
  // A repeated key would hide one of its values. Sorting finds repeats in n log n, whatever
  // the size of the mapping; the first repeat in document order is the one reported.
  std::vector<std::size_t> order(entries_.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    order[i] = i;
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return entries_[a].key < entries_[b].key; });
  const Entry* repeat = nullptr;
  for (std::size_t i = 1; i < order.size(); ++i) {
    const Entry& later = entries_[order[i]];
    if (later.key == entries_[order[i - 1]].key && (repeat == nullptr || &later < repeat)) {
      repeat = &later;
    }
  }
  if (repeat != nullptr) {
    reader_.fail(repeat->key_node, fmt::format("duplicate key '{}' in {}", repeat->key, what_));
  }
}

const MapReader::Entry* MapReader::find(std::string_view key) const {
  for (const Entry& entry : entries_) {
    if (entry.key == key) {
      return &entry;
    }
  }
  return nullptr;
}

const Node* MapReader::get(std::string_view key) {
  if (std::find(known_.begin(), known_.end(), key) == known_.end()) {
    known_.emplace_back(key);
  }
  const Entry* found = find(key);
  if (found == nullptr) {
    return nullptr;
  }
  Entry& entry = entries_[static_cast<std::size_t>(found - entries_.data())];
  entry.asked = true;
  // The mark of an empty value is the token after it, often on the next line: use the key's.
  if (entry.value.is_null()) {
    reader_.fail(entry.key_node, fmt::format("key '{}' in {} has no value", key, what_));
  }
  return &entry.value;
}

Node MapReader::required(std::string_view key) {
  const Node* value = get(key);
  if (value == nullptr) {
    // A misspelt required key is better reported as the typo it is, at its own place.
    const std::vector<std::string> wanted{std::string(key)};
    for (const Entry& entry : entries_) {
      if (entry.asked) {
        continue;
      }
      const std::string suggestion = hint(entry.key, wanted);
      if (suggestion.starts_with("(did you mean")) {
        reader_.fail(entry.key_node,
                     fmt::format("unknown key '{}' in {} {}", entry.key, what_, suggestion));
      }
    }
    fail(fmt::format("missing required key '{}' in {}", key, what_));
  }
  return *value;
}

std::optional<Node> MapReader::optional(std::string_view key) {
  const Node* value = get(key);
  if (value == nullptr) {
    return std::nullopt;
  }
  return *value;
}

void MapReader::finish() const {
  for (const Entry& entry : entries_) {
    if (!entry.asked) {
      reader_.fail(entry.key_node, fmt::format("unknown key '{}' in {} {}", entry.key, what_,
                                               hint(entry.key, known_)));
    }
  }
}

void MapReader::fail(std::string_view message) const { reader_.fail(map_, message); }

Mark MapReader::mark() const { return map_.mark(); }

std::string where(const Mark& mark) { return fmt::format("{}:{}", mark.line, mark.column); }

}  // namespace ersim::io
