// Episode files: encoding, validating decoding, atomic save and checked replay (see episode_file.h).
#include "sim/episode_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "sim/atomic_file.h"
#include "sim/hash.h"

namespace sim {
namespace {

constexpr std::array<char, 8> kMagic = {'C', 'C', 'E', 'P', 'I', 'S', 'D', '\0'};
constexpr std::array<char, 8> kCheckpointMagic = {'C', 'R', 'A', 'S', 'H', 'C', 'K', '\0'};
constexpr std::size_t kHeaderSize = 20;  // magic, version, file_size
constexpr std::size_t kTrailerSize = 8;  // checksum
constexpr std::uint64_t kMaxFileSize = std::uint64_t{1} << 30;
constexpr std::uint32_t kMaxText = 1 << 16;  // bytes of a name or source text
constexpr const char* kCutHint = "the file was cut short (an interrupted copy?); record the episode again";
constexpr const char* kCorruptHint = "the file is corrupted; record the episode again";
constexpr const char* kOtherBuildHint =
    "the simulation is deterministic for one build: the file was recorded by a different build of "
    "crashcourse, or on a different scenario file; record the episode again";

std::string format_error(const std::string& path, const std::string& place, const std::string& message,
                         const std::string& hint) {
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

/// Printable ASCII as is, other bytes as \xNN.
std::string escaped(std::span<const std::byte> bytes) {
  std::string out;
  for (const std::byte b : bytes) {
    const auto c = std::to_integer<unsigned char>(b);
    if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\x%02x", unsigned{c});
      out += buffer;
    }
  }
  return out;
}

// ---- writing -----------------------------------------------------------------------------------

template <typename T>
void put(std::vector<std::byte>& out, T value) {
  static_assert(sizeof(T) == 4 || sizeof(T) == 8);
  using Bits = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
  const Bits bits = std::bit_cast<Bits>(value);
  for (std::size_t i = 0; i < sizeof(T); ++i) out.push_back(static_cast<std::byte>(bits >> (8 * i)));
}

void put_text(std::vector<std::byte>& out, const std::string& text) {
  put(out, static_cast<std::uint32_t>(text.size()));
  for (const char c : text) out.push_back(static_cast<std::byte>(c));
}

// ---- reading -----------------------------------------------------------------------------------

/// A cursor over the payload. `cut`: the file is shorter than its header says, so running out of
/// bytes means truncation (and names the field where the file ends) rather than corruption.
struct Reader {
  std::span<const std::byte> bytes;
  std::size_t pos = 0;
  std::size_t end = 0;
  const std::string& path;
  bool cut = false;

