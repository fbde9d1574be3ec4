/*
 * frame.c -- title block, header rows and signature block; see frame.h.
 *
 * The header.  Each non-empty row is tried alone, then with the row above,
 * then with the two rows above (SPEC 10.2: "when no single row qualifies,
 * two (then three) consecutive rows do"); the first window that names the
 * required columns is the header.  Within a window, a blank cell of an
 * upper row takes the label to its left, for every format: a text file
 * cannot say where a merge was, and a workbook reader gives the merged
 * area's value to its top-left cell only, which is the same thing.  A
 * column whose cells are blank in every header row has no name at all (a
 * spacer, or the empty columns Excel adds at the right).  The candidates
 * for a column, the first that is an alias winning:
 *     two rows (top T, bottom B):   B, "T B", T
 *     three rows (T, M, B):         B, "M B", "T M B", M, "T M", T
 * that is, the lowest label, then the lowest with more and more of what
 * is above it, then the same again one row up.  A name is "weak" when the
 * candidate leaves out the column's own lowest label (an upper label
 * alone above a label of its own, like "Đơn vị" over "Mã | Tên") or is a
 * fallback alias (columns.h): when several columns get the same name, the
 * weak ones lose it to the one that is not, and when all are weak none
 * keeps it (a guess that names two columns is no name); two that are not
 * weak are refused by the column map, as for a one-row header.
 *
 * A window that qualifies is not settled at once: a form whose upper row
 * already holds the required columns may have a second row of labels
 * under a group ("Ngày" over "Hẹn trả | Trả kết quả").  So the next row
 * joins the header when its case_id cell is blank, its other non-blank
 * cells all sit under columns the header left unnamed, and with it the
 * header names more columns.  A data row never does that: its cells sit
 * under named columns.  (SPEC 10.2 is silent on this case; reading the
 * sub-labels as a data row would quarantine it and lose the dates.)
 *
 * The trailer.  A data row whose case_id cell holds no case code and that
 * has at most three non-empty cells is held back.  SPEC 10.2 says "an empty
 * case_id"; a form's signature text often sits in the case_id column
 * ("Người lập biểu" under "Mã hồ sơ", "Tổng cộng: 120 hồ sơ" alone on its
 * line), so a cell without a digit, or with white space inside, counts as
 * empty here: a case code has digits and no spaces, and a row with a real
 * code is never held, so a cut-off last data row is still quarantined.
 * A row that is not such a row releases the held ones, in order, as the
 * data rows they are (quarantined by the normalizer, missing_case_id for
 * most, as before SPEC 10).  The rows still held at the end are the
 * signature block.  A block longer than MC_FRAME_TRAILER_ROWS is released,
 * and the rest of it passes as data.
 */
#include "etl/frame.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "transforms/columns.h"
#include "transforms/text.h"

/* The required columns of SPEC 1.2 (case_id, status, received_at, a unit). */
#define MC_FRAME_REQUIRED 4

/* Longer than any label of columns.c, even joined: cannot be an alias. */
#define LABEL_MAX 512

_Static_assert(MC_COL_COUNT <= 32, "resolution.named holds a bit per canonical column");

/* SEARCH: looking for the header; PENDING: a header found, waiting for the
 * next row (which may be more header); DATA: rows are data; GAVE_UP: no
 * header in this sheet or file. */
enum { SEARCH, PENDING, DATA, GAVE_UP };

/* A row kept past its callback. */
typedef struct crow {
    long line;
    size_t n;
    mc_field *f;
    char *buf;
    size_t fcap, bcap;
} crow;

/* What a window of header rows names, column by column. */
typedef struct resolution {
    size_t width;
    mc_col *col;
    unsigned char *weak;
    mc_field *label;         /* into text, once done */
    size_t *off;             /* label offsets while text grows */
    size_t *uoff, *ulen;     /* the label shown if the column is unknown */
    char *text;
    size_t text_len, text_cap;
    uint32_t named;          /* bit per canonical column */
    int missing;             /* required columns lacking */
} resolution;

/* A row of the signature block, its non-empty cells in hbuf. */
typedef struct held {
    long line;
    size_t n;
    size_t off, len;
    int nonblank;
} held;

struct mc_frame {
    const char *name;
    const mc_reader_info *info;
    const mc_frame_sink *sink;
    void *ctx;
    int state;
    int in_sheet;            /* a workbook reader announced a sheet */
    long sheets;
    long looked;             /* non-empty rows looked at in this sheet */
    long first_line, last_line;

