// Deterministic-policy evaluation over seeded episodes (see evaluation.h).
#include "agent/evaluation.h"

#include <algorithm>
#include <cassert>
#include <vector>

#include "sim/vec_env.h"

namespace agent {

EvalResult evaluate_policy(const sim::LoadedScenario& scenario, const Policy& policy,
                           const RunningNorm& obs_norm, const EvalConfig& config) {
  assert(config.episodes >= 1 && "evaluate_policy needs at least one episode");
  const int n = config.episodes;
  sim::VecEnv vec(scenario.scenario, scenario.track, n, config.threads);
  const int d = vec.observation_size();
  const int a = sim::VecEnv::action_size();
  const std::size_t un = static_cast<std::size_t>(n);
  std::vector<float> obs(un * static_cast<std::size_t>(d)), nobs(obs.size()), reward(un);
  std::vector<std::uint8_t> terminated(un), truncated(un), reset(un), finished(un, 0);
  std::vector<sim::StepInfo> info(un);
  Eigen::MatrixXf actions(a, n);
  PolicyWorkspace ws = make_policy_workspace(policy, n);
  const sim::VecStepOutput out{obs, reward, terminated, truncated, reset, info};
  vec.reset(config.seed, obs);

  EvalResult r;
  r.episodes = n;
  double total_return = 0.0, distance = 0.0, time = 0.0, lap_time = 0.0;
  int crashed = 0, lapped = 0, clean = 0, near_misses = 0, lap_episodes = 0;
  const double dt = scenario.scenario->episode.dt;
  int remaining = n;
  while (remaining > 0) {
    normalize_observations(obs_norm, obs, nobs);
    act_deterministic(policy, ws, Eigen::Map<const Eigen::MatrixXf>(nobs.data(), d, n), actions);
    vec.step(std::span<const float>(actions.data(), un * static_cast<std::size_t>(a)), out);
    r.steps += n;
    for (std::size_t i = 0; i < un; ++i) {
      if (config.record_crashes && !finished[i] && info[i].events.crashed && info[i].episode.crashes == 1) {
        const sim::CarEvents& ev = info[i].events;
        const sim::Env& env = vec.env(static_cast<int>(i));
        sim::EpisodeFile recording = sim::episode_from_env(
            env, "evaluation episode " + std::to_string(i) + " of " + std::to_string(n) + " from seed " +
                     std::to_string(config.seed));
        recording.crash = sim::CrashInfo{0, ev.crash_point.x, ev.crash_point.y, ev.crash_speed, ev.crash_with,
                                         ev.crash_index, 1};
        r.crash_recordings.emplace_back(static_cast<int>(i), std::move(recording));
      }
      if (finished[i] || !(terminated[i] || truncated[i])) continue;
      finished[i] = 1;
      --remaining;
      const sim::EpisodeStats& e = info[i].episode;
      total_return += e.total_reward;
      distance += std::max(0.0f, e.distance);
      time += e.length * dt;
      near_misses += e.near_misses;
      crashed += e.crashes > 0 ? 1 : 0;
      if (e.cause == sim::EndCause::LapGoal) {
        ++lapped;
        clean += e.crashes == 0 ? 1 : 0;
        lap_time += e.length * dt / std::max(1, e.laps);
        ++lap_episodes;
      }
    }
  }
  r.mean_return = static_cast<float>(total_return / n);
  r.crash_rate = static_cast<float>(crashed) / static_cast<float>(n);
  r.lap_rate = static_cast<float>(lapped) / static_cast<float>(n);
  r.clean_lap_rate = static_cast<float>(clean) / static_cast<float>(n);
  r.near_misses_per_km = distance > 0.0 ? static_cast<float>(near_misses / (distance / 1000.0)) : 0.0f;
  r.mean_lap_time = lap_episodes > 0 ? static_cast<float>(lap_time / lap_episodes) : 0.0f;
  r.mean_speed = time > 0.0 ? static_cast<float>(distance / time) : 0.0f;
  std::sort(r.crash_recordings.begin(), r.crash_recordings.end(),
            [](const auto& x, const auto& y) { return x.first < y.first; });
  return r;
}

}  // namespace agent
