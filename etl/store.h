/*
 * store.h -- the SQLite case store (SPEC 2 and 8).
 *
 * One database file in WAL mode holds the file ledger, every case with its
 * current version (denormalized for the figures, its procedure and field
 * as ids of two small dictionaries) and the fingerprint and source of each
 * of its versions, in the table case_rows (the view "cases" reads it column
 * by column), the quarantined rows (masked), the conflicts, the stored
 * reports, and the secret the store's fingerprints are keyed with.  A file
 * is loaded inside one transaction together with its ledger row: a crash
 * leaves all of the file or none of it.
 */
#ifndef MC_STORE_H
#define MC_STORE_H

#include <sqlite3.h>
#include <stdint.h>

#include "base/error.h"
#include "transforms/record.h"

typedef struct mc_store mc_store;

/* READONLY refuses a store of another layout like READWRITE does; LEDGER
 * opens any motcua store read-only, for what every layout keeps alike (the
 * file ledger and the stored reports), as a rebuild needs from an old one. */
enum { MC_STORE_READWRITE = 0, MC_STORE_READONLY = 1, MC_STORE_LEDGER = 2 };

/* Open (creating when writable and absent) the store at path.  A file that
 * is not a motcua store, or is corrupt, is refused and never overwritten. */
int mc_store_open(const char *path, int mode, mc_store **out, mc_error *err);
void mc_store_close(mc_store *s);
sqlite3 *mc_store_db(mc_store *s);
const char *mc_store_path(const mc_store *s);

/* Counts of one file, as the ledger keeps them. */
typedef struct mc_file_counts {
    int64_t rows_read, accepted, duplicate, quarantined, conflicts;
} mc_file_counts;

/* What else the ledger says of a file (SPEC 10.4); NULL texts are "". */
typedef struct mc_file_meta {
    const char *unknown_columns; /* comma-separated */
    const char *format;          /* "csv", "csv.gz", ... */
    const char *sheet;           /* the sheet read; "" for CSV */
    long header_line;            /* 1-based line or sheet row of the (last) header row */
    long trailer_rows;           /* non-blank rows of the signature block */
} mc_file_meta;

/* The secret (MC_FP_SECRET_LEN bytes) the store's row fingerprints are
 * keyed with (mc_fingerprinter_new), or NULL when the store was not opened
 * for writing. */
const unsigned char *mc_store_fp_secret(const mc_store *s);

/* 1 when a file with this SHA-256 is in the ledger (its name and load time
 * copied out when the buffers are given), 0 when not, or an MC_EXIT_* status. */
int mc_store_file_loaded(mc_store *s, const char *sha256, char *name, size_t name_cap,
                         char *loaded_at, size_t at_cap, mc_error *err);

/* 1 when the ledger has a file of exactly this many bytes (so a file of
 * this size may be one already loaded), 0 when not, or an MC_EXIT_* status. */
int mc_store_file_size_seen(mc_store *s, uint64_t size, mc_error *err);

/* Start loading a file: opens the transaction and the ledger row. */
int mc_store_file_begin(mc_store *s, const char *name, const char *sha256, uint64_t size,
                        mc_error *err);

/* Set the digest and size of the open file's ledger row, once they are
 * known (mc_store_file_begin may be given a placeholder digest). */
int mc_store_file_identify(mc_store *s, const char *sha256, uint64_t size, mc_error *err);

/* What became of the rows applied so far: accepted (new cases and new
 * versions), duplicates of a stored version, and how many of the accepted
 * disagree with their case's current version (recorded in conflicts). */
typedef struct mc_add_totals {
    int64_t accepted, duplicate, conflicts;
} mc_add_totals;

/*
 * Add one normalized row of the open file, fp being its mc_fingerprint
 * (MC_FP_LEN bytes): a row whose fingerprint the case already has is a
 * duplicate.  Rows are staged and applied in runs, each sorted by case key
 * (the rows of one case in the order staged), when a run is full and at
 * mc_store_flush; the outcomes of the rows applied are added into *t.
 * The store ends up as if every row had been applied in the order staged:
 * each case sees its versions in that order, and new units get their ids
 * in that order.  Only the order of the conflicts table's rows follows the
 * runs.  After an error the open file must be rolled back: a run may be
 * partly applied.
 */
int mc_store_stage(mc_store *s, long line, const mc_record *rec, const unsigned char *fp,
                   mc_add_totals *t, mc_error *err);

/* Apply every row still staged, adding their outcomes into *t.  Must come
 * before mc_store_file_commit, which refuses a file with rows staged. */
int mc_store_flush(mc_store *s, mc_add_totals *t, mc_error *err);

/* Quarantine one row of the open file; fields is the masked copy
 * (mc_row_masked) or "". */
int mc_store_reject(mc_store *s, long line, const char *reason, const char *column,
                    const char *detail, const char *fields, mc_error *err);

/* Finish the open file: write its counts and what meta says of it (may be
 * NULL), and commit.  rows_read must equal accepted + duplicate +
 * quarantined (checked). */
int mc_store_file_commit(mc_store *s, const mc_file_counts *c, const mc_file_meta *meta,
                         mc_error *err);

