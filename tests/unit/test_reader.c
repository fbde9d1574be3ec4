/*
 * test_reader.c -- the CSV reader (etl/reader.c) on the file-level fixtures of
 * fixtures/bad/, the exports of fixtures/exports/, and inputs built here
 * (gzip variants, a bomb, huge fields, wide headers).
 *
 * Most checks go through a transcript: every callback as one text line, so
 * that "the same rows with the same line numbers" is a string comparison and
 * a failure shows the first difference.  Runs with the working directory
 * tests/unit.
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <zlib.h>

#include "etl/reader.h"

#define BAD "../../fixtures/bad/"
#define EXPORTS "../../fixtures/exports/"

/* ------------------------------------------------------------ helpers */

typedef struct {
    char *t;
    size_t len, cap;
    int no_lines;        /* leave line numbers out of the transcript */
    long rows, bad, headers;
    long row_line[16];   /* lines of the first rows */
    long bad_line[16];
    mc_reason bad_reason[16];
    size_t header_n;
    long stop_at_row;    /* on_row returns MC_EXIT_DATA at this row (1-based) */
} rec;

static void put(rec *r, const char *s, size_t n)
{
    if (r->len + n + 1 > r->cap) {
        r->cap = (r->len + n + 1) * 2;
        r->t = realloc(r->t, r->cap);
        cr_assert_not_null(r->t);
    }
    memcpy(r->t + r->len, s, n);
    r->len += n;
    r->t[r->len] = '\0';
}

static void puts_(rec *r, const char *s)
{
    put(r, s, strlen(s));
}

static void put_fields(rec *r, const mc_field *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            puts_(r, "|");
        for (size_t k = 0; k < f[i].len; k++) {
            unsigned char c = (unsigned char)f[i].p[k];
            char esc[8];
            if (c == '\n')
                puts_(r, "\\n");
            else if (c == '\r')
                puts_(r, "\\r");
            else if (c == '|' || c == '\\') {
                esc[0] = '\\', esc[1] = (char)c;
                put(r, esc, 2);
            } else if (c < 0x20) {
                snprintf(esc, sizeof esc, "\\x%02x", c);
                puts_(r, esc);
            } else
                put(r, (const char *)&c, 1);
        }
    }
    puts_(r, "\n");
}

static void put_line(rec *r, char kind, long line, size_t n)
{
    char b[64];
    if (r->no_lines)
        snprintf(b, sizeof b, "%c:%zu:", kind, n);
    else
        snprintf(b, sizeof b, "%c%ld:%zu:", kind, line, n);
    puts_(r, b);
}

static int on_header(void *ctx, long line, const mc_field *f, size_t n, mc_error *err)
{
    (void)err;
    rec *r = ctx;
    r->headers++;
    r->header_n = n;
    put_line(r, 'H', line, n);
    put_fields(r, f, n);
    return 0;
}

static int on_row(void *ctx, long line, const mc_field *f, size_t n, mc_error *err)
{
    rec *r = ctx;
    if (r->rows < 16)
        r->row_line[r->rows] = line;
    r->rows++;
    put_line(r, 'R', line, n);
    put_fields(r, f, n);
    if (r->stop_at_row && r->rows == r->stop_at_row)
        return mc_error_set(err, MC_EXIT_DATA, "stopped at row %ld", r->rows);
    return 0;
}

static int on_bad(void *ctx, long line, mc_reason reason, const char *detail, mc_error *err)
{
    (void)err;
    rec *r = ctx;
    if (r->bad < 16) {
        r->bad_line[r->bad] = line;
        r->bad_reason[r->bad] = reason;
    }
    r->bad++;
    put_line(r, 'B', line, (size_t)reason);
    puts_(r, detail);
    puts_(r, "\n");
    return 0;
}

static const mc_reader_cb CB = {.on_header = on_header, .on_row = on_row, .on_bad_row = on_bad};

/* Close a transcript with the outcome and what the reader learned. */
static void put_end(rec *r, int st, const mc_error *err, const mc_reader_info *in)
{
    char b[1400];
    snprintf(b, sizeof b, "E%d:%s\nI gz=%d delim=%d bom=%d sep=%d lines=%ld rows=%ld text=%llu\n",
             st, st ? err->msg : "", in->gzip, in->delimiter, in->bom, in->sep_line,
             r->no_lines ? 0 : in->lines, in->rows, (unsigned long long)in->bytes_text);
    puts_(r, b);
}

static int read_mem(const void *buf, size_t n, const mc_reader_opts *o, rec *r,
                    mc_reader_info *info, mc_error *err)
{
    int st = mc_read_mem("mem.csv", buf, n, o, &CB, r, info, err);
    put_end(r, st, err, info);
    return st;
}

static int read_file(const char *path, const mc_reader_opts *o, rec *r, mc_reader_info *info,
                     mc_error *err)
{
    int st = mc_read_file(path, o, &CB, r, info, err);
    put_end(r, st, err, info);
    return st;
}

static void rec_free(rec *r)
{
    free(r->t);
    memset(r, 0, sizeof *r);
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)len + 1);
    cr_assert_eq(fread(b, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *n = (size_t)len;
    return b;
}

/* gzip of buf as nmembers concatenated members (split evenly). */
static unsigned char *gzip_mem(const void *buf, size_t n, int nmembers, size_t *out_n)
{
    size_t cap = n + 64 * (size_t)nmembers + 1024, len = 0;
    unsigned char *out = malloc(cap);
    const unsigned char *in = buf;
    for (int m = 0; m < nmembers; m++) {
        size_t from = n * (size_t)m / (size_t)nmembers, to = n * (size_t)(m + 1) / (size_t)nmembers;
        z_stream z;
        memset(&z, 0, sizeof z);
        cr_assert_eq(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY), Z_OK);
        size_t bound = deflateBound(&z, to - from);
        if (len + bound > cap) {
            cap = (len + bound) * 2;
            out = realloc(out, cap);
        }
        z.next_in = (unsigned char *)in + from;
        z.avail_in = (uInt)(to - from);
        z.next_out = out + len;
        z.avail_out = (uInt)(cap - len);
        cr_assert_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
        len = cap - z.avail_out;
        deflateEnd(&z);
    }
    *out_n = len;
    return out;
}

/* ----------------------------------------------------- the good dialects */

static const char LF_ROWS[] =
    "R2:9:000.22.31.H56-240105-0001|000.22.31.H56|UBND xã Cửa Tùng, Quảng Trị|Đăng ký khai sinh|"
    "Trực tiếp|Đang xử lý|05/01/2024 08:15|08/01/2024|\n"
    "R3:9:000.22.31.H56-240105-0002|000.22.31.H56|UBND xã Cửa Tùng, Quảng Trị|Đăng ký kết hôn|"
    "Trực tuyến|Đã trả kết quả|05/01/2024 09:40|10/01/2024|09/01/2024 15:20\n"
    "R4:9:000.22.31.H56-240108-0003|000.22.31.H56|UBND xã Cửa Tùng, Quảng Trị|"
    "Chứng thực bản sao từ bản chính|Trực tiếp|Đã xử lý xong|08/01/2024 07:55|08/01/2024|"
    "08/01/2024 10:05\n"
    "R5:9:000.22.31.H56-240109-0004|000.22.31.H56|UBND xã Cửa Tùng, Quảng Trị|Đăng ký thường trú|"
    "Bưu chính công ích|Yêu cầu bổ sung giấy tờ|09/01/2024 14:30|16/01/2024|\n";

