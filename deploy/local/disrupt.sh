#!/usr/bin/env bash
# The demo's disruption: a graceful rolling restart of every silo, then a kill -9 of silo 2, restarted 5 s later.
source "$(dirname "$0")/lib.sh"
here="$(cd "$(dirname "$0")" && pwd)"
"$here/rolling-restart.sh"
sleep 3
"$here/kill-silo.sh" 2
sleep 5
start_silo 2
wait_serving 2
log "disruption done"
