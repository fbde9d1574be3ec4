/*
 * test_dates.c -- the date forms of SPEC 1.3, calendar validation, the
 * mc_date encoding and order, formatting, and the fixed test clock.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "reports/period.h"
#include "transforms/dates.h"

/* Parse s and return the value; fails the test when s does not parse. */
static mc_date ok(const char *s)
{
    mc_date d = 12345;
    int r = mc_date_parse(s, strlen(s), &d);
    cr_assert_eq(r, 0, "\"%s\" should parse", s);
    return d;
}

static void bad(const char *s)
{
    mc_date d = 12345;
    cr_assert_eq(mc_date_parse(s, strlen(s), &d), -1, "\"%s\" should be refused", s);
    cr_assert_eq(d, 12345, "\"%s\": out touched on failure", s);
}

static mc_date day_of(int y, unsigned m, unsigned d)
{
    return mc_days_from_civil(y, m, d) * MC_DATE_SCALE;
}

static mc_date at(int y, unsigned m, unsigned d, int hh, int mm, int ss)
{
    return day_of(y, m, d) + 1 + hh * 3600 + mm * 60 + ss;
}

static const char *fmt(mc_date d)
{
    static char buf[64];
    cr_assert_geq(mc_date_format(d, buf, sizeof buf), 0);
    return buf;
}

Test(dates, civil_day_numbers)
{
    cr_assert_eq(mc_days_from_civil(1970, 1, 1), 0);
    cr_assert_eq(mc_days_from_civil(1969, 12, 31), -1);
    cr_assert_eq(mc_days_from_civil(2000, 3, 1), 11017);
    cr_assert_eq(mc_days_from_civil(2024, 2, 29), 19782);
    cr_assert_eq(mc_days_from_civil(2025, 7, 1), 20270);
    for (int64_t day = -800000; day <= 3000000; day += 997) {
        int y;
        unsigned m, d;
        mc_civil_from_days(day, &y, &m, &d);
        cr_assert_eq(mc_days_from_civil(y, m, d), day);
    }
    int y;
    unsigned m, d;
    mc_civil_from_days(19782, &y, &m, &d);
    cr_assert(y == 2024 && m == 2 && d == 29);
}

Test(dates, day_first_slash)
{
    cr_assert_eq(ok("05/03/2024"), day_of(2024, 3, 5));
    cr_assert_eq(ok("5/3/2024"), day_of(2024, 3, 5));
    cr_assert_eq(ok("05/3/2024"), day_of(2024, 3, 5));
    cr_assert_eq(ok("31/12/2023"), day_of(2023, 12, 31));
    cr_assert_eq(ok("13/01/2024"), day_of(2024, 1, 13)); /* day first, never month */
    cr_assert_eq(ok("05/03/2024 08:30"), at(2024, 3, 5, 8, 30, 0));
    cr_assert_eq(ok("05/03/2024 8:30"), at(2024, 3, 5, 8, 30, 0));
    cr_assert_eq(ok("05/03/2024 08:30:15"), at(2024, 3, 5, 8, 30, 15));
    cr_assert_eq(ok("5/3/2024   17:05:59"), at(2024, 3, 5, 17, 5, 59));
    cr_assert_eq(ok("  05/03/2024 23:59:59\t"), at(2024, 3, 5, 23, 59, 59));
    cr_assert_eq(ok("\xc2\xa0" "05/03/2024\xc2\xa0"), day_of(2024, 3, 5));
}

Test(dates, day_first_dash)
{
    cr_assert_eq(ok("05-03-2024"), day_of(2024, 3, 5));
    cr_assert_eq(ok("5-3-2024"), day_of(2024, 3, 5));
    cr_assert_eq(ok("05-03-2024 00:00"), at(2024, 3, 5, 0, 0, 0));
    cr_assert_eq(ok("05-03-2024 7:00:01"), at(2024, 3, 5, 7, 0, 1));
    bad("05-03/2024");
    bad("05/03-2024");
}

Test(dates, iso)
{
    cr_assert_eq(ok("2024-03-05"), day_of(2024, 3, 5));
    cr_assert_eq(ok("2024-03-05 08:30"), at(2024, 3, 5, 8, 30, 0));
    cr_assert_eq(ok("2024-03-05 08:30:15"), at(2024, 3, 5, 8, 30, 15));
    cr_assert_eq(ok("2024-03-05 8:30"), at(2024, 3, 5, 8, 30, 0));
    cr_assert_eq(ok("2024-03-05T08:30:15"), at(2024, 3, 5, 8, 30, 15));
    bad("2024-03-05T08:30");      /* the T form carries seconds */
    bad("2024-03-05T8:30:15");
    bad("2024-03-05T08:30:15Z");  /* no zones: dates are local */
    bad("2024-03-05T08:30:15+07:00");
    bad("2024-03-05 08:30:15.000");
    bad("2024-3-5");
    bad("2024/03/05");
}

Test(dates, sync_form)
{
    cr_assert_eq(ok("20240305083015"), at(2024, 3, 5, 8, 30, 15));
    cr_assert_eq(ok("20240229000000"), at(2024, 2, 29, 0, 0, 0));
    bad("20250229000000");
    bad("20240305243015");
    bad("20240305086015");
    bad("2024030508301");   /* 13 digits */
    bad("202403050830150"); /* 15 digits */
    bad("20240305");        /* 8 digits: not a form of SPEC 1.3 */
    bad("2024030508301x");
}

