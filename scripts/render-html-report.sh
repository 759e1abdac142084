#!/usr/bin/env bash
# Renders a round's HTML report in headless Chromium and saves a screenshot, to check by eye
# that the page (tables, SVG bar charts, heat maps, Vietnamese text) renders as intended.
#
# usage: scripts/render-html-report.sh [ROUND_DIR] [OUT_DIR] [-- extra `parindex report` args]
#   ROUND_DIR defaults to fixtures/huyen-cao-lanh-2023, OUT_DIR to target/report-check.
#   Writes OUT_DIR/report.html and OUT_DIR/report.png (1280 px wide, the whole page's top).
#
# Needs Chromium (Debian: `apt-get install -y chromium`; or set CHROMIUM=/path/to/chrome).
# Not part of .ci/run: the report's content is checked by `cargo test -p parindex-report`;
# this script is for looking at it.
set -euo pipefail
cd "$(dirname "$0")/.."

round_dir=${1:-fixtures/huyen-cao-lanh-2023}
out_dir=${2:-target/report-check}
shift $(( $# > 2 ? 2 : $# )) || true
[ "${1:-}" = "--" ] && shift
extra=("$@")
[ ${#extra[@]} -eq 0 ] && extra=(--locale vi)

chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}
if [ -z "$chromium" ]; then
  echo "render-html-report: no Chromium found; install it (apt-get install -y chromium) or set CHROMIUM" >&2
  exit 2
fi

mkdir -p "$out_dir"
html="$out_dir/report.html"
png="$out_dir/report.png"
cargo run -q --bin parindex -- report "$round_dir" --format html --out "$html" "${extra[@]}"

height=${HEIGHT:-2400}
"$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
  --window-size="1280,$height" --screenshot="$(realpath "$png")" "file://$(realpath "$html")" 2>/dev/null

if [ ! -s "$png" ]; then
  echo "render-html-report: Chromium wrote no screenshot" >&2
  exit 1
fi
echo "$html"
echo "$png ($(wc -c < "$png") bytes)"
