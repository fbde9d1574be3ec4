/*
 * test_frame.c -- the frame around the rows (etl/frame.c, SPEC 10.2): the
 * header found below a title block, headers of two and three rows, the
 * signature block left out and rows held back released in order, repeated
 * headers, a workbook's short rows, bytes that did not convert, and the
 * refusals, which never quote a cell.
 *
 * Rows go straight to the frame's reader callbacks, as a reader would give
 * them; the sink writes a transcript: "R<line>:<cells joined by |>" for a
 * data row, "J<line>:<reason>:<column>" for a quarantined one.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "etl/frame.h"

typedef struct {
    char t[16384];
    mc_frame *fr;
    mc_reader_info info;
    long line;          /* of the next row fed */
} fx;

static void add(fx *x, const char *s)
{
    size_t n = strlen(x->t);
    snprintf(x->t + n, sizeof x->t - n, "%s", s);
}

static int sink_row(void *ctx, long line, const mc_field *f, size_t n, mc_error *err)
{
    (void)err;
    fx *x = ctx;
    char b[64];
    snprintf(b, sizeof b, "R%ld:", line);
    add(x, b);
    for (size_t i = 0; i < n; i++) {
        char c[256];
        snprintf(c, sizeof c, "%s%.*s", i ? "|" : "", (int)f[i].len, f[i].p);
        add(x, c);
    }
    add(x, "\n");
    return 0;
}

static int sink_reject(void *ctx, long line, mc_reason reason, int col, const char *detail,
                       const mc_field *f, size_t n, mc_error *err)
{
    (void)err;
    (void)detail;
    fx *x = ctx;
    char b[128];
    snprintf(b, sizeof b, "J%ld:%s:%s%s\n", line, mc_reason_name(reason),
             col >= 0 ? mc_col_name((mc_col)col) : "", f ? ":cells" : "");
    (void)n;
    add(x, b);
    return 0;
}

static const mc_frame_sink SINK = {.on_row = sink_row, .on_reject = sink_reject};

static fx *fx_new(int ragged, const char *format)
{
    fx *x = calloc(1, sizeof *x);
    cr_assert_not_null(x);
    x->info.ragged = ragged;
    snprintf(x->info.format, sizeof x->info.format, "%s", format);
    x->info.converted = strcmp(format, "cp1258") == 0 || strcmp(format, "utf16") == 0;
    x->fr = mc_frame_new("t.csv", &x->info, &SINK, x);
    cr_assert_not_null(x->fr);
    x->line = 1;
    return x;
}

static void fx_free(fx *x)
{
    mc_frame_free(x->fr);
    free(x);
}

/* Feed one row, its cells separated by '|' ("" is one empty cell); the
 * frame's answer. */
static int feed(fx *x, const char *row, mc_error *err)
{
    mc_field f[64];
    size_t n = 0;
    const char *p = row;
    for (;;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        f[n++] = (mc_field){p, len};
        if (!bar)
            break;
        p = bar + 1;
    }
    long line = x->line++;
    const mc_reader_cb *cb = &mc_frame_reader_cb;
    return line == 1 ? cb->on_header(x->fr, line, f, n, err) : cb->on_row(x->fr, line, f, n, err);
}

/* Feed rows, each must be taken (0). */
static void feed_all(fx *x, const char *const *rows)
{
    for (; *rows; rows++) {
        mc_error err;
        mc_error_clear(&err);
        cr_assert_eq(feed(x, *rows, &err), 0, "row '%s': %s", *rows, err.msg);
    }
}

static void finish_ok(fx *x)
{
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_frame_finish(x->fr, &err), 0, "%s", err.msg);
    const mc_frame_stats *s = mc_frame_stats_of(x->fr);
    cr_assert_eq(s->seen, s->above + s->header_rows + s->rows + s->trailer,
                 "seen %ld = above %ld + header %d + rows %ld + trailer %ld", s->seen, s->above,
                 s->header_rows, s->rows, s->trailer);
}

