#!/usr/bin/env bash
# Workbooks (SPEC 10.1) through the real binary.
#   - The bundled CSV exports repackaged as .xlsx by tests/tools/csv2xlsx
#     (dates as date cells, codes as numbers, shared strings; then all
#     text, inline strings and a cover sheet before the table) give the
#     same units table, the same ledger counts and the same rejects, line
#     for line, as the CSVs.  One row differs on purpose: a row with fewer
#     cells than the header is bad_field_count in a CSV, while a workbook
#     leaves a row's trailing empty cells out, so the row is padded and its
#     empty status is what quarantines it.
#   - An .xlsx is known by its bytes, not its name.
#   - Each hostile workbook of fixtures/bad/ is refused with exit 65 and its
#     message, and nothing of it is loaded.
. "$(dirname "$0")/../lib.sh"
C2X=${MOTCUA_CSV2XLSX:-$root/build/csv2xlsx}
[ -x "$C2X" ] || fail "csv2xlsx not built ($C2X)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/csv" "$work/x1" "$work/x2"

for f in "$FIXTURES"/exports/*.csv "$FIXTURES"/exports/*.csv.gz; do
    [ -e "$f" ] || continue
    b=$(basename "$f"); b=${b%.gz}; b=${b%.csv}
    cp "$f" "$work/csv/"
    "$C2X" "$f" "$work/x1/$b.xlsx" || fail "csv2xlsx $f"
    "$C2X" --strings --constant-memory --cover "Báo cáo xuất từ hệ thống" "$f" "$work/x2/$b.xlsx" ||
        fail "csv2xlsx --strings $f"
done

# report KIND DB: the tables compared, file names without their extension
report() {
    local db=$1
    "$MOTCUA" report --db "$db" --units "$FIXTURES/units.csv" --period 2025-Q3 --as-of 2025-09-30 \
        --table units --format csv >"$db.units"
    "$MOTCUA" report --db "$db" --table rejects --format csv |
        sed -E 's/^([^,]*)\.(csv\.gz|csv|xlsx),/\1,/' >"$db.rejects"
    # name, rows read, accepted, duplicate, quarantined, conflicts
    "$MOTCUA" report --db "$db" --table files --format csv | cut -d, -f1,3-7 |
        sed -E 's/^([^,]*)\.(csv\.gz|csv|xlsx),/\1,/' | sort >"$db.files"
}

st=0
"$MOTCUA" ingest --db "$work/c.db" "$work"/csv/* >/dev/null 2>&1 || st=$?
[ "$st" -eq 65 ] || fail "csv ingest exit $st"
report "$work/c.db"
# the one row a workbook reads differently (see above)
sed -i 's/^excel-phuong-2-2025h1,12,bad_field_count,,"4 fields, the header has 13"$/excel-phuong-2-2025h1,12,bad_status,status,status is empty/' \
    "$work/c.db.rejects"
grep -q '^excel-phuong-2-2025h1,12,bad_status,' "$work/c.db.rejects" || fail "the short CSV row moved"

for v in x1 x2; do
    st=0
    "$MOTCUA" ingest --db "$work/$v.db" "$work/$v"/*.xlsx >"$work/$v.out" 2>"$work/$v.err" || st=$?
    [ "$st" -eq 65 ] || { cat "$work/$v.err"; fail "$v: xlsx ingest exit $st"; }
    grep -q 'refused' "$work/$v.err" && { cat "$work/$v.err"; fail "$v: a workbook was refused"; }
    report "$work/$v.db"
    [ "$(wc -l <"$work/$v.db.units")" -gt 5 ] || fail "$v: too few unit rows"
    diff -u "$work/c.db.units" "$work/$v.db.units" || fail "$v: units table differs from the CSVs'"
    diff -u "$work/c.db.rejects" "$work/$v.db.rejects" || fail "$v: rejects differ from the CSVs'"
    diff -u "$work/c.db.files" "$work/$v.db.files" || fail "$v: ledger counts differ from the CSVs'"
done

# By bytes, not by name: a workbook called .csv is read as a workbook.
cp "$work/x1/dvcqg-cua-tung-20251001.xlsx" "$work/named-like-a.csv"
"$MOTCUA" ingest --db "$work/n.db" "$work/named-like-a.csv" >"$work/n.out" 2>&1 || true
grep -q 'named-like-a.csv: read 23, accepted 18, duplicate 1, quarantined 4' "$work/n.out" ||
    fail "a workbook named .csv: $(cat "$work/n.out")"

# Hostile workbooks: refused whole, with their reason.
hostile() { # FILE MESSAGE
    local f=$1 msg=$2 db="$work/h-$1.db" st=0
    "$MOTCUA" ingest --db "$db" "$FIXTURES/bad/$f" >"$work/h.out" 2>"$work/h.err" || st=$?
    [ "$st" -eq 65 ] || { cat "$work/h.err"; fail "$f: exit $st, want 65"; }
    grep -q -- "$f: .*$msg" "$work/h.err" || fail "$f: message '$(cat "$work/h.err")' lacks '$msg'"
    grep -q 'file refused, nothing of it loaded' "$work/h.err" || fail "$f: no 'nothing loaded'"
    [ "$(wc -l <"$work/h.err")" -eq 1 ] || fail "$f: more than one line: $(cat "$work/h.err")"
    [ "$("$MOTCUA" report --db "$db" --table files --format csv | wc -l)" -eq 1 ] ||
        fail "$f: a refused file is in the ledger"
}
hostile xlsx-bomb.xlsx 'xl/worksheets/sheet1.xml expands more than 200x its compressed size: refused as a decompression bomb'
hostile xlsx-doctype.xlsx 'a DOCTYPE (DTD or entity declarations) has no place in a workbook: refused'
hostile xlsx-encrypted.xlsx 'xl/workbook.xml is encrypted (password-protected): open the workbook in Excel, remove the password and save it again'
hostile xlsx-not-workbook.docx 'a ZIP archive without xl/workbook.xml: not an Excel workbook'
hostile xlsx-no-worksheet.xlsx 'the workbook has no worksheet (macro-only or charts only)'
hostile xlsx-missing-sheet.xlsx "sheet 'Sheet1': its part xl/worksheets/sheet1.xml is missing: the workbook is damaged"
hostile xlsx-truncated.xlsx 'the Excel workbook (a ZIP archive) is damaged or truncated'
echo "xlsx: 4 exports x 2 workbook forms read as their CSVs; 7 hostile workbooks refused"
