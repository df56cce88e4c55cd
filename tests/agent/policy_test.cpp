#include "agent/policy.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace agent {
namespace {

Eigen::MatrixXf random_matrix(Eigen::Index rows, Eigen::Index cols, sim::Rng& rng) {
  Eigen::MatrixXf m(rows, cols);
  for (Eigen::Index j = 0; j < cols; ++j) {
    for (Eigen::Index i = 0; i < rows; ++i) m(i, j) = rng.normal();
  }
  return m;
}

/// A small policy whose log-std differs per dimension, so mistakes in indexing show.
Policy make_test_policy() {
  PolicyConfig config;
  config.obs_dim = 4;
  config.act_dim = 3;
  config.hidden = {8, 8};
  Policy policy = make_policy(config, 5);
  policy.params.segment(policy.log_std_block.offset, 3) << -0.5f, 0.0f, 0.7f;
  return policy;
}

TEST(PolicyTest, ParametersAreActorThenLogStdThenCriticInOneVector) {
  PolicyConfig config;
  config.obs_dim = 26;
  config.act_dim = 2;
  const Policy policy = make_policy(config, 1);
  EXPECT_EQ(policy.actor_block.offset, 0);
  EXPECT_EQ(policy.actor_block.size, mlp_param_count(Mlp{{26, 64, 64, 2}}));
  EXPECT_EQ(policy.log_std_block.offset, policy.actor_block.size);
  EXPECT_EQ(policy.log_std_block.size, 2);
  EXPECT_EQ(policy.critic_block.offset, policy.log_std_block.offset + 2);
  EXPECT_EQ(policy.critic_block.size, mlp_param_count(Mlp{{26, 64, 64, 1}}));
  EXPECT_EQ(policy.params.size(), policy.critic_block.offset + policy.critic_block.size);
}

TEST(PolicyTest, InitialisationStartsCentredWithUnitStd) {
  PolicyConfig config;
  config.obs_dim = 6;
  config.act_dim = 2;
  const Policy policy = make_policy(config, 3);
  PolicyWorkspace ws = make_policy_workspace(policy, 16);
  sim::Rng rng(1);
  const Eigen::MatrixXf obs = random_matrix(6, 16, rng);
  const PolicyOutputs out = policy_forward(policy, ws, obs);
  // Output gain 0.01 on the mean layer: means are tiny compared with σ = 1.
  EXPECT_LT(out.mean.cwiseAbs().maxCoeff(), 0.1f);
  EXPECT_EQ(log_std(policy), Eigen::VectorXf::Zero(2));
}

TEST(PolicyTest, SameSeedSameParametersDifferentSeedDifferent) {
  PolicyConfig config;
  config.obs_dim = 5;
  config.act_dim = 2;
  EXPECT_EQ(make_policy(config, 7).params, make_policy(config, 7).params);
  EXPECT_NE(make_policy(config, 7).params, make_policy(config, 8).params);
}

TEST(PolicyTest, LogProbMatchesClosedFormGaussianDensity) {
  const Policy policy = make_test_policy();
  PolicyWorkspace ws = make_policy_workspace(policy, 10);
  sim::Rng rng(2);
  const Eigen::MatrixXf obs = random_matrix(4, 10, rng);
  const Eigen::MatrixXf actions = 2.0f * random_matrix(3, 10, rng);
  Eigen::VectorXf log_probs(10);
  evaluate_log_probs(policy, ws, obs, actions, log_probs);

  const Eigen::MatrixXf mean = policy_forward(policy, ws, obs).mean;
  for (Eigen::Index k = 0; k < 10; ++k) {
    double expected = 0.0;
    for (Eigen::Index j = 0; j < 3; ++j) {
      const double sigma = std::exp(static_cast<double>(log_std(policy)(j)));
      const double d = actions(j, k) - mean(j, k);
      expected += std::log(std::exp(-d * d / (2.0 * sigma * sigma)) /
                           (sigma * std::sqrt(2.0 * std::numbers::pi)));
    }
    EXPECT_NEAR(log_probs(k), expected, 1e-4 * (1.0 + std::abs(expected)));
  }
}

TEST(PolicyTest, EntropyMatchesClosedFormGaussianEntropy) {
  const Policy policy = make_test_policy();
  // H of N(μ, σ²) is ½ log(2πe σ²) per dimension.
  double expected = 0.0;
  for (Eigen::Index j = 0; j < 3; ++j) {
    const double sigma = std::exp(static_cast<double>(log_std(policy)(j)));
    expected += 0.5 * std::log(2.0 * std::numbers::pi * std::numbers::e * sigma * sigma);
  }
  EXPECT_NEAR(policy_entropy(policy), expected, 1e-5);
}

TEST(PolicyTest, SampledActionsHaveThePolicyMeanAndStd) {
  const Policy policy = make_test_policy();
  const int samples = 20000;
  PolicyWorkspace ws = make_policy_workspace(policy, samples);
  sim::Rng rng(3);
  const Eigen::VectorXf one_obs = random_matrix(4, 1, rng);
  const Eigen::MatrixXf obs = one_obs.replicate(1, samples);
  Eigen::MatrixXf actions(3, samples);
  Eigen::VectorXf log_probs(samples);
  Eigen::VectorXf values(samples);
  act(policy, ws, obs, rng, actions, log_probs, values);

  const Eigen::MatrixXf mean = policy_forward(policy, ws, one_obs).mean;
  const Eigen::VectorXd sample_mean = actions.cast<double>().rowwise().mean();
  for (Eigen::Index j = 0; j < 3; ++j) {
    const double sigma = std::exp(static_cast<double>(log_std(policy)(j)));
    const double variance =
        (actions.row(j).cast<double>().array() - sample_mean(j)).square().mean();
    // Standard errors: σ/√n for the mean, σ²√(2/n) for the variance; allow 5 of them.
    EXPECT_NEAR(sample_mean(j), mean(j, 0), 5.0 * sigma / std::sqrt(samples));
    EXPECT_NEAR(variance, sigma * sigma, 5.0 * sigma * sigma * std::sqrt(2.0 / samples));
  }
}

TEST(PolicyTest, ActReturnsTheLogProbAndValueOfItsOwnSamples) {
  const Policy policy = make_test_policy();
  PolicyWorkspace ws = make_policy_workspace(policy, 12);
  sim::Rng rng(4);
  const Eigen::MatrixXf obs = random_matrix(4, 12, rng);
  Eigen::MatrixXf actions(3, 12);
  Eigen::VectorXf log_probs(12);
  Eigen::VectorXf values(12);
  act(policy, ws, obs, rng, actions, log_probs, values);

  Eigen::VectorXf evaluated(12);
  evaluate_log_probs(policy, ws, obs, actions, evaluated);
  Eigen::VectorXf value_only(12);
  evaluate_values(policy, ws, obs, value_only);
  for (Eigen::Index k = 0; k < 12; ++k) {
    EXPECT_NEAR(log_probs(k), evaluated(k), 1e-5f);
    EXPECT_EQ(values(k), value_only(k));
  }
}

TEST(PolicyTest, SamplingIsDeterministicForASeed) {
  const Policy policy = make_test_policy();
  PolicyWorkspace ws = make_policy_workspace(policy, 6);
  sim::Rng obs_rng(5);
  const Eigen::MatrixXf obs = random_matrix(4, 6, obs_rng);
  Eigen::MatrixXf a(3, 6);
  Eigen::MatrixXf b(3, 6);
  Eigen::MatrixXf c(3, 6);
  Eigen::VectorXf log_probs(6);
  Eigen::VectorXf values(6);
  sim::Rng rng_a(42);
  sim::Rng rng_b(42);
  sim::Rng rng_c(43);
  act(policy, ws, obs, rng_a, a, log_probs, values);
  act(policy, ws, obs, rng_b, b, log_probs, values);
  act(policy, ws, obs, rng_c, c, log_probs, values);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(PolicyTest, DeterministicActionIsTheMean) {
  const Policy policy = make_test_policy();
  PolicyWorkspace ws = make_policy_workspace(policy, 5);
  sim::Rng rng(6);
  const Eigen::MatrixXf obs = random_matrix(4, 5, rng);
  Eigen::MatrixXf actions(3, 5);
  act_deterministic(policy, ws, obs, actions);
  const Eigen::MatrixXf mean = policy_forward(policy, ws, obs).mean;
  EXPECT_EQ(actions, mean);
}

}  // namespace
}  // namespace agent
