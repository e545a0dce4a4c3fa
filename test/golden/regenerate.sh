#!/bin/sh
# Writes the golden trace of every scenario under scenarios/ to test/golden/NAME.jsonl, with the
# scenario's own seed, from the ersim binary given (default: the test build's).
#   test/golden/regenerate.sh [build/test/ersim]
# Review the diff (git diff test/golden) before committing: every change must be explained by
# the change to ersim that caused it.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
ersim=${1:-$root/build/test/ersim}
for scenario in "$root"/scenarios/*.yaml; do
  name=$(basename "$scenario" .yaml)
  "$ersim" run "$scenario" --threads 1 --trace "$root/test/golden/$name.jsonl" >/dev/null ||
    echo "$name: the scenario's expectations do not hold (exit $?)" >&2
done
