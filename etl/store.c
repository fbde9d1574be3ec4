/*
 * store.c -- the SQLite case store; see store.h.
 *
 * Every statement is prepared once per store and reused with bound values.
 * Text values go in as bound parameters, never into SQL text.
 */
#include "etl/store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/dict.h"
#include "etl/fingerprint.h"

#define MC_APPLICATION_ID 0x4d435541 /* "MCUA": this file is a motcua store */
/* 2: versions keep a fingerprint, not their fields; 3: a case keeps its
 * versions in its own row (seen), its small codes in one column (facts),
 * and the view "cases" spells them out; 4: fingerprints are keyed XXH3-128
 * under the store's own secret (settings), a case keeps its procedure and
 * field as ids of the dictionaries procedures and fields, and the ledger
 * says each file's format, sheet, header line and trailer rows */
#define MC_SCHEMA_VERSION 4

static const char *const schema_sql =
    "CREATE TABLE IF NOT EXISTS files("
    " id INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL UNIQUE,"
    " size INTEGER NOT NULL, rows_read INTEGER NOT NULL DEFAULT 0,"
    " accepted INTEGER NOT NULL DEFAULT 0, duplicate INTEGER NOT NULL DEFAULT 0,"
    " quarantined INTEGER NOT NULL DEFAULT 0, conflicts INTEGER NOT NULL DEFAULT 0,"
    " unknown_columns TEXT NOT NULL DEFAULT '', loaded_at TEXT NOT NULL,"
    " format TEXT NOT NULL DEFAULT '', sheet TEXT NOT NULL DEFAULT '',"
    " header_line INTEGER NOT NULL DEFAULT 0, trailer_rows INTEGER NOT NULL DEFAULT 0,"
    " CHECK (rows_read = accepted + duplicate + quarantined));"
    /* fingerprint_secret: the key of every row fingerprint (fingerprint.h) */
    "CREATE TABLE IF NOT EXISTS settings(name TEXT PRIMARY KEY, value BLOB NOT NULL);"
    "CREATE TABLE IF NOT EXISTS unit_keys("
    " id INTEGER PRIMARY KEY, code TEXT, name TEXT);"
    /* the (code, name) pairs and the field names of the accepted rows, as
     * the normalizer left them (SPEC 11: not personal data); id 0 is none */
    "CREATE TABLE IF NOT EXISTS procedures("
    " id INTEGER PRIMARY KEY, code TEXT, name TEXT);"
    "CREATE TABLE IF NOT EXISTS fields(id INTEGER PRIMARY KEY, name TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS case_rows("
    " case_key TEXT PRIMARY KEY, seen BLOB NOT NULL, src INTEGER NOT NULL, upd INTEGER,"
    " facts INTEGER NOT NULL, received_at INTEGER NOT NULL, due_at INTEGER, end_at INTEGER,"
    " proc_id INTEGER NOT NULL, field_id INTEGER NOT NULL)"
    " WITHOUT ROWID;"
    /* case_rows.facts spelled out, bit for bit as pack_facts() packs it,
     * and the procedure and field by name */
    "CREATE VIEW IF NOT EXISTS cases AS SELECT case_key, seen, src >> 32 AS file_id,"
    " src & 4294967295 AS line, upd,"
    " facts & 3 AS progress, facts >> 24 AS unit_id, (facts >> 2) & 15 AS status,"
    " (facts >> 6) & 7 AS channel, (facts >> 9) & 7 AS level, received_at, due_at, end_at,"
    " (facts >> 12) & 1 AS apology, ((facts >> 13) & 3) - 1 AS has_fee,"
    " ((facts >> 15) & 3) - 1 AS paid_online, ((facts >> 17) & 3) - 1 AS digitized,"
    " ((facts >> 19) & 3) - 1 AS e_result, proc_id, p.code AS procedure_code,"
    " p.name AS procedure_name, field_id, f.name AS field_name FROM case_rows"
    " LEFT JOIN procedures p ON p.id = proc_id LEFT JOIN fields f ON f.id = field_id;"
    "CREATE TABLE IF NOT EXISTS rejects("
    " id INTEGER PRIMARY KEY, file_id INTEGER NOT NULL, line INTEGER NOT NULL,"
    " reason TEXT NOT NULL, col TEXT NOT NULL, detail TEXT NOT NULL, fields TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS conflicts("
    " id INTEGER PRIMARY KEY, case_key TEXT NOT NULL, file_id INTEGER NOT NULL,"
    " line INTEGER NOT NULL, what TEXT NOT NULL, stored TEXT, incoming TEXT);";

enum {
    ST_FILE_BY_SHA,
    ST_FILE_BY_SIZE,
    ST_FILE_INSERT,
    ST_FILE_UPDATE,
    ST_FILE_IDENTIFY,
    ST_CASE_GET,
    ST_CASE_INSERT,
    ST_CASE_INSERT_NEW,
    ST_CASE_UPDATE,
    ST_CASE_SEEN,
    ST_UNIT_INSERT,
    ST_PROC_INSERT,
    ST_FIELD_INSERT,
    ST_REJECT_INSERT,
    ST_CONFLICT_INSERT,
    ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
    "SELECT name, loaded_at FROM files WHERE sha256 = ?1",
    "SELECT 1 FROM files WHERE size = ?1 LIMIT 1",
    "INSERT INTO files(name, sha256, size, loaded_at) VALUES (?1, ?2, ?3, ?4)",
    "UPDATE files SET rows_read = ?2, accepted = ?3, duplicate = ?4, quarantined = ?5,"
    " conflicts = ?6, unknown_columns = ?7, format = ?8, sheet = ?9, header_line = ?10,"
    " trailer_rows = ?11 WHERE id = ?1",
    "UPDATE files SET sha256 = ?2, size = ?3 WHERE id = ?1",
    "SELECT upd, facts, received_at, seen FROM case_rows WHERE case_key = ?1",
    "INSERT INTO case_rows(case_key, src, upd, facts, received_at, due_at, end_at, seen,"
    " proc_id, field_id) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
    "INSERT INTO case_rows(case_key, src, upd, facts, received_at, due_at, end_at, seen,"
    " proc_id, field_id) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)"
    " ON CONFLICT(case_key) DO NOTHING",
    "UPDATE case_rows SET src=?2, upd=?3, facts=?4, received_at=?5, due_at=?6,"
    " end_at=?7, seen=?8, proc_id=?9, field_id=?10 WHERE case_key=?1",
    "UPDATE case_rows SET seen = ?2 WHERE case_key = ?1",
    "INSERT INTO unit_keys(code, name) VALUES (?1, ?2)",
    "INSERT INTO procedures(code, name) VALUES (?1, ?2)",
    "INSERT INTO fields(name) VALUES (?1)",
    "INSERT INTO rejects(file_id, line, reason, col, detail, fields) VALUES (?1,?2,?3,?4,?5,?6)",
    "INSERT INTO conflicts(case_key, file_id, line, what, stored, incoming)"
    " VALUES (?1,?2,?3,?4,?5,?6)",
};

#define NEW_HINT_MAX 8
/* The words of a case key a run is sorted by (see sort_key). */
#define SORT_WORDS 3

/*
 * Rows staged before a run is applied (mc_store_stage).  Sorted runs are
 * the point (issue 5): a run in key order walks the case B-tree from one
 * end to the other, touching each page once, where rows in file order land
 * on a random page each, most of them out of the page cache (measured on
 * 1M rows: the store thread's work a third less, the load 2.76 s -> 2.5 s).
 * A run costs about 110 bytes per row with its key (and is full at
 * RUN_KEYS_MAX bytes of keys, whatever their number), and two exist.  The
 * first run of a file is small and each next one twice as large, up to
 * RUN_ROWS_MAX: what is still staged when the file ends is applied after
 * the read, by one thread, so a file of a few thousand rows must not wait
 * for a whole large run, while in a large file the tree grows about as
 * fast as the runs.
 */
