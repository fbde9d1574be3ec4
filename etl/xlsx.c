/*
 * xlsx.c -- the .xlsx reader; see xlsx.h.
 *
 * Flow: every byte of the file goes through on_raw first (one sequential
 * read, so the ledger's SHA-256 is the file's), then libzip opens the
 * archive (from the same descriptor, or the memory block) and each part is
 * inflated chunk by chunk into expat: the workbook (sheet order, names,
 * relationship ids, date1904), its relationships (where each sheet, the
 * shared strings and the styles are), the styles (which cell formats are
 * dates), the shared strings (held, within the limit), then the worksheets
 * in workbook order until one holds a header that the caller accepts.
 *
 * Every part is inflated under the same guards: the inflated bytes are
 * counted as they come (the sizes an archive declares are not trusted), a
 * part past max_part or past MC_XLSX_BOMB_FLOOR at a bomb's ratio stops
 * the read, and expat refuses any DOCTYPE before it could declare an
 * entity.  Names are matched without their namespace prefix (x:c and c),
 * because writers differ in the prefixes they use.
 */
#include "etl/xlsx.h"

#include <errno.h>
#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "base/fs.h"
#include "base/mem.h"
#include "etl/sheetrow.h"
#include "transforms/dates.h"

#define KIB ((size_t)1024)
#define MIB (KIB * KIB)
#define MAX_SHEETS 4096        /* more is a hostile workbook, not an export */
#define MAX_RELS 65536
#define MAX_XF (1 << 18)       /* Excel allows 64000 cell formats */
#define NUMFMT_IDS 65536       /* numFmtId values honoured; above: General */
#define MAX_SHEET_ROW 1048576L /* Excel's last row */
#define MAX_SHEET_COL 16384L   /* Excel's last column, XFD */
#define SHEET_NAME_MAX 255     /* fits mc_reader_info.sheet */

enum { F_DATE = 1, F_TIME = 2 };
/* What the character data of the moment is collected into. */
enum { COLLECT_NONE, COLLECT_CELL, COLLECT_SST };

typedef struct {
    char *name, *rid, *path;
} sheet;

typedef struct {
    char *id, *type, *target;
} rel;

typedef struct {
    size_t off, len;
} span;

typedef struct xl xl;
typedef void (*start_fn)(xl *x, const char *el, const char **atts);
typedef void (*end_fn)(xl *x, const char *el);

struct xl {
    const char *name;
    size_t chunk, max_field, max_row, max_columns;
    uint64_t max_part;
    void (*on_raw)(void *, const void *, size_t);
    void *raw_ctx;
    const mc_reader_cb *cb;
    void *ctx;
    mc_reader_info *info;
    mc_error *err;
    zip_t *za;
    unsigned char *buf;

    /* the part being parsed */
    XML_Parser p;
    const char *part;
    start_fn on_start;
    end_fn on_end;
    int st;                 /* a refusal, or a callback's status: stop */
    int cb_failed;          /* st is a callback's failure, not a refusal */
    int next_sheet;         /* a callback asked for the next sheet: stop */
    int collect;
    char *txt;              /* a cell's text, NUL-terminated */
    size_t tlen, tcap;

    /* workbook and relationships */
    int date1904, in_sheets;
    sheet *sheets;
    size_t nsheets, capsheets;
    rel *rels;
    size_t nrels, caprels;

    /* styles: flags by numFmtId, then by cell format (the s of a cell) */
    unsigned char *fmt;
    unsigned *xf_fmt;
    unsigned char *xf;
    size_t nxf, capxf;
    int in_numfmts, in_cellxfs;

    /* shared strings: their bytes one after another, and where each starts
     * (ss_n + 1 offsets once loaded) */
    char *ss;
    uint64_t ss_len, ss_cap;
    uint64_t *ss_off;
    size_t ss_n, ss_offcap;
    int in_si, in_rph;

    /* the sheet being read */
    const char *sheet_name;
    int in_data, in_row, in_cell, in_is, header_done;
    long row, prev_row, col_next, cell_col;
    char cell_t;            /* 'n' number, 's' shared, 'i' inline, 'b', 'x' other text */
    unsigned cell_s;
    char cell_ref[16];
    int row_bad;
    mc_reason bad_reason;
    char bad_detail[96];
    char *store;
    size_t slen, scap;
    span *f;
    size_t nf, fcap;
    mc_field *fv;
    size_t fvcap;
};

/* ------------------------------------------------------------------ util */

static int nomem(xl *x)
{
    return mc_error_set(x->err, MC_EXIT_SOFTWARE, "%s: out of memory", x->name);
}

/* The name without its namespace prefix: x:row and row are the same. */
static const char *local(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

static const char *attr(const char **atts, const char *want)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp(local(atts[i]), want) == 0)
            return atts[i + 1];
    return NULL;
}

/* Stop the parse of the current part (a refusal or a callback's answer is
 * in x->st or x->next_sheet). */
static void halt(xl *x)
{
    if (x->p)
        XML_StopParser(x->p, XML_FALSE);
}

static int stopped(const xl *x)
{
    return x->st || x->next_sheet;
}

static void fail_nomem(xl *x)
{
    if (!x->st)
        x->st = nomem(x);
    halt(x);
}

/* ---------------------------------------------------------- the parts */

/* Expat's start-of-DOCTYPE: no DTD is processed at all, so no entity can be
 * declared, expanded or fetched (billion laughs, external entities). */
static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal)
{
    xl *x = ud;
    (void)name, (void)sysid, (void)pubid, (void)has_internal;
    if (stopped(x))
        return;
    x->st = mc_error_set(x->err, MC_EXIT_DATA,
                         "%s: %s line %lu, column %lu: a DOCTYPE (DTD or entity declarations) "
                         "has no place in a workbook: refused",
                         x->name, x->part, (unsigned long)XML_GetCurrentLineNumber(x->p),
                         (unsigned long)XML_GetCurrentColumnNumber(x->p) + 1);
    halt(x);
}