  [[noreturn]] void fail(std::size_t at, const char* field, const std::string& message, const char* hint) const {
    throw EpisodeFileError(path, "byte " + std::to_string(at) + " in field '" + field + "'", message, hint);
  }
  void need(std::uint64_t count, const char* field) const {
    if (count <= end - pos) return;
    if (cut) {
      fail(pos, field, "truncated: expected " + std::to_string(count) + " more bytes, got " + std::to_string(end - pos),
           kCutHint);
    }
    fail(pos, field, "expected " + std::to_string(count) + " bytes, got " + std::to_string(end - pos) +
                         " left before the checksum", kCorruptHint);
  }
  template <typename T>
  T value(const char* field) {
    using Bits = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
    need(sizeof(T), field);
    Bits bits = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) bits |= static_cast<Bits>(std::to_integer<Bits>(bytes[pos + i]) << (8 * i));
    pos += sizeof(T);
    return std::bit_cast<T>(bits);
  }
  std::string text(const char* field) {
    const std::size_t at = pos;
    const auto size = value<std::uint32_t>(field);
    if (size > kMaxText) {
      fail(at, field, "expected a text of at most " + std::to_string(kMaxText) + " bytes, got a length of " +
                          std::to_string(size), kCorruptHint);
    }
    need(size, field);
    std::string s(reinterpret_cast<const char*>(bytes.data() + pos), size);
    pos += size;
    return s;
  }
};

/// The payload fields in file order.
void read_payload(Reader& r, EpisodeFile& e, std::uint32_t version) {
  e.scenario_name = r.text("scenario_name");
  e.scenario_fingerprint = r.value<std::uint64_t>("fingerprint");
  e.source = r.text("source");
  for (std::uint64_t& word : e.record.start.words) word = r.value<std::uint64_t>("rng_start");
  e.record.start.spare = r.value<float>("rng_start");
  const std::size_t spare_at = r.pos;
  const auto has_spare = r.value<std::uint32_t>("rng_start");
  if (has_spare > 1) r.fail(spare_at, "rng_start", "expected has_spare 0 or 1, got " + std::to_string(has_spare), kCorruptHint);
  e.record.start.has_spare = has_spare == 1;

  const std::size_t end_at = r.pos;
  const auto end = r.value<std::uint32_t>("end_cause");
  if (end > static_cast<std::uint32_t>(EndCause::OtherAgent)) {
    r.fail(end_at, "end_cause", "expected an end cause in [0, " +
                                    std::to_string(static_cast<int>(EndCause::OtherAgent)) + "], got " + std::to_string(end),
           kCorruptHint);
  }
  e.end = static_cast<EndCause>(end);
  const std::size_t length_at = r.pos;
  const auto length = r.value<std::uint32_t>("length");
  if (length > static_cast<std::uint32_t>(INT32_MAX) || (e.end != EndCause::None && length == 0)) {
    r.fail(length_at, "length", "expected a step count in [" + std::string(e.end != EndCause::None ? "1" : "0") +
                                    ", 2^31), got " + std::to_string(length), kCorruptHint);
  }
  e.length = static_cast<int>(length);
  const std::size_t size_at = r.pos;
  const auto action_size = r.value<std::uint32_t>("action_size");
  const std::uint32_t most = version < 3 ? Env::kActionSize : Env::kActionSize * kMaxAgents;
  if (action_size % Env::kActionSize != 0 || action_size == 0 || action_size > most) {
    r.fail(size_at, "action_size", "expected " + std::to_string(Env::kActionSize) +
                                       " values per action (steer, throttle) for each of 1 to " +
                                       std::to_string(most / Env::kActionSize) + " agents, got " +
                                       std::to_string(action_size),
           "the file was written by an incompatible build");
  }
  e.agents = static_cast<int>(action_size / Env::kActionSize);
  const std::uint64_t count = std::uint64_t{length} * action_size;
  r.need(count * 4, "actions");
  e.record.actions.resize(static_cast<std::size_t>(count));
  for (float& a : e.record.actions) a = r.value<float>("actions");
  if (version < 2) return;

  const std::size_t has_at = r.pos;
  const auto has_crash = r.value<std::uint32_t>("has_crash");
  if (has_crash > 1) r.fail(has_at, "has_crash", "expected 0 or 1, got " + std::to_string(has_crash), kCorruptHint);
  if (has_crash == 0) return;
  CrashInfo& c = e.crash.emplace();
  c.global_step = r.value<std::int64_t>("crash");
  c.x = r.value<float>("crash");
  c.y = r.value<float>("crash");
  c.speed = r.value<float>("crash");
  const std::size_t with_at = r.pos;
  const auto with = r.value<std::uint32_t>("crash");
  if (with < static_cast<std::uint32_t>(BodyKind::Wall) || with > static_cast<std::uint32_t>(BodyKind::Mover)) {
    r.fail(with_at, "crash",
           "expected what was hit as 1 (wall), 2 (obstacle), 3 (car), 4 (traffic) or 5 (mover), got " +
               std::to_string(with),
           kCorruptHint);
  }
  c.with = static_cast<BodyKind>(with);
  c.with_index = r.value<std::int32_t>("crash");
  const std::size_t crashes_at = r.pos;
  const auto crashes = r.value<std::uint32_t>("crash");
  if (crashes == 0 || crashes > length || c.global_step < 0 || e.length == 0) {
    r.fail(crashes_at, "crash", "expected a crash count in [1, length] after at least one step, got " +
                                    std::to_string(crashes) + " after " + std::to_string(e.length), kCorruptHint);
  }
  c.crashes = static_cast<int>(crashes);
  if (version < 3) return;
  const std::size_t agent_at = r.pos;
  const auto agent = r.value<std::uint32_t>("crash");
  if (agent >= static_cast<std::uint32_t>(e.agents)) {
    r.fail(agent_at, "crash", "expected the crashed agent in [0, " + std::to_string(e.agents - 1) + "], got " +
                                  std::to_string(agent), kCorruptHint);
  }
  c.agent = static_cast<int>(agent);
}

}  // namespace

EpisodeFileError::EpisodeFileError(const std::string& path_, const std::string& place_, const std::string& message_,
                                   const std::string& hint_)
    : std::runtime_error(format_error(path_, place_, message_, hint_)),
      path(path_), place(place_), message(message_), hint(hint_) {}

EpisodeFile episode_from_env(const Env& env, const std::string& source, int agent) {
  EpisodeFile e;
  e.scenario_name = env.scenario().name;
  e.scenario_fingerprint = env.scenario().fingerprint;
  e.source = source;
  e.record = env.record();
  e.agents = env.agents();
  e.length = static_cast<int>(e.record.actions.size() / (Env::kActionSize * static_cast<std::size_t>(e.agents)));
  e.end = env.done() ? env.episode(agent).cause : EndCause::None;
  return e;
}

