/*
 * inbox.c -- the run's folders; see inbox.h.
 */
#include "etl/inbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fs.h"

#define MAX_DEPTH 16
#define MAX_SUFFIX 10000

int mc_inbox_partial_name(const char *name)
{
    static const char *const ends[] = {".part", ".tmp", ".partial", ".crdownload"};
    if (name[0] == '.')
        return 1;
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
        size_t m = strlen(ends[i]);
        if (n > m && strcmp(name + n - m, ends[i]) == 0)
            return 1;
    }
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const mc_entry *)a)->name, ((const mc_entry *)b)->name);
}

void mc_inbox_free(mc_entry *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].name);
    free(v);
}

int mc_inbox_scan(const char *dir, int settle, time_t now, mc_entry **out, size_t *out_n,
                  mc_error *err)
{
    *out = NULL;
    *out_n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return mc_error_set(err, MC_EXIT_IO, "%s: cannot read the inbox folder: %s", dir,
                            strerror(errno));
    mc_entry *v = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    errno = 0;
    while ((de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        struct stat sb;
        if (fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
            continue; /* gone since readdir: nothing to do with it */
        if (n == cap) {
            cap = cap ? 2 * cap : 32;
            mc_entry *nv = realloc(v, cap * sizeof *nv);
            if (!nv)
                goto nomem;
            v = nv;
        }
        mc_entry *e = &v[n];
        if (!(e->name = strdup(de->d_name)))
            goto nomem;
        n++;
        e->mtime = sb.st_mtime;
        e->size = sb.st_size;
        e->dev = sb.st_dev;
        e->ino = sb.st_ino;
        if (S_ISLNK(sb.st_mode))
            e->kind = MC_ENTRY_SYMLINK;
        else if (S_ISDIR(sb.st_mode))
            e->kind = MC_ENTRY_FOLDER;
        else if (!S_ISREG(sb.st_mode))
            e->kind = MC_ENTRY_OTHER;
        else if (mc_inbox_partial_name(e->name))
            e->kind = MC_ENTRY_PARTIAL;
        else if (settle > 0 && (now - e->mtime < settle && e->mtime - now < settle))
            e->kind = MC_ENTRY_UNSETTLED;
        else
            e->kind = MC_ENTRY_EXPORT;
        errno = 0;
    }
    int e = errno;
    closedir(d);
    if (e) {
        mc_inbox_free(v, n);
        return mc_error_set(err, MC_EXIT_IO, "%s: cannot read the inbox folder: %s", dir,
                            strerror(e));
    }
    if (n)
        qsort(v, n, sizeof *v, by_name);
    *out = v;
    *out_n = n;
    return 0;
nomem:
    closedir(d);
    mc_inbox_free(v, n);
    return mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory");
}

int mc_inbox_open(const char *dir, const mc_entry *e, mc_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, e->name);
    /* O_NONBLOCK: should a fifo have been swapped in, do not hang on it. */
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        int x = errno;
        if (x == ELOOP)
            return -mc_error_set(err, MC_EXIT_DATA,
                                 "%s: became a symbolic link; not followed, left in the inbox",
                                 path);
        if (x == EACCES || x == EPERM)
            return -mc_error_set(err, MC_EXIT_IO,
                                 "%s: no permission to read it; left in the inbox (give the "
                                 "motcua user read access, e.g. chmod g+r)", path);
        return -mc_error_set(err, MC_EXIT_IO, "%s: cannot open: %s; left in the inbox", path,
                             strerror(x));
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_dev != e->dev ||
        sb.st_ino != e->ino) {
        close(fd);
        return -mc_error_set(err, MC_EXIT_DATA,
                             "%s: was replaced while motcua looked at it; left in the inbox",
                             path);
    }
    return fd;
}

int mc_inbox_unchanged(const char *dir, const mc_entry *e)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, e->name);
    struct stat sb;
    return lstat(path, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_dev == e->dev &&
           sb.st_ino == e->ino;
}

