// Evolution strategies: noise from seeds, centred ranks, the gradient estimate (see es.h).
#include "agent/es.h"

#include <algorithm>
#include <cassert>
#include <numeric>

#include "sim/rng.h"

namespace agent {

void es_noise(std::uint64_t seed, std::span<float> noise) {
  sim::Rng rng(seed);
  for (float& e : noise) e = rng.normal();
}

void es_perturb(std::span<const float> theta, std::uint64_t seed, float sigma, int sign, std::span<float> out) {
  assert(theta.size() == out.size() && (sign == 1 || sign == -1));
  es_noise(seed, out);
  const float scale = static_cast<float>(sign) * sigma;
  for (std::size_t k = 0; k < out.size(); ++k) out[k] = theta[k] + scale * out[k];
}

std::vector<float> centered_ranks(std::span<const double> fitness) {
  const std::size_t n = fitness.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return fitness[a] < fitness[b]; });
  std::vector<float> shaped(n, 0.0f);
  if (n < 2) return shaped;
  for (std::size_t rank = 0; rank < n; ++rank) {
    shaped[order[rank]] = static_cast<float>(static_cast<double>(rank) / static_cast<double>(n - 1) - 0.5);
  }
  return shaped;
}

void es_gradient(std::span<const std::uint64_t> pair_seeds, std::span<const float> shaped, float sigma,
                 std::span<float> gradient, std::span<float> noise) {
  assert(shaped.size() == 2 * pair_seeds.size() && noise.size() == gradient.size());
  std::fill(gradient.begin(), gradient.end(), 0.0f);
  const float scale = 1.0f / (static_cast<float>(shaped.size()) * sigma);
  for (std::size_t p = 0; p < pair_seeds.size(); ++p) {
    const float weight = (shaped[2 * p] - shaped[2 * p + 1]) * scale;
    if (weight == 0.0f) continue;  // equal fitness: this pair says nothing about the direction
    es_noise(pair_seeds[p], noise);
    for (std::size_t k = 0; k < gradient.size(); ++k) gradient[k] += weight * noise[k];
  }
}

}  // namespace agent
