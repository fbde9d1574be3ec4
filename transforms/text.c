/*
 * text.c -- validation, NFC and folding of UTF-8 text; see text.h.
 *
 * Most fields are plain ASCII or already-composed Vietnamese, so NFC through
 * utf8proc (which allocates) runs only when a field holds a code point that
 * could change under NFC.  Everything else is copied with white space
 * folded, in the same pass that looks for such a code point.
 */
#include "transforms/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Decode one UTF-8 sequence at p (p < end, *p >= 0x80) the way the
 * standard wants it: no overlong forms, no surrogates, nothing past
 * U+10FFFF.  Returns its length and *cp, or 0 when it is malformed. */
static size_t decode(const unsigned char *p, const unsigned char *end, uint32_t *cp)
{
    unsigned char c = p[0];
    size_t left = (size_t)(end - p);
    if (c >= 0xC2 && c <= 0xDF) {
        if (left < 2 || (p[1] & 0xC0) != 0x80)
            return 0;
        *cp = ((uint32_t)(c & 0x1F) << 6) | (p[1] & 0x3F);
        return 2;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        if (left < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
            return 0;
        uint32_t v = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
        if (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))
            return 0;
        *cp = v;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (left < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
            return 0;
        uint32_t v = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
                     ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
        if (v < 0x10000 || v > 0x10FFFF)
            return 0;
        *cp = v;
        return 4;
    }
    return 0;
}

int mc_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        /* eight ASCII bytes with no NUL at a time: the common case */
        while (end - p >= 8) {
            uint64_t w;
            memcpy(&w, p, 8);
            if ((w & 0x8080808080808080ULL) ||
                ((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL))
                break;
            p += 8;
        }
        if (p >= end)
            break;
        unsigned char c = *p;
        if (c >= 0x01 && c < 0x80) {
            p++;
            continue;
        }
        if (c == 0)
            return 0;
        uint32_t cp;
        size_t k = decode(p, end, &cp);
        if (!k)
            return 0;
        p += k;
    }
    return 1;
}

/* Code points that NFC never changes and that never combine with a
 * neighbour: everything below the combining marks, and the precomposed
 * Latin letters of U+1E00..U+1EFF that Vietnamese uses. */
static int nfc_stable(uint32_t cp)
{
    return cp < 0x300 || (cp >= 0x1E00 && cp <= 0x1EFF);
}

/* White space as text folding treats it: ASCII space and controls, and
 * Unicode's space separators (category Zs) plus the invisible ones that
 * exports carry (zero-width space, BOM). */
static int is_space_cp(uint32_t cp)
{
    if (cp < 0x80)
        return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f';
    return cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

const char *mc_text_trim_blanks(const char *s, size_t *n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + *n;
    /* is_space_cp's ASCII part is exactly the blanks promised in text.h */
    for (;;) {
        if (p < end && *p < 0x80 && is_space_cp(*p))
            p++;
        else if (end - p >= 2 && p[0] == 0xC2 && p[1] == 0xA0)
            p += 2;
        else
            break;
    }
    for (;;) {
        if (end > p && end[-1] < 0x80 && is_space_cp(end[-1]))
            end--;
        else if (end - p >= 2 && end[-2] == 0xC2 && end[-1] == 0xA0)
            end -= 2;
        else
            break;
    }
    *n = (size_t)(end - p);
    return (const char *)p;
}

#define FOLD_NEEDS_NFC (-3)

/*
 * Copy p[0..n) into dst (cap bytes) folding white space, in one pass that
 * also checks the bytes are well-formed UTF-8 without NUL.  Returns the
 * length, MC_TEXT_BAD_UTF8, or -1 when dst is too small.  With check_nfc
 * it returns FOLD_NEEDS_NFC instead as soon as it meets a code point NFC
 * may change (or dst is too small: NFC could shorten the text), leaving the
 * rest unchecked.
 *
 * Most fields need no folding at all, and most bytes are printable ASCII or
 * the two- and three-byte letters of Vietnamese, so those are only looked
 * at: the bytes between two places where the output differs from the input
 * (a run of white space that is not one plain space) are copied in one
 * memcpy.  Rare code points take the full decode.
 */
static long fold_space(const unsigned char *p, size_t n, char *dst, size_t cap, int check_nfc)
{
    const unsigned char *end = p + n, *from = p; /* from: next byte to copy as it is */
    size_t out = 0;
    long too_small = check_nfc ? FOLD_NEEDS_NFC : -1;
    while (p < end) {
        unsigned char c = *p;
        size_t k; /* length of the white space code point at p, once found */
        if (c > 0x20 && c < 0x80) {
            p++;
            continue;
        }
        if (c == ' ') {
            k = 1;
        } else if (c < 0x80) {
            if (c == 0)
                return MC_TEXT_BAD_UTF8;
            if (!is_space_cp(c)) { /* another control byte: kept */
                p++;
                continue;
            }
            k = 1;
        } else if (c >= 0xC2 && c <= 0xCB) { /* U+0080..U+02FF: NFC-stable */
            if (end - p < 2 || (p[1] & 0xC0) != 0x80)
                return MC_TEXT_BAD_UTF8;
            if (c != 0xC2 || p[1] != 0xA0) {
                p += 2;
                continue;
            }
            k = 2; /* NBSP */
        } else if (c == 0xE1 && end - p >= 3 && p[1] >= 0xB8 && p[1] <= 0xBB &&
                   (p[2] & 0xC0) == 0x80) { /* U+1E00..U+1EFF: Vietnamese letters */
            p += 3;
            continue;
        } else {
            uint32_t cp;
            k = decode(p, end, &cp);
            if (!k)
                return MC_TEXT_BAD_UTF8;
            if (check_nfc && !nfc_stable(cp))
                return FOLD_NEEDS_NFC;
            if (!is_space_cp(cp)) {
                p += k;
                continue;
            }
        }
        /* White space at p: find the end q of its run. */
        const unsigned char *q = p + k;
        for (;;) {
            uint32_t cp;
            if (q < end && *q < 0x80) {
                if (!is_space_cp(*q))
                    break;
                q++;
                continue;
            }
            if (q >= end || !(k = decode(q, end, &cp)) || !is_space_cp(cp))
                break; /* a bad sequence is found again as text */
            q += k;
        }
        int leading = out == 0 && p == from, inner = !leading && q < end;
        if (c == ' ' && q == p + 1 && inner) {
            p = q; /* one plain space between words stays as it is */
            continue;
        }
        size_t len = (size_t)(p - from);
        if (out + len + (size_t)inner + 1 > cap) /* + 1: the final NUL */
            return too_small;
        memcpy(dst + out, from, len);
        out += len;
        if (inner)
            dst[out++] = ' ';
        p = from = q;
    }
    size_t len = (size_t)(p - from);
    if (out + len + 1 > cap)
        return too_small;
    memcpy(dst + out, from, len);
    out += len;
    dst[out] = '\0';
    return (long)out;
}

long mc_text_norm(const char *s, size_t n, char *dst, size_t cap)
{
    const unsigned char *p = (const unsigned char *)s;
    long r = fold_space(p, n, dst, cap, 1);
    if (r != FOLD_NEEDS_NFC)
        return r;
    /* The rare path: the rest was not looked at yet. */
    if (!mc_utf8_valid(s, n))
        return MC_TEXT_BAD_UTF8;
    utf8proc_uint8_t *nfc = NULL;
    utf8proc_ssize_t len = utf8proc_map(p, (utf8proc_ssize_t)n, &nfc,
                                        UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (len < 0)
        return -1;
    r = fold_space(nfc, (size_t)len, dst, cap, 0);
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
