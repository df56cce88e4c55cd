#!/usr/bin/env bash
# Installs the Debian 12 packages crashcourse needs, only those missing (quick when all are there).
# Run as root (or with sudo available). Idempotent; used by both Quick start commands.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libbox2d-dev libtomlplusplus-dev libeigen3-dev libcli11-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libsfml-dev xvfb xauth fonts-dejavu-core
  clang libclang-rt-14-dev
  libopenmpi-dev openmpi-bin
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
