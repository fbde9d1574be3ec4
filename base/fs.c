/*
 * fs.c -- file-system helpers; see fs.h.
 */
#include "base/fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int mc_fs_exists(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) == 0 || errno != ENOENT;
}

ssize_t mc_fs_read(int fd, void *buf, size_t n)
{
    ssize_t k;
    do
        k = read(fd, buf, n);
    while (k < 0 && errno == EINTR);
    return k;
}

const char *mc_fs_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

void mc_fs_dirname(const char *path, char *buf, size_t cap)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(buf, cap, ".");
    else if (slash == path)
        snprintf(buf, cap, "/");
    else
        snprintf(buf, cap, "%.*s", (int)(slash - path), path);
}

int mc_fs_mkdirs(const char *path, mc_error *err)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return mc_error_set(err, MC_EXIT_IO, "%s: path too long", path);
    for (char *p = buf + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(buf, 0750) != 0 && errno != EEXIST)
            return mc_error_set(err, MC_EXIT_IO, "%s: cannot create the folder: %s", buf,
                                strerror(errno));
        struct stat sb;
        if (stat(buf, &sb) != 0 || !S_ISDIR(sb.st_mode))
            return mc_error_set(err, MC_EXIT_IO, "%s: exists and is not a folder", buf);
        *p = c;
        if (!c)
            break;
    }
    return 0;
}

int mc_fs_sync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

int mc_fs_rename_noreplace(const char *from, const char *to)
{
    if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
        return -1;
    if (link(from, to) == 0) {
        if (unlink(from) == 0)
            return 0;
        int e = errno;
        unlink(to);
        errno = e;
        return -1;
    }
    if (errno == EEXIST)
        return -1;
    /* No hard links here either: check, then rename (the callers hold the
     * run lock, so nobody else takes the name in between). */
    if (mc_fs_exists(to)) {
        errno = EEXIST;
        return -1;
    }
    return rename(from, to);
}

/* Remove ".NAME.PID.tmp" beside path whose PID is no longer running: what a
 * writer killed half-way left.  A live writer's temporary is left alone. */
static void remove_stale_temps(const char *path)
{
    char dir[4096];
    mc_fs_dirname(path, dir, sizeof dir);
    const char *base = mc_fs_basename(path);
    size_t nb = strlen(base);
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *n = e->d_name;
        size_t len = strlen(n);
        /* "." base "." digits ".tmp" */
        if (len < nb + 7 || n[0] != '.' || strncmp(n + 1, base, nb) != 0 || n[nb + 1] != '.' ||
            strcmp(n + len - 4, ".tmp") != 0)
            continue;
        const char *digits = n + nb + 2, *end = n + len - 4;
        long pid = 0;
        int ok = digits < end;
        for (const char *c = digits; ok && c < end; c++) {
            ok = *c >= '0' && *c <= '9' && pid < 100000000;
            pid = pid * 10 + (*c - '0');
        }
        if (ok && pid > 0 && pid != (long)getpid() && kill((pid_t)pid, 0) != 0 && errno == ESRCH)
            unlinkat(dirfd(d), n, 0);
    }
    closedir(d);
}

static int sync_file(const char *p)
{
    int fd = open(p, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* The one way a file is written: fill a hidden temporary in the same folder
 * (so the rename is atomic), sync it, rename it into place -- over an old
 * file, or, with noreplace, never over anything. */
static int write_via_temp(const char *path, int (*fill)(const char *tmp, void *ctx, mc_error *err),
                          void *ctx, int noreplace, mc_error *err)
{
    size_t n = strlen(path) + 32;
    char *tmp = malloc(n);
    if (!tmp)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory");
    const char *slash = strrchr(path, '/');
    if (slash)
        snprintf(tmp, n, "%.*s/.%s.%ld.tmp", (int)(slash - path), path, slash + 1, (long)getpid());
    else
        snprintf(tmp, n, ".%s.%ld.tmp", path, (long)getpid());
    remove_stale_temps(path);
    int st = fill(tmp, ctx, err);
    size_t tl = strlen(tmp);
    if (st && err && strncmp(err->msg, tmp, tl) == 0) {
        /* name the file that was asked for, not the hidden temporary one */
        char rest[sizeof err->msg];
        snprintf(rest, sizeof rest, "%s", err->msg + tl);
        mc_error_set(err, st, "%s%s", path, rest);
    }
    /* synced before the rename: after a power cut the name holds the whole
     * new file or the old one */
    if (!st && sync_file(tmp) != 0)
        st = mc_error_set(err, MC_EXIT_IO, "%s: cannot write: %s", path, strerror(errno));
    if (!st && (noreplace ? mc_fs_rename_noreplace(tmp, path) : rename(tmp, path)) != 0)
        st = mc_error_set(err, MC_EXIT_IO, "%s: cannot write: %s", path, strerror(errno));
    if (st)
        unlink(tmp);
    free(tmp);
    return st;
}

int mc_fs_write_atomic(const char *path, int (*fill)(const char *tmp, void *ctx, mc_error *err),
                       void *ctx, mc_error *err)
{
    return write_via_temp(path, fill, ctx, 0, err);
}

typedef struct stream_job {
    int (*write)(FILE *out, void *ctx, mc_error *err);
    void *ctx;
} stream_job;

static int fill_stream(const char *tmp, void *ctx, mc_error *err)
{
    const stream_job *j = ctx;
    FILE *fp = fopen(tmp, "w");
    if (!fp)
        return mc_error_set(err, MC_EXIT_IO, "%s: cannot write: %s", tmp, strerror(errno));
    int st = j->write(fp, j->ctx, err);
    if (fflush(fp) != 0 && !st)
        st = mc_error_set(err, MC_EXIT_IO, "%s: cannot write: %s", tmp, strerror(errno));
    if (fclose(fp) != 0 && !st)
        st = mc_error_set(err, MC_EXIT_IO, "%s: cannot write: %s", tmp, strerror(errno));
    return st;
}

int mc_fs_write_stream_atomic(const char *path, int (*write)(FILE *out, void *ctx, mc_error *err),
                              void *ctx, mc_error *err)
{
    stream_job j = {write, ctx};
    return mc_fs_write_atomic(path, fill_stream, &j, err);
}

/* A new file of one line: mode 0640 (reason files may name an export), not
 * through a symbolic link planted at the temporary's name. */
static int fill_line(const char *tmp, void *ctx, mc_error *err)
{
    const char *text = ctx;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0640);
    if (fd < 0)
        return mc_error_set(err, MC_EXIT_IO, "%s: cannot write: %s", tmp, strerror(errno));
    size_t n = strlen(text);
    int ok = write(fd, text, n) == (ssize_t)n && write(fd, "\n", 1) == 1;
    int e = errno;
    if (close(fd) != 0 && ok) {
        ok = 0;
        e = errno;
    }
    return ok ? 0 : mc_error_set(err, MC_EXIT_IO, "%s: cannot write: %s", tmp, strerror(e));
}

int mc_fs_write_new(const char *path, const char *text, mc_error *err)
{
    return write_via_temp(path, fill_line, (void *)text, 1, err);
}

void mc_fs_escape_controls(const char *s, char *out, size_t cap)
{
    size_t o = 0;
    if (cap == 0)
        return;
    for (const unsigned char *p = (const unsigned char *)s; *p && o + 5 < cap; p++) {
        if (*p < 0x20 || *p == 0x7f)
            o += (size_t)snprintf(out + o, cap - o, "\\x%02x", *p);
        else
            out[o++] = (char)*p;
    }
    out[o] = '\0';
}
