/*
 * progress.c -- the terminal progress bar; see progress.h.
 *
 * It moves by bytes, not files: one large export is most of the work.  The
 * rate is the bytes of the whole command so far over its time, which is
 * steady enough to tell the time left from after a second.
 */
#include "cli/progress.h"

#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/fs.h"

enum { WIDTH = 24 };
#define REDRAW_SECONDS 0.1

static void cells(char out[WIDTH + 1], double done, double total)
{
    size_t fill = total > 0 ? (size_t)(done * WIDTH / total) : 0;
    if (fill > WIDTH)
        fill = WIDTH;
    for (size_t i = 0; i < WIDTH; i++)
        out[i] = i < fill ? '#' : '.';
    out[WIDTH] = '\0';
}

/* 12.3 MB, 870 kB, 312 B */
static void size_text(char *buf, size_t cap, double bytes)
{
    if (bytes >= 1e9)
        snprintf(buf, cap, "%.1f GB", bytes / 1e9);
    else if (bytes >= 1e6)
        snprintf(buf, cap, "%.1f MB", bytes / 1e6);
    else if (bytes >= 1e3)
        snprintf(buf, cap, "%.0f kB", bytes / 1e3);
    else
        snprintf(buf, cap, "%.0f B", bytes);
}

static void draw(mc_progress *b, int force)
{
    if (!b->on)
        return;
    double now = mc_clock_seconds();
    if (!force && b->shown && now - b->last_draw < REDRAW_SECONDS)
        return;
    b->last_draw = now;
    double done = (double)(b->bytes_before + b->bytes_now), total = (double)b->bytes_total;
    if (done > total)
        done = total;
    char bar[WIDTH + 1], d[24], t[24], rate[32] = "", left[32] = "";
    cells(bar, done, total);
    size_text(d, sizeof d, done);
    size_text(t, sizeof t, total);
    double secs = now - b->t0;
    if (secs >= 1 && done > 0) {
        char r[24];
        size_text(r, sizeof r, done / secs);
        snprintf(rate, sizeof rate, "  %s/s", r);
        long rest = (long)((total - done) / (done / secs) + 0.5);
        snprintf(left, sizeof left, "  %ld:%02ld left", rest / 60, rest % 60);
    }
    fprintf(stderr, "\r\033[Kmotcua %s: [%s] %s/%s  %lld rows%s%s  %zu/%zu %.30s", b->cmd, bar,
            d, t, (long long)(b->rows_before + b->rows_now), rate, left, b->file, b->files,
            b->what);
    fflush(stderr);
    b->shown = 1;
}

void mc_progress_start(mc_progress *b, const char *cmd, int on, size_t files,
                       uint64_t bytes_total)
{
    memset(b, 0, sizeof *b);
    b->on = on;
    b->cmd = cmd;
    b->files = files;
    b->bytes_total = bytes_total;
    b->t0 = mc_clock_seconds();
}

void mc_progress_file(mc_progress *b, size_t index, const char *what)
{
    b->file = index;
    b->bytes_now = 0;
    b->rows_now = 0;
    mc_fs_escape_controls(what, b->what, sizeof b->what);
    draw(b, 1);
}

void mc_progress_ingest(void *ctx, uint64_t bytes_done, uint64_t bytes_total, int64_t rows_done)
{
    mc_progress *b = ctx;
    (void)bytes_total;
    b->bytes_now = bytes_done;
    b->rows_now = rows_done;
    draw(b, 0);
}

void mc_progress_file_done(mc_progress *b, uint64_t size, int64_t rows)
{
    b->bytes_before += size;
    b->bytes_now = 0;
    b->rows_before += rows;
    b->rows_now = 0;
}

void mc_progress_step(mc_progress *b, double done, double total, const char *what)
{
    if (!b->on)
        return;
    char bar[WIDTH + 1], safe[100];
    cells(bar, done, total);
    mc_fs_escape_controls(what, safe, sizeof safe);
    fprintf(stderr, "\r\033[Kmotcua %s: [%s] %.60s", b->cmd, bar, safe);
    fflush(stderr);
    b->shown = 1;
}

void mc_progress_clear(mc_progress *b)
{
    if (b->shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        b->shown = 0;
    }
}
