#!/usr/bin/env bash
# Prints the environment a hand-run client needs for the local cluster (TLS files, Redis password file):
#   eval "$(deploy/local/client-env.sh)"
source "$(dirname "$0")/lib.sh"
export_cluster_env
for name in RELIABLERPC_TLS_CERT RELIABLERPC_TLS_KEY RELIABLERPC_TLS_CA RELIABLERPC_REDIS_PASSWORD_FILE; do
  [ -n "${!name:-}" ] && printf 'export %s=%q\n' "$name" "${!name}"
done
[ "${RELIABLERPC_PLAIN_TCP:-0}" = "1" ] && echo "# plain TCP: pass --plain-tcp to the client"
exit 0
