/*
 * write_html.c -- the report as one self-contained HTML page.
 *
 * The page is mailed around and opened from shared folders, often offline,
 * so it carries everything inline: CSS in a <style> element, charts as inline
 * SVG, no script and no external resource (its Content-Security-Policy says
 * so too).  Every value from the data is escaped, so a unit name is only
 * ever text.  Figures follow Vietnamese conventions (1.234 and 97,50%),
 * since the page is read, not parsed; the CSV is the exact form.
 */
#include "reports/write_util.h"
#include "reports/cases.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <utf8proc.h>

/* Text escaped for element content and quoted attribute values alike.
 * Control characters other than white space cannot appear in HTML text. */
static void esc(FILE *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)mc_wu_str(s); *p; p++) {
        switch (*p) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default:
            if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 0x7F)
                fputc('?', out);
            else
                fputc(*p, out);
        }
    }
}

/* The first max characters of s (whole code points), "…" when cut.  Chart
 * labels have a fixed width; the full name is in the row's <title>. */
static void esc_cut(FILE *out, const char *s, size_t max)
{
    s = mc_wu_str(s);
    size_t n = strlen(s), off = 0, chars = 0;
    while (off < n && chars < max) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + off,
                                              (utf8proc_ssize_t)(n - off), &cp);
        off += k > 0 ? (size_t)k : 1;
        chars++;
    }
    if (off >= n) {
        esc(out, s);
        return;
    }
    char buf[512];
    if (off >= sizeof buf)
        off = sizeof buf - 1;
    memcpy(buf, s, off);
    buf[off] = '\0';
    esc(out, buf);
    fputs("…", out);
}

/* 1234567 as "1.234.567". */
static void fmt_int(char *out, size_t cap, int64_t v)
{
    char d[32];
    snprintf(d, sizeof d, "%" PRId64, v);
    const char *p = d;
    size_t o = 0;
    if (*p == '-' && o + 1 < cap)
        out[o++] = *p++;
    size_t len = strlen(p);
    for (size_t i = 0; i < len && o + 2 < cap; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            out[o++] = '.';
        out[o++] = p[i];
    }
    out[o] = '\0';
}

/* The decimal comma Vietnamese readers use, in place of the point. */
static char *decimal_comma(char *s)
{
    char *dot = strchr(s, '.');
    if (dot)
        *dot = ',';
    return s;
}

/* A rate or gap with two decimals (mc_wu_fmt2, "+" first when plus). */
static void fmt_dec2(char *out, size_t cap, int plus, double v)
{
    decimal_comma(mc_wu_fmt2(v, plus, out, cap));
}

/* A plan target as the plan wrote it (98, 99.3). */
static void fmt_target(char *out, size_t cap, double v)
{
    snprintf(out, cap, "%.15g", v);
    decimal_comma(out);
}

static const char *status_class(const char *status)
{
    const char *s = mc_wu_str(status);
    if (strcmp(s, "met") == 0)
        return "met";
    if (strcmp(s, "missed") == 0)
        return "missed";
    return "nodata";
}

static const char *quality_class(const char *status)
{
    const char *s = mc_wu_str(status);
    if (strcmp(s, "ok") == 0)
        return "met";
    if (strcmp(s, "warning") == 0)
        return "warn";
    if (strcmp(s, "error") == 0)
        return "missed";
    return "";
}

static const char *row_class(const mc_unit_row *row)
{
    return row->kind == MC_ROW_ALL ? "all" : row->kind == MC_ROW_PARENT ? "parent" : "unit";
}

static int clamp_depth(int d)
{
    return d < 0 ? 0 : d > 8 ? 8 : d;
}

static const char css[] =
    "body{font-family:\"Segoe UI\",Roboto,Arial,sans-serif;margin:1.5em;color:#222}"
    "h1{font-size:1.4em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:1.6em}"
    ".meta{color:#444;margin-top:0}"
    ".wrap{overflow-x:auto}"
    "table{border-collapse:collapse;font-size:.85em}"
    "th,td{border:1px solid #bbb;padding:.25em .45em;vertical-align:top}"
    "th{background:#d9e1f2;font-weight:600}"
    "td.n{text-align:right;white-space:nowrap}"
    /* the unit's code on one line, its name wide enough to read */
    "tbody td:first-child{white-space:nowrap}tbody td:nth-child(2){min-width:16em}"
    "tr.parent td,tr.all td{font-weight:700}tr.all td{border-top:2px solid #555}"
    "td.d1{padding-left:1.2em}td.d2{padding-left:2.2em}td.d3{padding-left:3.2em}"
    "td.d4{padding-left:4.2em}td.d5{padding-left:5.2em}td.d6{padding-left:6.2em}"
    "td.d7{padding-left:7.2em}td.d8{padding-left:8.2em}"
    ".tg{display:block;font-size:.8em;font-weight:400}"
    ".met{color:#006100;background:#c6efce}.missed{color:#9c0006;background:#ffc7ce}"
    ".nodata{color:#595959;background:#e4e4e4}.warn{color:#9c5700;background:#ffeb9c}"
    "figure{margin:1em 0 1.8em}figcaption{font-weight:600;margin-bottom:.3em}"
    "svg{max-width:100%;height:auto;font-size:12px}"
    "svg .lb{fill:#222}svg .ax{fill:#666;font-size:10px}svg .grid{stroke:#ddd}"
    "svg .b-met{fill:#4caf50}svg .b-missed{fill:#e53935}svg .b-none{fill:#5b8bd0}"
    "svg .tl{stroke:#111;stroke-width:2}svg .na{fill:#888;font-style:italic}"
    "svg .tr-line{fill:none;stroke:#1f4e8c;stroke-width:2}"
    "svg .tr-tgt{stroke:#c62828;stroke-width:1.5;stroke-dasharray:5 3}"
    "figure.trend{margin:.6em 0 1.4em}"
    "@media print{.wrap{overflow:visible}}";

