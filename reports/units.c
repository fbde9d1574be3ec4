/*
 * units.c -- the units registry of SPEC 3; see units.h.
 *
 * csvtable.c reads the file (lines, comments, header); rows are checked
 * here one by one as they arrive (fields, dates, patterns); the checks that
 * need the whole file (duplicate codes, unknown parents, cycles) run after
 * the last row.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include "reports/units.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "reports/csvtable.h"
#include "transforms/dates.h"
#include "transforms/text.h"

struct mc_units {
    mc_unit *v;                /* sorted by code */
    size_t n;
    pcre2_code **re;           /* re[i] for v[i]; NULL when no aliases */
    pcre2_match_data *md;      /* shared by all patterns: only a match/no-match is read */
};

enum { COL_CODE, COL_NAME, COL_PARENT, COL_ALIASES, COL_FROM, COL_TO, COL_COUNT };

static const char *const col_names[COL_COUNT] = {
    "code", "name", "parent", "aliases", "valid_from", "valid_to",
};

/* units.h promises "parent_code" as another name for parent. */
static const char *const col_alt[COL_COUNT] = {[COL_PARENT] = "parent_code"};

static const mc_csvtable_spec spec = {
    .cols = col_names,
    .alt = col_alt,
    .ncols = COL_COUNT,
    .nrequired = 2, /* code and name */
    .flags = MC_CSVTABLE_NORM_NAMES | MC_CSVTABLE_SKIP_EMPTY_HEADER | MC_CSVTABLE_BAD_CSV_AT_ROW,
    .twice = "appears twice in the header",
    .bad_csv = "",
    .unclosed = "unterminated quoted field",
};

/* A unit while loading, before sorting: the compiled pattern travels with it. */
typedef struct pending {
    mc_unit u;
    pcre2_code *re;
} pending;

/* The units read so far. */
typedef struct loader {
    pending *p;
    size_t np, capp;
} loader;

/* ---- text helpers ---- */

/* NFC + trim + white space folded, malloc'd.  0 ok; -1 not UTF-8; -2 no memory. */
static int norm_dup(const char *s, size_t n, char **out)
{
    *out = NULL;
    if (!mc_utf8_valid(s, n))
        return -1;
    size_t cap = 3 * n + 1;
    char *buf = malloc(cap);
    if (!buf)
        return -2;
    long len = mc_text_norm(s, n, buf, cap);
    if (len < 0) {
        free(buf);
        return -2;
    }
    *out = buf;
    return 0;
}

/* Case-folded copy of already normalized text (for exact name matching:
 * "UBND xã Lộc Hòa" and "UBND XÃ LỘC HÒA" are the same name). */
static char *fold_case(const char *s)
{
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)strlen(s),
                                      &out, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
    if (r < 0)
        return NULL;
    return (char *)out;
}

/* NFC only: a pattern's spaces and escapes must reach PCRE2 as written, but
 * a registry saved in NFD would otherwise never match NFC names. */
static int nfc_dup(const char *s, size_t n, char **out)
{
    *out = NULL;
    if (!mc_utf8_valid(s, n))
        return -1;
    utf8proc_uint8_t *m = NULL;
    utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &m,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (r < 0)
        return r == UTF8PROC_ERROR_NOMEM ? -2 : -1;
    *out = (char *)m;
    return 0;
}

/* A normalized text column into *out (NULL when empty).  0 ok, else error set. */
static int text_col(const mc_csvtable *t, int c, char **out)
{
    const char *f = mc_csvtable_cell(t, c);
    int rc = norm_dup(f, strlen(f), out);
    if (rc == -2)
        return mc_csvtable_oom(t);
    if (rc == -1)
        return mc_csvtable_error(t, c, "not valid UTF-8");
    if (!**out) {
        free(*out);
        *out = NULL;
    }
    return 0;
}

static int date_col(const mc_csvtable *t, int c, int64_t open, int64_t *day)
{
    char *s = NULL;
    int rc = text_col(t, c, &s);
    if (rc || !s) {
        *day = open;
        return rc;
    }
    if (mc_day_parse(s, day) != 0)
        rc = mc_csvtable_error(t, c, "'%s' is not a date (YYYY-MM-DD)", s);
    free(s);
    return rc;
}

