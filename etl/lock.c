/*
 * lock.c -- the run lock; see lock.h.
 */
#include "etl/lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

struct mc_lock {
    int fd;
};

int mc_lock_acquire(const char *db_path, mc_lock **out, mc_error *err)
{
    *out = NULL;
    char path[4096];
    if (snprintf(path, sizeof path, "%s.lock", db_path) >= (int)sizeof path)
        return mc_error_set(err, MC_EXIT_IO, "%s: path too long", db_path);
    /* O_NOFOLLOW: a symbolic link planted here must not make us write a PID
     * into some other file. */
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
    if (fd < 0)
        return mc_error_set(err, MC_EXIT_IO, "%s: cannot open the lock file: %s", path,
                            strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        if (e == EWOULDBLOCK || e == EINTR) {
            char buf[32] = "";
            ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
            close(fd);
            buf[n > 0 ? n : 0] = '\0';
            long pid = strtol(buf, NULL, 10);
            if (pid > 0)
                return mc_error_set(err, MC_EXIT_TEMPFAIL,
                                    "%s: another motcua run (process %ld) holds the lock of "
                                    "this store; nothing done, try again when it has finished",
                                    path, pid);
            return mc_error_set(err, MC_EXIT_TEMPFAIL,
                                "%s: another motcua run holds the lock of this store; nothing "
                                "done, try again when it has finished", path);
        }
        close(fd);
        return mc_error_set(err, MC_EXIT_IO, "%s: cannot lock: %s", path, strerror(e));
    }
    char pid[32];
    int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
        int e = errno;
        close(fd);
        return mc_error_set(err, MC_EXIT_IO, "%s: cannot write the lock file: %s", path,
                            strerror(e));
    }
    mc_lock *l = malloc(sizeof *l);
    if (!l) {
        close(fd);
        return mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory");
    }
    l->fd = fd;
    *out = l;
    return 0;
}

void mc_lock_release(mc_lock *l)
{
    if (!l)
        return;
    /* Empty it first, so a stale PID is never reported for a free lock. */
    if (ftruncate(l->fd, 0) != 0) {
        /* nothing to do: closing releases the lock all the same */
    }
    close(l->fd);
    free(l);
}
