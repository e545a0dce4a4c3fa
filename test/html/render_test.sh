#!/usr/bin/env bash
# Renders the HTML reports in a headless Chromium: the run report the sim_tests case
# RunHtml.FailoverPageWritesForBrowser writes must load offline, keep one flow timeline per flow
# and its outages and the network metrics' tables in the DOM the browser built, and paint a
# screenshot; so must the sweep report of SweepHtml.PageWritesForBrowser, with every heatmap cell
# and the storms section.
#   test/html/render_test.sh build/test/test/sim_tests WORK_DIR
# Fails (does not skip) without chromium: setup.sh installs it.
set -euo pipefail

sim_tests=$1
work=$2
mkdir -p "$work"

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "render_test: chromium not found; run setup.sh" >&2
  exit 1
fi

# As root Chromium needs --no-sandbox; a profile of its own keeps runs apart, and no network is
# needed: the pages fetch nothing.
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run
  --disable-extensions --disable-background-networking --user-data-dir="$profile")

# render NAME VARIABLE TEST: has TEST write the page to $work/NAME.html through the environment
# VARIABLE, then has the browser build its DOM ($work/NAME.dom.html) and paint it
# ($work/NAME.png).
render() {
  local name=$1 variable=$2 test=$3
  local page="$work/$name.html" dom="$work/$name.dom.html" png="$work/$name.png"
  rm -f "$page" "$dom" "$png"
  env "$variable=$page" "$sim_tests" --gtest_filter="$test" >/dev/null
  [ -s "$page" ] || { echo "render_test: $page was not written" >&2; exit 1; }
  timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$page" >"$dom" 2>"$work/chromium.log" || {
    echo "render_test: chromium --dump-dom of $name failed" >&2
    cat "$work/chromium.log" >&2
    exit 1
  }
  timeout 120 "$browser" "${flags[@]}" --hide-scrollbars --window-size=1200,900 \
    --screenshot="$png" "file://$page" >>"$work/chromium.log" 2>&1 || {
    echo "render_test: chromium --screenshot of $name failed" >&2
    cat "$work/chromium.log" >&2
    exit 1
  }
  if [ ! -s "$png" ] || [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" != "89504e470d0a1a0a" ]; then
    echo "render_test: no PNG screenshot of $name" >&2
    exit 1
  fi
}

# same_count NAME PATTERN: the browser's DOM holds as many PATTERN as the page, and at least one.
same_count() {
  local name=$1 pattern=$2 expected rendered
  expected=$(grep -o "$pattern" "$work/$name.html" | wc -l)
  rendered=$(grep -o "$pattern" "$work/$name.dom.html" | wc -l)
  if [ "$expected" -lt 1 ] || [ "$rendered" -ne "$expected" ]; then
    echo "render_test: $name: $rendered of '$pattern' in the DOM, $expected in the page" >&2
    exit 1
  fi
  echo "$rendered"
}

# in_dom NAME TEXT: the browser's DOM holds TEXT.
in_dom() {
  if ! grep -q "$2" "$work/$1.dom.html"; then
    echo "render_test: $1: no '$2' in the rendered DOM" >&2
    exit 1
  fi
}

render run-report ERSIM_HTML_OUT RunHtml.FailoverPageWritesForBrowser
timelines=$(same_count run-report 'class="flow-timeline"')
# The browser parsed the SVG as SVG: the outages are rect elements inside the timeline group.
in_dom run-report '<rect class="outage"'
in_dom run-report '<section id="distribution">'
in_dom run-report '<table class="convergence">'
in_dom run-report '<table class="prefix-limits">'
echo "render_test: $timelines flow timelines rendered, screenshot $(wc -c <"$work/run-report.png") bytes"

render sweep-report ERSIM_SWEEP_HTML_OUT SweepHtml.PageWritesForBrowser
cells=$(same_count sweep-report '<rect class="cell"')
in_dom sweep-report '<section id="criticality">'
in_dom sweep-report '<section id="storms">'
echo "render_test: $cells heatmap cells rendered, screenshot $(wc -c <"$work/sweep-report.png") bytes"
