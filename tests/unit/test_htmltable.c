/*
 * test_htmltable.c -- the reader of HTML tables saved as .xls
 * (etl/htmltable.c), through mc_read_mem and mc_read_file (which choose it
 * by the first bytes), on pages built here: colspan, rowspan, <br>,
 * entities, nested tags and tables, several tables, unterminated tags,
 * charset refusals, limits.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "etl/htmltable.h"
#include "etl/reader.h"
#include "tests/unit/sheettranscript.h"

/* A page as an export button writes it: a title table without a header,
 * the list, and a table after it that is not read. */
static const char PAGE[] =
    "<!DOCTYPE html>\n<html><head><meta charset=\"UTF-8\"><title>Danh s&aacute;ch</title>"
    "<style>td { color: red }</style></head>\n<body>\n"
    "<table><tr><td colspan=\"3\"><b>DANH SÁCH HỒ SƠ</b></td></tr></table>\n"
    "<table border=\"1\">\n<thead>\n"
    "<tr><th>Mã hồ sơ</th><th>Ngày<br>tiếp nhận</th><th>Trạng thái</th><th>Ghi chú</th></tr>\n"
    "</thead>\n<tbody>\n"
    "<tr><td>A&amp;1</td><td>02/07/2025</td><td rowspan=\"2\">Đang xử lý</td>"
    "<td><b>x</b> &lt;y&gt; &nbsp;</td></tr>\n"
    "<tr><td>A2</td><td>01/07/2025</td><td>ghi chú</td></tr>\n"
    "<tr><td colspan=\"2\">A3 <i>gộp</i></td><td>x</td></tr>\n"
    "<tr></tr>\n"
    "<tr><td>A4</td><td>03/07/2025<br/>08:15</td><td>M&#7899;i</td></tr>\n"
    "<tr><td>A5</td><td><table><tr><td>n1</td><td>n2</td></tr></table></td><td>x</td></tr>\n"
    "<tr><td>A6</td><td></td><td>  </td><td>&nbsp;</td></tr>\n"
    "<!-- a comment <td>not a cell</td> -->\n"
    "<tr><td>A7<td>04/07/2025<td>Xong\n"
    "</tbody></table>\n"
    "<table><tr><th>Mã hồ sơ</th></tr><tr><td>ZZZ</td></tr></table>\n"
    "</body></html>\n";

static const char PAGE_READ[] =
    "Stable 1\nH1:DANH SÁCH HỒ SƠ\n"
    "Stable 2\nH1:Mã hồ sơ|Ngày tiếp nhận|Trạng thái|Ghi chú\n"
    "R2:A&1|02/07/2025|Đang xử lý|x <y> \xc2\xa0\n"
    "R3:A2|01/07/2025||ghi chú\n"
    "R4:A3 gộp||x\n"
    "R6:A4|03/07/2025 08:15|Mới\n"
    "R7:A5|   n1 n2 |x\n"
    "R8:A6\n"
    "R9:A7|04/07/2025|Xong\\x0a\n"
    "E0:";

static int read_page(const char *page, size_t n, const mc_reader_opts *o, st_rec *r,
                     mc_reader_info *in, mc_error *err)
{
    int st = mc_read_mem("page.xls", page, n, o, &ST_CB, r, in, err);
    st_end(r, st, err);
    return st;
}

