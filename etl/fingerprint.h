/*
 * fingerprint.h -- the identity of one version of a case (SPEC 2).
 *
 * A row that equals a stored version of its case in every canonical field
 * is a duplicate.  Rather than keep every version's fields to compare, the
 * store keeps a 128-bit fingerprint per version: the first 16 bytes of the
 * SHA-256 of the row's canonical bytes (every canonical field in SPEC
 * order, texts with their length, so NULL and "" differ).  Equal rows give
 * equal fingerprints; different rows collide with probability 2^-128, and
 * SHA-256 keeps that true even for a file built to collide.
 *
 * A fingerprinter owns its scratch buffer and digest context, so each
 * thread uses its own.
 */
#ifndef MC_FINGERPRINT_H
#define MC_FINGERPRINT_H

#include "transforms/record.h"

#define MC_FP_LEN 16

typedef struct mc_fingerprinter mc_fingerprinter;

/* A new fingerprinter, or NULL when out of memory or SHA-256 is missing. */
mc_fingerprinter *mc_fingerprinter_new(void);
void mc_fingerprinter_free(mc_fingerprinter *f);

/* The fingerprint of r into out.  Returns 0, or -1 (out of memory). */
int mc_fingerprint(mc_fingerprinter *f, const mc_record *r, unsigned char out[MC_FP_LEN]);

#endif
