/*
 * test_cases.c -- reports/cases.c and what it stands on in figures.c: a
 * case's bucket and days late (mc_figures_classify), the --only names, and
 * the lists of a small store: their order, their scope (--unit), their
 * rows, and that each count of the units table has as many listed cases.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reports/cases.h"
#include "reports/figures.h"
#include "tests/unit/tmpstore.h"
#include "transforms/dates.h"

static char path[64], reg_path[96];
static mc_units *reg;

static int64_t day(int y, unsigned m, unsigned d)
{
    return mc_days_from_civil(y, m, d);
}

/* ---- classification ------------------------------------------------------ */

static mc_case_facts facts(int status, int64_t received, int64_t due, int64_t end)
{
    mc_case_facts f;
    memset(&f, 0, sizeof f);
    f.status = status;
    f.channel = 1;
    f.received_day = received;
    f.has_due = due >= 0;
    f.due_day = due;
    f.has_end = end >= 0;
    f.end_day = end;
    f.has_fee = f.paid_online = f.digitized = f.e_result = MC_FLAG_ABSENT;
    return f;
}

Test(classify, every_bucket_and_its_days_late)
{
    int64_t S = day(2025, 7, 1), A = day(2025, 9, 30);
    mc_case_class k;
    mc_case_facts f = facts(10, day(2025, 7, 2), day(2025, 7, 10), day(2025, 7, 15));
    cr_assert_eq(mc_figures_classify(&f, S, A, &k), 1);
    cr_assert_eq(k.bucket, MC_BUCKET_RESOLVED_LATE);
    cr_assert(k.has_days_late);
    cr_assert_eq(k.days_late, 5);
    cr_assert_eq(k.c[MC_C_LATE_TOTAL], 1);

    f = facts(10, day(2025, 7, 2), day(2025, 7, 10), day(2025, 7, 9));
    mc_figures_classify(&f, S, A, &k);
    cr_assert_eq(k.bucket, MC_BUCKET_RESOLVED_EARLY);
    cr_assert_not(k.has_days_late);

    f = facts(7, day(2025, 7, 2), day(2025, 7, 10), day(2025, 7, 30)); /* withdrawn */
    mc_figures_classify(&f, S, A, &k);
    cr_assert_eq(k.bucket, MC_BUCKET_RESOLVED_ON_TIME);
    cr_assert_not(k.has_days_late);

    /* open since June, due 30/06: carried over, overdue by the as-of date */
    f = facts(4, day(2025, 6, 20), day(2025, 6, 30), -1);
    mc_figures_classify(&f, S, A, &k);
    cr_assert_eq(k.bucket, MC_BUCKET_IN_PROGRESS_OVERDUE);
    cr_assert_eq(k.days_late, 92);
    cr_assert_eq(k.c[MC_C_CARRIED_OVER], 1);

    /* paused: within whatever the due date */
    f = facts(5, day(2025, 9, 1), day(2025, 9, 10), -1);
    mc_figures_classify(&f, S, A, &k);
    cr_assert_eq(k.bucket, MC_BUCKET_IN_PROGRESS_WITHIN);
    cr_assert_not(k.has_days_late);

    /* ended after the as-of date: in progress at it, late by as-of - due */
    f = facts(10, day(2025, 9, 20), day(2025, 9, 28), day(2025, 10, 2));
    mc_figures_classify(&f, S, A, &k);
    cr_assert_eq(k.bucket, MC_BUCKET_IN_PROGRESS_OVERDUE);
    cr_assert_eq(k.days_late, 2);

    /* not counted: status 1, ended before the period, received after A */
    f = facts(1, day(2025, 7, 2), -1, -1);
    cr_assert_eq(mc_figures_classify(&f, S, A, &k), 0);
    f = facts(10, day(2025, 5, 1), -1, day(2025, 6, 1));
    cr_assert_eq(mc_figures_classify(&f, S, A, &k), 0);
    f = facts(2, day(2025, 10, 1), -1, -1);
    cr_assert_eq(mc_figures_classify(&f, S, A, &k), 0);
    cr_assert_str_eq(mc_bucket_name(MC_BUCKET_IN_PROGRESS_WITHIN), "in_progress_within");
}

