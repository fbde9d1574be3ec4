/*
 * log.h -- the command layer's messages (SPEC 7): standard error, one line
 * each, prefixed by the command.  Only the command layer calls these; modules
 * return mc_error instead.
 */
#ifndef MC_LOG_H
#define MC_LOG_H

/* Set once by main: the command name, -q and -v. */
void mc_log_setup(const char *command, int quiet, int verbose);

/* A problem: always shown. */
void mc_log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Progress and summaries that a person may want: hidden by -q. */
void mc_log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Detail: shown with -v only. */
void mc_log_verbose(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
