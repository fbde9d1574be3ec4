/*
 * csv2xlsx.c -- repackage a CSV export (plain or gzip) as the .xlsx a
 * one-stop system's "Xuất Excel" button would give, for fixtures, the
 * end-to-end tests and the bench (SPEC 10.1).  Test tool, not installed.
 *
 *   csv2xlsx [--strings] [--constant-memory] [--sheet NAME] [--cover TEXT]
 *            [--title TEXT]... IN.csv[.gz] OUT.xlsx
 *
 * Each CSV record goes to the sheet row of the physical line it starts on
 * (a sep= line and blank lines leave empty rows), so the workbook's row
 * numbers are the CSV's line numbers and rejects compare line for line.
 * --title puts rows of text above the table (a title block) and shifts it
 * down by their number plus one blank row.  --cover adds a first sheet
 * with that text and no table.  Without --strings, a field that is a date
 * (dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy or yyyy-mm-dd, optionally with
 * HH:MM[:SS]) becomes a date cell in a dd/mm/yyyy[ hh:mm:ss] format, and a
 * plain integer (no sign, no leading zero, at most 15 digits) a number;
 * the rest are strings.  --constant-memory streams rows to disk (inline
 * strings instead of the shared-strings table): for the million-row bench.
 *
 * The CSV is read as motcua reads it: BOM stripped, sep=X honoured, else
 * the delimiter of ',', ';' and TAB most frequent in the first line; RFC
 * 4180 through libcsv, only the plain space trimmed around fields.
 */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>
#include <zlib.h>

#define MAX_TITLES 8

typedef struct {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *fdate, *fdatetime;
    int strings;
    long offset;                 /* rows the title block adds */
    long row_line;               /* physical line where the open record started */
    char **f;
    size_t *flen;
    size_t nf, cap;
    int failed;
} conv;

