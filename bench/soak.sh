#!/usr/bin/env bash
# Redis failing as it does in production (issue 12): two gateway replicas on one Redis (append-only file) and the
# static upstream; tokens issued at the start; then DURATION seconds of load (bench/SoakClient.java: CONNECTIONS threads,
# proxied GETs with those tokens and one token request in ten, alternating between the replicas, paced at RATE) while Redis is
# killed (-9) for OUTAGE seconds and restarted on the same AOF, and later replica B is killed (-9) and restarted.
# Prints: the answers by status and phase, the latency of the 503s while Redis was down (p50/p99/max), stack
# traces in either gateway log, whether every early token still works at both replicas; exits non-zero when a check
# fails (an answer other than 200 or 503, a stack trace, a dead early token, the 503s' p99 over 50 ms).
#   ./mvnw -DskipTests package && bash bench/soak.sh     (DURATION=240 CONNECTIONS=16 RATE=400 OUTAGE=10 TOKENS=20 to change)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-240}
CONNECTIONS=${CONNECTIONS:-16}
RATE=${RATE:-400}      # requests/s for all threads together; 0 = as fast as answered (saturates 2 cores)
OUTAGE=${OUTAGE:-10}
TOKENS=${TOKENS:-20}
REDIS_DOWN_AT=${REDIS_DOWN_AT:-60}
REPLICA_DOWN_AT=${REPLICA_DOWN_AT:-140}
SERVER_CPU=${SERVER_CPU:-0,1}

. bench/common.sh
need redis-server redis-server
need curl curl
need nginx nginx
need openssl openssl
ensure_jar

begin_work
# the gateways are restarted under other pids: stop whatever runs at exit
stop_all() {
  local status=$?
  [ "$status" = 0 ] || tail -n 20 "$work"/gateway-*.log "$work/redis.log" 2>/dev/null || true
  kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null || true
  end_work
}
trap stop_all EXIT

redis_port=$(free_port); upstream_port=$(free_port)
port_a=$(free_port); port_b=$(free_port); management_a=$(free_port); management_b=$(free_port)
namespace="soak-$(date +%s)"
mkdir -p "$work/redis"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/signing.pem" 2>/dev/null

start_redis_aof() {
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly yes --dir "$work/redis" \
    --daemonize no --logfile "$work/redis.log" & echo $! > "$work/redis.pid"
  disown   # killed on purpose: no "Killed" notice from the shell
  wait_port "$redis_port"
}
start_gateway() { # name, port, management port
  java -jar "$jar" --server.port="$2" --management.server.port="$3" \
    --spring.data.redis.url="redis://127.0.0.1:$redis_port" --spring.data.redis.timeout=2s \
    --portcullis.redis.namespace="$namespace" --portcullis.upstream.uri="http://127.0.0.1:$upstream_port" \
    --portcullis.signing.private-key-location="file:$work/signing.pem" \
    --portcullis.bootstrap.clients[0].id=soak --portcullis.bootstrap.clients[0].name=Soak \
    --portcullis.bootstrap.clients[0].secret=soak-secret --portcullis.bootstrap.clients[0].grant-types=client_credentials \
    --portcullis.bootstrap.clients[0].access-token-ttl=2h \
    --portcullis.bootstrap.clients[1].id=soak-load --portcullis.bootstrap.clients[1].name="Soak load" \
    --portcullis.bootstrap.clients[1].secret=soak-secret --portcullis.bootstrap.clients[1].grant-types=client_credentials \
    >> "$work/gateway-$1.log" 2>&1 & echo $! > "$work/gateway-$1.pid"
  disown
}
# a cold JVM on a busy machine, or under the full load, takes longer than wait_ready's minute
ready() { for _ in $(seq 4); do wait_ready "$1" 2>/dev/null && return 0; done; echo "not ready: management port $1" >&2; return 1; }
millis() { date +%s%3N; }
early_token() {
  curl -sf "http://127.0.0.1:$port_a/Api/access_token" -d grant_type=client_credentials -d client_id=soak \
    -d client_secret=soak-secret | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}

start_redis_aof
start_upstream "$upstream_port"
# together, as a new installation's replicas start: both bootstrap the empty Redis at the same moment
start_gateway a "$port_a" "$management_a"
start_gateway b "$port_b" "$management_b"
wait_port "$upstream_port"; wait_port "$port_a"; ready "$management_a"
wait_port "$port_b"; ready "$management_b"

for _ in $(seq "$TOKENS"); do early_token; done > "$work/tokens"
for port in "$port_a" "$port_b"; do
  curl -sf -o /dev/null -H "Authorization: Bearer $(head -1 "$work/tokens")" "http://127.0.0.1:$port/Api/V8/module/Accounts"
done

# the load's token requests are another client's: a client keeps at most 1,000 grants, and the load's would evict
# the early tokens' (revoked, 401) within half a minute
java bench/SoakClient.java "$DURATION" "$CONNECTIONS" "$RATE" "$work/answers" "$work/tokens" soak-load soak-secret \
  "http://127.0.0.1:$port_a" "http://127.0.0.1:$port_b" > "$work/client.out" & client=$!
load_started=$(millis)

sleep "$REDIS_DOWN_AT"
redis_killed=$(millis)
kill -9 "$(cat "$work/redis.pid")"
sleep "$OUTAGE"
start_redis_aof
redis_back=$(millis)

