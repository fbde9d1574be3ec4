/*
 * build.c -- options to a written report; see build.h.
 */
#include "base/fs.h"
#include "reports/build.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reports/figures.h"
#include "transforms/dates.h"

int mc_report_inputs_load(const char *units_path, const char *targets_path,
                          const char *convention, mc_report_inputs *in, mc_error *err)
{
    memset(in, 0, sizeof *in);
    in->groups = MC_GROUPS_FIELD | MC_GROUPS_PROCEDURE;
    if (mc_convention_parse(convention ? convention : "calendar", &in->convention) != 0)
        return mc_error_set(err, MC_EXIT_USAGE, "--convention must be calendar or cutoff, not '%s'",
                            convention);
    if (units_path && snprintf(in->units_path, sizeof in->units_path, "%s", units_path) >=
                          (int)sizeof in->units_path)
        return mc_error_set(err, MC_EXIT_USAGE, "%.200s...: the units file's path is too long",
                            units_path);
    if (targets_path && snprintf(in->targets_path, sizeof in->targets_path, "%s", targets_path) >=
                            (int)sizeof in->targets_path)
        return mc_error_set(err, MC_EXIT_USAGE, "%.200s...: the targets file's path is too long",
                            targets_path);

    int st;
    if (in->units_path[0]) {
        if ((st = mc_units_load(in->units_path, &in->units, err)))
            return st;
    } else if (!(in->units = mc_units_empty())) {
        return mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory");
    }
    if (in->targets_path[0] &&
        (st = mc_targets_load(in->targets_path, in->convention, &in->targets, err))) {
        mc_report_inputs_free(in);
        return st;
    }
    return 0;
}

void mc_report_inputs_free(mc_report_inputs *in)
{
    mc_units_free(in->units);
    in->units = NULL;
    mc_targets_free(&in->targets);
}

/* What the figures need for period under in, as of SPEC 4's default. */
static mc_figures_opts figures_opts(const mc_report_inputs *in, const mc_period *period)
{
    return (mc_figures_opts){.units = in->units, .targets = &in->targets,
                             .convention = in->convention, .period = *period,
                             .as_of = mc_period_as_of(period, mc_period_today()),
                             .groups = in->groups, .unit = in->unit};
}

/* The figures' options for period_text as of as_of_text (NULL: SPEC 4's
 * default) under in. */
static int opts_of(const mc_report_inputs *in, const char *period_text, const char *as_of_text,
                   mc_figures_opts *fo, mc_error *err)
{
    mc_period period;
    int st = mc_period_parse(period_text, in->convention, &period, err);
    if (st)
        return st;
    *fo = figures_opts(in, &period);
    if (as_of_text && mc_day_parse(as_of_text, &fo->as_of) != 0)
        return mc_error_set(err, MC_EXIT_USAGE, "--as-of must be a date YYYY-MM-DD, not '%s'",
                            as_of_text);
    return 0;
}

int mc_report_build(mc_store *s, const mc_report_inputs *in, const char *period_text,
                    const char *as_of_text, mc_report *rep, mc_error *err)
{
    mc_figures_opts fo;
    int st = opts_of(in, period_text, as_of_text, &fo, err);
    return st ? st : mc_figures_compute(s, &fo, rep, err);
}

int mc_report_build_trend(mc_store *s, const mc_report_inputs *in, const char *period_text,
                          const char *as_of_text, mc_report *rep, mc_error *err)
{
    mc_figures_opts fo;
    int st = opts_of(in, period_text, as_of_text, &fo, err);
    return st ? st : mc_figures_compute_trend(s, &fo, 1, rep, err);
}

int mc_cases_build(mc_store *s, const mc_report_inputs *in, const char *period_text,
                   const char *as_of_text, mc_cases **out, mc_error *err)
{
    mc_figures_opts fo;
    *out = NULL;
    int st = opts_of(in, period_text, as_of_text, &fo, err);
    return st ? st : mc_cases_open(s, &fo, out, err);
}

int mc_cases_of_report(mc_store *s, const mc_report_inputs *in, const mc_report *rep,
                       mc_cases **out, mc_error *err)
{
    return mc_cases_build(s, in, rep->period, rep->as_of, out, err);
}

