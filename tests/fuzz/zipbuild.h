/*
 * zipbuild.h -- archives made in memory with libzip, for the tests and the
 * fuzz target of the .xlsx reader (tests/unit/test_xlsx.c,
 * tests/fuzz/fuzz_xlsx.c): a workbook from the XML of its parts, and the
 * hostile archives a reader must refuse.  Header-only, like harness.h.
 */
#ifndef MC_FUZZ_ZIPBUILD_H
#define MC_FUZZ_ZIPBUILD_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

typedef struct zb_entry {
    const char *name;
    const void *data;
    size_t len;         /* 0: strlen(data) */
    int store;          /* 1: stored, 0: deflated */
} zb_entry;

/* The archive of the entries, malloc'd, its size in *n; NULL on failure. */
static inline unsigned char *zb_build(const zb_entry *e, size_t ne, size_t *n)
{
    zip_error_t ze;
    zip_error_init(&ze);
    unsigned char *out = NULL;
    *n = 0;
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (!src)
        return NULL;
    zip_source_keep(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    if (!za)
        goto done;
    for (size_t i = 0; i < ne; i++) {
        size_t len = e[i].len ? e[i].len : strlen(e[i].data);
        zip_source_t *s = zip_source_buffer(za, e[i].data, len, 0);
        zip_int64_t idx = s ? zip_file_add(za, e[i].name, s, ZIP_FL_ENC_UTF_8) : -1;
        if (idx < 0 || zip_set_file_compression(za, (zip_uint64_t)idx,
                                                e[i].store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0)) {
            if (s && idx < 0)
                zip_source_free(s);
            zip_discard(za);
            goto done;
        }
    }
    if (zip_close(za) != 0) {
        zip_discard(za);
        goto done;
    }
    zip_stat_t st;
    if (zip_source_stat(src, &st) == 0 && zip_source_open(src) == 0) {
        out = malloc(st.size ? st.size : 1);
        if (out && zip_source_read(src, out, st.size) != (zip_int64_t)st.size) {
            free(out);
            out = NULL;
        }
        *n = st.size;
        zip_source_close(src);
    }
done:
    zip_source_free(src);
    zip_error_fini(&ze);
    return out;
}

static const char zb_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/styles\" Target=\"styles.xml\"/>"
    "</Relationships>";

static const char zb_workbook[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<workbookPr/><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets>"
    "</workbook>";

/* A one-sheet workbook: the sheet's XML, and the shared strings and styles
 * when not NULL; workbook NULL for the one above. */
static inline unsigned char *zb_workbook_of(const char *workbook, const char *sheet, const char *sst,
                                     const char *styles, size_t *n)
{
    zb_entry e[5];
    size_t k = 0;
    e[k++] = (zb_entry){"xl/workbook.xml", workbook ? workbook : zb_workbook, 0, 0};
    e[k++] = (zb_entry){"xl/_rels/workbook.xml.rels", zb_rels, 0, 0};
    if (sheet)
        e[k++] = (zb_entry){"xl/worksheets/sheet1.xml", sheet, 0, 0};
    if (sst)
        e[k++] = (zb_entry){"xl/sharedStrings.xml", sst, 0, 0};
    if (styles)
        e[k++] = (zb_entry){"xl/styles.xml", styles, 0, 0};
    return zb_build(e, k, n);
}

/* The shared strings and styles a fuzzed sheet is read with: a header's
 * labels, and cell formats 1 (a date), 2 (date and time), 3 (a custom
 * date), 4 (a number with d and m in quotes). */
static const char zb_fuzz_sst[] =
    "<sst><si><t>MaHoSo</t></si><si><t>MaDonVi</t></si><si><t>TrangThaiHoSo</t></si>"
    "<si><t>NgayTiepNhan</t></si><si><r><t>Đ</t></r><r><t>ang xử lý</t></r></si></sst>";
static const char zb_fuzz_styles[] =
    "<styleSheet><numFmts><numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/>"
    "<numFmt numFmtId=\"165\" formatCode=\"0 &quot;dm&quot;\"/></numFmts>"
    "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"22\"/>"
    "<xf numFmtId=\"164\"/><xf numFmtId=\"165\"/></cellXfs></styleSheet>";

/*
 * A fuzz input as the workbook it stands for (tests/fuzz/fuzz_xlsx.c), by
 * its first byte's low two bits: 0 the input is the file itself (an .xlsx
 * starts with 'P', 0x50); 1 the rest is the sheet's XML; 2 the sheet and
 * the shared strings, split at the first NUL; 3 the styles and the sheet,
 * split likewise.  Returns a malloc'd archive (size in *out_n), or NULL
 * for mode 0 or when it cannot be built.
 */
static inline unsigned char *zb_fuzz_input(const uint8_t *data, size_t n, size_t *out_n)
{
    if (n == 0 || (data[0] & 3) == 0)
        return NULL;
    int mode = data[0] & 3;
    size_t len = n - 1;
    char *rest = malloc(len + 2);
    if (!rest)
        return NULL;
    memcpy(rest, data + 1, len);
    rest[len] = rest[len + 1] = '\0';
    char *a = rest, *b = memchr(rest, 0, len + 1);
    b = b && b < rest + len ? b + 1 : rest + len;  /* "" when no NUL */
    unsigned char *z;
    size_t alen = strnlen(a, len), blen = rest + len - b;
    zb_entry e[5] = {{"xl/workbook.xml", zb_workbook, 0, 0},
                     {"xl/_rels/workbook.xml.rels", zb_rels, 0, 0}};
    if (mode == 1) {
        e[2] = (zb_entry){"xl/worksheets/sheet1.xml", a, len ? len : 0, 0};
        e[3] = (zb_entry){"xl/sharedStrings.xml", zb_fuzz_sst, 0, 0};
        e[4] = (zb_entry){"xl/styles.xml", zb_fuzz_styles, 0, 0};
    } else if (mode == 2) {
        e[2] = (zb_entry){"xl/worksheets/sheet1.xml", a, alen, 0};
        e[3] = (zb_entry){"xl/sharedStrings.xml", b, blen, 0};
        e[4] = (zb_entry){"xl/styles.xml", zb_fuzz_styles, 0, 0};
    } else {
        e[2] = (zb_entry){"xl/styles.xml", a, alen, 0};
        e[3] = (zb_entry){"xl/worksheets/sheet1.xml", b, blen, 0};
        e[4] = (zb_entry){"xl/sharedStrings.xml", zb_fuzz_sst, 0, 0};
    }
    /* an empty part is an entry of 0 bytes (len 0 would mean strlen) */
    for (int i = 2; i < 5; i++)
        if (e[i].len == 0)
            e[i].data = "";
    z = zb_build(e, 5, out_n);
    free(rest);
    return z;
}

#endif
