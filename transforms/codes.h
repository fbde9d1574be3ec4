/*
 * codes.h -- the coded columns of SPEC 1.3-1.4 (status, channel, service
 * level, booleans) and the case_id key, from raw cells to values.
 *
 * Cells may be codes or Vietnamese/English texts in any Unicode form and
 * letter case; texts compare by their folded key (text.h, mc_text_key), so
 * "Đang xử lý", "ĐANG XỬ LÝ", its NFD spelling and "dang_xu_ly" are one
 * value.  All functions take a cell s[0..n) that is valid UTF-8 (not
 * necessarily NUL-terminated) and ignore white space around it.
 */
#ifndef MC_CODES_H
#define MC_CODES_H

#include <stddef.h>

/* Status code 1..10 of SPEC 1.4 from a code (leading zeros allowed), the
 * official text or an alias.  0 ok; -1 unknown or empty. */
int mc_status_parse(const char *s, size_t n, int *code);

/* Channel: 1 direct, 2 online, 3 public postal service, from 1-3 or text.
 * Empty means direct.  0 ok; -1 unknown. */
int mc_channel_parse(const char *s, size_t n, int *channel);

/* Service level 2..4 from a code or text ("toàn trình", "mức độ 3"...).
 * Empty gives 0 (unknown).  0 ok; -1 unknown (including the obsolete
 * levels 1 and "mức độ 1", which SPEC 1.2 has no value for). */
int mc_level_parse(const char *s, size_t n, int *level);

/* Boolean: 1/0, true/false, yes/no, có/không, x, any case; empty means no.
 * *yes is 1 or 0.  0 ok; -1 unknown. */
int mc_bool_parse(const char *s, size_t n, int *yes);

/* paid_online: as mc_bool_parse, and the DuocThanhToanTrucTuyen code 2
 * (paid online outside the national portal) also means yes. */
int mc_paid_online_parse(const char *s, size_t n, int *yes);

/*
 * Normalize a case code into dst (cap bytes): NFC, every white-space
 * character removed (ends and inside, including NBSP and zero-width
 * space), upper-cased by Unicode rules.  s must be valid UTF-8.  Returns
 * the length written (NUL-terminated; 0 = empty), or -1 when cap is too
 * small or memory ran out.  cap >= 4 * n + 1 always suffices (NFC and
 * upper-casing can each lengthen a few rare characters).
 */
long mc_case_id_norm(const char *s, size_t n, char *dst, size_t cap);

#endif
