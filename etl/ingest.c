/*
 * ingest.c -- one export into the store; see ingest.h.
 *
 * A large file is loaded by two threads (issue 5): about half the work is
 * reading, parsing and normalizing, the other half is SQLite, and the two
 * halves only meet in the order of the rows.  So a reading thread runs the
 * reader and everything up to the store (the frame of etl/frame.h: title
 * block, header rows, signature block, repeated headers; mc_normalize_row,
 * masking of bad rows), and the calling thread hands the finished rows to
 * the store in file order, which stages them and applies them in sorted
 * runs (mc_store_stage), and keeps the counts.  The store (one SQLite
 * connection) is only ever used from the calling thread, so it needs no
 * locking of its own.
 *
 * The rows' fingerprints (the store decides duplicates by them) are
 * computed by whichever side has time for them, a batch at a time: the
 * reading thread fingerprints each batch it seals, unless the store thread
 * is waiting for one at that moment (then the store has the time, and gets
 * the batch at once); the store thread fingerprints the batches that come
 * unfingerprinted.  Which side is the busier depends on the export (plain or
 * gzip), the machine and the store; the fingerprint is the same wherever it
 * is computed (issue 15, BENCH.md).
 *
 * Rows travel in batches.  A batch holds items -- a normalized record, or a
 * quarantine entry -- plus an arena with the items' text, because the
 * reader's fields and the normalizer's scratch are reused for the next row.
 * At most MAX_BATCHES exist at a time and the reader waits for a free one,
 * so memory stays flat whatever the size of the file.
 *
 * Small files, and any file when no thread can be started, take the same
 * path on the calling thread alone: a batch is applied as soon as it is
 * full.  Either way the store sees the same calls in the same order with
 * the same values, so every result is the same as with one thread.
 *
 * For a file whose size no ledger row has (so it cannot be one loaded
 * before), the reading side also digests its raw bytes as the reader takes
 * them, so the file is read once.  A file of a size seen before is
 * digested first and skipped when the ledger has its digest.
 *
 * Failures: when the store fails, the calling thread raises a stop flag that
 * the reader's callbacks check, so the read ends at the next row and the
 * store's error is returned; when the read fails, the batches not yet
 * applied are dropped.  Either way the file's transaction is rolled back,
 * the reading thread is joined and every batch is freed before returning.
 */
#include "etl/ingest.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/fs.h"
#include "base/hash.h"
#include "etl/fingerprint.h"
#include "etl/frame.h"
#include "etl/reader.h"
#include "transforms/normalize.h"

/* Batches in existence at once: one filling, one being applied, one ready
 * in between so that neither side waits for the other's hand-over. */
#define MAX_BATCHES 3
/* Rows per batch.  The first batches are small so that the store starts
 * working early; later ones are large enough that hand-overs (a lock and a
 * wake-up each) cost nothing next to the rows, and no larger: three
 * batches of 4096 rows held 4.6 MB more than of 1024, memory the store's
 * page cache uses better. */
#define BATCH_ROWS_FIRST 128
#define BATCH_ROWS_MAX 1024
/* A batch is handed over once its text passes this, whatever its rows. */
#define BATCH_TEXT_MAX ((size_t)4 << 20)
#define ARENA_FIRST ((size_t)64 << 10)
/* Below this file size there is too little work to share: a thread would
 * only add its start-up to the load. */
#define THREAD_MIN_FILE ((uint64_t)64 << 10)

enum { ITEM_ADD, ITEM_REJECT };

/* The text members of mc_record, copied into the batch arena. */
#define N_TEXT 7
static const size_t record_text[N_TEXT] = {
    offsetof(mc_record, case_id),        offsetof(mc_record, alt_case_id),
    offsetof(mc_record, unit_code),      offsetof(mc_record, unit_name),
    offsetof(mc_record, procedure_code), offsetof(mc_record, procedure_name),
    offsetof(mc_record, field_name),
};

