// Checkpoint encoding, decoding with validation of every length before it is trusted, atomic
// save (temp file, fsync, rename) and the compatibility check against a scenario and policy.
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
#include <optional>
#include <string_view>
#include <system_error>

#include "agent/mlp.h"

namespace agent {
namespace {

constexpr std::array<char, 8> kMagic = {'C', 'R', 'A', 'S', 'H', 'C', 'K', '\0'};
constexpr std::size_t kHeaderSize = 20;   // magic, version, file_size
constexpr std::size_t kTrailerSize = 8;   // checksum
constexpr std::uint64_t kMaxFileSize = std::uint64_t{1} << 32;  // 4 GiB ≈ 350 M params × 3 arrays
constexpr std::uint32_t kMaxSectionName = 64;
// Bounds on the network shape, far above any real use, so parameter counts cannot overflow:
// each layer holds at most 2^20 · (2^20 + 1) floats, 64 layers at most 2^47.
constexpr int kMaxWidth = 1 << 20;
constexpr std::size_t kMaxHiddenLayers = 64;

constexpr std::array<std::string_view, 7> kSections = {"identity", "config",  "progress", "params",
                                                       "adam",     "obs_norm", "metrics"};

std::string format_error(const std::string& path, const std::string& place,
                         const std::string& message, const std::string& hint) {
  std::string out = path + ": ";
  if (!place.empty()) out += place + ": ";
  out += message;
  if (!hint.empty()) out += " (hint: " + hint + ")";
  return out;
}

std::string hex64(std::uint64_t value) {
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "%016" PRIx64, value);
  return buffer;
}

std::string number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.9g", value);
  return buffer;
}

/// Bytes as they can be printed inside quotes: printable ASCII as is, the rest as \xNN.
std::string escaped(std::span<const std::byte> bytes) {
  std::string out;
  for (const std::byte b : bytes) {
    const auto c = static_cast<unsigned char>(b);
    if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\x%02x", c);
      out += buffer;
    }
  }
  return out;
}

std::string system_message(int error) { return std::generic_category().message(error); }

// ---- writing -----------------------------------------------------------------------------------

/// Appends the low `bytes` bytes of value, least significant first.
void put_le(std::vector<std::byte>& out, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<std::byte>(value >> (8 * i)));
}
void put_u32(std::vector<std::byte>& out, std::uint32_t v) { put_le(out, v, 4); }
void put_u64(std::vector<std::byte>& out, std::uint64_t v) { put_le(out, v, 8); }
void put_i32(std::vector<std::byte>& out, int v) { put_le(out, static_cast<std::uint32_t>(v), 4); }
void put_i64(std::vector<std::byte>& out, std::int64_t v) {
  put_le(out, static_cast<std::uint64_t>(v), 8);
}
void put_f32(std::vector<std::byte>& out, float v) { put_le(out, std::bit_cast<std::uint32_t>(v), 4); }
void put_f64(std::vector<std::byte>& out, double v) { put_le(out, std::bit_cast<std::uint64_t>(v), 8); }

void put_string(std::vector<std::byte>& out, std::string_view s) {
  put_u32(out, static_cast<std::uint32_t>(s.size()));
  for (const char c : s) out.push_back(static_cast<std::byte>(c));
}

void put_floats(std::vector<std::byte>& out, const Eigen::VectorXf& values) {
  put_u64(out, static_cast<std::uint64_t>(values.size()));
  for (const float v : values) put_f32(out, v);
}

void put_doubles(std::vector<std::byte>& out, const Eigen::VectorXd& values) {
  put_u64(out, static_cast<std::uint64_t>(values.size()));
  for (const double v : values) put_f64(out, v);
}

/// Writes the section's name and a placeholder length; returns where the length sits.
std::size_t begin_section(std::vector<std::byte>& out, std::string_view name) {
  put_string(out, name);
  const std::size_t at = out.size();
  put_u64(out, 0);
  return at;
}

void end_section(std::vector<std::byte>& out, std::size_t length_at) {
  const std::uint64_t length = out.size() - (length_at + 8);
  for (int i = 0; i < 8; ++i) out[length_at + i] = static_cast<std::byte>(length >> (8 * i));
}

// ---- reading -----------------------------------------------------------------------------------