Test(html, sniff)
{
    static const struct {
        const char *s;
        int want;
    } cases[] = {
        {"<html>", MC_HTML_TABLE},
        {"  \r\n<HTML lang=\"vi\">", MC_HTML_TABLE},
        {"\xEF\xBB\xBF<!DOCTYPE html>", MC_HTML_TABLE},
        {"<!doctype   HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\">", MC_HTML_TABLE},
        {"<table border=1>", MC_HTML_TABLE},
        {"\t<TABLE>", MC_HTML_TABLE},
        {"<html", MC_HTML_TABLE},
        {"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<html>", MC_HTML_TABLE},
        {"<?xml version=\"1.0\"?><?mso-application progid=\"Excel.Sheet\"?>"
         "<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\">", MC_HTML_XMLSS},
        {"<?xml version=\"1.0\"?><root/>", MC_HTML_NO},
        {"<?xml version=\"1.0\"", MC_HTML_NO},
        {"MaHoSo,MaDonVi\n", MC_HTML_NO},
        {"<htmlx>", MC_HTML_NO},
        {"<tablet>", MC_HTML_NO},
        {"<!-- saved from url=(0014)about:internet --> <html>", MC_HTML_TABLE},
        {"<!-- x --> <!----><TABLE>", MC_HTML_TABLE},
        {"<!-- never closed <html>", MC_HTML_NO},
        {"<meta charset=\"utf-8\"><table>", MC_HTML_TABLE},
        {"<head><title>x</title>", MC_HTML_TABLE},
        {"<BODY>", MC_HTML_TABLE},
        {"<br>", MC_HTML_NO},
        {"", MC_HTML_NO},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cr_expect_eq(mc_html_sniff(cases[i].s, strlen(cases[i].s)), cases[i].want, "%s",
                     cases[i].s);
}

Test(html, the_first_table_with_a_header_as_rows)
{
    st_rec r = {.want_header = "Mã"};
    mc_reader_info in;
    mc_error err;
    read_page(PAGE, sizeof PAGE - 1, NULL, &r, &in, &err);
    cr_assert_str_eq(r.t, PAGE_READ);
    cr_assert_str_eq(in.format, "html");
    cr_assert_str_eq(in.sheet, "table 2");
    cr_assert_eq(in.ragged, 1);
    cr_assert_eq(in.rows, 7);
    cr_assert_eq(in.lines, 9);
    cr_assert_eq(in.bytes_raw, sizeof PAGE - 1);
    st_free(&r);
}

Test(html, any_read_size_gives_the_same_rows_and_every_byte_to_on_raw)
{
    /* the page, then 300 KiB after the table: read to its end for on_raw */
    size_t tail = 300 * 1024, n = sizeof PAGE - 1 + tail;
    char *big = malloc(n);
    memcpy(big, PAGE, sizeof PAGE - 1);
    for (size_t i = 0; i < tail; i++)
        big[sizeof PAGE - 1 + i] = i % 64 == 63 ? '\n' : "<p>x</p>"[i % 8];
    size_t sizes[] = {1, 2, 3, 7, 64, 1000, 65536, 0};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        st_rec r = {.want_header = "Mã"};
        mc_reader_opts o = {.chunk_size = sizes[k], .on_raw = st_on_raw, .raw_ctx = &r};
        mc_reader_info in;
        mc_error err;
        read_page(big, n, &o, &r, &in, &err);
        cr_assert_str_eq(r.t, PAGE_READ, "chunk %zu", sizes[k]);
        cr_assert_eq(r.raw_len, n, "chunk %zu", sizes[k]);
        cr_assert(memcmp(r.raw, big, n) == 0, "chunk %zu", sizes[k]);
        st_free(&r);
    }
    /* and from a file, chosen by its first bytes whatever its name */
    char path[] = "/tmp/motcua-html-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, big, n), (ssize_t)n);
    close(fd);
    st_rec r = {.want_header = "Mã"};
    mc_reader_opts o = {.chunk_size = 4096, .on_raw = st_on_raw, .raw_ctx = &r};
    mc_reader_info in;
    mc_error err;
    int st = mc_read_file(path, &o, &ST_CB, &r, &in, &err);
    st_end(&r, st, &err);
    unlink(path);
    cr_assert_str_eq(r.t, PAGE_READ);
    cr_assert_eq(r.raw_len, n);
    cr_assert_eq(in.bytes_raw, n);
    st_free(&r);
    free(big);
}