typedef struct item {
    long line;                  /* physical line, as the store records it */
    int kind;                   /* ITEM_ADD or ITEM_REJECT */
    /* While the batch fills, the arena may move, so texts are kept as
     * arena offset + 1 (0: NULL); the pointers are set when it is sealed. */
    size_t text[N_TEXT];
    union {
        struct {
            mc_record rec;
            unsigned char fp[MC_FP_LEN]; /* when the batch is fingerprinted */
        };                      /* ITEM_ADD */
        struct {
            mc_reason reason;
            int col;            /* mc_col, or -1 */
            const char *detail; /* text[0] */
            const char *fields; /* text[1]: masked copy, or NULL for "" */
        } rej;                  /* ITEM_REJECT */
    };
} item;

typedef struct batch {
    item *items;
    size_t n, cap;
    size_t limit;               /* rows at which it is handed over */
    char *arena;
    size_t used, arena_cap;
    uint64_t bytes_done;        /* the reader's position when sealed */
    int fingerprinted;          /* every ITEM_ADD's fp is set */
    struct batch *next;         /* in the queue or the free list */
} batch;

typedef struct pipeline {
    /* Reading side: the reading thread's alone while it runs. */
    const char *path;
    mc_reader_opts ro;
    mc_frame *frame;            /* title block, header, trailer; the column map */
    char *scratch;              /* mc_normalize_row's arena, reused per row */
    mc_sha256 *digest;          /* of the file's raw bytes, as they are read */
    mc_fingerprinter *rfpr;     /* fingerprints batches on the reading side */
    uint64_t digested;
    size_t scratch_cap;
    batch *cur;                 /* the batch being filled */
    size_t next_limit;
    mc_reader_info info;
    int read_st;
    mc_error read_err;          /* never the caller's: the store may be writing that */

    /* Writing side: the calling thread's alone. */
    mc_store *store;
    const mc_ingest_opts *opts;
    uint64_t size;
    mc_fingerprinter *fpr;      /* fingerprints the other batches, writing side */
    mc_file_counts counts;
    mc_add_totals added;        /* the store's account of the rows staged */
    int write_st;
    mc_error *err;

    /* Shared: under lock when threaded (which is set before the reading
     * thread starts and never changes while it runs). */
    int threaded;
    pthread_mutex_t lock;
    pthread_cond_t filled;      /* a batch was queued, or the reader is done */
    pthread_cond_t freed;       /* a batch was freed, or stop was raised */
    batch *queue_head, *queue_tail; /* sealed, in file order */
    batch *free_list;
    batch *all[MAX_BATCHES];    /* every batch made, to free them all at the end */
    int n_all;
    int reader_done;
    int writer_waiting;         /* the writer waits for a batch */
    atomic_int stop;            /* the store failed: read no further */
} pipeline;

/* ---- reading side --------------------------------------------------------- */

static int stopped(pipeline *p, mc_error *err)
{
    /* Only seen when the store failed: its error is the one returned. */
    return mc_error_set(err, MC_EXIT_SOFTWARE, "%s: reading stopped after a store failure",
                        p->path);
}

static int no_memory(pipeline *p, long line, mc_error *err)
{
    return mc_error_set(err, MC_EXIT_SOFTWARE, "%s:%ld: out of memory", p->path, line);
}

/* Make p->cur a batch to fill: a free one, a new one while fewer than
 * MAX_BATCHES exist, or else wait for the writer to free one. */
static int acquire(pipeline *p, long line, mc_error *err)
{
    if (p->cur)
        return 0;
    batch *b = NULL;
    int st = 0;
    if (p->threaded)
        pthread_mutex_lock(&p->lock);
    for (;;) {
        if (atomic_load(&p->stop)) {
            st = stopped(p, err);
            break;
        }
        if (p->free_list) {
            b = p->free_list;
            p->free_list = b->next;
            break;
        }
        /* Alone, the one batch is applied and freed at once: never waits. */
        if (p->n_all < MAX_BATCHES || !p->threaded) {
            if (p->n_all < MAX_BATCHES && (b = calloc(1, sizeof *b)))
                p->all[p->n_all++] = b;
            else
                st = no_memory(p, line, err);
            break;
        }
        pthread_cond_wait(&p->freed, &p->lock);
    }
    if (p->threaded)
        pthread_mutex_unlock(&p->lock);
    if (st)
        return st;
    b->n = 0;
    b->used = 0;
    b->next = NULL;
    b->limit = p->next_limit;
    if (p->next_limit < BATCH_ROWS_MAX)
        p->next_limit *= 2;
    p->cur = b;
    return 0;
}

