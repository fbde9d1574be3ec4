/*
 * units.h -- the units registry of SPEC 3: which processing units exist,
 * how they nest (commune under district under province), when each was
 * valid (the 2025 reorganization abolished districts and merged communes),
 * and the many spellings of their names in the exports.
 *
 * The registry is a CSV file with the header
 *     code,name,parent,aliases,valid_from,valid_to
 * (names in any letter case, any order; "parent_code" is accepted for
 * "parent"; other columns are ignored).  '#' comment lines, blank lines and
 * rows of empty fields are skipped; a UTF-8 BOM is allowed.
 *   code        the unit's electronic ID (QD 20/2020/QD-TTg), required
 *   name        its name as reports show it, required
 *   parent      the code of the unit above it, or empty for a top unit
 *   aliases     one PCRE2 pattern (alternation for several spellings) that
 *               must match the WHOLE name, case-insensitively, after NFC
 *               and white-space folding; empty for none
 *   valid_from, valid_to   YYYY-MM-DD, inclusive; empty means open
 *
 * A loaded registry is read-only, except that mc_units_match_name reuses
 * one PCRE2 match block: do not match from several threads at once.
 */
#ifndef MC_UNITS_H
#define MC_UNITS_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

/* valid_from / valid_to of a unit whose validity is open at that end. */
#define MC_UNIT_OPEN_FROM INT64_MIN
#define MC_UNIT_OPEN_TO INT64_MAX

typedef struct mc_unit {
    char *code;               /* NFC, white space folded */
    char *name;               /* NFC, white space folded */
    char *parent;             /* code of the parent, NULL for a top unit */
    int64_t valid_from;       /* day number, or MC_UNIT_OPEN_FROM */
    int64_t valid_to;         /* day number, or MC_UNIT_OPEN_TO */
    int depth;                /* 0 for a top unit, parent's depth + 1 below */
    /* Private to units.c (readable, never to be changed): */
    char *aliases;            /* the pattern as loaded (NFC), NULL if none */
    long line;                /* line of the registry file the unit is on */
    char *name_key;           /* name case-folded, for exact name matching */
    size_t parent_ix;         /* index of the parent, SIZE_MAX for none */
} mc_unit;

typedef struct mc_units mc_units;

/*
 * Load the registry at path into *out (NULL after a failure).  Returns 0;
 * MC_EXIT_IO when the file cannot be read; MC_EXIT_DATA with
 * "FILE:LINE: column 'NAME': ..." for a duplicate code, a parent that is
 * not in the file, a parent cycle, a bad date (or valid_to before
 * valid_from), a pattern that does not compile (with PCRE2's message and
 * offset), an empty code or name, invalid UTF-8, a row with the wrong
 * number of fields, or broken CSV quoting; MC_EXIT_SOFTWARE when memory
 * runs out.
 */
int mc_units_load(const char *path, mc_units **out, mc_error *err);

/* A registry with no units, for runs without --units; NULL only when
 * memory runs out. */
mc_units *mc_units_empty(void);

/* Release a registry (NULL is fine); its units' pointers die with it. */
void mc_units_free(mc_units *u);

/* Number of units. */
size_t mc_units_count(const mc_units *u);

/* The i-th unit in code order (byte order of the codes); i < count. */
const mc_unit *mc_units_at(const mc_units *u, size_t i);

/* The unit with exactly this code, or NULL. */
const mc_unit *mc_units_find(const mc_units *u, const char *code);

/*
 * Resolve a unit_name from an export to a registry unit.  The name is
 * normalized here too (NFC, white space folded), so NFD input is fine.
 * First the units' names are compared (case-insensitively); when none is
 * equal, the alias patterns are tried, each against the whole name.
 * Returns 1 with *unit set when exactly one unit matches; 0 when none does
 * (or name is empty or not UTF-8); 2 when several units match at the same
 * step -- ambiguous, never resolved by guesswork: the caller keeps the name
 * as its own unit and lists it.  *unit is NULL unless 1 is returned.
 */
int mc_units_match_name(const mc_units *u, const char *name, const mc_unit **unit);

/*
 * Every unit that name resolves to, by the same steps as
 * mc_units_match_name (names first, then aliases; the first step with a
 * hit decides), into out[0..cap), in registry order.  Returns how many
 * matched, which may exceed cap (only cap are written).  The caller can
 * then tell an ambiguous name apart by validity: "UBND Cẩm Xuyên" is the
 * district before 2025-07-01 and the commune after.
 */
size_t mc_units_match_all(const mc_units *u, const char *name, const mc_unit **out, size_t cap);

/* 1 when the unit was valid on at least one day of [start_day, end_day]
 * (inclusive day numbers), else 0. */
int mc_unit_valid_during(const mc_unit *unit, int64_t start_day, int64_t end_day);

/*
 * Ancestors of the unit with this code, nearest first (parent, grandparent,
 * ...), as codes owned by the registry, into out[0..cap).  Returns how many
 * were written (<= cap); 0 for a top unit or an unknown code.
 */
size_t mc_units_ancestors(const mc_units *u, const char *code, const char **out, size_t cap);

#endif
