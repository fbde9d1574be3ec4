#!/usr/bin/env bash
# `motcua rerun --period P` gives, byte for byte, the report files of a clean
# run over the same exports -- after nights of incremental runs, with a
# corrected units list, and after `--from-archive` rebuilt the store (which
# keeps the ledger's original names and load order, and the old store as
# DB.bak).  MOTCUA_NOW pins the only timestamps.
. "$(dirname "$0")/../lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ ! -x "$GEN" ]; then
    echo "skip: needs the generator ($GEN; make build/motcua-gen)"
    exit 0
fi
g() { "$GEN" -q "$@"; }
g --rows 3000 --seed 1 --start 2025-06-01 --end 2025-09-09 -o "$work/a.csv"
g --rows 3000 --seed 2 --start 2025-07-01 --end 2025-09-24 --seq-start 5000 -o "$work/b.csv"
g --rows 2000 --seed 3 --start 2025-08-01 --end 2025-10-04 --seq-start 9000 --gzip -o "$work/c.csv.gz"
g --rows 1000 --seed 4 --start 2025-08-01 --end 2025-09-25 --seq-start 12000 -o "$work/x1.csv"
g --rows 1000 --seed 5 --start 2025-08-01 --end 2025-09-26 --seq-start 14000 -o "$work/x2.csv"
# a corrected registry: one unit renamed
units="$work/units-fixed.csv"
sed '0,/^000\.00\.06\.H56,[^,]*/s//000.00.06.H56,UBND xã Cửa Tùng (sửa tên)/' "$root/fixtures/units.csv" >"$units"
cmp -s "$units" "$root/fixtures/units.csv" && fail "the units fixture changed shape: nothing renamed"

night() { # night DIR DAY: one nightly run in DIR on DAY
    local st=0
    (cd "$1" && MOTCUA_TODAY=$2 "$MOTCUA" run --max-export-age-days 0 --units "$units") \
        >"$work/out" 2>"$work/err" || st=$?
    [ "$st" -eq 0 ] || { cat "$work/err" >&2; fail "run in $1 on $2: exit $st"; }
}

# history: exports arrive over several nights; x.csv twice under one name
h="$work/history"
mkdir -p "$h/inbox"
cp "$work/a.csv" "$h/inbox/a.csv";     night "$h" 2025-09-10
cp "$work/b.csv" "$h/inbox/b.csv";     night "$h" 2025-09-25
cp "$work/x1.csv" "$h/inbox/x.csv";    night "$h" 2025-09-26
cp "$work/x2.csv" "$h/inbox/x.csv";    night "$h" 2025-09-27
cp "$work/c.csv.gz" "$h/inbox/c.csv.gz"; night "$h" 2025-10-05
[ -f "$h/archive/2025/09/x.csv.1" ] || fail "second x.csv not archived as x.csv.1"

# clean: the same exports in one run, on the last night
c="$work/clean"
mkdir -p "$c/inbox"
cp "$work/a.csv" "$work/b.csv" "$work/c.csv.gz" "$c/inbox/"
cp "$work/x1.csv" "$c/inbox/x.csv"
cp "$work/x2.csv" "$c/inbox/x.csv.1"
night "$c" 2025-10-05
grep -q "sửa tên" "$c/reports/2025-Q3/units.csv" || fail "the corrected units list was not used"
for p in 2025-Q3 2025-09; do
    [ -s "$c/reports/$p/report.xlsx" ] || fail "clean run wrote no $p"
done

export MOTCUA_TODAY=2025-10-05
rerun() { # rerun DIR ARGS...
    local d=$1 st=0
    shift
    (cd "$d" && "$MOTCUA" rerun --units "$units" "$@") >"$work/out" 2>"$work/err" || st=$?
    [ "$st" -eq 0 ] || { cat "$work/err" >&2; fail "rerun $*: exit $st"; }
}
same_outputs() { # same_outputs PERIOD WHAT
    diff -r "$c/reports/$1" "$h/reports/$1" >/dev/null || {
        diff -r "$c/reports/$1" "$h/reports/$1" | head -20 >&2
        fail "$2: reports/$1 differs from the clean run"
    }
}
ledger() { "$MOTCUA" report --db "$1/motcua.db" --table files --format csv | cut -d, -f1-7; }

# 1. rerun from the store
rm -rf "$h/reports/2025-Q3" "$h/reports/2025-09"
rerun "$h" --period 2025-Q3
rerun "$h" --period 2025-09
grep -q '^motcua rerun: report 2025-09 written to reports/2025-09' "$work/out" || fail "summary: $(cat "$work/out")"
same_outputs 2025-Q3 "rerun"
same_outputs 2025-09 "rerun"

# 2. a stale report is rewritten too (the files are replaced, not appended)
echo stale >"$h/reports/2025-Q3/units.csv"
rerun "$h" --period 2025-q3
same_outputs 2025-Q3 "rerun over stale files"

# 3. rebuild the store from the archive
ledger "$h" >"$work/ledger-before.csv"
"$MOTCUA" report --db "$h/motcua.db" --period 2025-Q4 --format csv >"$work/q4-before.csv"
rerun "$h" --period 2025-Q3 --from-archive
grep -q 'rebuilt from 5 archived exports (5 loaded' "$work/out" || fail "summary: $(cat "$work/out")"
[ -f "$h/motcua.db.bak" ] || fail "the old store was not kept as motcua.db.bak"
[ ! -e "$h/motcua.db.new" ] && [ ! -e "$h/motcua.db.rebuild" ] || fail "rebuild leftovers"
ledger "$h" | diff -u "$work/ledger-before.csv" - || fail "the ledger changed in the rebuild"
grep -c '^x.csv,' "$work/ledger-before.csv" | grep -qx 2 || fail "x.csv should be in the ledger twice"
same_outputs 2025-Q3 "rerun --from-archive"
"$MOTCUA" report --db "$h/motcua.db" --period 2025-Q4 --format csv | diff -u "$work/q4-before.csv" - ||
    fail "2025-Q4 changed in the rebuild"
"$MOTCUA" check --db "$h/motcua.db" >/dev/null || fail "check after the rebuild"
"$MOTCUA" report --db "$h/motcua.db.bak" --table files --format csv | cut -d, -f1-7 |
    diff -u "$work/ledger-before.csv" - || fail "motcua.db.bak is not the old store"

# 4. the store lost altogether: rebuilt from the archive in path order
mv "$h/motcua.db" "$work/lost.db"
rm -f "$h/motcua.db-wal" "$h/motcua.db-shm" "$h/motcua.db.bak"
rerun "$h" --period 2025-Q3 --from-archive
same_outputs 2025-Q3 "rerun --from-archive without a store"
[ ! -e "$h/motcua.db.bak" ] || fail "a .bak appeared from nowhere"

# usage
st=0
(cd "$h" && "$MOTCUA" rerun) >/dev/null 2>"$work/err" || st=$?
[ "$st" -eq 64 ] && grep -q -- '--period is required' "$work/err" || fail "rerun without --period: $st"
st=0
(cd "$h" && "$MOTCUA" rerun --period 2025-Q5) >/dev/null 2>"$work/err" || st=$?
[ "$st" -eq 64 ] || fail "rerun with a bad period: exit $st"
echo "ok: rerun"
