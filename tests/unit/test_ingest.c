/*
 * test_ingest.c -- loading one export (etl/ingest.c): the two-thread
 * pipeline and the single-thread path give the same store, row for row and
 * in file order, and every failure (the store full, the file truncated)
 * leaves nothing of the file behind.
 *
 * The exports are built here, row kinds chosen by row number so that the
 * expected counts are known: new cases, later versions (some moving unit,
 * hence conflicts), exact repeats, and quarantined rows of three kinds.
 * Which path a file takes depends on its size on disk (small files are
 * loaded by the calling thread alone), so the same rows are written plain
 * (large: threads) and gzip'd (small: one thread), and the sizes are
 * checked so that a change of threshold cannot silently test one path twice.
 */
#include <criterion/criterion.h>

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "etl/fingerprint.h"
#include "etl/ingest.h"
#include "etl/store.h"

/* The size below which ingest.c reads on the calling thread (its
 * THREAD_MIN_FILE); only used to check that both paths are exercised. */
#define THREAD_MIN_FILE (64 * 1024)

/* ------------------------------------------------------------ helpers */

typedef struct {
    long rows, accepted, duplicate, quarantined, conflicts;
} expect;

static char dir[64];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/mc-ingest-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

static void path_of(char *buf, size_t cap, const char *name)
{
    snprintf(buf, cap, "%s/%s", dir, name);
}

#define HEADER "MaHoSo,MaDonVi,DonViXuLy,TrangThaiHoSo,NgayTiepNhan,NgayHenTra,NgayCapNhat"

/* n data rows (plus the header); *e gets what loading them must count.
 * Returns a malloc'd text. */
static char *export_text(long n, expect *e, size_t *len)
{
    char *t = NULL;
    FILE *f = open_memstream(&t, len);
    cr_assert_not_null(f);
    memset(e, 0, sizeof *e);
    fputs(HEADER "\n", f);
    char last[256] = "";   /* the last good row, for repeats */
    long last_case = -1;   /* its case, for later versions */
    for (long i = 1; i <= n; i++) {
        char row[256];
        e->rows++;
        if (i % 1000 == 500) {
            snprintf(row, sizeof row, "%s", HEADER);
            e->quarantined++;
        } else if (i % 97 == 3) {
            snprintf(row, sizeof row, "HS-%07ld,000.21.05.H30,UBND xã Cẩm Thành,2,"
                     "31/02/2025 10:00:00,10/07/2025 17:00:00,20/07/2025 08:00:00", i);
            e->quarantined++;
        } else if (i % 331 == 7) {
            snprintf(row, sizeof row, "HS-%07ld,000.21.05.H30,2", i);
            e->quarantined++;
        } else if (i % 50 == 7 && last[0]) {
            snprintf(row, sizeof row, "%s", last);
            e->duplicate++;
        } else if (i % 40 == 11 && last_case >= 0) {
            /* a later version: another update time, and every other one
             * another unit, which the store records as a conflict */
            int moved = i % 80 == 51;
            snprintf(row, sizeof row, "HS-%07ld,%s,%s,2,01/07/2025 08:00:00,10/07/2025 17:00:00,"
                     "20/07/2025 %02ld:%02ld:%02ld", last_case,
                     moved ? "000.24.05.H30" : "000.21.05.H30",
                     moved ? "UBND xã Cẩm Xuyên" : "UBND xã Cẩm Thành",
                     i / 3600 % 24, i / 60 % 60, i % 60);
            e->accepted++;
            e->conflicts += moved;
            snprintf(last, sizeof last, "%s", row);
        } else {
            snprintf(row, sizeof row, "HS-%07ld,000.21.05.H30,UBND xã Cẩm Thành,2,"
                     "01/07/2025 08:00:00,10/07/2025 17:00:00,20/07/2025 %02ld:%02ld:%02ld",
                     i, i / 3600 % 24, i / 60 % 60, i % 60);
            e->accepted++;
            last_case = i;
            snprintf(last, sizeof last, "%s", row);
        }
        fprintf(f, "%s\n", row);
    }
    cr_assert_eq(fclose(f), 0);
    return t;
}

static uint64_t write_plain(const char *path, const char *t, size_t len)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(t, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    return (uint64_t)st.st_size;
}

static uint64_t write_gzip(const char *path, const char *t, size_t len)
{
    gzFile g = gzopen(path, "wb9");
    cr_assert_not_null(g);
    cr_assert_eq(gzwrite(g, t, (unsigned)len), (int)len);
    cr_assert_eq(gzclose(g), Z_OK);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    return (uint64_t)st.st_size;
}