/// A cursor over one region of the file (a section's payload, or the section list).
struct Reader {
  std::span<const std::byte> bytes;  ///< the whole file
  std::size_t pos = 0;
  std::size_t end = 0;               ///< end of the region
  const std::string* path = nullptr;
  std::string section;               ///< for messages; "" while reading section headers
};

std::string place_of(const Reader& r, std::size_t at) {
  std::string place = "byte " + std::to_string(at);
  place += r.section.empty() ? " in the section list" : " in section '" + r.section + "'";
  return place;
}

[[noreturn]] void fail(const Reader& r, std::size_t at, const std::string& message,
                       const std::string& hint = "") {
  throw CheckpointError(*r.path, place_of(r, at), message, hint);
}

void need(const Reader& r, std::uint64_t count, std::string_view what) {
  if (count > r.end - r.pos) {
    fail(r, r.pos, "expected " + std::to_string(count) + " bytes for " + std::string(what) +
                       ", got " + std::to_string(r.end - r.pos) + " left in " +
                       (r.section.empty() ? "the section list" : "the section"));
  }
}

std::uint64_t get_le(Reader& r, int bytes, std::string_view what) {
  need(r, static_cast<std::uint64_t>(bytes), what);
  std::uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) {
    value |= static_cast<std::uint64_t>(r.bytes[r.pos + i]) << (8 * i);
  }
  r.pos += static_cast<std::size_t>(bytes);
  return value;
}
std::uint32_t get_u32(Reader& r, std::string_view what) {
  return static_cast<std::uint32_t>(get_le(r, 4, what));
}
std::uint64_t get_u64(Reader& r, std::string_view what) { return get_le(r, 8, what); }
int get_i32(Reader& r, std::string_view what) { return static_cast<int>(get_u32(r, what)); }
std::int64_t get_i64(Reader& r, std::string_view what) {
  return static_cast<std::int64_t>(get_u64(r, what));
}
float get_f32(Reader& r, std::string_view what) {
  return std::bit_cast<float>(get_u32(r, what));
}
double get_f64(Reader& r, std::string_view what) { return std::bit_cast<double>(get_u64(r, what)); }

std::string get_string(Reader& r, std::string_view what) {
  const std::uint32_t size = get_u32(r, what);
  need(r, size, what);
  std::string s(reinterpret_cast<const char*>(r.bytes.data() + r.pos), size);
  r.pos += size;
  return s;
}

/// An element count, checked against the bytes left before anything is allocated.
std::size_t get_count(Reader& r, std::size_t element_size, std::string_view what) {
  const std::size_t at = r.pos;
  const std::uint64_t count = get_u64(r, what);
  if (count > (r.end - r.pos) / element_size) {
    fail(r, at,
         "expected at most " + std::to_string((r.end - r.pos) / element_size) + " elements in " +
             std::string(what) + " (the bytes left in the section), got a count of " +
             std::to_string(count));
  }
  return static_cast<std::size_t>(count);
}

Eigen::VectorXf get_floats(Reader& r, std::string_view what) {
  Eigen::VectorXf values(static_cast<Eigen::Index>(get_count(r, 4, what)));
  for (float& v : values) v = get_f32(r, what);
  return values;
}

Eigen::VectorXd get_doubles(Reader& r, std::string_view what) {
  Eigen::VectorXd values(static_cast<Eigen::Index>(get_count(r, 8, what)));
  for (double& v : values) v = get_f64(r, what);
  return values;
}

