/*
 * test_figures.c -- every rule of the SPEC 5 tables, at its boundaries,
 * through mc_figures_add_case and mc_rate_value; SPEC 13's trend from a
 * store, each month its own period; and the tables by field and by
 * procedure of SPEC 11, through mc_figures_compute on a store.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "reports/figures.h"
#include "tests/unit/tmpstore.h"
#include "transforms/dates.h"

/* Period 2025-07-01..2025-09-30 as of 2025-09-30 unless a test says so. */
static int64_t S, E;

static void setup(void)
{
    S = mc_days_from_civil(2025, 7, 1);
    E = mc_days_from_civil(2025, 9, 30);
}

static int64_t day(int y, unsigned m, unsigned d)
{
    return mc_days_from_civil(y, m, d);
}

/* A finished, on-time, direct case received and finished inside the period. */
static mc_case_facts base(void)
{
    mc_case_facts f;
    memset(&f, 0, sizeof f);
    f.status = 10;
    f.channel = 1;
    f.received_day = day(2025, 7, 10);
    f.has_due = 1;
    f.due_day = day(2025, 7, 20);
    f.has_end = 1;
    f.end_day = day(2025, 7, 20);
    f.has_fee = f.paid_online = f.digitized = f.e_result = -1;
    return f;
}

static void count(const mc_case_facts *f, int64_t as_of, int64_t c[MC_C_COUNT])
{
    memset(c, 0, sizeof(int64_t) * MC_C_COUNT);
    mc_figures_add_case(c, f, S, as_of);
    cr_assert(mc_figures_identities_hold(c), "identities fail");
}

TestSuite(figures, .init = setup);

Test(figures, on_time_when_end_equals_due)
{
    int64_t c[MC_C_COUNT];
    mc_case_facts f = base();
    count(&f, E, c);
    cr_assert_eq(c[MC_C_RECEIVED_NEW], 1);
    cr_assert_eq(c[MC_C_RECEIVED_OFFLINE], 1);
    cr_assert_eq(c[MC_C_RESOLVED_TOTAL], 1);
    cr_assert_eq(c[MC_C_RESOLVED_ON_TIME], 1);
    cr_assert_eq(c[MC_C_LATE_TOTAL], 0);
}

Test(figures, early_and_late)
{
    int64_t c[MC_C_COUNT];
    mc_case_facts f = base();
    f.end_day = f.due_day - 1;
    count(&f, E, c);
    cr_assert_eq(c[MC_C_RESOLVED_EARLY], 1);
    f.end_day = f.due_day + 1;
    f.apology = 1;
    count(&f, E, c);
    cr_assert_eq(c[MC_C_RESOLVED_LATE], 1);
    cr_assert_eq(c[MC_C_LATE_TOTAL], 1);
    cr_assert_eq(c[MC_C_LATE_WITH_APOLOGY], 1);
}

Test(figures, withdrawn_is_on_time_even_after_due)
{
    int64_t c[MC_C_COUNT];
    mc_case_facts f = base();
    f.status = 7;
    f.end_day = f.due_day + 5;
    count(&f, E, c);
    cr_assert_eq(c[MC_C_RESOLVED_ON_TIME], 1);
    cr_assert_eq(c[MC_C_RESOLVED_LATE], 0);
}

Test(figures, no_due_is_on_time)
{
    int64_t c[MC_C_COUNT];
    mc_case_facts f = base();
    f.has_due = 0;
    f.end_day = day(2025, 9, 1);
    count(&f, E, c);
    cr_assert_eq(c[MC_C_RESOLVED_ON_TIME], 1);
}

Test(figures, finished_on_first_day_of_period_counts_as_resolved_and_carried)
{
    int64_t c[MC_C_COUNT];
    mc_case_facts f = base();
    f.received_day = day(2025, 6, 20);
    f.due_day = day(2025, 6, 30);
    f.end_day = S;
    count(&f, E, c);
    cr_assert_eq(c[MC_C_CARRIED_OVER], 1);
    cr_assert_eq(c[MC_C_RECEIVED_NEW], 0);
    cr_assert_eq(c[MC_C_RESOLVED_TOTAL], 1);
    cr_assert_eq(c[MC_C_RESOLVED_LATE], 1);
}

