/*
 * text.h -- UTF-8 text as SPEC 1.1 and 1.3 want it: validated, NFC,
 * trimmed, white space folded; and the folded "keys" that header names and
 * coded values are compared by.
 *
 * Vietnamese text arrives both composed (NFC) and decomposed (NFD); nothing
 * compares text before it went through here.
 */
#ifndef MC_TEXT_H
#define MC_TEXT_H

#include <stddef.h>

/* 1 when s[0..n) is well-formed UTF-8 with no NUL byte, else 0. */
int mc_utf8_valid(const char *s, size_t n);

/* mc_text_norm's answer for text that is not well-formed UTF-8 or holds a
 * NUL byte (what mc_utf8_valid refuses). */
#define MC_TEXT_BAD_UTF8 (-2)

/*
 * Normalize a text value into dst: NFC, leading and trailing white space
 * removed, inner runs of white space (including tabs, CR, LF, NBSP) folded to
 * one space.  The bytes are checked as mc_utf8_valid checks them, in the
 * same pass (issue 15): a caller need not check them first.  dst must hold
 * cap bytes; cap >= 3 * n + 1 always suffices.  Returns the length written
 * (the result is NUL-terminated; 0 means the value is empty),
 * MC_TEXT_BAD_UTF8, or -1 when cap is too small or memory ran out.
 */
long mc_text_norm(const char *s, size_t n, char *dst, size_t cap);

/*
 * Fold a label into a comparison key, for header names and coded texts:
 * NFC, lower case, Vietnamese tone and vowel marks removed, d-stroke to d,
 * and every character that is not a letter or a digit dropped.  So
 * "Mã hồ sơ", "MaHoSo" and "ma_ho_so" all give "mahoso".  s must be valid
 * UTF-8.  Same buffer contract and return value as mc_text_norm.
 */
long mc_text_key(const char *s, size_t n, char *dst, size_t cap);

/*
 * Like mc_text_key but keeps single spaces between words (folded, marks
 * removed): "Đang  xử lý" -> "dang xu ly".  For value texts where word
 * boundaries matter.
 */
long mc_text_key_words(const char *s, size_t n, char *dst, size_t cap);

/*
 * Narrow s[0..*n) to its content without the ASCII white space (space, tab,
 * CR, LF, VT, FF) and NBSP (C2 A0) around it: spreadsheets pad cells with
 * both.  Returns the start and sets *n to the new length; no copy, no
 * allocation, any bytes (the content need not be UTF-8).
 */
const char *mc_text_trim_blanks(const char *s, size_t *n);

/* Columns a UTF-8 string takes on a terminal (East Asian wide = 2,
 * combining = 0). */
size_t mc_text_width(const char *s);

#endif
