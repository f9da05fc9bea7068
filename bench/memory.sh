# Sourced by bench/run.sh (uses its variables: work, jar, ports, pids, wrk settings). Two additions to the suite:
#  - the password hash: bench/HashRate.java measures one verification with Portcullis's own PasswordHasher on the
#    server CPU (before anything else runs), Argon2id (the users' default, the gateway's) and bcrypt at HASH_COST
#    beside it, and after the table the password grant's CPU per request is split into the hash and the rest;
#  - memory: after the rounds, with the gateway still running, Redis is filled up to MEMORY_TOKENS live tokens
#    (LOAD_TOKENS real client_credentials tokens issued through the token endpoint, the rest cloned in Redis from one
#    real password-grant authorization, with fresh ids), the proxied load runs again cycling through the real tokens,
#    and then the gateway's heap after a full GC and its RSS are read.
#   MEMORY_TOKENS=100000 LOAD_TOKENS=9000 MEMORY_DURATION=15s to change; MEMORY_TOKENS=0 skips the memory part
MEMORY_TOKENS=${MEMORY_TOKENS:-100000}
LOAD_TOKENS=${LOAD_TOKENS:-9000}          # the gateway caches up to 10,000 verified tokens: just under the cap
MEMORY_DURATION=${MEMORY_DURATION:-$DURATION}
HASH_SECONDS=${HASH_SECONDS:-10}
HASH_COST=10                               # Portcullis's default portcullis.secrets.bcrypt-strength, for the bcrypt line

# an administrator for the admin API's token count; run.sh passes these to the gateway
memory_admin=(bench-admin bench-admin-password)
memory_admin_args=(--portcullis.bootstrap.users[1].username="${memory_admin[0]}"
  --portcullis.bootstrap.users[1].password="${memory_admin[1]}" --portcullis.bootstrap.users[1].admin=true)

# the load tokens' clients: a client keeps at most 1,000 live grants (portcullis.tokens.max-grants-per-client-and-subject),
# so the LOAD_TOKENS are spread over one client per thousand; run.sh passes these to the gateway after its own two
memory_clients=$(( (LOAD_TOKENS + 999) / 1000 ))
memory_client_args=()
for i in $(seq "$memory_clients"); do
  memory_client_args+=(--portcullis.bootstrap.clients[$((i + 1))].id=bench-memory-$i
    --portcullis.bootstrap.clients[$((i + 1))].name="Bench memory $i"
    --portcullis.bootstrap.clients[$((i + 1))].secret=bench-memory-secret
    --portcullis.bootstrap.clients[$((i + 1))].grant-types=client_credentials
    --portcullis.bootstrap.clients[$((i + 1))].access-token-ttl=2h)
done

# The CPU cost of one password verification, 1 thread on the server CPU: Argon2id (the gateway's users), then bcrypt
# at HASH_COST, one line each. The class path comes from the packaged jar (Spring Boot's extract: lib/*.jar and the
# application jar), so it is exactly the code the gateway runs.
hash_rate() {
  java -Djarmode=tools -jar "$jar" extract --destination "$work/extracted" >/dev/null
  local app algorithm; app=$(ls "$work"/extracted/portcullis-*.jar)
  for algorithm in argon2id bcrypt; do
    taskset -c "$SERVER_CPU" java -cp "$work/extracted/lib/*:$app" bench/HashRate.java "$HASH_COST" 3 "$HASH_SECONDS" "$algorithm"
  done
}

