/*
 * test_store_faults.c -- I/O errors injected under SQLite while a file is
 * loaded: the load fails with MC_EXIT_IO (74), and once the fault is gone
 * the store is exactly what it was (same ledger, same cases), sound, and
 * takes the file on the next try.  Or, when the fault came after the commit,
 * the file is there whole.  Never half.
 *
 * The fault comes from a tiny VFS shim registered as the default VFS in this
 * test process only (Criterion runs each test in its own process): it
 * forwards everything to the real VFS and makes the Nth xWrite or xSync,
 * counted from when it is armed, fail as a disk would (SQLITE_IOERR_WRITE,
 * SQLITE_IOERR_FSYNC, or SQLITE_FULL).  Each test sweeps N from 0 until a
 * load no longer reaches the fault, so every write and sync of the load is
 * failed once: at the ledger row, in the middle of the rows, at the commit,
 * in the WAL, at the checkpoint of the close.
 *
 * Both load paths are swept: a small export (read on the calling thread)
 * and one above ingest.c's threading threshold (reader and writer threads).
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "etl/ingest.h"
#include "etl/store.h"

/* ------------------------------------------------------------ the shim */

enum { FAIL_WRITE, FAIL_SYNC, FAIL_FULL };

static sqlite3_vfs *real_vfs;
static sqlite3_vfs shim_vfs;
static long fault_at = -1;  /* fail the call with this index; -1: off */
static long calls;          /* xWrite/xSync calls since armed */
static int fault_kind;
static int fault_fired;

typedef struct {
    sqlite3_file base;
    sqlite3_file *real; /* follows this struct in the same allocation */
} shim_file;

static sqlite3_file *real_of(sqlite3_file *f)
{
    return ((shim_file *)f)->real;
}

/* 1 when this call is the one to fail */
static int hit(int kind)
{
    if (fault_at < 0)
        return 0;
    int counted = fault_kind == FAIL_SYNC ? kind == FAIL_SYNC : kind == FAIL_WRITE;
    if (!counted)
        return 0;
    if (calls++ == fault_at) {
        fault_fired = 1;
        return 1;
    }
    return 0;
}

static int s_close(sqlite3_file *f)
{
    sqlite3_file *r = real_of(f);
    return r->pMethods ? r->pMethods->xClose(r) : SQLITE_OK;
}
static int s_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o)
{
    return real_of(f)->pMethods->xRead(real_of(f), b, n, o);
}
static int s_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{
    if (hit(FAIL_WRITE))
        return fault_kind == FAIL_FULL ? SQLITE_FULL : SQLITE_IOERR_WRITE;
    return real_of(f)->pMethods->xWrite(real_of(f), b, n, o);
}
static int s_truncate(sqlite3_file *f, sqlite3_int64 sz)
{
    return real_of(f)->pMethods->xTruncate(real_of(f), sz);
}
static int s_sync(sqlite3_file *f, int flags)
{
    if (hit(FAIL_SYNC))
        return SQLITE_IOERR_FSYNC;
    return real_of(f)->pMethods->xSync(real_of(f), flags);
}
static int s_size(sqlite3_file *f, sqlite3_int64 *sz)
{
    return real_of(f)->pMethods->xFileSize(real_of(f), sz);
}
static int s_lock(sqlite3_file *f, int l)
{
    return real_of(f)->pMethods->xLock(real_of(f), l);
}
static int s_unlock(sqlite3_file *f, int l)
{
    return real_of(f)->pMethods->xUnlock(real_of(f), l);
}
static int s_check(sqlite3_file *f, int *out)
{
    return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
}
static int s_fcntl(sqlite3_file *f, int op, void *arg)
{
    return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}
static int s_sector(sqlite3_file *f)
{
    return real_of(f)->pMethods->xSectorSize(real_of(f));
}
static int s_caps(sqlite3_file *f)
{
    return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f));
}
static int s_shmmap(sqlite3_file *f, int pg, int sz, int ext, void volatile **p)
{
    return real_of(f)->pMethods->xShmMap(real_of(f), pg, sz, ext, p);
}
static int s_shmlock(sqlite3_file *f, int off, int n, int flags)
{
    return real_of(f)->pMethods->xShmLock(real_of(f), off, n, flags);
}
static void s_shmbarrier(sqlite3_file *f)
{
    real_of(f)->pMethods->xShmBarrier(real_of(f));
}
static int s_shmunmap(sqlite3_file *f, int del)
{
    return real_of(f)->pMethods->xShmUnmap(real_of(f), del);
}
/* No memory-mapped I/O: every page goes through xRead/xWrite. */
static int s_fetch(sqlite3_file *f, sqlite3_int64 o, int n, void **pp)
{
    (void)f, (void)o, (void)n;
    *pp = NULL;
    return SQLITE_OK;
}
static int s_unfetch(sqlite3_file *f, sqlite3_int64 o, void *p)
{
    (void)f, (void)o, (void)p;
    return SQLITE_OK;
}

