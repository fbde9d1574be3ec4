#!/usr/bin/env python3
"""Independent reference implementation ("oracle") of motcua's ingest + units report.

Written from shared/SPEC.md sections 1-6, the CSV contract of section 7 and the
breakdowns of section 11 only, without reading motcua's C source.  Standard library only.

usage: oracle.py --period P [--as-of YYYY-MM-DD] [--convention calendar|cutoff]
                 [--units UNITS.csv] [--table units|trend|cases|rejects|files]
                 [--by unit|field|procedure] [--unit CODE] [--only WHICH] FILE...

The files are ingested in the order given (that is the ingest order).  The output is
what `motcua report --table T --format csv` must print (units: SPEC 7 columns; trend:
SPEC 13's, the 12 months oldest first, each month's rows as its units table; cases:
SPEC 12's columns; rejects: file,line,reason,column,detail; files:
file,rows_read,accepted,duplicate,quarantined).  --unit (SPEC 11) limits the units, trend
and cases tables to a unit and its registry descendants; --only (SPEC 12) selects cases.
See README.md for the judgement calls.
"""

import argparse
import csv
import datetime as dt
import gzip
import hashlib
import io
import os
import re
import sys
import unicodedata

# ---------------------------------------------------------------------------
# text helpers


def nfc(s):
    return unicodedata.normalize("NFC", s)


def fold_key(s):
    """Header / status key: NFD, drop combining marks, đ->d, lower, letters+digits only."""
    s = unicodedata.normalize("NFD", s)
    out = []
    for ch in s:
        if unicodedata.combining(ch):
            continue
        if ch in "đĐ":
            ch = "d"
        ch = ch.lower()
        if ch.isalnum():
            out.append(ch)
    return "".join(out)


def norm_text(s):
    """Other text: NFC, trimmed, runs of white space collapsed; empty -> None."""
    s = " ".join(nfc(s).split())
    return s if s else None


def norm_case_id(s):
    s = "".join(nfc(s).split()).upper()
    return s if s else None


# ---------------------------------------------------------------------------
# columns (SPEC 1.2)

ALIASES = {
    "case_id": ["MaHoSo", "Mã hồ sơ", "Số hồ sơ", "case_id"],
    "alt_case_id": ["MaHoSoKhac", "Mã hồ sơ khác", "alt_case_id"],
    "unit_code": ["MaDonVi", "Mã đơn vị", "MaCoQuan", "unit_code"],
    "unit_name": ["DonViXuLy", "Đơn vị xử lý", "Đơn vị", "Cơ quan giải quyết", "unit_name"],
    "procedure_code": ["MaTTHC", "Mã TTHC", "Mã thủ tục", "procedure_code"],
    "procedure_name": ["TenTTHC", "Tên TTHC", "Tên thủ tục", "procedure_name"],
    "field_name": ["TenLinhVuc", "Lĩnh vực", "field_name"],
    "channel": ["KenhThucHien", "Kênh nộp", "Hình thức nộp", "channel"],
    "service_level": ["MucDo", "Mức độ", "Mức độ DVC", "service_level"],
    "status": ["TrangThaiHoSo", "Trạng thái", "status"],
    "received_at": ["NgayTiepNhan", "Ngày tiếp nhận", "received_at"],
    "due_at": ["NgayHenTra", "Ngày hẹn trả", "due_at"],
    "new_due_at": ["NgayHenTraMoi", "Ngày hẹn trả mới", "Ngày hẹn lại", "new_due_at"],
    "finished_at": ["NgayKetThucXuLy", "Ngày kết thúc xử lý", "Ngày có kết quả", "finished_at"],
    "returned_at": ["NgayTra", "Ngày trả kết quả", "returned_at"],
    "apology": ["CoXinLoi", "Có văn bản xin lỗi", "Xin lỗi", "apology"],
    "apology_at": ["NgayXinLoi", "Ngày xin lỗi", "apology_at"],
    # "Có phí, lệ phí" is one label (folds to the same key as CoPhiLePhi)
    "has_fee": ["CoPhiLePhi", "Có phí, lệ phí", "Có phí", "has_fee"],
    "paid_online": ["DuocThanhToanTrucTuyen", "Thanh toán trực tuyến", "paid_online"],
    "digitized": ["HoSoCoThanhPhanSoHoa", "DuocSoHoa", "Số hóa", "digitized"],
    "e_result": ["CoKetQuaDienTu", "Kết quả điện tử", "e_result"],
    "updated_at": ["NgayCapNhat", "Ngày cập nhật", "ThoiDiemCapNhat", "updated_at"],
}
PERSONAL = ["ChuHoSo", "SoGiayToChuHoSo", "SoDienThoai", "Email", "DiaChiChuHoSo",
            "Chủ hồ sơ", "Số giấy tờ chủ hồ sơ", "Số điện thoại", "Địa chỉ chủ hồ sơ",
            "Địa chỉ", "Điện thoại", "Thư điện tử", "Họ tên", "Tên chủ hồ sơ",
            "Người nộp", "CMND", "CCCD", "Số CMND", "Số CCCD"]
