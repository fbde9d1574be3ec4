#!/usr/bin/env bash
# bench/run.sh -- `make bench`: how fast motcua is, measured and never asserted.
#
# Generates its inputs once into bench/cache/ (gitignored) with motcua-gen,
# runs every job BENCH_RUNS times (default 3) and prints the medians of wall
# time, throughput and peak RSS, for:
#   - motcua ingest + report of one quarter, fresh store each run, plain and gzip;
#   - the same job done by DuckDB (bench/duckdb-job.mjs, npm @duckdb/node-api
#     installed here into bench/cache/node, never a build dependency) and by
#     the sqlite3 shell (bench/sqlite-job.sql), with their ratio to motcua;
#   - a nightly run: ingest of 10,000 new rows into a copy of the 1M store,
#     and a quarter report over that store;
#   - with BENCH_BIG=1, a 5,000,000-row ingest, to show memory stays flat,
#     then the nightly `motcua run` (10k rows, every open period's reports)
#     on that 5M store, and a quarter report over it.
# A step that cannot run is reported as skipped or failed, and the others go
# on: the bench exits 0 whatever happens, so it can never fail a build.
# BENCH.md describes the method.
#
# Environment: MOTCUA (./motcua), MOTCUA_GEN (build/motcua-gen), BENCH_RUNS (3),
# BENCH_BIG (0), BENCH_BIG_RUNS (1), BENCH_CACHE (bench/cache),
# BENCH_UNITS (fixtures/units.csv), BENCH_PERIOD (2025-Q3),
# BENCH_JOBS (which groups to run, default "motcua duckdb sqlite nightly"),
# MOTCUA_CSV2XLSX (build/csv2xlsx: the 1M export repackaged as .xlsx for
# the workbook job of the motcua group).
set -euo pipefail
# A safety net only: every step below handles its own failure.
trap 'echo "bench: unexpected error at line $LINENO; stopping (exit 0 all the same)"; exit 0' ERR

cd "$(dirname "$0")/.."
MOTCUA=${MOTCUA:-./motcua}
MOTCUA_GEN=${MOTCUA_GEN:-build/motcua-gen}
CSV2XLSX=${MOTCUA_CSV2XLSX:-build/csv2xlsx}
RUNS=${BENCH_RUNS:-3}
BIG=${BENCH_BIG:-0}
BIG_RUNS=${BENCH_BIG_RUNS:-1}
CACHE=${BENCH_CACHE:-bench/cache}
UNITS=${BENCH_UNITS:-fixtures/units.csv}
PERIOD=${BENCH_PERIOD:-2025-Q3}
JOBS=" ${BENCH_JOBS:-motcua duckdb sqlite nightly} "
want() { [[ $JOBS == *" $1 "* ]]; }
DUCKDB_NODE_API=1.5.6-r.1   # pinned, so figures from different days compare