std::vector<std::byte> encode_episode(const EpisodeFile& e) {
  std::vector<std::byte> out;
  out.reserve(kHeaderSize + 128 + e.scenario_name.size() + e.source.size() + 4 * e.record.actions.size());
  for (const char c : kMagic) out.push_back(static_cast<std::byte>(c));
  put(out, kEpisodeFileVersion);
  put(out, std::uint64_t{0});  // file_size, patched below
  put_text(out, e.scenario_name);
  put(out, e.scenario_fingerprint);
  put_text(out, e.source);
  for (const std::uint64_t word : e.record.start.words) put(out, word);
  put(out, e.record.start.spare);
  put(out, std::uint32_t{e.record.start.has_spare ? 1u : 0u});
  put(out, static_cast<std::uint32_t>(e.end));
  put(out, static_cast<std::uint32_t>(e.length));
  put(out, static_cast<std::uint32_t>(Env::kActionSize * e.agents));
  for (const float a : e.record.actions) put(out, a);
  put(out, std::uint32_t{e.crash ? 1u : 0u});
  if (e.crash) {
    put(out, e.crash->global_step);
    put(out, e.crash->x);
    put(out, e.crash->y);
    put(out, e.crash->speed);
    put(out, static_cast<std::uint32_t>(e.crash->with));
    put(out, static_cast<std::int32_t>(e.crash->with_index));
    put(out, static_cast<std::uint32_t>(e.crash->crashes));
    put(out, static_cast<std::uint32_t>(e.crash->agent));
  }
  const std::uint64_t size = out.size() + kTrailerSize;
  for (std::size_t i = 0; i < 8; ++i) out[12 + i] = static_cast<std::byte>(size >> (8 * i));
  put(out, fnv1a(out.data(), out.size()));
  return out;
}

EpisodeFile decode_episode(std::span<const std::byte> bytes, const std::string& path) {
  const std::size_t size = bytes.size();
  if (size == 0) throw EpisodeFileError(path, "", "expected a crashcourse episode file, got an empty file", kCutHint);
  const std::size_t magic_size = std::min(size, kMagic.size());
  if (std::memcmp(bytes.data(), kMagic.data(), magic_size) != 0) {
    const bool checkpoint = std::memcmp(bytes.data(), kCheckpointMagic.data(), magic_size) == 0;
    throw EpisodeFileError(path, "", "not a crashcourse episode file: expected magic 'CCEPISD', got '" +
                                         escaped(bytes.first(magic_size)) + "'",
                           checkpoint ? "this is a checkpoint: watch its policy drive with `crashcourse watch "
                                        "--checkpoint " + path + " --no-train`"
                                      : "is this the right file?");
  }
  const auto header = [&](std::size_t at, const std::string& message, const char* hint) {
    return EpisodeFileError(path, "byte " + std::to_string(at) + " in the header", message, hint);
  };
  if (size < kHeaderSize) {
    throw header(size, "truncated: expected " + std::to_string(kHeaderSize) + " header bytes, got " +
                           std::to_string(size), kCutHint);
  }
  Reader r{bytes, kMagic.size(), size, path, false};
  const auto version = r.value<std::uint32_t>("version");
  if (version > kEpisodeFileVersion) {
    throw header(8, "format version " + std::to_string(version) + " is newer than this build reads (" +
                        std::to_string(kEpisodeFileVersion) + ")", "replay it with a newer crashcourse");
  }
  if (version == 0) throw header(8, "expected format version 1, got 0", kCorruptHint);
  const auto declared = r.value<std::uint64_t>("file_size");
  if (declared < kHeaderSize + kTrailerSize) {
    throw header(12, "expected a file size of at least " + std::to_string(kHeaderSize + kTrailerSize) + ", got " +
                         std::to_string(declared), kCorruptHint);
  }
  if (declared < size) {
    throw EpisodeFileError(path, "byte " + std::to_string(declared),
                           "expected the file to end here (as its header says), got " +
                               std::to_string(size - declared) + " more bytes",
                           "something was appended to the file; it may be corrupted");
  }
  // A short file is walked only to name the field where it ends; a whole one must match its
  // checksum first, so any damage past the header is reported as such.
  r.cut = declared > size;
  r.end = static_cast<std::size_t>(std::min<std::uint64_t>(declared - kTrailerSize, size));
  if (!r.cut) {
    Reader trailer{bytes, r.end, size, path, false};
    const auto stored = trailer.value<std::uint64_t>("checksum");
    const std::uint64_t computed = fnv1a(bytes.data(), r.end);
    if (stored != computed) {
      throw EpisodeFileError(path, "byte " + std::to_string(r.end),
                             "checksum mismatch (file is corrupted): expected " + hex64(computed) + ", got " +
                                 hex64(stored), kCorruptHint);
    }
  }
  EpisodeFile e;
  read_payload(r, e, version);
  if (r.cut) {
    throw EpisodeFileError(path, "byte " + std::to_string(size) + " in the checksum",
                           "truncated: expected " + std::to_string(declared) + " bytes (as the header says), got " +
                               std::to_string(size), kCutHint);
  }
  if (r.pos != r.end) {
    throw EpisodeFileError(path, "byte " + std::to_string(r.pos),
                           "expected the checksum here, got " + std::to_string(r.end - r.pos) + " more bytes",
                           kCorruptHint);
  }
  return e;
}

