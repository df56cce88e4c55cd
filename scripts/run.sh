#!/usr/bin/env bash
# Quick start command 1: installs what is missing, builds, and runs the main job on the default
# scenario headless with a progress display.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
scenario="${1:-scenarios/default.toml}"
build/app/crashcourse validate "$scenario"
build/app/crashcourse drive --scenario "$scenario" --episodes 200
