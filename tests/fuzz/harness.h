/*
 * harness.h -- the path the fuzzer drives, shared by the libFuzzer target
 * (tests/fuzz/fuzz_ingest.c) and its regression test
 * (tests/unit/test_fuzz_regressions.c), so that a saved crash is replayed
 * through exactly the code that found it.
 *
 * The path is what `motcua ingest` does to a file up to, but excluding, the
 * store: mc_read_mem -> mc_colmap_build on the header -> for each row the
 * repeated-header check, mc_normalize_row, and mc_row_masked for a row that
 * is quarantined.  For a workbook or HTML table (info.ragged) it does what
 * ingest.c does besides: a header without the required columns sends the
 * reader on to the next sheet, and a row is fitted to the header's width.
 * mc_read_mem chooses the reader by the first bytes, so the same harness
 * serves tests/fuzz/fuzz_xls.c and tests/fuzz/fuzz_html.c.  Besides "does
 * not crash, leak or hang" (the sanitizers' and libFuzzer's job) it checks
 * properties that hold for every input:
 *   - the reader's answer does not depend on how the bytes are chunked
 *     (same rows, same lines, same verdict; for a refused file the verdict
 *     and, unless it is gzip, the message): the reader is built for that,
 *     and a chunk edge is where a streaming parser breaks;
 *   - every row is accounted for: on_row + on_bad_row == info.rows;
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

#include "etl/reader.h"
#include "transforms/columns.h"
#include "transforms/normalize.h"
#include "transforms/text.h"

/* What one read produced, folded into a digest plus the plain counts. */
typedef struct fz_trace {
    uint64_t h;          /* FNV-1a over every callback and its bytes */
    long rows, bad_rows;
    int have_map;
    mc_colmap map;
    const mc_reader_info *info;  /* the reader's, as it fills it */
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

static int fz_on_header(void *ctx, long line, const mc_field *f, size_t n, mc_error *err)
{
    fz_trace *t = ctx;
    fz_mix_fields(t, "H", line, f, n);
    int st = mc_colmap_build(&t->map, "fuzz.csv", f, n, err);
    if (st == MC_EXIT_DATA && t->info->ragged) {
        /* as ingest.c does: a sheet whose first row lacks a required column
         * is not the export; a faulty header that has them all refuses */
        int have[MC_COL_COUNT] = {0};
        for (size_t i = 0; i < n; i++) {
            mc_col c = mc_column_lookup(f[i].p, f[i].len);
            if ((unsigned)c < MC_COL_COUNT)
                have[c] = 1;
        }
        if (!(have[MC_COL_CASE_ID] && have[MC_COL_STATUS] && have[MC_COL_RECEIVED_AT] &&
              (have[MC_COL_UNIT_CODE] || have[MC_COL_UNIT_NAME])))
            return MC_READER_NEXT_SHEET;
    }
    if (st)
        return st;
    t->have_map = 1;
    return 0;
}

static int fz_on_row(void *ctx, long line, const mc_field *f, size_t n, mc_error *err)
{
    fz_trace *t = ctx;
    (void)err;
    t->rows++;
    fz_mix_fields(t, "R", line, f, n);
    if (!t->have_map) {
        fz_broken(t, "a row before the header");
        return 0;
    }
    /* a ragged row fitted to the header as ingest.c's on_row does */
    mc_field *fitted = NULL;
    if (t->info->ragged && n != t->map.nfields) {
        size_t extra_text = 0;
        for (size_t i = t->map.nfields; i < n; i++)
            extra_text += f[i].len;
        if (n > t->map.nfields && !extra_text)
            n = t->map.nfields;
        else if (n < t->map.nfields) {
            fitted = calloc(t->map.nfields, sizeof *fitted);
            if (!fitted)
                abort();
            memcpy(fitted, f, n * sizeof *f);
            for (size_t i = n; i < t->map.nfields; i++)
                fitted[i] = (mc_field){"", 0};
            f = fitted;
            n = t->map.nfields;
        }
    }
    if (mc_colmap_is_header(&t->map, f, n)) {
        free(fitted);
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
    int rc = mc_normalize_row(&t->map, f, n, &rec, arena, cap, &fault);
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
        char *masked = mc_row_masked(&t->map, f, n);
        if (!masked)
            abort();
        size_t ml = strlen(masked);
        if (!mc_utf8_valid(masked, ml))
            fz_broken(t, "a masked row is not valid UTF-8");
        for (size_t k = 0; k < ml; k++)
            if (((unsigned char)masked[k] < 0x20 && masked[k] != '\t') || masked[k] == 0x7f)
                fz_broken(t, "a masked row holds a control byte");
        if (n != t->map.nfields && ml)
            fz_broken(t, "a row that does not line up with the header was echoed");
        /* no cell of a personal-data or unknown column may be echoed: the
         * masked copy must not change when those cells are blanked */
        if (n == t->map.nfields) {
            mc_field *blanked = malloc((n ? n : 1) * sizeof *blanked);
            if (!blanked)
                abort();
            for (size_t i = 0; i < n; i++)
                blanked[i] = t->map.col_of_field[i] < 0 ? (mc_field){"", 0} : f[i];
            char *again = mc_row_masked(&t->map, blanked, n);
            if (!again)
                abort();
            if (strcmp(again, masked) != 0)
                fz_broken(t, "a personal-data or unknown cell was echoed in the masked row");
            free(again);
            free(blanked);
        }
        free(masked);
    }
    free(arena);
    free(fitted);
    return 0;
}

static int fz_on_bad_row(void *ctx, long line, mc_reason reason, const char *detail, mc_error *err)
{
    fz_trace *t = ctx;
    (void)err;
    t->bad_rows++;
    fz_mix(t, "B", 1);
    fz_mix_long(t, line);
    fz_mix_long(t, (long)reason);
    fz_mix(t, detail, strlen(detail));
    if (reason != MC_REASON_ROW_TOO_LARGE && reason != MC_REASON_UNTERMINATED_QUOTE &&
        reason != MC_REASON_BAD_FIELD_COUNT)
        fz_broken(t, "the reader gave a reason it does not own");
    return 0;
}

/* One read of data with the given options; the digest covers the verdict
 * and, on success, what the reader learned about the file. */
static uint64_t fz_read(const uint8_t *data, size_t n, const mc_reader_opts *o, char *why,
                        size_t why_cap)
{
    static const mc_reader_cb cb = {.on_header = fz_on_header, .on_row = fz_on_row, .on_bad_row = fz_on_bad_row};
    fz_trace t;
    memset(&t, 0, sizeof t);
    t.h = 0xcbf29ce484222325ULL;
    t.why = why;
    t.why_cap = why_cap;
    mc_reader_info info;
    mc_error err;
    memset(&info, 0, sizeof info);
    t.info = &info;
    int st = mc_read_mem("fuzz.csv", data, n, o, &cb, &t, &info, &err);
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
        if (t.rows + t.bad_rows != info.rows)
            fz_broken(&t, "rows delivered + rows reported bad != info.rows");
        if (!t.have_map && info.rows)
            fz_broken(&t, "rows were counted but there was no header");
        if (info.bytes_raw != n)
            fz_broken(&t, "a successful read did not consume the whole input");
    }
    if (t.have_map)
        mc_colmap_free(&t.map);
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
    return why[0] != '\0';
}

#endif
