/*
 * ingest.c -- one export into the store; see ingest.h.
 */
#include "etl/ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "etl/hash.h"
#include "etl/reader.h"
#include "transforms/normalize.h"

typedef struct load_ctx {
    mc_store *store;
    const char *name;
    mc_colmap map;
    int have_map;
    mc_file_counts counts;
    char *arena;
    size_t arena_cap;
    const mc_ingest_opts *opts;
} load_ctx;

static int quarantine(load_ctx *c, long line, mc_reason reason, int col, const char *detail,
                      const char *fields, mc_error *err)
{
    c->counts.quarantined++;
    const char *column = col >= 0 ? mc_col_name((mc_col)col) : "";
    return mc_store_reject(c->store, line, mc_reason_name(reason), column, detail,
                           fields ? fields : "", err);
}

static int on_header(void *ctx, long line, const mc_field *f, size_t n, mc_error *err)
{
    load_ctx *c = ctx;
    (void)line;
    int st = mc_colmap_build(&c->map, c->name, f, n, err);
    if (st)
        return st;
    c->have_map = 1;
    return 0;
}

static int on_row(void *ctx, long line, const mc_field *f, size_t n, mc_error *err)
{
    load_ctx *c = ctx;
    c->counts.rows_read++;
    if (mc_colmap_is_header(&c->map, f, n))
        return quarantine(c, line, MC_REASON_REPEATED_HEADER, -1,
                          "the header line again in the middle of the file", "", err);
    size_t bytes = 64;
    for (size_t i = 0; i < n; i++)
        bytes += f[i].len + 1;
    size_t need = 3 * bytes + 64;
    if (need > c->arena_cap) {
        char *a = realloc(c->arena, need);
        if (!a)
            return mc_error_set(err, MC_EXIT_SOFTWARE, "%s:%ld: out of memory", c->name, line);
        c->arena = a;
        c->arena_cap = need;
    }
    mc_record rec;
    mc_row_fault fault;
    if (mc_normalize_row(&c->map, f, n, &rec, c->arena, c->arena_cap, &fault) != 0) {
        char *masked = mc_row_masked(&c->map, f, n);
        int st = quarantine(c, line, fault.reason, fault.col, fault.detail, masked, err);
        free(masked);
        return st;
    }
    int outcome, conflict;
    int st = mc_store_add(c->store, line, &rec, &outcome, &conflict, err);
    if (st)
        return st;
    if (outcome == MC_ADD_DUPLICATE)
        c->counts.duplicate++;
    else
        c->counts.accepted++;
    c->counts.conflicts += conflict;
    return 0;
}

static int on_bad_row(void *ctx, long line, mc_reason reason, const char *detail, mc_error *err)
{
    load_ctx *c = ctx;
    c->counts.rows_read++;
    return quarantine(c, line, reason, -1, detail, "", err);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

int mc_ingest_file(mc_store *s, const char *path, const mc_ingest_opts *opts,
                   mc_ingest_result *res, mc_error *err)
{
    memset(res, 0, sizeof *res);
    snprintf(res->name, sizeof res->name, "%s", base_name(path));
    int st = mc_sha256_file(path, res->sha256, &res->size, err);
    if (st)
        return st;
    int found = mc_store_file_loaded(s, res->sha256, res->loaded_as, sizeof res->loaded_as,
                                     NULL, 0, err);
    if (found < 0 || found > 1)
        return found;
    if (found == 1) {
        res->already_loaded = 1;
        return 0;
    }

    st = mc_store_file_begin(s, res->name, res->sha256, res->size, err);
    if (st)
        return st;
    load_ctx c = {.store = s, .name = path, .opts = opts};
    mc_reader_opts ro = {.chunk_size = opts ? opts->chunk_size : 0};
    mc_reader_cb cb = {.on_header = on_header, .on_row = on_row, .on_bad_row = on_bad_row};
    mc_reader_info info;
    memset(&info, 0, sizeof info);
    st = mc_read_file(path, &ro, &cb, &c, &info, err);
    if (!st && !c.have_map)
        st = mc_error_set(err, MC_EXIT_DATA, "%s: no header line", path);
    if (!st) {
        snprintf(res->unknown, sizeof res->unknown, "%s", c.map.unknown);
        st = mc_store_file_commit(s, &c.counts, c.map.unknown, err);
    } else {
        mc_store_file_rollback(s);
    }
    res->counts = c.counts;
    res->personal_columns = c.map.n_personal;
    res->gzip = info.gzip;
    res->delimiter = info.delimiter;
    if (c.have_map)
        mc_colmap_free(&c.map);
    free(c.arena);
    return st;
}
