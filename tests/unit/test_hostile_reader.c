/*
 * test_hostile_reader.c -- reader limits that a hostile file probes and the
 * per-case reader tests do not: what comes before the header.
 *
 * The reader holds the start of the text back to find the header; blank
 * lines before it used to be held too, so a file of a million blank lines
 * grew the process by its own size (found while writing issue #6's hostile
 * corpus).  Memory is measured with mallinfo2 inside the header callback,
 * while the held-back text is still alive.
 */
#include <criterion/criterion.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "etl/reader.h"

typedef struct {
    size_t heap_at_header; /* bytes in use when the header arrived */
    long header_line;
    long rows;
} seen;

static size_t heap_in_use(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd; /* small chunks + mmapped blocks */
}

static int on_header(void *ctx, long line, const mc_field *f, size_t n, mc_error *err)
{
    seen *s = ctx;
    (void)f, (void)n, (void)err;
    s->heap_at_header = heap_in_use();
    s->header_line = line;
    return 0;
}

static int on_row(void *ctx, long line, const mc_field *f, size_t n, mc_error *err)
{
    seen *s = ctx;
    (void)line, (void)f, (void)n, (void)err;
    s->rows++;
    return 0;
}

/* n bytes of blank lines (spaces, tabs, CR; one LF every 64 bytes), then
 * an export of two rows. */
static char *blank_prefixed(size_t n, size_t *len)
{
    static const char tail[] = "MaHoSo,MaDonVi,TrangThaiHoSo,NgayTiepNhan\n"
                               "A-1,000.00.06.H56,4,01/01/2025\nA-2,000.00.06.H56,4,01/01/2025\n";
    char *b = malloc(n + sizeof tail);
    cr_assert_not_null(b);
    for (size_t i = 0; i < n; i++)
        b[i] = (i % 64 == 63) ? '\n' : " \t \r"[i % 4];
    memcpy(b + n, tail, sizeof tail);
    *len = n + sizeof tail - 1;
    return b;
}

Test(hostile_reader, blank_lines_before_the_header_do_not_grow_memory, .timeout = 60)
{
    size_t n, big = (size_t)32 << 20;
    char *text = blank_prefixed(big, &n);
    mc_reader_cb cb = {.on_header = on_header, .on_row = on_row};
    mc_reader_opts o = {.chunk_size = 64 * 1024};
    seen s = {0};
    mc_error err;
    mc_reader_info in;
    size_t before = heap_in_use();
    cr_assert_eq(mc_read_mem("blank.csv", text, n, &o, &cb, &s, &in, &err), 0, "%s", err.msg);
    cr_assert_eq(s.rows, 2);
    cr_assert_eq(s.header_line, (long)(big / 64) + 1);
    cr_assert_eq(in.lines, (long)(big / 64) + 3);
    /* mallinfo2 counts nothing under AddressSanitizer: then this is 0 < 8M */
    cr_assert_lt(s.heap_at_header > before ? s.heap_at_header - before : 0, (size_t)8 << 20,
                 "%zu bytes held at the header for %zu bytes of blank lines",
                 s.heap_at_header - before, big);
    free(text);
}

Test(hostile_reader, many_blank_lines_and_nothing_else_is_not_called_empty)
{
    size_t n;
    char *text = blank_prefixed((size_t)1 << 20, &n);
    size_t only_blank = (size_t)1 << 20; /* cut before the header */
    mc_error err;
    mc_reader_info in;
    mc_reader_opts o = {.chunk_size = 4096};
    cr_assert_eq(mc_read_mem("blank.csv", text, only_blank, &o, NULL, NULL, &in, &err), MC_EXIT_DATA);
    cr_assert_str_eq(err.msg, "blank.csv: no header line (the file is only blank lines)");
    cr_assert_eq(mc_read_mem("empty.csv", "", 0, &o, NULL, NULL, &in, &err), MC_EXIT_DATA);
    cr_assert_str_eq(err.msg, "empty.csv: no header line (the file is empty)");
    cr_assert_eq(mc_read_mem("bom.csv", "\xEF\xBB\xBF", 3, &o, NULL, NULL, &in, &err), MC_EXIT_DATA);
    cr_assert_str_eq(err.msg, "bom.csv: no header line (the file is empty)");
    free(text);
}

/* ------------------------------------------------------------------ */

typedef struct {
    char t[4096];
    size_t n;
} transcript;

static int t_row(void *ctx, long line, const mc_field *f, size_t n, mc_error *err)
{
    transcript *t = ctx;
    (void)err;
    t->n += (size_t)snprintf(t->t + t->n, sizeof t->t - t->n, "R%ld:%zu:", line, n);
    for (size_t i = 0; i < n; i++)
        t->n += (size_t)snprintf(t->t + t->n, sizeof t->t - t->n, "%.*s|", (int)f[i].len, f[i].p);
    t->n += (size_t)snprintf(t->t + t->n, sizeof t->t - t->n, "\n");
    return 0;
}

static int t_bad(void *ctx, long line, mc_reason reason, const char *detail, mc_error *err)
{
    transcript *t = ctx;
    (void)err;
    t->n += (size_t)snprintf(t->t + t->n, sizeof t->t - t->n, "B%ld:%d:%s\n", line, (int)reason, detail);
    return 0;
}

/*
 * A row dropped for its size is skipped by the reader's copy of libcsv's
 * state machine; the copy must treat a space before a field as libcsv does
 * (padding), or a quote after it opens a field in one and not in the
 * other, and whether the next rows survive depends on where a chunk ended.
 * Found by the fuzzer (fixtures/fuzz-regressions/space-before-quote-*).
 */
Test(hostile_reader, skipped_row_ends_where_libcsv_ends_it_whatever_the_chunks)
{
    static const char *const texts[] = {
        /* the quote after ", " opens a field: the rest of the file is that row */
        "h,i\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx, \"\n0,1\n2,3\n",
        /* a quote after padding after a closing quote is text; the row ends */
        "h,i\n\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\" \",1\n2,3\n",
        "h,i\n\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"  \"y\n2,3\n\"\n4,5\n",
    };
    for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
        mc_reader_cb cb = {.on_row = t_row, .on_bad_row = t_bad};
        transcript ref = {0};
        mc_error err;
        mc_reader_opts o = {.max_field = 21, .chunk_size = 4096};
        cr_assert_eq(mc_read_mem("skip.csv", texts[k], strlen(texts[k]), &o, &cb, &ref, NULL, &err), 0,
                     "%s", err.msg);
        for (size_t chunk = 1; chunk < 48; chunk++) {
            transcript t = {0};
            o.chunk_size = chunk;
            cr_assert_eq(mc_read_mem("skip.csv", texts[k], strlen(texts[k]), &o, &cb, &t, NULL, &err), 0);
            cr_assert_str_eq(t.t, ref.t, "text %zu, chunk %zu", k, chunk);
        }
        if (k == 0)
            cr_assert_str_eq(ref.t, "B2:11:field longer than 21 bytes\n");
        if (k == 1)
            cr_assert_str_eq(ref.t, "B2:11:field longer than 21 bytes\nR3:2:2|3|\n");
    }
}
