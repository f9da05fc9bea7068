# What bench/run.sh, bench/quick.sh and bench/profile.sh share; sourced after `cd` to the project root, with $work
# (a scratch directory) and $SERVER_CPU set before start_upstream is called.

# installs a Debian package when its command is missing
need() { command -v "$1" >/dev/null || { apt-get update -qq && apt-get -o DPkg::Lock::Timeout=600 install -y -qq "$2" >/dev/null; }; }

# sets $jar to the packaged gateway ($JAR if set, to measure another build), building it first if there is none
ensure_jar() {
  jar=${JAR:-$(ls target/portcullis-*.jar 2>/dev/null | grep -v original | head -1 || true)}
  if [ -z "$jar" ]; then
    ./mvnw -B -q -ntp -DskipTests package
    jar=$(ls target/portcullis-*.jar | grep -v original | head -1)
  fi
}

# "<Spring Boot version> <Spring Cloud version>" of a pom: its parent's version and its spring-cloud.version
boot_cloud_versions() {
  python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"m": "http://maven.apache.org/POM/4.0.0"}
pom = ET.parse(sys.argv[1]).getroot()
print(pom.find("m:parent/m:version", ns).text, pom.find("m:properties/m:spring-cloud.version", ns).text)
PY
}

# sets $scg_jar to the packaged Spring Cloud Gateway peer bench/<app> (scg-plain, scg-resource-server), building it
# with the project's Maven wrapper when it is missing or older than its pom or sources (it is no module of the
# project's build); refuses a peer whose Spring Boot or Spring Cloud version is not the project's
ensure_scg_jar() {
  local app=$1 ours theirs
  ours=$(boot_cloud_versions pom.xml); theirs=$(boot_cloud_versions "bench/$app/pom.xml")
  [ "$ours" = "$theirs" ] || { echo "bench/$app: Spring Boot/Cloud $theirs, the project has $ours" >&2; return 1; }
  scg_jar="bench/$app/target/$app.jar"
  if [ ! -f "$scg_jar" ] || [ -n "$(find "bench/$app/pom.xml" "bench/$app/src" -newer "$scg_jar" -print -quit)" ]; then
    echo "building bench/$app" >&2
    ./mvnw -B -q -ntp -f "bench/$app/pom.xml" -DskipTests package >&2
  fi
}

# A gateway on Redis that keeps its signing keys there encrypts them, and will not start without a key to do it with;
# a fresh one per run (a build from before key rotation ignores the setting)
ENCRYPTION_KEY_ARG="--portcullis.secrets.encryption-key=$(head -c 32 /dev/urandom | base64)"

# The password-grant users: concurrent requests with the same username and password share one check, so the
# password target cycles through this many users to pay one hash per request, as logins of different people do.
PASSWORD_USERS=${PASSWORD_USERS:-64}
password_user_args() { # bootstrap arguments for bench-user-0 … bench-user-(PASSWORD_USERS-1), from index $1
  local i
  for ((i = 0; i < PASSWORD_USERS; i++)); do
    printf -- '--portcullis.bootstrap.users[%d].username=bench-user-%d --portcullis.bootstrap.users[%d].password=bench-user-password ' \
      $(($1 + i)) "$i" $(($1 + i))
  done
}
# a wrk script posting password grants, each request for the next of the PASSWORD_USERS users; each wrk thread has a
# range of its own (for -t2), so that no two requests in flight are for the same user
password_lua() { # client id, client secret
  cat <<LUA
local threads = 0
setup = function(thread)
  thread:set("base", threads * math.floor($PASSWORD_USERS / 2))
  threads = threads + 1
end
local i = 0
request = function()
  i = (i + 1) % math.floor($PASSWORD_USERS / 2)
  return wrk.format("POST", nil, { ["Content-Type"] = "application/x-www-form-urlencoded" },
    "grant_type=password&client_id=$1&client_secret=$2&username=bench-user-" .. (base + i) .. "&password=bench-user-password")
end
LUA
}

# a scratch directory ($work) and the processes to stop when the script exits ($pids)
begin_work() {
  work=$(mktemp -d)
  pids=()
  trap end_work EXIT
}
end_work() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true   # Redis writes its log as it exits
  rm -rf "$work" || true
}

# redis-server on the given loopback port, without persistence, pinned to $SERVER_CPU
start_redis() {
  taskset -c "$SERVER_CPU" redis-server --port "$1" --bind 127.0.0.1 --save '' --appendonly no \
    --daemonize no --logfile "$work/redis.log" & pids+=($!)
}

