// EsTrainer: perturb → evaluate → exchange → rank → step (see es_trainer.h).
#include "agent/es_trainer.h"

#include <algorithm>
#include <stdexcept>

#include "sim/episode_file.h"
#include "sim/rng.h"

namespace agent {
namespace {

// Streams under the run's seed (the PPO trainer uses 1, 2, 3 and 1000 + iteration).
constexpr std::uint64_t kNoiseStream = 20;
constexpr std::uint64_t kEpisodeStream = 21;

std::span<float> actor_span(Eigen::VectorXf& flat, const Policy& policy) {
  return block_span(flat, policy.actor_block);
}

}  // namespace

EsTrainer::EsTrainer(sim::LoadedScenario scenario, const TrainConfig& config, const EsConfig& es,
                     std::shared_ptr<Communicator> comm)
    : scenario_(std::move(scenario)),
      config_(config),
      es_(es),
      comm_(comm ? std::move(comm) : std::make_shared<SingleProcess>()),
      rank_(comm_->rank()),
      ranks_(comm_->size()),
      first_pair_(es.pairs * rank_ / ranks_),
      pairs_(es.pairs * (rank_ + 1) / ranks_ - first_pair_),
      max_pairs_((es.pairs + ranks_ - 1) / ranks_),
      vec_(scenario_.scenario, scenario_.track, std::max(1, 2 * pairs_ * es.episodes_per_member), config.threads),
      obs_dim_(vec_.observation_size()),
      act_dim_(sim::VecEnv::action_size()),
      // The same initial policy as PPO's for the same seed.
      policy_(make_policy(PolicyConfig{obs_dim_, act_dim_, config.hidden, config.init_log_std},
                          sim::derive_seed(config.seed, 1))),
      adam_(make_adam(policy_.params.size(), es.learning_rate)),
      obs_norm_(make_running_norm(obs_dim_)),
      seen_(make_running_norm(obs_dim_)) {
  if (es.pairs < ranks_) {
    throw std::invalid_argument("evolution strategies with " + std::to_string(es.pairs) + " pairs on " +
                                std::to_string(ranks_) + " ranks: expected at least one pair per rank (hint: "
                                "raise es.pairs to " + std::to_string(ranks_) + " or more, or run fewer ranks)");
  }
  const std::size_t envs = static_cast<std::size_t>(vec_.num_envs());
  const std::size_t members = static_cast<std::size_t>(2 * pairs_);
  members_.resize(policy_.actor_block.size, static_cast<Eigen::Index>(members));
  for (int t = 0; t < vec_.num_threads(); ++t) {
    forward_ws_.push_back(make_mlp_workspace(policy_.actor, es.episodes_per_member));
  }
  env_seeds_.resize(envs);
  raw_obs_.resize(envs * static_cast<std::size_t>(obs_dim_));
  obs_.resize(raw_obs_.size());
  scratch_.resize(raw_obs_.size());
  actions_.resize(envs * static_cast<std::size_t>(act_dim_));
  reward_.resize(envs);
  terminated_.resize(envs);
  truncated_.resize(envs);
  reset_.resize(envs);
  info_.resize(envs);
  gradient_ = Eigen::VectorXf::Zero(policy_.params.size());
  noise_.resize(policy_.actor_block.size);
}

std::uint64_t EsTrainer::noise_seed(std::int64_t generation, int pair) const {
  const std::uint64_t g = sim::derive_seed(sim::derive_seed(config_.seed, kNoiseStream), static_cast<std::uint64_t>(generation));
  return sim::derive_seed(g, static_cast<std::uint64_t>(pair));
}

std::uint64_t EsTrainer::episode_seed(std::int64_t generation, int pair, int episode) const {
  const std::uint64_t g = sim::derive_seed(sim::derive_seed(config_.seed, kEpisodeStream), static_cast<std::uint64_t>(generation));
  return sim::derive_seed(g, static_cast<std::uint64_t>(pair) * static_cast<std::uint64_t>(es_.episodes_per_member) +
                                 static_cast<std::uint64_t>(episode));
}

void EsTrainer::act_members() {
  const int per_member = es_.episodes_per_member;
  const int members = 2 * pairs_;
  const std::size_t d = static_cast<std::size_t>(obs_dim_);
  const std::size_t a = static_cast<std::size_t>(act_dim_);
  sim::ThreadPool& pool = vec_.thread_pool();
  // Each member's forward reads only its own columns: the result does not depend on the thread.
  pool.run([&](int part) {
    MlpWorkspace& ws = forward_ws_[static_cast<std::size_t>(part)];
    for (int m = part; m < members; m += pool.size()) {
      const std::size_t first = static_cast<std::size_t>(m * per_member);
      const Eigen::Map<const Eigen::MatrixXf> obs(obs_.data() + first * d, obs_dim_, per_member);
      const std::span<const float> params(members_.col(m).data(), static_cast<std::size_t>(members_.rows()));
      Eigen::Map<Eigen::MatrixXf>(actions_.data() + first * a, act_dim_, per_member) =
          mlp_forward(policy_.actor, params, ws, obs);
    }
  });
}

void EsTrainer::record_observations(const std::vector<std::uint8_t>& finished) {
  if (first_pair_ != 0 || !config_.normalize_obs) return;
  const std::size_t d = static_cast<std::size_t>(obs_dim_);
  std::size_t rows = 0;
  for (std::size_t i = 0; i < static_cast<std::size_t>(2 * es_.episodes_per_member); ++i) {
    if (finished[i]) continue;
    std::copy_n(raw_obs_.begin() + static_cast<std::ptrdiff_t>(i * d), d, scratch_.begin() + static_cast<std::ptrdiff_t>(rows * d));
    ++rows;
  }
  if (rows > 0) update_running_norm(seen_, std::span<const float>(scratch_).first(rows * d));
}

std::vector<EsTrainer::PairResult> EsTrainer::evaluate_members() {
  const int per_member = es_.episodes_per_member;
  const std::size_t envs = static_cast<std::size_t>(2 * pairs_ * per_member);

  // Perturbed actors, and each env's episode seed (shared by the two members of a pair).
  const std::span<const float> theta = block_span(policy_.params, policy_.actor_block);
  for (int k = 0; k < pairs_; ++k) {
    const std::uint64_t seed = noise_seed(iteration_, first_pair_ + k);
    for (int sign_index = 0; sign_index < 2; ++sign_index) {
      const int m = 2 * k + sign_index;
      es_perturb(theta, seed, es_.sigma, sign_index == 0 ? 1 : -1,
                 std::span<float>(members_.col(m).data(), static_cast<std::size_t>(members_.rows())));
      for (int e = 0; e < per_member; ++e) {
        env_seeds_[static_cast<std::size_t>(m * per_member + e)] = episode_seed(iteration_, first_pair_ + k, e);
      }
    }
  }
  vec_.reset_each(env_seeds_, raw_obs_);

  // Every env until its episode ends once; members drive their mean action.
  std::vector<PairResult> results(static_cast<std::size_t>(pairs_));
  std::vector<double> fitness(static_cast<std::size_t>(2 * pairs_), 0.0);
  std::vector<std::uint8_t> finished(envs, 0);
  std::size_t remaining = envs;
  const sim::VecStepOutput out{raw_obs_, reward_, terminated_, truncated_, reset_, info_};
  while (remaining > 0) {
    record_observations(finished);
    normalize_observations(obs_norm_, raw_obs_, obs_);
    act_members();
    vec_.step(actions_, out, {}, finished);
    for (std::size_t i = 0; i < envs; ++i) {
      if (finished[i]) continue;
      if (const sim::CarEvents& ev = info_[i].events; ev.crashed) {
        const sim::Env& env = vec_.env(static_cast<int>(i));
        const int pair = first_pair_ + static_cast<int>(i) / (2 * per_member);
        sim::EpisodeFile recording = sim::episode_from_env(
            env, "training crash (evolution strategies, generation " + std::to_string(iteration_) + ", pair " +
                     std::to_string(pair) + ")");
        recording.crash = sim::CrashInfo{0, ev.crash_point.x, ev.crash_point.y, ev.crash_speed,
                                         ev.crash_with, ev.crash_index, env.episode().crashes};
        crashes_.push_back({0, ev.crash_point.x, ev.crash_point.y, ev.crash_speed, std::move(recording)});
        crash_envs_.push_back(i);
      }
      if (!(terminated_[i] || truncated_[i])) continue;
      finished[i] = 1;
      --remaining;
      const std::size_t member = i / static_cast<std::size_t>(per_member);
      const sim::EpisodeStats& ep = info_[i].episode;
      fitness[member] += ep.total_reward;
      PairResult& r = results[member / 2];
      r.length += static_cast<double>(ep.length);
      r.crashed += ep.crashes > 0 ? 1.0 : 0.0;
      r.lapped += ep.cause == sim::EndCause::LapGoal ? 1.0 : 0.0;
      r.distance += std::max(0.0f, ep.distance);
      r.near_misses += ep.near_misses;
    }
  }
  for (int k = 0; k < pairs_; ++k) {
    PairResult& r = results[static_cast<std::size_t>(k)];
    r.pair = first_pair_ + k;
    r.fitness_plus = fitness[static_cast<std::size_t>(2 * k)] / per_member;
    r.fitness_minus = fitness[static_cast<std::size_t>(2 * k + 1)] / per_member;
  }
  return results;
}

std::vector<EsTrainer::PairResult> EsTrainer::exchange(const std::vector<PairResult>& mine) {
  // Pair results: every rank sends max_pairs_ entries (padded with pair = −1).
  exchange_buffer_.assign(static_cast<std::size_t>(max_pairs_) * kPairFields, 0.0);
  for (std::size_t k = 0; k < static_cast<std::size_t>(max_pairs_); ++k) {
    const PairResult r = k < mine.size() ? mine[k] : PairResult{};
    const double fields[kPairFields] = {r.pair,    r.fitness_plus, r.fitness_minus, r.length,
                                        r.crashed, r.lapped,       r.distance,      r.near_misses};
    std::copy_n(fields, kPairFields, exchange_buffer_.begin() + static_cast<std::ptrdiff_t>(k * kPairFields));
  }
  const std::span<const double> all = comm_->gather_all(exchange_buffer_);
  std::vector<PairResult> results(static_cast<std::size_t>(es_.pairs));
  for (std::size_t at = 0; at < all.size(); at += kPairFields) {
    const double* v = all.data() + at;
    if (v[0] >= 0.0) results[static_cast<std::size_t>(v[0])] = PairResult{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]};
  }

