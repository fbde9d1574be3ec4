/*
 * error.c -- filling mc_error; see error.h.
 */
#include "base/error.h"

#include <stdarg.h>
#include <stdio.h>

int mc_error_set(mc_error *err, int status, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->status = status;
    }
    return status;
}

void mc_error_clear(mc_error *err)
{
    if (err) {
        err->status = 0;
        err->msg[0] = '\0';
    }
}
