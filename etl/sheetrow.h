/*
 * sheetrow.h -- what the readers of tables (etl/xls.c, etl/htmltable.c)
 * share: collecting one row's cells, the size limits of mc_reader_opts, and
 * the hand-over of header and rows to the callbacks of etl/reader.h, with
 * the "next sheet" answer (SPEC 10.1: the sheet read is the first that
 * holds a header).
 *
 * A reader walks its sheets (or tables) in order and, for each row, calls
 * mc_sheetrow_cell_begin / _append / _end per cell and mc_sheetrow_end_row.
 * This module decides the rest, the same way for every table format:
 *   - a cell of blanks only (white space, NBSP) is an empty field;
 *   - trailing empty cells are dropped (workbooks and HTML leave them out
 *     anyway: info->ragged), and a row with no non-empty cell is a blank row,
 *     neither delivered nor counted;
 *   - the first non-empty row of a sheet goes to on_header, after on_sheet
 *     with the sheet's name; later rows to on_row;
 *   - a field past max_field or a row past max_row makes the row
 *     row_too_large, a non-empty cell past max_columns makes it
 *     bad_field_count (on_bad_row); on the header either refuses the file.
 * Memory: one row, bounded by max_row and max_columns.
 * mc_sheetrow_number, the text of a numeric cell, serves etl/xlsx.c too.
 */
#ifndef MC_SHEETROW_H
#define MC_SHEETROW_H

#include <stddef.h>

#include "etl/reader.h"

typedef struct mc_sheetrow {
    const char *name;               /* the file, for messages */
    const char *what;               /* "sheet" or "table": how messages name a row */
    size_t max_field, max_row, max_columns;
    const mc_reader_cb *cb;
    void *ctx;
    mc_reader_info *info;
    mc_error *err;

    char sheet[256];                /* the sheet being read */
    int header_done;                /* its header was taken */
    int accepted;                   /* a sheet's header was taken and kept */
    mc_error skipped;               /* the last "next sheet" answer */
    int have_skipped;

    /* the open row */
    char *store;
    size_t slen, scap;
    size_t *off, *len;              /* per field, into store */
    size_t nf, fcap;
    mc_field *fv;
    int in_cell, cell_over;         /* a cell is open; it is past max_columns */
    size_t cell_start;
    int bad;                        /* the row is lost: reason below */
    int bad_reason;                 /* mc_reason */
    char bad_detail[96];
} mc_sheetrow;

/* Set up for a read; opts may be NULL (defaults of reader.h).  info and err
 * are the reader's, filled as the read goes. */
void mc_sheetrow_init(mc_sheetrow *s, const char *name, const char *what,
                      const mc_reader_opts *opts, const mc_reader_cb *cb, void *ctx,
                      mc_reader_info *info, mc_error *err);
void mc_sheetrow_free(mc_sheetrow *s);

/* A new sheet starts (its name, UTF-8, cut to fit at a character edge; a
 * table's name is "table N", which messages use as it is).
 * Forgets the previous sheet's header and any open row. */
void mc_sheetrow_sheet(mc_sheetrow *s, const char *sheet);

/* Cells of the open row, in order: begin, any number of appends, end.
 * Return 0, or MC_EXIT_SOFTWARE when memory ran out (err filled). */
int mc_sheetrow_cell_begin(mc_sheetrow *s);
int mc_sheetrow_cell_append(mc_sheetrow *s, const char *p, size_t n);
void mc_sheetrow_cell_end(mc_sheetrow *s);

/* An empty cell (a place in the row, e.g. under a merge). */
int mc_sheetrow_cell_empty(mc_sheetrow *s);

/*
 * End the open row, which is row `line` (1-based) of the sheet, and hand it
 * over.  Returns 0 to go on, MC_READER_NEXT_SHEET when a callback said the
 * sheet holds no header (the reader goes on with its next sheet; the answer
 * is kept for mc_sheetrow_finish), or an MC_EXIT_* status that ends the read
 * (err filled: a refused header, or a callback's status).
 */
int mc_sheetrow_end_row(mc_sheetrow *s, long line);

/*
 * The sheet was read to its end (its rows all handed over): one that gave
 * rows but, by its end, no header (a cover of a few lines; the callbacks'
 * on_sheet_end says so) is turned down like a sheet whose header a callback
 * refused.  Returns 0 (the sheet read), MC_READER_NEXT_SHEET (go on with the
 * next sheet; the answer is kept for mc_sheetrow_finish) or an MC_EXIT_*.
 */
int mc_sheetrow_end_sheet(mc_sheetrow *s);

/* Drop the open row without handing it over. */
void mc_sheetrow_drop_row(mc_sheetrow *s);

/*
 * A workbook number as text into out (cap >= 32): the shortest form that
 * reads back as v ('.' as the point), integers below 1e15 without ".0";
 * the form every workbook reader gives a numeric cell (SPEC 10.1).
 */
void mc_sheetrow_number(double v, char *out, size_t cap);

/*
 * After the last sheet: 0 when a sheet's header was taken; MC_EXIT_DATA with
 * the last "next sheet" answer's error when every header was turned down;
 * -1 when no sheet had a non-empty row (the reader words that refusal).
 */
int mc_sheetrow_finish(mc_sheetrow *s);

#endif