static void XMLCALL on_start_el(void *ud, const XML_Char *name, const XML_Char **atts)
{
    xl *x = ud;
    if (!stopped(x) && x->on_start)
        x->on_start(x, local(name), atts);
}

static void XMLCALL on_end_el(void *ud, const XML_Char *name)
{
    xl *x = ud;
    if (!stopped(x) && x->on_end)
        x->on_end(x, local(name));
}

static int sst_put(xl *x, const char *s, size_t n);

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    xl *x = ud;
    if (stopped(x) || len <= 0)
        return;
    size_t n = (size_t)len;
    if (x->collect == COLLECT_SST) {
        if (sst_put(x, s, n))
            halt(x);
        return;
    }
    if (x->collect != COLLECT_CELL)
        return;
    /* Keep at most one byte past max_field: enough to know it is too long. */
    size_t room = x->max_field + 1 > x->tlen ? x->max_field + 1 - x->tlen : 0;
    if (n > room)
        n = room;
    char *t = mc_mem_grow(x->txt, &x->tcap, x->tlen + n + 1, 1);
    if (!t) {
        fail_nomem(x);
        return;
    }
    x->txt = t;
    memcpy(x->txt + x->tlen, s, n);
    x->tlen += n;
    x->txt[x->tlen] = '\0';
}

static int zip_damaged(xl *x, const char *what, zip_error_t *ze)
{
    return mc_error_set(x->err, MC_EXIT_DATA,
                        "%s: %s: the Excel workbook (a ZIP archive) is damaged or truncated "
                        "(%s): fetch the export again",
                        x->name, what, zip_error_strerror(ze));
}

static int bomb(xl *x, const char *path)
{
    return mc_error_set(x->err, MC_EXIT_DATA,
                        "%s: %s expands more than %dx its compressed size: refused as a "
                        "decompression bomb",
                        x->name, path, MC_READER_BOMB_RATIO);
}

/* The most a part may inflate to.  A worksheet is streamed row by row, so
 * its limit only bounds the work: a million-row sheet's XML is well past
 * 256 MB, and refusing it would refuse the exports the limit is not about.
 * Every other part is held (shared strings) or small, and gets max_part. */
static uint64_t part_limit(const xl *x, const char *path)
{
    return strncmp(path, "xl/worksheets/", 14) == 0 ? x->max_part * MC_XLSX_SHEET_FACTOR
                                                     : x->max_part;
}

static int too_large(xl *x, const char *path)
{
    return mc_error_set(x->err, MC_EXIT_DATA,
                        "%s: %s inflates to more than the limit of %llu bytes: refused", x->name,
                        path, (unsigned long long)part_limit(x, path));
}

/* The sizes the archive declares for a part: past the limit, or a bomb's
 * ratio, refuse it before inflating anything (what it really inflates to
 * is counted again as it comes: the archive may lie).  *comp gets its
 * compressed size (at least 1). */
static int check_declared(xl *x, zip_int64_t idx, const char *path, uint64_t *comp)
{
    zip_stat_t zs;
    zip_stat_init(&zs);
    if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &zs) != 0)
        return zip_damaged(x, path, zip_get_error(x->za));
    *comp = (zs.valid & ZIP_STAT_COMP_SIZE) && zs.comp_size ? zs.comp_size : 1;
    if (!(zs.valid & ZIP_STAT_SIZE))
        return 0;
    if (zs.size > part_limit(x, path))
        return too_large(x, path);
    if (zs.size > MC_XLSX_BOMB_FLOOR && zs.size / *comp > MC_READER_BOMB_RATIO)
        return bomb(x, path);
    return 0;
}

/*
 * Inflate the part at index idx (named path) into expat with the current
 * handlers.  Returns 0 (also when a callback asked for the next sheet,
 * x->next_sheet) or a status with err filled.
 */
static int parse_part(xl *x, zip_int64_t idx, const char *path)
{
    uint64_t comp;
    int st = check_declared(x, idx, path, &comp);
    if (st)
        return st;
    /* The most bytes the part may inflate to: past max_part it is too
     * large; from the bomb threshold on (more than the floor, and at least
     * RATIO + 1 times its compressed size) it is a bomb.  No read goes
     * more than one byte past it, so which fault is found first -- bad XML,
     * a limit, the archive's damage -- does not depend on the chunk size. */
    uint64_t bomb_at = comp * (MC_READER_BOMB_RATIO + 1);
    if (bomb_at < MC_XLSX_BOMB_FLOOR + 1)
        bomb_at = MC_XLSX_BOMB_FLOOR + 1;
    uint64_t limit = part_limit(x, path);
    uint64_t allow = limit < bomb_at - 1 ? limit : bomb_at - 1;
    zip_file_t *zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0);
    if (!zf)
        return zip_damaged(x, path, zip_get_error(x->za));
    XML_Parser p = XML_ParserCreate(NULL);
    if (!p) {
        zip_fclose(zf);
        return nomem(x);
    }
    XML_SetUserData(p, x);
    XML_SetElementHandler(p, on_start_el, on_end_el);
    XML_SetCharacterDataHandler(p, on_text);
    XML_SetStartDoctypeDeclHandler(p, on_doctype);
    XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
    x->p = p;
    x->part = path;
    x->st = 0;
    x->cb_failed = 0;
    uint64_t got = 0;
    int zip_failed = 0, over = 0;
    for (;;) {
        zip_uint64_t want = allow - got + 1 < x->chunk ? allow - got + 1 : x->chunk;
        zip_int64_t n = zip_fread(zf, x->buf, want);
        if (n < 0) {
            x->st = zip_damaged(x, path, zip_file_get_error(zf));
            zip_failed = 1;
            break;
        }
        got += (uint64_t)n;
        if (got > allow) {
            x->st = allow == limit ? too_large(x, path) : bomb(x, path);
            over = 1;
            break;
        }
        if (XML_Parse(p, (const char *)x->buf, (int)n, n == 0) == XML_STATUS_ERROR) {
            if (!stopped(x))
                x->st = mc_error_set(
                    x->err, MC_EXIT_DATA,
                    "%s: %s line %lu, column %lu: malformed XML (%s): the workbook is damaged",
                    x->name, path, (unsigned long)XML_GetCurrentLineNumber(p),
                    (unsigned long)XML_GetCurrentColumnNumber(p) + 1,
                    XML_ErrorString(XML_GetErrorCode(p)));
            break;
        }
        if (stopped(x) || n == 0)
            break;
    }
    /* Counted for parts read to their end only, so that a refusal or a
     * sheet left early reports the same whatever the chunk size. */
    if (!stopped(x))
        x->info->bytes_text += got;
    /* Stopped early by a fault in the XML or by "next sheet": the rest of
     * the part is inflated (within the limit) all the same, because a
     * damaged archive must be named as such however far the parse got. */
    while (stopped(x) && !zip_failed && !over && !x->cb_failed && got <= allow) {
        zip_uint64_t want = allow - got + 1 < x->chunk ? allow - got + 1 : x->chunk;
        zip_int64_t n = zip_fread(zf, x->buf, want);
        if (n < 0) {
            x->st = zip_damaged(x, path, zip_file_get_error(zf));
            x->next_sheet = 0;
            break;
        }
        if (n == 0)
            break;
        got += (uint64_t)n;
    }
    x->p = NULL;
    XML_ParserFree(p);
    zip_fclose(zf);
    st = x->st;
    x->st = 0;
    return st;
}

