/*
 * write_csv.c -- the report tables as CSV: the machine contract of SPEC 7,
 * and the Excel-friendly variant for people.
 *
 * The machine form is compared byte for byte by scripts and tests, so it has
 * no BOM, LF line ends, the contract's column names, and quotes a field only
 * when RFC 4180 requires it.  The people form is for double-clicking in
 * Excel: a BOM so Excel reads UTF-8, CRLF, Vietnamese headings, dd/mm/yyyy
 * dates, and an apostrophe before text that Excel would run as a formula.
 * Numbers keep a '.' decimal point in both, so the figures stay exact.
 */
#include "reports/write_util.h"
#include "reports/cases.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

typedef struct {
    FILE *out;
    int people;
    int col;     /* cells written on the current line */
} csv_w;

static void put_sep(csv_w *w)
{
    if (w->col++ > 0)
        fputc(',', w->out);
}

/* A text cell; guarded against formulas in the people form. */
static void cell_text(csv_w *w, const char *s)
{
    s = mc_wu_str(s);
    put_sep(w);
    int quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        fputc('"', w->out);
    if (w->people && mc_wu_formula_risk(s))
        fputc('\'', w->out);
    /* runs between quotes at once: a list of cases is millions of cells */
    for (const char *p = s;;) {
        const char *q = strchr(p, '"');
        if (!q) {
            fputs(p, w->out);
            break;
        }
        fwrite(p, 1, (size_t)(q - p) + 1, w->out);
        fputc('"', w->out); /* the quote doubled */
        p = q + 1;
    }
    if (quote)
        fputc('"', w->out);
}

/* A cell motcua formatted itself (a number): never quoted or guarded. */
static void cell_raw(csv_w *w, const char *s)
{
    put_sep(w);
    fputs(s, w->out);
}

static void cell_int(csv_w *w, int64_t v)
{
    char b[32];
    snprintf(b, sizeof b, "%" PRId64, v);
    cell_raw(w, b);
}

/* Two decimals (mc_wu_fmt2), or an empty cell for a null value. */
static void cell_opt2(csv_w *w, int has, double v)
{
    char b[64] = "";
    if (has)
        mc_wu_fmt2(v, 0, b, sizeof b);
    cell_raw(w, b);
}

static void cell_date(csv_w *w, const char *iso)
{
    char b[64];
    if (w->people) {
        mc_wu_date_vi(iso, b, sizeof b);
        cell_text(w, b);
    } else {
        cell_text(w, iso);
    }
}

static void end_row(csv_w *w)
{
    fputs(w->people ? "\r\n" : "\n", w->out);
    w->col = 0;
}

/* The heading of a table of figures: the n fixed columns given (the
 * period's four, then the row's key), then the counts and rates of the CSV
 * contract. */
static void rows_heading(csv_w *w, const char *const *fixed, const char *const *fixed_vi,
                         size_t n)
{
    char label[256];
    for (size_t i = 0; i < n; i++)
        cell_text(w, w->people ? fixed_vi[i] : fixed[i]);
    for (int c = 0; c < MC_C_CONTRACT_COUNT; c++)
        cell_text(w, w->people ? mc_count_label_vi((mc_count)c) : mc_count_name((mc_count)c));
    for (int r = 0; r < MC_R_COUNT; r++) {
        if (w->people) {
            snprintf(label, sizeof label, "%s (%%)", mc_rate_label_vi((mc_rate)r));
            cell_text(w, label);
        } else {
            cell_text(w, mc_rate_name((mc_rate)r));
        }
    }
    end_row(w);
}

/* The period's cells, before a row's key. */
static void period_cells(csv_w *w, const mc_report *rep)
{
    cell_text(w, rep->period);
    cell_date(w, rep->period_start);
    cell_date(w, rep->period_end);
    cell_date(w, rep->as_of);
}

/* A row's counts and rates, after its key; then the line ends. */
static void figures_cells(csv_w *w, const int64_t c[MC_C_COUNT])
{
    for (int k = 0; k < MC_C_CONTRACT_COUNT; k++)
        cell_int(w, c[k]);
    for (int r = 0; r < MC_R_COUNT; r++) {
        double v = 0;
        int has = mc_rate_value(c, (mc_rate)r, &v);
        cell_opt2(w, has, v);
    }
    end_row(w);
}

/* The unit rows of rep, each led by its period, dates and as-of date. */
static void unit_rows(csv_w *w, const mc_report *rep)
{
    for (size_t i = 0; i < rep->n_rows; i++) {
        const mc_unit_row *row = &rep->rows[i];
        period_cells(w, rep);
        cell_text(w, row->unit_code);
        cell_text(w, w->people ? mc_wu_row_label(row) : row->unit_name);
        figures_cells(w, row->c);
    }
}

/* SPEC 11's tables: by field (field_name) or by procedure (procedure_code,
 * procedure_name), ALL last. */
