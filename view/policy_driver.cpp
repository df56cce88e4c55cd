// A policy driving one env (see policy_driver.h).
#include "view/policy_driver.h"

#include <algorithm>

#include "sim/env.h"
#include "sim/rng.h"

namespace view {

PolicyDriver::PolicyDriver(const agent::Policy& policy, const agent::RunningNorm& obs_norm, int agents)
    : policy_(policy), norm_(obs_norm), agents_(agents), ws_(agent::make_policy_workspace(policy_, agents)),
      normalized_(static_cast<std::size_t>(policy.obs_dim * agents)), action_(policy.act_dim, agents) {
  norm_.frozen = true;
}

void PolicyDriver::set_policy(const agent::Policy& policy, const agent::RunningNorm& obs_norm) {
  const bool same_shape = policy.params.size() == policy_.params.size() && policy.obs_dim == policy_.obs_dim;
  policy_ = policy;
  norm_ = obs_norm;
  norm_.frozen = true;
  if (!same_shape) {
    ws_ = agent::make_policy_workspace(policy_, agents_);
    normalized_.assign(static_cast<std::size_t>(policy.obs_dim * agents_), 0.0f);
    action_.resize(policy.act_dim, agents_);
  }
}

void PolicyDriver::act(std::span<const float> obs, std::span<float> action) {
  agent::normalize_observations(norm_, obs, normalized_);
  agent::act_deterministic(policy_, ws_,
                           Eigen::Map<const Eigen::MatrixXf>(normalized_.data(), policy_.obs_dim, agents_), action_);
  std::copy_n(action_.data(), static_cast<std::size_t>(policy_.act_dim * agents_), action.begin());
}

sim::EpisodeFile record_policy_episode(const sim::LoadedScenario& scenario, const agent::Policy& policy,
                                       const agent::RunningNorm& obs_norm, std::uint64_t seed, int index,
                                       const std::string& source) {
  sim::Env env(scenario.scenario, scenario.track);
  const std::size_t agents = static_cast<std::size_t>(env.agents());
  PolicyDriver driver(policy, obs_norm, env.agents());
  std::vector<float> obs(static_cast<std::size_t>(env.observation_size()) * agents);
  std::vector<float> action(sim::Env::kActionSize * agents);
  std::vector<sim::StepResult> results(agents);
  env.reset(sim::derive_seed(seed, static_cast<std::uint64_t>(index)), obs);
  while (!env.done()) {
    driver.act(obs, action);
    env.step(action, obs, results);
  }
  // Several agents: the file follows the first one that crashed, as a crash recording (the only
  // kind that names its agent), so `replay --crash` finds crashes of any agent.
  for (std::size_t k = 0; k < agents && agents > 1; ++k) {
    const sim::CarEvents& ev = results[k].info.events;
    if (results[k].info.cause != sim::EndCause::Crash) continue;
    sim::EpisodeFile file = sim::episode_from_env(env, source, static_cast<int>(k));
    file.crash = sim::CrashInfo{0,         ev.crash_point.x, ev.crash_point.y,     ev.crash_speed, ev.crash_with,
                                ev.crash_index, env.episode(static_cast<int>(k)).crashes, static_cast<int>(k)};
    return file;
  }
  return sim::episode_from_env(env, source);
}

}  // namespace view
