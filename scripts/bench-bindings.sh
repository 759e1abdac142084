#!/usr/bin/env bash
# Measures (release builds; not part of CI): the cost of one live-preview `score_unit` call
# in Rust, through the C ABI, Python, Node and Java, on one Đồng Tháp assessment; then the
# national workload scored through Python against `parindex score`.
#   scripts/bench-bindings.sh [NATIONAL_DIR] [N]
# NATIONAL_DIR defaults to target/national, generated first with `parindex-gen national`
# when absent (4,000 units, ~190 MB); N calls per language (default 20000). Needs what scripts/test-bindings.sh needs (run it once first:
# it makes the Python virtual environment).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
NATIONAL="${1:-$CARGO_TARGET_DIR/national}"
N="${2:-20000}"
DIR=fixtures/dong-thap-2023
A=$DIR/assessments/so-noi-vu.json
REL="$CARGO_TARGET_DIR/release"
VENV="$CARGO_TARGET_DIR/bindings-venv"

cargo build -q --release -p parindex-cli
if [ ! -d "$NATIONAL" ]; then
  cargo build -q --release -p parindex-benches --bin parindex-gen
  "$REL/parindex-gen" national "$NATIONAL"
fi
cargo build -q --release -p parindex-ffi --example bench_score_unit
cargo build -q --release --manifest-path bindings/Cargo.toml -p parindex-node -p parindex-java
(cd bindings/python && VIRTUAL_ENV="$VENV" PATH="$VENV/bin:$PATH" maturin develop -q --release)
(cd bindings/node && node build.js release)
classes="$CARGO_TARGET_DIR/bindings-java-bench"
rm -rf "$classes" && javac -d "$classes" $(find bindings/java/src/main bindings/java/src/bench -name '*.java')

echo "one score_unit call ($A, $N calls, after $((N / 10)) warm-up calls):"
"$REL/examples/bench_score_unit" "$DIR" "$A" "$N"
"$VENV/bin/python" - "$DIR" "$A" "$N" <<'PY'
import sys, time, parindex
d, a, n = sys.argv[1], open(sys.argv[2], encoding="utf-8").read(), int(sys.argv[3])
with parindex.Round(d) as r:
    for _ in range(n // 10): r.score_unit(a)
    t = time.perf_counter()
    for _ in range(n): r.score_unit(a)
    print(f"python{(time.perf_counter() - t) * 1e6 / n:9.1f} µs/call")
PY
node -e '
const p = require("./bindings/node"); const fs = require("fs");
const [d, file, n] = process.argv.slice(1); const a = fs.readFileSync(file, "utf8");
const r = new p.Round(d); for (let i = 0; i < n / 10; i++) r.scoreUnit(a);
const t = process.hrtime.bigint(); for (let i = 0; i < n; i++) r.scoreUnit(a);
console.log("node  " + (Number(process.hrtime.bigint() - t) / 1e3 / n).toFixed(1).padStart(8) + " µs/call");
' "$DIR" "$A" "$N"
java -Dparindex.library="$REL/libparindex_java.so" -cp "$classes" parindex.Bench "$DIR" "$A" "$N"

if [ -d "$NATIONAL" ]; then
  echo "national workload ($NATIONAL), median of 3, output kept in memory / written to /dev/null:"
  "$VENV/bin/python" - "$NATIONAL" "$REL/parindex" <<'PY'
import statistics, subprocess, sys, time, parindex
d, cli = sys.argv[1], sys.argv[2]
def run(f):
    t = time.perf_counter(); f(); return time.perf_counter() - t
py = [run(lambda: parindex.score(d)) for _ in range(3)]
cl = [run(lambda: subprocess.run([cli, "score", d], stdout=subprocess.DEVNULL, check=True)) for _ in range(3)]
text = parindex.score(d)
same = text == subprocess.run([cli, "score", d], capture_output=True, text=True, check=True).stdout
print(f"python parindex.score {statistics.median(py):.2f} s ({len(text.encode()) / 1e6:.0f} MB of JSON text)")
print(f"parindex score        {statistics.median(cl):.2f} s")
print(f"byte-identical: {same}")
PY
fi
