/*
 * clock.h -- the wall clock, as motcua records it, and the environment
 * knobs the tests turn.
 *
 * Times are written in Vietnam's time (UTC+7, no daylight saving) whatever
 * the server's TZ says.  Tests pin the clock with MOTCUA_NOW
 * ("YYYY-MM-DDTHH:MM:SS+07:00") and the day with MOTCUA_TODAY, so outputs
 * that carry a time are reproducible.  Every environment variable motcua
 * reads is read here, so that one file lists them all (DEVELOPERS.md says
 * what each is for); operators never need any of them.
 */
#ifndef MC_CLOCK_H
#define MC_CLOCK_H

#include <stddef.h>
#include <stdint.h>

/* Vietnam has kept UTC+7 without daylight saving since 1975; the TZ
 * database is not needed, nor trusted to be installed on the server. */
#define MC_CLOCK_UTC_OFFSET (7 * 3600)

/* "YYYY-MM-DDTHH:MM:SS+07:00" into buf (>= 26 bytes). */
void mc_clock_now_iso(char *buf, size_t cap);

/* Seconds since the epoch, monotonic not required; for durations. */
double mc_clock_seconds(void);

/* Seconds since 1970-01-01 00:00 in UTC+7: local wall time as a count. */
int64_t mc_clock_local_seconds(void);

/* The test knobs: environment variables only tests set. */
typedef enum {
    MC_KNOB_TODAY,            /* MOTCUA_TODAY: the day, YYYY-MM-DD */
    MC_KNOB_SETTLE_SECONDS,   /* MOTCUA_SETTLE_SECONDS: inbox settling time */
    MC_KNOB_MAX_PAGES,        /* MOTCUA_MAX_PAGES: a store page limit (a full disk) */
    MC_KNOB_STORE_RUN_ROWS,   /* MOTCUA_STORE_RUN_ROWS: the largest sorted run */
    MC_KNOB_SCAN_SPLIT_BYTES  /* MOTCUA_SCAN_SPLIT_BYTES: when a report reads on two threads */
} mc_knob;

/* The knob's text, or NULL when it is unset or empty. */
const char *mc_knob_text(mc_knob k);

/* 1 and *out when the knob holds a whole decimal number within [lo, hi]
 * and nothing else; 0 when unset, empty or anything else (the default
 * then applies). */
int mc_knob_number(mc_knob k, long long lo, long long hi, long long *out);

#endif
