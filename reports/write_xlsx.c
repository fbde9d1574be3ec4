/*
 * write_xlsx.c -- the report as a workbook (libxlsxwriter).
 *
 * Sheet 1 has the shape of the official form "Tình hình, kết quả giải quyết
 * TTHC" (Thông tư 01/2020/TT-VPCP) so staff can paste it into the monthly
 * report as is; sheet 2 puts every rate beside its plan target; sheet 3 is
 * the data-quality table; sheet 4 ("Tóm tắt") the paragraph of SPEC 14.
 * With the report's trend (SPEC 13), the next sheet is the monthly table
 * and the one after native Excel line charts of the headline rates against
 * their targets, drawn from data on that sheet.  When the report has them
 * (SPEC 11), the last two sheets are the form with its rows by field, as
 * the form itself lists them, and the same counts by procedure with each
 * one's on-time rate.  Numbers are stored as numbers, so Excel can sum
 * them; every text goes through worksheet_write_string, which never makes a
 * formula, so a unit called "=HYPERLINK(...)" stays text.  The workbook's
 * creation time is the as-of date, so the same data gives the same file.
 */
#include "reports/write_util.h"
#include "reports/cases.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xlsxwriter.h>

#define MAX_INDENT 8
#define XLSX_STR_MAX 32767   /* Excel's limit on the characters of a cell */

typedef struct {
    lxw_workbook *wb;
    lxw_error first;         /* first failure of any worksheet call */
    lxw_format *title, *info, *note, *head, *colno, *stt, *text, *num, *num_b;
    lxw_format *name[2][MAX_INDENT + 1];
    lxw_format *pct, *target_pct, *gap, *plain_num;
    lxw_format *st_met, *st_missed, *st_nodata, *q_ok, *q_warn, *q_err;
    lxw_format *date, *left;
} xw;

static void chk(xw *x, lxw_error e)
{
    if (e != LXW_NO_ERROR && x->first == LXW_NO_ERROR)
        x->first = e;
}

/* Text into a cell, always as a string.  Over-long text is cut at a
 * character boundary rather than dropped, so the cell still says something. */
