/*
 * write_summary.c -- the paragraph for the monthly report (SPEC 14).
 *
 * Staff typed this paragraph by hand from the tables, converting every
 * number to the Vietnamese format on the way: the place where a typo
 * reached an official report.  It is written here from the same row, the
 * same rates and the same target matches as the units and targets tables,
 * so it can never say something the tables do not.  The words are SPEC
 * 14's, to the letter; the numbers go through write_util's Vietnamese
 * formatting, the one place that decides it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/report.h"
#include "reports/write_util.h"

/* The row the paragraph speaks of: unit_code's, or ALL's. */
static const mc_unit_row *summary_row(const mc_report *rep, const char *unit_code)
{
    for (size_t i = 0; i < rep->n_rows; i++) {
        const mc_unit_row *row = &rep->rows[i];
        if (unit_code ? strcmp(mc_wu_str(row->unit_code), unit_code) == 0
                      : row->kind == MC_ROW_ALL)
            return row;
    }
    return NULL;
}

static void put_count(FILE *f, const mc_unit_row *row, mc_count c)
{
    char b[48];
    fputs(mc_wu_vi_count(row->c[c], b, sizeof b), f);
}

/* "95,14%", or "không có số liệu" for a null rate. */
static void put_rate(FILE *f, const mc_unit_row *row, mc_rate r)
{
    double pct;
    char b[64];
    if (mc_rate_value(row->c, r, &pct))
        fprintf(f, "%s%%", mc_wu_vi_rate(pct, b, sizeof b));
    else
        fputs("không có số liệu", f);
}

/*
 * {T}: nothing when no plan target reaches this rate of this row; else the
 * target and whether it is met.  A target whose actual is null ("no data")
 * also gives nothing: the rate already reads "không có số liệu", and there
 * is no gap to state.  A late-with-apology target of a row with no late
 * case is met (SPEC 6) and says so.
 */
static void put_target(FILE *f, const mc_report *rep, const mc_unit_row *row, mc_rate r)
{
    const mc_target_row *t = mc_wu_target(rep, mc_wu_str(row->unit_code), mc_rate_name(r));
    if (!t || strcmp(mc_wu_str(t->status), "no data") == 0)
        return;
    char c[64], target[64], gap[64];
    snprintf(c, sizeof c, "%.15g", t->target);
    mc_wu_vi_number(c, target, sizeof target);
    if (strcmp(t->status, "met") == 0) {
        fprintf(f, " (chỉ tiêu %s %s%%: đạt)", mc_wu_op_vi(t->op), target);
        return;
    }
    mc_wu_vi_rate(t->has_gap ? fabs(t->gap) : 0, gap, sizeof gap);
    fprintf(f, " (chỉ tiêu %s %s%%: chưa đạt, thấp hơn %s điểm phần trăm)", mc_wu_op_vi(t->op),
            target, gap);
}

/*
 * SPEC 14's lines, word for word, with its placeholders spelled as the
 * machine names of the units table: {count}, {rate} (a rate alone) and
 * {rate+T} (a rate and its target clause).  The first line is written by
 * write_lines, from the report's dates and unit.
 */
static const char *const lines[] = {
    "- Tổng số hồ sơ tiếp nhận: {received_total} hồ sơ, trong đó tiếp nhận mới trong kỳ "
    "{received_new} hồ sơ (trực tuyến {received_online}; trực tiếp và qua dịch vụ bưu chính "
    "công ích {received_offline}), từ kỳ trước chuyển sang {carried_over} hồ sơ.",
    "- Đã giải quyết: {resolved_total} hồ sơ (trước hạn {resolved_early}; đúng hạn "
    "{resolved_on_time}; quá hạn {resolved_late}); tỷ lệ giải quyết trước và đúng hạn "
    "{on_time_rate+T}.",
    "- Đang giải quyết: {in_progress_total} hồ sơ (trong hạn {in_progress_within}; quá hạn "
    "{in_progress_overdue}).",
    "- Hồ sơ trễ hạn: {late_total} hồ sơ, trong đó đã có văn bản xin lỗi {late_with_apology} hồ "
    "sơ ({late_with_apology_rate}){late_with_apology_rate:T}.",
    "- Tỷ lệ hồ sơ tiếp nhận trực tuyến: {online_rate+T}; trực tuyến toàn trình: "
    "{online_full_process_rate+T}; thanh toán trực tuyến: {online_payment_rate+T}.",
    "- Tỷ lệ số hóa hồ sơ: {digitized_rate+T}; cấp kết quả điện tử: {e_result_rate+T}.",
};

