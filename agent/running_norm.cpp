// Running observation statistics: two-pass batch moments merged by Chan et al.'s formula.
#include "agent/running_norm.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace agent {
namespace {

/// Folds (count_b, mean_b, var_b) into slot j of norm's statistics, whose count is count_a.
/// merge_moments' formula in terms of variances, written out: routed through merge_moments the
/// compiler contracts it into other fused multiply-adds, and one-process runs would round
/// differently from those of earlier builds.
void merge_slot(RunningNorm& norm, Eigen::Index j, double count_a, double count_b, double mean_b,
                double var_b) {
  const double total = count_a + count_b;
  const double delta = mean_b - norm.mean(j);
  const double m2 =
      norm.var(j) * count_a + var_b * count_b + delta * delta * count_a * count_b / total;
  norm.mean(j) += delta * count_b / total;
  norm.var(j) = m2 / total;
}

}  // namespace

void merge_moments(Moments& a, const Moments& b) {
  if (b.count == 0.0) return;
  const double total = a.count + b.count;
  const double delta = b.mean - a.mean;
  a.m2 = a.m2 + b.m2 + delta * delta * a.count * b.count / total;
  a.mean += delta * b.count / total;
  a.count = total;
}

RunningNorm make_running_norm(int dim) {
  RunningNorm norm;
  norm.mean = Eigen::VectorXd::Zero(dim);
  norm.var = Eigen::VectorXd::Ones(dim);
  return norm;
}

void update_running_norm(RunningNorm& norm, std::span<const float> batch) {
  if (norm.frozen) return;
  const Eigen::Index dim = norm.mean.size();
  assert(dim > 0 && batch.size() % static_cast<std::size_t>(dim) == 0);
  const Eigen::Index rows = static_cast<Eigen::Index>(batch.size()) / dim;
  if (rows == 0) return;
  const double count_b = static_cast<double>(rows);

  // Slot by slot, so the batch moments need no buffer: mean first, then squared deviations.
  for (Eigen::Index j = 0; j < dim; ++j) {
    double sum = 0.0;
    for (Eigen::Index k = 0; k < rows; ++k) sum += batch[k * dim + j];
    const double mean_b = sum / count_b;
    double squares = 0.0;
    for (Eigen::Index k = 0; k < rows; ++k) {
      const double d = batch[k * dim + j] - mean_b;
      squares += d * d;
    }
    merge_slot(norm, j, norm.count, count_b, mean_b, squares / count_b);
  }
  norm.count += count_b;
}

void merge_running_norm(RunningNorm& norm, const RunningNorm& other) {
  assert(norm.mean.size() == other.mean.size());
  if (other.count == 0.0) return;
  for (Eigen::Index j = 0; j < norm.mean.size(); ++j) {
    merge_slot(norm, j, norm.count, other.count, other.mean(j), other.var(j));
  }
  norm.count += other.count;
}

void normalize_observations(const RunningNorm& norm, std::span<const float> in,
                            std::span<float> out) {
  const Eigen::Index dim = norm.mean.size();
  assert(in.size() == out.size() && in.size() % static_cast<std::size_t>(dim) == 0);
  const Eigen::Index rows = static_cast<Eigen::Index>(in.size()) / dim;
  for (Eigen::Index k = 0; k < rows; ++k) {
    for (Eigen::Index j = 0; j < dim; ++j) {
      const double x = (in[k * dim + j] - norm.mean(j)) / std::sqrt(norm.var(j) + norm.epsilon);
      out[k * dim + j] = std::clamp(static_cast<float>(x), -norm.clip, norm.clip);
    }
  }
}

}  // namespace agent