#define RUN_ROWS_FIRST 1024
#define RUN_ROWS_MAX 65536
#define RUN_KEYS_MAX ((size_t)2 << 20)

/* RUN_ROWS_MAX, or fewer when MOTCUA_STORE_RUN_ROWS says so: tests use it to
 * make runs of a few rows and check that every size gives the same store.
 * (Runs then still start at RUN_ROWS_FIRST rows, or fewer.) */
static size_t run_rows_setting(void)
{
    long long n;
    return mc_knob_number(MC_KNOB_STORE_RUN_ROWS, 1, RUN_ROWS_MAX, &n) ? (size_t)n : RUN_ROWS_MAX;
}

_Static_assert(MC_SEEN_LEN == MC_FP_LEN + 8, "a seen entry is a fingerprint, a file id and a line");

struct mc_store {
    sqlite3 *db;
    char *path;
    sqlite3_stmt *st[ST_COUNT];
    mc_dict *units;        /* "code\x1fname" -> unit_keys.id */
    mc_dict *procs;        /* proc_key(code, name) -> procedures.id */
    mc_dict *fields;       /* name -> fields.id */
    char *dim_key;         /* reusable buffer for a procedure's dictionary key */
    size_t dim_key_cap;
    /* The pairs and fields met last, in front of the dictionaries (see
     * memo_slot): [0] procedures, [1] fields. */
    struct dim_memo {
        char *a, *b;       /* code and name, or field name and NULL */
        int64_t id;        /* 0: empty */
    } memo[2][64];
    int has_secret;
    unsigned char secret[MC_FP_SECRET_LEN]; /* settings.fingerprint_secret */
    int64_t file_id;       /* the file being loaded, 0 when none */
    int in_file;
    char *seen;            /* reusable buffer for a case's fingerprints */
    int new_hint;          /* > 0: the last rows were mostly new cases */
    size_t seen_cap;
    char **unit_label;     /* unit_keys.id -> "code\x1fname", for conflicts */
    size_t n_unit_label;
    /* Rows of the open file not yet applied (mc_store_stage): runs[fill]
     * takes new rows while runs[!fill], sorted, is applied a little at a
     * time. */
    struct run {
        struct staged *rows;
        struct sort_key *order; /* rows[order[i].row] is the i-th to apply */
        size_t n, cap, applied;
        char *keys;        /* the rows' case keys, NUL-terminated */
        size_t keys_used, keys_cap;
        size_t shared;     /* the bytes every key of the run begins with */
    } runs[2];
    int fill;
    size_t run_rows;       /* the largest run */
    size_t run_limit;      /* rows at which the filling run is full */
    struct sort_key *sort_tmp; /* room for sort_keys, as large as a run */
    size_t sort_tmp_cap;
    size_t sort_count[SORT_WORDS * 8][256];
};

int mc_store_fail(mc_store *s, int rc, const char *what, mc_error *err)
{
    const char *path = s && s->path ? s->path : "store";
    const char *msg = s && s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);
    switch (rc & 0xff) {
    case SQLITE_FULL:
        return mc_error_set(err, MC_EXIT_IO,
                            "%s: disk full while %s: free space on the disk, then run again "
                            "(nothing of this file was kept)", path, what);
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
        return mc_error_set(err, MC_EXIT_IO, "%s: cannot write or read the store while %s: %s",
                            path, what, msg);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return mc_error_set(err, MC_EXIT_IO,
                            "%s: the store is damaged (%s); it was not changed. Keep a copy, "
                            "restore it from a backup or rebuild it with 'motcua rerun "
                            "--from-archive'", path, msg);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return mc_error_set(err, MC_EXIT_TEMPFAIL, "%s: the store is busy while %s; try again",
                            path, what);
    default:
        return mc_error_set(err, MC_EXIT_SOFTWARE, "%s: SQLite error while %s: %s", path, what,
                            msg);
    }
}

int mc_store_exec(mc_store *s, const char *sql, mc_error *err)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : mc_store_fail(s, rc, "updating the store", err);
}

/* Keep "code\x1fname" of unit id, so conflicts need no query. */
static int remember_unit(mc_store *s, int64_t id, const char *key, size_t n)
{
    if (id < 0)
        return -1;
    if ((size_t)id >= s->n_unit_label) {
        size_t cap = s->n_unit_label ? s->n_unit_label : 64;
        while (cap <= (size_t)id)
            cap *= 2;
        char **v = realloc(s->unit_label, cap * sizeof *v);
        if (!v)
            return -1;
        memset(v + s->n_unit_label, 0, (cap - s->n_unit_label) * sizeof *v);
        s->unit_label = v;
        s->n_unit_label = cap;
    }
    char *copy = strndup(key, n);
    if (!copy)
        return -1;
    free(s->unit_label[id]);
    s->unit_label[id] = copy;
    return 0;
}

/* "code\x1fname", the dictionary key of a (code, name) pair, into key
 * (UNIT_KEY_CAP bytes); returns its length.  A pair too long for it is cut,
 * and *cut says so.  Built by hand: it runs on every row, where snprintf
 * would cost more than the lookup. */
#define UNIT_KEY_CAP 2048
static size_t unit_key(const char *code, const char *name, char *key, int *cut)
{
    size_t nc = code ? strlen(code) : 0, nn = name ? strlen(name) : 0;
    *cut = nc + 1 + nn > UNIT_KEY_CAP - 1;
    if (nc > UNIT_KEY_CAP - 2)
        nc = UNIT_KEY_CAP - 2;
    if (nn > UNIT_KEY_CAP - 2 - nc)
        nn = UNIT_KEY_CAP - 2 - nc;
    memcpy(key, code ? code : "", nc);
    key[nc] = '\x1f';
    memcpy(key + nc + 1, name ? name : "", nn);
    key[nc + 1 + nn] = '\0';
    return nc + 1 + nn;
}

static int load_unit_keys(mc_store *s, mc_error *err)
{
    sqlite3_stmt *q;
    int rc = sqlite3_prepare_v2(s->db, "SELECT id, code, name FROM unit_keys", -1, &q, NULL);
    if (rc != SQLITE_OK)
        return mc_store_fail(s, rc, "reading the unit names", err);
    char buf[UNIT_KEY_CAP];
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        int cut;
        size_t n = unit_key((const char *)sqlite3_column_text(q, 1),
                            (const char *)sqlite3_column_text(q, 2), buf, &cut);
        if (cut)
            continue;
        if (mc_dict_put(s->units, buf, n, sqlite3_column_int64(q, 0)) != 0 ||
            remember_unit(s, sqlite3_column_int64(q, 0), buf, n) != 0) {
            sqlite3_finalize(q);
            return mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory");
        }
    }
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? 0 : mc_store_fail(s, rc, "reading the unit names", err);
}

/* The dictionary key of a procedure into s->dim_key: the code's length,
 * the code, the name (normalized text is never "", so NULL is ""); its
 * length, or -1 when out of memory.  Unlike a unit's key it is never cut
 * and no byte of the data can fake its separation: two pairs must never
 * share an id. */
static long proc_key(mc_store *s, const char *code, const char *name)
{
    size_t nc = code ? strlen(code) : 0, nn = name ? strlen(name) : 0;
    size_t need = sizeof nc + nc + nn;
    if (need > s->dim_key_cap) {
        size_t cap = s->dim_key_cap ? s->dim_key_cap : 256;
        while (cap < need)
            cap *= 2;
        char *k = realloc(s->dim_key, cap);
        if (!k)
            return -1;
        s->dim_key = k;
        s->dim_key_cap = cap;
    }
    memcpy(s->dim_key, &nc, sizeof nc);
    memcpy(s->dim_key + sizeof nc, code ? code : "", nc);
    memcpy(s->dim_key + sizeof nc + nc, name ? name : "", nn);
    return (long)need;
}

