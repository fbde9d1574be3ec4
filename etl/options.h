/*
 * options.h -- what the command line (and the config file) asked for.
 *
 * main.c fills an mc_options from argv; the config file (etl/config.h) fills
 * whatever the command line left unset; the commands read it.  A NULL string
 * or a negative number means "not given".
 */
#ifndef MC_OPTIONS_H
#define MC_OPTIONS_H

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
    const char *by;           /* report: unit, field or procedure (SPEC 11) */
    const char *out_file;     /* -o FILE */
    /* run, rerun (config keys of SPEC 8) */
    const char *inbox;
    const char *archive;
    const char *quarantine;
    const char *output;       /* the folder of report files */
    const char *formats;
    double quarantine_threshold;   /* percent; < 0: not given */
    double max_export_age_days;    /* < 0: not given */
    int from_archive;
    /* ingest */
    char **files;
    int n_files;
} mc_options;

/* Find a bundled data file (units.csv, targets.csv): beside the binary in
 * fixtures/, then in ../share/motcua/ of the binary's folder, then in the
 * data folder of the build's PREFIX.  Returns 1 and the path in
 * buf, or 0 when there is none. */
int mc_options_bundled(const char *argv0, const char *name, char *buf, unsigned cap);

/* Fill what is still unset with SPEC 8's defaults. */
void mc_options_defaults(mc_options *o);

#endif
