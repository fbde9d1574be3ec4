/*
 * harness.h -- the path the fuzzer drives, shared by the libFuzzer target
 * (tests/fuzz/fuzz_ingest.c) and its regression test
 * (tests/unit/test_fuzz_regressions.c), so that a saved crash is replayed
 * through exactly the code that found it.
 *
 * The path is what `motcua ingest` does to a file up to, but excluding, the
 * store: mc_read_mem (UTF-16 and, in one read of four, a legacy encoding
 * converted on the way) -> the frame (etl/frame.h: the title-block search
 * for the header, headers of two and three rows, the signature block held
 * back, repeated headers, bytes that did not convert) -> for each data row
 * mc_normalize_row, and mc_row_masked for a row that is quarantined.  A
 * workbook's or HTML table's rows go through the same frame (a sheet
 * without a header sends the reader on, a short row is padded).
 * mc_read_mem chooses the reader by the first bytes, so the same harness
 * serves tests/fuzz/fuzz_xls.c and tests/fuzz/fuzz_html.c.  Besides "does
 * not crash, leak or hang" (the sanitizers' and libFuzzer's job) it checks
 * properties that hold for every input:
 *   - the reader's answer does not depend on how the bytes are chunked
 *     (same rows, same lines, same verdict; for a refused file the verdict
 *     and, unless it is gzip, the message): the reader is built for that,
 *     and a chunk edge is where a streaming parser breaks;
 *   - every row is accounted for: the reader's rows are the frame's title,
 *     header, data and trailer rows, and its data rows are the ones the
 *     sink got;
 *   - what reaches the store is clean: normalized text is valid UTF-8 with
 *     no edge white space, masked copies are valid UTF-8 without control
 *     bytes other than the TAB separator, and no personal-data column nor a
 *     row whose cells do not line up with the header is ever echoed.
 * Each arena is allocated at exactly the size ingest.c allocates, so that
 * AddressSanitizer sees one byte of overflow.
 *
 * Header-only (static functions) because the unit tests are built from
 * the files of tests/unit alone and the fuzz target from its own file.
 */
#ifndef MC_FUZZ_HARNESS_H
#define MC_FUZZ_HARNESS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "etl/frame.h"
#include "etl/reader.h"
#include "transforms/normalize.h"
#include "transforms/text.h"

/* What one read produced, folded into a digest plus the plain counts. */
typedef struct fz_trace {
    uint64_t h;          /* FNV-1a over every callback and its bytes */
    long rows, rejects;
    mc_frame *frame;
    char *why;           /* the first broken property, or NULL */
    size_t why_cap;
} fz_trace;

static void fz_mix(fz_trace *t, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        t->h ^= b[i];
        t->h *= 0x100000001b3ULL;
    }
}

static void fz_mix_long(fz_trace *t, long v)
{
    fz_mix(t, &v, sizeof v);
}

static void fz_broken(fz_trace *t, const char *what)
{
    if (t->why && !t->why[0])
        snprintf(t->why, t->why_cap, "%s", what);
}

/* Normalized text: valid UTF-8, no NUL, no white space at either edge. */
static void fz_check_text(fz_trace *t, const char *s)
{
    if (!s)
        return;
    size_t n = strlen(s);
    if (n == 0)
        fz_broken(t, "an empty normalized text that should have been NULL");
    else if (!mc_utf8_valid(s, n))
        fz_broken(t, "normalized text is not valid UTF-8");
    else if (s[0] == ' ' || s[n - 1] == ' ' || s[0] == '\t' || s[n - 1] == '\n')
        fz_broken(t, "normalized text keeps white space at an edge");
}

/* A header or row into the trace: its kind, line, and every field. */
static void fz_mix_fields(fz_trace *t, const char *kind, long line, const mc_field *f, size_t n)
{
    fz_mix(t, kind, 1);
    fz_mix_long(t, line);
    fz_mix_long(t, (long)n);
    for (size_t i = 0; i < n; i++) {
        fz_mix_long(t, (long)f[i].len);
        fz_mix(t, f[i].p, f[i].len);
    }
}

/* Masked copies echo only canonical columns, as valid text. */
static void fz_check_masked(fz_trace *t, const mc_colmap *map, const mc_field *f, size_t n)
{
    char *masked = mc_row_masked(map, f, n);
    if (!masked)
        abort();
    size_t ml = strlen(masked);
    if (!mc_utf8_valid(masked, ml))
        fz_broken(t, "a masked row is not valid UTF-8");
    for (size_t k = 0; k < ml; k++)
        if (((unsigned char)masked[k] < 0x20 && masked[k] != '\t') || masked[k] == 0x7f)
            fz_broken(t, "a masked row holds a control byte");
    if (n != map->nfields && ml)
        fz_broken(t, "a row that does not line up with the header was echoed");
    /* no cell of a personal-data or unknown column may be echoed: the
     * masked copy must not change when those cells are blanked */
    if (n == map->nfields) {
        mc_field *blanked = malloc((n ? n : 1) * sizeof *blanked);
        if (!blanked)
            abort();
        for (size_t i = 0; i < n; i++)
            blanked[i] = map->col_of_field[i] < 0 ? (mc_field){"", 0} : f[i];
        char *again = mc_row_masked(map, blanked, n);
        if (!again)
            abort();
        if (strcmp(again, masked) != 0)
            fz_broken(t, "a personal-data or unknown cell was echoed in the masked row");
        free(again);
        free(blanked);
    }
    free(masked);
}

