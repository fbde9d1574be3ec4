/*
 * targets.h -- the plan targets of SPEC 6: loading the targets file, picking
 * the target that applies to a report row, and judging the row against it.
 *
 * A targets file is CSV with the header unit,indicator,op,value,period,source
 * (any order, any case, extra columns ignored), e.g.
 *   *,on_time_rate,>=,98,2025,"KH CCHC 2025 xã Lộc Hòa"
 */
#ifndef MC_TARGETS_H
#define MC_TARGETS_H

#include <stddef.h>

#include "base/error.h"
#include "reports/period.h"
#include "reports/report.h"

typedef struct mc_target {
    char *unit;          /* a unit code, or "*" for every unit */
    char *indicator;     /* lower case, e.g. "on_time_rate" */
    char op[3];          /* ">=", ">", "<=", "<", "=" */
    double value;        /* percent for rates */
    char *value_text;    /* the value as written, normalized: "99.9" */
    mc_period period;    /* under the convention the file was loaded with */
    char *source;        /* may be "" */
    long line;           /* 1-based physical line the row starts on */
} mc_target;

typedef struct mc_targets {
    mc_target *v;
    size_t n;
} mc_targets;

/*
 * Load the targets file at path, periods read under conv, into *out (which
 * the caller frees with mc_targets_free, also after a failure).  Blank lines
 * and lines starting with '#' are skipped; a UTF-8 BOM is allowed.  Returns
 * 0; MC_EXIT_IO when the file cannot be read; MC_EXIT_DATA with
 * "FILE:LINE: column 'NAME': ..." for a missing column, an empty unit or
 * indicator, an unknown op, or an unparsable value or period.
 */
int mc_targets_load(const char *path, mc_convention conv, mc_targets *out, mc_error *err);

/* Release what *t owns and empty it. */
void mc_targets_free(mc_targets *t);

/*
 * The target for one report row and indicator (SPEC 6), or NULL.  A target
 * applies when its unit is chain[i] for some i, or "*", and its period
 * contains report_period.  chain is the row's unit code then its
 * ancestors', nearest first; chain_len 0 for the ALL row, which only "*"
 * targets reach.  Of several: the nearest unit (smallest i, "*" last), then
 * the shortest period, then the stricter target (higher value for >= and >,
 * lower for <= and <; at equal value the strict operator), then the earlier
 * line of the file.
 */
const mc_target *mc_targets_match(const mc_targets *t, const char *const *chain,
                                  size_t chain_len, const char *indicator,
                                  const mc_period *report_period);

/*
 * Judge a row against target t into *row: status "met" or "missed" from the
 * unrounded actual, "no data" when !has_actual, except that a
 * late_with_apology_rate target with no late cases (no_late != 0) is "met".
 * gap = actual - target in percentage points whenever there is an actual.
 * unit_code, indicator and source are copied with malloc (mc_report_free
 * releases them).  Returns 0, or -1 when memory ran out (*row then owns
 * nothing).
 */
int mc_target_eval(const mc_target *t, const char *unit_code, int has_actual,
                   double actual, int no_late, mc_target_row *row);

#endif
