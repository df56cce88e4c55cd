#!/usr/bin/env bash
# Fuzzes the scenario loader (tests/fuzz/scenario_fuzz.cpp) with libFuzzer for SECONDS (default
# 60): builds sim/ with clang, ASan and UBSan into build-fuzz/, seeds the corpus with every
# scenario in scenarios/ and tests/fuzz/seeds/, and fails on any crash, hang (25 s per input),
# leak or sanitizer report; the input that caused it is left in build-fuzz/ as crash-* / timeout-*.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"

cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCRASHCOURSE_FUZZ=ON -DCRASHCOURSE_NATIVE=OFF >/dev/null
cmake --build build-fuzz -j"$(nproc)"

corpus=build-fuzz/corpus
mkdir -p "$corpus"
cp scenarios/*.toml tests/fuzz/seeds/*.toml "$corpus"/
echo "fuzz: scenario loader for ${seconds} s"
build-fuzz/tests/fuzz/scenario_fuzz "$corpus" -dict=tests/fuzz/scenario.dict \
  -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 -max_len=16384 \
  -artifact_prefix=build-fuzz/ -print_final_stats=1 2>build-fuzz/fuzz.log || {
  tail -n 60 build-fuzz/fuzz.log
  echo "fuzz: FAILED — the input is in build-fuzz/ (crash-*, timeout-*, leak-* or oom-*)" >&2
  exit 1
}
grep -E "stat::number_of_executed_units|stat::new_units_added" build-fuzz/fuzz.log | sed 's/^/fuzz: /'