void read_section(Reader& r, std::string_view name, CheckpointData& d) {
  if (name == "identity") {
    d.scenario_name = get_string(r, "scenario_name");
    d.scenario_fingerprint = get_u64(r, "scenario_fingerprint");
    d.obs_dim = get_i32(r, "obs_dim");
    d.act_dim = get_i32(r, "act_dim");
    d.hidden.resize(get_count(r, 4, "hidden"));
    for (int& width : d.hidden) width = get_i32(r, "hidden");
  } else if (name == "config") {
    d.config_text = get_string(r, "config_text");
  } else if (name == "progress") {
    d.iteration = get_i64(r, "iteration");
    d.global_step = get_i64(r, "global_step");
    d.elapsed_seconds = get_f64(r, "elapsed_seconds");
    d.seed = get_u64(r, "seed");
  } else if (name == "params") {
    d.params = get_floats(r, "params");
  } else if (name == "adam") {
    d.adam.learning_rate = get_f32(r, "learning_rate");
    d.adam.beta1 = get_f32(r, "beta1");
    d.adam.beta2 = get_f32(r, "beta2");
    d.adam.epsilon = get_f32(r, "epsilon");
    d.adam.step = get_i64(r, "step");
    d.adam.m = get_floats(r, "m");
    d.adam.v = get_floats(r, "v");
  } else if (name == "obs_norm") {
    d.obs_norm.count = get_f64(r, "count");
    d.obs_norm.clip = get_f32(r, "clip");
    d.obs_norm.epsilon = get_f32(r, "epsilon");
    d.obs_norm.mean = get_doubles(r, "mean");
    d.obs_norm.var = get_doubles(r, "var");
    d.obs_norm.frozen = false;
  } else if (name == "metrics") {
    d.metrics.resize(get_count(r, 4 + 8, "metrics"));
    for (auto& [metric, value] : d.metrics) {
      metric = get_string(r, "metric name");
      value = get_f64(r, "metric value");
    }
  }
}

/// Where a file shorter than its header says ends: walks the section headers up to the end.
[[noreturn]] void fail_truncated(const Reader& list, std::uint64_t declared) {
  const std::string hint = "the file was cut short (an interrupted copy?); use an older checkpoint";
  const std::size_t size = list.bytes.size();
  const std::size_t trailer = static_cast<std::size_t>(declared - kTrailerSize);
  Reader r = list;
  r.end = size;
  while (r.pos < trailer && r.pos < size) {
    r.section.clear();
    if (size - r.pos < 4) break;
    const std::uint32_t name_size = get_u32(r, "section name");
    if (name_size > kMaxSectionName || size - r.pos < name_size + std::uint64_t{8}) break;
    r.section = escaped(r.bytes.subspan(r.pos, name_size));
    r.pos += name_size;
    const std::uint64_t length = get_u64(r, "section length");
    if (length > size - r.pos) {
      fail(r, r.pos,
           "truncated: expected " + std::to_string(length) + " more bytes, got " +
               std::to_string(size - r.pos),
           hint);
    }
    r.pos += static_cast<std::size_t>(length);
  }
  throw CheckpointError(*list.path, "byte " + std::to_string(size),
                        "truncated: expected " + std::to_string(declared) +
                            " bytes (as the header says), got " + std::to_string(size),
                        hint);
}

/// A problem with decoded (or about to be encoded) data: which section, what, and advice.
struct Problem {
  std::string section;
  std::string message;
  std::string hint;
};

/// The first index of a non-finite value, or -1.
template <typename Vector>
Eigen::Index first_non_finite(const Vector& values) {
  for (Eigen::Index i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values(i))) return i;
  }
  return -1;
}

std::optional<Problem> check_vector(const char* section, const char* name, const auto& values,
                                    Eigen::Index expected_size, const std::string& why) {
  if (values.size() != expected_size) {
    return Problem{section,
                   "expected " + std::string(name) + " of size " + std::to_string(expected_size) +
                       " (" + why + "), got " + std::to_string(values.size()),
                   "the file was written inconsistently; use another checkpoint"};
  }
  if (const Eigen::Index i = first_non_finite(values); i >= 0) {
    return Problem{section,
                   "expected finite " + std::string(name) + ", got " + number(values(i)) + " at " +
                       name + "[" + std::to_string(i) + "]",
                   "training diverged before this was written; use an earlier checkpoint"};
  }
  return std::nullopt;
}

Problem bad(const char* section, const std::string& message) {
  return {section, message, "the file was written inconsistently; use another checkpoint"};
}

/// Length of Policy::params for a config: actor, log_std, critic, laid out as make_policy does.
std::int64_t policy_param_count(const PolicyConfig& config) {
  Mlp actor{{config.obs_dim}};
  actor.sizes.insert(actor.sizes.end(), config.hidden.begin(), config.hidden.end());
  Mlp critic = actor;
  actor.sizes.push_back(config.act_dim);
  critic.sizes.push_back(1);
  return mlp_param_count(actor) + config.act_dim + mlp_param_count(critic);
}

