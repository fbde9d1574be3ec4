/*
 * test_store_current.c -- which version of a case is current (SPEC 2), in
 * etl/store.c, where updated_at values of different precision meet: a date
 * without a time of day ties with any time on that day (SPEC 1.5), so
 * progress, then ingest order, decide.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "etl/fingerprint.h"
#include "etl/store.h"
#include "tests/unit/tmpstore.h"

static char path[64];

static void setup(void)
{
    tmpstore_path(path, sizeof path, "mc-current");
}

static void teardown(void)
{
    tmpstore_remove(path);
}

static mc_record version(int status, mc_date updated)
{
    mc_record r;
    memset(&r, 0, sizeof r);
    r.case_id = "000.00.41.H30-250903-5000";
    r.unit_code = "000.00.41.H30";
    r.status = status;
    r.channel = 1;
    r.received_at = 20330 * MC_DATE_SCALE;
    r.due_at = r.new_due_at = r.returned_at = r.apology_at = MC_DATE_NONE;
    r.finished_at = status >= 7 ? 20333 * MC_DATE_SCALE : MC_DATE_NONE;
    r.updated_at = updated;
    r.apology = r.has_fee = r.paid_online = r.digitized = r.e_result = MC_FLAG_ABSENT;
    return r;
}

/* Load the versions in order, one file; return the current status. */
static int current_status(const mc_record *v, int n)
{
    mc_store *s = tmpstore_load(path, n, 2, tmpstore_row_of_array, (void *)v);
    sqlite3_stmt *q;
    cr_assert_eq(sqlite3_prepare_v2(mc_store_db(s), "SELECT status FROM cases", -1, &q, NULL),
                 SQLITE_OK);
    cr_assert_eq(sqlite3_step(q), SQLITE_ROW);
    int status = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    mc_store_close(s);
    teardown();
    return status;
}

TestSuite(current, .init = setup, .fini = teardown);

Test(current, date_only_ties_with_a_time_that_day_progress_decides)
{
    mc_date day = 20334 * MC_DATE_SCALE, timed = day + 1 + 17 * 3600 + 16 * 60 + 6;
    mc_record v[2] = {version(9, timed), version(10, day)};
    cr_expect_eq(current_status(v, 2), 10, "released then done: done wins on progress");
    mc_record w[2] = {version(10, day), version(9, timed)};
    cr_expect_eq(current_status(w, 2), 10, "loaded the other way round: still done");
}

Test(current, later_time_wins_over_progress_and_missing_sorts_first)
{
    mc_date day = 20334 * MC_DATE_SCALE;
    mc_record v[2] = {version(10, day + 1 + 3600), version(4, day + 1 + 7200)};
    cr_expect_eq(current_status(v, 2), 4, "a later update wins even with less progress");
    mc_record w[2] = {version(4, day), version(10, MC_DATE_NONE)};
    cr_expect_eq(current_status(w, 2), 4, "a missing updated_at sorts first");
    mc_record x[2] = {version(4, day - MC_DATE_SCALE), version(4, day)};
    x[1].procedure_name = "other";
    cr_expect_eq(current_status(x, 2), 4);
    mc_record y[2] = {version(9, day), version(8, day)};
    cr_expect_eq(current_status(y, 2), 8, "equal update and progress: the later-loaded wins");
}

/* The packed case row (store.h: facts, seen, src) reads the same through
 * the C decoders and the view "cases", for every value a code can take. */
