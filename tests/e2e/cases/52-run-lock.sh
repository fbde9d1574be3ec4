#!/usr/bin/env bash
# One run at a time (SPEC 8): while a run holds DB.lock, another exits 75 at
# once naming the holder's PID; two runs started together: one works, one
# exits 75, and nothing is loaded twice.
. "$(dirname "$0")/../lib.sh"
ROWS=${LOCK_ROWS:-150000}
work=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
gen() {
    local rows=$1 seed=$2 out=$3
    if [ -x "$GEN" ]; then
        "$GEN" --rows "$rows" --seed "$seed" -q -o "$out"
    else
        awk -v n="$rows" -v seed="$seed" 'BEGIN {
            srand(seed); print "MaHoSo,MaDonVi,TrangThaiHoSo,NgayTiepNhan,NgayHenTra,NgayKetThucXuLy,KenhThucHien"
            for (i = 1; i <= n; i++) {
                d = 1 + int(rand() * 28); m = 1 + int(rand() * 12); st = (rand() < 0.7) ? 10 : 4
                fin = (st == 10) ? sprintf("%02d/%02d/2025", (d % 28) + 1, m) : ""
                printf "S%d-%06d,000.00.06.H56,%d,%02d/%02d/2025,%02d/%02d/2025,%s,%d\n", seed, i, st, d, m, (d % 28) + 1, m, fin, 1 + int(rand() * 2)
            } }' >"$out"
    fi
}
gen "$ROWS" 11 "$work/big.csv"

# 1. a run holds the lock; a second one is refused at once, naming it
mkdir -p "$work/a/inbox"
cp "$work/big.csv" "$work/a/inbox/"
cd "$work/a"
"$MOTCUA" run >"$work/a.out" 2>"$work/a.err" &
holder=$!
pids+=("$holder")
for _ in $(seq 200); do
    [ -s motcua.db.lock ] && break
    sleep 0.05
done
[ "$(cat motcua.db.lock 2>/dev/null)" = "$holder" ] || fail "the lock file does not hold the run's PID"
st=0
"$MOTCUA" run >"$work/b.out" 2>"$work/b.err" || st=$?
[ "$st" -eq 75 ] || { cat "$work/b.err"; fail "second run exit $st, want 75"; }
grep -q "another motcua run (process $holder) holds the lock" "$work/b.err" || fail "message: $(cat "$work/b.err")"
# "at once" means: refused while the holder still runs, not after waiting for it
kill -0 "$holder" 2>/dev/null ||
    fail "the holder had finished when the second run returned (raise LOCK_ROWS)"
st=0
wait "$holder" || st=$?
[ "$st" -eq 0 ] || { cat "$work/a.err"; fail "first run exit $st"; }
[ -f archive/2026/01/big.csv ] || fail "big.csv not archived"
[ ! -s motcua.db.lock ] || fail "the lock file still names a PID after the run"

# 2. two runs started together
mkdir -p "$work/b/inbox"
cp "$work/big.csv" "$work/b/inbox/"
gen 1000 12 "$work/b/inbox/small.csv"
cd "$work/b"
"$MOTCUA" run >"$work/r1.out" 2>"$work/r1.err" &
p1=$!
"$MOTCUA" run >"$work/r2.out" 2>"$work/r2.err" &
p2=$!
pids+=("$p1" "$p2")
s1=0 s2=0
wait "$p1" || s1=$?
wait "$p2" || s2=$?
statuses=$(printf '%s\n' "$s1" "$s2" | sort -n | tr '\n' ' ')
[ "$statuses" = "0 75 " ] || { cat "$work"/r?.err; fail "statuses $statuses, want 0 and 75"; }
n=$("$MOTCUA" report --table files --format csv | tail -n +2 | wc -l)
[ "$n" -eq 2 ] || fail "$n files in the ledger, want 2"
[ "$(find inbox archive -type f | wc -l)" -eq 2 ] || fail "exports: $(find inbox archive -type f)"
"$MOTCUA" check >/dev/null || fail "check"
echo "ok: lock"