/* The index of the archive entry at path (case-insensitive, as Excel
 * itself reads them), or -1. */
static zip_int64_t locate(xl *x, const char *path)
{
    return zip_name_locate(x->za, path, ZIP_FL_NOCASE);
}

/* ------------------------------------------------------- the workbook */

static char *dup_bounded(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;        /* never cut a UTF-8 sequence */
    }
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static void wb_start(xl *x, const char *el, const char **atts)
{
    if (strcmp(el, "workbookPr") == 0) {
        const char *v = attr(atts, "date1904");
        x->date1904 = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
    } else if (strcmp(el, "sheets") == 0) {
        x->in_sheets = 1;
    } else if (strcmp(el, "sheet") == 0 && x->in_sheets) {
        if (x->nsheets >= MAX_SHEETS) {
            x->st = mc_error_set(x->err, MC_EXIT_DATA, "%s: more than %d sheets: refused",
                                 x->name, MAX_SHEETS);
            halt(x);
            return;
        }
        const char *name = attr(atts, "name"), *rid = attr(atts, "id");
        sheet *s = mc_mem_grow(x->sheets, &x->capsheets, x->nsheets + 1, sizeof *s);
        if (!s)
            return fail_nomem(x);
        x->sheets = s;
        s = &x->sheets[x->nsheets];
        s->name = dup_bounded(name ? name : "", SHEET_NAME_MAX);
        s->rid = dup_bounded(rid ? rid : "", 255);
        s->path = NULL;
        if (!s->name || !s->rid) {
            free(s->name);
            free(s->rid);
            return fail_nomem(x);
        }
        x->nsheets++;
    }
}

static void wb_end(xl *x, const char *el)
{
    if (strcmp(el, "sheets") == 0)
        x->in_sheets = 0;
}

static void rels_start(xl *x, const char *el, const char **atts)
{
    if (strcmp(el, "Relationship") != 0)
        return;
    const char *mode = attr(atts, "TargetMode");
    if (mode && strcmp(mode, "External") == 0)
        return;
    if (x->nrels >= MAX_RELS) {
        x->st = mc_error_set(x->err, MC_EXIT_DATA, "%s: %s: more than %d relationships: refused",
                             x->name, x->part, MAX_RELS);
        halt(x);
        return;
    }
    const char *id = attr(atts, "Id"), *type = attr(atts, "Type"), *target = attr(atts, "Target");
    if (!id || !type || !target)
        return;
    rel *r = mc_mem_grow(x->rels, &x->caprels, x->nrels + 1, sizeof *r);
    if (!r)
        return fail_nomem(x);
    x->rels = r;
    r = &x->rels[x->nrels];
    r->id = strdup(id);
    r->type = strdup(type);
    r->target = strdup(target);
    if (!r->id || !r->type || !r->target) {
        free(r->id);
        free(r->type);
        free(r->target);
        return fail_nomem(x);
    }
    x->nrels++;
}

/* A relationship's target as an archive path: relative to xl/ (where the
 * workbook is), or from the root when it starts with '/'; "." and ".."
 * segments resolved. */
static char *resolve(const char *target)
{
    size_t n = strlen(target);
    char *out = malloc(n + 4);
    if (!out)
        return NULL;
    size_t o = 0;
    if (target[0] == '/')
        target++;
    else {
        memcpy(out, "xl/", 3);
        o = 3;
    }
    while (*target) {
        const char *slash = strchr(target, '/');
        size_t k = slash ? (size_t)(slash - target) : strlen(target);
        if (k == 0 || (k == 1 && target[0] == '.')) {
            /* nothing */
        } else if (k == 2 && target[0] == '.' && target[1] == '.') {
            if (o > 0)
                o--;                        /* the '/' after the last segment */
            while (o > 0 && out[o - 1] != '/')
                o--;
        } else {
            memcpy(out + o, target, k);
            o += k;
            if (slash)
                out[o++] = '/';
        }
        target += k + (slash ? 1 : 0);
    }
    out[o] = '\0';
    return out;
}

/* The target of the first relationship whose type ends in suffix (or has
 * id when id is given), as an archive path; NULL when none. */
