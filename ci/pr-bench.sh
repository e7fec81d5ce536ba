#!/usr/bin/env bash
# PR benchmark: the base branch's reference operator and this checkout's, alternated on this runner
# (`ab`: A B B A …) and answered as head/base ratios with intervals, gated on figures that do not
# move with the runner's speed. Exit 99 when a gated figure regressed or a head run failed a
# threshold, 98 when a figure is undecided (more pairs would decide) or a run was disturbed by
# other work, 1 on a harness error.
#   env: BASE_REF=origin/main SCENARIO=smoke PAIRS=3 GATE=<metrics> MIN_EFFECT=10 OUT_DIR=reports/pr
#        BASE_RESULTS=<dir>  instead of the A/B: this checkout's runs (REPEATS=2) compared with stored
#                            results (`compare`, BUDGET=25 percent) — another runner's, another day's:
#                            for trends, not for a gate on a noisy runner
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"

base_ref="${BASE_REF:-origin/main}"
scenario="${SCENARIO:-smoke}"
out="${OUT_DIR:-reports/pr}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
ensure_deps

if [[ -n "${BASE_RESULTS:-}" ]]; then
  repeats="${REPEATS:-2}"
  budget="${BUDGET:-25}"
  log "run $scenario ×$repeats on this checkout, compared with $BASE_RESULTS"
  rc=0
  pb run "$scenario" --cluster embedded --repeat "$repeats" --out "$out/head" || rc=$?
  [[ -f "$out/head/results.json" ]] || die "the head run produced no results (exit $rc)"
  crc=0
  pb compare "$BASE_RESULTS" "$out/head" --budget "$budget" --format markdown --out "$out/compare" --no-png \
    >"$out/compare.md" || crc=$?
  {
    echo "### PR benchmark: $scenario ×$repeats vs stored results (budget ${budget}%)"
    echo
    cat "$out/compare.md"
    echo
  } | step_summary
  ensure_report "$out/head"
  [[ -f "$out/head/summary.md" ]] && step_summary "$out/head/summary.md"
  cat "$out/compare.md" >&2
  final="$(worst "$rc" "$crc")"
  log "threshold exit $rc, compare exit $crc → $final"
  exit "$final"
fi

pairs="${PAIRS:-3}"
git rev-parse --verify -q "$base_ref^{commit}" >/dev/null || die "base ref $base_ref not found (fetch it: git fetch origin main)"
log "ab $scenario: $base_ref (base) and this checkout (head), $pairs pair(s) alternately on this runner"
arc=0
pb ab "$scenario" --base "git:$base_ref" --head reference --pairs "$pairs" --cluster embedded \
  --gate "${GATE:-$DEFAULT_AB_GATE}" --min-effect "${MIN_EFFECT:-10}" --out "$out/ab" || arc=$?
[[ -f "$out/ab/ab.json" ]] || die "the A/B produced no answer (exit $arc) — see the log above"
shopt -s nullglob
head_results=("$out"/ab/head/repeat-*/results.json)
rc=0
((${#head_results[@]} > 0)) && rc="$(verdicts_exit "${head_results[@]}")"
{
  echo "### PR benchmark: $scenario, $base_ref vs this change, $pairs pair(s) on one runner"
  echo
  cat "$out/ab/ab.md"
  echo
} | step_summary
final="$(worst "$rc" "$arc")"
log "head thresholds exit $rc, A/B exit $arc → $final"
exit "$final"