static int apply(pipeline *p, const batch *b);

static void release(pipeline *p, batch *b)
{
    b->next = p->free_list;
    p->free_list = b;
}

/* A sealed batch the reading thread gives up on (no memory): back to the
 * free list, under the lock the writer takes it with. */
static void release_unqueued(pipeline *p, batch *b)
{
    pthread_mutex_lock(&p->lock);
    release(p, b);
    pthread_mutex_unlock(&p->lock);
}

/* Seal the current batch (its texts become pointers, valid until it is
 * refilled) and give it to the writer -- or, alone, apply it now. */
static int hand_over(pipeline *p, mc_error *err)
{
    batch *b = p->cur;
    p->cur = NULL;
    for (size_t i = 0; i < b->n; i++) {
        item *it = &b->items[i];
        if (it->kind == ITEM_ADD) {
            for (int k = 0; k < N_TEXT; k++)
                *(const char **)((char *)&it->rec + record_text[k]) =
                    it->text[k] ? b->arena + it->text[k] - 1 : NULL;
        } else {
            it->rej.detail = it->text[0] ? b->arena + it->text[0] - 1 : NULL;
            it->rej.fields = it->text[1] ? b->arena + it->text[1] - 1 : NULL;
        }
    }
    b->bytes_done = p->info.bytes_raw;
    b->fingerprinted = 0;
    if (!p->threaded) {
        int st = apply(p, b);
        release(p, b);
        return st ? stopped(p, err) : 0;
    }
    pthread_mutex_lock(&p->lock);
    int store_idle = p->writer_waiting;
    pthread_mutex_unlock(&p->lock);
    if (!store_idle) {
        for (size_t i = 0; i < b->n; i++) {
            item *it = &b->items[i];
            if (it->kind == ITEM_ADD && mc_fingerprint(p->rfpr, &it->rec, it->fp) != 0) {
                release_unqueued(p, b);
                return no_memory(p, it->line, err);
            }
        }
        b->fingerprinted = 1;
    }
    pthread_mutex_lock(&p->lock);
    if (p->queue_tail)
        p->queue_tail->next = b;
    else
        p->queue_head = b;
    p->queue_tail = b;
    pthread_cond_signal(&p->filled);
    pthread_mutex_unlock(&p->lock);
    return 0;
}

/* Append one item, copying its texts into the batch arena. */
static int push(pipeline *p, long line, const item *proto, const char *const *texts, int nt,
                mc_error *err)
{
    int st = acquire(p, line, err);
    if (st)
        return st;
    batch *b = p->cur;
    size_t len[N_TEXT], need = 0;
    for (int k = 0; k < nt; k++) {
        len[k] = texts[k] ? strlen(texts[k]) + 1 : 0;
        need += len[k];
    }
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 64;
        if (cap > BATCH_ROWS_MAX)
            cap = BATCH_ROWS_MAX;
        item *items = realloc(b->items, cap * sizeof *items);
        if (!items)
            return no_memory(p, line, err);
        b->items = items;
        b->cap = cap;
    }
    if (need > b->arena_cap - b->used) {
        /* Nothing points into the arena before the seal: it may move. */
        size_t cap = b->arena_cap ? b->arena_cap : ARENA_FIRST;
        while (need > cap - b->used)
            cap *= 2;
        char *a = realloc(b->arena, cap);
        if (!a)
            return no_memory(p, line, err);
        b->arena = a;
        b->arena_cap = cap;
    }
    item *it = &b->items[b->n++];
    *it = *proto;
    it->line = line;
    for (int k = 0; k < N_TEXT; k++) {
        it->text[k] = 0;
        if (k < nt && texts[k]) {
            memcpy(b->arena + b->used, texts[k], len[k]);
            it->text[k] = b->used + 1;
            b->used += len[k];
        }
    }
    if (b->n >= b->limit || b->used >= BATCH_TEXT_MAX)
        return hand_over(p, err);
    return 0;
}

