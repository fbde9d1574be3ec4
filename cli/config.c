/*
 * config.c -- the INI config file of SPEC 8; see config.h.
 *
 * libinih does the INI syntax; this file decides which file is read, what
 * each key may hold, and that every complaint names FILE:LINE and the key.
 * inih's handler does not know line numbers, so the lines are fed to it by
 * our own reader, which counts them (and refuses lines longer than inih's
 * buffer instead of letting inih split them silently).
 */
#include "cli/config.h"

#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "base/fs.h"
#include "reports/outputs.h"
#include "reports/period.h"

#define SYSTEM_CONFIG "/etc/motcua/motcua.conf"
#define LOCAL_CONFIG "motcua.conf"

typedef enum {
    K_PATH, K_PATH_OR_NONE, K_CONVENTION, K_FORMATS, K_PERCENT, K_DAYS, K_ENCODING
} key_kind;

typedef struct key_def {
    const char *name;
    key_kind kind;
    size_t offset; /* of the const char * or double in mc_options */
} key_def;

static const key_def keys[] = {
    {"db", K_PATH, offsetof(mc_options, db)},
    {"inbox", K_PATH, offsetof(mc_options, inbox)},
    {"archive", K_PATH, offsetof(mc_options, archive)},
    {"quarantine", K_PATH, offsetof(mc_options, quarantine)},
    {"output", K_PATH, offsetof(mc_options, output)},
    {"units", K_PATH_OR_NONE, offsetof(mc_options, units)},
    {"targets", K_PATH_OR_NONE, offsetof(mc_options, targets)},
    {"convention", K_CONVENTION, offsetof(mc_options, convention)},
    {"formats", K_FORMATS, offsetof(mc_options, formats)},
    {"quarantine_threshold", K_PERCENT, offsetof(mc_options, quarantine_threshold)},
    {"max_export_age_days", K_DAYS, offsetof(mc_options, max_export_age_days)},
    {"encoding", K_ENCODING, offsetof(mc_options, encoding)},
};
#define N_KEYS (sizeof keys / sizeof keys[0])

/* Strings handed to mc_options live until exit: the options are read by the
 * command until the process ends.  Kept reachable here, so leak checkers
 * stay quiet. */
static char **pool;
static size_t pool_n, pool_cap;

static char *keep(char *s)
{
    if (!s)
        return NULL;
    if (pool_n == pool_cap) {
        size_t cap = pool_cap ? pool_cap * 2 : 16;
        char **p = realloc(pool, cap * sizeof *p);
        if (!p) {
            free(s);
            return NULL;
        }
        pool = p;
        pool_cap = cap;
    }
    pool[pool_n++] = s;
    return s;
}

typedef struct cfg {
    const char *path;
    char dir[PATH_MAX];      /* the file's folder, "" for the working folder */
    mc_options *o;
    int from_argv[N_KEYS];   /* the command line gave it: the file does not override */
    long seen[N_KEYS];       /* line where the key was set, 0 when not yet */
    FILE *fp;
    long line;               /* lines handed to inih so far */
    int indented;            /* the last line started with white space */
    mc_error *err;
    int failed;              /* the MC_EXIT_* of the first error, 0 when none */
} cfg;

static void fail(cfg *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(cfg *c, const char *fmt, ...)
{
    if (c->failed)
        return;
    c->failed = MC_EXIT_USAGE;
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    mc_error_set(c->err, MC_EXIT_USAGE, "%s:%ld: %s", c->path, c->line, msg);
}

/* fgets for inih that counts lines.  A line longer than inih's buffer would
 * be cut and its tail parsed as a line of its own; refuse it instead. */
static char *read_line(char *str, int num, void *stream)
{
    cfg *c = stream;
    if (!fgets(str, num, c->fp))
        return NULL;
    c->line++;
    size_t n = strlen(str);
    if (n > 0 && str[n - 1] != '\n' && !feof(c->fp)) {
        int ch;
        while ((ch = fgetc(c->fp)) != EOF && ch != '\n')
            ;
        fail(c, "line too long (at most %d characters)", num - 2);
        str[0] = '\0';  /* inih sees a blank line */
    }
    c->indented = str[0] == ' ' || str[0] == '\t';
    return str;
}

static const char *value_or_quoted(const char *v, char *buf, size_t cap)
{
    /* A path with a ';' or a leading space can be written in double quotes. */
    size_t n = strlen(v);
    if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
        snprintf(buf, cap, "%.*s", (int)(n - 2), v + 1);
        return buf;
    }
    return v;
}

