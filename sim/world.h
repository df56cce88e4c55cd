// World: the changing state of one simulation — a Box2D world with the track's walls and
// obstacles, any number of cars, and each car's progress and near-miss state.
// The constant description (Scenario, Track) is shared; a World is what step_world changes.
#pragma once

#include <box2d/b2_world.h>
#include <box2d/b2_world_callbacks.h>

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "sim/car.h"
#include "sim/scenario.h"
#include "sim/track.h"

namespace sim {

/// What a car touched. Stored in each fixture's user data.
enum class BodyKind : std::uint8_t { Wall = 1, Obstacle = 2, Car = 3, Traffic = 4, Mover = 5 };

/// The user data of a fixture: its kind and index (obstacle, car, actor; 0/1 for the walls).
std::uintptr_t body_tag(BodyKind kind, int index);

/// A contact that began during a step: recorded by the listener, interpreted by step_world.
struct ContactRecord {
  int car = 0;
  BodyKind other = BodyKind::Wall;
  int other_index = 0;              ///< obstacle, other car's or actor's index, or 0/1 for the walls
  b2Vec2 point{0.0f, 0.0f};         ///< m, world contact point
};

/// Keeps game logic out of Box2D callbacks: BeginContact only appends to a buffer (reserved up
/// front, so no allocation in the step), EndContact only counts.
class ContactRecorder : public b2ContactListener {
 public:
  void BeginContact(b2Contact* contact) override;
  void EndContact(b2Contact* contact) override;