/* The headings of the form's counts and of the rates, after a table's own
 * first columns (the units table, the breakdowns of SPEC 11). */
static void figure_heads(FILE *out)
{
    for (int c = 0; c < MC_C_CONTRACT_COUNT; c++) {
        fputs("<th>", out);
        esc(out, mc_count_label_vi((mc_count)c));
        fputs("</th>", out);
    }
    for (int r = 0; r < MC_R_COUNT; r++) {
        fputs("<th>", out);
        esc(out, mc_rate_label_vi((mc_rate)r));
        fputs(" (%)</th>", out);
    }
}

/* A row's counts and rates, each rate with the plan target of unit_code
 * beside it where there is one (unit_code NULL: a row no target reaches). */
static void figure_cells(FILE *out, const mc_report *rep, const int64_t c[MC_C_COUNT],
                         const char *unit_code)
{
    char b[64];
    for (int k = 0; k < MC_C_CONTRACT_COUNT; k++) {
        fmt_int(b, sizeof b, c[k]);
        fprintf(out, "<td class=\"n\">%s</td>", b);
    }
    for (int r = 0; r < MC_R_COUNT; r++) {
        double v;
        const mc_target_row *t =
            unit_code ? mc_wu_target(rep, unit_code, mc_rate_name((mc_rate)r)) : NULL;
        if (mc_rate_value(c, (mc_rate)r, &v)) {
            fmt_dec2(b, sizeof b, 0, v);
            fprintf(out, "<td class=\"n\">%s", b);
        } else {
            fputs("<td class=\"n\">–", out);
        }
        if (t) {
            fmt_target(b, sizeof b, t->target);
            fprintf(out, "<span class=\"tg %s\">mục tiêu ", status_class(t->status));
            esc(out, mc_wu_op_vi(t->op));
            fprintf(out, " %s%s</span>", b,
                    strcmp(status_class(t->status), "missed") == 0 ? " ✗" : "");
        }
        fputs("</td>", out);
    }
}

static void units_table(FILE *out, const mc_report *rep)
{
    fputs("<h2>1. Tình hình, kết quả giải quyết theo đơn vị</h2>\n<div class=\"wrap\"><table>\n"
          "<thead><tr><th>Mã đơn vị</th><th>Tên đơn vị</th>", out);
    figure_heads(out);
    fputs("</tr></thead>\n<tbody>\n", out);
    for (size_t i = 0; i < rep->n_rows; i++) {
        const mc_unit_row *row = &rep->rows[i];
        int d = row->kind == MC_ROW_ALL ? 0 : clamp_depth(row->depth);
        fprintf(out, "<tr class=\"%s\"><td>", row_class(row));
        esc(out, row->unit_code);
        if (d)
            fprintf(out, "</td><td class=\"d%d\">", d);
        else
            fputs("</td><td>", out);
        esc(out, mc_wu_row_label(row));
        fputs("</td>", out);
        figure_cells(out, rep, row->c, row->unit_code);
        fputs("</tr>\n", out);
    }
    if (rep->n_rows == 0)
        fprintf(out, "<tr><td colspan=\"%d\">Không có đơn vị nào.</td></tr>\n",
                2 + MC_C_CONTRACT_COUNT + MC_R_COUNT);
    fputs("</tbody></table></div>\n", out);
}

/* A breakdown of SPEC 11 (by field, or by procedure with its code), with
 * the same counts and rates as the units table; the plans set no targets
 * for a field or a procedure. */
