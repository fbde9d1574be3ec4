/*
 * test_units.c -- the units registry (reports/units.h) on the bundled
 * fixtures/units.csv and on broken registries in data/units-*.csv; and a
 * sanity check of fixtures/targets.csv against the registry.
 *
 * Runs with cwd tests/unit.
 */
#include <criterion/criterion.h>
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "reports/units.h"
#include "transforms/dates.h"

#define FIXTURE "../../fixtures/units.csv"
#define TARGETS "../../fixtures/targets.csv"

static mc_units *reg;

static void load_fixture(void)
{
    mc_error err = {0};
    int rc = mc_units_load(FIXTURE, &reg, &err);
    cr_assert_eq(rc, 0, "loading %s: %d %s", FIXTURE, rc, err.msg);
    cr_assert_not_null(reg);
}

static void free_fixture(void)
{
    mc_units_free(reg);
    reg = NULL;
}

static int64_t day(const char *s)
{
    int64_t d = 0;
    cr_assert_eq(mc_day_parse(s, &d), 0, "bad test date %s", s);
    return d;
}

/* Every unit of the fixture: code, name, parent, depth. */
static const struct {
    const char *code, *name, *parent;
    int depth;
} expected[] = {
    {"000.00.00.H10", "UBND tỉnh Bình Phước", NULL, 0},
    {"000.00.00.H30", "UBND tỉnh Hà Tĩnh", NULL, 0},
    {"000.00.00.H56", "UBND tỉnh Quảng Trị", NULL, 0},
    {"000.00.05.H30", "UBND huyện Cẩm Xuyên", "000.00.00.H30", 1},
    {"000.00.06.H56", "Sở Công Thương tỉnh Quảng Trị", "000.00.00.H56", 1},
    {"000.00.09.H10", "UBND huyện Lộc Ninh", "000.00.00.H10", 1},
    {"000.00.21.H56", "UBND thị xã Quảng Trị", "000.00.00.H56", 1},
    {"000.00.27.H56", "UBND huyện Vĩnh Linh", "000.00.00.H56", 1},
    {"000.00.41.H30", "UBND xã Cẩm Xuyên", "000.00.00.H30", 1},
    {"000.00.42.H30", "UBND xã Thiên Cầm", "000.00.00.H30", 1},
    {"000.00.61.H56", "UBND phường Quảng Trị", "000.00.00.H56", 1},
    {"000.00.72.H56", "UBND xã Cửa Tùng", "000.00.00.H56", 1},
    {"000.01.05.H30", "Trung tâm Hành chính công huyện Cẩm Xuyên", "000.00.05.H30", 2},
    {"000.01.06.H56", "Văn phòng Sở Công Thương tỉnh Quảng Trị", "000.00.06.H56", 2},
    {"000.01.27.H56", "UBND thị trấn Cửa Tùng", "000.00.27.H56", 2},
    {"000.01.72.H56", "Trung tâm Phục vụ hành chính công xã Cửa Tùng", "000.00.72.H56", 2},
    {"000.02.06.H56", "Bộ phận Một cửa Sở Công Thương tỉnh Quảng Trị", "000.00.06.H56", 2},
    {"000.02.21.H56", "UBND phường 2, thị xã Quảng Trị", "000.00.21.H56", 2},
    {"000.08.09.H10", "UBND xã Lộc Hòa", "000.00.09.H10", 2},
    {"000.21.05.H30", "UBND thị trấn Cẩm Xuyên", "000.00.05.H30", 2},
    {"000.22.05.H30", "UBND thị trấn Thiên Cầm", "000.00.05.H30", 2},
    {"000.23.05.H30", "UBND xã Cẩm Quang", "000.00.05.H30", 2},
    {"000.24.05.H30", "UBND xã Cẩm Thành", "000.00.05.H30", 2},
    {"000.25.05.H30", "UBND xã Cẩm Mỹ", "000.00.05.H30", 2},
    {"000.26.05.H30", "UBND xã Cẩm Bình", "000.00.05.H30", 2},
    {"000.27.05.H30", "UBND xã Cẩm Nhượng", "000.00.05.H30", 2},
    {"001.02.21.H56", "Bộ phận Một cửa phường 2, thị xã Quảng Trị", "000.02.21.H56", 3},
    {"001.08.09.H10", "Bộ phận Một cửa xã Lộc Hòa", "000.08.09.H10", 3},
};
#define N_EXPECTED (sizeof expected / sizeof expected[0])

