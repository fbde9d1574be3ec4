/*
 * codes.c -- coded columns and the case_id key; see codes.h.
 *
 * These run once per field on millions of rows.  Nearly every cell is a
 * short ASCII code ("4", "1", "") or a short ASCII word, so both are settled
 * here without Unicode work or allocation; only cells with non-ASCII bytes
 * (Vietnamese texts) go through mc_text_key, the single place where labels
 * are folded.
 */
#include "transforms/codes.h"
#include "transforms/record.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "transforms/text.h"

/* Longer cells cannot be any of our texts, even in NFD with odd spacing;
 * refusing them early keeps a garbage cell from costing a large fold. */
#define MAX_CELL 512
#define KEY_CAP 64

typedef struct {
    const char *key; /* folded as mc_text_key folds */
    int value;
} code_entry;

/* SPEC 1.4: official texts, then the other spellings, per code.  Keys are
 * the folded labels (marks removed, lower case, letters and digits only). */
static const code_entry status_texts[] = {
    {"moidangky", 1},                  /* Mới đăng ký */
    {"receiving", 1},
    {"duoctiepnhan", 2},               /* Được tiếp nhận */
    {"datiepnhan", 2},                 /* Đã tiếp nhận */
    {"new", 2},
    {"khongduoctiepnhan", 3},          /* Không được tiếp nhận */
    {"tuchoitiepnhan", 3},             /* Từ chối tiếp nhận */
    {"denied", 3},
    {"dangxuly", 4},                   /* Đang xử lý */
    {"danggiaiquyet", 4},              /* Đang giải quyết */
    {"processing", 4},
    {"yeucaubosunggiayto", 5},         /* Yêu cầu bổ sung giấy tờ */
    {"yeucaubosung", 5},               /* Yêu cầu bổ sung */
    {"chobosung", 5},                  /* Chờ bổ sung */
    {"waiting", 5},
    {"yeucauthuchiennghiavutaichinh", 6}, /* Yêu cầu thực hiện nghĩa vụ tài chính */
    {"chothuchiennghiavutaichinh", 6}, /* Chờ thực hiện nghĩa vụ tài chính */
    {"paying", 6},
    {"congdanyeucauruthoso", 7},       /* Công dân yêu cầu rút hồ sơ */
    {"ruthoso", 7},                    /* Rút hồ sơ */
    {"cancelled", 7},
    {"canceled", 7},                   /* the US spelling of the same word */
    {"dungxuly", 8},                   /* Dừng xử lý */
    {"unresolved", 8},
    {"daxulyxong", 9},                 /* Đã xử lý xong */
    {"dagiaiquyet", 9},                /* Đã giải quyết */
    {"releasing", 9},
    {"datraketqua", 10},               /* Đã trả kết quả */
    {"done", 10},
};

static const code_entry channel_texts[] = {
    {"tructiep", 1},           /* Trực tiếp */
    {"noptructiep", 1},        /* Nộp trực tiếp */
    {"direct", 1},
    {"tructuyen", 2},          /* Trực tuyến */
    {"noptructuyen", 2},       /* Nộp trực tuyến */
    {"quamang", 2},            /* Qua mạng */
    {"nopquamang", 2},         /* Nộp qua mạng */
    {"online", 2},
    {"buuchinh", 3},           /* Bưu chính */
    {"quabuuchinh", 3},        /* Qua bưu chính */
    {"nopquabuuchinh", 3},     /* Nộp qua bưu chính */
    {"buuchinhcongich", 3},    /* Bưu chính công ích */
    {"quabuuchinhcongich", 3}, /* Qua bưu chính công ích */
    {"bcci", 3},
    {"postal", 3},
};

/* Service-level words, after the prefixes below are taken off. */
static const code_entry level_texts[] = {
    {"toantrinh", 4},       /* toàn trình */
    {"motphan", 3},         /* một phần */
    {"cungcapthongtin", 2}, /* cung cấp thông tin */
};

/* Words that may stand before the level, in any combination:
 * "Mức độ 3", "DVC mức độ 4", "Dịch vụ công trực tuyến toàn trình".
 * Longer prefixes first, so "mucdo" wins over "muc". */
