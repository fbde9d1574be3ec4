#!/usr/bin/env bash
# What people and tools leave in the inbox of `motcua run`:
#   - names with spaces, Vietnamese letters, a leading dash, an option-like
#     name: loaded and archived under the same name;
#   - a name with a line break: still one message line (it cannot forge a
#     line of the log);
#   - symbolic links (to a file outside the inbox, to /etc/passwd): never
#     followed, left where they are, their targets untouched and unloaded;
#   - a folder, a file still being written (.part): left alone;
#   - a file motcua may not read: left in the inbox, said so, exit 74 (as
#     root the run is done as 'nobody' via setpriv, else skipped).
. "$(dirname "$0")/../lib.sh"
if ! "$MOTCUA" run --help >/dev/null 2>&1; then
    echo "skipped: run not implemented"
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

H='MaHoSo,MaDonVi,TrangThaiHoSo,NgayTiepNhan'
export_of() { # export_of PREFIX ROWS FILE
    local i
    { echo "$H"; for i in $(seq 1 "$2"); do echo "$1-$i,000.00.06.H56,4,05/01/2026"; done; } >"$3"
}
w="$work/site"
mkdir -p "$w/inbox"
names=("báo cáo xã Cửa Tùng.csv" "-rf.csv" "--db=evil.csv" " leading space .csv" "a;b&c\$(id).csv")
i=0
for n in "${names[@]}"; do
    i=$((i + 1))
    export_of "N$i" 3 "$w/inbox/$n"
done
export_of SECRET 5 "$work/outside.csv"
ln -s ../../outside.csv "$w/inbox/outside.csv"
ln -s /etc/passwd "$w/inbox/passwd.csv"
mkdir "$w/inbox/thư mục.csv"
export_of PART 2 "$w/inbox/đang ghi.csv.part"
printf 'not,an\nexport,at all\n' >"$w/inbox/evil"$'\n'"motcua run: 0 files: all good.csv"

st=0
(cd "$w" && "$MOTCUA" run) >"$work/out" 2>"$work/err" || st=$?
[ "$st" -eq 65 ] || { cat "$work/out" "$work/err"; fail "run exit $st, want 65 (one refused file)"; }

# every odd name loaded and archived under its own name
"$MOTCUA" report --db "$w/motcua.db" --table files --format csv >"$work/files.csv"
for n in "${names[@]}"; do
    [ -f "$w/archive/2026/01/$n" ] || fail "'$n' not archived: $(ls -la "$w/archive/2026/01" "$w/inbox")"
    grep -qF -- "$n" "$work/files.csv" || fail "'$n' not in the ledger: $(cat "$work/files.csv")"
done
[ "$(grep -c ',3,3,0,0,0,' "$work/files.csv")" -eq ${#names[@]} ] || fail "ledger: $(cat "$work/files.csv")"
# nothing else was loaded: not the link targets, not the .part file
grep -q 'SECRET\|outside\|passwd\|PART' "$work/files.csv" && fail "a link or a partial file was loaded"
[ "$(grep -c . "$work/files.csv")" -eq $((${#names[@]} + 1)) ] || fail "ledger: $(cat "$work/files.csv")"
# links, folder and partial file left alone; link targets unchanged
[ -L "$w/inbox/outside.csv" ] && [ -L "$w/inbox/passwd.csv" ] || fail "a symlink was moved"
[ "$(head -1 "$work/outside.csv")" = "$H" ] && [ "$(wc -l <"$work/outside.csv")" -eq 6 ] ||
    fail "the link target changed"
[ -d "$w/inbox/thư mục.csv" ] || fail "the folder was moved"
[ -f "$w/inbox/đang ghi.csv.part" ] || fail "the .part file was moved"
grep -q 'outside.csv: a symbolic link; not followed' "$work/err" || fail "link not reported: $(cat "$work/err")"
grep -q 'passwd.csv: a symbolic link; not followed' "$work/err" || fail "link not reported"
grep -q 'thư mục.csv: a folder; ignored' "$work/err" || fail "folder not reported"
# the file with a line break in its name: quarantined, and its message is
# one line that does not start like a line of motcua's own
[ -f "$w/quarantine/evil"$'\n'"motcua run: 0 files: all good.csv" ] || fail "the line-break name was not quarantined"
grep -q '^motcua run: 0 files' "$work/err" && fail "a file name forged a log line: $(cat "$work/err")"
grep -q 'evil\\x0amotcua run: 0 files: all good.csv' "$work/err" || fail "line break not escaped: $(cat "$work/err")"
[ "$(wc -l <"$work/out")" -eq 1 ] || fail "the summary is not one line: $(cat "$work/out")"
"$MOTCUA" check --db "$w/motcua.db" >/dev/null 2>&1 || fail "check after the run"

# a file motcua may not read: left in the inbox, said so, exit 74
if [ "$(id -u)" -eq 0 ]; then
    if ! command -v setpriv >/dev/null || ! id nobody >/dev/null 2>&1; then
        echo "skip: unreadable-file case (root, and no setpriv/nobody to drop privileges)"
        echo "ok: hostile inbox"
        exit 0
    fi
    as=(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups)
    chown -R nobody "$work"
    chmod 755 "$work"
else
    as=()
fi
export_of LOCKED 2 "$w/inbox/khoá.csv"
chmod 000 "$w/inbox/khoá.csv"
[ "$(id -u)" -eq 0 ] && chown root "$w/inbox/khoá.csv"
st=0
(cd "$w" && "${as[@]}" "$MOTCUA" run) >"$work/out" 2>"$work/err" || st=$?
[ "$st" -eq 74 ] || { cat "$work/out" "$work/err"; fail "unreadable file: exit $st, want 74"; }
[ -f "$w/inbox/khoá.csv" ] || fail "the unreadable file was moved"
grep -q 'khoá.csv: no permission to read it' "$work/err" || fail "not reported: $(cat "$work/err")"
echo "ok: hostile inbox"
