#!/usr/bin/env bash
# Restarts every running silo, one at a time: SIGTERM, wait for exit, start, wait until it serves, next.
source "$(dirname "$0")/lib.sh"
indexes="$(silo_indexes)"
[ -n "$indexes" ] || die "no silo is running (pid files in $RUN_DIR/pids)"
for i in $indexes; do
  log "rolling restart: silo $i"
  stop_silo "$i"
  start_silo "$i"
  wait_serving "$i"
done
log "rolling restart done"
