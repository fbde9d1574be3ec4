/*
 * test_casescan.c -- reports/casescan.c: the case rows of a report, read
 * from both ends by two threads, each row exactly once, whatever the number
 * of rows against the size of the blocks the two sides claim.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "etl/fingerprint.h"
#include "etl/store.h"
#include "tests/unit/tmpstore.h"
#include "reports/casescan.h"

static char path[64];

static void setup(void)
{
    tmpstore_path(path, sizeof path, "mc-scan");
}

static void teardown(void)
{
    tmpstore_remove(path);
}

#define DAY0 20300

/* The cases store_at() loads: case i received on day DAY0 at second i + 1
 * (so its received_at names it), ended on day DAY0 + 1 when i is odd;
 * case 0's key is long_key bytes long when long_key > 0. */
typedef struct scan_cases {
    int long_key;
    char key[2048];
    mc_record r;
} scan_cases;

static const mc_record *scan_case(void *ctx, int i)
{
    scan_cases *c = ctx;
    /* keys not in the order of i, as case codes are not in load order */
    snprintf(c->key, sizeof c->key, "C-%07d", (i * 7919) % 1000003);
    if (i == 0 && c->long_key > 0) {
        memset(c->key + 9, 'x', (size_t)c->long_key - 9);
        c->key[c->long_key] = '\0';
    }
    mc_record *r = &c->r;
    memset(r, 0, sizeof *r);
    r->case_id = c->key;
    r->unit_code = "000.00.41.H30";
    r->status = i % 2 ? 10 : 4;
    r->channel = 1;
    r->received_at = (int64_t)DAY0 * MC_DATE_SCALE + 1 + i;
    r->due_at = r->new_due_at = r->returned_at = r->apology_at = r->updated_at = MC_DATE_NONE;
    r->finished_at = i % 2 ? (int64_t)(DAY0 + 1) * MC_DATE_SCALE : MC_DATE_NONE;
    r->apology = r->has_fee = r->paid_online = r->digitized = r->e_result = MC_FLAG_ABSENT;
    /* a procedure and field that case i names: see dims_of() */
    static const char *const codes[] = {"1.001193", NULL, "2.000815"};
    static const char *const names[] = {"Đăng ký khai sinh", "Chứng thực chữ ký", NULL};
    static const char *const fields[] = {"Hộ tịch", "Chứng thực", NULL, "Đất đai"};
    r->procedure_code = codes[i % 3];
    r->procedure_name = names[i % 3];
    r->field_name = fields[i % 4];
    return r;
}

/* A store at db of n such cases. */
static mc_store *store_at(const char *db, int n, int long_key)
{
    scan_cases c = {.long_key = long_key};
    return tmpstore_load(db, n, 2, scan_case, &c);
}

static mc_store *store_of(int n)
{
    return store_at(path, n, 0);
}

typedef struct seen_rows {
    int n_max;
    int *times;  /* by case: how often it was handed over */
    long rows;
} seen_rows;

static void untally(void *arg)
{
    seen_rows *t = arg;
    memset(t->times, 0, ((size_t)t->n_max + 1) * sizeof *t->times);
    t->rows = 0;
}

static void tally(void *arg, const mc_scan_row *rows, size_t n)
{
    seen_rows *t = arg;
    for (size_t i = 0; i < n; i++) {
        int64_t k = rows[i].received_at - (int64_t)DAY0 * MC_DATE_SCALE - 1;
        cr_assert(k >= 0 && k < t->n_max, "row %lld is none of ours", (long long)k);
        t->times[k]++;
        t->rows++;
    }
}

/* Scan s, a store_at() of n cases, with both parts: every case must come
 * exactly once from either thread, except that the odd (ended) ones must
 * not come at all when odd_left_out.  Returns whether two threads read. */
