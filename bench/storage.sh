#!/usr/bin/env bash
# Redis memory while one client asks for a client_credentials token on every call (issue 11): wrk posts token
# requests for DURATION; every SAMPLE_EVERY seconds Redis's used memory and key count are printed. With the cap on
# live grants per client and subject (portcullis.tokens.max-grants-per-client-and-subject, 1000), both stay flat
# once the cap is reached; without it they grow with every token until the tokens expire (an hour).
#   bash bench/storage.sh          (DURATION=10m SAMPLE_EVERY=30 CONNECTIONS=8; JAR= another build; GATEWAY_ARGS=…)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10m}
SAMPLE_EVERY=${SAMPLE_EVERY:-30}
CONNECTIONS=${CONNECTIONS:-8}
SERVER_CPU=${SERVER_CPU:-1}
CLIENT_CPU=${CLIENT_CPU:-0}

. bench/common.sh
need wrk wrk
need redis-server redis-server
ensure_jar

begin_work

redis_port=$(free_port); gateway_port=$(free_port); management_port=$(free_port)
start_redis "$redis_port"
taskset -c "$SERVER_CPU" java -jar "$jar" --server.port="$gateway_port" --management.server.port="$management_port" \
  --spring.data.redis.url="redis://127.0.0.1:$redis_port"  "$ENCRYPTION_KEY_ARG" \
  --portcullis.bootstrap.clients[0].id=chatty --portcullis.bootstrap.clients[0].name=Chatty \
  --portcullis.bootstrap.clients[0].secret=chatty-client-secret \
  --portcullis.bootstrap.clients[0].grant-types=client_credentials \
  --logging.level.root=WARN ${GATEWAY_ARGS:-} > "$work/gateway.log" 2>&1 & pids+=($!)
wait_port "$gateway_port"
wait_ready "$management_port"
printf 'wrk.method = "POST"\nwrk.body = "%s"\nwrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n' \
  "grant_type=client_credentials&client_id=chatty&client_secret=chatty-client-secret" > "$work/token.lua"

redis_stat() { # used_memory (MB) and key count
  local memory keys
  memory=$(redis-cli -p "$redis_port" info memory | awk -F: '/^used_memory:/ { printf "%.1f", $2 / 1048576 }')
  keys=$(redis-cli -p "$redis_port" dbsize)
  echo "$memory $keys"
}
issued() {
  curl -s "http://127.0.0.1:$management_port/actuator/prometheus" \
    | awk '/^portcullis_tokens_issued_total/ { sum += $2 } END { printf "%d", sum }'
}

echo "Redis memory under client_credentials issuance, $(date -u +%Y-%m-%dT%H:%MZ), jar $jar ${GATEWAY_ARGS:-}"
echo "wrk -t1 -c$CONNECTIONS -d$DURATION on one client; gateway and Redis on CPU $SERVER_CPU"
printf '%8s %14s %16s %10s\n' "seconds" "tokens issued" "Redis used MB" "keys"
taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNECTIONS" -d"$DURATION" -s "$work/token.lua" \
  "http://127.0.0.1:$gateway_port/Api/access_token" > "$work/wrk.out" &
wrk_pid=$!
started=$(date +%s)
while kill -0 "$wrk_pid" 2>/dev/null; do
  read -r memory keys < <(redis_stat)
  printf '%8d %14s %16s %10s\n' $(($(date +%s) - started)) "$(issued)" "$memory" "$keys"
  for _ in $(seq "$SAMPLE_EVERY"); do kill -0 "$wrk_pid" 2>/dev/null || break; sleep 1; done
done
read -r memory keys < <(redis_stat)
printf '%8d %14s %16s %10s\n' $(($(date +%s) - started)) "$(issued)" "$memory" "$keys"
grep -E "Requests/sec|Non-2xx" "$work/wrk.out" || true
