// The scenario model: a constant, validated description of a driving task in SI units.
// Loaded from TOML by scenario_parser.h; everything in sim/ takes it as `const Scenario&`.
// Keys in the file carry their unit where it is not SI (`max_steer_deg`); here all angles are rad.
#pragma once

#include <box2d/b2_math.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sim/diagnostics.h"
#include "sim/track_generator.h"

namespace sim {

/// A closed track: centreline control points, smoothed into a curve, with walls at ± width / 2.
struct TrackSpec {
  std::vector<b2Vec2> points;       ///< m, centreline control points in order; the loop closes itself
  std::vector<float> widths;        ///< m, full width at each control point (same size as points)
  float sample_spacing = 1.0f;      ///< m, distance between samples of the smoothed centreline
};

enum class ObstacleShape { Box, Circle };

/// A static obstacle. Placed either in world coordinates or relative to the track
/// (arc length s along the centreline, lateral offset to the left of it).
struct ObstacleSpec {
  ObstacleShape shape = ObstacleShape::Box;
  bool track_relative = false;      ///< true: pose from (s, offset); false: from position
  b2Vec2 position{0.0f, 0.0f};      ///< m, world frame (when !track_relative)
  float s = 0.0f;                   ///< m along the centreline (when track_relative)
  float offset = 0.0f;              ///< m, left of the centreline is positive (when track_relative)
  float angle = 0.0f;               ///< rad; world frame, or relative to the track tangent
  float length = 1.0f;              ///< m, box extent along its angle
  float width = 1.0f;               ///< m, box extent across
  float radius = 0.5f;              ///< m, circle radius
};

/// Scripted traffic: `count` NPC cars driving a closed route at set speeds. Kinematic Box2D bodies
/// (they push the agent's car and are not pushed back), seen by the lidar and the clearance.
struct TrafficSpec {
  std::vector<b2Vec2> waypoints;    ///< m, world frame, a closed loop; empty: the centreline
  float offset = 0.0f;              ///< m, left of the centreline (centreline route only)
  float speed = 8.0f;               ///< m/s, cruising speed where no speed_profile is given
  std::vector<b2Vec2> speed_profile;///< (s m along the route, v m/s), increasing s; linear between
  float start = 0.0f;               ///< m along the route of the first car at reset
  float start_jitter = 0.0f;        ///< m, start drawn from [start - jitter, start + jitter]
  int count = 1;                    ///< cars on this route
  float spacing = 30.0f;            ///< m between consecutive cars of the route
  float length = 4.4f;              ///< m
  float width = 1.8f;               ///< m
};

enum class MoverMode { Bounce, Loop };

/// A moving obstacle: a box or circle carried along a path of points at a constant speed, as a
/// pure function of time (so it needs no state of its own to be deterministic).
struct MoverSpec {
  ObstacleShape shape = ObstacleShape::Box;
  float length = 1.0f;              ///< m, box extent along its angle
  float width = 1.0f;               ///< m, box extent across
  float radius = 0.5f;              ///< m, circle radius
  float angle = 0.0f;               ///< rad, world frame, fixed
  std::vector<b2Vec2> path;         ///< m, world frame, at least 2 points
  float speed = 3.0f;               ///< m/s along the path
  MoverMode mode = MoverMode::Bounce; ///< back and forth, or round the closed path
  float pause = 0.0f;               ///< s waited at each end (bounce) or at the first point (loop)
  float phase = 0.0f;               ///< s into the cycle at the start of the episode
};

/// A line across the track at arc length s; checkpoints are passed in the order of s.
struct CheckpointSpec {
  float s = 0.0f;                   ///< m along the centreline
  float reward = 0.0f;              ///< paid when passed forwards (taken back when passed backwards)
};

/// Domain randomisation, drawn per episode from the env's random stream.
struct RandomiseSpec {
  float tyre_friction[2] = {0.0f, 0.0f};  ///< μ range; {0, 0}: car.tyre_friction every episode
  float track_width[2] = {1.0f, 1.0f};    ///< width scale range (track variants, see variants)
  float obstacle_jitter = 0.0f;           ///< m, obstacles moved by ± this in x and y (variants)
  float traffic_speed[2] = {1.0f, 1.0f};  ///< scale of every traffic car's speeds, per car
  int variants = 16;                      ///< tracks pre-built for track_width / obstacle_jitter
  bool randomises_friction() const { return tyre_friction[1] > 0.0f; }
  bool randomises_track() const {
    return track_width[0] != 1.0f || track_width[1] != 1.0f || obstacle_jitter > 0.0f;
  }
};

/// Procedural tracks: a pool of generated circuits, one picked per episode.
struct ProceduralSpec {
  bool enabled = false;
  GeneratorParams params;           ///< track_generator.h
  int pool = 64;                    ///< circuits generated at load
  std::uint64_t seed = 1;           ///< circuit k of the pool is generated from derive_seed(seed, k)
};

/// Most agent-controlled cars in a scenario: with at most this many, every agent sees all the
/// others (the lidar considers up to 16 nearby cars, sensors.cpp).
constexpr int kMaxAgents = 16;

/// Where cars start, and how much that is randomised at each reset.
struct SpawnSpec {
  float s = 0.0f;                   ///< m along the centreline
  float s_jitter = 0.0f;            ///< m, start drawn uniformly from [s - s_jitter, s + s_jitter]
  float lateral_jitter = 0.0f;      ///< m, lateral offset drawn uniformly from ± this
  float heading_jitter = 0.0f;      ///< rad, heading drawn uniformly from ± this around the tangent
  float speed = 0.0f;               ///< m/s, initial forward speed
  /// Agent-controlled cars, each with its own action, observation, reward and episode (env.h).
  /// Agent k's nominal start is k · agent_spacing behind s, on a staggered grid: agents with even
  /// k offset grid_offset to the left of the centreline, odd k to the right. Every agent draws
  /// from the same jitter ranges around its own nominal start.
  int agents = 1;
  float agent_spacing = 10.0f;      ///< m along the centreline between consecutive agents
  float grid_offset = 0.0f;         ///< m, lateral offset of the staggered grid (0: single file)