int mc_report_build_many(mc_store *s, const mc_report_inputs *in, const mc_period *periods,
                         size_t n, int with_trend, mc_report *reps, mc_error *err)
{
    mc_figures_opts *fo = calloc(n ? n : 1, sizeof *fo);
    if (!fo)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory");
    for (size_t k = 0; k < n; k++)
        fo[k] = figures_opts(in, &periods[k]);
    int st = with_trend ? mc_figures_compute_trend(s, fo, n, reps, err)
                        : mc_figures_compute_many(s, fo, n, reps, err);
    free(fo);
    return st;
}

int mc_format_parse(const char *s, mc_format *f)
{
    static const char *const names[] = {"text", "csv", "xlsx", "html", "summary"};
    for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++)
        if (strcmp(s, names[i]) == 0) {
            *f = (mc_format)i;
            return 0;
        }
    return -1;
}

const char *mc_format_ext(mc_format f)
{
    static const char *const ext[] = {"txt", "csv", "xlsx", "html", "txt"};
    return ext[f];
}

static int write_stream(const mc_report *rep, mc_table t, mc_format f, int for_people, FILE *out,
                        mc_error *err)
{
    switch (f) {
    case MC_FORMAT_TEXT:
        return mc_write_text(out, rep, t, err);
    case MC_FORMAT_CSV:
        return mc_write_csv(out, rep, t, for_people, err);
    case MC_FORMAT_HTML:
        return mc_write_html(out, rep, t, err);
    case MC_FORMAT_SUMMARY:
        if (t != MC_TABLE_UNITS)
            return mc_error_set(err, MC_EXIT_USAGE,
                                "--format summary is the paragraph of the units table");
        return mc_write_summary(out, rep, rep->scope_unit[0] ? rep->scope_unit : NULL, err);
    default:
        return mc_error_set(err, MC_EXIT_USAGE, "the workbook needs a file: use -o FILE.xlsx");
    }
}

typedef struct report_job {
    const mc_report *rep;
    mc_table t;
    mc_format f;
    int for_people;
} report_job;

static int fill_xlsx(const char *tmp, void *ctx, mc_error *err)
{
    return mc_write_xlsx(tmp, ((const report_job *)ctx)->rep, err);
}

static int write_report(FILE *out, void *ctx, mc_error *err)
{
    const report_job *j = ctx;
    return write_stream(j->rep, j->t, j->f, j->for_people, out, err);
}

int mc_report_write(const mc_report *rep, mc_table t, mc_format f, int for_people, FILE *out,
                    const char *path, mc_error *err)
{
    if (!path)
        return write_stream(rep, t, f, for_people, out, err);
    report_job j = {rep, t, f, for_people};
    return f == MC_FORMAT_XLSX ? mc_fs_write_atomic(path, fill_xlsx, &j, err)
                               : mc_fs_write_stream_atomic(path, write_report, &j, err);
}

typedef struct cases_job {
    mc_cases *c;
    int only;
    mc_format f;
    int for_people;
} cases_job;

static int write_cases_stream(const cases_job *j, FILE *out, mc_error *err)
{
    switch (j->f) {
    case MC_FORMAT_TEXT:
        return mc_write_cases_text(out, j->c, j->only, err);
    case MC_FORMAT_CSV:
        return mc_write_cases_csv(out, j->c, j->only, j->for_people, err);
    case MC_FORMAT_HTML:
        return mc_write_cases_html(out, j->c, j->only, err);
    default:
        return mc_error_set(err, MC_EXIT_USAGE, "the workbook needs a file: use -o FILE.xlsx");
    }
}

static int fill_cases_xlsx(const char *tmp, void *ctx, mc_error *err)
{
    const cases_job *j = ctx;
    return mc_write_cases_xlsx(tmp, j->c, j->only, err);
}

static int write_cases(FILE *out, void *ctx, mc_error *err)
{
    return write_cases_stream(ctx, out, err);
}

int mc_cases_write(mc_cases *c, int only, mc_format f, int for_people, FILE *out,
                   const char *path, mc_error *err)
{
    cases_job j = {c, only, f, for_people};
    /* the text table reads its list twice: from one read of the store */
    int st = f == MC_FORMAT_TEXT ? mc_cases_keep(c, only, err) : 0;
    if (st)
        return st;
    if (!path)
        return write_cases_stream(&j, out, err);
    return f == MC_FORMAT_XLSX ? mc_fs_write_atomic(path, fill_cases_xlsx, &j, err)
                               : mc_fs_write_stream_atomic(path, write_cases, &j, err);
}
