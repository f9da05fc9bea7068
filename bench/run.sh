#!/usr/bin/env bash
# The benchmark suite (issue 7). One machine, loopback only, bounded durations. Starts Redis, a static upstream (nginx
# serving a ~1 KB JSON:API body for GET /Api/V8/module/Accounts), a plain nginx reverse proxy to it, HAProxy 2.6 with
# jwt_verify RS256 + exp check in front of it, and Portcullis (packaged jar) with its default route to it. Servers are
# pinned to SERVER_CPU, wrk to CLIENT_CPU. Each target gets one warm-up, then ROUNDS rounds taken in turn (every
# target once per round, each JVM target after WARM_SLICE of its load unmeasured); the table shows the median of the
# rounds, column by column. Issue 16's ratios against the SCG peers come from PAIRS slices of PAIR_SLICE taken in turn
# after the rounds (see below).
# The same Portcullis-issued token (RS256, from a PEM key made here) goes through HAProxy and Portcullis.
# Two Spring Cloud Gateway peers on Portcullis's Spring Boot and Spring Cloud versions (bench/scg-plain: one route to the
# upstream, no security; bench/scg-resource-server: the same route behind Spring Security's oauth2ResourceServer(jwt)
# with the public key, which accepts the same token), built once with ./mvnw -f and started like Portcullis;
# SCG=0 skips them.
# Keycloak (bench/keycloak.sh: keycloak-quarkus-dist from Maven Central, cached, production mode on Temurin 25, pinned
# like the others) is measured on its token endpoint with the same client_credentials and password-grant requests;
# KEYCLOAK=0 skips it.
#   bash bench/run.sh | tee bench/results/$(date -u +%F).txt
#   DURATION=15s ROUNDS=3 WARMUP=60s WARMUP_TOKEN=60s WARMUP_MAX=240s WARMUP_SLICE=15s WARMUP_STATIC=5s THREADS=2
#   CONNECTIONS=32 WARM_SLICE=5s PAIRS=10 PAIR_SLICE=5s to change
# Each JVM target is warmed for at least its WARMUP and then until it has settled (bench/common.sh warm_up: the JIT
# compiler under 2 % of a slice, the rate no longer climbing), at most WARMUP_MAX; the run prints what each took.
#   SCG=0, SCG_START_TIMEOUT=180, KEYCLOAK=0, KEYCLOAK_WARMUP (first Keycloak target, default WARMUP), KEYCLOAK_VERSION,
#   KEYCLOAK_START_TIMEOUT=180
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-15s}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-60s}                # first Portcullis target and each Spring Cloud Gateway peer: a one-core JVM
                                     # compiles for a long time
WARMUP_TOKEN=${WARMUP_TOKEN:-60s}    # each token-endpoint target: a one-core JVM compiles its paths for a minute
WARMUP_MAX=${WARMUP_MAX:-240s}       # the longest warm-up of a JVM target that has not settled
WARMUP_STATIC=${WARMUP_STATIC:-5s}   # nginx, HAProxy
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
WRK_TIMEOUT=${WRK_TIMEOUT:-10s}      # the password grant (an Argon2id hash per request) queues for seconds at 32 connections
SERVER_CPU=${SERVER_CPU:-1}
CLIENT_CPU=${CLIENT_CPU:-0}
WARM_SLICE=${WARM_SLICE:-5s}         # unmeasured load on a JVM target just before each of its rounds
PAIRS=${PAIRS:-10}                   # issue 16's paired slices (Portcullis, plain SCG, SCG resource server in turn)
PAIR_SLICE=${PAIR_SLICE:-5s}
SIGN_SECONDS=${SIGN_SECONDS:-10}
SIGN_SECONDS_ROUND=${SIGN_SECONDS_ROUND:-5}   # the raw signing rate taken again before each client_credentials round
KEYCLOAK=${KEYCLOAK:-1}              # 0: Keycloak is not measured
SCG=${SCG:-1}                        # 0: the Spring Cloud Gateway peers are not measured
SCG_START_TIMEOUT=${SCG_START_TIMEOUT:-180}   # seconds for each peer to open its port (both start at once on one core)
KEYCLOAK_WARMUP=${KEYCLOAK_WARMUP:-$WARMUP}   # first Keycloak target: its JVM is as cold as Portcullis's

. bench/common.sh
need wrk wrk
need redis-server redis-server
need nginx nginx-light
need haproxy haproxy
need openssl openssl

ensure_jar
if [ "$SCG" = 1 ]; then
  ensure_scg_jar scg-plain; scg_plain_jar=$scg_jar
  ensure_scg_jar scg-resource-server; scg_rs_jar=$scg_jar
fi