# After the table: the password grant's CPU per request (the median of the rounds, as in the table) and the hash's part
password_share() { # HashRate output
  python3 - "$work" "$ROUNDS" "$(getconf CLK_TCK)" "$1" "$HASH_COST" <<'PY'
import re, statistics, sys
work, rounds, clk, hash_out, cost = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
per = []
for r in range(1, rounds + 1):
    n = int(re.search(r"(\d+) requests in", open(f"{work}/wrk.pw.{r}").read()).group(1))
    t = int(open(f"{work}/cpu.pw.{r}").read().split()[0])
    per.append(t * 1e6 / clk / max(n, 1))
request = statistics.median(per)
rate = r"verifications/s ([\d.]+) cpu_us_per_verification ([\d.]+) process_cpu_us_per_verification ([\d.]+).* scheme \{%s\}"
m = re.search(rate % "argon2", hash_out)
b = re.search(rate % "bcrypt-sha256", hash_out)
if not m:
    print("password grant: %.0f us CPU per request; the hash rate was not measured (%s)" % (request, hash_out)); sys.exit()
h = float(m.group(2))
print("password grant: %.0f us CPU per request, of which the hash (argon2id m=7168 KiB t=5 p=1) %.0f us = %.1f%% (target >= 95%%)"
      % (request, h, 100 * h / request))
print("  the hash: bench/HashRate.java, Portcullis's PasswordHasher.matches ({argon2}: Argon2id over the password, Keycloak's parameters),")
print("  1 thread on the server CPU before the servers started: %.1f verifications/s, %.0f us thread CPU each (%.0f us process CPU);"
      % (float(m.group(1)), h, float(m.group(3))))
if b:
    print("  beside it, bcrypt-sha256 cost %s (portcullis.secrets.user-password-hash=bcrypt): %.1f verifications/s, %.0f us thread CPU each"
          % (cost, float(b.group(1)), float(b.group(2))))
kc = []
for r in range(1, rounds + 1):
    try:
        n = int(re.search(r"(\d+) requests in", open(f"{work}/wrk.kc_pw.{r}").read()).group(1))
        kc.append(int(open(f"{work}/cpu.kc_pw.{r}").read().split()[0]) * 1e6 / clk / max(n, 1))
    except (OSError, AttributeError):
        break
if kc:
    print("  Keycloak's password grant (Argon2id at the same parameters): %.0f us CPU per request, median of the rounds"
          % statistics.median(kc))
print("  the request: the JVM's CPU during the password rounds / requests completed, median of the rounds (the table's cpu us/r)")
PY
}

