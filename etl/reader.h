/*
 * reader.h -- streaming CSV reader for case-log exports (SPEC 1.1).
 *
 * The reader turns one export (plain or gzip, detected by magic bytes) into a
 * stream of raw rows pushed to callbacks.  It owns the file-level decisions:
 * encoding sniffing (a file that is not UTF-8 at all is refused with the
 * likely encoding named), conversion to UTF-8 while streaming (UTF-16 with a
 * byte-order mark always; CP1258 or TCVN3 when the caller asks, SPEC 10.3),
 * BOM, Excel's `sep=X` line, delimiter detection,
 * RFC 4180 quoting (libcsv), blank lines, physical line numbers, and the size
 * limits that keep memory flat whatever the file holds.  It does not check
 * field counts, trim, or validate UTF-8 inside rows: that is the caller's,
 * which quarantines rows with the reasons of SPEC 1.3-1.5.
 *
 * Memory is bounded by the options, never by the file: about
 * chunk_size + max_field + max_row + 64 KiB plus the header.
 */
#ifndef MC_READER_H
#define MC_READER_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "transforms/record.h"

/* Fields arrive as mc_field (transforms/record.h): raw bytes, not
 * NUL-terminated, may contain NUL, valid only during the callback. */

/* The legacy encoding a caller allows (SPEC 10.3: --encoding); UTF-8 and
 * UTF-16 with a byte-order mark are read whatever this says. */
typedef enum {
    MC_READER_UTF8 = 0,  /* legacy files are refused, naming the likely encoding */
    MC_READER_CP1258,    /* a file that is not UTF-8 is converted from Windows-1258 */
    MC_READER_TCVN3      /* ... from TCVN3 (TCVN 5712:1993, glibc's TCVN5712-1) */
} mc_reader_encoding;

/* In converted text, a byte sequence that did not convert is this byte, one
 * per sequence: 0xFF never occurs in UTF-8, so the caller finds such a row
 * by the byte and quarantines it (bad_encoding); the row's line and fields
 * stay where they were. */
#define MC_READER_UNCONVERTED 0xFF

/* Limits; a zero member takes the default shown. */
typedef struct mc_reader_opts {
    size_t chunk_size;  /* bytes read per step; 0 -> 1 MiB (tests use 1..64) */
    size_t max_field;   /* 0 -> 1 MiB: a longer field makes the row row_too_large */
    size_t max_row;     /* 0 -> 4 MiB: sum of a row's field bytes */
    size_t max_columns; /* 0 -> 4096: a wider header refuses the file; a data
                           row with more fields is reported bad_field_count */
    uint64_t max_part;  /* workbooks: 0 -> 256 MiB (MC_XLSX_MAX_PART): the most one
                           part may inflate to, and the most the shared-strings
                           table may take in memory; past it the file is refused */
    /* When set, given every byte the reader takes from the file, in file
     * order, as it takes them (ingest digests the file on the way); the
     * reader may stop before the end of the file when it refuses it. */
    void (*on_raw)(void *raw_ctx, const void *p, size_t n);
    void *raw_ctx;
    /* A file whose first 64 KiB are not UTF-8 (more invalid sequences than
     * valid ones) is converted from this encoding instead of being refused;
     * a file that is UTF-8 (or ASCII) is read as UTF-8 whatever this says,
     * so one setting serves an inbox that mixes both. */
    mc_reader_encoding encoding;
} mc_reader_opts;

/*
 * Callbacks; any may be NULL.  `line` is the 1-based physical line where the
 * row starts (SPEC 7, rejects).  Each returns 0 to go on, or an MC_EXIT_*
 * status (with err filled) to stop the read; the reader then returns that
 * status.
 *   on_header   the first non-empty line after an optional sep= line
 *   on_row      every later non-blank row, fields raw, count unchecked
 *   on_bad_row  a row the reader could not deliver: MC_REASON_ROW_TOO_LARGE,
 *               MC_REASON_UNTERMINATED_QUOTE, or MC_REASON_BAD_FIELD_COUNT
 *               for a row with more than max_columns fields; detail is one
 *               line of plain text
 */
