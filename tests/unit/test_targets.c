/*
 * test_targets.c -- unit tests of reports/targets.c: loading
 * data/targets*.csv (header in any order and case, BOM, comments, blank
 * lines, quoted multi-line fields, CRLF), the SPEC 6 choice of target, and
 * the met / missed / no data judgement.
 */
#include <criterion/criterion.h>

#include <math.h>
#include <string.h>

#include "reports/targets.h"

static mc_targets load_ok(mc_convention conv)
{
    mc_targets t;
    mc_error err;
    mc_error_clear(&err);
    int rc = mc_targets_load("data/targets.csv", conv, &t, &err);
    cr_assert_eq(rc, 0, "load: %d %s", rc, err.msg);
    return t;
}

static mc_period period(const char *s, mc_convention conv)
{
    mc_period p;
    cr_assert_eq(mc_period_parse(s, conv, &p, NULL), 0, "%s", s);
    return p;
}

Test(targets, load_reads_every_row)
{
    mc_targets t = load_ok(MC_CONV_CALENDAR);
    cr_assert_eq(t.n, 11);

    const mc_target *a = &t.v[0];
    cr_expect_str_eq(a->unit, "*");
    cr_expect_str_eq(a->indicator, "on_time_rate");
    cr_expect_str_eq(a->op, ">=");
    cr_expect_eq(a->value, 98.0);
    cr_expect_str_eq(a->value_text, "98");
    cr_expect_str_eq(a->period.canon, "2025");
    cr_expect_str_eq(a->source, "KH CCHC 2025 xã Lộc Hòa");
    cr_expect_eq(a->line, 4);

    cr_expect_str_eq(t.v[1].source, "KH CCHC 2025 xã Lộc Hòa, phụ lục II.2.2");
    cr_expect_eq(t.v[1].line, 5);
    cr_expect_eq(t.v[2].line, 8, "after a blank and a comment line");
    cr_expect_eq(t.v[2].value, 99.9);
    cr_expect_str_eq(t.v[4].period.canon, "2025-H2");

    /* a quoted field over two lines: the row is numbered by its first */
    cr_expect_eq(t.v[5].line, 11);
    cr_expect_str_eq(t.v[5].source, "KH giai đoạn 2021-2025");
    cr_expect_str_eq(t.v[5].period.canon, "2021..2025");
    cr_expect_eq(t.v[6].line, 13);
    cr_expect_eq(t.v[7].line, 15, "after a line of spaces");

    /* decimal comma and a percent sign */
    cr_expect_str_eq(t.v[8].op, "<=");
    cr_expect_eq(t.v[8].value, 99.9);
    cr_expect_str_eq(t.v[8].value_text, "99.9");
    cr_expect_str_eq(t.v[9].op, "<");

    /* ",,,,,," is skipped; the last line has no newline */
    cr_expect_eq(t.v[10].line, 19);
    cr_expect_str_eq(t.v[10].op, "=");
    cr_expect_str_eq(t.v[10].period.canon, "2025-07-01..2025-12-31");
    cr_expect_str_eq(t.v[10].source, "range");
    mc_targets_free(&t);
    cr_expect_eq(t.n, 0);
    cr_expect_null(t.v);
}

Test(targets, periods_follow_the_convention)
{
    mc_targets t = load_ok(MC_CONV_CUTOFF);
    mc_period y = period("2024-12-15..2025-12-14", MC_CONV_CUTOFF);
    cr_expect_eq(t.v[0].period.start, y.start);
    cr_expect_eq(t.v[0].period.end, y.end);
    mc_period r = period("2025-07-01..2025-12-31", MC_CONV_CUTOFF);
    cr_expect_eq(t.v[10].period.start, r.start, "date ranges ignore the convention");
    cr_expect_eq(t.v[10].period.end, r.end);
    mc_targets_free(&t);
}

Test(targets, closest_unit_beats_star)
{
    mc_targets t = load_ok(MC_CONV_CALENDAR);
    mc_period q3 = period("2025-Q3", MC_CONV_CALENDAR);

    const char *own[] = {"X_CUATUNG", "H_PARENT"};
    const mc_target *m = mc_targets_match(&t, own, 2, "on_time_rate", &q3);
    cr_assert_not_null(m);
    cr_expect_eq(m->value, 99.9);
    cr_expect_str_eq(m->unit, "X_CUATUNG");

    /* a target on an ancestor beats '*' for its descendants */
    const char *child[] = {"X_CAMQUANG", "H_CAMXUYEN", "T_HATINH"};
    m = mc_targets_match(&t, child, 3, "online_rate", &q3);
    cr_assert_not_null(m);
    cr_expect_str_eq(m->unit, "H_CAMXUYEN");
    cr_expect_eq(m->value, 60.0);

    /* a unit that no target names falls back to '*' */
    const char *other[] = {"X_KHAC", "H_PARENT"};
    m = mc_targets_match(&t, other, 2, "online_rate", &q3);
    cr_assert_not_null(m);
    cr_expect_str_eq(m->unit, "*");
    cr_expect_eq(m->value, 80.0);
    mc_targets_free(&t);
}

