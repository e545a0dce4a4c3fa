#!/usr/bin/env bash
# Installs everything ersim needs to build, test and benchmark, from Debian's packages.
# Idempotent: when every package is present it only checks and returns (well under a second).
set -euo pipefail

packages=(
  build-essential cmake ninja-build git pkg-config python3 python3-jsonschema python3-yaml
  clang-format clang-tidy
  libboost-dev libboost-graph-dev libabsl-dev
  libyaml-dev
  # The programs allocate through jemalloc (core/allocator.cpp).
  libjemalloc-dev
  libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libcli11-dev nlohmann-json3-dev
  graphviz
  # bench/run draws its plot of time against design size with matplotlib.
  python3-matplotlib
  # The HTML run report's render test (test/html/render_test.sh) loads it in headless Chromium.
  chromium
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