static int col_at(fx *x, mc_col c)
{
    const mc_colmap *m = mc_frame_map(x->fr);
    cr_assert_not_null(m);
    return m->field_of_col[c];
}

#define H1 "Mã hồ sơ|Đơn vị xử lý|Trạng thái|Ngày tiếp nhận|Ngày hẹn trả"
#define D(id) id "|UBND xã A|2|01/07/2025|05/07/2025"

/* ------------------------------------------------------------ header */

Test(frame, a_first_row_header_is_the_header)
{
    fx *x = fx_new(0, "csv");
    feed_all(x, (const char *[]){H1, D("A1"), D("A2"), NULL});
    finish_ok(x);
    cr_assert_str_eq(x->t, "R2:" D("A1") "\nR3:" D("A2") "\n");
    const mc_frame_stats *s = mc_frame_stats_of(x->fr);
    cr_assert_eq(s->header_line, 1);
    cr_assert_eq(s->header_rows, 1);
    cr_assert_eq(s->above, 0);
    cr_assert_eq(s->rows, 2);
    cr_assert_eq(col_at(x, MC_COL_DUE_AT), 4);
    fx_free(x);
}

Test(frame, title_block_rows_are_not_rows)
{
    fx *x = fx_new(0, "csv");
    feed_all(x, (const char *[]){"UBND XÃ CỬA TÙNG||||", "|||| ", "DANH SÁCH HỒ SƠ||||",
                                 "Từ ngày 01/07/2025 đến ngày 30/09/2025||||", H1, D("A1"), NULL});
    finish_ok(x);
    cr_assert_str_eq(x->t, "R6:" D("A1") "\n");
    const mc_frame_stats *s = mc_frame_stats_of(x->fr);
    cr_assert_eq(s->header_line, 5);
    cr_assert_eq(s->above, 4);
    cr_assert_eq(s->rows, 1);
    fx_free(x);
}

/* Issue 16: the rows looked at may be data; the refusal names the
 * columns recognized and counts the rest, never quoting a cell. */
Test(frame, no_header_in_fifty_rows_is_refused_without_quoting)
{
    fx *x = fx_new(0, "csv");
    mc_error err;
    mc_error_clear(&err);
    int st = 0;
    for (int i = 1; i <= 50 && !st; i++) {
        char row[200];
        snprintf(row, sizeof row, "Nguyễn Văn Bình %d|0912345%03d|Mã hồ sơ|Trạng thái", i, i);
        st = feed(x, row, &err);
        if (i < 50)
            cr_assert_eq(st, 0, "row %d: %s", i, err.msg);
    }
    cr_assert_eq(st, MC_EXIT_DATA);
    cr_assert_str_eq(err.msg,
                     "t.csv: no header row in the first 50 non-empty rows (lines 1-50): a header "
                     "holds the columns case_id, received_at, status, and unit_code or unit_name, "
                     "by their labels (MaHoSo/Mã hồ sơ, NgayTiepNhan/Ngày tiếp nhận, "
                     "TrangThaiHoSo/Trạng thái, MaDonVi/Đơn vị xử lý...); the closest, line 1, "
                     "has case_id, status, 2 other cells not recognized, and lacks received_at, "
                     "unit_code or unit_name");
    cr_assert_null(strstr(err.msg, "Nguyễn"));
    cr_assert_null(strstr(err.msg, "0912"));
    cr_assert_eq(x->t[0], '\0', "nothing passed on");
    /* the reader is told again if it goes on */
    cr_assert_eq(feed(x, H1, &err), MC_EXIT_DATA);
    fx_free(x);
}

