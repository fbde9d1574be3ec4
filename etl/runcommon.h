/*
 * runcommon.h -- what `run` and `rerun` share before they do anything: the
 * checks of their options, and opening the store for writing only when it
 * is sound.
 */
#ifndef MC_RUNCOMMON_H
#define MC_RUNCOMMON_H

#include "etl/error.h"
#include "etl/options.h"
#include "etl/store.h"

/* Check convention and formats (from the command line; the config file's
 * were checked when read) and fill *formats with MC_OUT_* bits.  0 or
 * MC_EXIT_USAGE. */
int mc_run_check_options(const mc_options *o, unsigned *formats, mc_error *err);

/*
 * Open the store for writing, refusing a damaged one (PRAGMA quick_check)
 * with a message that says how to recover.  MOTCUA_MAX_PAGES, when set,
 * caps the database size in pages, which lets the tests fill the "disk".
 * Returns 0 or an MC_EXIT_* status.
 */
int mc_run_open_store(const char *path, mc_store **s, mc_error *err);

/* Seconds an inbox file must have been left alone before it is loaded:
 * MOTCUA_SETTLE_SECONDS when set to a number >= 0, else 60. */
int mc_run_settle_seconds(void);

#endif