static const char HEADER[] =
    "H1:9:MaHoSo|MaDonVi|TenDonVi|TenTTHC|KenhThucHien|TrangThaiHoSo|NgayTiepNhan|NgayHenTra|"
    "NgayKetThucXuLy\n";

Test(reader, lf_rows_fields_and_lines)
{
    rec r = {0};
    mc_reader_info in;
    mc_error err;
    cr_assert_eq(read_file(BAD "lf.csv", NULL, &r, &in, &err), 0, "%s", err.msg);
    char want[4096];
    snprintf(want, sizeof want, "%s%sE0:\nI gz=0 delim=44 bom=0 sep=0 lines=5 rows=4 text=827\n",
             HEADER, LF_ROWS);
    cr_assert_str_eq(r.t, want);
    cr_assert_eq(in.bytes_raw, 827);
    rec_free(&r);
}

/* Everything after the first line of a transcript, line numbers left out. */
static char *rows_only(const char *path)
{
    rec r = {.no_lines = 1};
    mc_reader_info in;
    mc_error err;
    int st = mc_read_file(path, NULL, &CB, &r, &in, &err);
    cr_assert_eq(st, 0, "%s: %s", path, err.msg);
    cr_assert_eq(r.headers, 1);
    cr_assert_eq(r.rows, 4, "%s: %ld rows", path, r.rows);
    return r.t;
}

Test(reader, dialects_give_the_same_rows)
{
    char *lf = rows_only(BAD "lf.csv");
    const char *others[] = {"crlf.csv", "semicolon.csv", "tab.csv", "bom.csv", "sep-semicolon.csv"};
    for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
        char path[256];
        snprintf(path, sizeof path, BAD "%s", others[i]);
        char *t = rows_only(path);
        cr_expect_str_eq(t, lf, "%s differs from lf.csv", others[i]);
        free(t);
    }
    free(lf);
}

Test(reader, dialect_detection_info)
{
    struct {
        const char *file;
        char delim;
        int bom, sep;
        long header_line, first_row;
    } c[] = {
        {"crlf.csv", ',', 0, 0, 1, 2},      {"semicolon.csv", ';', 0, 0, 1, 2},
        {"tab.csv", '\t', 0, 0, 1, 2},      {"bom.csv", ',', 1, 0, 1, 2},
        {"sep-semicolon.csv", ';', 0, 1, 2, 3},
    };
    for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
        char path[256];
        snprintf(path, sizeof path, BAD "%s", c[i].file);
        rec r = {0};
        mc_reader_info in;
        mc_error err;
        cr_assert_eq(mc_read_file(path, NULL, &CB, &r, &in, &err), 0, "%s", err.msg);
        cr_expect_eq(in.delimiter, c[i].delim, "%s", c[i].file);
        cr_expect_eq(in.bom, c[i].bom, "%s", c[i].file);
        cr_expect_eq(in.sep_line, c[i].sep, "%s", c[i].file);
        char h[16];
        snprintf(h, sizeof h, "H%ld:9:MaHoSo|", c[i].header_line);
        cr_expect(strncmp(r.t, h, strlen(h)) == 0, "%s: %.40s", c[i].file, r.t);
        cr_expect_eq(r.row_line[0], c[i].first_row, "%s", c[i].file);
        cr_expect_eq(r.row_line[3], c[i].first_row + 3, "%s", c[i].file);
        rec_free(&r);
    }
}

Test(reader, delimiter_detection_from_the_header)
{
    struct {
        const char *text;
        char want;
    } c[] = {
        {"a;b;c,d\n1;2;3,4\n", ';'},
        {"a,b;c\n1,2;3\n", ','},               /* tie: comma */
        {"a\tb\tc;d\n1\t2\t3;4\n", '\t'},
        {"\"x;y;z\",b\n1,2\n", ','},           /* quoted ; do not count */
        {"MaHoSo\n1\n", ','},                  /* none: comma */
        {"\xEF\xBB\xBFsep=\t\r\na,b\tc\r\n1,2\t3\r\n", '\t'},
        {"SEP=,\na;b;c\n", ','},
    };
    for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
        rec r = {0};
        mc_reader_info in;
        mc_error err;
        cr_assert_eq(mc_read_mem("d.csv", c[i].text, strlen(c[i].text), NULL, &CB, &r, &in, &err), 0,
                     "%zu: %s", i, err.msg);
        cr_expect_eq(in.delimiter, c[i].want, "case %zu: got %d", i, in.delimiter);
        rec_free(&r);
    }
}

Test(reader, sep_line_with_another_delimiter_is_refused)
{
    const char *text = "sep=|\nMaHoSo|MaDonVi\n1|2\n";
    mc_reader_info in;
    mc_error err;
    cr_assert_eq(mc_read_mem("pipe.csv", text, strlen(text), NULL, &CB, NULL, &in, &err), MC_EXIT_DATA);
    cr_assert_str_eq(err.msg, "pipe.csv: line 1: unsupported delimiter in the sep= line (use ',', ';' or tab)");
}

Test(reader, quoted_newlines_keep_physical_lines)
{
    rec r = {0};
    mc_reader_info in;
    mc_error err;
    cr_assert_eq(read_file(BAD "quoted-newlines.csv", NULL, &r, &in, &err), 0, "%s", err.msg);
    const char *want =
        "H1:10:MaHoSo|MaDonVi|TenDonVi|TenTTHC|KenhThucHien|TrangThaiHoSo|NgayTiepNhan|NgayHenTra|"
        "NgayKetThucXuLy|GhiChu\n"
        "R2:10:000.22.31.H56-240110-0005|000.22.31.H56|UBND xã Cửa Tùng|Đăng ký khai sinh\\n(cấp bản sao)|"
        "Trực tiếp|Đang xử lý|10/01/2024 08:00|12/01/2024||\n"
        "R4:10:000.22.31.H56-240110-0006|000.22.31.H56|UBND xã Cửa Tùng|Đăng ký kết hôn|Trực tuyến|"
        "Đã trả kết quả|10/01/2024 09:00|15/01/2024|11/01/2024|\n"
        "R6:10:000.22.31.H56-240111-0007|000.22.31.H56|UBND xã Cửa Tùng, Quảng Trị|Chứng thực chữ ký|"
        "Trực tiếp|Đã xử lý xong|11/01/2024 10:30|11/01/2024|11/01/2024 11:00|"
        "Ghi chú: \"khẩn\"\\r\\ndòng 2; số 3\\n\\ndòng 4\n"
        "R10:10:000.22.31.H56-240112-0008|000.22.31.H56|UBND xã Cửa Tùng|Đăng ký tạm trú|Trực tuyến|"
        "Được tiếp nhận|12/01/2024 07:45|19/01/2024||\n"
        "E0:\nI gz=0 delim=44 bom=0 sep=0 lines=10 rows=4 text=818\n";
    cr_assert_str_eq(r.t, want);
    rec_free(&r);
}

Test(reader, blank_and_space_only_lines_are_skipped)
{
    const char *text = "\n\r\n  \na,b\n\n1,2\r\n   \n\t\r\n3,4\n\n";
    /* lines:            1 2    3    4    5 6       7    8      9    10 */
    rec r = {0};
    mc_reader_info in;
    mc_error err;
    cr_assert_eq(read_mem(text, strlen(text), NULL, &r, &in, &err), 0, "%s", err.msg);
    cr_assert_str_eq(r.t, "H4:2:a|b\nR6:2:1|2\nR9:2:3|4\nE0:\n"
                          "I gz=0 delim=44 bom=0 sep=0 lines=10 rows=2 text=28\n");
    rec_free(&r);
}