static const char *const level_prefixes[] = {
    "dichvucongtructuyen", "dichvucong", "tructuyen", "dvctt", "dvc",
    "mucdo", "muc", "level",
};

static const code_entry bool_texts[] = {
    {"true", 1}, {"yes", 1}, {"co", 1} /* có */, {"x", 1},
    {"false", 0}, {"no", 0}, {"khong", 0} /* không */,
};

static int is_blank_ascii(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* s[0..n) as a decimal number when it is all ASCII digits (leading zeros
 * allowed) and at most 9999; else -1. */
static int small_number(const char *s, size_t n)
{
    if (n == 0)
        return -1;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < '0' || c > '9')
            return -1;
        v = v * 10 + (c - '0');
        if (v > 9999)
            return -1;
    }
    return v;
}

/* The folded key of a trimmed, non-empty cell into key[KEY_CAP]; its
 * length, or -1 when it cannot be one of our texts. */
static long fold(const char *s, size_t n, char *key)
{
    if (n > MAX_CELL)
        return -1;
    size_t out = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80)
            return mc_text_key(s, n, key, KEY_CAP);
        /* ASCII is its own NFC and has no marks: lower-casing and dropping
         * the rest is exactly mc_text_key, at a fraction of the cost. */
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            continue;
        if (out + 1 >= KEY_CAP)
            return -1; /* longer than any of our texts, whatever follows */
        key[out++] = (char)c;
    }
    key[out] = '\0';
    return (long)out;
}

static int find(const code_entry *t, size_t count, const char *key, int *value)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(t[i].key, key) == 0) {
            *value = t[i].value;
            return 0;
        }
    return -1;
}

#define FIND(table, key, value) find(table, sizeof table / sizeof table[0], key, value)

int mc_status_parse(const char *s, size_t n, int *code)
{
    s = mc_text_trim_blanks(s, &n);
    int v = small_number(s, n);
    if (v >= MC_STATUS_REGISTERED && v <= MC_STATUS_RETURNED) {
        *code = v;
        return 0;
    }
    if (v >= 0 || n == 0)
        return -1;
    char key[KEY_CAP];
    if (fold(s, n, key) <= 0)
        return -1;
    return FIND(status_texts, key, code);
}

int mc_channel_parse(const char *s, size_t n, int *channel)
{
    s = mc_text_trim_blanks(s, &n);
    if (n == 0) {
        *channel = MC_CHANNEL_DIRECT;
        return 0;
    }
    int v = small_number(s, n);
    if (v >= MC_CHANNEL_DIRECT && v <= MC_CHANNEL_POSTAL) {
        *channel = v;
        return 0;
    }
    if (v >= 0)
        return -1;
    char key[KEY_CAP];
    if (fold(s, n, key) <= 0)
        return -1;
    return FIND(channel_texts, key, channel);
}

int mc_level_parse(const char *s, size_t n, int *level)
{
    s = mc_text_trim_blanks(s, &n);
    if (n == 0) {
        *level = MC_LEVEL_UNKNOWN;
        return 0;
    }
    int v = small_number(s, n);
    if (v < 0) {
        char key[KEY_CAP];
        if (fold(s, n, key) <= 0)
            return -1;
        const char *k = key;
        size_t npre = sizeof level_prefixes / sizeof level_prefixes[0];
        for (size_t i = 0; i < npre; i++) {
            size_t len = strlen(level_prefixes[i]);
            if (strncmp(k, level_prefixes[i], len) == 0 && k[len] != '\0') {
                k += len;
                i = (size_t)-1; /* rescan from the top: another may follow */
            }
        }
        if (FIND(level_texts, k, level) == 0)
            return 0;
        v = small_number(k, strlen(k));
    }
    if (v < MC_LEVEL_INFO || v > MC_LEVEL_FULL)
        return -1;
    *level = v;
    return 0;
}

