/*
 * fuzz_ingest.c -- libFuzzer target over everything `motcua ingest` does to
 * a file before the store: the reader, the header mapping and the row
 * normalization (SPEC 9: "a fuzz target for the reader + normalizer").
 *
 * Built and run by `make fuzz SECONDS=N` (clang, -fsanitize=fuzzer,address,
 * undefined), seeded from fixtures/exports, fixtures/bad and
 * fixtures/fuzz-regressions; .xls inputs are left to fuzz_xls.c.  The checks live in harness.h, shared with
 * tests/unit/test_fuzz_regressions.c: a crash saved under
 * fixtures/fuzz-regressions/ is replayed there by every `make test`.
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
    /* .xls inputs are fuzz_xls.c's: each read forks FreeXL's child, a
     * hundred times slower than a CSV, and would take all the time here */
    if (mc_xls_is_ole2(data, size))
        return -1;
    char why[256];
    if (fz_one(data, size, why, sizeof why)) {
        /* abort, not return: libFuzzer saves the input only on a crash */
        fprintf(stderr, "fuzz_ingest: property broken: %s\n", why);
        abort();
    }
    return 0;
}