  // Pair 0's observation statistics, from rank 0: count, mean D, var D.
  if (config_.normalize_obs) {
    const std::size_t d = static_cast<std::size_t>(obs_dim_);
    exchange_buffer_.resize(1 + 2 * d);
    exchange_buffer_[0] = seen_.count;
    std::copy_n(seen_.mean.data(), d, exchange_buffer_.begin() + 1);
    std::copy_n(seen_.var.data(), d, exchange_buffer_.begin() + 1 + static_cast<std::ptrdiff_t>(d));
    comm_->broadcast(exchange_buffer_, 0);
    seen_.count = exchange_buffer_[0];
    seen_.mean = Eigen::Map<const Eigen::VectorXd>(exchange_buffer_.data() + 1, obs_dim_);
    seen_.var = Eigen::Map<const Eigen::VectorXd>(exchange_buffer_.data() + 1 + d, obs_dim_);
    merge_running_norm(obs_norm_, seen_);
    seen_ = make_running_norm(obs_dim_);
  }
  return results;
}

IterationStats EsTrainer::iterate() {
  const double comm_before = comm_->seconds();
  ++iteration_;
  IterationStats stats;
  stats.iteration = iteration_;
  stats.learning_rate = es_.learning_rate;

  // 1. Evaluate this rank's members; 2. every rank gets every pair's results.
  const std::vector<PairResult> results = exchange(evaluate_members());

  // 3. Fitness shaping over the whole population, then the step, in pair order on every rank.
  std::vector<double> fitness;
  std::vector<std::uint64_t> seeds;
  double returns = 0.0, length = 0.0, crashed = 0.0, lapped = 0.0, distance = 0.0, near_misses = 0.0;
  for (const PairResult& r : results) {
    fitness.push_back(r.fitness_plus);
    fitness.push_back(r.fitness_minus);
    seeds.push_back(noise_seed(iteration_, static_cast<int>(r.pair)));
    returns += r.fitness_plus + r.fitness_minus;
    length += r.length;
    crashed += r.crashed;
    lapped += r.lapped;
    distance += r.distance;
    near_misses += r.near_misses;
  }
  const std::vector<float> shaped = centered_ranks(fitness);
  const std::span<float> gradient = actor_span(gradient_, policy_);
  es_gradient(seeds, shaped, es_.sigma, gradient, std::span<float>(noise_.data(), static_cast<std::size_t>(noise_.size())));
  // Adam minimises: the loss gradient is −∇ + λθ. Outside the actor it stays 0, and so do
  // Adam's moments and steps there.
  const std::span<const float> theta = block_span(policy_.params, policy_.actor_block);
  for (std::size_t k = 0; k < gradient.size(); ++k) gradient[k] = -gradient[k] + es_.weight_decay * theta[k];
  adam_.learning_rate = es_.learning_rate;
  adam_step(adam_, policy_.params, gradient_);

  // 4. Figures of the generation's episodes, every rank's.
  const double episodes = 2.0 * es_.pairs * es_.episodes_per_member;
  global_step_ += static_cast<std::int64_t>(length);
  stats.global_step = global_step_;
  collect_crashes(stats);
  stats.episodes = static_cast<int>(episodes);
  stats.mean_return = static_cast<float>(returns / (2.0 * es_.pairs));  // mean of members' means
  stats.mean_length = static_cast<float>(length / episodes);
  stats.crash_rate = static_cast<float>(crashed / episodes);
  stats.lap_rate = static_cast<float>(lapped / episodes);
  stats.near_misses_per_km = distance > 0.0 ? static_cast<float>(near_misses / (distance / 1000.0)) : 0.0f;
  stats.comm_seconds = comm_->seconds() - comm_before;
  return stats;
}

