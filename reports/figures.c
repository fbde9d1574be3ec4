/*
 * figures.c -- SPEC 5 figures per unit, and by field and procedure (SPEC
 * 11); see figures.h.
 *
 * The counting rules live in mc_figures_add_case and nowhere else: each
 * case is counted by it, in the same pass, into its unit, ALL, and when
 * asked for, its field and its procedure.  The rest of this file resolves
 * units, rolls counts up the hierarchy, groups fields and procedures, and
 * gathers targets and quality checks around them.
 */
#include "reports/figures.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/dict.h"
#include "reports/casescan.h"
#include "transforms/dates.h"
#include "transforms/record.h"
#include "transforms/text.h"

int mc_figures_add_case(int64_t c[MC_C_COUNT], const mc_case_facts *f, int64_t start,
                        int64_t as_of)
{
    if (f->status == MC_STATUS_REGISTERED || f->status == MC_STATUS_DENIED ||
        f->received_day > as_of)
        return 0;
    int carried = f->received_day < start && (!f->has_end || f->end_day >= start);
    int fresh = f->received_day >= start; /* and <= as_of, checked above */
    if (!carried && !fresh)
        return 0;
    c[MC_C_RECEIVED_TOTAL]++;
    if (carried)
        c[MC_C_CARRIED_OVER]++;
    if (fresh) {
        c[MC_C_RECEIVED_NEW]++;
        if (f->channel == MC_CHANNEL_ONLINE) {
            c[MC_C_RECEIVED_ONLINE]++;
            if (f->level == MC_LEVEL_FULL)
                c[MC_C_ONLINE_FULL]++;
        } else {
            c[MC_C_RECEIVED_OFFLINE]++;
        }
        c[MC_C_NEW_PAID_ONLINE] += f->paid_online == MC_FLAG_YES;
        c[MC_C_NEW_HAS_FEE] += f->has_fee == MC_FLAG_YES;
        c[MC_C_NEW_DIGITIZED] += f->digitized == MC_FLAG_YES;
        c[MC_C_NEW_DIGITIZED_KNOWN] += f->digitized != MC_FLAG_ABSENT;
    }
    int late = 0;
    if (f->has_end && f->end_day >= start && f->end_day <= as_of) {
        c[MC_C_RESOLVED_TOTAL]++;
        int withdrawn = f->status == MC_STATUS_WITHDRAWN;
        if (withdrawn || !f->has_due || f->end_day == f->due_day)
            c[MC_C_RESOLVED_ON_TIME]++;
        else if (f->end_day < f->due_day)
            c[MC_C_RESOLVED_EARLY]++;
        else {
            c[MC_C_RESOLVED_LATE]++;
            late = 1;
        }
        c[MC_C_RESOLVED_E_RESULT] += f->e_result == MC_FLAG_YES;
        c[MC_C_RESOLVED_E_RESULT_KNOWN] += f->e_result != MC_FLAG_ABSENT;
    } else {
        /* no end, or an end after the as-of date */
        c[MC_C_IN_PROGRESS_TOTAL]++;
        int paused = (f->status == MC_STATUS_WAITING_DOCS || f->status == MC_STATUS_WAITING_FEES) &&
                     !f->has_end;
        if (!paused && f->has_due && f->due_day < as_of) {
            c[MC_C_IN_PROGRESS_OVERDUE]++;
            late = 1;
        } else {
            c[MC_C_IN_PROGRESS_WITHIN]++;
        }
    }
    if (late) {
        c[MC_C_LATE_TOTAL]++;
        c[MC_C_LATE_WITH_APOLOGY] += f->apology != 0;
    }
    return 1;
}

int mc_figures_identities_hold(const int64_t c[MC_C_COUNT])
{
    return c[MC_C_RECEIVED_TOTAL] == c[MC_C_RESOLVED_TOTAL] + c[MC_C_IN_PROGRESS_TOTAL] &&
           c[MC_C_RESOLVED_TOTAL] ==
               c[MC_C_RESOLVED_EARLY] + c[MC_C_RESOLVED_ON_TIME] + c[MC_C_RESOLVED_LATE] &&
           c[MC_C_IN_PROGRESS_TOTAL] == c[MC_C_IN_PROGRESS_WITHIN] + c[MC_C_IN_PROGRESS_OVERDUE] &&
           c[MC_C_RECEIVED_NEW] == c[MC_C_RECEIVED_ONLINE] + c[MC_C_RECEIVED_OFFLINE];
}

void mc_figures_facts(const mc_scan_row *row, mc_case_facts *f)
{
    int64_t facts = row->facts;
    f->status = mc_facts_status(facts);
    f->channel = mc_facts_channel(facts);
    f->level = mc_facts_level(facts);
    f->received_day = mc_date_day(row->received_at);
    f->has_due = row->has_due;
    f->due_day = f->has_due ? mc_date_day(row->due_at) : 0;
    f->has_end = row->has_end;
    f->end_day = f->has_end ? mc_date_day(row->end_at) : 0;
    f->apology = mc_facts_apology(facts);
    f->has_fee = mc_facts_has_fee(facts);
    f->paid_online = mc_facts_paid_online(facts);
    f->digitized = mc_facts_digitized(facts);
    f->e_result = mc_facts_e_result(facts);
}

const char *mc_bucket_name(mc_bucket b)
{
    static const char *const names[] = {"resolved_early", "resolved_on_time", "resolved_late",
                                        "in_progress_within", "in_progress_overdue"};
    return (unsigned)b < sizeof names / sizeof names[0] ? names[b] : "";
}

int mc_figures_classify(const mc_case_facts *f, int64_t start, int64_t as_of, mc_case_class *k)
{
    memset(k, 0, sizeof *k);
    if (!mc_figures_add_case(k->c, f, start, as_of))
        return 0;
    /* the bucket is the one count of the five that the case added to */
    static const struct {
        mc_count count;
        mc_bucket bucket;
    } buckets[] = {
        {MC_C_RESOLVED_EARLY, MC_BUCKET_RESOLVED_EARLY},
        {MC_C_RESOLVED_ON_TIME, MC_BUCKET_RESOLVED_ON_TIME},
        {MC_C_RESOLVED_LATE, MC_BUCKET_RESOLVED_LATE},
        {MC_C_IN_PROGRESS_WITHIN, MC_BUCKET_IN_PROGRESS_WITHIN},
        {MC_C_IN_PROGRESS_OVERDUE, MC_BUCKET_IN_PROGRESS_OVERDUE},
    };
    for (size_t i = 0; i < sizeof buckets / sizeof buckets[0]; i++)
        if (k->c[buckets[i].count])
            k->bucket = buckets[i].bucket;
    if (k->c[MC_C_RESOLVED_LATE]) {
        k->has_days_late = 1;
        k->days_late = f->end_day - f->due_day;
    } else if (k->c[MC_C_IN_PROGRESS_OVERDUE]) {
        k->has_days_late = 1;
        k->days_late = as_of - f->due_day;
    }
    return 1;
}

