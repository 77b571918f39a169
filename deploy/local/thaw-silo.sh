#!/usr/bin/env bash
# Thaws a silo frozen by freeze-silo.sh (SIGCONT). A silo declared dead meanwhile stops itself on waking.
source "$(dirname "$0")/lib.sh"
i="${1:-1}"; pidfile="$(silo_pidfile "$i")"
[ -f "$pidfile" ] || die "silo $i has no pid file"
kill -CONT "$(cat "$pidfile")" 2>/dev/null || die "silo $i is not running"
log "silo $i thawed (SIGCONT)"
