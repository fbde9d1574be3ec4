# Properties of SPEC 9 on generated data: the figures do not depend on
# loading a file twice, splitting it in two, the order of its rows, NFC or
# NFD, ',' or ';', or gzip.
. "$(dirname "$0")/../lib.sh"
[ -x "$MOTCUA_GEN" ] || { echo "motcua-gen not built"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gen() { "$MOTCUA_GEN" -q --rows 12000 --seed 7 --versions 0 "$@"; }

# The figures of a store for three periods, one file.
figures() {
    local db=$1 out=$2
    : >"$out"
    for p in 2025-Q1 2025-Q3 2025; do
        "$MOTCUA" report --db "$db" --units "$FIXTURES/units.csv" --targets '' --period "$p" \
            --table units --format csv >>"$out"
    done
}
load() {
    local db=$1; shift
    local st=0
    "$MOTCUA" ingest -q --db "$db" "$@" 2>/dev/null || st=$?
    [ "$st" -eq 0 ] || [ "$st" -eq 65 ] || { echo "ingest $* exit $st"; exit 1; }
}

gen -o "$work/base.csv"
load "$work/base.db" "$work/base.csv"
figures "$work/base.db" "$work/base.fig"
[ "$(wc -l <"$work/base.fig")" -gt 30 ]

check() {
    local name=$1
    figures "$work/$name.db" "$work/$name.fig"
    cmp -s "$work/base.fig" "$work/$name.fig" || {
        echo "property broken: $name"
        diff "$work/base.fig" "$work/$name.fig" | head -10
        exit 1
    }
    echo "same figures: $name"
}

# loaded twice: the second load is skipped, nothing changes
load "$work/twice.db" "$work/base.csv"
load "$work/twice.db" "$work/base.csv"
check twice

# split in two files at a row boundary
head -n 6001 "$work/base.csv" >"$work/part1.csv"
{ head -n 1 "$work/base.csv"; tail -n +6002 "$work/base.csv"; } >"$work/part2.csv"
load "$work/split.db" "$work/part1.csv" "$work/part2.csv"
check split

# rows reordered (exact repeats stay repeats; with no later versions the
# current version never depends on the order)
{ head -n 1 "$work/base.csv"; tail -n +2 "$work/base.csv" | shuf --random-source=<(yes); } \
    >"$work/shuffled.csv"
load "$work/shuffled.db" "$work/shuffled.csv"
check shuffled

gen --nfd -o "$work/nfd.csv"
cmp -s "$work/base.csv" "$work/nfd.csv" && { echo "--nfd wrote the same bytes"; exit 1; }
load "$work/nfd.db" "$work/nfd.csv"
check nfd

gen --delimiter ';' -o "$work/semicolon.csv"
load "$work/semicolon.db" "$work/semicolon.csv"
check semicolon

gen --gzip -o "$work/gzip.csv.gz"
load "$work/gzip.db" "$work/gzip.csv.gz"
check gzip
