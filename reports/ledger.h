/*
 * ledger.h -- the two tables that need no period (SPEC 7): the files loaded
 * (`--table files`) and the rows quarantined (`--table rejects`), read
 * straight from the store.
 */
#ifndef MC_LEDGER_H
#define MC_LEDGER_H

#include <stdio.h>

#include "base/error.h"
#include "etl/store.h"

typedef enum { MC_LEDGER_FILES, MC_LEDGER_REJECTS } mc_ledger_table;

/* Write the table as the machine CSV of SPEC 7 (as_csv = 1) or as an aligned
 * text table.  Returns 0 or an MC_EXIT_* status. */
int mc_ledger_write(FILE *out, mc_store *s, mc_ledger_table t, int as_csv, mc_error *err);

#endif
