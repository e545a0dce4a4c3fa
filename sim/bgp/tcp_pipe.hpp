// One direction of a BGP session's TCP connection over one link: segments arrive in the order
// they were sent, one link latency later, and wait (as TCP retransmits) while the path is down.
//
// The session FSM sends BGP messages and the few TCP events it needs (SYN, SYN-ACK, and a close
// standing for FIN or RST) through two pipes, one per direction; each segment names the
// connection it belongs to, so an end ignores what was sent on a connection it has left.
//   TcpPipe to_b(engine, 1ms, [&](Segment s) { receive(b, std::move(s)); });
//   to_b.send({.connection = 7, .payload = KeepaliveMessage{}});
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <variant>

#include "core/engine.hpp"
#include "core/fifo.hpp"
#include "core/timer.hpp"
#include "sim/bgp/messages.hpp"

namespace ersim::bgp {

/// The active opener's SYN (RFC 4271 §8.1.3 TcpConnection events, one round trip in all).
struct TcpSyn {};
/// The passive end's answer; the opener's TCP connection is then up (Event 16).
struct TcpSynAck {};
/// FIN or RST: the connection is gone (Event 18, TcpConnectionFails).
struct TcpClose {};

struct Segment {
  std::uint64_t connection = 0;
  std::variant<TcpSyn, TcpSynAck, TcpClose, OpenMessage, UpdateMessage, NotificationMessage,
               KeepaliveMessage>
      payload;
};

/// "SYN", "SYN-ACK", "close", "OPEN", "UPDATE", "NOTIFICATION", "KEEPALIVE".
std::string_view segment_name(const Segment& segment);

class TcpPipe {
 public:
  using Deliver = std::function<void(Segment)>;

  TcpPipe(Engine& engine, Duration latency, Deliver deliver);
  TcpPipe(const TcpPipe&) = delete;
  TcpPipe& operator=(const TcpPipe&) = delete;
  TcpPipe(TcpPipe&&) = delete;
  TcpPipe& operator=(TcpPipe&&) = delete;
  ~TcpPipe() = default;

  /// Queues `segment`: delivered one latency from now, after every segment sent before it, once
  /// the path is up.
  void send(Segment segment);
  /// Queues `segment` as sent at `sent`, no later than now and no earlier than what is queued:
  /// for a session replaying the connection attempts it did not simulate one by one
  /// (BgpSession's dormant ConnectRetry). A segment due before now waits for forget_arrived().
  void send_at(Segment segment, SimTime sent);
  /// While the path is up, drops unseen every queued segment that arrived before `by`: what was
  /// sent to a dead box (which hears nothing) while a session replayed its attempts.
  void forget_arrived(SimTime by);
  /// The path stops carrying segments; queued ones wait.
  void path_down();
  /// The path carries segments again: each waiting one arrives no sooner than one latency from
  /// now, in order.
  void path_up();
  /// Drops every queued segment (the connection's state is gone with the interface or the box).
  void clear();
  /// Empties the pipe and sets whether the path is up, without delivering anything: a
  /// rollback to a checkpoint (BgpSession::rollback), after the engine was rewound.
  void reset(bool up);
  /// Withdraws a SYN of `connection` that has not arrived yet (its socket was closed before the
  /// path let it through); true when there was one.
  bool withdraw_syn(std::uint64_t connection);

  [[nodiscard]] bool up() const { return up_; }
  [[nodiscard]] std::size_t queued() const { return queue_.size(); }

 private:
  struct InFlight {
    SimTime arrives;
    Segment segment;
  };

  void on_delivery_timer_expired();
  void schedule_front();

  Engine& engine_;
  Duration latency_;
  Deliver deliver_;
  bool up_ = true;
  Fifo<InFlight> queue_;  // allocates nothing until the first segment
  Timer delivery_timer_;
};

}  // namespace ersim::bgp