/*
 * A row's procedure and field are looked up in a small direct-mapped table
 * of the ones met last before the dictionaries: a hit is two string
 * compares, where a dictionary lookup builds and hashes a key of some
 * hundred bytes; the store thread is the load's busier one, and a desk's
 * exports repeat a few hundred procedures over and over (measured on 1M
 * rows: the lookups, about 5 % of the store thread, down to 1.5 %).  The slot
 * comes from the first bytes of a (the code, or the name when there is no
 * code); what decides a hit is the exact compare.
 */
static size_t memo_slot(const char *a)
{
    uint64_t x = 0;
    for (int i = 0; i < 8 && a[i]; i++)
        x = x << 8 | (unsigned char)a[i];
    return (size_t)((x * 0x9e3779b97f4a7c15ULL) >> 58); /* 64 slots */
}

static int same_text(const char *x, const char *y)
{
    return x == y || (x && y && strcmp(x, y) == 0);
}

/* The id memo m holds for (a, b), or 0. */
static int64_t memo_get(const struct dim_memo *m, const char *a, const char *b)
{
    const struct dim_memo *e = &m[memo_slot(a)];
    return e->id && same_text(e->a, a) && same_text(e->b, b) ? e->id : 0;
}

/* Remember (a, b) -> id; out of memory, it is simply not remembered. */
static void memo_put(struct dim_memo *m, const char *a, const char *b, int64_t id)
{
    struct dim_memo *e = &m[memo_slot(a)];
    free(e->a);
    free(e->b);
    e->a = strdup(a);
    e->b = b ? strdup(b) : NULL;
    e->id = e->a && (!b || e->b) ? id : 0;
}

static void memo_clear(mc_store *s)
{
    for (int t = 0; t < 2; t++)
        for (size_t i = 0; i < 64; i++) {
            free(s->memo[t][i].a);
            free(s->memo[t][i].b);
            s->memo[t][i] = (struct dim_memo){0};
        }
}

/* The procedure and field dictionaries into s->procs and s->fields. */
static int load_dims(mc_store *s, mc_error *err)
{
    static const char *const sql[2] = {"SELECT id, code, name FROM procedures",
                                       "SELECT id, name FROM fields"};
    for (int t = 0; t < 2; t++) {
        sqlite3_stmt *q;
        int rc = sqlite3_prepare_v2(s->db, sql[t], -1, &q, NULL);
        if (rc != SQLITE_OK)
            return mc_store_fail(s, rc, "reading the procedures and fields", err);
        while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
            int64_t id = sqlite3_column_int64(q, 0);
            const char *name = (const char *)sqlite3_column_text(q, t ? 1 : 2);
            long n = t ? (long)strlen(name ? name : "")
                       : proc_key(s, (const char *)sqlite3_column_text(q, 1), name);
            if (n < 0 || mc_dict_put(t ? s->fields : s->procs, t ? (name ? name : "") : s->dim_key,
                                     (size_t)n, id) != 0) {
                sqlite3_finalize(q);
                return mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory");
            }
        }
        sqlite3_finalize(q);
        if (rc != SQLITE_DONE)
            return mc_store_fail(s, rc, "reading the procedures and fields", err);
    }
    return 0;
}

/* The store's fingerprint secret into s->secret.  A store of this layout
 * without one was damaged: its fingerprints could not be compared. */
static int load_secret(mc_store *s, mc_error *err)
{
    sqlite3_stmt *q;
    int rc = sqlite3_prepare_v2(s->db, "SELECT value FROM settings WHERE name ="
                                " 'fingerprint_secret'", -1, &q, NULL);
    if (rc != SQLITE_OK)
        return mc_store_fail(s, rc, "reading the store's settings", err);
    rc = sqlite3_step(q);
    int ok = rc == SQLITE_ROW && sqlite3_column_bytes(q, 0) == MC_FP_SECRET_LEN;
    if (ok) {
        memcpy(s->secret, sqlite3_column_blob(q, 0), MC_FP_SECRET_LEN);
        s->has_secret = 1;
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return mc_store_fail(s, rc, "reading the store's settings", err);
    if (!ok)
        return mc_error_set(err, MC_EXIT_DATA, "%s: the store has lost its fingerprint secret "
                            "and cannot tell duplicates; it was not changed. Rebuild it with "
                            "'motcua rerun --from-archive --period PERIOD'", s->path);
    return 0;
}

/* A new store's fingerprint secret, fresh from the kernel, into settings. */
static int create_secret(mc_store *s, mc_error *err)
{
    unsigned char secret[MC_FP_SECRET_LEN];
    if (mc_fingerprint_new_secret(secret) != 0)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "%s: no random bytes for the store's "
                            "fingerprint secret", s->path);
    sqlite3_stmt *q;
    int rc = sqlite3_prepare_v2(s->db, "INSERT INTO settings(name, value) VALUES"
                                " ('fingerprint_secret', ?1)", -1, &q, NULL);
    if (rc != SQLITE_OK)
        return mc_store_fail(s, rc, "creating the store", err);
    sqlite3_bind_blob(q, 1, secret, MC_FP_SECRET_LEN, SQLITE_STATIC);
    rc = sqlite3_step(q);
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? 0 : mc_store_fail(s, rc, "creating the store", err);
}

const unsigned char *mc_store_fp_secret(const mc_store *s)
{
    return s->has_secret ? s->secret : NULL;
}

/* The one integer that sql (a PRAGMA or a count) returns, into *value.
 * No row at all means the file is not a database SQLite can read. */
static int query_int(mc_store *s, const char *sql, int64_t *value, mc_error *err)
{
    sqlite3_stmt *q;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &q, NULL);
    if (rc != SQLITE_OK)
        return mc_store_fail(s, rc, "opening the store", err);
    rc = sqlite3_step(q);
    *value = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
    sqlite3_finalize(q);
    if (rc != SQLITE_ROW)
        return mc_store_fail(s, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc, "opening the store", err);
    return 0;
}

/* Refuse a file that exists, is not empty, and is not a motcua store, or is
 * one of another layout.  Returns 0 for a motcua store, 1 for an empty file
 * (ours to create), or an MC_EXIT_* status. */
static int check_identity(mc_store *s, int mode, mc_error *err)
{
    int64_t app, version, objects;
    int st = query_int(s, "PRAGMA application_id", &app, err);
    if (st)
        return st;
    if (app == MC_APPLICATION_ID) {
        if ((st = query_int(s, "PRAGMA user_version", &version, err)))
            return st;
        if (version != MC_SCHEMA_VERSION && mode != MC_STORE_LEDGER)
            return mc_error_set(err, MC_EXIT_DATA,
                                "%s: this store has layout %lld, this motcua uses layout %d; "
                                "it was not changed. Rebuild it from the archived exports "
                                "with 'motcua rerun --from-archive --period PERIOD' (it is "
                                "kept as %s.bak)",
                                s->path, (long long)version, MC_SCHEMA_VERSION, s->path);
        return 0;
    }
    if ((st = query_int(s, "SELECT count(*) FROM sqlite_schema", &objects, err)))
        return st;
    if (objects != 0)
        return mc_error_set(err, MC_EXIT_DATA,
                            "%s: this database is not a motcua store; it was not changed "
                            "(name another file with --db)", s->path);
    return 1; /* empty: ours to create */
}

/* Process-wide settings, before SQLite's first use.  Memory statistics
 * take a global mutex on every allocation SQLite makes, and motcua reads
 * none of them. */