Test(reader, fields_are_raw)
{
    /* spaces around fields are padding (a space after a closing quote must
     * not reopen the quote), empty fields kept, bad UTF-8 passed through (the
     * file is UTF-8 otherwise) */
    const char *text = "a,b,c\n  x , \"y \" ,\n\xE9t\xE9,,\"\"\nCửa Tùng,Đăng ký,xử lý\n";
    rec r = {0};
    mc_reader_info in;
    mc_error err;
    cr_assert_eq(read_mem(text, strlen(text), NULL, &r, &in, &err), 0, "%s", err.msg);
    cr_assert_str_eq(r.t, "H1:3:a|b|c\nR2:3:x|y |\nR3:3:\xE9t\xE9||\nR4:3:Cửa Tùng|Đăng ký|xử lý\n"
                          "E0:\nI gz=0 delim=44 bom=0 sep=0 lines=4 rows=3 text=59\n");
    rec_free(&r);
}

Test(reader, space_after_closing_quote_keeps_later_rows)
{
    const char *text = "a,b\n\"A1\" ,x\nA2,y\n";
    rec r = {0};
    mc_reader_info in;
    mc_error err;
    cr_assert_eq(read_mem(text, strlen(text), NULL, &r, &in, &err), 0, "%s", err.msg);
    cr_assert_str_eq(r.t, "H1:2:a|b\nR2:2:A1|x\nR3:2:A2|y\nE0:\n"
                          "I gz=0 delim=44 bom=0 sep=0 lines=3 rows=2 text=17\n");
    rec_free(&r);
}

Test(reader, last_line_without_newline)
{
    const char *text = "a,b\r\n1,2\r\n3,\"4\"";
    rec r = {0};
    mc_reader_info in;
    mc_error err;
    cr_assert_eq(read_mem(text, strlen(text), NULL, &r, &in, &err), 0, "%s", err.msg);
    cr_assert_str_eq(r.t, "H1:2:a|b\nR2:2:1|2\nR3:2:3|4\nE0:\n"
                          "I gz=0 delim=44 bom=0 sep=0 lines=3 rows=2 text=15\n");
    rec_free(&r);
}

Test(reader, nul_byte_delivered_as_is)
{
    rec r = {0};
    mc_reader_info in;
    mc_error err;
    cr_assert_eq(mc_read_file(BAD "nul-byte.csv", NULL, &CB, &r, &in, &err), 0, "%s", err.msg);
    cr_assert_eq(r.rows, 2);
    cr_assert_not_null(strstr(r.t, "R2:9:000.22.31.H56-240113-0011|000.22.31.H56|UBND xã Cửa Tùng|"
                                    "Đăng ký\\x00 khai sinh|"));
    cr_assert_eq(r.row_line[1], 3);
    rec_free(&r);
}

Test(reader, header_only_is_valid)
{
    rec r = {0};
    mc_reader_info in;
    mc_error err;
    cr_assert_eq(mc_read_file(BAD "header-only.csv", NULL, &CB, &r, &in, &err), 0, "%s", err.msg);
    cr_assert_eq(r.headers, 1);
    cr_assert_eq(r.header_n, 9);
    cr_assert_eq(r.rows, 0);
    cr_assert_eq(in.rows, 0);
    cr_assert_eq(in.lines, 1);
    rec_free(&r);
}

Test(reader, unterminated_quote_reports_the_last_row)
{
    rec r = {0};
    mc_reader_info in;
    mc_error err;
    cr_assert_eq(mc_read_file(BAD "unterminated-quote.csv", NULL, &CB, &r, &in, &err), 0, "%s", err.msg);
    cr_assert_eq(r.rows, 2);
    cr_assert_eq(r.row_line[1], 3);
    cr_assert_eq(r.bad, 1);
    cr_assert_eq(r.bad_line[0], 4);
    cr_assert_eq(r.bad_reason[0], MC_REASON_UNTERMINATED_QUOTE);
    cr_assert_eq(in.rows, 3);
    cr_assert_eq(in.lines, 5);
    rec_free(&r);
}

/* ----------------------------------------------------- refused files */

static void expect_refused(const char *file, const char *const *needles, const char *const *absent)
{
    char path[256];
    snprintf(path, sizeof path, BAD "%s", file);
    rec r = {0};
    mc_reader_info in;
    mc_error err;
    int st = mc_read_file(path, NULL, &CB, &r, &in, &err);
    cr_assert_eq(st, MC_EXIT_DATA, "%s: status %d (%s)", file, st, err.msg);
    cr_assert_eq(err.status, MC_EXIT_DATA);
    cr_assert_not_null(strstr(err.msg, path), "%s: message does not name the file: %s", file, err.msg);
    cr_assert_null(strchr(err.msg, '\n'), "%s: not one line", file);
    for (; needles && *needles; needles++)
        cr_assert_not_null(strstr(err.msg, *needles), "%s: no '%s' in: %s", file, *needles, err.msg);
    for (; absent && *absent; absent++)
        cr_assert_null(strstr(err.msg, *absent), "%s: '%s' in: %s", file, *absent, err.msg);
    cr_assert_eq(r.headers, 0, "%s: header delivered", file);
    cr_assert_eq(r.rows, 0, "%s: rows delivered", file);
    rec_free(&r);
}

Test(reader, refuses_empty_and_blank_files)
{
    expect_refused("empty.csv", (const char *[]){"no header line", "empty", NULL}, NULL);
    expect_refused("blank-only.csv", (const char *[]){"no header line", "blank", NULL}, NULL);
    mc_reader_info in;
    mc_error err;
    mc_read_file(BAD "blank-only.csv", NULL, &CB, NULL, &in, &err);
    cr_assert_eq(in.lines, 5);
    mc_read_file(BAD "empty.csv", NULL, &CB, NULL, &in, &err);
    cr_assert_eq(in.lines, 0);
    cr_assert_eq(in.bytes_raw, 0);
}

Test(reader, refuses_legacy_encodings_by_name)
{
    expect_refused("tcvn3.csv", (const char *[]){"not UTF-8", "TCVN3", "UniKey", NULL},
                   (const char *[]){"VNI", "1258", NULL});
    expect_refused("vni.csv", (const char *[]){"not UTF-8", "VNI", "UniKey", NULL},
                   (const char *[]){"TCVN3", "1258", NULL});
    expect_refused("cp1258.csv", (const char *[]){"not UTF-8", "Windows-1258", "iconv -f CP1258 -t UTF-8", NULL},
                   (const char *[]){"TCVN3", "VNI", NULL});
}

Test(reader, refuses_binary)
{
    expect_refused("binary.bin", (const char *[]){"not a CSV text file", "binary", NULL}, NULL);
}

/* ------------------------------------------------ encodings (SPEC 10.3) */

/* The transcript without its last line (what the reader learned: the byte
 * counts differ between encodings of the same rows). */
static char *rows_of(rec *r)
{
    char *i = strstr(r->t, "\nI gz=");
    cr_assert_not_null(i);
    i[1] = '\0';
    return r->t;
}

/* The transcript of a read with encoding enc, and its info. */
static char *read_with(const char *path, const void *buf, size_t n, mc_reader_encoding enc,
                       size_t chunk, mc_reader_info *in)
{
    mc_reader_opts o = {.encoding = enc, .chunk_size = chunk};
    rec r = {0};
    mc_error err;
    int st = path ? read_file(path, &o, &r, in, &err) : read_mem(buf, n, &o, &r, in, &err);
    cr_assert_eq(st, 0, "%s: %s", path ? path : "mem", err.msg);
    return rows_of(&r);
}

