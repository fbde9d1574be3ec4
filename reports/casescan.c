/*
 * casescan.c -- the case rows a report counts, read on two cores; see
 * casescan.h.
 *
 * Reading a large store is SQLite stepping through every case row, on one
 * core.  Here a second connection reads the same table from the other end
 * (descending case keys) on a second thread, and the two meet in the
 * middle: each reads a block of rows ahead, then claims under a lock the
 * rows of its block that the other has not claimed.  A claims keys below
 * B's lowest claim, B keys above A's highest, so every row is claimed once.
 *
 * Both connections must read the same store.  Every load adds a ledger
 * row with its load time, and unit ids are handed out in load order, so
 * when both read transactions see the same ledger rows (load times
 * included: a store rebuilt from the same archive and renamed into place
 * between the two opens has other ones) and the same unit ids, they see
 * the same cases; otherwise the scan runs on the calling thread alone.
 */
#include "base/clock.h"
#include "reports/casescan.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define BLOCK_ROWS 256
#define KEY_MAX 512 /* case keys are short; a longer one ends the split:
                      * both sides give up and the scan runs again alone */

/* A's, B's, and the one of a scan alone (which needs no keys) */
static const char *const scan_sql[3] = {
    "SELECT facts, received_at, due_at, end_at, proc_id, field_id, case_key FROM case_rows"
    " WHERE received_at < ?1 AND (end_at IS NULL OR end_at >= ?2) ORDER BY case_key",
    "SELECT facts, received_at, due_at, end_at, proc_id, field_id, case_key FROM case_rows"
    " WHERE received_at < ?1 AND (end_at IS NULL OR end_at >= ?2) ORDER BY case_key DESC",
    "SELECT facts, received_at, due_at, end_at, proc_id, field_id FROM case_rows"
    " WHERE received_at < ?1 AND (end_at IS NULL OR end_at >= ?2)",
};
enum { COL_KEY = 6 };

/* What identifies the store's content for the split (see above): one
 * line per ledger row, then the unit ids. */
static const char identity_sql[] =
    "SELECT coalesce((SELECT group_concat(id || ' ' || sha256 || ' ' || loaded_at || ' ' ||"
    " rows_read, char(10)) FROM (SELECT * FROM files ORDER BY id)), '') || char(10) ||"
    " (SELECT count(*) || ':' || coalesce(max(id), 0) FROM unit_keys)";

typedef struct side side;

typedef struct split {
    pthread_mutex_t lock;
    /* the claims so far: A's highest key, B's lowest; len -1 = none yet */
    char a_key[KEY_MAX], b_key[KEY_MAX];
    int a_len, b_len;
    int gave_up;      /* a key too long: both sides stop, the caller rescans */
} split;

struct side {
    sqlite3 *db;
    sqlite3_stmt *q;
    int desc;                 /* 0: A, ascending; 1: B, descending */
    split *sp;                /* NULL: alone, every row is ours */
    mc_scan_fn fn;
    void *part;
    int rc;                   /* SQLite's last result code */
    mc_scan_row rows[BLOCK_ROWS];
    char keys[BLOCK_ROWS][KEY_MAX];
    int key_len[BLOCK_ROWS];
};

static int key_cmp(const char *a, int na, const char *b, int nb)
{
    int c = memcmp(a, b, (size_t)(na < nb ? na : nb));
    return c ? c : (na > nb) - (na < nb);
}

/* How many of the block's n rows (in this side's order) are ours; sets
 * *met when the rest belong to the other side. */
