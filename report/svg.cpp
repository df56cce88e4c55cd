// SVG elements as strings. Every function writes a whole element, escaping every value it
// writes, so concatenating their results (and wrapping them in group/document) cannot produce a
// malformed document. Numbers go through format_number: short, locale-free, never NaN.
#include "report/svg.h"

#include <array>
#include <charconv>
#include <cmath>

namespace report {
namespace {

/// ` name="value"` for each attribute, values escaped.
std::string write_attributes(const Attributes& attributes) {
  std::string out;
  for (const auto& [name, value] : attributes) {
    out += ' ';
    out += name;
    out += "=\"";
    out += escape_xml(value);
    out += '"';
  }
  return out;
}

/// `<name geometry attributes/>`, where `geometry` is already formatted (` x="1" y="2"`).
std::string empty_element(std::string_view name, const std::string& geometry,
                          const Attributes& attributes) {
  std::string out = "<";
  out += name;
  out += geometry;
  out += write_attributes(attributes);
  out += "/>";
  return out;
}

/// ` name="number"`.
std::string number_attribute(std::string_view name, double value) {
  std::string out = " ";
  out += name;
  out += "=\"";
  out += format_number(value);
  out += '"';
  return out;
}

bool has_attribute(const Attributes& attributes, std::string_view name) {
  for (const auto& attribute : attributes) {
    if (attribute.first == name) return true;
  }
  return false;
}

}  // namespace

std::string escape_xml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string format_number(double value, int decimals) {
  if (!std::isfinite(value)) return "0";
  std::array<char, 64> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                    std::chars_format::fixed, decimals);
  // |value| < 1e40 fits easily; anything larger is no coordinate or count this code writes.
  if (result.ec != std::errc{}) return "0";
  std::string out(buffer.data(), result.ptr);
  if (out.find('.') != std::string::npos) {
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
  }
  if (out == "-0") out = "0";
  return out;
}

std::string format_si(double value, int decimals) {
  if (!std::isfinite(value)) return "0";
  constexpr std::array<const char*, 4> kSuffix = {"", "k", "M", "G"};
  // Pick the suffix by the value as it will be printed, so 999 999 becomes "1M", not "1000k".
  const double step = std::pow(10.0, -decimals);
  double scaled = value;
  std::size_t unit = 0;
  while (unit + 1 < kSuffix.size() && std::round(std::abs(scaled) / step) * step >= 1000.0) {
    scaled /= 1000.0;
    ++unit;
  }
  return format_number(scaled, decimals) + kSuffix[unit];
}

std::string path_data(std::span<const Point> points, bool closed) {
  std::string d;
  for (std::size_t i = 0; i < points.size(); ++i) {
    d += i == 0 ? "M" : "L";
    d += format_number(points[i].x);
    d += ' ';
    d += format_number(points[i].y);
  }
  if (closed && !points.empty()) d += 'Z';
  return d;
}

std::string line(Point a, Point b, const Attributes& attributes) {
  return empty_element("line",
                       number_attribute("x1", a.x) + number_attribute("y1", a.y) +
                           number_attribute("x2", b.x) + number_attribute("y2", b.y),
                       attributes);
}

std::string rect(double x, double y, double width, double height, const Attributes& attributes) {
  return empty_element("rect",
                       number_attribute("x", x) + number_attribute("y", y) +
                           number_attribute("width", width) + number_attribute("height", height),
                       attributes);
}

std::string circle(Point centre, double radius, const Attributes& attributes) {
  return empty_element("circle",
                       number_attribute("cx", centre.x) + number_attribute("cy", centre.y) +
                           number_attribute("r", radius),
                       attributes);
}

std::string polyline(std::span<const Point> points, const Attributes& attributes) {
  std::string list;
  for (const Point& p : points) {
    if (!list.empty()) list += ' ';
    list += format_number(p.x);
    list += ',';
    list += format_number(p.y);
  }
  std::string geometry = " points=\"" + list + '"';
  if (!has_attribute(attributes, "fill")) geometry += " fill=\"none\"";
  return empty_element("polyline", geometry, attributes);
}

std::string path(std::string_view d, const Attributes& attributes) {
  return empty_element("path", " d=\"" + escape_xml(d) + '"', attributes);
}

std::string text(Point at, std::string_view content, const Attributes& attributes) {
  return "<text" + number_attribute("x", at.x) + number_attribute("y", at.y) +
         write_attributes(attributes) + '>' + escape_xml(content) + "</text>";
}

std::string group(std::string_view body, const Attributes& attributes) {
  return "<g" + write_attributes(attributes) + '>' + std::string(body) + "</g>";
}

std::string clip_path(std::string_view id, std::string_view shape) {
  return "<clipPath id=\"" + escape_xml(id) + "\">" + std::string(shape) + "</clipPath>";
}

std::string document(double width, double height, std::string_view body) {
  const std::string w = format_number(width);
  const std::string h = format_number(height);
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w + "\" height=\"" + h +
         "\" viewBox=\"0 0 " + w + ' ' + h +
         "\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n" +
         rect(0.0, 0.0, width, height, {{"fill", "#ffffff"}}) + '\n' + std::string(body) +
         "</svg>\n";
}

}  // namespace report
