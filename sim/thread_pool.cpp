// ThreadPool: generation counter to start jobs, pending counter to finish them; both spin a
// little, then sleep with C++20 atomic wait/notify (futex on Linux).
#include "sim/thread_pool.h"

namespace sim {
namespace {

// A waiting thread first spins (a few µs: the usual wait between two steps), then yields its
// core to any runnable thread — on a loaded machine that is often the very thread it waits for,
// preempted — and after ≈ tens of µs sleeps on a futex.
constexpr int kSpinIterations = 500;
constexpr int kYieldIterations = 4000;

inline void backoff(int spin) {
  if (spin < kSpinIterations) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  } else {
    std::this_thread::yield();
  }
}

}  // namespace

ThreadPool::ThreadPool(int threads) : shares_(static_cast<std::size_t>(threads < 1 ? 1 : threads)) {
  for (int part = 1; part < threads; ++part) workers_.emplace_back([this, part] { worker_loop(part); });
}

ThreadPool::~ThreadPool() {
  stop_.store(true, std::memory_order_release);
  generation_.fetch_add(1, std::memory_order_acq_rel);
  generation_.notify_all();
  for (std::thread& t : workers_) t.join();
}

int ThreadPool::take(std::atomic<std::uint64_t>& range, bool own) {
  std::uint64_t seen = range.load(std::memory_order_relaxed);
  for (;;) {
    const auto next = static_cast<std::uint32_t>(seen >> 32);
    const auto end = static_cast<std::uint32_t>(seen);
    if (next >= end) return -1;
    const std::uint64_t after = own ? pack(next + 1, end) : pack(next, end - 1);
    if (range.compare_exchange_weak(seen, after, std::memory_order_relaxed)) {
      return static_cast<int>(own ? next : end - 1);
    }
  }
}

void ThreadPool::run_erased(void* fn, Trampoline call) {
  job_ = fn;
  call_ = call;
  pending_.store(static_cast<int>(workers_.size()), std::memory_order_relaxed);
  generation_.fetch_add(1, std::memory_order_release);  // publishes job_, call_, pending_
  generation_.notify_all();

  call(fn, 0);

  for (int spin = 0; pending_.load(std::memory_order_acquire) != 0; ++spin) {
    if (spin < kYieldIterations) {
      backoff(spin);
    } else {
      const int left = pending_.load(std::memory_order_acquire);
      if (left != 0) pending_.wait(left, std::memory_order_acquire);
    }
  }
}

void ThreadPool::worker_loop(int part) {
  std::uint32_t seen = 0;
  for (;;) {
    for (int spin = 0; generation_.load(std::memory_order_acquire) == seen; ++spin) {
      if (spin < kYieldIterations) {
        backoff(spin);
      } else {
        generation_.wait(seen, std::memory_order_acquire);
      }
    }
    seen = generation_.load(std::memory_order_acquire);
    if (stop_.load(std::memory_order_acquire)) return;
    call_(job_, part);
    if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) pending_.notify_one();
  }
}

}  // namespace sim
