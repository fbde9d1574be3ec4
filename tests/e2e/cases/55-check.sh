#!/usr/bin/env bash
# `motcua check`: 0 on a sound store; 65 naming the problem on a tampered
# one (row accounting, rejects, versions, stored report identities) or a
# damaged file; `run` refuses a damaged store, says how to recover, and
# `rerun --from-archive` does recover it.
. "$(dirname "$0")/../lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ ! -x "$GEN" ]; then echo "skip: needs the generator"; exit 0; fi
if ! command -v sqlite3 >/dev/null; then echo "skip: needs the sqlite3 shell"; exit 0; fi

w="$work/site"
mkdir -p "$w/inbox"
"$GEN" -q --rows 20000 --seed 1 --faults 2 -o "$w/inbox/a.csv"
"$GEN" -q --rows 3000 --seed 2 --seq-start 40000 -o "$w/inbox/b.csv"
st=0
(cd "$w" && "$MOTCUA" run --quarantine-threshold 50) >/dev/null 2>"$work/err" || st=$?
[ "$st" -eq 0 ] || { cat "$work/err"; fail "run exit $st"; }

check() { # check DB: sets st, stdout/stderr in $work/out, $work/err
    st=0
    "$MOTCUA" check --db "$1" >"$work/out" 2>"$work/err" || st=$?
}
check "$w/motcua.db"
[ "$st" -eq 0 ] || { cat "$work/err"; fail "check on a clean store: exit $st"; }
grep -q 'ok (2 files, .* cases, 4 stored reports)' "$work/out" || fail "check said: $(cat "$work/out")"

tamper() { # tamper NAME SQL EXPECTED-MESSAGE
    cp "$w/motcua.db" "$work/$1.db"
    sqlite3 "$work/$1.db" "$2"
    check "$work/$1.db"
    [ "$st" -eq 65 ] || { cat "$work/err"; fail "$1: check exit $st, want 65"; }
    grep -q -- "$3" "$work/err" || fail "$1: check said '$(cat "$work/err")', not '$3'"
    grep -q 'problem' "$work/out" || fail "$1: no summary"
}
tamper rejects "DELETE FROM rejects WHERE id = (SELECT min(id) FROM rejects)" \
    'file a.csv: the ledger counts [0-9]* quarantined rows, the rejects table holds'
tamper rows_read "PRAGMA ignore_check_constraints = 1; UPDATE files SET rows_read = rows_read + 1 WHERE name = 'b.csv'" \
    'file b.csv: rows read 3001 != accepted'
first="(SELECT min(case_key) FROM case_rows)"
tamper version "UPDATE case_rows SET src = src + 1000000 WHERE case_key = $first" \
    'case .*: its current version (file id [0-9]*, line [0-9]*) is not one of its versions'
tamper version_torn "UPDATE case_rows SET seen = substr(seen, 1, 20) WHERE case_key = $first" \
    'case .*: its versions are damaged (20 bytes, not a multiple of 24)'
tamper version_file "UPDATE case_rows SET seen = CAST(substr(seen, 1, 16) || x'00000063' || substr(seen, 21) AS BLOB) WHERE case_key = $first" \
    'file id 99: not in the ledger, yet 1 versions come from it'
tamper version_files "UPDATE case_rows SET seen = CAST(seen || substr(seen, 1, 16) || x'00000005' || substr(seen, 21) || substr(seen, 1, 16) || x'00000007' || substr(seen, 21) AS BLOB) WHERE case_key = $first" \
    'file id 5: not in the ledger, yet 1 versions come from it'
grep -q 'file id 7: not in the ledger, yet 1 versions come from it' "$work/err" || fail "version_files: $(cat "$work/err")"
tamper version_far "UPDATE case_rows SET seen = CAST(seen || substr(seen, 1, 16) || x'7fffffff' || substr(seen, 21) AS BLOB) WHERE case_key = $first" \
    'a version names file id 2147483647, line [0-9]*, which the ledger does not have'
if grep -q 'ledger counts [0-9]* accepted rows, the store holds' "$work/err"; then
    fail "version_far: the accounting blamed a file: $(cat "$work/err")"