Test(frame, a_short_file_without_a_header_is_refused_at_the_end)
{
    fx *x = fx_new(0, "csv");
    feed_all(x, (const char *[]){"Foo|Bar", "1|2", "3|4", NULL});
    mc_error err;
    cr_assert_eq(mc_frame_finish(x->fr, &err), MC_EXIT_DATA);
    cr_assert_not_null(strstr(err.msg, "t.csv: no header row in the 3 non-empty rows there are "
                                       "(lines 1-3)"), "%s", err.msg);
    cr_assert_not_null(strstr(err.msg, "...); no row names any of them"), "%s", err.msg);
    fx_free(x);
    x = fx_new(0, "csv");
    feed_all(x, (const char *[]){"Foo|Bar", NULL});
    cr_assert_eq(mc_frame_finish(x->fr, &err), MC_EXIT_DATA);
    cr_assert_not_null(strstr(err.msg, "in the only non-empty row (line 1)"), "%s", err.msg);
    fx_free(x);
}

/* The header in the 50th row is found, in the 51st is not. */
Test(frame, the_fiftieth_row_is_the_last_looked_at)
{
    for (int title = 49; title <= 50; title++) {
        fx *x = fx_new(0, "csv");
        mc_error err;
        mc_error_clear(&err);
        int st = 0;
        for (int i = 0; i < title && !st; i++)
            st = feed(x, "DANH SÁCH HỒ SƠ", &err);
        if (!st)
            st = feed(x, H1, &err);
        if (title == 49) {
            cr_assert_eq(st, 0, "%s", err.msg);
            feed_all(x, (const char *[]){D("A1"), NULL});
            finish_ok(x);
            cr_assert_eq(mc_frame_stats_of(x->fr)->header_line, 50);
        } else {
            cr_assert_eq(st, MC_EXIT_DATA);
        }
        fx_free(x);
    }
}

/* "Ngày, tháng, năm" over "Nhận hồ sơ | Hẹn trả kết quả", the form's STT
 * column, a label merged down two rows (blank below it). */
Test(frame, two_row_header_under_a_merged_label)
{
    fx *x = fx_new(0, "csv");
    feed_all(x, (const char *[]){
                    "DANH SÁCH HỒ SƠ|||||||",
                    "STT|Mã hồ sơ|Đơn vị/ cá nhân giải quyết|Trạng thái|Ngày, tháng, năm|||Ghi chú",
                    "||||Nhận hồ sơ|Hẹn trả kết quả|Trả kết quả|",
                    "1|A1|UBND xã A|2|01/07/2025|05/07/2025||", NULL});
    finish_ok(x);
    cr_assert_str_eq(x->t, "R4:1|A1|UBND xã A|2|01/07/2025|05/07/2025||\n");
    cr_assert_eq(col_at(x, MC_COL_CASE_ID), 1);
    cr_assert_eq(col_at(x, MC_COL_UNIT_NAME), 2);
    cr_assert_eq(col_at(x, MC_COL_STATUS), 3);
    cr_assert_eq(col_at(x, MC_COL_RECEIVED_AT), 4);
    cr_assert_eq(col_at(x, MC_COL_DUE_AT), 5);
    /* "Ngày, tháng, năm Trả kết quả" is no alias; "Trả kết quả" alone neither */
    cr_assert_eq(col_at(x, MC_COL_RETURNED_AT), -1);
    const mc_frame_stats *s = mc_frame_stats_of(x->fr);
    cr_assert_eq(s->header_line, 3);
    cr_assert_eq(s->header_rows, 2);
    cr_assert_eq(s->above, 1);
    cr_assert_str_eq(mc_frame_map(x->fr)->unknown, "STT, Ngày, tháng, năm Trả kết quả, Ghi chú");
    fx_free(x);
}

/* "Ngày" over "Tiếp nhận | Hẹn trả | Trả kết quả": the joined labels. */
Test(frame, two_row_header_by_joined_labels)
{
    fx *x = fx_new(0, "csv");
    feed_all(x, (const char *[]){"Mã hồ sơ|Đơn vị|Tình trạng|Ngày||",
                                 "|||Tiếp nhận|Hẹn trả|Trả kết quả", "A1|X|4|01/07/2025||", NULL});
    finish_ok(x);
    cr_assert_eq(col_at(x, MC_COL_RECEIVED_AT), 3);
    cr_assert_eq(col_at(x, MC_COL_DUE_AT), 4);
    cr_assert_eq(col_at(x, MC_COL_RETURNED_AT), 5);
    cr_assert_eq(mc_frame_stats_of(x->fr)->header_line, 2);
    cr_assert_str_eq(x->t, "R3:A1|X|4|01/07/2025||\n");
    fx_free(x);
}