static void put_str(xw *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
                    lxw_format *f)
{
    s = mc_wu_str(s);
    size_t n = strlen(s);
    if (n <= XLSX_STR_MAX) {
        chk(x, worksheet_write_string(ws, r, c, s, f));
        return;
    }
    n = XLSX_STR_MAX;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    char *cut = strndup(s, n);
    if (!cut) {
        chk(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    chk(x, worksheet_write_string(ws, r, c, cut, f));
    free(cut);
}

static void put_num(xw *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, double v,
                    lxw_format *f)
{
    chk(x, worksheet_write_number(ws, r, c, v, f));
}

static void merge(xw *x, lxw_worksheet *ws, lxw_row_t r1, lxw_col_t c1, lxw_row_t r2,
                  lxw_col_t c2, const char *s, lxw_format *f)
{
    chk(x, worksheet_merge_range(ws, r1, c1, r2, c2, s, f));
}

static lxw_format *fmt(xw *x, int border)
{
    lxw_format *f = workbook_add_format(x->wb);
    if (border)
        format_set_border(f, LXW_BORDER_THIN);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    return f;
}

static lxw_format *status_fmt(xw *x, lxw_color_t font, lxw_color_t fill)
{
    lxw_format *f = fmt(x, 1);
    format_set_font_color(f, font);
    format_set_bg_color(f, fill);
    format_set_align(f, LXW_ALIGN_CENTER);
    return f;
}

static void make_formats(xw *x)
{
    x->title = fmt(x, 0);
    format_set_bold(x->title);
    format_set_font_size(x->title, 14);
    format_set_align(x->title, LXW_ALIGN_CENTER);
    x->info = fmt(x, 0);
    format_set_align(x->info, LXW_ALIGN_CENTER);
    x->note = fmt(x, 0);
    format_set_italic(x->note);
    format_set_align(x->note, LXW_ALIGN_RIGHT);
    x->head = fmt(x, 1);
    format_set_bold(x->head);
    format_set_align(x->head, LXW_ALIGN_CENTER);
    format_set_text_wrap(x->head);
    format_set_bg_color(x->head, 0xD9E1F2);
    x->colno = fmt(x, 1);
    format_set_italic(x->colno);
    format_set_align(x->colno, LXW_ALIGN_CENTER);
    x->stt = fmt(x, 1);
    format_set_align(x->stt, LXW_ALIGN_CENTER);
    x->text = fmt(x, 1);
    x->num = fmt(x, 1);
    format_set_num_format(x->num, "#,##0");
    x->num_b = fmt(x, 1);
    format_set_num_format(x->num_b, "#,##0");
    format_set_bold(x->num_b);
    for (int b = 0; b < 2; b++)
        for (int d = 0; d <= MAX_INDENT; d++) {
            x->name[b][d] = fmt(x, 1);
            if (b)
                format_set_bold(x->name[b][d]);
            if (d)
                format_set_indent(x->name[b][d], (uint8_t)d);
        }
    x->pct = fmt(x, 1);
    format_set_num_format(x->pct, "0.00%");
    x->target_pct = fmt(x, 1);
    format_set_num_format(x->target_pct, "0.00%");
    x->gap = fmt(x, 1);
    format_set_num_format(x->gap, "+0.00;-0.00;0.00");
    x->plain_num = fmt(x, 1);
    x->st_met = status_fmt(x, 0x006100, 0xC6EFCE);
    x->st_missed = status_fmt(x, 0x9C0006, 0xFFC7CE);
    x->st_nodata = status_fmt(x, 0x595959, 0xD9D9D9);
    x->q_ok = status_fmt(x, 0x006100, 0xC6EFCE);
    x->q_warn = status_fmt(x, 0x9C5700, 0xFFEB9C);
    x->q_err = status_fmt(x, 0x9C0006, 0xFFC7CE);
    x->date = fmt(x, 1);
    format_set_num_format(x->date, "dd/mm/yyyy");
    format_set_align(x->date, LXW_ALIGN_CENTER);
    x->left = fmt(x, 0);
}

/* Landscape A4, one page wide, headings repeated on every printed page. */
static void print_setup(xw *x, lxw_worksheet *ws, lxw_row_t head_first, lxw_row_t head_last)
{
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9);
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_center_horizontally(ws);
    chk(x, worksheet_repeat_rows(ws, head_first, head_last));
}

static void period_line(const mc_report *rep, char *out, size_t cap)
{
    char s[64], e[64];
    mc_wu_date_vi(rep->period_start, s, sizeof s);
    mc_wu_date_vi(rep->period_end, e, sizeof e);
    snprintf(out, cap, "Kỳ báo cáo %s: từ ngày %s đến ngày %s", rep->period, s, e);
}

static void asof_line(const mc_report *rep, char *out, size_t cap)
{
    char a[64];
    mc_wu_date_vi(rep->as_of, a, sizeof a);
    snprintf(out, cap, "Số liệu tính đến ngày %s", a);
}

/* The form's 11 counts, in its column order (3)..(13). */
static const mc_count form_counts[11] = {
    MC_C_RECEIVED_TOTAL, MC_C_RECEIVED_ONLINE, MC_C_RECEIVED_OFFLINE, MC_C_CARRIED_OVER,
    MC_C_RESOLVED_TOTAL, MC_C_RESOLVED_EARLY, MC_C_RESOLVED_ON_TIME, MC_C_RESOLVED_LATE,
    MC_C_IN_PROGRESS_TOTAL, MC_C_IN_PROGRESS_WITHIN, MC_C_IN_PROGRESS_OVERDUE,
};

#define FORM_HEAD 5   /* first heading row of sheet 1 */
#define FORM_DATA 9   /* first data row of sheet 1 */

/* One row of a sheet in the form's shape, whatever it lists. */
typedef struct form_row {
    const char *key[2];      /* the row's label (or code, then label) */
    int bold, depth, all;
    const int64_t *c;
} form_row;

/* A sheet in the form's shape: STT, n_keys key columns headed heads, the
 * form's 11 counts, and the on-time rate when with_rate. */
static void form_sheet(xw *x, lxw_worksheet *ws, const mc_report *rep, const char *title,
                       const char *const *heads, int n_keys, const form_row *rows, size_t n,
                       int with_rate)
{
    char line[600];
    const lxw_col_t first = (lxw_col_t)(1 + n_keys), last = (lxw_col_t)(first + 10 + with_rate);

    merge(x, ws, 0, 0, 0, last, title, x->title);
    snprintf(line, sizeof line, "Đơn vị báo cáo: %s",
             rep->reporting_unit[0] ? rep->reporting_unit : "Tất cả đơn vị");
    merge(x, ws, 1, 0, 1, last, line, x->info);
    period_line(rep, line, sizeof line);
    merge(x, ws, 2, 0, 2, last, line, x->info);
    asof_line(rep, line, sizeof line);
    merge(x, ws, 3, 0, 3, last, line, x->info);
    merge(x, ws, 4, 0, 4, last, "Đơn vị tính: Số hồ sơ", x->note);

    const lxw_row_t h = FORM_HEAD;
    merge(x, ws, h, 0, h + 2, 0, "STT", x->head);
    for (int i = 0; i < n_keys; i++)
        merge(x, ws, h, (lxw_col_t)(1 + i), h + 2, (lxw_col_t)(1 + i), heads[i], x->head);
    merge(x, ws, h, first, h, first + 3, "Số hồ sơ nhận giải quyết", x->head);
    merge(x, ws, h, first + 4, h, first + 10, "Kết quả giải quyết", x->head);
    merge(x, ws, h + 1, first, h + 2, first, "Tổng số", x->head);
    merge(x, ws, h + 1, first + 1, h + 1, first + 3, "Trong đó", x->head);
    merge(x, ws, h + 1, first + 4, h + 1, first + 7, "Số hồ sơ đã giải quyết", x->head);
    merge(x, ws, h + 1, first + 8, h + 1, first + 10, "Số hồ sơ đang giải quyết", x->head);
    if (with_rate)
        merge(x, ws, h, last, h + 2, last, mc_rate_label_vi(MC_R_ON_TIME), x->head);
    static const char *const sub[] = {
        "Số mới tiếp nhận trực tuyến", "Số mới tiếp nhận trực tiếp và qua dịch vụ bưu chính",
        "Số từ kỳ trước chuyển qua", "Tổng số", "Trả trước hạn", "Trả đúng thời hạn",
        "Trả quá hạn", "Tổng số", "Trong hạn", "Quá hạn",
    };
    for (int i = 0; i < 10; i++)
        put_str(x, ws, h + 2, (lxw_col_t)(first + 1 + i), sub[i], x->head);
    for (int i = 0; i <= last; i++) {
        snprintf(line, sizeof line, "(%d)", i + 1);
        put_str(x, ws, h + 3, (lxw_col_t)i, line, x->colno);
    }
    chk(x, worksheet_set_row(ws, h + 2, 62, NULL));

    lxw_row_t r = FORM_DATA;
    int stt = 0;
    for (size_t i = 0; i < n; i++, r++) {
        const form_row *row = &rows[i];
        int depth = row->depth < 0 ? 0 : row->depth > MAX_INDENT ? MAX_INDENT : row->depth;
        if (row->all)
            put_str(x, ws, r, 0, "", x->stt);
        else
            put_num(x, ws, r, 0, ++stt, x->stt);
        for (int k = 0; k < n_keys; k++)
            put_str(x, ws, r, (lxw_col_t)(1 + k), row->key[k],
                    k == n_keys - 1 ? x->name[row->bold][depth] : x->name[row->bold][0]);
        for (int k = 0; k < 11; k++)
            put_num(x, ws, r, (lxw_col_t)(first + k), (double)row->c[form_counts[k]],
                    row->bold ? x->num_b : x->num);
        double v;
        if (with_rate && mc_rate_value(row->c, MC_R_ON_TIME, &v))
            put_num(x, ws, r, last, v / 100.0, x->pct);
        else if (with_rate)
            put_str(x, ws, r, last, "", x->pct);
    }

    chk(x, worksheet_set_column(ws, 0, 0, 6, NULL));
    if (n_keys == 2)
        chk(x, worksheet_set_column(ws, 1, 1, 12, NULL));
    chk(x, worksheet_set_column(ws, (lxw_col_t)n_keys, (lxw_col_t)n_keys, 42, NULL));
    chk(x, worksheet_set_column(ws, first, last, 13, NULL));
    worksheet_freeze_panes(ws, FORM_DATA, first);
    print_setup(x, ws, FORM_HEAD, FORM_DATA - 1);
}

/* The form by unit: the registry's hierarchy indented, parents in bold. */
static void sheet_form(xw *x, lxw_worksheet *ws, const mc_report *rep, form_row *rows)
{
    static const char *const heads[] = {"Đơn vị"};
    for (size_t i = 0; i < rep->n_rows; i++) {
        const mc_unit_row *row = &rep->rows[i];
        rows[i] = (form_row){.key = {mc_wu_row_label(row)}, .bold = row->kind != MC_ROW_UNIT,
                             .depth = row->kind == MC_ROW_ALL ? 0 : row->depth,
                             .all = row->kind == MC_ROW_ALL, .c = row->c};
    }
    form_sheet(x, ws, rep, "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", heads, 1, rows,
               rep->n_rows, 0);
}

/* The form as TT 01/2020 lays it out, its rows by field (SPEC 11). */
static void sheet_fields(xw *x, lxw_worksheet *ws, const mc_report *rep, form_row *rows)
{
    static const char *const heads[] = {"Lĩnh vực"};
    for (size_t i = 0; i < rep->n_fields; i++) {
        const mc_group_row *row = &rep->fields[i];
        int all = row->kind == MC_ROW_ALL;
        rows[i] = (form_row){.key = {mc_wu_group_label(row, 0)}, .bold = all, .all = all,
                             .c = row->c};
    }
    form_sheet(x, ws, rep, "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", heads, 1, rows,
               rep->n_fields, 0);
}

/* The same counts by procedure, with the on-time rate: which procedures
 * run late. */
static void sheet_procedures(xw *x, lxw_worksheet *ws, const mc_report *rep, form_row *rows)
{
    static const char *const heads[] = {"Mã thủ tục", "Tên thủ tục hành chính"};
    for (size_t i = 0; i < rep->n_procedures; i++) {
        const mc_group_row *row = &rep->procedures[i];
        int all = row->kind == MC_ROW_ALL;
        rows[i] = (form_row){.key = {all ? "" : row->code, mc_wu_group_label(row, 1)},
                             .bold = all, .all = all, .c = row->c};
    }
    form_sheet(x, ws, rep, "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH THEO THỦ TỤC",
               heads, 2, rows, rep->n_procedures, 1);
}

static lxw_format *status_format(xw *x, const char *status)
{
    const char *s = mc_wu_str(status);
    if (strcmp(s, "met") == 0)
        return x->st_met;
    if (strcmp(s, "missed") == 0)
        return x->st_missed;
    return x->st_nodata;
}

static void sheet_targets(xw *x, lxw_worksheet *ws, const mc_report *rep)
{
    static const char *const head[] = {
        "Mã đơn vị", "Tên đơn vị", "Chỉ tiêu", "Thực tế", "So sánh", "Mục tiêu",
        "Đánh giá", "Chênh lệch (điểm %)", "Nguồn",
    };
    static const double widths[] = { 12, 36, 44, 11, 9, 11, 16, 12, 40 };
    char line[600];
    const lxw_row_t h = 3;

    merge(x, ws, 0, 0, 0, 8, "KẾT QUẢ THỰC HIỆN CHỈ TIÊU KẾ HOẠCH", x->title);
    period_line(rep, line, sizeof line);
    merge(x, ws, 1, 0, 1, 8, line, x->info);
    asof_line(rep, line, sizeof line);
    merge(x, ws, 2, 0, 2, 8, line, x->info);
    for (int i = 0; i < 9; i++) {
        put_str(x, ws, h, (lxw_col_t)i, head[i], x->head);
        chk(x, worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, widths[i], NULL));
    }

    lxw_row_t r = h + 1;
    for (size_t i = 0; i < rep->n_rows; i++) {
        const mc_unit_row *row = &rep->rows[i];
        for (int k = 0; k < MC_R_COUNT; k++, r++) {
            const char *ind = mc_rate_name((mc_rate)k);
            const mc_target_row *t = mc_wu_target(rep, row->unit_code, ind);
            double v;
            put_str(x, ws, r, 0, row->unit_code, x->text);
            put_str(x, ws, r, 1, mc_wu_row_label(row), x->text);
            put_str(x, ws, r, 2, mc_rate_label_vi((mc_rate)k), x->text);
            if (mc_rate_value(row->c, (mc_rate)k, &v))
                put_num(x, ws, r, 3, v / 100.0, x->pct);
            else
                put_str(x, ws, r, 3, "", x->pct);
            if (t) {
                put_str(x, ws, r, 4, mc_wu_op_vi(t->op), x->stt);
                put_num(x, ws, r, 5, t->target / 100.0, x->target_pct);
                put_str(x, ws, r, 6, mc_wu_status_vi(t->status), status_format(x, t->status));
                if (t->has_gap)
                    put_num(x, ws, r, 7, t->gap, x->gap);
                else
                    put_str(x, ws, r, 7, "", x->gap);
                put_str(x, ws, r, 8, t->source, x->text);
            } else {
                for (lxw_col_t c = 4; c <= 8; c++)
                    put_str(x, ws, r, c, "", x->text);
            }
        }
    }
    if (r > h + 1)
        chk(x, worksheet_autofilter(ws, h, 0, r - 1, 8));
    worksheet_freeze_panes(ws, h + 1, 2);
    print_setup(x, ws, h, h);
}

