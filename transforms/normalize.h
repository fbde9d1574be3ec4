/*
 * normalize.h -- from a header and raw cells to a checked mc_record.
 *
 * mc_colmap says, once per file, which cell holds which canonical column
 * (SPEC 1.2).  mc_normalize_row then turns one row into a record, applying
 * every value rule of SPEC 1.3-1.4 and every row check of SPEC 1.5, or says
 * why the row is quarantined and in which column.  A row is either fully
 * normalized or not at all: nothing is half-loaded.
 */
#ifndef MC_NORMALIZE_H
#define MC_NORMALIZE_H

#include <stddef.h>

#include "base/error.h"
#include "transforms/record.h"

#define MC_MAX_UNKNOWN_LISTED 64

typedef struct mc_colmap {
    size_t nfields;               /* cells in the header */
    signed char *col_of_field;    /* per header cell: mc_col, or -1 */
    int field_of_col[MC_COL_COUNT]; /* per canonical column: cell index, or -1 */
    char unknown[1024];           /* unknown header names, comma-separated */
    int n_unknown;
    int n_personal;               /* personal-data columns found (dropped) */
    char *header_copy;            /* the raw header, to spot it again mid-file */
    size_t header_len;
} mc_colmap;

/*
 * Build the column map from the header cells.  Refuses (MC_EXIT_DATA, message
 * naming file) a header that is not UTF-8, that lacks a required column
 * (case_id, status, received_at, and unit_code or unit_name; the message lists
 * the headers found), or that names one canonical column twice.
 */
int mc_colmap_build(mc_colmap *map, const char *file, const mc_field *cells, size_t n, mc_error *err);

/*
 * The same from cells whose columns the caller has decided (etl/frame.c:
 * headers of two or three rows, fallback labels): cols[i] is the mc_col of
 * cell i (MC_COL_PERSONAL and MC_COL_UNKNOWN included), cells[i] its label,
 * shown in the unknown list and in messages (a blank label is an unnamed
 * column, not listed).  The same refusals.
 */
int mc_colmap_build_cols(mc_colmap *map, const char *file, const mc_field *cells,
                         const mc_col *cols, size_t n, mc_error *err);
void mc_colmap_free(mc_colmap *map);

/* The required columns of SPEC 1.2 that cols[0..n) lacks, as "status,
 * received_at" into buf (cap bytes; with hints, each followed by the labels
 * that name it); returns how many (0: the header holds them all). */
int mc_header_missing(const mc_col *cols, size_t n, int hints, char *buf, size_t cap);

/* What a header row names, for a message that must not quote a cell that
 * is not a label of ours (issue 16: a row taken for a header may be data):
 * "case_id, status, 2 personal-data columns, 3 other cells not recognized"
 * (the parts that would say 0 left out). */
void mc_header_describe(const mc_field *labels, const mc_col *cols, size_t n, char *buf,
                        size_t cap);

/* 1 when the row is the header line again (same cells). */
int mc_colmap_is_header(const mc_colmap *map, const mc_field *cells, size_t n);

/* Why a row failed: the reason, the canonical column (or -1), a short
 * detail that never quotes personal data. */
typedef struct mc_row_fault {
    mc_reason reason;
    int col;
    char detail[200];
} mc_row_fault;

/*
 * Normalize one data row.  Text values of rec point into arena (arena_cap
 * must be >= 3 * total bytes of the row + 64).  Returns 0, or the mc_reason
 * with *fault filled.
 */
int mc_normalize_row(const mc_colmap *map, const mc_field *cells, size_t n,
                     mc_record *rec, char *arena, size_t arena_cap, mc_row_fault *fault);

/* A compact, masked copy of a quarantined row for repair: only the canonical
 * columns, as "name=value" pairs joined by TAB, values cut at 200 bytes,
 * invalid UTF-8 bytes as \xNN; personal-data and unknown columns are never
 * included.  Returns the malloc'd string (NULL on no memory). */
char *mc_row_masked(const mc_colmap *map, const mc_field *cells, size_t n);

#endif
