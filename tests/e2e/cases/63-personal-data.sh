#!/usr/bin/env bash
# Personal data never leaves the export (SPEC 1.2): exports full of
# applicants' names, phone and ID numbers, e-mail addresses and home
# addresses are loaded, some rows quarantined (including a bad_field_count
# row whose cells are shifted, so that a phone number sits under a column
# motcua keeps), every report is written in every format, and then no name,
# phone, ID, e-mail or address may appear in the database file (-wal and
# -shm too), in any output, or in anything printed on stdout or stderr.
. "$(dirname "$0")/../lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v unzip >/dev/null || { echo "skip: needs unzip"; exit 0; }

in="$work/in"
out="$work/out"
mkdir -p "$in" "$out"
: >"$work/secrets"

# --- generated exports: the generator writes an applicant name (ChuHoSo,
# 'Chủ hồ sơ') on every row, and faults in 10 % of them
if [ -x "$GEN" ]; then
    "$GEN" -q --rows 3000 --seed 61 --faults 10 -o "$in/gen-dvcqg.csv"
    "$GEN" -q --rows 1000 --seed 62 --faults 10 --dialect vi --seq-start 5000 -o "$in/gen-vi.csv"
    "$GEN" -q --rows 1000 --seed 63 --faults 10 --gzip --seq-start 7000 -o "$in/gen-gz.csv.gz"
    # the names: words of letters ending in a letter and four digits
    { cat "$in/gen-dvcqg.csv" "$in/gen-vi.csv"; gzip -dc "$in/gen-gz.csv.gz"; } |
        grep -aoE '[[:alpha:]]+( [[:alpha:]]+)+ [A-Z][0-9]{4}' | sort -u >>"$work/secrets"
    [ "$(wc -l <"$work/secrets")" -gt 1000 ] || fail "too few generated names: $(wc -l <"$work/secrets")"
else
    echo "note: no generator; only the hand-made export is checked"
fi

# --- a hand-made export with every kind of personal column, the personal
# columns first so that a shifted row moves them under kept columns
H='MaHoSo,ChuHoSo,SoDienThoai,SoGiayToChuHoSo,Email,DiaChiChuHoSo,Họ tên người nộp,MaDonVi,DonViXuLy,TenTTHC,TrangThaiHoSo,NgayTiepNhan,NgayHenTra,NgayKetThucXuLy,GhiChu'
person() { # person N: the personal cells of applicant N
    printf 'Trần Thị Riêngtư%02d,09876500%02d,0381900000%02d,riengtu%02d@example.vn,"Số %d ngõ Riêngtư, phường Bí Mật",Lê Văn Người Nộp%02d' \
        "$1" "$1" "$1" "$1" "$1" "$1"
}
for n in $(seq 1 12); do
    printf 'Trần Thị Riêngtư%02d\n09876500%02d\n0381900000%02d\nriengtu%02d@example.vn\nSố %d ngõ Riêngtư, phường Bí Mật\nLê Văn Người Nộp%02d\nghi chú riêng %02d\n' \
        "$n" "$n" "$n" "$n" "$n" "$n" "$n" >>"$work/secrets"
done
# and the made-up parts every one of them shares, in case a value is cut
printf '%s\n' Riêngtư 'Người Nộp' 09876500 0381900000 '@example.vn' 'ghi chú riêng' >>"$work/secrets"
U='000.00.06.H56,Sở Công Thương tỉnh Quảng Trị,Cấp giấy phép'
{
    echo "$H"
    echo "P-01,$(person 1),$U,4,05/01/2026,08/01/2026,,ghi chú riêng 01"                  # accepted
    echo "P-02,$(person 2),$U,10,05/01/2026,08/01/2026,07/01/2026,ghi chú riêng 02"       # accepted
    echo "P-02,$(person 2),$U,10,05/01/2026,08/01/2026,07/01/2026,ghi chú riêng 02"       # duplicate
    echo "P-03,$(person 3),$U,không rõ,05/01/2026,08/01/2026,,ghi chú riêng 03"           # bad_status
    echo "P-04,$(person 4),$U,4,31/02/2026,08/01/2026,,ghi chú riêng 04"                  # bad_date
    # bad_field_count: an unquoted comma in the name shifts every cell right,
    # the phone number lands under MaDonVi, the ID under DonViXuLy...
    echo "P-05,Trần Thị, Riêngtư05,0987650005,038190000005,riengtu05@example.vn,Số 5 ngõ Riêngtư,Lê Văn Người Nộp05,$U,4,05/01/2026,08/01/2026,,ghi chú riêng 05"
    # ...and a missing one shifts them left: the e-mail under MaDonVi
    echo "P-06,Trần Thị Riêngtư06,0987650006,riengtu06@example.vn,Số 6 ngõ Riêngtư,Lê Văn Người Nộp06,$U,4,05/01/2026,08/01/2026,,ghi chú riêng 06"
    echo "P-07,$(person 7),$U,10,05/01/2026,08/01/2026,,ghi chú riêng 07"                 # missing_finish_date
    echo "P-08,$(person 8),$U,10,05/01/2026,08/01/2026,01/01/2026,ghi chú riêng 08"       # finish_before_receipt
    printf 'P-09,Trần Thị Riêngtư09\377,0987650009,038190000009,riengtu09@example.vn,Số 9 ngõ Riêngtư,Lê Văn Người Nộp09,%s,4,05/01/2026,08/01/2026,,ghi chú riêng 09\n' "$U"  # bad_utf8 in a personal column
    echo ",$(person 10),$U,4,05/01/2026,08/01/2026,,ghi chú riêng 10"                     # missing_case_id
    echo "P-11,$(person 11),,,,4,05/01/2026,08/01/2026,,ghi chú riêng 11"                 # missing_unit
    # a quote opened in the address and never closed: the rest of the file
    echo "P-12,Trần Thị Riêngtư12,0987650012,038190000012,riengtu12@example.vn,\"Số 12 ngõ Riêngtư,Lê Văn Người Nộp12,$U,4,05/01/2026,08/01/2026,,ghi chú riêng 12"
} >"$in/hand-made.csv"

