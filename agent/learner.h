// Learner: what a training run needs from a training algorithm — PPO (trainer.h) or evolution
// strategies (es_trainer.h) — so the run folder, progress line, evaluations, checkpoints and the
// stop protocol over MPI ranks are written once for both. One iteration is whatever the
// algorithm does between two reports: a PPO rollout and update, or an ES generation.
#pragma once

#include <Eigen/Core>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agent/adam.h"
#include "agent/checkpoint.h"
#include "agent/communicator.h"
#include "agent/policy.h"
#include "agent/ppo.h"
#include "agent/running_norm.h"
#include "sim/episode_file.h"
#include "sim/scenario.h"

namespace agent {

/// A crash during training: where, how fast, and when, with the episode that led to it.
struct CrashEvent {
  std::int64_t step = 0;            ///< global env step (1-based) of the step that crashed
  float x = 0.0f;                   ///< m, world contact point
  float y = 0.0f;
  float speed = 0.0f;               ///< m/s at the end of the step
  sim::EpisodeFile recording;       ///< the episode up to and including the crash (crash set):
                                    ///< sim::replay_episode drives it into the same crash
};

/// What one iteration (a PPO rollout and update, or an ES generation) did. Episode figures cover
/// the ordinary episodes that ended during it, on every rank; PPO's curriculum practice episodes
/// are counted apart.
struct IterationStats {
  std::int64_t iteration = 0;       ///< 1 for the first
  std::int64_t global_step = 0;     ///< env steps so far
  int episodes = 0;
  float mean_return = 0.0f;         ///< undiscounted, unscaled
  float mean_length = 0.0f;         ///< steps
  float crash_rate = 0.0f;          ///< fraction of episodes with a crash
  float near_misses_per_km = 0.0f;
  float lap_rate = 0.0f;            ///< fraction that reached the lap goal
  int practice_episodes = 0;        ///< curriculum episodes that ended (not in the figures above)
  float practice_crash_rate = 0.0f; ///< fraction of them with a crash
  float practice_fraction = 0.0f;   ///< the curriculum's share of new episodes during the rollout
  float learning_rate = 0.0f;
  PpoStats ppo;                     ///< PPO's update figures; all 0 for evolution strategies
  double comm_seconds = 0.0;        ///< s spent exchanging data with other ranks since the last
                                    ///< iteration (0 on one rank)
  std::vector<CrashEvent> crashes;  ///< every crash of the rollout's ordinary episodes, in step
                                    ///< order (on rank 0: of every rank; on the others: none)
};

class Learner {
 public:
  virtual ~Learner() = default;

  /// One iteration; collective on K > 1 ranks.
  virtual IterationStats iterate() = 0;

  /// The step budget is spent.
  virtual bool done() const = 0;
  virtual std::int64_t global_step() const = 0;  ///< env steps so far, every rank's
  virtual std::int64_t iteration() const = 0;
  /// The policy evaluations, checkpoints and the viewer drive with (its mean action), and the
  /// observation statistics it expects its inputs normalised with.
  virtual const Policy& policy() const = 0;
  virtual const RunningNorm& obs_norm() const = 0;
  virtual Communicator& communicator() = 0;

  /// This rank's learned state and progress, ready for save_checkpoint (config_text left to the
  /// caller); on K > 1 ranks a PPO checkpoint's resume state holds this rank's envs only.
  virtual CheckpointData checkpoint() const = 0;

  /// Collective: on rank 0 the checkpoint of the whole run (config_text left to the caller), on
  /// the others nothing. Throws if a rank's parameters differ from rank 0's.
  virtual std::optional<CheckpointData> gather_checkpoint() = 0;

  /// Collective: every rank's parameter hash (FNV-1a of the bits), on every rank.
  virtual std::vector<std::uint64_t> gather_param_hashes() = 0;

  /// Continues from a checkpoint the same algorithm, scenario and config wrote (`path` names it
  /// in errors): afterwards iterate() gives exactly what the run that wrote it would have given
  /// next. Throws CheckpointError when it does not fit (another algorithm's checkpoint
  /// included); the learner is then unusable.
  virtual void restore(const CheckpointData& checkpoint, const std::string& path) = 0;
};

/// What every learner's checkpoint holds: the scenario's identity, the network's shape, progress
/// and the learned state (parameters, Adam, observation normaliser); no algorithm state.
CheckpointData learned_state(const sim::Scenario& scenario, const std::vector<int>& hidden, std::int64_t iteration,
                             std::int64_t global_step, std::uint64_t seed, const Policy& policy, const Adam& adam,
                             const RunningNorm& obs_norm);

/// Throws the CheckpointError of a checkpoint that does not fit this scenario and network (the
/// problems check_compatible finds).
void check_fits(const CheckpointData& checkpoint, const std::string& path, const sim::Scenario& scenario,
                const Policy& policy, const std::vector<int>& hidden);

/// Collective: on rank 0 every rank's crashes (recordings included), rank after rank, each
/// rank's in its own order; on the others none. One rank: crashes stay as they are.
void gather_crashes_to_root(Communicator& comm, std::vector<CrashEvent>& crashes);

/// FNV-1a 64 of the parameters' bits: equal on two ranks exactly when the parameters are.
std::uint64_t param_hash(const Eigen::VectorXf& params);

/// A hash as 16 hex digits, for messages.
std::string hex(std::uint64_t hash);

/// Collective: throws std::runtime_error naming the first rank whose parameters differ from
/// rank 0's (`when` says at which point of the run), on every rank.
void check_same_params(Communicator& comm, const Eigen::VectorXf& params, const std::string& when);

/// Throws the CheckpointError of a checkpoint another algorithm wrote: `mine` and `theirs` name
/// the algorithms ("PPO", "evolution strategies"), `algo` is the config value that resumes it.
[[noreturn]] void throw_other_algorithm(const std::string& path, const std::string& mine, const std::string& theirs,
                                        const std::string& algo);

}  // namespace agent
