#!/usr/bin/env bash
# Quick start command 1: installs what is missing, builds, checks the scenario and trains a PPO
# driver on it headless with a live progress line, into a new run folder under runs/ (metrics,
# plots, checkpoints, summary). Extra arguments go to `crashcourse train`, e.g.
#   bash scripts/run.sh --scenario scenarios/oval.toml --steps 2000000
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
scenario=scenarios/default.toml
for ((i = 1; i < $#; i++)); do
  if [[ "${!i}" == --scenario ]]; then j=$((i + 1)); scenario="${!j}"; fi
done
build/app/crashcourse validate "$scenario"
exec build/app/crashcourse train "$@"
