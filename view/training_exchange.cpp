// The mutex-guarded hand-over between the training thread and the window (see training_exchange.h).
#include "view/training_exchange.h"

#include <algorithm>
#include <utility>

#include "sim/car.h"

namespace view {
namespace {

/// Moves from's items to the end of to, leaving from empty. Usually the window has drained `to`
/// since the last hand-over, and a swap moves everything in O(1).
template <class T>
void append_or_swap(std::vector<T>& to, std::vector<T>& from) {
  if (to.empty()) {
    std::swap(to, from);
  } else {
    to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
  }
  from.clear();
}

/// Drops the oldest items beyond the latest n.
template <class T>
void keep_latest(std::vector<T>& items, std::size_t n) {
  if (items.size() > n) items.erase(items.begin(), items.end() - static_cast<std::ptrdiff_t>(n));
}

}  // namespace

void TrainingExchange::hand_over() {
  if (!staged_) return;
  std::swap(snapshot_, staged_snapshot_);  // O(1): the parameter vectors swap their buffers
  snapshot_.version = staged_snapshot_.version + 1;
  staged_snapshot_.version = snapshot_.version;
  feed_.status = staged_feed_.status;
  append_or_swap(feed_.crashes, staged_feed_.crashes);
  append_or_swap(feed_.crash_recordings, staged_feed_.crash_recordings);
  keep_latest(feed_.crash_recordings, kFeedRecordings);
  append_or_swap(feed_.iterations, staged_feed_.iterations);
  std::swap(feed_.cars, staged_feed_.cars);
  staged_ = false;
}

void TrainingExchange::publish_policy(const agent::Policy& policy, const agent::RunningNorm& obs_norm,
                                      std::int64_t global_step, std::int64_t iteration, double seconds) {
  std::lock_guard lock(mutex_);
  snapshot_.policy = policy;
  snapshot_.obs_norm = obs_norm;
  snapshot_.global_step = global_step;
  snapshot_.iteration = iteration;
  snapshot_.published_at = seconds;
  ++snapshot_.version;
  staged_snapshot_.version = snapshot_.version;
}

void TrainingExchange::publish(const agent::Trainer& trainer, const agent::IterationStats& it, double seconds,
                               double samples_per_s, int cars) {
  // Staged without the lock: the training envs and the staging area belong to this thread.
  PolicySnapshot& p = staged_snapshot_;
  p.policy = trainer.policy();  // reuses the staged buffers' capacity
  p.obs_norm = trainer.obs_norm();
  p.global_step = it.global_step;
  p.iteration = it.iteration;
  p.published_at = seconds;

  TrainingFeed& f = staged_feed_;
  TrainingStatus& s = f.status;
  s.global_step = it.global_step;
  s.total_steps = trainer.config().total_steps;
  s.iteration = it.iteration;
  s.seconds = seconds;
  s.samples_per_s = samples_per_s;
  if (it.episodes > 0) {
    s.episodes = it.episodes;
    s.mean_return = it.mean_return;
    s.crash_rate = it.crash_rate;
    s.lap_rate = it.lap_rate;
  }
  s.crashes += static_cast<std::int64_t>(it.crashes.size());
  f.iterations.push_back({it.global_step, it.episodes, it.mean_return, it.crash_rate});
  for (const agent::CrashEvent& c : it.crashes) f.crashes.push_back({c.x, c.y});
  // Only the latest recordings are copied: early in training an iteration crashes hundreds of times.
  const std::size_t skip = it.crashes.size() > kFeedRecordings ? it.crashes.size() - kFeedRecordings : 0;
  for (std::size_t k = skip; k < it.crashes.size(); ++k) f.crash_recordings.push_back(it.crashes[k].recording);
  keep_latest(f.crash_recordings, kFeedRecordings);
  f.cars.clear();
  const sim::VecEnv& envs = trainer.envs();
  for (int i = 0; i < std::min(cars, envs.num_envs()); ++i) {
    const sim::Env& env = envs.env(i);
    const sim::Car& car = env.world().cars[0];
    const b2Body& body = *car.state.body;
    f.cars.push_back({i, body.GetPosition(), body.GetAngle(), car.state.steer_angle, sim::forward_speed(body),
                      car.clearance, car.near_miss, env.done(), env.episode().length, env.episode().total_reward});
  }
  staged_ = true;

  std::unique_lock lock(mutex_, std::try_to_lock);
  if (lock.owns_lock()) hand_over();
}

void TrainingExchange::set_finished() {
  std::lock_guard lock(mutex_);
  hand_over();
  feed_.status.finished = true;
}

bool TrainingExchange::wait_while_paused() {
  std::unique_lock lock(mutex_);
  resume_.wait(lock, [&] { return !paused_ || stop_; });
  return !stop_;
}

bool TrainingExchange::take_policy(PolicySnapshot& into) const {
  std::lock_guard lock(mutex_);
  if (snapshot_.version <= into.version) return false;
  into = snapshot_;
  return true;
}

void TrainingExchange::take_feed(TrainingFeed& into) {
  std::lock_guard lock(mutex_);
  into.status = feed_.status;
  into.iterations.swap(feed_.iterations);
  into.crashes.swap(feed_.crashes);
  into.crash_recordings.swap(feed_.crash_recordings);
  into.cars = feed_.cars;
  feed_.iterations.clear();
  feed_.crashes.clear();
  feed_.crash_recordings.clear();
}

void TrainingExchange::set_paused(bool paused) {
  {
    std::lock_guard lock(mutex_);
    paused_ = paused;
  }
  resume_.notify_all();
}

bool TrainingExchange::paused() const {
  std::lock_guard lock(mutex_);
  return paused_;
}

void TrainingExchange::request_stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  resume_.notify_all();
}

bool TrainingExchange::stop_requested() const {
  std::lock_guard lock(mutex_);
  return stop_;
}

}  // namespace view
