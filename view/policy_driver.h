// PolicyDriver: a trained (or training) policy driving one env — normalise the observation with
// the frozen training statistics, take the deterministic (mean) action — as evaluation does. In a
// multi-agent scenario the one policy drives every agent, each from its own observation.
// The watch spectator swaps in each new snapshot; replay records an evaluation episode with it.
#pragma once

#include <Eigen/Core>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "agent/policy.h"
#include "agent/running_norm.h"
#include "sim/episode_file.h"
#include "sim/scenario_loader.h"

namespace view {

class PolicyDriver {
 public:
  /// agents: observations acted on at once (the scenario's spawn.agents).
  PolicyDriver(const agent::Policy& policy, const agent::RunningNorm& obs_norm, int agents = 1);

  /// Drives with another policy of the same shape from now on.
  void set_policy(const agent::Policy& policy, const agent::RunningNorm& obs_norm);

  /// action = μ(normalise(obs)) per agent; obs holds agents observations, action agents ×
  /// Env::kActionSize values.
  void act(std::span<const float> obs, std::span<float> action);

 private:
  agent::Policy policy_;
  agent::RunningNorm norm_;
  int agents_ = 1;
  agent::PolicyWorkspace ws_;
  std::vector<float> normalized_;
  Eigen::MatrixXf action_;
};

/// Drives one episode with the deterministic policy from derive_seed(seed, index) — the start of
/// episode `index` of evaluate_policy with that seed — and returns it as an episode file. In a
/// multi-agent scenario it follows the first agent that crashed (a crash recording), else agent 0.
sim::EpisodeFile record_policy_episode(const sim::LoadedScenario& scenario, const agent::Policy& policy,
                                       const agent::RunningNorm& obs_norm, std::uint64_t seed, int index,
                                       const std::string& source);

}  // namespace view
