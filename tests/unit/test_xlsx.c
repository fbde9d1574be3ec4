/*
 * test_xlsx.c -- the .xlsx reader (etl/xlsx.c) through mc_read_file and
 * mc_read_mem: real workbooks written here with libxlsxwriter (shared
 * strings, dates in date formats, merged cells, several and hidden sheets),
 * parts written by hand and zipped with libzip (1904 dates, custom formats,
 * inline and rich strings, cell types, missing references), the hostile
 * archives it must refuse, and ingest's handling of workbook rows (padding,
 * the next sheet).
 *
 * Checks go through a transcript: every callback as one line
 * ("S name", "H line: a|b|c", "R line: ...", "B line: reason: detail").
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "etl/ingest.h"
#include "etl/reader.h"
#include "etl/store.h"
#include "etl/xlsx.h"
#include "tests/fuzz/zipbuild.h"

#define BAD "../../fixtures/bad/"
#define EXPORTS "../../fixtures/exports/"

/* ------------------------------------------------------------ helpers */

typedef struct {
    char t[16384];
    size_t len;
    int next_unless;        /* on_header: NEXT_SHEET unless the first cell is "MaHoSo" */
    int next_always;        /* on_header: always NEXT_SHEET */
} rec;

static void putf(rec *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(rec *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(r->t + r->len, sizeof r->t - r->len, fmt, ap);
    va_end(ap);
    cr_assert(w >= 0 && (size_t)w < sizeof r->t - r->len, "transcript overflow");
    r->len += (size_t)w;
}

static void put_row(rec *r, char kind, long line, const mc_field *f, size_t n)
{
    putf(r, "%c %ld:", kind, line);
    for (size_t i = 0; i < n; i++)
        putf(r, "%s%.*s", i ? "|" : " ", (int)f[i].len, f[i].p);
    putf(r, "\n");
}

static int on_sheet(void *ctx, const char *name, mc_error *err)
{
    (void)err;
    putf(ctx, "S %s\n", name);
    return 0;
}

static int on_header(void *ctx, long line, const mc_field *f, size_t n, mc_error *err)
{
    rec *r = ctx;
    put_row(r, 'H', line, f, n);
    if (r->next_always || (r->next_unless && !(n && f[0].len == 6 && !memcmp(f[0].p, "MaHoSo", 6)))) {
        mc_error_set(err, MC_EXIT_DATA, "no header on this sheet (line %ld)", line);
        return MC_READER_NEXT_SHEET;
    }
    return 0;
}

static int on_row(void *ctx, long line, const mc_field *f, size_t n, mc_error *err)
{
    (void)err;
    put_row(ctx, 'R', line, f, n);
    return 0;
}

static int on_bad(void *ctx, long line, mc_reason reason, const char *detail, mc_error *err)
{
    (void)err;
    putf(ctx, "B %ld: %s: %s\n", line, mc_reason_name(reason), detail);
    return 0;
}

static const mc_reader_cb CB = {
    .on_sheet = on_sheet, .on_header = on_header, .on_row = on_row, .on_bad_row = on_bad};

/* Read buf through mc_read_mem; the status, transcript in r. */
static int read_mem(const void *buf, size_t n, const mc_reader_opts *o, rec *r,
                    mc_reader_info *info, mc_error *err)
{
    return mc_read_mem("t.xlsx", buf, n, o, &CB, r, info, err);
}

static char tmpdir[64];

static void make_dir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/mc-xlsx-XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
}

