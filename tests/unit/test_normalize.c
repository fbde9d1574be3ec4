/*
 * test_normalize.c -- header mapping and every row check of SPEC 1.3-1.5.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "transforms/dates.h"
#include "transforms/normalize.h"

#define NCOLS 12
static const char *const header[NCOLS] = {
    "MaHoSo", "MaDonVi", "DonViXuLy", "KenhThucHien", "MucDo", "TrangThaiHoSo",
    "NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "CoXinLoi", "ChuHoSo", "GhiChu"};

static mc_colmap map;
static char arena[4096];

static void cells_of(const char *const *v, size_t n, mc_field *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = (mc_field){v[i], strlen(v[i])};
}

static void setup(void)
{
    mc_field f[NCOLS];
    mc_error err;
    cells_of(header, NCOLS, f);
    cr_assert_eq(mc_colmap_build(&map, "x.csv", f, NCOLS, &err), 0, "%s", err.msg);
}

static void teardown(void)
{
    mc_colmap_free(&map);
}

/* Normalize a row given as values in header order. */
static int run(const char *const *v, mc_record *rec, mc_row_fault *fault)
{
    mc_field f[NCOLS];
    cells_of(v, NCOLS, f);
    return mc_normalize_row(&map, f, NCOLS, rec, arena, sizeof arena, fault);
}

TestSuite(normalize, .init = setup, .fini = teardown);

Test(normalize, maps_columns_and_drops_personal_data)
{
    cr_assert_eq(map.field_of_col[MC_COL_CASE_ID], 0);
    cr_assert_eq(map.field_of_col[MC_COL_RECEIVED_AT], 6);
    cr_assert_eq(map.n_personal, 1);
    cr_assert_eq(map.n_unknown, 1);
    cr_assert_str_eq(map.unknown, "GhiChu");
}

Test(normalize, a_good_row)
{
    const char *v[NCOLS] = {" 000.00.72.h56-250701-0001 ", "000.00.72.H56", "UBND  xã Cửa Tùng",
                            "2", "4", "Đã trả kết quả", "01/07/2025 08:30", "05/07/2025",
                            "2025-07-04 16:00:00", "", "Nguyễn Văn A", "ghi chú"};
    mc_record r;
    mc_row_fault f;
    cr_assert_eq(run(v, &r, &f), 0, "%s", f.detail);
    cr_assert_str_eq(r.case_id, "000.00.72.H56-250701-0001");
    cr_assert_str_eq(r.unit_name, "UBND xã Cửa Tùng");
    cr_assert_eq(r.status, 10);
    cr_assert_eq(r.channel, 2);
    cr_assert_eq(r.service_level, 4);
    cr_assert_eq(mc_date_day(r.received_at), mc_days_from_civil(2025, 7, 1));
    cr_assert(mc_date_has_time(r.received_at));
    cr_assert(!mc_date_has_time(r.due_at));
    cr_assert_eq(r.apology, MC_FLAG_NO);
    cr_assert_eq(r.has_fee, MC_FLAG_ABSENT);
}

struct bad_case {
    const char *v[NCOLS];
    mc_reason reason;
    int col;
};

