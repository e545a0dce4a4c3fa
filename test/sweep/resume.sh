#!/bin/bash
# An interrupted sweep resumes from its journal: `ersim sweep --results FILE` killed part way
# (SIGKILL; SIGINT, as Ctrl-C sends, with a line cut short at the end of the journal), then
# `--resume --results FILE`, must write the JSON document an uninterrupted sweep writes, byte
# for byte, without running again the failure sets the journal already holds: the journal ends
# with as many lines as the uninterrupted one's, each set once, the lines written before the
# interruption unchanged and every line whole. Resuming with another seed is refused (exit 2).
#   resume.sh ERSIM WORKDIR
# The design is generated, large enough that a one-thread sweep takes a few seconds in the
# sanitizer build, so that it can be interrupted in the middle.
set -euo pipefail

ersim=$1
work=$2
customers=100

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
lines() { if [ -f "$1" ]; then wc -l < "$1"; else echo 0; fi; }

rm -rf "$work"
mkdir -p "$work"
cd "$work"
"$ersim" generate --customers "$customers" -o design.yaml
sweep=("$ersim" sweep design.yaml --threads 1 --json -q)

"${sweep[@]}" --results full.jsonl > full.json
full_lines=$(lines full.jsonl)
echo "uninterrupted: $((full_lines - 1)) failure sets in the journal"

# Starts the sweep with journal $1, sends it signal $2 once the journal holds $3 lines, and
# checks that the signal ended it.
interrupt() {
  local journal=$1 signal=$2 at=$3
  # Job control, so that the background sweep does not ignore SIGINT as a non-interactive
  # shell's background commands do.
  set -m
  "${sweep[@]}" --results "$journal" > /dev/null &
  local pid=$!
  set +m
  until [ "$(lines "$journal")" -ge "$at" ]; do
    kill -0 "$pid" 2> /dev/null ||
      fail "the sweep ended before its journal held $at lines: generate a larger design"
    sleep 0.05
  done
  kill -s "$signal" "$pid"
  local status=0
  wait "$pid" || status=$?
  local expected=$((128 + $(kill -l "$signal")))
  [ "$status" -eq "$expected" ] ||
    fail "the sweep exited $status after SIG$signal, expected $expected (it finished first?)"
  echo "SIG$signal after $(($(lines "$journal") - 1)) failure sets"
}

# Resumes from journal $1 and checks the result against the uninterrupted sweep.
resume() {
  local journal=$1
  local kept
  kept=$(lines "$journal")
  cp "$journal" "$journal.before"
  "${sweep[@]}" --results "$journal" --resume > "$journal.json" ||
    fail "ersim sweep --resume exited $?"
  if ! cmp -s full.json "$journal.json"; then
    { diff full.json "$journal.json" || true; } | head -20 >&2
    fail "the JSON after resuming from $journal differs from the uninterrupted sweep's"
  fi
  [ "$(lines "$journal")" -eq "$full_lines" ] ||
    fail "$journal has $(lines "$journal") lines after resuming, the uninterrupted one $full_lines"
  local twice
  twice=$(grep -o '"set":\[[0-9,]*\]' "$journal" | sort | uniq -d)
  [ -z "$twice" ] || fail "failure sets run again after resuming from $journal: ${twice:0:200}"
  head -n "$kept" "$journal.before" | cmp -s - <(head -n "$kept" "$journal") ||
    fail "resuming changed the lines $journal held before"
  # Every line whole (a line cut short and then appended to would be malformed): resuming the
  # finished journal reads it all, runs nothing and adds nothing.
  cp "$journal" "$journal.done"
  "${sweep[@]}" --results "$journal" --resume > /dev/null ||
    fail "resuming the finished journal $journal exited $?"
  cmp -s "$journal" "$journal.done" || fail "resuming the finished journal $journal changed it"
}

interrupt killed.jsonl KILL 10
resume killed.jsonl

interrupt interrupted.jsonl INT $((full_lines / 2))
# A kill in the middle of a write leaves a line cut short, with no newline: it is dropped.
# (cut reads the whole line: `head -c` would leave sed writing a long line into a closed pipe,
# and pipefail would end this script without a word.)
sed -n 2p full.jsonl | cut -c 1-30 | tr -d '\n' >> interrupted.jsonl
resume interrupted.jsonl

# The journal of another sweep (here another seed) is refused, and left as it is.
cp killed.jsonl other.jsonl
status=0
"${sweep[@]}" --results other.jsonl --resume --seed 2 > /dev/null 2> other.err || status=$?
[ "$status" -eq 2 ] || fail "resuming with another seed exited $status, expected 2"
grep -q "another sweep" other.err || fail "resuming with another seed said: $(cat other.err)"
cmp -s killed.jsonl other.jsonl || fail "a refused resume changed the journal"
echo "another seed: $(cat other.err)"
