// Trainer: rollout → GAE → PPO update (see trainer.h).
#include "agent/trainer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <span>
#include <stdexcept>

namespace agent {
namespace {

template <class T>
std::span<T> rows(std::vector<T>& v, std::size_t first, std::size_t count) {
  return std::span<T>(v).subspan(first, count);
}

}  // namespace

Trainer::Trainer(sim::LoadedScenario scenario, const TrainConfig& config,
                 std::shared_ptr<Communicator> comm)
    : scenario_(std::move(scenario)),
      config_(config),
      comm_(comm ? std::move(comm) : std::make_shared<SingleProcess>()),
      rank_(comm_->rank()),
      ranks_(comm_->size()),
      vec_(scenario_.scenario, scenario_.track, config.envs, config.threads),
      obs_dim_(vec_.observation_size()),
      act_dim_(sim::VecEnv::action_size()),
      policy_(make_policy(PolicyConfig{obs_dim_, act_dim_, config.hidden, config.init_log_std},
                          sim::derive_seed(config.seed, 1))),
      adam_(make_adam(policy_.params.size(), config.learning_rate)),
      obs_norm_(make_running_norm(obs_dim_)),
      return_norm_(make_running_norm(1)),
      act_ws_(make_policy_workspace(policy_, vec_.num_slots())),
      ppo_ws_(make_ppo_workspace(policy_, config.ppo, config.rollout_steps * vec_.num_slots())),
      action_rng_(rank_seed(sim::derive_seed(config.seed, 2), rank_)),
      curriculum_(config.curriculum, scenario_.scenario->episode.dt, sim::derive_seed(config.seed, 4),
                  vec_.agents_per_env()) {
  const std::size_t n = static_cast<std::size_t>(vec_.num_slots());
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
  starts_.resize(static_cast<std::size_t>(vec_.num_envs()));

  obs_norm_shared_ = obs_seen_ = obs_norm_;
  return_norm_shared_ = return_seen_ = return_norm_;

  // Envs rank·N … rank·N + N − 1 of the run; the first observations normalised with every
  // rank's statistics.
  vec_.reset(sim::derive_seed(config.seed, 3), raw_obs_, rank_ * config.envs);
  if (config_.normalize_obs) update_norm(obs_norm_, obs_seen_, raw_obs_);
  merge_norms({});
  normalize_observations(obs_norm_, raw_obs_, rows(obs_, 0, n * d));
}

void Trainer::record_episode(const sim::EpisodeStats& e, EpisodeSums& s) {
  if (e.handover > 0) {
    s.practice += 1.0;
    s.practice_crashed += e.crashes > 0 ? 1.0 : 0.0;
    return;
  }
  s.episodes += 1.0;
  s.returns += e.total_reward;
  s.lengths += static_cast<double>(e.length);
  s.crashed += e.crashes > 0 ? 1.0 : 0.0;
  s.lapped += e.cause == sim::EndCause::LapGoal ? 1.0 : 0.0;
  s.distance += std::max(0.0f, e.distance);
  s.near_misses += e.near_misses;
}

void Trainer::update_norm(RunningNorm& norm, RunningNorm& seen, std::span<const float> batch) {
  update_running_norm(norm, batch);
  if (ranks_ > 1) update_running_norm(seen, batch);
}

void Trainer::share_norms() {
  obs_norm_shared_ = obs_norm_;
  return_norm_shared_ = return_norm_;
  for (RunningNorm* seen : {&obs_seen_, &return_seen_}) {
    seen->count = 0.0;
    seen->mean.setZero();
    seen->var.setOnes();
  }
}

std::span<const double> Trainer::merge_norms(std::span<const double> extra) {
  if (ranks_ == 1) return extra;
  // Per rank: obs statistics seen (count, mean D, var D), return statistics seen (3), extra.
  const std::size_t dim = static_cast<std::size_t>(obs_dim_);
  gather_buffer_.clear();
  gather_buffer_.push_back(obs_seen_.count);
  gather_buffer_.insert(gather_buffer_.end(), obs_seen_.mean.data(), obs_seen_.mean.data() + dim);
  gather_buffer_.insert(gather_buffer_.end(), obs_seen_.var.data(), obs_seen_.var.data() + dim);
  gather_buffer_.insert(gather_buffer_.end(), {return_seen_.count, return_seen_.mean[0], return_seen_.var[0]});
  gather_buffer_.insert(gather_buffer_.end(), extra.begin(), extra.end());
  const std::size_t stride = gather_buffer_.size();
  const std::span<const double> all = comm_->gather_all(gather_buffer_);

  // Onto the statistics shared before, every rank's in rank order: the same on every rank.
  obs_norm_ = obs_norm_shared_;
  return_norm_ = return_norm_shared_;
  for (int r = 0; r < ranks_; ++r) {
    const double* at = all.data() + static_cast<std::size_t>(r) * stride;
    obs_seen_.count = at[0];
    obs_seen_.mean = Eigen::Map<const Eigen::VectorXd>(at + 1, obs_dim_);
    obs_seen_.var = Eigen::Map<const Eigen::VectorXd>(at + 1 + dim, obs_dim_);
    merge_running_norm(obs_norm_, obs_seen_);
    return_seen_.count = at[1 + 2 * dim];
    return_seen_.mean[0] = at[2 + 2 * dim];
    return_seen_.var[0] = at[3 + 2 * dim];
    merge_running_norm(return_norm_, return_seen_);
  }
  share_norms();
  return all;
}

void Trainer::merge_rollout(const EpisodeSums& sums, IterationStats& stats) {
  const std::array<double, 2> hash = u64_as_doubles(param_hash(policy_.params));
  const std::array<double, 11> mine = {sums.episodes, sums.returns,  sums.lengths, sums.crashed,
                                       sums.lapped,   sums.distance, sums.near_misses, sums.practice,
                                       sums.practice_crashed, hash[0], hash[1]};
  const std::span<const double> all = merge_norms(mine);
  const std::size_t stride = all.size() / static_cast<std::size_t>(ranks_);
  const std::size_t first = stride - mine.size();  // where `mine` starts in each rank's part
  EpisodeSums total;
  for (int r = 0; r < ranks_; ++r) {
    const double* v = all.data() + static_cast<std::size_t>(r) * stride + first;
    total.episodes += v[0];
    total.returns += v[1];
    total.lengths += v[2];
    total.crashed += v[3];
    total.lapped += v[4];
    total.distance += v[5];
    total.near_misses += v[6];
    total.practice += v[7];
    total.practice_crashed += v[8];
    if (v[9] != all[first + 9] || v[10] != all[first + 10]) {
      throw std::runtime_error("rank " + std::to_string(r) + "'s parameters differ from rank 0's before iteration " +
                               std::to_string(iteration_) + " (hash " + hex(u64_from_doubles(v[9], v[10])) + ", rank 0: " +
                               hex(u64_from_doubles(all[first + 9], all[first + 10])) +
                               "): the ranks no longer train one policy");
    }
  }

  stats.episodes = static_cast<int>(total.episodes);
  if (total.episodes > 0.0) {
    stats.mean_return = static_cast<float>(total.returns / total.episodes);
    stats.mean_length = static_cast<float>(total.lengths / total.episodes);
    stats.crash_rate = static_cast<float>(total.crashed / total.episodes);
    stats.lap_rate = static_cast<float>(total.lapped / total.episodes);
  }
  stats.near_misses_per_km =
      total.distance > 0.0 ? static_cast<float>(total.near_misses / (total.distance / 1000.0)) : 0.0f;
  stats.practice_episodes = static_cast<int>(total.practice);
  if (total.practice > 0.0) stats.practice_crash_rate = static_cast<float>(total.practice_crashed / total.practice);
  stats.practice_fraction = curriculum_.fraction();
  curriculum_.update_crash_rate(stats.crash_rate, stats.episodes);

  // Crashes go to rank 0 (for crashes.csv and the recordings), in global step order.
  if (ranks_ > 1) {
    gather_crashes_to_root(*comm_, stats.crashes);
    std::stable_sort(stats.crashes.begin(), stats.crashes.end(),
                     [](const CrashEvent& a, const CrashEvent& b) { return a.step < b.step; });
  }
}

void Trainer::collect_rollout(IterationStats& stats) {
  const int n = vec_.num_slots();
  const std::size_t un = static_cast<std::size_t>(n);
  const std::size_t d = static_cast<std::size_t>(obs_dim_);
  const std::size_t a = static_cast<std::size_t>(act_dim_);
  const float gamma = config_.gae.gamma;
  const int agents = vec_.agents_per_env();  // slot i is agent i % agents of env i / agents
  EpisodeSums sums;

  for (int t = 0; t < config_.rollout_steps; ++t) {
    const std::size_t row = static_cast<std::size_t>(t) * un;
    // Act on the normalised observation of this step.
    const Eigen::Map<const Eigen::MatrixXf> obs(obs_.data() + row * d, obs_dim_, n);
    act(policy_, act_ws_, obs, action_rng_, Eigen::Map<Eigen::MatrixXf>(actions_.data() + row * a, act_dim_, n),
        Eigen::Map<Eigen::VectorXf>(log_probs_.data() + row, n),
        Eigen::Map<Eigen::VectorXf>(values_.data() + row, n));

    // The step's index among every rank's envs: a one-rank run with K·N envs numbers it so.
    const auto step_index = [&](std::size_t i) {
      return global_step_ + static_cast<std::int64_t>(t) * n * ranks_ + static_cast<std::int64_t>(rank_) * n +
             static_cast<std::int64_t>(i) + 1;
    };
    if (curriculum_.enabled()) {  // else starts_ stays all plain resets
      // Env e's choice hangs on the step index of its first slot.
      curriculum_.plan(
          vec_, [&](int e) { return static_cast<std::uint64_t>(step_index(static_cast<std::size_t>(e * agents))); },
          starts_);
    }
    const sim::VecStepOutput out{raw_obs_, step_reward_, rows(terminated_, row, un),
                                 rows(truncated_, row, un), rows(reset_, row, un), info_};
    vec_.step(rows(actions_, row * a, un * a), out, starts_);

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
      update_norm(return_norm_, return_seen_, rows(valid_returns_, 0, static_cast<std::size_t>(valid_count)));
      scale = static_cast<float>(1.0 / std::sqrt(return_norm_.var[0] + 1e-8));
    }
    for (std::size_t i = 0; i < un; ++i) {
      rewards_[row + i] = step_reward_[i] * scale;
      const int agent = static_cast<int>(i) % agents;
      const sim::Env& env = vec_.env(static_cast<int>(i) / agents);
      if (valid_[row + i]) curriculum_.observe(env, info_[i].events);
      if (const sim::CarEvents& ev = info_[i].events; ev.crashed && valid_[row + i] && info_[i].episode.handover == 0) {
        const std::int64_t step = step_index(i);
        sim::EpisodeFile recording =
            sim::episode_from_env(env, "training crash at env step " + std::to_string(step), agent);
        recording.crash = sim::CrashInfo{step,          ev.crash_point.x, ev.crash_point.y, ev.crash_speed,
                                         ev.crash_with, ev.crash_index,   env.episode(agent).crashes, agent};
        stats.crashes.push_back({step, ev.crash_point.x, ev.crash_point.y, ev.crash_speed, std::move(recording)});
      }
      if (terminated_[row + i] || truncated_[row + i]) {
        discounted_[i] = 0.0;
        record_episode(info_[i].episode, sums);
      }
    }

    // Normalise the next observation (the final one of an ended episode included).
    if (config_.normalize_obs) update_norm(obs_norm_, obs_seen_, raw_obs_);
    normalize_observations(obs_norm_, raw_obs_, rows(obs_, row * d + un * d, un * d));
  }
  global_step_ += static_cast<std::int64_t>(config_.rollout_steps) * n * ranks_;
  merge_rollout(sums, stats);
}