Test(units, every_fixture_unit_is_found, .init = load_fixture, .fini = free_fixture)
{
    cr_assert_eq(mc_units_count(reg), N_EXPECTED);
    for (size_t i = 0; i < N_EXPECTED; i++) {
        const mc_unit *u = mc_units_find(reg, expected[i].code);
        cr_assert_not_null(u, "%s not found", expected[i].code);
        cr_assert_str_eq(u->name, expected[i].name);
        if (expected[i].parent)
            cr_assert_str_eq(u->parent, expected[i].parent, "parent of %s", u->code);
        else
            cr_assert_null(u->parent, "%s should be a top unit", u->code);
        cr_assert_eq(u->depth, expected[i].depth, "depth of %s: %d", u->code, u->depth);
        /* the table is in code order, and so is mc_units_at */
        cr_assert_str_eq(mc_units_at(reg, i)->code, expected[i].code, "order at %zu", i);
        cr_assert_not_null(u->aliases, "%s has no aliases", u->code);
    }
    cr_assert_null(mc_units_at(reg, N_EXPECTED));
    cr_assert_null(mc_units_find(reg, "000.00.99.H56"));
    cr_assert_null(mc_units_find(reg, "000.00.06.h56"));
}

Test(units, ancestors, .init = load_fixture, .fini = free_fixture)
{
    const char *out[8];
    size_t n = mc_units_ancestors(reg, "001.08.09.H10", out, 8);
    cr_assert_eq(n, 3);
    cr_assert_str_eq(out[0], "000.08.09.H10");
    cr_assert_str_eq(out[1], "000.00.09.H10");
    cr_assert_str_eq(out[2], "000.00.00.H10");

    n = mc_units_ancestors(reg, "000.01.72.H56", out, 8);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(out[0], "000.00.72.H56");
    cr_assert_str_eq(out[1], "000.00.00.H56");

    /* cap cuts the list, nearest first */
    n = mc_units_ancestors(reg, "001.02.21.H56", out, 2);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(out[0], "000.02.21.H56");
    cr_assert_str_eq(out[1], "000.00.21.H56");

    cr_assert_eq(mc_units_ancestors(reg, "000.00.00.H30", out, 8), 0);
    cr_assert_eq(mc_units_ancestors(reg, "no such unit", out, 8), 0);
    cr_assert_eq(mc_units_ancestors(reg, "001.08.09.H10", out, 0), 0);
}

