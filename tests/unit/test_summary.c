/*
 * test_summary.c -- the paragraph for the monthly report (SPEC 14) and the
 * Vietnamese number format it is written in (reports/write_summary.c,
 * reports/write_util.c): every line to the letter, each target clause
 * (met, missed with its gap, none, no data), null rates, and the number
 * format on its edge values.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "reports/report.h"
#include "reports/write_util.h"

Test(vi_number, counts_group_thousands_with_dots)
{
    char b[64];
    cr_assert_str_eq(mc_wu_vi_count(0, b, sizeof b), "0");
    cr_assert_str_eq(mc_wu_vi_count(999, b, sizeof b), "999");
    cr_assert_str_eq(mc_wu_vi_count(1000, b, sizeof b), "1.000");
    cr_assert_str_eq(mc_wu_vi_count(1234, b, sizeof b), "1.234");
    cr_assert_str_eq(mc_wu_vi_count(99999, b, sizeof b), "99.999");
    cr_assert_str_eq(mc_wu_vi_count(1000000, b, sizeof b), "1.000.000");
    cr_assert_str_eq(mc_wu_vi_count(-1234567, b, sizeof b), "-1.234.567");
}

Test(vi_number, rates_two_decimals_after_a_comma)
{
    char b[64];
    cr_assert_str_eq(mc_wu_vi_rate(0, b, sizeof b), "0,00");
    cr_assert_str_eq(mc_wu_vi_rate(95.14, b, sizeof b), "95,14");
    cr_assert_str_eq(mc_wu_vi_rate(99.995, b, sizeof b), "100,00");
    cr_assert_str_eq(mc_wu_vi_rate(100, b, sizeof b), "100,00");
    /* 1/3 and 2/3 of a hundred; 201/20000 is the exact tie 1.005 */
    cr_assert_str_eq(mc_wu_vi_rate(100.0 / 3, b, sizeof b), "33,33");
    cr_assert_str_eq(mc_wu_vi_rate(200.0 / 3, b, sizeof b), "66,67");
    cr_assert_str_eq(mc_wu_vi_rate(201.0 / 200, b, sizeof b), "1,01");
    cr_assert_str_eq(mc_wu_vi_rate(1234.5, b, sizeof b), "1.234,50");
}

Test(vi_number, other_text_is_copied)
{
    char b[64];
    cr_assert_str_eq(mc_wu_vi_number("99.9", b, sizeof b), "99,9");
    cr_assert_str_eq(mc_wu_vi_number("abc", b, sizeof b), "abc");
    cr_assert_str_eq(mc_wu_vi_number("1e5", b, sizeof b), "1e5");
    char small[4];
    cr_assert_str_eq(mc_wu_vi_number("1234567", small, sizeof small), "1.2");
}

/* A report of one unit and ALL, the counts chosen so every line has a
 * thousands separator somewhere and every kind of target clause shows. */
static void make_report(mc_report *rep)
{
    memset(rep, 0, sizeof *rep);
    snprintf(rep->period, sizeof rep->period, "2025-Q3");
    snprintf(rep->period_start, sizeof rep->period_start, "2025-07-01");
    snprintf(rep->period_end, sizeof rep->period_end, "2025-09-30");
    snprintf(rep->as_of, sizeof rep->as_of, "2025-09-30");
    rep->n_rows = 2;
    rep->rows = calloc(2, sizeof *rep->rows);
    for (int i = 0; i < 2; i++) {
        mc_unit_row *r = &rep->rows[i];
        r->unit_code = strdup(i ? "ALL" : "000.00.72.H56");
        r->unit_name = strdup(i ? "" : "UBND xã Cửa Tùng");
        r->kind = i ? MC_ROW_ALL : MC_ROW_UNIT;
        int64_t k = i ? 10 : 1;
        r->c[MC_C_RECEIVED_NEW] = 120 * k;
        r->c[MC_C_RECEIVED_ONLINE] = 90 * k;
        r->c[MC_C_RECEIVED_OFFLINE] = 30 * k;
        r->c[MC_C_CARRIED_OVER] = 5 * k;
        r->c[MC_C_RECEIVED_TOTAL] = 125 * k;
        r->c[MC_C_RESOLVED_EARLY] = 60 * k;
        r->c[MC_C_RESOLVED_ON_TIME] = 38 * k;
        r->c[MC_C_RESOLVED_LATE] = 2 * k;
        r->c[MC_C_RESOLVED_TOTAL] = 100 * k;
        r->c[MC_C_IN_PROGRESS_WITHIN] = 24 * k;
        r->c[MC_C_IN_PROGRESS_OVERDUE] = 1 * k;
        r->c[MC_C_IN_PROGRESS_TOTAL] = 25 * k;
        r->c[MC_C_LATE_TOTAL] = 3 * k;
        r->c[MC_C_LATE_WITH_APOLOGY] = 3 * k;
        r->c[MC_C_ONLINE_FULL] = 60 * k;
        /* no fee column, digitization and e-results unknown: null rates */
    }
    rep->n_targets = 4;
    rep->targets = calloc(4, sizeof *rep->targets);
    struct { const char *unit, *ind, *op, *status; double target, actual; int has; } t[] = {
        {"ALL", "on_time_rate", ">=", "met", 98, 98, 1},
        {"ALL", "online_rate", ">=", "missed", 80, 75, 1},
        {"ALL", "digitized_rate", ">=", "no data", 70, 0, 0},
        {"000.00.72.H56", "online_rate", ">=", "missed", 99.9, 75, 1},
    };
    for (int i = 0; i < 4; i++) {
        mc_target_row *r = &rep->targets[i];
        r->unit_code = strdup(t[i].unit);
        r->indicator = strdup(t[i].ind);
        snprintf(r->op, sizeof r->op, "%s", t[i].op);
        r->target = t[i].target;
        r->status = t[i].status;
        r->has_actual = t[i].has;
        r->actual = t[i].actual;
        r->has_gap = t[i].has;
        r->gap = t[i].actual - t[i].target;
        r->source = strdup("KH test");
    }
}