/* text converted by glibc's iconv, for building inputs */
static char *iconv_mem(const char *from, const char *to, const char *s, size_t n, size_t *out_n)
{
    iconv_t cd = iconv_open(to, from);
    cr_assert_neq(cd, (iconv_t)-1);
    size_t cap = 4 * n + 16, left = cap;
    char *out = malloc(cap), *op = out, *ip = (char *)s;
    cr_assert_neq(iconv(cd, &ip, &n, &op, &left), (size_t)-1);
    iconv_close(cd);
    *out_n = cap - left;
    return out;
}

/* the UTF-8 rows of the legacy fixtures (make-fixtures.sh): lf.csv without
 * the comma in the unit name */
static char *legacy_source(size_t *n)
{
    char *lf = slurp(BAD "lf.csv", n);
    lf[*n] = '\0'; /* slurp leaves room for it */
    const char *from = "\"UBND xã Cửa Tùng, Quảng Trị\"", *to = "UBND xã Cửa Tùng";
    char *p;
    while ((p = strstr(lf, from))) {
        memmove(p + strlen(to), p + strlen(from), *n - (size_t)(p - lf) - strlen(from) + 1);
        memcpy(p, to, strlen(to));
        *n -= strlen(from) - strlen(to);
    }
    return lf;
}

Test(reader, utf16_with_a_bom_reads_as_its_utf8)
{
    mc_reader_info in, in8;
    char *want = read_with(BAD "lf.csv", NULL, 0, MC_READER_UTF8, 0, &in8);
    char *got = read_with(BAD "utf16le.csv", NULL, 0, MC_READER_UTF8, 0, &in);
    cr_assert_str_eq(got, want);
    cr_assert_str_eq(in.format, "utf16");
    cr_assert_eq(in.converted, 1);
    cr_assert_eq(in.lines, in8.lines);
    cr_assert_str_eq(in8.format, "csv");
    cr_assert_eq(in8.converted, 0);
    free(got);

    /* big-endian, and gzip'd, and in one-byte chunks: the same rows */
    size_t n, bn;
    char *lf = slurp(BAD "lf.csv", &n);
    char *be = iconv_mem("UTF-8", "UTF-16BE", lf, n, &bn);
    char *bom = malloc(bn + 2);
    bom[0] = (char)0xFE;
    bom[1] = (char)0xFF;
    memcpy(bom + 2, be, bn);
    got = read_with(NULL, bom, bn + 2, MC_READER_UTF8, 1, &in);
    cr_assert_str_eq(got, want);
    cr_assert_str_eq(in.format, "utf16");
    free(got);
    size_t gn;
    unsigned char *gz = gzip_mem(bom, bn + 2, 2, &gn);
    got = read_with(NULL, gz, gn, MC_READER_UTF8, 7, &in);
    cr_assert_str_eq(got, want);
    cr_assert_eq(in.gzip, 1);
    cr_assert_str_eq(in.format, "utf16");
    free(got);
    free(gz);
    free(bom);
    free(be);
    free(lf);
    free(want);
}

/* A UTF-16 unit that does not convert (a lone surrogate, an odd byte at the
 * end) costs its row only: the byte MC_READER_UNCONVERTED marks it, the
 * lines stay where they were. */
Test(reader, utf16_sequences_that_do_not_convert_mark_their_row)
{
    const char *text = "MaHoSo,TrangThaiHoSo\nA1,2\nA2,Z\nA3,4\nA4,5";
    size_t n = strlen(text), un;
    char *u = iconv_mem("UTF-8", "UTF-16LE", text, n, &un);
    char *buf = malloc(un + 3);
    buf[0] = (char)0xFF;
    buf[1] = (char)0xFE;
    memcpy(buf + 2, u, un);
    char *z = buf + 2 + 2 * (size_t)(strchr(text, 'Z') - text);
    z[0] = 0x00; /* Z becomes U+D800, a high surrogate with no low one */
    z[1] = (char)0xD8;
    buf[un + 2] = 'x'; /* an odd byte at the very end */
    for (size_t chunk = 0; chunk <= 5; chunk++) {
        mc_reader_info in;
        char *got = read_with(NULL, buf, un + 3, MC_READER_UTF8, chunk, &in);
        cr_assert_str_eq(got, "H1:2:MaHoSo|TrangThaiHoSo\nR2:2:A1|2\nR3:2:A2|\xff\nR4:2:A3|4\n"
                              "R5:2:A4|5\xff\nE0:\n", "chunk %zu", chunk);
        cr_assert_eq(in.lines, 5);
        free(got);
    }
    free(buf);
    free(u);
}

Test(reader, legacy_encodings_convert_when_asked)
{
    size_t n;
    char *src = legacy_source(&n);
    mc_reader_info in;
    char *want = read_with(NULL, src, n, MC_READER_UTF8, 0, &in);
    for (size_t chunk = 0; chunk <= 3; chunk++) {
        char *got = read_with(BAD "cp1258.csv", NULL, 0, MC_READER_CP1258, chunk, &in);
        cr_assert_str_eq(got, want, "cp1258, chunk %zu", chunk);
        cr_assert_str_eq(in.format, "cp1258");
        cr_assert_eq(in.converted, 1);
        free(got);
        got = read_with(BAD "tcvn3.csv", NULL, 0, MC_READER_TCVN3, chunk, &in);
        cr_assert_str_eq(got, want, "tcvn3, chunk %zu", chunk);
        cr_assert_str_eq(in.format, "tcvn3");
        free(got);
    }
    /* the wrong one of the two still converts, into other letters: the
     * rows are there, their text is not the source's */
    char *got = read_with(BAD "tcvn3.csv", NULL, 0, MC_READER_CP1258, 0, &in);
    cr_assert_str_neq(got, want);
    free(got);
    free(want);
    free(src);
}

/* --encoding converts only what is not UTF-8: a UTF-8 export in the same
 * inbox is read as it is. */
Test(reader, legacy_encoding_leaves_utf8_alone)
{
    mc_reader_info in, in8;
    const char *files[] = {"lf.csv", "bom.csv", "semicolon.csv", "quoted-newlines.csv"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[128];
        snprintf(path, sizeof path, BAD "%s", files[i]);
        char *want = read_with(path, NULL, 0, MC_READER_UTF8, 0, &in8);
        char *got = read_with(path, NULL, 0, MC_READER_CP1258, 0, &in);
        cr_assert_str_eq(got, want, "%s", files[i]);
        cr_assert_str_eq(in.format, "csv", "%s", files[i]);
        cr_assert_eq(in.converted, 0);
        free(got);
        free(want);
    }
    /* UTF-16 stays UTF-16 */
    free(read_with(BAD "utf16le.csv", NULL, 0, MC_READER_TCVN3, 0, &in));
    cr_assert_str_eq(in.format, "utf16");
    /* ASCII is read as UTF-8: a UTF-8 file's later letters are never
     * turned into others */
    const char *ascii = "MaHoSo,MaDonVi,TrangThaiHoSo,NgayTiepNhan\nA1,U1,2,01/07/2025\n";
    free(read_with(NULL, ascii, strlen(ascii), MC_READER_TCVN3, 0, &in));
    cr_assert_str_eq(in.format, "csv");
    cr_assert_eq(in.converted, 0);
}

/* Bytes CP1258 does not have (81 8A 8D-90 9A 9D 9E) mark their field; the
 * character iconv held back before one is not lost. */
