/*
 * htmltable.c -- an HTML table saved as .xls, through libxml2's HTML push
 * parser; see htmltable.h.
 *
 * The bytes are gathered into blocks of FEED bytes before they go to the
 * parser, whatever size the file is read in: the parser's events (where a
 * text is cut, when an element is closed) then never depend on the read
 * size, so neither do the rows.
 *
 * libxml2 takes care of HTML itself: implied end tags (<td> closing the
 * cell before it, </table> closing rows and cells), entities, comments,
 * scripts.  What is left here is the table model: which <table> is read,
 * rows and cells, colspan and rowspan, and the refusals.
 *
 * UTF-8 is checked here on the raw bytes, before the parser sees them: on
 * a byte that is not UTF-8, libxml2's HTML parser silently switches the
 * rest of the page to ISO-8859-1, which would load Vietnamese text as
 * mojibake.  So such a page is refused; HTML_PARSE_IGNORE_ENC keeps the
 * parser from switching on a <meta> charset, which is refused too.
 */
#include "etl/htmltable.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <errno.h>
#include <unistd.h>

#include "base/fs.h"
#include "etl/sheetrow.h"

#define KIB ((size_t)1024)
#define MIB (KIB * KIB)
#define FEED (64 * KIB)             /* bytes handed to the parser at a time */
/* Most bytes the parser may hold without making anything of them: it
 * waits for the end of a comment, a tag or a text run before it parses
 * it, so an unclosed one would otherwise buffer the rest of the file. */
#define HOLD_MAX ((size_t)16 << 20)
#define COLSPAN_MAX 1000            /* HTML's own limits */
#define ROWSPAN_MAX 65534

/* ------------------------------------------------------------- sniffing */

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
}

/* 1 when s (n bytes) starts with the ASCII word w in any letter case,
 * followed by the end of s or a byte that cannot continue a tag name. */
static int starts_tag(const unsigned char *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    if (n < k || strncasecmp((const char *)s, w, k) != 0)
        return 0;
    return n == k || is_space(s[k]) || s[k] == '>' || s[k] == '/';
}

static size_t skip_spaces(const unsigned char *s, size_t n, size_t i)
{
    while (i < n && is_space(s[i]))
        i++;
    return i;
}

/* Where needle (ASCII, any letter case) starts in s[0..n), or n. */
static size_t find_ci(const unsigned char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (strncasecmp((const char *)s + i, needle, k) == 0)
            return i;
    return n;
}

/* Whether s[i..n) starts like an HTML page: <html, <!DOCTYPE html, <table
 * (SPEC 10.1), or, as pages written by hand-made export buttons do, <head,
 * <body or <meta; HTML comments before them are passed over. */
static int html_start(const unsigned char *s, size_t n, size_t i)
{
    static const char *const tags[] = {"<html", "<table", "<head", "<body", "<meta"};
    for (;;) {
        i = skip_spaces(s, n, i);
        if (n - i < 4 || memcmp(s + i, "<!--", 4) != 0)
            break;
        size_t end = find_ci(s + i + 4, n - i - 4, "-->");
        if (end == n - i - 4)
            return 0;
        i += 4 + end + 3;
    }
    for (size_t k = 0; k < sizeof tags / sizeof tags[0]; k++)
        if (starts_tag(s + i, n - i, tags[k]))
            return 1;
    return n - i >= 9 && strncasecmp((const char *)s + i, "<!doctype", 9) == 0 &&
           starts_tag(s + skip_spaces(s, n, i + 9), n - skip_spaces(s, n, i + 9), "html");
}

