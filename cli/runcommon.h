/*
 * runcommon.h -- what `run`, `rerun` and `ingest` share: the checks of
 * their options, opening the store for writing only when it is sound, and
 * closing it so that the next open knows it still is.
 */
#ifndef MC_RUNCOMMON_H
#define MC_RUNCOMMON_H

#include "base/error.h"
#include "cli/options.h"
#include "etl/store.h"
#include "reports/build.h"

/* Check convention and formats (from the command line; the config file's
 * were checked when read) and fill *formats with MC_OUT_* bits.  0 or
 * MC_EXIT_USAGE. */
int mc_run_check_options(const mc_options *o, unsigned *formats, mc_error *err);

/*
 * Open the store for writing, refusing a damaged one (PRAGMA quick_check)
 * with a message that says how to recover.  The check is skipped when the
 * stamp beside the store (verified.h) shows the file unchanged since a
 * motcua writer closed it sound; *checked is 1 when the check ran, 0 when
 * it was skipped.  The stamp is removed before anything is written.
 * MOTCUA_MAX_PAGES, when set, caps the database size in pages, which lets
 * the tests fill the "disk".  Returns 0 or an MC_EXIT_* status.
 */
int mc_run_open_store(const char *path, mc_store **s, int *checked, mc_error *err);

/* The verbose line a command gives when the check was skipped (%s: the
 * store's path), the same for every command. */
#define MC_RUN_SKIPPED_CHECK \
    "%s: unchanged since motcua last closed it sound: whole-store check skipped"

/*
 * Close a store opened by mc_run_open_store (s may be NULL), status being
 * the command's worst exit status so far.  When that is 0 or MC_EXIT_DATA
 * (the store's own failures are 70, 74 and 75, so none happened), a stamp
 * is written once the close has folded in and removed the WAL, and the
 * next open skips the whole-store check.  Returns 0 when a stamp was
 * written, else non-zero with *err saying why not: that is never a failure
 * of the command, only a whole-store check the next time.
 */
int mc_run_close_store(mc_store *s, int status, mc_error *err);

/* The registry and targets the options name -- the files given, or the
 * bundled ones when none was given ("" given: none) -- under the options'
 * convention: the one place where options become the report's inputs. */
int mc_cli_report_inputs(const mc_options *o, mc_report_inputs *in, mc_error *err);

/* Seconds an inbox file must have been left alone before it is loaded:
 * MOTCUA_SETTLE_SECONDS when set to a number >= 0, else 60. */
int mc_run_settle_seconds(void);

#endif
