#include "sim/bgp/tcp_pipe.hpp"

#include <algorithm>
#include <utility>

#include "core/assert.hpp"

namespace ersim::bgp {

std::string_view segment_name(const Segment& segment) {
  struct Name {
    std::string_view operator()(const TcpSyn& /*syn*/) const { return "SYN"; }
    std::string_view operator()(const TcpSynAck& /*syn_ack*/) const { return "SYN-ACK"; }
    std::string_view operator()(const TcpClose& /*close*/) const { return "close"; }
    std::string_view operator()(const OpenMessage& /*open*/) const { return "OPEN"; }
    std::string_view operator()(const UpdateMessage& /*update*/) const { return "UPDATE"; }
    std::string_view operator()(const NotificationMessage& /*notification*/) const {
      return "NOTIFICATION";
    }
    std::string_view operator()(const KeepaliveMessage& /*keepalive*/) const { return "KEEPALIVE"; }
  };
  return std::visit(Name{}, segment.payload);
}

TcpPipe::TcpPipe(Engine& engine, Duration latency, Deliver deliver)
    : engine_(engine),
      latency_(latency),
      deliver_(std::move(deliver)),
      delivery_timer_(engine, [this] { on_delivery_timer_expired(); }) {
  ERSIM_ASSERT(latency_ >= Duration::zero(), "negative link latency");
  ERSIM_ASSERT(deliver_ != nullptr, "pipe without a receiver");
}

void TcpPipe::send(Segment segment) { send_at(std::move(segment), engine_.now()); }

void TcpPipe::send_at(Segment segment, SimTime sent) {
  ERSIM_ASSERT(sent <= engine_.now(), "a segment sent in the future");
  queue_.push({sent + latency_, std::move(segment)});
  schedule_front();
}

void TcpPipe::forget_arrived(SimTime by) {
  if (!up_) {
    return;
  }
  while (!queue_.empty() && queue_.front().arrives < by) {
    queue_.pop();
  }
  if (queue_.empty()) {
    delivery_timer_.cancel();
  } else {
    schedule_front();
  }
}

void TcpPipe::path_down() {
  up_ = false;
  delivery_timer_.cancel();
}

void TcpPipe::path_up() {
  up_ = true;
  // What waited is retransmitted now and crosses the link once more; arrival times stay in
  // sending order because every later segment was queued behind these.
  const SimTime earliest = engine_.now() + latency_;
  for (InFlight& in_flight : queue_) {
    in_flight.arrives = std::max(in_flight.arrives, earliest);
  }
  schedule_front();
}

void TcpPipe::clear() {
  queue_.clear();
  delivery_timer_.cancel();
}

void TcpPipe::reset(bool up) {
  queue_.clear();
  delivery_timer_.forget();
  up_ = up;
}

bool TcpPipe::withdraw_syn(std::uint64_t connection) {
  const bool withdrawn = queue_.erase_first([&](const InFlight& in_flight) {
    return in_flight.segment.connection == connection &&
           std::holds_alternative<TcpSyn>(in_flight.segment.payload);
  });
  if (!withdrawn) {
    return false;
  }
  if (queue_.empty()) {
    delivery_timer_.cancel();
  } else {
    schedule_front();
  }
  return true;
}

void TcpPipe::schedule_front() {
  if (!up_ || queue_.empty()) {
    return;
  }
  // Moving an event gives it a new place among equal times, so leave one that is right. A
  // segment replayed as sent in the past (send_at) is due now at the earliest.
  const SimTime arrives = std::max(queue_.front().arrives, engine_.now());
  if (delivery_timer_.expiry() != arrives) {
    delivery_timer_.rearm_at(arrives);
  }
}

void TcpPipe::on_delivery_timer_expired() {
  // The receiver may send, clear this pipe or take the path down while it handles a segment,
  // so each segment leaves the queue before it is handed over and the loop looks again.
  while (up_ && !queue_.empty() && queue_.front().arrives <= engine_.now()) {
    deliver_(queue_.pop().segment);
  }
  schedule_front();
}

}  // namespace ersim::bgp