Test(only, names_and_aliases)
{
    int o = 99;
    cr_assert_eq(mc_cases_only_parse("all", &o), 0);
    cr_assert_eq(o, MC_ONLY_ALL);
    cr_assert_eq(mc_cases_only_parse("late", &o), 0);
    cr_assert_eq(o, MC_C_LATE_TOTAL);
    cr_assert_eq(mc_cases_only_parse("overdue", &o), 0);
    cr_assert_eq(o, MC_C_IN_PROGRESS_OVERDUE);
    cr_assert_eq(mc_cases_only_parse("late_without_apology", &o), 0);
    cr_assert_eq(o, MC_ONLY_LATE_WITHOUT_APOLOGY);
    for (int c = 0; c < MC_C_CONTRACT_COUNT; c++) {
        cr_assert_eq(mc_cases_only_parse(mc_count_name((mc_count)c), &o), 0, "%d", c);
        cr_assert_eq(o, c);
        cr_assert_str_eq(mc_cases_only_name(c), mc_count_name((mc_count)c));
    }
    o = 99;
    cr_assert_eq(mc_cases_only_parse("Late", &o), -1);
    cr_assert_eq(mc_cases_only_parse("online_full_process", &o), -1); /* not a column */
    cr_assert_eq(mc_cases_only_parse("", &o), -1);
    cr_assert_eq(mc_cases_only_parse(NULL, &o), -1);
    cr_assert_eq(o, 99);
}

/* ---- lists of a store ------------------------------------------------------ */

/* A case of the store: its id, unit, status, dates as (month, day) of 2025
 * (month 0: none) and apology. */
typedef struct kase {
    const char *id, *unit;
    int status, channel;
    int rm, rd, dm, dd, em, ed;
    int apology;
} kase;

static const kase cases[] = {
    {"C-01", "U1", 10, 2, 7, 2, 7, 10, 7, 15, 0},   /* resolved late 5 */
    {"C-02", "U1", 4, 1, 6, 20, 6, 30, 0, 0, 1},    /* carried, overdue 92, apology */
    {"C-03", "U1", 10, 1, 7, 5, 7, 10, 7, 8, 0},    /* early */
    {"C-04", "U2", 4, 3, 9, 1, 9, 15, 0, 0, 0},     /* overdue 15 */
    {"C-05", "U2", 5, 1, 9, 1, 9, 10, 0, 0, 0},     /* paused: within */
    {"C-06", "P", 10, 2, 8, 1, 8, 10, 8, 20, 0},    /* late 10, at the parent itself */
    {"C-07", "U1", 1, 1, 7, 3, 0, 0, 0, 0, 0},      /* status 1: never */
    {"C-08", "U1", 10, 1, 5, 1, 5, 5, 6, 1, 0},     /* ended before: not counted */
    {"C-09", "X-OUT", 2, 2, 9, 20, 10, 1, 0, 0, 0}, /* a unit the registry lacks */
    {"C-10", "U1", 10, 1, 9, 20, 9, 28, 10, 2, 0},  /* ends after the as-of date: overdue 2 */
    {"C-11", "Q", 9, 1, 7, 1, 7, 1, 7, 1, 1},       /* on time, another province */
};
#define N_CASES (int)(sizeof cases / sizeof cases[0])

static mc_record rec_buf;

static mc_date date_of(int m, int d)
{
    return m ? day(2025, (unsigned)m, (unsigned)d) * MC_DATE_SCALE : MC_DATE_NONE;
}

static const mc_record *row_of(void *ctx, int i)
{
    (void)ctx;
    const kase *k = &cases[i];
    mc_record *r = &rec_buf;
    memset(r, 0, sizeof *r);
    r->case_id = k->id;
    r->unit_code = k->unit;
    r->status = k->status;
    r->channel = k->channel;
    r->received_at = date_of(k->rm, k->rd);
    r->due_at = date_of(k->dm, k->dd);
    r->finished_at = date_of(k->em, k->ed);
    r->new_due_at = r->returned_at = r->apology_at = r->updated_at = MC_DATE_NONE;
    r->apology = k->apology ? MC_FLAG_YES : MC_FLAG_NO;
    r->has_fee = r->paid_online = r->digitized = r->e_result = MC_FLAG_ABSENT;
    return r;
}

static mc_store *store;

static void setup(void)
{
    tmpstore_path(path, sizeof path, "mc-cases");
    snprintf(reg_path, sizeof reg_path, "%s.units.csv", path);
    FILE *f = fopen(reg_path, "w");
    cr_assert_not_null(f);
    fputs("code,name,parent,aliases,valid_from,valid_to\n"
          "P,Tỉnh P,,,,\nU1,Xã U1,P,,,\nU2,Xã U2,P,,,\nQ,Tỉnh Q,,,,\n", f);
    cr_assert_eq(fclose(f), 0);
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_units_load(reg_path, &reg, &err), 0, "%s", err.msg);
    store = tmpstore_load(path, N_CASES, 2, row_of, NULL);
}

