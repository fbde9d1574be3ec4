/*
 * cases.c -- the cases behind the numbers; see cases.h.
 *
 * One SQL statement reads the case rows of the period's window (as the
 * figures' scan does), asks a function registered for the statement's
 * life whether each case is listed and where it sorts, and lets SQLite
 * sort the listed ones: its sorter keeps a bounded amount in memory and
 * spills the rest to temporary files, so a list of millions streams.  The
 * function places and classifies a case through mc_report_units_of and
 * mc_figures_classify, the same calls the units table counts with.
 */
#include "reports/cases.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "transforms/dates.h"
#include "transforms/record.h"

#define SORT_FN "motcua_case_sort"

/* Days late in a sort key: larger first, none after every number. */
#define DAYS_NONE 0x3FFFFFFFLL

struct mc_cases {
    mc_store *s;
    mc_report_units *m;
    int64_t start, as_of;          /* day numbers */
    mc_cases_info info;
    char unit_code[1024];          /* the scope as given, for the headings */
    /* the list being read, for the SQL function */
    int only;
    mc_case_order order;
    int has_bad_unit;
    int64_t bad_unit;
    struct kept *kept;             /* the cases mc_cases_keep_many kept, or NULL */
    int64_t kept_bit;              /* this list's bit of their mask */
};

/* A temporary table of the cases mc_cases_keep_many read for several
 * lists, each marking its own in the mask column; dropped with the last. */
typedef struct kept {
    char name[64];
    int refs;
} kept;

static void kept_release(mc_cases *c)
{
    kept *t = c->kept;
    c->kept = NULL;
    if (!t || --t->refs > 0)
        return;
    char sql[128];
    snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS temp.%s", t->name);
    sqlite3_exec(mc_store_db(c->s), sql, NULL, NULL, NULL);
    free(t);
}

/* The selections --only takes, by name; aliases after the names. */
static const struct {
    const char *name;
    int only;
} only_names[] = {
    {"all", MC_ONLY_ALL},
    {"received_total", MC_C_RECEIVED_TOTAL},
    {"received_new", MC_C_RECEIVED_NEW},
    {"received_online", MC_C_RECEIVED_ONLINE},
    {"received_offline", MC_C_RECEIVED_OFFLINE},
    {"carried_over", MC_C_CARRIED_OVER},
    {"resolved_total", MC_C_RESOLVED_TOTAL},
    {"resolved_early", MC_C_RESOLVED_EARLY},
    {"resolved_on_time", MC_C_RESOLVED_ON_TIME},
    {"resolved_late", MC_C_RESOLVED_LATE},
    {"in_progress_total", MC_C_IN_PROGRESS_TOTAL},
    {"in_progress_within", MC_C_IN_PROGRESS_WITHIN},
    {"in_progress_overdue", MC_C_IN_PROGRESS_OVERDUE},
    {"late_total", MC_C_LATE_TOTAL},
    {"late_with_apology", MC_C_LATE_WITH_APOLOGY},
    {"late_without_apology", MC_ONLY_LATE_WITHOUT_APOLOGY},
    {"late", MC_C_LATE_TOTAL},
    {"overdue", MC_C_IN_PROGRESS_OVERDUE},
};
#define N_ONLY (sizeof only_names / sizeof only_names[0])

const char mc_cases_only_help[] =
    "all, received_total, received_new, received_online, received_offline, carried_over, "
    "resolved_total, resolved_early, resolved_on_time, resolved_late, in_progress_total, "
    "in_progress_within, in_progress_overdue (or overdue), late_total (or late), "
    "late_with_apology, late_without_apology";

int mc_cases_only_parse(const char *s, int *only)
{
    for (size_t i = 0; s && i < N_ONLY; i++)
        if (strcmp(s, only_names[i].name) == 0) {
            *only = only_names[i].only;
            return 0;
        }
    return -1;
}

const char *mc_cases_only_name(int only)
{
    for (size_t i = 0; i < N_ONLY; i++)
        if (only_names[i].only == only)
            return only_names[i].name;
    return "";
}

