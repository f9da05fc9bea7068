#!/usr/bin/env bash
# The token endpoint under a cheap CPU flood (issue 11): while wrk sends token requests with unknown client ids from
# one address (127.0.0.1, CONNECTIONS at once, for DURATION), a legitimate client_credentials client asks for tokens
# from another loopback address (127.0.0.2), one request every 100 ms. Its latency is printed beside the same
# client's with no flood, with the ratio (target: at most 2x), and the flood's answers by status.
#   bash bench/flood.sh            (DURATION=10s CONNECTIONS=100 SAMPLES=50 to change; JAR= to measure another build)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-100}
SAMPLES=${SAMPLES:-50}
SERVER_CPU=${SERVER_CPU:-1}
CLIENT_CPU=${CLIENT_CPU:-0}

. bench/common.sh
need wrk wrk
need redis-server redis-server
need curl curl
ensure_jar

begin_work

redis_port=$(free_port); gateway_port=$(free_port); management_port=$(free_port)
start_redis "$redis_port"
taskset -c "$SERVER_CPU" java -jar "$jar" --server.port="$gateway_port" --management.server.port="$management_port" \
  --spring.data.redis.url="redis://127.0.0.1:$redis_port"  "$ENCRYPTION_KEY_ARG" \
  --portcullis.bootstrap.clients[0].id=legit --portcullis.bootstrap.clients[0].name=Legit \
  --portcullis.bootstrap.clients[0].secret=legit-client-secret \
  --portcullis.bootstrap.clients[0].grant-types=client_credentials \
  --logging.level.root=WARN > "$work/gateway.log" 2>&1 & pids+=($!)
wait_port "$gateway_port"
wait_ready "$management_port"
token_url="http://127.0.0.1:$gateway_port/Api/access_token"

# one legitimate token request from 127.0.0.2: its total time in ms, or its status when it failed
legit() {
  taskset -c "$CLIENT_CPU" curl -s -o /dev/null --interface 127.0.0.2 -w '%{http_code} %{time_total}\n' "$token_url" \
    -d grant_type=client_credentials -d client_id=legit -d client_secret=legit-client-secret
}
samples() { # count, out-file: one request every 100 ms
  for _ in $(seq "$1"); do legit >> "$2"; sleep 0.1; done
}
summary() { # file -> "median p90 (n, non-200)"
  python3 - "$1" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
ok = sorted(float(t) * 1000 for s, t in rows if s == "200")
bad = sum(1 for s, _ in rows if s != "200")
pick = lambda q: ok[min(len(ok) - 1, int(q * len(ok)))] if ok else float("nan")
print("%.1f %.1f %d %d" % (pick(0.5), pick(0.9), len(rows), bad))
PY
}

# warm-up: the JIT and the verified-secret cache, as a busy client has them
for _ in $(seq 200); do legit > /dev/null; done
samples "$SAMPLES" "$work/quiet"

cat > "$work/flood.lua" <<'LUA'
-- token requests with a new unknown client id each; answers counted by status
counts = {}
local threads = {}
setup = function(thread) table.insert(threads, thread) end
init = function() math.randomseed(os.time() + math.random(1000)) end
request = function()
  local id = string.format("unknown-%08x%08x", math.random(0, 0x7fffffff), math.random(0, 0x7fffffff))
  return wrk.format("POST", nil, { ["Content-Type"] = "application/x-www-form-urlencoded" },
    "grant_type=client_credentials&client_id=" .. id .. "&client_secret=guess")
end
response = function(status) counts[status] = (counts[status] or 0) + 1 end
done = function()
  local total = {}
  for _, thread in ipairs(threads) do
    for _, status in ipairs({ 200, 401, 429, 503 }) do
      total[status] = (total[status] or 0) + (thread:get("counts")[status] or 0)
    end
  end
  io.write(string.format("flood answers: 401 %d, 429 %d, 503 %d, 200 %d\n", total[401], total[429], total[503], total[200]))
end
LUA
taskset -c "$CLIENT_CPU" wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$work/flood.lua" "$token_url" > "$work/wrk.out" &
wrk_pid=$!
sleep 1
samples "$SAMPLES" "$work/flooded" &
sampler=$!
wait "$wrk_pid"
wait "$sampler" || true

read -r q50 q90 qn qbad < <(summary "$work/quiet")
read -r f50 f90 fn fbad < <(summary "$work/flooded")
echo "Portcullis token endpoint under a flood of unknown client ids, $(date -u +%Y-%m-%dT%H:%MZ), gateway and Redis on CPU $SERVER_CPU"
echo "flood: wrk -t2 -c$CONNECTIONS -d$DURATION from 127.0.0.1, a new unknown client id per request"
grep "Requests/sec" "$work/wrk.out" | sed 's/^/flood /'
grep -A4 "Latency Distribution" "$work/wrk.out" | sed 's/^/flood /'
grep "flood answers" "$work/wrk.out"
printf '%-46s %10s %10s %8s %8s\n' "legitimate client_credentials (127.0.0.2)" "p50 ms" "p90 ms" "samples" "non-200"
printf '%-46s %10s %10s %8s %8s\n' "no flood" "$q50" "$q90" "$qn" "$qbad"
printf '%-46s %10s %10s %8s %8s\n' "during the flood" "$f50" "$f90" "$fn" "$fbad"
python3 -c "import sys; q,f=float(sys.argv[1]),float(sys.argv[2]); r=f/q; print('ratio (p50 flooded / quiet): %.2f  target <= 2: %s' % (r, 'met' if r <= 2 else 'not met'))" "$q50" "$f50"