/* ---- units of the report ----------------------------------------------- */

typedef struct runit {
    char *code;
    char *name;
    const mc_unit *reg;     /* registry entry, or NULL */
    int is_parent;          /* the registry lists children under it */
    int64_t own[MC_C_COUNT];
    int64_t total[MC_C_COUNT];
} runit;

typedef struct runits {
    runit *v;
    size_t n, cap;
    mc_dict *by_code;
} runits;

static int runit_get(runits *u, const char *code, const char *name, const mc_unit *reg,
                     size_t *idx)
{
    int64_t found;
    if (mc_dict_get(u->by_code, code, strlen(code), &found)) {
        runit *r = &u->v[found];
        /* Several spellings under one code: keep the smallest, so the name
         * does not depend on the order files were loaded in. */
        if (!r->reg && name && (!r->name || strcmp(name, r->name) < 0)) {
            char *n = strdup(name);
            if (!n)
                return -1;
            free(r->name);
            r->name = n;
        }
        *idx = (size_t)found;
        return 0;
    }
    if (u->n == u->cap) {
        size_t cap = u->cap ? 2 * u->cap : 64;
        runit *v = realloc(u->v, cap * sizeof *v);
        if (!v)
            return -1;
        u->v = v;
        u->cap = cap;
    }
    runit *r = &u->v[u->n];
    memset(r, 0, sizeof *r);
    r->code = strdup(code);
    r->name = strdup(reg ? reg->name : name ? name : "");
    r->reg = reg;
    if (!r->code || !r->name || mc_dict_put(u->by_code, code, strlen(code), (int64_t)u->n) != 0) {
        free(r->code);
        free(r->name);
        return -1;
    }
    *idx = u->n++;
    return 0;
}

static void runits_free(runits *u)
{
    for (size_t i = 0; i < u->n; i++) {
        free(u->v[i].code);
        free(u->v[i].name);
    }
    free(u->v);
    mc_dict_free(u->by_code);
}

/* Names the registry could not place, for the quality table. */
typedef struct name_note {
    const char *name;
    int ambiguous;
} name_note;

/* Note a name for the quality table, once. */
static void add_note(name_note *notes, size_t *n, const char *name, int ambiguous)
{
    for (size_t j = 0; j < *n; j++)
        if (strcmp(notes[j].name, name) == 0)
            return;
    notes[*n].name = name;
    notes[(*n)++].ambiguous = ambiguous;
}

/*
 * A name that matches several registry units ("UBND Cẩm Xuyên": the
 * district until 2025-06-30, the commune from 2025-07-01).  Each case goes
 * to the one candidate valid on the day it was received; when none or
 * several are, it stays with the name's own unit, which is listed (SPEC 3:
 * never merged by guesswork -- the registry's dates are not a guess).
 */
#define MAX_CANDIDATES 8
typedef struct ambiguous_key {
    const mc_unit *cand[MAX_CANDIDATES];
    size_t n;
    const char *name;
} ambiguous_key;

/* The runit index + 1 of the one candidate valid on day, or 0. */
static size_t resolve_on(const ambiguous_key *a, const runits *u, int64_t day)
{
    const mc_unit *only = NULL;
    size_t valid = 0;
    for (size_t i = 0; i < a->n; i++)
        if (mc_unit_valid_during(a->cand[i], day, day)) {
            only = a->cand[i];
            valid++;
        }
    int64_t p;
    if (valid != 1 || !mc_dict_get(u->by_code, only->code, strlen(only->code), &p))
        return 0;
    return (size_t)p + 1;
}

/* ---- the units of a report, public ---------------------------------------- */

struct mc_report_units {
    runits u;
    mc_unit_key *keys;
    size_t n_keys;
    int64_t max_id;
    size_t *key_unit, *amb_of;  /* by unit_keys id: runit index + 1, ambiguous key + 1 */
    ambiguous_key *amb;
    size_t n_amb;
    name_note *notes;           /* names the registry could not place, every period */
    size_t n_notes;
    char *in_scope;             /* by runit index; NULL: no scope, every unit */
    size_t scope_ix;            /* the scope's runit index, when in_scope */
    size_t *rank;               /* by runit index: place in the order of the codes */
};

static int cmp_code_ix(const void *a, const void *b, void *arg)
{
    const runits *u = arg;
    return strcmp(u->v[*(const size_t *)a].code, u->v[*(const size_t *)b].code);
}

