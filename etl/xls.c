/*
 * xls.c -- Excel 97-2003 workbooks through FreeXL; see xls.h.
 *
 * FreeXL opens a path, never a descriptor or memory, and reads the whole
 * file.  So the file's bytes first go through opts->on_raw (the ingest
 * digests the file on the way), then FreeXL opens the same open file by its
 * /proc/self/fd path: the file read is the file digested, even if its name
 * changed meanwhile.  A pipe, and memory, are first copied into a memfd.
 *
 * FreeXL itself runs in a child process (below); the rows it sends are
 * handed over by etl/sheetrow.c, which the HTML reader shares.
 */
#include "etl/xls.h"

#include <errno.h>
#include <fcntl.h>
#include <freexl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/fs.h"
#include "etl/sheetrow.h"

#define KIB ((size_t)1024)
#define MIB (KIB * KIB)

static const unsigned char OLE2_MAGIC[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

int mc_xls_is_ole2(const void *p, size_t n)
{
    return n >= sizeof OLE2_MAGIC && memcmp(p, OLE2_MAGIC, sizeof OLE2_MAGIC) == 0;
}

typedef struct xr {
    const char *name;
    size_t chunk;
    const mc_reader_opts *opts;
    mc_reader_info *info;
    mc_error *err;
} xr;

static void xr_init(xr *x, const char *name, const mc_reader_opts *opts, mc_reader_info *info,
                    mc_error *err)
{
    x->name = name ? name : "(input)";
    x->chunk = opts && opts->chunk_size ? opts->chunk_size : MIB;
    x->opts = opts;
    x->info = info;
    x->err = err;
    memset(info, 0, sizeof *info);
    info->delimiter = ',';
    info->ragged = 1;
    snprintf(info->format, sizeof info->format, "xls");
    mc_error_clear(err);
}

static int nomem(xr *x)
{
    return mc_error_set(x->err, MC_EXIT_SOFTWARE, "%s: out of memory", x->name);
}

static int too_large(xr *x, uint64_t size, int more)
{
    return mc_error_set(x->err, MC_EXIT_DATA,
                        "%s: a .xls of %s%llu bytes, more than the limit of %llu MiB (the whole "
                        "workbook is held in memory to read it): save it as .xlsx or as CSV UTF-8",
                        x->name, more ? "more than " : "", (unsigned long long)size,
                        (unsigned long long)(MC_XLS_MAX_BYTES >> 20));
}

/* Bytes as the file gives them: to on_raw, and counted. */
static void raw(xr *x, const void *p, size_t n)
{
    x->info->bytes_raw += n;
    x->info->bytes_text += n;
    if (x->opts && x->opts->on_raw && n)
        x->opts->on_raw(x->opts->raw_ctx, p, n);
}

/* Write all of p to fd. */
static int write_all(int fd, const unsigned char *p, size_t n)
{
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/*
 * Every byte of fd from offset 0 through on_raw, copied to copy_fd when it
 * is >= 0.  Refuses a file that turns out larger than the limit.
 */
static int pump(xr *x, int fd, int seekable, int copy_fd)
{
    unsigned char *buf = malloc(x->chunk);
    if (!buf)
        return nomem(x);
    int st = 0;
    off_t at = 0;
    for (;;) {
        ssize_t k = seekable ? pread(fd, buf, x->chunk, at) : read(fd, buf, x->chunk);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            st = mc_error_set(x->err, MC_EXIT_IO, "%s: cannot read: %s", x->name, strerror(errno));
            break;
        }
        if (k == 0)
            break;
        at += k;
        if ((uint64_t)at > MC_XLS_MAX_BYTES) {
            st = too_large(x, MC_XLS_MAX_BYTES, 1);
            break;
        }
        raw(x, buf, (size_t)k);
        if (copy_fd >= 0 && write_all(copy_fd, buf, (size_t)k) != 0) {
            st = mc_error_set(x->err, MC_EXIT_IO, "%s: cannot copy the workbook to memory: %s",
                              x->name, strerror(errno));
            break;
        }
    }
    free(buf);
    return st;
}

/* What FreeXL's error codes mean, for the message. */
static const char *freexl_says(int rc)
{
    switch (rc) {
    case FREEXL_INSUFFICIENT_MEMORY:
        return "too large to hold in memory";
    case FREEXL_INVALID_CFBF_HEADER:
    case FREEXL_CFBF_INVALID_SIGNATURE:
    case FREEXL_CFBF_INVALID_SECTOR_SIZE:
        return "bad compound file header";
    case FREEXL_CFBF_READ_ERROR:
    case FREEXL_CFBF_SEEK_ERROR:
        return "the file ends too early";
    case FREEXL_CFBF_EMPTY_FAT_CHAIN:
    case FREEXL_CFBF_ILLEGAL_FAT_ENTRY:
    case FREEXL_INVALID_MINI_STREAM:
    case FREEXL_CFBF_ILLEGAL_MINI_FAT_ENTRY:
        return "broken sector chain";
    case FREEXL_BIFF_INVALID_BOF:
        return "bad workbook stream";
    case FREEXL_BIFF_INVALID_SST:
    case FREEXL_BIFF_ILLEGAL_SST_INDEX:
        return "bad shared strings";
    case FREEXL_BIFF_ILLEGAL_SHEET_INDEX:
    case FREEXL_BIFF_UNSELECTED_SHEET:
        return "bad sheet list";
    case FREEXL_INVALID_CHARACTER:
    case FREEXL_UNSUPPORTED_CHARSET:
        return "text in a character set that cannot be converted";
    case FREEXL_ILLEGAL_CELL_ROW_COL:
    case FREEXL_ILLEGAL_RK_VALUE:
        return "bad cell";
    case FREEXL_CRAFTED_FILE:
        return "inconsistent structure";
    default:
        return "unreadable";
    }
}

static int password(xr *x)
{
    return mc_error_set(x->err, MC_EXIT_DATA,
                        "%s: a password-protected workbook: motcua cannot read it; open it in "
                        "Excel, remove the password (File > Info > Protect Workbook > Encrypt "
                        "with Password, left empty) and save it again", x->name);
}

/*
 * Which OLE2 streams the file names, from its directory: entries of 128
 * bytes, each starting with the name in UTF-16LE (64 bytes) followed by the
 * name's byte length including the NUL; sectors start at multiples of 512
 * (4096 in version 4), so every entry starts at a multiple of 128.  Only
 * looked at once FreeXL found no workbook, to tell why.  Returns 'E' for
 * an encrypted Office package (EncryptionInfo or EncryptedPackage), 'W' for
 * a Word document, 0 for neither.
 */
static int ole2_kind(int fd)
{
    static const char *const names[] = {"EncryptionInfo", "EncryptedPackage", "WordDocument"};
    unsigned char entry[128 * 64];
    int kind = 0;
    for (off_t at = 512; kind != 'E';) {
        ssize_t k = pread(fd, entry, sizeof entry, at);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 128)
            break;
        for (ssize_t e = 0; e + 128 <= k; e += 128) {
            for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
                size_t len = strlen(names[i]);
                if (entry[e + 64] != (len + 1) * 2 || entry[e + 65] != 0)
                    continue;
                size_t j = 0;
                while (j < len && entry[e + 2 * j] == (unsigned char)names[i][j] &&
                       entry[e + 2 * j + 1] == 0)
                    j++;
                if (j == len && entry[e + 2 * len] == 0 && entry[e + 2 * len + 1] == 0)
                    kind = i < 2 ? 'E' : kind ? kind : 'W';
            }
        }
        at += k;
    }
    return kind;
}

