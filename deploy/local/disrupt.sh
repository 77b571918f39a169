#!/usr/bin/env bash
# The demo's disruption: a graceful rolling restart of every silo, then a kill -9 of silo 2, which its supervisor
# starts again (RELIABLERPC_RESTART_DELAY, default 2 s, after the exit).
source "$(dirname "$0")/lib.sh"
here="$(cd "$(dirname "$0")" && pwd)"
"$here/rolling-restart.sh"
sleep 3
killed="$(cat "$(silo_pidfile 2)")"
"$here/kill-silo.sh" 2
wait_restarted 2 "$killed"
wait_serving 2
log "disruption done"
