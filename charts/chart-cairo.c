/*
 * chart-cairo.c — draws a chart model into a box on any cairo_t (layer 2).
 *
 * Sizes derive from one base font size FS, itself derived from the box, so
 * a chart looks the same on a slide-sized PNG and in a report column.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart-cairo.h"
#include "chart-internal.h"

struct frame {
    cairo_t *cr;
    const struct sv_chart *c;
    double x, y, w, h; /* what is left of the box */
    double fs;         /* base font size */
    struct sv_text_style body, small, soft, bold, title;
};

struct box {
    double x, y, w, h;
};

static int zh(const struct frame *f)
{
    return f->c->lang != SV_LANG_EN;
}

static struct sv_text_style style(const struct frame *f, double size,
                                  enum sv_text_weight wt, struct sv_rgb c)
{
    struct sv_text_style st = {sv_chart_font(f->c), size, wt, c.r, c.g, c.b};
    return st;
}

static double clampd(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static double tw(struct frame *f, const struct sv_text_style *st,
                 const char *s)
{
    double w;

    sv_chart_text_size(f->cr, st, s, 0, &w, NULL);
    return w;
}

static double th(struct frame *f, const struct sv_text_style *st)
{
    return sv_chart_text_line(f->cr, st);
}

static void fmt_value(const struct sv_chart *c, double v, char *buf,
                      size_t cap)
{
    if (c->unit == SV_UNIT_PERCENT)
        sv_chart_format_pct(buf, cap, v, 1);
    else
        sv_chart_format_num(buf, cap, v, fabs(v - round(v)) < 1e-9 ? 0 : 1);
}

/* Tick label: percentages without decimals when the step allows. */
static void fmt_tick(const struct sv_chart *c, double v, double step,
                     char *buf, size_t cap)
{
    int dec = step >= 1 - 1e-9 ? 0 : 1;

    if (c->unit == SV_UNIT_PERCENT)
        sv_chart_format_pct(buf, cap, v, dec);
    else
        sv_chart_format_num(buf, cap, v, dec);
}

/* A "nice" tick step (1, 2 or 5 times a power of ten) for SPAN. */
static double nice_step(double span, int ticks)
{
    double raw = span / (ticks > 0 ? ticks : 5);
    double p = pow(10.0, floor(log10(raw)));
    double m = raw / p;

    if (m <= 1.0)
        return p;
    if (m <= 2.0)
        return 2 * p;
    if (m <= 5.0)
        return 5 * p;
    return 10 * p;
}

static void line(cairo_t *cr, double x0, double y0, double x1, double y1)
{
    cairo_move_to(cr, x0, y0);
    cairo_line_to(cr, x1, y1);
    cairo_stroke(cr);
}

/* Title and subtitle; shrinks the frame. */
static void draw_header(struct frame *f)
{
    const struct sv_chart *c = f->c;
    double pad = f->fs * 0.9;

    f->x += pad;
    f->w -= 2 * pad;
    f->y += pad * 0.8;
    f->h -= pad * 1.6;
    if (c->title && c->title[0]) {
        double h = sv_chart_text_draw(f->cr, &f->title, c->title, f->x, f->y,
                                      0, 0, 0, f->w);
        f->y += h + f->fs * 0.15;
        f->h -= h + f->fs * 0.15;
    }
    if (c->subtitle && c->subtitle[0]) {
        double h = sv_chart_text_draw(f->cr, &f->soft, c->subtitle, f->x, f->y,
                                      0, 0, 0, f->w);
        f->y += h;
        f->h -= h;
    }
    if ((c->title && c->title[0]) || (c->subtitle && c->subtitle[0])) {
        f->y += f->fs * 0.8;
        f->h -= f->fs * 0.8;
    }
}

static const char *target_text(const struct frame *f, char *buf, size_t cap)
{
    char v[32];

    if (f->c->target_label)
        return f->c->target_label;
    fmt_value(f->c, f->c->target, v, sizeof v);
    snprintf(buf, cap, "%s %s", zh(f) ? "目标" : "Target", v);
    return buf;
}

static void dashed(cairo_t *cr, struct sv_rgb col, double width)
{
    double d[2] = {4 * width, 3 * width};

    sv_chart_set_rgb(cr, col);
    cairo_set_line_width(cr, width);
    cairo_set_dash(cr, d, 2, 0);
}

static void legend_swatch(cairo_t *cr, struct sv_rgb col, double x, double y,
                          double s)
{
    sv_chart_set_rgb(cr, col);
    cairo_rectangle(cr, x, y - s / 2, s, s);
    cairo_fill(cr);
}

/* ---- histogram ------------------------------------------------------ */

struct vaxis {
    double lo, hi, step;
};

static double vy(const struct vaxis *a, const struct box *b, double v)
{
    return b->y + b->h - (v - a->lo) / (a->hi - a->lo) * b->h;
}

/* Horizontal grid lines and tick labels left of B. */
static void draw_vgrid(struct frame *f, const struct vaxis *a,
                       const struct box *b, int labels, int pct)
{
    cairo_t *cr = f->cr;
    char buf[32];
    double v;

    cairo_set_line_width(cr, 0.6);
    for (v = a->lo; v <= a->hi + a->step * 1e-6; v += a->step) {
        double y = round(vy(a, b, v) * 2) / 2;
        sv_chart_set_rgb(cr, v <= a->lo + 1e-9 ? sv_chart_ink_soft
                                               : sv_chart_grid);
        line(cr, b->x, y, b->x + b->w, y);
        if (labels) {
            if (pct)
                sv_chart_format_pct(buf, sizeof buf, v, 0);
            else
                fmt_tick(f->c, v, a->step, buf, sizeof buf);
            sv_chart_text_draw(cr, &f->small, buf, b->x - f->fs * 0.4, y, 1,
                               0.5, 0, 0);
        }
    }
}

static struct sv_rgb bar_colour(const struct sv_chart *c, size_t k)
{
    if (c->highlight[k])
        return sv_chart_accent;
    if (c->flags & SV_CHART_ORDINAL)
        return sv_chart_colour(k, c->ncat, 1);
    return sv_chart_primary;
}

/* Category labels under slots of B; returns 0 when they do not fit. */
static int xlabels_fit(struct frame *f, const struct sv_text_style *st,
                       double slot)
{
    size_t k;

    for (k = 0; k < f->c->ncat; k++)
        if (tw(f, st, f->c->cats[k]) > slot * 0.96)
            return 0;
    return 1;
}

static void draw_hist_single(struct frame *f)
{
    const struct sv_chart *c = f->c;
    double *shares = calloc(c->ncat, sizeof *shares);
    double max = 0, lh = th(f, &f->small), slot, bw;
    struct vaxis a = {0, 0, 0};
    struct box b;
    char buf[64], pct[32];
    size_t k;

    if (!shares)
        return;
    sv_chart_shares(c, 0, shares, c->ncat);
    for (k = 0; k < c->ncat; k++)
        if (isfinite(c->ser[0].values[k]) && c->ser[0].values[k] > max)
            max = c->ser[0].values[k];
    a.step = nice_step(max > 0 ? max * 1.25 : 5, 5);
    if (a.step < 1 && c->unit == SV_UNIT_COUNT)
        a.step = 1;
    a.hi = ceil((max > 0 ? max * 1.25 : 5) / a.step) * a.step;
    if (isfinite(c->range_max)) {
        a.lo = c->range_min;
        a.hi = c->range_max;
        a.step = nice_step(a.hi - a.lo, 5);
    }
    fmt_tick(c, a.hi, a.step, buf, sizeof buf);
    b.x = f->x + tw(f, &f->small, buf) + f->fs * 0.8;
    b.y = f->y + lh * 1.4;
    b.w = f->x + f->w - b.x;
    b.h = f->h - lh * 1.4 - lh * 1.6
          - (c->xlabel ? lh * 1.3 : 0);
    sv_chart_text_draw(f->cr, &f->soft,
                       c->ylabel ? c->ylabel
                                 : c->unit == SV_UNIT_PERCENT
                                       ? "%"
                                       : zh(f) ? "份数" : "Count",
                       f->x, f->y, 0, 0, 0, 0);
    draw_vgrid(f, &a, &b, 1, 0);
    slot = b.w / (double)c->ncat;
    bw = fmin(slot * 0.62, f->fs * 9);
    for (k = 0; k < c->ncat; k++) {
        double v = c->ser[0].values[k], cx = b.x + slot * (k + 0.5);
        double y0 = vy(&a, &b, a.lo), y1;
        sv_chart_text_draw(f->cr, &f->body, c->cats[k], cx, y0 + lh * 0.35,
                           0.5, 0, 0, slot * 0.98);
        if (!isfinite(v))
            continue;
        y1 = vy(&a, &b, clampd(v, a.lo, a.hi));
        sv_chart_set_rgb(f->cr, bar_colour(c, k));
        cairo_rectangle(f->cr, cx - bw / 2, y1, bw, y0 - y1);
        cairo_fill(f->cr);
        if (c->flags & SV_CHART_NO_VALUES)
            continue;
        fmt_value(c, v, buf, sizeof buf);
        if (c->unit == SV_UNIT_COUNT) {
            sv_chart_format_pct(pct, sizeof pct, shares[k], 1);
            size_t len = strlen(buf);
            snprintf(buf + len, sizeof buf - len, " (%s)", pct);
        }
        sv_chart_text_draw(f->cr, &f->bold, buf, cx, y1 - f->fs * 0.3, 0.5, 1,
                           0, 0);
    }
    if (c->xlabel)
        sv_chart_text_draw(f->cr, &f->soft, c->xlabel, b.x + b.w / 2,
                           f->y + f->h, 0.5, 1, 0, 0);
    free(shares);
}

/* A row of legend entries centred at Y across the frame; returns height. */
static double draw_legend_row(struct frame *f, double y, int lines)
{
    const struct sv_chart *c = f->c;
    size_t n = lines ? c->nser : c->ncat, k;
    double sw = f->fs * 0.8, gap = f->fs * 1.4, total = 0, x;

    for (k = 0; k < n; k++) {
        const char *s = lines ? c->ser[k].name : c->cats[k];
        total += sw + f->fs * 0.4 + tw(f, &f->small, s ? s : "") + gap;
    }
    x = f->x + (f->w - (total - gap)) / 2;
    if (x < f->x)
        x = f->x;
    for (k = 0; k < n; k++) {
        const char *s = lines ? c->ser[k].name : c->cats[k];
        struct sv_rgb col = sv_chart_colour(k, n, !lines
                                                  && (c->flags
                                                      & SV_CHART_ORDINAL));
        if (lines) {
            sv_chart_set_rgb(f->cr, col);
            cairo_set_line_width(f->cr, 2);
            line(f->cr, x - sw * 0.3, y, x + sw * 1.3, y);
            cairo_arc(f->cr, x + sw / 2, y, f->fs * 0.28, 0, 2 * M_PI);
            cairo_fill(f->cr);
            x += sw * 0.6;
        } else {
            legend_swatch(f->cr, col, x, y, sw);
        }
        x += sw + f->fs * 0.4;
        sv_chart_text_draw(f->cr, &f->small, s ? s : "", x, y, 0, 0.5, 0, 0);
        x += tw(f, &f->small, s ? s : "") + gap;
    }
    return th(f, &f->small) * 1.6;
}

static void draw_panel(struct frame *f, size_t s, struct box p, int ylabels,
                       int xlabels)
{
    const struct sv_chart *c = f->c;
    double shares[64], total = 0, lh = th(f, &f->small), slot, bw;
    struct vaxis a = {0, 100, 50};
    struct sv_chart_series *ser = &c->ser[s];
    struct box b;
    char buf[48];
    size_t k, n = c->ncat < 64 ? c->ncat : 64;

    if (sv_chart_shares(c, s, shares, c->ncat) != SV_CHART_OK)
        return;
    for (k = 0; k < n; k++)
        if (isfinite(ser->values[k]) && ser->values[k] > 0)
            total += ser->values[k];
    sv_chart_text_draw(f->cr, &f->bold, ser->name ? ser->name : "",
                       p.x + p.w / 2, p.y, 0.5, 0, 0, p.w);
    snprintf(buf, sizeof buf, "n = %s",
             sv_chart_format_num((char[32]){0}, 32, total, 0));
    sv_chart_text_draw(f->cr, &f->soft, buf, p.x + p.w / 2, p.y + lh * 1.15,
                       0.5, 0, 0, p.w);
    b.x = p.x;
    b.w = p.w;
    b.y = p.y + lh * 3.3;
    b.h = p.h - lh * 3.3 - (xlabels ? lh * 1.4 : lh * 0.3);
    draw_vgrid(f, &a, &b, ylabels, 1);
    slot = b.w / (double)n;
    bw = slot * 0.66;
    for (k = 0; k < n; k++) {
        double cx = b.x + slot * (k + 0.5), y0 = vy(&a, &b, 0);
        double y1 = vy(&a, &b, shares[k]);
        sv_chart_set_rgb(f->cr, bar_colour(c, k));
        cairo_rectangle(f->cr, cx - bw / 2, y1, bw, y0 - y1);
        cairo_fill(f->cr);
        if (!(c->flags & SV_CHART_NO_VALUES))
            sv_chart_text_draw(f->cr, &f->small,
                               sv_chart_format_pct(buf, sizeof buf, shares[k],
                                                   1),
                               cx, y1 - f->fs * 0.2, 0.5, 1, 0, 0);
        if (xlabels)
            sv_chart_text_draw(f->cr, &f->small, c->cats[k], cx,
                               y0 + lh * 0.25, 0.5, 0, 0, slot);
    }
}

static void draw_hist_grid(struct frame *f)
{
    const struct sv_chart *c = f->c;
    size_t n = c->nser, cols = (size_t)ceil(sqrt((double)n)), rows, i;
    double gapx, gapy, pw, ph, left;
    int xl;

    rows = (n + cols - 1) / cols;
    f->y += draw_legend_row(f, f->y + th(f, &f->small) / 2, 0);
    f->h -= th(f, &f->small) * 1.6;
    left = tw(f, &f->small, "100%") + f->fs * 0.6;
    gapx = f->fs * 2.2;
    gapy = f->fs * 1.6;
    pw = (f->w - left - gapx * (double)(cols - 1)) / (double)cols;
    ph = (f->h - gapy * (double)(rows - 1)) / (double)rows;
    xl = xlabels_fit(f, &f->small, pw / (double)c->ncat);
    for (i = 0; i < n; i++) {
        struct box p = {f->x + left + (double)(i % cols) * (pw + gapx),
                        f->y + (double)(i / cols) * (ph + gapy), pw, ph};
        draw_panel(f, i, p, i % cols == 0, xl);
    }
}

/* ---- pie ------------------------------------------------------------ */

struct pie_label {
    double a, y, want; /* mid angle, placed y, wanted y */
    size_t k;
    int right;
};

/* Spreads labels of one side so that they are at least GAP apart. */
static void spread(struct pie_label **l, size_t n, double gap, double top,
                   double bottom)
{
    size_t i;

    for (i = 0; i < n; i++) {
        double lo = i ? l[i - 1]->y + gap : top;
        l[i]->y = fmax(l[i]->want, lo);
    }
    for (i = n; i-- > 0;) {
        double hi = i + 1 < n ? l[i + 1]->y - gap : bottom;
        if (l[i]->y > hi)
            l[i]->y = hi;
    }
}

static int cmp_label(const void *a, const void *b)
{
    const struct pie_label *x = *(struct pie_label *const *)a;
    const struct pie_label *y = *(struct pie_label *const *)b;
    return (x->want > y->want) - (x->want < y->want);
}

static double pie_legend_width(struct frame *f, const double *vals)
{
    double w = 0;
    char buf[64];
    size_t k;

    for (k = 0; k < f->c->ncat; k++) {
        fmt_value(f->c, vals[k], buf, sizeof buf);
        w = fmax(w, tw(f, &f->small, f->c->cats[k]) + f->fs * 1.2
                        + tw(f, &f->small, buf) + f->fs * 1.6);
    }
    return w;
}

static void draw_pie_legend(struct frame *f, struct box lb, const double *v)
{
    double lh = th(f, &f->small) * 1.55;
    double y = lb.y + (lb.h - lh * (double)f->c->ncat) / 2 + lh / 2;
    char buf[64];
    size_t k;

    for (k = 0; k < f->c->ncat; k++, y += lh) {
        legend_swatch(f->cr,
                      sv_chart_colour(k, f->c->ncat,
                                      f->c->flags & SV_CHART_ORDINAL),
                      lb.x, y, f->fs * 0.8);
        sv_chart_text_draw(f->cr, &f->small, f->c->cats[k],
                           lb.x + f->fs * 1.2, y, 0, 0.5, 0, 0);
        fmt_value(f->c, v[k], buf, sizeof buf);
        sv_chart_text_draw(f->cr, &f->soft, buf, lb.x + lb.w, y, 1, 0.5, 0,
                           0);
    }
}

static void draw_pie_labels(struct frame *f, struct pie_label *lab, size_t n,
                            const double *shares, double cx, double cy,
                            double r, double top, double bottom)
{
    struct pie_label **side = malloc((n ? n : 1) * sizeof *side);
    double lh = th(f, &f->small) * 1.05;
    char buf[96], pct[32];
    int s;
    size_t i, m;

    if (!side)
        return;
    for (s = 0; s < 2; s++) {
        for (i = 0, m = 0; i < n; i++)
            if (lab[i].right == s)
                side[m++] = &lab[i];
        qsort(side, m, sizeof *side, cmp_label);
        spread(side, m, lh, top + lh / 2, bottom - lh / 2);
        for (i = 0; i < m; i++) {
            struct pie_label *l = side[i];
            double dir = l->right ? 1 : -1;
            double ex = cx + cos(l->a) * (r + f->fs * 0.8);
            double ey = cy + sin(l->a) * (r + f->fs * 0.8);
            double lx = cx + dir * (r + f->fs * 2.2);
            sv_chart_set_rgb(f->cr, sv_chart_ink_soft);
            cairo_set_line_width(f->cr, 0.7);
            cairo_move_to(f->cr, cx + cos(l->a) * r * 0.98,
                          cy + sin(l->a) * r * 0.98);
            cairo_line_to(f->cr, ex, ey);
            cairo_line_to(f->cr, lx, l->y);
            cairo_stroke(f->cr);
            snprintf(buf, sizeof buf, "%s %s", f->c->cats[l->k],
                     sv_chart_format_pct(pct, sizeof pct, shares[l->k], 1));
            sv_chart_text_draw(f->cr, &f->small, buf, lx + dir * f->fs * 0.3,
                               l->y, l->right ? 0 : 1, 0.5, 0, 0);
        }
    }
    free(side);
}

static void draw_pie(struct frame *f)
{
    const struct sv_chart *c = f->c;
    const double *v = c->ser[0].values;
    double *shares = calloc(c->ncat, sizeof *shares);
    struct pie_label *lab = calloc(c->ncat, sizeof *lab);
    double total = 0, lw, maxl = 0, cx, cy, r, a0 = -M_PI / 2;
    struct box lb;
    char buf[96], pct[32];
    size_t k, nl = 0;

    if (!shares || !lab)
        goto done;
    sv_chart_shares(c, 0, shares, c->ncat);
    for (k = 0; k < c->ncat; k++) {
        if (isfinite(v[k]) && v[k] > 0)
            total += v[k];
        snprintf(buf, sizeof buf, "%s %s", c->cats[k],
                 sv_chart_format_pct(pct, sizeof pct, shares[k], 1));
        maxl = fmax(maxl, tw(f, &f->small, buf));
    }
    lw = fmin(pie_legend_width(f, v), f->w * 0.34);
    lb.x = f->x + f->w - lw;
    lb.w = lw;
    lb.y = f->y;
    lb.h = f->h;
    cx = f->x + (f->w - lw - f->fs) / 2;
    r = fmin((f->w - lw - f->fs) / 2 - maxl - f->fs * 2.8,
             f->h / 2 - th(f, &f->small));
    r = fmax(r, f->fs * 3);
    cy = f->y + f->h / 2;
    for (k = 0; k < c->ncat; k++) {
        double a1;
        if (!(total > 0) || !(shares[k] > 0))
            continue;
        a1 = a0 + (isfinite(v[k]) ? v[k] : 0) / total * 2 * M_PI;
        sv_chart_set_rgb(f->cr, sv_chart_colour(k, c->ncat,
                                                c->flags & SV_CHART_ORDINAL));
        cairo_move_to(f->cr, cx, cy);
        cairo_arc(f->cr, cx, cy, r, a0, a1);
        cairo_close_path(f->cr);
        cairo_fill_preserve(f->cr);
        cairo_set_source_rgb(f->cr, 1, 1, 1);
        cairo_set_line_width(f->cr, 1.2);
        cairo_stroke(f->cr);
        lab[nl].a = (a0 + a1) / 2;
        lab[nl].want = cy + sin(lab[nl].a) * (r + f->fs * 0.8);
        lab[nl].right = cos(lab[nl].a) >= 0;
        lab[nl++].k = k;
        a0 = a1;
    }
    /* The hole of the donut carries the total. */
    cairo_set_source_rgb(f->cr, 1, 1, 1);
    cairo_arc(f->cr, cx, cy, r * 0.56, 0, 2 * M_PI);
    cairo_fill(f->cr);
    fmt_value(c, total, buf, sizeof buf);
    sv_chart_text_draw(f->cr, &f->title, buf, cx, cy, 0.5, 0.75, 0, 0);
    sv_chart_text_draw(f->cr, &f->soft, zh(f) ? "合计" : "Total", cx, cy,
                       0.5, -0.2, 0, 0);
    if (!(c->flags & SV_CHART_NO_VALUES))
        draw_pie_labels(f, lab, nl, shares, cx, cy, r, f->y, f->y + f->h);
    draw_pie_legend(f, lb, v);
done:
    free(shares);
    free(lab);
}

/* ---- horizontal bars ------------------------------------------------ */

static double hx(const struct vaxis *a, const struct box *b, double v)
{
    return b->x + (clampd(v, a->lo, a->hi) - a->lo) / (a->hi - a->lo) * b->w;
}

static struct vaxis value_axis(const struct sv_chart *c)
{
    struct vaxis a = {0, 100, 20};
    double max = 0;
    size_t k;

    if (isfinite(c->range_min)) {
        a.lo = c->range_min;
        a.hi = c->range_max;
        a.step = nice_step(a.hi - a.lo, 5);
        return a;
    }
    if (c->unit == SV_UNIT_PERCENT)
        return a;
    for (k = 0; k < c->ncat; k++) {
        double v = fmax(c->ser[0].values[k], c->ser[0].high[k]);
        if (isfinite(v) && v > max)
            max = v;
    }
    if (isfinite(c->target) && c->target > max)
        max = c->target;
    a.step = nice_step(max > 0 ? max : 5, 5);
    a.hi = ceil((max > 0 ? max : 5) / a.step) * a.step;
    return a;
}

/* Whisker from LOW to HIGH at height Y with caps of half-height CAP. */
static void hwhisker(cairo_t *cr, double x0, double x1, double y, double cap)
{
    cairo_set_source_rgb(cr, 0.15, 0.15, 0.18);
    cairo_set_line_width(cr, 1.0);
    line(cr, x0, y, x1, y);
    line(cr, x0, y - cap, x0, y + cap);
    line(cr, x1, y - cap, x1, y + cap);
}

static void draw_bar_legend(struct frame *f, double y)
{
    const struct sv_chart *c = f->c;
    int any_hl = 0, any_ci = 0;
    double x = f->x + f->w, s = f->fs * 0.8;
    const char *t;
    size_t k;

    for (k = 0; k < c->ncat; k++) {
        any_hl |= c->highlight[k];
        any_ci |= isfinite(c->ser[0].low[k]) && isfinite(c->ser[0].high[k]);
    }
    if (any_ci) {
        t = zh(f) ? "95% 置信区间" : "95% interval";
        x -= tw(f, &f->small, t);
        sv_chart_text_draw(f->cr, &f->small, t, x, y, 0, 0.5, 0, 0);
        x -= f->fs * 0.4 + s * 1.6;
        hwhisker(f->cr, x, x + s * 1.6, y, s * 0.4);
        x -= f->fs * 1.4;
    }
    if (any_hl) {
        t = zh(f) ? "短板" : "Weak";
        x -= tw(f, &f->small, t);
        sv_chart_text_draw(f->cr, &f->small, t, x, y, 0, 0.5, 0, 0);
        x -= f->fs * 0.4 + s;
        legend_swatch(f->cr, sv_chart_accent, x, y, s);
    }
}

static void draw_bar_xaxis(struct frame *f, const struct vaxis *a,
                           const struct box *b)
{
    cairo_t *cr = f->cr;
    char buf[32];
    double v;

    cairo_set_line_width(cr, 0.6);
    for (v = a->lo; v <= a->hi + a->step * 1e-6; v += a->step) {
        double x = round(hx(a, b, v) * 2) / 2;
        sv_chart_set_rgb(cr, v <= a->lo + 1e-9 ? sv_chart_ink_soft
                                               : sv_chart_grid);
        line(cr, x, b->y, x, b->y + b->h);
        fmt_tick(f->c, v, a->step, buf, sizeof buf);
        sv_chart_text_draw(cr, &f->small, buf, x, b->y + b->h + f->fs * 0.3,
                           0.5, 0, 0, 0);
    }
}

/*
 * The reference line of a bar chart (the company's rate in an office's
 * report): solid, in the ink colour, labelled a row above the target's.
 */
static void draw_bar_reference(struct frame *f, const struct vaxis *a,
                               const struct box *b)
{
    double x, lh = th(f, &f->small);

    if (!isfinite(f->c->ref) || f->c->ref < a->lo || f->c->ref > a->hi)
        return;
    x = hx(a, b, f->c->ref);
    cairo_save(f->cr);
    sv_chart_set_rgb(f->cr, sv_chart_ink_soft);
    cairo_set_line_width(f->cr, 1.1);
    line(f->cr, x, b->y - f->fs * 0.4 - lh * 1.3, x, b->y + b->h);
    cairo_restore(f->cr);
    sv_chart_text_draw(f->cr, &f->small, f->c->ref_label ? f->c->ref_label
                                                          : "",
                       fmin(x, b->x + b->w), b->y - f->fs * 0.5 - lh * 1.3,
                       x > b->x + b->w * 0.85 ? 1 : 0.5, 1, 0, 0);
}

static void draw_bar_target(struct frame *f, const struct vaxis *a,
                            const struct box *b)
{
    char buf[64];
    double x;

    draw_bar_reference(f, a, b);
    if (!isfinite(f->c->target) || f->c->target < a->lo
        || f->c->target > a->hi)
        return;
    x = hx(a, b, f->c->target);
    cairo_save(f->cr);
    dashed(f->cr, sv_chart_accent, 1.1);
    line(f->cr, x, b->y - f->fs * 0.4, x, b->y + b->h);
    cairo_restore(f->cr);
    sv_chart_text_draw(f->cr, &f->small, target_text(f, buf, sizeof buf),
                       fmin(x, b->x + b->w), b->y - f->fs * 0.5,
                       x > b->x + b->w * 0.85 ? 1 : 0.5, 1, 0, 0);
}

/* Value label on a white ground, so a target line behind stays legible. */
static void halo_text(struct frame *f, const struct sv_text_style *st,
                      const char *s, double x, double y)
{
    double w, h;

    sv_chart_text_size(f->cr, st, s, 0, &w, &h);
    cairo_set_source_rgb(f->cr, 1, 1, 1);
    cairo_rectangle(f->cr, x - 1, y - h * 0.4, w + 2, h * 0.8);
    cairo_fill(f->cr);
    sv_chart_text_draw(f->cr, st, s, x, y, 0, 0.5, 0, 0);
}

/* Colour of series SI's bar in category K. */
static struct sv_rgb bar_fill(const struct sv_chart *c, size_t si, size_t k)
{
    if (c->nser > 1)
        return sv_chart_colour(si, c->nser, 0);
    return c->highlight[k] ? sv_chart_accent : sv_chart_primary;
}

/*
 * Bar, whisker and (when LABELS) the value label of series SI in category
 * K at CY.
 */
static void draw_one_bar(struct frame *f, const struct vaxis *a,
                         const struct box *b, size_t si, size_t k, double cy,
                         double bh, int labels)
{
    const struct sv_chart *c = f->c;
    const struct sv_chart_series *s = &c->ser[si];
    int hl = c->nser == 1 && c->highlight[k];
    struct sv_text_style vs = hl ? f->bold : f->small;
    double v = s->values[k], xe;
    int ci = isfinite(s->low[k]) && isfinite(s->high[k]);
    char buf[48];

    if (!isfinite(v))
        return;
    xe = hx(a, b, v);
    if (ci)
        xe = fmax(xe, hx(a, b, s->high[k]));
    if (!labels) {
        sv_chart_set_rgb(f->cr, bar_fill(c, si, k));
        cairo_rectangle(f->cr, b->x, cy - bh / 2, hx(a, b, v) - b->x, bh);
        cairo_fill(f->cr);
        if (ci)
            hwhisker(f->cr, hx(a, b, s->low[k]), hx(a, b, s->high[k]), cy,
                     bh * 0.25);
        return;
    }
    /* side by side, a label only where the bar is tall enough for it */
    if ((c->flags & SV_CHART_NO_VALUES) || bh < th(f, &f->small) * 0.8)
        return;
    if (hl) {
        vs.r = sv_chart_accent.r;
        vs.g = sv_chart_accent.g;
        vs.b = sv_chart_accent.b;
    }
    fmt_value(c, v, buf, sizeof buf);
    halo_text(f, &vs, buf, xe + f->fs * 0.35, cy);
}

/* The series of a grouped bar chart: swatch and name, right-aligned. */
static void draw_group_legend(struct frame *f, double y)
{
    const struct sv_chart *c = f->c;
    double x = f->x + f->w, s = f->fs * 0.8;
    size_t i;

    for (i = c->nser; i-- > 0;) {
        const char *name = c->ser[i].name ? c->ser[i].name : "";
        x -= tw(f, &f->small, name);
        sv_chart_text_draw(f->cr, &f->small, name, x, y, 0, 0.5, 0, 0);
        x -= f->fs * 0.4 + s;
        legend_swatch(f->cr, sv_chart_colour(i, c->nser, 0), x, y, s);
        x -= f->fs * 1.2;
    }
}

static void draw_bar(struct frame *f)
{
    const struct sv_chart *c = f->c;
    size_t *order = malloc(c->ncat * sizeof *order), i, si;
    double lh = th(f, &f->small), labw = 0, valw, slot, bh, sub;
    struct vaxis a = value_axis(c);
    struct box b;
    char buf[48];
    int pass;

    if (!order)
        return;
    sv_chart_order(c, order, c->ncat);
    for (i = 0; i < c->ncat; i++)
        labw = fmax(labw, tw(f, &f->body, c->cats[i]));
    labw = fmin(labw, f->w * 0.32);
    fmt_value(c, a.hi, buf, sizeof buf);
    valw = tw(f, &f->bold, buf) + f->fs * 0.8;
    b.x = f->x + labw + f->fs * 0.8;
    b.w = f->x + f->w - valw - b.x;
    b.y = f->y + (isfinite(c->target) ? lh * 1.3 : 0)
          + (isfinite(c->ref) ? lh * 1.3 : 0);
    b.h = f->y + f->h - b.y - lh * 1.5 - lh * 1.8;
    draw_bar_xaxis(f, &a, &b);
    slot = b.h / (double)c->ncat;
    bh = fmin(slot * 0.62, f->fs * 2.4);
    for (i = 0; i < c->ncat; i++)
        sv_chart_text_draw(f->cr, c->highlight[order[i]] ? &f->bold : &f->body,
                           c->cats[order[i]], b.x - f->fs * 0.6,
                           b.y + slot * (i + 0.5), 1, 0.5, 0, labw);
    /* Bars, then the target line over them, then the labels on top;
     * several series share a category's slot, one thin bar each. */
    sub = c->nser > 1 ? slot * 0.8 / (double)c->nser : bh;
    for (pass = 0; pass < 2; pass++) {
        if (pass == 1)
            draw_bar_target(f, &a, &b);
        for (i = 0; i < c->ncat; i++)
            for (si = 0; si < c->nser; si++)
                draw_one_bar(f, &a, &b, si, order[i],
                             b.y + slot * (i + 0.5)
                                 + (c->nser > 1 ? ((double)si + 0.5) * sub
                                                      - slot * 0.4
                                                : 0),
                             c->nser > 1 ? sub * 0.9 : bh, pass);
    }
    sv_chart_text_draw(f->cr, &f->soft,
                       c->xlabel ? c->xlabel
                                 : c->unit == SV_UNIT_PERCENT
                                       ? (zh(f) ? "满意率" : "Satisfaction")
                                       : "",
                       b.x, f->y + f->h - lh * 0.9, 0, 0.5, 0, 0);
    if (c->nser > 1)
        draw_group_legend(f, f->y + f->h - lh * 0.9);
    else
        draw_bar_legend(f, f->y + f->h - lh * 0.9);
    free(order);
}

/* ---- trend ---------------------------------------------------------- */

static struct vaxis trend_axis(const struct sv_chart *c)
{
    double lo = INFINITY, hi = -INFINITY, span;
    struct vaxis a;
    size_t s, k;

    if (isfinite(c->range_min)) {
        a.lo = c->range_min;
        a.hi = c->range_max;
        a.step = nice_step(a.hi - a.lo, 5);
        return a;
    }
    for (s = 0; s < c->nser; s++)
        for (k = 0; k < c->ncat; k++) {
            double v[3] = {c->ser[s].values[k], c->ser[s].low[k],
                           c->ser[s].high[k]};
            int j;
            for (j = 0; j < 3; j++)
                if (isfinite(v[j])) {
                    lo = fmin(lo, v[j]);
                    hi = fmax(hi, v[j]);
                }
        }
    if (isfinite(c->target)) {
        lo = fmin(lo, c->target);
        hi = fmax(hi, c->target);
    }
    if (isfinite(c->ref)) {
        lo = fmin(lo, c->ref);
        hi = fmax(hi, c->ref);
    }
    if (!isfinite(lo)) {
        lo = 0;
        hi = c->unit == SV_UNIT_PERCENT ? 100 : 1;
    }
    span = fmax(hi - lo, c->unit == SV_UNIT_PERCENT ? 10 : 1);
    a.step = nice_step(span * 1.2, 5);
    a.lo = floor((lo - span * 0.1) / a.step) * a.step;
    a.hi = ceil((hi + span * 0.1) / a.step) * a.step;
    if (c->unit == SV_UNIT_PERCENT) {
        a.lo = fmax(a.lo, 0);
        a.hi = fmin(a.hi, 100);
    } else if (lo >= 0) {
        a.lo = fmax(a.lo, 0);
    }
    if (!(a.hi > a.lo))
        a.hi = a.lo + a.step;
    return a;
}

static void draw_band(struct frame *f, const struct sv_chart_series *s,
                      const struct vaxis *a, const struct box *b, double slot,
                      struct sv_rgb col)
{
    size_t k = 0, n = f->c->ncat, j;

    while (k < n) {
        size_t e = k;
        if (!isfinite(s->low[k]) || !isfinite(s->high[k])) {
            k++;
            continue;
        }
        while (e + 1 < n && isfinite(s->low[e + 1]) && isfinite(s->high[e + 1]))
            e++;
        cairo_new_path(f->cr);
        for (j = k; j <= e; j++)
            cairo_line_to(f->cr, b->x + slot * (j + 0.5),
                          vy(a, b, s->high[j]));
        for (j = e + 1; j-- > k;)
            cairo_line_to(f->cr, b->x + slot * (j + 0.5),
                          vy(a, b, s->low[j]));
        cairo_close_path(f->cr);
        cairo_set_source_rgba(f->cr, col.r, col.g, col.b, 0.16);
        cairo_fill(f->cr);
        k = e + 1;
    }
}

static void draw_series(struct frame *f, size_t si, const struct vaxis *a,
                        const struct box *b, double slot)
{
    const struct sv_chart *c = f->c;
    const struct sv_chart_series *s = &c->ser[si];
    struct sv_rgb col = sv_chart_colour(si, c->nser, 0);
    int band = (c->flags & SV_CHART_BAND) != 0, open = 0;
    char buf[32];
    size_t k;

    if (band)
        draw_band(f, s, a, b, slot, col);
    for (k = 0; k < c->ncat; k++) {
        double x = b->x + slot * (k + 0.5);
        if (!band && isfinite(s->low[k]) && isfinite(s->high[k])) {
            sv_chart_set_rgb(f->cr, col);
            cairo_set_line_width(f->cr, 1.0);
            line(f->cr, x, vy(a, b, s->low[k]), x, vy(a, b, s->high[k]));
            line(f->cr, x - 3, vy(a, b, s->low[k]), x + 3, vy(a, b, s->low[k]));
            line(f->cr, x - 3, vy(a, b, s->high[k]), x + 3,
                 vy(a, b, s->high[k]));
        }
    }
    sv_chart_set_rgb(f->cr, col);
    cairo_set_line_width(f->cr, 2.0);
    cairo_set_line_join(f->cr, CAIRO_LINE_JOIN_ROUND);
    for (k = 0; k < c->ncat; k++) {
        double v = s->values[k], x = b->x + slot * (k + 0.5);
        if (!isfinite(v)) {
            open = 0;
            continue;
        }
        if (open)
            cairo_line_to(f->cr, x, vy(a, b, v));
        else
            cairo_move_to(f->cr, x, vy(a, b, v));
        open = 1;
    }
    cairo_stroke(f->cr);
    for (k = 0; k < c->ncat; k++) {
        double v = s->values[k], x = b->x + slot * (k + 0.5), y, ly;
        if (!isfinite(v))
            continue;
        y = vy(a, b, v);
        cairo_new_path(f->cr);
        cairo_arc(f->cr, x, y, f->fs * 0.32, 0, 2 * M_PI);
        cairo_set_source_rgb(f->cr, 1, 1, 1);
        cairo_fill_preserve(f->cr);
        sv_chart_set_rgb(f->cr, col);
        cairo_set_line_width(f->cr, 1.6);
        cairo_stroke(f->cr);
        if (c->nser > 1 || (c->flags & SV_CHART_NO_VALUES))
            continue;
        ly = y - f->fs * 0.6;
        if (!band && isfinite(s->high[k]))
            ly = fmin(ly, vy(a, b, s->high[k]) - f->fs * 0.3);
        fmt_value(c, v, buf, sizeof buf);
        sv_chart_text_draw(f->cr, &f->bold, buf, x + f->fs * 0.1, ly, 0.5, 1,
                           0, 0);
    }
}

static void draw_trend_target(struct frame *f, const struct vaxis *a,
                              const struct box *b)
{
    char buf[64];
    double y;

    if (isfinite(f->c->ref) && f->c->ref >= a->lo && f->c->ref <= a->hi) {
        y = vy(a, b, f->c->ref);
        cairo_save(f->cr);
        sv_chart_set_rgb(f->cr, sv_chart_ink_soft);
        cairo_set_line_width(f->cr, 1.1);
        line(f->cr, b->x, y, b->x + b->w, y);
        cairo_restore(f->cr);
        sv_chart_text_draw(f->cr, &f->small, f->c->ref_label
                           ? f->c->ref_label : "", b->x, y - f->fs * 0.2,
                           0, 1, 0, 0);
    }
    if (!isfinite(f->c->target) || f->c->target < a->lo
        || f->c->target > a->hi)
        return;
    y = vy(a, b, f->c->target);
    cairo_save(f->cr);
    dashed(f->cr, sv_chart_accent, 1.1);
    line(f->cr, b->x, y, b->x + b->w, y);
    cairo_restore(f->cr);
    sv_chart_text_draw(f->cr, &f->small, target_text(f, buf, sizeof buf),
                       b->x + b->w, y - f->fs * 0.2, 1, 1, 0, 0);
}

static void draw_trend(struct frame *f)
{
    const struct sv_chart *c = f->c;
    struct vaxis a = trend_axis(c);
    double lh = th(f, &f->small), slot;
    struct sv_text_style xs = f->body;
    struct box b;
    char buf[32];
    size_t k, s, every = 1;

    if (c->nser > 1) {
        draw_legend_row(f, f->y + lh / 2, 1);
        f->y += lh * 1.8;
        f->h -= lh * 1.8;
    }
    fmt_tick(c, a.hi, a.step, buf, sizeof buf);
    b.x = f->x + tw(f, &f->small, buf) + f->fs * 0.8;
    b.w = f->x + f->w - b.x;
    b.y = f->y + lh * 1.5;
    b.h = f->h - lh * 1.5 - lh * 1.8 - (c->xlabel ? lh * 1.3 : 0);
    sv_chart_text_draw(f->cr, &f->soft,
                       c->ylabel ? c->ylabel
                                 : c->unit == SV_UNIT_PERCENT
                                       ? (zh(f) ? "满意率" : "Satisfaction")
                                       : "",
                       f->x, f->y, 0, 0, 0, 0);
    draw_vgrid(f, &a, &b, 1, 0);
    slot = b.w / (double)c->ncat;
    if (!xlabels_fit(f, &xs, slot))
        xs = f->small;
    while (every < c->ncat && !xlabels_fit(f, &xs, slot * (double)every))
        every++;
    for (k = 0; k < c->ncat; k += every)
        sv_chart_text_draw(f->cr, &xs, c->cats[k], b.x + slot * (k + 0.5),
                           b.y + b.h + lh * 0.35, 0.5, 0, 0, 0);
    draw_trend_target(f, &a, &b);
    for (s = 0; s < c->nser; s++)
        draw_series(f, s, &a, &b, slot);
    if (c->xlabel)
        sv_chart_text_draw(f->cr, &f->soft, c->xlabel, b.x + b.w / 2,
                           f->y + f->h, 0.5, 1, 0, 0);
}

/* ---- quadrant (importance-performance, 四分图) ------------------------ */

/* A padded axis over the finite V[0..N-1] and MEAN, within [LIM0, LIM1]. */
static struct vaxis quad_axis(const struct sv_chart *c, size_t si,
                              double mean, double minspan, double lim0,
                              double lim1)
{
    double lo = mean, hi = mean, span;
    struct vaxis a;
    size_t k;

    for (k = 0; k < c->ncat; k++) {
        double v = c->ser[si].values[k];
        if (isfinite(v) && isfinite(c->ser[1 - si].values[k])) {
            lo = fmin(lo, v);
            hi = fmax(hi, v);
        }
    }
    span = fmax(hi - lo, minspan);
    a.step = nice_step(span * 1.25, 5);
    a.lo = fmax(lim0, floor((lo - span * 0.12) / a.step) * a.step);
    a.hi = fmin(lim1, ceil((hi + span * 0.12) / a.step) * a.step);
    if (!(a.hi > a.lo))
        a.hi = a.lo + a.step;
    return a;
}

static struct sv_rgb quad_colour(enum sv_chart_quadrant q)
{
    switch (q) {
    case SV_QUAD_STRENGTH: return sv_chart_good;
    case SV_QUAD_FIX: return sv_chart_accent;
    case SV_QUAD_MAINTAIN: return sv_chart_primary;
    default: return sv_chart_ink_soft;
    }
}

static double qx(const struct vaxis *a, const struct box *b, double v)
{
    return b->x + (v - a->lo) / (a->hi - a->lo) * b->w;
}

/* Grid, ticks and axis names around B. */
static void quad_axes(struct frame *f, const struct vaxis *ax,
                      const struct vaxis *ay, const struct box *b)
{
    cairo_t *cr = f->cr;
    char buf[32];
    double v;

    draw_vgrid(f, ay, b, 1, 1);
    cairo_set_line_width(cr, 0.6);
    for (v = ax->lo; v <= ax->hi + ax->step * 1e-6; v += ax->step) {
        double x = round(qx(ax, b, v) * 2) / 2;
        sv_chart_set_rgb(cr, v <= ax->lo + 1e-9 ? sv_chart_ink_soft
                                                : sv_chart_grid);
        line(cr, x, b->y, x, b->y + b->h);
        sv_chart_format_num(buf, sizeof buf, fabs(v) < 1e-12 ? 0 : v,
                            ax->step >= 0.1 - 1e-9 ? 1 : 2);
        sv_chart_text_draw(cr, &f->small, buf, x, b->y + b->h + f->fs * 0.3,
                           0.5, 0, 0, 0);
    }
}

/* Light tints of the four quadrants split at (MX, MY). */
static void quad_tints(struct frame *f, const struct box *b, double mx,
                       double my)
{
    static const enum sv_chart_quadrant q[4] = {
        SV_QUAD_MAINTAIN, SV_QUAD_STRENGTH, SV_QUAD_OPPORTUNITY, SV_QUAD_FIX};
    double xs[3] = {b->x, mx, b->x + b->w}, ys[3] = {b->y, my, b->y + b->h};
    int i;

    for (i = 0; i < 4; i++) {
        struct sv_rgb c = quad_colour(q[i]);
        int col = i % 2, row = i / 2;
        cairo_set_source_rgba(f->cr, c.r, c.g, c.b, 0.06);
        cairo_rectangle(f->cr, xs[col], ys[row], xs[col + 1] - xs[col],
                        ys[row + 1] - ys[row]);
        cairo_fill(f->cr);
    }
}

/*
 * The quadrant names in the outer corners of B; their rectangles go into
 * BLOCK[0..3] so that no item label covers them.
 */
static void quad_names(struct frame *f, const struct box *b,
                       struct sv_chart_rect *block)
{
    static const enum sv_chart_quadrant q[4] = {
        SV_QUAD_MAINTAIN, SV_QUAD_STRENGTH, SV_QUAD_OPPORTUNITY, SV_QUAD_FIX};
    double pad = f->fs * 0.4;
    int i;

    for (i = 0; i < 4; i++) {
        struct sv_text_style st = f->bold;
        struct sv_rgb c = quad_colour(q[i]);
        const char *name = sv_chart_quadrant_name(q[i], f->c->lang);
        double w, h, x, y;

        st.r = c.r;
        st.g = c.g;
        st.b = c.b;
        sv_chart_text_size(f->cr, &st, name, 0, &w, &h);
        x = i % 2 ? b->x + b->w - pad - w : b->x + pad;
        y = i / 2 ? b->y + b->h - pad - h : b->y + pad;
        sv_chart_text_draw(f->cr, &st, name, x, y, 0, 0, 0, 0);
        block[i].x = x - 1;
        block[i].y = y - 1;
        block[i].w = w + 2;
        block[i].h = h + 2;
    }
}

/* Dashed mean lines with their values; label rectangles into BLOCK. */
static void quad_means(struct frame *f, const struct box *b, double mx,
                       double my, double vx, double vy_,
                       struct sv_chart_rect *block)
{
    char num[32], buf[64];
    double w, h;

    cairo_save(f->cr);
    dashed(f->cr, sv_chart_ink_soft, 1.0);
    line(f->cr, mx, b->y, mx, b->y + b->h);
    line(f->cr, b->x, my, b->x + b->w, my);
    cairo_restore(f->cr);
    sv_chart_format_num(num, sizeof num, vx, 2);
    snprintf(buf, sizeof buf, "%s %s", zh(f) ? "均值" : "mean", num);
    /* The mean of x at the top of its line, of y at the right end. */
    sv_chart_text_size(f->cr, &f->soft, buf, 0, &w, &h);
    block[0] = (struct sv_chart_rect){mx + f->fs * 0.25, b->y + f->fs * 0.3,
                                      w, h};
    if (block[0].x + w > b->x + b->w)
        block[0].x = mx - f->fs * 0.25 - w;
    sv_chart_format_pct(num, sizeof num, vy_, 1);
    sv_chart_text_draw(f->cr, &f->soft, buf, block[0].x, block[0].y, 0, 0, 0,
                       0);
    snprintf(buf, sizeof buf, "%s %s", zh(f) ? "均值" : "mean", num);
    sv_chart_text_size(f->cr, &f->soft, buf, 0, &w, &h);
    block[1] = (struct sv_chart_rect){b->x + b->w - f->fs * 0.4 - w,
                                      my - f->fs * 0.15 - h, w, h};
    if (block[1].y < b->y)
        block[1].y = my + f->fs * 0.15;
    sv_chart_text_draw(f->cr, &f->soft, buf, block[1].x, block[1].y, 0, 0, 0,
                       0);
}

/* Points on top of everything but their labels. */
static void quad_points(struct frame *f, const double *px, const double *py,
                        double r)
{
    size_t k;

    for (k = 0; k < f->c->ncat; k++) {
        if (!isfinite(px[k]) || !isfinite(py[k]))
            continue;
        cairo_new_path(f->cr);
        cairo_arc(f->cr, px[k], py[k], r, 0, 2 * M_PI);
        sv_chart_set_rgb(f->cr, quad_colour(sv_chart_quadrant(f->c, k)));
        cairo_fill_preserve(f->cr);
        cairo_set_source_rgb(f->cr, 1, 1, 1);
        cairo_set_line_width(f->cr, 1.0);
        cairo_stroke(f->cr);
    }
}

/* Item labels placed clear of each other, with a leader when far. */
static void quad_labels(struct frame *f, const double *px, const double *py,
                        double r, struct box area,
                        const struct sv_chart_rect *block, size_t nblock)
{
    const struct sv_chart *c = f->c;
    struct sv_chart_rect *out = malloc(c->ncat * sizeof *out);
    double *w = malloc(c->ncat * sizeof *w), *h = malloc(c->ncat * sizeof *h);
    struct sv_chart_rect a = {area.x, area.y, area.w, area.h};
    size_t k;

    if (out && w && h) {
        for (k = 0; k < c->ncat; k++)
            sv_chart_text_size(f->cr, &f->small, c->cats[k], 0, &w[k], &h[k]);
        sv_chart_place_labels(px, py, c->ncat, r, w, h, a, block, nblock,
                              out);
        for (k = 0; k < c->ncat; k++) {
            double cx, cy;
            if (!isfinite(px[k]) || !isfinite(py[k]))
                continue;
            cx = clampd(px[k], out[k].x, out[k].x + out[k].w);
            cy = clampd(py[k], out[k].y, out[k].y + out[k].h);
            if (hypot(cx - px[k], cy - py[k]) > r * 3.5) {
                sv_chart_set_rgb(f->cr, sv_chart_ink_soft);
                cairo_set_line_width(f->cr, 0.6);
                line(f->cr, px[k], py[k], cx, cy);
            }
            sv_chart_text_draw(f->cr, &f->small, c->cats[k], out[k].x,
                               out[k].y, 0, 0, 0, 0);
        }
    }
    free(out);
    free(w);
    free(h);
}

static void draw_quadrant(struct frame *f)
{
    const struct sv_chart *c = f->c;
    double lh = th(f, &f->small), mx, my, r = f->fs * 0.38;
    double *px = malloc(c->ncat * sizeof *px), *py = malloc(c->ncat * sizeof *py);
    struct sv_chart_rect block[6];
    struct vaxis ax, ay;
    struct box b;
    size_t k;

    if (!px || !py || sv_chart_quadrant_means(c, &mx, &my) != SV_CHART_OK) {
        free(px);
        free(py);
        return;
    }
    ax = quad_axis(c, 0, mx, 0.2, -1, 1);
    ay = quad_axis(c, 1, my, 10, 0, 100);
    b.x = f->x + tw(f, &f->small, "100%") + f->fs * 0.8;
    b.w = f->x + f->w - b.x - f->fs * 0.4;
    b.y = f->y + lh * 1.5;
    b.h = f->h - lh * 1.5 - lh * 1.6 - lh * 1.3;
    sv_chart_text_draw(f->cr, &f->soft,
                       c->ylabel ? c->ylabel
                                 : zh(f) ? "满意率" : "Satisfaction",
                       f->x, f->y, 0, 0, 0, 0);
    sv_chart_text_draw(f->cr, &f->soft,
                       c->xlabel ? c->xlabel
                                 : zh(f) ? "重要性（相关系数 r）"
                                         : "Importance (correlation r)",
                       b.x + b.w / 2, f->y + f->h, 0.5, 1, 0, 0);
    quad_tints(f, &b, qx(&ax, &b, mx), vy(&ay, &b, my));
    quad_axes(f, &ax, &ay, &b);
    quad_names(f, &b, block);
    quad_means(f, &b, qx(&ax, &b, mx), vy(&ay, &b, my), mx, my, block + 4);
    for (k = 0; k < c->ncat; k++) {
        int ok = isfinite(c->ser[0].values[k]) && isfinite(c->ser[1].values[k]);
        px[k] = ok ? qx(&ax, &b, c->ser[0].values[k]) : NAN;
        py[k] = ok ? vy(&ay, &b, c->ser[1].values[k]) : NAN;
    }
    quad_points(f, px, py, r);
    quad_labels(f, px, py, r, b, block, 6);
    free(px);
    free(py);
}

/* ---- entry point ---------------------------------------------------- */

int sv_chart_draw(const struct sv_chart *c, cairo_t *cr, double x, double y,
                  double w, double h, struct sv_error *err)
{
    struct frame f = {cr, c, x, y, w, h, 0, {0}, {0}, {0}, {0}, {0}};
    int rc = sv_chart_validate(c, err);

    if (rc != SV_CHART_OK)
        return rc;
    if (!(w > 20 && h > 20))
        return sv_chart_fail(err, SV_CHART_EINVAL,
                             "chart box too small");
    f.fs = clampd(fmin(w / 55, h / 30), 7, 11);
    f.body = style(&f, f.fs, SV_TEXT_REGULAR, sv_chart_ink);
    f.small = style(&f, f.fs * 0.88, SV_TEXT_REGULAR, sv_chart_ink);
    f.soft = style(&f, f.fs * 0.88, SV_TEXT_REGULAR, sv_chart_ink_soft);
    f.bold = style(&f, f.fs * 0.88, SV_TEXT_BOLD, sv_chart_ink);
    f.title = style(&f, f.fs * 1.3, SV_TEXT_BOLD, sv_chart_ink);
    cairo_save(cr);
    cairo_rectangle(cr, x, y, w, h);
    cairo_clip(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    draw_header(&f);
    if (c->kind == SV_CHART_HIST && c->nser > 1)
        draw_hist_grid(&f);
    else if (c->kind == SV_CHART_HIST)
        draw_hist_single(&f);
    else if (c->kind == SV_CHART_PIE)
        draw_pie(&f);
    else if (c->kind == SV_CHART_BAR)
        draw_bar(&f);
    else if (c->kind == SV_CHART_QUADRANT)
        draw_quadrant(&f);
    else
        draw_trend(&f);
    cairo_restore(cr);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        return sv_chart_fail(err, SV_CHART_ECAIRO,
                             "drawing failed: %s",
                             cairo_status_to_string(cairo_status(cr)));
    return SV_CHART_OK;
}
