// Trainer: PPO over a VecEnv, one iteration at a time, read top to bottom like CleanRL's
// ppo_continuous_action.py: collect a rollout of T steps from N envs, compute GAE, run the PPO
// update, report what happened. Deterministic: the same scenario, config and seed give
// bit-identical iterations on the same binary, whatever the thread count. No clocks here — the
// caller times iterations and decides when to evaluate and stop.
//
// Data parallel over K ranks (a Communicator, e.g. MPI): every rank steps its own N envs — envs
// r·N … r·N + N − 1 of the run, seeded as a one-rank run with K·N envs seeds them — and draws
// its own action noise; the PPO update averages gradients over the global minibatch (ppo.h),
// so the parameters stay identical on every rank (checked every iteration: a rank that differs
// throws). After each rollout the ranks merge what they saw: the observation and return
// statistics each rank gathered during it (onto the statistics they shared before it, in rank
// order, so every rank ends with the same normaliser), and the episode figures, which then
// describe every rank's episodes. Steps count every rank's env steps. With one rank nothing is
// exchanged and every result is the single-process one, bit for bit.
//
// Multi-agent scenarios (A = spawn.agents cars per env) train one shared policy over all N·A
// agent slots of the VecEnv (parameter sharing): each slot is a row of the rollout with its own
// transitions, returns and episodes. Steps count agent steps: T · N · A per rank and iteration.
#pragma once

#include <Eigen/Core>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "agent/adam.h"
#include "agent/checkpoint.h"
#include "agent/communicator.h"
#include "agent/curriculum.h"
#include "agent/gae.h"
#include "agent/learner.h"
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
  int envs = 64;                    ///< N: envs stepped together (per rank)
  int threads = 2;                  ///< threads for envs and gradients (results do not depend on it)
  std::int64_t total_steps = 10'000'000;  ///< env steps over the whole run (sets LR annealing)
  int rollout_steps = 32;           ///< T: steps per env per iteration; batch = T · N (· A agents)
  std::vector<int> hidden = {64, 64};
  float init_log_std = -0.5f;       ///< initial exploration σ = e^-0.5 ≈ 0.6
  float learning_rate = 3e-4f;
  bool anneal_lr = true;            ///< linearly to 0 at total_steps
  bool normalize_obs = true;        ///< running mean/std normalisation of observations
  bool scale_rewards = true;        ///< divide rewards by the running std of the discounted return
  GaeConfig gae;
  CurriculumConfig curriculum;      ///< crash-driven curriculum (curriculum.h)
  PpoConfig ppo{.clip_coef = 0.2f, .vf_coef = 0.5f, .ent_coef = 0.0f, .epochs = 4,
                .minibatches = 4, .max_grad_norm = 0.5f, .target_kl = {}, .norm_adv = true,
                .clip_vloss = true, .gradient_chunks = 2};
};

class Trainer final : public Learner {
 public:
  /// A null communicator means one process. With K ranks every rank constructs its trainer with
  /// the same scenario and config, and calls iterate, gather_checkpoint and restore together.
  Trainer(sim::LoadedScenario scenario, const TrainConfig& config,
          std::shared_ptr<Communicator> comm = nullptr);

  /// Collects one rollout and updates the policy.
  IterationStats iterate() override;

  bool done() const override { return global_step_ >= config_.total_steps; }
  std::int64_t global_step() const override { return global_step_; }
  std::int64_t iteration() const override { return iteration_; }
  const TrainConfig& config() const { return config_; }
  const Policy& policy() const override { return policy_; }
  const RunningNorm& obs_norm() const override { return obs_norm_; }
  const sim::LoadedScenario& scenario() const { return scenario_; }
  const sim::VecEnv& envs() const { return vec_; }
  Communicator& communicator() override { return *comm_; }

  /// The learned state, progress and resume state, ready for save_checkpoint. config_text is
  /// left to the caller. On K > 1 ranks the resume state is this rank's envs only.
  CheckpointData checkpoint() const override;

