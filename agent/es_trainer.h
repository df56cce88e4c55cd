// EsTrainer: evolution strategies (es.h) over a VecEnv, one generation per iterate(), read top to
// bottom: perturb, evaluate every member's episodes on the env threads, gather the returns, rank
// them, step. Deterministic: the same scenario, config and seed give bit-identical generations
// whatever the thread count and whatever the number of ranks.
//
// Generation g (counted from 1):
//   - pair p's noise seed is derive_seed(derive_seed(derive_seed(seed, 20), g), p); its members
//     are θ ± σ ε_p over the actor (the mean network) — log_std and the critic are PPO's and stay
//     as initialised. Members drive the mean action: a deterministic policy, so a member's
//     fitness measures its parameters, not action noise.
//   - each member runs episodes_per_member episodes; episode e of pair p starts from
//     derive_seed(derive_seed(derive_seed(seed, 21), g), p · E + e) for BOTH members of the pair
//     (common random numbers: the pair's difference in return is the noise's doing, not the
//     track's). A member's fitness is its mean episode return.
//   - observations are normalised with the statistics as they stood at the start of the
//     generation; the observations pair 0's members acted on update them afterwards. Salimans et
//     al. also take them from a small share of the rollouts; taking a share that does not depend
//     on how pairs are spread over ranks keeps the statistics bit-identical for any rank count.
//
// Over K ranks (a Communicator, e.g. MPI): rank r evaluates pairs [P·r/K, P·(r+1)/K) — rank 0
// always holds pair 0 — and for the update the ranks exchange only, per pair, its index, the two
// fitnesses and five episode figures (8 doubles), plus rank 0's observation statistics of pair 0
// (1 + 2·D doubles, broadcast); crash recordings go to rank 0 for the logs. Every rank then regenerates every pair's noise from its seed and takes the
// same step in pair order: the parameters stay identical on every rank, and identical to a
// one-rank run's. Steps count every rank's env steps: the lengths of the evaluated episodes.
// Crashes (with their recordings) go to rank 0 as PPO's do, stamped with the generation's last
// step.
//
// VecEnv: a rank's envs are its members' episodes, member after member (2·pairs·E of them), all
// started together and stepped until each has ended once; an env whose episode ended is paused
// (not stepped: VecEnv::step's paused) until the slowest one ends.
#pragma once

#include <Eigen/Core>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/adam.h"
#include "agent/checkpoint.h"
#include "agent/communicator.h"
#include "agent/es.h"
#include "agent/learner.h"
#include "agent/mlp.h"
#include "agent/policy.h"
#include "agent/running_norm.h"
#include "agent/trainer.h"
#include "sim/scenario_loader.h"
#include "sim/vec_env.h"

namespace agent {

class EsTrainer final : public Learner {
 public:
  /// From `config`: seed, threads, total_steps, hidden, init_log_std, normalize_obs (envs and the
  /// PPO settings are PPO's). A null communicator means one process. Throws std::invalid_argument
  /// when there are fewer pairs than ranks (a rank would have nothing to evaluate).
  EsTrainer(sim::LoadedScenario scenario, const TrainConfig& config, const EsConfig& es,
            std::shared_ptr<Communicator> comm = nullptr);

  /// Evaluates one generation and updates the parameters.
  IterationStats iterate() override;

  bool done() const override { return global_step_ >= config_.total_steps; }
  std::int64_t global_step() const override { return global_step_; }
  std::int64_t iteration() const override { return iteration_; }
  const Policy& policy() const override { return policy_; }
  const RunningNorm& obs_norm() const override { return obs_norm_; }
  Communicator& communicator() override { return *comm_; }
  const EsConfig& es_config() const { return es_; }

  /// The learned state and progress, ready for save_checkpoint (config_text left to the caller).
  CheckpointData checkpoint() const override;
  std::optional<CheckpointData> gather_checkpoint() override;
  std::vector<std::uint64_t> gather_param_hashes() override;
  void restore(const CheckpointData& checkpoint, const std::string& path) override;

  /// The noise seed of pair p in generation g, and the seed of its episode e (both members').
  std::uint64_t noise_seed(std::int64_t generation, int pair) const;
  std::uint64_t episode_seed(std::int64_t generation, int pair, int episode) const;

 private:
  /// Fitness and episode figures of one pair, as exchanged between ranks (doubles on the wire).
  struct PairResult {
    double pair = -1.0;             ///< index; −1 pads a rank's share to the longest share
    double fitness_plus = 0.0, fitness_minus = 0.0;  ///< mean episode return of θ + σε, θ − σε
    double length = 0.0, crashed = 0.0, lapped = 0.0, distance = 0.0, near_misses = 0.0;  ///< sums
  };
  static constexpr std::size_t kPairFields = 8;

  /// Runs every episode of this rank's members; returns their pairs' results.
  std::vector<PairResult> evaluate_members();
  /// Actions of every member for the current normalised observations, forwards spread over the
  /// env threads.
  void act_members();
  /// Adds the rows of pair 0's still-running envs to the statistics seen this generation.
  void record_observations(const std::vector<std::uint8_t>& finished);
  /// Gathers every rank's pair results, in pair order, and merges pair 0's observation statistics.
  std::vector<PairResult> exchange(const std::vector<PairResult>& mine);
  /// Moves the generation's crashes into stats, stamped with its last step, to rank 0.
  void collect_crashes(IterationStats& stats);

  sim::LoadedScenario scenario_;
  TrainConfig config_;
  EsConfig es_;
  std::shared_ptr<Communicator> comm_;
  int rank_ = 0;
  int ranks_ = 1;
  int first_pair_ = 0;              ///< this rank's pairs: first_pair_ … first_pair_ + pairs_ − 1
  int pairs_ = 0;
  int max_pairs_ = 0;               ///< the longest share of any rank (the exchange's stride)
  sim::VecEnv vec_;
  int obs_dim_ = 0;
  int act_dim_ = 0;
  Policy policy_;
  Adam adam_;
  RunningNorm obs_norm_;
  RunningNorm seen_;                ///< rank 0: pair 0's observations of this generation
  std::int64_t global_step_ = 0;
  std::int64_t iteration_ = 0;

  // Buffers allocated once. Envs (and columns) are member-major: member m's episodes are envs
  // m·E … m·E + E − 1; member 2k is θ + σε and 2k + 1 is θ − σε of this rank's pair k.
  Eigen::MatrixXf members_;         ///< actor parameters × 2·pairs_
  std::vector<MlpWorkspace> forward_ws_;  ///< one per env thread
  std::vector<std::uint64_t> env_seeds_;
  std::vector<float> raw_obs_, obs_, actions_, reward_, scratch_;
  std::vector<std::uint8_t> terminated_, truncated_, reset_;
  std::vector<sim::StepInfo> info_;
  std::vector<double> exchange_buffer_;
  std::vector<CrashEvent> crashes_;     ///< this generation's, as they happened
  std::vector<std::size_t> crash_envs_;  ///< the env of each
  Eigen::VectorXf gradient_, noise_;  ///< full parameter size; actor size
};

}  // namespace agent
