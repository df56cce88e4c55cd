// The play mode (see play_mode.h).
#include "view/play_mode.h"

#include "sim/autopilot.h"
#include "view/scene_builder.h"

namespace view {
namespace {

constexpr int kEndHoldSteps = 45;  // 1.5 s to see what happened before the next start
constexpr int kMaxStepsPerFrame = 8;
// The other agents of a multi-agent scenario (play has no policy): a steady pursuit of the centreline.
constexpr sim::AutopilotSpec kOtherAgentsPilot{10.0f, 10.0f, 0.0f};

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
      actions_(static_cast<std::size_t>(sim::Env::kActionSize * scenario.scenario->spawn.agents), 0.0f),
      clock_(scenario.scenario->episode.dt, kMaxStepsPerFrame) {}

void PlayMode::update(double frame_seconds) {
  wall_ += frame_seconds;
  const int steps = paused_ ? 0 : clock_.advance(frame_seconds);
  const std::array<float, 2> keys = action_from_keys(keys_);
  for (int k = 0; k < steps; ++k) {
    // The player drives agent 0; the autopilot the other agents of a multi-agent scenario.
    const sim::Env& env = session_.env();
    actions_[0] = keys[0];
    actions_[1] = keys[1];
    for (int a = 1; a < env.agents() && !env.done(); ++a) {
      const sim::CarControls c = sim::autopilot(env.world(), a, kOtherAgentsPilot);
      actions_[static_cast<std::size_t>(a) * sim::Env::kActionSize] = c.steer;
      actions_[static_cast<std::size_t>(a) * sim::Env::kActionSize + 1] = c.throttle;
    }
    session_.step(actions_);
  }
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
  const CarSprite car = add_agent_cars(scene, session_.env(), 0, CarStyle::Player, CarStyle::Spectator);
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
