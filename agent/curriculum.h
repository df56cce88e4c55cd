// Curriculum: a crash-driven curriculum. Some episodes begin a couple of seconds before a place
// where a recent episode crashed (or entered the near-miss zone) instead of at the scenario's
// spawn, so the policy practises exactly where it fails. Such an episode replays the recorded
// episode's first steps (sim::Env::start_from) and is then driven by the policy.
//
// The start points are two rings of recorded-episode prefixes: the last crash_starts crashes and
// the last near_miss_starts near-miss entries of this trainer's envs. Which episodes begin at a
// start point is decided by a hash of (seed, global env step): no random stream is drawn, so the
// choices are the same for any thread count and after a resume. The fraction of episodes that
// do follows the recent crash rate c of ordinary episodes:
//   fraction = max_fraction · 4·c·(1 − c)
// the most at c = ½, when the policy half works and its failures are specific; none while it
// crashes everywhere (there is nothing particular to practise, and the states before its crashes
// are no better than its starts); none once it no longer crashes.
//
// Practice episodes are marked (EpisodeStats::handover > 0): the trainer reports them apart and
// keeps them out of its headline return, crash rate and crash list. They are still ordinary
// transitions for PPO: the replayed prefix is not part of the rollout (the step that starts an
// episode is dropped, as for any reset), and everything after it is the policy's own driving.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "sim/env.h"
#include "sim/vec_env.h"

namespace agent {

struct CurriculumConfig {
  bool enabled = false;
  float max_fraction = 0.5f;        ///< of episodes that begin at a start point, at most
  float rewind_seconds = 2.0f;      ///< s before the crash or near-miss that a practice episode begins
  int crash_starts = 64;            ///< start points kept from the latest crashes
  int near_miss_starts = 16;        ///< and from the latest near-miss entries
};

/// A ring of start points: recorded episodes cut where practice begins.
struct StartRing {
  std::vector<sim::EpisodeRecord> slots;  ///< up to its capacity, in slot order
  int next = 0;                           ///< slot the next start point goes to once full
};

/// What a curriculum carries from one iteration to the next (saved in checkpoints).
struct CurriculumState {
  double crash_rate = 0.0;          ///< moving average of the crash rate of ordinary episodes
  StartRing crashes;
  StartRing near_misses;
};

class Curriculum {
 public:
  /// dt: s per env step, to turn rewind_seconds into steps.
  Curriculum(const CurriculumConfig& config, float dt, std::uint64_t seed);

  bool enabled() const { return config_.enabled; }
  /// The fraction of episodes that begin at a start point now.
  float fraction() const;
  int start_points() const { return static_cast<int>(state_.crashes.slots.size() + state_.near_misses.slots.size()); }

  /// For every env of `envs` that is done, where its next episode begins. step_index(i) is env
  /// i's global env-step index of the coming step (unique over the run's steps and envs).
  template <class StepIndex>
  void plan(const sim::VecEnv& envs, StepIndex step_index, std::span<sim::EpisodeStart> starts) const {
    for (int i = 0; i < envs.num_envs(); ++i) {
      starts[static_cast<std::size_t>(i)] = envs.env(i).done() ? choose(step_index(i)) : sim::EpisodeStart{};
    }
  }

  /// After a step: env's crash or near-miss entry becomes a start point, rewind_seconds before it.
  void observe(const sim::Env& env, const sim::CarEvents& events);

  /// After an iteration: the crash rate of the ordinary episodes that ended in it.
  void update_crash_rate(float crash_rate, int episodes);

  const CurriculumState& state() const { return state_; }
  void restore(const CurriculumState& state) { state_ = state; }

 private:
  sim::EpisodeStart choose(std::uint64_t step_index) const;
  void add(StartRing& ring, int capacity, const sim::EpisodeRecord& record);

  CurriculumConfig config_;
  int rewind_steps_ = 0;
  std::uint64_t seed_ = 0;
  CurriculumState state_;
};

}  // namespace agent
