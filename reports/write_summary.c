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

static void put_rate_target(FILE *f, const mc_report *rep, const mc_unit_row *row, mc_rate r)
{
    put_rate(f, row, r);
    put_target(f, rep, row, r);
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

    fputs("- Tổng số hồ sơ tiếp nhận: ", f);
    put_count(f, row, MC_C_RECEIVED_TOTAL);
    fputs(" hồ sơ, trong đó tiếp nhận mới trong kỳ ", f);
    put_count(f, row, MC_C_RECEIVED_NEW);
    fputs(" hồ sơ (trực tuyến ", f);
    put_count(f, row, MC_C_RECEIVED_ONLINE);
    fputs("; trực tiếp và qua dịch vụ bưu chính công ích ", f);
    put_count(f, row, MC_C_RECEIVED_OFFLINE);
    fputs("), từ kỳ trước chuyển sang ", f);
    put_count(f, row, MC_C_CARRIED_OVER);
    fputs(" hồ sơ.\n", f);

    fputs("- Đã giải quyết: ", f);
    put_count(f, row, MC_C_RESOLVED_TOTAL);
    fputs(" hồ sơ (trước hạn ", f);
    put_count(f, row, MC_C_RESOLVED_EARLY);
    fputs("; đúng hạn ", f);
    put_count(f, row, MC_C_RESOLVED_ON_TIME);
    fputs("; quá hạn ", f);
    put_count(f, row, MC_C_RESOLVED_LATE);
    fputs("); tỷ lệ giải quyết trước và đúng hạn ", f);
    put_rate_target(f, rep, row, MC_R_ON_TIME);
    fputs(".\n", f);

    fputs("- Đang giải quyết: ", f);
    put_count(f, row, MC_C_IN_PROGRESS_TOTAL);
    fputs(" hồ sơ (trong hạn ", f);
    put_count(f, row, MC_C_IN_PROGRESS_WITHIN);
    fputs("; quá hạn ", f);
    put_count(f, row, MC_C_IN_PROGRESS_OVERDUE);
    fputs(").\n", f);

    fputs("- Hồ sơ trễ hạn: ", f);
    put_count(f, row, MC_C_LATE_TOTAL);
    fputs(" hồ sơ, trong đó đã có văn bản xin lỗi ", f);
    put_count(f, row, MC_C_LATE_WITH_APOLOGY);
    fputs(" hồ sơ (", f);
    put_rate(f, row, MC_R_LATE_WITH_APOLOGY);
    fputs(")", f);
    put_target(f, rep, row, MC_R_LATE_WITH_APOLOGY);
    fputs(".\n", f);

    fputs("- Tỷ lệ hồ sơ tiếp nhận trực tuyến: ", f);
    put_rate_target(f, rep, row, MC_R_ONLINE);
    fputs("; trực tuyến toàn trình: ", f);
    put_rate_target(f, rep, row, MC_R_ONLINE_FULL_PROCESS);
    fputs("; thanh toán trực tuyến: ", f);
    put_rate_target(f, rep, row, MC_R_ONLINE_PAYMENT);
    fputs(".\n", f);

    fputs("- Tỷ lệ số hóa hồ sơ: ", f);
    put_rate_target(f, rep, row, MC_R_DIGITIZED);
    fputs("; cấp kết quả điện tử: ", f);
    put_rate_target(f, rep, row, MC_R_E_RESULT);
    fputs(".\n", f);
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