Test(targets, shortest_period_wins)
{
    mc_targets t = load_ok(MC_CONV_CALENDAR);
    const char *own[] = {"X_CUATUNG"};

    mc_period q3 = period("2025-Q3", MC_CONV_CALENDAR);
    const mc_target *m = mc_targets_match(&t, own, 1, "online_rate", &q3);
    cr_assert_not_null(m);
    cr_expect_str_eq(m->period.canon, "2025-H2");
    cr_expect_eq(m->value, 50.0);

    /* the H2 target does not cover the year, so the year's target applies */
    mc_period y = period("2025", MC_CONV_CALENDAR);
    m = mc_targets_match(&t, own, 1, "online_rate", &y);
    cr_assert_not_null(m);
    cr_expect_str_eq(m->period.canon, "2025");
    cr_expect_eq(m->value, 70.0);

    /* for '*' too: the quarter's target beats the year's */
    mc_period sep = period("2025-09", MC_CONV_CALENDAR);
    m = mc_targets_match(&t, NULL, 0, "e_result_rate", &sep);
    cr_assert_not_null(m);
    cr_expect_str_eq(m->period.canon, "2025-Q3");
    m = mc_targets_match(&t, NULL, 0, "e_result_rate", &y);
    cr_assert_not_null(m);
    cr_expect_str_eq(m->period.canon, "2025");
    mc_targets_free(&t);
}

Test(targets, contradicting_plan_takes_the_stricter)
{
    mc_targets t = load_ok(MC_CONV_CALENDAR);
    mc_period y = period("2025", MC_CONV_CALENDAR);
    const char *other[] = {"X_KHAC"};
    const mc_target *m = mc_targets_match(&t, other, 1, "on_time_rate", &y);
    cr_assert_not_null(m);
    cr_expect_eq(m->value, 98.0, "98%% of the body, not 96%% of the appendix");
    cr_expect_eq(m->line, 4);
    mc_targets_free(&t);
}

/* The same tie, built by hand in both orders and for both directions. */
Test(targets, stricter_in_either_order)
{
    mc_target v[2];
    memset(v, 0, sizeof v);
    mc_period y = period("2025", MC_CONV_CALENDAR);
    for (int i = 0; i < 2; i++) {
        v[i].unit = "*";
        v[i].indicator = "on_time_rate";
        v[i].period = y;
        v[i].line = i + 2;
    }
    mc_targets t = {v, 2};

    strcpy(v[0].op, ">=");
    strcpy(v[1].op, ">=");
    v[0].value = 96;
    v[1].value = 98;
    cr_expect_eq(mc_targets_match(&t, NULL, 0, "on_time_rate", &y)->value, 98.0);
    v[0].value = 98;
    v[1].value = 96;
    cr_expect_eq(mc_targets_match(&t, NULL, 0, "on_time_rate", &y)->value, 98.0);

    strcpy(v[0].op, "<=");
    strcpy(v[1].op, "<=");
    cr_expect_eq(mc_targets_match(&t, NULL, 0, "on_time_rate", &y)->value, 96.0);

    /* same value: the strict operator is the stricter promise */
    v[1].value = 98;
    strcpy(v[0].op, ">=");
    strcpy(v[1].op, ">");
    cr_expect_str_eq(mc_targets_match(&t, NULL, 0, "on_time_rate", &y)->op, ">");

    /* nothing to choose between: the earlier line */
    strcpy(v[0].op, "=");
    strcpy(v[1].op, "=");
    v[0].value = 1;
    v[1].value = 2;
    cr_expect_eq(mc_targets_match(&t, NULL, 0, "on_time_rate", &y)->line, 2);
}

Test(targets, all_row_takes_only_star)
{
    mc_targets t = load_ok(MC_CONV_CALENDAR);
    mc_period q3 = period("2025-Q3", MC_CONV_CALENDAR);
    const mc_target *m = mc_targets_match(&t, NULL, 0, "on_time_rate", &q3);
    cr_assert_not_null(m);
    cr_expect_str_eq(m->unit, "*");
    cr_expect_eq(m->value, 98.0);
    m = mc_targets_match(&t, NULL, 0, "online_rate", &q3);
    cr_assert_not_null(m);
    cr_expect_str_eq(m->unit, "*", "ALL must not take X_CUATUNG's or H_CAMXUYEN's");
    cr_expect_eq(m->value, 80.0);
    mc_targets_free(&t);
}

