#!/usr/bin/env bash
# Fails when clang-tidy (with the root .clang-tidy) finds anything in the project's sources.
# Usage: check_tidy.sh SOURCE_DIR BUILD_DIR (BUILD_DIR holds compile_commands.json).
set -euo pipefail
src=$1
build=$2
cd "$src"
files=$(git ls-files --cached --others --exclude-standard -- '*.cpp')
[ -n "$files" ] || { echo "no sources found"; exit 1; }
jobs=$(nproc 2>/dev/null || echo 2)
# shellcheck disable=SC2086
echo $files | tr ' ' '\n' |
  xargs -P "$jobs" -n 4 clang-tidy -p "$build" --quiet --warnings-as-errors='*' 2>/dev/null
echo "clang-tidy: $(echo "$files" | wc -l) files clean"
