# The cases behind the numbers (SPEC 12) and --unit (SPEC 11) on generated
# exports in every dialect motcua-gen makes (dvcqg and vi; NFD, CRLF, sep=,
# ISO dates, tabs, gzip, BOM; faults and later versions): for every unit of
# the units table and every count column, the list `--only X --unit U` has
# exactly as many cases as the table counts; the units table of --unit U is
# the whole table's rows of U and its descendants, its ALL row U's row; and
# the list matches the oracle's (tests/oracle) cell by cell.
. "$(dirname "$0")/../lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
units=$FIXTURES/units.csv
g() { "$GEN" -q --units "$units" "$@"; }
g --rows 4000 --seed 31 --faults 3 --versions 15 -o "$work/a.csv"
g --rows 4000 --seed 32 --dialect vi --nfd --crlf --sep-line --seq-start 5000 -o "$work/b.csv"
g --rows 3000 --seed 33 --dates iso --delimiter tab --gzip --bom --seq-start 9000 \
    --start 2024-10-01 --end 2025-09-30 -o "$work/c.csv.gz"
g --rows 3000 --seed 34 --dialect vi --dates sync --delimiter , --seq-start 5000 --versions 30 \
    -o "$work/d.csv"
files=("$work/a.csv" "$work/b.csv" "$work/c.csv.gz" "$work/d.csv")
st=0
"$MOTCUA" ingest -q --db "$work/m.db" "${files[@]}" 2>/dev/null || st=$?
[ "$st" -eq 0 ] || [ "$st" -eq 65 ] || fail "ingest exit $st"
r() { "$MOTCUA" report --db "$work/m.db" --units "$units" --targets '' "$@"; }
rows() { echo $(($(wc -l <"$1") - 1)); }

counts="carried_over received_new received_online received_offline resolved_total resolved_early
        resolved_on_time resolved_late in_progress_total in_progress_within in_progress_overdue
        late_total late_with_apology"