static void group_table(FILE *out, const mc_report *rep, int by_procedure)
{
    const mc_group_row *rows = by_procedure ? rep->procedures : rep->fields;
    size_t n = by_procedure ? rep->n_procedures : rep->n_fields;
    fputs(by_procedure ? "<h2>Tình hình, kết quả giải quyết theo thủ tục</h2>\n"
                         "<div class=\"wrap\"><table>\n<thead><tr><th>Mã thủ tục</th>"
                         "<th>Tên thủ tục</th>"
                       : "<h2>Tình hình, kết quả giải quyết theo lĩnh vực</h2>\n"
                         "<div class=\"wrap\"><table>\n<thead><tr><th>Lĩnh vực</th>",
          out);
    figure_heads(out);
    fputs("</tr></thead>\n<tbody>\n", out);
    for (size_t i = 0; i < n; i++) {
        const mc_group_row *row = &rows[i];
        fprintf(out, "<tr class=\"%s\"><td>", row->kind == MC_ROW_ALL ? "all" : "unit");
        if (by_procedure) {
            esc(out, row->kind == MC_ROW_ALL ? "" : row->code);
            fputs("</td><td>", out);
        }
        esc(out, mc_wu_group_label(row, by_procedure));
        fputs("</td>", out);
        figure_cells(out, rep, row->c, NULL);
        fputs("</tr>\n", out);
    }
    fputs("</tbody></table></div>\n", out);
}

/* Geometry of the bar charts, in SVG user units. */
enum { CH_LABEL = 240, CH_BAR = 420, CH_VALUE = 90, CH_ROW = 24, CH_TOP = 22, CH_BOTTOM = 34 };

static double clamp100(double v)
{
    return v < 0 ? 0 : v > 100 ? 100 : v;
}

static void chart(FILE *out, const mc_report *rep, mc_rate r)
{
    const int width = CH_LABEL + CH_BAR + CH_VALUE;
    const int height = CH_TOP + (int)rep->n_rows * CH_ROW + CH_BOTTOM;
    char b[64];

    fprintf(out, "<figure><figcaption id=\"c-%s\">", mc_rate_name(r));
    esc(out, mc_rate_label_vi(r));
    fputs(" (%)</figcaption>\n", out);
    fprintf(out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"c-%s\" "
            "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
            mc_rate_name(r), width, height, width, height);
    for (int g = 0; g <= 100; g += 25) {
        double x = CH_LABEL + CH_BAR * g / 100.0;
        fprintf(out,
                "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
                "<text class=\"ax\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d%%</text>\n",
                x, CH_TOP - 4, x, CH_TOP + (int)rep->n_rows * CH_ROW, x, CH_TOP - 8, g);
    }
    int any_target = 0;
    for (size_t i = 0; i < rep->n_rows; i++) {
        const mc_unit_row *row = &rep->rows[i];
        const mc_target_row *t = mc_wu_target(rep, row->unit_code, mc_rate_name(r));
        int y = CH_TOP + (int)i * CH_ROW;
        double v;
        fputs("<g><title>", out);
        esc(out, mc_wu_row_label(row));
        fputs("</title>", out);
        fprintf(out, "<text class=\"lb\" x=\"%d\" y=\"%d\" text-anchor=\"end\"%s>",
                CH_LABEL - 8, y + CH_ROW / 2 + 4,
                row->kind != MC_ROW_UNIT ? " font-weight=\"bold\"" : "");
        esc_cut(out, mc_wu_row_label(row), 34);
        fputs("</text>", out);
        if (mc_rate_value(row->c, r, &v)) {
            const char *cls = !t ? "b-none" : strcmp(status_class(t->status), "missed") == 0
                                                  ? "b-missed"
                                                  : "b-met";
            fmt_dec2(b, sizeof b, 0, v);
            fprintf(out,
                    "<rect class=\"%s\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\"/>"
                    "<text class=\"lb\" x=\"%d\" y=\"%d\">%s%%</text>",
                    cls, CH_LABEL, y + 4, CH_BAR * clamp100(v) / 100.0, CH_ROW - 8,
                    CH_LABEL + CH_BAR + 8, y + CH_ROW / 2 + 4, b);
        } else {
            fprintf(out, "<text class=\"na\" x=\"%d\" y=\"%d\">không có số liệu</text>",
                    CH_LABEL + 4, y + CH_ROW / 2 + 4);
        }
        if (t) {
            double x = CH_LABEL + CH_BAR * clamp100(t->target) / 100.0;
            fprintf(out, "<line class=\"tl\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", x,
                    y + 1, x, y + CH_ROW - 1);
            any_target = 1;
        }
        fputs("</g>\n", out);
    }
    int ly = CH_TOP + (int)rep->n_rows * CH_ROW + 22;
    if (any_target)
        fprintf(out,
                "<rect class=\"b-met\" x=\"%d\" y=\"%d\" width=\"12\" height=\"10\"/>"
                "<text class=\"ax\" x=\"%d\" y=\"%d\">đạt mục tiêu</text>"
                "<rect class=\"b-missed\" x=\"%d\" y=\"%d\" width=\"12\" height=\"10\"/>"
                "<text class=\"ax\" x=\"%d\" y=\"%d\">không đạt</text>"
                "<line class=\"tl\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                "<text class=\"ax\" x=\"%d\" y=\"%d\">mục tiêu</text>\n",
                CH_LABEL, ly - 9, CH_LABEL + 16, ly, CH_LABEL + 110, ly - 9, CH_LABEL + 126,
                ly, CH_LABEL + 212, ly - 10, CH_LABEL + 212, ly + 2, CH_LABEL + 218, ly);
    fputs("</svg></figure>\n", out);
}

