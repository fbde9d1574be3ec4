/*
 * test_store_runs.c -- rows reach the case table in sorted runs
 * (mc_store_stage, etl/store.c), and the store must end up as if they had
 * been applied one by one in file order: the same cases, versions, current
 * versions, unit ids and conflicts whatever the size of a run.  A run of
 * one row is file order itself, so it is the reference; the other sizes
 * cut the same files at many places, including between the versions of
 * one case.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "etl/fingerprint.h"
#include "etl/store.h"
#include "tests/unit/tmpstore.h"

#define N_KEYS 400
#define ROWS_PER_FILE 1500

static char path[64];

static void setup(void)
{
    tmpstore_path(path, sizeof path, "mc-runs");
}

static void teardown(void)
{
    unsetenv("MOTCUA_STORE_RUN_ROWS");
    tmpstore_remove(path);
}

TestSuite(runs, .init = setup, .fini = teardown);

/* When set, every key starts with the same 3000 bytes: runs are then cut
 * by the bytes of their keys, not their rows, and sorted by the bytes
 * after the shared ones. */
static int long_prefix;

/* Keys of every shape the sort meets: DVCQG-like ones sharing their first
 * 16 and 24 bytes, ones that differ only after byte 24, one that is the
 * prefix of another, keys shorter than a sort word, and keys with bytes
 * past ASCII. */
static void key_of(int k, char *buf, size_t cap)
{
    if (long_prefix) {
        size_t pre = 3000 < cap - 64 ? 3000 : cap - 64;
        memset(buf, 'P', pre);
        buf += pre;
        cap -= pre;
    }
    switch (k % 6) {
    case 0:
        snprintf(buf, cap, "000.00.41.H30-2505%02d-%04d", k % 28 + 1, k);
        break;
    case 1:
        snprintf(buf, cap, "000.00.41.H30-250523-0001-%d", k);
        break;
    case 2:
        snprintf(buf, cap, "%.*s", k % 9, "000.00.41.H30-250523-0001");
        break;
    case 3:
        snprintf(buf, cap, "K%d", k);
        break;
    case 4:
        snprintf(buf, cap, "HỒ SƠ ĐẤT ĐAI %d", k);
        break;
    default:
        snprintf(buf, cap, "001.%02d.05.H30-2506%02d-%04d", k % 7, k % 30 + 1, k);
        break;
    }
}

static uint32_t next(uint32_t *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return *seed >> 8;
}

/* Row i of file f: a pseudo-random case, and a version of it that is now
 * and then an exact repeat, a later or an equal update, another unit or
 * another day received (conflicts). */
#define KEY_CAP 3200

static void row_of(int f, int i, mc_record *r, char *key, size_t cap)
{
    uint32_t seed = (uint32_t)(f * 100003 + i);
    next(&seed);
    int k = (int)(next(&seed) % N_KEYS);
    key_of(k, key, cap);
    uint32_t v = next(&seed) % 8; /* few variants: repeats are common */
    memset(r, 0, sizeof *r);
    r->case_id = key;
    r->unit_code = v == 7 ? "000.00.05.H30" : "000.00.41.H30";
    r->unit_name = k % 3 ? "UBND xã Cẩm Thành" : NULL;
    /* procedures and fields met in file order, some versions changing them:
     * their ids must not depend on the runs either */
    static const char *const pcode[] = {"1.001193", NULL, "2.000815", "1.001193", NULL};
    static const char *const pname[] = {"Đăng ký khai sinh", "Chứng thực chữ ký", NULL,
                                        "Đăng ký khai sinh (bản sao)", NULL};
    static const char *const fname[] = {"Hộ tịch", NULL, "Chứng thực", "Đất đai"};
    r->procedure_code = pcode[(k + (v == 6)) % 5];
    r->procedure_name = pname[(k + (v == 6)) % 5];
    r->field_name = fname[(k / 5 + (v == 4)) % 4];
    r->status = (int)(v % 4) * 3 + 1;
    r->channel = (int)(v % 3) + 1;
    r->service_level = 2;
    r->received_at = (20330 + (v == 6)) * MC_DATE_SCALE + 3600;
    r->due_at = (20335 + k % 3) * MC_DATE_SCALE;
    r->new_due_at = r->returned_at = r->apology_at = MC_DATE_NONE;
    r->finished_at = r->status >= 7 ? 20334 * MC_DATE_SCALE : MC_DATE_NONE;
    r->updated_at = v == 5 ? MC_DATE_NONE : (20340 + (int)(v / 2)) * MC_DATE_SCALE;
    r->has_fee = r->paid_online = r->digitized = r->e_result = MC_FLAG_ABSENT;
    r->apology = v == 3 ? MC_FLAG_YES : MC_FLAG_NO;
}

/* Load two overlapping files with runs of run_rows rows into a fresh
 * store; the totals of both into *t. */
