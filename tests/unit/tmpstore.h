/*
 * tmpstore.h -- a fresh path for a test's store, and its removal with the
 * WAL and shared-memory files SQLite keeps beside it.  Header-only: each
 * test file that includes it gets its own copies.
 */
#ifndef MC_TEST_TMPSTORE_H
#define MC_TEST_TMPSTORE_H

#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* A path no file has yet, "/tmp/PREFIX-XXXXXX", into path (cap bytes). */
static inline void tmpstore_path(char *path, size_t cap, const char *prefix)
{
    snprintf(path, cap, "/tmp/%s-XXXXXX", prefix);
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    unlink(path);
}

/* Remove the store at path and the files SQLite keeps beside it. */
static inline void tmpstore_remove(const char *path)
{
    char p[4200];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

#endif