# waits until the gateway whose management port is given is ready (its bootstrap clients and users exist)
wait_ready() {
  for _ in $(seq 600); do
    curl -sf "http://127.0.0.1:$1/actuator/health/readiness" >/dev/null && return 0
    sleep 0.1
  done
  echo "the gateway did not become ready" >&2
  return 1
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { # port [seconds, default 60]
  for _ in $(seq $((${2:-60} * 10))); do (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "port $1 did not open" >&2; return 1
}

# the static CRM: nginx (pid in $work/upstream.pid, log in $work/upstream/logs) serving a 1 KB JSON:API body
# for GET /Api/V8/module/Accounts on the given port, pinned to $SERVER_CPU
start_upstream() {
  mkdir -p "$work/upstream/logs" "$work/www/Api/V8/module"
  python3 - "$work/www/Api/V8/module/Accounts" <<'PY'
import json, sys
records = [{"type": "Accounts", "id": "acc-%04d" % i, "attributes": {"name": "Account %d" % i, "industry": "Retail"}} for i in range(10)]
open(sys.argv[1], "w").write(json.dumps({"data": records, "meta": {"total-pages": 1}}))
PY
  chmod -R a+rX "$work"   # nginx workers run as an unprivileged user
  cat > "$work/upstream/nginx.conf" <<NGINX
worker_processes 1;
pid $work/upstream.pid;
error_log $work/upstream/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  default_type application/vnd.api+json;
  server { listen 127.0.0.1:$1; root $work/www; }
}
NGINX
  taskset -c "$SERVER_CPU" nginx -p "$work/upstream" -c "$work/upstream/nginx.conf"
}

# seconds in a wrk duration (15s, 2m)
seconds() { case $1 in *m) echo $((${1%m} * 60)) ;; *s) echo "${1%s}" ;; *) echo "$1" ;; esac; }

# CPU ticks (utime+stime) of a JVM's JIT compiler threads, which the JVM names "C1 CompilerThreadN"/"C2 CompilerThreadN"
# (and of its direct children: Keycloak's java runs under its start script)
jit_ticks() {
  local task sum=0
  for task in $(for p in "$1" $(pgrep -P "$1" || true); do echo /proc/"$p"/task/*; done); do
    case $(cat "$task/comm" 2>/dev/null) in
      "C1 CompilerThre"* | "C2 CompilerThre"*) sum=$((sum + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "$task/stat"))) ;;
    esac
  done
  echo "$sum"
}

# Warms a JVM target until it runs as it will in the rounds: load in slices of WARMUP_SLICE until, after at least
# <min>, the JIT compiler took under 2 % of a slice's time and the rate stopped climbing (a slice under 3 % above the
# one before), or <max> has passed. A fixed minute was not enough: a one-core JVM on the token endpoint was still
# compiling for a tenth of its CPU after 60 s, and its rate climbed by half again until ~160 s (RS256 client_credentials
# 320/s at 60 s, 525/s at 160 s), so the measured rounds met a JVM in mid-warm-up and each run's figure depended on how
# far it had got. Prints what it took.
#   warm_up <jvm pid> <min> <max> <command that runs wrk for the duration given as its last argument and prints req/s>
warm_up() {
  local pid=$1 min max slice elapsed=0 previous=0 rate jit0 jit1 share clk
  min=$(seconds "$2"); max=$(seconds "$3"); slice=$(seconds "${WARMUP_SLICE:-15s}"); shift 3
  clk=$(getconf CLK_TCK)
  while :; do
    jit0=$(jit_ticks "$pid")
    rate=$("$@" "${slice}s")
    jit1=$(jit_ticks "$pid")
    elapsed=$((elapsed + slice))
    share=$(python3 -c "print(round(100 * ($jit1 - $jit0) / $clk / $slice, 1))")
    if [ "$elapsed" -ge "$min" ] && python3 -c "import sys; sys.exit(not ($share < 2 and $previous > 0 and $rate < 1.03 * $previous))"; then
      echo "${elapsed}s, settled: JIT ${share}% of the last slice, ${previous} -> ${rate} req/s"; return
    fi
    if [ "$elapsed" -ge "$max" ]; then
      echo "${elapsed}s, NOT settled (limit): JIT ${share}% of the last slice, ${previous} -> ${rate} req/s"; return
    fi
    previous=$rate
  done
}
