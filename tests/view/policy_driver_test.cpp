// PolicyDriver: the deterministic action on the normalised observation; recorded episodes replay.
#include "view/policy_driver.h"

#include <gtest/gtest.h>

#include "sim/observation.h"
#include "support/test_tracks.h"

namespace view {
namespace {

using sim::testing::load_or_fail;
using sim::testing::OvalOptions;
using sim::testing::oval_toml;

TEST(PolicyDriverTest, ActsWithTheMeanOfTheNormalisedObservation) {
  const int d = 6;
  const agent::Policy policy = agent::make_policy({d, 2, {8}, 0.0f}, 9);
  agent::RunningNorm norm = agent::make_running_norm(d);
  const std::vector<float> batch = {1, 2, 3, 4, 5, 6, -1, 0, 2, 8, 1, 1};
  agent::update_running_norm(norm, batch);
  PolicyDriver driver(policy, norm);
  const std::vector<float> obs = {0.5f, -1.0f, 2.0f, 3.0f, 0.0f, 7.0f};
  float action[2];
  driver.act(obs, action);

  std::vector<float> normalized(obs.size());
  agent::normalize_observations(norm, obs, normalized);
  agent::PolicyWorkspace ws = agent::make_policy_workspace(policy, 1);
  Eigen::MatrixXf expected(2, 1);
  agent::act_deterministic(policy, ws, Eigen::Map<const Eigen::MatrixXf>(normalized.data(), d, 1), expected);
  EXPECT_EQ(action[0], expected(0, 0));
  EXPECT_EQ(action[1], expected(1, 0));
}

TEST(PolicyDriverTest, ARecordedPolicyEpisodeReplaysToItsEnd) {
  const sim::LoadedScenario s = load_or_fail(oval_toml(OvalOptions{200.0f, 40.0f, 20.0f, false, "[episode]\nmax_steps = 200\n"}));
  const agent::Policy policy = agent::make_policy({sim::observation_size(*s.scenario), 2, {16}, 0.0f}, 4);
  const agent::RunningNorm norm = agent::make_running_norm(sim::observation_size(*s.scenario));
  const sim::EpisodeFile e = record_policy_episode(s, policy, norm, 1000003, 2, "eval 2");
  EXPECT_NE(e.end, sim::EndCause::None);
  EXPECT_EQ(e.source, "eval 2");
  EXPECT_EQ(e.scenario_fingerprint, s.scenario->fingerprint);
  sim::Env env(s.scenario, s.track);
  std::vector<float> obs(static_cast<std::size_t>(env.observation_size()));
  sim::replay_episode(env, e, "eval.episode", obs);  // throws if it ended differently
  EXPECT_EQ(env.episode().length, e.length);
  // It starts as evaluation episode 2 of that seed starts.
  EXPECT_EQ(e.record.start, sim::Rng(sim::derive_seed(1000003, 2)).state());
}

}  // namespace
}  // namespace view
