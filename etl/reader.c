/*
 * reader.c -- streaming CSV reader for case-log exports; see reader.h.
 *
 * Flow: a source yields text chunks (plain bytes, or gzip inflated chunk by
 * chunk).  Text in UTF-16 with a byte-order mark, or in the legacy encoding
 * the caller allows, goes through iconv on its way (SPEC 10.3): a sequence
 * that does not convert becomes one MC_READER_UNCONVERTED byte, so that
 * only its row is lost.  The first 64 KiB and the whole header line are held back in a
 * "head" buffer to sniff the encoding, skip the BOM, blank lines and Excel's
 * sep= line, and detect the delimiter.  From the header on, text is cut at
 * '\n' with memchr and handed to libcsv one physical line (or a piece of a
 * long one) at a time: between two pieces we know whether libcsv is inside a
 * row, hence the physical line where each row starts, whatever the chunking.
 *
 * Oversized rows are noticed from the field lengths libcsv reports (and from
 * its buffer fill between pieces, so an endless field is caught before it is
 * buffered); the rest of such a row is skipped by a tiny copy of libcsv's
 * state machine that keeps nothing.
 *
 * gzip is inflated by ISA-L (isal_inflate), about twice as fast as zlib's
 * inflate on our exports (issue 15, BENCH.md).  Each member's header is
 * read with isal_read_gzip_header into a header record kept across calls,
 * because isal_inflate's own header reading keeps it on its stack and so
 * misreads a header (name, extra field) that arrives in several pieces;
 * the body is then inflated with the trailer's CRC-32 and length checked.
 */
#include "etl/reader.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <isa-l/igzip_lib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#include "base/fs.h"
#include "base/mem.h"
#include "etl/htmltable.h"
#include "etl/xls.h"
#include "etl/xlsx.h"

#define KIB ((size_t)1024)
#define MIB (KIB * KIB)
#define SAMPLE (64 * KIB)     /* text sniffed for the encoding */
#define FEED_MAX (256 * KIB)  /* most bytes libcsv may buffer past a limit */
#define CSV_BLOCK (64 * KIB)  /* libcsv's buffer growth step (default 128) */
/* A header needs four columns (SPEC 1.2), so three delimiters: a first line
 * with fewer is a title line, and the delimiter is taken from the first
 * line below it that has as many (SPEC 10.2). */
#define HEADER_MIN_DELIMS 3
#define TITLE_MAX_LINES 50

/*
 * libcsv's parser states (libcsv.c, stable since 2.0 but not exported).  We
 * read them between pieces to know whether a row is still open, and copy the
 * machine to skip oversized rows exactly where libcsv would end them.
 */
enum { ST_ROW_NOT_BEGUN = 0, ST_FIELD_NOT_BEGUN, ST_FIELD_BEGUN, ST_MIGHT_HAVE_ENDED };

typedef struct {
    size_t off, len;
} span;

typedef struct rd {
    const char *name;
    size_t chunk, max_field, max_row, max_columns;
    const mc_reader_cb *cb;
    void *ctx;
    mc_reader_info *info;
    mc_error *err;

    /* source: a file descriptor or a memory block, maybe gzip */
    int fd;
    const unsigned char *mem;
    size_t mem_n, mem_pos;
    unsigned char pre[4];          /* bytes peeked from fd for the magic */
    size_t pre_n, pre_pos;
    unsigned char *raw;            /* read buffer (chunk bytes) */
    int gz, gz_in_header, gz_member_done, gz_zero_tail, raw_eof, text_eof;
    struct inflate_state *zs;      /* ISA-L's inflater (87 KB: on the heap) */
    struct isal_gzip_header gzh;   /* the member header being read */
    unsigned char *out;            /* inflate output (chunk bytes) */

    /* conversion to UTF-8 (SPEC 10.3), when cv_on */
    mc_reader_encoding enc;        /* what the caller allows */
    int cv_on, cv_src_eof, cv_need_more, cv_flushed;
    iconv_t cd;
    size_t cv_unit;                /* bytes skipped past a sequence that does not convert */
    unsigned char *cv_in;          /* source text waiting: [cv_pos, cv_len) */
    size_t cv_pos, cv_len, cv_cap;
    unsigned char *cv_out;
    size_t cv_out_cap;
    uint64_t text_len;             /* UTF-8 bytes handed to the parser side */

    /* the held-back start of the text */
    unsigned char *head;
    size_t head_len, head_cap;

    /* parser */
    struct csv_parser p;
    int p_ready;
    unsigned char delim;
    void (*on_raw)(void *, const void *, size_t);
    void *raw_ctx;
    long line;                     /* physical line of the next byte */
    long row_line;                 /* line where the open row started */
    int in_row, header_done, bad, discard, stop;
    int skipping, sk_state, sk_quoted, sk_spaces;
    unsigned char last;            /* last text byte, for the line count */

    /* the open row: field bytes in store, spans into it */
    char *store;
    size_t slen, scap;
    span *f;
    size_t nf, fcap;
    mc_field *fv;
    size_t fvcap;
} rd;

/* ------------------------------------------------------------------ util */

static int nomem(rd *r)
{
    return mc_error_set(r->err, MC_EXIT_SOFTWARE, "%s: out of memory", r->name);
}

/* ---------------------------------------------------------------- source */

static int raw_next(rd *r, const unsigned char **p, size_t *n)
{
    *n = 0;
    if (r->pre_pos < r->pre_n) {
        *p = r->pre + r->pre_pos;
        *n = r->pre_n - r->pre_pos;
        r->pre_pos = r->pre_n;
        if (r->on_raw)
            r->on_raw(r->raw_ctx, *p, *n);  /* counted in bytes_raw when peeked */
        return 0;
    }
    if (r->mem) {
        size_t k = r->mem_n - r->mem_pos;
        if (k > r->chunk)
            k = r->chunk;
        *p = r->mem + r->mem_pos;
        r->mem_pos += k;
        *n = k;
    } else {
        ssize_t k = mc_fs_read(r->fd, r->raw, r->chunk);
        if (k < 0)
            return mc_error_set(r->err, MC_EXIT_IO, "%s: cannot read: %s", r->name,
                                strerror(errno));
        *p = r->raw;
        *n = (size_t)k;
    }
    r->info->bytes_raw += *n;
    if (r->on_raw && *n)
        r->on_raw(r->raw_ctx, *p, *n);
    return 0;
}