static void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    cr_assert_eq(system(cmd), 0);
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)len + 1);
    cr_assert_not_null(b);
    cr_assert_eq(fread(b, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *n = (size_t)len;
    return b;
}

#define SHEET_HEAD                                                                  \
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"               \
    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">" \
    "<sheetData>"
#define SHEET_TAIL "</sheetData></worksheet>"

/* ------------------------------------------- workbooks by libxlsxwriter */

/* The export of the tests below, as a desk's system writes it. */
static void write_export(const char *path)
{
    lxw_workbook *wb = workbook_new(path);
    cr_assert_not_null(wb);
    lxw_worksheet *cover = workbook_add_worksheet(wb, "Bìa");
    worksheet_write_string(cover, 0, 0, "DANH SÁCH HỒ SƠ", NULL);
    worksheet_hide(cover);      /* hidden sheets are read like the others */
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Hồ sơ");
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "dd/mm/yyyy");
    lxw_format *dt = workbook_add_format(wb);
    format_set_num_format(dt, "dd/mm/yyyy hh:mm");
    lxw_format *builtin = workbook_add_format(wb);
    format_set_num_format_index(builtin, 14);
    lxw_format *money = workbook_add_format(wb);
    format_set_num_format(money, "#,##0 \"đ\"");

    const char *head[] = {"MaHoSo", "MaDonVi", "TrangThaiHoSo", "NgayTiepNhan", "NgayHenTra",
                          "Ghi chú", "Phí"};
    for (int c = 0; c < 7; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], NULL);
    /* row 2: shared strings, a date-time, a date, a number in a money format */
    worksheet_write_string(ws, 1, 0, "000.00.06.H56-250703-0001", NULL);
    worksheet_write_string(ws, 1, 1, "000.02.06.H56", NULL);
    worksheet_write_number(ws, 1, 2, 10, NULL);
    lxw_datetime d1 = {2025, 7, 3, 8, 15, 0};
    worksheet_write_datetime(ws, 1, 3, &d1, dt);
    lxw_datetime d2 = {2025, 7, 17, 0, 0, 0};
    worksheet_write_datetime(ws, 1, 4, &d2, date);
    worksheet_write_number(ws, 1, 6, 50000, money);
    /* row 3 left blank; row 4: a merged note, a built-in date format, a
     * boolean, formulas by their cached values */
    worksheet_write_string(ws, 3, 0, "000.00.06.H56-250704-0002", NULL);
    worksheet_write_formula_str(ws, 3, 1, "=B2", NULL, "000.02.06.H56");
    worksheet_write_formula_num(ws, 3, 2, "=C2-6", NULL, 4);
    worksheet_write_number(ws, 3, 3, 45842.5, builtin);
    worksheet_write_boolean(ws, 3, 4, 1, NULL);
    worksheet_merge_range(ws, 3, 5, 4, 6, "gộp ô", NULL);
    /* row 6: text that looks like a date stays text; a fraction */
    worksheet_write_string(ws, 5, 0, "000.00.06.H56-250705-0003", NULL);
    worksheet_write_string(ws, 5, 3, "05/07/2025 09:00", NULL);
    worksheet_write_number(ws, 5, 6, 0.1, NULL);
    cr_assert_eq(workbook_close(wb), LXW_NO_ERROR);
}

Test(xlsx, libxlsxwriter_workbook_rows_values_and_lines, .init = make_dir, .fini = remove_dir)
{
    char path[128];
    snprintf(path, sizeof path, "%s/export.xlsx", tmpdir);
    write_export(path);
    rec r = {.next_unless = 1};
    mc_reader_info info;
    mc_error err;
    int st = mc_read_file(path, NULL, &CB, &r, &info, &err);
    cr_assert_eq(st, 0, "%s", err.msg);
    cr_assert_str_eq(r.t,
                     "S Bìa\n"
                     "H 1: DANH SÁCH HỒ SƠ\n"
                     "S Hồ sơ\n"
                     "H 1: MaHoSo|MaDonVi|TrangThaiHoSo|NgayTiepNhan|NgayHenTra|Ghi chú|Phí\n"
                     "R 2: 000.00.06.H56-250703-0001|000.02.06.H56|10|2025-07-03 08:15:00|"
                     "2025-07-17||50000\n"
                     "R 4: 000.00.06.H56-250704-0002|000.02.06.H56|4|2025-07-04 12:00:00|TRUE|"
                     "gộp ô\n"
                     "R 6: 000.00.06.H56-250705-0003|||05/07/2025 09:00|||0.1\n");
    cr_assert_str_eq(info.format, "xlsx");
    cr_assert_str_eq(info.sheet, "Hồ sơ");
    cr_assert_eq(info.ragged, 1);
    cr_assert_eq(info.rows, 3);
    cr_assert_eq(info.lines, 6);
    struct stat sb;
    cr_assert_eq(stat(path, &sb), 0);
    cr_assert_eq(info.bytes_raw, (uint64_t)sb.st_size);
}

/* Every byte of the file reaches on_raw, in order: the ledger's SHA-256. */
typedef struct {
    unsigned char *b;
    size_t n, cap;
} raw_copy;

static void copy_raw(void *ctx, const void *p, size_t n)
{
    raw_copy *c = ctx;
    cr_assert_leq(c->n + n, c->cap);
    memcpy(c->b + c->n, p, n);
    c->n += n;
}

Test(xlsx, every_byte_goes_through_on_raw, .init = make_dir, .fini = remove_dir)
{
    char path[128];
    snprintf(path, sizeof path, "%s/export.xlsx", tmpdir);
    write_export(path);
    size_t n;
    char *file = slurp(path, &n);
    raw_copy c = {malloc(n), 0, n};
    mc_reader_opts o = {.chunk_size = 777, .on_raw = copy_raw, .raw_ctx = &c};
    rec r = {.next_unless = 1};
    mc_error err;
    cr_assert_eq(mc_read_file(path, &o, &CB, &r, NULL, &err), 0, "%s", err.msg);
    cr_assert_eq(c.n, n);
    cr_assert_eq(memcmp(c.b, file, n), 0);
    /* and the same from memory */
    c.n = 0;
    rec r2 = {.next_unless = 1};
    cr_assert_eq(mc_read_mem("m.xlsx", file, n, &o, &CB, &r2, NULL, &err), 0, "%s", err.msg);
    cr_assert_eq(c.n, n);
    cr_assert_eq(memcmp(c.b, file, n), 0);
    cr_assert_str_eq(r.t, r2.t);
    free(c.b);
    free(file);
}

