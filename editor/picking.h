// Picking: which editable thing — a centreline point, an obstacle, the spawn, a traffic waypoint —
// lies under a point of the canvas, and where each one is in the world. The window picks with the
// cursor; the positions are also where it draws the handles.
#pragma once

#include <box2d/b2_math.h>

#include <optional>

#include "editor/document.h"
#include "editor/validation.h"

namespace editor {

struct Handle {
  enum class Kind { None, Point, Obstacle, Spawn, Waypoint };
  Kind kind = Kind::None;
  int index = -1;                   ///< point, obstacle or traffic entry
  int sub = -1;                     ///< waypoint within the traffic entry
  bool operator==(const Handle&) const = default;
  explicit operator bool() const { return kind != Kind::None; }
};

/// World position (m) of obstacle k: as the built track resolved it, else its own position;
/// nothing when it is placed along a track that is not built.
std::optional<b2Vec2> obstacle_position(const Document& doc, const Validation& v, int k);
/// World position (m) of the spawn (on the centreline at spawn.s), when the track is built.
std::optional<b2Vec2> spawn_position(const Document& doc, const Validation& v);
/// Where the handle is in the world, if anywhere.
std::optional<b2Vec2> handle_position(const Document& doc, const Validation& v, const Handle& h);

/// The handle within `tolerance` m of p (or, for an obstacle, under p), the nearest when several
/// are; waypoints of `preferred_traffic` first, then points, obstacles, the spawn, other waypoints.
Handle pick(const Document& doc, const Validation& v, b2Vec2 p, float tolerance, int preferred_traffic = -1);

}  // namespace editor