static mc_store *open_store(const char *name)
{
    char p[128];
    path_of(p, sizeof p, name);
    mc_store *s = NULL;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_store_open(p, MC_STORE_READWRITE, &s, &err), 0, "%s", err.msg);
    return s;
}

/* Open the store name with the fingerprint secret of store other, so that
 * the fingerprints of the two compare (each store makes its own). */
static mc_store *open_store_sharing_secret(const char *name, mc_store *other)
{
    mc_store *s = open_store(name);
    sqlite3_stmt *q;
    cr_assert_eq(sqlite3_prepare_v2(mc_store_db(s), "UPDATE settings SET value = ?1 WHERE name ="
                                    " 'fingerprint_secret'", -1, &q, NULL), SQLITE_OK);
    sqlite3_bind_blob(q, 1, mc_store_fp_secret(other), MC_FP_SECRET_LEN, SQLITE_STATIC);
    cr_assert_eq(sqlite3_step(q), SQLITE_DONE);
    sqlite3_finalize(q);
    cr_assert_eq(sqlite3_changes(mc_store_db(s)), 1);
    mc_store_close(s);
    s = open_store(name);
    cr_assert_eq(memcmp(mc_store_fp_secret(s), mc_store_fp_secret(other), MC_FP_SECRET_LEN), 0);
    return s;
}

/* One query's rows as text, one line each, columns joined by '|'. */
static char *dump(mc_store *s, const char *sql)
{
    char *t = NULL;
    size_t len;
    FILE *f = open_memstream(&t, &len);
    cr_assert_not_null(f);
    sqlite3_stmt *q;
    cr_assert_eq(sqlite3_prepare_v2(mc_store_db(s), sql, -1, &q, NULL), SQLITE_OK, "%s", sql);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(q); c++) {
            const unsigned char *v = sqlite3_column_text(q, c);
            int n = sqlite3_column_bytes(q, c);
            fprintf(f, "%s", c ? "|" : "");
            for (int k = 0; v && k < n; k++)
                fprintf(f, v[k] >= 0x20 && v[k] != '|' ? "%c" : "\\x%02x", v[k]);
        }
        fputc('\n', f);
    }
    cr_assert_eq(rc, SQLITE_DONE);
    sqlite3_finalize(q);
    cr_assert_eq(fclose(f), 0);
    return t;
}

static long count(mc_store *s, const char *sql)
{
    sqlite3_stmt *q;
    cr_assert_eq(sqlite3_prepare_v2(mc_store_db(s), sql, -1, &q, NULL), SQLITE_OK, "%s", sql);
    cr_assert_eq(sqlite3_step(q), SQLITE_ROW);
    long n = (long)sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return n;
}

/* Everything a load leaves in the store, but the ledger's own row. */
static const char *const tables[] = {
    "SELECT * FROM cases ORDER BY case_key",
    "SELECT file_id, line, reason, col, detail, fields FROM rejects ORDER BY id",
    "SELECT case_key, file_id, line, what, stored, incoming FROM conflicts ORDER BY id",
    "SELECT * FROM unit_keys ORDER BY id",
    "SELECT * FROM procedures ORDER BY id",
    "SELECT * FROM fields ORDER BY id",
};

static void assert_counts(const mc_ingest_result *r, const expect *e)
{
    cr_assert_eq(r->counts.rows_read, e->rows);
    cr_assert_eq(r->counts.accepted, e->accepted);
    cr_assert_eq(r->counts.duplicate, e->duplicate);
    cr_assert_eq(r->counts.quarantined, e->quarantined);
    cr_assert_eq(r->counts.conflicts, e->conflicts);
}

static void assert_nothing_stored(mc_store *s)
{
    cr_assert_eq(count(s, "SELECT count(*) FROM files"), 0);
    cr_assert_eq(count(s, "SELECT count(*) FROM cases"), 0);
    cr_assert_eq(count(s, "SELECT count(*) FROM rejects"), 0);
    cr_assert_eq(count(s, "SELECT count(*) FROM conflicts"), 0);
}

/* ------------------------------------------------------------ tests */

TestSuite(ingest, .init = make_dir, .fini = remove_dir, .timeout = 120);

