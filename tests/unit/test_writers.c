/*
 * test_writers.c -- the report writers (reports/write_*.c): the CSV contract
 * byte for byte, the Excel CSV's BOM and formula guard, the alignment of the
 * text table, the escaping and charts of the HTML page, and the workbook as
 * Excel will read it (unzipped with the unzip tool).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utf8proc.h>

#include "base/fs.h"
#include "reports/build.h"
#include "reports/report.h"
#include "reports/write_util.h"
#include "tests/unit/testfile.h"

extern char **environ;

/* ---- the report every test starts from ---------------------------------- */

enum { NEW, ONLINE, CARRIED, EARLY, ON_TIME, LATE, WITHIN, OVERDUE, APOLOGY, FULL, PAID, FEE,
       DIGIT, DIGIT_KNOWN, ERES, ERES_KNOWN, NF };

/* Counts from the independent figures; the derived ones follow SPEC 5's
 * identities so the rows are ones figures.c could produce. */
static void set_counts(mc_unit_row *r, const int64_t f[NF])
{
    memset(r->c, 0, sizeof r->c);
    r->c[MC_C_RECEIVED_NEW] = f[NEW];
    r->c[MC_C_RECEIVED_ONLINE] = f[ONLINE];
    r->c[MC_C_RECEIVED_OFFLINE] = f[NEW] - f[ONLINE];
    r->c[MC_C_CARRIED_OVER] = f[CARRIED];
    r->c[MC_C_RECEIVED_TOTAL] = f[NEW] + f[CARRIED];
    r->c[MC_C_RESOLVED_EARLY] = f[EARLY];
    r->c[MC_C_RESOLVED_ON_TIME] = f[ON_TIME];
    r->c[MC_C_RESOLVED_LATE] = f[LATE];
    r->c[MC_C_RESOLVED_TOTAL] = f[EARLY] + f[ON_TIME] + f[LATE];
    r->c[MC_C_IN_PROGRESS_WITHIN] = f[WITHIN];
    r->c[MC_C_IN_PROGRESS_OVERDUE] = f[OVERDUE];
    r->c[MC_C_IN_PROGRESS_TOTAL] = f[WITHIN] + f[OVERDUE];
    r->c[MC_C_LATE_TOTAL] = f[LATE] + f[OVERDUE];
    r->c[MC_C_LATE_WITH_APOLOGY] = f[APOLOGY];
    r->c[MC_C_ONLINE_FULL] = f[FULL];
    r->c[MC_C_NEW_PAID_ONLINE] = f[PAID];
    r->c[MC_C_NEW_HAS_FEE] = f[FEE];
    r->c[MC_C_NEW_DIGITIZED] = f[DIGIT];
    r->c[MC_C_NEW_DIGITIZED_KNOWN] = f[DIGIT_KNOWN];
    r->c[MC_C_RESOLVED_E_RESULT] = f[ERES];
    r->c[MC_C_RESOLVED_E_RESULT_KNOWN] = f[ERES_KNOWN];
}

static void add_sum(mc_unit_row *to, const mc_unit_row *from)
{
    for (int c = 0; c < MC_C_COUNT; c++)
        to->c[c] += from->c[c];
}

static void row(mc_unit_row *r, const char *code, const char *name, int kind, int depth)
{
    memset(r, 0, sizeof *r);
    r->unit_code = strdup(code);
    r->unit_name = strdup(name);
    r->kind = kind;
    r->depth = depth;
    r->in_registry = 1;
}

static void target(mc_target_row *t, const char *unit, const char *ind, int has_actual,
                   double actual, const char *op, double value, const char *status,
                   const char *source)
{
    memset(t, 0, sizeof *t);
    t->unit_code = strdup(unit);
    t->indicator = strdup(ind);
    t->has_actual = has_actual;
    t->actual = actual;
    snprintf(t->op, sizeof t->op, "%s", op);
    t->target = value;
    t->status = status;
    t->has_gap = has_actual;
    t->gap = actual - value;
    t->source = strdup(source);
}

static void quality(mc_quality_row *q, const char *name, const char *value, const char *status,
                    const char *detail)
{
    q->name = strdup(name);
    q->value = strdup(value);
    q->status = strdup(status);
    q->detail = strdup(detail);
}

#define X02_NAME "=HYPERLINK(\"http://evil.example\",\"bấm\")"

/* A parent H01 with two communes (one with a comma and quotes in its name,
 * one named like a formula), a top-level unit with no cases whose name is
 * markup, and ALL.  Targets: one missed, two met, one with no data. */
static void build(mc_report *rep)
{
    memset(rep, 0, sizeof *rep);
    strcpy(rep->period, "2025-Q3");
    strcpy(rep->period_start, "2025-07-01");
    strcpy(rep->period_end, "2025-09-30");
    strcpy(rep->as_of, "2025-09-30");
    rep->convention = "calendar";

    rep->n_rows = 5;
    rep->rows = calloc(rep->n_rows, sizeof *rep->rows);
    mc_unit_row *r = rep->rows;
    row(&r[0], "H01", "Huyện Vĩnh Linh", MC_ROW_PARENT, 0);
    row(&r[1], "X01", "UBND xã Cửa Tùng, \"Vĩnh Linh\"", MC_ROW_UNIT, 1);
    row(&r[2], "X02", X02_NAME, MC_ROW_UNIT, 1);
    row(&r[3], "X03", "<script>alert(1)</script>", MC_ROW_UNIT, 0);
    row(&r[4], "ALL", "", MC_ROW_ALL, 0);
    set_counts(&r[1], (const int64_t[NF]){ [NEW] = 40, [ONLINE] = 30, [CARRIED] = 2,
                                           [EARLY] = 10, [ON_TIME] = 25, [LATE] = 1,
                                           [WITHIN] = 5, [OVERDUE] = 1, [APOLOGY] = 1,
                                           [FULL] = 12, [PAID] = 3, [FEE] = 6, [DIGIT] = 20,
                                           [DIGIT_KNOWN] = 40, [ERES] = 18, [ERES_KNOWN] = 36 });
    set_counts(&r[2], (const int64_t[NF]){ [NEW] = 10, [ON_TIME] = 10 });
    set_counts(&r[3], (const int64_t[NF]){ 0 });
    add_sum(&r[0], &r[1]);
    add_sum(&r[0], &r[2]);
    add_sum(&r[4], &r[0]);
    add_sum(&r[4], &r[3]);

    rep->n_targets = 4;
    rep->targets = calloc(rep->n_targets, sizeof *rep->targets);
    target(&rep->targets[0], "X01", "on_time_rate", 1, 100.0 * 35 / 36, ">=", 98, "missed",
           "KH CCHC 2025 xã Lộc Hòa, \"bản 2\"");
    target(&rep->targets[1], "X02", "on_time_rate", 1, 100.0, ">=", 98, "met", "KH CCHC 2025");
    target(&rep->targets[2], "X02", "digitized_rate", 0, 0, ">=", 99.9, "no data",
           "KH CCHC 2025");
    target(&rep->targets[3], "ALL", "online_rate", 1, 60.0, ">=", 50, "met", "@NQ 01");

    rep->n_quality = 3;
    rep->quality = calloc(rep->n_quality, sizeof *rep->quality);
    quality(&rep->quality[0], "quarantined:bad_date", "3", "warning", "3 dòng có ngày sai");
    quality(&rep->quality[1], "unknown_unit", "1", "error", "-không khớp, cần kiểm tra");
    quality(&rep->quality[2], "conflicts", "0", "ok", "");
}

/* ---- capturing output ----------------------------------------------------- */

typedef struct {
    char *buf;
    size_t len;
    FILE *f;
} capture;

static FILE *cap_open(capture *c)
{
    c->buf = NULL;
    c->len = 0;
    c->f = open_memstream(&c->buf, &c->len);
    cr_assert_not_null(c->f);
    return c->f;
}

static char *cap_close(capture *c)
{
    fclose(c->f);
    return c->buf;
}