Test(html, a_layout_table_gives_way_to_the_table_inside_it)
{
    static const char page[] =
        "<html><body><table><tr><td>menu</td><td>"
        "<table><tr><th>MaHoSo</th><th>X</th></tr><tr><td>A1</td><td>1</td></tr></table>"
        "</td></tr><tr><td>footer</td></tr></table></body></html>";
    st_rec r = {.want_header = "MaHoSo"};
    mc_reader_info in;
    mc_error err;
    read_page(page, sizeof page - 1, NULL, &r, &in, &err);
    cr_assert_str_eq(r.t, "Stable 2\nH1:MaHoSo|X\nR2:A1|1\nE0:");
    st_free(&r);
}

Test(html, unterminated_tags_end_with_the_page)
{
    static const char page[] = "<table><tr><th>MaHoSo<th>X<tr><td>A1<td>B1<tr><td>A2";
    st_rec r = {0};
    mc_reader_info in;
    mc_error err;
    read_page(page, sizeof page - 1, NULL, &r, &in, &err);
    cr_assert_str_eq(r.t, "Stable 1\nH1:MaHoSo|X\nR2:A1|B1\nR3:A2\nE0:");
    cr_assert_eq(in.lines, 3);
    st_free(&r);
}

Test(html, rowspan_carries_empty_fields_into_the_rows_below)
{
    static const char page[] =
        "<table><tr><th>a</th><th>b</th><th>c</th></tr>"
        "<tr><td rowspan=3>1</td><td colspan=2 rowspan=2>2</td></tr>"
        "<tr></tr>"
        "<tr><td>3</td><td>4</td></tr>"
        "<tr><td>5</td><td rowspan=0>6</td><td rowspan=x>7</td></tr>"
        "<tr><td>8</td></tr></table>";
    st_rec r = {0};
    mc_reader_info in;
    mc_error err;
    read_page(page, sizeof page - 1, NULL, &r, &in, &err);
    /* row 3 is all covered: blank, not a row; in row 4, column a is still
     * covered, so 3 and 4 go to columns b and c; rowspan 0 or not a number
     * is 1 */
    cr_assert_str_eq(r.t, "Stable 1\nH1:a|b|c\nR2:1|2\nR4:|3|4\nR5:5|6|7\nR6:8\nE0:");
    st_free(&r);
}

Test(html, huge_spans_are_bounded)
{
    static const char page[] =
        "<table><tr><th>a</th></tr>"
        "<tr><td colspan=2147483647 rowspan=99999999999>1</td><td>2</td></tr>"
        "<tr><td>3</td></tr></table>";
    st_rec r = {0};
    mc_reader_info in;
    mc_error err;
    read_page(page, sizeof page - 1, NULL, &r, &in, &err);
    /* colspan 1000 (HTML's limit): "2" lands in column 1001; the rowspan
     * (at most 65534) covers columns 1-1000 of the rows below */
    char want[8192];
    int o = snprintf(want, sizeof want, "Stable 1\nH1:a\nR2:1");
    for (int i = 1; i < 1000; i++)
        o += snprintf(want + o, sizeof want - (size_t)o, "|");
    o += snprintf(want + o, sizeof want - (size_t)o, "|2\nR3:");
    for (int i = 0; i < 1000; i++)
        o += snprintf(want + o, sizeof want - (size_t)o, "|");
    snprintf(want + o, sizeof want - (size_t)o, "3\nE0:");
    cr_assert_str_eq(r.t, want);
    st_free(&r);
}

