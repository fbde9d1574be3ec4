/*
 * frame.h -- what surrounds the rows of an export as people get it
 * (SPEC 10.2): a title block above the header, a header of one, two or
 * three rows, and a signature block below the data.
 *
 * A reader (etl/reader.h) delivers every non-empty row of a file, or of a
 * workbook's sheet, the first one as its "header".  The frame sits between
 * the reader and whoever loads the rows.  It finds the header within the
 * first MC_FRAME_TITLE_ROWS non-empty rows, builds the column map from it,
 * and passes on the data rows in file order; it holds back the rows that
 * may be a signature block until a data row shows that they are not.
 * Title, header and trailer rows are not rows of the file: the frame
 * counts them and never passes them on, so rows_read = accepted +
 * duplicate + quarantined stays true of what it passes on.
 *
 * On the way it does to every data row what must come before the
 * normalizer: a workbook's short row padded to the header's width, the
 * header met again (repeated_header), bytes that did not convert to UTF-8
 * (bad_encoding).
 *
 * Memory: at most three candidate header rows of at most
 * MC_FRAME_CANDIDATE_BYTES each, the header rows, and at most
 * MC_FRAME_TRAILER_ROWS held rows of at most MC_FRAME_TRAILER_BYTES each,
 * whatever the file holds.
 */
#ifndef MC_FRAME_H
#define MC_FRAME_H

#include <stddef.h>

#include "base/error.h"
#include "etl/reader.h"
#include "transforms/normalize.h"
#include "transforms/record.h"

#define MC_FRAME_TITLE_ROWS 50     /* non-empty rows the header is looked for in */
#define MC_FRAME_HEADER_ROWS 3     /* rows a header may span */
#define MC_FRAME_CANDIDATE_BYTES ((size_t)1 << 20) /* a longer row is never a header row */
#define MC_FRAME_TRAILER_ROWS 100  /* a longer block is quarantined row by row */
#define MC_FRAME_TRAILER_CELLS 3   /* non-empty cells a trailer row may have */
#define MC_FRAME_TRAILER_BYTES 4096 /* a trailer row's cells, 8 bytes of bookkeeping each */

/* Where the rows go.  Cells are valid only during the call. */
typedef struct mc_frame_sink {
    /* A data row, in file order, to normalize with mc_frame_map(). */
    int (*on_row)(void *ctx, long line, const mc_field *f, size_t n, mc_error *err);
    /* A row quarantined before normalization: the reason, its canonical
     * column or -1, a one-line detail that quotes no cell, and the cells to
     * keep a masked copy of (NULL when none may be kept). */
    int (*on_reject)(void *ctx, long line, mc_reason reason, int col, const char *detail,
                     const mc_field *f, size_t n, mc_error *err);
} mc_frame_sink;

/* What the frame saw.  seen = above + header_rows + rows + trailer. */
typedef struct mc_frame_stats {
    long seen;          /* rows the reader delivered (its header included) */
    long above;         /* rows above the header (title blocks, sheets without a header) */
    int header_rows;    /* 1 to 3 once the header is found */
    long header_line;   /* line or sheet row of the header's last row; 0 before */
    long rows;          /* rows passed on: on_row + on_reject */
    long trailer;       /* rows of the signature block, blank ones included */
    long trailer_rows;  /* its non-blank rows (SPEC 10.4) */
    long unconverted;   /* rows passed on holding bytes that did not convert */
} mc_frame_stats;

typedef struct mc_frame mc_frame;

/*
 * A frame for one read of the file name (used in messages).  info is the
 * mc_reader_info the reader fills (ragged, converted and format are read
 * as rows come).  NULL when out of memory.
 */
mc_frame *mc_frame_new(const char *name, const mc_reader_info *info, const mc_frame_sink *sink,
                       void *ctx);
void mc_frame_free(mc_frame *fr);

/* The reader's callbacks, to pass with the frame as their ctx.  Their
 * answers: 0, a sink's status, MC_EXIT_DATA (no header in a text file, or
 * a header the column map refuses), MC_READER_NEXT_SHEET (no header within
 * the first rows of a workbook's sheet: the next sheet is tried, and the
 * error says why if none is left). */
extern const mc_reader_cb mc_frame_reader_cb;

/*
 * After a complete read: the header still waiting for its next row is
 * settled, the rows still held are the signature block.  Refuses
 * (MC_EXIT_DATA) a file where no header was found, naming the required
 * columns, the rows looked at and what the closest row held without
 * quoting it; and a converted file where more than half the rows passed on
 * hold bytes that did not convert (SPEC 10.3).
 */
int mc_frame_finish(mc_frame *fr, mc_error *err);

/* The column map, or NULL before the header is found. */
const mc_colmap *mc_frame_map(const mc_frame *fr);

const mc_frame_stats *mc_frame_stats_of(const mc_frame *fr);

#endif