/* Spellings seen in exports -> the unit they must resolve to. */
static const struct {
    const char *name, *code;
} spellings[] = {
    {"UBND xã Cửa Tùng", "000.00.72.H56"},
    {"Ủy ban nhân dân xã Cửa Tùng", "000.00.72.H56"},
    {"Uỷ ban nhân dân xã Cửa Tùng", "000.00.72.H56"},
    {"ỦY BAN NHÂN DÂN XÃ CỬA TÙNG", "000.00.72.H56"},
    {"UBND X. Cửa Tùng", "000.00.72.H56"},
    {"UBND X.Cửa Tùng", "000.00.72.H56"},
    {"Xã Cửa Tùng", "000.00.72.H56"},
    {"UBND xã Cửa Tùng, tỉnh Quảng Trị", "000.00.72.H56"},
    {"UBND xã Cửa Tùng - Quảng Trị", "000.00.72.H56"},
    {"UBND xã Cửa Tùng (tỉnh Quảng Trị)", "000.00.72.H56"},
    {"UBND xa Cua Tung", "000.00.72.H56"},
    {"Trung tâm Phục vụ hành chính công xã Cửa Tùng", "000.01.72.H56"},
    {"Trung tâm PVHCC xã Cửa Tùng", "000.01.72.H56"},
    {"TT PVHCC X. Cửa Tùng", "000.01.72.H56"},
    {"UBND thị trấn Cửa Tùng", "000.01.27.H56"},
    {"UBND TT Cửa Tùng, huyện Vĩnh Linh", "000.01.27.H56"},
    {"UBND huyện Vĩnh Linh, tỉnh Quảng Trị", "000.00.27.H56"},
    {"UBND tỉnh Quảng Trị", "000.00.00.H56"},
    {"Sở Công Thương Quảng Trị", "000.00.06.H56"},
    {"Sở Công thương tỉnh Quảng Trị", "000.00.06.H56"},
    {"Sở CT Quảng Trị", "000.00.06.H56"},
    {"SCT Quảng Trị", "000.00.06.H56"},
    {"Sở Công Thương", "000.00.06.H56"},
    {"Văn phòng Sở Công Thương", "000.01.06.H56"},
    {"VP Sở CT Quảng Trị", "000.01.06.H56"},
    {"Bộ phận Một cửa Sở Công Thương", "000.02.06.H56"},
    {"Bộ phận TN&TKQ Sở Công Thương Quảng Trị", "000.02.06.H56"},
    {"UBND phường 2, thị xã Quảng Trị", "000.02.21.H56"},
    {"UBND P.2, TX Quảng Trị", "000.02.21.H56"},
    {"UBND P2 - TX. Quảng Trị", "000.02.21.H56"},
    {"Phường 2 thị xã Quảng Trị", "000.02.21.H56"},
    {"UBND phường 2 (thị xã Quảng Trị)", "000.02.21.H56"},
    {"Bộ phận một cửa P.2, TX Quảng Trị", "001.02.21.H56"},
    {"UBND thị xã Quảng Trị", "000.00.21.H56"},
    {"UBND TX Quảng Trị, tỉnh Quảng Trị", "000.00.21.H56"},
    {"UBND phường Quảng Trị", "000.00.61.H56"},
    {"UBND xã Lộc Hòa", "000.08.09.H10"},
    {"UBND xã Lộc Hoà", "000.08.09.H10"},
    {"Uỷ ban nhân dân xã Lộc Hoà, huyện Lộc Ninh", "000.08.09.H10"},
    {"UBND X. Lộc Hòa, H. Lộc Ninh, T. Bình Phước", "000.08.09.H10"},
    {"UBND xa Loc Hoa", "000.08.09.H10"},
    {"Bộ phận Một cửa xã Lộc Hòa", "001.08.09.H10"},
    {"BP Một cửa xã Lộc Hoà", "001.08.09.H10"},
    {"UBND huyện Lộc Ninh", "000.00.09.H10"},
    {"UBND tỉnh Bình Phước", "000.00.00.H10"},
    {"UBND huyện Cẩm Xuyên", "000.00.05.H30"},
    {"UBND huyện Cẩm Xuyên, tỉnh Hà Tĩnh", "000.00.05.H30"},
    {"UBND H. Cẩm Xuyên", "000.00.05.H30"},
    {"Trung tâm Hành chính công huyện Cẩm Xuyên", "000.01.05.H30"},
    {"TT HCC Cẩm Xuyên", "000.01.05.H30"},
    {"UBND TT Cẩm Xuyên", "000.21.05.H30"},
    {"UBND thị trấn Thiên Cầm, huyện Cẩm Xuyên", "000.22.05.H30"},
    {"UBND xã Cẩm Quang", "000.23.05.H30"},
    {"UBND X. Cẩm Thành", "000.24.05.H30"},
    {"Ủy ban nhân dân xã Cẩm Mỹ", "000.25.05.H30"},
    {"UBND xã Cẩm Bình, huyện Cẩm Xuyên, tỉnh Hà Tĩnh", "000.26.05.H30"},
    {"UBND xã Cẩm Nhượng", "000.27.05.H30"},
    {"UBND X. Thiên Cầm", "000.00.42.H30"},
    {"UBND tỉnh Hà Tĩnh", "000.00.00.H30"},
};
#define N_SPELLINGS (sizeof spellings / sizeof spellings[0])

