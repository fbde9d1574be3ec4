/*
 * cmd_ingest.c -- `motcua ingest FILE...`: load exports, one summary line
 * per file on standard output, problems on standard error, and a progress
 * bar on a terminal.
 */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/progress.h"
#include "etl/ingest.h"
#include "base/log.h"
#include "cli/runcommon.h"
#include "etl/store.h"

int mc_exit_worst(int a, int b)
{
    static const int rank[] = {MC_EXIT_OK, MC_EXIT_DATA, MC_EXIT_TEMPFAIL, MC_EXIT_USAGE,
                               MC_EXIT_IO, MC_EXIT_SOFTWARE};
    int ra = 0, rb = 0;
    for (int i = 0; i < (int)(sizeof rank / sizeof rank[0]); i++) {
        if (rank[i] == a)
            ra = i;
        if (rank[i] == b)
            rb = i;
    }
    return ra >= rb ? a : b;
}

int mc_cmd_ingest(mc_options *o)
{
    if (o->n_files == 0) {
        mc_log_error("name at least one export to load (see 'motcua ingest --help')");
        return MC_EXIT_USAGE;
    }
    mc_error err;
    mc_error_clear(&err);
    mc_store *s;
    /* quick_check first, as run does: a load touches only some pages, so a
     * damaged store would otherwise often be written to, not refused */
    int checked;
    int st = mc_run_open_store(o->db, &s, &checked, &err);
    if (st) {
        mc_log_error("%s", err.msg);
        return st;
    }
    if (!checked)
        mc_log_verbose(MC_RUN_SKIPPED_CHECK, o->db);
    int worst = 0;
    uint64_t total = 0;
    for (int i = 0; i < o->n_files; i++) {
        struct stat sb;
        if (stat(o->files[i], &sb) == 0)
            total += (uint64_t)sb.st_size;
    }
    mc_progress bar;
    mc_progress_start(&bar, "ingest", isatty(2) && !o->quiet, (size_t)o->n_files, total);
    mc_ingest_opts io = {.progress = mc_progress_ingest, .progress_ctx = &bar};
    mc_options_encoding(o->encoding, &io.encoding); /* checked when parsed */
    for (int i = 0; i < o->n_files; i++) {
        mc_ingest_result r;
        mc_error_clear(&err);
        mc_progress_file(&bar, (size_t)i + 1, o->files[i]);
        st = mc_ingest_file(s, o->files[i], &io, &r, &err);
        mc_progress_file_done(&bar, r.size, st || r.already_loaded ? 0 : r.counts.rows_read);
        mc_progress_clear(&bar);
        if (st) {
            mc_log_error("%s (file refused, nothing of it loaded)", err.msg);
            worst = mc_exit_worst(worst, st);
            continue;
        }
        if (r.already_loaded) {
            if (!o->quiet)
                printf("%s: already loaded as %s; skipped\n", o->files[i], r.loaded_as);
            continue;
        }
        const mc_file_counts *c = &r.counts;
        if (!o->quiet) {
            printf("%s: read %lld, accepted %lld, duplicate %lld, quarantined %lld, conflicts %lld",
                   o->files[i], (long long)c->rows_read, (long long)c->accepted,
                   (long long)c->duplicate, (long long)c->quarantined, (long long)c->conflicts);
            if (r.unknown[0])
                printf("; unknown columns ignored: %s", r.unknown);
            if (r.personal_columns)
                printf("; personal-data columns dropped: %d", r.personal_columns);
            if (r.trailer_rows)
                printf("; signature block of %ld rows left out", r.trailer_rows);
            putchar('\n');
            fflush(stdout);
        }
        if (c->rows_read > 0 &&
            100.0 * (double)c->quarantined / (double)c->rows_read > o->quarantine_threshold) {
            mc_log_error("%s: %lld of %lld rows quarantined, more than the threshold of %g%%; "
                         "see 'motcua report --table rejects'", o->files[i],
                         (long long)c->quarantined, (long long)c->rows_read,
                         o->quarantine_threshold);
            worst = mc_exit_worst(worst, MC_EXIT_DATA);
        }
    }
    fflush(stdout);
    mc_error_clear(&err);
    if (mc_run_close_store(s, worst, &err))
        mc_log_verbose("%s", err.msg);
    return worst;
}
