#!/usr/bin/env bash
# Crash safety (SPEC 8, 9): `motcua run` killed with SIGKILL at random
# moments while it loads a large export, and started again each time, ends
# with the same store and the same report files as one uninterrupted run,
# and every export is at every moment in exactly one of inbox, archive,
# quarantine.  CRASH_ROWS and CRASH_KILLS make it smaller or larger.
. "$(dirname "$0")/../lib.sh"
ROWS=${CRASH_ROWS:-200000}
KILLS=${CRASH_KILLS:-20}
work=$(mktemp -d)
trap 'kill_child; rm -rf "$work"' EXIT

if [ -x "$GEN" ]; then
    "$GEN" -q --rows "$ROWS" --seed 21 -o "$work/big.csv"
    "$GEN" -q --rows 2000 --seed 22 --seq-start 50000 --gzip -o "$work/small.csv.gz"
else
    awk -v n="$ROWS" 'BEGIN {
        srand(21); print "MaHoSo,MaDonVi,TrangThaiHoSo,NgayTiepNhan,NgayHenTra,NgayKetThucXuLy,KenhThucHien"
        for (i = 1; i <= n; i++) {
            d = 1 + int(rand() * 28); m = 1 + int(rand() * 12); st = (rand() < 0.7) ? 10 : 4
            fin = (st == 10) ? sprintf("%02d/%02d/2025", (d % 28) + 1, m) : ""
            printf "C-%07d,000.00.06.H56,%d,%02d/%02d/2025,%02d/%02d/2025,%s,%d\n", i % (n - n / 10), st, d, m, (d % 28) + 1, m, fin, 1 + int(rand() * 2)
        } }' >"$work/big.csv"
    printf 'MaHoSo,MaDonVi,TrangThaiHoSo,NgayTiepNhan\nS-1,000.00.06.H56,2,05/01/2026\n' | gzip -n >"$work/small.csv.gz"
fi
printf 'binary\001\002\003\000' >"$work/bad.csv"
exports=(bad.csv big.csv small.csv.gz)

setup() { mkdir -p "$1/inbox"; for f in "${exports[@]}"; do cp "$work/$f" "$1/inbox/"; done; }
in_one_place() { # every export in exactly one of inbox, archive, quarantine
    local f n
    for f in "${exports[@]}"; do
        n=$( (find "$1/inbox" "$1/archive" "$1/quarantine" -name "$f" -type f 2>/dev/null || true) | wc -l)
        [ "$n" -eq 1 ] || fail "$2: $f is in $n places: $(find "$1" -name "$f*")"
    done
}

# the uninterrupted run, timed
ref="$work/ref"
setup "$ref"
t0=$(date +%s%N)
st=0
(cd "$ref" && "$MOTCUA" run) >"$work/ref.out" 2>"$work/ref.err" || st=$?
span=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$st" -eq 65 ] || { cat "$work/ref.err"; fail "reference run: exit $st, want 65 (bad.csv)"; }
in_one_place "$ref" "reference"
# how long the load of big.csv itself takes: the kills land inside it
t0=$(date +%s%N)
"$MOTCUA" ingest --db "$work/scratch.db" "$work/big.csv" >/dev/null 2>&1 || true
load=$(( ($(date +%s%N) - t0) / 1000000 ))
rm -f "$work"/scratch.db*
echo "uninterrupted run: ${span} ms, of which loading big.csv: ${load} ms"

# the same store and the same report files as the reference
same_as_ref() { # same_as_ref DIR WHEN
    local d=$1 p
    for x in "$ref" "$d"; do
        "$MOTCUA" report --db "$x/motcua.db" --table files --format csv | cut -d, -f1-7 >"$x.files"
        for p in 2025-Q4 2026-01 2025; do
            "$MOTCUA" report --db "$x/motcua.db" --period "$p" --format csv >"$x.units-$p"
        done
        "$MOTCUA" report --db "$x/motcua.db" --table rejects --format csv >"$x.rejects"
    done
    diff -u "$ref.files" "$d.files" || fail "$2: the ledgers differ"
    for p in 2025-Q4 2026-01 2025; do
        cmp -s "$ref.units-$p" "$d.units-$p" || fail "$2: the $p units tables differ"
    done
    cmp -s "$ref.rejects" "$d.rejects" || fail "$2: the rejects differ"
    "$MOTCUA" check --db "$d/motcua.db" >/dev/null || fail "$2: check fails"
    diff -r "$ref/reports" "$d/reports" >/dev/null ||
        { diff -r "$ref/reports" "$d/reports" | head; fail "$2: report files differ"; }
    [ -z "$(find "$d/reports" -name '.*')" ] || fail "$2: temporary files left in reports/"
    [ -f "$d/archive/2026/01/big.csv" ] && [ -f "$d/archive/2026/01/small.csv.gz" ] ||
        fail "$2: exports not archived: $(find "$d" -type f -name '*.csv*')"
    [ -f "$d/quarantine/bad.csv" ] || fail "$2: bad.csv not quarantined"
}

# the killed runs: each is killed at a random moment of the load and started
# again.  Timing varies, so a run may now and then finish before its kill:
# its result must then already equal the reference, and the test starts
# over from the full inbox (until KILLS runs were killed mid-way).
crash="$work/crash"
setup "$crash"
cd "$crash"
killed=0 tries=0 finished=0
while [ "$killed" -lt "$KILLS" ]; do
    tries=$((tries + 1))
    [ "$tries" -le $((3 * KILLS)) ] || fail "only $killed of $tries runs could be killed mid-way"
    delay=$(( (RANDOM * 32768 + RANDOM) % load ))
    kill_after "$delay" "$MOTCUA" run >>"$work/crash.out" 2>>"$work/crash.err"
    in_one_place "$crash" "after the run killed at ${delay} ms"
    # 137: killed by the signal (kill also succeeds on a finished, unreaped run)
    if [ "$rc" -eq 137 ]; then
        killed=$((killed + 1))
        continue
    fi
    [ "$rc" -eq 0 ] || [ "$rc" -eq 65 ] || fail "a run exited $rc: $(tail -3 "$work/crash.err")"
    if [ -z "$(find inbox -maxdepth 1 -name 'big.csv')" ]; then
        finished=$((finished + 1))
        same_as_ref "$crash" "a run that finished after $killed kills"
        cd "$work" && rm -rf "$crash" && setup "$crash" && cd "$crash"
    fi
done
echo "$killed runs killed mid-way ($tries started, $finished finished before their kill)"
st=0
"$MOTCUA" run >"$work/last.out" 2>"$work/last.err" || st=$?
[ "$st" -eq 0 ] || [ "$st" -eq 65 ] || { cat "$work/last.err"; fail "last run: exit $st"; }
in_one_place "$crash" "at the end"
same_as_ref "$crash" "after the last kill"
echo "ok: crash safety"