fi
tamper ledger_far "PRAGMA ignore_check_constraints = 1; INSERT INTO files(id, name, sha256, size, loaded_at) VALUES (200000000, 'far.csv', 'x', 0, '2026-01-01')" \
    'the file ledger has an id of 200000000, more than this store can have loaded; versions are not counted per file'
if grep -q 'the store holds 0 versions' "$work/err"; then
    fail "ledger_far: false accounting mismatches: $(cat "$work/err")"
fi
tamper version_lost "UPDATE case_rows SET seen = CAST(seen || seen AS BLOB) WHERE case_key = $first" \
    'the ledger counts [0-9]* accepted rows, the store holds [0-9]* versions from it'
tamper procedure "DELETE FROM procedures WHERE id = (SELECT proc_id FROM case_rows WHERE case_key = $first)" \
    'case .*: its procedure [0-9]* does not exist'
tamper field "UPDATE case_rows SET field_id = 9999 WHERE case_key = $first" \
    'case .*: its field 9999 does not exist'
tamper report "UPDATE report_rows SET resolved_late = resolved_late + 1 WHERE unit_code = 'ALL' AND period = '2025-Q4'" \
    'stored report 2025-Q4 (calendar), row [0-9]*, unit ALL: resolved_total [0-9]* != early'
tamper report_rows "DELETE FROM report_rows WHERE period = '2026-01' AND unit_code = 'ALL'" \
    'stored report 2026-01 (calendar): [0-9]* rows, expected'

# a damaged file: check reports it; run refuses it and says how to recover
cp "$w/motcua.db" "$work/good.db"
pages=$(( $(stat -c %s "$w/motcua.db") / 4096 ))
[ "$pages" -gt 20 ] || fail "store too small to damage ($pages pages)"
for p in $((pages / 3)) $((pages / 2)) $((2 * pages / 3)); do
    head -c 4096 /dev/urandom | dd of="$w/motcua.db" bs=4096 seek="$p" conv=notrunc status=none
done
check "$w/motcua.db"
[ "$st" -eq 65 ] || { cat "$work/err"; fail "check on a damaged store: exit $st"; }
grep -q 'integrity_check\|damaged\|malformed' "$work/err" || fail "check said: $(cat "$work/err")"
"$GEN" -q --rows 100 --seed 3 --seq-start 90000 -o "$w/inbox/c.csv"
cp "$w/motcua.db" "$work/damaged.db"
st=0
(cd "$w" && "$MOTCUA" run) >"$work/out" 2>"$work/err" || st=$?
[ "$st" -eq 74 ] || { cat "$work/err"; fail "run on a damaged store: exit $st, want 74"; }
grep -q 'damaged' "$work/err" && grep -q "rerun --from-archive" "$work/err" || fail "run said: $(cat "$work/err")"
[ -f "$w/inbox/c.csv" ] || fail "run moved a file despite the damaged store"
cmp -s "$w/motcua.db" "$work/damaged.db" || fail "run changed the damaged store"
# recover: rebuild from the archive (the damaged store is kept as .bak)
st=0
(cd "$w" && "$MOTCUA" rerun --from-archive --period 2025-Q4) >"$work/out" 2>"$work/err" || st=$?
[ "$st" -eq 0 ] || [ "$st" -eq 65 ] || { cat "$work/err"; fail "rerun --from-archive: exit $st"; }
check "$w/motcua.db"
[ "$st" -eq 0 ] || { cat "$work/err"; fail "check after recovery: exit $st"; }
"$MOTCUA" report --db "$work/good.db" --table files --format csv >"$work/f1"
"$MOTCUA" report --db "$w/motcua.db" --table files --format csv >"$work/f2"
diff -u "$work/f1" "$work/f2" || fail "the recovered ledger differs"
(cd "$w" && "$MOTCUA" run) >/dev/null 2>&1 || fail "run after recovery"
[ -f "$w/archive/2026/01/c.csv" ] || fail "c.csv not loaded after recovery"

# not a database at all
printf 'this is not a database, just text that is long enough to fill a header page' >"$work/text.db"
head -c 8192 /dev/urandom >>"$work/text.db"
check "$work/text.db"
[ "$st" -eq 65 ] || { cat "$work/err"; fail "check on a non-database: exit $st"; }
# no store at all
check "$work/none.db"
[ "$st" -eq 74 ] || fail "check on a missing store: exit $st, want 74"
echo "ok: check"
