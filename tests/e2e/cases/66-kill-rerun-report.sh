#!/usr/bin/env bash
# Crash safety of rerun and of report writing (SPEC 7, 8): SIGKILL at
# random moments of
#   A. `motcua rerun --period P --from-archive` (rebuild, swap, outputs),
#   B. `motcua rerun --period P` (stored report, then the xlsx/html/csv files),
#   C. `motcua report --period P --format xlsx -o FILE`,
# each followed by the same command run again to completion, leaves the
# store and the output files equal to those of one uninterrupted run:
#   - right after a kill, every visible output file is whole: the version
#     from before the run or the clean run's, never half a file, and none
#     vanished; the store (a copy of DB and DB-wal) is the whole old store
#     or the whole new one: same ledger, same figures, `check` passes;
#   - after the next run (which must get the lock and recover any WAL):
#     the ledger, the rejects and the figures of three periods are the
#     clean run's, `check` exits 0, the output folder is byte for byte the
#     clean run's (`diff -r`; MOTCUA_NOW pins the only timestamps) with no
#     temporary file left, and no DB.new / DB.rebuild leftovers;
#   - for `report -o FILE`: FILE is absent or the complete previous version
#     or the complete new one after a kill, the new one after the next run;
#     the hidden .FILE.PID.tmp a killed one leaves is gone after the next
#     successful write of FILE.
# Kill delays come from a seeded sequence (CRASH_SEED) within the measured
# duration of an uninterrupted run.  CRASH_ROWS (rows in the archive) and
# CRASH_KILLS (kills per command) make it smaller or larger, as in
# 56-run-crash.sh.  No timing is asserted.
. "$(dirname "$0")/../lib.sh"
ROWS=${CRASH_ROWS:-40000}
KILLS=${CRASH_KILLS:-10}
RANDOM=${CRASH_SEED:-66}
NUNITS=$((ROWS / 64 < 50 ? 50 : ROWS / 64)) # many units: the report files are large
P=2025-Q4
if [ ! -x "$GEN" ]; then
    echo "skip: needs the generator ($GEN; make build/motcua-gen)"
    exit 0
fi
work=$(mktemp -d)
trap 'kill_child; cd /; rm -rf "$work"' EXIT
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# --- data: a registry of NUNITS units, three exports (one with faulty rows)
units="$work/units.csv"
awk -v n="$NUNITS" 'BEGIN {
    print "code,name,parent,aliases,valid_from,valid_to"
    print "900.00.00.H99,UBND tỉnh Thử Nghiệm,,,,"
    for (i = 1; i <= n; i++)
        printf "%03d.%02d.%02d.H99,UBND xã Thử Nghiệm số %d,900.00.00.H99,,,\n", 100 + int(i / 100), i % 100, 1 + i % 7, i
}' >"$units"
s0="$work/s0"
mkdir -p "$s0/inbox"
g() { "$GEN" -q --units "$units" "$@"; }
g --rows $((ROWS / 2)) --seed 61 --start 2025-07-01 --end 2025-12-31 -o "$s0/inbox/a.csv"
g --rows $((ROWS / 4)) --seed 62 --start 2025-10-01 --end 2026-01-15 --seq-start 50000 --gzip \
    -o "$s0/inbox/b.csv.gz"
g --rows $((ROWS / 4)) --seed 63 --faults 2 --start 2025-09-01 --end 2026-01-10 --seq-start 90000 \
    -o "$s0/inbox/c.csv"
st=0
(cd "$s0" && "$MOTCUA" run --units "$units" --max-export-age-days 0) >"$work/out" 2>"$work/err" || st=$?
[ "$st" -eq 0 ] || { cat "$work/err"; fail "the initial run: exit $st"; }
[ -s "$s0/reports/$P/report.xlsx" ] && [ -d "$s0/reports/2025-12" ] || fail "the initial run wrote no $P"
# the state every test starts from: reports/P holds stale but whole files
# (2025-12's), so a half-written replacement would be seen
cp "$s0/reports/2025-12/"* "$s0/reports/$P/"
outputs=(units.csv targets.csv quality.csv trend.csv late.csv summary.txt report.html report.xlsx)