work=$(mktemp -d)
pids=()
cleanup() {
  kc_stop 2>/dev/null || true   # waits for Keycloak's JVM to exit before its H2 file goes
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for f in "$work/upstream.pid" "$work/proxy.pid"; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  wait 2>/dev/null || true   # Redis (slower to stop with 100,000 tokens) writes its log as it exits
  rm -rf "$work"
}
trap cleanup EXIT
. bench/keycloak.sh
# utime+stime (clock ticks) of the given processes and their direct children (nginx/haproxy workers)
ticks() {
  local all=() p
  for p in "$@"; do all+=("$p"); all+=($(pgrep -P "$p" || true)); done
  for p in "${all[@]}"; do cat "/proc/$p/stat" 2>/dev/null || true; done \
    | awk '{ sub(/^.*\) /, ""); s += $12 + $13 } END { print s + 0 }'   # fields 14,15 after stripping "pid (comm) "
}

redis_port=$(free_port); upstream_port=$(free_port); proxy_port=$(free_port); haproxy_port=$(free_port)
gateway_port=$(free_port); management_port=$(free_port)
accounts="/Api/V8/module/Accounts"

# keys: Portcullis signs with the private key, HAProxy verifies with the public one
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/signing.pem" 2>/dev/null
openssl pkey -in "$work/signing.pem" -pubout -out "$work/signing.pub.pem"

kc_header="Keycloak: skipped (KEYCLOAK=0)"
if [ "$KEYCLOAK" = 1 ]; then
  kc_t0=$SECONDS; kc_fetch; kc_fetch_seconds=$((SECONDS - kc_t0))
  kc_header="Keycloak $kc_version (keycloak-quarkus-dist, kc.sh start --optimized, dev-file H2, local caches) on $kc_java"
fi

echo "Portcullis benchmark suite, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)),"
echo "servers on CPU $SERVER_CPU, wrk on CPU $CLIENT_CPU; wrk -t$THREADS -c$CONNECTIONS -d$DURATION --timeout $WRK_TIMEOUT, $ROUNDS rounds in turn, medians shown"
echo "warm-up per JVM target: at least the figure given, then until settled, at most $WARMUP_MAX, in slices of ${WARMUP_SLICE:-15s}; per target: $WARMUP (first Portcullis target$([ "$SCG" = 1 ] && echo ", each Spring Cloud Gateway peer")), $WARMUP_TOKEN (token endpoint), $WARMUP_STATIC (nginx, HAProxy)$([ "$KEYCLOAK" = 1 ] && echo ", $KEYCLOAK_WARMUP (first Keycloak target)")"
echo "before each round of a JVM target, $WARM_SLICE of its load unmeasured$([ "$SCG" = 1 ] && echo "; after the rounds, $PAIRS paired slices of $PAIR_SLICE (Portcullis, plain SCG, SCG resource server in turn)")"
echo "$(nginx -v 2>&1); $(haproxy -v | head -1 | cut -d' ' -f1-3); $(redis-server --version | cut -d' ' -f1-3); $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2);"
echo "java $(java -version 2>&1 | head -1); jar $(basename "$jar");"
[ "$SCG" = 1 ] && echo "Spring Cloud Gateway peers: Spring Boot/Cloud $(boot_cloud_versions bench/scg-plain/pom.xml | sed 's| |/|') (bench/scg-plain, bench/scg-resource-server), same java"
echo "$kc_header"
echo

# --- raw RS256 signing rate of the JVM on the server CPU (nothing else is running yet)
sign=$(taskset -c "$SERVER_CPU" java bench/SignRate.java "$work/signing.pem" 5 "$SIGN_SECONDS")
echo "JVM raw RS256 signing (bench/SignRate.java, 1 thread, CPU $SERVER_CPU, ${SIGN_SECONDS}s after 5s warm-up): $sign"
echo

# --- password hash cost and memory with many live tokens: bench/memory.sh (hash_rate, password_share, memory_run)
source bench/memory.sh
hash=$(hash_rate)
echo "password verification (bench/HashRate.java, PasswordHasher, 1 thread, CPU $SERVER_CPU, ${HASH_SECONDS}s after 3s warm-up): $hash"
echo

# --- Redis
taskset -c "$SERVER_CPU" redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
  --daemonize no --logfile "$work/redis.log" & pids+=($!)
redis_pid=$!

# --- static upstream: nginx, ~1 KB JSON:API body
start_upstream "$upstream_port"
mkdir -p "$work/proxy/logs"

