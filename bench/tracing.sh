#!/usr/bin/env bash
# Tracing's cost (issue 14), side by side in one run: the jar from before tracing, this build with tracing off (no OTLP
# endpoint, the default) and this build with tracing on (every request sampled, spans exported over OTLP to a local
# nginx that accepts and drops them). All three gateways run at once on one Redis (a namespace each), pinned with
# Redis and the upstream nginx to SERVER_CPU; wrk on CLIENT_CPU. Each target (the proxied GET with a valid token, and
# client_credentials tokens) gets one warm-up per gateway, then ROUNDS rounds in which every gateway is measured in
# turn, so that the load of the shared machine falls on all of them alike. Medians of the rounds, and ratios to
# "before"; the order of the gateways turns from round to round.
#   BEFORE_JAR=/tmp/portcullis-before-tracing.jar bash bench/tracing.sh | tee bench/results/<date>-tracing.txt
#   DURATION=10s ROUNDS=5 WARMUP=60s THREADS=2 CONNECTIONS=32 SAMPLING=1.0 to change; JAR= for the build measured;
#   VARIANTS="before off" for a subset
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-5}
WARMUP=${WARMUP:-60s}   # per gateway and target: a JVM on a shared core compiles for about a minute
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
SAMPLING=${SAMPLING:-1.0}
SERVER_CPU=${SERVER_CPU:-1}
CLIENT_CPU=${CLIENT_CPU:-0}
BEFORE_JAR=${BEFORE_JAR:?the jar to compare with, e.g. BEFORE_JAR=/tmp/portcullis-before-tracing.jar}

. bench/common.sh
need wrk wrk
need redis-server redis-server
need nginx nginx-light

ensure_jar

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for f in "$work/upstream.pid" "$work/sink.pid"; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work" || true
}
trap cleanup EXIT

redis_port=$(free_port); upstream_port=$(free_port); sink_port=$(free_port)
taskset -c "$SERVER_CPU" redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
  --daemonize no --logfile "$work/redis.log" & pids+=($!)
start_upstream "$upstream_port"

# the OTLP collector stand-in: answers every export with 200 and drops it (on the client's CPU: a collector runs
# elsewhere)
mkdir -p "$work/sink/logs"
cat > "$work/sink/nginx.conf" <<NGINX
worker_processes 1;
pid $work/sink.pid;
error_log $work/sink/logs/error.log;
events { worker_connections 256; }
http {
  access_log $work/sink/logs/access.log;
  client_body_buffer_size 4m;
  client_max_body_size 64m;
  server { listen 127.0.0.1:$sink_port; location = /v1/traces { return 200; } }
}
NGINX
taskset -c "$CLIENT_CPU" nginx -p "$work/sink" -c "$work/sink/nginx.conf"

read -r -a variants <<< "${VARIANTS:-before off on}"   # a subset with before, e.g. VARIANTS="before off"
declare -A jars=([before]="$BEFORE_JAR" [off]="$jar" [on]="$jar")
declare -A extra=([before]="" [off]=""
  [on]="--management.opentelemetry.tracing.export.otlp.endpoint=http://127.0.0.1:$sink_port/v1/traces --management.tracing.sampling.probability=$SAMPLING")
declare -A gateway_port management_port gateway_pid token
for v in "${variants[@]}"; do
  gateway_port[$v]=$(free_port); management_port[$v]=$(free_port)
  # shellcheck disable=SC2086
  taskset -c "$SERVER_CPU" java -jar "${jars[$v]}" --server.port="${gateway_port[$v]}" \
    --management.server.port="${management_port[$v]}" --spring.data.redis.url="redis://127.0.0.1:$redis_port" \
    --portcullis.redis.namespace="bench-$v" --portcullis.upstream.uri="http://127.0.0.1:$upstream_port"  "$ENCRYPTION_KEY_ARG" \
    --portcullis.bootstrap.clients[0].id=bench --portcullis.bootstrap.clients[0].name=Bench \
    --portcullis.bootstrap.clients[0].secret=bench-secret --portcullis.bootstrap.clients[0].grant-types=client_credentials \
    --portcullis.bootstrap.clients[0].access-token-ttl=2h \
    --portcullis.bootstrap.clients[1].id=bench-proxy --portcullis.bootstrap.clients[1].name="Bench proxy" \
    --portcullis.bootstrap.clients[1].secret=bench-proxy-secret --portcullis.bootstrap.clients[1].grant-types=client_credentials \
    --portcullis.bootstrap.clients[1].access-token-ttl=2h \
    --logging.level.root=WARN ${extra[$v]} > "$work/gateway-$v.log" 2>&1 & pids+=($!)
  gateway_pid[$v]=$!
  # one start at a time, and up to 5 minutes each: on a shared core a start can take minutes
  for i in $(seq 600); do
    curl -sf "http://127.0.0.1:${management_port[$v]}/actuator/health/readiness" >/dev/null && break
    kill -0 "${gateway_pid[$v]}" 2>/dev/null && [ "$i" -lt 600 ] \
      || { echo "$v: the gateway did not become ready" >&2; tail -20 "$work/gateway-$v.log" >&2; exit 1; }
    sleep 0.5
  done
