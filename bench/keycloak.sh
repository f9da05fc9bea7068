# Keycloak for the benchmark suite: sourced by bench/run.sh (needs its $work, $SERVER_CPU, and need() and free_port()
# from bench/common.sh).
#   kc_fetch  download org.keycloak:keycloak-quarkus-dist from Maven Central (sha1 checked) into the cache dir, unzip it
#             and run `kc.sh build --db=dev-file` once; a rerun reuses it. Sets kc_home, kc_version, kc_java.
#   kc_start  `kc.sh start --optimized` (production mode, HTTP on a free loopback port, H2 file DB in $work, local
#             caches) pinned to $SERVER_CPU, bootstrap admin; waits up to KEYCLOAK_START_TIMEOUT seconds.
#             Sets kc_port, kc_shell_pid (kc.sh) and kc_pid (its java child: the process whose CPU is measured).
#   kc_setup  admin REST API: realm bench, confidential client bench/bench-secret with client_credentials (service
#             account) and the password grant, user bench-user/bench-user-password; checks both grants give 200 with
#             an access_token; reads the server version and the stored password credential's hash parameters.
#             Sets kc_token_url, kc_server_version, kc_java_version, kc_hash (short), kc_hash_params (full).
#   kc_stop   TERM kc.sh (it forwards to java), wait for java to exit, KILL after 30 s.
# The first Keycloak version that Maven Central serves is used: KEYCLOAK_VERSION (default 26.7.3, then 26.5.6).
KEYCLOAK_JAVA_HOME=${KEYCLOAK_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}   # Keycloak 26 needs Java 21+
KEYCLOAK_START_TIMEOUT=${KEYCLOAK_START_TIMEOUT:-180}
KEYCLOAK_CACHE=${KEYCLOAK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/portcullis-bench}
kc_central=https://repo1.maven.org/maven2/org/keycloak/keycloak-quarkus-dist
kc_build_opts="--db=dev-file"                 # build-time options baked into lib/quarkus by `kc.sh build`
kc_admin_user=bench-admin
kc_admin_password=bench-admin-password
kc_pid=""; kc_shell_pid=""

kc_fetch() {
  need unzip unzip
  [ -x "$KEYCLOAK_JAVA_HOME/bin/java" ] || { echo "Keycloak: no JDK at $KEYCLOAK_JAVA_HOME (KEYCLOAK_JAVA_HOME)" >&2; return 1; }
  mkdir -p "$KEYCLOAK_CACHE"
  local v zip tmp want got
  for v in ${KEYCLOAK_VERSION:-26.7.3 26.5.6}; do
    zip="$KEYCLOAK_CACHE/keycloak-quarkus-dist-$v.zip"
    if [ -f "$KEYCLOAK_CACHE/keycloak-$v/.bench-built" ] \
      && [ "$(cat "$KEYCLOAK_CACHE/keycloak-$v/.bench-built")" = "$kc_build_opts" ]; then
      kc_version=$v; break
    fi
    if [ ! -f "$zip" ]; then
      echo "Keycloak: downloading keycloak-quarkus-dist $v from Maven Central" >&2
      tmp="$zip.part.$$"
      if ! curl -sSfL --retry 2 -o "$tmp" "$kc_central/$v/keycloak-quarkus-dist-$v.zip"; then
        echo "Keycloak: $v not downloadable" >&2; rm -f "$tmp"; continue
      fi
      want=$(curl -sSfL "$kc_central/$v/keycloak-quarkus-dist-$v.zip.sha1" | cut -c1-40) || want=""
      got=$(sha1sum "$tmp" | cut -c1-40)
      [ -n "$want" ] && [ "$want" = "$got" ] || { echo "Keycloak: $v sha1 mismatch ($got, Central says '$want')" >&2; rm -f "$tmp"; continue; }
      mv "$tmp" "$zip"
    fi
    # unzip and build in a private directory, then move it into place (a concurrent run never sees half of it)
    tmp=$(mktemp -d "$KEYCLOAK_CACHE/build.XXXXXX")
    unzip -q "$zip" -d "$tmp"
    echo "Keycloak: kc.sh build $kc_build_opts (once; cached in $KEYCLOAK_CACHE/keycloak-$v)" >&2
    if ! JAVA_HOME="$KEYCLOAK_JAVA_HOME" "$tmp/keycloak-$v/bin/kc.sh" build $kc_build_opts > "$tmp/build.log" 2>&1; then
      echo "Keycloak: kc.sh build failed:" >&2; tail -20 "$tmp/build.log" >&2; rm -rf "$tmp"; return 1
    fi
    echo "$kc_build_opts" > "$tmp/keycloak-$v/.bench-built"
    rm -rf "$KEYCLOAK_CACHE/keycloak-$v"
    mv "$tmp/keycloak-$v" "$KEYCLOAK_CACHE/keycloak-$v"; rm -rf "$tmp"
    kc_version=$v; break
  done
  [ -n "${kc_version:-}" ] || { echo "Keycloak: no version could be fetched (tried ${KEYCLOAK_VERSION:-26.7.3 26.5.6})" >&2; return 1; }
  kc_home="$KEYCLOAK_CACHE/keycloak-$kc_version"
  kc_java=$("$KEYCLOAK_JAVA_HOME/bin/java" -version 2>&1 | head -1)
}

