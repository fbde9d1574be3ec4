/*
 * runcommon.c -- see runcommon.h.
 */
#include "base/clock.h"
#include "cli/runcommon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/outputs.h"
#include "etl/verified.h"
#include "reports/period.h"

int mc_run_check_options(const mc_options *o, unsigned *formats, mc_error *err)
{
    mc_convention conv;
    if (mc_convention_parse(o->convention ? o->convention : "calendar", &conv) != 0)
        return mc_error_set(err, MC_EXIT_USAGE, "--convention must be calendar or cutoff, not "
                            "'%s'", o->convention);
    mc_error why;
    if (mc_formats_parse(o->formats ? o->formats : "xlsx,html,csv", formats, &why))
        return mc_error_set(err, MC_EXIT_USAGE, "--formats: %s", why.msg);
    return 0;
}

int mc_run_settle_seconds(void)
{
    long long n;
    return mc_knob_number(MC_KNOB_SETTLE_SECONDS, 0, 86400 * 365 - 1, &n) ? (int)n : 60;
}

static const char recover[] =
    "it was not changed. Keep a copy of it, then restore it from a backup, or rebuild it "
    "from the archived exports with 'motcua rerun --from-archive --period PERIOD'";

int mc_run_open_store(const char *path, mc_store **out, int *checked, mc_error *err)
{
    *out = NULL;
    *checked = 1;
    /* Looked at before the open, which makes an empty WAL of its own.  A
     * stamp that cannot be removed does no harm (verified.h): ignored. */
    int unchanged = mc_verified_matches(path);
    mc_verified_clear(path, NULL);
    mc_store *s;
    int st = mc_store_open(path, MC_STORE_READWRITE, &s, err);
    if (st)
        return st;
    long long pages;
    if (mc_knob_number(MC_KNOB_MAX_PAGES, 1, 0x7fffffff, &pages)) {
        /* PRAGMA takes no bound parameters; pages is a checked integer. */
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", pages);
        if ((st = mc_store_exec(s, sql, err))) {
            mc_store_close(s);
            return st;
        }
    }
    if (unchanged) {
        *checked = 0;
        *out = s;
        return 0;
    }
    sqlite3_stmt *q;
    int rc = sqlite3_prepare_v2(mc_store_db(s), "PRAGMA quick_check", -1, &q, NULL);
    char first[300] = "";
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(q);
        if (rc == SQLITE_ROW) {
            snprintf(first, sizeof first, "%s", (const char *)sqlite3_column_text(q, 0));
            /* one line: quick_check may list several problems in one row */
            for (char *p = first; *p; p++)
                if (*p == '\n' || *p == '\r')
                    *p = p[1] ? ' ' : '\0';
            rc = SQLITE_OK;
        }
        sqlite3_finalize(q);
    }
    if (rc == SQLITE_OK && strcmp(first, "ok") == 0) {
        *out = s;
        return 0;
    }
    if (rc == SQLITE_OK || (rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
        st = mc_error_set(err, MC_EXIT_IO, "%s: the store is damaged (%s); %s", path,
                          first[0] ? first : sqlite3_errstr(rc), recover);
    else
        st = mc_store_fail(s, rc, "checking the store", err);
    mc_store_close(s);
    return st;
}

int mc_run_close_store(mc_store *s, int status, mc_error *err)
{
    if (!s)
        return mc_error_set(err, 1, "no store to close");
    char path[4096];
    int fits = snprintf(path, sizeof path, "%s", mc_store_path(s)) < (int)sizeof path;
    mc_store_close(s);
    if (status != MC_EXIT_OK && status != MC_EXIT_DATA)
        return mc_error_set(err, 1, "%s: no stamp written after status %d; the next run "
                            "checks the whole store", path, status);
    if (!fits)
        return mc_error_set(err, 1, "%s: path too long for a stamp", path);
    return mc_verified_write(path, err);
}

int mc_cli_report_inputs(const mc_options *o, mc_report_inputs *in, mc_error *err)
{
    char bundled_units[1024], bundled_targets[1024];
    const char *units = o->units, *targets = o->targets;
    if (!units)
        units = mc_options_bundled(o->argv0, "units.csv", bundled_units, sizeof bundled_units)
                    ? bundled_units
                    : "";
    if (!targets)
        targets = mc_options_bundled(o->argv0, "targets.csv", bundled_targets,
                                     sizeof bundled_targets)
                      ? bundled_targets
                      : "";
    return mc_report_inputs_load(units, targets, o->convention, in, err);
}