static void targets_table(FILE *out, const mc_report *rep)
{
    char b[64];
    fputs("<h3>Chỉ tiêu kế hoạch</h3>\n<div class=\"wrap\"><table>\n<thead><tr>"
          "<th>Mã đơn vị</th><th>Tên đơn vị</th><th>Chỉ tiêu</th><th>Thực tế (%)</th>"
          "<th>So sánh</th><th>Mục tiêu (%)</th><th>Đánh giá</th>"
          "<th>Chênh lệch (điểm %)</th><th>Nguồn</th></tr></thead>\n<tbody>\n", out);
    for (size_t i = 0; i < rep->n_targets; i++) {
        const mc_target_row *t = &rep->targets[i];
        const char *name = "";
        for (size_t k = 0; k < rep->n_rows; k++)
            if (t->unit_code && rep->rows[k].unit_code &&
                strcmp(rep->rows[k].unit_code, t->unit_code) == 0)
                name = mc_wu_row_label(&rep->rows[k]);
        int r = mc_wu_rate_of(t->indicator);
        fputs("<tr><td>", out);
        esc(out, t->unit_code);
        fputs("</td><td>", out);
        esc(out, name);
        fputs("</td><td>", out);
        esc(out, r >= 0 ? mc_rate_label_vi((mc_rate)r) : t->indicator);
        fputs("</td><td class=\"n\">", out);
        if (t->has_actual) {
            fmt_dec2(b, sizeof b, 0, t->actual);
            fputs(b, out);
        } else {
            fputs("–", out);
        }
        fputs("</td><td>", out);
        esc(out, mc_wu_op_vi(t->op));
        fmt_target(b, sizeof b, t->target);
        fprintf(out, "</td><td class=\"n\">%s</td><td class=\"%s\">", b, status_class(t->status));
        esc(out, mc_wu_status_vi(t->status));
        fputs("</td><td class=\"n\">", out);
        if (t->has_gap) {
            fmt_dec2(b, sizeof b, 1, t->gap);
            fputs(b, out);
        } else {
            fputs("–", out);
        }
        fputs("</td><td>", out);
        esc(out, t->source);
        fputs("</td></tr>\n", out);
    }
    if (rep->n_targets == 0)
        fputs("<tr><td colspan=\"9\">Không có chỉ tiêu nào áp dụng cho kỳ này.</td></tr>\n", out);
    fputs("</tbody></table></div>\n", out);
}

/* ---- the 12-month trend (SPEC 13) ----------------------------------------
 *
 * Per charted unit (write_util: ALL and at most 12 top-level units) one
 * picture of three panels, one per headline rate: the month's rate as a
 * line with a point per month, coloured by the month's target status, and
 * the month's plan target as a dashed step.  Each panel's scale runs from
 * a round step below its lowest value or target to 100 %, so that 96 % and
 * 99 % do not look alike.  A month with a null rate leaves a gap; a month
 * after the as-of date has no point. */
enum { TP_LEFT = 42, TP_SLOT = 30, TP_RIGHT = 10, TP_TOP = 26, TP_PLOT = 140, TP_BOTTOM = 30 };
#define TP_WIDTH (TP_LEFT + MC_TREND_MONTHS * TP_SLOT + TP_RIGHT)
#define TP_HEIGHT (TP_TOP + TP_PLOT + TP_BOTTOM)

static const char *const trend_titles[MC_WU_TREND_RATES] = {
    "Giải quyết trước và đúng hạn", "Trễ hạn có văn bản xin lỗi", "Tiếp nhận trực tuyến",
};

/* "2025-07" as "07/25", the axis label; anything else unchanged. */
static void month_short(const char *period, char *out, size_t cap)
{
    if (strlen(period) == 7 && period[4] == '-')
        snprintf(out, cap, "%.2s/%.2s", period + 5, period + 2);
    else
        snprintf(out, cap, "%s", period);
}

/* "2025-07" as "07/2025". */
static void month_long(const char *period, char *out, size_t cap)
{
    if (strlen(period) == 7 && period[4] == '-')
        snprintf(out, cap, "%.2s/%.4s", period + 5, period);
    else
        snprintf(out, cap, "%s", period);
}

static double panel_y(double v, double lo)
{
    return TP_TOP + TP_PLOT * (100.0 - clamp100(v)) / (100.0 - lo);
}