CANON = list(ALIASES.keys())
KEY2CANON = {}
for _c, _al in ALIASES.items():
    for _a in _al:
        KEY2CANON.setdefault(fold_key(_a), _c)
PERSONAL_KEYS = {fold_key(p) for p in PERSONAL}

DATE_COLS = ["received_at", "due_at", "new_due_at", "finished_at", "returned_at",
             "apology_at", "updated_at"]
BOOL_COLS = ["apology", "has_fee", "paid_online", "digitized", "e_result"]
TEXT_COLS = ["alt_case_id", "unit_code", "unit_name", "procedure_code",
             "procedure_name", "field_name"]

# ---------------------------------------------------------------------------
# values (SPEC 1.3, 1.4)

RE_DMY = re.compile(r"^(\d{1,2})([/-])(\d{1,2})\2(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
RE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)|(?:T(\d{2}):(\d{2}):(\d{2})))?$")
RE_SYNC = re.compile(r"^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$")


class Bad(Exception):
    def __init__(self, reason, column=""):
        Exception.__init__(self, reason)
        self.reason = reason
        self.column = column


def mk_date(y, m, d, hh=None, mi=None, ss=None):
    """-> (date, seconds-of-day or None) ; raises ValueError on an impossible date."""
    day = dt.date(int(y), int(m), int(d))
    if hh is None:
        return (day, None)
    hh, mi, ss = int(hh), int(mi), int(ss or 0)
    if not (0 <= hh <= 23 and 0 <= mi <= 59 and 0 <= ss <= 59):
        raise ValueError("time")
    return (day, hh * 3600 + mi * 60 + ss)


def parse_date(raw, col):
    s = nfc(raw).strip()
    if s == "":
        return None
    try:
        m = RE_DMY.match(s)
        if m:
            return mk_date(m.group(4), m.group(3), m.group(1), m.group(5), m.group(6), m.group(7))
        m = RE_ISO.match(s)
        if m:
            if m.group(4) is not None:
                return mk_date(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6))
            if m.group(7) is not None:
                return mk_date(m.group(1), m.group(2), m.group(3), m.group(7), m.group(8), m.group(9))
            return mk_date(m.group(1), m.group(2), m.group(3))
        m = RE_SYNC.match(s)
        if m:
            return mk_date(*m.groups())
    except ValueError:
        pass
    raise Bad("bad_date", col)


def date_sort_key(v):
    """Missing first; a date without time sorts just before midnight of that day."""
    if v is None:
        return (0,)
    d, t = v
    if t is None:
        return (1, d.toordinal(), 0, 0)
    return (1, d.toordinal(), 1, t)


def upd_cmp(a, b):
    """-1/0/1; missing first; as dates when either has no time of day."""
    if a is None or b is None:
        return (a is not None) - (b is not None)
    if a[1] is None or b[1] is None:
        return (a[0] > b[0]) - (a[0] < b[0])
    return (a > b) - (a < b)


def time_less(a, b):
    """a < b, comparing as dates when either has no time of day."""
    if a[1] is None or b[1] is None:
        return a[0] < b[0]
    return (a[0], a[1]) < (b[0], b[1])


BOOL_TRUE = {"1", "true", "yes", "có", "x"}
BOOL_FALSE = {"0", "false", "no", "không", ""}


def parse_bool(raw, col):
    s = " ".join(nfc(raw).split()).lower()
    if s in BOOL_TRUE:
        return True
    if s in BOOL_FALSE:
        return False
    if col == "paid_online" and s == "2":
        return True
    raise Bad("bad_value", col)


CHANNEL_TEXT = {fold_key(t): c for t, c in [
    ("trực tiếp", 1), ("trực tuyến", 2), ("qua mạng", 2), ("online", 2),
    ("bưu chính", 3), ("bưu chính công ích", 3), ("BCCI", 3)]}
LEVEL_TEXT = {fold_key(t): c for t, c in [
    ("toàn trình", 4), ("một phần", 3), ("cung cấp thông tin", 2)]}
STATUS_TEXT_LIST = [
    (1, ["Mới đăng ký", "receiving"]),
    (2, ["Được tiếp nhận", "Đã tiếp nhận", "new"]),
    (3, ["Không được tiếp nhận", "Từ chối tiếp nhận", "denied"]),
    (4, ["Đang xử lý", "Đang giải quyết", "processing"]),
    (5, ["Yêu cầu bổ sung giấy tờ", "Yêu cầu bổ sung", "Chờ bổ sung", "waiting"]),
    (6, ["Yêu cầu thực hiện nghĩa vụ tài chính", "Chờ thực hiện nghĩa vụ tài chính", "paying"]),
    (7, ["Công dân yêu cầu rút hồ sơ", "Rút hồ sơ", "cancelled"]),
    (8, ["Dừng xử lý", "unresolved"]),
    (9, ["Đã xử lý xong", "Đã giải quyết", "releasing"]),
    (10, ["Đã trả kết quả", "done"]),
]
STATUS_TEXT = {}
for _code, _texts in STATUS_TEXT_LIST:
    for _t in _texts:
        STATUS_TEXT[fold_key(_t)] = _code


