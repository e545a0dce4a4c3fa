// The elements a sweep fails on the example designs, the --only and --exclude filters, and the
// classification of pairs, on a hand-made case and at the size of a large design.
#include "sim/sweep/failure_sets.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "sim/io/topology_yaml.hpp"

namespace ersim::sweep {
namespace {

using topo::LinkId;
using topo::RouterId;

topo::Topology example(const std::string& name) {
  return io::load_topology(std::string(ERSIM_SOURCE_DIR) + "/topologies/" + name);
}

// The element names of each kind, in sweep order.
std::map<ElementKind, std::vector<std::string>> names_by_kind(const std::vector<Element>& all) {
  std::map<ElementKind, std::vector<std::string>> out;
  for (const Element& e : all) {
    out[e.kind].push_back(e.name);
  }
  return out;
}

const Element& find(const std::vector<Element>& all, ElementKind kind, const std::string& name) {
  const auto it = std::find_if(all.begin(), all.end(),
                               [&](const Element& e) { return e.kind == kind && e.name == name; });
  EXPECT_NE(it, all.end()) << to_string(kind) << " " << name;
  return *it;
}

using Names = std::vector<std::string>;

TEST(SweepElements, MaximumListsEveryKindInOrder) {
  const topo::Topology t = example("maximum.yaml");
  const std::vector<Element> all = sweep_elements(t, {});
  ASSERT_EQ(all.size(), 25U);
  auto by_kind = names_by_kind(all);
  EXPECT_EQ(by_kind[ElementKind::Link],
            (Names{"er-ams.primary", "er-ams.secondary", "er-lon.primary", "er-lon.secondary",
                   "hub-gw.er-ams.primary", "hub-gw.er-ams.secondary", "hub-gw.er-lon.primary",
                   "hub-gw.er-lon.secondary", "wan-1", "wan-2"}));
  EXPECT_EQ(by_kind[ElementKind::Router],
            (Names{"ams-ce1", "ams-ce2", "lon-ce1", "lon-ce2", "ams-msee1", "ams-msee2",
                   "lon-msee1", "lon-msee2"}));
  // hub-gw is ErGw2AZ: zone redundant, so losing it is no single failure.
  EXPECT_TRUE(by_kind[ElementKind::Gateway].empty());
  EXPECT_EQ(by_kind[ElementKind::Location], (Names{"amsterdam", "london"}));
  EXPECT_EQ(by_kind[ElementKind::Metro], (Names{"amsterdam", "london"}));
  EXPECT_EQ(by_kind[ElementKind::Provider], (Names{"equinix", "colt"}));
  EXPECT_EQ(by_kind[ElementKind::Group], (Names{"ams-conduit-north"}));
  // Kinds come in ElementKind's order.
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end(),
                             [](const Element& a, const Element& b) { return a.kind < b.kind; }));
}

TEST(SweepElements, StandardHasOneLocationAndNoMetro) {
  const std::vector<Element> all = sweep_elements(example("standard.yaml"), {});
  auto by_kind = names_by_kind(all);
  EXPECT_EQ(all.size(), 10U);
  EXPECT_EQ(by_kind[ElementKind::Link].size(), 4U);
  EXPECT_EQ(by_kind[ElementKind::Router],
            (Names{"ams-ce1", "ams-ce2", "amsterdam-msee1", "amsterdam-msee2"}));
  EXPECT_TRUE(by_kind[ElementKind::Gateway].empty());  // ErGw1AZ
  EXPECT_EQ(by_kind[ElementKind::Location], (Names{"amsterdam"}));
  EXPECT_TRUE(by_kind[ElementKind::Metro].empty());
  EXPECT_EQ(by_kind[ElementKind::Provider], (Names{"equinix"}));
  EXPECT_TRUE(by_kind[ElementKind::Group].empty());
}

TEST(SweepElements, FlawedNonZoneRedundantGatewayIsAnElement) {
  const topo::Topology t = example("flawed.yaml");
  const std::vector<Element> all = sweep_elements(t, {});
  auto by_kind = names_by_kind(all);
  EXPECT_EQ(all.size(), 10U);
  EXPECT_EQ(by_kind[ElementKind::Gateway], (Names{"app-gw"}));
  EXPECT_EQ(by_kind[ElementKind::Router],
            (Names{"branch-ce1", "frankfurt-msee1", "frankfurt-msee2"}));
  const Element& gw = find(all, ElementKind::Gateway, "app-gw");
  EXPECT_EQ(gw.routers, (std::vector<RouterId>{*t.router_id("app-gw")}));
  EXPECT_TRUE(gw.links.empty());
  EXPECT_EQ(gw.label(), "gateway app-gw");
}

