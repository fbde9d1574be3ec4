/*
 * build.c -- options to a written report; see build.h.
 */
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

int mc_report_inputs_load(const mc_options *o, mc_report_inputs *in, mc_error *err)
{
    memset(in, 0, sizeof *in);
    in->groups = MC_GROUPS_FIELD | MC_GROUPS_PROCEDURE;
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

/* What the figures need for period under in, as of SPEC 4's default. */
static mc_figures_opts figures_opts(const mc_report_inputs *in, const mc_period *period)
{
    return (mc_figures_opts){.units = in->units, .targets = &in->targets,
                             .convention = in->convention, .period = *period,
                             .as_of = mc_period_as_of(period, mc_day_today()),
                             .groups = in->groups};
}

int mc_report_build(mc_store *s, const mc_report_inputs *in, const char *period_text,
                    const char *as_of_text, mc_report *rep, mc_error *err)
{
    mc_period period;
    int st = mc_period_parse(period_text, in->convention, &period, err);
    if (st)
        return st;
    mc_figures_opts fo = figures_opts(in, &period);
    if (as_of_text && mc_day_parse(as_of_text, &fo.as_of) != 0)
        return mc_error_set(err, MC_EXIT_USAGE, "--as-of must be a date YYYY-MM-DD, not '%s'",
                            as_of_text);
    return mc_figures_compute(s, &fo, rep, err);
}

int mc_report_build_many(mc_store *s, const mc_report_inputs *in, const mc_period *periods,
                         size_t n, mc_report *reps, mc_error *err)
{
    mc_figures_opts *fo = calloc(n ? n : 1, sizeof *fo);
    if (!fo)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory");
    for (size_t k = 0; k < n; k++)
        fo[k] = figures_opts(in, &periods[k]);
    int st = mc_figures_compute_many(s, fo, n, reps, err);
    free(fo);
    return st;
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
        return mc_write_html(out, rep, t, err);
    default:
        return mc_error_set(err, MC_EXIT_USAGE, "the workbook needs a file: use -o FILE.xlsx");
    }
}

/* Remove ".NAME.PID.tmp" beside path whose PID is no longer running: what a
 * writer killed half-way left.  A live writer's temporary is left alone. */
static void remove_stale_temps(const char *path)
{
    const char *slash = strrchr(path, '/');
    char dir[4096] = ".";
    if (slash) /* "/x" lives in "/" */
        snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
    const char *base = slash ? slash + 1 : path;
    size_t nb = strlen(base);
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *n = e->d_name;
        size_t len = strlen(n);
        /* "." base "." digits ".tmp" */
        if (len < nb + 7 || n[0] != '.' || strncmp(n + 1, base, nb) != 0 || n[nb + 1] != '.' ||
            strcmp(n + len - 4, ".tmp") != 0)
            continue;
        const char *digits = n + nb + 2, *end = n + len - 4;
        long pid = 0;
        int ok = digits < end;
        for (const char *c = digits; ok && c < end; c++) {
            ok = *c >= '0' && *c <= '9' && pid < 100000000;
            pid = pid * 10 + (*c - '0');
        }
        if (ok && pid > 0 && pid != (long)getpid() && kill((pid_t)pid, 0) != 0 && errno == ESRCH)
            unlinkat(dirfd(d), n, 0);
    }
    closedir(d);
}

static int sync_file(const char *p)
{
    int fd = open(p, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

int mc_write_file_atomic(const char *path, int (*fill)(const char *tmp, void *ctx, mc_error *err),
                         void *ctx, mc_error *err)
{
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
    remove_stale_temps(path);
    int st = fill(tmp, ctx, err);
    size_t tl = strlen(tmp);
    if (st && err && strncmp(err->msg, tmp, tl) == 0) {
        /* name the file that was asked for, not the hidden temporary one */
        char rest[sizeof err->msg];
        snprintf(rest, sizeof rest, "%s", err->msg + tl);
        mc_error_set(err, st, "%s%s", path, rest);
    }
    /* synced before the rename: after a power cut the name holds the whole
     * new file or the old one */
    if (!st && sync_file(tmp) != 0)
        st = mc_error_set(err, MC_EXIT_IO, "%s: cannot write: %s", path, strerror(errno));
    if (!st && rename(tmp, path) != 0)
        st = mc_error_set(err, MC_EXIT_IO, "%s: cannot write: %s", path, strerror(errno));
    if (st)
        unlink(tmp);
    free(tmp);
    return st;
}

typedef struct stream_job {
    int (*write)(FILE *out, void *ctx, mc_error *err);
    void *ctx;
} stream_job;

static int fill_stream(const char *tmp, void *ctx, mc_error *err)
{
    const stream_job *j = ctx;
    FILE *fp = fopen(tmp, "w");
    if (!fp)
        return mc_error_set(err, MC_EXIT_IO, "%s: cannot write: %s", tmp, strerror(errno));
    int st = j->write(fp, j->ctx, err);
    if (fflush(fp) != 0 && !st)
        st = mc_error_set(err, MC_EXIT_IO, "%s: cannot write: %s", tmp, strerror(errno));
    if (fclose(fp) != 0 && !st)
        st = mc_error_set(err, MC_EXIT_IO, "%s: cannot write: %s", tmp, strerror(errno));
    return st;
}

int mc_write_stream_atomic(const char *path, int (*write)(FILE *out, void *ctx, mc_error *err),
                           void *ctx, mc_error *err)
{
    stream_job j = {write, ctx};
    return mc_write_file_atomic(path, fill_stream, &j, err);
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
    return f == MC_FORMAT_XLSX ? mc_write_file_atomic(path, fill_xlsx, &j, err)
                               : mc_write_stream_atomic(path, write_report, &j, err);
}