static int gz_corrupt(rd *r, const char *why)
{
    return mc_error_set(r->err, MC_EXIT_DATA,
                        "%s: gzip data is corrupt (%s): the copy is damaged, fetch the export again",
                        r->name, why ? why : "unknown error");
}

static int gz_truncated(rd *r)
{
    return mc_error_set(r->err, MC_EXIT_DATA,
                        "%s: gzip data is truncated (the file ends inside the compressed "
                        "stream): the copy is incomplete, fetch the export again",
                        r->name);
}

/* Why ISA-L refused the data, in words. */
static const char *isal_why(int zr, int in_header)
{
    switch (zr) {
    case ISAL_INVALID_BLOCK:
        return "invalid block";
    case ISAL_INVALID_SYMBOL:
        return "invalid code";
    case ISAL_INVALID_LOOKBACK:
        return "invalid distance";
    case ISAL_INVALID_WRAPPER:
        return "not a gzip header";
    case ISAL_UNSUPPORTED_METHOD:
        return "unknown compression method";
    case ISAL_INCORRECT_CHECKSUM:
        return in_header ? "header checksum mismatch" : "CRC-32 or length mismatch";
    default:
        return NULL;
    }
}

#if defined(__x86_64__) || defined(__i386__)
__attribute__((target("avx"))) static void zero_upper(void)
{
    _mm256_zeroupper();
}
#endif

/*
 * After each ISA-L call.  Its AVX-512 CRC-32 (crc32_gzip_refl_by16_10, the
 * one chosen on a CPU with VPCLMULQDQ) returns with the upper halves of the
 * vector registers in use, and every SSE instruction after it then pays for
 * that: libc's memcpy and our field copies ran at half speed, and a gzip
 * export took more time than with zlib (issue 15, BENCH.md).  VZEROUPPER
 * exists only where AVX does.
 */
static void after_isal(void)
{
#if defined(__x86_64__) || defined(__i386__)
    if (__builtin_cpu_supports("avx"))
        zero_upper();
#endif
}

/* Start reading a gzip member's header. */
static void gz_member_start(rd *r)
{
    memset(&r->gzh, 0, sizeof r->gzh);   /* flags too, which the init leaves */
    isal_gzip_header_init(&r->gzh);
    r->gz_in_header = 1;
}

/* Next chunk of inflated text; *n == 0 at a clean end. */
static int gz_next(rd *r, const unsigned char **p, size_t *n)
{
    struct inflate_state *zs = r->zs;
    *n = 0;
    for (;;) {
        if (zs->avail_in == 0 && !r->raw_eof) {
            const unsigned char *in;
            size_t k;
            int st = raw_next(r, &in, &k);
            if (st)
                return st;
            if (k == 0)
                r->raw_eof = 1;
            /* ISA-L only reads its input; its pointer is not const */
            zs->next_in = (uint8_t *)in;
            zs->avail_in = (uint32_t)k;
        }
        /* At the end of the file, what ISA-L still holds (it inflates
         * ahead into a buffer of its own) is delivered before the missing
         * rest is reported, so the rows read do not depend on the chunk. */
        int at_end = zs->avail_in == 0 && r->raw_eof;
        if (at_end && r->gz_member_done)
            return 0;
        if (at_end && r->gz_in_header)
            return gz_truncated(r);
        if (r->gz_zero_tail || (r->gz_member_done && zs->next_in[0] == 0)) {
            /* Zero padding after the last member (tape, some uploaders) is
             * ignored as gzip(1) does; anything else there is damage. */
            r->gz_zero_tail = 1;
            for (uint32_t i = 0; i < zs->avail_in; i++)
                if (zs->next_in[i])
                    return gz_corrupt(r, "garbage after the compressed data");
            zs->avail_in = 0;
            continue;
        }
        if (r->gz_member_done) {
            /* Concatenated members (gzip a b > c, appended logs) are one stream. */
            isal_inflate_reset(zs);
            gz_member_start(r);
            r->gz_member_done = 0;
        }
        uint32_t had_in = zs->avail_in;
        if (r->gz_in_header) {
            int zr = isal_read_gzip_header(zs, &r->gzh);
            after_isal();
            if (zr == ISAL_DECOMP_OK)
                r->gz_in_header = 0;
            else if (zr != ISAL_END_INPUT)
                return gz_corrupt(r, isal_why(zr, 1));
            else if (zs->avail_in == had_in)
                return gz_corrupt(r, "no progress");
            continue;
        }
        zs->next_out = r->out;
        zs->avail_out = (uint32_t)r->chunk;
        int zr = isal_inflate(zs);
        after_isal();
        size_t got = r->chunk - zs->avail_out;
        if (zr != ISAL_DECOMP_OK)
            return gz_corrupt(r, isal_why(zr, 0));
        if (zs->block_state == ISAL_BLOCK_FINISH)
            r->gz_member_done = 1;   /* and its trailer matched */
        else if (got == 0 && at_end)
            return gz_truncated(r);
        else if (got == 0 && zs->avail_in == had_in && had_in > 0)
            return gz_corrupt(r, "no progress");
        if (got) {
            uint64_t used = r->info->bytes_raw - zs->avail_in;
            r->info->bytes_text += got;
            if (r->info->bytes_text > MC_READER_BOMB_FLOOR &&
                r->info->bytes_text / MC_READER_BOMB_RATIO > used)
                return mc_error_set(r->err, MC_EXIT_DATA,
                                    "%s: gzip expands more than %dx (%llu bytes from %llu): "
                                    "refused as a decompression bomb",
                                    r->name, MC_READER_BOMB_RATIO,
                                    (unsigned long long)r->info->bytes_text,
                                    (unsigned long long)used);
            *p = r->out;
            *n = got;
            return 0;
        }
    }
}

/* Next chunk of the file's text as stored (after gunzip, before any
 * conversion); *n == 0 at the end. */
static int src_next(rd *r, const unsigned char **p, size_t *n)
{
    int st = r->gz ? gz_next(r, p, n) : raw_next(r, p, n);
    if (st)
        return st;
    if (!r->gz)
        r->info->bytes_text += *n;
    return 0;
}

/*
 * Next chunk of converted text; *n == 0 at the end.  iconv may keep a
 * character back (glibc's CP1258 waits for a combining tone mark to
 * compose it), so the end, and a sequence that does not convert, flush it.  A sequence that does not convert,
 * or a truncated one at the very end, becomes one MC_READER_UNCONVERTED
 * byte and cv_unit bytes of the source are skipped.
 */
