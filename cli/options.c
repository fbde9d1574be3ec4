/*
 * options.c -- defaults and bundled files; see options.h.
 */
#include "cli/options.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#ifndef MC_DATADIR
#define MC_DATADIR "/usr/local/share/motcua"
#endif

static int readable(const char *p)
{
    return access(p, R_OK) == 0;
}

int mc_options_bundled(const char *argv0, const char *name, char *buf, unsigned cap)
{
    /* The folder of the running binary, by /proc/self/exe; then by argv0,
     * which is the only one that names motcua when a tool such as valgrind
     * runs it (/proc/self/exe is then the tool). */
    char exe[2][PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe[0], sizeof exe[0] - 1);
    exe[0][n > 0 ? n : 0] = '\0';
    snprintf(exe[1], sizeof exe[1], "%s", argv0 ? argv0 : "");
    for (int k = 0; k < 2; k++) {
        char *slash = strrchr(exe[k], '/');
        if (!slash)
            continue;
        *slash = '\0';
        /* a build tree (the binary at its top, or in a build folder such as
         * build-san/), then an installation under any PREFIX */
        static const char *const where[] = {"%s/fixtures/%s", "%s/../fixtures/%s",
                                            "%s/../share/motcua/%s"};
        for (size_t i = 0; i < sizeof where / sizeof where[0]; i++) {
            snprintf(buf, cap, where[i], exe[k], name);
            if (readable(buf))
                return 1;
        }
    }
    snprintf(buf, cap, "%s/%s", MC_DATADIR, name);
    return readable(buf);
}

int mc_options_number(const char *s, double lo, double hi, double *out)
{
    int digits = 0, dots = 0;
    for (const char *p = s; *p; p++) {
        if (*p >= '0' && *p <= '9')
            digits++;
        else if (*p == '.' && !dots++)
            continue;
        else
            return -1;
    }
    if (!digits || strlen(s) > 32)
        return -1;
    double v = strtod(s, NULL);
    if (v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

void mc_options_defaults(mc_options *o)
{
    if (!o->db)
        o->db = "motcua.db";
    if (!o->inbox)
        o->inbox = "inbox";
    if (!o->archive)
        o->archive = "archive";
    if (!o->quarantine)
        o->quarantine = "quarantine";
    if (!o->output)
        o->output = "reports";
    if (!o->convention)
        o->convention = "calendar";
    if (!o->formats)
        o->formats = "xlsx,html,csv";
    if (o->quarantine_threshold < 0)
        o->quarantine_threshold = 5;
    if (o->max_export_age_days < 0)
        o->max_export_age_days = 2;
}

int mc_options_encoding(const char *s, mc_reader_encoding *out)
{
    *out = MC_READER_UTF8;
    if (!s)
        return 0;
    if (strcasecmp(s, "cp1258") == 0)
        *out = MC_READER_CP1258;
    else if (strcasecmp(s, "tcvn3") == 0)
        *out = MC_READER_TCVN3;
    else
        return -1;
    return 0;
}
