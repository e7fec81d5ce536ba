#!/usr/bin/env bash
# Quick PR benchmark: the smoke scenario on the embedded control plane, for the base branch and
# for this checkout on the same machine, then `compare` (exit 99 on a gated regression beyond
# BUDGET percent; the threshold verdict of the head run counts too).
#   env: BASE_REF=origin/main REPEATS=2 BUDGET=25 OUT_DIR=reports/pr
#        BASE_RESULTS=<dir>  compare with these results instead of running the base branch
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"

base_ref="${BASE_REF:-origin/main}"
repeats="${REPEATS:-2}"
# Shared CI runners are noisy and smoke is short: only large changes gate a pull request.
budget="${BUDGET:-25}"
out="${OUT_DIR:-reports/pr}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
ensure_deps

base="${BASE_RESULTS:-}"
if [[ -z "$base" ]]; then
  git rev-parse --verify -q "$base_ref^{commit}" >/dev/null || die "base ref $base_ref not found (fetch it: git fetch origin main)"
  tree="$(mktemp -d)/base"
  git worktree add -q --detach "$tree" "$base_ref"
  trap 'git worktree remove --force "$tree" || true' EXIT
  # Same dependencies when the lock file is unchanged (the usual PR); a fresh install otherwise.
  if cmp -s package-lock.json "$tree/package-lock.json"; then
    ln -s "$CI_ROOT/node_modules" "$tree/node_modules"
  else
    (cd "$tree" && npm ci --no-audit --no-fund)
  fi
  log "run smoke ×$repeats on $base_ref"
  base="$out/base"
  (cd "$tree" && node_modules/.bin/node harness/cli/main.ts run smoke --cluster embedded --repeat "$repeats" \
    --out "$base" --no-report) || log "base run exited $? (compared anyway when results exist)"
  [[ -f "$base/results.json" ]] || die "the base branch produced no results — see the log above"
fi

log "run smoke ×$repeats on this checkout"
rc=0
pb run smoke --cluster embedded --repeat "$repeats" --out "$out/head" || rc=$?
[[ -f "$out/head/results.json" ]] || die "the head run produced no results (exit $rc)"

crc=0
pb compare "$base" "$out/head" --budget "$budget" --format markdown --out "$out/compare" --no-png >"$out/compare.md" || crc=$?
{
  echo "### PR benchmark: smoke ×$repeats vs $base_ref (budget ${budget}%)"
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
