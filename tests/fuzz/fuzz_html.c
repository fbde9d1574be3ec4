/*
 * fuzz_html.c -- libFuzzer target over the reader of HTML tables saved as
 * .xls (etl/htmltable.c, libxml2's HTML push parser) and everything ingest
 * does to its rows before the store, through the harness fuzz_ingest.c uses
 * (tests/fuzz/harness.h): the rows do not depend on the read size (the
 * parser is fed fixed blocks), every row is accounted for, what reaches
 * the store is clean.
 *
 * Only inputs whose first bytes make them HTML (mc_html_sniff) are read:
 * mc_read_mem gives them to the HTML reader, as the saved crashes replayed
 * by tests/unit/test_fuzz_regressions.c will be.  Seeded with the bundled
 * CSV exports repackaged by tests/tools/csv2html.py (make fuzz), with
 * tests/fuzz/html.dict.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "etl/htmltable.h"
#include "tests/fuzz/harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (mc_html_sniff(data, size) == MC_HTML_NO)
        return -1;      /* not this target's: not kept in the corpus */
    char why[256];
    if (fz_one(data, size, why, sizeof why)) {
        fprintf(stderr, "fuzz_html: property broken: %s\n", why);
        abort();
    }
    return 0;
}
