/*
 * main.c -- motcua's command line: find the command, parse the options it
 * takes, read the config file, and hand over.
 *
 * Each command owns its options (git's way): the table below says which
 * ones it takes, and any other is refused with exit 64, so that a typo or
 * an option meant for another command never passes silently.  The
 * commands themselves live in cli/cmd_*.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/error.h"
#include "base/log.h"
#include "cli/commands.h"
#include "cli/config.h"
#include "cli/options.h"

#define MOTCUA_VERSION "0.2.0"

/* Every option, as an index into the bit mask of what a command takes. */
typedef enum {
    OPT_DB, OPT_CONFIG, OPT_UNITS, OPT_TARGETS, OPT_QUIET, OPT_VERBOSE, OPT_HELP, OPT_VERSION,
    OPT_PERIOD, OPT_AS_OF, OPT_CONVENTION, OPT_TABLE, OPT_FORMAT, OPT_OUT, OPT_BY, OPT_UNIT,
    OPT_ONLY, OPT_INBOX, OPT_ARCHIVE, OPT_QUARANTINE, OPT_OUTPUT, OPT_FORMATS, OPT_THRESHOLD,
    OPT_MAX_AGE, OPT_FROM_ARCHIVE, OPT_ENCODING
} opt_id;

#define BIT(id) (1u << (id))
/* getopt_long's value for an option: above every short option's letter. */
#define VAL(id) (256 + (id))

static const struct option long_opts[] = {
    {"db", required_argument, NULL, VAL(OPT_DB)},
    {"config", required_argument, NULL, VAL(OPT_CONFIG)},
    {"units", required_argument, NULL, VAL(OPT_UNITS)},
    {"targets", required_argument, NULL, VAL(OPT_TARGETS)},
    {"quiet", no_argument, NULL, VAL(OPT_QUIET)},
    {"verbose", no_argument, NULL, VAL(OPT_VERBOSE)},
    {"help", no_argument, NULL, VAL(OPT_HELP)},
    {"version", no_argument, NULL, VAL(OPT_VERSION)},
    {"period", required_argument, NULL, VAL(OPT_PERIOD)},
    {"as-of", required_argument, NULL, VAL(OPT_AS_OF)},
    {"as_of", required_argument, NULL, VAL(OPT_AS_OF)},
    {"convention", required_argument, NULL, VAL(OPT_CONVENTION)},
    {"table", required_argument, NULL, VAL(OPT_TABLE)},
    {"format", required_argument, NULL, VAL(OPT_FORMAT)},
    {"by", required_argument, NULL, VAL(OPT_BY)},
    /* "unit" is an option of its own: getopt_long prefers an exact name, so
     * --unit is never taken for --units (the registry file) */
    {"unit", required_argument, NULL, VAL(OPT_UNIT)},
    {"only", required_argument, NULL, VAL(OPT_ONLY)},
    {"inbox", required_argument, NULL, VAL(OPT_INBOX)},
    {"archive", required_argument, NULL, VAL(OPT_ARCHIVE)},
    {"quarantine", required_argument, NULL, VAL(OPT_QUARANTINE)},
    {"output", required_argument, NULL, VAL(OPT_OUTPUT)},
    {"formats", required_argument, NULL, VAL(OPT_FORMATS)},
    {"quarantine-threshold", required_argument, NULL, VAL(OPT_THRESHOLD)},
    {"quarantine_threshold", required_argument, NULL, VAL(OPT_THRESHOLD)},
    {"max-export-age-days", required_argument, NULL, VAL(OPT_MAX_AGE)},
    {"max_export_age_days", required_argument, NULL, VAL(OPT_MAX_AGE)},
    {"from-archive", no_argument, NULL, VAL(OPT_FROM_ARCHIVE)},
    {"encoding", required_argument, NULL, VAL(OPT_ENCODING)},
    {NULL, 0, NULL, 0},
};

/* SPEC 7: the options every command takes. */
#define SHARED                                                                                   \
    (BIT(OPT_DB) | BIT(OPT_CONFIG) | BIT(OPT_UNITS) | BIT(OPT_TARGETS) | BIT(OPT_QUIET) |        \
     BIT(OPT_VERBOSE) | BIT(OPT_HELP) | BIT(OPT_VERSION))