int mc_html_sniff(const void *p, size_t n)
{
    const unsigned char *s = p;
    if (n > MC_HTML_SNIFF_BYTES)
        n = MC_HTML_SNIFF_BYTES;
    size_t i = 0;
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    i = skip_spaces(s, n, i);
    if (n - i >= 5 && strncmp((const char *)s + i, "<?xml", 5) == 0 &&
        (n - i == 5 || is_space(s[i + 5]))) {
        size_t end = find_ci(s + i, n - i, "?>");
        if (end == n - i)
            return MC_HTML_NO;
        size_t after = skip_spaces(s, n, i + end + 2);
        if (html_start(s, n, after))
            return MC_HTML_TABLE;
        if (find_ci(s + i, n - i, "urn:schemas-microsoft-com:office:spreadsheet") < n - i &&
            find_ci(s + i, n - i, "<Workbook") < n - i)
            return MC_HTML_XMLSS;
        return MC_HTML_NO;
    }
    return html_start(s, n, i) ? MC_HTML_TABLE : MC_HTML_NO;
}

/* --------------------------------------------------------------- reader */

typedef struct hr {
    const char *name;
    size_t chunk;
    const mc_reader_opts *opts;
    mc_reader_info *info;
    mc_error *err;
    mc_sheetrow s;
    htmlParserCtxtPtr ctxt;

    /* the bytes */
    unsigned char *block;           /* gathered for the parser */
    size_t blen;
    int head_done;                  /* the first block was looked at */
    int u8_need;                    /* continuation bytes still expected */
    unsigned char u8_lo, u8_hi;     /* range of the next one */
    unsigned char u8_lead;          /* the byte that started the last sequence */
    long nl;                        /* newlines checked so far */
    char declared[48];              /* a charset named in the head, for messages */

    /* the tables */
    int status;                     /* the first failure: ends the read */
    int done;                       /* the table was read */
    int depth;                      /* open <table> elements */
    int cur;                        /* depth of the table being read, 0: none */
    long tables;                    /* <table> start tags */
    long tr;                        /* rows of the table being read */
    int in_row, in_cell;
    size_t col;                     /* next column of the open row */
    size_t span;                    /* colspan of the open cell */
    long *rem;                      /* per column: rows a rowspan still covers */
    unsigned char *occ;             /* per column: covered in the open row */
    size_t ncap;
} hr;

static void fail(hr *h, int st)
{
    if (!h->status)
        h->status = st;
    if (h->ctxt)
        xmlStopParser(h->ctxt);
}

static int nomem(hr *h)
{
    return mc_error_set(h->err, MC_EXIT_SOFTWARE, "%s: out of memory", h->name);
}

/* A charset name, safe to show: its first 40 letters, digits and . _ : -. */
static void charset_token(const char *s, char *dst, size_t cap)
{
    size_t o = 0;
    while (*s && (*s == ' ' || *s == '"' || *s == '\''))
        s++;
    for (; *s && o + 1 < cap && o < 40; s++) {
        unsigned char c = (unsigned char)*s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == ':' || c == '-'))
            break;
        dst[o++] = (char)c;
    }
    dst[o] = '\0';
}

static int is_utf8_name(const char *cs)
{
    return strcasecmp(cs, "utf-8") == 0 || strcasecmp(cs, "utf8") == 0;
}

static int refuse_charset(hr *h, const char *cs, const char *where)
{
    return mc_error_set(h->err, MC_EXIT_DATA,
                        "%s: the page declares the character set %s (%s): only UTF-8 is read; "
                        "save the page again as UTF-8, or the table as .xlsx",
                        h->name, cs, where);
}

/* The column arrays hold at least n places (n <= max_columns). */
static int cols_reserve(hr *h, size_t n)
{
    if (n <= h->ncap)
        return 0;
    size_t cap = h->ncap ? h->ncap : 64;
    while (cap < n)
        cap *= 2;
    if (cap > h->s.max_columns)
        cap = h->s.max_columns;
    long *rem = realloc(h->rem, cap * sizeof *rem);
    if (rem)
        h->rem = rem;
    unsigned char *occ = rem ? realloc(h->occ, cap) : NULL;
    if (!occ)
        return nomem(h);
    h->occ = occ;
    memset(h->rem + h->ncap, 0, (cap - h->ncap) * sizeof *h->rem);
    memset(h->occ + h->ncap, 0, cap - h->ncap);
    h->ncap = cap;
    return 0;
}