static int open_failed(xr *x, int rc, int fd)
{
    if (rc == FREEXL_BIFF_WORKBOOK_NOT_FOUND) {
        int kind = ole2_kind(fd);
        if (kind == 'E')
            return password(x);
        return mc_error_set(x->err, MC_EXIT_DATA,
                            "%s: not an Excel workbook (an Office file%s with no workbook in it): "
                            "export the case list again as Excel or CSV",
                            x->name, kind == 'W' ? ", a Word document," : " of another kind");
    }
    if (rc == FREEXL_FILE_NOT_FOUND)
        return mc_error_set(x->err, MC_EXIT_IO, "%s: cannot open the workbook: %s", x->name,
                            strerror(errno ? errno : ENOENT));
    return mc_error_set(x->err, MC_EXIT_DATA,
                        "%s: not a readable .xls (%s, FreeXL error %d): the copy may be damaged; "
                        "open it in Excel and save it again, or export the list again",
                        x->name, freexl_says(rc), rc);
}

/* ------------------------------------------------------------ the child
 *
 * FreeXL runs in a child process that writes the workbook's rows to a
 * pipe.  FreeXL 1.0.6 (Debian 12) reads past a stack buffer on some crafted
 * files (found by tests/fuzz/fuzz_xls.c: an over-long string handed to
 * iconv); in a child, such a file can only end the child, never corrupt
 * the process that holds the store.  The child also has a CPU time limit,
 * against a file that sends FreeXL round in circles.  It only calls
 * FreeXL, malloc and write, which glibc keeps usable after a fork even when
 * the parent has other threads (ingest reads on a thread of its own).
 *
 * The records, in the order of the workbook (numbers in the machine's own
 * byte order: both ends are this process):
 *   'E' i32 rc          freexl_open failed
 *   'P'                 password-protected (FILEPASS)
 *   'S' u32 len, name, u32 rows   a sheet starts
 *   'C' u32 col, u32 len, text    a cell with something in it
 *   'R' u32 row         the end of a row that had a cell (1-based)
 *   'F' i32 rc, u32 row, u32 col  a cell FreeXL could not read
 *   'G' i32 rc          a sheet FreeXL could not select
 *   'Z' u32 sheets      the end
 * Empty cells and rows are not sent: the parent fills the places. */