Test(figures, finished_before_period_does_not_count)
{
    int64_t c[MC_C_COUNT];
    mc_case_facts f = base();
    f.received_day = day(2025, 6, 1);
    f.due_day = day(2025, 6, 10);
    f.end_day = S - 1;
    count(&f, E, c);
    cr_assert_eq(c[MC_C_RECEIVED_TOTAL], 0);
}

Test(figures, received_on_as_of_day_counts_received_after_does_not)
{
    int64_t c[MC_C_COUNT];
    int64_t as_of = day(2025, 8, 15);
    mc_case_facts f = base();
    f.has_end = 0;
    f.status = 4;
    f.received_day = as_of;
    f.due_day = as_of + 10;
    count(&f, as_of, c);
    cr_assert_eq(c[MC_C_RECEIVED_NEW], 1);
    cr_assert_eq(c[MC_C_IN_PROGRESS_WITHIN], 1);
    f.received_day = as_of + 1;
    count(&f, as_of, c);
    cr_assert_eq(c[MC_C_RECEIVED_TOTAL], 0);
}

Test(figures, due_on_as_of_day_is_within_due_before_is_overdue)
{
    int64_t c[MC_C_COUNT];
    int64_t as_of = day(2025, 8, 15);
    mc_case_facts f = base();
    f.status = 4;
    f.has_end = 0;
    f.due_day = as_of;
    count(&f, as_of, c);
    cr_assert_eq(c[MC_C_IN_PROGRESS_WITHIN], 1);
    cr_assert_eq(c[MC_C_IN_PROGRESS_OVERDUE], 0);
    f.due_day = as_of - 1;
    f.apology = 0;
    count(&f, as_of, c);
    cr_assert_eq(c[MC_C_IN_PROGRESS_OVERDUE], 1);
    cr_assert_eq(c[MC_C_LATE_TOTAL], 1);
    cr_assert_eq(c[MC_C_LATE_WITH_APOLOGY], 0);
}

Test(figures, paused_is_never_overdue)
{
    int64_t c[MC_C_COUNT];
    mc_case_facts f = base();
    f.status = 5;
    f.has_end = 0;
    f.due_day = day(2025, 7, 11);
    count(&f, E, c);
    cr_assert_eq(c[MC_C_IN_PROGRESS_WITHIN], 1);
    f.status = 6;
    count(&f, E, c);
    cr_assert_eq(c[MC_C_IN_PROGRESS_WITHIN], 1);
}

Test(figures, end_after_as_of_is_in_progress)
{
    int64_t c[MC_C_COUNT];
    int64_t as_of = day(2025, 8, 15);
    mc_case_facts f = base();
    f.end_day = as_of + 1;
    f.due_day = as_of + 3;
    count(&f, as_of, c);
    cr_assert_eq(c[MC_C_RESOLVED_TOTAL], 0);
    cr_assert_eq(c[MC_C_IN_PROGRESS_WITHIN], 1);
}

Test(figures, not_accepted_statuses_are_excluded)
{
    int64_t c[MC_C_COUNT];
    mc_case_facts f = base();
    f.status = 1;
    count(&f, E, c);
    cr_assert_eq(c[MC_C_RECEIVED_TOTAL], 0);
    f.status = 3;
    count(&f, E, c);
    cr_assert_eq(c[MC_C_RECEIVED_TOTAL], 0);
}

Test(figures, channels_and_online_rates)
{
    int64_t c[MC_C_COUNT];
    memset(c, 0, sizeof c);
    mc_case_facts f = base();
    f.channel = 2;
    f.level = 4;
    f.has_fee = 1;
    f.paid_online = 1;
    f.digitized = 1;
    mc_figures_add_case(c, &f, S, E);
    f.channel = 3;
    f.level = 0;
    f.paid_online = 0;
    f.digitized = 0;
    mc_figures_add_case(c, &f, S, E);
    f.channel = 2;
    f.level = 3;
    f.has_fee = 0;
    mc_figures_add_case(c, &f, S, E);
    cr_assert_eq(c[MC_C_RECEIVED_ONLINE], 2);
    cr_assert_eq(c[MC_C_RECEIVED_OFFLINE], 1);
    double pct;
    cr_assert_eq(mc_rate_value(c, MC_R_ONLINE, &pct), 1);
    cr_assert_float_eq(pct, 200.0 / 3.0, 1e-12);
    cr_assert_eq(mc_rate_value(c, MC_R_ONLINE_FULL_PROCESS, &pct), 1);
    cr_assert_float_eq(pct, 100.0 / 3.0, 1e-12);
    cr_assert_eq(mc_rate_value(c, MC_R_ONLINE_PAYMENT, &pct), 1);
    cr_assert_float_eq(pct, 50.0, 1e-12);
    cr_assert_eq(mc_rate_value(c, MC_R_DIGITIZED, &pct), 1);
    cr_assert_float_eq(pct, 100.0 / 3.0, 1e-12);
    /* e_result column never seen: null */
    cr_assert_eq(mc_rate_value(c, MC_R_E_RESULT, &pct), 0);
}