static int push_reject(pipeline *p, long line, mc_reason reason, int col, const char *detail,
                       const char *fields, mc_error *err)
{
    item proto;
    memset(&proto, 0, sizeof proto);
    proto.kind = ITEM_REJECT;
    proto.rej.reason = reason;
    proto.rej.col = col;
    const char *texts[2] = {detail, fields};
    return push(p, line, &proto, texts, 2, err);
}

static int push_record(pipeline *p, long line, const mc_record *rec, mc_error *err)
{
    item proto;
    memset(&proto, 0, sizeof proto);
    proto.kind = ITEM_ADD;
    proto.rec = *rec;
    const char *texts[N_TEXT];
    for (int k = 0; k < N_TEXT; k++)
        texts[k] = *(const char *const *)((const char *)rec + record_text[k]);
    return push(p, line, &proto, texts, N_TEXT, err);
}

/* The frame's data rows (reading thread). */
static int on_row(void *ctx, long line, const mc_field *f, size_t n, mc_error *err)
{
    pipeline *p = ctx;
    if (atomic_load_explicit(&p->stop, memory_order_relaxed))
        return stopped(p, err);
    const mc_colmap *map = mc_frame_map(p->frame);
    size_t bytes = 64;
    for (size_t i = 0; i < n; i++)
        bytes += f[i].len + 1;
    size_t need = 3 * bytes + 64;
    if (need > p->scratch_cap) {
        char *a = realloc(p->scratch, need);
        if (!a)
            return no_memory(p, line, err);
        p->scratch = a;
        p->scratch_cap = need;
    }
    mc_record rec;
    mc_row_fault fault;
    if (mc_normalize_row(map, f, n, &rec, p->scratch, p->scratch_cap, &fault) != 0) {
        char *masked = mc_row_masked(map, f, n);
        int st = push_reject(p, line, fault.reason, fault.col, fault.detail, masked, err);
        free(masked);
        return st;
    }
    return push_record(p, line, &rec, err);
}

/* The frame's quarantined rows: the reader's, repeated headers, bytes that
 * did not convert (reading thread). */
static int on_reject(void *ctx, long line, mc_reason reason, int col, const char *detail,
                     const mc_field *f, size_t n, mc_error *err)
{
    pipeline *p = ctx;
    if (atomic_load_explicit(&p->stop, memory_order_relaxed))
        return stopped(p, err);
    char *masked = NULL;
    if (f && !(masked = mc_row_masked(mc_frame_map(p->frame), f, n)))
        return no_memory(p, line, err);
    int st = push_reject(p, line, reason, col, detail, masked, err);
    free(masked);
    return st;
}

/* The whole reading side: the file, then the last, partly filled batch. */
static int read_all(pipeline *p)
{
    int st = mc_read_file(p->path, &p->ro, &mc_frame_reader_cb, p->frame, &p->info,
                          &p->read_err);
    if (!st)
        st = mc_frame_finish(p->frame, &p->read_err);
    if (!st && p->cur)
        st = hand_over(p, &p->read_err);
    return st;
}

static void *reader_main(void *arg)
{
    pipeline *p = arg;
    int st = read_all(p);
    pthread_mutex_lock(&p->lock);
    p->read_st = st;
    p->reader_done = 1;
    pthread_cond_signal(&p->filled);
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

/* The reader's raw bytes into the file's digest (reading thread). */
static void digest_raw(void *ctx, const void *bytes, size_t n)
{
    pipeline *p = ctx;
    mc_sha256_update(p->digest, bytes, n);
    p->digested += n;
}

/* ---- writing side --------------------------------------------------------- */

/* Apply one sealed batch to the store, in order, counting as it goes. */
static int apply(pipeline *p, const batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        const item *it = &b->items[i];
        int st;
        p->counts.rows_read++;
        if (it->kind == ITEM_REJECT) {
            p->counts.quarantined++;
            const char *column = it->rej.col >= 0 ? mc_col_name((mc_col)it->rej.col) : "";
            st = mc_store_reject(p->store, it->line, mc_reason_name(it->rej.reason), column,
                                 it->rej.detail, it->rej.fields ? it->rej.fields : "", p->err);
        } else {
            unsigned char fp[MC_FP_LEN];
            const unsigned char *f = b->fingerprinted ? it->fp : fp;
            if (!b->fingerprinted && mc_fingerprint(p->fpr, &it->rec, fp) != 0)
                st = no_memory(p, it->line, p->err);
            else
                st = mc_store_stage(p->store, it->line, &it->rec, f, &p->added, p->err);
        }
        if (st) {
            p->write_st = st;
            return st;
        }
    }
    if (p->opts && p->opts->progress)
        p->opts->progress(p->opts->progress_ctx, b->bytes_done, p->size, p->counts.rows_read);
    return 0;
}

