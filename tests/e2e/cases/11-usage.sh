# Command-line usage (SPEC 7): --help on every command and --version exit 0;
# a wrong option, a missing value or an unknown command exits 64 with one
# line that names the command, never the binary's path.
. "$(dirname "$0")/../lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$MOTCUA" --version | grep -Eq '^motcua [0-9]+\.[0-9]+' || { echo "--version"; exit 1; }
for c in ingest report run rerun check; do
    "$MOTCUA" "$c" --help >"$work/help" || { echo "$c --help failed"; exit 1; }
    grep -q "motcua $c" "$work/help" || { echo "$c --help does not name the command"; exit 1; }
done
expect_usage() { # WANT-MESSAGE ARGS...
    local want=$1 st=0
    shift
    "$MOTCUA" "$@" >/dev/null 2>"$work/err" || st=$?
    [ "$st" -eq 64 ] || { echo "$*: exit $st, want 64"; exit 1; }
    [ "$(wc -l <"$work/err")" -ge 1 ] || { echo "$*: no message"; exit 1; }
    grep -qF -- "$want" "$work/err" || { echo "$*: message: $(cat "$work/err")"; exit 1; }
    if grep -q "$MOTCUA" "$work/err"; then echo "$*: message names the binary's path"; exit 1; fi
}
expect_usage "motcua report: option '--bogus' is unknown (see 'motcua report --help')" report --bogus
expect_usage "motcua ingest: option '-x' is unknown" ingest -x a.csv
expect_usage "motcua report: option '--quiet' takes no value" report --quiet=1 --period 2025
expect_usage "motcua report: option '--form' is ambiguous" report --form csv --period 2025
expect_usage "motcua report: option '--period' needs a value" report --period
expect_usage "motcua report: option '-o' needs a value" report --period 2025 -o
expect_usage "motcua: unknown command 'frobnicate'" frobnicate
expect_usage "motcua report: unexpected argument 'extra'" report --period 2025 extra
expect_usage "motcua report: --by must be unit, field or procedure, not 'sector'" \
    report --period 2025 --by sector
expect_usage "motcua report: --by field gives the units table by field; the targets table has no such form" \
    report --period 2025 --table targets --by field
expect_usage "motcua report: --by procedure gives the units table by procedure; the files table" \
    report --table files --by procedure
# Each command owns its options (issue 12): one meant for another command
# is refused, never ignored.
expect_usage "motcua check: option '--table' is not an option of 'check'" check --table units
expect_usage "motcua run: option '--period' is not an option of 'run'" run --period 2025-Q3
expect_usage "motcua ingest: option '--max-export-age-days' is not an option of 'ingest'" \
    ingest --max-export-age-days 3 a.csv
expect_usage "motcua check: option '-o' is not an option of 'check'" check -o x
# Numbers as strictly as in the config file (issue 16): no NaN, infinity,
# hex, sign or trailing text.
for bad in nan inf -1 0x10 1e2 5% 101 '' '1.2.3'; do
    expect_usage "motcua run: --quarantine-threshold takes a number from 0 to 100" \
        run --quarantine-threshold "$bad"
done
for bad in nan inf 2days 36501; do
    expect_usage "motcua run: --max-export-age-days takes a number from 0 to 36500" \
        run --max-export-age-days "$bad"
done
# --unit (one unit) and --units (the registry file) are two options, and a
# prefix of both is ambiguous, never silently one of them.
expect_usage "motcua report: option '--uni' is ambiguous" report --uni X --period 2025
expect_usage "motcua report: option '--unit' needs a value" report --period 2025 --unit
echo "ok: usage"