static void teardown(void)
{
    mc_store_close(store);
    mc_units_free(reg);
    tmpstore_remove(path);
    unlink(reg_path);
}

static mc_figures_opts q3(const char *unit)
{
    mc_figures_opts o;
    memset(&o, 0, sizeof o);
    mc_error err;
    cr_assert_eq(mc_period_parse("2025-Q3", MC_CONV_CALENDAR, &o.period, &err), 0);
    o.units = reg;
    o.as_of = o.period.end;
    o.unit = unit;
    return o;
}

/* What a list gave: "UNIT/ID/DAYS" per row, joined by spaces. */
typedef struct seen {
    char text[2048];
    size_t len;
    unsigned long long hash;  /* FNV-1a of every row's text */
    int n;
    mc_case_row last_c10;     /* its strings die with the callback: */
    char c10_unit[64];        /* the unit's name, kept */
} seen;

static int collect(void *ctx, const mc_case_row *r, mc_error *err)
{
    (void)err;
    seen *s = ctx;
    char days[32] = "-", one[128];
    if (r->has_days_late)
        snprintf(days, sizeof days, "%lld", (long long)r->days_late);
    int n = snprintf(one, sizeof one, "%s%s/%s/%s", s->n ? " " : "", r->unit_code, r->case_id,
                     days);
    /* the text holds the first rows; the hash stands for all of them */
    if (s->len + (size_t)n < sizeof s->text) {
        memcpy(s->text + s->len, one, (size_t)n + 1);
        s->len += (size_t)n;
    }
    for (const char *p = one; *p; p++)
        s->hash = (s->hash ^ (unsigned char)*p) * 1099511628211ULL;
    if (strcmp(r->case_id, "C-10") == 0) {
        s->last_c10 = *r;
        snprintf(s->c10_unit, sizeof s->c10_unit, "%s", r->unit_name);
        cr_assert_str_eq(r->procedure_code, "");
    }
    s->n++;
    return 0;
}

static seen list(const char *unit, int only, mc_case_order order)
{
    mc_figures_opts o = q3(unit);
    mc_cases *c;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_cases_open(store, &o, &c, &err), 0, "%s", err.msg);
    seen s;
    memset(&s, 0, sizeof s);
    cr_assert_eq(mc_cases_each(c, only, order, collect, &s, &err), 0, "%s", err.msg);
    mc_cases_close(c);
    return s;
}

TestSuite(cases, .init = setup, .fini = teardown);

Test(cases, sorted_by_unit_then_days_late_then_id)
{
    seen s = list(NULL, MC_ONLY_ALL, MC_ORDER_UNIT);
    cr_assert_str_eq(s.text, "P/C-06/10 Q/C-11/- U1/C-02/92 U1/C-01/5 U1/C-10/2 U1/C-03/- "
                             "U2/C-04/15 U2/C-05/- X-OUT/C-09/-");
    /* SPEC 5's end even after the as-of date; codes; no days for the others */
    cr_assert_str_eq(s.last_c10.end_at, "2025-10-02");
    cr_assert_str_eq(s.last_c10.due_at, "2025-09-28");
    cr_assert_str_eq(s.last_c10.received_at, "2025-09-20");
    cr_assert_eq(s.last_c10.bucket, MC_BUCKET_IN_PROGRESS_OVERDUE);
    cr_assert_eq(s.last_c10.status, 10);
    cr_assert_eq(s.last_c10.carried_over, 0);
    cr_assert_str_eq(s.c10_unit, "Xã U1");
}

Test(cases, worst_first_without_apology)
{
    seen s = list(NULL, MC_ONLY_LATE_WITHOUT_APOLOGY, MC_ORDER_WORST);
    cr_assert_str_eq(s.text, "U2/C-04/15 P/C-06/10 U1/C-01/5 U1/C-10/2");
    s = list(NULL, MC_C_LATE_WITH_APOLOGY, MC_ORDER_UNIT);
    cr_assert_str_eq(s.text, "U1/C-02/92");
    s = list(NULL, MC_C_CARRIED_OVER, MC_ORDER_UNIT);
    cr_assert_str_eq(s.text, "U1/C-02/92");
}