Test(xlsx, same_rows_whatever_the_chunk_size, .init = make_dir, .fini = remove_dir)
{
    char path[128];
    snprintf(path, sizeof path, "%s/export.xlsx", tmpdir);
    write_export(path);
    size_t n;
    char *file = slurp(path, &n);
    rec ref = {.next_unless = 1};
    mc_error err;
    cr_assert_eq(read_mem(file, n, NULL, &ref, NULL, &err), 0, "%s", err.msg);
    size_t sizes[] = {1, 2, 7, 64, 4096};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        rec r = {.next_unless = 1};
        mc_reader_opts o = {.chunk_size = sizes[i]};
        cr_assert_eq(read_mem(file, n, &o, &r, NULL, &err), 0, "%s", err.msg);
        cr_assert_str_eq(r.t, ref.t, "chunk %zu", sizes[i]);
    }
    free(file);
}

Test(xlsx, next_sheet_on_every_sheet_refuses_with_the_callbacks_error, .init = make_dir,
     .fini = remove_dir)
{
    char path[128];
    snprintf(path, sizeof path, "%s/export.xlsx", tmpdir);
    write_export(path);
    rec r = {.next_always = 1};
    mc_reader_info info;
    mc_error err;
    int st = mc_read_file(path, NULL, &CB, &r, &info, &err);
    cr_assert_eq(st, MC_EXIT_DATA);
    cr_assert_str_eq(err.msg, "no header on this sheet (line 1)");
    cr_assert_str_eq(r.t, "S Bìa\nH 1: DANH SÁCH HỒ SƠ\nS Hồ sơ\n"
                          "H 1: MaHoSo|MaDonVi|TrangThaiHoSo|NgayTiepNhan|NgayHenTra|Ghi chú|Phí\n");
}

/* -------------------------------------------------- parts written by hand */

static const char STYLES[] =
    "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<numFmts count=\"4\">"
    "<numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/>"
    "<numFmt numFmtId=\"165\" formatCode=\"#,##0 &quot;ngày&quot;\"/>"
    "<numFmt numFmtId=\"166\" formatCode=\"[Red][$-42A]0.00\"/>"
    "<numFmt numFmtId=\"167\" formatCode=\"h:mm\"/>"
    "</numFmts>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
    "<cellXfs count=\"7\">"
    "<xf numFmtId=\"0\"/>"       /* 0 general: cellStyleXfs' 14 must not leak */
    "<xf numFmtId=\"14\"/>"      /* 1 built-in date */
    "<xf numFmtId=\"164\"/>"     /* 2 custom date */
    "<xf numFmtId=\"165\"/>"     /* 3 'ngày' in quotes: a number */
    "<xf numFmtId=\"166\"/>"     /* 4 d, m in brackets: a number */
    "<xf numFmtId=\"167\"/>"     /* 5 a time */
    "<xf numFmtId=\"22\"/>"      /* 6 built-in date and time */
    "</cellXfs></styleSheet>";

static int read_parts(const char *workbook, const char *sheet, const char *sst,
                      const char *styles, const mc_reader_opts *o, rec *r, mc_error *err)
{
    size_t n;
    unsigned char *z = zb_workbook_of(workbook, sheet, sst, styles, &n);
    cr_assert_not_null(z);
    int st = read_mem(z, n, o, r, NULL, err);
    free(z);
    return st;
}