static char *resolve(const cfg *c, const char *v)
{
    if (v[0] == '/' || !c->dir[0])
        return strdup(v);
    size_t n = strlen(c->dir) + strlen(v) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s/%s", c->dir, v);
    return s;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
    cfg *c = user;
    if (c->failed)
        return 0;
    if (strcmp(section, "motcua") != 0) {
        if (!section[0])
            fail(c, "key '%s' before the [motcua] section line", name);
        else
            fail(c, "key '%s' in section [%s]: motcua reads only [motcua]", name, section);
        return 0;
    }
    char canon[64];
    snprintf(canon, sizeof canon, "%s", name);
    for (char *p = canon; *p; p++)
        if (*p == '-')
            *p = '_';
    size_t k;
    for (k = 0; k < N_KEYS; k++)
        if (strcasecmp(canon, keys[k].name) == 0)
            break;
    if (k == N_KEYS) {
        fail(c, "unknown key '%s' (known: db, inbox, archive, quarantine, output, units, "
                "targets, convention, formats, quarantine_threshold, max_export_age_days, "
                "encoding)",
             name);
        return 0;
    }
    const key_def *d = &keys[k];
    if (c->seen[k]) {
        if (c->indented)
            fail(c, "key '%s': this indented line continues the value of line %ld; remove "
                    "the indentation", d->name, c->seen[k]);
        else
            fail(c, "key '%s' is given twice (first on line %ld)", d->name, c->seen[k]);
        return 0;
    }
    c->seen[k] = c->line;
    char qbuf[PATH_MAX];
    const char *v = value_or_quoted(value, qbuf, sizeof qbuf);
    const char **sp = (const char **)((char *)c->o + d->offset);
    double *dp = (double *)((char *)c->o + d->offset);
    char *s = NULL;
    double num;
    switch (d->kind) {
    case K_PATH:
        if (!v[0]) {
            fail(c, "key '%s' needs a path", d->name);
            return 0;
        }
        if (!c->from_argv[k] && !(s = keep(resolve(c, v))))
            goto nomem;
        break;
    case K_PATH_OR_NONE:
        /* empty: no file at all, like --units '' */
        if (!c->from_argv[k] && !(s = keep(v[0] ? resolve(c, v) : strdup(""))))
            goto nomem;
        break;
    case K_CONVENTION: {
        mc_convention conv;
        if (mc_convention_parse(v, &conv) != 0) {
            fail(c, "key '%s' must be calendar or cutoff, not '%s'", d->name, v);
            return 0;
        }
        if (!c->from_argv[k] && !(s = keep(strdup(mc_convention_name(conv)))))
            goto nomem;
        break;
    }
    case K_FORMATS: {
        unsigned mask;
        mc_error why;
        if (mc_formats_parse(v, &mask, &why) != 0) {
            fail(c, "key '%s': %s", d->name, why.msg);
            return 0;
        }
        if (!c->from_argv[k] && !(s = keep(strdup(v))))
            goto nomem;
        break;
    }
    case K_ENCODING: {
        mc_reader_encoding enc;
        if (mc_options_encoding(v, &enc) != 0 || !v[0]) {
            fail(c, "key '%s' must be cp1258 or tcvn3, not '%s' (leave it out for UTF-8 "
                    "exports)", d->name, v);
            return 0;
        }
        if (!c->from_argv[k] && !(s = keep(strdup(enc == MC_READER_CP1258 ? "cp1258" : "tcvn3"))))
            goto nomem;
        break;
    }
    case K_PERCENT:
        if (mc_options_number(v, 0, 100, &num) != 0) {
            fail(c, "key '%s' must be a percentage from 0 to 100, not '%s'", d->name, v);
            return 0;
        }
        if (!c->from_argv[k])
            *dp = num;
        return 1;
    case K_DAYS:
        if (mc_options_number(v, 0, 36500, &num) != 0) {
            fail(c, "key '%s' must be a number of days >= 0 (0 turns the check off), "
                    "not '%s'", d->name, v);
            return 0;
        }
        if (!c->from_argv[k])
            *dp = num;
        return 1;
    }
    if (s)
        *sp = s;
    return 1;
nomem:
    if (!c->failed)
        c->failed = mc_error_set(c->err, MC_EXIT_SOFTWARE, "out of memory");
    return 0;
}

/* Which file to read: --config, else ./motcua.conf, else the system one.
 * Returns 1 with the path, 0 when there is none (fine), or an MC_EXIT_*. */
static int choose(const mc_options *o, const char **path, mc_error *err)
{
    struct stat sb;
    if (o->config) {
        if (!o->config[0])
            return mc_error_set(err, MC_EXIT_USAGE, "--config needs a file name");
        *path = o->config;
        return 1;
    }
    const char *candidates[] = {LOCAL_CONFIG, SYSTEM_CONFIG};
    for (size_t i = 0; i < 2; i++)
        if (stat(candidates[i], &sb) == 0) {
            *path = candidates[i];
            return 1;
        }
    return 0;
}

int mc_config_apply(mc_options *o, mc_error *err)
{
    const char *path = NULL;
    int found = choose(o, &path, err);
    if (found != 1)
        return found; /* 0: no config file, which is fine */

    cfg c;
    memset(&c, 0, sizeof c);
    c.path = path;
    c.o = o;
    c.err = err;
    if (strchr(path, '/')) /* else relative paths stay as they are */
        mc_fs_dirname(path, c.dir, sizeof c.dir);
    for (size_t k = 0; k < N_KEYS; k++) {
        if (keys[k].kind == K_PERCENT || keys[k].kind == K_DAYS)
            c.from_argv[k] = *(double *)((char *)o + keys[k].offset) >= 0;
        else
            c.from_argv[k] = *(const char **)((char *)o + keys[k].offset) != NULL;
    }

    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return mc_error_set(err, MC_EXIT_USAGE, "%s: the config file is a folder", path);
    c.fp = fopen(path, "re");
    if (!c.fp)
        return mc_error_set(err, o->config && errno == ENOENT ? MC_EXIT_USAGE : MC_EXIT_IO,
                            "%s: cannot read the config file: %s", path, strerror(errno));
    int rc = ini_parse_stream(read_line, &c, handler, &c);
    int read_error = ferror(c.fp);
    fclose(c.fp);
    if (c.failed)
        return c.failed;
    if (read_error)
        return mc_error_set(err, MC_EXIT_IO, "%s: cannot read the config file", path);
    if (rc > 0)
        return mc_error_set(err, MC_EXIT_USAGE,
                            "%s:%d: not a 'key = value' line, a [section] line or a comment",
                            path, rc);
    if (rc < 0)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "%s: out of memory reading the config",
                            path);
    return 0;
}
