#!/usr/bin/env bash
# The demo: builds, starts redis-server (installing it when missing) and 3 silos, runs transfer load for
# about 60 s with a rolling restart of every silo in the middle, prints the summary, stops everything.
# Usage: deploy/demo.sh [extra client demo options, e.g. --duration 30s --rate 200]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/local/lib.sh"

cleanup() { "$here/local/stop-cluster.sh" >/dev/null 2>&1 || true; }
trap cleanup EXIT INT TERM

"$here/local/stop-cluster.sh" >/dev/null 2>&1 || true
rm -f "$RUN_DIR"/logs/silo-*.log
"$here/local/start-cluster.sh" 3
gateways=(); for i in 1 2 3; do gateways+=(--gateway "$(gateway_port "$i")"); done
dotnet "$CLIENT_DLL" demo --redis "$REDIS_CONNECTION" --cluster-id "$CLUSTER_ID" \
  --duration 60s --during "$here/local/rolling-restart.sh" --during-at 15s "$@"
