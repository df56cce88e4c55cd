#include "agent/running_norm.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "sim/rng.h"

namespace agent {
namespace {

constexpr int kDim = 3;

/// Rows of kDim values with different means and spreads per slot.
std::vector<float> make_data(int rows, std::uint64_t seed) {
  sim::Rng rng(seed);
  std::vector<float> data(rows * kDim);
  for (int k = 0; k < rows; ++k) {
    data[k * kDim + 0] = 5.0f + 2.0f * rng.normal();
    data[k * kDim + 1] = -1.0f + 0.1f * rng.normal();
    data[k * kDim + 2] = 100.0f * rng.uniform();
  }
  return data;
}

/// Feeds data in batches of the given sizes, cycling.
void feed(RunningNorm& norm, const std::vector<float>& data, const std::vector<int>& batch_rows) {
  std::size_t offset = 0;
  for (std::size_t b = 0; offset < data.size(); ++b) {
    const std::size_t rows = static_cast<std::size_t>(batch_rows[b % batch_rows.size()]);
    const std::size_t size = std::min(data.size() - offset, rows * kDim);
    update_running_norm(norm, std::span<const float>(data).subspan(offset, size));
    offset += size;
  }
}

TEST(RunningNormTest, MatchesTwoPassMeanAndVarianceOverUnevenBatches) {
  const std::vector<float> data = make_data(1000, 1);
  RunningNorm norm = make_running_norm(kDim);
  feed(norm, data, {1, 7, 64, 3, 200});
  EXPECT_EQ(norm.count, 1000.0);
  for (int j = 0; j < kDim; ++j) {
    double mean = 0.0;
    for (int k = 0; k < 1000; ++k) mean += data[k * kDim + j];
    mean /= 1000.0;
    double var = 0.0;
    for (int k = 0; k < 1000; ++k) {
      const double d = data[k * kDim + j] - mean;
      var += d * d;
    }
    var /= 1000.0;
    EXPECT_NEAR(norm.mean(j), mean, 1e-9 * (1.0 + std::abs(mean)));
    EXPECT_NEAR(norm.var(j), var, 1e-9 * var);
  }
}

TEST(RunningNormTest, MergingPartsEqualsOnePassOverAll) {
  const std::vector<float> data = make_data(900, 2);
  RunningNorm all = make_running_norm(kDim);
  update_running_norm(all, data);

  // Three "threads" or "ranks", each seeing a slice in its own batch sizes.
  const std::span<const float> whole(data);
  RunningNorm a = make_running_norm(kDim);
  RunningNorm b = make_running_norm(kDim);
  RunningNorm c = make_running_norm(kDim);
  feed(a, std::vector<float>(whole.begin(), whole.begin() + 100 * kDim), {13});
  feed(b, std::vector<float>(whole.begin() + 100 * kDim, whole.begin() + 650 * kDim), {50, 1});
  feed(c, std::vector<float>(whole.begin() + 650 * kDim, whole.end()), {250});
  RunningNorm merged = make_running_norm(kDim);
  merge_running_norm(merged, a);
  merge_running_norm(merged, b);
  merge_running_norm(merged, c);

  EXPECT_EQ(merged.count, all.count);
  for (int j = 0; j < kDim; ++j) {
    EXPECT_NEAR(merged.mean(j), all.mean(j), 1e-9 * (1.0 + std::abs(all.mean(j))));
    EXPECT_NEAR(merged.var(j), all.var(j), 1e-9 * all.var(j));
  }
}

TEST(RunningNormTest, NormalisedDataHasZeroMeanAndUnitVariance) {
  const std::vector<float> data = make_data(500, 3);
  RunningNorm norm = make_running_norm(kDim);
  update_running_norm(norm, data);
  std::vector<float> out(data.size());
  normalize_observations(norm, data, out);
  for (int j = 0; j < kDim; ++j) {
    double mean = 0.0;
    double square = 0.0;
    for (int k = 0; k < 500; ++k) {
      mean += out[k * kDim + j];
      square += out[k * kDim + j] * out[k * kDim + j];
    }
    EXPECT_NEAR(mean / 500.0, 0.0, 1e-4);
    EXPECT_NEAR(square / 500.0, 1.0, 1e-3);
  }
}

TEST(RunningNormTest, ClipsNormalisedValuesToTheClipRange) {
  RunningNorm norm = make_running_norm(1);
  const std::vector<float> data = {-1.0f, 1.0f};  // mean 0, variance 1
  update_running_norm(norm, data);
  const std::vector<float> in = {50.0f, -50.0f, 0.5f};
  std::vector<float> out(3);
  normalize_observations(norm, in, out);
  EXPECT_EQ(out[0], 10.0f);
  EXPECT_EQ(out[1], -10.0f);
  EXPECT_NEAR(out[2], 0.5f, 1e-6f);
}

TEST(RunningNormTest, FrozenStatisticsDoNotMove) {
  RunningNorm norm = make_running_norm(kDim);
  update_running_norm(norm, make_data(100, 4));
  const RunningNorm before = norm;
  norm.frozen = true;
  update_running_norm(norm, make_data(100, 5));
  EXPECT_EQ(norm.count, before.count);
  EXPECT_EQ(norm.mean, before.mean);
  EXPECT_EQ(norm.var, before.var);
}

TEST(RunningNormTest, FreshNormIsTheIdentityAndMergingAnEmptyOneChangesNothing) {
  RunningNorm norm = make_running_norm(kDim);
  const std::vector<float> in = {1.5f, -2.0f, 0.25f};
  std::vector<float> out(3);
  normalize_observations(norm, in, out);
  for (int j = 0; j < kDim; ++j) EXPECT_NEAR(out[j], in[j], 1e-6f);

  update_running_norm(norm, make_data(50, 6));
  const RunningNorm before = norm;
  merge_running_norm(norm, make_running_norm(kDim));
  EXPECT_EQ(norm.count, before.count);
  EXPECT_EQ(norm.mean, before.mean);
  EXPECT_EQ(norm.var, before.var);
}

}  // namespace
}  // namespace agent
