/*
 * hash.h -- SHA-256 of an export's raw bytes.
 *
 * The digest identifies a file in the ledger (SPEC 7, `report --table
 * files`): the same bytes loaded twice under another name are recognized,
 * so it is taken over the file exactly as it arrived (gzip included).
 */
#ifndef MC_HASH_H
#define MC_HASH_H

#include <stdint.h>

#include "etl/error.h"

/*
 * SHA-256 of the file at path as 64 lower-case hex digits plus NUL in hex,
 * and its size in bytes in *size (may be NULL).  Reads in 1 MiB steps, so
 * memory does not grow with the file.  Returns 0, or MC_EXIT_IO (cannot
 * open/read) / MC_EXIT_SOFTWARE (out of memory, crypto failure) with err
 * filled; hex is then the empty string.
 */
int mc_sha256_file(const char *path, char hex[65], uint64_t *size, mc_error *err);

#endif