Test(current, packed_facts_and_versions_read_back_through_both_ways)
{
    char keys[40][32];
    int n = 40;
    mc_record v[40];
    for (int i = 0; i < n; i++) {
        mc_record r = version(1 + i % 10, MC_DATE_NONE);
        snprintf(keys[i], sizeof keys[i], "K-%02d", i);
        r.case_id = keys[i];
        r.unit_code = i % 2 ? "000.00.41.H30" : "000.00.06.H56";
        r.channel = 1 + i % 3;
        r.service_level = i % 5;
        r.apology = (signed char)(i % 3 - 1);
        r.has_fee = (signed char)(i / 3 % 3 - 1);
        r.paid_online = (signed char)(i / 2 % 3 - 1);
        r.digitized = (signed char)(i / 5 % 3 - 1);
        r.e_result = (signed char)(i / 7 % 3 - 1);
        v[i] = r;
    }
    mc_store *s = tmpstore_load(path, n, 1000, tmpstore_row_of_array, v);
    sqlite3_stmt *q;
    cr_assert_eq(sqlite3_prepare_v2(mc_store_db(s),
                                    "SELECT r.facts, r.seen, r.src, v.progress, v.status,"
                                    " v.channel, v.level, v.apology, v.has_fee, v.paid_online,"
                                    " v.digitized, v.e_result, v.unit_id, v.file_id, v.line,"
                                    " r.case_key FROM case_rows r JOIN cases v USING (case_key)"
                                    " ORDER BY case_key", -1, &q, NULL), SQLITE_OK);
    int rows = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        int i = rows++;
        int64_t facts = sqlite3_column_int64(q, 0);
        const unsigned char *seen = sqlite3_column_blob(q, 1);
        cr_assert_eq(sqlite3_column_bytes(q, 1), MC_SEEN_LEN);
        cr_assert_eq(mc_facts_status(facts), 1 + i % 10);
        cr_assert_eq(mc_facts_channel(facts), 1 + i % 3);
        cr_assert_eq(mc_facts_level(facts), i % 5);
        cr_assert_eq(mc_facts_apology(facts), i % 3 == 2);
        cr_assert_eq(mc_facts_has_fee(facts), i / 3 % 3 - 1);
        cr_assert_eq(mc_facts_paid_online(facts), i / 2 % 3 - 1);
        cr_assert_eq(mc_facts_digitized(facts), i / 5 % 3 - 1);
        cr_assert_eq(mc_facts_e_result(facts), i / 7 % 3 - 1);
        cr_assert_eq(mc_seen_file(seen), 1);
        cr_assert_eq(mc_seen_line(seen), 1000 + i);
        cr_assert_eq(sqlite3_column_int64(q, 2), (int64_t)1 << 32 | (1000 + i));
        const int view[] = {mc_facts_progress(facts), mc_facts_status(facts),
                            mc_facts_channel(facts), mc_facts_level(facts),
                            mc_facts_apology(facts), mc_facts_has_fee(facts),
                            mc_facts_paid_online(facts), mc_facts_digitized(facts),
                            mc_facts_e_result(facts)};
        for (int k = 0; k < 9; k++)
            cr_assert_eq(sqlite3_column_int(q, 3 + k), view[k], "row %d column %d", i, 3 + k);
        cr_assert_eq(sqlite3_column_int64(q, 12), mc_facts_unit(facts));
        cr_assert_eq(sqlite3_column_int64(q, 13), 1);
        cr_assert_eq(sqlite3_column_int64(q, 14), 1000 + i);
    }
    sqlite3_finalize(q);
    cr_assert_eq(rows, n);
    mc_store_close(s);
}

/* The text of query's one row, one column, into buf ("NULL" for NULL). */
static void one_text(mc_store *s, const char *query, char *buf, size_t cap)
{
    sqlite3_stmt *q;
    cr_assert_eq(sqlite3_prepare_v2(mc_store_db(s), query, -1, &q, NULL), SQLITE_OK, "%s",
                 query);
    cr_assert_eq(sqlite3_step(q), SQLITE_ROW, "%s", query);
    const unsigned char *v = sqlite3_column_text(q, 0);
    snprintf(buf, cap, "%s", v ? (const char *)v : "NULL");
    sqlite3_finalize(q);
}

/* SPEC 11: the case keeps its current version's procedure and field, as
 * ids of dictionaries of (code, name) pairs and names, which the view
 * spells out; a version that does not become current changes nothing, and
 * every pair accepted gets its id in file order. */