static const sqlite3_io_methods shim_io = {
    3, s_close, s_read, s_write, s_truncate, s_sync, s_size, s_lock, s_unlock, s_check,
    s_fcntl, s_sector, s_caps, s_shmmap, s_shmlock, s_shmbarrier, s_shmunmap, s_fetch,
    s_unfetch,
};

static int s_open(sqlite3_vfs *v, const char *name, sqlite3_file *f, int flags, int *out)
{
    (void)v;
    shim_file *sf = (shim_file *)f;
    sf->real = (sqlite3_file *)(sf + 1);
    memset(sf->real, 0, (size_t)real_vfs->szOsFile);
    int rc = real_vfs->xOpen(real_vfs, name, sf->real, flags, out);
    f->pMethods = sf->real->pMethods ? &shim_io : NULL;
    return rc;
}
static int s_delete(sqlite3_vfs *v, const char *n, int sync)
{
    (void)v;
    return real_vfs->xDelete(real_vfs, n, sync);
}
static int s_access(sqlite3_vfs *v, const char *n, int flags, int *out)
{
    (void)v;
    return real_vfs->xAccess(real_vfs, n, flags, out);
}
static int s_fullpath(sqlite3_vfs *v, const char *n, int cap, char *out)
{
    (void)v;
    return real_vfs->xFullPathname(real_vfs, n, cap, out);
}
static int s_random(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return real_vfs->xRandomness(real_vfs, n, out);
}
static int s_sleep(sqlite3_vfs *v, int us)
{
    (void)v;
    return real_vfs->xSleep(real_vfs, us);
}
static int s_time(sqlite3_vfs *v, double *t)
{
    (void)v;
    return real_vfs->xCurrentTime(real_vfs, t);
}
static int s_lasterr(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return real_vfs->xGetLastError ? real_vfs->xGetLastError(real_vfs, n, out) : 0;
}
static int s_time64(sqlite3_vfs *v, sqlite3_int64 *t)
{
    (void)v;
    return real_vfs->xCurrentTimeInt64(real_vfs, t);
}

static void shim_install(void)
{
    real_vfs = sqlite3_vfs_find(NULL);
    cr_assert_not_null(real_vfs);
    cr_assert_geq(real_vfs->iVersion, 2);
    memset(&shim_vfs, 0, sizeof shim_vfs);
    shim_vfs.iVersion = 2;
    shim_vfs.szOsFile = (int)sizeof(shim_file) + real_vfs->szOsFile;
    shim_vfs.mxPathname = real_vfs->mxPathname;
    shim_vfs.zName = "motcua-fault";
    shim_vfs.xOpen = s_open;
    shim_vfs.xDelete = s_delete;
    shim_vfs.xAccess = s_access;
    shim_vfs.xFullPathname = s_fullpath;
    shim_vfs.xRandomness = s_random;
    shim_vfs.xSleep = s_sleep;
    shim_vfs.xCurrentTime = s_time;
    shim_vfs.xGetLastError = s_lasterr;
    shim_vfs.xCurrentTimeInt64 = s_time64;
    cr_assert_eq(sqlite3_vfs_register(&shim_vfs, 1), SQLITE_OK);
    cr_assert_eq(sqlite3_vfs_find(NULL), &shim_vfs);
}

static void arm(int kind, long at)
{
    fault_kind = kind;
    fault_at = at;
    calls = 0;
    fault_fired = 0;
}

static void disarm(void)
{
    fault_at = -1;
}

/* ------------------------------------------------------------ helpers */

static char dir[64];

