// The play mode (see play_mode.h).
#include "view/play_mode.h"

#include "view/scene_builder.h"

namespace view {
namespace {

constexpr int kEndHoldSteps = 45;  // 1.5 s to see what happened before the next start
constexpr int kMaxStepsPerFrame = 8;

}  // namespace

std::optional<DriveKey> drive_key(sf::Keyboard::Key key) {
  switch (key) {
    case sf::Keyboard::Left:
    case sf::Keyboard::A: return DriveKey::Left;
    case sf::Keyboard::Right:
    case sf::Keyboard::D: return DriveKey::Right;
    case sf::Keyboard::Up:
    case sf::Keyboard::W: return DriveKey::Up;
    case sf::Keyboard::Down:
    case sf::Keyboard::S: return DriveKey::Down;
    default: return std::nullopt;
  }
}

PlayMode::PlayMode(const sim::LoadedScenario& scenario, std::uint64_t seed)
    : scenario_(scenario), session_(scenario, seed, kEndHoldSteps),
      clock_(scenario.scenario->episode.dt, kMaxStepsPerFrame) {}

void PlayMode::update(double frame_seconds) {
  wall_ += frame_seconds;
  const int steps = paused_ ? 0 : clock_.advance(frame_seconds);
  const std::array<float, 2> action = action_from_keys(keys_);
  for (int k = 0; k < steps; ++k) session_.step(action);
  if (session_.total_crashes() != crashes_seen_) {
    crashes_seen_ = session_.total_crashes();
    last_crash_at_ = wall_;
  }
}

bool PlayMode::key_pressed(sf::Keyboard::Key key, bool /*shift*/) {
  if (const std::optional<DriveKey> k = drive_key(key)) {
    set_key(keys_, *k, true);
    return true;
  }
  if (key == sf::Keyboard::R) {
    session_.restart();
    return true;
  }
  if (key == sf::Keyboard::Space) {
    paused_ = !paused_;
    return true;
  }
  return false;
}

void PlayMode::key_released(sf::Keyboard::Key key) {
  if (const std::optional<DriveKey> k = drive_key(key)) set_key(keys_, *k, false);
}

void PlayMode::fill(Scene& scene) {
  const sim::World& world = session_.env().world();
  CarSprite car = car_sprite(world, 0, CarStyle::Player);
  car.focused = true;
  car.crashed = session_.holding() && session_.env().episode().cause == sim::EndCause::Crash;
  scene.cars.push_back(car);
  scene.actors = actor_sprites(world);
  scene.rays.push_back(ray_fan(world, 0));
  for (const CrashMark& m : session_.crash_marks()) scene.crash_marks.push_back(m.position);
  scene.progress = progress_band(world, session_.start_s());
  scene.flash = flash_strength(wall_ - last_crash_at_);
  scene.focus = car.position;

  HudPanel p;
  p.title = "Driving · " + scenario_.scenario->name;
  p.rows.push_back({"episode", std::to_string(session_.episode())});
  add_session_rows(p, session_);
  scene.panels.push_back(std::move(p));
  if (session_.holding()) {
    scene.banner = std::string("episode over: ") + sim::to_string(session_.env().episode().cause);
  } else if (paused_) {
    scene.banner = "PAUSED";
  }
  scene.status = "Arrows / WASD drive   ·   R restart   ·   Space pause";
  scene.keys = {{"Up  W", "throttle"},
                {"Down  S", "brake, then reverse"},
                {"Left Right  A D", "steer"},
                {"R", "restart the episode"},
                {"Space", "pause"}};
}

}  // namespace view
