# The paragraph for the monthly report (SPEC 14, issue 17): the bundled
# exports' paragraph is the checked-in one, to the letter; `run` writes the
# same text as summary.txt, heads the HTML page with it and gives the
# workbook a sheet "Tóm tắt"; and on generated data every number of the
# paragraph, read back from the Vietnamese format, is the units table's.
. "$(dirname "$0")/../lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
EXPECTED=$here/../expected
targets=$here/../data/targets-all.csv

"$MOTCUA" ingest -q --db "$work/m.db" "$FIXTURES"/exports/* 2>/dev/null || [ $? -eq 65 ]
"$MOTCUA" report --db "$work/m.db" --period 2025-Q3 --targets "$targets" --format summary \
    >"$work/summary.txt"
diff -u "$EXPECTED/summary-2025-Q3.txt" "$work/summary.txt" || fail "summary differs"

# The same through -o, and refused for another table than units.
"$MOTCUA" report --db "$work/m.db" --period 2025-Q3 --targets "$targets" --format summary \
    -o "$work/o.txt"
cmp "$work/summary.txt" "$work/o.txt" || fail "-o gives another summary"
st=0
"$MOTCUA" report --db "$work/m.db" --period 2025-Q3 --table targets --format summary \
    2>"$work/err" || st=$?
[ "$st" -eq 64 ] || fail "--table targets --format summary: exit $st"
grep -q "paragraph of the units table" "$work/err" || fail "message: $(cat "$work/err")"

# What run and rerun write: summary.txt, the page's head, the workbook's sheet.
mkdir -p "$work/site/inbox"
cp "$FIXTURES"/exports/* "$work/site/inbox/"
printf '[motcua]\ndb = m.db\noutput = reports\ntargets = %s\n' "$targets" >"$work/site/motcua.conf"
"$MOTCUA" ingest -q --db "$work/site/m.db" "$work/site/inbox"/* 2>/dev/null || true
"$MOTCUA" rerun -q --config "$work/site/motcua.conf" --period 2025-Q3
out=$work/site/reports/2025-Q3
cmp "$EXPECTED/summary-2025-Q3.txt" "$out/summary.txt" || fail "rerun's summary.txt differs"
first=$(head -n 1 "$EXPECTED/summary-2025-Q3.txt")
grep -qF "<p>$first</p>" "$out/report.html" || fail "the page does not start with the paragraph"
unzip -p "$out/report.xlsx" xl/workbook.xml | grep -q 'name="Tóm tắt"' || fail "no sheet Tóm tắt"
unzip -p "$out/report.xlsx" xl/sharedStrings.xml | grep -qF "đơn vị: tất cả các đơn vị." ||
    fail "the sheet Tóm tắt lacks the paragraph"

# Generated data: every number of the paragraph equals the units table's
# ALL cell, read back from the Vietnamese format.
"$GEN" -q --rows 40000 --seed 17 --faults 1 -o "$work/gen.csv"
"$MOTCUA" ingest -q --db "$work/g.db" "$work/gen.csv" 2>/dev/null || [ $? -eq 65 ]
for p in 2025-Q3 2025-H1 2025-11; do
    "$MOTCUA" report --db "$work/g.db" --period "$p" --targets "$targets" --format summary \
        >"$work/g.txt"
    "$MOTCUA" report --db "$work/g.db" --period "$p" --targets "$targets" --format csv \
        >"$work/g.csv"
    python3 - "$work/g.txt" "$work/g.csv" <<'PY' || fail "period $p: summary and table differ"
import csv, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
rows = list(csv.DictReader(open(sys.argv[2], encoding="utf-8")))
all_row = [r for r in rows if r["unit_code"] == "ALL"][0]
lines = text.splitlines()
assert len(lines) == 7, lines
def vi(s):
    return s.replace(".", "").replace(",", ".")
num = r"(\d{1,3}(?:\.\d{3})*)"
rate = r"(\d{1,3}(?:\.\d{3})*,\d\d%|không có số liệu)"
pats = [
    (1, rf"Tổng số hồ sơ tiếp nhận: {num} hồ sơ, trong đó tiếp nhận mới trong kỳ {num} hồ sơ "
        rf"\(trực tuyến {num}; trực tiếp và qua dịch vụ bưu chính công ích {num}\), từ kỳ trước "
        rf"chuyển sang {num} hồ sơ\.",
     ["received_total", "received_new", "received_online", "received_offline", "carried_over"]),
    (2, rf"Đã giải quyết: {num} hồ sơ \(trước hạn {num}; đúng hạn {num}; quá hạn {num}\); tỷ lệ "
        rf"giải quyết trước và đúng hạn {rate}",
     ["resolved_total", "resolved_early", "resolved_on_time", "resolved_late", "on_time_rate"]),
    (3, rf"Đang giải quyết: {num} hồ sơ \(trong hạn {num}; quá hạn {num}\)\.",
     ["in_progress_total", "in_progress_within", "in_progress_overdue"]),
    (4, rf"Hồ sơ trễ hạn: {num} hồ sơ, trong đó đã có văn bản xin lỗi {num} hồ sơ \({rate}\)",
     ["late_total", "late_with_apology", "late_with_apology_rate"]),
    (5, rf"Tỷ lệ hồ sơ tiếp nhận trực tuyến: {rate}.*; trực tuyến toàn trình: {rate}.*; thanh "
        rf"toán trực tuyến: {rate}",
     ["online_rate", "online_full_process_rate", "online_payment_rate"]),
    (6, rf"Tỷ lệ số hóa hồ sơ: {rate}.*; cấp kết quả điện tử: {rate}",
     ["digitized_rate", "e_result_rate"]),
]
checked = 0
for i, pat, cols in pats:
    m = re.search(pat, lines[i])
    assert m, (lines[i], pat)
    for got, col in zip(m.groups(), cols):
        want = all_row[col]
        got = "" if got == "không có số liệu" else vi(got.rstrip("%"))
        assert got == want, (col, got, want)
        checked += 1
assert checked == 21, checked
PY
done
echo "ok: summary"