static void sheet_quality(xw *x, lxw_worksheet *ws, const mc_report *rep)
{
    static const char *const head[] = { "Kiểm tra", "Giá trị", "Trạng thái", "Chi tiết" };
    static const double widths[] = { 34, 14, 14, 80 };
    char line[600];
    const lxw_row_t h = 2;

    merge(x, ws, 0, 0, 0, 3, "CHẤT LƯỢNG DỮ LIỆU", x->title);
    period_line(rep, line, sizeof line);
    merge(x, ws, 1, 0, 1, 3, line, x->info);
    for (int i = 0; i < 4; i++) {
        put_str(x, ws, h, (lxw_col_t)i, head[i], x->head);
        chk(x, worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, widths[i], NULL));
    }
    for (size_t i = 0; i < rep->n_quality; i++) {
        const mc_quality_row *q = &rep->quality[i];
        lxw_row_t r = h + 1 + (lxw_row_t)i;
        const char *st = mc_wu_str(q->status);
        lxw_format *sf = strcmp(st, "ok") == 0        ? x->q_ok
                         : strcmp(st, "warning") == 0 ? x->q_warn
                         : strcmp(st, "error") == 0   ? x->q_err
                                                      : x->text;
        put_str(x, ws, r, 0, q->name, x->text);
        if (mc_wu_is_number(q->value))
            put_num(x, ws, r, 1, strtod(q->value, NULL), x->plain_num);
        else
            put_str(x, ws, r, 1, q->value, x->text);
        put_str(x, ws, r, 2, mc_wu_quality_status_vi(st), sf);
        put_str(x, ws, r, 3, q->detail, x->text);
    }
    worksheet_freeze_panes(ws, h + 1, 0);
    print_setup(x, ws, h, h);
}

