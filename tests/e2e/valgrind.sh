#!/usr/bin/env bash
# valgrind.sh -- the end-to-end suite with every call of motcua under
# valgrind: zero errors and zero definite or indirect leaks, or it fails.
#
#   MOTCUA=build-vg/motcua tests/e2e/valgrind.sh [CASE-FILTER]
#
# MOTCUA names the real binary; build it with -DMC_NO_JIT (PCRE2's JIT
# writes code valgrind cannot follow and reports false errors):
#   make BUILD=build-vg OPT="-O1 -g" EXTRA_CFLAGS=-DMC_NO_JIT build-vg/motcua
# (make check does this, then runs this script)
# The cases get a wrapper script as MOTCUA, MOTCUA_REAL for what must be an
# ELF file (65-hardening), and MOTCUA_UNDER_VALGRIND=1 so that they skip
# their timing and memory bounds, which measure valgrind, not motcua.
# valgrind writes to its own log per process, not to motcua's stderr, which
# the cases read: a finding fails the call (exit 99) and is printed at the end.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
REAL=${MOTCUA:-$root/build-vg/motcua}
command -v valgrind >/dev/null || { echo "valgrind.sh: valgrind is not installed" >&2; exit 1; }
[ -x "$REAL" ] || { echo "valgrind.sh: no binary $REAL (see the header of this script)" >&2; exit 1; }
REAL=$(cd "$(dirname "$REAL")" && pwd)/$(basename "$REAL")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp" # the cases run motcua as 'nobody' too
mkdir -m 1777 "$tmp/logs"
cat >"$tmp/motcua" <<EOF
#!/bin/sh
exec valgrind --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \\
    --errors-for-leak-kinds=definite,indirect --track-origins=yes -q \\
    --log-file="$tmp/logs/vg.%p.log" "$REAL" "\$@"
EOF
chmod 755 "$tmp/motcua"

# The crash test kills run 20 times in a 200,000-row load: under valgrind a
# smaller load and fewer kills reach the same code.
export CRASH_ROWS=${CRASH_ROWS:-20000} CRASH_KILLS=${CRASH_KILLS:-4}
st=0
MOTCUA="$tmp/motcua" MOTCUA_REAL="$REAL" MOTCUA_UNDER_VALGRIND=1 "$here/run.sh" "$@" || st=$?

# an empty log is a clean process
found=0
for log in "$tmp"/logs/vg.*.log; do
    [ -s "$log" ] || continue
    found=$((found + 1))
    echo "--- valgrind: $(basename "$log")"
    head -n 60 "$log"
done
calls=$(find "$tmp/logs" -name 'vg.*.log' | wc -l)
echo "valgrind: $calls motcua processes, $found with errors or leaks"
[ "$found" -eq 0 ] && [ "$st" -eq 0 ]
