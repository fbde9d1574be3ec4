/*
 * xls.h -- the Excel 97-2003 workbook reader (.xls, BIFF in an OLE2
 * compound file; SPEC 10.1), through FreeXL (Debian's libfreexl).
 *
 * The sheets are read in workbook order, hidden ones too; the first sheet
 * in which the callbacks find a header is the one read (etl/reader.h:
 * MC_READER_NEXT_SHEET, from a row or from on_sheet_end at the sheet's
 * end), and the read ends with it.
 * Cells become text: text as it is, numbers in the shortest form that reads
 * back to the same value (integers without ".0"), dates "YYYY-MM-DD",
 * dates with a time "YYYY-MM-DD HH:MM:SS", times "HH:MM:SS" (FreeXL decides
 * which from the cell's number format).  Line numbers are the sheet's row
 * numbers.  info->format is "xls", info->sheet the sheet read, info->ragged 1.
 *
 * FreeXL runs in a child process that sends the rows back through a pipe:
 * FreeXL 1.0.6 over-reads a stack buffer on some crafted files, and such a
 * file must end no more than that child (xls.c says more).  Needs /proc.
 *
 * Refused (MC_EXIT_DATA, the message says what to do): a password-protected
 * workbook (BIFF FILEPASS, or an encrypted .xlsx, which is an OLE2 file too),
 * an OLE2 file that holds no workbook (a Word document), a damaged file (one
 * FreeXL reports, or on which its child ends or runs past its CPU limit),
 * and a file larger than MC_XLS_MAX_BYTES.
 *
 * Known limit: FreeXL does not read formula results, so a cell holding a
 * formula reads as empty.
 */
#ifndef MC_XLS_H
#define MC_XLS_H

#include <stddef.h>
#include <stdint.h>

#include "etl/reader.h"

/* FreeXL takes the whole workbook into memory (its streams, every string,
 * and a cell table per sheet), so a larger file is refused before it is
 * opened: the bound of SPEC 10.1 for inflated parts. */
#define MC_XLS_MAX_BYTES ((uint64_t)256 << 20)

/* 1 when the n bytes at p start with the OLE2 compound file signature
 * (d0 cf 11 e0 a1 b1 1a e1). */
int mc_xls_is_ole2(const void *p, size_t n);

/*
 * Read the workbook open on fd (its name used in messages), as
 * mc_read_file does (reader.h: same callbacks, options and statuses; every
 * byte of the file goes through opts->on_raw first).  fd is read from
 * offset 0 with pread and not closed.  info must not be NULL.
 */
int mc_xls_read_fd(const char *name, int fd, const mc_reader_opts *opts, const mc_reader_cb *cb,
                   void *ctx, mc_reader_info *info, mc_error *err);

/* The same from memory (tests, fuzzing): the bytes go to a memfd that
 * FreeXL opens by its /proc path. */
int mc_xls_read_mem(const char *name, const void *buf, size_t n, const mc_reader_opts *opts,
                    const mc_reader_cb *cb, void *ctx, mc_reader_info *info, mc_error *err);

#endif