# --- plain nginx reverse proxy (own instance, so its CPU is its own), keep-alive to the upstream
cat > "$work/proxy/nginx.conf" <<NGINX
worker_processes 1;
pid $work/proxy.pid;
error_log $work/proxy/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  upstream app { server 127.0.0.1:$upstream_port; keepalive 64; }
  server {
    listen 127.0.0.1:$proxy_port;
    location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
NGINX
taskset -c "$SERVER_CPU" nginx -p "$work/proxy" -c "$work/proxy/nginx.conf"

# --- HAProxy 2.6: jwt_verify RS256 with the public key, then exp; no request log (as nginx access_log off, Portcullis WARN)
cat > "$work/haproxy.cfg" <<'HAP'
global
    nbthread 1
defaults
    mode http
    timeout connect 2s
    timeout client  30s
    timeout server  30s
frontend api
    bind "${LISTEN}"
    http-request deny deny_status 401 unless { http_auth_bearer -m found }
    http-request set-var(txn.bearer) http_auth_bearer
    http-request set-var(txn.alg) var(txn.bearer),jwt_header_query('$.alg')
    http-request deny deny_status 401 unless { var(txn.alg) -m str RS256 }
    http-request deny deny_status 401 unless { var(txn.bearer),jwt_verify(txn.alg,"${JWT_PUBKEY}") -m int 1 }
    http-request set-var(txn.now) date()
    http-request set-var(txn.exp) var(txn.bearer),jwt_payload_query('$.exp','int')
    http-request deny deny_status 401 unless { var(txn.exp) -m found }
    http-request set-var(txn.ttl) var(txn.exp),sub(txn.now)
    http-request deny deny_status 401 if { var(txn.ttl) -m int lt 1 }
    default_backend app
backend app
    server s1 "${BACKEND}"
HAP
JWT_PUBKEY="$work/signing.pub.pem" LISTEN="127.0.0.1:$haproxy_port" BACKEND="127.0.0.1:$upstream_port" \
  taskset -c "$SERVER_CPU" haproxy -db -f "$work/haproxy.cfg" > "$work/haproxy.log" 2>&1 & pids+=($!)
haproxy_pid=$!

# --- Portcullis, default route to the upstream, one client with both grants, password-grant users (Argon2id, the default)
taskset -c "$SERVER_CPU" java -jar "$jar" --server.port="$gateway_port" --management.server.port="$management_port" \
  --spring.data.redis.url="redis://127.0.0.1:$redis_port" --portcullis.upstream.uri="http://127.0.0.1:$upstream_port" \
  --portcullis.signing.private-key-location="file:$work/signing.pem" \
  --portcullis.bootstrap.users[0].username=bench-user --portcullis.bootstrap.users[0].password=bench-user-password \
  "${memory_admin_args[@]}" $(password_user_args 2) \
  --portcullis.bootstrap.clients[0].id=bench --portcullis.bootstrap.clients[0].name=Bench \
  --portcullis.bootstrap.clients[0].secret=bench-secret \
  --portcullis.bootstrap.clients[0].grant-types=client_credentials,password \
  --portcullis.bootstrap.clients[0].access-token-ttl=2h \
  --portcullis.bootstrap.clients[1].id=bench-proxy --portcullis.bootstrap.clients[1].name="Bench proxy" \
  --portcullis.bootstrap.clients[1].secret=bench-proxy-secret --portcullis.bootstrap.clients[1].grant-types=client_credentials \
  --portcullis.bootstrap.clients[1].access-token-ttl=2h "${memory_client_args[@]}" \
  --logging.level.root=WARN ${GATEWAY_ARGS:-} > "$work/gateway.log" 2>&1 & pids+=($!)
gateway_pid=$!
# --- the floor: Reactor Netty alone (Portcullis's HTTP server and client), forwarding with no check (bench/NettyProxy.java)
# (its class path is the jar's own libraries, extracted by hash_rate above)
netty_port=$(free_port)
taskset -c "$SERVER_CPU" java -Dreactor.netty.ioWorkerCount=1 -Dreactor.netty.http.server.lastFlushWhenNoRead=true \
  -cp "$work/extracted/lib/*" bench/NettyProxy.java "$netty_port" "http://127.0.0.1:$upstream_port" \
  > "$work/netty.log" 2>&1 & pids+=($!)
netty_pid=$!
wait_port "$upstream_port"; wait_port "$proxy_port"; wait_port "$haproxy_port"; wait_port "$gateway_port"
wait_port "$netty_port"
wait_ready "$management_port"
# --- the Spring Cloud Gateway peers: the same java, pinning and log level as Portcullis, and the two Reactor Netty
# settings Portcullis makes for itself (PortcullisApplication: one event loop per core, the keep-alive stall's
# workaround), so that the rows compare the stacks on the same event loops; started once Portcullis is ready, so that
# its start-up time is as before
if [ "$SCG" = 1 ]; then
  scg_port=$(free_port); scg_rs_port=$(free_port)
  scg_java=(taskset -c "$SERVER_CPU" java -Dreactor.netty.ioWorkerCount="$(taskset -c "$SERVER_CPU" nproc)"
    -Dreactor.netty.http.server.lastFlushWhenNoRead=true)
  "${scg_java[@]}" -jar "$scg_plain_jar" --server.port="$scg_port" --bench.upstream-uri="http://127.0.0.1:$upstream_port" \
    --logging.level.root=WARN > "$work/scg.log" 2>&1 & pids+=($!)
  scg_pid=$!
  "${scg_java[@]}" -jar "$scg_rs_jar" --server.port="$scg_rs_port" --bench.upstream-uri="http://127.0.0.1:$upstream_port" \
    --spring.security.oauth2.resourceserver.jwt.public-key-location="file:$work/signing.pub.pem" \
    --logging.level.root=WARN > "$work/scg-rs.log" 2>&1 & pids+=($!)
  scg_rs_pid=$!
  wait_port "$scg_port" "$SCG_START_TIMEOUT" || { tail -20 "$work/scg.log" >&2; exit 1; }
  wait_port "$scg_rs_port" "$SCG_START_TIMEOUT" || { tail -20 "$work/scg-rs.log" >&2; exit 1; }
fi

token_url="http://127.0.0.1:$gateway_port/Api/access_token"
cc_body="grant_type=client_credentials&client_id=bench&client_secret=bench-secret"
pw_body="grant_type=password&client_id=bench&client_secret=bench-secret&username=bench-user&password=bench-user-password"
cat > "$work/cc.lua" <<LUA
wrk.method = "POST"
wrk.body = "$cc_body"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
LUA
password_lua bench bench-secret > "$work/pw.lua"
# Keycloak has the one user bench-user (bench/keycloak.sh): the single-user request, as before
cat > "$work/kc_pw.lua" <<LUA
wrk.method = "POST"
wrk.body = "$pw_body"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
LUA
# the proxied targets' token comes from a client of its own: the client_credentials target issues thousands of tokens
# for "bench", and a client keeps at most 1,000 live grants (portcullis.tokens.max-grants-per-client-and-subject)
token=$(curl -sf "$token_url" -H 'Content-Type: application/x-www-form-urlencoded' \
  -d "grant_type=client_credentials&client_id=bench-proxy&client_secret=bench-proxy-secret" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
curl -sf "$token_url" -H 'Content-Type: application/x-www-form-urlencoded' -d "$pw_body" >/dev/null \
  || { echo "password grant failed" >&2; tail -20 "$work/gateway.log" >&2; exit 1; }
check() { # name, url, expected status, curl args...
  local name=$1 url=$2 want=$3; shift 3
  local got; got=$(curl -s -o "$work/check.out" -w '%{http_code}' "$@" "$url")
  [ "$got" = "$want" ] || { echo "$name: expected $want, got $got: $(head -c 300 "$work/check.out")" >&2; exit 1; }
}
auth=(-H "Authorization: Bearer $token")
check "upstream" "http://127.0.0.1:$upstream_port$accounts" 200
check "nginx proxy" "http://127.0.0.1:$proxy_port$accounts" 200
check "HAProxy, Portcullis token" "http://127.0.0.1:$haproxy_port$accounts" 200 "${auth[@]}"
check "HAProxy, no token" "http://127.0.0.1:$haproxy_port$accounts" 401
check "HAProxy, tampered token" "http://127.0.0.1:$haproxy_port$accounts" 401 -H "Authorization: Bearer ${token%?????}AAAAA"
check "Portcullis, token" "http://127.0.0.1:$gateway_port$accounts" 200 "${auth[@]}"
check "Portcullis, no token" "http://127.0.0.1:$gateway_port$accounts" 401
check "Reactor Netty proxy" "http://127.0.0.1:$netty_port$accounts" 200
if [ "$SCG" = 1 ]; then
  check "plain Spring Cloud Gateway" "http://127.0.0.1:$scg_port$accounts" 200
  check "SCG resource server, Portcullis token" "http://127.0.0.1:$scg_rs_port$accounts" 200 "${auth[@]}"
  check "SCG resource server, no token" "http://127.0.0.1:$scg_rs_port$accounts" 401
  check "SCG resource server, tampered token" "http://127.0.0.1:$scg_rs_port$accounts" 401 -H "Authorization: Bearer ${token%?????}AAAAA"
fi
echo "checks: the same Portcullis token -> 200 through HAProxy$([ "$SCG" = 1 ] && echo ", the SCG resource server") and Portcullis; no/tampered token -> 401; body $(wc -c < "$work/www/Api/V8/module/Accounts") bytes"

# --- Keycloak, started once Portcullis is up (it idles while the others are measured; CPU is counted per target)
kc_summary=""; kc_hash=""; kc_hash_params=""
if [ "$KEYCLOAK" = 1 ]; then
  kc_start; kc_setup
  kc_summary="Keycloak $kc_server_version on Java $kc_java_version: fetched/built in ${kc_fetch_seconds}s, ready ${kc_start_seconds}s after start (pid $kc_pid)"
  echo "$kc_summary; client_credentials and password grant -> 200 with an RS256 access_token"
  echo "Keycloak password hash for bench-user: $kc_hash_params"
fi
echo

# targets: name | server pids (CPU measured) | warm-up | wrk args
names=("upstream direct (nginx)" "nginx reverse proxy" "HAProxy jwt_verify RS256+exp" "Portcullis, valid token"
  "Reactor Netty proxy, no check (floor)")
keys=(upstream nginx haproxy portcullis netty)
upstream_pid=$(cat "$work/upstream.pid"); proxy_pid=$(cat "$work/proxy.pid")
server_pids=("$upstream_pid" "$proxy_pid" "$haproxy_pid" "$gateway_pid" "$netty_pid")
warmups=("$WARMUP_STATIC" "$WARMUP_STATIC" "$WARMUP_STATIC" "$WARMUP" "$WARMUP_TOKEN")
if [ "$SCG" = 1 ]; then
  names+=("Spring Cloud Gateway, no security" "SCG + Security resource server RS256")
  keys+=(scg scg_rs)
  server_pids+=("$scg_pid" "$scg_rs_pid")
  warmups+=("$WARMUP" "$WARMUP")
fi
names+=("Portcullis token: client_credentials" "Portcullis token: password (Argon2id)")
keys+=(cc pw)
server_pids+=("$gateway_pid" "$gateway_pid")
warmups+=("$WARMUP_TOKEN" "$WARMUP_TOKEN")
if [ "$KEYCLOAK" = 1 ]; then
  names+=("Keycloak token: client_credentials" "Keycloak token: password ($kc_hash)")
  keys+=(kc_cc kc_pw)
  server_pids+=("$kc_pid" "$kc_pid")
  warmups+=("$KEYCLOAK_WARMUP" "$WARMUP_TOKEN")
fi
target_args() {
  case $1 in
    upstream) echo "http://127.0.0.1:$upstream_port$accounts" ;;
    nginx) echo "http://127.0.0.1:$proxy_port$accounts" ;;
    haproxy) echo "http://127.0.0.1:$haproxy_port$accounts" ;;
    portcullis) echo "http://127.0.0.1:$gateway_port$accounts" ;;
    netty) echo "http://127.0.0.1:$netty_port$accounts" ;;
    scg) echo "http://127.0.0.1:$scg_port$accounts" ;;
    scg_rs) echo "http://127.0.0.1:$scg_rs_port$accounts" ;;
    cc) echo "-s $work/cc.lua $token_url" ;;
    pw) echo "-s $work/pw.lua $token_url" ;;
    kc_cc) echo "-s $work/cc.lua $kc_token_url" ;;   # same client id and secret as Portcullis's
    kc_pw) echo "-s $work/kc_pw.lua $kc_token_url" ;;
  esac
}
wrk_run() { # key, duration, out-file
  # every proxy gets the token (the plain ones forward it unread), so all proxied requests are the same bytes
  local hdr=(); case $1 in haproxy|portcullis|netty|scg|scg_rs) hdr=("${auth[@]}") ;; esac
  # shellcheck disable=SC2046
  taskset -c "$CLIENT_CPU" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" --timeout "$WRK_TIMEOUT" --latency "${hdr[@]}" $(target_args "$1") > "$3"
}