/* The same rows through both paths: the same store, in file order. */
Test(ingest, threads_and_one_thread_agree)
{
    expect e;
    size_t len;
    char *t = export_text(5000, &e, &len);
    char plain[128], gz[128];
    path_of(plain, sizeof plain, "rows.csv");
    path_of(gz, sizeof gz, "rows.csv.gz");
    cr_assert_geq(write_plain(plain, t, len), THREAD_MIN_FILE, "the plain file must use threads");
    cr_assert_lt(write_gzip(gz, t, len), THREAD_MIN_FILE, "the gzip file must use one thread");
    free(t);

    mc_store *a = open_store("a.db"), *b = open_store_sharing_secret("b.db", a);
    mc_ingest_result ra, rb;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_ingest_file(a, plain, NULL, &ra, &err), 0, "%s", err.msg);
    cr_assert_eq(mc_ingest_file(b, gz, NULL, &rb, &err), 0, "%s", err.msg);
    assert_counts(&ra, &e);
    assert_counts(&rb, &e);
    cr_assert_eq(ra.gzip, 0);
    cr_assert_eq(rb.gzip, 1);
    /* the ledger says what the file was (SPEC 10.4) */
    char *la = dump(a, "SELECT format, sheet, header_line, trailer_rows FROM files");
    char *lb = dump(b, "SELECT format, sheet, header_line, trailer_rows FROM files");
    cr_expect_str_eq(la, "csv||1|0\n");
    cr_expect_str_eq(lb, "csv.gz||1|0\n");
    free(la);
    free(lb);
    cr_assert(e.conflicts > 0 && e.duplicate > 0 && e.quarantined > 0);
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        char *da = dump(a, tables[i]), *db = dump(b, tables[i]);
        cr_assert_str_eq(da, db, "%s", tables[i]);
        free(da);
        free(db);
    }
    /* file order: every reject in line order (the versions of each case
     * are in its seen blob, compared above) */
    cr_assert_eq(count(a, "SELECT count(*) FROM rejects v JOIN rejects w ON w.id = v.id + 1"
                          " WHERE w.line <= v.line"), 0);
    cr_assert_eq(count(a, "SELECT count(*) FROM rejects WHERE reason = 'repeated_header'"), 5);
    cr_assert_eq(count(a, "SELECT line FROM rejects WHERE reason = 'repeated_header'"
                          " ORDER BY id LIMIT 1"), 501);
    mc_store_close(a);
    mc_store_close(b);
}

/* A few rows: loaded by the calling thread, counted as ever. */
Test(ingest, small_file)
{
    expect e;
    size_t len;
    char *t = export_text(60, &e, &len);
    char plain[128];
    path_of(plain, sizeof plain, "small.csv");
    cr_assert_lt(write_plain(plain, t, len), THREAD_MIN_FILE);
    free(t);
    mc_store *s = open_store("s.db");
    mc_ingest_result r;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_ingest_file(s, plain, NULL, &r, &err), 0, "%s", err.msg);
    assert_counts(&r, &e);
    cr_assert_eq(count(s, "SELECT rows_read FROM files"), 60);
    /* the second time it is known by its SHA-256 */
    cr_assert_eq(mc_ingest_file(s, plain, NULL, &r, &err), 0, "%s", err.msg);
    cr_assert_eq(r.already_loaded, 1);
    mc_store_close(s);
}

typedef struct {
    int calls;
    uint64_t last, total;
    int64_t rows;
    int backwards;
} progress_log;

static void on_progress(void *ctx, uint64_t done, uint64_t total, int64_t rows)
{
    progress_log *l = ctx;
    if (done < l->last || done > total || rows < l->rows)
        l->backwards = 1;
    l->calls++;
    l->last = done;
    l->total = total;
    l->rows = rows;
}

/* Progress comes from the calling thread, batch by batch, never backwards. */
Test(ingest, progress)
{
    expect e;
    size_t len;
    char *t = export_text(20000, &e, &len);
    char plain[128];
    path_of(plain, sizeof plain, "rows.csv");
    uint64_t size = write_plain(plain, t, len);
    free(t);
    mc_store *s = open_store("p.db");
    progress_log l = {0};
    mc_ingest_opts o = {.chunk_size = 4096, .progress = on_progress, .progress_ctx = &l};
    mc_ingest_result r;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_ingest_file(s, plain, &o, &r, &err), 0, "%s", err.msg);
    assert_counts(&r, &e);
    cr_assert_gt(l.calls, 3);
    cr_assert_eq(l.backwards, 0);
    cr_assert_eq(l.total, size);
    cr_assert_leq(l.last, size);
    cr_assert_eq(l.rows, e.rows, "the last call counts every row");
    mc_store_close(s);
}