static void expect_match(const char *name, const char *code)
{
    const mc_unit *u = (const mc_unit *)1;
    int rc = mc_units_match_name(reg, name, &u);
    cr_assert_eq(rc, 1, "'%s' -> %d, expected one match (%s)", name, rc, code);
    cr_assert_not_null(u);
    cr_assert_str_eq(u->code, code, "'%s' -> %s, expected %s", name, u->code, code);
}

Test(units, spelling_variants_nfc, .init = load_fixture, .fini = free_fixture)
{
    for (size_t i = 0; i < N_SPELLINGS; i++)
        expect_match(spellings[i].name, spellings[i].code);
}

Test(units, spelling_variants_nfd, .init = load_fixture, .fini = free_fixture)
{
    /* Written out decomposed: base letters + combining marks. */
    /* "UBND xã Cửa Tùng": a+U+0303, u+U+031B+U+0309, u+U+0300 */
    expect_match("UBND xa\xcc\x83 Cu\xcc\x9b\xcc\x89" "a Tu\xcc\x80ng", "000.00.72.H56");
    /* "Ủy ban nhân dân xã Cửa Tùng": U+U+0309, a+U+0302 twice */
    expect_match("U\xcc\x89y ban nha\xcc\x82n da\xcc\x82n xa\xcc\x83 Cu\xcc\x9b\xcc\x89" "a Tu\xcc\x80ng",
                 "000.00.72.H56");
    /* "Uỷ ban nhân dân xã Cửa Tùng": y+U+0309 */
    expect_match("Uy\xcc\x89 ban nha\xcc\x82n da\xcc\x82n xa\xcc\x83 Cu\xcc\x9b\xcc\x89" "a Tu\xcc\x80ng",
                 "000.00.72.H56");
    /* "UBND X. Cửa Tùng" */
    expect_match("UBND X. Cu\xcc\x9b\xcc\x89" "a Tu\xcc\x80ng", "000.00.72.H56");
    /* "UBND xã Lộc Hoà": o+U+0323+U+0302, a+U+0300 */
    expect_match("UBND xa\xcc\x83 Lo\xcc\xa3\xcc\x82" "c Hoa\xcc\x80", "000.08.09.H10");
    /* "UBND xã Lộc Hòa": o+U+0300 */
    expect_match("UBND xa\xcc\x83 Lo\xcc\xa3\xcc\x82" "c Ho\xcc\x80" "a", "000.08.09.H10");
    /* "Sở CT Quảng Trị": o+U+031B+U+0309, a+U+0309, i+U+0323 */
    expect_match("So\xcc\x9b\xcc\x89 CT Qua\xcc\x89ng Tri\xcc\xa3", "000.00.06.H56");
    /* "UBND P.2, TX Quảng Trị" */
    expect_match("UBND P.2, TX Qua\xcc\x89ng Tri\xcc\xa3", "000.02.21.H56");
    /* "UBND huyện Cẩm Xuyên": e+U+0323+U+0302, a+U+0302+U+0309, e+U+0302 */
    expect_match("UBND huye\xcc\xa3\xcc\x82n Ca\xcc\x82\xcc\x89m Xuye\xcc\x82n", "000.00.05.H30");

    /* And every NFC spelling of the table, decomposed by utf8proc. */
    for (size_t i = 0; i < N_SPELLINGS; i++) {
        utf8proc_uint8_t *nfd = NULL;
        utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)spellings[i].name, 0, &nfd,
                                          UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_DECOMPOSE);
        cr_assert_geq(n, 0);
        expect_match((const char *)nfd, spellings[i].code);
        free(nfd);
    }
}

