/*
 * targets.c -- plan targets of SPEC 6; see targets.h.
 *
 * The file is fed to libcsv one physical line at a time so that every
 * error can name the line a row starts on, and so that comment and blank
 * lines can be dropped before the CSV parser sees them.
 */
#include "reports/targets.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "transforms/text.h"

enum { COL_UNIT, COL_INDICATOR, COL_OP, COL_VALUE, COL_PERIOD, COL_SOURCE, COL_COUNT };

static const char *const col_names[COL_COUNT] = {
    "unit", "indicator", "op", "value", "period", "source",
};

#define HEADER_HINT "unit,indicator,op,value,period,source"

typedef struct loader {
    const char *path;
    mc_convention conv;
    mc_targets *out;
    size_t cap;
    mc_error *err;
    int status;            /* first error, 0 while all is well */
    char **fields;         /* the record being collected */
    size_t nf, capf;
    long rec_line;         /* line the record started on; 0 between records */
    int have_header;
    int col[COL_COUNT];    /* field index of each column, -1 if absent */
} loader;

static int oom(loader *ld)
{
    ld->status = mc_error_set(ld->err, MC_EXIT_SOFTWARE, "%s: out of memory", ld->path);
    return ld->status;
}

static void on_field(void *s, size_t len, void *data)
{
    loader *ld = data;
    if (ld->status)
        return;
    if (ld->nf == ld->capf) {
        size_t nc = ld->capf ? 2 * ld->capf : 8;
        char **nv = realloc(ld->fields, nc * sizeof *nv);
        if (!nv) {
            oom(ld);
            return;
        }
        ld->fields = nv;
        ld->capf = nc;
    }
    char *f = malloc(len + 1);
    if (!f) {
        oom(ld);
        return;
    }
    if (len)
        memcpy(f, s, len);
    f[len] = '\0';
    ld->fields[ld->nf++] = f;
}

/* A field's text, NFC and trimmed, into a new string; "" for a missing
 * field.  NULL with ld->status set on failure. */
static char *field_text(loader *ld, int col)
{
    const char *raw = (ld->col[col] >= 0 && (size_t)ld->col[col] < ld->nf)
                          ? ld->fields[ld->col[col]] : "";
    size_t n = strlen(raw);
    if (!mc_utf8_valid(raw, n)) {
        ld->status = mc_error_set(ld->err, MC_EXIT_DATA,
                                  "%s:%ld: column '%s': not valid UTF-8 (save the file as UTF-8)",
                                  ld->path, ld->rec_line, col_names[col]);
        return NULL;
    }
    size_t cap = 3 * n + 1;
    char *dst = malloc(cap);
    if (!dst) {
        oom(ld);
        return NULL;
    }
    if (mc_text_norm(raw, n, dst, cap) < 0) {
        free(dst);
        oom(ld);
        return NULL;
    }
    return dst;
}

static int data_error(loader *ld, int col, const char *what, const char *text)
{
    ld->status = mc_error_set(ld->err, MC_EXIT_DATA, "%s:%ld: column '%s': %s%s%.200s%s",
                              ld->path, ld->rec_line, col_names[col], what,
                              text ? " '" : "", text ? text : "", text ? "'" : "");
    return ld->status;
}