IterationStats Trainer::iterate() {
  const int slots = vec_.num_slots();
  const std::size_t n = static_cast<std::size_t>(slots);
  const std::size_t t = static_cast<std::size_t>(config_.rollout_steps);
  const std::size_t d = static_cast<std::size_t>(obs_dim_);
  const std::int64_t batch = static_cast<std::int64_t>(n * t) * ranks_;
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
  evaluate_values(policy_, act_ws_, Eigen::Map<const Eigen::MatrixXf>(obs_.data() + t * n * d, obs_dim_, slots),
                  Eigen::Map<Eigen::VectorXf>(values_.data() + t * n, slots));
  compute_gae(config_.gae, config_.rollout_steps, slots, rewards_, values_, terminated_, truncated_,
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
                         rank_seed(sim::derive_seed(config_.seed, 1000 + static_cast<std::uint64_t>(iteration_)), rank_),
                         ppo_ws_, parallel, comm_.get());

  // 4. The last observation starts the next rollout.
  std::copy_n(obs_.begin() + static_cast<std::ptrdiff_t>(t * n * d), n * d, obs_.begin());
  stats.comm_seconds = comm_->seconds() - comm_seconds_;
  comm_seconds_ = comm_->seconds();
  return stats;
}

CheckpointData Trainer::checkpoint() const {
  CheckpointData c = learned_state(*scenario_.scenario, config_.hidden, iteration_, global_step_, config_.seed, policy_,
                                   adam_, obs_norm_);
  ResumeState& r = c.resume.emplace();
  r.action_rng = action_rng_.state();
  r.return_count = return_norm_.count;
  r.return_mean = return_norm_.mean[0];
  r.return_var = return_norm_.var[0];
  r.discounted = discounted_;
  r.next_obs.assign(obs_.begin(), obs_.begin() + static_cast<std::ptrdiff_t>(raw_obs_.size()));
  r.episodes = vec_.records();
  if (curriculum_.enabled()) r.curricula.push_back(curriculum_.state());
  return c;
}