/* The store fills up, extra pages after the file began: its error is
 * returned, nothing of the file stays, and the store still works.  With
 * early, it fills up mid-file and the reading thread is stopped; without,
 * the file is smaller than a first run (1024 rows), so its case rows all
 * reach the store after the read, in mc_store_flush. */
static void store_full(const char *name, long rows, int gzip, int extra, int early)
{
    expect e;
    size_t len;
    char *t = export_text(rows, &e, &len);
    char p[128];
    path_of(p, sizeof p, name);
    uint64_t size = gzip ? write_gzip(p, t, len) : write_plain(p, t, len);
    cr_assert(gzip ? size < THREAD_MIN_FILE : size >= THREAD_MIN_FILE);
    free(t);

    mc_store *s = open_store("full.db");
    mc_error err;
    mc_error_clear(&err);
    long pages = count(s, "PRAGMA page_count");
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %ld", pages + extra);
    cr_assert_eq(mc_store_exec(s, sql, &err), 0, "%s", err.msg);
    mc_ingest_result r;
    cr_assert_eq(mc_ingest_file(s, p, NULL, &r, &err), MC_EXIT_IO, "%s", err.msg);
    cr_assert(strstr(err.msg, "disk full"), "%s", err.msg);
    if (early)
        cr_assert_lt(r.counts.rows_read, e.rows, "the load should stop early");
    else
        cr_assert_eq(r.counts.rows_read, e.rows, "the whole file read before the store filled");
    cr_assert(early || strstr(err.msg, "storing a case"), "%s", err.msg);
    assert_nothing_stored(s);

    cr_assert_eq(mc_store_exec(s, "PRAGMA max_page_count = 1073741823", &err), 0, "%s", err.msg);
    mc_error_clear(&err);
    cr_assert_eq(mc_ingest_file(s, p, NULL, &r, &err), 0, "%s", err.msg);
    assert_counts(&r, &e);
    mc_store_close(s);
}

Test(ingest, store_full_threads)
{
    store_full("rows.csv", 20000, 0, 8, 1);
}

Test(ingest, store_full_one_thread)
{
    store_full("rows.csv.gz", 5000, 1, 8, 1);
}

Test(ingest, store_full_when_the_last_run_is_applied)
{
    store_full("rows.csv.gz", 1000, 1, 2, 0);
}

/* The file turns out truncated after many rows were applied: refused,
 * nothing of it stays, and the whole file loads afterwards. */
static void truncated(const char *name, long rows, int threads)
{
    expect e;
    size_t len;
    char *t = export_text(rows, &e, &len);
    char whole[128], cut[128];
    path_of(whole, sizeof whole, name);
    snprintf(cut, sizeof cut, "%s/cut-%s", dir, name);
    uint64_t size = write_gzip(whole, t, len);
    free(t);
    cr_assert(threads ? size >= THREAD_MIN_FILE : size < THREAD_MIN_FILE, "size %llu",
              (unsigned long long)size);
    /* the cut copy: the first 90% of the compressed bytes */
    FILE *in = fopen(whole, "rb");
    cr_assert_not_null(in);
    char *buf = malloc(size);
    cr_assert_eq(fread(buf, 1, size, in), size);
    fclose(in);
    FILE *out = fopen(cut, "wb");
    cr_assert_not_null(out);
    cr_assert_eq(fwrite(buf, 1, size * 9 / 10, out), size * 9 / 10);
    fclose(out);
    free(buf);

    mc_store *s = open_store("cut.db");
    mc_ingest_result r;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_ingest_file(s, cut, NULL, &r, &err), MC_EXIT_DATA, "%s", err.msg);
    cr_assert(strstr(err.msg, "cut-"), "%s", err.msg);
    assert_nothing_stored(s);
    mc_error_clear(&err);
    cr_assert_eq(mc_ingest_file(s, whole, NULL, &r, &err), 0, "%s", err.msg);
    assert_counts(&r, &e);
    mc_store_close(s);
}

Test(ingest, truncated_gzip_threads)
{
    truncated("big.csv.gz", 40000, 1);
}

Test(ingest, truncated_gzip_one_thread)
{
    truncated("small.csv.gz", 3000, 0);
}

