/*
 * cases.h -- the cases behind the numbers (SPEC 12): one row per counted
 * case of a period, classified exactly as the units table counts it.
 *
 * A list is read straight from the store, sorted by SQLite, and handed to
 * the caller row by row: a 5M-case store's full list is never held in
 * memory (SQLite's sorter spills to temporary files).  Each case is
 * placed under its unit by mc_report_units and classified by
 * mc_figures_classify, i.e. by mc_figures_add_case itself, so every count
 * of the units table equals the number of listed cases in that bucket.
 *
 * The writers of a list live beside the report's (reports/write_*.c) and
 * are declared here.
 */
#ifndef MC_CASES_H
#define MC_CASES_H

#include <stdint.h>
#include <stdio.h>

#include "base/error.h"
#include "etl/store.h"
#include "reports/figures.h"

/* Which cases a list holds (--only): a count of SPEC 5 (an mc_count below
 * MC_C_CONTRACT_COUNT: the cases that count in it), or one of these. */
enum {
    MC_ONLY_ALL = -1,                          /* every counted case */
    MC_ONLY_LATE_WITHOUT_APOLOGY = MC_C_COUNT  /* late_total without late_with_apology */
};

/* --only's value (SPEC 12: "all", a count column, "late_without_apology",
 * the aliases "late" and "overdue") into *only.  0, or -1 when unknown. */
int mc_cases_only_parse(const char *s, int *only);

/* The machine name of a selection ("all", "late_total", ...). */
const char *mc_cases_only_name(int only);

/* A selection as people read it ("Tổng số hồ sơ trễ hạn"). */
const char *mc_cases_only_label_vi(int only);

/* The names --only takes, for a usage message. */
extern const char mc_cases_only_help[];

/* The order of a list. */
typedef enum {
    MC_ORDER_UNIT,   /* SPEC 12: unit code, days late descending (none last), case id */
    MC_ORDER_WORST   /* days late descending (none last), unit code, case id */
} mc_case_order;

/* One listed case.  Strings are valid during the callback only. */
typedef struct mc_case_row {
    const char *unit_code, *unit_name; /* the unit it is counted under, as the units table shows it */
    const char *case_id;               /* normalized */
    const char *procedure_code, *procedure_name, *field_name; /* "" when the store has none */
    int channel, status;               /* codes of SPEC 1.3, 1.4 */
    char received_at[11], due_at[11], end_at[11]; /* YYYY-MM-DD, "" when none */
    mc_bucket bucket;
    int carried_over;                  /* 1 or 0 */
    int has_days_late;
    int64_t days_late;                 /* calendar days, when has_days_late */
    int apology;                       /* 1 or 0: the flag or an apology date */
} mc_case_row;

/* Called for each listed case in order; 0 goes on, anything else stops
 * the list and is returned by mc_cases_each (an MC_EXIT_* status with err
 * filled). */
typedef int (*mc_case_fn)(void *ctx, const mc_case_row *row, mc_error *err);

/* What the headings of a list say. */
typedef struct mc_cases_info {
    char period[64];                   /* canonical */
    char period_start[11], period_end[11], as_of[11]; /* YYYY-MM-DD */
    const char *unit_code, *unit_name; /* the scope (--unit), NULL when none */
} mc_cases_info;

typedef struct mc_cases mc_cases;

/* The cases of period o->period as of o->as_of, limited to o->unit (NULL:
 * all).  An unknown unit is MC_EXIT_USAGE.  Free with mc_cases_close; the
 * store must stay open until then. */
int mc_cases_open(mc_store *s, const mc_figures_opts *o, mc_cases **out, mc_error *err);
void mc_cases_close(mc_cases *c);

const mc_cases_info *mc_cases_get_info(const mc_cases *c);

/* Pass the cases of selection only (MC_ONLY_* or an mc_count) to fn in
 * order.  Returns 0, fn's non-zero status, or an MC_EXIT_* status. */
int mc_cases_each(mc_cases *c, int only, mc_case_order order, mc_case_fn fn, void *ctx,
                  mc_error *err);

/* The same, the first max cases only (max <= 0: all of them). */
int mc_cases_each_first(mc_cases *c, int only, mc_case_order order, int64_t max, mc_case_fn fn,
                        void *ctx, mc_error *err);

/* How many cases the list of selection only has, into *n. */
int mc_cases_count(mc_cases *c, int only, int64_t *n, mc_error *err);

/* Read the cases of selection only once, into a temporary table that the
 * lists read from then on: several lists of that selection (or of a part
 * of it: a later list has the kept cases that are in its own selection)
 * then cost one read of the store, and all see the store as it was then.
 * At most once per mc_cases.  0 or an MC_EXIT_* status. */
int mc_cases_keep(mc_cases *c, int only, mc_error *err);

/* The same for the lists cs[0..n) of one store (n <= 62; their periods
 * may differ), in one read of the store for all of them: what a nightly
 * run's periods cost. */
int mc_cases_keep_many(mc_cases **cs, size_t n, int only, mc_error *err);

/* Vietnamese for people's files: a bucket, a channel code, a status code. */
const char *mc_bucket_label_vi(mc_bucket b);
const char *mc_channel_label_vi(int channel);
const char *mc_status_label_vi(int status);

/*
 * Writers of a list, in the spirit of the report's (report.h):
 *  csv  : the machine contract of SPEC 12 when for_people is 0; a BOM,
 *         Vietnamese headings and values, dd/mm/yyyy dates and the formula
 *         guard when 1 (late.csv).
 *  text : an aligned table (the list is read twice: once to size the
 *         columns, once to print; mc_cases_keep first makes that one read
 *         of the store).
 *  xlsx : a one-sheet workbook, written row by row (libxlsxwriter's
 *         constant-memory mode).
 *  html : one self-contained page.
 */
int mc_write_cases_csv(FILE *out, mc_cases *c, int only, int for_people, mc_error *err);
int mc_write_cases_text(FILE *out, mc_cases *c, int only, mc_error *err);
int mc_write_cases_xlsx(const char *path, mc_cases *c, int only, mc_error *err);
int mc_write_cases_html(FILE *out, mc_cases *c, int only, mc_error *err);

#endif