static void read_header(loader *ld)
{
    for (int c = 0; c < COL_COUNT; c++)
        ld->col[c] = -1;
    for (size_t i = 0; i < ld->nf; i++) {
        char *name = ld->fields[i];
        /* the header may carry spaces around names ("unit, indicator") */
        while (isspace((unsigned char)*name))
            name++;
        size_t n = strlen(name);
        while (n && isspace((unsigned char)name[n - 1]))
            n--;
        for (int c = 0; c < COL_COUNT; c++) {
            if (strlen(col_names[c]) != n || strncasecmp(name, col_names[c], n) != 0)
                continue;
            if (ld->col[c] >= 0) {
                ld->status = mc_error_set(ld->err, MC_EXIT_DATA,
                                          "%s:%ld: column '%s': named twice in the header",
                                          ld->path, ld->rec_line, col_names[c]);
                return;
            }
            ld->col[c] = (int)i;
        }
    }
    /* source is only a citation: a file without it still states targets */
    for (int c = 0; c < COL_SOURCE; c++)
        if (ld->col[c] < 0) {
            ld->status = mc_error_set(ld->err, MC_EXIT_DATA,
                                      "%s:%ld: column '%s': missing from the header "
                                      "(expected " HEADER_HINT ")",
                                      ld->path, ld->rec_line, col_names[c]);
            return;
        }
    ld->have_header = 1;
}

/*
 * A target value: digits with at most one decimal point (or a decimal
 * comma, as Vietnamese documents write 99,9), optionally followed by '%'.
 * Computed as mantissa / 10^k, both exact in a double, so the result is
 * the correctly rounded value -- the same double strtod gives, without
 * depending on the locale.  norm gets the value with a '.' and no '%'.
 */
static int parse_value(const char *s, double *v, char *norm, size_t cap)
{
    static const double p10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
                                 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    uint64_t mant = 0;
    int ndig = 0, frac = -1;
    size_t o = 0;
    const char *p = s;

    for (; *p; p++) {
        if (isdigit((unsigned char)*p)) {
            if (++ndig > 15)
                return -1;
            mant = mant * 10 + (uint64_t)(*p - '0');
            if (frac >= 0)
                frac++;
        } else if ((*p == '.' || *p == ',') && frac < 0) {
            frac = 0;
        } else {
            break;
        }
        if (o + 2 > cap)
            return -1;
        norm[o++] = *p == ',' ? '.' : *p;
    }
    while (*p == ' ')
        p++;
    if (*p == '%')
        p++;
    if (*p || ndig == 0 || frac == 0)
        return -1;
    norm[o] = '\0';
    *v = (double)mant / p10[frac > 0 ? frac : 0];
    return 0;
}

static int add_target(loader *ld, mc_target *t)
{
    if (ld->out->n == ld->cap) {
        size_t nc = ld->cap ? 2 * ld->cap : 16;
        mc_target *nv = realloc(ld->out->v, nc * sizeof *nv);
        if (!nv)
            return oom(ld);
        ld->out->v = nv;
        ld->cap = nc;
    }
    ld->out->v[ld->out->n++] = *t;
    return 0;
}

static void free_target(mc_target *t)
{
    free(t->unit);
    free(t->indicator);
    free(t->value_text);
    free(t->source);
}

static void read_row(loader *ld)
{
    static const char *const ops[] = {">=", ">", "<=", "<", "="};
    mc_target t;
    char *op = NULL, *value = NULL, *period = NULL;

    memset(&t, 0, sizeof t);
    t.line = ld->rec_line;
    if (!(t.unit = field_text(ld, COL_UNIT)) || !(t.indicator = field_text(ld, COL_INDICATOR)) ||
        !(op = field_text(ld, COL_OP)) || !(value = field_text(ld, COL_VALUE)) ||
        !(period = field_text(ld, COL_PERIOD)) || !(t.source = field_text(ld, COL_SOURCE)))
        goto out;

    /* ",,,,," is what spreadsheets leave below the data */
    if (!*t.unit && !*t.indicator && !*op && !*value && !*period && !*t.source)
        goto out;

    if (!*t.unit) {
        data_error(ld, COL_UNIT, "empty (a unit code, or * for every unit)", NULL);
        goto out;
    }
    if (!*t.indicator) {
        data_error(ld, COL_INDICATOR, "empty", NULL);
        goto out;
    }
    for (char *c = t.indicator; *c; c++)
        *c = (char)tolower((unsigned char)*c);

    size_t k;
    for (k = 0; k < sizeof ops / sizeof ops[0]; k++)
        if (strcmp(op, ops[k]) == 0)
            break;
    if (k == sizeof ops / sizeof ops[0]) {
        data_error(ld, COL_OP, "unknown operator (expected >=, >, <=, < or =):", op);
        goto out;
    }
    memcpy(t.op, ops[k], strlen(ops[k]) + 1);

    size_t vcap = strlen(value) + 2;
    if (!(t.value_text = malloc(vcap))) {
        oom(ld);
        goto out;
    }
    if (parse_value(value, &t.value, t.value_text, vcap) != 0) {
        data_error(ld, COL_VALUE, "not a number (e.g. 98 or 99.9):", value);
        goto out;
    }

    mc_error perr;
    mc_error_clear(&perr);
    if (mc_period_parse(period, ld->conv, &t.period, &perr) != 0) {
        ld->status = mc_error_set(ld->err, MC_EXIT_DATA, "%s:%ld: column 'period': %s",
                                  ld->path, ld->rec_line, perr.msg);
        goto out;
    }

    if (add_target(ld, &t) == 0)
        memset(&t, 0, sizeof t);  /* now owned by ld->out */
out:
    free_target(&t);
    free(op);
    free(value);
    free(period);
}