Test(figures, rates_are_null_on_zero_denominators)
{
    int64_t c[MC_C_COUNT];
    memset(c, 0, sizeof c);
    double pct;
    for (int r = 0; r < MC_R_COUNT; r++)
        cr_assert_eq(mc_rate_value(c, (mc_rate)r, &pct), 0, "rate %d", r);
}

Test(figures, on_time_766_counts_within_cases)
{
    int64_t c[MC_C_COUNT];
    memset(c, 0, sizeof c);
    mc_case_facts f = base(); /* resolved on time */
    mc_figures_add_case(c, &f, S, E);
    f.end_day = f.due_day + 2; /* resolved late */
    mc_figures_add_case(c, &f, S, E);
    f.has_end = 0;
    f.status = 4;
    f.due_day = E + 5; /* in progress, within */
    mc_figures_add_case(c, &f, S, E);
    double pct;
    cr_assert_eq(mc_rate_value(c, MC_R_ON_TIME, &pct), 1);
    cr_assert_float_eq(pct, 50.0, 1e-12);
    cr_assert_eq(mc_rate_value(c, MC_R_ON_TIME_766, &pct), 1);
    cr_assert_float_eq(pct, 200.0 / 3.0, 1e-12);
}

/* ---- by field, by procedure (SPEC 11) ----------------------------------- */

typedef struct dim_case {
    const char *code, *name, *field;
    int status;
    int received_month; /* 2025; 10: after the as-of date */
} dim_case;

/* Cases of one unit, finished on time in 2025-Q3 unless status says
 * otherwise; the procedure and field as given. */
static const dim_case DIM_CASES[] = {
    {"1.001193", "Đăng ký khai sinh", "Hộ tịch", 10, 7},
    {"1.001193", "Đăng ký khai sinh", "Hộ tịch", 4, 8},
    {"1.001193", "Khai sinh", "Hộ tịch", 10, 7},
    {"1.001193", "Khai sinh", "Hộ tịch", 10, 9},
    {"1.001193", NULL, "Hộ tịch", 10, 8},      /* no name: no vote */
    {"2.000815", "B", "Chứng thực", 10, 7},
    {"2.000815", "A", "Chứng thực", 10, 7},
    {"2.000815", "C", "Chứng thực", 10, 7},
    {"2.000815", "C", "Chứng thực", 1, 7},     /* status 1: not counted, no vote */
    {NULL, "Chứng thực chữ ký", "Chứng thực", 10, 8},
    {NULL, NULL, NULL, 4, 9},                  /* neither: the empty keys */
    {"9.999999", "Không đếm", "Z", 10, 10},    /* after the as-of date: no row */
};
#define N_DIM_CASES (int)(sizeof DIM_CASES / sizeof *DIM_CASES)

static const mc_record *dim_record(void *ctx, int i)
{
    static mc_record r;
    static char key[32];
    (void)ctx;
    const dim_case *d = &DIM_CASES[i];
    memset(&r, 0, sizeof r);
    snprintf(key, sizeof key, "K-%02d", i);
    r.case_id = key;
    r.unit_code = "000.00.41.H30";
    r.procedure_code = d->code;
    r.procedure_name = d->name;
    r.field_name = d->field;
    r.status = d->status;
    r.channel = 2;
    r.received_at = mc_days_from_civil(2025, (unsigned)d->received_month, 5) * MC_DATE_SCALE;
    r.due_at = mc_days_from_civil(2025, (unsigned)d->received_month, 20) * MC_DATE_SCALE;
    r.new_due_at = r.returned_at = r.apology_at = r.updated_at = MC_DATE_NONE;
    r.finished_at = d->status == 10 ? r.due_at : MC_DATE_NONE;
    r.apology = r.has_fee = r.paid_online = r.digitized = r.e_result = MC_FLAG_ABSENT;
    return &r;
}

