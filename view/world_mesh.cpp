// World-space geometry (see world_mesh.h).
#include "view/world_mesh.h"

#include <algorithm>
#include <cmath>

#include "sim/sensors.h"
#include "view/theme.h"

namespace view {
namespace {

constexpr float kPi = 3.14159265f;
constexpr float kWallWidth = 0.35f;   // m
constexpr float kDashLength = 3.0f;   // m, centreline dash and gap
constexpr float kDashWidth = 0.18f;   // m
constexpr float kStartSquare = 1.0f;  // m, chequers of the start line

b2Vec2 rotate(b2Vec2 v, float angle) {
  const float c = std::cos(angle), s = std::sin(angle);
  return {c * v.x - s * v.y, s * v.x + c * v.y};
}

/// A rectangle of half extents (hx, hy) centred at `local` in a frame at (origin, angle), itself
/// turned by `turn` about its centre.
void add_box(sf::VertexArray& tris, b2Vec2 origin, float angle, b2Vec2 local, float hx, float hy, float turn,
             sf::Color color) {
  const b2Vec2 centre = origin + rotate(local, angle);
  const float a = angle + turn;
  const b2Vec2 ax = rotate({hx, 0.0f}, a), ay = rotate({0.0f, hy}, a);
  add_quad(tris, centre - ax - ay, centre + ax - ay, centre + ax + ay, centre - ax + ay, color);
}

}  // namespace

void ChunkedMesh::set(const MeshChunks& mesh) {
  array_ = mesh.tris;
  const std::size_t n = array_.getVertexCount();
  chunks_.clear();
  for (std::size_t k = 0; k < mesh.starts.size(); ++k) {
    const std::size_t first = mesh.starts[k];
    const std::size_t end = k + 1 < mesh.starts.size() ? mesh.starts[k + 1] : n;
    if (end <= first) continue;
    float x0 = array_[first].position.x, x1 = x0, y0 = array_[first].position.y, y1 = y0;
    for (std::size_t i = first; i < end; ++i) {
      x0 = std::min(x0, array_[i].position.x);
      x1 = std::max(x1, array_[i].position.x);
      y0 = std::min(y0, array_[i].position.y);
      y1 = std::max(y1, array_[i].position.y);
    }
    chunks_.push_back({first, end - first, sf::FloatRect(x0, y0, x1 - x0, y1 - y0)});
  }
  buffered_ = sf::VertexBuffer::isAvailable() && n > 0 && buffer_.create(n) && buffer_.update(&array_[0]);
}

void ChunkedMesh::draw(sf::RenderTarget& target, const sf::RenderStates& states, const sf::FloatRect* visible) const {
  // Neighbouring chunks in view go in one draw call.
  std::size_t first = 0, count = 0;
  const auto flush = [&] {
    if (count == 0) return;
    if (buffered_) {
      target.draw(buffer_, first, count, states);
    } else {
      target.draw(&array_[first], count, sf::Triangles, states);
    }
    count = 0;
  };
  for (const Chunk& c : chunks_) {
    if (visible != nullptr && !visible->intersects(c.bounds)) {
      flush();
      continue;
    }
    if (count == 0) first = c.first;
    count += c.count;
  }
  flush();
}

sf::FloatRect visible_rect(const Camera& c) {
  const float w = c.width / c.scale, h = c.height / c.scale;
  return {c.center.x - 0.5f * w, -c.center.y - 0.5f * h, w, h};
}

sf::View world_view(const Camera& c) {
  return sf::View(to_sf(c.center), sf::Vector2f(c.width / c.scale, c.height / c.scale));
}

void add_quad(sf::VertexArray& tris, b2Vec2 a, b2Vec2 b, b2Vec2 c, b2Vec2 d, sf::Color color) {
  for (const b2Vec2 p : {a, b, c, a, c, d}) tris.append(sf::Vertex(to_sf(p), color));
}

void add_segment(sf::VertexArray& tris, b2Vec2 p, b2Vec2 q, float width, sf::Color color) {
  b2Vec2 d = q - p;
  const float length = d.Length();
  if (length <= 0.0f) return;
  d *= 0.5f * width / length;
  const b2Vec2 n(-d.y, d.x);
  add_quad(tris, p - n, q - n, q + n, p + n, color);
}

void add_disc(sf::VertexArray& tris, b2Vec2 center, float radius, sf::Color color, int sides) {
  for (int k = 0; k < sides; ++k) {
    const float a0 = 2.0f * kPi * static_cast<float>(k) / static_cast<float>(sides);
    const float a1 = 2.0f * kPi * static_cast<float>(k + 1) / static_cast<float>(sides);
    tris.append(sf::Vertex(to_sf(center), color));
    tris.append(sf::Vertex(to_sf(center + radius * b2Vec2(std::cos(a0), std::sin(a0))), color));
    tris.append(sf::Vertex(to_sf(center + radius * b2Vec2(std::cos(a1), std::sin(a1))), color));
  }
}

void add_ring(sf::VertexArray& tris, b2Vec2 center, float radius, float width, sf::Color color, int sides) {
  for (int k = 0; k < sides; ++k) {
    const float a0 = 2.0f * kPi * static_cast<float>(k) / static_cast<float>(sides);
    const float a1 = 2.0f * kPi * static_cast<float>(k + 1) / static_cast<float>(sides);
    add_segment(tris, center + radius * b2Vec2(std::cos(a0), std::sin(a0)),
                center + radius * b2Vec2(std::cos(a1), std::sin(a1)), width, color);
  }
}

sf::Color mix(sf::Color a, sf::Color b, float t) {
  t = std::clamp(t, 0.0f, 1.0f);
  const auto blend = [t](sf::Uint8 x, sf::Uint8 y) {
    return static_cast<sf::Uint8>(std::lround(static_cast<float>(x) + t * (static_cast<float>(y) - static_cast<float>(x))));
  };
  return {blend(a.r, b.r), blend(a.g, b.g), blend(a.b, b.b), blend(a.a, b.a)};
}

sf::Color ray_color(float t) {
  return t < 0.5f ? mix(theme::kRayNear, theme::kRayMid, 2.0f * t) : mix(theme::kRayMid, theme::kRayFar, 2.0f * t - 1.0f);
}

TrackMesh build_track_mesh(const sim::Track& track) {
  constexpr int kChunkSamples = 16;  // samples (≈ m) of track per chunk
  TrackMesh mesh;
  const int n = sim::sample_count(track);
  for (int i = 0; i < n; ++i) {
    if (i % kChunkSamples == 0) {
      mesh.road.mark();
      mesh.details.mark();
    }
    const int j = sim::next_sample(track, i);
    add_quad(mesh.road.tris, track.left_wall[i], track.right_wall[i], track.right_wall[j], track.left_wall[j],
             theme::kRoad);
    add_segment(mesh.details.tris, track.left_wall[i], track.left_wall[j], kWallWidth, theme::kWall);
    add_segment(mesh.details.tris, track.right_wall[i], track.right_wall[j], kWallWidth, theme::kWall);
    // The centreline dashes that start on this sample's stretch.
    const float s0 = track.s[static_cast<std::size_t>(i)];
    const float s1 = j == 0 ? track.length : track.s[static_cast<std::size_t>(j)];
    for (float s = std::ceil(s0 / (2.0f * kDashLength)) * 2.0f * kDashLength; s < s1; s += 2.0f * kDashLength) {
      if (s + kDashLength > track.length) break;
      add_segment(mesh.details.tris, sim::point_at(track, s, 0.0f), sim::point_at(track, s + kDashLength, 0.0f),
                  kDashWidth, theme::kCentreLine);
    }
  }
  // Start line: two rows of chequers across the road at s = 0.
  mesh.details.mark();
  const float hw = sim::half_width_at(track, 0.0f);
  const int squares = std::max(1, static_cast<int>(2.0f * hw / kStartSquare));
  const float side = 2.0f * hw / static_cast<float>(squares);
  for (int row = 0; row < 2; ++row) {
    for (int k = 0; k < squares; ++k) {
      const float s0 = static_cast<float>(row) * side, s1 = s0 + side;
      const float l0 = -hw + static_cast<float>(k) * side, l1 = l0 + side;
      add_quad(mesh.details.tris, sim::point_at(track, s0, l0), sim::point_at(track, s1, l0),
               sim::point_at(track, s1, l1), sim::point_at(track, s0, l1),
               (row + k) % 2 == 0 ? theme::kStartLight : theme::kStartDark);
    }
  }
  for (const sim::Obstacle& o : track.obstacles) {
    mesh.details.mark();
    if (o.shape == sim::ObstacleShape::Box) {
      add_quad(mesh.details.tris, o.corners[0], o.corners[1], o.corners[2], o.corners[3], theme::kObstacle);
      for (int k = 0; k < 4; ++k) {
        add_segment(mesh.details.tris, o.corners[k], o.corners[(k + 1) % 4], 0.15f, theme::kObstacleEdge);
      }
    } else {
      add_disc(mesh.details.tris, o.position, o.radius, theme::kObstacleEdge, 24);
      add_disc(mesh.details.tris, o.position, std::max(0.0f, o.radius - 0.12f), theme::kObstacle, 24);
    }
  }
  return mesh;
}

sf::Image heat_blob_image(unsigned size) {
  sf::Image image;
  image.create(size, size, sf::Color::Transparent);
  const float half = 0.5f * static_cast<float>(size);
  for (unsigned y = 0; y < size; ++y) {
    for (unsigned x = 0; x < size; ++x) {
      const float dx = (static_cast<float>(x) + 0.5f - half) / half, dy = (static_cast<float>(y) + 0.5f - half) / half;
      const float fall = std::max(0.0f, 1.0f - (dx * dx + dy * dy));
      image.setPixel(x, y, sf::Color(255, 255, 255, static_cast<sf::Uint8>(255.0f * fall * fall)));
    }
  }
  return image;
}

void build_heatmap_mesh(const HeatmapGrid& grid, float blob_size, MeshChunks& mesh) {
  mesh.tris.clear();
  mesh.tris.setPrimitiveType(sf::Triangles);
  mesh.starts.clear();
  const float c = grid.cell_size();
  const sf::Vector2f uv[4] = {{0.0f, blob_size}, {blob_size, blob_size}, {blob_size, 0.0f}, {0.0f, 0.0f}};
  for (int row = 0; row < grid.rows(); ++row) {
    mesh.mark();
    for (int column = 0; column < grid.columns(); ++column) {
      const int count = grid.count(column, row);
      if (count == 0) continue;
      const b2Vec2 centre = grid.origin() + b2Vec2((static_cast<float>(column) + 0.5f) * c,
                                                   (static_cast<float>(row) + 0.5f) * c);
      const sf::Color colour = mix(theme::kHeatLow, theme::kHeatHigh, heat(count, grid.max_count()));
      const b2Vec2 corner[4] = {centre + b2Vec2(-c, -c), centre + b2Vec2(c, -c), centre + b2Vec2(c, c),
                                centre + b2Vec2(-c, c)};
      for (const int k : {0, 1, 2, 0, 2, 3}) mesh.tris.append(sf::Vertex(to_sf(corner[k]), colour, uv[k]));
    }
  }
}

void add_car(sf::VertexArray& tris, const CarSprite& car, const sim::CarSpec& spec, float near_miss_distance) {
  const float hl = 0.5f * spec.length, hw = 0.5f * spec.width;
  if (car.near_miss > 0.0f) {
    // A translucent glow with a rim, both stronger as the clearance shrinks.
    const float strength = std::clamp(car.near_miss, 0.0f, 1.0f);
    const float radius = std::sqrt(hl * hl + hw * hw) + 0.5f * near_miss_distance;
    sf::Color glow = theme::kHalo, rim = theme::kHalo;
    glow.a = static_cast<sf::Uint8>(30.0f + 70.0f * strength);
    rim.a = static_cast<sf::Uint8>(120.0f + 135.0f * strength);
    add_disc(tris, car.position, radius, glow, 28);
    add_ring(tris, car.position, radius, 0.12f + 0.12f * strength, rim, 28);
  }
  if (car.focused) add_ring(tris, car.position, std::sqrt(hl * hl + hw * hw) + 0.3f, 0.12f, theme::kFocusRing);
  // Wheels astride the body's edge; the front ones turned by the steering angle.
  const float wheel_hl = std::min(0.35f, 0.12f * spec.length), wheel_hw = 0.14f;
  for (const float side : {-1.0f, 1.0f}) {
    add_box(tris, car.position, car.angle, {spec.cg_to_front_axle, side * (hw - 0.05f)}, wheel_hl, wheel_hw,
            car.steer_angle, theme::kWheel);
    add_box(tris, car.position, car.angle, {-spec.cg_to_rear_axle, side * (hw - 0.05f)}, wheel_hl, wheel_hw, 0.0f,
            theme::kWheel);
  }
  sf::Color body = theme::kSpectatorCar;
  if (car.style == CarStyle::Player) body = theme::kPlayerCar;
  if (car.style == CarStyle::Training) body = theme::kTrainingCar;
  if (car.style == CarStyle::Replay) body = theme::kReplayCar;
  if (car.crashed) body = mix(body, theme::kCrashMark, 0.6f);
  add_box(tris, car.position, car.angle, {0.0f, 0.0f}, hl, hw, 0.0f, body);
  // Windscreen and rear window: the nose is the end with the larger glass.
  add_box(tris, car.position, car.angle, {0.26f * spec.length, 0.0f}, 0.08f * spec.length, 0.8f * hw, 0.0f,
          theme::kWindscreen);
  add_box(tris, car.position, car.angle, {-0.33f * spec.length, 0.0f}, 0.04f * spec.length, 0.7f * hw, 0.0f,
          theme::kWindscreen);
}

void add_rays(sf::VertexArray& tris, const RayFan& fan, const sim::SensorSpec& sensors, float car_width, float px) {
  const b2Vec2 forward(std::cos(fan.angle), std::sin(fan.angle));
  const b2Vec2 left(-forward.y, forward.x);
  for (std::size_t k = 0; k < fan.distances.size(); ++k) {
    const int i = static_cast<int>(k);
    b2Vec2 from = fan.origin, direction = forward;
    if (i < sensors.rays) {
      const float a = fan.angle + sim::ray_angle(sensors, i);
      direction = b2Vec2(std::cos(a), std::sin(a));
    } else {
      from += sim::corridor_offset(sensors, car_width, i - sensors.rays) * left;
    }
    const float d = fan.distances[k];
    const float t = d / sensors.range;
    const b2Vec2 end = from + d * direction;
    add_segment(tris, from, end, 1.5f * px, ray_color(t));
    if (t < 0.999f) add_disc(tris, end, 2.5f * px, ray_color(t), 8);
  }
}

void add_actor(sf::VertexArray& tris, const ActorSprite& actor) {
  const sim::ActorShape& a = actor.shape;
  const sf::Color fill = actor.traffic ? theme::kTrafficCar : theme::kObstacle;
  if (a.circle) {
    add_disc(tris, a.centre, a.radius, theme::kObstacleEdge, 24);
    add_disc(tris, a.centre, std::max(0.0f, a.radius - 0.12f), fill, 24);
    return;
  }
  add_quad(tris, a.corners[0], a.corners[1], a.corners[2], a.corners[3], fill);
  for (int k = 0; k < 4; ++k) add_segment(tris, a.corners[k], a.corners[(k + 1) % 4], 0.15f, theme::kObstacleEdge);
}

void add_crash_mark(sf::VertexArray& tris, b2Vec2 p, float size, float px) {
  const float h = 0.5f * size;
  add_segment(tris, p + b2Vec2(-h, -h), p + b2Vec2(h, h), std::max(0.25f, 2.5f * px), theme::kCrashMark);
  add_segment(tris, p + b2Vec2(-h, h), p + b2Vec2(h, -h), std::max(0.25f, 2.5f * px), theme::kCrashMark);
}

void add_mark(sf::VertexArray& tris, const Mark& m, float px) {
  const float r = m.radius_m + m.size_px * px;
  switch (m.shape) {
    case Mark::Shape::Dot: add_disc(tris, m.a, r, m.color, 16); break;
    case Mark::Shape::Ring: add_ring(tris, m.a, r, 2.0f * px, m.color, 32); break;
    case Mark::Shape::Line: add_segment(tris, m.a, m.b, m.size_px * px, m.color); break;
    case Mark::Shape::Cross:
      add_segment(tris, m.a + b2Vec2(-r, -r), m.a + b2Vec2(r, r), 3.0f * px, m.color);
      add_segment(tris, m.a + b2Vec2(-r, r), m.a + b2Vec2(r, -r), 3.0f * px, m.color);
      break;
  }
}

void add_progress(sf::VertexArray& tris, const sim::Track& track, const ProgressBand& band) {
  if (!band.show || band.distance <= 0.0f) return;
  const float distance = std::min(band.distance, track.length);
  b2Vec2 previous = sim::point_at(track, band.from_s, 0.0f);
  for (float d = 1.0f;; d += 1.0f) {
    const float step = std::min(d, distance);
    const b2Vec2 p = sim::point_at(track, band.from_s + step, 0.0f);
    add_segment(tris, previous, p, 1.2f, theme::kProgress);
    previous = p;
    if (step >= distance) break;
  }
}

}  // namespace view
