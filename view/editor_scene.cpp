// The editor's frame (see editor_scene.h).
#include "view/editor_scene.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "editor/edits.h"
#include "sim/track.h"
#include "view/theme.h"

namespace view {
namespace {

constexpr std::size_t kProblemRows = 8;  // problems listed; the rest are counted

std::string metres(float v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f m", static_cast<double>(v));
  return buffer;
}

Mark dot(b2Vec2 p, float px, sf::Color color) { return {Mark::Shape::Dot, p, p, 0.0f, px, color}; }
Mark ring(b2Vec2 p, float radius_m, float px, sf::Color color) { return {Mark::Shape::Ring, p, p, radius_m, px, color}; }
Mark line(b2Vec2 a, b2Vec2 b, float px, sf::Color color) { return {Mark::Shape::Line, a, b, 0.0f, px, color}; }

/// m, from an obstacle's centre to its farthest point.
float obstacle_extent(const sim::ObstacleSpec& o) {
  return o.shape == sim::ObstacleShape::Circle ? o.radius : 0.5f * std::hypot(o.length, o.width);
}

/// Lines through `loop`, closing it.
void add_loop(std::vector<Mark>& marks, const std::vector<b2Vec2>& loop, float px, sf::Color color) {
  for (std::size_t i = 0; i < loop.size() && loop.size() > 1; ++i) {
    marks.push_back(line(loop[i], loop[(i + 1) % loop.size()], px, color));
  }
}

std::string describe(const editor::EditorModel& model, const editor::Handle& h) {
  const editor::Document& doc = model.document();
  switch (h.kind) {
    case editor::Handle::Kind::Point: {
      const std::optional<float> w = editor::point_width(doc, h.index);
      return "points[" + std::to_string(h.index) + "]" + (w ? ", " + metres(*w) + " wide" : "");
    }
    case editor::Handle::Kind::Obstacle: {
      const sim::ObstacleSpec o = editor::obstacle_spec(doc, h.index);
      return "obstacles[" + std::to_string(h.index) + "], " +
             (o.shape == sim::ObstacleShape::Box ? "box" : "circle");
    }
    case editor::Handle::Kind::Spawn: return "spawn, s = " + metres(editor::spawn_s(doc));
    case editor::Handle::Kind::Waypoint: {
      const std::optional<float> speed = editor::traffic_speed(doc, h.index);
      return "traffic[" + std::to_string(h.index) + "]" +
             (speed ? ", " + format_fixed(*speed, 1) + " m/s" : "");
    }
    case editor::Handle::Kind::None: break;
  }
  return "nothing";
}

void add_marks(const editor::EditorModel& model, const EditorView& ui, Scene& scene) {
  const editor::Document& doc = model.document();
  const editor::Validation& v = model.validation();
  std::vector<Mark>& marks = scene.marks;

  // Traffic paths, the selected one brighter.
  const int active = ui.selected.kind == editor::Handle::Kind::Waypoint ? ui.selected.index : -1;
  for (int k = 0; k < editor::traffic_count(doc); ++k) {
    const std::vector<b2Vec2> loop = editor::waypoints(doc, k);
    const sf::Color color = k == active ? theme::kTrafficPathSelected : theme::kTrafficPath;
    add_loop(marks, loop, k == active ? 3.0f : 2.0f, color);
    for (const b2Vec2 p : loop) marks.push_back(dot(p, k == active ? 4.5f : 3.5f, color));
  }

  // The control polygon and its points; the first point (where s = 0) larger.
  std::vector<b2Vec2> polygon;
  for (int i = 0; i < editor::point_count(doc); ++i) polygon.push_back(editor::control_point(doc, i));
  add_loop(marks, polygon, 1.5f, theme::kControlLine);
  for (int i = 0; i < static_cast<int>(polygon.size()); ++i) {
    const float size = i == 0 ? 7.0f : 5.5f;
    marks.push_back(dot(polygon[static_cast<std::size_t>(i)], size + 1.5f, theme::kHandleEdge));
    marks.push_back(dot(polygon[static_cast<std::size_t>(i)], size,
                        editor::point_width(doc, i) ? theme::kHandleOwnWidth : theme::kHandle));
  }

  // Obstacles ringed, so that a 0.5 m cone can be found (and grabbed) when zoomed out.
  for (int k = 0; k < editor::obstacle_count(doc); ++k) {
    if (const std::optional<b2Vec2> at = editor::obstacle_position(doc, v, k)) {
      marks.push_back(ring(*at, obstacle_extent(editor::obstacle_spec(doc, k)), 4.0f, theme::kObstacle));
    }
  }

  // The selection.
  if (const std::optional<b2Vec2> at = editor::handle_position(doc, v, ui.selected)) {
    float radius = 0.0f;
    if (ui.selected.kind == editor::Handle::Kind::Obstacle) {
      radius = obstacle_extent(editor::obstacle_spec(doc, ui.selected.index));
    } else if (ui.selected.kind == editor::Handle::Kind::Spawn && scene.scenario != nullptr) {
      radius = 0.5f * scene.scenario->car.length;
    }
    marks.push_back(ring(*at, radius, 10.0f, theme::kSelection));
  }

  // Problems, on top of everything.
  for (const editor::Problem& p : v.problems) {
    if (!p.at) continue;
    marks.push_back(ring(*p.at, 0.0f, 14.0f, theme::kProblem));
    marks.push_back({Mark::Shape::Cross, *p.at, *p.at, 0.0f, 6.0f, theme::kProblem});
  }
}

/// The cars where episodes start, facing the driving direction: the spawn car (the handle), and
/// behind it the other agents of a multi-agent scenario on their nominal grid.
void add_spawn_car(const editor::EditorModel& model, Scene& scene) {
  const editor::Validation& v = model.validation();
  if (v.track == nullptr || scene.scenario == nullptr) return;
  const sim::SpawnSpec& spawn = scene.scenario->spawn;
  const float s = editor::spawn_s(model.document());
  for (int k = 0; k < spawn.agents; ++k) {
    const float at = s - static_cast<float>(k) * spawn.agent_spacing;
    CarSprite car;
    car.position = sim::point_at(*v.track, at, spawn.agent_lateral(k));
    car.angle = sim::heading_at(*v.track, at);
    car.style = k == 0 ? CarStyle::Player : CarStyle::Training;
    scene.cars.push_back(car);
  }
}

HudPanel file_panel(const editor::EditorModel& model, const EditorView& ui) {
  const editor::Document& doc = model.document();
  HudPanel p;
  p.title = "Editing · " + std::filesystem::path(model.path()).filename().string();
  p.rows.push_back({"tool", tool_name(ui.tool)});
  p.rows.push_back({"selected", describe(model, ui.selected)});
  const std::shared_ptr<const sim::Scenario>& sc = model.validation().scenario;
  if (editor::is_procedural(doc) && sc != nullptr) {
    // The pool's first circuit is what the canvas shows; every episode draws one of them.
    const sim::ProceduralSpec& pr = sc->procedural;
    p.rows.push_back({"track", "generated, seed " + std::to_string(pr.seed)});
    p.rows.push_back({"shown", "circuit 1 of " + std::to_string(pr.pool)});
    if (model.validation().track != nullptr) p.rows.push_back({"its length", metres(model.validation().track->length)});
  } else {
    p.rows.push_back({"track width", metres(editor::track_width(doc))});
    if (model.validation().track != nullptr) p.rows.push_back({"length", metres(model.validation().track->length)});
    p.rows.push_back({"points, obstacles", std::to_string(editor::point_count(doc)) + ", " +
                                               std::to_string(editor::obstacle_count(doc))});
  }
  p.rows.push_back({"traffic paths", std::to_string(editor::traffic_count(doc))});
  if (model.dirty()) {
    p.rows.push_back({"file", "unsaved changes", true});
  } else {
    p.rows.push_back({"file", model.is_new() ? "new, not saved yet" : "saved"});
  }
  return p;
}

HudPanel problems_panel(const editor::EditorModel& model) {
  const editor::Validation& v = model.validation();
  HudPanel p;
  p.title = v.ok() ? "No problems: it loads" : "Problems: " + std::to_string(v.problems.size());
  for (std::size_t k = 0; k < v.problems.size() && k < kProblemRows; ++k) {
    const sim::Diagnostic& d = v.problems[k].diagnostic;
    p.rows.push_back({d.key_path.empty() ? "line " + std::to_string(d.where.line) : d.key_path, short_reason(d), true});
  }
  if (v.problems.size() > kProblemRows) {
    p.rows.push_back({"and " + std::to_string(v.problems.size() - kProblemRows) + " more", "crashcourse validate", true});
  }
  if (v.traffic_ignored) p.rows.push_back({"traffic", "kept; not simulated yet"});
  return p;
}

std::string tool_hint(EditorTool tool) {
  switch (tool) {
    case EditorTool::Track: return "right-click adds a centreline point, on a point deletes it";
    case EditorTool::Box: return "right-click places a box";
    case EditorTool::Circle: return "right-click places a circle";
    case EditorTool::Spawn: return "right-click on the track moves the spawn there";
    case EditorTool::Traffic: return "right-click adds a waypoint to the selected path (or starts one)";
  }
  return "";
}

}  // namespace

const char* tool_name(EditorTool tool) {
  switch (tool) {
    case EditorTool::Track: return "1 track points";
    case EditorTool::Box: return "2 box obstacles";
    case EditorTool::Circle: return "3 circle obstacles";
    case EditorTool::Spawn: return "4 spawn";
    case EditorTool::Traffic: return "5 traffic paths";
  }
  return "";
}

bool tool_edits_generated(EditorTool tool, const editor::Document& doc) {
  const bool adds_track_or_obstacles = tool == EditorTool::Track || tool == EditorTool::Box || tool == EditorTool::Circle;
  return adds_track_or_obstacles && editor::is_procedural(doc);
}

std::string short_reason(const sim::Diagnostic& d) {
  const std::string& m = d.message;
  const std::pair<const char*, const char*> known[] = {
      {"does not cross itself", "crosses itself"},
      {"folds over itself", "corner too tight"},
      {"walls to stay apart", "walls cross"},
      {"expected a track width of at least", "too narrow for the car"},
      {"between the walls", "off the track"},
      {"blocks the track", "blocks the track"},
      {"to start clear of walls", "car starts in the way"},
      {"unknown key", "unknown key"},
      {"unknown table", "unknown table"},
  };
  for (const auto& [phrase, reason] : known) {
    if (m.find(phrase) != std::string::npos) return reason;
  }
  constexpr std::size_t kMax = 24;
  return m.size() <= kMax ? m : m.substr(0, kMax - 3) + "...";
}

std::vector<KeyHelp> editor_keys() {
  return {{"Drag (left)", "move a point, obstacle, the spawn car, a waypoint"},
          {"Drag empty space", "pan (wheel zooms)"},
          {"Right-click", "add with the tool; on a handle: delete it"},
          {"1 2 3 4 5", "tool: track points, box, circle, spawn, traffic"},
          {"Del  Backspace", "delete the selection (Shift: the whole traffic path)"},
          {"[  ]", "smaller / larger: obstacle, point width, traffic speed, track width"},
          {"\\", "the selected point back to the track's width"},
          {"R  Shift+R", "rotate the selected box by +15 / -15 degrees"},
          {"N", "new traffic path along the centreline"},
          {"Ctrl+Z  Ctrl+Y", "undo, redo (also Ctrl+Shift+Z)"},
          {"Ctrl+S", "save (FILE.bak keeps the previous version)"},
          {"F5", "test-drive it; Esc or F5 comes back"}};
}

void fill_editor_scene(const editor::EditorModel& model, const EditorView& ui, Scene& scene) {
  scene.minimap = false;  // the editor shows the whole track itself
  add_spawn_car(model, scene);
  add_marks(model, ui, scene);
  scene.panels.push_back(file_panel(model, ui));
  scene.panels.push_back(problems_panel(model));
  const editor::Validation& v = model.validation();
  if (!ui.message.empty()) {
    scene.status = ui.message;
  } else if (!v.ok()) {
    const sim::Diagnostic& d = v.problems.front().diagnostic;
    scene.status = (d.key_path.empty() ? "" : d.key_path + ": ") + d.message;
  } else {
    scene.status = std::string(tool_name(ui.tool)) + ": " +
                   (tool_edits_generated(ui.tool, model.document()) ? kProceduralTrack : tool_hint(ui.tool));
  }
  if (ui.confirm_quit) scene.banner = "Unsaved changes: Ctrl+S saves, Esc (or close) again quits without saving";
  scene.keys = editor_keys();
}

}  // namespace view