def parse_coded(raw, codes, texts, col, empty, reason="bad_value"):
    s = " ".join(nfc(raw).split())
    if s == "":
        if empty is Bad:
            raise Bad(reason, col)
        return empty
    if s in codes:
        return int(s)
    if re.search(r"[^\W\d_]", s):          # has a letter: compare as text
        k = fold_key(s)
        if k in texts:
            return texts[k]
    raise Bad(reason, col)


def progress(status):
    if status in (1, 2):
        return 0
    if status in (4, 5, 6):
        return 1
    if status in (3, 7, 8, 9):
        return 2
    return 3


# ---------------------------------------------------------------------------
# reader (SPEC 1.1)


class Refused(Exception):
    pass


def iter_records(data, pos, line, delim):
    """Yield (start_line, [field bytes], raw_line_bytes_is_blank) from data[pos:]."""
    n = len(data)
    q = ord('"')
    d = ord(delim)
    ws = b" \r" if delim == "\t" else b" \t\r"   # a line of delimiters is a row
    while pos < n:
        start_line = line
        # blank line check: bytes up to the next LF
        eol = data.find(b"\n", pos)
        seg = data[pos:(eol if eol >= 0 else n)]
        if seg.strip(ws) == b"":
            pos = (eol + 1) if eol >= 0 else n
            line += 1
            continue
        fields = []
        while True:
            buf = bytearray()
            if pos < n and data[pos] == q:
                pos += 1
                while True:
                    if pos >= n:
                        break  # unterminated quote: field runs to EOF
                    c = data[pos]
                    if c == q:
                        if pos + 1 < n and data[pos + 1] == q:
                            buf.append(q)
                            pos += 2
                            continue
                        pos += 1
                        break
                    if c == 10:
                        line += 1
                    buf.append(c)
                    pos += 1
                # junk after the closing quote is kept literally
                while pos < n and data[pos] != d and data[pos] != 10 and not (
                        data[pos] == 13 and (pos + 1 >= n or data[pos + 1] == 10)):
                    buf.append(data[pos])
                    pos += 1
            else:
                while pos < n and data[pos] != d and data[pos] != 10 and not (
                        data[pos] == 13 and (pos + 1 >= n or data[pos + 1] == 10)):
                    buf.append(data[pos])
                    pos += 1
            fields.append(bytes(buf))
            if pos >= n:
                break
            c = data[pos]
            if c == d:
                pos += 1
                continue
            if c == 13:
                pos += 1
            if pos < n and data[pos] == 10:
                pos += 1
                line += 1
            break
        yield start_line, fields


def detect_delim(data, pos):
    counts = {",": 0, ";": 0, "\t": 0}
    inq = False
    n = len(data)
    while pos < n:
        c = chr(data[pos])
        if c == '"':
            inq = not inq
        elif not inq and c in "\r\n":
            break
        elif not inq and c in counts:
            counts[c] += 1
        pos += 1
    best = ","
    for k in (";", "\t"):
        if counts[k] > counts[best]:
            best = k
    return best


