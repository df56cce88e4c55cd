// Checkpoint encoding, decoding with validation of every length before it is trusted, atomic
// save (temp file, fsync, rename) and the compatibility check against a scenario and policy.
// File I/O is confined to save_checkpoint and load_checkpoint; the rest works on bytes.
#include "agent/checkpoint.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <optional>
#include <string_view>
#include <system_error>
#include <type_traits>

#include "agent/mlp.h"
#include "sim/atomic_file.h"
#include "sim/hash.h"

namespace agent {
namespace {

using Bytes = std::vector<std::byte>;

constexpr std::array<char, 8> kMagic = {'C', 'R', 'A', 'S', 'H', 'C', 'K', '\0'};
constexpr std::size_t kHeaderSize = 20;  // magic, version, file_size
constexpr std::size_t kTrailerSize = 8;  // checksum
constexpr std::uint64_t kMaxFileSize = std::uint64_t{1} << 32;  // 4 GiB ≈ 350 M params × 3
// Bounds on the network shape, far above any real use, so parameter counts cannot overflow:
// a layer holds at most 2^20 (2^20 + 1) floats, 65 layers fewer than 2^47.
constexpr int kMaxWidth = 1 << 20;
constexpr std::size_t kMaxHiddenLayers = 64;
constexpr const char* kCutHint = "the file was cut short (an interrupted copy?); use an older "
                                 "checkpoint";

constexpr std::array<std::string_view, 11> kSections = {
    "identity", "config", "progress", "params", "adam", "obs_norm", "metrics", "resume", "ranks", "curriculum",
    "es"};
/// The first kRequiredSections of kSections must be present; the rest are optional.
constexpr std::size_t kRequiredSections = 7;

std::string format_error(const std::string& path, const std::string& place,
                         const std::string& message, const std::string& hint) {
  std::string out = path + ": ";
  if (!place.empty()) out += place + ": ";
  out += message;
  if (!hint.empty()) out += " (hint: " + hint + ")";
  return out;
}

template <typename T>
std::string printed(const char* format, T value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}
std::string hex64(std::uint64_t value) { return printed("%016" PRIx64, value); }
std::string number(double value) { return printed("%.9g", value); }

/// Bytes as they can be printed inside quotes: printable ASCII as is, the rest as \xNN.
std::string escaped(std::span<const std::byte> bytes) {
  std::string out;
  for (const std::byte b : bytes) {
    const auto c = std::to_integer<unsigned char>(b);
    const bool plain = c >= 0x20 && c < 0x7f && c != '\'' && c != '\\';
    out += plain ? std::string(1, static_cast<char>(c)) : printed("\\x%02x", unsigned{c});
  }
  return out;
}

// ---- bytes -------------------------------------------------------------------------------------
// Writer and Reader offer the same calls, and one function per section (transfer_section) drives
// either, so the order of a section's fields is written down once.

/// The unsigned integer with T's bits: integers and IEEE floats are stored alike.
template <typename T>
using BitsOf = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;

void patch_u64(Bytes& out, std::size_t at, std::uint64_t value) {
  for (std::size_t i = 0; i < 8; ++i) out[at + i] = static_cast<std::byte>(value >> (8 * i));
}

struct Writer {
  Bytes& out;

  std::size_t pos_for_errors() const { return out.size(); }

  /// Appends value's bytes, least significant first.
  template <typename T>
  void value(const T& v, std::string_view /*what*/) {
    static_assert(sizeof(T) == 4 || sizeof(T) == 8);
    const BitsOf<T> bits = std::bit_cast<BitsOf<T>>(v);
    for (std::size_t i = 0; i < sizeof(T); ++i) {
      out.push_back(static_cast<std::byte>(bits >> (8 * i)));
    }
  }
  void text(std::string_view s, std::string_view what) {
    value(static_cast<std::uint32_t>(s.size()), what);
    for (const char c : s) out.push_back(static_cast<std::byte>(c));
  }
  /// A count, then each item (a std::vector or an Eigen vector).
  template <typename Items, typename Each>
  void list(const Items& items, std::size_t /*item_size*/, std::string_view what, Each each) {
    value(static_cast<std::uint64_t>(items.size()), what);
    for (const auto& item : items) each(item);
  }
};

/// A cursor over one region of the file: the list of sections, or one section's payload.
struct Reader {
  std::span<const std::byte> bytes;  ///< the whole file
  std::size_t pos = 0;
  std::size_t end = 0;               ///< end of the region
  const std::string* path = nullptr;
  std::string section;               ///< for messages; "" in the section list
  bool cut = false;                  ///< the region ends where a truncated file ends

