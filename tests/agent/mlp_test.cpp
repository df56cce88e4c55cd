#include "agent/mlp.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace agent {
namespace {

std::vector<float> random_vector(std::size_t size, float scale, sim::Rng& rng) {
  std::vector<float> v(size);
  for (float& x : v) x = scale * rng.normal();
  return v;
}

Eigen::MatrixXf random_matrix(Eigen::Index rows, Eigen::Index cols, float scale, sim::Rng& rng) {
  Eigen::MatrixXf m(rows, cols);
  for (Eigen::Index j = 0; j < cols; ++j) {
    for (Eigen::Index i = 0; i < rows; ++i) m(i, j) = scale * rng.normal();
  }
  return m;
}

/// L = Σ R ⊙ net(X), accumulated in double: a scalar loss with dL/dY = R.
double projected_output(const Mlp& mlp, std::span<const float> params, MlpWorkspace& ws,
                        const Eigen::MatrixXf& x, const Eigen::MatrixXf& r) {
  const Eigen::Map<const Eigen::MatrixXf> y = mlp_forward(mlp, params, ws, x);
  return (r.cast<double>().array() * y.cast<double>().array()).sum();
}

// Central differences in float: h balances truncation (O(h²)) against rounding (O(ε_f/h)).
constexpr float kStep = 3e-3f;

bool near(double numeric, double analytic) {
  return std::abs(numeric - analytic) <= 2e-3 + 1e-2 * std::abs(analytic);
}

TEST(MlpTest, ParamCountIsWeightsPlusBiasesOfEveryLayer) {
  const Mlp mlp{{26, 64, 64, 2}};
  EXPECT_EQ(mlp_param_count(mlp), 26 * 64 + 64 + 64 * 64 + 64 + 64 * 2 + 2);
}

TEST(MlpTest, BackwardMatchesCentralDifferencesForEveryWeightBiasAndInput) {
  const Mlp mlp{{5, 7, 6, 3}};
  const int batch = 4;
  sim::Rng rng(11);
  std::vector<float> params = random_vector(mlp_param_count(mlp), 0.6f, rng);
  const Eigen::MatrixXf x = random_matrix(5, batch, 1.0f, rng);
  const Eigen::MatrixXf r = random_matrix(3, batch, 1.0f, rng);
  MlpWorkspace ws = make_mlp_workspace(mlp, batch);

  std::vector<float> grad(params.size(), 0.0f);
  Eigen::MatrixXf d_x(5, batch);
  mlp_forward(mlp, params, ws, x);
  mlp_backward(mlp, params, ws, r, grad, d_x);

  // Every parameter, named by layer and whether it is in W or b.
  std::size_t index = 0;
  for (std::size_t l = 1; l < mlp.sizes.size(); ++l) {
    const std::size_t weights = mlp.sizes[l] * mlp.sizes[l - 1];
    const std::size_t biases = mlp.sizes[l];
    for (std::size_t k = 0; k < weights + biases; ++k, ++index) {
      const float saved = params[index];
      params[index] = saved + kStep;
      const double plus = projected_output(mlp, params, ws, x, r);
      params[index] = saved - kStep;
      const double minus = projected_output(mlp, params, ws, x, r);
      params[index] = saved;
      const double numeric = (plus - minus) / (2.0 * kStep);
      const std::string what = (k < weights ? "W_" : "b_") + std::to_string(l) + "[" +
                               std::to_string(k < weights ? k : k - weights) + "]";
      EXPECT_TRUE(near(numeric, grad[index]))
          << what << ": numeric " << numeric << " analytic " << grad[index];
    }
  }
  ASSERT_EQ(index, params.size());

  Eigen::MatrixXf x_moved = x;
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      x_moved(i, j) = x(i, j) + kStep;
      const double plus = projected_output(mlp, params, ws, x_moved, r);
      x_moved(i, j) = x(i, j) - kStep;
      const double minus = projected_output(mlp, params, ws, x_moved, r);
      x_moved(i, j) = x(i, j);
      const double numeric = (plus - minus) / (2.0 * kStep);
      EXPECT_TRUE(near(numeric, d_x(i, j)))
          << "dL/dX(" << i << "," << j << "): numeric " << numeric << " analytic " << d_x(i, j);
    }
  }
}

