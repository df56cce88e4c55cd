// Moments merged across ranks, per-rank seeds (see communicator.h).
#include "agent/communicator.h"

#include <cassert>

#include "sim/rng.h"

namespace agent {

void merge_moments_over_ranks(Communicator& comm, std::span<Moments> moments) {
  if (comm.size() == 1) return;
  static_assert(sizeof(Moments) == 3 * sizeof(double));
  const std::span<const double> mine(reinterpret_cast<const double*>(moments.data()), 3 * moments.size());
  const std::span<const double> all = comm.gather_all(mine);
  assert(all.size() == mine.size() * static_cast<std::size_t>(comm.size()));
  for (std::size_t k = 0; k < moments.size(); ++k) {
    Moments merged{all[3 * k], all[3 * k + 1], all[3 * k + 2]};
    for (int r = 1; r < comm.size(); ++r) {
      const std::size_t at = static_cast<std::size_t>(r) * mine.size() + 3 * k;
      merge_moments(merged, Moments{all[at], all[at + 1], all[at + 2]});
    }
    moments[k] = merged;
  }
}

std::array<double, 2> u64_as_doubles(std::uint64_t value) {
  return {static_cast<double>(value >> 32), static_cast<double>(value & 0xFFFFFFFFull)};
}

std::uint64_t u64_from_doubles(double high, double low) {
  return (static_cast<std::uint64_t>(high) << 32) | static_cast<std::uint64_t>(low);
}

std::vector<std::uint64_t> gather_u64(Communicator& comm, std::uint64_t mine) {
  const std::array<double, 2> halves = u64_as_doubles(mine);
  const std::span<const double> all = comm.gather_all(halves);
  std::vector<std::uint64_t> values;
  for (std::size_t k = 0; k + 1 < all.size(); k += 2) values.push_back(u64_from_doubles(all[k], all[k + 1]));
  return values;
}

std::uint64_t rank_seed(std::uint64_t seed, int rank) {
  return rank == 0 ? seed : sim::derive_seed(seed, 0x5EED0000ull + static_cast<std::uint64_t>(rank));
}

}  // namespace agent