Test(cases, a_unit_and_its_descendants)
{
    cr_assert_str_eq(list("U2", MC_ONLY_ALL, MC_ORDER_UNIT).text, "U2/C-04/15 U2/C-05/-");
    cr_assert_str_eq(list("P", MC_C_LATE_TOTAL, MC_ORDER_UNIT).text,
                     "P/C-06/10 U1/C-02/92 U1/C-01/5 U1/C-10/2 U2/C-04/15");
    /* a unit only the data names; its code as the store keeps it (NFC, folded) */
    cr_assert_str_eq(list("  X-OUT ", MC_ONLY_ALL, MC_ORDER_UNIT).text, "X-OUT/C-09/-");

    mc_figures_opts o = q3("NOPE");
    mc_cases *c = NULL;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_cases_open(store, &o, &c, &err), MC_EXIT_USAGE);
    cr_assert_null(c);
    cr_assert(strstr(err.msg, "--unit NOPE: no unit has this code") != NULL, "%s", err.msg);
    o = q3("");
    cr_assert_eq(mc_cases_open(store, &o, &c, &err), MC_EXIT_USAGE);
}

/* Count the rows of a list. */
static int count_row(void *ctx, const mc_case_row *r, mc_error *err)
{
    (void)r;
    (void)err;
    ++*(int64_t *)ctx;
    return 0;
}

/* Every count of every row of the units table (all units, then each unit
 * alone) has as many listed cases. */
Test(cases, every_count_has_its_cases)
{
    const char *scopes[] = {NULL, "P", "U1", "U2", "Q", "X-OUT"};
    for (size_t i = 0; i < sizeof scopes / sizeof scopes[0]; i++) {
        mc_figures_opts o = q3(scopes[i]);
        mc_report rep;
        mc_error err;
        mc_error_clear(&err);
        cr_assert_eq(mc_figures_compute(store, &o, &rep, &err), 0, "%s", err.msg);
        const mc_unit_row *all = &rep.rows[rep.n_rows - 1];
        cr_assert_str_eq(all->unit_code, "ALL");
        if (scopes[i]) {
            /* the scope's row is the first; ALL sums the same cases */
            cr_assert_str_eq(rep.rows[0].unit_code, scopes[i]);
            cr_assert_eq(memcmp(rep.rows[0].c, all->c, sizeof all->c), 0, "%s", scopes[i]);
        }
        mc_cases *c;
        cr_assert_eq(mc_cases_open(store, &o, &c, &err), 0, "%s", err.msg);
        for (int k = -1; k < MC_C_CONTRACT_COUNT + 1; k++) {
            int only = k < 0 ? MC_ONLY_ALL : k == MC_C_CONTRACT_COUNT ? MC_ONLY_LATE_WITHOUT_APOLOGY : k;
            int64_t want = k < 0 ? all->c[MC_C_RECEIVED_TOTAL]
                         : k == MC_C_CONTRACT_COUNT
                             ? all->c[MC_C_LATE_TOTAL] - all->c[MC_C_LATE_WITH_APOLOGY]
                             : all->c[k];
            int64_t n = 0;
            cr_assert_eq(mc_cases_each(c, only, MC_ORDER_UNIT, count_row, &n, &err), 0);
            cr_assert_eq(n, want, "scope %s, %s: %lld listed, %lld counted",
                         scopes[i] ? scopes[i] : "all", mc_cases_only_name(only), (long long)n,
                         (long long)want);
        }
        mc_cases_close(c);
        mc_report_free(&rep);
    }
}

Test(cases, the_units_table_of_one_unit)
{
    mc_figures_opts o = q3("P");
    mc_report rep;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_figures_compute(store, &o, &rep, &err), 0, "%s", err.msg);
    cr_assert_eq(rep.n_rows, 4);
    cr_assert_str_eq(rep.rows[0].unit_code, "P");
    cr_assert_str_eq(rep.rows[1].unit_code, "U1");
    cr_assert_str_eq(rep.rows[2].unit_code, "U2");
    cr_assert_str_eq(rep.reporting_unit, "Tỉnh P");
    cr_assert_eq(rep.rows[3].c[MC_C_RECEIVED_TOTAL], 7);
    mc_report_free(&rep);

    o = q3(NULL);
    cr_assert_eq(mc_figures_compute(store, &o, &rep, &err), 0, "%s", err.msg);
    cr_assert_str_eq(rep.reporting_unit, "");
    cr_assert_eq(rep.rows[rep.n_rows - 1].c[MC_C_RECEIVED_TOTAL], 9);
    mc_report_free(&rep);

    o = q3("NOPE");
    cr_assert_eq(mc_figures_compute(store, &o, &rep, &err), MC_EXIT_USAGE);
}

