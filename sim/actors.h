// Scripted actors: traffic cars that drive a closed route at set speeds, and movers (boxes and
// circles) carried along a path. Both are Box2D kinematic bodies, so the agent's car crashes into
// them like into anything else, and both are seen by the lidar and counted in the clearance
// (sensors.cpp, world.cpp) through the outlines in World::actor_shapes.
//
// Determinism: a mover's pose is a pure function of the time since the episode began
// (world.steps · dt + phase); a traffic car advances u += v(u) · scale · dt once per step from a
// start and speed scale drawn at reset from the env's random stream. Each step sets the body's
// velocity so that Box2D carries it to the next scripted pose: the bodies really move (contacts
// see their speed) and never drift from the script, since each step aims from where the body is.
// Scenarios without actors pay nothing: every loop here runs over an empty vector.
#pragma once

#include <vector>

#include "sim/rng.h"
#include "sim/scenario.h"
#include "sim/track.h"
#include "sim/world.h"

namespace sim {

/// A route through `points` in order; `closed` joins the last point back to the first.
Route make_route(std::vector<b2Vec2> points, bool closed);

/// The point at arc length u: wrapped into [0, length) on a closed route, clamped on an open one.
b2Vec2 route_point(const Route& route, float u);

/// Resolves every traffic route (its waypoints, or the centreline at its offset) and every mover
/// path of the scenario on the built track.
void build_routes(const Scenario& scenario, Track& track);

/// Speed (m/s) of a traffic car at u m along a route of length `length`: spec.speed, or the
/// speed_profile interpolated linearly between entries (and from the last entry round to the
/// first on the closed loop).
float traffic_speed(const TrafficSpec& spec, float u, float length);

/// The pose of a traffic car of length L at u: centred on the route point at u, heading along the
/// chord from u − L/2 to u + L/2 (its rear and front axle on the route), which turns smoothly
/// through a waypoint route's corners.
void traffic_pose(const Route& route, const TrafficSpec& spec, float u, b2Vec2& position, float& angle);

/// Position of a mover `t` seconds after the episode began (phase included here).
b2Vec2 mover_position(const Route& path, const MoverSpec& spec, double t);

/// Creates the bodies of every traffic car and mover at their starting poses, drawing each traffic
/// car's start jitter and speed scale from rng (nothing is drawn when there is no traffic).
void add_actors(World& world, Rng& rng);

/// Sets each actor's velocity so the coming env step (dt) ends at its next scripted pose.
void drive_actors(World& world);

/// Advances the traffic cars' route positions after a step and refreshes World::actor_shapes.
void finish_actor_step(World& world);

/// Distance (m) from a convex polygon to the nearest actor, capped at `cap`.
float actor_clearance(const World& world, const b2Vec2* hull, int count, float cap);

}  // namespace sim