kc_start() {
  kc_port=$(free_port)
  local mgmt_port; mgmt_port=$(free_port)   # not the default 9000: other servers on this machine may hold it
  mkdir -p "$work/keycloak"
  # production mode; the build options are already baked in (--optimized skips the auto-build); runtime options:
  # plain HTTP on loopback, no hostname (so no strict check), the H2 file under $work, local (not clustered) caches
  KC_BOOTSTRAP_ADMIN_USERNAME=$kc_admin_user KC_BOOTSTRAP_ADMIN_PASSWORD=$kc_admin_password \
  JAVA_HOME="$KEYCLOAK_JAVA_HOME" taskset -c "$SERVER_CPU" "$kc_home/bin/kc.sh" start --optimized \
    --http-enabled=true --http-host=127.0.0.1 --http-port="$kc_port" --http-management-port="$mgmt_port" \
    --hostname-strict=false --cache=local --db-url="jdbc:h2:file:$work/keycloak/keycloakdb;NON_KEYWORDS=VALUE" \
    --log-level=WARN,io.quarkus:INFO,org.keycloak.services:INFO > "$work/keycloak.log" 2>&1 &
  kc_shell_pid=$!
  local t0=$SECONDS
  while :; do
    if ! kill -0 "$kc_shell_pid" 2>/dev/null; then
      echo "Keycloak exited during start-up; $work/keycloak.log:" >&2; tail -30 "$work/keycloak.log" >&2; return 1
    fi
    [ -z "$kc_pid" ] && kc_pid=$(pgrep -P "$kc_shell_pid" -x java || true)
    curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$kc_port/realms/master" && break
    if [ $((SECONDS - t0)) -ge "$KEYCLOAK_START_TIMEOUT" ]; then
      echo "Keycloak not ready after ${KEYCLOAK_START_TIMEOUT}s (KEYCLOAK_START_TIMEOUT); $work/keycloak.log:" >&2
      tail -30 "$work/keycloak.log" >&2; return 1
    fi
    sleep 1
  done
  [ -z "$kc_pid" ] && kc_pid=$(pgrep -P "$kc_shell_pid" -x java || true)
  [ -n "$kc_pid" ] || { echo "Keycloak: no java child of kc.sh ($kc_shell_pid) found" >&2; return 1; }
  kc_start_seconds=$((SECONDS - t0))
}

kc_stop() {
  [ -n "$kc_shell_pid" ] || return 0
  kill "$kc_shell_pid" 2>/dev/null || true
  [ -n "$kc_pid" ] && kill "$kc_pid" 2>/dev/null || true
  local _
  for _ in $(seq 60); do
    kill -0 "$kc_shell_pid" 2>/dev/null || { [ -n "$kc_pid" ] && kill -0 "$kc_pid" 2>/dev/null; } || break
    sleep 0.5
  done
  kill -9 "$kc_shell_pid" ${kc_pid:+"$kc_pid"} 2>/dev/null || true
  kc_shell_pid=""; kc_pid=""
}

kc_admin_token() {
  curl -sSf "http://127.0.0.1:$kc_port/realms/master/protocol/openid-connect/token" \
    -d grant_type=password -d client_id=admin-cli -d username="$kc_admin_user" -d password="$kc_admin_password" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}

