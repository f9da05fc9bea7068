#!/usr/bin/env bash
# Where a Portcullis request's CPU goes: the same setup as bench/run.sh (Redis, an nginx upstream, the packaged
# jar; servers on SERVER_CPU, wrk on CLIENT_CPU), a warm-up, then a CPU profile of one target under load, printed
# as the top frames (self and inclusive). Not a benchmark: the figures it prints are only for orientation.
#   bash bench/profile.sh [proxy|client_credentials|password|scg-plain]     (default proxy)
# scg-plain profiles bench/scg-plain (one route, no security) on the same request as proxy, started as bench/run.sh
# starts it: what Portcullis's proxied path costs beyond plain Spring Cloud Gateway shows by comparing the two.
#   PROFILER=jfr bash bench/profile.sh proxy     JFR (in the JDK) instead of async-profiler
#   SIGNING=EdDSA bash bench/profile.sh client_credentials     the token signed with Ed25519 (default RS256), which
#   leaves what the endpoint costs besides signing in plain view
#   WARMUP=60s DURATION=20s to change; the profile is kept in bench/results/profile-<target>.{collapsed,jfr}
# async-profiler comes from Maven Central (tools.profiler:async-profiler), sampling CPU time with itimer, which
# needs no perf_events permission; it is loaded with the JVM and started with jcmd once the JVM is warm. JFR is started with the JVM
# (starting it later with jcmd made this one-core JVM throw away its compiled code and run 6 times slower).
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET=${1:-proxy}
PROFILER=${PROFILER:-async}
WARMUP=${WARMUP:-60s}
DURATION=${DURATION:-20s}
SIGNING=${SIGNING:-RS256}
SERVER_CPU=${SERVER_CPU:-1}
CLIENT_CPU=${CLIENT_CPU:-0}
AP_VERSION=4.2

. bench/common.sh
need wrk wrk
need redis-server redis-server
need nginx nginx-light

ensure_jar
mkdir -p bench/results
out="bench/results/profile-$TARGET"

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/upstream.pid" ] && kill "$(cat "$work/upstream.pid")" 2>/dev/null || true
  for pid in "${pids[@]}"; do while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done; done
  rm -rf "$work"
}
trap cleanup EXIT

jvm_args=()
if [ "$PROFILER" = async ]; then
  cache=${XDG_CACHE_HOME:-$HOME/.cache}/portcullis-bench
  lib=$cache/async-profiler-$AP_VERSION/libasyncProfiler.so
  if [ ! -f "$lib" ]; then
    mkdir -p "$(dirname "$lib")"
    curl -sfL -o "$work/ap.jar" \
      "https://repo1.maven.org/maven2/tools/profiler/async-profiler/$AP_VERSION/async-profiler-$AP_VERSION.jar"
    unzip -q -o -j "$work/ap.jar" linux-x64/libasyncProfiler.so -d "$(dirname "$lib")"
  fi
  # loaded with the JVM, idle until started: loaded only once the JVM is warm, it made the JVM throw away compiled
  # code, and the compiler's work then took a fifth of the token endpoint's profile
  jvm_args=(-agentpath:"$lib")
else
  # recorded from the start, the warm-up is cut off when the file is read (only samples after it are counted)
  jvm_args=(-XX:StartFlightRecording=settings=profile,filename=$work/rec.jfr,dumponexit=true)
fi

redis_port=$(free_port); upstream_port=$(free_port); gateway_port=$(free_port); management_port=$(free_port)
taskset -c "$SERVER_CPU" redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
  --daemonize no --logfile "$work/redis.log" & pids+=($!)
start_upstream "$upstream_port"
taskset -c "$SERVER_CPU" java "${jvm_args[@]}" -jar "$jar" --server.port="$gateway_port" --management.server.port="$management_port" \
  --spring.data.redis.url="redis://127.0.0.1:$redis_port" --portcullis.upstream.uri="http://127.0.0.1:$upstream_port"  "$ENCRYPTION_KEY_ARG" \
  --portcullis.bootstrap.users[0].username=bench-user --portcullis.bootstrap.users[0].password=bench-user-password \
  $(password_user_args 1) \
  --portcullis.bootstrap.clients[0].id=bench --portcullis.bootstrap.clients[0].name=Bench \
  --portcullis.bootstrap.clients[0].secret=bench-secret \
  --portcullis.bootstrap.clients[0].grant-types=client_credentials,password \
  --portcullis.bootstrap.clients[0].signing-algorithm="$SIGNING" \
  --logging.level.root=WARN > "$work/gateway.log" 2>&1 & pids+=($!)