/// Everything load_checkpoint checks after decoding, and save_checkpoint before encoding.
std::optional<Problem> validate(const CheckpointData& d) {
  const auto width_ok = [](int w) { return w >= 1 && w <= kMaxWidth; };
  if (!width_ok(d.obs_dim) || !width_ok(d.act_dim)) {
    return bad("identity", "expected obs_dim and act_dim in [1, " + std::to_string(kMaxWidth) +
                               "], got " + std::to_string(d.obs_dim) + " and " +
                               std::to_string(d.act_dim));
  }
  if (d.hidden.size() > kMaxHiddenLayers) {
    return bad("identity", "expected at most " + std::to_string(kMaxHiddenLayers) +
                               " hidden layers, got " + std::to_string(d.hidden.size()));
  }
  for (const int w : d.hidden) {
    if (!width_ok(w)) {
      return bad("identity", "expected hidden widths in [1, " + std::to_string(kMaxWidth) +
                                 "], got " + std::to_string(w));
    }
  }
  if (d.iteration < 0 || d.global_step < 0 || !(d.elapsed_seconds >= 0.0) ||
      !std::isfinite(d.elapsed_seconds)) {
    return bad("progress", "expected iteration, global_step and elapsed_seconds >= 0, got " +
                               std::to_string(d.iteration) + ", " + std::to_string(d.global_step) +
                               ", " + number(d.elapsed_seconds));
  }

  const PolicyConfig config{d.obs_dim, d.act_dim, d.hidden};
  const std::int64_t expected = policy_param_count(config);
  const std::string shape = "what obs_dim " + std::to_string(d.obs_dim) + ", act_dim " +
                            std::to_string(d.act_dim) + " and the hidden layers imply";
  if (auto p = check_vector("params", "params", d.params, expected, shape)) return p;

  const Adam& a = d.adam;
  if (!std::isfinite(a.learning_rate) || a.learning_rate < 0.0f || !(a.beta1 >= 0.0f) ||
      !(a.beta1 < 1.0f) || !(a.beta2 >= 0.0f) || !(a.beta2 < 1.0f) || !(a.epsilon > 0.0f) ||
      !std::isfinite(a.epsilon) || a.step < 0) {
    return bad("adam", "expected learning_rate >= 0, betas in [0, 1), epsilon > 0, step >= 0, got " +
                           number(a.learning_rate) + ", " + number(a.beta1) + ", " +
                           number(a.beta2) + ", " + number(a.epsilon) + ", " +
                           std::to_string(a.step));
  }
  if (auto p = check_vector("adam", "m", a.m, expected, "one per parameter")) return p;
  if (auto p = check_vector("adam", "v", a.v, expected, "one per parameter")) return p;
  if ((a.v.array() < 0.0f).any()) return bad("adam", "expected v >= 0, got a negative entry");

  const RunningNorm& n = d.obs_norm;
  const std::string per_slot = "one per observation slot, obs_dim " + std::to_string(d.obs_dim);
  if (auto p = check_vector("obs_norm", "mean", n.mean, d.obs_dim, per_slot)) return p;
  if (auto p = check_vector("obs_norm", "var", n.var, d.obs_dim, per_slot)) return p;
  if ((n.var.array() < 0.0).any()) return bad("obs_norm", "expected var >= 0, got a negative entry");
  if (!(n.count >= 0.0) || !std::isfinite(n.count) || !(n.clip > 0.0f) || !(n.epsilon >= 0.0f) ||
      !std::isfinite(n.epsilon)) {
    return bad("obs_norm", "expected count >= 0, clip > 0, epsilon >= 0, got " + number(n.count) +
                               ", " + number(n.clip) + ", " + number(n.epsilon));
  }
  return std::nullopt;
}

}  // namespace

CheckpointError::CheckpointError(const std::string& path_, const std::string& place_,
                                 const std::string& message_, const std::string& hint_)
    : std::runtime_error(format_error(path_, place_, message_, hint_)),
      path(path_),
      place(place_),
      message(message_),
      hint(hint_) {}

std::uint64_t checkpoint_checksum(std::span<const std::byte> bytes) {
  std::uint64_t hash = 14695981039346656037ull;  // FNV-1a 64 offset basis
  for (const std::byte b : bytes) {
    hash ^= static_cast<std::uint64_t>(b);
    hash *= 1099511628211ull;  // FNV prime
  }
  return hash;
}