#define MC_XLS_CPU_SECONDS 300

/* Under AddressSanitizer (make check, make fuzz) a FreeXL fault in the
 * child is reported and ends it; what the parent must see is what it sees
 * in production, a child that ended: so the child reports nowhere and dies
 * quietly, and the fuzzer's crash handler, inherited through fork, does
 * not take the child's end for a crash of the target. */
#if defined(__SANITIZE_ADDRESS__)
#define MC_XLS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MC_XLS_ASAN 1
#endif
#endif
#ifdef MC_XLS_ASAN
#include <sanitizer/common_interface_defs.h>

static void child_died(void)
{
    _exit(70);
}

static void child_quiet(void)
{
    int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (devnull >= 0)
        __sanitizer_set_report_fd((void *)(intptr_t)devnull);
    __sanitizer_set_death_callback(child_died);
}
#else
static void child_quiet(void)
{
}
#endif

typedef struct wbuf {
    int fd;
    unsigned char *b;
    size_t n, cap;
} wbuf;

static void w_flush(wbuf *w)
{
    if (w->n && write_all(w->fd, w->b, w->n) != 0)
        _exit(3);       /* the parent is gone or stopped reading */
    w->n = 0;
}

static void w_put(wbuf *w, const void *p, size_t n)
{
    const unsigned char *s = p;
    while (n) {
        size_t k = w->cap - w->n < n ? w->cap - w->n : n;
        memcpy(w->b + w->n, s, k);
        w->n += k;
        s += k;
        n -= k;
        if (w->n == w->cap)
            w_flush(w);
    }
}

static void w_tag(wbuf *w, char tag)
{
    w_put(w, &tag, 1);
}

static void w_u32(wbuf *w, uint32_t v)
{
    w_put(w, &v, sizeof v);
}

static void w_i32(wbuf *w, int32_t v)
{
    w_put(w, &v, sizeof v);
}

/* A cell's value as text into buf, or NULL when it is empty. */
static const char *cell_text(const FreeXL_CellValue *v, char *buf, size_t cap)
{
    switch (v->type) {
    case FREEXL_CELL_INT:
        snprintf(buf, cap, "%d", v->value.int_value);
        return buf;
    case FREEXL_CELL_DOUBLE:
        mc_sheetrow_number(v->value.double_value, buf, cap);
        return buf;
    case FREEXL_CELL_TEXT:
    case FREEXL_CELL_SST_TEXT:
    case FREEXL_CELL_DATE:
    case FREEXL_CELL_DATETIME:
    case FREEXL_CELL_TIME:
        return v->value.text_value;
    default:            /* FREEXL_CELL_NULL, and a formula: FreeXL skips them */
        return NULL;
    }
}

