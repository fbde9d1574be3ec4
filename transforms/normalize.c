/*
 * normalize.c -- header mapping and row normalization; see normalize.h.
 *
 * The order of the checks decides which reason a row with several faults
 * gets (issue 15, README "What happens to each row"): bad_utf8 first, then
 * the field count, then the columns in SPEC 1.2 order (mc_col order, not the
 * file's, so the same row gets the same reason whatever its column order),
 * then the unit, then the cross-column checks of SPEC 1.5.
 *
 * UTF-8 comes first because the row is read in one pass per field that
 * validates the bytes and, for the text columns, folds white space and
 * looks for what NFC may change at the same time: every field is looked at
 * once before any column is judged.
 */
#include "transforms/normalize.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "transforms/codes.h"
#include "transforms/columns.h"
#include "transforms/dates.h"
#include "transforms/text.h"

/* Append to buf (cap bytes, NUL-terminated), cutting with "..." when full. */
static void append(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void append(char *buf, size_t cap, const char *fmt, ...)
{
    size_t used = strlen(buf);
    if (used + 1 >= cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(buf + used, cap - used, fmt, ap);
    va_end(ap);
    if (w >= 0 && (size_t)w >= cap - used && cap > 4)
        memcpy(buf + cap - 4, "...", 4);
}

/* The required columns of SPEC 1.2, with the labels a message suggests. */
static const struct {
    mc_col col;
    int alt; /* the other column that also satisfies it, or -1 */
    const char *name, *hint;
} required[] = {
    {MC_COL_CASE_ID, -1, "case_id", "MaHoSo, Mã hồ sơ"},
    {MC_COL_STATUS, -1, "status", "TrangThaiHoSo, Trạng thái"},
    {MC_COL_RECEIVED_AT, -1, "received_at", "NgayTiepNhan, Ngày tiếp nhận"},
    {MC_COL_UNIT_CODE, MC_COL_UNIT_NAME, "unit_code or unit_name",
     "MaDonVi, DonViXuLy, Đơn vị xử lý"},
};

int mc_header_missing(const mc_col *cols, size_t n, int hints, char *buf, size_t cap)
{
    int have[MC_COL_COUNT] = {0}, missing = 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned)cols[i] < MC_COL_COUNT)
            have[cols[i]] = 1;
    if (cap)
        buf[0] = '\0';
    for (size_t k = 0; k < sizeof required / sizeof required[0]; k++) {
        if (have[required[k].col] || (required[k].alt >= 0 && have[required[k].alt]))
            continue;
        if (cap)
            append(buf, cap, hints ? "%s%s (%s)" : "%s%s", missing ? ", " : "", required[k].name,
                   required[k].hint);
        missing++;
    }
    return missing;
}

void mc_header_describe(const mc_field *labels, const mc_col *cols, size_t n, char *buf, size_t cap)
{
    size_t personal = 0, other = 0;
    int named = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if ((unsigned)cols[i] < MC_COL_COUNT) {
            append(buf, cap, "%s%s", named++ ? ", " : "", mc_col_name(cols[i]));
        } else if (cols[i] == MC_COL_PERSONAL) {
            personal++;
        } else {
            size_t len = labels[i].len;
            if (mc_text_trim_blanks(labels[i].p, &len) && len)
                other++;
        }
    }
    if (!named)
        append(buf, cap, "no column of ours");
    if (personal)
        append(buf, cap, ", %zu personal-data column%s", personal, personal == 1 ? "" : "s");
    if (other)
        append(buf, cap, ", %zu other cell%s not recognized", other, other == 1 ? "" : "s");
}

int mc_colmap_build(mc_colmap *map, const char *file, const mc_field *cells, size_t n, mc_error *err)
{
    mc_col *cols = malloc((n ? n : 1) * sizeof *cols);
    if (!cols) {
        memset(map, 0, sizeof *map);
        return mc_error_set(err, MC_EXIT_SOFTWARE, "%s: out of memory", file);
    }
    for (size_t i = 0; i < n; i++)
        cols[i] = mc_column_lookup(cells[i].p, cells[i].len);
    int st = mc_colmap_build_cols(map, file, cells, cols, n, err);
    free(cols);
    return st;
}