static size_t claim(side *sd, size_t n, int *met)
{
    split *sp = sd->sp;
    if (!sp || n == 0)
        return n;
    pthread_mutex_lock(&sp->lock);
    if (sp->gave_up) {
        pthread_mutex_unlock(&sp->lock);
        *met = 1;
        return 0;
    }
    const char *other = sd->desc ? sp->a_key : sp->b_key;
    int other_len = sd->desc ? sp->a_len : sp->b_len;
    size_t k = n;
    if (other_len >= 0) {
        for (k = 0; k < n; k++) {
            int c = key_cmp(sd->keys[k], sd->key_len[k], other, other_len);
            if (sd->desc ? c <= 0 : c >= 0)
                break;
        }
    }
    if (k < n)
        *met = 1;
    if (k > 0) {
        char *mine = sd->desc ? sp->b_key : sp->a_key;
        memcpy(mine, sd->keys[k - 1], (size_t)sd->key_len[k - 1]);
        if (sd->desc)
            sp->b_len = sd->key_len[k - 1];
        else
            sp->a_len = sd->key_len[k - 1];
    }
    pthread_mutex_unlock(&sp->lock);
    return k;
}

/* Read, claim and count blocks until this side meets the other or the
 * rows run out.  Returns 0, or -1 with sd->rc set. */
static int run_side(side *sd)
{
    int met = 0;
    while (!met) {
        size_t n = 0;
        int rc = SQLITE_ROW;
        while (n < BLOCK_ROWS && (rc = sqlite3_step(sd->q)) == SQLITE_ROW) {
            mc_scan_row *r = &sd->rows[n];
            r->facts = sqlite3_column_int64(sd->q, 0);
            r->received_at = sqlite3_column_int64(sd->q, 1);
            r->has_due = sqlite3_column_type(sd->q, 2) != SQLITE_NULL;
            r->due_at = r->has_due ? sqlite3_column_int64(sd->q, 2) : 0;
            r->has_end = sqlite3_column_type(sd->q, 3) != SQLITE_NULL;
            r->end_at = r->has_end ? sqlite3_column_int64(sd->q, 3) : 0;
            r->proc_id = sqlite3_column_int64(sd->q, 4);
            r->field_id = sqlite3_column_int64(sd->q, 5);
            if (sd->sp) {
                int len = sqlite3_column_bytes(sd->q, COL_KEY);
                if (len >= KEY_MAX) {
                    pthread_mutex_lock(&sd->sp->lock);
                    sd->sp->gave_up = 1;
                    pthread_mutex_unlock(&sd->sp->lock);
                    sd->rc = SQLITE_DONE;
                    return 0;
                }
                memcpy(sd->keys[n], sqlite3_column_blob(sd->q, COL_KEY), (size_t)len);
                sd->key_len[n] = len;
            }
            n++;
        }
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            sd->rc = rc;
            return -1;
        }
        size_t mine = claim(sd, n, &met);
        if (mine)
            sd->fn(sd->part, sd->rows, mine);
        if (rc == SQLITE_DONE)
            break;
    }
    sd->rc = SQLITE_DONE;
    return 0;
}

static void *side_main(void *arg)
{
    run_side(arg);
    return NULL;
}

