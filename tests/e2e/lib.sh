# lib.sh -- the start every end-to-end case shares; a case sources it with
#   . "$(dirname "$0")/../lib.sh"
# It sets strict mode, finds the binaries (MOTCUA, GEN; run.sh exports
# MOTCUA and MOTCUA_GEN), pins the clock and the settling time so that runs
# repeat exactly, and defines fail.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
MOTCUA=${MOTCUA:-$root/motcua}
GEN=${MOTCUA_GEN:-$root/build/motcua-gen}
MOTCUA_GEN=$GEN
FIXTURES=${FIXTURES:-$root/fixtures}
EXPECTED=${EXPECTED:-$root/tests/e2e/expected}
export LC_ALL=C.UTF-8 MOTCUA_TODAY=2026-01-20 MOTCUA_NOW=2026-01-20T02:00:00+07:00
export MOTCUA_SETTLE_SECONDS=0
fail() { echo "FAIL: $*" >&2; exit 1; }

# kill_after MS CMD...: start CMD in the background, SIGKILL it after MS
# milliseconds, and reap it; rc gets its exit status (137 when the kill
# landed, 0 when it had finished).  child names it meanwhile, for a trap.
child=
kill_after() {
    local ms=$1
    shift
    "$@" &
    child=$!
    sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
    kill -9 "$child" 2>/dev/null || true
    rc=0
    wait "$child" 2>/dev/null || rc=$?
    child=
}

# kill_child: for an EXIT trap, SIGKILL what kill_after still runs (the
# case failed half-way) and reap every background job.
kill_child() {
    [ -n "$child" ] && kill -9 "$child" 2>/dev/null || true
    wait 2>/dev/null || true
}

# page_size DB: the page size of the SQLite file DB, from its header (bytes
# 16-17, big-endian), without opening it: an open could checkpoint it.
page_size() {
    local b
    read -r -a b < <(od -An -tu1 -j16 -N2 "$1")
    echo $(( b[0] * 256 + b[1] ))
}