static char *csv_of(const mc_report *rep, mc_table t, int people)
{
    capture c;
    mc_error err = { 0 };
    int rc = mc_write_csv(cap_open(&c), rep, t, people, &err);
    char *s = cap_close(&c);
    cr_assert_eq(rc, 0, "mc_write_csv: %s", err.msg);
    return s;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* ---- CSV: the machine contract -------------------------------------------- */

#define HDR "period,period_start,period_end,as_of,unit_code,unit_name,received_total," \
    "received_new,received_online,received_offline,carried_over,resolved_total,"        \
    "resolved_early,resolved_on_time,resolved_late,in_progress_total,"                  \
    "in_progress_within,in_progress_overdue,late_total,late_with_apology,on_time_rate," \
    "on_time_rate_766,late_with_apology_rate,online_rate,online_full_process_rate,"     \
    "online_payment_rate,digitized_rate,e_result_rate\n"
#define PRE "2025-Q3,2025-07-01,2025-09-30,2025-09-30,"

Test(write_csv, units_machine_bytes)
{
    mc_report rep;
    build(&rep);
    char *s = csv_of(&rep, MC_TABLE_UNITS, 0);
    const char *want =
        HDR
        PRE "H01,Huyện Vĩnh Linh,52,50,30,20,2,46,10,35,1,6,5,1,2,1,"
            "97.83,96.15,50.00,60.00,24.00,50.00,40.00,39.13\n"
        PRE "X01,\"UBND xã Cửa Tùng, \"\"Vĩnh Linh\"\"\",42,40,30,10,2,36,10,25,1,6,5,1,2,1,"
            "97.22,95.24,50.00,75.00,30.00,50.00,50.00,50.00\n"
        PRE "X02,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"bấm\"\")\","
            "10,10,0,10,0,10,0,10,0,0,0,0,0,0,100.00,100.00,,0.00,0.00,,,\n"
        PRE "X03,<script>alert(1)</script>,0,0,0,0,0,0,0,0,0,0,0,0,0,0,,,,,,,,\n"
        PRE "ALL,,52,50,30,20,2,46,10,35,1,6,5,1,2,1,"
            "97.83,96.15,50.00,60.00,24.00,50.00,40.00,39.13\n";
    cr_assert_str_eq(s, want);
    free(s);
    mc_report_free(&rep);
}

Test(write_csv, targets_machine_bytes)
{
    mc_report rep;
    build(&rep);
    char *s = csv_of(&rep, MC_TABLE_TARGETS, 0);
    const char *want =
        "period,unit_code,indicator,actual,op,target,status,gap,source\n"
        "2025-Q3,X01,on_time_rate,97.22,>=,98,missed,-0.78,"
        "\"KH CCHC 2025 xã Lộc Hòa, \"\"bản 2\"\"\"\n"
        "2025-Q3,X02,on_time_rate,100.00,>=,98,met,2.00,KH CCHC 2025\n"
        "2025-Q3,X02,digitized_rate,,>=,99.9,no data,,KH CCHC 2025\n"
        "2025-Q3,ALL,online_rate,60.00,>=,50,met,10.00,@NQ 01\n";
    cr_assert_str_eq(s, want);
    free(s);
    mc_report_free(&rep);
}

Test(write_csv, quality_machine_bytes)
{
    mc_report rep;
    build(&rep);
    char *s = csv_of(&rep, MC_TABLE_QUALITY, 0);
    const char *want = "name,value,status,detail\n"
                       "quarantined:bad_date,3,warning,3 dòng có ngày sai\n"
                       "unknown_unit,1,error,\"-không khớp, cần kiểm tra\"\n"
                       "conflicts,0,ok,\n";
    cr_assert_str_eq(s, want);
    free(s);
    mc_report_free(&rep);
}

Test(write_csv, quotes_cr_and_lf)
{
    mc_report rep;
    build(&rep);
    free(rep.quality[2].detail);
    rep.quality[2].detail = strdup("dòng 1\r\ndòng 2");
    char *s = csv_of(&rep, MC_TABLE_QUALITY, 0);
    cr_assert(strstr(s, "conflicts,0,ok,\"dòng 1\r\ndòng 2\"\n") != NULL, "%s", s);
    free(s);
    mc_report_free(&rep);
}

Test(write_csv, empty_report_has_header_only)
{
    mc_report rep;
    memset(&rep, 0, sizeof rep);
    char *s = csv_of(&rep, MC_TABLE_UNITS, 0);
    cr_assert_str_eq(s, HDR);
    free(s);
    s = csv_of(&rep, MC_TABLE_TARGETS, 0);
    cr_assert_str_eq(s, "period,unit_code,indicator,actual,op,target,status,gap,source\n");
    free(s);
}

/* ---- CSV for people --------------------------------------------------------- */

/* Every line ends in CRLF: no LF without its CR. */
static void assert_crlf(const char *s)
{
    size_t lf = 0;
    for (const char *p = s; *p; p++)
        if (*p == '\n') {
            lf++;
            cr_assert(p > s && p[-1] == '\r', "bare LF at byte %zu", (size_t)(p - s));
        }
    cr_assert_gt(lf, 0);
}

Test(write_csv, units_for_people)
{
    mc_report rep;
    build(&rep);
    char *s = csv_of(&rep, MC_TABLE_UNITS, 1);
    cr_assert(strncmp(s, "\xEF\xBB\xBF" "Kỳ báo cáo,Từ ngày,Đến ngày,Tính đến ngày,Mã đơn vị,"
                         "Tên đơn vị,Tổng số hồ sơ nhận giải quyết,Số mới tiếp nhận,",
                      strlen("\xEF\xBB\xBF" "Kỳ báo cáo,Từ ngày,Đến ngày,Tính đến ngày,"
                             "Mã đơn vị,Tên đơn vị,Tổng số hồ sơ nhận giải quyết,"
                             "Số mới tiếp nhận,")) == 0,
              "%s", s);
    cr_assert(strstr(s, "Tỷ lệ giải quyết trước và đúng hạn (%)") != NULL);
    assert_crlf(s);
    /* the formula-like name is guarded inside its quotes; numbers are not */
    cr_assert(strstr(s, "\r\n2025-Q3,01/07/2025,30/09/2025,30/09/2025,X02,"
                        "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"bấm\"\")\","
                        "10,10,0,10,0,10,0,10,0,0,0,0,0,0,100.00,100.00,,0.00,0.00,,,\r\n") != NULL,
              "%s", s);
    cr_assert(strstr(s, "\r\n2025-Q3,01/07/2025,30/09/2025,30/09/2025,ALL,Tổng cộng,52,") != NULL);
    cr_assert_eq(count(s, "'"), 1, "only the formula-like cell is guarded");
    cr_assert(strstr(s, "2025-07-01") == NULL, "ISO dates left in the people CSV");
    free(s);
    mc_report_free(&rep);
}

Test(write_csv, targets_and_quality_for_people)
{
    mc_report rep;
    build(&rep);
    char *s = csv_of(&rep, MC_TABLE_TARGETS, 1);
    assert_crlf(s);
    cr_assert(strstr(s, "\xEF\xBB\xBF" "Kỳ báo cáo,Mã đơn vị,Tên đơn vị,Chỉ tiêu,") == s, "%s", s);
    /* a negative gap is a number motcua wrote: no apostrophe */
    cr_assert(strstr(s, "2025-Q3,X01,\"UBND xã Cửa Tùng, \"\"Vĩnh Linh\"\"\","
                        "Tỷ lệ giải quyết trước và đúng hạn,97.22,≥,98,Không đạt,-0.78,") != NULL,
              "%s", s);
    cr_assert(strstr(s, ",'@NQ 01\r\n") != NULL, "%s", s);
    cr_assert(strstr(s, ",\"'=HYPERLINK(") != NULL, "unit name of X02 not guarded: %s", s);
    free(s);

    s = csv_of(&rep, MC_TABLE_QUALITY, 1);
    cr_assert_str_eq(s, "\xEF\xBB\xBF" "Kiểm tra,Giá trị,Trạng thái,Chi tiết\r\n"
                        "quarantined:bad_date,3,Cảnh báo,3 dòng có ngày sai\r\n"
                        "unknown_unit,1,Lỗi,\"'-không khớp, cần kiểm tra\"\r\n"
                        "conflicts,0,Tốt,\r\n");
    free(s);
    mc_report_free(&rep);
}

Test(write_csv, guard_covers_every_trigger)
{
    mc_report rep;
    build(&rep);
    const char *risky[] = { "=1+2", "+84 912", "-2+3", "@SUM(A1)", "\tx", "\rx" };
    const char *want[] = { "'=1+2", "'+84 912", "'-2+3", "'@SUM(A1)", "'\tx", "\"'\rx\"" };
    for (size_t i = 0; i < sizeof risky / sizeof risky[0]; i++) {
        free(rep.quality[2].detail);
        rep.quality[2].detail = strdup(risky[i]);
        char *s = csv_of(&rep, MC_TABLE_QUALITY, 1);
        char line[64];
        snprintf(line, sizeof line, "conflicts,0,Tốt,%s\r\n", want[i]);
        cr_assert(strstr(s, line) != NULL, "case %zu: %s", i, s);
        free(s);
        /* and never in the machine form */
        s = csv_of(&rep, MC_TABLE_QUALITY, 0);
        cr_assert(strchr(s, '\'') == NULL, "case %zu: %s", i, s);
        free(s);
    }
    /* a plain negative number is a number, not a formula */
    free(rep.quality[2].value);
    rep.quality[2].value = strdup("-2");
    char *s = csv_of(&rep, MC_TABLE_QUALITY, 1);
    cr_assert(strstr(s, "\r\nconflicts,-2,Tốt,") != NULL, "%s", s);
    free(s);
    mc_report_free(&rep);
}

Test(write_csv, write_error_is_io)
{
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        cr_skip_test("no /dev/full");
    mc_report rep;
    build(&rep);
    mc_error err = { 0 };
    int rc = mc_write_csv(f, &rep, MC_TABLE_UNITS, 0, &err);
    fclose(f);
    cr_assert_eq(rc, 74);
    cr_assert_eq(err.status, 74);
    cr_assert(err.msg[0] != '\0');
    mc_report_free(&rep);
}

/* ---- text ------------------------------------------------------------------ */

static size_t dwidth_n(const char *s, size_t n)
{
    size_t w = 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    while (n > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, (utf8proc_ssize_t)n, &cp);
        cr_assert_gt(k, 0, "invalid UTF-8 in the text table");
        w += (size_t)utf8proc_charwidth(cp);
        p += k;
        n -= (size_t)k;
    }
    return w;
}