Test(xlsx, dates_in_date_styles_and_excels_1900_leap_year)
{
    const char *sheet = SHEET_HEAD
        "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>h</t></is></c></row>"
        "<row r=\"2\"><c r=\"A2\" s=\"1\"><v>45658</v></c>"          /* 2025-01-01 */
        "<c r=\"B2\" s=\"2\"><v>45658.75</v></c>"                     /* with a time */
        "<c r=\"C2\" s=\"3\"><v>45658</v></c>"                        /* quoted: number */
        "<c r=\"D2\" s=\"4\"><v>1.5</v></c>"                          /* bracketed: number */
        "<c r=\"E2\" s=\"5\"><v>45658</v></c>"                        /* time format, whole day */
        "<c r=\"F2\" s=\"6\"><v>45658.000005</v></c>"                 /* rounds to 00:00:00 */
        "<c r=\"G2\" s=\"0\"><v>45658</v></c>"                        /* general */
        "<c r=\"H2\" s=\"99\"><v>45658</v></c></row>"                 /* no such style */
        "<row r=\"3\"><c s=\"1\"><v>59</v></c><c s=\"1\"><v>60</v></c><c s=\"1\"><v>61</v></c>"
        "<c s=\"1\"><v>1</v></c><c s=\"5\"><v>0.5</v></c><c s=\"1\"><v>-1</v></c>"
        "<c s=\"2\"><v>45658.99999999</v></c><c s=\"1\"><v>3000000</v></c></row>"
        SHEET_TAIL;
    rec r = {0};
    mc_error err;
    cr_assert_eq(read_parts(NULL, sheet, NULL, STYLES, NULL, &r, &err), 0, "%s", err.msg);
    cr_assert_str_eq(r.t, "S Sheet1\nH 1: h\n"
                          "R 2: 2025-01-01|2025-01-01 18:00:00|45658|1.5|2025-01-01 00:00:00|"
                          "2025-01-01 00:00:00|45658|45658\n"
                          "R 3: 1900-02-28|1900-02-29|1900-03-01|1900-01-01|12:00:00|-1|"
                          /* rounds to a whole day in a format without a time */
                          "2025-01-02|3000000\n");
}

Test(xlsx, the_1904_date_system)
{
    const char *wb =
        "<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        "<workbookPr date1904=\"true\"/><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>"
        "</sheets></workbook>";
    const char *sheet = SHEET_HEAD "<row><c t=\"inlineStr\"><is><t>h</t></is></c></row>"
                                   "<row><c s=\"1\"><v>44197</v></c><c s=\"6\"><v>1.25</v></c></row>"
                        SHEET_TAIL;
    rec r = {0};
    mc_error err;
    cr_assert_eq(read_parts(wb, sheet, NULL, STYLES, NULL, &r, &err), 0, "%s", err.msg);
    /* 1904 serial 44197 is 1462 days after 1900 serial 44197 (2021-01-01) */
    cr_assert_str_eq(r.t, "S S\nH 1: h\nR 2: 2025-01-02|1904-01-02 06:00:00\n");
}

Test(xlsx, cell_types_strings_references_and_prefixes)
{
    const char *sst =
        "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"3\">"
        "<si><t>Mã hồ sơ</t></si>"
        "<si><r><rPr><b/></rPr><t>Đơn vị </t></r><r><t xml:space=\"preserve\">xử lý</t></r>"
        "<rPh sb=\"0\" eb=\"1\"><t>PHONETIC</t></rPh></si>"
        "<si><t>a &amp; b &lt;c&gt;</t></si></sst>";
    const char *sheet =
        "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        "<x:sheetData>"
        "<x:row r=\"3\"><x:c r=\"A3\" t=\"s\"><x:v>0</x:v></x:c><x:c r=\"C3\" t=\"s\"><x:v>1</x:v>"
        "</x:c></x:row>"
        "<x:row r=\"4\"><x:c r=\"B4\" t=\"s\"><x:v> 2 </x:v></x:c></x:row>"
        "<x:row r=\"5\"/>"
        "<x:row r=\"6\"><x:c r=\"A6\"><x:v></x:v></x:c><x:c r=\"B6\" t=\"s\"/></x:row>"
        "<x:row r=\"7\"><x:c t=\"b\"><x:v>0</x:v></x:c><x:c t=\"e\"><x:v>#N/A</x:v></x:c>"
        "<x:c t=\"str\"><x:f>A1&amp;\"x\"</x:f><x:v>ax</x:v></x:c>"
        "<x:c t=\"inlineStr\"><x:is><x:r><x:t>in</x:t></x:r><x:r><x:t>line</x:t></x:r>"
        "<x:rPh><x:t>no</x:t></x:rPh></x:is></x:c>"
        "<x:c><x:f>1/3</x:f><x:v>0.33333333333333331</x:v></x:c>"
        "<x:c><x:v>1E+20</x:v></x:c><x:c><x:v>-0</x:v></x:c><x:c><x:v>123.0</x:v></x:c>"
        "<x:c><x:v>1.5E-3</x:v></x:c><x:c><x:v>not a number</x:v></x:c></x:row>"
        "<x:row><x:c r=\"C8\"><x:v>1</x:v></x:c><x:c r=\"A8\"><x:v>2</x:v></x:c></x:row>"
        "<x:row r=\"2\"><x:c r=\"B99\"><x:v>3</x:v></x:c></x:row>"
        "</x:sheetData><x:mergeCells count=\"1\"><x:mergeCell ref=\"A3:B3\"/></x:mergeCells>"
        "</x:worksheet>";
    rec r = {0};
    mc_error err;
    cr_assert_eq(read_parts(NULL, sheet, sst, NULL, NULL, &r, &err), 0, "%s", err.msg);
    cr_assert_str_eq(r.t, "S Sheet1\n"
                          "H 3: Mã hồ sơ||Đơn vị xử lý\n"
                          "R 4: |a & b <c>\n"
                          "R 7: FALSE|#N/A|ax|inline|0.3333333333333333|1e+20|0|123|0.0015|"
                          "not a number\n"
                          /* C8 then A8: a reference that goes back is the next column */
                          "R 8: ||1|2\n"
                          /* row 2 after row 8: the next row */
                          "R 9: |3\n");
}