/* The child's whole life: never returns. */
static void child(const char *path, int wfd)
{
    child_quiet();
    struct rlimit cpu = {MC_XLS_CPU_SECONDS, MC_XLS_CPU_SECONDS + 5};
    setrlimit(RLIMIT_CPU, &cpu);    /* best effort: no limit is no reason to stop */
    wbuf w = {.fd = wfd, .cap = 64 * KIB};
    if (!(w.b = malloc(w.cap)))
        _exit(4);
    const void *h = NULL;
    int rc = freexl_open(path, &h);
    unsigned int plain = 0, count = 0;
    if (rc != FREEXL_OK) {
        w_tag(&w, 'E');
        w_i32(&w, rc);
        goto end;
    }
    /* FreeXL stops at a FILEPASS record and then reports anything but
     * FREEXL_BIFF_PLAIN (its examples test it this way). */
    if (freexl_get_info(h, FREEXL_BIFF_PASSWORD, &plain) != FREEXL_OK ||
        plain != FREEXL_BIFF_PLAIN) {
        w_tag(&w, 'P');
        goto end;
    }
    if (freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &count) != FREEXL_OK)
        count = 0;
    for (unsigned i = 0; i < count && i <= 0xFFFF; i++) {
        const char *name = NULL;
        if (freexl_get_worksheet_name(h, (unsigned short)i, &name) != FREEXL_OK || !name)
            name = "";
        unsigned rows = 0;
        unsigned short cols = 0;
        rc = freexl_select_active_worksheet(h, (unsigned short)i);
        if (rc == FREEXL_OK)
            rc = freexl_worksheet_dimensions(h, &rows, &cols);
        size_t len = strlen(name);
        w_tag(&w, 'S');
        w_u32(&w, (uint32_t)len);
        w_put(&w, name, len);
        w_u32(&w, rows);
        if (rc != FREEXL_OK) {
            w_tag(&w, 'G');
            w_i32(&w, rc);
            goto end;
        }
        for (unsigned r = 0; r < rows; r++) {
            int any = 0;
            for (unsigned c = 0; c < cols; c++) {
                FreeXL_CellValue v;
                rc = freexl_get_cell_value(h, r, (unsigned short)c, &v);
                if (rc != FREEXL_OK) {
                    w_tag(&w, 'F');
                    w_i32(&w, rc);
                    w_u32(&w, r + 1);
                    w_u32(&w, c + 1);
                    goto end;
                }
                char num[40];
                const char *text = cell_text(&v, num, sizeof num);
                if (!text || !*text)
                    continue;
                len = strlen(text);
                w_tag(&w, 'C');
                w_u32(&w, c);
                w_u32(&w, (uint32_t)len);
                w_put(&w, text, len);
                any = 1;
            }
            if (any) {
                w_tag(&w, 'R');
                w_u32(&w, r + 1);
            }
        }
    }
    w_tag(&w, 'Z');
    w_u32(&w, count);
end:
    w_flush(&w);
    if (h)
        freexl_close(h);
    free(w.b);
    _exit(0);
}

/* ----------------------------------------------------------- the parent */

typedef struct rbuf {
    int fd;
    unsigned char *b;
    size_t n, at, cap;
} rbuf;

/* Up to n bytes of the pipe into p (NULL: dropped); returns how many were
 * read before the end. */
static size_t r_get(rbuf *r, void *p, size_t n)
{
    size_t done = 0;
    while (done < n) {
        if (r->at == r->n) {
            ssize_t k = mc_fs_read(r->fd, r->b, r->cap);
            if (k <= 0)
                break;
            r->n = (size_t)k;
            r->at = 0;
        }
        size_t k = r->n - r->at < n - done ? r->n - r->at : n - done;
        if (p)
            memcpy((unsigned char *)p + done, r->b + r->at, k);
        r->at += k;
        done += k;
    }
    return done;
}

static int r_u32(rbuf *r, uint32_t *v)
{
    return r_get(r, v, sizeof *v) == sizeof *v ? 0 : -1;
}

static int r_i32(rbuf *r, int32_t *v)
{
    return r_get(r, v, sizeof *v) == sizeof *v ? 0 : -1;
}

/* A cell of len bytes from the pipe into the open row, piece by piece. */
static int r_cell(rbuf *r, mc_sheetrow *s, uint32_t len)
{
    int st = mc_sheetrow_cell_begin(s);
    while (!st && len) {
        char piece[4096];
        size_t k = len < sizeof piece ? len : sizeof piece;
        if (r_get(r, piece, k) != k)
            return -1;
        st = mc_sheetrow_cell_append(s, piece, k);
        len -= (uint32_t)k;
    }
    mc_sheetrow_cell_end(s);
    return st;
}

