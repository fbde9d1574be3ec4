/*
 * xls.c -- Excel 97-2003 workbooks through FreeXL; see xls.h.
 *
 * FreeXL opens a path, never a descriptor or memory, and reads the whole
 * file.  So the file's bytes first go through opts->on_raw (the ingest
 * digests the file on the way), then FreeXL opens the same open file by its
 * /proc/self/fd path: the file read is the file digested, even if its name
 * changed meanwhile.  A pipe, and memory, are first copied into a memfd.
 *
 * Rows are handed over by etl/sheetrow.c, which the HTML reader shares.
 */
#include "etl/xls.h"

#include <errno.h>
#include <freexl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* The shortest text that reads back as d; integers without ".0".  The C
 * locale is in force (motcua never calls setlocale), so '.' is the point. */
static void put_number(char *buf, size_t cap, double d)
{
    if (d == 0) {
        snprintf(buf, cap, "0");        /* -0 too */
        return;
    }
    if (isfinite(d) && d == floor(d) && fabs(d) < 1e15) {
        snprintf(buf, cap, "%.0f", d);
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, cap, "%.*g", prec, d);
        if (strtod(buf, NULL) == d)
            return;
    }
}

/* One cell of the active sheet into the open row. */
static int cell(xr *x, mc_sheetrow *s, const void *h, unsigned row, unsigned short col)
{
    FreeXL_CellValue v;
    int rc = freexl_get_cell_value(h, row, col, &v);
    if (rc != FREEXL_OK)
        return mc_error_set(x->err, MC_EXIT_DATA,
                            "%s: sheet '%s' row %u column %u: cannot read the cell (%s, FreeXL "
                            "error %d): open it in Excel and save it again",
                            x->name, s->sheet, row + 1, (unsigned)col + 1, freexl_says(rc), rc);
    char num[40];
    const char *text = NULL;
    switch (v.type) {
    case FREEXL_CELL_INT:
        snprintf(num, sizeof num, "%d", v.value.int_value);
        text = num;
        break;
    case FREEXL_CELL_DOUBLE:
        put_number(num, sizeof num, v.value.double_value);
        text = num;
        break;
    case FREEXL_CELL_TEXT:
    case FREEXL_CELL_SST_TEXT:
    case FREEXL_CELL_DATE:
    case FREEXL_CELL_DATETIME:
    case FREEXL_CELL_TIME:
        text = v.value.text_value;
        break;
    default:            /* FREEXL_CELL_NULL, and a formula: FreeXL skips them */
        break;
    }
    int st = mc_sheetrow_cell_begin(s);
    if (!st && text)
        st = mc_sheetrow_cell_append(s, text, strlen(text));
    mc_sheetrow_cell_end(s);
    return st;
}

/* The sheets of the workbook at path (fd: the same file, for ole2_kind). */
static int read_workbook(xr *x, const char *path, int fd, const mc_reader_cb *cb, void *ctx)
{
    const void *h = NULL;
    errno = 0;
    int rc = freexl_open(path, &h);
    if (rc != FREEXL_OK) {
        int st = open_failed(x, rc, fd);
        if (h)
            freexl_close(h);
        return st;
    }
    unsigned int plain = 0, count = 0;
    /* FreeXL stops at a FILEPASS record and then reports anything but
     * FREEXL_BIFF_PLAIN (its examples test it this way). */
    if (freexl_get_info(h, FREEXL_BIFF_PASSWORD, &plain) != FREEXL_OK ||
        plain != FREEXL_BIFF_PLAIN) {
        freexl_close(h);
        return password(x);
    }
    if (freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &count) != FREEXL_OK)
        count = 0;

    mc_sheetrow s;
    mc_sheetrow_init(&s, x->name, "sheet", x->opts, cb, ctx, x->info, x->err);
    int st = 0;
    for (unsigned i = 0; !st && i < count && i <= 0xFFFF; i++) {
        const char *name = NULL;
        if (freexl_get_worksheet_name(h, (unsigned short)i, &name) != FREEXL_OK || !name)
            name = "";
        mc_sheetrow_sheet(&s, name);
        rc = freexl_select_active_worksheet(h, (unsigned short)i);
        unsigned rows = 0;
        unsigned short cols = 0;
        if (rc == FREEXL_OK)
            rc = freexl_worksheet_dimensions(h, &rows, &cols);
        if (rc != FREEXL_OK) {
            st = mc_error_set(x->err, MC_EXIT_DATA,
                              "%s: sheet '%s': cannot read it (%s, FreeXL error %d): open the "
                              "workbook in Excel and save it again, or save it as CSV UTF-8",
                              x->name, s.sheet, freexl_says(rc), rc);
            break;
        }
        for (unsigned r = 0; !st && r < rows; r++) {
            for (unsigned short c = 0; !st && c < cols; c++)
                st = cell(x, &s, h, r, c);
            if (!st)
                st = mc_sheetrow_end_row(&s, (long)r + 1);
        }
        if (st == MC_READER_NEXT_SHEET) {
            st = 0;
            continue;
        }
        if (!st && s.header_done) {
            x->info->lines = (long)rows;
            break;      /* the sheet read: the later ones are not */
        }
    }
    if (!st) {
        st = mc_sheetrow_finish(&s);
        if (st < 0)
            st = mc_error_set(x->err, MC_EXIT_DATA,
                              "%s: no header line (the workbook's %u sheet%s hold%s no "
                              "non-empty row)", x->name, count, count == 1 ? "" : "s",
                              count == 1 ? "s" : "");
    }
    mc_sheetrow_free(&s);
    freexl_close(h);
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
