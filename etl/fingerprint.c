/*
 * fingerprint.c -- canonical bytes of a row and their SHA-256; see
 * fingerprint.h.
 */
#include "etl/fingerprint.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"

struct mc_fingerprinter {
    mc_sha256 *sha;
    unsigned char *buf; /* the row's canonical bytes */
    size_t cap;
};

mc_fingerprinter *mc_fingerprinter_new(void)
{
    mc_fingerprinter *f = calloc(1, sizeof *f);
    if (f && !(f->sha = mc_sha256_new())) {
        free(f);
        f = NULL;
    }
    return f;
}

void mc_fingerprinter_free(mc_fingerprinter *f)
{
    if (!f)
        return;
    mc_sha256_free(f->sha);
    free(f->buf);
    free(f);
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
    unsigned char d[MC_SHA256_LEN];
    if (len < 0 || mc_sha256_reset(f->sha) != 0 ||
        mc_sha256_update(f->sha, f->buf, (size_t)len) != 0 || mc_sha256_digest(f->sha, d) != 0)
        return -1;
    memcpy(out, d, MC_FP_LEN);
    return 0;
}
