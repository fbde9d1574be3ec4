/*
 * verified.h -- the stamp beside the store that lets a writer skip the
 * whole-store check: "motcua closed this file after a run that found it
 * sound, and the file has not changed since".
 *
 * The stamp, DB.verified, holds a format tag and the store file's st_dev,
 * st_ino, st_size, st_mtim and st_ctim as they were right after that close.
 * Any write to the file, a truncation, a restore from a backup, a copy over
 * it or a rename changes its ctime or its inode, and no user-space call can
 * set a ctime back (touch -r sets the mtime only).  So a stamp that still
 * matches, with no WAL or rollback journal waiting beside the store, means
 * the file holds the bytes motcua verified and then wrote itself.
 *
 * What it cannot see: damage below the file system, such as a disk that
 * returns other bytes than were written, which `motcua check` finds as it
 * reads everything; and a write by another program within the same tick
 * of the file system's clock as motcua's own last write (the stamp is
 * published only once that clock has moved past the store's ctime, so
 * every write after it changes the ctime).  A store reached through a symbolic link is
 * never stamped (its WAL lives beside the link's target).
 *
 * A stamp that is missing, unreadable or not of this format simply does not
 * match.  Nothing here prints; errors are returned.
 */
#ifndef MC_VERIFIED_H
#define MC_VERIFIED_H

#include "base/error.h"

/* The stamp's name is the store's with this appended. */
#define MC_VERIFIED_SUFFIX ".verified"

/* 1 when the stamp beside db matches db's current state exactly and db has
 * no WAL or rollback journal of non-zero size beside it (nothing SQLite
 * would fold into the store on open); 0 otherwise, whatever the reason: no
 * stamp, a damaged or foreign one, a stat that fails, a changed store. */
int mc_verified_matches(const char *db);

/* Remove the stamp beside db: a writer calls this before it first writes,
 * so a stamp exists only while the store is at rest.  0 when no stamp is
 * left (or there was none), else MC_EXIT_IO with *err saying why.  A stamp
 * that could not be removed is harmless: the first write changes the
 * store's ctime, and it no longer matches. */
int mc_verified_clear(const char *db, mc_error *err);

/* Write the stamp of db as it is now.  Call it only after the last
 * connection that wrote to db was closed, when db was found sound when it
 * was opened and no store error happened since.  Returns 0 when written;
 * 1 when db is not at rest and no stamp was written (a WAL or journal is
 * still beside it because another connection has it open, db is not a
 * regular file, or the file system's clock did not move past db's ctime
 * within 100 ms), *err saying which; MC_EXIT_IO when the stamp cannot be
 * written (a read-only folder, a full disk), *err naming it.  Either way
 * the next writer just runs the whole-store check. */
int mc_verified_write(const char *db, mc_error *err);

#endif