/* The table's lines: from the heading (the line before the rule of '-') to
 * the first empty line. */
static size_t table_lines(char *s, char **lines, size_t max)
{
    size_t n = 0;
    for (char *save = NULL, *l = strtok_r(s, "\n", &save); l && n < max;
         l = strtok_r(NULL, "\n", &save))
        lines[n++] = l;
    size_t rule = 0;
    while (rule < n && strspn(lines[rule], "-") != strlen(lines[rule]))
        rule++;
    cr_assert_lt(rule, n, "no rule under the heading");
    cr_assert_gt(rule, 0);
    size_t end = rule + 1;
    while (end < n && lines[end][0] != '\0' && strncmp(lines[end], "Mục tiêu:", 11) != 0)
        end++;
    memmove(lines, lines + rule - 1, (end - rule + 1) * sizeof *lines);
    return end - rule + 1;
}

/* Byte offset in line of display column col. */
static size_t byte_at_col(const char *line, size_t col)
{
    size_t off = 0, w = 0, n = strlen(line);
    while (off < n && w < col) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)line + off,
                                              (utf8proc_ssize_t)(n - off), &cp);
        w += (size_t)utf8proc_charwidth(cp);
        off += (size_t)k;
    }
    return off;
}

static char *text_of(const mc_report *rep, mc_table t)
{
    capture c;
    mc_error err = { 0 };
    int rc = mc_write_text(cap_open(&c), rep, t, &err);
    char *s = cap_close(&c);
    cr_assert_eq(rc, 0, "mc_write_text: %s", err.msg);
    return s;
}

Test(write_text, units_aligned_with_targets)
{
    mc_report rep;
    build(&rep);
    char *s = text_of(&rep, MC_TABLE_UNITS);
    cr_assert(strstr(s, "2025-Q3") && strstr(s, "01/07/2025") && strstr(s, "30/09/2025"),
              "title: %s", s);
    cr_assert(strstr(s, "\033") == NULL);

    char *lines[64];
    char *copy = strdup(s);
    size_t n = table_lines(copy, lines, 64);
    cr_assert_eq(n, 2 + rep.n_rows, "%s", s);
    size_t w0 = dwidth_n(lines[0], strlen(lines[0]));
    for (size_t i = 1; i < n; i++)
        cr_assert_eq(dwidth_n(lines[i], strlen(lines[i])), w0, "line %zu: [%s]", i, lines[i]);
    cr_assert_eq(strlen(lines[1]), w0, "rule is not as wide as the table");

    /* "Tổng nhận" heading; the counts below it end where it ends */
    const char *h = strstr(lines[0], "Tổng nhận");
    cr_assert_not_null(h);
    size_t end_col = dwidth_n(lines[0], (size_t)(h - lines[0])) + dwidth_n(h, strlen("Tổng nhận"));
    const char *l_h01 = lines[2], *l_x03 = lines[5];
    size_t b = byte_at_col(l_h01, end_col);
    cr_assert(b >= 2 && strncmp(l_h01 + b - 2, "52", 2) == 0, "[%s]", l_h01);
    b = byte_at_col(l_x03, end_col);
    cr_assert(b >= 2 && strncmp(l_x03 + b - 2, " 0", 2) == 0, "[%s]", l_x03);

    /* children indented under their parent, the total row labelled */
    cr_assert(strstr(lines[3], "  UBND xã Cửa Tùng, \"Vĩnh Linh\"") != NULL, "[%s]", lines[3]);
    cr_assert(strstr(lines[6], "Tổng cộng") != NULL);
    /* the rate beside its target, misses marked */
    cr_assert(strstr(lines[3], "97.22  ≥98 ✗") != NULL, "[%s]", lines[3]);
    cr_assert(strstr(lines[4], "100.00  ≥98 ✓") != NULL, "[%s]", lines[4]);
    cr_assert(strstr(lines[6], "60.00  ≥50 ✓") != NULL, "[%s]", lines[6]);
    cr_assert(strstr(lines[4], "≥99.9 ?") != NULL, "[%s]", lines[4]);
    cr_assert_eq(count(lines[0], "Mục tiêu"), 3, "one target column per targeted rate");
    free(copy);
    free(s);
    mc_report_free(&rep);
}

Test(write_text, controls_and_wide_text_keep_alignment)
{
    mc_report rep;
    build(&rep);
    free(rep.rows[3].unit_name);
    rep.rows[3].unit_name = strdup("\033[31mđỏ\033[0m\tTab 漢字");
    char *s = text_of(&rep, MC_TABLE_UNITS);
    cr_assert(strchr(s, '\033') == NULL, "escape sequence reached the terminal");
    cr_assert(strchr(s, '\t') == NULL);
    char *lines[64];
    size_t n = table_lines(s, lines, 64);
    size_t w0 = dwidth_n(lines[0], strlen(lines[0]));
    for (size_t i = 1; i < n; i++)
        cr_assert_eq(dwidth_n(lines[i], strlen(lines[i])), w0, "line %zu: [%s]", i, lines[i]);
    free(s);
    mc_report_free(&rep);
}

Test(write_text, targets_and_quality)
{
    mc_report rep;
    build(&rep);
    char *s = text_of(&rep, MC_TABLE_TARGETS);
    char *lines[64];
    size_t n = table_lines(s, lines, 64);
    cr_assert_eq(n, 2 + rep.n_targets);
    size_t w0 = dwidth_n(lines[0], strlen(lines[0]));
    for (size_t i = 1; i < n; i++)
        cr_assert_eq(dwidth_n(lines[i], strlen(lines[i])), w0, "line %zu: [%s]", i, lines[i]);
    cr_assert(strstr(lines[2], "Không đạt ✗") != NULL && strstr(lines[2], "-0.78") != NULL,
              "[%s]", lines[2]);
    free(s);

    s = text_of(&rep, MC_TABLE_QUALITY);
    n = table_lines(s, lines, 64);
    cr_assert_eq(n, 2 + rep.n_quality);
    cr_assert(strstr(lines[3], "unknown_unit") && strstr(lines[3], "Lỗi"));
    free(s);
    mc_report_free(&rep);
}

/* ---- HTML ------------------------------------------------------------------ */

static char *html_of(const mc_report *rep)
{
    capture c;
    mc_error err = { 0 };
    int rc = mc_write_html(cap_open(&c), rep, MC_TABLE_UNITS, &err);
    char *s = cap_close(&c);
    cr_assert_eq(rc, 0, "mc_write_html: %s", err.msg);
    return s;
}

