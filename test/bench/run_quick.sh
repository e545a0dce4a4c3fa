#!/bin/bash
# bench/run --quick measures the smallest designs with the given build's binaries and writes its
# section into a copy of docs/benchmarks.md: the section appears once, between its markers,
# after the introduction, with the targets and every workload's table and the plot it refers
# to; a second run replaces the section rather than adding one, and the rest of the document
# (the history) is kept byte for byte. Bad options and a missing build exit 2.
#   run_quick.sh SOURCE_DIR BUILD_DIR WORKDIR
set -euo pipefail

source_dir=$1
build_dir=$2
work=$3
run=$source_dir/bench/run

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

rm -rf "$work"
mkdir -p "$work"
doc=$work/benchmarks.md
cp "$source_dir/docs/benchmarks.md" "$doc"

# The smallest design twice over (the second replaces the section), then two sizes, each cold
# start and sweep twice (a sweep that short is repeated, and its medians reported).
quick=("$run" --quick --build "$build_dir" --doc "$doc" --hour-span 10 --runs 1)
"${quick[@]}" --sizes 10
"${quick[@]}" --sizes 10,100 --runs 2

[ "$(grep -c '^<!-- bench/run:begin -->$' "$doc")" -eq 1 ] || fail "not one begin marker"
[ "$(grep -c '^<!-- bench/run:end -->$' "$doc")" -eq 1 ] || fail "not one end marker"
for heading in '### Targets' '### Cold convergence' '### Failures on a converged network' \
  '### N-1 sweep' '### Threads' '### Simulated time in the steady state'; do
  grep -q "^$heading" "$doc" || fail "no '$heading' section"
done
grep -q '^| 100 | 200 | 2 | ' "$doc" || fail "no cold convergence row for 100 circuits"
grep -q '^| 100 | [0-9,]* | 100 | [0-9,]* | 2 | ' "$doc" || fail "no sweep row of two runs"
grep -q '^| peering location failure | 100 | ' "$doc" || fail "no location failure row"
# The threads workload on the largest design up to 10,000 circuits: one row per thread count.
grep -q '^| 2 | 2 | [0-9.]* [mµ]*s | [0-9.]*× | 678 | ' "$doc" || fail "no two-thread sweep row"
grep -q '^| N-1 sweep: speed-up from 1 to 2 threads ≥ 1.8× | [0-9.]*× whole sweep' "$doc" ||
  fail "no thread speed-up target"

grep -q '^| packet | 100 | after 30 s | 10 s | ' "$doc" || fail "no packet-mode row"
grep -q '^| quiet | 100 | quiet at [0-9.]* s | 10 s | ' "$doc" || fail "no quiet row"
grep -q '^| Cold convergence scaling exponent .* | [0-9.-]* (10 → 100 circuits) |' "$doc" ||
  fail "no scaling exponent"
grep -q 'B = [0-9.]* M events/s' "$doc" || fail "no engine baseline"
grep -q '^!\[.*\](bench-scaling.png)$' "$doc" || fail "no plot reference"
[ -s "$work/bench-scaling.png" ] || fail "no plot file"
head -c 8 "$work/bench-scaling.png" | grep -q PNG || fail "the plot is not a PNG"
# The section sits after the introduction, before the first section of the history.
begin=$(grep -n '^<!-- bench/run:begin -->$' "$doc" | cut -d: -f1)
first=$(grep -n '^## Event queue' "$doc" | cut -d: -f1)
[ "$begin" -lt "$first" ] || fail "the section is not before the history"
# Without the section, the document is the original.
sed '/^<!-- bench\/run:begin -->$/,/^<!-- bench\/run:end -->$/d' "$doc" |
  cat -s > "$work/without.md"
cat -s "$source_dir/docs/benchmarks.md" |
  sed '/^<!-- bench\/run:begin -->$/,/^<!-- bench\/run:end -->$/d' | cat -s > "$work/original.md"
cmp -s "$work/without.md" "$work/original.md" || fail "the rest of the document changed"

# Usage errors and a missing build: exit 2 with a message.
set +e
"$run" --sizes ten --doc "$work/x.md" 2> "$work/err1"
[ $? -eq 2 ] || fail "--sizes ten: not exit 2"
"$run" --build "$work/no-build" --doc "$work/x.md" 2> "$work/err2"
[ $? -eq 2 ] || fail "a missing build: not exit 2"
set -e
grep -q "cmake --workflow --preset release" "$work/err2" || fail "no advice to build"
[ ! -e "$work/x.md" ] || fail "a failed run wrote the document"
echo "bench/run --quick: OK"