int mc_move_unique(const char *dir, const char *name, const char *dst_dir,
                   const char *companion, char *final, size_t final_cap, mc_error *err)
{
    char from[4096], to[4096], side[4200];
    snprintf(from, sizeof from, "%s/%s", dir, name);
    int st = mc_fs_mkdirs(dst_dir, err);
    if (st)
        return st;
    for (int k = 0; k < MAX_SUFFIX; k++) {
        int n = k ? snprintf(to, sizeof to, "%s/%s.%d", dst_dir, name, k)
                  : snprintf(to, sizeof to, "%s/%s", dst_dir, name);
        if (n < 0 || (size_t)n >= sizeof to)
            return mc_error_set(err, MC_EXIT_IO, "%s: path too long", dst_dir);
        if (companion) {
            snprintf(side, sizeof side, "%s%s", to, companion);
            if (mc_fs_exists(side))
                continue;
        }
        if (mc_fs_rename_noreplace(from, to) == 0) {
            snprintf(final, final_cap, "%s", to);
            if (mc_fs_sync_dir(dst_dir) != 0 || mc_fs_sync_dir(dir) != 0)
                return mc_error_set(err, MC_EXIT_IO, "%s: moved, but the folder could not be "
                                    "synced: %s", to, strerror(errno));
            return 0;
        }
        if (errno == EEXIST || errno == ENOTEMPTY)
            continue;
        if (errno == EXDEV)
            return mc_error_set(err, MC_EXIT_IO,
                                "%s: cannot move it to %s: they are on different filesystems; "
                                "put the inbox, archive and quarantine folders on one disk",
                                from, dst_dir);
        return mc_error_set(err, MC_EXIT_IO, "%s: cannot move it to %s: %s", from, dst_dir,
                            strerror(errno));
    }
    return mc_error_set(err, MC_EXIT_IO, "%s: %d files of this name in %s already; not moved",
                        from, MAX_SUFFIX, dst_dir);
}


typedef struct walk {
    char **v;
    size_t n, cap;
    time_t newest;
} walk;

static int add_path(walk *w, const char *rel)
{
    if (w->n == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 64;
        char **v = realloc(w->v, cap * sizeof *v);
        if (!v)
            return -1;
        w->v = v;
        w->cap = cap;
    }
    if (!(w->v[w->n] = strdup(rel)))
        return -1;
    w->n++;
    return 0;
}

static int walk_dir(walk *w, int dfd, const char *rel, int depth, const char *top, mc_error *err)
{
    DIR *d = fdopendir(dfd);
    if (!d) {
        close(dfd);
        return mc_error_set(err, MC_EXIT_IO, "%s/%s: cannot read the folder: %s", top, rel,
                            strerror(errno));
    }
    struct dirent *de;
    int st = 0;
    while (!st && (de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        struct stat sb;
        if (fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
        char sub[4096];
        if (snprintf(sub, sizeof sub, "%s%s%s", rel, rel[0] ? "/" : "", de->d_name) >=
            (int)sizeof sub)
            continue;
        if (S_ISDIR(sb.st_mode) && depth < MAX_DEPTH) {
            int sfd = openat(dirfd(d), de->d_name,
                             O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sfd >= 0)
                st = walk_dir(w, sfd, sub, depth + 1, top, err);
        } else if (S_ISREG(sb.st_mode) && !mc_inbox_partial_name(de->d_name)) {
            if (sb.st_mtime > w->newest)
                w->newest = sb.st_mtime;
            if (add_path(w, sub) != 0)
                st = mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory");
        }
    }
    closedir(d);
    return st;
}

static int by_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void mc_paths_free(char **paths, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
}

int mc_walk_files(const char *dir, char ***paths, size_t *n, time_t *newest, mc_error *err)
{
    *paths = NULL;
    *n = 0;
    if (newest)
        *newest = 0;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return 0;
        return mc_error_set(err, MC_EXIT_IO, "%s: cannot read the folder: %s", dir,
                            strerror(errno));
    }
    walk w = {0};
    int st = walk_dir(&w, fd, "", 0, dir, err);
    if (st) {
        mc_paths_free(w.v, w.n);
        return st;
    }
    if (w.n)
        qsort(w.v, w.n, sizeof *w.v, by_str);
    *paths = w.v;
    *n = w.n;
    if (newest)
        *newest = w.newest;
    return 0;
}
