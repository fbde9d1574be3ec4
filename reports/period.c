/*
 * period.c -- report periods of SPEC 4; see period.h.
 *
 * Every named period is a run of whole months [m1, m2] of one year; the two
 * conventions differ only in where such a run starts and ends (the 1st and
 * the last day, or the 15th of the month before m1 and the 14th of m2).
 * Keeping that single rule is what makes cut-off months, quarters, halves
 * and years agree with each other at their edges.
 */
#include "reports/period.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/clock.h"
#include "transforms/dates.h"

/* Years outside this window are far more likely typos ("2205") than real
 * report periods, and would otherwise yield silently empty reports. */
enum { YEAR_MIN = 1900, YEAR_MAX = 2199 };

#define FORMS "accepted: YYYY-MM, YYYY-Qn (n 1-4), YYYY-Hn (n 1-2), YYYY, " \
              "YYYY-MM-DD..YYYY-MM-DD, or A..B of two of these (2021..2025)"

int mc_convention_parse(const char *s, mc_convention *out)
{
    if (!s)
        return -1;
    if (strcasecmp(s, "calendar") == 0) {
        *out = MC_CONV_CALENDAR;
        return 0;
    }
    if (strcasecmp(s, "cutoff") == 0) {
        *out = MC_CONV_CUTOFF;
        return 0;
    }
    return -1;
}

const char *mc_convention_name(mc_convention c)
{
    return c == MC_CONV_CUTOFF ? "cutoff" : "calendar";
}

/* One side of a period: a named period or a single day ('D'). */
typedef struct token {
    char kind;   /* 'M', 'Q', 'H', 'Y', 'D' */
    int year;
    int n;       /* month, quarter or half; month for 'D' */
    int day;     /* 'D' only */
} token;

/* The months [m1, m2] of year y under conv, as days. */
static void month_run(int y, int m1, int m2, mc_convention conv,
                      int64_t *start, int64_t *end)
{
    if (conv == MC_CONV_CUTOFF) {
        *start = m1 == 1 ? mc_days_from_civil(y - 1, 12, 15)
                         : mc_days_from_civil(y, (unsigned)m1 - 1, 15);
        *end = mc_days_from_civil(y, (unsigned)m2, 14);
    } else {
        *start = mc_days_from_civil(y, (unsigned)m1, 1);
        /* the day before the 1st of the next month: no month-length table */
        *end = (m2 == 12 ? mc_days_from_civil(y + 1, 1, 1)
                         : mc_days_from_civil(y, (unsigned)m2 + 1, 1)) - 1;
    }
}

static void token_span(const token *t, mc_convention conv, int64_t *start, int64_t *end)
{
    switch (t->kind) {
    case 'M': month_run(t->year, t->n, t->n, conv, start, end); break;
    case 'Q': month_run(t->year, 3 * t->n - 2, 3 * t->n, conv, start, end); break;
    case 'H': month_run(t->year, 6 * t->n - 5, 6 * t->n, conv, start, end); break;
    case 'Y': month_run(t->year, 1, 12, conv, start, end); break;
    default:
        *start = *end = mc_days_from_civil(t->year, (unsigned)t->n, (unsigned)t->day);
        break;
    }
}

/* Canonical text of a token into buf (at least 11 bytes). */
static void token_canon(const token *t, char *buf, size_t cap)
{
    /* The modulo bounds keep the compiler's truncation analysis quiet;
     * parse has already range-checked every field. */
    int y = t->year % 10000, n = t->n % 100, d = t->day % 100;
    switch (t->kind) {
    case 'M': snprintf(buf, cap, "%04d-%02d", y, n); break;
    case 'Q': snprintf(buf, cap, "%04d-Q%d", y, n); break;
    case 'H': snprintf(buf, cap, "%04d-H%d", y, n); break;
    case 'Y': snprintf(buf, cap, "%04d", y); break;
    default: snprintf(buf, cap, "%04d-%02d-%02d", y, n, d); break;
    }
}

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* Parse s[0..len) (white space around it allowed) into *t.  On failure
 * returns -1 and points *why at a short reason. */