static void configure_sqlite(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int mc_store_open(const char *path, int mode, mc_store **out, mc_error *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, configure_sqlite);
    *out = NULL;
    mc_store *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path)) || !(s->units = mc_dict_new()) ||
        !(s->procs = mc_dict_new()) || !(s->fields = mc_dict_new())) {
        if (s) {
            mc_dict_free(s->units);
            mc_dict_free(s->procs);
            free(s->path);
            free(s);
        }
        return mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory");
    }
    s->run_rows = run_rows_setting();
    struct stat sb;
    int readonly = mode != MC_STORE_READWRITE;
    if (readonly && stat(path, &sb) != 0) {
        mc_store_close(s);
        return mc_error_set(err, MC_EXIT_IO, "%s: no such store (load files with 'motcua ingest' "
                            "first, or name the store with --db)", path);
    }
    int flags = readonly ? SQLITE_OPEN_READONLY
                                          : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        int st = mc_error_set(err, MC_EXIT_IO, "%s: cannot open the store: %s", path,
                              s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        mc_store_close(s);
        return st;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, 5000);
    int fresh = check_identity(s, mode, err);
    if (fresh < 0 || fresh > 1) {
        mc_store_close(s);
        return fresh;
    }
    if (fresh == 1 && readonly) {
        mc_store_close(s);
        return mc_error_set(err, MC_EXIT_DATA, "%s: the store is empty", path);
    }
    int st = 0;
    if (!readonly) {
        /* WAL for crash safety and readers beside the writer; NORMAL sync is
         * durable across a crash of motcua and consistent across power loss.
         * A file is one transaction, and its rows reach the B-tree in sorted
         * runs, each a walk from one end of the tree to the other: a larger
         * page cache hardly helps such a walk (measured on 1M rows, runs of
         * 64K: 2.58 s with 16 MB, 2.63 s with 40 MB), and 16 MB keeps the
         * job near 45 MB, within the 64 MB it may use. */
        /* A new store gets 8 KiB pages (SQLite's default is 4): half the
         * pages for a run to walk and write (measured: 1M rows loaded in
         * 2.55 s against 2.74 s, 5M in 16.2 s against 17.7 s; the nightly
         * run and the reports the same).  It has to come before WAL mode,
         * which fixes the page size; a store made earlier keeps its own. */
        if (fresh == 1)
            st = mc_store_exec(s, "PRAGMA page_size=8192;", err);
        if (!st)
            st = mc_store_exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                                  "PRAGMA foreign_keys=OFF; PRAGMA cache_size=-16384;", err);
        if (!st && fresh == 1) {
            char sql[128];
            snprintf(sql, sizeof sql, "PRAGMA application_id=%d; PRAGMA user_version=%d;",
                     MC_APPLICATION_ID, MC_SCHEMA_VERSION);
            st = mc_store_exec(s, "BEGIN IMMEDIATE", err);
            if (!st)
                st = mc_store_exec(s, sql, err);
            if (!st)
                st = mc_store_exec(s, schema_sql, err);
            if (!st)
                st = create_secret(s, err);
            if (!st)
                st = mc_store_exec(s, "COMMIT", err);
        }
    }
    for (int i = 0; !st && i < ST_COUNT; i++) {
        rc = sqlite3_prepare_v3(s->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->st[i], NULL);
        if (rc != SQLITE_OK && !readonly)
            st = mc_store_fail(s, rc, "preparing the store", err);
    }
    if (!st)
        st = load_unit_keys(s, err);
    /* only a writer looks procedures and fields up (and a store of another
     * layout, open for its ledger, may have neither) */
    if (!st && mode == MC_STORE_READWRITE)
        st = load_dims(s, err);
    if (!st && mode == MC_STORE_READWRITE)
        st = load_secret(s, err);
    if (st) {
        mc_store_close(s);
        return st;
    }
    *out = s;
    return 0;
}

void mc_store_close(mc_store *s)
{
    if (!s)
        return;
    if (s->in_file)
        mc_store_file_rollback(s);
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->st[i]);
    sqlite3_close(s->db);
    mc_dict_free(s->units);
    mc_dict_free(s->procs);
    mc_dict_free(s->fields);
    memo_clear(s);
    free(s->dim_key);
    free(s->seen);
    for (size_t i = 0; i < s->n_unit_label; i++)
        free(s->unit_label[i]);
    free(s->unit_label);
    for (int i = 0; i < 2; i++) {
        free(s->runs[i].rows);
        free(s->runs[i].order);
        free(s->runs[i].keys);
    }
    free(s->sort_tmp);
    free(s->path);
    free(s);
}

sqlite3 *mc_store_db(mc_store *s)
{
    return s->db;
}

const char *mc_store_path(const mc_store *s)
{
    return s->path;
}

/* Step a statement that returns no row, then reset it. */
static int step_done(mc_store *s, sqlite3_stmt *q, const char *what, mc_error *err)
{
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return rc == SQLITE_DONE ? 0 : mc_store_fail(s, rc, what, err);
}

int mc_store_file_size_seen(mc_store *s, uint64_t size, mc_error *err)
{
    sqlite3_stmt *q = s->st[ST_FILE_BY_SIZE];
    sqlite3_bind_int64(q, 1, (sqlite3_int64)size);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return mc_store_fail(s, rc, "reading the file ledger", err);
    return rc == SQLITE_ROW;
}

int mc_store_file_loaded(mc_store *s, const char *sha256, char *name, size_t name_cap,
                         char *loaded_at, size_t at_cap, mc_error *err)
{
    sqlite3_stmt *q = s->st[ST_FILE_BY_SHA];
    sqlite3_bind_text(q, 1, sha256, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    int found = 0;
    if (rc == SQLITE_ROW) {
        found = 1;
        if (name)
            snprintf(name, name_cap, "%s", (const char *)sqlite3_column_text(q, 0));
        if (loaded_at)
            snprintf(loaded_at, at_cap, "%s", (const char *)sqlite3_column_text(q, 1));
    }
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return mc_store_fail(s, rc, "reading the file ledger", err);
    return found;
}

int mc_store_file_begin(mc_store *s, const char *name, const char *sha256, uint64_t size,
                        mc_error *err)
{
    int st = mc_store_exec(s, "BEGIN IMMEDIATE", err);
    if (st)
        return st;
    s->in_file = 1;
    s->run_limit = s->run_rows < RUN_ROWS_FIRST ? s->run_rows : RUN_ROWS_FIRST;
    char now[40];
    mc_clock_now_iso(now, sizeof now);
    sqlite3_stmt *q = s->st[ST_FILE_INSERT];
    sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, sha256, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 3, (sqlite3_int64)size);
    sqlite3_bind_text(q, 4, now, -1, SQLITE_TRANSIENT);
    st = step_done(s, q, "adding the file to the ledger", err);
    if (st) {
        mc_store_file_rollback(s);
        return st;
    }
    s->file_id = sqlite3_last_insert_rowid(s->db);
    /* A version is named by file id and line in 32 bits each (MC_SEEN_LEN),
     * and src = file id << 32 | line must stay a positive SQLite integer. */
    if (s->file_id > INT32_MAX) {
        mc_store_file_rollback(s);
        return mc_error_set(err, MC_EXIT_DATA, "%s: the ledger is past the 2,147,483,647 files "
                            "a store can name", s->path);
    }
    return 0;
}

int mc_store_file_identify(mc_store *s, const char *sha256, uint64_t size, mc_error *err)
{
    sqlite3_stmt *q = s->st[ST_FILE_IDENTIFY];
    sqlite3_bind_int64(q, 1, s->file_id);
    sqlite3_bind_text(q, 2, sha256, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 3, (sqlite3_int64)size);
    return step_done(s, q, "adding the file to the ledger", err);
}

void mc_store_file_rollback(mc_store *s)
{
    if (!s->in_file)
        return;
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    s->in_file = 0;
    s->file_id = 0;
    for (int i = 0; i < 2; i++)
        s->runs[i].n = s->runs[i].applied = s->runs[i].keys_used = 0;
    /* The dictionaries may hold ids that the rollback took back. */
    mc_dict_free(s->units);
    mc_dict_free(s->procs);
    mc_dict_free(s->fields);
    s->units = mc_dict_new();
    s->procs = mc_dict_new();
    s->fields = mc_dict_new();
    memo_clear(s);
    if (s->units)
        load_unit_keys(s, NULL);
    if (s->procs && s->fields)
        load_dims(s, NULL);
}

