#!/usr/bin/env bash
# Freezes silo N (default 1) with SIGSTOP: it holds its connections but answers nothing. Thaw with thaw-silo.sh.
source "$(dirname "$0")/lib.sh"
i="${1:-1}"; pidfile="$(silo_pidfile "$i")"
pid_alive "$pidfile" || die "silo $i is not running"
kill -STOP "$(cat "$pidfile")"
log "silo $i frozen (SIGSTOP)"
