/*
 * cmd_rerun.c -- `motcua rerun --period P [--from-archive]` (SPEC 7).
 *
 * Without --from-archive: recompute P from the store and rewrite its stored
 * rows and report files, through the very function the nightly run uses,
 * so the result is what a clean run gives.
 *
 * With --from-archive: first rebuild the store from the archived exports,
 * in the order they were first loaded (the old store's ledger, when it can
 * still be read; else archive path order), into DB.new beside the old one.
 * The old store is kept as DB.bak and DB.new is renamed over DB, so at every
 * moment DB is either the whole old store or the whole new one.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/clock.h"
#include "cli/commands.h"
#include "base/fs.h"
#include "base/hash.h"
#include "etl/inbox.h"
#include "etl/ingest.h"
#include "etl/lock.h"
#include "base/log.h"
#include "reports/outputs.h"
#include "cli/runcommon.h"
#include "etl/verified.h"
#include "reports/build.h"

typedef struct afile {
    char *rel;            /* path under the archive */
    char sha[65];
    long order;           /* ledger id in the old store, LONG_MAX when absent */
    const char *name;     /* the name it was loaded under (ledger), or its own */
} afile;

typedef struct ledger_row {
    long id;
    char sha[65];
    char *name;
    int found;            /* an archived file has this SHA-256 */
} ledger_row;

typedef struct old_store {
    ledger_row *ledger;
    size_t n_ledger;
    mc_stored_report *stored;
    size_t n_stored;
    int readable;
} old_store;

static int by_order(const void *a, const void *b)
{
    const afile *x = a, *y = b;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return strcmp(x->rel, y->rel);
}

static int by_sha(const void *a, const void *b)
{
    return strcmp(((const ledger_row *)a)->sha, ((const ledger_row *)b)->sha);
}

static void old_free(old_store *o)
{
    for (size_t i = 0; i < o->n_ledger; i++)
        free(o->ledger[i].name);
    free(o->ledger);
    free(o->stored);
}

/* What the old store can still tell: its ledger, in load order, and the
 * reports it had stored.  Nothing when it is missing or unreadable. */
static void read_old(const char *db, old_store *old)
{
    memset(old, 0, sizeof *old);
    struct stat sb;
    if (stat(db, &sb) != 0)
        return;
    mc_store *s;
    mc_error err;
    mc_error_clear(&err);
    if (mc_store_open(db, MC_STORE_LEDGER, &s, &err) != 0) {
        mc_log_error("%s; the archive is loaded in path order instead", err.msg);
        return;
    }
    sqlite3_stmt *q;
    int rc = sqlite3_prepare_v2(mc_store_db(s), "SELECT id, sha256, name FROM files ORDER BY id",
                                -1, &q, NULL);
    if (rc == SQLITE_OK) {
        size_t cap = 0;
        while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
            if (old->n_ledger == cap) {
                cap = cap ? 2 * cap : 64;
                ledger_row *r = realloc(old->ledger, cap * sizeof *r);
                if (!r)
                    break;
                old->ledger = r;
            }
            ledger_row *r = &old->ledger[old->n_ledger];
            r->id = (long)sqlite3_column_int64(q, 0);
            snprintf(r->sha, sizeof r->sha, "%s", (const char *)sqlite3_column_text(q, 1));
            r->name = strdup((const char *)sqlite3_column_text(q, 2));
            r->found = 0;
            if (r->name)
                old->n_ledger++;
        }
        sqlite3_finalize(q);
    }
    if (rc != SQLITE_DONE)
        mc_log_error("%s: the ledger could not be read to the end (%s); the files it did not "
                     "list are loaded in path order", db, sqlite3_errstr(rc));
    else
        old->readable = 1;
    if (mc_outputs_stored(s, &old->stored, &old->n_stored, &err) != 0)
        mc_log_error("%s", err.msg);
    mc_store_close(s);
}

/* A store and what SQLite and motcua keep beside it, stamp included: a
 * stale DB.bak.verified or DB.new.verified must never outlive its store. */
static void remove_db_files(const char *db)
{
    static const char *const ext[] = {"", "-wal", "-shm", "-journal", MC_VERIFIED_SUFFIX};
    char p[4200];
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        snprintf(p, sizeof p, "%s%s", db, ext[i]);
        unlink(p);
    }
}

/* Our staging folder holds nothing but our own symbolic links; one left by
 * a rebuild that died is removed. */
