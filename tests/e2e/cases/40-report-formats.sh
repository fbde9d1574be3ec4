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
for sheet in 'Biểu TTHC' 'Chỉ tiêu' 'Chất lượng dữ liệu' 'Theo lĩnh vực' 'Theo thủ tục'; do
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
    # the sheets by field (the form's own shape) and by procedure (SPEC 11)
    r --by field --format csv >"$work/q3-fields.csv"
    r --by procedure --format csv >"$work/q3-procedures.csv"
    python3 - "$work/q3-Theo lĩnh vực.csv" "$work/q3-fields.csv" "$work/q3-Theo thủ tục.csv" \
        "$work/q3-procedures.csv" <<'PY'
import csv, sys
cols = ["received_total", "received_online", "received_offline", "carried_over",
        "resolved_total", "resolved_early", "resolved_on_time", "resolved_late",
        "in_progress_total", "in_progress_within", "in_progress_overdue"]
for sheet, table, keys in ((sys.argv[1], sys.argv[2], 1), (sys.argv[3], sys.argv[4], 2)):
    rows = list(csv.reader(open(sheet, encoding="utf-8")))
    assert rows[0][0] == "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" + (" THEO THỦ TỤC" if keys == 2 else ""), rows[0]
    assert rows[1][0] == "Đơn vị báo cáo: Tất cả đơn vị", rows[1]
    assert rows[2][0].startswith("Kỳ báo cáo 2025-Q3"), rows[2]
    numbered = ["(%d)" % i for i in range(1, 14 if keys == 1 else 16)]
    assert [x for x in rows[8] if x] == numbered, rows[8]
    form = [r for r in rows[9:] if r and (r[0].isdigit() or "Tổng cộng" in r)]
    want = list(csv.DictReader(open(table, encoding="utf-8")))
    assert len(form) == len(want), (len(form), len(want))
    for f, u in zip(form, want):
        assert f[1 + keys:12 + keys] == [u[c] for c in cols], (f, u)
    print("LibreOffice read %d rows of %s, all equal to the CSV" % (len(form), sheet))
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

# The breakdowns as text and as a page (SPEC 11)
r --by field >"$work/fields.txt"
grep -q 'theo lĩnh vực' "$work/fields.txt" || { echo "text by field: no title"; exit 1; }
grep -q '^Thương mại  .*  7 ' "$work/fields.txt" || { echo "text by field: no Thương mại row"; exit 1; }
grep -q '^(không rõ lĩnh vực) ' "$work/fields.txt" || { echo "text by field: no row without a field"; exit 1; }
tail -1 "$work/fields.txt" | grep -q '^Tổng cộng  .*22 ' || { echo "text by field: ALL is not last"; exit 1; }
r --by procedure --format html -o "$work/procedures.html"
grep -q '<h1>Tình hình, kết quả giải quyết thủ tục hành chính theo thủ tục</h1>' "$work/procedures.html" ||
    { echo "page by procedure: no heading"; exit 1; }
grep -q '<td>2.000815</td><td>Chứng thực bản sao từ bản chính giấy tờ' "$work/procedures.html" ||
    { echo "page by procedure: no 2.000815 row"; exit 1; }
grep -q '<svg' "$work/procedures.html" && { echo "page by procedure: charts of the units"; exit 1; }
r --by procedure --format csv -o "$work/procedures.csv"
head -c 3 "$work/procedures.csv" | od -An -tx1 | grep -qv 'ef bb bf'
diff -u "$EXPECTED/procedures-2025-Q3.csv" "$work/procedures.csv"
