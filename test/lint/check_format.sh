#!/usr/bin/env bash
# Fails when a C++ source of the project is not formatted as .clang-format says.
set -euo pipefail
cd "$1"
files=$(git ls-files --cached --others --exclude-standard -- '*.cpp' '*.hpp')
[ -n "$files" ] || { echo "no sources found"; exit 1; }
# shellcheck disable=SC2086
clang-format --dry-run -Werror $files
echo "clang-format: $(echo "$files" | wc -l) files clean"