Test(targets, period_containment)
{
    mc_targets t = load_ok(MC_CONV_CALENDAR);
    const char *own[] = {"X_CUATUNG"};
    mc_period q3 = period("2025-Q3", MC_CONV_CALENDAR);
    mc_period q1_26 = period("2026-Q1", MC_CONV_CALENDAR);
    mc_period y24 = period("2024", MC_CONV_CALENDAR);
    mc_period h1 = period("2025-H1", MC_CONV_CALENDAR);
    mc_period dec = period("2025-12", MC_CONV_CALENDAR);
    mc_period span = period("2025-06..2025-07", MC_CONV_CALENDAR);

    cr_expect_not_null(mc_targets_match(&t, own, 1, "on_time_rate", &q3), "2025 covers 2025-Q3");
    cr_expect_null(mc_targets_match(&t, own, 1, "on_time_rate", &q1_26));
    cr_expect_null(mc_targets_match(&t, NULL, 0, "late_with_apology_rate", &y24));
    cr_expect_null(mc_targets_match(&t, NULL, 0, "no_such_rate", &q3));

    /* the date-range target covers Q3 and December, not H1 nor June..July */
    cr_expect_not_null(mc_targets_match(&t, NULL, 0, "digitized_rate", &q3));
    cr_expect_not_null(mc_targets_match(&t, NULL, 0, "digitized_rate", &dec));
    cr_expect_null(mc_targets_match(&t, NULL, 0, "digitized_rate", &h1));
    cr_expect_null(mc_targets_match(&t, NULL, 0, "digitized_rate", &span));

    /* 2021..2025 covers 2024 for H_CAMXUYEN's descendants */
    const char *child[] = {"X_CAMQUANG", "H_CAMXUYEN"};
    const mc_target *m = mc_targets_match(&t, child, 2, "online_rate", &y24);
    cr_assert_not_null(m);
    cr_expect_eq(m->value, 60.0);
    mc_targets_free(&t);
}

Test(targets, cutoff_containment)
{
    mc_targets t = load_ok(MC_CONV_CUTOFF);
    /* the calendar date range 2025-07-01..12-31 does not contain cut-off
     * 2025-Q3 (which starts 2025-06-15), but does contain cut-off 2025-Q4 */
    mc_period q3 = period("2025-Q3", MC_CONV_CUTOFF);
    mc_period q4 = period("2025-Q4", MC_CONV_CUTOFF);
    cr_expect_null(mc_targets_match(&t, NULL, 0, "digitized_rate", &q3));
    cr_expect_not_null(mc_targets_match(&t, NULL, 0, "digitized_rate", &q4));
    mc_targets_free(&t);
}

static void free_row(mc_target_row *r)
{
    free(r->unit_code);
    free(r->indicator);
    free(r->source);
}

static mc_target make(const char *indicator, const char *op, double value)
{
    mc_target t;
    memset(&t, 0, sizeof t);
    t.unit = "*";
    t.indicator = (char *)indicator;
    strcpy(t.op, op);
    t.value = value;
    t.source = "KH CCHC 2025";
    return t;
}

