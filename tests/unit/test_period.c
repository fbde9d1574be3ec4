/*
 * test_period.c -- unit tests of reports/period.c: every period form under
 * both conventions with the expected first and last day written out, bad
 * inputs, as-of, and current / previous across year ends.
 *
 * Expected days are computed with timegm(), not with period.c's own
 * arithmetic, so a shared mistake cannot hide.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "reports/period.h"

static int64_t ymd(int y, int m, int d)
{
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    return (int64_t)(timegm(&tm) / 86400);
}

/* "YYYY-MM-DD..YYYY-MM-DD" of a period, for readable failure messages. */
static const char *span(const mc_period *p)
{
    static char buf[64];
    char a[16], b[16];
    time_t ts = (time_t)(p->start * 86400), te = (time_t)(p->end * 86400);
    struct tm tm;
    strftime(a, sizeof a, "%Y-%m-%d", gmtime_r(&ts, &tm));
    strftime(b, sizeof b, "%Y-%m-%d", gmtime_r(&te, &tm));
    snprintf(buf, sizeof buf, "%s..%s", a, b);
    return buf;
}

static void check(const char *in, mc_convention conv, const char *canon, const char *want)
{
    mc_period p;
    mc_error err;
    mc_error_clear(&err);
    int rc = mc_period_parse(in, conv, &p, &err);
    cr_assert_eq(rc, 0, "%s (%s): rc %d, %s", in, mc_convention_name(conv), rc, err.msg);
    cr_expect_str_eq(p.canon, canon, "%s (%s)", in, mc_convention_name(conv));
    cr_expect_str_eq(span(&p), want, "%s (%s)", in, mc_convention_name(conv));
}

Test(period, calendar_forms)
{
    check("2025-07", MC_CONV_CALENDAR, "2025-07", "2025-07-01..2025-07-31");
    check("2025-01", MC_CONV_CALENDAR, "2025-01", "2025-01-01..2025-01-31");
    check("2024-02", MC_CONV_CALENDAR, "2024-02", "2024-02-01..2024-02-29");
    check("2025-02", MC_CONV_CALENDAR, "2025-02", "2025-02-01..2025-02-28");
    check("2025-Q1", MC_CONV_CALENDAR, "2025-Q1", "2025-01-01..2025-03-31");
    check("2025-q3", MC_CONV_CALENDAR, "2025-Q3", "2025-07-01..2025-09-30");
    check("2025-Q4", MC_CONV_CALENDAR, "2025-Q4", "2025-10-01..2025-12-31");
    check("2025-h1", MC_CONV_CALENDAR, "2025-H1", "2025-01-01..2025-06-30");
    check("2025-H2", MC_CONV_CALENDAR, "2025-H2", "2025-07-01..2025-12-31");
    check("2025", MC_CONV_CALENDAR, "2025", "2025-01-01..2025-12-31");
}

Test(period, cutoff_forms)
{
    check("2026-01", MC_CONV_CUTOFF, "2026-01", "2025-12-15..2026-01-14");
    check("2025-07", MC_CONV_CUTOFF, "2025-07", "2025-06-15..2025-07-14");
    check("2025-12", MC_CONV_CUTOFF, "2025-12", "2025-11-15..2025-12-14");
    check("2024-03", MC_CONV_CUTOFF, "2024-03", "2024-02-15..2024-03-14");
    check("2024-02", MC_CONV_CUTOFF, "2024-02", "2024-01-15..2024-02-14");
    check("2026-Q1", MC_CONV_CUTOFF, "2026-Q1", "2025-12-15..2026-03-14");
    check("2025-q2", MC_CONV_CUTOFF, "2025-Q2", "2025-03-15..2025-06-14");
    check("2025-Q3", MC_CONV_CUTOFF, "2025-Q3", "2025-06-15..2025-09-14");
    check("2025-Q4", MC_CONV_CUTOFF, "2025-Q4", "2025-09-15..2025-12-14");
    check("2025-H1", MC_CONV_CUTOFF, "2025-H1", "2024-12-15..2025-06-14");
    check("2025-h2", MC_CONV_CUTOFF, "2025-H2", "2025-06-15..2025-12-14");
    check("2026", MC_CONV_CUTOFF, "2026", "2025-12-15..2026-12-14");
}