std::optional<CheckpointData> Trainer::gather_checkpoint() {
  CheckpointData mine = checkpoint();
  if (ranks_ == 1) return mine;
  // Each rank's checkpoint travels in the file format, so it arrives checked.
  const std::vector<std::byte> bytes = encode_checkpoint(mine);
  const std::vector<std::vector<std::byte>> parts = comm_->gather_to_root(bytes);
  if (rank_ != 0) return std::nullopt;
  ResumeState& all = *mine.resume;
  for (int r = 1; r < ranks_; ++r) {
    const std::string name = "rank " + std::to_string(r) + "'s checkpoint";
    const CheckpointData c = decode_checkpoint(parts[static_cast<std::size_t>(r)], name);
    if (c.params != mine.params) {
      throw std::runtime_error(name + ": expected the parameters of rank 0, got others (hash " +
                               hex(param_hash(c.params)) + ", rank 0: " + hex(param_hash(mine.params)) +
                               "): the ranks no longer train one policy");
    }
    const ResumeState& part = *c.resume;
    all.discounted.insert(all.discounted.end(), part.discounted.begin(), part.discounted.end());
    all.next_obs.insert(all.next_obs.end(), part.next_obs.begin(), part.next_obs.end());
    all.episodes.insert(all.episodes.end(), part.episodes.begin(), part.episodes.end());
    all.rank_action_rngs.push_back(part.action_rng);
    all.curricula.insert(all.curricula.end(), part.curricula.begin(), part.curricula.end());
  }
  return mine;
}

