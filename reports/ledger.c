/*
 * ledger.c -- the files and rejects tables; see ledger.h.
 */
#include "reports/ledger.h"

#include <stdlib.h>
#include <string.h>

#include "transforms/text.h"

#define LEDGER_MAX_COLS 12

static void csv_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

/* SPEC 7's columns, then SPEC 10.4's at the end */
static const char *const files_sql =
    "SELECT name, sha256, rows_read, accepted, duplicate, quarantined, conflicts, loaded_at,"
    " format, sheet, header_line, trailer_rows FROM files ORDER BY id";
static const char *const files_head[] = {"file", "sha256", "rows_read", "accepted",
                                         "duplicate", "quarantined", "conflicts", "loaded_at",
                                         "format", "sheet", "header_line", "trailer_rows"};
static const char *const rejects_sql =
    "SELECT f.name, r.line, r.reason, r.col, r.detail FROM rejects r JOIN files f"
    " ON f.id = r.file_id ORDER BY r.file_id, r.line, r.id";
static const char *const rejects_head[] = {"file", "line", "reason", "column", "detail"};

/* Text tables are small (one row per file or reject) and read into memory
 * to size the columns; CSV streams. */
typedef struct text_table {
    char **cells;
    size_t rows, cols, cap;
} text_table;

static int table_reserve(text_table *t, size_t used)
{
    if (used + 1 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        char **c = realloc(t->cells, cap * sizeof *c);
        if (!c)
            return -1;
        t->cells = c;
        t->cap = cap;
    }
    return 0;
}

int mc_ledger_write(FILE *out, mc_store *s, mc_ledger_table which, int as_csv, mc_error *err)
{
    const char *sql = which == MC_LEDGER_FILES ? files_sql : rejects_sql;
    const char *const *head = which == MC_LEDGER_FILES ? files_head : rejects_head;
    size_t cols = which == MC_LEDGER_FILES ? sizeof files_head / sizeof *files_head
                                           : sizeof rejects_head / sizeof *rejects_head;
    _Static_assert(sizeof files_head / sizeof *files_head <= LEDGER_MAX_COLS, "widths");
    sqlite3_stmt *q;
    int rc = sqlite3_prepare_v2(mc_store_db(s), sql, -1, &q, NULL);
    if (rc != SQLITE_OK)
        return mc_store_fail(s, rc, "reading the ledger", err);

    text_table t = {.cols = cols};
    size_t n = 0;
    if (as_csv) {
        for (size_t i = 0; i < cols; i++)
            fprintf(out, "%s%s", i ? "," : "", head[i]);
        fputc('\n', out);
    } else {
        for (size_t i = 0; i < cols; i++) {
            if (table_reserve(&t, n) != 0)
                goto nomem;
            t.cells[n++] = strdup(head[i]);
        }
        t.rows = 1;
    }
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        for (size_t i = 0; i < cols; i++) {
            const char *v = (const char *)sqlite3_column_text(q, (int)i);
            if (!v)
                v = "";
            if (as_csv) {
                if (i)
                    fputc(',', out);
                csv_field(out, v);
            } else {
                if (table_reserve(&t, n) != 0)
                    goto nomem;
                t.cells[n++] = strdup(v);
            }
        }
        if (as_csv)
            fputc('\n', out);
        else
            t.rows++;
    }
    sqlite3_finalize(q);
    q = NULL;
    if (rc != SQLITE_DONE)
        return mc_store_fail(s, rc, "reading the ledger", err);
    if (!as_csv) {
        size_t width[LEDGER_MAX_COLS] = {0};
        for (size_t r = 0; r < t.rows; r++)
            for (size_t c = 0; c < cols; c++) {
                size_t w = t.cells[r * cols + c] ? mc_text_width(t.cells[r * cols + c]) : 0;
                if (w > width[c])
                    width[c] = w;
            }
        for (size_t r = 0; r < t.rows; r++) {
            for (size_t c = 0; c < cols; c++) {
                const char *v = t.cells[r * cols + c] ? t.cells[r * cols + c] : "";
                size_t pad = width[c] - mc_text_width(v);
                fputs(v, out);
                if (c + 1 < cols)
                    fprintf(out, "%*s  ", (int)pad, "");
            }
            fputc('\n', out);
        }
        for (size_t i = 0; i < n; i++)
            free(t.cells[i]);
        free(t.cells);
    }
    if (ferror(out))
        return mc_error_set(err, MC_EXIT_IO, "cannot write the table");
    return 0;
nomem:
    sqlite3_finalize(q);
    for (size_t i = 0; i < n; i++)
        free(t.cells[i]);
    free(t.cells);
    return mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory");
}