static void remove_stage(const char *stage)
{
    struct stat sb;
    if (lstat(stage, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return;
    DIR *d = opendir(stage);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)))
            if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
                unlinkat(dirfd(d), e->d_name, 0);
        closedir(d);
    }
    rmdir(stage);
}

/* Put the store at newdb in place of db, keeping db as bak. */
static int swap_in(const char *db, const char *newdb, const char *bak, mc_error *err)
{
    char a[4300], b[4300], dir[4300];
    if (mc_fs_exists(db)) {
        /* The old store's stamp goes first: the old store is written to
         * below and then becomes DB.bak.  One that cannot be removed cannot
         * match the new store either (another inode): ignored. */
        mc_verified_clear(db, NULL);
        /* Fold the old store's WAL into it, so DB.bak is one whole file and
         * no old WAL can ever be applied to the new store. */
        mc_store *s;
        mc_error ignored;
        if (mc_store_open(db, MC_STORE_READWRITE, &s, &ignored) == 0) {
            mc_store_exec(s, "PRAGMA wal_checkpoint(TRUNCATE)", &ignored);
            mc_store_close(s);
        }
        remove_db_files(bak);
        /* A hard link keeps DB in place until the rename replaces it. */
        if (link(db, bak) != 0 && rename(db, bak) != 0)
            return mc_error_set(err, MC_EXIT_IO, "%s: cannot keep the old store as %s: %s", db,
                                bak, strerror(errno));
        snprintf(a, sizeof a, "%s-wal", db);
        snprintf(b, sizeof b, "%s-wal", bak);
        if (mc_fs_exists(a) && rename(a, b) != 0)
            return mc_error_set(err, MC_EXIT_IO, "%s: cannot move it beside %s: %s", a, bak,
                                strerror(errno));
        snprintf(a, sizeof a, "%s-shm", db);
        unlink(a);
    }
    if (rename(newdb, db) != 0)
        return mc_error_set(err, MC_EXIT_IO, "%s: cannot rename the rebuilt store to %s: %s "
                            "(the old store is %s)", newdb, db, strerror(errno), bak);
    mc_fs_dirname(db, dir, sizeof dir);
    mc_fs_sync_dir(dir);
    return 0;
}

typedef struct rebuild_totals {
    long files, loaded, already, refused;
    int64_t rows;
    int had_old;          /* there was an old store, now kept as DB.bak */
} rebuild_totals;

/* Load the archive into a new store and put it in place of the old one.
 * Returns the worst status; *fatal is set when the old store was kept. */
