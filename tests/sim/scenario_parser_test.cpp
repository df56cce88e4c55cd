#include "sim/scenario_parser.h"

#include <gtest/gtest.h>

#include <numbers>
#include <string>

namespace sim {
namespace {

constexpr float kDeg = static_cast<float>(std::numbers::pi / 180.0);

// The smallest valid scenario; bad-input cases append to it, starting on line 3.
constexpr const char* kTrack = "[track]\npoints = [[0, 0], [50, 0], [50, 30]]\n";

std::string all_messages(const ParseResult& result) { return format_diagnostics(result.diagnostics); }

TEST(ScenarioParserTest, FullScenarioParsesToTheWrittenValues) {
  const char* text = R"(name = "Test circuit"
description = "A square with one wide corner"

[track]
points = [[0.0, 0.0], [60.0, 0.0, 14.0], [60, 40], [0.0, 40.0]]
width = 10.0
sample_spacing = 0.5

[[obstacles]]
shape = "box"
s = 120.0
offset = -2.0
angle_deg = 90.0
length = 2.0
width = 1.0

[[obstacles]]
shape = "circle"
position = [10.0, 4.0]
radius = 0.75

[[obstacles]]
shape = "circle"
s = 30

[spawn]
s = 5.0
s_jitter = 2.0
lateral_jitter = 1.0
heading_jitter_deg = 10.0
speed = 3.0

[car]
mass = 900
max_steer_deg = 30.0
steer_rate_deg = 180

[sensors]
rays = 32
fov_deg = 180

[reward]
crash = 5.0

[episode]
dt = 0.02
laps = 3
terminate_on_crash = false
)";
  const ParseResult result = parse_scenario(text, "scenarios/test.toml");
  ASSERT_TRUE(result.ok()) << all_messages(result);
  const Scenario& s = result.scenario;

  EXPECT_EQ(s.name, "Test circuit");
  EXPECT_EQ(s.description, "A square with one wide corner");
  EXPECT_EQ(s.file, "scenarios/test.toml");

  ASSERT_EQ(s.track.points.size(), 4u);
  ASSERT_EQ(s.track.widths.size(), 4u);
  EXPECT_FLOAT_EQ(s.track.points[2].x, 60.0f);  // integers are fine where numbers are expected
  EXPECT_FLOAT_EQ(s.track.points[2].y, 40.0f);
  EXPECT_FLOAT_EQ(s.track.widths[0], 10.0f);  // the table's width...
  EXPECT_FLOAT_EQ(s.track.widths[1], 14.0f);  // ...unless the point has its own
  EXPECT_FLOAT_EQ(s.track.widths[3], 10.0f);
  EXPECT_FLOAT_EQ(s.track.sample_spacing, 0.5f);

  ASSERT_EQ(s.obstacles.size(), 3u);
  const ObstacleSpec& box = s.obstacles[0];
  EXPECT_EQ(box.shape, ObstacleShape::Box);
  EXPECT_TRUE(box.track_relative);
  EXPECT_FLOAT_EQ(box.s, 120.0f);
  EXPECT_FLOAT_EQ(box.offset, -2.0f);
  EXPECT_FLOAT_EQ(box.angle, 90.0f * kDeg);
  EXPECT_FLOAT_EQ(box.length, 2.0f);
  EXPECT_FLOAT_EQ(box.width, 1.0f);
  const ObstacleSpec& world_circle = s.obstacles[1];
  EXPECT_EQ(world_circle.shape, ObstacleShape::Circle);
  EXPECT_FALSE(world_circle.track_relative);
  EXPECT_FLOAT_EQ(world_circle.position.x, 10.0f);
  EXPECT_FLOAT_EQ(world_circle.position.y, 4.0f);
  EXPECT_FLOAT_EQ(world_circle.radius, 0.75f);
  const ObstacleSpec& track_circle = s.obstacles[2];
  EXPECT_TRUE(track_circle.track_relative);
  EXPECT_FLOAT_EQ(track_circle.s, 30.0f);
  EXPECT_FLOAT_EQ(track_circle.offset, 0.0f);

  EXPECT_FLOAT_EQ(s.spawn.s, 5.0f);
  EXPECT_FLOAT_EQ(s.spawn.s_jitter, 2.0f);
  EXPECT_FLOAT_EQ(s.spawn.lateral_jitter, 1.0f);
  EXPECT_FLOAT_EQ(s.spawn.heading_jitter, 10.0f * kDeg);
  EXPECT_FLOAT_EQ(s.spawn.speed, 3.0f);

