// The watch mode (see watch_mode.h).
#include "view/watch_mode.h"

#include <algorithm>
#include <chrono>

#include "sim/episode_file.h"
#include "view/scene_builder.h"

namespace view {
namespace {

constexpr int kEndHoldSteps = 20;      // an ended episode stays on screen for 2/3 s of sim time
constexpr int kMaxStepsPerFrame = 1000;
constexpr int kReplayLeadSteps = 90;   // an opened crash plays from 3 s before it

std::string shortened(const std::string& s, std::size_t n) {
  return s.size() <= n ? s : "…" + s.substr(s.size() - (n - 1));
}

}  // namespace

WatchMode::WatchMode(const sim::LoadedScenario& scenario, TrainingExchange* training, const PolicySnapshot& policy,
                     const WatchOptions& options)
    : scenario_(scenario), training_(training), options_(options), latest_(policy),
      driving_step_(policy.global_step), driver_(policy.policy, policy.obs_norm),
      session_(scenario, options.seed, kEndHoldSteps), clock_(scenario.scenario->episode.dt, kMaxStepsPerFrame),
      speed_(std::clamp(options.speed, 0, 3)), heatmap_(scenario.track->bounds, kHeatmapCell) {
  clock_.set_speed(kWatchSpeeds[speed_]);
}

void WatchMode::add_history(const std::vector<IterationPoint>& iterations, const std::vector<b2Vec2>& crashes) {
  for (const IterationPoint& it : iterations) history_.add(it.step, it.episodes, it.mean_return, it.crash_rate);
  for (const b2Vec2 c : crashes) heatmap_.add(c);
}

void WatchMode::shelve(sim::EpisodeFile recording, const std::string& label) {
  shelf_.add(std::move(recording), label);
}

bool WatchMode::open_crash_near(b2Vec2 p) {
  const ShelvedCrash* crash = shelf_.nearest(p, kCrashPickRadius);
  if (crash == nullptr) {
    note_ = shelf_.size() == 0 ? "no crash recordings yet" : "no recorded crash within 4 m of that point";
    note_at_ = wall_;
    return false;
  }
  try {
    scrubber_.emplace(scenario_, crash->recording, crash->label);
  } catch (const sim::EpisodeFileError& e) {
    note_ = e.what();
    note_at_ = wall_;
    scrubber_.reset();
    return false;
  }
  replay_ = std::make_unique<ReplayMode>(scenario_, *scrubber_, crash->label);
  replay_->play_from(std::max(0, scrubber_->length() - kReplayLeadSteps));
  return true;
}

bool WatchMode::event(const sf::Event& e, Camera& camera) {
  if (replay_ != nullptr) {
    if (e.type == sf::Event::KeyPressed && (e.key.code == sf::Keyboard::Escape || e.key.code == sf::Keyboard::BackSpace)) {
      replay_.reset();
      scrubber_.reset();
      return true;
    }
    return false;
  }
  if (e.type == sf::Event::MouseButtonPressed && e.mouseButton.button == sf::Mouse::Right) {
    open_crash_near(screen_to_world(camera, {static_cast<float>(e.mouseButton.x), static_cast<float>(e.mouseButton.y)}));
    return true;
  }
  return false;
}

bool WatchMode::mouse(ScreenPoint p, bool drag, float width, float height) {
  return replay_ != nullptr && replay_->mouse(p, drag, width, height);
}

void WatchMode::take_training() {
  if (training_ == nullptr) return;
  if (training_->take_policy(latest_)) latest_at_ = wall_;
  training_->take_feed(feed_);
  for (sim::EpisodeFile& r : feed_.crash_recordings) {
    const std::string label = "training crash at env step " + std::to_string(r.crash->global_step);
    shelf_.add(std::move(r), label);
  }
  feed_.crash_recordings.clear();
  for (const IterationPoint& it : feed_.iterations) history_.add(it.step, it.episodes, it.mean_return, it.crash_rate);
  for (const b2Vec2 c : feed_.crashes) heatmap_.add(c);
  cars_ = feed_.cars;
  selected_ = std::min(selected_, static_cast<int>(cars_.size()));
  paused_ = training_->paused();
}

void WatchMode::step_spectator(double frame_seconds) {
  using Clock = std::chrono::steady_clock;
  const bool fastest = speed_ == 3;
  const Clock::time_point deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                        std::chrono::duration<double>(kMaxSpeedBudget));
  const int steps = clock_.advance(frame_seconds);
  float action[sim::Env::kActionSize] = {0.0f, 0.0f};
  for (int k = 0; k < steps; ++k) {
    if (fastest && k % 16 == 0 && Clock::now() > deadline) break;
    if (!session_.holding()) driver_.act(session_.observation(), action);
    session_.step(action);
    if (session_.episode() != episode_seen_) {
      episode_seen_ = session_.episode();
      take_latest_policy();
    }
  }
  if (latest_.global_step != driving_step_ && wall_ - driving_since_ > kMaxPolicyAge) take_latest_policy();
}

