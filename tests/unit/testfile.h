/*
 * testfile.h -- reading back a file a test made.  Header-only: each test
 * file that includes it gets its own copy.
 */
#ifndef MC_TEST_TESTFILE_H
#define MC_TEST_TESTFILE_H

#include <criterion/criterion.h>

#include <stdio.h>

/* The first line of the file at path, newline kept, into line (cap bytes);
 * "" when the file is empty (an expectation fails then). */
static inline void testfile_first_line(const char *path, char *line, int cap)
{
    FILE *f = fopen(path, "r");
    line[0] = '\0';
    cr_assert_not_null(f, "%s", path);
    cr_expect_not_null(fgets(line, cap, f), "%s has a line", path);
    fclose(f);
}

#endif
