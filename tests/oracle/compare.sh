#!/usr/bin/env bash
# compare.sh EXPECTED.csv ACTUAL.csv
# Compares two report CSVs cell by cell and prints every difference.
# Rows are keyed by case_id (cases), unit_code (units table), month+unit_code
# (trend), field_name (by field), procedure_code+procedure_name (by procedure),
# file+line (rejects) or file (files).
# Ignored columns: detail, sha256, loaded_at, conflicts, and any column that is
# not present in both files (reported once), and those named in $COMPARE_IGNORE
# (comma-separated, e.g. COMPARE_IGNORE=column).  Exit 0 if equal, 1 if not, 2 on usage.
set -u
if [ $# -ne 2 ]; then echo "usage: compare.sh EXPECTED.csv ACTUAL.csv" >&2; exit 2; fi
exec python3 - "$1" "$2" <<'PY'
import csv, sys
import os
IGN = {"detail", "sha256", "loaded_at", "conflicts"} | set(filter(None, os.environ.get("COMPARE_IGNORE", "").split(",")))
def load(p):
    with open(p, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]
eh, er = load(sys.argv[1])
ah, ar = load(sys.argv[2])
cols = [c for c in eh if c in ah and c not in IGN]
ndiff = 0
for c in eh:
    if c not in ah and c not in IGN:
        print("column %s: missing in actual" % c); ndiff += 1
for c in ah:
    if c not in eh and c not in IGN:
        print("column %s: not in expected (ignored)" % c)
if "case_id" in eh:
    keycols = ["case_id"]
elif "month" in eh:
    keycols = ["month", "unit_code"]
elif "unit_code" in eh:
    keycols = ["unit_code"]
elif "field_name" in eh:
    keycols = ["field_name"]
elif "procedure_code" in eh:
    keycols = ["procedure_code", "procedure_name"]
elif "line" in eh:
    keycols = ["file", "line"]
else:
    keycols = ["file"]
def index(h, rows, name):
    out, order = {}, []
    for r in rows:
        d = dict(zip(h, r))
        if len(r) != len(h):
            print("%s: row with %d fields (header has %d): %r" % (name, len(r), len(h), r))
        k = tuple(d.get(c, "") for c in keycols)
        if k in out:
            print("%s: key %s repeated" % (name, "/".join(k)))
        out[k] = d
        order.append(k)
    return out, order
E, eo = index(eh, er, "expected")
A, ao = index(ah, ar, "actual")
for k in eo:
    ks = "/".join(k)
    if k not in A:
        print("%s: row missing in actual" % ks); ndiff += 1; continue
    for c in cols:
        if E[k].get(c, "") != A[k].get(c, ""):
            print("%s %s: expected %r actual %r" % (ks, c, E[k].get(c, ""), A[k].get(c, "")))
            ndiff += 1
for k in ao:
    if k not in E:
        print("%s: extra row in actual" % "/".join(k)); ndiff += 1
common_e = [k for k in eo if k in A]
common_a = [k for k in ao if k in E]
if common_e != common_a:
    print("row order differs"); ndiff += 1
print("%d difference(s)" % ndiff)
sys.exit(1 if ndiff else 0)
PY
