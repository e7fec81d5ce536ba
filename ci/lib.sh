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