void WatchMode::take_latest_policy() {
  driver_.set_policy(latest_.policy, latest_.obs_norm);
  driving_step_ = latest_.global_step;
  driving_since_ = latest_at_;
}

void WatchMode::update(double frame_seconds) {
  wall_ += frame_seconds;
  take_training();
  if (replay_ != nullptr) {  // the spectator waits while a crash is replayed; training goes on
    replay_->update(frame_seconds);
    return;
  }
  step_spectator(frame_seconds);
  if (session_.total_crashes() != crashes_seen_) {
    crashes_seen_ = session_.total_crashes();
    last_crash_at_ = wall_;
  }
}

bool WatchMode::key_pressed(sf::Keyboard::Key key, bool shift) {
  if (replay_ != nullptr) return replay_->key_pressed(key, shift);
  const int cars = static_cast<int>(cars_.size()) + 1;
  if (const int k = number_key(key); k >= 0 && k < 4) {
    speed_ = k;
    clock_.set_speed(kWatchSpeeds[speed_]);
    return true;
  }
  switch (key) {
    case sf::Keyboard::Space:
      if (training_ == nullptr) return false;
      training_->set_paused(!training_->paused());
      paused_ = training_->paused();
      return true;
    case sf::Keyboard::N: selected_ = (selected_ + 1) % cars; return true;
    case sf::Keyboard::P: selected_ = (selected_ + cars - 1) % cars; return true;
    case sf::Keyboard::R:
      session_.restart();
      episode_seen_ = session_.episode();
      take_latest_policy();
      return true;
    default: return false;
  }
}

void WatchMode::add_training_panel(Scene& scene) const {
  HudPanel p;
  const TrainingStatus& s = feed_.status;
  if (training_ == nullptr) {
    p.title = "Policy · " + scenario_.scenario->name;
    p.rows.push_back({"file", shortened(options_.policy_label, 26)});
    p.rows.push_back({"trained for", format_count(static_cast<double>(options_.policy_steps)) + " steps"});
    p.rows.push_back({"training", "off (--no-train)"});
  } else {
    p.title = "Training · " + scenario_.scenario->name;
    p.rows.push_back({"env steps", format_count(static_cast<double>(s.global_step)) + " / " +
                                       format_count(static_cast<double>(s.total_steps))});
    p.rows.push_back({"samples/s", format_count(s.samples_per_s)});
    p.rows.push_back({"iteration", std::to_string(s.iteration)});
    p.rows.push_back({"episode return", s.episodes > 0 ? format_fixed(s.mean_return, 1) : "–"});
    p.rows.push_back({"crash · lap rate", s.episodes > 0 ? format_fixed(s.crash_rate, 2) + " · " +
                                                              format_fixed(s.lap_rate, 2) : "–"});
    p.rows.push_back({"crashes so far", format_count(static_cast<double>(s.crashes))});
    p.rows.push_back({"recorded", std::to_string(shelf_.size()) + " (right-click one)"});
    p.rows.push_back({"trainer", s.finished ? "finished" : paused_ ? "paused" : "running", paused_ && !s.finished});
  }
  scene.panels.push_back(std::move(p));
}

