// ThreadPool: a fixed set of threads that run one parallel job at a time, with the calling thread
// taking part. Built for the step loop: no allocation and no std::function per job, workers spin
// briefly before sleeping (a VecEnv step lasts tens to hundreds of microseconds).
#pragma once

#include <atomic>
#include <cstdint>
#include <thread>
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

  /// Calls fn(begin, end) over [0, n) cut into size() contiguous ranges.
  template <class F>
  void parallel_for(int n, F&& fn) {
    const int parts = size();
    run([&](int part) {
      const int begin = static_cast<int>(static_cast<std::int64_t>(n) * part / parts);
      const int end = static_cast<int>(static_cast<std::int64_t>(n) * (part + 1) / parts);
      if (begin < end) fn(begin, end);
    });
  }

 private:
  using Trampoline = void (*)(void*, int);
  void run_erased(void* fn, Trampoline call);
  void worker_loop(int part);

  std::vector<std::thread> workers_;
  void* job_ = nullptr;
  Trampoline call_ = nullptr;
  std::atomic<std::uint32_t> generation_{0};  ///< bumped to start a job
  std::atomic<int> pending_{0};               ///< workers still running the current job
  std::atomic<bool> stop_{false};
};

}  // namespace sim