/* Why the child ended without its end record. */
static int child_failed(xr *x, int status)
{
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU)
        return mc_error_set(x->err, MC_EXIT_DATA,
                            "%s: reading the .xls took more than %d seconds: the workbook is "
                            "damaged or crafted; open it in Excel and save it again, or save it "
                            "as CSV UTF-8", x->name, MC_XLS_CPU_SECONDS);
    return mc_error_set(x->err, MC_EXIT_DATA,
                        "%s: not a readable .xls (the reader stopped on it: %s %d): the workbook "
                        "is damaged or crafted; open it in Excel and save it again, or save it as "
                        "CSV UTF-8", x->name, WIFSIGNALED(status) ? "signal" : "exit status",
                        WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
}

/* The rows the child sends, through mc_sheetrow to the callbacks. */
static int take_rows(xr *x, rbuf *r, int fd, mc_sheetrow *s, int *ended)
{
    int skip = 0;
    uint32_t next_col = 0, lines = 0;
    for (;;) {
        char tag;
        uint32_t a, b;
        int32_t rc;
        if (r_get(r, &tag, 1) != 1)
            return 0;   /* the child ended early: told by the caller */
        switch (tag) {
        case 'E':
            *ended = 1;
            return r_i32(r, &rc) ? 0 : open_failed(x, rc, fd);
        case 'P':
            *ended = 1;
            return password(x);
        case 'S': {
            char name[256];
            if (r_u32(r, &a))
                return 0;
            size_t keep = a < sizeof name ? a : sizeof name - 1;
            if (r_get(r, name, keep) != keep || r_get(r, NULL, a - keep) != a - keep ||
                r_u32(r, &lines))
                return 0;
            name[keep] = '\0';
            /* the sheet before ended: one with rows but no header (a cover)
             * sends the read on */
            int se = mc_sheetrow_end_sheet(s);
            if (se && se != MC_READER_NEXT_SHEET) {
                *ended = 1;
                return se;
            }
            if (s->header_done) {
                *ended = 1;     /* the sheet before was read: the later ones are not */
                return 0;
            }
            mc_sheetrow_sheet(s, name);
            skip = 0;
            next_col = 0;
            x->info->lines = lines;
            break;
        }
        case 'C': {
            if (r_u32(r, &a) || r_u32(r, &b))
                return 0;
            if (skip) {
                if (r_get(r, NULL, b) != b)
                    return 0;
                break;
            }
            int st = 0;
            for (; !st && next_col < a; next_col++)
                st = mc_sheetrow_cell_empty(s);
            if (!st)
                st = r_cell(r, s, b);
            if (st < 0)
                return 0;
            if (st)
                return st;
            next_col = a + 1;
            break;
        }
        case 'R': {
            if (r_u32(r, &a))
                return 0;
            next_col = 0;
            if (skip)
                break;
            int st = mc_sheetrow_end_row(s, (long)a);
            if (st == MC_READER_NEXT_SHEET)
                skip = 1;       /* not this sheet: wait for the next */
            else if (st)
                return st;
            break;
        }
        case 'F':
            *ended = 1;
            if (r_i32(r, &rc) || r_u32(r, &a) || r_u32(r, &b))
                return 0;
            return mc_error_set(x->err, MC_EXIT_DATA,
                                "%s: sheet '%s' row %u column %u: cannot read the cell (%s, "
                                "FreeXL error %d): open it in Excel and save it again",
                                x->name, s->sheet, a, b, freexl_says(rc), rc);
        case 'G':
            *ended = 1;
            if (r_i32(r, &rc))
                return 0;
            return mc_error_set(x->err, MC_EXIT_DATA,
                                "%s: sheet '%s': cannot read it (%s, FreeXL error %d): open the "
                                "workbook in Excel and save it again, or save it as CSV UTF-8",
                                x->name, s->sheet, freexl_says(rc), rc);
        case 'Z':
            *ended = 1;
            if (r_u32(r, &a))
                return 0;
            int se = mc_sheetrow_end_sheet(s);   /* the last sheet ended */
            if (se && se != MC_READER_NEXT_SHEET)
                return se;
            if (!s->header_done && !s->accepted) {
                int st = mc_sheetrow_finish(s);
                if (st < 0)
                    st = mc_error_set(x->err, MC_EXIT_DATA,
                                      "%s: no header line (the workbook's %u sheet%s hold%s no "
                                      "non-empty row)", x->name, a, a == 1 ? "" : "s",
                                      a == 1 ? "s" : "");
                return st;
            }
            return 0;
        default:
            *ended = 1;
            return mc_error_set(x->err, MC_EXIT_SOFTWARE,
                                "%s: the .xls reader's child sent an unknown record", x->name);
        }
    }
}