kc_api() { # method, path, [json body]; prints the body, fails on a non-2xx status
  local method=$1 path=$2 out; out=$(mktemp -p "$work")
  local args=(-s -o "$out" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $kc_admin" -H 'Content-Type: application/json')
  [ $# -ge 3 ] && args+=(--data-binary "$3")
  local code; code=$(curl "${args[@]}" "http://127.0.0.1:$kc_port/admin$path")
  if [ "${code:0:1}" != 2 ]; then
    echo "Keycloak admin API $method $path: HTTP $code: $(head -c 400 "$out")" >&2; rm -f "$out"; return 1
  fi
  cat "$out"; rm -f "$out"
}

kc_setup() {
  kc_admin=$(kc_admin_token) || { echo "Keycloak: admin token failed" >&2; return 1; }
  kc_api POST /realms '{"realm": "bench", "enabled": true}' >/dev/null || return 1
  kc_api POST /realms/bench/clients '{"clientId": "bench", "name": "Bench", "enabled": true,
    "protocol": "openid-connect", "publicClient": false, "clientAuthenticatorType": "client-secret",
    "secret": "bench-secret", "serviceAccountsEnabled": true, "directAccessGrantsEnabled": true,
    "standardFlowEnabled": false, "implicitFlowEnabled": false}' >/dev/null || return 1
  kc_api POST /realms/bench/users '{"username": "bench-user", "enabled": true, "firstName": "Bench",
    "lastName": "User", "email": "bench-user@example.com", "emailVerified": true, "requiredActions": [],
    "credentials": [{"type": "password", "value": "bench-user-password", "temporary": false}]}' >/dev/null || return 1

  kc_token_url="http://127.0.0.1:$kc_port/realms/bench/protocol/openid-connect/token"
  local g code
  for g in "grant_type=client_credentials" "grant_type=password&username=bench-user&password=bench-user-password"; do
    code=$(curl -s -o "$work/kc-check.json" -w '%{http_code}' "$kc_token_url" \
      -H 'Content-Type: application/x-www-form-urlencoded' -d "$g&client_id=bench&client_secret=bench-secret")
    if [ "$code" != 200 ] || ! python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["access_token"]
import base64; h=json.loads(base64.urlsafe_b64decode(t.split(".")[0] + "=="))
assert h["alg"] == "RS256", h' "$work/kc-check.json"; then
      echo "Keycloak ${g%%&*}: HTTP $code, no RS256 access_token: $(head -c 400 "$work/kc-check.json")" >&2; return 1
    fi
  done

  local uid
  uid=$(kc_api GET "/realms/bench/users?username=bench-user&exact=true" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])') || return 1
  kc_api GET "/realms/bench/users/$uid/credentials" > "$work/kc-credentials.json" || return 1
  kc_api GET /realms/bench > "$work/kc-realm.json" || return 1
  kc_api GET /serverinfo > "$work/kc-serverinfo.json" || return 1
  kc_server_version=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["systemInfo"]["version"])' "$work/kc-serverinfo.json")
  kc_java_version=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["systemInfo"]; print(s.get("javaVersion", "?"), s.get("javaVendor", ""))' "$work/kc-serverinfo.json")
  # the hash actually stored for bench-user, and the realm's password policy (none set = Keycloak's default)
  local parsed
  parsed=$(python3 - "$work/kc-credentials.json" "$work/kc-realm.json" <<'PY'
import json, sys
creds, realm = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
pw = [c for c in creds if c.get("type") == "password"]
if not pw:
    sys.exit("no password credential for bench-user")
d = json.loads(pw[0]["credentialData"])
alg, it = d.get("algorithm"), d.get("hashIterations")
p = {k: v[0] if isinstance(v, list) and len(v) == 1 else v for k, v in (d.get("additionalParameters") or {}).items()}
short = alg + p.get("type", "") if alg == "argon2" else alg
policy = realm.get("passwordPolicy") or "none set (Keycloak default)"
if alg == "argon2":
    full = "%s (Argon2 type %s, version %s, memory %s KiB, iterations %s, parallelism %s, hash length %s bytes)" % (
        short, p.get("type"), p.get("version"), p.get("memory"), it, p.get("parallelism"), p.get("hashLength"))
else:
    full = "%s (%s iterations%s)" % (short, it, "".join(", %s %s" % kv for kv in sorted(p.items())))
print(short)
print("%s; realm passwordPolicy: %s; credentialData: %s" % (full, policy, pw[0]["credentialData"]))
PY
  ) || return 1
  kc_hash=${parsed%%$'\n'*}
  kc_hash_params=${parsed#*$'\n'}
}
