// The replay mode (see replay_mode.h).
#include "view/replay_mode.h"

#include "view/scene_builder.h"

namespace view {
namespace {

constexpr int kMaxStepsPerFrame = 16;
constexpr int kBigStep = 30;  // Shift + arrow: one second at 30 Hz

}  // namespace

ReplayMode::ReplayMode(const sim::LoadedScenario& scenario, ReplayScrubber& scrubber, const std::string& label)
    : scenario_(scenario), scrubber_(scrubber), label_(label), clock_(scenario.scenario->episode.dt, kMaxStepsPerFrame) {}

void ReplayMode::seek(int k) {
  playing_ = false;
  scrubber_.seek(k);
}

void ReplayMode::play_from(int k) {
  scrubber_.seek(k);
  playing_ = true;
}

void ReplayMode::update(double frame_seconds) {
  wall_ += frame_seconds;
  const int steps = playing_ ? clock_.advance(frame_seconds) : 0;
  for (int k = 0; k < steps && !scrubber_.at_end(); ++k) {
    scrubber_.step_forward();
    if (scrubber_.steps()[static_cast<std::size_t>(scrubber_.position() - 1)].crashed) last_crash_at_ = wall_;
  }
  if (scrubber_.at_end()) playing_ = false;
}

bool ReplayMode::key_pressed(sf::Keyboard::Key key, bool shift) {
  const int big = shift ? kBigStep : 1;
  if (const int k = number_key(key); k >= 0 && k < 4) {
    speed_ = k;
    clock_.set_speed(kReplaySpeeds[speed_]);
    return true;
  }
  switch (key) {
    case sf::Keyboard::Space:
      if (scrubber_.at_end()) scrubber_.seek(0);
      playing_ = !playing_;
      return true;
    case sf::Keyboard::Right: seek(scrubber_.position() + big); return true;
    case sf::Keyboard::Left: seek(scrubber_.position() - big); return true;
    case sf::Keyboard::Home: seek(0); return true;
    case sf::Keyboard::End: seek(scrubber_.length()); return true;
    default: return false;
  }
}

bool ReplayMode::mouse(ScreenPoint p, bool drag, float width, float height) {
  const Rect bar = timeline_rect(width, height);
  const Rect hit{bar.x - 6.0f, bar.y - 8.0f, bar.w + 12.0f, bar.h + 16.0f};
  if (!drag && !hit.contains(p)) return false;
  seek(timeline_step_at(bar, p.x, scrubber_.length()));
  return true;
}

void ReplayMode::fill(Scene& scene) {
  const sim::Env& env = scrubber_.env();
  const sim::World& world = env.world();
  const int k = scrubber_.position();
  CarSprite car = car_sprite(world, 0, CarStyle::Replay);
  car.focused = true;
  car.crashed = k > 0 && scrubber_.steps()[static_cast<std::size_t>(k - 1)].crashed;
  scene.cars.push_back(car);
  scene.actors = actor_sprites(world);
  scene.rays.push_back(ray_fan(world, 0));
  const std::vector<ReplayStep>& steps = scrubber_.steps();
  Timeline& t = scene.timeline;
  t.show = true;
  t.position = k;
  t.length = scrubber_.length();
  int crashes = 0, near_misses = 0;
  for (int i = 0; i < scrubber_.length(); ++i) {
    const ReplayStep& s = steps[static_cast<std::size_t>(i)];
    if (s.crashed) {
      t.crash_steps.push_back(i + 1);
      if (i < k) {
        scene.crash_marks.push_back(s.crash_point);
        ++crashes;
      }
    }
    if (s.near_miss_entered) {
      t.near_miss_steps.push_back(i + 1);
      near_misses += i < k ? 1 : 0;
    }
  }
  scene.progress = progress_band(world, scrubber_.start_s());
  scene.flash = flash_strength(wall_ - last_crash_at_);
  scene.focus = car.position;

  const double dt = scenario_.scenario->episode.dt;
  HudPanel p;
  p.title = "Replay · " + scenario_.scenario->name;
  p.rows.push_back({"episode", label_.size() > 26 ? "…" + label_.substr(label_.size() - 25) : label_});
  p.rows.push_back({"step", std::to_string(k) + " / " + std::to_string(scrubber_.length())});
  p.rows.push_back({"time", format_lap_time(k * dt) + " / " + format_lap_time(scrubber_.length() * dt)});
  p.rows.push_back({"return", format_fixed(k > 0 ? steps[static_cast<std::size_t>(k - 1)].total_reward : 0.0f, 1)});
  p.rows.push_back({"crashes · near-misses", std::to_string(crashes) + " · " + std::to_string(near_misses), crashes > 0});
  p.rows.push_back({"laps", std::to_string(k > 0 ? steps[static_cast<std::size_t>(k - 1)].laps : 0)});
  add_driving_rows(p, env);
  p.rows.push_back({"ends with", std::string(sim::to_string(scrubber_.episode().end)),
                    scrubber_.episode().end == sim::EndCause::Crash});
  scene.panels.push_back(std::move(p));
  scene.status = std::string(playing_ ? "playing " : "paused ") + format_speed(kReplaySpeeds[speed_]) +
                 "   ·   Space play/pause   ·   ← → step (Shift: 1 s)   ·   click the timeline to scrub";
  scene.keys = {{"Space", "play / pause (from the start at the end)"},
                {"Left  Right", "one step back / forward (Shift: 1 s)"},
                {"Home  End", "start / end of the episode"},
                {"Click, drag", "scrub along the timeline"},
                {"1 2 3 4", "speed 1×, 2×, 4×, ¼× slow motion"}};
}

}  // namespace view
