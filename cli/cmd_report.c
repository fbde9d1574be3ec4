/*
 * cmd_report.c -- `motcua report`: print or write one report table.
 */
#include <stdio.h>
#include <string.h>

#include "base/fs.h"
#include "cli/commands.h"
#include "base/log.h"
#include "cli/runcommon.h"
#include "reports/build.h"
#include "reports/ledger.h"

typedef struct ledger_job {
    mc_store *s;
    mc_ledger_table table;
    int as_csv;
} ledger_job;

static int write_ledger(FILE *out, void *ctx, mc_error *err)
{
    const ledger_job *j = ctx;
    return mc_ledger_write(out, j->s, j->table, j->as_csv, err);
}

/* The list of cases of SPEC 12. */
static int write_cases(mc_store *s, const mc_report_inputs *in, const mc_options *o, int only,
                       mc_format format, mc_error *err)
{
    mc_cases *c;
    int st = mc_cases_build(s, in, o->period, o->as_of, &c, err);
    if (st)
        return st;
    st = mc_cases_write(c, only, format, 0, stdout, o->out_file, err);
    mc_cases_close(c);
    return st;
}

/* A table of the report; the workbook and the page are the ones `run`
 * writes. */
static int write_report(mc_store *s, const mc_report_inputs *in, const mc_options *o,
                        mc_table t, mc_format format, mc_error *err)
{
    mc_report rep;
    /* the workbook and the page are the whole report, the trend and the
     * late cases included, as `run` writes them */
    int whole = format == MC_FORMAT_XLSX || format == MC_FORMAT_HTML;
    int st = t == MC_TABLE_TREND || whole
                 ? mc_report_build_trend(s, in, o->period, o->as_of, &rep, err)
                 : mc_report_build(s, in, o->period, o->as_of, &rep, err);
    if (st)
        return st;
    mc_cases *c = NULL;
    if (whole)
        st = mc_cases_of_report(s, in, &rep, &c, err);
    rep.cases = c;
    if (!st)
        st = mc_report_write(&rep, t, format, 0, stdout, o->out_file, err);
    mc_cases_close(c);
    mc_report_free(&rep);
    return st;
}

int mc_cmd_report(mc_options *o)
{
    const char *table = o->table ? o->table : "units";
    mc_format format = MC_FORMAT_TEXT;
    if (o->format && mc_format_parse(o->format, &format) != 0) {
        mc_log_error("--format must be text, csv, xlsx, html or summary, not '%s'", o->format);
        return MC_EXIT_USAGE;
    }
    if (!o->format && o->out_file) {
        /* -o report.xlsx says what it wants */
        const char *dot = strrchr(o->out_file, '.');
        if (dot)
            mc_format_parse(dot + 1, &format);
    }
    int ledger = strcmp(table, "files") == 0 ? MC_LEDGER_FILES
               : strcmp(table, "rejects") == 0 ? MC_LEDGER_REJECTS : -1;
    int cases = strcmp(table, "cases") == 0, only = MC_ONLY_ALL;
    if (o->only && !cases) {
        mc_log_error("--only goes with --table cases (the %s table lists no cases)", table);
        return MC_EXIT_USAGE;
    }
    if (cases && o->only && mc_cases_only_parse(o->only, &only) != 0) {
        mc_log_error("--only must be one of %s; not '%s'", mc_cases_only_help, o->only);
        return MC_EXIT_USAGE;
    }
    /* SPEC 11: --by turns the units table into its breakdown */
    const char *by = o->by ? o->by : "unit";
    mc_table by_table = strcmp(by, "field") == 0       ? MC_TABLE_FIELDS
                        : strcmp(by, "procedure") == 0 ? MC_TABLE_PROCEDURES
                                                       : MC_TABLE_UNITS;
    if (by_table == MC_TABLE_UNITS && strcmp(by, "unit") != 0) {
        mc_log_error("--by must be unit, field or procedure, not '%s'", by);
        return MC_EXIT_USAGE;
    }
    if (by_table != MC_TABLE_UNITS && strcmp(table, "units") != 0) {
        mc_log_error("--by %s gives the units table by %s; the %s table has no such form", by,
                     by, table);
        return MC_EXIT_USAGE;
    }
    mc_table t = MC_TABLE_UNITS;
    if (ledger < 0) {
        if (strcmp(table, "units") == 0)
            t = by_table;
        else if (cases)
            t = MC_TABLE_UNITS;
        else if (strcmp(table, "targets") == 0)
            t = MC_TABLE_TARGETS;
        else if (strcmp(table, "quality") == 0)
            t = MC_TABLE_QUALITY;
        else if (strcmp(table, "trend") == 0)
            t = MC_TABLE_TREND;
        else {
            mc_log_error("--table must be units, targets, quality, cases, trend, files or "
                         "rejects, not '%s'", table);
            return MC_EXIT_USAGE;
        }
        if (!o->period) {
            mc_log_error("--period is required for the %s table (e.g. --period 2025-Q3)", table);
            return MC_EXIT_USAGE;
        }
        if (format == MC_FORMAT_SUMMARY && (t != MC_TABLE_UNITS || cases)) {
            mc_log_error("--format summary is the paragraph of the units table, not of %s",
                         table);
            return MC_EXIT_USAGE;
        }
    } else if (format != MC_FORMAT_TEXT && format != MC_FORMAT_CSV) {
        mc_log_error("the %s table is written as text or csv", table);
        return MC_EXIT_USAGE;
    } else if (o->unit) {
        mc_log_error("--unit limits the tables of a period; the %s table is the whole store's",
                     table);
        return MC_EXIT_USAGE;
    }

    mc_error err;
    mc_error_clear(&err);
    mc_store *s;
    int st = mc_store_open(o->db, MC_STORE_READONLY, &s, &err);
    if (st) {
        mc_log_error("%s", err.msg);
        return st;
    }
    if (ledger >= 0) {
        ledger_job j = {s, (mc_ledger_table)ledger, format == MC_FORMAT_CSV};
        if (o->out_file)
            st = mc_fs_write_stream_atomic(o->out_file, write_ledger, &j, &err);
        else
            st = mc_ledger_write(stdout, s, j.table, j.as_csv, &err);
    } else {
        mc_report_inputs in;
        st = mc_cli_report_inputs(o, &in, &err);
        if (!st) {
            in.unit = o->unit;
            /* only what the table needs: the workbook holds both breakdowns */
            in.groups = format == MC_FORMAT_XLSX       ? MC_GROUPS_FIELD | MC_GROUPS_PROCEDURE
                        : t == MC_TABLE_FIELDS     ? MC_GROUPS_FIELD
                        : t == MC_TABLE_PROCEDURES ? MC_GROUPS_PROCEDURE
                                                   : 0;
            st = cases ? write_cases(s, &in, o, only, format, &err)
                       : write_report(s, &in, o, t, format, &err);
            mc_report_inputs_free(&in);
        }
    }
    if (!st && fflush(stdout) != 0)
        st = mc_error_set(&err, MC_EXIT_IO, "cannot write to standard output");
    if (st)
        mc_log_error("%s", err.msg);
    mc_store_close(s);
    return st;
}
