// A policy driving one env (see policy_driver.h).
#include "view/policy_driver.h"

#include "sim/env.h"
#include "sim/rng.h"

namespace view {

PolicyDriver::PolicyDriver(const agent::Policy& policy, const agent::RunningNorm& obs_norm)
    : policy_(policy), norm_(obs_norm), ws_(agent::make_policy_workspace(policy_, 1)),
      normalized_(static_cast<std::size_t>(policy.obs_dim)), action_(policy.act_dim, 1) {
  norm_.frozen = true;
}

void PolicyDriver::set_policy(const agent::Policy& policy, const agent::RunningNorm& obs_norm) {
  const bool same_shape = policy.params.size() == policy_.params.size() && policy.obs_dim == policy_.obs_dim;
  policy_ = policy;
  norm_ = obs_norm;
  norm_.frozen = true;
  if (!same_shape) {
    ws_ = agent::make_policy_workspace(policy_, 1);
    normalized_.assign(static_cast<std::size_t>(policy.obs_dim), 0.0f);
    action_.resize(policy.act_dim, 1);
  }
}

void PolicyDriver::act(std::span<const float> obs, std::span<float> action) {
  agent::normalize_observations(norm_, obs, normalized_);
  agent::act_deterministic(policy_, ws_, Eigen::Map<const Eigen::MatrixXf>(normalized_.data(), policy_.obs_dim, 1),
                           action_);
  for (int j = 0; j < policy_.act_dim; ++j) action[static_cast<std::size_t>(j)] = action_(j, 0);
}

sim::EpisodeFile record_policy_episode(const sim::LoadedScenario& scenario, const agent::Policy& policy,
                                       const agent::RunningNorm& obs_norm, std::uint64_t seed, int index,
                                       const std::string& source) {
  sim::Env env(scenario.scenario, scenario.track);
  PolicyDriver driver(policy, obs_norm);
  std::vector<float> obs(static_cast<std::size_t>(env.observation_size()));
  float action[sim::Env::kActionSize];
  env.reset(sim::derive_seed(seed, static_cast<std::uint64_t>(index)), obs);
  while (!env.done()) {
    driver.act(obs, action);
    env.step(action, obs);
  }
  return sim::episode_from_env(env, source);
}

}  // namespace view
