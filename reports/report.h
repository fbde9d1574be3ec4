/*
 * report.h -- the computed report, as every writer receives it.
 *
 * reports/figures.c fills an mc_report from the store; the writers
 * (reports/write_*.c) turn it into text, CSV, a workbook or a page.  Writers
 * only read it: every figure and rate is already decided here, so that all
 * formats show the same numbers.
 */
#ifndef MC_REPORT_H
#define MC_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "base/error.h"

/* Counts of SPEC 5, in the order of the CSV contract, then the counts the
 * rates need.  Summed rows add these; rates are computed from the sums. */
typedef enum {
    MC_C_RECEIVED_TOTAL,
    MC_C_RECEIVED_NEW,
    MC_C_RECEIVED_ONLINE,
    MC_C_RECEIVED_OFFLINE,
    MC_C_CARRIED_OVER,
    MC_C_RESOLVED_TOTAL,
    MC_C_RESOLVED_EARLY,
    MC_C_RESOLVED_ON_TIME,
    MC_C_RESOLVED_LATE,
    MC_C_IN_PROGRESS_TOTAL,
    MC_C_IN_PROGRESS_WITHIN,
    MC_C_IN_PROGRESS_OVERDUE,
    MC_C_LATE_TOTAL,
    MC_C_LATE_WITH_APOLOGY,
    MC_C_CONTRACT_COUNT,            /* counts above are CSV columns */
    MC_C_ONLINE_FULL = MC_C_CONTRACT_COUNT, /* received_new, channel 2, level 4 */
    MC_C_NEW_PAID_ONLINE,           /* received_new with paid_online */
    MC_C_NEW_HAS_FEE,               /* received_new with has_fee */
    MC_C_NEW_DIGITIZED,             /* received_new with digitized */
    MC_C_NEW_DIGITIZED_KNOWN,       /* received_new whose export had the column */
    MC_C_RESOLVED_E_RESULT,         /* resolved with e_result */
    MC_C_RESOLVED_E_RESULT_KNOWN,   /* resolved whose export had the column */
    MC_C_COUNT
} mc_count;

/* Rates of SPEC 5, in the order of the CSV contract. */
typedef enum {
    MC_R_ON_TIME,
    MC_R_ON_TIME_766,
    MC_R_LATE_WITH_APOLOGY,
    MC_R_ONLINE,
    MC_R_ONLINE_FULL_PROCESS,
    MC_R_ONLINE_PAYMENT,
    MC_R_DIGITIZED,
    MC_R_E_RESULT,
    MC_R_COUNT
} mc_rate;

/* Machine names ("received_total", "on_time_rate"): the CSV contract. */
const char *mc_count_name(mc_count c);
const char *mc_rate_name(mc_rate r);
/* Vietnamese headings for files meant for people. */
const char *mc_count_label_vi(mc_count c);
const char *mc_rate_label_vi(mc_rate r);

/* A rate of a row's counts, in percent.  Returns 1 and sets *pct, or 0 when
 * the rate is null (its denominator is 0, or its column was never seen). */
int mc_rate_value(const int64_t counts[MC_C_COUNT], mc_rate r, double *pct);

/* Row kinds. */
enum {
    MC_ROW_UNIT = 0,      /* a unit's own cases */
    MC_ROW_PARENT = 1,    /* a registry parent: its own cases + descendants */
    MC_ROW_ALL = 2        /* the last row, everything */
};

typedef struct mc_unit_row {
    char *unit_code;      /* "ALL" for the total row */
    char *unit_name;      /* may be "" */
    int kind;             /* MC_ROW_* */
    int depth;            /* 0 for top-level units, for indenting */
    int in_registry;      /* 1 when the registry knows the unit */
    int64_t c[MC_C_COUNT];
} mc_unit_row;

/* A row of a breakdown (SPEC 11): one field, or one procedure, or ALL. */
typedef struct mc_group_row {
    char *code;           /* procedures: the code of a group keyed by code, ""
                           * for one keyed by name, "ALL"; fields: NULL */
    char *name;           /* the field's name, or the procedure group's most
                           * frequent name; "" for the cases without; "ALL"
                           * for the fields' total row, "" for the
                           * procedures' */
    int kind;             /* MC_ROW_UNIT for a group, MC_ROW_ALL */
    int64_t c[MC_C_COUNT];
} mc_group_row;

/* Which breakdowns a report computes (mc_report.groups). */
enum { MC_GROUPS_FIELD = 1, MC_GROUPS_PROCEDURE = 2 };

