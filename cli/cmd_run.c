/*
 * cmd_run.c -- `motcua run`, the nightly job (SPEC 7 and 8).
 *
 * Lock, load every settled export of the inbox in name order, move each to
 * the archive or the quarantine, check that exports still arrive, refresh
 * the reports of the open periods, and end with one summary line.
 *
 * Crash safety rests on one order: a file is committed to the store before
 * it is moved.  A run killed between the two leaves a loaded file in the
 * inbox; the next run finds its SHA-256 in the ledger and only archives it.
 * A run killed during the load leaves nothing of the file in the store (one
 * transaction) and the file in the inbox.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/fs.h"
#include "base/clock.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/progress.h"
#include "etl/inbox.h"
#include "etl/ingest.h"
#include "etl/lock.h"
#include "base/log.h"
#include "reports/outputs.h"
#include "cli/runcommon.h"
#include "reports/build.h"
#include "reports/period.h"
#include "transforms/dates.h"

#define MAX_PERIODS 4

typedef struct totals {
    long exports, loaded, already, refused, left;
    int64_t rows, accepted, duplicate, quarantined;
} totals;

typedef mc_progress bar;
#define bar_clear mc_progress_clear

/* A line that a person at a terminal wants, but cron does not. */
#define CHATTY(b, ...)                                                                     \
    do {                                                                                   \
        bar_clear(b);                                                                      \
        if ((b)->on)                                                                       \
            mc_log_info(__VA_ARGS__);                                                      \
        else                                                                               \
            mc_log_verbose(__VA_ARGS__);                                                   \
    } while (0)

/* The periods the nightly run keeps fresh: this month and the last one,
 * and the quarters they fall in (two quarters in a quarter's first month,
 * when last month's quarter may still change through late exports). */
static size_t open_periods(int64_t today, mc_convention conv, mc_period *p)
{
    size_t n = 0;
    mc_period cur, prev, q;
    if (mc_period_current(today, 'M', conv, &cur) != 0)
        return 0;
    p[n++] = cur;
    if (mc_period_previous(&cur, conv, &prev) == 0)
        p[n++] = prev;
    if (mc_period_current(today, 'Q', conv, &q) == 0)
        p[n++] = q;
    if (n == 3 && mc_period_current(prev.end, 'Q', conv, &q) == 0 &&
        strcmp(q.canon, p[2].canon) != 0)
        p[n++] = q;
    return n;
}

static void archive_dir(const char *archive, char *buf, size_t cap)
{
    int y;
    unsigned m, d;
    mc_civil_from_days(mc_period_today(), &y, &m, &d);
    snprintf(buf, cap, "%s/%04d/%02u", archive, y, m);
}

/* Load one settled export and move it where it belongs.  Returns the exit
 * status it contributes; *stop is set when the run must not go on (the
 * store or the disk is in trouble). */
static int one_export(mc_store *s, const mc_options *o, const mc_entry *e, bar *b, totals *t,
                      int *stop)
{
    char path[4096], dest[4096], final[4200];
    mc_error err;
    mc_error_clear(&err);
    snprintf(path, sizeof path, "%s/%s", o->inbox, e->name);
    t->exports++;

    int fd = mc_inbox_open(o->inbox, e, &err);
    if (fd < 0) {
        bar_clear(b);
        mc_log_error("%s", err.msg);
        t->left++;
        return -fd;
    }
    mc_ingest_result r;
    mc_ingest_opts io = {.progress = mc_progress_ingest, .progress_ctx = b};
    mc_options_encoding(o->encoding, &io.encoding); /* checked when parsed */
    int st = mc_ingest_file(s, path, &io, &r, &err);
    mc_progress_file_done(b, (uint64_t)e->size, st || r.already_loaded ? 0 : r.counts.rows_read);
    close(fd);
    if (!mc_inbox_unchanged(o->inbox, e)) {
        bar_clear(b);
        mc_log_error("%s: was replaced while it was being loaded; left in the inbox for the "
                     "next run", path);
        t->left++;
        return MC_EXIT_DATA;
    }

    if (st == MC_EXIT_DATA) {
        /* The reason file holds one line, whatever the file's name holds. */
        char reason[4 * sizeof err.msg + 1];
        mc_fs_escape_controls(err.msg, reason, sizeof reason);
        snprintf(dest, sizeof dest, "%s", o->quarantine);
        int mst = mc_move_unique(o->inbox, e->name, dest, ".reason.txt", final, sizeof final,
                                 &err);
        bar_clear(b);
        if (mst) {
            mc_log_error("%s (file refused, nothing of it loaded); %s", reason, err.msg);
            t->left++;
            return mc_exit_worst(MC_EXIT_DATA, mst);
        }
        t->refused++;
        char side[4300];
        snprintf(side, sizeof side, "%s.reason.txt", final);
        mst = mc_fs_write_new(side, reason, &err);
        mc_log_error("%s (file refused, nothing of it loaded); moved to %s", reason, final);
        if (mst) {
            mc_log_error("%s", err.msg);
            return mc_exit_worst(MC_EXIT_DATA, mst);
        }
        return MC_EXIT_DATA;
    }
    if (st) {
        /* The store or the disk failed, not the file: it stays for the
         * next run, and nothing of it was kept. */
        bar_clear(b);
        mc_log_error("%s; %s was left in the inbox", err.msg, e->name);
        t->left++;
        if (st == MC_EXIT_IO || st == MC_EXIT_TEMPFAIL)
            *stop = 1;
        return st;
    }

    int result = 0;
    if (r.already_loaded) {
        t->already++;
        CHATTY(b, "%s: already loaded as %s; archived", path, r.loaded_as);
    } else {
        const mc_file_counts *c = &r.counts;
        t->loaded++;
        t->rows += c->rows_read;
        t->accepted += c->accepted;
        t->duplicate += c->duplicate;
        t->quarantined += c->quarantined;
        CHATTY(b, "%s: read %lld, accepted %lld, duplicate %lld, quarantined %lld, "
                  "conflicts %lld%s%s", path, (long long)c->rows_read, (long long)c->accepted,
               (long long)c->duplicate, (long long)c->quarantined, (long long)c->conflicts,
               r.unknown[0] ? "; unknown columns ignored: " : "", r.unknown);
        if (c->rows_read > 0 &&
            100.0 * (double)c->quarantined / (double)c->rows_read > o->quarantine_threshold) {
            bar_clear(b);
            mc_log_error("%s: %lld of %lld rows quarantined, more than the threshold of %g%%; "
                         "the rest was loaded; see 'motcua report --table rejects'", path,
                         (long long)c->quarantined, (long long)c->rows_read,
                         o->quarantine_threshold);
            result = MC_EXIT_DATA;
        }
    }
    archive_dir(o->archive, dest, sizeof dest);
    int mst = mc_move_unique(o->inbox, e->name, dest, NULL, final, sizeof final, &err);
    if (mst) {
        bar_clear(b);
        mc_log_error("%s (it is loaded; the next run archives it)", err.msg);
        t->left++;
        return mc_exit_worst(result, mst);
    }
    return result;
}

