/*
 * sheetrow.c -- one row of a table at a time, for the table readers; see
 * sheetrow.h.
 */
#include "etl/sheetrow.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "transforms/text.h"

#define KIB ((size_t)1024)
#define MIB (KIB * KIB)

void mc_sheetrow_init(mc_sheetrow *s, const char *name, const char *what,
                      const mc_reader_opts *o, const mc_reader_cb *cb, void *ctx,
                      mc_reader_info *info, mc_error *err)
{
    static const mc_reader_cb none;
    memset(s, 0, sizeof *s);
    s->name = name ? name : "(input)";
    s->what = what;
    /* the defaults of reader.h */
    s->max_field = o && o->max_field ? o->max_field : MIB;
    s->max_row = o && o->max_row ? o->max_row : 4 * MIB;
    s->max_columns = o && o->max_columns ? o->max_columns : 4096;
    s->cb = cb ? cb : &none;
    s->ctx = ctx;
    s->info = info;
    s->err = err;
}

void mc_sheetrow_free(mc_sheetrow *s)
{
    free(s->store);
    free(s->off);
    free(s->len);
    free(s->fv);
    s->store = NULL;
    s->off = s->len = NULL;
    s->fv = NULL;
}

static int nomem(mc_sheetrow *s)
{
    return mc_error_set(s->err, MC_EXIT_SOFTWARE, "%s: out of memory", s->name);
}

