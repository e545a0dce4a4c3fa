// The VNet gateway's reconvergence after a change on one of its MSEE sessions (DESIGN §1:
// "gateway ↔ MSEE reconvergence after detection can take up to 60 s; Azure's own failover test
// reports ~15 s typical"). The route changes a gateway learns over a gateway–MSEE session are
// held as a batch and take effect together, in the order they arrived, after a delay drawn once
// per batch from the session's own seeded stream.
//
//   GatewayReconvergence r(engine, azure_gateway_reconvergence(), apply);
//   r.add_session(session, Side::A, streams.stream(id));   r.arm();
//   if (!r.hold(session, Side::A, {update})) { apply it now }
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "core/delay_distribution.hpp"
#include "core/engine.hpp"
#include "core/fifo.hpp"
#include "core/random.hpp"
#include "sim/bgp/messages.hpp"
#include "sim/bgp/session.hpp"
#include "sim/topo/ids.hpp"

namespace ersim::router {

/// What Azure documents (DESIGN §1): about 15 s typical, up to 60 s. A lognormal with median
/// 15 s and sigma 0.5 puts half the delays under 15 s, about 95% under 34 s, and clamps the
/// 0.3% tail past 60 s to 60 s; a delay has a long tail but no delay is zero.
DelayDistribution azure_gateway_reconvergence();

/// One change held for a gateway: an UPDATE, or, without one, the session went down and every
/// route it brought is to be withdrawn (RFC 4271 §8.2.2).
struct HeldChange {
  std::optional<bgp::UpdateMessage> update;
};

class GatewayReconvergence {
 public:
  /// Applies one held change of a session's gateway end; `delay` is its batch's.
  using ApplyFn =
      std::function<void(topo::SessionId, bgp::Side, const HeldChange&, Duration delay)>;

  GatewayReconvergence(Engine& engine, DelayDistribution delay, ApplyFn apply);

  /// Makes the changes arriving at `side` of `session` (a gateway's end of a gateway–MSEE
  /// session) wait for reconvergence, with delays drawn from `rng`.
  void add_session(topo::SessionId session, bgp::Side side, Rng rng);
  /// From now on changes are held; before, they take effect at once (a cold start is not a
  /// reconvergence).
  void arm() { armed_ = true; }
  [[nodiscard]] bool armed() const { return armed_; }
  /// Whether changes arriving now at this end are subject to the delay (covered and armed): the
  /// caller's cheap test before it builds a HeldChange.
  [[nodiscard]] bool delays(topo::SessionId session, bgp::Side side) const {
    return armed_ && slot(session, side) != nullptr;
  }

  /// Holds a change arriving now at a covered end, once armed: true if it is held, false if the
  /// caller applies it now. The first change with no batch pending draws the delay d and opens a
  /// batch that takes effect at now + d (a draw of zero holds nothing); every later change joins
  /// it, in arrival order. A session going down drops the UPDATEs of its earlier life still held
  /// (its withdrawal replaces them, as the network drops those still queued in the router) and
  /// joins the batch once.
  bool hold(topo::SessionId session, bgp::Side side, HeldChange change);

  /// When the end's pending batch takes effect, if one is pending.
  [[nodiscard]] std::optional<SimTime> held_until(topo::SessionId session, bgp::Side side) const;
  /// The number of batches held so far.
  [[nodiscard]] std::uint64_t batches() const { return batches_; }
  [[nodiscard]] const DelayDistribution& delay() const { return delay_; }

  /// Keeps the state of every end at a quiet instant (nothing held: asserted), to come back to.
  void checkpoint();
  /// Puts every end touched since checkpoint() back as it was — its random stream too — and
  /// drops what it holds (the engine's release events must be gone: Engine::rewind).
  void rollback();
  /// Takes the state of `other` (over the same sessions, at a quiet instant: asserted): whether
  /// it is armed, its batch count and each end's random stream (router::Network::copy_converged).
  void copy_state(const GatewayReconvergence& other);

 private:
  struct Slot {
    bgp::Side side;
    Rng rng;
    Fifo<HeldChange> held;  // allocates nothing until a change waits
    std::optional<SimTime> until;
    Duration delay{};
    Rng saved_rng;         ///< rng at the checkpoint
    bool touched = false;  ///< since the checkpoint
  };

  [[nodiscard]] Slot* slot(topo::SessionId session, bgp::Side side) const;
  void release(topo::SessionId session);

  Engine& engine_;
  DelayDistribution delay_;
  ApplyFn apply_;
  bool armed_ = false;
  std::uint64_t batches_ = 0;
  std::vector<std::unique_ptr<Slot>> slots_;  ///< by session; null when not covered
  std::vector<topo::SessionId> touched_;      ///< sessions whose slot changed since checkpoint
  bool saved_armed_ = false;
  std::uint64_t saved_batches_ = 0;
};

}  // namespace ersim::router
