// Editing a Document (see edits.h). Values are written as the files in scenarios/ write them:
// whole numbers without a decimal point, the rest to the grid (sizes to the centimetre).
#include "editor/edits.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>

#include "sim/geometry.h"

namespace editor {
namespace {

constexpr double kPerMetre = 10.0;        // 1 / kGrid
constexpr double kSizePerMetre = 100.0;   // sizes are rounded to the centimetre
constexpr double kMinSize = 0.05;         // m
constexpr double kMaxSize = 100.0;        // m, box length and width (the loader's limit)
constexpr double kMaxRadius = 50.0;       // m (the loader's limit)
constexpr double kMaxSpeed = 100.0;       // m/s

/// v rounded to a multiple of 1 / per_metre, as the decimal it reads as: round(v · 10) / 10 is the
/// double nearest 12.3, where round(v / 0.1) · 0.1 can be 12.300000000000001.
double snap(double v, double per_metre) { return std::round(v * per_metre) / per_metre; }

/// A number node: an integer when v is whole (as people write coordinates), else a float.
void set_number(toml::table& t, std::string_view key, double v) {
  if (v == std::trunc(v) && std::fabs(v) < 1e15) {
    t.insert_or_assign(key, static_cast<std::int64_t>(v));
  } else {
    t.insert_or_assign(key, v);
  }
}

void push_number(toml::array& a, double v) {
  if (v == std::trunc(v) && std::fabs(v) < 1e15) {
    a.push_back(static_cast<std::int64_t>(v));
  } else {
    a.push_back(v);
  }
}

double clamp_coordinate(double v) {
  return std::clamp(snap(v, kPerMetre), -static_cast<double>(kMaxCoordinate), static_cast<double>(kMaxCoordinate));
}

toml::array xy_array(b2Vec2 p) {
  toml::array a;
  push_number(a, clamp_coordinate(p.x));
  push_number(a, clamp_coordinate(p.y));
  return a;
}

b2Vec2 read_xy(const toml::node* node) {
  const toml::array* a = node != nullptr ? node->as_array() : nullptr;
  if (a == nullptr || a->size() < 2) return {0.0f, 0.0f};
  return {static_cast<float>((*a)[0].value<double>().value_or(0.0)),
          static_cast<float>((*a)[1].value<double>().value_or(0.0))};
}

double number_or(const toml::table* t, std::string_view key, double fallback) {
  if (t == nullptr) return fallback;
  const toml::node* n = t->get(key);
  return n != nullptr ? n->value<double>().value_or(fallback) : fallback;
}

const toml::table* find_table(const Document& doc, std::string_view name) {
  const toml::node* n = doc.root.get(name);
  return n != nullptr ? n->as_table() : nullptr;
}

toml::table& table_of(Document& doc, std::string_view name) {
  if (toml::node* n = doc.root.get(name); n != nullptr && n->is_table()) return *n->as_table();
  doc.root.insert_or_assign(name, toml::table{});
  return *doc.root.get(name)->as_table();
}

const toml::array* find_array(const Document& doc, std::string_view table, std::string_view key) {
  const toml::table* t = find_table(doc, table);
  const toml::node* n = t != nullptr ? t->get(key) : nullptr;
  return n != nullptr ? n->as_array() : nullptr;
}

toml::array* points_array(Document& doc) {
  toml::node* n = table_of(doc, "track").get("points");
  return n != nullptr ? n->as_array() : nullptr;
}

/// Element k of the array of tables `name` ([[obstacles]], [[traffic]]), or nullptr.
const toml::table* element(const Document& doc, std::string_view name, int k) {
  const toml::node* n = doc.root.get(name);
  const toml::array* list = n != nullptr ? n->as_array() : nullptr;
  if (list == nullptr || k < 0 || k >= static_cast<int>(list->size())) return nullptr;
  return (*list)[static_cast<std::size_t>(k)].as_table();
}

toml::table* element(Document& doc, std::string_view name, int k) {
  return const_cast<toml::table*>(element(static_cast<const Document&>(doc), name, k));
}

int element_count(const Document& doc, std::string_view name) {
  const toml::node* n = doc.root.get(name);
  const toml::array* list = n != nullptr ? n->as_array() : nullptr;
  return list != nullptr && (list->empty() || list->is_array_of_tables()) ? static_cast<int>(list->size()) : 0;
}

/// Appends a table to the array of tables `name`, with empty comments alongside.
void append_element(Document& doc, std::string_view name, toml::table table) {
  toml::node* n = doc.root.get(name);
  if (n == nullptr || !n->is_array()) {
    doc.root.insert_or_assign(name, toml::array{});
    n = doc.root.get(name);
  }
  toml::array& list = *n->as_array();
  std::vector<TableComments>& comments = doc.arrays[std::string(name)];
  comments.resize(list.size());
  list.push_back(std::move(table));
  comments.emplace_back();
}

bool erase_element(Document& doc, std::string_view name, int k) {
  if (element(doc, name, k) == nullptr) return false;
  toml::array& list = *doc.root.get(name)->as_array();
  list.erase(list.begin() + k);
  std::vector<TableComments>& comments = doc.arrays[std::string(name)];
  if (k < static_cast<int>(comments.size())) comments.erase(comments.begin() + k);
  if (list.empty()) {
    doc.root.erase(name);
    doc.arrays.erase(std::string(name));
  }
  return true;
}

/// Sets key to v unless it already reads v; returns whether it changed.
bool update_number(toml::table& t, std::string_view key, double v) {
  const toml::node* n = t.get(key);
  if (n != nullptr && n->value<double>() == v) return false;
  set_number(t, key, v);
  return true;
}

toml::array* waypoint_array(Document& doc, int k) {
  toml::table* t = element(doc, "traffic", k);
  toml::node* n = t != nullptr ? t->get("waypoints") : nullptr;
  return n != nullptr ? n->as_array() : nullptr;
}

}  // namespace

int insertion_index(const std::vector<b2Vec2>& pts, b2Vec2 p) {
  if (pts.empty()) return 0;
  int best = 0;
  float best_d = std::numeric_limits<float>::infinity();
  const int n = static_cast<int>(pts.size());
  for (int i = 0; i < n; ++i) {
    const b2Vec2 q = sim::closest_point_on_segment(p, pts[static_cast<std::size_t>(i)],
                                                   pts[static_cast<std::size_t>((i + 1) % n)]);
    const float d = b2DistanceSquared(p, q);
    if (d < best_d) {
      best_d = d;
      best = i;
    }
  }
  return best + 1;
}

// ---- track ----

bool is_procedural(const Document& doc) { return doc.root.contains("procedural"); }

int point_count(const Document& doc) {
  const toml::array* a = find_array(doc, "track", "points");
  return a != nullptr ? static_cast<int>(a->size()) : 0;
}

b2Vec2 control_point(const Document& doc, int i) {
  const toml::array* a = find_array(doc, "track", "points");
  if (a == nullptr || i < 0 || i >= static_cast<int>(a->size())) return {0.0f, 0.0f};
  return read_xy(a->get(static_cast<std::size_t>(i)));
}

std::optional<float> point_width(const Document& doc, int i) {
  const toml::array* a = find_array(doc, "track", "points");
  if (a == nullptr || i < 0 || i >= static_cast<int>(a->size())) return std::nullopt;
  const toml::array* p = (*a)[static_cast<std::size_t>(i)].as_array();
  if (p == nullptr || p->size() < 3) return std::nullopt;
  if (const std::optional<double> w = (*p)[2].value<double>()) return static_cast<float>(*w);
  return std::nullopt;
}

float track_width(const Document& doc) {
  return static_cast<float>(number_or(find_table(doc, "track"), "width", kDefaultWidth));
}

bool move_point(Document& doc, int i, b2Vec2 p) {
  toml::array* a = points_array(doc);
  if (a == nullptr || i < 0 || i >= static_cast<int>(a->size())) return false;
  toml::array moved = xy_array(p);
  if (const std::optional<float> w = point_width(doc, i)) push_number(moved, *w);
  if (moved == *(*a)[static_cast<std::size_t>(i)].as_array()) return false;
  a->replace(a->begin() + i, std::move(moved));
  return true;
}

bool insert_point(Document& doc, int i, b2Vec2 p) {
  if (is_procedural(doc)) return false;
  toml::array* a = points_array(doc);
  if (a == nullptr) {
    table_of(doc, "track").insert_or_assign("points", toml::array{});
    a = points_array(doc);
  }
  if (i < 0 || i > static_cast<int>(a->size())) return false;
  a->insert(a->begin() + i, xy_array(p));
  return true;
}

bool delete_point(Document& doc, int i) {
  toml::array* a = points_array(doc);
  if (a == nullptr || i < 0 || i >= static_cast<int>(a->size()) || static_cast<int>(a->size()) <= kMinPoints) {
    return false;
  }
  a->erase(a->begin() + i);
  return true;
}

int insertion_index(const Document& doc, b2Vec2 p) {
  std::vector<b2Vec2> pts;
  for (int i = 0; i < point_count(doc); ++i) pts.push_back(control_point(doc, i));
  return insertion_index(pts, p);
}

bool set_track_width(Document& doc, float width) {
  if (is_procedural(doc)) return false;
  const double w = std::clamp(snap(width, kPerMetre), static_cast<double>(kMinWidth), static_cast<double>(kMaxWidth));
  return update_number(table_of(doc, "track"), "width", w);
}

bool set_point_width(Document& doc, int i, std::optional<float> width) {
  toml::array* a = points_array(doc);
  if (a == nullptr || i < 0 || i >= static_cast<int>(a->size())) return false;
  toml::array* p = (*a)[static_cast<std::size_t>(i)].as_array();
  if (p == nullptr || p->size() < 2) return false;
  if (!width) {
    if (p->size() < 3) return false;
    p->erase(p->begin() + 2, p->end());
    return true;
  }
  const double w = std::clamp(snap(*width, kPerMetre), static_cast<double>(kMinWidth), static_cast<double>(kMaxWidth));
  if (p->size() >= 3 && (*p)[2].value<double>() == w) return false;
  p->erase(p->begin() + 2, p->end());
  push_number(*p, w);
  return true;
}

// ---- obstacles ----

int obstacle_count(const Document& doc) { return element_count(doc, "obstacles"); }

sim::ObstacleSpec obstacle_spec(const Document& doc, int k) {
  sim::ObstacleSpec o;
  const toml::table* t = element(doc, "obstacles", k);
  if (t == nullptr) return o;
  const toml::node* shape = t->get("shape");
  o.shape = shape != nullptr && shape->value<std::string>() == "circle" ? sim::ObstacleShape::Circle
                                                                        : sim::ObstacleShape::Box;
  o.track_relative = t->contains("s");
  o.s = static_cast<float>(number_or(t, "s", 0.0));
  o.offset = static_cast<float>(number_or(t, "offset", 0.0));
  o.position = read_xy(t->get("position"));
  o.angle = static_cast<float>(number_or(t, "angle_deg", 0.0) * std::numbers::pi / 180.0);
  o.length = static_cast<float>(number_or(t, "length", o.length));
  o.width = static_cast<float>(number_or(t, "width", o.width));
  o.radius = static_cast<float>(number_or(t, "radius", o.radius));
  return o;
}

bool add_obstacle(Document& doc, sim::ObstacleShape shape, b2Vec2 p, const sim::Track* track) {
  if (is_procedural(doc)) return false;
  toml::table t;
  const bool box = shape == sim::ObstacleShape::Box;
  t.insert_or_assign("shape", box ? "box" : "circle");
  if (track != nullptr) {
    const sim::TrackPosition tp = sim::project(*track, p);
    set_number(t, "s", std::max(0.0, snap(tp.s, kPerMetre)));
    set_number(t, "offset", snap(tp.lateral, kPerMetre));
  } else {
    t.insert_or_assign("position", xy_array(p));
  }
  if (box) {
    t.insert_or_assign("length", 2.0);
    t.insert_or_assign("width", 1.0);
  } else {
    t.insert_or_assign("radius", 0.5);
  }
  append_element(doc, "obstacles", std::move(t));
  return true;
}

bool move_obstacle(Document& doc, int k, b2Vec2 p, const sim::Track* track) {
  toml::table* t = element(doc, "obstacles", k);
  if (t == nullptr) return false;
  if (t->contains("s") && track != nullptr) {
    const sim::TrackPosition tp = sim::project(*track, p);
    const bool s_changed = update_number(*t, "s", std::max(0.0, snap(tp.s, kPerMetre)));
    const bool offset_changed = update_number(*t, "offset", snap(tp.lateral, kPerMetre));
    return s_changed || offset_changed;
  }
  toml::array xy = xy_array(p);
  const toml::node* old = t->get("position");
  if (old != nullptr && old->is_array() && *old->as_array() == xy && !t->contains("s")) return false;
  t->erase("s");
  t->erase("offset");
  t->insert_or_assign("position", std::move(xy));
  return true;
}

bool rotate_obstacle(Document& doc, int k, float delta_deg) {
  toml::table* t = element(doc, "obstacles", k);
  if (t == nullptr || delta_deg == 0.0f) return false;
  double a = number_or(t, "angle_deg", 0.0) + delta_deg;
  a = std::fmod(a, 360.0);
  if (a > 180.0) a -= 360.0;
  if (a <= -180.0) a += 360.0;
  return update_number(*t, "angle_deg", snap(a, kPerMetre));
}

bool resize_obstacle(Document& doc, int k, float factor) {
  toml::table* t = element(doc, "obstacles", k);
  if (t == nullptr || !(factor > 0.0f)) return false;
  const sim::ObstacleSpec o = obstacle_spec(doc, k);
  const auto scaled = [&](float v, double hi) { return std::clamp(snap(v * factor, kSizePerMetre), kMinSize, hi); };
  if (o.shape == sim::ObstacleShape::Circle) return update_number(*t, "radius", scaled(o.radius, kMaxRadius));
  const bool length_changed = update_number(*t, "length", scaled(o.length, kMaxSize));
  const bool width_changed = update_number(*t, "width", scaled(o.width, kMaxSize));
  return length_changed || width_changed;
}

bool delete_obstacle(Document& doc, int k) { return erase_element(doc, "obstacles", k); }

// ---- spawn ----

float spawn_s(const Document& doc) { return static_cast<float>(number_or(find_table(doc, "spawn"), "s", 0.0)); }

bool set_spawn(Document& doc, float s) { return update_number(table_of(doc, "spawn"), "s", std::max(0.0, snap(s, kPerMetre))); }

// ---- traffic ----

int traffic_count(const Document& doc) { return element_count(doc, "traffic"); }

std::vector<b2Vec2> waypoints(const Document& doc, int k) {
  std::vector<b2Vec2> out;
  const toml::table* t = element(doc, "traffic", k);
  const toml::node* n = t != nullptr ? t->get("waypoints") : nullptr;
  if (n == nullptr || !n->is_array()) return out;
  for (const toml::node& p : *n->as_array()) out.push_back(read_xy(&p));
  return out;
}

std::optional<float> traffic_speed(const Document& doc, int k) {
  const toml::table* t = element(doc, "traffic", k);
  const toml::node* n = t != nullptr ? t->get("speed") : nullptr;
  if (n == nullptr) return std::nullopt;
  if (const std::optional<double> v = n->value<double>()) return static_cast<float>(*v);
  return std::nullopt;
}

bool add_traffic(Document& doc, const std::vector<b2Vec2>& loop, float speed, float start) {
  if (static_cast<int>(loop.size()) < kMinWaypoints) return false;
  toml::table t;
  toml::array list;
  for (const b2Vec2 p : loop) list.push_back(xy_array(p));
  t.insert_or_assign("waypoints", std::move(list));
  set_number(t, "speed", std::clamp(snap(speed, kPerMetre), 0.0, kMaxSpeed));
  set_number(t, "start", std::max(0.0, snap(start, kPerMetre)));
  append_element(doc, "traffic", std::move(t));
  return true;
}

bool delete_traffic(Document& doc, int k) { return erase_element(doc, "traffic", k); }

bool move_waypoint(Document& doc, int k, int j, b2Vec2 p) {
  toml::array* a = waypoint_array(doc, k);
  if (a == nullptr || j < 0 || j >= static_cast<int>(a->size())) return false;
  toml::array moved = xy_array(p);
  const toml::array* old = (*a)[static_cast<std::size_t>(j)].as_array();
  if (old != nullptr && *old == moved) return false;
  a->replace(a->begin() + j, std::move(moved));
  return true;
}

bool insert_waypoint(Document& doc, int k, int j, b2Vec2 p) {
  toml::array* a = waypoint_array(doc, k);
  if (a == nullptr || j < 0 || j > static_cast<int>(a->size())) return false;
  a->insert(a->begin() + j, xy_array(p));
  return true;
}

bool delete_waypoint(Document& doc, int k, int j) {
  toml::array* a = waypoint_array(doc, k);
  if (a == nullptr || j < 0 || j >= static_cast<int>(a->size()) || static_cast<int>(a->size()) <= kMinWaypoints) {
    return false;
  }
  a->erase(a->begin() + j);
  return true;
}

bool set_traffic_speed(Document& doc, int k, float speed) {
  toml::table* t = element(doc, "traffic", k);
  if (t == nullptr || t->contains("speed_profile")) return false;
  return update_number(*t, "speed", std::clamp(snap(speed, kPerMetre), 0.0, kMaxSpeed));
}

}  // namespace editor