Test(xlsx, limits_make_rows_bad_and_a_bad_header_refuses)
{
    const char *sheet = SHEET_HEAD
        "<row r=\"1\"><c t=\"inlineStr\"><is><t>a</t></is></c><c t=\"inlineStr\"><is><t>b</t></is></c></row>"
        "<row r=\"2\"><c r=\"A2\"><v>1</v></c><c r=\"E2\"><v>5</v></c></row>"
        "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>0123456789abc</t></is></c></row>"
        "<row r=\"4\"><c r=\"A4\"><v>1</v></c><c r=\"XFD4\"/></row>"
        "<row r=\"5\"><c r=\"A5\" t=\"inlineStr\"><is><t>0123456789</t></is></c>"
        "<c t=\"inlineStr\"><is><t>0123456789</t></is></c><c t=\"inlineStr\"><is><t>0123456789</t></is></c></row>"
        SHEET_TAIL;
    rec r = {0};
    mc_error err;
    mc_reader_opts o = {.max_columns = 4, .max_field = 12, .max_row = 25};
    cr_assert_eq(read_parts(NULL, sheet, NULL, NULL, &o, &r, &err), 0, "%s", err.msg);
    cr_assert_str_eq(r.t, "S Sheet1\nH 1: a|b\n"
                          "B 2: bad_field_count: row has more than 4 fields\n"
                          "B 3: row_too_large: field longer than 12 bytes\n"
                          "R 4: 1\n"
                          "B 5: row_too_large: row longer than 25 bytes\n");
    /* the same limit on the header refuses the file */
    const char *wide = SHEET_HEAD "<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"F1\"><v>1</v></c></row>"
                       SHEET_TAIL;
    rec r2 = {0};
    cr_assert_eq(read_parts(NULL, wide, NULL, NULL, &o, &r2, &err), MC_EXIT_DATA);
    cr_assert_str_eq(err.msg, "t.xlsx: sheet 'Sheet1' row 1: header: row has more than 4 fields");
}

/* ------------------------------------------------------------ refusals */

/* Read z and expect a refusal whose message is exactly want. */
static void refused(const unsigned char *z, size_t n, const mc_reader_opts *o, const char *want)
{
    rec r = {0};
    mc_error err;
    mc_reader_info info;
    int st = read_mem(z, n, o, &r, &info, &err);
    cr_assert_eq(st, MC_EXIT_DATA, "status %d: %s", st, err.msg);
    cr_assert_str_eq(err.msg, want);
    cr_assert_eq(r.len, 0, "callbacks were called: %s", r.t);
    cr_assert_eq(info.bytes_raw, n);
}

static const char SMALL_SHEET[] =
    SHEET_HEAD "<row r=\"1\"><c t=\"inlineStr\"><is><t>a</t></is></c></row>" SHEET_TAIL;

Test(xlsx, a_zip_without_a_workbook_is_not_an_excel_workbook)
{
    zb_entry e[] = {{"[Content_Types].xml", "<Types/>", 0, 0},
                    {"word/document.xml", "<w:document/>", 0, 0}};
    size_t n;
    unsigned char *z = zb_build(e, 2, &n);
    refused(z, n, NULL,
            "t.xlsx: a ZIP archive without xl/workbook.xml: not an Excel workbook (.xlsx); "
            "export the list again as Excel or CSV");
    free(z);
}

Test(xlsx, a_workbook_without_a_worksheet_is_refused)
{
    const char *rels =
        "<Relationships><Relationship Id=\"rId1\" Type=\"http://schemas.microsoft.com/office/"
        "2006/relationships/xlMacrosheet\" Target=\"macrosheets/sheet1.xml\"/></Relationships>";
    zb_entry e[] = {{"xl/workbook.xml", zb_workbook, 0, 0},
                    {"xl/_rels/workbook.xml.rels", rels, 0, 0},
                    {"xl/macrosheets/sheet1.xml", "<xm:macrosheet/>", 0, 0}};
    size_t n;
    unsigned char *z = zb_build(e, 3, &n);
    refused(z, n, NULL,
            "t.xlsx: the workbook has no worksheet (macro-only or charts only): export the list "
            "itself");
    free(z);
}