/* The machine CSV of SPEC 12, to the letter; the people's form. */
Test(cases, csv_contract)
{
    mc_figures_opts o = q3("P");
    mc_cases *c;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_cases_open(store, &o, &c, &err), 0, "%s", err.msg);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    cr_assert_eq(mc_write_cases_csv(out, c, MC_C_RESOLVED_LATE, 0, &err), 0, "%s", err.msg);
    fclose(out);
    cr_assert_str_eq(buf,
                     "period,unit_code,unit_name,case_id,procedure_code,procedure_name,"
                     "field_name,channel,status,received_at,due_at,end_at,bucket,carried_over,"
                     "days_late,apology\n"
                     "2025-Q3,P,Tỉnh P,C-06,,,,2,10,2025-08-01,2025-08-10,2025-08-20,"
                     "resolved_late,0,10,0\n"
                     "2025-Q3,U1,Xã U1,C-01,,,,2,10,2025-07-02,2025-07-10,2025-07-15,"
                     "resolved_late,0,5,0\n");
    free(buf);
    out = open_memstream(&buf, &len);
    cr_assert_eq(mc_write_cases_csv(out, c, MC_C_LATE_WITH_APOLOGY, 1, &err), 0, "%s", err.msg);
    fclose(out);
    cr_assert_str_eq(buf,
                     "\xEF\xBB\xBF"
                     "Kỳ báo cáo,Mã đơn vị,Tên đơn vị,Mã hồ sơ,Mã TTHC,Tên TTHC,Lĩnh vực,Kênh nộp,"
                     "Trạng thái,Ngày tiếp nhận,Ngày hẹn trả,Ngày kết thúc,Phân loại,"
                     "Từ kỳ trước chuyển qua,Số ngày trễ hạn,Có văn bản xin lỗi\r\n"
                     "2025-Q3,U1,Xã U1,C-02,,,,Trực tiếp,Đang xử lý,20/06/2025,30/06/2025,,"
                     "Đang giải quyết quá hạn,Có,92,Có\r\n");
    free(buf);
    mc_cases_close(c);
}

/* ---- many cases: the bounds of the page, kept lists ----------------------- */

#define N_MANY 620

/* Case i: open at U1 or U2 (by seventies) since 2025-07-01, due 2025-07-01 + i % 70 days, an
 * apology for every tenth: overdue by 91 - i % 70 days on 2025-09-30. */
static const mc_record *many_row(void *ctx, int i)
{
    static char id[32];
    (void)ctx;
    mc_record *r = &rec_buf;
    memset(r, 0, sizeof *r);
    snprintf(id, sizeof id, "M-%04d", i);
    r->case_id = id;
    r->unit_code = i / 70 % 2 ? "U1" : "U2";
    r->status = 4;
    r->channel = 1;
    r->received_at = date_of(7, 1);
    r->due_at = (day(2025, 7, 1) + i % 70) * MC_DATE_SCALE;
    r->finished_at = r->new_due_at = r->returned_at = r->apology_at = MC_DATE_NONE;
    r->updated_at = MC_DATE_NONE;
    r->apology = i % 10 == 0 ? MC_FLAG_YES : MC_FLAG_NO;
    r->has_fee = r->paid_online = r->digitized = r->e_result = MC_FLAG_ABSENT;
    return r;
}

static void setup_many(void)
{
    setup();
    mc_store_close(store);
    tmpstore_remove(path);
    store = tmpstore_load(path, N_MANY, 2, many_row, NULL);
}

TestSuite(many, .init = setup_many, .fini = teardown);

Test(many, first_and_count)
{
    mc_figures_opts o = q3(NULL);
    mc_cases *c;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_cases_open(store, &o, &c, &err), 0, "%s", err.msg);
    int64_t n = 0;
    cr_assert_eq(mc_cases_count(c, MC_ONLY_LATE_WITHOUT_APOLOGY, &n, &err), 0, "%s", err.msg);
    cr_assert_eq(n, N_MANY - N_MANY / 10);
    seen s;
    memset(&s, 0, sizeof s);
    cr_assert_eq(mc_cases_each_first(c, MC_ONLY_ALL, MC_ORDER_WORST, 3, collect, &s, &err), 0);
    /* ties: U1 before U2, then by id */
    cr_assert_str_eq(s.text, "U1/M-0070/91 U1/M-0210/91 U1/M-0350/91");
    mc_cases_close(c);
}

