// Evolution strategies' update: centred ranks of known fitness, antithetic members regenerated
// from their seed, the gradient of one pair, and the whole update climbing a quadratic.
#include "agent/es.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "agent/adam.h"
#include "support/same_bits.h"

namespace agent {
namespace {

using sim::testing::same_bits;

TEST(EsTest, CenteredRanksOfKnownFitness) {
  const std::vector<double> fitness = {3.0, -1.0, 10.0, 0.0};
  const std::vector<float> shaped = centered_ranks(fitness);
  ASSERT_EQ(shaped.size(), 4u);
  EXPECT_FLOAT_EQ(shaped[0], 2.0f / 3.0f - 0.5f);
  EXPECT_FLOAT_EQ(shaped[1], -0.5f);
  EXPECT_FLOAT_EQ(shaped[2], 0.5f);
  EXPECT_FLOAT_EQ(shaped[3], 1.0f / 3.0f - 0.5f);
}

TEST(EsTest, CenteredRanksIgnoreScaleAndOutliersAndSumToZero) {
  const std::vector<float> a = centered_ranks(std::vector<double>{1.0, 2.0, 3.0, 4.0, 5.0});
  const std::vector<float> b = centered_ranks(std::vector<double>{-1e9, 0.0, 0.5, 0.6, 1e12});
  EXPECT_EQ(a, b);
  float sum = 0.0f;
  for (const float v : a) sum += v;
  EXPECT_NEAR(sum, 0.0f, 1e-6f);
}

TEST(EsTest, EqualFitnessIsRankedByIndexAndOneMemberGetsZero) {
  EXPECT_EQ(centered_ranks(std::vector<double>{7.0, 7.0}), (std::vector<float>{-0.5f, 0.5f}));
  EXPECT_EQ(centered_ranks(std::vector<double>{7.0}), (std::vector<float>{0.0f}));
}

TEST(EsTest, AntitheticMembersAreThetaPlusAndMinusTheNoiseOfTheirSeed) {
  const std::vector<float> theta = {0.5f, -1.0f, 2.0f, 0.0f, 3.25f};
  const float sigma = 0.1f;
  std::vector<float> plus(theta.size()), minus(theta.size()), noise(theta.size());
  es_perturb(theta, 42, sigma, +1, plus);
  es_perturb(theta, 42, sigma, -1, minus);
  es_noise(42, noise);  // regenerated from the seed alone
  for (std::size_t k = 0; k < theta.size(); ++k) {
    EXPECT_TRUE(same_bits(plus[k], theta[k] + sigma * noise[k]));
    EXPECT_TRUE(same_bits(minus[k], theta[k] - sigma * noise[k]));
  }
  std::vector<float> other(theta.size());
  es_noise(43, other);
  EXPECT_NE(noise, other) << "another pair's seed must give other noise";
}

TEST(EsTest, NoiseIsStandardNormal) {
  std::vector<float> noise(200'000);
  es_noise(7, noise);
  double sum = 0.0, squares = 0.0;
  for (const float e : noise) {
    sum += e;
    squares += static_cast<double>(e) * e;
  }
  const double n = static_cast<double>(noise.size());
  EXPECT_NEAR(sum / n, 0.0, 0.01);
  EXPECT_NEAR(squares / n, 1.0, 0.02);
}

TEST(EsTest, ABetterPlusMemberPointsTheGradientAlongItsNoise) {
  const std::vector<std::uint64_t> seeds = {9};
  const float sigma = 0.05f;
  std::vector<float> gradient(6), scratch(6), noise(6);
  es_noise(9, noise);
  es_gradient(seeds, centered_ranks(std::vector<double>{2.0, 1.0}), sigma, gradient, scratch);
  // (u+ − u−) / (2 σ) ε = 1 / (2 σ) ε
  for (std::size_t k = 0; k < noise.size(); ++k) EXPECT_FLOAT_EQ(gradient[k], noise[k] / (2.0f * sigma));
  es_gradient(seeds, centered_ranks(std::vector<double>{1.0, 2.0}), sigma, gradient, scratch);
  for (std::size_t k = 0; k < noise.size(); ++k) EXPECT_FLOAT_EQ(gradient[k], -noise[k] / (2.0f * sigma));
}

TEST(EsTest, TheUpdateClimbsAQuadratic) {
  // Fitness −|θ − target|² in 20 dimensions: ES with Adam must close most of the distance.
  const int dim = 20, pairs = 16;
  std::vector<float> target(dim);
  for (int k = 0; k < dim; ++k) target[static_cast<std::size_t>(k)] = std::sin(static_cast<float>(k));
  Eigen::VectorXf theta = Eigen::VectorXf::Zero(dim);
  const auto distance = [&] {
    double d = 0.0;
    for (int k = 0; k < dim; ++k) d += std::pow(theta[k] - target[static_cast<std::size_t>(k)], 2.0);
    return std::sqrt(d);
  };
  const double start = distance();
  Adam adam = make_adam(dim, 0.05f);
  std::vector<float> member(dim), gradient(dim), scratch(dim);
  for (int generation = 0; generation < 150; ++generation) {
    std::vector<std::uint64_t> seeds;
    std::vector<double> fitness;
    for (int p = 0; p < pairs; ++p) {
      seeds.push_back(1000 * static_cast<std::uint64_t>(generation) + static_cast<std::uint64_t>(p));
      for (const int sign : {1, -1}) {
        es_perturb(std::span<const float>(theta.data(), dim), seeds.back(), 0.05f, sign, member);
        double f = 0.0;
        for (int k = 0; k < dim; ++k) f -= std::pow(member[static_cast<std::size_t>(k)] - target[static_cast<std::size_t>(k)], 2.0);
        fitness.push_back(f);
      }
    }
    es_gradient(seeds, centered_ranks(fitness), 0.05f, gradient, scratch);
    const Eigen::VectorXf loss_gradient = -Eigen::Map<const Eigen::VectorXf>(gradient.data(), dim);
    adam_step(adam, theta, loss_gradient);
  }
  EXPECT_LT(distance(), 0.1 * start) << "from " << start;
}

}  // namespace
}  // namespace agent
