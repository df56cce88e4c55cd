// VecEnv: N envs stepped on T threads into caller-owned contiguous arrays.
//
// Autoreset is Gymnasium 1.x's *next-step* mode: when env i's episode ends on step t, step t
// returns its final observation with terminated/truncated set. On step t+1 env i ignores its
// action, starts a new episode, and returns the first observation with reward 0, both flags clear
// and reset[i] = 1 — so a learner drops that one transition and, on truncation, bootstraps from
// the value of the final observation it was given at step t.
//
// Multi-agent scenarios (K = spawn.agents > 1): every array has N·K rows, one per agent slot,
// slot = env·K + agent; actions are N·K rows too. An env's K agents end their episode together
// (env.h), so autoreset acts on all K slots of an env at once. With K = 1 slots are envs.
//
// Env i's random stream is seeded with derive_seed(seed, i): results are the same for any T.
// step() allocates nothing.
//
// Each thread owns a contiguous share of the envs (ThreadPool::parallel_for) and steps it in
// order of the cars' places on the track, not of env index: consecutive envs then look at
// neighbouring stretches of the shared track, whose geometry is still in cache. No env's result
// depends on the order.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "sim/env.h"
#include "sim/thread_pool.h"

namespace sim {

/// Caller-owned outputs of one VecEnv step; each array has num_slots rows.
struct VecStepOutput {
  std::span<float> obs;                     ///< num_slots × observation_size, row-major
  std::span<float> reward;
  std::span<std::uint8_t> terminated;
  std::span<std::uint8_t> truncated;
  std::span<std::uint8_t> reset;            ///< 1: this step started a new episode (action ignored)
  std::span<StepInfo> info;
};

/// Where an env's next episode begins, when it is not a plain reset: `steps` steps into the
/// recorded episode `from` (Env::start_from). The record must outlive the step that uses it.
struct EpisodeStart {
  const EpisodeRecord* from = nullptr;  ///< null: reset as usual
  int steps = 0;
};

class VecEnv {
 public:
  VecEnv(std::shared_ptr<const Scenario> scenario, std::shared_ptr<const Track> track,
         int num_envs, int num_threads);

  int num_envs() const { return static_cast<int>(envs_.size()); }
  /// K: agent-controlled cars per env (the scenario's spawn.agents).
  int agents_per_env() const { return agents_; }
  /// Rows of every array: num_envs × agents_per_env; slot = env · K + agent.
  int num_slots() const { return num_envs() * agents_; }
  int num_threads() const { return pool_.size(); }
  int observation_size() const { return obs_size_; }
  static constexpr int action_size() { return Env::kActionSize; }

  /// Seeds env i with derive_seed(seed, first_index + i) and resets every env; obs is
  /// num_slots × observation_size. first_index is this VecEnv's offset in a larger set of envs
  /// (rank r of a data-parallel run holds envs r·N … r·N + N − 1 of the whole run).
  void reset(std::uint64_t seed, std::span<float> obs, int first_index = 0);

  /// Seeds env i with seeds[i] (one per env) and resets every env. Several envs may share a seed:
  /// they then start the same episode (evolution strategies evaluates both members of an
  /// antithetic pair on the same episodes).
  void reset_each(std::span<const std::uint64_t> seeds, std::span<float> obs);

  /// Steps every env with actions (num_slots × action_size, row-major). An env whose episode
  /// ended on the last step starts its next one instead: from starts[i] (one per env, not per
  /// slot) if starts is given and starts[i].from is set (a start that does not fit falls back to a
  /// reset), else by a reset. An env with paused[i] set (one per env, when paused is given) is
  /// left as it is, neither stepped nor reset, and its slots' outputs are not written: evolution
  /// strategies pauses the envs whose episode has ended until the generation's last one ends.
  void step(std::span<const float> actions, const VecStepOutput& out, std::span<const EpisodeStart> starts = {},
            std::span<const std::uint8_t> paused = {});

  const Env& env(int i) const { return envs_[static_cast<std::size_t>(i)]; }

  /// Each env's current episode; restore() with them continues every env exactly.
  std::vector<EpisodeRecord> records() const;
  /// Replays each env's record (see Env::replay) on the pool; obs gets each slot's latest
  /// observation. Returns the index of the first record that does not fit, or -1.
  int restore(const std::vector<EpisodeRecord>& records, std::span<float> obs);

  /// The threads the envs step on, free between steps: a trainer runs its gradients on them.
  ThreadPool& thread_pool() { return pool_; }

 private:
  void sort_by_place();

  std::vector<Env> envs_;
  std::vector<int> order_;   ///< the order envs are stepped in: by place, within each thread's share
  std::vector<int> place_;   ///< per env: its first car's centreline segment after its last step
  int agents_ = 1;
  int obs_size_ = 0;
  ThreadPool pool_;
};

}  // namespace sim