static mc_store *load(const char *run_rows, mc_add_totals *t)
{
    cr_assert_eq(setenv("MOTCUA_STORE_RUN_ROWS", run_rows, 1), 0);
    tmpstore_remove(path);
    mc_store *s = tmpstore_open(path);
    mc_error err;
    mc_error_clear(&err);
    /* one secret for every store, so that their versions compare byte for
     * byte (a store's own secret differs from every other's) */
    static const unsigned char secret[MC_FP_SECRET_LEN] = "store runs";
    mc_fingerprinter *fpr = mc_fingerprinter_new(secret);
    cr_assert_not_null(fpr);
    memset(t, 0, sizeof *t);
    for (int f = 0; f < 2; f++) {
        char name[32], sha[32];
        snprintf(name, sizeof name, "f%d.csv", f);
        snprintf(sha, sizeof sha, "%02d", f);
        cr_assert_eq(mc_store_file_begin(s, name, sha, (uint64_t)f + 1, &err), 0, "%s", err.msg);
        mc_add_totals ft = {0};
        for (int i = 0; i < ROWS_PER_FILE; i++) {
            mc_record r;
            char key[KEY_CAP];
            unsigned char fp[MC_FP_LEN];
            row_of(f, i, &r, key, sizeof key);
            cr_assert_eq(mc_fingerprint(fpr, &r, fp), 0);
            cr_assert_eq(mc_store_stage(s, i + 2, &r, fp, &ft, &err), 0, "%s", err.msg);
        }
        cr_assert_eq(mc_store_flush(s, &ft, &err), 0, "%s", err.msg);
        cr_assert_eq(ft.accepted + ft.duplicate, ROWS_PER_FILE, "run %s", run_rows);
        mc_file_counts c = {.rows_read = ROWS_PER_FILE, .accepted = ft.accepted,
                            .duplicate = ft.duplicate, .conflicts = ft.conflicts};
        cr_assert_eq(mc_store_file_commit(s, &c, NULL, &err), 0, "%s", err.msg);
        t->accepted += ft.accepted;
        t->duplicate += ft.duplicate;
        t->conflicts += ft.conflicts;
    }
    mc_fingerprinter_free(fpr);
    return s;
}

/* Every row of query, as text, one line each, into a malloc'd string. */
static char *dump(mc_store *s, const char *query)
{
    sqlite3_stmt *q;
    cr_assert_eq(sqlite3_prepare_v2(mc_store_db(s), query, -1, &q, NULL), SQLITE_OK, "%s",
                 sqlite3_errmsg(mc_store_db(s)));
    char *out = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&out, &len);
    cr_assert_not_null(m);
    while (sqlite3_step(q) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(q); c++) {
            const unsigned char *v = sqlite3_column_text(q, c);
            fprintf(m, "%s%s", c ? "|" : "", v ? (const char *)v : "NULL");
        }
        fputc('\n', m);
    }
    sqlite3_finalize(q);
    fclose(m);
    return out;
}

static const char *const dumps[] = {
    "SELECT case_key, hex(seen), src, upd, facts, received_at, due_at, end_at, proc_id,"
    " field_id FROM case_rows ORDER BY case_key",
    "SELECT id, code, name FROM unit_keys ORDER BY id",
    "SELECT id, code, name FROM procedures ORDER BY id",
    "SELECT id, name FROM fields ORDER BY id",
    "SELECT case_key, file_id, line, what, stored, incoming FROM conflicts"
    " ORDER BY file_id, line, what",
};
enum { N_DUMPS = sizeof dumps / sizeof dumps[0] };

