#!/usr/bin/env bash
# Cells that attack the people who open the reports, or the store:
#   - formula prefixes (= + - @) in unit codes, unit and procedure names are
#     neutralized in every file written for people: the workbook holds them
#     as strings (no <f> element), the Excel CSV that `run` writes puts an
#     apostrophe before them; the machine CSV of `report --format csv` is a
#     contract and carries them exactly as they came;
#   - <script>, quotes and ampersands in names are escaped in the HTML page;
#   - SQL metacharacters are plain text everywhere, and the store still
#     works afterwards.
. "$(dirname "$0")/../lib.sh"
export MOTCUA_TODAY=2025-08-20 MOTCUA_NOW=2025-08-20T02:00:00+07:00
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v unzip >/dev/null || { echo "skip: needs unzip"; exit 0; }

HYPER='=HYPERLINK("http://x","y")'
SCRIPT=$'<script>alert("x")</script> & \'q\''
SQL="'); DROP TABLE cases;--"
# The unit names (all unmatched by the registry, so each is its own unit and
# is printed as it came), and one hostile unit code.
cat >"$work/cells.csv" <<'EOF'
MaHoSo,MaDonVi,DonViXuLy,TenTTHC,TrangThaiHoSo,NgayTiepNhan,NgayHenTra,NgayKetThucXuLy
C-1,,"=HYPERLINK(""http://x"",""y"")","=HYPERLINK(""http://x"",""y"")",10,01/07/2025,10/07/2025,05/07/2025
C-2,,+1,+1,10,01/07/2025,10/07/2025,05/07/2025
C-3,,-1,-1,4,01/07/2025,10/07/2025,
C-4,,@SUM(A1),@SUM(A1),4,01/07/2025,10/07/2025,
C-5,,"<script>alert(""x"")</script> & 'q'","<script>alert(1)</script>",4,01/07/2025,10/07/2025,
C-6,,"'); DROP TABLE cases;--","'); DROP TABLE cases;--",4,01/07/2025,10/07/2025,
C-7,=1+2,Tên thường,"Robert'); DROP TABLE versions;--",4,01/07/2025,10/07/2025,
C-8,000.00.06.H56,,x,"=HYPERLINK(""http://x"")",01/07/2025,10/07/2025,
C-9,"'; DELETE FROM files; --",Đơn vị ';--,"x"";--",4,02/07/2025,10/07/2025,
EOF
FORMULAS=("$HYPER" '+1' '-1' '@SUM(A1)' '=1+2')