/* Fill one placeholder (name without braces, n bytes) of row. */
static void put_field(FILE *f, const mc_report *rep, const mc_unit_row *row, const char *name,
                      size_t n)
{
    int with_target = n > 2 && strncmp(name + n - 2, "+T", 2) == 0;
    int target_only = n > 2 && strncmp(name + n - 2, ":T", 2) == 0;
    size_t base = with_target || target_only ? n - 2 : n;
    for (int c = 0; c < MC_C_CONTRACT_COUNT; c++)
        if (strlen(mc_count_name((mc_count)c)) == base &&
            strncmp(mc_count_name((mc_count)c), name, base) == 0) {
            put_count(f, row, (mc_count)c);
            return;
        }
    for (int r = 0; r < MC_R_COUNT; r++)
        if (strlen(mc_rate_name((mc_rate)r)) == base &&
            strncmp(mc_rate_name((mc_rate)r), name, base) == 0) {
            if (!target_only)
                put_rate(f, row, (mc_rate)r);
            if (with_target || target_only)
                put_target(f, rep, row, (mc_rate)r);
            return;
        }
}

static void write_lines(FILE *f, const mc_report *rep, const mc_unit_row *row, int for_unit)
{
    char s[16], e[16], a[16];
    mc_wu_date_vi(rep->period_start, s, sizeof s);
    mc_wu_date_vi(rep->period_end, e, sizeof e);
    mc_wu_date_vi(rep->as_of, a, sizeof a);
    const char *who = !for_unit ? "tất cả các đơn vị"
                      : row->unit_name && row->unit_name[0] ? row->unit_name
                                                            : mc_wu_str(row->unit_code);
    fprintf(f, "Kỳ báo cáo %s (từ ngày %s đến ngày %s, số liệu tính đến ngày %s); đơn vị: %s.\n",
            rep->period, s, e, a, who);
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        for (const char *p = lines[i]; *p;) {
            const char *open = strchr(p, '{');
            if (!open) {
                fputs(p, f);
                break;
            }
            fwrite(p, 1, (size_t)(open - p), f);
            const char *close = strchr(open, '}');
            put_field(f, rep, row, open + 1, (size_t)(close - open - 1));
            p = close + 1;
        }
        fputc('\n', f);
    }
}

int mc_summary_build(const mc_report *rep, const char *unit_code, char **text, mc_error *err)
{
    *text = NULL;
    const mc_unit_row *row = summary_row(rep, unit_code);
    if (!row)
        return mc_error_set(err, MC_EXIT_USAGE, "the report of %s has no row for unit '%s'",
                            rep->period, unit_code ? unit_code : "ALL");
    size_t n = 0;
    FILE *f = open_memstream(text, &n);
    if (!f)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory while writing the summary");
    write_lines(f, rep, row, unit_code != NULL);
    if (fclose(f) != 0 || !*text) {
        free(*text);
        *text = NULL;
        return mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory while writing the summary");
    }
    return 0;
}

int mc_write_summary(FILE *out, const mc_report *rep, const char *unit_code, mc_error *err)
{
    char *text;
    int st = mc_summary_build(rep, unit_code, &text, err);
    if (st)
        return st;
    size_t n = strlen(text);
    int ok = fwrite(text, 1, n, out) == n;
    free(text);
    return ok ? 0 : mc_error_set(err, MC_EXIT_IO, "cannot write the summary: write failed");
}