measure() { # key, server pid, duration, name: wrk's output in $work/wrk.<name>, CPU ticks (server, Redis) in $work/cpu.<name>
  local before after rbefore rafter
  before=$(ticks "$2"); rbefore=$(ticks "$redis_pid")
  wrk_run "$1" "$3" "$work/wrk.$4"
  after=$(ticks "$2"); rafter=$(ticks "$redis_pid")
  echo "$((after - before)) $((rafter - rbefore))" > "$work/cpu.$4"
}
wrk_rate() { # key, duration -> req/s
  wrk_run "$1" "$2" "$work/warm-up.out"
  awk '/Requests\/sec/ {print $2}' "$work/warm-up.out"
}
for i in "${!keys[@]}"; do
  case ${keys[$i]} in
    upstream|nginx|haproxy)
      echo "warm-up ${names[$i]} (${warmups[$i]})" >&2
      wrk_run "${keys[$i]}" "${warmups[$i]}" /dev/null ;;
    *)
      echo "warm-up ${names[$i]} (at least ${warmups[$i]}, until settled, at most $WARMUP_MAX)" >&2
      echo "warm-up ${names[$i]}: $(warm_up "${server_pids[$i]}" "${warmups[$i]}" "$WARMUP_MAX" wrk_rate "${keys[$i]}")" ;;
  esac
