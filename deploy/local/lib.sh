# Shared by the local cluster scripts: where things live and how to start and stop them.
# Every process is started with a pid file under $RUN_DIR/pids and stopped only through it.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUN_DIR="${RELIABLERPC_RUN_DIR:-$REPO_ROOT/.run}"
CONFIGURATION="${CONFIGURATION:-Release}"
REDIS_PORT="${RELIABLERPC_REDIS_PORT:-6390}"
SILO_BASE_PORT="${RELIABLERPC_SILO_BASE_PORT:-11110}"
GATEWAY_BASE_PORT="${RELIABLERPC_GATEWAY_BASE_PORT:-30000}"
METRICS_BASE_PORT="${RELIABLERPC_METRICS_BASE_PORT:-9400}"
CLUSTER_ID="${RELIABLERPC_CLUSTER_ID:-reliablerpc}"
SILO_DLL="$REPO_ROOT/Silo/bin/$CONFIGURATION/net10.0/ReliableRpc.Silo.dll"
CLIENT_DLL="$REPO_ROOT/Client/bin/$CONFIGURATION/net10.0/ReliableRpc.Client.dll"
# Redis speaks TLS whenever the cluster's links do (RELIABLERPC_PLAIN_TCP=1 turns both off): tls-port only, client
# certificates required, the cluster's own CA on both sides.
if [ "${RELIABLERPC_PLAIN_TCP:-0}" = "1" ]; then REDIS_TLS=0; else REDIS_TLS=1; fi
REDIS_CONNECTION="127.0.0.1:$REDIS_PORT"
if [ "$REDIS_TLS" = "1" ]; then REDIS_CONNECTION="$REDIS_CONNECTION,ssl=true"; fi
CERT_DIR="$RUN_DIR/certs"
REDIS_PASSWORD_FILE="$RUN_DIR/redis.password"

mkdir -p "$RUN_DIR/pids" "$RUN_DIR/logs"

