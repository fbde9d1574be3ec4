# A store of an older layout (store.c MC_SCHEMA_VERSION; here layout 3, the
# one before): every command refuses it unchanged and says how to rebuild;
# `rerun --from-archive` reads its ledger, which lacks the columns layout 4
# added, rebuilds it in the order that ledger gives (not path order), and
# keeps the old store as DB.bak.
. "$(dirname "$0")/../lib.sh"
command -v sqlite3 >/dev/null || { echo "skip: needs the sqlite3 shell"; exit 0; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/inbox"
# loaded in this order by two runs: the ledger order is not the path order
cp "$FIXTURES/exports/man-hinh-so-cong-thuong-20251001.csv" "$work/inbox/"
(cd "$work" && "$MOTCUA" run) >/dev/null 2>&1 || true
# (the two dvcqg CSVs and the .xls of one of them: a workbook is rebuilt too)
cp "$FIXTURES"/exports/dvcqg-* "$work/inbox/"
(cd "$work" && "$MOTCUA" run) >/dev/null 2>&1 || true
"$MOTCUA" report --db "$work/motcua.db" --table files --format csv >"$work/files-before"
[ "$(wc -l <"$work/files-before")" -eq 5 ] || fail "setup: $(cat "$work/files-before")"
head -2 "$work/files-before" | grep -q '^man-hinh' || fail "setup: ledger order $(cat "$work/files-before")"
"$MOTCUA" report --db "$work/motcua.db" --period 2025-Q3 --format csv >"$work/units-before"

# Back to layout 3, as the last motcua left a store: no fingerprint secret,
# no procedure and field dictionaries, a ledger without the columns of
# SPEC 10.4 (format, sheet, header_line, trailer_rows).
sqlite3 "$work/motcua.db" "DROP VIEW cases;
    ALTER TABLE case_rows DROP COLUMN proc_id; ALTER TABLE case_rows DROP COLUMN field_id;
    ALTER TABLE files DROP COLUMN format; ALTER TABLE files DROP COLUMN sheet;
    ALTER TABLE files DROP COLUMN header_line; ALTER TABLE files DROP COLUMN trailer_rows;
    DROP TABLE procedures; DROP TABLE fields; DROP TABLE settings;
    CREATE VIEW cases AS SELECT case_key, seen, src >> 32 AS file_id, src & 4294967295 AS line,
        upd, facts & 3 AS progress, facts >> 24 AS unit_id, (facts >> 2) & 15 AS status,
        (facts >> 6) & 7 AS channel, (facts >> 9) & 7 AS level, received_at, due_at, end_at,
        (facts >> 12) & 1 AS apology, ((facts >> 13) & 3) - 1 AS has_fee,
        ((facts >> 15) & 3) - 1 AS paid_online, ((facts >> 17) & 3) - 1 AS digitized,
        ((facts >> 19) & 3) - 1 AS e_result FROM case_rows;
    PRAGMA user_version=3"
cp "$work/motcua.db" "$work/old.db"
for cmd in "report --period 2025-Q3 --format csv" "ingest $FIXTURES/exports/excel-phuong-2-2025h1.csv" "run"; do
    st=0
    (cd "$work" && $MOTCUA $cmd) >/dev/null 2>"$work/err" || st=$?
    [ "$st" -ne 0 ] || fail "$cmd accepted a layout-3 store"
    grep -q 'this store has layout 3, this motcua uses layout 4.*rerun --from-archive' "$work/err" ||
        fail "$cmd said: $(cat "$work/err")"
    cmp -s "$work/motcua.db" "$work/old.db" || fail "$cmd changed the layout-3 store"
done

st=0
(cd "$work" && "$MOTCUA" rerun --from-archive --period 2025-Q3) >"$work/out" 2>"$work/err" || st=$?
[ "$st" -eq 0 ] || [ "$st" -eq 65 ] || { cat "$work/err"; fail "rerun --from-archive: exit $st"; }
if grep -q 'path order' "$work/err"; then fail "the old ledger was not read: $(cat "$work/err")"; fi
[ "$(sqlite3 "$work/motcua.db.bak" 'PRAGMA user_version')" = 3 ] || fail "the old store is not kept"
[ "$(sqlite3 "$work/motcua.db" 'PRAGMA user_version')" = 4 ] || fail "the rebuilt store is not of layout 4"
"$MOTCUA" report --db "$work/motcua.db" --table files --format csv | diff -u "$work/files-before" - ||
    fail "the rebuilt ledger is not in the old load order"
"$MOTCUA" report --db "$work/motcua.db" --period 2025-Q3 --format csv | diff -u "$work/units-before" - ||
    fail "the rebuilt figures differ"
"$MOTCUA" check --db "$work/motcua.db" >/dev/null || fail "check after the rebuild"
# the rebuilt store has what layout 4 adds: the procedures of the cases
[ "$(sqlite3 "$work/motcua.db" 'SELECT count(*) FROM cases WHERE procedure_code IS NULL AND procedure_name IS NULL')" = 0 ] ||
    fail "cases without their procedure after the rebuild"
echo "ok: a layout-3 store is refused, then rebuilt in its own load order"