#define RUN_OPTS                                                                                 \
    (BIT(OPT_INBOX) | BIT(OPT_ARCHIVE) | BIT(OPT_QUARANTINE) | BIT(OPT_OUTPUT) |                 \
     BIT(OPT_FORMATS) | BIT(OPT_CONVENTION) | BIT(OPT_THRESHOLD) | BIT(OPT_MAX_AGE) |            \
     BIT(OPT_ENCODING))

static const char shared_help[] =
    "Options of every command:\n"
    "  --db PATH            the SQLite store (default motcua.db, or the config file's)\n"
    "  --config FILE        the config file (default ./motcua.conf, then /etc/motcua/motcua.conf)\n"
    "  --units FILE         units registry (default: the bundled fixtures/units.csv;\n"
    "                       --units '' for none)\n"
    "  --targets FILE       plan targets (default: the bundled fixtures/targets.csv)\n"
    "  -q, --quiet          only problems\n"
    "  -v, --verbose        more detail\n"
    "  -h, --help           this help\n";

typedef struct command {
    const char *name;
    int (*run)(mc_options *o);
    unsigned takes;   /* BIT(OPT_*) of the options it takes, SHARED included */
    int takes_files;  /* 1 when it takes file arguments */
    const char *usage;
} command;

static const command commands[] = {
    {"ingest", mc_cmd_ingest, SHARED | BIT(OPT_THRESHOLD) | BIT(OPT_ENCODING), 1,
     "usage: motcua ingest [--db PATH] [--encoding cp1258|tcvn3] FILE...\n"
     "Load case-log exports (CSV plain or gzip, Excel workbooks, UTF-16 text) into the\n"
     "store. One summary line per file: rows read / accepted / duplicate / quarantined,\n"
     "conflicts, unknown columns. A file already loaded (same SHA-256) is skipped.\n"
     "  --quarantine-threshold PCT  exit 65 when a file has more quarantined rows (default 5)\n"
     "  --encoding ENC              convert a file that is not UTF-8 from a legacy\n"
     "                              Vietnamese encoding, cp1258 or tcvn3 (UTF-8 and\n"
     "                              UTF-16 files are read as they are)\n"},
    {"report", mc_cmd_report,
     SHARED | BIT(OPT_PERIOD) | BIT(OPT_AS_OF) | BIT(OPT_CONVENTION) | BIT(OPT_TABLE) |
         BIT(OPT_FORMAT) | BIT(OPT_OUT) | BIT(OPT_BY) | BIT(OPT_UNIT) | BIT(OPT_ONLY),
     0,
     "usage: motcua report --period P [--as-of YYYY-MM-DD] [--convention calendar|cutoff]\n"
     "                     [--table units|targets|quality|cases|trend|files|rejects]\n"
     "                     [--by unit|field|procedure] [--unit CODE] [--only WHICH]\n"
     "                     [--format text|csv|xlsx|html|summary] [-o FILE]\n"
     "Print or write one report table. P is YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY or\n"
     "YYYY-MM-DD..YYYY-MM-DD. files and rejects need no period.\n"
     "--by gives the units table one row per unit (default), per field or per\n"
     "procedure, with the same counts and rates and the same ALL row.\n"
     "--format csv to standard output is the machine contract of SPEC section 7.\n"
     "  --unit CODE   only the cases of this unit and of the units under it\n"
     "  --only WHICH  with --table cases: all (default), a count column of the units\n"
     "                table (late_total, resolved_late, ...), late_without_apology;\n"
     "                late = late_total, overdue = in_progress_overdue\n"},
    {"run", mc_cmd_run, SHARED | RUN_OPTS, 0,
     "usage: motcua run [--config FILE] [--inbox DIR] [--archive DIR] [--quarantine DIR]\n"
     "                  [--output DIR] [--formats xlsx,html,csv] [--convention C]\n"
     "                  [--quarantine-threshold PCT] [--max-export-age-days N]\n"
     "                  [--encoding cp1258|tcvn3]\n"
     "The nightly job: take the lock, load every new export of the inbox, move each to\n"
     "archive/YYYY/MM/ (or to quarantine/ with NAME.reason.txt), refresh the current and\n"
     "previous period, write the report files to OUTPUT/PERIOD/, print one summary line.\n"},
    {"rerun", mc_cmd_rerun,
     SHARED | RUN_OPTS | BIT(OPT_PERIOD) | BIT(OPT_AS_OF) | BIT(OPT_FROM_ARCHIVE), 0,
     "usage: motcua rerun --period P [--as-of YYYY-MM-DD] [--from-archive] [run's options]\n"
     "Recompute and rewrite the report files of P from the store; with --from-archive,\n"
     "rebuild the store from the archived exports first.\n"},
    {"check", mc_cmd_check, SHARED, 0,
     "usage: motcua check [--db PATH]\n"
     "Check row accounting of every file, the identities of every stored report and\n"
     "SQLite's integrity. Exit 0, or list what is wrong and exit 65.\n"},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void usage_all(FILE *out)
{
    fprintf(out,
            "usage: motcua COMMAND [OPTIONS]\n"
            "motcua loads the case-log exports of the one-stop-shop desks and reports the\n"
            "on-time, apology and online figures against the reform plans' targets.\n\n"
            "Commands:\n"
            "  ingest FILE...   load exports into the store\n"
            "  report           print or write a report table\n"
            "  run              the nightly job (inbox -> store -> report files)\n"
            "  rerun            recompute a past period\n"
            "  check            integrity of the store\n\n"
            "'motcua COMMAND --help' tells more; 'motcua --version' the version.\n"
            "Exit status: 0 good, 64 usage, 65 data refused or quarantined, 74 I/O error,\n"
            "75 another run holds the lock.\n");
}

static const command *find_command(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static int help_for(const char *name)
{
    const command *c = find_command(name);
    if (!c) {
        usage_all(stdout);
        return 0;
    }
    fputs(c->usage, stdout);
    fputs("\n", stdout);
    fputs(shared_help, stdout);
    return 0;
}

static opt_id short_option(int c)
{
    switch (c) {
    case 'q': return OPT_QUIET;
    case 'v': return OPT_VERBOSE;
    case 'h': return OPT_HELP;
    default: return OPT_OUT; /* 'o' */
    }
}

/* The option as typed, for messages: a long one is the word getopt just
 * passed (without its "=value"), a short one is optopt. */
static void option_as_typed(char **argv, int c, char *shown, size_t cap)
{
    const char *typed = argv[optind - 1];
    if (strncmp(typed, "--", 2) == 0)
        snprintf(shown, cap, "%.*s", (int)strcspn(typed, "="), typed);
    else if (c < 256 && c != '?' && c != ':')
        snprintf(shown, cap, "-%c", c);
    else if (optopt > ' ' && optopt < 127)
        snprintf(shown, cap, "-%c", optopt);
    else
        snprintf(shown, cap, "%s", typed);
}

/* getopt says '?' for three things; tell them apart for the message. */
static const char *why_refused(int c, const char *shown)
{
    if (c == ':')
        return "needs a value";
    if (strncmp(shown, "--", 2) != 0)
        return "is unknown";
    size_t n = strlen(shown + 2), prefixed = 0;
    for (const struct option *lo = long_opts; lo->name; lo++) {
        if (strcmp(lo->name, shown + 2) == 0)
            return "takes no value";
        prefixed += strncmp(lo->name, shown + 2, n) == 0;
    }
    return prefixed > 1 ? "is ambiguous: write it out" : "is unknown";
}

static int set_number(const char *opt, const char *s, double lo, double hi, double *out)
{
    if (mc_options_number(s, lo, hi, out) == 0)
        return 0;
    mc_log_error("%s takes a number from %g to %g (digits, at most one '.'), not '%s'", opt, lo,
                 hi, s);
    return MC_EXIT_USAGE;
}

/* Store one parsed option.  0, MC_EXIT_USAGE, or -1 when the command
 * should stop with 0 (--help, --version). */
static int set_option(mc_options *o, opt_id id, const char *arg)
{
    switch (id) {
    case OPT_DB: o->db = arg; break;
    case OPT_CONFIG: o->config = arg; break;
    case OPT_UNITS: o->units = arg; break;
    case OPT_TARGETS: o->targets = arg; break;
    case OPT_QUIET: o->quiet = 1; break;
    case OPT_VERBOSE: o->verbose = 1; break;
    case OPT_HELP: help_for(o->command); return -1;
    case OPT_VERSION: printf("motcua %s\n", MOTCUA_VERSION); return -1;
    case OPT_PERIOD: o->period = arg; break;
    case OPT_AS_OF: o->as_of = arg; break;
    case OPT_CONVENTION: o->convention = arg; break;
    case OPT_TABLE: o->table = arg; break;
    case OPT_FORMAT: o->format = arg; break;
    case OPT_OUT: o->out_file = arg; break;
    case OPT_BY: o->by = arg; break;
    case OPT_UNIT: o->unit = arg; break;
    case OPT_ONLY: o->only = arg; break;
    case OPT_INBOX: o->inbox = arg; break;
    case OPT_ARCHIVE: o->archive = arg; break;
    case OPT_QUARANTINE: o->quarantine = arg; break;
    case OPT_OUTPUT: o->output = arg; break;
    case OPT_FORMATS: o->formats = arg; break;
    case OPT_THRESHOLD:
        return set_number("--quarantine-threshold", arg, 0, 100, &o->quarantine_threshold);
    case OPT_MAX_AGE:
        return set_number("--max-export-age-days", arg, 0, 36500, &o->max_export_age_days);
    case OPT_FROM_ARCHIVE: o->from_archive = 1; break;
    case OPT_ENCODING: {
        mc_reader_encoding enc;
        if (mc_options_encoding(arg, &enc) != 0) {
            mc_log_error("--encoding takes cp1258 or tcvn3, not '%s'", arg);
            return MC_EXIT_USAGE;
        }
        o->encoding = arg;
        break;
    }
    }
    return 0;
}

/* Parse argv[2..] into o for command cmd.  0, MC_EXIT_USAGE, or -1 (stop
 * with 0: help or version shown). */
static int parse_options(const command *cmd, int argc, char **argv, mc_options *o)
{
    int c;
    optind = 2;
    opterr = 0; /* getopt would prefix its messages with the binary's path */
    int li;
    while ((li = -1, c = getopt_long(argc, argv, ":qvho:", long_opts, &li)) != -1) {
        char shown[64];
        if (c == '?' || c == ':') {
            option_as_typed(argv, c, shown, sizeof shown);
            mc_log_error("option '%s' %s (see 'motcua %s --help')", shown, why_refused(c, shown),
                         cmd->name);
            return MC_EXIT_USAGE;
        }
        opt_id id = c >= 256 ? (opt_id)(c - 256) : short_option(c);
        if (!(cmd->takes & BIT(id))) {
            if (li >= 0)
                snprintf(shown, sizeof shown, "--%s", long_opts[li].name);
            else
                snprintf(shown, sizeof shown, "-%c", c);
            mc_log_error("option '%s' is not an option of '%s' (see 'motcua %s --help')", shown,
                         cmd->name, cmd->name);
            return MC_EXIT_USAGE;
        }
        int st = set_option(o, id, optarg);
        if (st)
            return st;
    }
    o->files = argv + optind;
    o->n_files = argc - optind;
    if (o->n_files && !cmd->takes_files) {
        mc_log_error("unexpected argument '%s' (see 'motcua %s --help')", o->files[0], cmd->name);
        return MC_EXIT_USAGE;
    }
    return 0;
}

int main(int argc, char **argv)
{
    /* The store and the reports hold citizens' cases: nothing motcua creates
     * is readable by others, whatever umask cron gives it (a stricter one is
     * kept). */
    mode_t mask = umask(0);
    umask(mask | 027);

    if (argc < 2) {
        usage_all(stderr);
        return MC_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("motcua %s\n", MOTCUA_VERSION);
        return 0;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0)
        return argc > 2 ? help_for(argv[2]) : (usage_all(stdout), 0);
    const command *cmd = find_command(argv[1]);
    if (!cmd) {
        fprintf(stderr, "motcua: unknown command '%s'\n", argv[1]);
        usage_all(stderr);
        return MC_EXIT_USAGE;
    }

    mc_options o;
    memset(&o, 0, sizeof o);
    o.command = cmd->name;
    o.argv0 = argv[0];
    o.quarantine_threshold = -1;
    o.max_export_age_days = -1;
    mc_log_setup(o.command, 0, 0);
    int st = parse_options(cmd, argc, argv, &o);
    if (st)
        return st < 0 ? 0 : st;
    mc_log_setup(o.command, o.quiet, o.verbose);

    mc_error err;
    mc_error_clear(&err);
    if ((st = mc_config_apply(&o, &err))) {
        mc_log_error("%s", err.msg);
        return st;
    }
    mc_options_defaults(&o);
    return cmd->run(&o);
}