const char *mc_cases_only_label_vi(int only)
{
    if (only == MC_ONLY_ALL)
        return "Tất cả hồ sơ";
    if (only == MC_ONLY_LATE_WITHOUT_APOLOGY)
        return "Hồ sơ trễ hạn chưa có văn bản xin lỗi";
    return only >= 0 && only < MC_C_COUNT ? mc_count_label_vi((mc_count)only) : "";
}

/* 1 when a counted case of class k belongs to selection only. */
static int selected(const mc_case_class *k, int only)
{
    if (only == MC_ONLY_ALL)
        return 1;
    if (only == MC_ONLY_LATE_WITHOUT_APOLOGY)
        return k->c[MC_C_LATE_TOTAL] && !k->c[MC_C_LATE_WITH_APOLOGY];
    return only >= 0 && only < MC_C_COUNT && k->c[only] != 0;
}

const char *mc_bucket_label_vi(mc_bucket b)
{
    static const char *const labels[] = {
        "Đã giải quyết trước hạn", "Đã giải quyết đúng hạn", "Đã giải quyết quá hạn",
        "Đang giải quyết trong hạn", "Đang giải quyết quá hạn",
    };
    return (unsigned)b < sizeof labels / sizeof labels[0] ? labels[b] : "";
}

const char *mc_channel_label_vi(int channel)
{
    static const char *const labels[] = {"", "Trực tiếp", "Trực tuyến",
                                         "Qua dịch vụ bưu chính công ích"};
    return channel >= 1 && channel <= 3 ? labels[channel] : "";
}

const char *mc_status_label_vi(int status)
{
    /* the official texts of SPEC 1.4 */
    static const char *const labels[] = {
        "", "Mới đăng ký", "Được tiếp nhận", "Không được tiếp nhận", "Đang xử lý",
        "Yêu cầu bổ sung giấy tờ", "Yêu cầu thực hiện nghĩa vụ tài chính",
        "Công dân yêu cầu rút hồ sơ", "Dừng xử lý", "Đã xử lý xong", "Đã trả kết quả",
    };
    return status >= 1 && status <= 10 ? labels[status] : "";
}

int mc_cases_open(mc_store *s, const mc_figures_opts *o, mc_cases **out, mc_error *err)
{
    *out = NULL;
    mc_cases *c = calloc(1, sizeof *c);
    if (!c)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory");
    int st = mc_report_units_new(s, o->units, o->unit, &c->m, err);
    if (st) {
        free(c);
        return st;
    }
    c->s = s;
    c->start = o->period.start;
    c->as_of = o->as_of;
    snprintf(c->info.period, sizeof c->info.period, "%s", o->period.canon);
    mc_day_format(o->period.start, c->info.period_start);
    mc_day_format(o->period.end, c->info.period_end);
    mc_day_format(o->as_of, c->info.as_of);
    if (o->unit) {
        snprintf(c->unit_code, sizeof c->unit_code, "%s", o->unit);
        c->info.unit_code = c->unit_code;
        c->info.unit_name = mc_report_units_scope_name(c->m);
    }
    *out = c;
    return 0;
}

void mc_cases_close(mc_cases *c)
{
    if (!c)
        return;
    kept_release(c);
    mc_report_units_free(c->m);
    free(c);
}

const mc_cases_info *mc_cases_get_info(const mc_cases *c)
{
    return &c->info;
}

/* The SQL function's arguments (facts, received_at, due_at, end_at) as
 * the figures read a case row. */
static void scan_row_of(sqlite3_value **v, mc_scan_row *r)
{
    r->facts = sqlite3_value_int64(v[0]);
    r->received_at = sqlite3_value_int64(v[1]);
    r->has_due = sqlite3_value_type(v[2]) != SQLITE_NULL;
    r->due_at = r->has_due ? sqlite3_value_int64(v[2]) : 0;
    r->has_end = sqlite3_value_type(v[3]) != SQLITE_NULL;
    r->end_at = r->has_end ? sqlite3_value_int64(v[3]) : 0;
}

/* Place and classify the case of r: 1 when it is listed (then *ix, *f and
 * *k are filled), 0 when not, -1 when it names an unknown unit id. */
