// K ranks as K threads of one test process: an agent::Communicator whose collectives meet at a
// barrier and reduce in rank order, so the distributed trainer and PPO update are tested without
// mpirun (the MPI implementation itself is tested end to end in tests/app).
#pragma once

#include <algorithm>
#include <barrier>
#include <cstddef>
#include <cstdlib>
#include <exception>
#include <functional>
#include <memory>
#include <span>
#include <thread>
#include <vector>

#include "agent/communicator.h"

namespace crashcourse::testing {

/// What the K ranks share: one slot per rank and a barrier.
struct RankTable {
  explicit RankTable(int size) : barrier(size), floats(static_cast<std::size_t>(size)),
      doubles(static_cast<std::size_t>(size)), bytes(static_cast<std::size_t>(size)) {}
  std::barrier<> barrier;
  std::vector<std::vector<float>> floats;
  std::vector<std::vector<double>> doubles;
  std::vector<std::vector<std::byte>> bytes;
};

class ThreadRank final : public agent::Communicator {
 public:
  ThreadRank(RankTable& table, int rank) : table_(table), rank_(rank) {}
  int rank() const override { return rank_; }
  int size() const override { return static_cast<int>(table_.floats.size()); }

  void sum(std::span<float> values) override {
    table_.floats[me()].assign(values.begin(), values.end());
    table_.barrier.arrive_and_wait();
    for (std::size_t k = 0; k < values.size(); ++k) {
      float total = table_.floats[0][k];
      for (std::size_t r = 1; r < table_.floats.size(); ++r) total += table_.floats[r][k];
      values[k] = total;
    }
    table_.barrier.arrive_and_wait();  // nobody writes a slot before everyone has read
  }

  std::span<const double> gather_all(std::span<const double> mine) override {
    table_.doubles[me()].assign(mine.begin(), mine.end());
    table_.barrier.arrive_and_wait();
    gathered_.clear();
    for (const std::vector<double>& part : table_.doubles) gathered_.insert(gathered_.end(), part.begin(), part.end());
    table_.barrier.arrive_and_wait();
    return gathered_;
  }

  void broadcast(std::span<double> values, int root) override {
    if (rank_ == root) table_.doubles[me()].assign(values.begin(), values.end());
    table_.barrier.arrive_and_wait();
    if (rank_ != root) {
      const std::vector<double>& from = table_.doubles[static_cast<std::size_t>(root)];
      std::copy(from.begin(), from.end(), values.begin());
    }
    table_.barrier.arrive_and_wait();
  }

  std::vector<std::vector<std::byte>> gather_to_root(std::span<const std::byte> mine) override {
    table_.bytes[me()].assign(mine.begin(), mine.end());
    table_.barrier.arrive_and_wait();
    std::vector<std::vector<std::byte>> parts;
    if (rank_ == 0) parts = table_.bytes;
    table_.barrier.arrive_and_wait();
    return parts;
  }

  double seconds() const override { return 0.0; }
  [[noreturn]] void abort(int) override { std::abort(); }

 private:
  std::size_t me() const { return static_cast<std::size_t>(rank_); }
  RankTable& table_;
  int rank_;
  std::vector<double> gathered_;
};

/// Runs body(rank's communicator) on `size` threads, one per rank, and waits for them all.
/// A rank that throws fails the test after the others finish (they must not wait for it).
inline void run_ranks(int size, const std::function<void(std::shared_ptr<agent::Communicator>)>& body) {
  RankTable table(size);
  std::vector<std::thread> threads;
  std::vector<std::exception_ptr> errors(static_cast<std::size_t>(size));
  for (int r = 0; r < size; ++r) {
    threads.emplace_back([&, r] {
      try {
        body(std::make_shared<ThreadRank>(table, r));
      } catch (...) {
        errors[static_cast<std::size_t>(r)] = std::current_exception();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

}  // namespace crashcourse::testing
