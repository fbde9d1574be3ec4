/*
 * test_xls.c -- the .xls reader (etl/xls.c) through mc_read_file and
 * mc_read_mem, on workbooks LibreOffice made once
 * (tests/tools/make-xls-fixtures.py): tests/unit/data/xls/types.xls (every
 * cell type, an empty sheet, a sheet with gaps), the bundled export
 * fixtures/exports/dvcqg-cua-tung-20251001.xls, and the refusals of
 * fixtures/bad/.  Runs with the working directory tests/unit.
 */
#include <criterion/criterion.h>

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "etl/reader.h"
#include "etl/xls.h"
#include "tests/unit/sheettranscript.h"

#define TYPES "data/xls/types.xls"
#define EXPORT "../../fixtures/exports/dvcqg-cua-tung-20251001.xls"
#define BAD "../../fixtures/bad/"

/* The sheet "Kiểu" of types.xls: every kind of cell FreeXL reports. */
static const char TYPES_SHEET[] =
    "SKiểu\n"
    "H1:kind|value|tail\n"
    "R2:int|42|x\n"
    "R3:negative|-7\n"
    "R4:double|2.5\n"
    "R5:tenth|0.1\n"
    "R6:big|123456789012\n"
    "R7:third|0.3333333333333333\n"
    "R8:date|2025-07-02\n"
    "R9:datetime|2025-07-02 08:15:30\n"
    "R10:time|12:00:05\n"
    "R11:text|Đăng ký khai sinh\n"
    "R12:code|000.01.72.H56\n"
    /* FreeXL does not read formula results: =6*7 reads as empty */
    "R13:formula\n"
    "R14:empty\n"
    "E0:";

Test(xls, every_cell_type_as_text)
{
    st_rec r = {0};
    mc_reader_info in;
    mc_error err;
    int st = mc_read_file(TYPES, NULL, &ST_CB, &r, &in, &err);
    st_end(&r, st, &err);
    cr_assert_str_eq(r.t, TYPES_SHEET);
    cr_assert_str_eq(in.format, "xls");
    cr_assert_str_eq(in.sheet, "Kiểu");
    cr_assert_eq(in.ragged, 1);
    cr_assert_eq(in.rows, 13);
    cr_assert_eq(in.lines, 14);
    cr_assert_eq(in.gzip, 0);
    st_free(&r);
}

Test(xls, memory_and_file_agree_and_every_byte_goes_to_on_raw)
{
    size_t n;
    char *buf = st_slurp(TYPES, &n);
    for (size_t chunk = 0; chunk <= 4096; chunk = chunk ? chunk * 8 : 1) {
        st_rec r = {0};
        mc_reader_opts o = {.chunk_size = chunk, .on_raw = st_on_raw, .raw_ctx = &r};
        mc_reader_info in;
        mc_error err;
        int st = chunk % 2 ? mc_read_mem("types.xls", buf, n, &o, &ST_CB, &r, &in, &err)
                           : mc_read_file(TYPES, &o, &ST_CB, &r, &in, &err);
        st_end(&r, st, &err);
        cr_assert_str_eq(r.t, TYPES_SHEET, "chunk %zu", chunk);
        cr_assert_eq(r.raw_len, n, "chunk %zu", chunk);
        cr_assert(memcmp(r.raw, buf, n) == 0, "chunk %zu: on_raw bytes differ", chunk);
        cr_assert_eq(in.bytes_raw, n);
        st_free(&r);
    }
    free(buf);
}

