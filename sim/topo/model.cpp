#include "sim/topo/model.hpp"

#include <fmt/format.h>

namespace ersim::topo {

std::string_view to_string(RouterRole role) {
  switch (role) {
    case RouterRole::Ce:
      return "ce";
    case RouterRole::Pe:
      return "pe";
    case RouterRole::Msee:
      return "msee";
    case RouterRole::Gateway:
      return "gateway";
    case RouterRole::VpnGateway:
      return "vpn-gateway";
    case RouterRole::Host:
      return "host";
  }
  return "unknown";
}

std::string_view to_string(FailureMode mode) {
  switch (mode) {
    case FailureMode::Carrier:
      return "carrier";
    case FailureMode::Silent:
      return "silent";
  }
  return "unknown";
}

std::string_view to_string(PeeringKind kind) {
  switch (kind) {
    case PeeringKind::Private:
      return "private";
    case PeeringKind::Microsoft:
      return "microsoft";
  }
  return "unknown";
}

std::string_view to_string(PathRole role) {
  switch (role) {
    case PathRole::None:
      return "none";
    case PathRole::Primary:
      return "primary";
    case PathRole::Secondary:
      return "secondary";
  }
  return "unknown";
}

std::string_view to_string(SrlgKind kind) {
  switch (kind) {
    case SrlgKind::PeeringLocation:
      return "peering-location";
    case SrlgKind::Metro:
      return "metro";
    case SrlgKind::Provider:
      return "provider";
    case SrlgKind::CeDevice:
      return "ce-device";
    case SrlgKind::Declared:
      return "declared";
  }
  return "unknown";
}

std::string_view to_string(CircuitSku sku) {
  switch (sku) {
    case CircuitSku::Standard:
      return "standard";
    case CircuitSku::Premium:
      return "premium";
    case CircuitSku::Local:
      return "local";
  }
  return "unknown";
}

std::string_view to_string(ProviderKind kind) {
  switch (kind) {
    case ProviderKind::Layer2:
      return "layer2";
    case ProviderKind::Layer3:
      return "layer3";
  }
  return "unknown";
}

std::string_view to_string(BgpJitter jitter) {
  switch (jitter) {
    case BgpJitter::Rfc4271:
      return "rfc4271";
    case BgpJitter::WithHold:
      return "with-hold";
    case BgpJitter::None:
      return "none";
  }
  return "unknown";
}

std::string to_string(BfdJitter jitter) {
  return fmt::format("{}-{}", jitter.low_percent, jitter.high_percent);
}

std::uint32_t msee_prefix_limit(PeeringKind kind, CircuitSku sku) {
  if (kind == PeeringKind::Microsoft) {
    return kMicrosoftPeeringLimit;
  }
  return sku == CircuitSku::Premium ? kPrivatePeeringPremiumLimit : kPrivatePeeringLimit;
}

}  // namespace ersim::topo
