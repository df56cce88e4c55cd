// VecEnv: contiguous slices of envs per thread, next-step autoreset.
#include "sim/vec_env.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cassert>
#include <numeric>

#include "sim/rng.h"

namespace sim {

VecEnv::VecEnv(std::shared_ptr<const Scenario> scenario, std::shared_ptr<const Track> track,
               int num_envs, int num_threads)
    : pool_(num_threads < 1 ? 1 : num_threads) {
  assert(num_envs >= 1);
  envs_.reserve(static_cast<std::size_t>(num_envs));
  for (int i = 0; i < num_envs; ++i) envs_.emplace_back(scenario, track);
  agents_ = envs_.front().agents();
  obs_size_ = envs_.front().observation_size();
  order_.resize(static_cast<std::size_t>(num_envs));
  std::iota(order_.begin(), order_.end(), 0);
  place_.assign(static_cast<std::size_t>(num_envs), 0);
}

void VecEnv::reset(std::uint64_t seed, std::span<float> obs, int first_index) {
  const std::size_t d = static_cast<std::size_t>(obs_size_) * static_cast<std::size_t>(agents_);
  pool_.parallel_for(num_envs(), [&](int begin, int end) {
    for (int i = begin; i < end; ++i) {
      envs_[static_cast<std::size_t>(i)].reset(derive_seed(seed, static_cast<std::uint64_t>(first_index + i)),
                                               obs.subspan(static_cast<std::size_t>(i) * d, d));
    }
  });
}

void VecEnv::reset_each(std::span<const std::uint64_t> seeds, std::span<float> obs) {
  assert(seeds.size() == envs_.size());
  const std::size_t d = static_cast<std::size_t>(obs_size_);
  pool_.parallel_for(num_envs(), [&](int begin, int end) {
    for (int i = begin; i < end; ++i) {
      const std::size_t k = static_cast<std::size_t>(i);
      envs_[k].reset(seeds[k], obs.subspan(k * d, d));
    }
  });
}

void VecEnv::step(std::span<const float> actions, const VecStepOutput& out, std::span<const EpisodeStart> starts,
                  std::span<const std::uint8_t> paused) {
  assert(paused.empty() || paused.size() == envs_.size());
  const std::size_t d = static_cast<std::size_t>(obs_size_);
  const std::size_t a = static_cast<std::size_t>(action_size());
  const std::size_t agents = static_cast<std::size_t>(agents_);
  if (envs_.size() > 1) sort_by_place();
  pool_.parallel_for(num_envs(), [&](int begin, int end) {
    for (int item = begin; item < end; ++item) {
      const int i = order_[static_cast<std::size_t>(item)];
      if (!paused.empty() && paused[static_cast<std::size_t>(i)]) continue;
      Env& env = envs_[static_cast<std::size_t>(i)];
      const std::size_t first = static_cast<std::size_t>(i) * agents;  // the env's first slot
      std::span<float> obs = out.obs.subspan(first * d, agents * d);
      if (env.done()) {
        const std::size_t e = static_cast<std::size_t>(i);
        const EpisodeStart* start = e < starts.size() && starts[e].from ? &starts[e] : nullptr;
        if (!start || !env.start_from(*start->from, start->steps, obs)) env.reset(obs);
        for (std::size_t k = first; k < first + agents; ++k) {
          out.reward[k] = 0.0f;
          out.terminated[k] = 0;
          out.truncated[k] = 0;
          out.reset[k] = 1;
          out.info[k] = StepInfo{};
        }
      } else {
        // Scratch of this thread, which stays in its cache; one array per slot would be two more
        // cold lines per env step once there are more envs than the cache holds.
        thread_local std::array<StepResult, kMaxAgents> scratch;
        const std::span<StepResult> results(scratch.data(), agents);
        env.step(actions.subspan(first * a, agents * a), obs, results);
        for (std::size_t k = first; k < first + agents; ++k) {
          const StepResult& r = results[k - first];
          out.reward[k] = r.reward;
          out.terminated[k] = r.terminated ? 1 : 0;
          out.truncated[k] = r.truncated ? 1 : 0;
          out.reset[k] = 0;
          out.info[k] = r.info;
        }
      }
      place_[static_cast<std::size_t>(i)] = env.world().cars.front().segment;
    }
  });
}

void VecEnv::sort_by_place() {
  const int n = num_envs();
  const int parts = pool_.size();
  for (int p = 0; p < parts; ++p) {
    const auto [begin, end] = ThreadPool::share(n, p, parts);
    std::sort(order_.begin() + begin, order_.begin() + end, [&](int a, int b) {
      const int pa = place_[static_cast<std::size_t>(a)], pb = place_[static_cast<std::size_t>(b)];
      return pa != pb ? pa < pb : a < b;
    });
  }
}

std::vector<EpisodeRecord> VecEnv::records() const {
  std::vector<EpisodeRecord> out;
  out.reserve(envs_.size());
  for (const Env& env : envs_) out.push_back(env.record());
  return out;
}

int VecEnv::restore(const std::vector<EpisodeRecord>& records, std::span<float> obs) {
  if (records.size() != envs_.size()) return 0;
  const std::size_t d = static_cast<std::size_t>(obs_size_) * static_cast<std::size_t>(agents_);
  std::atomic<int> first_bad{num_envs()};
  pool_.parallel_for(num_envs(), [&](int begin, int end) {
    for (int i = begin; i < end; ++i) {
      const std::size_t k = static_cast<std::size_t>(i);
      if (!envs_[k].replay(records[k], obs.subspan(k * d, d))) {
        int seen = first_bad.load();
        while (i < seen && !first_bad.compare_exchange_weak(seen, i)) {}
      }
    }
  });
  return first_bad.load() == num_envs() ? -1 : first_bad.load();
}

}  // namespace sim
