/*
 * xlsx.h -- the Office Open XML workbook reader (SPEC 10.1): an .xlsx export
 * turned into the same stream of rows the CSV reader gives (reader.h).
 *
 * libzip opens the archive and inflates one part at a time; expat parses it
 * as a stream (SAX), so a sheet of any length is read row by row in bounded
 * memory.  Only the shared-strings table is held whole, and it is limited.
 * The workbook's parts: xl/workbook.xml (sheet order and names, the 1904
 * date system), xl/_rels/workbook.xml.rels (where each sheet is),
 * xl/sharedStrings.xml, xl/styles.xml (which cell styles are dates).
 *
 * Cells are placed by their reference (C7: third field of sheet row 7), so
 * gaps are empty fields; a row is delivered from column A to its last
 * non-empty cell (info->ragged: the caller pads it to the header's width);
 * a row with no non-empty cell is skipped like a blank CSV line.  The
 * `line` of every callback is the sheet's row number.  Numbers in a date
 * style become `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS`; other numbers their
 * shortest round-trip text; booleans TRUE/FALSE; errors (#N/A) and formula
 * strings their text; formulas their cached value.
 *
 * Refused with MC_EXIT_DATA and a one-line message naming the file: a ZIP
 * without xl/workbook.xml (not an Excel workbook), no worksheet, a missing
 * sheet part, an encrypted entry, a damaged or truncated archive, a part
 * inflating past the limit or at a bomb's ratio, a shared-strings table
 * past the limit, any DOCTYPE (no DTD is ever processed), malformed XML,
 * and a reference to a shared string that does not exist.
 */
#ifndef MC_XLSX_H
#define MC_XLSX_H

#include <stddef.h>

#include "etl/reader.h"

/* Default for mc_reader_opts.max_part: the inflated size of one part (a
 * worksheet: MC_XLSX_SHEET_FACTOR times it), and the in-memory size of the
 * shared-strings table (SPEC 10.1: 256 MB). */
#define MC_XLSX_MAX_PART ((uint64_t)256 << 20)
/* A worksheet, streamed row by row, may inflate to this many times
 * max_part (4 GiB by default: Excel's 1,048,576 rows of a wide export). */
#define MC_XLSX_SHEET_FACTOR 16
/* A part that inflates past this many bytes at more than
 * MC_READER_BOMB_RATIO times its compressed size is a decompression bomb:
 * worksheet XML compresses 5-30x, so an honest part never gets there. */
#define MC_XLSX_BOMB_FLOOR ((uint64_t)16 << 20)

/* 1 when the first bytes of a file are a ZIP local header (50 4b 03 04). */
int mc_xlsx_magic(const void *p, size_t n);

/*
 * Read the workbook open on fd (any position; it is read from offset 0)
 * named path in messages, pushing each sheet's rows to cb as mc_read_file
 * does (reader.h), with on_sheet before each sheet and MC_READER_NEXT_SHEET
 * honoured.  Every byte of the file passes through opts->on_raw once, in
 * order, before the first callback.  fd is not closed.  Returns 0, a
 * callback's status, MC_EXIT_DATA (refused) or MC_EXIT_IO, err filled.
 */
int mc_xlsx_read_fd(const char *path, int fd, const mc_reader_opts *opts, const mc_reader_cb *cb,
                    void *ctx, mc_reader_info *info, mc_error *err);

/* The same from memory (tests, fuzzing). */
int mc_xlsx_read_mem(const char *name, const void *buf, size_t n, const mc_reader_opts *opts,
                     const mc_reader_cb *cb, void *ctx, mc_reader_info *info, mc_error *err);

#endif
