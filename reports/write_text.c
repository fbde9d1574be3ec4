/*
 * write_text.c -- the report tables as aligned text for a terminal.
 *
 * Columns are sized by display width, not bytes: Vietnamese letters take two
 * or three UTF-8 bytes but one cell, wide (CJK, emoji) characters two, and
 * combining marks none (utf8proc_charwidth).  Control characters in data are
 * shown as '?' so that a unit name can neither break the alignment nor send
 * escape sequences to the terminal.  Headings are short Vietnamese forms of
 * the official form's headings; the full ones are in the workbook.
 */
#include "reports/write_util.h"
#include "reports/cases.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

typedef struct {
    size_t ncols, ncells, cap;
    char **cells;            /* row-major, ncols per row; row 0 is the heading */
    unsigned char *right;    /* per column: numbers are right-aligned */
    int oom;
} tbl;

static int tbl_init(tbl *t, size_t ncols)
{
    memset(t, 0, sizeof *t);
    t->ncols = ncols;
    t->right = calloc(ncols ? ncols : 1, 1);
    return t->right ? 0 : -1;
}

static void tbl_free(tbl *t)
{
    for (size_t i = 0; i < t->ncells; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t->right);
}

/* A copy of s fit for a terminal: invalid bytes and control characters
 * become '?'. */
static char *sanitize(const char *s)
{
    size_t n = strlen(s);
    char *d = malloc(n + 1);
    if (!d)
        return NULL;
    size_t o = 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    while (n > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, (utf8proc_ssize_t)n, &cp);
        if (k <= 0 || utf8proc_category(cp) == UTF8PROC_CATEGORY_CC) {
            d[o++] = '?';
            k = k <= 0 ? 1 : k;
        } else {
            memcpy(d + o, p, (size_t)k);
            o += (size_t)k;
        }
        p += k;
        n -= (size_t)k;
    }
    d[o] = '\0';
    return d;
}

/* Display width of sanitized text. */
static size_t dwidth(const char *s)
{
    size_t w = 0, n = strlen(s);
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    while (n > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, (utf8proc_ssize_t)n, &cp);
        if (k <= 0) {
            w++;
            k = 1;
        } else {
            int cw = utf8proc_charwidth(cp);
            w += cw > 0 ? (size_t)cw : 0;
        }
        p += k;
        n -= (size_t)k;
    }
    return w;
}

static void tbl_add(tbl *t, const char *s)
{
    if (t->oom)
        return;
    if (t->ncells == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 64;
        char **c = realloc(t->cells, cap * sizeof *c);
        if (!c) {
            t->oom = 1;
            return;
        }
        t->cells = c;
        t->cap = cap;
    }
    char *d = sanitize(mc_wu_str(s));
    if (!d) {
        t->oom = 1;
        return;
    }
    t->cells[t->ncells++] = d;
}

static void tbl_addf(tbl *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tbl_addf(tbl *t, const char *fmt, ...)
{
    char b[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b, sizeof b, fmt, ap);
    va_end(ap);
    tbl_add(t, b);
}

static void pad(FILE *out, size_t n)
{
    while (n-- > 0)
        fputc(' ', out);
}

/* Every line, the rule under the heading included, comes out equally wide:
 * the last column is padded too. */
static int tbl_print(FILE *out, const tbl *t)
{
    size_t nrows = t->ncells / t->ncols;
    size_t *w = calloc(t->ncols, sizeof *w);
    if (!w)
        return -1;
    for (size_t i = 0; i < nrows * t->ncols; i++) {
        size_t cw = dwidth(t->cells[i]);
        if (cw > w[i % t->ncols])
            w[i % t->ncols] = cw;
    }
    size_t total = 0;
    for (size_t c = 0; c < t->ncols; c++)
        total += w[c] + (c ? 2 : 0);
    for (size_t r = 0; r < nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = t->cells[r * t->ncols + c];
            size_t gap = w[c] - dwidth(s);
            if (c)
                pad(out, 2);
            if (t->right[c]) {
                pad(out, gap);
                fputs(s, out);
            } else {
                fputs(s, out);
                pad(out, gap);
            }
        }
        fputc('\n', out);
        if (r == 0) {
            for (size_t i = 0; i < total; i++)
                fputc('-', out);
            fputc('\n', out);
        }
    }
    free(w);
    return 0;
}