def read_file(path):
    """-> (header [str], [(line, fields-bytes)]) ; raises Refused."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if data[:3] == b"\xef\xbb\xbf":
        data = data[3:]
    pos, line, n = 0, 1, len(data)
    delim = None
    # skip blank lines, look for sep=X
    header_pos = None
    while pos < n:
        eol = data.find(b"\n", pos)
        seg = data[pos:(eol if eol >= 0 else n)]
        s = seg.strip(b" \t\r")
        nxt = (eol + 1) if eol >= 0 else n
        if s == b"":
            pos, line = nxt, line + 1
            continue
        m = re.match(rb'^"?sep=(.)"?$', s, re.I) if delim is None and header_pos is None else None
        if m and delim is None:
            delim = m.group(1).decode("latin-1")
            pos, line = nxt, line + 1
            continue
        header_pos = pos
        break
    if header_pos is None:
        raise Refused("no header")
    if delim is None:
        delim = detect_delim(data, pos)
    recs = iter_records(data, pos, line, delim)
    try:
        _, hfields = next(recs)
    except StopIteration:
        raise Refused("no header")
    try:
        header = [b.decode("utf-8") for b in hfields]
    except UnicodeDecodeError:
        raise Refused("not UTF-8 (likely TCVN3 or VNI)")
    return header, list(recs)


# ---------------------------------------------------------------------------
# ingest (SPEC 1, 2)


class Store:
    def __init__(self):
        self.files = []      # dicts: file, rows_read, accepted, duplicate, quarantined
        self.rejects = []    # (file, line, reason, column, detail)
        self.versions = {}   # case key -> list of version dicts
        self.seq = 0
        self.shas = set()
        self.refused = []

    def ingest(self, path):
        with open(path, "rb") as f:
            sha = hashlib.sha256(f.read()).hexdigest()
        name = os.path.basename(path)
        if sha in self.shas:
            sys.stderr.write("oracle: %s: already loaded\n" % name)
            return
        try:
            header, recs = read_file(path)
        except Refused as e:
            self.refused.append((name, str(e)))
            sys.stderr.write("oracle: %s: refused: %s\n" % (name, e))
            return
        colmap = {}   # canonical -> index (first occurrence wins)
        for i, h in enumerate(header):
            k = fold_key(nfc(h))
            c = KEY2CANON.get(k)
            if c and c not in colmap:
                colmap[c] = i
        missing = [c for c in ("case_id", "status", "received_at") if c not in colmap]
        if "unit_code" not in colmap and "unit_name" not in colmap:
            missing.append("unit_code/unit_name")
        if missing:
            self.refused.append((name, "missing columns " + ",".join(missing)))
            sys.stderr.write("oracle: %s: refused: missing required columns %s\n"
                             % (name, ",".join(missing)))
            return
        # whole-file encoding check: every non-ASCII row invalid (and >= 2 of them)
        nonascii = bad = 0
        for _, fields in recs:
            raw = b"".join(fields)
            if any(c >= 0x80 for c in raw):
                nonascii += 1
                try:
                    raw.decode("utf-8")
                except UnicodeDecodeError:
                    bad += 1
        if bad >= 2 and bad == nonascii:
            self.refused.append((name, "not UTF-8"))
            sys.stderr.write("oracle: %s: refused: not UTF-8\n" % name)
            return
        self.shas.add(sha)
        hdr_norm = [norm_header_cell(h) for h in header]
        st = {"file": name, "rows_read": 0, "accepted": 0, "duplicate": 0, "quarantined": 0}
        self.files.append(st)
        fileno = len(self.files)
        for line, fields in recs:
            st["rows_read"] += 1
            try:
                v = self.row(header, hdr_norm, colmap, fields)
            except Bad as e:
                st["quarantined"] += 1
                self.rejects.append((name, line, e.reason, e.column, ""))
                continue
            key = v["case_id"]
            canon = tuple(v[c] for c in CANON)
            lst = self.versions.setdefault(key, [])
            if any(x["canon"] == canon for x in lst):
                st["duplicate"] += 1
                continue
            self.seq += 1
            v["canon"] = canon
            v["seq"] = self.seq
            v["file"] = fileno
            v["line"] = line
            lst.append(v)
            st["accepted"] += 1

    def row(self, header, hdr_norm, colmap, fields):
        if len(fields) != len(header):
            raise Bad("bad_field_count")
        try:
            sf = [b.decode("utf-8") for b in fields]
        except UnicodeDecodeError:
            raise Bad("bad_utf8")
        if [norm_header_cell(x) for x in sf] == hdr_norm:
            raise Bad("repeated_header")

        def get(c):
            i = colmap.get(c)
            return None if i is None else sf[i]

        v = {}
        cid = norm_case_id(get("case_id") or "")
        if cid is None:
            raise Bad("missing_case_id", "case_id")
        v["case_id"] = cid
        for c in TEXT_COLS:
            raw = get(c)
            v[c] = None if raw is None else norm_text(raw)
        raw = get("channel")
        v["channel"] = 1 if raw is None else parse_coded(raw, {"1", "2", "3"}, CHANNEL_TEXT, "channel", 1)
        raw = get("service_level")
        v["service_level"] = None if raw is None else parse_coded(
            raw, {"2", "3", "4"}, LEVEL_TEXT, "service_level", None)
        v["status"] = parse_coded(get("status") or "", {str(i) for i in range(1, 11)},
                                  STATUS_TEXT, "status", Bad, "bad_status")
        for c in DATE_COLS:
            raw = get(c)
            v[c] = None if raw is None else parse_date(raw, c)
            if c == "received_at" and v[c] is None:
                raise Bad("bad_date", "received_at")
        for c in BOOL_COLS:
            raw = get(c)
            v[c] = None if raw is None else parse_bool(raw, c)   # None = column absent
        if v["unit_code"] is None and v["unit_name"] is None:
            raise Bad("missing_unit")
        rec = v["received_at"]
        for c in ("finished_at", "returned_at"):
            if v[c] is not None and time_less(v[c], rec):
                raise Bad("finish_before_receipt", c)
        if v["due_at"] is not None and time_less(v["due_at"], rec):
            raise Bad("due_before_receipt", "due_at")
        if v["status"] in (7, 8, 9, 10) and v["finished_at"] is None and v["returned_at"] is None:
            raise Bad("missing_finish_date")
        return v

    def current_versions(self):
        out = []
        for key, lst in self.versions.items():
            # In ingest order, each version against the current one: the
            # comparison of updated_at ties a date without a time with any
            # time that day (SPEC 1.5), so it is not a sort key.
            best = None
            for x in sorted(lst, key=lambda x: x["seq"]):
                c = 1 if best is None else upd_cmp(x["updated_at"], best["updated_at"])
                if c > 0 or (c == 0 and progress(x["status"]) >= progress(best["status"])):
                    best = x
            out.append(best)
        return out


def norm_header_cell(s):
    s = nfc(s)
    if s.startswith("\ufeff"):
        s = s[1:]
    return " ".join(s.split())


# ---------------------------------------------------------------------------
# units registry (SPEC 3)


class Registry:
    def __init__(self, path=None):
        self.units = {}   # code -> dict(code, name, parent, pattern, vf, vt)
        self.order = []
        if not path:
            return
        with open(path, "rb") as f:
            text = f.read().decode("utf-8-sig")
        lines = [l for l in text.splitlines(True) if not l.lstrip().startswith("#")]
        rows = list(csv.reader(io.StringIO("".join(lines))))
        rows = [r for r in rows if r and any(x.strip() for x in r)]
        hdr = [h.strip().lower() for h in rows[0]]
        idx = {h: i for i, h in enumerate(hdr)}
        for r in rows[1:]:
            def g(k):
                i = idx.get(k)
                return nfc(r[i]).strip() if i is not None and i < len(r) else ""
            code = norm_text(g("code")) or ""
            if not code:
                continue
            pat = g("aliases")
            u = {
                "code": code,
                "name": norm_text(g("name")) or "",
                "parent": norm_text(g("parent")),
                "pattern": re.compile(pat, re.IGNORECASE) if pat else None,
                "vf": dt.date.fromisoformat(g("valid_from")) if g("valid_from") else None,
                "vt": dt.date.fromisoformat(g("valid_to")) if g("valid_to") else None,
            }
            self.units[code] = u
            self.order.append(code)

    def resolve_name(self, name, day=None):
        """The one unit name stands for; among several, the one valid on day."""
        low = name.lower()
        hits = [c for c in self.order if self.units[c]["name"].lower() == low]
        if not hits:
            hits = [c for c in self.order
                    if self.units[c]["pattern"] is not None and self.units[c]["pattern"].fullmatch(name)]
        if len(hits) > 1 and day is not None:
            hits = [c for c in hits if self.valid(c, day, day)]
        if len(hits) == 1:
            return hits[0]
        return None

    def ancestors(self, code):
        out = []
        seen = {code}
        u = self.units.get(code)
        while u is not None and u["parent"] and u["parent"] in self.units and u["parent"] not in seen:
            out.append(u["parent"])
            seen.add(u["parent"])
            u = self.units[u["parent"]]
        return out

    def valid(self, code, s, e):
        u = self.units[code]
        return (u["vf"] is None or u["vf"] <= e) and (u["vt"] is None or u["vt"] >= s)


# ---------------------------------------------------------------------------
# periods (SPEC 4)


def last_day(y, m):
    return (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1))


def parse_period(p, conv):
    p = p.strip()
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", p)
    if m:
        return dt.date.fromisoformat(m.group(1)), dt.date.fromisoformat(m.group(2))
    m = re.fullmatch(r"(\d{4})-(\d{2})", p)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
        if not 1 <= mo <= 12:
            raise SystemExit("bad period")
        first, last = mo, mo
    else:
        m = re.fullmatch(r"(\d{4})-[Qq]([1-4])", p)
        if m:
            y, q = int(m.group(1)), int(m.group(2))
            first, last = 3 * q - 2, 3 * q
        else:
            m = re.fullmatch(r"(\d{4})-[Hh]([12])", p)
            if m:
                y, h = int(m.group(1)), int(m.group(2))
                first, last = 6 * h - 5, 6 * h
            else:
                m = re.fullmatch(r"(\d{4})", p)
                if not m:
                    raise SystemExit("oracle: bad period %r" % p)
                y = int(m.group(1))
                first, last = 1, 12
    if conv == "cutoff":
        sy, sm = (y - 1, 12) if first == 1 else (y, first - 1)
        return dt.date(sy, sm, 15), dt.date(y, last, 14)
    return dt.date(y, first, 1), last_day(y, last)


# ---------------------------------------------------------------------------
# figures (SPEC 5)

COLUMNS = ("period,period_start,period_end,as_of,unit_code,unit_name,received_total,"
           "received_new,received_online,received_offline,carried_over,resolved_total,"
           "resolved_early,resolved_on_time,resolved_late,in_progress_total,"
           "in_progress_within,in_progress_overdue,late_total,late_with_apology,"
           "on_time_rate,on_time_rate_766,late_with_apology_rate,online_rate,"
           "online_full_process_rate,online_payment_rate,digitized_rate,e_result_rate").split(",")
COUNTS = ["received_total", "received_new", "received_online", "received_offline",
          "carried_over", "resolved_total", "resolved_early", "resolved_on_time",
          "resolved_late", "in_progress_total", "in_progress_within", "in_progress_overdue",
          "late_total", "late_with_apology",
          # helpers for rates
          "_new_full", "_new_paid", "_new_fee", "_new_dig", "_new_dig_col",
          "_res_eres", "_res_eres_col"]


def case_figures(v, S, A):
    """-> dict of 0/1 counts for one current version, or None if not counted."""
    rec = v["received_at"][0]
    end = v["finished_at"][0] if v["finished_at"] else (v["returned_at"][0] if v["returned_at"] else None)
    due = v["due_at"][0] if v["due_at"] else None
    f = dict.fromkeys(COUNTS, 0)
    carried = rec < S and (end is None or end >= S)
    new = S <= rec <= A
    if not (carried or new):
        return None
    f["carried_over"] = int(carried)
    f["received_new"] = int(new)
    f["received_total"] = 1
    if new:
        f["received_online"] = int(v["channel"] == 2)
        f["received_offline"] = int(v["channel"] in (1, 3))
        f["_new_full"] = int(v["channel"] == 2 and v["service_level"] == 4)
        f["_new_paid"] = int(v["paid_online"] is True)
        f["_new_fee"] = int(v["has_fee"] is True)
        f["_new_dig"] = int(v["digitized"] is True)
        f["_new_dig_col"] = int(v["digitized"] is not None)
    withdrawn = v["status"] == 7
    resolved = end is not None and S <= end <= A
    late = False
    if resolved:
        f["resolved_total"] = 1
        if not withdrawn and due is not None and end < due:
            f["resolved_early"] = 1
        elif withdrawn or due is None or end == due:
            f["resolved_on_time"] = 1
        else:
            f["resolved_late"] = 1
            late = True
        f["_res_eres"] = int(v["e_result"] is True)
        f["_res_eres_col"] = int(v["e_result"] is not None)
    in_prog = end is None or end > A
    if in_prog:
        f["in_progress_total"] = 1
        paused = v["status"] in (5, 6) and end is None
        if not paused and due is not None and due < A:
            f["in_progress_overdue"] = 1
            late = True
        else:
            f["in_progress_within"] = 1
    if late:
        f["late_total"] = 1
        if v["apology"] is True or v["apology_at"] is not None:
            f["late_with_apology"] = 1
    return f


def rate(num, den):
    if den == 0:
        return ""
    # half away from zero on the exact ratio, as Excel's ROUND
    hundredths = (20000 * num + den) // (2 * den)
    return "%d.%02d" % (hundredths // 100, hundredths % 100)


def row_out(period, S, E, A, code, name, c, keys=None):
    """keys: the row's key columns; default (code, name) of the units table."""
    out = [period, S.isoformat(), E.isoformat(), A.isoformat()]
    out += [code, name] if keys is None else keys
    out += [str(c[k]) for k in COLUMNS[6:20]]
    out.append(rate(c["resolved_early"] + c["resolved_on_time"], c["resolved_total"]))
    out.append(rate(c["resolved_early"] + c["resolved_on_time"] + c["in_progress_within"],
                    c["resolved_total"] + c["in_progress_total"]))
    out.append(rate(c["late_with_apology"], c["late_total"]))
    out.append(rate(c["received_online"], c["received_new"]))
    out.append(rate(c["_new_full"], c["received_new"]))
    out.append(rate(c["_new_paid"], c["_new_fee"]))
    out.append(rate(c["_new_dig"], c["received_new"]) if c["_new_dig_col"] else "")
    out.append(rate(c["_res_eres"], c["resolved_total"]) if c["_res_eres_col"] else "")
    return out


