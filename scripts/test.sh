#!/usr/bin/env bash
# `npm test`: THE test command, for people and for CI (.ci/run). Runs every check in order and
# stops at the first failure; the last line says how it went.
#   build → lint → format → typecheck → unit + integration (per project) → deploy checks → e2e
# Integration and e2e tests need PostgreSQL on 127.0.0.1:5432 and NATS (JetStream) on :4222.
set -uo pipefail

cd "$(dirname "$0")/.."
export NX_NO_CLOUD=true NX_DAEMON=false NX_TELEMETRY=false

started=$SECONDS
passed=()
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Sums Jest's "Tests: …" lines of every run into one plain closing line for people and CI.
count_tests() {
  sed 's/\x1b\[[0-9;]*m//g' "$log" | awk '
    /^([^ ]+: )?Tests:/ {
      for (i = 1; i <= NF; i++) {
        if ($(i+1) ~ /^passed/) p += $i
        if ($(i+1) ~ /^failed/) f += $i
        if ($(i+1) ~ /^skipped/) s += $i
      }
    }
    END { printf "tests: %d passed, %d failed", p, f; if (s) printf ", %d skipped", s; print "" }'
}

finish() {
  local result=$1 detail=$2
  local elapsed=$((SECONDS - started))
  echo
  echo "════════════════════════════════════════════════════════════════════════"
  echo "npm test: ${result} — ${detail} (${elapsed} s; passed: ${passed[*]:-none})"
  echo "════════════════════════════════════════════════════════════════════════"
  count_tests
}

step() {
  local name=$1
  shift
  echo
  echo "──── ${name}: $* ────"
  local step_started=$SECONDS
  if "$@" 2>&1 | tee -a "$log"; then
    passed+=("$name")
    echo "──── ${name}: ok ($((SECONDS - step_started)) s) ────"
  else
    local code=$?
    finish "FAILED" "step '${name}' exited with ${code}"
    exit "$code"
  fi
}

step build npm run build
step lint npm run lint
step format npm run format:check
step typecheck npm run typecheck
step unit+integration npx nx run-many -t test --parallel=2 --outputStyle=stream
step deploy npx jest -c test/jest.config.cjs
if [[ -f e2e/jest.config.cjs ]]; then
  step e2e npx jest -c e2e/jest.config.cjs --runInBand
else
  echo
  echo "──── e2e: skipped (e2e/jest.config.cjs does not exist yet) ────"
fi

finish "PASSED" "all steps succeeded"
