/*
 * runcommon.c -- see runcommon.h.
 */
#include "etl/runcommon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "etl/outputs.h"
#include "etl/verified.h"
#include "reports/period.h"

int mc_run_check_options(const mc_options *o, unsigned *formats, mc_error *err)
{
    mc_convention conv;
    if (mc_convention_parse(o->convention ? o->convention : "calendar", &conv) != 0)
        return mc_error_set(err, MC_EXIT_USAGE, "--convention must be calendar or cutoff, not "
                            "'%s'", o->convention);
    char why[200];
    if (mc_formats_parse(o->formats ? o->formats : "xlsx,html,csv", formats, why, sizeof why))
        return mc_error_set(err, MC_EXIT_USAGE, "--formats: %s", why);
    return 0;
}

int mc_run_settle_seconds(void)
{
    const char *v = getenv("MOTCUA_SETTLE_SECONDS");
    if (v && *v) {
        char *end;
        long n = strtol(v, &end, 10);
        if (!*end && n >= 0 && n < 86400 * 365)
            return (int)n;
    }
    return 60;
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
    const char *pages = getenv("MOTCUA_MAX_PAGES");
    if (pages && *pages) {
        char *end;
        long n = strtol(pages, &end, 10);
        if (!*end && n > 0) {
            /* PRAGMA takes no bound parameters; n is a checked integer. */
            char sql[64];
            snprintf(sql, sizeof sql, "PRAGMA max_page_count = %ld", n);
            if ((st = mc_store_exec(s, sql, err))) {
                mc_store_close(s);
                return st;
            }
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