    crow win[MC_FRAME_HEADER_ROWS];
    int nwin;
    int pend_k;              /* the header: win[nwin - pend_k .. nwin) */
    resolution pres;         /* of the header while PENDING */

    /* the closest a window came to a header, for the refusal */
    int best_missing;
    long best_first, best_last;
    char best_has[240], best_lacks[100];
    char why[1400];          /* the refusal, once given up (cut to an mc_error's size) */

    mc_colmap map;
    int have_map;
    size_t nfields;

    mc_field *pad;
    size_t pad_cap;
    held held[MC_FRAME_TRAILER_ROWS];
    int nheld, overflow;
    char *hbuf;
    size_t hbuf_len, hbuf_cap;
    mc_field *rel;
    size_t rel_cap;

    mc_frame_stats st;
};

/* ------------------------------------------------------------ helpers */

static int nomem(const mc_frame *fr, mc_error *err)
{
    return mc_error_set(err, MC_EXIT_SOFTWARE, "%s: out of memory", fr->name);
}

static mc_field trimmed(mc_field c)
{
    size_t n = c.len;
    const char *p = mc_text_trim_blanks(c.p, &n);
    return (mc_field){p, n};
}

static int blank(mc_field c)
{
    return trimmed(c).len == 0;
}

static int row_blank(const mc_field *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!blank(f[i]))
            return 0;
    return 1;
}

static size_t row_bytes(const mc_field *f, size_t n)
{
    size_t b = 0;
    for (size_t i = 0; i < n; i++)
        b += f[i].len;
    return b;
}

static int crow_set(crow *c, long line, const mc_field *f, size_t n)
{
    size_t bytes = row_bytes(f, n);
    char *b = mc_mem_grow(c->buf, &c->bcap, bytes + 1, 1);
    if (!b)
        return -1;
    c->buf = b;
    mc_field *nf = mc_mem_grow(c->f, &c->fcap, n ? n : 1, sizeof *nf);
    if (!nf)
        return -1;
    c->f = nf;
    size_t off = 0;
    for (size_t i = 0; i < n; i++) {
        if (f[i].len)
            memcpy(b + off, f[i].p, f[i].len);
        nf[i].p = b + off;
        nf[i].len = f[i].len;
        off += f[i].len;
    }
    c->n = n;
    c->line = line;
    return 0;
}

/* Cell j of a row, blank past its end. */
static mc_field cell_at(const crow *r, size_t j)
{
    return j < r->n ? r->f[j] : (mc_field){"", 0};
}

/* The encoding the reader converted from, for messages. */
static const char *encoding_name(const mc_reader_info *info)
{
    if (strcmp(info->format, "utf16") == 0)
        return "UTF-16";
    if (strcmp(info->format, "cp1258") == 0)
        return "Windows-1258 (cp1258)";
    if (strcmp(info->format, "tcvn3") == 0)
        return "TCVN3";
    return info->format;
}

/* ------------------------------------------------------- the header */

static void res_free(resolution *r)
{
    free(r->col);
    free(r->weak);
    free(r->label);
    free(r->off);
    free(r->uoff);
    free(r->ulen);
    free(r->text);
    memset(r, 0, sizeof *r);
}

/* Append s[0..n) to r's text; its offset into *off.  -1 on no memory. */
static int res_text(resolution *r, const char *s, size_t n, size_t *off)
{
    char *t = mc_mem_grow(r->text, &r->text_cap, r->text_len + n + 1, 1);
    if (!t)
        return -1;
    r->text = t;
    if (n)
        memcpy(t + r->text_len, s, n);
    *off = r->text_len;
    r->text_len += n;
    return 0;
}

/* The candidates of SPEC 10.2 (frame.c's header), as sets of rows, top = bit 0. */
static const unsigned char cand1[] = {1};
static const unsigned char cand2[] = {2, 3, 1};
static const unsigned char cand3[] = {4, 6, 7, 2, 3, 1};

/*
 * The labels of the rows in set (bit t: row t, top first) that are not
 * blank, joined top to bottom by a space, into s (LABEL_MAX + 1 bytes).
 * Returns the rows used; *len is 0 when they are longer than any alias.
 */
static unsigned join_labels(const mc_field *lab, int k, unsigned set, char *s, size_t *len)
{
    unsigned used = 0;
    int fits = 1;
    *len = 0;
    for (int t = 0; t < k; t++) {
        if (!(set >> t & 1) || !lab[t].len)
            continue;
        used |= 1u << t;
        if (*len + (*len ? 1 : 0) + lab[t].len > LABEL_MAX) {
            fits = 0;
            continue;
        }
        if (*len)
            s[(*len)++] = ' ';
        memcpy(s + *len, lab[t].p, lab[t].len);
        *len += lab[t].len;
    }
    if (!fits)
        *len = 0;
    return used;
}