  [[noreturn]] void fail(std::size_t at, const std::string& message,
                         const std::string& hint = "") const {
    const std::string where = section.empty() ? "the section list" : "section '" + section + "'";
    throw CheckpointError(*path, "byte " + std::to_string(at) + " in " + where, message, hint);
  }
  std::size_t pos_for_errors() const { return pos; }
  void need(std::uint64_t count, std::string_view what) const {
    if (count <= end - pos) return;
    if (cut) {
      fail(pos, "truncated: expected " + std::to_string(count) + " more bytes, got " +
                    std::to_string(end - pos), kCutHint);
    }
    fail(pos, "expected " + std::to_string(count) + " bytes for " + std::string(what) + ", got " +
                  std::to_string(end - pos) + " left");
  }

  template <typename T>
  void value(T& v, std::string_view what) {
    need(sizeof(T), what);
    BitsOf<T> bits = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) {
      bits |= static_cast<BitsOf<T>>(std::to_integer<BitsOf<T>>(bytes[pos + i]) << (8 * i));
    }
    pos += sizeof(T);
    v = std::bit_cast<T>(bits);
  }
  void text(std::string& s, std::string_view what) {
    std::uint32_t size = 0;
    value(size, what);
    need(size, what);
    s.assign(reinterpret_cast<const char*>(bytes.data() + pos), size);
    pos += size;
  }
  /// An element count, checked against the bytes left before anything is allocated.
  std::size_t count(std::size_t element_size, std::string_view what) {
    const std::size_t at = pos;
    std::uint64_t n = 0;
    value(n, what);
    const std::size_t fits = (end - pos) / element_size;
    if (n > fits) {
      fail(at, "expected at most " + std::to_string(fits) + " elements in " + std::string(what) +
                   " (the bytes left in the section), got a count of " + std::to_string(n));
    }
    return static_cast<std::size_t>(n);
  }
  /// A count, then each item; item_size is the least an item takes, to bound the count.
  template <typename Items, typename Each>
  void list(Items& items, std::size_t item_size, std::string_view what, Each each) {
    items.resize(static_cast<decltype(items.size())>(count(item_size, what)));
    for (auto& item : items) each(item);
  }
};

/// The fields of section `name` in file order, written (Data = const CheckpointData) or read.
/// Returns false for a section this build does not know.
template <typename IO, typename Data>
bool transfer_section(IO& io, std::string_view name, Data& d) {
  const auto array = [&](auto& values, std::string_view what) {  // floats or doubles, raw
    io.list(values, sizeof(values[0]), what, [&](auto& v) { io.value(v, what); });
  };
  const auto rng_state = [&](auto& state, std::string_view what) {
    for (auto& word : state.words) io.value(word, what);
    io.value(state.spare, what);
    std::uint32_t has_spare = state.has_spare ? 1 : 0;
    io.value(has_spare, what);
    if constexpr (!std::is_const_v<Data>) state.has_spare = has_spare != 0;
  };
  if (name == "identity") {
    io.text(d.scenario_name, "scenario_name");
    io.value(d.scenario_fingerprint, "scenario_fingerprint");
    io.value(d.obs_dim, "obs_dim");
    io.value(d.act_dim, "act_dim");
    io.list(d.hidden, 4, "hidden", [&](auto& width) { io.value(width, "hidden"); });
  } else if (name == "config") {
    io.text(d.config_text, "config_text");
  } else if (name == "progress") {
    io.value(d.iteration, "iteration");
    io.value(d.global_step, "global_step");
    io.value(d.elapsed_seconds, "elapsed_seconds");
    io.value(d.seed, "seed");
  } else if (name == "params") {
    array(d.params, "params");
  } else if (name == "adam") {
    io.value(d.adam.learning_rate, "learning_rate");
    io.value(d.adam.beta1, "beta1");
    io.value(d.adam.beta2, "beta2");
    io.value(d.adam.epsilon, "epsilon");
    io.value(d.adam.step, "step");
    array(d.adam.m, "m");
    array(d.adam.v, "v");
  } else if (name == "obs_norm") {
    io.value(d.obs_norm.count, "count");
    io.value(d.obs_norm.clip, "clip");
    io.value(d.obs_norm.epsilon, "epsilon");
    array(d.obs_norm.mean, "mean");
    array(d.obs_norm.var, "var");
  } else if (name == "resume") {
    auto& r = *d.resume;
    rng_state(r.action_rng, "action_rng");
    io.value(r.return_count, "return_count");
    io.value(r.return_mean, "return_mean");
    io.value(r.return_var, "return_var");
    array(r.discounted, "discounted");
    array(r.next_obs, "next_obs");
    io.list(r.episodes, 4 * 8 + 4 + 4 + 8, "episodes", [&](auto& episode) {
      rng_state(episode.start, "episode start");
      array(episode.actions, "episode actions");
    });
  } else if (name == "ranks") {
    io.list(d.resume->rank_action_rngs, 4 * 8 + 4 + 4, "rank_action_rngs",
            [&](auto& state) { rng_state(state, "rank action_rng"); });
  } else if (name == "curriculum") {
    // After 'resume' (the reader checks): per env, how its episode began, then each rank's
    // curriculum.
    auto& r = *d.resume;
    std::uint64_t envs = r.episodes.size();
    const std::size_t at = io.pos_for_errors();
    io.value(envs, "handover count");
    if constexpr (!std::is_const_v<Data>) {
      if (envs != r.episodes.size()) {
        io.fail(at, "expected one handover per env of section 'resume' (" + std::to_string(r.episodes.size()) +
                        "), got " + std::to_string(envs));
      }
    }
    for (auto& episode : r.episodes) {
      io.value(episode.handover, "handover");
      rng_state(episode.stream, "handover stream");
    }
    const auto ring = [&](auto& starts, std::string_view what) {
      io.value(starts.next, what);
      io.list(starts.slots, 4 * 8 + 4 + 4 + 8, what, [&](auto& start) {
        rng_state(start.start, what);
        array(start.actions, what);
      });
    };
    io.list(r.curricula, 8 + 2 * (4 + 8), "curricula", [&](auto& c) {
      io.value(c.crash_rate, "crash_rate");
      ring(c.crashes, "crash starts");
      ring(c.near_misses, "near-miss starts");
    });
  } else if (name == "es") {
    io.value(d.es->pairs, "pairs");
    io.value(d.es->episodes_per_member, "episodes_per_member");
  } else if (name == "metrics") {
    io.list(d.metrics, 4 + 8, "metrics", [&](auto& metric) {
      io.text(metric.first, "metric name");
      io.value(metric.second, "metric value");
    });
  } else {
    return false;
  }
  return true;
}

// ---- validation --------------------------------------------------------------------------------

/// "[64, 64]"
std::string bracketed(const std::vector<int>& values) {
  std::string s = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    s += (i > 0 ? ", " : "") + std::to_string(values[i]);
  }
  return s + "]";
}

