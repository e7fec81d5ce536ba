#!/usr/bin/env bash
# Pre-release gate: scale-1000 (with repeats) and the failover suite, each compared with the last
# release's baseline in fixtures/baselines/<previous tag>/<scenario>/. Fails (99) on any failed
# threshold or any gated regression beyond BUDGET percent, 1 on a harness error or missing baseline.
# Writes this release's candidate baseline to OUT_DIR/baseline/ (commit it as fixtures/baselines/<tag>/).
#   env: TAG (default: the tag at HEAD) BASELINE_TAG (default: the tag before TAG)
#        CLUSTER=kind|embedded REPEATS=3 BUDGET=10 OUT_DIR=reports/pre-release
#        RUNTIME=cluster|process (kind only: the operator and simulator as pods — the default — or on the runner)
#        ALLOW_MISSING_BASELINE=0 (1: first release — report, do not fail, when no baseline exists)
#        SCENARIOS="scale-1000 failover-leader …" (to try the gate quickly) BASELINE_ROOT=fixtures/baselines
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"

tag="${TAG:-$(git describe --tags --exact-match 2>/dev/null || true)}"
[[ -n "$tag" ]] || die "no tag at HEAD — set TAG"
baseline_tag="${BASELINE_TAG:-$(git describe --tags --abbrev=0 "$tag^" 2>/dev/null || true)}"
cluster="${CLUSTER:-kind}"
repeats="${REPEATS:-3}"
budget="${BUDGET:-10}"
out="${OUT_DIR:-reports/pre-release}"
# The failover suite. failover-controlplane restarts kube-apiserver and etcd: embedded processes,
# or kind's static pods (the kubelet starts them again).
read -r -a scenarios <<<"${SCENARIOS:-scale-1000 failover-leader failover-path failover-site failover-controlplane}"
baseline_root="${BASELINE_ROOT:-fixtures/baselines}"

# A missing baseline fails now, not after an hour of benchmarks.
if [[ "${ALLOW_MISSING_BASELINE:-0}" != 1 ]]; then
  [[ -n "$baseline_tag" ]] || die "no release before $tag to compare with — set BASELINE_TAG, or ALLOW_MISSING_BASELINE=1 for the first release"
  for s in "${scenarios[@]}"; do
    [[ -f "$baseline_root/$baseline_tag/$s/results.json" ]] ||
      die "no baseline $baseline_root/$baseline_tag/$s/results.json — commit the previous release's reports/pre-release/baseline/ there, or set ALLOW_MISSING_BASELINE=1"
  done
fi

ensure_deps
if [[ "$cluster" == kind ]]; then
  runtime="${RUNTIME:-cluster}"
  [[ "$runtime" == cluster || "$runtime" == process ]] || die "RUNTIME must be cluster or process, got '$runtime'"
  # Cluster and CRDs only: each run deploys its own operator and simulator (as pods, or on the
  # runner) and removes them afterwards.
  KIND_DEPLOY=0 "$CI_ROOT/ci/kind/up.sh"
  [[ "${KEEP_CLUSTER:-0}" == 1 ]] || trap '"$CI_ROOT/ci/kind/down.sh" || true' EXIT
elif [[ "$cluster" != embedded ]]; then
  die "CLUSTER must be kind or embedded, got '$cluster'"
fi

mkdir -p "$out"
out="$(cd "$out" && pwd)"
table="$out/gate.md"
{
  echo "### Pre-release gate $tag (baseline: ${baseline_tag:-none}, budget ${budget}%)"
  echo
  echo "| scenario | cluster | thresholds | vs ${baseline_tag:-baseline} |"
  echo "|---|---|---|---|"
} >"$table"

overall=0
for s in "${scenarios[@]}"; do
  args=(--cluster embedded)
  where=embedded
  if [[ "$cluster" == kind ]]; then
    args=(--cluster kind --runtime "$runtime")
    where="kind ($runtime)"
  fi
  n=1
  [[ "$s" == scale-1000 ]] && n="$repeats"
  log "run $s ×$n on $where"
  rc=0
  pb run "$s" "${args[@]}" --repeat "$n" --out "$out/$s" || rc=$?
  verdict="pass"
  [[ "$rc" == 99 ]] && verdict="**FAIL**"
  [[ "$rc" == 98 ]] && verdict="inconclusive (other work on the machine)"
  [[ "$rc" == 1 || ! -f "$out/$s/results.json" ]] && verdict="**ERROR** (exit $rc)"
  overall="$(worst "$overall" "$rc")"

  versus="no baseline"
  base="$baseline_root/$baseline_tag/$s"
  if [[ -f "$out/$s/results.json" && -n "$baseline_tag" && -f "$base/results.json" ]]; then
    crc=0
    pb compare "$base" "$out/$s" --budget "$budget" --format markdown --out "$out/$s/compare" --no-png \
      >"$out/$s/compare.md" || crc=$?
    case "$crc" in
      0) versus="no regression" ;;
      99) versus="**REGRESSION** (see compare.md)" ;;
      *) versus="**compare failed** (exit $crc)" ;;
    esac
    overall="$(worst "$overall" "$crc")"
  fi
  echo "| $s | $where | $verdict | $versus |" >>"$table"

  # This release's candidate baseline: results of every repeat, nothing rendered.
  if [[ -f "$out/$s/results.json" ]]; then
    mkdir -p "$out/baseline/$s"
    (cd "$out/$s" && find . -name results.json -not -path './compare/*' -exec cp --parents {} "$out/baseline/$s/" \;)
  fi
done

{
  echo
  echo "Candidate baseline for $tag: \`$out/baseline/\` (commit as \`fixtures/baselines/$tag/\`)."
} >>"$table"
step_summary "$table"
for s in "${scenarios[@]}"; do [[ -f "$out/$s/compare.md" ]] && step_summary "$out/$s/compare.md"; done
cat "$table" >&2
log "gate exit $overall"
exit "$overall"