void EsTrainer::collect_crashes(IterationStats& stats) {
  // Env by env (pair order), each env's in time order: the order of a one-rank run whatever the
  // ranks, as rank r's envs follow rank r − 1's. Every crash is stamped with the generation's
  // last step: its episodes ran side by side, so no other step number is the run's.
  std::vector<std::size_t> order(crashes_.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return crash_envs_[a] < crash_envs_[b]; });
  for (const std::size_t k : order) {
    CrashEvent& c = crashes_[k];
    c.step = global_step_;
    c.recording.crash->global_step = global_step_;
    stats.crashes.push_back(std::move(c));
  }
  crashes_.clear();
  crash_envs_.clear();
  gather_crashes_to_root(*comm_, stats.crashes);
}

CheckpointData EsTrainer::checkpoint() const {
  CheckpointData c = learned_state(*scenario_.scenario, config_.hidden, iteration_, global_step_, config_.seed, policy_,
                                   adam_, obs_norm_);
  c.es = EsState{es_.pairs, es_.episodes_per_member};
  return c;
}

std::optional<CheckpointData> EsTrainer::gather_checkpoint() {
  check_same_params(*comm_, policy_.params, "at the checkpoint of generation " + std::to_string(iteration_));
  if (rank_ != 0) return std::nullopt;
  return checkpoint();
}