/// A problem with decoded (or about to be encoded) data: which section, what, and advice.
struct Problem {
  std::string section;
  std::string message;
  std::string hint = "the file was written inconsistently; use another checkpoint";
};

/// Size and finiteness of one stored vector.
template <typename Vector>
std::optional<Problem> check_vector(const char* section, const std::string& name,
                                    const Vector& values, Eigen::Index size,
                                    const std::string& why) {
  if (values.size() != size) {
    return Problem{section, "expected " + name + " of size " + std::to_string(size) + " (" + why +
                                "), got " + std::to_string(values.size())};
  }
  for (Eigen::Index i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values(i))) {
      return Problem{section,
                     "expected finite " + name + ", got " + number(values(i)) + " at " + name +
                         "[" + std::to_string(i) + "]",
                     "training diverged before this was written; use an earlier checkpoint"};
    }
  }
  return std::nullopt;
}

/// lo <= x <= hi; false for NaN (and for infinities when the bounds are finite).
bool within(double x, double lo, double hi) { return x >= lo && x <= hi; }

/// Everything load_checkpoint checks after decoding, and save_checkpoint before encoding.
std::optional<Problem> validate(const CheckpointData& d) {
  std::vector<int> widths = d.hidden;
  widths.insert(widths.end(), {d.obs_dim, d.act_dim});
  if (d.hidden.size() > kMaxHiddenLayers ||
      !std::all_of(widths.begin(), widths.end(), [](int w) { return w >= 1 && w <= kMaxWidth; })) {
    return Problem{"identity", "expected obs_dim, act_dim and at most " +
                                   std::to_string(kMaxHiddenLayers) + " hidden widths in [1, " +
                                   std::to_string(kMaxWidth) + "], got " +
                                   std::to_string(d.obs_dim) + ", " + std::to_string(d.act_dim) +
                                   " and " + bracketed(d.hidden)};
  }
  constexpr double kHuge = std::numeric_limits<double>::max();
  constexpr double kBelowOne = 1.0 - 1e-9;
  if (d.iteration < 0 || d.global_step < 0 || !within(d.elapsed_seconds, 0.0, kHuge)) {
    return Problem{"progress", "expected iteration, global_step and elapsed_seconds >= 0, got " +
                                   std::to_string(d.iteration) + ", " +
                                   std::to_string(d.global_step) + ", " +
                                   number(d.elapsed_seconds)};
  }

  const std::int64_t count = policy_param_count(PolicyConfig{d.obs_dim, d.act_dim, d.hidden, 0.0f});
  const std::string shape = "what obs_dim " + std::to_string(d.obs_dim) + ", act_dim " +
                            std::to_string(d.act_dim) + " and the hidden layers imply";
  if (auto p = check_vector("params", "params", d.params, count, shape)) return p;

  const Adam& a = d.adam;
  if (!within(a.learning_rate, 0.0, kHuge) || !within(a.beta1, 0.0, kBelowOne) ||
      !within(a.beta2, 0.0, kBelowOne) || !within(a.epsilon, 1e-30, kHuge) || a.step < 0) {
    return Problem{"adam", "expected learning_rate >= 0, betas in [0, 1), epsilon > 0 and "
                           "step >= 0, got " + number(a.learning_rate) + ", " + number(a.beta1) +
                               ", " + number(a.beta2) + ", " + number(a.epsilon) + " and " +
                               std::to_string(a.step)};
  }
  if (auto p = check_vector("adam", "m", a.m, count, "one per parameter")) return p;
  if (auto p = check_vector("adam", "v", a.v, count, "one per parameter")) return p;
  if ((a.v.array() < 0.0f).any()) return Problem{"adam", "expected v >= 0, got a negative"};

  const RunningNorm& n = d.obs_norm;
  const std::string per_slot = "one per observation slot, obs_dim " + std::to_string(d.obs_dim);
  if (auto p = check_vector("obs_norm", "mean", n.mean, d.obs_dim, per_slot)) return p;
  if (auto p = check_vector("obs_norm", "var", n.var, d.obs_dim, per_slot)) return p;
  if ((n.var.array() < 0.0).any()) return Problem{"obs_norm", "expected var >= 0, got a negative"};
  if (!within(n.count, 0.0, kHuge) || !within(n.clip, 1e-30, kHuge) ||
      !within(n.epsilon, 0.0, kHuge)) {
    return Problem{"obs_norm", "expected count >= 0, clip > 0 and epsilon >= 0, got " +
                                   number(n.count) + ", " + number(n.clip) + " and " +
                                   number(n.epsilon)};
  }
  if (d.es) {
    if (d.resume) {
      return Problem{"es", "expected the state of one algorithm, got both PPO's (section 'resume') and "
                           "evolution strategies'"};
    }
    if (d.es->pairs < 1 || d.es->episodes_per_member < 1) {
      return Problem{"es", "expected pairs >= 1 and episodes_per_member >= 1, got " +
                               std::to_string(d.es->pairs) + " and " + std::to_string(d.es->episodes_per_member)};
    }
  }
  if (d.resume) {
    const ResumeState& r = *d.resume;
    const std::size_t envs = r.episodes.size();
    const std::size_t ranks = 1 + r.rank_action_rngs.size();
    if (envs % ranks != 0) {
      return Problem{"ranks", "expected the same number of envs on each of " + std::to_string(ranks) +
                                  " ranks, got " + std::to_string(envs) + " envs in all"};
    }
    // One discounted return and observation per agent slot: K per env in a K-agent scenario.
    const std::size_t slots = r.discounted.size();
    const std::size_t agents = envs == 0 ? 1 : slots / envs;
    if (slots != envs * agents || agents < 1 || agents > static_cast<std::size_t>(sim::kMaxAgents) ||
        r.next_obs.size() != slots * static_cast<std::size_t>(d.obs_dim)) {
      return Problem{"resume", "expected one discounted return and obs_dim (" +
                                   std::to_string(d.obs_dim) + ") observations per env (" +
                                   std::to_string(envs) + " episodes), got " +
                                   std::to_string(r.discounted.size()) + " and " +
                                   std::to_string(r.next_obs.size()) + " (with several agents per env: per agent)"};
    }
    const auto finite = [](const auto& values) {
      return std::all_of(values.begin(), values.end(), [](auto v) { return std::isfinite(v); });
    };
    if (!finite(r.discounted) || !finite(r.next_obs) || !within(r.return_count, 0.0, kHuge) ||
        !within(r.return_var, 0.0, kHuge) || !std::isfinite(r.return_mean)) {
      return Problem{"resume", "expected finite returns and observations and a return count and "
                               "variance >= 0, got a non-finite or negative value",
                     "training diverged before this was written; use an earlier checkpoint"};
    }
    if (!r.curricula.empty() && r.curricula.size() != ranks) {
      return Problem{"curriculum", "expected a curriculum for each of " + std::to_string(ranks) + " ranks, got " +
                                       std::to_string(r.curricula.size())};
    }
    for (const CurriculumState& c : r.curricula) {
      for (const StartRing* ring : {&c.crashes, &c.near_misses}) {
        const bool next_fits = ring->next >= 0 && (ring->next == 0 || static_cast<std::size_t>(ring->next) < ring->slots.size());
        const bool actions_fit = std::all_of(ring->slots.begin(), ring->slots.end(), [&](const sim::EpisodeRecord& e) {
          return e.actions.size() % static_cast<std::size_t>(d.act_dim) == 0 && finite(e.actions);
        });
        if (!next_fits || !actions_fit || !within(c.crash_rate, 0.0, 1.0)) {
          return Problem{"curriculum", "expected a crash rate in [0, 1], start points of finite actions of act_dim " +
                                           std::to_string(d.act_dim) + " values each and a ring position inside "
                                           "the ring, got a value out of range"};
        }
      }
    }
    for (std::size_t i = 0; i < envs; ++i) {
      const std::vector<float>& acts = r.episodes[i].actions;
      const std::size_t steps = acts.size() / std::max<std::size_t>(static_cast<std::size_t>(d.act_dim) * agents, 1);
      if (r.episodes[i].handover < 0 || static_cast<std::size_t>(r.episodes[i].handover) > steps) {
        return Problem{"curriculum", "expected env " + std::to_string(i) + "'s handover within its episode's " +
                                         std::to_string(steps) + " steps, got " + std::to_string(r.episodes[i].handover)};
      }
      if (acts.size() % (static_cast<std::size_t>(d.act_dim) * agents) != 0 || !finite(acts)) {
        const std::string per_step = agents == 1 ? " values each" : " values for each of " + std::to_string(agents) +
                                                                       " agents per step";
        return Problem{"resume", "expected env " + std::to_string(i) + "'s episode to hold finite "
                                 "actions of act_dim " + std::to_string(d.act_dim) + per_step + ", got " +
                                 std::to_string(acts.size()) + " values"};
      }
    }
  }
  return std::nullopt;
}

}  // namespace