/* SPEC 8 freshness: a missing nightly export must not pass as a quiet day. */
static int freshness(const mc_options *o, const mc_entry *v, size_t n)
{
    if (o->max_export_age_days <= 0)
        return 0;
    time_t newest = 0;
    for (size_t i = 0; i < n; i++)
        if ((v[i].kind == MC_ENTRY_EXPORT || v[i].kind == MC_ENTRY_UNSETTLED) &&
            v[i].mtime > newest)
            newest = v[i].mtime;
    char **paths;
    size_t np;
    time_t archived = 0;
    mc_error err;
    mc_error_clear(&err);
    if (mc_walk_files(o->archive, &paths, &np, &archived, &err) == 0)
        mc_paths_free(paths, np);
    else
        mc_log_error("%s", err.msg);
    if (archived > newest)
        newest = archived;
    if (newest == 0) {
        mc_log_error("no export found in %s or %s: check that the nightly export arrives",
                     o->inbox, o->archive);
        return MC_EXIT_DATA;
    }
    /* File times are real times, so the real clock judges them. */
    double age = difftime(time(NULL), newest) / 86400.0;
    if (age > o->max_export_age_days) {
        char when[32];
        time_t local = newest + MC_CLOCK_UTC_OFFSET;
        struct tm tm;
        gmtime_r(&local, &tm);
        strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
        mc_log_error("the newest export is %.1f days old (%s, UTC+7), more than "
                     "max_export_age_days = %g: check that the nightly export still arrives "
                     "in %s", age, when, o->max_export_age_days, o->inbox);
        return MC_EXIT_DATA;
    }
    return 0;
}

