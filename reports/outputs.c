/*
 * outputs.c -- stored report rows and report files of a period; see
 * outputs.h.
 *
 * The stored rows live in two tables of the store that this module owns:
 *   reports      one row per (period, convention): its dates, as-of date,
 *                number of rows and when it was written
 *   report_rows  the unit rows of each report, in report order, with every
 *                count of reports/report.h (the rates follow from them)
 * They are created on first use, so a store made by `ingest` alone simply
 * has no stored reports.
 */
#include "base/fs.h"
#include "reports/outputs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/clock.h"
#include "reports/figures.h"

_Static_assert(MC_C_COUNT == 21, "report_rows lists 21 counts: update its columns");

static const char *const tables_sql =
    "CREATE TABLE IF NOT EXISTS reports("
    " period TEXT NOT NULL, convention TEXT NOT NULL, period_start TEXT NOT NULL,"
    " period_end TEXT NOT NULL, as_of TEXT NOT NULL, n_rows INTEGER NOT NULL,"
    " written_at TEXT NOT NULL, PRIMARY KEY(period, convention));"
    "CREATE TABLE IF NOT EXISTS report_rows("
    " period TEXT NOT NULL, convention TEXT NOT NULL, row_no INTEGER NOT NULL,"
    " unit_code TEXT NOT NULL, unit_name TEXT NOT NULL, kind INTEGER NOT NULL,"
    " received_total INTEGER NOT NULL, received_new INTEGER NOT NULL,"
    " received_online INTEGER NOT NULL, received_offline INTEGER NOT NULL,"
    " carried_over INTEGER NOT NULL, resolved_total INTEGER NOT NULL,"
    " resolved_early INTEGER NOT NULL, resolved_on_time INTEGER NOT NULL,"
    " resolved_late INTEGER NOT NULL, in_progress_total INTEGER NOT NULL,"
    " in_progress_within INTEGER NOT NULL, in_progress_overdue INTEGER NOT NULL,"
    " late_total INTEGER NOT NULL, late_with_apology INTEGER NOT NULL,"
    " online_full_process INTEGER NOT NULL, new_paid_online INTEGER NOT NULL,"
    " new_has_fee INTEGER NOT NULL, new_digitized INTEGER NOT NULL,"
    " new_digitized_known INTEGER NOT NULL, resolved_e_result INTEGER NOT NULL,"
    " resolved_e_result_known INTEGER NOT NULL,"
    " PRIMARY KEY(period, convention, row_no));";

#define ROW_FIXED 6 /* period, convention, row_no, unit_code, unit_name, kind */

int mc_formats_parse(const char *s, unsigned *mask, mc_error *err)
{
    static const struct {
        const char *name;
        unsigned bit;
    } names[] = {{"xlsx", MC_OUT_XLSX}, {"html", MC_OUT_HTML}, {"csv", MC_OUT_CSV}};
    unsigned m = 0;
    const char *p = s;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (!*p)
            break;
        const char *e = p;
        while (*e && *e != ',' && *e != ' ' && *e != '\t')
            e++;
        size_t n = (size_t)(e - p);
        size_t i;
        for (i = 0; i < 3; i++)
            if (strlen(names[i].name) == n && strncasecmp(p, names[i].name, n) == 0)
                break;
        if (i < 3)
            m |= names[i].bit;
        else if (!(n == 4 && strncasecmp(p, "none", 4) == 0)) {
            return mc_error_set(err, MC_EXIT_USAGE,
                                "unknown format '%.*s' (use xlsx, html, csv, or none)",
                                (int)(n > 40 ? 40 : n), p);
        }
        p = e;
    }
    *mask = m;
    return 0;
}

static int fail(mc_store *s, int rc, const char *what, mc_error *err)
{
    return mc_store_fail(s, rc, what, err);
}

