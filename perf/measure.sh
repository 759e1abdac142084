#!/usr/bin/env bash
# perf/measure.sh [RUNS] [WORK_DIR]: the figures of docs/performance.md, "Figures". Builds the
# floor programs (perf/floor) and the workspace's release programs, writes the four national
# workloads (national and compute mixes, pretty and compact) into WORK_DIR (default
# /tmp/parindex-perf), and runs parindex-perf on each, on all cores and on one, RUNS times
# interleaved (default 9). Prints the load average with each set of figures.
set -eu
RUNS=${1:-9}
WORK=${2:-/tmp/parindex-perf}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
(cd "$ROOT/perf/floor" && cargo build --release --locked -q)
(cd "$ROOT" && cargo build --release --locked -q -p parindex-cli -p parindex-benches)
BIN=$ROOT/target/release
mkdir -p "$WORK"
for w in "national" "national --compact" "national --mix compute" "national --mix compute --compact"; do
  name=$(echo "$w" | tr -d ' -' | sed 's/national/n/; s/mixcompute/-compute/; s/compact/-compact/')
  dir=$WORK/$name
  # shellcheck disable=SC2086
  [ -d "$dir" ] || "$BIN/parindex-gen" $w "$dir"
done
for dir in "$WORK"/n "$WORK"/n-compact "$WORK"/n-compute "$WORK"/n-compute-compact; do
  echo "== $dir, all cores"; "$BIN/parindex-perf" "$dir" "$RUNS" --ndjson
  echo "== $dir, one core"; PARINDEX_THREADS=1 "$BIN/parindex-perf" "$dir" "$RUNS" --ndjson
done