  EXPECT_FLOAT_EQ(s.car.mass, 900.0f);
  EXPECT_FLOAT_EQ(s.car.max_steer, 30.0f * kDeg);
  EXPECT_FLOAT_EQ(s.car.steer_rate, 180.0f * kDeg);
  EXPECT_FLOAT_EQ(s.car.length, CarSpec{}.length);  // keys left out keep their defaults

  EXPECT_EQ(s.sensors.rays, 32);
  EXPECT_FLOAT_EQ(s.sensors.fov, 180.0f * kDeg);
  EXPECT_FLOAT_EQ(s.sensors.range, SensorSpec{}.range);

  EXPECT_FLOAT_EQ(s.reward.crash, 5.0f);
  EXPECT_FLOAT_EQ(s.reward.progress, RewardWeights{}.progress);

  EXPECT_FLOAT_EQ(s.episode.dt, 0.02f);
  EXPECT_EQ(s.episode.laps, 3);
  EXPECT_FALSE(s.episode.terminate_on_crash);
  EXPECT_EQ(s.episode.substeps, EpisodeSpec{}.substeps);
}

TEST(ScenarioParserTest, MinimalScenarioGetsEveryDefault) {
  const ParseResult result = parse_scenario(kTrack, "scenarios/oval.toml");
  ASSERT_TRUE(result.ok()) << all_messages(result);
  const Scenario& s = result.scenario;
  EXPECT_EQ(s.name, "oval");  // the file's stem
  EXPECT_EQ(s.description, "");
  EXPECT_EQ(s.track.widths, std::vector<float>(3, 12.0f));
  EXPECT_FLOAT_EQ(s.track.sample_spacing, TrackSpec{}.sample_spacing);
  EXPECT_TRUE(s.obstacles.empty());
  EXPECT_FLOAT_EQ(s.spawn.speed, SpawnSpec{}.speed);
  EXPECT_FLOAT_EQ(s.car.mass, CarSpec{}.mass);
  EXPECT_FLOAT_EQ(s.car.max_steer, CarSpec{}.max_steer);
  EXPECT_EQ(s.sensors.rays, SensorSpec{}.rays);
  EXPECT_FLOAT_EQ(s.reward.lap, RewardWeights{}.lap);
  EXPECT_EQ(s.episode.max_steps, EpisodeSpec{}.max_steps);
  EXPECT_TRUE(s.episode.terminate_on_crash);
}

TEST(ScenarioParserTest, TrafficMoversCheckpointsGoalAndRandomiseParseToTheWrittenValues) {
  const std::string text = std::string(kTrack) + R"(
[[traffic]]
waypoints = [[0, -5], [60, -5], [60, 40]]
speed_profile = [[0, 8], [50, 4.5]]
start = 12
start_jitter = 3
count = 2
spacing = 25
length = 5
width = 2

[[traffic]]
offset = -2.5

[[movers]]
shape = "circle"
radius = 0.75
path = [[10, -6], [10, 6]]
speed = 2
mode = "loop"
pause = 1.5
phase = 0.5

[[checkpoints]]
s = 20
reward = 2

[[checkpoints]]
s = 70

[randomise]
tyre_friction = [0.7, 1.1]
track_width = [0.9, 1.2]
obstacle_jitter = 0.5
traffic_speed = [0.8, 1.25]
variants = 8

[episode]
goal = "reach"
target = [50, 20]
target_radius = 2.5
)";
  const ParseResult result = parse_scenario(text, "new.toml");
  ASSERT_TRUE(result.ok()) << all_messages(result);
  const Scenario& s = result.scenario;
  ASSERT_EQ(s.traffic.size(), 2u);
  const TrafficSpec& t = s.traffic[0];
  ASSERT_EQ(t.waypoints.size(), 3u);
  EXPECT_FLOAT_EQ(t.waypoints[2].y, 40.0f);
  ASSERT_EQ(t.speed_profile.size(), 2u);
  EXPECT_FLOAT_EQ(t.speed_profile[1].x, 50.0f);
  EXPECT_FLOAT_EQ(t.speed_profile[1].y, 4.5f);
  EXPECT_FLOAT_EQ(t.start, 12.0f);
  EXPECT_FLOAT_EQ(t.start_jitter, 3.0f);
  EXPECT_EQ(t.count, 2);
  EXPECT_FLOAT_EQ(t.spacing, 25.0f);
  EXPECT_FLOAT_EQ(t.length, 5.0f);
  EXPECT_FLOAT_EQ(t.width, 2.0f);
  EXPECT_TRUE(s.traffic[1].waypoints.empty());
  EXPECT_FLOAT_EQ(s.traffic[1].offset, -2.5f);
  EXPECT_FLOAT_EQ(s.traffic[1].speed, TrafficSpec{}.speed);
  ASSERT_EQ(s.movers.size(), 1u);
  const MoverSpec& m = s.movers[0];
  EXPECT_EQ(m.shape, ObstacleShape::Circle);
  EXPECT_FLOAT_EQ(m.radius, 0.75f);
  ASSERT_EQ(m.path.size(), 2u);
  EXPECT_FLOAT_EQ(m.path[1].y, 6.0f);
  EXPECT_FLOAT_EQ(m.speed, 2.0f);
  EXPECT_EQ(m.mode, MoverMode::Loop);
  EXPECT_FLOAT_EQ(m.pause, 1.5f);
  EXPECT_FLOAT_EQ(m.phase, 0.5f);
  ASSERT_EQ(s.checkpoints.size(), 2u);
  EXPECT_FLOAT_EQ(s.checkpoints[0].reward, 2.0f);
  EXPECT_FLOAT_EQ(s.checkpoints[1].s, 70.0f);
  EXPECT_FLOAT_EQ(s.checkpoints[1].reward, 0.0f);
  EXPECT_FLOAT_EQ(s.randomise.tyre_friction[0], 0.7f);
  EXPECT_FLOAT_EQ(s.randomise.track_width[1], 1.2f);
  EXPECT_FLOAT_EQ(s.randomise.obstacle_jitter, 0.5f);
  EXPECT_FLOAT_EQ(s.randomise.traffic_speed[1], 1.25f);
  EXPECT_EQ(s.randomise.variants, 8);
  EXPECT_TRUE(s.episode.goal_reach);
  EXPECT_EQ(s.episode.laps, 0);
  EXPECT_FLOAT_EQ(s.episode.target.x, 50.0f);
  EXPECT_FLOAT_EQ(s.episode.target_radius, 2.5f);
  EXPECT_FALSE(s.procedural.enabled);
}