int mc_outputs_store(mc_store *s, const mc_report *rep, mc_error *err)
{
    sqlite3 *db = mc_store_db(s);
    sqlite3_stmt *del_rows = NULL, *del_rep = NULL, *ins_rep = NULL, *ins_row = NULL;
    int st = mc_store_exec(s, "BEGIN IMMEDIATE", err);
    if (st)
        return st;
    if ((st = mc_store_exec(s, tables_sql, err)))
        goto out;
    char sql[1024];
    int n = snprintf(sql, sizeof sql, "INSERT INTO report_rows VALUES (?1");
    for (int i = 2; i <= ROW_FIXED + MC_C_COUNT; i++)
        n += snprintf(sql + n, sizeof sql - (size_t)n, ",?%d", i);
    snprintf(sql + n, sizeof sql - (size_t)n, ")");
    int rc;
    if ((rc = sqlite3_prepare_v2(db, "DELETE FROM report_rows WHERE period = ?1 AND"
                                     " convention = ?2", -1, &del_rows, NULL)) ||
        (rc = sqlite3_prepare_v2(db, "DELETE FROM reports WHERE period = ?1 AND"
                                     " convention = ?2", -1, &del_rep, NULL)) ||
        (rc = sqlite3_prepare_v2(db, "INSERT INTO reports VALUES (?1,?2,?3,?4,?5,?6,?7)", -1,
                                 &ins_rep, NULL)) ||
        (rc = sqlite3_prepare_v2(db, sql, -1, &ins_row, NULL))) {
        st = fail(s, rc, "storing the report", err);
        goto out;
    }
    const char *conv = rep->convention ? rep->convention : "calendar";
    sqlite3_stmt *dels[2] = {del_rows, del_rep};
    for (int i = 0; i < 2; i++) {
        sqlite3_bind_text(dels[i], 1, rep->period, -1, SQLITE_STATIC);
        sqlite3_bind_text(dels[i], 2, conv, -1, SQLITE_STATIC);
        if ((rc = sqlite3_step(dels[i])) != SQLITE_DONE) {
            st = fail(s, rc, "replacing the stored report", err);
            goto out;
        }
    }
    char now[40];
    mc_clock_now_iso(now, sizeof now);
    sqlite3_bind_text(ins_rep, 1, rep->period, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins_rep, 2, conv, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins_rep, 3, rep->period_start, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins_rep, 4, rep->period_end, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins_rep, 5, rep->as_of, -1, SQLITE_STATIC);
    sqlite3_bind_int64(ins_rep, 6, (sqlite3_int64)rep->n_rows);
    sqlite3_bind_text(ins_rep, 7, now, -1, SQLITE_STATIC);
    if ((rc = sqlite3_step(ins_rep)) != SQLITE_DONE) {
        st = fail(s, rc, "storing the report", err);
        goto out;
    }
    for (size_t r = 0; r < rep->n_rows; r++) {
        const mc_unit_row *row = &rep->rows[r];
        sqlite3_bind_text(ins_row, 1, rep->period, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_row, 2, conv, -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins_row, 3, (sqlite3_int64)r + 1);
        sqlite3_bind_text(ins_row, 4, row->unit_code ? row->unit_code : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_row, 5, row->unit_name ? row->unit_name : "", -1, SQLITE_STATIC);
        sqlite3_bind_int(ins_row, 6, row->kind);
        for (int c = 0; c < MC_C_COUNT; c++)
            sqlite3_bind_int64(ins_row, ROW_FIXED + 1 + c, row->c[c]);
        rc = sqlite3_step(ins_row);
        sqlite3_reset(ins_row);
        if (rc != SQLITE_DONE) {
            st = fail(s, rc, "storing the report", err);
            goto out;
        }
    }
    st = mc_store_exec(s, "COMMIT", err);
out:
    sqlite3_finalize(del_rows);
    sqlite3_finalize(del_rep);
    sqlite3_finalize(ins_rep);
    sqlite3_finalize(ins_row);
    if (st)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return st;
}

