#!/usr/bin/env bash
# Builds and tests the engine's language bindings (issue #16): the C ABI from C, Python
# (PyO3 + maturin, pytest), Node (napi-rs, node --test) and Java (JNI, javac + java).
# Needs Rust, a C compiler, Python ≥ 3.9, Node ≥ 18 and a JDK ≥ 17; installs maturin and
# pytest from PyPI into a virtual environment under the target folder. Debug builds, the
# workspace's target folder (CARGO_TARGET_DIR to change it). Each language's result prints;
# the last line is "N passed, N failed" over the four languages.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export PARINDEX_CLI="$CARGO_TARGET_DIR/debug/parindex"
passed=0
failed=0
step() { # name command...
  local name=$1
  shift
  echo "== $name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "== $name FAILED"; fi
}

echo "== building the CLI, the C ABI and the native bindings (debug)"
cargo build -q --locked -p parindex-cli -p parindex-ffi
cargo build -q --locked --manifest-path bindings/Cargo.toml -p parindex-node -p parindex-java

c_test() {
  local out="$CARGO_TARGET_DIR/bindings-c"
  mkdir -p "$out"
  cc -std=c11 -Wall -Wextra -Werror -I crates/parindex-ffi/include crates/parindex-ffi/examples/smoke.c \
    -L "$CARGO_TARGET_DIR/debug" -lparindex_ffi -o "$out/smoke"
  local dir=fixtures/dong-thap-2023
  LD_LIBRARY_PATH="$CARGO_TARGET_DIR/debug" "$out/smoke" "$dir" "$dir/assessments/so-noi-vu.json" >"$out/results.json"
  "$PARINDEX_CLI" score "$dir" | cmp - "$out/results.json"
}

python_test() {
  local venv="$CARGO_TARGET_DIR/bindings-venv"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check 'maturin>=1.7,<2' 'pytest>=8,<10'
  (cd bindings/python && VIRTUAL_ENV="$venv" PATH="$venv/bin:$PATH" maturin develop -q --locked)
  "$venv/bin/python" -m pytest -q bindings/python/tests
}

node_test() {
  (cd bindings/node && npm ci --no-audit --no-fund --silent && ./node_modules/.bin/tsc -p . && node build.js && node --test test/)
}

java_test() {
  local classes="$CARGO_TARGET_DIR/bindings-java"
  rm -rf "$classes"
  javac -Xlint:all -Werror -d "$classes" $(find bindings/java/src -name '*.java')
  java -Dparindex.library="$CARGO_TARGET_DIR/debug/libparindex_java.so" -Dparindex.root="$ROOT" \
    -Dparindex.cli="$PARINDEX_CLI" -cp "$classes" parindex.EngineTest
}

step C c_test
step Python python_test
step Node node_test
step Java java_test
echo "bindings: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