Test(reader, cp1258_bytes_that_do_not_convert_mark_their_row)
{
    const char *text = "MaHoSo,TenTTHC\nA1,Ng\xe0y\nA2,x\x81y\nA3,a\xec\x8d\nA4,\x9e";
    for (size_t chunk = 0; chunk <= 4; chunk++) {
        mc_reader_info in;
        char *got = read_with(NULL, text, strlen(text), MC_READER_CP1258, chunk, &in);
        cr_assert_str_eq(got, "H1:2:MaHoSo|TenTTHC\nR2:2:A1|Ngày\nR3:2:A2|x\xffy\n"
                              "R4:2:A3|á\xff\nR5:2:A4|\xff\nE0:\n", "chunk %zu", chunk);
        free(got);
    }
}

/* A title line without three delimiters says nothing of the delimiter: the
 * header below it does (SPEC 10.2). */
Test(reader, delimiter_from_the_first_line_that_can_be_a_header)
{
    const char *text = "UBND XÃ CỬA TÙNG\n\nDANH SÁCH HỒ SƠ, QUÝ III\n"
                       "Mã hồ sơ;Đơn vị;Trạng thái;Ngày tiếp nhận\nA1;X;2;01/07/2025\n";
    mc_reader_info in;
    char *got = read_with(NULL, text, strlen(text), MC_READER_UTF8, 0, &in);
    cr_assert_eq(in.delimiter, ';');
    cr_assert_str_eq(got, "H1:1:UBND XÃ CỬA TÙNG\nR3:1:DANH SÁCH HỒ SƠ, QUÝ III\n"
                          "R4:4:Mã hồ sơ|Đơn vị|Trạng thái|Ngày tiếp nhận\nR5:4:A1|X|2|01/07/2025\nE0:\n");
    free(got);
    /* a first line with three delimiters decides, as before */
    const char *tab = "a,b,c,d\nx\ty\tz\tw\n";
    free(read_with(NULL, tab, strlen(tab), MC_READER_UTF8, 0, &in));
    cr_assert_eq(in.delimiter, ',');
    /* an Excel sep= line decides */
    const char *sep = "sep=,\nTITLE\na;b;c;d\n";
    free(read_with(NULL, sep, strlen(sep), MC_READER_UTF8, 0, &in));
    cr_assert_eq(in.delimiter, ',');
}


Test(reader, utf16_without_bom_and_xlsx)
{
    char buf[256];
    const char *ascii = "MaHoSo,MaDonVi\n1,2\n";
    size_t n = 0;
    for (const char *p = ascii; *p; p++) {
        buf[n++] = *p;
        buf[n++] = 0;
    }
    rec r = {0};
    mc_reader_info in;
    mc_error err;
    cr_assert_eq(mc_read_mem("u.csv", buf, n, NULL, &CB, &r, &in, &err), MC_EXIT_DATA);
    cr_assert_not_null(strstr(err.msg, "UTF-16 little-endian"), "%s", err.msg);
    cr_assert_eq(mc_read_mem("u.csv", buf + 1, n - 1, NULL, &CB, &r, &in, &err), MC_EXIT_DATA);
    cr_assert_not_null(strstr(err.msg, "UTF-16 big-endian"), "%s", err.msg);
    cr_assert_eq(mc_read_mem("w.csv", "PK\3\4\24\0\6\0", 8, NULL, &CB, &r, &in, &err), MC_EXIT_DATA);
    cr_assert_not_null(strstr(err.msg, "Excel workbook"), "%s", err.msg);
    cr_assert_eq(r.headers, 0);
    rec_free(&r);
}

Test(reader, utf8_with_a_few_bad_bytes_is_not_refused)
{
    size_t n;
    char *lf = slurp(BAD "lf.csv", &n);
    /* a Latin-1 byte in two fields: the caller quarantines those rows */
    char *p = strstr(lf, "khai sinh");
    p[0] = (char)0xE9;
    p = strstr(lf, "thường trú");
    p[0] = (char)0xFF;
    rec r = {0};
    mc_reader_info in;
    mc_error err;
    cr_assert_eq(mc_read_mem("few-bad.csv", lf, n, NULL, &CB, &r, &in, &err), 0, "%s", err.msg);
    cr_assert_eq(r.rows, 4);
    rec_free(&r);
    free(lf);
}

Test(reader, missing_file_is_an_io_error)
{
    rec r = {0};
    mc_reader_info in;
    mc_error err;
    int st = mc_read_file(BAD "no-such-file.csv", NULL, &CB, &r, &in, &err);
    cr_assert_eq(st, MC_EXIT_IO);
    cr_assert_not_null(strstr(err.msg, "no-such-file.csv"), "%s", err.msg);
    cr_assert_not_null(strstr(err.msg, "cannot open"), "%s", err.msg);
    rec_free(&r);
}

Test(reader, callback_status_stops_the_read)
{
    rec r = {.stop_at_row = 2};
    mc_reader_info in;
    mc_error err;
    int st = mc_read_file(BAD "lf.csv", NULL, &CB, &r, &in, &err);
    cr_assert_eq(st, MC_EXIT_DATA);
    cr_assert_str_eq(err.msg, "stopped at row 2");
    cr_assert_eq(r.rows, 2);
    rec_free(&r);
}

/* ------------------------------------------------------------- gzip */

Test(reader, gzip_equals_plain_whatever_the_members)
{
    size_t n;
    char *lf = slurp(BAD "quoted-newlines.csv", &n);
    rec plain = {0};
    mc_reader_info in;
    mc_error err;
    cr_assert_eq(read_mem(lf, n, NULL, &plain, &in, &err), 0, "%s", err.msg);
    for (int members = 1; members <= 5; members += 2) {
        size_t gn;
        unsigned char *gz = gzip_mem(lf, n, members, &gn);
        for (size_t chunk = 1; chunk <= 64; chunk += 9) {
            rec g = {0};
            mc_reader_opts o = {.chunk_size = chunk};
            cr_assert_eq(read_mem(gz, gn, &o, &g, &in, &err), 0, "%s", err.msg);
            cr_assert_eq(in.gzip, 1);
            cr_assert_eq(in.bytes_raw, gn);
            char *gi = strstr(g.t, "I gz=1");
            cr_assert_not_null(gi);
            gi[5] = '0'; /* the only expected difference */
            cr_assert_str_eq(g.t, plain.t, "members %d chunk %zu", members, chunk);
            rec_free(&g);
        }
        free(gz);
    }
    rec_free(&plain);
    free(lf);
}

Test(reader, gzip_with_zero_padding_is_accepted)
{
    size_t n, gn;
    char *lf = slurp(BAD "lf.csv", &n);
    unsigned char *gz = gzip_mem(lf, n, 1, &gn);
    gz = realloc(gz, gn + 100);
    memset(gz + gn, 0, 100);
    rec r = {0};
    mc_reader_info in;
    mc_error err;
    cr_assert_eq(mc_read_mem("pad.csv.gz", gz, gn + 100, NULL, &CB, &r, &in, &err), 0, "%s", err.msg);
    cr_assert_eq(r.rows, 4);
    gz[gn + 50] = 'x';
    cr_assert_eq(mc_read_mem("pad.csv.gz", gz, gn + 100, NULL, &CB, &r, &in, &err), MC_EXIT_DATA);
    cr_assert_not_null(strstr(err.msg, "corrupt"), "%s", err.msg);
    rec_free(&r);
    free(gz);
    free(lf);
}