int mc_report_units_new(mc_store *s, const mc_units *units, const char *scope,
                        mc_report_units **out, mc_error *err)
{
    *out = NULL;
    mc_report_units *m = calloc(1, sizeof *m);
    size_t *order = NULL;
    int st = 0;
    if (!m || !(m->u.by_code = mc_dict_new()))
        goto nomem;
    if ((st = mc_store_unit_keys(s, &m->keys, &m->n_keys, err)))
        goto fail;
    for (size_t i = 0; i < m->n_keys; i++)
        if (m->keys[i].id > m->max_id)
            m->max_id = m->keys[i].id;
    m->key_unit = calloc((size_t)m->max_id + 1, sizeof *m->key_unit);
    m->amb_of = calloc((size_t)m->max_id + 1, sizeof *m->amb_of);
    m->notes = calloc(m->n_keys ? m->n_keys : 1, sizeof *m->notes);
    m->amb = calloc(m->n_keys ? m->n_keys : 1, sizeof *m->amb);
    if (!m->key_unit || !m->amb_of || !m->notes || !m->amb)
        goto nomem;

    /* Registry units first, so that every one has its row. */
    runits *u = &m->u;
    size_t n_reg = mc_units_count(units);
    for (size_t i = 0; i < n_reg; i++) {
        const mc_unit *reg = mc_units_at(units, i);
        size_t idx;
        if (runit_get(u, reg->code, reg->name, reg, &idx))
            goto nomem;
    }
    for (size_t i = 0; i < n_reg; i++) {
        const mc_unit *reg = mc_units_at(units, i);
        int64_t p;
        if (reg->parent && mc_dict_get(u->by_code, reg->parent, strlen(reg->parent), &p))
            u->v[p].is_parent = 1;
    }

    /* Each (code, name) seen in the data -> the unit of the report. */
    for (size_t i = 0; i < m->n_keys; i++) {
        const mc_unit_key *k = &m->keys[i];
        const mc_unit *reg = NULL;
        const char *code = k->code;
        size_t idx;
        if (code) {
            reg = mc_units_find(units, code);
        } else if (k->name) {
            const mc_unit *cand[MAX_CANDIDATES];
            size_t n = mc_units_match_all(units, k->name, cand, MAX_CANDIDATES);
            if (n == 1) {
                reg = cand[0];
                code = reg->code;
            } else {
                code = k->name; /* its own unit, never merged by guesswork */
                if (n >= 2 && n <= MAX_CANDIDATES) {
                    ambiguous_key *a = &m->amb[m->n_amb++];
                    memcpy(a->cand, cand, n * sizeof *cand);
                    a->n = n;
                    a->name = k->name;
                    m->amb_of[k->id] = m->n_amb;
                } else {
                    add_note(m->notes, &m->n_notes, k->name, n >= 2);
                }
            }
        } else {
            continue; /* cannot happen: missing_unit rows are quarantined */
        }
        if (runit_get(u, code, k->name, reg, &idx))
            goto nomem;
        m->key_unit[k->id] = idx + 1;
    }

    if (!(m->rank = calloc(u->n ? u->n : 1, sizeof *m->rank)) ||
        !(order = malloc((u->n ? u->n : 1) * sizeof *order)))
        goto nomem;
    for (size_t i = 0; i < u->n; i++)
        order[i] = i;
    qsort_r(order, u->n, sizeof *order, cmp_code_ix, u);
    for (size_t i = 0; i < u->n; i++)
        m->rank[order[i]] = i;

    if (scope) {
        /* the code as the registry and the store keep codes: NFC, white
         * space folded */
        size_t n = strlen(scope);
        char code[1024];
        long len = mc_utf8_valid(scope, n) && n < sizeof code / 3
                       ? mc_text_norm(scope, n, code, sizeof code) : -1;
        if (len <= 0) {
            st = mc_error_set(err, MC_EXIT_USAGE, "--unit needs the code of a unit in UTF-8, "
                              "e.g. --unit 000.00.72.H56");
            goto fail;
        }
        int64_t p;
        if (!mc_dict_get(u->by_code, code, (size_t)len, &p)) {
            st = mc_error_set(err, MC_EXIT_USAGE, "--unit %s: no unit has this code, neither "
                              "in the units registry nor in the store's cases", code);
            goto fail;
        }
        m->scope_ix = (size_t)p;
        if (!(m->in_scope = calloc(u->n ? u->n : 1, 1)))
            goto nomem;
        for (size_t i = 0; i < u->n; i++) {
            const char *anc[64];
            size_t na = u->v[i].reg ? mc_units_ancestors(units, u->v[i].code, anc, 64) : 0;
            m->in_scope[i] = i == m->scope_ix;
            for (size_t a = 0; a < na && !m->in_scope[i]; a++)
                m->in_scope[i] = strcmp(anc[a], code) == 0;
        }
    }
    free(order);
    *out = m;
    return 0;
nomem:
    st = mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory while reading the units");
fail:
    free(order);
    mc_report_units_free(m);
    return st;
}

void mc_report_units_free(mc_report_units *m)
{
    if (!m)
        return;
    runits_free(&m->u);
    mc_store_unit_keys_free(m->keys, m->n_keys);
    free(m->key_unit);
    free(m->amb_of);
    free(m->amb);
    free(m->notes);
    free(m->in_scope);
    free(m->rank);
    free(m);
}

/* The runit index + 1 of the unit a case is counted under (0: unknown unit
 * id), and through *amb the ambiguous name it stays with when no candidate
 * took it (else NULL). */
static size_t case_unit(const mc_report_units *m, int64_t facts, int64_t received_day,
                        const ambiguous_key **amb)
{
    int64_t uid = mc_facts_unit(facts);
    *amb = NULL;
    if (uid < 1 || uid > m->max_id || m->key_unit[uid] == 0)
        return 0;
    size_t target = m->key_unit[uid];
    if (m->amb_of[uid]) {
        const ambiguous_key *a = &m->amb[m->amb_of[uid] - 1];
        size_t resolved = resolve_on(a, &m->u, received_day);
        if (resolved)
            target = resolved;
        else
            *amb = a;
    }
    return target;
}

int mc_report_units_of(const mc_report_units *m, int64_t facts, int64_t received_day, size_t *ix)
{
    const ambiguous_key *amb;
    size_t target = case_unit(m, facts, received_day, &amb);
    if (!target)
        return -1;
    *ix = target - 1;
    return !m->in_scope || m->in_scope[target - 1];
}

const char *mc_report_units_code(const mc_report_units *m, size_t ix)
{
    return m->u.v[ix].code;
}

const char *mc_report_units_name(const mc_report_units *m, size_t ix)
{
    return m->u.v[ix].name;
}

size_t mc_report_units_rank(const mc_report_units *m, size_t ix)
{
    return m->rank[ix];
}

const char *mc_report_units_scope_name(const mc_report_units *m)
{
    return m->in_scope ? m->u.v[m->scope_ix].name : NULL;
}

/*
 * Counts by procedure or field id, for the ids with a counted case.  Slots
 * are handed out as the ids are met, so memory follows what the report
 * lists, not the size of the dictionary (a file of a million procedure
 * names must not make every report allocate for them all).
 */
typedef struct dim_part {
    int64_t max_id;              /* ids 0..max_id are known; 0 is "none" */
    uint32_t *slot_of;           /* by id: slot + 1, 0 when not met yet */
    int64_t *id_of;              /* by slot */
    int64_t (*c)[MC_C_COUNT];    /* by slot * n_periods + period */
    size_t n, cap, n_periods;
    int oom;
    int64_t bad_id;              /* an id past max_id met (0: none) */
} dim_part;

static int dim_init(dim_part *d, int64_t max_id, size_t n_periods)
{
    memset(d, 0, sizeof *d);
    d->max_id = max_id;
    d->n_periods = n_periods ? n_periods : 1;
    d->slot_of = calloc((size_t)max_id + 1, sizeof *d->slot_of);
    return d->slot_of ? 0 : -1;
}