Test(xlsx, a_missing_sheet_part_is_refused)
{
    size_t n;
    unsigned char *z = zb_workbook_of(NULL, NULL, NULL, NULL, &n);
    refused(z, n, NULL,
            "t.xlsx: sheet 'Sheet1': its part xl/worksheets/sheet1.xml is missing: the workbook "
            "is damaged; fetch the export again");
    free(z);
}

Test(xlsx, a_doctype_is_refused_before_any_entity)
{
    const char *laughs =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>\n"
        "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>&lol2;</t></is></c></row>"
        "</sheetData></worksheet>";
    size_t n;
    unsigned char *z = zb_workbook_of(NULL, laughs, NULL, NULL, &n);
    rec r = {0};
    mc_error err;
    cr_assert_eq(read_mem(z, n, NULL, &r, NULL, &err), MC_EXIT_DATA);
    cr_assert_str_eq(err.msg, "t.xlsx: xl/worksheets/sheet1.xml line 2, column 16: a DOCTYPE (DTD "
                              "or entity declarations) has no place in a workbook: refused");
    /* on_sheet was called, no row */
    cr_assert_str_eq(r.t, "S Sheet1\n");
    free(z);
    /* in any part: the shared strings too */
    z = zb_workbook_of(NULL, SMALL_SHEET, "<!DOCTYPE sst SYSTEM \"file:///etc/passwd\"><sst/>",
                       NULL, &n);
    refused(z, n, NULL,
            "t.xlsx: xl/sharedStrings.xml line 1, column 42: a DOCTYPE (DTD or entity "
            "declarations) has no place in a workbook: refused");
    free(z);
}

Test(xlsx, malformed_xml_names_part_line_and_column)
{
    size_t n;
    unsigned char *z =
        zb_workbook_of(NULL, SHEET_HEAD "\n<row><c><v>1</c></row>" SHEET_TAIL, NULL, NULL, &n);
    rec r = {0};
    mc_error err;
    cr_assert_eq(read_mem(z, n, NULL, &r, NULL, &err), MC_EXIT_DATA);
    cr_assert_str_eq(err.msg, "t.xlsx: xl/worksheets/sheet1.xml line 3, column 15: malformed XML "
                              "(mismatched tag): the workbook is damaged");
    free(z);
}

Test(xlsx, a_shared_string_that_does_not_exist_is_refused)
{
    const char *sheet = SHEET_HEAD "<row r=\"4\"><c r=\"B4\" t=\"s\"><v>7</v></c></row>" SHEET_TAIL;
    size_t n;
    unsigned char *z = zb_workbook_of(NULL, sheet, "<sst><si><t>x</t></si></sst>", NULL, &n);
    rec r = {0};
    mc_error err;
    cr_assert_eq(read_mem(z, n, NULL, &r, NULL, &err), MC_EXIT_DATA);
    cr_assert_str_eq(err.msg, "t.xlsx: sheet 'Sheet1' row 4: cell B4 refers to shared string '7', "
                              "which does not exist: the workbook is damaged");
    free(z);
}

/* The bytes of a sheet of n bytes: a valid sheet padded with spaces. */
static char *padded_sheet(size_t n, char fill)
{
    char *s = malloc(n + 1);
    cr_assert_not_null(s);
    size_t h = strlen(SMALL_SHEET);
    memcpy(s, SMALL_SHEET, h);
    memset(s + h, fill, n - h);
    s[n] = '\0';
    return s;
}

Test(xlsx, a_part_past_the_limit_is_refused)
{
    /* a worksheet, streamed, may take 16 times the limit: 3 MB of sheet
     * pass a 256 KiB limit and fail a 128 KiB one */
    char *sheet = padded_sheet(3 << 20, ' ');
    size_t n;
    unsigned char *z = zb_workbook_of(NULL, sheet, NULL, NULL, &n);
    rec r = {0};
    mc_error err;
    mc_reader_opts o = {.max_part = 256 << 10};
    cr_assert_eq(read_mem(z, n, &o, &r, NULL, &err), 0, "%s", err.msg);
    cr_assert_str_eq(r.t, "S Sheet1\nH 1: a\n");
    o.max_part = 128 << 10;
    cr_assert_eq(read_mem(z, n, &o, &r, NULL, &err), MC_EXIT_DATA);
    cr_assert_str_eq(err.msg, "t.xlsx: xl/worksheets/sheet1.xml inflates to more than the limit "
                              "of 2097152 bytes: refused");
    free(z);
    /* any other part: the limit itself (here the styles) */
    z = zb_workbook_of(NULL, SMALL_SHEET, NULL, sheet, &n);
    o.max_part = 1 << 20;
    refused(z, n, &o, "t.xlsx: xl/styles.xml inflates to more than the limit of 1048576 bytes: "
                      "refused");
    free(z);
    free(sheet);
}