static int compile_aliases(const mc_csvtable *t, const char *pattern, pcre2_code **re)
{
    int errcode;
    PCRE2_SIZE erroff;
    /* Anchored at both ends: a pattern names whole unit names, so that
     * "UBND xã Cửa Tùng" never also matches inside "Trung tâm ... xã Cửa Tùng". */
    *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                        PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_ANCHORED |
                            PCRE2_ENDANCHORED,
                        &errcode, &erroff, NULL);
    if (!*re) {
        PCRE2_UCHAR msg[256];
        if (pcre2_get_error_message(errcode, msg, sizeof msg) < 0)
            snprintf((char *)msg, sizeof msg, "error %d", errcode);
        return mc_csvtable_error(t, COL_ALIASES, "pattern does not compile at offset %zu: %s",
                                 (size_t)erroff, (const char *)msg);
    }
#ifndef MC_NO_JIT
    /* Without JIT (unsupported CPU, or built without it) the interpreter
     * runs.  -DMC_NO_JIT turns it off for valgrind, which reports false
     * errors inside JIT code unless PCRE2 was built for it. */
    (void)pcre2_jit_compile(*re, PCRE2_JIT_COMPLETE);
#endif
    return 0;
}

/* One data row of the registry: a pending unit, or an error.  0 or status. */
static int unit_row(void *ctx, const mc_csvtable *t)
{
    loader *ld = ctx;
    if (t->n != t->header_n)
        return mc_csvtable_error(t, -1, "%zu fields, the header has %zu", t->n, t->header_n);
    if (ld->np == ld->capp) {
        size_t nc = ld->capp ? 2 * ld->capp : 32;
        pending *nv = realloc(ld->p, nc * sizeof *nv);
        if (!nv)
            return mc_csvtable_oom(t);
        ld->p = nv;
        ld->capp = nc;
    }
    pending *p = &ld->p[ld->np];
    memset(p, 0, sizeof *p);
    mc_unit *u = &p->u;
    u->line = t->line;
    u->parent_ix = SIZE_MAX;
    ld->np++; /* counted now so that a failure below still frees what was filled */

    int rc;
    if ((rc = text_col(t, COL_CODE, &u->code)) || (rc = text_col(t, COL_NAME, &u->name)) ||
        (rc = text_col(t, COL_PARENT, &u->parent)))
        return rc;
    if (!u->code)
        return mc_csvtable_error(t, COL_CODE, "empty");
    if (!u->name)
        return mc_csvtable_error(t, COL_NAME, "empty (unit '%s')", u->code);
    if (!(u->name_key = fold_case(u->name)))
        return mc_csvtable_oom(t);
    if ((rc = date_col(t, COL_FROM, MC_UNIT_OPEN_FROM, &u->valid_from)) ||
        (rc = date_col(t, COL_TO, MC_UNIT_OPEN_TO, &u->valid_to)))
        return rc;
    if (u->valid_from != MC_UNIT_OPEN_FROM && u->valid_to != MC_UNIT_OPEN_TO &&
        u->valid_to < u->valid_from)
        return mc_csvtable_error(t, COL_TO, "'%s' is before valid_from '%s'",
                                 mc_csvtable_cell(t, COL_TO), mc_csvtable_cell(t, COL_FROM));
    const char *al = mc_csvtable_cell(t, COL_ALIASES);
    size_t aln = strlen(al);
    if (!aln)
        return 0;
    rc = nfc_dup(al, aln, &u->aliases);
    if (rc == -2)
        return mc_csvtable_oom(t);
    if (rc == -1)
        return mc_csvtable_error(t, COL_ALIASES, "not valid UTF-8");
    return compile_aliases(t, u->aliases, &p->re);
}

/* ---- whole-file checks ---- */

static int cmp_pending(const void *a, const void *b)
{
    const pending *x = a, *y = b;
    int c = strcmp(x->u.code, y->u.code);
    if (c)
        return c;
    return (x->u.line > y->u.line) - (x->u.line < y->u.line);
}

