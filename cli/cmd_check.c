/*
 * cmd_check.c -- `motcua check`: is the store still telling the truth?
 *
 * Checks, read-only: SQLite's own PRAGMA integrity_check; the row
 * accounting of every file (SPEC 2: rows read = accepted + duplicate +
 * quarantined, one stored version per accepted row, one rejects row per
 * quarantined row); that every case's current version is one of its
 * versions, every version comes from a loaded file, every rejected row and
 * conflict from a loaded file; and the SPEC 5 identities of every stored
 * report.  Each problem is one line on standard error; exit 0 when there is
 * none, 65 when there is any.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/commands.h"
#include "base/log.h"
#include "reports/outputs.h"
#include "etl/store.h"

#define MAX_LISTED 20 /* problems of one kind listed before "and N more" */

typedef struct checker {
    mc_store *s;
    long problems;
    int failed;           /* a query could not run: the store is unreadable */
    int64_t *versions_of; /* file id -> versions the cases hold from it */
    int64_t n_files;      /* ids 0..n_files-1 of versions_of */
    int versions_ok;      /* versions() counted every version: compare them */
} checker;

/* File ids past this are not counted in an array (a damaged blob can name
 * any 32-bit id): each version naming one is a problem of its own. */
#define MAX_COUNTED_FILE_ID 10000000

static void report(void *ctx, const char *line)
{
    (void)ctx;
    mc_log_error("%s", line);
}

/* A query that could not run is itself a finding: the store cannot be read
 * where it should be. */
static void query_failed(checker *c, int rc, const char *what)
{
    c->problems++;
    c->failed = 1;
    mc_log_error("%s: cannot check %s: %s", mc_store_path(c->s), what,
                 sqlite3_errmsg(mc_store_db(c->s)));
    (void)rc;
}

/* integrity_check may answer with several lines in one row; messages are
 * one line each. */
static void one_line(const char *in, char *out, size_t cap)
{
    size_t o = 0;
    for (; *in && o + 3 < cap; in++) {
        if (*in == '\n') {
            if (in[1]) {
                out[o++] = ';';
                out[o++] = ' ';
            }
        } else if (*in != '\r') {
            out[o++] = *in;
        }
    }
    out[o] = '\0';
}

static void integrity(checker *c)
{
    sqlite3_stmt *q;
    int rc = sqlite3_prepare_v2(mc_store_db(c->s), "PRAGMA integrity_check(100)", -1, &q, NULL);
    if (rc != SQLITE_OK) {
        query_failed(c, rc, "the database file");
        return;
    }
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *line = (const char *)sqlite3_column_text(q, 0);
        if (line && strcmp(line, "ok") != 0) {
            char flat[2048];
            one_line(line, flat, sizeof flat);
            c->problems++;
            mc_log_error("%s: integrity_check: %s", mc_store_path(c->s), flat);
        }
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        query_failed(c, rc, "the database file");
}

static long long count_of(checker *c, const char *sql);

/* Name one problem case, while fewer than MAX_LISTED have been named. */
static void case_problem(checker *c, long *n, const char *fmt, const char *key, long long a,
                         long long b)
{
    if ((*n)++ < MAX_LISTED)
        mc_log_error(fmt, key, a, b);
    c->problems++;
}

/*
 * Every case's versions (its seen blob, store.h): whole entries, the
 * current one among them, and how many come from each file, into
 * c->versions_of for accounting().  Decoded here, not in SQL: SQL has no
 * way to read integers out of a blob.
 */
/* Make versions_of cover file id id; -1 when out of memory. */
static int cover_file(checker *c, int64_t id)
{
    if (id < c->n_files)
        return 0;
    int64_t n = c->n_files ? c->n_files : 64;
    while (n <= id)
        n *= 2;
    int64_t *v = realloc(c->versions_of, (size_t)n * sizeof *v);
    if (!v)
        return -1;
    memset(v + c->n_files, 0, (size_t)(n - c->n_files) * sizeof *v);
    c->versions_of = v;
    c->n_files = n;
    return 0;
}