memory_api() { # path: the admin API, as the administrator
  curl -sf -u "${memory_admin[0]}:${memory_admin[1]}" "http://127.0.0.1:$gateway_port/admin/api/$1"
}
memory_total() { memory_api "tokens?size=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'; }

memory_run() {
  [ "$MEMORY_TOKENS" -gt 0 ] || return 0
  local t0 t1 i issued count
  echo "memory: issuing $LOAD_TOKENS tokens, seeding Redis up to $MEMORY_TOKENS" >&2
  # 1. real tokens through the token endpoint (client_credentials, 32 in parallel), for the load
  local cfg="$work/issue.cfg"
  : > "$cfg"
  for i in $(seq "$LOAD_TOKENS"); do
    [ "$i" -gt 1 ] && echo next >> "$cfg"
    printf 'url = "%s"\ndata = "%s"\nheader = "Content-Type: application/x-www-form-urlencoded"\n' "$token_url" \
      "grant_type=client_credentials&client_id=bench-memory-$(( (i - 1) % memory_clients + 1 ))&client_secret=bench-memory-secret" >> "$cfg"
  done
  t0=$(date +%s.%N)
  taskset -c "$CLIENT_CPU" curl -s --no-progress-meter -Z --parallel-max "$CONNECTIONS" -K "$cfg" \
    | grep -o '"access_token":"[^"]*"' | cut -d'"' -f4 > "$work/load-tokens.txt" || true
  t1=$(date +%s.%N)
  issued=$(sort -u "$work/load-tokens.txt" | wc -l)
  [ "$issued" -ge $((LOAD_TOKENS * 99 / 100)) ] || { echo "memory: only $issued of $LOAD_TOKENS tokens issued" >&2; exit 1; }
  local issue_s; issue_s=$(python3 -c "print('%.1f' % ($t1 - $t0))")

  # 2. clones of one real password-grant authorization (user, refresh token, all three indexes), fresh ids
  local pw_token source
  pw_token=$(curl -sf "$token_url" -H 'Content-Type: application/x-www-form-urlencoded' -d "$pw_body" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  source=$(python3 -c 'import base64,json,sys; p=sys.argv[1].split(".")[1]; print(json.loads(base64.urlsafe_b64decode(p+"==="))["jti"][:32])' "$pw_token")
  cat > "$work/clone.lua" <<'LUA'
-- Clones one authorization ARGV[2] (namespace ARGV[1]) ARGV[3] times, the i-th with the id sha1(ARGV[4]:i)[1..32]:
-- the hash (data JSON with its id, access jti and refresh token hash replaced, rt, jti, aexp) with the source's
-- remaining TTL, listed in the source's indexes (all, client, user) with the source's score. Returns the count.
local ns, src, n, seed = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
local key = ns .. ':authz:{' .. src .. '}'
local h = redis.call('HGETALL', key)
local f = {}
for i = 1, #h, 2 do f[h[i]] = h[i + 1] end
if not f.data then return redis.error_reply('no authorization ' .. key) end
local ttl = redis.call('PTTL', key)
local score = redis.call('ZSCORE', ns .. ':index:all', src)
local a = cjson.decode(f.data)
local indexes = { ns .. ':index:all', ns .. ':index:client:' .. a.clientId }
if type(a.userId) == 'string' then indexes[#indexes + 1] = ns .. ':index:user:' .. a.userId end
local tmpl = f.data:gsub(f.jti, '@J@')
tmpl = tmpl:gsub(src, '@I@')
if f.rt ~= '' then tmpl = tmpl:gsub(f.rt, '@R@') end
for i = 1, n do
  local id = redis.sha1hex(seed .. ':' .. i):sub(1, 32)
  local jti = id .. redis.sha1hex(id .. 'j') .. redis.sha1hex(id .. 'k'):sub(1, 8)
  local rt = ''
  if f.rt ~= '' then rt = redis.sha1hex(id .. 'r') .. redis.sha1hex(id .. 's'):sub(1, 24) end
  local data = tmpl:gsub('@J@', jti)
  data = data:gsub('@I@', id)
  data = data:gsub('@R@', rt)
  local k = ns .. ':authz:{' .. id .. '}'
  redis.call('HSET', k, 'data', data, 'rt', rt, 'jti', jti, 'aexp', f.aexp)
  redis.call('PEXPIRE', k, ttl)
  for _, index in ipairs(indexes) do redis.call('ZADD', index, score, id) end
end
return n
LUA
  local before to_clone batch seed so_far=0
  before=$(memory_total)
  to_clone=$((MEMORY_TOKENS - before)); [ "$to_clone" -gt 0 ] || to_clone=0
  seed="$(date +%s%N)-$$"
  t0=$(date +%s.%N)
  while [ "$so_far" -lt "$to_clone" ]; do   # batches of 10,000: Redis is blocked for a fraction of a second each
    batch=$((to_clone - so_far)); [ "$batch" -gt 10000 ] && batch=10000
    redis-cli -p "$redis_port" EVAL "$(cat "$work/clone.lua")" 0 portcullis "$source" "$batch" "$seed-$so_far" >/dev/null
    so_far=$((so_far + batch))
  done
  t1=$(date +%s.%N)
  local clone_s; clone_s=$(python3 -c "print('%.1f' % ($t1 - $t0))")
  count=$(memory_total)
  [ "$count" -ge "$MEMORY_TOKENS" ] || { echo "memory: the admin API counts $count live tokens, expected >= $MEMORY_TOKENS" >&2; exit 1; }
  # the clones read back as authorizations through the admin API (a page of the newest, which are the clones)
  local page; page=$(memory_api "tokens?size=100" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')
  [ "$page" = 100 ] || { echo "memory: the admin API lists $page of a page of 100" >&2; exit 1; }
  local redis_mem; redis_mem=$(redis-cli -p "$redis_port" INFO memory | awk -F: '/^used_memory:/ { printf "%.0f", $2 / 1048576 }')

  # 3. the proxied load again, cycling through the real tokens (each thread from its own offset)
  cat > "$work/tokens.lua" <<LUA
local tokens = {}
for line in io.lines("$work/load-tokens.txt") do tokens[#tokens + 1] = line end
local threads = 0
setup = function(thread) thread:set("index", threads); threads = threads + 1 end
init = function(args) i = (index or 0) * math.floor(#tokens / $THREADS) end
request = function()
  i = i % #tokens + 1
  wrk.headers["Authorization"] = "Bearer " .. tokens[i]
  return wrk.format("GET", "$accounts")
end
LUA
  # every token presented once first (so all are verified and cached, whatever rate the load reaches), each must pass
  echo "memory: presenting each of the $issued tokens once" >&2
  local prime_s ok
  awk -v url="http://127.0.0.1:$gateway_port$accounts" 'NR > 1 { print "next" }
    { print "url = \"" url "\""; print "header = \"Authorization: Bearer " $0 "\""; print "output = \"/dev/null\""
      print "write-out = \"%{http_code}\\n\"" }' "$work/load-tokens.txt" > "$work/present.cfg"
  t0=$(date +%s.%N)
  ok=$(taskset -c "$CLIENT_CPU" curl -s --no-progress-meter -Z --parallel-max "$CONNECTIONS" -K "$work/present.cfg" | grep -c '^200$' || true)
  t1=$(date +%s.%N)
  prime_s=$(python3 -c "print('%.1f' % ($t1 - $t0))")
  [ "$ok" = "$issued" ] || { echo "memory: $ok of the $issued tokens were let through" >&2; exit 1; }
  echo "memory: proxied load with $issued distinct tokens ($MEMORY_DURATION)" >&2
  local before_ticks after_ticks
  before_ticks=$(ticks "$gateway_pid")
  taskset -c "$CLIENT_CPU" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$MEMORY_DURATION" --timeout "$WRK_TIMEOUT" \
    -s "$work/tokens.lua" "http://127.0.0.1:$gateway_port$accounts" > "$work/wrk.memory"
  after_ticks=$(ticks "$gateway_pid")

  # 4. full GC, then the heap in use (jstat: survivor, eden and old used; G1 or Serial alike), RSS and its peak
  jcmd "$gateway_pid" GC.run >/dev/null
  jcmd "$gateway_pid" GC.heap_info > "$work/heap_info"
  jstat -gc "$gateway_pid" > "$work/jstat"
  jcmd "$gateway_pid" VM.flags > "$work/vm_flags"
  grep -E '^Vm(RSS|HWM)' "/proc/$gateway_pid/status" > "$work/rss"
  python3 - "$work" "$(getconf CLK_TCK)" "$((after_ticks - before_ticks))" "$count" "$before" "$((count - before))" \
    "$issued" "$issue_s" "$clone_s" "$redis_mem" "$MEMORY_DURATION" "$prime_s" <<'PY'
import re, sys
work, clk, ticks, count, before, cloned, issued, issue_s, clone_s, redis_mem, duration, prime_s = sys.argv[1:]
out = open(f"{work}/wrk.memory").read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
n = int(re.search(r"(\d+) requests in", out).group(1))
non2xx = int((re.search(r"Non-2xx or 3xx responses: (\d+)", out) or [0, 0])[1])
se = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
errors = sum(int(x) for x in se.groups()) if se else 0
head, values = open(f"{work}/jstat").read().split("\n")[:2]
gc = dict(zip(head.split(), (0.0 if v == "-" else float(v) for v in values.split())))   # "-": no such space
used = (gc["S0U"] + gc["S1U"] + gc["EU"] + gc["OU"]) / 1024
meta = gc["MU"] / 1024
rss = {k: int(v.split()[0]) / 1024 for k, v in (l.split(":", 1) for l in open(f"{work}/rss").read().splitlines())}
flags = open(f"{work}/vm_flags").read()
max_heap = int(re.search(r"MaxHeapSize=(\d+)", flags).group(1)) / 1048576
collector = (re.search(r"\+Use(\w+GC)\b", flags) or [None, "?"])[1]
print("memory: %s live tokens in Redis; after the load, heap used after full GC %.0f MB (target < 256 MB), RSS %.0f MB (peak %.0f MB), max heap %.0f MB"
      % (f"{int(count):,}", used, rss["VmRSS"], rss["VmHWM"], max_heap))
print("  live tokens (the admin API's total): %s issued through the token endpoint during the run (%s of them just now for the load,"
      % (f"{int(before):,}", f"{int(issued):,}"))
print("  in %s s, 32 at a time), %s cloned in Redis from one password-grant authorization in %s s (Lua, fresh ids, all three"
      % (issue_s, f"{int(cloned):,}", clone_s))
print("  indexes); Redis used_memory %s MB" % redis_mem)
print("  the load: each of the %s issued tokens presented once through Portcullis (all 200, %s s, 32 at a time), so all are"
      % (f"{int(issued):,}", prime_s))
print("  in its verified-token cache (max 10,000), then wrk as above for %s cycling through them: %.0f req/s, %.1f us CPU/req,"
      % (duration, rps, int(ticks) * 1e6 / int(clk) / max(n, 1)))
print("  %d non-2xx, %d socket errors" % (non2xx, errors))
print("  heap: jcmd GC.run (a full GC), then jstat -gc S0U+S1U+EU+OU; %s; metaspace %.0f MB (not heap); RSS: VmRSS/VmHWM of"
      % (collector, meta))
print("  the gateway JVM in /proc (peak over the whole run); max heap the JVM's default (MaxHeapSize, no -Xmx)")
PY
}