std::vector<std::byte> encode_checkpoint(const CheckpointData& d) {
  std::vector<std::byte> out;
  out.reserve(kHeaderSize + kTrailerSize + 1024 + d.config_text.size() +
              4 * static_cast<std::size_t>(d.params.size() + d.adam.m.size() + d.adam.v.size()) +
              8 * static_cast<std::size_t>(d.obs_norm.mean.size() + d.obs_norm.var.size()));
  for (const char c : kMagic) out.push_back(static_cast<std::byte>(c));
  put_u32(out, kCheckpointVersion);
  put_u64(out, 0);  // file_size, patched below

  std::size_t at = begin_section(out, "identity");
  put_string(out, d.scenario_name);
  put_u64(out, d.scenario_fingerprint);
  put_i32(out, d.obs_dim);
  put_i32(out, d.act_dim);
  put_u64(out, d.hidden.size());
  for (const int width : d.hidden) put_i32(out, width);
  end_section(out, at);

  at = begin_section(out, "config");
  put_string(out, d.config_text);
  end_section(out, at);

  at = begin_section(out, "progress");
  put_i64(out, d.iteration);
  put_i64(out, d.global_step);
  put_f64(out, d.elapsed_seconds);
  put_u64(out, d.seed);
  end_section(out, at);

  at = begin_section(out, "params");
  put_floats(out, d.params);
  end_section(out, at);

  at = begin_section(out, "adam");
  put_f32(out, d.adam.learning_rate);
  put_f32(out, d.adam.beta1);
  put_f32(out, d.adam.beta2);
  put_f32(out, d.adam.epsilon);
  put_i64(out, d.adam.step);
  put_floats(out, d.adam.m);
  put_floats(out, d.adam.v);
  end_section(out, at);

  at = begin_section(out, "obs_norm");
  put_f64(out, d.obs_norm.count);
  put_f32(out, d.obs_norm.clip);
  put_f32(out, d.obs_norm.epsilon);
  put_doubles(out, d.obs_norm.mean);
  put_doubles(out, d.obs_norm.var);
  end_section(out, at);

  at = begin_section(out, "metrics");
  put_u64(out, d.metrics.size());
  for (const auto& [metric, value] : d.metrics) {
    put_string(out, metric);
    put_f64(out, value);
  }
  end_section(out, at);

  const std::uint64_t file_size = out.size() + kTrailerSize;
  for (int i = 0; i < 8; ++i) out[12 + i] = static_cast<std::byte>(file_size >> (8 * i));
  put_u64(out, checkpoint_checksum(out));
  return out;
}