int mc_outputs_refresh(mc_store *s, const mc_report_inputs *in, const char *period,
                       const char *as_of, const char *out_dir, unsigned formats, char *canon,
                       mc_error *err)
{
    mc_report rep;
    /* the files people read carry the 12-month trend; the stored rows do not */
    int st = formats ? mc_report_build_trend(s, in, period, as_of, &rep, err)
                     : mc_report_build(s, in, period, as_of, &rep, err);
    if (st)
        return st;
    if (canon)
        snprintf(canon, 64, "%s", rep.period);
    st = mc_outputs_publish(s, in, &rep, NULL, out_dir, formats, err);
    mc_report_free(&rep);
    return st;
}

int mc_outputs_late(mc_store *s, const mc_report_inputs *in, const mc_report *reps, size_t n,
                    mc_cases **cases, mc_error *err)
{
    int st = 0;
    size_t k;
    for (k = 0; k < n; k++)
        cases[k] = NULL;
    for (k = 0; !st && k < n; k++)
        st = mc_cases_of_report(s, in, &reps[k], &cases[k], err);
    /* late.csv, the workbook's sheet and the page's section are all late
     * cases: one read of the store for every period */
    if (!st)
        st = mc_cases_keep_many(cases, n, MC_C_LATE_TOTAL, err);
    if (st)
        for (k = 0; k < n; k++) {
            mc_cases_close(cases[k]);
            cases[k] = NULL;
        }
    return st;
}

int mc_outputs_publish(mc_store *s, const mc_report_inputs *in, const mc_report *rep,
                       mc_cases *cases, const char *out_dir, unsigned formats, mc_error *err)
{
    int st = mc_outputs_store(s, rep, err);
    if (st || !formats)
        return st;
    char dir[4096], path[4200];
    snprintf(dir, sizeof dir, "%s/%s", out_dir, rep->period);
    /* a run killed while writing left hidden temporaries: each file's
     * writer sweeps them (mc_fs_write_atomic) */
    if ((st = mc_fs_mkdirs(dir, err)))
        return st;
    /* the workbook and the page list the late cases too */
    mc_report with_cases = *rep;
    mc_cases *own = NULL;
    if (!cases && (st = mc_outputs_late(s, in, rep, 1, &own, err)))
        return st;
    with_cases.cases = cases ? cases : own;
    static const struct {
        unsigned bit;
        const char *name;
        mc_table table;
        mc_format format;
        int late;     /* the list of late cases, not a table of the report */
    } files[] = {
        {MC_OUT_CSV, "units.csv", MC_TABLE_UNITS, MC_FORMAT_CSV, 0},
        {MC_OUT_CSV, "targets.csv", MC_TABLE_TARGETS, MC_FORMAT_CSV, 0},
        {MC_OUT_CSV, "quality.csv", MC_TABLE_QUALITY, MC_FORMAT_CSV, 0},
        {MC_OUT_CSV, "trend.csv", MC_TABLE_TREND, MC_FORMAT_CSV, 0},
        {MC_OUT_CSV, "late.csv", MC_TABLE_UNITS, MC_FORMAT_CSV, 1},
        {MC_OUT_HTML, "report.html", MC_TABLE_UNITS, MC_FORMAT_HTML, 0},
        {MC_OUT_XLSX, "report.xlsx", MC_TABLE_UNITS, MC_FORMAT_XLSX, 0},
        /* SPEC 14: the paragraph, beside the tables it is written from */
        {MC_OUT_CSV | MC_OUT_HTML | MC_OUT_XLSX, "summary.txt", MC_TABLE_UNITS,
         MC_FORMAT_SUMMARY, 0},
    };
    for (size_t i = 0; !st && i < sizeof files / sizeof files[0]; i++) {
        if (!(formats & files[i].bit) || (files[i].table == MC_TABLE_TREND && !rep->trend))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, files[i].name);
        st = files[i].late ? mc_cases_write(with_cases.cases, MC_C_LATE_TOTAL, files[i].format, 1,
                                            NULL, path, err)
                           : mc_report_write(&with_cases, files[i].table, files[i].format, 1,
                                             NULL, path, err);
    }
    mc_cases_close(own);
    if (!st && mc_fs_sync_dir(dir) != 0)
        st = mc_error_set(err, MC_EXIT_IO, "%s: cannot sync the folder: %s", dir,
                          strerror(errno));
    return st;
}