Test(units, exact_name_match, .init = load_fixture, .fini = free_fixture)
{
    /* every unit is found by its own name, in any letter case, with any spacing */
    for (size_t i = 0; i < N_EXPECTED; i++)
        expect_match(expected[i].name, expected[i].code);
    expect_match("UBND XÃ LỘC HÒA", "000.08.09.H10");
    expect_match("  UBND   xã\tCửa Tùng ", "000.00.72.H56");
    /* "UBND xã Cẩm Xuyên" is a name: exact wins, although the district's
     * pattern would not take it anyway */
    expect_match("UBND xã Cẩm Xuyên", "000.00.41.H30");
}

Test(units, no_match_gives_0, .init = load_fixture, .fini = free_fixture)
{
    const char *none[] = {
        "UBND phường 2",                /* which phường 2?  Đông Hà has one too */
        "Bộ phận Một cửa",              /* whose? */
        "Văn phòng Sở",
        "Công an xã Cửa Tùng",
        "UBND xã Cửa Tùng Mới",         /* the pattern must match the whole name */
        "Trung tâm PVHCC thị trấn Cửa Tùng",
        "UBND xã Lộc Thành",
        "",
        "   ",
        "\xc3\x28",                     /* not UTF-8 */
    };
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        const mc_unit *u = (const mc_unit *)1;
        int rc = mc_units_match_name(reg, none[i], &u);
        cr_assert_eq(rc, 0, "'%s' -> %d, expected no match", none[i], rc);
        cr_assert_null(u);
    }
}

Test(units, two_patterns_give_2, .init = load_fixture, .fini = free_fixture)
{
    /* Without its level word, "Cẩm Xuyên" is the district (to 2025-06-30)
     * or the new commune (from 2025-07-01): ambiguous, never guessed. */
    const char *amb[] = {"UBND Cẩm Xuyên", "Cẩm Xuyên", "Ủy ban nhân dân Cẩm Xuyên, Hà Tĩnh"};
    for (size_t i = 0; i < sizeof amb / sizeof amb[0]; i++) {
        const mc_unit *u = (const mc_unit *)1;
        cr_assert_eq(mc_units_match_name(reg, amb[i], &u), 2, "'%s'", amb[i]);
        cr_assert_null(u);
    }
}

Test(units, overlap_file_exact_before_patterns_and_nfd_patterns)
{
    mc_units *u = NULL;
    mc_error err = {0};
    cr_assert_eq(mc_units_load("data/units-overlap.csv", &u, &err), 0, "%s", err.msg);
    const mc_unit *hit = NULL;
    cr_assert_eq(mc_units_match_name(u, "UBND Lộc", &hit), 2);
    cr_assert_null(hit);
    cr_assert_eq(mc_units_match_name(u, "UBND xã Lộc", &hit), 2);
    /* both patterns match this one, but it is A's name */
    cr_assert_eq(mc_units_match_name(u, "UBND xã Lộc A", &hit), 1);
    cr_assert_str_eq(hit->code, "A");
    cr_assert_eq(mc_units_match_name(u, "ubnd xã lộc a", &hit), 1);
    cr_assert_str_eq(hit->code, "A");
    /* B's pattern was written in NFD in the file */
    cr_assert_eq(mc_units_match_name(u, "UBND Lộc B", &hit), 1);
    cr_assert_str_eq(hit->code, "B");
    mc_units_free(u);
}