int mc_store_file_commit(mc_store *s, const mc_file_counts *c, const mc_file_meta *meta,
                         mc_error *err)
{
    static const mc_file_meta none = {0};
    if (!meta)
        meta = &none;
    if (s->runs[0].n || s->runs[1].n) {
        mc_store_file_rollback(s);
        return mc_error_set(err, MC_EXIT_SOFTWARE, "%s: rows staged but never applied "
                            "(mc_store_flush was not called)", s->path);
    }
    if (c->rows_read != c->accepted + c->duplicate + c->quarantined) {
        mc_store_file_rollback(s);
        return mc_error_set(err, MC_EXIT_SOFTWARE, "%s: row accounting does not add up "
                            "(read %lld, accepted %lld, duplicate %lld, quarantined %lld)",
                            s->path, (long long)c->rows_read, (long long)c->accepted,
                            (long long)c->duplicate, (long long)c->quarantined);
    }
    sqlite3_stmt *q = s->st[ST_FILE_UPDATE];
    sqlite3_bind_int64(q, 1, s->file_id);
    sqlite3_bind_int64(q, 2, c->rows_read);
    sqlite3_bind_int64(q, 3, c->accepted);
    sqlite3_bind_int64(q, 4, c->duplicate);
    sqlite3_bind_int64(q, 5, c->quarantined);
    sqlite3_bind_int64(q, 6, c->conflicts);
    sqlite3_bind_text(q, 7, meta->unknown_columns ? meta->unknown_columns : "", -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(q, 8, meta->format ? meta->format : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 9, meta->sheet ? meta->sheet : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 10, meta->header_line);
    sqlite3_bind_int64(q, 11, meta->trailer_rows);
    int st = step_done(s, q, "writing the file ledger", err);
    if (!st)
        st = mc_store_exec(s, "COMMIT", err);
    if (st) {
        mc_store_file_rollback(s);
        return st;
    }
    s->in_file = 0;
    s->file_id = 0;
    return 0;
}

/* ---- rows ---------------------------------------------------------------- */

static int progress_of(int status)
{
    switch (status) {
    case MC_STATUS_REGISTERED: case MC_STATUS_ACCEPTED: return 0;
    case MC_STATUS_PROCESSING: case MC_STATUS_WAITING_DOCS: case MC_STATUS_WAITING_FEES: return 1;
    case MC_STATUS_RETURNED: return 3;
    default: return 2; /* denied, withdrawn, stopped, resolved */
    }
}

static int reserve(char **buf, size_t *cap, size_t need)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 1024;
    while (c < need)
        c *= 2;
    char *p = realloc(*buf, c);
    if (!p)
        return -1;
    *buf = p;
    *cap = c;
    return 0;
}

/* The id of the row's (unit_code, unit_name) pair, added when new. */
static int unit_id_of(mc_store *s, const mc_record *r, int64_t *id, mc_error *err)
{
    char key[UNIT_KEY_CAP];
    int cut;
    size_t n = unit_key(r->unit_code, r->unit_name, key, &cut);
    if (mc_dict_get(s->units, key, n, id))
        return 0;
    sqlite3_stmt *q = s->st[ST_UNIT_INSERT];
    if (r->unit_code)
        sqlite3_bind_text(q, 1, r->unit_code, -1, SQLITE_STATIC);
    if (r->unit_name)
        sqlite3_bind_text(q, 2, r->unit_name, -1, SQLITE_STATIC);
    int st = step_done(s, q, "adding a unit name", err);
    if (st)
        return st;
    *id = sqlite3_last_insert_rowid(s->db);
    if (mc_dict_put(s->units, key, n, *id) != 0 || remember_unit(s, *id, key, n))
        return mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory");
    return 0;
}

/* The id of the row's procedure (code, name) pair, or 0 when it has
 * neither; added when new. */
static int proc_id_of(mc_store *s, const mc_record *r, int64_t *id, mc_error *err)
{
    *id = 0;
    if (!r->procedure_code && !r->procedure_name)
        return 0;
    /* the code, or the name alone: what the memo's slot comes from */
    const char *a = r->procedure_code ? r->procedure_code : r->procedure_name;
    const char *b = r->procedure_code ? r->procedure_name : NULL;
    if ((*id = memo_get(s->memo[0], a, b)))
        return 0;
    long n = proc_key(s, r->procedure_code, r->procedure_name);
    if (n < 0)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory");
    if (mc_dict_get(s->procs, s->dim_key, (size_t)n, id)) {
        memo_put(s->memo[0], a, b, *id);
        return 0;
    }
    sqlite3_stmt *q = s->st[ST_PROC_INSERT];
    if (r->procedure_code)
        sqlite3_bind_text(q, 1, r->procedure_code, -1, SQLITE_STATIC);
    if (r->procedure_name)
        sqlite3_bind_text(q, 2, r->procedure_name, -1, SQLITE_STATIC);
    int st = step_done(s, q, "adding a procedure", err);
    if (st)
        return st;
    *id = sqlite3_last_insert_rowid(s->db);
    if (mc_dict_put(s->procs, s->dim_key, (size_t)n, *id) != 0)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory");
    memo_put(s->memo[0], a, b, *id);
    return 0;
}

/* The id of the row's field name, or 0 when it has none; added when new. */
static int field_id_of(mc_store *s, const mc_record *r, int64_t *id, mc_error *err)
{
    *id = 0;
    if (!r->field_name)
        return 0;
    if ((*id = memo_get(s->memo[1], r->field_name, NULL)))
        return 0;
    size_t n = strlen(r->field_name);
    if (mc_dict_get(s->fields, r->field_name, n, id)) {
        memo_put(s->memo[1], r->field_name, NULL, *id);
        return 0;
    }
    sqlite3_stmt *q = s->st[ST_FIELD_INSERT];
    sqlite3_bind_text(q, 1, r->field_name, -1, SQLITE_STATIC);
    int st = step_done(s, q, "adding a field", err);
    if (st)
        return st;
    *id = sqlite3_last_insert_rowid(s->db);
    if (mc_dict_put(s->fields, r->field_name, n, *id) != 0)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory");
    memo_put(s->memo[1], r->field_name, NULL, *id);
    return 0;
}

static void bind_date(sqlite3_stmt *q, int i, mc_date d)
{
    if (d == MC_DATE_NONE)
        sqlite3_bind_null(q, i);
    else
        sqlite3_bind_int64(q, i, d);
}

/* Is fp the fingerprint of one of the case's versions (its seen blob)? */
static int is_duplicate(const char *seen, size_t seen_len, const unsigned char *fp)
{
    for (size_t off = 0; off + MC_SEEN_LEN <= seen_len; off += MC_SEEN_LEN)
        if (memcmp(seen + off, fp, MC_FP_LEN) == 0)
            return 1;
    return 0;
}

/* Where two versions disagree (SPEC 2): the unit, or the day received. */
static int record_conflict(mc_store *s, long line, const char *key, const char *what,
                           const char *stored, const char *incoming, mc_error *err)
{
    sqlite3_stmt *q = s->st[ST_CONFLICT_INSERT];
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, s->file_id);
    sqlite3_bind_int64(q, 3, line);
    sqlite3_bind_text(q, 4, what, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, stored, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 6, incoming, -1, SQLITE_TRANSIENT);
    return step_done(s, q, "recording a conflict", err);
}

static void day_text(mc_date d, char *buf, size_t cap)
{
    int64_t day = mc_date_day(d);
    time_t t = (time_t)(day * 86400);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, cap, "%Y-%m-%d", &tm);
}

static const char *unit_label_of(const mc_store *s, int64_t id)
{
    return id >= 0 && (size_t)id < s->n_unit_label && s->unit_label[id] ? s->unit_label[id] : "";
}

/* "code name" for people, from the "code\x1fname" label. */
static void unit_text(const mc_store *s, int64_t id, char *buf, size_t cap)
{
    const char *l = unit_label_of(s, id);
    const char *sep = strchr(l, '\x1f');
    size_t nc = sep ? (size_t)(sep - l) : strlen(l);
    const char *name = sep ? sep + 1 : "";
    snprintf(buf, cap, "%.*s%s%s", (int)nc, l, nc && *name ? " " : "", name);
}

