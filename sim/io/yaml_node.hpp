// A parsed YAML document as a compact, read-only tree, and the handle that walks it. Built from
// libyaml's event stream: one 20-byte record per node and one shared buffer of scalar text, so
// a 5 MiB design file stays a few tens of MiB in memory.
//
//   const YamlTree tree = parse_yaml("topo.yaml", text);   // throws ConfigError on bad syntax
//   for (const Node item : tree.root()["routers"]) { item["name"].scalar(); item.mark().line; }
//
// Only io/ reads YAML; everything else sees the values io/ makes of it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ersim::io {

/// A place in a YAML file, counted from 1 as editors show it; line 0 means "no place" (the root
/// of an empty document).
struct Mark {
  int line = 0;
  int column = 0;
  friend bool operator==(const Mark&, const Mark&) = default;
};

enum class NodeKind : std::uint8_t { Undefined, Null, Scalar, Sequence, Map };

class YamlTree;
class NodeIterator;

/// A cheap, copyable handle on one node of a YamlTree; valid while the tree lives. A
/// default-constructed Node, or a lookup that finds nothing, is Undefined.
class Node {
 public:
  Node() = default;

  [[nodiscard]] NodeKind kind() const;
  [[nodiscard]] bool defined() const { return kind() != NodeKind::Undefined; }
  /// `~`, `null`, an empty value: YAML's null, which a quoted "" is not.
  [[nodiscard]] bool is_null() const { return kind() == NodeKind::Null; }
  [[nodiscard]] bool is_scalar() const { return kind() == NodeKind::Scalar; }
  [[nodiscard]] bool is_sequence() const { return kind() == NodeKind::Sequence; }
  [[nodiscard]] bool is_map() const { return kind() == NodeKind::Map; }

  /// The text of a scalar as written, quotes removed; empty for anything else.
  [[nodiscard]] std::string_view scalar() const;
  /// Where the node starts; {0, 0} for an Undefined node.
  [[nodiscard]] Mark mark() const;

  /// The items of a list, or the key/value pairs of a mapping; 0 for anything else.
  [[nodiscard]] std::size_t size() const;
  /// Item i of a list.
  [[nodiscard]] Node item(std::size_t i) const;
  /// Key and value of pair i of a mapping, in document order.
  [[nodiscard]] Node key(std::size_t i) const;
  [[nodiscard]] Node value(std::size_t i) const;
  /// The value of the first scalar key equal to `name` in a mapping; Undefined when there is
  /// none or this is not a mapping.
  [[nodiscard]] Node operator[](std::string_view name) const;

  /// The items of a list; nothing for a scalar or a mapping.
  [[nodiscard]] NodeIterator begin() const;
  [[nodiscard]] NodeIterator end() const;

  friend bool operator==(const Node&, const Node&) = default;

 private:
  friend class YamlTree;
  Node(const YamlTree* tree, std::uint32_t index) : tree_(tree), index_(index) {}
  [[nodiscard]] Node child(std::size_t i) const;

  const YamlTree* tree_ = nullptr;
  std::uint32_t index_ = 0;
};

/// Walks the items of a list: `for (const Node item : list)`.
class NodeIterator {
 public:
  Node operator*() const { return list_.item(i_); }
  NodeIterator& operator++() {
    ++i_;
    return *this;
  }
  friend bool operator==(const NodeIterator&, const NodeIterator&) = default;

 private:
  friend class Node;
  NodeIterator(Node list, std::size_t i) : list_(list), i_(i) {}
  Node list_;
  std::size_t i_ = 0;
};

inline NodeIterator Node::begin() const { return {*this, 0}; }
inline NodeIterator Node::end() const { return {*this, is_sequence() ? size() : 0}; }

/// The nodes of one document. Move-only; Nodes point into it, so it stays where it is built
/// (parse_yaml hands out a shared pointer).
class YamlTree {
 public:
  YamlTree() = default;
  YamlTree(const YamlTree&) = delete;
  YamlTree& operator=(const YamlTree&) = delete;
  YamlTree(YamlTree&&) = delete;
  YamlTree& operator=(YamlTree&&) = delete;
  ~YamlTree() = default;

  /// The document's root: a Null node for a document with no content.
  [[nodiscard]] Node root() const { return {this, 0}; }

 private:
  friend class Node;
  friend class TreeBuilder;

  struct Record {
    NodeKind kind = NodeKind::Undefined;
    std::uint32_t line = 0;
    std::uint32_t column = 0;
    std::uint32_t begin = 0;  // scalar: offset in text_; list or mapping: offset in children_
    std::uint32_t size = 0;   // scalar: length; list: items; mapping: 2 x pairs (key, value, ...)
  };

  std::vector<Record> records_;          // records_[0] is the root
  std::vector<std::uint32_t> children_;  // each collection's children, contiguous
  std::string text_;                     // every scalar's text, one after another
};

/// Parses one YAML document. `name` is the file name errors carry. Throws ConfigError at the
/// place of a syntax error ("did not find expected key (while parsing a block mapping that
/// starts at 3:5)"), at the start of a second document, or at an alias to an anchor not
/// defined before it.
std::shared_ptr<const YamlTree> parse_yaml(const std::string& name, std::string_view text);

}  // namespace ersim::io
