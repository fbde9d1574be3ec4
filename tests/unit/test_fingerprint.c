/*
 * test_fingerprint.c -- the version fingerprint (etl/fingerprint.c) and
 * the store's refusal of a store of another layout (etl/store.c).
 *
 * Duplicates are decided by fingerprint, so it must be equal for equal
 * rows and differ when any one canonical field differs, NULL and "" too,
 * and differ under another secret (each store has its own).
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <xxhash.h>

#include "etl/fingerprint.h"
#include "etl/store.h"
#include "tests/unit/tmpstore.h"

/* A fixed secret, so that a fingerprint can be written down. */
static const unsigned char SECRET[MC_FP_SECRET_LEN] =
    "motcua test secret: any 192 bytes do, the store's own come from getrandom";

static void hex_of(const unsigned char *b, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", b[i]);
}

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
    mc_fingerprinter *f = mc_fingerprinter_new(SECRET);
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
    mc_fingerprinter *f = mc_fingerprinter_new(SECRET);
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

/* The canonical bytes of base(), written out by hand (fingerprint.c:
 * texts as length + 1 then bytes, 0 for NULL; seven dates; eight small
 * codes), and their keyed XXH3-128, big-endian.  A change here is a change
 * of every stored fingerprint: a new store layout. */
Test(fingerprint, known_value)
{
    mc_record r = base();
    unsigned char want_bytes[512], *o = want_bytes;
    const char *texts[7] = {r.case_id, NULL, r.unit_code, r.unit_name, NULL, r.procedure_name,
                            NULL};
    for (int i = 0; i < 7; i++) {
        uint32_t n = texts[i] ? (uint32_t)strlen(texts[i]) + 1 : 0;
        memcpy(o, &n, 4);
        o += 4;
        if (texts[i]) {
            memcpy(o, texts[i], n - 1);
            o += n - 1;
        }
    }
    const mc_date dates[7] = {r.received_at, MC_DATE_NONE, MC_DATE_NONE, r.finished_at,
                              MC_DATE_NONE, MC_DATE_NONE, MC_DATE_NONE};
    memcpy(o, dates, sizeof dates);
    o += sizeof dates;
    const signed char small[8] = {10, 2, 4, MC_FLAG_NO, MC_FLAG_ABSENT, MC_FLAG_ABSENT,
                                  MC_FLAG_YES, MC_FLAG_NO};
    memcpy(o, small, sizeof small);
    o += sizeof small;
    XXH128_canonical_t c;
    XXH128_canonicalFromHash(&c, XXH3_128bits_withSecret(want_bytes, (size_t)(o - want_bytes),
                                                          SECRET, sizeof SECRET));
    mc_fingerprinter *f = mc_fingerprinter_new(SECRET);
    unsigned char got[MC_FP_LEN];
    fp_of(f, &r, got);
    cr_expect_eq(memcmp(got, c.digest, MC_FP_LEN), 0, "canonical bytes as documented");
    char hex[2 * MC_FP_LEN + 1];
    hex_of(got, MC_FP_LEN, hex);
    cr_expect_str_eq(hex, "92854855127b6abd1120b0d0684a3aff");
    mc_fingerprinter_free(f);
}

Test(fingerprint, another_secret_another_fingerprint)
{
    unsigned char other[MC_FP_SECRET_LEN];
    memcpy(other, SECRET, sizeof other);
    /* one bit of the secret (XXH3 reads the first 136 bytes of it for a
     * row this short, all 192 for rows of 240 bytes and more) */
    other[0] ^= 1;
    mc_fingerprinter *a = mc_fingerprinter_new(SECRET), *b = mc_fingerprinter_new(other);
    cr_assert_null(mc_fingerprinter_new(NULL));
    mc_record r = base();
    unsigned char fa[MC_FP_LEN], fb[MC_FP_LEN];
    fp_of(a, &r, fa);
    fp_of(b, &r, fb);
    cr_expect_neq(memcmp(fa, fb, MC_FP_LEN), 0);
    mc_fingerprinter_free(a);
    mc_fingerprinter_free(b);
}

/* Each store makes its own secret when it is created and keeps it: the
 * same after reopening, another in another store, and only a writer gets
 * it. */
Test(fingerprint, each_store_has_its_own_secret)
{
    char p1[64], p2[64];
    tmpstore_path(p1, sizeof p1, "mc-secret");
    tmpstore_path(p2, sizeof p2, "mc-secret");
    mc_store *s1 = tmpstore_open(p1), *s2 = tmpstore_open(p2);
    unsigned char k1[MC_FP_SECRET_LEN];
    cr_assert_not_null(mc_store_fp_secret(s1));
    memcpy(k1, mc_store_fp_secret(s1), sizeof k1);
    cr_expect_neq(memcmp(k1, mc_store_fp_secret(s2), sizeof k1), 0);
    static const unsigned char zero[MC_FP_SECRET_LEN];
    cr_expect_neq(memcmp(k1, zero, sizeof k1), 0);
    mc_store_close(s1);
    mc_store_close(s2);
    s1 = tmpstore_open(p1);
    cr_expect_eq(memcmp(k1, mc_store_fp_secret(s1), sizeof k1), 0, "kept in the store");
    mc_store_close(s1);
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_store_open(p1, MC_STORE_READONLY, &s1, &err), 0, "%s", err.msg);
    cr_expect_null(mc_store_fp_secret(s1));
    mc_store_close(s1);
    tmpstore_remove(p1);
    tmpstore_remove(p2);
}

/* A store whose secret went missing cannot tell duplicates: refused for
 * writing, with the way to rebuild it. */
Test(fingerprint, store_without_its_secret_is_refused)
{
    char p[64];
    tmpstore_path(p, sizeof p, "mc-secret");
    mc_store *s = tmpstore_open(p);
    cr_assert_eq(sqlite3_exec(mc_store_db(s), "DELETE FROM settings", NULL, NULL, NULL),
                 SQLITE_OK);
    mc_store_close(s);
    mc_error err;
    mc_error_clear(&err);
    cr_expect_eq(mc_store_open(p, MC_STORE_READWRITE, &s, &err), MC_EXIT_DATA);
    cr_expect_not_null(strstr(err.msg, "fingerprint secret"), "%s", err.msg);
    cr_expect_not_null(strstr(err.msg, "--from-archive"), "%s", err.msg);
    tmpstore_remove(p);
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