static void title(FILE *out, const mc_report *rep, const char *what)
{
    char s[64], e[64], a[64];
    mc_wu_date_vi(rep->period_start, s, sizeof s);
    mc_wu_date_vi(rep->period_end, e, sizeof e);
    mc_wu_date_vi(rep->as_of, a, sizeof a);
    char *p = sanitize(rep->period);
    fprintf(out, "%s — kỳ %s, từ ngày %s đến ngày %s, số liệu tính đến ngày %s\n", what,
            p ? p : "", s, e, a);
    free(p);
    if (rep->reporting_unit[0]) {
        char *u = sanitize(rep->reporting_unit);
        fprintf(out, "Đơn vị báo cáo: %s\n", u ? u : "");
        free(u);
    }
    fputc('\n', out);
}

/* The 11 counts of the official form, in its column order. */
static const mc_count form_counts[] = {
    MC_C_RECEIVED_TOTAL, MC_C_RECEIVED_ONLINE, MC_C_RECEIVED_OFFLINE, MC_C_CARRIED_OVER,
    MC_C_RESOLVED_TOTAL, MC_C_RESOLVED_EARLY, MC_C_RESOLVED_ON_TIME, MC_C_RESOLVED_LATE,
    MC_C_IN_PROGRESS_TOTAL, MC_C_IN_PROGRESS_WITHIN, MC_C_IN_PROGRESS_OVERDUE,
};
static const char *const form_heads[] = {
    "Tổng nhận", "Trực tuyến", "Trực tiếp, BC", "Kỳ trước", "Đã giải quyết", "Trước hạn",
    "Đúng hạn", "Quá hạn", "Đang giải quyết", "Trong hạn", "Đang quá hạn",
};
static const char *const rate_heads[MC_R_COUNT] = {
    "% Đúng hạn", "% 766", "% Xin lỗi", "% Trực tuyến", "% Toàn trình", "% TT trực tuyến",
    "% Số hóa", "% KQ điện tử",
};

#define N_FORM (sizeof form_counts / sizeof form_counts[0])

static void target_cell(tbl *t, const mc_target_row *tg)
{
    if (!tg) {
        tbl_add(t, "");
        return;
    }
    const char *st = mc_wu_str(tg->status);
    const char *mark = strcmp(st, "missed") == 0 ? " ✗" : strcmp(st, "met") == 0 ? " ✓" : " ?";
    tbl_addf(t, "%s%.15g%s", mc_wu_op_vi(tg->op), tg->target, mark);
}

/* A row's form counts and rates; after each rate whose has_t is set (a
 * column some row has a target for), unit_code's target (has_t NULL: no
 * target columns, as in the breakdowns). */
static void figure_cells(tbl *t, const mc_report *rep, const int64_t c[MC_C_COUNT],
                         const char *unit_code, const int has_t[MC_R_COUNT])
{
    for (size_t k = 0; k < N_FORM; k++)
        tbl_addf(t, "%" PRId64, c[form_counts[k]]);
    for (int r = 0; r < MC_R_COUNT; r++) {
        double v;
        char num[64];
        if (mc_rate_value(c, (mc_rate)r, &v))
            tbl_addf(t, "%s", mc_wu_fmt2(v, 0, num, sizeof num));
        else
            tbl_add(t, "–");
        if (has_t && has_t[r])
            target_cell(t, mc_wu_target(rep, unit_code, mc_rate_name((mc_rate)r)));
    }
}

/* One unit row's cells after the month: code, indented name, the form's
 * counts, each rate and, where some row has one, its target. */
static void unit_row(tbl *t, const mc_report *rep, const mc_unit_row *row,
                     const int has_t[MC_R_COUNT])
{
    char name[512];
    int depth = row->depth > 0 ? (row->depth < 20 ? row->depth : 20) : 0;
    snprintf(name, sizeof name, "%*s%s", 2 * depth, "", mc_wu_row_label(row));
    tbl_add(t, row->unit_code);
    tbl_add(t, name);
    figure_cells(t, rep, row->c, row->unit_code, has_t);
}

/* The rows of reps[0..n): one report's units table, or (with_month) a
 * trend's months one after the other, each row led by its month. */