int mc_cmd_run(mc_options *o)
{
    double t0 = mc_clock_seconds();
    mc_error err;
    mc_error_clear(&err);
    unsigned formats;
    int st = mc_run_check_options(o, &formats, &err);
    if (st) {
        mc_log_error("%s", err.msg);
        return st;
    }
    mc_lock *lock;
    if ((st = mc_lock_acquire(o->db, &lock, &err))) {
        mc_log_error("%s", err.msg);
        return st;
    }
    mc_store *s;
    int checked;
    if ((st = mc_run_open_store(o->db, &s, &checked, &err))) {
        mc_log_error("%s; no export was loaded or moved", err.msg);
        mc_lock_release(lock);
        return st;
    }
    if (!checked)
        mc_log_verbose(MC_RUN_SKIPPED_CHECK, o->db);
    /* The registry and targets are read first, but a broken one does not
     * stop the exports from being loaded: only the reports wait for it. */
    mc_report_inputs in;
    mc_error in_err;
    mc_error_clear(&in_err);
    int in_st = mc_cli_report_inputs(o, &in, &in_err);

    int worst = 0, stop = 0;
    totals t;
    memset(&t, 0, sizeof t);
    bar b;
    mc_entry *v = NULL;
    size_t n = 0;
    st = mc_inbox_scan(o->inbox, mc_run_settle_seconds(), time(NULL), &v, &n, &err);
    int scanned = !st;
    if (st) {
        mc_log_error("%s (set 'inbox' in the config file, or create the folder)", err.msg);
        worst = st;
        stop = 1;
    }
    size_t pending = 0, done = 0;
    uint64_t pending_bytes = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i].kind == MC_ENTRY_EXPORT) {
            pending++;
            pending_bytes += (uint64_t)v[i].size;
        }
    mc_progress_start(&b, "run", isatty(2) && !o->quiet, pending, pending_bytes);
    for (size_t i = 0; i < n && !stop; i++) {
        const mc_entry *e = &v[i];
        switch (e->kind) {
        case MC_ENTRY_EXPORT:
            mc_progress_file(&b, done + 1, e->name);
            worst = mc_exit_worst(worst, one_export(s, o, e, &b, &t, &stop));
            done++;
            break;
        case MC_ENTRY_UNSETTLED:
        case MC_ENTRY_PARTIAL:
            t.left++;
            CHATTY(&b, "%s/%s: still being written; left for the next run", o->inbox, e->name);
            break;
        case MC_ENTRY_FOLDER:
            bar_clear(&b);
            mc_log_info("%s/%s: a folder; ignored", o->inbox, e->name);
            break;
        case MC_ENTRY_OTHER:
            bar_clear(&b);
            mc_log_info("%s/%s: not a regular file; ignored", o->inbox, e->name);
            break;
        case MC_ENTRY_SYMLINK:
            bar_clear(&b);
            mc_log_error("%s/%s: a symbolic link; not followed, left in the inbox (copy the "
                         "export itself into the inbox)", o->inbox, e->name);
            t.left++;
            worst = mc_exit_worst(worst, MC_EXIT_DATA);
            break;
        }
    }
    bar_clear(&b);
    if (scanned)
        worst = mc_exit_worst(worst, freshness(o, v, n));

    char refreshed[MAX_PERIODS * 70] = "";
    if (stop) {
        mc_log_error("reports not refreshed: the run stopped early");
    } else if (in_st) {
        mc_log_error("%s; reports not refreshed", in_err.msg);
        worst = mc_exit_worst(worst, in_st);
    } else {
        mc_period p[MAX_PERIODS];
        mc_report reps[MAX_PERIODS];
        size_t np = open_periods(mc_period_today(), in.convention, p);
        /* every open period from one read of the store */
        mc_error_clear(&err);
        mc_progress_step(&b, 0, (double)np + 1, "reports");
        st = mc_report_build_many(s, &in, p, np, formats != 0, reps, &err);
        bar_clear(&b);
        if (st) {
            mc_log_error("%s; reports not refreshed", err.msg);
            worst = mc_exit_worst(worst, st);
            np = 0;
        }
        /* and their late cases, from one more */
        mc_cases *late[MAX_PERIODS] = {NULL};
        if (np && formats && (st = mc_outputs_late(s, &in, reps, np, late, &err))) {
            mc_log_error("%s; reports not refreshed", err.msg);
            worst = mc_exit_worst(worst, st);
            for (size_t i = 0; i < np; i++)
                mc_report_free(&reps[i]);
            np = 0;
        }
        int io_failed = 0; /* the disk is in trouble: write no more */
        for (size_t i = 0; i < np; i++) {
            if (!io_failed) {
                mc_error_clear(&err);
                char what[100];
                snprintf(what, sizeof what, "report %.63s", reps[i].period);
                mc_progress_step(&b, (double)i + 1, (double)np + 1, what);
                st = mc_outputs_publish(s, &in, &reps[i], late[i], o->output, formats, &err);
                bar_clear(&b);
                if (st) {
                    mc_log_error("%s; report %s not refreshed", err.msg, reps[i].period);
                    worst = mc_exit_worst(worst, st);
                    io_failed = st == MC_EXIT_IO;
                } else {
                    size_t len = strlen(refreshed);
                    snprintf(refreshed + len, sizeof refreshed - len, "%s%.63s",
                             len ? " " : "", reps[i].period);
                }
            }
            mc_report_free(&reps[i]);
            mc_cases_close(late[i]);
        }
    }
    if (!in_st)
        mc_report_inputs_free(&in);
    mc_inbox_free(v, n);
    mc_error_clear(&err);
    if (mc_run_close_store(s, worst, &err))
        mc_log_verbose("%s", err.msg);
    mc_lock_release(lock);

    if (!o->quiet) {
        printf("motcua run: %ld file%s: %ld loaded, %ld already loaded, %ld refused; "
               "%ld left in the inbox; rows: %lld read, %lld accepted, %lld duplicate, "
               "%lld quarantined; reports: %s; %.1f s",
               t.exports, t.exports == 1 ? "" : "s", t.loaded, t.already, t.refused, t.left,
               (long long)t.rows, (long long)t.accepted, (long long)t.duplicate,
               (long long)t.quarantined, refreshed[0] ? refreshed : "none",
               mc_clock_seconds() - t0);
        if (worst)
            printf("; needs attention (status %d)", worst);
        putchar('\n');
        if (fflush(stdout) != 0)
            worst = mc_exit_worst(worst, MC_EXIT_IO);
    }
    return worst;
}
