// The viewer's colours and sizes, in one place (pixels and colours live only in view/).
#pragma once

#include <SFML/Graphics/Color.hpp>

namespace view::theme {

// World.
inline const sf::Color kGrass{30, 36, 33};
inline const sf::Color kRoad{74, 78, 86};
inline const sf::Color kWall{226, 229, 234};
inline const sf::Color kCentreLine{122, 124, 108};  ///< opaque: the track is drawn without blending
inline const sf::Color kStartLight{240, 240, 240};
inline const sf::Color kStartDark{30, 30, 30};
inline const sf::Color kObstacle{214, 128, 54};
inline const sf::Color kObstacleEdge{120, 66, 24};
inline const sf::Color kProgress{90, 220, 140, 90};
inline const sf::Color kCrashMark{255, 70, 70};
inline const sf::Color kHalo{255, 170, 40};
inline const sf::Color kFlash{255, 40, 40};

// Cars: body colour by role, then details.
inline const sf::Color kSpectatorCar{64, 170, 255};
inline const sf::Color kPlayerCar{250, 200, 60};
inline const sf::Color kTrainingCar{196, 120, 255, 210};
inline const sf::Color kReplayCar{90, 225, 200};
inline const sf::Color kTrafficCar{170, 170, 180};
inline const sf::Color kWindscreen{22, 30, 44};
inline const sf::Color kWheel{12, 12, 14};
inline const sf::Color kFocusRing{255, 255, 255, 150};

// Lidar rays, by distance: near → far.
inline const sf::Color kRayNear{255, 70, 60, 170};
inline const sf::Color kRayMid{255, 210, 60, 150};
inline const sf::Color kRayFar{90, 220, 120, 110};

// Crash heatmap: few → many crashes.
inline const sf::Color kHeatLow{255, 210, 70, 120};
inline const sf::Color kHeatHigh{255, 40, 30, 230};

// Scenario editor: handles, the selection, traffic paths, problems.
inline const sf::Color kControlLine{255, 255, 255, 70};
inline const sf::Color kHandle{245, 245, 245};
inline const sf::Color kHandleOwnWidth{90, 225, 200};  ///< a point with its own width
inline const sf::Color kHandleEdge{20, 22, 26};
inline const sf::Color kSelection{255, 214, 60};
inline const sf::Color kTrafficPath{196, 120, 255, 200};
inline const sf::Color kTrafficPathSelected{220, 170, 255};
inline const sf::Color kProblem{255, 60, 60};

// HUD.
// Panels are opaque: the HUD is composited without blending, which a software renderer does
// several times faster.
inline const sf::Color kPanel{17, 19, 24};
inline const sf::Color kPanelEdge{70, 76, 88};
inline const sf::Color kText{232, 234, 238};
inline const sf::Color kLabel{150, 157, 168};
inline const sf::Color kWarning{255, 120, 90};
inline const sf::Color kChartGrid{62, 66, 76};
inline const sf::Color kChartReturn{100, 190, 255};
inline const sf::Color kChartCrash{255, 110, 90};
inline const sf::Color kTimelineFill{100, 190, 255};
inline const sf::Color kNearMissTick{255, 190, 60};

constexpr unsigned kTextSize = 15;       ///< px
constexpr unsigned kTitleSize = 16;      ///< px
constexpr unsigned kSmallTextSize = 13;  ///< px
constexpr float kMargin = 12.0f;         ///< px, panels from the window edge
constexpr float kPadding = 10.0f;        ///< px, text inside a panel

}  // namespace view::theme
