#!/usr/bin/env bash
# The verified-store stamp (etl/verified.h): a clean `run` leaves
# motcua.db.verified beside the store, and the next run skips the
# whole-store check (said at -v); the check still runs, and a damaged store
# is still refused untouched, after any change motcua did not make itself:
# damage (also with the mtime set back by `touch -r`), a run killed with a
# WAL left, a stale stamp from before `rerun --from-archive`.  A stamp
# that cannot be written is not an error.  `check` ignores the stamp.
. "$(dirname "$0")/../lib.sh"
work=$(mktemp -d)
trap 'kill_child; rm -rf "$work"' EXIT
if [ ! -x "$GEN" ]; then echo "skip: needs the generator"; exit 0; fi
# an export still loading when the kill comes (valgrind is much slower)
BIG=200000
[ -z "${MOTCUA_UNDER_VALGRIND:-}" ] || BIG=20000

w="$work/site"
db="$w/motcua.db"
stamp="$db.verified"
skipped='motcua.db: unchanged since motcua last closed it sound: whole-store check skipped'
n=0
export_() { # export_ ROWS: a new export of ROWS cases in the inbox
    n=$((n + 1))
    "$GEN" -q --rows "$1" --seed "$((100 + n))" --seq-start "$((n * 1000000))" \
        -o "$w/inbox/e$n.csv"
}
run() { # run [ARGS]: motcua run -v in the site; st, $work/out, $work/err
    st=0
    (cd "$w" && "$MOTCUA" run -v "$@") >"$work/out" 2>"$work/err" || st=$?
}
ran_clean() { # ran_clean WHEN
    [ "$st" -eq 0 ] || { cat "$work/err"; fail "$1: run exit $st"; }
}
said_skip() { grep -qF "$skipped" "$work/err"; }

mkdir -p "$w/inbox"
export_ 20000
export_ 3000

