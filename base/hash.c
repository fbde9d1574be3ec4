/*
 * hash.c -- streamed SHA-256 with OpenSSL's EVP; see hash.h.
 */
#include "base/hash.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "base/fs.h"

#define HASH_STEP ((size_t)1 << 20)

struct mc_sha256 {
    EVP_MD_CTX *md;
    /* Fetched once: EVP_sha256() would make every EVP_DigestInit_ex look
     * the algorithm up in the providers again, a few thousand instructions
     * each time (OpenSSL 3) -- which counts when a digest is taken per row. */
    EVP_MD *sha256;
    int failed;
};

mc_sha256 *mc_sha256_new(void)
{
    mc_sha256 *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    if (!(h->md = EVP_MD_CTX_new()) || !(h->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL)) ||
        mc_sha256_reset(h) != 0) {
        mc_sha256_free(h);
        return NULL;
    }
    return h;
}

void mc_sha256_free(mc_sha256 *h)
{
    if (!h)
        return;
    EVP_MD_CTX_free(h->md);
    EVP_MD_free(h->sha256);
    free(h);
}

int mc_sha256_reset(mc_sha256 *h)
{
    h->failed = EVP_DigestInit_ex(h->md, h->sha256, NULL) != 1;
    return h->failed ? -1 : 0;
}

int mc_sha256_update(mc_sha256 *h, const void *p, size_t n)
{
    if (!h->failed && n && EVP_DigestUpdate(h->md, p, n) != 1)
        h->failed = 1;
    return h->failed ? -1 : 0;
}

/* Add the bytes of the file at path, *added getting how many, in 1 MiB
 * steps. */
static int update_from_file(mc_sha256 *h, const char *path, uint64_t *added, mc_error *err)
{
    *added = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return mc_error_set(err, MC_EXIT_IO, "%s: cannot open: %s", path, strerror(errno));
    int st = 0;
    unsigned char *buf = malloc(HASH_STEP);
    if (!buf) {
        st = mc_error_set(err, MC_EXIT_SOFTWARE, "%s: out of memory", path);
        goto out;
    }
    for (;;) {
        ssize_t k = mc_fs_read(fd, buf, HASH_STEP);
        if (k < 0) {
            st = mc_error_set(err, MC_EXIT_IO, "%s: cannot read: %s", path, strerror(errno));
            goto out;
        }
        if (k == 0)
            break;
        if (mc_sha256_update(h, buf, (size_t)k) != 0) {
            st = mc_error_set(err, MC_EXIT_SOFTWARE, "%s: SHA-256 failed", path);
            goto out;
        }
        *added += (uint64_t)k;
    }
out:
    free(buf);
    close(fd);
    return st;
}

int mc_sha256_digest(mc_sha256 *h, unsigned char d[MC_SHA256_LEN])
{
    unsigned char all[EVP_MAX_MD_SIZE];
    unsigned int dlen = 0;
    if (h->failed || EVP_DigestFinal_ex(h->md, all, &dlen) != 1 || dlen != MC_SHA256_LEN)
        return -1;
    memcpy(d, all, MC_SHA256_LEN);
    return 0;
}

int mc_sha256_final(mc_sha256 *h, char hex[65])
{
    unsigned char d[MC_SHA256_LEN];
    hex[0] = '\0';
    if (mc_sha256_digest(h, d) != 0)
        return -1;
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < MC_SHA256_LEN; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[64] = '\0';
    return 0;
}

int mc_sha256_file(const char *path, char hex[65], uint64_t *size, mc_error *err)
{
    hex[0] = '\0';
    if (size)
        *size = 0;
    mc_sha256 *h = mc_sha256_new();
    if (!h)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "%s: cannot start SHA-256 (out of memory?)",
                            path);
    uint64_t total = 0;
    int st = update_from_file(h, path, &total, err);
    if (!st && mc_sha256_final(h, hex) != 0)
        st = mc_error_set(err, MC_EXIT_SOFTWARE, "%s: SHA-256 failed", path);
    if (!st && size)
        *size = total;
    mc_sha256_free(h);
    return st;
}