Test(targets, eval_statuses)
{
    mc_target t = make("on_time_rate", ">=", 98);
    mc_target_row r;

    cr_assert_eq(mc_target_eval(&t, "X_CUATUNG", 1, (100.0 * 49) / 50, 0, &r), 0);
    cr_expect_str_eq(r.status, "met", "exactly 98%% meets >= 98");
    cr_expect(r.has_actual && r.has_gap);
    cr_expect_eq(r.gap, 0.0);
    cr_expect_str_eq(r.unit_code, "X_CUATUNG");
    cr_expect_str_eq(r.indicator, "on_time_rate");
    cr_expect_str_eq(r.source, "KH CCHC 2025");
    cr_expect_neq((void *)r.source, (void *)t.source, "source must be a copy");
    cr_expect_str_eq(r.op, ">=");
    cr_expect_eq(r.target, 98.0);
    free_row(&r);

    /* 4899/5000 = 97.98, and 97.996 would print as 98.00: both missed */
    cr_assert_eq(mc_target_eval(&t, "X", 1, (100.0 * 4899) / 5000, 0, &r), 0);
    cr_expect_str_eq(r.status, "missed");
    cr_expect(fabs(r.gap - (-0.02)) < 1e-9, "gap %f", r.gap);
    free_row(&r);
    cr_assert_eq(mc_target_eval(&t, "X", 1, 97.996, 0, &r), 0);
    cr_expect_str_eq(r.status, "missed");
    free_row(&r);

    cr_assert_eq(mc_target_eval(&t, "X", 0, 0, 0, &r), 0);
    cr_expect_str_eq(r.status, "no data");
    cr_expect_not(r.has_actual);
    cr_expect_not(r.has_gap);
    free_row(&r);

    /* no_late only excuses the apology indicator */
    cr_assert_eq(mc_target_eval(&t, "X", 0, 0, 1, &r), 0);
    cr_expect_str_eq(r.status, "no data");
    free_row(&r);

    mc_target gt = make("online_rate", ">", 50);
    cr_assert_eq(mc_target_eval(&gt, "X", 1, 50.0, 0, &r), 0);
    cr_expect_str_eq(r.status, "missed", "50 is not above 50");
    free_row(&r);
    cr_assert_eq(mc_target_eval(&gt, "X", 1, 50.5, 0, &r), 0);
    cr_expect_str_eq(r.status, "met");
    cr_expect_eq(r.gap, 0.5);
    free_row(&r);

    mc_target le = make("late_rate", "<=", 5);
    cr_assert_eq(mc_target_eval(&le, "X", 1, 5.0, 0, &r), 0);
    cr_expect_str_eq(r.status, "met");
    free_row(&r);
    cr_assert_eq(mc_target_eval(&le, "X", 1, 5.01, 0, &r), 0);
    cr_expect_str_eq(r.status, "missed");
    free_row(&r);

    mc_target lt = make("late_rate", "<", 5);
    cr_assert_eq(mc_target_eval(&lt, "X", 1, 5.0, 0, &r), 0);
    cr_expect_str_eq(r.status, "missed");
    free_row(&r);

    mc_target eq = make("digitized_rate", "=", 75);
    cr_assert_eq(mc_target_eval(&eq, "X", 1, (100.0 * 3) / 4, 0, &r), 0);
    cr_expect_str_eq(r.status, "met");
    free_row(&r);
    cr_assert_eq(mc_target_eval(&eq, "X", 1, 75.5, 0, &r), 0);
    cr_expect_str_eq(r.status, "missed");
    free_row(&r);
}

Test(targets, eval_late_apology_without_late_cases)
{
    mc_target t = make("late_with_apology_rate", ">=", 100);
    mc_target_row r;

    cr_assert_eq(mc_target_eval(&t, "ALL", 0, 0, 1, &r), 0);
    cr_expect_str_eq(r.status, "met", "no late case, nothing lacked an apology");
    cr_expect_not(r.has_actual);
    cr_expect_not(r.has_gap);
    free_row(&r);

    cr_assert_eq(mc_target_eval(&t, "ALL", 1, 50.0, 0, &r), 0);
    cr_expect_str_eq(r.status, "missed");
    cr_expect_eq(r.gap, -50.0);
    free_row(&r);

    cr_assert_eq(mc_target_eval(&t, "ALL", 1, 100.0, 0, &r), 0);
    cr_expect_str_eq(r.status, "met");
    free_row(&r);
}

/* The file's error must name the file, the line the row starts on, and the
 * column, and the load must leave nothing behind. */
static void refuse(const char *path, const char *where, const char *what)
{
    mc_targets t = {(mc_target *)1, 99};
    mc_error err;
    mc_error_clear(&err);
    int rc = mc_targets_load(path, MC_CONV_CALENDAR, &t, &err);
    cr_expect_eq(rc, MC_EXIT_DATA, "%s: rc %d", path, rc);
    cr_expect_eq(err.status, MC_EXIT_DATA);
    cr_expect(strncmp(err.msg, where, strlen(where)) == 0, "wanted '%s' at the start of: %s", where, err.msg);
    cr_expect(strstr(err.msg, what) != NULL, "wanted '%s' in: %s", what, err.msg);
    cr_expect_eq(t.n, 0);
    cr_expect_null(t.v);
}

Test(targets, bad_files_name_line_and_column)
{
    refuse("data/targets_bad_op.csv", "data/targets_bad_op.csv:5: column 'op':", "'=>'");
    refuse("data/targets_bad_value.csv", "data/targets_bad_value.csv:3: column 'value':", "'98x'");
    refuse("data/targets_bad_period.csv", "data/targets_bad_period.csv:4: column 'period':",
           "2025-Q5");
    refuse("data/targets_no_op.csv", "data/targets_no_op.csv:1: column 'op':", "missing");
    refuse("data/targets_no_unit.csv", "data/targets_no_unit.csv:2: column 'unit':", "empty");
    refuse("data/targets_unclosed.csv", "data/targets_unclosed.csv:2:", "never closed");
}

Test(targets, missing_file_is_an_io_error)
{
    mc_targets t;
    mc_error err;
    mc_error_clear(&err);
    cr_expect_eq(mc_targets_load("data/no-such-targets.csv", MC_CONV_CALENDAR, &t, &err), MC_EXIT_IO);
    cr_expect(strstr(err.msg, "data/no-such-targets.csv") != NULL, "%s", err.msg);
    cr_expect_eq(t.n, 0);
}
