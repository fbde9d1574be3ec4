/*
 * log.c -- one-line messages on standard error; see log.h.
 */
#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *log_command = "motcua";
static int log_quiet, log_verbose;

void mc_log_setup(const char *command, int quiet, int verbose)
{
    log_command = command ? command : "motcua";
    log_quiet = quiet;
    log_verbose = verbose;
}

/*
 * Messages quote file names and cells, which may hold line breaks or
 * terminal escapes (an export named "a\nmotcua run: ok.csv").  Control
 * bytes are written as \xNN so that one message stays one line and cannot
 * forge another or drive the terminal.
 */
static void emit(const char *fmt, va_list ap)
{
    char small[2048], *msg = small;
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    if (n >= (int)sizeof small && (msg = malloc((size_t)n + 1)) != NULL)
        vsnprintf(msg, (size_t)n + 1, fmt, again);
    else if (n >= (int)sizeof small)
        msg = small; /* no memory: the cut message is better than none */
    va_end(again);
    if (n < 0)
        small[0] = '\0';
    /* escaped copy, written with one call: stderr is unbuffered, and a
     * line written piecemeal can interleave with another process's */
    size_t len = strlen(msg);
    char *line = malloc(4 * len + 1);
    if (line) {
        size_t o = 0;
        for (const unsigned char *p = (const unsigned char *)msg; *p; p++) {
            if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
                o += (size_t)snprintf(line + o, 5, "\\x%02x", *p);
            else
                line[o++] = (char)*p;
        }
        line[o] = '\0';
    }
    fprintf(stderr, "motcua %s: %s\n", log_command, line ? line : "(out of memory)");
    free(line);
    if (msg != small)
        free(msg);
}

void mc_log_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(fmt, ap);
    va_end(ap);
}

void mc_log_info(const char *fmt, ...)
{
    if (log_quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    emit(fmt, ap);
    va_end(ap);
}

void mc_log_verbose(const char *fmt, ...)
{
    if (!log_verbose || log_quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    emit(fmt, ap);
    va_end(ap);
}