void WatchMode::add_car_panel(Scene& scene) const {
  HudPanel p;
  if (selected_ > 0) {
    const TrainingCar& c = cars_[static_cast<std::size_t>(selected_ - 1)];
    p.title = "Training env " + std::to_string(c.env) + " · read-only";
    p.rows.push_back({"copied", "after each iteration"});
    p.rows.push_back({"episode steps", std::to_string(c.episode_length)});
    p.rows.push_back({"return so far", format_fixed(c.episode_return, 1)});
    p.rows.push_back({"speed", format_fixed(c.speed, 1) + " m/s"});
    p.rows.push_back({"clearance", format_fixed(c.clearance, 2) + " m", c.near_miss});
    scene.panels.push_back(std::move(p));
    return;
  }
  p.title = "Spectator · episode " + std::to_string(session_.episode());
  if (training_ != nullptr) {
    p.rows.push_back({"policy", "@" + format_count(static_cast<double>(driving_step_)) + " · " +
                                    format_age(wall_ - driving_since_) + " old"});
  } else {
    p.rows.push_back({"policy", "deterministic"});
  }
  add_session_rows(p, session_);
  scene.panels.push_back(std::move(p));
}

void WatchMode::fill(Scene& scene) {
  if (replay_ != nullptr) {
    replay_->fill(scene);
    scene.heatmap = &heatmap_;
    add_training_panel(scene);
    scene.status = "replaying a recorded crash   ·   Esc: back to watching (training goes on)";
    scene.keys.push_back({"Esc", "back to watching"});
    return;
  }
  const sim::World& world = session_.env().world();
  for (std::size_t i = 0; i < cars_.size(); ++i) {
    const TrainingCar& c = cars_[i];
    CarSprite s{c.position, c.angle, c.steer_angle, CarStyle::Training, selected_ == static_cast<int>(i) + 1,
                c.near_miss ? 0.5f : 0.0f, false};
    scene.cars.push_back(s);
  }
  CarSprite spectator = car_sprite(world, 0, CarStyle::Spectator);
  spectator.focused = selected_ == 0;
  spectator.crashed = session_.holding() && session_.env().episode().cause == sim::EndCause::Crash;
  scene.cars.push_back(spectator);
  scene.actors = actor_sprites(world);
  scene.rays.push_back(ray_fan(world, 0));
  for (const CrashMark& m : session_.crash_marks()) scene.crash_marks.push_back(m.position);
  scene.heatmap = &heatmap_;
  scene.progress = progress_band(world, session_.start_s());
  scene.flash = flash_strength(wall_ - last_crash_at_);
  scene.focus = selected_ == 0 ? spectator.position : cars_[static_cast<std::size_t>(selected_ - 1)].position;

  add_training_panel(scene);
  add_car_panel(scene);
  if (training_ != nullptr || !history_.empty()) {
    scene.chart = &history_.points();
    scene.chart_note = "waiting for the first training episodes to end…";
  }
  const std::string trainer = training_ == nullptr          ? "no training"
                              : feed_.status.finished        ? "training finished"
                              : paused_                      ? "training paused (Space resumes)"
                                                             : "training running (Space pauses)";
  scene.status = "spectator " + format_speed(speed()) + "   ·   " + trainer + "   ·   " +
                 std::to_string(cars_.size()) + " training cars (N/P)";
  if (paused_ && !feed_.status.finished) scene.banner = "TRAINING PAUSED";
  scene.keys = {{"Space", "pause / resume training"},
                {"1 2 3 4", "spectator speed 1×, 2×, 4×, as fast as possible"},
                {"N  P", "next / previous car (spectator, training envs)"},
                {"R", "reset the spectator (new episode, latest policy)"},
                {"Right-click", "replay the recorded crash nearest to the pointer (heatmap hot spots)"}};
  if (wall_ - note_at_ < 3.0) scene.banner = note_;
}

std::string WatchMode::help_title() const { return "crashcourse watch: keys"; }

}  // namespace view