Test(summary, all_units_to_the_letter)
{
    mc_report rep;
    make_report(&rep);
    char *text;
    mc_error err;
    cr_assert_eq(mc_summary_build(&rep, NULL, &text, &err), 0);
    cr_assert_str_eq(text,
        "Kỳ báo cáo 2025-Q3 (từ ngày 01/07/2025 đến ngày 30/09/2025, số liệu tính đến ngày "
        "30/09/2025); đơn vị: tất cả các đơn vị.\n"
        "- Tổng số hồ sơ tiếp nhận: 1.250 hồ sơ, trong đó tiếp nhận mới trong kỳ 1.200 hồ sơ "
        "(trực tuyến 900; trực tiếp và qua dịch vụ bưu chính công ích 300), từ kỳ trước chuyển "
        "sang 50 hồ sơ.\n"
        "- Đã giải quyết: 1.000 hồ sơ (trước hạn 600; đúng hạn 380; quá hạn 20); tỷ lệ giải "
        "quyết trước và đúng hạn 98,00% (chỉ tiêu ≥ 98%: đạt).\n"
        "- Đang giải quyết: 250 hồ sơ (trong hạn 240; quá hạn 10).\n"
        "- Hồ sơ trễ hạn: 30 hồ sơ, trong đó đã có văn bản xin lỗi 30 hồ sơ (100,00%).\n"
        "- Tỷ lệ hồ sơ tiếp nhận trực tuyến: 75,00% (chỉ tiêu ≥ 80%: chưa đạt, thấp hơn 5,00 "
        "điểm phần trăm); trực tuyến toàn trình: 50,00%; thanh toán trực tuyến: không có số "
        "liệu.\n"
        "- Tỷ lệ số hóa hồ sơ: không có số liệu; cấp kết quả điện tử: không có số liệu.\n");
    free(text);
    mc_report_free(&rep);
}

Test(summary, one_unit_by_name_with_its_own_targets)
{
    mc_report rep;
    make_report(&rep);
    char *text;
    mc_error err;
    cr_assert_eq(mc_summary_build(&rep, "000.00.72.H56", &text, &err), 0);
    cr_assert(strstr(text, "); đơn vị: UBND xã Cửa Tùng.\n") != NULL, "%s", text);
    cr_assert(strstr(text, "- Tổng số hồ sơ tiếp nhận: 125 hồ sơ,") != NULL, "%s", text);
    cr_assert(strstr(text, "trực tuyến: 75,00% (chỉ tiêu ≥ 99,9%: chưa đạt, thấp hơn 24,90 "
                           "điểm phần trăm);") != NULL, "%s", text);
    /* ALL's on-time target is not this unit's */
    cr_assert(strstr(text, "đúng hạn 98,00%.\n") != NULL, "%s", text);
    free(text);
    cr_assert_eq(mc_summary_build(&rep, "nowhere", &text, &err), MC_EXIT_USAGE);
    cr_assert_null(text);
    cr_assert(strstr(err.msg, "no row for unit 'nowhere'") != NULL, "%s", err.msg);
    mc_report_free(&rep);
}
