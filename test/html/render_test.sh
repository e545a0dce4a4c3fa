#!/usr/bin/env bash
# Renders the HTML run report in a headless Chromium: the page the sim_tests case
# RunHtml.FailoverPageWritesForBrowser writes must load offline, keep one flow timeline per flow
# and its outages in the DOM the browser built, and paint a screenshot.
#   test/html/render_test.sh build/test/test/sim_tests WORK_DIR
# Fails (does not skip) without chromium: setup.sh installs it.
set -euo pipefail

sim_tests=$1
work=$2
mkdir -p "$work"
page="$work/run-report.html"
dom="$work/run-report.dom.html"
png="$work/run-report.png"
rm -f "$page" "$dom" "$png"

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "render_test: chromium not found; run setup.sh" >&2
  exit 1
fi

ERSIM_HTML_OUT="$page" "$sim_tests" --gtest_filter=RunHtml.FailoverPageWritesForBrowser >/dev/null
[ -s "$page" ] || { echo "render_test: $page was not written" >&2; exit 1; }

# As root Chromium needs --no-sandbox; a profile of its own keeps runs apart, and no network is
# needed: the page fetches nothing.
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run
  --disable-extensions --disable-background-networking --user-data-dir="$profile")

timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$page" >"$dom" 2>"$work/chromium.log" || {
  echo "render_test: chromium --dump-dom failed" >&2
  cat "$work/chromium.log" >&2
  exit 1
}

expected=$(grep -o 'class="flow-timeline"' "$page" | wc -l)
rendered=$(grep -o 'class="flow-timeline"' "$dom" | wc -l)
if [ "$expected" -lt 1 ] || [ "$rendered" -ne "$expected" ]; then
  echo "render_test: $rendered flow timelines in the DOM, $expected in the page" >&2
  exit 1
fi
# The browser parsed the SVG as SVG: the outages are rect elements inside the timeline group.
if ! grep -q '<rect class="outage"' "$dom"; then
  echo "render_test: no outage rect in the rendered DOM" >&2
  exit 1
fi
if ! grep -q '<section id="distribution">' "$dom"; then
  echo "render_test: no distribution section in the rendered DOM" >&2
  exit 1
fi

timeout 120 "$browser" "${flags[@]}" --hide-scrollbars --window-size=1200,900 \
  --screenshot="$png" "file://$page" >>"$work/chromium.log" 2>&1 || {
  echo "render_test: chromium --screenshot failed" >&2
  cat "$work/chromium.log" >&2
  exit 1
}
if [ ! -s "$png" ] || [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" != "89504e470d0a1a0a" ]; then
  echo "render_test: no PNG screenshot" >&2
  exit 1
fi
echo "render_test: $rendered flow timelines rendered, screenshot $(wc -c <"$png") bytes"