Test(reader, truncated_gzip_is_refused)
{
    rec r = {0};
    mc_reader_info in;
    mc_error err;
    int st = mc_read_file(BAD "truncated.csv.gz", NULL, &CB, &r, &in, &err);
    cr_assert_eq(st, MC_EXIT_DATA, "%d %s", st, err.msg);
    cr_assert_eq(in.gzip, 1);
    cr_assert_not_null(strstr(err.msg, BAD "truncated.csv.gz: gzip data is truncated"), "%s", err.msg);
    rec_free(&r);
}

Test(reader, corrupt_gzip_is_refused)
{
    size_t n, gn;
    char *lf = slurp(BAD "lf.csv", &n);
    unsigned char *gz = gzip_mem(lf, n, 1, &gn);
    gz[gn - 6] ^= 0x55; /* CRC-32 of the trailer */
    rec r = {0};
    mc_reader_info in;
    mc_error err;
    cr_assert_eq(mc_read_mem("bad.csv.gz", gz, gn, NULL, &CB, &r, &in, &err), MC_EXIT_DATA);
    cr_assert_not_null(strstr(err.msg, "bad.csv.gz: gzip data is corrupt"), "%s", err.msg);
    rec_free(&r);
    free(gz);
    free(lf);
}

/* The trailer's length (ISIZE) is checked as well as its CRC-32. */
Test(reader, gzip_with_a_wrong_length_is_refused)
{
    size_t n, gn;
    char *lf = slurp(BAD "lf.csv", &n);
    unsigned char *gz = gzip_mem(lf, n, 1, &gn);
    gz[gn - 4] ^= 0x01; /* ISIZE, little-endian: one byte more or less */
    rec r = {0};
    mc_reader_info in;
    mc_error err;
    for (size_t chunk = 0; chunk <= 7; chunk++) {
        mc_reader_opts o = {.chunk_size = chunk};
        cr_assert_eq(mc_read_mem("len.csv.gz", gz, gn, &o, &CB, &r, &in, &err), MC_EXIT_DATA);
        cr_assert_str_eq(err.msg, "len.csv.gz: gzip data is corrupt (CRC-32 or length mismatch): "
                                  "the copy is damaged, fetch the export again");
    }
    rec_free(&r);
    free(gz);
    free(lf);
}

/* A member header with every optional part (extra field, name, comment,
 * header CRC) is read whatever the pieces it arrives in: ISA-L's own
 * header reading loses the flags between calls, ours keeps them. */