static void write_groups(csv_w *w, const mc_report *rep, int by_procedure)
{
    static const char *const field[] = {"period", "period_start", "period_end", "as_of",
                                        "field_name"};
    static const char *const field_vi[] = {"Kỳ báo cáo", "Từ ngày", "Đến ngày",
                                           "Tính đến ngày", "Lĩnh vực"};
    static const char *const proc[] = {"period", "period_start", "period_end", "as_of",
                                       "procedure_code", "procedure_name"};
    static const char *const proc_vi[] = {"Kỳ báo cáo", "Từ ngày", "Đến ngày", "Tính đến ngày",
                                          "Mã thủ tục", "Tên thủ tục"};
    const mc_group_row *rows = by_procedure ? rep->procedures : rep->fields;
    size_t n = by_procedure ? rep->n_procedures : rep->n_fields;
    rows_heading(w, by_procedure ? proc : field, by_procedure ? proc_vi : field_vi,
                 by_procedure ? 6 : 5);
    for (size_t i = 0; i < n; i++) {
        const mc_group_row *row = &rows[i];
        period_cells(w, rep);
        if (by_procedure)
            cell_text(w, w->people && row->kind == MC_ROW_ALL ? "" : row->code);
        cell_text(w, w->people ? mc_wu_group_label(row, by_procedure) : row->name);
        figures_cells(w, row->c);
    }
}

static void write_units(csv_w *w, const mc_report *rep)
{
    static const char *const fixed_vi[] = {
        "Kỳ báo cáo", "Từ ngày", "Đến ngày", "Tính đến ngày", "Mã đơn vị", "Tên đơn vị",
    };
    static const char *const fixed[] = {
        "period", "period_start", "period_end", "as_of", "unit_code", "unit_name",
    };
    rows_heading(w, fixed, fixed_vi, 6);
    unit_rows(w, rep);
}

/* SPEC 13: the months oldest first, each month's rows as its units table. */
static void write_trend(csv_w *w, const mc_report *rep)
{
    static const char *const fixed_vi[] = {
        "Tháng", "Từ ngày", "Đến ngày", "Tính đến ngày", "Mã đơn vị", "Tên đơn vị",
    };
    static const char *const fixed[] = {
        "month", "month_start", "month_end", "as_of", "unit_code", "unit_name",
    };
    rows_heading(w, fixed, fixed_vi, 6);
    for (size_t m = 0; m < rep->n_trend; m++)
        unit_rows(w, &rep->trend[m]);
}

/* The unit's name for the people form of the targets table: the targets
 * rows carry only codes. */
static const char *name_of(const mc_report *rep, const char *code)
{
    for (size_t i = 0; code && i < rep->n_rows; i++)
        if (rep->rows[i].unit_code && strcmp(rep->rows[i].unit_code, code) == 0)
            return mc_wu_row_label(&rep->rows[i]);
    return "";
}

static void write_targets(csv_w *w, const mc_report *rep)
{
    static const char *const head[] = {
        "period", "unit_code", "indicator", "actual", "op", "target", "status", "gap", "source",
    };
    static const char *const head_vi[] = {
        "Kỳ báo cáo", "Mã đơn vị", "Tên đơn vị", "Chỉ tiêu", "Thực tế (%)", "So sánh",
        "Mục tiêu (%)", "Đánh giá", "Chênh lệch (điểm %)", "Nguồn",
    };
    if (w->people)
        for (size_t i = 0; i < sizeof head_vi / sizeof head_vi[0]; i++)
            cell_text(w, head_vi[i]);
    else
        for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
            cell_text(w, head[i]);
    end_row(w);

    for (size_t i = 0; i < rep->n_targets; i++) {
        const mc_target_row *t = &rep->targets[i];
        char b[64];
        cell_text(w, rep->period);
        cell_text(w, t->unit_code);
        if (w->people) {
            cell_text(w, name_of(rep, t->unit_code));
            int r = mc_wu_rate_of(t->indicator);
            cell_text(w, r >= 0 ? mc_rate_label_vi((mc_rate)r) : t->indicator);
        } else {
            cell_text(w, t->indicator);
        }
        cell_opt2(w, t->has_actual, t->actual);
        cell_text(w, w->people ? mc_wu_op_vi(t->op) : t->op);
        snprintf(b, sizeof b, "%.15g", t->target);
        cell_raw(w, b);
        cell_text(w, w->people ? mc_wu_status_vi(t->status) : t->status);
        cell_opt2(w, t->has_gap, t->gap);
        cell_text(w, t->source);
        end_row(w);
    }
}

static void write_quality(csv_w *w, const mc_report *rep)
{
    if (w->people) {
        cell_text(w, "Kiểm tra");
        cell_text(w, "Giá trị");
        cell_text(w, "Trạng thái");
        cell_text(w, "Chi tiết");
    } else {
        cell_text(w, "name");
        cell_text(w, "value");
        cell_text(w, "status");
        cell_text(w, "detail");
    }
    end_row(w);
    for (size_t i = 0; i < rep->n_quality; i++) {
        const mc_quality_row *q = &rep->quality[i];
        cell_text(w, q->name);
        /* a count like "-3" is a number to Excel, not a formula */
        if (w->people && mc_wu_is_number(q->value))
            cell_raw(w, q->value);
        else
            cell_text(w, q->value);
        cell_text(w, w->people ? mc_wu_quality_status_vi(q->status) : q->status);
        cell_text(w, q->detail);
        end_row(w);
    }
}