int mc_colmap_build_cols(mc_colmap *map, const char *file, const mc_field *cells,
                         const mc_col *cols, size_t n, mc_error *err)
{
    memset(map, 0, sizeof *map);
    for (int c = 0; c < MC_COL_COUNT; c++)
        map->field_of_col[c] = -1;
    map->nfields = n;
    map->col_of_field = malloc(n ? n : 1);
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += cells[i].len + 1;
    map->header_copy = malloc(total + 1);
    if (!map->col_of_field || !map->header_copy) {
        mc_colmap_free(map);
        return mc_error_set(err, MC_EXIT_SOFTWARE, "%s: out of memory", file);
    }
    size_t off = 0;
    for (size_t i = 0; i < n; i++) {
        memcpy(map->header_copy + off, cells[i].p, cells[i].len);
        off += cells[i].len;
        map->header_copy[off++] = '\x1f';
    }
    map->header_len = off;

    for (size_t i = 0; i < n; i++) {
        if (!mc_utf8_valid(cells[i].p, cells[i].len)) {
            mc_colmap_free(map);
            return mc_error_set(err, MC_EXIT_DATA,
                                "%s: header column %zu is not valid UTF-8", file, i + 1);
        }
        mc_col c = cols[i];
        map->col_of_field[i] = -1;
        if (c == MC_COL_PERSONAL) {
            map->n_personal++;
            continue;
        }
        if (c == MC_COL_UNKNOWN || (unsigned)c >= MC_COL_COUNT) {
            if (cells[i].len == 0)
                continue;
            size_t used = strlen(map->unknown);
            if (map->n_unknown < MC_MAX_UNKNOWN_LISTED && used + cells[i].len + 3 < sizeof map->unknown)
                snprintf(map->unknown + used, sizeof map->unknown - used, "%s%.*s",
                         used ? ", " : "", (int)cells[i].len, cells[i].p);
            map->n_unknown++;
            continue;
        }
        if (map->field_of_col[c] >= 0) {
            int first = map->field_of_col[c];
            mc_error_set(err, MC_EXIT_DATA,
                         "%s: columns %d '%.*s' and %zu '%.*s' both mean %s; keep one of them",
                         file, first + 1, (int)cells[first].len, cells[first].p, i + 1,
                         (int)cells[i].len, cells[i].p, mc_col_name(c));
            mc_colmap_free(map);
            return MC_EXIT_DATA;
        }
        map->field_of_col[c] = (int)i;
        map->col_of_field[i] = (signed char)c;
    }

    /* Issue 16: a row taken for the header may hold data, so the message
     * names what was recognized and counts the rest, never quoting it. */
    char missing[300];
    int k = mc_header_missing(cols, n, 1, missing, sizeof missing);
    if (k) {
        char found[400];
        mc_header_describe(cells, cols, n, found, sizeof found);
        mc_error_set(err, MC_EXIT_DATA, "%s: required column%s %s %s missing; the header has %s",
                     file, k == 1 ? "" : "s", missing, k == 1 ? "is" : "are", found);
        mc_colmap_free(map);
        return MC_EXIT_DATA;
    }
    return 0;
}

void mc_colmap_free(mc_colmap *map)
{
    free(map->col_of_field);
    free(map->header_copy);
    map->col_of_field = NULL;
    map->header_copy = NULL;
}

int mc_colmap_is_header(const mc_colmap *map, const mc_field *cells, size_t n)
{
    if (n != map->nfields)
        return 0;
    size_t off = 0;
    for (size_t i = 0; i < n; i++) {
        if (off + cells[i].len + 1 > map->header_len ||
            memcmp(map->header_copy + off, cells[i].p, cells[i].len) != 0 ||
            map->header_copy[off + cells[i].len] != '\x1f')
            return 0;
        off += cells[i].len + 1;
    }
    return off == map->header_len;
}

/* The raw header text of cell i (ends at 0x1f), for messages. */
static const char *header_name(const mc_colmap *map, size_t i)
{
    const char *p = map->header_copy;
    while (i-- > 0) {
        const char *sep = memchr(p, '\x1f', map->header_len - (size_t)(p - map->header_copy));
        if (!sep)
            return "";
        p = sep + 1;
    }
    return p;
}

static int fail(mc_row_fault *f, mc_reason r, int col, const char *fmt, const char *arg)
{
    f->reason = r;
    f->col = col;
    snprintf(f->detail, sizeof f->detail, fmt, arg ? arg : "");
    return (int)r;
}

/* The raw cell of a canonical column, or an empty one when absent. */
static mc_field cell(const mc_colmap *map, const mc_field *cells, int col)
{
    int i = map->field_of_col[col];
    if (i < 0)
        return (mc_field){"", 0};
    return cells[i];
}