Test(xlsx, a_shared_strings_table_past_the_limit_is_refused)
{
    /* 40,000 strings of 100 bytes: 4 MB of text in a 2 MB limit */
    size_t cap = 40000 * 120 + 64, len = 0;
    char *sst = malloc(cap);
    cr_assert_not_null(sst);
    len += (size_t)sprintf(sst, "<sst>");
    for (int i = 0; i < 40000; i++)
        len += (size_t)sprintf(sst + len, "<si><t>%0100d</t></si>", i);
    sprintf(sst + len, "</sst>");
    size_t n;
    unsigned char *z = zb_workbook_of(NULL, SMALL_SHEET, sst, NULL, &n);
    mc_reader_opts o = {.max_part = 2 << 20};
    refused(z, n, &o,
            "t.xlsx: xl/sharedStrings.xml inflates to more than the limit of 2097152 bytes: "
            "refused");
    /* The table in memory (its text and an offset per string) is always
     * smaller than its XML, so the part's limit refuses it first; the
     * table keeps its own check as a second guard. */
    free(z);
    free(sst);
}

Test(xlsx, a_zip_bomb_is_refused_by_its_ratio)
{
    /* 24 MiB of spaces deflate about 1000x */
    char *sheet = padded_sheet(24 << 20, ' ');
    size_t n;
    unsigned char *z = zb_workbook_of(NULL, sheet, NULL, NULL, &n);
    cr_assert_lt(n, 100 << 10);
    refused(z, n, NULL,
            "t.xlsx: xl/worksheets/sheet1.xml expands more than 200x its compressed size: "
            "refused as a decompression bomb");
    free(z);
    free(sheet);
}

/* Set the "encrypted" bit of every entry, in the local and the central
 * headers, as a password-protecting ZIP tool does. */
static void mark_encrypted(unsigned char *z, size_t n)
{
    for (size_t i = 0; i + 46 <= n; i++) {
        if (!memcmp(z + i, "PK\x03\x04", 4))
            z[i + 6] |= 1;
        else if (!memcmp(z + i, "PK\x01\x02", 4))
            z[i + 8] |= 1;
    }
}

Test(xlsx, an_encrypted_entry_is_refused)
{
    size_t n;
    unsigned char *z = zb_workbook_of(NULL, SMALL_SHEET, NULL, NULL, &n);
    mark_encrypted(z, n);
    refused(z, n, NULL,
            "t.xlsx: xl/workbook.xml is encrypted (password-protected): open the workbook in "
            "Excel, remove the password and save it again");
    free(z);
}

Test(xlsx, a_truncated_or_damaged_archive_is_refused)
{
    size_t n;
    unsigned char *z = zb_workbook_of(NULL, SMALL_SHEET, NULL, NULL, &n);
    refused(z, n / 2, NULL,
            "t.xlsx: not a readable ZIP archive: the Excel workbook (a ZIP archive) is damaged or "
            "truncated (Not a zip archive): fetch the export again");
    /* damage inside the sheet's deflated bytes: a CRC or inflate error, or
     * XML garbage, but never rows from it */
    unsigned char *w = memmem(z, n, "xl/worksheets/sheet1.xml", 24);
    cr_assert_not_null(w);
    w[24 + 20] ^= 0x55;
    rec r = {0};
    mc_error err;
    cr_assert_eq(read_mem(z, n, NULL, &r, NULL, &err), MC_EXIT_DATA);
    cr_assert(strstr(err.msg, "xl/worksheets/sheet1.xml"), "%s", err.msg);
    cr_assert(!strstr(r.t, "H "), "%s", r.t);
    free(z);
}

