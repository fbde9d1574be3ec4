#!/usr/bin/python3
"""make-xls-fixtures.py -- the binary workbook fixtures of the .xls reader
(etl/xls.c), made ONCE with LibreOffice and checked in; no test runs this.

Needs LibreOffice and its Python bridge (Debian: libreoffice-calc,
libreoffice-writer, python3-uno), run with the system python3:

    /usr/bin/python3 tests/tools/make-xls-fixtures.py

It starts its own headless soffice (private profile in a temporary folder,
its own pipe), writes the files below, and stops it.  Made again, the files
differ in their bytes (LibreOffice stamps them): the SHA-256 that
tests/e2e/expected/files.csv records for the .xls export changes with them.

  fixtures/exports/dvcqg-cua-tung-20251001.xls
      fixtures/exports/dvcqg-cua-tung-20251001.csv as an "Xuat Excel"
      workbook: a first sheet "Tong hop" (a summary, no header), then the
      rows on a sheet "Danh sach", header in row 1 so the sheet's row numbers
      are the CSV's line numbers.  Dates typed as date cells (date-only
      values with a date format, the others with a date-time format), codes
      as numbers, the rest as text (phone numbers keep their leading 0);
      a value that is not a real date (31/09/2025) stays text, as it would.
  tests/unit/data/xls/types.xls
      every cell type FreeXL reports, and sheets to walk (unit tests).
  fixtures/bad/password.xls          BIFF8 with a password (FILEPASS, RC4)
  (fixtures/bad/password-xlsx.xls, an .xlsx with a password -- an OLE2 file
   holding EncryptionInfo/EncryptedPackage -- is not made here: LibreOffice
   7.4 saves an .xlsx without its password.  tests/tools/make-encrypted-xlsx.js
   made it, with npm's xlsx-populate:
     npm install --prefix /tmp/x xlsx-populate
     NODE_PATH=/tmp/x/node_modules node tests/tools/make-encrypted-xlsx.js \
         fixtures/bad/password-xlsx.xls)
  fixtures/bad/word.xls              an OLE2 file holding a "WordDocument"
                                     stream and no workbook (see below)
  fixtures/bad/xml-spreadsheet-2003.xls  Excel's "XML Spreadsheet 2003"
"""
import csv
import datetime
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def start_office():
    profile = tempfile.mkdtemp(prefix="mkxls-lo-")
    pipe = "mkxls%d" % os.getpid()
    proc = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--nologo", "--norestore",
         "-env:UserInstallation=file://" + profile,
         "--accept=pipe,name=%s;urp;" % pipe],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(120):
        try:
            ctx = resolver.resolve(
                "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except Exception:
            time.sleep(0.5)
    else:
        proc.kill()
        sys.exit("soffice did not start")
    desktop = ctx.ServiceManager.createInstanceWithContext(
        "com.sun.star.frame.Desktop", ctx)
    return proc, profile, desktop


def new_doc(desktop, kind="scalc"):
    return desktop.loadComponentFromURL(
        "private:factory/" + kind, "_blank", 0, (prop("Hidden", True),))


def fmt(doc, code):
    nf = doc.getNumberFormats()
    locale = uno.createUnoStruct("com.sun.star.lang.Locale")
    key = nf.queryKey(code, locale, False)
    if key == -1:
        key = nf.addNew(code, locale)
    return key


def save(doc, path, filt, password=None):
    args = [prop("FilterName", filt), prop("Overwrite", True)]
    if password:
        args.append(prop("Password", password))
    doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(path)), tuple(args))
    print("wrote", os.path.relpath(path, ROOT))


EPOCH = datetime.datetime(1899, 12, 30)
DATE_RE = re.compile(r"^(\d\d)/(\d\d)/(\d{4})(?: (\d\d):(\d\d):(\d\d))?$")
DATE_COLS = {"NgayTiepNhan", "NgayHenTra", "NgayHenTraMoi", "NgayKetThucXuLy",
             "NgayTra", "NgayXinLoi", "NgayCapNhat"}
CODE_COLS = {"KenhThucHien", "MucDo", "TrangThaiHoSo", "CoXinLoi", "CoPhiLePhi",
             "DuocThanhToanTrucTuyen", "HoSoCoThanhPhanSoHoa", "CoKetQuaDienTu"}


def serial(m):
    d, mo, y = int(m[1]), int(m[2]), int(m[3])
    try:
        t = datetime.datetime(y, mo, d, int(m[4] or 0), int(m[5] or 0), int(m[6] or 0))
    except ValueError:
        return None                 # 31/09: not a date, stays text
    delta = t - EPOCH
    return delta.days + delta.seconds / 86400.0


