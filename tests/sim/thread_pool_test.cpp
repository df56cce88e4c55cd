#include "sim/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
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

TEST(ThreadPoolTest, AnIdleThreadTakesItemsFromABusyThreadsShare) {
  // Items 0-3 are the caller's share and 4-7 the worker's. Item 0 holds the caller until item 3
  // has run: only the worker, having finished its own share, can run it. Without stealing the
  // wait would give up (after 10 s, so a broken pool fails instead of hanging).
  ThreadPool pool(2);
  std::vector<std::atomic<int>> ran(8);
  bool stolen = false;
  pool.parallel_for(8, [&](int begin, int end) {
    for (int i = begin; i < end; ++i) {
      if (i == 0) {
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (ran[3].load() == 0 && std::chrono::steady_clock::now() < give_up) std::this_thread::yield();
        stolen = ran[3].load() == 1;
      }
      ++ran[static_cast<std::size_t>(i)];
    }
  });
  EXPECT_TRUE(stolen);
  for (auto& r : ran) EXPECT_EQ(r.load(), 1);
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