/* Two rows qualify before three: the top row of three is then a title. */
Test(frame, two_rows_before_three)
{
    fx *x = fx_new(0, "csv");
    feed_all(x, (const char *[]){"Hồ sơ||Thông tin xử lý|||",
                                 "Mã hồ sơ|Trạng thái|Đơn vị|Ngày||",
                                 "||Tên|Tiếp nhận|Hẹn trả|Hẹn trả mới",
                                 "A1|2|X|01/07/2025|02/07/2025|", NULL});
    finish_ok(x);
    const mc_frame_stats *s = mc_frame_stats_of(x->fr);
    cr_assert_eq(s->header_rows, 2);
    cr_assert_eq(s->above, 1);
    cr_assert_eq(s->header_line, 3);
    cr_assert_eq(col_at(x, MC_COL_CASE_ID), 0);
    cr_assert_eq(col_at(x, MC_COL_STATUS), 1);
    cr_assert_eq(col_at(x, MC_COL_RECEIVED_AT), 3); /* "Ngày Tiếp nhận" */
    cr_assert_eq(col_at(x, MC_COL_DUE_AT), 4);      /* "Ngày Hẹn trả", "Ngày" filled in */
    cr_assert_eq(col_at(x, MC_COL_NEW_DUE_AT), 5);
    /* "Tên" is no alias, "Đơn vị Tên" neither: the upper label alone */
    cr_assert_eq(col_at(x, MC_COL_UNIT_NAME), 2);
    fx_free(x);
}

/* Three rows: the lowest label, then the lower pair, then all three, then
 * the middle label, then the upper pair, then the top one. */
Test(frame, three_row_header)
{
    fx *x = fx_new(0, "csv");
    feed_all(x, (const char *[]){"Mã hồ sơ|Xử lý|||", "|Trạng thái|Ngày||Đơn vị",
                                 "||Tiếp nhận|Hẹn trả|Tên", "A1|2|01/07/2025|02/07/2025|X", NULL});
    finish_ok(x);
    const mc_frame_stats *s = mc_frame_stats_of(x->fr);
    cr_assert_eq(s->header_rows, 3);
    cr_assert_eq(s->header_line, 3);
    cr_assert_eq(col_at(x, MC_COL_CASE_ID), 0);     /* all three: the top one's label */
    cr_assert_eq(col_at(x, MC_COL_STATUS), 1);      /* the lower pair: the middle's label */
    cr_assert_eq(col_at(x, MC_COL_RECEIVED_AT), 2); /* "Ngày Tiếp nhận" */
    cr_assert_eq(col_at(x, MC_COL_DUE_AT), 3);      /* "Ngày Hẹn trả" */
    cr_assert_eq(col_at(x, MC_COL_UNIT_NAME), 4);   /* the middle label alone */
    cr_assert_str_eq(x->t, "R4:A1|2|01/07/2025|02/07/2025|X\n");
    fx_free(x);
}

/* The upper row holds the required columns alone; the row below it adds
 * labels under a group: the header is both rows (frame.c's comment). */
Test(frame, sub_labels_under_a_header_that_qualifies_alone)
{
    fx *x = fx_new(0, "csv");
    feed_all(x, (const char *[]){"Mã hồ sơ|Đơn vị xử lý|Trạng thái|Ngày tiếp nhận|Ngày|",
                                 "||||Hẹn trả|Trả kết quả", "A1|X|10|01/07/2025|05/07/2025|04/07/2025", NULL});
    finish_ok(x);
    cr_assert_eq(mc_frame_stats_of(x->fr)->header_rows, 2);
    cr_assert_eq(col_at(x, MC_COL_DUE_AT), 4);
    cr_assert_eq(col_at(x, MC_COL_RETURNED_AT), 5);
    cr_assert_eq(col_at(x, MC_COL_RECEIVED_AT), 3);
    cr_assert_str_eq(x->t, "R3:A1|X|10|01/07/2025|05/07/2025|04/07/2025\n");
    fx_free(x);
}