static int place(mc_cases *c, const mc_scan_row *r, size_t *ix, mc_case_facts *f,
                 mc_case_class *k)
{
    mc_figures_facts(r, f);
    int in = mc_report_units_of(c->m, r->facts, f->received_day, ix);
    if (in < 0)
        return -1;
    return in && mc_figures_classify(f, c->start, c->as_of, k) && selected(k, c->only);
}

/* The SQL function motcua_case_sort(facts, received_at, due_at, end_at):
 * NULL for a case that is not listed, else its place in the list's order
 * (the case id breaks ties). */
static void sort_key(sqlite3_context *cx, int argc, sqlite3_value **v)
{
    (void)argc;
    mc_cases *c = sqlite3_user_data(cx);
    mc_scan_row r;
    scan_row_of(v, &r);
    size_t ix;
    mc_case_facts f;
    mc_case_class k;
    int listed = place(c, &r, &ix, &f, &k);
    if (listed < 0) {
        c->has_bad_unit = 1;
        c->bad_unit = mc_facts_unit(r.facts);
        sqlite3_result_error(cx, "a case names a unit id the store does not know", -1);
        return;
    }
    if (!listed) {
        sqlite3_result_null(cx);
        return;
    }
    int64_t days = k.days_late < 0 ? 0 : k.days_late >= DAYS_NONE ? DAYS_NONE - 1 : k.days_late;
    int64_t day_key = k.has_days_late ? DAYS_NONE - 1 - days : DAYS_NONE;
    int64_t rank = (int64_t)mc_report_units_rank(c->m, ix);
    sqlite3_result_int64(cx, c->order == MC_ORDER_UNIT ? rank << 30 | day_key
                                                       : day_key << 32 | rank);
}

/* The procedure and field of the case on q's current row.  The store does
 * not keep them yet (SPEC 11: its next layout will, dictionary-coded);
 * until then they are empty.  This is the one place to read them from. */
static void procedure_and_field(sqlite3_stmt *q, mc_case_row *row)
{
    (void)q;
    row->procedure_code = "";
    row->procedure_name = "";
    row->field_name = "";
}

/* Prepare the list of selection only in order: select, then FROM the
 * store (or the kept cases) and the period's window, then tail; the SQL
 * function registered for it. */
static int prepare_list(mc_cases *c, const char *select, const char *tail, int only,
                        mc_case_order order, sqlite3_stmt **q, mc_error *err)
{
    sqlite3 *db = mc_store_db(c->s);
    char sql[768];
    *q = NULL;
    c->only = only;
    c->order = order;
    c->has_bad_unit = 0;
    if (c->kept)
        snprintf(sql, sizeof sql, "%s FROM temp.%s WHERE (mask & ?3) != 0 AND received_at < ?1"
                 " AND (end_at IS NULL OR end_at >= ?2)%s", select, c->kept->name, tail);
    else
        snprintf(sql, sizeof sql, "%s FROM case_rows WHERE received_at < ?1"
                 " AND (end_at IS NULL OR end_at >= ?2)%s", select, tail);
    int rc = sqlite3_create_function_v2(db, SORT_FN, 4, SQLITE_UTF8 | SQLITE_DETERMINISTIC, c,
                                        sort_key, NULL, NULL, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_prepare_v2(db, sql, -1, q, NULL)) == SQLITE_OK) {
        sqlite3_bind_int64(*q, 1, (c->as_of + 1) * MC_DATE_SCALE);
        sqlite3_bind_int64(*q, 2, c->start * MC_DATE_SCALE);
        if (c->kept)
            sqlite3_bind_int64(*q, 3, c->kept_bit);
        return 0;
    }
    return mc_store_fail(c->s, rc, "listing the cases", err);
}

/* The statement of a list is done with (q may be NULL): the SQL function
 * fn goes with it.  rc is its last sqlite3_step result; a failure becomes
 * the status returned, the one the function met named. */
static int end_list(mc_cases *c, const char *fn, sqlite3_stmt *q, int rc, mc_error *err)
{
    int st = 0;
    if (q && rc != SQLITE_DONE) {
        if (c->has_bad_unit)
            st = mc_error_set(err, MC_EXIT_SOFTWARE, "%s: a case names unit id %lld that the "
                              "store does not know; run 'motcua check'", mc_store_path(c->s),
                              (long long)c->bad_unit);
        else
            st = mc_store_fail(c->s, rc, "listing the cases", err);
    }
    sqlite3_finalize(q);
    sqlite3_create_function_v2(mc_store_db(c->s), fn, 4, SQLITE_UTF8, NULL, NULL, NULL, NULL,
                               NULL);
    return st;
}

