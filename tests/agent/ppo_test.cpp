#include "agent/ppo.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "agent/gae.h"
#include "sim/rng.h"
#include "support/thread_ranks.h"

// Allocation counting for the no-allocation contract: every heap allocation of this program
// (operator new, Eigen's aligned_malloc, std::function) goes through malloc, which glibc lets a
// program replace. Not under sanitizers, which replace malloc themselves.
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
#define CRASHCOURSE_COUNT_MALLOC 1
namespace {
std::atomic<long> g_mallocs{0};
}  // namespace
extern "C" {
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* pointer, std::size_t size);
void* malloc(std::size_t size) noexcept {
  g_mallocs.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(size);
}
void* calloc(std::size_t count, std::size_t size) noexcept {
  g_mallocs.fetch_add(1, std::memory_order_relaxed);
  return __libc_calloc(count, size);
}
void* realloc(void* pointer, std::size_t size) noexcept {
  g_mallocs.fetch_add(1, std::memory_order_relaxed);
  return __libc_realloc(pointer, size);
}
}
#endif

namespace agent {
namespace {

/// A rollout's arrays, owned, with a PpoBatch view.
struct TestBatch {
  std::vector<float> obs;
  std::vector<float> actions;
  std::vector<float> log_probs;
  std::vector<float> advantages;
  std::vector<float> returns;
  std::vector<float> values;
  std::vector<std::uint8_t> valid;

