/*
 * fingerprint.c -- canonical bytes of a row and their keyed XXH3-128; see
 * fingerprint.h.
 */
#include "etl/fingerprint.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <xxhash.h>

_Static_assert(MC_FP_SECRET_LEN >= XXH3_SECRET_SIZE_MIN, "XXH3 needs a longer secret");
_Static_assert(sizeof(XXH128_canonical_t) == MC_FP_LEN, "a fingerprint is 128 bits");

struct mc_fingerprinter {
    unsigned char secret[MC_FP_SECRET_LEN];
    unsigned char *buf; /* the row's canonical bytes */
    size_t cap;
};

mc_fingerprinter *mc_fingerprinter_new(const unsigned char *secret)
{
    if (!secret)
        return NULL;
    mc_fingerprinter *f = calloc(1, sizeof *f);
    if (f)
        memcpy(f->secret, secret, MC_FP_SECRET_LEN);
    return f;
}

void mc_fingerprinter_free(mc_fingerprinter *f)
{
    if (!f)
        return;
    free(f->buf);
    free(f);
}

int mc_fingerprint_new_secret(unsigned char *secret)
{
    size_t got = 0;
    while (got < MC_FP_SECRET_LEN) {
        ssize_t n = getrandom(secret + got, MC_FP_SECRET_LEN - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        got += (size_t)n;
    }
    return 0;
}

/* Every canonical field in SPEC order: texts as length + 1 (0 for NULL)
 * and bytes, then the dates and the small codes as fixed-width values. */
static long canon_of(mc_fingerprinter *f, const mc_record *r)
{
    const char *texts[] = {r->case_id, r->alt_case_id, r->unit_code, r->unit_name,
                           r->procedure_code, r->procedure_name, r->field_name};
    enum { N_TEXTS = sizeof texts / sizeof texts[0] };
    size_t lens[N_TEXTS], need = 128;
    for (size_t i = 0; i < N_TEXTS; i++) {
        lens[i] = texts[i] ? strlen(texts[i]) : 0;
        need += lens[i] + 4;
    }
    if (need > f->cap) {
        size_t cap = f->cap ? f->cap : 1024;
        while (cap < need)
            cap *= 2;
        unsigned char *b = realloc(f->buf, cap);
        if (!b)
            return -1;
        f->buf = b;
        f->cap = cap;
    }
    unsigned char *o = f->buf;
    for (size_t i = 0; i < N_TEXTS; i++) {
        uint32_t n = texts[i] ? (uint32_t)lens[i] + 1 : 0;
        memcpy(o, &n, 4);
        o += 4;
        memcpy(o, texts[i] ? texts[i] : "", lens[i]);
        o += lens[i];
    }
    const mc_date dates[] = {r->received_at, r->due_at, r->new_due_at, r->finished_at,
                             r->returned_at, r->apology_at, r->updated_at};
    memcpy(o, dates, sizeof dates);
    o += sizeof dates;
    const signed char small[] = {(signed char)r->status, (signed char)r->channel,
                                 (signed char)r->service_level, r->apology, r->has_fee,
                                 r->paid_online, r->digitized, r->e_result};
    memcpy(o, small, sizeof small);
    o += sizeof small;
    return o - f->buf;
}

int mc_fingerprint(mc_fingerprinter *f, const mc_record *r, unsigned char out[MC_FP_LEN])
{
    long len = canon_of(f, r);
    if (len < 0)
        return -1;
    XXH128_hash_t h = XXH3_128bits_withSecret(f->buf, (size_t)len, f->secret, MC_FP_SECRET_LEN);
    /* big-endian bytes, the same on every machine */
    XXH128_canonical_t c;
    XXH128_canonicalFromHash(&c, h);
    memcpy(out, c.digest, MC_FP_LEN);
    return 0;
}
