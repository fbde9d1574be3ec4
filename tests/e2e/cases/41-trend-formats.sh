# The 12-month trend (SPEC 13) in the files meant for people: the text
# table, the page's line charts (inline SVG, rendered in headless Chromium
# when it is installed: the lines and the target lines are on screen), the
# workbook's sheet and native line charts (opened by LibreOffice when it is
# installed: the sheet reads back equal to the CSV contract, every chart
# renders), the bound on the number of charts, and trend.csv of `run`.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
units=$FIXTURES/units.csv
"$GEN" -q --rows 6000 --seed 41 --start 2024-10-01 --end 2025-12-31 --online 45 \
    --seq-start 1001 -o "$work/year.csv"
"$MOTCUA" ingest -q --db "$work/m.db" "$work/year.csv" "$FIXTURES"/exports/* 2>/dev/null || true
# the bundled targets and one for every unit, so that ALL has target lines
{ cat "$FIXTURES/targets.csv"
  echo '*,on_time_rate,>=,95,2025,"test"'
  echo '*,online_rate,>=,50,2025,"test"'; } >"$work/targets.csv"
r() { "$MOTCUA" report --db "$work/m.db" --units "$units" --targets "$work/targets.csv" \
    --period 2025-Q3 "$@"; }

# text: the month leads every row, 12 months, ALL last in each
r --table trend >"$work/trend.txt"
head -n 3 "$work/trend.txt" | grep -q '^Tháng ' || fail "text trend: no month column"
[ "$(grep -c '^2025-0[1-9] \|^2024-1[0-2] ' "$work/trend.txt")" -gt 12 ] || fail "text trend: rows"
[ "$(grep -c 'Tổng cộng' "$work/trend.txt")" -eq 12 ] || fail "text trend: not one ALL per month"
# an unknown table still names trend among the choices
st=0
r --table trends 2>"$work/err" >/dev/null || st=$?
[ "$st" -eq 64 ] && grep -q 'trend' "$work/err" || fail "--table trends: exit $st"

# the page: one figure for ALL and one per top-level unit (the three
# provinces and the name that matches no unit), three panels each
r --format html -o "$work/q3.html"
grep -q '<script' "$work/q3.html" && fail "script in the page"
grep -q '<h2>3. Xu hướng 12 tháng</h2>' "$work/q3.html" || fail "no trend section"
[ "$(grep -c '<figure class="trend">' "$work/q3.html")" -eq 5 ] || fail "not 5 trend figures"
grep -q 'figcaption id="t-0">Tổng cộng<' "$work/q3.html" || fail "ALL is not the first trend chart"
[ "$(grep -c '<polyline class="tr-line"' "$work/q3.html")" -ge 12 ] || fail "few trend lines"
grep -q '<line class="tr-tgt"' "$work/q3.html" || fail "no target line"
# the target of ALL's on-time panel is the '*' one: 95 % from January 2025
grep -q '<title>Tháng 07/2025: [0-9,]*% — mục tiêu ≥ 95%: ' "$work/q3.html" ||
    fail "no point names its month, value and target"

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    echo "chromium not installed: the trend charts were not rendered"
else
    flags=(--headless --no-sandbox --disable-gpu --disable-background-networking
           --disable-component-update --no-first-run --disable-sync
           --user-data-dir="$work/profile")
    timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$work/q3.html" >"$work/dom.html" 2>/dev/null
    [ "$(grep -o '<figure class="trend">' "$work/dom.html" | wc -l)" -eq 5 ] ||
        fail "the rendered page lacks the trend figures"
    grep -q 'polyline class="tr-line"' "$work/dom.html" || fail "the rendered page lacks the lines"
    # A page short enough for one screenshot (one province, one commune):
    # the trend's colours (its line #1f4e8c and its target #c62828, used by
    # nothing else on the page) must be on screen, not merely in the file.
    printf 'code,name,parent,aliases,valid_from,valid_to\nP1,Tỉnh thử,,,,\nP1.1,Xã thử,P1,,,\n' \
        >"$work/one.csv"
    "$GEN" -q --rows 2000 --seed 43 --units "$work/one.csv" --start 2024-10-01 --end 2025-09-30 \
        -o "$work/one-ex.csv"
    "$MOTCUA" ingest -q --db "$work/one.db" "$work/one-ex.csv"
    "$MOTCUA" report --db "$work/one.db" --units "$work/one.csv" --targets "$work/targets.csv" \
        --period 2025-Q3 --format html -o "$work/one.html"
    timeout 180 "$browser" "${flags[@]}" --window-size=1000,3200 --hide-scrollbars \
        --screenshot="$work/one.png" "file://$work/one.html" >/dev/null 2>&1
    python3 - "$work/one.png" <<'PY' || fail "the trend charts are not visible on the screenshot"
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, w = 8, b"", 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        assert depth == 8 and ctype in (2, 6), (depth, ctype)
        bpp = 3 if ctype == 2 else 4
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
raw, stride = zlib.decompress(idat), w * bpp
prev, found, i = bytearray(stride), {"line": 0, "target": 0}, 0
want = {"line": (0x1f, 0x4e, 0x8c), "target": (0xc6, 0x28, 0x28)}
for y in range(h):
    f, row = raw[i], bytearray(raw[i + 1:i + 1 + stride])
    i += 1 + stride
    for x in range(stride):   # PNG filters (RFC 2083, 6)
        a = row[x - bpp] if x >= bpp else 0
        b, c = prev[x], prev[x - bpp] if x >= bpp else 0
        if f == 1: row[x] = (row[x] + a) & 255
        elif f == 2: row[x] = (row[x] + b) & 255
        elif f == 3: row[x] = (row[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            row[x] = (row[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for name, (R, G, B) in want.items():
        for x in range(0, stride, bpp):
            if abs(row[x] - R) < 12 and abs(row[x + 1] - G) < 12 and abs(row[x + 2] - B) < 12:
                found[name] += 1
    prev = row
print("screenshot %dx%d: %d pixels of trend line, %d of target line" % (w, h, found["line"], found["target"]))
assert found["line"] > 300 and found["target"] > 80, found
PY
fi

# the workbook: the monthly sheet, the chart sheet, one native line chart
# per charted unit, six series each (three rates, three targets)
r --format xlsx -o "$work/q3.xlsx"
unzip -p "$work/q3.xlsx" xl/workbook.xml >"$work/wb.xml"
for sheet in 'Xu hướng 12 tháng' 'Biểu đồ xu hướng'; do
    grep -q "name=\"$sheet\"" "$work/wb.xml" || fail "no sheet $sheet"
done
[ "$(unzip -l "$work/q3.xlsx" | grep -c 'xl/charts/chart[0-9]*\.xml')" -eq 5 ] || fail "not 5 charts"
unzip -p "$work/q3.xlsx" xl/charts/chart1.xml >"$work/chart1.xml"
grep -q '<c:lineChart>' "$work/chart1.xml" || fail "chart 1 is not a line chart"
[ "$(grep -o '<c:ser>' "$work/chart1.xml" | wc -l)" -eq 6 ] || fail "chart 1 has not 6 series"
grep -q '<a:prstDash val="dash"/>' "$work/chart1.xml" || fail "no dashed target series"
if unzip -p "$work/q3.xlsx" 'xl/worksheets/*.xml' | grep -q '<f>'; then fail "a formula"; fi

if command -v soffice >/dev/null; then
    # LibreOffice opens the workbook: every sheet as CSV, the trend sheet's
    # rows equal to the CSV contract's; and as a page, every chart drawn
    (cd "$work" && HOME="$work" timeout 180 soffice --headless --convert-to \
        'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
        q3.xlsx >/dev/null 2>&1) || fail "soffice could not open the workbook"
    r --table trend --format csv >"$work/trend.csv"
    python3 - "$work/q3-Xu hướng 12 tháng.csv" "$work/trend.csv" <<'PY' || fail "the trend sheet differs"
import csv, sys
sheet = [r for r in csv.reader(open(sys.argv[1], encoding="utf-8")) if r and r[0][:2] == "20"]
want = list(csv.reader(open(sys.argv[2], encoding="utf-8")))[1:]
assert len(sheet) == len(want), (len(sheet), len(want))
for s, w in zip(sheet, want):
    assert s[0] == w[0] and s[4] == w[4], (s[:5], w[:5])    # month, unit code
    assert s[6:20] == w[6:20], (w[0], w[4], s[6:20], w[6:20])  # the 14 counts
print("LibreOffice read %d trend rows, all equal to the CSV" % len(sheet))
PY
    mkdir "$work/lo"
    (cd "$work/lo" && HOME="$work" timeout 180 soffice --headless --convert-to \
        'html:HTML (StarCalc)' ../q3.xlsx >/dev/null 2>&1) || fail "soffice: no page"
    [ "$(ls "$work/lo"/*.png 2>/dev/null | wc -l)" -eq 5 ] || fail "LibreOffice drew not 5 charts"
    echo "LibreOffice drew the 5 charts of the workbook"
else
    echo "LibreOffice not installed (soffice): the workbook was not opened by it"
fi

# At most ALL and 12 top-level units are charted: a registry of 15
# provinces gives 13 charts, the busiest ones, and says what it left out.
{ echo 'code,name,parent,aliases,valid_from,valid_to'
  for i in $(seq 10 24); do echo "P$i,Tỉnh thử $i,,,,"; echo "P$i.1,Xã thử $i,P$i,,,"; done
} >"$work/many.csv"
"$GEN" -q --rows 3000 --seed 42 --units "$work/many.csv" --start 2025-01-01 --end 2025-09-30 \
    --unit-weight P10.1=0.1 --unit-weight P11.1=0.1 --unit-weight P12.1=0.1 -o "$work/many-ex.csv"
"$MOTCUA" ingest -q --db "$work/many.db" "$work/many-ex.csv"
"$MOTCUA" report --db "$work/many.db" --units "$work/many.csv" --targets '' --period 2025-Q3 \
    --format html -o "$work/many.html"
[ "$(grep -c '<figure class="trend">' "$work/many.html")" -eq 13 ] || fail "not 13 trend figures"
grep -q 'Biểu đồ cho Tổng cộng và 12 đơn vị cấp cao nhất có nhiều hồ sơ nhất; 3 đơn vị khác' \
    "$work/many.html" || fail "the page does not say 3 units were left out"
for p in P10 P11 P12; do
    grep -q "figcaption id=\"t-[0-9]*\">Tỉnh thử ${p#P} ($p)" "$work/many.html" &&
        fail "$p, among the least busy, was charted"
done
"$MOTCUA" report --db "$work/many.db" --units "$work/many.csv" --targets '' --period 2025-Q3 \
    -o "$work/many.xlsx"
[ "$(unzip -l "$work/many.xlsx" | grep -c 'xl/charts/chart[0-9]*\.xml')" -eq 13 ] ||
    fail "not 13 charts in the workbook"

# run: trend.csv beside the other files, for people (BOM, Vietnamese
# headings); the page it writes is the one `report -o` writes
mkdir -p "$work/srv/inbox"
cp "$work/year.csv" "$work/srv/inbox/"
(cd "$work/srv" && "$MOTCUA" run -q --db m.db --inbox inbox --archive archive \
    --quarantine quarantine --output out) || true
[ -f "$work/srv/out/2025-12/trend.csv" ] || fail "run wrote no trend.csv"
[ "$(head -c 3 "$work/srv/out/2025-12/trend.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] ||
    fail "trend.csv has no BOM"
head -n 1 "$work/srv/out/2025-12/trend.csv" | grep -q 'Tháng,Từ ngày,' || fail "trend.csv headings"
"$MOTCUA" report --db "$work/srv/m.db" --period 2025-12 --format html -o "$work/dec.html"
cmp -s "$work/dec.html" "$work/srv/out/2025-12/report.html" ||
    fail "report -o page.html differs from the page run wrote"
echo "trend formats ok"
