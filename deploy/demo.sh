#!/usr/bin/env bash
# The demo: builds, starts redis-server (installing it when missing) and 3 silos, runs transfer load for
# about 60 s with a rolling restart of every silo and then a kill -9 in the middle (deploy/local/disrupt.sh),
# prints the summary, one retried call's trace, the reconciliation, and stops everything.
# Every link runs mutual TLS with dev certificates (.run/certs) and Redis asks for a password (.run/redis.password).
# Usage: deploy/demo.sh [--plain] [--keep-running] [extra client demo options, e.g. --duration 30s --rate 200]
#   RELIABLERPC_PLAIN_TCP=1 deploy/demo.sh   the same without TLS (plain TCP chosen explicitly)
#   --plain   the same run without the resilience pipeline (plain Orleans on silos and client), to compare
#   --keep-running   leave the cluster up after the run, until Ctrl+C: watch the operator's view (the URLs are
#             printed) while you run deploy/local/rolling-restart.sh or the client's load by hand
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
client_args=()
keep_running=0
while [ $# -gt 0 ]; do
  case "$1" in
    --plain) export RELIABLERPC_SILO_ARGS="--pipeline false"; client_args+=(--plain); shift ;;
    --keep-running) keep_running=1; shift ;;
    *) break ;;
  esac
done
source "$here/local/lib.sh"

cleanup() { "$here/local/stop-cluster.sh" >/dev/null 2>&1 || true; }
trap cleanup EXIT INT TERM

"$here/local/stop-cluster.sh" >/dev/null 2>&1 || true
rm -f "$RUN_DIR"/logs/silo-*.log
"$here/local/start-cluster.sh" 3
export_cluster_env
for i in 1 2 3; do
  echo "silo $i: resilience page http://127.0.0.1:$(metrics_port "$i")/resilience   Orleans Dashboard http://127.0.0.1:$(metrics_port "$i")/dashboard/"
done
dotnet "$CLIENT_DLL" "${client_args[@]}" "${CLIENT_TLS_ARGS[@]}" demo --redis "$REDIS_CONNECTION" --cluster-id "$CLUSTER_ID" \
  --during "$here/local/disrupt.sh" --during-at 10s "$@"
if [ "$keep_running" = "1" ]; then
  echo "the cluster keeps running (--keep-running); Ctrl+C stops it. Meanwhile, in another terminal:"
  echo "  deploy/local/rolling-restart.sh        # and watch http://127.0.0.1:$(metrics_port 1)/resilience"
  while sleep 3600; do :; done
fi