static void on_record(int c, void *data)
{
    loader *ld = data;
    (void)c;
    if (!ld->status) {
        if (!ld->have_header)
            read_header(ld);
        else
            read_row(ld);
    }
    for (size_t i = 0; i < ld->nf; i++)
        free(ld->fields[i]);
    ld->nf = 0;
    ld->rec_line = 0;
}

/* 1 when a line outside any record holds nothing for the parser. */
static int skippable(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    return *s == '\0' || *s == '#';
}

int mc_targets_load(const char *path, mc_convention conv, mc_targets *out, mc_error *err)
{
    loader ld;
    struct csv_parser p;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    long lineno = 0;

    out->v = NULL;
    out->n = 0;
    memset(&ld, 0, sizeof ld);
    ld.path = path;
    ld.conv = conv;
    ld.out = out;
    ld.err = err;

    FILE *f = fopen(path, "rb");
    if (!f)
        return mc_error_set(err, MC_EXIT_IO, "%s: cannot open: %s", path, strerror(errno));
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        fclose(f);
        return mc_error_set(err, MC_EXIT_SOFTWARE, "%s: out of memory", path);
    }

    while (!ld.status && (len = getline(&line, &lcap, f)) >= 0) {
        char *s = line;
        size_t n = (size_t)len;
        if (++lineno == 1 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
            s += 3;
            n -= 3;
        }
        if (ld.rec_line == 0) {
            if (skippable(s))
                continue;
            ld.rec_line = lineno;
        }
        if (csv_parse(&p, s, n, on_field, on_record, &ld) != n && !ld.status)
            ld.status = mc_error_set(err, MC_EXIT_DATA, "%s:%ld: malformed CSV: %s",
                                     path, lineno, csv_strerror(csv_error(&p)));
    }
    if (!ld.status && ferror(f))
        ld.status = mc_error_set(err, MC_EXIT_IO, "%s: read error: %s", path, strerror(errno));
    if (!ld.status) {
        long start = ld.rec_line;
        if (csv_fini(&p, on_field, on_record, &ld) != 0 && !ld.status)
            ld.status = mc_error_set(err, MC_EXIT_DATA,
                                     "%s:%ld: malformed CSV: a quoted field is never closed",
                                     path, start);
    }
    if (!ld.status && !ld.have_header)
        ld.status = mc_error_set(err, MC_EXIT_DATA, "%s:%ld: column 'unit': no header line "
                                 "(expected " HEADER_HINT ")", path, lineno ? lineno : 1);

    csv_free(&p);
    free(line);
    for (size_t i = 0; i < ld.nf; i++)
        free(ld.fields[i]);
    free(ld.fields);
    fclose(f);
    if (ld.status)
        mc_targets_free(out);
    return ld.status;
}