/* ---- the cases behind the numbers (SPEC 12) -------------------------------- */

#define CASES_HEAD 5  /* heading row of a list of cases */
#define CASES_COLS 16

/* The workbook of a report lists at most this many late cases (the worst):
 * a whole sheet lives in memory until the workbook is closed, and a large
 * store can have a hundred thousand; late.csv has them all. */
#define XLSX_LATE_MAX 5000

typedef struct {
    xw *x;
    lxw_worksheet *ws;
    lxw_row_t r;          /* next row */
    int64_t listed;       /* rows written */
} case_sheet;

/* A "YYYY-MM-DD" date as an Excel date, or an empty cell. */
static void put_date(xw *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *iso)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *end = iso[0] ? strptime(iso, "%Y-%m-%d", &tm) : NULL;
    if (!end || *end) {
        put_str(x, ws, r, c, iso, x->date);
        return;
    }
    lxw_datetime dt = {.year = tm.tm_year + 1900, .month = tm.tm_mon + 1, .day = tm.tm_mday};
    chk(x, worksheet_write_datetime(ws, r, c, &dt, x->date));
}

static int case_row_xlsx(void *ctx, const mc_case_row *row, mc_error *err)
{
    case_sheet *cs = ctx;
    xw *x = cs->x;
    lxw_worksheet *ws = cs->ws;
    lxw_row_t r = cs->r++;
    put_num(x, ws, r, 0, (double)++cs->listed, x->stt);
    put_str(x, ws, r, 1, row->unit_code, x->text);
    put_str(x, ws, r, 2, row->unit_name, x->text);
    put_str(x, ws, r, 3, row->case_id, x->text);
    put_str(x, ws, r, 4, row->procedure_code, x->text);
    put_str(x, ws, r, 5, row->procedure_name, x->text);
    put_str(x, ws, r, 6, row->field_name, x->text);
    put_str(x, ws, r, 7, mc_channel_label_vi(row->channel), x->text);
    put_str(x, ws, r, 8, mc_status_label_vi(row->status), x->text);
    put_date(x, ws, r, 9, row->received_at);
    put_date(x, ws, r, 10, row->due_at);
    put_date(x, ws, r, 11, row->end_at);
    put_str(x, ws, r, 12, mc_bucket_label_vi(row->bucket), x->text);
    put_str(x, ws, r, 13, row->carried_over ? "Có" : "Không", x->stt);
    if (row->has_days_late)
        put_num(x, ws, r, 14, (double)row->days_late, x->num);
    else
        put_str(x, ws, r, 14, "", x->num);
    put_str(x, ws, r, 15, row->apology ? "Có" : "Không", x->stt);
    if (x->first != LXW_NO_ERROR)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "cannot fill the list of cases: %s",
                            lxw_strerror(x->first));
    return 0;
}

/* The list of selection only of c on ws in order, at most max cases (0:
 * as many as a sheet holds), its rows written in order (so that it suits
 * a constant-memory workbook too). */