static int conv_next(rd *r, const unsigned char **p, size_t *n)
{
    for (;;) {
        size_t avail = r->cv_len - r->cv_pos;
        if ((avail == 0 || r->cv_need_more) && !r->cv_src_eof) {
            memmove(r->cv_in, r->cv_in + r->cv_pos, avail);
            r->cv_len = avail;
            r->cv_pos = 0;
            r->cv_need_more = 0;
            const unsigned char *s;
            size_t k;
            int st = src_next(r, &s, &k);
            if (st)
                return st;
            if (k == 0) {
                r->cv_src_eof = 1;
                continue;
            }
            unsigned char *in = mc_mem_grow(r->cv_in, &r->cv_cap, avail + k, 1);
            if (!in)
                return nomem(r);
            r->cv_in = in;
            memcpy(r->cv_in + avail, s, k);
            r->cv_len = avail + k;
            continue;
        }
        char *out = (char *)r->cv_out;
        size_t outleft = r->cv_out_cap;
        if (avail == 0) {
            if (r->cv_flushed) {
                *n = 0;
                return 0;
            }
            r->cv_flushed = 1;
            iconv(r->cd, NULL, NULL, &out, &outleft);
        } else {
            char *in = (char *)r->cv_in + r->cv_pos;
            size_t inleft = avail;
            size_t rc = iconv(r->cd, &in, &inleft, &out, &outleft);
            r->cv_pos = (size_t)((unsigned char *)in - r->cv_in);
            if (rc == (size_t)-1 && (errno == EILSEQ || (errno == EINVAL && r->cv_src_eof))) {
                /* the character held back goes out first, so that the
                 * marker stays where the bad sequence was */
                if (iconv(r->cd, NULL, NULL, &out, &outleft) != (size_t)-1 && outleft > 0) {
                    *out++ = (char)MC_READER_UNCONVERTED;
                    outleft--;
                    size_t left = r->cv_len - r->cv_pos;
                    r->cv_pos += r->cv_unit < left ? r->cv_unit : left;
                }
            } else if (rc == (size_t)-1 && errno == EINVAL) {
                r->cv_need_more = 1;  /* a sequence cut by the chunk's end */
            }
        }
        size_t got = r->cv_out_cap - outleft;
        if (got) {
            *p = r->cv_out;
            *n = got;
            return 0;
        }
    }
}

/* Next chunk of UTF-8 text (converted when cv_on); *n == 0 at the end. */
static int text_next(rd *r, const unsigned char **p, size_t *n)
{
    *n = 0;
    if (r->text_eof)
        return 0;
    int st = r->cv_on ? conv_next(r, p, n) : src_next(r, p, n);
    if (st)
        return st;
    if (*n == 0) {
        r->text_eof = 1;
    } else {
        r->last = (*p)[*n - 1];
        r->text_len += *n;
    }
    return 0;
}

/* Append text to the head until it holds want bytes or the text ends. */
static int head_fill(rd *r, size_t want)
{
    while (r->head_len < want && !r->text_eof) {
        const unsigned char *p;
        size_t n;
        int st = text_next(r, &p, &n);
        if (st)
            return st;
        if (n == 0)
            break;
        unsigned char *nh = mc_mem_grow(r->head, &r->head_cap, r->head_len + n, 1);
        if (!nh)
            return nomem(r);
        r->head = nh;
        memcpy(r->head + r->head_len, p, n);
        r->head_len += n;
    }
    return 0;
}

/* ---------------------------------------------------------------- sniff */

static const char CONVERT_HINT[] =
    "convert it to Unicode UTF-8 first, e.g. with UniKey's converter, "
    "or in Excel 'Save As > CSV UTF-8'";

static int is_vowel(unsigned char c)
{
    switch (c | 0x20) {
    case 'a': case 'e': case 'i': case 'o': case 'u': case 'y':
        return 1;
    }
    return 0;
}

/*
 * Name the legacy Vietnamese 8-bit encoding of s from byte pairs:
 *  - Windows-1258 writes tones as combining bytes CC EC D2 DE F2 after a
 *    vowel (ASCII or a precomposed base like E2 'a^');
 *  - VNI writes an ASCII vowel (or F4/F6 for o'/u') followed by a mark byte;
 *  - TCVN3 writes precomposed lower-case letters in A1-FF, mostly after a
 *    consonant or a space.
 * On the reform-plan texts each signal covers 40-75% of the high bytes of
 * its own encoding and under 15% of the others'.
 */
static const char *guess_legacy(const unsigned char *s, size_t n)
{
    static const unsigned char vni_mark[256] = {
        [0xE0] = 1, [0xE1] = 1, [0xE2] = 1, [0xE3] = 1, [0xE4] = 1, [0xE5] = 1,
        [0xE8] = 1, [0xE9] = 1, [0xEA] = 1, [0xEB] = 1, [0xEF] = 1, [0xF5] = 1,
        [0xF8] = 1, [0xF9] = 1, [0xFA] = 1, [0xFB] = 1, [0xFC] = 1,
        [0xC0] = 1, [0xC1] = 1, [0xC2] = 1, [0xC3] = 1, [0xC4] = 1, [0xC5] = 1,
        [0xC8] = 1, [0xC9] = 1, [0xCA] = 1, [0xCB] = 1, [0xCF] = 1, [0xD5] = 1,
        [0xD8] = 1, [0xD9] = 1, [0xDA] = 1, [0xDB] = 1, [0xDC] = 1,
    };
    size_t high = 0, vni = 0, cp = 0, tcvn = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i], prev = i ? s[i - 1] : ' ';
        if (c < 0x80)
            continue;
        high++;
        int pv = prev < 0x80 && is_vowel(prev);
        if ((pv || prev == 0xF4 || prev == 0xF6 || prev == 0xD4 || prev == 0xD6) && vni_mark[c])
            vni++;
        if ((pv || prev >= 0xC0) &&
            (c == 0xCC || c == 0xEC || c == 0xD2 || c == 0xDE || c == 0xF2))
            cp++;
        if (prev < 0x80 && !pv && c >= 0xA1)
            tcvn++;
    }
    if (cp * 4 > high)
        return "Windows-1258";
    if (vni * 2 > high)
        return "VNI";
    if (tcvn * 2 > high)
        return "TCVN3/ABC";
    return NULL;
}

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid,
 * (size_t)-1 if cut short by the end of the sample. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    for (size_t i = 1; i < len; i++) {
        if (i >= n)
            return (size_t)-1;
        unsigned char b = s[i];
        if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xBF))
            return 0;
    }
    return len;
}