CheckpointError::CheckpointError(const std::string& path_, const std::string& place_,
                                 const std::string& message_, const std::string& hint_)
    : std::runtime_error(format_error(path_, place_, message_, hint_)),
      path(path_), place(place_), message(message_), hint(hint_) {}

std::uint64_t checkpoint_checksum(std::span<const std::byte> bytes) {
  return sim::fnv1a(bytes.data(), bytes.size());
}

std::vector<std::byte> encode_checkpoint(const CheckpointData& d) {
  Bytes out;
  Writer w{out};
  for (const char c : kMagic) out.push_back(static_cast<std::byte>(c));
  w.value(kCheckpointVersion, "version");
  w.value(std::uint64_t{0}, "file_size");  // patched at the end
  for (const std::string_view name : kSections) {
    if (name == "resume" && !d.resume) continue;
    if (name == "ranks" && (!d.resume || d.resume->rank_action_rngs.empty())) continue;
    if (name == "curriculum" && (!d.resume || d.resume->curricula.empty())) continue;
    if (name == "es" && !d.es) continue;
    w.text(name, "section name");
    const std::size_t length_at = out.size();
    w.value(std::uint64_t{0}, "section length");  // patched when the payload is written
    transfer_section(w, name, d);
    patch_u64(out, length_at, out.size() - (length_at + 8));
  }
  patch_u64(out, 12, out.size() + kTrailerSize);
  w.value(checkpoint_checksum(out), "checksum");
  return out;
}

