/*
 * outputs.h -- what `run` and `rerun` leave behind for one period: the
 * report rows stored in the database (so `check` can verify them later) and
 * the report files for people in OUTPUT/PERIOD/.
 *
 * Both commands go through mc_outputs_refresh, so a rerun can never write
 * anything a run would not.  The files of one period:
 *   report.xlsx   the workbook (form sheet, targets sheet, quality sheet,
 *                 the 12-month trend and its line charts, and the late cases:
 *                 "Hồ sơ trễ hạn")
 *   report.html   the page with charts, the trend's among them, and the late
 *                 cases without an apology letter, worst first (the first 500)
 *   units.csv, targets.csv, quality.csv, trend.csv   Excel CSV (BOM,
 *                 Vietnamese headings); trend.csv when the report has its trend
 *   late.csv      the late cases (SPEC 12's `late` list), Excel CSV
 */
#ifndef MC_OUTPUTS_H
#define MC_OUTPUTS_H

#include <stddef.h>

#include "base/error.h"
#include "etl/store.h"
#include "reports/build.h"

/* Bits of the `formats` setting. */
enum { MC_OUT_XLSX = 1, MC_OUT_HTML = 2, MC_OUT_CSV = 4 };

/* Parse a `formats` value ("xlsx,html,csv", any order and case, spaces
 * allowed; "" or "none" for no files) into *mask.  0, or MC_EXIT_USAGE
 * with the reason in err. */
int mc_formats_parse(const char *s, unsigned *mask, mc_error *err);

/*
 * Compute the report of period (as of as_of, NULL for SPEC 4's default),
 * with its trend when there are files to write, replace its stored rows in
 * one transaction, then write the files of formats to out_dir/PERIOD/
 * (each to a temporary name, then renamed).
 * canon receives the period's canonical text (>= 64 bytes; may be NULL).
 * Returns 0 or an MC_EXIT_* status.
 */
int mc_outputs_refresh(mc_store *s, const mc_report_inputs *in, const char *period,
                       const char *as_of, const char *out_dir, unsigned formats, char *canon,
                       mc_error *err);

/* What mc_outputs_refresh does after computing: store rep, then write its
 * files.  For a report computed with others (mc_report_build_many); the
 * trend's parts are written when rep has its trend.  The late lists come from cases (mc_outputs_late), or, when it is NULL, from
 * a read of the store made here. */
int mc_outputs_publish(mc_store *s, const mc_report_inputs *in, const mc_report *rep,
                       struct mc_cases *cases, const char *out_dir, unsigned formats,
                       mc_error *err);

/* The late cases of reps[0..n) (n <= 62), for mc_outputs_publish, in one
 * read of the store for all: cases[k] gets reps[k]'s; free each with
 * mc_cases_close.  On failure none is left. */
int mc_outputs_late(mc_store *s, const mc_report_inputs *in, const mc_report *reps, size_t n,
                    struct mc_cases **cases, mc_error *err);

/* Store rep's unit rows as the stored report of its period and convention,
 * replacing the old ones, in one transaction. */
int mc_outputs_store(mc_store *s, const mc_report *rep, mc_error *err);

/* One stored report, as listed by mc_outputs_stored. */
typedef struct mc_stored_report {
    char period[64];
    char convention[16];
    char as_of[11];
} mc_stored_report;

/* The stored reports, oldest first (malloc'd; *n may be 0).  A store
 * without the table has none. */
int mc_outputs_stored(mc_store *s, mc_stored_report **list, size_t *n, mc_error *err);

/* Called by mc_outputs_check for each problem found: one line of text. */
typedef void (*mc_problem_fn)(void *ctx, const char *line);

/* Check the four SPEC 5 identities on every stored report row, and that
 * each stored report has its rows and an ALL row last.  Returns the number
 * of problems (each passed to fn), or -(MC_EXIT_*) with err filled when the
 * store cannot be read. */
long mc_outputs_check(mc_store *s, mc_problem_fn fn, void *ctx, mc_error *err);

#endif
