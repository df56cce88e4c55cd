// Generalised advantage estimation, GAE(λ) (Schulman et al. 2016), for rollouts collected with
// Gymnasium 1.x next-step autoreset.
//
// Arrays are [T][N] row-major (step t of env i at t*N + i); values has T+1 rows.
//
// Next-step autoreset: when step t ends an episode (terminated or truncated), the observation
// returned by step t is the episode's final observation. At step t+1 the env ignores the action,
// resets, and returns the first observation of the next episode with reward 0; that step is
// marked valid[t+1] = 0 and is excluded from the loss. Hence values[t+1] is always V of the
// observation that followed step t — including the final observation of a truncated episode,
// which is what a time-limit bootstrap needs — and values[T] is V of the observation after the
// rollout's last step.
//
// The recursion, for t = T−1 … 0, per env, with carry = 0 before t = T−1:
//   if !valid[t]:           A_t = 0                                   carry = 0
//   else if terminated[t]:  δ_t = r_t − V_t,             A_t = δ_t    (the future is worth 0)
//   else if truncated[t]:   δ_t = r_t + γ V_{t+1} − V_t, A_t = δ_t    (bootstrap from the final
//                                                        observation; do not carry across the end)
//   else:                   δ_t = r_t + γ V_{t+1} − V_t, A_t = δ_t + γλ carry
//   carry = A_t;  R_t = A_t + V_t (the value target).
// Unrolled inside one episode this is A_t = Σ_l (γλ)^l δ_{t+l}, the sum stopping at the step that
// ends the episode or at T−1. A step both terminated and truncated counts as terminated. Under
// next-step autoreset the step after an episode end is invalid, which zeroes the carry anyway;
// the rule does not depend on that, so a wrongly flagged rollout cannot leak across episodes.
#pragma once

#include <cstdint>
#include <span>

namespace agent {

struct GaeConfig {
  float gamma = 0.99f;   ///< discount per step
  float lambda = 0.95f;  ///< GAE trade-off: 0 = one-step TD, 1 = Monte Carlo
};

/// Fills advantages and returns ([T][N]) from rewards, flags ([T][N], 0 or 1) and values
/// ([T+1][N]). No allocation.
void compute_gae(const GaeConfig& config, int steps, int envs, std::span<const float> rewards,
                 std::span<const float> values, std::span<const std::uint8_t> terminated,
                 std::span<const std::uint8_t> truncated, std::span<const std::uint8_t> valid,
                 std::span<float> advantages, std::span<float> returns);

}  // namespace agent
