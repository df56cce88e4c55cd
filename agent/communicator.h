// Communicator: the few collective operations data-parallel training needs from the processes it
// runs on, so the trainer and the PPO update are written once for one process and for K MPI
// ranks. SingleProcess is the one-rank implementation (every operation is the identity); the MPI
// one lives in dist/ and is built only when CMake finds MPI.
//
// Every rank calls every collective in the same order with the same sizes. Results that every
// rank uses are the same on every rank bit for bit: sums of floats are MPI_Allreduce's (the same
// reduction tree on every rank for a given K and message size), and everything merged from
// gather_all is merged in rank order by the caller.
//
// Statistics (advantage normalisation, explained variance, observation and return normalisers)
// are merged across ranks with Chan et al.'s formula (running_norm.h).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "agent/running_norm.h"

namespace agent {

class Communicator {
 public:
  virtual ~Communicator() = default;

  /// This process's rank in [0, size()), and the number of ranks.
  virtual int rank() const = 0;
  virtual int size() const = 0;

  /// Element-wise sum over the ranks, in place; the same result on every rank.
  virtual void sum(std::span<float> values) = 0;

  /// Every rank's `mine` (the same length on every rank), rank after rank: size()·mine.size()
  /// values, valid until the next call.
  virtual std::span<const double> gather_all(std::span<const double> mine) = 0;

  /// Every rank's `values` become root's (the same length on every rank).
  virtual void broadcast(std::span<double> values, int root) = 0;

  /// On rank 0, every rank's bytes in rank order; elsewhere nothing.
  virtual std::vector<std::vector<std::byte>> gather_to_root(std::span<const std::byte> mine) = 0;

  /// Wall-clock seconds spent inside collectives so far (0 for one process).
  virtual double seconds() const = 0;

  /// Ends every rank of the job at once with `status`: how a rank that fails alone stops the
  /// others rather than leaving them waiting in a collective.
  [[noreturn]] virtual void abort(int status) = 0;
};

/// One process, one rank: every collective is the identity and costs nothing.
class SingleProcess final : public Communicator {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  void sum(std::span<float>) override {}
  std::span<const double> gather_all(std::span<const double> mine) override { return mine; }
  void broadcast(std::span<double>, int) override {}
  std::vector<std::vector<std::byte>> gather_to_root(std::span<const std::byte> mine) override {
    return {std::vector<std::byte>(mine.begin(), mine.end())};
  }
  double seconds() const override { return 0.0; }
  [[noreturn]] void abort(int status) override { std::exit(status); }
};

/// Replaces each of `moments` (this rank's) by the merge over every rank, rank 0 first, so a
/// single rank keeps its own moments bit for bit. One gather_all of 3 doubles per entry.
void merge_moments_over_ranks(Communicator& comm, std::span<Moments> moments);

/// A 64-bit value as two doubles (each 32-bit half is exact in a double), for gather_all; and back.
std::array<double, 2> u64_as_doubles(std::uint64_t value);
std::uint64_t u64_from_doubles(double high, double low);

/// Every rank's value (a hash, a fingerprint), in rank order, on every rank.
std::vector<std::uint64_t> gather_u64(Communicator& comm, std::uint64_t mine);

/// The seed of a per-rank random stream: rank 0 keeps `seed`, so a one-rank run draws exactly
/// what a run without MPI draws; rank r > 0 gets a stream derived from (seed, r).
std::uint64_t rank_seed(std::uint64_t seed, int rank);

}  // namespace agent
