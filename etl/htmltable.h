/*
 * htmltable.h -- the reader of an HTML table saved as .xls (SPEC 10.1):
 * several one-stop systems' "export to Excel" buttons write the page's
 * <table> as HTML under an .xls name.
 *
 * Read through libxml2's HTML parser in push mode with SAX callbacks, fed
 * in blocks as the file is read, so no tree is built and memory stays
 * bounded (one row, the parser's look-ahead, and a limit on what the parser
 * may hold back: an unclosed comment or tag refuses the file).
 *
 * Each <table> is a "sheet" named "table N" (N counts <table> start tags in
 * document order).  The first table in which the callbacks find a header
 * is read (MC_READER_NEXT_SHEET, from a row or from on_sheet_end at the
 * table's end, moves to the next table), and the read ends with that
 * table.  Rows are its <tr>, cells its
 * <td> and <th> as text: tags stripped, entities decoded by libxml2, <br>
 * and the start of a <p>, <div> or <li> inside a cell as a space, white
 * space as it comes (the normalizer trims and folds it).  colspan and
 * rowspan repeat a cell's place like a merged cell: the value in the first
 * place, empty fields in the others, a rowspan carrying empty fields into
 * the following rows at its columns.  A line number is the row's 1-based
 * <tr> count within its table.  info->format is "html", info->ragged 1.
 *
 * Nested tables: the text of a table inside a cell of the table being read
 * is text of that cell (its cells and rows joined by spaces).  But a table
 * that holds another one before any non-empty row of its own is a layout
 * table: it is left, and the inner table is read in its place.
 *
 * Refused (MC_EXIT_DATA, the message says what to do): a page that is not
 * UTF-8 (an invalid byte, or a <meta> charset or XML declaration naming
 * another character set), an Excel 2003 "XML Spreadsheet" (also .xls, also
 * starting with <?xml), a page with no table holding a non-empty row.
 */
#ifndef MC_HTMLTABLE_H
#define MC_HTMLTABLE_H

#include <stddef.h>

#include "etl/reader.h"

/* How many first bytes of a file mc_html_sniff wants to see. */
#define MC_HTML_SNIFF_BYTES 4096

enum {
    MC_HTML_NO = 0,     /* not HTML: some other reader's */
    MC_HTML_TABLE,      /* an HTML page: mc_html_read_* */
    MC_HTML_XMLSS       /* an Excel 2003 XML Spreadsheet: mc_html_read_* refuses it */
};

/*
 * What the first n bytes of a file are.  HTML when, after a UTF-8 BOM and
 * white space, they start with <html, <!DOCTYPE html or <table (any letter
 * case), or with an XML declaration <?xml ...?> followed, after white
 * space, by one of those (SPEC 10.1); also, beyond the spec, with <head,
 * <body or <meta, which hand-made export buttons write first, and after
 * HTML comments.  No CSV export starts with '<'.  An XML declaration followed by an Excel
 * <Workbook> of urn:schemas-microsoft-com:office:spreadsheet is
 * MC_HTML_XMLSS.
 */
int mc_html_sniff(const void *p, size_t n);

/*
 * Read the page open on fd (its name used in messages) from its current
 * position, as mc_read_file does (reader.h: same callbacks, options and
 * statuses; every byte read goes through opts->on_raw, in order, and a page
 * whose table was read is still read to its end for it).  fd is not
 * closed.  info must not be NULL.
 */
int mc_html_read_fd(const char *name, int fd, const mc_reader_opts *opts, const mc_reader_cb *cb,
                    void *ctx, mc_reader_info *info, mc_error *err);

/* The same from memory. */
int mc_html_read_mem(const char *name, const void *buf, size_t n, const mc_reader_opts *opts,
                     const mc_reader_cb *cb, void *ctx, mc_reader_info *info, mc_error *err);

#endif