Test(reader, gzip_header_with_every_option_at_every_chunk_size)
{
    size_t n;
    char *lf = slurp(BAD "quoted-newlines.csv", &n);
    size_t cap = n + 4096, gn;
    unsigned char *gz = malloc(cap);
    unsigned char extra[300];
    memset(extra, 'e', sizeof extra);
    char name[] = "a rather long original file name, as gzip(1) stores it.csv";
    char comment[] = "exported by the provincial portal";
    gz_header h;
    memset(&h, 0, sizeof h);
    h.extra = extra;
    h.extra_len = sizeof extra;
    h.name = (Bytef *)name;
    h.comment = (Bytef *)comment;
    h.hcrc = 1;
    z_stream z;
    memset(&z, 0, sizeof z);
    cr_assert_eq(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    cr_assert_eq(deflateSetHeader(&z, &h), Z_OK);
    z.next_in = (Bytef *)lf;
    z.avail_in = (uInt)n;
    z.next_out = gz;
    z.avail_out = (uInt)cap;
    cr_assert_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    gn = cap - z.avail_out;
    deflateEnd(&z);
    cr_assert_eq(gz[3], 0x1E, "FHCRC, FEXTRA, FNAME and FCOMMENT set");

    rec plain = {0};
    mc_reader_info in;
    mc_error err;
    cr_assert_eq(read_mem(lf, n, NULL, &plain, &in, &err), 0, "%s", err.msg);
    for (size_t chunk = 0; chunk <= 64; chunk++) {
        rec g = {0};
        mc_reader_opts o = {.chunk_size = chunk};
        cr_assert_eq(read_mem(gz, gn, &o, &g, &in, &err), 0, "chunk %zu: %s", chunk, err.msg);
        char *gi = strstr(g.t, "I gz=1");
        cr_assert_not_null(gi);
        gi[5] = '0';
        cr_assert_str_eq(g.t, plain.t, "chunk %zu", chunk);
        rec_free(&g);
    }
    /* a damaged header CRC is damage */
    size_t hcrc_at = 10 + 2 + sizeof extra + sizeof name + sizeof comment;
    gz[hcrc_at] ^= 0xFF;
    rec g = {0};
    cr_assert_eq(read_mem(gz, gn, NULL, &g, &in, &err), MC_EXIT_DATA);
    cr_assert_not_null(strstr(err.msg, "gzip data is corrupt (header checksum mismatch)"), "%s",
                       err.msg);
    rec_free(&g);
    rec_free(&plain);
    free(gz);
    free(lf);
}

static int count_row(void *ctx, long line, const mc_field *f, size_t n, mc_error *err)
{
    (void)line, (void)f, (void)n, (void)err;
    ++*(long *)ctx;
    return 0;
}

static int stop_at_third_row(void *ctx, long line, const mc_field *f, size_t n, mc_error *err)
{
    (void)line, (void)f, (void)n;
    if (++*(long *)ctx < 3)
        return 0;
    return mc_error_set(err, MC_EXIT_TEMPFAIL, "enough");
}

/* A caller that stops a gzip read early, from memory or from a file, gets
 * its status back, whole. */
Test(reader, gzip_read_stopped_by_the_caller)
{
    size_t blk = (size_t)4 << 20, n = 0;
    char *text = malloc(blk);
    n = (size_t)sprintf(text, "MaHoSo,MaDonVi,TrangThaiHoSo\n");
    for (long i = 0; n + 100 < blk; i++)
        n += (size_t)sprintf(text + n, "000.00.06.H56-231027-%07ld,H56,4\n", i);
    size_t gn;
    unsigned char *gz = gzip_mem(text, n, 1, &gn);
    char path[] = "/tmp/mc_stop_XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, gz, gn), (ssize_t)gn);
    close(fd);
    mc_reader_cb cb = {.on_row = stop_at_third_row};
    for (int from_file = 0; from_file <= 1; from_file++) {
        for (size_t chunk = 64; chunk <= ((size_t)1 << 20); chunk *= 128) {
            long rows = 0;
            mc_reader_info in;
            mc_error err;
            mc_error_clear(&err);
            mc_reader_opts o = {.chunk_size = chunk};
            int st = from_file ? mc_read_file(path, &o, &cb, &rows, &in, &err)
                               : mc_read_mem("stop.csv.gz", gz, gn, &o, &cb, &rows, &in, &err);
            cr_assert_eq(st, MC_EXIT_TEMPFAIL, "file %d chunk %zu: %d %s", from_file, chunk, st,
                         err.msg);
            cr_assert_str_eq(err.msg, "enough");
            cr_assert_eq(rows, 3);
            cr_assert_eq(in.gzip, 1);
        }
    }
    unlink(path);
    free(gz);
    free(text);
}

Test(reader, gzip_bomb_is_stopped_early, .timeout = 120)
{
    /* One member of 1 MiB of rows (~400x), repeated: 1 GiB of text from
     * about 2.5 MiB.  Honest exports compress 5-15x. */
    size_t blk = (size_t)1 << 20, n = 0;
    char *text = malloc(blk);
    const char *hdr = "MaHoSo,MaDonVi,TrangThaiHoSo,GhiChu\n";
    n = strlen(hdr);
    memcpy(text, hdr, n);
    char note[200];
    memset(note, 'x', sizeof note - 1);
    note[sizeof note - 1] = '\0';
    while (n + 300 < blk)
        n += (size_t)sprintf(text + n, "000.00.06.H56-231027-0361,H56,4,%s\n", note);
    size_t gn;
    unsigned char *one = gzip_mem(text, n, 1, &gn);
    size_t copies = 1024, total = gn * copies;
    unsigned char *bomb = malloc(total);
    for (size_t i = 0; i < copies; i++)
        memcpy(bomb + i * gn, one, gn);
    long rows = 0;
    mc_reader_cb cb = {.on_row = count_row};
    mc_reader_info in;
    mc_error err;
    mc_reader_opts o = {.chunk_size = 64 * 1024};
    int st = mc_read_mem("bomb.csv.gz", bomb, total, &o, &cb, &rows, &in, &err);
    cr_assert_eq(st, MC_EXIT_DATA, "status %d", st);
    cr_assert_not_null(strstr(err.msg, "decompression bomb"), "%s", err.msg);
    cr_assert_leq(in.bytes_text, MC_READER_BOMB_FLOOR + ((uint64_t)2 << 20));
    cr_assert_lt(in.bytes_raw, total / 2, "read %llu of %zu", (unsigned long long)in.bytes_raw, total);
    cr_assert_gt(rows, 0);
    free(bomb);
    free(one);
    free(text);
}

/* A gzip export read from a pipe whose writer stays open: refused at the
 * encoding sniff, the read returns at once instead of waiting for the
 * writer (nothing may read ahead on the pipe once the reader stops). */
Test(reader, gzip_from_a_pipe_does_not_wait_for_the_writer, .timeout = 30)
{
    size_t n = 0, cap = 256 * 1024;
    unsigned char *text = malloc(cap);
    /* TCVN3-like bytes: refused once 64 KiB are sniffed */
    for (; n + 2 <= cap; n += 2) {
        text[n] = (unsigned char)('a' + n / 2 % 26);
        text[n + 1] = 0xB5;
    }
    size_t gn;
    unsigned char *gz = gzip_mem(text, n, 1, &gn);
    cr_assert_lt(gn, 60000, "fits a pipe's buffer");
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    cr_assert_eq(write(fds[1], gz, gn), (ssize_t)gn);
    char path[64];
    snprintf(path, sizeof path, "/dev/fd/%d", fds[0]);
    rec r = {0};
    mc_reader_info in;
    mc_error err;
    mc_error_clear(&err);
    int st = mc_read_file(path, NULL, &CB, &r, &in, &err);
    cr_assert_eq(st, MC_EXIT_DATA, "%d %s", st, err.msg);
    cr_assert_not_null(strstr(err.msg, "not UTF-8"), "%s", err.msg);
    cr_assert_eq(in.gzip, 1);
    close(fds[0]);
    close(fds[1]); /* the writer only now */
    rec_free(&r);
    free(gz);
    free(text);
}

/* ----------------------------------------------------------- limits */

/* maximum resident set size so far, KiB */
static long max_rss(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static void write_huge_field_file(const char *path, size_t mib, int quoted)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    fputs("MaHoSo,TenTTHC,GhiChu\n", f);
    fputs("H1,Đăng ký khai sinh,ok\n", f);
    fputs(quoted ? "H2,\"" : "H2,", f);
    char block[65536];
    /* quoted: newlines, commas and "" escapes inside, so only quote parity
     * finds the end; unquoted: one long physical line */
    for (size_t i = 0; i < sizeof block; i++)
        block[i] = quoted ? "ab,\"\"c\nd"[i % 8] : "abcdefg,"[i % 8] == ',' ? 'x' : 'y';
    for (size_t i = 0; i < mib * 16; i++)
        fwrite(block, 1, sizeof block, f);
    fputs(quoted ? "\",end\nH3,Đăng ký kết hôn,ok\n" : ",end\nH3,Đăng ký kết hôn,ok\n", f);
    fclose(f);
}

Test(reader, huge_quoted_field_is_skipped_without_buffering, .timeout = 120)
{
    char path[] = "/tmp/mc_huge_XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    write_huge_field_file(path, 50, 1);
    long before = max_rss();
    rec r = {0};
    mc_reader_info in;
    mc_error err;
    int st = mc_read_file(path, NULL, &CB, &r, &in, &err);
    long grew = max_rss() - before;
    unlink(path);
    cr_assert_eq(st, 0, "%s", err.msg);
    cr_assert_eq(r.rows, 2);
    cr_assert_eq(r.row_line[0], 2);
    cr_assert_eq(r.bad, 1);
    cr_assert_eq(r.bad_line[0], 3);
    cr_assert_eq(r.bad_reason[0], MC_REASON_ROW_TOO_LARGE);
    cr_assert_not_null(strstr(r.t, "field longer than 1048576 bytes"), "%s", r.t);
    /* 50 MiB holding 6.5M newlines: the next row starts past them */
    long newlines = 50L * 16 * 65536 / 8;
    cr_assert_eq(r.row_line[1], 3 + newlines + 1, "row at %ld", r.row_line[1]);
    cr_assert(strstr(r.t, "|Đăng ký kết hôn|ok\n") != NULL);
    cr_assert_lt(grew, 24 * 1024, "resident set grew by %ld KiB", grew);
    rec_free(&r);
}

Test(reader, huge_unquoted_field_is_skipped, .timeout = 120)
{
    char path[] = "/tmp/mc_huge_XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    write_huge_field_file(path, 8, 0);
    rec r = {0};
    mc_reader_info in;
    mc_error err;
    int st = mc_read_file(path, NULL, &CB, &r, &in, &err);
    unlink(path);
    cr_assert_eq(st, 0, "%s", err.msg);
    cr_assert_eq(r.rows, 2);
    cr_assert_eq(r.bad, 1);
    cr_assert_eq(r.bad_line[0], 3);
    cr_assert_eq(r.row_line[1], 4);
    rec_free(&r);
}

/* Inputs to run under small limits with every chunk size. */
static const char *const LIMIT_CASES[] = {
    /* field of 17 bytes, quoted with a newline inside, then a good row */
    "a,b\n1,\"01234567\n89abcdef\"\n2,ok\n",
    /* unquoted long field at end of file without newline */
    "a,b\n1,2\n3,0123456789abcdefgh",
    /* row too large from fields each under the limit; "" inside quotes */
    "a,b\nx,\"0123456789abc\"\"d\",0123456789abcde,\"0123456789abcde\nzz\"\n\"q\",\"r\"\"\"\n",
    /* long field exactly at the limit is fine, one past is not */
    "a,b\n0123456789abcdef,\"0123456789abcdef\"\n0123456789abcdefX,1\nz,\"0123456789abcdef\"\"\"\n",
    /* stray text after a closing quote keeps libcsv inside the field */
    "a,b\n1,\"ab\"cd\n,\"0123456789abcdef0123\"\n2,3\n",
    /* too many fields */
    "a,b\n1,2,3,4,5,6,7\n7,8\n",
    /* CRLF inside and outside quotes, unterminated at the end */
    "a,b\r\n1,\"x\r\ny\"\r\n2,\"0123456789abcdefghij\r\n3,4\r\n",
    /* unterminated and small */
    "a,b\n1,\"x\ny\n",
    /* both limits passed by one field: the field limit was crossed first */
    "a,b\n0123456789abcde,0123456789abcdef0123456789abcd\n2,3\n",
    /* skipping goes on through a later quoted field holding a newline */
    "a,b\n0123456789abcdefXYZ,\"x\ny\"\n2,3\n",
};

Test(reader, oversized_rows_are_reported_once_and_skipped)
{
    mc_reader_opts o = {.max_field = 16, .max_row = 40, .max_columns = 6};
    const char *want[] = {
        "H1:2:a|b\nB2:11:field longer than 16 bytes\nR4:2:2|ok\nE0:\n",
        "H1:2:a|b\nR2:2:1|2\nB3:11:field longer than 16 bytes\nE0:\n",
        "H1:2:a|b\nB2:11:row longer than 40 bytes\nR4:2:q|r\"\nE0:\n",
        ("H1:2:a|b\nR2:2:0123456789abcdef|0123456789abcdef\nB3:11:field longer than 16 bytes\n"
         "B4:11:field longer than 16 bytes\nE0:\n"),
        "H1:2:a|b\nB2:11:field longer than 16 bytes\nR4:2:2|3\nE0:\n",
        "H1:2:a|b\nB2:1:row has more than 6 fields\nR3:2:7|8\nE0:\n",
        "H1:2:a|b\nR2:2:1|x\\r\\ny\nB4:11:field longer than 16 bytes\nE0:\n",
        "H1:2:a|b\nB2:12:quoted field not closed before the end of the file\nE0:\n",
        "H1:2:a|b\nB2:11:field longer than 16 bytes\nR3:2:2|3\nE0:\n",
        "H1:2:a|b\nB2:11:field longer than 16 bytes\nR4:2:2|3\nE0:\n",
    };
    for (size_t i = 0; i < sizeof LIMIT_CASES / sizeof *LIMIT_CASES; i++) {
        rec r = {0};
        mc_reader_info in;
        mc_error err;
        mc_read_mem("lim.csv", LIMIT_CASES[i], strlen(LIMIT_CASES[i]), &o, &CB, &r, &in, &err);
        put_end(&r, 0, &err, &in);
        char *info = strstr(r.t, "I gz");
        *info = '\0';
        cr_expect_str_eq(r.t, want[i], "case %zu", i);
        rec_free(&r);
    }
}

Test(reader, wide_header_is_refused)
{
    size_t cols = 100000, cap = cols * 8 + 64, n = 0;
    char *buf = malloc(cap);
    for (size_t i = 0; i < cols; i++)
        n += (size_t)sprintf(buf + n, "%sC%zu", i ? "," : "", i);
    n += (size_t)sprintf(buf + n, "\n1,2\n");
    rec r = {0};
    mc_reader_info in;
    mc_error err;
    int st = mc_read_mem("wide.csv", buf, n, NULL, &CB, &r, &in, &err);
    cr_assert_eq(st, MC_EXIT_DATA);
    cr_assert_str_eq(err.msg, "wide.csv: line 1: the header has 100000 columns, more than the limit of 4096");
    cr_assert_eq(r.headers, 0);
    /* at exactly the limit it is accepted */
    mc_reader_opts o = {.max_columns = 100000};
    cr_assert_eq(mc_read_mem("wide.csv", buf, n, &o, &CB, &r, &in, &err), 0, "%s", err.msg);
    cr_assert_eq(r.header_n, 100000);
    rec_free(&r);
    free(buf);
}

Test(reader, overlong_header_is_refused)
{
    mc_reader_opts o = {.max_row = 32, .chunk_size = 3};
    const char *text = "MaHoSo,MaDonVi,TenTTHC,KenhThucHien,TrangThaiHoSo\n1,2,3,4,5\n";
    rec r = {0};
    mc_reader_info in;
    mc_error err;
    cr_assert_eq(mc_read_mem("long.csv", text, strlen(text), &o, &CB, &r, &in, &err), MC_EXIT_DATA);
    cr_assert_str_eq(err.msg, "long.csv: line 1: the header is longer than 32 bytes");
    const char *uq = "\n\na,\"b\nc\nd";
    cr_assert_eq(mc_read_mem("uq.csv", uq, strlen(uq), NULL, &CB, &r, &in, &err), MC_EXIT_DATA);
    cr_assert_str_eq(err.msg, "uq.csv: line 3: header: quoted field not closed before the end of the file");
    rec_free(&r);
}

/* -------------------------------------------------- chunk-size sweep */

static char *transcript(const char *path, const void *buf, size_t n, const mc_reader_opts *o)
{
    rec r = {0};
    mc_reader_info in;
    mc_error err;
    if (path)
        read_file(path, o, &r, &in, &err);
    else
        read_mem(buf, n, o, &r, &in, &err);
    return r.t;
}

static void sweep(const char *path, const void *buf, size_t n, const mc_reader_opts *base)
{
    mc_reader_opts o = base ? *base : (mc_reader_opts){0};
    o.chunk_size = 0;
    char *ref = transcript(path, buf, n, &o);
    for (size_t chunk = 1; chunk <= 64; chunk++) {
        o.chunk_size = chunk;
        char *t = transcript(path, buf, n, &o);
        cr_assert_str_eq(t, ref, "%s: chunk %zu differs", path ? path : "in-memory input", chunk);
        free(t);
    }
    free(ref);
}

static int sweep_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int files = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (e->d_name[0] == '.' || (l > 3 && strcmp(e->d_name + l - 3, ".sh") == 0))
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s%s", dir, e->d_name);
        sweep(path, NULL, 0, NULL);
        files++;
    }
    closedir(d);
    return files;
}