Test(period, date_ranges_ignore_the_convention)
{
    for (int c = 0; c < 2; c++) {
        check("2025-07-01..2025-09-30", (mc_convention)c,
              "2025-07-01..2025-09-30", "2025-07-01..2025-09-30");
        check("2025-12-20..2026-01-05", (mc_convention)c,
              "2025-12-20..2026-01-05", "2025-12-20..2026-01-05");
        check("2024-02-29..2024-02-29", (mc_convention)c,
              "2024-02-29..2024-02-29", "2024-02-29..2024-02-29");
    }
}

Test(period, ranges_of_periods)
{
    check("2021..2025", MC_CONV_CALENDAR, "2021..2025", "2021-01-01..2025-12-31");
    check("2021..2025", MC_CONV_CUTOFF, "2021..2025", "2020-12-15..2025-12-14");
    check("2025-q3..2025-Q4", MC_CONV_CALENDAR, "2025-Q3..2025-Q4", "2025-07-01..2025-12-31");
    check("2025-Q3..2025-Q4", MC_CONV_CUTOFF, "2025-Q3..2025-Q4", "2025-06-15..2025-12-14");
    check("2025-07..2025-H2", MC_CONV_CALENDAR, "2025-07..2025-H2", "2025-07-01..2025-12-31");
    check("2025-07-01..2025-Q4", MC_CONV_CUTOFF, "2025-07-01..2025-Q4", "2025-07-01..2025-12-14");
    /* a range of one period is that period */
    check("2025-Q3..2025-q3", MC_CONV_CUTOFF, "2025-Q3", "2025-06-15..2025-09-14");
    check(" 2025-07-01 .. 2025-12-31 ", MC_CONV_CALENDAR,
          "2025-07-01..2025-12-31", "2025-07-01..2025-12-31");
}

static void refuse(const char *in, const char *reason)
{
    mc_period p;
    mc_error err;
    mc_error_clear(&err);
    int rc = mc_period_parse(in, MC_CONV_CALENDAR, &p, &err);
    cr_expect_eq(rc, MC_EXIT_USAGE, "'%s' accepted (rc %d)", in, rc);
    cr_expect_eq(err.status, MC_EXIT_USAGE, "'%s'", in);
    cr_expect(strstr(err.msg, "YYYY-Qn") != NULL, "'%s': no list of forms: %s", in, err.msg);
    cr_expect(strstr(err.msg, reason) != NULL, "'%s': wanted '%s' in: %s", in, reason, err.msg);
    rc = mc_period_parse(in, MC_CONV_CUTOFF, &p, &err);
    cr_expect_eq(rc, MC_EXIT_USAGE, "'%s' accepted under cutoff", in);
}

