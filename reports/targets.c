/*
 * targets.c -- plan targets of SPEC 6; see targets.h.
 *
 * csvtable.c reads the file (lines, comments, header); each row is checked
 * here and becomes one target.
 */
#include "reports/targets.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reports/csvtable.h"
#include "transforms/text.h"

enum { COL_UNIT, COL_INDICATOR, COL_OP, COL_VALUE, COL_PERIOD, COL_SOURCE, COL_COUNT };

static const char *const col_names[COL_COUNT] = {
    "unit", "indicator", "op", "value", "period", "source",
};

#define HEADER_HINT "unit,indicator,op,value,period,source"

static const mc_csvtable_spec spec = {
    .cols = col_names,
    .ncols = COL_COUNT,
    .nrequired = COL_SOURCE, /* source is only a citation: a file without it still states targets */
    .flags = MC_CSVTABLE_READ_ERRNO,
    .twice = "named twice in the header",
    .bad_csv = "malformed CSV: ",
    .unclosed = "malformed CSV: a quoted field is never closed",
};

/* The targets read so far. */
typedef struct loader {
    mc_convention conv;
    mc_targets *out;
    size_t cap;
} loader;

/* A field's text, NFC and trimmed, into a new string; "" for a missing
 * field.  NULL on failure, the error set and its status in *rc. */
static char *field_text(const mc_csvtable *tab, int col, int *rc)
{
    const char *raw = mc_csvtable_cell(tab, col);
    size_t n = strlen(raw);
    if (!mc_utf8_valid(raw, n)) {
        *rc = mc_csvtable_error(tab, col, "not valid UTF-8 (save the file as UTF-8)");
        return NULL;
    }
    size_t cap = 3 * n + 1;
    char *dst = malloc(cap);
    if (!dst || mc_text_norm(raw, n, dst, cap) < 0) {
        free(dst);
        *rc = mc_csvtable_oom(tab);
        return NULL;
    }
    return dst;
}

static int data_error(const mc_csvtable *tab, int col, const char *what, const char *text)
{
    return mc_csvtable_error(tab, col, "%s%s%.200s%s", what, text ? " '" : "", text ? text : "",
                             text ? "'" : "");
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

static int add_target(loader *ld, const mc_csvtable *tab, mc_target *t)
{
    if (ld->out->n == ld->cap) {
        size_t nc = ld->cap ? 2 * ld->cap : 16;
        mc_target *nv = realloc(ld->out->v, nc * sizeof *nv);
        if (!nv)
            return mc_csvtable_oom(tab);
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

/* One data row: a target added to ld->out, or an error.  0 or status. */
static int read_row(void *ctx, const mc_csvtable *tab)
{
    static const char *const ops[] = {">=", ">", "<=", "<", "="};
    loader *ld = ctx;
    mc_target t;
    char *op = NULL, *value = NULL, *period = NULL;
    int rc = 0;

    memset(&t, 0, sizeof t);
    t.line = tab->line;
    if (!(t.unit = field_text(tab, COL_UNIT, &rc)) ||
        !(t.indicator = field_text(tab, COL_INDICATOR, &rc)) ||
        !(op = field_text(tab, COL_OP, &rc)) || !(value = field_text(tab, COL_VALUE, &rc)) ||
        !(period = field_text(tab, COL_PERIOD, &rc)) ||
        !(t.source = field_text(tab, COL_SOURCE, &rc)))
        goto out;

    /* " , ,," is what spreadsheets may leave below the data, too */
    if (!*t.unit && !*t.indicator && !*op && !*value && !*period && !*t.source)
        goto out;

    if (!*t.unit) {
        rc = data_error(tab, COL_UNIT, "empty (a unit code, or * for every unit)", NULL);
        goto out;
    }
    if (!*t.indicator) {
        rc = data_error(tab, COL_INDICATOR, "empty", NULL);
        goto out;
    }
    for (char *c = t.indicator; *c; c++)
        *c = (char)tolower((unsigned char)*c);

    size_t k;
    for (k = 0; k < sizeof ops / sizeof ops[0]; k++)
        if (strcmp(op, ops[k]) == 0)
            break;
    if (k == sizeof ops / sizeof ops[0]) {
        rc = data_error(tab, COL_OP, "unknown operator (expected >=, >, <=, < or =):", op);
        goto out;
    }
    memcpy(t.op, ops[k], strlen(ops[k]) + 1);

    size_t vcap = strlen(value) + 2;
    if (!(t.value_text = malloc(vcap))) {
        rc = mc_csvtable_oom(tab);
        goto out;
    }
    if (parse_value(value, &t.value, t.value_text, vcap) != 0) {
        rc = data_error(tab, COL_VALUE, "not a number (e.g. 98 or 99.9):", value);
        goto out;
    }

    mc_error perr;
    mc_error_clear(&perr);
    if (mc_period_parse(period, ld->conv, &t.period, &perr) != 0) {
        rc = mc_csvtable_error(tab, COL_PERIOD, "%s", perr.msg);
        goto out;
    }

    if ((rc = add_target(ld, tab, &t)) == 0)
        memset(&t, 0, sizeof t);  /* now owned by ld->out */
out:
    free_target(&t);
    free(op);
    free(value);
    free(period);
    return rc;
}

int mc_targets_load(const char *path, mc_convention conv, mc_targets *out, mc_error *err)
{
    loader ld = {.conv = conv, .out = out};
    mc_csvtable tab;

    out->v = NULL;
    out->n = 0;
    int rc = mc_csvtable_read(&tab, path, &spec, read_row, &ld, err);
    if (!rc && !tab.header_n)
        rc = mc_error_set(err, MC_EXIT_DATA, "%s:%ld: column 'unit': no header line "
                          "(expected " HEADER_HINT ")", path, tab.lines ? tab.lines : 1);
    if (rc)
        mc_targets_free(out);
    return rc;
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