done
wait_port "$upstream_port"; wait_port "$sink_port"
accounts="/Api/V8/module/Accounts"
cat > "$work/cc.lua" <<'LUA'
wrk.method = "POST"
wrk.body = "grant_type=client_credentials&client_id=bench&client_secret=bench-secret"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
LUA
for v in "${variants[@]}"; do
  # the proxied target's token comes from a client of its own: the token target issues thousands for "bench", and a
  # client keeps at most 1,000 live grants
  token[$v]=$(curl -sf "http://127.0.0.1:${gateway_port[$v]}/Api/access_token" \
    -d "grant_type=client_credentials&client_id=bench-proxy&client_secret=bench-proxy-secret" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  curl -sf -o "$work/check.json" -H "Authorization: Bearer ${token[$v]}" "http://127.0.0.1:${gateway_port[$v]}$accounts" \
    || { echo "$v: the proxied request failed" >&2; tail -20 "$work/gateway-$v.log" >&2; exit 1; }
done

jvm_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }   # utime+stime, fields 14 and 15
wrk_run() { # variant, target, duration, out-file
  local args
  case $2 in
    proxied) args=(-H "Authorization: Bearer ${token[$1]}" "http://127.0.0.1:${gateway_port[$1]}$accounts") ;;
    token) args=(-s "$work/cc.lua" "http://127.0.0.1:${gateway_port[$1]}/Api/access_token") ;;
  esac
  taskset -c "$CLIENT_CPU" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$3" --latency "${args[@]}" > "$4"
}

echo "Portcullis tracing cost, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores; gateways, Redis and the upstream on CPU $SERVER_CPU,"
echo "wrk -t$THREADS -c$CONNECTIONS on CPU $CLIENT_CPU; warm-up $WARMUP per gateway and target, then $ROUNDS rounds of $DURATION, gateways in turn"
echo "before: $BEFORE_JAR; off: $jar (no OTLP endpoint); on: $jar, sampling $SAMPLING, OTLP/HTTP to a local nginx that drops"
echo
targets=(proxied token)
for t in "${targets[@]}"; do for v in "${variants[@]}"; do
  echo "warm-up $v $t ($WARMUP)" >&2; wrk_run "$v" "$t" "$WARMUP" /dev/null
done; done
clk=$(getconf CLK_TCK)
for r in $(seq "$ROUNDS"); do
  # each round starts with the next gateway, so that none is always measured right after the same other one
  n=${#variants[@]}; order=("${variants[@]:$((r % n))}" "${variants[@]:0:$((r % n))}")
  for t in "${targets[@]}"; do for v in "${order[@]}"; do
    echo "round $r: $v $t" >&2
    before=$(jvm_ticks "${gateway_pid[$v]}")
    wrk_run "$v" "$t" "$DURATION" "$work/wrk.$v.$t.$r"
    echo $(($(jvm_ticks "${gateway_pid[$v]}") - before)) > "$work/cpu.$v.$t.$r"
  done; done
done
for v in "${variants[@]}"; do
  kill -0 "${gateway_pid[$v]}" 2>/dev/null || { echo "$v: the gateway died" >&2; tail -20 "$work/gateway-$v.log" >&2; exit 1; }
done

exports=$(grep -c 'POST /v1/traces HTTP/1.1" 200' "$work/sink/logs/access.log" 2>/dev/null || true)

python3 - "$work" "$ROUNDS" "$clk" "${variants[@]}" <<'PY'
import re, statistics, sys
work, rounds, clk = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
unit = {"us": 1e-3, "ms": 1.0, "s": 1e3}
ms = lambda v: float(re.match(r"([\d.]+)", v).group(1)) * unit[re.match(r"[\d.]+(\D+)$", v).group(1)]
variants, targets = sys.argv[4:], {"proxied": "proxied GET, valid token", "token": "client_credentials token"}
rows = {}
for t in targets:
    for v in variants:
        per = []
        for r in range(1, rounds + 1):
            out = open(f"{work}/wrk.{v}.{t}.{r}").read()
            n = int(re.search(r"(\d+) requests in", out).group(1))
            non2xx = int((re.search(r"Non-2xx or 3xx responses: (\d+)", out) or [0, 0])[1])
            per.append(dict(rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
                            p50=ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
                            p99=ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)), non2xx=non2xx,
                            cpu=int(open(f"{work}/cpu.{v}.{t}.{r}").read()) * 1e6 / clk / max(n, 1)))
        rows[t, v] = {f: statistics.median(p[f] for p in per) for f in per[0]} | {"rounds": per}
hdr = "%-26s %-7s %9s %8s %8s %8s %10s %9s %9s" % ("target", "gateway", "req/s", "p50 ms", "p99 ms", "non-2xx",
      "cpu us/r", "rps/before", "cpu/before")
print(hdr); print("-" * len(hdr))
for t, name in targets.items():
    b = rows[t, "before"]
    for v in variants:
        x = rows[t, v]
        print("%-26s %-7s %9.0f %8.2f %8.2f %8d %10.1f %9.3f %9.3f" % (name, v, x["rps"], x["p50"], x["p99"], x["non2xx"],
              x["cpu"], x["rps"] / b["rps"], x["cpu"] / b["cpu"]))
print()
print("Per round (req/s | cpu us/req), gateways in turn within each round:")
for t, name in targets.items():
    for v in variants:
        print("  %-26s %-7s %s" % (name, v, "  ".join("%7.0f | %6.1f" % (p["rps"], p["cpu"]) for p in rows[t, v]["rounds"])))
print()
print("cpu us/r: the gateway JVM's utime+stime (/proc/<pid>/stat) during the round over the requests wrk completed;")
print("the upstream nginx and Redis share its CPU but are not counted. Ratios: the median divided by before's median.")
PY
if [[ " ${variants[*]} " == *" on "* ]]; then
  echo "OTLP exports the sink accepted from 'on' (batches of up to 512 spans): $exports"
fi
