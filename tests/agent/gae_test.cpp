#include "agent/gae.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/rng.h"

namespace agent {
namespace {

struct Rollout {
  int steps = 0;
  int envs = 0;
  std::vector<float> rewards;
  std::vector<float> values;  // (steps + 1) rows
  std::vector<std::uint8_t> terminated;
  std::vector<std::uint8_t> truncated;
  std::vector<std::uint8_t> valid;
};

/// Random rollout obeying next-step autoreset: the step after any episode end is invalid with
/// reward 0; the first step may be invalid too (the previous rollout ended an episode).
Rollout make_random_rollout(int steps, int envs, std::uint64_t seed) {
  sim::Rng rng(seed);
  Rollout r;
  r.steps = steps;
  r.envs = envs;
  const std::size_t n = steps * envs;
  r.rewards.resize(n);
  r.values.resize(n + envs);
  r.terminated.assign(n, 0);
  r.truncated.assign(n, 0);
  r.valid.assign(n, 1);
  for (float& v : r.values) v = rng.normal();
  for (int i = 0; i < envs; ++i) {
    bool reset_next = rng.uniform() < 0.3f;
    for (int t = 0; t < steps; ++t) {
      const std::size_t k = t * envs + i;
      if (reset_next) {
        r.valid[k] = 0;
        r.rewards[k] = 0.0f;
        reset_next = false;
        continue;
      }
      r.rewards[k] = rng.normal();
      const float u = rng.uniform();
      if (u < 0.06f) {
        r.terminated[k] = 1;
      } else if (u < 0.12f) {
        r.truncated[k] = 1;
      } else if (u < 0.14f) {
        r.terminated[k] = r.truncated[k] = 1;  // both: counts as terminated
      }
      reset_next = r.terminated[k] || r.truncated[k];
    }
  }
  return r;
}

/// The definition, not the recursion: A_t = Σ_l (γλ)^l δ_{t+l}, walking forward from t to the
/// step that ends the episode (or the rollout's last step).
std::vector<double> reference_advantages(const Rollout& r, double gamma, double lambda) {
  std::vector<double> adv(r.rewards.size(), 0.0);
  for (int i = 0; i < r.envs; ++i) {
    for (int t = 0; t < r.steps; ++t) {
      const std::size_t k0 = t * r.envs + i;
      if (!r.valid[k0]) continue;
      double sum = 0.0;
      double weight = 1.0;
      for (int u = t; u < r.steps; ++u) {
        const std::size_t k = u * r.envs + i;
        const double v = r.values[k];
        const double v_next = r.values[k + r.envs];
        const bool ends = r.terminated[k] || r.truncated[k];
        const double delta = r.terminated[k] ? r.rewards[k] - v : r.rewards[k] + gamma * v_next - v;
        sum += weight * delta;
        if (ends) break;
        weight *= gamma * lambda;
      }
      adv[k0] = sum;
    }
  }
  return adv;
}

void run_gae(const GaeConfig& config, const Rollout& r, std::vector<float>& adv,
             std::vector<float>& ret) {
  adv.assign(r.rewards.size(), -99.0f);
  ret.assign(r.rewards.size(), -99.0f);
  compute_gae(config, r.steps, r.envs, r.rewards, r.values, r.terminated, r.truncated, r.valid, adv,
              ret);
}

TEST(GaeTest, MatchesDiscountedSumOfTdErrorsWithTerminationsTruncationsAndResets) {
  const Rollout r = make_random_rollout(64, 7, 123);
  int terminations = 0;
  int truncations = 0;
  int invalid = 0;
  for (std::size_t k = 0; k < r.valid.size(); ++k) {
    terminations += r.terminated[k];
    truncations += r.truncated[k] && !r.terminated[k];
    invalid += !r.valid[k];
  }
  ASSERT_GT(terminations, 5);  // the random rollout exercises every branch
  ASSERT_GT(truncations, 5);
  ASSERT_GT(invalid, 10);

  const GaeConfig config{0.97f, 0.9f};
  std::vector<float> adv;
  std::vector<float> ret;
  run_gae(config, r, adv, ret);
  const std::vector<double> expected = reference_advantages(r, 0.97, 0.9);
  for (std::size_t k = 0; k < adv.size(); ++k) {
    EXPECT_NEAR(adv[k], expected[k], 1e-4 * (1.0 + std::abs(expected[k]))) << "sample " << k;
    EXPECT_FLOAT_EQ(ret[k], adv[k] + r.values[k]) << "sample " << k;
  }
}

TEST(GaeTest, InvalidStepsHaveZeroAdvantage) {
  const Rollout r = make_random_rollout(32, 4, 9);
  std::vector<float> adv;
  std::vector<float> ret;
  run_gae(GaeConfig{}, r, adv, ret);
  for (std::size_t k = 0; k < adv.size(); ++k) {
    if (!r.valid[k]) {
      EXPECT_EQ(adv[k], 0.0f);
    }
  }
}

TEST(GaeTest, HandCheckedTerminationStopsBootstrapAndCarry) {
  // One env, γ = λ = ½. Step 1 terminates, step 2 is the reset step, step 3 runs on.
  Rollout r;
  r.steps = 4;
  r.envs = 1;
  r.rewards = {1, 6, 0, 4};
  r.values = {1, 2, 3, 4, 8};
  r.terminated = {0, 1, 0, 0};
  r.truncated = {0, 0, 0, 0};
  r.valid = {1, 1, 0, 1};
  std::vector<float> adv;
  std::vector<float> ret;
  run_gae(GaeConfig{0.5f, 0.5f}, r, adv, ret);
  // t=3: δ = 4 + ½·8 − 4 = 4, carry 0            → A = 4
  // t=2: reset step                               → A = 0
  // t=1: terminated: δ = 6 − 2 = 4, no bootstrap → A = 4
  // t=0: δ = 1 + ½·2 − 1 = 1, + ¼·4               → A = 2
  EXPECT_EQ(adv, (std::vector<float>{2, 4, 0, 4}));
  EXPECT_EQ(ret, (std::vector<float>{3, 6, 3, 8}));
}

TEST(GaeTest, HandCheckedTruncationBootstrapsFromTheFinalObservation) {
  // Step 1 hits the time limit; values[2] is V of its final observation.
  Rollout r;
  r.steps = 3;
  r.envs = 1;
  r.rewards = {1, 1, 0};
  r.values = {0, 2, 6, 10};
  r.terminated = {0, 0, 0};
  r.truncated = {0, 1, 0};
  r.valid = {1, 1, 0};
  std::vector<float> adv;
  std::vector<float> ret;
  run_gae(GaeConfig{0.5f, 0.5f}, r, adv, ret);
  // t=2: reset step                                → A = 0 (values[3] is never used)
  // t=1: truncated: δ = 1 + ½·6 − 2 = 2, no carry   → A = 2
  // t=0: δ = 1 + ½·2 − 0 = 2, + ¼·2                 → A = 2.5
  EXPECT_EQ(adv, (std::vector<float>{2.5f, 2, 0}));
  EXPECT_EQ(ret, (std::vector<float>{2.5f, 4, 6}));
}

TEST(GaeTest, EpisodeEndStopsTheCarryEvenWhenTheNextStepIsValid) {
  // With next-step autoreset the step after an episode end is invalid, which already zeroes the
  // carry; the rule does not rely on it. Here step 1 follows a truncation yet is valid.
  Rollout r;
  r.steps = 2;
  r.envs = 1;
  r.rewards = {1, 1};
  r.values = {0, 4, 2};
  r.terminated = {0, 0};
  r.truncated = {1, 0};
  r.valid = {1, 1};
  std::vector<float> adv;
  std::vector<float> ret;
  run_gae(GaeConfig{0.5f, 0.5f}, r, adv, ret);
  // t=1: δ = 1 + ½·2 − 4 = −2                      → A = −2
  // t=0: truncated: δ = 1 + ½·4 − 0 = 3, no carry  → A = 3
  EXPECT_EQ(adv, (std::vector<float>{3, -2}));
}

TEST(GaeTest, EnvsAreIndependentColumns) {
  const Rollout both = make_random_rollout(20, 2, 77);
  std::vector<float> adv;
  std::vector<float> ret;
  run_gae(GaeConfig{}, both, adv, ret);
  for (int i = 0; i < 2; ++i) {
    Rollout one;
    one.steps = 20;
    one.envs = 1;
    for (int t = 0; t <= 20; ++t) {
      const std::size_t k = t * 2 + i;
      one.values.push_back(both.values[k]);
      if (t == 20) break;
      one.rewards.push_back(both.rewards[k]);
      one.terminated.push_back(both.terminated[k]);
      one.truncated.push_back(both.truncated[k]);
      one.valid.push_back(both.valid[k]);
    }
    std::vector<float> adv_one;
    std::vector<float> ret_one;
    run_gae(GaeConfig{}, one, adv_one, ret_one);
    for (int t = 0; t < 20; ++t) EXPECT_EQ(adv_one[t], adv[t * 2 + i]);
  }
}

}  // namespace
}  // namespace agent
