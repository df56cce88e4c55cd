// A small SVG writer for the run folder's figures: functions that each return one complete,
// well-formed element as a string, so a document is well-formed by construction (a group wraps a
// finished body; nothing is left open). Text and attribute values are escaped here and nowhere
// else. Coordinates are SVG user units (px), y pointing down.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace report {

/// A point in SVG user units (px), y down.
struct Point {
  double x = 0.0;
  double y = 0.0;
};

/// Attributes of an element in the order written, e.g. {{"stroke", "#333"}, {"stroke-width",
/// "1.5"}}. Values are escaped when written.
using Attributes = std::vector<std::pair<std::string, std::string>>;

/// Escapes text for XML character data and attribute values: & < > " ' become entities.
std::string escape_xml(std::string_view text);

/// A number with at most `decimals` digits after the point, trailing zeros and a trailing point
/// dropped, and no negative zero: 1.50 → "1.5", 2.0 → "2", -0.001 → "0". SVG has no NaN or
/// infinity: callers skip non-finite values, and any that slip through are written as "0".
std::string format_number(double value, int decimals = 2);

/// A quantity with an SI suffix chosen by its size, for env steps and counts: 950 → "950",
/// 12500 → "12.5k", 5000000 → "5M", 1250000 → "1.25M" (at most `decimals` decimals).
std::string format_si(double value, int decimals = 2);

/// Path data through the points: "M x y L x y …", with "Z" when closed. Empty for no points.
std::string path_data(std::span<const Point> points, bool closed);

// Elements. Each returns one complete element; `attributes` are written after the geometry.

std::string line(Point a, Point b, const Attributes& attributes);
std::string rect(double x, double y, double width, double height, const Attributes& attributes);
std::string circle(Point centre, double radius, const Attributes& attributes);
/// `points` attribute "x,y x,y …" (an open line; fill "none" unless given).
std::string polyline(std::span<const Point> points, const Attributes& attributes);
std::string path(std::string_view d, const Attributes& attributes);
/// `content` is escaped; its position is the baseline start (or middle/end per text-anchor).
std::string text(Point at, std::string_view content, const Attributes& attributes);
/// A <g> around an already finished body (elements concatenated).
std::string group(std::string_view body, const Attributes& attributes);
/// A <clipPath id="…"> holding `shape` (an element), for use as clip-path="url(#id)".
std::string clip_path(std::string_view id, std::string_view shape);

/// The finished document: XML declaration, <svg> root of the given size in px with a white
/// background and sans-serif text, then `body`.
std::string document(double width, double height, std::string_view body);

}  // namespace report