static void versions(checker *c)
{
    long long max_id = count_of(c, "SELECT coalesce(max(id), 0) FROM files");
    if (max_id < 0) {
        query_failed(c, SQLITE_ERROR, "the file ledger");
        return;
    }
    if (max_id > MAX_COUNTED_FILE_ID) {
        c->problems++;
        mc_log_error("%s: the file ledger has an id of %lld, more than this store can have "
                     "loaded; versions are not counted per file", mc_store_path(c->s), max_id);
        return;
    }
    if (cover_file(c, max_id) != 0) {
        c->problems++;
        mc_log_error("%s: out of memory while counting the versions", mc_store_path(c->s));
        return;
    }
    sqlite3_stmt *q;
    int rc = sqlite3_prepare_v2(mc_store_db(c->s), "SELECT case_key, src, seen FROM case_rows",
                                -1, &q, NULL);
    if (rc != SQLITE_OK) {
        query_failed(c, rc, "the versions");
        return;
    }
    long torn = 0, lost = 0, far = 0;
    int nomem = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *key = (const char *)sqlite3_column_text(q, 0);
        int64_t src = sqlite3_column_int64(q, 1);
        const unsigned char *seen = sqlite3_column_blob(q, 2);
        size_t len = (size_t)sqlite3_column_bytes(q, 2);
        if (len == 0 || len % MC_SEEN_LEN != 0) {
            case_problem(c, &torn, "case %s: its versions are damaged (%lld bytes, not a "
                         "multiple of %lld)", key ? key : "", (long long)len, MC_SEEN_LEN);
            continue;
        }
        int current = 0;
        for (size_t off = 0; off < len; off += MC_SEEN_LEN) {
            uint32_t file = mc_seen_file(seen + off), line = mc_seen_line(seen + off);
            current |= ((uint64_t)file << 32 | line) == (uint64_t)src;
            if (file > MAX_COUNTED_FILE_ID)
                case_problem(c, &far, "case %s: a version names file id %lld, line %lld, "
                             "which the ledger does not have", key ? key : "", file, line);
            else if (cover_file(c, file) != 0)
                nomem = 1;
            else
                c->versions_of[file]++;
        }
        if (!current)
            case_problem(c, &lost, "case %s: its current version (file id %lld, line %lld) "
                         "is not one of its versions", key ? key : "",
                         (long long)(src >> 32), (long long)(src & 0xffffffff));
    }
    sqlite3_finalize(q);
    const long listed[] = {torn, lost, far};
    const char *const kinds[] = {"damaged versions", "lost current versions",
                                 "versions of unknown files"};
    for (int k = 0; k < 3; k++)
        if (listed[k] > MAX_LISTED)
            mc_log_error("... and %ld more cases with %s", listed[k] - MAX_LISTED, kinds[k]);
    if (rc != SQLITE_DONE) {
        query_failed(c, rc, "the versions");
    } else if (nomem) {
        c->problems++;
        mc_log_error("%s: out of memory while counting the versions", mc_store_path(c->s));
    } else {
        c->versions_ok = 1;
    }
}

static void accounting(checker *c)
{
    sqlite3_stmt *q;
    int rc = sqlite3_prepare_v2(
        mc_store_db(c->s),
        "SELECT f.name, f.rows_read, f.accepted, f.duplicate, f.quarantined,"
        " coalesce(r.n, 0), f.id"
        " FROM files f"
        " LEFT JOIN (SELECT file_id, count(*) AS n FROM rejects GROUP BY file_id) r"
        "  ON r.file_id = f.id"
        " ORDER BY f.id", -1, &q, NULL);
    if (rc != SQLITE_OK) {
        query_failed(c, rc, "the file ledger");
        return;
    }
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(q, 0);
        long long read = sqlite3_column_int64(q, 1), acc = sqlite3_column_int64(q, 2);
        long long dup = sqlite3_column_int64(q, 3), quar = sqlite3_column_int64(q, 4);
        long long rejects = sqlite3_column_int64(q, 5), id = sqlite3_column_int64(q, 6);
        long long versions = id >= 0 && id < c->n_files ? c->versions_of[id] : 0;
        if (read != acc + dup + quar) {
            c->problems++;
            mc_log_error("file %s: rows read %lld != accepted %lld + duplicate %lld + "
                         "quarantined %lld", name, read, acc, dup, quar);
        }
        if (rejects != quar) {
            c->problems++;
            mc_log_error("file %s: the ledger counts %lld quarantined rows, the rejects table "
                         "holds %lld", name, quar, rejects);
        }
        if (c->versions_ok && versions != acc) {
            c->problems++;
            mc_log_error("file %s: the ledger counts %lld accepted rows, the store holds %lld "
                         "versions from it", name, acc, versions);
        }
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        query_failed(c, rc, "the file ledger");
}

/* Run a query whose rows are problems: column 0 names the thing, column 1
 * (when present) adds detail. */
static void orphans(checker *c, const char *sql, const char *what, const char *fmt)
{
    sqlite3_stmt *q;
    int rc = sqlite3_prepare_v2(mc_store_db(c->s), sql, -1, &q, NULL);
    if (rc != SQLITE_OK) {
        query_failed(c, rc, what);
        return;
    }
    long n = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (n++ < MAX_LISTED) {
            const char *a = (const char *)sqlite3_column_text(q, 0);
            const char *b = sqlite3_column_count(q) > 1
                                ? (const char *)sqlite3_column_text(q, 1) : "";
            char line[1024];
            snprintf(line, sizeof line, fmt, a ? a : "", b ? b : "");
            mc_log_error("%s", line);
        }
    }
    sqlite3_finalize(q);
    if (n > MAX_LISTED)
        mc_log_error("... and %ld more like it", n - MAX_LISTED);
    c->problems += n;
    if (rc != SQLITE_DONE)
        query_failed(c, rc, what);
}