void save_episode(const std::string& path, const EpisodeFile& episode) {
  const std::vector<std::byte> bytes = encode_episode(episode);
  const std::string error =
      replace_file(path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  if (!error.empty()) {
    throw EpisodeFileError(path, "", error, "check that the folder exists and is writable; an existing file is untouched");
  }
}

EpisodeFile load_episode(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  int error = fd < 0 ? errno : 0;
  struct stat info {};
  if (error == 0 && ::fstat(fd, &info) != 0) error = errno;
  if (error == 0 && S_ISDIR(info.st_mode)) error = EISDIR;
  if (error == 0 && !S_ISREG(info.st_mode)) error = EINVAL;
  if (error == 0 && static_cast<std::uint64_t>(info.st_size) > kMaxFileSize) error = EFBIG;
  std::vector<std::byte> bytes(error == 0 ? static_cast<std::size_t>(info.st_size) : 0);
  std::size_t got = 0;
  while (error == 0 && got < bytes.size()) {
    const ssize_t n = ::read(fd, bytes.data() + got, bytes.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) error = errno;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  if (fd >= 0) ::close(fd);
  if (error != 0) {
    throw EpisodeFileError(path, "", "cannot read episode file: " + std::generic_category().message(error),
                           error == EISDIR ? "pass an episode file, or a run folder to `crashcourse replay`" : "");
  }
  bytes.resize(got);  // a file that shrank while being read decodes as truncated
  return decode_episode(bytes, path);
}

void replay_episode(Env& env, const EpisodeFile& episode, const std::string& path, std::span<float> obs) {
  const Scenario& sc = env.scenario();
  if (episode.scenario_fingerprint != sc.fingerprint) {
    const bool same_name = episode.scenario_name == sc.name;
    throw EpisodeFileError(
        path, "field 'fingerprint'",
        "expected an episode of scenario '" + sc.name + "' (fingerprint " + hex64(sc.fingerprint) + "), got one of " +
            (same_name ? "another version of it" : "'" + episode.scenario_name + "'") + " (fingerprint " +
            hex64(episode.scenario_fingerprint) + ")",
        same_name ? "the scenario file changed since the episode was recorded" : "pass the scenario it was recorded on with --scenario");
  }
  if (episode.agents != env.agents()) {
    throw EpisodeFileError(path, "field 'action_size'",
                           "expected the actions of " + std::to_string(env.agents()) + " agent" +
                               (env.agents() == 1 ? "" : "s") + " per step, got " + std::to_string(episode.agents),
                           kOtherBuildHint);
  }
  // A crash recording is replayed up to the step before the crash, then that step is taken alone:
  // the crash must happen on exactly that step.
  const int agent = episode.agent();
  const std::size_t stride = env.actions_per_step();
  bool fits = true;
  bool crashed_last = false;
  int crashes_before = 0;
  if (episode.crash && episode.length > 0) {
    EpisodeRecord before;
    before.start = episode.record.start;
    const auto last = episode.record.actions.end() - static_cast<std::ptrdiff_t>(stride);
    before.actions.assign(episode.record.actions.begin(), last);
    fits = env.replay(before, obs) && !env.done();
    crashes_before = env.episode(agent).crashes;
    if (fits) {
      StepResult results[kMaxAgents];
      env.step(std::span<const float>(&*last, stride), obs, results);
      crashed_last = results[agent].info.events.crashed;
    }
  } else {
    fits = env.replay(episode.record, obs);
  }
  const EpisodeStats& ep = env.episode(agent);
  const EndCause cause = env.done() ? ep.cause : EndCause::None;
  if (!fits || cause != episode.end || ep.length != episode.length) {
    throw EpisodeFileError(path, "field 'actions'",
                           std::string("expected the replay to end as recorded (") + to_string(episode.end) +
                               " after " + std::to_string(episode.length) + " steps), got " + to_string(cause) +
                               " after " + std::to_string(ep.length) + " steps",
                           kOtherBuildHint);
  }
  if (episode.crash && (!crashed_last || crashes_before + 1 != episode.crash->crashes)) {
    throw EpisodeFileError(path, "field 'crash'",
                           "expected crash " + std::to_string(episode.crash->crashes) + " of the episode on step " +
                               std::to_string(episode.length) + ", got " +
                               (crashed_last ? "crash " + std::to_string(crashes_before + 1)
                                             : std::string("no crash on that step")),
                           kOtherBuildHint);
  }
}

}  // namespace sim