/*
 * Name the columns of the window rows[0..k) (top first), width columns.
 * Returns 0 or -1 (no memory); out owns its memory (res_free).
 */
static int resolve(const crow *const *rows, int k, size_t width, resolution *out)
{
    memset(out, 0, sizeof *out);
    out->width = width;
    size_t w = width ? width : 1;
    out->col = malloc(w * sizeof *out->col);
    out->weak = calloc(w, 1);
    out->label = malloc(w * sizeof *out->label);
    out->off = malloc(w * sizeof *out->off);
    out->uoff = malloc(w * sizeof *out->uoff);
    out->ulen = malloc(w * sizeof *out->ulen);
    if (!out->col || !out->weak || !out->label || !out->off || !out->uoff || !out->ulen)
        goto fail;
    const unsigned char *cand = k == 1 ? cand1 : k == 2 ? cand2 : cand3;
    size_t ncand = k == 1 ? sizeof cand1 : k == 2 ? sizeof cand2 : sizeof cand3;
    mc_field last[MC_FRAME_HEADER_ROWS] = {{"", 0}, {"", 0}, {"", 0}};

    for (size_t j = 0; j < width; j++) {
        mc_field own[MC_FRAME_HEADER_ROWS], lab[MC_FRAME_HEADER_ROWS];
        int lowest = -1;
        for (int t = 0; t < k; t++) {
            own[t] = trimmed(cell_at(rows[t], j));
            lab[t] = own[t];
            if (own[t].len) {
                lowest = t;
                last[t] = own[t];
            } else if (t < k - 1) {
                lab[t] = last[t];   /* an upper row's blank takes the label to its left */
            }
        }
        out->col[j] = MC_COL_UNKNOWN;
        size_t lab_off = 0, lab_len = 0;
        if (lowest < 0) {
            /* no label of its own in any row: an unnamed column */
            if (res_text(out, "", 0, &lab_off))
                goto fail;
            out->off[j] = out->uoff[j] = lab_off;
            out->label[j].len = out->ulen[j] = 0;
            continue;
        }
        unsigned tried[6];
        size_t ntried = 0;
        for (size_t c = 0; c < ncand && out->col[j] == MC_COL_UNKNOWN; c++) {
            char s[LABEL_MAX + 1];
            size_t len;
            unsigned used = join_labels(lab, k, cand[c], s, &len);
            int again = 0;
            for (size_t q = 0; q < ntried; q++)
                again |= tried[q] == used;
            if (!used || again)
                continue;
            tried[ntried++] = used;
            if (!len)
                continue;
            int fallback;
            mc_col col = mc_column_lookup_fallback(s, len, &fallback);
            if (col == MC_COL_UNKNOWN)
                continue;
            out->col[j] = col;
            out->weak[j] = fallback || !(used >> lowest & 1);
            if (k == 1) {
                lab_len = rows[0]->f[j].len;   /* as it is, like every one-row header */
                if (res_text(out, rows[0]->f[j].p, lab_len, &lab_off))
                    goto fail;
            } else {
                lab_len = len;
                if (res_text(out, s, len, &lab_off))
                    goto fail;
            }
        }
        out->off[j] = lab_off;
        out->label[j].len = lab_len;
        /* shown if the column ends up unknown: its labels, top to bottom */
        char full[LABEL_MAX + 1];
        size_t flen = 0;
        if (k > 1)
            join_labels(lab, k, (1u << k) - 1, full, &flen);
        mc_field shown = k == 1 ? rows[0]->f[j] : flen ? (mc_field){full, flen} : own[lowest];
        if (res_text(out, shown.p, shown.len, &out->uoff[j]))
            goto fail;
        out->ulen[j] = shown.len;
    }

    /* one name, one column: weak names yield */
    for (int c = 0; c < MC_COL_COUNT; c++) {
        size_t total = 0, strong = 0;
        for (size_t j = 0; j < width; j++)
            if (out->col[j] == (mc_col)c) {
                total++;
                strong += !out->weak[j];
            }
        if (total < 2)
            continue;
        for (size_t j = 0; j < width; j++)
            if (out->col[j] == (mc_col)c && (out->weak[j] || !strong))
                out->col[j] = MC_COL_UNKNOWN;
    }
    for (size_t j = 0; j < width; j++) {
        if (out->col[j] == MC_COL_UNKNOWN) {
            out->off[j] = out->uoff[j];
            out->label[j].len = out->ulen[j];
        }
        out->label[j].p = out->text ? out->text + out->off[j] : "";
        if ((unsigned)out->col[j] < MC_COL_COUNT)
            out->named |= 1u << out->col[j];
    }
    out->missing = mc_header_missing(out->col, width, 0, NULL, 0);
    return 0;
fail:
    res_free(out);
    return -1;
}

