#!/usr/bin/env bash
# EdDSA beside RS256 (issue 16): the JVM's raw signing rate of each (bench/SignRate.java), then Portcullis's
# client_credentials endpoint for a client left at RS256 and one set to EdDSA (portcullis.bootstrap.clients[n].
# signing-algorithm), the two targets taken in turn for ROUNDS rounds, medians shown, with the ratio the issue's target
# asks for (EdDSA tokens/s >= 4x RS256's). The keys are the ones Portcullis keeps in Redis (an RS256 and an Ed25519
# key): configured PEM keys are RSA only, and would give the EdDSA client RS256 tokens.
#   bash bench/eddsa.sh            (DURATION=15s ROUNDS=3 WARMUP_TOKEN=60s WARMUP_MAX=240s SIGN_SECONDS=10 THREADS=2
#                                   CONNECTIONS=32)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-15s}
ROUNDS=${ROUNDS:-3}
WARMUP_TOKEN=${WARMUP_TOKEN:-60s}   # each token target at least; then until it has settled, at most WARMUP_MAX
WARMUP_MAX=${WARMUP_MAX:-240s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
SERVER_CPU=${SERVER_CPU:-1}
CLIENT_CPU=${CLIENT_CPU:-0}
SIGN_SECONDS=${SIGN_SECONDS:-10}

. bench/common.sh
need wrk wrk
need redis-server redis-server
need openssl openssl

ensure_jar
begin_work

redis_port=$(free_port); gateway_port=$(free_port); management_port=$(free_port)

echo "EdDSA vs RS256, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, servers on CPU $SERVER_CPU, wrk on CPU $CLIENT_CPU;"
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $ROUNDS rounds in turn after a warm-up each (at least $WARMUP_TOKEN, until settled, at most $WARMUP_MAX), medians; java $(java -version 2>&1 | head -1); jar $(basename "$jar")"
echo

# --- raw signing rates on the server CPU, nothing else running
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/rsa.pem" 2>/dev/null
openssl genpkey -algorithm ed25519 -out "$work/ed25519.pem" 2>/dev/null
# the gateway signs EdDSA with Bouncy Castle (the jar's own copy); the JDK's Ed25519 shown beside it
unzip -q -j -o "$jar" 'BOOT-INF/lib/bcprov-*.jar' -d "$work/lib"
sign_rs=$(taskset -c "$SERVER_CPU" java bench/SignRate.java "$work/rsa.pem" 5 "$SIGN_SECONDS" RS256)
sign_ed=$(taskset -c "$SERVER_CPU" java -cp "$(echo "$work"/lib/bcprov-*.jar)" bench/SignRate.java "$work/ed25519.pem" 5 \
  "$SIGN_SECONDS" EdDSA)
sign_ed_jdk=$(taskset -c "$SERVER_CPU" java bench/SignRate.java "$work/ed25519.pem" 5 "$SIGN_SECONDS" EdDSA)
echo "JVM raw RS256 signing (bench/SignRate.java, 1 thread): $sign_rs"
echo "JVM raw EdDSA signing (bench/SignRate.java, 1 thread), as the gateway signs: $sign_ed"
echo "JVM raw EdDSA signing with the JDK's own Ed25519 (not used): $sign_ed_jdk"
echo

# --- Redis and Portcullis: two client_credentials clients, one per algorithm; the upstream is never called
start_redis "$redis_port"
taskset -c "$SERVER_CPU" java -jar "$jar" --server.port="$gateway_port" --management.server.port="$management_port" \
  --spring.data.redis.url="redis://127.0.0.1:$redis_port" --portcullis.upstream.uri="http://127.0.0.1:9" \
  "$ENCRYPTION_KEY_ARG" \
  --portcullis.bootstrap.clients[0].id=bench-rs --portcullis.bootstrap.clients[0].name="Bench RS256" \
  --portcullis.bootstrap.clients[0].secret=bench-secret --portcullis.bootstrap.clients[0].grant-types=client_credentials \
  --portcullis.bootstrap.clients[1].id=bench-ed --portcullis.bootstrap.clients[1].name="Bench EdDSA" \
  --portcullis.bootstrap.clients[1].secret=bench-secret --portcullis.bootstrap.clients[1].grant-types=client_credentials \
  --portcullis.bootstrap.clients[1].signing-algorithm=EdDSA \
  --logging.level.root=WARN ${GATEWAY_ARGS:-} > "$work/gateway.log" 2>&1 & pids+=($!)
gateway_pid=$!
wait_port "$gateway_port"
wait_ready "$management_port"

token_url="http://127.0.0.1:$gateway_port/Api/access_token"
for client in bench-rs bench-ed; do
  cat > "$work/$client.lua" <<LUA
wrk.method = "POST"
wrk.body = "grant_type=client_credentials&client_id=$client&client_secret=bench-secret"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
LUA
  alg=$(curl -sf "$token_url" -d grant_type=client_credentials -d client_id="$client" -d client_secret=bench-secret \
    | python3 -c 'import base64,json,sys; h=json.load(sys.stdin)["access_token"].split(".")[0]; print(json.loads(base64.urlsafe_b64decode(h + "==="))["alg"])')
  echo "$client signs $alg"
done
echo

ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$gateway_pid/stat"; }
run() { # client, duration -> "req/s cpu_us_per_request non2xx"
  local t0 t1 out
  t0=$(ticks)
  out=$(taskset -c "$CLIENT_CPU" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" -s "$work/$1.lua" "$token_url")
  t1=$(ticks)
  python3 - "$out" "$t0" "$t1" "$(getconf CLK_TCK)" <<'PY'
import re, sys
out, t0, t1, hz = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
total = int(re.search(r"(\d+) requests in", out).group(1))
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
print("%.1f %.0f %d" % (rps, (t1 - t0) / hz * 1e6 / max(total, 1), int(bad.group(1)) if bad else 0))
PY
}
# each client warmed for at least WARMUP_TOKEN, then until it has settled (bench/common.sh warm_up)
rate() { run "$1" "$2" | cut -d' ' -f1; }
for client in bench-rs bench-ed; do
  echo "warm-up $client: $(warm_up "$gateway_pid" "$WARMUP_TOKEN" "$WARMUP_MAX" rate "$client")"
done
echo
results=()
for round in $(seq "$ROUNDS"); do
  results+=("rs $(run bench-rs "$DURATION")")
  results+=("ed $(run bench-ed "$DURATION")")
done

python3 - "$sign_rs" "$sign_ed" "${results[@]}" <<'PY'
import re, statistics, sys
sign = [float(re.search(r"signatures/s ([\d.]+)", s).group(1)) for s in sys.argv[1:3]]
rows = {"rs": [], "ed": []}
for line in sys.argv[3:]:
    k, rps, cpu, bad = line.split()
    rows[k].append((float(rps), float(cpu), int(bad)))
med = {k: (statistics.median(r[0] for r in v), statistics.median(r[1] for r in v), sum(r[2] for r in v)) for k, v in rows.items()}
print("| target | tokens/s | CPU µs/token | non-2xx | raw signatures/s (1 thread) | endpoint / raw |")
print("|---|---:|---:|---:|---:|---:|")
for k, name, raw in (("rs", "client_credentials, RS256 client", sign[0]), ("ed", "client_credentials, EdDSA client", sign[1])):
    rps, cpu, bad = med[k]
    print("| %s | %.0f | %.0f | %d | %.0f | %.1f%% |" % (name, rps, cpu, bad, raw, 100 * rps / raw))
ratio = med["ed"][0] / med["rs"][0]
print()
print("EdDSA / RS256 at the endpoint: %.2fx (target >= 4x: %s); raw signing: %.1fx" % (ratio, "met" if ratio >= 4 else "not met", sign[1] / sign[0]))
print("rounds (req/s): RS256 %s; EdDSA %s" % ([r[0] for r in rows["rs"]], [r[0] for r in rows["ed"]]))
PY
