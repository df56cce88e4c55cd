// Scenario TOML → Scenario: the schema (tables, keys, file units, allowed ranges) and the checks
// that involve more than one key. Typed reading with diagnostics is in toml_reader.h. The schema
// is documented for users in scenarios/README.md: change the two together.
#include "sim/hash.h"
#include "sim/scenario_parser.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "sim/sensors.h"
#include "sim/toml_reader.h"

namespace sim {
namespace {

// Allowed ranges; the README lists the same values. Bounds are generous: they exist to catch
// unit slips (a car length in mm, a steering angle in rad where deg is expected) and nonsense.
constexpr float kDefaultTrackWidth = 12.0f;                // m
constexpr Range kCoordinate = closed(-10000.0, 10000.0);   // m: float spacing ≤ 1 mm within it
constexpr Range kTrackWidth = above_up_to(0.0, 100.0);     // m
constexpr Range kSampleSpacing = closed(0.1, 10.0);        // m
constexpr Range kObstacleSize = above_up_to(0.0, 100.0);   // m
constexpr Range kObstacleRadius = above_up_to(0.0, 50.0);  // m
constexpr Range kAngleDeg = closed(-360.0, 360.0);         // deg
constexpr IntRange kRays{1, 256};
constexpr IntRange kCorridorRays{0, 16};
constexpr IntRange kSubsteps{1, 16};
constexpr IntRange kIterations{1, 100};
constexpr IntRange kMaxSteps{1, 10'000'000};
constexpr IntRange kLaps{0, 1000};
constexpr Range kSpeed = above_up_to(0.0, 100.0);          // m/s
constexpr Range kCarLength = above_up_to(0.0, 20.0);       // m
constexpr Range kCarWidth = above_up_to(0.0, 10.0);        // m
constexpr IntRange kTrafficCount{1, 64};
constexpr std::size_t kMaxActors = kMaxVisibleActors;      // traffic cars + movers
constexpr IntRange kAgents{1, kMaxAgents};
constexpr Range kAgentSpacing = above_up_to(0.0, 1000.0);  // m
constexpr IntRange kVariants{1, 256};
constexpr IntRange kPool{1, 1024};

// A stable hash of the file's bytes identifies the scenario.
std::uint64_t fingerprint_of(std::string_view text) { return fnv1a(text.data(), text.size()); }

std::string default_name(const std::string& file) {
  const std::string stem = std::filesystem::path(file).stem().string();
  return stem.empty() ? "unnamed" : stem;
}

std::string indexed(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

// The first two elements of an [x, y, ...] array as a point in m.
std::optional<b2Vec2> check_xy(const toml::array& xy, const std::string& path, const Reporter& report) {
  const std::optional<double> x = check_number(xy[0], indexed(path, 0), kCoordinate, report);
  const std::optional<double> y = check_number(xy[1], indexed(path, 1), kCoordinate, report);
  if (!x || !y) return std::nullopt;
  return b2Vec2(static_cast<float>(*x), static_cast<float>(*y));
}

// ---- [track] ----

// One control point, [x, y] or [x, y, width]; appended to the track only when valid.
void read_track_point(const toml::node& node, const std::string& path, float default_width,
                      const Reporter& report, TrackSpec& track) {
  report.source->add(path, location_of(node));
  const toml::array* point = node.as_array();
  if (!point || point->size() < 2 || point->size() > 3) {
    report.error(location_of(node), path,
                 "expected a point [x, y] or [x, y, width], got " + describe_value(node),
                 "x, y and the track width at this point, in m");
    return;
  }
  const std::optional<b2Vec2> xy = check_xy(*point, path, report);
  std::optional<double> width = default_width;
  if (point->size() == 3) width = check_number((*point)[2], indexed(path, 2), kTrackWidth, report);
  if (!xy || !width) return;
  track.points.push_back(*xy);
  track.widths.push_back(static_cast<float>(*width));
}

void read_track(TableReader& r, TrackSpec& track) {
  float default_width = kDefaultTrackWidth;
  r.read_number("width", kTrackWidth, default_width);
  r.read_number("sample_spacing", kSampleSpacing, track.sample_spacing);

  const Reporter& report = r.reporter();
  const std::string path = r.path_of("points");
  const toml::node* points = r.find("points");
  if (!points) {
    report.error(r.where(), path, "expected an array of at least 3 points, got none",
                 "points = [[x, y], [x, y, width], ...] in m; the loop closes itself");
    return;
  }
  const toml::array* list = points->as_array();
  if (!list) {
    report.error(location_of(*points), path,
                 "expected an array of points, got " + describe_value(*points),
                 "points = [[x, y], [x, y, width], ...] in m");
    return;
  }
  if (list->size() < 3) {
    report.error(location_of(*points), path,
                 "expected at least 3 points, got " + std::to_string(list->size()),
                 "a closed track needs 3 or more control points");
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    read_track_point((*list)[i], indexed(path, i), default_width, report, track);
  }
}

// ---- [[obstacles]] ----

std::optional<ObstacleShape> read_shape(TableReader& r) {
  const toml::node* node = r.find("shape");
  if (!node) {
    r.reporter().error(r.where(), r.path_of("shape"), "expected shape = \"box\" or \"circle\", got none",
                       "every obstacle and mover needs a shape");
    return std::nullopt;
  }
  const toml::value<std::string>* name = node->as_string();
  if (name && name->get() == "box") return ObstacleShape::Box;
  if (name && name->get() == "circle") return ObstacleShape::Circle;
  const std::string near = name ? nearest_word(name->get(), {"box", "circle"}) : "";
  r.reporter().error(location_of(*node), r.path_of("shape"),
                     "expected \"box\" or \"circle\", got " + describe_value(*node),
                     near.empty() ? "" : "did you mean '" + near + "'?");
  return std::nullopt;
}

// Exactly one of s (track-relative, with an optional offset) and position (world frame).
void read_placement(TableReader& r, ObstacleSpec& obstacle) {
  const Reporter& report = r.reporter();
  const toml::node* s = r.find("s");
  const toml::node* position = r.find("position");
  const toml::node* offset = r.find("offset");
  if (s && position) {
    report.error(location_of(*position), r.path_of("position"),
                 "expected either s or position, got both",
                 "s (with offset) places the obstacle along the track, position in the world: keep one");
  } else if (!s && !position) {
    report.error(r.where(), r.path(),
                 "expected s (along the track) or position (in the world), got neither",
                 "add s = <m along the centreline> or position = [x, y]");
  } else if (position && offset) {
    report.error(location_of(*offset), r.path_of("offset"),
                 "expected offset only with s, got it with position",
                 "offset is measured from the centreline at s; a world position needs none");
  }
  obstacle.track_relative = s != nullptr;
  r.read_number("s", at_least(0.0), obstacle.s);
  if (!position) {
    r.read_number("offset", kCoordinate, obstacle.offset);
    return;
  }
  const std::string path = r.path_of("position");
  const toml::array* xy = position->as_array();
  if (!xy || xy->size() != 2) {
    report.error(location_of(*position), path,
                 "expected a position [x, y], got " + describe_value(*position),
                 "world coordinates in m");
    return;
  }
  if (const std::optional<b2Vec2> p = check_xy(*xy, path, report)) obstacle.position = *p;
}

// A size key of the other shape: length and width size a box, radius sizes a circle.
void reject_size_key(TableReader& r, const char* key, ObstacleShape shape) {
  const toml::node* node = r.find(key);
  if (!node) return;
  const bool box = shape == ObstacleShape::Box;
  r.reporter().error(location_of(*node), r.path_of(key),
                     std::string(key) + " applies only to shape = \"" + (box ? "circle" : "box") +
                         "\", not to a " + (box ? "box" : "circle"),
                     box ? "size a box with length and width" : "size a circle with radius");
}

/// shape, angle_deg and the size keys of that shape, shared by obstacles and movers.
template <class Spec>
void read_shape_and_size(TableReader& r, Spec& spec) {
  const std::optional<ObstacleShape> shape = read_shape(r);
  if (shape) spec.shape = *shape;
  r.read_degrees("angle_deg", kAngleDeg, spec.angle);
  r.read_number("length", kObstacleSize, spec.length);
  r.read_number("width", kObstacleSize, spec.width);
  r.read_number("radius", kObstacleRadius, spec.radius);
  if (shape == ObstacleShape::Box) reject_size_key(r, "radius", *shape);
  if (shape == ObstacleShape::Circle) {
    reject_size_key(r, "length", *shape);
    reject_size_key(r, "width", *shape);
  }
}

ObstacleSpec read_obstacle(TableReader& r) {
  ObstacleSpec obstacle;
  read_shape_and_size(r, obstacle);
  read_placement(r, obstacle);
  return obstacle;
}

// ---- lists of points and ranges ----

/// Calls each(pair, path) for every element of `list` that is a two-element array; reports the
/// others as "expected <what>, got ...". Returns false when something was reported.
template <class Each>
bool for_each_pair(const toml::array& list, const std::string& path, const Reporter& report, const char* what,
                   const char* hint, Each each) {
  bool ok = true;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const toml::node& item = list[i];
    const std::string item_path = indexed(path, i);
    report.source->add(item_path, location_of(item));
    const toml::array* pair = item.as_array();
    if (!pair || pair->size() != 2) {
      report.error(location_of(item), item_path, std::string("expected ") + what + ", got " + describe_value(item), hint);
      ok = false;
      continue;
    }
    ok = each(*pair, item_path) && ok;
  }
  return ok;
}

/// An array of at least `min` points [x, y] in m, appended to out; false when it was reported.
bool read_points(TableReader& r, const char* key, std::size_t min, const char* hint, std::vector<b2Vec2>& out) {
  const toml::node* node = r.find(key);
  if (!node) return true;
  const Reporter& report = r.reporter();
  const std::string path = r.path_of(key);
  const toml::array* list = node->as_array();
  if (!list || list->size() < min) {
    report.error(location_of(*node), path,
                 "expected an array of at least " + std::to_string(min) + " points [x, y], got " +
                     describe_value(*node),
                 hint);
    return false;
  }
  return for_each_pair(*list, path, report, "a point [x, y]", "world coordinates in m",
                       [&](const toml::array& xy, const std::string& item_path) {
                         const std::optional<b2Vec2> p = check_xy(xy, item_path, report);
                         if (p) out.push_back(*p);
                         return p.has_value();
                       });
}

/// A range [lo, hi] with both ends in `range` and lo <= hi.
void read_range_pair(TableReader& r, const char* key, Range range, const char* unit_hint, float out[2]) {
  const toml::node* node = r.find(key);
  if (!node) return;
  const std::string path = r.path_of(key);
  const toml::array* pair = node->as_array();
  if (!pair || pair->size() != 2) {
    r.reporter().error(location_of(*node), path, "expected a range [low, high], got " + describe_value(*node),
                       unit_hint);
    return;
  }
  const std::optional<double> lo = check_number((*pair)[0], indexed(path, 0), range, r.reporter());
  const std::optional<double> hi = check_number((*pair)[1], indexed(path, 1), range, r.reporter());
  if (!lo || !hi) return;
  if (*lo > *hi) {
    r.reporter().error(location_of(*node), path,
                       "expected low <= high, got [" + describe_value((*pair)[0]) + ", " + describe_value((*pair)[1]) + "]",
                       "write the smaller value first");
    return;
  }
  out[0] = static_cast<float>(*lo);
  out[1] = static_cast<float>(*hi);
}

/// A string key with a fixed set of allowed words; returns the index of the word, or -1.
int read_choice(TableReader& r, const char* key, const std::vector<std::string>& words) {
  const toml::node* node = r.find(key);
  if (!node) return -1;
  const toml::value<std::string>* name = node->as_string();
  for (std::size_t i = 0; name && i < words.size(); ++i) {
    if (name->get() == words[i]) return static_cast<int>(i);
  }
  std::string expected;
  for (const std::string& w : words) {
    if (!expected.empty()) expected += " or ";
    expected += "\"" + w + "\"";
  }
  const std::string near = name ? nearest_word(name->get(), words) : "";
  r.reporter().error(location_of(*node), r.path_of(key), "expected " + expected + ", got " + describe_value(*node),
                     near.empty() ? "" : "did you mean '" + near + "'?");
  return -1;
}

// Calls read(reader) for every table of the array of tables `key` ([[key]] in the file).
template <class ReadOne>
void read_table_array(TableReader& root, const char* key, const char* noun, ReadOne read) {
  const toml::node* node = root.find(key);
  if (!node) return;
  const toml::array* list = node->as_array();
  if (list && list->empty()) return;
  if (!list || !list->is_array_of_tables()) {
    root.reporter().error(location_of(*node), key, "expected an array of tables, got " + describe_value(*node),
                          std::string("start each ") + noun + " with a line [[" + key + "]]");
    return;
  }
  for (std::size_t k = 0; k < list->size(); ++k) {
    const toml::table& table = *(*list)[k].as_table();
    const std::string path = indexed(key, k);
    root.reporter().source->add(path, location_of(table));
    TableReader r(table, path, root.reporter());
    read(r);
    r.report_unknown_keys();
  }
}

// ---- [[traffic]] ----

/// speed_profile = [[s, v], ...]: s >= 0 strictly increasing, v in [0, 100] m/s.
void read_speed_profile(TableReader& r, TrafficSpec& traffic) {
  const toml::node* node = r.find("speed_profile");
  if (!node) return;
  const Reporter& report = r.reporter();
  const std::string path = r.path_of("speed_profile");
  const toml::array* list = node->as_array();
  if (!list || list->empty()) {
    report.error(location_of(*node), path, "expected an array of [s, v] pairs, got " + describe_value(*node),
                 "speed v (m/s) from arc length s (m) along the route, e.g. [[0, 8], [100, 4]]");
    return;
  }
  for_each_pair(*list, path, report, "a pair [s, v]", "s in m along the route, v in m/s",
                [&](const toml::array& pair, const std::string& item_path) {
                  const std::optional<double> at = check_number(pair[0], indexed(item_path, 0), at_least(0.0), report);
                  const std::optional<double> v = check_number(pair[1], indexed(item_path, 1), closed(0.0, 100.0), report);
                  if (!at || !v) return false;
                  if (!traffic.speed_profile.empty() && *at <= traffic.speed_profile.back().x) {
                    report.error(location_of(pair[0]), indexed(item_path, 0),
                                 "expected s greater than the previous entry's " +
                                     format_number(traffic.speed_profile.back().x, false) + ", got " +
                                     describe_value(pair[0]),
                                 "list the entries in increasing s");
                    return false;
                  }
                  traffic.speed_profile.push_back(b2Vec2(static_cast<float>(*at), static_cast<float>(*v)));
                  return true;
                });
}

TrafficSpec read_traffic(TableReader& r) {
  TrafficSpec traffic;
  const Reporter& report = r.reporter();
  read_points(r, "waypoints", 3, "a closed loop [[x, y], ...] of at least 3 points in m; leave it out to follow the centreline",
              traffic.waypoints);
  r.read_number("offset", kCoordinate, traffic.offset);
  if (r.find("waypoints") && r.find("offset")) {
    report.error(location_of(*r.find("offset")), r.path_of("offset"), "expected offset only without waypoints, got both",
                 "offset shifts the centreline route; a waypoint route is already where you put it");
  }
  r.read_number("speed", kSpeed, traffic.speed);
  read_speed_profile(r, traffic);
  if (r.find("speed") && r.find("speed_profile")) {
    report.error(location_of(*r.find("speed")), r.path_of("speed"), "expected either speed or speed_profile, got both",
                 "speed is constant; speed_profile sets it along the route: keep one");
  }
  r.read_number("start", at_least(0.0), traffic.start);
  r.read_number("start_jitter", at_least(0.0), traffic.start_jitter);
  r.read_integer("count", kTrafficCount, traffic.count);
  r.read_number("spacing", above(0.0), traffic.spacing);
  r.read_number("length", kCarLength, traffic.length);
  r.read_number("width", kCarWidth, traffic.width);
  return traffic;
}

// ---- [[movers]] ----

MoverSpec read_mover(TableReader& r) {
  MoverSpec mover;
  read_shape_and_size(r, mover);
  if (!r.find("path")) {
    r.reporter().error(r.where(), r.path_of("path"), "expected a path of at least 2 points, got none",
                       "path = [[x, y], [x, y], ...] in m, world coordinates");
  }
  read_points(r, "path", 2, "path = [[x, y], [x, y], ...] in m, world coordinates", mover.path);
  r.read_number("speed", kSpeed, mover.speed);
  const int mode = read_choice(r, "mode", {"bounce", "loop"});
  if (mode >= 0) mover.mode = mode == 0 ? MoverMode::Bounce : MoverMode::Loop;
  r.read_number("pause", closed(0.0, 3600.0), mover.pause);
  r.read_number("phase", closed(0.0, 3600.0), mover.phase);
  return mover;
}

// ---- [[checkpoints]] ----

void read_checkpoints(TableReader& root, std::vector<CheckpointSpec>& checkpoints) {
  read_table_array(root, "checkpoints", "checkpoint", [&](TableReader& r) {
    CheckpointSpec cp;
    if (!r.find("s")) {
      r.reporter().error(r.where(), r.path_of("s"), "expected s (m along the centreline), got none",
                         "every checkpoint needs its place on the track");
    }
    const bool read = r.read_number("s", at_least(0.0), cp.s);
    r.read_number("reward", at_least(0.0), cp.reward);
    if (read && r.find("s") && !checkpoints.empty() && cp.s <= checkpoints.back().s) {
      r.reporter().error(location_of(*r.find("s")), r.path_of("s"),
                         "expected s greater than the previous checkpoint's " +
                             format_number(checkpoints.back().s, false) + ", got " + describe_value(*r.find("s")),
                         "list checkpoints in the order they are passed, by increasing s");
    }
    checkpoints.push_back(cp);
  });
}

// ---- [randomise], [procedural] ----

void read_randomise(TableReader& r, RandomiseSpec& rnd) {
  read_range_pair(r, "tyre_friction", above_up_to(0.0, 3.0), "the friction coefficient mu, e.g. [0.7, 1.1]",
                  rnd.tyre_friction);
  read_range_pair(r, "track_width", closed(0.5, 2.0), "a scale of the track width, e.g. [0.9, 1.2]", rnd.track_width);
  r.read_number("obstacle_jitter", closed(0.0, 10.0), rnd.obstacle_jitter);
  read_range_pair(r, "traffic_speed", closed(0.1, 5.0), "a scale of the traffic speeds, e.g. [0.8, 1.2]",
                  rnd.traffic_speed);
  r.read_integer("variants", kVariants, rnd.variants);
}

void read_procedural(TableReader& r, ProceduralSpec& proc) {
  GeneratorParams& p = proc.params;
  r.read_integer("points", IntRange{5, 64}, p.points);
  r.read_number("radius", closed(20.0, 5000.0), p.radius);
  r.read_number("radius_jitter", closed(0.0, 0.8), p.radius_jitter);
  r.read_number("angle_jitter", closed(0.0, 0.45), p.angle_jitter);
  r.read_number("width", closed(4.0, 40.0), p.width);
  r.read_integer("obstacles", IntRange{0, 100}, p.obstacles);
  r.read_integer("pool", kPool, proc.pool);
  std::int64_t seed = static_cast<std::int64_t>(proc.seed);
  if (r.read_integer("seed", IntRange{0, std::numeric_limits<std::int64_t>::max()}, seed)) {
    proc.seed = static_cast<std::uint64_t>(seed);
  }
}

// ---- [spawn], [car], [sensors], [reward], [episode] ----

void read_spawn(TableReader& r, SpawnSpec& spawn) {
  r.read_number("s", at_least(0.0), spawn.s);
  r.read_number("s_jitter", at_least(0.0), spawn.s_jitter);
  r.read_number("lateral_jitter", at_least(0.0), spawn.lateral_jitter);
  r.read_degrees("heading_jitter_deg", closed(0.0, 180.0), spawn.heading_jitter);
  r.read_number("speed", closed(0.0, 100.0), spawn.speed);
  r.read_integer("agents", kAgents, spawn.agents);
  r.read_number("agent_spacing", kAgentSpacing, spawn.agent_spacing);
  r.read_number("grid_offset", closed(0.0, 50.0), spawn.grid_offset);
}

// The axles sit inside the body: cg_to_front_axle + cg_to_rear_axle (the wheelbase) <= length.
void check_wheelbase(TableReader& r, const CarSpec& car) {
  if (car.cg_to_front_axle + car.cg_to_rear_axle <= car.length) return;
  const char* key = r.find("cg_to_rear_axle")    ? "cg_to_rear_axle"
                    : r.find("cg_to_front_axle") ? "cg_to_front_axle"
                                                 : "length";
  const toml::node* node = r.find(key);
  r.reporter().error(node ? location_of(*node) : r.where(), r.path_of(key),
                     "expected cg_to_front_axle + cg_to_rear_axle <= length " +
                         format_number(car.length, false) + ", got " +
                         format_number(car.cg_to_front_axle, false) + " + " +
                         format_number(car.cg_to_rear_axle, false),
                     "the wheelbase must fit within the car's length");
}

void read_car(TableReader& r, CarSpec& car) {
  bool wheelbase_readable = r.read_number("length", above_up_to(0.0, 20.0), car.length);
  r.read_number("width", above_up_to(0.0, 10.0), car.width);
  r.read_number("mass", above_up_to(0.0, 100000.0), car.mass);
  wheelbase_readable =
      r.read_number("cg_to_front_axle", above(0.0), car.cg_to_front_axle) && wheelbase_readable;
  wheelbase_readable =
      r.read_number("cg_to_rear_axle", above(0.0), car.cg_to_rear_axle) && wheelbase_readable;
  r.read_number("engine_force", above(0.0), car.engine_force);
  r.read_number("max_power", above(0.0), car.max_power);
  r.read_number("brake_force", above(0.0), car.brake_force);
  r.read_number("reverse_force", at_least(0.0), car.reverse_force);
  r.read_degrees("max_steer_deg", above_up_to(0.0, 60.0), car.max_steer);
  r.read_degrees("steer_rate_deg", above(0.0), car.steer_rate);
  r.read_number("tyre_friction", above_up_to(0.0, 3.0), car.tyre_friction);
  r.read_number("drag", at_least(0.0), car.drag);
  r.read_number("rolling_resistance", closed(0.0, 1.0), car.rolling_resistance);
  if (wheelbase_readable) check_wheelbase(r, car);
}

void read_sensors(TableReader& r, SensorSpec& sensors) {
  r.read_integer("rays", kRays, sensors.rays);
  r.read_degrees("fov_deg", above_up_to(0.0, 360.0), sensors.fov);
  r.read_number("range", above_up_to(0.0, 500.0), sensors.range);
  r.read_integer("corridor_rays", kCorridorRays, sensors.corridor_rays);
}

// Weights are magnitudes; reward.h gives each term its sign.
void read_reward(TableReader& r, RewardWeights& reward) {
  r.read_number("progress", at_least(0.0), reward.progress);
  r.read_number("crash", at_least(0.0), reward.crash);
  r.read_number("near_miss", at_least(0.0), reward.near_miss);
  r.read_number("time", at_least(0.0), reward.time);
  r.read_number("off_track", at_least(0.0), reward.off_track);
  r.read_number("lap", at_least(0.0), reward.lap);
}

// goal = "laps" (episode.laps) or "reach" (target, target_radius); each goal's keys only with it.
void read_goal(TableReader& r, EpisodeSpec& episode) {
  const Reporter& report = r.reporter();
  episode.goal_reach = read_choice(r, "goal", {"laps", "reach"}) == 1;
  r.read_number("target_radius", above_up_to(0.0, 100.0), episode.target_radius);
  const toml::node* target = r.find("target");
  if (target) {
    const toml::array* xy = target->as_array();
    if (!xy || xy->size() != 2) {
      report.error(location_of(*target), r.path_of("target"), "expected a point [x, y], got " + describe_value(*target),
                   "world coordinates in m");
    } else if (const std::optional<b2Vec2> p = check_xy(*xy, r.path_of("target"), report)) {
      episode.target = *p;
    }
  }
  if (episode.goal_reach) {
    episode.laps = 0;
    if (!target) {
      report.error(location_of(*r.find("goal")), r.path_of("goal"), "expected a target with goal = \"reach\", got none",
                   "add target = [x, y] (m) and optionally target_radius");
    }
    if (const toml::node* laps = r.find("laps")) {
      report.error(location_of(*laps), r.path_of("laps"), "expected laps only with goal = \"laps\", got it with \"reach\"",
                   "a reach episode ends at the target; remove laps");
    }
    return;
  }
  for (const char* key : {"target", "target_radius"}) {
    if (const toml::node* node = r.find(key)) {
      report.error(location_of(*node), r.path_of(key), "expected " + std::string(key) + " only with goal = \"reach\", got it without",
                   "add goal = \"reach\" to end the episode at the target");
    }
  }
}

void read_episode(TableReader& r, EpisodeSpec& episode) {
  r.read_number("dt", above_up_to(0.0, 0.1), episode.dt);
  r.read_integer("substeps", kSubsteps, episode.substeps);
  r.read_integer("velocity_iterations", kIterations, episode.velocity_iterations);
  r.read_integer("position_iterations", kIterations, episode.position_iterations);
  r.read_integer("max_steps", kMaxSteps, episode.max_steps);
  r.read_integer("laps", kLaps, episode.laps);
  r.read_number("near_miss_distance", above_up_to(0.0, 10.0), episode.near_miss_distance);
  r.read_number("wrong_way_limit", above(0.0), episode.wrong_way_limit);
  r.read_bool("terminate_on_crash", episode.terminate_on_crash);
  read_goal(r, episode);
}

// ---- the file ----

// procedural = true, or a [procedural] table of generator parameters.
void read_procedural_switch(TableReader& r, ProceduralSpec& proc) {
  const toml::node* node = r.find("procedural");
  if (!node) return;
  if (const toml::value<bool>* on = node->as_boolean()) {
    proc.enabled = on->get();
    return;
  }
  if (!node->as_table()) {
    r.reporter().error(location_of(*node), "procedural", "expected true, false or a table, got " + describe_value(*node),
                       "procedural = true, or [procedural] with the generator's keys (points, radius, width, pool, ...)");
    return;
  }
  proc.enabled = true;
  read_section(r, "procedural", [&](TableReader& t) { read_procedural(t, proc); });
}

// The sensors keep at most kMaxActors moving things in view.
void check_actor_count(TableReader& r, const Scenario& sc) {
  std::size_t actors = sc.movers.size();
  for (const TrafficSpec& t : sc.traffic) actors += static_cast<std::size_t>(t.count);
  if (actors <= kMaxActors) return;
  const toml::node* node = r.find("traffic");
  r.reporter().error(node ? location_of(*node) : r.where(), "traffic",
                     "expected at most " + std::to_string(kMaxActors) + " traffic cars and movers in all, got " +
                         std::to_string(actors),
                     "lower the traffic counts or remove movers");
}

// A procedural track is different every episode: nothing may be placed in the coordinates or at
// the arc lengths of one fixed track.
void check_procedural_exclusions(TableReader& r, const Scenario& sc) {
  const auto reject = [&](const std::string& path, const char* what) {
    r.reporter().error(sc.source.locate(path), path, std::string("expected no ") + what + " with procedural tracks, got one",
                       "procedural tracks change every episode; place things with [procedural] obstacles, or "
                       "drop procedural");
  };
  if (r.find("track")) reject("track", "[track]");
  if (!sc.obstacles.empty()) reject("obstacles[0]", "[[obstacles]]");
  if (!sc.movers.empty()) reject("movers[0]", "[[movers]] (world coordinates)");
  if (!sc.checkpoints.empty()) reject("checkpoints[0]", "[[checkpoints]] (arc lengths of one track)");
  for (std::size_t k = 0; k < sc.traffic.size(); ++k) {
    if (!sc.traffic[k].waypoints.empty()) reject(indexed("traffic", k) + ".waypoints", "traffic waypoints");
  }
  if (sc.episode.goal_reach) reject("episode.goal", "goal = \"reach\" (a world point)");
  if (sc.randomise.randomises_track()) reject("randomise", "track_width or obstacle_jitter randomisation");
}

void read_scenario(TableReader& r, Scenario& scenario) {
  std::string name = scenario.name;
  if (r.read_string("name", name) && name.empty()) {
    r.reporter().error(location_of(*r.find("name")), "name",
                       "expected a non-empty string, got an empty string",
                       "leave name out to use the file's name");
  }
  if (!name.empty()) scenario.name = name;
  r.read_string("description", scenario.description);

  read_procedural_switch(r, scenario.procedural);
  if (!r.find("track") && !scenario.procedural.enabled) {
    r.reporter().error({1, 1}, "track", "expected a [track] table, got none",
                       "add [track] with points = [[x, y], ...] (at least 3, in m), or procedural = true");
  }
  read_section(r, "track", [&](TableReader& t) { read_track(t, scenario.track); });
  read_table_array(r, "obstacles", "obstacle", [&](TableReader& t) { scenario.obstacles.push_back(read_obstacle(t)); });
  read_table_array(r, "traffic", "traffic car route", [&](TableReader& t) { scenario.traffic.push_back(read_traffic(t)); });
  read_table_array(r, "movers", "mover", [&](TableReader& t) { scenario.movers.push_back(read_mover(t)); });
  read_checkpoints(r, scenario.checkpoints);
  read_section(r, "randomise", [&](TableReader& t) { read_randomise(t, scenario.randomise); });
  read_section(r, "spawn", [&](TableReader& t) { read_spawn(t, scenario.spawn); });
  read_section(r, "car", [&](TableReader& t) { read_car(t, scenario.car); });
  read_section(r, "sensors", [&](TableReader& t) { read_sensors(t, scenario.sensors); });
  read_section(r, "reward", [&](TableReader& t) { read_reward(t, scenario.reward); });
  read_section(r, "episode", [&](TableReader& t) { read_episode(t, scenario.episode); });
  check_actor_count(r, scenario);
  if (scenario.procedural.enabled) check_procedural_exclusions(r, scenario);
}

}  // namespace

ParseResult parse_scenario(std::string_view text, const std::string& file) {
  ParseResult result;
  Scenario& scenario = result.scenario;
  scenario.file = file;
  scenario.fingerprint = fingerprint_of(text);
  scenario.name = default_name(file);

  const std::optional<toml::table> root = parse_toml(text, file, result.diagnostics);
  if (!root) return result;
  const Reporter report{file, &result.diagnostics, &scenario.source};
  TableReader reader(*root, "", report);
  read_scenario(reader, scenario);
  reader.report_unknown_keys();
  sort_by_position(result.diagnostics);
  return result;
}

}  // namespace sim
