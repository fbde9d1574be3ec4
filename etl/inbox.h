/*
 * inbox.h -- the folders of `motcua run` (SPEC 8): reading the inbox
 * safely, and moving exports to the archive or the quarantine without ever
 * overwriting or deleting anything.
 *
 * Exports arrive by copy from other machines, so the inbox may hold files
 * still being written, temporary names, folders and symbolic links.  Only
 * settled regular files are ever opened, and a symbolic link is never
 * followed (it could point anywhere on the server).
 */
#ifndef MC_INBOX_H
#define MC_INBOX_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "base/error.h"

typedef enum {
    MC_ENTRY_EXPORT,     /* a settled regular file: to be loaded */
    MC_ENTRY_UNSETTLED,  /* a regular file modified in the last settle seconds */
    MC_ENTRY_PARTIAL,    /* .part .tmp .partial .crdownload, or a hidden name */
    MC_ENTRY_FOLDER,
    MC_ENTRY_SYMLINK,
    MC_ENTRY_OTHER       /* fifo, socket, device */
} mc_entry_kind;

typedef struct mc_entry {
    char *name;          /* the name in the folder, no '/' */
    mc_entry_kind kind;
    time_t mtime;
    off_t size;
    dev_t dev;
    ino_t ino;
} mc_entry;

/* 1 when name says "still being written": a hidden name, or one ending in
 * .part, .tmp, .partial or .crdownload. */
int mc_inbox_partial_name(const char *name);

/*
 * List the entries of dir (not recursing), sorted by name in byte order,
 * classified with lstat only.  A regular file whose modification time is
 * less than settle seconds from now is MC_ENTRY_UNSETTLED.  Returns 0, or
 * MC_EXIT_IO when dir cannot be read.  Free with mc_inbox_free.
 */
int mc_inbox_scan(const char *dir, int settle, time_t now, mc_entry **v, size_t *n,
                  mc_error *err);
void mc_inbox_free(mc_entry *v, size_t n);

/*
 * Check that dir/e->name can be read and is still the regular file that was
 * scanned (opened with O_NOFOLLOW, so a symbolic link swapped in since is
 * refused).  Returns an open descriptor (>= 0; keep it open while loading,
 * close it after), or -MC_EXIT_IO / -MC_EXIT_DATA with err filled.
 */
int mc_inbox_open(const char *dir, const mc_entry *e, mc_error *err);

/* 1 when dir/e->name is still the file scanned (same device and inode, not
 * a symbolic link), else 0. */
int mc_inbox_unchanged(const char *dir, const mc_entry *e);

/*
 * Move dir/name into dst_dir (created when missing) under the same name, or,
 * when that name is taken, NAME.1, NAME.2, ... -- never overwriting.  With
 * companion (e.g. ".reason.txt"), the chosen NAME also has no NAME+companion
 * beside it.  rename(2) only (same filesystem), then both folders are
 * fsync'ed.  final receives the new path.  Returns 0 or MC_EXIT_IO.
 */
int mc_move_unique(const char *dir, const char *name, const char *dst_dir,
                   const char *companion, char *final, size_t final_cap, mc_error *err);

/* Every regular file under dir, recursively, as paths relative to dir,
 * sorted in byte order; symbolic links are skipped, never followed.  A
 * missing dir gives none.  newest (may be NULL) receives the latest
 * modification time seen (0 when none).  Free with mc_paths_free. */
int mc_walk_files(const char *dir, char ***paths, size_t *n, time_t *newest, mc_error *err);
void mc_paths_free(char **paths, size_t n);

#endif
