/*
 * commands.h -- the commands of SPEC 7.  Each takes the parsed options,
 * prints its own messages (etl/log.h) and returns the exit status.
 */
#ifndef MC_COMMANDS_H
#define MC_COMMANDS_H

#include "cli/options.h"

int mc_cmd_ingest(mc_options *o);
int mc_cmd_report(mc_options *o);
int mc_cmd_run(mc_options *o);
int mc_cmd_rerun(mc_options *o);
int mc_cmd_check(mc_options *o);

/* The worse of two exit statuses: I/O beats data beats success. */
int mc_exit_worst(int a, int b);

#endif
