/*
 * clock.c -- the wall clock in UTC+7; see clock.h.
 */
#include "etl/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

void mc_clock_now_iso(char *buf, size_t cap)
{
    const char *pinned = getenv("MOTCUA_NOW");
    if (pinned && *pinned) {
        snprintf(buf, cap, "%s", pinned);
        return;
    }
    time_t t = time(NULL) + 7 * 3600;
    struct tm tm;
    gmtime_r(&t, &tm);
    char tmp[32];
    strftime(tmp, sizeof tmp, "%Y-%m-%dT%H:%M:%S+07:00", &tm);
    snprintf(buf, cap, "%s", tmp);
}

double mc_clock_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}
