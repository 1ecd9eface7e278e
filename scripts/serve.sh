#!/usr/bin/env bash
# Run Assay on this machine: Redis, one worker and the API, on the embedded SQLite database
# (in ~/.local/share/assay unless ASSAY_DATA_DIR says otherwise). Ctrl-C stops all three.
#
#   scripts/serve.sh        (make serve; then open http://127.0.0.1:8000)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ASSAY="$ROOT/.venv/bin/assay"
PORT="${ASSAY_PORT:-8000}"
REDIS_PORT="${ASSAY_REDIS_PORT:-6379}"
export ASSAY_BROKER_URL="${ASSAY_BROKER_URL:-redis://127.0.0.1:$REDIS_PORT/0}"

die() {
    echo "serve: error: $*" >&2
    exit 1
}

[[ -x $ASSAY ]] || die "no $ASSAY; run make bootstrap first"
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT

if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    echo "==> Redis on 127.0.0.1:$REDIS_PORT"
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no >/dev/null &
    for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
    redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 || die "Redis did not start on port $REDIS_PORT"
fi
"$ASSAY" db upgrade
echo "==> a worker (log: ${TMPDIR:-/tmp}/assay-worker.log)"
"$ASSAY" worker >"${TMPDIR:-/tmp}/assay-worker.log" 2>&1 &
echo "==> the API on http://127.0.0.1:$PORT (first admin: $ASSAY users create you@example.com --role admin)"
"$ASSAY" serve --port "$PORT"