/* The width of a header of these rows: a workbook row stops at its last
 * cell, so the widest; a text row has all its fields, so the lowest. */
static size_t window_width(const mc_frame *fr, const crow *const *rows, int k)
{
    if (!fr->info->ragged)
        return rows[k - 1]->n;
    size_t w = 0;
    for (int t = 0; t < k; t++)
        if (rows[t]->n > w)
            w = rows[t]->n;
    return w;
}

/* Remember the window if it came closer to a header than any before. */
static void note_closest(mc_frame *fr, const resolution *r, long first, long last)
{
    if (fr->best_missing >= 0 && r->missing >= fr->best_missing)
        return;
    fr->best_missing = r->missing;
    fr->best_first = first;
    fr->best_last = last;
    mc_header_describe(r->label, r->col, r->width, fr->best_has, sizeof fr->best_has);
    mc_header_missing(r->col, r->width, 0, fr->best_lacks, sizeof fr->best_lacks);
}

/* The refusal when no header was found: the required columns, the rows
 * looked at, and what the closest came to, never quoting a cell. */
static int refuse_no_header(mc_frame *fr, int all_looked, mc_error *err)
{
    char where[300] = "";
    if (fr->in_sheet && fr->sheets > 1)
        snprintf(where, sizeof where, " of sheet '%.200s' (%ld sheets tried, none has a header)",
                 fr->info->sheet, fr->sheets);
    else if (fr->in_sheet)
        snprintf(where, sizeof where, " of sheet '%.200s'", fr->info->sheet);
    char rows[100];
    if (fr->looked == 0)
        snprintf(rows, sizeof rows, "the rows there are: none has text");
    else if (all_looked)
        snprintf(rows, sizeof rows, "the first %ld non-empty rows (lines %ld-%ld)", fr->looked,
                 fr->first_line, fr->last_line);
    else if (fr->looked == 1)
        snprintf(rows, sizeof rows, "the only non-empty row (line %ld)", fr->first_line);
    else
        snprintf(rows, sizeof rows, "the %ld non-empty rows there are (lines %ld-%ld)",
                 fr->looked, fr->first_line, fr->last_line);
    char closest[460] = "";
    if (fr->best_missing >= MC_FRAME_REQUIRED) {
        snprintf(closest, sizeof closest, "; no row names any of them");
    } else if (fr->best_missing >= 0) {
        char lines[64];
        if (fr->best_first == fr->best_last)
            snprintf(lines, sizeof lines, "line %ld", fr->best_first);
        else
            snprintf(lines, sizeof lines, "lines %ld-%ld", fr->best_first, fr->best_last);
        snprintf(closest, sizeof closest, "; the closest, %s, has %s, and lacks %s", lines,
                 fr->best_has, fr->best_lacks);
    }
    snprintf(fr->why, sizeof fr->why,
             "%.200s: no header row in %s%s: a header holds the columns case_id, received_at, "
             "status, and unit_code or unit_name, by their labels (MaHoSo/Mã hồ sơ, "
             "NgayTiepNhan/Ngày tiếp nhận, TrangThaiHoSo/Trạng thái, MaDonVi/Đơn vị xử lý...)%s",
             fr->name, rows, where, closest);
    fr->state = GAVE_UP;
    return mc_error_set(err, MC_EXIT_DATA, "%s", fr->why);
}

/* The window's rows, top first, as pointers into win. */
static void window_rows(const mc_frame *fr, int k, const crow *rows[MC_FRAME_HEADER_ROWS])
{
    for (int t = 0; t < k; t++)
        rows[t] = &fr->win[fr->nwin - k + t];
}