std::vector<std::uint64_t> EsTrainer::gather_param_hashes() { return gather_u64(*comm_, param_hash(policy_.params)); }

void EsTrainer::restore(const CheckpointData& c, const std::string& path) {
  check_fits(c, path, *scenario_.scenario, policy_, config_.hidden);
  if (c.resume) throw_other_algorithm(path, "evolution strategies", "PPO", "ppo");
  if (!c.es) {
    throw CheckpointError(path, "", "expected a section 'es' to continue evolution strategies from, got none",
                          "this checkpoint holds a policy only: evaluate it, or start a new run");
  }
  if (c.es->pairs != es_.pairs || c.es->episodes_per_member != es_.episodes_per_member) {
    throw CheckpointError(path, "section 'es'",
                          "expected a population of " + std::to_string(es_.pairs) + " pairs × " +
                              std::to_string(es_.episodes_per_member) + " episodes (as the config says), got " +
                              std::to_string(c.es->pairs) + " × " + std::to_string(c.es->episodes_per_member),
                          "resume with the run's own config");
  }
  policy_.params = c.params;
  adam_ = c.adam;
  obs_norm_ = c.obs_norm;
  seen_ = make_running_norm(obs_dim_);
  global_step_ = c.global_step;
  iteration_ = c.iteration;
}

}  // namespace agent