  PpoBatch view() const { return {obs, actions, log_probs, advantages, returns, values, valid}; }
  int size() const { return static_cast<int>(valid.size()); }
};

/// Tiny actor-critic with parameters of order one everywhere, so every block's gradient stands
/// well above float rounding (the real init's 0.01 output gain would hide the actor's).
Policy make_tiny_policy(std::uint64_t seed) {
  PolicyConfig config;
  config.obs_dim = 3;
  config.act_dim = 2;
  config.hidden = {5, 4};
  Policy policy = make_policy(config, seed);
  sim::Rng rng(sim::derive_seed(seed, 99));
  for (float& p : policy.params) p = 0.5f * rng.normal();
  policy.params.segment(policy.log_std_block.offset, 2) << -0.3f, 0.2f;
  return policy;
}

/// Samples collected by the policy itself: random observations, its actions, log-probs and
/// values; random advantages, returns = values + advantages; all valid.
TestBatch collect_batch(const Policy& policy, int size, std::uint64_t seed) {
  sim::Rng rng(seed);
  TestBatch b;
  b.obs.resize(size * policy.obs_dim);
  for (float& x : b.obs) x = rng.normal();
  b.actions.resize(size * policy.act_dim);
  b.log_probs.resize(size);
  b.values.resize(size);
  PolicyWorkspace ws = make_policy_workspace(policy, size);
  act(policy, ws, Eigen::Map<const Eigen::MatrixXf>(b.obs.data(), policy.obs_dim, size), rng,
      Eigen::Map<Eigen::MatrixXf>(b.actions.data(), policy.act_dim, size),
      Eigen::Map<Eigen::VectorXf>(b.log_probs.data(), size),
      Eigen::Map<Eigen::VectorXf>(b.values.data(), size));
  b.advantages.resize(size);
  b.returns.resize(size);
  for (int k = 0; k < size; ++k) {
    b.advantages[k] = rng.normal();
    b.returns[k] = b.values[k] + b.advantages[k];
  }
  b.valid.assign(size, 1);
  return b;
}

/// An 8-sample batch placed around the policy's current outputs so that every branch of the
/// loss is taken, each far (≥ 0.15) from its kink:
///   ratios e^{±0.5} outside 1 ± 0.2 with advantages of both signs (clipped / unclipped), and
///   ratios inside; old values 0.5 away (value clip saturated) with returns on either side
///   (clipped square larger / unclipped larger), and old values inside the clip.
TestBatch make_branch_batch(const Policy& policy) {
  TestBatch b = collect_batch(policy, 8, 21);
  PolicyWorkspace ws = make_policy_workspace(policy, 8);
  const Eigen::Map<const Eigen::MatrixXf> obs(b.obs.data(), policy.obs_dim, 8);
  const Eigen::Map<const Eigen::MatrixXf> actions(b.actions.data(), policy.act_dim, 8);
  Eigen::VectorXf log_probs(8);
  Eigen::VectorXf values(8);
  evaluate_log_probs(policy, ws, obs, actions, log_probs);
  evaluate_values(policy, ws, obs, values);
  const float log_ratio[8] = {0.5f, 0.5f, -0.5f, -0.5f, 0.05f, -0.05f, 0.1f, 0.0f};
  const float advantage[8] = {1.5f, -1.2f, 0.7f, -0.9f, 1.1f, -0.4f, 0.3f, -1.1f};  // mean 0
  const float old_value_offset[8] = {-0.5f, -0.5f, 0.05f, 0.5f, 0.5f, -0.1f, 0.1f, 0.0f};
  const float return_offset[8] = {-1.0f, 1.0f, 0.7f, 1.0f, -1.0f, 0.3f, -0.4f, 0.2f};
  for (std::size_t k = 0; k < 8; ++k) {
    const Eigen::Index i = static_cast<Eigen::Index>(k);
    b.log_probs[k] = log_probs(i) - log_ratio[k];
    b.advantages[k] = advantage[k];
    b.values[k] = values(i) + old_value_offset[k];
    b.returns[k] = values(i) + return_offset[k];
  }
  return b;
}

std::vector<std::int32_t> all_indices(int size) {
  std::vector<std::int32_t> indices(size);
  for (int k = 0; k < size; ++k) indices[k] = k;
  return indices;
}

/// One std::thread per chunk, started last chunk first.
void run_one_thread_per_chunk(int count, const std::function<void(int)>& body) {
  std::vector<std::thread> threads;
  for (int k = count - 1; k >= 0; --k) threads.emplace_back([&body, k] { body(k); });
  for (std::thread& thread : threads) thread.join();
}

/// Two threads taking alternate chunks, as the trainer's 2-core pool would.
void run_on_two_threads(int count, const std::function<void(int)>& body) {
  std::thread odd([&body, count] {
    for (int k = 1; k < count; k += 2) body(k);
  });
  for (int k = 0; k < count; k += 2) body(k);
  odd.join();
}

TEST(PpoTest, LossGradientMatchesFiniteDifferencesForActorLogStdAndCritic) {
  Policy policy = make_tiny_policy(1);
  const TestBatch batch = make_branch_batch(policy);
  PpoConfig config;
  config.minibatches = 1;
  config.ent_coef = 0.01f;
  PpoWorkspace ws = make_ppo_workspace(policy, config, batch.size());
  const std::vector<std::int32_t> indices = all_indices(batch.size());

  compute_minibatch_gradient(policy, config, batch.view(), indices, ws);
  const Eigen::VectorXf analytic = ws.grad;

  constexpr float kStep = 2e-3f;
  const ParamBlock blocks[3] = {policy.actor_block, policy.log_std_block, policy.critic_block};
  const char* names[3] = {"actor", "log_std", "critic"};
  for (int b = 0; b < 3; ++b) {
    float largest = 0.0f;
    for (std::int64_t p = blocks[b].offset; p < blocks[b].offset + blocks[b].size; ++p) {
      const float saved = policy.params(p);
      policy.params(p) = saved + kStep;
      const double plus =
          compute_minibatch_gradient(policy, config, batch.view(), indices, ws).loss;
      policy.params(p) = saved - kStep;
      const double minus =
          compute_minibatch_gradient(policy, config, batch.view(), indices, ws).loss;
      policy.params(p) = saved;
      const double numeric = (plus - minus) / (2.0 * kStep);
      EXPECT_NEAR(numeric, analytic(p), 2e-3 + 2e-2 * std::abs(analytic(p)))
          << names[b] << " parameter " << p - blocks[b].offset;
      largest = std::max(largest, std::abs(analytic(p)));
    }
    EXPECT_GT(largest, 1e-2f) << names[b] << " block has no gradient to check";
  }
}

TEST(PpoTest, ClipfracAndApproxKlMeasureRatiosAgainstTheCollectingPolicy) {
  const Policy policy = make_tiny_policy(2);
  const TestBatch batch = make_branch_batch(policy);
  PpoConfig config;
  config.minibatches = 1;
  PpoWorkspace ws = make_ppo_workspace(policy, config, batch.size());
  const MinibatchStats stats =
      compute_minibatch_gradient(policy, config, batch.view(), all_indices(batch.size()), ws);

  // Four of the eight ratios (e^{±0.5}) lie outside 1 ± 0.2.
  EXPECT_EQ(stats.clipfrac, 0.5f);
  const double log_ratio[8] = {0.5, 0.5, -0.5, -0.5, 0.05, -0.05, 0.1, 0.0};
  double approx_kl = 0.0;
  for (double r : log_ratio) approx_kl += (std::exp(r) - 1.0 - r) / 8.0;
  EXPECT_NEAR(stats.approx_kl, approx_kl, 1e-5);
  EXPECT_EQ(stats.samples, 8);
}

TEST(PpoTest, FirstMinibatchOfAFreshRolloutHasZeroKlAndNoClipping) {
  Policy policy = make_tiny_policy(3);
  const TestBatch batch = collect_batch(policy, 64, 4);
  PpoConfig config;
  config.epochs = 1;
  config.minibatches = 1;
  PpoWorkspace ws = make_ppo_workspace(policy, config, batch.size());
  Adam adam = make_adam(policy.params.size(), 1e-3f);
  const PpoStats stats = ppo_update(policy, adam, config, batch.view(), 5, ws);
  EXPECT_EQ(stats.minibatch_steps, 1);
  EXPECT_LT(stats.approx_kl, 1e-6f);
  EXPECT_EQ(stats.clipfrac, 0.0f);
}

TEST(PpoTest, ClippingEngagesOnceUpdatesPushRatiosOutOfTheTrustRegion) {
  Policy policy = make_tiny_policy(4);
  const TestBatch batch = collect_batch(policy, 256, 6);
  PpoConfig config;
  config.epochs = 10;
  config.minibatches = 4;
  PpoWorkspace ws = make_ppo_workspace(policy, config, batch.size());
  Adam adam = make_adam(policy.params.size(), 3e-2f);
  const PpoStats stats = ppo_update(policy, adam, config, batch.view(), 7, ws);
  EXPECT_EQ(stats.minibatch_steps, 40);
  EXPECT_GT(stats.clipfrac, 0.0f);
  EXPECT_GT(stats.approx_kl, 1e-3f);
}

TEST(PpoTest, ClippedSamplesPushThePolicyNoFurther) {
  // Every ratio is e^{0.5} > 1 + ε. With positive advantages the clipped term wins and the policy
  // gradient vanishes; with negative advantages it does not.
  const Policy policy = make_tiny_policy(5);
  TestBatch batch = make_branch_batch(policy);
  PolicyWorkspace pws = make_policy_workspace(policy, 8);
  Eigen::VectorXf log_probs(8);
  evaluate_log_probs(policy, pws, Eigen::Map<const Eigen::MatrixXf>(batch.obs.data(), 3, 8),
                     Eigen::Map<const Eigen::MatrixXf>(batch.actions.data(), 2, 8), log_probs);
  PpoConfig config;
  config.minibatches = 1;
  config.norm_adv = false;
  config.vf_coef = 0.0f;
  PpoWorkspace ws = make_ppo_workspace(policy, config, 8);
  for (float sign : {1.0f, -1.0f}) {
    for (std::size_t k = 0; k < 8; ++k) {
      batch.log_probs[k] = log_probs(static_cast<Eigen::Index>(k)) - 0.5f;
      batch.advantages[k] = sign * (1.0f + 0.1f * static_cast<float>(k));
    }
    compute_minibatch_gradient(policy, config, batch.view(), all_indices(8), ws);
    const float actor =
        ws.grad.segment(policy.actor_block.offset, policy.actor_block.size).cwiseAbs().maxCoeff();
    const float spread = ws.grad.segment(policy.log_std_block.offset, 2).cwiseAbs().maxCoeff();
    if (sign > 0.0f) {
      EXPECT_EQ(actor, 0.0f);
      EXPECT_EQ(spread, 0.0f);
    } else {
      EXPECT_GT(actor, 0.0f);
      EXPECT_GT(spread, 0.0f);
    }
  }
}

TEST(PpoTest, ChunkedGradientEqualsUnchunkedUpToRounding) {
  const Policy policy = make_tiny_policy(6);
  const TestBatch batch = collect_batch(policy, 37, 8);
  const std::vector<std::int32_t> indices = all_indices(37);
  PpoConfig config;
  config.minibatches = 1;
  config.ent_coef = 0.01f;
  config.gradient_chunks = 1;
  PpoWorkspace whole = make_ppo_workspace(policy, config, 37);
  const MinibatchStats reference =
      compute_minibatch_gradient(policy, config, batch.view(), indices, whole);
  const float scale = whole.grad.cwiseAbs().maxCoeff();

  for (int chunks : {2, 3, 5, 37}) {
    config.gradient_chunks = chunks;
    PpoWorkspace ws = make_ppo_workspace(policy, config, 37);
    const MinibatchStats stats =
        compute_minibatch_gradient(policy, config, batch.view(), indices, ws);
    EXPECT_LT((ws.grad - whole.grad).cwiseAbs().maxCoeff(), 1e-5f * scale) << chunks << " chunks";
    EXPECT_NEAR(stats.loss, reference.loss, 1e-5f * (1.0f + std::abs(reference.loss)));
    EXPECT_EQ(stats.clipfrac, reference.clipfrac);
  }
}

TEST(PpoTest, ChunkedGradientIsBitIdenticalWhateverTheThreading) {
  const Policy policy = make_tiny_policy(7);
  const TestBatch batch = collect_batch(policy, 50, 9);
  const std::vector<std::int32_t> indices = all_indices(50);
  PpoConfig config;
  config.minibatches = 1;
  config.gradient_chunks = 4;
  PpoWorkspace ws = make_ppo_workspace(policy, config, 50);

  compute_minibatch_gradient(policy, config, batch.view(), indices, ws);
  const Eigen::VectorXf sequential = ws.grad;
  const ParallelFor hooks[2] = {run_one_thread_per_chunk, run_on_two_threads};
  for (const ParallelFor& hook : hooks) {
    compute_minibatch_gradient(policy, config, batch.view(), indices, ws, hook);
    EXPECT_EQ(std::memcmp(ws.grad.data(), sequential.data(), sizeof(float) * sequential.size()), 0);
  }
}

TEST(PpoTest, UpdateIsBitIdenticalWhateverTheThreading) {
  const Policy initial = make_tiny_policy(8);
  const TestBatch batch = collect_batch(initial, 200, 10);
  PpoConfig config;
  config.epochs = 3;
  config.minibatches = 4;
  config.gradient_chunks = 3;
  Policy sequential = initial;
  Policy threaded = initial;
  Adam adam_a = make_adam(initial.params.size(), 1e-2f);
  Adam adam_b = make_adam(initial.params.size(), 1e-2f);
  PpoWorkspace ws_a = make_ppo_workspace(initial, config, 200);
  PpoWorkspace ws_b = make_ppo_workspace(initial, config, 200);
  const PpoStats a = ppo_update(sequential, adam_a, config, batch.view(), 11, ws_a);
  const PpoStats b =
      ppo_update(threaded, adam_b, config, batch.view(), 11, ws_b, run_on_two_threads);
  EXPECT_EQ(std::memcmp(sequential.params.data(), threaded.params.data(),
                        sizeof(float) * initial.params.size()),
            0);
  EXPECT_EQ(a.policy_loss, b.policy_loss);
  EXPECT_EQ(a.approx_kl, b.approx_kl);
}

/// The samples [first, first + count) of a batch, as a batch of their own (one rank's rollout).
TestBatch slice(const TestBatch& b, int first, int count, const Policy& policy) {
  const auto part = [&](const auto& v, int width) {
    using V = std::decay_t<decltype(v)>;
    return V(v.begin() + first * width, v.begin() + (first + count) * width);
  };
  return {part(b.obs, policy.obs_dim), part(b.actions, policy.act_dim), part(b.log_probs, 1),
          part(b.advantages, 1), part(b.returns, 1), part(b.values, 1), part(b.valid, 1)};
}

/// ppo_update in one process, as update_on_ranks does it on each rank.
PpoStats update_alone(Policy& policy, const PpoConfig& config, const TestBatch& batch) {
  Adam adam = make_adam(policy.params.size(), 1e-2f);
  PpoWorkspace ws = make_ppo_workspace(policy, config, batch.size());
  return ppo_update(policy, adam, config, batch.view(), 11, ws);
}

/// ppo_update on `ranks` thread-ranks, rank r holding parts[r]; every rank's final parameters.
std::vector<Eigen::VectorXf> update_on_ranks(const Policy& initial, const PpoConfig& config,
                                             const std::vector<TestBatch>& parts, std::vector<PpoStats>& stats) {
  const int ranks = static_cast<int>(parts.size());
  std::vector<Eigen::VectorXf> params(parts.size());
  stats.resize(parts.size());
  crashcourse::testing::run_ranks(ranks, [&](std::shared_ptr<Communicator> comm) {
    const std::size_t r = static_cast<std::size_t>(comm->rank());
    Policy policy = initial;
    Adam adam = make_adam(initial.params.size(), 1e-2f);
    PpoWorkspace ws = make_ppo_workspace(initial, config, parts[r].size());
    stats[r] = ppo_update(policy, adam, config, parts[r].view(), rank_seed(11, comm->rank()), ws, {}, comm.get());
    params[r] = policy.params;
  });
  return params;
}

TEST(PpoTest, TwoRanksWithHalfTheDataEachStepAsOneProcessWithAllOfItUpToRounding) {
  // One minibatch per epoch: the global minibatch is then every valid sample on both sides, so
  // the averaged gradient is the one-process gradient but for the order of the sums.
  const Policy initial = make_tiny_policy(14);
  TestBatch batch = collect_batch(initial, 96, 15);
  for (int k : {3, 4, 50, 70, 71, 90}) batch.valid[static_cast<std::size_t>(k)] = 0;  // ranks hold 46 and 44
  PpoConfig config;
  config.epochs = 3;
  config.minibatches = 1;
  config.gradient_chunks = 2;
  Policy alone = initial;
  const PpoStats one = update_alone(alone, config, batch);

  std::vector<PpoStats> stats;
  const std::vector<Eigen::VectorXf> ranks =
      update_on_ranks(initial, config, {slice(batch, 0, 48, initial), slice(batch, 48, 48, initial)}, stats);
  const float moved = (alone.params - initial.params).cwiseAbs().maxCoeff();
  ASSERT_GT(moved, 1e-2f) << "the update did not move the parameters: nothing is compared";
  EXPECT_EQ(std::memcmp(ranks[0].data(), ranks[1].data(), sizeof(float) * initial.params.size()), 0)
      << "the ranks' parameters differ";
  EXPECT_LT((ranks[0] - alone.params).cwiseAbs().maxCoeff(), 1e-4f * moved);
  EXPECT_NEAR(stats[0].policy_loss, one.policy_loss, 1e-5f);
  EXPECT_NEAR(stats[0].value_loss, one.value_loss, 1e-5f * (1.0f + one.value_loss));
  EXPECT_NEAR(stats[0].explained_variance, one.explained_variance, 1e-6f);
  EXPECT_EQ(stats[0].clipfrac, one.clipfrac);
  EXPECT_EQ(stats[1].minibatch_steps, one.minibatch_steps);
}

TEST(PpoTest, ARankWithNoValidSamplesTakesPartAndChangesNothing) {
  const Policy initial = make_tiny_policy(16);
  const TestBatch batch = collect_batch(initial, 40, 17);
  TestBatch idle = collect_batch(initial, 40, 18);
  std::fill(idle.valid.begin(), idle.valid.end(), 0);
  PpoConfig config;
  config.epochs = 2;
  config.minibatches = 4;
  Policy alone = initial;
  const PpoStats one = update_alone(alone, config, batch);

  std::vector<PpoStats> stats;
  const std::vector<Eigen::VectorXf> ranks = update_on_ranks(initial, config, {batch, idle}, stats);
  for (const Eigen::VectorXf& params : ranks) {
    EXPECT_EQ(std::memcmp(params.data(), alone.params.data(), sizeof(float) * initial.params.size()), 0);
  }
  EXPECT_EQ(stats[1].minibatch_steps, one.minibatch_steps);
  EXPECT_EQ(stats[1].policy_loss, one.policy_loss);
  EXPECT_EQ(stats[1].explained_variance, one.explained_variance);
}

TEST(PpoTest, SameSeedSameUpdateDifferentSeedDifferentShuffle) {
  const Policy initial = make_tiny_policy(9);
  const TestBatch batch = collect_batch(initial, 64, 12);
  PpoConfig config;
  config.epochs = 2;
  config.minibatches = 4;
  std::vector<Eigen::VectorXf> results;
  for (std::uint64_t seed : {1u, 1u, 2u}) {
    Policy policy = initial;
    Adam adam = make_adam(policy.params.size(), 1e-2f);
    PpoWorkspace ws = make_ppo_workspace(policy, config, 64);
    ppo_update(policy, adam, config, batch.view(), seed, ws);
    results.push_back(policy.params);
  }
  EXPECT_EQ(results[0], results[1]);
  EXPECT_NE(results[0], results[2]);
}

TEST(PpoTest, InvalidSamplesDoNotInfluenceTheUpdate) {
  const Policy initial = make_tiny_policy(10);
  TestBatch clean = collect_batch(initial, 60, 13);
  for (std::size_t k = 3; k < 60; k += 7) {
    clean.valid[k] = 0;
    clean.advantages[k] = 0.0f;
  }
  TestBatch poisoned = clean;
  const float nan = std::nanf("");
  for (std::size_t k = 0; k < 60; ++k) {
    if (clean.valid[k]) continue;
    for (std::size_t j = 0; j < 3; ++j) poisoned.obs[k * 3 + j] = nan;
    for (std::size_t j = 0; j < 2; ++j) poisoned.actions[k * 2 + j] = nan;
    poisoned.log_probs[k] = poisoned.advantages[k] = poisoned.returns[k] = poisoned.values[k] = nan;
  }
  PpoConfig config;
  config.epochs = 2;
  config.minibatches = 3;
  Policy a = initial;
  Policy b = initial;
  Adam adam_a = make_adam(initial.params.size(), 1e-2f);
  Adam adam_b = make_adam(initial.params.size(), 1e-2f);
  PpoWorkspace ws = make_ppo_workspace(initial, config, 60);
  const PpoStats stats_a = ppo_update(a, adam_a, config, clean.view(), 3, ws);
  const PpoStats stats_b = ppo_update(b, adam_b, config, poisoned.view(), 3, ws);
  EXPECT_TRUE(b.params.allFinite());
  EXPECT_EQ(a.params, b.params);
  EXPECT_EQ(stats_a.explained_variance, stats_b.explained_variance);
}

TEST(PpoTest, TargetKlStopsTheEpochsEarly) {
  Policy policy = make_tiny_policy(11);
  const TestBatch batch = collect_batch(policy, 128, 14);
  PpoConfig config;
  config.epochs = 10;
  config.minibatches = 4;
  config.target_kl = 1e-4f;
  PpoWorkspace ws = make_ppo_workspace(policy, config, 128);
  Adam adam = make_adam(policy.params.size(), 3e-2f);
  const PpoStats stats = ppo_update(policy, adam, config, batch.view(), 15, ws);
  EXPECT_TRUE(stats.early_stopped);
  EXPECT_LT(stats.epochs, 10);
  EXPECT_EQ(stats.minibatch_steps, stats.epochs * 4);
  EXPECT_GT(stats.approx_kl, 1e-4f);
}

TEST(PpoTest, ExplainedVarianceIsOneForPerfectValuesAndZeroForTheirMean) {
  const Policy initial = make_tiny_policy(12);
  TestBatch batch = collect_batch(initial, 32, 16);
  PpoConfig config;
  config.epochs = 0;  // statistics only
  PpoWorkspace ws = make_ppo_workspace(initial, config, 32);
  Policy policy = initial;
  Adam adam = make_adam(policy.params.size(), 1e-3f);
  batch.values = batch.returns;
  EXPECT_NEAR(ppo_update(policy, adam, config, batch.view(), 0, ws).explained_variance, 1.0f,
              1e-6f);
  double mean = 0.0;
  for (float r : batch.returns) mean += r / 32.0;
  for (float& v : batch.values) v = static_cast<float>(mean);
  EXPECT_NEAR(ppo_update(policy, adam, config, batch.view(), 0, ws).explained_variance, 0.0f,
              1e-5f);
}

TEST(PpoTest, UpdateDoesNotAllocateOnceTheWorkspaceExists) {
#ifndef CRASHCOURSE_COUNT_MALLOC
  GTEST_SKIP() << "allocation counting needs glibc's malloc (not a sanitizer's)";
#else
  // Production sizes: 26 observations, 2 actions, 64-64 tanh nets, 2048 samples.
  PolicyConfig policy_config;
  policy_config.obs_dim = 26;
  policy_config.act_dim = 2;
  const Policy initial = make_policy(policy_config, 1);
  const TestBatch batch = collect_batch(initial, 2048, 17);
  for (int minibatches : {32, 4}) {
    PpoConfig config;
    config.epochs = 2;
    config.minibatches = minibatches;
    Policy policy = initial;
    Adam adam = make_adam(policy.params.size(), 3e-4f);
    const long before_workspace = g_mallocs.load();
    PpoWorkspace ws = make_ppo_workspace(policy, config, batch.size());
    ASSERT_GT(g_mallocs.load(), before_workspace) << "the counter does not see allocations";
    const long before = g_mallocs.load();
    const PpoStats stats = ppo_update(policy, adam, config, batch.view(), 1, ws);
    const long after = g_mallocs.load();
    EXPECT_EQ(after - before, 0) << minibatches << " minibatches of " << 2048 / minibatches;
    EXPECT_EQ(stats.minibatch_steps, 2 * minibatches);
  }
#endif
}

TEST(PpoTest, LearnsAOneStepBanditWithinAFewHundredUpdates) {
  // Every episode is one step: reward −(a − a*(o))², then terminated, with the best action
  // a*(o) = 1 + ½ o₀ depending on the observation. The untrained policy's mean is near 0.
  PolicyConfig policy_config;
  policy_config.obs_dim = 2;
  policy_config.act_dim = 1;
  policy_config.hidden = {16, 16};
  Policy policy = make_policy(policy_config, 2);
  PpoConfig config;
  config.epochs = 4;
  config.minibatches = 4;
  const int envs = 128;
  PpoWorkspace ws = make_ppo_workspace(policy, config, envs);
  PolicyWorkspace pws = make_policy_workspace(policy, envs);
  Adam adam = make_adam(policy.params.size(), 3e-3f);
  sim::Rng rng(3);

  TestBatch b;
  b.obs.resize(2 * envs);
  b.actions.resize(envs);
  b.log_probs.resize(envs);
  b.advantages.resize(envs);
  b.returns.resize(envs);
  b.valid.assign(envs, 1);
  std::vector<float> rewards(envs);
  std::vector<float> values(2 * envs, 0.0f);  // row 1 (after the step) is never used: terminated
  const std::vector<std::uint8_t> terminated(envs, 1);
  const std::vector<std::uint8_t> truncated(envs, 0);
  const Eigen::Map<Eigen::MatrixXf> obs(b.obs.data(), 2, envs);
  const Eigen::Map<Eigen::MatrixXf> actions(b.actions.data(), 1, envs);
  const auto reward = [&b](int i) {
    const float error = b.actions[i] - (1.0f + 0.5f * b.obs[2 * i]);
    return -error * error;
  };
  const auto greedy_reward = [&]() {
    for (float& x : b.obs) x = rng.normal();
    act_deterministic(policy, pws, obs, actions);
    double total = 0.0;
    for (int i = 0; i < envs; ++i) total += reward(i);
    return total / envs;
  };
  const double untrained = greedy_reward();

  for (int update = 0; update < 200; ++update) {
    for (float& x : b.obs) x = rng.normal();
    act(policy, pws, obs, rng, actions, Eigen::Map<Eigen::VectorXf>(b.log_probs.data(), envs),
        Eigen::Map<Eigen::VectorXf>(values.data(), envs));
    for (int i = 0; i < envs; ++i) rewards[i] = reward(i);
    compute_gae(GaeConfig{}, 1, envs, rewards, values, terminated, truncated, b.valid, b.advantages,
                b.returns);
    b.values.assign(values.begin(), values.begin() + envs);
    ppo_update(policy, adam, config, b.view(),
               sim::derive_seed(4, static_cast<std::uint64_t>(update)), ws);
  }
  const double trained = greedy_reward();
  EXPECT_LT(untrained, -0.9);
  EXPECT_GT(trained, -0.02);
}

}  // namespace
}  // namespace agent
