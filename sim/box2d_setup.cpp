// Box2D set-up: one-time contact-table initialisation, and Box2D's profiling timers switched off.
#include "sim/box2d_setup.h"

#include <box2d/b2_body.h>
#include <box2d/b2_polygon_shape.h>
#include <box2d/b2_timer.h>
#include <box2d/b2_world.h>

#include <mutex>

namespace sim {

void initialise_box2d() {
  static std::once_flag once;
  std::call_once(once, [] {
    b2World world(b2Vec2(0.0f, 0.0f));
    b2PolygonShape box;
    box.SetAsBox(1.0f, 1.0f);
    for (float x : {0.0f, 0.5f}) {
      b2BodyDef def;
      def.type = b2_dynamicBody;
      def.position.Set(x, 0.0f);
      world.CreateBody(&def)->CreateFixture(&box, 1.0f);
    }
    world.Step(1.0f / 60.0f, 1, 1);
  });
}

}  // namespace sim

// b2World::Step times each of its phases with b2Timer (gettimeofday) for b2World::GetProfile,
// which crashcourse never reads. About a dozen clock reads per step cost 15–20 % of a whole env
// step on this machine. libbox2d calls these members through its PLT, so the definitions below
// take their place in every program linked with the sim library, and the timers cost nothing.
// (b2World::GetProfile then reads zeros; box2d_setup_test checks that the override is in effect.)
b2Timer::b2Timer() {}
void b2Timer::Reset() {}
float b2Timer::GetMilliseconds() const { return 0.0f; }