/* The calling thread while the reader runs: apply batches as they come
 * until the reader is done and the queue is empty.  After a failure on
 * either side the remaining batches are only freed, so that the reader,
 * possibly waiting for one, can see the stop flag or finish. */
static void drain(pipeline *p)
{
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->queue_head && !p->reader_done) {
            p->writer_waiting = 1;
            pthread_cond_wait(&p->filled, &p->lock);
            p->writer_waiting = 0;
        }
        batch *b = p->queue_head;
        if (!b)
            break;
        p->queue_head = b->next;
        if (!p->queue_head)
            p->queue_tail = NULL;
        int skip = p->write_st || (p->reader_done && p->read_st);
        pthread_mutex_unlock(&p->lock);
        if (!skip)
            apply(p, b);
        pthread_mutex_lock(&p->lock);
        if (p->write_st)
            atomic_store(&p->stop, 1);
        release(p, b);
        /* broadcast, not signal: there is one waiter, but stop must reach it
         * even if it is not waiting for this batch */
        pthread_cond_broadcast(&p->freed);
    }
    pthread_mutex_unlock(&p->lock);
}

/* Start the reading thread; 0 when it could not be (the caller then reads
 * on its own). */
static int start_reader(pipeline *p, pthread_t *tid)
{
    if (pthread_mutex_init(&p->lock, NULL) != 0)
        return 0;
    if (pthread_cond_init(&p->filled, NULL) != 0)
        goto no_filled;
    if (pthread_cond_init(&p->freed, NULL) != 0)
        goto no_freed;
    p->threaded = 1;
    if (pthread_create(tid, NULL, reader_main, p) == 0)
        return 1;
    p->threaded = 0;
    pthread_cond_destroy(&p->freed);
no_freed:
    pthread_cond_destroy(&p->filled);
no_filled:
    pthread_mutex_destroy(&p->lock);
    return 0;
}

/*
 * After a complete read of a file digested on the way: the digest and the
 * size of what was read go into its ledger row.  Returns 1 when the ledger
 * already has that digest (the file changed while it was read into one
 * loaded before; res->loaded_as set), 0 when done, or an MC_EXIT_* status.
 */
static int identify(pipeline *p, mc_store *s, mc_ingest_result *res, mc_error *err)
{
    res->size = p->digested;
    if (mc_sha256_final(p->digest, res->sha256) != 0)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "%s: SHA-256 failed", p->path);
    int found = mc_store_file_loaded(s, res->sha256, res->loaded_as, sizeof res->loaded_as,
                                     NULL, 0, err);
    if (found != 0)
        return found;
    return mc_store_file_identify(s, res->sha256, res->size, err);
}