/* Prepare sd's statement: which = 0 (A), 1 (B) or 2 (alone). */
static int prepare(side *sd, int which, int64_t received_before, int64_t ended_from)
{
    sd->desc = which == 1;
    sd->rc = sqlite3_prepare_v2(sd->db, scan_sql[which], -1, &sd->q, NULL);
    if (sd->rc != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(sd->q, 1, received_before);
    sqlite3_bind_int64(sd->q, 2, ended_from);
    return 0;
}

/* The identity (identity_sql) that db's open read transaction sees, in
 * a string to free, or NULL. */
static char *identity(sqlite3 *db)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db, identity_sql, -1, &q, NULL) != SQLITE_OK)
        return NULL;
    char *id = NULL;
    if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
        id = strdup((const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    return id;
}

/* Try the two-sided scan; 1 when it ran to the end (its result in *st),
 * 0 when it could not start, the two connections did not see the same
 * store, or it gave up, so that the caller scans alone (after a reset of
 * the parts when anything was counted). */
static int scan_two(mc_store *s, int64_t received_before, int64_t ended_from, mc_scan_fn fn,
                    mc_scan_reset_fn reset, void *part[2], int *st, mc_error *err)
{
    sqlite3 *main_db = mc_store_db(s), *other = NULL;
    side *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    split sp = {.a_len = -1, .b_len = -1};
    int ran = 0, began = 0, locked = 0;
    char *id_a = NULL, *id_b = NULL;
    if (!a || !b || pthread_mutex_init(&sp.lock, NULL) != 0)
        goto out;
    locked = 1;
    if (sqlite3_open_v2(mc_store_path(s), &other, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK)
        goto out;
    sqlite3_busy_timeout(other, 5000);
    /* Read transactions on both, then compare what they see. */
    if (sqlite3_exec(main_db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        goto out;
    began = 1;
    if (sqlite3_exec(other, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
        !(id_a = identity(main_db)) || !(id_b = identity(other)) || strcmp(id_a, id_b) != 0)
        goto out;
    a->db = main_db;
    b->db = other;
    a->sp = b->sp = &sp;
    a->fn = b->fn = fn;
    a->part = part[0];
    b->part = part[1];
    if (prepare(a, 0, received_before, ended_from) || prepare(b, 1, received_before, ended_from))
        goto out;
    pthread_t tid;
    if (pthread_create(&tid, NULL, side_main, b) != 0)
        goto out;
    ran = 1;
    run_side(a);
    pthread_join(tid, NULL);
    if (sp.gave_up) {
        reset(part[0]);
        reset(part[1]);
        ran = 0;
    } else if (a->rc != SQLITE_DONE || b->rc != SQLITE_DONE) {
        *st = mc_store_fail(s, a->rc != SQLITE_DONE ? a->rc : b->rc, "reading the cases", err);
    } else {
        *st = 0;
    }
out:
    if (a)
        sqlite3_finalize(a->q);
    if (b)
        sqlite3_finalize(b->q);
    if (began)
        sqlite3_exec(main_db, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(other);
    if (locked)
        pthread_mutex_destroy(&sp.lock);
    free(a);
    free(b);
    free(id_a);
    free(id_b);
    return ran;
}

/* Below this size a store is read faster by one thread than by two. */
static long long split_bytes(void)
{
    long long n;
    return mc_knob_number(MC_KNOB_SCAN_SPLIT_BYTES, 0, 0x7fffffffffffffffLL, &n) ? n
                                                                                 : 16LL << 20;
}

int mc_scan_cases(mc_store *s, int64_t received_before, int64_t ended_from, mc_scan_fn fn,
                  mc_scan_reset_fn reset, void *part[2], int *two, mc_error *err)
{
    *two = 0;
    struct stat sb;
    int st = 0;
    /* Only a store at rest: rows written by an open transaction of this
     * connection are not seen by another one. */
    if (sqlite3_get_autocommit(mc_store_db(s)) && stat(mc_store_path(s), &sb) == 0 &&
        sb.st_size >= split_bytes() &&
        scan_two(s, received_before, ended_from, fn, reset, part, &st, err)) {
        *two = 1;
        return st;
    }
    side *a = calloc(1, sizeof *a);
    if (!a)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory");
    a->db = mc_store_db(s);
    a->fn = fn;
    a->part = part[0];
    if (prepare(a, 2, received_before, ended_from) || run_side(a))
        st = mc_store_fail(s, a->rc, "reading the cases", err);
    sqlite3_finalize(a->q);
    free(a);
    return st;
}

void mc_scan_row_dims(const mc_store_dims *d, const mc_scan_row *r, const char **procedure_code,
                      const char **procedure_name, const char **field_name)
{
    int proc = r->proc_id > 0 && r->proc_id <= d->max_proc;
    *procedure_code = proc ? d->proc_code[r->proc_id] : NULL;
    *procedure_name = proc ? d->proc_name[r->proc_id] : NULL;
    *field_name = r->field_id > 0 && r->field_id <= d->max_field ? d->field_name[r->field_id]
                                                                 : NULL;
}