/* Take the pending window as the header. */
static int settle(mc_frame *fr, mc_error *err)
{
    const crow *rows[MC_FRAME_HEADER_ROWS];
    window_rows(fr, fr->pend_k, rows);
    int st = mc_colmap_build_cols(&fr->map, fr->name, fr->pres.label, fr->pres.col,
                                  fr->pres.width, err);
    if (st) {
        fr->state = GAVE_UP;
        snprintf(fr->why, sizeof fr->why, "%s", err ? err->msg : "");
        return st;
    }
    fr->have_map = 1;
    fr->nfields = fr->pres.width;
    fr->st.above -= fr->pend_k;
    fr->st.header_rows = fr->pend_k;
    fr->st.header_line = rows[fr->pend_k - 1]->line;
    res_free(&fr->pres);
    fr->state = DATA;
    return 0;
}

/* Add a row to the window, dropping the oldest when it is full. */
static int window_push(mc_frame *fr, long line, const mc_field *f, size_t n)
{
    if (fr->nwin == MC_FRAME_HEADER_ROWS) {
        crow oldest = fr->win[0];
        memmove(&fr->win[0], &fr->win[1], (MC_FRAME_HEADER_ROWS - 1) * sizeof fr->win[0]);
        fr->win[MC_FRAME_HEADER_ROWS - 1] = oldest;
        fr->nwin--;
    }
    if (crow_set(&fr->win[fr->nwin], line, f, n))
        return -1;
    fr->nwin++;
    return 0;
}

/* The answer when the sheet (or the file) has no header. */
static int no_header_here(mc_frame *fr, mc_error *err)
{
    mc_error_set(err, MC_EXIT_DATA, "%s", fr->why);
    return fr->in_sheet ? MC_READER_NEXT_SHEET : MC_EXIT_DATA;
}

/* A row that is not a header candidate (blank, too long, undeliverable). */
static int search_skip(mc_frame *fr, long line, int counts, mc_error *err)
{
    fr->st.above++;
    fr->nwin = 0;
    if (!counts)
        return 0;
    if (!fr->looked)
        fr->first_line = line;
    fr->last_line = line;
    if (++fr->looked >= MC_FRAME_TITLE_ROWS) {
        refuse_no_header(fr, 1, err);
        return no_header_here(fr, err);
    }
    return 0;
}

/* A non-empty row while the header is looked for. */
static int search_row(mc_frame *fr, long line, const mc_field *f, size_t n, mc_error *err)
{
    if (row_blank(f, n))
        return search_skip(fr, line, 0, err);
    if (row_bytes(f, n) > MC_FRAME_CANDIDATE_BYTES)
        return search_skip(fr, line, 1, err);
    fr->st.above++;
    if (!fr->looked)
        fr->first_line = line;
    fr->last_line = line;
    fr->looked++;
    if (window_push(fr, line, f, n))
        return nomem(fr, err);
    for (int k = 1; k <= fr->nwin; k++) {
        const crow *rows[MC_FRAME_HEADER_ROWS];
        window_rows(fr, k, rows);
        resolution r;
        if (resolve(rows, k, window_width(fr, rows, k), &r))
            return nomem(fr, err);
        note_closest(fr, &r, rows[0]->line, line);
        if (r.missing == 0) {
            fr->pres = r;
            fr->pend_k = k;
            fr->state = PENDING;
            if (k == MC_FRAME_HEADER_ROWS || fr->looked >= MC_FRAME_TITLE_ROWS)
                return settle(fr, err);
            return 0;
        }
        res_free(&r);
    }
    if (fr->looked >= MC_FRAME_TITLE_ROWS) {
        refuse_no_header(fr, 1, err);
        return no_header_here(fr, err);
    }
    return 0;
}

/*
 * While a header waits for its next row: 1 when the row is more header
 * (see the file's comment), after adding it to the header; 0 when it is
 * not; -1 on no memory.
 */
static int extends_header(mc_frame *fr, long line, const mc_field *f, size_t n)
{
    if (fr->pend_k >= MC_FRAME_HEADER_ROWS || fr->looked >= MC_FRAME_TITLE_ROWS ||
        row_blank(f, n) || row_bytes(f, n) > MC_FRAME_CANDIDATE_BYTES)
        return 0;
    const resolution *p = &fr->pres;
    for (size_t j = 0; j < n; j++) {
        if (blank(f[j]))
            continue;
        if (j < p->width && p->col[j] != MC_COL_UNKNOWN)
            return 0;  /* under a named column (the case_id column included): data */
    }
    /* the window with the row: the header's rows and it, the rows above
     * the header left out */
    crow probe = {0};
    if (crow_set(&probe, line, f, n)) {
        free(probe.f);
        free(probe.buf);
        return -1;
    }
    const crow *rows[MC_FRAME_HEADER_ROWS];
    window_rows(fr, fr->pend_k, rows);
    rows[fr->pend_k] = &probe;
    int k = fr->pend_k + 1;
    resolution r;
    int rc = resolve(rows, k, window_width(fr, rows, k), &r);
    int more = rc == 0 && r.missing == 0 && (r.named & p->named) == p->named &&
               r.named != p->named;
    if (rc == 0 && !more)
        res_free(&r);
    free(probe.f);
    free(probe.buf);
    if (rc)
        return -1;
    if (!more)
        return 0;
    /* the header's rows and this one at the end of the window (pend_k < 3:
     * only a row above the header can drop out) */
    if (window_push(fr, line, f, n)) {
        res_free(&r);
        return -1;
    }
    res_free(&fr->pres);
    fr->pres = r;
    fr->pend_k = k;
    fr->st.above++;
    fr->last_line = line;
    fr->looked++;
    return 1;
}

