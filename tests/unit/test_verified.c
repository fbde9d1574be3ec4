/*
 * test_verified.c -- the verified-store stamp (etl/verified.h): written
 * after a clean close, it matches the store as it was left; any change to
 * the file (a write, even one whose mtime is set back, a copy, a rename, a
 * WAL waiting beside it) makes it not match; a stamp that is missing,
 * garbage or of another format is treated as absent, never as an error.
 * The store here is a plain file: the stamp looks at the file, not at what
 * SQLite keeps in it.
 */
#include <criterion/criterion.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "etl/verified.h"
#include "tests/unit/testfile.h"

static char dir[64], db[128], stamp[160];

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    fputs(text, f);
    cr_assert_eq(fclose(f), 0);
}

static void side(char *buf, size_t cap, const char *suffix)
{
    snprintf(buf, cap, "%s%s", db, suffix);
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/mc-verified-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/s.db", dir);
    snprintf(stamp, sizeof stamp, "%s/s.db" MC_VERIFIED_SUFFIX, dir);
    put(db, "a store of sixteen bytes, or so\n");
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

/* a stamp for db as it is now, which must match */
static void stamped(void)
{
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_verified_write(db, &err), 0, "%s", err.msg);
    cr_assert_eq(mc_verified_matches(db), 1, "a fresh stamp matches");
}

TestSuite(verified, .init = setup, .fini = teardown);

Test(verified, written_matches_and_keeps_to_itself)
{
    cr_expect_eq(mc_verified_matches(db), 0, "no stamp: the check is needed");
    stamped();
    struct stat sb;
    cr_assert_eq(stat(stamp, &sb), 0);
    cr_expect_eq(sb.st_mode & 0137, 0, "stamp mode %o: 0640 or stricter", sb.st_mode & 0777);
    char line[64];
    testfile_first_line(stamp, line, sizeof line);
    cr_expect_str_eq(line, "motcua-verified 1\n", "the stamp starts with its format tag");
    cr_expect_eq(mc_verified_matches(db), 1, "reading it changes nothing");
    /* no temporary left beside it */
    char cmd[256];
    snprintf(cmd, sizeof cmd, "test -z \"$(ls -A '%s' | grep -v '^s.db')\"", dir);
    cr_expect_eq(system(cmd), 0, "only the store and its stamp are in the folder");
}

Test(verified, cleared_before_a_write)
{
    mc_error err;
    mc_error_clear(&err);
    cr_expect_eq(mc_verified_clear(db, &err), 0, "no stamp to remove is fine: %s", err.msg);
    stamped();
    cr_expect_eq(mc_verified_clear(db, &err), 0, "%s", err.msg);
    cr_expect_neq(access(stamp, F_OK), 0, "the stamp is gone");
    cr_expect_eq(mc_verified_matches(db), 0);
}

