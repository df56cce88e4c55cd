// Trainer: PPO over a VecEnv, one iteration at a time, read top to bottom like CleanRL's
// ppo_continuous_action.py: collect a rollout of T steps from N envs, compute GAE, run the PPO
// update, report what happened. Deterministic: the same scenario, config and seed give
// bit-identical iterations on the same binary, whatever the thread count. No clocks here — the
// caller times iterations and decides when to evaluate and stop.
#pragma once

#include <Eigen/Core>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "agent/adam.h"
#include "agent/checkpoint.h"
#include "agent/gae.h"
#include "agent/policy.h"
#include "agent/ppo.h"
#include "agent/running_norm.h"
#include "sim/episode_file.h"
#include "sim/rng.h"
#include "sim/scenario_loader.h"
#include "sim/vec_env.h"

namespace agent {

struct TrainConfig {
  std::uint64_t seed = 1;
  int envs = 64;                    ///< N: envs stepped together
  int threads = 2;                  ///< threads for envs and gradients (results do not depend on it)
  std::int64_t total_steps = 10'000'000;  ///< env steps over the whole run (sets LR annealing)
  int rollout_steps = 32;           ///< T: steps per env per iteration; batch = T · N
  std::vector<int> hidden = {64, 64};
  float init_log_std = -0.5f;       ///< initial exploration σ = e^-0.5 ≈ 0.6
  float learning_rate = 3e-4f;
  bool anneal_lr = true;            ///< linearly to 0 at total_steps
  bool normalize_obs = true;        ///< running mean/std normalisation of observations
  bool scale_rewards = true;        ///< divide rewards by the running std of the discounted return
  GaeConfig gae;
  PpoConfig ppo{.clip_coef = 0.2f, .vf_coef = 0.5f, .ent_coef = 0.0f, .epochs = 4,
                .minibatches = 4, .max_grad_norm = 0.5f, .target_kl = {}, .norm_adv = true,
                .clip_vloss = true, .gradient_chunks = 2};
};

/// A crash during training: where, how fast, and when, with the episode that led to it.
struct CrashEvent {
  std::int64_t step = 0;            ///< global env step (1-based) of the step that crashed
  float x = 0.0f;                   ///< m, world contact point
  float y = 0.0f;
  float speed = 0.0f;               ///< m/s at the end of the step
  sim::EpisodeFile recording;       ///< the episode up to and including the crash (crash set):
                                    ///< sim::replay_episode drives it into the same crash
};

/// What one iteration did. Episode figures cover the episodes that ended during its rollout.
struct IterationStats {
  std::int64_t iteration = 0;       ///< 1 for the first
  std::int64_t global_step = 0;     ///< env steps so far
  int episodes = 0;
  float mean_return = 0.0f;         ///< undiscounted, unscaled
  float mean_length = 0.0f;         ///< steps
  float crash_rate = 0.0f;          ///< fraction of episodes with a crash
  float near_misses_per_km = 0.0f;
  float lap_rate = 0.0f;            ///< fraction that reached the lap goal
  float learning_rate = 0.0f;
  PpoStats ppo;
  std::vector<CrashEvent> crashes;  ///< every crash of the rollout, in step order
};

class Trainer {
 public:
  Trainer(sim::LoadedScenario scenario, const TrainConfig& config);

  /// Collects one rollout and updates the policy.
  IterationStats iterate();

  bool done() const { return global_step_ >= config_.total_steps; }
  std::int64_t global_step() const { return global_step_; }
  std::int64_t iteration() const { return iteration_; }
  const TrainConfig& config() const { return config_; }
  const Policy& policy() const { return policy_; }
  const RunningNorm& obs_norm() const { return obs_norm_; }
  const sim::LoadedScenario& scenario() const { return scenario_; }
  const sim::VecEnv& envs() const { return vec_; }

  /// The learned state, progress and resume state, ready for save_checkpoint. config_text is
  /// left to the caller.
  CheckpointData checkpoint() const;

  /// Continues from a checkpoint this trainer's scenario and config wrote (`path` names it in
  /// errors): afterwards iterate() gives exactly what the run that wrote it would have given
  /// next. Throws CheckpointError when it does not fit; the trainer is then unusable.
  void restore(const CheckpointData& checkpoint, const std::string& path);

 private:
  void collect_rollout(IterationStats& stats);
  void record_episode(const sim::EpisodeStats& e, IterationStats& stats, double& distance, int& near_misses);

  sim::LoadedScenario scenario_;
  TrainConfig config_;
  sim::VecEnv vec_;
  int obs_dim_ = 0;
  int act_dim_ = 0;
  Policy policy_;
  Adam adam_;
  RunningNorm obs_norm_;
  RunningNorm return_norm_;         ///< 1 slot: the discounted return, for reward scaling
  PolicyWorkspace act_ws_;
  PpoWorkspace ppo_ws_;
  sim::Rng action_rng_;
  std::int64_t global_step_ = 0;
  std::int64_t iteration_ = 0;

  // Rollout buffers, [T][N] (obs also [T+1][N][D], values [T+1][N]), allocated once.
  std::vector<float> raw_obs_;      ///< [N][D] the latest observations as the envs gave them
  std::vector<float> obs_;          ///< [T+1][N][D] normalised; row T carries to the next rollout
  std::vector<float> actions_, log_probs_, values_, rewards_, advantages_, returns_;
  std::vector<std::uint8_t> terminated_, truncated_, reset_, valid_;
  std::vector<float> step_reward_;  ///< [N] raw rewards of the current step
  std::vector<double> discounted_;  ///< [N] running discounted return, for reward scaling
  std::vector<float> valid_returns_;///< [N] scratch: discounted returns of the valid envs
  std::vector<sim::StepInfo> info_;
};

}  // namespace agent
