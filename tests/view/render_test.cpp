// The renderer, drawn into an offscreen texture: colours land where the camera says, the HUD
// text is drawn, the crash flash and heatmap show. Needs a display (ctest provides an Xvfb).
#include "view/renderer.h"

#include <gtest/gtest.h>

#include <SFML/Graphics/Image.hpp>
#include <SFML/Graphics/RenderTexture.hpp>

#include <cmath>

#include "sim/sensors.h"
#include "support/test_tracks.h"
#include "image_checks.h"
#include "view/drive_session.h"
#include "view/play_mode.h"
#include "view/scene_builder.h"
#include "view/viewer.h"
#include "view/theme.h"

namespace view {
namespace {

using sim::testing::load_or_fail;
using testing::text_pixels;
using sim::testing::OvalOptions;
using sim::testing::oval_toml;

constexpr unsigned kWidth = 640, kHeight = 360;

class RenderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { load_fonts(fonts_); }

  RenderTest()
      : scenario_(load_or_fail(oval_toml(OvalOptions{200.0f, 40.0f, 20.0f, false, "[spawn]\ns = 60\n"}))),
        session_(scenario_, 1, 0) {
    scene_.scenario = scenario_.scenario.get();
    scene_.track = scenario_.track.get();
    scene_.cars.push_back(car_sprite(session_.env().world(), 0, CarStyle::Player));
    camera_ = {scene_.cars[0].position, 10.0f, static_cast<float>(kWidth), static_cast<float>(kHeight)};
    toggles_.rays = false;
    toggles_.hud = false;
  }

  sf::Image render() {
    sf::RenderTexture texture;
    EXPECT_TRUE(texture.create(kWidth, kHeight));
    Renderer renderer(*scenario_.scenario, *scenario_.track, fonts_);
    renderer.draw(texture, scene_, camera_, toggles_, "keys", common_keys());
    texture.display();
    return texture.getTexture().copyToImage();
  }

  sf::Color at(const sf::Image& image, b2Vec2 world) const {
    const ScreenPoint p = world_to_screen(camera_, world);
    return image.getPixel(static_cast<unsigned>(p.x), static_cast<unsigned>(p.y));
  }

