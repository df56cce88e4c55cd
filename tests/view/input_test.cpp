// Keyboard driving: which keys mean what, in the env's sign conventions.
#include "view/input.h"

#include <gtest/gtest.h>

#include "view/play_mode.h"

namespace view {
namespace {

TEST(InputTest, LeftSteersLeftWhichIsPositive) {
  DriveKeys keys;
  set_key(keys, DriveKey::Left, true);
  EXPECT_EQ(action_from_keys(keys)[0], 1.0f);
  set_key(keys, DriveKey::Left, false);
  set_key(keys, DriveKey::Right, true);
  EXPECT_EQ(action_from_keys(keys)[0], -1.0f);
}

TEST(InputTest, UpIsThrottleAndDownBrakes) {
  DriveKeys keys;
  set_key(keys, DriveKey::Up, true);
  EXPECT_EQ(action_from_keys(keys)[1], 1.0f);
  set_key(keys, DriveKey::Up, false);
  set_key(keys, DriveKey::Down, true);
  EXPECT_EQ(action_from_keys(keys)[1], -1.0f);
}

TEST(InputTest, OpposingKeysCancelAndNoKeysIsCoasting) {
  DriveKeys keys;
  EXPECT_EQ(action_from_keys(keys), (std::array<float, 2>{0.0f, 0.0f}));
  for (const DriveKey k : {DriveKey::Left, DriveKey::Right, DriveKey::Up, DriveKey::Down}) set_key(keys, k, true);
  EXPECT_EQ(action_from_keys(keys), (std::array<float, 2>{0.0f, 0.0f}));
}

TEST(InputTest, ArrowsAndWasdAreTheDrivingKeys) {
  EXPECT_EQ(drive_key(sf::Keyboard::Left), DriveKey::Left);
  EXPECT_EQ(drive_key(sf::Keyboard::A), DriveKey::Left);
  EXPECT_EQ(drive_key(sf::Keyboard::D), DriveKey::Right);
  EXPECT_EQ(drive_key(sf::Keyboard::W), DriveKey::Up);
  EXPECT_EQ(drive_key(sf::Keyboard::Down), DriveKey::Down);
  EXPECT_EQ(drive_key(sf::Keyboard::H), std::nullopt);  // the help key stays the window's
}

}  // namespace
}  // namespace view
