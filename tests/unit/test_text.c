/*
 * test_text.c -- UTF-8 validation, NFC, white-space folding and keys.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "transforms/text.h"

static char buf[256];

static const char *norm(const char *s)
{
    long n = mc_text_norm(s, strlen(s), buf, sizeof buf);
    cr_assert_geq(n, 0);
    return buf;
}

static const char *key(const char *s)
{
    long n = mc_text_key(s, strlen(s), buf, sizeof buf);
    cr_assert_geq(n, 0);
    return buf;
}

Test(text, utf8_validity)
{
    cr_assert_eq(mc_utf8_valid("abc", 3), 1);
    cr_assert_eq(mc_utf8_valid("C\xe1\xbb\xad" "a", 5), 1);  /* Cửa */
    cr_assert_eq(mc_utf8_valid("\xc3\x28", 2), 0);            /* bad continuation */
    cr_assert_eq(mc_utf8_valid("\xed\xa0\x80", 3), 0);        /* surrogate */
    cr_assert_eq(mc_utf8_valid("\xc0\xaf", 2), 0);            /* overlong */
    cr_assert_eq(mc_utf8_valid("a\0b", 3), 0);                /* NUL byte */
    cr_assert_eq(mc_utf8_valid("\xe1\xbb", 2), 0);            /* truncated */
}

Test(text, nfd_becomes_nfc)
{
    /* "Cửa Tùng": u + horn (U+031B) + hook above (U+0309); u + grave */
    cr_assert_str_eq(norm("Cu\xcc\x9b\xcc\x89" "a Tu\xcc\x80ng"), "C\xe1\xbb\xad" "a T\xc3\xb9ng");
    /* already NFC is untouched */
    cr_assert_str_eq(norm("C\xe1\xbb\xad" "a T\xc3\xb9ng"), "C\xe1\xbb\xad" "a T\xc3\xb9ng");
}

Test(text, trims_and_folds_space)
{
    cr_assert_str_eq(norm("  UBND   x\xc3\xa3\t C\xe1\xbb\xad" "a \r\n T\xc3\xb9ng  "),
                     "UBND x\xc3\xa3 C\xe1\xbb\xad" "a T\xc3\xb9ng");
    cr_assert_str_eq(norm("a\xc2\xa0" "b"), "a b"); /* NBSP */
    cr_assert_eq(mc_text_norm("   ", 3, buf, sizeof buf), 0);
    cr_assert_str_eq(buf, "");
}

Test(text, too_small_buffer_is_an_error)
{
    char small[4];
    cr_assert_eq(mc_text_norm("abcdef", 6, small, sizeof small), -1);
}

Test(text, keys_fold_labels)
{
    cr_assert_str_eq(key("M\xc3\xa3 h\xe1\xbb\x93 s\xc6\xa1"), "mahoso"); /* Mã hồ sơ */
    cr_assert_str_eq(key("MaHoSo"), "mahoso");
    cr_assert_str_eq(key("ma_ho_so"), "mahoso");
    cr_assert_str_eq(key("\xc4\x90\xc6\xa1n v\xe1\xbb\x8b x\xe1\xbb\xad l\xc3\xbd"), "donvixuly"); /* Đơn vị xử lý */
    cr_assert_str_eq(key("C\xc3\xb3 ph\xc3\xad, l\xe1\xbb\x87 ph\xc3\xad"), "cophilephi");
    /* NFD input gives the same key */
    cr_assert_str_eq(key("Ma\xcc\x83 ho\xcc\x82\xcc\x80 so\xcc\x9b"), "mahoso");
}

Test(text, key_words_keep_word_breaks)
{
    long n = mc_text_key_words("  \xc4\x90" "ang  x\xe1\xbb\xad l\xc3\xbd ", 17, buf, sizeof buf);
    cr_assert_gt(n, 0);
    cr_assert_str_eq(buf, "dang xu ly");
}

Test(text, display_width)
{
    cr_assert_eq(mc_text_width("abc"), 3);
    cr_assert_eq(mc_text_width("C\xe1\xbb\xad" "a"), 3);
    cr_assert_eq(mc_text_width("\xe6\xbc\xa2"), 2); /* a wide CJK character */
}

/* mc_text_norm checks the bytes in the same pass that folds them (issue 15):
 * what mc_utf8_valid refuses, it refuses, on the fast path and on the NFC
 * path alike, wherever the bad bytes are. */
Test(text, norm_refuses_what_is_not_utf8)
{
    static const struct {
        const char *s;
        size_t n;
    } bad[] = {
        {"UBND \xc3\x28 x", 8},                   /* bad continuation */
        {"a\xed\xa0\x80", 4},                     /* surrogate */
        {"\xc0\xaf", 2},                          /* overlong */
        {"x\xe1\xbb", 3},                         /* truncated at the end */
        {"a\0b", 3},                              /* NUL byte */
        {"  \xc2\xa0\xff  ", 7},                  /* inside white space */
        {"Tu\xcc\x80ng \xff", 9},                 /* after a mark: the NFC path */
        {"Tu\xcc\x80ng\0", 8},                    /* a NUL on the NFC path */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(mc_utf8_valid(bad[i].s, bad[i].n), 0, "case %zu", i);
        cr_assert_eq(mc_text_norm(bad[i].s, bad[i].n, buf, sizeof buf), MC_TEXT_BAD_UTF8,
                     "case %zu", i);
    }
    /* valid text with every kind of white space still folds */
    const char ok[] = "\xe2\x80\x8b a \xe3\x80\x80\t b\xc2\xa0 \xef\xbb\xbf";
    cr_assert_eq(mc_text_norm(ok, sizeof ok - 1, buf, sizeof buf), 3);
    cr_assert_str_eq(buf, "a b");
}
