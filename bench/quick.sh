#!/usr/bin/env bash
# A quick local measurement, not the benchmark suite: client_credentials tokens per second, and proxied requests
# per second with a valid token next to the same upstream direct. All on loopback; the gateway (and Redis, nginx)
# pinned to CPU 1, wrk to CPU 0, so the gateway gets one core.
#   bash bench/quick.sh            (DURATION=15s WARMUP=60s CONNECTIONS=32 to change)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-15s}
# a JVM on one core is still compiling for tens of seconds; measure after that
WARMUP=${WARMUP:-60s}
CONNECTIONS=${CONNECTIONS:-32}
SERVER_CPU=${SERVER_CPU:-1}
CLIENT_CPU=${CLIENT_CPU:-0}

. bench/common.sh
need wrk wrk
need redis-server redis-server
need nginx nginx-light

ensure_jar

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/upstream.pid" ] && kill "$(cat "$work/upstream.pid")" 2>/dev/null || true
  wait 2>/dev/null || true   # Redis writes its log as it exits
  rm -rf "$work" || true
}
trap cleanup EXIT

redis_port=$(free_port); upstream_port=$(free_port); gateway_port=$(free_port); management_port=$(free_port)

taskset -c "$SERVER_CPU" redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
  --daemonize no --logfile "$work/redis.log" & pids+=($!)

start_upstream "$upstream_port"

taskset -c "$SERVER_CPU" java -jar "$jar" --server.port="$gateway_port" --management.server.port="$management_port" \
  --spring.data.redis.url="redis://127.0.0.1:$redis_port" --portcullis.upstream.uri="http://127.0.0.1:$upstream_port"  "$ENCRYPTION_KEY_ARG" \
  --portcullis.bootstrap.clients[0].id=bench --portcullis.bootstrap.clients[0].name=Bench \
  --portcullis.bootstrap.clients[0].secret=bench-secret --portcullis.bootstrap.clients[0].grant-types=client_credentials \
  --logging.level.root=WARN ${GATEWAY_ARGS:-} > "$work/gateway.log" 2>&1 & pids+=($!)
wait_port "$upstream_port"; wait_port "$gateway_port"
# ready once the bootstrap clients exist (readiness turns UP after the start-up runners)
wait_ready "$management_port"

token_url="http://127.0.0.1:$gateway_port/Api/access_token"
cat > "$work/token.lua" <<'LUA'
wrk.method = "POST"
wrk.body = "grant_type=client_credentials&client_id=bench&client_secret=bench-secret"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
LUA
token=$(curl -sf "$token_url" -d grant_type=client_credentials -d client_id=bench -d client_secret=bench-secret \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
accounts="/Api/V8/module/Accounts"
status=$(curl -s -o "$work/first.json" -w "%{http_code}" -H "Authorization: Bearer $token" "http://127.0.0.1:$gateway_port$accounts")
[ "$status" = 200 ] || { echo "proxied request failed: $status $(cat "$work/first.json")" >&2; tail -20 "$work/upstream/logs/error.log" >&2; exit 1; }

run() { # name, wrk args...
  local name=$1; shift
  taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" "$@" >/dev/null   # warm-up
  local out; out=$(taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "$@")
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx/ {print $5}' <<<"$out"); errors=${errors:-0}
  printf '%-40s %12s %10s %10s %10s\n' "$name" "$rps" "$p50" "$p99" "$errors"
}

echo "Portcullis quick measurement, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, servers on CPU $SERVER_CPU, wrk on CPU $CLIENT_CPU"
printf '%-40s %12s %10s %10s %10s\n' "what" "requests/s" "p50" "p99" "non-2xx"
run "upstream direct (nginx)" "http://127.0.0.1:$upstream_port$accounts"
run "through Portcullis, valid token" -H "Authorization: Bearer $token" "http://127.0.0.1:$gateway_port$accounts"
run "client_credentials tokens" -s "$work/token.lua" "$token_url"
