// The editor's window logic (see editor_mode.h).
#include "view/editor_mode.h"

#include <cmath>
#include <filesystem>

#include "editor/edits.h"
#include "sim/track.h"

namespace view {
namespace {

constexpr float kPickPixels = 10.0f;     // px, how near the cursor a handle must be
constexpr double kMessageSeconds = 5.0;  // s a message stays in the status line
constexpr float kWidthStep = 0.5f;       // m, [ and ] on a width
constexpr float kSpeedStep = 1.0f;       // m/s, [ and ] on a traffic speed
constexpr float kResizeStep = 1.1f;      // factor, [ and ] on an obstacle
constexpr float kRotateStep = 15.0f;     // deg, R
constexpr float kDefaultSpeed = 10.0f;   // m/s, of a new traffic path
constexpr float kDriveZoom = 8.0f;       // px per m while test-driving
constexpr float kPanelsWidth = 320.0f;   // px, the panels on the left and their margin

using editor::Document;
using editor::Handle;

}  // namespace

EditorMode::EditorMode(editor::EditorModel& model, std::uint64_t seed) : model_(model), seed_(seed) {}

void EditorMode::update(double frame_seconds) {
  if (play_ != nullptr) play_->update(frame_seconds);
  message_age_ += frame_seconds;
  if (message_age_ > kMessageSeconds) message_.clear();
}

void EditorMode::say(std::string message) {
  message_ = std::move(message);
  message_age_ = 0.0;
}

int EditorMode::selected_traffic() const {
  return selected_.kind == Handle::Kind::Waypoint ? selected_.index : -1;
}

bool EditorMode::event(const sf::Event& e, Camera& camera) {
  const auto world = [&](int x, int y) {
    return screen_to_world(camera, {static_cast<float>(x), static_cast<float>(y)});
  };
  switch (e.type) {
    case sf::Event::Closed: return guard_quit();
    case sf::Event::KeyPressed: {
      const bool used = play_ != nullptr ? driving_key(e.key) || key(e.key, camera) : key(e.key, camera);
      if (e.key.code != sf::Keyboard::Escape && e.key.code != sf::Keyboard::Q) confirm_quit_ = false;
      return used;
    }
    case sf::Event::KeyReleased:
      if (play_ != nullptr) play_->key_released(e.key.code);
      return play_ != nullptr;
    case sf::Event::MouseButtonPressed:
      if (play_ != nullptr) return false;
      return press(world(e.mouseButton.x, e.mouseButton.y), e.mouseButton.button, kPickPixels / camera.scale);
    case sf::Event::MouseMoved:
      if (!dragging_) return false;
      drag_to(world(e.mouseMove.x, e.mouseMove.y));
      return true;
    case sf::Event::MouseButtonReleased:
      if (!dragging_ || e.mouseButton.button != sf::Mouse::Left) return false;
      model_.end_gesture();
      dragging_ = {};
      return true;
    default: return false;
  }
}

bool EditorMode::guard_quit() {
  // With unsaved changes the first attempt only warns; the viewer quits on the second.
  if (!model_.dirty() || confirm_quit_) return false;
  confirm_quit_ = true;
  return true;
}

bool EditorMode::driving_key(const sf::Event::KeyEvent& k) {
  if (k.code == sf::Keyboard::Escape || k.code == sf::Keyboard::F5) return false;  // the editor's
  return play_->key_pressed(k.code, k.shift);
}

bool EditorMode::key(const sf::Event::KeyEvent& k, Camera& camera) {
  if (k.control) {
    switch (k.code) {
      case sf::Keyboard::Z:
        if (k.shift ? model_.redo() : model_.undo()) return true;
        say(k.shift ? "nothing to redo" : "nothing to undo");
        return true;
      case sf::Keyboard::Y:
        if (!model_.redo()) say("nothing to redo");
        return true;
      case sf::Keyboard::S: save(); return true;
      default: return false;
    }
  }
  if (k.code == sf::Keyboard::F5 || (play_ != nullptr && k.code == sf::Keyboard::Escape)) {
    if (play_ != nullptr) {
      stop_driving(camera);
    } else {
      start_driving(camera);
    }
    return true;
  }
  if (k.code == sf::Keyboard::Escape || k.code == sf::Keyboard::Q) return guard_quit();
  if (play_ != nullptr) return false;
  if (const int n = number_key(k.code); n >= 0 && n <= 4) {
    tool_ = static_cast<EditorTool>(n);
    return true;
  }
  switch (k.code) {
    case sf::Keyboard::Delete:
    case sf::Keyboard::BackSpace: delete_selected(k.shift); return true;
    case sf::Keyboard::LBracket: step_size(-1); return true;
    case sf::Keyboard::RBracket: step_size(+1); return true;
    case sf::Keyboard::BackSlash:
      if (selected_.kind == Handle::Kind::Point) {
        model_.apply([&](Document& d) { return editor::set_point_width(d, selected_.index, std::nullopt); });
      }
      return true;
    case sf::Keyboard::R:
      if (selected_.kind == Handle::Kind::Obstacle) {
        const float delta = k.shift ? -kRotateStep : kRotateStep;
        model_.apply([&](Document& d) { return editor::rotate_obstacle(d, selected_.index, delta); });
      }
      return true;
    case sf::Keyboard::N: new_traffic_path(); return true;
    case sf::Keyboard::Num0:
    case sf::Keyboard::Numpad0: fit_camera_ = true; return true;
    default: return false;
  }
}

bool EditorMode::press(b2Vec2 p, sf::Mouse::Button button, float tolerance) {
  const Handle h = editor::pick(model_.document(), model_.validation(), p, tolerance, selected_traffic());
  if (button == sf::Mouse::Right) {
    if (h) {
      delete_handle(h);
    } else {
      add_at(p);
    }
    return true;
  }
  if (button != sf::Mouse::Left) return false;
  if (!h) {
    // Empty space: from a waypoint to its path (which right-clicks extend), from anything else
    // to nothing; the viewer pans.
    selected_ = selected_.kind == Handle::Kind::Waypoint && selected_.sub >= 0
                    ? Handle{Handle::Kind::Waypoint, selected_.index, -1}
                    : Handle{};
    return false;
  }
  selected_ = h;
  dragging_ = h;
  grab_offset_ = editor::handle_position(model_.document(), model_.validation(), h).value_or(p) - p;
  model_.begin_gesture();
  return true;
}

void EditorMode::drag_to(b2Vec2 cursor) {
  const b2Vec2 p = cursor + grab_offset_;
  const std::shared_ptr<const sim::Track> track = model_.validation().track;  // as it was before this step
  const Handle h = dragging_;
  model_.apply_in_gesture([&](Document& d) {
    switch (h.kind) {
      case Handle::Kind::Point: return editor::move_point(d, h.index, p);
      case Handle::Kind::Obstacle: return editor::move_obstacle(d, h.index, p, track.get());
      case Handle::Kind::Spawn: return track != nullptr && editor::set_spawn(d, sim::project(*track, p).s);
      case Handle::Kind::Waypoint: return editor::move_waypoint(d, h.index, h.sub, p);
      case Handle::Kind::None: break;
    }
    return false;
  });
}

void EditorMode::add_at(b2Vec2 p) {
  const std::shared_ptr<const sim::Track> track = model_.validation().track;
  if (tool_edits_generated(tool_, model_.document())) {
    say(kProceduralTrack);
    return;
  }
  switch (tool_) {
    case EditorTool::Track: {
      const int i = editor::insertion_index(model_.document(), p);
      if (model_.apply([&](Document& d) { return editor::insert_point(d, i, p); })) selected_ = {Handle::Kind::Point, i, -1};
      break;
    }
    case EditorTool::Box:
    case EditorTool::Circle: {
      const sim::ObstacleShape shape = tool_ == EditorTool::Box ? sim::ObstacleShape::Box : sim::ObstacleShape::Circle;
      if (model_.apply([&](Document& d) { return editor::add_obstacle(d, shape, p, track.get()); })) {
        selected_ = {Handle::Kind::Obstacle, editor::obstacle_count(model_.document()) - 1, -1};
      }
      break;
    }
    case EditorTool::Spawn:
      if (track == nullptr) {
        say("the spawn is placed along the track, which does not load yet");
      } else if (model_.apply([&](Document& d) { return editor::set_spawn(d, sim::project(*track, p).s); })) {
        selected_ = {Handle::Kind::Spawn, -1, -1};
      }
      break;
    case EditorTool::Traffic: {
      const int k = selected_traffic();
      if (k < 0) {
        new_traffic_path();
        break;
      }
      const int j = editor::insertion_index(editor::waypoints(model_.document(), k), p);
      if (model_.apply([&](Document& d) { return editor::insert_waypoint(d, k, j, p); })) {
        selected_ = {Handle::Kind::Waypoint, k, j};
      }
      break;
    }
  }
}

void EditorMode::delete_handle(const Handle& h) {
  bool deleted = false;
  switch (h.kind) {
    case Handle::Kind::Point:
      deleted = model_.apply([&](Document& d) { return editor::delete_point(d, h.index); });
      if (!deleted) say("a track needs at least 3 points");
      break;
    case Handle::Kind::Obstacle:
      deleted = model_.apply([&](Document& d) { return editor::delete_obstacle(d, h.index); });
      break;
    case Handle::Kind::Waypoint:
      deleted = model_.apply([&](Document& d) { return editor::delete_waypoint(d, h.index, h.sub); });
      if (!deleted) say("a traffic path needs 3 waypoints: Shift+Del deletes the whole path");
      if (deleted) selected_ = {Handle::Kind::Waypoint, h.index, -1};  // the path stays selected
      return;
    case Handle::Kind::Spawn: say("there is always a spawn: drag it, or right-click with tool 4"); return;
    case Handle::Kind::None: return;
  }
  if (deleted) selected_ = {};
}

void EditorMode::delete_selected(bool whole_path) {
  if (selected_.kind == Handle::Kind::Waypoint && (whole_path || selected_.sub < 0)) {
    const int k = selected_.index;
    if (model_.apply([&](Document& d) { return editor::delete_traffic(d, k); })) selected_ = {};
    return;
  }
  delete_handle(selected_);
}

void EditorMode::step_size(int direction) {
  const float sign = static_cast<float>(direction);
  const Handle h = selected_;
  const Document& doc = model_.document();
  switch (h.kind) {
    case Handle::Kind::Obstacle: {
      const float factor = direction > 0 ? kResizeStep : 1.0f / kResizeStep;
      model_.apply([&](Document& d) { return editor::resize_obstacle(d, h.index, factor); });
      return;
    }
    case Handle::Kind::Point: {
      const float w = editor::point_width(doc, h.index).value_or(editor::track_width(doc)) + sign * kWidthStep;
      model_.apply([&](Document& d) { return editor::set_point_width(d, h.index, w); });
      return;
    }
    case Handle::Kind::Waypoint: {
      const float v = editor::traffic_speed(doc, h.index).value_or(kDefaultSpeed) + sign * kSpeedStep;
      if (!model_.apply([&](Document& d) { return editor::set_traffic_speed(d, h.index, v); }) &&
          doc.root["traffic"][static_cast<std::size_t>(h.index)].as_table()->contains("speed_profile")) {
        say("this path's speed is its speed_profile: edit it in the file");
      }
      return;
    }
    case Handle::Kind::Spawn:
    case Handle::Kind::None: {
      if (editor::is_procedural(doc)) {
        say(kProceduralTrack);
        return;
      }
      const float w = editor::track_width(doc) + sign * kWidthStep;
      model_.apply([&](Document& d) { return editor::set_track_width(d, w); });
      return;
    }
  }
}

void EditorMode::new_traffic_path() {
  const Document& doc = model_.document();
  std::vector<b2Vec2> loop;
  float perimeter = 0.0f;
  for (int i = 0; i < editor::point_count(doc); ++i) {
    loop.push_back(editor::control_point(doc, i));
    if (i > 0) perimeter += b2Distance(loop[static_cast<std::size_t>(i - 1)], loop.back());
  }
  if (!loop.empty()) perimeter += b2Distance(loop.back(), loop.front());
  // Half a lap from the spawn, so the new car does not start on top of the player's.
  const float start = perimeter > 0.0f ? std::fmod(editor::spawn_s(doc) + 0.5f * perimeter, perimeter) : 0.0f;
  if (model_.apply([&](Document& d) { return editor::add_traffic(d, loop, kDefaultSpeed, start); })) {
    selected_ = {Handle::Kind::Waypoint, editor::traffic_count(model_.document()) - 1, -1};
    tool_ = EditorTool::Traffic;
  }
}

void EditorMode::save() {
  const bool existed = !model_.is_new();
  if (const std::string error = model_.save(); !error.empty()) {
    say(error);
    return;
  }
  std::string said = "saved " + model_.path();
  if (existed) said += " (the previous version is " + model_.path() + ".bak)";
  const std::size_t problems = model_.validation().problems.size();
  if (problems > 0) {
    said += " with " + std::to_string(problems) + (problems == 1 ? " problem" : " problems") +
            ": it will not load until they are fixed";
  }
  say(said);
}

void EditorMode::start_driving(Camera& camera) {
  const editor::Validation& v = model_.validation();
  if (!v.ok()) {
    say("fix the " + std::to_string(v.problems.size()) + " problem(s) first: a scenario that does not load cannot be driven");
    return;
  }
  drive_ = v.loaded;
  drive_revision_ = model_.revision();
  play_ = std::make_unique<PlayMode>(drive_, seed_);
  edit_camera_ = camera;
  camera.scale = kDriveZoom;
  dragging_ = {};
}

void EditorMode::stop_driving(Camera& camera) {
  play_.reset();
  camera = edit_camera_;
}

void EditorMode::camera(Camera& camera) {
  if (play_ != nullptr) {
    camera.center = play_->session().env().world().cars[0].state.body->GetPosition();
  } else if (fit_camera_ && model_.validation().track != nullptr) {
    // The whole track in the part of the window right of the panels.
    const b2AABB& box = model_.validation().track->bounds;
    Camera right = camera;
    right.width -= kPanelsWidth;
    fit(right, box.lowerBound, box.upperBound, 40.0f);
    camera.scale = right.scale;
    camera.center = right.center - b2Vec2(0.5f * kPanelsWidth / right.scale, 0.0f);
    fit_camera_ = false;
  }
  view_center_ = camera.center;
}

void EditorMode::fill(Scene& scene) {
  if (play_ != nullptr) {
    scene.scenario = drive_.scenario.get();
    scene.track = drive_.track.get();
    scene.track_revision = drive_revision_;
    play_->fill(scene);
    scene.status = "Test drive: arrows / WASD drive, R restarts   ·   Esc or F5: back to the editor, edits kept";
    scene.keys.push_back({"Esc  F5", "back to the editor"});
    return;
  }
  const editor::Validation& v = model_.validation();
  if (v.track != nullptr) {
    shown_scenario_ = v.scenario;
    shown_track_ = v.track;
    shown_revision_ = model_.revision();
  }
  if (shown_track_ != nullptr) {  // else the viewer's, as the file was opened
    scene.scenario = shown_scenario_.get();
    scene.track = shown_track_.get();
    scene.track_revision = shown_revision_;
  }
  scene.focus = view_center_;
  fill_editor_scene(model_, {tool_, selected_, confirm_quit_, message_}, scene);
}

}  // namespace view