static void consistency(checker *c)
{
    /* versions of ids below the ledger's greatest that the ledger lacks */
    sqlite3_stmt *q;
    int rc = sqlite3_prepare_v2(mc_store_db(c->s), "SELECT 1 FROM files WHERE id = ?1", -1, &q,
                                NULL);
    if (rc != SQLITE_OK) {
        query_failed(c, rc, "the file ledger");
    } else {
        for (int64_t id = 0; id < c->n_files; id++) {
            if (!c->versions_of[id])
                continue;
            sqlite3_bind_int64(q, 1, id);
            rc = sqlite3_step(q);
            sqlite3_reset(q);
            if (rc == SQLITE_DONE) {
                c->problems++;
                mc_log_error("file id %lld: not in the ledger, yet %lld versions come from it",
                             (long long)id, (long long)c->versions_of[id]);
            } else if (rc != SQLITE_ROW) {
                query_failed(c, rc, "the file ledger");
                break;
            }
        }
        sqlite3_finalize(q);
    }
    orphans(c,
            "SELECT r.file_id, count(*) FROM rejects r"
            " WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.id = r.file_id)"
            " GROUP BY r.file_id",
            "the rejects", "file id %s: not in the ledger, yet %s rejected rows come from it");
    orphans(c,
            "SELECT x.file_id, count(*) FROM conflicts x"
            " WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.id = x.file_id)"
            " GROUP BY x.file_id",
            "the conflicts", "file id %s: not in the ledger, yet %s conflicts come from it");
    orphans(c,
            "SELECT c.case_key, c.unit_id FROM cases c"
            " WHERE NOT EXISTS (SELECT 1 FROM unit_keys u WHERE u.id = c.unit_id)",
            "the units", "case %s: its unit %s does not exist");
    orphans(c,
            "SELECT c.case_key, c.proc_id FROM case_rows c WHERE c.proc_id <> 0 AND"
            " NOT EXISTS (SELECT 1 FROM procedures p WHERE p.id = c.proc_id)",
            "the procedures", "case %s: its procedure %s does not exist");
    orphans(c,
            "SELECT c.case_key, c.field_id FROM case_rows c WHERE c.field_id <> 0 AND"
            " NOT EXISTS (SELECT 1 FROM fields f WHERE f.id = c.field_id)",
            "the fields", "case %s: its field %s does not exist");
}

static long long count_of(checker *c, const char *sql)
{
    sqlite3_stmt *q;
    long long n = -1;
    if (sqlite3_prepare_v2(mc_store_db(c->s), sql, -1, &q, NULL) == SQLITE_OK) {
        if (sqlite3_step(q) == SQLITE_ROW)
            n = sqlite3_column_int64(q, 0);
        sqlite3_finalize(q);
    }
    return n;
}

int mc_cmd_check(mc_options *o)
{
    mc_error err;
    mc_error_clear(&err);
    struct stat sb;
    if (stat(o->db, &sb) != 0) {
        mc_log_error("%s: no such store: %s", o->db, strerror(errno));
        return MC_EXIT_IO;
    }
    checker c = {0};
    int st = mc_store_open(o->db, MC_STORE_READONLY, &c.s, &err);
    if (st) {
        mc_log_error("%s", err.msg);
        /* A file that is there and readable, yet will not open as a store,
         * is a damaged store: a finding, not a failure to look. */
        if (st == MC_EXIT_IO && access(o->db, R_OK) == 0)
            st = MC_EXIT_DATA;
        if (!o->quiet)
            printf("motcua check: %s: the store cannot be opened\n", o->db);
        return st;
    }
    integrity(&c);
    if (!c.failed) {
        versions(&c);
        accounting(&c);
        consistency(&c);
        mc_error_clear(&err);
        long n = mc_outputs_check(c.s, report, NULL, &err);
        if (n < 0) {
            mc_log_error("%s", err.msg);
            c.problems++;
        } else {
            c.problems += n;
        }
    }
    long long files = count_of(&c, "SELECT count(*) FROM files");
    long long cases = count_of(&c, "SELECT count(*) FROM cases");
    mc_stored_report *stored;
    size_t n_stored = 0;
    if (mc_outputs_stored(c.s, &stored, &n_stored, &err) == 0)
        free(stored);
    mc_store_close(c.s);
    free(c.versions_of);
    if (!o->quiet) {
        if (c.problems)
            printf("motcua check: %s: %ld problem%s found (listed above)\n", o->db, c.problems,
                   c.problems == 1 ? "" : "s");
        else
            printf("motcua check: %s: ok (%lld files, %lld cases, %zu stored reports)\n", o->db,
                   files, cases, n_stored);
        fflush(stdout);
    }
    return c.problems ? MC_EXIT_DATA : 0;
}
