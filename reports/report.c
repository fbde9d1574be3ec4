/*
 * report.c -- names, headings and rates of the report model; see report.h.
 *
 * The rate arithmetic lives here, once, so that the CSV, the workbook, the
 * page and the targets table can never disagree about a figure.
 */
#include "reports/report.h"

#include <stdlib.h>
#include <string.h>

static const char *const count_names[MC_C_COUNT] = {
    "received_total", "received_new", "received_online", "received_offline",
    "carried_over", "resolved_total", "resolved_early", "resolved_on_time",
    "resolved_late", "in_progress_total", "in_progress_within",
    "in_progress_overdue", "late_total", "late_with_apology",
    "online_full_process", "new_paid_online", "new_has_fee", "new_digitized",
    "new_digitized_known", "resolved_e_result", "resolved_e_result_known",
};

/* Headings of the official form (Thông tư 01/2020/TT-VPCP) where it has one. */
static const char *const count_labels_vi[MC_C_COUNT] = {
    "Tổng số hồ sơ nhận giải quyết",
    "Số mới tiếp nhận",
    "Số mới tiếp nhận trực tuyến",
    "Số mới tiếp nhận trực tiếp và qua dịch vụ bưu chính",
    "Số từ kỳ trước chuyển qua",
    "Tổng số hồ sơ đã giải quyết",
    "Trả trước hạn",
    "Trả đúng thời hạn",
    "Trả quá hạn",
    "Tổng số hồ sơ đang giải quyết",
    "Trong hạn",
    "Quá hạn",
    "Tổng số hồ sơ trễ hạn",
    "Hồ sơ trễ hạn có văn bản xin lỗi",
    "Số mới tiếp nhận trực tuyến toàn trình",
    "Số mới tiếp nhận đã thanh toán trực tuyến",
    "Số mới tiếp nhận có phí, lệ phí",
    "Số mới tiếp nhận được số hóa",
    "Số mới tiếp nhận có thông tin số hóa",
    "Số đã giải quyết có kết quả điện tử",
    "Số đã giải quyết có thông tin kết quả điện tử",
};

static const char *const rate_names[MC_R_COUNT] = {
    "on_time_rate", "on_time_rate_766", "late_with_apology_rate",
    "online_rate", "online_full_process_rate", "online_payment_rate",
    "digitized_rate", "e_result_rate",
};

static const char *const rate_labels_vi[MC_R_COUNT] = {
    "Tỷ lệ giải quyết trước và đúng hạn",
    "Tỷ lệ đúng hạn (chỉ số 2.1, QĐ 766/QĐ-TTg)",
    "Tỷ lệ hồ sơ trễ hạn có văn bản xin lỗi",
    "Tỷ lệ hồ sơ tiếp nhận trực tuyến",
    "Tỷ lệ hồ sơ trực tuyến toàn trình",
    "Tỷ lệ thanh toán trực tuyến",
    "Tỷ lệ hồ sơ được số hóa",
    "Tỷ lệ kết quả điện tử",
};

const char *mc_count_name(mc_count c)
{
    return (unsigned)c < MC_C_COUNT ? count_names[c] : "";
}

const char *mc_rate_name(mc_rate r)
{
    return (unsigned)r < MC_R_COUNT ? rate_names[r] : "";
}

const char *mc_count_label_vi(mc_count c)
{
    return (unsigned)c < MC_C_COUNT ? count_labels_vi[c] : "";
}

const char *mc_rate_label_vi(mc_rate r)
{
    return (unsigned)r < MC_R_COUNT ? rate_labels_vi[r] : "";
}

/* 100 * num / den written as (100.0 * num) / den: the same double an
 * independent computation in any language gets from the plain formula. */
static int percent(int64_t num, int64_t den, double *pct)
{
    if (den <= 0)
        return 0;
    *pct = (100.0 * (double)num) / (double)den;
    return 1;
}

int mc_rate_value(const int64_t c[MC_C_COUNT], mc_rate r, double *pct)
{
    switch (r) {
    case MC_R_ON_TIME:
        return percent(c[MC_C_RESOLVED_EARLY] + c[MC_C_RESOLVED_ON_TIME],
                       c[MC_C_RESOLVED_TOTAL], pct);
    case MC_R_ON_TIME_766:
        return percent(c[MC_C_RESOLVED_EARLY] + c[MC_C_RESOLVED_ON_TIME] +
                           c[MC_C_IN_PROGRESS_WITHIN],
                       c[MC_C_RESOLVED_TOTAL] + c[MC_C_IN_PROGRESS_TOTAL], pct);
    case MC_R_LATE_WITH_APOLOGY:
        return percent(c[MC_C_LATE_WITH_APOLOGY], c[MC_C_LATE_TOTAL], pct);
    case MC_R_ONLINE:
        return percent(c[MC_C_RECEIVED_ONLINE], c[MC_C_RECEIVED_NEW], pct);
    case MC_R_ONLINE_FULL_PROCESS:
        return percent(c[MC_C_ONLINE_FULL], c[MC_C_RECEIVED_NEW], pct);
    case MC_R_ONLINE_PAYMENT:
        return percent(c[MC_C_NEW_PAID_ONLINE], c[MC_C_NEW_HAS_FEE], pct);
    case MC_R_DIGITIZED:
        /* null when no counted case came from an export with the column */
        if (c[MC_C_NEW_DIGITIZED_KNOWN] == 0)
            return 0;
        return percent(c[MC_C_NEW_DIGITIZED], c[MC_C_RECEIVED_NEW], pct);
    case MC_R_E_RESULT:
        if (c[MC_C_RESOLVED_E_RESULT_KNOWN] == 0)
            return 0;
        return percent(c[MC_C_RESOLVED_E_RESULT], c[MC_C_RESOLVED_TOTAL], pct);
    default:
        return 0;
    }
}

