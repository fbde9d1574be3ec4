#!/usr/bin/env bash
# Freshness (SPEC 8): when the newest export in the inbox and the archive
# is older than max_export_age_days, run says so and exits 65, so a missing
# nightly export is noticed; 0 turns the check off.  File times are judged
# by the real clock.
. "$(dirname "$0")/../lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run() {
    st=0
    (cd "$work" && "$MOTCUA" run "$@") >"$work/out" 2>"$work/err" || st=$?
}
want() {
    [ "$st" -eq "$1" ] || { cat "$work/out" "$work/err" >&2; fail "exit $st, want $1"; }
}

mkdir "$work/inbox"
# nothing ever arrived
run
want 65
grep -q 'no export found in inbox or archive' "$work/err" || fail "message: $(cat "$work/err")"
run --max-export-age-days 0
want 0

if [ -x "$GEN" ]; then
    "$GEN" --rows 300 --seed 1 -q -o "$work/inbox/a.csv"
else
    printf 'MaHoSo,MaDonVi,TrangThaiHoSo,NgayTiepNhan\nX-1,000.00.06.H56,2,05/01/2026\n' >"$work/inbox/a.csv"
fi
run
want 0
# three days later, nothing new
touch -d '3 days ago' "$work/archive/2026/01/a.csv"
run
want 65
grep -q 'the newest export is 3.0 days old .* more than max_export_age_days = 2' "$work/err" ||
    fail "message: $(cat "$work/err")"
[ "$(wc -l <"$work/out")" -eq 1 ] || fail "no summary line"
run --max-export-age-days 5
want 0
printf '[motcua]\nmax_export_age_days = 2.5\n' >"$work/motcua.conf"
run
want 65
printf '[motcua]\nmax_export_age_days = 0\n' >"$work/motcua.conf"
run
want 0
rm "$work/motcua.conf"
# an export waiting in the inbox counts as having arrived
echo x >"$work/inbox/b.csv"
touch -d '1 hour ago' "$work/inbox/b.csv"
MOTCUA_SETTLE_SECONDS=7200 run
want 0
echo "ok: freshness"
