#!/usr/bin/env bash
# Hostile files through the real binary: each goes to `motcua ingest`
# together with a good export in the same command, and then
#   - the exit status is 65 (refused, or rows quarantined past the threshold)
#     or 0, as the case wants;
#   - the message names the file (and the line where it applies);
#   - the good export is loaded whole (its counts in the ledger), and nothing
#     of a refused file is kept;
#   - `motcua check` finds the store sound;
#   - a quarantined row is in `report --table rejects` with its line, reason
#     and column.
# Large inputs (gzip bomb, 50 MB field, 100,000 columns) are made here, not
# checked in.
. "$(dirname "$0")/../lib.sh"
unset MOTCUA_SETTLE_SECONDS
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

H='MaHoSo,MaDonVi,TenDonVi,TenTTHC,KenhThucHien,TrangThaiHoSo,NgayTiepNhan,NgayHenTra,NgayKetThucXuLy'
row() { # row ID [PROCEDURE]: one valid row of the header above
    printf '%s,000.22.31.H56,UBND xã Cửa Tùng,%s,Trực tiếp,Đang xử lý,05/01/2024 08:15,08/01/2024,\n' "$1" "${2:-Đăng ký khai sinh}"
}
{ echo "$H"; row GOOD-1; row GOOD-2; row GOOD-3; } >"$work/good.csv"

have_check=1
"$MOTCUA" check --help >/dev/null 2>&1 || { have_check=0; echo "note: check not implemented; its lines are skipped"; }

# hostile NAME WANT-STATUS [ingest options]: ingest $work/in/NAME and
# good.csv into a fresh store $work/NAME.db; stdout/stderr in $work/out, err
hostile() {
    local name=$1 want=$2
    shift 2
    db="$work/$name.db"
    st=0
    "$MOTCUA" ingest --db "$db" "$@" "$work/in/$name" "$work/good.csv" >"$work/out" 2>"$work/err" || st=$?
    [ "$st" -eq "$want" ] || { cat "$work/out" "$work/err" >&2; fail "$name: exit $st, want $want"; }
    "$MOTCUA" report --db "$db" --table files --format csv >"$work/files.csv"
    grep -q '^good.csv,[0-9a-f]*,3,3,0,0,0,' "$work/files.csv" ||
        fail "$name: the good export was not loaded whole: $(cat "$work/files.csv")"
    if [ "$have_check" = 1 ]; then
        "$MOTCUA" check --db "$db" >"$work/check.out" 2>&1 ||
            fail "$name: check is not clean: $(cat "$work/check.out")"
    fi
    "$MOTCUA" report --db "$db" --table rejects --format csv >"$work/rejects.csv"
}
# refused NAME MESSAGE: the file was refused as a whole, the message says why
refused() {
    local name=$1 msg=$2
    grep -q -- "$name: .*$msg" "$work/err" || fail "$name: message '$(cat "$work/err")' lacks '$msg'"
    grep -q 'file refused, nothing of it loaded' "$work/err" || fail "$name: no 'nothing loaded'"
    grep -q "^$name," "$work/files.csv" && fail "$name: a refused file is in the ledger"
    [ "$(wc -l <"$work/rejects.csv")" -eq 1 ] || fail "$name: rejects of a refused file: $(cat "$work/rejects.csv")"
    return 0
}
# counts NAME READ ACCEPTED QUARANTINED: the file's ledger row
counts() {
    grep -q "^$1,[0-9a-f]*,$2,$3,0,$4,0," "$work/files.csv" ||
        fail "$1: ledger row is not read $2 accepted $3 quarantined $4: $(grep "^$1," "$work/files.csv")"
}
# rejected NAME LINE REASON COLUMN: that row is in the rejects table
rejected() {
    grep -q "^$1,$2,$3,$4," "$work/rejects.csv" ||
        fail "$1: no reject line $2 $3 '$4': $(cat "$work/rejects.csv")"
}
# over_threshold NAME Q R: the quarantine message names the file
over_threshold() {
    grep -q "$1: $2 of $3 rows quarantined" "$work/err" || fail "$1: message: $(cat "$work/err")"
}
mkdir "$work/in"

# --- not UTF-8: refused whole, the likely encoding named, how to convert
for f in tcvn3.csv vni.csv cp1258.csv cp1258-bad-byte.csv utf16le.csv binary.bin \
         truncated.csv.gz empty.csv no-header.csv; do
    cp "$FIXTURES/bad/$f" "$work/in/$f"