/* Count the valid multi-byte UTF-8 sequences and the invalid bytes of s;
 * a sequence cut by the end of s counts as neither. */
static void utf8_census(const unsigned char *s, size_t n, size_t *valid, size_t *invalid)
{
    *valid = *invalid = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = utf8_seq(s + i, n - i);
        if (k == (size_t)-1)
            break;      /* the sample ends inside a character */
        if (k) {
            (*valid)++;
            i += k;
        } else {
            (*invalid)++;
            i++;
        }
    }
}

/*
 * Decide from the held-back start of the source text whether it is
 * converted to UTF-8 (SPEC 10.3): UTF-16 with a byte-order mark always; the
 * legacy encoding the caller allows when the text is not UTF-8 (more
 * invalid sequences than valid ones).  Text with a UTF-8 BOM, more valid
 * UTF-8 than not, or only ASCII is UTF-8 whatever the caller allows: a
 * UTF-8 file whose first 64 KiB happen to be ASCII must not have its later
 * letters turned into other ones without a word, while a legacy byte
 * further on only costs its row (bad_utf8), which shows.
 * When converting, the head becomes the converter's input and is read
 * again through it.
 */
static int choose_text(rd *r)
{
    const unsigned char *s = r->head;
    size_t n = r->head_len, skip = 0, unit = 1;
    const char *from = NULL, *format = NULL;
    if (n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
        from = s[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
        format = "utf16";
        skip = unit = 2;
    } else if (r->enc != MC_READER_UTF8 && !(n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)) {
        size_t valid, invalid;
        utf8_census(s, n, &valid, &invalid);
        if (invalid > valid) {
            from = r->enc == MC_READER_CP1258 ? "CP1258" : "TCVN5712-1";
            format = r->enc == MC_READER_CP1258 ? "cp1258" : "tcvn3";
        }
    }
    if (!from)
        return 0;
    r->cd = iconv_open("UTF-8", from);
    if (r->cd == (iconv_t)-1)
        return mc_error_set(r->err, MC_EXIT_SOFTWARE,
                            "%s: cannot convert from %s: %s (are glibc's iconv modules installed?)",
                            r->name, from, strerror(errno));
    r->cv_on = 1;
    r->cv_unit = unit;
    r->info->converted = 1;
    snprintf(r->info->format, sizeof r->info->format, "%s", format);
    r->cv_out_cap = r->chunk + 64;
    if (!(r->cv_out = malloc(r->cv_out_cap)))
        return nomem(r);
    r->cv_in = r->head;
    r->cv_cap = r->head_cap;
    r->cv_pos = skip;
    r->cv_len = n;
    r->cv_src_eof = r->text_eof;
    r->text_eof = 0;
    r->text_len = 0;
    r->last = 0;
    if (!(r->head = malloc(SAMPLE)))
        return nomem(r);
    r->head_len = 0;
    r->head_cap = SAMPLE;
    return head_fill(r, SAMPLE);
}

/* Refuse text that is not UTF-8 at all, naming what it looks like.  s is the
 * start of the text (before the BOM is stripped); a few bad bytes in a UTF-8
 * file pass (the caller quarantines those rows as bad_utf8).  Converted text
 * is UTF-8 but for the bytes that did not convert, which cost their rows. */
static int sniff(rd *r, const unsigned char *s, size_t n)
{
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        s += 3, n -= 3;
    if ((n >= 4 && memcmp(s, "PK\3\4", 4) == 0) ||
        (n >= 8 && memcmp(s, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0))
        return mc_error_set(r->err, MC_EXIT_DATA,
                            "%s: not a CSV text file (looks like an Excel workbook): "
                            "open it in Excel and use 'Save As > CSV UTF-8'", r->name);

    size_t nul_even = 0, nul_odd = 0, ctrl = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            ctrl++;
            if (c == 0 && (i & 1))
                nul_odd++;
            else if (c == 0)
                nul_even++;
        }
    }
    /* ASCII in UTF-16 puts a NUL in every other byte, on one side only. */
    size_t pairs = n / 2;
    if (n >= 8 && nul_odd * 4 > pairs && nul_even * 8 < nul_odd)
        return mc_error_set(r->err, MC_EXIT_DATA,
                            "%s: not UTF-8 (looks like UTF-16 little-endian): in Excel use "
                            "'Save As > CSV UTF-8', or convert it: iconv -f UTF-16LE -t UTF-8", r->name);
    if (n >= 8 && nul_even * 4 > pairs && nul_odd * 8 < nul_even)
        return mc_error_set(r->err, MC_EXIT_DATA,
                            "%s: not UTF-8 (looks like UTF-16 big-endian): in Excel use "
                            "'Save As > CSV UTF-8', or convert it: iconv -f UTF-16BE -t UTF-8", r->name);
    /* Text has next to no control bytes; random or compressed data ~11%. */
    if (ctrl * 20 > n)
        return mc_error_set(r->err, MC_EXIT_DATA,
                            "%s: not a CSV text file (binary data: %zu control bytes in the first %zu)",
                            r->name, ctrl, n);

    size_t valid, invalid;
    utf8_census(s, n, &valid, &invalid);
    /* Eight is below any real legacy-encoded export and above a few bad
     * bytes in an otherwise ASCII file, whose rows are quarantined instead. */
    if (!r->cv_on && invalid > valid && invalid >= 8) {
        const char *enc = guess_legacy(s, n);
        if (enc && strcmp(enc, "Windows-1258") == 0)
            return mc_error_set(r->err, MC_EXIT_DATA,
                                "%s: not UTF-8 (looks like Windows-1258): convert it to UTF-8 first, "
                                "e.g. iconv -f CP1258 -t UTF-8, or in Excel 'Save As > CSV UTF-8', "
                                "or load it with --encoding cp1258", r->name);
        if (enc && strcmp(enc, "TCVN3/ABC") == 0)
            return mc_error_set(r->err, MC_EXIT_DATA, "%s: not UTF-8 (looks like TCVN3/ABC): %s, "
                                "or load it with --encoding tcvn3", r->name, CONVERT_HINT);
        if (enc)
            return mc_error_set(r->err, MC_EXIT_DATA, "%s: not UTF-8 (looks like %s): %s",
                                r->name, enc, CONVERT_HINT);
        return mc_error_set(r->err, MC_EXIT_DATA,
                            "%s: not UTF-8 (%zu invalid byte sequences in the first %zu bytes; "
                            "a legacy encoding such as TCVN3, VNI or Windows-1258?): %s",
                            r->name, invalid, n, CONVERT_HINT);
    }
    return 0;
}

