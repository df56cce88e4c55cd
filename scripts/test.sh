#!/usr/bin/env bash
# Quick start command 2: installs what is missing, builds, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)"
# The scenario loader under libFuzzer, ASan and UBSan for a bounded time (clang build, build-fuzz/).
bash scripts/fuzz.sh "${CRASHCOURSE_FUZZ_SECONDS:-60}"