static void rm_dir(const char *d)
{
    DIR *dh = opendir(d);
    if (!dh)
        return;
    struct dirent *e;
    char p[512];
    while ((e = readdir(dh)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(p, sizeof p, "%s/%s", d, e->d_name);
            unlink(p);
        }
    closedir(dh);
    rmdir(d);
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/mc-faults-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    shim_install();
}

static void teardown(void)
{
    rm_dir(dir);
}

static void path_of(char *buf, size_t cap, const char *name)
{
    snprintf(buf, cap, "%s/%s", dir, name);
}

static void copy_file(const char *from, const char *to)
{
    FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");
    cr_assert(a && b, "copy %s -> %s", from, to);
    char buf[65536];
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, a)) > 0)
        cr_assert_eq(fwrite(buf, 1, k, b), k);
    fclose(a);
    cr_assert_eq(fclose(b), 0);
}

/* An export of n rows with case ids PREFIX-i, some quarantined. */
static void write_export(const char *path, const char *prefix, int n)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fprintf(f, "MaHoSo,MaDonVi,DonViXuLy,TrangThaiHoSo,NgayTiepNhan,NgayHenTra,NgayKetThucXuLy\n");
    for (int i = 1; i <= n; i++)
        fprintf(f, "%s-%06d,000.00.06.H56,Sở Công Thương,%s,%02d/07/2025,%02d/08/2025,%s\n", prefix,
                i, i % 17 == 0 ? "không rõ" : i % 3 ? "4" : "10", 1 + i % 28, 1 + i % 28,
                i % 3 ? "" : "15/07/2025");
    cr_assert_eq(fclose(f), 0);
}

/* What a store holds, as one text: every ledger row, the counts of cases,
 * versions and rejects, and SQLite's own verdict on the file. */
static char *state_of(const char *db)
{
    sqlite3 *h;
    cr_assert_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK, "%s", db);
    static const char *q[] = {
        "SELECT group_concat(name || ':' || sha256 || ':' || rows_read || ':' || accepted || ':' ||"
        " duplicate || ':' || quarantined || ':' || conflicts, ' ') FROM (SELECT * FROM files ORDER BY id)",
        "SELECT 'cases=' || count(*) FROM cases",
        "SELECT 'versions=' || sum(length(seen)) / 24 FROM case_rows",
        "SELECT 'rejects=' || count(*) FROM rejects",
        "PRAGMA integrity_check",
    };
    size_t cap = 4096, len = 0;
    char *out = malloc(cap);
    out[0] = '\0';
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        sqlite3_stmt *st;
        cr_assert_eq(sqlite3_prepare_v2(h, q[i], -1, &st, NULL), SQLITE_OK, "%s: %s", q[i],
                     sqlite3_errmsg(h));
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *v = (const char *)sqlite3_column_text(st, 0);
            size_t k = strlen(v ? v : "");
            if (len + k + 2 > cap)
                out = realloc(out, cap = 2 * (len + k + 2));
            len += (size_t)sprintf(out + len, "%s\n", v ? v : "");
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(h);
    return out;
}

/* ------------------------------------------------------------ the sweep */

/*
 * A store holding export A; then, for N = 0, 1, ...: a copy of it, the fault
 * armed at call N, open + load B + close.  Until the fault is no longer
 * reached, each attempt must either fail with 74 and leave the copy as it
 * was, or succeed with B loaded whole; and the copy must then load B
 * cleanly.  Returns the number of faults injected.
 */
