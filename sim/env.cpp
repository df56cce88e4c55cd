// Env: spawning, stepping, episode end conditions and running episode statistics.
#include "sim/env.h"

#include <cassert>
#include <algorithm>
#include <cmath>

#include "sim/actors.h"
#include "sim/geometry.h"
#include "sim/observation.h"

namespace sim {
namespace {

constexpr int kSpawnTries = 32;       // random starts tried before falling back to the nominal one
constexpr float kSpawnMargin = 0.3f;  // m of clearance a random start must have
constexpr float kActorSpawnMargin = 3.0f;  // m from traffic and movers: they do not stop for the car

/// Whether the car's hull at `pose` keeps kSpawnMargin from walls, obstacles and the cars placed
/// before it, and kActorSpawnMargin from the actors at their starting poses.
bool spawn_is_clear(const World& world, const CarPose& pose) {
  b2Vec2 hull[4];
  car_hull(world.scenario->car, pose.position, pose.angle, hull);
  if (world.track->geometry.clearance(hull, 4, kSpawnMargin).distance < kSpawnMargin) return false;
  for (const Car& car : world.cars) {
    b2Vec2 other[4];
    car_corners(*car.state.body, world.scenario->car, other);
    if (polygon_polygon_distance(hull, 4, other, 4, nullptr) < kSpawnMargin) return false;
  }
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
    case EndCause::OtherAgent: return "other_agent";
  }
  return "unknown";
}

Env::Env(std::shared_ptr<const Scenario> scenario, std::shared_ptr<const Track> track)
    : track_(track),
      world_(make_world(std::move(scenario), std::move(track))),
      episode_(static_cast<std::size_t>(world_.scenario->spawn.agents)),
      events_(static_cast<std::size_t>(world_.scenario->spawn.agents)) {
  // Reserved for the longest episode, so recording allocates nothing while stepping.
  record_.actions.reserve(static_cast<std::size_t>(world_.scenario->episode.max_steps) * kActionSize *
                          static_cast<std::size_t>(agents()));
}

int Env::observation_size() const { return sim::observation_size(*world_.scenario); }

CarPose Env::sample_spawn(int agent) {
  const SpawnSpec& sp = world_.scenario->spawn;
  const Track& track = *world_.track;
  const float s0 = sp.agent_s(agent);
  const float lateral0 = sp.agent_lateral(agent);
  for (int attempt = 0; attempt < kSpawnTries; ++attempt) {
    const float s = s0 + rng_.uniform(-sp.s_jitter, sp.s_jitter);
    const float lateral = lateral0 + rng_.uniform(-sp.lateral_jitter, sp.lateral_jitter);
    const float heading = rng_.uniform(-sp.heading_jitter, sp.heading_jitter);
    const CarPose pose = pose_on_track(track, s, lateral, heading, sp.speed);
    if (spawn_is_clear(world_, pose)) return pose;
  }
  // check_track guarantees the nominal starts are clear of the track and of one another.
  return pose_on_track(track, s0, lateral0, 0.0f, sp.speed);
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
  const std::size_t d = static_cast<std::size_t>(observation_size());
  for (int k = 0; k < agents(); ++k) add_car(world_, sample_spawn(k));
  for (int k = 0; k < agents(); ++k) {
    episode_[static_cast<std::size_t>(k)] = EpisodeStats{};
    observe(world_, k, obs.subspan(static_cast<std::size_t>(k) * d, d));
  }
  done_ = false;
}

EndCause Env::end_cause(int agent, const CarEvents& ev) const {
  const EpisodeSpec& spec = world_.scenario->episode;
  const Car& car = world_.cars[static_cast<std::size_t>(agent)];
  if (ev.non_finite) return EndCause::NonFinite;
  if (ev.crashed && spec.terminate_on_crash) return EndCause::Crash;
  if (ev.off_track) return EndCause::OffTrack;
  if (car.progress < car.best_progress - spec.wrong_way_limit) return EndCause::WrongWay;
  if ((spec.laps > 0 && car.laps >= spec.laps) || ev.reached_target) return EndCause::LapGoal;
  return EndCause::None;
}

void Env::step(std::span<const float> actions, std::span<float> obs, std::span<StepResult> results) {
  assert(!done_ && "Env::step after the episode ended: call reset first");
  const Scenario& sc = *world_.scenario;
  const std::size_t agents = static_cast<std::size_t>(this->agents());
  assert(actions.size() >= agents * kActionSize && results.size() >= agents);
  record_.actions.insert(record_.actions.end(), actions.begin(),
                         actions.begin() + static_cast<std::ptrdiff_t>(agents * kActionSize));
  for (std::size_t k = 0; k < agents; ++k) {
    world_.cars[k].state.controls = controls_from_action(actions[k * kActionSize], actions[k * kActionSize + 1]);
  }
  step_world(world_, events_);

  const std::size_t d = static_cast<std::size_t>(observation_size());
  bool ended = false;
  for (std::size_t k = 0; k < agents; ++k) {
    const CarEvents& ev = events_[k];
    const Car& car = world_.cars[k];
    StepResult& result = results[k];
    result = StepResult{};
    result.info.events = ev;
    result.info.terms = compute_reward(ev, sc.reward, sc.episode);
    result.reward = result.info.terms.total();
    observe(world_, static_cast<int>(k), obs.subspan(k * d, d));

    EpisodeStats& ep = episode_[k];
    ep.total_reward += result.reward;
    ep.length += 1;
    ep.crashes += ev.crashed ? 1 : 0;
    ep.near_misses += ev.near_miss_entered ? 1 : 0;
    ep.near_miss_time += ev.near_miss ? sc.episode.dt : 0.0f;
    ep.laps = car.laps;
    ep.distance = car.progress;

    EndCause cause = end_cause(static_cast<int>(k), ev);
    result.terminated = cause != EndCause::None;
    if (!result.terminated && ep.length >= sc.episode.max_steps) {
      cause = EndCause::TimeLimit;
      result.truncated = true;
    }
    result.info.cause = cause;
    ended = ended || cause != EndCause::None;
  }
  if (!ended) {
    for (std::size_t k = 0; k < agents; ++k) results[k].info.episode = episode_[k];
    return;
  }
  // The world's episode ends for everyone: the agents whose own episode went on are truncated.
  for (std::size_t k = 0; k < agents; ++k) {
    StepResult& result = results[k];
    if (result.info.cause == EndCause::None) {
      result.info.cause = EndCause::OtherAgent;
      result.truncated = true;
    }
    EpisodeStats& ep = episode_[k];
    ep.cause = result.info.cause;
    ep.end_position = events_[k].crashed ? events_[k].crash_point : world_.cars[k].state.body->GetPosition();
    result.info.episode = ep;
  }
  done_ = true;
}

StepResult Env::step(std::span<const float> action, std::span<float> obs) {
  assert(agents() == 1 && "Env::step with one action: this scenario has several agents");
  StepResult result;
  step(action, obs, std::span<StepResult>(&result, 1));
  return result;
}

bool Env::replay_steps(const EpisodeRecord& record, std::size_t steps, std::span<float> obs) {
  const std::size_t stride = actions_per_step();
  rng_.set_state(record.start);
  reset(obs);
  StepResult results[kMaxAgents];
  const std::span<const float> actions(record.actions);
  for (std::size_t k = 0; k < steps; ++k) {
    if (done_) return false;
    step(actions.subspan(k * stride, stride), obs, results);
  }
  return true;
}

void Env::hand_over(int steps, const Rng::State& stream) {
  for (EpisodeStats& e : episode_) e.handover = steps;
  record_.handover = steps;
  record_.stream = stream;
  rng_.set_state(stream);
}

bool Env::start_from(const EpisodeRecord& source, int steps, std::span<float> obs) {
  const Rng::State own = rng_.state();
  const std::size_t n = static_cast<std::size_t>(std::max(steps, 0));
  if (n * actions_per_step() > source.actions.size() || !replay_steps(source, n, obs) || done_) {
    rng_.set_state(own);
    done_ = true;
    return false;
  }
  // Only reset() draws from the stream, so the rest of the episode does not see the swap back.
  hand_over(steps, own);
  return true;
}

bool Env::replay(const EpisodeRecord& record, std::span<float> obs) {
  const std::size_t stride = actions_per_step();
  if (record.actions.size() % stride != 0) return false;
  if (!replay_steps(record, record.actions.size() / stride, obs)) return false;
  if (record.handover > 0) hand_over(record.handover, record.stream);
  return true;
}

}  // namespace sim
