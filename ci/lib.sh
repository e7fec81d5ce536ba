# shellcheck shell=bash
# Shared by the ci/*.sh scripts (sourced, not run). Works on any CI system: GitHub-specific outputs
# (job summary) are written only when GITHUB_STEP_SUMMARY is set.
set -euo pipefail
CI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$CI_ROOT"

log() { printf 'ci: %s\n' "$*" >&2; }
die() { printf 'ci: error: %s\n' "$*" >&2; exit 1; }

# The harness CLI on the repository's own Node 24 (node_modules/.bin/node), never the system node.
pb() { "$CI_ROOT/node_modules/.bin/node" "$CI_ROOT/harness/cli/main.ts" "$@"; }

ensure_deps() {
  [[ -x node_modules/.bin/node ]] || { log "npm ci"; npm ci --no-audit --no-fund; }
  pb controlplane ensure >&2
}

# Appends a Markdown file (or stdin) to the job summary of GitHub Actions; a no-op elsewhere.
step_summary() {
  [[ -n "${GITHUB_STEP_SUMMARY:-}" ]] || return 0
  if [[ $# -gt 0 ]]; then cat "$@" >>"$GITHUB_STEP_SUMMARY"; else cat >>"$GITHUB_STEP_SUMMARY"; fi
}

# Makes sure DIR has summary.md (the run renders it; render again if the report step failed).
ensure_report() {
  local dir="$1"
  [[ -f "$dir/summary.md" ]] || pb report "$dir" --no-png >&2 || log "report rendering failed for $dir"
}

# Folds exit codes: 1 (harness error) wins over 99 (threshold/regression) wins over 98
# (inconclusive: the machine was busy with other work) wins over 0.
worst() {
  local a="$1" b="$2" c
  for c in 1 99 98; do
    if [[ "$a" == "$c" || "$b" == "$c" ]]; then echo "$c"; return; fi
  done
  if [[ "$a" != 0 ]]; then echo "$a"; else echo "$b"; fi
}

# The exit the verdicts of results files make together: 99 when any run failed a threshold, 98 when
# any was inconclusive (other work on the machine), else 0.
verdicts_exit() {
  "$CI_ROOT/node_modules/.bin/node" -e '
    const fs = require("node:fs");
    const v = process.argv.slice(1).map((f) => JSON.parse(fs.readFileSync(f, "utf8")).verdict);
    console.log(v.includes("fail") ? 99 : v.includes("inconclusive") ? 98 : 0);
  ' "$@"
}

# What `ab` gates on in CI unless GATE says otherwise: correctness and cost counts, and the
# operator's CPU as a share of the control plane's — figures that do not move with the runner's
# speed (docs/ci.md#gating-on-a-noisy-runner).
# shellcheck disable=SC2034 # read by the scripts that source this file
DEFAULT_AB_GATE='apiserver_requests_per_object{},patronus_api_calls_per_object,operator_cpu_per_control_plane_cpu,lost_updates,wait_timeouts,objects_failed'