/* Same unit?  Codes decide when both rows have one; otherwise names. */
static int same_unit(const mc_store *s, int64_t a, int64_t b)
{
    if (a == b)
        return 1;
    const char *la = unit_label_of(s, a), *lb = unit_label_of(s, b);
    const char *sa = strchr(la, '\x1f'), *sb = strchr(lb, '\x1f');
    if (!sa || !sb)
        return 0;
    size_t ca = (size_t)(sa - la), cb = (size_t)(sb - lb);
    if (ca && cb)
        return ca == cb && memcmp(la, lb, ca) == 0;
    if (!ca && !cb)
        return strcmp(sa + 1, sb + 1) == 0;
    return 0;
}

static void put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* Append the version of the open file's line, fingerprint fp, to the
 * case's versions, already in s->seen[0..len). */
static int seen_append(mc_store *s, size_t len, const unsigned char *fp, long line)
{
    if (reserve(&s->seen, &s->seen_cap, len + MC_SEEN_LEN) != 0)
        return -1;
    unsigned char *e = (unsigned char *)s->seen + len;
    memcpy(e, fp, MC_FP_LEN);
    put_be32(e + MC_FP_LEN, (uint32_t)s->file_id);
    put_be32(e + MC_FP_LEN + 4, (uint32_t)line);
    return 0;
}

/* The case's current state, when it exists: what deciding the next version
 * needs, and its fingerprints copied into s->seen. */
typedef struct case_state {
    int exists;
    mc_date upd;
    int progress;
    int64_t unit, received;
    size_t seen_len;
} case_state;

static int lookup_case(mc_store *s, const char *key, case_state *c, mc_error *err)
{
    memset(c, 0, sizeof *c);
    c->upd = MC_DATE_NONE;
    sqlite3_stmt *q = s->st[ST_CASE_GET];
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q), st = 0;
    if (rc == SQLITE_ROW) {
        c->exists = 1;
        c->upd = sqlite3_column_type(q, 0) == SQLITE_NULL ? MC_DATE_NONE
                                                          : sqlite3_column_int64(q, 0);
        int64_t facts = sqlite3_column_int64(q, 1);
        c->progress = mc_facts_progress(facts);
        c->unit = mc_facts_unit(facts);
        c->received = sqlite3_column_int64(q, 2);
        c->seen_len = (size_t)sqlite3_column_bytes(q, 3);
        const void *seen = sqlite3_column_blob(q, 3);
        /* copy out before the statement is reset and the blob goes away */
        if (reserve(&s->seen, &s->seen_cap, c->seen_len + MC_SEEN_LEN) != 0)
            st = mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory");
        else if (c->seen_len)
            memcpy(s->seen, seen, c->seen_len);
    } else if (rc != SQLITE_DONE) {
        st = mc_store_fail(s, rc, "looking up a case", err);
    }
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return st;
}

/* A flag (MC_FLAG_*) as its two bits of facts, -1 when out of range. */
static int64_t flag_bits(int flag)
{
    return flag >= MC_FLAG_ABSENT && flag <= MC_FLAG_YES ? flag + 1 : -1;
}

/* Pack the case's small codes into *facts, the layout mc_facts_* read and
 * the view "cases" spells out.  -1 when a code does not fit its bits (the
 * normalizer never lets one through). */
static int pack_facts(const mc_record *r, int64_t unit_id, int64_t *facts)
{
    int64_t fee = flag_bits(r->has_fee), paid = flag_bits(r->paid_online),
            dig = flag_bits(r->digitized), eres = flag_bits(r->e_result);
    if (r->status < 0 || r->status > 15 || r->channel < 0 || r->channel > 7 ||
        r->service_level < 0 || r->service_level > 7 || fee < 0 || paid < 0 || dig < 0 ||
        eres < 0 || unit_id < 0 || unit_id > (INT64_MAX >> MC_FACTS_UNIT_SHIFT))
        return -1;
    int apology = r->apology == MC_FLAG_YES || r->apology_at != MC_DATE_NONE;
    *facts = (int64_t)progress_of(r->status) << MC_FACTS_PROGRESS_SHIFT |
             (int64_t)r->status << MC_FACTS_STATUS_SHIFT |
             (int64_t)r->channel << MC_FACTS_CHANNEL_SHIFT |
             (int64_t)r->service_level << MC_FACTS_LEVEL_SHIFT |
             (int64_t)apology << MC_FACTS_APOLOGY_SHIFT | fee << MC_FACTS_HAS_FEE_SHIFT |
             paid << MC_FACTS_PAID_ONLINE_SHIFT | dig << MC_FACTS_DIGITIZED_SHIFT |
             eres << MC_FACTS_E_RESULT_SHIFT | unit_id << MC_FACTS_UNIT_SHIFT;
    return 0;
}

/*
 * A staged row: what the store keeps of a version, everything the case row
 * and the decision about it need and nothing more (the unit already an id,
 * the small codes already packed), so that a run of many rows stays small.
 * The case key lives in its run's keys, at key (an offset: the buffer may
 * move while the run fills).
 */
typedef struct staged {
    size_t key;
    long line;
    int64_t facts;
    uint32_t proc_id, field_id; /* 0: none; 32 bits keep a run of rows small */
    mc_date upd, received, due, end;
    unsigned char fp[MC_FP_LEN];
} staged;

/*
 * A run is sorted through a small array of these, not by moving the rows,
 * and by the SORT_WORDS * 8 bytes of the key (big-endian, 0-padded) after
 * those every key of the run shares, then by row, the index in the run.
 * That is the keys' B-tree order up to keys that share those bytes too,
 * which is order enough for the page cache: such keys are neighbours in
 * the tree whatever their order among themselves.  And it is all the order
 * correctness needs: the rows of one case have one key, so they keep the
 * order they were staged in.
 */
typedef struct sort_key {
    uint64_t head[SORT_WORDS];
    uint32_t row;
} sort_key;

static void key_head(const char *key, uint64_t head[SORT_WORDS])
{
    for (int w = 0; w < SORT_WORDS; w++) {
        uint64_t h = 0;
        for (int i = 0; i < 8; i++) {
            h <<= 8;
            if (*key)
                h |= (unsigned char)*key++;
        }
        head[w] = h;
    }
}

/*
 * Sort v[0..n) by head, keeping the order of equal heads: a least
 * significant digit radix sort by bytes, skipping the bytes all keys share
 * (most of a case key: its unit code's dots and digits), so about one pass
 * per byte that varies.  tmp holds n more.  A comparison sort of the same
 * runs cost the store thread 0.4 s on 1M rows (measured), more than its
 * walk of the tree saved on the way.
 */
static void sort_keys(sort_key *v, sort_key *tmp, size_t n, size_t count[][256])
{
    enum { DIGITS = SORT_WORDS * 8 };
    if (n < 2)
        return;
    memset(count, 0, DIGITS * sizeof *count);
    for (size_t i = 0; i < n; i++)
        for (int d = 0; d < DIGITS; d++)
            count[d][v[i].head[SORT_WORDS - 1 - d / 8] >> (8 * (d % 8)) & 0xff]++;
    sort_key *from = v, *to = tmp;
    for (int d = 0; d < DIGITS; d++) {
        int word = SORT_WORDS - 1 - d / 8, shift = 8 * (d % 8);
        if (count[d][from[0].head[word] >> shift & 0xff] == n)
            continue; /* every key has this byte */
        size_t at = 0;
        for (int c = 0; c < 256; c++) {
            size_t k = count[d][c];
            count[d][c] = at;
            at += k;
        }
        for (size_t i = 0; i < n; i++)
            to[count[d][from[i].head[word] >> shift & 0xff]++] = from[i];
        sort_key *t = from;
        from = to;
        to = t;
    }
    if (from != v)
        memcpy(v, from, n * sizeof *v);
}