static void append(hr *h, const char *p, size_t n)
{
    int st = mc_sheetrow_cell_append(&h->s, p, n);
    if (st)
        fail(h, st);
}

/* A space into the open cell: where <br>, a nested row or cell, or a block
 * inside the cell separates words. */
static void space(hr *h)
{
    if (h->cur && h->in_cell)
        append(h, " ", 1);
}

static void start_table(hr *h)
{
    char sheet[32];
    h->tables++;
    h->cur = h->depth;
    h->tr = 0;
    h->in_row = h->in_cell = 0;
    h->col = 0;
    if (h->ncap) {
        memset(h->rem, 0, h->ncap * sizeof *h->rem);
        memset(h->occ, 0, h->ncap);
    }
    snprintf(sheet, sizeof sheet, "table %ld", h->tables);
    mc_sheetrow_sheet(&h->s, sheet);
}

static void cell_end(hr *h)
{
    if (!h->in_cell)
        return;
    mc_sheetrow_cell_end(&h->s);
    h->in_cell = 0;
    /* the other places of a colspan: empty fields */
    for (size_t i = 1; i < h->span && h->col + i < h->s.max_columns; i++) {
        int st = mc_sheetrow_cell_empty(&h->s);
        if (st) {
            fail(h, st);
            return;
        }
    }
    h->col += h->span;
}

static void row_end(hr *h)
{
    if (!h->in_row)
        return;
    cell_end(h);
    h->in_row = 0;
    int st = mc_sheetrow_end_row(&h->s, h->tr);
    if (st == MC_READER_NEXT_SHEET)
        h->cur = 0;             /* not this table: look for the next one */
    else if (st)
        fail(h, st);
}

/* The end of the table being read: one whose rows held no header (a title
 * table of a few lines) sends the read on to the next table. */
static void table_end(hr *h)
{
    if (!h->cur || h->status)
        return;
    int st = mc_sheetrow_end_sheet(&h->s);
    if (st == MC_READER_NEXT_SHEET)
        h->cur = 0;
    else if (st)
        fail(h, st);
}

static void row_begin(hr *h)
{
    row_end(h);
    if (h->status || !h->cur)
        return;
    h->tr++;
    h->in_row = 1;
    h->col = 0;
    for (size_t c = 0; c < h->ncap; c++) {
        h->occ[c] = h->rem[c] > 0;
        if (h->occ[c])
            h->rem[c]--;
    }
}

/* colspan or rowspan: 1 when absent or not a positive number, at most max. */
static long span_attr(const xmlChar **atts, const char *name, long max)
{
    for (size_t i = 0; atts && atts[i]; i += 2) {
        if (strcasecmp((const char *)atts[i], name) != 0 || !atts[i + 1])
            continue;
        char *end;
        errno = 0;
        long v = strtol((const char *)atts[i + 1], &end, 10);
        if (end == (const char *)atts[i + 1] || errno || v < 1)
            return 1;
        return v > max ? max : v;
    }
    return 1;
}

static void cell_begin(hr *h, const xmlChar **atts)
{
    if (!h->in_row)
        row_begin(h);           /* a cell outside any <tr> starts a row */
    if (h->status || !h->cur)
        return;
    cell_end(h);
    int st = 0;
    /* the places a rowspan above covers: empty fields */
    while (!st && h->col < h->ncap && h->occ[h->col]) {
        st = mc_sheetrow_cell_empty(&h->s);
        h->col++;
    }
    long colspan = span_attr(atts, "colspan", COLSPAN_MAX);
    long rowspan = span_attr(atts, "rowspan", ROWSPAN_MAX);
    size_t to = h->col + (size_t)colspan;
    if (to > h->s.max_columns)
        to = h->s.max_columns;  /* places past the limit are no fields */
    if (!st && rowspan > 1 && to > h->col && !(st = cols_reserve(h, to)))
        for (size_t c = h->col; c < to; c++)
            h->rem[c] = rowspan - 1;
    if (!st)
        st = mc_sheetrow_cell_begin(&h->s);
    if (st) {
        fail(h, st);
        return;
    }
    h->in_cell = 1;
    h->span = (size_t)colspan;
}

