#include "sim/io/yaml_reader.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <ostream>
#include <string>
#include <type_traits>
#include <vector>

namespace ersim::io {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// What a ConfigError says, compared whole so a failing test shows every part.
struct Failure {
  int line = 0;
  int column = 0;
  std::string what;
  friend bool operator==(const Failure&, const Failure&) = default;
  friend std::ostream& operator<<(std::ostream& out, const Failure& f) {
    return out << f.line << ":" << f.column << " \"" << f.what << "\"";
  }
};

template <class F>
Failure failure_of(F f) {
  try {
    f();
  } catch (const ConfigError& e) {
    // what() must agree with the parts it is made of.
    EXPECT_EQ(e.what(), fmt::format("{}:{}:{}: {}", e.file(), e.line(), e.column(), e.message()));
    return {e.line(), e.column(), e.what()};
  }
  return {0, 0, "(no error)"};
}

YamlFile load(const std::string& text) { return load_yaml_string("t.yaml", text); }

TEST(ConfigError, WhatIsFileLineColumnMessage) {
  const ConfigError e("topo/a.yaml", 12, 5, "unknown key 'x' in router");
  EXPECT_STREQ(e.what(), "topo/a.yaml:12:5: unknown key 'x' in router");
  EXPECT_EQ(e.file(), "topo/a.yaml");
  EXPECT_EQ(e.line(), 12);
  EXPECT_EQ(e.column(), 5);
  EXPECT_EQ(e.message(), "unknown key 'x' in router");
}

TEST(ConfigError, CopyKeepsEveryPart) {
  std::optional<ConfigError> copy;
  {
    const ConfigError original("b.yaml", 1, 2, "message: with a colon");
    copy.emplace(original);
  }
  EXPECT_EQ(copy->file(), "b.yaml");
  EXPECT_EQ(copy->message(), "message: with a colon");
  EXPECT_EQ(copy->line(), 1);
  EXPECT_EQ(copy->column(), 2);
  EXPECT_TRUE(std::is_nothrow_copy_constructible_v<ConfigError>);
}

TEST(LoadYamlString, ValidTextGivesTheDocumentAndName) {
  const YamlFile file = load_yaml_string("named.yaml", "a: 1\nb: [x, y]\n");
  EXPECT_EQ(file.name, "named.yaml");
  ASSERT_TRUE(file.root.is_map());
  EXPECT_EQ(file.root["a"].scalar(), "1");
  EXPECT_EQ(file.root["b"].size(), 2U);
}

TEST(LoadYamlString, UnclosedFlowListIsASyntaxErrorNamingWhereTheListStarts) {
  // The missing ']' is noticed at the first token the flow list cannot take; the message says
  // where the list began, which is where the mistake is.
  const Failure f = failure_of([] {
    load(R"(routers:
  - name: ce1
    peers: [pe1, pe2
  - name: ce2
)");
  });
  EXPECT_EQ(f, (Failure{4, 9,
                        "t.yaml:4:9: did not find expected ',' or ']' (while parsing a flow "
                        "sequence that starts at 3:12)"}));
}

TEST(LoadYamlString, BadIndentationIsASyntaxError) {
  EXPECT_EQ(failure_of([] { load("a: 1\n b: 2\n"); }),
            (Failure{2, 3, "t.yaml:2:3: mapping values are not allowed in this context"}));
}

TEST(LoadYamlString, SecondDocumentIsAnError) {
  EXPECT_EQ(
      failure_of([] { load("a: 1\n---\nb: 2\n"); }),
      (Failure{3, 1, "t.yaml:3:1: a second YAML document starts here; a file holds only one"}));
}

TEST(LoadYamlString, EmptyTextGivesANullRootReportedAtTheStart) {
  const YamlFile file = load("# nothing but a comment\n");
  EXPECT_TRUE(file.root.is_null());
  EXPECT_EQ(failure_of([&] { MapReader(Reader(file.name), file.root, "topology"); }),
            (Failure{1, 1, "t.yaml:1:1: expected a mapping for topology, found nothing"}));
}

class LoadYamlFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("ersim_yaml_reader_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) {
    const std::filesystem::path path = dir_ / name;
    std::ofstream(path) << text;
    return path.string();
  }

  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
};

TEST_F(LoadYamlFile, ReadableFileGivesItsDocumentNamedByPath) {
  const std::string path = write("ok.yaml", "name: ce1\nasn: 65001\n");
  const YamlFile file = load_yaml_file(path);
  EXPECT_EQ(file.name, path);
  EXPECT_EQ(file.root["asn"].scalar(), "65001");
}

TEST_F(LoadYamlFile, MissingFileReportsTheReasonAtOneOne) {
  const std::string path = (dir() / "absent.yaml").string();
  EXPECT_EQ(failure_of([&] { load_yaml_file(path); }),
            (Failure{1, 1, path + ":1:1: cannot read file: No such file or directory"}));
}

TEST_F(LoadYamlFile, DirectoryReportsTheReason) {
  const std::string path = dir().string();
  EXPECT_EQ(failure_of([&] { load_yaml_file(path); }),
            (Failure{1, 1, path + ":1:1: cannot read file: Is a directory"}));
}

TEST_F(LoadYamlFile, SyntaxErrorNamesThePath) {
  const std::string path = write("bad.yaml", "a: [1, 2\n");
  EXPECT_EQ(failure_of([&] { load_yaml_file(path); }),
            (Failure{2, 1,
                     path + ":2:1: did not find expected ',' or ']' (while parsing a flow "
                            "sequence that starts at 1:4)"}));
}

TEST(Reader, FailReportsTheNodePositionFromOne) {
  const YamlFile file = load("a:\n  b:   x\n");
  const Reader reader(file.name);
  EXPECT_EQ(reader.file(), "t.yaml");
  EXPECT_EQ(failure_of([&] { reader.fail(file.root["a"]["b"], "bad b"); }),
            (Failure{2, 8, "t.yaml:2:8: bad b"}));
  EXPECT_EQ(failure_of([&] { reader.fail(Mark{}, "no place"); }),
            (Failure{1, 1, "t.yaml:1:1: no place"}));
}

TEST(Reader, StringReadsAnyScalar) {
  const YamlFile file = load("a: ce1\nb: \"quoted text\"\nc: 65001\nd: ''\n");
  const Reader reader(file.name);
  EXPECT_EQ(reader.string(file.root["a"], "name"), "ce1");
  EXPECT_EQ(reader.string(file.root["b"], "name"), "quoted text");
  EXPECT_EQ(reader.string(file.root["c"], "name"), "65001");
  EXPECT_EQ(reader.string(file.root["d"], "name"), "");
}

TEST(Reader, StringRejectsAListOrMappingAtIt) {
  const YamlFile file = load("name:\n  - a\ndescription: {x: 1}\n");
  const Reader reader(file.name);
  EXPECT_EQ(failure_of([&] { reader.string(file.root["name"], "name"); }),
            (Failure{2, 3, "t.yaml:2:3: expected a string for name, found a list"}));
  EXPECT_EQ(failure_of([&] { reader.string(file.root["description"], "description"); }),
            (Failure{3, 14, "t.yaml:3:14: expected a string for description, found a mapping"}));
}

TEST(Reader, IntegerReadsDecimalsInRange) {
  const YamlFile file = load("a: 0\nb: 32000\nc: -7\nd: \"12\"\ne: -9223372036854775808\n");
  const Reader reader(file.name);
  EXPECT_EQ(reader.integer(file.root["a"], 0, 32000, "weight"), 0);
  EXPECT_EQ(reader.integer(file.root["b"], 0, 32000, "weight"), 32000);
  EXPECT_EQ(reader.integer(file.root["c"], -10, 10, "offset"), -7);
  EXPECT_EQ(reader.integer(file.root["d"], 0, 100, "weight"), 12);
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  EXPECT_EQ(reader.integer(file.root["e"], kMin, 0, "low"), kMin);
}

TEST(Reader, IntegerOutOfRangeNamesTheValueAndRange) {
  const YamlFile file = load(R"(router:
  weight: 40000
  low: -1
  huge: 99999999999999999999
)");
  const Reader reader(file.name);
  const Node router = file.root["router"];
  EXPECT_EQ(failure_of([&] { reader.integer(router["weight"], 0, 32000, "weight"); }),
            (Failure{2, 11, "t.yaml:2:11: weight 40000 is out of range 0..32000"}));
  EXPECT_EQ(failure_of([&] { reader.integer(router["low"], 0, 32000, "weight"); }),
            (Failure{3, 8, "t.yaml:3:8: weight -1 is out of range 0..32000"}));
  EXPECT_EQ(failure_of([&] { reader.integer(router["huge"], 0, 32000, "weight"); }),
            (Failure{4, 9, "t.yaml:4:9: weight 99999999999999999999 is out of range 0..32000"}));
}

TEST(Reader, IntegerRejectsAnythingButPlainDecimals) {
  const Reader reader("t.yaml");
  for (const std::string text : {"abc", "0x10", "010", "1_000", "1.5", "+5", "1e3", "-", "- 1"}) {
    const YamlFile file = load("weight: '" + text + "'\n");
    EXPECT_EQ(failure_of([&] { reader.integer(file.root["weight"], 0, 32000, "weight"); }),
              (Failure{1, 9, "t.yaml:1:9: expected an integer for weight, found '" + text + "'"}))
        << text;
  }
  const YamlFile file = load("weight: [1]\n");
  EXPECT_EQ(failure_of([&] { reader.integer(file.root["weight"], 0, 32000, "weight"); }),
            (Failure{1, 9, "t.yaml:1:9: expected an integer for weight, found a list"}));
}

TEST(Reader, BooleanAcceptsOnlyTrueAndFalse) {
  const YamlFile file = load("a: true\nb: false\nc: yes\nd: on\ne: {}\n");
  const Reader reader(file.name);
  EXPECT_TRUE(reader.boolean(file.root["a"], "bfd"));
  EXPECT_FALSE(reader.boolean(file.root["b"], "bfd"));
  EXPECT_EQ(failure_of([&] { reader.boolean(file.root["c"], "bfd"); }),
            (Failure{3, 4, "t.yaml:3:4: expected true or false for bfd, found 'yes'"}));
  EXPECT_EQ(failure_of([&] { reader.boolean(file.root["d"], "bfd"); }),
            (Failure{4, 4, "t.yaml:4:4: expected true or false for bfd, found 'on'"}));
  EXPECT_EQ(failure_of([&] { reader.boolean(file.root["e"], "bfd"); }),
            (Failure{5, 4, "t.yaml:5:4: expected true or false for bfd, found a mapping"}));
}

TEST(Reader, DurationReadsUnits) {
  const YamlFile file = load("a: 300ms\nb: 1m30s\nc: \"1.5s\"\n");
  const Reader reader(file.name);
  EXPECT_EQ(reader.duration(file.root["a"], "interval"), milliseconds(300));
  EXPECT_EQ(reader.duration(file.root["b"], "hold"), seconds(90));
  EXPECT_EQ(reader.duration(file.root["c"], "hold"), milliseconds(1500));
}

TEST(Reader, DurationWithoutUnitIsAnErrorAtTheValue) {
  const YamlFile file = load(R"(timers:
  hold: 90
  keepalive: 1.5
  connect: 3sec
  idle: [1s]
)");
  const Reader reader(file.name);
  const Node timers = file.root["timers"];
  EXPECT_EQ(failure_of([&] { reader.duration(timers["hold"], "hold"); }),
            (Failure{2, 9, "t.yaml:2:9: duration '90' has no unit (use ns, us, ms, s, m or h)"}));
  EXPECT_EQ(
      failure_of([&] { reader.duration(timers["keepalive"], "keepalive"); }),
      (Failure{3, 14, "t.yaml:3:14: duration '1.5' has no unit (use ns, us, ms, s, m or h)"}));
  EXPECT_EQ(failure_of([&] { reader.duration(timers["connect"], "connect"); }),
            (Failure{4, 12,
                     "t.yaml:4:12: duration '3sec' has an unknown unit 'sec' (use ns, us, ms, s, "
                     "m or h)"}));
  EXPECT_EQ(failure_of([&] { reader.duration(timers["idle"], "idle"); }),
            (Failure{5, 9, "t.yaml:5:9: expected a duration for idle, found a list"}));
}

TEST(Reader, PrefixAndAddressReadStrictly) {
  const YamlFile file = load(R"(vnet: 10.1.0.0/16
peer: 192.168.0.1
bad_prefix: 10.0.0.1/16
bad_address: 10.0.0.256
no_length: 10.0.0.0
)");
  const Reader reader(file.name);
  EXPECT_EQ(reader.prefix(file.root["vnet"], "prefix"), Ipv4Prefix::parse_or_throw("10.1.0.0/16"));
  EXPECT_EQ(reader.address(file.root["peer"], "peer"), Ipv4Address(0xc0a80001U));
  EXPECT_EQ(failure_of([&] { reader.prefix(file.root["bad_prefix"], "prefix"); }),
            (Failure{3, 13,
                     "t.yaml:3:13: prefix '10.0.0.1/16' has host bits set (did you mean "
                     "10.0.0.0/16?)"}));
  EXPECT_EQ(failure_of([&] { reader.prefix(file.root["no_length"], "prefix"); }),
            (Failure{5, 12,
                     "t.yaml:5:12: prefix '10.0.0.0' has no length (write 10.0.0.0/32 for one "
                     "address)"}));
  EXPECT_EQ(failure_of([&] { reader.address(file.root["bad_address"], "peer"); }),
            (Failure{4, 14, "t.yaml:4:14: '10.0.0.256' is not an IPv4 address"}));
  EXPECT_EQ(failure_of([&] { reader.address(file.root["vnet"], "peer"); }),
            (Failure{1, 7, "t.yaml:1:7: '10.1.0.0/16' is not an IPv4 address"}));
  EXPECT_EQ(failure_of([&] { reader.prefix(file.root, "prefix"); }),
            (Failure{1, 1, "t.yaml:1:1: expected an IPv4 prefix for prefix, found a mapping"}));
}

TEST(Reader, AsnCoversOneToTwoToThe32MinusOne) {
  const YamlFile file = load("a: 1\nb: 4294967295\nc: 0\nd: 4294967296\ne: 65001\n");
  const Reader reader(file.name);
  EXPECT_EQ(reader.asn(file.root["a"], "asn"), 1U);
  EXPECT_EQ(reader.asn(file.root["b"], "asn"), 4294967295U);
  EXPECT_EQ(reader.asn(file.root["e"], "asn"), 65001U);
  EXPECT_EQ(failure_of([&] { reader.asn(file.root["c"], "asn"); }),
            (Failure{3, 4, "t.yaml:3:4: asn 0 is out of range 1..4294967295"}));
  EXPECT_EQ(failure_of([&] { reader.asn(file.root["d"], "asn"); }),
            (Failure{4, 4, "t.yaml:4:4: asn 4294967296 is out of range 1..4294967295"}));
}

TEST(Reader, ForEachVisitsItemsInOrder) {
  const YamlFile file = load("block:\n  - a\n  - b\n  - c\nflow: [x, y]\nnone: []\n");
  const Reader reader(file.name);
  std::vector<std::string> seen;
  reader.for_each(file.root["block"], "names",
                  [&](const Node& item) { seen.push_back(reader.string(item, "name")); });
  reader.for_each(file.root["flow"], "names",
                  [&](const Node& item) { seen.push_back(reader.string(item, "name")); });
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b", "c", "x", "y"}));
  int calls = 0;
  reader.for_each(file.root["none"], "names", [&](const Node&) { ++calls; });
  EXPECT_EQ(calls, 0);
}

TEST(Reader, ForEachRejectsAScalarOrMappingInsteadOfAList) {
  const YamlFile file = load("routers: ce1\nlinks:\n  a: b\n");
  const Reader reader(file.name);
  int calls = 0;
  const auto count = [&](const Node&) { ++calls; };
  EXPECT_EQ(failure_of([&] { reader.for_each(file.root["routers"], "routers", count); }),
            (Failure{1, 10, "t.yaml:1:10: expected a list for routers, found 'ce1'"}));
  EXPECT_EQ(failure_of([&] { reader.for_each(file.root["links"], "links", count); }),
            (Failure{3, 3, "t.yaml:3:3: expected a list for links, found a mapping"}));
  EXPECT_EQ(calls, 0);
}

TEST(Reader, ForEachRejectsAnEmptyItemBeforeVisitingAny) {
  const YamlFile file = load("routers:\n  - ce1\n  -\n  - ce2\n");
  const Reader reader(file.name);
  int calls = 0;
  EXPECT_EQ(failure_of([&] {
              reader.for_each(file.root["routers"], "routers", [&](const Node&) { ++calls; });
            }),
            (Failure{2, 3, "t.yaml:2:3: item 2 of the list for routers is empty"}));
  EXPECT_EQ(calls, 0);
}

TEST(MapReader, RequiredAndOptionalReadKnownKeys) {
  const YamlFile file = load(R"(name: ce1
asn: 65001
hold_time: 9s
)");
  const Reader reader(file.name);
  MapReader map(reader, file.root, "router");
  EXPECT_EQ(reader.string(map.required("name"), "name"), "ce1");
  EXPECT_EQ(reader.asn(map.required("asn"), "asn"), 65001U);
  const std::optional<Node> hold = map.optional("hold_time");
  ASSERT_TRUE(hold.has_value());
  EXPECT_EQ(reader.duration(*hold, "hold_time"), seconds(9));
  EXPECT_FALSE(map.optional("keepalive").has_value());
  EXPECT_EQ(map.get("weight"), nullptr);
  ASSERT_NE(map.get("name"), nullptr);
  EXPECT_EQ(map.get("name")->scalar(), "ce1");
  EXPECT_NO_THROW(map.finish());
}

TEST(MapReader, ExposesItsNodeMarkAndDescription) {
  const YamlFile file = load("routers:\n  - name: ce1\n");
  const Reader reader(file.name);
  MapReader map(reader, file.root["routers"].item(0), "router");
  EXPECT_EQ(map.what(), "router");
  EXPECT_EQ(map.mark(), (Mark{2, 5}));
  EXPECT_TRUE(map.node().is_map());
  EXPECT_EQ(map.reader().file(), "t.yaml");
  map.describe("router 'ce1'");
  EXPECT_EQ(map.what(), "router 'ce1'");
  EXPECT_EQ(failure_of([&] { map.fail("router 'ce1' peers with itself"); }),
            (Failure{2, 5, "t.yaml:2:5: router 'ce1' peers with itself"}));
}

TEST(MapReader, NonMappingIsAnErrorAtTheNode) {
  const YamlFile file = load("router:\n  - name: ce1\nsite: hq\n");
  const Reader reader(file.name);
  EXPECT_EQ(failure_of([&] { MapReader(reader, file.root["router"], "router"); }),
            (Failure{2, 3, "t.yaml:2:3: expected a mapping for router, found a list"}));
  EXPECT_EQ(failure_of([&] { MapReader(reader, file.root["site"], "site"); }),
            (Failure{3, 7, "t.yaml:3:7: expected a mapping for site, found 'hq'"}));
}

TEST(MapReader, DuplicateKeyIsAnErrorAtTheSecondOccurrence) {
  const YamlFile file = load(R"(router:
  name: ce1
  asn: 65001
  name: ce2
flow: {a: 1, b: 2, a: 3}
)");
  const Reader reader(file.name);
  EXPECT_EQ(failure_of([&] { MapReader(reader, file.root["router"], "router"); }),
            (Failure{4, 3, "t.yaml:4:3: duplicate key 'name' in router"}));
  EXPECT_EQ(failure_of([&] { MapReader(reader, file.root["flow"], "options"); }),
            (Failure{5, 20, "t.yaml:5:20: duplicate key 'a' in options"}));
}

TEST(MapReader, NonScalarKeyIsAnErrorAtTheKey) {
  const YamlFile file = load("? [a, b]\n: 1\n");
  const Reader reader(file.name);
  EXPECT_EQ(failure_of([&] { MapReader(reader, file.root, "router"); }),
            (Failure{1, 3, "t.yaml:1:3: expected a key name in router, found a list"}));
}

TEST(MapReader, MissingRequiredKeyIsReportedAtTheMappingWithItsDescription) {
  const YamlFile file = load(R"(routers:
  - name: ce1
    hold_time: 9s
)");
  const Reader reader(file.name);
  MapReader map(reader, file.root["routers"].item(0), "router");
  map.describe("router '" + reader.string(map.required("name"), "name") + "'");
  EXPECT_EQ(failure_of([&] { map.required("asn"); }),
            (Failure{2, 5, "t.yaml:2:5: missing required key 'asn' in router 'ce1'"}));
}

TEST(MapReader, KeyWithoutValueIsAnErrorAtTheKeyNotTheNextLine) {
  const YamlFile file = load(R"(router:
  hold_time:
  name: ce1
  asn: ~
)");
  const Reader reader(file.name);
  MapReader map(reader, file.root["router"], "router");
  EXPECT_EQ(failure_of([&] { map.optional("hold_time"); }),
            (Failure{2, 3, "t.yaml:2:3: key 'hold_time' in router has no value"}));
  EXPECT_EQ(failure_of([&] { map.required("asn"); }),
            (Failure{4, 3, "t.yaml:4:3: key 'asn' in router has no value"}));
}

TEST(MapReader, FinishSuggestsTheClosestKnownKey) {
  const YamlFile file = load(R"(router:
  name: ce1
  hold_tme: 9s
)");
  const Reader reader(file.name);
  MapReader map(reader, file.root["router"], "router");
  map.required("name");
  map.optional("hold_time");  // absent, but known from being asked for
  map.optional("asn");
  EXPECT_EQ(
      failure_of([&] { map.finish(); }),
      (Failure{3, 3, "t.yaml:3:3: unknown key 'hold_tme' in router (did you mean 'hold_time'?)"}));
}

TEST(MapReader, FinishCountsASwapOfNeighboursAsOneEdit) {
  // Two swaps: 2 edits, within the 3 that 9 characters allow (plain Levenshtein would count 4).
  const YamlFile file = load("hlod_tmie: 9s\n");
  MapReader map(Reader(file.name), file.root, "router");
  map.optional("hold_time");
  map.optional("asn");
  EXPECT_EQ(
      failure_of([&] { map.finish(); }),
      (Failure{1, 1, "t.yaml:1:1: unknown key 'hlod_tmie' in router (did you mean 'hold_time'?)"}));
}

TEST(MapReader, FinishSuggestsUpToAThirdOfTheKeyRoundedDown) {
  // 14 characters allow 4 edits, not 5.
  const YamlFile file = load("abcdefghijklmn: 1\n");
  MapReader near(Reader(file.name), file.root, "thing");
  near.optional("abcdefghijWXYZ");  // 4 edits
  EXPECT_EQ(failure_of([&] { near.finish(); }),
            (Failure{1, 1,
                     "t.yaml:1:1: unknown key 'abcdefghijklmn' in thing (did you mean "
                     "'abcdefghijWXYZ'?)"}));
  MapReader far(Reader(file.name), file.root, "thing");
  far.optional("abcdefghiVWXYZ");  // 5 edits
  EXPECT_EQ(failure_of([&] { far.finish(); }),
            (Failure{1, 1,
                     "t.yaml:1:1: unknown key 'abcdefghijklmn' in thing (expected one of: "
                     "abcdefghiVWXYZ)"}));
}

TEST(MapReader, FinishAllowsTwoEditsInAShortKey) {
  const YamlFile file = load("hold: 9s\n");
  MapReader near(Reader(file.name), file.root, "timers");
  near.optional("hoxy");  // 2 edits
  EXPECT_EQ(failure_of([&] { near.finish(); }),
            (Failure{1, 1, "t.yaml:1:1: unknown key 'hold' in timers (did you mean 'hoxy'?)"}));
  MapReader far(Reader(file.name), file.root, "timers");
  far.optional("hxyz");  // 3 edits
  EXPECT_EQ(failure_of([&] { far.finish(); }),
            (Failure{1, 1, "t.yaml:1:1: unknown key 'hold' in timers (expected one of: hxyz)"}));
}

TEST(MapReader, FinishPrefersTheClosestKeyThenTheFirstInOrder) {
  const YamlFile file = load("hold_timer: 9s\n");
  MapReader map(Reader(file.name), file.root, "timers");
  map.optional("old_timer");    // 1 edit
  map.optional("hold_timers");  // 1 edit
  map.optional("hold_time");    // 1 edit, and first of the three in sorted order
  map.optional("hold");         // first in order, but 6 edits
  EXPECT_EQ(
      failure_of([&] { map.finish(); }),
      (Failure{1, 1,
               "t.yaml:1:1: unknown key 'hold_timer' in timers (did you mean 'hold_time'?)"}));
}

TEST(MapReader, FinishAllowsAThirdOfALongKeyToDiffer) {
  // 16 characters allow 5 edits; "maximum_prefixes" is 4 from "max_prefixes".
  const YamlFile file = load("maximum_prefixes: 100\n");
  MapReader map(Reader(file.name), file.root, "session");
  map.optional("max_prefixes");
  map.optional("name");
  EXPECT_EQ(failure_of([&] { map.finish(); }),
            (Failure{1, 1,
                     "t.yaml:1:1: unknown key 'maximum_prefixes' in session (did you mean "
                     "'max_prefixes'?)"}));
}

TEST(MapReader, FinishListsKnownKeysSortedWhenNoneIsClose) {
  const YamlFile file = load(R"(router:
  name: ce1
  colour: blue
)");
  const Reader reader(file.name);
  MapReader map(reader, file.root["router"], "router");
  map.describe("router 'ce1'");
  map.required("name");
  map.optional("hold_time");
  map.optional("asn");
  EXPECT_EQ(failure_of([&] { map.finish(); }),
            (Failure{3, 3,
                     "t.yaml:3:3: unknown key 'colour' in router 'ce1' (expected one of: asn, "
                     "hold_time, name)"}));
}

TEST(MapReader, FinishDoesNotSuggestBeyondTheEditLimit) {
  // 8 characters allow 2 edits; "hold" is 4 away from "hold_tme".
  const YamlFile file = load("hold_tme: 9s\n");
  MapReader map(Reader(file.name), file.root, "router");
  map.optional("hold");
  map.optional("asn");
  EXPECT_EQ(
      failure_of([&] { map.finish(); }),
      (Failure{1, 1, "t.yaml:1:1: unknown key 'hold_tme' in router (expected one of: asn, hold)"}));
}

TEST(MapReader, FinishDoesNotSuggestAKeyThatSharesNothing) {
  // Two edits are allowed, but turning "x" into "ab" rewrites all of it.
  const YamlFile file = load("x: 1\n");
  MapReader map(Reader(file.name), file.root, "thing");
  map.optional("ab");
  EXPECT_EQ(failure_of([&] { map.finish(); }),
            (Failure{1, 1, "t.yaml:1:1: unknown key 'x' in thing (expected one of: ab)"}));
}

TEST(MapReader, FinishReportsTheFirstUnknownKeyInDocumentOrder) {
  const YamlFile file = load("zeta: 1\nname: ce1\nalpha: 2\n");
  MapReader map(Reader(file.name), file.root, "router");
  map.required("name");
  EXPECT_EQ(failure_of([&] { map.finish(); }),
            (Failure{1, 1, "t.yaml:1:1: unknown key 'zeta' in router (expected one of: name)"}));
}

TEST(MapReader, FinishWithNothingAskedSaysItTakesNoKeys) {
  const YamlFile file = load("extra: 1\n");
  const MapReader map(Reader(file.name), file.root, "marker");
  EXPECT_EQ(failure_of([&] { map.finish(); }),
            (Failure{1, 1, "t.yaml:1:1: unknown key 'extra' in marker (it takes no keys)"}));
}

TEST(MapReader, NestedListOfMappingsReportsTheInnermostPosition) {
  const YamlFile file = load(R"(routers:
  - name: ce1
    asn: 65001
  - name: ce2
    asn: 0
)");
  const Reader reader(file.name);
  MapReader top(reader, file.root, "topology");
  std::vector<std::uint32_t> asns;
  const Failure f = failure_of([&] {
    reader.for_each(top.required("routers"), "routers", [&](const Node& node) {
      MapReader router(reader, node, "router");
      router.describe("router '" + reader.string(router.required("name"), "name") + "'");
      asns.push_back(reader.asn(router.required("asn"), "asn"));
      router.finish();
    });
  });
  EXPECT_EQ(f, (Failure{5, 10, "t.yaml:5:10: asn 0 is out of range 1..4294967295"}));
  EXPECT_EQ(asns, (std::vector<std::uint32_t>{65001}));
}

}  // namespace
}  // namespace ersim::io
