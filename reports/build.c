/*
 * build.c -- options to a written report; see build.h.
 */
#include "reports/build.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reports/figures.h"
#include "transforms/dates.h"

int mc_report_inputs_load(const mc_options *o, mc_report_inputs *in, mc_error *err)
{
    memset(in, 0, sizeof *in);
    if (mc_convention_parse(o->convention ? o->convention : "calendar", &in->convention) != 0)
        return mc_error_set(err, MC_EXIT_USAGE, "--convention must be calendar or cutoff, not '%s'",
                            o->convention);
    if (o->units && *o->units)
        snprintf(in->units_path, sizeof in->units_path, "%s", o->units);
    else if (!o->units &&
             !mc_options_bundled(o->argv0, "units.csv", in->units_path, sizeof in->units_path))
        in->units_path[0] = '\0';
    if (o->targets && *o->targets)
        snprintf(in->targets_path, sizeof in->targets_path, "%s", o->targets);
    else if (!o->targets &&
             !mc_options_bundled(o->argv0, "targets.csv", in->targets_path,
                                 sizeof in->targets_path))
        in->targets_path[0] = '\0';

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

int mc_report_build(mc_store *s, const mc_report_inputs *in, const char *period_text,
                    const char *as_of_text, mc_report *rep, mc_error *err)
{
    mc_figures_opts fo = {.units = in->units, .targets = &in->targets,
                          .convention = in->convention};
    int st = mc_period_parse(period_text, in->convention, &fo.period, err);
    if (st)
        return st;
    if (as_of_text) {
        if (mc_day_parse(as_of_text, &fo.as_of) != 0)
            return mc_error_set(err, MC_EXIT_USAGE, "--as-of must be a date YYYY-MM-DD, not '%s'",
                                as_of_text);
    } else {
        fo.as_of = mc_period_as_of(&fo.period, mc_day_today());
    }
    return mc_figures_compute(s, &fo, rep, err);
}

int mc_format_parse(const char *s, mc_format *f)
{
    static const char *const names[] = {"text", "csv", "xlsx", "html"};
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0) {
            *f = (mc_format)i;
            return 0;
        }
    return -1;
}

const char *mc_format_ext(mc_format f)
{
    static const char *const ext[] = {"txt", "csv", "xlsx", "html"};
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
        return mc_write_html(out, rep, err);
    default:
        return mc_error_set(err, MC_EXIT_USAGE, "the workbook needs a file: use -o FILE.xlsx");
    }
}

int mc_report_write(const mc_report *rep, mc_table t, mc_format f, int for_people, FILE *out,
                    const char *path, mc_error *err)
{
    if (!path)
        return write_stream(rep, t, f, for_people, out, err);
    size_t n = strlen(path) + 32;
    char *tmp = malloc(n);
    if (!tmp)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory");
    /* A hidden name in the same folder, so the rename is atomic. */
    const char *slash = strrchr(path, '/');
    if (slash)
        snprintf(tmp, n, "%.*s/.%s.%ld.tmp", (int)(slash - path), path, slash + 1, (long)getpid());
    else
        snprintf(tmp, n, ".%s.%ld.tmp", path, (long)getpid());
    int st;
    if (f == MC_FORMAT_XLSX) {
        st = mc_write_xlsx(tmp, rep, err);
        size_t tl = strlen(tmp);
        if (st && err && strncmp(err->msg, tmp, tl) == 0) {
            /* name the file that was asked for, not the hidden temporary one */
            char rest[sizeof err->msg];
            snprintf(rest, sizeof rest, "%s", err->msg + tl);
            mc_error_set(err, st, "%s%s", path, rest);
        }
    } else {
        FILE *fp = fopen(tmp, "w");
        if (!fp) {
            st = mc_error_set(err, MC_EXIT_IO, "%s: cannot write: %s", path, strerror(errno));
            free(tmp);
            return st;
        }
        st = write_stream(rep, t, f, for_people, fp, err);
        if (fflush(fp) != 0 || fsync(fileno(fp)) != 0) {
            if (!st)
                st = mc_error_set(err, MC_EXIT_IO, "%s: cannot write: %s", path, strerror(errno));
        }
        if (fclose(fp) != 0 && !st)
            st = mc_error_set(err, MC_EXIT_IO, "%s: cannot write: %s", path, strerror(errno));
    }
    if (!st && rename(tmp, path) != 0)
        st = mc_error_set(err, MC_EXIT_IO, "%s: cannot write: %s", path, strerror(errno));
    if (st)
        unlink(tmp);
    free(tmp);
    return st;
}
