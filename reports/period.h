/*
 * period.h -- report periods of SPEC 4: parsing, the two conventions
 * (calendar and the state reporting cut-off), the as-of date, and the
 * current / previous period that the nightly run refreshes.
 *
 * A period is reduced to an inclusive range of day numbers (days since
 * 1970-01-01) plus its canonical text; everything downstream (figures,
 * targets, output folders) works from those two.
 */
#ifndef MC_PERIOD_H
#define MC_PERIOD_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

typedef enum { MC_CONV_CALENDAR, MC_CONV_CUTOFF } mc_convention;

typedef struct mc_period {
    char canon[64];        /* "2025-07", "2025-Q3", "2025-H1", "2025",
                              "2025-07-01..2025-09-30", "2021..2025" */
    int64_t start, end;    /* day numbers, inclusive */
} mc_period;

/* "calendar" or "cutoff" (case-insensitive) into *out; 0, or -1 when s is
 * neither (*out untouched). */
int mc_convention_parse(const char *s, mc_convention *out);

/* "calendar" or "cutoff". */
const char *mc_convention_name(mc_convention c);

/*
 * Parse s into *out under conv.  Forms: YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY,
 * YYYY-MM-DD..YYYY-MM-DD, and A..B of any two of these forms or dates
 * (start of A to end of B).  q/h in either case; the canonical form is
 * upper case.  Returns 0, or MC_EXIT_USAGE with *err naming the input and
 * listing the accepted forms (no file or line: callers add their own).
 */
int mc_period_parse(const char *s, mc_convention conv, mc_period *out, mc_error *err);

/* SPEC 4 as-of date: the period's last day once today is past it, else
 * today (also when the period lies wholly in the future). */
int64_t mc_period_as_of(const mc_period *p, int64_t today);

/* The period of kind 'M', 'Q', 'H' or 'Y' (either case) that contains day
 * under conv, into *out.  0, or -1 for an unknown kind. */
int mc_period_current(int64_t day, char kind, mc_convention conv, mc_period *out);

/* The period just before *p, ending the day before p starts: same kind for
 * M/Q/H/Y; for A..B of two periods of one kind, as many periods of that
 * kind (2021..2025 -> 2016..2020); for any other range, the date range of
 * the same number of days.  0, or -1 when p->canon is not canonical. */
int mc_period_previous(const mc_period *p, mc_convention conv, mc_period *out);

/* The n months (in conv) that end with the month holding p's last day,
 * oldest first, into out[0..n): the months of SPEC 13's trend.  0, or -1
 * when a month cannot be formed (a bug: every day has its month). */
int mc_period_months_to(const mc_period *p, mc_convention conv, size_t n, mc_period *out);

/* 1 when every day of inner lies in outer, else 0. */
int mc_period_contains(const mc_period *outer, const mc_period *inner);

/*
 * Today's day number in Asia/Ho_Chi_Minh (UTC+7).  When MOTCUA_TODAY holds
 * a valid YYYY-MM-DD, that day is returned instead, so that tests and
 * re-runs can fix the clock; an invalid value is ignored (the real clock is
 * used).
 */
int64_t mc_period_today(void);

#endif
