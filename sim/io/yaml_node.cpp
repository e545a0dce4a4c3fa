#include "sim/io/yaml_node.hpp"

#include <fmt/format.h>

#include <cstring>
#include <limits>
#include <unordered_map>
#include <utility>
#include <yaml.h>

#include "core/assert.hpp"
#include "sim/io/config_error.hpp"

namespace ersim::io {

NodeKind Node::kind() const {
  return tree_ == nullptr ? NodeKind::Undefined : tree_->records_[index_].kind;
}

std::string_view Node::scalar() const {
  if (!is_scalar()) {
    return {};
  }
  const YamlTree::Record& r = tree_->records_[index_];
  return std::string_view(tree_->text_).substr(r.begin, r.size);
}

Mark Node::mark() const {
  if (tree_ == nullptr) {
    return {};
  }
  const YamlTree::Record& r = tree_->records_[index_];
  return {static_cast<int>(r.line), static_cast<int>(r.column)};
}

std::size_t Node::size() const {
  switch (kind()) {
    case NodeKind::Sequence:
      return tree_->records_[index_].size;
    case NodeKind::Map:
      return tree_->records_[index_].size / 2;
    default:
      return 0;
  }
}

Node Node::child(std::size_t i) const {
  const YamlTree::Record& r = tree_->records_[index_];
  ERSIM_ASSERT(i < r.size, "YAML child index out of range");
  return {tree_, tree_->children_[r.begin + i]};
}

Node Node::item(std::size_t i) const {
  ERSIM_ASSERT(is_sequence(), "item() of a YAML node that is not a list");
  return child(i);
}

Node Node::key(std::size_t i) const {
  ERSIM_ASSERT(is_map(), "key() of a YAML node that is not a mapping");
  return child(2 * i);
}

Node Node::value(std::size_t i) const {
  ERSIM_ASSERT(is_map(), "value() of a YAML node that is not a mapping");
  return child(2 * i + 1);
}

Node Node::operator[](std::string_view name) const {
  const std::size_t pairs = is_map() ? size() : 0;
  for (std::size_t i = 0; i < pairs; ++i) {
    const Node k = key(i);
    if (k.is_scalar() && k.scalar() == name) {
      return value(i);
    }
  }
  return {};
}

// libyaml's events are a C struct with a union of per-type data, read by the event's type.
// NOLINTBEGIN(cppcoreguidelines-pro-type-union-access)

// Turns libyaml's events into a YamlTree. Children of an open collection wait on one shared
// stack (pending_) and move into the tree's contiguous child array when the collection closes.
class TreeBuilder {
 public:
  TreeBuilder(const std::string& name, std::string_view text)
      : name_(name), text_(text), tree_(std::make_shared<YamlTree>()) {}

  std::shared_ptr<const YamlTree> build() {
    if (text_.size() >= std::numeric_limits<std::uint32_t>::max()) {
      throw ConfigError(name_, 1, 1, "file too large (4 GiB at most)");
    }
    tree_->records_.emplace_back();  // the root, filled by the first node (or null)
    tree_->records_[0].kind = NodeKind::Null;
    Parser parser(text_);
    bool done = false;
    while (!done) {
      yaml_event_t event;
      if (yaml_parser_parse(&parser.p, &event) == 0) {
        fail_syntax(parser.p);
      }
      const Event owned(event);
      done = handle(event);
    }
    return std::move(tree_);
  }

 private:
  // RAII for libyaml's parser and events.
  struct Parser {
    explicit Parser(std::string_view text) {
      ERSIM_ASSERT(yaml_parser_initialize(&p) != 0, "libyaml could not allocate a parser");
      // libyaml reads unsigned bytes.
      // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast)
      yaml_parser_set_input_string(&p, reinterpret_cast<const unsigned char*>(text.data()),
                                   text.size());
    }
    Parser(const Parser&) = delete;
    Parser& operator=(const Parser&) = delete;
    Parser(Parser&&) = delete;
    Parser& operator=(Parser&&) = delete;
    ~Parser() { yaml_parser_delete(&p); }
    yaml_parser_t p{};
  };
  struct Event {
    explicit Event(yaml_event_t& e) : e_(e) {}
    Event(const Event&) = delete;
    Event& operator=(const Event&) = delete;
    Event(Event&&) = delete;
    Event& operator=(Event&&) = delete;
    ~Event() { yaml_event_delete(&e_); }
    yaml_event_t& e_;
  };
  struct Open {
    std::uint32_t record;
    std::size_t first_pending;  // where its children start in pending_
    std::string anchor;         // its anchor's name, or empty
  };

  // Returns true at the end of the stream.
  bool handle(const yaml_event_t& e) {
    switch (e.type) {
      case YAML_STREAM_END_EVENT:
        return true;
      case YAML_DOCUMENT_START_EVENT:
        ++documents_;
        return false;
      case YAML_SCALAR_EVENT:
        add_scalar(e);
        return false;
      case YAML_ALIAS_EVENT:
        add_alias(e);
        return false;
      case YAML_SEQUENCE_START_EVENT:
        open(e, NodeKind::Sequence, e.data.sequence_start.anchor);
        return false;
      case YAML_MAPPING_START_EVENT:
        open(e, NodeKind::Map, e.data.mapping_start.anchor);
        return false;
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT:
        close();
        return false;
      default:  // stream start, document end
        return false;
    }
  }