# --- ingest, every report in every format, on stdout and to files
st=0
"$MOTCUA" ingest -v --db "$work/m.db" "$in"/* >"$out/ingest.stdout" 2>"$out/ingest.stderr" || st=$?
[ "$st" -eq 65 ] || { cat "$out/ingest.stderr"; fail "ingest exit $st, want 65 (quarantined rows)"; }
grep -q 'hand-made.csv: read 13, accepted 2, duplicate 1, quarantined 10' "$out/ingest.stdout" ||
    fail "hand-made.csv counts: $(cat "$out/ingest.stdout")"
grep -q 'personal-data columns dropped: 6' "$out/ingest.stdout" || fail "personal columns not reported dropped"
"$MOTCUA" report --db "$work/m.db" --table rejects --format csv >"$out/rejects.csv"
grep -q '^hand-made.csv,7,bad_field_count,' "$out/rejects.csv" || fail "no shifted row: $(cat "$out/rejects.csv")"
grep -q '^hand-made.csv,8,bad_field_count,' "$out/rejects.csv" || fail "no short row"
grep -q '^hand-made.csv,14,unterminated_quote,' "$out/rejects.csv" || fail "no unterminated quote"
for p in 2026-01 2026-Q1 2025 2025-Q3; do
    for t in units targets quality; do
        "$MOTCUA" report --db "$work/m.db" --period "$p" --table "$t" >"$out/$p-$t.txt" 2>>"$out/report.stderr"
        "$MOTCUA" report --db "$work/m.db" --period "$p" --table "$t" --format csv >"$out/$p-$t.csv" 2>>"$out/report.stderr"
    done
    "$MOTCUA" report --db "$work/m.db" --period "$p" --format xlsx -o "$out/$p.xlsx" 2>>"$out/report.stderr"
    "$MOTCUA" report --db "$work/m.db" --period "$p" --format html -o "$out/$p.html" 2>>"$out/report.stderr"
    # the cases behind the numbers (SPEC 12): codes, dates and classes only
    for f in text csv html xlsx; do
        "$MOTCUA" report --db "$work/m.db" --period "$p" --table cases --format "$f" \
            -o "$out/$p-cases.$f" 2>>"$out/report.stderr"
    done
done
for t in files rejects; do
    "$MOTCUA" report --db "$work/m.db" --table "$t" >"$out/$t.txt" 2>>"$out/report.stderr"
    "$MOTCUA" report --db "$work/m.db" --table "$t" --format csv -o "$out/$t-o.csv" 2>>"$out/report.stderr"
done
if "$MOTCUA" check --help >/dev/null 2>&1; then
    "$MOTCUA" check -v --db "$work/m.db" >"$out/check.stdout" 2>"$out/check.stderr" || fail "check: $(cat "$out/check.stderr")"
fi

# --- and the nightly job, with its Excel CSV, reason files and summary
if "$MOTCUA" run --help >/dev/null 2>&1; then
    mkdir -p "$work/site/inbox"
    cp "$in"/* "$work/site/inbox/"
    printf 'ChuHoSo,SoDienThoai\nTrần Thị Riêngtư01,0987650001\n' >"$work/site/inbox/no-case-id.csv"
    (cd "$work/site" && "$MOTCUA" run -v) >"$out/run.stdout" 2>"$out/run.stderr" || true
    [ -f "$work/site/quarantine/no-case-id.csv.reason.txt" ] || fail "run did not quarantine no-case-id.csv"
else
    echo "skipped: run not implemented (its outputs are not searched)"
fi

# --- the search: every file motcua wrote, xlsx unpacked; the exports
# themselves (inbox copies, archive, quarantined exports) are the input
targets=("$work"/m.db*)
for f in "$out"/*; do targets+=("$f"); done
if [ -d "$work/site" ]; then
    while IFS= read -r -d '' f; do targets+=("$f"); done < <(find "$work/site" -type f \
        ! -path '*/archive/*' ! -path '*/inbox/*' \( ! -path '*/quarantine/*' -o -name '*.reason.txt' \) -print0)
fi
n=0
for f in "${targets[@]}"; do
    case "$f" in
    *.xlsx) unzip -p "$f" >"$work/unpacked" || fail "$f: not a zip"; src="$work/unpacked" ;;
    *) src=$f ;;
    esac
    # '|| true': head leaving early must not hide a hit (pipefail)
    hit=$(grep -a -o -F -f "$work/secrets" "$src" | head -3 || true)
    if [ -n "$hit" ]; then
        fail "personal data in ${f#"$work"/}: $hit"
    fi
    n=$((n + 1))
done
[ "$n" -ge 40 ] || fail "only $n files searched"
# the needle must be findable where it is: the exports themselves hold it
grep -a -q -F -f "$work/secrets" "$in/hand-made.csv" || fail "the search finds nothing even in the export"
echo "ok: personal data: $(wc -l <"$work/secrets") values absent from $n files"