#define MASK_FN "motcua_case_mask"

/* What the SQL function of mc_cases_keep_many reads. */
typedef struct keep_job {
    mc_cases **cs;
    size_t n;
} keep_job;

/* motcua_case_mask(facts, received_at, due_at, end_at): bit k set when
 * lists k lists the case, NULL when none does. */
static void case_mask(sqlite3_context *cx, int argc, sqlite3_value **v)
{
    (void)argc;
    keep_job *j = sqlite3_user_data(cx);
    mc_scan_row r;
    scan_row_of(v, &r);
    int64_t mask = 0;
    for (size_t k = 0; k < j->n; k++) {
        size_t ix;
        mc_case_facts f;
        mc_case_class cl;
        int listed = place(j->cs[k], &r, &ix, &f, &cl);
        if (listed < 0) {
            j->cs[0]->has_bad_unit = 1;
            j->cs[0]->bad_unit = mc_facts_unit(r.facts);
            sqlite3_result_error(cx, "a case names a unit id the store does not know", -1);
            return;
        }
        if (listed)
            mask |= (int64_t)1 << k;
    }
    if (mask)
        sqlite3_result_int64(cx, mask);
    else
        sqlite3_result_null(cx);
}

int mc_cases_keep_many(mc_cases **cs, size_t n, int only, mc_error *err)
{
    if (n == 0)
        return 0;
    mc_cases *c0 = cs[0];
    if (n > 62)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "more than 62 lists of cases kept at once");
    int64_t received_before = 0, ended_from = INT64_MAX;
    for (size_t k = 0; k < n; k++) {
        if (cs[k]->kept || cs[k]->s != c0->s)
            return mc_error_set(err, MC_EXIT_SOFTWARE, "a list of cases kept twice, or of "
                                "another store");
        cs[k]->only = only;
        if ((cs[k]->as_of + 1) * MC_DATE_SCALE > received_before)
            received_before = (cs[k]->as_of + 1) * MC_DATE_SCALE;
        if (cs[k]->start * MC_DATE_SCALE < ended_from)
            ended_from = cs[k]->start * MC_DATE_SCALE;
    }
    kept *t = calloc(1, sizeof *t);
    if (!t)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory");
    snprintf(t->name, sizeof t->name, "mc_cases_kept_%lx", (unsigned long)(uintptr_t)t);
    char sql[512];
    snprintf(sql, sizeof sql, "CREATE TEMP TABLE %s(case_key TEXT PRIMARY KEY, facts INTEGER,"
             " received_at INTEGER, due_at INTEGER, end_at INTEGER, mask INTEGER) WITHOUT ROWID",
             t->name);
    int st = mc_store_exec(c0->s, sql, err);
    if (st) {
        free(t);
        return st;
    }
    snprintf(sql, sizeof sql, "INSERT INTO temp.%s SELECT * FROM (SELECT case_key, facts,"
             " received_at, due_at, end_at, " MASK_FN "(facts, received_at, due_at, end_at) AS m"
             " FROM case_rows WHERE received_at < ?1 AND (end_at IS NULL OR end_at >= ?2))"
             " WHERE m IS NOT NULL", t->name);
    sqlite3 *db = mc_store_db(c0->s);
    sqlite3_stmt *q = NULL;
    keep_job j = {cs, n};
    c0->has_bad_unit = 0;
    int rc = sqlite3_create_function_v2(db, MASK_FN, 4, SQLITE_UTF8 | SQLITE_DETERMINISTIC, &j,
                                        case_mask, NULL, NULL, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_prepare_v2(db, sql, -1, &q, NULL)) == SQLITE_OK) {
        sqlite3_bind_int64(q, 1, received_before);
        sqlite3_bind_int64(q, 2, ended_from);
        rc = sqlite3_step(q);
        st = end_list(c0, MASK_FN, q, rc, err);
    } else {
        st = mc_store_fail(c0->s, rc, "keeping the cases", err);
        end_list(c0, MASK_FN, NULL, 0, err);
    }
    if (st) {
        snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS temp.%s", t->name);
        sqlite3_exec(db, sql, NULL, NULL, NULL);
        free(t);
        return st;
    }
    t->refs = (int)n;
    for (size_t k = 0; k < n; k++) {
        cs[k]->kept = t;
        cs[k]->kept_bit = (int64_t)1 << k;
    }
    return 0;
}