CheckpointData decode_checkpoint(std::span<const std::byte> bytes, const std::string& path) {
  const std::size_t size = bytes.size();
  Reader r{bytes, 0, size, &path, ""};
  const auto header_error = [&](std::size_t at, const std::string& message,
                                const std::string& hint) {
    return CheckpointError(path, "byte " + std::to_string(at) + " in the header", message, hint);
  };

  // Header: magic, version, declared size.
  if (size == 0) {
    throw CheckpointError(path, "", "expected a crashcourse checkpoint, got an empty file",
                          "the file was never written; use another checkpoint");
  }
  const std::size_t magic_bytes = std::min(size, kMagic.size());
  if (std::memcmp(bytes.data(), kMagic.data(), magic_bytes) != 0) {
    throw CheckpointError(path, "",
                          "not a crashcourse checkpoint: expected magic 'CRASHCK', got '" +
                              escaped(bytes.first(magic_bytes)) + "'",
                          "is this the right file?");
  }
  if (size < kHeaderSize) {
    throw header_error(size,
                       "truncated: expected " + std::to_string(kHeaderSize) + " header bytes, got " +
                           std::to_string(size),
                       "the file was cut short; use an older checkpoint");
  }
  r.pos = kMagic.size();
  const std::uint32_t version = get_u32(r, "version");
  if (version > kCheckpointVersion) {
    throw header_error(8,
                       "format version " + std::to_string(version) +
                           " is newer than this build reads (" +
                           std::to_string(kCheckpointVersion) + ")",
                       "load it with a newer crashcourse");
  }
  if (version == 0) {
    throw header_error(8, "expected format version 1, got 0", "the file is corrupted");
  }
  const std::uint64_t declared = get_u64(r, "file_size");
  if (declared < kHeaderSize + kTrailerSize) {
    throw header_error(12,
                       "expected a file size of at least " +
                           std::to_string(kHeaderSize + kTrailerSize) + ", got " +
                           std::to_string(declared),
                       "the file is corrupted");
  }
  if (declared > size) fail_truncated(r, declared);
  if (declared < size) {
    throw CheckpointError(path, "byte " + std::to_string(declared),
                          "expected the file to end here (as its header says), got " +
                              std::to_string(size - declared) + " more bytes",
                          "something was appended to the file; it may be corrupted");
  }

  // Checksum over everything before the trailer: any damage past the header shows here.
  const std::size_t trailer = size - kTrailerSize;
  Reader t{bytes, trailer, size, &path, ""};
  const std::uint64_t stored = get_u64(t, "checksum");
  const std::uint64_t computed = checkpoint_checksum(bytes.first(trailer));
  if (stored != computed) {
    throw CheckpointError(path, "byte " + std::to_string(trailer),
                          "checksum mismatch (file is corrupted): expected " + hex64(computed) +
                              ", got " + hex64(stored),
                          "use an older checkpoint");
  }

  // Sections, in any order, each known one exactly once.
  CheckpointData d;
  std::array<std::size_t, kSections.size()> found_at{};  // 0: not seen
  r.end = trailer;
  while (r.pos < trailer) {
    r.section.clear();
    const std::size_t header_at = r.pos;
    const std::uint32_t name_size = get_u32(r, "section name");
    if (name_size > kMaxSectionName) {
      fail(r, header_at, "expected a section name of at most " + std::to_string(kMaxSectionName) +
                             " bytes, got " + std::to_string(name_size));
    }
    need(r, name_size, "section name");
    const std::string name(reinterpret_cast<const char*>(bytes.data() + r.pos), name_size);
    r.pos += name_size;
    const std::string shown = escaped(bytes.subspan(r.pos - name_size, name_size));
    const std::uint64_t length = get_u64(r, "section length");
    need(r, length, "section '" + shown + "'");

    Reader s{bytes, r.pos, r.pos + static_cast<std::size_t>(length), &path, shown};
    std::size_t index = 0;
    while (index < kSections.size() && kSections[index] != name) ++index;
    if (index == kSections.size()) {
      d.unknown_sections.push_back(s.section);
    } else {
      if (found_at[index] != 0) {
        fail(s, header_at, "expected each section once, got a second '" + name + "'");
      }
      found_at[index] = header_at;
      read_section(s, name, d);
      if (s.pos != s.end) {
        fail(s, s.pos, "expected the section to end here, got " + std::to_string(s.end - s.pos) +
                           " more bytes");
      }
    }
    r.pos = s.end;
  }
  for (std::size_t i = 0; i < kSections.size(); ++i) {
    if (found_at[i] == 0) {
      throw CheckpointError(path, "",
                            "expected a section '" + std::string(kSections[i]) + "', got none",
                            "the file was written by an incompatible build");
    }
  }

  if (const std::optional<Problem> p = validate(d)) {
    std::size_t index = 0;
    while (kSections[index] != p->section) ++index;
    throw CheckpointError(path, "byte " + std::to_string(found_at[index]) + " in section '" +
                                    p->section + "'",
                          p->message, p->hint);
  }
  return d;
}

namespace {

/// The temporary file of a save: removed on destruction unless it was renamed into place.
class TempFile {
 public:
  explicit TempFile(std::string path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    created_ = fd_ >= 0;
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (created_ && !committed_) ::unlink(path_.c_str());
  }

  int fd() const { return fd_; }
  /// Closes the descriptor, reporting the error close found (NFS reports write errors here).
  int close() {
    const int result = ::close(fd_);
    fd_ = -1;
    return result;
  }
  void commit() { committed_ = true; }

 private:
  std::string path_;
  int fd_ = -1;
  bool created_ = false;
  bool committed_ = false;
};

}  // namespace