# csv_field S: how S starts a CSV field (quoted when it holds , or ")
csv_field() {
    local s=${1//\"/\"\"}
    case "$1" in *[,\"]*) printf '"%s"' "$s" ;; *) printf '%s' "$s" ;; esac
}
# guarded S: the same field with Excel's apostrophe in front of the text
guarded() {
    local s=${1//\"/\"\"}
    case "$1" in *[,\"]*) printf "\"'%s\"" "$s" ;; *) printf "'%s" "$s" ;; esac
}

# --- the machine contract: exactly the data
st=0
"$MOTCUA" ingest --db "$work/m.db" "$work/cells.csv" >"$work/out" 2>"$work/err" || st=$?
[ "$st" -eq 65 ] || { cat "$work/err"; fail "ingest exit $st, want 65 (1 of 9 rows quarantined)"; }
"$MOTCUA" report --db "$work/m.db" --period 2025-Q3 --format csv >"$work/machine.csv"
for s in "${FORMULAS[@]}" "$SQL" "$SCRIPT"; do
    grep -qF ",$(csv_field "$s")," "$work/machine.csv" || fail "machine CSV lacks the exact field $s"
    grep -qF ",$(guarded "$s")," "$work/machine.csv" && fail "machine CSV guards $s: it must carry the data as is"
done
"$MOTCUA" report --db "$work/m.db" --period 2025-Q3 --table quality --format csv >"$work/quality-machine.csv"
grep -qF "$(csv_field "$HYPER")" "$work/quality-machine.csv" || fail "quality CSV lacks the unmatched name"

# --- the workbook: strings, never formulas
"$MOTCUA" report --db "$work/m.db" --period 2025-Q3 --format xlsx -o "$work/r.xlsx"
check_xlsx() {
    local x=$1
    unzip -tq "$x" >/dev/null || fail "$x is not a valid zip"
    # to files first: with pipefail, grep -q leaving early fails the pipe
    unzip -p "$x" 'xl/worksheets/*.xml' >"$work/sheets.xml"
    unzip -p "$x" xl/sharedStrings.xml >"$work/strings.xml"
    if grep -q '<f[ >]' "$work/sheets.xml"; then
        fail "$x holds a formula: $(grep -o '<f[ >][^<]*' "$work/sheets.xml" | head -3)"
    fi
    grep -q 't="str"' "$work/sheets.xml" && fail "$x holds a formula result cell"
    for s in "$HYPER" '+1' '-1' '@SUM(A1)' '=1+2'; do
        grep -qF ">$s</t>" "$work/strings.xml" || fail "$x: '$s' is not a string of the workbook"
    done
    grep -q 't="s"' "$work/sheets.xml" || fail "$x: no string cells at all"
}
check_xlsx "$work/r.xlsx"

# --- the HTML page: every name escaped, no script
"$MOTCUA" report --db "$work/m.db" --period 2025-Q3 --format html -o "$work/r.html"
check_html() {
    local h=$1
    grep -qi '<script' "$h" && fail "$h holds a <script>"
    grep -qF "$SCRIPT" "$h" && fail "$h holds the name unescaped"
    grep -qF '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;' "$h" ||
        fail "$h lacks the escaped name"
    grep -qF '&#39;); DROP TABLE cases;--' "$h" || fail "$h lacks the escaped SQL-like name"
    return 0
}
check_html "$work/r.html"

# --- SQL metacharacters did nothing: the tables are there, the names came
# back exactly, and the store takes the next file
"$MOTCUA" report --db "$work/m.db" --table files --format csv >"$work/files.csv"
grep -q '^cells.csv,[0-9a-f]*,9,8,0,1,0,' "$work/files.csv" || fail "the ledger lost cells.csv: $(cat "$work/files.csv")"
if command -v sqlite3 >/dev/null; then
    [ "$(sqlite3 "$work/m.db" 'SELECT count(*) FROM cases')" = 8 ] || fail "the cases table was touched"
    [ "$(sqlite3 "$work/m.db" 'SELECT sum(length(seen)) / 24 FROM case_rows')" = 8 ] || fail "the versions were touched"
fi
grep -qF "$(csv_field "'; DELETE FROM files; --")" "$work/machine.csv" || fail "the SQL-like unit code did not come back"
printf 'MaHoSo,MaDonVi,TrangThaiHoSo,NgayTiepNhan\nN-1,000.00.06.H56,4,03/07/2025\n' >"$work/next.csv"
"$MOTCUA" ingest --db "$work/m.db" "$work/next.csv" >/dev/null 2>&1 || fail "the store refused the next file"
"$MOTCUA" report --db "$work/m.db" --table files --format csv >"$work/files.csv"
grep -q '^next.csv,[0-9a-f]*,1,1,0,0,0,' "$work/files.csv" || fail "next.csv not loaded"
if "$MOTCUA" check --help >/dev/null 2>&1; then
    "$MOTCUA" check --db "$work/m.db" >/dev/null 2>&1 || fail "check after the SQL-like names"
else
    echo "note: check not implemented; skipped"
fi

# --- `run`: the Excel CSV, the workbook and the page it writes for people
if ! "$MOTCUA" run --help >/dev/null 2>&1; then
    echo "skipped: run not implemented (the report files of run are not checked)"
    echo "ok: hostile cells"
    exit 0
fi
mkdir -p "$work/site/inbox"
cp "$work/cells.csv" "$work/site/inbox/"
st=0
(cd "$work/site" && "$MOTCUA" run) >"$work/out" 2>"$work/err" || st=$?
[ "$st" -eq 65 ] || { cat "$work/out" "$work/err"; fail "run exit $st, want 65"; }
d="$work/site/reports/2025-Q3"
for f in units.csv quality.csv report.xlsx report.html; do
    [ -s "$d/$f" ] || fail "run wrote no $f"
done
for s in "${FORMULAS[@]}"; do
    grep -qF ",$(guarded "$s")," "$d/units.csv" || fail "people CSV does not guard $s: $(grep -F -- "$s" "$d/units.csv")"
    grep -qF ",$(csv_field "$s")," "$d/units.csv" && fail "people CSV has $s unguarded"
done
for s in "$HYPER" '+1' '@SUM(A1)'; do
    grep -qF ",$(csv_field "$s")," "$d/quality.csv" && fail "people quality CSV has $s unguarded"
done
# the late cases (SPEC 12), the open ones overdue on 20/08 under their
# hostile unit codes and names: guarded in late.csv, plain in the machine list
for s in '-1' '@SUM(A1)' '=1+2'; do
    grep -qF ",$(guarded "$s")," "$d/late.csv" || fail "late.csv does not guard $s: $(grep -F -- "$s" "$d/late.csv")"
done
grep -qF ",$(csv_field "$SQL")," "$d/late.csv" || fail "late.csv lacks the SQL-like name as it came"
for s in '-1' '@SUM(A1)' '=1+2'; do
    grep -qF ",$(csv_field "$s")," "$d/late.csv" && fail "late.csv has $s unguarded"
done
"$MOTCUA" report --db "$work/site/motcua.db" --period 2025-Q3 --table cases --only late \
    --format csv >"$work/late-machine.csv"
for s in '-1' '@SUM(A1)' '=1+2' "$SQL" "$SCRIPT"; do
    grep -qF ",$(csv_field "$s")," "$work/late-machine.csv" || fail "the machine list lacks the exact field $s"
done
unzip -p "$d/report.xlsx" xl/workbook.xml | grep -q 'name="Hồ sơ trễ hạn"' || fail "no late sheet"
check_xlsx "$d/report.xlsx"
check_html "$d/report.html"
grep -q '<h2>[0-9]. Hồ sơ trễ hạn chưa có văn bản xin lỗi</h2>' "$d/report.html" || fail "no late section"
echo "ok: hostile cells"