def assign_units(store, reg):
    """The unit each stored version is counted under (SPEC 3), and the name of a unit."""
    def unit_of(v):
        if v["unit_code"] is not None:
            return v["unit_code"]
        r = reg.resolve_name(v["unit_name"], v["received_at"][0])
        return r if r is not None else v["unit_name"]

    names = {}   # non-registry code -> set of names seen
    for lst in store.versions.values():
        for v in lst:
            u = unit_of(v)
            v["_unit"] = u
            if v["unit_name"] is not None:
                names.setdefault(u, set()).add(v["unit_name"])

    def unit_name(code):
        if code in reg.units:
            return reg.units[code]["name"]
        s = names.get(code)
        return min(s) if s else ""
    return unit_name


def scope_of(store, reg, unit):
    """SPEC 11: the units of unit and its descendants in the registry, as a predicate;
    None when unit is None.  An unknown code exits 64."""
    if unit is None:
        return None
    known = set(reg.units) | {v["_unit"] for lst in store.versions.values() for v in lst}
    if unit not in known:
        sys.stderr.write("oracle: --unit %s: unknown\n" % unit)
        sys.exit(64)
    return lambda code: code == unit or (code in reg.units and unit in reg.ancestors(code))


def counted_cases(store, reg, S, A, scope):
    """(version, figures) of every counted current version within the scope."""
    for v in store.current_versions():
        if v["status"] in (1, 3) or v["received_at"][0] > A:
            continue
        f = case_figures(v, S, A)
        if f is None:
            continue
        if scope is not None and not scope(v["_unit"]):
            continue
        yield v, f