TEST(SweepElements, VpnGatewayIsAnElementBesideAZoneRedundantOne) {
  const std::vector<Element> all = sweep_elements(example("maximum-vpn.yaml"), {});
  EXPECT_EQ(names_by_kind(all)[ElementKind::Gateway], (Names{"hub-gw-vpn"}));
}

TEST(SweepElements, LocationsOfEachKind) {
  const topo::Topology t = example("maximum.yaml");
  const std::vector<Element> all = sweep_elements(t, {});
  const Element& primary = find(all, ElementKind::Link, "er-ams.primary");
  EXPECT_EQ(primary.links, (std::vector<LinkId>{*t.link_id("er-ams.primary")}));
  EXPECT_EQ(primary.locations, (Names{"amsterdam"}));
  EXPECT_EQ(primary.label(), "link er-ams.primary");
  EXPECT_EQ(find(all, ElementKind::Router, "lon-msee2").locations, (Names{"london"}));
  // A CE router, a WAN link and a gateway's link stand in no peering location.
  EXPECT_TRUE(find(all, ElementKind::Router, "ams-ce1").locations.empty());
  EXPECT_TRUE(find(all, ElementKind::Link, "wan-1").locations.empty());
  EXPECT_TRUE(find(all, ElementKind::Link, "hub-gw.er-ams.primary").locations.empty());
  EXPECT_EQ(find(all, ElementKind::Location, "london").locations, (Names{"london"}));
  EXPECT_EQ(find(all, ElementKind::Metro, "amsterdam").locations, (Names{"amsterdam"}));
  EXPECT_EQ(find(all, ElementKind::Provider, "colt").locations, (Names{"london"}));
  EXPECT_EQ(find(all, ElementKind::Group, "ams-conduit-north").locations, (Names{"amsterdam"}));
}

TEST(SweepElements, GroupMembersAreSorted) {
  const topo::Topology t = example("maximum.yaml");
  const std::vector<Element> all = sweep_elements(t, {});
  const Element& amsterdam = find(all, ElementKind::Location, "amsterdam");
  EXPECT_EQ(amsterdam.label(), "location amsterdam");
  // The two MSEEs and the two circuit links toward them, not the gateway's links.
  std::vector<LinkId> links{*t.link_id("er-ams.primary"), *t.link_id("er-ams.secondary")};
  std::vector<RouterId> routers{*t.router_id("ams-msee1"), *t.router_id("ams-msee2")};
  std::sort(links.begin(), links.end());
  std::sort(routers.begin(), routers.end());
  EXPECT_EQ(amsterdam.links, links);
  EXPECT_EQ(amsterdam.routers, routers);
  const Element& conduit = find(all, ElementKind::Group, "ams-conduit-north");
  EXPECT_EQ(conduit.links, links);
  EXPECT_TRUE(conduit.routers.empty());
  for (const Element& e : all) {
    EXPECT_TRUE(std::is_sorted(e.links.begin(), e.links.end())) << e.label();
    EXPECT_TRUE(std::is_sorted(e.routers.begin(), e.routers.end())) << e.label();
  }
}

TEST(SweepFilters, OnlyKeepsTheKindsNamed) {
  SweepOptions o;
  o.only = {ElementKind::Location, ElementKind::Metro};
  const std::vector<Element> all = sweep_elements(example("maximum.yaml"), o);
  ASSERT_EQ(all.size(), 4U);
  EXPECT_EQ(all[0].label(), "location amsterdam");
  EXPECT_EQ(all[3].label(), "metro london");
}