Test(xlsx, the_bad_fixtures_are_refused_with_their_message)
{
    static const struct {
        const char *file, *msg;
    } cases[] = {
        {"xlsx-bomb.xlsx", "refused as a decompression bomb"},
        {"xlsx-doctype.xlsx", "a DOCTYPE (DTD or entity declarations) has no place"},
        {"xlsx-encrypted.xlsx", "is encrypted (password-protected)"},
        {"xlsx-not-workbook.docx", "not an Excel workbook"},
        {"xlsx-no-worksheet.xlsx", "the workbook has no worksheet"},
        {"xlsx-missing-sheet.xlsx", "its part xl/worksheets/sheet1.xml is missing"},
        {"xlsx-truncated.xlsx", "is damaged or truncated"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char path[256];
        snprintf(path, sizeof path, BAD "%s", cases[i].file);
        rec r = {0};
        mc_error err;
        int st = mc_read_file(path, NULL, &CB, &r, NULL, &err);
        cr_expect_eq(st, MC_EXIT_DATA, "%s: %d %s", cases[i].file, st, err.msg);
        cr_expect(strstr(err.msg, cases[i].msg) && strstr(err.msg, cases[i].file), "%s: %s",
                  cases[i].file, err.msg);
        cr_expect(!strstr(r.t, "R "), "%s delivered rows", cases[i].file);
    }
}

Test(xlsx, the_bundled_xlsx_export_reads_like_its_csv)
{
    rec x = {.next_unless = 0};
    mc_error err;
    mc_reader_info info;
    cr_assert_eq(mc_read_file(EXPORTS "mot-cua-cam-thanh-20251120.xlsx", NULL, &CB, &x, &info, &err), 0,
                 "%s", err.msg);
    cr_assert_str_eq(info.format, "xlsx");
    cr_assert_str_eq(info.sheet, "Danh sách");
    cr_assert(strstr(x.t, "S Danh sách\nH 1: Mã hồ sơ|"), "%.200s", x.t);
}

/* ------------------------------------------------------- through ingest */

Test(xlsx, ingest_pads_short_rows_and_skips_a_sheet_without_the_table, .init = make_dir,
     .fini = remove_dir)
{
    char path[128], db[128];
    snprintf(path, sizeof path, "%s/desk.xlsx", tmpdir);
    snprintf(db, sizeof db, "%s/m.db", tmpdir);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *cover = workbook_add_worksheet(wb, "Ghi chú");
    worksheet_write_string(cover, 0, 0, "Xuất từ hệ thống một cửa", NULL);
    worksheet_write_string(cover, 1, 1, "Ngày xuất", NULL);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "DS");
    const char *head[] = {"MaHoSo", "DonViXuLy", "TrangThaiHoSo", "NgayTiepNhan", "NgayHenTra",
                          "NgayKetThucXuLy"};
    for (int c = 0; c < 6; c++)
        worksheet_write_string(ws, 1, (lxw_col_t)c, head[c], NULL);
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "dd/mm/yyyy");
    for (int i = 0; i < 3; i++) {
        char id[32];
        snprintf(id, sizeof id, "HS-%d", i + 1);
        worksheet_write_string(ws, (lxw_row_t)(2 + i), 0, id, NULL);
        worksheet_write_string(ws, (lxw_row_t)(2 + i), 1, "UBND xã Cửa Tùng", NULL);
        worksheet_write_number(ws, (lxw_row_t)(2 + i), 2, 4, NULL);
        lxw_datetime d = {2025, 7, 1 + i, 0, 0, 0};
        worksheet_write_datetime(ws, (lxw_row_t)(2 + i), 3, &d, date);
        /* the last two columns left empty: a short row */
    }
    /* a cell past the header's width: bad_field_count at sheet row 6 */
    worksheet_write_string(ws, 5, 0, "HS-9", NULL);
    worksheet_write_string(ws, 5, 1, "UBND xã Cửa Tùng", NULL);
    worksheet_write_number(ws, 5, 2, 4, NULL);
    worksheet_write_string(ws, 5, 3, "01/07/2025", NULL);
    worksheet_write_string(ws, 5, 7, "lạc chỗ", NULL);
    cr_assert_eq(workbook_close(wb), LXW_NO_ERROR);

    mc_store *s;
    mc_error err;
    cr_assert_eq(mc_store_open(db, MC_STORE_READWRITE, &s, &err), 0, "%s", err.msg);
    mc_ingest_result res;
    int st = mc_ingest_file(s, path, NULL, &res, &err);
    cr_assert_eq(st, 0, "%s", err.msg);
    cr_assert_eq(res.counts.rows_read, 4);
    cr_assert_eq(res.counts.accepted, 3);
    cr_assert_eq(res.counts.quarantined, 1);
    cr_assert_str_eq(res.format, "xlsx");
    cr_assert_str_eq(res.sheet, "DS");
    cr_assert_eq(res.header_line, 2);

    /* a workbook none of whose sheets holds the table: the last sheet's reason */
    snprintf(path, sizeof path, "%s/cover-only.xlsx", tmpdir);
    wb = workbook_new(path);
    worksheet_write_string(workbook_add_worksheet(wb, "A"), 0, 0, "Báo cáo", NULL);
    worksheet_write_string(workbook_add_worksheet(wb, "B"), 0, 0, "MaHoSo", NULL);
    cr_assert_eq(workbook_close(wb), LXW_NO_ERROR);
    st = mc_ingest_file(s, path, NULL, &res, &err);
    cr_assert_eq(st, MC_EXIT_DATA);
    cr_assert(strstr(err.msg, "cover-only.xlsx: no header row in the only non-empty row (line 1) "
                              "of sheet 'B' (2 sheets tried, none has a header)"), "%s", err.msg);
    cr_assert(strstr(err.msg, "the closest, line 1, has case_id, and lacks status, received_at, "
                              "unit_code or unit_name"), "%s", err.msg);
    mc_store_close(s);
}
