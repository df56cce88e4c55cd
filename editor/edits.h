// The edits the scenario editor makes to a Document, as free functions: centreline points and
// widths, obstacles, the spawn, traffic paths. Each writes the keys of scenarios/README.md (and,
// for [[traffic]], the keys the traffic simulation reads: waypoints, offset, speed, speed_profile,
// start), leaves every other key alone, keeps values inside the ranges the loader accepts, and
// returns whether the document changed (false for an index out of range or an edit it refuses,
// such as leaving the track fewer than 3 points). Coordinates are rounded to kGrid.
#pragma once

#include <box2d/b2_math.h>

#include <optional>
#include <vector>

#include "editor/document.h"
#include "sim/scenario.h"
#include "sim/track.h"

namespace editor {

constexpr float kGrid = 0.1f;             ///< m, coordinates and sizes are rounded to this
constexpr int kMinPoints = 3;             ///< a closed track needs 3 control points
constexpr int kMinWaypoints = 3;          ///< a traffic loop needs 3 waypoints (the traffic loader's minimum)
constexpr float kDefaultWidth = 12.0f;    ///< m, the loader's default track width
constexpr float kMaxWidth = 100.0f;       ///< m, the loader's largest width
constexpr float kMinWidth = 1.0f;         ///< m, narrower is never meant (the loader's limit is > 0)
constexpr float kMaxCoordinate = 10000.0f;///< m, the loader's bound on x and y

// ---- track ----

/// Whether the track is generated ([procedural]): a new circuit each episode, so the file has no
/// control points, track width or [[obstacles]] (the loader refuses them). The edits that would
/// add them (insert_point, set_track_width, add_obstacle) change nothing and return false.
bool is_procedural(const Document& doc);

int point_count(const Document& doc);
b2Vec2 control_point(const Document& doc, int i);
/// The width written at point i ([x, y, width]), or nothing when it uses the track's width.
std::optional<float> point_width(const Document& doc, int i);
/// track.width, or the loader's default when absent.
float track_width(const Document& doc);

bool move_point(Document& doc, int i, b2Vec2 p);
/// Inserts p as point i (0..count; count appends).
bool insert_point(Document& doc, int i, b2Vec2 p);
bool delete_point(Document& doc, int i);
/// Where a new point at p belongs in the closed loop through `loop` (control points, waypoints):
/// the index after the end of the span closest to p.
int insertion_index(const std::vector<b2Vec2>& loop, b2Vec2 p);
/// The same for the track's control points.
int insertion_index(const Document& doc, b2Vec2 p);
bool set_track_width(Document& doc, float width);
/// Gives point i its own width, or (nothing) makes it use the track's width again.
bool set_point_width(Document& doc, int i, std::optional<float> width);

// ---- obstacles ----

int obstacle_count(const Document& doc);
/// The spec as the loader would read it (shape, placement, sizes), for drawing and picking when
/// the document does not load.
sim::ObstacleSpec obstacle_spec(const Document& doc, int k);

/// A new obstacle centred at p: placed along the track (s, offset) when `track` is given, so it
/// follows later edits of the centreline, else at the world position p.
bool add_obstacle(Document& doc, sim::ObstacleShape shape, b2Vec2 p, const sim::Track* track);
/// Moves obstacle k's centre to p, keeping its kind of placement (with a track to project onto;
/// without one a track-relative obstacle becomes a world-placed one).
bool move_obstacle(Document& doc, int k, b2Vec2 p, const sim::Track* track);
/// Adds delta_deg to its angle, kept in (-180, 180].
bool rotate_obstacle(Document& doc, int k, float delta_deg);
/// Multiplies its size (length and width, or radius) by factor, within the loader's ranges.
bool resize_obstacle(Document& doc, int k, float factor);
bool delete_obstacle(Document& doc, int k);

// ---- spawn ----

/// spawn.s, or 0 when absent.
float spawn_s(const Document& doc);
bool set_spawn(Document& doc, float s);

// ---- traffic ----

int traffic_count(const Document& doc);
/// The waypoints of traffic entry k (empty when it follows the centreline).
std::vector<b2Vec2> waypoints(const Document& doc, int k);
/// traffic[k].speed, or nothing when absent.
std::optional<float> traffic_speed(const Document& doc, int k);

/// A new [[traffic]] entry driving the closed loop `loop` at speed m/s, starting `start` m along
/// it (from loop[0]).
bool add_traffic(Document& doc, const std::vector<b2Vec2>& loop, float speed, float start);
bool delete_traffic(Document& doc, int k);
bool move_waypoint(Document& doc, int k, int j, b2Vec2 p);
/// Inserts p as waypoint j of entry k.
bool insert_waypoint(Document& doc, int k, int j, b2Vec2 p);
bool delete_waypoint(Document& doc, int k, int j);
/// Sets traffic[k].speed (m/s, at least 0). Refused for an entry with a speed_profile (the
/// traffic loader takes one or the other).
bool set_traffic_speed(Document& doc, int k, float speed);

}  // namespace editor
