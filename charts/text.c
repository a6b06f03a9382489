/*
 * text.c — text through pangocairo, and the colour palette.
 */
#include <math.h>
#include <pango/pangocairo.h>

#include "chart-internal.h"

const struct sv_rgb sv_chart_ink = {0.13, 0.16, 0.20};
const struct sv_rgb sv_chart_ink_soft = {0.42, 0.45, 0.50};
const struct sv_rgb sv_chart_grid = {0.88, 0.89, 0.91};
const struct sv_rgb sv_chart_primary = {0.17, 0.42, 0.69};
const struct sv_rgb sv_chart_accent = {0.85, 0.28, 0.06};
const struct sv_rgb sv_chart_good = {0.18, 0.55, 0.34};

/* Categorical palette, chosen to stay distinct when printed in grey. */
static const struct sv_rgb categorical[] = {
    {0.17, 0.42, 0.69}, {0.94, 0.64, 0.01}, {0.40, 0.66, 0.83},
    {0.85, 0.28, 0.06}, {0.42, 0.60, 0.31}, {0.55, 0.42, 0.67},
    {0.71, 0.51, 0.55}, {0.23, 0.49, 0.49}, {0.79, 0.64, 0.15},
    {0.50, 0.55, 0.55}};

/* Ordinal ramp anchors: best (blue) through pale to worst (red). */
static const struct sv_rgb ramp[] = {
    {0.13, 0.36, 0.62}, {0.45, 0.66, 0.85}, {0.80, 0.80, 0.80},
    {0.95, 0.60, 0.36}, {0.80, 0.20, 0.13}};

static struct sv_rgb mix(struct sv_rgb a, struct sv_rgb b, double t)
{
    struct sv_rgb c = {a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t,
                       a.b + (b.b - a.b) * t};
    return c;
}

struct sv_rgb sv_chart_colour(size_t i, size_t n, int ordinal)
{
    double pos;
    size_t k;

    if (!ordinal || n < 2)
        return categorical[i % (sizeof categorical / sizeof categorical[0])];
    if (n == 2)
        return i == 0 ? ramp[0] : ramp[4];
    if (n == 3) /* skip the neutral grey: 满意 / 较满意 / 不满意 */
        return i == 0 ? ramp[0] : i == 1 ? ramp[1] : ramp[4];
    pos = (double)i / (double)(n - 1) * 4.0;
    k = (size_t)floor(pos);
    if (k >= 4)
        return ramp[4];
    return mix(ramp[k], ramp[k + 1], pos - (double)k);
}

void sv_chart_set_rgb(cairo_t *cr, struct sv_rgb c)
{
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

/*
 * Returns a layout for TEXT.  Hinting of metrics is off so that text
 * measures the same on PNG, PDF and SVG surfaces.
 */
static PangoLayout *make_layout(cairo_t *cr, const struct sv_text_style *st,
                                const char *text, double wrap)
{
    PangoLayout *lay;
    PangoFontDescription *fd;
    cairo_font_options_t *fo;

    sv_chart_fonts_init();
    lay = pango_cairo_create_layout(cr);
    fd = pango_font_description_new();
    fo = cairo_font_options_create();

    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(pango_layout_get_context(lay), fo);
    pango_layout_context_changed(lay);
    cairo_font_options_destroy(fo);

    pango_font_description_set_family(fd, st->font ? st->font
                                                   : SV_CHART_DEFAULT_FONT);
    pango_font_description_set_absolute_size(fd, st->size * PANGO_SCALE);
    pango_font_description_set_weight(fd, st->weight == SV_TEXT_BOLD
                                              ? PANGO_WEIGHT_BOLD
                                              : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(lay, fd);
    pango_font_description_free(fd);
    if (wrap > 0) {
        pango_layout_set_width(lay, (int)(wrap * PANGO_SCALE));
        pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
    }
    if (text && !g_utf8_validate(text, -1, NULL)) {
        /* a caller's cut inside a character: show U+FFFD, never fail */
        char *valid = g_utf8_make_valid(text, -1);
        pango_layout_set_text(lay, valid, -1);
        g_free(valid);
    } else {
        pango_layout_set_text(lay, text ? text : "", -1);
    }
    return lay;
}

size_t sv_chart_text_fit(cairo_t *cr, const struct sv_text_style *st,
                         const char *text, double wrap, double maxh,
                         double *h)
{
    PangoLayout *lay = make_layout(cr, st, text, wrap);
    PangoLayoutIter *it = pango_layout_get_iter(lay);
    PangoRectangle log;
    size_t fit = strlen(text);

    *h = 0;
    do {
        pango_layout_iter_get_line_extents(it, NULL, &log);
        if ((double)(log.y + log.height) / PANGO_SCALE > maxh) {
            fit = (size_t)pango_layout_iter_get_index(it);
            break;
        }
        *h = (double)(log.y + log.height) / PANGO_SCALE;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    g_object_unref(lay);
    return fit;
}

void sv_chart_text_size(cairo_t *cr, const struct sv_text_style *st,
                        const char *text, double wrap, double *w, double *h)
{
    PangoLayout *lay = make_layout(cr, st, text, wrap);
    PangoRectangle log;

    pango_layout_get_extents(lay, NULL, &log);
    if (w)
        *w = (double)log.width / PANGO_SCALE;
    if (h)
        *h = (double)log.height / PANGO_SCALE;
    g_object_unref(lay);
}

double sv_chart_text_line(cairo_t *cr, const struct sv_text_style *st)
{
    double h;

    sv_chart_text_size(cr, st, "国Ag", 0, NULL, &h);
    return h;
}

double sv_chart_text_draw(cairo_t *cr, const struct sv_text_style *st,
                          const char *text, double x, double y,
                          double xalign, double yalign, double wrap,
                          double maxw)
{
    PangoLayout *lay = make_layout(cr, st, text, wrap);
    PangoRectangle log;
    double w, h;

    if (wrap <= 0 && maxw > 0) {
        pango_layout_get_extents(lay, NULL, &log);
        if ((double)log.width / PANGO_SCALE > maxw) {
            pango_layout_set_width(lay, (int)(maxw * PANGO_SCALE));
            pango_layout_set_ellipsize(lay, PANGO_ELLIPSIZE_END);
        }
    }
    if (wrap > 0 && xalign > 0.25)
        pango_layout_set_alignment(lay, xalign > 0.75 ? PANGO_ALIGN_RIGHT
                                                      : PANGO_ALIGN_CENTER);
    pango_layout_get_extents(lay, NULL, &log);
    w = (double)log.width / PANGO_SCALE;
    h = (double)log.height / PANGO_SCALE;
    if (wrap > 0)
        w = wrap;
    cairo_save(cr);
    cairo_set_source_rgb(cr, st->r, st->g, st->b);
    cairo_move_to(cr, x - xalign * w - (double)log.x / PANGO_SCALE,
                  y - yalign * h);
    pango_cairo_show_layout(cr, lay);
    cairo_restore(cr);
    cairo_new_path(cr); /* the path is not part of the saved state */
    g_object_unref(lay);
    return h;
}

void sv_chart_cleanup(void)
{
    /*
     * Not cairo_debug_reset_static_data(): it asserts that no cairo object
     * is alive anywhere and aborted survey-chart now and then (SVG output).
     */
    pango_cairo_font_map_set_default(NULL);
}
