// End-to-end: `crashcourse compare` draws several runs' learning curves into one SVG, one colour
// and one legend entry per label, and names the file it could not read.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "support/run_binary.h"
#include "support/run_folder_files.h"

namespace {

namespace fs = std::filesystem;
using crashcourse::testing::CommandResult;
using crashcourse::testing::read;
using crashcourse::testing::run;
using crashcourse::testing::scenario;
using crashcourse::testing::temp_dir;

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(CompareCommandTest, DrawsEveryRunWithOneLegendEntryPerLabel) {
  const fs::path dir = temp_dir("compare");
  for (const std::string seed : {"1", "2", "3"}) {
    const CommandResult r = run("train --scenario " + scenario("oval.toml") + " --out " + (dir / seed).string() +
                                " --seed " + seed + " --steps 8192 --envs 8 --threads 1 --eval-every 0 --eval-episodes 2");
    ASSERT_EQ(r.status, 0) << r.output;
  }
  const fs::path svg = dir / "cmp.svg";
  const CommandResult r = run("compare plain=" + (dir / "1").string() + " plain=" + (dir / "2").string() +
                              " other=" + (dir / "3").string() + " -o " + svg.string() + " --title 'Two settings'");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("3 runs, 2 labels"), std::string::npos) << r.output;
  const std::string text = read(svg);
  EXPECT_NE(text.find("Two settings"), std::string::npos);
  EXPECT_EQ(count(text, ">plain<"), 4u) << "one legend entry per label and panel";
  EXPECT_EQ(count(text, ">other<"), 4u);
  EXPECT_NE(text.find("#1f77b4"), std::string::npos);
  EXPECT_NE(text.find("#d62728"), std::string::npos);
}

// Two runs of one config and seed train identically, so their curves coincide: compare says so on
// the terminal and in the legend instead of leaving one run seemingly missing. A run with another
// seed is not called the same.
TEST(CompareCommandTest, RunsWithTheSameResultsAreSaidToBe) {
  const fs::path dir = temp_dir("compare_same");
  for (const std::string name : {"a", "b", "c"}) {
    const std::string seed = name == "c" ? "2" : "1";
    const CommandResult r = run("train --scenario " + scenario("oval.toml") + " --out " + (dir / name).string() +
                                " --seed " + seed + " --steps 8192 --envs 8 --threads " + (name == "b" ? "2" : "1") +
                                " --eval-every 4096 --eval-episodes 2");
    ASSERT_EQ(r.status, 0) << r.output;
  }
  const fs::path svg = dir / "cmp.svg";
  const CommandResult r = run("compare first=" + (dir / "a").string() + " second=" + (dir / "b").string() +
                              " third=" + (dir / "c").string() + " -o " + svg.string());
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find((dir / "a").string() + " and " + (dir / "b").string() + " have the same results"),
            std::string::npos) << r.output;
  EXPECT_EQ(count(r.output, "have the same results"), 1u) << r.output;
  const std::string text = read(svg);
  EXPECT_EQ(count(text, ">second (same as first)<"), 4u);
  EXPECT_EQ(count(text, ">third<"), 4u);
}

TEST(CompareCommandTest, AFolderThatIsNotARunIsNamed) {
  const fs::path dir = temp_dir("compare_bad");
  const CommandResult r = run("compare " + dir.string() + " -o " + (dir / "x.svg").string());
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find((dir / "metrics.csv").string()), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir / "x.svg"));
}

}  // namespace