TEST(MlpTest, BackwardAccumulatesIntoTheGradient) {
  const Mlp mlp{{3, 4, 2}};
  sim::Rng rng(2);
  const std::vector<float> params = random_vector(mlp_param_count(mlp), 0.5f, rng);
  const Eigen::MatrixXf x = random_matrix(3, 5, 1.0f, rng);
  const Eigen::MatrixXf d_y = random_matrix(2, 5, 1.0f, rng);
  MlpWorkspace ws = make_mlp_workspace(mlp, 5);

  std::vector<float> once(params.size(), 0.0f);
  std::vector<float> twice(params.size(), 0.0f);
  mlp_forward(mlp, params, ws, x);
  mlp_backward(mlp, params, ws, d_y, once);
  mlp_backward(mlp, params, ws, d_y, twice);
  mlp_backward(mlp, params, ws, d_y, twice);
  for (std::size_t i = 0; i < params.size(); ++i) EXPECT_NEAR(twice[i], 2.0f * once[i], 1e-5f);
}

TEST(MlpTest, BatchedForwardEqualsOneSampleAtATime) {
  const Mlp mlp{{6, 8, 8, 2}};
  sim::Rng rng(3);
  const std::vector<float> params = random_vector(mlp_param_count(mlp), 0.5f, rng);
  const Eigen::MatrixXf x = random_matrix(6, 9, 1.0f, rng);
  MlpWorkspace ws = make_mlp_workspace(mlp, 9);
  const Eigen::MatrixXf batched = mlp_forward(mlp, params, ws, x);
  for (Eigen::Index k = 0; k < x.cols(); ++k) {
    const Eigen::MatrixXf single = mlp_forward(mlp, params, ws, x.col(k));
    for (Eigen::Index i = 0; i < 2; ++i) EXPECT_NEAR(single(i, 0), batched(i, k), 1e-5f);
  }
}

TEST(MlpTest, InitIsOrthogonalTimesGainWithZeroBiases) {
  const Mlp mlp{{26, 64, 2}};
  std::vector<float> params(mlp_param_count(mlp), 1.0f);
  sim::Rng rng(4);
  init_mlp(mlp, params, 1.5f, 0.01f, rng);

  // Tall hidden W_1 (64 × 26): orthonormal columns, WᵀW = gain² I.
  const Eigen::Map<const Eigen::MatrixXf> w1(params.data(), 64, 26);
  const Eigen::MatrixXf gram1 = w1.transpose() * w1;
  EXPECT_TRUE(gram1.isApprox(2.25f * Eigen::MatrixXf::Identity(26, 26), 1e-4f));
  const Eigen::Map<const Eigen::VectorXf> b1(params.data() + 64 * 26, 64);
  EXPECT_EQ(b1.cwiseAbs().maxCoeff(), 0.0f);

  // Wide output W_2 (2 × 64): orthonormal rows, W Wᵀ = gain² I.
  const Eigen::Map<const Eigen::MatrixXf> w2(params.data() + 64 * 27, 2, 64);
  const Eigen::MatrixXf gram2 = w2 * w2.transpose();
  EXPECT_TRUE(gram2.isApprox(1e-4f * Eigen::MatrixXf::Identity(2, 2), 1e-4f));
  const Eigen::Map<const Eigen::VectorXf> b2(params.data() + 64 * 27 + 128, 2);
  EXPECT_EQ(b2.cwiseAbs().maxCoeff(), 0.0f);
}

TEST(MlpTest, InitDependsOnlyOnTheRngStream) {
  const Mlp mlp{{4, 8, 3}};
  const std::size_t count = mlp_param_count(mlp);
  std::vector<float> a(count);
  std::vector<float> b(count);
  std::vector<float> c(count);
  sim::Rng rng_a(9);
  sim::Rng rng_b(9);
  sim::Rng rng_c(10);
  init_mlp(mlp, a, 1.4f, 1.0f, rng_a);
  init_mlp(mlp, b, 1.4f, 1.0f, rng_b);
  init_mlp(mlp, c, 1.4f, 1.0f, rng_c);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

}  // namespace
}  // namespace agent
