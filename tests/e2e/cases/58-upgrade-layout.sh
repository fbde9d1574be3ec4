# A store of an older layout (store.c MC_SCHEMA_VERSION): every command
# refuses it unchanged and says how to rebuild; `rerun --from-archive`
# rebuilds it in the order its own ledger gives (not path order), and keeps
# the old store as DB.bak.
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

sqlite3 "$work/motcua.db" 'PRAGMA user_version=1'   # as a store of layout 1 is
cp "$work/motcua.db" "$work/old.db"
for cmd in "report --period 2025-Q3 --format csv" "ingest $FIXTURES/exports/excel-phuong-2-2025h1.csv" "run"; do
    st=0
    (cd "$work" && $MOTCUA $cmd) >/dev/null 2>"$work/err" || st=$?
    [ "$st" -ne 0 ] || fail "$cmd accepted a layout-1 store"
    grep -q 'this store has layout 1.*rerun --from-archive' "$work/err" || fail "$cmd said: $(cat "$work/err")"
    cmp -s "$work/motcua.db" "$work/old.db" || fail "$cmd changed the layout-1 store"
done

st=0
(cd "$work" && "$MOTCUA" rerun --from-archive --period 2025-Q3) >"$work/out" 2>"$work/err" || st=$?
[ "$st" -eq 0 ] || [ "$st" -eq 65 ] || { cat "$work/err"; fail "rerun --from-archive: exit $st"; }
if grep -q 'path order' "$work/err"; then fail "the old ledger was not read: $(cat "$work/err")"; fi
[ "$(sqlite3 "$work/motcua.db.bak" 'PRAGMA user_version')" = 1 ] || fail "the old store is not kept"
"$MOTCUA" report --db "$work/motcua.db" --table files --format csv | diff -u "$work/files-before" - ||
    fail "the rebuilt ledger is not in the old load order"
"$MOTCUA" report --db "$work/motcua.db" --period 2025-Q3 --format csv | diff -u "$work/units-before" - ||
    fail "the rebuilt figures differ"
"$MOTCUA" check --db "$work/motcua.db" >/dev/null || fail "check after the rebuild"
echo "ok: a layout-1 store is refused, then rebuilt in its own load order"