static void check_meta(hr *h, const xmlChar **atts)
{
    const char *charset = NULL, *equiv = NULL, *content = NULL;
    for (size_t i = 0; atts && atts[i]; i += 2) {
        const char *a = (const char *)atts[i], *v = (const char *)atts[i + 1];
        if (!v)
            continue;
        if (strcasecmp(a, "charset") == 0)
            charset = v;
        else if (strcasecmp(a, "http-equiv") == 0)
            equiv = v;
        else if (strcasecmp(a, "content") == 0)
            content = v;
    }
    char cs[48] = "";
    if (charset)
        charset_token(charset, cs, sizeof cs);
    else if (equiv && content && strcasecmp(equiv, "content-type") == 0) {
        size_t n = strlen(content);
        size_t at = find_ci((const unsigned char *)content, n, "charset=");
        if (at < n)
            charset_token(content + at + 8, cs, sizeof cs);
    }
    if (cs[0] && !is_utf8_name(cs))
        fail(h, refuse_charset(h, cs, "<meta>"));
}

static int named(const xmlChar *name, const char *w)
{
    return strcmp((const char *)name, w) == 0;     /* libxml2 lower-cases HTML names */
}

static void on_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
    hr *h = ctx;
    if (h->status || h->done)
        return;
    if (named(name, "table")) {
        h->depth++;
        if (!h->cur)
            start_table(h);
        else if (!h->s.header_done) {
            /* a table inside one with no row yet: a layout table; read
             * the inner one in its place */
            mc_sheetrow_drop_row(&h->s);
            start_table(h);
        } else
            space(h);
    } else if (named(name, "tr")) {
        if (h->cur && h->depth == h->cur)
            row_begin(h);
        else
            space(h);
    } else if (named(name, "td") || named(name, "th")) {
        if (h->cur && h->depth == h->cur)
            cell_begin(h, atts);
        else
            space(h);
    } else if (named(name, "br") || named(name, "p") || named(name, "div") ||
               named(name, "li")) {
        space(h);
    } else if (named(name, "meta")) {
        check_meta(h, atts);
    }
}

static void on_end(void *ctx, const xmlChar *name)
{
    hr *h = ctx;
    if (h->status || h->done)
        return;
    if (named(name, "table")) {
        if (h->depth == 0)
            return;             /* a stray </table> */
        if (h->cur && h->depth == h->cur) {
            row_end(h);
            table_end(h);
            if (h->cur && !h->status && h->s.header_done) {
                /* the table read: the rest of the page is not */
                h->done = 1;
                h->info->lines = h->tr;
                xmlStopParser(h->ctxt);
            }
            h->cur = 0;
        } else if (h->cur && h->depth > h->cur) {
            space(h);
        }
        h->depth--;
    } else if (named(name, "tr") || named(name, "thead") || named(name, "tbody") ||
               named(name, "tfoot")) {
        if (h->cur && h->depth == h->cur)
            row_end(h);
    } else if (named(name, "td") || named(name, "th")) {
        if (h->cur && h->depth == h->cur)
            cell_end(h);
    }
}

static void on_text(void *ctx, const xmlChar *ch, int len)
{
    hr *h = ctx;
    if (h->status || h->done || !h->cur || !h->in_cell || len <= 0)
        return;
    append(h, (const char *)ch, (size_t)len);
}

/* libxml2's reports of recoverable errors: HTML in the wild is full of
 * them, and HTML_PARSE_RECOVER goes on; nothing is printed. */