static int sheet_cases(xw *x, lxw_worksheet *ws, mc_cases *c, int only, mc_case_order order,
                       int64_t max, mc_error *err)
{
    static const char *const head[CASES_COLS] = {
        "STT", "Mã đơn vị", "Tên đơn vị", "Mã hồ sơ", "Mã TTHC", "Tên TTHC", "Lĩnh vực",
        "Kênh nộp", "Trạng thái", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày kết thúc",
        "Phân loại", "Từ kỳ trước chuyển qua", "Số ngày trễ hạn", "Có văn bản xin lỗi",
    };
    static const double widths[CASES_COLS] = {6, 16, 36, 28, 12, 36, 24, 16, 22, 12, 12, 12,
                                              26, 10, 10, 10};
    const mc_cases_info *info = mc_cases_get_info(c);
    char line[700], s[64], e[64], a[64];
    const lxw_col_t last = CASES_COLS - 1;

    merge(x, ws, 0, 0, 0, last, only == MC_C_LATE_TOTAL ? "DANH SÁCH HỒ SƠ TRỄ HẠN"
                                                      : "DANH SÁCH HỒ SƠ", x->title);
    snprintf(line, sizeof line, "%s%s", mc_cases_only_label_vi(only),
             order == MC_ORDER_WORST ? ", xếp theo số ngày trễ hạn, nhiều nhất trước" : "");
    merge(x, ws, 1, 0, 1, last, line, x->info);
    snprintf(line, sizeof line, "Đơn vị báo cáo: %s",
             info->unit_name ? (info->unit_name[0] ? info->unit_name : info->unit_code)
                             : "Tất cả đơn vị");
    merge(x, ws, 2, 0, 2, last, line, x->info);
    mc_wu_date_vi(info->period_start, s, sizeof s);
    mc_wu_date_vi(info->period_end, e, sizeof e);
    mc_wu_date_vi(info->as_of, a, sizeof a);
    snprintf(line, sizeof line, "Kỳ báo cáo %s: từ ngày %s đến ngày %s; số liệu tính đến ngày %s",
             info->period, s, e, a);
    merge(x, ws, 3, 0, 3, last, line, x->info);
    chk(x, worksheet_set_row(ws, CASES_HEAD, 32, NULL));
    for (int i = 0; i < CASES_COLS; i++) {
        put_str(x, ws, CASES_HEAD, (lxw_col_t)i, head[i], x->head);
        chk(x, worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, widths[i], NULL));
    }

    /* a sheet's last row is kept for the note */
    int64_t room = (int64_t)LXW_ROW_MAX - 1 - (CASES_HEAD + 1);
    if (max <= 0 || max > room)
        max = room;
    case_sheet cs = {x, ws, CASES_HEAD + 1, 0};
    int64_t all = 0;
    int st = mc_cases_each_first(c, only, order, max, case_row_xlsx, &cs, err);
    if (!st && cs.listed == max)
        st = mc_cases_count(c, only, &all, err);
    if (st)
        return st;
    /* before the note: a constant-memory sheet takes no range that ends
     * above the row it is on */
    if (cs.listed)
        chk(x, worksheet_autofilter(ws, CASES_HEAD, 0, CASES_HEAD + (lxw_row_t)cs.listed, last));
    if (all > cs.listed) {
        snprintf(line, sizeof line, "Bảng này liệt kê %lld hồ sơ đầu tiên; còn %lld hồ sơ nữa: "
                 "danh sách đầy đủ trong tệp CSV (late.csv, hoặc motcua report --table cases "
                 "--format csv).", (long long)cs.listed, (long long)(all - cs.listed));
        put_str(x, ws, cs.r++, 0, line, x->left);
    } else if (cs.listed == 0) {
        put_str(x, ws, cs.r++, 0, "Không có hồ sơ nào.", x->left);
    }
    worksheet_freeze_panes(ws, CASES_HEAD + 1, 4);
    print_setup(x, ws, CASES_HEAD, CASES_HEAD);
    return 0;
}

/* ---- the 12-month trend (SPEC 13) -------------------------------------- */

#define TREND_SHEET "Xu hướng 12 tháng"
#define CHART_SHEET "Biểu đồ xu hướng"

static void convention_line(const mc_report *rep, char *out, size_t cap)
{
    snprintf(out, cap, "%s; mỗi tháng là một kỳ, số liệu tính đến ngày cuối tháng hoặc ngày "
             "tính số liệu của kỳ %s, nếu sớm hơn",
             strcmp(mc_wu_str(rep->convention), "cutoff") == 0
                 ? "Tháng theo kỳ chốt số liệu (từ ngày 15 tháng trước đến ngày 14)"
                 : "Tháng dương lịch",
             rep->period);
}

/* The trend's months, one row per month and unit, in the order and with
 * the columns of SPEC 13's CSV contract, under Vietnamese headings. */
