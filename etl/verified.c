/*
 * verified.c -- the verified-store stamp; see verified.h.
 */
#include "etl/verified.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/fs.h"

/* The format tag is the first line: a stamp of another format never
 * matches, so changing what a stamp records means changing the tag. */
#define TAG "motcua-verified 1\n"

enum { STAMP_CAP = 256, PATH_CAP = 4200 };

static int side_path(const char *db, const char *suffix, char *buf)
{
    return snprintf(buf, PATH_CAP, "%s%s", db, suffix) < PATH_CAP ? 0 : -1;
}

static void stamp_text(const struct stat *sb, char *buf)
{
    snprintf(buf, STAMP_CAP,
             TAG "dev %ju\nino %ju\nsize %jd\nmtime %jd.%09ld\nctime %jd.%09ld\n",
             (uintmax_t)sb->st_dev, (uintmax_t)sb->st_ino, (intmax_t)sb->st_size,
             (intmax_t)sb->st_mtim.tv_sec, (long)sb->st_mtim.tv_nsec,
             (intmax_t)sb->st_ctim.tv_sec, (long)sb->st_ctim.tv_nsec);
}

/* 1 when db-SUFFIX exists (and, with nonempty_only, is not empty). */
static int beside(const char *db, const char *suffix, int nonempty_only)
{
    char p[PATH_CAP];
    struct stat sb;
    if (side_path(db, suffix, p) != 0)
        return 1;
    if (stat(p, &sb) != 0)
        return errno != ENOENT; /* cannot tell: assume the worst */
    return !nonempty_only || sb.st_size > 0;
}

int mc_verified_matches(const char *db)
{
    char path[PATH_CAP], want[STAMP_CAP], got[STAMP_CAP];
    if (side_path(db, MC_VERIFIED_SUFFIX, path) != 0)
        return 0;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return 0;
    size_t n = 0;
    ssize_t r;
    while (n < sizeof got && (r = read(fd, got + n, sizeof got - n)) != 0) {
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            close(fd);
            return 0;
        }
        n += (size_t)r;
    }
    close(fd);
    /* Stamp, then WAL, then store: a motcua writer removes the stamp before
     * it writes WAL frames, and checkpoints them into the store before it
     * removes the WAL, so a writer busy meanwhile shows in one of them. */
    if (n == sizeof got || beside(db, "-wal", 1) || beside(db, "-journal", 1))
        return 0;
    struct stat sb;
    if (lstat(db, &sb) != 0 || !S_ISREG(sb.st_mode))
        return 0;
    stamp_text(&sb, want);
    return n == strlen(want) && memcmp(got, want, n) == 0;
}

int mc_verified_clear(const char *db, mc_error *err)
{
    char path[PATH_CAP];
    if (side_path(db, MC_VERIFIED_SUFFIX, path) != 0)
        return mc_error_set(err, MC_EXIT_IO, "%s: path too long", db);
    if (unlink(path) != 0 && errno != ENOENT)
        return mc_error_set(err, MC_EXIT_IO, "%s: cannot remove: %s", path, strerror(errno));
    return 0;
}

typedef struct stamp_job {
    const char *db;
    const struct stat *store;
    const char *text;
} stamp_job;

static int later(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec > b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec > b->tv_nsec);
}

/* Write the stamp's text into tmp, and hold it back until the file system's
 * clock (the temporary's own ctime, on the same file system) is past the
 * store's ctime: a write to the store after the stamp is published then
 * always gets a ctime the stamp does not have, even where the clock moves in
 * ticks of a few milliseconds. */
static int fill_stamp(const char *tmp, void *ctx, mc_error *err)
{
    const stamp_job *j = ctx;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0640);
    if (fd < 0)
        return mc_error_set(err, MC_EXIT_IO, "%s: cannot write: %s", tmp, strerror(errno));
    size_t len = strlen(j->text);
    if (write(fd, j->text, len) != (ssize_t)len) {
        int e = errno;
        close(fd);
        return mc_error_set(err, MC_EXIT_IO, "%s: cannot write: %s", tmp,
                            e ? strerror(e) : "short write");
    }
    struct stat now;
    int ok = 0;
    for (int i = 0; i < 100; i++) {
        if (fstat(fd, &now) != 0)
            break;
        if ((ok = later(&now.st_ctim, &j->store->st_ctim)))
            break;
        nanosleep(&(struct timespec){0, 1000000}, NULL);
        if (futimens(fd, NULL) != 0)
            break;
    }
    if (close(fd) != 0)
        return mc_error_set(err, MC_EXIT_IO, "%s: cannot write: %s", tmp, strerror(errno));
    if (!ok)
        return mc_error_set(err, 1, "%s: the file system's clock did not move past the "
                            "store's last change; no stamp written", j->db);
    return 0;
}

int mc_verified_write(const char *db, mc_error *err)
{
    char path[PATH_CAP], text[STAMP_CAP];
    if (side_path(db, MC_VERIFIED_SUFFIX, path) != 0)
        return mc_error_set(err, MC_EXIT_IO, "%s: path too long", db);
    struct stat sb;
    if (lstat(db, &sb) != 0 || !S_ISREG(sb.st_mode))
        return mc_error_set(err, 1, "%s: not a regular file; no stamp written", db);
    if (beside(db, "-wal", 0) || beside(db, "-journal", 0))
        return mc_error_set(err, 1, "%s: its WAL or journal is still there (another "
                            "connection has the store open); no stamp written", db);
    stamp_text(&sb, text);
    stamp_job j = {db, &sb, text};
    return mc_fs_write_atomic(path, fill_stamp, &j, err);
}