static size_t find_ix(const mc_unit *v, size_t n, const char *code)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(v[mid].code, code);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return SIZE_MAX;
}

static int unit_error(const char *path, const mc_unit *u, mc_error *err, const char *col,
                      const char *what)
{
    return mc_error_set(err, MC_EXIT_DATA, "%s:%ld: column '%s': %s", path, u->line, col, what);
}

/* Duplicates, parents, cycles and depths on the sorted units.  0 or status. */
static int link_units(const char *path, mc_unit *v, size_t n, mc_error *err)
{
    char what[700];
    /* Of all problems of one kind, report the one earliest in the file. */
    const mc_unit *bad = NULL, *first = NULL;
    for (size_t i = 1; i < n; i++)
        if (strcmp(v[i - 1].code, v[i].code) == 0 && (!bad || v[i].line < bad->line)) {
            bad = &v[i];
            first = &v[i - 1];
        }
    if (bad) {
        snprintf(what, sizeof what, "duplicate code '%s' (first on line %ld)", bad->code,
                 first->line);
        return unit_error(path, bad, err, "code", what);
    }
    for (size_t i = 0; i < n; i++) {
        if (!v[i].parent)
            continue;
        v[i].parent_ix = find_ix(v, n, v[i].parent);
        if (v[i].parent_ix == SIZE_MAX && (!bad || v[i].line < bad->line))
            bad = &v[i];
    }
    if (bad) {
        snprintf(what, sizeof what, "unit '%s' has parent '%s', which is not in this file",
                 bad->code, bad->parent);
        return unit_error(path, bad, err, "parent", what);
    }
    /* A walk up from any unit meets a top unit within n steps, or never
     * does: then it has entered a cycle. */
    for (size_t i = 0; i < n; i++)
        v[i].depth = -1;
    for (size_t i = 0; i < n; i++) {
        size_t k = i, steps = 0;
        while (k != SIZE_MAX && v[k].depth < 0 && steps <= n) {
            k = v[k].parent_ix;
            steps++;
        }
        if (steps > n) {
            /* n steps up from i is surely on the cycle: name its members and
             * blame the one earliest in the file. */
            size_t c = i;
            for (size_t t = 0; t < n; t++)
                c = v[c].parent_ix;
            const mc_unit *blame = &v[c];
            size_t len = (size_t)snprintf(what, sizeof what, "parent cycle %s", v[c].code);
            for (size_t j = v[c].parent_ix;; j = v[j].parent_ix) {
                if (len < sizeof what)
                    len += (size_t)snprintf(what + len, sizeof what - len, " -> %s", v[j].code);
                if (j == c)
                    break;
                if (v[j].line < blame->line)
                    blame = &v[j];
            }
            return unit_error(path, blame, err, "parent", what);
        }
        int d = (k == SIZE_MAX ? -1 : v[k].depth) + (int)steps;
        for (size_t m = i; m != k; m = v[m].parent_ix)
            v[m].depth = d--;
    }
    return 0;
}

/* ---- public ---- */

static void free_unit(mc_unit *u)
{
    free(u->code);
    free(u->name);
    free(u->parent);
    free(u->aliases);
    free(u->name_key);
}

void mc_units_free(mc_units *u)
{
    if (!u)
        return;
    for (size_t i = 0; i < u->n; i++) {
        free_unit(&u->v[i]);
        if (u->re)
            pcre2_code_free(u->re[i]);
    }
    free(u->v);
    free(u->re);
    pcre2_match_data_free(u->md);
    free(u);
}

mc_units *mc_units_empty(void)
{
    return calloc(1, sizeof(mc_units));
}

static void free_loader(loader *ld)
{
    for (size_t i = 0; i < ld->np; i++) {
        free_unit(&ld->p[i].u);
        pcre2_code_free(ld->p[i].re);
    }
    free(ld->p);
}