static void dim_free(dim_part *d)
{
    free(d->slot_of);
    free(d->id_of);
    free(d->c);
}

static void dim_reset(dim_part *d)
{
    if (d->slot_of)
        memset(d->slot_of, 0, ((size_t)d->max_id + 1) * sizeof *d->slot_of);
    d->n = 0;
    d->oom = 0;
    d->bad_id = 0;
}

/* The counts of id in period k, its slot made when new; NULL when id is
 * unknown (d->bad_id) or memory ran out (d->oom). */
static int64_t *dim_cell(dim_part *d, int64_t id, size_t k)
{
    if (id < 0 || id > d->max_id) {
        d->bad_id = id ? id : -1;
        return NULL;
    }
    uint32_t slot = d->slot_of[id];
    if (!slot) {
        if (d->n == d->cap) {
            size_t cap = d->cap ? 2 * d->cap : 64;
            int64_t *ids = realloc(d->id_of, cap * sizeof *ids);
            if (ids)
                d->id_of = ids;
            int64_t(*c)[MC_C_COUNT] = ids ? realloc(d->c, cap * d->n_periods * sizeof *c) : NULL;
            if (!c) {
                d->oom = 1;
                return NULL;
            }
            d->c = c;
            d->cap = cap;
        }
        memset(d->c[d->n * d->n_periods], 0, d->n_periods * sizeof *d->c);
        d->id_of[d->n] = id;
        slot = (uint32_t)++d->n;
        d->slot_of[id] = slot;
    }
    return d->c[(slot - 1) * d->n_periods + k];
}

static void add_counts(int64_t *to, const int64_t *from)
{
    for (int c = 0; c < MC_C_COUNT; c++)
        to[c] += from[c];
}

/* What one thread of the scan counts (mc_scan_cases), merged afterwards:
 * the units it shares read-only with the other thread, and its own counts
 * per unit of the report. */
typedef struct scan_part {
    const mc_report_units *m;
    size_t n_periods;
    const int64_t *start, *as_of;    /* by period */
    int64_t (*own)[MC_C_COUNT];      /* by period * m->u.n + runit index */
    int64_t (*all)[MC_C_COUNT];      /* by period */
    char *amb_noted;                 /* by period * n_amb + i: an unresolved case of amb[i] counted */
    size_t n_own;                    /* cells of own */
    int has_bad_unit;                /* a case named a unit id the store does not know: */
    int64_t bad_unit;                /* this one */
    unsigned groups;                 /* MC_GROUPS_*: count these too, */
    size_t n_group_periods;          /* for the first this many periods */
    dim_part field, proc;            /* by field id, by procedure id */
} scan_part;

/* mc_scan_reset_fn: nothing counted yet. */
static void reset_part(void *arg)
{
    scan_part *p = arg;
    memset(p->own, 0, p->n_own * sizeof *p->own);
    memset(p->all, 0, (p->n_periods ? p->n_periods : 1) * sizeof *p->all);
    memset(p->amb_noted, 0, (p->m->n_amb ? p->m->n_amb : 1) * (p->n_periods ? p->n_periods : 1));
    p->has_bad_unit = 0;
    p->bad_unit = 0;
    dim_reset(&p->field);
    dim_reset(&p->proc);
}

static void count_rows(void *arg, const mc_scan_row *rows, size_t n)
{
    scan_part *p = arg;
    const mc_report_units *m = p->m;
    for (size_t i = 0; i < n; i++) {
        mc_case_facts f;
        mc_figures_facts(&rows[i], &f);
        const ambiguous_key *a;
        size_t target = case_unit(m, rows[i].facts, f.received_day, &a);
        if (!target) {
            p->has_bad_unit = 1;
            p->bad_unit = mc_facts_unit(rows[i].facts);
            continue;
        }
        if (m->in_scope && !m->in_scope[target - 1])
            continue;
        for (size_t k = 0; k < p->n_periods; k++) {
            /* the case into each row it belongs to, by the same rules:
             * its unit, ALL, its field and its procedure (counting it four
             * times costs less than adding a copy of its counts) */
            if (!mc_figures_add_case(p->own[k * m->u.n + target - 1], &f, p->start[k],
                                     p->as_of[k]))
                continue;
            mc_figures_add_case(p->all[k], &f, p->start[k], p->as_of[k]);
            if (a)
                p->amb_noted[k * m->n_amb + (size_t)(a - m->amb)] = 1;
            int64_t *cell;
            if (k >= p->n_group_periods)
                continue;
            if ((p->groups & MC_GROUPS_FIELD) && (cell = dim_cell(&p->field, rows[i].field_id, k)))
                mc_figures_add_case(cell, &f, p->start[k], p->as_of[k]);
            if ((p->groups & MC_GROUPS_PROCEDURE) &&
                (cell = dim_cell(&p->proc, rows[i].proc_id, k)))
                mc_figures_add_case(cell, &f, p->start[k], p->as_of[k]);
        }
    }
}

static int cmp_rows(const void *a, const void *b)
{
    const mc_unit_row *x = a, *y = b;
    if (x->kind == MC_ROW_ALL || y->kind == MC_ROW_ALL)
        return (x->kind == MC_ROW_ALL) - (y->kind == MC_ROW_ALL);
    return strcmp(x->unit_code, y->unit_code);
}

static int add_quality(mc_report *rep, size_t *cap, const char *name, const char *value,
                       const char *status, const char *detail)
{
    if (rep->n_quality == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        mc_quality_row *q = realloc(rep->quality, nc * sizeof *q);
        if (!q)
            return -1;
        rep->quality = q;
        *cap = nc;
    }
    mc_quality_row *q = &rep->quality[rep->n_quality];
    q->name = strdup(name);
    q->value = strdup(value);
    q->status = strdup(status);
    q->detail = strdup(detail ? detail : "");
    if (!q->name || !q->value || !q->status || !q->detail) {
        free(q->name);
        free(q->value);
        free(q->status);
        free(q->detail);
        return -1;
    }
    rep->n_quality++;
    return 0;
}

