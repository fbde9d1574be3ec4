/*
 * hash.h -- SHA-256 of an export's raw bytes.
 *
 * The digest identifies a file in the ledger (SPEC 7, `report --table
 * files`): the same bytes loaded twice under another name are recognized,
 * so it is taken over the file exactly as it arrived (gzip included).
 * Ingest feeds the bytes as the reader reads them (mc_sha256_update), so
 * that a large export is read once, not twice; the row fingerprints
 * (fingerprint.c) are digests of the same kind, one per row.
 */
#ifndef MC_HASH_H
#define MC_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

typedef struct mc_sha256 mc_sha256;

#define MC_SHA256_LEN 32

/* A running digest, or NULL when out of memory. */
mc_sha256 *mc_sha256_new(void);
void mc_sha256_free(mc_sha256 *h);

/* Start again from nothing, for the next digest.  Returns 0 or -1. */
int mc_sha256_reset(mc_sha256 *h);

/* Add n bytes.  Returns 0, or -1 when OpenSSL fails (then every later call
 * fails too). */
int mc_sha256_update(mc_sha256 *h, const void *p, size_t n);

/* The digest of everything added, as MC_SHA256_LEN bytes; then reset
 * before adding more.  Returns 0 or -1. */
int mc_sha256_digest(mc_sha256 *h, unsigned char d[MC_SHA256_LEN]);

/* The same as 64 lower-case hex digits plus NUL.  Returns 0, or -1 (hex is
 * then ""). */
int mc_sha256_final(mc_sha256 *h, char hex[65]);

/*
 * SHA-256 of the file at path as 64 lower-case hex digits plus NUL in hex,
 * and its size in bytes in *size (may be NULL).  Returns 0, or MC_EXIT_IO
 * (cannot open/read) / MC_EXIT_SOFTWARE (out of memory, crypto failure)
 * with err filled; hex is then the empty string.
 */
int mc_sha256_file(const char *path, char hex[65], uint64_t *size, mc_error *err);

#endif