/* Copy src into dst (cap bytes), cut at a UTF-8 character edge. */
static void copy_cut(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

void mc_sheetrow_drop_row(mc_sheetrow *s)
{
    s->nf = 0;
    s->slen = 0;
    s->in_cell = 0;
    s->bad = 0;
}

void mc_sheetrow_sheet(mc_sheetrow *s, const char *sheet)
{
    copy_cut(s->sheet, sizeof s->sheet, sheet ? sheet : "");
    s->header_done = 0;
    mc_sheetrow_drop_row(s);
}

static void mark_bad(mc_sheetrow *s, int reason, const char *detail)
{
    if (s->bad)
        return;
    s->bad = 1;
    s->bad_reason = reason;
    snprintf(s->bad_detail, sizeof s->bad_detail, "%s", detail);
}

int mc_sheetrow_cell_begin(mc_sheetrow *s)
{
    s->in_cell = 1;
    s->cell_start = s->slen;
    /* past the limit: nothing stored, and the row is lost only if the cell
     * holds text (trailing empty places are no fields) */
    s->cell_over = s->nf >= s->max_columns;
    if (s->bad || s->cell_over)
        return 0;
    if (s->nf == s->fcap) {
        size_t cap = s->fcap ? 2 * s->fcap : 32;
        if (cap > s->max_columns)
            cap = s->max_columns;
        size_t *off = realloc(s->off, cap * sizeof *off);
        if (off)
            s->off = off;
        size_t *len = off ? realloc(s->len, cap * sizeof *len) : NULL;
        if (len)
            s->len = len;
        mc_field *fv = len ? realloc(s->fv, cap * sizeof *fv) : NULL;
        if (!fv)
            return nomem(s);
        s->fv = fv;
        s->fcap = cap;
    }
    s->off[s->nf] = s->slen;
    s->len[s->nf] = 0;
    s->nf++;
    return 0;
}

/* 1 when p[0..n) is only white space and NBSP. */
static int blank(const char *p, size_t n)
{
    mc_text_trim_blanks(p, &n);
    return n == 0;
}

int mc_sheetrow_cell_append(mc_sheetrow *s, const char *p, size_t n)
{
    if (!s->in_cell || s->bad || n == 0)
        return 0;
    if (s->cell_over) {
        if (!blank(p, n)) {
            char detail[96];
            snprintf(detail, sizeof detail, "row has more than %zu fields", s->max_columns);
            mark_bad(s, MC_REASON_BAD_FIELD_COUNT, detail);
        }
        return 0;
    }
    size_t cell = s->len[s->nf - 1];
    int over_field = cell + n > s->max_field;
    int over_row = s->slen + n > s->max_row;
    if (over_field || over_row) {
        /* Name the limit the bytes crossed first, so that the detail does
         * not depend on how the text was cut into pieces. */
        if (over_field && over_row)
            over_row = s->max_row - s->slen < s->max_field - cell;
        char detail[96];
        snprintf(detail, sizeof detail, "%s longer than %zu bytes", over_row ? "row" : "field",
                 over_row ? s->max_row : s->max_field);
        mark_bad(s, MC_REASON_ROW_TOO_LARGE, detail);
        return 0;
    }
    if (s->slen + n > s->scap) {
        size_t cap = s->scap ? s->scap : 4 * KIB;
        while (cap < s->slen + n)
            cap *= 2;
        char *st = realloc(s->store, cap);
        if (!st)
            return nomem(s);
        s->store = st;
        s->scap = cap;
    }
    memcpy(s->store + s->slen, p, n);
    s->slen += n;
    s->len[s->nf - 1] += n;
    return 0;
}

void mc_sheetrow_cell_end(mc_sheetrow *s)
{
    if (!s->in_cell)
        return;
    s->in_cell = 0;
    if (s->bad || s->cell_over)
        return;
    size_t n = s->len[s->nf - 1];
    if (n && blank(s->store + s->cell_start, n)) {
        /* blanks only (HTML's &nbsp;, a cell of spaces): an empty field */
        s->slen = s->cell_start;
        s->len[s->nf - 1] = 0;
    }
}

int mc_sheetrow_cell_empty(mc_sheetrow *s)
{
    int st = mc_sheetrow_cell_begin(s);
    mc_sheetrow_cell_end(s);
    return st;
}

/* "sheet 'Danh sách' row 5", or "table 2 row 5": where a row is. */
static const char *place(const mc_sheetrow *s, long line, char *buf, size_t cap)
{
    if (strcmp(s->what, "sheet") == 0)
        snprintf(buf, cap, "sheet '%s' row %ld", s->sheet, line);
    else
        snprintf(buf, cap, "%s row %ld", s->sheet, line);
    return buf;
}

/* A callback's status: NEXT_SHEET passes; any other failure without a
 * message gets one. */
static int callback_status(mc_sheetrow *s, int st, long line)
{
    char at[300];
    if (st && st != MC_READER_NEXT_SHEET && s->err && s->err->status == 0)
        mc_error_set(s->err, st, "%s: %s: stopped by the caller", s->name,
                     place(s, line, at, sizeof at));
    return st;
}

/* The sheet turned down: keep the callback's reason, forget the sheet. */
static int next_sheet(mc_sheetrow *s)
{
    if (s->err) {
        s->skipped = *s->err;
        mc_error_clear(s->err);
    }
    s->have_skipped = 1;
    s->header_done = 0;
    s->accepted = 0;
    return MC_READER_NEXT_SHEET;
}

int mc_sheetrow_end_row(mc_sheetrow *s, long line)
{
    if (s->in_cell)
        mc_sheetrow_cell_end(s);
    int st = 0;
    if (s->bad) {
        if (!s->header_done) {
            char at[300];
            st = mc_error_set(s->err, MC_EXIT_DATA, "%s: %s: header: %s", s->name,
                              place(s, line, at, sizeof at), s->bad_detail);
            mc_sheetrow_drop_row(s);
            return st;
        }
        s->info->rows++;
        if (s->cb->on_bad_row)
            st = s->cb->on_bad_row(s->ctx, line, (mc_reason)s->bad_reason, s->bad_detail, s->err);
        mc_sheetrow_drop_row(s);
        st = callback_status(s, st, line);
        return st == MC_READER_NEXT_SHEET ? next_sheet(s) : st;
    }
    while (s->nf > 0 && s->len[s->nf - 1] == 0)
        s->nf--;
    if (s->nf == 0) {
        mc_sheetrow_drop_row(s);
        return 0;       /* a blank row: not a row */
    }
    for (size_t i = 0; i < s->nf; i++) {
        s->fv[i].p = s->store + s->off[i];
        s->fv[i].len = s->len[i];
    }
    size_t nf = s->nf;
    if (!s->header_done) {
        snprintf(s->info->sheet, sizeof s->info->sheet, "%s", s->sheet);
        if (s->cb->on_sheet)
            st = callback_status(s, s->cb->on_sheet(s->ctx, s->sheet, s->err), line);
        if (!st && s->cb->on_header)
            st = callback_status(s, s->cb->on_header(s->ctx, line, s->fv, nf, s->err), line);
        if (!st)
            s->header_done = s->accepted = 1;
    } else {
        s->info->rows++;
        if (s->cb->on_row)
            st = callback_status(s, s->cb->on_row(s->ctx, line, s->fv, nf, s->err), line);
    }
    mc_sheetrow_drop_row(s);
    return st == MC_READER_NEXT_SHEET ? next_sheet(s) : st;
}

int mc_sheetrow_end_sheet(mc_sheetrow *s)
{
    if (!s->header_done || !s->cb->on_sheet_end)
        return 0;
    int st = s->cb->on_sheet_end(s->ctx, s->err);
    return st == MC_READER_NEXT_SHEET ? next_sheet(s) : st;
}

/* The C locale is in force (motcua never calls setlocale).  Fifteen
 * digits are tried first: a number that a shorter form reads back as
 * prints that form at 15 digits too, %g dropping the trailing zeros. */
void mc_sheetrow_number(double v, char *out, size_t cap)
{
    if (v == 0) {
        snprintf(out, cap, "0");        /* -0 too */
        return;
    }
    if (isfinite(v) && v == floor(v) && fabs(v) < 1e15) {
        snprintf(out, cap, "%.0f", v);
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(out, cap, "%.*g", prec, v);
        if (strtod(out, NULL) == v)
            return;
    }
}

int mc_sheetrow_finish(mc_sheetrow *s)
{
    if (s->accepted)
        return 0;
    if (s->have_skipped) {
        if (s->err)
            *s->err = s->skipped;
        return MC_EXIT_DATA;
    }
    return -1;
}