Test(normalize, each_fault_has_its_reason_and_column)
{
    static const struct bad_case cases[] = {
        {{"", "U1", "", "1", "", "4", "01/07/2025", "", "", "", "", ""},
         MC_REASON_MISSING_CASE_ID, MC_COL_CASE_ID},
        {{"A1", "U1", "", "9", "", "4", "01/07/2025", "", "", "", "", ""},
         MC_REASON_BAD_VALUE, MC_COL_CHANNEL},
        {{"A1", "U1", "", "1", "7", "4", "01/07/2025", "", "", "", "", ""},
         MC_REASON_BAD_VALUE, MC_COL_SERVICE_LEVEL},
        {{"A1", "U1", "", "1", "", "Đang chờ", "01/07/2025", "", "", "", "", ""},
         MC_REASON_BAD_STATUS, MC_COL_STATUS},
        {{"A1", "U1", "", "1", "", "", "01/07/2025", "", "", "", "", ""},
         MC_REASON_BAD_STATUS, MC_COL_STATUS},
        {{"A1", "U1", "", "1", "", "4", "31/06/2025", "", "", "", "", ""},
         MC_REASON_BAD_DATE, MC_COL_RECEIVED_AT},
        {{"A1", "U1", "", "1", "", "4", "", "", "", "", "", ""},
         MC_REASON_BAD_DATE, MC_COL_RECEIVED_AT},
        {{"A1", "U1", "", "1", "", "4", "07/01/2025", "2025/07/10", "", "", "", ""},
         MC_REASON_BAD_DATE, MC_COL_DUE_AT},
        {{"A1", "U1", "", "1", "", "4", "01/07/2025", "", "", "maybe", "", ""},
         MC_REASON_BAD_VALUE, MC_COL_APOLOGY},
        {{"A1", "", "", "1", "", "4", "01/07/2025", "", "", "", "", ""},
         MC_REASON_MISSING_UNIT, MC_COL_UNIT_CODE},
        {{"A1", "U1", "", "1", "", "10", "10/07/2025", "", "09/07/2025", "", "", ""},
         MC_REASON_FINISH_BEFORE_RECEIPT, MC_COL_FINISHED_AT},
        {{"A1", "U1", "", "1", "", "4", "10/07/2025", "09/07/2025", "", "", "", ""},
         MC_REASON_DUE_BEFORE_RECEIPT, MC_COL_DUE_AT},
        {{"A1", "U1", "", "1", "", "9", "10/07/2025", "", "", "", "", ""},
         MC_REASON_MISSING_FINISH_DATE, MC_COL_FINISHED_AT},
        {{"A1", "U1", "", "1", "", "4", "01/07/2025", "", "", "", "bad \xff byte", ""},
         MC_REASON_BAD_UTF8, -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mc_record r;
        mc_row_fault f;
        int rc = run(cases[i].v, &r, &f);
        cr_assert_eq(rc, (int)cases[i].reason, "case %zu: got %s (%s)", i,
                     mc_reason_name((mc_reason)rc), f.detail);
        cr_assert_eq(f.col, cases[i].col, "case %zu: column %d", i, f.col);
    }
    mc_record r;
    mc_row_fault f;
    run(cases[13].v, &r, &f);
    cr_assert_str_eq(f.detail, "field 11 ('ChuHoSo') is not valid UTF-8");
}

Test(normalize, same_day_times_compare_as_dates)
{
    /* finished earlier in the day than received, but a date without time:
     * compared as dates, so not a fault */
    const char *v[NCOLS] = {"A1", "U1", "", "1", "", "10", "10/07/2025 15:00", "10/07/2025",
                            "10/07/2025", "", "", ""};
    mc_record r;
    mc_row_fault f;
    cr_assert_eq(run(v, &r, &f), 0, "%s", f.detail);
    const char *w[NCOLS] = {"A1", "U1", "", "1", "", "10", "10/07/2025 15:00", "",
                            "10/07/2025 14:00", "", "", ""};
    cr_assert_eq(run(w, &r, &f), MC_REASON_FINISH_BEFORE_RECEIPT);
}

Test(normalize, field_count_and_repeated_header)
{
    mc_field f[NCOLS];
    cells_of(header, NCOLS, f);
    cr_assert(mc_colmap_is_header(&map, f, NCOLS));
    mc_record r;
    mc_row_fault fault;
    cr_assert_eq(mc_normalize_row(&map, f, NCOLS - 1, &r, arena, sizeof arena, &fault),
                 MC_REASON_BAD_FIELD_COUNT);
    cr_assert_str_eq(fault.detail, "11 fields, the header has 12");
}

Test(normalize, masked_copy_never_holds_personal_or_unknown_columns)
{
    const char *v[NCOLS] = {"A1", "U1", "", "9", "", "4", "01/07/2025", "", "", "", "Nguyễn Văn A",
                            "0912345678"};
    mc_field f[NCOLS];
    cells_of(v, NCOLS, f);
    char *m = mc_row_masked(&map, f, NCOLS);
    cr_assert_not_null(m);
    cr_assert_null(strstr(m, "Nguyễn"));
    cr_assert_null(strstr(m, "0912345678"));
    cr_assert_not_null(strstr(m, "channel=9"));
    free(m);
    char *none = mc_row_masked(&map, f, NCOLS - 1);
    cr_assert_str_eq(none, "");
    free(none);
}

Test(normalize, header_refusals, .init = NULL, .fini = NULL)
{
    mc_colmap m;
    mc_error err;
    const char *no_status[] = {"MaHoSo", "MaDonVi", "NgayTiepNhan", "Foo"};
    mc_field f[4];
    cells_of(no_status, 4, f);
    cr_assert_eq(mc_colmap_build(&m, "a.csv", f, 4, &err), MC_EXIT_DATA);
    cr_assert_str_eq(err.msg, "a.csv: required column status (TrangThaiHoSo, Trạng thái) is "
                              "missing; the header has case_id, unit_code, received_at, 1 other "
                              "cell not recognized");
    /* issue 16: a row taken for the header may be data: never quoted */
    const char *data[] = {"Nguyễn Văn A", "0912345678", "MaHoSo", "Số CCCD"};
    cells_of(data, 4, f);
    cr_assert_eq(mc_colmap_build(&m, "a.csv", f, 4, &err), MC_EXIT_DATA);
    cr_assert_str_eq(err.msg, "a.csv: required columns status (TrangThaiHoSo, Trạng thái), "
                              "received_at (NgayTiepNhan, Ngày tiếp nhận), unit_code or unit_name "
                              "(MaDonVi, DonViXuLy, Đơn vị xử lý) are missing; the header has "
                              "case_id, 1 personal-data column, 2 other cells not recognized");
    const char *twice[] = {"MaHoSo", "Mã hồ sơ", "MaDonVi", "TrangThaiHoSo", "NgayTiepNhan"};
    mc_field g[5];
    cells_of(twice, 5, g);
    cr_assert_eq(mc_colmap_build(&m, "a.csv", g, 5, &err), MC_EXIT_DATA);
    cr_assert_not_null(strstr(err.msg, "both mean case_id"), "%s", err.msg);
}

/* ------------------------------------------------ several faults in a row */

/* The reason of a row with several faults follows one fixed precedence
 * (issue 15, README): bad_utf8, then the field count, then the columns in
 * column order (SPEC 1.2's, whatever the file's), then the row checks. */

Test(normalize, bad_utf8_comes_before_the_field_count_and_the_columns)
{
    /* 11 fields, a bad date, and bad UTF-8 in the last field */
    const char *v[NCOLS] = {"A1", "U1", "", "1", "", "4", "31/02/2025", "", "", "", "Tr\xe1\xbb",
                            ""};
    mc_field f[NCOLS];
    cells_of(v, NCOLS, f);
    mc_record r;
    mc_row_fault fault;
    cr_assert_eq(mc_normalize_row(&map, f, NCOLS - 1, &r, arena, sizeof arena, &fault),
                 MC_REASON_BAD_UTF8, "%s", fault.detail);
    cr_assert_str_eq(fault.detail, "field 11 ('ChuHoSo') is not valid UTF-8");
    cr_assert_eq(fault.col, -1);
    /* one field too many, the extra one holding a NUL: still bad_utf8, and
     * the field past the header has no name */
    mc_field g[NCOLS + 1];
    const char *w[NCOLS] = {"A1", "U1", "", "1", "", "4", "01/07/2025", "", "", "", "", ""};
    cells_of(w, NCOLS, g);
    g[NCOLS] = (mc_field){"a\0b", 3};
    cr_assert_eq(mc_normalize_row(&map, g, NCOLS + 1, &r, arena, sizeof arena, &fault),
                 MC_REASON_BAD_UTF8);
    cr_assert_str_eq(fault.detail, "field 13 ('') is not valid UTF-8 (NUL byte)");
    /* the full count, a bad date before and bad UTF-8 in an ignored column
     * after it: bad_utf8 */
    const char *x[NCOLS] = {"A1", "U1", "", "1", "", "4", "31/02/2025", "", "", "", "",
                            "ghi \xc3\x28 ch\xc3\xba"};
    cr_assert_eq(run(x, &r, &fault), MC_REASON_BAD_UTF8);
    cr_assert_str_eq(fault.detail, "field 12 ('GhiChu') is not valid UTF-8");
}

Test(normalize, the_first_bad_field_in_file_order_is_named)
{
    /* bad bytes in a text column (unit_name, field 3) and in a coded one
     * before it (unit_code is text too; channel, field 4, is not) */
    const char *v[NCOLS] = {"A1", "U1", "UBND x\xc3 C\xe1\xbb\xad" "a", "\xff", "", "4",
                            "01/07/2025", "", "", "", "", ""};
    mc_record r;
    mc_row_fault f;
    cr_assert_eq(run(v, &r, &f), MC_REASON_BAD_UTF8);
    cr_assert_str_eq(f.detail, "field 3 ('DonViXuLy') is not valid UTF-8");
    cr_assert_eq(f.col, MC_COL_UNIT_NAME);
    const char *w[NCOLS] = {"A\xe1\xbb", "U1", "UBND x\xc3 C", "1", "", "4", "01/07/2025", "",
                            "", "", "", ""};
    cr_assert_eq(run(w, &r, &f), MC_REASON_BAD_UTF8);
    cr_assert_str_eq(f.detail, "field 1 ('MaHoSo') is not valid UTF-8");
    cr_assert_eq(f.col, MC_COL_CASE_ID);
    /* a NUL byte in a text column, which folding alone would have kept */
    mc_field g[NCOLS];
    const char *x[NCOLS] = {"A1", "U1", "", "1", "", "4", "01/07/2025", "", "", "", "", ""};
    cells_of(x, NCOLS, g);
    g[2] = (mc_field){"UBND\0xa", 7};
    cr_assert_eq(mc_normalize_row(&map, g, NCOLS, &r, arena, sizeof arena, &f), MC_REASON_BAD_UTF8);
    cr_assert_str_eq(f.detail, "field 3 ('DonViXuLy') is not valid UTF-8 (NUL byte)");
}

Test(normalize, the_field_count_comes_before_the_columns)
{
    const char *v[NCOLS] = {"", "U1", "", "9", "", "", "31/02/2025", "", "", "", "", ""};
    mc_field f[NCOLS];
    cells_of(v, NCOLS, f);
    mc_record r;
    mc_row_fault fault;
    cr_assert_eq(mc_normalize_row(&map, f, NCOLS - 1, &r, arena, sizeof arena, &fault),
                 MC_REASON_BAD_FIELD_COUNT);
    cr_assert_eq(fault.col, -1);
}

Test(normalize, two_bad_columns_give_the_first_in_column_order)
{
    /* the file's order puts the date first; SPEC 1.2 puts channel, service
     * level and status before every date, apology before apology_at, and
     * the flags before updated_at */
    static const char *const hdr[] = {"NgayCapNhat", "NgayXinLoi", "CoXinLoi", "NgayTiepNhan",
                                      "TrangThaiHoSo", "MucDo", "KenhThucHien", "CoPhiLePhi",
                                      "MaDonVi", "MaHoSo"};
    enum { N = sizeof hdr / sizeof hdr[0] };
    mc_colmap m;
    mc_field h[N];
    mc_error err;
    cells_of(hdr, N, h);
    cr_assert_eq(mc_colmap_build(&m, "order.csv", h, N, &err), 0, "%s", err.msg);
    static const struct {
        const char *v[N];
        mc_reason reason;
        int col;
    } cases[] = {
        /* every cell good */
        {{"", "", "0", "01/07/2025", "4", "", "1", "0", "U1", "A1"}, MC_REASON_NONE, -1},
        /* bad received_at and bad channel: the channel */
        {{"", "", "0", "31/02/2025", "4", "", "9", "0", "U1", "A1"}, MC_REASON_BAD_VALUE,
         MC_COL_CHANNEL},
        /* bad received_at, unknown status, bad level: the level */
        {{"", "", "0", "31/02/2025", "?", "7", "1", "0", "U1", "A1"}, MC_REASON_BAD_VALUE,
         MC_COL_SERVICE_LEVEL},
        /* unknown status and bad received_at: the status */
        {{"", "", "0", "31/02/2025", "?", "", "1", "0", "U1", "A1"}, MC_REASON_BAD_STATUS,
         MC_COL_STATUS},
        /* bad apology_at and bad apology: apology */
        {{"", "99/99/2025", "maybe", "01/07/2025", "4", "", "1", "0", "U1", "A1"},
         MC_REASON_BAD_VALUE, MC_COL_APOLOGY},
        /* bad updated_at and bad has_fee: has_fee */
        {{"2025-13-01", "", "0", "01/07/2025", "4", "", "1", "?", "U1", "A1"}, MC_REASON_BAD_VALUE,
         MC_COL_HAS_FEE},
        /* bad updated_at alone */
        {{"2025-13-01", "", "0", "01/07/2025", "4", "", "1", "0", "U1", "A1"}, MC_REASON_BAD_DATE,
         MC_COL_UPDATED_AT},
        /* no case id and a bad date: the case id, SPEC 1.2's first column */
        {{"", "", "0", "31/02/2025", "4", "", "1", "0", "U1", " "}, MC_REASON_MISSING_CASE_ID,
         MC_COL_CASE_ID},
        /* a column fault before the row checks: no unit and a bad date */
        {{"", "", "0", "31/02/2025", "4", "", "1", "0", "", "A1"}, MC_REASON_BAD_DATE,
         MC_COL_RECEIVED_AT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mc_field f[N];
        cells_of(cases[i].v, N, f);
        mc_record r;
        mc_row_fault fault;
        int rc = mc_normalize_row(&m, f, N, &r, arena, sizeof arena, &fault);
        cr_assert_eq(rc, (int)cases[i].reason, "case %zu: got %s (%s)", i,
                     mc_reason_name((mc_reason)rc), fault.detail);
        cr_assert_eq(fault.col, cases[i].col, "case %zu: column %d", i, fault.col);
    }
    mc_colmap_free(&m);
}

/* A column recognized but not stored (field_code) is checked for UTF-8 and
 * judged no further: it can neither fail a row nor stand in for another. */
Test(normalize, a_column_not_stored_is_only_checked_for_utf8)
{
    static const char *const hdr[] = {"MaHoSo", "MaLinhVuc", "MaDonVi", "TrangThaiHoSo",
                                      "NgayTiepNhan"};
    enum { N = sizeof hdr / sizeof hdr[0] };
    mc_colmap m;
    mc_field h[N];
    mc_error err;
    cells_of(hdr, N, h);
    cr_assert_eq(mc_colmap_build(&m, "fc.csv", h, N, &err), 0, "%s", err.msg);
    cr_assert_eq(m.field_of_col[MC_COL_FIELD_CODE], 1);
    const char *ok[N] = {"A1", "whatever ?!", "U1", "4", "01/07/2025"};
    mc_field f[N];
    cells_of(ok, N, f);
    mc_record r;
    mc_row_fault fault;
    cr_assert_eq(mc_normalize_row(&m, f, N, &r, arena, sizeof arena, &fault), 0, "%s",
                 fault.detail);
    cr_assert_str_eq(r.case_id, "A1");
    const char *bad[N] = {"A1", "x\xff", "U1", "4", "01/07/2025"};
    cells_of(bad, N, f);
    cr_assert_eq(mc_normalize_row(&m, f, N, &r, arena, sizeof arena, &fault), MC_REASON_BAD_UTF8);
    cr_assert_eq(fault.col, MC_COL_FIELD_CODE);
    mc_colmap_free(&m);
}