void mc_report_free(mc_report *rep)
{
    if (!rep)
        return;
    for (size_t i = 0; i < rep->n_rows; i++) {
        free(rep->rows[i].unit_code);
        free(rep->rows[i].unit_name);
    }
    free(rep->rows);
    mc_group_row *groups[2] = {rep->fields, rep->procedures};
    size_t n_groups[2] = {rep->n_fields, rep->n_procedures};
    for (int g = 0; g < 2; g++) {
        for (size_t i = 0; i < n_groups[g]; i++) {
            free(groups[g][i].code);
            free(groups[g][i].name);
        }
        free(groups[g]);
    }
    rep->fields = rep->procedures = NULL;
    rep->n_fields = rep->n_procedures = 0;
    for (size_t i = 0; i < rep->n_targets; i++) {
        free(rep->targets[i].unit_code);
        free(rep->targets[i].indicator);
        free(rep->targets[i].source);
    }
    free(rep->targets);
    for (size_t i = 0; i < rep->n_quality; i++) {
        free(rep->quality[i].name);
        free(rep->quality[i].value);
        free(rep->quality[i].status);
        free(rep->quality[i].detail);
    }
    free(rep->quality);
    for (size_t i = 0; i < rep->n_trend; i++)
        mc_report_free(&rep->trend[i]);
    free(rep->trend);
    rep->rows = NULL;
    rep->targets = NULL;
    rep->quality = NULL;
    rep->trend = NULL;
    rep->n_rows = rep->n_targets = rep->n_quality = rep->n_trend = 0;
}

/* strdup that keeps NULL as NULL; *ok drops to 0 when memory runs out. */
static char *dup_or_null(const char *s, int *ok)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        *ok = 0;
    return d;
}

int mc_report_copy(mc_report *dst, const mc_report *src)
{
    *dst = *src;
    dst->rows = NULL;
    dst->targets = NULL;
    dst->quality = NULL;
    dst->trend = NULL;
    dst->fields = dst->procedures = NULL;
    dst->n_rows = dst->n_targets = dst->n_quality = dst->n_trend = 0;
    dst->n_fields = dst->n_procedures = 0;
    int ok = 1;
    const mc_group_row *from[2] = {src->fields, src->procedures};
    size_t n_from[2] = {src->n_fields, src->n_procedures};
    mc_group_row **to[2] = {&dst->fields, &dst->procedures};
    size_t *n_to[2] = {&dst->n_fields, &dst->n_procedures};
    for (int g = 0; g < 2; g++) {
        if (n_from[g] && !(*to[g] = calloc(n_from[g], sizeof **to[g])))
            goto nomem;
        for (size_t i = 0; i < n_from[g]; i++, (*n_to[g])++) {
            (*to[g])[i] = from[g][i];
            (*to[g])[i].code = dup_or_null(from[g][i].code, &ok);
            (*to[g])[i].name = dup_or_null(from[g][i].name, &ok);
        }
    }
    if (src->n_rows && !(dst->rows = calloc(src->n_rows, sizeof *dst->rows)))
        goto nomem;
    for (size_t i = 0; i < src->n_rows; i++, dst->n_rows++) {
        dst->rows[i] = src->rows[i];
        dst->rows[i].unit_code = dup_or_null(src->rows[i].unit_code, &ok);
        dst->rows[i].unit_name = dup_or_null(src->rows[i].unit_name, &ok);
    }
    if (src->n_targets && !(dst->targets = calloc(src->n_targets, sizeof *dst->targets)))
        goto nomem;
    for (size_t i = 0; i < src->n_targets; i++, dst->n_targets++) {
        dst->targets[i] = src->targets[i];
        dst->targets[i].unit_code = dup_or_null(src->targets[i].unit_code, &ok);
        dst->targets[i].indicator = dup_or_null(src->targets[i].indicator, &ok);
        dst->targets[i].source = dup_or_null(src->targets[i].source, &ok);
    }
    if (src->n_quality && !(dst->quality = calloc(src->n_quality, sizeof *dst->quality)))
        goto nomem;
    for (size_t i = 0; i < src->n_quality; i++, dst->n_quality++) {
        dst->quality[i].name = dup_or_null(src->quality[i].name, &ok);
        dst->quality[i].value = dup_or_null(src->quality[i].value, &ok);
        dst->quality[i].status = dup_or_null(src->quality[i].status, &ok);
        dst->quality[i].detail = dup_or_null(src->quality[i].detail, &ok);
    }
    if (src->n_trend && !(dst->trend = calloc(src->n_trend, sizeof *dst->trend)))
        goto nomem;
    for (size_t i = 0; i < src->n_trend; i++, dst->n_trend++)
        if (mc_report_copy(&dst->trend[i], &src->trend[i]) != 0)
            goto nomem;
    if (ok)
        return 0;
nomem:
    mc_report_free(dst);
    return -1;
}
