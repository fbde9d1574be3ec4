/*
 * tmpstore.h -- a fresh path for a test's store, a store loaded there with
 * the test's records, and its removal with the WAL and shared-memory files
 * SQLite keeps beside it.  Header-only: each test file that includes it
 * gets its own copies.
 */
#ifndef MC_TEST_TMPSTORE_H
#define MC_TEST_TMPSTORE_H

#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "etl/fingerprint.h"
#include "etl/store.h"

/* A path no file has yet, "/tmp/PREFIX-XXXXXX", into path (cap bytes). */
static inline void tmpstore_path(char *path, size_t cap, const char *prefix)
{
    snprintf(path, cap, "/tmp/%s-XXXXXX", prefix);
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    unlink(path);
}

/* Remove the store at path and the files SQLite keeps beside it. */
static inline void tmpstore_remove(const char *path)
{
    char p[4200];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

/* Record i of the ones a test loads, valid until the next call. */
typedef const mc_record *(*tmpstore_row_fn)(void *ctx, int i);

/* tmpstore_row_fn over an array of records. */
static inline const mc_record *tmpstore_row_of_array(void *ctx, int i)
{
    return &((const mc_record *)ctx)[i];
}

/* Open the store at path for writing, creating it when absent. */
static inline mc_store *tmpstore_open(const char *path)
{
    mc_store *s;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_store_open(path, MC_STORE_READWRITE, &s, &err), 0, "%s", err.msg);
    return s;
}

/* Open the store at path, with a file "a.csv" begun in it. */
static inline mc_store *tmpstore_begin(const char *path)
{
    mc_store *s = tmpstore_open(path);
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_store_file_begin(s, "a.csv", "00", 1, &err), 0, "%s", err.msg);
    return s;
}

/* Open the store at path and load records 0..n-1 of row(ctx, i) as the
 * lines first_line.. of one file "a.csv", every one accepted; the store
 * is left open. */
static inline mc_store *tmpstore_load(const char *path, int n, long first_line,
                                      tmpstore_row_fn row, void *ctx)
{
    mc_store *s = tmpstore_begin(path);
    mc_error err;
    mc_error_clear(&err);
    mc_fingerprinter *f = mc_fingerprinter_new(mc_store_fp_secret(s));
    cr_assert_not_null(f);
    mc_add_totals added = {0};
    for (int i = 0; i < n; i++) {
        const mc_record *r = row(ctx, i);
        unsigned char fp[MC_FP_LEN];
        cr_assert_eq(mc_fingerprint(f, r, fp), 0);
        cr_assert_eq(mc_store_stage(s, first_line + i, r, fp, &added, &err), 0, "%s", err.msg);
    }
    cr_assert_eq(mc_store_flush(s, &added, &err), 0, "%s", err.msg);
    cr_assert_eq(added.accepted, n);
    mc_fingerprinter_free(f);
    mc_file_counts c = {.rows_read = n, .accepted = n};
    cr_assert_eq(mc_store_file_commit(s, &c, NULL, &err), 0, "%s", err.msg);
    return s;
}

#endif