Test(html, limits)
{
    static const char page[] =
        "<table><tr><th>a</th><th>b</th><th>c</th></tr>"
        "<tr><td colspan=9>w</td></tr>"
        "<tr><td>1</td><td>2</td><td>3</td><td>4</td></tr>"
        "<tr><td>123456789</td></tr>"
        "<tr><td>1234</td><td>5678</td><td>9</td></tr>"
        "<tr><td>ok</td></tr></table>";
    st_rec r = {0};
    mc_reader_opts o = {.max_columns = 3, .max_field = 8, .max_row = 8};
    mc_reader_info in;
    mc_error err;
    read_page(page, sizeof page - 1, &o, &r, &in, &err);
    /* row 2's places past c are empty: no fields */
    cr_assert_str_eq(r.t, "Stable 1\nH1:a|b|c\n"
                          "R2:w\n"
                          "B3:bad_field_count:row has more than 3 fields\n"
                          "B4:row_too_large:field longer than 8 bytes\n"
                          "B5:row_too_large:row longer than 8 bytes\n"
                          "R6:ok\nE0:");
    cr_assert_eq(in.rows, 5);
    st_free(&r);

    st_rec w = {0};
    mc_reader_opts narrow = {.max_columns = 2};
    int st = read_page(page, sizeof page - 1, &narrow, &w, &in, &err);
    cr_assert_eq(st, MC_EXIT_DATA);
    cr_assert_str_eq(err.msg, "page.xls: table 1 row 1: header: row has more than 2 fields");
    st_free(&w);
}

/* The read's status and message (rows before a refusal may have been
 * handed over: the caller rolls the file back). */
static int refused(const char *page, char *msg, size_t cap)
{
    st_rec r = {0};
    mc_reader_info in;
    mc_error err;
    int st = mc_read_mem("page.xls", page, strlen(page), NULL, &ST_CB, &r, &in, &err);
    snprintf(msg, cap, "%s", err.msg);
    st_free(&r);
    return st;
}

Test(html, another_charset_is_refused_and_named)
{
    char msg[1024];
    cr_assert_eq(refused("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
                         "charset=windows-1258\"></head><body><table><tr><td>MaHoSo</td></tr>"
                         "</table></body></html>", msg, sizeof msg),
                 MC_EXIT_DATA);
    cr_assert_str_eq(msg, "page.xls: the page declares the character set windows-1258 (<meta>): "
                          "only UTF-8 is read; save the page again as UTF-8, or the table as .xlsx");
    cr_assert_eq(refused("<html><meta charset='ISO-8859-1'><table><tr><td>x</td></tr></table>",
                         msg, sizeof msg), MC_EXIT_DATA);
    cr_assert_not_null(strstr(msg, "the character set ISO-8859-1 (<meta>)"), "%s", msg);
    cr_assert_eq(refused("<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n<html><table>"
                         "<tr><td>x</td></tr></table></html>", msg, sizeof msg), MC_EXIT_DATA);
    cr_assert_not_null(strstr(msg, "the character set windows-1252 (XML declaration)"), "%s", msg);
    /* UTF-8 spelled either way is read */
    st_rec r = {0};
    mc_reader_info in;
    mc_error err;
    static const char ok[] = "<html><meta charset=utf8><meta http-equiv=content-type "
                             "content='text/html;charset=UTF-8'><table><tr><td>x</td></tr></table>";
    cr_assert_eq(read_page(ok, sizeof ok - 1, NULL, &r, &in, &err), 0, "%s", err.msg);
    st_free(&r);
}

Test(html, bytes_that_are_not_utf8_are_refused)
{
    char msg[1024];
    cr_assert_eq(refused("<table>\n<tr><td>MaHoSo</td></tr>\n<tr><td>Ph\xF2ng</td></tr></table>",
                         msg, sizeof msg), MC_EXIT_DATA);
    cr_assert_str_eq(msg, "page.xls: line 3: not UTF-8 (byte 0xF2): an HTML table is read only in "
                          "UTF-8; save the page again as UTF-8, or the table as .xlsx");
    /* a Windows-1258 page: the charset it declares is named */
    cr_assert_eq(refused("<html><head><title>Danh s\xE1\x63h</title><meta charset=windows-1258>"
                         "</head><table><tr><td>x</td></tr></table>", msg, sizeof msg),
                 MC_EXIT_DATA);
    cr_assert_not_null(strstr(msg, "line 1: not UTF-8 (byte 0xE1; the page declares "
                                   "windows-1258)"), "%s", msg);
    static const char nul[] = "<table><tr><td>MaHoSo</td></tr><tr><td>a\0b</td></tr></table>";
    st_rec r = {0};
    mc_reader_info in;
    mc_error err;
    cr_assert_eq(mc_read_mem("page.xls", nul, sizeof nul - 1, NULL, &ST_CB, &r, &in, &err),
                 MC_EXIT_DATA);
    cr_assert_not_null(strstr(err.msg, "not UTF-8 (a NUL byte)"), "%s", err.msg);
    st_free(&r);
    cr_assert_eq(refused("<table><tr><td>\xE1\xBB", msg, sizeof msg), MC_EXIT_DATA);
    cr_assert_not_null(strstr(msg, "not UTF-8 (the file ends inside a character)"), "%s", msg);
}

