#!/bin/sh
# Writes the golden text report of every sweep scenario (scenarios/sweep-*.yaml) to
# test/sweep/golden/NAME.txt, on one thread, from the ersim binary given (default: the test
# build's).
#   test/sweep/regenerate.sh [build/test/ersim]
# Review the diff (git diff test/sweep/golden) before committing: every change must be
# explained by the change to ersim that caused it.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
ersim=${1:-$root/build/test/ersim}
for scenario in "$root"/scenarios/sweep-*.yaml; do
  name=$(basename "$scenario" .yaml)
  "$ersim" sweep "$scenario" --threads 1 -q > "$root/test/sweep/golden/$name.txt" ||
    echo "$name: the sweep's expectations do not hold (exit $?)" >&2
done