int mc_units_load(const char *path, mc_units **out, mc_error *err)
{
    *out = NULL;
    loader ld = {0};
    mc_csvtable t;
    int rc = mc_csvtable_read(&t, path, &spec, unit_row, &ld, err);
    if (!rc && !t.header_n)
        rc = mc_error_set(err, MC_EXIT_DATA, "%s: no header line (expected code,name,parent,"
                          "aliases,valid_from,valid_to)", path);
    if (rc) {
        free_loader(&ld);
        return rc;
    }
    qsort(ld.p, ld.np, sizeof *ld.p, cmp_pending);
    mc_units *u = calloc(1, sizeof *u);
    if (u && ld.np) {
        u->v = calloc(ld.np, sizeof *u->v);
        u->re = calloc(ld.np, sizeof *u->re);
        u->md = pcre2_match_data_create(1, NULL);
    }
    if (!u || (ld.np && (!u->v || !u->re || !u->md))) {
        if (u) {
            free(u->v);
            free(u->re);
            pcre2_match_data_free(u->md);
            free(u);
        }
        free_loader(&ld);
        return mc_error_set(err, MC_EXIT_SOFTWARE, "%s: out of memory", path);
    }
    /* Ownership moves from the loader to the registry. */
    for (size_t i = 0; i < ld.np; i++) {
        u->v[i] = ld.p[i].u;
        u->re[i] = ld.p[i].re;
    }
    u->n = ld.np;
    free(ld.p);
    rc = link_units(path, u->v, u->n, err);
    if (rc) {
        mc_units_free(u);
        return rc;
    }
    *out = u;
    return 0;
}

size_t mc_units_count(const mc_units *u)
{
    return u ? u->n : 0;
}

const mc_unit *mc_units_at(const mc_units *u, size_t i)
{
    return u && i < u->n ? &u->v[i] : NULL;
}

const mc_unit *mc_units_find(const mc_units *u, const char *code)
{
    if (!u || !code || !u->n)
        return NULL;
    size_t i = find_ix(u->v, u->n, code);
    return i == SIZE_MAX ? NULL : &u->v[i];
}

size_t mc_units_match_all(const mc_units *u, const char *name, const mc_unit **out, size_t cap)
{
    if (!u || !name || !u->n)
        return 0;
    char *norm = NULL;
    if (norm_dup(name, strlen(name), &norm) != 0)
        return 0;
    size_t hits = 0;
    char *key = *norm ? fold_case(norm) : NULL;
    if (key) {
        for (size_t i = 0; i < u->n; i++)
            if (strcmp(u->v[i].name_key, key) == 0) {
                if (hits < cap)
                    out[hits] = &u->v[i];
                hits++;
            }
        if (!hits) {
            size_t len = strlen(norm);
            for (size_t i = 0; i < u->n; i++) {
                if (!u->re[i])
                    continue;
                /* norm came out of utf8proc, so PCRE2 need not check it again. */
                int rc = pcre2_match(u->re[i], (PCRE2_SPTR)norm, len, 0, PCRE2_NO_UTF_CHECK,
                                     u->md, NULL);
                if (rc >= 0) {
                    if (hits < cap)
                        out[hits] = &u->v[i];
                    hits++;
                }
            }
        }
    }
    free(key);
    free(norm);
    return hits;
}

int mc_units_match_name(const mc_units *u, const char *name, const mc_unit **unit)
{
    const mc_unit *hit = NULL;
    size_t hits = mc_units_match_all(u, name, &hit, 1);
    *unit = hits == 1 ? hit : NULL;
    return hits == 1 ? 1 : hits > 1 ? 2 : 0;
}

int mc_unit_valid_during(const mc_unit *unit, int64_t start_day, int64_t end_day)
{
    if (!unit)
        return 0;
    return unit->valid_from <= end_day && start_day <= unit->valid_to;
}

size_t mc_units_ancestors(const mc_units *u, const char *code, const char **out, size_t cap)
{
    const mc_unit *x = mc_units_find(u, code);
    size_t n = 0;
    /* link_units ruled out cycles, so the walk ends; n <= u->n guards anyway. */
    while (x && x->parent_ix != SIZE_MAX && n < cap && n < u->n) {
        x = &u->v[x->parent_ix];
        out[n++] = x->code;
    }
    return n;
}