typedef struct mc_reader_cb {
    /* Workbook readers only: called before the first row of each sheet they
     * read, with the sheet's name (SPEC 10.1: the sheet read is the first,
     * in workbook order, that holds a header). */
    int (*on_sheet)(void *ctx, const char *sheet, mc_error *err);
    /* Workbook readers only: called after the last row of each sheet read
     * to its end.  MC_READER_NEXT_SHEET: the sheet held no header (a cover
     * sheet of a few rows), go on as from any callback; 0: it was the
     * sheet, the read ends.  Without it a sheet that gave a row is the
     * one read. */
    int (*on_sheet_end)(void *ctx, mc_error *err);
    int (*on_header)(void *ctx, long line, const mc_field *f, size_t n, mc_error *err);
    int (*on_row)(void *ctx, long line, const mc_field *f, size_t n, mc_error *err);
    int (*on_bad_row)(void *ctx, long line, mc_reason reason, const char *detail, mc_error *err);
} mc_reader_cb;

/* A callback's answer "this sheet holds no header": a workbook reader goes
 * on with its next sheet (on_sheet again, then on_header for that sheet's
 * first non-empty row); when no sheet is left, or for a reader of text, the
 * read ends with MC_EXIT_DATA and the error the callback filled.  Distinct
 * from every MC_EXIT_* status. */
#define MC_READER_NEXT_SHEET 1

/* What the reader learned about the file; filled as far as it got, also on
 * failure. */
typedef struct mc_reader_info {
    int gzip;            /* 1 when the file was gzip */
    char delimiter;      /* ',' ';' or '\t' */
    int bom;             /* 1 when a UTF-8 BOM was stripped */
    int sep_line;        /* 1 when an Excel sep= line set the delimiter */
    long lines;          /* physical lines, including blank and sep= lines */
    long rows;           /* data rows: on_row + on_bad_row calls (no header) */
    uint64_t bytes_raw;  /* bytes read from the file */
    uint64_t bytes_text; /* bytes after gunzip (== bytes_raw for plain), before
                            any conversion */
    /* SPEC 10.4's ledger names: "csv", "csv.gz", "xlsx", "xls", "html",
     * "utf16", "cp1258", "tcvn3"; "" until the reader has decided. */
    char format[8];
    char sheet[256];     /* the sheet read, for workbooks; "" otherwise */
    /* 1 when a row's trailing empty cells may be missing (workbooks and
     * HTML tables leave them out): the caller pads such a row to the
     * header's width, and only a non-empty cell past it makes the row
     * bad_field_count.  Rows of text files are taken as they are. */
    int ragged;
    /* 1 when the text was converted to UTF-8 (format "utf16", "cp1258" or
     * "tcvn3"): a byte that did not convert is MC_READER_UNCONVERTED. */
    int converted;
} mc_reader_info;

/* Refuse gzip data once it has inflated past both limits: a real CSV
 * compresses 5-15x, deflate cannot exceed ~1032x, so this stops a bomb after
 * 256 MiB of work while letting every honest export through. */
#define MC_READER_BOMB_RATIO 200
#define MC_READER_BOMB_FLOOR ((uint64_t)256 << 20)

/*
 * Read the export at path, pushing its header and rows to cb.
 * Returns 0, a callback's status, or MC_EXIT_DATA (file refused: not UTF-8,
 * binary, no header, header too wide/long, gzip truncated/corrupt/bomb; a
 * callback's MC_READER_NEXT_SHEET, since text has no other sheet) or
 * MC_EXIT_IO (cannot open/read), with err filled by a one-line message that
 * names the file.  Rows may already have been delivered when it fails: the
 * caller rolls the whole file back.  info may be NULL.
 * A file whose first bytes make it an .xls workbook or an HTML table is
 * read by etl/xls.h or etl/htmltable.h instead, with the same contract
 * (info->format says which); the first bytes are peeked with pread, so a
 * pipe is always read as CSV.
 */
int mc_read_file(const char *path, const mc_reader_opts *opts, const mc_reader_cb *cb,
                 void *ctx, mc_reader_info *info, mc_error *err);

/* The same from memory (fuzzing, tests); name is used in messages. */
int mc_read_mem(const char *name, const void *buf, size_t n, const mc_reader_opts *opts,
                const mc_reader_cb *cb, void *ctx, mc_reader_info *info, mc_error *err);

#endif
