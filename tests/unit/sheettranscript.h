/*
 * sheettranscript.h -- what a table reader (etl/xls.c, etl/htmltable.c)
 * handed to its callbacks, as text, so that a test compares whole
 * transcripts and a failure shows the first difference.  Header-only: each
 * test file that includes it gets its own copy.
 *
 * One line per callback:
 *   S<name>                  on_sheet
 *   H<line>:a|b|c            on_header (fields; '|' and '\' escaped, bytes
 *   R<line>:a|b|c            on_row     below 0x20 as \xNN)
 *   B<line>:<reason>:detail  on_bad_row
 * and at the end "E<status>:<message>" (the message only when status != 0).
 */
#ifndef MC_TEST_SHEETTRANSCRIPT_H
#define MC_TEST_SHEETTRANSCRIPT_H

#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "etl/reader.h"

typedef struct st_rec {
    char *t;
    size_t len, cap;
    /* on_header answers MC_READER_NEXT_SHEET (err filled) unless the first
     * field starts with this; NULL takes every header */
    const char *want_header;
    long stop_at_row;           /* on_row returns MC_EXIT_DATA at this row */
    long rows;
    /* every byte on_raw was given, in order */
    unsigned char *raw;
    size_t raw_len, raw_cap;
} st_rec;

static inline void st_put(st_rec *r, const char *s, size_t n)
{
    if (r->len + n + 1 > r->cap) {
        r->cap = (r->len + n + 1) * 2;
        r->t = realloc(r->t, r->cap);
        cr_assert_not_null(r->t);
    }
    memcpy(r->t + r->len, s, n);
    r->len += n;
    r->t[r->len] = '\0';
}

static inline void st_puts(st_rec *r, const char *s)
{
    st_put(r, s, strlen(s));
}

static inline void st_fields(st_rec *r, char kind, long line, const mc_field *f, size_t n)
{
    char b[48];
    snprintf(b, sizeof b, "%c%ld:", kind, line);
    st_puts(r, b);
    for (size_t i = 0; i < n; i++) {
        if (i)
            st_puts(r, "|");
        for (size_t k = 0; k < f[i].len; k++) {
            unsigned char c = (unsigned char)f[i].p[k];
            if (c == '|' || c == '\\') {
                char e[2] = {'\\', (char)c};
                st_put(r, e, 2);
            } else if (c < 0x20) {
                snprintf(b, sizeof b, "\\x%02x", c);
                st_puts(r, b);
            } else
                st_put(r, (const char *)&c, 1);
        }
    }
    st_puts(r, "\n");
}

static inline int st_on_sheet(void *ctx, const char *sheet, mc_error *err)
{
    (void)err;
    st_rec *r = ctx;
    st_puts(r, "S");
    st_puts(r, sheet);
    st_puts(r, "\n");
    return 0;
}

static inline int st_on_header(void *ctx, long line, const mc_field *f, size_t n, mc_error *err)
{
    st_rec *r = ctx;
    st_fields(r, 'H', line, f, n);
    size_t w = r->want_header ? strlen(r->want_header) : 0;
    if (r->want_header && (n == 0 || f[0].len < w || memcmp(f[0].p, r->want_header, w) != 0))
        return mc_error_set(err, MC_EXIT_DATA, "no '%s' in line %ld", r->want_header, line),
               MC_READER_NEXT_SHEET;
    return 0;
}

static inline int st_on_row(void *ctx, long line, const mc_field *f, size_t n, mc_error *err)
{
    st_rec *r = ctx;
    st_fields(r, 'R', line, f, n);
    if (++r->rows == r->stop_at_row)
        return mc_error_set(err, MC_EXIT_DATA, "stopped at row %ld", r->rows);
    return 0;
}

static inline int st_on_bad(void *ctx, long line, mc_reason reason, const char *detail,
                            mc_error *err)
{
    (void)err;
    st_rec *r = ctx;
    char b[64];
    snprintf(b, sizeof b, "B%ld:%s:", line, mc_reason_name(reason));
    st_puts(r, b);
    st_puts(r, detail);
    st_puts(r, "\n");
    return 0;
}

static inline void st_on_raw(void *ctx, const void *p, size_t n)
{
    st_rec *r = ctx;
    if (r->raw_len + n > r->raw_cap) {
        r->raw_cap = (r->raw_len + n) * 2;
        r->raw = realloc(r->raw, r->raw_cap);
        cr_assert_not_null(r->raw);
    }
    memcpy(r->raw + r->raw_len, p, n);
    r->raw_len += n;
}

static const mc_reader_cb ST_CB = {.on_sheet = st_on_sheet, .on_header = st_on_header,
                                   .on_row = st_on_row, .on_bad_row = st_on_bad};

static inline void st_end(st_rec *r, int st, const mc_error *err)
{
    char b[1100];
    snprintf(b, sizeof b, "E%d:%s", st, st ? err->msg : "");
    st_puts(r, b);
}

static inline void st_free(st_rec *r)
{
    free(r->t);
    free(r->raw);
    memset(r, 0, sizeof *r);
}

/* The whole file at path, malloc'd; *n its size. */
static inline char *st_slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    cr_assert_eq(fseek(f, 0, SEEK_END), 0);
    long len = ftell(f);
    cr_assert_geq(len, 0);
    cr_assert_eq(fseek(f, 0, SEEK_SET), 0);
    char *b = malloc((size_t)len + 1);
    cr_assert_not_null(b);
    cr_assert_eq(fread(b, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *n = (size_t)len;
    return b;
}

#endif
