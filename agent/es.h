// Evolution strategies (Salimans, Ho, Chen, Sidor & Sutskever 2017, "Evolution Strategies as a
// Scalable Alternative to Reinforcement Learning"): the update alone, without episodes.
//
// A generation perturbs the parameters θ with P antithetic pairs of Gaussian noise: pair p gives
// members θ + σ ε_p and θ − σ ε_p, with ε_p ~ N(0, I) drawn from the pair's own seed, so a pair is
// named by its seed and its noise is regenerated wherever it is needed — it never travels.
// With F_i the fitness of member i (its mean episode return) the gradient of the expected
// fitness E[F(θ + σ ε)] is estimated as
//   ∇ ≈ 1 / (n σ) · Σ_i u_i ε_i,     n = 2P,  ε_{2p} = ε_p,  ε_{2p+1} = −ε_p
//     = 1 / (2P σ) · Σ_p (u_{2p} − u_{2p+1}) ε_p
// where u_i are centred ranks of the F_i (fitness shaping): the ranks 0 … n − 1 scaled to
// [−0.5, 0.5]. Ranks make the step independent of the scale of the returns and of outliers.
// Adam then minimises −∇ + λ θ (λ: weight decay, which keeps the weights small and the policy
// smooth, as the paper's L2 coefficient). Pairs are summed in index order: the same pairs, seeds
// and returns give the same step bit for bit, whichever process evaluated which member.
#pragma once

#include <Eigen/Core>

#include <cstdint>
#include <span>
#include <vector>

namespace agent {

struct EsConfig {
  int pairs = 32;                  ///< P antithetic pairs: population 2P
  float sigma = 0.02f;             ///< noise scale σ, in parameter units
  float learning_rate = 0.01f;     ///< Adam step size
  int episodes_per_member = 2;     ///< episodes averaged into one member's fitness
  float weight_decay = 0.005f;     ///< λ, L2 coefficient on the perturbed parameters
};

/// Fills noise with ε ~ N(0, I) from the stream `seed` (sim::Rng, one normal per entry in order).
void es_noise(std::uint64_t seed, std::span<float> noise);

/// out = theta + sign · σ · ε(seed): the parameters of a pair's member (sign +1 or −1).
void es_perturb(std::span<const float> theta, std::uint64_t seed, float sigma, int sign, std::span<float> out);

/// Centred ranks: the value of rank k (0 = lowest) among n is k / (n − 1) − 0.5; equal values get
/// the ranks of their order of index; n = 1 gives 0.
std::vector<float> centered_ranks(std::span<const double> fitness);

/// The ascent direction ∇ above, from each pair's seed and the shaped fitness of its members
/// (shaped[2p], shaped[2p + 1]), into gradient (the size of the perturbed parameters).
/// `noise` is scratch of the same size.
void es_gradient(std::span<const std::uint64_t> pair_seeds, std::span<const float> shaped, float sigma,
                 std::span<float> gradient, std::span<float> noise);

}  // namespace agent
