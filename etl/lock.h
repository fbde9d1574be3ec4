/*
 * lock.h -- one run at a time (SPEC 8): an exclusive flock(2) on DB.lock,
 * the file beside the store, holding the PID of the run that owns it.
 *
 * flock rather than a PID file alone: the kernel drops the lock when the
 * process dies, however it dies, so a killed run never blocks the next one.
 * The PID inside is only for the message that names who holds it.
 */
#ifndef MC_LOCK_H
#define MC_LOCK_H

#include "base/error.h"

typedef struct mc_lock mc_lock;

/*
 * Take the lock of the store at db_path without waiting.  Returns 0 with
 * *out set; MC_EXIT_TEMPFAIL when another process holds it (err names the
 * lock file and the holder's PID when known); MC_EXIT_IO when the lock file
 * cannot be created or opened (it is never a symbolic link).
 */
int mc_lock_acquire(const char *db_path, mc_lock **out, mc_error *err);

/* Release the lock (the file stays, emptied, for the next run).  NULL is
 * fine. */
void mc_lock_release(mc_lock *l);

#endif