TEST(ScenarioParserTest, ProceduralTrueAndTheProceduralTableBothTurnItOn) {
  const ParseResult on = parse_scenario("procedural = true\n", "p.toml");
  ASSERT_TRUE(on.ok()) << all_messages(on);
  EXPECT_TRUE(on.scenario.procedural.enabled);
  EXPECT_EQ(on.scenario.procedural.pool, ProceduralSpec{}.pool);
  const ParseResult table = parse_scenario("[procedural]\npool = 8\nseed = 5\npoints = 9\nwidth = 12\n", "p.toml");
  ASSERT_TRUE(table.ok()) << all_messages(table);
  EXPECT_TRUE(table.scenario.procedural.enabled);
  EXPECT_EQ(table.scenario.procedural.pool, 8);
  EXPECT_EQ(table.scenario.procedural.seed, 5u);
  EXPECT_EQ(table.scenario.procedural.params.points, 9);
  EXPECT_FLOAT_EQ(table.scenario.procedural.params.width, 12.0f);
}

TEST(ScenarioParserTest, NameIsUnnamedWithoutAFileName) {
  EXPECT_EQ(parse_scenario(kTrack, "").scenario.name, "unnamed");
}

TEST(ScenarioParserTest, InlineTablesAndDottedKeysAreTheSameAsSections) {
  const std::string text = std::string("car = { mass = 800 }\nsensors.rays = 8\n") + kTrack;
  const ParseResult result = parse_scenario(text, "a.toml");
  ASSERT_TRUE(result.ok()) << all_messages(result);
  EXPECT_FLOAT_EQ(result.scenario.car.mass, 800.0f);
  EXPECT_EQ(result.scenario.sensors.rays, 8);
}

struct BadInput {
  const char* name;      // names the gtest case
  std::string text;      // the whole file
  const char* expected;  // a substring of the formatted diagnostics, from "bad.toml:line:col: "
};

void PrintTo(const BadInput& input, std::ostream* os) { *os << input.name; }

std::string with_track(const char* rest) { return std::string(kTrack) + rest; }

class ScenarioParserBadInputTest : public testing::TestWithParam<BadInput> {};

