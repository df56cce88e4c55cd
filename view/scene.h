// Scene: what one frame shows, as plain data. Each viewer mode fills a Scene from its state; the
// renderer (renderer.h) draws it. Modes stay free of drawing code and the renderer free of mode
// logic, and tests can build a Scene and check the pixels it becomes.
#pragma once

#include <box2d/b2_math.h>

#include <SFML/Graphics/Color.hpp>

#include <string>
#include <vector>

#include "sim/scenario.h"
#include "sim/track.h"
#include "sim/world.h"
#include "view/heatmap.h"
#include "view/hud.h"
#include "view/training_history.h"

namespace view {

enum class CarStyle { Spectator, Player, Training, Replay };

struct CarSprite {
  b2Vec2 position{0.0f, 0.0f};      ///< m, body centre
  float angle = 0.0f;               ///< rad
  float steer_angle = 0.0f;         ///< rad, front wheels relative to the body
  CarStyle style = CarStyle::Spectator;
  bool focused = false;             ///< the car the camera follows and the HUD describes
  float near_miss = 0.0f;           ///< halo strength in [0, 1]: 1 − clearance / near-miss distance
  bool crashed = false;             ///< its episode just ended in a crash
};

/// A traffic car or mover where the world has it (sim::World::actor_shapes).
struct ActorSprite {
  sim::ActorShape shape;
  bool traffic = false;             ///< a traffic car (else a mover)
};

/// Lidar rays of one car, as sim::cast_rays reads them: the fan from its centre at the
/// scenario's ray angles, then the corridor rays parallel to its heading; each `distance` long.
struct RayFan {
  b2Vec2 origin{0.0f, 0.0f};        ///< m, the car's centre
  float angle = 0.0f;               ///< rad, car heading
  std::vector<float> distances;     ///< m, sim::lidar_size of them (fan right to left, then corridor)
};

/// The stretch of centreline a car has covered this episode, drawn along the road.
struct ProgressBand {
  bool show = false;
  float from_s = 0.0f;              ///< m, arc length where the episode started
  float distance = 0.0f;            ///< m driven forward along the track since then
};

/// Timeline of a replayed episode (a bar under the window with its events).
struct Timeline {
  bool show = false;
  int position = 0;                 ///< steps shown
  int length = 0;                   ///< steps in the episode
  std::vector<int> crash_steps;     ///< steps with a crash
  std::vector<int> near_miss_steps; ///< steps that entered the near-miss zone
};

/// A shape a mode draws over the world: the editor's handles, paths and problem markers. A dot,
/// ring (2 px wide) or cross (3 px) has radius radius_m metres plus size_px pixels, so handles keep
/// their size on screen as the camera zooms; a line is size_px pixels wide.
struct Mark {
  enum class Shape { Dot, Ring, Line, Cross };
  Shape shape = Shape::Dot;
  b2Vec2 a{0.0f, 0.0f};             ///< m, the centre, or where a line starts
  b2Vec2 b{0.0f, 0.0f};             ///< m, where a line ends
  float radius_m = 0.0f;            ///< m, of a dot, ring or cross
  float size_px = 4.0f;             ///< px, added to the radius; the width of a line
  sf::Color color = sf::Color::White;
};

struct Scene {
  const sim::Scenario* scenario = nullptr;
  const sim::Track* track = nullptr;
  /// Tells the renderer that *track changed (the editor rebuilds it on every edit): a new value
  /// rebuilds the track's meshes.
  int track_revision = 0;
  b2Vec2 focus{0.0f, 0.0f};         ///< m, where the follow camera looks
  std::vector<CarSprite> cars;
  std::vector<ActorSprite> actors;  ///< traffic and movers of the car in focus's world
  std::vector<RayFan> rays;
  std::vector<b2Vec2> crash_marks;  ///< m, crashes that stay drawn
  const HeatmapGrid* heatmap = nullptr;
  ProgressBand progress;
  float flash = 0.0f;               ///< crash flash strength in [0, 1]
  std::vector<Mark> marks;          ///< drawn over everything else in the world

  bool minimap = true;              ///< the minimap, top-right (with the HUD)
  std::vector<HudPanel> panels;     ///< top-left, one under the other
  const std::vector<ChartPoint>* chart = nullptr;  ///< training curve, bottom-left
  std::string chart_note;           ///< shown when the chart has no points yet
  Timeline timeline;
  std::string status;               ///< bottom line (speed, pause state)
  std::string banner;               ///< large centred text ("training paused"), "" for none
  std::vector<KeyHelp> keys;        ///< the mode's keys, listed by the help overlay
};

}  // namespace view
