#!/usr/bin/env bash
# Stops every silo this cluster's scripts started (gracefully), then redis-server.
source "$(dirname "$0")/lib.sh"
for i in $(silo_indexes); do stop_silo "$i" & done
wait
stop_redis