static int units_table(tbl *t, const mc_report *reps, size_t n, int with_month)
{
    int has_t[MC_R_COUNT];
    size_t ncols = 2 + N_FORM + (with_month ? 1 : 0);
    for (int r = 0; r < MC_R_COUNT; r++) {
        has_t[r] = 0;
        for (size_t k = 0; k < n; k++)
            has_t[r] |= mc_wu_has_targets_for(&reps[k], mc_rate_name((mc_rate)r));
        ncols += 1 + (size_t)has_t[r];
    }
    if (tbl_init(t, ncols) < 0)
        return -1;

    size_t col = 0;
    if (with_month) {
        tbl_add(t, "Tháng");
        col++;
    }
    tbl_add(t, "Mã");
    tbl_add(t, "Đơn vị");
    col += 2;
    for (size_t i = 0; i < N_FORM; i++) {
        tbl_add(t, form_heads[i]);
        t->right[col++] = 1;
    }
    for (int r = 0; r < MC_R_COUNT; r++) {
        tbl_add(t, rate_heads[r]);
        t->right[col++] = 1;
        if (has_t[r]) {
            tbl_add(t, "Mục tiêu");
            col++;
        }
    }

    for (size_t k = 0; k < n; k++) {
        const mc_report *rep = &reps[k];
        for (size_t i = 0; i < rep->n_rows; i++) {
            const mc_unit_row *row = &rep->rows[i];
            if (with_month)
                tbl_add(t, rep->period);
            unit_row(t, rep, row, has_t);
        }
    }
    return 0;
}

/* A breakdown of SPEC 11: the key column(s), the form's counts, the rates
 * (the plans set no targets for a field or a procedure). */
static int group_table(tbl *t, const mc_report *rep, int by_procedure)
{
    const mc_group_row *rows = by_procedure ? rep->procedures : rep->fields;
    size_t n = by_procedure ? rep->n_procedures : rep->n_fields, keys = by_procedure ? 2 : 1;
    if (tbl_init(t, keys + N_FORM + MC_R_COUNT) < 0)
        return -1;
    if (by_procedure) {
        tbl_add(t, "Mã");
        tbl_add(t, "Thủ tục");
    } else {
        tbl_add(t, "Lĩnh vực");
    }
    for (size_t i = 0; i < N_FORM; i++) {
        tbl_add(t, form_heads[i]);
        t->right[keys + i] = 1;
    }
    for (int r = 0; r < MC_R_COUNT; r++) {
        tbl_add(t, rate_heads[r]);
        t->right[keys + N_FORM + (size_t)r] = 1;
    }
    for (size_t i = 0; i < n; i++) {
        const mc_group_row *row = &rows[i];
        if (by_procedure)
            tbl_add(t, row->kind == MC_ROW_ALL ? "ALL" : row->code);
        tbl_add(t, mc_wu_group_label(row, by_procedure));
        figure_cells(t, rep, row->c, NULL, NULL);
    }
    return 0;
}

static int targets_table(tbl *t, const mc_report *rep)
{
    static const char *const head[] = {
        "Mã", "Chỉ tiêu", "Thực tế", "So sánh", "Mục tiêu", "Đánh giá", "Chênh lệch", "Nguồn",
    };
    if (tbl_init(t, 8) < 0)
        return -1;
    for (size_t i = 0; i < 8; i++)
        tbl_add(t, head[i]);
    t->right[2] = t->right[4] = t->right[6] = 1;
    for (size_t i = 0; i < rep->n_targets; i++) {
        const mc_target_row *tg = &rep->targets[i];
        char num[64];
        tbl_add(t, tg->unit_code);
        tbl_add(t, tg->indicator);
        if (tg->has_actual)
            tbl_addf(t, "%s", mc_wu_fmt2(tg->actual, 0, num, sizeof num));
        else
            tbl_add(t, "–");
        tbl_add(t, mc_wu_op_vi(tg->op));
        tbl_addf(t, "%.15g", tg->target);
        const char *st = mc_wu_str(tg->status);
        tbl_addf(t, "%s%s", mc_wu_status_vi(st), strcmp(st, "missed") == 0 ? " ✗" : "");
        if (tg->has_gap)
            tbl_addf(t, "%s", mc_wu_fmt2(tg->gap, 1, num, sizeof num));
        else
            tbl_add(t, "–");
        tbl_add(t, tg->source);
    }
    return 0;
}

static int quality_table(tbl *t, const mc_report *rep)
{
    if (tbl_init(t, 4) < 0)
        return -1;
    tbl_add(t, "Kiểm tra");
    tbl_add(t, "Giá trị");
    tbl_add(t, "Trạng thái");
    tbl_add(t, "Chi tiết");
    t->right[1] = 1;
    for (size_t i = 0; i < rep->n_quality; i++) {
        const mc_quality_row *q = &rep->quality[i];
        tbl_add(t, q->name);
        tbl_add(t, q->value);
        tbl_add(t, mc_wu_quality_status_vi(q->status));
        tbl_add(t, q->detail);
    }
    return 0;
}

