// The driver of the stepping benchmarks: N envs of a VecEnv with seeded wandering actions, each
// held for 10 steps (steer in ±0.6, throttle 0.2–0.8), so crashes and resets happen as they do
// early in training. Owns the step's output buffers, as a trainer would.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/hash.h"
#include "sim/rng.h"
#include "sim/vec_env.h"

namespace bench {

class WanderingDriver {
 public:
  explicit WanderingDriver(sim::VecEnv& vec, std::uint64_t seed = 7)
      : vec_(vec),
        n_(static_cast<std::size_t>(vec.num_slots())),
        obs_(n_ * static_cast<std::size_t>(vec.observation_size())),
        reward_(n_),
        actions_(n_ * sim::VecEnv::action_size()),
        terminated_(n_),
        truncated_(n_),
        reset_(n_),
        info_(n_),
        rng_(seed) {
    vec_.reset(seed, obs_);
  }

  /// One VecEnv step.
  void step() {
    if (t_++ % 10 == 0) {
      for (std::size_t i = 0; i < n_; ++i) {
        actions_[2 * i] = rng_.uniform(-0.6f, 0.6f);
        actions_[2 * i + 1] = rng_.uniform(0.2f, 0.8f);
      }
    }
    vec_.step(actions_, {obs_, reward_, terminated_, truncated_, reset_, info_});
  }

  /// FNV-1a of the last step's outputs (every slot's observation, reward and flags), bit for bit.
  std::uint64_t output_hash() const {
    sim::Fnv1a h;
    h.add(obs_.data(), obs_.size() * sizeof(float));
    h.add(reward_.data(), reward_.size() * sizeof(float));
    h.add(terminated_.data(), n_);
    h.add(truncated_.data(), n_);
    h.add(reset_.data(), n_);
    return h.value();
  }

  /// Episodes the last step started.
  int started() const {
    int n = 0;
    for (const std::uint8_t r : reset_) n += r;
    return n;
  }

 private:
  sim::VecEnv& vec_;
  std::size_t n_;
  std::vector<float> obs_, reward_, actions_;
  std::vector<std::uint8_t> terminated_, truncated_, reset_;
  std::vector<sim::StepInfo> info_;
  sim::Rng rng_;
  std::int64_t t_ = 0;
};

}  // namespace bench
