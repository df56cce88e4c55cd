// The training thread (see background_trainer.h).
#include "view/background_trainer.h"

#include <algorithm>
#include <chrono>

namespace view {

BackgroundTrainer::BackgroundTrainer(std::unique_ptr<agent::Trainer> trainer, int cars)
    : trainer_(std::move(trainer)), cars_(std::max(0, cars)) {}

BackgroundTrainer::~BackgroundTrainer() { stop(); }

void BackgroundTrainer::start() {
  if (thread_.joinable()) return;
  exchange_.publish_policy(trainer_->policy(), trainer_->obs_norm(), trainer_->global_step(), trainer_->iteration(), 0.0);
  thread_ = std::thread([this] { run(); });
}

void BackgroundTrainer::stop() {
  exchange_.request_stop();
  if (thread_.joinable()) thread_.join();
}

void BackgroundTrainer::run() {
  using Clock = std::chrono::steady_clock;
  const std::int64_t first_step = trainer_->global_step();
  double seconds = 0.0;  // training time, pauses excluded
  while (!trainer_->done() && exchange_.wait_while_paused()) {
    const Clock::time_point start = Clock::now();
    const agent::IterationStats it = trainer_->iterate();
    seconds += std::chrono::duration<double>(Clock::now() - start).count();
    const double samples_per_s = static_cast<double>(trainer_->global_step() - first_step) / std::max(seconds, 1e-9);
    exchange_.publish(*trainer_, it, seconds, samples_per_s, cars_);
  }
  exchange_.set_finished();
}

}  // namespace view
