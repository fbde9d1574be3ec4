/*
 * fuzz_xls.c -- libFuzzer target over the .xls reader (etl/xls.c, FreeXL)
 * and everything ingest does to its rows before the store, through the
 * harness that fuzz_ingest.c uses (tests/fuzz/harness.h): the same
 * properties (the read does not depend on the read size, every row is
 * accounted for, what reaches the store is clean).
 *
 * Only inputs that start with the OLE2 signature are read: mc_read_mem
 * gives them to the .xls reader, as the saved crashes replayed by
 * tests/unit/test_fuzz_regressions.c will be.  Seeded with the .xls
 * fixtures (make fuzz).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "etl/xls.h"
#include "tests/fuzz/harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!mc_xls_is_ole2(data, size))
        return -1;      /* not this target's: not kept in the corpus */
    char why[256];
    if (fz_one(data, size, why, sizeof why)) {
        fprintf(stderr, "fuzz_xls: property broken: %s\n", why);
        abort();
    }
    return 0;
}