static int scan_each(mc_store *s, int n, int64_t ended_from, int odd_left_out)
{
    seen_rows a = {n, calloc((size_t)n + 1, sizeof(int)), 0};
    seen_rows b = {n, calloc((size_t)n + 1, sizeof(int)), 0};
    void *part[2] = {&a, &b};
    int two = -1;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_scan_cases(s, (int64_t)(DAY0 + 5) * MC_DATE_SCALE, ended_from, tally,
                               untally, part, &two, &err), 0, "%s", err.msg);
    for (int i = 0; i < n; i++) {
        int want = odd_left_out ? i % 2 == 0 : 1;
        cr_assert_eq(a.times[i] + b.times[i], want, "case %d of %d handed over %d times", i, n,
                     a.times[i] + b.times[i]);
    }
    if (!two)
        cr_assert_eq(b.rows, 0, "a scan alone gave rows to the second part");
    free(a.times);
    free(b.times);
    return two;
}

/* scan_each over a fresh store of n cases. */
static int scan_once_each(int n, int64_t ended_from, int odd_left_out)
{
    mc_store *s = store_of(n);
    int two = scan_each(s, n, ended_from, odd_left_out);
    mc_store_close(s);
    teardown();
    return two;
}

TestSuite(casescan, .init = setup, .fini = teardown);

Test(casescan, two_threads_hand_over_every_row_once_whatever_the_count)
{
    cr_assert_eq(setenv("MOTCUA_SCAN_SPLIT_BYTES", "0", 1), 0);
    const int counts[] = {0, 1, 2, 255, 256, 257, 511, 512, 513, 3000};
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
        cr_expect_eq(scan_once_each(counts[i], 0, 0), 1, "%d rows: not on two threads",
                     counts[i]);
    unsetenv("MOTCUA_SCAN_SPLIT_BYTES");
}

Test(casescan, the_filter_holds_on_both_sides)
{
    cr_assert_eq(setenv("MOTCUA_SCAN_SPLIT_BYTES", "0", 1), 0);
    /* ended before DAY0 + 2: the odd cases are left out, the open ones stay */
    cr_expect_eq(scan_once_each(1000, (int64_t)(DAY0 + 2) * MC_DATE_SCALE, 1), 1);
    unsetenv("MOTCUA_SCAN_SPLIT_BYTES");
}

Test(casescan, a_small_store_or_an_open_transaction_is_read_alone)
{
    cr_assert_eq(setenv("MOTCUA_SCAN_SPLIT_BYTES", "1000000000", 1), 0);
    cr_expect_eq(scan_once_each(600, 0, 0), 0, "a small store read on two threads");
    cr_assert_eq(setenv("MOTCUA_SCAN_SPLIT_BYTES", "0", 1), 0);
    mc_store *s = store_of(600);
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_store_exec(s, "BEGIN", &err), 0, "%s", err.msg);
    seen_rows a = {600, calloc(601, sizeof(int)), 0}, b = {600, calloc(601, sizeof(int)), 0};
    void *part[2] = {&a, &b};
    int two = -1;
    cr_assert_eq(mc_scan_cases(s, (int64_t)(DAY0 + 5) * MC_DATE_SCALE, 0, tally, untally, part, &two,
                               &err), 0, "%s", err.msg);
    cr_expect_eq(two, 0, "read on two threads inside an open transaction");
    cr_expect_eq(a.rows, 600);
    mc_store_exec(s, "COMMIT", &err);
    free(a.times);
    free(b.times);
    mc_store_close(s);
    unsetenv("MOTCUA_SCAN_SPLIT_BYTES");
}

Test(casescan, a_case_key_too_long_to_compare_makes_the_scan_read_alone)
{
    cr_assert_eq(setenv("MOTCUA_SCAN_SPLIT_BYTES", "0", 1), 0);
    mc_store *s = store_at(path, 2000, 1500);
    cr_expect_eq(scan_each(s, 2000, 0, 0), 0, "read on two threads past a 1500-byte key");
    mc_store_close(s);
    unsetenv("MOTCUA_SCAN_SPLIT_BYTES");
}