/* ------------------------------------------------------- the data */

/* A workbook row to the header's width: padded with blank cells, or cut
 * when only blank cells lie past it.  Text rows stay as they are. */
static int pad_row(mc_frame *fr, const mc_field **f, size_t *n)
{
    if (!fr->info->ragged || *n == fr->nfields)
        return 0;
    if (*n > fr->nfields) {
        for (size_t j = fr->nfields; j < *n; j++)
            if (!blank((*f)[j]))
                return 0;   /* a cell past the header: bad_field_count */
        *n = fr->nfields;
        return 0;
    }
    mc_field *p = mc_mem_grow(fr->pad, &fr->pad_cap, fr->nfields, sizeof *p);
    if (!p)
        return -1;
    fr->pad = p;
    memcpy(p, *f, *n * sizeof *p);
    for (size_t j = *n; j < fr->nfields; j++)
        p[j] = (mc_field){"", 0};
    *f = p;
    *n = fr->nfields;
    return 0;
}

/* 1 when the row is one of the header's rows again. */
static int is_header_row(const mc_frame *fr, const mc_field *f, size_t n)
{
    for (int t = 0; t < fr->st.header_rows; t++) {
        const crow *h = &fr->win[fr->nwin - fr->st.header_rows + t];
        if (!fr->info->ragged && h->n != n)
            continue;
        size_t m = h->n > n ? h->n : n;
        int same = 1;
        for (size_t j = 0; j < m && same; j++) {
            mc_field a = cell_at(h, j), b = j < n ? f[j] : (mc_field){"", 0};
            same = a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
        }
        if (same)
            return 1;
    }
    return 0;
}

/* A data row on its way out: the checks that come before the normalizer. */
static int pass_row(mc_frame *fr, long line, const mc_field *f, size_t n, mc_error *err)
{
    fr->st.rows++;
    if (is_header_row(fr, f, n))
        return fr->sink->on_reject(fr->ctx, line, MC_REASON_REPEATED_HEADER, -1,
                                   fr->st.header_rows == 1
                                       ? "the header line again in the middle of the file"
                                       : "a header row again in the middle of the file",
                                   NULL, 0, err);
    if (fr->info->converted) {
        for (size_t j = 0; j < n; j++) {
            if (!memchr(f[j].p, MC_READER_UNCONVERTED, f[j].len))
                continue;
            fr->st.unconverted++;
            if (n != fr->nfields)
                break;  /* the normalizer says bad_field_count, as for any such row */
            int col = fr->map.col_of_field[j];
            char detail[160];
            snprintf(detail, sizeof detail, "field %zu (%s) holds bytes that do not convert from %s",
                     j + 1, col >= 0 ? mc_col_name((mc_col)col) : "a column not loaded",
                     encoding_name(fr->info));
            return fr->sink->on_reject(fr->ctx, line, MC_REASON_BAD_ENCODING, col, detail, f, n,
                                       err);
        }
    }
    return fr->sink->on_row(fr->ctx, line, f, n, err);
}

/* Pass on the held rows, in order: a data row came after them. */
static int release(mc_frame *fr, mc_error *err)
{
    int st = 0;
    for (int i = 0; i < fr->nheld && !st; i++) {
        const held *h = &fr->held[i];
        mc_field *r = mc_mem_grow(fr->rel, &fr->rel_cap, h->n ? h->n : 1, sizeof *r);
        if (!r)
            return nomem(fr, err);
        fr->rel = r;
        for (size_t j = 0; j < h->n; j++)
            r[j] = (mc_field){"", 0};
        for (size_t at = h->off; at < h->off + h->len;) {
            uint32_t j, len;
            memcpy(&j, fr->hbuf + at, 4);
            memcpy(&len, fr->hbuf + at + 4, 4);
            r[j] = (mc_field){fr->hbuf + at + 8, len};
            at += 8 + len;
        }
        st = pass_row(fr, h->line, r, h->n, err);
    }
    fr->nheld = 0;
    fr->hbuf_len = 0;
    return st;
}