static void sheet_trend(xw *x, lxw_worksheet *ws, const mc_report *rep)
{
    static const char *const fixed[] = {
        "Tháng", "Từ ngày", "Đến ngày", "Tính đến ngày", "Mã đơn vị", "Tên đơn vị",
    };
    static const double widths[] = { 9, 11, 11, 11, 15, 40 };
    const lxw_col_t ncols = 6 + MC_C_CONTRACT_COUNT + MC_R_COUNT;
    char line[600];
    const lxw_row_t h = 4;

    merge(x, ws, 0, 0, 0, 12, "XU HƯỚNG 12 THÁNG", x->title);
    period_line(rep, line, sizeof line);
    merge(x, ws, 1, 0, 1, 12, line, x->info);
    convention_line(rep, line, sizeof line);
    merge(x, ws, 2, 0, 2, 12, line, x->info);
    for (lxw_col_t c = 0; c < 6; c++) {
        put_str(x, ws, h, c, fixed[c], x->head);
        chk(x, worksheet_set_column(ws, c, c, widths[c], NULL));
    }
    for (int c = 0; c < MC_C_CONTRACT_COUNT; c++)
        put_str(x, ws, h, (lxw_col_t)(6 + c), mc_count_label_vi((mc_count)c), x->head);
    for (int r = 0; r < MC_R_COUNT; r++) {
        snprintf(line, sizeof line, "%s (%%)", mc_rate_label_vi((mc_rate)r));
        put_str(x, ws, h, (lxw_col_t)(6 + MC_C_CONTRACT_COUNT + r), line, x->head);
    }
    chk(x, worksheet_set_column(ws, 6, ncols - 1, 12, NULL));
    chk(x, worksheet_set_row(ws, h, 75, NULL));

    lxw_row_t r = h + 1;
    for (size_t m = 0; m < rep->n_trend; m++) {
        const mc_report *mo = &rep->trend[m];
        char s[64], e[64], a[64];
        mc_wu_date_vi(mo->period_start, s, sizeof s);
        mc_wu_date_vi(mo->period_end, e, sizeof e);
        mc_wu_date_vi(mo->as_of, a, sizeof a);
        for (size_t i = 0; i < mo->n_rows; i++, r++) {
            const mc_unit_row *row = &mo->rows[i];
            int bold = row->kind != MC_ROW_UNIT;
            put_str(x, ws, r, 0, mo->period, x->stt);
            put_str(x, ws, r, 1, s, x->stt);
            put_str(x, ws, r, 2, e, x->stt);
            put_str(x, ws, r, 3, a, x->stt);
            put_str(x, ws, r, 4, row->unit_code, x->text);
            put_str(x, ws, r, 5, mc_wu_row_label(row), x->name[bold][0]);
            for (int c = 0; c < MC_C_CONTRACT_COUNT; c++)
                put_num(x, ws, r, (lxw_col_t)(6 + c), (double)row->c[c], bold ? x->num_b : x->num);
            for (int k = 0; k < MC_R_COUNT; k++) {
                double v;
                lxw_col_t c = (lxw_col_t)(6 + MC_C_CONTRACT_COUNT + k);
                if (mc_rate_value(row->c, (mc_rate)k, &v))
                    put_num(x, ws, r, c, v / 100.0, x->pct);
                else
                    put_str(x, ws, r, c, "", x->pct);
            }
        }
    }
    if (r > h + 1)
        chk(x, worksheet_autofilter(ws, h, 0, r - 1, ncols - 1));
    worksheet_freeze_panes(ws, h + 1, 6);
    print_setup(x, ws, h, h);
}

/* Rows of one unit's block on the chart sheet: its name, the headings,
 * the 12 months, and room for the chart beside them. */
#define BLOCK_ROWS 17
#define BLOCK_FIRST 3

static const lxw_color_t trend_colors[MC_WU_TREND_RATES] = { 0x1F4E8C, 0xD06000, 0x2E7D32 };
static const char *const trend_short[MC_WU_TREND_RATES] = {
    "Đúng hạn", "Trễ hạn có xin lỗi", "Trực tuyến",
};

/* Per charted unit (write_util: ALL and at most 12 top-level units) the
 * three headline rates and their plan targets month by month, and a native
 * line chart of them: solid lines for the rates, dashed ones of the same
 * colour for the targets.  A null rate is a gap; a month after the as-of
 * date has no point. */