def report_units(store, reg, period, S, E, A, w, unit=None):
    unit_name = assign_units(store, reg)
    scope = scope_of(store, reg, unit)
    rows = {}
    total = dict.fromkeys(COUNTS, 0)

    def add(code, f):
        c = rows.setdefault(code, dict.fromkeys(COUNTS, 0))
        for k in COUNTS:
            c[k] += f[k]

    for code in reg.order:
        if reg.valid(code, S, E) and (scope is None or scope(code)):
            rows.setdefault(code, dict.fromkeys(COUNTS, 0))
    for v, f in counted_cases(store, reg, S, A, scope):
        u = v["_unit"]
        add(u, f)
        for anc in reg.ancestors(u) if u in reg.units else []:
            if scope is None or scope(anc):
                add(anc, f)
        for k in COUNTS:
            total[k] += f[k]
    if unit is not None:
        rows.setdefault(unit, dict.fromkeys(COUNTS, 0))   # "that unit" is always listed
    for code in sorted(rows):
        c = rows[code]
        if not (code in reg.units and reg.valid(code, S, E)) and c["received_total"] == 0 \
                and code != unit:
            continue
        w.writerow(row_out(period, S, E, A, code, unit_name(code), c))
    w.writerow(row_out(period, S, E, A, "ALL", "Tổng cộng", total))


