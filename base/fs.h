/*
 * fs.h -- the file-system helpers every layer shares: writing a file all at
 * once or not at all, creating folders, syncing a folder after a rename,
 * splitting a path, and quoting a name safely in one line of text.
 *
 * One copy of each, so that every file motcua leaves behind (report files,
 * reason files, the verified stamp) is written the same careful way.
 */
#ifndef MC_FS_H
#define MC_FS_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "base/error.h"

/* 1 when something (file, folder, link, anything) is at path, or when
 * lstat fails for another reason than "no such file": a name that cannot
 * be checked is never taken as free.  0 when nothing is there. */
int mc_fs_exists(const char *path);

/* read(2), retried when a signal interrupts it before anything is read:
 * the bytes read, 0 at the end of the file, or -1 with errno set. */
ssize_t mc_fs_read(int fd, void *buf, size_t n);

/* The part of path after its last '/' (path itself when it has none). */
const char *mc_fs_basename(const char *path);

/* The folder of path into buf: "." when path has no '/', "/" for "/x". */
void mc_fs_dirname(const char *path, char *buf, size_t cap);

/* mkdir -p with mode 0750 (less under the umask).  0 or MC_EXIT_IO. */
int mc_fs_mkdirs(const char *path, mc_error *err);

/* fsync a folder, so a rename in it survives a power loss.  0, or -1 with
 * errno set. */
int mc_fs_sync_dir(const char *path);

/* rename(2) that never replaces: renameat2's RENAME_NOREPLACE where the
 * filesystem has it, else link + unlink.  0, or -1 with errno (EEXIST when
 * the target is taken). */
int mc_fs_rename_noreplace(const char *from, const char *to);

/*
 * Write the file at path all at once or not at all: fill(tmp, ctx, err)
 * writes a hidden temporary beside it (".NAME.PID.tmp"), which is synced
 * and renamed over path.  Temporaries left by writers of the same path
 * that were killed (their process is gone) are removed first, so a crash
 * leaves no debris behind for long.  Messages name path, never the
 * temporary.  Returns 0 or fill's / an MC_EXIT_IO status.
 */
int mc_fs_write_atomic(const char *path, int (*fill)(const char *tmp, void *ctx, mc_error *err),
                       void *ctx, mc_error *err);

/* The same for a file written as a stream: write(out, ctx, err) fills the
 * opened temporary, which is then flushed, closed, synced and renamed. */
int mc_fs_write_stream_atomic(const char *path, int (*write)(FILE *out, void *ctx, mc_error *err),
                              void *ctx, mc_error *err);

/* Write text plus a newline to path, which must not exist yet (the same
 * temporary and sync as mc_fs_write_atomic, then a rename that never
 * replaces; mode 0640).  0 or MC_EXIT_IO (EEXIST's message when taken). */
int mc_fs_write_new(const char *path, const char *text, mc_error *err);

/* Copy s to out (cap bytes), control bytes written as \xNN, so that text
 * quoting a file name stays one line and cannot drive a terminal. */
void mc_fs_escape_controls(const char *s, char *out, size_t cap);

#endif
