// World-space geometry for SFML: the static track built once per scenario, the crash heatmap
// rebuilt when it changes, and each frame's cars, rays and marks. Vertices are in metres with y
// negated (SFML's y points down), so the camera's sf::View (world_view) is the whole transform
// and the static track is one vertex array drawn with one call.
#pragma once

#include <box2d/b2_math.h>

#include <SFML/Graphics/Color.hpp>
#include <SFML/Graphics/Image.hpp>
#include <SFML/Graphics/RenderTarget.hpp>
#include <SFML/Graphics/VertexArray.hpp>
#include <SFML/Graphics/VertexBuffer.hpp>
#include <SFML/Graphics/View.hpp>

#include <vector>

#include "sim/scenario.h"
#include "sim/track.h"
#include "view/camera.h"
#include "view/heatmap.h"
#include "view/scene.h"

namespace view {

inline sf::Vector2f to_sf(b2Vec2 p) { return {p.x, -p.y}; }

/// The SFML view that maps world vertices (to_sf) exactly as world_to_screen does.
sf::View world_view(const Camera& camera);

// Primitives appended to a sf::Triangles array; sizes in metres.
void add_quad(sf::VertexArray& tris, b2Vec2 a, b2Vec2 b, b2Vec2 c, b2Vec2 d, sf::Color color);
void add_segment(sf::VertexArray& tris, b2Vec2 p, b2Vec2 q, float width, sf::Color color);
void add_disc(sf::VertexArray& tris, b2Vec2 center, float radius, sf::Color color, int sides = 20);
void add_ring(sf::VertexArray& tris, b2Vec2 center, float radius, float width, sf::Color color, int sides = 32);

/// Triangles in chunks, each with the box around it, so a frame draws only the chunks in view:
/// a software renderer pays for every triangle it is sent, seen or not.
struct MeshChunks {
  sf::VertexArray tris{sf::Triangles};
  std::vector<std::size_t> starts;  ///< first vertex of each chunk
  /// Starts a new chunk at the next vertex.
  void mark() { starts.push_back(tris.getVertexCount()); }
};

/// MeshChunks that change rarely (the track, the heatmap), kept in a GPU vertex buffer where there
/// is one: drawing them then sends no vertices at all.
class ChunkedMesh {
 public:
  void set(const MeshChunks& mesh);
  /// Draws the chunks whose box meets `visible` (SFML coordinates: to_sf of the world), or all.
  void draw(sf::RenderTarget& target, const sf::RenderStates& states = sf::RenderStates::Default,
            const sf::FloatRect* visible = nullptr) const;

 private:
  struct Chunk {
    std::size_t first = 0, count = 0;
    sf::FloatRect bounds;
  };
  sf::VertexArray array_{sf::Triangles};
  sf::VertexBuffer buffer_{sf::Triangles, sf::VertexBuffer::Static};
  bool buffered_ = false;
  std::vector<Chunk> chunks_;
};

/// What a camera sees, in SFML coordinates (to_sf of the world).
sf::FloatRect visible_rect(const Camera& camera);

/// The track in two layers, each chunked every few metres along it: the road, then what lies on
/// it (walls, dashed centreline, chequered start line, obstacles).
struct TrackMesh {
  MeshChunks road;
  MeshChunks details;
};
TrackMesh build_track_mesh(const sim::Track& track);

/// A soft round spot, white with alpha falling to 0 at the edge: the texture of a heat blob.
sf::Image heat_blob_image(unsigned size);

/// One quad per cell with crashes, twice the cell wide, coloured by heat and textured with a
/// heat blob of `blob_size` px (neighbouring blobs merge into a smooth patch; two triangles a cell
/// keep the software renderer fast), a chunk per row of cells.
void build_heatmap_mesh(const HeatmapGrid& grid, float blob_size, MeshChunks& mesh);

/// Linear blend of two colours (alpha too), t in [0, 1].
sf::Color mix(sf::Color a, sf::Color b, float t);

/// A ray's colour at distance / range = t: red when near, amber, green when clear.
sf::Color ray_color(float t);

/// A car from above: wheels (the front ones turned by the steering angle), body in its role's
/// colour, windscreen toward the nose, and its near-miss halo underneath.
void add_car(sf::VertexArray& tris, const CarSprite& car, const sim::CarSpec& spec, float near_miss_distance);

/// Lidar rays as lines `px` m wide (one pixel at the current zoom), with a dot where each hits:
/// the fan from the car's centre, the corridor rays from across its width.
void add_rays(sf::VertexArray& tris, const RayFan& fan, const sim::SensorSpec& sensors, float car_width, float px);

/// A cross marking a crash, `size` m across.
/// A traffic car (a car-coloured box with a darker rim) or a mover (obstacle-coloured).
void add_actor(sf::VertexArray& tris, const ActorSprite& actor);

void add_crash_mark(sf::VertexArray& tris, b2Vec2 p, float size, float px);

/// A mode's mark (scene.h); px is one pixel in metres.
void add_mark(sf::VertexArray& tris, const Mark& mark, float px);

/// The centreline from band.from_s for band.distance m, as a wide translucent stripe.
void add_progress(sf::VertexArray& tris, const sim::Track& track, const ProgressBand& band);

}  // namespace view