/* 1 when the cell could hold a case code: a digit, and no white space
 * inside ("000.00.72.H56-250702-0001", "HS-12").  The text of a signature
 * block often falls in the case_id column ("Người lập biểu", "Tổng cộng: 120
 * hồ sơ", "Cửa Tùng, ngày 01 tháng 10 năm 2025") and never looks like one. */
static int case_id_like(mc_field c)
{
    mc_field t = trimmed(c);
    int digit = 0;
    for (size_t i = 0; i < t.len; i++) {
        unsigned char ch = (unsigned char)t.p[i];
        if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' ||
            (ch == 0xC2 && i + 1 < t.len && (unsigned char)t.p[i + 1] == 0xA0))
            return 0;
        digit |= ch >= '0' && ch <= '9';
    }
    return digit;
}

/* 1 when the row may belong to the signature block: no case code in its
 * case_id cell, at most MC_FRAME_TRAILER_CELLS non-empty cells, and those
 * short (*bytes: what holding it costs). */
static int trailer_like(const mc_frame *fr, const mc_field *f, size_t n, size_t *bytes,
                        int *nonblank)
{
    int c = fr->map.field_of_col[MC_COL_CASE_ID];
    if ((size_t)c < n && case_id_like(f[c]))
        return 0;
    *nonblank = 0;
    *bytes = 0;
    for (size_t j = 0; j < n; j++) {
        if (!f[j].len)
            continue;
        *bytes += 8 + f[j].len;
        if ((!blank(f[j]) && ++*nonblank > MC_FRAME_TRAILER_CELLS) ||
            *bytes > MC_FRAME_TRAILER_BYTES)
            return 0;
    }
    return 1;
}

/* Keep a trailer-like row (its non-empty cells) until the next data row
 * or the end.  -1 on no memory. */
static int hold(mc_frame *fr, long line, const mc_field *f, size_t n, size_t bytes,
                int nonblank)
{
    char *b = mc_mem_grow(fr->hbuf, &fr->hbuf_cap, fr->hbuf_len + bytes + 1, 1);
    if (!b)
        return -1;
    fr->hbuf = b;
    held *h = &fr->held[fr->nheld++];
    h->line = line;
    h->n = n;
    h->off = fr->hbuf_len;
    h->len = bytes;
    h->nonblank = nonblank > 0;
    for (size_t j = 0; j < n; j++) {
        if (!f[j].len)
            continue;
        uint32_t jj = (uint32_t)j, len = (uint32_t)f[j].len;
        memcpy(b + fr->hbuf_len, &jj, 4);
        memcpy(b + fr->hbuf_len + 4, &len, 4);
        memcpy(b + fr->hbuf_len + 8, f[j].p, len);
        fr->hbuf_len += 8 + len;
    }
    return 0;
}

static int data_row(mc_frame *fr, long line, const mc_field *f, size_t n, mc_error *err)
{
    if (pad_row(fr, &f, &n))
        return nomem(fr, err);
    size_t bytes;
    int nonblank, st;
    if (trailer_like(fr, f, n, &bytes, &nonblank)) {
        if (!fr->overflow && fr->nheld < MC_FRAME_TRAILER_ROWS)
            return hold(fr, line, f, n, bytes, nonblank) ? nomem(fr, err) : 0;
        /* the block is longer than a signature block: all of it is data */
        if (!fr->overflow && (st = release(fr, err)))
            return st;
        fr->overflow = 1;
        return pass_row(fr, line, f, n, err);
    }
    fr->overflow = 0;
    if ((st = release(fr, err)))
        return st;
    return pass_row(fr, line, f, n, err);
}

/* ------------------------------------------------------- callbacks */

static int on_any_row(void *ctx, long line, const mc_field *f, size_t n, mc_error *err)
{
    mc_frame *fr = ctx;
    fr->st.seen++;
    switch (fr->state) {
    case SEARCH:
        return search_row(fr, line, f, n, err);
    case PENDING: {
        int x = extends_header(fr, line, f, n);
        if (x < 0)
            return nomem(fr, err);
        if (x) {
            if (fr->pend_k == MC_FRAME_HEADER_ROWS || fr->looked >= MC_FRAME_TITLE_ROWS)
                return settle(fr, err);
            return 0;
        }
        int st = settle(fr, err);
        if (st)
            return st;
        return data_row(fr, line, f, n, err);
    }
    case DATA:
        return data_row(fr, line, f, n, err);
    default: /* GAVE_UP: the reader should have moved on */
        fr->st.above++;
        return no_header_here(fr, err);
    }
}