/* A file with no rows at all is refused whichever path reads it. */
Test(ingest, header_only_and_refused)
{
    char p[128];
    path_of(p, sizeof p, "header.csv");
    write_plain(p, HEADER "\n", strlen(HEADER) + 1);
    mc_store *s = open_store("h.db");
    mc_ingest_result r;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_ingest_file(s, p, NULL, &r, &err), 0, "%s", err.msg);
    cr_assert_eq(r.counts.rows_read, 0);

    /* a large file whose header lacks a required column: refused */
    char big[128];
    path_of(big, sizeof big, "noheader.csv");
    FILE *f = fopen(big, "w");
    cr_assert_not_null(f);
    fputs("Foo,Bar\n", f);
    for (int i = 0; i < 20000; i++)
        fprintf(f, "%d,x\n", i);
    fclose(f);
    cr_assert_eq(mc_ingest_file(s, big, NULL, &r, &err), MC_EXIT_DATA, "%s", err.msg);
    cr_assert_eq(count(s, "SELECT count(*) FROM files"), 1);
    mc_store_close(s);
}

/* A workbook or HTML table (the reader says ragged): a row shorter than
 * the header is padded, a longer one cut when its extra cells are empty,
 * kept (bad_field_count) when they hold text; a table whose first row is
 * no header is passed over for the next one. */
Test(ingest, ragged_rows_and_the_next_table)
{
    static const char page[] =
        "<html><body><table><tr><td>DANH SÁCH HỒ SƠ</td></tr></table>"
        "<table><tr><th>MaHoSo</th><th>MaDonVi</th><th>TrangThaiHoSo</th><th>NgayTiepNhan</th>"
        "<th>GhiChu</th></tr>"
        "<tr><td>HS-1</td><td>000.21.05.H30</td><td>4</td><td>02/07/2025</td></tr>"
        "<tr><td>HS-2</td><td>000.21.05.H30</td><td>4</td><td>02/07/2025</td><td></td>"
        "<td>extra</td></tr>"
        "<tr><td>HS-3</td><td>000.21.05.H30</td><td>4</td><td>03/07/2025</td><td>x</td>"
        "<td>&nbsp;</td></tr>"
        "</table></body></html>";
    char p[128];
    path_of(p, sizeof p, "export.xls");
    write_plain(p, page, sizeof page - 1);
    mc_store *s = open_store("r.db");
    mc_ingest_result r;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_ingest_file(s, p, NULL, &r, &err), 0, "%s", err.msg);
    cr_assert_eq(r.counts.rows_read, 3);
    cr_assert_eq(r.counts.accepted, 2);
    cr_assert_eq(r.counts.quarantined, 1);
    cr_assert_str_eq(r.format, "html");
    cr_assert_str_eq(r.sheet, "table 2");
    cr_assert_eq(r.header_line, 1);
    cr_assert_eq(count(s, "SELECT line FROM rejects WHERE reason = 'bad_field_count'"), 3);
    cr_assert_eq(count(s, "SELECT count(*) FROM cases WHERE case_key IN ('HS-1', 'HS-3')"), 2);

    /* no table with the required columns: the last one's reason */
    static const char none[] = "<table><tr><td>a</td></tr></table><table><tr><td>MaHoSo</td>"
                               "</tr></table>";
    path_of(p, sizeof p, "none.xls");
    write_plain(p, none, sizeof none - 1);
    cr_assert_eq(mc_ingest_file(s, p, NULL, &r, &err), MC_EXIT_DATA);
    cr_assert_not_null(strstr(err.msg, "none.xls: no header row in the only non-empty row "
                                       "(line 1) of sheet 'table 2' (2 sheets tried, none has a "
                                       "header)"), "%s", err.msg);
    cr_assert_eq(count(s, "SELECT count(*) FROM files"), 1);
    mc_store_close(s);
}

/* ------------------------------------------------ SPEC 10: the same store */

/* text converted by glibc's iconv (the file as a desk's tool would write it) */
static char *convert(const char *to, const char *t, size_t len, size_t *out_len)
{
    iconv_t cd = iconv_open(to, "UTF-8");
    cr_assert_neq(cd, (iconv_t)-1);
    size_t cap = 4 * len + 16, left = cap;
    char *out = malloc(cap), *op = out, *ip = (char *)t;
    cr_assert_neq(iconv(cd, &ip, &len, &op, &left), (size_t)-1, "%s", to);
    iconv_close(cd);
    *out_len = cap - left;
    return out;
}

