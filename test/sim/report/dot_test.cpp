// The DOT picture of a design: clusters by place, labelled routers and links, styles by leg,
// byte-identical output, safe quoting, and text that Graphviz's dot accepts.
#include "sim/report/dot.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

#include "sim/io/topology_yaml.hpp"

namespace ersim::report {
namespace {

using topo::Topology;

std::filesystem::path topologies_dir() {
  return std::filesystem::path(ERSIM_SOURCE_DIR) / "topologies";
}

Topology load(const std::string& name) {
  return io::load_topology((topologies_dir() / name).string());
}

std::string vertex_id(const Topology& t, std::string_view router) {
  const auto id = t.router_id(router);
  EXPECT_TRUE(id.has_value()) << router;
  return std::to_string(id.value_or(topo::RouterId{}).value);
}

// The lines of one cluster block, from its `subgraph` line to its closing brace.
std::string cluster_block(const std::string& dot, const std::string& cluster) {
  const std::string open = "subgraph \"" + cluster + "\" {\n";
  const std::size_t begin = dot.find(open);
  if (begin == std::string::npos) {
    ADD_FAILURE() << "no cluster " << cluster << " in\n" << dot;
    return {};
  }
  return dot.substr(begin, dot.find("}\n", begin) - begin);
}

// The line of the edge whose label starts with the link's name.
std::string edge_line(const std::string& dot, const std::string& link) {
  std::istringstream lines(dot);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("--") != std::string::npos &&
        (line.find("[label=\"" + link + "\"") != std::string::npos ||
         line.find("[label=\"" + link + " (silent)\"") != std::string::npos)) {
      return line;
    }
  }
  ADD_FAILURE() << "no edge " << link << " in\n" << dot;
  return {};
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

TEST(TopologyDot, StandardDesignClustersSiteLocationAndVnet) {
  const Topology t = load("standard.yaml");
  const std::string dot = topology_dot(t);

  const std::string site = cluster_block(dot, "cluster_site_amsterdam-dc");
  EXPECT_TRUE(contains(site, "label=\"site amsterdam-dc\";"));
  EXPECT_TRUE(contains(site, "  " + vertex_id(t, "ams-ce1") + ";\n"));
  EXPECT_TRUE(contains(site, "  " + vertex_id(t, "ams-ce2") + ";\n"));

  const std::string location = cluster_block(dot, "cluster_location_amsterdam");
  EXPECT_TRUE(contains(location, "label=\"peering location amsterdam\";"));
  EXPECT_TRUE(contains(location, "  " + vertex_id(t, "amsterdam-msee1") + ";\n"));
  EXPECT_TRUE(contains(location, "  " + vertex_id(t, "amsterdam-msee2") + ";\n"));
  EXPECT_FALSE(contains(location, "  " + vertex_id(t, "ams-ce1") + ";\n"));

  const std::string vnet = cluster_block(dot, "cluster_vnet_hub");
  EXPECT_TRUE(contains(vnet, "label=\"VNet hub\";"));
  EXPECT_TRUE(contains(vnet, "  " + vertex_id(t, "hub-gw") + ";\n"));
}

TEST(TopologyDot, LayerThreeProviderClustersItsEdgeRouters) {
  const Topology t = load("layer3-provider.yaml");
  const std::string provider = cluster_block(topology_dot(t), "cluster_provider_ipvpn");
  EXPECT_TRUE(contains(provider, "label=\"provider ipvpn\";"));
  EXPECT_TRUE(contains(provider, "  " + vertex_id(t, "er-mad.primary.pe") + ";\n"));
  EXPECT_TRUE(contains(provider, "  " + vertex_id(t, "er-mad.secondary.pe") + ";\n"));
}

TEST(TopologyDot, VpnGatewayJoinsItsVnetCluster) {
  const Topology t = load("maximum-vpn.yaml");
  const std::string vnet = cluster_block(topology_dot(t), "cluster_vnet_hub-francecentral");
  EXPECT_TRUE(contains(vnet, "  " + vertex_id(t, "hub-gw") + ";\n"));
  EXPECT_TRUE(contains(vnet, "  " + vertex_id(t, "hub-gw-vpn") + ";\n"));
}

TEST(TopologyDot, RouterLabelCarriesNameRoleAndAsn) {
  const Topology t = load("standard.yaml");
  const std::string dot = topology_dot(t);
  EXPECT_TRUE(contains(dot, vertex_id(t, "ams-ce1") + "[label=\"ams-ce1\\nce AS 65001\"];\n"));
  EXPECT_TRUE(contains(
      dot, vertex_id(t, "amsterdam-msee1") + "[label=\"amsterdam-msee1\\nmsee AS 12076\"];\n"));
  EXPECT_TRUE(contains(dot, vertex_id(t, "hub-gw") + "[label=\"hub-gw\\ngateway AS 65515\"];\n"));
}

TEST(TopologyDot, CircuitLegsPrimarySolidSecondaryDashedOthersDotted) {
  const Topology t = load("standard.yaml");
  const std::string dot = topology_dot(t);
  EXPECT_TRUE(contains(edge_line(dot, "er-ams.primary"), "style=solid"));
  EXPECT_TRUE(contains(edge_line(dot, "er-ams.secondary"), "style=dashed"));
  // A gateway connection belongs to a leg too, but it is not a circuit link.
  EXPECT_TRUE(contains(edge_line(dot, "hub-gw.er-ams.primary"), "style=dotted"));
  EXPECT_TRUE(contains(edge_line(dot, "hub-gw.er-ams.secondary"), "style=dotted"));

  const std::string layer3 = topology_dot(load("layer3-provider.yaml"));
  EXPECT_TRUE(contains(edge_line(layer3, "er-mad.primary.access"), "style=solid"));
  EXPECT_TRUE(contains(edge_line(layer3, "er-mad.secondary.access"), "style=dashed"));

  const std::string reach = topology_dot(load("global-reach.yaml"));
  std::istringstream lines(reach);
  int global_reach_edges = 0;
  for (std::string line; std::getline(lines, line);) {
    if (contains(line, "[label=\"global-reach.")) {
      ++global_reach_edges;
      EXPECT_TRUE(contains(line, "style=dotted")) << line;
    }
  }
  EXPECT_EQ(global_reach_edges, 2);
}

TEST(TopologyDot, SilentLinkMarkedCarrierLinkNot) {
  // Layer 2 provider links fail silently; layer 3 ones with carrier loss.
  const std::string standard = topology_dot(load("standard.yaml"));
  const std::string primary = edge_line(standard, "er-ams.primary");
  EXPECT_TRUE(contains(primary, "(silent)"));
  EXPECT_TRUE(contains(primary, "color=darkorange"));

  const std::string layer3 = topology_dot(load("layer3-provider.yaml"));
  const std::string carrier = edge_line(layer3, "er-mad.primary");
  EXPECT_FALSE(contains(carrier, "(silent)"));
  EXPECT_FALSE(contains(carrier, "darkorange"));

  // The VPN tunnel crosses the Internet: silent, and drawn in the third style.
  const std::string vpn = edge_line(topology_dot(load("maximum-vpn.yaml")), "hub-gw-vpn.par-ce1");
  EXPECT_TRUE(contains(vpn, "(silent)"));
  EXPECT_TRUE(contains(vpn, "style=dotted"));
}

std::vector<std::filesystem::path> example_topologies() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(topologies_dir())) {
    if (entry.path().extension() == ".yaml") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(TopologyDot, EveryExampleShowsEveryRouterAndLink) {
  const auto files = example_topologies();
  ASSERT_GE(files.size(), 8U);
  for (const auto& file : files) {
    SCOPED_TRACE(file.filename().string());
    const Topology t = io::load_topology(file.string());
    const std::string dot = topology_dot(t);
    EXPECT_TRUE(dot.starts_with("graph G {\n"));
    EXPECT_TRUE(dot.ends_with("}\n"));
    EXPECT_TRUE(contains(dot, "label=\"" + t.name() + "\";\n"));
    for (const topo::Router& r : t.routers()) {
      EXPECT_TRUE(contains(dot, "[label=\"" + r.name + "\\n")) << r.name;
    }
    for (const topo::Link& l : t.links()) {
      const std::string ends = std::to_string(l.a.value) + "--" + std::to_string(l.b.value) + " ";
      EXPECT_TRUE(edge_line(dot, l.name).starts_with(ends)) << l.name;
    }
  }
}

TEST(TopologyDot, SameTopologyTwiceGivesIdenticalText) {
  const std::string first = topology_dot(load("maximum.yaml"));
  EXPECT_EQ(first, topology_dot(load("maximum.yaml")));
  const Topology t = load("global-reach.yaml");
  EXPECT_EQ(topology_dot(t), topology_dot(t));
}

TEST(DotQuoted, QuotesBackslashesAndLineBreaksEscaped) {
  EXPECT_EQ(dot_quoted("plain"), "\"plain\"");
  EXPECT_EQ(dot_quoted("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
}

Topology hostile_names() {
  topo::TopologyBuilder b(R"(we"ird\ "design)");
  topo::Router ce;
  ce.name = "ce\"1\\";
  ce.role = topo::RouterRole::Ce;
  ce.asn = 65001;
  ce.location = "site \"}\" x";
  const topo::RouterId a = b.add_router(ce);
  topo::Router host;
  host.name = "h\n2";
  host.location = "lab";
  const topo::RouterId h = b.add_router(host);
  topo::Link link;
  link.name = "l\"}; x -- y";
  link.a = a;
  link.b = h;
  b.add_link(link);
  return std::move(b).seal();
}

TEST(TopologyDot, HostileNamesStayInsideQuotedStrings) {
  const std::string dot = topology_dot(hostile_names());
  EXPECT_TRUE(contains(dot, "label=\"we\\\"ird\\\\ \\\"design\";"));
  EXPECT_TRUE(contains(dot, "subgraph \"cluster_site_site \\\"}\\\" x\" {"));
  EXPECT_TRUE(contains(dot, "subgraph \"cluster_place_lab\" {"));
  EXPECT_TRUE(contains(dot, "0[label=\"ce\\\"1\\\\\\nce AS 65001\"];"));
  EXPECT_TRUE(contains(dot, "1[label=\"h\\n2\\nhost AS 0\"];"));
  EXPECT_TRUE(contains(dot, "0--1 [label=\"l\\\"}; x -- y\""));
}

// std::system runs a shell on purpose here: it finds dot on PATH and runs it on files this test
// wrote itself, in a directory it made.
bool dot_installed() {
  return std::system("command -v dot >/dev/null 2>&1") == 0;  // NOLINT(cert-env33-c): above
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::size_t count(std::string_view text, std::string_view part) {
  std::size_t n = 0;
  for (std::size_t at = text.find(part); at != std::string_view::npos;
       at = text.find(part, at + part.size())) {
    ++n;
  }
  return n;
}

// Renders the DOT text with Graphviz and returns the SVG, or "" when dot fails.
std::string render(const std::string& dot_text, const std::string& name) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("ersim-dot-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto in = dir / (name + ".dot");
  const auto out = dir / (name + ".svg");
  std::ofstream(in, std::ios::binary) << dot_text;
  const std::string command = "dot -Tsvg -o '" + out.string() + "' '" + in.string() + "'";
  const int status = std::system(command.c_str());  // NOLINT(cert-env33-c): see above
  std::string svg = status == 0 ? read_file(out) : std::string();
  std::filesystem::remove_all(dir);
  return svg;
}

TEST(TopologyDot, GraphvizRendersEveryExample) {
  if (!dot_installed()) {
    GTEST_SKIP() << "Graphviz's dot is not on PATH";
  }
  for (const auto& file : example_topologies()) {
    SCOPED_TRACE(file.filename().string());
    const std::string svg =
        render(topology_dot(io::load_topology(file.string())), file.stem().string());
    EXPECT_TRUE(contains(svg, "<svg"));
  }
  // dot drew the clusters as clusters: site, peering location, VNet.
  EXPECT_EQ(count(render(topology_dot(load("standard.yaml")), "standard"), "class=\"cluster\""),
            3U);
  EXPECT_TRUE(contains(render(topology_dot(hostile_names()), "hostile"), "<svg"));
}

}  // namespace
}  // namespace ersim::report