done
hostile tcvn3.csv 65 && refused tcvn3.csv 'not UTF-8 (looks like TCVN3.*--encoding tcvn3'
hostile vni.csv 65 && refused vni.csv 'not UTF-8 (looks like VNI)'
hostile cp1258.csv 65 && refused cp1258.csv 'not UTF-8 (looks like Windows-1258).*iconv -f CP1258.*--encoding cp1258'
hostile binary.bin 65 && refused binary.bin 'not a CSV text file'

# --- SPEC 10.3: UTF-16 with a byte-order mark is read; a legacy file is
# converted when --encoding names its encoding, a byte that does not
# convert costs its row (bad_encoding), a file mostly such rows is refused
hostile utf16le.csv 0
counts utf16le.csv 4 4 0
hostile cp1258.csv 0 --encoding cp1258
counts cp1258.csv 4 4 0
hostile tcvn3.csv 0 --encoding TCVN3
counts tcvn3.csv 4 4 0
hostile cp1258-bad-byte.csv 65 --encoding cp1258
counts cp1258-bad-byte.csv 4 3 1
rejected cp1258-bad-byte.csv 3 bad_encoding unit_name
grep -q '^cp1258-bad-byte.csv,3,bad_encoding,unit_name,field 3 (unit_name) holds bytes that do not convert from Windows-1258' \
    "$work/rejects.csv" || fail "bad_encoding detail: $(cat "$work/rejects.csv")"
over_threshold cp1258-bad-byte.csv 1 4
sed 's/, Quảng Trị//' "$FIXTURES/bad/lf.csv" | iconv -f UTF-8 -t CP1258 |
    awk 'NR > 1 && NR < 5 { sub(/UBND/, "U\201BND") } { print }' >"$work/in/mostly-bad.csv"
hostile mostly-bad.csv 65 --encoding cp1258 &&
    refused mostly-bad.csv '3 of 4 rows hold bytes that do not convert from Windows-1258 (cp1258): the file is not in that encoding'
# a UTF-8 export beside them is read as UTF-8 whatever --encoding says
"$MOTCUA" report --db "$work/cp1258.csv.db" --table files --format csv | grep -q '^good.csv,[0-9a-f]*,3,3,0,0,0,' ||
    fail "good.csv under --encoding"
st=0; "$MOTCUA" ingest --db "$work/x.db" --encoding utf-16 "$work/good.csv" 2>"$work/err" || st=$?
[ "$st" -eq 64 ] && grep -q "encoding takes cp1258 or tcvn3, not 'utf-16'" "$work/err" || fail "--encoding utf-16: $st $(cat "$work/err")"

# --- SPEC 10.2: no header row within the first 50 non-empty rows: refused,
# naming the required columns and the rows looked at, quoting no cell
hostile no-header.csv 65 && refused no-header.csv 'no header row in the first 50 non-empty rows (lines 1-51): a header holds the columns case_id, received_at, status, and unit_code or unit_name'
grep -q 'Nguyễn\|0900000\|Khu phố' "$work/err" && fail "no-header.csv: the refusal quotes a cell: $(cat "$work/err")"
grep -q 'unit_code or unit_name, by their labels (MaHoSo/Mã hồ sơ.*); no row names any of them' "$work/err" ||
    fail "no-header.csv: closest: $(cat "$work/err")"
hostile truncated.csv.gz 65 && refused truncated.csv.gz 'gzip data is truncated'
hostile empty.csv 65 && refused empty.csv 'no header line (the file is empty)'

# --- a gzip bomb: 8 MB of concatenated members that inflate to 8 GiB of
# text; refused after a bounded amount of work
{ printf '%s\n' "$H"; row BOMB-1; printf 'BOMB-2,000.22.31.H56,'; } | gzip -9 >"$work/in/bomb.csv.gz"
head -c $((16 << 20)) /dev/zero | tr '\0' a | gzip -9 >"$work/member.gz"
for _ in $(seq 512); do cat "$work/member.gz"; done >>"$work/in/bomb.csv.gz"
rm "$work/member.gz"
start=$(date +%s)
hostile bomb.csv.gz 65 && refused bomb.csv.gz 'refused as a decompression bomb'
if [ -z "${MOTCUA_UNDER_VALGRIND:-}" ]; then # valgrind is 50 times slower
    [ $(($(date +%s) - start)) -lt 60 ] || fail "the bomb took more than a minute to refuse"