static void compute_groups(unsigned groups, mc_report *rep)
{
    char path[64];
    tmpstore_path(path, sizeof path, "mc-groups");
    mc_store *s = tmpstore_load(path, N_DIM_CASES, 2, dim_record, NULL);
    mc_units *u = mc_units_empty();
    mc_error err;
    mc_error_clear(&err);
    mc_figures_opts o = {.units = u, .as_of = mc_days_from_civil(2025, 9, 30),
                         .groups = groups};
    cr_assert_eq(mc_period_parse("2025-Q3", MC_CONV_CALENDAR, &o.period, &err), 0);
    cr_assert_eq(mc_figures_compute(s, &o, rep, &err), 0, "%s", err.msg);
    mc_units_free(u);
    mc_store_close(s);
    tmpstore_remove(path);
}

static void expect_row(const mc_group_row *r, const char *code, const char *name, int64_t received,
                       int64_t resolved)
{
    if (code)
        cr_expect_str_eq(r->code, code);
    else
        cr_expect_null(r->code);
    cr_expect_str_eq(r->name, name);
    cr_expect_eq(r->c[MC_C_RECEIVED_TOTAL], received, "%s %s", code ? code : "", name);
    cr_expect_eq(r->c[MC_C_RESOLVED_TOTAL], resolved, "%s %s", code ? code : "", name);
    cr_expect(mc_figures_identities_hold(r->c));
}

Test(figures_by, field_rows_sorted_empty_key_last_all_equals_units)
{
    mc_report rep;
    compute_groups(MC_GROUPS_FIELD, &rep);
    cr_assert_eq(rep.groups, MC_GROUPS_FIELD);
    cr_assert_eq(rep.n_procedures, 0, "not asked for");
    cr_assert_eq(rep.n_fields, 4);
    expect_row(&rep.fields[0], NULL, "Chứng thực", 4, 4);
    expect_row(&rep.fields[1], NULL, "Hộ tịch", 5, 4);
    expect_row(&rep.fields[2], NULL, "", 1, 0);
    expect_row(&rep.fields[3], NULL, "ALL", 10, 8);
    cr_expect_eq(rep.fields[3].kind, MC_ROW_ALL);
    cr_expect_eq(rep.fields[0].kind, MC_ROW_UNIT);
    const mc_unit_row *all = &rep.rows[rep.n_rows - 1];
    cr_assert_str_eq(all->unit_code, "ALL");
    cr_expect_eq(memcmp(all->c, rep.fields[3].c, sizeof all->c), 0);
    mc_report_free(&rep);
}

/* The key is the code when present, else the name; a group is named by
 * its most frequent name among its counted cases, ties to the smallest in
 * byte order; a group keyed by name has no code. */
Test(figures_by, procedure_groups_their_names_and_keys)
{
    mc_report rep;
    compute_groups(MC_GROUPS_PROCEDURE, &rep);
    cr_assert_eq(rep.n_fields, 0, "not asked for");
    cr_assert_eq(rep.n_procedures, 5);
    expect_row(&rep.procedures[0], "1.001193", "Khai sinh", 5, 4); /* 2-2: "K" < "Đ" */
    expect_row(&rep.procedures[1], "2.000815", "A", 3, 3);         /* C's second case is not counted */
    expect_row(&rep.procedures[2], "", "Chứng thực chữ ký", 1, 1);
    expect_row(&rep.procedures[3], "", "", 1, 0);
    expect_row(&rep.procedures[4], "ALL", "", 10, 8);
    cr_expect_eq(rep.procedures[4].kind, MC_ROW_ALL);
    mc_report_free(&rep);
}

/* A case's counts are taken once and added to each row: the units table
 * is the same with the breakdowns or without. */
Test(figures_by, units_table_unchanged_by_breakdowns)
{
    mc_report a, b;
    compute_groups(0, &a);
    compute_groups(MC_GROUPS_FIELD | MC_GROUPS_PROCEDURE, &b);
    cr_assert_eq(a.n_rows, b.n_rows);
    for (size_t i = 0; i < a.n_rows; i++)
        cr_expect_eq(memcmp(a.rows[i].c, b.rows[i].c, sizeof a.rows[i].c), 0, "row %zu", i);
    cr_expect_eq(a.n_fields + a.n_procedures, 0);
    cr_expect_eq(b.n_fields, 4);
    cr_expect_eq(b.n_procedures, 5);
    mc_report_free(&a);
    mc_report_free(&b);
}