Test(reader, every_chunk_size_gives_the_same_rows_bad_fixtures, .timeout = 300)
{
    cr_assert_geq(sweep_dir(BAD), 18);
}

Test(reader, every_chunk_size_gives_the_same_rows_exports, .timeout = 600)
{
    sweep_dir(EXPORTS); /* may still be empty while the exports are written */
}

Test(reader, every_chunk_size_gives_the_same_rows_under_limits)
{
    mc_reader_opts o = {.max_field = 16, .max_row = 40, .max_columns = 6};
    for (size_t i = 0; i < sizeof LIMIT_CASES / sizeof *LIMIT_CASES; i++)
        sweep(NULL, LIMIT_CASES[i], strlen(LIMIT_CASES[i]), &o);
}

Test(reader, every_chunk_size_gives_the_same_rows_gzip)
{
    size_t n, gn;
    char *q = slurp(BAD "quoted-newlines.csv", &n);
    unsigned char *gz = gzip_mem(q, n, 3, &gn);
    sweep(NULL, gz, gn, NULL);
    free(gz);
    free(q);
}

Test(reader, lone_cr_row_end_mid_line_keeps_the_line)
{
    /* a row spanning lines 2-3 ends at a bare CR; the next row starts on
     * line 3 too */
    const char *text = "a,b\n\"1\n\",2\r3,4\n5,6\n";
    rec r = {0};
    mc_reader_info in;
    mc_error err;
    cr_assert_eq(read_mem(text, strlen(text), NULL, &r, &in, &err), 0, "%s", err.msg);
    cr_assert_str_eq(r.t, "H1:2:a|b\nR2:2:1\\n|2\nR3:2:3|4\nR4:2:5|6\nE0:\n"
                          "I gz=0 delim=44 bom=0 sep=0 lines=4 rows=3 text=19\n");
    rec_free(&r);
}

Test(reader, every_chunk_size_gives_the_same_rows_legacy)
{
    mc_reader_opts o = {.encoding = MC_READER_CP1258};
    sweep(BAD "cp1258.csv", NULL, 0, &o);
    o.encoding = MC_READER_TCVN3;
    sweep(BAD "tcvn3.csv", NULL, 0, &o);
    sweep(BAD "vni.csv", NULL, 0, &o);
}