static void trend_panel(FILE *out, const mc_report *rep, const char *code, int which, int px)
{
    mc_rate r = mc_wu_trend_rates[which];
    const char *ind = mc_rate_name(r);
    int has[MC_TREND_MONTHS] = {0}, has_t[MC_TREND_MONTHS] = {0};
    double v[MC_TREND_MONTHS] = {0};
    const mc_target_row *tg[MC_TREND_MONTHS] = {0};
    size_t n = rep->n_trend < MC_TREND_MONTHS ? rep->n_trend : MC_TREND_MONTHS;
    double lo = 100;
    int any = 0;
    for (size_t m = 0; m < n; m++) {
        const mc_report *mo = &rep->trend[m];
        const mc_unit_row *row = mc_wu_row(mo, code);
        if (!row || mc_wu_month_unstarted(mo))
            continue;
        has[m] = mc_rate_value(row->c, r, &v[m]);
        tg[m] = mc_wu_target(mo, code, ind);
        has_t[m] = tg[m] != NULL;
        if (has[m] && v[m] < lo)
            lo = v[m];
        if (has_t[m] && tg[m]->target < lo)
            lo = tg[m]->target;
        any |= has[m];
    }
    /* at most four round steps down from 100 % reach the lowest point */
    static const double steps[] = {1, 2, 2.5, 5, 10, 20, 25};
    double span = 100.0 - (lo < 0 ? 0 : lo), step = 25;
    if (span < 4)
        span = 4;
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
        if (span / steps[i] <= 4) {
            step = steps[i];
            break;
        }
    int n_steps = (int)(span / step);
    if (n_steps * step < span)
        n_steps++;
    lo = 100.0 - n_steps * step;
    char b[64];
    fprintf(out, "<g transform=\"translate(%d,0)\"><text class=\"lb\" x=\"%d\" y=\"16\" "
            "font-weight=\"bold\">", px, TP_LEFT);
    esc(out, trend_titles[which]);
    fputs(" (%)</text>\n", out);
    for (int g = 0; g <= n_steps; g++) {
        double gv = lo + step * g;
        double y = panel_y(gv, lo);
        snprintf(b, sizeof b, "%g", gv);
        decimal_comma(b);
        fprintf(out, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
                "<text class=\"ax\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                TP_LEFT, y, TP_LEFT + MC_TREND_MONTHS * TP_SLOT, y, TP_LEFT - 4, y + 3, b);
    }
    for (size_t m = 0; m < n; m++) {
        month_short(rep->trend[m].period, b, sizeof b);
        fprintf(out, "<text class=\"ax\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
                TP_LEFT + (int)m * TP_SLOT + TP_SLOT / 2, TP_TOP + TP_PLOT + 14);
        esc(out, b);
        fputs("</text>", out);
    }
    fputc('\n', out);
    /* the plan target: a dashed step, one level per month */
    for (size_t m = 0; m < n; m++)
        if (has_t[m]) {
            double y = panel_y(tg[m]->target, lo);
            fprintf(out, "<line class=\"tr-tgt\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>",
                    TP_LEFT + (int)m * TP_SLOT, y, TP_LEFT + (int)(m + 1) * TP_SLOT, y);
        }
    /* the rate: one polyline per run of months with a value */
    for (size_t m = 0; m < n;) {
        if (!has[m]) {
            m++;
            continue;
        }
        size_t e = m;
        while (e + 1 < n && has[e + 1])
            e++;
        if (e > m) {
            fputs("<polyline class=\"tr-line\" points=\"", out);
            for (size_t k = m; k <= e; k++)
                fprintf(out, "%s%d,%.1f", k > m ? " " : "",
                        TP_LEFT + (int)k * TP_SLOT + TP_SLOT / 2, panel_y(v[k], lo));
            fputs("\"/>", out);
        }
        m = e + 1;
    }
    fputc('\n', out);
    for (size_t m = 0; m < n; m++) {
        if (!has[m])
            continue;
        const char *cls = !tg[m] ? "b-none"
                          : strcmp(status_class(tg[m]->status), "missed") == 0 ? "b-missed"
                                                                                : "b-met";
        fprintf(out, "<circle class=\"%s\" cx=\"%d\" cy=\"%.1f\" r=\"3.5\"><title>", cls,
                TP_LEFT + (int)m * TP_SLOT + TP_SLOT / 2, panel_y(v[m], lo));
        month_long(rep->trend[m].period, b, sizeof b);
        fputs("Tháng ", out);
        esc(out, b);
        fmt_dec2(b, sizeof b, 0, v[m]);
        fprintf(out, ": %s%%", b);
        if (tg[m]) {
            fmt_target(b, sizeof b, tg[m]->target);
            fputs(" — mục tiêu ", out);
            esc(out, mc_wu_op_vi(tg[m]->op));
            fprintf(out, " %s%%: ", b);
            esc(out, mc_wu_status_vi(tg[m]->status));
        }
        fputs("</title></circle>", out);
    }
    if (!any)
        fprintf(out, "<text class=\"na\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">không có số "
                "liệu</text>", TP_LEFT + MC_TREND_MONTHS * TP_SLOT / 2, TP_TOP + TP_PLOT / 2);
    fputs("</g>\n", out);
}

static void trend_section(FILE *out, const mc_report *rep)
{
    const char *codes[MC_WU_TREND_UNITS];
    size_t left;
    size_t n = mc_wu_trend_units(rep, codes, MC_WU_TREND_UNITS, &left);
    char first[32], last[32];
    month_long(rep->trend[0].period, first, sizeof first);
    month_long(rep->trend[rep->n_trend - 1].period, last, sizeof last);
    fputs("<h2>3. Xu hướng 12 tháng</h2>\n<p class=\"meta\">Từ tháng ", out);
    esc(out, first);
    fputs(" đến tháng ", out);
    esc(out, last);
    fprintf(out, " (%s); mỗi tháng là một kỳ báo cáo, số liệu tính đến ngày cuối tháng "
            "hoặc ngày tính số liệu của kỳ, nếu sớm hơn. Đường liền: tỷ lệ thực tế "
            "(chấm <span class=\"met\">xanh lá</span>: đạt mục tiêu, "
            "<span class=\"missed\">đỏ</span>: không đạt, xanh dương: không có mục tiêu); "
            "đường đứt: mục tiêu kế hoạch.",
            strcmp(mc_wu_str(rep->convention), "cutoff") == 0
                ? "tháng theo kỳ chốt số liệu, từ ngày 15 tháng trước đến ngày 14"
                : "tháng dương lịch");
    if (left)
        fprintf(out, " Biểu đồ cho Tổng cộng và %zu đơn vị cấp cao nhất có nhiều hồ sơ "
                "nhất; %zu đơn vị khác xem trong bảng xu hướng của sổ tính (trend.csv).",
                n - 1, left);
    fputs("</p>\n", out);
    for (size_t i = 0; i < n; i++) {
        const mc_unit_row *row = NULL;
        for (size_t m = rep->n_trend; !row && m > 0; m--)
            row = mc_wu_row(&rep->trend[m - 1], codes[i]);
        const int width = MC_WU_TREND_RATES * TP_WIDTH;
        fprintf(out, "<figure class=\"trend\"><figcaption id=\"t-%zu\">", i);
        esc(out, row ? mc_wu_row_label(row) : codes[i]);
        /* a name the registry lacks is its own code */
        if (strcmp(codes[i], "ALL") != 0 && row && strcmp(mc_wu_row_label(row), codes[i]) != 0) {
            fputs(" (", out);
            esc(out, codes[i]);
            fputc(')', out);
        }
        fprintf(out,
                "</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
                "aria-labelledby=\"t-%zu\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
                i, width, TP_HEIGHT, width, TP_HEIGHT);
        for (int r = 0; r < MC_WU_TREND_RATES; r++)
            trend_panel(out, rep, codes[i], r, r * TP_WIDTH);
        fputs("</svg></figure>\n", out);
    }
}

static void quality_table(FILE *out, const mc_report *rep, int number)
{
    fprintf(out, "<h2>%d. Chất lượng dữ liệu</h2>", number);
    fputs("\n<div class=\"wrap\"><table>\n<thead><tr>"
          "<th>Kiểm tra</th><th>Giá trị</th><th>Trạng thái</th><th>Chi tiết</th>"
          "</tr></thead>\n<tbody>\n", out);
    for (size_t i = 0; i < rep->n_quality; i++) {
        const mc_quality_row *q = &rep->quality[i];
        fputs("<tr><td>", out);
        esc(out, q->name);
        fputs("</td><td class=\"n\">", out);
        esc(out, q->value);
        fprintf(out, "</td><td class=\"%s\">", quality_class(q->status));
        esc(out, mc_wu_quality_status_vi(q->status));
        fputs("</td><td>", out);
        esc(out, q->detail);
        fputs("</td></tr>\n", out);
    }
    if (rep->n_quality == 0)
        fputs("<tr><td colspan=\"4\">Không có kiểm tra nào.</td></tr>\n", out);
    fputs("</tbody></table></div>\n", out);
}

/* SPEC 14's paragraph heads the page, a line per paragraph element, as
 * `report --format summary` writes it. */
static void summary(FILE *out, const mc_report *rep)
{
    char *text;
    mc_error err;
    if (mc_summary_build(rep, rep->scope_unit[0] ? rep->scope_unit : NULL, &text, &err) != 0)
        return; /* no row for the unit: the tables below still say everything */
    fputs("<section class=\"summary\">\n<h2>Tóm tắt</h2>\n", out);
    for (char *line = text, *nl; *line; line = nl + 1) {
        nl = strchr(line, '\n');
        *nl = '\0';
        fputs("<p>", out);
        esc(out, line);
        fputs("</p>\n", out);
    }
    fputs("</section>\n", out);
    free(text);
}

/* ---- the cases behind the numbers (SPEC 12) -------------------------------- */

/* The page lists at most this many late cases; late.csv has them all. */
#define HTML_LATE_MAX 500

static const char cases_head[] =
    "<thead><tr><th>Mã đơn vị</th><th>Tên đơn vị</th><th>Mã hồ sơ</th><th>Mã TTHC</th>"
    "<th>Tên TTHC</th><th>Lĩnh vực</th><th>Kênh nộp</th><th>Trạng thái</th>"
    "<th>Ngày tiếp nhận</th><th>Ngày hẹn trả</th><th>Ngày kết thúc</th><th>Phân loại</th>"
    "<th>Từ kỳ trước</th><th>Số ngày trễ hạn</th><th>Văn bản xin lỗi</th></tr></thead>\n";
#define CASES_NCOLS 15

typedef struct {
    FILE *out;
    int64_t shown;
} html_cases;

static void td(FILE *out, const char *cls, const char *s)
{
    if (cls)
        fprintf(out, "<td class=\"%s\">", cls);
    else
        fputs("<td>", out);
    esc(out, s);
    fputs("</td>", out);
}

static int case_row_html(void *ctx, const mc_case_row *r, mc_error *err)
{
    html_cases *h = ctx;
    FILE *out = h->out;
    h->shown++;
    char b[64];
    fputs("<tr>", out);
    td(out, NULL, r->unit_code);
    td(out, NULL, r->unit_name);
    td(out, NULL, r->case_id);
    td(out, NULL, r->procedure_code);
    td(out, NULL, r->procedure_name);
    td(out, NULL, r->field_name);
    td(out, NULL, mc_channel_label_vi(r->channel));
    td(out, NULL, mc_status_label_vi(r->status));
    mc_wu_date_vi(r->received_at, b, sizeof b);
    td(out, NULL, b);
    mc_wu_date_vi(r->due_at, b, sizeof b);
    td(out, NULL, b);
    mc_wu_date_vi(r->end_at, b, sizeof b);
    td(out, NULL, b);
    td(out, NULL, mc_bucket_label_vi(r->bucket));
    td(out, NULL, r->carried_over ? "có" : "");
    b[0] = '\0';
    if (r->has_days_late)
        fmt_int(b, sizeof b, r->days_late);
    td(out, "n", b);
    td(out, r->apology ? NULL : "missed", r->apology ? "có" : "chưa có");
    fputs("</tr>\n", out);
    if (ferror(out))
        return mc_error_set(err, MC_EXIT_IO, "cannot write the HTML list of cases: %s",
                            strerror(errno ? errno : EIO));
    return 0;
}

/* The table of selection only of c, in order, at most max rows (0: all);
 * *more gets how many were left out. */
static int cases_table(FILE *out, mc_cases *c, int only, mc_case_order order, int64_t max,
                       int64_t *more, mc_error *err)
{
    html_cases h = {out, 0};
    fputs("<div class=\"wrap\"><table>\n", out);
    fputs(cases_head, out);
    fputs("<tbody>\n", out);
    int64_t all = 0;
    int st = mc_cases_each_first(c, only, order, max, case_row_html, &h, err);
    if (!st && max > 0 && h.shown == max)
        st = mc_cases_count(c, only, &all, err);
    if (st)
        return st;
    if (h.shown == 0)
        fprintf(out, "<tr><td colspan=\"%d\">Không có hồ sơ nào.</td></tr>\n", CASES_NCOLS);
    fputs("</tbody></table></div>\n", out);
    *more = all > h.shown ? all - h.shown : 0;
    return 0;
}

/* The run's page: the late cases without an apology letter, worst first,
 * as section number. */
static int late_section(FILE *out, mc_cases *c, int number, mc_error *err)
{
    fprintf(out, "<h2>%d. Hồ sơ trễ hạn chưa có văn bản xin lỗi</h2>\n<p class=\"meta\">Xếp "
            "theo số ngày trễ hạn, nhiều nhất trước.</p>\n", number);
    int64_t more = 0;
    int st = cases_table(out, c, MC_ONLY_LATE_WITHOUT_APOLOGY, MC_ORDER_WORST, HTML_LATE_MAX,
                         &more, err);
    if (st)
        return st;
    if (more) {
        char b[64];
        fmt_int(b, sizeof b, more);
        fprintf(out, "<p class=\"meta\">Trang này chỉ liệt kê %d hồ sơ đầu tiên; còn %s hồ sơ "
                "nữa. Danh sách đầy đủ các hồ sơ trễ hạn: tệp late.csv, hoặc lệnh "
                "<code>motcua report --table cases --only late</code>.</p>\n", HTML_LATE_MAX, b);
    }
    return 0;
}

/* The start of a page: its title, the headings and the reporting unit. */
static void page_start(FILE *out, const char *title, const char *h1, const char *unit,
                       const char *period, const char *start, const char *end,
                       const char *as_of)
{
    char s[64], e[64], a[64];
    mc_wu_date_vi(start, s, sizeof s);
    mc_wu_date_vi(end, e, sizeof e);
    mc_wu_date_vi(as_of, a, sizeof a);

    fputs("<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" "
          "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n<title>", out);
    esc(out, title);
    fputs(" – kỳ ", out);
    esc(out, period);
    fprintf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>", css);
    esc(out, h1);
    fputs("</h1>\n<p class=\"meta\">Đơn vị báo cáo: ", out);
    esc(out, unit && unit[0] ? unit : "Tất cả đơn vị");
    fputs("<br>\nKỳ báo cáo ", out);
    esc(out, period);
    fputs(": từ ngày ", out);
    esc(out, s);
    fputs(" đến ngày ", out);
    esc(out, e);
    fputs("<br>\nSố liệu tính đến ngày ", out);
    esc(out, a);
    fputs("</p>\n", out);
}

int mc_write_html(FILE *out, const mc_report *rep, mc_table t, mc_error *err)
{
    if (!out || !rep)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "html writer: no output or no report");
    if (!mc_wu_has_table(rep, t))
        return mc_error_set(err, MC_EXIT_SOFTWARE, "html writer: the report was computed "
                            "without this breakdown");
    errno = 0;
    if (t == MC_TABLE_FIELDS || t == MC_TABLE_PROCEDURES) {
        /* SPEC 11's breakdown alone */
        int by_procedure = t == MC_TABLE_PROCEDURES;
        page_start(out, by_procedure ? "Tình hình, kết quả giải quyết TTHC theo thủ tục"
                                     : "Tình hình, kết quả giải quyết TTHC theo lĩnh vực",
                   by_procedure ? "Tình hình, kết quả giải quyết thủ tục hành chính theo thủ tục"
                                : "Tình hình, kết quả giải quyết thủ tục hành chính theo lĩnh vực",
                   rep->reporting_unit, rep->period, rep->period_start, rep->period_end,
                   rep->as_of);
        group_table(out, rep, by_procedure);
        fputs("</body>\n</html>\n", out);
        if (fflush(out) != 0 || ferror(out))
            return mc_error_set(err, MC_EXIT_IO, "cannot write the HTML report: %s",
                                strerror(errno ? errno : EIO));
        return 0;
    }
    page_start(out, "Tình hình, kết quả giải quyết TTHC",
               "Tình hình, kết quả giải quyết thủ tục hành chính", rep->reporting_unit,
               rep->period, rep->period_start, rep->period_end, rep->as_of);
    summary(out, rep);
    units_table(out, rep);
    fputs("<h2>2. Các tỷ lệ so với chỉ tiêu kế hoạch</h2>\n", out);
    for (int r = 0; r < MC_R_COUNT; r++)
        chart(out, rep, (mc_rate)r);
    targets_table(out, rep);
    if (rep->trend && rep->n_trend)
        trend_section(out, rep);
    quality_table(out, rep, rep->trend && rep->n_trend ? 4 : 3);
    if (rep->cases) {
        int st = late_section(out, rep->cases, rep->trend && rep->n_trend ? 5 : 4, err);
        if (st)
            return st;
    }
    fputs("</body>\n</html>\n", out);

    if (fflush(out) != 0 || ferror(out))
        return mc_error_set(err, MC_EXIT_IO, "cannot write the HTML report: %s",
                            strerror(errno ? errno : EIO));
    return 0;
}

int mc_write_cases_html(FILE *out, mc_cases *c, int only, mc_error *err)
{
    if (!out || !c)
        return mc_error_set(err, MC_EXIT_SOFTWARE, "html writer: no output or no list");
    const mc_cases_info *info = mc_cases_get_info(c);
    errno = 0;
    page_start(out, "Danh sách hồ sơ", "Danh sách hồ sơ",
               info->unit_name ? (info->unit_name[0] ? info->unit_name : info->unit_code) : NULL,
               info->period, info->period_start, info->period_end, info->as_of);
    fputs("<h2>", out);
    esc(out, mc_cases_only_label_vi(only));
    fputs("</h2>\n", out);
    int64_t more = 0;
    int st = cases_table(out, c, only, MC_ORDER_UNIT, 0, &more, err);
    if (st)
        return st;
    fputs("</body>\n</html>\n", out);
    if (fflush(out) != 0 || ferror(out))
        return mc_error_set(err, MC_EXIT_IO, "cannot write the HTML list of cases: %s",
                            strerror(errno ? errno : EIO));
    return 0;
}
