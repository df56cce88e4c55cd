// Turning a running Env into Scene parts, the same way for every mode: the car sprite with its
// steering and near-miss halo, its lidar rays, the progress along the centreline, the crash flash
// and the HUD rows that describe a driving car.
#pragma once

#include "sim/env.h"
#include "sim/world.h"
#include "view/drive_session.h"
#include "view/hud.h"
#include "view/scene.h"

namespace view {

/// How long (s of wall time) the crash flash takes to fade.
constexpr double kFlashSeconds = 0.4;

/// Car `car` of the world as drawn: pose, steering, halo strength (1 − clearance / near-miss
/// distance while under it).
CarSprite car_sprite(const sim::World& world, int car, CarStyle style);

/// Every agent car of env into scene.cars: agent `focus` in `style`, focused, the others in
/// `others`; an agent whose episode ended in a crash is drawn crashed. Returns the focused car.
CarSprite add_agent_cars(Scene& scene, const sim::Env& env, int focus, CarStyle style, CarStyle others);

/// Its lidar rays, cast now (the same rays the observation holds).
RayFan ray_fan(const sim::World& world, int car);

/// The world's traffic cars and movers as they are after its last step.
std::vector<ActorSprite> actor_sprites(const sim::World& world);

/// The centreline stretch `car` has driven forward since its episode started at start_s.
ProgressBand progress_band(const sim::World& world, float start_s, int car = 0);

/// Flash strength seconds after a crash: 1 fading to 0 over kFlashSeconds (0 before any crash,
/// i.e. for negative seconds).
float flash_strength(double seconds_since_crash);

/// Speed, steering and throttle, clearance (highlighted under the near-miss distance) of an agent's car.
void add_driving_rows(HudPanel& panel, const sim::Env& env, int agent = 0);

/// Return, crash and near-miss counters, lap times, add_driving_rows and how the last episode
/// ended, for the car of a DriveSession.
void add_session_rows(HudPanel& panel, const DriveSession& session);

}  // namespace view