TEST(SweepFilters, ExcludeByKindByKindAndNameAndByName) {
  const topo::Topology t = example("maximum.yaml");
  SweepOptions o;
  o.exclude = {"provider"};
  EXPECT_TRUE(names_by_kind(sweep_elements(t, o))[ElementKind::Provider].empty());
  EXPECT_EQ(sweep_elements(t, o).size(), 23U);

  o.exclude = {"link:er-ams.primary"};
  const std::vector<Element> without_link = sweep_elements(t, o);
  EXPECT_EQ(without_link.size(), 24U);
  EXPECT_EQ(names_by_kind(without_link)[ElementKind::Link].front(), "er-ams.secondary");

  // A bare name drops it under every kind: location and metro amsterdam.
  o.exclude = {"amsterdam"};
  const auto by_kind = names_by_kind(sweep_elements(t, o));
  EXPECT_EQ(by_kind.at(ElementKind::Location), (Names{"london"}));
  EXPECT_EQ(by_kind.at(ElementKind::Metro), (Names{"london"}));

  o.exclude = {"location:amsterdam", "srlg"};
  const auto narrowed = names_by_kind(sweep_elements(t, o));
  EXPECT_EQ(narrowed.at(ElementKind::Location), (Names{"london"}));
  EXPECT_EQ(narrowed.at(ElementKind::Metro), (Names{"amsterdam", "london"}));
  EXPECT_FALSE(narrowed.contains(ElementKind::Group));
}

TEST(SweepFilters, CheckAcceptsEntriesThatNameSomething) {
  SweepOptions o;
  o.only = {ElementKind::Link};
  o.exclude = {"provider", "link:er-ams.primary", "amsterdam", "router:ams-ce1",
               "srlg:ams-conduit-north"};
  EXPECT_EQ(check_filters(example("maximum.yaml"), o), std::nullopt);
}

TEST(SweepFilters, CheckRejectsUnknownNamesWithASuggestion) {
  const topo::Topology t = example("maximum.yaml");
  SweepOptions o;
  o.exclude = {"provider", "link:er-ams.primry"};
  EXPECT_EQ(check_filters(t, o),
            "exclude 'link:er-ams.primry' names no link of the design (did you mean "
            "'link:er-ams.primary'?)");
  o.exclude = {"amsterdm"};
  EXPECT_EQ(check_filters(t, o),
            "exclude 'amsterdm' names nothing of the design (did you mean 'amsterdam'?)");
  // The right name under the wrong kind.
  o.exclude = {"router:er-lon.secondary"};
  EXPECT_EQ(check_filters(t, o),
            "exclude 'router:er-lon.secondary' names no router of the design (it is a link: "
            "'link:er-lon.secondary')");
  // Few candidates: they are listed.
  o.exclude = {"location:paris"};
  EXPECT_EQ(check_filters(t, o),
            "exclude 'location:paris' names no location of the design (expected one of: "
            "amsterdam, london)");
  o.exclude = {"nowhere-at-all"};
  const auto error = check_filters(t, o);
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->find("expected a kind"), std::string::npos) << *error;
  // A zone-redundant gateway is no element: there is nothing to exclude.
  o.exclude = {"gateway:hub-gw"};
  EXPECT_TRUE(check_filters(t, o).has_value());
}

TEST(SingleSets, OneSetPerElementInOrder) {
  const std::vector<FailureSet> sets = single_sets(3);
  ASSERT_EQ(sets.size(), 3U);
  for (std::uint32_t i = 0; i < 3; ++i) {
    EXPECT_EQ(sets[i].elements, (std::vector<std::uint32_t>{i}));
  }
  EXPECT_TRUE(single_sets(0).empty());
}

Element link_element(std::uint32_t link) {
  return {ElementKind::Link, "l" + std::to_string(link), {LinkId{link}}, {}, {}};
}

TEST(ClassifyPairs, HandMadeCaseHasEveryClass) {
  // 0, 1: links on flow 0; 2: a location holding link 0 (and an MSEE); 3: a link on flow 1;
  // 4: a link on no flow; 5: a router on flows 0 and 1.
  std::vector<Element> elements{link_element(0), link_element(1), link_element(2), link_element(3),
                                link_element(4)};
  elements[2] = {ElementKind::Location, "ams", {LinkId{0}}, {RouterId{7}}, {"ams"}};
  elements.push_back({ElementKind::Router, "r", {}, {RouterId{9}}, {}});
  const std::vector<std::vector<std::uint32_t>> dependents{{0}, {0}, {0}, {1}, {}, {0, 1}};

  const PairPlan plan = classify_pairs(elements, dependents);
  EXPECT_EQ(plan.counts.raw, 15U);
  // Sharing flow 0 and disjoint: (0,1), (0,5), (1,2), (1,5), (2,5); flow 1: (3,5). (0,2) is the
  // location alone.
  std::vector<std::vector<std::uint32_t>> pairs;
  for (const FailureSet& s : plan.simulated) {
    pairs.push_back(s.elements);
  }
  EXPECT_EQ(pairs, (std::vector<std::vector<std::uint32_t>>{
                       {0, 1}, {0, 5}, {1, 2}, {1, 5}, {2, 5}, {3, 5}}));
  EXPECT_EQ(plan.counts.simulated, 6U);
  // Element 4 with each of the five others, and the contained (0, 2).
  EXPECT_EQ(plan.counts.no_effect, 6U);
  // Disjoint flows: (0,3), (1,3), (2,3).
  EXPECT_EQ(plan.counts.composed, 3U);
}