static void on_error(void *ctx, xmlErrorPtr e)
{
    (void)ctx;
    (void)e;
}

/* ------------------------------------------------------------- the bytes */

/* The length of the longest valid UTF-8 prefix of p[0..n), carrying a
 * character cut at the end over to the next call.  NUL is not text.  On a
 * byte that is not UTF-8, *bad is set, h->u8_lead is the byte that starts
 * the faulty sequence, and the prefix ends before it. */
static size_t utf8_prefix(hr *h, const unsigned char *p, size_t n, int *bad)
{
    size_t lead = 0;            /* where the open sequence starts, if in p */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        if (h->u8_need) {
            if (c < h->u8_lo || c > h->u8_hi) {
                *bad = 1;
                return lead;    /* 0 when it started in an earlier block */
            }
            h->u8_lo = 0x80;
            h->u8_hi = 0xBF;
            h->u8_need--;
            continue;
        }
        if (c == '\n')
            h->nl++;
        if (c < 0x80 && c != 0)
            continue;
        lead = i;
        h->u8_lead = c;
        h->u8_lo = 0x80;
        h->u8_hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF)
            h->u8_need = 1;
        else if (c >= 0xE0 && c <= 0xEF) {
            h->u8_need = 2;
            if (c == 0xE0)
                h->u8_lo = 0xA0;
            else if (c == 0xED)
                h->u8_hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            h->u8_need = 3;
            if (c == 0xF0)
                h->u8_lo = 0x90;
            else if (c == 0xF4)
                h->u8_hi = 0x8F;
        } else {
            *bad = 1;
            return i;
        }
    }
    return n;
}

static int not_utf8(hr *h, const char *what)
{
    char cs[96] = "";
    if (h->declared[0])
        snprintf(cs, sizeof cs, "; the page declares %s", h->declared);
    return mc_error_set(h->err, MC_EXIT_DATA,
                        "%s: line %ld: not UTF-8 (%s%s): an HTML table is read only in UTF-8; "
                        "save the page again as UTF-8, or the table as .xlsx",
                        h->name, h->nl + 1, what, cs);
}

/* Look at the start of the page: an Excel XML Spreadsheet, the character
 * set of its XML declaration; and remember a charset it names anywhere in
 * its head, for the message if a byte is not UTF-8.  Returns the bytes to
 * skip (a BOM). */
static size_t head(hr *h, const unsigned char *b, size_t n)
{
    h->head_done = 1;
    if (mc_html_sniff(b, n) == MC_HTML_XMLSS) {
        fail(h, mc_error_set(h->err, MC_EXIT_DATA,
                             "%s: an Excel 2003 XML Spreadsheet (XML under an .xls name), a format "
                             "motcua does not read: open it in Excel and save it as .xlsx "
                             "(Excel Workbook)", h->name));
        return 0;
    }
    size_t skip = n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    size_t look = n < MC_HTML_SNIFF_BYTES ? n : MC_HTML_SNIFF_BYTES;
    size_t i = skip_spaces(b, look, skip);
    if (look - i >= 5 && strncmp((const char *)b + i, "<?xml", 5) == 0) {
        size_t end = i + find_ci(b + i, look - i, "?>");
        size_t at = i + find_ci(b + i, end - i, "encoding");
        if (at < end) {
            at = skip_spaces(b, end, at + 8);
            if (at < end && b[at] == '=') {
                char v[64], cs[48];
                size_t k = 0;
                at = skip_spaces(b, end, at + 1);
                while (at < end && k + 1 < sizeof v && !is_space(b[at]))
                    v[k++] = (char)b[at++];
                v[k] = '\0';
                charset_token(v, cs, sizeof cs);
                if (cs[0] && !is_utf8_name(cs)) {
                    fail(h, refuse_charset(h, cs, "XML declaration"));
                    return 0;
                }
            }
        }
    }
    size_t at = find_ci(b, look, "charset=");
    if (at < look) {
        char v[64];
        size_t k = 0;
        for (at += 8; at < look && k + 1 < sizeof v && b[at] != '>'; at++)
            v[k++] = (char)b[at];
        v[k] = '\0';
        charset_token(v, h->declared, sizeof h->declared);
        if (is_utf8_name(h->declared))
            h->declared[0] = '\0';
    }
    return skip;
}