TEST_P(ScenarioParserBadInputTest, ReportsLocationKeyPathAndMessage) {
  const ParseResult result = parse_scenario(GetParam().text, "bad.toml");
  EXPECT_FALSE(result.ok());
  EXPECT_NE(all_messages(result).find(GetParam().expected), std::string::npos)
      << "expected to find:\n  " << GetParam().expected << "\nin:\n"
      << all_messages(result);
}

const BadInput kBadInputs[] = {
    {"NegativeMass", with_track("[car]\nmass = -3\n"),
     "bad.toml:4:8: car.mass: expected a number in (0, 100000], got -3\n"},
    {"UnknownKeyGetsNearestKey", with_track("[car]\nmas = 900\n"),
     "bad.toml:4:1: car.mas: unknown key (hint: did you mean 'mass'?)"},
    {"KeyWithoutUnitSuffixGetsTheSuffixedKey", with_track("[car]\nmax_steer = 0.5\n"),
     "bad.toml:4:1: car.max_steer: unknown key (hint: did you mean 'max_steer_deg'?)"},
    {"UnrelatedKeyGetsListOfValidKeys", with_track("[sensors]\nbanana = 1\n"),
     "bad.toml:4:1: sensors.banana: unknown key (hint: valid keys in [sensors]: rays, fov_deg, range, corridor_rays)"},
    {"UnknownTableGetsNearestTable", with_track("[sensor]\nrays = 8\n"),
     "bad.toml:3:2: sensor: unknown table (hint: did you mean 'sensors'?)"},
    {"StringForNumber", with_track("[car]\nmass = \"heavy\"\n"),
     "bad.toml:4:8: car.mass: expected a number, got a string \"heavy\"\n"},
    {"QuotedNumber", with_track("[car]\nmass = \"900\"\n"),
     "bad.toml:4:8: car.mass: expected a number, got a string \"900\" (hint: write numbers without "
     "quotes: 900)"},
    {"FractionalCount", with_track("[sensors]\nrays = 16.5\n"),
     "bad.toml:4:8: sensors.rays: expected an integer, got 16.5 (hint: this is a count: a whole "
     "number)"},
    {"WholeFloatForCount", with_track("[sensors]\nrays = 16.0\n"),
     "bad.toml:4:8: sensors.rays: expected an integer, got 16.0 (hint: write 16 without the decimal "
     "point)"},
    {"CountOutOfRange", with_track("[sensors]\nrays = 300\n"),
     "bad.toml:4:8: sensors.rays: expected an integer in [1, 256], got 300"},
    {"NegativeLaps", with_track("[episode]\nlaps = -1\n"),
     "bad.toml:4:8: episode.laps: expected an integer in [0, 1000], got -1"},
    {"NotANumber", with_track("[episode]\ndt = nan\n"),
     "bad.toml:4:6: episode.dt: expected a finite number in (0, 0.1], got nan"},
    {"InfiniteForce", with_track("[car]\nengine_force = inf\n"),
     "bad.toml:4:16: car.engine_force: expected a finite number > 0, got inf"},
    {"BeyondFloatRange", with_track("[car]\nengine_force = 1e300\n"),
     "bad.toml:4:16: car.engine_force: expected a number > 0, got 1e+300 (hint: too large"},
    {"SteeringAngleAboveLimit", with_track("[car]\nmax_steer_deg = 75\n"),
     "bad.toml:4:17: car.max_steer_deg: expected a number in (0, 60], got 75"},
    {"NegativeRewardWeight", with_track("[reward]\ncrash = -10\n"),
     "bad.toml:4:9: reward.crash: expected a number >= 0, got -10"},
    {"WheelbaseLongerThanCar", with_track("[car]\nlength = 2.5\n"),
     "bad.toml:4:10: car.length: expected cg_to_front_axle + cg_to_rear_axle <= length 2.5, got 1.3 + "
     "1.4"},
    {"StringForBool", with_track("[episode]\nterminate_on_crash = \"true\"\n"),
     "bad.toml:4:22: episode.terminate_on_crash: expected true or false, got a string \"true\" "
     "(hint: write true or false without quotes)"},
    {"ValueForTable", "car = 3\n" + std::string(kTrack), "bad.toml:1:7: car: expected a table, got 3"},
    {"EmptyName", "name = \"\"\n" + std::string(kTrack),
     "bad.toml:1:8: name: expected a non-empty string, got an empty string"},
    {"TopLevelKeyAfterATableBelongsToThatTable", with_track("name = \"late\"\n"),
     "bad.toml:3:1: track.name: unknown key (hint: valid keys in [track]: width, sample_spacing, "
     "points)"},
    {"BoxWithRadius", with_track("[[obstacles]]\nshape = \"box\"\ns = 10\nradius = 0.5\n"),
     "bad.toml:6:10: obstacles[0].radius: radius applies only to shape = \"circle\", not to a box "
     "(hint: size a box with length and width)"},
    {"CircleWithLength", with_track("[[obstacles]]\nshape = \"circle\"\ns = 10\nlength = 2\n"),
     "bad.toml:6:10: obstacles[0].length: length applies only to shape = \"box\", not to a circle"},
    {"BothSAndPosition", with_track("[[obstacles]]\nshape = \"circle\"\ns = 10\nposition = [1, 2]\n"),
     "bad.toml:6:12: obstacles[0].position: expected either s or position, got both"},
    {"NeitherSNorPosition", with_track("[[obstacles]]\nshape = \"circle\"\n"),
     "bad.toml:3:1: obstacles[0]: expected s (along the track) or position (in the world), got neither"},
    {"OffsetWithPosition",
     with_track("[[obstacles]]\nshape = \"circle\"\nposition = [1, 2]\noffset = 1\n"),
     "bad.toml:6:10: obstacles[0].offset: expected offset only with s, got it with position"},
    {"MissingShape", with_track("[[obstacles]]\ns = 10\n"),
     "bad.toml:3:1: obstacles[0].shape: expected shape = \"box\" or \"circle\", got none"},
    {"MisspeltShape", with_track("[[obstacles]]\nshape = \"cricle\"\ns = 10\n"),
     "bad.toml:4:9: obstacles[0].shape: expected \"box\" or \"circle\", got a string \"cricle\" "
     "(hint: did you mean 'circle'?)"},
    {"SecondObstacleIsIndexed",
     with_track("[[obstacles]]\nshape = \"box\"\ns = 1\n[[obstacles]]\nshape = \"box\"\ns = -1\n"),
     "bad.toml:8:5: obstacles[1].s: expected a number >= 0, got -1"},
    {"ObstaclesAsPlainTable", with_track("[obstacles]\nshape = \"box\"\n"),
     "bad.toml:3:1: obstacles: expected an array of tables, got a table "
     "(hint: start each obstacle with a line [[obstacles]])"},
    {"BadPosition", with_track("[[obstacles]]\nshape = \"circle\"\nposition = [1, 2, 3]\n"),
     "bad.toml:5:12: obstacles[0].position: expected a position [x, y], got an array of 3 elements"},
    {"TwoPoints", "[track]\npoints = [[0, 0], [1, 0]]\n",
     "bad.toml:2:10: track.points: expected at least 3 points, got 2"},
    {"PointWithFourNumbers", "[track]\npoints = [[0, 0], [50, 0], [50, 30, 5, 1]]\n",
     "bad.toml:2:28: track.points[2]: expected a point [x, y] or [x, y, width], got an array of 4 "
     "elements"},
    {"NegativePointWidth", "[track]\npoints = [[0, 0], [50, 0, -4], [50, 30]]\n",
     "bad.toml:2:27: track.points[1][2]: expected a number in (0, 100], got -4"},
    {"CoordinateFarAway", "[track]\npoints = [[0, 0], [50, 0], [50, 3e4]]\n",
     "bad.toml:2:33: track.points[2][1]: expected a number in [-10000, 10000], got 30000.0"},
    {"PointsNotAnArray", "[track]\npoints = 3\n",
     "bad.toml:2:10: track.points: expected an array of points, got 3"},
    {"MissingPoints", "[track]\nwidth = 8\n",
     "bad.toml:1:1: track.points: expected an array of at least 3 points, got none"},
    {"MissingTrack", "[car]\nmass = 900\n", "bad.toml:1:1: track: expected a [track] table, got none"},
    // [[traffic]]
    {"TrafficSpeedZero", with_track("[[traffic]]\nspeed = 0\n"),
     "bad.toml:4:9: traffic[0].speed: expected a number in (0, 100], got 0"},
    {"TrafficSpeedString", with_track("[[traffic]]\nspeed = \"fast\"\n"),
     "bad.toml:4:9: traffic[0].speed: expected a number, got a string \"fast\""},
    {"TrafficUnknownKey", with_track("[[traffic]]\nsped = 5\n"),
     "bad.toml:4:1: traffic[0].sped: unknown key (hint: did you mean 'speed'?)"},
    {"TrafficOffsetWithWaypoints", with_track("[[traffic]]\nwaypoints = [[0, 0], [10, 0], [10, 10]]\noffset = 2\n"),
     "bad.toml:5:10: traffic[0].offset: expected offset only without waypoints, got both"},
    {"TrafficSpeedAndProfile", with_track("[[traffic]]\nspeed = 5\nspeed_profile = [[0, 5]]\n"),
     "bad.toml:4:9: traffic[0].speed: expected either speed or speed_profile, got both"},
    {"SpeedProfileNotIncreasing", with_track("[[traffic]]\nspeed_profile = [[10, 5], [5, 6]]\n"),
     "bad.toml:4:28: traffic[0].speed_profile[1][0]: expected s greater than the previous entry's 10, got 5"},
    {"SpeedProfileEntryNotAPair", with_track("[[traffic]]\nspeed_profile = [[10, 5, 1]]\n"),
     "bad.toml:4:18: traffic[0].speed_profile[0]: expected a pair [s, v], got an array of 3 elements"},
    {"TrafficCountZero", with_track("[[traffic]]\ncount = 0\n"),
     "bad.toml:4:9: traffic[0].count: expected an integer in [1, 64], got 0"},
    {"WaypointsTooFew", with_track("[[traffic]]\nwaypoints = [[0, 0], [1, 0]]\n"),
     "bad.toml:4:13: traffic[0].waypoints: expected an array of at least 3 points [x, y], got an array of 2 elements"},
    {"TrafficAsPlainTable", with_track("[traffic]\nspeed = 3\n"),
     "bad.toml:3:1: traffic: expected an array of tables, got a table (hint: start each traffic car route with a "
     "line [[traffic]])"},
    {"TooManyActors", with_track("[[traffic]]\ncount = 40\n[[traffic]]\ncount = 30\n"),
     "traffic: expected at most 64 traffic cars and movers in all, got 70"},
    // [[movers]]
    {"MoverWithoutPath", with_track("[[movers]]\nshape = \"box\"\n"),
     "bad.toml:3:1: movers[0].path: expected a path of at least 2 points, got none"},
    {"MoverMisspeltMode", with_track("[[movers]]\nshape = \"circle\"\npath = [[0, 0], [1, 0]]\nmode = \"bouce\"\n"),
     "bad.toml:6:8: movers[0].mode: expected \"bounce\" or \"loop\", got a string \"bouce\" (hint: did you mean "
     "'bounce'?)"},
    {"MoverNegativePause", with_track("[[movers]]\nshape = \"circle\"\npath = [[0, 0], [1, 0]]\npause = -1\n"),
     "bad.toml:6:9: movers[0].pause: expected a number in [0, 3600], got -1"},
    {"MoverUnknownKey", with_track("[[movers]]\nshape = \"circle\"\npath = [[0, 0], [1, 0]]\nspeeed = 2\n"),
     "bad.toml:6:1: movers[0].speeed: unknown key (hint: did you mean 'speed'?)"},
    {"MoverPathPointNotAPoint", with_track("[[movers]]\nshape = \"circle\"\npath = [[0, 0], 3]\n"),
     "bad.toml:5:17: movers[0].path[1]: expected a point [x, y], got 3"},
    {"MoverBoxWithRadius", with_track("[[movers]]\nshape = \"box\"\npath = [[0, 0], [1, 0]]\nradius = 1\n"),
     "bad.toml:6:10: movers[0].radius: radius applies only to shape = \"circle\", not to a box"},
    // [[checkpoints]]
    {"CheckpointsOutOfOrder", with_track("[[checkpoints]]\ns = 50\n[[checkpoints]]\ns = 20\n"),
     "bad.toml:6:5: checkpoints[1].s: expected s greater than the previous checkpoint's 50, got 20"},
    {"CheckpointWithoutS", with_track("[[checkpoints]]\nreward = 1\n"),
     "bad.toml:3:1: checkpoints[0].s: expected s (m along the centreline), got none"},
    {"CheckpointNegativeReward", with_track("[[checkpoints]]\ns = 5\nreward = -1\n"),
     "bad.toml:5:10: checkpoints[0].reward: expected a number >= 0, got -1"},
    {"CheckpointUnknownKey", with_track("[[checkpoints]]\ns = 5\nrewrd = 1\n"),
     "bad.toml:5:1: checkpoints[0].rewrd: unknown key (hint: did you mean 'reward'?)"},
    // [episode] goal
    {"ReachWithoutTarget", with_track("[episode]\ngoal = \"reach\"\n"),
     "bad.toml:4:8: episode.goal: expected a target with goal = \"reach\", got none"},
    {"MisspeltGoal", with_track("[episode]\ngoal = \"lap\"\n"),
     "bad.toml:4:8: episode.goal: expected \"laps\" or \"reach\", got a string \"lap\" (hint: did you mean 'laps'?)"},
    {"TargetWithoutReach", with_track("[episode]\ntarget = [1, 2]\n"),
     "bad.toml:4:10: episode.target: expected target only with goal = \"reach\", got it without"},
    {"LapsWithReach", with_track("[episode]\ngoal = \"reach\"\ntarget = [1, 2]\nlaps = 2\n"),
     "bad.toml:6:8: episode.laps: expected laps only with goal = \"laps\", got it with \"reach\""},
    {"TargetRadiusZero", with_track("[episode]\ngoal = \"reach\"\ntarget = [1, 2]\ntarget_radius = 0\n"),
     "bad.toml:6:17: episode.target_radius: expected a number in (0, 100], got 0"},
    {"TargetNotAPoint", with_track("[episode]\ngoal = \"reach\"\ntarget = 4\n"),
     "bad.toml:5:10: episode.target: expected a point [x, y], got 4"},
    // [randomise]
    {"FrictionRangeReversed", with_track("[randomise]\ntyre_friction = [1.2, 0.8]\n"),
     "bad.toml:4:17: randomise.tyre_friction: expected low <= high, got [1.2, 0.8]"},
    {"FrictionRangeOutOfRange", with_track("[randomise]\ntyre_friction = [0, 1]\n"),
     "bad.toml:4:18: randomise.tyre_friction[0]: expected a number in (0, 3], got 0"},
    {"TrackWidthNotARange", with_track("[randomise]\ntrack_width = 1.1\n"),
     "bad.toml:4:15: randomise.track_width: expected a range [low, high], got 1.1"},
    {"TrafficSpeedRangeString", with_track("[randomise]\ntraffic_speed = [\"slow\", 1]\n"),
     "bad.toml:4:18: randomise.traffic_speed[0]: expected a number, got a string \"slow\""},
    {"RandomiseUnknownKey", with_track("[randomise]\ntyre_fricton = [0.8, 1]\n"),
     "bad.toml:4:1: randomise.tyre_fricton: unknown key (hint: did you mean 'tyre_friction'?)"},
    {"ObstacleJitterTooLarge", with_track("[randomise]\nobstacle_jitter = 20\n"),
     "bad.toml:4:19: randomise.obstacle_jitter: expected a number in [0, 10], got 20"},
    {"VariantsZero", with_track("[randomise]\nvariants = 0\n"),
     "bad.toml:4:12: randomise.variants: expected an integer in [1, 256], got 0"},
    {"RandomiseMisspeltAsTable", with_track("[randomize]\nvariants = 4\n"),
     "bad.toml:3:2: randomize: unknown table (hint: did you mean 'randomise'?)"},
    // several agents
    {"AgentsZero", with_track("[spawn]\nagents = 0\n"),
     "bad.toml:4:10: spawn.agents: expected an integer in [1, 16], got 0"},
    {"AgentsMoreThanTheLidarSees", with_track("[spawn]\nagents = 17\n"),
     "bad.toml:4:10: spawn.agents: expected an integer in [1, 16], got 17"},
    {"AgentsFractional", with_track("[spawn]\nagents = 2.5\n"),
     "bad.toml:4:10: spawn.agents: expected an integer, got 2.5"},
    {"AgentSpacingZero", with_track("[spawn]\nagent_spacing = 0\n"),
     "bad.toml:4:17: spawn.agent_spacing: expected a number in (0, 1000], got 0"},
    {"AgentSpacingAsText", with_track("[spawn]\nagent_spacing = \"far\"\n"),
     "bad.toml:4:17: spawn.agent_spacing: expected a number, got a string \"far\""},
    {"GridOffsetNegative", with_track("[spawn]\ngrid_offset = -1\n"),
     "bad.toml:4:15: spawn.grid_offset: expected a number in [0, 50], got -1"},
    {"AgentsMisspelt", with_track("[spawn]\nagnets = 3\n"),
     "bad.toml:4:1: spawn.agnets: unknown key (hint: did you mean 'agents'?)"},
    // procedural
    {"ProceduralWrongType", "procedural = 3\n" + std::string(kTrack),
     "bad.toml:1:14: procedural: expected true, false or a table, got 3"},
    {"ProceduralWithTrack", "procedural = true\n" + std::string(kTrack),
     "track: expected no [track] with procedural tracks, got one"},
    {"ProceduralPoolZero", "[procedural]\npool = 0\n",
     "bad.toml:2:8: procedural.pool: expected an integer in [1, 1024], got 0"},
    {"ProceduralUnknownKey", "[procedural]\npoints = 8\nradus = 60\n",
     "bad.toml:3:1: procedural.radus: unknown key (hint: did you mean 'radius'?)"},
    {"ProceduralRadiusTooSmall", "[procedural]\nradius = 5\n",
     "bad.toml:2:10: procedural.radius: expected a number in [20, 5000], got 5"},
    {"ProceduralWithMovers", "procedural = true\n[[movers]]\nshape = \"circle\"\npath = [[0, 0], [1, 0]]\n",
     "movers[0]: expected no [[movers]] (world coordinates) with procedural tracks, got one"},
    {"ProceduralWithReachGoal", "procedural = true\n[episode]\ngoal = \"reach\"\ntarget = [1, 2]\n",
     "bad.toml:3:8: episode.goal: expected no goal = \"reach\" (a world point) with procedural tracks, got one"},
    {"SyntaxErrorHasItsLine", with_track("[car]\nmass = \n"),
     "bad.toml:4:8: Error while parsing key-value pair: expected value"},
};

