#!/usr/bin/env bash
# The config file of SPEC 8: found by --config or as ./motcua.conf; paths
# relative to the file's folder; command-line options win; unknown keys and
# bad values are usage errors (64) naming FILE:LINE and the key.
. "$(dirname "$0")/../lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gen() {
    local rows=$1 seed=$2 out=$3
    shift 3
    if [ -x "$GEN" ]; then
        "$GEN" --rows "$rows" --seed "$seed" -q -o "$out" "$@"
    else
        awk -v n="$rows" -v seed="$seed" 'BEGIN {
            srand(seed); print "MaHoSo,MaDonVi,TrangThaiHoSo,NgayTiepNhan,NgayHenTra,NgayKetThucXuLy,KenhThucHien"
            for (i = 1; i <= n; i++) {
                d = 1 + int(rand() * 28); m = 1 + int(rand() * 12); st = (rand() < 0.7) ? 10 : 4
                fin = (st == 10) ? sprintf("%02d/%02d/2025", (d % 28) + 1, m) : ""
                printf "S%d-%06d,000.00.06.H56,%d,%02d/%02d/2025,%02d/%02d/2025,%s,%d\n", seed, i, st, d, m, (d % 28) + 1, m, fin, 1 + int(rand() * 2)
            } }' >"$out"
    fi
}
expect_usage() { # expect_usage "PATTERN" motcua-args...: exit 64 and PATTERN on stderr
    local pat=$1 st=0
    shift
    "$MOTCUA" "$@" >"$work/out" 2>"$work/err" || st=$?
    [ "$st" -eq 64 ] || { cat "$work/err" >&2; fail "$* exited $st, want 64"; }
    grep -q -- "$pat" "$work/err" || fail "$*: message '$(cat "$work/err")' lacks '$pat'"
}

mkdir -p "$work/etc" "$work/srv/in" "$work/cwd"
gen 500 1 "$work/srv/in/a.csv"
cat >"$work/etc/motcua.conf" <<'CONF'
; motcua, test site
[motcua]
db = ../srv/data/motcua.db
inbox = ../srv/in
archive = ../srv/data/archive
quarantine = ../srv/data/quarantine
output = ../srv/out
formats = csv
quarantine_threshold = 5
max_export_age_days = 0
CONF
mkdir -p "$work/srv/data"
cd "$work/cwd"
st=0
"$MOTCUA" run --config ../etc/motcua.conf >"$work/out" 2>"$work/err" || st=$?
[ "$st" -eq 0 ] || { cat "$work/err"; fail "run exit $st"; }
[ -f "$work/srv/data/motcua.db" ] || fail "db not relative to the config's folder"
[ -f "$work/srv/data/archive/2026/01/a.csv" ] || fail "archive not relative to the config's folder"
[ -f "$work/srv/out/2026-01/units.csv" ] || fail "output not relative to the config's folder"
[ ! -e "$work/srv/out/2026-01/report.xlsx" ] || fail "formats = csv wrote a workbook"
[ -z "$(ls "$work/cwd")" ] || fail "files created in the working folder: $(ls "$work/cwd")"

# command-line options win over the file
"$MOTCUA" run --config ../etc/motcua.conf --formats html --output "$work/out2" >/dev/null
[ -f "$work/out2/2026-01/report.html" ] || fail "--formats/--output did not override the file"
[ ! -e "$work/out2/2026-01/units.csv" ] || fail "--formats html still wrote csv"

# encoding = cp1258: run converts a legacy export of the inbox (SPEC 10.3)
# and still reads a UTF-8 one as UTF-8
sed 's/^db = .*/db = ..\/srv\/data\/legacy.db/' "$work/etc/motcua.conf" >"$work/etc/legacy.conf"
printf 'encoding = cp1258\n' >>"$work/etc/legacy.conf"
cp "$FIXTURES/bad/cp1258.csv" "$work/srv/in/legacy.csv"
gen 50 2 "$work/srv/in/b.csv"
st=0
"$MOTCUA" run --config ../etc/legacy.conf >"$work/out" 2>"$work/err" || st=$?
[ "$st" -eq 0 ] || { cat "$work/err"; fail "run with encoding = cp1258 exit $st"; }
[ -f "$work/srv/data/archive/2026/01/legacy.csv" ] || fail "the cp1258 export was not loaded: $(cat "$work/err")"
"$MOTCUA" report --db "$work/srv/data/legacy.db" --table files --format csv >"$work/files.csv"
grep -q '^legacy.csv,[0-9a-f]*,4,4,0,0,' "$work/files.csv" || fail "legacy.csv: $(cat "$work/files.csv")"
grep -q '^b.csv,[0-9a-f]*,50,' "$work/files.csv" || fail "b.csv: $(cat "$work/files.csv")"

# ./motcua.conf is found without --config (other commands read it too)
cp "$work/etc/motcua.conf" "$work/etc/copy.conf"
cd "$work/etc"
"$MOTCUA" report --table files --format csv | grep -q '^a.csv,' || fail "./motcua.conf not used by report"

# errors name FILE:LINE and the key
printf '[motcua]\ndb = x.db\n\ninboxx = in\n' >bad1.conf
expect_usage "bad1.conf:4: unknown key 'inboxx'" run --config bad1.conf
printf '[motcua]\nconvention = fiscal\n' >bad2.conf
expect_usage "bad2.conf:2: key 'convention' must be calendar or cutoff" run --config bad2.conf
printf '[motcua]\nformats = xlsx,pdf\n' >bad3.conf
expect_usage "bad3.conf:2: key 'formats': unknown format 'pdf'" run --config bad3.conf
printf '[motcua]\n# comment\nquarantine_threshold = lots\n' >bad4.conf
expect_usage "bad4.conf:3: key 'quarantine_threshold'" run --config bad4.conf
printf '[motcua]\nmax_export_age_days = soon\n' >bad5.conf
expect_usage "bad5.conf:2: key 'max_export_age_days'" run --config bad5.conf
printf '[motcua]\ndb = a.db\ndb = b.db\n' >bad6.conf
expect_usage "bad6.conf:3: key 'db' is given twice (first on line 2)" run --config bad6.conf
printf 'db = a.db\n' >bad7.conf
expect_usage "bad7.conf:1: key 'db' before the \[motcua\] section" check --config bad7.conf
printf '[motcua]\nthis is not ini\n' >bad8.conf
expect_usage "bad8.conf:2: not a 'key = value' line" report --config bad8.conf --table files
printf '[motcua]\nencoding = vni\n' >bad9.conf
expect_usage "bad9.conf:2: key 'encoding' must be cp1258 or tcvn3, not 'vni'" ingest --config bad9.conf x.csv
expect_usage "missing.conf: cannot read the config file" run --config missing.conf
# a bad command-line value is a usage error too
expect_usage "formats" run --config motcua.conf --formats pdf
expect_usage "convention" run --config motcua.conf --convention fiscal
echo "ok: config file"