void mc_targets_free(mc_targets *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        free_target(&t->v[i]);
    free(t->v);
    t->v = NULL;
    t->n = 0;
}

/* +1 for a floor (>=, >), -1 for a ceiling (<=, <), 0 for '='. */
static int direction(const char *op)
{
    return op[0] == '>' ? 1 : op[0] == '<' ? -1 : 0;
}

/* 1 when a is stricter than b, -1 when b is, 0 when neither (different
 * directions, '=', or the very same bound). */
static int stricter(const mc_target *a, const mc_target *b)
{
    int d = direction(a->op);
    if (d == 0 || d != direction(b->op))
        return 0;
    if (a->value != b->value)
        return (d > 0) == (a->value > b->value) ? 1 : -1;
    int sa = a->op[1] == '\0', sb = b->op[1] == '\0';  /* > and < are strict */
    return sa == sb ? 0 : sa ? 1 : -1;
}

const mc_target *mc_targets_match(const mc_targets *t, const char *const *chain,
                                  size_t chain_len, const char *indicator,
                                  const mc_period *report_period)
{
    const mc_target *best = NULL;
    size_t best_rank = 0;

    for (size_t i = 0; i < t->n; i++) {
        const mc_target *c = &t->v[i];
        if (strcasecmp(c->indicator, indicator) != 0 ||
            !mc_period_contains(&c->period, report_period))
            continue;
        size_t rank;
        if (strcmp(c->unit, "*") == 0) {
            rank = chain_len;
        } else {
            for (rank = 0; rank < chain_len; rank++)
                if (chain[rank] && strcmp(chain[rank], c->unit) == 0)
                    break;
            if (rank == chain_len)
                continue;
        }
        if (best) {
            if (rank != best_rank) {
                if (rank > best_rank)
                    continue;
            } else {
                int64_t lc = c->period.end - c->period.start;
                int64_t lb = best->period.end - best->period.start;
                /* the earlier line keeps a tie nothing else decides */
                if (lc > lb || (lc == lb && stricter(c, best) <= 0))
                    continue;
            }
        }
        best = c;
        best_rank = rank;
    }
    return best;
}

int mc_target_eval(const mc_target *t, const char *unit_code, int has_actual,
                   double actual, int no_late, mc_target_row *row)
{
    memset(row, 0, sizeof *row);
    row->unit_code = strdup(unit_code);
    row->indicator = strdup(t->indicator);
    row->source = strdup(t->source ? t->source : "");
    if (!row->unit_code || !row->indicator || !row->source) {
        free(row->unit_code);
        free(row->indicator);
        free(row->source);
        memset(row, 0, sizeof *row);
        return -1;
    }
    memcpy(row->op, t->op, sizeof row->op);
    row->target = t->value;
    row->has_actual = has_actual && isfinite(actual);
    if (row->has_actual) {
        row->actual = actual;
        row->has_gap = 1;
        row->gap = actual - t->value;
    }

    if (no_late && strcmp(t->indicator, "late_with_apology_rate") == 0) {
        /* nothing was late, so nothing lacked an apology */
        row->status = "met";
    } else if (!row->has_actual) {
        row->status = "no data";
    } else {
        /* Exact comparison is right here: rates are (100*num)/den, correctly
         * rounded, and targets are read correctly rounded, so a rate that is
         * exactly 98% equals the target 98 to the last bit, while 97.996%
         * (shown as 98.00) is honestly below it. */
        int met;
        switch (direction(t->op) * 2 + (t->op[1] == '=' ? 1 : 0)) {
        case 3: met = actual >= t->value; break;   /* >= */
        case 2: met = actual > t->value; break;    /* >  */
        case -1: met = actual <= t->value; break;  /* <= */
        case -2: met = actual < t->value; break;   /* <  */
        default: met = actual == t->value; break;  /* =  */
        }
        row->status = met ? "met" : "missed";
    }
    return 0;
}