mkdir -p "$CACHE/work" "$CACHE/out"
WORK=$CACHE/work
OUT=$CACHE/out
rm -f "$OUT"/*.csv   # so the ALL-row look below shows this run's jobs only
LOG=$CACHE/last-run.log
: >"$LOG"
RESULTS=()     # "label|runs|wall|rows/s|MB/s|rss|cpu" per measured job
NOTES=()       # skipped and failed steps, printed at the end

note() { NOTES+=("$*"); echo "bench: $*"; }

# Quarter bounds of PERIOD (YYYY-Qn), for the sqlite3 job's parameters.
if [[ $PERIOD =~ ^([0-9]{4})-Q([1-4])$ ]]; then
    y=${BASH_REMATCH[1]} q=${BASH_REMATCH[2]}
    m1=$(printf '%02d' $((3 * q - 2))) m3=$(printf '%02d' $((3 * q)))
    P_START=$y-$m1-01
    P_END=$(date -d "$y-$m3-01 +1 month -1 day" +%F)
else
    echo "bench: BENCH_PERIOD must be YYYY-Qn, not $PERIOD"; exit 0
fi

# ---------------------------------------------------------------- tools --
# GNU time gives wall time and peak RSS (of the whole process tree, since
# wait4 reports the largest descendant); Debian ships it as package `time`.
TIME=/usr/bin/time
if [ ! -x "$TIME" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "bench: installing Debian package 'time'"
        { DEBIAN_FRONTEND=noninteractive apt-get install -y -q time >/dev/null 2>&1 ||
          { apt-get update -q >/dev/null 2>&1 &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q time >/dev/null 2>&1; }; } || true
    fi
    [ -x "$TIME" ] || note "GNU time missing (apt-get install time): wall times only, no RSS"
fi

# ---------------------------------------------------------------- inputs --
gen() { # gen FILE ARGS... : (re)generate FILE unless it is newer than its sources
    local f=$1; shift
    if [ -s "$f" ] && [ "$f" -nt "$MOTCUA_GEN" ] && [ "$f" -nt "$UNITS" ]; then return 0; fi
    echo "bench: generating $f"
    "$MOTCUA_GEN" "$@" --units "$UNITS" -q -o "$f.tmp" && mv "$f.tmp" "$f"
}
if [ ! -x "$MOTCUA_GEN" ]; then
    echo "bench: $MOTCUA_GEN not found (make build/motcua-gen): nothing to measure"; exit 0
fi
E1M=$CACHE/export-1m.csv
E1MGZ=$CACHE/export-1m.csv.gz
N10K=$CACHE/nightly-10k.csv
E5M=$CACHE/export-5m.csv
# One year of a province's desks, DVCQG dialect; the nightly file holds new
# cases of the last days of the year, numbered clear of the 1M export's.
gen "$E1M" --rows 1000000 --seed 1 || { note "generating $E1M failed"; exit 0; }
gen "$E1MGZ" --rows 1000000 --seed 1 --gzip || note "generating $E1MGZ failed"
gen "$N10K" --rows 10000 --seed 2 --start 2025-12-29 --end 2025-12-31 --seq-start 9001 ||
    note "generating $N10K failed"
if [ "$BIG" = 1 ]; then
    gen "$E5M" --rows 5000000 --seed 5 || note "generating $E5M failed"
fi
size_of() { stat -c %s "$1" 2>/dev/null || echo 0; }
B1M=$(size_of "$E1M")
B10K=$(size_of "$N10K")

# ------------------------------------------------------------ measuring --
median() { sort -g | awk '{v[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }

# measure LABEL ROWS BYTES RUNS SETUP -- CMD...
# SETUP (a shell function) runs before each run, untimed.  The medians of
# wall time, peak RSS and CPU time are taken separately over the runs.
measure() {
    local label=$1 rows=$2 bytes=$3 runs=$4 setup=$5
    shift 6
    local i tf=$WORK/time.txt walls="" rsss="" cpus="" w m u s
    echo "bench: $label ($runs run(s))"
    for ((i = 1; i <= runs; i++)); do
        if ! "$setup" >>"$LOG" 2>&1; then note "$label: setup failed (see $LOG)"; return 0; fi
        echo "== $label run $i: $*" >>"$LOG"
        if [ -x "$TIME" ]; then
            if ! "$TIME" -f '%e %M %U %S' -o "$tf" "$@" >>"$LOG" 2>&1; then
                note "$label: failed: $(grep -v '^[0-9. ]*$' "$tf" | head -1) (see $LOG)"; return 0
            fi
            read -r w m u s < <(tail -1 "$tf")
        else
            local t0 t1
            t0=$(date +%s.%N)
            if ! "$@" >>"$LOG" 2>&1; then note "$label: failed (see $LOG)"; return 0; fi
            t1=$(date +%s.%N)
            w=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}'); m=0 u=0 s=0
        fi
        walls+="$w"$'\n'; rsss+="$m"$'\n'; cpus+=$(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}')$'\n'
    done
    local mw mm mc
    mw=$(printf '%s' "$walls" | median)
    mm=$(printf '%s' "$rsss" | median)
    mc=$(printf '%s' "$cpus" | median)
    RESULTS+=("$label|$runs|$mw|$rows|$bytes|$mm|$mc")
}

# The jobs, as commands GNU time can run.  An ingest exiting 65 (rows
# quarantined past the threshold) still did the work, like `make demo` says.
cat >"$WORK/motcua-job.sh" <<'JOB'
#!/usr/bin/env bash
# motcua-job.sh MOTCUA DB EXPORT PERIOD OUT: ingest, then the units report
"$1" ingest --db "$2" "$3"; st=$?
[ $st -eq 0 ] || [ $st -eq 65 ] || exit $st
"$1" report --db "$2" --period "$4" --table units --format csv >"$5"
JOB
cat >"$WORK/ingest-only.sh" <<'JOB'
#!/usr/bin/env bash
"$1" ingest --db "$2" "$3"; st=$?
[ $st -eq 0 ] || [ $st -eq 65 ] || exit $st
JOB
cat >"$WORK/sqlite-job.sh" <<'JOB'
#!/usr/bin/env bash
# sqlite-job.sh DB EXPORT UNITS PERIOD START END OUT
exec sqlite3 "$1" \
    -cmd "CREATE TEMP TABLE params(period, s, e, a)" \
    -cmd "INSERT INTO temp.params VALUES('$4', '$5', '$6', '$6')" \
    -cmd ".import --csv --schema temp '$2' raw" \
    -cmd ".import --csv --schema temp '|grep -v ^# $3' units_raw" \
    <bench/sqlite-job.sql >"$7"
JOB
chmod +x "$WORK"/*.sh

DB=$WORK/run.db
fresh_db() { rm -f "$DB" "$DB-wal" "$DB-shm" "$DB-journal" "$WORK/run.duckdb" "$WORK/run.duckdb.wal"; }

# ---------------------------------------------------------------- motcua --
HAVE_MOTCUA=0
STORE=$WORK/store-1m.db
rm -f "$STORE" "$STORE-wal" "$STORE-shm"
keep_store() { # the store of the last plain run: the nightly jobs start from it
    [ -s "$DB" ] || return 1
    cp "$DB" "$STORE"; [ ! -e "$DB-wal" ] || cp "$DB-wal" "$STORE-wal"
}
if ! want motcua && ! want nightly; then
    :
elif [ ! -x "$MOTCUA" ]; then
    note "motcua: skipped ($MOTCUA not found; make motcua)"
else
    HAVE_MOTCUA=1
    if want motcua; then
        measure "motcua ingest+report, plain" 1000000 "$B1M" "$RUNS" fresh_db -- \
            "$WORK/motcua-job.sh" "$MOTCUA" "$DB" "$E1M" "$PERIOD" "$OUT/motcua-plain.csv"
        keep_store || true
        measure "motcua ingest+report, gzip" 1000000 "$B1M" "$RUNS" fresh_db -- \
            "$WORK/motcua-job.sh" "$MOTCUA" "$DB" "$E1MGZ" "$PERIOD" "$OUT/motcua-gzip.csv"
        # The same export as a workbook (SPEC 10.1): csv2xlsx writes dates as
        # date cells and streams rows (inline strings), untimed and cached.
        E1MX=$CACHE/export-1m.xlsx
        if [ ! -x "$CSV2XLSX" ]; then
            note "xlsx: skipped ($CSV2XLSX not found; make build/csv2xlsx)"
        else
            if [ ! -s "$E1MX" ] || [ "$E1M" -nt "$E1MX" ] || [ "$CSV2XLSX" -nt "$E1MX" ]; then
                echo "bench: repackaging $E1M as $E1MX"
                "$CSV2XLSX" --constant-memory "$E1M" "$E1MX.tmp.xlsx" >>"$LOG" 2>&1 &&
                    mv "$E1MX.tmp.xlsx" "$E1MX" || note "xlsx: csv2xlsx failed (see $LOG)"
            fi
            [ -s "$E1MX" ] &&
                measure "motcua ingest+report, xlsx" 1000000 "$B1M" "$RUNS" fresh_db -- \
                    "$WORK/motcua-job.sh" "$MOTCUA" "$DB" "$E1MX" "$PERIOD" "$OUT/motcua-xlsx.csv"
        fi
    fi
fi

# ---------------------------------------------------------------- DuckDB --
DDB_DIR=$CACHE/node
if ! want duckdb; then
    :
elif ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    note "duckdb: skipped (node and npm not found)"
elif [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 18 ]; then
    note "duckdb: skipped (node $(node --version) is older than 18)"
else
    if [ ! -f "$DDB_DIR/node_modules/@duckdb/node-api/package.json" ] ||
       ! grep -q "\"version\": \"$DUCKDB_NODE_API\"" "$DDB_DIR/node_modules/@duckdb/node-api/package.json"; then
        echo "bench: installing @duckdb/node-api@$DUCKDB_NODE_API into $DDB_DIR"
        mkdir -p "$DDB_DIR"
        if ! timeout 600 npm install --prefix "$DDB_DIR" --no-audit --no-fund --loglevel=error \
                "@duckdb/node-api@$DUCKDB_NODE_API" >>"$LOG" 2>&1; then
            note "duckdb: skipped (npm install @duckdb/node-api failed: no network? see $LOG)"
        fi
    fi
    if [ -f "$DDB_DIR/node_modules/@duckdb/node-api/package.json" ]; then
        export DUCKDB_NODE_DIR=$DDB_DIR
        measure "duckdb job, plain" 1000000 "$B1M" "$RUNS" fresh_db -- \
            node bench/duckdb-job.mjs "$E1M" "$WORK/run.duckdb" "$OUT/duckdb-plain.csv" "$UNITS" "$PERIOD"
        measure "duckdb job, gzip" 1000000 "$B1M" "$RUNS" fresh_db -- \
            node bench/duckdb-job.mjs "$E1MGZ" "$WORK/run.duckdb" "$OUT/duckdb-gzip.csv" "$UNITS" "$PERIOD"
    fi
fi

# --------------------------------------------------------------- sqlite3 --
if ! want sqlite; then
    :
elif command -v sqlite3 >/dev/null; then
    measure "sqlite3 shell job, plain" 1000000 "$B1M" "$RUNS" fresh_db -- \
        "$WORK/sqlite-job.sh" "$DB" "$E1M" "$UNITS" "$PERIOD" "$P_START" "$P_END" "$OUT/sqlite-plain.csv"
else
    note "sqlite3: skipped (the sqlite3 shell is not installed: apt-get install sqlite3)"
fi

# --------------------------------------------------------------- nightly --
if want nightly && [ "$HAVE_MOTCUA" = 1 ] && [ ! -s "$STORE" ]; then
    echo "bench: building the 1M store for the nightly jobs (untimed)"
    { fresh_db && "$WORK/ingest-only.sh" "$MOTCUA" "$DB" "$E1M" && keep_store; } >>"$LOG" 2>&1 || true
fi
if ! want nightly || [ "$HAVE_MOTCUA" = 0 ]; then
    :
elif [ -s "$STORE" ] && [ -s "$N10K" ]; then
    from_store() { fresh_db; cp "$STORE" "$DB"; [ ! -e "$STORE-wal" ] || cp "$STORE-wal" "$DB-wal"; }
    measure "nightly: ingest 10k into 1M store" 10000 "$B10K" "$RUNS" from_store -- \
        "$WORK/ingest-only.sh" "$MOTCUA" "$DB" "$N10K"
    NIGHT=$WORK/store-nightly.db
    rm -f "$NIGHT" "$NIGHT-wal" "$NIGHT-shm"
    if from_store >>"$LOG" 2>&1 && "$WORK/ingest-only.sh" "$MOTCUA" "$DB" "$N10K" >>"$LOG" 2>&1; then
        cp "$DB" "$NIGHT"; [ ! -e "$DB-wal" ] || cp "$DB-wal" "$NIGHT-wal"
        from_night() { fresh_db; cp "$NIGHT" "$DB"; [ ! -e "$NIGHT-wal" ] || cp "$NIGHT-wal" "$DB-wal"; }
        measure "nightly: report $PERIOD over the store" 0 0 "$RUNS" from_night -- \
            "$MOTCUA" report --db "$DB" --period "$PERIOD" --table units --format csv
    else
        note "nightly: could not build the 1M+10k store (see $LOG)"
    fi
else
    note "nightly: skipped (no 1M store could be built; see $LOG)"
fi

# ----------------------------------------------------------- flat memory --
if [ "$BIG" = 1 ] && want motcua && [ "$HAVE_MOTCUA" = 1 ] && [ -s "$E5M" ]; then
    measure "motcua ingest+report, 5M rows" 5000000 "$(size_of "$E5M")" "$BIG_RUNS" fresh_db -- \
        "$WORK/motcua-job.sh" "$MOTCUA" "$DB" "$E5M" "$PERIOD" "$OUT/motcua-5m.csv"
    # The nightly job on a province's store: `motcua run` loading 10k new rows
    # into the 5M store and refreshing every open period (this month, last
    # month, their quarters) in all three formats.  The setup, untimed, copies
    # the store into a site and runs once with an empty inbox, as the night
    # before did: that run checks the copied store and leaves it at rest.
    if [ -s "$DB" ] && [ -s "$N10K" ]; then
        STORE5=$WORK/store-5m.db
        cp "$DB" "$STORE5"; rm -f "$STORE5-wal"; [ ! -e "$DB-wal" ] || cp "$DB-wal" "$STORE5-wal"
        SITE=$WORK/site
        MOTCUA_ABS=$(realpath "$MOTCUA") UNITS_ABS=$(realpath "$UNITS")
        night_env=(MOTCUA_SETTLE_SECONDS=0 MOTCUA_TODAY=2026-01-02 MOTCUA_NOW=2026-01-02T02:00:00+07:00)
        from_5m() {
            rm -rf "$SITE"; mkdir -p "$SITE/inbox"
            cp "$STORE5" "$SITE/motcua.db"; [ ! -e "$STORE5-wal" ] || cp "$STORE5-wal" "$SITE/motcua.db-wal"
            (cd "$SITE" && env "${night_env[@]}" "$MOTCUA_ABS" run -q --units "$UNITS_ABS") || [ $? -eq 65 ]
            cp "$N10K" "$SITE/inbox/"; touch "$SITE/inbox/$(basename "$N10K")"
        }
        cat >"$WORK/nightly-run.sh" <<'JOB'
#!/usr/bin/env bash
# nightly-run.sh SITE MOTCUA UNITS ENV...: the nightly `motcua run` in SITE
site=$1 motcua=$2 units=$3; shift 3
cd "$site" && env "$@" "$motcua" run --units "$units"; st=$?
[ $st -eq 0 ] || [ $st -eq 65 ] || exit $st
JOB
        chmod +x "$WORK/nightly-run.sh"
        measure "nightly run: 10k into 5M store + reports" 10000 "$B10K" "$RUNS" from_5m -- \
            "$WORK/nightly-run.sh" "$SITE" "$MOTCUA_ABS" "$UNITS_ABS" "${night_env[@]}"
        measure "report $PERIOD over the 5M store" 0 0 "$RUNS" true -- \
            "$MOTCUA" report --db "$STORE5" --period "$PERIOD" --table units --format csv
        rm -rf "$SITE" "$STORE5" "$STORE5-wal" "$STORE5-shm"
    fi
fi
fresh_db

# ---------------------------------------------------------------- report --
echo
echo "== motcua bench: $(date -u +%FT%TZ), $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)," \
     "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "   inputs: $E1M ($((B1M / 1000000)) MB, 1,000,000 rows, also gzip), period $PERIOD, medians of $RUNS run(s)"
base=""
for r in "${RESULTS[@]}"; do
    IFS='|' read -r label runs wall rows bytes rss cpu <<<"$r"
    if [ "$label" = "motcua ingest+report, plain" ]; then base=$wall; fi
done
printf '%-40s %5s %8s %11s %8s %9s %8s %10s\n' job runs "wall s" "rows/s" "MB/s" "RSS MB" "CPU s" "vs motcua"
for r in "${RESULTS[@]}"; do
    IFS='|' read -r label runs wall rows bytes rss cpu <<<"$r"
    awk -v l="$label" -v n="$runs" -v w="$wall" -v rows="$rows" -v b="$bytes" -v m="$rss" \
        -v c="$cpu" -v base="$base" -v hasrss="$([ -x "$TIME" ] && echo 1 || echo 0)" 'BEGIN {
        rps = (rows > 0 && w > 0) ? sprintf("%.0f", rows / w) : "-"
        mbs = (b > 0 && w > 0) ? sprintf("%.1f", b / 1e6 / w) : "-"
        rss = hasrss ? sprintf("%.1f", m / 1024) : "n/a"
        cpu = hasrss ? sprintf("%.2f", c) : "n/a"
        ratio = "-"
        if (base != "" && base > 0 && l ~ /^(duckdb|sqlite3|motcua ingest\+report, (gzip|xlsx))/)
            ratio = sprintf("x%.2f", w / base)
        printf "%-40s %5s %8.2f %11s %8s %9s %8s %10s\n", l, n, w, rps, mbs, rss, cpu, ratio
    }'
done
echo "   rows/s and MB/s count the uncompressed export; 'vs motcua' = wall time / motcua's plain wall time."
[ -s "${E1MX:-}" ] && echo "   xlsx: $E1MX ($(( $(size_of "$E1MX") / 1000000 )) MB), goal: at most x3 the plain time and 64 MB peak RSS."

# The ALL row of each job's report, side by side: a sanity look, not a test.
echo
printf '%-16s %15s %15s %15s %13s %17s %23s\n' "ALL row of" received_total resolved_total in_progress on_time_rate on_time_rate_766 late_with_apology_rate
for f in "$OUT"/motcua-plain.csv "$OUT"/motcua-gzip.csv "$OUT"/motcua-xlsx.csv "$OUT"/duckdb-plain.csv "$OUT"/sqlite-plain.csv; do
    [ -s "$f" ] || continue
    # count from the end: only unit_name (before them) may hold commas
    awk -F, -v n="$(basename "$f" .csv)" '$5 == "ALL" || $5 == "\"ALL\"" {
        printf "%-16s %15s %15s %15s %13s %17s %23s\n", n, $(NF-21), $(NF-16), $(NF-12), $(NF-7), $(NF-6), $(NF-5) }' "$f"
done

if [ ${#NOTES[@]} -gt 0 ]; then
    echo
    echo "Not measured / failed:"
    printf '  - %s\n' "${NOTES[@]}"
fi
echo "(log of every command: $LOG)"
exit 0