/* A data row with an empty case_id under a one-row header stays a data row
 * (its cells sit under named columns). */
Test(frame, a_row_without_case_id_is_not_more_header)
{
    fx *x = fx_new(0, "csv");
    feed_all(x, (const char *[]){H1, "|UBND xã A|2|01/07/2025|05/07/2025", D("A2"), NULL});
    finish_ok(x);
    cr_assert_eq(mc_frame_stats_of(x->fr)->header_rows, 1);
    cr_assert_str_eq(x->t, "R2:|UBND xã A|2|01/07/2025|05/07/2025\nR3:" D("A2") "\n");
    fx_free(x);
}

/* Names that lose: a fallback alias to a real one, a guess made for two
 * columns to neither, an unlabeled column to nothing. */
Test(frame, weak_names_yield)
{
    fx *x = fx_new(0, "csv");
    feed_all(x, (const char *[]){"Mã hồ sơ|Đơn vị tiếp nhận|Đơn vị xử lý|Trạng thái|Ngày tiếp nhận",
                                 D("A1"), NULL});
    finish_ok(x);
    cr_assert_eq(col_at(x, MC_COL_UNIT_NAME), 2);
    cr_assert_str_eq(mc_frame_map(x->fr)->unknown, "Đơn vị tiếp nhận");
    fx_free(x);

    /* alone, the fallback names the unit */
    x = fx_new(0, "csv");
    feed_all(x, (const char *[]){"Mã hồ sơ|Đơn vị tiếp nhận|Trạng thái|Ngày tiếp nhận",
                                 "A1|X|2|01/07/2025", NULL});
    finish_ok(x);
    cr_assert_eq(col_at(x, MC_COL_UNIT_NAME), 1);
    fx_free(x);

    /* "Cơ quan" over "Mã | Tên": a guess for both, so neither; the unit
     * comes from its own column; the blank columns at the right (both
     * rows empty) are no columns at all, not more "Ghi chú" */
    x = fx_new(0, "csv");
    feed_all(x, (const char *[]){"Mã hồ sơ|Trạng thái|Ngày||Cơ quan||Mã đơn vị|Ghi chú||",
                                 "||Tiếp nhận|Hẹn trả|Mã|Tên||||",
                                 "A1|2|01/07/2025||a|b|U1|||", NULL});
    finish_ok(x);
    cr_assert_eq(mc_frame_stats_of(x->fr)->header_rows, 2);
    cr_assert_eq(col_at(x, MC_COL_UNIT_CODE), 6);
    cr_assert_eq(col_at(x, MC_COL_UNIT_NAME), -1);
    cr_assert_str_eq(mc_frame_map(x->fr)->unknown, "Cơ quan Mã, Cơ quan Tên, Ghi chú");
    fx_free(x);

    /* a label merged down over a blank (own, the lowest it has) is strong */
    x = fx_new(0, "csv");
    feed_all(x, (const char *[]){"Mã hồ sơ|Trạng thái|Ngày|Cơ quan||Ghi chú",
                                 "||Tiếp nhận||Tên|", "A1|2|01/07/2025|a|b|", NULL});
    finish_ok(x);
    cr_assert_eq(mc_frame_stats_of(x->fr)->header_rows, 2);
    cr_assert_eq(col_at(x, MC_COL_UNIT_NAME), 3);
    fx_free(x);

    /* two labels that are no guess, for one column: refused, as ever */
    x = fx_new(0, "csv");
    mc_error err;
    cr_assert_eq(feed(x, "Mã hồ sơ|MaHoSo|Đơn vị|Trạng thái|Ngày tiếp nhận", &err), 0);
    cr_assert_eq(feed(x, D("A1"), &err), MC_EXIT_DATA);
    cr_assert_not_null(strstr(err.msg, "both mean case_id"), "%s", err.msg);
    fx_free(x);
}

