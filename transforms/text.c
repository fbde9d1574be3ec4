/*
 * text.c -- validation, NFC and folding of UTF-8 text; see text.h.
 *
 * Most fields are plain ASCII or already-composed Vietnamese, so NFC through
 * utf8proc (which allocates) runs only when a field holds a code point that
 * could change under NFC.  Everything else is copied with white space folded.
 */
#include "transforms/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

int mc_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        unsigned char c = *p;
        if (c >= 0x01 && c < 0x80) {
            p++;
            continue;
        }
        if (c == 0)
            return 0;
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, end - p, &cp);
        if (k <= 0)
            return 0;
        p += k;
    }
    return 1;
}

/* Code points that NFC never changes and that never combine with a
 * neighbour: everything below the combining marks, and the precomposed
 * Latin letters of U+1E00..U+1EFF that Vietnamese uses. */
static int nfc_stable(utf8proc_int32_t cp)
{
    return cp < 0x300 || (cp >= 0x1E00 && cp <= 0x1EFF);
}

static int is_space_cp(utf8proc_int32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' ||
           cp == '\f' || cp == 0xA0 || cp == 0x2007 || cp == 0x202F ||
           cp == 0xFEFF || cp == 0x200B ||
           utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS;
}

/* Does s need utf8proc's NFC at all? */
static int needs_nfc(const unsigned char *p, size_t n)
{
    const unsigned char *end = p + n;
    while (p < end) {
        if (*p < 0x80) {
            p++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, end - p, &cp);
        if (k <= 0)
            return 1;
        if (!nfc_stable(cp))
            return 1;
        p += k;
    }
    return 0;
}

/* Copy src into dst folding white space; returns length or -1. */
static long fold_space(const unsigned char *p, size_t n, char *dst, size_t cap)
{
    const unsigned char *end = p + n;
    size_t out = 0;
    int pending_space = 0;
    while (p < end) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k;
        if (*p < 0x80) {
            cp = *p;
            k = 1;
        } else {
            k = utf8proc_iterate(p, end - p, &cp);
            if (k <= 0)
                return -1;
        }
        if (is_space_cp(cp)) {
            pending_space = out > 0;
            p += k;
            continue;
        }
        if (out + (size_t)pending_space + (size_t)k + 1 > cap)
            return -1;
        if (pending_space)
            dst[out++] = ' ';
        pending_space = 0;
        memcpy(dst + out, p, (size_t)k);
        out += (size_t)k;
        p += k;
    }
    if (out + 1 > cap)
        return -1;
    dst[out] = '\0';
    return (long)out;
}

long mc_text_norm(const char *s, size_t n, char *dst, size_t cap)
{
    const unsigned char *p = (const unsigned char *)s;
    if (!needs_nfc(p, n))
        return fold_space(p, n, dst, cap);
    utf8proc_uint8_t *nfc = NULL;
    utf8proc_ssize_t len = utf8proc_map(p, (utf8proc_ssize_t)n, &nfc,
                                        UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (len < 0)
        return -1;
    long r = fold_space(nfc, (size_t)len, dst, cap);
    free(nfc);
    return r;
}

/* Shared body of the two key functions: marks stripped, case folded, d-stroke
 * to d; keep_spaces keeps one space between words. */
static long fold_key(const char *s, size_t n, char *dst, size_t cap, int keep_spaces)
{
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t len = utf8proc_map(
        (const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &folded,
        UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD);
    if (len < 0)
        return -1;
    const unsigned char *p = folded, *end = folded + len;
    size_t out = 0;
    int pending_space = 0;
    long result = 0;
    while (p < end) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, end - p, &cp);
        if (k <= 0) {
            result = -1;
            break;
        }
        p += k;
        if (cp == 0x111 || cp == 0x110) /* đ Đ */
            cp = 'd';
        utf8proc_category_t cat = utf8proc_category(cp);
        int alnum = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
                    (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
        if (!alnum) {
            pending_space = keep_spaces && out > 0;
            continue;
        }
        utf8proc_uint8_t buf[4];
        utf8proc_ssize_t w = utf8proc_encode_char(cp, buf);
        if (out + (size_t)pending_space + (size_t)w + 1 > cap) {
            result = -1;
            break;
        }
        if (pending_space)
            dst[out++] = ' ';
        pending_space = 0;
        memcpy(dst + out, buf, (size_t)w);
        out += (size_t)w;
    }
    free(folded);
    if (result < 0)
        return -1;
    if (out + 1 > cap)
        return -1;
    dst[out] = '\0';
    return (long)out;
}

long mc_text_key(const char *s, size_t n, char *dst, size_t cap)
{
    return fold_key(s, n, dst, cap, 0);
}

long mc_text_key_words(const char *s, size_t n, char *dst, size_t cap)
{
    return fold_key(s, n, dst, cap, 1);
}

size_t mc_text_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s), width = 0;
    const unsigned char *end = p + len;
    while (p < end) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, end - p, &cp);
        if (k <= 0) {
            p++;
            width++;
            continue;
        }
        int w = utf8proc_charwidth(cp);
        width += w > 0 ? (size_t)w : 0;
        p += k;
    }
    return width;
}
