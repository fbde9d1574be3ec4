# Rows reach the store in sorted runs (etl/store.c); any run size gives the
# same store, so the same reports, ledger and check, as applying the rows
# one by one in file order (runs of one row).  Several files, repeats and
# later versions across them, conflicts, quarantined rows and a gzip file.
. "$(dirname "$0")/../lib.sh"
if [ ! -x "$GEN" ]; then echo "skip: needs the generator"; exit 0; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$GEN" -q --rows 12000 --seed 41 --faults 2 -o "$work/a.csv"
"$GEN" -q --rows 6000 --seed 42 --seq-start 3000 --dialect vi --gzip -o "$work/b.csv.gz"
for runs in 1 7 1000 default; do
    if [ "$runs" = default ]; then unset MOTCUA_STORE_RUN_ROWS; else export MOTCUA_STORE_RUN_ROWS=$runs; fi
    "$MOTCUA" ingest -q --db "$work/$runs.db" "$work/a.csv" "$work/b.csv.gz" \
        "$FIXTURES"/exports/*.csv 2>>"$work/log" || [ $? -eq 65 ] || fail "ingest, runs of $runs"
    unset MOTCUA_STORE_RUN_ROWS
    "$MOTCUA" check --db "$work/$runs.db" >/dev/null || fail "check, runs of $runs"
    sqlite3 "$work/$runs.db" "SELECT name, rows_read, accepted, duplicate, quarantined, conflicts
        FROM files ORDER BY id" >"$work/$runs.ledger" || fail "ledger, runs of $runs"
    # every case with its versions in load order (file and line of each:
    # the fingerprints are keyed with each store's own secret, so they only
    # compare within a store), the units, procedures and fields, the conflicts
    sqlite3 "$work/$runs.db" "SELECT case_key, length(seen), src, upd, facts, received_at, due_at,
            end_at, proc_id, field_id FROM case_rows ORDER BY case_key;
        WITH RECURSIVE v(case_key, at, seen) AS (SELECT case_key, 0, seen FROM case_rows
            UNION ALL SELECT case_key, at + 24, seen FROM v WHERE at + 24 < length(seen))
        SELECT case_key, at, hex(substr(seen, at + 17, 8)) FROM v ORDER BY case_key, at;
        SELECT id, code, name FROM unit_keys ORDER BY id;
        SELECT id, code, name FROM procedures ORDER BY id;
        SELECT id, name FROM fields ORDER BY id;
        SELECT case_key, file_id, line, what, stored, incoming FROM conflicts
            ORDER BY file_id, line, what" >"$work/$runs.store" || fail "store, runs of $runs"
    for period in 2025-Q3 2025; do
        for table in units targets quality; do
            "$MOTCUA" report --db "$work/$runs.db" --period "$period" --table "$table" \
                --format csv >>"$work/$runs.reports" || fail "report $period $table, runs of $runs"
        done
    done
done
for runs in 7 1000 default; do
    for what in ledger store reports; do
        cmp -s "$work/1.$what" "$work/$runs.$what" ||
            { diff -u "$work/1.$what" "$work/$runs.$what" | head -20; fail "runs of $runs: $what differ"; }
    done
done
# the comparison compared something: versions, duplicates and conflicts
awk -F'|' '$4 > 0 {d++} $6 > 0 {c++} END {exit !(d && c)}' "$work/1.ledger" ||
    { cat "$work/1.ledger"; fail "no duplicates or no conflicts to compare"; }
grep -q '^2025,.*,ALL,' "$work/1.reports" || fail "no ALL row"
echo "ok: runs of 1, 7, 1000 and $(printf '%s' default) rows give the same store"