/* Shared body of the two boolean parsers: codes 0..max_yes, 0 meaning no. */
static int parse_bool(const char *s, size_t n, int *yes, int max_yes)
{
    s = mc_text_trim_blanks(s, &n);
    if (n == 0) {
        *yes = 0;
        return 0;
    }
    int v = small_number(s, n);
    if (v >= 0) {
        if (v > max_yes)
            return -1;
        *yes = v > 0;
        return 0;
    }
    char key[KEY_CAP];
    if (fold(s, n, key) <= 0)
        return -1;
    return FIND(bool_texts, key, yes);
}

int mc_bool_parse(const char *s, size_t n, int *yes)
{
    return parse_bool(s, n, yes, 1);
}

int mc_paid_online_parse(const char *s, size_t n, int *yes)
{
    return parse_bool(s, n, yes, 2);
}

/* White space for case codes: what a copy from a web page or a spreadsheet
 * can put inside a code, including the invisible ones. */
static int is_space_cp(utf8proc_int32_t cp)
{
    if (cp < 0x80)
        return is_blank_ascii((unsigned char)cp);
    return cp == 0x85 || cp == 0xA0 || cp == 0x200B || cp == 0x2028 || cp == 0x2029 ||
           cp == 0xFEFF || utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS;
}

/* The non-ASCII path of mc_case_id_norm. */
static long case_id_unicode(const char *s, size_t n, char *dst, size_t cap)
{
    /* Pass 1: drop white space first, so that marks separated from their
     * letter by a stray space still compose with it. */
    char stack_bytes[256];
    char *bytes = n <= sizeof stack_bytes ? stack_bytes : malloc(n);
    if (!bytes)
        return -1;
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    size_t blen = 0;
    while (p < end) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, end - p, &cp);
        if (k <= 0) { /* not UTF-8: the caller broke the contract */
            if (bytes != stack_bytes)
                free(bytes);
            return -1;
        }
        if (!is_space_cp(cp)) {
            memcpy(bytes + blen, p, (size_t)k);
            blen += (size_t)k;
        }
        p += k;
    }

    /* Pass 2: canonical decomposition (reordered), upper case, compose. */
    const utf8proc_option_t opt = UTF8PROC_STABLE | UTF8PROC_COMPOSE;
    utf8proc_int32_t stack_cps[256];
    utf8proc_int32_t *cps = stack_cps;
    utf8proc_ssize_t ncp = utf8proc_decompose((const utf8proc_uint8_t *)bytes,
                                              (utf8proc_ssize_t)blen, cps, 256, opt);
    if (ncp > 256) {
        cps = malloc((size_t)ncp * sizeof *cps);
        if (cps)
            ncp = utf8proc_decompose((const utf8proc_uint8_t *)bytes,
                                     (utf8proc_ssize_t)blen, cps, ncp, opt);
    }
    if (bytes != stack_bytes)
        free(bytes);
    long result = -1;
    if (!cps || ncp < 0)
        goto done;
    for (utf8proc_ssize_t i = 0; i < ncp; i++)
        cps[i] = utf8proc_toupper(cps[i]);
    ncp = utf8proc_normalize_utf32(cps, ncp, opt);
    if (ncp < 0)
        goto done;
    size_t out = 0;
    for (utf8proc_ssize_t i = 0; i < ncp; i++) {
        utf8proc_uint8_t enc[4];
        utf8proc_ssize_t w = utf8proc_encode_char(cps[i], enc);
        if (out + (size_t)w + 1 > cap)
            goto done;
        memcpy(dst + out, enc, (size_t)w);
        out += (size_t)w;
    }
    dst[out] = '\0';
    result = (long)out;
done:
    if (cps != stack_cps)
        free(cps);
    return result;
}

long mc_case_id_norm(const char *s, size_t n, char *dst, size_t cap)
{
    size_t out = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80)
            return case_id_unicode(s, n, dst, cap);
        if (is_blank_ascii(c))
            continue;
        if (c >= 'a' && c <= 'z')
            c = (unsigned char)(c - 'a' + 'A');
        if (out + 2 > cap)
            return -1;
        dst[out++] = (char)c;
    }
    if (cap == 0)
        return -1;
    dst[out] = '\0';
    return (long)out;
}
