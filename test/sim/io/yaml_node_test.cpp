#include "sim/io/yaml_node.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/io/config_error.hpp"

namespace ersim::io {
namespace {

// "file:line:col: message" of the ConfigError that parsing text throws, or "(no error)".
std::string error_of(const std::string& text) {
  try {
    parse_yaml("t.yaml", text);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(YamlNode, MappingKeepsKeysInDocumentOrderWithMarks) {
  const auto tree = parse_yaml("t.yaml", "b: 1\na:\n  - x\n  - y\n");
  const Node root = tree->root();
  ASSERT_TRUE(root.is_map());
  ASSERT_EQ(root.size(), 2U);
  EXPECT_EQ(root.key(0).scalar(), "b");
  EXPECT_EQ(root.key(1).scalar(), "a");
  EXPECT_EQ(root.value(0).scalar(), "1");
  EXPECT_EQ(root.mark(), (Mark{1, 1}));
  const Node list = root["a"];
  ASSERT_TRUE(list.is_sequence());
  EXPECT_EQ(list.mark(), (Mark{3, 3}));
  std::vector<std::string> items;
  for (const Node item : list) {
    items.emplace_back(item.scalar());
  }
  EXPECT_EQ(items, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(list.item(1).mark(), (Mark{4, 5}));
}

TEST(YamlNode, LookupOfAbsentKeyIsUndefined) {
  const auto tree = parse_yaml("t.yaml", "a: 1\n");
  EXPECT_FALSE(tree->root()["b"].defined());
  EXPECT_FALSE(tree->root()["a"]["c"].defined());  // a scalar has no keys
  EXPECT_EQ(tree->root()["b"].mark(), (Mark{}));
  EXPECT_EQ(Node().size(), 0U);
  EXPECT_EQ(Node().begin(), Node().end());
}

TEST(YamlNode, PlainEmptyTildeAndNullAreNullButQuotedTextIsNot) {
  const auto tree =
      parse_yaml("t.yaml", "a:\nb: ~\nc: null\nd: NULL\ne: \"\"\nf: 'null'\ng: !!str\nh: nul\n");
  const Node root = tree->root();
  for (const char* key : {"a", "b", "c", "d"}) {
    EXPECT_TRUE(root[key].is_null()) << key;
  }
  EXPECT_TRUE(root["e"].is_scalar());
  EXPECT_EQ(root["e"].scalar(), "");
  EXPECT_EQ(root["f"].scalar(), "null");
  EXPECT_TRUE(root["g"].is_scalar());
  EXPECT_EQ(root["h"].scalar(), "nul");
}

TEST(YamlNode, EmptyDocumentIsANullRootWithoutAPlace) {
  const auto tree = parse_yaml("t.yaml", "# only a comment\n");
  EXPECT_TRUE(tree->root().is_null());
  EXPECT_EQ(tree->root().mark(), (Mark{}));
}

TEST(YamlNode, AliasSharesTheAnchoredNode) {
  const auto tree = parse_yaml("t.yaml", "base: &t {hold: 9s}\nce1: *t\nce2: *t\n");
  const Node root = tree->root();
  EXPECT_EQ(root["ce1"], root["base"]);
  EXPECT_EQ(root["ce2"]["hold"].scalar(), "9s");
}

TEST(YamlNode, AliasBeforeItsAnchorIsAnError) {
  EXPECT_EQ(error_of("a: *x\nb: &x 1\n"),
            "t.yaml:1:4: alias '*x' names no anchor defined before it");
}

TEST(YamlNode, AliasInsideItsOwnAnchorIsAnError) {
  // A collection is named only once complete, so it can never contain itself.
  EXPECT_EQ(error_of("a: &x [1, *x]\n"),
            "t.yaml:1:11: alias '*x' names no anchor defined before it");
}

TEST(YamlNode, SecondDocumentFailsWhereItsContentStarts) {
  EXPECT_EQ(error_of("a: 1\n---\nb: 2\n"),
            "t.yaml:3:1: a second YAML document starts here; a file holds only one");
  EXPECT_EQ(error_of("a: 1\n--- [x]\n"),
            "t.yaml:2:5: a second YAML document starts here; a file holds only one");
}

TEST(YamlNode, ExplicitSingleDocumentIsFine) {
  const auto tree = parse_yaml("t.yaml", "---\na: 1\n...\n");
  EXPECT_EQ(tree->root()["a"].scalar(), "1");
}

TEST(YamlNode, InvalidUtf8IsReportedAtItsPlace) {
  EXPECT_EQ(error_of("a: 1\nb: \xff\n"),
            "t.yaml:2:4: invalid leading UTF-8 octet in the file's text");
}

TEST(YamlNode, ScalarTextKeepsEveryByteOfMultilineAndQuotedForms) {
  const auto tree = parse_yaml("t.yaml", "a: |\n  one\n  two\nb: \"x\\ty\"\nc: 'it''s'\n");
  EXPECT_EQ(tree->root()["a"].scalar(), "one\ntwo\n");
  EXPECT_EQ(tree->root()["b"].scalar(), "x\ty");
  EXPECT_EQ(tree->root()["c"].scalar(), "it's");
}

TEST(YamlNode, NestedCollectionsKeepTheirOwnChildren) {
  const auto tree = parse_yaml("t.yaml", "- [1, [2, 3], 4]\n- {k: [5]}\n- 6\n");
  const Node root = tree->root();
  ASSERT_EQ(root.size(), 3U);
  const Node first = root.item(0);
  ASSERT_EQ(first.size(), 3U);
  EXPECT_EQ(first.item(0).scalar(), "1");
  EXPECT_EQ(first.item(1).item(1).scalar(), "3");
  EXPECT_EQ(first.item(2).scalar(), "4");
  EXPECT_EQ(root.item(1)["k"].item(0).scalar(), "5");
  EXPECT_EQ(root.item(2).scalar(), "6");
}

TEST(YamlNode, NonScalarKeysAreKept) {
  const auto tree = parse_yaml("t.yaml", "? [a, b]\n: 1\n");
  ASSERT_TRUE(tree->root().is_map());
  EXPECT_TRUE(tree->root().key(0).is_sequence());
  EXPECT_FALSE(tree->root()["a"].defined());
}

}  // namespace
}  // namespace ersim::io