/* ------------------------------------------------------------ trailer */

Test(frame, signature_block_is_left_out)
{
    fx *x = fx_new(0, "csv");
    feed_all(x, (const char *[]){H1, D("A1"), D("A2"), "Tổng cộng: 2 hồ sơ", "||||",
                                 "|Người lập biểu|||Thủ trưởng đơn vị", "|(Ký, ghi rõ họ tên)||| ",
                                 "", "|Nguyễn Văn Bình|||Trần Thị C", NULL});
    finish_ok(x);
    cr_assert_str_eq(x->t, "R2:" D("A1") "\nR3:" D("A2") "\n");
    const mc_frame_stats *s = mc_frame_stats_of(x->fr);
    cr_assert_eq(s->trailer, 6);
    cr_assert_eq(s->trailer_rows, 4);
    cr_assert_eq(s->rows, 2);
    fx_free(x);
}

/* The signature's text often falls in the case_id column: no case code
 * there (a digit and no space) is as good as empty.  A cut-off data row
 * with its code is never held: it stays a row, quarantined. */
Test(frame, signature_text_in_the_case_id_column)
{
    fx *x = fx_new(0, "csv");
    feed_all(x, (const char *[]){H1, D("A1"), "Người lập biểu||||Thủ trưởng đơn vị",
                                 "Tổng cộng: 1 hồ sơ", "Cửa Tùng, ngày 01 tháng 10 năm 2025",
                                 "(Ký, ghi rõ họ tên)", NULL});
    finish_ok(x);
    cr_assert_str_eq(x->t, "R2:" D("A1") "\n");
    cr_assert_eq(mc_frame_stats_of(x->fr)->trailer_rows, 4);
    fx_free(x);

    x = fx_new(0, "csv");
    feed_all(x, (const char *[]){H1, D("A1"), "Người lập biểu", "000.00.72.H56-250702-0001|UBND",
                                 NULL});
    finish_ok(x);
    cr_assert_str_eq(x->t, "R2:" D("A1") "\nR3:Người lập biểu\nR4:000.00.72.H56-250702-0001|UBND\n");
    cr_assert_eq(mc_frame_stats_of(x->fr)->trailer, 0);
    fx_free(x);
}

/* Rows held back go out, in order, when a data row follows them: a row
 * without case_id in the data is quarantined as before (by the
 * normalizer, here the sink). */
Test(frame, held_rows_are_released_in_order)
{
    fx *x = fx_new(0, "csv");
    feed_all(x, (const char *[]){H1, D("A1"), "||||", "|UBND xã A|2||", D("A4"), "x", NULL});
    finish_ok(x);
    cr_assert_str_eq(x->t, "R2:" D("A1") "\nR3:||||\nR4:|UBND xã A|2||\nR5:" D("A4") "\n");
    cr_assert_eq(mc_frame_stats_of(x->fr)->trailer_rows, 1);
    fx_free(x);
}

/* More than 100 such rows: not a signature block, every row is data. */
Test(frame, a_block_past_the_limit_is_data)
{
    for (int rows = 100; rows <= 102; rows++) {
        fx *x = fx_new(0, "csv");
        feed_all(x, (const char *[]){H1, D("A1"), NULL});
        for (int i = 0; i < rows; i++)
            feed_all(x, (const char *[]){"|ghi chú", NULL});
        finish_ok(x);
        const mc_frame_stats *s = mc_frame_stats_of(x->fr);
        if (rows == 100) {
            cr_assert_eq(s->trailer, 100);
            cr_assert_eq(s->rows, 1);
        } else {
            cr_assert_eq(s->trailer, 0, "%d rows", rows);
            cr_assert_eq(s->rows, 1 + rows);
        }
        fx_free(x);
    }
}