Test(write_html, escaped_self_contained)
{
    mc_report rep;
    build(&rep);
    char *s = html_of(&rep);
    cr_assert(strncmp(s, "<!DOCTYPE html>\n<html lang=\"vi\">", 32) == 0);
    cr_assert(strstr(s, "<meta charset=\"utf-8\">") != NULL);
    cr_assert(strcasestr(s, "<script") == NULL, "a <script element in the page");
    cr_assert(strstr(s, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL);
    cr_assert(strstr(s, "UBND xã Cửa Tùng, &quot;Vĩnh Linh&quot;") != NULL);
    cr_assert(strstr(s, "=HYPERLINK(&quot;http://evil.example&quot;,&quot;bấm&quot;)") != NULL);
    cr_assert(strstr(s, "KH CCHC 2025 xã Lộc Hòa, &quot;bản 2&quot;") != NULL);
    /* nothing fetched from elsewhere */
    cr_assert(strstr(s, "src=") == NULL && strstr(s, "href=") == NULL);
    cr_assert(strstr(s, "url(") == NULL && strstr(s, "@import") == NULL);
    cr_assert(strstr(s, "<style>") != NULL);
    /* Vietnamese number forms, the three tables */
    cr_assert(strstr(s, "97,22") != NULL);
    cr_assert(strstr(s, "Tổng cộng") != NULL);
    cr_assert_eq(count(s, "<table>"), 3);
    free(s);
    mc_report_free(&rep);
}

Test(write_html, one_chart_per_rate_with_target_lines)
{
    mc_report rep;
    build(&rep);
    char *s = html_of(&rep);
    cr_assert_eq(count(s, "<svg "), MC_R_COUNT);
    cr_assert_eq(count(s, "</svg>"), MC_R_COUNT);

    /* per chart: target lines of the units with a target, plus the legend's */
    static const size_t want_lines[MC_R_COUNT] = { 3, 0, 0, 2, 0, 0, 2, 0 };
    const char *p = s;
    for (int r = 0; r < MC_R_COUNT; r++) {
        const char *a = strstr(p, "<svg "), *b = strstr(a, "</svg>");
        char *chart = strndup(a, (size_t)(b - a));
        cr_assert_eq(count(chart, "<line class=\"tl\""), want_lines[r], "chart %d", r);
        cr_assert_eq(count(chart, "<g>"), rep.n_rows, "chart %d", r);
        cr_assert(strstr(chart, "<text") != NULL);
        if (r == MC_R_ON_TIME) {
            /* 98% of a 420-wide axis starting at 240; X01's 97.22% bar red */
            cr_assert(strstr(chart, "x1=\"651.6\"") != NULL, "%s", chart);
            cr_assert(strstr(chart, "<rect class=\"b-missed\" x=\"240\" y=\"50\" "
                                    "width=\"408.3\"") != NULL, "%s", chart);
            cr_assert_eq(count(chart, "không có số liệu"), 1, "X03 has no resolved case");
        }
        free(chart);
        p = b + 1;
    }
    free(s);
    mc_report_free(&rep);
}

/* ---- xlsx ------------------------------------------------------------------ */

/* One member of a zip file, via `unzip -p`. */
static char *unzip_member(const char *zip, const char *member)
{
    int fd[2];
    cr_assert_eq(pipe(fd), 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fd[1], 1);
    posix_spawn_file_actions_addclose(&fa, fd[0]);
    posix_spawn_file_actions_addclose(&fa, fd[1]);
    char *argv[] = { "unzip", "-p", (char *)zip, (char *)member, NULL };
    pid_t pid;
    int rc = posix_spawnp(&pid, "unzip", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fd[1]);
    cr_assert_eq(rc, 0, "cannot run unzip: %s", strerror(rc));
    capture c;
    FILE *out = cap_open(&c);
    char buf[4096];
    ssize_t k;
    while ((k = read(fd[0], buf, sizeof buf)) > 0)
        fwrite(buf, 1, (size_t)k, out);
    close(fd[0]);
    int st;
    waitpid(pid, &st, 0);
    char *s = cap_close(&c);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "unzip %s failed", member);
    return s;
}

/* The opening tag of the cell with reference ref, e.g. "B12". */
static char *cell_tag(const char *sheet, const char *ref)
{
    char key[32];
    snprintf(key, sizeof key, "<c r=\"%s\"", ref);
    const char *a = strstr(sheet, key);
    cr_assert_not_null(a, "no cell %s", ref);
    const char *b = strchr(a, '>');
    return strndup(a, (size_t)(b - a + 1));
}

/* The value of the cell with reference ref. */
static char *cell_value(const char *sheet, const char *ref)
{
    char key[32];
    snprintf(key, sizeof key, "<c r=\"%s\"", ref);
    const char *a = strstr(sheet, key);
    cr_assert_not_null(a, "no cell %s", ref);
    const char *end = strstr(a, "</c>");
    const char *v = strstr(a, "<v>");
    cr_assert(v && end && v < end, "cell %s has no value", ref);
    v += 3;
    return strndup(v, (size_t)(strstr(v, "</v>") - v));
}

static char tmpdir[64];

static void make_tmp(void)
{
    strcpy(tmpdir, "/tmp/motcua-xlsx-XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
}

static void drop_tmp(void)
{
    char p[128];
    snprintf(p, sizeof p, "%s/r.xlsx", tmpdir);
    unlink(p);
    snprintf(p, sizeof p, "%s/r2.xlsx", tmpdir);
    unlink(p);
    rmdir(tmpdir);
}

TestSuite(write_xlsx, .init = make_tmp, .fini = drop_tmp);

Test(write_xlsx, workbook_read_back)
{
    mc_report rep;
    build(&rep);
    char path[128];
    snprintf(path, sizeof path, "%s/r.xlsx", tmpdir);
    mc_error err = { 0 };
    cr_assert_eq(mc_write_xlsx(path, &rep, &err), 0, "%s", err.msg);

    char *wb = unzip_member(path, "xl/workbook.xml");
    cr_assert(strstr(wb, "<sheet name=\"Biểu TTHC\" sheetId=\"1\"") != NULL, "%s", wb);
    cr_assert(strstr(wb, "<sheet name=\"Chỉ tiêu\" sheetId=\"2\"") != NULL, "%s", wb);
    cr_assert(strstr(wb, "<sheet name=\"Chất lượng dữ liệu\" sheetId=\"3\"") != NULL, "%s", wb);
    free(wb);

    char *sst = unzip_member(path, "xl/sharedStrings.xml");
    char *s1 = unzip_member(path, "xl/worksheets/sheet1.xml");
    char *s2 = unzip_member(path, "xl/worksheets/sheet2.xml");
    char *s3 = unzip_member(path, "xl/worksheets/sheet3.xml");
    const char *sheets[] = { s1, s2, s3 };
    for (int i = 0; i < 3; i++) {
        cr_assert(strstr(sheets[i], "<f>") == NULL && strstr(sheets[i], "<f ") == NULL,
                  "a formula in sheet %d", i + 1);
        cr_assert(strstr(sheets[i], "orientation=\"landscape\"") != NULL);
        cr_assert(strstr(sheets[i], "paperSize=\"9\"") != NULL);
        cr_assert(strstr(sheets[i], "fitToHeight=\"0\"") != NULL);
        cr_assert(strstr(sheets[i], "<pane ") != NULL && strstr(sheets[i], "state=\"frozen\""),
                  "sheet %d has no frozen heading", i + 1);
        cr_assert(strstr(sheets[i], "<cols>") != NULL, "sheet %d: no column widths", i + 1);
    }

    /* sheet 1: the form -- 5 title lines and 8 heading blocks merged */
    cr_assert(strstr(s1, "<mergeCells count=\"13\">") != NULL);
    cr_assert(strstr(s1, "<mergeCell ref=\"C6:F6\"/>") != NULL);
    cr_assert(strstr(s1, "<mergeCell ref=\"A6:A8\"/>") != NULL);
    cr_assert(strstr(sst, "<t>Số hồ sơ nhận giải quyết</t>") != NULL);
    cr_assert(strstr(sst, "<t>Số hồ sơ đang giải quyết</t>") != NULL);
    cr_assert(strstr(sst, "<t>Từ ngày 01/07/2025 đến ngày 30/09/2025") ||
              strstr(sst, "từ ngày 01/07/2025 đến ngày 30/09/2025"));
    cr_assert(strstr(sst, "<t>Đơn vị báo cáo: Tất cả đơn vị</t>") != NULL);
    cr_assert(strstr(sst, "<t>(13)</t>") != NULL);
    /* X01 (row 11): received total 42 as a number, in column C */
    char *tag = cell_tag(s1, "C11");
    cr_assert(strstr(tag, "t=\"s\"") == NULL, "%s", tag);
    char *v = cell_value(s1, "C11");
    cr_assert_str_eq(v, "42");
    free(v);
    free(tag);
    /* the formula-like name is a shared string */
    tag = cell_tag(s1, "B12");
    cr_assert(strstr(tag, "t=\"s\"") != NULL, "%s", tag);
    free(tag);
    cr_assert(strstr(sst, "=HYPERLINK(") != NULL && strstr(sst, "evil.example") != NULL);
    cr_assert(strstr(sst, "<t>Tổng cộng</t>") != NULL);
    cr_assert(strstr(sst, "&lt;script&gt;") != NULL);
    /* the ALL row (14): in progress overdue (M) */
    v = cell_value(s1, "M14");
    cr_assert_str_eq(v, "1");
    free(v);

    /* sheet 2: X01's on-time rate (row 5 = first unit row of X01 = 4 + 8 + 1)
     * as a fraction, its target beside it */
    v = cell_value(s2, "D13");
    cr_assert(strncmp(v, "0.9722", 6) == 0, "%s", v);
    free(v);
    v = cell_value(s2, "F13");
    cr_assert_str_eq(v, "0.98");
    free(v);
    v = cell_value(s2, "H13");
    cr_assert(strncmp(v, "-0.77", 5) == 0, "%s", v);
    free(v);
    cr_assert(strstr(sst, "<t>Không đạt</t>") != NULL && strstr(sst, "<t>Đạt</t>") != NULL);
    /* 5 units x 8 rates under the heading */
    cr_assert(strstr(s2, "<row r=\"44\"") != NULL && strstr(s2, "<row r=\"45\"") == NULL);

    /* sheet 3: the quality count "3" is a number */
    tag = cell_tag(s3, "B4");
    cr_assert(strstr(tag, "t=\"s\"") == NULL, "%s", tag);
    free(tag);
    v = cell_value(s3, "B4");
    cr_assert_str_eq(v, "3");
    free(v);

    free(sst);
    free(s1);
    free(s2);
    free(s3);
    mc_report_free(&rep);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    capture c;
    FILE *out = cap_open(&c);
    char buf[4096];
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, f)) > 0)
        fwrite(buf, 1, k, out);
    fclose(f);
    char *s = cap_close(&c);
    *len = c.len;
    return s;
}