static int quality_checks(mc_store *s, mc_report *rep, const mc_report_units *m,
                          const name_note *notes, size_t n_notes, int identities_ok,
                          const mc_period *period, mc_error *err)
{
    const runits *u = &m->u;
    size_t cap = 0;
    char value[64], detail[1024];
    sqlite3 *db = mc_store_db(s);
    sqlite3_stmt *q;
    int rc;

    rc = sqlite3_prepare_v2(db, "SELECT count(*), coalesce(sum(rows_read),0),"
                                " coalesce(sum(accepted),0), coalesce(sum(duplicate),0),"
                                " coalesce(sum(quarantined),0),"
                                " coalesce(sum(rows_read <> accepted + duplicate + quarantined),0)"
                                " FROM files", -1, &q, NULL);
    if (rc != SQLITE_OK)
        return mc_store_fail(s, rc, "checking the data quality", err);
    if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        snprintf(value, sizeof value, "%lld", (long long)sqlite3_column_int64(q, 0));
        snprintf(detail, sizeof detail, "rows read %lld = accepted %lld + duplicate %lld + "
                 "quarantined %lld", (long long)sqlite3_column_int64(q, 1),
                 (long long)sqlite3_column_int64(q, 2), (long long)sqlite3_column_int64(q, 3),
                 (long long)sqlite3_column_int64(q, 4));
        int bad = sqlite3_column_int64(q, 5) != 0;
        if (add_quality(rep, &cap, "files_loaded", value, bad ? "error" : "ok", detail))
            goto nomem;
    }
    sqlite3_finalize(q);

    rc = sqlite3_prepare_v2(db, "SELECT reason, count(*) FROM rejects GROUP BY reason"
                                " ORDER BY reason", -1, &q, NULL);
    if (rc != SQLITE_OK)
        return mc_store_fail(s, rc, "checking the data quality", err);
    int64_t quarantined = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        char name[96];
        snprintf(name, sizeof name, "quarantined:%s", (const char *)sqlite3_column_text(q, 0));
        snprintf(value, sizeof value, "%lld", (long long)sqlite3_column_int64(q, 1));
        quarantined += sqlite3_column_int64(q, 1);
        if (add_quality(rep, &cap, name, value, "warning",
                        "rows kept aside; see 'motcua report --table rejects'")) {
            sqlite3_finalize(q);
            goto nomem;
        }
    }
    sqlite3_finalize(q);
    snprintf(value, sizeof value, "%lld", (long long)quarantined);
    if (add_quality(rep, &cap, "quarantined_rows", value, quarantined ? "warning" : "ok",
                    "rows of all loaded files that were quarantined"))
        goto nomem;

    rc = sqlite3_prepare_v2(db, "SELECT count(DISTINCT case_key), count(*) FROM conflicts", -1,
                            &q, NULL);
    if (rc != SQLITE_OK)
        return mc_store_fail(s, rc, "checking the data quality", err);
    if (sqlite3_step(q) == SQLITE_ROW) {
        int64_t cases = sqlite3_column_int64(q, 0);
        snprintf(value, sizeof value, "%lld", (long long)cases);
        snprintf(detail, sizeof detail, "cases whose versions disagree on unit or received date "
                 "(%lld disagreements); the latest version is used",
                 (long long)sqlite3_column_int64(q, 1));
        if (add_quality(rep, &cap, "conflicts", value, cases ? "warning" : "ok", detail)) {
            sqlite3_finalize(q);
            goto nomem;
        }
    }
    sqlite3_finalize(q);

    for (size_t i = 0; i < n_notes; i++) {
        snprintf(detail, sizeof detail, "%s", notes[i].ambiguous
                 ? "the name matches several units of the registry; kept as its own unit"
                 : "the name matches no unit of the registry; kept as its own unit");
        if (add_quality(rep, &cap, notes[i].ambiguous ? "ambiguous_unit_name" : "unmatched_unit_name",
                        notes[i].name, "warning", detail))
            goto nomem;
    }

    size_t idle = 0, used = 0;
    detail[0] = '\0';
    for (size_t i = 0; i < u->n; i++) {
        const runit *r = &u->v[i];
        if ((m->in_scope && !m->in_scope[i]) || !r->reg || r->is_parent ||
            r->own[MC_C_RECEIVED_TOTAL] != 0 ||
            !mc_unit_valid_during(r->reg, period->start, period->end))
            continue;
        idle++;
        if (used + strlen(r->code) + 3 < sizeof detail)
            used += (size_t)snprintf(detail + used, sizeof detail - used, "%s%s", used ? ", " : "",
                                     r->code);
    }
    snprintf(value, sizeof value, "%zu", idle);
    if (add_quality(rep, &cap, "units_without_cases", value, idle ? "warning" : "ok", detail))
        goto nomem;

    snprintf(value, sizeof value, "%zu", rep->n_rows);
    snprintf(detail, sizeof detail, "%s", identities_ok
             ? "received_total = resolved + in progress; resolved = early + on time + late; "
               "in progress = within + overdue; received_new = online + offline: all rows hold"
             : "an identity of SPEC 5 fails: this is a bug in motcua, please report it");
    if (add_quality(rep, &cap, "identities", value, identities_ok ? "ok" : "error", detail))
        goto nomem;
    return 0;
nomem:
    return mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory");
}

/* ---- the report ---------------------------------------------------------- */

/* The report of one period (o) into rep, the own counts of its units
 * being in m and all of its cases in all: roll-ups, rows, targets and
 * quality checks.  With a scope, only the units in it have rows. */
