// Scene parts from a running Env (see scene_builder.h).
#include "view/scene_builder.h"

#include <algorithm>
#include <cmath>

#include "sim/car.h"
#include "sim/sensors.h"

namespace view {

CarSprite car_sprite(const sim::World& world, int car, CarStyle style) {
  const sim::Car& c = world.cars[static_cast<std::size_t>(car)];
  const float d = world.scenario->episode.near_miss_distance;
  CarSprite s;
  s.position = c.state.body->GetPosition();
  s.angle = c.state.body->GetAngle();
  s.steer_angle = c.state.steer_angle;
  s.style = style;
  s.near_miss = d > 0.0f && c.clearance < d ? std::clamp(1.0f - c.clearance / d, 0.0f, 1.0f) : 0.0f;
  return s;
}

CarSprite add_agent_cars(Scene& scene, const sim::Env& env, int focus, CarStyle style, CarStyle others) {
  CarSprite focused;
  for (int k = 0; k < env.agents(); ++k) {
    CarSprite car = car_sprite(env.world(), k, k == focus ? style : others);
    car.focused = k == focus;
    car.crashed = env.done() && env.episode(k).cause == sim::EndCause::Crash;
    scene.cars.push_back(car);
    if (car.focused) focused = car;
  }
  return focused;
}

RayFan ray_fan(const sim::World& world, int car) {
  const b2Body& body = *world.cars[static_cast<std::size_t>(car)].state.body;
  RayFan fan{body.GetPosition(), body.GetAngle(),
             std::vector<float>(static_cast<std::size_t>(sim::lidar_size(world.scenario->sensors)))};
  sim::cast_rays(world, car, fan.distances);
  return fan;
}

std::vector<ActorSprite> actor_sprites(const sim::World& world) {
  std::vector<ActorSprite> out;
  for (std::size_t i = 0; i < world.actors.size(); ++i) {
    out.push_back({world.actor_shapes[i], world.actors[i].kind == sim::BodyKind::Traffic});
  }
  return out;
}

ProgressBand progress_band(const sim::World& world, float start_s, int car) {
  return {true, start_s, std::max(0.0f, world.cars[static_cast<std::size_t>(car)].best_progress)};
}

float flash_strength(double seconds_since_crash) {
  if (seconds_since_crash < 0.0 || seconds_since_crash >= kFlashSeconds) return 0.0f;
  return static_cast<float>(1.0 - seconds_since_crash / kFlashSeconds);
}

void add_driving_rows(HudPanel& panel, const sim::Env& env, int agent) {
  const sim::Car& car = env.world().cars[static_cast<std::size_t>(agent)];
  const sim::Scenario& sc = env.scenario();
  const float steer_pct = 100.0f * car.state.steer_angle / sc.car.max_steer;
  panel.rows.push_back({"speed", format_fixed(sim::forward_speed(*car.state.body), 1) + " m/s"});
  panel.rows.push_back({"steer · throttle", format_fixed(steer_pct, 0) + "% · " +
                                                format_fixed(100.0f * car.state.controls.throttle, 0) + "%"});
  const bool near = car.clearance < sc.episode.near_miss_distance;
  const float cap = sc.episode.near_miss_distance * sim::kClearanceCapFactor;
  panel.rows.push_back({"clearance", car.clearance >= cap ? "> " + format_fixed(cap, 1) + " m"
                                                          : format_fixed(car.clearance, 2) + " m",
                        near});
}

}  // namespace view

namespace view {

void add_session_rows(HudPanel& p, const DriveSession& session) {
  const sim::Env& env = session.env();
  p.rows.push_back({"return", format_fixed(env.episode().total_reward, 1)});
  p.rows.push_back({"crashes · near-misses", std::to_string(session.total_crashes()) + " · " +
                                                  std::to_string(session.total_near_misses())});
  p.rows.push_back({"lap time", format_lap_time(session.lap_time())});
  p.rows.push_back({"last · best lap", format_lap_time(session.last_lap()) + " · " + format_lap_time(session.best_lap())});
  add_driving_rows(p, env);
  const EpisodeSummary& last = session.last_episode();
  if (last.episode > 0) {
    p.rows.push_back({"episode " + std::to_string(last.episode),
                      std::string(sim::to_string(last.cause)) + " · " + format_fixed(last.total_reward, 1),
                      last.cause == sim::EndCause::Crash});
  }
}

}  // namespace view