/* -------------------------------------------------------------- prelude */

static int is_blank(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

static int no_header(rd *r, int empty)
{
    return mc_error_set(r->err, MC_EXIT_DATA, "%s: no header line (the file is %s)", r->name,
                        empty ? "empty" : "only blank lines");
}

static int header_too_long(rd *r, long line)
{
    return mc_error_set(r->err, MC_EXIT_DATA, "%s: line %ld: the header is longer than %zu bytes",
                        r->name, line, r->max_row);
}

/*
 * The first line is too short to be a header: a title line ("DANH SÁCH HỒ
 * SƠ") whose delimiters, if any, say nothing.  Take the counts of the first
 * of the next TITLE_MAX_LINES records, within the text already held, that
 * has HEADER_MIN_DELIMS of one kind; count is left alone when none has.
 * from is the end of the first record (its '\n', or the end of the text).
 * Exactly the SAMPLE bytes after it are looked at, however the text came
 * in chunks, so that the answer does not depend on them.
 */
static int title_delims(rd *r, size_t from, size_t count[3])
{
    size_t c[3] = {0, 0, 0};
    int inq = 0, lines = 0;
    int st = head_fill(r, from + 1 + SAMPLE);
    if (st)
        return st;
    size_t end = r->head_len < from + 1 + SAMPLE ? r->head_len : from + 1 + SAMPLE;
    for (size_t i = from + 1; i < end && lines < TITLE_MAX_LINES; i++) {
        unsigned char ch = r->head[i];
        if (ch == '"') {
            inq = !inq;
        } else if (!inq && ch == '\n') {
            if (c[0] >= HEADER_MIN_DELIMS || c[1] >= HEADER_MIN_DELIMS || c[2] >= HEADER_MIN_DELIMS) {
                memcpy(count, c, sizeof c);
                return 0;
            }
            lines++;
            c[0] = c[1] = c[2] = 0;
        } else if (!inq) {
            c[0] += ch == ',';
            c[1] += ch == ';';
            c[2] += ch == '\t';
        }
    }
    if (lines < TITLE_MAX_LINES && r->text_eof && end == r->head_len &&
        (c[0] >= HEADER_MIN_DELIMS || c[1] >= HEADER_MIN_DELIMS || c[2] >= HEADER_MIN_DELIMS))
        memcpy(count, c, sizeof c);  /* the last line of the file, without its '\n' */
    return 0;
}

/*
 * Find the header in the head buffer: skip the BOM, blank lines and an Excel
 * sep= line, then read the header record (quotes may hold line breaks) to
 * count candidate delimiters outside quotes.  Sets r->line and *start.
 */
static int prelude(rd *r, size_t *start)
{
    size_t pos = 0;
    long line = 1;
    int st, sep_done = 0;
    unsigned char delim = 0;

    if (r->head_len >= 3 && memcmp(r->head, "\xEF\xBB\xBF", 3) == 0) {
        pos = 3;
        r->info->bom = 1;
    }
    for (;;) {
        const unsigned char *nl;
        while (!(nl = pos < r->head_len ? memchr(r->head + pos, '\n', r->head_len - pos) : NULL) &&
               !r->text_eof) {
            if (r->head_len - pos > r->max_row + 2)
                return header_too_long(r, line);
            if (pos >= SAMPLE) {
                /* Drop the blank lines already skipped: a file that starts
                 * with a million of them must not grow the head with it. */
                memmove(r->head, r->head + pos, r->head_len - pos);
                r->head_len -= pos;
                pos = 0;
            }
            size_t more = r->head_len > r->chunk ? r->head_len : r->chunk;
            if ((st = head_fill(r, r->head_len + more)))
                return st;
        }
        size_t end = nl ? (size_t)(nl - r->head) : r->head_len;
        if (is_blank(r->head + pos, end - pos)) {
            if (!nl) {
                r->line = line;
                return no_header(r, r->text_len == (uint64_t)(r->info->bom ? 3 : 0));
            }
            pos = end + 1;
            line++;
            continue;
        }
        size_t len = end - pos;
        if (len && r->head[end - 1] == '\r')
            len--;
        if (!sep_done && len == 5 && strncasecmp((const char *)r->head + pos, "sep=", 4) == 0) {
            unsigned char c = r->head[pos + 4];
            if (c != ',' && c != ';' && c != '\t')
                return mc_error_set(r->err, MC_EXIT_DATA,
                                    "%s: line %ld: unsupported delimiter in the sep= line "
                                    "(use ',', ';' or tab)", r->name, line);
            delim = c;
            sep_done = 1;
            r->info->sep_line = 1;
            if (!nl) {
                r->line = line;
                return no_header(r, 0);
            }
            pos = end + 1;
            line++;
            continue;
        }
        break;
    }

    /* The header record; counts survive head_fill, so a long header is
     * scanned once. */
    size_t count[3] = {0, 0, 0}; /* ',' ';' '\t' outside quotes */
    size_t i = pos;
    int inq = 0, found = 0;
    for (;;) {
        for (; i < r->head_len; i++) {
            unsigned char c = r->head[i];
            if (c == '"')
                inq = !inq;
            else if (!inq) {
                if (c == '\n') {
                    found = 1;
                    break;
                }
                count[0] += c == ',';
                count[1] += c == ';';
                count[2] += c == '\t';
            }
        }
        if (found || r->text_eof)
            break;
        if (i - pos > r->max_row + 2)
            return header_too_long(r, line);
        size_t more = r->head_len > r->chunk ? r->head_len : r->chunk;
        if ((st = head_fill(r, r->head_len + more)))
            return st;
    }
    if (i - pos > r->max_row + 2)
        return header_too_long(r, line);
    if (!delim) {
        size_t dc[3] = {count[0], count[1], count[2]};
        if (dc[0] < HEADER_MIN_DELIMS && dc[1] < HEADER_MIN_DELIMS && dc[2] < HEADER_MIN_DELIMS &&
            (st = title_delims(r, i, dc)))
            return st;
        delim = ',';
        if (dc[1] > dc[0] && dc[1] >= dc[2])
            delim = ';';
        else if (dc[2] > dc[0] && dc[2] > dc[1])
            delim = '\t';
    }
    size_t cols = 1 + count[delim == ',' ? 0 : delim == ';' ? 1 : 2];
    if (cols > r->max_columns)
        return mc_error_set(r->err, MC_EXIT_DATA,
                            "%s: line %ld: the header has %zu columns, more than the limit of %zu",
                            r->name, line, cols, r->max_columns);
    r->delim = delim;
    r->info->delimiter = (char)delim;
    r->line = line;
    *start = pos;
    return 0;
}

/* ------------------------------------------------------------ the rows */

static void row_reset(rd *r)
{
    r->nf = 0;
    r->slen = 0;
    r->bad = 0;
}

static void set_stop(rd *r, int st)
{
    if (st == MC_READER_NEXT_SHEET)
        st = MC_EXIT_DATA;   /* text has no next sheet: the callback's error stands */
    if (!r->stop) {
        r->stop = st;
        if (r->err && r->err->status == 0)
            mc_error_set(r->err, st, "%s: line %ld: stopped by the caller", r->name, r->row_line);
    }
}

/* Report the open row as undeliverable, once; its remaining bytes are then
 * dropped.  On the header this refuses the file. */
static void mark_bad(rd *r, mc_reason reason, const char *detail)
{
    if (r->bad || r->stop)
        return;
    r->bad = 1;
    if (!r->header_done) {
        r->stop = mc_error_set(r->err, MC_EXIT_DATA, "%s: line %ld: header: %s", r->name,
                               r->row_line, detail);
        return;
    }
    r->info->rows++;
    if (r->cb->on_bad_row) {
        int st = r->cb->on_bad_row(r->ctx, r->row_line, reason, detail, r->err);
        if (st)
            set_stop(r, st);
    }
}

/*
 * Check a field of len bytes (complete or still growing) against the limits
 * and report the row if it is past one.  When both are past, name the one
 * the bytes crossed first, so the detail does not depend on where a chunk
 * happened to end.  Returns 1 if the row is bad.
 */
static int check_size(rd *r, size_t len)
{
    int over_field = len > r->max_field;
    int over_row = r->slen + len > r->max_row;
    if (!over_field && !over_row)
        return 0;
    if (over_field && over_row)
        over_row = r->max_field + r->slen > r->max_row;
    char detail[96];
    snprintf(detail, sizeof detail, "%s longer than %zu bytes", over_row ? "row" : "field",
             over_row ? r->max_row : r->max_field);
    mark_bad(r, MC_REASON_ROW_TOO_LARGE, detail);
    return 1;
}

/* libcsv: a field ended. */
static void too_many_fields(rd *r)
{
    if (!r->header_done) {
        r->stop = mc_error_set(r->err, MC_EXIT_DATA,
                               "%s: line %ld: the header has more than %zu columns",
                               r->name, r->row_line, r->max_columns);
        return;
    }
    char detail[96];
    snprintf(detail, sizeof detail, "row has more than %zu fields", r->max_columns);
    mark_bad(r, MC_REASON_BAD_FIELD_COUNT, detail);
}

/* Make room for one more field of len bytes in the open row. */
static int reserve(rd *r, size_t len)
{
    char *ns = mc_mem_grow(r->store, &r->scap, r->slen + len + 1, 1);
    if (ns)
        r->store = ns;
    span *nf = ns ? mc_mem_grow(r->f, &r->fcap, r->nf + 1, sizeof *r->f) : NULL;
    if (!nf) {
        r->stop = nomem(r);
        return -1;
    }
    r->f = nf;
    return 0;
}

/* libcsv: a field ended.  Called for every field of the file: the usual
 * case takes no call but memcpy. */
static void on_field(void *s, size_t len, void *data)
{
    rd *r = data;
    size_t slen = r->slen, nf = r->nf;
    if (r->discard | r->stop | r->bad)
        return;
    if (len > r->max_field || slen + len > r->max_row) {
        check_size(r, len);
        return;
    }
    if (nf >= r->max_columns) {
        too_many_fields(r);
        return;
    }
    if ((slen + len >= r->scap || nf >= r->fcap) && reserve(r, len))
        return;
    memcpy(r->store + slen, s, len);
    r->f[nf].off = slen;
    r->f[nf].len = len;
    r->nf = nf + 1;
    r->slen = slen + len;
}

/* libcsv: a row ended. */
static void on_row_end(int c, void *data)
{
    rd *r = data;
    (void)c;
    long line = r->row_line;
    /* A lone CR can end a row mid-line; the next row then starts here. */
    r->row_line = r->line;
    if (r->discard || r->stop)
        return;
    if (r->bad) {
        row_reset(r);
        return;
    }
    if (r->header_done && r->nf == 1 && is_blank((const unsigned char *)r->store, r->slen)) {
        row_reset(r);   /* a line of spaces is a blank line */
        return;
    }
    mc_field *fv = mc_mem_grow(r->fv, &r->fvcap, r->nf ? r->nf : 1, sizeof *r->fv);
    if (!fv) {
        r->stop = nomem(r);
        return;
    }
    r->fv = fv;
    for (size_t i = 0; i < r->nf; i++) {
        r->fv[i].p = r->store + r->f[i].off;
        r->fv[i].len = r->f[i].len;
    }
    int st = 0;
    if (!r->header_done) {
        r->header_done = 1;
        if (r->cb->on_header)
            st = r->cb->on_header(r->ctx, line, r->fv, r->nf, r->err);
    } else {
        r->info->rows++;
        if (r->cb->on_row)
            st = r->cb->on_row(r->ctx, line, r->fv, r->nf, r->err);
    }
    row_reset(r);
    if (st)
        set_stop(r, st);
}

/* Drop libcsv's partial row and start skipping the rest of it. */
static void start_skip(rd *r)
{
    r->sk_state = r->p.pstate;
    r->sk_quoted = r->p.quoted;
    /* libcsv's spaces also counts the padding of an unquoted field; only
     * the spaces after a closing quote matter to skip() */
    r->sk_spaces = r->p.pstate == ST_MIGHT_HAVE_ENDED && r->p.spaces > 0;
    r->discard = 1;
    csv_fini(&r->p, on_field, on_row_end, r);   /* resets the parser */
    r->discard = 0;
    r->skipping = 1;
}

/*
 * Consume bytes of a dropped row without keeping them, following libcsv's
 * machine (CR or LF ends a row outside quotes; a space is padding before a
 * field and after a closing quote, as space_only tells libcsv) so the row
 * ends exactly where libcsv would have ended it.  Returns bytes consumed.
 */
static size_t skip(rd *r, const unsigned char *s, size_t n)
{
    int st = r->sk_state, q = r->sk_quoted, sp = r->sk_spaces;
    unsigned char d = r->delim;
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i++];
        if (c == '\n')
            r->line++;
        int end = 0;
        switch (st) {
        case ST_ROW_NOT_BEGUN:
        case ST_FIELD_NOT_BEGUN:
            if (c == '\r' || c == '\n')
                end = 1;
            else if (c != d && c != ' ') { /* a space before a field is padding */
                st = ST_FIELD_BEGUN;
                q = c == '"';
                sp = 0;
            }
            break;
        case ST_FIELD_BEGUN:
            if (q) {
                if (c == '"')
                    st = ST_MIGHT_HAVE_ENDED, sp = 0;
            } else if (c == d)
                st = ST_FIELD_NOT_BEGUN;
            else if (c == '\r' || c == '\n')
                end = 1;
            break;
        default: /* ST_MIGHT_HAVE_ENDED: a closing quote, or half of "" */
            if (c == d)
                st = ST_FIELD_NOT_BEGUN, sp = 0;
            else if (c == '\r' || c == '\n')
                end = 1;
            else if (c == ' ')
                sp = 1;     /* padding after the closing quote */
            else if (c == '"' && sp)
                sp = 0;     /* '"a" "': text, and the field may still end */
            else
                st = ST_FIELD_BEGUN, sp = 0;
            break;
        }
        if (end) {
            r->skipping = 0;
            r->in_row = 0;
            r->row_line = r->line;
            row_reset(r);
            return i;
        }
    }
    r->sk_state = st;
    r->sk_quoted = q;
    r->sk_spaces = sp;
    return n;
}

