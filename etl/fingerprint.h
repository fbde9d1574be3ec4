/*
 * fingerprint.h -- the identity of one version of a case (SPEC 2).
 *
 * A row that equals a stored version of its case in every canonical field
 * is a duplicate.  Rather than keep every version's fields to compare, the
 * store keeps a 128-bit fingerprint per version: the keyed XXH3-128 of the
 * row's canonical bytes (every canonical field in SPEC order, texts with
 * their length, so NULL and "" differ), under a random secret that each
 * store makes when it is created and keeps (mc_store_fp_secret).  Equal
 * rows give equal fingerprints; different rows collide with probability
 * about 2^-128, and since the secret is the store's own and never leaves
 * it, nobody can build a file whose rows collide in a store they do not
 * have (issue 15: SHA-256 gave the same guarantee at ten times the cost).
 * Fingerprints only ever compare within one store.
 *
 * A fingerprinter owns its scratch buffer and a copy of the secret, so each
 * thread uses its own.
 */
#ifndef MC_FINGERPRINT_H
#define MC_FINGERPRINT_H

#include <stddef.h>

#include "transforms/record.h"

#define MC_FP_LEN 16
/* The secret's length: XXH3's default secret size (at least its minimum,
 * 136 bytes). */
#define MC_FP_SECRET_LEN 192

typedef struct mc_fingerprinter mc_fingerprinter;

/* A new fingerprinter under secret (MC_FP_SECRET_LEN bytes, copied), or
 * NULL when out of memory or secret is NULL. */
mc_fingerprinter *mc_fingerprinter_new(const unsigned char *secret);
void mc_fingerprinter_free(mc_fingerprinter *f);

/* The fingerprint of r into out.  Returns 0, or -1 (out of memory). */
int mc_fingerprint(mc_fingerprinter *f, const mc_record *r, unsigned char out[MC_FP_LEN]);

/* Fill secret (MC_FP_SECRET_LEN bytes) from the kernel's random source
 * (getrandom).  Returns 0, or -1 when it could not. */
int mc_fingerprint_new_secret(unsigned char *secret);

#endif