static int token_parse(const char *s, size_t len, token *t, const char **why)
{
    while (len && isspace((unsigned char)*s))
        s++, len--;
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    *why = "not a period";
    if (len < 4 || !digits(s, 4))
        return -1;
    memset(t, 0, sizeof *t);
    t->year = num(s, 4);
    if (t->year < YEAR_MIN || t->year > YEAR_MAX) {
        *why = "year out of range 1900-2199";
        return -1;
    }
    if (len == 4) {
        t->kind = 'Y';
        return 0;
    }
    if (s[4] != '-')
        return -1;
    char c = len == 7 ? (char)toupper((unsigned char)s[5]) : 0;
    if (c == 'Q' || c == 'H') {
        if (!isdigit((unsigned char)s[6]))
            return -1;
        t->kind = c;
        t->n = s[6] - '0';
        if (t->n < 1 || t->n > (c == 'Q' ? 4 : 2)) {
            *why = c == 'Q' ? "quarter is not 1-4" : "half is not 1-2";
            return -1;
        }
        return 0;
    }
    if (len >= 7 && digits(s + 5, 2)) {
        t->n = num(s + 5, 2);
        if (len == 7 || (len == 10 && s[7] == '-' && digits(s + 8, 2))) {
            if (t->n < 1 || t->n > 12) {
                *why = "month is not 01-12";
                return -1;
            }
            t->kind = 'M';
            if (len == 7)
                return 0;
            t->kind = 'D';
            t->day = num(s + 8, 2);
            if (!mc_date_valid(t->year, (unsigned)t->n, (unsigned)t->day)) {
                *why = "no such day";
                return -1;
            }
            return 0;
        }
    }
    return -1;
}

static int bad(mc_error *err, const char *s, const char *why)
{
    return mc_error_set(err, MC_EXIT_USAGE, "period '%.80s': %s; " FORMS, s, why);
}

int mc_period_parse(const char *s, mc_convention conv, mc_period *out, mc_error *err)
{
    const char *why;
    token a, b;

    if (!s || !*s)
        return bad(err, s ? s : "", "empty");
    if (strlen(s) > 48)
        return bad(err, s, "too long");

    const char *dots = strstr(s, "..");
    if (!dots) {
        if (token_parse(s, strlen(s), &a, &why) != 0)
            return bad(err, s, why);
        if (a.kind == 'D')
            return bad(err, s, "a single day is written as a range, YYYY-MM-DD..YYYY-MM-DD");
        token_span(&a, conv, &out->start, &out->end);
        token_canon(&a, out->canon, sizeof out->canon);
        return 0;
    }

    if (strstr(dots + 2, ".."))
        return bad(err, s, "more than one '..'");
    if (token_parse(s, (size_t)(dots - s), &a, &why) != 0)
        return bad(err, s, why);
    if (token_parse(dots + 2, strlen(dots + 2), &b, &why) != 0)
        return bad(err, s, why);

    int64_t as, ae, bs, be;
    token_span(&a, conv, &as, &ae);
    token_span(&b, conv, &bs, &be);
    if (be < as)
        return bad(err, s, "the range ends before it starts");

    char ca[16], cb[16];
    token_canon(&a, ca, sizeof ca);
    token_canon(&b, cb, sizeof cb);
    out->start = as;
    out->end = be;
    if (strcmp(ca, cb) == 0 && a.kind != 'D')
        /* 2025-Q3..2025-Q3 is just the quarter: keep its kind, so that
         * "previous" and the output folder name treat it as one */
        snprintf(out->canon, sizeof out->canon, "%s", ca);
    else
        snprintf(out->canon, sizeof out->canon, "%s..%s", ca, cb);
    return 0;
}

int64_t mc_period_as_of(const mc_period *p, int64_t today)
{
    return today >= p->end ? p->end : today;
}

static int kind_span(token *t, mc_convention conv, mc_period *out)
{
    token_span(t, conv, &out->start, &out->end);
    token_canon(t, out->canon, sizeof out->canon);
    return 0;
}

