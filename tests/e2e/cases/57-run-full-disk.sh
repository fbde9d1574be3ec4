#!/usr/bin/env bash
# A full disk while loading (SPEC 7: exit 74): the export stays in the inbox,
# the store is as it was, the message says what to do, and once there is
# room the next run loads it.  The disk is a small tmpfs when this runs as
# root and may mount one; the store's page limit (MOTCUA_MAX_PAGES) always.
. "$(dirname "$0")/../lib.sh"
work=$(mktemp -d)
mounted=
cleanup() {
    cd /
    [ -n "$mounted" ] && umount "$mounted" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
if [ ! -x "$GEN" ]; then echo "skip: needs the generator"; exit 0; fi
"$GEN" -q --rows 2000 --seed 1 -o "$work/small.csv"
"$GEN" -q --rows 40000 --seed 2 --seq-start 20000 -o "$work/large.csv"

# full_disk_case NAME DB LIMIT: a first run loads small.csv into the store
# DB, a second one cannot load large.csv (LIMIT=pages: through the store's
# page limit; else the disk under DB is small)
full_disk_case() {
    local name=$1 db=$2 limit=$3 site="$work/$1" env=()
    mkdir -p "$site/inbox"
    cp "$work/small.csv" "$site/inbox/"
    st=0
    (cd "$site" && "$MOTCUA" run --db "$db") >/dev/null 2>"$work/err" || st=$?
    [ "$st" -eq 0 ] || { cat "$work/err"; fail "$name: first run exit $st"; }
    "$MOTCUA" report --db "$db" --table files --format csv >"$work/files-before"
    "$MOTCUA" report --db "$db" --period 2025 --format csv >"$work/units-before"
    cp "$work/large.csv" "$site/inbox/"
    [ "$limit" = pages ] && env=("MOTCUA_MAX_PAGES=$(( $(stat -c %s "$db") / $(page_size "$db") + 64 ))")
    st=0
    (cd "$site" && env "${env[@]}" "$MOTCUA" run --db "$db") >"$work/out" 2>"$work/err" || st=$?
    [ "$st" -eq 74 ] || { cat "$work/err"; fail "$name: exit $st on a full disk, want 74"; }
    grep -q 'disk full.*free space on the disk, then run again' "$work/err" ||
        fail "$name: message: $(cat "$work/err")"
    grep -q 'large.csv was left in the inbox' "$work/err" || fail "$name: message: $(cat "$work/err")"
    [ -f "$site/inbox/large.csv" ] || fail "$name: large.csv left the inbox"
    [ ! -e "$site/archive/2026/01/large.csv" ] || fail "$name: large.csv archived"
    grep -q '^motcua run: 1 file: 0 loaded' "$work/out" || fail "$name: summary: $(cat "$work/out")"
    "$MOTCUA" report --db "$db" --table files --format csv | diff -u "$work/files-before" - ||
        fail "$name: the ledger changed"
    "$MOTCUA" report --db "$db" --period 2025 --format csv | cmp -s "$work/units-before" - ||
        fail "$name: the figures changed"
    "$MOTCUA" check --db "$db" >/dev/null || fail "$name: check after the full disk"
}

# 1. the store's page limit
mkdir -p "$work/pages"
full_disk_case pages "$work/pages/motcua.db" pages
# room again: the next run loads it
(cd "$work/pages" && "$MOTCUA" run --db "$work/pages/motcua.db") >/dev/null 2>"$work/err" ||
    { cat "$work/err"; fail "pages: the run after freeing space failed"; }
[ -f "$work/pages/archive/2026/01/large.csv" ] || fail "pages: large.csv not loaded once there was room"

# 2. a real full filesystem
if [ "$(id -u)" -eq 0 ] && mkdir -p "$work/disk" && mount -t tmpfs -o size=2m tmpfs "$work/disk" 2>/dev/null; then
    mounted="$work/disk"
    full_disk_case tmpfs "$work/disk/motcua.db" disk
    mount -o remount,size=64m "$work/disk"
    (cd "$work/tmpfs" && "$MOTCUA" run --db "$work/disk/motcua.db") >/dev/null 2>"$work/err" ||
        { cat "$work/err"; fail "tmpfs: the run after freeing space failed"; }
    [ -f "$work/tmpfs/archive/2026/01/large.csv" ] || fail "tmpfs: large.csv not loaded once there was room"
else
    echo "skip: tmpfs case (needs root and permission to mount a tmpfs)"
fi
echo "ok: full disk"
