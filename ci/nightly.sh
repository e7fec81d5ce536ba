#!/usr/bin/env bash
# Nightly benchmark: SCENARIO with REPEATS repeats on CLUSTER (kind by default), the report, the
# run appended to the history index in HISTORY_DIR, and the job summary. Exit: the run's code
# (0 pass, 99 threshold failed, 98 inconclusive on a busy machine, 1 harness error) — after the report and history are written.
#   env: SCENARIO=scale-1000 REPEATS=3 CLUSTER=kind|embedded OUT_DIR=reports/nightly-<date>
#        HISTORY_DIR=reports/history KEEP_CLUSTER=0
#        RUNTIME=cluster|process (kind only: the operator and simulator as pods — the default — or on the runner)
#        REMOTE_WRITE_URL=https://[user:token@]host/api/v1/write (optional: the run also sent to a Prometheus)
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"

scenario="${SCENARIO:-scale-1000}"
repeats="${REPEATS:-3}"
cluster="${CLUSTER:-kind}"
out="${OUT_DIR:-reports/nightly-$(date -u +%Y%m%dT%H%M%SZ)}"
history="${HISTORY_DIR:-reports/history}"
[[ "$repeats" =~ ^[1-9][0-9]*$ ]] || die "REPEATS must be a positive integer, got '$repeats'"

ensure_deps
cluster_args=(--cluster embedded)
if [[ "$cluster" == kind ]]; then
  runtime="${RUNTIME:-cluster}"
  [[ "$runtime" == cluster || "$runtime" == process ]] || die "RUNTIME must be cluster or process, got '$runtime'"
  # Cluster and CRDs only: each run (repeat) deploys its own operator and simulator, as pods
  # (built, kind-loaded) or on the runner, and removes them afterwards.
  KIND_DEPLOY=0 "$CI_ROOT/ci/kind/up.sh"
  cluster_args=(--cluster kind --runtime "$runtime")
  [[ "${KEEP_CLUSTER:-0}" == 1 ]] || trap '"$CI_ROOT/ci/kind/down.sh" || true' EXIT
elif [[ "$cluster" != embedded ]]; then
  die "CLUSTER must be kind or embedded, got '$cluster'"
fi

sink_args=()
# An unreachable endpoint costs the figures in Prometheus, never the run (docs/outputs.md).
if [[ -n "${REMOTE_WRITE_URL:-}" ]]; then sink_args=(--out "prometheus-rw=$REMOTE_WRITE_URL"); fi

log "run $scenario ×$repeats on $cluster → $out"
rc=0
pb run "$scenario" "${cluster_args[@]}" --repeat "$repeats" --out "$out" "${sink_args[@]}" || rc=$?
if [[ ! -f "$out/results.json" ]]; then
  step_summary <<<"### Nightly $scenario: no results (harness error, exit $rc) — see the job log"
  exit "$(worst 1 "$rc")"
fi
ensure_report "$out"
mkdir -p "$history"
pb history "$history" --append "$out" --no-png >&2 || log "history update failed (the run itself is kept in $out)"
step_summary "$out/summary.md"
[[ -f "$history/history/index.md" ]] && step_summary "$history/history/index.md"
log "done: $out (exit $rc)"
exit "$rc"