static int fz_on_row(void *ctx, long line, const mc_field *f, size_t n, mc_error *err)
{
    fz_trace *t = ctx;
    (void)err;
    t->rows++;
    fz_mix_fields(t, "R", line, f, n);
    const mc_colmap *map = mc_frame_map(t->frame);
    if (!map) {
        fz_broken(t, "a row before the header");
        return 0;
    }
    /* the size ingest.c gives the arena */
    size_t bytes = 64;
    for (size_t i = 0; i < n; i++)
        bytes += f[i].len + 1;
    size_t cap = 3 * bytes + 64;
    char *arena = malloc(cap);
    if (!arena)
        abort();
    mc_record rec;
    mc_row_fault fault;
    int rc = mc_normalize_row(map, f, n, &rec, arena, cap, &fault);
    if (rc == 0) {
        if (!rec.case_id || !rec.case_id[0])
            fz_broken(t, "an accepted row without a case_id");
        if (rec.status < 1 || rec.status > 10)
            fz_broken(t, "an accepted row with a status outside 1-10");
        if (rec.channel < 1 || rec.channel > 3)
            fz_broken(t, "an accepted row with a channel outside 1-3");
        if (rec.received_at == MC_DATE_NONE)
            fz_broken(t, "an accepted row without received_at");
        if (!rec.unit_code && !rec.unit_name)
            fz_broken(t, "an accepted row without a unit");
        const char *texts[] = {rec.case_id, rec.alt_case_id, rec.unit_code, rec.unit_name,
                               rec.procedure_code, rec.procedure_name, rec.field_name};
        for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++)
            fz_check_text(t, texts[k]);
    } else {
        if (rc != (int)fault.reason || fault.reason <= MC_REASON_NONE ||
            fault.reason >= MC_REASON_COUNT)
            fz_broken(t, "a refused row with no valid reason");
        if (fault.col >= MC_COL_COUNT || fault.col < -1)
            fz_broken(t, "a refused row blaming a column that does not exist");
        if (!memchr(fault.detail, 0, sizeof fault.detail))
            fz_broken(t, "a fault detail without its terminating NUL");
        fz_check_masked(t, map, f, n);
    }
    free(arena);
    return 0;
}

/* The frame's quarantined rows: the reader's, repeated headers, bytes
 * that did not convert. */
static int fz_on_reject(void *ctx, long line, mc_reason reason, int col, const char *detail,
                        const mc_field *f, size_t n, mc_error *err)
{
    fz_trace *t = ctx;
    (void)err;
    t->rejects++;
    fz_mix(t, "J", 1);
    fz_mix_long(t, line);
    fz_mix_long(t, (long)reason);
    fz_mix_long(t, col);
    fz_mix(t, detail, strlen(detail));
    if (reason != MC_REASON_ROW_TOO_LARGE && reason != MC_REASON_UNTERMINATED_QUOTE &&
        reason != MC_REASON_BAD_FIELD_COUNT && reason != MC_REASON_REPEATED_HEADER &&
        reason != MC_REASON_BAD_ENCODING)
        fz_broken(t, "the frame gave a reason it does not own");
    if (col >= MC_COL_COUNT || col < -1)
        fz_broken(t, "a rejected row blaming a column that does not exist");
    if (f)
        fz_check_masked(t, mc_frame_map(t->frame), f, n);
    return 0;
}

/* One read of data with the given options; the digest covers the verdict
 * and, on success, what the reader learned about the file. */