int mc_write_csv(FILE *out, const mc_report *rep, mc_table t, int for_people, mc_error *err)
{
    if (!out || !rep)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "csv writer: no output or no report");
    if (t != MC_TABLE_UNITS && t != MC_TABLE_TARGETS && t != MC_TABLE_QUALITY &&
        t != MC_TABLE_TREND && t != MC_TABLE_FIELDS && t != MC_TABLE_PROCEDURES)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "csv writer: unknown table %d", (int)t);
    if (t == MC_TABLE_TREND && !rep->trend)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "csv writer: the report has no trend");
    if (!mc_wu_has_table(rep, t))
        return mc_error_set(err, MC_EXIT_SOFTWARE, "csv writer: the report was computed "
                            "without this breakdown");

    csv_w w = { out, for_people != 0, 0 };
    errno = 0;
    if (w.people)
        fputs("\xEF\xBB\xBF", out);
    switch (t) {
    case MC_TABLE_UNITS:
        write_units(&w, rep);
        break;
    case MC_TABLE_TARGETS:
        write_targets(&w, rep);
        break;
    case MC_TABLE_QUALITY:
        write_quality(&w, rep);
        break;
    case MC_TABLE_TREND:
        write_trend(&w, rep);
        break;
    case MC_TABLE_FIELDS:
    case MC_TABLE_PROCEDURES:
        write_groups(&w, rep, t == MC_TABLE_PROCEDURES);
        break;
    }
    if (fflush(out) != 0 || ferror(out))
        return mc_error_set(err, MC_EXIT_IO, "cannot write the CSV report: %s",
                            strerror(errno ? errno : EIO));
    return 0;
}

/* ---- the cases behind the numbers (SPEC 12) -------------------------------- */

typedef struct {
    csv_w w;
    const mc_cases_info *info;
} cases_csv;

static void cell_yes_no(csv_w *w, int yes)
{
    if (w->people)
        cell_text(w, yes ? "Có" : "Không");
    else
        cell_raw(w, yes ? "1" : "0");
}

static int case_row_csv(void *ctx, const mc_case_row *r, mc_error *err)
{
    cases_csv *cc = ctx;
    csv_w *w = &cc->w;
    char b[32];
    cell_text(w, cc->info->period);
    cell_text(w, r->unit_code);
    cell_text(w, r->unit_name);
    cell_text(w, r->case_id);
    cell_text(w, r->procedure_code);
    cell_text(w, r->procedure_name);
    cell_text(w, r->field_name);
    if (w->people) {
        cell_text(w, mc_channel_label_vi(r->channel));
        cell_text(w, mc_status_label_vi(r->status));
    } else {
        cell_int(w, r->channel);
        cell_int(w, r->status);
    }
    cell_date(w, r->received_at);
    cell_date(w, r->due_at);
    cell_date(w, r->end_at);
    cell_text(w, w->people ? mc_bucket_label_vi(r->bucket) : mc_bucket_name(r->bucket));
    cell_yes_no(w, r->carried_over);
    b[0] = '\0';
    if (r->has_days_late)
        snprintf(b, sizeof b, "%" PRId64, r->days_late);
    cell_raw(w, b);
    cell_yes_no(w, r->apology);
    end_row(w);
    if (ferror(w->out))
        return mc_error_set(err, MC_EXIT_IO, "cannot write the list of cases: %s",
                            strerror(errno ? errno : EIO));
    return 0;
}

int mc_write_cases_csv(FILE *out, mc_cases *c, int only, int for_people, mc_error *err)
{
    static const char *const head[] = {
        "period", "unit_code", "unit_name", "case_id", "procedure_code", "procedure_name",
        "field_name", "channel", "status", "received_at", "due_at", "end_at", "bucket",
        "carried_over", "days_late", "apology",
    };
    static const char *const head_vi[] = {
        "Kỳ báo cáo", "Mã đơn vị", "Tên đơn vị", "Mã hồ sơ", "Mã TTHC", "Tên TTHC", "Lĩnh vực",
        "Kênh nộp", "Trạng thái", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày kết thúc",
        "Phân loại", "Từ kỳ trước chuyển qua", "Số ngày trễ hạn", "Có văn bản xin lỗi",
    };
    if (!out || !c)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "csv writer: no output or no list");
    cases_csv cc = {{out, for_people != 0, 0}, mc_cases_get_info(c)};
    errno = 0;
    if (cc.w.people)
        fputs("\xEF\xBB\xBF", out);
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
        cell_text(&cc.w, cc.w.people ? head_vi[i] : head[i]);
    end_row(&cc.w);
    int st = mc_cases_each(c, only, MC_ORDER_UNIT, case_row_csv, &cc, err);
    if (st)
        return st;
    if (fflush(out) != 0 || ferror(out))
        return mc_error_set(err, MC_EXIT_IO, "cannot write the list of cases: %s",
                            strerror(errno ? errno : EIO));
    return 0;
}
