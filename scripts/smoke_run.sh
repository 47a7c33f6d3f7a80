#!/usr/bin/env bash
# Start `make run` on embedded defaults in a fresh var/ folder, check what a newcomer would
# check, and stop it again. Used by CI; handy after changing the Makefile or settings.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${SMOKE_PORT:-8765}
var=$(mktemp -d)
log="$var/run.log"
unset DATABASE_URL REDIS_URL SECRET_KEY
export VAR_DIR="$var" WEB_BIND="127.0.0.1:$port" HEARTBEAT_SECONDS=2
setsid make run >"$log" 2>&1 &
pid=$!
cleanup() { kill -TERM -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$var"; }
trap cleanup EXIT
fail() { echo "smoke: $*" >&2; tail -n 60 "$log" >&2; exit 1; }

base="http://127.0.0.1:$port"
for _ in $(seq 120); do
  curl -fsS "$base/healthz" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || fail "make run exited"
  sleep 1
done
health=$(curl -sS "$base/healthz") || fail "no /healthz"
echo "healthz: $health"
[[ "$health" == *'"status": "ok"'* ]] || fail "healthz not ok"
code=$(curl -s -o /dev/null -w '%{http_code}' "$base/api/docs/"); [[ $code == 200 ]] || fail "/api/docs/ $code"
code=$(curl -s -o /dev/null -w '%{http_code}' "$base/admin/login/"); [[ $code == 200 ]] || fail "/admin/ $code"
schema=$(curl -fsS "$base/api/schema/") || fail "/api/schema/"
[[ "$schema" == "openapi: 3"* ]] || fail "/api/schema/ is not OpenAPI 3"
token=$(curl -fsS -H 'Content-Type: application/json' -d '{"username":"resident","password":"demo"}' \
  "$base/api/v1/auth/token/") || fail "demo login"
[[ "$token" == *'"token"'* ]] || fail "no token in $token"
# beat (every 2 s here) and the worker together write the heartbeat
for _ in $(seq 60); do
  [[ "$(curl -sS "$base/healthz")" == *'"jobs": "ok"'* ]] && { echo "worker and beat: ok"; exit 0; }
  sleep 1
done
fail "the heartbeat from beat and worker never arrived"