static int period_report(mc_store *s, const mc_figures_opts *o, mc_report *rep,
                         mc_report_units *m, const int64_t all[MC_C_COUNT],
                         const name_note *notes, size_t n_notes, int with_quality,
                         mc_error *err)
{
    runits *u = &m->u;
    memset(rep, 0, sizeof *rep);
    const char *scope_name = mc_report_units_scope_name(m);
    if (scope_name) {
        snprintf(rep->reporting_unit, sizeof rep->reporting_unit, "%s",
                 scope_name[0] ? scope_name : u->v[m->scope_ix].code);
        snprintf(rep->scope_unit, sizeof rep->scope_unit, "%s", u->v[m->scope_ix].code);
    }
    snprintf(rep->period, sizeof rep->period, "%s", o->period.canon);
    mc_day_format(o->period.start, rep->period_start);
    mc_day_format(o->period.end, rep->period_end);
    mc_day_format(o->as_of, rep->as_of);
    rep->convention = mc_convention_name(o->convention);

    /* Roll each unit's own counts up to itself and its ancestors. */
    for (size_t i = 0; i < u->n; i++)
        memcpy(u->v[i].total, u->v[i].own, sizeof u->v[i].total);
    for (size_t i = 0; i < u->n; i++) {
        runit *r = &u->v[i];
        if (!r->reg || r->own[MC_C_RECEIVED_TOTAL] == 0)
            continue;
        const char *anc[64];
        size_t na = mc_units_ancestors(o->units, r->code, anc, 64);
        for (size_t a = 0; a < na; a++) {
            int64_t p;
            if (!mc_dict_get(u->by_code, anc[a], strlen(anc[a]), &p))
                continue;
            for (int c = 0; c < MC_C_COUNT; c++)
                u->v[p].total[c] += r->own[c];
        }
    }

    rep->rows = calloc(u->n + 1, sizeof *rep->rows);
    if (!rep->rows)
        goto nomem;
    int identities_ok = mc_figures_identities_hold(all);
    for (size_t i = 0; i < u->n; i++) {
        runit *r = &u->v[i];
        int valid = r->reg && mc_unit_valid_during(r->reg, o->period.start, o->period.end);
        /* the scope's own row is always there: the summary speaks of it */
        int scope = m->in_scope && i == m->scope_ix;
        if ((!valid && !scope && r->total[MC_C_RECEIVED_TOTAL] == 0) ||
            (m->in_scope && !m->in_scope[i]))
            continue;
        mc_unit_row *row = &rep->rows[rep->n_rows];
        row->unit_code = strdup(r->code);
        row->unit_name = strdup(r->name);
        if (!row->unit_code || !row->unit_name) {
            free(row->unit_code);
            free(row->unit_name);
            goto nomem;
        }
        rep->n_rows++;
        row->kind = r->is_parent ? MC_ROW_PARENT : MC_ROW_UNIT;
        row->depth = r->reg ? r->reg->depth : 0;
        row->in_registry = r->reg != NULL;
        memcpy(row->c, r->is_parent ? r->total : r->own, sizeof row->c);
        identities_ok &= mc_figures_identities_hold(row->c);
    }
    qsort(rep->rows, rep->n_rows, sizeof *rep->rows, cmp_rows);
    mc_unit_row *total = &rep->rows[rep->n_rows];
    total->unit_code = strdup("ALL");
    total->unit_name = strdup("Tổng cộng");
    if (!total->unit_code || !total->unit_name) {
        free(total->unit_code);
        free(total->unit_name);
        goto nomem;
    }
    rep->n_rows++;
    total->kind = MC_ROW_ALL;
    memcpy(total->c, all, MC_C_COUNT * sizeof *all);

    /* Targets: each rate of each row against the plan that reaches it. */
    if (o->targets && o->targets->n) {
        size_t cap = 0;
        for (size_t i = 0; i < rep->n_rows; i++) {
            mc_unit_row *row = &rep->rows[i];
            const char *chain[65];
            size_t n_chain = 0;
            if (row->kind != MC_ROW_ALL) {
                chain[0] = row->unit_code;
                n_chain = 1 + (row->in_registry
                                   ? mc_units_ancestors(o->units, row->unit_code, chain + 1, 64)
                                   : 0);
            }
            for (int r = 0; r < MC_R_COUNT; r++) {
                const mc_target *t = mc_targets_match(o->targets, chain, n_chain,
                                                      mc_rate_name((mc_rate)r), &o->period);
                if (!t)
                    continue;
                if (rep->n_targets == cap) {
                    cap = cap ? cap * 2 : 64;
                    mc_target_row *v = realloc(rep->targets, cap * sizeof *v);
                    if (!v)
                        goto nomem;
                    rep->targets = v;
                }
                double pct = 0;
                int has = mc_rate_value(row->c, (mc_rate)r, &pct);
                if (mc_target_eval(t, row->unit_code, has, pct, row->c[MC_C_LATE_TOTAL] == 0,
                                   &rep->targets[rep->n_targets]) != 0)
                    goto nomem;
                rep->n_targets++;
            }
        }
    }

    if (!with_quality)
        return 0;
    return quality_checks(s, rep, m, notes, n_notes, identities_ok, &o->period, err);
nomem:
    return mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory while computing the report");

}


/* ---- by field, by procedure (SPEC 11) --------------------------------- */

/* Keys in byte order, the empty key after every other. */
static int key_cmp(const char *a, const char *b)
{
    if (!*a || !*b)
        return (!*a) - (!*b);
    return strcmp(a, b);
}

/* A procedure (code, name) pair with counted cases, on its way into a
 * group: its key is the code when it has one, else the name. */
typedef struct proc_entry {
    const char *key, *name; /* name NULL: the cases have none */
    int has_code;
    const int64_t *c;
} proc_entry;

static int cmp_proc_entry(const void *a, const void *b)
{
    const proc_entry *x = a, *y = b;
    int k = key_cmp(x->key, y->key);
    if (k)
        return k;
    /* unnamed first (they do not vote for the group's name), then names */
    if (!x->name || !y->name)
        return (x->name != NULL) - (y->name != NULL);
    return strcmp(x->name, y->name);
}

static int cmp_field_row(const void *a, const void *b)
{
    return key_cmp(((const mc_group_row *)a)->name, ((const mc_group_row *)b)->name);
}

/* Append a row (code and name copied; code may be NULL) to v[*n]. */
static int push_group(mc_group_row *v, size_t *n, const char *code, const char *name, int kind,
                      const int64_t *c)
{
    mc_group_row *r = &v[*n];
    r->code = code ? strdup(code) : NULL;
    r->name = strdup(name);
    if ((code && !r->code) || !r->name) {
        free(r->code);
        free(r->name);
        return -1;
    }
    r->kind = kind;
    memcpy(r->c, c, sizeof r->c);
    (*n)++;
    return 0;
}

/* The rows by field of period k from d (every thread's counts merged),
 * ALL last, into rep. */
static int field_rows(mc_report *rep, const dim_part *d, size_t k, const mc_store_dims *dims,
                      const int64_t all[MC_C_COUNT])
{
    rep->fields = calloc(d->n + 1, sizeof *rep->fields);
    if (!rep->fields)
        return -1;
    for (size_t i = 0; i < d->n; i++) {
        const int64_t *c = d->c[i * d->n_periods + k];
        int64_t id = d->id_of[i];
        if (c[MC_C_RECEIVED_TOTAL] == 0) /* listed only with a counted case */
            continue;
        const char *name = id > 0 && dims->field_name[id] ? dims->field_name[id] : "";
        if (push_group(rep->fields, &rep->n_fields, NULL, name, MC_ROW_UNIT, c))
            return -1;
    }
    qsort(rep->fields, rep->n_fields, sizeof *rep->fields, cmp_field_row);
    return push_group(rep->fields, &rep->n_fields, NULL, "ALL", MC_ROW_ALL, all);
}