Test(xls, next_sheet_skips_to_the_first_sheet_with_a_header)
{
    /* "Kiểu" is turned down, "Trống" is empty (no on_sheet: no row), "Hai"
     * starts with an empty A1 and has two empty rows and empty cells */
    st_rec r = {.want_header = "\x01"};    /* no header starts with it */
    mc_reader_info in;
    mc_error err;
    int st = mc_read_file(TYPES, NULL, &ST_CB, &r, &in, &err);
    cr_assert_eq(st, MC_EXIT_DATA);
    /* the last sheet's answer is the read's error */
    cr_assert_str_eq(err.msg, "no '\x01' in line 1");
    cr_assert_str_eq(r.t, "SKiểu\nH1:kind|value|tail\nSHai\nH1:|b1\n");
    st_free(&r);

    /* a header whose first field is empty is taken when nothing is wanted
     * of it: the read ends with the sheet that holds it */
    st_rec h = {.want_header = "kin"};
    st = mc_read_file(TYPES, NULL, &ST_CB, &h, &in, &err);
    st_end(&h, st, &err);
    cr_assert_str_eq(h.t, TYPES_SHEET);
    st_free(&h);
}

/* on_header that turns down "Kiểu" only. */
static int not_kieu(void *ctx, long line, const mc_field *f, size_t n, mc_error *err)
{
    st_rec *r = ctx;
    st_fields(r, 'H', line, f, n);
    if (n && f[0].len == 4 && memcmp(f[0].p, "kind", 4) == 0)
        return mc_error_set(err, MC_EXIT_DATA, "not this one"), MC_READER_NEXT_SHEET;
    return 0;
}

Test(xls, sheet_with_gaps)
{
    mc_reader_cb cb = ST_CB;
    cb.on_header = not_kieu;
    st_rec r = {0};
    mc_reader_info in;
    mc_error err;
    int st = mc_read_file(TYPES, NULL, &cb, &r, &in, &err);
    st_end(&r, st, &err);
    /* rows 2-3 are empty: no row, the line numbers are the sheet's */
    cr_assert_str_eq(r.t, "SKiểu\nH1:kind|value|tail\nSHai\nH1:|b1\nR4:a4|||d4\nE0:");
    cr_assert_str_eq(in.sheet, "Hai");
    cr_assert_eq(in.rows, 1);
    cr_assert_eq(err.status, 0, "the turned-down sheet's error is cleared: %s", err.msg);
    st_free(&r);
}

Test(xls, the_bundled_export)
{
    st_rec r = {.want_header = "MaHoSo"};
    mc_reader_info in;
    mc_error err;
    int st = mc_read_file(EXPORT, NULL, &ST_CB, &r, &in, &err);
    st_end(&r, st, &err);
    cr_assert_eq(st, 0, "%s", err.msg);
    /* the summary sheet first, turned down; then the list */
    const char *want_start =
        "STổng hợp\nH1:TỔNG HỢP HỒ SƠ XÃ CỬA TÙNG\nSDanh sách\n"
        "H1:MaHoSo|MaDonVi|DonViXuLy|MaTTHC|TenTTHC|TenLinhVuc|KenhThucHien|MucDo|"
        "TrangThaiHoSo|NgayTiepNhan|NgayHenTra|NgayHenTraMoi|NgayKetThucXuLy|NgayTra|CoXinLoi|"
        "NgayXinLoi|CoPhiLePhi|DuocThanhToanTrucTuyen|HoSoCoThanhPhanSoHoa|CoKetQuaDienTu|"
        "NgayCapNhat|ChuHoSo|SoDienThoai\n"
        "R2:000.00.72.H56-250702-0001|000.01.72.H56|Trung tâm Phục vụ hành chính công xã Cửa "
        "Tùng|1.001193|Đăng ký khai sinh|Hộ tịch|2|4|10|2025-07-02 08:15:00|2025-07-03 17:00:00||"
        "2025-07-02 15:00:00|2025-07-03 09:00:00|0||0|0|1|1|2025-07-03 09:00:00|Trần Thị Bích|"
        "0987654321\n";
    cr_assert(strncmp(r.t, want_start, strlen(want_start)) == 0, "%s", r.t);
    /* a date-only cell stays a date; a value that is no date stays text;
     * the last row has an empty first cell */
    cr_assert_not_null(strstr(r.t, "|1|2025-09-21|0|0|0|0|2025-09-26 08:00:00|Hoàng Văn Em|"));
    cr_assert_not_null(strstr(r.t, "\nR22:000.00.72.H56-250930-0020|000.01.72.H56||1.001193|"
                                   "Đăng ký khai sinh|Hộ tịch|2|4|4|31/09/2025 09:00:00|"));
    cr_assert_not_null(strstr(r.t, "\nR24:|000.01.72.H56||1.001193|"));
    cr_assert_str_eq(in.sheet, "Danh sách");
    cr_assert_eq(in.rows, 23);
    st_free(&r);
}

