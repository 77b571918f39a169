#!/usr/bin/env bash
# The local cluster's supervisor of silo N, as systemd or Kubernetes would be: starts the silo, and starts it again
# whenever it exits without an operator's stop (stop_silo leaves a marker first) — after kill -9, or when a silo
# that was frozen wakes, finds itself declared dead and stops itself. Gives up after 5 quick exits in a row.
# Started by start_silo; not meant to be run by hand. Usage: deploy/local/supervise-silo.sh N
source "$(dirname "$0")/lib.sh"
i="$1"; pidfile="$(silo_pidfile "$i")"; marker="$(silo_stop_marker "$i")"
delay="${RELIABLERPC_RESTART_DELAY:-2}"
quick_exits=0
while :; do
  started=$(date +%s)
  run_silo "$i" &
  pid=$!
  echo "$pid" >"$pidfile"
  log "silo $i started (pid $pid)"
  set +e; wait "$pid"; rc=$?; set -e
  if [ -e "$marker" ]; then log "silo $i stopped by the operator (exit $rc)"; exit 0; fi
  if [ $(( $(date +%s) - started )) -lt 10 ]; then quick_exits=$((quick_exits + 1)); else quick_exits=0; fi
  if [ "$quick_exits" -ge 5 ]; then log "silo $i exited $quick_exits times within 10 s of starting; giving up"; rm -f "$pidfile"; exit 1; fi
  log "silo $i exited by itself (exit $rc); starting it again in ${delay} s"
  sleep "$delay"
  [ -e "$marker" ] && { log "silo $i stopped by the operator while down"; exit 0; }
done