static int is_space(unsigned char c)
{
    return c == ' ';
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

static int days_in(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

/* A date or date-time as motcua accepts them (SPEC 1.3), into dt; *has_time. */
static int parse_date(const char *s, size_t n, lxw_datetime *dt, int *has_time)
{
    char b[32];
    if (n >= sizeof b)
        return 0;
    memcpy(b, s, n);
    b[n] = '\0';
    int y = 0, m = 0, d = 0, h = 0, mi = 0, sec = 0, k = 0, iso = 0;
    const char *rest;
    if (n >= 10 && b[4] == '-' && b[7] == '-' && digits(b, 4, &y) && digits(b + 5, 2, &m) &&
        digits(b + 8, 2, &d)) {
        rest = b + 10;
        iso = 1;
    } else {
        /* d/m/yyyy or dd-mm-yyyy */
        char sep = 0;
        int a = 0, p = 0;
        while (b[p] >= '0' && b[p] <= '9')
            p++;
        if ((p != 1 && p != 2) || (b[p] != '/' && b[p] != '-'))
            return 0;
        sep = b[p];
        digits(b, p, &d);
        a = ++p;
        while (b[p] >= '0' && b[p] <= '9')
            p++;
        if ((p - a != 1 && p - a != 2) || b[p] != sep)
            return 0;
        digits(b + a, p - a, &m);
        a = ++p;
        if (!digits(b + a, 4, &y))
            return 0;
        rest = b + a + 4;
        if (sep == '-' && rest - b != 10)
            return 0;   /* dd-mm-yyyy only: d-m-yyyy is no date in SPEC 1.3 */
    }
    *has_time = 0;
    if (*rest == ' ' || (*rest == 'T' && iso)) {
        rest++;
        if (!digits(rest, 2, &h) || rest[2] != ':' || !digits(rest + 3, 2, &mi))
            return 0;
        k = 5;
        if (rest[5] == ':') {
            if (!digits(rest + 6, 2, &sec))
                return 0;
            k = 8;
        }
        rest += k;
        *has_time = 1;
    }
    if (*rest || y < 1901 || y > 9999 || m < 1 || m > 12 || d < 1 || d > days_in(y, m) ||
        h > 23 || mi > 59 || sec > 59)
        return 0;
    *dt = (lxw_datetime){y, m, d, h, mi, sec};
    return 1;
}

static int is_integer(const char *s, size_t n)
{
    if (n == 0 || n > 15 || (s[0] == '0' && n > 1))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static void on_field(void *s, size_t len, void *data)
{
    conv *c = data;
    if (c->nf == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 64;
        c->f = realloc(c->f, c->cap * sizeof *c->f);
        c->flen = realloc(c->flen, c->cap * sizeof *c->flen);
        if (!c->f || !c->flen) {
            fprintf(stderr, "csv2xlsx: out of memory\n");
            exit(1);
        }
        for (size_t i = c->nf; i < c->cap; i++)
            c->f[i] = NULL;
    }
    free(c->f[c->nf]);
    c->f[c->nf] = malloc(len + 1);
    if (!c->f[c->nf]) {
        fprintf(stderr, "csv2xlsx: out of memory\n");
        exit(1);
    }
    memcpy(c->f[c->nf], s, len);
    c->f[c->nf][len] = '\0';
    c->flen[c->nf++] = len;
}

static void on_row(int ch, void *data)
{
    conv *c = data;
    (void)ch;
    size_t n = c->nf;
    c->nf = 0;
    int blank = 1;
    for (size_t i = 0; i < n && blank; i++)
        for (size_t k = 0; k < c->flen[i]; k++)
            if (c->f[i][k] != ' ')
                blank = 0;
    if (blank)
        return;
    lxw_row_t row = (lxw_row_t)(c->row_line - 1 + c->offset);
    for (size_t i = 0; i < n; i++) {
        const char *s = c->f[i];
        size_t len = c->flen[i];
        if (len == 0)
            continue;
        lxw_error e;
        lxw_datetime dt;
        int has_time;
        if (!c->strings && parse_date(s, len, &dt, &has_time))
            e = worksheet_write_datetime(c->ws, row, (lxw_col_t)i, &dt,
                                         has_time ? c->fdatetime : c->fdate);
        else if (!c->strings && is_integer(s, len))
            e = worksheet_write_number(c->ws, row, (lxw_col_t)i, strtod(s, NULL), NULL);
        else
            e = worksheet_write_string(c->ws, row, (lxw_col_t)i, s, NULL);
        if (e != LXW_NO_ERROR && !c->failed) {
            fprintf(stderr, "csv2xlsx: line %ld, field %zu: %s\n", c->row_line, i + 1,
                    lxw_strerror(e));
            c->failed = 1;
        }
    }
}

static void usage(void)
{
    fprintf(stderr, "usage: csv2xlsx [--strings] [--constant-memory] [--sheet NAME] "
                    "[--cover TEXT] [--title TEXT]... IN.csv[.gz] OUT.xlsx\n");
    exit(64);
}

int main(int argc, char **argv)
{
    conv c;
    memset(&c, 0, sizeof c);
    const char *titles[MAX_TITLES], *sheet = "Danh sách", *cover = NULL;
    int ntitles = 0, constant = 0, a = 1;
    for (; a < argc && strncmp(argv[a], "--", 2) == 0; a++) {
        if (strcmp(argv[a], "--strings") == 0)
            c.strings = 1;
        else if (strcmp(argv[a], "--constant-memory") == 0)
            constant = 1;
        else if (strcmp(argv[a], "--sheet") == 0 && a + 1 < argc)
            sheet = argv[++a];
        else if (strcmp(argv[a], "--cover") == 0 && a + 1 < argc)
            cover = argv[++a];
        else if (strcmp(argv[a], "--title") == 0 && a + 1 < argc && ntitles < MAX_TITLES)
            titles[ntitles++] = argv[++a];
        else
            usage();
    }
    if (argc - a != 2)
        usage();
    gzFile in = gzopen(argv[a], "rb");
    if (!in) {
        fprintf(stderr, "csv2xlsx: %s: cannot open\n", argv[a]);
        return 66;
    }
    gzbuffer(in, 1 << 20);
    lxw_workbook_options o = {.constant_memory = (uint8_t)constant, .tmpdir = NULL,
                              .use_zip64 = LXW_TRUE};
    c.wb = workbook_new_opt(argv[a + 1], &o);
    if (!c.wb) {
        fprintf(stderr, "csv2xlsx: %s: cannot create\n", argv[a + 1]);
        return 73;
    }
    if (cover) {
        lxw_worksheet *cs = workbook_add_worksheet(c.wb, "Bìa");
        worksheet_write_string(cs, 0, 0, cover, NULL);
    }
    c.ws = workbook_add_worksheet(c.wb, sheet);
    c.fdate = workbook_add_format(c.wb);
    format_set_num_format(c.fdate, "dd/mm/yyyy");
    c.fdatetime = workbook_add_format(c.wb);
    format_set_num_format(c.fdatetime, "dd/mm/yyyy hh:mm:ss");
    for (int i = 0; i < ntitles; i++)
        worksheet_write_string(c.ws, (lxw_row_t)i, 0, titles[i], NULL);
    c.offset = ntitles ? ntitles + 1 : 0;

    /* The first line decides the delimiter (and a sep= line is skipped). */
    size_t cap = 1 << 16, len = 0;
    char *line = malloc(cap);
    struct csv_parser p;
    if (!line || csv_init(&p, 0) != 0) {
        fprintf(stderr, "csv2xlsx: out of memory\n");
        return 70;
    }
    csv_set_space_func(&p, is_space);
    long lineno = 0;
    int first = 1, eof = 0;
    while (!eof) {
        /* one physical line, '\n' included */
        len = 0;
        int ch;
        while ((ch = gzgetc(in)) != -1) {
            if (len + 1 >= cap && !(line = realloc(line, cap *= 2))) {
                fprintf(stderr, "csv2xlsx: out of memory\n");
                return 70;
            }
            line[len++] = (char)ch;
            if (ch == '\n')
                break;
        }
        if (ch == -1)
            eof = 1;
        if (len == 0)
            break;
        lineno++;
        char *s = line;
        size_t n = len;
        if (first) {
            first = 0;
            if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
                s += 3, n -= 3;
            if (n >= 5 && strncmp(s, "sep=", 4) == 0) {
                csv_set_delim(&p, (unsigned char)s[4]);
                continue;
            }
            size_t cnt[3] = {0, 0, 0};
            for (size_t i = 0; i < n; i++)
                cnt[0] += s[i] == ',', cnt[1] += s[i] == ';', cnt[2] += s[i] == '\t';
            csv_set_delim(&p, cnt[2] > cnt[0] && cnt[2] > cnt[1] ? '\t'
                              : cnt[1] > cnt[0]                 ? ';'
                                                                : ',');
        }
        if (p.pstate == 0)
            c.row_line = lineno;
        if (csv_parse(&p, s, n, on_field, on_row, &c) != n) {
            fprintf(stderr, "csv2xlsx: %s: line %ld: %s\n", argv[a], lineno,
                    csv_strerror(csv_error(&p)));
            return 65;
        }
    }
    csv_fini(&p, on_field, on_row, &c);
    csv_free(&p);
    gzclose(in);
    free(line);
    for (size_t i = 0; i < c.cap; i++)
        free(c.f[i]);
    free(c.f);
    free(c.flen);
    lxw_error e = workbook_close(c.wb);
    if (e != LXW_NO_ERROR) {
        fprintf(stderr, "csv2xlsx: %s: %s\n", argv[a + 1], lxw_strerror(e));
        return 74;
    }
    return c.failed ? 65 : 0;
}