static void sheet_charts(xw *x, lxw_worksheet *ws, const mc_report *rep)
{
    const char *codes[MC_WU_TREND_UNITS];
    size_t left;
    size_t n = mc_wu_trend_units(rep, codes, MC_WU_TREND_UNITS, &left);
    char line[600];

    merge(x, ws, 0, 0, 0, 14, "BIỂU ĐỒ XU HƯỚNG 12 THÁNG: CÁC TỶ LỆ CHÍNH SO VỚI MỤC TIÊU",
          x->title);
    convention_line(rep, line, sizeof line);
    if (left)
        snprintf(line + strlen(line), sizeof line - strlen(line),
                 ". Biểu đồ cho Tổng cộng và %zu đơn vị cấp cao nhất có nhiều hồ sơ nhất; %zu "
                 "đơn vị khác xem ở trang \"" TREND_SHEET "\"", n - 1, left);
    merge(x, ws, 1, 0, 1, 14, line, x->info);
    chk(x, worksheet_set_column(ws, 0, 0, 10, NULL));
    chk(x, worksheet_set_column(ws, 1, 6, 11, NULL));

    for (size_t i = 0; i < n; i++) {
        const lxw_row_t b = BLOCK_FIRST + (lxw_row_t)(i * BLOCK_ROWS);
        const mc_unit_row *latest = NULL;
        for (size_t m = rep->n_trend; !latest && m > 0; m--)
            latest = mc_wu_row(&rep->trend[m - 1], codes[i]);
        char title[600];
        if (strcmp(codes[i], "ALL") == 0)
            snprintf(title, sizeof title, "Tổng cộng");
        else if (!latest || strcmp(mc_wu_row_label(latest), codes[i]) == 0)
            snprintf(title, sizeof title, "%.500s", codes[i]); /* a name the registry lacks */
        else
            snprintf(title, sizeof title, "%.500s (%.60s)",
                     latest ? mc_wu_row_label(latest) : codes[i], codes[i]);
        merge(x, ws, b, 0, b, 6, title, x->name[1][0]);
        put_str(x, ws, b + 1, 0, "Tháng", x->head);
        for (int k = 0; k < MC_WU_TREND_RATES; k++) {
            snprintf(line, sizeof line, "%s", trend_short[k]);
            put_str(x, ws, b + 1, (lxw_col_t)(1 + 2 * k), line, x->head);
            snprintf(line, sizeof line, "Mục tiêu %s", trend_short[k]);
            put_str(x, ws, b + 1, (lxw_col_t)(2 + 2 * k), line, x->head);
        }
        for (size_t m = 0; m < rep->n_trend && m < MC_TREND_MONTHS; m++) {
            const mc_report *mo = &rep->trend[m];
            const lxw_row_t r = b + 2 + (lxw_row_t)m;
            const mc_unit_row *row = mc_wu_row(mo, codes[i]);
            int unstarted = mc_wu_month_unstarted(mo);
            /* "07/2025": a text, so that Excel does not take it for a date */
            snprintf(line, sizeof line, "%.2s/%.4s", mo->period + 5, mo->period);
            put_str(x, ws, r, 0, strlen(mo->period) == 7 ? line : mo->period, x->stt);
            for (int k = 0; k < MC_WU_TREND_RATES; k++) {
                mc_rate rt = mc_wu_trend_rates[k];
                double v;
                const mc_target_row *t = mc_wu_target(mo, codes[i], mc_rate_name(rt));
                if (row && !unstarted && mc_rate_value(row->c, rt, &v))
                    put_num(x, ws, r, (lxw_col_t)(1 + 2 * k), v / 100.0, x->pct);
                else
                    put_str(x, ws, r, (lxw_col_t)(1 + 2 * k), "", x->pct);
                if (t && !unstarted)
                    put_num(x, ws, r, (lxw_col_t)(2 + 2 * k), t->target / 100.0, x->target_pct);
                else
                    put_str(x, ws, r, (lxw_col_t)(2 + 2 * k), "", x->target_pct);
            }
        }

        lxw_chart *ch = workbook_add_chart(x->wb, LXW_CHART_LINE);
        if (!ch) {
            chk(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
            return;
        }
        chart_title_set_name(ch, title);
        chart_title_set_name_font(ch, &(lxw_chart_font){.size = 12, .bold = LXW_TRUE});
        const lxw_row_t first = b + 2, last = b + 1 + (lxw_row_t)rep->n_trend;
        for (int k = 0; k < MC_WU_TREND_RATES; k++)
            for (int tgt = 0; tgt < 2; tgt++) {
                lxw_col_t c = (lxw_col_t)(1 + 2 * k + tgt);
                lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
                if (!se) {
                    chk(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
                    return;
                }
                chart_series_set_categories(se, CHART_SHEET, first, 0, last, 0);
                chart_series_set_values(se, CHART_SHEET, first, c, last, c);
                chart_series_set_name_range(se, CHART_SHEET, b + 1, c);
                lxw_chart_line ln = {.color = trend_colors[k], .width = tgt ? 1.5f : 2.25f,
                                     .dash_type = tgt ? LXW_CHART_LINE_DASH_DASH : 0};
                chart_series_set_line(se, &ln);
                if (tgt) {
                    chart_series_set_marker_type(se, LXW_CHART_MARKER_NONE);
                } else {
                    lxw_chart_fill fill = {.color = trend_colors[k]};
                    chart_series_set_marker_type(se, LXW_CHART_MARKER_CIRCLE);
                    chart_series_set_marker_size(se, 5);
                    chart_series_set_marker_fill(se, &fill);
                    chart_series_set_marker_line(se, &(lxw_chart_line){.color = trend_colors[k]});
                }
            }
        chart_axis_set_min(ch->y_axis, 0);
        chart_axis_set_max(ch->y_axis, 1);
        chart_axis_set_num_format(ch->y_axis, "0%");
        chart_show_blanks_as(ch, LXW_CHART_BLANKS_AS_GAP);
        chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
        lxw_chart_options opt = {.x_offset = 10, .x_scale = 1.6, .y_scale = 1.15};
        chk(x, worksheet_insert_chart_opt(ws, b, 8, ch, &opt));
    }
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9);
    worksheet_fit_to_pages(ws, 1, 0);
}

/* Midnight UTC of a "YYYY-MM-DD" date, or 0 (libxlsxwriter: "now"). */
static time_t day_time(const char *iso)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *end = strptime(mc_wu_str(iso), "%Y-%m-%d", &tm);
    if (!end || *end)
        return 0;
    return timegm(&tm);
}

/* SPEC 14's paragraph, a line per row, for pasting into the monthly
 * report (the same text as `report --format summary`). */