Test(write_xlsx, same_report_same_bytes)
{
    mc_report rep;
    build(&rep);
    char p1[128], p2[128];
    snprintf(p1, sizeof p1, "%s/r.xlsx", tmpdir);
    snprintf(p2, sizeof p2, "%s/r2.xlsx", tmpdir);
    mc_error err = { 0 };
    cr_assert_eq(mc_write_xlsx(p1, &rep, &err), 0, "%s", err.msg);
    sleep(2);   /* a zip entry time taken from the clock would now differ */
    cr_assert_eq(mc_write_xlsx(p2, &rep, &err), 0, "%s", err.msg);
    size_t n1, n2;
    char *a = slurp(p1, &n1), *b = slurp(p2, &n2);
    cr_assert_eq(n1, n2);
    cr_assert(memcmp(a, b, n1) == 0, "two writes of one report differ");
    free(a);
    free(b);
    mc_report_free(&rep);
}

Test(write_xlsx, unwritable_path_is_io_error)
{
    mc_report rep;
    build(&rep);
    mc_error err = { 0 };
    int rc = mc_write_xlsx("/nonexistent-motcua-dir/r.xlsx", &rep, &err);
    cr_assert_eq(rc, 74);
    cr_assert(strstr(err.msg, "/nonexistent-motcua-dir/r.xlsx") != NULL, "%s", err.msg);
    mc_report_free(&rep);
}

/* Rates are printed with two decimals, half away from zero, on the exact
 * ratio (mc_wu_fmt2). */
Test(writers, two_decimals_round_half_up_on_the_exact_ratio)
{
    char b[64];
    cr_expect_str_eq(mc_wu_fmt2(100.0 * 201 / 20000, 0, b, sizeof b), "1.01"); /* 1.005 */
    cr_expect_str_eq(mc_wu_fmt2(100.0 * 1 / 32, 0, b, sizeof b), "3.13");      /* 3.125 */
    cr_expect_str_eq(mc_wu_fmt2(100.0 * 21 / 32, 0, b, sizeof b), "65.63");    /* 65.625 */
    cr_expect_str_eq(mc_wu_fmt2(100.0 * 2 / 3, 0, b, sizeof b), "66.67");
    cr_expect_str_eq(mc_wu_fmt2(100.0 * 1 / 3, 0, b, sizeof b), "33.33");
    cr_expect_str_eq(mc_wu_fmt2(100.0, 0, b, sizeof b), "100.00");
    cr_expect_str_eq(mc_wu_fmt2(0.0, 0, b, sizeof b), "0.00");
    cr_expect_str_eq(mc_wu_fmt2(100.0 * 1 / 2000001, 0, b, sizeof b), "0.00");
    cr_expect_str_eq(mc_wu_fmt2(-0.004, 0, b, sizeof b), "0.00", "never -0.00");
    cr_expect_str_eq(mc_wu_fmt2(-2.855, 0, b, sizeof b), "-2.86");
    cr_expect_str_eq(mc_wu_fmt2(1.5, 1, b, sizeof b), "+1.50");
    cr_expect_str_eq(mc_wu_fmt2(0.0, 1, b, sizeof b), "+0.00");
}

static int fill_hello(const char *tmp, void *ctx, mc_error *err)
{
    (void)ctx;
    FILE *fp = fopen(tmp, "w");
    if (!fp)
        return mc_error_set(err, MC_EXIT_IO, "%s: cannot write", tmp);
    fputs("hello\n", fp);
    fclose(fp);
    return 0;
}

static int fill_fails(const char *tmp, void *ctx, mc_error *err)
{
    (void)ctx;
    FILE *fp = fopen(tmp, "w");
    if (fp) {
        fputs("half", fp);
        fclose(fp);
    }
    return mc_error_set(err, MC_EXIT_IO, "%s: disk on fire", tmp);
}

/* A killed writer's temporary is swept by the next write of the same file;
 * a live writer's is left alone; a failed write leaves the old file. */
Test(writers, atomic_write_sweeps_dead_writers_temporaries)
{
    char dir[] = "/tmp/mc-atomic-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    pid_t child = fork();
    if (child == 0)
        _exit(0);
    cr_assert_eq(waitpid(child, NULL, 0), child); /* child is now a dead PID */
    char dead[256], live[256], other[256], path[256];
    snprintf(path, sizeof path, "%s/q3.csv", dir);
    snprintf(dead, sizeof dead, "%s/.q3.csv.%ld.tmp", dir, (long)child);
    snprintf(live, sizeof live, "%s/.q3.csv.%ld.tmp", dir, (long)getppid());
    snprintf(other, sizeof other, "%s/.q4.csv.%ld.tmp", dir, (long)child);
    const char *const made[] = {dead, live, other};
    for (int i = 0; i < 3; i++) {
        FILE *f = fopen(made[i], "w");
        cr_assert_not_null(f);
        fclose(f);
    }
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_fs_write_atomic(path, fill_hello, NULL, &err), 0, "%s", err.msg);
    cr_expect_neq(access(dead, F_OK), 0, "the dead writer's temporary is swept");
    cr_expect_eq(access(live, F_OK), 0, "a live writer's temporary stays");
    cr_expect_eq(access(other, F_OK), 0, "another file's temporary stays");
    int st = mc_fs_write_atomic(path, fill_fails, NULL, &err);
    cr_expect_eq(st, MC_EXIT_IO);
    cr_expect_eq(strncmp(err.msg, path, strlen(path)), 0, "the message names %s: %s", path, err.msg);
    char line[32];
    testfile_first_line(path, line, sizeof line);
    cr_expect_str_eq(line, "hello\n", "a failed write leaves the old file");
    unlink(live);
    unlink(other);
    unlink(path);
    rmdir(dir);
}

/* ---- the 12-month trend (SPEC 13) ---------------------------------------- */

/* build()'s report with a trend: the months 2024-10 to 2025-09, each the
 * rows of build(), the last one as of 2025-08-20 (it had not begun). */
