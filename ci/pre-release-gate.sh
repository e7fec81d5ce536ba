#!/usr/bin/env bash
# Pre-release gate: scale-1000 (with repeats) and the failover suite against their thresholds, and
# the previous release's reference operator against this one on this runner (`ab`, base and head
# alternating, gated on figures that do not move with the runner's speed). Fails (99) on a failed
# threshold or a gated regression, 98 when the A/B could not decide or a run was disturbed by other
# work, 1 on a harness error or no previous release. Writes this release's results to
# OUT_DIR/baseline/ (commit them as fixtures/baselines/<tag>/ for history and trends; the gate does
# not compare with stored results: another runner on another day measures the runner, not the code).
#   env: TAG (default: the tag at HEAD) BASELINE_TAG (default: the tag before TAG)
#        CLUSTER=kind|embedded REPEATS=3 OUT_DIR=reports/pre-release
#        RUNTIME=cluster|process (kind only: the operator and simulator as pods — the default — or on the runner)
#        AB_SCENARIOS="scale-1000" PAIRS=6 GATE=<metrics> MIN_EFFECT=10 (the A/B; its operators run
#          on the runner against the cluster: a git revision has no image of its own)
#        ALLOW_MISSING_BASELINE=0 (1: first release — no A/B, do not fail)
#        SCENARIOS="scale-1000 failover-leader …" (to try the gate quickly)
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"

tag="${TAG:-$(git describe --tags --exact-match 2>/dev/null || true)}"
[[ -n "$tag" ]] || die "no tag at HEAD — set TAG"
baseline_tag="${BASELINE_TAG:-$(git describe --tags --abbrev=0 "$tag^" 2>/dev/null || true)}"
cluster="${CLUSTER:-kind}"
repeats="${REPEATS:-3}"
pairs="${PAIRS:-6}"
out="${OUT_DIR:-reports/pre-release}"
# The failover suite. failover-controlplane restarts kube-apiserver and etcd: embedded processes,
# or kind's static pods (the kubelet starts them again).
read -r -a scenarios <<<"${SCENARIOS:-scale-1000 failover-leader failover-path failover-site failover-controlplane}"
read -r -a ab_scenarios <<<"${AB_SCENARIOS:-scale-1000}"

# No previous release fails now, not after an hour of benchmarks.
if [[ "${ALLOW_MISSING_BASELINE:-0}" != 1 ]]; then
  [[ -n "$baseline_tag" ]] || die "no release before $tag to compare with — set BASELINE_TAG, or ALLOW_MISSING_BASELINE=1 for the first release"
  git rev-parse --verify -q "$baseline_tag^{commit}" >/dev/null ||
    die "no release $baseline_tag in this clone to A/B against — fetch its tag (fetch-depth: 0), set BASELINE_TAG, or ALLOW_MISSING_BASELINE=1 for the first release"
elif [[ -n "$baseline_tag" ]] && ! git rev-parse --verify -q "$baseline_tag^{commit}" >/dev/null; then
  baseline_tag=""
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
  echo "### Pre-release gate $tag (previous release: ${baseline_tag:-none})"
  echo
  echo "| scenario | cluster | thresholds | vs ${baseline_tag:-previous release} on this runner |"
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

  versus="not A/B'd (AB_SCENARIOS)"
  [[ -z "$baseline_tag" ]] && versus="no previous release"
  if [[ -n "$baseline_tag" && " ${ab_scenarios[*]} " == *" $s "* ]]; then
    # The operators run on the runner against the same cluster (a git revision has no image).
    log "ab $s: $baseline_tag (base) and this checkout (head), $pairs pair(s) alternately"
    arc=0
    pb ab "$s" --base "git:$baseline_tag" --head reference --pairs "$pairs" --cluster "$cluster" \
      --gate "${GATE:-$DEFAULT_AB_GATE}" --min-effect "${MIN_EFFECT:-10}" --out "$out/$s-ab" --no-report || arc=$?
    case "$arc" in
      0) versus="no regression ($pairs pairs)" ;;
      99) versus="**REGRESSION** (see $s-ab/ab.md)" ;;
      98) versus="undecided: more pairs or a quieter runner would decide (see $s-ab/ab.md)" ;;
      *) versus="**A/B failed** (exit $arc)" ;;
    esac
    overall="$(worst "$overall" "$arc")"
  fi
  echo "| $s | $where | $verdict | $versus |" >>"$table"

  # This release's results for history and trends: every repeat, nothing rendered.
  if [[ -f "$out/$s/results.json" ]]; then
    mkdir -p "$out/baseline/$s"
    (cd "$out/$s" && find . -name results.json -exec cp --parents {} "$out/baseline/$s/" \;)
  fi
done

{
  echo
  echo "Results of $tag for history: \`$out/baseline/\` (commit as \`fixtures/baselines/$tag/\`)."
} >>"$table"
step_summary "$table"
for s in "${ab_scenarios[@]}"; do [[ -f "$out/$s-ab/ab.md" ]] && step_summary "$out/$s-ab/ab.md"; done
cat "$table" >&2
log "gate exit $overall"
exit "$overall"
