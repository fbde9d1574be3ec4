# Exports as people get them (SPEC 10.2 and 10.3): a title block, a header of
# two rows, an STT column, a signature block, Excel's "Unicode Text" (UTF-16):
# each is read as the clean CSV of the same rows -- the same units table, the
# same rejects (their lines moved by the rows above the header), the same
# counts -- on the bundled exports and on a year of generated ones.
. "$(dirname "$0")/../lib.sh"
command -v python3 >/dev/null || { echo "skipped: python3 is not installed"; exit 0; }
[ -x "$GEN" ] || { echo "motcua-gen not built"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
E=$FIXTURES/exports
repack() { python3 "$root/fixtures/gen/repackage.py" "$@"; }

# --- the bundled list export is the Cửa Tùng export with the labels of a
# list screen, repackaged; made again here, byte for byte
sed -e '1s/^\xef\xbb\xbf//' \
    -e '1s/^MaHoSo,MaDonVi,DonViXuLy,MaTTHC,TenTTHC,TenLinhVuc,KenhThucHien,MucDo,TrangThaiHoSo,NgayTiepNhan,NgayHenTra,NgayHenTraMoi,NgayKetThucXuLy,NgayTra,CoXinLoi,NgayXinLoi,CoPhiLePhi,DuocThanhToanTrucTuyen,HoSoCoThanhPhanSoHoa,CoKetQuaDienTu,NgayCapNhat,ChuHoSo,SoDienThoai/Mã hồ sơ,Mã đơn vị,Đơn vị\/ cá nhân giải quyết,Mã thủ tục,Tên thủ tục hành chính,Lĩnh vực,Kênh nộp,Mức độ,Trạng thái,Ngày nhận hồ sơ,Ngày hẹn trả kết quả,Ngày hẹn trả mới,Ngày kết thúc xử lý,Ngày nhận kết quả,Có văn bản xin lỗi,Ngày xin lỗi,"Có phí, lệ phí",Thanh toán trực tuyến,Số hóa,Kết quả điện tử,Ngày cập nhật,"Tên cá nhân, tổ chức","Địa chỉ, số điện thoại"/' \
    "$E/dvcqg-cua-tung-20251001.csv" >"$work/vi.csv"
repack "$work/vi.csv" "$work/so.csv" --title 6 --two-row --stt --trailer 2>/dev/null
cmp "$work/so.csv" "$E/so-theo-doi-ho-so-cua-tung-20251001.csv" || fail "the bundled list export is not the repackaged Cửa Tùng export"
zcat "$E/dvcqg-loc-hoa-2025q2.csv.gz" >"$work/loc-hoa.csv"
repack "$work/loc-hoa.csv" "$work/u.txt" --utf16 2>/dev/null
cmp "$work/u.txt" "$E/unicode-loc-hoa-2025q2.txt" || fail "the bundled UTF-16 export is not the Lộc Hòa export"

load() { # load DB FILE... [-- ingest options]: exit 0 or 65
    local db=$1 st=0
    shift
    "$MOTCUA" ingest --db "$db" "$@" >>"$work/ingest.out" 2>>"$work/ingest.err" || st=$?
    [ "$st" -eq 0 ] || [ "$st" -eq 65 ] || { cat "$work/ingest.err"; fail "ingest $* exit $st"; }
}
figures() { # figures DB OUT: the units table of several periods
    : >"$2"
    for p in 2025-Q1 2025-Q2 2025-Q3 2025; do
        "$MOTCUA" report --db "$1" --units "$FIXTURES/units.csv" --targets '' --period "$p" \
            --table units --format csv >>"$2"
    done
}
counts() { # the ledger's counts, file by file in load order
    "$MOTCUA" report --db "$1" --table files --format csv | cut -d, -f3-7
}
rejects() { # rejects DB OFFSET: line - OFFSET, reason, column of every quarantined row
    "$MOTCUA" report --db "$1" --table rejects --format csv |
        python3 -c 'import csv, sys
off = int(sys.argv[1])
for r in list(csv.reader(sys.stdin))[1:]:
    print(int(r[1]) - off, r[2], r[3], sep=",")' "$2"
}
# same NAME OFFSET CLEAN-DB OTHER-DB: the same figures, counts and rejects
same() {
    figures "$work/$3" "$work/$3.fig"
    figures "$work/$4" "$work/$4.fig"
    [ "$(wc -l <"$work/$3.fig")" -gt 8 ] || fail "$1: too few rows to mean anything"
    cmp -s "$work/$3.fig" "$work/$4.fig" || { diff "$work/$3.fig" "$work/$4.fig" | head; fail "$1: other figures"; }
    [ "$(counts "$work/$3")" = "$(counts "$work/$4")" ] ||
        fail "$1: other counts: $(counts "$work/$3") / $(counts "$work/$4")"
    [ "$(rejects "$work/$3" 0)" = "$(rejects "$work/$4" "$2")" ] ||
        { diff <(rejects "$work/$3" 0) <(rejects "$work/$4" "$2") | head; fail "$1: other rejects"; }
    echo "same figures, counts and rejects: $1"
}

# --- the bundled exports, each loaded alone
load "$work/cua-tung.db" "$E/dvcqg-cua-tung-20251001.csv"
load "$work/so-theo-doi.db" "$E/so-theo-doi-ho-so-cua-tung-20251001.csv"
same "titled list export" 7 cua-tung.db so-theo-doi.db
grep -q 'so-theo-doi-ho-so-cua-tung-20251001.csv: read 23, accepted 18, duplicate 1, quarantined 4, conflicts 0; unknown columns ignored: STT, Ghi chú; personal-data columns dropped: 2; signature block of 4 rows left out' \
    "$work/ingest.out" || fail "summary line: $(cat "$work/ingest.out")"
load "$work/loc-hoa.db" "$E/dvcqg-loc-hoa-2025q2.csv.gz"
load "$work/unicode.db" "$E/unicode-loc-hoa-2025q2.txt"
same "UTF-16 text export" 0 loc-hoa.db unicode.db

# --- a year of generated exports: one in the sync names with faults of
# every kind, one in the screen labels with ';'
"$GEN" -q --rows 12000 --seed 31 --faults 3 -o "$work/a.csv"
"$GEN" -q --rows 8000 --seed 32 --dialect vi --seq-start 5000 -o "$work/b.csv"
load "$work/plain.db" "$work/a.csv" "$work/b.csv"
# Excel's list: padded title lines, the dates under "Ngày", STT, signature
repack "$work/a.csv" "$work/a-list.csv" --title 6 --two-row --stt --trailer 2>"$work/off"
[ "$(cat "$work/off")" -eq 7 ] || fail "offset $(cat "$work/off")"
repack "$work/b.csv" "$work/b-list.csv" --title 6 --two-row --stt --trailer 2>/dev/null
load "$work/list.db" "$work/a-list.csv" "$work/b-list.csv"
same "a year as list exports" 7 plain.db list.db
# title lines without a delimiter (the ';' comes from the header), no STT
repack "$work/a.csv" "$work/a-bare.csv" --title 3 --bare-title --two-row --trailer 2>/dev/null
repack "$work/b.csv" "$work/b-bare.csv" --title 3 --bare-title --two-row --trailer 2>/dev/null
load "$work/bare.db" "$work/a-bare.csv" "$work/b-bare.csv"
same "a year under bare title lines" 4 plain.db bare.db
# as Excel's "Unicode Text" (the one without faults: a byte that is not
# UTF-8 has no UTF-16 form), list and plain
load "$work/plain-b.db" "$work/b.csv"
repack "$work/b.csv" "$work/b-list.txt" --title 6 --two-row --stt --trailer --utf16 2>/dev/null
load "$work/utf16.db" "$work/b-list.txt"
same "a year as UTF-16 list exports" 7 plain-b.db utf16.db
repack "$work/b.csv" "$work/b.txt" --utf16 2>/dev/null
load "$work/utf16-plain.db" "$work/b.txt"
same "a year as UTF-16 text" 0 plain-b.db utf16-plain.db

# --- the same lists as workbooks (a cover sheet before the list, SPEC
# 10.1): title block, two-row header and signature block in a sheet read as
# in the CSV, the sheet's rows being the CSV's lines
C2X=${MOTCUA_CSV2XLSX:-$root/build/csv2xlsx}
[ -x "$C2X" ] || fail "csv2xlsx not built ($C2X)"
"$C2X" --cover "Xuất từ hệ thống một cửa" "$E/so-theo-doi-ho-so-cua-tung-20251001.csv" "$work/so.xlsx"
load "$work/so-xlsx.db" "$work/so.xlsx"
same "titled list export as a workbook" 7 cua-tung.db so-xlsx.db
# (the export without faults: a byte that is not UTF-8 has no place in XML)
"$C2X" --sheet "Danh sách" "$work/b-list.csv" "$work/b-list.xlsx"
load "$work/list-xlsx.db" "$work/b-list.xlsx"
same "a year as a list workbook" 7 plain-b.db list-xlsx.db

# --- the progress bar (bytes, rows, rate, time left): on a terminal only;
# script(1) gives the command one
if grep -q $'\r' "$work/ingest.err"; then fail "a progress bar was drawn into a file"; fi
script -qec "'$MOTCUA' ingest --db '$work/tty.db' '$work/a-list.csv' '$work/b-list.csv'" /dev/null \
    >"$work/tty.out" 2>&1 || true
grep -q 'motcua ingest: \[[#.]*\] [0-9.]* [kM]*B/[0-9.]* [kM]*B  [0-9]* rows.*2/2 ' "$work/tty.out" ||
    fail "no progress bar on a terminal: $(head -c 600 "$work/tty.out")"
grep -q 'b-list.csv: read 8000' "$work/tty.out" || fail "the summary line under the bar: $(tail -c 300 "$work/tty.out")"
script -qec "'$MOTCUA' ingest -q --db '$work/tty-q.db' '$work/a-list.csv'" /dev/null >"$work/tty-q.out" 2>&1 || true
if grep -q 'motcua ingest: \[' "$work/tty-q.out"; then fail "a progress bar under -q"; fi
echo "ok: exports as people get them"
