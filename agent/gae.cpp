// GAE(λ) backward recursion over a [T][N] rollout with next-step autoreset (see gae.h).
#include "agent/gae.h"

#include <cassert>

namespace agent {

void compute_gae(const GaeConfig& config, int steps, int envs, std::span<const float> rewards,
                 std::span<const float> values, std::span<const std::uint8_t> terminated,
                 std::span<const std::uint8_t> truncated, std::span<const std::uint8_t> valid,
                 std::span<float> advantages, std::span<float> returns) {
  [[maybe_unused]] const std::size_t n =
      static_cast<std::size_t>(steps) * static_cast<std::size_t>(envs);
  assert(rewards.size() == n && terminated.size() == n && truncated.size() == n);
  assert(valid.size() == n && advantages.size() == n && returns.size() == n);
  assert(values.size() == n + static_cast<std::size_t>(envs));
  const float gamma = config.gamma;
  const float gamma_lambda = config.gamma * config.lambda;

  // Env by env, so the carry is one float; the rows are strided by N.
  for (int i = 0; i < envs; ++i) {
    float carry = 0.0f;
    for (int t = steps - 1; t >= 0; --t) {
      const std::size_t k = static_cast<std::size_t>(t) * envs + i;
      const float v = values[k];
      const float v_next = values[k + envs];
      float advantage = 0.0f;
      if (!valid[k]) {
        advantage = 0.0f;  // reset step: no action was taken
      } else if (terminated[k]) {
        advantage = rewards[k] - v;
      } else if (truncated[k]) {
        advantage = rewards[k] + gamma * v_next - v;
      } else {
        advantage = rewards[k] + gamma * v_next - v + gamma_lambda * carry;
      }
      carry = advantage;
      advantages[k] = advantage;
      returns[k] = advantage + v;
    }
  }
}

}  // namespace agent