# check_period UNITS ARGS...: for the period ARGS name, every selection of
# every unit of the table (UNITS all) or of ALL and the units named in UNITS
check_period() {
    local which=$1
    shift
    r "$@" --format csv >"$work/units.csv"
    [ "$(rows "$work/units.csv")" -gt 10 ] || fail "$*: too few units"
    # unit code and counts of every row, ALL included (python3 reads the quoted names)
    python3 - "$work/units.csv" "$which" >"$work/matrix" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
pick = None if sys.argv[2] == "all" else set(sys.argv[2].split(",")) | {"ALL"}
for r in rows:
    if pick is None or r["unit_code"] in pick:
        print("\t".join([r["unit_code"]] + ["%s=%s" % (k, r[k]) for k in r
                        if k not in ("period", "period_start", "period_end", "as_of", "unit_code",
                                     "unit_name") and not k.endswith("_rate")]))
PY
    local code rest kv col want got n_units=0 n_lists=0
    rm -rf "$work/one" && mkdir "$work/one"
    while IFS=$'\t' read -r code rest; do
        n_units=$((n_units + 1))
        local unit=()
        [ "$code" = ALL ] || unit=(--unit "$code")
        local -A c=()
        for kv in $rest; do c[${kv%%=*}]=${kv#*=}; done
        for col in $counts late_without_apology; do
            if [ "$col" = late_without_apology ]; then
                want=$((c[late_total] - c[late_with_apology]))
            else
                want=${c[$col]}
            fi
            r "$@" --table cases --only "$col" "${unit[@]}" --format csv >"$work/list.csv"
            got=$(rows "$work/list.csv")
            [ "$got" -eq "$want" ] || fail "$* unit $code: --only $col lists $got cases, the table counts $want"
            n_lists=$((n_lists + 1))
        done
        # every counted case of the unit, once
        r "$@" --table cases "${unit[@]}" --format csv >"$work/one/$n_units.all"
        [ "$(rows "$work/one/$n_units.all")" -eq "${c[received_total]}" ] ||
            fail "$* unit $code: --only all"
        # the units table of the unit, checked below
        [ "$code" = ALL ] || r "$@" --unit "$code" --format csv >"$work/one/$n_units.units"
        printf '%s\n' "$code" >"$work/one/$n_units.code"
        unset c
    done <"$work/matrix"
    # no case listed twice; the units table of --unit U: the whole table's rows
    # of U and its descendants in the registry, and ALL = U's row
    python3 - "$work/units.csv" "$work/one" "$units" <<'PY' || fail "$*: a list or a --unit table"
import csv, glob, os, sys
whole = {r["unit_code"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
parent = {r["code"]: r["parent"] for r in csv.DictReader(
    l for l in open(sys.argv[3], encoding="utf-8") if not l.startswith("#"))}
for f in glob.glob(os.path.join(sys.argv[2], "*.code")):
    base = f[:-5]
    code = open(f, encoding="utf-8").read().rstrip("\n")
    ids = [r["case_id"] for r in csv.DictReader(open(base + ".all", encoding="utf-8"))]
    assert len(ids) == len(set(ids)), (code, "a case listed twice")
    if code == "ALL":
        continue
    def under(c):
        while c:
            if c == code:
                return True
            c = parent.get(c)
        return False
    one = list(csv.DictReader(open(base + ".units", encoding="utf-8")))
    want = [c for c in whole if c != "ALL" and under(c)]
    got = [r["unit_code"] for r in one[:-1]]
    assert got == want, (code, got, want)
    for r in one[:-1]:
        assert r == whole[r["unit_code"]], (code, r["unit_code"])
    last, mine = dict(one[-1]), dict(whole[code])
    assert last["unit_code"] == "ALL", code
    for k in ("unit_code", "unit_name"):
        del last[k], mine[k]
    assert last == mine, (code, last, mine)
PY
    echo "$*: $n_units units x 14 selections = $n_lists lists, each the size of its count"
}
check_period all --period 2025-Q3 --as-of 2025-09-30
check_period 000.00.00.H56,000.00.05.H30,000.01.72.H56 --period 2025-08 --as-of 2025-08-17 \
    --convention cutoff

# the oracle computes the list from the spec's words; cell by cell
if command -v python3 >/dev/null; then
    oracle=(python3 "$root/tests/oracle/oracle.py" --table cases --no-procedure --units "$units")
    for spec in "calendar 2025-Q3 2025-09-30 all -" "calendar 2025 2025-12-31 late -" \
                "cutoff 2025-08 2025-08-17 all -" "calendar 2025-Q2 2025-06-30 all 000.00.00.H56" \
                "calendar 2025-Q3 2025-09-30 late_without_apology 000.00.72.H56" \
                "calendar 2025-H1 2025-05-01 carried_over -"; do
        set -- $spec
        unit=()
        [ "$5" = - ] || unit=(--unit "$5")
        "${oracle[@]}" --convention "$1" --period "$2" --as-of "$3" --only "$4" "${unit[@]}" \
            "${files[@]}" >"$work/want.csv" 2>/dev/null
        r --convention "$1" --period "$2" --as-of "$3" --table cases --only "$4" "${unit[@]}" \
            --format csv >"$work/got.csv"
        [ "$(rows "$work/got.csv")" -gt 5 ] || fail "$spec: too few cases to mean anything"
        if ! cmp -s "$work/want.csv" "$work/got.csv"; then
            echo "differs from the oracle: $spec"
            "$root/tests/oracle/compare.sh" "$work/want.csv" "$work/got.csv" | head -20
            exit 1
        fi
    done
    echo "6 lists identical to the oracle's"
    for spec in "2025-Q3 000.00.00.H56" "2025 000.00.05.H30" "2025-H2 000.01.72.H56"; do
        set -- $spec
        python3 "$root/tests/oracle/oracle.py" --units "$units" --period "$1" --unit "$2" \
            "${files[@]}" >"$work/want.csv" 2>/dev/null
        r --period "$1" --unit "$2" --format csv >"$work/got.csv"
        if ! cmp -s "$work/want.csv" "$work/got.csv"; then
            echo "differs from the oracle: units table $spec"
            "$root/tests/oracle/compare.sh" "$work/want.csv" "$work/got.csv" | head -20
            exit 1
        fi
    done
    echo "3 units tables of one unit identical to the oracle's"
    # the trend of one unit (SPEC 11 and 13): each month limited the same way
    python3 "$root/tests/oracle/oracle.py" --units "$units" --period 2025-Q3 --table trend \
        --unit 000.00.00.H56 "${files[@]}" >"$work/want.csv" 2>/dev/null
    r --period 2025-Q3 --table trend --unit 000.00.00.H56 --format csv >"$work/got.csv"
    [ "$(grep -c ',ALL,' "$work/got.csv")" -eq 12 ] || fail "trend of one unit: not 12 months"
    if ! cmp -s "$work/want.csv" "$work/got.csv"; then
        echo "differs from the oracle: the trend of 000.00.00.H56"
        "$root/tests/oracle/compare.sh" "$work/want.csv" "$work/got.csv" | head -20
        exit 1
    fi
    echo "the trend of one unit identical to the oracle's"
fi

# The four formats of one list say the same; the people's forms carry no code
# that a spreadsheet would run, and the page no script.
r --period 2025-Q3 --table cases --only late --unit 000.00.00.H56 --format csv >"$work/late.csv"
n=$(rows "$work/late.csv")
r --period 2025-Q3 --table cases --only late --unit 000.00.00.H56 >"$work/late.txt"
grep -q "^$n hồ sơ.$" "$work/late.txt" || fail "text: no count line of $n"
grep -q '^Đơn vị báo cáo: UBND tỉnh Quảng Trị$' "$work/late.txt" || fail "text: no unit heading"
[ "$(grep -c '^000\.\|^001\.' "$work/late.txt")" -eq "$n" ] || fail "text: not $n rows"
r --period 2025-Q3 --table cases --only late --unit 000.00.00.H56 --format html -o "$work/late.html"
[ "$(grep -c '^<tr><td>' "$work/late.html")" -eq "$n" ] || fail "html: not $n rows"
grep -q 'Đơn vị báo cáo: UBND tỉnh Quảng Trị' "$work/late.html" || fail "html: no unit heading"
grep -q '<script' "$work/late.html" && fail "html: a script"
r --period 2025-Q3 --table cases --only late --unit 000.00.00.H56 -o "$work/late.xlsx"
unzip -p "$work/late.xlsx" xl/workbook.xml | grep -q 'name="Hồ sơ trễ hạn"' || fail "xlsx: sheet name"
unzip -p "$work/late.xlsx" xl/worksheets/sheet1.xml >"$work/sheet.xml"
[ "$(grep -o '<row ' "$work/sheet.xml" | wc -l)" -eq $((n + 5)) ] || fail "xlsx: not 5 heading rows + $n"
grep -q 'Đơn vị báo cáo: UBND tỉnh Quảng Trị' "$work/sheet.xml" || fail "xlsx: no unit heading"
if unzip -p "$work/late.xlsx" 'xl/worksheets/*.xml' | grep -q '<f>'; then fail "xlsx: a formula"; fi
# LibreOffice, when installed, reads the workbook (written in constant-memory
# mode) back: the same cases, the dates real dates
if command -v libreoffice >/dev/null; then
    (cd "$work" && HOME="$work" timeout 120 libreoffice --headless --convert-to \
        'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
        late.xlsx >/dev/null 2>&1)
    python3 - "$work/late-Hồ sơ trễ hạn.csv" "$work/late.csv" <<'PY' || fail "LibreOffice read the workbook otherwise"
import csv, sys
sheet = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
machine = list(csv.DictReader(open(sys.argv[2], encoding="utf-8")))
rows = sheet[6:]
assert sheet[5][3] == "Mã hồ sơ" and len(rows) == len(machine), (sheet[5], len(rows), len(machine))
for s, m in zip(rows, machine):
    assert s[3] == m["case_id"] and s[1] == m["unit_code"], (s, m)
    y, mo, d = m["received_at"].split("-")
    assert s[9] == "%s/%s/%s" % (mo, d, y), (s[9], m["received_at"])  # a date, shown en-US
    assert s[14] == m["days_late"], (s, m)
print("LibreOffice read %d cases from the workbook, all as in the CSV" % len(rows))
PY
else
    echo "LibreOffice not installed: the workbook of cases was not read back"
fi
echo "text, html and xlsx list the same $n cases"

# --unit CODE and --units FILE in one command line, either order, either
# spelling: two options (getopt prefers the exact name), each doing its job:
# one unit's rows, named by the registry file given
for args in "--unit 000.01.72.H56 --units $units" "--units=$units --unit=000.01.72.H56"; do
    # shellcheck disable=SC2086
    "$MOTCUA" report --db "$work/m.db" --targets '' --period 2025-Q3 --format csv $args \
        >"$work/both.csv"
    [ "$(cut -d, -f5 "$work/both.csv" | tr '\n' ' ')" = "unit_code 000.01.72.H56 ALL " ] ||
        fail "$args: rows $(cut -d, -f5 "$work/both.csv" | tr '\n' ' ')"
    grep -q ',Trung tâm Phục vụ hành chính công xã Cửa Tùng,' "$work/both.csv" ||
        fail "$args: the registry's name is missing"
done
"$MOTCUA" report --db "$work/m.db" --units '' --targets '' --period 2025-Q3 --unit 000.01.72.H56 \
    --table cases --only late --format csv >"$work/noreg.csv" || fail "--unit without a registry"

# SPEC 14's paragraph of one unit (--format summary --unit): that unit's row
r --period 2025-Q3 --unit 000.00.00.H56 --format csv >"$work/h56.csv"
n=$(grep '^2025-Q3,[^,]*,[^,]*,[^,]*,000.00.00.H56,' "$work/h56.csv" | cut -d, -f7)
r --period 2025-Q3 --unit 000.00.00.H56 --format summary >"$work/h56.txt"
grep -q '; đơn vị: UBND tỉnh Quảng Trị\.$' "$work/h56.txt" || fail "summary: $(head -n 1 "$work/h56.txt")"
vi=$(echo "$n" | rev | sed 's/[0-9]\{3\}/&./g' | rev | sed 's/^\.//') # 1874 -> 1.874
grep -q "^- Tổng số hồ sơ tiếp nhận: $vi hồ sơ," "$work/h56.txt" ||
    fail "summary: not the $n cases of H56: $(sed -n 2p "$work/h56.txt")"

# usage errors: exit 64, one line saying what is wrong
usage() { # WANT ARGS...
    local want=$1 st=0
    shift
    r "$@" >/dev/null 2>"$work/err" || st=$?
    [ "$st" -eq 64 ] || fail "$*: exit $st, want 64"
    [ "$(wc -l <"$work/err")" -eq 1 ] || fail "$*: $(cat "$work/err")"
    grep -qF -- "$want" "$work/err" || fail "$*: message $(cat "$work/err")"
}
usage "motcua report: --unit 9.99.H99: no unit has this code, neither in the units registry nor in the store's cases" \
    --period 2025-Q3 --unit 9.99.H99
usage "--unit 9.99.H99: no unit has this code" --period 2025-Q3 --table cases --unit 9.99.H99
usage "--unit 9.99.H99: no unit has this code" --period 2025-Q3 --table targets --unit 9.99.H99
usage "--unit needs the code of a unit" --period 2025-Q3 --unit ''
usage "--only must be one of all, received_total," --period 2025-Q3 --table cases --only latte
usage "--only goes with --table cases" --period 2025-Q3 --only late
usage "--unit limits the tables of a period; the files table is the whole store's" \
    --table files --unit 000.01.72.H56
usage "--period is required for the cases table" --table cases
usage "--format summary is the paragraph of the units table, not of cases" \
    --period 2025-Q3 --table cases --format summary
echo "usage: --unit and --units together; unknown unit, --only and misplaced options exit 64"

# What `run` writes (SPEC 12): late.csv is the late list for people (BOM,
# CRLF, Vietnamese headings, dd/mm/yyyy), the same cases in the same order
# as the machine list and as many as the units table's late_total; the
# workbook's sheet "Hồ sơ trễ hạn" and the page's section list the worst
# first, bounded, saying how many more there are.
mkdir -p "$work/site/inbox"
cp "${files[@]}" "$work/site/inbox/"
st=0
(cd "$work/site" && MOTCUA_TODAY=2025-10-05 MOTCUA_NOW=2025-10-05T02:00:00+07:00 \
    "$MOTCUA" run --units "$units" --targets '' --max-export-age-days 36500) \
    >"$work/run.out" 2>"$work/run.err" || st=$?
[ "$st" -eq 0 ] || [ "$st" -eq 65 ] || fail "run exit $st: $(cat "$work/run.err")"
d="$work/site/reports/2025-Q3"
[ "$(head -c 3 "$d/late.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] || fail "late.csv has no BOM"
head -n 1 "$d/late.csv" | grep -q $'^\xEF\xBB\xBFKỳ báo cáo,Mã đơn vị,Tên đơn vị,Mã hồ sơ,.*,Số ngày trễ hạn,Có văn bản xin lỗi\r$' ||
    fail "late.csv headings: $(head -n 1 "$d/late.csv")"
r --db "$work/site/motcua.db" --period 2025-Q3 --table cases --only late --format csv >"$work/late-machine.csv"
python3 - "$d/late.csv" "$work/late-machine.csv" "$d/units.csv" "$d/report.html" <<'PY' || fail "late.csv, the page"
import csv, re, sys
people = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
machine = list(csv.DictReader(open(sys.argv[2], encoding="utf-8")))
units = list(csv.reader(open(sys.argv[3], encoding="utf-8-sig", newline="")))
col = units[0].index("Tổng số hồ sơ trễ hạn")
apology = units[0].index("Hồ sơ trễ hạn có văn bản xin lỗi")
late, with_apology = int(units[-1][col]), int(units[-1][apology])
assert units[-1][4] == "ALL"
assert len(people) - 1 == late == len(machine), (len(people) - 1, late, len(machine))
for p, m in zip(people[1:], machine):
    assert p[3] == m["case_id"] and p[1] == m["unit_code"], (p, m)
    d = m["received_at"]
    assert p[9] == "%s/%s/%s" % (d[8:10], d[5:7], d[0:4]), (p[9], d)
    assert p[14] == m["days_late"] and p[12].endswith("quá hạn"), p
page = open(sys.argv[4], encoding="utf-8").read()
section = page[page.index(". Hồ sơ trễ hạn chưa có văn bản xin lỗi</h2>"):]
rows = re.findall(r"<tr><td>.*?</tr>", section)
without = late - with_apology
assert len(rows) == min(500, without), (len(rows), without)
days = [int(re.findall(r'<td class="n">([0-9.]+)</td>', r)[0].replace(".", "")) for r in rows]
assert days == sorted(days, reverse=True), "not worst first"
if without > 500:
    more = "{:,}".format(without - 500).replace(",", ".")
    assert "còn %s hồ sơ nữa" % more in section, more
print("late.csv: %d cases as the machine list; the page: %d of %d without an apology, worst first"
      % (late, len(rows), without))
PY
unzip -p "$d/report.xlsx" xl/workbook.xml | grep -q 'name="Hồ sơ trễ hạn"' || fail "no late sheet"
