/*
 * floor.c -- `make bench`'s floor job: libcsv alone counting the fields of
 * an export, plain or gzip (issue 15).
 *
 *   motcua-floor FILE      prints "ROWS FIELDS TEXT_BYTES" on standard output
 *
 * The cost no CSV design can avoid: read(2) in 1 MiB chunks (motcua's
 * chunk), for a gzip file the same streaming inflater motcua reads gzip
 * with (ISA-L's isal_inflate, trailer CRC and length verified), and libcsv
 * with its default options, whose callbacks only count.  No line numbers,
 * no limits, no UTF-8, no normalizing, no store.  The bench divides each
 * motcua job's time by this job's time on the same file in the same run,
 * so that the goals hold on a busy or a slow machine alike.
 *
 * A tool of the bench only: it reports a damaged file and exits 1, nothing
 * more.
 */
#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <isa-l/igzip_lib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK ((size_t)1 << 20)

typedef struct {
    unsigned long long rows, fields;
} counts;

static void on_field(void *s, size_t len, void *ctx)
{
    (void)s, (void)len;
    ((counts *)ctx)->fields++;
}

static void on_row(int c, void *ctx)
{
    (void)c;
    ((counts *)ctx)->rows++;
}

static int fail(const char *path, const char *what)
{
    fprintf(stderr, "motcua-floor: %s: %s\n", path, what);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: motcua-floor FILE\n");
        return 2;
    }
    const char *path = argv[1];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fail(path, strerror(errno));
    unsigned char *in = malloc(CHUNK), *out = malloc(CHUNK);
    struct inflate_state *zs = malloc(sizeof *zs);
    struct isal_gzip_header hdr;
    struct csv_parser p;
    if (!in || !out || !zs || csv_init(&p, 0) != 0)
        return fail(path, "out of memory");
    counts c = {0, 0};
    unsigned long long text = 0;
    int gz = -1;            /* -1 until the first bytes are seen */
    int in_header = 1, eof = 0, member_done = 0;
    size_t n = 0;
    for (;;) {
        if ((gz ? zs->avail_in : n) == 0 && !eof) {
            ssize_t k = read(fd, in, CHUNK);
            if (k < 0 && errno == EINTR)
                continue;
            if (k < 0)
                return fail(path, strerror(errno));
            eof = k == 0;
            n = (size_t)k;
            if (gz < 0) {
                gz = n >= 2 && in[0] == 0x1F && in[1] == 0x8B;
                if (gz) {
                    isal_inflate_init(zs);
                    zs->crc_flag = ISAL_GZIP_NO_HDR_VER;
                    memset(&hdr, 0, sizeof hdr);
                    isal_gzip_header_init(&hdr);
                }
            }
            if (gz) {
                zs->next_in = in;
                zs->avail_in = (uint32_t)n;
            }
        }
        if (!gz) {
            if (n == 0)
                break;
            if (csv_parse(&p, in, n, on_field, on_row, &c) != n)
                return fail(path, csv_strerror(csv_error(&p)));
            text += n;
            n = 0;
            continue;
        }
        if (zs->avail_in == 0 && eof) {
            if (!member_done)
                return fail(path, "gzip data is truncated");
            break;
        }
        if (member_done) {  /* concatenated members are one stream */
            isal_inflate_reset(zs);
            memset(&hdr, 0, sizeof hdr);
            isal_gzip_header_init(&hdr);
            in_header = 1;
            member_done = 0;
        }
        if (in_header) {
            int r = isal_read_gzip_header(zs, &hdr);
            if (r < 0)
                return fail(path, "bad gzip header");
            in_header = r != ISAL_DECOMP_OK;
            continue;
        }
        zs->next_out = out;
        zs->avail_out = (uint32_t)CHUNK;
        if (isal_inflate(zs) != ISAL_DECOMP_OK)
            return fail(path, "gzip data is corrupt");
        size_t got = CHUNK - zs->avail_out;
        member_done = zs->block_state == ISAL_BLOCK_FINISH;
        if (got && csv_parse(&p, out, got, on_field, on_row, &c) != got)
            return fail(path, csv_strerror(csv_error(&p)));
        text += got;
    }
    csv_fini(&p, on_field, on_row, &c);
    csv_free(&p);
    close(fd);
    free(in);
    free(out);
    free(zs);
    printf("%llu %llu %llu\n", c.rows, c.fields, text);
    return 0;
}