Test(units, validity, .init = load_fixture, .fini = free_fixture)
{
    const mc_unit *district = mc_units_find(reg, "000.00.05.H30");
    const mc_unit *new_commune = mc_units_find(reg, "000.00.72.H56");
    const mc_unit *province = mc_units_find(reg, "000.00.00.H56");
    cr_assert_eq(district->valid_from, MC_UNIT_OPEN_FROM);
    cr_assert_eq(district->valid_to, day("2025-06-30"));
    cr_assert_eq(new_commune->valid_from, day("2025-07-01"));
    cr_assert_eq(new_commune->valid_to, MC_UNIT_OPEN_TO);
    cr_assert_eq(province->valid_from, MC_UNIT_OPEN_FROM);
    cr_assert_eq(province->valid_to, MC_UNIT_OPEN_TO);

    int64_t y2024s = day("2024-01-01"), y2024e = day("2024-12-31");
    int64_t h1s = day("2025-01-01"), h1e = day("2025-06-30");
    int64_t h2s = day("2025-07-01"), h2e = day("2025-12-31");
    cr_assert_eq(mc_unit_valid_during(district, y2024s, y2024e), 1);
    cr_assert_eq(mc_unit_valid_during(district, h1s, h1e), 1);
    cr_assert_eq(mc_unit_valid_during(district, h2s, h2e), 0);
    cr_assert_eq(mc_unit_valid_during(district, h1s, h2e), 1); /* overlaps */
    cr_assert_eq(mc_unit_valid_during(district, h1e, h1e), 1); /* last day */
    cr_assert_eq(mc_unit_valid_during(new_commune, h1s, h1e), 0);
    cr_assert_eq(mc_unit_valid_during(new_commune, h1e, h1e), 0);
    cr_assert_eq(mc_unit_valid_during(new_commune, h2s, h2s), 1); /* first day */
    cr_assert_eq(mc_unit_valid_during(new_commune, h2s, h2e), 1);
    cr_assert_eq(mc_unit_valid_during(province, day("1990-01-01"), day("1990-01-31")), 1);
    cr_assert_eq(mc_unit_valid_during(province, day("2099-01-01"), day("2099-12-31")), 1);
    cr_assert_eq(mc_unit_valid_during(NULL, h1s, h1e), 0);

    /* every district-level body ends with June 2025 */
    const char *districts[] = {"000.00.09.H10", "000.00.21.H56", "000.00.27.H56", "000.00.05.H30"};
    for (size_t i = 0; i < 4; i++)
        cr_assert_eq(mc_units_find(reg, districts[i])->valid_to, day("2025-06-30"), "%s",
                     districts[i]);
}

Test(units, allowed_oddities)
{
    /* BOM, CRLF, comments (also indented), blank lines, header in another
     * order and case, parent_code, an extra column, a multi-line field,
     * a trailing row of bare commas, white space inside a name */
    mc_units *u = NULL;
    mc_error err = {0};
    cr_assert_eq(mc_units_load("data/units-oddities.csv", &u, &err), 0, "%s", err.msg);
    cr_assert_eq(mc_units_count(u), 3);
    const mc_unit *c1 = mc_units_find(u, "C1"), *c2 = mc_units_find(u, "C2");
    cr_assert_str_eq(c1->name, "UBND xã Một, huyện Hai");
    cr_assert_str_eq(c1->parent, "P");
    cr_assert_eq(c1->valid_to, day("2025-06-30"));
    cr_assert_eq(c1->line, 6);
    cr_assert_str_eq(c2->name, "UBND xã Hai");
    cr_assert_eq(c2->valid_from, day("2025-07-01"));
    cr_assert_eq(c2->line, 7);
    cr_assert_eq(c2->depth, 1);
    const mc_unit *hit = NULL;
    cr_assert_eq(mc_units_match_name(u, "UBND X.Hai", &hit), 1);
    cr_assert_str_eq(hit->code, "C2");
    cr_assert_eq(mc_units_match_name(u, "Xã Hai, huyện Ba", &hit), 1);
    cr_assert_str_eq(hit->code, "C2");
    cr_assert_eq(mc_units_match_name(u, "xã Một", &hit), 1);
    cr_assert_str_eq(hit->code, "C1");
    mc_units_free(u);
}

/* A broken registry must fail with MC_EXIT_DATA naming the file, the line
 * and (where there is one) the column. */