static int blank(mc_field f)
{
    for (size_t i = 0; i < f.len; i++)
        if (f.p[i] != ' ' && f.p[i] != '\t' && f.p[i] != '\r' && f.p[i] != '\n')
            return 0;
    return 1;
}

/* A short, safe echo of a bad value for the detail: cut, printable. */
static const char *echo(mc_field f, char *buf, size_t cap)
{
    size_t n = f.len < 40 ? f.len : 40, o = 0;
    for (size_t i = 0; i < n && o + 5 < cap; i++) {
        unsigned char c = (unsigned char)f.p[i];
        if (c < 0x20 || c == 0x7f)
            o += (size_t)snprintf(buf + o, cap - o, "\\x%02x", c);
        else
            buf[o++] = (char)c;
    }
    buf[o] = '\0';
    return buf;
}

/* The row's first field in file order that is not valid UTF-8 (from field
 * `from` on), reported as the row's fault. */
static int bad_utf8(const mc_colmap *map, const mc_field *cells, size_t n, size_t from,
                    mc_row_fault *f)
{
    size_t i = from;
    while (i < n && mc_utf8_valid(cells[i].p, cells[i].len))
        i++;
    if (i == n)
        i = from; /* the caller saw it; cannot happen */
    f->reason = MC_REASON_BAD_UTF8;
    f->col = i < map->nfields ? map->col_of_field[i] : -1;
    const char *name = i < map->nfields ? header_name(map, i) : "";
    const char *end = strchr(name, '\x1f');
    snprintf(f->detail, sizeof f->detail, "field %zu ('%.*s') is not valid UTF-8%s", i + 1,
             (int)(end ? end - name : 0), name,
             i < n && memchr(cells[i].p, 0, cells[i].len) ? " (NUL byte)" : "");
    return (int)f->reason;
}

/* What each canonical column is, for the checks in column order.  A column
 * left out here (K_NONE, such as field_code, recognized but not stored) is
 * only checked for UTF-8 like any other field. */
enum kind { K_NONE, K_CASE_ID, K_TEXT, K_CHANNEL, K_LEVEL, K_STATUS, K_DATE, K_FLAG };
static const unsigned char col_kind[MC_COL_COUNT] = {
    [MC_COL_CASE_ID] = K_CASE_ID,       [MC_COL_ALT_CASE_ID] = K_TEXT,
    [MC_COL_UNIT_CODE] = K_TEXT,        [MC_COL_UNIT_NAME] = K_TEXT,
    [MC_COL_PROCEDURE_CODE] = K_TEXT,   [MC_COL_PROCEDURE_NAME] = K_TEXT,
    [MC_COL_FIELD_NAME] = K_TEXT,       [MC_COL_CHANNEL] = K_CHANNEL,
    [MC_COL_SERVICE_LEVEL] = K_LEVEL,   [MC_COL_STATUS] = K_STATUS,
    [MC_COL_RECEIVED_AT] = K_DATE,      [MC_COL_DUE_AT] = K_DATE,
    [MC_COL_NEW_DUE_AT] = K_DATE,       [MC_COL_FINISHED_AT] = K_DATE,
    [MC_COL_RETURNED_AT] = K_DATE,      [MC_COL_APOLOGY] = K_FLAG,
    [MC_COL_APOLOGY_AT] = K_DATE,       [MC_COL_HAS_FEE] = K_FLAG,
    [MC_COL_PAID_ONLINE] = K_FLAG,      [MC_COL_DIGITIZED] = K_FLAG,
    [MC_COL_E_RESULT] = K_FLAG,         [MC_COL_UPDATED_AT] = K_DATE,
};

/* Where each column's value goes in the record. */
static const char **text_of(mc_record *rec, int col)
{
    switch (col) {
    case MC_COL_ALT_CASE_ID: return &rec->alt_case_id;
    case MC_COL_UNIT_CODE: return &rec->unit_code;
    case MC_COL_UNIT_NAME: return &rec->unit_name;
    case MC_COL_PROCEDURE_CODE: return &rec->procedure_code;
    case MC_COL_PROCEDURE_NAME: return &rec->procedure_name;
    default: return &rec->field_name;
    }
}

