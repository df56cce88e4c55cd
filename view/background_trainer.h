// BackgroundTrainer: PPO running at full speed on its own thread (and the trainer's env threads)
// while the window draws. After each iteration it publishes to a TrainingExchange; it pauses
// and stops when the window asks, always between iterations, so a training run is never cut
// mid-update. Owns the thread and the trainer.
#pragma once

#include <memory>
#include <thread>

#include "agent/trainer.h"
#include "view/training_exchange.h"

namespace view {

class BackgroundTrainer {
 public:
  /// trainer: ready to iterate (restored from a checkpoint, if any). cars: how many training
  /// envs' cars to copy out after each iteration for the window to show.
  BackgroundTrainer(std::unique_ptr<agent::Trainer> trainer, int cars);
  ~BackgroundTrainer();
  BackgroundTrainer(const BackgroundTrainer&) = delete;
  BackgroundTrainer& operator=(const BackgroundTrainer&) = delete;

  /// Publishes the current policy, then trains on a new thread until the step budget is spent or
  /// stop() is called.
  void start();
  /// Asks the thread to stop after the current iteration and waits for it.
  void stop();

  TrainingExchange& exchange() { return exchange_; }
  /// The trainer: only while the thread is not running (before start, after stop).
  const agent::Trainer& trainer() const { return *trainer_; }

 private:
  void run();

  std::unique_ptr<agent::Trainer> trainer_;
  int cars_;
  TrainingExchange exchange_;
  std::thread thread_;
};

}  // namespace view
