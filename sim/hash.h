// FNV-1a, 64 bit: the one hash of bytes in crashcourse — scenario fingerprints, world-state
// hashes for determinism tests, checkpoint checksums. Each step is a bijection of the state for a
// fixed byte and of the byte for a fixed state, so any single changed byte changes the result.
// Header-only; agent/ uses it too.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sim {

class Fnv1a {
 public:
  /// Adds `size` bytes at `data` to the hash.
  void add(const void* data, std::size_t size) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    for (std::size_t k = 0; k < size; ++k) state_ = (state_ ^ bytes[k]) * kPrime;
  }
  /// Adds the bytes of a trivially copyable value (its bit pattern, e.g. of a float).
  template <class T>
  void add_value(const T& value) { add(&value, sizeof value); }

  std::uint64_t value() const { return state_; }

 private:
  static constexpr std::uint64_t kOffsetBasis = 14695981039346656037ull;
  static constexpr std::uint64_t kPrime = 1099511628211ull;
  std::uint64_t state_ = kOffsetBasis;
};

inline std::uint64_t fnv1a(const void* data, std::size_t size) {
  Fnv1a h;
  h.add(data, size);
  return h.value();
}

}  // namespace sim
