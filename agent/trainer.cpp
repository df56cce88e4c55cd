// Trainer: rollout → GAE → PPO update (see trainer.h).
#include "agent/trainer.h"

#include <algorithm>
#include <cmath>

namespace agent {
namespace {

template <class T>
std::span<T> rows(std::vector<T>& v, std::size_t first, std::size_t count) {
  return std::span<T>(v).subspan(first, count);
}

}  // namespace

Trainer::Trainer(sim::LoadedScenario scenario, const TrainConfig& config)
    : scenario_(std::move(scenario)),
      config_(config),
      vec_(scenario_.scenario, scenario_.track, config.envs, config.threads),
      obs_dim_(vec_.observation_size()),
      act_dim_(sim::VecEnv::action_size()),
      policy_(make_policy(PolicyConfig{obs_dim_, act_dim_, config.hidden, config.init_log_std},
                          sim::derive_seed(config.seed, 1))),
      adam_(make_adam(policy_.params.size(), config.learning_rate)),
      obs_norm_(make_running_norm(obs_dim_)),
      return_norm_(make_running_norm(1)),
      act_ws_(make_policy_workspace(policy_, config.envs)),
      ppo_ws_(make_ppo_workspace(policy_, config.ppo, config.rollout_steps * config.envs)),
      action_rng_(sim::derive_seed(config.seed, 2)) {
  const std::size_t n = static_cast<std::size_t>(config.envs);
  const std::size_t t = static_cast<std::size_t>(config.rollout_steps);
  const std::size_t d = static_cast<std::size_t>(obs_dim_);
  const std::size_t a = static_cast<std::size_t>(act_dim_);
  raw_obs_.resize(n * d);
  obs_.resize((t + 1) * n * d);
  actions_.resize(t * n * a);
  log_probs_.resize(t * n);
  values_.resize((t + 1) * n);
  rewards_.resize(t * n);
  advantages_.resize(t * n);
  returns_.resize(t * n);
  terminated_.resize(t * n);
  truncated_.resize(t * n);
  reset_.resize(t * n);
  valid_.resize(t * n);
  step_reward_.resize(n);
  discounted_.resize(n);
  valid_returns_.resize(n);
  info_.resize(n);

  vec_.reset(sim::derive_seed(config.seed, 3), raw_obs_);
  if (config_.normalize_obs) update_running_norm(obs_norm_, raw_obs_);
  normalize_observations(obs_norm_, raw_obs_, rows(obs_, 0, n * d));
}

void Trainer::record_episode(const sim::EpisodeStats& e, IterationStats& s, double& distance,
                             int& near_misses) {
  ++s.episodes;
  s.mean_return += e.total_reward;
  s.mean_length += static_cast<float>(e.length);
  s.crash_rate += e.crashes > 0 ? 1.0f : 0.0f;
  s.lap_rate += e.cause == sim::EndCause::LapGoal ? 1.0f : 0.0f;
  distance += std::max(0.0f, e.distance);
  near_misses += e.near_misses;
}

void Trainer::collect_rollout(IterationStats& stats) {
  const int n = config_.envs;
  const std::size_t un = static_cast<std::size_t>(n);
  const std::size_t d = static_cast<std::size_t>(obs_dim_);
  const std::size_t a = static_cast<std::size_t>(act_dim_);
  const float gamma = config_.gae.gamma;
  double distance = 0.0;
  int near_misses = 0;

  for (int t = 0; t < config_.rollout_steps; ++t) {
    const std::size_t row = static_cast<std::size_t>(t) * un;
    // Act on the normalised observation of this step.
    const Eigen::Map<const Eigen::MatrixXf> obs(obs_.data() + row * d, obs_dim_, n);
    act(policy_, act_ws_, obs, action_rng_, Eigen::Map<Eigen::MatrixXf>(actions_.data() + row * a, act_dim_, n),
        Eigen::Map<Eigen::VectorXf>(log_probs_.data() + row, n),
        Eigen::Map<Eigen::VectorXf>(values_.data() + row, n));

    const sim::VecStepOutput out{raw_obs_, step_reward_, rows(terminated_, row, un),
                                 rows(truncated_, row, un), rows(reset_, row, un), info_};
    vec_.step(rows(actions_, row * a, un * a), out);

    // A step that reset an env ignored its action: it is not a transition to learn from.
    int valid_count = 0;
    for (std::size_t i = 0; i < un; ++i) {
      valid_[row + i] = reset_[row + i] ? 0 : 1;
      if (!valid_[row + i]) continue;
      discounted_[i] = discounted_[i] * gamma + step_reward_[i];
      valid_returns_[static_cast<std::size_t>(valid_count++)] = static_cast<float>(discounted_[i]);
    }
    // Reward scaling as Gymnasium's NormalizeReward: r / std(discounted return).
    float scale = 1.0f;
    if (config_.scale_rewards) {
      update_running_norm(return_norm_, rows(valid_returns_, 0, static_cast<std::size_t>(valid_count)));
      scale = static_cast<float>(1.0 / std::sqrt(return_norm_.var[0] + 1e-8));
    }
    for (std::size_t i = 0; i < un; ++i) {
      rewards_[row + i] = step_reward_[i] * scale;
      if (const sim::CarEvents& ev = info_[i].events; ev.crashed && valid_[row + i]) {
        const std::int64_t step = global_step_ + static_cast<std::int64_t>(row + i) + 1;
        const sim::Env& env = vec_.env(static_cast<int>(i));
        sim::EpisodeFile recording = sim::episode_from_env(env, "training crash at env step " + std::to_string(step));
        recording.crash = sim::CrashInfo{step,          ev.crash_point.x, ev.crash_point.y, ev.crash_speed,
                                         ev.crash_with, ev.crash_index,   env.episode().crashes};
        stats.crashes.push_back({step, ev.crash_point.x, ev.crash_point.y, ev.crash_speed, std::move(recording)});
      }
      if (terminated_[row + i] || truncated_[row + i]) {
        discounted_[i] = 0.0;
        record_episode(info_[i].episode, stats, distance, near_misses);
      }
    }

    // Normalise the next observation (the final one of an ended episode included).
    if (config_.normalize_obs) update_running_norm(obs_norm_, raw_obs_);
    normalize_observations(obs_norm_, raw_obs_, rows(obs_, row * d + un * d, un * d));
  }
  global_step_ += static_cast<std::int64_t>(config_.rollout_steps) * n;

  if (stats.episodes > 0) {
    const float e = static_cast<float>(stats.episodes);
    stats.mean_return /= e;
    stats.mean_length /= e;
    stats.crash_rate /= e;
    stats.lap_rate /= e;
  }
  stats.near_misses_per_km = distance > 0.0 ? static_cast<float>(near_misses / (distance / 1000.0)) : 0.0f;
}

IterationStats Trainer::iterate() {
  const std::size_t n = static_cast<std::size_t>(config_.envs);
  const std::size_t t = static_cast<std::size_t>(config_.rollout_steps);
  const std::size_t d = static_cast<std::size_t>(obs_dim_);
  const std::int64_t batch = static_cast<std::int64_t>(n * t);
  const std::int64_t iterations = std::max<std::int64_t>(1, (config_.total_steps + batch - 1) / batch);

  ++iteration_;
  IterationStats stats;
  stats.iteration = iteration_;
  const float frac = config_.anneal_lr
                         ? std::max(0.0f, 1.0f - static_cast<float>(iteration_ - 1) / static_cast<float>(iterations))
                         : 1.0f;
  adam_.learning_rate = frac * config_.learning_rate;
  stats.learning_rate = adam_.learning_rate;

  // 1. Rollout.
  collect_rollout(stats);
  stats.global_step = global_step_;

  // 2. Advantages: bootstrap from the value of the observation after the last step.
  evaluate_values(policy_, act_ws_, Eigen::Map<const Eigen::MatrixXf>(obs_.data() + t * n * d, obs_dim_, config_.envs),
                  Eigen::Map<Eigen::VectorXf>(values_.data() + t * n, config_.envs));
  compute_gae(config_.gae, config_.rollout_steps, config_.envs, rewards_, values_, terminated_, truncated_,
              valid_, advantages_, returns_);

  // 3. PPO update, gradient chunks spread over the env threads.
  const PpoBatch batch_view{rows(obs_, 0, t * n * d), actions_, log_probs_, advantages_, returns_,
                            rows(values_, 0, t * n), valid_};
  sim::ThreadPool& pool = vec_.thread_pool();
  const ParallelFor parallel = [&pool](int count, const std::function<void(int)>& body) {
    pool.run([&](int part) {
      for (int k = part; k < count; k += pool.size()) body(k);
    });
  };
  stats.ppo = ppo_update(policy_, adam_, config_.ppo, batch_view,
                         sim::derive_seed(config_.seed, 1000 + static_cast<std::uint64_t>(iteration_)),
                         ppo_ws_, parallel);

  // 4. The last observation starts the next rollout.
  std::copy_n(obs_.begin() + static_cast<std::ptrdiff_t>(t * n * d), n * d, obs_.begin());
  return stats;
}

CheckpointData Trainer::checkpoint() const {
  CheckpointData c;
  c.scenario_name = scenario_.scenario->name;
  c.scenario_fingerprint = scenario_.scenario->fingerprint;
  c.obs_dim = obs_dim_;
  c.act_dim = act_dim_;
  c.hidden = config_.hidden;
  c.iteration = iteration_;
  c.global_step = global_step_;
  c.seed = config_.seed;
  c.params = policy_.params;
  c.adam = adam_;
  c.obs_norm = obs_norm_;
  ResumeState& r = c.resume.emplace();
  r.action_rng = action_rng_.state();
  r.return_count = return_norm_.count;
  r.return_mean = return_norm_.mean[0];
  r.return_var = return_norm_.var[0];
  r.discounted = discounted_;
  r.next_obs.assign(obs_.begin(), obs_.begin() + static_cast<std::ptrdiff_t>(raw_obs_.size()));
  r.episodes = vec_.records();
  return c;
}

void Trainer::restore(const CheckpointData& c, const std::string& path) {
  const std::string problems = check_compatible(
      c, path, CheckpointUse{scenario_.scenario->name, scenario_.scenario->fingerprint, obs_dim_,
                             act_dim_, config_.hidden, true});
  // Each line of `problems` reads "<path>: …"; the error adds the first line's prefix back.
  if (!problems.empty()) throw CheckpointError(path, "", problems.substr(path.size() + 2));
  if (!c.resume) {
    throw CheckpointError(path, "", "expected a section 'resume' to continue training from, got none",
                          "this checkpoint holds a policy only: evaluate it, or start a new run");
  }
  const ResumeState& r = *c.resume;
  if (static_cast<int>(r.episodes.size()) != config_.envs) {
    throw CheckpointError(path, "section 'resume'",
                          "expected the state of " + std::to_string(config_.envs) + " envs, got " +
                              std::to_string(r.episodes.size()),
                          "resume with the run's own config (its number of envs)");
  }
  const int bad = vec_.restore(r.episodes, raw_obs_);
  if (bad >= 0) {
    throw CheckpointError(path, "section 'resume'",
                          "expected env " + std::to_string(bad) + "'s recorded episode to replay, got "
                          "an episode that ends before its actions do",
                          "the checkpoint was written by a different build or scenario");
  }
  policy_.params = c.params;
  adam_ = c.adam;
  obs_norm_ = c.obs_norm;
  return_norm_.count = r.return_count;
  return_norm_.mean[0] = r.return_mean;
  return_norm_.var[0] = r.return_var;
  action_rng_.set_state(r.action_rng);
  discounted_ = r.discounted;
  std::copy(r.next_obs.begin(), r.next_obs.end(), obs_.begin());
  global_step_ = c.global_step;
  iteration_ = c.iteration;
}

}  // namespace agent
