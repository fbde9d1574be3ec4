/*
 * test_mem.c -- mc_mem_grow (base/mem.c): capacity doubled from 16 until it
 * holds what is asked, kept when it already does, and NULL (the buffer and
 * its capacity untouched) when the size cannot be represented.
 */
#include <criterion/criterion.h>

#include <stdint.h>
#include <stdlib.h>

#include "base/mem.h"

Test(mem, grows_by_doubling_and_keeps_what_fits)
{
    size_t cap = 0;
    int *a = mc_mem_grow(NULL, &cap, 1, sizeof *a);
    cr_assert_not_null(a);
    cr_assert_eq(cap, 16);
    a[15] = 7;
    int *b = mc_mem_grow(a, &cap, 16, sizeof *a);
    cr_assert_eq(b, a, "16 fit: the same buffer");
    b = mc_mem_grow(a, &cap, 17, sizeof *a);
    cr_assert_not_null(b);
    cr_assert_eq(cap, 32);
    cr_assert_eq(b[15], 7, "the contents kept");
    b = mc_mem_grow(b, &cap, 1000, sizeof *b);
    cr_assert_eq(cap, 1024);
    free(b);
}

Test(mem, sizes_past_size_t_fail_cleanly)
{
    size_t cap = 16;
    char *a = mc_mem_grow(NULL, &cap, 1, 1);
    cr_assert_not_null(a);
    cr_assert_null(mc_mem_grow(a, &cap, SIZE_MAX / 2 + 2, 1));
    cr_assert_eq(cap, 16);
    cr_assert_null(mc_mem_grow(a, &cap, 32, SIZE_MAX / 8));
    cr_assert_eq(cap, 16);
    free(a);
}