# ---------------------------------------------------------------------------
# breakdowns (SPEC 11)

FIELD_COLUMNS = COLUMNS[:4] + ["field_name"] + COLUMNS[6:]
PROC_COLUMNS = COLUMNS[:4] + ["procedure_code", "procedure_name"] + COLUMNS[6:]


def byte_key(k):
    """Rows sorted by key in byte order, the empty key after the others."""
    return (k == "", k.encode("utf-8"))


def report_by(store, reg, by, period, S, E, A, w, unit=None):
    """One row per field, or per procedure, of the counted cases (of --unit's
    units only, SPEC 11); ALL last."""
    assign_units(store, reg)
    scope = scope_of(store, reg, unit)
    groups = {}    # key -> counts
    names = {}     # procedure key -> {name: counted cases}
    coded = set()  # procedure keys that came from a procedure_code
    total = dict.fromkeys(COUNTS, 0)
    for v, f in counted_cases(store, reg, S, A, scope):
        for k in COUNTS:
            total[k] += f[k]
        if by == "field":
            # "the field name after NFC, trimming and white-space folding"
            key = v["field_name"] or ""
        else:
            # "the procedure code when present, else the procedure name"
            key = v["procedure_code"] or v["procedure_name"] or ""
            if v["procedure_code"]:
                coded.add(key)
            if v["procedure_name"]:
                tally = names.setdefault(key, {})
                tally[v["procedure_name"]] = tally.get(v["procedure_name"], 0) + 1
        c = groups.setdefault(key, dict.fromkeys(COUNTS, 0))
        for k in COUNTS:
            c[k] += f[k]
    w.writerow(FIELD_COLUMNS if by == "field" else PROC_COLUMNS)
    for key in sorted(groups, key=byte_key):
        if by == "field":
            keys = [key]
        else:
            tally = names.get(key, {})
            # the most frequent name; ties: the smallest in byte order
            name = min(tally, key=lambda n: (-tally[n], n.encode("utf-8"))) if tally else ""
            keys = [key if key in coded else "", name]
        w.writerow(row_out(period, S, E, A, None, None, groups[key], keys))
    w.writerow(row_out(period, S, E, A, None, None, total,
                       ["ALL"] if by == "field" else ["ALL", ""]))




# the cases behind the numbers (SPEC 12)

CASE_COLUMNS = ("period,unit_code,unit_name,case_id,procedure_code,procedure_name,field_name,"
                "channel,status,received_at,due_at,end_at,bucket,carried_over,days_late,"
                "apology").split(",")
ONLY = set(COUNTS[:14]) | {"all", "late_without_apology"}
ONLY_ALIAS = {"late": "late_total", "overdue": "in_progress_overdue"}


