/*
 * fuzz_xlsx.c -- libFuzzer target over the .xlsx reader (etl/xlsx.c) and
 * everything ingest does to its rows before the store.
 *
 * A mutated ZIP rarely inflates, so most inputs are the XML of a part that
 * the target zips into a workbook (tests/fuzz/zipbuild.h, zb_fuzz_input:
 * the first byte chooses the sheet, the sheet and its shared strings, or
 * the styles and the sheet); inputs starting with 'P' are whole files.
 * The workbook then goes through the same harness as the CSV target
 * (harness.h): chunk sizes and tight limits must not change the rows, every
 * row is accounted for, what would reach the store is clean.
 *
 * Built and run by `make fuzz` after fuzz_ingest, seeded from
 * tests/fuzz/xlsx-seeds, fixtures/exports and fixtures/bad, with
 * tests/fuzz/xlsx.dict.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "tests/fuzz/harness.h"
#include "tests/fuzz/zipbuild.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char why[256];
    size_t n = size;
    unsigned char *z = zb_fuzz_input(data, size, &n);
    if (fz_one(z ? z : data, z ? n : size, why, sizeof why)) {
        fprintf(stderr, "fuzz_xlsx: property broken: %s\n", why);
        abort();
    }
    free(z);
    return 0;
}