Test(current, procedure_and_field_follow_the_current_version)
{
    mc_date day = 20334 * MC_DATE_SCALE;
    mc_record v[4] = {version(4, day), version(10, day + MC_DATE_SCALE),
                      version(9, day - MC_DATE_SCALE), version(4, day)};
    v[0].procedure_code = "1.001193", v[0].procedure_name = "Đăng ký khai sinh";
    v[0].field_name = "Hộ tịch";
    v[1].procedure_code = "1.001193", v[1].procedure_name = "Đăng ký khai sinh (lưu động)";
    v[1].field_name = "Hộ tịch";
    v[2].procedure_name = "Chứng thực chữ ký"; /* older: not current */
    v[2].field_name = "Chứng thực";
    char k3[] = "OTHER-CASE";
    v[3].case_id = k3; /* another case with neither procedure nor field */
    mc_store *s = tmpstore_load(path, 4, 2, tmpstore_row_of_array, v);
    char got[256];
    one_text(s, "SELECT proc_id || '|' || procedure_code || '|' || procedure_name || '|' ||"
                " field_id || '|' || field_name FROM cases WHERE case_key <> 'OTHER-CASE'",
             got, sizeof got);
    cr_expect_str_eq(got, "2|1.001193|Đăng ký khai sinh (lưu động)|1|Hộ tịch");
    one_text(s, "SELECT proc_id || '|' || field_id || '|' || coalesce(procedure_code, 'NULL')"
                " || '|' || coalesce(field_name, 'NULL') FROM cases WHERE case_key ="
                " 'OTHER-CASE'", got, sizeof got);
    cr_expect_str_eq(got, "0|0|NULL|NULL");
    one_text(s, "SELECT group_concat(id || ':' || coalesce(code, '') || ':' || name, '/')"
                " FROM (SELECT * FROM procedures ORDER BY id)", got, sizeof got);
    cr_expect_str_eq(got, "1:1.001193:Đăng ký khai sinh/2:1.001193:Đăng ký khai sinh (lưu động)/"
                          "3::Chứng thực chữ ký");
    one_text(s, "SELECT group_concat(id || ':' || name, '/') FROM (SELECT * FROM fields"
                " ORDER BY id)", got, sizeof got);
    cr_expect_str_eq(got, "1:Hộ tịch/2:Chứng thực");

    /* the dictionaries as reports read them */
    mc_store_dims d;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_store_dims_read(s, &d, &err), 0, "%s", err.msg);
    cr_expect_eq(d.max_proc, 3);
    cr_expect_eq(d.max_field, 2);
    cr_expect_null(d.proc_code[0]);
    cr_expect_null(d.proc_code[3]);
    cr_expect_str_eq(d.proc_name[3], "Chứng thực chữ ký");
    cr_expect_str_eq(d.proc_code[2], "1.001193");
    cr_expect_str_eq(d.field_name[2], "Chứng thực");
    mc_store_dims_free(&d);

    /* a file rolled back takes its new pairs with it; the next file gets
     * the ids again, and the known ones keep theirs */
    cr_assert_eq(mc_store_file_begin(s, "b.csv", "01", 2, &err), 0, "%s", err.msg);
    mc_fingerprinter *f = mc_fingerprinter_new(mc_store_fp_secret(s));
    mc_record w = version(10, day + 2 * MC_DATE_SCALE);
    w.procedure_code = "9.999999";
    w.field_name = "Đất đai";
    unsigned char fp[MC_FP_LEN];
    mc_add_totals t = {0};
    cr_assert_eq(mc_fingerprint(f, &w, fp), 0);
    cr_assert_eq(mc_store_stage(s, 2, &w, fp, &t, &err), 0, "%s", err.msg);
    cr_assert_eq(mc_store_flush(s, &t, &err), 0, "%s", err.msg);
    mc_store_file_rollback(s);
    one_text(s, "SELECT count(*) || '/' || (SELECT count(*) FROM fields) FROM procedures", got,
             sizeof got);
    cr_expect_str_eq(got, "3/2");
    cr_assert_eq(mc_store_file_begin(s, "b.csv", "01", 2, &err), 0, "%s", err.msg);
    w.procedure_code = "2.000815";
    w.procedure_name = NULL;
    cr_assert_eq(mc_fingerprint(f, &w, fp), 0);
    cr_assert_eq(mc_store_stage(s, 2, &w, fp, &t, &err), 0, "%s", err.msg);
    v[0].case_id = k3;
    cr_assert_eq(mc_fingerprint(f, &v[0], fp), 0);
    cr_assert_eq(mc_store_stage(s, 3, &v[0], fp, &t, &err), 0, "%s", err.msg);
    /* the pair of the file rolled back is new again: id 4 is another's now */
    char k4[] = "THIRD";
    w.case_id = k4;
    w.procedure_code = "9.999999";
    cr_assert_eq(mc_fingerprint(f, &w, fp), 0);
    cr_assert_eq(mc_store_stage(s, 4, &w, fp, &t, &err), 0, "%s", err.msg);
    cr_assert_eq(mc_store_flush(s, &t, &err), 0, "%s", err.msg);
    mc_file_counts c = {.rows_read = 3, .accepted = 3};
    cr_assert_eq(mc_store_file_commit(s, &c, NULL, &err), 0, "%s", err.msg);
    one_text(s, "SELECT group_concat(case_key || ':' || proc_id || ':' || field_id, '/') FROM"
                " (SELECT * FROM cases ORDER BY case_key)", got, sizeof got);
    cr_expect_str_eq(got, "000.00.41.H30-250903-5000:4:3/OTHER-CASE:1:1/THIRD:5:3");
    one_text(s, "SELECT code FROM procedures WHERE id = 5", got, sizeof got);
    cr_expect_str_eq(got, "9.999999");
    mc_fingerprinter_free(f);
    mc_store_close(s);
}

/* Two (code, name) pairs whose bytes run together the same way are two
 * procedures: no byte of a code can make them one. */
Test(current, procedure_pairs_never_merge)
{
    mc_record v[3] = {version(4, MC_DATE_NONE), version(4, MC_DATE_NONE),
                      version(4, MC_DATE_NONE)};
    char k1[] = "K1", k2[] = "K2", k3[] = "K3";
    v[0].case_id = k1, v[0].procedure_code = "1.00\x1f" "1", v[0].procedure_name = "A";
    v[1].case_id = k2, v[1].procedure_code = "1.00", v[1].procedure_name = "1\x1f" "A";
    v[2].case_id = k3, v[2].procedure_code = NULL, v[2].procedure_name = "1.00\x1f" "1A";
    mc_store *s = tmpstore_load(path, 3, 2, tmpstore_row_of_array, v);
    char got[256];
    one_text(s, "SELECT group_concat(case_key || ':' || proc_id, '/') FROM (SELECT * FROM"
                " cases ORDER BY case_key)", got, sizeof got);
    cr_expect_str_eq(got, "K1:1/K2:2/K3:3");
    mc_store_close(s);
}
