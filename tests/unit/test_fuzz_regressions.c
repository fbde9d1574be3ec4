/*
 * test_fuzz_regressions.c -- replay every input the fuzzer ever broke.
 *
 * Each file of fixtures/fuzz-regressions/ is an input that once crashed,
 * hung or broke a property of tests/fuzz/fuzz_ingest.c.  It goes through
 * the same harness (tests/fuzz/harness.h), so the bug stays fixed without
 * clang or libFuzzer: `make test` and `make check` (ASan/UBSan) run these.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/harness.h"

#define REGRESSIONS "../../fixtures/fuzz-regressions/"

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    size_t cap = 4096, len = 0;
    unsigned char *buf = malloc(cap);
    size_t k;
    while (buf && (k = fread(buf + len, 1, cap - len, f)) > 0) {
        len += k;
        if (len == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    cr_assert_not_null(buf);
    *n = len;
    return buf;
}

Test(fuzz_regressions, every_saved_input_passes_the_harness, .timeout = 300)
{
    DIR *d = opendir(REGRESSIONS);
    cr_assert_not_null(d, "no folder %s", REGRESSIONS);
    int files = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        /* README.md and dot files explain the folder; everything else is an input */
        if (e->d_name[0] == '.' || strcmp(e->d_name, "README.md") == 0)
            continue;
        char path[512], why[256];
        snprintf(path, sizeof path, REGRESSIONS "%s", e->d_name);
        size_t n;
        unsigned char *buf = slurp(path, &n);
        cr_expect_eq(fz_one(buf, n, why, sizeof why), 0, "%s: %s", e->d_name, why);
        free(buf);
        files++;
    }
    closedir(d);
    cr_log_info("%d fuzz regressions replayed", files);
}

/* The harness itself must see what it is meant to see, or a silent
 * harness would let every regression "pass". */
Test(fuzz_regressions, harness_sees_rows_and_chunk_edges)
{
    const char *csv = "MaHoSo,MaDonVi,TrangThaiHoSo,NgayTiepNhan,ChuHoSo\n"
                      "A-1,000.00.06.H56,4,05/01/2024,Nguyen Van Aaaaaaaaa\n"
                      "A-2,000.00.06.H56,99,05/01/2024,Nguyen Van Bbbbbbbbb\n"
                      "\"A-3\n\",000.00.06.H56,4,05/01/2024\n";
    char why[256];
    cr_assert_eq(fz_one((const uint8_t *)csv, strlen(csv), why, sizeof why), 0, "%s", why);
    mc_reader_opts a = {0}, b = {.chunk_size = 3};
    cr_assert_eq(fz_read((const uint8_t *)csv, strlen(csv), &a, why, sizeof why),
                 fz_read((const uint8_t *)csv, strlen(csv), &b, why, sizeof why));
    const char *other = "MaHoSo,MaDonVi,TrangThaiHoSo,NgayTiepNhan,ChuHoSo\n"
                        "A-1,000.00.06.H56,4,05/01/2024,Nguyen Van Aaaaaaaaa\n";
    cr_assert_neq(fz_read((const uint8_t *)csv, strlen(csv), &a, why, sizeof why),
                  fz_read((const uint8_t *)other, strlen(other), &a, why, sizeof why));
}
