/*
 * chart-internal.h — declarations shared inside charts/ only.
 */
#ifndef SV_CHART_INTERNAL_H
#define SV_CHART_INTERNAL_H

#include <cairo.h>
#include <stdarg.h>

#include "chart.h"

struct sv_chart_series {
    char *name;
    double *values; /* ncat values, NaN = missing */
    double *low;    /* ncat interval bounds, NaN = none */
    double *high;
};

struct sv_chart {
    enum sv_chart_kind kind;
    enum sv_chart_lang lang;
    enum sv_chart_unit unit;
    unsigned flags;
    char *title, *subtitle, *xlabel, *ylabel, *font;
    char *target_label;
    double target; /* NaN = no target line */
    char *ref_label;
    double ref;    /* NaN = no reference line (e.g. the company's rate) */
    double range_min, range_max; /* NaN = automatic */
    size_t ncat, nser;
    char **cats;
    unsigned char *highlight; /* ncat flags */
    signed char *quad;        /* ncat enum sv_chart_quadrant, or QUAD_AUTO */
    struct sv_chart_series *ser;
    int failed; /* status of the first setter that failed (sticky) */
};

/* sv_chart.quad: no quadrant given, classify against the means. */
#define SV_QUAD_AUTO (-2)

/*
 * Fills ERR (if not NULL) with the formatted message and the library status
 * that STATUS stands for (SV_ERR_DATA for a bad model, SV_ERR_NOMEM,
 * SV_ERR_IO for files and drawing) and returns STATUS.
 */
int sv_chart_fail(struct sv_error *err, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Returns the display font list of CHART (its own or the default). */
const char *sv_chart_font(const struct sv_chart *chart);

/* ---- text.c: all text goes through pango ---------------------------- */

/*
 * Makes the default pango font map use the desubroutinized CJK faces of
 * charts/fonts/make-fonts.sh when they are installed or built (once per
 * process; without them the system's fonts are used as they are).
 */
void sv_chart_fonts_init(void);

enum sv_text_weight { SV_TEXT_REGULAR = 0, SV_TEXT_BOLD };

struct sv_text_style {
    const char *font; /* family list */
    double size;      /* points */
    enum sv_text_weight weight;
    double r, g, b;
};

/*
 * Measures TEXT in STYLE on CR, wrapped to WRAP points when WRAP > 0;
 * stores the logical width and height.
 */
void sv_chart_text_size(cairo_t *cr, const struct sv_text_style *style,
                        const char *text, double wrap, double *w, double *h);

/*
 * Returns how many bytes of TEXT, wrapped to WRAP points, fit as whole
 * lines into MAXH points (0 when not even the first line does) and stores
 * their height in *H.  The count ends at a line break, so the rest can be
 * laid out on its own.
 */
size_t sv_chart_text_fit(cairo_t *cr, const struct sv_text_style *style,
                         const char *text, double wrap, double maxh,
                         double *h);

/*
 * Draws TEXT with its top-left corner at X, Y (after aligning by XALIGN:
 * 0 left, 0.5 centre, 1 right of X; YALIGN likewise for the top, middle,
 * bottom of the text).  WRAP > 0 wraps; MAXW > 0 ellipsizes a single line
 * wider than MAXW.  Returns the height drawn.
 */
double sv_chart_text_draw(cairo_t *cr, const struct sv_text_style *style,
                          const char *text, double x, double y,
                          double xalign, double yalign, double wrap,
                          double maxw);

/* Height of one line of STYLE's font (ascent + descent + line gap). */
double sv_chart_text_line(cairo_t *cr, const struct sv_text_style *style);

/* ---- colours -------------------------------------------------------- */

struct sv_rgb {
    double r, g, b;
};

extern const struct sv_rgb sv_chart_ink, sv_chart_ink_soft, sv_chart_grid,
    sv_chart_primary, sv_chart_accent, sv_chart_good;

/* Colour of category I of N: ordinal ramp (good to bad) or categorical. */
struct sv_rgb sv_chart_colour(size_t i, size_t n, int ordinal);

void sv_chart_set_rgb(cairo_t *cr, struct sv_rgb c);

/* ---- output.c: surfaces and atomic files ---------------------------- */

/* Draws page PAGE (0-based) of a document on CR, which is W x H points. */
typedef int (*sv_chart_page_fn)(void *ctx, cairo_t *cr, int page, double w,
                                double h, struct sv_error *err);

/*
 * Writes NPAGES pages of W x H points, drawn by FN, to PATH in FORMAT.
 * PNG and SVG files hold one page only (NPAGES must be 1).  TITLE (may be
 * NULL) goes into the PDF metadata.  Atomic: temporary file + rename.
 */
int sv_chart_output(const char *path, enum sv_chart_format format,
                    const char *title, double w, double h, int npages,
                    sv_chart_page_fn fn, void *ctx, struct sv_error *err);

#endif /* SV_CHART_INTERNAL_H */