# --- comparisons
periods=("$P" 2025-12 2026-01)
store_dump() { # store_dump DB PREFIX: the ledger, rejects and figures of DB
    "$MOTCUA" report --db "$1" --table files --format csv | cut -d, -f1-7 >"$2.files"
    "$MOTCUA" report --db "$1" --table rejects --format csv >"$2.rejects"
    local p
    for p in "${periods[@]}"; do
        "$MOTCUA" report --db "$1" --units "$units" --period "$p" --format csv >"$2.units-$p"
    done
}
store_dump "$s0/motcua.db" "$work/clean"
[ "$(wc -l <"$work/clean.files")" -eq 4 ] || fail "the ledger: $(cat "$work/clean.files")"
[ "$(wc -l <"$work/clean.rejects")" -gt 1 ] || fail "no rejected rows: the faults did not land"
same_store() { # same_store DB WHEN: DB holds the clean run's data and passes check
    store_dump "$1" "$work/got"
    diff -u "$work/clean.files" "$work/got.files" >&2 || fail "$2: the ledger differs"
    cmp -s "$work/clean.rejects" "$work/got.rejects" || fail "$2: the rejects differ"
    local p
    for p in "${periods[@]}"; do
        cmp -s "$work/clean.units-$p" "$work/got.units-$p" || fail "$2: the $p figures differ"
    done
    "$MOTCUA" check --db "$1" >"$work/check.out" 2>&1 || { cat "$work/check.out" >&2; fail "$2: check fails"; }
}
# right after a kill: the store, read from a copy of what is on disk (DB
# and its WAL, as after a crash), so that nothing here recovers it for the
# next run
store_after_kill() { # store_after_kill DIR WHEN
    local x="$work/copy"
    rm -rf "$x" && mkdir "$x"
    [ -f "$1/motcua.db" ] || fail "$2: the store motcua.db is missing: $(ls "$1")"
    cp "$1/motcua.db" "$x/"
    [ ! -f "$1/motcua.db-wal" ] || cp "$1/motcua.db-wal" "$x/"
    same_store "$x/motcua.db" "$2 (the store as the kill left it)"
}
# right after a kill: each visible file under reports/ is whole (the clean
# run's version or OLD's), none of MUST's vanished, and the hidden ones are
# only motcua's own temporary files
outputs_after_kill() { # outputs_after_kill DIR REF OLD MUST WHEN
    local d=$1 ref=$2 old=$3 must=$4 when=$5 f rel base
    while IFS= read -r f; do
        rel=${f#"$d/reports/"}
        base=${rel##*/}
        if [[ "$base" == .* ]]; then
            [[ "$base" =~ ^\.(units\.csv|targets\.csv|quality\.csv|trend\.csv|late\.csv|summary\.txt|report\.html|report\.xlsx)\.[0-9]+\.tmp$ ]] ||
                fail "$when: a foreign hidden file in reports/: $rel"
            continue
        fi
        cmp -s "$f" "$ref/$rel" || cmp -s "$f" "$old/$rel" ||
            fail "$when: reports/$rel is neither the old file nor the clean run's (size $(stat -c %s "$f"), clean $(stat -c %s "$ref/$rel" 2>/dev/null || echo -))"
    done < <(find "$d/reports" -type f)
    while IFS= read -r rel; do
        [ -f "$d/reports/$rel" ] || fail "$when: reports/${rel#./} vanished"
    done < <(cd "$must" && find . -type f)
}
same_outputs() { # same_outputs DIR REF WHEN
    diff -r "$2" "$1/reports" >/dev/null || { diff -r "$2" "$1/reports" | head >&2; fail "$3: report files differ"; }
    [ -z "$(find "$1/reports" -name '.*')" ] ||
        fail "$3: temporary files left in reports/: $(find "$1/reports" -name '.*' | sed "s|$1/||")"
}

# --- one killed run: start CMD in DIR, SIGKILL it after DELAY ms
rc=0
killed_run() { # killed_run DIR DELAY ARGS...  (sets rc)
    local d=$1 delay=$2 before
    shift 2
    before=$(find "$watch" -name '.*.tmp' 2>/dev/null | sort)
    # env -C, not a subshell: the PID killed must be motcua's own
    kill_after "$delay" env -C "$d" "$MOTCUA" "$@" >>"$work/killed.out" 2>>"$work/killed.err"
    # 137: killed (kill also succeeds on a finished, unreaped run)
    [ "$rc" -eq 137 ] || [ "$rc" -eq 0 ] || fail "a run killed at ${delay} ms exited $rc: $(tail -3 "$work/killed.err")"
    [ "$rc" -ne 137 ] || [ -z "$(comm -13 <(echo "$before") <(find "$watch" -name '.*.tmp' 2>/dev/null | sort))" ] ||
        midwrite=$((midwrite + 1))
}
full_run() { # full_run DIR WHEN ARGS...: to completion, exit 0
    local d=$1 when=$2 st=0
    shift 2
    (cd "$d" && "$MOTCUA" "$@") >"$work/full.out" 2>"$work/full.err" || st=$?
    [ "$st" -eq 0 ] || { cat "$work/full.err" >&2; fail "$when: the next run exited $st (want 0)"; }
}
timed_span() { # timed_span DIR ARGS...: ms of one uninterrupted run (prints it)
    local d=$1 t0
    shift
    t0=$(now_ms)
    (cd "$d" && "$MOTCUA" "$@") >/dev/null 2>"$work/err" || { cat "$work/err" >&2; fail "uninterrupted $*"; }
    echo $(($(now_ms) - t0))
}
min() { echo $(($1 < $2 ? $1 : $2)); }
total_killed=0
span_early=0 # when set, every other kill lands within this many ms
midwrite=0 # kills that left a new temporary output file: they hit a file being written
watch=     # the folder those files are written in
swapped=0  # kills of the rebuild once motcua.db.bak was in place

# kill_trials NAME SPAN SETUP CHECK_AFTER_KILL FINAL ARGS...: until KILLS runs
# were killed mid-way; every third trial kills the recovering run once more.
# A run that finished before its kill (it ran faster than the measured one)
# is checked all the same, and the span shrinks to its delay.
kill_trials() {
    local name=$1 span=$2 setup=$3 after=$4 final=$5
    shift 5
    local killed=0 tries=0 finished=0 trial=0 delay when k s
    while [ "$killed" -lt "$KILLS" ]; do
        trial=$((trial + 1))
        "$setup" "$trial"
        for k in 1 2; do
            [ "$k" -eq 1 ] || [ $((trial % 3)) -eq 0 ] || break
            tries=$((tries + 1))
            [ "$tries" -le $((4 * KILLS)) ] || fail "$name: only $killed of $tries runs could be killed mid-way"
            s=$span
            [ "$span_early" -eq 0 ] || [ $((tries % 2)) -eq 1 ] || s=$span_early
            delay=$(((RANDOM * 32768 + RANDOM) % s)) # in this shell: the seeded sequence
            when="$name, trial $trial, kill $k at ${delay} ms of ${s}"
            killed_run "$trialdir" "$delay" "$@"
            if [ "$rc" -eq 137 ]; then
                killed=$((killed + 1))
            else # it took less than delay ms: later kills land sooner
                finished=$((finished + 1))
                if [ "$s" -eq "$span" ]; then span=$((delay > 20 ? delay : 20)); else span_early=$((delay > 20 ? delay : 20)); fi
            fi
            "$after" "$when"
        done
        full_run "$trialdir" "$when" "$@"
        "$final" "$when, then run again"
    done
    total_killed=$((total_killed + killed))
    echo "$name: $killed runs killed mid-way in $trial trials ($tries started, $finished finished" \
        "before their kill; span ${span} ms); $midwrite while writing a file"
    midwrite=0
}

# --- A. rerun --period P --from-archive
argsA=(rerun --units "$units" --period "$P" --from-archive)
refA="$work/refA"
cp -a "$s0" "$refA"
spanA=$(timed_span "$refA" "${argsA[@]}")
cp -a "$s0" "$work/timeA"
spanA=$(min "$spanA" "$(timed_span "$work/timeA" "${argsA[@]}")")
# every other kill within the rebuild: the same command writing no files
rm -rf "$work/timeA" && cp -a "$s0" "$work/timeA"
span_early=$(timed_span "$work/timeA" "${argsA[@]}" --formats '')
rm -rf "$work/timeA"
same_store "$refA/motcua.db" "the uninterrupted rebuild"
[ -f "$refA/motcua.db.bak" ] || fail "the uninterrupted rebuild kept no motcua.db.bak"
trialdir="$work/trialA"
watch="$trialdir/reports"
setupA() { rm -rf "$trialdir"; cp -a "$s0" "$trialdir"; }
afterA() {
    store_after_kill "$trialdir" "$1"
    [ "$rc" -ne 137 ] || [ ! -e "$trialdir/motcua.db.bak" ] || swapped=$((swapped + 1))
    outputs_after_kill "$trialdir" "$refA/reports" "$s0/reports" "$s0/reports" "$1"
}
finalA() {
    same_store "$trialdir/motcua.db" "$1"
    same_outputs "$trialdir" "$refA/reports" "$1"
    local x
    for x in motcua.db.new motcua.db.new-wal motcua.db.rebuild; do
        [ ! -e "$trialdir/$x" ] || fail "$1: $x left behind"
    done
    [ -f "$trialdir/motcua.db.bak" ] || fail "$1: no motcua.db.bak"
    "$MOTCUA" report --db "$trialdir/motcua.db.bak" --table files --format csv | cut -d, -f1-7 |
        cmp -s "$work/clean.files" - || fail "$1: motcua.db.bak does not hold the old ledger"
}
kill_trials "rerun --from-archive" "$spanA" setupA afterA finalA "${argsA[@]}"
echo "rerun --from-archive: $swapped kills once the swap had begun (motcua.db.bak in place)"
span_early=0

# --- B. rerun --period P: the stored report, then the five files
argsB=(rerun --units "$units" --period "$P")
refB="$work/refB"
cp -a "$s0" "$refB"
spanB=$(timed_span "$refB" "${argsB[@]}")
spanB=$(min "$spanB" "$(timed_span "$refB" "${argsB[@]}")")
same_store "$refB/motcua.db" "the uninterrupted rerun"
diff -r "$refA/reports" "$refB/reports" >/dev/null ||
    fail "rerun and rerun --from-archive write different files for $P"
trialdir="$work/trialB"
watch="$trialdir/reports"
cp -a "$s0" "$trialdir"
setupB() { # odd trials: no reports/P at all; even ones: the stale files
    rm -rf "$trialdir/reports/$P"
    [ $(($1 % 2)) -eq 1 ] || cp -a "$s0/reports/$P" "$trialdir/reports/$P"
}
afterB() {
    store_after_kill "$trialdir" "$1"
    local old="$work/oldB"
    rm -rf "$old" && mkdir "$old"
    # what must still be there: the other periods, and the stale files of
    # an even trial (a first kill replaces some, so any whole version counts)
    cp -a "$s0/reports/." "$old/"
    [ $((trial % 2)) -eq 0 ] || rm -rf "${old:?}/$P"
    outputs_after_kill "$trialdir" "$refB/reports" "$s0/reports" "$old" "$1"
}
finalB() {
    same_store "$trialdir/motcua.db" "$1"
    same_outputs "$trialdir" "$refB/reports" "$1"
}
kill_trials "rerun --period" "$spanB" setupB afterB finalB "${argsB[@]}"

# --- C. report --format xlsx -o FILE (no lock, a read-only store)
db="$refB/motcua.db"
dbsum=$(sha256sum "$db" | cut -d' ' -f1)
outdir="$work/xlsx"
mkdir "$outdir"
file="$outdir/q4.xlsx"
argsC=(report --db "$db" --units "$units" --period "$P" --format xlsx -o "$file")
spanC=$(timed_span "$work" "${argsC[@]}")
spanC=$(min "$spanC" "$(timed_span "$work" "${argsC[@]}")")
mv "$file" "$work/q4-clean.xlsx"
"$MOTCUA" report --db "$db" --units "$units" --period 2025-12 --format xlsx -o "$work/q4-prev.xlsx"
cmp -s "$work/q4-clean.xlsx" "$work/q4-prev.xlsx" && fail "the previous version is not different"
cmp -s "$work/q4-clean.xlsx" "$refB/reports/$P/report.xlsx" ||
    fail "report -o writes another workbook than rerun"
[ -z "$(find "$outdir" -name '.*')" ] || fail "uninterrupted report -o left $(ls -A "$outdir")"
trialdir="$work"
watch=$outdir
setupC() { # odd trials: no FILE yet; even ones: FILE is a previous version
    rm -f "$file"
    [ $(($1 % 2)) -eq 1 ] || cp "$work/q4-prev.xlsx" "$file"
}
afterC() {
    if [ -e "$file" ]; then
        cmp -s "$file" "$work/q4-clean.xlsx" ||
            { [ $((trial % 2)) -eq 0 ] && cmp -s "$file" "$work/q4-prev.xlsx"; } ||
            fail "$1: $(basename "$file") is half a file ($(stat -c %s "$file") bytes, whole: $(stat -c %s "$work/q4-clean.xlsx"))"
    else
        [ $((trial % 2)) -eq 1 ] || fail "$1: the previous $(basename "$file") vanished"
    fi
    local f
    while IFS= read -r f; do
        [[ "$f" == q4.xlsx || "$f" =~ ^\.q4\.xlsx\.[0-9]+\.tmp$ ]] || fail "$1: a foreign file beside FILE: $f"
    done < <(find "$outdir" -mindepth 1 -printf '%f\n')
}
finalC() {
    cmp -s "$file" "$work/q4-clean.xlsx" || fail "$1: $(basename "$file") is not the clean workbook"
    [ "$(sha256sum "$db" | cut -d' ' -f1)" = "$dbsum" ] || fail "$1: report changed the store"
}
kill_trials "report -o FILE.xlsx" "$spanC" setupC afterC finalC "${argsC[@]}"
"$MOTCUA" check --db "$db" >/dev/null || fail "check fails after the report kills"
# the temporaries of killed writers are swept by the next write of FILE
left=$(find "$outdir" -name '.q4.xlsx.*.tmp' | wc -l)
[ "$left" -eq 0 ] || fail "report -o left $left temporary files of killed runs beside FILE" \
    "after the next successful run (e.g. $(find "$outdir" -name '.q4.xlsx.*.tmp' -printf '%f' -quit))"
echo "ok: $total_killed kills of rerun --from-archive, rerun and report -o: same store and files"
