// ThreadPool: a fixed set of threads that run one parallel job at a time, with the calling thread
// taking part. Built for the step loop: no allocation and no std::function per job, workers spin
// briefly before sleeping (a VecEnv step lasts tens to hundreds of microseconds).
#pragma once

#include <atomic>
#include <cstdint>
#include <thread>
#include <utility>
#include <vector>

namespace sim {

class ThreadPool {
 public:
  /// `threads` ≥ 1 counts the caller: threads − 1 workers are started.
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return static_cast<int>(workers_.size()) + 1; }

  /// Items [begin, end) of [0, n) that thread `part` of `parts` owns in parallel_for.
  static std::pair<int, int> share(int n, int part, int parts) {
    return {static_cast<int>(static_cast<std::int64_t>(n) * part / parts),
            static_cast<int>(static_cast<std::int64_t>(n) * (part + 1) / parts)};
  }

  /// Calls fn(part) for every part in [0, size()), part 0 on the calling thread, and returns when
  /// all have finished. fn must not throw.
  template <class F>
  void run(F&& fn) {
    if (workers_.empty()) {
      fn(0);
      return;
    }
    run_erased(&fn, [](void* f, int part) { (*static_cast<F*>(f))(part); });
  }

  /// Calls fn(begin, end) over ranges that together cover [0, n) once. Each thread owns a
  /// contiguous share and works through it item by item; a thread that finishes its share early
  /// takes single items from the end of the others' shares, so one slow item (an env reset, a long
  /// ray) does not leave the other threads idle, and an item stays on its owner's core (and in its
  /// cache) unless that owner falls behind. fn must not care which thread runs an item.
  template <class F>
  void parallel_for(int n, F&& fn) {
    const int parts = size();
    if (parts == 1 || n <= 1) {
      if (n > 0) fn(0, n);
      return;
    }
    // share[p] = {next, end}: the owner takes from next upwards; a thief takes end - 1 downwards.
    // Both move through one 64-bit word, so an item is taken exactly once.
    Share* shares = shares_.data();  // one per thread: parts == size()
    for (int p = 0; p < parts; ++p) {
      const auto [begin, end] = share(n, p, parts);
      shares[p].range.store(pack(static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end)),
                            std::memory_order_relaxed);
    }
    run([&](int part) {
      for (int k = 0; k < parts; ++k) {
        const int p = (part + k) % parts;
        const bool own = k == 0;
        for (;;) {
          const int item = take(shares[p].range, own);
          if (item < 0) break;
          fn(item, item + 1);
        }
      }
    });
  }

 private:
  struct alignas(64) Share {
    std::atomic<std::uint64_t> range{0};
  };
  static std::uint64_t pack(std::uint32_t next, std::uint32_t end) {
    return (static_cast<std::uint64_t>(next) << 32) | end;
  }
  /// One item from a share: the first (own) or the last (steal); -1 when the share is empty.
  static int take(std::atomic<std::uint64_t>& range, bool own);

  using Trampoline = void (*)(void*, int);
  void run_erased(void* fn, Trampoline call);
  void worker_loop(int part);

  std::vector<std::thread> workers_;
  void* job_ = nullptr;
  Trampoline call_ = nullptr;
  std::atomic<std::uint32_t> generation_{0};  ///< bumped to start a job
  std::atomic<int> pending_{0};               ///< workers still running the current job
  std::atomic<bool> stop_{false};
  std::vector<Share> shares_;  ///< one per thread, for parallel_for
};

}  // namespace sim