Test(dates, calendar_validation)
{
    cr_assert_eq(ok("29/02/2024"), day_of(2024, 2, 29));
    cr_assert_eq(ok("29/02/2000"), day_of(2000, 2, 29));
    bad("29/02/2025");
    bad("29/02/1900");
    bad("31/04/2024");
    bad("31/06/2024");
    bad("30/02/2024");
    bad("00/01/2024");
    bad("01/00/2024");
    bad("32/01/2024");
    bad("2024-13-01");
    bad("2024-04-31");
    bad("2024-00-10");
    bad("12/13/2024");   /* month-first reading would be 13 Dec: refused */
    bad("01/01/0000");
    bad("2024-02-30");
    cr_assert_eq(ok("01/01/0001"), day_of(1, 1, 1));
}

Test(dates, time_validation)
{
    bad("05/03/2024 25:00");
    bad("05/03/2024 24:00");
    bad("05/03/2024 23:60");
    bad("05/03/2024 23:59:60");
    bad("05/03/2024 8:5");
    bad("05/03/2024 123:00");
    bad("05/03/2024 08:30:");
    bad("05/03/2024 08:30:1");
    bad("05/03/2024 08");
    bad("05/03/202408:30");
    bad("05/03/2024T08:30:00");
    bad("05/03/2024 08:30 SA");
    cr_assert_eq(ok("05/03/2024 23:59"), at(2024, 3, 5, 23, 59, 0));
}

Test(dates, garbage)
{
    bad("");
    bad("   ");
    bad("abc");
    bad("5/3/24");
    bad("5/3/20245");
    bad("005/03/2024");
    bad("05/003/2024");
    bad("05.03.2024");
    bad("05 03 2024");
    bad("/03/2024");
    bad("05//2024");
    bad("2024");
    bad("45352");         /* an Excel serial number */
    bad("05/03/2024 08:30 extra");
    /* n bounds the cell: the bytes after it are not read */
    mc_date d;
    cr_assert_eq(mc_date_parse("05/03/2024 08:30", 10, &d), 0);
    cr_assert_eq(d, day_of(2024, 3, 5));
    cr_assert_eq(mc_date_parse("05/03/20249", 10, &d), 0);
    cr_assert_eq(d, day_of(2024, 3, 5));
}

Test(dates, date_only_sorts_before_midnight)
{
    mc_date date_only = ok("05/03/2024");
    mc_date midnight = ok("05/03/2024 00:00");
    mc_date prev_last = ok("04/03/2024 23:59:59");
    cr_assert_neq(date_only, midnight);
    cr_assert_lt(date_only, midnight);
    cr_assert_gt(date_only, prev_last);
    cr_assert_eq(mc_date_day(date_only), mc_date_day(midnight));
    cr_assert_eq(mc_date_day(ok("31/12/1969 23:59:59")), -1);
    cr_assert_eq(mc_date_day(ok("31/12/1969")), -1);
}

Test(dates, format)
{
    cr_assert_str_eq(fmt(ok("5/3/2024")), "2024-03-05");
    cr_assert_str_eq(fmt(ok("5/3/2024 8:05")), "2024-03-05 08:05:00");
    cr_assert_str_eq(fmt(ok("20240305083015")), "2024-03-05 08:30:15");
    cr_assert_str_eq(fmt(ok("05/03/2024 00:00")), "2024-03-05 00:00:00");
    cr_assert_str_eq(fmt(ok("01/01/1900 23:59:59")), "1900-01-01 23:59:59");
    cr_assert_str_eq(fmt(MC_DATE_NONE), "");

    char small[11];
    mc_date d = ok("05/03/2024");
    cr_assert_eq(mc_date_format(d, small, sizeof small), 10);
    cr_assert_str_eq(small, "2024-03-05");
    cr_assert_eq(mc_date_format(d, small, 10), -1);
    cr_assert_eq(mc_date_format(d + 1, small, sizeof small), -1); /* needs 20 */
}

Test(dates, round_trip)
{
    const char *forms[] = {
        "2024-03-05", "2024-03-05 08:30:15", "2024-02-29 00:00:00",
        "1999-12-31 23:59:59", "2025-07-01", "0001-01-01", "9999-12-31 23:59:59",
    };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
        cr_assert_str_eq(fmt(ok(forms[i])), forms[i]);
    /* Every second of one day survives format then parse. */
    mc_date base = day_of(2024, 2, 29);
    for (int s = 0; s < 86400; s += 7) {
        mc_date d = base + 1 + s;
        cr_assert_eq(ok(fmt(d)), d);
    }
}

Test(dates, day_parse_and_format)
{
    int64_t day = 0;
    cr_assert_eq(mc_day_parse("2024-02-29", &day), 0);
    cr_assert_eq(day, 19782);
    cr_assert_eq(mc_day_parse("2025-02-29", &day), -1);
    cr_assert_eq(mc_day_parse("2024-2-29", &day), -1);
    cr_assert_eq(mc_day_parse("29/02/2024", &day), -1);
    cr_assert_eq(mc_day_parse("2024-02-29 ", &day), -1);
    cr_assert_eq(mc_day_parse("2024-02-2", &day), -1);
    cr_assert_eq(mc_day_parse("", &day), -1);
    cr_assert_eq(day, 19782);
    char buf[11];
    mc_day_format(19782, buf);
    cr_assert_str_eq(buf, "2024-02-29");
    mc_day_format(-1, buf);
    cr_assert_str_eq(buf, "1969-12-31");
}

Test(dates, today_fixed_by_env)
{
    setenv("MOTCUA_TODAY", "2025-09-30", 1);
    cr_assert_eq(mc_period_today(), mc_days_from_civil(2025, 9, 30));
    setenv("MOTCUA_TODAY", "2025-02-30", 1); /* invalid: the real clock */
    int64_t real = mc_period_today();
    unsetenv("MOTCUA_TODAY");
    cr_assert_eq(mc_period_today(), real);
    /* Sanity of the real clock: after this code was written. */
    cr_assert_gt(real, mc_days_from_civil(2025, 1, 1));
}