/* Trailer rows are few and short: four cells, or 4 KiB, make a row data. */
Test(frame, trailer_rows_are_few_cells_and_short)
{
    fx *x = fx_new(0, "csv");
    static char big[5000];
    memset(big, 'x', sizeof big - 1);
    char row[5100];
    snprintf(row, sizeof row, "|%s", big);
    feed_all(x, (const char *[]){H1, D("A1"), "|a|b|c|d", "|a|b|c|", row, NULL});
    finish_ok(x);
    const mc_frame_stats *s = mc_frame_stats_of(x->fr);
    cr_assert_eq(s->rows, 4);
    cr_assert_eq(s->trailer, 0);
    fx_free(x);
}

/* A row the reader could not deliver is data: the held rows go first. */
Test(frame, a_bad_row_releases_the_held_ones)
{
    fx *x = fx_new(0, "csv");
    feed_all(x, (const char *[]){H1, "|note", NULL});
    mc_error err;
    cr_assert_eq(mc_frame_reader_cb.on_bad_row(x->fr, 3, MC_REASON_ROW_TOO_LARGE, "field longer",
                                               &err), 0);
    finish_ok(x);
    cr_assert_str_eq(x->t, "R2:|note\nJ3:row_too_large:\n");
    fx_free(x);
}

/* ------------------------------------------------- the rest of the rows */

Test(frame, repeated_header_rows_are_quarantined)
{
    fx *x = fx_new(0, "csv");
    feed_all(x, (const char *[]){H1, D("A1"), H1, D("A2"), NULL});
    finish_ok(x);
    cr_assert_str_eq(x->t, "R2:" D("A1") "\nJ3:repeated_header:\nR4:" D("A2") "\n");
    fx_free(x);
    /* either row of a two-row header, the upper one held back first */
    x = fx_new(0, "csv");
    feed_all(x, (const char *[]){"Mã hồ sơ|Đơn vị|Trạng thái|Ngày||", "|||Tiếp nhận|Hẹn trả|Trả",
                                 "A1|X|2|01/07/2025||", "Mã hồ sơ|Đơn vị|Trạng thái|Ngày||",
                                 "|||Tiếp nhận|Hẹn trả|Trả", "A2|X|2|01/07/2025||", NULL});
    finish_ok(x);
    cr_assert_str_eq(x->t, "R3:A1|X|2|01/07/2025||\nJ4:repeated_header:\nJ5:repeated_header:\n"
                           "R6:A2|X|2|01/07/2025||\n");
    fx_free(x);
}

/* A workbook leaves out a row's empty cells at the end. */
Test(frame, ragged_rows_are_padded_to_the_header)
{
    fx *x = fx_new(1, "xlsx");
    feed_all(x, (const char *[]){"Mã hồ sơ|Đơn vị|Trạng thái|Ngày tiếp nhận|Ghi chú",
                                 "A1|X|2|01/07/2025", "A2|X|2|01/07/2025|||", "A3|X|2|01/07/2025|||z",
                                 "Người lập biểu", NULL});
    finish_ok(x);
    cr_assert_str_eq(x->t, "R2:A1|X|2|01/07/2025|\nR3:A2|X|2|01/07/2025|\n"
                           "R4:A3|X|2|01/07/2025|||z\n");
    cr_assert_eq(mc_frame_stats_of(x->fr)->trailer_rows, 1);
    fx_free(x);
}

/* Converted text: a byte that did not convert quarantines its row,
 * naming the column; more than half such rows refuse the file. */
