// `ersim generate [options] [-o FILE]`: a synthetic topology file, for benchmarks and tests.
#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>

#include "sim/cli/commands.hpp"
#include "sim/io/config_error.hpp"
#include "sim/io/generate.hpp"

namespace ersim::cli {

namespace {

// Each count is at most what fits the design's address space, checked once more together.
constexpr std::uint32_t kMaxCount = 1'000'000;

void write_output(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size()) {
      throw ConfigError("<stdout>", 1, 1, fmt::format("cannot write: {}", std::strerror(errno)));
    }
    return;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) {
    throw ConfigError(path, 1, 1, fmt::format("cannot write file: {}", std::strerror(errno)));
  }
}

}  // namespace

void add_generate_command(CLI::App& app, int& exit_code) {
  struct Options {
    io::GeneratorParams params;
    std::string output;
  };
  auto options = std::make_shared<Options>();
  io::GeneratorParams& p = options->params;
  CLI::App* generate = app.add_subcommand(
      "generate",
      "Write a synthetic topology file: customers with sites, circuits over shared MSEE pairs "
      "(some ExpressRoute Metro), layer 2 and layer 3 providers, VNets, and on request "
      "Microsoft peering and Global Reach; the same options give the same file");
  generate->add_option("--customers", p.customers, "Customers, each with its own AS")
      ->check(CLI::Range(1U, io::kMaxCircuits))
      ->capture_default_str();
  generate->add_option("--sites-per-customer", p.sites_per_customer, "Sites of each customer")
      ->check(CLI::Range(1U, kMaxCount))
      ->capture_default_str();
  generate
      ->add_option("--circuits-per-customer", p.circuits_per_customer,
                   "ExpressRoute circuits of each customer")
      ->check(CLI::Range(1U, io::kMaxCircuits))
      ->capture_default_str();
  generate->add_option("--peering-locations", p.peering_locations, "Peering locations")
      ->check(CLI::Range(1U, kMaxCount))
      ->capture_default_str();
  generate
      ->add_option("--metros", p.metros,
                   "Metros, each pairing two peering locations (0: no ExpressRoute Metro)")
      ->check(CLI::Range(0U, kMaxCount / 2))
      ->capture_default_str();
  generate
      ->add_option("--msee-pairs-per-location", p.msee_pairs_per_location,
                   "MSEE pairs at each peering location, shared by its circuits")
      ->check(CLI::Range(1U, io::kMaxMseePairs))
      ->capture_default_str();
  generate->add_option("--providers-layer2", p.providers_layer2, "Layer 2 providers")
      ->check(CLI::Range(0U, kMaxCount))
      ->capture_default_str();
  generate->add_option("--providers-layer3", p.providers_layer3, "Layer 3 (IPVPN) providers")
      ->check(CLI::Range(0U, io::kMaxProvidersLayer3))
      ->capture_default_str();
  generate->add_option("--prefixes-per-site", p.prefixes_per_site, "Prefixes of each site")
      ->check(CLI::Range(1U, io::kMaxPrefixesPerSite))
      ->capture_default_str();
  generate->add_option("--vnets-per-customer", p.vnets_per_customer, "VNets of each customer")
      ->check(CLI::Range(0U, io::kMaxVnets))
      ->capture_default_str();
  generate
      ->add_option("--microsoft-peering-every", p.microsoft_peering_every,
                   "Give every Nth circuit a Microsoft peering too (0: none): public /29 subnet "
                   "and NAT pool from 198.18.0.0/15, a public AS for its customer (and for "
                   "every layer 3 provider), a route filter of regional communities")
      ->check(CLI::Range(0U, io::kMaxCircuits))
      ->capture_default_str();
  generate->add_flag("--global-reach", p.global_reach,
                     "Join each customer's first circuit by Global Reach to its next circuit "
                     "that shares no MSEE with it (usually its second)");
  generate->add_option("--seed", p.seed, "Seed of the random choices")->capture_default_str();
  generate->add_option("-o,--output", options->output, "Output file (default: standard output)");
  generate->callback([options, &exit_code] {
    std::string text;
    try {
      text = io::generate_topology_yaml(options->params);
    } catch (const std::invalid_argument& e) {
      throw CLI::ValidationError("generate", e.what());
    }
    write_output(options->output, text);
    exit_code = kExitOk;
  });
}

}  // namespace ersim::cli