sleep $((REPLICA_DOWN_AT - REDIS_DOWN_AT - OUTAGE))
replica_killed=$(millis)
kill -9 "$(cat "$work/gateway-b.pid")"
sleep 1
start_gateway b "$port_b" "$management_b"
ready "$management_b"
replica_back=$(millis)

wait "$client"
load_ended=$(millis)

# every token issued before the faults, at both replicas
early_ok=0; early_bad=0
while read -r token; do
  for port in "$port_a" "$port_b"; do
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "http://127.0.0.1:$port/Api/V8/module/Accounts")
    if [ "$status" = 200 ]; then early_ok=$((early_ok + 1)); else early_bad=$((early_bad + 1)); fi
  done
done < "$work/tokens"

traces_a=$(grep -cE '^\s+at ' "$work/gateway-a.log" || true)
traces_b=$(grep -cE '^\s+at ' "$work/gateway-b.log" || true)
errors_a=$(grep -c ' ERROR ' "$work/gateway-a.log" || true)
errors_b=$(grep -c ' ERROR ' "$work/gateway-b.log" || true)

echo "Portcullis soak (issue 12), $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores; $(redis-server --version | cut -d' ' -f1-3)"
echo "two replicas (A :$port_a, B :$port_b) on one Redis (appendonly yes), spring.data.redis.timeout=2s;"
echo "load: $CONNECTIONS threads for ${DURATION}s, at most $RATE requests/s, 9/10 proxied GETs with $TOKENS early tokens, 1/10 client_credentials, alternating replicas"
echo "faults: Redis kill -9 at +$(( (redis_killed - load_started) / 1000 ))s, back (restarted on its AOF) at +$(( (redis_back - load_started) / 1000 ))s;" \
  "replica B kill -9 at +$(( (replica_killed - load_started) / 1000 ))s, restarted and ready at +$(( (replica_back - load_started) / 1000 ))s"
cat "$work/client.out"
python3 - "$work/answers" "$load_started" "$redis_killed" "$redis_back" "$replica_killed" "$replica_back" \
  "$early_ok" "$early_bad" "$traces_a" "$traces_b" "$errors_a" "$errors_b" <<'PY'
import sys
from collections import Counter
path, start, down, back, rkill, rback = sys.argv[1], *map(int, sys.argv[2:7])
early_ok, early_bad, traces_a, traces_b, errors_a, errors_b = map(int, sys.argv[7:13])
rows = [line.split() for line in open(path) if line.strip()]
def phase(t):
    if t < down: return "1 before"
    if t < back: return "2 Redis down"
    if t < rkill: return "3 Redis back"
    if t < rback: return "4 replica B down"
    return "5 after"
counts = {}
for t, replica, kind, status, micros in rows:
    counts.setdefault(phase(int(t)), Counter())[(kind, status)] += 1
print("\nanswers by phase (P = proxied GET, T = token request; status 0 = connection broken by the replica's kill):")
for name in sorted(counts):
    c = counts[name]
    print("  %-17s %s" % (name, ", ".join("%s %s: %d" % (k, s, n) for (k, s), n in sorted(c.items()))))
total = Counter()
for c in counts.values():
    for (kind, status), n in c.items(): total[status] += n
print("all answers: " + ", ".join("%s: %d" % (s, n) for s, n in sorted(total.items())))
outage = sorted(int(m) / 1000 for t, r, k, s, m in rows if s == "503" and down <= int(t) < back)
pick = lambda q: outage[min(len(outage) - 1, int(q * len(outage)))] if outage else float("nan")
print("503s while Redis was down: %d in %.1f s, latency ms p50 %.1f p99 %.1f max %.1f"
      % (len(outage), (back - down) / 1000, pick(0.5), pick(0.99), outage[-1] if outage else float("nan")))
def quantiles(values):
    values = sorted(values)
    q = lambda p: values[min(len(values) - 1, int(p * len(values)))]
    return "p50 %.1f p99 %.1f" % (q(0.5), q(0.99)) if values else "-"
print("the outage's 503s by kind: proxied GET %s; token request %s" % tuple(quantiles(
    [int(m) / 1000 for t, r, k, s, m in rows if s == "503" and k == kind and down <= int(t) < back]) for kind in "PT"))
print("for comparison, the 200s' latency in ms by phase: " + "; ".join("%s %s" % (name[2:], quantiles(
    [int(m) / 1000 for t, r, k, s, m in rows if s == "200" and phase(int(t)) == name])) for name in sorted(counts)))
print("the outage's 503s by second: " + "; ".join("+%ds %s" % (second, quantiles(
    [int(m) / 1000 for t, r, k, s, m in rows if s == "503" and down + second * 1000 <= int(t) < min(back, down + (second + 1) * 1000)]))
    for second in range(0, (back - down + 999) // 1000)))
print("stack-trace lines in the logs: A %d, B %d; ERROR lines: A %d, B %d" % (traces_a, traces_b, errors_a, errors_b))
print("early tokens valid afterwards: %d of %d checks (each token at both replicas)" % (early_ok, early_ok + early_bad))
others = {s: n for s, n in total.items() if s not in ("200", "503", "0")}
failed = []
if others: failed.append("answers other than 200 and 503: %s" % others)
if traces_a or traces_b: failed.append("stack traces in the logs")
if early_bad: failed.append("%d early-token checks failed" % early_bad)
if not outage or pick(0.99) > 50: failed.append("p99 of the outage's 503s over 50 ms (or none)")
print("RESULT: " + ("PASS" if not failed else "FAIL: " + "; ".join(failed)))
sys.exit(1 if failed else 0)
PY
