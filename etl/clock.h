/*
 * clock.h -- the wall clock, as motcua records it.
 *
 * Times are written in Vietnam's time (UTC+7, no daylight saving) whatever
 * the server's TZ says.  Tests pin the clock with MOTCUA_NOW
 * ("YYYY-MM-DDTHH:MM:SS+07:00"), so outputs that carry a time are
 * reproducible.
 */
#ifndef MC_CLOCK_H
#define MC_CLOCK_H

#include <stddef.h>

/* "YYYY-MM-DDTHH:MM:SS+07:00" into buf (>= 26 bytes). */
void mc_clock_now_iso(char *buf, size_t cap);

/* Seconds since the epoch, monotonic not required; for durations. */
double mc_clock_seconds(void);

#endif
