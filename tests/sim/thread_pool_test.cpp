#include "sim/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

namespace sim {
namespace {

TEST(ThreadPoolTest, EveryPartRunsExactlyOnceEachJob) {
  for (int threads : {1, 2, 4}) {
    ThreadPool pool(threads);
    std::vector<std::atomic<int>> hits(static_cast<std::size_t>(threads));
    for (int job = 0; job < 1000; ++job) pool.run([&](int part) { ++hits[static_cast<std::size_t>(part)]; });
    for (auto& h : hits) EXPECT_EQ(h.load(), 1000);
  }
}

TEST(ThreadPoolTest, ParallelForCoversTheRangeWithoutOverlap) {
  ThreadPool pool(3);
  for (int n : {0, 1, 2, 5, 64, 1001}) {
    std::vector<int> seen(static_cast<std::size_t>(n), 0);
    pool.parallel_for(n, [&](int begin, int end) {
      for (int i = begin; i < end; ++i) ++seen[static_cast<std::size_t>(i)];
    });
    for (int v : seen) EXPECT_EQ(v, 1);
  }
}

TEST(ThreadPoolTest, RunReturnsOnlyWhenAllPartsHaveFinished) {
  ThreadPool pool(2);
  std::atomic<int> done{0};
  for (int job = 0; job < 200; ++job) {
    pool.run([&](int part) {
      if (part == 1) {
        volatile int sink = 0;
        for (int k = 0; k < 20000; ++k) sink = sink + k;
      }
      ++done;
    });
    EXPECT_EQ(done.load(), 2 * (job + 1));
  }
}

}  // namespace
}  // namespace sim
