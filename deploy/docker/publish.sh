#!/usr/bin/env bash
# Publishes the silo and the client exactly as the container images carry them: Release, framework-dependent
# (the base image brings the runtime), no native launcher (the image starts them with `dotnet X.dll`).
# Used by deploy/docker/Dockerfile and by deploy/test.sh, which runs it on every test run so the image's build step
# is known to work even though images are not built on the project's machines.
# Usage: deploy/docker/publish.sh OUTPUT_DIR   → OUTPUT_DIR/silo, OUTPUT_DIR/client
set -euo pipefail
out="${1:?usage: publish.sh OUTPUT_DIR}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
for target in silo:Silo/ReliableRpc.Silo.csproj client:Client/ReliableRpc.Client.csproj; do
  dotnet publish "$root/${target#*:}" -c Release -o "$out/${target%%:*}" -p:UseAppHost=false -nologo -v quiet
done