static mc_date *date_of(mc_record *rec, int col)
{
    switch (col) {
    case MC_COL_RECEIVED_AT: return &rec->received_at;
    case MC_COL_DUE_AT: return &rec->due_at;
    case MC_COL_NEW_DUE_AT: return &rec->new_due_at;
    case MC_COL_FINISHED_AT: return &rec->finished_at;
    case MC_COL_RETURNED_AT: return &rec->returned_at;
    case MC_COL_APOLOGY_AT: return &rec->apology_at;
    default: return &rec->updated_at;
    }
}

static signed char *flag_of(mc_record *rec, int col)
{
    switch (col) {
    case MC_COL_APOLOGY: return &rec->apology;
    case MC_COL_HAS_FEE: return &rec->has_fee;
    case MC_COL_PAID_ONLINE: return &rec->paid_online;
    case MC_COL_DIGITIZED: return &rec->digitized;
    default: return &rec->e_result;
    }
}

int mc_normalize_row(const mc_colmap *map, const mc_field *cells, size_t n,
                     mc_record *rec, char *arena, size_t arena_cap, mc_row_fault *f)
{
    char eb[200];
    memset(rec, 0, sizeof *rec);
    f->reason = MC_REASON_NONE;
    f->col = -1;
    f->detail[0] = '\0';

    if (n != map->nfields) {
        for (size_t i = 0; i < n; i++)
            if (!mc_utf8_valid(cells[i].p, cells[i].len))
                return bad_utf8(map, cells, n, i, f);
        f->reason = MC_REASON_BAD_FIELD_COUNT;
        snprintf(f->detail, sizeof f->detail, "%zu fields, the header has %zu", n, map->nfields);
        return (int)f->reason;
    }

    /* The one pass over the fields, in file order: a text column is
     * normalized into the arena (which checks its bytes), any other field
     * only checked.  text_len[c]: the normalized length, or -1 when the
     * arena was too small (row_too_large, judged at its column's turn). */
    long text_len[MC_COL_COUNT];
    const char *text_at[MC_COL_COUNT];
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        int c = map->col_of_field[i];
        if (c >= 0 && col_kind[c] == K_TEXT) {
            text_at[c] = arena + used;
            text_len[c] = cells[i].len ? mc_text_norm(cells[i].p, cells[i].len, arena + used,
                                                      arena_cap - used) : 0;
            if (text_len[c] == MC_TEXT_BAD_UTF8)
                return bad_utf8(map, cells, n, i, f);
            if (text_len[c] > 0)
                used += (size_t)text_len[c] + 1;
        } else if (!mc_utf8_valid(cells[i].p, cells[i].len)) {
            return bad_utf8(map, cells, n, i, f);
        }
    }

    /* The columns, in column order. */
    int code;
    for (int c = 0; c < MC_COL_COUNT; c++) {
        mc_field v = cell(map, cells, c);
        switch ((enum kind)col_kind[c]) {
        case K_NONE:
            break;
        case K_CASE_ID: {
            long len = mc_case_id_norm(v.p, v.len, arena + used, arena_cap - used);
            if (len < 0)
                return fail(f, MC_REASON_ROW_TOO_LARGE, c, "case_id too long%s", NULL);
            if (len == 0)
                return fail(f, MC_REASON_MISSING_CASE_ID, c, "case_id is empty%s", NULL);
            rec->case_id = arena + used;
            used += (size_t)len + 1;
            break;
        }
        case K_TEXT:
            if (map->field_of_col[c] < 0)
                break;
            if (text_len[c] < 0)
                return fail(f, MC_REASON_ROW_TOO_LARGE, c, "value too long%s", NULL);
            *text_of(rec, c) = text_len[c] > 0 ? text_at[c] : NULL;
            break;
        case K_CHANNEL:
            if (mc_channel_parse(v.p, v.len, &code) != 0)
                return fail(f, MC_REASON_BAD_VALUE, c, "unknown channel '%s'", echo(v, eb, sizeof eb));
            rec->channel = code;
            break;
        case K_LEVEL:
            if (mc_level_parse(v.p, v.len, &code) != 0)
                return fail(f, MC_REASON_BAD_VALUE, c, "unknown service level '%s'",
                            echo(v, eb, sizeof eb));
            rec->service_level = code;
            break;
        case K_STATUS:
            if (blank(v))
                return fail(f, MC_REASON_BAD_STATUS, c, "status is empty%s", NULL);
            if (mc_status_parse(v.p, v.len, &code) != 0)
                return fail(f, MC_REASON_BAD_STATUS, c, "unknown status '%s'", echo(v, eb, sizeof eb));
            rec->status = code;
            break;
        case K_DATE: {
            mc_date *d = date_of(rec, c);
            *d = MC_DATE_NONE;
            if (blank(v)) {
                if (c == MC_COL_RECEIVED_AT)
                    return fail(f, MC_REASON_BAD_DATE, c, "received_at is empty%s", NULL);
                break;
            }
            if (mc_date_parse(v.p, v.len, d) != 0) {
                char what[120];
                snprintf(what, sizeof what, "%s '%s' is not a date", mc_col_name(c),
                         echo(v, eb, sizeof eb));
                return fail(f, MC_REASON_BAD_DATE, c, "%s", what);
            }
            break;
        }
        case K_FLAG: {
            signed char *flag = flag_of(rec, c);
            if (map->field_of_col[c] < 0) {
                *flag = MC_FLAG_ABSENT;
                break;
            }
            int yes;
            int rc = c == MC_COL_PAID_ONLINE ? mc_paid_online_parse(v.p, v.len, &yes)
                                             : mc_bool_parse(v.p, v.len, &yes);
            if (rc != 0) {
                char what[120];
                snprintf(what, sizeof what, "%s '%s' is not yes/no", mc_col_name(c),
                         echo(v, eb, sizeof eb));
                return fail(f, MC_REASON_BAD_VALUE, c, "%s", what);
            }
            *flag = yes ? MC_FLAG_YES : MC_FLAG_NO;
            break;
        }
        }
    }

    if (!rec->unit_code && !rec->unit_name)
        return fail(f, MC_REASON_MISSING_UNIT, map->field_of_col[MC_COL_UNIT_CODE] >= 0
                                                   ? MC_COL_UNIT_CODE : MC_COL_UNIT_NAME,
                    "neither unit_code nor unit_name%s", NULL);

    if (mc_date_before(rec->finished_at, rec->received_at))
        return fail(f, MC_REASON_FINISH_BEFORE_RECEIPT, MC_COL_FINISHED_AT,
                    "finished_at is earlier than received_at%s", NULL);
    if (mc_date_before(rec->returned_at, rec->received_at))
        return fail(f, MC_REASON_FINISH_BEFORE_RECEIPT, MC_COL_RETURNED_AT,
                    "returned_at is earlier than received_at%s", NULL);
    if (mc_date_before(rec->due_at, rec->received_at))
        return fail(f, MC_REASON_DUE_BEFORE_RECEIPT, MC_COL_DUE_AT,
                    "due_at is earlier than received_at%s", NULL);
    if (rec->status >= MC_STATUS_FIRST_FINISHED && rec->finished_at == MC_DATE_NONE && rec->returned_at == MC_DATE_NONE)
        return fail(f, MC_REASON_MISSING_FINISH_DATE, MC_COL_FINISHED_AT,
                    "a finished status with neither finished_at nor returned_at%s", NULL);
    return 0;
}

