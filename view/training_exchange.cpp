// The mutex-guarded hand-over between the training thread and the window (see training_exchange.h).
#include "view/training_exchange.h"

#include <algorithm>

#include "sim/car.h"

namespace view {

void TrainingExchange::publish_policy(const agent::Policy& policy, const agent::RunningNorm& obs_norm,
                                      std::int64_t global_step, std::int64_t iteration, double seconds) {
  std::lock_guard lock(mutex_);
  snapshot_.policy = policy;
  snapshot_.obs_norm = obs_norm;
  snapshot_.global_step = global_step;
  snapshot_.iteration = iteration;
  snapshot_.published_at = seconds;
  ++snapshot_.version;
}

void TrainingExchange::publish(const agent::Trainer& trainer, const agent::IterationStats& it, double seconds,
                               double samples_per_s, int cars) {
  // Copied outside the lock: the training envs belong to this (the training) thread.
  std::vector<TrainingCar> copies;
  const sim::VecEnv& envs = trainer.envs();
  for (int i = 0; i < std::min(cars, envs.num_envs()); ++i) {
    const sim::Env& env = envs.env(i);
    const sim::Car& car = env.world().cars[0];
    const b2Body& body = *car.state.body;
    copies.push_back({i, body.GetPosition(), body.GetAngle(), car.state.steer_angle, sim::forward_speed(body),
                      car.clearance, car.near_miss, env.done(), env.episode().length, env.episode().total_reward});
  }
  publish_policy(trainer.policy(), trainer.obs_norm(), it.global_step, it.iteration, seconds);

  std::lock_guard lock(mutex_);
  TrainingStatus& s = feed_.status;
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
  feed_.iterations.push_back({it.global_step, it.episodes, it.mean_return, it.crash_rate});
  for (const agent::CrashEvent& c : it.crashes) feed_.crashes.push_back({c.x, c.y});
  feed_.cars = std::move(copies);
}

void TrainingExchange::set_finished() {
  std::lock_guard lock(mutex_);
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
  into.cars = feed_.cars;
  feed_.iterations.clear();
  feed_.crashes.clear();
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
