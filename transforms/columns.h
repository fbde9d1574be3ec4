/*
 * columns.h -- which canonical column of SPEC 1.2 a header cell names.
 *
 * Exports come from several systems: the DVCQG sync names (MaHoSo), the
 * Vietnamese labels of the export screens (Mã hồ sơ), and our own English
 * names (case_id).  Personal-data columns are recognized too, so that they
 * can be dropped rather than merely ignored.
 */
#ifndef MC_COLUMNS_H
#define MC_COLUMNS_H

#include <stddef.h>

#include "transforms/record.h"

/*
 * The canonical column a raw header cell s[0..n) names, matched by its
 * folded key (mc_text_key: NFC, lower case, tone and vowel marks removed,
 * đ to d, spaces, underscores and punctuation dropped), so NFC/NFD, case
 * and spacing variants all match.  MC_COL_PERSONAL for applicant data
 * (name, ID card, phone, e-mail, address, birth date...); MC_COL_UNKNOWN
 * for anything else, including an empty cell and a cell that is not UTF-8.
 */
mc_col mc_column_lookup(const char *s, size_t n);

/* The same, and *fallback (may be NULL) set to 1 when the label names its
 * column only if no other column of the header names it ("Đơn vị tiếp
 * nhận", the receiving desk, beside "Đơn vị xử lý"). */
mc_col mc_column_lookup_fallback(const char *s, size_t n, int *fallback);

#endif