static int rebuild(const mc_options *o, const mc_report_inputs *in, const char *period,
                   rebuild_totals *t, int *fatal)
{
    mc_error err;
    mc_error_clear(&err);
    int worst = 0, st;
    char newdb[4200], bak[4200], stage[4200];
    snprintf(newdb, sizeof newdb, "%s.new", o->db);
    snprintf(bak, sizeof bak, "%s.bak", o->db);
    snprintf(stage, sizeof stage, "%s.rebuild", o->db);
    remove_db_files(newdb);
    remove_stage(stage);
    *fatal = 1;

    char **paths;
    size_t np;
    if ((st = mc_walk_files(o->archive, &paths, &np, NULL, &err))) {
        mc_log_error("%s", err.msg);
        return st;
    }
    if (np == 0) {
        mc_log_error("%s: no archived export to rebuild the store from; the store was not "
                     "changed", o->archive);
        return MC_EXIT_DATA;
    }
    old_store old;
    int old_exists = mc_fs_exists(o->db);
    read_old(o->db, &old);
    if (old.n_ledger)
        qsort(old.ledger, old.n_ledger, sizeof *old.ledger, by_sha);

    afile *files = calloc(np, sizeof *files);
    if (!files) {
        mc_paths_free(paths, np);
        old_free(&old);
        mc_log_error("out of memory");
        return MC_EXIT_SOFTWARE;
    }
    char path[8200];
    for (size_t i = 0; i < np; i++) {
        afile *f = &files[i];
        f->rel = paths[i];
        snprintf(path, sizeof path, "%s/%s", o->archive, f->rel);
        if ((st = mc_sha256_file(path, f->sha, NULL, &err))) {
            mc_log_error("%s; the store was not changed", err.msg);
            worst = st;
            goto out;
        }
        ledger_row key, *hit = NULL;
        snprintf(key.sha, sizeof key.sha, "%s", f->sha);
        if (old.n_ledger)
            hit = bsearch(&key, old.ledger, old.n_ledger, sizeof *old.ledger, by_sha);
        const char *slash = strrchr(f->rel, '/');
        f->name = slash ? slash + 1 : f->rel;
        f->order = LONG_MAX;
        if (hit) {
            f->order = hit->id;
            f->name = hit->name;
            hit->found = 1;
        }
    }
    qsort(files, np, sizeof *files, by_order);
    long missing = 0;
    for (size_t i = 0; i < old.n_ledger; i++)
        if (!old.ledger[i].found) {
            if (missing++ < 5)
                mc_log_error("%s (loaded into the old store) is not in %s: the rebuilt store "
                             "lacks it", old.ledger[i].name, o->archive);
        }
    if (missing > 5)
        mc_log_error("... and %ld more files of the old store are not in the archive",
                     missing - 5);
    if (missing)
        worst = MC_EXIT_DATA;

    if (mkdir(stage, 0700) != 0) {
        mc_log_error("%s: cannot create the folder: %s", stage, strerror(errno));
        worst = MC_EXIT_IO;
        goto out;
    }
    mc_store *ns;
    if ((st = mc_store_open(newdb, MC_STORE_READWRITE, &ns, &err))) {
        mc_log_error("%s", err.msg);
        worst = st;
        goto out;
    }
    for (size_t i = 0; i < np; i++) {
        afile *f = &files[i];
        /* The ledger keeps a file's own name; an archived copy may carry a
         * ".1" suffix, so the file is loaded through a link of that name. */
        char real[PATH_MAX], link_path[8600];
        snprintf(path, sizeof path, "%s/%s", o->archive, f->rel);
        if (!realpath(path, real)) {
            mc_log_error("%s: %s", path, strerror(errno));
            worst = MC_EXIT_IO;
            break;
        }
        snprintf(link_path, sizeof link_path, "%s/%s", stage,
                 strchr(f->name, '/') || f->name[0] == '.' ? "export" : f->name);
        unlink(link_path);
        if (symlink(real, link_path) != 0) {
            mc_log_error("%s: cannot create: %s", link_path, strerror(errno));
            worst = MC_EXIT_IO;
            break;
        }
        mc_ingest_result r;
        mc_error_clear(&err);
        /* the encoding the nightly run converts with (config key): an
         * archived cp1258 export was loaded with it */
        mc_ingest_opts io = {.chunk_size = 0};
        mc_options_encoding(o->encoding, &io.encoding); /* checked when parsed */
        st = mc_ingest_file(ns, link_path, &io, &r, &err);
        unlink(link_path);
        t->files++;
        if (st == MC_EXIT_DATA) {
            t->refused++;
            mc_log_error("%s: refused now (%s)", path, err.msg);
            worst = mc_exit_worst(worst, st);
            continue;
        }
        if (st) {
            mc_log_error("%s", err.msg);
            worst = st;
            break;
        }
        if (r.already_loaded) {
            t->already++;
            mc_log_verbose("%s: already loaded as %s", path, r.loaded_as);
        } else {
            t->loaded++;
            t->rows += r.counts.rows_read;
            mc_log_verbose("%s: read %lld, accepted %lld, duplicate %lld, quarantined %lld",
                           path, (long long)r.counts.rows_read, (long long)r.counts.accepted,
                           (long long)r.counts.duplicate, (long long)r.counts.quarantined);
        }
    }
    /* The reports the old store had stored are stored again, recomputed,
     * so `check` still finds them (P itself is refreshed by the caller). */
    for (size_t i = 0; worst != MC_EXIT_IO && worst != MC_EXIT_SOFTWARE && i < old.n_stored;
         i++) {
        mc_stored_report *sr = &old.stored[i];
        if (strcmp(sr->convention, mc_convention_name(in->convention)) != 0 ||
            strcmp(sr->period, period) == 0)
            continue;
        mc_report rep;
        mc_error_clear(&err);
        st = mc_report_build(ns, in, sr->period, sr->as_of, &rep, &err);
        if (!st) {
            st = mc_outputs_store(ns, &rep, &err);
            mc_report_free(&rep);
        }
        if (st) {
            mc_log_error("%s (stored report %s)", err.msg, sr->period);
            worst = mc_exit_worst(worst, st);
        }
    }
    mc_store_close(ns);
    remove_stage(stage);
    if (worst == MC_EXIT_IO || worst == MC_EXIT_SOFTWARE || worst == MC_EXIT_TEMPFAIL) {
        remove_db_files(newdb);
        mc_log_error("the rebuild stopped; the store %s was not changed", o->db);
        goto out;
    }
    snprintf(path, sizeof path, "%s-wal", newdb);
    struct stat sb;
    if (stat(path, &sb) == 0 && sb.st_size > 0) {
        mc_log_error("%s: the rebuilt store was not closed cleanly; the store %s was not "
                     "changed", newdb, o->db);
        worst = MC_EXIT_IO;
        goto out;
    }
    if ((st = swap_in(o->db, newdb, bak, &err))) {
        mc_log_error("%s", err.msg);
        worst = st;
        goto out;
    }
    *fatal = 0;
    t->had_old = old_exists;
out:
    free(files);
    mc_paths_free(paths, np);
    old_free(&old);
    return worst;
}

