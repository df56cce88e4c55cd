#include "sim/box2d_setup.h"

#include <box2d/box2d.h>
#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace sim {
namespace {

TEST(Box2dSetupTest, ProfilingTimersAreSwitchedOff) {
  // With Box2D's own timers, a step with colliding bodies reports a non-zero step time.
  initialise_box2d();
  b2World world(b2Vec2(0.0f, -10.0f));
  b2BodyDef ground;
  b2PolygonShape floor;
  floor.SetAsBox(50.0f, 1.0f);
  world.CreateBody(&ground)->CreateFixture(&floor, 0.0f);
  b2PolygonShape box;
  box.SetAsBox(0.5f, 0.5f);
  for (int k = 0; k < 50; ++k) {
    b2BodyDef def;
    def.type = b2_dynamicBody;
    def.position.Set(0.3f * static_cast<float>(k % 10), 1.5f + static_cast<float>(k / 10));
    world.CreateBody(&def)->CreateFixture(&box, 1.0f);
  }
  for (int k = 0; k < 60; ++k) world.Step(1.0f / 60.0f, 8, 3);
  EXPECT_EQ(world.GetProfile().step, 0.0f);
  EXPECT_EQ(world.GetProfile().solve, 0.0f);
}

TEST(Box2dSetupTest, WorldsCollideOnManyThreadsAtOnce) {
  initialise_box2d();
  std::vector<std::thread> threads;
  std::vector<int> contacts(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &contacts] {
      b2World world(b2Vec2(0.0f, 0.0f));
      b2PolygonShape box;
      box.SetAsBox(1.0f, 1.0f);
      for (float x : {0.0f, 1.5f}) {
        b2BodyDef def;
        def.type = b2_dynamicBody;
        def.position.Set(x, 0.0f);
        world.CreateBody(&def)->CreateFixture(&box, 1.0f);
      }
      world.Step(1.0f / 60.0f, 8, 3);
      contacts[static_cast<std::size_t>(t)] = world.GetContactCount();
    });
  }
  for (std::thread& th : threads) th.join();
  for (int c : contacts) EXPECT_EQ(c, 1);
}

}  // namespace
}  // namespace sim
