/*
 * write_util.c -- helpers shared by the report writers; see write_util.h.
 */
#include "reports/write_util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const mc_target_row *mc_wu_target(const mc_report *rep, const char *unit_code,
                                  const char *indicator)
{
    if (!rep || !unit_code || !indicator)
        return NULL;
    for (size_t i = 0; i < rep->n_targets; i++) {
        const mc_target_row *t = &rep->targets[i];
        if (t->unit_code && t->indicator && strcmp(t->unit_code, unit_code) == 0 &&
            strcmp(t->indicator, indicator) == 0)
            return t;
    }
    return NULL;
}

int mc_wu_has_targets_for(const mc_report *rep, const char *indicator)
{
    for (size_t i = 0; rep && i < rep->n_targets; i++)
        if (rep->targets[i].indicator && strcmp(rep->targets[i].indicator, indicator) == 0)
            return 1;
    return 0;
}

int mc_wu_rate_of(const char *indicator)
{
    for (int r = 0; indicator && r < MC_R_COUNT; r++)
        if (strcmp(mc_rate_name((mc_rate)r), indicator) == 0)
            return r;
    return -1;
}

void mc_wu_date_vi(const char *iso, char *out, size_t cap)
{
    const char *s = mc_wu_str(iso);
    int ok = strlen(s) == 10 && s[4] == '-' && s[7] == '-';
    for (int i = 0; ok && i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            ok = 0;
    if (cap == 0)
        return;
    if (ok && cap >= 11) {
        memcpy(out, s + 8, 2);
        out[2] = '/';
        memcpy(out + 3, s + 5, 2);
        out[5] = '/';
        memcpy(out + 6, s, 4);
        out[10] = '\0';
        return;
    }
    size_t n = strlen(s);
    if (n >= cap)
        n = cap - 1;
    memcpy(out, s, n);
    out[n] = '\0';
}

int mc_wu_formula_risk(const char *s)
{
    if (!s)
        return 0;
    return s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
           s[0] == '\t' || s[0] == '\r';
}

int mc_wu_is_number(const char *s)
{
    if (!s)
        return 0;
    if (*s == '-')
        s++;
    if (!isdigit((unsigned char)*s))
        return 0;
    while (isdigit((unsigned char)*s))
        s++;
    if (*s == '.') {
        s++;
        if (!isdigit((unsigned char)*s))
            return 0;
        while (isdigit((unsigned char)*s))
            s++;
    }
    return *s == '\0';
}

const char *mc_wu_status_vi(const char *status)
{
    const char *s = mc_wu_str(status);
    if (strcmp(s, "met") == 0)
        return "Đạt";
    if (strcmp(s, "missed") == 0)
        return "Không đạt";
    if (strcmp(s, "no data") == 0)
        return "Không có số liệu";
    return s;
}

const char *mc_wu_quality_status_vi(const char *status)
{
    const char *s = mc_wu_str(status);
    if (strcmp(s, "ok") == 0)
        return "Tốt";
    if (strcmp(s, "warning") == 0)
        return "Cảnh báo";
    if (strcmp(s, "error") == 0)
        return "Lỗi";
    return s;
}

const char *mc_wu_op_vi(const char *op)
{
    const char *s = mc_wu_str(op);
    if (strcmp(s, ">=") == 0)
        return "≥";
    if (strcmp(s, "<=") == 0)
        return "≤";
    return s;
}

const char *mc_wu_row_label(const mc_unit_row *row)
{
    if (row->kind == MC_ROW_ALL)
        return "Tổng cộng";
    if (row->unit_name && row->unit_name[0])
        return row->unit_name;
    return mc_wu_str(row->unit_code);
}

const char *mc_wu_group_label(const mc_group_row *row, int by_procedure)
{
    if (row->kind == MC_ROW_ALL)
        return "Tổng cộng";
    if (row->name && row->name[0])
        return row->name;
    if (by_procedure && row->code && row->code[0])
        return row->code;
    return by_procedure ? "(không rõ thủ tục)" : "(không rõ lĩnh vực)";
}

int mc_wu_has_table(const mc_report *rep, mc_table t)
{
    if (t == MC_TABLE_FIELDS)
        return (rep->groups & MC_GROUPS_FIELD) != 0;
    if (t == MC_TABLE_PROCEDURES)
        return (rep->groups & MC_GROUPS_PROCEDURE) != 0;
    return 1;
}

char *mc_wu_fmt2(double v, int plus, char *out, size_t cap)
{
    char ten[64];
    int neg = v < 0;
    snprintf(ten, sizeof ten, "%.10f", neg ? -v : v);
    char *dot = strchr(ten, '.');
    if (!dot || strlen(ten) > 40) { /* not finite, or beyond any rate */
        snprintf(out, cap, "%.2f", v);
        return out;
    }
    /* whole part and two decimals as one integer of hundredths */
    unsigned long long hundredths = strtoull(ten, NULL, 10) * 100ULL +
                                    (unsigned long long)((dot[1] - '0') * 10 + (dot[2] - '0'));
    if (dot[3] >= '5')
        hundredths++;
    if (hundredths == 0)
        neg = 0;
    snprintf(out, cap, "%s%llu.%02llu", neg ? "-" : plus ? "+" : "", hundredths / 100,
             hundredths % 100);
    return out;
}

const mc_unit_row *mc_wu_row(const mc_report *rep, const char *unit_code)
{
    for (size_t i = 0; rep && unit_code && i < rep->n_rows; i++)
        if (rep->rows[i].unit_code && strcmp(rep->rows[i].unit_code, unit_code) == 0)
            return &rep->rows[i];
    return NULL;
}

const mc_rate mc_wu_trend_rates[MC_WU_TREND_RATES] = {
    MC_R_ON_TIME, MC_R_LATE_WITH_APOLOGY, MC_R_ONLINE,
};

typedef struct trend_unit {
    const char *code;
    int64_t received;
} trend_unit;

static int by_received(const void *a, const void *b)
{
    const trend_unit *x = a, *y = b;
    if (x->received != y->received)
        return x->received > y->received ? -1 : 1;
    return strcmp(x->code, y->code);
}

static int by_code(const void *a, const void *b)
{
    return strcmp(((const trend_unit *)a)->code, ((const trend_unit *)b)->code);
}

size_t mc_wu_trend_units(const mc_report *rep, const char **codes, size_t max, size_t *left)
{
    if (left)
        *left = 0;
    if (!rep || !rep->trend || max == 0)
        return 0;
    size_t cap = 0, n = 0;
    for (size_t m = 0; m < rep->n_trend; m++)
        cap += rep->trend[m].n_rows;
    trend_unit *u = calloc(cap ? cap : 1, sizeof *u);
    if (!u) { /* ALL alone still says the most */
        codes[0] = "ALL";
        return 1;
    }
    for (size_t m = 0; m < rep->n_trend; m++)
        for (size_t i = 0; i < rep->trend[m].n_rows; i++) {
            const mc_unit_row *row = &rep->trend[m].rows[i];
            if (row->kind == MC_ROW_ALL || row->depth != 0 || !row->unit_code)
                continue;
            size_t j = 0;
            while (j < n && strcmp(u[j].code, row->unit_code) != 0)
                j++;
            if (j == n)
                u[n++].code = row->unit_code;
            u[j].received += row->c[MC_C_RECEIVED_NEW];
        }
    size_t keep = n < max - 1 ? n : max - 1;
    if (n > keep)
        qsort(u, n, sizeof *u, by_received);
    qsort(u, keep, sizeof *u, by_code);
    codes[0] = "ALL";
    for (size_t j = 0; j < keep; j++)
        codes[1 + j] = u[j].code;
    if (left)
        *left = n - keep;
    free(u);
    return 1 + keep;
}

int mc_wu_month_unstarted(const mc_report *month)
{
    /* ISO dates compare as text */
    return strcmp(month->as_of, month->period_start) < 0;
}

char *mc_wu_vi_number(const char *c_decimal, char *out, size_t cap)
{
    const char *s = c_decimal;
    size_t o = 0;
    if (cap == 0)
        return out;
    if (!mc_wu_is_number(s)) {
        snprintf(out, cap, "%s", s);
        return out;
    }
    if (*s == '-' && o + 1 < cap)
        out[o++] = *s++;
    size_t whole = strcspn(s, ".");
    for (size_t i = 0; i < whole && o + 2 < cap; i++) {
        /* a '.' before every group of three digits that is not the first */
        if (i > 0 && (whole - i) % 3 == 0)
            out[o++] = '.';
        out[o++] = s[i];
    }
    if (s[whole] == '.' && o + 1 < cap) {
        out[o++] = ',';
        for (const char *d = s + whole + 1; *d && o + 1 < cap; d++)
            out[o++] = *d;
    }
    out[o] = '\0';
    return out;
}

char *mc_wu_vi_count(int64_t n, char *out, size_t cap)
{
    char c[32];
    snprintf(c, sizeof c, "%lld", (long long)n);
    return mc_wu_vi_number(c, out, cap);
}

char *mc_wu_vi_rate(double pct, char *out, size_t cap)
{
    char c[64];
    mc_wu_fmt2(pct, 0, c, sizeof c);
    return mc_wu_vi_number(c, out, cap);
}