Test(period, bad_inputs)
{
    refuse("2025-13", "month");
    refuse("2025-00", "month");
    refuse("2025-Q5", "quarter");
    refuse("2025-q0", "quarter");
    refuse("2025-H3", "half");
    refuse("2025-H0", "half");
    refuse("2025-09-30..2025-07-01", "ends before");
    refuse("2025..2024", "ends before");
    refuse("2025-Q4..2025-Q3", "ends before");
    refuse("garbage", "'garbage'");
    refuse("", "empty");
    refuse("2025-", "not a period");
    refuse("2025-7", "not a period");
    refuse("25-07", "not a period");
    refuse("2025-07-", "not a period");
    refuse("2025/07", "not a period");
    refuse("2025-Q", "not a period");
    refuse("2025-Q3x", "not a period");
    refuse("2025-02-30..2025-03-01", "no such day");
    refuse("2025-07-01", "single day");
    refuse("2025-Q3..", "not a period");
    refuse("..2025", "not a period");
    refuse("2025..2026..2027", "more than one");
    refuse("2205", "year");
    refuse("2025-07-01..2025-08-01xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "too long");
}

Test(period, conventions)
{
    mc_convention c = MC_CONV_CALENDAR;
    cr_assert_eq(mc_convention_parse("cutoff", &c), 0);
    cr_expect_eq(c, MC_CONV_CUTOFF);
    cr_assert_eq(mc_convention_parse("Calendar", &c), 0);
    cr_expect_eq(c, MC_CONV_CALENDAR);
    cr_expect_eq(mc_convention_parse("fiscal", &c), -1);
    cr_expect_eq(c, MC_CONV_CALENDAR);
    cr_expect_str_eq(mc_convention_name(MC_CONV_CUTOFF), "cutoff");
    cr_expect_str_eq(mc_convention_name(MC_CONV_CALENDAR), "calendar");
}

Test(period, as_of)
{
    mc_period p;
    cr_assert_eq(mc_period_parse("2025-Q3", MC_CONV_CALENDAR, &p, NULL), 0);
    cr_expect_eq(mc_period_as_of(&p, ymd(2025, 11, 5)), ymd(2025, 9, 30), "ended -> last day");
    cr_expect_eq(mc_period_as_of(&p, ymd(2025, 9, 30)), ymd(2025, 9, 30), "last day");
    cr_expect_eq(mc_period_as_of(&p, ymd(2025, 8, 10)), ymd(2025, 8, 10), "running -> today");
    cr_expect_eq(mc_period_as_of(&p, ymd(2025, 6, 1)), ymd(2025, 6, 1), "not started -> today");
    cr_assert_eq(mc_period_parse("2025-Q3", MC_CONV_CUTOFF, &p, NULL), 0);
    cr_expect_eq(mc_period_as_of(&p, ymd(2025, 9, 20)), ymd(2025, 9, 14), "cutoff quarter ended");
    cr_expect_eq(mc_period_as_of(&p, ymd(2025, 9, 14)), ymd(2025, 9, 14));
    cr_expect_eq(mc_period_as_of(&p, ymd(2025, 9, 13)), ymd(2025, 9, 13));
}

static void current(int y, int m, int d, char kind, mc_convention conv,
                    const char *canon, const char *want)
{
    mc_period p;
    cr_assert_eq(mc_period_current(ymd(y, m, d), kind, conv, &p), 0);
    cr_expect_str_eq(p.canon, canon, "%04d-%02d-%02d %c %s", y, m, d, kind, mc_convention_name(conv));
    cr_expect_str_eq(span(&p), want, "%04d-%02d-%02d %c %s", y, m, d, kind, mc_convention_name(conv));
}

Test(period, current_across_year_end)
{
    current(2025, 12, 20, 'M', MC_CONV_CALENDAR, "2025-12", "2025-12-01..2025-12-31");
    current(2025, 12, 20, 'Q', MC_CONV_CALENDAR, "2025-Q4", "2025-10-01..2025-12-31");
    current(2025, 12, 20, 'H', MC_CONV_CALENDAR, "2025-H2", "2025-07-01..2025-12-31");
    current(2025, 12, 20, 'Y', MC_CONV_CALENDAR, "2025", "2025-01-01..2025-12-31");
    current(2026, 1, 1, 'm', MC_CONV_CALENDAR, "2026-01", "2026-01-01..2026-01-31");

    current(2025, 12, 20, 'M', MC_CONV_CUTOFF, "2026-01", "2025-12-15..2026-01-14");
    current(2025, 12, 20, 'q', MC_CONV_CUTOFF, "2026-Q1", "2025-12-15..2026-03-14");
    current(2025, 12, 20, 'H', MC_CONV_CUTOFF, "2026-H1", "2025-12-15..2026-06-14");
    current(2025, 12, 20, 'Y', MC_CONV_CUTOFF, "2026", "2025-12-15..2026-12-14");
    current(2025, 12, 15, 'M', MC_CONV_CUTOFF, "2026-01", "2025-12-15..2026-01-14");
    current(2025, 12, 14, 'M', MC_CONV_CUTOFF, "2025-12", "2025-11-15..2025-12-14");
    current(2025, 12, 14, 'Q', MC_CONV_CUTOFF, "2025-Q4", "2025-09-15..2025-12-14");
    current(2025, 12, 14, 'H', MC_CONV_CUTOFF, "2025-H2", "2025-06-15..2025-12-14");
    current(2025, 12, 14, 'Y', MC_CONV_CUTOFF, "2025", "2024-12-15..2025-12-14");
    current(2025, 6, 14, 'H', MC_CONV_CUTOFF, "2025-H1", "2024-12-15..2025-06-14");
    current(2025, 6, 15, 'H', MC_CONV_CUTOFF, "2025-H2", "2025-06-15..2025-12-14");
    current(2024, 2, 29, 'M', MC_CONV_CUTOFF, "2024-03", "2024-02-15..2024-03-14");

    mc_period p;
    cr_expect_eq(mc_period_current(ymd(2025, 1, 1), 'W', MC_CONV_CALENDAR, &p), -1);
}

/* Every day of 2023-2027 lies in the period current() gives, and that
 * period parses back to the same days. */
Test(period, current_contains_the_day)
{
    const char kinds[] = "MQHY";
    for (int c = 0; c < 2; c++)
        for (int k = 0; k < 4; k++)
            for (int64_t day = ymd(2023, 1, 1); day <= ymd(2027, 12, 31); day++) {
                mc_period p, q;
                cr_assert_eq(mc_period_current(day, kinds[k], (mc_convention)c, &p), 0);
                cr_assert(p.start <= day && day <= p.end, "%c conv %d day %ld: %s %s",
                          kinds[k], c, (long)day, p.canon, span(&p));
                cr_assert_eq(mc_period_parse(p.canon, (mc_convention)c, &q, NULL), 0);
                cr_assert(q.start == p.start && q.end == p.end, "%s", p.canon);
            }
}

static void previous(const char *in, mc_convention conv, const char *canon, const char *want)
{
    mc_period p, q;
    cr_assert_eq(mc_period_parse(in, conv, &p, NULL), 0, "%s", in);
    cr_assert_eq(mc_period_previous(&p, conv, &q), 0, "%s", in);
    cr_expect_str_eq(q.canon, canon, "previous of %s (%s)", in, mc_convention_name(conv));
    cr_expect_str_eq(span(&q), want, "previous of %s (%s)", in, mc_convention_name(conv));
    cr_expect_eq(q.end + 1, p.start, "previous of %s must end the day before", in);
}

Test(period, previous_across_year_end)
{
    previous("2026-01", MC_CONV_CALENDAR, "2025-12", "2025-12-01..2025-12-31");
    previous("2026-Q1", MC_CONV_CALENDAR, "2025-Q4", "2025-10-01..2025-12-31");
    previous("2026-H1", MC_CONV_CALENDAR, "2025-H2", "2025-07-01..2025-12-31");
    previous("2026", MC_CONV_CALENDAR, "2025", "2025-01-01..2025-12-31");
    previous("2025-H2", MC_CONV_CALENDAR, "2025-H1", "2025-01-01..2025-06-30");
    previous("2024-03", MC_CONV_CALENDAR, "2024-02", "2024-02-01..2024-02-29");

    previous("2026-01", MC_CONV_CUTOFF, "2025-12", "2025-11-15..2025-12-14");
    previous("2026-Q1", MC_CONV_CUTOFF, "2025-Q4", "2025-09-15..2025-12-14");
    previous("2026-H1", MC_CONV_CUTOFF, "2025-H2", "2025-06-15..2025-12-14");
    previous("2026", MC_CONV_CUTOFF, "2025", "2024-12-15..2025-12-14");
    previous("2024-03", MC_CONV_CUTOFF, "2024-02", "2024-01-15..2024-02-14");

    /* ranges: the same number of days just before */
    previous("2025-07-01..2025-09-30", MC_CONV_CALENDAR,
             "2025-03-31..2025-06-30", "2025-03-31..2025-06-30");
    previous("2026-01-01..2026-01-10", MC_CONV_CUTOFF,
             "2025-12-22..2025-12-31", "2025-12-22..2025-12-31");
    previous("2025-07..2025-H2", MC_CONV_CALENDAR,
             "2024-12-29..2025-06-30", "2024-12-29..2025-06-30");
    /* ranges of one kind step back by whole periods */
    previous("2025-Q3..2025-Q4", MC_CONV_CALENDAR, "2025-Q1..2025-Q2", "2025-01-01..2025-06-30");
    previous("2025-Q1..2025-Q2", MC_CONV_CUTOFF, "2024-Q3..2024-Q4", "2024-06-15..2024-12-14");
    previous("2021..2025", MC_CONV_CALENDAR, "2016..2020", "2016-01-01..2020-12-31");
    previous("2025-12..2026-02", MC_CONV_CUTOFF, "2025-09..2025-11", "2025-08-15..2025-11-14");
}

Test(period, contains)
{
    for (int c = 0; c < 2; c++) {
        mc_period y, q3, h2, r;
        mc_convention conv = (mc_convention)c;
        cr_assert_eq(mc_period_parse("2025", conv, &y, NULL), 0);
        cr_assert_eq(mc_period_parse("2025-Q3", conv, &q3, NULL), 0);
        cr_assert_eq(mc_period_parse("2025-H2", conv, &h2, NULL), 0);
        cr_assert_eq(mc_period_parse("2021..2025", conv, &r, NULL), 0);
        cr_expect(mc_period_contains(&y, &q3));
        cr_expect(mc_period_contains(&h2, &q3));
        cr_expect(mc_period_contains(&y, &y));
        cr_expect(mc_period_contains(&r, &y));
        cr_expect_not(mc_period_contains(&h2, &y));
        cr_expect_not(mc_period_contains(&q3, &h2));
        cr_expect_not(mc_period_contains(&y, &r));
    }
    /* a calendar date range is not inside a cut-off year that ends earlier */
    mc_period y, d;
    cr_assert_eq(mc_period_parse("2025", MC_CONV_CUTOFF, &y, NULL), 0);
    cr_assert_eq(mc_period_parse("2025-12-01..2025-12-31", MC_CONV_CUTOFF, &d, NULL), 0);
    cr_expect_not(mc_period_contains(&y, &d));
}

/* The months of SPEC 13's trend, written out. */
static void check_months(const mc_period *p, mc_convention conv, const char *first_canon,
                         const char *first_span, const char *last_canon, const char *last_span)
{
    mc_period m[12];
    cr_assert_eq(mc_period_months_to(p, conv, 12, m), 0);
    cr_expect_str_eq(m[0].canon, first_canon);
    cr_expect_str_eq(span(&m[0]), first_span);
    cr_expect_str_eq(m[11].canon, last_canon);
    cr_expect_str_eq(span(&m[11]), last_span);
    for (int i = 1; i < 12; i++)
        cr_assert_eq(m[i].start, m[i - 1].end + 1, "month %d does not follow month %d", i, i - 1);
}

Test(period, trend_months)
{
    mc_period p;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_period_parse("2025-Q3", MC_CONV_CALENDAR, &p, &err), 0);
    check_months(&p, MC_CONV_CALENDAR, "2024-10", "2024-10-01..2024-10-31", "2025-09",
                 "2025-09-01..2025-09-30");
    cr_assert_eq(mc_period_parse("2025-Q3", MC_CONV_CUTOFF, &p, &err), 0);
    check_months(&p, MC_CONV_CUTOFF, "2024-10", "2024-09-15..2024-10-14", "2025-09",
                 "2025-08-15..2025-09-14");
    /* a month's period is its own last month */
    cr_assert_eq(mc_period_parse("2025-01", MC_CONV_CALENDAR, &p, &err), 0);
    check_months(&p, MC_CONV_CALENDAR, "2024-02", "2024-02-01..2024-02-29", "2025-01",
                 "2025-01-01..2025-01-31");
    /* a range ending on the 20th ends in next month's cut-off month, and
     * one ending on the 14th in this one's */
    cr_assert_eq(mc_period_parse("2025-08-03..2025-09-20", MC_CONV_CUTOFF, &p, &err), 0);
    check_months(&p, MC_CONV_CUTOFF, "2024-11", "2024-10-15..2024-11-14", "2025-10",
                 "2025-09-15..2025-10-14");
    cr_assert_eq(mc_period_parse("2025-08-03..2025-09-14", MC_CONV_CUTOFF, &p, &err), 0);
    check_months(&p, MC_CONV_CUTOFF, "2024-10", "2024-09-15..2024-10-14", "2025-09",
                 "2025-08-15..2025-09-14");
    /* under the cut-off the year ends on 14 December: the months of 2025
     * are 2025-01 (from 15 Dec 2024) to 2025-12 */
    cr_assert_eq(mc_period_parse("2025", MC_CONV_CUTOFF, &p, &err), 0);
    check_months(&p, MC_CONV_CUTOFF, "2025-01", "2024-12-15..2025-01-14", "2025-12",
                 "2025-11-15..2025-12-14");
}
