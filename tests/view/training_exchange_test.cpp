// TrainingExchange and BackgroundTrainer: snapshots cross threads whole, pause and stop work
// between iterations, and training in the background is the same training as in the foreground.
#include "view/training_exchange.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "support/test_tracks.h"
#include "view/background_trainer.h"

namespace view {
namespace {

using sim::testing::load_or_fail;
using sim::testing::OvalOptions;
using sim::testing::oval_toml;

agent::TrainConfig tiny_config(std::int64_t steps) {
  agent::TrainConfig c;
  c.envs = 4;
  c.threads = 1;
  c.rollout_steps = 8;
  c.total_steps = steps;
  c.hidden = {16, 16};
  c.ppo.epochs = 1;
  c.ppo.minibatches = 2;
  return c;
}

std::unique_ptr<agent::Trainer> tiny_trainer(std::int64_t steps) {
  return std::make_unique<agent::Trainer>(load_or_fail(oval_toml(OvalOptions{})), tiny_config(steps));
}

/// Polls until pred() holds (training runs on another thread); false after 60 s.
template <class Pred>
bool eventually(Pred pred) {
  for (int i = 0; i < 6000; ++i) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

TEST(TrainingExchangeTest, SnapshotsAreNeverTornAndOnlyNewerOnesAreTaken) {
  TrainingExchange exchange;
  agent::Policy policy = agent::make_policy({8, 2, {32, 32}, 0.0f}, 1);
  const agent::RunningNorm norm = agent::make_running_norm(8);
  constexpr int kVersions = 3000;
  std::thread publisher([&] {
    for (int v = 1; v <= kVersions; ++v) {
      policy.params.setConstant(static_cast<float>(v));
      exchange.publish_policy(policy, norm, v, v, 0.0);
    }
  });
  PolicySnapshot seen;
  std::uint64_t last = 0;
  while (last < kVersions) {
    if (!exchange.take_policy(seen)) continue;
    ASSERT_GT(seen.version, last);
    last = seen.version;
    // Every parameter comes from the same publication.
    ASSERT_EQ(seen.policy.params.minCoeff(), static_cast<float>(seen.global_step));
    ASSERT_EQ(seen.policy.params.maxCoeff(), static_cast<float>(seen.global_step));
    ASSERT_EQ(seen.version, static_cast<std::uint64_t>(seen.global_step));
  }
  publisher.join();
  EXPECT_FALSE(exchange.take_policy(seen));  // nothing newer
}

TEST(TrainingExchangeTest, APausedTrainerWaitsAndAStopReleasesIt) {
  TrainingExchange exchange;
  exchange.set_paused(true);
  std::atomic<int> result{-1};
  std::thread trainer([&] { result = exchange.wait_while_paused() ? 1 : 0; });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(result, -1);  // still waiting
  exchange.request_stop();
  trainer.join();
  EXPECT_EQ(result, 0);
  EXPECT_TRUE(exchange.stop_requested());
}

TEST(BackgroundTrainerTest, PublishesEveryIterationUntilTheBudgetIsSpent) {
  BackgroundTrainer training(tiny_trainer(4 * 32), 2);
  training.start();
  TrainingFeed feed;
  std::vector<IterationPoint> iterations;
  ASSERT_TRUE(eventually([&] {
    training.exchange().take_feed(feed);
    iterations.insert(iterations.end(), feed.iterations.begin(), feed.iterations.end());
    return feed.status.finished;
  }));
  training.exchange().take_feed(feed);
  iterations.insert(iterations.end(), feed.iterations.begin(), feed.iterations.end());
  ASSERT_EQ(iterations.size(), 4u);
  EXPECT_EQ(iterations.back().step, 128);
  EXPECT_EQ(feed.status.global_step, 128);
  EXPECT_EQ(feed.status.iteration, 4);
  EXPECT_GT(feed.status.samples_per_s, 0.0);
  ASSERT_EQ(feed.cars.size(), 2u);
  EXPECT_EQ(feed.cars[1].env, 1);
  PolicySnapshot snapshot;
  ASSERT_TRUE(training.exchange().take_policy(snapshot));
  EXPECT_GE(snapshot.version, 2u);  // the initial policy, then at least the final one
  EXPECT_EQ(snapshot.global_step, 128);
  EXPECT_TRUE(snapshot.policy.params == training.trainer().policy().params);
}

TEST(BackgroundTrainerTest, AWindowThatKeepsTheLockBusyLosesNothing) {
  BackgroundTrainer training(tiny_trainer(20 * 32), 0);
  std::atomic<bool> finished{false};
  std::vector<IterationPoint> iterations;
  std::size_t crashes = 0;
  std::int64_t crashes_counted = -1;
  std::thread window([&] {
    TrainingFeed feed;
    PolicySnapshot snapshot;
    while (!finished) {  // as fast as it can: the trainer often finds the lock taken
      training.exchange().take_policy(snapshot);
      training.exchange().take_feed(feed);
      iterations.insert(iterations.end(), feed.iterations.begin(), feed.iterations.end());
      crashes += feed.crashes.size();
      crashes_counted = feed.status.crashes;
      finished = feed.status.finished;
    }
  });
  training.start();
  window.join();  // ends once it has seen training finish
  ASSERT_EQ(iterations.size(), 20u);
  for (std::size_t i = 0; i < iterations.size(); ++i) {
    EXPECT_EQ(iterations[i].step, static_cast<std::int64_t>(32 * (i + 1)));
  }
  EXPECT_EQ(static_cast<std::int64_t>(crashes), crashes_counted);
}

TEST(BackgroundTrainerTest, TrainsExactlyAsTheSameTrainerInTheForeground) {
  BackgroundTrainer training(tiny_trainer(6 * 32), 0);
  training.start();
  TrainingFeed feed;
  ASSERT_TRUE(eventually([&] {
    training.exchange().take_feed(feed);
    return feed.status.finished;
  }));
  training.stop();
  const std::unique_ptr<agent::Trainer> foreground = tiny_trainer(6 * 32);
  while (!foreground->done()) foreground->iterate();
  EXPECT_TRUE(training.trainer().policy().params == foreground->policy().params);
}

TEST(BackgroundTrainerTest, PausingStopsProgressAndStopEndsAPausedRun) {
  BackgroundTrainer training(tiny_trainer(1'000'000), 0);
  training.exchange().set_paused(true);
  training.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  TrainingFeed feed;
  training.exchange().take_feed(feed);
  EXPECT_EQ(feed.status.global_step, 0);
  training.exchange().set_paused(false);
  ASSERT_TRUE(eventually([&] {
    training.exchange().take_feed(feed);
    return feed.status.global_step > 0;
  }));
  training.exchange().set_paused(true);
  training.stop();  // returns: the paused thread is released by the stop
  training.exchange().take_feed(feed);
  EXPECT_TRUE(feed.status.finished);
  EXPECT_LT(feed.status.global_step, 1'000'000);
}

}  // namespace
}  // namespace view