INSTANTIATE_TEST_SUITE_P(ScenarioParserTest, ScenarioParserBadInputTest, testing::ValuesIn(kBadInputs),
                         [](const testing::TestParamInfo<BadInput>& param) {
                           return std::string(param.param.name);
                         });

TEST(ScenarioParserTest, ReportsEveryProblemOfAFileInFileOrder) {
  const char* text = R"(name = 3
[track]
points = [[0, 0], [50, 0]]
[car]
mass = -1
mas = 2
[sensors]
rays = 16.5
)";
  const ParseResult result = parse_scenario(text, "many.toml");
  ASSERT_EQ(result.diagnostics.size(), 5u) << all_messages(result);
  EXPECT_EQ(result.diagnostics[0].key_path, "name");
  EXPECT_EQ(result.diagnostics[1].key_path, "track.points");
  EXPECT_EQ(result.diagnostics[2].key_path, "car.mass");
  EXPECT_EQ(result.diagnostics[3].key_path, "car.mas");
  EXPECT_EQ(result.diagnostics[4].key_path, "sensors.rays");
}

TEST(ScenarioParserTest, SourceMapRecordsEveryPointObstacleAndKey) {
  const std::string text = R"([track]
points = [
  [0, 0],
  [50, 0, 9],
  [50, 30],
]
[[obstacles]]
shape = "box"
position = [5, 5]
[car]
mass = 1000
)";
  const ParseResult result = parse_scenario(text, "map.toml");
  ASSERT_TRUE(result.ok()) << all_messages(result);
  const SourceMap& map = result.scenario.source;
  EXPECT_EQ(map.locate("track").line, 1);
  EXPECT_EQ(map.locate("track.points").line, 2);
  for (int i = 0; i < 3; ++i) {
    const SourceLocation where = map.locate("track.points[" + std::to_string(i) + "]");
    EXPECT_EQ(where.line, 3 + i) << "point " << i;
    EXPECT_EQ(where.column, 3) << "point " << i;
  }
  EXPECT_EQ(map.locate("obstacles[0]").line, 7);
  EXPECT_EQ(map.locate("obstacles[0].position").line, 9);
  EXPECT_EQ(map.locate("car.mass").line, 11);
  EXPECT_EQ(map.locate("car.mass").column, 8);
}

TEST(ScenarioParserTest, FingerprintIsEqualForEqualTextsAndDiffersOtherwise) {
  const std::string a = kTrack;
  const std::string b = with_track("[car]\nmass = 1000\n");
  EXPECT_EQ(parse_scenario(a, "x.toml").scenario.fingerprint,
            parse_scenario(a, "y.toml").scenario.fingerprint);
  EXPECT_NE(parse_scenario(a, "x.toml").scenario.fingerprint,
            parse_scenario(b, "x.toml").scenario.fingerprint);
  EXPECT_NE(parse_scenario(a, "x.toml").scenario.fingerprint, 0u);
}

}  // namespace
}  // namespace sim
