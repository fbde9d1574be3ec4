# The files meant for people, from the real binary on the bundled exports:
# the workbook read back (a zip of XML), the Excel CSV, and the HTML page
# rendered in headless Chromium (screenshot + DOM).
. "$(dirname "$0")/../lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$MOTCUA" ingest -q --db "$work/m.db" "$FIXTURES"/exports/* 2>/dev/null || true
r() { "$MOTCUA" report --db "$work/m.db" --period 2025-Q3 "$@"; }

r --format xlsx -o "$work/q3.xlsx"
unzip -p "$work/q3.xlsx" xl/workbook.xml >"$work/wb.xml"
for sheet in 'Biểu TTHC' 'Chỉ tiêu' 'Chất lượng dữ liệu'; do
    grep -q "name=\"$sheet\"" "$work/wb.xml" || { echo "no sheet $sheet"; exit 1; }
done
unzip -p "$work/q3.xlsx" xl/worksheets/sheet1.xml >"$work/s1.xml"
grep -q '<mergeCell ' "$work/s1.xml" || { echo "no merged headings"; exit 1; }
grep -q '<pane ' "$work/s1.xml" || { echo "header rows not frozen"; exit 1; }
grep -q '<v>22</v>' "$work/s1.xml" || { echo "ALL received_total 22 not stored as a number"; exit 1; }
unzip -p "$work/q3.xlsx" xl/sharedStrings.xml | grep -q 'Tổng cộng'
if unzip -p "$work/q3.xlsx" 'xl/worksheets/*.xml' | grep -q '<f>'; then
    echo "a formula in the workbook"; exit 1
fi
# When LibreOffice is there, it reads the form sheet back, and every row's
# 11 numbered counts, (3) to (13), are those of the machine CSV.
if command -v libreoffice >/dev/null && command -v python3 >/dev/null; then
    (cd "$work" && HOME="$work" timeout 120 libreoffice --headless --convert-to \
        'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
        q3.xlsx >/dev/null 2>&1)
    r --format csv >"$work/q3-units.csv"
    python3 - "$work/q3-Biểu TTHC.csv" "$work/q3-units.csv" <<'PY'
import csv, sys
form = [r for r in csv.reader(open(sys.argv[1], encoding="utf-8")) if r and (r[0].isdigit() or r[1] == "Tổng cộng")]
units = list(csv.DictReader(open(sys.argv[2], encoding="utf-8")))
cols = ["received_total", "received_online", "received_offline", "carried_over",
        "resolved_total", "resolved_early", "resolved_on_time", "resolved_late",
        "in_progress_total", "in_progress_within", "in_progress_overdue"]
assert len(form) == len(units), (len(form), len(units))
for f, u in zip(form, units):
    name = "Tổng cộng" if u["unit_code"] == "ALL" else u["unit_name"]
    assert f[1] == name, (f[1], name)
    assert f[2:13] == [u[c] for c in cols], (name, f[2:13], [u[c] for c in cols])
print("LibreOffice read %d form rows, all equal to the CSV" % len(form))
PY
else
    echo "LibreOffice not installed: the workbook was not read back by it"
fi

r --format html -o "$work/q3.html"
grep -q '<script' "$work/q3.html" && { echo "script in the page"; exit 1; }
[ "$(grep -o '<svg' "$work/q3.html" | wc -l)" -ge 8 ] || { echo "fewer than 8 charts"; exit 1; }
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    echo "chromium not installed: page not rendered"
else
    flags=(--headless --no-sandbox --disable-gpu --disable-background-networking
           --disable-component-update --no-first-run --disable-sync
           --user-data-dir="$work/profile")
    timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$work/q3.html" >"$work/dom.html" 2>/dev/null
    for want in 'Tổng cộng' 'Trung tâm Phục vụ hành chính công xã Cửa Tùng' '69,23' '<svg'; do
        grep -q "$want" "$work/dom.html" || { echo "rendered page lacks: $want"; exit 1; }
    done
    timeout 120 "$browser" "${flags[@]}" --window-size=1400,2000 \
        --screenshot="$work/q3.png" "file://$work/q3.html" >/dev/null 2>&1
    [ "$(head -c 8 "$work/q3.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
        { echo "no PNG screenshot"; exit 1; }
    [ "$(stat -c %s "$work/q3.png")" -gt 20000 ] || { echo "screenshot nearly empty"; exit 1; }
fi

# The Excel CSV: BOM, Vietnamese headings, CRLF; the machine CSV has none.
r --format csv >"$work/machine.csv"
head -c 3 "$work/machine.csv" | od -An -tx1 | grep -qv 'ef bb bf'
head -n 1 "$work/machine.csv" | grep -q '^period,period_start,'
