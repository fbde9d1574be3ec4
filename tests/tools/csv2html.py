#!/usr/bin/env python3
"""csv2html.py -- repackage a CSV export as an HTML table saved as .xls, the
way several one-stop systems' "export to Excel" buttons do (SPEC 10.1), for
the end-to-end tests (tests/e2e/cases/14-xls-html.sh).

    python3 tests/tools/csv2html.py EXPORT.csv[.gz] > EXPORT.xls

Reads plain or gzip (by magic bytes), UTF-8 with or without a BOM; skips an
Excel "sep=X" first line (it sets the delimiter, as motcua does), else the
delimiter is the most frequent of , ; and tab in the header line.  Writes one
<tr> per CSV record, blank records included (an empty <tr>), the header in
<th> cells, every value HTML-escaped, in an Excel-style page declaring UTF-8.
So a row's <tr> number is its CSV line number, less one after a sep= line
(and less the extra lines of any quoted line breaks before it).
"""
import csv
import gzip
import html
import io
import sys


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: csv2html.py EXPORT.csv[.gz] > EXPORT.xls")
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    text = data.decode("utf-8-sig")
    first, _, rest = text.partition("\n")
    delim = None
    if first.rstrip("\r").lower().startswith("sep=") and len(first.rstrip("\r")) == 5:
        delim = first.rstrip("\r")[4]
        text = rest
        first, _, _ = text.partition("\n")
    if delim is None:
        counts = {d: first.count(d) for d in ",;\t"}
        delim = ","
        if counts[";"] > counts[","] and counts[";"] >= counts["\t"]:
            delim = ";"
        elif counts["\t"] > counts[","] and counts["\t"] > counts[";"]:
            delim = "\t"
    out = sys.stdout
    out.write('<html xmlns:o="urn:schemas-microsoft-com:office:office" '
              'xmlns:x="urn:schemas-microsoft-com:office:excel">\n'
              '<head>\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
              '<title>Danh s&aacute;ch h&#7891; s&#417;</title>\n</head>\n<body>\n'
              '<table border="1">\n')
    for i, rec in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delim)):
        tag = "th" if i == 0 else "td"
        cells = "".join("<%s>%s</%s>" % (tag, html.escape(v, quote=False), tag) for v in rec)
        out.write("<tr>%s</tr>\n" % cells)
    out.write("</table>\n</body>\n</html>\n")


if __name__ == "__main__":
    main()
