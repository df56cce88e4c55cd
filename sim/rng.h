// Rng: a small, fast, portable random stream with its own uniform and normal samplers.
// std:: distributions differ between standard libraries, so results would not be reproducible;
// these are defined bit for bit here. Streams derive from (seed, index) as envpool does, so env i
// of a VecEnv draws the same numbers whatever thread runs it. Header-only; agent/ uses it too.
#pragma once

#include <cmath>
#include <cstdint>

namespace sim {

/// SplitMix64 finaliser: a bijective 64-bit mix, used to derive well-spread seeds.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

/// Seed of stream `index` under `seed` (env i of a VecEnv, minibatch shuffles, ...).
constexpr std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t index) {
  return mix64(mix64(seed) ^ mix64(index + 0x632BE59BD9B4E019ull));
}

/// xoshiro256** (Blackman & Vigna): 256-bit state, period 2^256 - 1, passes BigCrush.
class Rng {
 public:
  /// Everything that determines the rest of the stream: saving and restoring it continues the
  /// stream bit for bit (checkpoints, episode replays).
  struct State {
    std::uint64_t words[4]{};
    float spare = 0.0f;
    bool has_spare = false;
    bool operator==(const State&) const = default;
  };

  explicit Rng(std::uint64_t seed = 0) { reseed(seed); }
  explicit Rng(const State& state) { set_state(state); }

  State state() const { return {{s_[0], s_[1], s_[2], s_[3]}, spare_, has_spare_}; }
  void set_state(const State& state) {
    for (int i = 0; i < 4; ++i) s_[i] = state.words[i];
    spare_ = state.spare;
    has_spare_ = state.has_spare;
  }

  void reseed(std::uint64_t seed) {
    std::uint64_t x = seed;
    for (std::uint64_t& word : s_) {
      x += 0x9E3779B97F4A7C15ull;
      word = mix64(x);
    }
    has_spare_ = false;
  }

  std::uint64_t next_u64() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// Uniform in [0, 1), 24 random bits (every float in the range is exactly representable).
  float uniform() { return static_cast<float>(next_u64() >> 40) * 0x1.0p-24f; }

  /// Uniform in [lo, hi).
  float uniform(float lo, float hi) { return lo + (hi - lo) * uniform(); }

  /// Uniform integer in [0, n), n > 0 (Lemire's multiply-shift; bias below 2^-32 for n < 2^32).
  std::uint32_t below(std::uint32_t n) {
    return static_cast<std::uint32_t>(((next_u64() >> 32) * static_cast<std::uint64_t>(n)) >> 32);
  }

  /// Standard normal, Box–Muller in double precision (both outputs used).
  float normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    // u1 in (0, 1] so the log is finite.
    const double u1 = (static_cast<double>(next_u64() >> 11) + 1.0) * 0x1.0p-53;
    const double u2 = static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
    const double r = std::sqrt(-2.0 * std::log(u1));
    const double theta = 6.283185307179586 * u2;
    spare_ = static_cast<float>(r * std::sin(theta));
    has_spare_ = true;
    return static_cast<float>(r * std::cos(theta));
  }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  std::uint64_t s_[4]{};
  float spare_ = 0.0f;
  bool has_spare_ = false;
};

}  // namespace sim
