/*
 * build.h -- from plain inputs to a finished report: the registry and targets
 * files, the period and as-of date, the figures, and the file it is written
 * to.  Shared by `report`, `run` and `rerun` so that they can never differ.
 */
#ifndef MC_BUILD_H
#define MC_BUILD_H

#include <stdio.h>

#include "base/error.h"
#include "etl/store.h"
#include "reports/cases.h"
#include "reports/period.h"
#include "reports/report.h"
#include "reports/targets.h"
#include "reports/units.h"

typedef struct mc_report_inputs {
    mc_units *units;
    mc_targets targets;
    mc_convention convention;
    char units_path[1024];    /* "" when no registry */
    char targets_path[1024];  /* "" when no targets */
    unsigned groups;          /* MC_GROUPS_*: the breakdowns reports compute
                               * (SPEC 11); all of them unless the caller
                               * narrows it */
    const char *unit;         /* --unit CODE (SPEC 11), not owned; NULL: every unit */
} mc_report_inputs;

/* Load the registry at units_path and the targets at targets_path (NULL
 * or "" for none) under convention ("calendar", "cutoff"; NULL for
 * calendar).  The command layer decides which files (cli/runcommon.h). */
int mc_report_inputs_load(const char *units_path, const char *targets_path,
                          const char *convention, mc_report_inputs *in, mc_error *err);
void mc_report_inputs_free(mc_report_inputs *in);

/* Compute the report of period_text.  as_of_text may be NULL (SPEC 4
 * default: the period's end, or today while it runs). */
int mc_report_build(mc_store *s, const mc_report_inputs *in, const char *period_text,
                    const char *as_of_text, mc_report *rep, mc_error *err);

/* mc_report_build with the period's trend (SPEC 13) in rep->trend, from
 * the same read of the store. */
int mc_report_build_trend(mc_store *s, const mc_report_inputs *in, const char *period_text,
                          const char *as_of_text, mc_report *rep, mc_error *err);

/* The reports of n periods (canonical texts, SPEC 4's default as-of) into
 * reps[0..n), from one read of the store (mc_figures_compute_many), each
 * with its trend when with_trend (mc_figures_compute_trend). */
int mc_report_build_many(mc_store *s, const mc_report_inputs *in, const mc_period *periods,
                         size_t n, int with_trend, mc_report *reps, mc_error *err);

/* The cases behind the report of period_text (SPEC 12), as of as_of_text
 * (NULL: SPEC 4's default), limited to in->unit. */
int mc_cases_build(mc_store *s, const mc_report_inputs *in, const char *period_text,
                   const char *as_of_text, mc_cases **out, mc_error *err);

/* The cases behind rep (its period and as-of date), limited to in->unit. */
int mc_cases_of_report(mc_store *s, const mc_report_inputs *in, const mc_report *rep,
                       mc_cases **out, mc_error *err);

/* SUMMARY is SPEC 14's paragraph of the units table (mc_write_summary). */
typedef enum {
    MC_FORMAT_TEXT, MC_FORMAT_CSV, MC_FORMAT_XLSX, MC_FORMAT_HTML, MC_FORMAT_SUMMARY
} mc_format;

int mc_format_parse(const char *s, mc_format *f);
const char *mc_format_ext(mc_format f);

/* Write rep in format f: to out (text, csv, html), or to path (xlsx, or any
 * format when path is given: written to a temporary name and renamed, so a
 * reader never sees half a file).  for_people selects the Excel CSV. */
int mc_report_write(const mc_report *rep, mc_table t, mc_format f, int for_people,
                    FILE *out, const char *path, mc_error *err);

/* The list of selection only (cases.h) of c, as mc_report_write writes a
 * report: to out, or through a temporary file to path. */
int mc_cases_write(mc_cases *c, int only, mc_format f, int for_people, FILE *out,
                   const char *path, mc_error *err);

#endif