/* Fill *e from version r, line of the open file, fingerprint fp (the key
 * itself is the caller's to place). */
static int staged_of(mc_store *s, long line, const mc_record *r, const unsigned char *fp,
                     staged *e, mc_error *err)
{
    int64_t unit_id;
    int st;
    /* the line's half of a version's name (mc_store_file_begin checks the
     * file id's) */
    if (line < 1 || line > UINT32_MAX)
        return mc_error_set(err, MC_EXIT_DATA, "%s: line %ld is past the 4,294,967,295 lines "
                            "a store can name in one file", s->path, line);
    /* Units, procedures and fields get their ids here, in file order,
     * whatever order the run is applied in. */
    int64_t proc_id, field_id;
    if ((st = unit_id_of(s, r, &unit_id, err)) || (st = proc_id_of(s, r, &proc_id, err)) ||
        (st = field_id_of(s, r, &field_id, err)))
        return st;
    if (proc_id > UINT32_MAX || field_id > UINT32_MAX)
        return mc_error_set(err, MC_EXIT_DATA, "%s: past the 4,294,967,295 procedures or fields "
                            "a store can name", s->path);
    e->proc_id = (uint32_t)proc_id;
    e->field_id = (uint32_t)field_id;
    if (pack_facts(r, unit_id, &e->facts) != 0)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "%s: a code of case %s is out of the "
                            "store's range", s->path, r->case_id);
    e->line = line;
    e->upd = r->updated_at;
    e->received = r->received_at;
    e->due = r->due_at;
    e->end = r->finished_at != MC_DATE_NONE ? r->finished_at : r->returned_at;
    memcpy(e->fp, fp, MC_FP_LEN);
    return 0;
}

/* Insert or update the case row key (stmt ST_CASE_INSERT, _INSERT_NEW or
 * _UPDATE) from version e, the case's versions being s->seen[0..seen_len). */
static int write_case(mc_store *s, int stmt, const staged *e, const char *key,
                      size_t seen_len, mc_error *err)
{
    sqlite3_stmt *q = s->st[stmt];
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, s->file_id << 32 | (int64_t)e->line);
    bind_date(q, 3, e->upd);
    sqlite3_bind_int64(q, 4, e->facts);
    sqlite3_bind_int64(q, 5, e->received);
    bind_date(q, 6, e->due);
    bind_date(q, 7, e->end);
    sqlite3_bind_blob(q, 8, s->seen, (int)seen_len, SQLITE_STATIC);
    sqlite3_bind_int64(q, 9, e->proc_id);
    sqlite3_bind_int64(q, 10, e->field_id);
    return step_done(s, q, "storing a case", err);
}

/* Record where version e disagrees with the current one (SPEC 2). */
static int check_conflicts(mc_store *s, const staged *e, const char *key, const case_state *c,
                           int *conflict, mc_error *err)
{
    int st;
    int64_t unit_id = mc_facts_unit(e->facts);
    if (!same_unit(s, c->unit, unit_id)) {
        char a[600], b[600];
        unit_text(s, c->unit, a, sizeof a);
        unit_text(s, unit_id, b, sizeof b);
        if ((st = record_conflict(s, e->line, key, "unit", a, b, err)))
            return st;
        *conflict = 1;
    }
    if (mc_date_day(c->received) != mc_date_day(e->received)) {
        char a[16], b[16];
        day_text(c->received, a, sizeof a);
        day_text(e->received, b, sizeof b);
        if ((st = record_conflict(s, e->line, key, "received_at", a, b, err)))
            return st;
        *conflict = 1;
    }
    return 0;
}

/*
 * Two ways to the same result.  Most rows of a first load are new cases:
 * for them the case row is inserted straight away (INSERT ... ON CONFLICT
 * DO NOTHING), one B-tree search instead of a failed lookup and then an
 * insert.  Most rows of an overlapping nightly export are known cases:
 * for them the lookup comes first.  new_hint follows the last rows to pick
 * the way; either way the store ends up the same.
 */
/* One step of new_hint towards "new cases" or "known cases", within
 * [-NEW_HINT_MAX, NEW_HINT_MAX]. */
static void follow_hint(mc_store *s, int new_case)
{
    if (new_case && s->new_hint < NEW_HINT_MAX)
        s->new_hint++;
    else if (!new_case && s->new_hint > -NEW_HINT_MAX)
        s->new_hint--;
}

/* Store version e of known case key (versions in s->seen[0..seen_len)):
 * current when it has the greatest (updated_at, progress, ingest order)
 * (SPEC 2), only among the versions otherwise; the later-loaded version
 * wins ties, having the greater ingest order. */
static int store_version(mc_store *s, const staged *e, const char *key, const case_state *cur,
                         size_t seen_len, mc_error *err)
{
    int progress = mc_facts_progress(e->facts);
    int upd_vs_cur = mc_date_cmp(e->upd, cur->upd);
    if (upd_vs_cur > 0 || (upd_vs_cur == 0 && progress >= cur->progress))
        return write_case(s, ST_CASE_UPDATE, e, key, seen_len, err);
    sqlite3_stmt *q = s->st[ST_CASE_SEEN];
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_blob(q, 2, s->seen, (int)seen_len, SQLITE_STATIC);
    return step_done(s, q, "storing a case", err);
}

/* Apply version e of case key -- a new case, a new version, or a duplicate
 * of a stored version -- and, once applied, count it into *t, with a
 * conflict when it disagrees with the current version on unit or received
 * date. */
static int apply_staged(mc_store *s, const staged *e, const char *key, mc_add_totals *t,
                        mc_error *err)
{
    case_state cur;
    int st;
    if (s->new_hint > 0) {
        if (seen_append(s, 0, e->fp, e->line) != 0)
            return mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory");
        if ((st = write_case(s, ST_CASE_INSERT_NEW, e, key, MC_SEEN_LEN, err)))
            return st;
        if (sqlite3_changes(s->db) == 1) {
            follow_hint(s, 1);
            t->accepted++;
            return 0;
        }
    }

    if ((st = lookup_case(s, key, &cur, err)))
        return st;
    follow_hint(s, !cur.exists);
    if (cur.exists && is_duplicate(s->seen, cur.seen_len, e->fp)) {
        t->duplicate++;
        return 0;
    }
    if (seen_append(s, cur.seen_len, e->fp, e->line) != 0)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory");
    size_t seen_len = cur.seen_len + MC_SEEN_LEN;
    int conflict = 0;
    if (!cur.exists)
        st = write_case(s, ST_CASE_INSERT, e, key, seen_len, err);
    else if (!(st = check_conflicts(s, e, key, &cur, &conflict, err)))
        st = store_version(s, e, key, &cur, seen_len, err);
    if (!st) {
        t->accepted++;
        t->conflicts += conflict;
    }
    return st;
}

/* Apply up to max more rows of run r (sorted), counting them into *t; the
 * run is emptied once all are applied. */
static int run_apply(mc_store *s, struct run *r, size_t max, mc_add_totals *t, mc_error *err)
{
    int st = 0;
    for (; max && r->applied < r->n && !st; max--) {
        const staged *e = &r->rows[r->order[r->applied++].row];
        st = apply_staged(s, e, r->keys + e->key, t, err);
    }
    if (r->applied == r->n)
        r->n = r->applied = r->keys_used = 0;
    return st;
}

static int run_sort(mc_store *s, struct run *r, mc_error *err)
{
    for (size_t i = 0; i < r->n; i++) {
        key_head(r->keys + r->rows[i].key + r->shared, r->order[i].head);
        r->order[i].row = (uint32_t)i;
    }
    if (r->n > s->sort_tmp_cap) {
        sort_key *tmp = realloc(s->sort_tmp, r->cap * sizeof *tmp);
        if (!tmp)
            return mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory");
        s->sort_tmp = tmp;
        s->sort_tmp_cap = r->cap;
    }
    sort_keys(r->order, s->sort_tmp, r->n, s->sort_count);
    return 0;
}

