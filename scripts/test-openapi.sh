#!/usr/bin/env bash
# Issue #16: proves that `parindex serve`'s /v1/openapi.json is a valid OpenAPI 3.1 document
# that real consumers read. Starts the server on a free loopback port with a fresh database,
# fetches the document, then:
#   1. openapi-spec-validator (PyPI) validates it as OpenAPI 3.1;
#   2. openapi-typescript (npm; it resolves references with Redocly's openapi-core) generates
#      TypeScript types from it, tsc compiles a small client (openapi-fetch) with them under
#      strict checks, and node runs that client against the same server.
# Needs Rust, python3 and Node ≥ 18; installs the tools into target/ and
# scripts/openapi-client/node_modules (both ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
OUT="$CARGO_TARGET_DIR/openapi-check"
rm -rf "$OUT"
mkdir -p "$OUT"

cargo build -q --locked -p parindex-cli
P="$CARGO_TARGET_DIR/debug/parindex"

ADMIN=$("$P" token create --role admin --db "$OUT/api.db")
"$P" serve --db "$OUT/api.db" --addr 127.0.0.1:0 >"$OUT/serve.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true' EXIT
URL=
for _ in $(seq 1 100); do
  URL=$(sed -n 's/^parindex: listening on \(http:[^ ]*\).*/\1/p' "$OUT/serve.log")
  [ -n "$URL" ] && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$OUT/serve.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$URL" ] || { echo "the server did not start" >&2; cat "$OUT/serve.log" >&2; exit 1; }
curl -sSf "$URL/v1/openapi.json" -o "$OUT/openapi.json"
echo "== $URL/v1/openapi.json: $(wc -c <"$OUT/openapi.json") bytes"

echo "== openapi-spec-validator"
VENV="$CARGO_TARGET_DIR/openapi-venv"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check 'openapi-spec-validator==0.9.0'
"$VENV/bin/python" - "$OUT/openapi.json" <<'PY'
import json, sys
from openapi_spec_validator import validate
from openapi_spec_validator.validation import OpenAPIV31SpecValidator
doc = json.load(open(sys.argv[1]))
assert doc["openapi"].startswith("3.1."), doc["openapi"]
validate(doc, cls=OpenAPIV31SpecValidator)
print(f"valid OpenAPI {doc['openapi']}: {len(doc['paths'])} paths, {len(doc['components']['schemas'])} schemas")
PY

echo "== openapi-typescript + tsc + a client against the server"
cd scripts/openapi-client
npm ci --no-audit --no-fund --silent
./node_modules/.bin/openapi-typescript "$OUT/openapi.json" -o src/api.d.ts
./node_modules/.bin/tsc -p .
node build/check.js "$URL" "$ADMIN" "$ROOT"
