/*
 * dates.c -- parsing and formatting of the dates of SPEC 1.3; see dates.h.
 *
 * mc_date_parse runs on every date cell of every row (millions per night),
 * so it is a hand-written scanner over the bytes: no sscanf, no strptime,
 * no locale, no allocation.
 */
#include "transforms/dates.h"

#include <stdio.h>
#include <stdlib.h>

#include "transforms/text.h"

/* Howard Hinnant's days_from_civil: exact for the whole int range of years,
 * no tables, no loops. */
int64_t mc_days_from_civil(int y, unsigned m, unsigned d)
{
    int64_t yy = (int64_t)y - (m <= 2);
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    unsigned yoe = (unsigned)(yy - era * 400);                  /* [0, 399] */
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;       /* [0, 146096] */
    return era * 146097 + (int64_t)doe - 719468;
}

void mc_civil_from_days(int64_t days, int *y, unsigned *m, unsigned *d)
{
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (*m <= 2));
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int mc_date_valid(int y, unsigned m, unsigned d)
{
    static const unsigned char mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    /* Year 0 does not exist on any calendar a desk uses: a 0000 date is a
     * placeholder, not a date. */
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
        return 0;
    unsigned max = mdays[m - 1] + (m == 2 && is_leap(y));
    return d <= max;
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* Read exactly k digits at p (k <= 4); -1 when any is not a digit. */
static int digits(const unsigned char *p, int k)
{
    int v = 0;
    for (int i = 0; i < k; i++) {
        if (!is_digit(p[i]))
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

/* Read 1 or 2 digits at *pp (not past end), advancing; -1 when none. */
static int digits12(const unsigned char **pp, const unsigned char *end)
{
    const unsigned char *p = *pp;
    if (p >= end || !is_digit(*p))
        return -1;
    int v = *p++ - '0';
    if (p < end && is_digit(*p))
        v = v * 10 + (*p++ - '0');
    *pp = p;
    return v;
}

/*
 * Parse "H:MM" or "H:MM:SS" (hour 1-2 digits) filling all of [p, end), or
 * only "HH:MM:SS" when strict; seconds of the day, or -1.
 */
static long parse_time(const unsigned char *p, const unsigned char *end, int strict)
{
    const unsigned char *h0 = p;
    int h = digits12(&p, end);
    if (h < 0 || (strict && p - h0 != 2))
        return -1;
    if (end - p < 3 || *p != ':')
        return -1;
    int mi = digits(p + 1, 2);
    p += 3;
    int s = 0;
    if (p < end) {
        if (end - p != 3 || *p != ':')
            return -1;
        s = digits(p + 1, 2);
        p += 3;
    } else if (strict) {
        return -1;
    }
    if (h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59)
        return -1;
    return (long)h * 3600 + mi * 60 + s;
}

/* Make a date from validated parts; sod < 0 means no time of day. */
static int make(int y, int m, int d, long sod, mc_date *out)
{
    if (m < 0 || d < 0 || !mc_date_valid(y, (unsigned)m, (unsigned)d))
        return -1;
    *out = mc_days_from_civil(y, (unsigned)m, (unsigned)d) * MC_DATE_SCALE +
           (sod >= 0 ? 1 + sod : 0);
    return 0;
}

/* After a date ending at p: nothing, or spaces then a time (or 'T' and a
 * strict time when iso_t).  Seconds of day, -2 for no time, -1 bad. */
static long time_tail(const unsigned char *p, const unsigned char *end, int iso_t)
{
    if (p == end)
        return -2;
    if (iso_t && *p == 'T')
        return parse_time(p + 1, end, 1);
    if (*p != ' ')
        return -1;
    while (p < end && *p == ' ')
        p++;
    return parse_time(p, end, 0);
}

int mc_date_parse(const char *s, size_t n, mc_date *out)
{
    /* NBSP is trimmed too: spreadsheets paste it around dates. */
    size_t len = n;
    const unsigned char *p = (const unsigned char *)mc_text_trim_blanks(s, &len), *end = p + len;
    if (len < 8)
        return -1;

    if (is_digit(p[0]) && is_digit(p[1]) && is_digit(p[2]) && is_digit(p[3])) {
        int y = digits(p, 4);
        if (len == 14) {
            /* The DVCQG sync form yyyyMMddHHmmss. */
            int mo = digits(p + 4, 2), d = digits(p + 6, 2);
            int h = digits(p + 8, 2), mi = digits(p + 10, 2), sec = digits(p + 12, 2);
            if (h < 0 || mi < 0 || sec < 0 || h > 23 || mi > 59 || sec > 59)
                return -1;
            return make(y, mo, d, (long)h * 3600 + mi * 60 + sec, out);
        }
        /* yyyy-mm-dd, two-digit month and day. */
        if (len < 10 || p[4] != '-' || p[7] != '-')
            return -1;
        int mo = digits(p + 5, 2), d = digits(p + 8, 2);
        long sod = time_tail(p + 10, end, 1);
        if (sod == -1)
            return -1;
        return make(y, mo, d, sod == -2 ? -1 : sod, out);
    }

    /* d/m/yyyy or d-m-yyyy: day first, always. */
    int d = digits12(&p, end);
    if (d < 0 || p >= end || (*p != '/' && *p != '-'))
        return -1;
    unsigned char sep = *p++;
    int mo = digits12(&p, end);
    if (mo < 0 || p >= end || *p != sep)
        return -1;
    p++;
    if (end - p < 4)
        return -1;
    int y = digits(p, 4);
    if (y < 0)
        return -1;
    p += 4;
    long sod = time_tail(p, end, 0);
    if (sod == -1)
        return -1;
    return make(y, mo, d, sod == -2 ? -1 : sod, out);
}

/* Write v as exactly k digits ending at p + k. */
static void put_digits(char *p, unsigned v, int k)
{
    for (int i = k - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

int mc_date_format(mc_date d, char *buf, size_t cap)
{
    if (cap > 0)
        buf[0] = '\0';
    if (d == MC_DATE_NONE)
        return cap > 0 ? 0 : -1;
    int64_t day = mc_date_day(d);
    int64_t frac = d - day * MC_DATE_SCALE;
    int y;
    unsigned m, dd;
    mc_civil_from_days(day, &y, &m, &dd);
    char tmp[48];
    int len;
    if (y >= 0 && y <= 9999) {
        put_digits(tmp, (unsigned)y, 4);
        tmp[4] = '-';
        put_digits(tmp + 5, m, 2);
        tmp[7] = '-';
        put_digits(tmp + 8, dd, 2);
        len = 10;
    } else {
        /* Out of the parser's range, so never on the hot path. */
        len = snprintf(tmp, sizeof tmp, "%d-%02u-%02u", y, m, dd);
    }
    if (frac > 0) {
        /* A frac past a day's seconds is not a valid mc_date; clamp rather
         * than print garbage. */
        unsigned sod = frac - 1 > 86399 ? 86399u : (unsigned)(frac - 1);
        tmp[len] = ' ';
        put_digits(tmp + len + 1, sod / 3600, 2);
        tmp[len + 3] = ':';
        put_digits(tmp + len + 4, sod / 60 % 60, 2);
        tmp[len + 6] = ':';
        put_digits(tmp + len + 7, sod % 60, 2);
        len += 9;
    }
    if ((size_t)len + 1 > cap)
        return -1;
    for (int i = 0; i < len; i++)
        buf[i] = tmp[i];
    buf[len] = '\0';
    return len;
}

int mc_day_parse(const char *s, int64_t *day)
{
    const unsigned char *p = (const unsigned char *)s;
    for (int i = 0; i < 10; i++)
        if (p[i] == '\0')
            return -1;
    if (p[10] != '\0' || p[4] != '-' || p[7] != '-')
        return -1;
    int y = digits(p, 4), m = digits(p + 5, 2), d = digits(p + 8, 2);
    if (y < 0 || m < 0 || d < 0 || !mc_date_valid(y, (unsigned)m, (unsigned)d))
        return -1;
    *day = mc_days_from_civil(y, (unsigned)m, (unsigned)d);
    return 0;
}

void mc_day_format(int64_t day, char buf[11])
{
    char tmp[32];
    if (mc_date_format(day * MC_DATE_SCALE, tmp, sizeof tmp) < 0 || tmp[10] != '\0') {
        /* Years past 9999 do not fit the 11 bytes: say so visibly. */
        snprintf(buf, 11, "####-##-##");
        return;
    }
    for (int i = 0; i < 11; i++)
        buf[i] = tmp[i];
}