  /// Agent k's nominal start along the centreline (m; may be negative: it wraps round the loop).
  float agent_s(int k) const { return s - static_cast<float>(k) * agent_spacing; }
  /// Agent k's nominal lateral offset (m, left positive).
  float agent_lateral(int k) const { return k % 2 == 0 ? grid_offset : -grid_offset; }
};

/// A top-down car: rigid box, bicycle-model tyres with a friction limit, engine, brake, drag.
struct CarSpec {
  float length = 4.4f;              ///< m
  float width = 1.8f;               ///< m
  float mass = 1200.0f;             ///< kg
  float cg_to_front_axle = 1.3f;    ///< m
  float cg_to_rear_axle = 1.4f;     ///< m
  float engine_force = 9000.0f;     ///< N, drive force at full throttle (below the power limit)
  float max_power = 120000.0f;      ///< W, drive force is limited to max_power / speed
  float brake_force = 14000.0f;     ///< N, at full brake
  float reverse_force = 3000.0f;    ///< N, drive force backwards when braking at standstill
  float max_steer = 0.55f;          ///< rad, front wheel angle at full lock
  float steer_rate = 2.5f;          ///< rad/s, how fast the front wheels turn
  float tyre_friction = 1.0f;       ///< μ, friction coefficient of each axle
  float drag = 0.45f;               ///< N/(m/s)^2, aerodynamic drag (½ ρ C_d A)
  float rolling_resistance = 0.015f;///< dimensionless C_rr, force = C_rr m g
};

/// The lidar: rays spread evenly over the field of view, centred on the car's heading, and
/// corridor rays parallel to the heading, spread across the car's width (what lies in its path).
struct SensorSpec {
  int rays = 16;
  float fov = 4.1887902f;           ///< rad (240°)
  float range = 50.0f;              ///< m
  int corridor_rays = 3;            ///< parallel rays: right side, (middle,) left side of the car
};

/// Weights of the reward terms; the reward is their sum (see reward.h for each term's sign).
struct RewardWeights {
  float progress = 1.0f;            ///< per m of arc length gained along the centreline
  float crash = 50.0f;              ///< per crash
  float near_miss = 2.0f;           ///< per s spent at zero clearance, linear in (1 - clearance/d)
  float time = 0.1f;                ///< per s
  float off_track = 10.0f;          ///< once, when the car leaves the track
  float lap = 10.0f;                ///< per completed lap
};

/// Time stepping and when an episode ends.
struct EpisodeSpec {
  float dt = 1.0f / 30.0f;          ///< s, one env step (one action)
  int substeps = 1;                 ///< physics steps per env step
  int velocity_iterations = 8;      ///< Box2D solver iterations
  int position_iterations = 3;
  int max_steps = 3000;             ///< truncation: env steps per episode
  int laps = 1;                     ///< termination (goal): laps to complete; 0 = no lap goal
  bool goal_reach = false;          ///< goal = "reach": end with success at `target` instead of laps
  b2Vec2 target{0.0f, 0.0f};        ///< m, world frame (goal = "reach")
  float target_radius = 3.0f;       ///< m, the car's centre within this of target reaches it
  float near_miss_distance = 1.0f;  ///< m, clearance below which (without contact) is a near-miss
  float wrong_way_limit = 20.0f;    ///< m driven backwards along the track before termination
  bool terminate_on_crash = true;
};

struct Scenario {
  std::string name;
  std::string description;
  std::string file;                 ///< where it was loaded from ("" when built in code)
  std::uint64_t fingerprint = 0;    ///< hash of the file's text: the scenario's identity
  SourceMap source;                 ///< key path → line:col, for errors found after parsing

  TrackSpec track;
  std::vector<ObstacleSpec> obstacles;
  SpawnSpec spawn;
  CarSpec car;
  SensorSpec sensors;
  RewardWeights reward;
  EpisodeSpec episode;
  std::vector<TrafficSpec> traffic;
  std::vector<MoverSpec> movers;
  std::vector<CheckpointSpec> checkpoints;
  RandomiseSpec randomise;
  ProceduralSpec procedural;
};

}  // namespace sim
