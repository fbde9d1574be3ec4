/*
 * test_hash.c -- mc_sha256_file (etl/hash.c): known vectors, a file larger
 * than one read step, and unreadable paths.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "base/hash.h"

static char *temp_with(const void *data, size_t n)
{
    static char path[64];
    strcpy(path, "/tmp/mc_hash_XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, data, n), (ssize_t)n);
    close(fd);
    return path;
}

Test(hash, known_vectors)
{
    struct {
        const char *data;
        const char *hex;
    } v[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    };
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        char *path = temp_with(v[i].data, strlen(v[i].data));
        char hex[65];
        uint64_t size = 99;
        mc_error err;
        cr_assert_eq(mc_sha256_file(path, hex, &size, &err), 0, "%s", err.msg);
        unlink(path);
        cr_expect_str_eq(hex, v[i].hex);
        cr_expect_eq(size, strlen(v[i].data));
    }
}

Test(hash, million_a)
{
    size_t n = 1000000;
    char *buf = malloc(n);
    memset(buf, 'a', n);
    char *path = temp_with(buf, n);
    char hex[65];
    uint64_t size;
    mc_error err;
    cr_assert_eq(mc_sha256_file(path, hex, &size, &err), 0, "%s", err.msg);
    unlink(path);
    cr_expect_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    cr_expect_eq(size, n);
    free(buf);
}

Test(hash, streamed_equals_one_shot_across_read_steps)
{
    /* 3.5 MiB of varied bytes: several 1 MiB reads and a partial one */
    size_t n = 3 * 1024 * 1024 + 512 * 1024 + 7;
    unsigned char *buf = malloc(n);
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        buf[i] = (unsigned char)x;
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen;
    cr_assert_eq(EVP_Digest(buf, n, md, &mdlen, EVP_sha256(), NULL), 1);
    char want[65];
    for (unsigned int i = 0; i < mdlen; i++)
        sprintf(want + 2 * i, "%02x", md[i]);
    char *path = temp_with(buf, n);
    char hex[65];
    uint64_t size;
    mc_error err;
    cr_assert_eq(mc_sha256_file(path, hex, &size, &err), 0, "%s", err.msg);
    unlink(path);
    cr_expect_str_eq(hex, want);
    cr_expect_eq(size, n);
    free(buf);
}

Test(hash, unreadable_is_an_io_error)
{
    char hex[65] = "x";
    uint64_t size = 5;
    mc_error err;
    int st = mc_sha256_file("/nonexistent/dir/export.csv", hex, &size, &err);
    cr_assert_eq(st, MC_EXIT_IO);
    cr_assert_eq(err.status, MC_EXIT_IO);
    cr_assert_str_eq(err.msg, "/nonexistent/dir/export.csv: cannot open: No such file or directory");
    cr_assert_str_eq(hex, "");
    cr_assert_eq(size, 0);
    /* a directory opens but cannot be read */
    st = mc_sha256_file("/tmp", hex, &size, &err);
    cr_assert_eq(st, MC_EXIT_IO);
    cr_assert_str_eq(err.msg, "/tmp: cannot read: Is a directory");
}
