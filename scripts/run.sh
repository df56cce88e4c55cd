#!/usr/bin/env bash
# Quick start command 1: installs what is missing, builds, checks the scenario and trains a PPO
# driver on it headless with a progress display; ends with a seeded evaluation of the result and
# the path of the trained policy's checkpoint.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
scenario="${1:-scenarios/default.toml}"
name="$(basename "$scenario" .toml)"
mkdir -p runs
build/app/crashcourse validate "$scenario"
build/app/crashcourse train --scenario "$scenario" --save "runs/$name.ckpt"
echo "results: the evaluation above; the trained policy is in runs/$name.ckpt"
