/*
 * options.h -- what the command line (and the config file) asked for.
 *
 * main.c fills an mc_options from argv; the config file (cli/config.h) fills
 * whatever the command line left unset; the commands read it.  A NULL string
 * or a negative number means "not given".
 */
#ifndef MC_OPTIONS_H
#define MC_OPTIONS_H

#include "etl/reader.h"

typedef struct mc_options {
    const char *command;      /* "ingest", "report", "run", "rerun", "check" */
    const char *argv0;        /* for finding the bundled data files */
    /* shared by all commands (SPEC 7) */
    const char *db;
    const char *config;
    const char *units;
    const char *targets;
    int quiet, verbose;
    /* report, rerun */
    const char *period;
    const char *as_of;
    const char *convention;
    const char *table;
    const char *format;
    const char *out_file;     /* -o FILE */
    const char *by;           /* --by unit|field|procedure (SPEC 11) */
    const char *unit;         /* --unit CODE: one unit and its descendants */
    const char *only;         /* --only WHICH, for --table cases (SPEC 12) */
    /* run, rerun (config keys of SPEC 8) */
    const char *inbox;
    const char *archive;
    const char *quarantine;
    const char *output;       /* the folder of report files */
    const char *formats;
    double quarantine_threshold;   /* percent; < 0: not given */
    double max_export_age_days;    /* < 0: not given */
    int from_archive;
    const char *encoding;     /* --encoding cp1258|tcvn3 (SPEC 10.3); NULL: UTF-8 only */
    /* ingest */
    char **files;
    int n_files;
} mc_options;

/* Find a bundled data file (units.csv, targets.csv): beside the binary in
 * fixtures/, then in ../share/motcua/ of the binary's folder, then in the
 * data folder of the build's PREFIX.  Returns 1 and the path in
 * buf, or 0 when there is none. */
int mc_options_bundled(const char *argv0, const char *name, char *buf, unsigned cap);

/* A number as the command line and the config file take it: decimal
 * digits with at most one '.', nothing else (no sign, exponent, hex, NaN,
 * infinity or trailing text), within [lo, hi].  0 and *out, or -1. */
int mc_options_number(const char *s, double lo, double hi, double *out);

/* --encoding and the config key `encoding` (SPEC 10.3): "cp1258" or
 * "tcvn3", in any letter case, into the reader's value; NULL (not given)
 * is MC_READER_UTF8.  0, or -1 for anything else. */
int mc_options_encoding(const char *s, mc_reader_encoding *out);

/* Fill what is still unset with SPEC 8's defaults. */
void mc_options_defaults(mc_options *o);

#endif
