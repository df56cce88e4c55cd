// Curriculum: start points from crashes and near-misses, and the hashed choice of which episodes
// begin at one (see curriculum.h).
#include "agent/curriculum.h"

#include <algorithm>
#include <cmath>

#include "sim/rng.h"

namespace agent {
namespace {

constexpr double kCrashRateSmoothing = 0.1;  // weight of the newest iteration in the average

/// A uniform number in [0, 1) from a hash.
double unit(std::uint64_t hash) { return static_cast<double>(hash >> 11) * 0x1.0p-53; }

}  // namespace

Curriculum::Curriculum(const CurriculumConfig& config, float dt, std::uint64_t seed)
    : config_(config),
      rewind_steps_(std::max(1, static_cast<int>(std::lround(config.rewind_seconds / dt)))),
      seed_(seed) {}

float Curriculum::fraction() const {
  if (!config_.enabled) return 0.0f;
  const double c = std::clamp(state_.crash_rate, 0.0, 1.0);
  return static_cast<float>(config_.max_fraction * 4.0 * c * (1.0 - c));
}

sim::EpisodeStart Curriculum::choose(std::uint64_t step_index) const {
  const std::size_t crashes = state_.crashes.slots.size();
  const std::size_t total = crashes + state_.near_misses.slots.size();
  if (total == 0) return {};
  const std::uint64_t hash = sim::derive_seed(seed_, step_index);
  if (unit(hash) >= fraction()) return {};
  const std::size_t k = static_cast<std::size_t>(sim::derive_seed(hash, 1) % total);
  const sim::EpisodeRecord& from = k < crashes ? state_.crashes.slots[k] : state_.near_misses.slots[k - crashes];
  return {&from, static_cast<int>(from.actions.size() / sim::Env::kActionSize)};
}

void Curriculum::add(StartRing& ring, int capacity, const sim::EpisodeRecord& record) {
  const std::size_t steps = record.actions.size() / sim::Env::kActionSize;
  if (capacity < 1 || steps <= static_cast<std::size_t>(rewind_steps_)) return;  // nothing to replay
  const std::size_t keep = (steps - static_cast<std::size_t>(rewind_steps_)) * sim::Env::kActionSize;
  sim::EpisodeRecord* slot = nullptr;
  if (ring.slots.size() < static_cast<std::size_t>(capacity)) {
    slot = &ring.slots.emplace_back();
  } else {
    slot = &ring.slots[static_cast<std::size_t>(ring.next)];
    ring.next = (ring.next + 1) % capacity;
  }
  // The prefix alone: a start point is an ordinary episode's beginning, whatever began it.
  slot->start = record.start;
  slot->actions.assign(record.actions.begin(), record.actions.begin() + static_cast<std::ptrdiff_t>(keep));
  slot->handover = 0;
  slot->stream = {};
}

void Curriculum::observe(const sim::Env& env, const sim::CarEvents& events) {
  if (!config_.enabled) return;
  if (events.crashed) {
    add(state_.crashes, config_.crash_starts, env.record());
  } else if (events.near_miss_entered) {
    add(state_.near_misses, config_.near_miss_starts, env.record());
  }
}

void Curriculum::update_crash_rate(float crash_rate, int episodes) {
  if (episodes <= 0) return;
  state_.crash_rate += kCrashRateSmoothing * (static_cast<double>(crash_rate) - state_.crash_rate);
}

}  // namespace agent
