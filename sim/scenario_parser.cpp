// Scenario TOML → Scenario: the schema (tables, keys, file units, allowed ranges) and the checks
// that involve more than one key. Typed reading with diagnostics is in toml_reader.h. The schema
// is documented for users in scenarios/README.md: change the two together.
#include "sim/hash.h"
#include "sim/scenario_parser.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

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
                       "every obstacle needs a shape");
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

ObstacleSpec read_obstacle(TableReader& r) {
  ObstacleSpec obstacle;
  const std::optional<ObstacleShape> shape = read_shape(r);
  if (shape) obstacle.shape = *shape;
  read_placement(r, obstacle);
  r.read_degrees("angle_deg", kAngleDeg, obstacle.angle);
  r.read_number("length", kObstacleSize, obstacle.length);
  r.read_number("width", kObstacleSize, obstacle.width);
  r.read_number("radius", kObstacleRadius, obstacle.radius);
  if (shape == ObstacleShape::Box) reject_size_key(r, "radius", *shape);
  if (shape == ObstacleShape::Circle) {
    reject_size_key(r, "length", *shape);
    reject_size_key(r, "width", *shape);
  }
  return obstacle;
}

void read_obstacles(TableReader& root, std::vector<ObstacleSpec>& obstacles) {
  const toml::node* node = root.find("obstacles");
  if (!node) return;
  const toml::array* list = node->as_array();
  if (list && list->empty()) return;
  if (!list || !list->is_array_of_tables()) {
    root.reporter().error(location_of(*node), "obstacles",
                          "expected an array of tables, got " + describe_value(*node),
                          "start each obstacle with a line [[obstacles]]");
    return;
  }
  for (std::size_t k = 0; k < list->size(); ++k) {
    const toml::table& table = *(*list)[k].as_table();
    const std::string path = indexed("obstacles", k);
    root.reporter().source->add(path, location_of(table));
    TableReader r(table, path, root.reporter());
    obstacles.push_back(read_obstacle(r));
    r.report_unknown_keys();
  }
}

// ---- [spawn], [car], [sensors], [reward], [episode] ----

void read_spawn(TableReader& r, SpawnSpec& spawn) {
  r.read_number("s", at_least(0.0), spawn.s);
  r.read_number("s_jitter", at_least(0.0), spawn.s_jitter);
  r.read_number("lateral_jitter", at_least(0.0), spawn.lateral_jitter);
  r.read_degrees("heading_jitter_deg", closed(0.0, 180.0), spawn.heading_jitter);
  r.read_number("speed", closed(0.0, 100.0), spawn.speed);
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
}

// ---- the file ----

void read_scenario(TableReader& r, Scenario& scenario) {
  std::string name = scenario.name;
  if (r.read_string("name", name) && name.empty()) {
    r.reporter().error(location_of(*r.find("name")), "name",
                       "expected a non-empty string, got an empty string",
                       "leave name out to use the file's name");
  }
  if (!name.empty()) scenario.name = name;
  r.read_string("description", scenario.description);

  if (!r.find("track")) {
    r.reporter().error({1, 1}, "track", "expected a [track] table, got none",
                       "add [track] with points = [[x, y], ...] (at least 3, in m)");
  }
  read_section(r, "track", [&](TableReader& t) { read_track(t, scenario.track); });
  read_obstacles(r, scenario.obstacles);
  read_section(r, "spawn", [&](TableReader& t) { read_spawn(t, scenario.spawn); });
  read_section(r, "car", [&](TableReader& t) { read_car(t, scenario.car); });
  read_section(r, "sensors", [&](TableReader& t) { read_sensors(t, scenario.sensors); });
  read_section(r, "reward", [&](TableReader& t) { read_reward(t, scenario.reward); });
  read_section(r, "episode", [&](TableReader& t) { read_episode(t, scenario.episode); });
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
