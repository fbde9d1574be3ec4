# A unit name that matches several registry units (SPEC 3): "UBND Cẩm
# Xuyên" is the district until 2025-06-30 and the commune from 2025-07-01.
# Each case goes to the one candidate valid on the day it was received;
# where no single candidate is valid, the name stays its own unit and the
# quality table lists it as ambiguous.
. "$(dirname "$0")/../lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$MOTCUA" ingest -q --db "$work/n.db" "$FIXTURES/names/ten-don-vi-cam-xuyen-2025.csv"
for p in 2025-Q2 2025; do
    "$MOTCUA" report --db "$work/n.db" --targets '' --period "$p" --format csv >"$work/units-$p.csv"
    diff -u "$EXPECTED/names-units-$p.csv" "$work/units-$p.csv"
done
if command -v python3 >/dev/null; then   # and the reference implementation agrees
    python3 "$(dirname "$0")/../../oracle/oracle.py" --units "$FIXTURES/units.csv" --period 2025 \
        "$FIXTURES/names/ten-don-vi-cam-xuyen-2025.csv" | diff -u - "$work/units-2025.csv"
fi
"$MOTCUA" report --db "$work/n.db" --period 2025 --table quality --format csv >"$work/q.csv"
if grep -q 'unit_name' "$work/q.csv"; then echo "names were left unresolved:"; cat "$work/q.csv"; exit 1; fi

# Two units valid on the same days, one pattern: nothing to tell them apart.
cat >"$work/units.csv" <<'CSV'
code,name,parent,aliases,valid_from,valid_to
000.00.00.H30,UBND tỉnh Hà Tĩnh,,,,
000.00.05.H30,UBND huyện Cẩm Xuyên,000.00.00.H30,(?:UBND )?(?:huyện )?Cẩm Xuyên,,
000.00.41.H30,UBND xã Cẩm Xuyên,000.00.00.H30,(?:UBND )?(?:xã )?Cẩm Xuyên,,
CSV
"$MOTCUA" report --db "$work/n.db" --units "$work/units.csv" --targets '' --period 2025 \
    --format csv >"$work/both.csv"
grep -q '^2025,2025-01-01,2025-12-31,2025-12-31,UBND Cẩm Xuyên,UBND Cẩm Xuyên,3,' "$work/both.csv" ||
    { echo "the name should stay its own unit with its 3 cases:"; cat "$work/both.csv"; exit 1; }
"$MOTCUA" report --db "$work/n.db" --units "$work/units.csv" --period 2025 --table quality \
    --format csv | grep -q '^ambiguous_unit_name,UBND Cẩm Xuyên,warning,' ||
    { echo "the ambiguous name is not listed"; exit 1; }
echo "ok: ambiguous names resolved by validity, and kept apart when they cannot be"