static void build_trend(mc_report *rep)
{
    build(rep);
    rep->trend = calloc(MC_TREND_MONTHS, sizeof *rep->trend);
    cr_assert_not_null(rep->trend);
    for (int m = 0; m < MC_TREND_MONTHS; m++, rep->n_trend++) {
        mc_report *mo = &rep->trend[m];
        cr_assert_eq(mc_report_copy(mo, rep), 0);
        /* unsigned and bounded: the compiler sees the dates fit */
        unsigned y = m < 3 ? 2024 : 2025, mon = (unsigned)(m < 3 ? 10 + m : m - 2) % 13;
        static const unsigned last[] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        snprintf(mo->period, sizeof mo->period, "%04u-%02u", y, mon);
        snprintf(mo->period_start, sizeof mo->period_start, "%04u-%02u-01", y, mon);
        snprintf(mo->period_end, sizeof mo->period_end, "%04u-%02u-%02u", y, mon, last[mon]);
        snprintf(mo->as_of, sizeof mo->as_of, "%s", m == 11 ? "2025-08-20" : mo->period_end);
    }
}

#define TREND_HDR "month,month_start,month_end,as_of,unit_code,unit_name,received_total," \
    "received_new,received_online,received_offline,carried_over,resolved_total,"            \
    "resolved_early,resolved_on_time,resolved_late,in_progress_total,"                      \
    "in_progress_within,in_progress_overdue,late_total,late_with_apology,on_time_rate,"     \
    "on_time_rate_766,late_with_apology_rate,online_rate,online_full_process_rate,"         \
    "online_payment_rate,digitized_rate,e_result_rate\n"

Test(write_csv, trend_machine_bytes)
{
    mc_report rep;
    build_trend(&rep);
    char *s = csv_of(&rep, MC_TABLE_TREND, 0);
    cr_assert(strncmp(s, TREND_HDR, strlen(TREND_HDR)) == 0, "%.400s", s);
    /* months oldest first, each month's rows as its units table, ALL last */
    const char *first = s + strlen(TREND_HDR);
    cr_assert(strncmp(first, "2024-10,2024-10-01,2024-10-31,2024-10-31,H01,Huyện Vĩnh Linh,52,",
                      60) == 0, "%.200s", first);
    cr_assert(strstr(s, "\n2024-10,2024-10-01,2024-10-31,2024-10-31,X01,\"UBND xã Cửa Tùng, "
                        "\"\"Vĩnh Linh\"\"\",42,40,30,10,2,36,10,25,1,6,5,1,2,1,97.22,95.24,"
                        "50.00,75.00,30.00,50.00,50.00,50.00\n") != NULL);
    cr_assert(strstr(s, "\n2025-02,2025-02-01,2025-02-28,2025-02-28,ALL,,52,") != NULL);
    cr_assert(strstr(s, "\n2025-09,2025-09-01,2025-09-30,2025-08-20,X03,") != NULL);
    cr_assert_eq(count(s, "\n"), 1 + MC_TREND_MONTHS * rep.n_rows);
    const char *a = strstr(s, "\n2024-12,"), *b = strstr(s, "\n2025-01,");
    cr_assert(a && b && a < b, "months out of order");
    cr_assert(strstr(b, ",ALL,") < strstr(b + 1, "\n2025-02,"), "ALL not last in its month");
    free(s);
    mc_report_free(&rep);
}

Test(write_csv, trend_for_people_and_without_trend)
{
    mc_report rep;
    build_trend(&rep);
    char *s = csv_of(&rep, MC_TABLE_TREND, 1);
    const char *head = "\xEF\xBB\xBF" "Tháng,Từ ngày,Đến ngày,Tính đến ngày,Mã đơn vị,Tên đơn vị,"
                       "Tổng số hồ sơ nhận giải quyết,";
    cr_assert(strncmp(s, head, strlen(head)) == 0, "%.200s", s);
    cr_assert(strstr(s, "\r\n2024-11,01/11/2024,30/11/2024,30/11/2024,H01,") != NULL);
    cr_assert(strstr(s, ",\"'=HYPERLINK(") != NULL, "the formula guard is off");
    assert_crlf(s);
    free(s);
    mc_report_free(&rep);

    /* the trend table of a report computed without it is a bug, not an
     * empty table */
    build(&rep);
    capture c;
    mc_error err = { 0 };
    cr_assert_eq(mc_write_csv(cap_open(&c), &rep, MC_TABLE_TREND, 0, &err), MC_EXIT_SOFTWARE);
    free(cap_close(&c));
    cr_assert(strstr(err.msg, "trend") != NULL, "%s", err.msg);
    cr_assert_eq(mc_write_text(cap_open(&c), &rep, MC_TABLE_TREND, &err), MC_EXIT_SOFTWARE);
    free(cap_close(&c));
    mc_report_free(&rep);
}

Test(write_text, trend_led_by_the_month)
{
    mc_report rep;
    build_trend(&rep);
    char *s = text_of(&rep, MC_TABLE_TREND);
    cr_assert(strstr(s, "Xu hướng 12 tháng") != NULL, "%.300s", s);
    char *lines[128];
    size_t n = table_lines(s, lines, 128);
    cr_assert_eq(n, 2 + MC_TREND_MONTHS * rep.n_rows, "%zu lines", n);
    cr_assert(strncmp(lines[0], "Tháng  ", strlen("Tháng  ")) == 0, "[%s]", lines[0]);
    cr_assert(strncmp(lines[2], "2024-10  H01", 12) == 0, "[%s]", lines[2]);
    cr_assert(strncmp(lines[n - 1], "2025-09  ALL", 12) == 0, "[%s]", lines[n - 1]);
    size_t w0 = dwidth_n(lines[0], strlen(lines[0]));
    for (size_t i = 1; i < n; i++)
        cr_assert_eq(dwidth_n(lines[i], strlen(lines[i])), w0, "line %zu: [%s]", i, lines[i]);
    /* each month's targets beside its rates */
    cr_assert(strstr(lines[3], "97.22  ≥98 ✗") != NULL, "[%s]", lines[3]);
    free(s);
    mc_report_free(&rep);
}

Test(write_html, trend_charts)
{
    mc_report rep;
    build_trend(&rep);
    char *s = html_of(&rep);
    cr_assert(strstr(s, "<h2>3. Xu hướng 12 tháng</h2>") != NULL);
    cr_assert(strstr(s, "<h2>4. Chất lượng dữ liệu</h2>") != NULL);
    cr_assert(strstr(s, "Từ tháng 10/2024 đến tháng 09/2025 (tháng dương lịch)") != NULL);
    /* ALL first, then the top-level units H01 and X03; three panels each */
    cr_assert_eq(count(s, "<figure class=\"trend\">"), 3);
    const char *f0 = strstr(s, "figcaption id=\"t-0\">Tổng cộng</figcaption>");
    const char *f1 = strstr(s, "figcaption id=\"t-1\">Huyện Vĩnh Linh (H01)</figcaption>");
    const char *f2 = strstr(s, "figcaption id=\"t-2\">&lt;script&gt;alert(1)&lt;/script&gt; (X03)");
    cr_assert(f0 && f1 && f2 && f0 < f1 && f1 < f2);
    cr_assert_eq(count(s, "<g transform=\"translate("), 9);
    /* ALL and H01: a line of 11 points per rate (the month that had not
     * begun has none); X03 has no case: no line, "no data" thrice */
    cr_assert_eq(count(s, "<polyline class=\"tr-line\""), 6);
    cr_assert_eq(count(s, "<circle "), 66);
    cr_assert_eq(count(f2, "không có số liệu"), 3);
    /* ALL's online target (50 %) drawn in each of the 11 months, a missed
     * point red, a met one green; X01's is not charted (not top-level) */
    cr_assert_eq(count(s, "<line class=\"tr-tgt\""), 11);
    cr_assert(strstr(f0, "<circle class=\"b-met\"") != NULL);
    cr_assert(strstr(s, "<title>Tháng 09/2025") == NULL, "a point for the month not begun");
    cr_assert(strstr(f0, "<title>Tháng 08/2025: 60,00% — mục tiêu ≥ 50%: Đạt</title>") != NULL);
    /* on-time of ALL is 97.83 %: its scale runs 96..100 in steps of 1 */
    cr_assert(strstr(f0, "text-anchor=\"end\">96</text>") != NULL);
    cr_assert(strcasestr(s, "<script") == NULL);
    free(s);
    mc_report_free(&rep);

    /* without a trend the page keeps its three sections */
    build(&rep);
    s = html_of(&rep);
    cr_assert(strstr(s, "Xu hướng") == NULL && strstr(s, "<h2>3. Chất lượng dữ liệu</h2>"));
    free(s);
    mc_report_free(&rep);
}

