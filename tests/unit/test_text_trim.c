/*
 * test_text_trim.c -- mc_text_trim_blanks, the cell trim codes.c and
 * dates.c share: ASCII blanks and NBSP go at both ends, nothing else does.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "transforms/text.h"

/* The trimmed view of s as a string, for comparing. */
static const char *trimmed(const char *s)
{
    static char out[64];
    size_t n = strlen(s);
    const char *p = mc_text_trim_blanks(s, &n);
    cr_assert(p >= s && p + n <= s + strlen(s), "the view stays inside the input");
    memcpy(out, p, n);
    out[n] = '\0';
    return out;
}

Test(text_trim, blanks_and_nbsp_at_both_ends)
{
    cr_assert_str_eq(trimmed(" \t\r\n\v\f4\f\v\n\r\t "), "4");
    cr_assert_str_eq(trimmed("\xC2\xA0 \xC2\xA0" "2025-01-02" "\xC2\xA0\t"), "2025-01-02");
    cr_assert_str_eq(trimmed("a \xC2\xA0 b"), "a \xC2\xA0 b");
    cr_assert_str_eq(trimmed(" \xC2\xA0 "), "");
    cr_assert_str_eq(trimmed(""), "");
}

Test(text_trim, other_bytes_stay)
{
    /* a lone C2, or A0 without its lead byte, is not NBSP */
    cr_assert_str_eq(trimmed(" \xC2"), "\xC2");
    cr_assert_str_eq(trimmed("\xA0x"), "\xA0x");
    /* other Unicode spaces are for mc_text_norm, not for this trim */
    cr_assert_str_eq(trimmed("\xE3\x80\x80x"), "\xE3\x80\x80x");
}