log() { printf '%s %s\n' "$(date +%H:%M:%S.%3N)" "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Installs a Debian package when its command is missing; exits with a clear message when that is impossible.
# Usage: ensure_installed COMMAND PACKAGE
ensure_installed() {
  local command="$1" package="$2"
  command -v "$command" >/dev/null 2>&1 && return 0
  log "$command is missing; installing the Debian package $package with apt-get"
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    die "$command is not installed and this user cannot install it: run 'apt-get install -y $package' as root"
  fi
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$package"; } >"$RUN_DIR/logs/apt-$package.log" 2>&1 \
    || die "could not install $package with apt-get (log: $RUN_DIR/logs/apt-$package.log); install it by hand and retry"
  command -v "$command" >/dev/null 2>&1 || die "$command still missing after installing $package"
}

ensure_redis_installed() { ensure_installed redis-server redis-server; }

# Builds Silo and Client; RELIABLERPC_SKIP_BUILD=1 reuses an existing build.
ensure_built() {
  if [ "${RELIABLERPC_SKIP_BUILD:-0}" = "1" ] && [ -f "$SILO_DLL" ] && [ -f "$CLIENT_DLL" ]; then return 0; fi
  log "building Silo and Client ($CONFIGURATION)"
  local p
  for p in Silo/ReliableRpc.Silo.csproj Client/ReliableRpc.Client.csproj; do
    dotnet build "$REPO_ROOT/$p" -c "$CONFIGURATION" -v quiet -nologo >>"$RUN_DIR/logs/build.log" 2>&1 \
      || { tail -30 "$RUN_DIR/logs/build.log"; die "build failed (full log: $RUN_DIR/logs/build.log)"; }
  done
}

# Dev certificates for mutual TLS in $CERT_DIR (CA, silo, client), made by 'Client certs' when missing.
# RELIABLERPC_PLAIN_TCP=1 runs the cluster without TLS (the silos and the client are told so explicitly).
ensure_certs() {
  [ "${RELIABLERPC_PLAIN_TCP:-0}" = "1" ] && return 0
  [ -f "$CERT_DIR/ca.pem" ] && [ -f "$CERT_DIR/silo.pem" ] && [ -f "$CERT_DIR/client.pem" ] && return 0
  log "making dev certificates in $CERT_DIR"
  dotnet "$CLIENT_DLL" certs --out "$CERT_DIR" >>"$RUN_DIR/logs/certs.log" 2>&1 || die "could not make certificates (log: $RUN_DIR/logs/certs.log)"
}

# The Redis password, generated once into $REDIS_PASSWORD_FILE (mode 600); never passed on a command line.
ensure_redis_password() {
  [ -s "$REDIS_PASSWORD_FILE" ] && return 0
  (umask 077; head -c 32 /dev/urandom | base64 | tr -d '/+=\n' >"$REDIS_PASSWORD_FILE")
}

# Settings every silo and client of the local cluster gets through its environment: TLS files, Redis password file.
export_cluster_env() {
  ensure_redis_password
  export RELIABLERPC_Redis__PasswordFile="$REDIS_PASSWORD_FILE" RELIABLERPC_REDIS_PASSWORD_FILE="$REDIS_PASSWORD_FILE"
  if [ "${RELIABLERPC_PLAIN_TCP:-0}" = "1" ]; then
    export RELIABLERPC_Tls__Enabled=false
    CLIENT_TLS_ARGS=(--plain-tcp)
  else
    export RELIABLERPC_Tls__CertificatePath="$CERT_DIR/silo.pem" RELIABLERPC_Tls__KeyPath="$CERT_DIR/silo.key" RELIABLERPC_Tls__CaPath="$CERT_DIR/ca.pem"
    export RELIABLERPC_TLS_CERT="$CERT_DIR/client.pem" RELIABLERPC_TLS_KEY="$CERT_DIR/client.key" RELIABLERPC_TLS_CA="$CERT_DIR/ca.pem"
    CLIENT_TLS_ARGS=()
  fi
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start_redis() {
  ensure_redis_installed
  local pidfile="$RUN_DIR/pids/redis.pid"
  if pid_alive "$pidfile"; then log "redis already running on $REDIS_PORT"; return 0; fi
  ensure_redis_password
  local listen=(--port "$REDIS_PORT") cli=() how="plain TCP"
  if [ "$REDIS_TLS" = "1" ]; then
    ensure_certs
    # Its server certificate is a silo's (serverAuth, our CA); every client must show one of our CA's certificates.
    listen=(--port 0 --tls-port "$REDIS_PORT" --tls-cert-file "$CERT_DIR/silo.pem" --tls-key-file "$CERT_DIR/silo.key"
      --tls-ca-cert-file "$CERT_DIR/ca.pem" --tls-auth-clients yes)
    cli=(--tls --cacert "$CERT_DIR/ca.pem" --cert "$CERT_DIR/silo.pem" --key "$CERT_DIR/silo.key")
    how="TLS, client certificates required"
  fi
  # The password goes in through stdin as a config file ('-'), so it never shows in ps.
  printf 'requirepass %s\n' "$(cat "$REDIS_PASSWORD_FILE")" | redis-server - "${listen[@]}" --bind 127.0.0.1 --save "" --appendonly no \
    --daemonize yes --pidfile "$pidfile" --logfile "$RUN_DIR/logs/redis.log" --dir "$RUN_DIR"
  for _ in $(seq 50); do
    REDISCLI_AUTH="$(cat "$REDIS_PASSWORD_FILE")" redis-cli "${cli[@]}" -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && { log "redis-server on 127.0.0.1:$REDIS_PORT ($how; password in $REDIS_PASSWORD_FILE)"; return 0; }
    sleep 0.1
  done
  die "redis-server did not answer on port $REDIS_PORT (log: $RUN_DIR/logs/redis.log)"
}

stop_redis() {
  local pidfile="$RUN_DIR/pids/redis.pid"
  if pid_alive "$pidfile"; then
    kill "$(cat "$pidfile")"
    for _ in $(seq 50); do pid_alive "$pidfile" || break; sleep 0.1; done
    log "redis stopped"
  fi
  rm -f "$pidfile"
}

silo_pidfile() { echo "$RUN_DIR/pids/silo-$1.pid"; }
silo_log() { echo "$RUN_DIR/logs/silo-$1.log"; }
gateway_port() { echo $((GATEWAY_BASE_PORT + $1)); }
metrics_port() { echo $((METRICS_BASE_PORT + $1)); }

silo_supervisor_pidfile() { echo "$RUN_DIR/pids/silo-$1.supervisor.pid"; }
silo_stop_marker() { echo "$RUN_DIR/pids/silo-$1.stopping"; }

# Starts silo $1 under its supervisor (supervise-silo.sh), which starts it again whenever it exits without being
# asked to: after kill -9, or when a silo that was frozen finds itself declared dead and stops itself.
# RELIABLERPC_SUPERVISE=0 starts the silo bare, as before.
start_silo() {
  local i="$1" pidfile; pidfile="$(silo_pidfile "$i")"
  if pid_alive "$(silo_supervisor_pidfile "$i")"; then log "silo $i already supervised"; return 0; fi
  if pid_alive "$pidfile"; then log "silo $i already running"; return 0; fi
  rm -f "$(silo_stop_marker "$i")"
  if [ "${RELIABLERPC_SUPERVISE:-1}" = "1" ]; then
    setsid nohup "$REPO_ROOT/deploy/local/supervise-silo.sh" "$i" >>"$RUN_DIR/logs/supervisor-$i.log" 2>&1 &
    echo $! >"$(silo_supervisor_pidfile "$i")"
    for _ in $(seq 100); do [ -s "$pidfile" ] && pid_alive "$pidfile" && return 0; sleep 0.05; done
    die "the supervisor of silo $i did not start it (log: $RUN_DIR/logs/supervisor-$i.log)"
  fi
  run_silo "$i" &
  echo $! >"$pidfile"
}

# Runs silo $1's process (in the foreground of the caller; start_silo puts it in the background).
run_silo() {
  local i="$1"
  echo "---- start $(date -Is)" >>"$(silo_log "$i")"
  export_cluster_env
  exec dotnet "$SILO_DLL" --silo-port $((SILO_BASE_PORT + i)) --gateway-port "$(gateway_port "$i")" \
    --cluster-id "$CLUSTER_ID" --redis "$REDIS_CONNECTION" --http-port "$(metrics_port "$i")" ${RELIABLERPC_SILO_ARGS:-} \
    >>"$(silo_log "$i")" 2>&1
}

# Waits until silo $1 runs a process other than $2 (a supervisor's restart after a kill or a self-stop).
wait_restarted() {
  local i="$1" old="$2" pidfile; pidfile="$(silo_pidfile "$i")"
  for _ in $(seq 600); do
    if pid_alive "$pidfile" && [ "$(cat "$pidfile")" != "$old" ]; then return 0; fi
    sleep 0.1
  done
  die "silo $i was not restarted within 60 s (log: $RUN_DIR/logs/supervisor-$i.log)"
}

# Waits until silo $1 has started (host started, gateway port open).
wait_serving() {
  local i="$1" port; port="$(gateway_port "$i")"
  for _ in $(seq 300); do
    pid_alive "$(silo_pidfile "$i")" || die "silo $i exited during start (log: $(silo_log "$i"))"
    if sed -n '/^---- start/h; /^---- start/!H; ${x;p}' "$(silo_log "$i")" | grep -q "Application started" \
       && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      log "silo $i serving on gateway port $port"; return 0
    fi
    sleep 0.1
  done
  die "silo $i did not start serving within 30 s (log: $(silo_log "$i"))"
}

# Graceful stop: SIGTERM, then wait for the process to leave (and its supervisor, which is told not to restart it).
stop_silo() {
  local i="$1" pidfile pid start supervisor; pidfile="$(silo_pidfile "$i")"; supervisor="$(silo_supervisor_pidfile "$i")"
  touch "$(silo_stop_marker "$i")"
  if pid_alive "$pidfile"; then
    pid="$(cat "$pidfile")"; start=$(date +%s%N)
    kill -CONT "$pid" 2>/dev/null || true
    kill -TERM "$pid"
    for _ in $(seq 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    if kill -0 "$pid" 2>/dev/null; then
      log "silo $i did not stop within 30 s; killing it"; kill -9 "$pid" || true
    fi
    log "silo $i stopped in $(( ($(date +%s%N) - start) / 1000000 )) ms"
  fi
  if pid_alive "$supervisor"; then
    for _ in $(seq 100); do pid_alive "$supervisor" || break; sleep 0.05; done
    pid_alive "$supervisor" && kill "$(cat "$supervisor")" 2>/dev/null || true
  fi
  rm -f "$pidfile" "$supervisor" "$(silo_stop_marker "$i")"
}

silo_indexes() {
  local f
  for f in "$RUN_DIR"/pids/silo-*.pid; do
    [ -e "$f" ] || continue
    case "$f" in *.supervisor.pid) continue ;; esac
    f="${f##*/silo-}"; echo "${f%.pid}"
  done | sort -n
}