/* What a load leaves in the store but the lines, which a title block moves;
 * the rejects with their lines less offset. */
static char *dump_without_lines(mc_store *s, long offset)
{
    char sql[300];
    snprintf(sql, sizeof sql, "SELECT line - %ld, reason, col, detail, fields FROM rejects ORDER BY id",
             offset);
    char *a = dump(s, "SELECT case_key, upd, progress, unit_id, status, channel, level, received_at,"
                      " due_at, end_at, apology, has_fee, paid_online, digitized, e_result"
                      " FROM cases ORDER BY case_key");
    char *b = dump(s, "SELECT * FROM unit_keys ORDER BY id");
    char *c = dump(s, sql);
    char *all = malloc(strlen(a) + strlen(b) + strlen(c) + 1);
    strcpy(all, a);
    strcat(all, b);
    strcat(all, c);
    free(a);
    free(b);
    free(c);
    return all;
}

/* The same rows as a titled list with a signature block, as UTF-16, as
 * Windows-1258 with --encoding, gzip'd: the same store, on both paths. */
Test(ingest, titled_utf16_and_legacy_exports_load_the_same_store)
{
    expect e;
    size_t len;
    char *t = export_text(5000, &e, &len);
    static const char title[] = "UBND XÃ CẨM THÀNH\n\nDANH SÁCH HỒ SƠ\nTừ ngày 01/07/2025\n";
    static const char sig[] = "Tổng cộng: 5000 hồ sơ\n,Người lập biểu\n,,,,,,\n,Lê Thị Mẫu\n";
    size_t tlen = strlen(title) + len + strlen(sig);
    char *titled = malloc(tlen);
    memcpy(titled, title, strlen(title));
    memcpy(titled + strlen(title), t, len);
    memcpy(titled + strlen(title) + len, sig, strlen(sig));
    size_t ulen, clen;
    char *u16 = convert("UTF-16LE", t, len, &ulen);
    char *u = malloc(ulen + 2);
    u[0] = (char)0xFF;
    u[1] = (char)0xFE;
    memcpy(u + 2, u16, ulen);
    char *cp = convert("CP1258", t, len, &clen);

    struct {
        const char *name;
        const char *text;
        size_t len;
        int gzip;
        mc_reader_encoding enc;
        long offset, header_line, trailer;
        const char *format;
    } v[] = {
        {"plain.csv", t, len, 0, MC_READER_UTF8, 0, 1, 0, "csv"},
        {"titled.csv", titled, tlen, 0, MC_READER_UTF8, 4, 5, 3, "csv"},
        {"titled.csv.gz", titled, tlen, 1, MC_READER_UTF8, 4, 5, 3, "csv.gz"},
        {"utf16.txt", u, ulen + 2, 0, MC_READER_UTF8, 0, 1, 0, "utf16"},
        {"cp1258.csv", cp, clen, 0, MC_READER_CP1258, 0, 1, 0, "cp1258"},
        {"cp1258.csv.gz", cp, clen, 1, MC_READER_CP1258, 0, 1, 0, "cp1258"},
    };
    char *want = NULL;
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char p[128], db[64];
        path_of(p, sizeof p, v[i].name);
        uint64_t size = v[i].gzip ? write_gzip(p, v[i].text, v[i].len)
                                  : write_plain(p, v[i].text, v[i].len);
        cr_assert(v[i].gzip ? size < THREAD_MIN_FILE : size >= THREAD_MIN_FILE, "%s", v[i].name);
        snprintf(db, sizeof db, "v%zu.db", i);
        mc_store *s = open_store(db);
        mc_ingest_opts o = {.encoding = v[i].enc};
        mc_ingest_result r;
        mc_error err;
        mc_error_clear(&err);
        cr_assert_eq(mc_ingest_file(s, p, &o, &r, &err), 0, "%s: %s", v[i].name, err.msg);
        assert_counts(&r, &e);
        cr_assert_eq(r.header_line, v[i].header_line, "%s", v[i].name);
        cr_assert_eq(r.trailer_rows, v[i].trailer, "%s", v[i].name);
        cr_assert_str_eq(r.format, v[i].format, "%s", v[i].name);
        char *got = dump_without_lines(s, v[i].offset);
        if (!want)
            want = got;
        else {
            cr_assert_str_eq(got, want, "%s", v[i].name);
            free(got);
        }
        mc_store_close(s);
    }
    free(want);
    free(cp);
    free(u);
    free(u16);
    free(titled);
    free(t);
}