/* Kept lists of two periods from one read: each lists what it would alone,
 * and a part of the kept selection too. */
Test(many, kept_for_two_periods)
{
    mc_figures_opts o[2] = {q3(NULL), q3("U1")};
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_period_parse("2025-08", MC_CONV_CALENDAR, &o[1].period, &err), 0);
    o[1].as_of = o[1].period.end;
    mc_cases *alone[2], *kept[2];
    seen want[2][2], got[2][2];
    for (int k = 0; k < 2; k++) {
        cr_assert_eq(mc_cases_open(store, &o[k], &alone[k], &err), 0, "%s", err.msg);
        cr_assert_eq(mc_cases_open(store, &o[k], &kept[k], &err), 0, "%s", err.msg);
    }
    cr_assert_eq(mc_cases_keep_many(kept, 2, MC_C_LATE_TOTAL, &err), 0, "%s", err.msg);
    cr_assert_eq(mc_cases_keep(kept[0], MC_C_LATE_TOTAL, &err), MC_EXIT_SOFTWARE);
    int only[2] = {MC_C_LATE_TOTAL, MC_ONLY_LATE_WITHOUT_APOLOGY};
    for (int k = 0; k < 2; k++)
        for (int j = 0; j < 2; j++) {
            memset(&want[k][j], 0, sizeof want[k][j]);
            memset(&got[k][j], 0, sizeof got[k][j]);
            cr_assert_eq(mc_cases_each(alone[k], only[j], MC_ORDER_UNIT, collect, &want[k][j],
                                       &err), 0);
            cr_assert_eq(mc_cases_each(kept[k], only[j], MC_ORDER_UNIT, collect, &got[k][j],
                                       &err), 0);
            cr_assert_str_eq(got[k][j].text, want[k][j].text);
            cr_assert_eq(got[k][j].hash, want[k][j].hash);
            cr_assert_eq(got[k][j].n, want[k][j].n);
            cr_assert_gt(got[k][j].n, 100);
        }
    cr_assert_lt(got[1][0].n, got[0][0].n); /* August, U1 only: fewer */
    for (int k = 0; k < 2; k++) {
        mc_cases_close(alone[k]);
        mc_cases_close(kept[k]);
    }
    /* the temporary table went with the last list */
    sqlite3_stmt *q;
    cr_assert_eq(sqlite3_prepare_v2(mc_store_db(store), "SELECT count(*) FROM temp.sqlite_schema",
                                    -1, &q, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_step(q), SQLITE_ROW);
    cr_assert_eq(sqlite3_column_int(q, 0), 0);
    sqlite3_finalize(q);
}

/* The page lists the 500 worst late cases without an apology and says how
 * many more there are. */
Test(many, page_bounds_the_late_section)
{
    mc_figures_opts o = q3(NULL);
    mc_report rep;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_figures_compute(store, &o, &rep, &err), 0, "%s", err.msg);
    cr_assert_eq(mc_cases_open(store, &o, &rep.cases, &err), 0, "%s", err.msg);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    cr_assert_eq(mc_write_html(out, &rep, MC_TABLE_UNITS, &err), 0, "%s", err.msg);
    fclose(out);
    const char *sec = strstr(buf, "<h2>4. Hồ sơ trễ hạn chưa có văn bản xin lỗi</h2>");
    cr_assert_not_null(sec);
    int rows = 0;
    for (const char *p = sec; (p = strstr(p, "<tr><td>")); p++)
        rows++;
    cr_assert_eq(rows, 500);
    cr_assert_not_null(strstr(sec, "còn 58 hồ sơ nữa"), "%s", sec + strlen(sec) - 300);
    /* worst first: the 91 days late all have an apology; 90 comes first */
    const char *first = strstr(sec, "<td class=\"n\">");
    cr_assert_not_null(first);
    cr_assert_eq(strncmp(first, "<td class=\"n\">90</td><td class=\"missed\">chưa có</td>", 50), 0,
                 "%.80s", first);
    free(buf);
    mc_cases_close(rep.cases);
    mc_report_free(&rep);
}
