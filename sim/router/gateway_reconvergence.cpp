#include "sim/router/gateway_reconvergence.hpp"

#include <utility>

#include "core/assert.hpp"

namespace ersim::router {

using namespace std::chrono_literals;

DelayDistribution azure_gateway_reconvergence() {
  return DelayDistribution::lognormal(15s, 0.5, 60s);
}

GatewayReconvergence::GatewayReconvergence(Engine& engine, DelayDistribution delay, ApplyFn apply)
    : engine_(engine), delay_(delay), apply_(std::move(apply)) {}

void GatewayReconvergence::add_session(topo::SessionId session, bgp::Side side, Rng rng) {
  if (slots_.size() <= session.value) {
    slots_.resize(session.value + 1);
  }
  ERSIM_ASSERT(!slots_[session.value], "a session's gateway end is added once");
  slots_[session.value] = std::make_unique<Slot>(Slot{side, rng, {}, {}, {}, rng, false});
}

GatewayReconvergence::Slot* GatewayReconvergence::slot(topo::SessionId session,
                                                       bgp::Side side) const {
  if (session.value >= slots_.size() || !slots_[session.value] ||
      slots_[session.value]->side != side) {
    return nullptr;
  }
  return slots_[session.value].get();
}

bool GatewayReconvergence::hold(topo::SessionId session, bgp::Side side, HeldChange change) {
  Slot* s = slot(session, side);
  if (s == nullptr || !armed_) {
    return false;
  }
  if (!change.update) {
    // RFC 4271 §8.2.2: leaving Established deletes every route the peer sent, so what the
    // session's earlier life still has waiting would only be undone.
    s->held.remove_if([](const HeldChange& c) { return c.update.has_value(); });
    if (!s->held.empty()) {
      return true;  // an earlier withdrawal of everything is still waiting: this one adds nothing
    }
  }
  if (!s->touched) {
    s->touched = true;
    touched_.push_back(session);
  }
  if (!s->until) {
    const Duration d = delay_.sample(s->rng);
    if (d == Duration::zero()) {
      return false;
    }
    ++batches_;
    s->delay = d;
    s->until = engine_.now() + d;
    engine_.schedule_at(*s->until, [this, session] { release(session); });
  }
  s->held.push(std::move(change));
  return true;
}

// The batch stays open while it is applied: a change that applying one causes for the same
// session (none does today: the gateway's end has no max-prefix) joins it rather than waiting
// for a new draw.
void GatewayReconvergence::release(topo::SessionId session) {
  Slot& s = *slots_[session.value];
  while (!s.held.empty()) {
    const HeldChange change = s.held.pop();
    apply_(session, s.side, change, s.delay);
  }
  s.until.reset();
}

void GatewayReconvergence::checkpoint() {
  for (const auto& s : slots_) {
    if (s) {
      ERSIM_ASSERT(s->held.empty() && !s->until, "gateway reconvergence checkpoint while held");
      s->saved_rng = s->rng;
      s->touched = false;
    }
  }
  touched_.clear();
  saved_armed_ = armed_;
  saved_batches_ = batches_;
}

void GatewayReconvergence::rollback() {
  for (const topo::SessionId session : touched_) {
    Slot& s = *slots_[session.value];
    s.rng = s.saved_rng;
    s.held.clear();
    s.until.reset();
    s.delay = Duration::zero();
    s.touched = false;
  }
  touched_.clear();
  armed_ = saved_armed_;
  batches_ = saved_batches_;
}

void GatewayReconvergence::copy_state(const GatewayReconvergence& other) {
  ERSIM_ASSERT(other.slots_.size() == slots_.size(), "gateway reconvergence over other sessions");
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    const auto& from = other.slots_[i];
    ERSIM_ASSERT((from == nullptr) == (slots_[i] == nullptr),
                 "gateway reconvergence over other sessions");
    if (from) {
      ERSIM_ASSERT(from->held.empty() && !from->until, "gateway reconvergence copied while held");
      slots_[i]->rng = from->rng;
    }
  }
  armed_ = other.armed_;
  batches_ = other.batches_;
}

std::optional<SimTime> GatewayReconvergence::held_until(topo::SessionId session,
                                                        bgp::Side side) const {
  const Slot* s = slot(session, side);
  return s == nullptr ? std::nullopt : s->until;
}

}  // namespace ersim::router
