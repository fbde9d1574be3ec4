#!/usr/bin/env bash
# Faults around the store and the outputs (the I/O errors injected under
# SQLite are tests/unit/test_store_faults.c):
#   - a store damaged in the middle: `check` says so (non-zero); `ingest`
#     refuses with 74 and does not write a byte to it, wherever the damage;
#   - a read-only store (file 0444, folder 0555): `ingest` fails with a
#     clear message and 74, and changes nothing;
#   - an output folder that cannot be written: `report -o` and `run` fail
#     with 74 and a message naming the file or folder.
# Root writes everywhere, so the permission cases run as 'nobody' through
# setpriv when the test runs as root, or are skipped saying so.
. "$(dirname "$0")/../lib.sh"
work=$(mktemp -d)
chmod 755 "$work"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
sum() { sha256sum "$1" | cut -d' ' -f1; }

# --- a damaged store
if [ -x "$GEN" ]; then
    "$GEN" -q --rows 20000 --seed 64 -o "$work/a.csv"
else
    { echo 'MaHoSo,MaDonVi,TrangThaiHoSo,NgayTiepNhan'
      for i in $(seq 1 20000); do echo "A-$i,000.00.06.H56,4,05/01/2025"; done; } >"$work/a.csv"
fi
printf 'MaHoSo,MaDonVi,TrangThaiHoSo,NgayTiepNhan\nB-1,000.00.06.H56,4,05/01/2026\n' >"$work/b.csv"
"$MOTCUA" ingest -q --db "$work/good.db" "$work/a.csv" || fail "cannot make the store"
pages=$(($(stat -c %s "$work/good.db") / 4096))
[ "$pages" -gt 50 ] || fail "store too small to damage ($pages pages)"
have_check=1
"$MOTCUA" check --help >/dev/null 2>&1 || { have_check=0; echo "note: check not implemented; skipped"; }
# one page at a time, from a quarter to three quarters of the file
for p in $((pages / 4)) $((pages / 3)) $((pages / 2)) $((2 * pages / 3)) $((3 * pages / 4)); do
    db="$work/damaged-$p.db"
    cp "$work/good.db" "$db"
    head -c 4096 /dev/zero | tr '\0' Z | dd of="$db" bs=4096 seek="$p" conv=notrunc status=none
    before=$(sum "$db")
    if [ "$have_check" = 1 ]; then
        st=0
        "$MOTCUA" check --db "$db" >"$work/out" 2>"$work/err" || st=$?
        [ "$st" -ne 0 ] || fail "page $p: check calls a damaged store sound"
        grep -q 'damaged\|malformed\|integrity_check' "$work/err" || fail "page $p: check said: $(cat "$work/err")"
    fi
    st=0
    "$MOTCUA" ingest --db "$db" "$work/b.csv" >"$work/out" 2>"$work/err" || st=$?
    [ "$st" -eq 74 ] || { cat "$work/out" "$work/err"; fail "page $p: ingest into a damaged store: exit $st, want 74"; }
    grep -q "damaged-$p.db: the store is damaged" "$work/err" || fail "page $p: ingest said: $(cat "$work/err")"
    [ "$(sum "$db")" = "$before" ] || fail "page $p: ingest changed the damaged store"
    [ ! -s "$db-wal" ] || fail "page $p: ingest wrote to the damaged store's WAL"
done

# --- permissions: as 'nobody' when root
as=()
if [ "$(id -u)" -eq 0 ]; then
    if command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
        as=(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups)
    else
        echo "skipped: read-only cases (root, and no setpriv/nobody to drop privileges)"
        echo "ok: faults"
        exit 0
    fi
fi
own() { [ "$(id -u)" -eq 0 ] && chown -R nobody "$@"; return 0; }

# a read-only store: the file 0444 in a folder 0555
mkdir "$work/ro"
cp "$work/good.db" "$work/ro/m.db"
cp "$work/b.csv" "$work/ro-b.csv"
own "$work/ro" "$work/ro-b.csv"
chmod 0444 "$work/ro/m.db"
chmod 0555 "$work/ro"
before=$(sum "$work/ro/m.db")
st=0
"${as[@]}" "$MOTCUA" ingest --db "$work/ro/m.db" "$work/ro-b.csv" >"$work/out" 2>"$work/err" || st=$?
[ "$st" -eq 74 ] || { cat "$work/out" "$work/err"; fail "read-only store: exit $st, want 74"; }
grep -q 'ro/m.db: .*\(read-only\|readonly\|cannot write\|Permission denied\)' "$work/err" ||
    fail "read-only store: unclear message: $(cat "$work/err")"
[ "$(wc -l <"$work/err")" -eq 1 ] || fail "read-only store: more than one line: $(cat "$work/err")"
[ "$(sum "$work/ro/m.db")" = "$before" ] || fail "the read-only store changed"
chmod 0755 "$work/ro"

# an output folder that cannot be written
mkdir -p "$work/out-ro/reports"
cp "$work/good.db" "$work/out-ro/m.db"
own "$work/out-ro"
chmod 0555 "$work/out-ro/reports"
for f in xlsx html csv; do
    st=0
    "${as[@]}" "$MOTCUA" report --db "$work/out-ro/m.db" --period 2025-Q3 --format "$f" \
        -o "$work/out-ro/reports/q3.$f" >"$work/out" 2>"$work/err" || st=$?
    [ "$st" -eq 74 ] || { cat "$work/err"; fail "report -o into a read-only folder ($f): exit $st, want 74"; }
    grep -q "reports/q3.$f: .*Permission denied" "$work/err" || fail "report $f: message: $(cat "$work/err")"
done
[ -z "$(ls -A "$work/out-ro/reports")" ] || fail "files left in the read-only folder"
if "$MOTCUA" run --help >/dev/null 2>&1; then
    mkdir -p "$work/out-ro/inbox"
    cp "$work/b.csv" "$work/out-ro/inbox/"
    own "$work/out-ro/inbox"
    st=0
    (cd "$work/out-ro" && "${as[@]}" "$MOTCUA" run --db m.db) >"$work/out" 2>"$work/err" || st=$?
    [ "$st" -eq 74 ] || { cat "$work/out" "$work/err"; fail "run with a read-only output folder: exit $st, want 74"; }
    grep -q 'reports/.*Permission denied' "$work/err" || fail "run: message: $(cat "$work/err")"
else
    echo "skipped: run not implemented (its output folder is not checked)"
fi
echo "ok: faults"