done
echo
clk=$(getconf CLK_TCK)
for r in $(seq "$ROUNDS"); do
  for i in "${!keys[@]}"; do
    echo "round $r: ${names[$i]}" >&2
    if [ "${keys[$i]}" = cc ]; then
      # the raw signing rate again just before the endpoint's round: this machine's speed drifts by a fifth within a
      # run, so the target's share is taken round by round, each against the rate measured beside it
      taskset -c "$SERVER_CPU" java bench/SignRate.java "$work/signing.pem" 3 "$SIGN_SECONDS_ROUND" > "$work/sign.$r"
    fi
    case ${keys[$i]} in upstream|nginx|haproxy) ;; *)
      # unmeasured: a JVM that served other load just before (the token endpoint's rounds on Portcullis's JVM)
      # recompiles its paths for this one for about a second
      wrk_run "${keys[$i]}" "$WARM_SLICE" /dev/null ;;
    esac
    measure "${keys[$i]}" "${server_pids[$i]}" "$DURATION" "${keys[$i]}.$r"
  done
done

# Issue 16's ratios from adjacent slices: Portcullis, plain SCG and the SCG resource server in turn, PAIR_SLICE each,
# PAIRS times, the order reversed every other time. This machine's speed drifts by up to twice within minutes (one
# run's nginx: 19.6 to 38.1 us CPU a request from one round to the next), and a round puts minutes between Portcullis
# and its peers; slices seconds apart share the drift, so the median of their ratios carries less of it.
if [ "$SCG" = 1 ]; then
  echo "paired slices: Portcullis, plain SCG, SCG resource server, $PAIR_SLICE each, $PAIRS times" >&2
  wrk_run portcullis "$DURATION" /dev/null   # Portcullis's JVM served the token endpoint last
  for p in $(seq "$PAIRS"); do
    if [ $((p % 2)) = 1 ]; then order=(portcullis scg scg_rs); else order=(scg_rs scg portcullis); fi
    for k in "${order[@]}"; do
      case $k in portcullis) pid=$gateway_pid ;; scg) pid=$scg_pid ;; scg_rs) pid=$scg_rs_pid ;; esac
      measure "$k" "$pid" "$PAIR_SLICE" "pair.$k.$p"
    done
  done