/* A store rebuilt and renamed into place between the two opens has the same
 * files and units but other load times: the second connection reads the
 * new file, the first the old one, and the scan must not mix them. */
Test(casescan, another_file_renamed_into_place_makes_the_scan_read_alone)
{
    cr_assert_eq(setenv("MOTCUA_SCAN_SPLIT_BYTES", "0", 1), 0);
    char other[80];
    snprintf(other, sizeof other, "%s.other", path);
    cr_assert_eq(setenv("MOTCUA_NOW", "2026-01-20T02:00:00+07:00", 1), 0);
    mc_store *s = store_of(3000);
    cr_assert_eq(setenv("MOTCUA_NOW", "2026-01-21T02:00:00+07:00", 1), 0);
    mc_store *y = store_at(other, 3000, 0);
    mc_store_close(y);
    unsetenv("MOTCUA_NOW");
    /* the first store's rows in its file, not in a WAL the new file would
     * be read with (SQLite names the WAL after the path) */
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_store_exec(s, "PRAGMA wal_checkpoint(TRUNCATE)", &err), 0, "%s", err.msg);
    cr_assert_eq(rename(other, path), 0);
    cr_expect_eq(scan_each(s, 3000, 0, 0), 0, "two threads read two different files");
    mc_store_close(s);
    tmpstore_remove(other);
    unsetenv("MOTCUA_SCAN_SPLIT_BYTES");
}

typedef struct dims_seen {
    const mc_store_dims *d;
    long rows;
} dims_seen;

static void check_dims(void *arg, const mc_scan_row *rows, size_t n)
{
    dims_seen *t = arg;
    static const char *const codes[] = {"1.001193", NULL, "2.000815"};
    static const char *const names[] = {"Đăng ký khai sinh", "Chứng thực chữ ký", NULL};
    static const char *const fields[] = {"Hộ tịch", "Chứng thực", NULL, "Đất đai"};
    for (size_t k = 0; k < n; k++) {
        int i = (int)(rows[k].received_at - (int64_t)DAY0 * MC_DATE_SCALE - 1);
        const char *code, *name, *field;
        mc_scan_row_dims(t->d, &rows[k], &code, &name, &field);
        const char *want[3] = {codes[i % 3], names[i % 3], fields[i % 4]};
        const char *got[3] = {code, name, field};
        for (int c = 0; c < 3; c++)
            if (want[c])
                cr_assert(got[c] && strcmp(got[c], want[c]) == 0, "case %d, %d: %s", i, c,
                          got[c] ? got[c] : "NULL");
            else
                cr_assert_null(got[c], "case %d, %d: %s", i, c, got[c]);
        t->rows++;
    }
}

static void no_reset(void *arg)
{
    ((dims_seen *)arg)->rows = 0;
}

/* SPEC 12's case list names each case's procedure and field: the scan
 * hands over their ids, the store's dictionaries name them. */
Test(casescan, rows_name_their_procedure_and_field)
{
    cr_assert_eq(setenv("MOTCUA_SCAN_SPLIT_BYTES", "0", 1), 0);
    mc_store *s = store_of(600);
    mc_store_dims d;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_store_dims_read(s, &d, &err), 0, "%s", err.msg);
    dims_seen a = {&d, 0}, b = {&d, 0};
    void *part[2] = {&a, &b};
    int two;
    cr_assert_eq(mc_scan_cases(s, (int64_t)(DAY0 + 5) * MC_DATE_SCALE, 0, check_dims, no_reset,
                               part, &two, &err), 0, "%s", err.msg);
    cr_assert_eq(a.rows + b.rows, 600);
    mc_scan_row unknown = {.proc_id = d.max_proc + 1, .field_id = -1};
    const char *code, *name, *field;
    mc_scan_row_dims(&d, &unknown, &code, &name, &field);
    cr_assert(!code && !name && !field);
    mc_store_dims_free(&d);
    mc_store_close(s);
    unsetenv("MOTCUA_SCAN_SPLIT_BYTES");
}
