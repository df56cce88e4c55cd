// Env: spawning, stepping, episode end conditions and running episode statistics.
#include "sim/env.h"

#include <cassert>
#include <algorithm>
#include <cmath>

#include "sim/actors.h"
#include "sim/observation.h"

namespace sim {
namespace {

constexpr int kSpawnTries = 32;       // random starts tried before falling back to the nominal one
constexpr float kSpawnMargin = 0.3f;  // m of clearance a random start must have
constexpr float kActorSpawnMargin = 3.0f;  // m from traffic and movers: they do not stop for the car

/// Whether the car's hull at `pose` keeps kSpawnMargin from walls and obstacles, and
/// kActorSpawnMargin from the actors at their starting poses.
bool spawn_is_clear(const World& world, const CarPose& pose) {
  b2Vec2 hull[4];
  car_hull(world.scenario->car, pose.position, pose.angle, hull);
  if (world.track->geometry.clearance(hull, 4, kSpawnMargin).distance < kSpawnMargin) return false;
  return world.actor_shapes.empty() || actor_clearance(world, hull, 4, kActorSpawnMargin) >= kActorSpawnMargin;
}

}  // namespace

const char* to_string(EndCause cause) {
  switch (cause) {
    case EndCause::None: return "none";
    case EndCause::Crash: return "crash";
    case EndCause::OffTrack: return "off_track";
    case EndCause::WrongWay: return "wrong_way";
    case EndCause::LapGoal: return "lap_goal";
    case EndCause::NonFinite: return "non_finite";
    case EndCause::TimeLimit: return "time_limit";
  }
  return "unknown";
}

Env::Env(std::shared_ptr<const Scenario> scenario, std::shared_ptr<const Track> track)
    : track_(track), world_(make_world(std::move(scenario), std::move(track))), events_(1) {
  // Reserved for the longest episode, so recording allocates nothing while stepping.
  record_.actions.reserve(static_cast<std::size_t>(world_.scenario->episode.max_steps) * kActionSize);
}

int Env::observation_size() const { return sim::observation_size(*world_.scenario); }

CarPose Env::sample_spawn() {
  const SpawnSpec& sp = world_.scenario->spawn;
  const Track& track = *world_.track;
  for (int attempt = 0; attempt < kSpawnTries; ++attempt) {
    const float s = sp.s + rng_.uniform(-sp.s_jitter, sp.s_jitter);
    const float lateral = rng_.uniform(-sp.lateral_jitter, sp.lateral_jitter);
    const float heading = rng_.uniform(-sp.heading_jitter, sp.heading_jitter);
    const CarPose pose = pose_on_track(track, s, lateral, heading, sp.speed);
    if (spawn_is_clear(world_, pose)) return pose;
  }
  // check_track guarantees the nominal start is clear.
  return pose_on_track(track, sp.s, 0.0f, 0.0f, sp.speed);
}

void Env::reset(std::uint64_t seed, std::span<float> obs) {
  rng_.reseed(seed);
  reset(obs);
}

void Env::reset(std::span<float> obs) {
  record_.start = rng_.state();
  record_.actions.clear();
  record_.handover = 0;
  // A fresh b2World each episode: the same seed then gives the same episode whatever came before
  // (a reused world would keep its broad-phase tree and contact order from the last episode).
  // Draws in a fixed order, each only when the scenario asks for it, so scenarios without
  // randomisation or traffic draw exactly what they always drew.
  const Scenario& sc = *world_.scenario;
  std::shared_ptr<const Track> track = track_;
  if (!track_->variants.empty()) track = track_->variants[rng_.below(static_cast<std::uint32_t>(track_->variants.size()))];
  world_ = make_world(world_.scenario, std::move(track));
  if (sc.randomise.randomises_friction()) {
    world_.car_spec.tyre_friction = rng_.uniform(sc.randomise.tyre_friction[0], sc.randomise.tyre_friction[1]);
  }
  add_actors(world_, rng_);
  add_car(world_, sample_spawn());
  episode_ = EpisodeStats{};
  done_ = false;
  observe(world_, 0, obs);
}

StepResult Env::step(std::span<const float> action, std::span<float> obs) {
  assert(!done_ && "Env::step after the episode ended: call reset first");
  const Scenario& sc = *world_.scenario;
  Car& car = world_.cars[0];
  record_.actions.insert(record_.actions.end(), action.begin(), action.begin() + kActionSize);
  car.state.controls = controls_from_action(action[0], action[1]);
  step_world(world_, events_);
  const CarEvents& ev = events_[0];

  StepResult result;
  result.info.events = ev;
  result.info.terms = compute_reward(ev, sc.reward, sc.episode);
  result.reward = result.info.terms.total();
  observe(world_, 0, obs);

  EpisodeStats& ep = episode_;
  ep.total_reward += result.reward;
  ep.length += 1;
  ep.crashes += ev.crashed ? 1 : 0;
  ep.near_misses += ev.near_miss_entered ? 1 : 0;
  ep.near_miss_time += ev.near_miss ? sc.episode.dt : 0.0f;
  ep.laps = car.laps;
  ep.distance = car.progress;

  EndCause cause = EndCause::None;
  if (ev.non_finite) {
    cause = EndCause::NonFinite;
  } else if (ev.crashed && sc.episode.terminate_on_crash) {
    cause = EndCause::Crash;
  } else if (ev.off_track) {
    cause = EndCause::OffTrack;
  } else if (car.progress < car.best_progress - sc.episode.wrong_way_limit) {
    cause = EndCause::WrongWay;
  } else if ((sc.episode.laps > 0 && car.laps >= sc.episode.laps) || ev.reached_target) {
    cause = EndCause::LapGoal;
  }
  result.terminated = cause != EndCause::None;
  if (!result.terminated && ep.length >= sc.episode.max_steps) {
    cause = EndCause::TimeLimit;
    result.truncated = true;
  }
  if (cause != EndCause::None) {
    ep.cause = cause;
    ep.end_position = ev.crashed ? ev.crash_point : car.state.body->GetPosition();
    done_ = true;
  }
  result.info.cause = cause;
  result.info.episode = ep;
  return result;
}

bool Env::replay_steps(const EpisodeRecord& record, std::size_t steps, std::span<float> obs) {
  rng_.set_state(record.start);
  reset(obs);
  const std::span<const float> actions(record.actions);
  for (std::size_t k = 0; k < steps; ++k) {
    if (done_) return false;
    step(actions.subspan(k * kActionSize, kActionSize), obs);
  }
  return true;
}

bool Env::start_from(const EpisodeRecord& source, int steps, std::span<float> obs) {
  const Rng::State own = rng_.state();
  const std::size_t n = static_cast<std::size_t>(std::max(steps, 0));
  const bool fits = n * kActionSize <= source.actions.size() && replay_steps(source, n, obs) && !done_;
  // Only reset() draws from the stream, so the rest of the episode does not see the swap back.
  rng_.set_state(own);
  if (!fits) {
    done_ = true;
    return false;
  }
  episode_.handover = steps;
  record_.handover = steps;
  record_.stream = own;
  return true;
}

bool Env::replay(const EpisodeRecord& record, std::span<float> obs) {
  if (record.actions.size() % kActionSize != 0) return false;
  if (!replay_steps(record, record.actions.size() / kActionSize, obs)) return false;
  if (record.handover > 0) {
    episode_.handover = record.handover;
    record_.handover = record.handover;
    record_.stream = record.stream;
    rng_.set_state(record.stream);
  }
  return true;
}

}  // namespace sim