  // A node of a second document fails where that document's content starts: a design file
  // holds one document, and silently reading only the first would lose the rest.
  std::uint32_t new_record(const yaml_event_t& e, NodeKind kind) {
    if (documents_ > 1) {
      fail_at(e.start_mark, "a second YAML document starts here; a file holds only one");
    }
    YamlTree::Record r;
    r.kind = kind;
    r.line = static_cast<std::uint32_t>(e.start_mark.line + 1);
    r.column = static_cast<std::uint32_t>(e.start_mark.column + 1);
    if (open_.empty() && !root_taken_) {
      root_taken_ = true;
      tree_->records_[0] = r;
      return 0;
    }
    tree_->records_.push_back(r);
    return static_cast<std::uint32_t>(tree_->records_.size() - 1);
  }

  void attach(std::uint32_t record) {
    if (!open_.empty()) {
      pending_.push_back(record);
    }
  }

  void name_anchor(const unsigned char* anchor, std::uint32_t record) {
    if (anchor != nullptr) {
      anchors_[as_string(anchor)] = record;
    }
  }

  // YAML 1.2 core schema: an untagged plain scalar that is empty, ~ or null is null; quoted
  // text, and anything tagged other than !!null, is a string.
  static bool is_null_scalar(const yaml_event_t& e) {
    const auto& s = e.data.scalar;
    if (s.tag != nullptr) {
      return as_string(s.tag) == "tag:yaml.org,2002:null";
    }
    if (s.style != YAML_PLAIN_SCALAR_STYLE) {
      return false;
    }
    const std::string_view v(as_chars(s.value), s.length);
    return v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL";
  }

  void add_scalar(const yaml_event_t& e) {
    const bool null = is_null_scalar(e);
    const std::uint32_t record = new_record(e, null ? NodeKind::Null : NodeKind::Scalar);
    if (!null) {
      YamlTree::Record& r = tree_->records_[record];
      r.begin = static_cast<std::uint32_t>(tree_->text_.size());
      r.size = static_cast<std::uint32_t>(e.data.scalar.length);
      tree_->text_.append(as_chars(e.data.scalar.value), e.data.scalar.length);
    }
    name_anchor(e.data.scalar.anchor, record);
    attach(record);
  }

  // An alias shares the anchored node: nothing is copied, so no alias bomb can blow up memory.
  void add_alias(const yaml_event_t& e) {
    if (documents_ > 1) {
      fail_at(e.start_mark, "a second YAML document starts here; a file holds only one");
    }
    const std::string anchor = as_string(e.data.alias.anchor);
    const auto found = anchors_.find(anchor);
    if (found == anchors_.end()) {
      fail_at(e.start_mark, fmt::format("alias '*{}' names no anchor defined before it", anchor));
    }
    attach(found->second);
  }

  void open(const yaml_event_t& e, NodeKind kind, const unsigned char* anchor) {
    const std::uint32_t record = new_record(e, kind);
    open_.push_back(Open{record, pending_.size(), anchor == nullptr ? "" : as_string(anchor)});
  }

  void close() {
    const Open o = std::move(open_.back());
    open_.pop_back();
    YamlTree::Record& r = tree_->records_[o.record];
    r.begin = static_cast<std::uint32_t>(tree_->children_.size());
    r.size = static_cast<std::uint32_t>(pending_.size() - o.first_pending);
    tree_->children_.insert(tree_->children_.end(),
                            pending_.begin() + static_cast<std::ptrdiff_t>(o.first_pending),
                            pending_.end());
    pending_.resize(o.first_pending);
    // Named only once complete, so a collection cannot contain itself through an alias.
    if (!o.anchor.empty()) {
      anchors_[o.anchor] = o.record;
    }
    attach(o.record);
  }

  [[noreturn]] void fail_at(const yaml_mark_t& mark, std::string_view message) const {
    throw ConfigError(name_, static_cast<int>(mark.line + 1), static_cast<int>(mark.column + 1),
                      message);
  }

  // libyaml says what it expected and, for most errors, which construct it was reading and
  // where that started.
  [[noreturn]] void fail_syntax(const yaml_parser_t& p) const {
    const std::string problem = p.problem != nullptr ? p.problem : "YAML syntax error";
    if (p.error == YAML_READER_ERROR) {
      // Bad encoding: libyaml gives a byte offset, not a line.
      const Mark at = place_of(p.problem_offset);
      throw ConfigError(name_, at.line, at.column, fmt::format("{} in the file's text", problem));
    }
    if (p.error == YAML_MEMORY_ERROR) {
      throw ConfigError(name_, 1, 1, "out of memory while parsing");
    }
    if (p.context != nullptr) {
      fail_at(p.problem_mark, fmt::format("{} ({} that starts at {}:{})", problem, p.context,
                                          p.context_mark.line + 1, p.context_mark.column + 1));
    }
    fail_at(p.problem_mark, problem);
  }

  Mark place_of(std::size_t offset) const {
    Mark at{1, 1};
    for (std::size_t i = 0; i < offset && i < text_.size(); ++i) {
      if (text_[i] == '\n') {
        ++at.line;
        at.column = 1;
      } else {
        ++at.column;
      }
    }
    return at;
  }

  // libyaml's strings are unsigned char.
  static const char* as_chars(const unsigned char* s) {
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast)
    return reinterpret_cast<const char*>(s);
  }
  static std::string as_string(const unsigned char* s) { return as_chars(s); }

  const std::string& name_;
  std::string_view text_;
  std::shared_ptr<YamlTree> tree_;
  std::vector<Open> open_;
  std::vector<std::uint32_t> pending_;
  std::unordered_map<std::string, std::uint32_t> anchors_;
  int documents_ = 0;
  bool root_taken_ = false;
};

// NOLINTEND(cppcoreguidelines-pro-type-union-access)

std::shared_ptr<const YamlTree> parse_yaml(const std::string& name, std::string_view text) {
  return TreeBuilder(name, text).build();
}

}  // namespace ersim::io
