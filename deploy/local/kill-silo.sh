#!/usr/bin/env bash
# Kills silo N (default 1) with SIGKILL: no drain, no goodbye. Its supervisor starts it again.
# Usage: deploy/local/kill-silo.sh [N]
source "$(dirname "$0")/lib.sh"
i="${1:-1}"; pidfile="$(silo_pidfile "$i")"
pid_alive "$pidfile" || die "silo $i is not running"
kill -9 "$(cat "$pidfile")"
log "silo $i killed (SIGKILL)"