/* ---- the trend (SPEC 13) from a store --------------------------------------- */

static char trend_db[64];

static void trend_setup(void)
{
    tmpstore_path(trend_db, sizeof trend_db, "mc-trend");
}

static void trend_teardown(void)
{
    tmpstore_remove(trend_db);
}

/* Case A: online, received 2025-07-10, due 2025-07-20, finished late on
 * 2025-08-05.  Case B: direct, received 2025-08-25, still open. */
static const mc_record *trend_case(void *ctx, int i)
{
    mc_record *r = ctx;
    memset(r, 0, sizeof *r);
    r->case_id = i ? "B" : "A";
    r->unit_code = "X1";
    r->status = i ? 4 : 10;
    r->channel = i ? 1 : 2;
    r->received_at = day(2025, i ? 8 : 7, i ? 25 : 10) * MC_DATE_SCALE + 9 * 3600;
    r->due_at = day(2025, i ? 9 : 7, i ? 5 : 20) * MC_DATE_SCALE + 17 * 3600;
    r->finished_at = i ? MC_DATE_NONE : day(2025, 8, 5) * MC_DATE_SCALE + 10 * 3600;
    r->new_due_at = r->returned_at = r->apology_at = r->updated_at = MC_DATE_NONE;
    r->apology = r->has_fee = r->paid_online = r->digitized = r->e_result = MC_FLAG_ABSENT;
    return r;
}

static const mc_unit_row *row_of(const mc_report *rep, const char *code)
{
    for (size_t i = 0; i < rep->n_rows; i++)
        if (strcmp(rep->rows[i].unit_code, code) == 0)
            return &rep->rows[i];
    cr_assert_fail("%s: no row %s", rep->period, code);
    return NULL;
}

Test(figures_trend, each_month_its_own_period, .init = trend_setup, .fini = trend_teardown)
{
    mc_record rec;
    mc_store *s = tmpstore_load(trend_db, 2, 2, trend_case, &rec);
    mc_units *units = mc_units_empty();
    cr_assert_not_null(units);
    mc_error err;
    mc_error_clear(&err);
    /* 2025-08 and 2025-Q3, both as of 2025-08-20: their trends share 11 months */
    mc_figures_opts o[2] = {{.units = units, .convention = MC_CONV_CALENDAR,
                             .as_of = day(2025, 8, 20)},
                            {.units = units, .convention = MC_CONV_CALENDAR,
                             .as_of = day(2025, 8, 20)}};
    cr_assert_eq(mc_period_parse("2025-08", MC_CONV_CALENDAR, &o[0].period, &err), 0);
    cr_assert_eq(mc_period_parse("2025-Q3", MC_CONV_CALENDAR, &o[1].period, &err), 0);
    mc_report reps[2];
    cr_assert_eq(mc_figures_compute_trend(s, o, 2, reps, &err), 0, "%s", err.msg);

    const mc_report *q = &reps[1];
    cr_assert_eq(q->n_trend, MC_TREND_MONTHS);
    cr_assert_str_eq(q->trend[0].period, "2024-10");
    cr_assert_str_eq(q->trend[11].period, "2025-09");
    cr_assert_gt(q->n_quality, 0, "the period's own report lost its quality table");
    for (int m = 0; m < MC_TREND_MONTHS; m++) {
        cr_assert_eq(q->trend[m].n_quality, 0);
        cr_assert_null(q->trend[m].trend);
    }
    /* July as of its last day: A received online, open and overdue */
    const mc_report *jul = &q->trend[9], *aug = &q->trend[10], *sep = &q->trend[11];
    cr_assert_str_eq(jul->as_of, "2025-07-31");
    const mc_unit_row *x = row_of(jul, "X1");
    cr_assert_eq(x->c[MC_C_RECEIVED_NEW], 1);
    cr_assert_eq(x->c[MC_C_RECEIVED_ONLINE], 1);
    cr_assert_eq(x->c[MC_C_IN_PROGRESS_OVERDUE], 1);
    cr_assert_eq(x->c[MC_C_LATE_TOTAL], 1);
    /* August as of P's 2025-08-20: A carried over and resolved late; B,
     * received after the as-of date, not yet */
    cr_assert_str_eq(aug->as_of, "2025-08-20");
    x = row_of(aug, "X1");
    cr_assert_eq(x->c[MC_C_CARRIED_OVER], 1);
    cr_assert_eq(x->c[MC_C_RECEIVED_TOTAL], 1);
    cr_assert_eq(x->c[MC_C_RESOLVED_LATE], 1);
    cr_assert_eq(x->c[MC_C_RECEIVED_NEW], 0);
    /* September had not begun on 2025-08-20: counted as of that day, empty */
    cr_assert_str_eq(sep->as_of, "2025-08-20");
    cr_assert_str_eq(sep->period_start, "2025-09-01");
    cr_assert_eq(sep->rows[sep->n_rows - 1].c[MC_C_RECEIVED_TOTAL], 0);
    /* June and before: no case */
    cr_assert_eq(q->trend[8].rows[q->trend[8].n_rows - 1].c[MC_C_RECEIVED_TOTAL], 0);

    /* the month's own report is the last month of its trend, and the two
     * trends agree on the months they share */
    const mc_report *m = &reps[0];
    cr_assert_str_eq(m->trend[11].period, "2025-08");
    cr_assert(memcmp(row_of(m, "X1")->c, row_of(&m->trend[11], "X1")->c,
                     sizeof(int64_t) * MC_C_COUNT) == 0);
    for (int k = 1; k < MC_TREND_MONTHS; k++) {
        cr_assert_str_eq(m->trend[k].period, q->trend[k - 1].period);
        cr_assert_str_eq(m->trend[k].as_of, q->trend[k - 1].as_of);
        const int64_t *a = m->trend[k].rows[m->trend[k].n_rows - 1].c;
        const int64_t *b = q->trend[k - 1].rows[q->trend[k - 1].n_rows - 1].c;
        cr_assert(memcmp(a, b, sizeof(int64_t) * MC_C_COUNT) == 0, "month %s", m->trend[k].period);
    }
    mc_report_free(&reps[0]);
    mc_report_free(&reps[1]);
    mc_units_free(units);
    mc_store_close(s);
}