# --- a clean run stamps the store; the next one skips the check
run
ran_clean "first run"
! said_skip || fail "first run: a new store was not checked"
[ -f "$stamp" ] || fail "no stamp after a clean run: $(ls -A "$w")"
[ "$(head -n 1 "$stamp")" = "motcua-verified 1" ] || fail "stamp: $(cat "$stamp")"
mode=$(stat -c %a "$stamp")
(((8#$mode & ~8#640) == 0)) || fail "stamp mode $mode, more than 640"
grep -qx "ino $(stat -c %i "$db")" "$stamp" || fail "the stamp is not of the store: $(cat "$stamp")"
[ -z "$(find "$w" -maxdepth 1 -name '.*')" ] || fail "temporaries left: $(ls -A "$w")"
export_ 100
run
ran_clean "second run"
said_skip || { cat "$work/err"; fail "second run: the check was not skipped"; }
[ -f "$w/archive/2026/01/e3.csv" ] || fail "e3.csv not loaded"
[ -f "$stamp" ] || fail "no stamp after the second run"
# readers change nothing: the stamp still holds
"$MOTCUA" report --db "$db" --period 2025-Q4 --format csv >/dev/null
"$MOTCUA" check --db "$db" >/dev/null || fail "check after two runs"
export_ 100
run
ran_clean "run after report and check"
said_skip || { cat "$work/err"; fail "report or check spoiled the stamp"; }
# ingest and rerun share it
st=0
"$MOTCUA" ingest -v --db "$db" "$w/archive/2026/01/e1.csv" >/dev/null 2>"$work/err" || st=$?
[ "$st" -eq 0 ] || { cat "$work/err"; fail "ingest exit $st"; }
said_skip || { cat "$work/err"; fail "ingest did not skip the check"; }
st=0
(cd "$w" && "$MOTCUA" rerun -v --period 2025-Q4) >/dev/null 2>"$work/err" || st=$?
[ "$st" -eq 0 ] || { cat "$work/err"; fail "rerun exit $st"; }
said_skip || { cat "$work/err"; fail "rerun did not skip the check"; }
[ -f "$stamp" ] || fail "no stamp after ingest and rerun"
cp -a "$w" "$work/clean"   # a clean site, stamp included (the copy's stamp
                           # cannot match: another inode, another ctime)

# --- damage after a clean run, the mtime put back: refused all the same
pages=$(($(stat -c %s "$db") / 4096))
[ "$pages" -gt 20 ] || fail "store too small to damage ($pages pages)"
touch -r "$db" "$work/mtime"
before=$(stat -c '%s %.9Y' "$db")
for p in $((pages / 3)) $((pages / 2)) $((2 * pages / 3)); do
    head -c 4096 /dev/urandom | dd of="$db" bs=4096 seek="$p" conv=notrunc status=none
done
touch -r "$work/mtime" "$db"
[ "$(stat -c '%s %.9Y' "$db")" = "$before" ] || fail "the damage shows in size or mtime"
cp "$db" "$work/damaged.db"
export_ 100
run
[ "$st" -eq 74 ] || { cat "$work/err"; fail "run on a damaged store, mtime set back: exit $st"; }
grep -q 'the store is damaged' "$work/err" || fail "run said: $(cat "$work/err")"
! said_skip || fail "the check was skipped on a damaged store"
cmp -s "$db" "$work/damaged.db" || fail "run changed the damaged store"
[ -f "$w/inbox/e$n.csv" ] || fail "run moved an export despite the damaged store"
[ ! -e "$stamp" ] || fail "a stamp beside a store that failed its check"
# check ignores even a stamp forged to match the damaged store
stat -c $'motcua-verified 1\ndev %d\nino %i\nsize %s\nmtime %.9Y\nctime %.9Z' "$db" >"$stamp"
st=0
"$MOTCUA" check --db "$db" >/dev/null 2>"$work/err" || st=$?
[ "$st" -eq 65 ] || { cat "$work/err"; fail "check with a matching stamp: exit $st, want 65"; }
grep -q 'integrity_check\|damaged\|malformed' "$work/err" || fail "check said: $(cat "$work/err")"

# --- a killed run: its WAL makes the next run check, even beside a stamp
rm -rf "$w" && cp -a "$work/clean" "$w"
run                         # a stamp for this copy
ran_clean "run on the copy"
! said_skip || fail "a copied store was not checked"
[ -f "$stamp" ] || fail "no stamp on the copy"
cp "$stamp" "$work/stamp-before"
before=$(stat -c '%i %s %.9Y %.9Z' "$db")
export_ 200             # committed first: frames in the WAL
export_ "$BIG"          # still loading when the kill comes
killed=0
for try in 1 2 3; do
    (cd "$w" && exec "$MOTCUA" run -q) &
    child=$!
    for _ in $(seq 1 2000); do
        [ -s "$db-wal" ] && break
        kill -0 "$child" 2>/dev/null || break
        sleep 0.005
    done
    kill -9 "$child" 2>/dev/null || true
    rc=0
    wait "$child" 2>/dev/null || rc=$?
    child=
    if [ "$rc" -eq 137 ] && [ -s "$db-wal" ]; then killed=1; break; fi
    echo "try $try: the run was not killed with a WAL left (exit $rc); again"
    rm -rf "$w" && cp -a "$work/clean" "$w"
    run && ran_clean "run on the copy, again"
    cp "$stamp" "$work/stamp-before"
    before=$(stat -c '%i %s %.9Y %.9Z' "$db")
    export_ 200 && export_ "$BIG"
done
[ "$killed" = 1 ] || fail "no run could be killed with its WAL left"
[ ! -e "$stamp" ] || fail "the killed run left a stamp"
[ "$(stat -c '%i %s %.9Y %.9Z' "$db")" = "$before" ] ||
    fail "the killed run changed the store file itself (a checkpoint?)"
# the stamp it removed, back: it matches the file; only the WAL tells
cp "$work/stamp-before" "$stamp"
run
ran_clean "run after the kill"
! said_skip || fail "the check was skipped with a killed run's WAL beside the store"
[ -f "$w/archive/2026/01/e$n.csv" ] || fail "the big export was not loaded after the kill"
[ -f "$stamp" ] || fail "no stamp after the run that followed the kill"

# --- rerun --from-archive: the new store is checked, DB.bak carries no stamp
cp "$stamp" "$work/stamp-old"
st=0
(cd "$w" && "$MOTCUA" rerun -v --from-archive --period 2025-Q4) >/dev/null 2>"$work/err" || st=$?
[ "$st" -eq 0 ] || { cat "$work/err"; fail "rerun --from-archive: exit $st"; }
! said_skip || fail "rerun --from-archive skipped the check of the rebuilt store"
[ -f "$db.bak" ] || fail "no motcua.db.bak"
[ ! -e "$db.bak.verified" ] || fail "a stamp beside motcua.db.bak"
[ -f "$stamp" ] || fail "no stamp for the rebuilt store"
grep -qx "ino $(stat -c %i "$db")" "$stamp" || fail "the stamp is not the rebuilt store's"
! grep -qx "ino $(stat -c %i "$db")" "$work/stamp-old" || fail "the rebuilt store has the old inode"
export_ 100
run
ran_clean "run after the rebuild"
said_skip || { cat "$work/err"; fail "the run after the rebuild did not skip the check"; }
# the old store's stamp put back by hand never matches the new store
cp "$work/stamp-old" "$stamp"
export_ 100
run
ran_clean "run with the old store's stamp"
! said_skip || fail "the old store's stamp matched the rebuilt store"
# a stale stamp beside DB.bak goes when the next rebuild replaces DB.bak
cp "$stamp" "$db.bak.verified"
(cd "$w" && "$MOTCUA" rerun -q --from-archive --period 2025-Q4) >/dev/null 2>"$work/err" ||
    { [ $? -eq 65 ] || { cat "$work/err"; fail "second rebuild"; }; }
[ ! -e "$db.bak.verified" ] || fail "a stale stamp stayed beside motcua.db.bak"

# --- a run that met a store error (here the store's page limit, a full
# disk) leaves no stamp, though its store was sound when opened
export_ 100
run
ran_clean "run before the full disk"
said_skip || fail "no stamp before the full disk"
export_ 10000
st=0
(cd "$w" && MOTCUA_MAX_PAGES=$(($(stat -c %s "$db") / $(page_size "$db") + 64)) "$MOTCUA" run -v) \
    >/dev/null 2>"$work/err" || st=$?
[ "$st" -eq 74 ] || { cat "$work/err"; fail "full disk: exit $st, want 74"; }
grep -q 'disk full' "$work/err" || fail "full disk: $(cat "$work/err")"
[ ! -e "$stamp" ] || fail "a stamp after a run that met a store error"
run
ran_clean "run after the full disk"
! said_skip || fail "the check was skipped after a run that met a store error"
[ -f "$w/archive/2026/01/e$n.csv" ] || fail "the export left by the full disk was not loaded"

# --- a stamp that cannot be written: not an error, the next run checks
rm -f "$stamp"
mkdir "$stamp"
export_ 100
run
ran_clean "run that cannot write its stamp"
grep -q 'motcua.db.verified: cannot write' "$work/err" || fail "-v did not say why: $(cat "$work/err")"
[ "$(grep -c . "$work/out")" -eq 1 ] || fail "more than the summary on standard output"
export_ 100
run
ran_clean "run after the unwritable stamp"
! said_skip || fail "a folder in the stamp's place was taken for a stamp"
rmdir "$stamp"
# without -v a run says nothing of the stamp
export_ 100
st=0
(cd "$w" && "$MOTCUA" run) >/dev/null 2>"$work/err" || st=$?
[ "$st" -eq 0 ] && [ ! -s "$work/err" ] || fail "a plain run said: $(cat "$work/err")"
echo "ok: verified stamp"
