/*
 * test_progress.c -- the terminal progress bar (cli/progress.c): what one
 * line says (bytes, rows, file of files, name with its control bytes
 * escaped), that it is wiped before a message, and that a bar turned off
 * writes nothing.  Standard error goes to a file for the test; the rate and
 * the time left need a second of work and are not asserted (no timing).
 */
#include <criterion/criterion.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/progress.h"

/* Run fn with standard error going to a file; what it wrote. */
static char *stderr_of(void (*fn)(int on), int on)
{
    char path[] = "/tmp/mc-progress-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    fflush(stderr);
    int saved = dup(2);
    dup2(fd, 2);
    fn(on);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    static char buf[4096];
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    buf[n > 0 ? n : 0] = '\0';
    close(fd);
    unlink(path);
    return buf;
}

static void a_load(int on)
{
    mc_progress b;
    mc_progress_start(&b, "ingest", on, 2, 3000000);
    mc_progress_file(&b, 1, "first.csv");
    mc_progress_ingest(&b, 1000000, 2000000, 5000);
    mc_progress_file_done(&b, 2000000, 9000);
    mc_progress_file(&b, 2, "sec\x0bond.csv");
    mc_progress_clear(&b);
    mc_progress_step(&b, 1, 4, "report 2025-Q3");
    mc_progress_clear(&b);
}

Test(progress, says_bytes_rows_and_files)
{
    const char *t = stderr_of(a_load, 1);
    cr_assert_not_null(strstr(t, "\r\033[Kmotcua ingest: [........................] 0 B/3.0 MB  0 rows"), "%s", t);
    cr_assert_not_null(strstr(t, "  1/2 first.csv"), "%s", t);
    cr_assert_not_null(strstr(t, "motcua ingest: [################........] 2.0 MB/3.0 MB  9000 rows"), "%s", t);
    cr_assert_not_null(strstr(t, "  2/2 sec\\x0bond.csv"), "%s", t);
    cr_assert_not_null(strstr(t, "[######..................] report 2025-Q3"), "%s", t);
    /* wiped twice: before the message, after the step */
    const char *wipe = "\r\033[K";
    const char *end = t + strlen(t) - strlen(wipe);
    cr_assert_str_eq(end, wipe, "ends wiped: %s", t);
}

Test(progress, off_writes_nothing)
{
    cr_assert_str_eq(stderr_of(a_load, 0), "");
}
