/*
 * log.c -- one-line messages on standard error; see log.h.
 */
#include "etl/log.h"

#include <stdarg.h>
#include <stdio.h>

static const char *log_command = "motcua";
static int log_quiet, log_verbose;

void mc_log_setup(const char *command, int quiet, int verbose)
{
    log_command = command ? command : "motcua";
    log_quiet = quiet;
    log_verbose = verbose;
}

static void emit(const char *fmt, va_list ap)
{
    fprintf(stderr, "motcua %s: ", log_command);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
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