/* Hand the gathered block to the parser; last: the file ended. */
static void flush(hr *h, int last)
{
    size_t start = 0;
    if (!h->head_done && (h->blen || last))
        start = head(h, h->block, h->blen);
    if (h->status || h->done)
        return;
    int bad = 0;
    size_t valid = start + utf8_prefix(h, h->block + start, h->blen - start, &bad);
    /* the end of the file is told to the parser only after clean bytes */
    int rc = htmlParseChunk(h->ctxt, (const char *)h->block + start, (int)(valid - start),
                            last && !bad && !h->u8_need);
    /* Any other error code is one HTML_PARSE_RECOVER went past. */
    if (rc == XML_ERR_NO_MEMORY && !h->status)
        fail(h, nomem(h));
    /* A parser that halted on its own (not through xmlStopParser here)
     * would drop the rest of the page without a word. */
    if (!h->status && !h->done && h->ctxt->disableSAX) {
        xmlErrorPtr e = xmlCtxtGetLastError(h->ctxt);
        char why[160] = "";
        if (e && e->message)
            snprintf(why, sizeof why, "%s", e->message);
        why[strcspn(why, "\n")] = '\0';
        fail(h, mc_error_set(h->err, MC_EXIT_DATA,
                             "%s: line %ld: the HTML parser stopped (%s): the page is damaged; "
                             "save the table again, or as .xlsx", h->name, h->nl + 1,
                             why[0] ? why : "no reason given"));
    }
    xmlParserInputPtr in = h->ctxt->input;
    if (!h->status && !h->done && in && in->cur && in->end && (size_t)(in->end - in->cur) > HOLD_MAX)
        fail(h, mc_error_set(h->err, MC_EXIT_DATA,
                             "%s: line %ld: more than %zu MiB that do not parse as HTML (an "
                             "unclosed comment, tag or quoted value?): not a table export",
                             h->name, h->nl + 1, HOLD_MAX >> 20));
    if (!h->status && !h->done && bad) {
        char what[48];
        if (h->u8_lead == 0)
            snprintf(what, sizeof what, "a NUL byte");
        else
            snprintf(what, sizeof what, "byte 0x%02X", h->u8_lead);
        fail(h, not_utf8(h, what));
    }
    if (!h->status && !h->done && last && !bad && h->u8_need)
        fail(h, not_utf8(h, "the file ends inside a character"));
    if (last && !h->status && !h->done) {
        /* the end of the page closes what is open */
        if (h->cur) {
            row_end(h);
            table_end(h);
            if (h->cur && !h->status && h->s.header_done) {
                h->done = 1;
                h->info->lines = h->tr;
            }
        }
    }
    h->blen = 0;
}

/* Bytes as the file gives them: digested, then gathered for the parser.
 * Returns the status that ends the read, 0 to go on. */
static int take(hr *h, const unsigned char *p, size_t n)
{
    h->info->bytes_raw += n;
    h->info->bytes_text += n;
    if (h->opts && h->opts->on_raw && n)
        h->opts->on_raw(h->opts->raw_ctx, p, n);
    while (n && !h->status && !h->done) {
        size_t k = FEED - h->blen < n ? FEED - h->blen : n;
        memcpy(h->block + h->blen, p, k);
        h->blen += k;
        p += k;
        n -= k;
        if (h->blen == FEED)
            flush(h, 0);
    }
    return h->status;
}