static void sheet_summary(xw *x, lxw_worksheet *ws, const mc_report *rep)
{
    char *text;
    mc_error err;
    if (mc_summary_build(rep, rep->scope_unit[0] ? rep->scope_unit : NULL, &text, &err) != 0) {
        chk(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    chk(x, worksheet_set_column(ws, 0, 0, 160, NULL));
    put_str(x, ws, 0, 0, "TÓM TẮT TÌNH HÌNH GIẢI QUYẾT HỒ SƠ", x->title);
    lxw_row_t r = 2;
    for (char *line = text, *nl; *line; line = nl + 1, r++) {
        nl = strchr(line, '\n');
        *nl = '\0';
        put_str(x, ws, r, 0, line, x->text);
    }
    free(text);
}

/* Open a workbook at path into x (constant_memory: rows go out as they
 * are written, for a long list), its properties from title and the as-of
 * date (so that the same data gives the same file). */
static int open_book(xw *x, const char *path, int constant_memory, const char *title,
                     const char *as_of, mc_error *err)
{
    /* libxlsxwriter prints its own message when it cannot create the file;
     * finding out first keeps motcua's one-line error the only one */
    FILE *probe = fopen(path, "wb");
    if (!probe)
        return mc_error_set(err, MC_EXIT_IO, "%s: cannot create the workbook: %s", path,
                            strerror(errno));
    fclose(probe);

    memset(x, 0, sizeof *x);
    lxw_workbook_options opts = {.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE};
    x->wb = workbook_new_opt(path, &opts);
    if (!x->wb) {
        remove(path);
        return mc_error_set(err, MC_EXIT_SOFTWARE, "%s: out of memory", path);
    }
    lxw_doc_properties props = {
        .title = (char *)title,
        .subject = "Báo cáo theo Thông tư 01/2020/TT-VPCP",
        .comments = "motcua",
        .created = day_time(as_of),
    };
    chk(x, workbook_set_properties(x->wb, &props));
    make_formats(x);
    return 0;
}

/* Close the workbook of x; a workbook that could not be filled (status st,
 * or a worksheet call that failed) is removed: a partial or empty one must
 * not look like a report. */
static int close_book(xw *x, const char *path, int st, mc_error *err)
{
    lxw_error e = workbook_close(x->wb);
    if (st || x->first != LXW_NO_ERROR || e != LXW_NO_ERROR)
        remove(path);
    if (st)
        return st;
    if (x->first != LXW_NO_ERROR)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "%s: cannot fill the workbook: %s", path,
                            lxw_strerror(x->first));
    if (e != LXW_NO_ERROR)
        return mc_error_set(err, MC_EXIT_IO, "%s: cannot write the workbook: %s", path,
                            lxw_strerror(e));
    return 0;
}

int mc_write_xlsx(const char *path, const mc_report *rep, mc_error *err)
{
    if (!path || !rep)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "xlsx writer: no path or no report");

    xw x;
    char title[256];
    snprintf(title, sizeof title, "Tình hình, kết quả giải quyết TTHC, kỳ %s", rep->period);
    int st = open_book(&x, path, 0, title, rep->as_of, err);
    if (st)
        return st;

    int by_field = mc_wu_has_table(rep, MC_TABLE_FIELDS);
    int by_proc = mc_wu_has_table(rep, MC_TABLE_PROCEDURES);
    lxw_worksheet *s1 = workbook_add_worksheet(x.wb, "Biểu TTHC");
    lxw_worksheet *s2 = workbook_add_worksheet(x.wb, "Chỉ tiêu");
    lxw_worksheet *s3 = workbook_add_worksheet(x.wb, "Chất lượng dữ liệu");
    lxw_worksheet *s4 = workbook_add_worksheet(x.wb, "Tóm tắt");
    size_t most = rep->n_rows;
    if (by_field && rep->n_fields > most)
        most = rep->n_fields;
    if (by_proc && rep->n_procedures > most)
        most = rep->n_procedures;
    form_row *rows = calloc(most ? most : 1, sizeof *rows);
    if (!s1 || !s2 || !s3 || !s4 || !rows) {
        free(rows);
        workbook_close(x.wb);
        remove(path);
        return mc_error_set(err, MC_EXIT_SOFTWARE, "%s: cannot add the worksheets", path);
    }
    sheet_form(&x, s1, rep, rows);
    sheet_targets(&x, s2, rep);
    sheet_quality(&x, s3, rep);
    sheet_summary(&x, s4, rep);
    if (rep->trend && rep->n_trend) {
        lxw_worksheet *t5 = workbook_add_worksheet(x.wb, TREND_SHEET);
        lxw_worksheet *t6 = workbook_add_worksheet(x.wb, CHART_SHEET);
        if (!t5 || !t6) {
            free(rows);
            workbook_close(x.wb);
            remove(path);
            return mc_error_set(err, MC_EXIT_SOFTWARE, "%s: cannot add the worksheets", path);
        }
        sheet_trend(&x, t5, rep);
        sheet_charts(&x, t6, rep);
    }
    /* the breakdowns last, after the trend's sheets: added here, in the
     * order they are shown */
    lxw_worksheet *s5 = by_field ? workbook_add_worksheet(x.wb, "Theo lĩnh vực") : NULL;
    lxw_worksheet *s6 = by_proc ? workbook_add_worksheet(x.wb, "Theo thủ tục") : NULL;
    if ((by_field && !s5) || (by_proc && !s6)) {
        free(rows);
        workbook_close(x.wb);
        remove(path);
        return mc_error_set(err, MC_EXIT_SOFTWARE, "%s: cannot add the worksheets", path);
    }
    if (s5)
        sheet_fields(&x, s5, rep, rows);
    if (s6)
        sheet_procedures(&x, s6, rep, rows);
    free(rows);

    if (rep->cases) {
        lxw_worksheet *late = workbook_add_worksheet(x.wb, "Hồ sơ trễ hạn");
        st = late ? sheet_cases(&x, late, rep->cases, MC_C_LATE_TOTAL, MC_ORDER_WORST,
                                XLSX_LATE_MAX, err)
                  : mc_error_set(err, MC_EXIT_SOFTWARE, "%s: cannot add the worksheets", path);
    }
    return close_book(&x, path, st, err);
}

int mc_write_cases_xlsx(const char *path, mc_cases *c, int only, mc_error *err)
{
    if (!path || !c)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "xlsx writer: no path or no list");
    const mc_cases_info *info = mc_cases_get_info(c);
    xw x;
    char title[256];
    snprintf(title, sizeof title, "Danh sách hồ sơ, kỳ %s", info->period);
    int st = open_book(&x, path, 1, title, info->as_of, err);
    if (st)
        return st;
    lxw_worksheet *ws = workbook_add_worksheet(
        x.wb, only == MC_C_LATE_TOTAL ? "Hồ sơ trễ hạn" : "Danh sách hồ sơ");
    if (!ws) {
        workbook_close(x.wb);
        remove(path);
        return mc_error_set(err, MC_EXIT_SOFTWARE, "%s: cannot add the worksheet", path);
    }
    st = sheet_cases(&x, ws, c, only, MC_ORDER_UNIT, 0, err);
    return close_book(&x, path, st, err);
}