TEST(ClassifyPairs, IdenticalElementsAreNoEffect) {
  // A metro with one location fails exactly what the location fails.
  const std::vector<Element> elements{
      {ElementKind::Location, "ams", {LinkId{0}}, {RouterId{1}}, {"ams"}},
      {ElementKind::Metro, "ams", {LinkId{0}}, {RouterId{1}}, {"ams"}}};
  const PairPlan plan = classify_pairs(elements, {{0, 1}, {0, 1}});
  EXPECT_TRUE(plan.simulated.empty());
  EXPECT_EQ(plan.counts.no_effect, 1U);
  EXPECT_EQ(plan.counts.composed, 0U);
}

TEST(ClassifyPairs, NoElementsOrOneHasNoPairs) {
  EXPECT_EQ(classify_pairs({}, {}).counts.raw, 0U);
  const PairPlan one = classify_pairs({link_element(0)}, {{0}});
  EXPECT_EQ(one.counts.raw, 0U);
  EXPECT_EQ(one.counts.no_effect, 0U);
  EXPECT_TRUE(one.simulated.empty());
}

// A design-sized case whose counts are known: 6,000 elements, 2,000 flows, 18 million pairs.
// Elements 2f and 2f + 1 are links on flow f; element 4000 is a gateway on every flow; 4001-4999
// touch nothing; group 5000 + g holds the links of flow g and touches flows g and g + 1000.
TEST(ClassifyPairs, LargeDesignCountsAddUpToRaw) {
  constexpr std::uint32_t kFlows = 2000;
  std::vector<Element> elements;
  std::vector<std::vector<std::uint32_t>> dependents;
  for (std::uint32_t e = 0; e < 2 * kFlows; ++e) {
    elements.push_back(link_element(e));
    dependents.push_back({e / 2});
  }
  std::vector<std::uint32_t> every_flow(kFlows);
  for (std::uint32_t f = 0; f < kFlows; ++f) {
    every_flow[f] = f;
  }
  elements.push_back({ElementKind::Gateway, "gw", {}, {RouterId{0}}, {}});
  dependents.push_back(every_flow);
  for (std::uint32_t r = 1; r < 1000; ++r) {
    elements.push_back({ElementKind::Router, "r" + std::to_string(r), {}, {RouterId{r}}, {}});
    dependents.emplace_back();
  }
  for (std::uint32_t g = 0; g < 1000; ++g) {
    elements.push_back(
        {ElementKind::Group, "g" + std::to_string(g), {LinkId{2 * g}, LinkId{2 * g + 1}}, {}, {}});
    dependents.push_back({g, g + 1000});
  }
  ASSERT_EQ(elements.size(), 6000U);

  const PairPlan plan = classify_pairs(elements, dependents);
  EXPECT_EQ(plan.counts.raw, 17'997'000U);
  // 2,000 link pairs, the gateway with 5,000 busy elements, each group with the two links of
  // its second flow.
  EXPECT_EQ(plan.counts.simulated, 9'000U);
  // 999 idle elements with the 5,001 busy ones and among themselves, and each group with the
  // two links it holds.
  EXPECT_EQ(plan.counts.no_effect, 999U * 5001U + 999U * 998U / 2 + 2000U);
  EXPECT_EQ(plan.counts.raw, plan.counts.no_effect + plan.counts.composed + plan.counts.simulated);
  EXPECT_EQ(plan.simulated.size(), plan.counts.simulated);
  EXPECT_TRUE(std::is_sorted(
      plan.simulated.begin(), plan.simulated.end(),
      [](const FailureSet& a, const FailureSet& b) { return a.elements < b.elements; }));
  EXPECT_EQ(plan.simulated.front().elements, (std::vector<std::uint32_t>{0, 1}));
  EXPECT_EQ(plan.simulated.back().elements, (std::vector<std::uint32_t>{4000, 5999}));
}

}  // namespace
}  // namespace ersim::sweep