  std::vector<ContactRecord> begun;   ///< contacts that began since the last clear
  std::vector<int> touching;          ///< per car: contacts currently touching
};

/// A car in the world: its body and controls, and where it is on the track.
struct Car {
  CarState state;
  int segment = 0;                  ///< centreline segment of the last projection (search hint)
  float s = 0.0f;                   ///< m, arc length of the last projection
  float lateral = 0.0f;             ///< m, signed offset from the centreline, left positive
  float progress = 0.0f;            ///< m, signed distance driven along the track since spawn
  float best_progress = 0.0f;       ///< m, the furthest progress reached
  int laps = 0;                     ///< completed laps
  float clearance = 0.0f;           ///< m, hull to nearest wall/obstacle/car/actor (capped, see below)
  bool near_miss = false;           ///< inside the near-miss zone (with hysteresis)
  bool crash_armed = true;          ///< a new contact counts as a crash (see kCrashRearmClearance)
  int next_checkpoint = 0;          ///< index of the checkpoint to pass next (scenario.checkpoints)
  int checkpoints_passed = 0;       ///< net checkpoints passed since spawn (backwards ones undo)
};

/// A scripted actor: a traffic car driving its route, or a mover on its path. Kinematic bodies:
/// they move as scripted whatever hits them. Their motion depends only on the scenario, what was
/// drawn at reset and the step count (actors.h).
struct Actor {
  BodyKind kind = BodyKind::Traffic;///< Traffic or Mover
  int spec = 0;                     ///< index into scenario.traffic or scenario.movers
  b2Body* body = nullptr;
  float u = 0.0f;                   ///< traffic: m along its route
  float speed_scale = 1.0f;         ///< traffic: randomise.traffic_speed draw
};

/// An actor's outline in the world after the last step, for rays and clearance.
struct ActorShape {
  bool circle = false;
  b2Vec2 centre{0.0f, 0.0f};        ///< m
  float radius = 0.0f;              ///< m: the circle's radius, or the box's bounding radius
  b2Vec2 corners[4]{};              ///< box corners, counter-clockwise (box only)
};

/// Where and how a car is placed.
struct CarPose {
  b2Vec2 position{0.0f, 0.0f};      ///< m
  float angle = 0.0f;               ///< rad
  float speed = 0.0f;               ///< m/s forward
};

/// Box2D sees only the stretch of wall near each car (see kWallWindow): a side's edge e
/// (Track::wall_edges) is a fixture of the walls' body while some car is within reach of it.
/// Per-edge state is two bitmaps: a new world each episode sets up a few words, not a few
/// kilobytes.
struct WallWindow {
  struct Present {
    int edge = 0;
    b2Fixture* fixture = nullptr;
  };
  struct Side {
    std::vector<Present> present;       ///< edges in Box2D, in the order they were added
    std::vector<std::uint64_t> is_present;  ///< bit e: edge e is in `present`
    std::vector<std::uint64_t> wanted;      ///< scratch, bit e: some car needs edge e this step
  };
  b2Body* body = nullptr;
  Side sides[2];                    ///< [0] left wall, [1] right wall
  std::vector<int> synced_ends;     ///< per car, per side: the first and last edge of its window
                                    ///< when the window was last brought in line
};

struct World {
  std::shared_ptr<const Scenario> scenario;
  std::shared_ptr<const Track> track;
  std::unique_ptr<b2World> physics;
  std::unique_ptr<ContactRecorder> recorder;
  WallWindow walls;
  std::vector<Car> cars;
  std::vector<Actor> actors;        ///< traffic and movers (empty in scenarios without them)
  std::vector<ActorShape> actor_shapes; ///< per actor, as of the last step
  CarSpec car_spec;                 ///< the scenario's car with this episode's randomised friction
  std::vector<b2Vec2> ray_directions; ///< unit lidar directions in the car's frame (sensors.h)
  std::int64_t steps = 0;           ///< env steps taken since the world was made
};

/// What happened to one car during one step.
struct CarEvents {
  bool crashed = false;             ///< a contact began while the car was armed: scraping or
                                    ///< bouncing along a wall is one crash, not one per touch
  BodyKind crash_with = BodyKind::Wall;
  int crash_index = 0;
  b2Vec2 crash_point{0.0f, 0.0f};   ///< m
  float crash_speed = 0.0f;         ///< m/s, car speed at the end of the step
  bool touching = false;            ///< in contact with anything at the end of the step
  float clearance = 0.0f;           ///< m, exact hull clearance (0 when touching), capped
  bool near_miss = false;           ///< clearance under the near-miss distance, no contact
  bool near_miss_entered = false;   ///< the car entered the near-miss zone this step
  float progress_delta = 0.0f;      ///< m of arc length gained this step (negative backwards)
  int laps_completed = 0;           ///< laps completed this step
  int checkpoints_passed = 0;       ///< checkpoints passed this step (negative: passed backwards)
  float checkpoint_reward = 0.0f;   ///< sum of their rewards (negative when passed backwards)
  bool reached_target = false;      ///< goal = "reach": the car is at the target, every checkpoint passed
  bool off_track = false;           ///< centre beyond the walls (tunnelled through one)
  bool non_finite = false;          ///< position or velocity became NaN/inf
};

/// Clearance is computed exactly up to this multiple of the near-miss distance, then capped.
constexpr float kClearanceCapFactor = 2.0f;
/// After a crash, the next contact counts as a new crash only once the car has been clear of
/// everything by this much (m): a bounce off the wall it is sliding along is the same crash.
constexpr float kCrashRearmClearance = 0.25f;
/// Leaving the near-miss zone needs clearance above (1 + this) × distance, so hovering at the
/// threshold counts one near-miss, not one per step.
constexpr float kNearMissHysteresis = 0.1f;

/// A world with walls and obstacles and no cars.
World make_world(std::shared_ptr<const Scenario> scenario, std::shared_ptr<const Track> track);

/// Adds a car at `pose`; returns its index.
int add_car(World& world, const CarPose& pose);

/// The pose at track coordinates (s along the centreline, lateral offset, heading offset).
CarPose pose_on_track(const Track& track, float s, float lateral, float heading_offset, float speed);

/// Advances the world by one env step (scenario.episode.dt, in substeps) with each car's
/// controls as set in car.state.controls; writes each car's events to events[car].
void step_world(World& world, std::span<CarEvents> events);

/// Hash of everything that determines the future of the world (bodies' poses and velocities,
/// car state, counters), for determinism tests.
std::uint64_t hash_world(const World& world);

}  // namespace sim