def export_xls(desktop):
    src = os.path.join(ROOT, "fixtures/exports/dvcqg-cua-tung-20251001.csv")
    with open(src, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    doc = new_doc(desktop)
    sheets = doc.getSheets()
    sheets.insertNewByName("Danh sách", 1)
    summary = sheets.getByIndex(0)
    summary.setName("Tổng hợp")
    summary.getCellByPosition(0, 0).setString("TỔNG HỢP HỒ SƠ XÃ CỬA TÙNG")
    summary.getCellByPosition(0, 2).setString("Tổng số hồ sơ")
    summary.getCellByPosition(1, 2).setValue(len(rows) - 1)
    summary.getCellByPosition(0, 3).setString("Ngày xuất")
    summary.getCellByPosition(1, 3).setValue(serial(DATE_RE.match("01/10/2025")))
    summary.getCellByPosition(1, 3).NumberFormat = fmt(doc, "DD/MM/YYYY")
    sheet = sheets.getByIndex(1)
    f_date = fmt(doc, "DD/MM/YYYY")
    f_datetime = fmt(doc, "DD/MM/YYYY HH:MM:SS")
    header = rows[0]
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v == "":
                continue
            cell = sheet.getCellByPosition(c, r)
            col = header[c]
            m = DATE_RE.match(v) if r and col in DATE_COLS else None
            s = serial(m) if m else None
            if s is not None:
                cell.setValue(s)
                cell.NumberFormat = f_datetime if m[4] else f_date
            elif r and col in CODE_COLS and v.isdigit():
                cell.setValue(int(v))
            else:
                cell.setString(v)
    save(doc, os.path.join(ROOT, "fixtures/exports/dvcqg-cua-tung-20251001.xls"), "MS Excel 97")
    doc.close(True)


def types_xls(desktop):
    """Sheet "Kiểu" (types): row 1 a header, then one row per case; sheet
    "Trống" (empty); sheet "Hai" (two rows, a gap of empty rows and cells)."""
    doc = new_doc(desktop)
    sheets = doc.getSheets()
    sheets.insertNewByName("Trống", 1)
    sheets.insertNewByName("Hai", 2)
    s = sheets.getByIndex(0)
    s.setName("Kiểu")
    put = lambda sh, c, r, v: (sh.getCellByPosition(c, r).setString(v) if isinstance(v, str)
                               else sh.getCellByPosition(c, r).setValue(v))
    for c, h in enumerate(["kind", "value", "tail"]):
        put(s, c, 0, h)
    cases = [
        ("int", 42, None),
        ("negative", -7, None),
        ("double", 2.5, None),
        ("tenth", 0.1, None),
        ("big", 123456789012.0, None),
        ("third", 1.0 / 3.0, None),
        ("date", serial(DATE_RE.match("02/07/2025")), "DD/MM/YYYY"),
        ("datetime", serial(DATE_RE.match("02/07/2025 08:15:30")), "DD/MM/YYYY HH:MM:SS"),
        ("time", 0.5 + 1.0 / 86400 * 5, "HH:MM:SS"),
        ("text", "Đăng ký khai sinh", None),
        ("code", "000.01.72.H56", None),
        ("formula", "=6*7", None),
        ("empty", None, None),
    ]
    for r, (kind, v, nf) in enumerate(cases, start=1):
        put(s, 0, r, kind)
        if isinstance(v, str) and v.startswith("="):
            s.getCellByPosition(1, r).setFormula(v)
        elif v is not None:
            put(s, 1, r, v)
            if nf:
                s.getCellByPosition(1, r).NumberFormat = fmt(doc, nf)
    put(s, 2, 1, "x")             # a third column in the first data row only
    h = sheets.getByIndex(2)
    put(h, 1, 0, "b1")            # A1 empty: the row starts with an empty cell
    put(h, 0, 3, "a4")            # rows 2-3 empty
    put(h, 3, 3, "d4")
    save(doc, os.path.join(ROOT, "tests/unit/data/xls/types.xls"), "MS Excel 97")
    doc.close(True)


def refusals(desktop):
    doc = new_doc(desktop)
    sh = doc.getSheets().getByIndex(0)
    for c, h in enumerate(["MaHoSo", "MaDonVi", "TrangThaiHoSo", "NgayTiepNhan"]):
        sh.getCellByPosition(c, 0).setString(h)
    for c, v in enumerate(["000.00.72.H56-250702-0001", "000.01.72.H56", "10", "02/07/2025"]):
        sh.getCellByPosition(c, 1).setString(v)
    bad = os.path.join(ROOT, "fixtures/bad")
    save(doc, os.path.join(bad, "password.xls"), "MS Excel 97", password="motcua")
    save(doc, os.path.join(bad, "xml-spreadsheet-2003.xls"), "MS Excel 2003 XML")
    # No Writer here: a Word-like OLE2 file is this workbook with its
    # "Workbook" stream renamed "WordDocument" in the OLE2 directory (an
    # entry: 64 bytes of UTF-16LE name, then its byte length with the NUL).
    plain = os.path.join(bad, "word.xls")
    save(doc, plain, "MS Excel 97")
    doc.close(True)
    with open(plain, "rb") as f:
        data = bytearray(f.read())
    old = "Workbook".encode("utf-16-le")
    at = next(i for i in range(512, len(data), 128)
              if data[i:i + len(old) + 2] == old + b"\0\0" and data[i + 64] == len(old) + 2)
    name = "WordDocument".encode("utf-16-le") + b"\0\0"
    data[at:at + 64] = name + bytes(64 - len(name))
    data[at + 64] = len(name)
    with open(plain, "wb") as f:
        f.write(data)
    print("renamed its Workbook stream to WordDocument")


def main():
    os.makedirs(os.path.join(ROOT, "tests/unit/data/xls"), exist_ok=True)
    proc, profile, desktop = start_office()
    try:
        export_xls(desktop)
        types_xls(desktop)
        refusals(desktop)
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