/* A report copied (the trend keeps copies of its months) owns its own
 * rows by field and by procedure. */
Test(figures_by, copy_owns_its_breakdowns)
{
    mc_report rep, copy;
    compute_groups(MC_GROUPS_FIELD | MC_GROUPS_PROCEDURE, &rep);
    cr_assert_eq(mc_report_copy(&copy, &rep), 0);
    cr_assert_neq(copy.fields, rep.fields);
    cr_assert_neq(copy.procedures[0].name, rep.procedures[0].name);
    mc_report_free(&rep);
    cr_assert_eq(copy.n_fields, 4);
    cr_expect_str_eq(copy.fields[1].name, "Hộ tịch");
    cr_expect_str_eq(copy.procedures[0].code, "1.001193");
    cr_expect_eq(copy.procedures[0].c[MC_C_RECEIVED_TOTAL], 5);
    mc_report_free(&copy);
}

/* With a trend, the breakdowns are the period's: its months have none. */
Test(figures_by, trend_months_have_no_breakdowns)
{
    char path[64];
    tmpstore_path(path, sizeof path, "mc-groups");
    mc_store *s = tmpstore_load(path, N_DIM_CASES, 2, dim_record, NULL);
    mc_units *u = mc_units_empty();
    mc_error err;
    mc_error_clear(&err);
    mc_figures_opts o = {.units = u, .as_of = mc_days_from_civil(2025, 9, 30),
                         .groups = MC_GROUPS_FIELD | MC_GROUPS_PROCEDURE};
    cr_assert_eq(mc_period_parse("2025-Q3", MC_CONV_CALENDAR, &o.period, &err), 0);
    mc_report rep;
    cr_assert_eq(mc_figures_compute_trend(s, &o, 1, &rep, &err), 0, "%s", err.msg);
    cr_expect_eq(rep.n_fields, 4);
    cr_expect_eq(rep.n_procedures, 5);
    cr_assert_eq(rep.n_trend, 12);
    for (size_t m = 0; m < rep.n_trend; m++)
        cr_expect_eq(rep.trend[m].n_fields + rep.trend[m].n_procedures, 0, "month %zu", m);
    /* September's own units table still counts its cases */
    const mc_report *sep = &rep.trend[11];
    cr_expect_gt(sep->rows[sep->n_rows - 1].c[MC_C_RECEIVED_TOTAL], 0);
    mc_report_free(&rep);
    mc_units_free(u);
    mc_store_close(s);
    tmpstore_remove(path);
}