/* The sheets of the workbook at path (fd: the same file, for ole2_kind),
 * read by a child process. */
static int read_workbook(xr *x, const char *path, int fd, const mc_reader_cb *cb, void *ctx)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0)
        return mc_error_set(x->err, MC_EXIT_SOFTWARE, "%s: cannot start the .xls reader: %s",
                            x->name, strerror(errno));
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(p[0]);
        close(p[1]);
        return mc_error_set(x->err, MC_EXIT_SOFTWARE, "%s: cannot start the .xls reader: %s",
                            x->name, strerror(e));
    }
    if (pid == 0) {
        close(p[0]);
        child(path, p[1]);
    }
    close(p[1]);
    mc_sheetrow s;
    mc_sheetrow_init(&s, x->name, "sheet", x->opts, cb, ctx, x->info, x->err);
    rbuf r = {.fd = p[0], .cap = 64 * KIB};
    int ended = 0, st;
    if (!(r.b = malloc(r.cap)))
        st = nomem(x);
    else
        st = take_rows(x, &r, fd, &s, &ended);
    close(p[0]);
    /* Stopped before the child's end (a callback, or the sheet read): it may
     * still be at work on later sheets.  A child whose stream broke off has
     * ended by itself, and its status tells why. */
    if (ended || st)
        kill(pid, SIGKILL);
    int status = 0;
    pid_t w;
    do
        w = waitpid(pid, &status, 0);
    while (w < 0 && errno == EINTR);
    if (!st && !ended)
        st = w == pid ? child_failed(x, status)
                      : mc_error_set(x->err, MC_EXIT_SOFTWARE,
                                     "%s: the .xls reader ended unseen: %s", x->name,
                                     strerror(errno));
    if (!st && !s.header_done)  /* a stream cut inside a record */
        st = mc_error_set(x->err, MC_EXIT_SOFTWARE, "%s: the .xls reader's child sent a "
                          "broken record", x->name);
    free(r.b);
    mc_sheetrow_free(&s);
    return st;
}

int mc_xls_read_fd(const char *name, int fd, const mc_reader_opts *opts, const mc_reader_cb *cb,
                   void *ctx, mc_reader_info *info, mc_error *err)
{
    xr x;
    xr_init(&x, name, opts, info, err);
    struct stat sb;
    if (fstat(fd, &sb) != 0)
        return mc_error_set(err, MC_EXIT_IO, "%s: cannot read: %s", x.name, strerror(errno));
    if (S_ISREG(sb.st_mode) && (uint64_t)sb.st_size > MC_XLS_MAX_BYTES)
        return too_large(&x, (uint64_t)sb.st_size, 0);
    int copy = -1, st;
    if (!S_ISREG(sb.st_mode)) {
        copy = memfd_create("motcua-xls", MFD_CLOEXEC);
        if (copy < 0)
            return mc_error_set(err, MC_EXIT_IO, "%s: cannot copy the workbook to memory: %s",
                                x.name, strerror(errno));
    }
    st = pump(&x, fd, copy < 0, copy);
    if (!st) {
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", copy >= 0 ? copy : fd);
        st = read_workbook(&x, path, copy >= 0 ? copy : fd, cb, ctx);
    }
    if (copy >= 0)
        close(copy);
    return st;
}

int mc_xls_read_mem(const char *name, const void *buf, size_t n, const mc_reader_opts *opts,
                    const mc_reader_cb *cb, void *ctx, mc_reader_info *info, mc_error *err)
{
    xr x;
    xr_init(&x, name, opts, info, err);
    if ((uint64_t)n > MC_XLS_MAX_BYTES)
        return too_large(&x, (uint64_t)n, 0);
    int fd = memfd_create("motcua-xls", MFD_CLOEXEC);
    if (fd < 0)
        return mc_error_set(err, MC_EXIT_IO, "%s: cannot copy the workbook to memory: %s", x.name,
                            strerror(errno));
    for (size_t at = 0; at < n; at += x.chunk)
        raw(&x, (const unsigned char *)buf + at, n - at < x.chunk ? n - at : x.chunk);
    int st = 0;
    if (write_all(fd, buf, n) != 0)
        st = mc_error_set(err, MC_EXIT_IO, "%s: cannot copy the workbook to memory: %s", x.name,
                          strerror(errno));
    if (!st) {
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        st = read_workbook(&x, path, fd, cb, ctx);
    }
    close(fd);
    return st;
}
