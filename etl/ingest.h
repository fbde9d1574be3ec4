/*
 * ingest.h -- load one export into the store: read -> normalize -> validate
 * -> load, in one transaction (SPEC 1, 2 and 8).
 *
 * Every row is accounted for: it is accepted (a new case or a new version),
 * a duplicate of a stored version, or quarantined with a reason; the ledger
 * row of the file holds the counts and rows_read is their sum.
 */
#ifndef MC_INGEST_H
#define MC_INGEST_H

#include <stdint.h>

#include "base/error.h"
#include "etl/reader.h"
#include "etl/store.h"

typedef struct mc_ingest_result {
    char name[256];         /* the file's name without its folder */
    char sha256[65];
    uint64_t size;
    int already_loaded;     /* 1: skipped, the ledger had this SHA-256 */
    char loaded_as[256];    /* when already loaded: the name it had then */
    mc_file_counts counts;
    char unknown[1024];     /* unknown columns, comma-separated */
    int personal_columns;   /* personal-data columns dropped */
    int gzip;
    char delimiter;
    /* SPEC 10.4: what the ledger says of the file's shape. */
    char format[8];         /* the reader's mc_reader_info.format */
    char sheet[256];        /* the sheet read; "" for CSV */
    long header_line;       /* 1-based line or sheet row of the (last) header row */
    long trailer_rows;      /* non-blank rows of the signature block */
} mc_ingest_result;

/* Called now and then, from the calling thread, with the bytes read so far
 * and the rows counted so far (progress bars). */
typedef void (*mc_ingest_progress)(void *ctx, uint64_t bytes_done, uint64_t bytes_total,
                                   int64_t rows_done);

typedef struct mc_ingest_opts {
    size_t chunk_size;      /* 0: the reader's default */
    /* the legacy encoding a file that is not UTF-8 is converted from
     * (SPEC 10.3, --encoding); MC_READER_UTF8: such a file is refused */
    mc_reader_encoding encoding;
    mc_ingest_progress progress;
    void *progress_ctx;
} mc_ingest_opts;

/*
 * Load the export at path.  Returns 0 when the file was loaded or was
 * already loaded (res->already_loaded), or an MC_EXIT_* status when the file
 * was refused as a whole (nothing of it kept; err says why, naming the file
 * and, where it applies, the line and column).
 */
int mc_ingest_file(mc_store *s, const char *path, const mc_ingest_opts *opts,
                   mc_ingest_result *res, mc_error *err);

#endif
