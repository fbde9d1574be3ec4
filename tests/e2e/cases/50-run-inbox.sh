#!/usr/bin/env bash
# `motcua run` and its folders: settled regular files are loaded in name
# order and archived under archive/YYYY/MM/; refused files go to quarantine/
# with NAME.reason.txt; symlinks, folders, partial and hidden names stay in
# the inbox; nothing is overwritten (.1, .2 suffixes); cron sees only the
# summary and real problems; the exit status says what needs a person.
. "$(dirname "$0")/../lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# gen ROWS SEED FILE [motcua-gen options]: an export, by the generator when
# it is built, else a small awk one of the same shape.
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
        case "$out" in *.gz) gzip -n -c "$out" >"$out.tmpgz" && mv "$out.tmpgz" "$out" ;; esac
    fi
}

run() { # run motcua in $work; sets $st, stdout in $work/out, stderr in $work/err
    st=0
    (cd "$work" && "$MOTCUA" run "$@") >"$work/out" 2>"$work/err" || st=$?
}
want() { # want STATUS
    [ "$st" -eq "$1" ] || { cat "$work/out" "$work/err" >&2; fail "exit $st, want $1"; }
}

cd "$work"
mkdir inbox
gen 2000 1 inbox/a.csv
gen 500 2 inbox/b.csv.gz --gzip --seq-start 50000
printf 'binary\001\002\003\000data' >inbox/c.csv
echo secret >"$work/outside.csv"
ln -s "$work/outside.csv" inbox/d.csv
mkdir inbox/folder
echo x >inbox/e.csv.part
echo x >inbox/.hidden.csv
echo x >inbox/f.csv.crdownload
echo x >inbox/g.csv.tmp

run
want 65
[ -f archive/2026/01/a.csv ] || fail "a.csv not archived under archive/2026/01"
[ -f archive/2026/01/b.csv.gz ] || fail "b.csv.gz not archived"
[ -f quarantine/c.csv ] || fail "c.csv not quarantined"
[ -f quarantine/c.csv.reason.txt ] || fail "no reason file"
grep -q 'c.csv' quarantine/c.csv.reason.txt || fail "the reason does not name the file"
[ "$(wc -l <quarantine/c.csv.reason.txt)" -eq 1 ] || fail "the reason is not one line"
[ "$(stat -c %a quarantine/c.csv.reason.txt)" = 640 ] || fail "reason file mode $(stat -c %a quarantine/c.csv.reason.txt)"
[ "$(stat -c %a motcua.db.lock)" = 640 ] || fail "lock file mode"
[ -L inbox/d.csv ] || fail "the symlink was moved"
[ "$(cat outside.csv)" = secret ] || fail "the symlink target changed"
for f in e.csv.part .hidden.csv f.csv.crdownload g.csv.tmp folder; do
    [ -e "inbox/$f" ] || fail "inbox/$f was moved"
done
grep -q 'd.csv: a symbolic link; not followed' err || fail "symlink not reported"
grep -q 'folder: a folder; ignored' err || fail "folder not reported"
grep -q 'c.csv.*moved to quarantine/c.csv' err || fail "refusal not reported"
# not on a terminal: no per-file chatter, exactly one summary line
grep -q 'accepted' err && fail "per-file lines on stderr when not on a terminal"
[ "$(wc -l <out)" -eq 1 ] || fail "summary is not one line: $(cat out)"
grep -q '^motcua run: 3 files: 2 loaded, 0 already loaded, 1 refused; 5 left in the inbox; rows: 2500 read' out ||
    fail "summary: $(cat out)"
grep -q 'reports: 2026-01 2025-12 2026-Q1 2025-Q4;' out || fail "periods: $(cat out)"
for p in 2026-01 2025-12 2026-Q1 2025-Q4; do
    for f in report.xlsx report.html units.csv targets.csv quality.csv late.csv; do
        [ -s "reports/$p/$f" ] || fail "reports/$p/$f missing"
    done
done
[ -z "$(find reports -name '.*')" ] || fail "temporary files left in reports/"
# the workbook has the form by field and the sheet by procedure (SPEC 11)
unzip -p reports/2025-Q4/report.xlsx xl/workbook.xml >wb.xml
for sheet in 'Biểu TTHC' 'Theo lĩnh vực' 'Theo thủ tục'; do
    grep -q "name=\"$sheet\"" wb.xml || fail "report.xlsx has no sheet $sheet"
