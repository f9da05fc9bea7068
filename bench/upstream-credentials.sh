#!/usr/bin/env bash
# What the UpstreamClientCredentials filter adds to a proxied call once the backend token is cached: one gateway, one
# static upstream (nginx), two routes to it in the same run, the default crm-api-v8 route without the filter and
# /with/Api/V8/** with UpstreamClientCredentials=bench (StripPrefix=1). The backend credential asks the gateway's
# own token endpoint (client_credentials) once; every measured request then uses the token kept in memory. Targets
# are taken in turn for ROUNDS rounds; the gateway (and Redis, nginx) on SERVER_CPU, wrk on CLIENT_CPU.
#   bash bench/upstream-credentials.sh     (DURATION=15s WARMUP=60s ROUNDS=3 CONNECTIONS=32 to change)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-60s}
ROUNDS=${ROUNDS:-3}
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
  wait 2>/dev/null || true
  rm -rf "$work" || true
}
trap cleanup EXIT

redis_port=$(free_port); upstream_port=$(free_port); gateway_port=$(free_port); management_port=$(free_port)

taskset -c "$SERVER_CPU" redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
  --daemonize no --logfile "$work/redis.log" & pids+=($!)

start_upstream "$upstream_port"

taskset -c "$SERVER_CPU" java -jar "$jar" --server.port="$gateway_port" --management.server.port="$management_port" \
  --spring.data.redis.url="redis://127.0.0.1:$redis_port" --portcullis.upstream.uri="http://127.0.0.1:$upstream_port" \
  --portcullis.secrets.encryption-key="$(openssl rand -base64 32)" \
  --portcullis.bootstrap.clients[0].id=bench --portcullis.bootstrap.clients[0].name=Bench \
  --portcullis.bootstrap.clients[0].secret=bench-secret --portcullis.bootstrap.clients[0].grant-types=client_credentials \
  --portcullis.upstream.credentials.bench.token-uri="http://127.0.0.1:$gateway_port/Api/access_token" \
  --portcullis.upstream.credentials.bench.client-id=bench \
  --portcullis.upstream.credentials.bench.client-secret=bench-secret \
  --spring.cloud.gateway.server.webflux.routes[0].id=with-filter \
  --spring.cloud.gateway.server.webflux.routes[0].uri="http://127.0.0.1:$upstream_port" \
  --spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/with/** \
  --spring.cloud.gateway.server.webflux.routes[0].filters[0]=StripPrefix=1 \
  --spring.cloud.gateway.server.webflux.routes[0].filters[1]=UpstreamClientCredentials=bench \
  --logging.level.root=WARN ${GATEWAY_ARGS:-} > "$work/gateway.log" 2>&1 & pids+=($!)
wait_port "$upstream_port"; wait_port "$gateway_port"
wait_ready "$management_port"

token=$(curl -sf "http://127.0.0.1:$gateway_port/Api/access_token" -d grant_type=client_credentials -d client_id=bench \
  -d client_secret=bench-secret | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
accounts="/Api/V8/module/Accounts"
for path in "$accounts" "/with$accounts"; do
  status=$(curl -s -o "$work/first.json" -w "%{http_code}" -H "Authorization: Bearer $token" "http://127.0.0.1:$gateway_port$path")
  [ "$status" = 200 ] || { echo "$path failed: $status $(cat "$work/first.json")" >&2; tail -20 "$work/gateway.log" >&2; exit 1; }
done

measure() { # wrk args...; prints requests/s p50 p99 non-2xx
  local out; out=$(taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "$@")
  local errors; errors=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  printf '%s %s %s %s\n' "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" "$(awk '$1=="50%" {print $2}' <<<"$out")" \
    "$(awk '$1=="99%" {print $2}' <<<"$out")" "${errors:-0}"
}

without=(-H "Authorization: Bearer $token" "http://127.0.0.1:$gateway_port$accounts")
with=(-H "Authorization: Bearer $token" "http://127.0.0.1:$gateway_port/with$accounts")
taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" "${without[@]}" >/dev/null
taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" "${with[@]}" >/dev/null

echo "UpstreamClientCredentials, cached backend token, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, gateway on CPU $SERVER_CPU, wrk on CPU $CLIENT_CPU, $CONNECTIONS connections"
printf '%-6s %-28s %12s %10s %10s %8s\n' round route requests/s p50 p99 non-2xx
for round in $(seq "$ROUNDS"); do
  printf '%-6s %-28s %12s %10s %10s %8s\n' "$round" "without the filter" $(measure "${without[@]}")
  printf '%-6s %-28s %12s %10s %10s %8s\n' "$round" "with the filter" $(measure "${with[@]}")
done
