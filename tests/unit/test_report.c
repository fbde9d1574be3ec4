/*
 * test_report.c -- reports/report.c: the deep copy of a report (a trend's
 * month shared by several periods is copied into each) and its release.
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "reports/report.h"

static void fill(mc_report *rep, const char *period)
{
    memset(rep, 0, sizeof *rep);
    snprintf(rep->period, sizeof rep->period, "%s", period);
    strcpy(rep->as_of, "2025-09-30");
    rep->convention = "cutoff";
    rep->n_rows = 2;
    rep->rows = calloc(2, sizeof *rep->rows);
    rep->rows[0].unit_code = strdup("X1");
    rep->rows[0].unit_name = strdup("Xã một");
    rep->rows[0].c[MC_C_RECEIVED_NEW] = 7;
    rep->rows[1].unit_code = strdup("ALL");
    rep->rows[1].unit_name = NULL; /* absent strings stay absent */
    rep->rows[1].kind = MC_ROW_ALL;
    rep->n_targets = 1;
    rep->targets = calloc(1, sizeof *rep->targets);
    rep->targets[0].unit_code = strdup("X1");
    rep->targets[0].indicator = strdup("online_rate");
    rep->targets[0].status = "met";
    rep->targets[0].target = 50;
    strcpy(rep->targets[0].op, ">=");
    rep->targets[0].source = strdup("KH 2025");
    rep->n_quality = 1;
    rep->quality = calloc(1, sizeof *rep->quality);
    rep->quality[0].name = strdup("conflicts");
    rep->quality[0].value = strdup("0");
    rep->quality[0].status = strdup("ok");
    rep->quality[0].detail = strdup("");
}

Test(report, copy_is_deep_and_whole)
{
    mc_report a, b;
    fill(&a, "2025-Q3");
    a.trend = calloc(2, sizeof *a.trend);
    fill(&a.trend[0], "2025-08");
    fill(&a.trend[1], "2025-09");
    a.n_trend = 2;
    cr_assert_eq(mc_report_copy(&b, &a), 0);
    cr_assert_str_eq(b.period, "2025-Q3");
    cr_assert_str_eq(b.convention, "cutoff");
    cr_assert_eq(b.n_rows, 2);
    cr_assert_str_eq(b.rows[0].unit_name, "Xã một");
    cr_assert_null(b.rows[1].unit_name);
    cr_assert_eq(b.rows[0].c[MC_C_RECEIVED_NEW], 7);
    cr_assert_eq(b.rows[1].kind, MC_ROW_ALL);
    cr_assert_str_eq(b.targets[0].source, "KH 2025");
    cr_assert_str_eq(b.targets[0].op, ">=");
    cr_assert_str_eq(b.quality[0].name, "conflicts");
    cr_assert_eq(b.n_trend, 2);
    cr_assert_str_eq(b.trend[1].period, "2025-09");
    /* nothing shared: changing or freeing the original leaves the copy */
    cr_assert_neq(b.rows[0].unit_code, a.rows[0].unit_code);
    cr_assert_neq(b.trend, a.trend);
    a.rows[0].unit_name[0] = 'Z';
    mc_report_free(&a);
    cr_assert_str_eq(b.rows[0].unit_name, "Xã một");
    cr_assert_str_eq(b.trend[0].rows[0].unit_code, "X1");
    mc_report_free(&b);
    cr_assert_null(b.rows);
    cr_assert_null(b.trend);
    cr_assert_eq(b.n_trend, 0);
    mc_report_free(&b); /* twice is harmless */
}