static const rel *find_rel(const xl *x, const char *id, const char *suffix)
{
    for (size_t i = 0; i < x->nrels; i++) {
        const rel *r = &x->rels[i];
        if (id && strcmp(r->id, id) == 0)
            return r;
        if (suffix) {
            size_t a = strlen(r->type), b = strlen(suffix);
            if (a >= b && strcmp(r->type + a - b, suffix) == 0)
                return r;
        }
    }
    return NULL;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* --------------------------------------------------------- the styles */

/* Flags of a custom number format: a date when d, m, y, h or s appears
 * outside quotes, [brackets] and escapes; with a time when h or s does. */
static unsigned char format_flags(const char *code)
{
    unsigned char f = 0;
    for (const char *c = code; *c; c++) {
        switch (*c) {
        case '"':
            while (c[1] && c[1] != '"')
                c++;
            if (c[1])
                c++;
            break;
        case '[':
            while (c[1] && c[1] != ']')
                c++;
            if (c[1])
                c++;
            break;
        case '\\': case '_': case '*':   /* the next character is literal */
            if (c[1])
                c++;
            break;
        case 'd': case 'D': case 'm': case 'M': case 'y': case 'Y':
            f |= F_DATE;
            break;
        case 'h': case 'H': case 's': case 'S':
            f |= F_DATE | F_TIME;
            break;
        default:
            break;
        }
    }
    return f;
}

/* Built-in formats (ECMA-376 18.8.30): 14-17 dates, 18-21 times, 22 date
 * and time, 45-47 times. */
static unsigned char builtin_flags(unsigned id)
{
    if (id >= 14 && id <= 17)
        return F_DATE;
    if ((id >= 18 && id <= 22) || (id >= 45 && id <= 47))
        return F_DATE | F_TIME;
    return 0;
}

static unsigned parse_uint(const char *s, unsigned dflt)
{
    if (!s || *s < '0' || *s > '9')
        return dflt;
    unsigned long v = 0;
    for (; *s >= '0' && *s <= '9'; s++)
        if ((v = v * 10 + (unsigned long)(*s - '0')) > 0xFFFFFFFFul)
            return dflt;
    return *s ? dflt : (unsigned)v;
}

static void styles_start(xl *x, const char *el, const char **atts)
{
    if (strcmp(el, "numFmts") == 0)
        x->in_numfmts = 1;
    else if (strcmp(el, "cellXfs") == 0)
        x->in_cellxfs = 1;
    else if (strcmp(el, "numFmt") == 0 && x->in_numfmts) {
        unsigned id = parse_uint(attr(atts, "numFmtId"), NUMFMT_IDS);
        const char *code = attr(atts, "formatCode");
        if (id < NUMFMT_IDS && code)
            x->fmt[id] = (unsigned char)(format_flags(code) | 0x80);  /* 0x80: defined */
    } else if (strcmp(el, "xf") == 0 && x->in_cellxfs) {
        if (x->nxf >= MAX_XF) {
            x->st = mc_error_set(x->err, MC_EXIT_DATA,
                                 "%s: %s: more than %d cell formats: refused", x->name, x->part,
                                 MAX_XF);
            halt(x);
            return;
        }
        unsigned *f = mc_mem_grow(x->xf_fmt, &x->capxf, x->nxf + 1, sizeof *f);
        if (!f)
            return fail_nomem(x);
        x->xf_fmt = f;
        x->xf_fmt[x->nxf++] = parse_uint(attr(atts, "numFmtId"), 0);
    }
}

static void styles_end(xl *x, const char *el)
{
    if (strcmp(el, "numFmts") == 0)
        x->in_numfmts = 0;
    else if (strcmp(el, "cellXfs") == 0)
        x->in_cellxfs = 0;
}

/* Each cell format's date flags, once the styles are read. */
static int styles_resolve(xl *x)
{
    x->xf = malloc(x->nxf ? x->nxf : 1);
    if (!x->xf)
        return nomem(x);
    for (size_t i = 0; i < x->nxf; i++) {
        unsigned id = x->xf_fmt[i];
        if (id < NUMFMT_IDS && (x->fmt[id] & 0x80))
            x->xf[i] = x->fmt[id] & (F_DATE | F_TIME);
        else
            x->xf[i] = builtin_flags(id);
    }
    return 0;
}

/* ---------------------------------------------------- shared strings */

static int sst_too_large(xl *x)
{
    x->st = mc_error_set(x->err, MC_EXIT_DATA,
                         "%s: the shared-strings table is larger than the limit of %llu bytes: "
                         "refused",
                         x->name, (unsigned long long)x->max_part);
    return x->st;
}

/* Room for need more bytes of strings, within the limit (the offsets
 * count too). */
static int sst_room(xl *x, uint64_t need)
{
    uint64_t total = x->ss_len + need + (uint64_t)(x->ss_n + 2) * sizeof *x->ss_off;
    if (total > x->max_part)
        return sst_too_large(x);
    if (x->ss_len + need <= x->ss_cap)
        return 0;
    uint64_t cap = x->ss_cap ? x->ss_cap * 2 : 64 * KIB;
    while (cap < x->ss_len + need)
        cap *= 2;
    if (cap > x->max_part)
        cap = x->max_part;
    if (cap > SIZE_MAX)
        return sst_too_large(x);
    char *ns = realloc(x->ss, (size_t)cap);
    if (!ns)
        return x->st = nomem(x);
    x->ss = ns;
    x->ss_cap = cap;
    return 0;
}

static int sst_put(xl *x, const char *s, size_t n)
{
    if (sst_room(x, n))
        return x->st;
    memcpy(x->ss + x->ss_len, s, n);
    x->ss_len += n;
    return 0;
}

static void sst_start(xl *x, const char *el, const char **atts)
{
    (void)atts;
    if (strcmp(el, "si") == 0) {
        if (sst_room(x, 0)) {
            halt(x);
            return;
        }
        uint64_t *o = mc_mem_grow(x->ss_off, &x->ss_offcap, x->ss_n + 2, sizeof *o);
        if (!o)
            return fail_nomem(x);
        x->ss_off = o;
        x->ss_off[x->ss_n] = x->ss_len;
        x->in_si = 1;
    } else if (strcmp(el, "rPh") == 0) {
        x->in_rph++;        /* phonetic guide: not part of the text */
        x->collect = COLLECT_NONE;
    } else if (strcmp(el, "t") == 0 && x->in_si && !x->in_rph) {
        x->collect = COLLECT_SST;
    }
}

static void sst_end(xl *x, const char *el)
{
    if (strcmp(el, "t") == 0)
        x->collect = COLLECT_NONE;
    else if (strcmp(el, "rPh") == 0 && x->in_rph > 0)
        x->in_rph--;
    else if (strcmp(el, "si") == 0 && x->in_si) {
        x->in_si = 0;
        x->ss_n++;
        x->ss_off[x->ss_n] = x->ss_len;
    }
}

/* ------------------------------------------------------- cell values */

/*
 * A date-styled serial as text: YYYY-MM-DD for a whole day in a format
 * without a time, else YYYY-MM-DD HH:MM:SS (to the nearest second); a
 * serial below one day is a time of day alone (HH:MM:SS), which is no
 * date.  In the 1900 system serial 1 is 1900-01-01 and serial 60 is
 * Excel's 1900-02-29 (Lotus's leap-year bug), which is no date either and
 * is written as such; from 61 on, day n is 1899-12-30 + n.  Returns 0 when
 * the serial is no date Excel can show (negative, past 9999): the number
 * is then written as a number.
 */
static int serial_text(double v, int date1904, int has_time, char *out, size_t cap)
{
    if (!(v >= 0) || v >= 2958466.0)
        return 0;
    long long secs = llround(v * 86400.0);
    long long days = secs / 86400, sod = secs % 86400;
    int hh = (int)(sod / 3600), mi = (int)(sod / 60 % 60), ss = (int)(sod % 60);
    if (days == 0) {
        snprintf(out, cap, "%02d:%02d:%02d", hh, mi, ss);
        return 1;
    }
    int y;
    unsigned m, d;
    if (date1904) {
        mc_civil_from_days(mc_days_from_civil(1904, 1, 1) + days, &y, &m, &d);
    } else if (days == 60) {
        y = 1900, m = 2, d = 29;
    } else {
        int64_t base = mc_days_from_civil(1899, 12, days < 60 ? 31 : 30);
        mc_civil_from_days(base + days, &y, &m, &d);
    }
    if (y > 9999)
        return 0;
    /* by hand: this runs for every date cell, and y is 1900..9999 */
    if (cap < 20)
        return 0;
    char *o = out;
    o[0] = (char)('0' + y / 1000), o[1] = (char)('0' + y / 100 % 10);
    o[2] = (char)('0' + y / 10 % 10), o[3] = (char)('0' + y % 10), o[4] = '-';
    o[5] = (char)('0' + m / 10), o[6] = (char)('0' + m % 10), o[7] = '-';
    o[8] = (char)('0' + d / 10), o[9] = (char)('0' + d % 10);
    if (!has_time && sod == 0) {
        o[10] = '\0';
        return 1;
    }
    o[10] = ' ';
    o[11] = (char)('0' + hh / 10), o[12] = (char)('0' + hh % 10), o[13] = ':';
    o[14] = (char)('0' + mi / 10), o[15] = (char)('0' + mi % 10), o[16] = ':';
    o[17] = (char)('0' + ss / 10), o[18] = (char)('0' + ss % 10), o[19] = '\0';
    return 1;
}

/* Whether s[0..n) is an integer written the shortest way: at most 15
 * digits, no sign (but '-' before a non-zero), no leading zero. */
static int plain_integer(const char *s, size_t n)
{
    size_t i = s[0] == '-' && n > 1 && s[1] != '0';
    if (n - i > 15 || (s[i] == '0' && n - i > 1))
        return 0;
    for (; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* "C7" -> column 2 (0-based); -1 when it is no cell reference. */
static long ref_col(const char *r)
{
    long c = 0;
    int k = 0;
    for (; (*r >= 'A' && *r <= 'Z') || (*r >= 'a' && *r <= 'z'); r++, k++) {
        if (k == 3)
            return -1;
        c = c * 26 + ((*r | 0x20) - 'a' + 1);
    }
    if (k == 0 || c > MAX_SHEET_COL || *r < '1' || *r > '9')
        return -1;
    return c - 1;
}

static long parse_row(const char *s)
{
    unsigned v = parse_uint(s, 0);
    return v >= 1 && v <= MAX_SHEET_ROW ? (long)v : -1;
}

static void row_bad(xl *x, mc_reason reason, const char *fmt, size_t limit)
{
    if (x->row_bad)
        return;
    x->row_bad = 1;
    x->bad_reason = reason;
    snprintf(x->bad_detail, sizeof x->bad_detail, fmt, limit);
}

/* A cell's text into the row at column col (cells arrive left to right). */
static void place(xl *x, long col, const char *s, size_t n)
{
    if (n == 0 || x->row_bad)
        return;
    if ((size_t)col >= x->max_columns) {
        row_bad(x, MC_REASON_BAD_FIELD_COUNT, "row has more than %zu fields", x->max_columns);
        return;
    }
    if (n > x->max_field) {
        row_bad(x, MC_REASON_ROW_TOO_LARGE, "field longer than %zu bytes", x->max_field);
        return;
    }
    if (x->slen + n > x->max_row) {
        row_bad(x, MC_REASON_ROW_TOO_LARGE, "row longer than %zu bytes", x->max_row);
        return;
    }
    span *f = mc_mem_grow(x->f, &x->fcap, (size_t)col + 1, sizeof *f);
    char *st = f ? mc_mem_grow(x->store, &x->scap, x->slen + n, 1) : NULL;
    if (f)
        x->f = f;
    if (!st)
        return fail_nomem(x);
    x->store = st;
    while (x->nf < (size_t)col)
        x->f[x->nf++] = (span){0, 0};
    memcpy(x->store + x->slen, s, n);
    x->f[x->nf++] = (span){x->slen, n};
    x->slen += n;
}

static void finish_cell(xl *x)
{
    const char *s = x->txt ? x->txt : "";
    size_t n = x->tlen;
    char tmp[64];
    switch (x->cell_t) {
    case 's': {
        /* The index is a number; one out of range is a damaged workbook,
         * not a cell to guess. */
        size_t a = 0, b = n;
        while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\n' || s[a] == '\r'))
            a++;
        while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\n' ||
                         s[b - 1] == '\r'))
            b--;
        if (a == b)
            return;
        char idx[24];
        snprintf(idx, sizeof idx, "%.*s", (int)(b - a < 20 ? b - a : 20), s + a);
        unsigned v = parse_uint(idx, 0xFFFFFFFFu);
        if (b - a > 10 || v == 0xFFFFFFFFu || v >= x->ss_n) {
            x->st = mc_error_set(x->err, MC_EXIT_DATA,
                                 "%s: sheet '%s' row %ld: cell %s refers to shared string '%s', "
                                 "which does not exist: the workbook is damaged",
                                 x->name, x->sheet_name, x->row, x->cell_ref, idx);
            halt(x);
            return;
        }
        s = x->ss + x->ss_off[v];
        n = (size_t)(x->ss_off[v + 1] - x->ss_off[v]);
        break;
    }
    case 'b':
        if (n == 1 && (s[0] == '0' || s[0] == '1')) {
            /* as Excel writes them to CSV */
            s = s[0] == '1' ? "TRUE" : "FALSE";
            n = strlen(s);
        }
        break;
    case 'n': {
        if (n == 0 || n > 40)
            break;
        unsigned char fl = x->cell_s < x->nxf ? x->xf[x->cell_s] : 0;
        if (!(fl & F_DATE) && plain_integer(s, n))
            break;      /* already its shortest text (most cells: codes, flags) */
        char *end;
        double v = strtod(s, &end);
        while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
            end++;
        if (end == s || *end || !isfinite(v))
            break;      /* not a number after all: its text */
        if (!(fl & F_DATE) || !serial_text(v, x->date1904, fl & F_TIME, tmp, sizeof tmp))
            mc_sheetrow_number(v, tmp, sizeof tmp);
        s = tmp;
        n = strlen(tmp);
        break;
    }
    default:
        break;
    }
    place(x, x->cell_col, s, n);
}

/* ----------------------------------------------------------- the rows */

static void deliver(xl *x, int st)
{
    if (!st)
        return;
    if (st == MC_READER_NEXT_SHEET)
        x->next_sheet = 1;
    else {
        x->st = st;
        x->cb_failed = 1;
        if (x->err && x->err->status == 0)
            mc_error_set(x->err, st, "%s: sheet '%s' row %ld: stopped by the caller", x->name,
                         x->sheet_name, x->row);
    }
    halt(x);
}

static void finish_row(xl *x)
{
    long line = x->row;
    x->info->lines = line;
    if (x->row_bad) {
        if (!x->header_done) {
            x->st = mc_error_set(x->err, MC_EXIT_DATA, "%s: sheet '%s' row %ld: header: %s",
                                 x->name, x->sheet_name, line, x->bad_detail);
            halt(x);
            return;
        }
        x->info->rows++;
        if (x->cb->on_bad_row)
            deliver(x, x->cb->on_bad_row(x->ctx, line, x->bad_reason, x->bad_detail, x->err));
        return;
    }
    if (x->nf == 0)
        return;         /* every cell empty: a blank line */
    mc_field *fv = mc_mem_grow(x->fv, &x->fvcap, x->nf, sizeof *fv);
    if (!fv)
        return fail_nomem(x);
    x->fv = fv;
    for (size_t i = 0; i < x->nf; i++) {
        fv[i].p = x->store + x->f[i].off;
        fv[i].len = x->f[i].len;
    }
    if (!x->header_done) {
        x->header_done = 1;
        if (x->cb->on_header)
            deliver(x, x->cb->on_header(x->ctx, line, fv, x->nf, x->err));
    } else {
        x->info->rows++;
        if (x->cb->on_row)
            deliver(x, x->cb->on_row(x->ctx, line, fv, x->nf, x->err));
    }
}

static void ws_start(xl *x, const char *el, const char **atts)
{
    if (!x->in_data) {
        if (strcmp(el, "sheetData") == 0)
            x->in_data = 1;
        return;
    }
    if (x->in_cell) {
        if (strcmp(el, "v") == 0) {
            x->collect = COLLECT_CELL;
        } else if (strcmp(el, "is") == 0) {
            x->in_is = 1;
        } else if (strcmp(el, "rPh") == 0) {
            x->in_rph++;
            x->collect = COLLECT_NONE;
        } else if (strcmp(el, "t") == 0 && x->in_is && !x->in_rph) {
            x->collect = COLLECT_CELL;
        }
    } else if (strcmp(el, "c") == 0 && x->in_row) {
        x->in_cell = 1;
        x->in_is = 0;
        x->in_rph = 0;
        x->tlen = 0;
        if (x->txt)
            x->txt[0] = '\0';
        const char *r = attr(atts, "r"), *t = attr(atts, "t"), *s = attr(atts, "s");
        long col = r ? ref_col(r) : -1;
        /* no reference, or one that goes back: the next column */
        x->cell_col = col >= x->col_next ? col : x->col_next;
        x->col_next = x->cell_col + 1;
        /* kept for messages; a copy by hand, as this runs for every cell */
        const char *ref = r ? r : "?";
        size_t k = 0;
        while (ref[k] && k < sizeof x->cell_ref - 1) {
            x->cell_ref[k] = ref[k];
            k++;
        }
        x->cell_ref[k] = '\0';
        x->cell_s = parse_uint(s, 0);
        if (!t || strcmp(t, "n") == 0)
            x->cell_t = 'n';
        else if (strcmp(t, "s") == 0)
            x->cell_t = 's';
        else if (strcmp(t, "b") == 0)
            x->cell_t = 'b';
        else
            x->cell_t = 'x';    /* str, inlineStr, e, d: their text */
    } else if (strcmp(el, "row") == 0) {
        long r = parse_row(attr(atts, "r"));
        /* rows go down; a missing or backward number is the next row */
        x->row = r > x->prev_row ? r : x->prev_row + 1;
        x->prev_row = x->row;
        x->in_row = 1;
        x->col_next = 0;
        x->nf = 0;
        x->slen = 0;
        x->row_bad = 0;
    }
}

static void ws_end(xl *x, const char *el)
{
    if (!x->in_data)
        return;
    if (x->in_cell) {
        if (strcmp(el, "v") == 0 || strcmp(el, "t") == 0)
            x->collect = COLLECT_NONE;
        else if (strcmp(el, "is") == 0)
            x->in_is = 0;
        else if (strcmp(el, "rPh") == 0 && x->in_rph > 0)
            x->in_rph--;
        else if (strcmp(el, "c") == 0) {
            x->in_cell = 0;
            x->collect = COLLECT_NONE;
            finish_cell(x);
        }
    } else if (strcmp(el, "row") == 0 && x->in_row) {
        x->in_row = 0;
        finish_row(x);
    } else if (strcmp(el, "sheetData") == 0) {
        x->in_data = 0;
    }
}

/* ------------------------------------------------------------- driver */

/* Parse a part that may be absent (styles, shared strings): 0 when absent. */
static int parse_optional(xl *x, const char *suffix, const char *dflt, start_fn s, end_fn e)
{
    const rel *r = find_rel(x, NULL, suffix);
    char *path = resolve(r ? r->target : dflt);
    if (!path)
        return nomem(x);
    zip_int64_t idx = locate(x, path);
    int st = 0;
    if (idx >= 0) {
        x->on_start = s;
        x->on_end = e;
        st = parse_part(x, idx, path);
    }
    free(path);
    return st;
}

static int read_sheets(xl *x)
{
    mc_error asked;         /* the error of the callback that last said "next sheet" */
    int any_asked = 0;
    mc_error_clear(&asked);
    for (size_t i = 0; i < x->nsheets; i++) {
        sheet *sh = &x->sheets[i];
        if (!sh->path)
            continue;
        x->sheet_name = sh->name;
        snprintf(x->info->sheet, sizeof x->info->sheet, "%s", sh->name);
        x->in_data = x->in_row = x->in_cell = x->header_done = 0;
        x->row = x->prev_row = 0;
        x->collect = COLLECT_NONE;
        x->next_sheet = 0;
        if (x->cb->on_sheet) {
            int st = x->cb->on_sheet(x->ctx, sh->name, x->err);
            if (st && st != MC_READER_NEXT_SHEET)
                return st;
            if (st) {
                asked = *x->err;
                any_asked = 1;
                continue;
            }
        }
        x->on_start = ws_start;
        x->on_end = ws_end;
        int st = parse_part(x, locate(x, sh->path), sh->path);
        if (st)
            return st;
        /* a sheet that gave rows but, by its end, no header (a cover of a
         * few lines): the frame sends the read on (reader.h) */
        if (!x->next_sheet && x->header_done && x->cb->on_sheet_end) {
            int se = x->cb->on_sheet_end(x->ctx, x->err);
            if (se && se != MC_READER_NEXT_SHEET)
                return se;
            x->next_sheet = se == MC_READER_NEXT_SHEET;
        }
        if (x->next_sheet) {
            x->next_sheet = 0;
            asked = *x->err;
            any_asked = 1;
            continue;
        }
        if (x->header_done)
            return 0;
    }
    if (any_asked) {
        *x->err = asked;
        if (!x->err->msg[0])
            mc_error_set(x->err, MC_EXIT_DATA, "%s: no sheet holds a header", x->name);
        x->err->status = MC_EXIT_DATA;
        return MC_EXIT_DATA;
    }
    return mc_error_set(x->err, MC_EXIT_DATA,
                        "%s: no sheet of the workbook has a non-empty row", x->name);
}

static int run(xl *x)
{
    /* An encrypted entry anywhere: nothing of the file is read. */
    zip_int64_t ne = zip_get_num_entries(x->za, 0);
    for (zip_int64_t i = 0; i < ne; i++) {
        zip_stat_t zs;
        zip_stat_init(&zs);
        if (zip_stat_index(x->za, (zip_uint64_t)i, 0, &zs) != 0)
            return zip_damaged(x, "central directory", zip_get_error(x->za));
        if ((zs.valid & ZIP_STAT_ENCRYPTION_METHOD) && zs.encryption_method != ZIP_EM_NONE)
            return mc_error_set(x->err, MC_EXIT_DATA,
                                "%s: %s is encrypted (password-protected): open the workbook in "
                                "Excel, remove the password and save it again",
                                x->name, (zs.valid & ZIP_STAT_NAME) ? zs.name : "an entry");
    }
    zip_int64_t wb = locate(x, "xl/workbook.xml");
    if (wb < 0)
        return mc_error_set(x->err, MC_EXIT_DATA,
                            "%s: a ZIP archive without xl/workbook.xml: not an Excel workbook "
                            "(.xlsx); export the list again as Excel or CSV",
                            x->name);
    x->on_start = wb_start;
    x->on_end = wb_end;
    int st = parse_part(x, wb, "xl/workbook.xml");
    if (st)
        return st;
    zip_int64_t rels = locate(x, "xl/_rels/workbook.xml.rels");
    if (rels >= 0) {
        x->on_start = rels_start;
        x->on_end = NULL;
        if ((st = parse_part(x, rels, "xl/_rels/workbook.xml.rels")))
            return st;
    }
    size_t worksheets = 0;
    for (size_t i = 0; i < x->nsheets; i++) {
        sheet *sh = &x->sheets[i];
        const rel *r = find_rel(x, sh->rid, NULL);
        if (!r || !ends_with(r->type, "/worksheet"))
            continue;   /* chart, dialog and macro sheets hold no table */
        if (!(sh->path = resolve(r->target)))
            return nomem(x);
        zip_int64_t idx = locate(x, sh->path);
        if (idx < 0)
            return mc_error_set(x->err, MC_EXIT_DATA,
                                "%s: sheet '%s': its part %s is missing: the workbook is damaged; "
                                "fetch the export again",
                                x->name, sh->name, sh->path);
        uint64_t comp;
        if ((st = check_declared(x, idx, sh->path, &comp)))
            return st;
        worksheets++;
    }
    if (worksheets == 0)
        return mc_error_set(x->err, MC_EXIT_DATA,
                            "%s: the workbook has no worksheet (macro-only or charts only): "
                            "export the list itself",
                            x->name);
    if (!(x->fmt = calloc(NUMFMT_IDS, 1)))
        return nomem(x);
    if ((st = parse_optional(x, "/styles", "styles.xml", styles_start, styles_end)) ||
        (st = styles_resolve(x)))
        return st;
    x->in_si = x->in_rph = 0;
    if ((st = parse_optional(x, "/sharedStrings", "sharedStrings.xml", sst_start, sst_end)))
        return st;
    x->in_rph = 0;
    return read_sheets(x);
}

static void xl_init(xl *x, const char *name, const mc_reader_opts *o, const mc_reader_cb *cb,
                    void *ctx, mc_reader_info *info, mc_error *err)
{
    static const mc_reader_cb none;
    memset(x, 0, sizeof *x);
    x->name = name ? name : "(input)";
    x->chunk = o && o->chunk_size ? o->chunk_size : MIB;
    if (x->chunk > 64 * MIB)
        x->chunk = 64 * MIB;    /* expat counts in int */
    x->max_field = o && o->max_field ? o->max_field : MIB;
    x->max_row = o && o->max_row ? o->max_row : 4 * MIB;
    x->max_columns = o && o->max_columns ? o->max_columns : 4096;
    x->max_part = o && o->max_part ? o->max_part : MC_XLSX_MAX_PART;
    x->on_raw = o ? o->on_raw : NULL;
    x->raw_ctx = o ? o->raw_ctx : NULL;
    x->cb = cb ? cb : &none;
    x->ctx = ctx;
    x->info = info;
    memset(info, 0, sizeof *info);
    info->delimiter = ',';
    snprintf(info->format, sizeof info->format, "xlsx");
    info->ragged = 1;
    x->err = err;
    mc_error_clear(err);
}

static void xl_free(xl *x)
{
    if (x->za)
        zip_discard(x->za);
    for (size_t i = 0; i < x->nsheets; i++) {
        free(x->sheets[i].name);
        free(x->sheets[i].rid);
        free(x->sheets[i].path);
    }
    for (size_t i = 0; i < x->nrels; i++) {
        free(x->rels[i].id);
        free(x->rels[i].type);
        free(x->rels[i].target);
    }
    free(x->sheets);
    free(x->rels);
    free(x->buf);
    free(x->txt);
    free(x->fmt);
    free(x->xf_fmt);
    free(x->xf);
    free(x->ss);
    free(x->ss_off);
    free(x->store);
    free(x->f);
    free(x->fv);
}

int mc_xlsx_magic(const void *p, size_t n)
{
    return n >= 4 && memcmp(p, "PK\x03\x04", 4) == 0;
}

static int changed(xl *x)
{
    return mc_error_set(x->err, MC_EXIT_IO,
                        "%s: the file changed while it was read; try again once it is complete",
                        x->name);
}

int mc_xlsx_read_fd(const char *path, int fd, const mc_reader_opts *opts, const mc_reader_cb *cb,
                    void *ctx, mc_reader_info *info, mc_error *err)
{
    mc_reader_info local_info;
    xl x;
    xl_init(&x, path, opts, cb, ctx, info ? info : &local_info, err);
    struct stat before, after;
    int st = 0;
    if (fstat(fd, &before) != 0 || lseek(fd, 0, SEEK_SET) != 0)
        st = mc_error_set(err, MC_EXIT_IO, "%s: cannot read: %s", x.name, strerror(errno));
    else if (!(x.buf = malloc(x.chunk)))
        st = nomem(&x);
    /* One sequential read for the digest, then libzip's own reads. */
    while (!st) {
        ssize_t k = mc_fs_read(fd, x.buf, x.chunk);
        if (k < 0)
            st = mc_error_set(err, MC_EXIT_IO, "%s: cannot read: %s", x.name, strerror(errno));
        if (k <= 0)
            break;
        x.info->bytes_raw += (uint64_t)k;
        if (x.on_raw)
            x.on_raw(x.raw_ctx, x.buf, (size_t)k);
    }
    if (!st && x.info->bytes_raw != (uint64_t)before.st_size)
        st = changed(&x);
    if (!st) {
        int fd2 = dup(fd);
        int zerr = 0;
        if (fd2 < 0)
            st = mc_error_set(err, MC_EXIT_IO, "%s: cannot read: %s", x.name, strerror(errno));
        else if (lseek(fd2, 0, SEEK_SET) != 0 || !(x.za = zip_fdopen(fd2, 0, &zerr))) {
            close(fd2);
            zip_error_t ze;
            zip_error_init_with_code(&ze, zerr);
            st = zip_damaged(&x, "not a readable ZIP archive", &ze);
            zip_error_fini(&ze);
        }
    }
    if (!st)
        st = run(&x);
    /* A file rewritten under us: what was read may mix two versions. */
    if (!st && (fstat(fd, &after) != 0 || after.st_size != before.st_size ||
                after.st_mtim.tv_sec != before.st_mtim.tv_sec ||
                after.st_mtim.tv_nsec != before.st_mtim.tv_nsec))
        st = changed(&x);
    xl_free(&x);
    return st;
}

int mc_xlsx_read_mem(const char *name, const void *buf, size_t n, const mc_reader_opts *opts,
                     const mc_reader_cb *cb, void *ctx, mc_reader_info *info, mc_error *err)
{
    mc_reader_info local_info;
    xl x;
    xl_init(&x, name, opts, cb, ctx, info ? info : &local_info, err);
    x.info->bytes_raw = n;
    if (x.on_raw && n)
        x.on_raw(x.raw_ctx, buf, n);
    int st = 0;
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(n ? buf : "", n, 0, &ze);
    if (!(x.buf = malloc(x.chunk)) || !src)
        st = nomem(&x);
    else if (!(x.za = zip_open_from_source(src, ZIP_RDONLY, &ze)))
        st = zip_damaged(&x, "not a readable ZIP archive", &ze);
    if (st && src)
        zip_source_free(src);
    zip_error_fini(&ze);
    if (!st)
        st = run(&x);
    xl_free(&x);
    return st;
}