CheckpointData decode_checkpoint(std::span<const std::byte> bytes, const std::string& path) {
  const std::size_t size = bytes.size();
  const auto header_error = [&](std::size_t at, const std::string& message,
                                const std::string& hint) {
    return CheckpointError(path, "byte " + std::to_string(at) + " in the header", message, hint);
  };

  // Header: magic, version, declared size. A damaged header is named field by field.
  if (size == 0) {
    throw CheckpointError(path, "", "expected a crashcourse checkpoint, got an empty file",
                          "the file was never written; use another checkpoint");
  }
  const std::size_t magic_size = std::min(size, kMagic.size());
  if (std::memcmp(bytes.data(), kMagic.data(), magic_size) != 0) {
    throw CheckpointError(path, "",
                          "not a crashcourse checkpoint: expected magic 'CRASHCK', got '" +
                              escaped(bytes.first(magic_size)) + "'",
                          "is this the right file?");
  }
  if (size < kHeaderSize) {
    throw header_error(size, "truncated: expected " + std::to_string(kHeaderSize) +
                                 " header bytes, got " + std::to_string(size), kCutHint);
  }
  Reader r{bytes, kMagic.size(), size, &path, "", false};
  std::uint32_t version = 0;
  r.value(version, "version");
  if (version > kCheckpointVersion) {
    throw header_error(8, "format version " + std::to_string(version) +
                              " is newer than this build reads (" +
                              std::to_string(kCheckpointVersion) + ")",
                       "load it with a newer crashcourse");
  }
  if (version == 0) throw header_error(8, "expected format version 1, got 0", "it is corrupted");
  std::uint64_t declared = 0;
  r.value(declared, "file_size");
  if (declared < kHeaderSize + kTrailerSize) {
    throw header_error(12, "expected a file size of at least " +
                               std::to_string(kHeaderSize + kTrailerSize) + ", got " +
                               std::to_string(declared), "it is corrupted");
  }
  if (declared < size) {
    throw CheckpointError(path, "byte " + std::to_string(declared),
                          "expected the file to end here (as its header says), got " +
                              std::to_string(size - declared) + " more bytes",
                          "something was appended to the file; it may be corrupted");
  }
  // A file shorter than its header says is truncated: the section list is walked only to name
  // where it ends. Otherwise the checksum covers everything before the trailer, so any damage
  // past the header shows here.
  r.cut = declared > size;
  r.end = static_cast<std::size_t>(std::min<std::uint64_t>(declared - kTrailerSize, size));
  if (!r.cut) {
    std::uint64_t stored = 0;
    Reader{bytes, r.end, size, &path, "", false}.value(stored, "checksum");
    const std::uint64_t computed = checkpoint_checksum(bytes.first(r.end));
    if (stored != computed) {
      throw CheckpointError(path, "byte " + std::to_string(r.end),
                            "checksum mismatch (file is corrupted): expected " + hex64(computed) +
                                ", got " + hex64(stored), "use an older checkpoint");
    }
  }

  // Sections, in any order; each known one exactly once, unknown ones skipped and named.
  CheckpointData d;
  std::array<std::size_t, kSections.size()> found_at{};  // 0: not seen (sections start past 20)
  while (r.pos < r.end) {
    r.section.clear();
    const std::size_t at = r.pos;
    std::uint32_t name_size = 0;
    r.value(name_size, "section name");
    r.need(name_size, "section name");
    const std::string_view name(reinterpret_cast<const char*>(bytes.data() + r.pos), name_size);
    r.section = escaped(bytes.subspan(r.pos, name_size));
    r.pos += name_size;
    std::uint64_t length = 0;
    r.value(length, "section length");
    r.need(length, "the section");

    Reader s{bytes, r.pos, r.pos + static_cast<std::size_t>(length), &path, r.section, false};
    const auto index = static_cast<std::size_t>(
        std::find(kSections.begin(), kSections.end(), name) - kSections.begin());
    if (index == kSections.size()) {
      d.unknown_sections.push_back(s.section);
    } else {
      if (found_at[index] != 0) s.fail(at, "expected each section once, got a second");
      found_at[index] = at;
      if (name == "curriculum" && !d.resume) {
        s.fail(at, "expected a section 'resume' before it, got none",
               "the file was written inconsistently; use another checkpoint");
      }
      if ((name == "resume" || name == "ranks") && !d.resume) d.resume.emplace();
      if (name == "es") d.es.emplace();
      transfer_section(s, name, d);
      if (s.pos != s.end) {
        s.fail(s.pos, "expected the section to end here, got " + std::to_string(s.end - s.pos) +
                          " more bytes");
      }
    }
    r.pos = s.end;
  }
  if (r.cut) {
    throw CheckpointError(path, "byte " + std::to_string(size),
                          "truncated: expected " + std::to_string(declared) +
                              " bytes (as the header says), got " + std::to_string(size),
                          kCutHint);
  }
  for (std::size_t i = 0; i < kRequiredSections; ++i) {
    if (found_at[i] == 0) {
      throw CheckpointError(path, "", "expected a section '" + std::string(kSections[i]) +
                                          "', got none",
                            "the file was written by an incompatible build");
    }
  }
  if (found_at[8] != 0 && found_at[7] == 0) {
    throw CheckpointError(path, "byte " + std::to_string(found_at[8]) + " in section 'ranks'",
                          "expected a section 'resume' with it, got none",
                          "the file was written inconsistently; use another checkpoint");
  }

  if (const std::optional<Problem> p = validate(d)) {
    const auto index = std::find(kSections.begin(), kSections.end(), p->section) -
                       kSections.begin();
    throw CheckpointError(path, "byte " + std::to_string(found_at[index]) + " in section '" +
                                    p->section + "'", p->message, p->hint);
  }
  return d;
}

