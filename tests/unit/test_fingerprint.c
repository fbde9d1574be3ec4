/*
 * test_fingerprint.c -- the version fingerprint (etl/fingerprint.c) and
 * the store's refusal of a store of another layout (etl/store.c).
 *
 * Duplicates are decided by fingerprint, so it must be equal for equal
 * rows and differ when any one canonical field differs, NULL and "" too.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "etl/fingerprint.h"
#include "etl/store.h"

static mc_record base(void)
{
    mc_record r;
    memset(&r, 0, sizeof r);
    r.case_id = "000.00.06.H56-250701-0001";
    r.unit_code = "000.00.06.H56";
    r.unit_name = "UBND xã Lộc Hòa";
    r.procedure_name = "Đăng ký khai sinh";
    r.status = 10;
    r.channel = 2;
    r.service_level = 4;
    r.received_at = 20000 * MC_DATE_SCALE;
    r.due_at = MC_DATE_NONE;
    r.new_due_at = MC_DATE_NONE;
    r.finished_at = 20003 * MC_DATE_SCALE;
    r.returned_at = MC_DATE_NONE;
    r.apology_at = MC_DATE_NONE;
    r.updated_at = MC_DATE_NONE;
    r.apology = MC_FLAG_NO;
    r.has_fee = MC_FLAG_ABSENT;
    r.paid_online = MC_FLAG_ABSENT;
    r.digitized = MC_FLAG_YES;
    r.e_result = MC_FLAG_NO;
    return r;
}

static void fp_of(mc_fingerprinter *f, const mc_record *r, unsigned char out[MC_FP_LEN])
{
    cr_assert_eq(mc_fingerprint(f, r, out), 0);
}

Test(fingerprint, equal_rows_equal_fingerprints_any_field_differs)
{
    mc_fingerprinter *f = mc_fingerprinter_new();
    cr_assert_not_null(f);
    mc_record a = base(), b = base();
    /* the same values from other buffers: contents count, not pointers */
    char copy[64];
    snprintf(copy, sizeof copy, "%s", a.unit_name);
    b.unit_name = copy;
    unsigned char fa[MC_FP_LEN], fb[MC_FP_LEN];
    fp_of(f, &a, fa);
    fp_of(f, &b, fb);
    cr_expect_eq(memcmp(fa, fb, MC_FP_LEN), 0);

    mc_record v[8];
    for (int i = 0; i < 8; i++)
        v[i] = base();
    v[0].alt_case_id = "";                 /* "" is not NULL */
    v[1].unit_name = "UBND xã Lộc Hoà";    /* another text */
    v[2].status = 9;
    v[3].finished_at = MC_DATE_NONE, v[3].returned_at = 20003 * MC_DATE_SCALE; /* same day, other column */
    v[4].received_at += 3600;              /* a time of day */
    v[5].has_fee = MC_FLAG_NO;             /* absent column vs no */
    v[6].procedure_code = "Đăng ký khai sinh", v[6].procedure_name = NULL; /* text moved */
    v[7].updated_at = 0;
    for (int i = 0; i < 8; i++) {
        unsigned char fv[MC_FP_LEN];
        fp_of(f, &v[i], fv);
        cr_expect_neq(memcmp(fa, fv, MC_FP_LEN), 0, "variant %d must differ", i);
    }
    mc_fingerprinter_free(f);
}

Test(fingerprint, long_text_grows_the_buffer)
{
    mc_fingerprinter *f = mc_fingerprinter_new();
    static char big[100000];
    memset(big, 'x', sizeof big - 1);
    mc_record a = base();
    a.procedure_name = big;
    unsigned char f1[MC_FP_LEN], f2[MC_FP_LEN];
    fp_of(f, &a, f1);
    big[50000] = 'y';
    fp_of(f, &a, f2);
    cr_expect_neq(memcmp(f1, f2, MC_FP_LEN), 0);
    mc_fingerprinter_free(f);
}

Test(store_layout, store_of_another_layout_is_refused_unchanged)
{
    char path[] = "/tmp/mc-layout-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    unlink(path);
    mc_store *s;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_store_open(path, MC_STORE_READWRITE, &s, &err), 0, "%s", err.msg);
    cr_assert_eq(sqlite3_exec(mc_store_db(s), "PRAGMA user_version=1", NULL, NULL, NULL),
                 SQLITE_OK);
    mc_store_close(s);
    int st = mc_store_open(path, MC_STORE_READWRITE, &s, &err);
    cr_expect_eq(st, MC_EXIT_DATA);
    cr_expect_not_null(strstr(err.msg, "layout 1"), "%s", err.msg);
    cr_expect_not_null(strstr(err.msg, "--from-archive"), "%s", err.msg);
    char wal[64];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    unlink(wal);
    unlink(path);
}