static int hr_init(hr *h, const char *name, const mc_reader_opts *opts, const mc_reader_cb *cb,
                   void *ctx, mc_reader_info *info, mc_error *err)
{
    memset(h, 0, sizeof *h);
    h->name = name ? name : "(input)";
    h->chunk = opts && opts->chunk_size ? opts->chunk_size : MIB;
    h->opts = opts;
    h->info = info;
    h->err = err;
    memset(info, 0, sizeof *info);
    info->delimiter = ',';
    info->ragged = 1;
    snprintf(info->format, sizeof info->format, "html");
    mc_error_clear(err);
    mc_sheetrow_init(&h->s, h->name, "table", opts, cb, ctx, info, err);
    if (!(h->block = malloc(FEED)))
        return nomem(h);

    /* copied by libxml2 into the context */
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.startElement = on_start;
    sax.endElement = on_end;
    sax.characters = on_text;
    sax.ignorableWhitespace = on_text;
    sax.serror = on_error;
    sax.initialized = XML_SAX2_MAGIC;      /* so that serror is used */
    xmlInitParser();
    h->ctxt = htmlCreatePushParserCtxt(&sax, h, NULL, 0, NULL, XML_CHAR_ENCODING_UTF8);
    if (!h->ctxt)
        return nomem(h);
    /* RECOVER: go on after what HTML in the wild gets wrong; NONET, and no
     * entity is ever loaded; IGNORE_ENC: a <meta> charset does not switch
     * the decoding (such a page is refused in check_meta). */
    htmlCtxtUseOptions(h->ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                                    HTML_PARSE_NOWARNING | HTML_PARSE_IGNORE_ENC |
                                    HTML_PARSE_NODEFDTD);
    return 0;
}

static int hr_finish(hr *h, int st)
{
    if (!st && !h->status && !h->done)
        flush(h, 1);
    if (!st)
        st = h->status;
    if (!st) {
        st = mc_sheetrow_finish(&h->s);
        if (st < 0)
            st = h->tables
                     ? mc_error_set(h->err, MC_EXIT_DATA,
                                    "%s: no header line (the page's %ld table%s hold%s no "
                                    "non-empty row)", h->name, h->tables,
                                    h->tables == 1 ? "" : "s", h->tables == 1 ? "s" : "")
                     : mc_error_set(h->err, MC_EXIT_DATA,
                                    "%s: no header line (an HTML page with no <table>)", h->name);
    }
    if (h->ctxt) {
        htmlFreeParserCtxt(h->ctxt);
        h->ctxt = NULL;
    }
    mc_sheetrow_free(&h->s);
    free(h->block);
    free(h->rem);
    free(h->occ);
    return st;
}

int mc_html_read_fd(const char *name, int fd, const mc_reader_opts *opts, const mc_reader_cb *cb,
                    void *ctx, mc_reader_info *info, mc_error *err)
{
    hr h;
    int st = hr_init(&h, name, opts, cb, ctx, info, err);
    unsigned char *buf = st ? NULL : malloc(h.chunk);
    if (!st && !buf)
        st = nomem(&h);
    while (!st) {
        ssize_t k = mc_fs_read(fd, buf, h.chunk);
        if (k < 0)
            st = mc_error_set(err, MC_EXIT_IO, "%s: cannot read: %s", h.name, strerror(errno));
        if (k <= 0)
            break;
        st = take(&h, buf, (size_t)k);
    }
    free(buf);
    return hr_finish(&h, st);
}

int mc_html_read_mem(const char *name, const void *buf, size_t n, const mc_reader_opts *opts,
                     const mc_reader_cb *cb, void *ctx, mc_reader_info *info, mc_error *err)
{
    hr h;
    int st = hr_init(&h, name, opts, cb, ctx, info, err);
    const unsigned char *p = buf;
    for (size_t at = 0; !st && at < n; at += h.chunk)
        st = take(&h, p + at, n - at < h.chunk ? n - at : h.chunk);
    return hr_finish(&h, st);
}