static long sweep(int kind, int rows_b)
{
    char a[256], b[256], base[256], db[256];
    path_of(a, sizeof a, "a.csv");
    path_of(b, sizeof b, "b.csv");
    path_of(base, sizeof base, "base.db");
    write_export(a, "A", 300);
    write_export(b, "B", rows_b);
    struct stat sb;
    cr_assert_eq(stat(b, &sb), 0);
    if (rows_b >= 1000) /* ingest.c's THREAD_MIN_FILE: the threaded path */
        cr_assert_gt(sb.st_size, 64 * 1024, "b.csv is too small for the threaded path");

    mc_store *s;
    mc_error err;
    mc_ingest_result res;
    cr_assert_eq(mc_store_open(base, MC_STORE_READWRITE, &s, &err), 0, "%s", err.msg);
    cr_assert_eq(mc_ingest_file(s, a, NULL, &res, &err), 0, "%s", err.msg);
    mc_store_close(s); /* checkpoints: base.db alone holds it all */
    char *before = state_of(base);
    cr_assert_not_null(strstr(before, "\nok\n"), "%s", before);

    /* the state with B loaded, for the attempts whose fault came too late */
    path_of(db, sizeof db, "full.db");
    copy_file(base, db);
    cr_assert_eq(mc_store_open(db, MC_STORE_READWRITE, &s, &err), 0, "%s", err.msg);
    cr_assert_eq(mc_ingest_file(s, b, NULL, &res, &err), 0, "%s", err.msg);
    mc_store_close(s);
    char *after = state_of(db);
    cr_assert_str_neq(before, after);

    long n;
    int failed_loads = 0;
    for (n = 0; n < 100000; n++) {
        snprintf(db, sizeof db, "%s/try.db", dir);
        char wal[300], shm[300];
        snprintf(wal, sizeof wal, "%s-wal", db);
        snprintf(shm, sizeof shm, "%s-shm", db);
        unlink(wal);
        unlink(shm);
        copy_file(base, db);

        arm(kind, n);
        int st = mc_store_open(db, MC_STORE_READWRITE, &s, &err);
        int ist = -1;
        if (st == 0) {
            mc_error_clear(&err);
            ist = mc_ingest_file(s, b, NULL, &res, &err);
            mc_store_close(s); /* the checkpoint may meet the fault too */
        }
        int fired = fault_fired;
        disarm();
        if (!fired) {
            cr_assert_eq(st, 0, "no fault, yet open failed: %s", err.msg);
            cr_assert_eq(ist, 0, "no fault, yet the load failed: %s", err.msg);
            break; /* the load no longer reaches call n: every call was failed once */
        }
        if (st != 0)
            cr_assert_eq(st, MC_EXIT_IO, "fault at %ld: open gave %d, not 74: %s", n, st, err.msg);
        else if (ist != 0)
            cr_assert_eq(ist, MC_EXIT_IO, "fault at %ld: load gave %d, not 74: %s", n, ist, err.msg);
        if (st != 0 || ist != 0) {
            failed_loads++;
            cr_assert(strstr(err.msg, "try.db"), "fault at %ld: the message does not name the store: %s",
                      n, err.msg);
        }

        /* the fault is gone: the store is either untouched or holds B whole */
        char *now = state_of(db);
        int loaded = st == 0 && ist == 0;
        cr_assert_str_eq(now, loaded ? after : before,
                         "fault %d at call %ld (open %d, load %d): the store changed:\n%s\nwant:\n%s",
                         kind, n, st, ist, now, loaded ? after : before);
        free(now);
        /* and it takes the file now (or says it already has it) */
        cr_assert_eq(mc_store_open(db, MC_STORE_READWRITE, &s, &err), 0, "%s", err.msg);
        cr_assert_eq(mc_ingest_file(s, b, NULL, &res, &err), 0, "retry after fault %ld: %s", n, err.msg);
        cr_assert_eq(res.already_loaded, loaded, "fault at %ld: already_loaded %d", n, res.already_loaded);
        mc_store_close(s);
        now = state_of(db);
        cr_assert_str_eq(now, after, "fault at %ld: the retry does not give the clean state", n);
        free(now);
    }
    cr_assert_lt(n, 100000, "the sweep never ended");
    cr_assert_gt(failed_loads, 0, "no fault ever failed a load: the shim is not in the path");
    free(before);
    free(after);
    return n;
}

TestSuite(store_faults, .init = setup, .fini = teardown, .timeout = 600);

Test(store_faults, failed_writes_small_file)
{
    long n = sweep(FAIL_WRITE, 200);
    cr_log_info("write faults injected: %ld", n);
    cr_assert_gt(n, 3);
}

Test(store_faults, failed_syncs_small_file)
{
    long n = sweep(FAIL_SYNC, 200);
    cr_log_info("sync faults injected: %ld", n);
}

Test(store_faults, disk_full_small_file)
{
    long n = sweep(FAIL_FULL, 200);
    cr_assert_gt(n, 3);
}

/* Large enough for ingest.c's reader and writer threads (64 KiB and up,
 * checked in sweep). */
#define THREADED_ROWS 1200

Test(store_faults, failed_writes_threaded_load)
{
    long n = sweep(FAIL_WRITE, THREADED_ROWS);
    cr_log_info("write faults injected: %ld", n);
    cr_assert_gt(n, 3);
}

Test(store_faults, failed_syncs_threaded_load)
{
    sweep(FAIL_SYNC, THREADED_ROWS);
}
