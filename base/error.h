/*
 * error.h -- how every module reports failure to the command layer.
 *
 * Modules never print.  A function that can fail takes an mc_error * and, on
 * failure, fills it with an exit status of SPEC section 7 and one line of text
 * that names the file (and line and column where it applies).  The command
 * layer prints the line once and exits with the status.
 */
#ifndef MC_ERROR_H
#define MC_ERROR_H

#include <stddef.h>

/* Exit statuses of SPEC 7, plus 70 for a bug in motcua itself (sysexits.h). */
enum {
    MC_EXIT_OK = 0,
    MC_EXIT_USAGE = 64,
    MC_EXIT_DATA = 65,
    MC_EXIT_SOFTWARE = 70,
    MC_EXIT_IO = 74,
    MC_EXIT_TEMPFAIL = 75
};

typedef struct mc_error {
    int status;       /* one of MC_EXIT_*; 0 when nothing went wrong */
    char msg[1024];   /* one line, no trailing newline */
} mc_error;

/* Fill *err (may be NULL) with status and a printf-style message; returns
 * status so that callers can write `return mc_error_set(err, ...)`. */
int mc_error_set(mc_error *err, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Clear *err to "no error". */
void mc_error_clear(mc_error *err);

#endif