/* Bytes the field libcsv is still collecting would have if it ended here.
 * Its buffer also holds what it drops when the field ends: the spaces that
 * end an unquoted field or follow a closing quote (p.spaces), and in
 * ST_MIGHT_HAVE_ENDED the closing quote candidate.  Counting them made a
 * short field with padding after it "too long" or not depending on where a
 * chunk ended.  What is left can only grow, so a field past a limit here is
 * past it when it ends. */
static size_t open_field_len(const rd *r)
{
    size_t drop = r->p.spaces + (r->p.pstate == ST_MIGHT_HAVE_ENDED);
    return r->p.entry_pos > drop ? r->p.entry_pos - drop : 0;
}

/* Parse a run of text: one libcsv call per physical line or piece of one. */
static int feed(rd *r, const unsigned char *s, size_t n)
{
    while (n && !r->stop) {
        if (r->skipping) {
            size_t k = skip(r, s, n);
            s += k;
            n -= k;
            continue;
        }
        size_t len = n < FEED_MAX ? n : FEED_MAX;
        const unsigned char *nl = memchr(s, '\n', len);
        if (nl)
            len = (size_t)(nl - s) + 1;
        if (!r->in_row)
            r->row_line = r->line;
        if (csv_parse(&r->p, s, len, on_field, on_row_end, r) != len)
            return r->stop ? r->stop : nomem(r);
        r->in_row = r->p.pstate != ST_ROW_NOT_BEGUN;
        if (nl)
            r->line++;
        s += len;
        n -= len;
        if (r->in_row && !r->stop) {
            if (!r->bad)
                check_size(r, open_field_len(r));
            if (r->bad && !r->stop)
                start_skip(r);
        }
    }
    return r->stop;
}