int mc_ingest_file(mc_store *s, const char *path, const mc_ingest_opts *opts,
                   mc_ingest_result *res, mc_error *err)
{
    memset(res, 0, sizeof *res);
    snprintf(res->name, sizeof res->name, "%s", mc_fs_basename(path));
    struct stat sb;
    if (stat(path, &sb) != 0)
        return mc_error_set(err, MC_EXIT_IO, "%s: cannot open: %s", path, strerror(errno));
    res->size = (uint64_t)sb.st_size;
    /* A file loaded before has the same size as a ledger row: only then is
     * it digested first, to be skipped before any work.  Any other file is
     * digested as the reader reads it, so it is read once, not twice. */
    int st, digest_first = mc_store_file_size_seen(s, res->size, err);
    if (digest_first < 0 || digest_first > 1)
        return digest_first;
    if (digest_first) {
        if ((st = mc_sha256_file(path, res->sha256, &res->size, err)))
            return st;
        int found = mc_store_file_loaded(s, res->sha256, res->loaded_as, sizeof res->loaded_as,
                                         NULL, 0, err);
        if (found != 0) {
            res->already_loaded = found == 1;
            return found == 1 ? 0 : found;
        }
    }
    st = mc_store_file_begin(s, res->name, digest_first ? res->sha256 : "loading", res->size,
                             err);
    if (st)
        return st;
    /* Shared with the reading thread, which is joined before this returns. */
    pipeline p;
    memset(&p, 0, sizeof p);
    p.path = path;
    p.ro.chunk_size = opts ? opts->chunk_size : 0;
    p.ro.encoding = opts ? opts->encoding : MC_READER_UTF8;
    p.next_limit = BATCH_ROWS_FIRST;
    p.store = s;
    p.opts = opts;
    p.size = res->size;
    p.err = err;
    atomic_init(&p.stop, 0);
    if (!digest_first) {
        p.ro.on_raw = digest_raw;
        p.ro.raw_ctx = &p;
    }
    static const mc_frame_sink sink = {.on_row = on_row, .on_reject = on_reject};
    if (!(p.fpr = mc_fingerprinter_new(mc_store_fp_secret(s))) ||
        !(p.rfpr = mc_fingerprinter_new(mc_store_fp_secret(s))) ||
        (!digest_first && !(p.digest = mc_sha256_new())) ||
        !(p.frame = mc_frame_new(path, &p.info, &sink, &p))) {
        mc_fingerprinter_free(p.fpr);
        mc_fingerprinter_free(p.rfpr);
        mc_sha256_free(p.digest);
        mc_store_file_rollback(s);
        return mc_error_set(err, MC_EXIT_SOFTWARE, "%s: cannot start the fingerprints or "
                            "SHA-256 (out of memory?)", path);
    }

    pthread_t tid;
    if (res->size >= THREAD_MIN_FILE && start_reader(&p, &tid)) {
        drain(&p);
        pthread_join(tid, NULL);
        pthread_cond_destroy(&p.freed);
        pthread_cond_destroy(&p.filled);
        pthread_mutex_destroy(&p.lock);
    } else {
        p.read_st = read_all(&p);
    }

    /* The store's error first: a read stopped because of it says nothing. */
    st = p.write_st;
    if (!st && p.read_st) {
        st = p.read_st;
        if (err)
            *err = p.read_err;
    }
    int found = 0;
    if (!st && !digest_first && (st = identify(&p, s, res, err)) == 1) {
        found = 1;
        st = 0;
    }
    if (!st && !found) {
        st = mc_store_flush(s, &p.added, err);
        p.counts.accepted = p.added.accepted;
        p.counts.duplicate = p.added.duplicate;
        p.counts.conflicts = p.added.conflicts;
    }
    const mc_colmap *map = mc_frame_map(p.frame);
    const mc_frame_stats *fs = mc_frame_stats_of(p.frame);
    /* what the ledger says of the file's shape (SPEC 10.4) */
    snprintf(res->format, sizeof res->format, "%s", p.info.format);
    snprintf(res->sheet, sizeof res->sheet, "%s", p.info.sheet);
    res->header_line = fs->header_line;
    res->trailer_rows = fs->trailer_rows;
    if (!st && !found) {
        snprintf(res->unknown, sizeof res->unknown, "%s", map->unknown);
        mc_file_meta meta = {.unknown_columns = map->unknown, .format = res->format,
                             .sheet = res->sheet, .header_line = res->header_line,
                             .trailer_rows = res->trailer_rows};
        st = mc_store_file_commit(s, &p.counts, &meta, err);
    } else {
        mc_store_file_rollback(s);
    }
    res->already_loaded = found;
    if (!found)
        res->counts = p.counts;
    res->personal_columns = map ? map->n_personal : 0;
    res->gzip = p.info.gzip;
    res->delimiter = p.info.delimiter;
    mc_frame_free(p.frame);
    for (int i = 0; i < p.n_all; i++) {
        free(p.all[i]->items);
        free(p.all[i]->arena);
        free(p.all[i]);
    }
    free(p.scratch);
    mc_fingerprinter_free(p.fpr);
    mc_fingerprinter_free(p.rfpr);
    mc_sha256_free(p.digest);
    return st;
}