/* Abandon the open file: nothing of it stays. */
void mc_store_file_rollback(mc_store *s);

/*
 * case_rows.seen: the versions of a case, in load order, MC_SEEN_LEN bytes
 * each: the row's fingerprint (MC_FP_LEN bytes), then the ledger id of its
 * file and its line, 4 bytes each, big-endian.  case_rows.src is the file id
 * << 32 | line of the current version.
 */
#define MC_SEEN_LEN 24
static inline uint32_t mc_seen_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline uint32_t mc_seen_file(const unsigned char *entry) { return mc_seen_be32(entry + 16); }
static inline uint32_t mc_seen_line(const unsigned char *entry) { return mc_seen_be32(entry + 20); }

/*
 * case_rows.facts: a case's small codes in one integer, low bits first:
 * progress (2 bits), status (4), channel (3), service level (3), apology
 * (1), then has_fee, paid_online, digitized and e_result as MC_FLAG_* + 1
 * (2 bits each), and the unit id from bit 24.  One column instead of ten
 * makes every case row shorter to build, store and read back (measured:
 * 1M rows loaded 0.5 s sooner).  The view "cases" spells them out in SQL.
 */
enum {
    MC_FACTS_PROGRESS_SHIFT = 0, MC_FACTS_STATUS_SHIFT = 2, MC_FACTS_CHANNEL_SHIFT = 6,
    MC_FACTS_LEVEL_SHIFT = 9, MC_FACTS_APOLOGY_SHIFT = 12, MC_FACTS_HAS_FEE_SHIFT = 13,
    MC_FACTS_PAID_ONLINE_SHIFT = 15, MC_FACTS_DIGITIZED_SHIFT = 17, MC_FACTS_E_RESULT_SHIFT = 19,
    MC_FACTS_UNIT_SHIFT = 24
};
static inline int mc_facts_bits(int64_t f, int shift, int mask)
{
    return (int)((f >> shift) & mask);
}
static inline int mc_facts_progress(int64_t f)
{
    return mc_facts_bits(f, MC_FACTS_PROGRESS_SHIFT, 3);
}
static inline int mc_facts_status(int64_t f)
{
    return mc_facts_bits(f, MC_FACTS_STATUS_SHIFT, 15);
}
static inline int mc_facts_channel(int64_t f)
{
    return mc_facts_bits(f, MC_FACTS_CHANNEL_SHIFT, 7);
}
static inline int mc_facts_level(int64_t f)
{
    return mc_facts_bits(f, MC_FACTS_LEVEL_SHIFT, 7);
}
static inline int mc_facts_apology(int64_t f)
{
    return mc_facts_bits(f, MC_FACTS_APOLOGY_SHIFT, 1);
}
/* the flags, stored as MC_FLAG_* + 1 */
static inline int mc_facts_flag(int64_t f, int shift)
{
    return mc_facts_bits(f, shift, 3) - 1;
}
static inline int mc_facts_has_fee(int64_t f)
{
    return mc_facts_flag(f, MC_FACTS_HAS_FEE_SHIFT);
}
static inline int mc_facts_paid_online(int64_t f)
{
    return mc_facts_flag(f, MC_FACTS_PAID_ONLINE_SHIFT);
}
static inline int mc_facts_digitized(int64_t f)
{
    return mc_facts_flag(f, MC_FACTS_DIGITIZED_SHIFT);
}
static inline int mc_facts_e_result(int64_t f)
{
    return mc_facts_flag(f, MC_FACTS_E_RESULT_SHIFT);
}
static inline int64_t mc_facts_unit(int64_t f) { return f >> MC_FACTS_UNIT_SHIFT; }

/* Unit dictionary: the (code, name) pairs seen in the data, by id. */
typedef struct mc_unit_key {
    int64_t id;
    char *code; /* NULL when the rows had no code */
    char *name; /* NULL when the rows had no name */
} mc_unit_key;

/* All unit keys, ordered by id; free with mc_store_unit_keys_free. */
int mc_store_unit_keys(mc_store *s, mc_unit_key **keys, size_t *n, mc_error *err);
void mc_store_unit_keys_free(mc_unit_key *keys, size_t n);

/* The procedure and field dictionaries (case_rows.proc_id, .field_id), as
 * arrays by id: entry 0 and ids no row has are NULL, as are a procedure's
 * missing code or name. */
typedef struct mc_store_dims {
    int64_t max_proc, max_field;   /* the largest ids */
    char **proc_code, **proc_name; /* [0..max_proc] */
    char **field_name;             /* [0..max_field] */
} mc_store_dims;

/* Read both dictionaries into *d; free with mc_store_dims_free. */
int mc_store_dims_read(mc_store *s, mc_store_dims *d, mc_error *err);
void mc_store_dims_free(mc_store_dims *d);

/* Run one SQL statement with no result rows; errors name the store. */
int mc_store_exec(mc_store *s, const char *sql, mc_error *err);

/* Map an SQLite result code to an exit status and message. */
int mc_store_fail(mc_store *s, int rc, const char *what, mc_error *err);

#endif
