#!/usr/bin/env bash
# The demo: builds, starts redis-server (installing it when missing) and 3 silos, runs transfer load for
# about 60 s with a rolling restart of every silo and then a kill -9 in the middle (deploy/local/disrupt.sh),
# prints the summary, one retried call's trace, the reconciliation, and stops everything.
# Every link runs mutual TLS with dev certificates (.run/certs) and Redis asks for a password (.run/redis.password).
# Usage: deploy/demo.sh [--plain] [extra client demo options, e.g. --duration 30s --rate 200]
#   RELIABLERPC_PLAIN_TCP=1 deploy/demo.sh   the same without TLS (plain TCP chosen explicitly)
#   --plain   the same run without the resilience pipeline (plain Orleans on silos and client), to compare
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
client_args=()
if [ "${1:-}" = "--plain" ]; then
  shift
  export RELIABLERPC_SILO_ARGS="--pipeline false"
  client_args+=(--plain)
fi
source "$here/local/lib.sh"

cleanup() { "$here/local/stop-cluster.sh" >/dev/null 2>&1 || true; }
trap cleanup EXIT INT TERM

"$here/local/stop-cluster.sh" >/dev/null 2>&1 || true
rm -f "$RUN_DIR"/logs/silo-*.log
"$here/local/start-cluster.sh" 3
export_cluster_env
dotnet "$CLIENT_DLL" "${client_args[@]}" "${CLIENT_TLS_ARGS[@]}" demo --redis "$REDIS_CONNECTION" --cluster-id "$CLUSTER_ID" \
  --during "$here/local/disrupt.sh" --during-at 10s "$@"