Test(write_util, trend_units_at_most_twelve_busiest)
{
    /* 15 top-level units U01..U15, U<k> receiving k cases a month, a child
     * of U15 (not top-level), ALL */
    mc_report rep;
    memset(&rep, 0, sizeof rep);
    rep.trend = calloc(MC_TREND_MONTHS, sizeof *rep.trend);
    rep.n_trend = MC_TREND_MONTHS;
    for (int m = 0; m < MC_TREND_MONTHS; m++) {
        mc_report *mo = &rep.trend[m];
        mo->n_rows = 17;
        mo->rows = calloc(mo->n_rows, sizeof *mo->rows);
        for (int k = 0; k < 15; k++) {
            char code[8];
            snprintf(code, sizeof code, "U%02d", 15 - k); /* not in code order */
            row(&mo->rows[k], code, code, MC_ROW_UNIT, 0);
            mo->rows[k].c[MC_C_RECEIVED_NEW] = 15 - k;
        }
        row(&mo->rows[15], "U15.1", "child", MC_ROW_UNIT, 1);
        mo->rows[15].c[MC_C_RECEIVED_NEW] = 1000;
        row(&mo->rows[16], "ALL", "", MC_ROW_ALL, 0);
    }
    const char *codes[20];
    size_t left;
    size_t n = mc_wu_trend_units(&rep, codes, MC_WU_TREND_UNITS, &left);
    cr_assert_eq(n, 13);
    cr_assert_eq(left, 3);
    cr_assert_str_eq(codes[0], "ALL");
    for (int i = 1; i < 13; i++) {
        char want[16];
        snprintf(want, sizeof want, "U%02d", i + 3); /* U01..U03, the least busy, left out */
        cr_assert_str_eq(codes[i], want);
    }
    /* fewer units than the bound: all of them, nothing left out */
    n = mc_wu_trend_units(&rep, codes, 20, &left);
    cr_assert_eq(n, 16);
    cr_assert_eq(left, 0);
    cr_assert_str_eq(codes[1], "U01");
    mc_report_free(&rep);
    /* no trend, no charts */
    memset(&rep, 0, sizeof rep);
    cr_assert_eq(mc_wu_trend_units(&rep, codes, MC_WU_TREND_UNITS, &left), 0);
}

Test(write_xlsx, trend_sheets_and_line_charts)
{
    mc_report rep;
    build_trend(&rep);
    char path[128];
    snprintf(path, sizeof path, "%s/r.xlsx", tmpdir);
    mc_error err = { 0 };
    cr_assert_eq(mc_write_xlsx(path, &rep, &err), 0, "%s", err.msg);
    char *wb = unzip_member(path, "xl/workbook.xml");
    cr_assert(strstr(wb, "<sheet name=\"Xu hướng 12 tháng\" sheetId=\"5\"") != NULL, "%s", wb);
    cr_assert(strstr(wb, "<sheet name=\"Biểu đồ xu hướng\" sheetId=\"6\"") != NULL, "%s", wb);
    free(wb);
    /* sheet 5: a heading row (5), then 12 months of 5 rows; X01 of 2024-10
     * on row 7, its on-time rate (column 6 + 14 + 1 = U) a fraction */
    char *s4 = unzip_member(path, "xl/worksheets/sheet5.xml");
    cr_assert(strstr(s4, "<row r=\"65\"") != NULL && strstr(s4, "<row r=\"66\"") == NULL);
    char *tag, *v = cell_value(s4, "U7");
    cr_assert(strncmp(v, "0.9722", 6) == 0, "%s", v);
    free(v);
    v = cell_value(s4, "G7");
    cr_assert_str_eq(v, "42");
    free(v);
    cr_assert(strstr(s4, "<f>") == NULL);
    free(s4);
    /* sheet 6: the data of ALL's chart (rows 6..17 under its name and
     * headings), the month not begun blank; one native line chart per
     * charted unit, 6 series each */
    char *s5 = unzip_member(path, "xl/worksheets/sheet6.xml");
    v = cell_value(s5, "F16"); /* ALL's online rate, 2025-08 */
    cr_assert_str_eq(v, "0.6");
    free(v);
    v = cell_value(s5, "G16"); /* its target */
    cr_assert_str_eq(v, "0.5");
    free(v);
    tag = cell_tag(s5, "F17"); /* 2025-09: not begun, no value */
    cr_assert(strstr(tag, "/>") != NULL, "%s", tag);
    free(tag);
    free(s5);
    for (int i = 1; i <= 3; i++) {
        char member[64];
        snprintf(member, sizeof member, "xl/charts/chart%d.xml", i);
        char *ch = unzip_member(path, member);
        cr_assert(strstr(ch, "<c:lineChart>") != NULL);
        cr_assert_eq(count(ch, "<c:ser>"), 6, "%s", member);
        cr_assert_eq(count(ch, "<a:prstDash val=\"dash\"/>"), 3, "%s", member);
        /* a null rate is a gap, Excel's default, which libxlsxwriter leaves unsaid */
        cr_assert(strstr(ch, "dispBlanksAs val=\"zero\"") == NULL);
        cr_assert(strstr(ch, "'Biểu đồ xu hướng'!$A$6:$A$17") != NULL || i > 1, "%s", ch);
        free(ch);
    }
    mc_report_free(&rep);
}

/* ---- the breakdowns of SPEC 11 -------------------------------------------- */

#define P_NAME "=cmd|' /C calc'!A0"

static void group(mc_group_row *g, const char *code, const char *name, int kind,
                  const mc_unit_row *counts)
{
    g->code = code ? strdup(code) : NULL;
    g->name = strdup(name);
    g->kind = kind;
    memcpy(g->c, counts->c, sizeof g->c);
}

/* build(), and by field: "Hộ tịch" (X01's cases), the cases without a field
 * (X02's), ALL; by procedure: a code whose name has a comma and quotes
 * (X01's), a group keyed by a name that looks like a formula (X02's), ALL. */
static void build_groups(mc_report *rep)
{
    build(rep);
    rep->groups = MC_GROUPS_FIELD | MC_GROUPS_PROCEDURE;
    rep->n_fields = rep->n_procedures = 3;
    rep->fields = calloc(3, sizeof *rep->fields);
    rep->procedures = calloc(3, sizeof *rep->procedures);
    group(&rep->fields[0], NULL, "Hộ tịch", MC_ROW_UNIT, &rep->rows[1]);
    group(&rep->fields[1], NULL, "", MC_ROW_UNIT, &rep->rows[2]);
    group(&rep->fields[2], NULL, "ALL", MC_ROW_ALL, &rep->rows[4]);
    group(&rep->procedures[0], "1.001193", "Đăng ký khai sinh, \"bản sao\"", MC_ROW_UNIT,
          &rep->rows[1]);
    group(&rep->procedures[1], "", P_NAME, MC_ROW_UNIT, &rep->rows[2]);
    group(&rep->procedures[2], "ALL", "", MC_ROW_ALL, &rep->rows[4]);
}

#define FIGURES_HDR "received_total,"                                                      \
    "received_new,received_online,received_offline,carried_over,resolved_total,"        \
    "resolved_early,resolved_on_time,resolved_late,in_progress_total,"                  \
    "in_progress_within,in_progress_overdue,late_total,late_with_apology,on_time_rate," \
    "on_time_rate_766,late_with_apology_rate,online_rate,online_full_process_rate,"     \
    "online_payment_rate,digitized_rate,e_result_rate\n"
#define X01_FIGS "42,40,30,10,2,36,10,25,1,6,5,1,2,1,97.22,95.24,50.00,75.00,30.00,50.00,50.00,50.00\n"
#define X02_FIGS "10,10,0,10,0,10,0,10,0,0,0,0,0,0,100.00,100.00,,0.00,0.00,,,\n"
#define ALL_FIGS "52,50,30,20,2,46,10,35,1,6,5,1,2,1,97.83,96.15,50.00,60.00,24.00,50.00,40.00,39.13\n"

Test(write_csv, fields_and_procedures_machine_bytes)
{
    mc_report rep;
    build_groups(&rep);
    char *s = csv_of(&rep, MC_TABLE_FIELDS, 0);
    cr_assert_str_eq(s, "period,period_start,period_end,as_of,field_name," FIGURES_HDR
                        PRE "Hộ tịch," X01_FIGS PRE "," X02_FIGS PRE "ALL," ALL_FIGS);
    free(s);
    s = csv_of(&rep, MC_TABLE_PROCEDURES, 0);
    cr_assert_str_eq(s, "period,period_start,period_end,as_of,procedure_code,procedure_name,"
                        FIGURES_HDR
                        PRE "1.001193,\"Đăng ký khai sinh, \"\"bản sao\"\"\"," X01_FIGS
                        PRE "," P_NAME "," X02_FIGS PRE "ALL,," ALL_FIGS);
    free(s);
    mc_report_free(&rep);
}

