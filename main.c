/*
 * main.c -- motcua's command line: parse it, then hand over to a command.
 *
 * Nothing else happens here: the commands live in etl/ and reports/.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "etl/commands.h"
#include "etl/config.h"
#include "etl/error.h"
#include "etl/log.h"
#include "etl/options.h"

#define MOTCUA_VERSION "0.1.0"

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

static const struct {
    const char *name;
    const char *usage;
} helps[] = {
    {"ingest",
     "usage: motcua ingest [--db PATH] FILE...\n"
     "Load case-log exports (CSV, plain or gzip) into the store. One summary line per\n"
     "file: rows read / accepted / duplicate / quarantined, conflicts, unknown columns.\n"
     "A file already loaded (same SHA-256) is skipped.\n"
     "  --quarantine-threshold PCT  exit 65 when a file has more quarantined rows (default 5)\n"},
    {"report",
     "usage: motcua report --period P [--as-of YYYY-MM-DD] [--convention calendar|cutoff]\n"
     "                     [--table units|targets|quality|files|rejects]\n"
     "                     [--by unit|field|procedure]\n"
     "                     [--format text|csv|xlsx|html] [-o FILE]\n"
     "Print or write one report table. P is YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY or\n"
     "YYYY-MM-DD..YYYY-MM-DD. files and rejects need no period.\n"
     "--by gives the units table one row per unit (default), per field or per\n"
     "procedure, with the same counts and rates and the same ALL row.\n"
     "--format csv to standard output is the machine contract of SPEC section 7.\n"},
    {"run",
     "usage: motcua run [--config FILE] [--inbox DIR] [--archive DIR] [--quarantine DIR]\n"
     "                  [--output DIR] [--formats xlsx,html,csv] [--convention C]\n"
     "                  [--quarantine-threshold PCT] [--max-export-age-days N]\n"
     "The nightly job: take the lock, load every new export of the inbox, move each to\n"
     "archive/YYYY/MM/ (or to quarantine/ with NAME.reason.txt), refresh the current and\n"
     "previous period, write the report files to OUTPUT/PERIOD/, print one summary line.\n"},
    {"rerun",
     "usage: motcua rerun --period P [--from-archive] [run's options]\n"
     "Recompute and rewrite the report files of P from the store; with --from-archive,\n"
     "rebuild the store from the archived exports first.\n"},
    {"check",
     "usage: motcua check [--db PATH]\n"
     "Check row accounting of every file, the identities of every stored report and\n"
     "SQLite's integrity. Exit 0, or list what is wrong and exit 65.\n"},
};

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

static int help_for(const char *command)
{
    for (size_t i = 0; i < sizeof helps / sizeof helps[0]; i++)
        if (strcmp(helps[i].name, command) == 0) {
            fputs(helps[i].usage, stdout);
            fputs("\n", stdout);
            fputs(shared_help, stdout);
            return 0;
        }
    usage_all(stdout);
    return 0;
}

enum {
    OPT_DB = 256, OPT_CONFIG, OPT_UNITS, OPT_TARGETS, OPT_PERIOD, OPT_AS_OF, OPT_CONVENTION,
    OPT_TABLE, OPT_FORMAT, OPT_INBOX, OPT_ARCHIVE, OPT_QUARANTINE, OPT_OUTPUT, OPT_FORMATS,
    OPT_THRESHOLD, OPT_MAX_AGE, OPT_FROM_ARCHIVE, OPT_VERSION, OPT_BY
};

static const struct option long_opts[] = {
    {"db", required_argument, NULL, OPT_DB},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"units", required_argument, NULL, OPT_UNITS},
    {"targets", required_argument, NULL, OPT_TARGETS},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {"period", required_argument, NULL, OPT_PERIOD},
    {"as-of", required_argument, NULL, OPT_AS_OF},
    {"as_of", required_argument, NULL, OPT_AS_OF},
    {"convention", required_argument, NULL, OPT_CONVENTION},
    {"table", required_argument, NULL, OPT_TABLE},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"by", required_argument, NULL, OPT_BY},
    {"inbox", required_argument, NULL, OPT_INBOX},
    {"archive", required_argument, NULL, OPT_ARCHIVE},
    {"quarantine", required_argument, NULL, OPT_QUARANTINE},
    {"output", required_argument, NULL, OPT_OUTPUT},
    {"formats", required_argument, NULL, OPT_FORMATS},
    {"quarantine-threshold", required_argument, NULL, OPT_THRESHOLD},
    {"quarantine_threshold", required_argument, NULL, OPT_THRESHOLD},
    {"max-export-age-days", required_argument, NULL, OPT_MAX_AGE},
    {"max_export_age_days", required_argument, NULL, OPT_MAX_AGE},
    {"from-archive", no_argument, NULL, OPT_FROM_ARCHIVE},
    {NULL, 0, NULL, 0},
};

static int parse_number(const char *opt, const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || v < 0) {
        mc_log_error("%s takes a number >= 0, not '%s'", opt, s);
        return MC_EXIT_USAGE;
    }
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    /* The store and the reports hold citizens' cases: nothing motcua creates
     * is readable by others, whatever umask cron gives it (a stricter one is
     * kept). */
    mode_t mask = umask(0);
    umask(mask | 027);

    mc_options o;
    memset(&o, 0, sizeof o);
    o.argv0 = argv[0];
    o.quarantine_threshold = -1;
    o.max_export_age_days = -1;

    if (argc < 2) {
        usage_all(stderr);
        return MC_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("motcua %s\n", MOTCUA_VERSION);
        return 0;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        return argc > 2 ? help_for(argv[2]) : (usage_all(stdout), 0);
    }
    o.command = argv[1];
    int (*command)(mc_options *) = NULL;
    if (strcmp(o.command, "ingest") == 0)
        command = mc_cmd_ingest;
    else if (strcmp(o.command, "report") == 0)
        command = mc_cmd_report;
    else if (strcmp(o.command, "run") == 0)
        command = mc_cmd_run;
    else if (strcmp(o.command, "rerun") == 0)
        command = mc_cmd_rerun;
    else if (strcmp(o.command, "check") == 0)
        command = mc_cmd_check;
    else {
        fprintf(stderr, "motcua: unknown command '%s'\n", o.command);
        usage_all(stderr);
        return MC_EXIT_USAGE;
    }
    mc_log_setup(o.command, 0, 0);

    int c, st = 0;
    optind = 2;
    opterr = 0; /* getopt would prefix its messages with the binary's path */
    while (!st && (c = getopt_long(argc, argv, ":qvho:", long_opts, NULL)) != -1) {
        switch (c) {
        case OPT_DB: o.db = optarg; break;
        case OPT_CONFIG: o.config = optarg; break;
        case OPT_UNITS: o.units = optarg; break;
        case OPT_TARGETS: o.targets = optarg; break;
        case 'q': o.quiet = 1; break;
        case 'v': o.verbose = 1; break;
        case 'h': return help_for(o.command);
        case OPT_VERSION: printf("motcua %s\n", MOTCUA_VERSION); return 0;
        case OPT_PERIOD: o.period = optarg; break;
        case OPT_AS_OF: o.as_of = optarg; break;
        case OPT_CONVENTION: o.convention = optarg; break;
        case OPT_TABLE: o.table = optarg; break;
        case OPT_FORMAT: o.format = optarg; break;
        case OPT_BY: o.by = optarg; break;
        case 'o': o.out_file = optarg; break;
        case OPT_INBOX: o.inbox = optarg; break;
        case OPT_ARCHIVE: o.archive = optarg; break;
        case OPT_QUARANTINE: o.quarantine = optarg; break;
        case OPT_OUTPUT: o.output = optarg; break;
        case OPT_FORMATS: o.formats = optarg; break;
        case OPT_THRESHOLD:
            st = parse_number("--quarantine-threshold", optarg, &o.quarantine_threshold);
            break;
        case OPT_MAX_AGE:
            st = parse_number("--max-export-age-days", optarg, &o.max_export_age_days);
            break;
        case OPT_FROM_ARCHIVE: o.from_archive = 1; break;
        default: {
            /* the option as typed: a long one is the word getopt just
             * passed (without its "=value"), a short one is optopt */
            char shown[64] = {'-', (char)optopt, '\0'};
            const char *typed = argv[optind - 1];
            if (strncmp(typed, "--", 2) == 0)
                snprintf(shown, sizeof shown, "%.*s", (int)strcspn(typed, "="), typed);
            else if (optopt <= ' ' || optopt >= 127)
                snprintf(shown, sizeof shown, "%s", typed);
            const char *opt = shown, *why = c == ':' ? "needs a value" : "is unknown";
            if (c != ':' && strncmp(shown, "--", 2) == 0) {
                /* getopt says '?' for three things: tell them apart */
                size_t n = strlen(shown + 2), prefixed = 0;
                for (const struct option *lo = long_opts; lo->name; lo++) {
                    if (strcmp(lo->name, shown + 2) == 0) {
                        why = "takes no value";
                        prefixed = 0;
                        break;
                    }
                    prefixed += strncmp(lo->name, shown + 2, n) == 0;
                }
                if (prefixed > 1)
                    why = "is ambiguous: write it out";
            }
            mc_log_error("option '%s' %s (see 'motcua %s --help')", opt, why, o.command);
            return MC_EXIT_USAGE;
        }
        }
    }
    if (st)
        return st;
    o.files = argv + optind;
    o.n_files = argc - optind;
    if (o.n_files && strcmp(o.command, "ingest") != 0) {
        mc_log_error("unexpected argument '%s' (see 'motcua %s --help')", o.files[0], o.command);
        return MC_EXIT_USAGE;
    }
    mc_log_setup(o.command, o.quiet, o.verbose);

    mc_error err;
    mc_error_clear(&err);
    if ((st = mc_config_apply(&o, &err))) {
        mc_log_error("%s", err.msg);
        return st;
    }
    mc_options_defaults(&o);
    return command(&o);
}
