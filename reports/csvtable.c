/*
 * csvtable.c -- a small CSV table read row by row; see csvtable.h.
 */
#include "reports/csvtable.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "transforms/text.h"

int mc_csvtable_oom(const mc_csvtable *t)
{
    return mc_error_set(t->err, MC_EXIT_SOFTWARE, "%s: out of memory", t->path);
}

int mc_csvtable_error(const mc_csvtable *t, int col, const char *fmt, ...)
{
    char what[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (col >= 0)
        return mc_error_set(t->err, MC_EXIT_DATA, "%s:%ld: column '%s': %s", t->path, t->line,
                            t->spec->cols[col], what);
    return mc_error_set(t->err, MC_EXIT_DATA, "%s:%ld: %s", t->path, t->line, what);
}

const char *mc_csvtable_cell(const mc_csvtable *t, int col)
{
    return t->col[col] >= 0 && (size_t)t->col[col] < t->n ? t->cells[t->col[col]] : "";
}

static void on_field(void *s, size_t len, void *data)
{
    mc_csvtable *t = data;
    if (t->status)
        return;
    if (t->n == t->cap) {
        size_t nc = t->cap ? 2 * t->cap : 8;
        char **nv = realloc(t->cells, nc * sizeof *nv);
        if (!nv) {
            t->status = mc_csvtable_oom(t);
            return;
        }
        t->cells = nv;
        t->cap = nc;
    }
    char *f = malloc(len + 1);
    if (!f) {
        t->status = mc_csvtable_oom(t);
        return;
    }
    if (len)
        memcpy(f, s, len);
    f[len] = '\0';
    t->cells[t->n++] = f;
}

static int same_name(const char *want, const char *s, size_t n)
{
    return want && strlen(want) == n && strncasecmp(s, want, n) == 0;
}

/* The column header cell i names, or -1; t->status set when it cannot say. */
static int column_named(mc_csvtable *t, size_t i)
{
    const mc_csvtable_spec *sp = t->spec;
    const char *name = t->cells[i];
    size_t n = strlen(name);
    char *norm = NULL;
    if (sp->flags & MC_CSVTABLE_NORM_NAMES) {
        if (!mc_utf8_valid(name, n)) {
            t->status = mc_csvtable_error(t, -1, "the header is not UTF-8");
            return -1;
        }
        long len = (norm = malloc(3 * n + 1)) ? mc_text_norm(name, n, norm, 3 * n + 1) : -1;
        if (len < 0) {
            free(norm);
            t->status = mc_csvtable_oom(t);
            return -1;
        }
        name = norm;
        n = (size_t)len;
    } else {
        /* the header may carry spaces around names ("unit, indicator") */
        while (isspace((unsigned char)*name)) {
            name++;
            n--;
        }
        while (n && isspace((unsigned char)name[n - 1]))
            n--;
    }
    int c = sp->ncols - 1;
    for (; c >= 0; c--)
        if (same_name(sp->cols[c], name, n) || (sp->alt && same_name(sp->alt[c], name, n)))
            break;
    free(norm);
    return c;
}

static void read_header(mc_csvtable *t)
{
    const mc_csvtable_spec *sp = t->spec;
    for (int c = 0; c < sp->ncols; c++)
        t->col[c] = -1;
    for (size_t i = 0; i < t->n; i++) {
        int c = column_named(t, i);
        if (t->status)
            return;
        if (c >= 0 && t->col[c] >= 0) {
            t->status = mc_csvtable_error(t, c, "%s", sp->twice);
            return;
        }
        if (c >= 0)
            t->col[c] = (int)i;
    }
    for (int c = 0; c < sp->nrequired; c++)
        if (t->col[c] < 0) {
            char hint[256];
            size_t o = 0;
            for (int k = 0; k < sp->ncols && o < sizeof hint; k++)
                o += (size_t)snprintf(hint + o, sizeof hint - o, "%s%s", k ? "," : "", sp->cols[k]);
            t->status = mc_csvtable_error(t, c, "missing from the header (expected %s)", hint);
            return;
        }
    t->header_n = t->n;
}

static void on_record(int c, void *data)
{
    (void)c;
    mc_csvtable *t = data;
    if (!t->status) {
        int empty = 1;
        for (size_t i = 0; i < t->n && empty; i++)
            empty = t->cells[i][0] == '\0';
        if (!t->header_n) {
            if (!empty || !(t->spec->flags & MC_CSVTABLE_SKIP_EMPTY_HEADER))
                read_header(t);
        } else if (!empty) {
            t->status = t->on_row(t->ctx, t);
        }
    }
    for (size_t i = 0; i < t->n; i++)
        free(t->cells[i]);
    t->n = 0;
    t->line = 0;
}

/* 1 when a line outside any row holds only blanks, or starts with '#'. */
static int skippable(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        i++;
    return i == n || s[i] == '#';
}

int mc_csvtable_read(mc_csvtable *t, const char *path, const mc_csvtable_spec *spec,
                     int (*on_row)(void *ctx, const mc_csvtable *t), void *ctx,
                     mc_error *err)
{
    memset(t, 0, sizeof *t);
    t->path = path;
    t->spec = spec;
    t->err = err;
    t->on_row = on_row;
    t->ctx = ctx;
    FILE *f = fopen(path, "rb");
    if (!f)
        return mc_error_set(err, MC_EXIT_IO, "%s: cannot open: %s", path, strerror(errno));
    struct csv_parser cp;
    if (csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        fclose(f);
        return mc_csvtable_oom(t);
    }
    char *buf = NULL;
    size_t bcap = 0;
    ssize_t len;
    while (!t->status && (len = getline(&buf, &bcap, f)) >= 0) {
        char *s = buf;
        size_t n = (size_t)len;
        if (++t->lines == 1 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
            s += 3;
            n -= 3;
        }
        if (t->line == 0) {
            if (skippable(s, n))
                continue;
            t->line = t->lines;
        }
        if (csv_parse(&cp, s, n, on_field, on_record, t) != n && !t->status)
            t->status = mc_error_set(err, MC_EXIT_DATA, "%s:%ld: %s%s", path,
                                     spec->flags & MC_CSVTABLE_BAD_CSV_AT_ROW ? t->line : t->lines,
                                     spec->bad_csv, csv_strerror(csv_error(&cp)));
    }
    int read_errno = errno;
    if (!t->status && ferror(f))
        t->status = spec->flags & MC_CSVTABLE_READ_ERRNO
                        ? mc_error_set(err, MC_EXIT_IO, "%s: read error: %s", path,
                                       strerror(read_errno))
                        : mc_error_set(err, MC_EXIT_IO, "%s: read error", path);
    /* csv_fini hands over a last row without a line end, if there is one */
    long start = t->line;
    if (!t->status && csv_fini(&cp, on_field, on_record, t) != 0 && !t->status)
        t->status = mc_error_set(err, MC_EXIT_DATA, "%s:%ld: %s", path, start, spec->unclosed);
    csv_free(&cp);
    free(buf);
    fclose(f);
    for (size_t i = 0; i < t->n; i++)
        free(t->cells[i]);
    free(t->cells);
    t->cells = NULL;
    t->n = 0;
    return t->status;
}