static uint64_t fz_read(const uint8_t *data, size_t n, const mc_reader_opts *o, char *why,
                        size_t why_cap)
{
    static const mc_frame_sink sink = {.on_row = fz_on_row, .on_reject = fz_on_reject};
    fz_trace t;
    memset(&t, 0, sizeof t);
    t.h = 0xcbf29ce484222325ULL;
    t.why = why;
    t.why_cap = why_cap;
    mc_reader_info info;
    memset(&info, 0, sizeof info);
    mc_error err;
    if (!(t.frame = mc_frame_new("fuzz.csv", &info, &sink, &t)))
        abort();
    int st = mc_read_mem("fuzz.csv", data, n, o, &mc_frame_reader_cb, t.frame, &info, &err);
    if (!st)
        st = mc_frame_finish(t.frame, &err);
    const mc_frame_stats *fs = mc_frame_stats_of(t.frame);
    if (st) {
        /* Rows delivered before a refusal are rolled back by the caller, and
         * how many there were depends on where the chunks ended: the
         * verdict alone must not. */
        t.h = 0xcbf29ce484222325ULL;
        fz_mix_long(&t, st);
        /* The message too, except for gzip: damage is found wherever the
         * inflater happens to be, so a header found too long before the
         * bad checksum is an equally right refusal. */
        if (!info.gzip)
            fz_mix(&t, err.msg, strlen(err.msg));
        if (st != MC_EXIT_DATA && st != MC_EXIT_SOFTWARE)
            fz_broken(&t, "a read from memory failed with neither 65 nor 70");
        if (!err.msg[0] || !strstr(err.msg, "fuzz.csv"))
            fz_broken(&t, "a refusal whose message does not name the file");
    } else {
        fz_mix_long(&t, info.lines);
        fz_mix_long(&t, info.delimiter);
        fz_mix_long(&t, info.bom);
        fz_mix_long(&t, info.sep_line);
        fz_mix_long(&t, info.gzip);
        fz_mix_long(&t, (long)info.bytes_text);
        fz_mix(&t, info.format, strlen(info.format));
        fz_mix(&t, info.sheet, strlen(info.sheet));
        fz_mix_long(&t, fs->header_line);
        fz_mix_long(&t, fs->header_rows);
        fz_mix_long(&t, fs->trailer);
        fz_mix_long(&t, fs->trailer_rows);
        /* a text file gives one header; a workbook one per sheet with rows */
        if (!info.ragged && fs->seen != info.rows + 1)
            fz_broken(&t, "the frame saw other rows than the reader delivered");
        if (fs->seen != fs->above + fs->header_rows + fs->rows + fs->trailer)
            fz_broken(&t, "a row neither above the header, in it, data nor trailer");
        if (fs->rows != t.rows + t.rejects)
            fz_broken(&t, "the frame passed on other rows than the sink got");
        if (!mc_frame_map(t.frame))
            fz_broken(&t, "a read that succeeded without a header");
        if (fs->header_rows < 1 || fs->header_rows > MC_FRAME_HEADER_ROWS ||
            fs->trailer_rows > fs->trailer || fs->trailer > MC_FRAME_TRAILER_ROWS)
            fz_broken(&t, "header or trailer rows out of their bounds");
        if (info.bytes_raw != n)
            fz_broken(&t, "a successful read did not consume the whole input");
    }
    mc_frame_free(t.frame);
    return t.h;
}

/*
 * The whole property check for one input.  Returns 0, or 1 with why filled
 * (why must hold why_cap >= 1 bytes).
 */
static int fz_one(const uint8_t *data, size_t n, char *why, size_t why_cap)
{
    why[0] = '\0';
    /* a chunk size that depends on the input, so that edges move around;
     * kept large for gzip, whose inflate output goes through the chunk */
    uint64_t seed = 0x9e3779b97f4a7c15ULL;
    for (size_t i = 0; i < n && i < 64; i++)
        seed = (seed ^ data[i]) * 0x100000001b3ULL;
    seed ^= n;
    int gz = n >= 2 && data[0] == 0x1f && data[1] == 0x8b;
    size_t small = gz ? 512 + seed % 4096 : n < 8192 ? 1 + seed % 61 : 200 + seed % 3000;

    mc_reader_opts dflt = {0};
    uint64_t a = fz_read(data, n, &dflt, why, why_cap);
    mc_reader_opts chunked = {.chunk_size = small};
    uint64_t b = fz_read(data, n, &chunked, why, why_cap);
    if (a != b && !why[0])
        snprintf(why, why_cap, "default chunks and %zu-byte chunks give different results", small);

    /* tight limits: the oversize paths on every input, same property */
    mc_reader_opts tight = {.chunk_size = small, .max_field = 8 + (seed >> 8) % 57,
                            .max_row = 16 + (seed >> 16) % 400,
                            .max_columns = 1 + (seed >> 24) % 40};
    uint64_t c = fz_read(data, n, &tight, why, why_cap);
    tight.chunk_size = small * 7 + 3;
    uint64_t d = fz_read(data, n, &tight, why, why_cap);
    if (c != d && !why[0])
        snprintf(why, why_cap, "under limits, %zu- and %zu-byte chunks give different results",
                 small, small * 7 + 3);

    /* a legacy encoding allowed (--encoding), in one input of four */
    if ((seed >> 32) % 4 == 0) {
        mc_reader_opts legacy = {.encoding = (seed >> 34) & 1 ? MC_READER_CP1258 : MC_READER_TCVN3};
        uint64_t e = fz_read(data, n, &legacy, why, why_cap);
        legacy.chunk_size = small;
        uint64_t g = fz_read(data, n, &legacy, why, why_cap);
        if (e != g && !why[0])
            snprintf(why, why_cap, "with --encoding, default and %zu-byte chunks differ", small);
    }
    return why[0] != '\0';
}

#endif
