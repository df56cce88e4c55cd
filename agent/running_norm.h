// RunningNorm: per-slot running mean and variance of observations, and the normalisation
// clip((x − mean) / √(var + ε), −clip, +clip) the policy sees (Gymnasium's NormalizeObservation
// followed by CleanRL's clip to ±10).
//
// Statistics merge with the parallel formula of Chan, Golub & LeVeque (1979): for two sets with
// counts n_a, n_b, means μ_a, μ_b and population variances σ²_a, σ²_b,
//   n   = n_a + n_b
//   δ   = μ_b − μ_a
//   μ   = μ_a + δ n_b / n
//   M2  = σ²_a n_a + σ²_b n_b + δ² n_a n_b / n      (sum of squared deviations)
//   σ²  = M2 / n
// Merging is exact in exact arithmetic and order-independent up to rounding, so statistics
// gathered per thread or per MPI rank combine into the one-pass statistics of all the data.
// A batch update is "two-pass statistics of the batch, then merge". State is kept in double: the
// count reaches 10⁸ and float means would drift.
#pragma once

#include <Eigen/Core>

#include <span>

namespace agent {

/// Count, mean and M2 (the sum of squared deviations) of a set of numbers.
struct Moments {
  double count = 0.0;
  double mean = 0.0;
  double m2 = 0.0;
};

/// Chan et al.'s merge: a becomes the moments of both sets.
void merge_moments(Moments& a, const Moments& b);

struct RunningNorm {
  Eigen::VectorXd mean;   ///< per observation slot
  Eigen::VectorXd var;    ///< population variance per slot (1 before any data)
  double count = 0.0;     ///< observation vectors seen
  float clip = 10.0f;     ///< normalised values are clamped to ±clip
  float epsilon = 1e-8f;  ///< added to var before the square root
  bool frozen = false;    ///< when set, update_running_norm leaves the statistics as they are
};

/// Mean 0, variance 1, count 0 for `dim` slots.
RunningNorm make_running_norm(int dim);

/// Adds a batch of observations ([B][dim] row-major) to the statistics, unless frozen (evaluation
/// normalises with the training statistics and must not move them). No allocation.
void update_running_norm(RunningNorm& norm, std::span<const float> batch);

/// Merges other's statistics into norm (Chan et al.); the result is as if norm had seen both sets.
void merge_running_norm(RunningNorm& norm, const RunningNorm& other);

/// out = clip((x − mean) / √(var + ε)) for a batch ([B][dim] row-major); in and out may alias.
void normalize_observations(const RunningNorm& norm, std::span<const float> in,
                            std::span<float> out);

}  // namespace agent