static long count(mc_store *s, const char *sql)
{
    sqlite3_stmt *q;
    cr_assert_eq(sqlite3_prepare_v2(mc_store_db(s), sql, -1, &q, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_step(q), SQLITE_ROW);
    long n = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return n;
}

/* Load with runs of one row (file order), then of every size in sizes:
 * the same totals and the same store each time. */
static void same_store_every_size(const char *const *sizes, size_t n_sizes)
{
    mc_add_totals ref_t;
    mc_store *s = load("1", &ref_t);
    char *ref[N_DUMPS];
    for (int d = 0; d < N_DUMPS; d++)
        ref[d] = dump(s, dumps[d]);
    /* the reference holds every kind of row */
    long cases = count(s, "SELECT count(*) FROM case_rows");
    cr_assert_gt(cases, N_KEYS * 3 / 4);
    cr_assert_gt(ref_t.accepted, cases + 500, "new versions");
    cr_assert_gt(ref_t.duplicate, 500);
    cr_assert_gt(ref_t.conflicts, 100);
    cr_assert_gt(count(s, "SELECT count(*) FROM case_rows WHERE src >> 32 = 1"), 0);
    cr_assert_gt(count(s, "SELECT count(*) FROM case_rows WHERE src >> 32 = 2"), 0);
    cr_assert_eq(count(s, "SELECT count(*) FROM unit_keys"), 4);
    cr_assert_eq(count(s, "SELECT count(*) FROM procedures"), 4);
    cr_assert_eq(count(s, "SELECT count(*) FROM fields"), 3);
    cr_assert_gt(count(s, "SELECT count(DISTINCT proc_id) FROM case_rows"), 4, "and none");
    mc_store_close(s);

    for (size_t z = 0; z < n_sizes; z++) {
        mc_add_totals t;
        s = load(sizes[z], &t);
        cr_expect_eq(t.accepted, ref_t.accepted, "runs of %s", sizes[z]);
        cr_expect_eq(t.duplicate, ref_t.duplicate, "runs of %s", sizes[z]);
        cr_expect_eq(t.conflicts, ref_t.conflicts, "runs of %s", sizes[z]);
        for (int d = 0; d < N_DUMPS; d++) {
            char *got = dump(s, dumps[d]);
            cr_expect_str_eq(got, ref[d], "runs of %s: %s", sizes[z], dumps[d]);
            free(got);
        }
        mc_store_close(s);
    }
    for (int d = 0; d < N_DUMPS; d++)
        free(ref[d]);
}

Test(runs, every_run_size_gives_the_store_of_file_order)
{
    const char *sizes[] = {"2", "3", "7", "64", "999", "65536"};
    same_store_every_size(sizes, sizeof sizes / sizeof sizes[0]);
}

/* 3000-byte keys: about 700 rows fill a run's key bytes. */
Test(runs, long_shared_prefixes_give_the_store_of_file_order)
{
    long_prefix = 1;
    const char *sizes[] = {"5", "65536"};
    same_store_every_size(sizes, sizeof sizes / sizeof sizes[0]);
    long_prefix = 0;
}

/* A run is applied in the order of its keys' first 24 bytes: the
 * conflicts table, filled as rows are applied, shows it (the one thing a
 * run's order changes).  A file's first run is its first 1024 rows, lines
 * 2 to 1025; the second, the rest. */
Test(runs, a_run_is_applied_in_key_order)
{
    mc_add_totals t;
    mc_store *s = load("65536", &t);
    cr_assert_gt(count(s, "SELECT count(*) FROM conflicts WHERE line > 1025"), 50);
    cr_assert_eq(count(s, "SELECT count(*) FROM conflicts a JOIN conflicts b ON b.id = a.id + 1"
                          " WHERE b.file_id = a.file_id AND (a.line > 1025) = (b.line > 1025)"
                          " AND substr(CAST(b.case_key AS BLOB), 1, 24)"
                          "   < substr(CAST(a.case_key AS BLOB), 1, 24)"), 0);
    mc_store_close(s);
    s = load("1", &t);
    cr_assert_gt(count(s, "SELECT count(*) FROM conflicts a JOIN conflicts b ON b.id = a.id + 1"
                          " WHERE b.file_id = a.file_id AND (a.line > 1025) = (b.line > 1025)"
                          " AND substr(CAST(b.case_key AS BLOB), 1, 24)"
                          "   < substr(CAST(a.case_key AS BLOB), 1, 24)"), 0);
    mc_store_close(s);
}

/* Staged rows are not the store's until flushed: a commit with rows left
 * is refused, and a rollback leaves nothing. */
Test(runs, commit_refuses_rows_left_staged)
{
    cr_assert_eq(setenv("MOTCUA_STORE_RUN_ROWS", "100", 1), 0);
    mc_store *s = tmpstore_begin(path);
    mc_error err;
    mc_error_clear(&err);
    mc_fingerprinter *fpr = mc_fingerprinter_new(mc_store_fp_secret(s));
    mc_add_totals t = {0};
    mc_record r;
    char key[KEY_CAP];
    unsigned char fp[MC_FP_LEN];
    row_of(0, 0, &r, key, sizeof key);
    cr_assert_eq(mc_fingerprint(fpr, &r, fp), 0);
    cr_assert_eq(mc_store_stage(s, 2, &r, fp, &t, &err), 0, "%s", err.msg);
    cr_assert_eq(t.accepted, 0, "not applied yet");
    mc_file_counts c = {.rows_read = 1, .accepted = 1};
    cr_assert_eq(mc_store_file_commit(s, &c, NULL, &err), MC_EXIT_SOFTWARE);
    cr_assert(strstr(err.msg, "mc_store_flush"), "%s", err.msg);
    cr_assert_eq(count(s, "SELECT count(*) FROM case_rows"), 0);
    cr_assert_eq(count(s, "SELECT count(*) FROM files"), 0);
    mc_error_clear(&err);
    cr_assert_eq(mc_store_stage(s, 2, &r, fp, &t, &err), MC_EXIT_SOFTWARE, "no file open");
    mc_fingerprinter_free(fpr);
    mc_store_close(s);
}
