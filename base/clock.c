/*
 * clock.c -- the wall clock in UTC+7 and the test knobs; see clock.h.
 */
#include "base/clock.h"

#include <errno.h>
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
    time_t t = (time_t)mc_clock_local_seconds();
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

int64_t mc_clock_local_seconds(void)
{
    return (int64_t)time(NULL) + MC_CLOCK_UTC_OFFSET;
}

const char *mc_knob_text(mc_knob k)
{
    static const char *const names[] = {
        [MC_KNOB_TODAY] = "MOTCUA_TODAY",
        [MC_KNOB_SETTLE_SECONDS] = "MOTCUA_SETTLE_SECONDS",
        [MC_KNOB_MAX_PAGES] = "MOTCUA_MAX_PAGES",
        [MC_KNOB_STORE_RUN_ROWS] = "MOTCUA_STORE_RUN_ROWS",
        [MC_KNOB_SCAN_SPLIT_BYTES] = "MOTCUA_SCAN_SPLIT_BYTES",
    };
    const char *v = getenv(names[k]);
    return v && *v ? v : NULL;
}

int mc_knob_number(mc_knob k, long long lo, long long hi, long long *out)
{
    const char *v = mc_knob_text(k);
    if (!v || *v < '0' || *v > '9')
        return 0;
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (errno || *end || n < lo || n > hi)
        return 0;
    *out = n;
    return 1;
}
