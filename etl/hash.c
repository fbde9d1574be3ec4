/*
 * hash.c -- streamed SHA-256 of a file with OpenSSL's EVP; see hash.h.
 */
#include "etl/hash.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#define HASH_STEP ((size_t)1 << 20)

int mc_sha256_file(const char *path, char hex[65], uint64_t *size, mc_error *err)
{
    hex[0] = '\0';
    if (size)
        *size = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return mc_error_set(err, MC_EXIT_IO, "%s: cannot open: %s", path, strerror(errno));

    int st = 0;
    uint64_t total = 0;
    unsigned char *buf = malloc(HASH_STEP);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!buf || !md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
        st = mc_error_set(err, MC_EXIT_SOFTWARE, "%s: cannot start SHA-256 (out of memory?)", path);
        goto out;
    }
    for (;;) {
        ssize_t k = read(fd, buf, HASH_STEP);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            st = mc_error_set(err, MC_EXIT_IO, "%s: cannot read: %s", path, strerror(errno));
            goto out;
        }
        if (k == 0)
            break;
        if (EVP_DigestUpdate(md, buf, (size_t)k) != 1) {
            st = mc_error_set(err, MC_EXIT_SOFTWARE, "%s: SHA-256 failed", path);
            goto out;
        }
        total += (uint64_t)k;
    }
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int dlen = 0;
    if (EVP_DigestFinal_ex(md, d, &dlen) != 1 || dlen != 32) {
        st = mc_error_set(err, MC_EXIT_SOFTWARE, "%s: SHA-256 failed", path);
        goto out;
    }
    static const char digits[] = "0123456789abcdef";
    for (unsigned int i = 0; i < dlen; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[64] = '\0';
    if (size)
        *size = total;
out:
    EVP_MD_CTX_free(md);
    free(buf);
    close(fd);
    return st;
}