int mc_period_current(int64_t day, char kind, mc_convention conv, mc_period *out)
{
    int y;
    unsigned m, d;
    mc_civil_from_days(day, &y, &m, &d);
    /* Under the cut-off, days from the 15th on belong to next month's
     * period; every larger period is a run of those months. */
    if (conv == MC_CONV_CUTOFF && d >= 15 && ++m > 12) {
        m = 1;
        y++;
    }
    token t = {0, y, 0, 0};
    switch (toupper((unsigned char)kind)) {
    case 'M': t.kind = 'M'; t.n = (int)m; break;
    case 'Q': t.kind = 'Q'; t.n = (int)(m + 2) / 3; break;
    case 'H': t.kind = 'H'; t.n = m <= 6 ? 1 : 2; break;
    case 'Y': t.kind = 'Y'; break;
    default: return -1;
    }
    return kind_span(&t, conv, out);
}

/* Periods of one kind numbered in sequence, so that stepping back across a
 * year end is plain subtraction. */
static int per_year(char kind)
{
    return kind == 'M' ? 12 : kind == 'Q' ? 4 : kind == 'H' ? 2 : 1;
}

static int64_t token_index(const token *t)
{
    return (int64_t)t->year * per_year(t->kind) + (t->kind == 'Y' ? 0 : t->n - 1);
}

static void token_from_index(token *t, int64_t i)
{
    int per = per_year(t->kind);
    t->year = (int)(i / per);
    t->n = t->kind == 'Y' ? 0 : (int)(i % per) + 1;
}

int mc_period_previous(const mc_period *p, mc_convention conv, mc_period *out)
{
    const char *why;
    token a, b;
    const char *dots = strstr(p->canon, "..");

    if (!dots) {
        if (token_parse(p->canon, strlen(p->canon), &a, &why) != 0 || a.kind == 'D')
            return -1;
        token_from_index(&a, token_index(&a) - 1);
        return kind_span(&a, conv, out);
    }
    if (token_parse(p->canon, (size_t)(dots - p->canon), &a, &why) != 0 ||
        token_parse(dots + 2, strlen(dots + 2), &b, &why) != 0)
        return -1;
    if (a.kind == b.kind && a.kind != 'D') {
        /* 2021..2025 -> 2016..2020: the same number of whole periods, which
         * a count of days would miss (halves and months differ in length) */
        int64_t n = token_index(&b) - token_index(&a) + 1;
        token_from_index(&a, token_index(&a) - n);
        token_from_index(&b, token_index(&b) - n);
        char ca[16], cb[16];
        token_canon(&a, ca, sizeof ca);
        token_canon(&b, cb, sizeof cb);
        int64_t ignore;
        token_span(&a, conv, &out->start, &ignore);
        token_span(&b, conv, &ignore, &out->end);
        snprintf(out->canon, sizeof out->canon, "%s..%s", ca, cb);
        return 0;
    }
    int64_t len = p->end - p->start + 1;
    char ca[11], cb[11];
    out->start = p->start - len;
    out->end = p->start - 1;
    mc_day_format(out->start, ca);
    mc_day_format(out->end, cb);
    snprintf(out->canon, sizeof out->canon, "%s..%s", ca, cb);
    return 0;
}

int mc_period_months_to(const mc_period *p, mc_convention conv, size_t n, mc_period *out)
{
    if (n == 0)
        return 0;
    /* the month is found from the day, not the text: a range ending on the
     * 20th ends in next month's cut-off month */
    if (mc_period_current(p->end, 'M', conv, &out[n - 1]) != 0)
        return -1;
    for (size_t i = n - 1; i > 0; i--)
        if (mc_period_previous(&out[i], conv, &out[i - 1]) != 0)
            return -1;
    return 0;
}

int mc_period_contains(const mc_period *outer, const mc_period *inner)
{
    return outer->start <= inner->start && inner->end <= outer->end;
}

int64_t mc_period_today(void)
{
    const char *pinned = mc_knob_text(MC_KNOB_TODAY);
    int64_t day;
    if (pinned && mc_day_parse(pinned, &day) == 0)
        return day;
    int64_t t = mc_clock_local_seconds();
    int64_t q = t / 86400;
    return (t % 86400 < 0) ? q - 1 : q;
}
