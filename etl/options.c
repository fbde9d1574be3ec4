/*
 * options.c -- defaults and bundled files; see options.h.
 */
#include "etl/options.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
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
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0 && argv0) {
        snprintf(exe, sizeof exe, "%s", argv0);
        n = (ssize_t)strlen(exe);
    }
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            /* a build tree, then an installation under any PREFIX */
            snprintf(buf, cap, "%s/fixtures/%s", exe, name);
            if (readable(buf))
                return 1;
            snprintf(buf, cap, "%s/../share/motcua/%s", exe, name);
            if (readable(buf))
                return 1;
        }
    }
    snprintf(buf, cap, "%s/%s", MC_DATADIR, name);
    return readable(buf);
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