gateway_pid=$!
wait_ready "$management_port"
profiled_pid=$gateway_pid
if [ "$TARGET" = scg-plain ]; then
  ensure_scg_jar scg-plain
  scg_port=$(free_port)
  taskset -c "$SERVER_CPU" java "${jvm_args[@]}" -Dreactor.netty.ioWorkerCount="$(taskset -c "$SERVER_CPU" nproc)" \
    -Dreactor.netty.http.server.lastFlushWhenNoRead=true -jar "$scg_jar" --server.port="$scg_port" \
    --bench.upstream-uri="http://127.0.0.1:$upstream_port" --logging.level.root=WARN > "$work/scg.log" 2>&1 & pids+=($!)
  profiled_pid=$!
  wait_port "$scg_port" 180 || { tail -20 "$work/scg.log" >&2; exit 1; }
fi

token_url="http://127.0.0.1:$gateway_port/Api/access_token"
cc_body="grant_type=client_credentials&client_id=bench&client_secret=bench-secret"
case $TARGET in
  proxy|scg-plain)
    token=$(curl -sf "$token_url" -d "$cc_body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
    port=$([ "$TARGET" = proxy ] && echo "$gateway_port" || echo "$scg_port")
    args=(-H "Authorization: Bearer $token" "http://127.0.0.1:$port/Api/V8/module/Accounts") ;;
  client_credentials)
    printf 'wrk.method = "POST"\nwrk.body = "%s"\nwrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n' \
      "$cc_body" > "$work/post.lua"
    args=(-s "$work/post.lua" "$token_url") ;;
  password)
    password_lua bench bench-secret > "$work/post.lua"
    args=(-s "$work/post.lua" "$token_url") ;;
  *) echo "unknown target $TARGET (proxy, client_credentials, password, scg-plain)" >&2; exit 2 ;;
esac

echo "warm-up $WARMUP" >&2
taskset -c "$CLIENT_CPU" wrk -t2 -c32 -d"$WARMUP" --timeout 10s "${args[@]}" > /dev/null
start_ms=$(($(date +%s%N) / 1000000))
if [ "$PROFILER" = async ]; then
  # jcmd reads key=value itself: the agent's options go in quotes
  jcmd "$profiled_pid" JVMTI.agent_load "$lib" "\"start,event=itimer,interval=1ms\"" >/dev/null
fi
cpu0=$(awk '{print $14 + $15}' "/proc/$profiled_pid/stat")
result=$(taskset -c "$CLIENT_CPU" wrk -t2 -c32 -d"$DURATION" --timeout 10s "${args[@]}")
cpu1=$(awk '{print $14 + $15}' "/proc/$profiled_pid/stat")
end_ms=$(($(date +%s%N) / 1000000))
requests=$(awk '/requests in/ {print $1}' <<<"$result")
echo "$TARGET under profile ($PROFILER): $(awk '/Requests\/sec/ {print $2}' <<<"$result") req/s," \
  "$(python3 -c "print(round(($cpu1 - $cpu0) * 1e6 / $(getconf CLK_TCK) / $requests, 1))") us CPU per request"
if [ "$PROFILER" = async ]; then
  jcmd "$profiled_pid" JVMTI.agent_load "$lib" "\"stop,file=$PWD/$out.collapsed,collapsed\"" >/dev/null
else
  jcmd "$profiled_pid" JFR.dump filename="$PWD/$out.jfr" >/dev/null
  jfr=$(ls /usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr 2>/dev/null || command -v jfr)
  # the samples of the measured window, as collapsed stacks
  "$jfr" print --json --events jdk.ExecutionSample --stack-depth 128 "$out.jfr" | python3 -c '
import json, sys, collections
from datetime import datetime
start, end = int(sys.argv[1]), int(sys.argv[2])
counts = collections.Counter()
for event in json.load(sys.stdin)["recording"]["events"]:
    t = datetime.fromisoformat(event["values"]["startTime"].replace("Z", "+00:00")).timestamp() * 1000
    if start <= t <= end and event["values"]["stackTrace"]:
        frames = [f["method"]["type"]["name"].replace(".", "/") + "." + f["method"]["name"]
                  for f in reversed(event["values"]["stackTrace"]["frames"])]
        counts[";".join(frames)] += 1
for stack, n in counts.items():
    print(stack, n)' "$start_ms" "$end_ms" > "$out.collapsed"
fi
python3 - "$out.collapsed" <<'PY'
import collections, sys
stacks = [(s.split(";"), int(c)) for s, c in (line.rsplit(" ", 1) for line in open(sys.argv[1]) if line.strip())]
total = sum(c for _, c in stacks) or 1
own, within = collections.Counter(), collections.Counter()
for frames, c in stacks:
    own[frames[-1]] += c
    for frame in set(frames):
        within[frame] += c
print("%d samples; top frames by own time:" % total)
for frame, c in own.most_common(25):
    print("  %5.1f%%  %s" % (100 * c / total, frame))
print("top application and framework frames by time spent within them:")
shown = 0
for frame, c in within.most_common():
    if any(p in frame for p in ("portcullis", "springframework", "nimbus", "lettuce", "micrometer", "jackson", "security")):
        print("  %5.1f%%  %s" % (100 * c / total, frame))
        shown += 1
        if shown == 40:
            break
PY
echo "profile: $out.collapsed (flame graph tools read it)"