std::vector<std::uint64_t> Trainer::gather_param_hashes() {
  return gather_u64(*comm_, param_hash(policy_.params));
}

void Trainer::restore(const CheckpointData& c, const std::string& path) {
  check_fits(c, path, *scenario_.scenario, policy_, config_.hidden);
  if (c.es) throw_other_algorithm(path, "PPO", "evolution strategies", "es");
  if (!c.resume) {
    throw CheckpointError(path, "", "expected a section 'resume' to continue training from, got none",
                          "this checkpoint holds a policy only: evaluate it, or start a new run");
  }
  const ResumeState& r = *c.resume;
  const int ranks = 1 + static_cast<int>(r.rank_action_rngs.size());
  if (ranks != ranks_) {
    const std::string how = ranks == 1 ? "without mpirun (or with -np 1)" : "with mpirun -np " + std::to_string(ranks);
    throw CheckpointError(path, "section 'resume'",
                          "expected the state of a run on " + std::to_string(ranks_) + " rank" +
                              (ranks_ == 1 ? "" : "s") + " (as this job runs), got one of " + std::to_string(ranks),
                          "a run resumes on the number of ranks it was started on: run it " + how);
  }
  if (static_cast<int>(r.episodes.size()) != config_.envs * ranks_) {
    std::string expected = std::to_string(config_.envs) + " envs";
    if (ranks_ > 1) expected += " per rank × " + std::to_string(ranks_) + " ranks";
    throw CheckpointError(path, "section 'resume'",
                          "expected the state of " + expected + ", got " + std::to_string(r.episodes.size()),
                          "resume with the run's own config (its number of envs)");
  }
  // This rank's envs: rank·N … rank·N + N − 1, and their slots: rank·N·K … (rank + 1)·N·K − 1.
  const std::size_t n = static_cast<std::size_t>(config_.envs);
  const std::size_t first = static_cast<std::size_t>(rank_) * n;
  const std::size_t slots = static_cast<std::size_t>(vec_.num_slots());
  const std::size_t first_slot = static_cast<std::size_t>(rank_) * slots;
  const std::size_t d = static_cast<std::size_t>(obs_dim_);

  const std::vector<sim::EpisodeRecord> episodes(r.episodes.begin() + static_cast<std::ptrdiff_t>(first),
                                                 r.episodes.begin() + static_cast<std::ptrdiff_t>(first + n));
  const int bad = vec_.restore(episodes, raw_obs_);
  if (bad >= 0) {
    throw CheckpointError(path, "section 'resume'",
                          "expected env " + std::to_string(first + static_cast<std::size_t>(bad)) +
                              "'s recorded episode to replay, got an episode that ends before its actions do",
                          "the checkpoint was written by a different build or scenario");
  }
  policy_.params = c.params;
  adam_ = c.adam;
  obs_norm_ = c.obs_norm;
  return_norm_.count = r.return_count;
  return_norm_.mean[0] = r.return_mean;
  return_norm_.var[0] = r.return_var;
  share_norms();
  action_rng_.set_state(rank_ == 0 ? r.action_rng : r.rank_action_rngs[static_cast<std::size_t>(rank_ - 1)]);
  if (curriculum_.enabled() && !r.curricula.empty()) curriculum_.restore(r.curricula[static_cast<std::size_t>(rank_)]);
  discounted_.assign(r.discounted.begin() + static_cast<std::ptrdiff_t>(first_slot),
                     r.discounted.begin() + static_cast<std::ptrdiff_t>(first_slot + slots));
  std::copy_n(r.next_obs.begin() + static_cast<std::ptrdiff_t>(first_slot * d), slots * d, obs_.begin());
  global_step_ = c.global_step;
  iteration_ = c.iteration;
}

}  // namespace agent