static void expect_error(const char *file, const char *where, const char *what)
{
    char path[256];
    snprintf(path, sizeof path, "data/%s", file);
    mc_units *u = (mc_units *)1;
    mc_error err = {0};
    int rc = mc_units_load(path, &u, &err);
    cr_assert_eq(rc, MC_EXIT_DATA, "%s: rc %d (%s)", file, rc, err.msg);
    cr_assert_eq(err.status, MC_EXIT_DATA);
    cr_assert_null(u, "%s: no registry after a failure", file);
    char want[300];
    snprintf(want, sizeof want, "%s:%s", path, where);
    cr_assert(strncmp(err.msg, want, strlen(want)) == 0, "%s: message '%s' should start '%s'",
              file, err.msg, want);
    cr_assert_not_null(strstr(err.msg, what), "%s: message '%s' should say '%s'", file, err.msg,
                       what);
}

Test(units, bad_registries)
{
    expect_error("units-dup.csv", "5: column 'code':", "duplicate code 'A' (first on line 3)");
    expect_error("units-noparent.csv", "4: column 'parent':", "'Z'");
    expect_error("units-cycle.csv", "3: column 'parent':", "parent cycle");
    expect_error("units-selfparent.csv", "3: column 'parent':", "parent cycle B -> B");
    expect_error("units-baddate.csv", "3: column 'valid_from':", "'2025-02-30' is not a date");
    expect_error("units-reversed.csv", "2: column 'valid_to':", "before valid_from");
    expect_error("units-badpattern.csv", "2: column 'aliases':", "pattern does not compile at offset");
    expect_error("units-badpattern.csv", "2: column 'aliases':", "missing closing parenthesis");
    expect_error("units-fields.csv", "2: ", "5 fields, the header has 6");
    expect_error("units-nocode.csv", "1: column 'code':", "missing from the header");
    expect_error("units-badutf8.csv", "2: column 'name':", "UTF-8");
    expect_error("units-emptycode.csv", "2: column 'code':", "empty");
    expect_error("units-unclosed.csv", "2: ", "");
    expect_error("units-crlf-baddate.csv", "7: column 'valid_from':", "'2025-13-01'");
}

Test(units, cycle_names_its_members)
{
    mc_units *u = NULL;
    mc_error err = {0};
    cr_assert_eq(mc_units_load("data/units-cycle.csv", &u, &err), MC_EXIT_DATA);
    /* A -> C -> B -> A, blamed on A's line (the earliest) */
    cr_assert_not_null(strstr(err.msg, "A"), "%s", err.msg);
    cr_assert_not_null(strstr(err.msg, "B"), "%s", err.msg);
    cr_assert_not_null(strstr(err.msg, "C"), "%s", err.msg);
    cr_assert_null(strstr(err.msg, "R"), "the root is not on the cycle: %s", err.msg);
}

Test(units, missing_file_is_io_error)
{
    mc_units *u = (mc_units *)1;
    mc_error err = {0};
    cr_assert_eq(mc_units_load("data/units-no-such-file.csv", &u, &err), MC_EXIT_IO);
    cr_assert_null(u);
    cr_assert_not_null(strstr(err.msg, "units-no-such-file.csv"));
}

Test(units, empty_registry)
{
    mc_units *u = mc_units_empty();
    cr_assert_not_null(u);
    cr_assert_eq(mc_units_count(u), 0);
    cr_assert_null(mc_units_at(u, 0));
    cr_assert_null(mc_units_find(u, "000.00.06.H56"));
    const mc_unit *hit = (const mc_unit *)1;
    cr_assert_eq(mc_units_match_name(u, "UBND xã Cửa Tùng", &hit), 0);
    cr_assert_null(hit);
    const char *out[2];
    cr_assert_eq(mc_units_ancestors(u, "x", out, 2), 0);
    mc_units_free(u);
    mc_units_free(NULL);
}