  static Fonts fonts_;
  sim::LoadedScenario scenario_;
  DriveSession session_;
  Scene scene_;
  Camera camera_;
  ViewToggles toggles_;
};

Fonts RenderTest::fonts_;

TEST_F(RenderTest, TrackAndCarColoursAreWhereTheCameraPutsThem) {
  const sf::Image image = render();
  ASSERT_EQ(image.getSize(), sf::Vector2u(kWidth, kHeight));
  const sim::Track& track = *scenario_.track;
  const float s = session_.env().world().cars[0].s;
  EXPECT_EQ(at(image, scene_.cars[0].position), theme::kPlayerCar);
  EXPECT_EQ(at(image, sim::point_at(track, s + 12.0f, 5.0f)), theme::kRoad);
  EXPECT_EQ(at(image, sim::point_at(track, s - 12.0f, -5.0f)), theme::kRoad);
  EXPECT_EQ(at(image, sim::point_at(track, s + 12.0f, 10.0f)), theme::kWall);
  EXPECT_EQ(at(image, sim::point_at(track, s + 12.0f, -10.0f)), theme::kWall);
  EXPECT_EQ(at(image, sim::point_at(track, s + 12.0f, -13.0f)), theme::kGrass);
}

TEST_F(RenderTest, TheCarIsWhereverTheCameraLooks) {
  camera_.center += b2Vec2(7.0f, -4.0f);
  camera_.scale = 6.0f;
  const sf::Image image = render();
  const ScreenPoint p = world_to_screen(camera_, scene_.cars[0].position);
  EXPECT_NEAR(p.x, 320.0f - 42.0f, 1e-3f);
  EXPECT_EQ(at(image, scene_.cars[0].position), theme::kPlayerCar);
}

TEST_F(RenderTest, TrafficCarsAndMoversAreDrawnWhereTheWorldHasThem) {
  // Ahead of the car: a traffic car 12 m on, and a circular mover on the left of the road.
  const sim::LoadedScenario busy = load_or_fail(oval_toml(OvalOptions{
      200.0f, 40.0f, 20.0f, false,
      "[spawn]\ns = 60\n[[traffic]]\nspeed = 5\nstart = 72\n"
      "[[movers]]\nshape = \"circle\"\nradius = 1\npath = [[66, 6], [66, 8]]\nspeed = 1\npause = 60\n"}));
  DriveSession session(busy, 1, 0);
  const sim::World& world = session.env().world();
  scene_.actors = actor_sprites(world);
  ASSERT_EQ(scene_.actors.size(), 2u);
  EXPECT_TRUE(scene_.actors[0].traffic);
  EXPECT_FALSE(scene_.actors[1].traffic);
  const sf::Image image = render();
  EXPECT_EQ(at(image, world.actor_shapes[0].centre), theme::kTrafficCar);
  EXPECT_EQ(at(image, world.actor_shapes[1].centre), theme::kObstacle);
}

TEST_F(RenderTest, EveryAgentCarOfAMultiAgentScenarioIsDrawn) {
  // Three agents 10 m apart: the player's car (agent 0) and the two the autopilot drives.
  const sim::LoadedScenario multi = load_or_fail(oval_toml(OvalOptions{
      200.0f, 40.0f, 20.0f, false, "[spawn]\ns = 60\nagents = 3\nagent_spacing = 10\ngrid_offset = 2\n"}));
  PlayMode mode(multi, 1);
  mode.update(0.2);
  scene_ = Scene{};
  scene_.scenario = multi.scenario.get();
  scene_.track = multi.track.get();
  mode.fill(scene_);
  ASSERT_EQ(scene_.cars.size(), 3u);
  EXPECT_TRUE(scene_.cars[0].focused);
  camera_.center = scene_.cars[1].position;
  camera_.scale = 8.0f;
  const sf::Image image = render();
  const sim::World& world = mode.session().env().world();
  EXPECT_EQ(at(image, world.cars[0].state.body->GetPosition()), theme::kPlayerCar);
  EXPECT_EQ(at(image, world.cars[1].state.body->GetPosition()), theme::kSpectatorCar);
  EXPECT_EQ(at(image, world.cars[2].state.body->GetPosition()), theme::kSpectatorCar);
}

TEST_F(RenderTest, TheHudPanelShowsItsText) {
  toggles_.hud = true;
  const Rect panel{theme::kMargin + 2.0f, theme::kMargin + 2.0f, 290.0f, 80.0f};
  scene_.panels.push_back({" ", {{" ", " "}, {" ", " "}}});  // the same panel, blank
  const int without = text_pixels(render(), panel);
  scene_.panels[0] = {"Driving · test oval", {{"speed", "12.3 m/s"}, {"clearance", "0.42 m", true}}};
  const int with = text_pixels(render(), panel);
  EXPECT_GT(with, without + 300) << without << " → " << with;
}

TEST_F(RenderTest, TheHelpOverlayListsTheKeys) {
  const Rect middle{170.0f, 60.0f, 300.0f, 200.0f};
  const int without = text_pixels(render(), middle);
  toggles_.help = true;
  const sf::Image image = render();
  EXPECT_GT(text_pixels(image, middle), without + 500);
  image.saveToFile(::testing::TempDir() + "crashcourse_help_overlay.png");
}

TEST_F(RenderTest, ACrashFlashesTheWholeFrameRed) {
  const b2Vec2 grass = sim::point_at(*scenario_.track, session_.env().world().cars[0].s, -13.0f);
  const sf::Color before = at(render(), grass);
  scene_.flash = 1.0f;
  const sf::Color after = at(render(), grass);
  EXPECT_GT(after.r, before.r + 40);
  EXPECT_GT(after.r - after.g, before.r - before.g + 40);  // redder, not just brighter
}

TEST_F(RenderTest, HeatmapCellsAreDrawnWhereTheCrashesWere) {
  HeatmapGrid grid(scenario_.track->bounds, 1.5f);
  const b2Vec2 crash = sim::point_at(*scenario_.track, session_.env().world().cars[0].s + 15.0f, 6.0f);
  for (int k = 0; k < 20; ++k) grid.add(crash);
  int column = 0, row = 0;
  ASSERT_TRUE(grid.cell_of(crash, column, row));
  const b2Vec2 centre = grid.origin() + b2Vec2((static_cast<float>(column) + 0.5f) * 1.5f,
                                               (static_cast<float>(row) + 0.5f) * 1.5f);
  scene_.heatmap = &grid;
  const sf::Color hot = at(render(), centre);
  EXPECT_NE(hot, theme::kRoad);
  EXPECT_GT(hot.r, hot.g);
  EXPECT_GT(hot.r, hot.b + 60);
  toggles_.heatmap = false;
  EXPECT_EQ(at(render(), centre), theme::kRoad);
}

TEST_F(RenderTest, RaysAreDrawnFromTheCar) {
  scene_.rays.push_back(ray_fan(session_.env().world(), 0));
  const RayFan& fan = scene_.rays[0];
  // Halfway along a ray that looks left, across the road to the wall.
  const int k = scenario_.scenario->sensors.rays - 3;
  const float a = fan.angle + sim::ray_angle(scenario_.scenario->sensors, k);
  const b2Vec2 mid = fan.origin + (0.6f * fan.distances[static_cast<std::size_t>(k)]) * b2Vec2(std::cos(a), std::sin(a));
  EXPECT_EQ(at(render(), mid), theme::kRoad);
  toggles_.rays = true;
  EXPECT_NE(at(render(), mid), theme::kRoad);
}

TEST_F(RenderTest, MarksKeepTheirSizeInPixels) {
  const b2Vec2 grass = scene_.cars[0].position + b2Vec2(0.0f, 14.0f);  // beyond the left wall
  scene_.marks.push_back({Mark::Shape::Dot, grass, grass, 0.0f, 6.0f, theme::kSelection});
  const sf::Image image = render();
  EXPECT_EQ(at(image, grass), theme::kSelection);
  EXPECT_EQ(at(image, grass + b2Vec2(0.5f, 0.0f)), theme::kSelection);   // 5 px away at 10 px per m
  EXPECT_EQ(at(image, grass + b2Vec2(0.8f, 0.0f)), theme::kGrass);       // 8 px away
}

TEST_F(RenderTest, ASceneWithAnotherTrackIsDrawnInsteadOfTheOneItWasMadeWith) {
  // The same oval, 40 m wide instead of 20: road where the first has grass.
  const sim::LoadedScenario wide = load_or_fail(oval_toml(OvalOptions{200.0f, 40.0f, 40.0f, false, ""}));
  const b2Vec2 beside = scene_.cars[0].position + b2Vec2(0.0f, -15.0f);
  sf::RenderTexture texture;
  ASSERT_TRUE(texture.create(kWidth, kHeight));
  Renderer renderer(*scenario_.scenario, *scenario_.track, fonts_);
  renderer.draw(texture, scene_, camera_, toggles_, "keys", common_keys());
  texture.display();
  EXPECT_EQ(at(texture.getTexture().copyToImage(), beside), theme::kGrass);
  scene_.scenario = wide.scenario.get();
  scene_.track = wide.track.get();
  renderer.draw(texture, scene_, camera_, toggles_, "keys", common_keys());
  texture.display();
  EXPECT_EQ(at(texture.getTexture().copyToImage(), beside), theme::kRoad);
}

}  // namespace
}  // namespace view