fi

PAIRS="$([ "$SCG" = 1 ] && echo "$PAIRS" || echo 0)" PAIR_SLICE="$PAIR_SLICE" CONNECTIONS="$CONNECTIONS" KC_HASH="$kc_hash" KC_HASH_PARAMS="$kc_hash_params" KC_SUMMARY="$kc_summary" python3 - "$work" "$ROUNDS" "$clk" "$sign" "${keys[@]}" -- "${names[@]}" <<'PY'
import os, re, statistics, sys
work, rounds, clk, sign = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rest = sys.argv[5:]; sep = rest.index("--"); keys, names = rest[:sep], rest[sep + 1:]
unit = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}
def ms(v):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", v); return float(m.group(1)) * unit[m.group(2)]
def slices(k, files):
    per = []
    for name in files:
        out = open(f"{work}/wrk.{name}").read()
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        n = int(re.search(r"(\d+) requests in", out).group(1))
        p50 = ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
        p99 = ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
        non2xx = int((re.search(r"Non-2xx or 3xx responses: (\d+)", out) or [0, 0])[1])
        se = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
        errors = sum(int(x) for x in se.groups()) if se else 0
        t, rt = (int(x) for x in open(f"{work}/cpu.{name}").read().split())
        per.append(dict(rps=rps, p50=p50, p99=p99, non2xx=non2xx, err=errors,
                        cpu=t * 1e6 / clk / max(n, 1), rcpu=rt * 1e6 / clk / max(n, 1)))
    return per
rows = {}
for k in keys:
    per = slices(k, [f"{k}.{r}" for r in range(1, rounds + 1)])
    rows[k] = {f: statistics.median(p[f] for p in per) for f in per[0]} | {"rounds": per}
pairs = int(os.environ["PAIRS"]) if "scg" in rows else 0
paired = {k: slices(k, [f"pair.{k}.{p}" for p in range(1, pairs + 1)]) for k in ("portcullis", "scg", "scg_rs")} if pairs else {}
ng, hp = rows["nginx"], rows["haproxy"]
hdr = "%-38s %10s %9s %9s %8s %7s %9s %9s %8s %8s %8s %8s" % ("target", "req/s", "p50 ms", "p99 ms", "non-2xx",
      "sockerr", "cpu us/r", "redis us", "rps/ngx", "rps/hap", "cpu/ngx", "cpu/hap")
print(hdr); print("-" * len(hdr))
for k, name in zip(keys, names):
    x = rows[k]
    redis = "%9s" % "-" if k.startswith(("kc_", "scg")) else "%9.1f" % x["rcpu"]   # Keycloak and SCG do not use Redis
    print("%-38s %10.0f %9.2f %9.2f %8d %7d %9.1f %s %8.3f %8.3f %8.2f %8.2f" % (name, x["rps"], x["p50"], x["p99"],
          x["non2xx"], x["err"], x["cpu"], redis, x["rps"] / ng["rps"], x["rps"] / hp["rps"],
          x["cpu"] / ng["cpu"], x["cpu"] / hp["cpu"]))