void save_checkpoint(const std::string& path, const CheckpointData& data) {
  if (const std::optional<Problem> p = validate(data)) {
    throw CheckpointError(path, "section '" + p->section + "'", "refusing to save: " + p->message,
                          "this is a bug in the caller; the previous checkpoint is untouched");
  }
  const std::vector<std::byte> bytes = encode_checkpoint(data);

  // Same directory as path, so the rename stays on one filesystem and is atomic.
  const std::string temp_path = path + ".tmp-" + std::to_string(::getpid());
  const std::string untouched = "the previous checkpoint is untouched";
  const auto io_error = [&](const std::string& what, int error) {
    return CheckpointError(path, "", what + ": " + system_message(error),
                           "check that the directory exists, is writable and has space; " +
                               untouched);
  };
  TempFile temp(temp_path);
  if (temp.fd() < 0) throw io_error("cannot create temporary file '" + temp_path + "'", errno);
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(temp.fd(), bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw io_error("cannot write temporary file '" + temp_path + "'", errno);
    written += static_cast<std::size_t>(n);
  }
  // The data must be on disk before the rename makes it the checkpoint, or a crash could leave
  // a renamed but empty file.
  if (::fsync(temp.fd()) != 0) throw io_error("cannot sync '" + temp_path + "'", errno);
  if (temp.close() != 0) throw io_error("cannot close '" + temp_path + "'", errno);
  if (std::rename(temp_path.c_str(), path.c_str()) != 0) {
    throw io_error("cannot rename '" + temp_path + "' over the checkpoint", errno);
  }
  temp.commit();

  // Make the rename itself durable. Best effort: the checkpoint is already complete and in place,
  // and some filesystems refuse fsync on directories, so a failure here is not a failed save.
  std::string directory = std::filesystem::path(path).parent_path().string();
  if (directory.empty()) directory = ".";
  const int dir_fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
}

CheckpointData load_checkpoint(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw CheckpointError(path, "", "cannot open checkpoint: " + system_message(errno));
  struct stat info {};
  std::vector<std::byte> bytes;
  int error = 0;
  std::string problem;
  if (::fstat(fd, &info) != 0) {
    error = errno;
  } else if (!S_ISREG(info.st_mode)) {
    problem = "cannot read checkpoint: expected a regular file, got " +
              std::string(S_ISDIR(info.st_mode) ? "a directory" : "a special file");
  } else if (static_cast<std::uint64_t>(info.st_size) > kMaxFileSize) {
    problem = "cannot read checkpoint: expected at most " + std::to_string(kMaxFileSize) +
              " bytes, got " + std::to_string(info.st_size);
  } else {
    bytes.resize(static_cast<std::size_t>(info.st_size));
    std::size_t got = 0;
    while (got < bytes.size()) {
      const ssize_t n = ::read(fd, bytes.data() + got, bytes.size() - got);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        error = n < 0 ? errno : 0;
        break;
      }
      got += static_cast<std::size_t>(n);
    }
    bytes.resize(got);  // a file that shrank while being read decodes as truncated
  }
  ::close(fd);
  if (error != 0) throw CheckpointError(path, "", "cannot read checkpoint: " + system_message(error));
  if (!problem.empty()) throw CheckpointError(path, "", problem);
  return decode_checkpoint(bytes, path);
}

std::string check_compatible(const CheckpointData& ck, const std::string& path,
                             const CheckpointUse& use) {
  const std::string place = "section 'identity'";
  std::string out;
  const auto add = [&](const std::string& message, const std::string& hint) {
    if (!out.empty()) out += '\n';
    out += format_error(path, place, message, hint);
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
            std::to_string(use.obs_dim),
        "the scenario's sensors changed");
  }
  if (ck.act_dim != use.act_dim) {
    add("action size " + std::to_string(ck.act_dim) + " does not match the scenario's " +
            std::to_string(use.act_dim),
        "the scenario's controls changed");
  }
  if (ck.hidden != use.hidden) {
    const auto list = [](const std::vector<int>& widths) {
      std::string s = "[";
      for (std::size_t i = 0; i < widths.size(); ++i) {
        s += (i > 0 ? ", " : "") + std::to_string(widths[i]);
      }
      return s + "]";
    };
    add("hidden layers " + list(ck.hidden) + " do not match the policy config's " +
            list(use.hidden),
        "set the policy's hidden widths to " + list(ck.hidden) + " to use this checkpoint");
  }
  return out;
}

Policy make_policy_from_checkpoint(const CheckpointData& ck) {
  PolicyConfig config;
  config.obs_dim = ck.obs_dim;
  config.act_dim = ck.act_dim;
  config.hidden = ck.hidden;
  Policy policy = make_policy(config, ck.seed);
  policy.params = ck.params;
  return policy;
}

}  // namespace agent
