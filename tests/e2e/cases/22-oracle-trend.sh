# The 12-month trend (SPEC 13) against the independent oracle, cell for
# cell, on generated exports, in both conventions, for periods whose last
# month is whole, cut by an as-of date, ranges ending inside a cut-off
# month, and a period still running (months after today's). Then the
# bundled exports against hand-checked expected files, and the months of a
# quarter adding up to the quarter's own units table.
set -euo pipefail
command -v python3 >/dev/null || { echo "skipped: python3 is not installed"; exit 0; }
[ -x "$MOTCUA_GEN" ] || { echo "motcua-gen not built"; exit 1; }
root=$(cd "$(dirname "$0")/../../.." && pwd)
oracle="python3 $root/tests/oracle/oracle.py"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
units=$FIXTURES/units.csv
# receipts from October 2024 (the district units and their successors of
# 2025-07-01 both appear) to January 2026 (after the pinned today)
"$MOTCUA_GEN" -q --rows 5000 --seed 31 --faults 2 --start 2024-10-01 --end 2025-06-30 \
    -o "$work/a.csv"
"$MOTCUA_GEN" -q --rows 5000 --seed 32 --dialect vi --start 2025-05-01 --end 2026-01-19 \
    --seq-start 5000 -o "$work/b.csv"
files=("$work/a.csv" "$work/b.csv")
st=0
"$MOTCUA" ingest -q --db "$work/m.db" "${files[@]}" 2>/dev/null || st=$?
[ "$st" -eq 0 ] || [ "$st" -eq 65 ] || { echo "ingest exit $st"; exit 1; }

n=0
for spec in "calendar 2025-Q3 -" "calendar 2025-08 2025-08-17" "calendar 2025 -" \
            "cutoff 2025-Q3 -" "cutoff 2025-06 2025-06-03" \
            "cutoff 2025-08-03..2025-09-20 -" "calendar 2026-Q1 -" "cutoff 2026-01 -"; do
    set -- $spec
    asof=()
    [ "$3" = - ] || asof=(--as-of "$3")
    $oracle --table trend --convention "$1" --period "$2" "${asof[@]}" --units "$units" \
        "${files[@]}" >"$work/want.csv"
    "$MOTCUA" report --db "$work/m.db" --units "$units" --targets '' --convention "$1" \
        --period "$2" "${asof[@]}" --table trend --format csv >"$work/got.csv"
    [ "$(cut -d, -f1 "$work/got.csv" | sort -u | wc -l)" -eq 13 ] ||
        { echo "$spec: not 12 months"; exit 1; }
    if ! cmp -s "$work/want.csv" "$work/got.csv"; then
        echo "differs: $spec"
        "$root/tests/oracle/compare.sh" "$work/want.csv" "$work/got.csv" | head -20
        diff "$work/want.csv" "$work/got.csv" | head -10
        exit 1
    fi
    n=$((n + 1))
done
echo "$n trends identical to the oracle"

# A month after today is counted as its own period would be: as of today,
# before it starts (SPEC 4), so nothing is received or resolved in it.
"$MOTCUA" report --db "$work/m.db" --units "$units" --period 2026-Q1 --table trend \
    --format csv >"$work/future.csv"
grep -q '^2026-03,2026-03-01,2026-03-31,2026-01-20,ALL,' "$work/future.csv" ||
    fail "the as-of date of a month after today is not today"
grep '^2026-03,.*,ALL,' "$work/future.csv" | cut -d, -f8,12 | grep -qx '0,0' ||
    fail "a month after today received or resolved cases"

# The months of a quarter make up the quarter: received and resolved add
# up, the first month carries over what the quarter does, the last month
# leaves in progress what the quarter does (same as-of date).
for conv in calendar cutoff; do
    "$MOTCUA" report --db "$work/m.db" --units "$units" --convention $conv --period 2025-Q2 \
        --table trend --format csv >"$work/t.csv"
    "$MOTCUA" report --db "$work/m.db" --units "$units" --convention $conv --period 2025-Q2 \
        --table units --format csv >"$work/u.csv"
    python3 - "$work/t.csv" "$work/u.csv" <<'PY'
import csv, sys
trend = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
units = {r["unit_code"]: r for r in csv.DictReader(open(sys.argv[2], encoding="utf-8"))}
months = sorted({r["month"] for r in trend})[-3:]
q = {m: {r["unit_code"]: r for r in trend if r["month"] == m} for m in months}
summed = ["received_new", "received_online", "received_offline", "resolved_total",
          "resolved_early", "resolved_on_time", "resolved_late"]
checked = 0
for code, u in units.items():
    rows = [q[m].get(code) for m in months]
    if any(r is None for r in rows):
        continue
    for c in summed:
        assert sum(int(r[c]) for r in rows) == int(u[c]), (code, c)
    assert rows[0]["carried_over"] == u["carried_over"], code
    for c in ["in_progress_total", "in_progress_within", "in_progress_overdue"]:
        assert rows[2][c] == u[c], (code, c)
    checked += 1
assert checked >= 10 and int(units["ALL"]["received_new"]) > 1000, checked
print("the three months of the quarter make it up on %d rows" % checked)
PY
done

# The bundled exports: the trend of 2025-Q3 in both conventions, checked by
# hand (tests/e2e/expected/README.md), and equal to the oracle's.
"$MOTCUA" ingest -q --db "$work/f.db" "$FIXTURES"/exports/* 2>/dev/null || true
for conv in calendar cutoff; do
    "$MOTCUA" report --db "$work/f.db" --units "$units" --convention $conv --period 2025-Q3 \
        --table trend --format csv >"$work/trend-$conv.csv"
    diff -u "$EXPECTED/trend-2025-Q3-$conv.csv" "$work/trend-$conv.csv"
    $oracle --table trend --convention $conv --period 2025-Q3 --units "$units" \
        "$FIXTURES"/exports/* | cmp - "$work/trend-$conv.csv"
done
echo "bundled exports: expected trends"