char *mc_row_masked(const mc_colmap *map, const mc_field *cells, size_t n)
{
    if (n != map->nfields)
        return strdup(""); /* cells do not line up with the header: keep none */
    size_t cap = 64;
    for (size_t i = 0; i < n; i++)
        cap += 24 + 4 * (cells[i].len < 200 ? cells[i].len : 200);
    char *out = malloc(cap);
    if (!out)
        return NULL;
    size_t o = 0;
    out[0] = '\0';
    for (int c = 0; c < MC_COL_COUNT; c++) {
        int i = map->field_of_col[c];
        if (i < 0 || cells[i].len == 0)
            continue;
        o += (size_t)snprintf(out + o, cap - o, "%s%s=", o ? "\t" : "", mc_col_name(c));
        size_t len = cells[i].len < 200 ? cells[i].len : 200;
        const unsigned char *p = (const unsigned char *)cells[i].p;
        int valid = mc_utf8_valid(cells[i].p, cells[i].len);
        while (valid && len < cells[i].len && len > 0 && (p[len] & 0xC0) == 0x80)
            len--; /* never cut a character in two */
        for (size_t k = 0; k < len; k++) {
            if (p[k] < 0x20 || p[k] == 0x7f || (p[k] >= 0x80 && !valid))
                o += (size_t)snprintf(out + o, cap - o, "\\x%02x", p[k]);
            else
                out[o++] = (char)p[k];
        }
        out[o] = '\0';
    }
    return out;
}