int mc_write_text(FILE *out, const mc_report *rep, mc_table which, mc_error *err)
{
    if (!out || !rep)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "text writer: no output or no report");

    tbl t;
    int rc;
    const char *what;
    switch (which) {
    case MC_TABLE_UNITS:
        what = "Tình hình, kết quả giải quyết TTHC";
        rc = units_table(&t, rep, 1, 0);
        break;
    case MC_TABLE_TREND:
        if (!rep->trend)
            return mc_error_set(err, MC_EXIT_SOFTWARE, "text writer: the report has no trend");
        what = "Xu hướng 12 tháng, từng tháng là một kỳ";
        rc = units_table(&t, rep->trend, rep->n_trend, 1);
        break;
    case MC_TABLE_TARGETS:
        what = "Chỉ tiêu kế hoạch";
        rc = targets_table(&t, rep);
        break;
    case MC_TABLE_QUALITY:
        what = "Chất lượng dữ liệu";
        rc = quality_table(&t, rep);
        break;
    case MC_TABLE_FIELDS:
    case MC_TABLE_PROCEDURES:
        if (!mc_wu_has_table(rep, which))
            return mc_error_set(err, MC_EXIT_SOFTWARE, "text writer: the report was computed "
                                "without this breakdown");
        what = which == MC_TABLE_FIELDS ? "Tình hình, kết quả giải quyết TTHC theo lĩnh vực"
                                        : "Tình hình, kết quả giải quyết TTHC theo thủ tục";
        rc = group_table(&t, rep, which == MC_TABLE_PROCEDURES);
        break;
    default:
        return mc_error_set(err, MC_EXIT_SOFTWARE, "text writer: unknown table %d", (int)which);
    }
    if (rc < 0)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "text writer: out of memory");
    if (t.oom) {
        tbl_free(&t);
        return mc_error_set(err, MC_EXIT_SOFTWARE, "text writer: out of memory");
    }

    errno = 0;
    title(out, rep, what);
    rc = tbl_print(out, &t);
    tbl_free(&t);
    if (rc < 0)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "text writer: out of memory");
    int any_target = rep->n_targets > 0;
    for (size_t m = 0; which == MC_TABLE_TREND && m < rep->n_trend; m++)
        any_target |= rep->trend[m].n_targets > 0;
    if ((which == MC_TABLE_UNITS || which == MC_TABLE_TREND) && any_target)
        fputs("\nMục tiêu: ✓ đạt, ✗ không đạt, ? không có số liệu\n", out);
    if (fflush(out) != 0 || ferror(out))
        return mc_error_set(err, MC_EXIT_IO, "cannot write the report: %s",
                            strerror(errno ? errno : EIO));
    return 0;
}

/* ---- the cases behind the numbers (SPEC 12) -------------------------------- */

enum { CT_COLS = 15 };

static const char *const case_heads[CT_COLS] = {
    "Mã đơn vị", "Tên đơn vị", "Mã hồ sơ", "Mã TTHC", "Tên TTHC", "Lĩnh vực", "Kênh",
    "TT", "Tiếp nhận", "Hẹn trả", "Kết thúc", "Phân loại", "Kỳ trước", "Trễ (ngày)", "Xin lỗi",
};

/* Columns shown only when some case has a value: the procedure and field
 * columns stay empty on a store that does not keep them. */
static const int case_optional[CT_COLS] = {[3] = 1, [4] = 1, [5] = 1};

typedef struct {
    FILE *out;
    int printing;             /* 0: measuring, 1: printing */
    size_t w[CT_COLS];        /* display widths */
    int used[CT_COLS];        /* some row has a value in the column */
    int64_t rows;
    int oom;
} case_tbl;

/* The cells of a row as the table shows them, into cell[] (b holds the
 * formatted ones). */