/* ---- fixtures/targets.csv: every row well-formed and about a known unit ---- */

typedef struct tcheck {
    char f[8][512];
    size_t nf;
    long line, rec_line;
    int header_seen, rows;
    char problems[4096];
} tcheck;

static void t_field(void *s, size_t len, void *data)
{
    tcheck *t = data;
    if (t->nf < 8) {
        size_t n = len < 511 ? len : 511;
        memcpy(t->f[t->nf], s, n);
        t->f[t->nf][n] = '\0';
    }
    t->nf++;
}

static void t_problem(tcheck *t, const char *what, const char *value)
{
    size_t len = strlen(t->problems);
    snprintf(t->problems + len, sizeof t->problems - len, "line %ld: %s '%s'; ", t->rec_line, what,
             value);
}

static void t_record(int c, void *data)
{
    (void)c;
    tcheck *t = data;
    static const char *indicators[] = {
        "on_time_rate",         "on_time_rate_766", "late_with_apology_rate",
        "online_rate",          "online_full_process_rate", "online_payment_rate",
        "digitized_rate",       "e_result_rate",
    };
    static const char *ops[] = {">=", ">", "<=", "<", "="};
    if (!t->header_seen) {
        t->header_seen = 1;
        const char *want[] = {"unit", "indicator", "op", "value", "period", "source"};
        for (size_t i = 0; i < 6; i++)
            if (t->nf != 6 || strcmp(t->f[i], want[i]) != 0)
                t_problem(t, "header", t->f[i]);
        t->nf = 0;
        return;
    }
    t->rows++;
    if (t->nf != 6) {
        t_problem(t, "field count", "");
        t->nf = 0;
        return;
    }
    int ok = 0;
    for (size_t i = 0; i < sizeof indicators / sizeof *indicators; i++)
        ok |= strcmp(t->f[1], indicators[i]) == 0;
    if (!ok)
        t_problem(t, "unknown indicator", t->f[1]);
    ok = 0;
    for (size_t i = 0; i < 5; i++)
        ok |= strcmp(t->f[2], ops[i]) == 0;
    if (!ok)
        t_problem(t, "bad op", t->f[2]);
    char *end = NULL;
    double v = strtod(t->f[3], &end);
    if (!t->f[3][0] || *end || v < 0 || v > 100)
        t_problem(t, "bad value", t->f[3]);
    if (strcmp(t->f[0], "*") != 0 && !mc_units_find(reg, t->f[0]))
        t_problem(t, "unit not in units.csv", t->f[0]);
    if (!t->f[4][0])
        t_problem(t, "empty period", "");
    if (!t->f[5][0])
        t_problem(t, "empty source", "");
    t->nf = 0;
}

Test(units, targets_fixture_is_consistent, .init = load_fixture, .fini = free_fixture)
{
    FILE *f = fopen(TARGETS, "rb");
    cr_assert_not_null(f, "cannot open %s", TARGETS);
    struct csv_parser p;
    cr_assert_eq(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI), 0);
    static tcheck t;
    memset(&t, 0, sizeof t);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int in_record = 0;
    while ((n = getline(&line, &cap, f)) >= 0) {
        t.line++;
        if (!in_record && (n <= 1 || line[0] == '#' || line[0] == '\r'))
            continue;
        if (!in_record)
            t.rec_line = t.line;
        int before = t.rows + t.header_seen;
        cr_assert_eq(csv_parse(&p, line, (size_t)n, t_field, t_record, &t), (size_t)n,
                     "line %ld: %s", t.line, csv_strerror(csv_error(&p)));
        in_record = t.rows + t.header_seen == before;
    }
    cr_assert_eq(csv_fini(&p, t_field, t_record, &t), 0);
    csv_free(&p);
    free(line);
    fclose(f);
    cr_assert(t.header_seen, "no header");
    cr_assert_str_empty(t.problems, "%s", t.problems);
    cr_assert_geq(t.rows, 20, "only %d targets", t.rows);
}