  /// Collective: on rank 0 the checkpoint of the whole run — the resume state of every rank's
  /// envs — on the others nothing. Throws if a rank's parameters differ from rank 0's.
  std::optional<CheckpointData> gather_checkpoint() override;

  /// Collective: every rank's parameter hash (FNV-1a of the bits), on every rank.
  std::vector<std::uint64_t> gather_param_hashes() override;

  /// Continues from a checkpoint this trainer's scenario and config wrote (`path` names it in
  /// errors) on as many ranks as wrote it: afterwards iterate() gives exactly what the run that
  /// wrote it would have given next. Throws CheckpointError when it does not fit; the trainer is
  /// then unusable.
  void restore(const CheckpointData& checkpoint, const std::string& path) override;

 private:
  /// Episode figures of a rollout, summed until merge_rollout turns them into means.
  struct EpisodeSums {
    double episodes = 0.0, returns = 0.0, lengths = 0.0, crashed = 0.0, lapped = 0.0;
    double distance = 0.0, near_misses = 0.0;
    double practice = 0.0, practice_crashed = 0.0;  ///< curriculum episodes, kept apart
  };

  void collect_rollout(IterationStats& stats);
  void record_episode(const sim::EpisodeStats& e, EpisodeSums& sums);
  /// Adds a batch to a normaliser and, on K > 1 ranks, to what this rank saw since the last merge.
  void update_norm(RunningNorm& norm, RunningNorm& seen, std::span<const float> batch);
  /// The normalisers as they are become the shared statistics; nothing seen since.
  void share_norms();
  /// K > 1 ranks: gathers what each rank's normalisers saw since the last merge, with `extra`
  /// after it, and merges it onto the shared statistics; returns every rank's part, rank after
  /// rank (one rank: `extra` itself).
  std::span<const double> merge_norms(std::span<const double> extra);
  /// Merges the ranks' observation and return statistics and episode figures, checks that every
  /// rank holds the same parameters, and fills stats' episode means.
  void merge_rollout(const EpisodeSums& sums, IterationStats& stats);

  sim::LoadedScenario scenario_;
  TrainConfig config_;
  std::shared_ptr<Communicator> comm_;
  int rank_ = 0;
  int ranks_ = 1;
  sim::VecEnv vec_;
  int obs_dim_ = 0;
  int act_dim_ = 0;
  Policy policy_;
  Adam adam_;
  RunningNorm obs_norm_;
  RunningNorm return_norm_;         ///< 1 slot: the discounted return, for reward scaling
  // K > 1 ranks: the statistics every rank shared after the last merge, and what this rank has
  // seen since (merged onto them, every rank's in rank order, after each rollout).
  RunningNorm obs_norm_shared_, obs_seen_, return_norm_shared_, return_seen_;
  double comm_seconds_ = 0.0;       ///< communicator's seconds at the end of the last iteration
  std::vector<double> gather_buffer_;  ///< this rank's part of merge_norms
  PolicyWorkspace act_ws_;
  PpoWorkspace ppo_ws_;
  sim::Rng action_rng_;
  Curriculum curriculum_;
  std::vector<sim::EpisodeStart> starts_;  ///< [envs] where each env's next episode begins
  std::int64_t global_step_ = 0;
  std::int64_t iteration_ = 0;

  // Rollout buffers, [T][S] over the S = N·K agent slots (obs also [T+1][S][D], values
  // [T+1][S]), allocated once.
  std::vector<float> raw_obs_;      ///< [S][D] the latest observations as the envs gave them
  std::vector<float> obs_;          ///< [T+1][S][D] normalised; row T carries to the next rollout
  std::vector<float> actions_, log_probs_, values_, rewards_, advantages_, returns_;
  std::vector<std::uint8_t> terminated_, truncated_, reset_, valid_;
  std::vector<float> step_reward_;  ///< [S] raw rewards of the current step
  std::vector<double> discounted_;  ///< [S] running discounted return, for reward scaling
  std::vector<float> valid_returns_;///< [S] scratch: discounted returns of the valid slots
  std::vector<sim::StepInfo> info_;
};

}  // namespace agent
