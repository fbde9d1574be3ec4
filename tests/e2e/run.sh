#!/usr/bin/env bash
# End-to-end tests: run every tests/e2e/cases/*.sh against the real binary.
#
# Each case is a bash script that uses "$MOTCUA" (the binary), "$FIXTURES"
# (the fixtures folder) and "$EXPECTED" (tests/e2e/expected), works in its
# own temporary folder, and exits non-zero with a message when it fails.
# The last line is the plain "N passed, N failed" that CI reads.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export MOTCUA=${MOTCUA:-$root/motcua}
export MOTCUA_GEN=${MOTCUA_GEN:-$root/build/motcua-gen}
export FIXTURES=$root/fixtures
export EXPECTED=$here/expected
export LC_ALL=C.UTF-8
# A pinned clock: loaded_at and "today" are the same on every run.
export MOTCUA_NOW=2026-01-20T02:00:00+07:00
export MOTCUA_TODAY=2026-01-20
pass=0
fail=0
failed=()
only=${1:-}
for t in "$here"/cases/*.sh; do
    name=$(basename "$t" .sh)
    [ -n "$only" ] && [[ "$name" != *"$only"* ]] && continue
    log=$(mktemp)
    if bash "$t" >"$log" 2>&1; then
        pass=$((pass + 1))
        echo "ok   $name"
    else
        fail=$((fail + 1))
        failed+=("$name")
        echo "FAIL $name"
        sed 's/^/     | /' "$log" | tail -n 30
    fi
    rm -f "$log"
done
echo
echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