int mc_store_flush(mc_store *s, mc_add_totals *t, mc_error *err)
{
    struct run *fill = &s->runs[s->fill], *drain = &s->runs[!s->fill];
    int st = run_apply(s, drain, SIZE_MAX, t, err);
    if (!st)
        st = run_sort(s, fill, err);
    if (!st)
        st = run_apply(s, fill, SIZE_MAX, t, err);
    return st;
}

/*
 * While one run fills, the other is applied a few rows per row staged, as
 * many as finish it by the time the new one is full: the store's work stays
 * spread evenly over the file, and the reading thread, which can only be a
 * few batches ahead, never waits for a whole run to be applied.
 */
static size_t apply_pace(const mc_store *s, const struct run *fill, const struct run *drain)
{
    size_t left = drain->n - drain->applied, room = s->run_limit - fill->n;
    return room ? (left + room - 1) / room : left;
}

int mc_store_stage(mc_store *s, long line, const mc_record *r, const unsigned char *fp,
                   mc_add_totals *t, mc_error *err)
{
    if (!s->in_file)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "%s: a row staged with no file open",
                            s->path);
    struct run *fill = &s->runs[s->fill];
    size_t key_len = strlen(r->case_id) + 1;
    if (fill->n == fill->cap) {
        size_t cap = fill->cap ? 2 * fill->cap : 1024;
        staged *rows = realloc(fill->rows, cap * sizeof *rows);
        if (rows)
            fill->rows = rows;
        sort_key *order = rows ? realloc(fill->order, cap * sizeof *order) : NULL;
        if (!order)
            return mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory");
        fill->order = order;
        fill->cap = cap;
    }
    if (reserve(&fill->keys, &fill->keys_cap, fill->keys_used + key_len) != 0)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory");
    staged *e = &fill->rows[fill->n];
    int st = staged_of(s, line, r, fp, e, err);
    if (st)
        return st;
    e->key = fill->keys_used;
    memcpy(fill->keys + fill->keys_used, r->case_id, key_len);
    if (!fill->n) {
        fill->shared = key_len - 1;
    } else {
        const char *first = fill->keys + fill->rows[0].key;
        size_t k = 0;
        while (k < fill->shared && first[k] == r->case_id[k])
            k++;
        fill->shared = k;
    }
    fill->keys_used += key_len;
    fill->n++;

    struct run *drain = &s->runs[!s->fill];
    if (fill->n < s->run_limit && fill->keys_used < RUN_KEYS_MAX)
        return run_apply(s, drain, apply_pace(s, fill, drain), t, err);
    /* full: the other run is finished, and this one becomes the one applied */
    if ((st = run_apply(s, drain, SIZE_MAX, t, err)))
        return st;
    if ((st = run_sort(s, fill, err)))
        return st;
    s->fill = !s->fill;
    if (s->run_limit < s->run_rows)
        s->run_limit = s->run_limit * 2 < s->run_rows ? s->run_limit * 2 : s->run_rows;
    return 0;
}

int mc_store_reject(mc_store *s, long line, const char *reason, const char *column,
                    const char *detail, const char *fields, mc_error *err)
{
    sqlite3_stmt *q = s->st[ST_REJECT_INSERT];
    sqlite3_bind_int64(q, 1, s->file_id);
    sqlite3_bind_int64(q, 2, line);
    sqlite3_bind_text(q, 3, reason, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, column ? column : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, detail ? detail : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 6, fields ? fields : "", -1, SQLITE_STATIC);
    return step_done(s, q, "quarantining a row", err);
}

int mc_store_unit_keys(mc_store *s, mc_unit_key **keys, size_t *n, mc_error *err)
{
    *keys = NULL;
    *n = 0;
    sqlite3_stmt *q;
    int rc = sqlite3_prepare_v2(s->db, "SELECT id, code, name FROM unit_keys ORDER BY id", -1,
                                &q, NULL);
    if (rc != SQLITE_OK)
        return mc_store_fail(s, rc, "reading the unit names", err);
    size_t cap = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            mc_unit_key *k = realloc(*keys, cap * sizeof *k);
            if (!k)
                break;
            *keys = k;
        }
        mc_unit_key *k = &(*keys)[(*n)++];
        k->id = sqlite3_column_int64(q, 0);
        const char *c = (const char *)sqlite3_column_text(q, 1);
        const char *m = (const char *)sqlite3_column_text(q, 2);
        k->code = c ? strdup(c) : NULL;
        k->name = m ? strdup(m) : NULL;
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) {
        mc_store_unit_keys_free(*keys, *n);
        *keys = NULL;
        *n = 0;
        return rc == SQLITE_ROW ? mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory")
                                : mc_store_fail(s, rc, "reading the unit names", err);
    }
    return 0;
}

void mc_store_unit_keys_free(mc_unit_key *keys, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(keys[i].code);
        free(keys[i].name);
    }
    free(keys);
}

void mc_store_dims_free(mc_store_dims *d)
{
    if (d->proc_code)
        for (int64_t i = 0; i <= d->max_proc; i++) {
            free(d->proc_code[i]);
            free(d->proc_name[i]);
        }
    if (d->field_name)
        for (int64_t i = 0; i <= d->max_field; i++)
            free(d->field_name[i]);
    free(d->proc_code);
    free(d->proc_name);
    free(d->field_name);
    memset(d, 0, sizeof *d);
}

static char *dup_column(sqlite3_stmt *q, int i, int *oom)
{
    const char *v = (const char *)sqlite3_column_text(q, i);
    char *c = v ? strdup(v) : NULL;
    if (v && !c)
        *oom = 1;
    return c;
}

int mc_store_dims_read(mc_store *s, mc_store_dims *d, mc_error *err)
{
    memset(d, 0, sizeof *d);
    int64_t max[2];
    int st;
    if ((st = query_int(s, "SELECT coalesce(max(id), 0) FROM procedures", &max[0], err)) ||
        (st = query_int(s, "SELECT coalesce(max(id), 0) FROM fields", &max[1], err)))
        return st;
    if (max[0] < 0 || max[1] < 0 || max[0] >= INT32_MAX || max[1] >= INT32_MAX)
        return mc_error_set(err, MC_EXIT_DATA, "%s: a procedure or field id is out of range; "
                            "run 'motcua check'", s->path);
    d->max_proc = max[0];
    d->max_field = max[1];
    d->proc_code = calloc((size_t)max[0] + 1, sizeof *d->proc_code);
    d->proc_name = calloc((size_t)max[0] + 1, sizeof *d->proc_name);
    d->field_name = calloc((size_t)max[1] + 1, sizeof *d->field_name);
    if (!d->proc_code || !d->proc_name || !d->field_name) {
        mc_store_dims_free(d);
        return mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory");
    }
    static const char *const sql[2] = {"SELECT id, code, name FROM procedures WHERE id > 0",
                                       "SELECT id, name FROM fields WHERE id > 0"};
    int oom = 0, rc = SQLITE_DONE;
    for (int t = 0; t < 2 && !oom && rc == SQLITE_DONE; t++) {
        sqlite3_stmt *q;
        if ((rc = sqlite3_prepare_v2(s->db, sql[t], -1, &q, NULL)) != SQLITE_OK)
            break;
        while (!oom && (rc = sqlite3_step(q)) == SQLITE_ROW) {
            int64_t id = sqlite3_column_int64(q, 0);
            if (t == 0) {
                d->proc_code[id] = dup_column(q, 1, &oom);
                d->proc_name[id] = dup_column(q, 2, &oom);
            } else {
                d->field_name[id] = dup_column(q, 1, &oom);
            }
        }
        sqlite3_finalize(q);
    }
    if (oom || rc != SQLITE_DONE) {
        mc_store_dims_free(d);
        return oom ? mc_error_set(err, MC_EXIT_SOFTWARE, "out of memory")
                   : mc_store_fail(s, rc, "reading the procedures and fields", err);
    }
    return 0;
}