Test(html, an_excel_xml_spreadsheet_is_refused)
{
    st_rec r = {0};
    mc_reader_info in;
    mc_error err;
    int st = mc_read_file("../../fixtures/bad/xml-spreadsheet-2003.xls", NULL, &ST_CB, &r, &in,
                          &err);
    cr_assert_eq(st, MC_EXIT_DATA);
    cr_assert_str_eq(err.msg, "../../fixtures/bad/xml-spreadsheet-2003.xls: an Excel 2003 XML "
                              "Spreadsheet (XML under an .xls name), a format motcua does not "
                              "read: open it in Excel and save it as .xlsx (Excel Workbook)");
    cr_assert_eq(r.len, 0);
    st_free(&r);
}

Test(html, pages_without_a_table_row)
{
    char msg[1024];
    cr_assert_eq(refused("<html><body><p>Kh&ocirc;ng c&oacute; d&#7919; li&#7879;u</p></body>"
                         "</html>", msg, sizeof msg), MC_EXIT_DATA);
    cr_assert_str_eq(msg, "page.xls: no header line (an HTML page with no <table>)");
    cr_assert_eq(refused("<html><table><tr><td> </td></tr></table><table></table></html>", msg,
                         sizeof msg), MC_EXIT_DATA);
    cr_assert_str_eq(msg, "page.xls: no header line (the page's 2 tables hold no non-empty row)");
    /* every table turned down: the last answer is the error */
    st_rec r = {.want_header = "MaHoSo"};
    mc_reader_info in;
    mc_error err;
    static const char page[] = "<table><tr><td>a</td></tr></table><table><tr><td>b</td></tr>";
    cr_assert_eq(read_page(page, sizeof page - 1, NULL, &r, &in, &err), MC_EXIT_DATA);
    cr_assert_str_eq(r.t, "Stable 1\nH1:a\nStable 2\nH1:b\nE65:no 'MaHoSo' in line 1");
    st_free(&r);
}

Test(html, an_unclosed_comment_does_not_fill_memory)
{
    size_t n = (size_t)17 << 20;
    char *page = malloc(n);
    static const char start[] = "<table><tr><td>MaHoSo</td></tr><!--";
    memcpy(page, start, sizeof start - 1);
    memset(page + sizeof start - 1, 'a', n - (sizeof start - 1));
    st_rec r = {0};
    mc_reader_info in;
    mc_error err;
    int st = mc_read_mem("page.xls", page, n, NULL, &ST_CB, &r, &in, &err);
    cr_assert_eq(st, MC_EXIT_DATA);
    cr_assert_str_eq(err.msg, "page.xls: line 1: more than 16 MiB that do not parse as HTML (an "
                              "unclosed comment, tag or quoted value?): not a table export");
    st_free(&r);
    free(page);
}

Test(html, a_callback_status_ends_the_read)
{
    st_rec r = {.want_header = "Mã", .stop_at_row = 1};
    mc_reader_info in;
    mc_error err;
    int st = read_page(PAGE, sizeof PAGE - 1, NULL, &r, &in, &err);
    cr_assert_eq(st, MC_EXIT_DATA);
    cr_assert_str_eq(err.msg, "stopped at row 1");
    st_free(&r);
}