int mc_cases_keep(mc_cases *c, int only, mc_error *err)
{
    return mc_cases_keep_many(&c, 1, only, err);
}

int mc_cases_count(mc_cases *c, int only, int64_t *n, mc_error *err)
{
    sqlite3_stmt *q;
    *n = 0;
    int st = prepare_list(c, "SELECT count(*)",
                          " AND " SORT_FN "(facts, received_at, due_at, end_at) IS NOT NULL", only,
                          MC_ORDER_UNIT, &q, err);
    if (st) {
        end_list(c, SORT_FN, NULL, 0, err);
        return st;
    }
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        *n = sqlite3_column_int64(q, 0);
        rc = SQLITE_DONE;
    }
    return end_list(c, SORT_FN, q, rc, err);
}

int mc_cases_each(mc_cases *c, int only, mc_case_order order, mc_case_fn fn, void *ctx,
                  mc_error *err)
{
    return mc_cases_each_first(c, only, order, 0, fn, ctx, err);
}

int mc_cases_each_first(mc_cases *c, int only, mc_case_order order, int64_t max, mc_case_fn fn,
                        void *ctx, mc_error *err)
{
    sqlite3_stmt *q;
    /* a bound lets SQLite keep only the first max rows while it sorts */
    int st = prepare_list(c, "SELECT " SORT_FN "(facts, received_at, due_at, end_at) AS k,"
                          " case_key, facts, received_at, due_at, end_at",
                          " AND k IS NOT NULL ORDER BY k, case_key LIMIT ?4", only, order, &q,
                          err);
    if (st) {
        end_list(c, SORT_FN, NULL, 0, err);
        return st;
    }
    sqlite3_bind_int64(q, 4, max > 0 ? max : -1);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        mc_scan_row r;
        r.facts = sqlite3_column_int64(q, 2);
        r.received_at = sqlite3_column_int64(q, 3);
        r.has_due = sqlite3_column_type(q, 4) != SQLITE_NULL;
        r.due_at = r.has_due ? sqlite3_column_int64(q, 4) : 0;
        r.has_end = sqlite3_column_type(q, 5) != SQLITE_NULL;
        r.end_at = r.has_end ? sqlite3_column_int64(q, 5) : 0;
        size_t ix;
        mc_case_facts f;
        mc_case_class k;
        if (place(c, &r, &ix, &f, &k) != 1) {
            st = mc_error_set(err, MC_EXIT_SOFTWARE, "%s: a case listed by SQLite is not one "
                              "to list: this is a bug in motcua", mc_store_path(c->s));
            goto out;
        }
        mc_case_row row;
        row.unit_code = mc_report_units_code(c->m, ix);
        row.unit_name = mc_report_units_name(c->m, ix);
        row.case_id = (const char *)sqlite3_column_text(q, 1);
        if (!row.case_id) {
            st = mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory");
            goto out;
        }
        procedure_and_field(q, &row);
        row.channel = f.channel;
        row.status = f.status;
        mc_day_format(f.received_day, row.received_at);
        row.due_at[0] = row.end_at[0] = '\0';
        if (f.has_due)
            mc_day_format(f.due_day, row.due_at);
        if (f.has_end)
            mc_day_format(f.end_day, row.end_at);
        row.bucket = k.bucket;
        row.carried_over = k.c[MC_C_CARRIED_OVER] != 0;
        row.has_days_late = k.has_days_late;
        row.days_late = k.days_late;
        row.apology = f.apology != 0;
        if ((st = fn(ctx, &row, err)))
            goto out;
    }
    return end_list(c, SORT_FN, q, rc, err);
out:
    end_list(c, SORT_FN, q, SQLITE_DONE, err);
    return st;
}
