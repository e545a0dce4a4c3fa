#include "sim/bfd/bfd_event.hpp"

namespace ersim::bfd {

std::string_view to_string(Side side) { return side == Side::A ? "a" : "b"; }

std::string_view to_string(BfdState state) {
  switch (state) {
    case BfdState::AdminDown:
      return "AdminDown";
    case BfdState::Down:
      return "Down";
    case BfdState::Init:
      return "Init";
    case BfdState::Up:
      return "Up";
  }
  return "?";
}

std::string_view to_string(BfdDiagnostic diagnostic) {
  switch (diagnostic) {
    case BfdDiagnostic::None:
      return "no diagnostic";
    case BfdDiagnostic::ControlDetectionTimeExpired:
      return "control detection time expired";
    case BfdDiagnostic::NeighborSignaledSessionDown:
      return "neighbor signaled session down";
    case BfdDiagnostic::PathDown:
      return "path down";
    case BfdDiagnostic::AdministrativelyDown:
      return "administratively down";
  }
  return "?";
}

std::string_view to_string(BfdChangeReason reason) {
  switch (reason) {
    case BfdChangeReason::ReceivedDown:
      return "received Down";
    case BfdChangeReason::ReceivedInitOrUp:
      return "received Init or Up";
    case BfdChangeReason::ReceivedAdminDown:
      return "received AdminDown";
    case BfdChangeReason::DetectionTimeExpired:
      return "detection time expired";
    case BfdChangeReason::CarrierLost:
      return "carrier lost";
    case BfdChangeReason::LocalAdminDown:
      return "administratively disabled";
    case BfdChangeReason::LocalAdminUp:
      return "administratively enabled";
    case BfdChangeReason::EndFailed:
      return "device failed";
  }
  return "?";
}

}  // namespace ersim::bfd
