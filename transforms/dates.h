/*
 * dates.h -- the date and time forms of SPEC 1.3 to and from mc_date, and
 * the calendar arithmetic on day numbers that periods and figures build on.
 *
 * All dates are local time in Asia/Ho_Chi_Minh (UTC+7, no daylight saving),
 * so a date is a plain proleptic Gregorian day and no time zone is applied.
 * Day numbers count days since 1970-01-01 (negative before it).
 */
#ifndef MC_DATES_H
#define MC_DATES_H

#include <stddef.h>
#include <stdint.h>

#include "transforms/record.h"

/*
 * Parse one date cell s[0..n) (need not be NUL-terminated; white space
 * around it is ignored).  Accepted, and nothing else (never month-first):
 *   d/m/yyyy  d-m-yyyy   (day, month 1-2 digits; same separator twice)
 *       optionally followed by one or more spaces and H:MM or H:MM:SS
 *   yyyy-mm-dd           optionally followed by spaces and H:MM[:SS],
 *                        or by THH:MM:SS
 *   yyyyMMddHHmmss       (exactly 14 digits)
 * Hours take 1-2 digits, minutes and seconds exactly 2.  The date must be a
 * real calendar date in years 0001-9999 and the time 00:00:00-23:59:59.
 * Returns 0 with *out set (no time part -> no time, not midnight), or -1
 * when s is not such a date; a blank s also gives -1.
 */
int mc_date_parse(const char *s, size_t n, mc_date *out);

/*
 * Write d as "YYYY-MM-DD", or "YYYY-MM-DD HH:MM:SS" when it has a time,
 * NUL-terminated, into buf of cap bytes.  MC_DATE_NONE writes "".  Returns
 * the length written, or -1 when cap is too small (buf then holds "" if
 * cap > 0).
 */
int mc_date_format(mc_date d, char *buf, size_t cap);

/* Day number of the proleptic Gregorian date y-m-d; m in 1..12, d in 1..31
 * (not checked against the month: callers validate first). */
int64_t mc_days_from_civil(int y, unsigned m, unsigned d);

/* The inverse of mc_days_from_civil. */
void mc_civil_from_days(int64_t days, int *y, unsigned *m, unsigned *d);

/* 1 when y-m-d is a real calendar date (year 1..9999), else 0. */
int mc_date_valid(int y, unsigned m, unsigned d);

/* Parse exactly "YYYY-MM-DD" (NUL-terminated, no white space, a real
 * date) into a day number.  0 ok, -1 otherwise (*day untouched). */
int mc_day_parse(const char *s, int64_t *day);

/* Write day as "YYYY-MM-DD" (NUL-terminated). */
void mc_day_format(int64_t day, char buf[11]);

#endif