Test(frame, unconverted_bytes)
{
    fx *x = fx_new(0, "cp1258");
    feed_all(x, (const char *[]){H1, D("A1"), "A2|UBND x\xff A|2|01/07/2025|", D("A3"),
                                 "A4|\xff|2", NULL});
    finish_ok(x);
    cr_assert_str_eq(x->t, "R2:" D("A1") "\nJ3:bad_encoding:unit_name:cells\nR4:" D("A3") "\n"
                           "R5:A4|\xff|2\n");
    cr_assert_eq(mc_frame_stats_of(x->fr)->unconverted, 2);
    fx_free(x);

    x = fx_new(0, "cp1258");
    feed_all(x, (const char *[]){H1, D("A1"), "A2|\xff|2|01/07/2025|", "A3|\xff|2|01/07/2025|", NULL});
    mc_error err;
    cr_assert_eq(mc_frame_finish(x->fr, &err), MC_EXIT_DATA);
    cr_assert_str_eq(err.msg, "t.csv: 2 of 3 rows hold bytes that do not convert from "
                              "Windows-1258 (cp1258): the file is not in that encoding; load it "
                              "without --encoding to have its encoding named, or give the right one");
    fx_free(x);

    /* 0xFF in a file that was not converted is the normalizer's (bad_utf8) */
    x = fx_new(0, "csv");
    feed_all(x, (const char *[]){H1, "A2|\xff|2|01/07/2025|", NULL});
    finish_ok(x);
    cr_assert_str_eq(x->t, "R2:A2|\xff|2|01/07/2025|\n");
    fx_free(x);
}

/* ------------------------------------------------------------ sheets */

Test(frame, a_sheet_without_a_header_sends_the_reader_on)
{
    fx *x = fx_new(1, "xlsx");
    mc_error err;
    const mc_reader_cb *cb = &mc_frame_reader_cb;
    /* a cover sheet of two rows: "next sheet" at its end */
    snprintf(x->info.sheet, sizeof x->info.sheet, "Bìa");
    cr_assert_eq(cb->on_sheet(x->fr, "Bìa", &err), 0);
    feed_all(x, (const char *[]){"Báo cáo", "Quý III", NULL});
    cr_assert_eq(cb->on_sheet_end(x->fr, &err), MC_READER_NEXT_SHEET);
    cr_assert_not_null(strstr(err.msg, "of sheet 'Bìa'"), "%s", err.msg);
    /* a sheet of 50 rows of notes: "next sheet" at the 50th */
    snprintf(x->info.sheet, sizeof x->info.sheet, "Ghi chú");
    cr_assert_eq(cb->on_sheet(x->fr, "Ghi chú", &err), 0);
    x->line = 1;
    int st = 0;
    for (int i = 0; i < 50 && !st; i++)
        st = feed(x, "ghi chú", &err);
    cr_assert_eq(st, MC_READER_NEXT_SHEET);
    cr_assert_not_null(strstr(err.msg, "of sheet 'Ghi chú' (2 sheets tried, none has a header)"),
                       "%s", err.msg);
    /* the list */
    snprintf(x->info.sheet, sizeof x->info.sheet, "DS");
    cr_assert_eq(cb->on_sheet(x->fr, "DS", &err), 0);
    x->line = 1;
    feed_all(x, (const char *[]){"DANH SÁCH", H1, D("A1"), NULL});
    cr_assert_eq(cb->on_sheet_end(x->fr, &err), 0);
    finish_ok(x);
    cr_assert_str_eq(x->t, "R3:" D("A1") "\n");
    const mc_frame_stats *s = mc_frame_stats_of(x->fr);
    cr_assert_eq(s->header_line, 2);
    cr_assert_eq(s->above, 2 + 50 + 1);
    /* no going on once the header was found */
    cr_assert_eq(cb->on_sheet(x->fr, "Khác", &err), MC_EXIT_SOFTWARE);
    fx_free(x);
}

/* A header waiting for its next row when the sheet ends is the header. */
Test(frame, a_sheet_ending_after_its_header)
{
    fx *x = fx_new(1, "xlsx");
    mc_error err;
    cr_assert_eq(mc_frame_reader_cb.on_sheet(x->fr, "DS", &err), 0);
    feed_all(x, (const char *[]){H1, NULL});
    cr_assert_eq(mc_frame_reader_cb.on_sheet_end(x->fr, &err), 0);
    finish_ok(x);
    cr_assert_eq(mc_frame_stats_of(x->fr)->header_line, 1);
    cr_assert_eq(mc_frame_stats_of(x->fr)->rows, 0);
    fx_free(x);
}
