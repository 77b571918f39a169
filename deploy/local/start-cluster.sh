#!/usr/bin/env bash
# Starts redis-server on 127.0.0.1 and N silos (default 3) on it; returns once every silo serves.
# Usage: deploy/local/start-cluster.sh [N]
source "$(dirname "$0")/lib.sh"
count="${1:-3}"
ensure_built
ensure_certs
start_redis
for i in $(seq 1 "$count"); do start_silo "$i"; done
for i in $(seq 1 "$count"); do wait_serving "$i"; done
log "cluster '$CLUSTER_ID' up: $count silos, gateways $(gateway_port 1)..$(gateway_port "$count"), redis $REDIS_CONNECTION, logs in $RUN_DIR/logs"
log "operator's view: http://127.0.0.1:$(metrics_port 1)/resilience .. http://127.0.0.1:$(metrics_port "$count")/resilience (dashboard: /dashboard/)"
