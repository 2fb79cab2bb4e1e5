#!/usr/bin/env bash
# Runs inside the fresh container: the README's commands on the committed tree, each step timed.
# /in/tree.tar is `git archive HEAD`; /shared (when mounted) is the shared data the tests read beside the repo.
set -uo pipefail
declare -a STEPS=()
fail() { echo "FRESH-CHECK FAILED: $*" >&2; report; exit 1; }
report() {
  echo; echo "fresh-machine check, step times:"
  for s in "${STEPS[@]}"; do echo "  $s"; done
}
timed() {  # timed NAME CMD...: runs CMD, records its wall time
  local name=$1; shift; local t0=$SECONDS
  echo; echo "=== $name ==="
  "$@"; local rc=$?
  STEPS+=("$(printf '%-34s %4d s  %s' "$name" $((SECONDS - t0)) "$([[ $rc -eq 0 ]] && echo ok || echo "FAILED rc=$rc")")")
  return $rc
}

mkdir -p /work/main && tar -xf /in/tree.tar -C /work/main
[[ -d /shared ]] && ln -s /shared /work/shared
cd /work/main

timed "make test (installs, lint, types, tests)" bash -c 'set -o pipefail; make test 2>&1 | tee /tmp/test.log' \
  || fail "make test"
summary=$(grep -E '^[0-9]+ passed|[0-9]+ passed' /tmp/test.log | tail -1)
echo "pytest: $summary"
if [[ -n "${EXPECT_SUMMARY:-}" ]]; then
  counts() { grep -oE '[0-9]+ (passed|skipped|failed|errors?|xfailed|xpassed)' <<<"$1" | sort | tr '\n' ' '; }
  [[ "$(counts "$summary")" == "$(counts "$EXPECT_SUMMARY")" ]] \
    || fail "test counts differ: here '$summary', on the host '$EXPECT_SUMMARY'"
  STEPS+=("$(printf '%-34s %s' "same test counts as the host" "$(counts "$summary")")")
fi

run_log=/tmp/make-run.log
t0=$SECONDS
setsid make run >"$run_log" 2>&1 &
run_pid=$!
up=""
for _ in $(seq 1 240); do
  if [[ -f .local/stack.json ]] && grep -q "Ctrl-C stops everything" "$run_log"; then up=1; break; fi
  kill -0 $run_pid 2>/dev/null || break
  sleep 0.5
done
STEPS+=("$(printf '%-34s %4d s  %s' "make run (until it serves)" $((SECONDS - t0)) "${up:+ok}")")
[[ -n "$up" ]] || { tail -40 "$run_log"; fail "make run did not come up"; }
grep -A3 "Lending backend running" "$run_log"

timed "make demo (the whole journey)" make demo; demo_rc=$?
kill -INT -- -$run_pid 2>/dev/null; wait $run_pid 2>/dev/null
[[ $demo_rc -eq 0 ]] || { tail -40 "$run_log"; fail "make demo"; }
report
echo "FRESH-CHECK PASSED"
