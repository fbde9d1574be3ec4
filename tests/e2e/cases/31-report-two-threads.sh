# A report read on two threads (reports/casescan.c, for large stores) is the
# report read on one, table by table, for every period convention: the
# generated exports plus names that need the registry, ambiguous ones too.
. "$(dirname "$0")/../lib.sh"
if [ ! -x "$GEN" ]; then echo "skip: needs the generator"; exit 0; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$GEN" -q --rows 30000 --seed 31 --faults 2 -o "$work/a.csv"
"$GEN" -q --rows 8000 --seed 32 --seq-start 40000 --dialect vi -o "$work/b.csv"
"$MOTCUA" ingest -q --db "$work/m.db" "$work/a.csv" "$work/b.csv" \
    "$FIXTURES/names/ten-don-vi-cam-xuyen-2025.csv" "$FIXTURES"/exports/*.csv ||
    [ $? -eq 65 ] || fail "ingest"
n=0
for period in 2025-Q3 2025-H1 2025 2025-07-15..2025-08-31; do
    for conv in calendar cutoff; do
        for table in units targets quality; do
            args=(report --db "$work/m.db" --period "$period" --convention "$conv" --table "$table" --format csv)
            MOTCUA_SCAN_SPLIT_BYTES=0 "$MOTCUA" "${args[@]}" >"$work/two" || fail "two threads: ${args[*]}"
            MOTCUA_SCAN_SPLIT_BYTES=999999999999 "$MOTCUA" "${args[@]}" >"$work/one" || fail "one thread: ${args[*]}"
            cmp -s "$work/one" "$work/two" || { diff -u "$work/one" "$work/two" | head -20; fail "$period $conv $table differ"; }
            n=$((n + 1))
        done
    done
done
# the comparison compared something: the quarter has cases and an ambiguous name
MOTCUA_SCAN_SPLIT_BYTES=0 "$MOTCUA" report --db "$work/m.db" --period 2025 --format csv | grep -q '^2025,.*,ALL,' ||
    fail "no ALL row"
echo "ok: $n reports the same on one thread and on two"
