#include "agent/adam.h"

#include <gtest/gtest.h>

#include <cmath>

namespace agent {
namespace {

TEST(AdamTest, MinimisesAnIllConditionedQuadratic) {
  // f(θ) = ½ Σ a_i (θ_i − c_i)², curvatures spanning four orders of magnitude.
  const Eigen::VectorXf a = (Eigen::VectorXf(4) << 100.0f, 1.0f, 0.1f, 0.01f).finished();
  const Eigen::VectorXf c = (Eigen::VectorXf(4) << 1.0f, -2.0f, 0.5f, 3.0f).finished();
  Eigen::VectorXf theta = Eigen::VectorXf::Zero(4);
  Adam adam = make_adam(4, 0.05f);
  Eigen::VectorXf grad(4);
  for (int step = 0; step < 3000; ++step) {
    grad = a.cwiseProduct(theta - c);
    adam_step(adam, theta, grad);
  }
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(theta(i), c(i), 1e-2f) << "coordinate " << i;
  EXPECT_EQ(adam.step, 3000);
}

TEST(AdamTest, FirstStepMovesEveryParameterByTheLearningRateAgainstItsGradient) {
  // After bias correction m̂ = g and √v̂ = |g|, so the first step is lr · g / (|g| + ε).
  Eigen::VectorXf theta = Eigen::VectorXf::Zero(3);
  const Eigen::VectorXf grad = (Eigen::VectorXf(3) << 3.0f, -0.02f, 500.0f).finished();
  Adam adam = make_adam(3, 0.01f);
  adam_step(adam, theta, grad);
  for (int i = 0; i < 3; ++i) {
    const float expected = -0.01f * grad(i) / (std::abs(grad(i)) + 1e-5f);
    EXPECT_NEAR(theta(i), expected, 1e-7f);
  }
}

TEST(AdamTest, LearningRateIsReadAtEveryStep) {
  Eigen::VectorXf theta = Eigen::VectorXf::Zero(1);
  const Eigen::VectorXf grad = Eigen::VectorXf::Ones(1);
  Adam adam = make_adam(1, 0.1f);
  adam_step(adam, theta, grad);
  const float after_first = theta(0);
  adam.learning_rate = 0.0f;  // annealed to zero: the parameters stay put
  adam_step(adam, theta, grad);
  EXPECT_EQ(theta(0), after_first);
  EXPECT_EQ(adam.step, 2);
}

TEST(AdamTest, RestoredStateContinuesIdentically) {
  // The checkpoint contract: (m, v, step) and the parameters are all there is.
  Eigen::VectorXf theta = Eigen::VectorXf::Constant(2, 1.0f);
  Adam adam = make_adam(2, 0.01f);
  const Eigen::VectorXf grad = (Eigen::VectorXf(2) << 0.3f, -1.0f).finished();
  for (int i = 0; i < 5; ++i) adam_step(adam, theta, grad);
  Adam restored = make_adam(2, 0.01f);
  restored.m = adam.m;
  restored.v = adam.v;
  restored.step = adam.step;
  Eigen::VectorXf theta_restored = theta;
  adam_step(adam, theta, grad);
  adam_step(restored, theta_restored, grad);
  EXPECT_EQ(theta, theta_restored);
}

}  // namespace
}  // namespace agent
