/*
 * figures.h -- the figures of SPEC 5, per unit, for one period.
 *
 * Reads the current version of every case from the store, resolves each
 * case's unit through the registry (SPEC 3), counts every figure, rolls the
 * counts up the registry's hierarchy and into ALL, matches the plan targets
 * (SPEC 6) and collects the data-quality checks.  Writers then only format.
 */
#ifndef MC_FIGURES_H
#define MC_FIGURES_H

#include <stdint.h>

#include "base/error.h"
#include "etl/store.h"
#include "reports/period.h"
#include "reports/report.h"
#include "reports/targets.h"
#include "reports/units.h"

typedef struct mc_figures_opts {
    const mc_units *units;      /* never NULL: mc_units_empty() when none */
    const mc_targets *targets;  /* may be NULL */
    mc_period period;
    int64_t as_of;              /* day number */
    mc_convention convention;
} mc_figures_opts;

/* One case's contribution, as the store keeps its current version. */
typedef struct mc_case_facts {
    int status, channel, level;
    int64_t received_day;
    int has_due;   int64_t due_day;
    int has_end;   int64_t end_day;
    int apology;                 /* flag or apology date */
    int has_fee, paid_online, digitized, e_result; /* MC_FLAG_* */
} mc_case_facts;

/* Add one case's figures for period [start, end] as of as_of to counts
 * (SPEC 5).  Cases that do not count (status 1 or 3, received after as_of,
 * ended before start) add nothing.  Returns 1 when the case counted. */
int mc_figures_add_case(int64_t counts[MC_C_COUNT], const mc_case_facts *f, int64_t start,
                        int64_t as_of);

/* The four identities of SPEC 5 on one row; 1 when all hold. */
int mc_figures_identities_hold(const int64_t counts[MC_C_COUNT]);

/* Compute the whole report into *rep (free with mc_report_free). */
int mc_figures_compute(mc_store *s, const mc_figures_opts *o, mc_report *rep, mc_error *err);

/* The reports of n periods at once, o[k] into reps[k], from one read of
 * the store: what a nightly run refreshes costs one pass, not n.  The o[k]
 * share their units, targets and convention.  On failure no report is
 * left to free. */
int mc_figures_compute_many(mc_store *s, const mc_figures_opts *o, size_t n, mc_report *reps,
                            mc_error *err);

/* The reports of n periods as mc_figures_compute_many gives them, each
 * with its trend (SPEC 13) in reps[k].trend: the 12 months that end with
 * the month holding the period's last day, in the period's convention,
 * each counted as its own period as of the earlier of its last day and the
 * period's as-of date, with every other option of o[k] unchanged.  One
 * read of the store for all of them; a month that several periods share
 * is counted once.  On failure no report is left to free. */
int mc_figures_compute_trend(mc_store *s, const mc_figures_opts *o, size_t n, mc_report *reps,
                             mc_error *err);

#endif