/* Read a bad fixture; returns the status, message in err. */
static int read_bad(const char *name, mc_error *err)
{
    char path[256];
    snprintf(path, sizeof path, BAD "%s", name);
    st_rec r = {0};
    mc_reader_info in;
    int st = mc_read_file(path, NULL, &ST_CB, &r, &in, err);
    cr_assert_eq(r.len, 0, "%s: callbacks were called: %s", name, r.t);
    cr_assert_not_null(strstr(err->msg, path), "%s: the message does not name the file: %s", name,
                       err->msg);
    st_free(&r);
    return st;
}

Test(xls, password_protected_workbooks_are_refused)
{
    mc_error err;
    /* BIFF8 with a FILEPASS record */
    cr_assert_eq(read_bad("password.xls", &err), MC_EXIT_DATA);
    cr_assert_not_null(strstr(err.msg, ": a password-protected workbook: motcua cannot read it; "
                                       "open it in Excel, remove the password"), "%s", err.msg);
    /* an .xlsx with a password: OLE2 holding EncryptionInfo/EncryptedPackage */
    cr_assert_eq(read_bad("password-xlsx.xls", &err), MC_EXIT_DATA);
    cr_assert_not_null(strstr(err.msg, ": a password-protected workbook"), "%s", err.msg);
}

Test(xls, other_ole2_files_are_not_workbooks)
{
    mc_error err;
    cr_assert_eq(read_bad("word.xls", &err), MC_EXIT_DATA);
    cr_assert_not_null(strstr(err.msg, ": not an Excel workbook (an Office file, a Word "
                                       "document, with no workbook in it)"), "%s", err.msg);
}

Test(xls, damaged_workbooks_are_refused)
{
    size_t n;
    char *buf = st_slurp(TYPES, &n);
    /* cut short, then the signature alone, then garbage after it */
    size_t cuts[] = {n / 2, 1024, 600, 8};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        st_rec r = {0};
        mc_reader_info in;
        mc_error err;
        int st = mc_read_mem("cut.xls", buf, cuts[i], NULL, &ST_CB, &r, &in, &err);
        cr_assert_eq(st, MC_EXIT_DATA, "cut at %zu: %d %s", cuts[i], st, err.msg);
        cr_assert(strncmp(err.msg, "cut.xls: ", 9) == 0, "%s", err.msg);
        cr_assert_eq(r.len, 0, "cut at %zu: %s", cuts[i], r.t);
        st_free(&r);
    }
    memset(buf + 8, 0xAB, n - 8);
    st_rec r = {0};
    mc_error err;
    mc_reader_info in;
    cr_assert_eq(mc_read_mem("junk.xls", buf, n, NULL, &ST_CB, &r, &in, &err), MC_EXIT_DATA);
    cr_assert_not_null(strstr(err.msg, "junk.xls: not a readable .xls ("), "%s", err.msg);
    cr_assert_eq(r.len, 0);
    st_free(&r);
    free(buf);
}

Test(xls, a_file_over_the_limit_is_refused_before_it_is_read)
{
    char path[] = "/tmp/motcua-big-xls-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    static const unsigned char magic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    cr_assert_eq(write(fd, magic, sizeof magic), (ssize_t)sizeof magic);
    /* sparse: no disk used */
    cr_assert_eq(ftruncate(fd, (off_t)MC_XLS_MAX_BYTES + 1), 0);
    close(fd);
    st_rec r = {0};
    mc_reader_opts o = {.on_raw = st_on_raw, .raw_ctx = &r};
    mc_reader_info in;
    mc_error err;
    int st = mc_read_file(path, &o, &ST_CB, &r, &in, &err);
    unlink(path);
    cr_assert_eq(st, MC_EXIT_DATA);
    char want[200];
    snprintf(want, sizeof want, ": a .xls of %llu bytes, more than the limit of 256 MiB",
             (unsigned long long)MC_XLS_MAX_BYTES + 1);
    cr_assert_not_null(strstr(err.msg, want), "%s", err.msg);
    cr_assert_eq(r.raw_len, 0, "nothing read");
    st_free(&r);
}