print()
pc, nt = rows["portcullis"], rows["netty"]
verdict = lambda ok: "met" if ok else "NOT met"
print("Targets for the proxied request (Portcullis, valid token: verified and revocation-checked on every request):")
print("  req/s >= HAProxy's:          %.0f vs %.0f = %.3fx  %s" % (pc["rps"], hp["rps"], pc["rps"] / hp["rps"], verdict(pc["rps"] >= hp["rps"])))
print("  CPU/request <= HAProxy's:    %.1f vs %.1f us = %.2fx  %s" % (pc["cpu"], hp["cpu"], pc["cpu"] / hp["cpu"], verdict(pc["cpu"] <= hp["cpu"])))
print("  p99 <= 1.5x nginx's:         %.2f vs %.2f ms = %.2fx  %s" % (pc["p99"], ng["p99"], pc["p99"] / ng["p99"], verdict(pc["p99"] <= 1.5 * ng["p99"])))
print("  the floor, Reactor Netty forwarding alone with no check: %.0f req/s, %.1f us CPU/request; Spring WebFlux, Spring"
      % (nt["rps"], nt["cpu"]))
print("  Cloud Gateway, Spring Security and the token check add %.1f us (%.0f%% of Portcullis's CPU per request)"
      % (pc["cpu"] - nt["cpu"], 100 * (pc["cpu"] - nt["cpu"]) / pc["cpu"]))
print()
if "scg" in rows:
    sc, sr = rows["scg"], rows["scg_rs"]
    print("Targets against Spring Cloud Gateway (issue 16; the same route on the same stack, versions and event loops):")
    print("  from the rounds' medians (each target's rounds minutes apart from its peers'):")
    print("    CPU/request, Portcullis / plain SCG:             %.1f vs %.1f us = %.2fx" % (pc["cpu"], sc["cpu"], pc["cpu"] / sc["cpu"]))
    print("    req/s, Portcullis / the SCG resource server:     %.0f vs %.0f = %.2fx" % (pc["rps"], sr["rps"], pc["rps"] / sr["rps"]))
    if pairs:
        pp, ps, pr = paired["portcullis"], paired["scg"], paired["scg_rs"]
        cpu_ratios = [a["cpu"] / b["cpu"] for a, b in zip(pp, ps)]
        rps_ratios = [a["rps"] / b["rps"] for a, b in zip(pp, pr)]
        cpu_ratio, rps_ratio = statistics.median(cpu_ratios), statistics.median(rps_ratios)
        print("  from %d adjacent slices of each (%s each, in turn; median of the slice-by-slice ratios, lowest to highest),"
              % (pairs, os.environ["PAIR_SLICE"]))
        print("  which the verdicts use:")
        print("    CPU/request <= 1.0x plain SCG's:            %.2fx (%.2f to %.2f)  %s"
              % (cpu_ratio, min(cpu_ratios), max(cpu_ratios), verdict(cpu_ratio <= 1.0)))
        print("    moonshot, CPU/request <= 0.8x plain SCG's:  %.2fx  %s" % (cpu_ratio, verdict(cpu_ratio <= 0.8)))
        print("    req/s >= 2.5x the SCG resource server's:    %.2fx (%.2f to %.2f)  %s"
              % (rps_ratio, min(rps_ratios), max(rps_ratios), verdict(rps_ratio >= 2.5)))
        print("    medians of the slices: Portcullis %.1f us, %.0f req/s; plain SCG %.1f us, %.0f req/s; resource server %.1f us, %.0f req/s"
              % tuple(statistics.median(x[f] for x in paired[k]) for k in ("portcullis", "scg", "scg_rs") for f in ("cpu", "rps")))
    print("  p99 at %s connections beside nginx's (reported, no bound): Portcullis %.2f ms, plain SCG %.2f ms, SCG resource"
          % (os.environ["CONNECTIONS"], pc["p99"], sc["p99"]))
    print("    server %.2f ms, nginx %.2f ms (Portcullis %.2fx nginx's)" % (sr["p99"], ng["p99"], pc["p99"] / ng["p99"]))
    print("  plain SCG spends %.1f us over the floor (%.1fx it); the resource server's Spring Security adds %.1f us to it"
          % (sc["cpu"] - nt["cpu"], sc["cpu"] / nt["cpu"], sr["cpu"] - sc["cpu"]))
    print()