/* 1 when the store has the report tables. */
static int have_tables(mc_store *s, mc_error *err)
{
    sqlite3_stmt *q;
    int rc = sqlite3_prepare_v2(mc_store_db(s), "SELECT count(*) FROM sqlite_schema WHERE"
                                " type = 'table' AND name IN ('reports', 'report_rows')", -1,
                                &q, NULL);
    if (rc != SQLITE_OK)
        return -fail(s, rc, "reading the stored reports", err);
    rc = sqlite3_step(q);
    int n = rc == SQLITE_ROW ? sqlite3_column_int(q, 0) : -1;
    sqlite3_finalize(q);
    if (n < 0)
        return -fail(s, rc, "reading the stored reports", err);
    return n == 2;
}

int mc_outputs_stored(mc_store *s, mc_stored_report **list, size_t *n, mc_error *err)
{
    *list = NULL;
    *n = 0;
    int have = have_tables(s, err);
    if (have <= 0)
        return -have;
    sqlite3_stmt *q;
    int rc = sqlite3_prepare_v2(mc_store_db(s), "SELECT period, convention, as_of FROM reports"
                                " ORDER BY rowid", -1, &q, NULL);
    if (rc != SQLITE_OK)
        return fail(s, rc, "reading the stored reports", err);
    size_t cap = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            mc_stored_report *l = realloc(*list, cap * sizeof *l);
            if (!l) {
                sqlite3_finalize(q);
                free(*list);
                *list = NULL;
                *n = 0;
                return mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory");
            }
            *list = l;
        }
        mc_stored_report *r = &(*list)[(*n)++];
        snprintf(r->period, sizeof r->period, "%s", (const char *)sqlite3_column_text(q, 0));
        snprintf(r->convention, sizeof r->convention, "%s",
                 (const char *)sqlite3_column_text(q, 1));
        snprintf(r->as_of, sizeof r->as_of, "%s", (const char *)sqlite3_column_text(q, 2));
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) {
        free(*list);
        *list = NULL;
        *n = 0;
        return fail(s, rc, "reading the stored reports", err);
    }
    return 0;
}