def report_cases(store, reg, period, S, A, w, unit=None, only="all"):
    only = ONLY_ALIAS.get(only, only)
    if only not in ONLY:
        sys.stderr.write("oracle: --only %s: unknown\n" % only)
        sys.exit(64)
    unit_name = assign_units(store, reg)
    scope = scope_of(store, reg, unit)
    rows = []
    for v, f in counted_cases(store, reg, S, A, scope):
        if only == "late_without_apology":
            if not (f["late_total"] and not f["late_with_apology"]):
                continue
        elif only != "all" and not f[only]:
            continue
        end = v["finished_at"][0] if v["finished_at"] else (
            v["returned_at"][0] if v["returned_at"] else None)
        due = v["due_at"][0] if v["due_at"] else None
        # exactly one of the five buckets (SPEC 5's identities)
        bucket = [b for b in ("resolved_early", "resolved_on_time", "resolved_late",
                              "in_progress_within", "in_progress_overdue") if f[b]]
        assert len(bucket) == 1, (v["case_id"], bucket)
        bucket = bucket[0]
        days = None
        if bucket == "resolved_late":
            days = (end - due).days
        elif bucket == "in_progress_overdue":
            days = (A - due).days
        u = v["_unit"]
        rows.append((u, days, v["case_id"], [
            period, u, unit_name(u), v["case_id"],
            v["procedure_code"] or "", v["procedure_name"] or "", v["field_name"] or "",
            str(v["channel"]), str(v["status"]), v["received_at"][0].isoformat(),
            due.isoformat() if due else "", end.isoformat() if end else "", bucket,
            str(f["carried_over"]), "" if days is None else str(days),
            "1" if (v["apology"] is True or v["apology_at"] is not None) else "0"]))
    # unit code, then days late descending (none last), then case id
    rows.sort(key=lambda r: (r[0], 0 if r[1] is not None else 1, -(r[1] or 0), r[2]))
    w.writerow(CASE_COLUMNS)
    for r in rows:
        w.writerow(r[3])
def trend_months(E, conv):
    """SPEC 13: the 12 months (label, start, end) that end with the month holding
    day E, in the convention, oldest first.  A cut-off month M runs from the 15th
    of M-1 to the 14th of M (SPEC 4), so a day from the 15th on is in month M+1."""
    y, m = E.year, E.month
    if conv == "cutoff" and E.day >= 15:
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    out = []
    for _ in range(12):
        label = "%04d-%02d" % (y, m)
        S, E2 = parse_period(label, conv)
        out.append((label, S, E2))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out[::-1]


TREND_COLUMNS = ["month", "month_start", "month_end", "as_of"] + COLUMNS[4:]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--period")
    ap.add_argument("--as-of")
    ap.add_argument("--convention", default="calendar", choices=["calendar", "cutoff"])
    ap.add_argument("--units")
    ap.add_argument("--table", default="units",
                    choices=["units", "trend", "cases", "rejects", "files"])
    ap.add_argument("--by", default="unit", choices=["unit", "field", "procedure"])
    ap.add_argument("--unit")
    ap.add_argument("--only", default="all")
    ap.add_argument("--no-procedure", action="store_true",
                    help="leave procedure_code/name and field_name empty (a store without them)")
    ap.add_argument("files", nargs="*")
    a = ap.parse_args()
    store = Store()
    for p in a.files:
        store.ingest(p)
    sys.stdout.reconfigure(encoding="utf-8", newline="\n")
    w = csv.writer(sys.stdout, lineterminator="\n")
    if a.table == "files":
        w.writerow(["file", "rows_read", "accepted", "duplicate", "quarantined"])
        for f in store.files:
            w.writerow([f["file"], f["rows_read"], f["accepted"], f["duplicate"], f["quarantined"]])
        return
    if a.table == "rejects":
        w.writerow(["file", "line", "reason", "column", "detail"])
        for r in store.rejects:
            w.writerow(r)
        return
    if not a.period:
        ap.error("--period is required for --table units")
    S, E = parse_period(a.period, a.convention)
    if a.as_of:
        A = dt.date.fromisoformat(a.as_of)
    else:
        t = os.environ.get("MOTCUA_TODAY")
        today = dt.date.fromisoformat(t) if t else dt.date.today()
        A = E if today > E else today
    reg = Registry(a.units)
    if a.table == "trend":
        # each month is its own period, as of the earlier of its last day and P's as-of
        w.writerow(TREND_COLUMNS)
        for label, S_m, E_m in trend_months(E, a.convention):
            report_units(store, reg, label, S_m, E_m, min(E_m, A), w, a.unit)
        return
    label = a.period.strip()
    if ".." not in label:
        label = label.upper()      # 2025-q3 -> 2025-Q3
    if a.table == "cases":
        if a.no_procedure:
            for lst in store.versions.values():
                for v in lst:
                    v["procedure_code"] = v["procedure_name"] = v["field_name"] = None
        report_cases(store, reg, label, S, A, w, a.unit, a.only)
        return
    if a.by != "unit":
        report_by(store, reg, a.by, label, S, E, A, w, a.unit)
        return
    w.writerow(COLUMNS)
    report_units(store, reg, label, S, E, A, w, a.unit)


if __name__ == "__main__":
    main()
