#!/usr/bin/env bash
# Runs every test project. Installs what the tests need (redis-server; promtool from the Debian package
# prometheus, for the alert-rule tests; yamllint, for the deploy/ YAML) when missing, builds once, publishes
# Silo and Client as the Dockerfile does (deploy/docker/publish.sh; images themselves are not built here),
# runs Analyzers, Unit and Integration, then System alone (it starts real redis-server and silo processes).
# Ends with one line: "N passed, N failed, N skipped". Exit code 0 only when nothing failed.
# Usage: deploy/test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Ledger]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/local/lib.sh"
cd "$REPO_ROOT"

ensure_redis_installed
ensure_installed promtool prometheus
ensure_installed yamllint yamllint
# kubectl renders the Kubernetes overlays (kubectl kustomize) for the deploy tests.
ensure_installed kubectl kubectl
# The resilience page's browser test drives Debian's chromium headless (no browser download).
ensure_installed chromium chromium
log "building the solution ($CONFIGURATION)"
dotnet build ReliableRpc.sln -c "$CONFIGURATION" -nologo -v quiet >"$RUN_DIR/logs/test-build.log" 2>&1 \
  || { tail -40 "$RUN_DIR/logs/test-build.log"; die "build failed (log: $RUN_DIR/logs/test-build.log)"; }

passed=0; failed=0; skipped=0; broken=()

# The container images' build step, on this machine's SDK: a publish that breaks would break every image.
log "publishing Silo and Client as deploy/docker/Dockerfile does"
# The deploy-path system tests start these, as the images would.
export RELIABLERPC_PUBLISH_DIR="$RUN_DIR/publish"
if ! bash deploy/docker/publish.sh "$RUN_DIR/publish" >"$RUN_DIR/logs/test-publish.log" 2>&1; then
  tail -20 "$RUN_DIR/logs/test-publish.log"; broken+=("deploy/docker/publish.sh (log: $RUN_DIR/logs/test-publish.log)"); failed=$((failed + 1))
fi
# The throughput harness is not a test (its figures need a quiet machine), but it must not rot: one short repetition.
log "benchmark harness smoke (1 repetition, 0.5 s per configuration)"
if ! dotnet "tests/Benchmarks/bin/$CONFIGURATION/net10.0/ReliableRpc.Benchmarks.dll" --reps 1 --seconds 0.5 >"$RUN_DIR/logs/test-benchmarks.log" 2>&1; then
  tail -20 "$RUN_DIR/logs/test-benchmarks.log"; broken+=("benchmark harness smoke (log: $RUN_DIR/logs/test-benchmarks.log)"); failed=$((failed + 1))
fi

for project in tests/Analyzers tests/Unit tests/Integration tests/System; do
  log "testing $project"
  out="$RUN_DIR/logs/test-$(basename "$project").log"
  set +e
  dotnet test "$project" -c "$CONFIGURATION" --no-build -nologo "$@" 2>&1 | tee "$out"
  rc=${PIPESTATUS[0]}
  set -e
  summary="$(grep -E '^(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$out" | tail -1 || true)"
  if [ -z "$summary" ]; then
    broken+=("$project (exit $rc, no test summary)"); failed=$((failed + 1)); continue
  fi
  f=$(sed -E 's/.*Failed: +([0-9]+).*/\1/' <<<"$summary")
  p=$(sed -E 's/.*Passed: +([0-9]+).*/\1/' <<<"$summary")
  s=$(sed -E 's/.*Skipped: +([0-9]+).*/\1/' <<<"$summary")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  [ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || { broken+=("$project (exit $rc)"); failed=$((failed + 1)); }
done

for b in "${broken[@]}"; do echo "broken: $b"; done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