done
unzip -p reports/2025-Q4/report.xlsx xl/sharedStrings.xml | grep -q '<t>Hộ tịch</t>' ||
    fail "report.xlsx: no row for the field Hộ tịch"
[ "$(head -c 3 reports/2025-Q4/units.csv | od -An -tx1 | tr -d ' ')" = efbbbf ] || fail "CSV for people has no BOM"
[ "$("$MOTCUA" report --table files --format csv | cut -d, -f1 | tail -n +2 | tr '\n' ' ')" = 'a.csv b.csv.gz ' ] ||
    fail "ledger: $("$MOTCUA" report --table files --format csv)"

# -v shows the per-file lines
rm inbox/d.csv
gen 100 3 inbox/h.csv --seq-start 60000
run -v
want 0
grep -q 'h.csv: read 100' err || fail "-v does not show per-file lines"

# the same export delivered again: archived beside the first, never over it
cp archive/2026/01/a.csv inbox/a.csv
run
want 0
cmp -s archive/2026/01/a.csv archive/2026/01/a.csv.1 || fail "redelivered a.csv not archived as a.csv.1"
grep -q '1 file: 0 loaded, 1 already loaded' out || fail "summary: $(cat out)"
# another file with a taken name: loaded, archived as .2
gen 300 4 inbox/a.csv --seq-start 70000
run
want 0
[ -f archive/2026/01/a.csv.2 ] || fail "a second a.csv not archived as a.csv.2"
# a second refused c.csv: quarantine/c.csv.1 with its own reason
printf 'binary\001\002\003\000again' >inbox/c.csv
run
want 65
[ -f quarantine/c.csv.1 ] && [ -f quarantine/c.csv.1.reason.txt ] || fail "second c.csv not quarantined as c.csv.1"
grep -q 'data' quarantine/c.csv || fail "the first quarantined c.csv was overwritten"

# a file still being written (modified within the settle time) waits
gen 100 5 inbox/i.csv --seq-start 80000
MOTCUA_SETTLE_SECONDS=60 run
want 0
[ -f inbox/i.csv ] || fail "an unsettled file was loaded"
touch -d '2 minutes ago' inbox/i.csv
MOTCUA_SETTLE_SECONDS=60 run
want 0
[ -f archive/2026/01/i.csv ] || fail "a settled file was not loaded"

# quarantined rows past the threshold: loaded and archived, but exit 65
if [ -x "$GEN" ]; then
    gen 400 6 inbox/j.csv --seq-start 90000 --faults 30
    run
    want 65
    grep -q 'j.csv: .* rows quarantined, more than the threshold of 5%' err || fail "threshold: $(cat err)"
    [ -f archive/2026/01/j.csv ] || fail "j.csv (loaded) not archived"
    gen 400 7 inbox/k.csv --seq-start 95000 --faults 30
    run --quarantine-threshold 60
    want 0
fi

# a file that cannot be read stays in the inbox, and says so (root reads
# everything, so as root the run is done as 'nobody')
as=()
if [ "$(id -u)" -eq 0 ]; then
    if command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
        chown -R nobody "$work"
        chmod 755 "$work"
        as=(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups)
        "${as[@]}" "$MOTCUA" --version >/dev/null 2>&1 || as=(skip) # binary out of nobody's reach
    else
        as=(skip)
    fi
fi
if [ "${as[0]:-}" != skip ]; then
    gen 10 8 inbox/l.csv --seq-start 99000
    touch -d '2 minutes ago' inbox/l.csv
    chmod 000 inbox/l.csv
    [ "$(id -u)" -eq 0 ] && chown root inbox/l.csv
    st=0
    (cd "$work" && "${as[@]}" "$MOTCUA" run) >"$work/out" 2>"$work/err" || st=$?
    want 74
    [ -f inbox/l.csv ] || fail "unreadable file moved"
    grep -q 'l.csv: no permission to read it' err || fail "unreadable not reported: $(cat err)"
    chmod 644 inbox/l.csv
else
    echo "skip: unreadable-file case (root, and no way to run motcua as 'nobody')"
fi

# every export is in exactly one of inbox, archive, quarantine
for name in a.csv b.csv.gz c.csv h.csv i.csv; do
    n=$(find inbox archive quarantine -name "$name" -type f | wc -l)
    [ "$n" -ge 1 ] || fail "$name lost"
done
[ "$(find inbox -maxdepth 1 -type f -name 'a.csv*' | wc -l)" -eq 0 ] || fail "a.csv left in inbox"
"$MOTCUA" check >/dev/null || fail "check after the runs"
echo "ok: run inbox handling"