Test(verified, a_write_in_place_with_the_mtime_set_back)
{
    stamped();
    struct stat before;
    cr_assert_eq(stat(db, &before), 0);
    int fd = open(db, O_WRONLY);
    cr_assert_geq(fd, 0);
    cr_assert_eq(pwrite(fd, "Z", 1, 3), 1);
    /* as `touch -r` would: size and mtime exactly as stamped */
    struct timespec t[2] = {before.st_atim, before.st_mtim};
    cr_assert_eq(futimens(fd, t), 0);
    close(fd);
    struct stat after;
    cr_assert_eq(stat(db, &after), 0);
    cr_assert_eq(after.st_size, before.st_size);
    cr_assert_eq(after.st_mtim.tv_sec, before.st_mtim.tv_sec);
    cr_assert_eq(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
    cr_expect_eq(mc_verified_matches(db), 0, "the ctime gives the write away");
}

Test(verified, an_append)
{
    stamped();
    FILE *f = fopen(db, "a");
    cr_assert_not_null(f);
    fputc('x', f);
    fclose(f);
    cr_expect_eq(mc_verified_matches(db), 0);
}

Test(verified, a_touch_alone)
{
    stamped();
    cr_assert_eq(utimensat(AT_FDCWD, db, NULL, 0), 0);
    cr_expect_eq(mc_verified_matches(db), 0);
}

Test(verified, a_copy_put_in_its_place)
{
    stamped();
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cp -p '%s' '%s.copy' && mv '%s.copy' '%s'", db, db, db, db);
    cr_assert_eq(system(cmd), 0);
    cr_expect_eq(mc_verified_matches(db), 0, "same bytes and mtime, another inode");
}

Test(verified, renamed_away_and_back)
{
    stamped();
    char other[160];
    side(other, sizeof other, ".elsewhere");
    cr_assert_eq(rename(db, other), 0);
    cr_assert_eq(rename(other, db), 0);
    cr_expect_eq(mc_verified_matches(db), 0);
}

Test(verified, a_wal_or_journal_beside_it)
{
    stamped();
    char wal[160], journal[160];
    side(wal, sizeof wal, "-wal");
    side(journal, sizeof journal, "-journal");
    put(wal, "");
    cr_expect_eq(mc_verified_matches(db), 1, "an empty WAL holds nothing to fold in");
    put(wal, "frames of a run that was killed");
    cr_expect_eq(mc_verified_matches(db), 0, "a WAL with frames: check");
    unlink(wal);
    put(journal, "a hot journal");
    cr_expect_eq(mc_verified_matches(db), 0, "a rollback journal: check");
}

Test(verified, not_written_while_another_connection_has_the_store)
{
    char wal[160];
    side(wal, sizeof wal, "-wal");
    put(wal, "");
    mc_error err;
    mc_error_clear(&err);
    cr_expect_eq(mc_verified_write(db, &err), 1);
    cr_expect(strstr(err.msg, "WAL") != NULL, "the reason: %s", err.msg);
    cr_expect_neq(access(stamp, F_OK), 0, "no stamp");
}

Test(verified, garbage_is_absent)
{
    stamped();
    FILE *f = fopen(stamp, "r");
    char good[512];
    cr_assert_not_null(f);
    size_t n = fread(good, 1, sizeof good - 1, f);
    fclose(f);
    good[n] = '\0';

    put(stamp, "");
    cr_expect_eq(mc_verified_matches(db), 0, "empty");
    put(stamp, "\x01\x02 not a stamp at all \xff\n");
    cr_expect_eq(mc_verified_matches(db), 0, "binary");
    char cut[512];
    snprintf(cut, sizeof cut, "%.*s", (int)(n - 5), good);
    put(stamp, cut);
    cr_expect_eq(mc_verified_matches(db), 0, "cut short");
    char more[600];
    snprintf(more, sizeof more, "%sextra line\n", good);
    put(stamp, more);
    cr_expect_eq(mc_verified_matches(db), 0, "with something after it");
    char other[512];
    snprintf(other, sizeof other, "%s", good);
    other[strlen("motcua-verified ")] = '2';
    put(stamp, other);
    cr_expect_eq(mc_verified_matches(db), 0, "another format tag");
    char big[4096];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    memcpy(big, good, n);
    put(stamp, big);
    cr_expect_eq(mc_verified_matches(db), 0, "far too long");
    put(stamp, good);
    cr_expect_eq(mc_verified_matches(db), 1, "the right text matches again");
}

Test(verified, a_stamp_that_cannot_be_written)
{
    /* a folder in the stamp's place: as good a refusal as a read-only
     * folder, and root cannot write around it */
    cr_assert_eq(mkdir(stamp, 0750), 0);
    mc_error err;
    mc_error_clear(&err);
    cr_expect_eq(mc_verified_write(db, &err), MC_EXIT_IO);
    cr_expect_eq(strncmp(err.msg, stamp, strlen(stamp)), 0, "names the stamp: %s", err.msg);
    cr_expect_eq(mc_verified_matches(db), 0, "an unreadable stamp does not match");
    cr_expect_eq(mc_verified_clear(db, &err), MC_EXIT_IO, "and says why it stays");
}

Test(verified, no_stamp_for_a_link_or_a_missing_store)
{
    char real[160];
    side(real, sizeof real, ".real");
    cr_assert_eq(rename(db, real), 0);
    mc_error err;
    mc_error_clear(&err);
    cr_expect_eq(mc_verified_write(db, &err), 1, "no store: %s", err.msg);
    cr_assert_eq(symlink(real, db), 0);
    cr_expect_eq(mc_verified_write(db, &err), 1, "a symbolic link: its WAL is elsewhere");
    cr_expect_neq(access(stamp, F_OK), 0);
    cr_expect_eq(mc_verified_matches(db), 0);
}
