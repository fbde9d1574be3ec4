/*
 * casescan.h -- the case rows a report counts, read on two cores when the
 * store is large.
 *
 * A report of a 5M-case store spends its time in SQLite stepping through
 * the case rows.  mc_scan_cases reads them from both ends at once on two
 * connections and two threads, each row exactly once, and falls back to
 * one thread for small stores, inside an open transaction, or when the two
 * connections could not be shown to read the same store.
 */
#ifndef MC_CASESCAN_H
#define MC_CASESCAN_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "etl/store.h"

/* One case row as a report needs it (store.h: case_rows). */
typedef struct mc_scan_row {
    int64_t facts, received_at, due_at, end_at;
    int64_t proc_id, field_id;  /* 0: none (mc_scan_row_dims names them) */
    int has_due, has_end;
} mc_scan_row;

/* The procedure code, procedure name and field name of a scanned case,
 * through the dictionaries d (mc_store_dims_read); each NULL when the
 * case's current version has none, or when its id is not in d.  The
 * pointers live as long as d. */
void mc_scan_row_dims(const mc_store_dims *d, const mc_scan_row *r, const char **procedure_code,
                      const char **procedure_name, const char **field_name);

/* Called with a block of rows; part is the caller's accumulator of the
 * thread that calls it (part[0] or part[1] of mc_scan_cases), never shared
 * between two threads at once. */
typedef void (*mc_scan_fn)(void *part, const mc_scan_row *rows, size_t n);

/* Forget everything fn counted into part: a two-sided read that had to
 * give up (a case key too long to compare cheaply) reads again alone. */
typedef void (*mc_scan_reset_fn)(void *part);

/* Every case row received before received_before and not ended before
 * ended_from (mc_date values) to fn, each exactly once, in no promised
 * order.  *two is 1 when two threads read (part[1] then got some rows),
 * 0 when only the calling thread did (part[0] got them all, after reset
 * of both parts if a two-sided read gave up).  Returns 0 or an MC_EXIT_*
 * status. */
int mc_scan_cases(mc_store *s, int64_t received_before, int64_t ended_from, mc_scan_fn fn,
                  mc_scan_reset_fn reset, void *part[2], int *two, mc_error *err);

#endif