Test(write_csv, fields_and_procedures_for_people)
{
    mc_report rep;
    build_groups(&rep);
    char *s = csv_of(&rep, MC_TABLE_FIELDS, 1);
    assert_crlf(s);
    cr_assert(strncmp(s, "\xEF\xBB\xBF" "Kỳ báo cáo,Từ ngày,Đến ngày,Tính đến ngày,Lĩnh vực,"
                         "Tổng số hồ sơ nhận giải quyết,",
                      strlen("\xEF\xBB\xBF" "Kỳ báo cáo,Từ ngày,Đến ngày,Tính đến ngày,Lĩnh vực,"
                             "Tổng số hồ sơ nhận giải quyết,")) == 0, "%s", s);
    cr_assert(strstr(s, ",30/09/2025,(không rõ lĩnh vực),10,") != NULL, "%s", s);
    cr_assert(strstr(s, ",30/09/2025,Tổng cộng,52,") != NULL, "%s", s);
    free(s);
    s = csv_of(&rep, MC_TABLE_PROCEDURES, 1);
    cr_assert(strstr(s, "Tính đến ngày,Mã thủ tục,Tên thủ tục,") != NULL, "%s", s);
    cr_assert(strstr(s, ",30/09/2025,,'" P_NAME ",10,") != NULL, "not guarded: %s", s);
    cr_assert(strstr(s, ",30/09/2025,,Tổng cộng,52,") != NULL, "%s", s);
    free(s);
    mc_report_free(&rep);
}

/* A report computed without a breakdown cannot be written as one: a bug
 * of the caller, never an empty table that looks like data. */
Test(write_csv, breakdown_not_computed_is_refused)
{
    mc_report rep;
    build(&rep);
    mc_error err = { 0 };
    capture c;
    cr_assert_eq(mc_write_csv(cap_open(&c), &rep, MC_TABLE_FIELDS, 0, &err), MC_EXIT_SOFTWARE);
    free(cap_close(&c));
    cr_assert_eq(mc_write_text(cap_open(&c), &rep, MC_TABLE_PROCEDURES, &err), MC_EXIT_SOFTWARE);
    free(cap_close(&c));
    cr_assert_eq(mc_write_html(cap_open(&c), &rep, MC_TABLE_FIELDS, &err), MC_EXIT_SOFTWARE);
    free(cap_close(&c));
    mc_report_free(&rep);
}

Test(write_text, fields_and_procedures)
{
    mc_report rep;
    build_groups(&rep);
    char *s = text_of(&rep, MC_TABLE_FIELDS);
    char *lines[64];
    size_t n = table_lines(s, lines, 64);
    cr_assert_eq(n, 2 + 3, "%s", s);
    cr_assert(strstr(s, "theo lĩnh vực — kỳ 2025-Q3") != NULL, "%s", s);
    cr_assert(strncmp(lines[2], "Hộ tịch ", strlen("Hộ tịch ")) == 0, "%s", lines[2]);
    cr_assert(strncmp(lines[3], "(không rõ lĩnh vực) ", 20) == 0, "%s", lines[3]);
    cr_assert(strncmp(lines[4], "Tổng cộng ", strlen("Tổng cộng ")) == 0, "%s", lines[4]);
    cr_assert(strstr(lines[4], "97.83") != NULL, "%s", lines[4]);
    free(s);
    s = text_of(&rep, MC_TABLE_PROCEDURES);
    n = table_lines(s, lines, 64);
    cr_assert_eq(n, 2 + 3, "%s", s);
    cr_assert(strncmp(lines[2], "1.001193  Đăng ký khai sinh, \"bản sao\"",
                      strlen("1.001193  Đăng ký khai sinh, \"bản sao\"")) == 0, "%s", lines[2]);
    cr_assert(strncmp(lines[4], "ALL ", 4) == 0, "%s", lines[4]);
    free(s);
    mc_report_free(&rep);
}

Test(write_html, fields_and_procedures)
{
    mc_report rep;
    build_groups(&rep);
    capture c;
    mc_error err = { 0 };
    cr_assert_eq(mc_write_html(cap_open(&c), &rep, MC_TABLE_PROCEDURES, &err), 0, "%s", err.msg);
    char *s = cap_close(&c);
    cr_assert(strstr(s, "<h1>Tình hình, kết quả giải quyết thủ tục hành chính theo thủ tục</h1>"));
    cr_assert(strstr(s, "<td>1.001193</td><td>Đăng ký khai sinh, &quot;bản sao&quot;</td>"
                        "<td class=\"n\">42</td>") != NULL, "%s", s);
    cr_assert(strstr(s, "<td></td><td>=cmd|&#39; /C calc&#39;!A0</td>") != NULL, "%s", s);
    cr_assert(strstr(s, "<tr class=\"all\"><td></td><td>Tổng cộng</td><td class=\"n\">52</td>"));
    cr_assert_eq(count(s, "<table>"), 1, "the breakdown alone");
    cr_assert(strstr(s, "<svg") == NULL);
    free(s);
    cr_assert_eq(mc_write_html(cap_open(&c), &rep, MC_TABLE_FIELDS, &err), 0, "%s", err.msg);
    s = cap_close(&c);
    cr_assert(strstr(s, "<tr class=\"unit\"><td>(không rõ lĩnh vực)</td><td class=\"n\">10</td>"));
    free(s);
    mc_report_free(&rep);
}

Test(write_xlsx, sheets_by_field_and_by_procedure)
{
    mc_report rep;
    build_groups(&rep);
    char path[128];
    snprintf(path, sizeof path, "%s/r.xlsx", tmpdir);
    mc_error err = { 0 };
    cr_assert_eq(mc_write_xlsx(path, &rep, &err), 0, "%s", err.msg);
    char *wb = unzip_member(path, "xl/workbook.xml");
    cr_assert(strstr(wb, "<sheet name=\"Theo lĩnh vực\" sheetId=\"5\"") != NULL, "%s", wb);
    cr_assert(strstr(wb, "<sheet name=\"Theo thủ tục\" sheetId=\"6\"") != NULL, "%s", wb);
    free(wb);
    char *sst = unzip_member(path, "xl/sharedStrings.xml");
    char *s4 = unzip_member(path, "xl/worksheets/sheet5.xml");
    char *s5 = unzip_member(path, "xl/worksheets/sheet6.xml");
    /* the form by field: 13 numbered columns, Hộ tịch in row 10, its
     * received total (C10) a number, then the cases without a field, ALL */
    cr_assert(strstr(sst, "<t>Lĩnh vực</t>") != NULL);
    cr_assert(strstr(sst, "<t>(không rõ lĩnh vực)</t>") != NULL);
    cr_assert(strstr(s4, "<mergeCell ref=\"C6:F6\"/>") != NULL);
    char *v = cell_value(s4, "C10");
    cr_assert_str_eq(v, "42");
    free(v);
    v = cell_value(s4, "C12");
    cr_assert_str_eq(v, "52");
    free(v);
    cr_assert(strstr(s4, "r=\"N9\"") == NULL, "13 columns, not 14");
    /* by procedure: code and name, the 11 counts from D, the on-time rate in O */
    cr_assert(strstr(sst, "<t>Mã thủ tục</t>") != NULL);
    cr_assert(strstr(s5, "<mergeCell ref=\"D6:G6\"/>") != NULL);
    v = cell_value(s5, "D10");
    cr_assert_str_eq(v, "42");
    free(v);
    v = cell_value(s5, "O10");
    cr_assert(strncmp(v, "0.9722", 6) == 0, "%s", v);
    free(v);
    char *tag = cell_tag(s5, "C11");
    cr_assert(strstr(tag, "t=\"s\"") != NULL, "the formula-like name is text: %s", tag);
    free(tag);
    cr_assert(strstr(s5, "<f>") == NULL && strstr(s4, "<f>") == NULL);
    free(sst);
    free(s4);
    free(s5);
    /* without the breakdowns, not their sheets */
    mc_report_free(&rep);
    build(&rep);
    cr_assert_eq(mc_write_xlsx(path, &rep, &err), 0, "%s", err.msg);
    wb = unzip_member(path, "xl/workbook.xml");
    cr_assert(strstr(wb, "Theo lĩnh vực") == NULL, "%s", wb);
    free(wb);
    mc_report_free(&rep);
}