static void case_cells(const mc_case_row *r, const char *cell[CT_COLS], char b[5][64])
{
    static const char *const status_codes[] = {"", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"};
    cell[0] = r->unit_code;
    cell[1] = r->unit_name;
    cell[2] = r->case_id;
    cell[3] = r->procedure_code;
    cell[4] = r->procedure_name;
    cell[5] = r->field_name;
    cell[6] = r->channel >= 1 && r->channel <= 3 ? status_codes[r->channel] : "";
    cell[7] = r->status >= 1 && r->status <= 10 ? status_codes[r->status] : "";
    mc_wu_date_vi(r->received_at, b[0], sizeof b[0]);
    mc_wu_date_vi(r->due_at, b[1], sizeof b[1]);
    mc_wu_date_vi(r->end_at, b[2], sizeof b[2]);
    cell[8] = b[0];
    cell[9] = b[1];
    cell[10] = b[2];
    cell[11] = mc_bucket_label_vi(r->bucket);
    cell[12] = r->carried_over ? "x" : "";
    b[3][0] = '\0';
    if (r->has_days_late)
        snprintf(b[3], sizeof b[3], "%" PRId64, r->days_late);
    cell[13] = b[3];
    cell[14] = r->apology ? "có" : "";
}

/* One line of the table: cells padded to the widths (numbers and the
 * heading's rule aside), hidden columns skipped. */
static void case_line(case_tbl *t, const char *const cell[CT_COLS])
{
    int first = 1;
    for (int c = 0; c < CT_COLS; c++) {
        if (case_optional[c] && !t->used[c])
            continue;
        char *s = sanitize(mc_wu_str(cell[c]));
        if (!s) {
            t->oom = 1;
            return;
        }
        size_t cw = dwidth(s), gap = cw < t->w[c] ? t->w[c] - cw : 0;
        if (!first)
            pad(t->out, 2);
        first = 0;
        if (c == 13) {
            pad(t->out, gap);
            fputs(s, t->out);
        } else {
            fputs(s, t->out);
            pad(t->out, gap);
        }
        free(s);
    }
    fputc('\n', t->out);
}

static int case_row_text(void *ctx, const mc_case_row *r, mc_error *err)
{
    case_tbl *t = ctx;
    const char *cell[CT_COLS];
    char b[5][64];
    case_cells(r, cell, b);
    t->rows++;
    if (t->printing) {
        case_line(t, cell);
        if (ferror(t->out))
            return mc_error_set(err, MC_EXIT_IO, "cannot write the list of cases: %s",
                                strerror(errno ? errno : EIO));
    } else {
        for (int c = 0; c < CT_COLS; c++) {
            char *s = sanitize(mc_wu_str(cell[c]));
            if (!s) {
                t->oom = 1;
                break;
            }
            size_t cw = dwidth(s);
            if (cw > t->w[c])
                t->w[c] = cw;
            t->used[c] |= s[0] != '\0';
            free(s);
        }
    }
    return t->oom ? mc_error_set(err, MC_EXIT_SOFTWARE, "text writer: out of memory") : 0;
}

int mc_write_cases_text(FILE *out, mc_cases *c, int only, mc_error *err)
{
    if (!out || !c)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "text writer: no output or no list");
    case_tbl t;
    memset(&t, 0, sizeof t);
    t.out = out;
    for (int i = 0; i < CT_COLS; i++)
        t.w[i] = dwidth(case_heads[i]);
    /* the first reading sizes the columns, the second prints */
    const mc_cases_info *info = mc_cases_get_info(c);
    int st = mc_cases_each(c, only, MC_ORDER_UNIT, case_row_text, &t, err);
    if (st)
        return st;
    errno = 0;
    char s[64], e[64], a[64];
    mc_wu_date_vi(info->period_start, s, sizeof s);
    mc_wu_date_vi(info->period_end, e, sizeof e);
    mc_wu_date_vi(info->as_of, a, sizeof a);
    char *p = sanitize(info->period);
    fprintf(out, "Danh sách hồ sơ: %s — kỳ %s, từ ngày %s đến ngày %s, số liệu tính đến ngày %s\n",
            mc_cases_only_label_vi(only), p ? p : "", s, e, a);
    free(p);
    if (info->unit_name) {
        char *u = sanitize(info->unit_name[0] ? info->unit_name : mc_wu_str(info->unit_code));
        fprintf(out, "Đơn vị báo cáo: %s\n", u ? u : "");
        free(u);
    }
    fputc('\n', out);
    case_line(&t, case_heads);
    size_t total = 0, shown = 0;
    for (int i = 0; i < CT_COLS; i++)
        if (!case_optional[i] || t.used[i])
            total += t.w[i] + (shown++ ? 2 : 0);
    for (size_t i = 0; i < total; i++)
        fputc('-', out);
    fputc('\n', out);
    int64_t measured = t.rows;
    t.rows = 0;
    t.printing = 1;
    if ((st = mc_cases_each(c, only, MC_ORDER_UNIT, case_row_text, &t, err)))
        return st;
    if (t.rows != measured)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "the list of cases changed while it was "
                            "written (%lld rows, then %lld)", (long long)measured,
                            (long long)t.rows);
    fprintf(out, "\n%lld hồ sơ.\n", (long long)t.rows);
    if (t.oom)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "text writer: out of memory");
    if (fflush(out) != 0 || ferror(out))
        return mc_error_set(err, MC_EXIT_IO, "cannot write the list of cases: %s",
                            strerror(errno ? errno : EIO));
    return 0;
}