fi

# --- a header of 100,000 columns: refused, naming the line
{ printf 'MaHoSo,MaDonVi,TrangThaiHoSo,NgayTiepNhan'; for _ in $(seq 1000); do printf ',c%.0s' $(seq 100); done; echo; } \
    >"$work/in/wide-header.csv"
hostile wide-header.csv 65 && refused wide-header.csv 'line 1: the header has 100004 columns, more than the limit of 4096'

# --- a row of 100,000 fields under a normal header: only that row is lost
{
    echo "$H"; row WIDE-1
    printf 'WIDE-2'; for _ in $(seq 1000); do printf ',x%.0s' $(seq 100); done; echo
    row WIDE-3
} >"$work/in/wide-row.csv"
hostile wide-row.csv 65
counts wide-row.csv 3 2 1
rejected wide-row.csv 3 bad_field_count ''
over_threshold wide-row.csv 1 3

# --- a 50 MB field: the row is quarantined, the rows around it are kept,
# line numbers stay right, memory stays flat
{
    echo "$H"; row BIG-1
    printf 'BIG-2,000.22.31.H56,UBND xã Cửa Tùng,"'; head -c $((50 << 20)) /dev/zero | tr '\0' x
    printf '\nmore",Trực tiếp,Đang xử lý,05/01/2024 08:15,08/01/2024,\n'
    row BIG-3
} >"$work/in/big-field.csv"
if [ -x /usr/bin/time ] && [ -z "${MOTCUA_UNDER_VALGRIND:-}" ]; then
    /usr/bin/time -f '%M' -o "$work/rss" "$MOTCUA" ingest --db "$work/rss.db" "$work/in/big-field.csv" >/dev/null 2>&1 || true
    [ "$(cat "$work/rss" | tail -1)" -lt 200000 ] || fail "a 50 MB field took $(tail -1 "$work/rss") KB of memory"
fi
hostile big-field.csv 65
counts big-field.csv 3 2 1
rejected big-field.csv 3 row_too_large ''
grep -q '^big-field.csv,3,row_too_large,,field longer than' "$work/rejects.csv" || fail "big field detail"
over_threshold big-field.csv 1 3
"$MOTCUA" report --db "$db" --table rejects --format csv | grep -c . | grep -qx 2 || fail "more than one reject"
rm "$work/in/big-field.csv"

# --- a NUL byte in a field: that row is quarantined as bad_utf8, naming the column
cp "$FIXTURES/bad/nul-byte.csv" "$work/in/"
hostile nul-byte.csv 65
counts nul-byte.csv 2 1 1
rejected nul-byte.csv 2 bad_utf8 procedure_name
grep -q 'NUL byte' "$work/rejects.csv" || fail "the NUL byte is not named"
over_threshold nul-byte.csv 1 2

# --- a quote opened on line 4 and never closed: rows 2-3 kept, the rest of
# the file is the one bad row
cp "$FIXTURES/bad/unterminated-quote.csv" "$work/in/"
hostile unterminated-quote.csv 65
counts unterminated-quote.csv 3 2 1
rejected unterminated-quote.csv 4 unterminated_quote ''
over_threshold unterminated-quote.csv 1 3

# --- header only: a valid, empty export
cp "$FIXTURES/bad/header-only.csv" "$work/in/"
hostile header-only.csv 0
counts header-only.csv 0 0 0

# --- Excel's sep=; first line: the delimiter, not the header
cp "$FIXTURES/bad/sep-semicolon.csv" "$work/in/"
hostile sep-semicolon.csv 0
counts sep-semicolon.csv 4 4 0

# --- the header again in the middle (two exports pasted together)
{ echo "$H"; row REP-1; echo "$H"; row REP-2; row REP-3; row REP-4; row REP-5; } >"$work/in/repeated-header.csv"
hostile repeated-header.csv 65
counts repeated-header.csv 6 5 1
rejected repeated-header.csv 3 repeated_header ''
over_threshold repeated-header.csv 1 6

# --- the threshold decides the status, not the loading: with room for the
# quarantined rows the same kind of file exits 0
{ echo "$H"; for i in $(seq 1 40); do row "MANY-$i"; done; echo "$H"; } >"$work/in/one-bad-in-41.csv"
hostile one-bad-in-41.csv 0
counts one-bad-in-41.csv 41 40 1
rejected one-bad-in-41.csv 42 repeated_header ''
echo "ok: hostile files"