void save_checkpoint(const std::string& path, const CheckpointData& data) {
  if (const std::optional<Problem> p = validate(data)) {
    throw CheckpointError(path, "section '" + p->section + "'", "refusing to save: " + p->message,
                          "this is a bug in the caller; the previous checkpoint is untouched");
  }
  const Bytes bytes = encode_checkpoint(data);

  const std::string error =
      sim::replace_file(path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  if (!error.empty()) {
    throw CheckpointError(path, "", error,
                          "check that the directory exists, is writable and has space; the previous checkpoint is "
                          "untouched");
  }
}

CheckpointData load_checkpoint(const std::string& path) {
  const auto failure = [&](const std::string& what, int error) {
    return CheckpointError(path, "", what + ": " + std::generic_category().message(error));
  };
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw failure("cannot open checkpoint", errno);
  struct stat info {};
  int error = 0;
  if (::fstat(fd, &info) != 0) error = errno;
  else if (S_ISDIR(info.st_mode)) error = EISDIR;
  else if (!S_ISREG(info.st_mode)) error = EINVAL;  // a pipe or device: not a checkpoint
  else if (static_cast<std::uint64_t>(info.st_size) > kMaxFileSize) error = EFBIG;
  Bytes bytes(error == 0 ? static_cast<std::size_t>(info.st_size) : 0);
  std::size_t got = 0;
  while (got < bytes.size()) {
    const ssize_t n = ::read(fd, bytes.data() + got, bytes.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) error = errno;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (error != 0) throw failure("cannot read checkpoint", error);
  bytes.resize(got);  // a file that shrank while being read decodes as truncated
  return decode_checkpoint(bytes, path);
}

std::string check_compatible(const CheckpointData& ck, const std::string& path,
                             const CheckpointUse& use) {
  std::string out;
  const auto add = [&](const std::string& message, const std::string& hint) {
    if (!out.empty()) out += '\n';
    out += format_error(path, "section 'identity'", message, hint);
  };

  if (use.require_same_scenario && ck.scenario_fingerprint != use.scenario_fingerprint) {
    if (ck.scenario_name == use.scenario_name) {
      add("made for another version of scenario '" + ck.scenario_name + "' (fingerprint " +
              hex64(ck.scenario_fingerprint) + "), not this one (" +
              hex64(use.scenario_fingerprint) + ")",
          "the scenario file changed since this checkpoint was written");
    } else {
      add("made for scenario '" + ck.scenario_name + "' (fingerprint " +
              hex64(ck.scenario_fingerprint) + "), not '" + use.scenario_name + "' (" +
              hex64(use.scenario_fingerprint) + ")",
          "use a checkpoint of a run on '" + use.scenario_name +
              "', or fine-tune from this one on purpose");
    }
  }
  if (ck.obs_dim != use.obs_dim) {
    add("observation size " + std::to_string(ck.obs_dim) + " does not match the scenario's " +
            std::to_string(use.obs_dim), "the scenario's sensors changed");
  }
  if (ck.act_dim != use.act_dim) {
    add("action size " + std::to_string(ck.act_dim) + " does not match the scenario's " +
            std::to_string(use.act_dim), "the scenario's controls changed");
  }
  if (ck.hidden != use.hidden) {
    add("hidden layers " + bracketed(ck.hidden) + " do not match the policy config's " +
            bracketed(use.hidden),
        "set the policy's hidden widths to " + bracketed(ck.hidden) + " to use this checkpoint");
  }
  return out;
}

Policy make_policy_from_checkpoint(const CheckpointData& ck) {
  Policy policy =
      make_policy({.obs_dim = ck.obs_dim, .act_dim = ck.act_dim, .hidden = ck.hidden}, ck.seed);
  policy.params = ck.params;
  return policy;
}

}  // namespace agent