typedef struct mc_target_row {
    char *unit_code;
    char *indicator;      /* a rate name, e.g. "on_time_rate" */
    int has_actual;
    double actual;        /* percent, when has_actual */
    char op[3];           /* ">=", ">", "<=", "<", "=" */
    double target;
    const char *status;   /* "met", "missed", "no data" */
    int has_gap;
    double gap;           /* actual - target, percentage points */
    char *source;
} mc_target_row;

typedef struct mc_quality_row {
    char *name;           /* e.g. "quarantined:bad_date", "conflicts" */
    char *value;
    char *status;         /* "ok", "warning", "error" */
    char *detail;
} mc_quality_row;

struct mc_cases; /* reports/cases.h */

typedef struct mc_report {
    char period[64];      /* canonical, e.g. "2025-Q3" */
    char period_start[11], period_end[11], as_of[11]; /* YYYY-MM-DD */
    const char *convention;       /* "calendar" or "cutoff" */
    char reporting_unit[256];     /* for the form heading; may be "" */
    char scope_unit[256];         /* --unit's code: the report is limited to it and its
                                     descendants; "" for every unit */
    mc_unit_row *rows;   size_t n_rows;
    unsigned groups;      /* MC_GROUPS_*: the breakdowns below that were computed */
    mc_group_row *fields; size_t n_fields;         /* by field, ALL last */
    mc_group_row *procedures; size_t n_procedures; /* by procedure, ALL last */
    mc_target_row *targets; size_t n_targets;
    mc_quality_row *quality; size_t n_quality;
    /* SPEC 13: the reports of the 12 months that end with the month holding
     * the period's last day, oldest first, each counted as its own period
     * (rows and targets; no quality table).  NULL and 0 when the trend was
     * not asked for (figures.h: mc_figures_compute_trend). */
    struct mc_report *trend; size_t n_trend;
    /* The cases behind the figures (SPEC 12), when the workbook and the
     * page are to list the late ones; not owned, NULL for none. */
    struct mc_cases *cases;
} mc_report;

/* The months of a trend. */
#define MC_TREND_MONTHS 12

/* Release everything an mc_report owns (not the struct itself). */
void mc_report_free(mc_report *rep);

/* A deep copy of src into *dst, its trend and breakdowns included.  0,
 * or -1 when out of memory (then *dst owns nothing). */
int mc_report_copy(mc_report *dst, const mc_report *src);

/* Which table a writer writes: FIELDS and PROCEDURES are the units
 * table's breakdowns (report --by field|procedure). */
typedef enum {
    MC_TABLE_UNITS, MC_TABLE_TARGETS, MC_TABLE_QUALITY, MC_TABLE_TREND, MC_TABLE_FIELDS,
    MC_TABLE_PROCEDURES
} mc_table;

/*
 * Writers.  Each returns 0, or an MC_EXIT_* status with *err filled.
 *  csv  : the machine contract of SPEC 7 (no BOM, no formula guard) when
 *         for_people is 0; with a BOM, Vietnamese headings and formula-guarded
 *         text cells when 1.  MC_TABLE_TREND is SPEC 13's contract and needs
 *         rep->trend.
 *  text : an aligned terminal table, target beside each rate, misses marked.
 *  xlsx : the workbook, written to path; with the trend's sheets and line
 *         charts when rep->trend is there; with rep->cases, a sheet lists the
 *         late cases ("Hồ sơ trễ hạn"), the most days late first (the first
 *         5,000: a sheet is held in memory); the form by field and the table
 *         by procedure when computed.
 *  html : one self-contained page, to out: the whole report for the units,
 *         targets, quality and trend tables, with the trend's line charts
 *         when rep->trend is there and, with rep->cases, a section listing
 *         the late cases without an apology letter, worst first; the
 *         breakdown alone for FIELDS and PROCEDURES.
 */
int mc_write_csv(FILE *out, const mc_report *rep, mc_table t, int for_people, mc_error *err);
int mc_write_text(FILE *out, const mc_report *rep, mc_table t, mc_error *err);
int mc_write_xlsx(const char *path, const mc_report *rep, mc_error *err);
int mc_write_html(FILE *out, const mc_report *rep, mc_table t, mc_error *err);

/*
 * The paragraph for the monthly report (SPEC 14): seven lines, each ending
 * in '\n', in Vietnamese, for rep's row of unit_code (NULL: the ALL row,
 * "tất cả các đơn vị"), with the plan target beside each rate.
 * mc_summary_build gives it as a malloc'd string; mc_write_summary writes
 * it to out.  MC_EXIT_USAGE when rep has no row for unit_code.
 */
int mc_summary_build(const mc_report *rep, const char *unit_code, char **text, mc_error *err);
int mc_write_summary(FILE *out, const mc_report *rep, const char *unit_code, mc_error *err);

#endif
