// Checkpoint tests: exact round trips, atomic replacement, failed saves that leave the old file
// alone, and bad files (empty, foreign, newer, truncated, corrupted, inconsistent, random) that
// must all fail with a CheckpointError naming the problem, never with a crash.
#include "agent/checkpoint.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>

namespace agent {
namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<std::byte>;

constexpr std::size_t kHeaderSize = 20;  // magic, version, file_size (see checkpoint.h)

/// A small but fully populated checkpoint: trained-looking params, Adam after a few steps,
/// observation statistics after a batch, metrics and a multi-line config.
CheckpointData make_test_data() {
  PolicyConfig config;
  config.obs_dim = 5;
  config.act_dim = 2;
  config.hidden = {8, 8};
  const Policy policy = make_policy(config, 11);

  CheckpointData d;
  d.scenario_name = "Crashcourse circuit";
  d.scenario_fingerprint = 0x1a2b3c4d5e6f7081ull;
  d.obs_dim = config.obs_dim;
  d.act_dim = config.act_dim;
  d.hidden = config.hidden;
  d.config_text = "[ppo]\nlearning_rate = 3e-4\n# ünïcode survives\n";
  d.iteration = 17;
  d.global_step = 17 * 2048;
  d.elapsed_seconds = 123.456;
  d.seed = 42;
  d.params = policy.params;

  sim::Rng rng(3);
  d.adam = make_adam(d.params.size(), 2.5e-4f);
  Eigen::VectorXf grad(d.params.size());
  for (int step = 0; step < 3; ++step) {
    for (float& g : grad) g = rng.normal();
    adam_step(d.adam, d.params, grad);
  }

  d.obs_norm = make_running_norm(config.obs_dim);
  std::vector<float> batch(7 * config.obs_dim);
  for (float& x : batch) x = rng.uniform(-3.0f, 5.0f);
  update_running_norm(d.obs_norm, batch);

  d.metrics = {{"eval/return_mean", 812.5}, {"eval/laps", 2.0}};

  ResumeState& r = d.resume.emplace();
  sim::Rng action_rng(77);
  action_rng.normal();  // leaves a spare normal in the state
  r.action_rng = action_rng.state();
  r.return_count = 4096.0;
  r.return_mean = -1.25;
  r.return_var = 3.5;
  r.discounted = {0.5, -2.0, 7.25};
  r.next_obs.resize(3 * static_cast<std::size_t>(config.obs_dim));
  for (float& x : r.next_obs) x = rng.normal();
  r.episodes.resize(3);
  for (std::size_t i = 0; i < r.episodes.size(); ++i) {
    r.episodes[i].start = sim::Rng(100 + i).state();
    r.episodes[i].actions.resize(2 * (i * 5));  // 0, 5 and 10 steps
    for (float& a : r.episodes[i].actions) a = rng.uniform(-1.0f, 1.0f);
  }
  // Env 2 is in a curriculum episode begun 4 steps into a recorded one.
  r.episodes[2].handover = 4;
  r.episodes[2].stream = sim::Rng(300).state();
  CurriculumState& c = r.curricula.emplace_back();
  c.crash_rate = 0.375;
  c.crashes.slots.resize(2);
  c.crashes.next = 1;
  for (std::size_t i = 0; i < c.crashes.slots.size(); ++i) {
    c.crashes.slots[i].start = sim::Rng(200 + i).state();
    c.crashes.slots[i].actions.resize(2 * (3 + i));
    for (float& a : c.crashes.slots[i].actions) a = rng.uniform(-1.0f, 1.0f);
  }
  return d;
}

void write_file(const std::string& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

Bytes read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const std::vector<char> chars{std::istreambuf_iterator<char>(in), {}};
  Bytes bytes(chars.size());
  std::memcpy(bytes.data(), chars.data(), chars.size());
  return bytes;
}

void put_u64_at(Bytes& bytes, std::size_t at, std::uint64_t value) {
  for (int i = 0; i < 8; ++i) bytes[at + i] = static_cast<std::byte>(value >> (8 * i));
}

/// Recomputes the trailer, so a deliberate edit passes the checksum and reaches deeper checks.
void reseal(Bytes& bytes) {
  const std::size_t trailer = bytes.size() - 8;
  put_u64_at(bytes, trailer, checkpoint_checksum(std::span(bytes).first(trailer)));
}

/// Offset of the payload of the named section (just after its name and length).
std::size_t payload_offset(const Bytes& bytes, const std::string& name) {
  // The u32 length of the name (short names: one byte and three zeros), then the name.
  const std::string key =
      std::string(1, static_cast<char>(name.size())) + std::string(3, '\0') + name;
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  const std::size_t at = text.find(key);
  EXPECT_NE(at, std::string_view::npos) << name;
  return at + key.size() + 8;
}

std::string load_error(const std::string& path) {
  try {
    load_checkpoint(path);
  } catch (const CheckpointError& e) {
    return e.what();
  }
  return "";
}

std::string decode_error(const Bytes& bytes) {
  try {
    decode_checkpoint(bytes, "x.ckpt");
  } catch (const CheckpointError& e) {
    return e.what();
  }
  return "";
}

class CheckpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(::testing::TempDir()) / (std::string("checkpoint_test_") + info->name() +
                                             "_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add);
    fs::remove_all(dir_);
  }
  std::string file(const std::string& name) const { return (dir_ / name).string(); }
  /// The error of saving d, or "" when it saves.
  std::string save_error(const CheckpointData& d) const {
    try {
      save_checkpoint(file("a.ckpt"), d);
    } catch (const CheckpointError& e) {
      return e.what();
    }
    return "";
  }
  std::vector<std::string> listing() const {
    std::vector<std::string> names;
    for (const fs::directory_entry& e : fs::directory_iterator(dir_)) {
      names.push_back(e.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  fs::path dir_;
};

TEST_F(CheckpointTest, RoundTripRestoresEveryFieldExactly) {
  const CheckpointData d = make_test_data();
  save_checkpoint(file("a.ckpt"), d);
  const CheckpointData l = load_checkpoint(file("a.ckpt"));

  EXPECT_EQ(l.scenario_name, d.scenario_name);
  EXPECT_EQ(l.scenario_fingerprint, d.scenario_fingerprint);
  EXPECT_EQ(l.obs_dim, d.obs_dim);
  EXPECT_EQ(l.act_dim, d.act_dim);
  EXPECT_EQ(l.hidden, d.hidden);
  EXPECT_EQ(l.config_text, d.config_text);
  EXPECT_EQ(l.iteration, d.iteration);
  EXPECT_EQ(l.global_step, d.global_step);
  EXPECT_EQ(l.elapsed_seconds, d.elapsed_seconds);
  EXPECT_EQ(l.seed, d.seed);
  EXPECT_EQ(l.params, d.params);
  EXPECT_EQ(l.adam.m, d.adam.m);
  EXPECT_EQ(l.adam.v, d.adam.v);
  EXPECT_EQ(l.adam.step, d.adam.step);
  EXPECT_EQ(l.adam.learning_rate, d.adam.learning_rate);
  EXPECT_EQ(l.adam.beta1, d.adam.beta1);
  EXPECT_EQ(l.adam.beta2, d.adam.beta2);
  EXPECT_EQ(l.adam.epsilon, d.adam.epsilon);
  EXPECT_EQ(l.obs_norm.mean, d.obs_norm.mean);
  EXPECT_EQ(l.obs_norm.var, d.obs_norm.var);
  EXPECT_EQ(l.obs_norm.count, d.obs_norm.count);
  EXPECT_EQ(l.obs_norm.clip, d.obs_norm.clip);
  EXPECT_EQ(l.obs_norm.epsilon, d.obs_norm.epsilon);
  EXPECT_EQ(l.metrics, d.metrics);
  ASSERT_TRUE(l.resume.has_value());
  EXPECT_EQ(l.resume->action_rng, d.resume->action_rng);
  EXPECT_TRUE(l.resume->action_rng.has_spare);
  EXPECT_EQ(l.resume->return_count, d.resume->return_count);
  EXPECT_EQ(l.resume->return_mean, d.resume->return_mean);
  EXPECT_EQ(l.resume->return_var, d.resume->return_var);
  EXPECT_EQ(l.resume->discounted, d.resume->discounted);
  EXPECT_EQ(l.resume->next_obs, d.resume->next_obs);
  ASSERT_EQ(l.resume->episodes.size(), d.resume->episodes.size());
  for (std::size_t i = 0; i < d.resume->episodes.size(); ++i) {
    EXPECT_EQ(l.resume->episodes[i].start, d.resume->episodes[i].start);
    EXPECT_EQ(l.resume->episodes[i].actions, d.resume->episodes[i].actions);
    EXPECT_EQ(l.resume->episodes[i].handover, d.resume->episodes[i].handover);
    EXPECT_EQ(l.resume->episodes[i].stream, d.resume->episodes[i].stream);
  }
  ASSERT_EQ(l.resume->curricula.size(), 1u);
  const CurriculumState& lc = l.resume->curricula[0];
  const CurriculumState& dc = d.resume->curricula[0];
  EXPECT_EQ(lc.crash_rate, dc.crash_rate);
  EXPECT_EQ(lc.crashes.next, dc.crashes.next);
  ASSERT_EQ(lc.crashes.slots.size(), dc.crashes.slots.size());
  for (std::size_t i = 0; i < dc.crashes.slots.size(); ++i) {
    EXPECT_EQ(lc.crashes.slots[i].start, dc.crashes.slots[i].start);
    EXPECT_EQ(lc.crashes.slots[i].actions, dc.crashes.slots[i].actions);
  }
  EXPECT_TRUE(lc.near_misses.slots.empty());
  EXPECT_TRUE(l.unknown_sections.empty());
  // Bit-identical re-encoding: nothing was rounded or reordered on the way.
  EXPECT_EQ(encode_checkpoint(l), encode_checkpoint(d));
}

TEST_F(CheckpointTest, APolicyOnlyCheckpointHasNoResumeSection) {
  CheckpointData d = make_test_data();
  d.resume.reset();
  const Bytes bytes = encode_checkpoint(d);
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  EXPECT_EQ(text.find("resume"), std::string_view::npos);
  EXPECT_FALSE(decode_checkpoint(bytes, "x.ckpt").resume.has_value());
}

TEST_F(CheckpointTest, AnEvolutionStrategiesCheckpointKeepsItsPopulationAndHasNoResumeSection) {
  CheckpointData d = make_test_data();
  d.resume.reset();
  d.es = EsState{24, 3};
  const CheckpointData back = decode_checkpoint(encode_checkpoint(d), "es.ckpt");
  ASSERT_TRUE(back.es.has_value());
  EXPECT_EQ(back.es->pairs, 24);
  EXPECT_EQ(back.es->episodes_per_member, 3);
  EXPECT_FALSE(back.resume.has_value());
  EXPECT_FALSE(decode_checkpoint(encode_checkpoint(make_test_data()), "ppo.ckpt").es.has_value());
}

TEST_F(CheckpointTest, StateOfBothAlgorithmsOrAnEmptyPopulationIsRefused) {
  CheckpointData both = make_test_data();
  both.es = EsState{4, 1};
  EXPECT_NE(save_error(both).find("section 'es': refusing to save: expected the state of one algorithm, got both"),
            std::string::npos) << save_error(both);
  CheckpointData empty = make_test_data();
  empty.resume.reset();
  empty.es = EsState{0, 1};
  EXPECT_NE(save_error(empty).find("expected pairs >= 1 and episodes_per_member >= 1, got 0 and 1"), std::string::npos)
      << save_error(empty);
  EXPECT_TRUE(listing().empty());
}

TEST_F(CheckpointTest, PolicyFromLoadedCheckpointActsBitIdentically) {
  const CheckpointData d = make_test_data();
  Policy original = make_policy(PolicyConfig{d.obs_dim, d.act_dim, d.hidden}, 99);
  original.params = d.params;
  save_checkpoint(file("a.ckpt"), d);
  const Policy restored = make_policy_from_checkpoint(load_checkpoint(file("a.ckpt")));

  sim::Rng rng(8);
  Eigen::MatrixXf obs(d.obs_dim, 16);
  for (float& x : obs.reshaped()) x = rng.normal();
  PolicyWorkspace ws_a = make_policy_workspace(original, 16);
  PolicyWorkspace ws_b = make_policy_workspace(restored, 16);
  Eigen::MatrixXf a(d.act_dim, 16);
  Eigen::MatrixXf b(d.act_dim, 16);
  act_deterministic(original, ws_a, obs, a);
  act_deterministic(restored, ws_b, obs, b);
  EXPECT_EQ(std::memcmp(a.data(), b.data(), sizeof(float) * a.size()), 0);
}

TEST_F(CheckpointTest, SavingOverAnExistingFileReplacesItAndLeavesNoTempFiles) {
  CheckpointData d = make_test_data();
  save_checkpoint(file("latest.ckpt"), d);
  d.iteration = 18;
  d.params(0) += 1.0f;
  save_checkpoint(file("latest.ckpt"), d);
  EXPECT_EQ(load_checkpoint(file("latest.ckpt")).iteration, 18);
  EXPECT_EQ(read_file(file("latest.ckpt")), encode_checkpoint(d));
  EXPECT_EQ(listing(), std::vector<std::string>{"latest.ckpt"});
}

TEST_F(CheckpointTest, SaveIntoUnwritableDirectoryThrowsAndKeepsTheOldFile) {
  if (::geteuid() == 0) GTEST_SKIP() << "root writes into read-only directories";
  const CheckpointData d = make_test_data();
  save_checkpoint(file("latest.ckpt"), d);
  const Bytes before = read_file(file("latest.ckpt"));
  fs::permissions(dir_, fs::perms::owner_read | fs::perms::owner_exec);
  CheckpointData newer = d;
  newer.iteration = 99;
  try {
    save_checkpoint(file("latest.ckpt"), newer);
    FAIL() << "expected CheckpointError";
  } catch (const CheckpointError& e) {
    EXPECT_NE(std::string(e.what()).find("Permission denied"), std::string::npos) << e.what();
  }
  fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add);
  EXPECT_EQ(read_file(file("latest.ckpt")), before);
  EXPECT_EQ(listing(), std::vector<std::string>{"latest.ckpt"});
}

TEST_F(CheckpointTest, SaveThatCannotCreateItsTempFileThrowsAndKeepsTheOldFile) {
  // A directory where the temporary file would go: creating it fails, even for root.
  const CheckpointData d = make_test_data();
  save_checkpoint(file("latest.ckpt"), d);
  const Bytes before = read_file(file("latest.ckpt"));
  const std::string temp = "latest.ckpt.tmp-" + std::to_string(::getpid());
  fs::create_directory(file(temp));
  CheckpointData newer = d;
  newer.iteration = 99;
  try {
    save_checkpoint(file("latest.ckpt"), newer);
    FAIL() << "expected CheckpointError";
  } catch (const CheckpointError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("cannot create the temporary file"), std::string::npos) << what;
    EXPECT_NE(what.find("the previous checkpoint is untouched"), std::string::npos) << what;
  }
  EXPECT_EQ(read_file(file("latest.ckpt")), before);
  EXPECT_EQ(listing(), (std::vector<std::string>{"latest.ckpt", temp}));  // not ours: kept
}

TEST_F(CheckpointTest, SaveThatCannotRenameThrowsAndRemovesItsTempFile) {
  // A non-empty directory at the destination: rename fails after the data is written.
  fs::create_directories(file("latest.ckpt/inside"));
  EXPECT_THROW(save_checkpoint(file("latest.ckpt"), make_test_data()), CheckpointError);
  EXPECT_EQ(listing(), std::vector<std::string>{"latest.ckpt"});
}

TEST_F(CheckpointTest, SaveRefusesDataThatLoadWouldReject) {
  CheckpointData d = make_test_data();
  d.params(3) = std::numeric_limits<float>::infinity();
  try {
    save_checkpoint(file("a.ckpt"), d);
    FAIL() << "expected CheckpointError";
  } catch (const CheckpointError& e) {
    EXPECT_NE(std::string(e.what()).find("refusing to save: expected finite params, got inf at "
                                         "params[3]"),
              std::string::npos)
        << e.what();
  }
  EXPECT_TRUE(listing().empty());
}

TEST_F(CheckpointTest, InconsistentResumeStateIsRefused) {
  CheckpointData d = make_test_data();
  d.resume->episodes[1].actions.resize(3);
  EXPECT_NE(save_error(d).find("section 'resume': refusing to save: expected env 1's episode to hold "
                               "finite actions of act_dim 2 values each, got 3 values"),
            std::string::npos) << save_error(d);
  d = make_test_data();
  d.resume->discounted.pop_back();
  EXPECT_NE(save_error(d).find("expected one discounted return and obs_dim (5) observations per env "
                               "(3 episodes), got 2 and 15"),
            std::string::npos) << save_error(d);
  d = make_test_data();
  d.resume->next_obs[4] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_NE(save_error(d).find("expected finite returns and observations"), std::string::npos);
  d = make_test_data();
  d.resume->episodes[1].handover = 6;
  EXPECT_NE(save_error(d).find("section 'curriculum': refusing to save: expected env 1's handover within its "
                               "episode's 5 steps, got 6"),
            std::string::npos) << save_error(d);
  d = make_test_data();
  d.resume->curricula[0].crashes.next = 2;
  EXPECT_NE(save_error(d).find("section 'curriculum': refusing to save: expected a crash rate in [0, 1], start "
                               "points of finite actions"),
            std::string::npos) << save_error(d);
  d = make_test_data();
  d.resume->curricula.push_back(d.resume->curricula[0]);
  EXPECT_NE(save_error(d).find("expected a curriculum for each of 1 ranks, got 2"), std::string::npos)
      << save_error(d);
  EXPECT_TRUE(listing().empty());
}

TEST_F(CheckpointTest, MissingFileSaysItCannotBeOpened) {
  EXPECT_EQ(load_error(file("none.ckpt")),
            file("none.ckpt") + ": cannot open checkpoint: No such file or directory");
}

TEST_F(CheckpointTest, DirectorySaysItCannotBeRead) {
  EXPECT_EQ(load_error(dir_.string()), dir_.string() + ": cannot read checkpoint: Is a directory");
}

struct BadFile {
  const char* name;
  std::function<void(Bytes&)> damage;
  std::string expected;  ///< substring of the message
};

TEST_F(CheckpointTest, BadFilesAreRejectedWithMessagesNamingTheProblem) {
  const Bytes good = encode_checkpoint(make_test_data());
  const std::size_t params_at = payload_offset(good, "params");
  const std::size_t params_bytes = 8 + 4 * static_cast<std::size_t>(make_test_data().params.size());
  const std::string params_truncated = "byte " + std::to_string(params_at) +
                                       " in section 'params': truncated: expected " +
                                       std::to_string(params_bytes) + " more bytes, got 100";

  const std::vector<BadFile> cases = {
      {"empty", [](Bytes& b) { b.clear(); },
       "expected a crashcourse checkpoint, got an empty file"},
      {"zip",
       [](Bytes& b) { b = {std::byte{'P'}, std::byte{'K'}, std::byte{3}, std::byte{4}}; },
       "not a crashcourse checkpoint: expected magic 'CRASHCK', got 'PK\\x03\\x04'"},
      {"header only", [](Bytes& b) { b.resize(12); },
       "byte 12 in the header: truncated: expected 20 header bytes, got 12"},
      {"newer version",
       [](Bytes& b) {
         b[8] = std::byte{7};
         reseal(b);
       },
       "byte 8 in the header: format version 7 is newer than this build reads (1)"},
      {"truncated in params", [&](Bytes& b) { b.resize(params_at + 100); }, params_truncated},
      {"truncated in trailer", [](Bytes& b) { b.resize(b.size() - 3); }, "truncated: expected"},
      {"flipped byte", [](Bytes& b) { b[b.size() / 2] ^= std::byte{0x10}; },
       "checksum mismatch (file is corrupted)"},
      {"appended bytes", [](Bytes& b) { b.push_back(std::byte{0}); },
       "expected the file to end here (as its header says), got 1 more bytes"},
      {"nan param with a valid checksum",
       [](Bytes& b) {
         CheckpointData d = make_test_data();
         d.params(5) = std::numeric_limits<float>::quiet_NaN();
         b = encode_checkpoint(d);
       },
       "in section 'params': expected finite params, got nan at params[5]"},
      {"obs_norm of another size",
       [](Bytes& b) {
         CheckpointData d = make_test_data();
         d.obs_norm = make_running_norm(4);
         b = encode_checkpoint(d);
       },
       "in section 'obs_norm': expected mean of size 5 (one per observation slot, obs_dim 5), "
       "got 4"},
      {"params of another shape",
       [](Bytes& b) {
         CheckpointData d = make_test_data();
         d.hidden = {8, 9};
         b = encode_checkpoint(d);
       },
       "in section 'params': expected params of size"},
      {"adam moments of another size",
       [](Bytes& b) {
         CheckpointData d = make_test_data();
         d.adam.v.resize(3);
         b = encode_checkpoint(d);
       },
       "in section 'adam': expected v of size"},
  };
  for (const BadFile& c : cases) {
    Bytes bytes = good;
    c.damage(bytes);
    const std::string path = file(std::string(c.name) + ".ckpt");
    write_file(path, bytes);
    const std::string message = load_error(path);
    EXPECT_EQ(message.rfind(path + ": ", 0), 0u) << c.name << ": " << message;
    EXPECT_NE(message.find(c.expected), std::string::npos)
        << c.name << ":\n  got      " << message << "\n  expected " << c.expected;
  }
}

TEST_F(CheckpointTest, TruncationAtAnyByteThrowsCheckpointError) {
  const Bytes good = encode_checkpoint(make_test_data());
  for (std::size_t size = 0; size < good.size(); ++size) {
    const Bytes cut(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(size));
    const std::string message = decode_error(cut);
    ASSERT_FALSE(message.empty()) << "size " << size;
    if (size >= kHeaderSize) {
      EXPECT_NE(message.find("truncated"), std::string::npos) << message;
    }
  }
  // The same through files, every 97th byte.
  for (std::size_t size = 0; size < good.size(); size += 97) {
    write_file(file("cut.ckpt"),
               Bytes(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(size)));
    EXPECT_THROW(load_checkpoint(file("cut.ckpt")), CheckpointError) << "size " << size;
  }
}

TEST_F(CheckpointTest, EveryFlippedByteIsDetected) {
  const Bytes good = encode_checkpoint(make_test_data());
  for (std::size_t at = 0; at < good.size(); ++at) {
    Bytes bad = good;
    bad[at] ^= std::byte{0x01};
    const std::string message = decode_error(bad);
    ASSERT_FALSE(message.empty()) << "byte " << at;
    // Past the header (whose fields are checked one by one) only the checksum can tell.
    if (at >= kHeaderSize) {
      EXPECT_NE(message.find("checksum mismatch"), std::string::npos) << "byte " << at << ": "
                                                                      << message;
    }
  }
}

TEST_F(CheckpointTest, UnknownSectionsAreSkippedAndNamed) {
  // What a newer writer that added a section produces: the old reader keeps everything else.
  Bytes bytes = encode_checkpoint(make_test_data());
  // name: u32 length 9, "rng_state"; payload: u64 length 3, three bytes.
  Bytes extra = {std::byte{9}, std::byte{0}, std::byte{0}, std::byte{0}};
  for (const char c : std::string("rng_state")) extra.push_back(static_cast<std::byte>(c));
  extra.insert(extra.end(), {std::byte{3}, std::byte{0}, std::byte{0}, std::byte{0}, std::byte{0},
                             std::byte{0}, std::byte{0}, std::byte{0}});
  extra.insert(extra.end(), {std::byte{1}, std::byte{2}, std::byte{3}});
  bytes.insert(bytes.end() - 8, extra.begin(), extra.end());
  put_u64_at(bytes, 12, bytes.size());
  reseal(bytes);
  const CheckpointData loaded = decode_checkpoint(bytes, "x.ckpt");
  EXPECT_EQ(loaded.unknown_sections, std::vector<std::string>{"rng_state"});
  EXPECT_EQ(loaded.params, make_test_data().params);
}

TEST_F(CheckpointTest, RandomGarbageNeverCrashes) {
  sim::Rng rng(2024);
  const Bytes good = encode_checkpoint(make_test_data());
  for (int trial = 0; trial < 300; ++trial) {
    Bytes bytes(rng.below(4096));
    for (std::byte& b : bytes) b = static_cast<std::byte>(rng.below(256));
    if (trial % 2 == 1 && bytes.size() >= kHeaderSize + 8) {
      // A valid header, size and checksum around garbage, so the section parser sees it.
      std::copy(good.begin(), good.begin() + 12, bytes.begin());
      put_u64_at(bytes, 12, bytes.size());
      reseal(bytes);
    }
    write_file(file("garbage.ckpt"), bytes);
    EXPECT_THROW(load_checkpoint(file("garbage.ckpt")), CheckpointError) << "trial " << trial;
  }
}

TEST_F(CheckpointTest, ResealedMutationsOfAValidFileLoadOrThrowCheckpointError) {
  // Garbage with a valid checksum inside real sections: lengths, counts and values all lie.
  sim::Rng rng(7);
  const Bytes good = encode_checkpoint(make_test_data());
  for (int trial = 0; trial < 2000; ++trial) {
    Bytes bytes = good;
    const int edits = 1 + static_cast<int>(rng.below(4));
    for (int e = 0; e < edits; ++e) {
      const auto body = static_cast<std::uint32_t>(good.size() - kHeaderSize - 8);
      const std::size_t at = kHeaderSize + rng.below(body);
      bytes[at] = static_cast<std::byte>(rng.below(256));
    }
    reseal(bytes);
    try {
      decode_checkpoint(bytes, "x.ckpt");
    } catch (const CheckpointError&) {
    }
  }
}

TEST(CheckpointCompatibilityTest, MatchingScenarioAndPolicyHaveNoProblem) {
  const CheckpointData d = make_test_data();
  EXPECT_EQ(check_compatible(d, "a.ckpt",
                             {d.scenario_name, d.scenario_fingerprint, 5, 2, {8, 8}, true}),
            "");
}

TEST(CheckpointCompatibilityTest, ObservationSizeMismatchNamesBothSizes) {
  const CheckpointData d = make_test_data();
  EXPECT_EQ(check_compatible(d, "a.ckpt",
                             {d.scenario_name, d.scenario_fingerprint, 30, 2, {8, 8}, true}),
            "a.ckpt: section 'identity': observation size 5 does not match the scenario's 30 "
            "(hint: the scenario's sensors changed)");
}

TEST(CheckpointCompatibilityTest, OtherScenarioIsRejectedUnlessFineTuning) {
  const CheckpointData d = make_test_data();
  const std::string message =
      check_compatible(d, "a.ckpt", {"Oval", 0x99, 5, 2, {8, 8}, true});
  EXPECT_NE(message.find("made for scenario 'Crashcourse circuit' (fingerprint 1a2b3c4d5e6f7081), "
                         "not 'Oval'"),
            std::string::npos)
      << message;
  EXPECT_EQ(check_compatible(d, "a.ckpt", {"Oval", 0x99, 5, 2, {8, 8}, false}), "");
}

TEST(CheckpointCompatibilityTest, EditedScenarioFileIsCalledAnotherVersion) {
  const CheckpointData d = make_test_data();
  const std::string message =
      check_compatible(d, "a.ckpt", {d.scenario_name, 0x99, 5, 2, {8, 8}, true});
  EXPECT_NE(message.find("another version of scenario 'Crashcourse circuit'"), std::string::npos)
      << message;
}

TEST(CheckpointCompatibilityTest, EveryProblemIsReportedOnItsOwnLine) {
  const CheckpointData d = make_test_data();
  const std::string message = check_compatible(d, "a.ckpt", {"Oval", 0x99, 30, 3, {64, 64}, true});
  EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 3) << message;
  EXPECT_NE(message.find("hidden layers [8, 8] do not match the policy config's [64, 64]"),
            std::string::npos)
      << message;
}

}  // namespace
}  // namespace agent
