/*
 * progress.h -- the progress bar of `ingest` and `run` on a terminal
 * (SPEC 7 and 10.4): bytes, rows, rate and time left, one line on standard
 * error, redrawn in place.  Never drawn when standard error is not a
 * terminal (cron) or -q was given: a caller turns it on only then.
 */
#ifndef MC_PROGRESS_H
#define MC_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

typedef struct mc_progress {
    int on;                  /* draw at all */
    int shown;               /* a line is on the screen */
    const char *cmd;         /* "ingest", "run" */
    double t0, last_draw;
    uint64_t bytes_total;    /* of every file to load */
    uint64_t bytes_before;   /* of the files already loaded */
    uint64_t bytes_now;      /* of the file being loaded */
    int64_t rows_before, rows_now;
    size_t file, files;      /* the file being loaded (1-based), of how many */
    char what[200];          /* its name, control bytes escaped */
} mc_progress;

/* Start a bar for cmd over files holding bytes_total bytes; on: whether
 * to draw (isatty(2) && !quiet, the caller's to decide). */
void mc_progress_start(mc_progress *b, const char *cmd, int on, size_t files,
                       uint64_t bytes_total);

/* A file begins: the index-th (1-based) of the files, named what. */
void mc_progress_file(mc_progress *b, size_t index, const char *what);

/* An mc_ingest_progress callback (ctx: the bar): how far the file is. */
void mc_progress_ingest(void *ctx, uint64_t bytes_done, uint64_t bytes_total, int64_t rows_done);

/* The file is done: its size and the rows it counted join the totals. */
void mc_progress_file_done(mc_progress *b, uint64_t size, int64_t rows);

/* A step of something else (the reports), done of total, named what: the
 * bar without bytes, rows or rate. */
void mc_progress_step(mc_progress *b, double done, double total, const char *what);

/* Wipe the line, so that a message can be printed; the next draw brings
 * it back. */
void mc_progress_clear(mc_progress *b);

#endif