m = re.search(r"signatures/s ([\d.]+) cpu_us_per_signature ([\d.]+)", sign)
if m:
    s = float(m.group(1))
    print("JVM raw RS256 signing on the server CPU: %.0f signatures/s (%.0f us CPU each)" % (s, float(m.group(2))))
    for k, name in zip(keys, names):
        if k in ("cc", "pw", "kc_cc", "kc_pw"):
            print("  %-36s %.0f req/s = %.1f%% of the raw signing rate" % (name, rows[k]["rps"], 100 * rows[k]["rps"] / s))
    share = 100 * rows["cc"]["rps"] / s
    print("  client_credentials against the rate at the start: %.1f%%" % share)
    beside = []
    for r in range(1, rounds + 1):
        mr = re.search(r"signatures/s ([\d.]+)", open(f"{work}/sign.{r}").read())
        beside.append((float(mr.group(1)), rows["cc"]["rounds"][r - 1]["rps"]))
    shares = [100 * rps / raw for raw, rps in beside]
    print("  round by round, each against the raw rate measured just before it: %s" % ", ".join(
          "%.0f of %.0f = %.1f%%" % (rps, raw, 100 * rps / raw) for raw, rps in beside))
    share = statistics.median(shares)
    print("  target: client_credentials >= 85%% of the raw signing rate (median of the rounds' shares): %.1f%%  %s"
          % (share, verdict(share >= 85)))
if "kc_cc" in rows:
    cc, pw, kcc, kpw = rows["cc"], rows["pw"], rows["kc_cc"], rows["kc_pw"]
    print()
    print(os.environ["KC_SUMMARY"])
    r = cc["rps"] / kcc["rps"]
    print("  client_credentials: Portcullis %.0f req/s / Keycloak %.0f req/s = %.2fx (target >= 3x: %s); CPU per token"
          % (cc["rps"], kcc["rps"], r, "met" if r >= 3 else "NOT met"))
    print("    Portcullis %.0f us + Redis %.0f us, Keycloak %.0f us (Keycloak/Portcullis %.2fx)"
          % (cc["cpu"], cc["rcpu"], kcc["cpu"], kcc["cpu"] / cc["cpu"]))
    print("  password grant, CPU per request: Portcullis %.0f us (Argon2id, 7 MiB, 5 iterations), %.0f req/s;"
          % (pw["cpu"], pw["rps"]))
    print("    Keycloak %.0f us (%s), %.0f req/s; Keycloak/Portcullis CPU %.2fx, req/s %.2fx"
          % (kpw["cpu"], os.environ["KC_HASH"], kpw["rps"], kpw["cpu"] / pw["cpu"], kpw["rps"] / pw["rps"]))
    print("    hash: " + os.environ["KC_HASH_PARAMS"])
print()
print("Per round (req/s | cpu us/req), rounds taken in turn:")
for k, name in zip(keys, names):
    print("  %-38s %s" % (name, "  ".join("%8.0f | %7.1f" % (p["rps"], p["cpu"]) for p in rows[k]["rounds"])))
if pairs:
    print("Paired slices (req/s | cpu us/req), in the order taken (Portcullis, plain SCG, resource server; reversed every other time):")
    for k in ("portcullis", "scg", "scg_rs"):
        print("  %-38s %s" % (names[keys.index(k)], "  ".join("%6.0f | %5.1f" % (p["rps"], p["cpu"]) for p in paired[k])))
print()
print("Notes: medians of the rounds, each column on its own. cpu us/r = CPU time (utime+stime, /proc/<pid>/stat, master and")
print("workers for nginx/HAProxy, the JVM for Portcullis) of the measured server only, divided by the requests wrk completed;")
print("the upstream nginx's CPU (same core) is not in the proxy rows; 'redis us' is Redis's CPU per request on its own.")
print("Ratios: rps/ngx, rps/hap = req/s divided by the nginx-proxy / HAProxy row; cpu/ngx, cpu/hap the same for cpu us/r.")
print("The password grant verifies an Argon2id (7 MiB, 5 iterations) hash on every request; client_credentials secrets are cached.")
if "scg" in rows:
    print("Spring Cloud Gateway peers: bench/scg-plain (one route, no security) and bench/scg-resource-server (the same route,")
    print("every exchange authenticated by oauth2ResourceServer(jwt) with the RSA public key: signature and exp/nbf, as Boot")
    print("sets it up), on Portcullis's Spring Boot/Cloud versions and java, with its Reactor Netty settings; cpu us/r is")
    print("their JVM's. Both get the same token as Portcullis.")
if "kc_cc" in rows:
    print("Keycloak: cpu us/r is its java process (not kc.sh), H2 file database and local caches in the same process; its")
    print("client secret is compared in plain, its password grant also creates (and persists) a user session per request.")
else:
    print("Keycloak: skipped.")
PY

# --- the password hash's share of the password grant; memory with many live tokens (bench/memory.sh)
password_share "$hash"
echo
memory_run
