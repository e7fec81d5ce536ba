#!/usr/bin/env bash
# Makes sure a Docker engine answers: the running one, or dockerd from Debian's docker.io started
# in the background (log: $DOCKERD_LOG). For scripts and other CI systems; the tests start and
# stop their own (harness/container/docker-engine.ts).
set -euo pipefail
log="${DOCKERD_LOG:-/tmp/patronus-bench-dockerd.log}"
docker version --format '{{.Server.Version}}' >/dev/null 2>&1 && exit 0
command -v dockerd >/dev/null || { echo "ensure-dockerd: no engine and no dockerd — apt-get install -y docker.io" >&2; exit 1; }
[[ "$(id -u)" == 0 ]] || { echo "ensure-dockerd: starting dockerd needs root — sudo dockerd &" >&2; exit 1; }
args=(--host unix:///var/run/docker.sock)
# In a container without every capability, privileged containers (kind's nodes) need a runtime that
# asks runc only for what the bounding set has (see the script).
bounding=$((16#$(awk '/^CapBnd:/ {print $2}' /proc/self/status)))
if ((bounding != (1 << ($(cat /proc/sys/kernel/cap_last_cap) + 1)) - 1)); then
  args+=(--add-runtime "runc-within-bounding-set=$(cd "$(dirname "$0")" && pwd)/runc-within-bounding-set"
    --default-runtime runc-within-bounding-set)
fi
nohup dockerd "${args[@]}" >"$log" 2>&1 &
for _ in $(seq 60); do
  docker version --format '{{.Server.Version}}' >/dev/null 2>&1 && { echo "ensure-dockerd: started (log $log)" >&2; exit 0; }
  sleep 1
done
echo "ensure-dockerd: dockerd did not come up — see $log" >&2
tail -n 20 "$log" >&2
exit 1
