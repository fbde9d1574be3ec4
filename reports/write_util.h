/*
 * write_util.h -- small helpers the report writers (reports/write_*.c)
 * share: finding a row's target, Vietnamese renderings of dates, statuses
 * and operators, and the formula guard of files meant for people.
 *
 * They live in one place so that the text table, the Excel CSV, the
 * workbook and the page label and guard things the same way.
 */
#ifndef MC_WRITE_UTIL_H
#define MC_WRITE_UTIL_H

#include "reports/report.h"

/* The target row of rep for (unit_code, indicator), or NULL when the report
 * has none.  The first match wins: figures.c already picked one per pair. */
const mc_target_row *mc_wu_target(const mc_report *rep, const char *unit_code,
                                  const char *indicator);

/* 1 when some target row of rep is for indicator. */
int mc_wu_has_targets_for(const mc_report *rep, const char *indicator);

/* The rate whose machine name is indicator, or -1. */
int mc_wu_rate_of(const char *indicator);

/* "YYYY-MM-DD" as "dd/mm/yyyy" into out (at least 11 bytes).  Anything else
 * is copied unchanged (truncated to cap), so a bad date still shows. */
void mc_wu_date_vi(const char *iso, char *out, size_t cap);

/* 1 when a spreadsheet would read text s as a formula or a command: it
 * starts with = + - @ TAB or CR. */
int mc_wu_formula_risk(const char *s);

/* 1 when s is a plain decimal number ("12", "-3", "4.50"): such a value is a
 * number, not text, and needs no formula guard. */
int mc_wu_is_number(const char *s);

/* Vietnamese for a target status ("met" -> "Đạt"); unknown ones unchanged. */
const char *mc_wu_status_vi(const char *status);

/* Vietnamese for a quality status ("warning" -> "Cảnh báo"). */
const char *mc_wu_quality_status_vi(const char *status);

/* A comparison operator as people read it (">=" -> "≥"). */
const char *mc_wu_op_vi(const char *op);

/* The name to show people for a row: "Tổng cộng" for ALL, else the unit's
 * name, else its code. */
const char *mc_wu_row_label(const mc_unit_row *row);

/* The name to show people for a row of a breakdown (SPEC 11): "Tổng cộng"
 * for ALL, the field's or procedure's name, else the procedure's code, else
 * a note that the cases have none. */
const char *mc_wu_group_label(const mc_group_row *row, int by_procedure);

/* 1 when rep holds table t: a breakdown only when it was computed. */
int mc_wu_has_table(const mc_report *rep, mc_table t);

/*
 * v with two decimals, rounded half away from zero as people and Excel's
 * ROUND do (201/20000 = 1.005 % is "1.01", 1/32 = 3.125 % is "3.13"), into
 * out; "-0.00" is written "0.00", and plus is "+" prefixed.  Rates are
 * ratios of counts: printed with ten decimals first, a double lands on the
 * exact decimal tie it stands for, so the rounding is that of the exact
 * ratio and not of its binary approximation.  Returns out.
 */
char *mc_wu_fmt2(double v, int plus, char *out, size_t cap);

/* The row of rep for unit_code, or NULL. */
const mc_unit_row *mc_wu_row(const mc_report *rep, const char *unit_code);

/* SPEC 13's charts: the headline rates, in the order they are drawn. */
#define MC_WU_TREND_RATES 3
extern const mc_rate mc_wu_trend_rates[MC_WU_TREND_RATES];

/* At most this many units are charted: ALL and 12 top-level units, so
 * that the page and the workbook stay a size people open and print. */
#define MC_WU_TREND_UNITS 13

/*
 * The units whose trend is charted, into codes[0..max) (pointers into the
 * months' rows): "ALL" first, then the top-level units (depth 0) that some
 * month of rep->trend lists, in code order.  When there are more than
 * max - 1 of those, the ones with the most cases received over the 12
 * months (received_new summed; ties by code) are kept, and *left (may be
 * NULL) says how many were not.  Returns the count; 0 without a trend.
 */
size_t mc_wu_trend_units(const mc_report *rep, const char **codes, size_t max, size_t *left);

/* 1 when a trend month had not begun at its as-of date (a month after
 * today): it is listed, but a chart has no point for it. */
int mc_wu_month_unstarted(const mc_report *month);

/*
 * Numbers the Vietnamese way (SPEC 14): '.' between thousands, ',' before
 * the decimals.  mc_wu_vi_number rewrites a plain decimal written the C way
 * ("1234567", "95.14", "-2.50") into out ("1.234.567", "95,14", "-2,50");
 * anything else is copied unchanged.  mc_wu_vi_count writes a count,
 * mc_wu_vi_rate a rate with two decimals rounded as every other writer
 * rounds (mc_wu_fmt2: 99.995 is "100,00").  Each returns out.
 */
char *mc_wu_vi_number(const char *c_decimal, char *out, size_t cap);
char *mc_wu_vi_count(int64_t n, char *out, size_t cap);
char *mc_wu_vi_rate(double pct, char *out, size_t cap);

/* s, or "" for NULL: the model allows absent strings. */
static inline const char *mc_wu_str(const char *s)
{
    return s ? s : "";
}

#endif