/* The rows by procedure of period k, ALL last, into rep: the pairs with
 * counted cases grouped by key, each group named by its most frequent
 * name among its counted cases (ties: the smallest in byte order). */
static int procedure_rows(mc_report *rep, const dim_part *d, size_t k, const mc_store_dims *dims,
                          const int64_t all[MC_C_COUNT])
{
    proc_entry *e = calloc(d->n ? d->n : 1, sizeof *e);
    rep->procedures = calloc(d->n + 1, sizeof *rep->procedures);
    if (!e || !rep->procedures) {
        free(e);
        return -1;
    }
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++) {
        const int64_t *c = d->c[i * d->n_periods + k];
        int64_t id = d->id_of[i];
        if (c[MC_C_RECEIVED_TOTAL] == 0)
            continue;
        const char *code = id > 0 ? dims->proc_code[id] : NULL;
        const char *name = id > 0 ? dims->proc_name[id] : NULL;
        e[n++] = (proc_entry){.key = code ? code : name ? name : "", .name = name,
                              .has_code = code != NULL, .c = c};
    }
    qsort(e, n, sizeof *e, cmp_proc_entry);
    int st = 0;
    for (size_t i = 0; i < n && !st;) {
        size_t j = i;
        int64_t sum[MC_C_COUNT] = {0}, best_votes = 0, votes = 0;
        int has_code = 0;
        const char *best = "";
        for (; j < n && key_cmp(e[j].key, e[i].key) == 0; j++) {
            add_counts(sum, e[j].c);
            has_code |= e[j].has_code;
            if (!e[j].name)
                continue;
            /* the entries of one name are neighbours: their votes add up */
            votes = j > i && e[j - 1].name && strcmp(e[j - 1].name, e[j].name) == 0 ? votes : 0;
            votes += e[j].c[MC_C_RECEIVED_TOTAL];
            if (votes > best_votes) { /* strictly: the first, smallest name wins ties */
                best_votes = votes;
                best = e[j].name;
            }
        }
        st = push_group(rep->procedures, &rep->n_procedures, has_code ? e[i].key : "", best,
                        MC_ROW_UNIT, sum);
        i = j;
    }
    free(e);
    return st ? st : push_group(rep->procedures, &rep->n_procedures, "ALL", "", MC_ROW_ALL, all);
}


/* The reports of o[0..n_periods) from one read of the store; the first
 * n_full get their quality table, the others (a trend's months) only their
 * rows and targets. */
static int compute(mc_store *s, const mc_figures_opts *o, size_t n_periods, size_t n_full,
                   mc_report *reps, mc_error *err)
{
    for (size_t k = 0; k < n_periods; k++)
        memset(&reps[k], 0, sizeof reps[k]);
    int st = 0;
    mc_report_units *m = NULL;
    scan_part parts[2];
    memset(parts, 0, sizeof parts);
    unsigned groups = n_periods ? o[0].groups : 0;
    mc_store_dims dims;
    memset(&dims, 0, sizeof dims);
    int64_t *starts = calloc(n_periods ? n_periods : 1, sizeof *starts);
    int64_t *as_ofs = calloc(n_periods ? n_periods : 1, sizeof *as_ofs);
    name_note *period_notes = NULL;
    if (!starts || !as_ofs)
        goto nomem;
    int64_t received_before = 0, ended_from = INT64_MAX;
    for (size_t k = 0; k < n_periods; k++) {
        starts[k] = o[k].period.start;
        as_ofs[k] = o[k].as_of;
        if ((o[k].as_of + 1) * MC_DATE_SCALE > received_before)
            received_before = (o[k].as_of + 1) * MC_DATE_SCALE;
        if (o[k].period.start * MC_DATE_SCALE < ended_from)
            ended_from = o[k].period.start * MC_DATE_SCALE;
    }
    if (n_periods == 0)
        goto done;
    if ((st = mc_report_units_new(s, o[0].units, o[0].unit, &m, err)))
        goto done;
    if (groups && (st = mc_store_dims_read(s, &dims, err)))
        goto done;

    /* Count every case once, for every period, on one or two threads, each
     * into its own part. */
    size_t n_units = m->u.n;
    size_t cells = (n_units ? n_units : 1) * n_periods;
    for (int t = 0; t < 2; t++) {
        scan_part *p = &parts[t];
        p->m = m;
        p->n_periods = n_periods;
        p->start = starts;
        p->as_of = as_ofs;
        p->own = calloc(cells, sizeof *p->own);
        p->n_own = cells;
        p->all = calloc(n_periods, sizeof *p->all);
        p->amb_noted = calloc((m->n_amb ? m->n_amb : 1) * n_periods, 1);
        if (!p->own || !p->all || !p->amb_noted)
            goto nomem;
        /* the breakdowns of the full reports only: a trend's months have none */
        p->groups = groups;
        p->n_group_periods = n_full;
        if (((groups & MC_GROUPS_FIELD) && dim_init(&p->field, dims.max_field, n_full)) ||
            ((groups & MC_GROUPS_PROCEDURE) && dim_init(&p->proc, dims.max_proc, n_full)))
            goto nomem;
    }
    void *part_of[2] = {&parts[0], &parts[1]};
    int two;
    if ((st = mc_scan_cases(s, received_before, ended_from, count_rows, reset_part, part_of, &two,
                            err)))
        goto done;
    for (int t = 0; t < 2; t++) {
        if (parts[t].has_bad_unit) {
            st = mc_error_set(err, MC_EXIT_SOFTWARE, "%s: a case names unit id %lld that the "
                              "store does not know; run 'motcua check'", mc_store_path(s),
                              (long long)parts[t].bad_unit);
            goto done;
        }
        if (parts[t].field.bad_id || parts[t].proc.bad_id) {
            int field = parts[t].field.bad_id != 0;
            st = mc_error_set(err, MC_EXIT_SOFTWARE, "%s: a case names %s id %lld that the "
                              "store does not know; run 'motcua check'", mc_store_path(s),
                              field ? "field" : "procedure",
                              (long long)(field ? parts[t].field.bad_id : parts[t].proc.bad_id));
            goto done;
        }
        if (parts[t].field.oom || parts[t].proc.oom)
            goto nomem;
    }
    /* the second thread's counts by field and procedure into the first's */
    dim_part *mine[2] = {&parts[0].field, &parts[0].proc}, *other[2] = {&parts[1].field,
                                                                         &parts[1].proc};
    for (int g = 0; g < 2; g++)
        for (size_t i = 0; i < other[g]->n; i++)
            for (size_t k = 0; k < n_full; k++) {
                int64_t *cell = dim_cell(mine[g], other[g]->id_of[i], k);
                if (!cell)
                    goto nomem;
                add_counts(cell, other[g]->c[i * other[g]->n_periods + k]);
            }
    if (!(period_notes = calloc(m->n_keys ? m->n_keys : 1, sizeof *period_notes)))
        goto nomem;
    for (size_t k = 0; k < n_periods; k++) {
        int64_t all[MC_C_COUNT] = {0};
        for (size_t i = 0; i < n_units; i++) {
            runit *r = &m->u.v[i];
            memset(r->own, 0, sizeof r->own);
            for (int t = 0; t < 2; t++)
                for (int c = 0; c < MC_C_COUNT; c++)
                    r->own[c] += parts[t].own[k * n_units + i][c];
        }
        for (int t = 0; t < 2; t++)
            for (int c = 0; c < MC_C_COUNT; c++)
                all[c] += parts[t].all[k][c];
        /* the names of every period, then, in the order of the unit names
         * whichever thread met them, the ambiguous ones this period counted */
        size_t n_period_notes = m->n_notes;
        memcpy(period_notes, m->notes, m->n_notes * sizeof *m->notes);
        for (size_t i = 0; i < m->n_amb; i++)
            if (parts[0].amb_noted[k * m->n_amb + i] || parts[1].amb_noted[k * m->n_amb + i])
                add_note(period_notes, &n_period_notes, m->amb[i].name, 1);
        if ((st = period_report(s, &o[k], &reps[k], m, all, period_notes, n_period_notes,
                                k < n_full, err)))
            goto done;
        if (k >= n_full)
            continue;
        reps[k].groups = groups;
        if (((groups & MC_GROUPS_FIELD) && field_rows(&reps[k], &parts[0].field, k, &dims, all)) ||
            ((groups & MC_GROUPS_PROCEDURE) &&
             procedure_rows(&reps[k], &parts[0].proc, k, &dims, all)))
            goto nomem;
    }
    goto done;

nomem:
    st = mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory while computing the report");
done:
    for (int t = 0; t < 2; t++) {
        free(parts[t].own);
        free(parts[t].all);
        free(parts[t].amb_noted);
        dim_free(&parts[t].field);
        dim_free(&parts[t].proc);
    }
    mc_store_dims_free(&dims);
    if (st)
        for (size_t k = 0; k < n_periods; k++)
            mc_report_free(&reps[k]);
    free(starts);
    free(as_ofs);
    free(period_notes);
    mc_report_units_free(m);
    return st;
}

