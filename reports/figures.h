/*
 * figures.h -- the figures of SPEC 5, per unit, for one period.
 *
 * Reads the current version of every case from the store, resolves each
 * case's unit through the registry (SPEC 3), counts every figure, rolls the
 * counts up the registry's hierarchy and into ALL, matches the plan targets
 * (SPEC 6) and collects the data-quality checks; on request, in the same
 * pass, the same figures by field and by procedure (SPEC 11).  Writers
 * then only format.
 */
#ifndef MC_FIGURES_H
#define MC_FIGURES_H

#include <stdint.h>

#include "base/error.h"
#include "etl/store.h"
#include "reports/casescan.h"
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
    unsigned groups;            /* MC_GROUPS_*: the breakdowns to compute too
                                 * (SPEC 11); the same in every o[k] of
                                 * mc_figures_compute_many */
    const char *unit;           /* --unit (SPEC 11): only the cases of this unit of the
                                 * report and of its descendants in the registry; NULL
                                 * for every case */
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

/* One case row of the store as mc_figures_add_case takes it. */
void mc_figures_facts(const mc_scan_row *row, mc_case_facts *f);

/* Where a counted case ends up at the as-of date (SPEC 12's bucket). */
typedef enum {
    MC_BUCKET_RESOLVED_EARLY,
    MC_BUCKET_RESOLVED_ON_TIME,
    MC_BUCKET_RESOLVED_LATE,
    MC_BUCKET_IN_PROGRESS_WITHIN,
    MC_BUCKET_IN_PROGRESS_OVERDUE
} mc_bucket;

/* "resolved_early" ... "in_progress_overdue". */
const char *mc_bucket_name(mc_bucket b);

/* One case as the counts see it: what it adds to each count (0 or 1),
 * its bucket, and how many calendar days late it is (end - due when
 * resolved late, as-of - due when overdue; none otherwise). */
typedef struct mc_case_class {
    int64_t c[MC_C_COUNT];
    mc_bucket bucket;
    int has_days_late;
    int64_t days_late;
} mc_case_class;

/* Classify one case through mc_figures_add_case itself, so that a list of
 * cases can never disagree with the counts.  Returns 1 when the case
 * counts (then *k is filled), 0 when it does not. */
int mc_figures_classify(const mc_case_facts *f, int64_t start, int64_t as_of, mc_case_class *k);

/* The four identities of SPEC 5 on one row; 1 when all hold. */
int mc_figures_identities_hold(const int64_t counts[MC_C_COUNT]);

/*
 * The units a report counts cases under (SPEC 3, 5): every unit of the
 * registry, and every unit the store's cases name (a code, a name the
 * registry resolves, or a name kept as its own unit), each case placed as
 * the units table places it.  With a scope (--unit CODE), only the cases
 * of that unit and of its descendants in the registry are in it.
 */
typedef struct mc_report_units mc_report_units;

/* Build them from the store's unit keys and the registry.  scope may be
 * NULL; a code that is neither in the registry nor among the store's units
 * is MC_EXIT_USAGE, with a message that says so. */
int mc_report_units_new(mc_store *s, const mc_units *units, const char *scope,
                        mc_report_units **out, mc_error *err);
void mc_report_units_free(mc_report_units *m);

/* The unit a case (its facts and received day) is counted under: 1 and
 * *ix, 0 when that unit is outside the scope, -1 when the case names a
 * unit id the store does not know (a damaged store). */
int mc_report_units_of(const mc_report_units *m, int64_t facts, int64_t received_day, size_t *ix);

/* The unit ix's code and name as the units table shows them, and its
 * place in the order of the codes (the order of the table's rows). */
const char *mc_report_units_code(const mc_report_units *m, size_t ix);
const char *mc_report_units_name(const mc_report_units *m, size_t ix);
size_t mc_report_units_rank(const mc_report_units *m, size_t ix);

/* The scope's name ("" when it has none), or NULL when there is no scope. */
const char *mc_report_units_scope_name(const mc_report_units *m);

/* Compute the whole report into *rep (free with mc_report_free). */
int mc_figures_compute(mc_store *s, const mc_figures_opts *o, mc_report *rep, mc_error *err);

/* The reports of n periods at once, o[k] into reps[k], from one read of
 * the store: what a nightly run refreshes costs one pass, not n.  The o[k]
 * share their units, targets, convention and unit (o[0]'s).  On failure no report is
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