int mc_cmd_rerun(mc_options *o)
{
    double t0 = mc_clock_seconds();
    mc_error err;
    mc_error_clear(&err);
    if (!o->period) {
        mc_log_error("--period is required (e.g. --period 2025-Q3)");
        return MC_EXIT_USAGE;
    }
    unsigned formats;
    int st = mc_run_check_options(o, &formats, &err);
    mc_report_inputs in;
    if (!st)
        st = mc_cli_report_inputs(o, &in, &err);
    if (st) {
        mc_log_error("%s", err.msg);
        return st;
    }
    /* The period is checked before anything is rebuilt. */
    mc_period p;
    if ((st = mc_period_parse(o->period, in.convention, &p, &err))) {
        mc_log_error("--period: %s", err.msg);
        mc_report_inputs_free(&in);
        return st;
    }
    mc_lock *lock;
    if ((st = mc_lock_acquire(o->db, &lock, &err))) {
        mc_log_error("%s", err.msg);
        mc_report_inputs_free(&in);
        return st;
    }
    int worst = 0;
    rebuild_totals t;
    memset(&t, 0, sizeof t);
    if (o->from_archive) {
        int fatal;
        worst = rebuild(o, &in, p.canon, &t, &fatal);
        if (fatal) {
            mc_lock_release(lock);
            mc_report_inputs_free(&in);
            return worst ? worst : MC_EXIT_SOFTWARE;
        }
    }
    mc_store *s;
    int checked;
    if ((st = mc_run_open_store(o->db, &s, &checked, &err))) {
        mc_log_error("%s", err.msg);
        mc_lock_release(lock);
        mc_report_inputs_free(&in);
        return mc_exit_worst(worst, st);
    }
    if (!checked)
        mc_log_verbose(MC_RUN_SKIPPED_CHECK, o->db);
    char canon[64];
    mc_error_clear(&err);
    st = mc_outputs_refresh(s, &in, o->period, o->as_of, o->output, formats, canon, &err);
    if (st)
        mc_log_error("%s", err.msg);
    worst = mc_exit_worst(worst, st);
    mc_error_clear(&err);
    if (mc_run_close_store(s, worst, &err))
        mc_log_verbose("%s", err.msg);
    mc_lock_release(lock);
    mc_report_inputs_free(&in);
    if (!o->quiet) {
        if (o->from_archive)
            printf("motcua rerun: store %s rebuilt from %ld archived export%s (%ld loaded, "
                   "%ld already loaded, %ld refused; %lld rows)%s%s%s; ", o->db, t.files,
                   t.files == 1 ? "" : "s",
                   t.loaded, t.already, t.refused, (long long)t.rows,
                   t.had_old ? "; the old store is kept as " : "", t.had_old ? o->db : "",
                   t.had_old ? ".bak" : "");
        else
            printf("motcua rerun: ");
        if (st)
            printf("report %s not written; %.1f s\n", p.canon, mc_clock_seconds() - t0);
        else if (formats)
            printf("report %s written to %s/%s; %.1f s\n", canon, o->output, canon,
                   mc_clock_seconds() - t0);
        else
            printf("report %s stored (no formats to write); %.1f s\n", canon,
                   mc_clock_seconds() - t0);
        if (fflush(stdout) != 0)
            worst = mc_exit_worst(worst, MC_EXIT_IO);
    }
    return worst;
}