static int on_bad(void *ctx, long line, mc_reason reason, const char *detail, mc_error *err)
{
    mc_frame *fr = ctx;
    fr->st.seen++;
    int st;
    switch (fr->state) {
    case SEARCH:
        return search_skip(fr, line, 1, err);
    case PENDING:
        if ((st = settle(fr, err)))
            return st;
        /* fall through */
    case DATA:
        fr->overflow = 0;
        if ((st = release(fr, err)))
            return st;
        fr->st.rows++;
        return fr->sink->on_reject(fr->ctx, line, reason, -1, detail, NULL, 0, err);
    default:
        fr->st.above++;
        return no_header_here(fr, err);
    }
}

static int on_sheet(void *ctx, const char *sheet, mc_error *err)
{
    mc_frame *fr = ctx;
    (void)sheet;
    if (fr->state == PENDING || fr->state == DATA)
        return mc_error_set(err, MC_EXIT_SOFTWARE,
                            "%s: the reader went on to another sheet after the header was found",
                            fr->name);
    fr->state = SEARCH;
    fr->in_sheet = 1;
    fr->sheets++;
    fr->looked = 0;
    fr->nwin = 0;
    fr->best_missing = -1;
    return 0;
}

/* The end of a workbook's sheet: one without a header sends the reader on. */
static int on_sheet_end(void *ctx, mc_error *err)
{
    mc_frame *fr = ctx;
    if (fr->state == PENDING)
        return settle(fr, err);
    if (fr->state == DATA)
        return 0;
    if (fr->state == SEARCH)
        refuse_no_header(fr, 0, err);
    return no_header_here(fr, err);
}

const mc_reader_cb mc_frame_reader_cb = {.on_sheet = on_sheet,
                                         .on_sheet_end = on_sheet_end,
                                         .on_header = on_any_row,
                                         .on_row = on_any_row,
                                         .on_bad_row = on_bad};

/* ------------------------------------------------------- the rest */

mc_frame *mc_frame_new(const char *name, const mc_reader_info *info, const mc_frame_sink *sink,
                       void *ctx)
{
    mc_frame *fr = calloc(1, sizeof *fr);
    if (!fr)
        return NULL;
    fr->name = name;
    fr->info = info;
    fr->sink = sink;
    fr->ctx = ctx;
    fr->state = SEARCH;
    fr->best_missing = -1;
    return fr;
}

void mc_frame_free(mc_frame *fr)
{
    if (!fr)
        return;
    for (int i = 0; i < MC_FRAME_HEADER_ROWS; i++) {
        free(fr->win[i].f);
        free(fr->win[i].buf);
    }
    res_free(&fr->pres);
    if (fr->have_map)
        mc_colmap_free(&fr->map);
    free(fr->pad);
    free(fr->hbuf);
    free(fr->rel);
    free(fr);
}

int mc_frame_finish(mc_frame *fr, mc_error *err)
{
    int st;
    if (fr->state == PENDING && (st = settle(fr, err)))
        return st;
    if (fr->state == SEARCH)
        return refuse_no_header(fr, 0, err);
    if (fr->state == GAVE_UP)
        return mc_error_set(err, MC_EXIT_DATA, "%s", fr->why);
    fr->st.trailer = fr->nheld;
    fr->st.trailer_rows = 0;
    for (int i = 0; i < fr->nheld; i++)
        fr->st.trailer_rows += fr->held[i].nonblank;
    fr->nheld = 0;
    if (fr->info->converted && fr->st.unconverted * 2 > fr->st.rows)
        return mc_error_set(err, MC_EXIT_DATA,
                            "%s: %ld of %ld rows hold bytes that do not convert from %s: "
                            "the file is not in that encoding%s", fr->name, fr->st.unconverted,
                            fr->st.rows, encoding_name(fr->info),
                            strcmp(fr->info->format, "utf16") == 0
                                ? " or is damaged; export it again"
                                : "; load it without --encoding to have its encoding named, "
                                  "or give the right one");
    return 0;
}

const mc_colmap *mc_frame_map(const mc_frame *fr)
{
    return fr->have_map ? &fr->map : NULL;
}

const mc_frame_stats *mc_frame_stats_of(const mc_frame *fr)
{
    return &fr->st;
}