/* End of text: deliver or report the last row. */
static int finish(rd *r)
{
    if (r->skipping) {
        r->skipping = 0;        /* already reported; the file ended inside it */
        row_reset(r);
    } else if (r->p.pstate != ST_ROW_NOT_BEGUN) {
        if (r->p.pstate == ST_FIELD_BEGUN && r->p.quoted) {
            long line = r->row_line;
            r->discard = 1;
            csv_fini(&r->p, on_field, on_row_end, r);
            r->discard = 0;
            r->row_line = line;
            mark_bad(r, MC_REASON_UNTERMINATED_QUOTE,
                     "quoted field not closed before the end of the file");
            row_reset(r);
        } else {
            csv_fini(&r->p, on_field, on_row_end, r);
        }
    }
    if (r->stop)
        return r->stop;
    if (!r->header_done)
        return no_header(r, 0);
    return 0;
}

/* -------------------------------------------------------------- driver */

/* Only the plain space counts as padding.  libcsv then trims it around
 * unquoted fields (every consumer trims anyway) and, what matters, skips it
 * after a closing quote: with no space function `"A1" ,B` would reopen the
 * quote and swallow the rest of the file.  Tab is never padding, so empty
 * fields of tab-separated files stay apart. */
static int space_only(unsigned char c)
{
    return c == ' ';
}

static void rd_init(rd *r, const char *name, const mc_reader_opts *o, const mc_reader_cb *cb,
                    void *ctx, mc_reader_info *info, mc_error *err)
{
    static const mc_reader_cb none;
    memset(r, 0, sizeof *r);
    r->name = name ? name : "(input)";
    r->chunk = o && o->chunk_size ? o->chunk_size : MIB;
    if (r->chunk > UINT32_MAX / 2)
        r->chunk = UINT32_MAX / 2;  /* ISA-L counts in uint32_t */
    r->max_field = o && o->max_field ? o->max_field : MIB;
    r->max_row = o && o->max_row ? o->max_row : 4 * MIB;
    r->max_columns = o && o->max_columns ? o->max_columns : 4096;
    r->on_raw = o ? o->on_raw : NULL;
    r->enc = o ? o->encoding : MC_READER_UTF8;
    r->raw_ctx = o ? o->raw_ctx : NULL;
    r->cb = cb ? cb : &none;
    r->ctx = ctx;
    r->info = info;
    memset(info, 0, sizeof *info);
    info->delimiter = ',';
    r->err = err;
    r->fd = -1;
    r->line = 1;
    mc_error_clear(err);
}

static void rd_free(rd *r)
{
    if (r->cv_on)
        iconv_close(r->cd);
    free(r->cv_in);
    free(r->cv_out);
    free(r->zs);
    if (r->p_ready)
        csv_free(&r->p);
    free(r->raw);
    free(r->out);
    free(r->head);
    free(r->store);
    free(r->f);
    free(r->fv);
}