static void problem(mc_problem_fn fn, void *ctx, long *count, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void problem(mc_problem_fn fn, void *ctx, long *count, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    (*count)++;
    if (fn)
        fn(ctx, line);
}

/* Name the first identity of SPEC 5 that a row breaks. */
static void broken_identity(const int64_t *c, char *buf, size_t cap)
{
    if (c[MC_C_RECEIVED_TOTAL] != c[MC_C_RESOLVED_TOTAL] + c[MC_C_IN_PROGRESS_TOTAL])
        snprintf(buf, cap, "received_total %lld != resolved_total %lld + in_progress_total %lld",
                 (long long)c[MC_C_RECEIVED_TOTAL], (long long)c[MC_C_RESOLVED_TOTAL],
                 (long long)c[MC_C_IN_PROGRESS_TOTAL]);
    else if (c[MC_C_RESOLVED_TOTAL] !=
             c[MC_C_RESOLVED_EARLY] + c[MC_C_RESOLVED_ON_TIME] + c[MC_C_RESOLVED_LATE])
        snprintf(buf, cap, "resolved_total %lld != early %lld + on_time %lld + late %lld",
                 (long long)c[MC_C_RESOLVED_TOTAL], (long long)c[MC_C_RESOLVED_EARLY],
                 (long long)c[MC_C_RESOLVED_ON_TIME], (long long)c[MC_C_RESOLVED_LATE]);
    else if (c[MC_C_IN_PROGRESS_TOTAL] !=
             c[MC_C_IN_PROGRESS_WITHIN] + c[MC_C_IN_PROGRESS_OVERDUE])
        snprintf(buf, cap, "in_progress_total %lld != within %lld + overdue %lld",
                 (long long)c[MC_C_IN_PROGRESS_TOTAL], (long long)c[MC_C_IN_PROGRESS_WITHIN],
                 (long long)c[MC_C_IN_PROGRESS_OVERDUE]);
    else
        snprintf(buf, cap, "received_new %lld != online %lld + offline %lld",
                 (long long)c[MC_C_RECEIVED_NEW], (long long)c[MC_C_RECEIVED_ONLINE],
                 (long long)c[MC_C_RECEIVED_OFFLINE]);
}

long mc_outputs_check(mc_store *s, mc_problem_fn fn, void *ctx, mc_error *err)
{
    int have = have_tables(s, err);
    if (have <= 0)
        return have;
    sqlite3 *db = mc_store_db(s);
    long count = 0;
    sqlite3_stmt *q;
    /* Each stored report has exactly its n_rows rows, numbered 1..n, ALL last. */
    int rc = sqlite3_prepare_v2(
        db,
        "SELECT r.period, r.convention, r.n_rows, count(x.row_no), min(x.row_no),"
        " max(x.row_no), (SELECT unit_code FROM report_rows y WHERE y.period = r.period AND"
        " y.convention = r.convention ORDER BY y.row_no DESC LIMIT 1)"
        " FROM reports r LEFT JOIN report_rows x ON x.period = r.period AND"
        " x.convention = r.convention GROUP BY r.period, r.convention ORDER BY r.rowid",
        -1, &q, NULL);
    if (rc != SQLITE_OK)
        return -fail(s, rc, "reading the stored reports", err);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *period = (const char *)sqlite3_column_text(q, 0);
        const char *conv = (const char *)sqlite3_column_text(q, 1);
        int64_t want = sqlite3_column_int64(q, 2), have_n = sqlite3_column_int64(q, 3);
        int64_t lo = sqlite3_column_int64(q, 4), hi = sqlite3_column_int64(q, 5);
        const char *last = (const char *)sqlite3_column_text(q, 6);
        if (want != have_n || (have_n && (lo != 1 || hi != have_n)))
            problem(fn, ctx, &count, "stored report %s (%s): %lld rows, expected %lld", period,
                    conv, (long long)have_n, (long long)want);
        else if (have_n && (!last || strcmp(last, "ALL") != 0))
            problem(fn, ctx, &count, "stored report %s (%s): the last row is not ALL", period,
                    conv);
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        return -fail(s, rc, "reading the stored reports", err);

    rc = sqlite3_prepare_v2(db, "SELECT DISTINCT period, convention FROM report_rows x WHERE"
                                " NOT EXISTS (SELECT 1 FROM reports r WHERE r.period ="
                                " x.period AND r.convention = x.convention)", -1, &q, NULL);
    if (rc != SQLITE_OK)
        return -fail(s, rc, "reading the stored reports", err);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
        problem(fn, ctx, &count, "stored report rows of %s (%s) belong to no stored report",
                (const char *)sqlite3_column_text(q, 0), (const char *)sqlite3_column_text(q, 1));
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        return -fail(s, rc, "reading the stored reports", err);

    rc = sqlite3_prepare_v2(db, "SELECT * FROM report_rows ORDER BY period, convention, row_no",
                            -1, &q, NULL);
    if (rc != SQLITE_OK)
        return -fail(s, rc, "reading the stored reports", err);
    int columns = sqlite3_column_count(q);
    if (columns != ROW_FIXED + MC_C_COUNT) {
        sqlite3_finalize(q);
        problem(fn, ctx, &count, "the report_rows table has %d columns, expected %d", columns,
                ROW_FIXED + MC_C_COUNT);
        return count;
    }
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t c[MC_C_COUNT];
        for (int i = 0; i < MC_C_COUNT; i++)
            c[i] = sqlite3_column_int64(q, ROW_FIXED + i);
        if (!mc_figures_identities_hold(c)) {
            char why[300];
            broken_identity(c, why, sizeof why);
            problem(fn, ctx, &count, "stored report %s (%s), row %lld, unit %s: %s",
                    (const char *)sqlite3_column_text(q, 0),
                    (const char *)sqlite3_column_text(q, 1),
                    (long long)sqlite3_column_int64(q, 2),
                    (const char *)sqlite3_column_text(q, 3), why);
        }
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        return -fail(s, rc, "reading the stored reports", err);
    return count;
}
