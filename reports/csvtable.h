/*
 * csvtable.h -- reading a small table from a CSV file row by row, for the
 * configuration files people write by hand or save from a spreadsheet: the
 * units registry (units.c) and the targets file (targets.c).
 *
 * The file is fed to libcsv one physical line at a time, so that every
 * error can name the line a row starts on, and so that blank lines and
 * lines starting with '#' (after blanks) between rows never reach the
 * parser; a UTF-8 BOM is allowed.  The first row is the header: its names
 * are matched to the table's columns case-insensitively, other columns are
 * ignored.  Each later row, unless all its cells are empty (spreadsheets
 * leave ",,,," rows below the data), goes to the caller's callback.
 * Errors read "FILE:LINE: column 'NAME': ...".
 */
#ifndef MC_CSVTABLE_H
#define MC_CSVTABLE_H

#include <stddef.h>

#include "base/error.h"

#define MC_CSVTABLE_MAX_COLS 16

/* Where the two tables' files have always behaved differently (mc_csvtable_spec.flags). */
enum {
    /* Header names are NFC'd and trimmed of Unicode white space, and a
     * header that is not UTF-8 is refused; else only ASCII blanks are trimmed. */
    MC_CSVTABLE_NORM_NAMES = 1,
    /* Rows of empty cells before the header are skipped too; else such a
     * row is the header (and lacks every column). */
    MC_CSVTABLE_SKIP_EMPTY_HEADER = 2,
    /* Broken CSV is blamed on the line its row starts on, not on the line
     * where the parser stopped. */
    MC_CSVTABLE_BAD_CSV_AT_ROW = 4,
    /* A read error names the system's reason. */
    MC_CSVTABLE_READ_ERRNO = 8,
};

typedef struct mc_csvtable_spec {
    const char *const *cols;   /* the columns' names, as errors print them */
    const char *const *alt;    /* NULL, or per column one more accepted name (or NULL) */
    int ncols;                 /* <= MC_CSVTABLE_MAX_COLS */
    int nrequired;             /* cols[0..nrequired) must be in the header */
    unsigned flags;            /* MC_CSVTABLE_* */
    /* The wording of file-level errors, which each table kept its own: */
    const char *twice;         /* for a column named twice in the header */
    const char *bad_csv;       /* put before libcsv's message on broken CSV */
    const char *unclosed;      /* for a quoted field still open at the end */
} mc_csvtable_spec;

/* The reader's state; the row callback and the caller (after reading) read
 * the public part. */
typedef struct mc_csvtable {
    const char *path;
    const mc_csvtable_spec *spec;
    mc_error *err;
    long line;                 /* physical line the current row starts on */
    long lines;                /* physical lines read so far */
    char **cells;              /* the current row's fields, raw bytes, NUL-terminated */
    size_t n;
    size_t header_n;           /* fields of the header; 0 while none was read */
    int col[MC_CSVTABLE_MAX_COLS]; /* cells index of each column, -1 if absent */
    /* Private: */
    size_t cap;
    int status;                /* first error, 0 while all is well */
    int (*on_row)(void *ctx, const struct mc_csvtable *t);
    void *ctx;
} mc_csvtable;

/*
 * Read the table at path as spec describes, calling on_row(ctx, t) for
 * every data row; on_row returns 0, or the status of an error it set in
 * t->err, which stops the reading.  *t needs no set-up and holds nothing to
 * free afterwards; t->header_n and t->lines stay readable, so that the
 * caller can word its own "no header" error.  Returns 0; MC_EXIT_IO when
 * the file cannot be opened or read; MC_EXIT_DATA for broken CSV or a bad
 * header (a column named twice, a required one missing); MC_EXIT_SOFTWARE
 * when memory runs out; or what on_row returned.
 */
int mc_csvtable_read(mc_csvtable *t, const char *path, const mc_csvtable_spec *spec,
                     int (*on_row)(void *ctx, const mc_csvtable *t), void *ctx,
                     mc_error *err);

/* The current row's raw cell for column col, "" when the column is absent. */
const char *mc_csvtable_cell(const mc_csvtable *t, int col);

/* Set t->err to MC_EXIT_DATA "FILE:LINE: column 'NAME': ..." for the
 * current row (no column part when col < 0); returns MC_EXIT_DATA. */
int mc_csvtable_error(const mc_csvtable *t, int col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Set t->err to MC_EXIT_SOFTWARE "FILE: out of memory"; returns the status. */
int mc_csvtable_oom(const mc_csvtable *t);

#endif