int mc_figures_compute(mc_store *s, const mc_figures_opts *o, mc_report *rep, mc_error *err)
{
    return compute(s, o, 1, 1, rep, err);
}

int mc_figures_compute_many(mc_store *s, const mc_figures_opts *o, size_t n_periods,
                            mc_report *reps, mc_error *err)
{
    return compute(s, o, n_periods, n_periods, reps, err);
}

/* 1 when a and b count the same month the same way: the months of two
 * periods' trends share their units, targets and convention, so the month
 * and the as-of date decide. */
static int same_month(const mc_figures_opts *a, const mc_figures_opts *b)
{
    return a->period.start == b->period.start && a->period.end == b->period.end &&
           a->as_of == b->as_of;
}

int mc_figures_compute_trend(mc_store *s, const mc_figures_opts *o, size_t n, mc_report *reps,
                             mc_error *err)
{
    for (size_t k = 0; k < n; k++)
        memset(&reps[k], 0, sizeof reps[k]);
    size_t cap = n + n * MC_TREND_MONTHS, n_all = n;
    mc_figures_opts *all = calloc(cap ? cap : 1, sizeof *all);
    size_t *month_of = calloc(n * MC_TREND_MONTHS + 1, sizeof *month_of);
    mc_report *tmp = NULL;
    int st = 0;
    if (!all || !month_of)
        goto nomem;
    for (size_t k = 0; k < n; k++)
        all[k] = o[k];
    for (size_t k = 0; k < n; k++) {
        mc_period months[MC_TREND_MONTHS];
        if (mc_period_months_to(&o[k].period, o[k].convention, MC_TREND_MONTHS, months) != 0) {
            st = mc_error_set(err, MC_EXIT_SOFTWARE, "period %s: cannot form its 12 months",
                              o[k].period.canon);
            goto done;
        }
        for (size_t m = 0; m < MC_TREND_MONTHS; m++) {
            /* Every option of the period's own report (the registry, the
             * targets, any limit on the units) carries over to its months;
             * only the period and the as-of date are the month's. */
            mc_figures_opts mo = o[k];
            mo.period = months[m];
            mo.as_of = months[m].end < o[k].as_of ? months[m].end : o[k].as_of;
            size_t j = n;
            while (j < n_all && !same_month(&all[j], &mo))
                j++;
            if (j == n_all)
                all[n_all++] = mo;
            month_of[k * MC_TREND_MONTHS + m] = j;
        }
    }
    if (!(tmp = calloc(n_all ? n_all : 1, sizeof *tmp)))
        goto nomem;
    if ((st = compute(s, all, n_all, n, tmp, err)))
        goto done;
    for (size_t k = 0; k < n; k++) {
        reps[k] = tmp[k];
        memset(&tmp[k], 0, sizeof tmp[k]);
        if (!(reps[k].trend = calloc(MC_TREND_MONTHS, sizeof *reps[k].trend)))
            goto nomem;
        for (size_t m = 0; m < MC_TREND_MONTHS; m++, reps[k].n_trend++)
            if (mc_report_copy(&reps[k].trend[m], &tmp[month_of[k * MC_TREND_MONTHS + m]]))
                goto nomem;
    }
    goto done;
nomem:
    st = mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory while computing the trend");
done:
    if (tmp)
        for (size_t j = 0; j < n_all; j++)
            mc_report_free(&tmp[j]);
    if (st)
        for (size_t k = 0; k < n; k++)
            mc_report_free(&reps[k]);
    free(tmp);
    free(all);
    free(month_of);
    return st;
}