Test(xls, limits_make_rows_bad_or_refuse_the_header)
{
    /* fields over 10 bytes: those rows are row_too_large, the others come */
    st_rec r = {0};
    mc_reader_opts o = {.max_field = 10};
    mc_reader_info in;
    mc_error err;
    int st = mc_read_file(TYPES, &o, &ST_CB, &r, &in, &err);
    st_end(&r, st, &err);
    cr_assert_str_eq(r.t,
                     "SKiểu\nH1:kind|value|tail\nR2:int|42|x\nR3:negative|-7\nR4:double|2.5\n"
                     "R5:tenth|0.1\nB6:row_too_large:field longer than 10 bytes\n"
                     "B7:row_too_large:field longer than 10 bytes\nR8:date|2025-07-02\n"
                     "B9:row_too_large:field longer than 10 bytes\nR10:time|12:00:05\n"
                     "B11:row_too_large:field longer than 10 bytes\n"
                     "B12:row_too_large:field longer than 10 bytes\nR13:formula\nR14:empty\nE0:");
    cr_assert_eq(in.rows, 13);
    st_free(&r);

    /* two columns at most: the header's third refuses the file */
    st_rec w = {0};
    mc_reader_opts two = {.max_columns = 2};
    st = mc_read_file(TYPES, &two, &ST_CB, &w, &in, &err);
    cr_assert_eq(st, MC_EXIT_DATA);
    cr_assert_str_eq(err.msg, TYPES ": sheet 'Kiểu' row 1: header: row has more than 2 fields");
    cr_assert_eq(w.len, 0);
    st_free(&w);
}

Test(xls, a_callback_status_ends_the_read)
{
    st_rec r = {.stop_at_row = 2};
    mc_reader_info in;
    mc_error err;
    int st = mc_read_file(TYPES, NULL, &ST_CB, &r, &in, &err);
    cr_assert_eq(st, MC_EXIT_DATA);
    cr_assert_str_eq(err.msg, "stopped at row 2");
    cr_assert_str_eq(r.t, "SKiểu\nH1:kind|value|tail\nR2:int|42|x\nR3:negative|-7\n");
    st_free(&r);
}

/* ingest reads a large file on a thread of its own, while the store works
 * on the other: the reader forks FreeXL's child from that thread. */
typedef struct {
    st_rec r;
    int st;
    mc_error err;
} threaded_read;

static void *read_on_thread(void *arg)
{
    threaded_read *t = arg;
    mc_reader_info in;
    t->r.want_header = "MaHoSo";
    t->st = mc_read_file(EXPORT, NULL, &ST_CB, &t->r, &in, &t->err);
    return NULL;
}

Test(xls, read_on_a_thread_while_another_allocates)
{
    threaded_read t[2];
    memset(t, 0, sizeof t);
    pthread_t tid[2];
    for (int i = 0; i < 2; i++)
        cr_assert_eq(pthread_create(&tid[i], NULL, read_on_thread, &t[i]), 0);
    /* the main thread keeps malloc busy meanwhile */
    for (int k = 0; k < 20000; k++)
        free(malloc((size_t)(k % 4096) + 1));
    for (int i = 0; i < 2; i++) {
        cr_assert_eq(pthread_join(tid[i], NULL), 0);
        cr_assert_eq(t[i].st, 0, "%s", t[i].err.msg);
        cr_assert_not_null(strstr(t[i].r.t, "\nR24:|000.01.72.H56||1.001193|"));
        st_free(&t[i].r);
    }
}