/* Everything after the source is opened; first2 are the first raw bytes. */
static int run(rd *r, const unsigned char *first2, size_t nfirst)
{
    int st;
    snprintf(r->info->format, sizeof r->info->format, "csv");
    if (nfirst >= 2 && first2[0] == 0x1F && first2[1] == 0x8B) {
        r->gz = r->info->gzip = 1;
        snprintf(r->info->format, sizeof r->info->format, "csv.gz");
        if (!(r->out = malloc(r->chunk)) || !(r->zs = malloc(sizeof *r->zs)))
            return nomem(r);
        isal_inflate_init(r->zs);
        r->zs->crc_flag = ISAL_GZIP_NO_HDR_VER;  /* the header is read apart */
        gz_member_start(r);
    }
    /* never NULL, so that empty input needs no special case below */
    if (!(r->head = malloc(SAMPLE)))
        return nomem(r);
    r->head_cap = SAMPLE;
    if ((st = head_fill(r, SAMPLE)))
        return st;
    if ((st = choose_text(r)))
        return st;
    if ((st = sniff(r, r->head, r->head_len < SAMPLE ? r->head_len : SAMPLE)))
        return st;
    size_t start = 0;
    st = prelude(r, &start);
    if (st) {
        r->info->lines = r->line - 1 + (r->text_len && r->last != '\n');
        return st;
    }

    if (csv_init(&r->p, 0) != 0)
        return nomem(r);
    r->p_ready = 1;
    csv_set_delim(&r->p, r->delim);
    csv_set_space_func(&r->p, space_only);
    csv_set_blk_size(&r->p, CSV_BLOCK);

    /* The head goes through in chunk-size steps like the rest, so that the
     * chunk-size tests reach the parser's piece edges on small files too. */
    for (size_t at = start; !st && at < r->head_len; at += r->chunk) {
        size_t k = r->head_len - at < r->chunk ? r->head_len - at : r->chunk;
        st = feed(r, r->head + at, k);
    }
    free(r->head);
    r->head = NULL;
    r->head_len = r->head_cap = 0;
    while (!st) {
        const unsigned char *p;
        size_t n;
        if ((st = text_next(r, &p, &n)) || n == 0)
            break;
        st = feed(r, p, n);
    }
    if (!st)
        st = finish(r);
    r->info->lines = r->line - 1 + (r->text_len && r->last != '\n');
    return st;
}

/* Bytes of a file's start that tell its format. */
#define MAGIC_BYTES MC_HTML_SNIFF_BYTES

/*
 * 1 when the file that starts with the n bytes at magic is not CSV but a
 * workbook (.xlsx: a ZIP; .xls: OLE2) or an HTML table (SPEC 10.1), whatever
 * it is called: it was then read by its own format's reader (from r->fd
 * when from_fd, else from memory), whose status is in *st.  0 for CSV.
 */
static int other_format(rd *r, const mc_reader_opts *o, const unsigned char *magic, size_t n,
                        int from_fd, int *st)
{
    if (mc_xlsx_magic(magic, n))
        *st = from_fd ? mc_xlsx_read_fd(r->name, r->fd, o, r->cb, r->ctx, r->info, r->err)
                      : mc_xlsx_read_mem(r->name, r->mem, r->mem_n, o, r->cb, r->ctx, r->info,
                                         r->err);
    else if (mc_xls_is_ole2(magic, n))
        *st = from_fd ? mc_xls_read_fd(r->name, r->fd, o, r->cb, r->ctx, r->info, r->err)
                      : mc_xls_read_mem(r->name, r->mem, r->mem_n, o, r->cb, r->ctx, r->info,
                                        r->err);
    else if (mc_html_sniff(magic, n) != MC_HTML_NO)
        *st = from_fd ? mc_html_read_fd(r->name, r->fd, o, r->cb, r->ctx, r->info, r->err)
                      : mc_html_read_mem(r->name, r->mem, r->mem_n, o, r->cb, r->ctx, r->info,
                                         r->err);
    else
        return 0;
    return 1;
}

int mc_read_file(const char *path, const mc_reader_opts *opts, const mc_reader_cb *cb, void *ctx,
                 mc_reader_info *info, mc_error *err)
{
    mc_reader_info local;
    rd r;
    rd_init(&r, path, opts, cb, ctx, info ? info : &local, err);
    r.fd = open(path, O_RDONLY | O_CLOEXEC);
    if (r.fd < 0)
        return mc_error_set(err, MC_EXIT_IO, "%s: cannot open: %s", r.name, strerror(errno));
    /* Workbooks and HTML tables, told by their first bytes (SPEC 10.1).
     * pread leaves the offset alone; on a pipe it fails and the file is
     * read as CSV (which names a workbook it meets). */
    unsigned char magic[MAGIC_BYTES];
    ssize_t nmagic = pread(r.fd, magic, sizeof magic, 0);
    int st = 0;
    if (nmagic > 0 && other_format(&r, opts, magic, (size_t)nmagic, 1, &st)) {
        close(r.fd);
        return st;
    }
    if (!(r.raw = malloc(r.chunk)))
        st = nomem(&r);
    /* Peek at the magic bytes; they are replayed by raw_next. */
    while (!st && r.pre_n < sizeof r.pre) {
        ssize_t k = mc_fs_read(r.fd, r.pre + r.pre_n, sizeof r.pre - r.pre_n);
        if (k < 0)
            st = mc_error_set(err, MC_EXIT_IO, "%s: cannot read: %s", r.name, strerror(errno));
        if (k <= 0)
            break;
        r.pre_n += (size_t)k;
        r.info->bytes_raw += (uint64_t)k;
    }
    if (!st)
        st = run(&r, r.pre, r.pre_n);
    close(r.fd);
    rd_free(&r);
    return st;
}

int mc_read_mem(const char *name, const void *buf, size_t n, const mc_reader_opts *opts,
                const mc_reader_cb *cb, void *ctx, mc_reader_info *info, mc_error *err)
{
    mc_reader_info local;
    rd r;
    rd_init(&r, name, opts, cb, ctx, info ? info : &local, err);
    r.mem = buf ? buf : (const void *)"";
    r.mem_n = buf ? n : 0;
    int st = 0;
    if (!other_format(&r, opts, r.mem, r.mem_n, 0, &st))
        st = run(&r, r.mem, r.mem_n);
    rd_free(&r);
    return st;
}
