/*
 * chart.h — the rendering library of the survey toolkit: chart models,
 * chart files (PNG, PDF, SVG) and the multi-page A4 PDF report.
 *
 * Plain C data in, files out.  This header includes survey.h for its error
 * record, not cairo; chart-cairo.h adds drawing on a caller's cairo_t.
 *
 * Conventions:
 *   - Functions that can fail return an int status (enum sv_chart_status,
 *     SV_CHART_OK = 0) or NULL, and those that do I/O or validation take
 *     `struct sv_error *ERR` last: on failure it is filled (sv_error_set:
 *     the libsurvey status of the cause and a one-line message).  ERR may
 *     be NULL.
 *   - A setter or adder that fails also marks the chart (the first failure
 *     is kept, as cairo keeps a context's status): sv_chart_validate(), and
 *     so drawing and writing, then fail with it, so that an unchecked
 *     failure is never drawn as a chart with a part missing.
 *   - Every string passed in is copied; the caller keeps ownership of its
 *     arguments unless a function name ends in `_take`.
 *   - Numbers are printed with '.' as the decimal point whatever the locale;
 *     the library never calls setlocale().
 *   - Output is deterministic: the same model gives the same bytes.  PDF
 *     files carry a creation date only when SOURCE_DATE_EPOCH is set.
 *   - Lengths are in points (1/72 inch); PNG files are rendered at
 *     SV_CHART_PNG_SCALE pixels per point.
 */
#ifndef SV_CHART_H
#define SV_CHART_H

#include <stddef.h>
#include <stdio.h>

#include "survey.h"

#ifdef __cplusplus
extern "C" {
#endif

enum sv_chart_status {
    SV_CHART_OK = 0,
    SV_CHART_EINVAL, /* bad argument or model (e.g. no categories) */
    SV_CHART_ENOMEM, /* out of memory */
    SV_CHART_EIO,    /* the file could not be written */
    SV_CHART_ECAIRO  /* cairo or pango reported an error */
};

/* Returns a static English description of STATUS. */
const char *sv_chart_strerror(int status);

enum sv_chart_kind {
    SV_CHART_HIST,  /* level distribution; one panel per series */
    SV_CHART_PIE,   /* shares of series 0 over the categories */
    SV_CHART_BAR,   /* horizontal bars of series 0, one per category */
    SV_CHART_TREND, /* one line per series over the categories (periods) */
    SV_CHART_QUADRANT /* importance-performance matrix (四分图): one point
                         per category (item), series 0 = importance (x),
                         series 1 = satisfaction in % (y) */
};

/*
 * Quadrants of the importance-performance matrix (GB/T 19038-2009
 * appendix D), against the means over the items that have both values;
 * a value equal to its mean counts as high.
 */
enum sv_chart_quadrant {
    SV_QUAD_NONE = -1,  /* no importance or no satisfaction */
    SV_QUAD_STRENGTH,   /* 优势区: high importance, high satisfaction */
    SV_QUAD_FIX,        /* 修补区: high importance, low satisfaction */
    SV_QUAD_MAINTAIN,   /* 维持区: low importance, high satisfaction */
    SV_QUAD_OPPORTUNITY /* 机会区: low importance, low satisfaction */
};

/* Language of the fixed texts (目标, 满意率, 份数 ...). */
enum sv_chart_lang { SV_LANG_ZH = 0, SV_LANG_EN };

/* How values are read and printed. */
enum sv_chart_unit {
    SV_UNIT_COUNT,  /* counts: integers, axis from 0 */
    SV_UNIT_PERCENT /* 0-100, printed with one decimal and '%' */
};

enum sv_chart_flags {
    SV_CHART_SORT_DESC = 1 << 0, /* bar: largest value first */
    SV_CHART_SORT_ASC = 1 << 1,  /* bar: smallest value first */
    SV_CHART_ORDINAL = 1 << 2,   /* categories are levels, best first:
                                    coloured from good (blue) to bad (red) */
    SV_CHART_BAND = 1 << 3,      /* trend: draw intervals as a band, not
                                    whiskers */
    SV_CHART_NO_VALUES = 1 << 4  /* do not print value labels */
};

enum sv_chart_format {
    SV_FORMAT_AUTO = 0, /* from the file name's extension */
    SV_FORMAT_PNG,
    SV_FORMAT_PDF,
    SV_FORMAT_SVG
};

#define SV_CHART_PNG_SCALE 2.0
#define SV_CHART_DEFAULT_FONT "Noto Sans CJK SC, Noto Sans, Sans"

/* ------------------------------------------------------------------ */
/* The model                                                           */
/* ------------------------------------------------------------------ */

/*
 * A chart model: categories (x labels, levels, items or periods) and
 * series of values over them.  Opaque; built with the functions below.
 *
 *   hist   categories = levels; each series = one item's counts.  One
 *          series gives one histogram with counts and % on the bars, more
 *          give small multiples (a grid of histograms, shares in %).
 *   pie    categories = levels or complaint categories; series 0 = counts.
 *   bar    categories = items or sites; series 0 = values (sat_pct), with
 *          optional interval, target line and highlighted categories.
 *   trend  categories = periods ("2026Q1"); each series is one line.
 *
 * A value that is NaN is missing (no bar, a gap in a line).
 */
struct sv_chart;

/* Series a bar chart draws side by side in each category (one per site). */
#define SV_CHART_MAX_GROUPS 12

/*
 * Returns a new empty chart of KIND.  Caller frees with sv_chart_free().
 * Returns NULL when out of memory.
 */
struct sv_chart *sv_chart_new(enum sv_chart_kind KIND);

/* Frees CHART and everything it owns; sv_chart_free(NULL) does nothing. */
void sv_chart_free(struct sv_chart *CHART);

/*
 * Set texts; each is copied and NULL clears it.  TITLE is drawn bold at
 * the top, SUBTITLE (e.g. "2026Q3 · n = 300") below it in grey.  XLABEL and
 * YLABEL name the axes; when NULL, a default in the chart's language is
 * used where one makes sense (份数, 满意率 (%)).  Return SV_CHART_OK or
 * SV_CHART_ENOMEM.
 */
int sv_chart_set_title(struct sv_chart *CHART, const char *TITLE);
int sv_chart_set_subtitle(struct sv_chart *CHART, const char *SUBTITLE);
int sv_chart_set_axis_labels(struct sv_chart *CHART, const char *XLABEL,
                             const char *YLABEL);

/*
 * Sets the font family list (comma-separated, as fontconfig reads it);
 * NULL restores SV_CHART_DEFAULT_FONT.  Returns SV_CHART_OK or
 * SV_CHART_ENOMEM.
 */
int sv_chart_set_font(struct sv_chart *CHART, const char *FAMILIES);

/* Setters that cannot fail. */
void sv_chart_set_lang(struct sv_chart *CHART, enum sv_chart_lang LANG);
void sv_chart_set_unit(struct sv_chart *CHART, enum sv_chart_unit UNIT);
void sv_chart_set_flags(struct sv_chart *CHART, unsigned FLAGS);

/*
 * Sets the value axis to [MIN, MAX] instead of the automatic range
 * (0-100 for percentages in bars and histograms, a padded data range for
 * trends).  MIN must be below MAX.  Returns SV_CHART_OK or SV_CHART_EINVAL.
 */
int sv_chart_set_range(struct sv_chart *CHART, double MIN, double MAX);

/*
 * Draws a dashed target line at VALUE (bar, trend), labelled LABEL or, when
 * LABEL is NULL, "目标 90.0%".  Returns SV_CHART_OK or SV_CHART_ENOMEM.
 */
int sv_chart_set_target(struct sv_chart *CHART, double VALUE,
                        const char *LABEL);

/*
 * Draws a second dashed line at VALUE (bar, trend) in another colour, a
 * reference such as the company's rate in an office's report, labelled
 * LABEL ("公司整体 84.3%").  Returns SV_CHART_OK or SV_CHART_ENOMEM.
 */
int sv_chart_set_reference(struct sv_chart *CHART, double VALUE,
                           const char *LABEL);

/*
 * Appends a category LABEL and returns its 0-based index, or -1 when out
 * of memory.  Existing series get NaN for it.
 */
int sv_chart_add_category(struct sv_chart *CHART, const char *LABEL);

/*
 * Appends a series NAME (may be NULL for a single unnamed series) with
 * VALUES[0..N-1] in category order; N must equal the number of categories
 * added so far, and VALUES may be NULL (all missing).  Returns the series
 * index, or -1 when out of memory or N does not match.
 */
int sv_chart_add_series(struct sv_chart *CHART, const char *NAME,
                        const double *VALUES, size_t N);

/*
 * Sets value, interval and highlight of one point.  LOW and HIGH bound
 * the interval (e.g. the Wilson 95 % interval), NaN for none.  Return
 * SV_CHART_OK or SV_CHART_EINVAL for an index out of range.
 */
int sv_chart_set_value(struct sv_chart *CHART, size_t SERIES, size_t CAT,
                       double VALUE);
int sv_chart_set_interval(struct sv_chart *CHART, size_t SERIES, size_t CAT,
                          double LOW, double HIGH);

/*
 * Marks category CAT as highlighted (weak item, 短板): its bar is drawn in
 * the accent colour.  ON is 0 or 1.  Returns SV_CHART_OK or SV_CHART_EINVAL.
 */
int sv_chart_set_highlight(struct sv_chart *CHART, size_t CAT, int ON);

/*
 * Quadrant charts.  sv_chart_quadrant_means() stores the means of series
 * 0 (*X) and series 1 (*Y) over the categories that have both values;
 * SV_CHART_EINVAL when the chart has fewer than two series or no such
 * category.  sv_chart_set_quadrant() records the quadrant a category was
 * given by the table it comes from (Q may be SV_QUAD_NONE); without one,
 * sv_chart_quadrant() classifies the point against the means.
 * sv_chart_quadrant_name() returns the static name of Q: 优势区 ... in
 * Chinese, strength / fix / maintain / opportunity (the table's codes) in
 * English, "" for SV_QUAD_NONE.  sv_chart_quadrant_parse() reads those
 * codes back; anything else is SV_QUAD_NONE.
 */
int sv_chart_quadrant_means(const struct sv_chart *CHART, double *X,
                            double *Y);
int sv_chart_set_quadrant(struct sv_chart *CHART, size_t CAT,
                          enum sv_chart_quadrant Q);
enum sv_chart_quadrant sv_chart_quadrant(const struct sv_chart *CHART,
                                         size_t CAT);
const char *sv_chart_quadrant_name(enum sv_chart_quadrant Q,
                                   enum sv_chart_lang LANG);
enum sv_chart_quadrant sv_chart_quadrant_parse(const char *CODE);

/* A rectangle in points: top-left corner, width and height. */
struct sv_chart_rect {
    double x, y, w, h;
};

/*
 * Places N labels of sizes W[i] x H[i] beside the points (PX[i], PY[i])
 * (markers of radius R) inside AREA, so that no label covers another
 * label, a marker or one of the NBLOCK rectangles BLOCK (e.g. fixed
 * captions).  Candidates are tried nearest first around each point, in
 * eight directions at growing distances; OUT[i] receives the chosen
 * rectangle (points with a NaN coordinate get no label).  Returns how
 * many labels found no free place (they get the candidate with the least
 * overlap).
 */
size_t sv_chart_place_labels(const double *PX, const double *PY, size_t N,
                             double R, const double *W, const double *H,
                             struct sv_chart_rect AREA,
                             const struct sv_chart_rect *BLOCK,
                             size_t NBLOCK, struct sv_chart_rect *OUT);

/*
 * Returns a new chart with the texts and settings of CHART and its
 * categories CATS[0..N-1] (indexes, in the order given) with every
 * series' values, intervals and highlights: the part of a long bar chart
 * that fits on one page.  Caller frees with sv_chart_free().  NULL when
 * out of memory or an index is out of range.
 */
struct sv_chart *sv_chart_slice(const struct sv_chart *CHART,
                                const size_t *CATS, size_t N);

/*
 * Returns a new chart with the texts, settings and categories of CHART
 * and its series FIRST..FIRST+N-1: the part of a trend with too many lines
 * to read.  Caller frees with sv_chart_free().  NULL when out of memory or
 * the range is out of bounds.
 */
struct sv_chart *sv_chart_slice_series(const struct sv_chart *CHART,
                                       size_t FIRST, size_t N);

/* Accessors; strings are borrowed, valid until CHART changes or is freed. */
enum sv_chart_kind sv_chart_kind(const struct sv_chart *CHART);
size_t sv_chart_categories(const struct sv_chart *CHART);
size_t sv_chart_series(const struct sv_chart *CHART);
const char *sv_chart_category_label(const struct sv_chart *CHART,
                                    size_t CAT);
const char *sv_chart_series_name(const struct sv_chart *CHART,
                                 size_t SERIES); /* "" when unnamed */
double sv_chart_value(const struct sv_chart *CHART, size_t SERIES,
                      size_t CAT);

/*
 * Fills ORDER[0..N-1] with category indexes in display order (sorted by
 * series 0 when a SORT flag is set; stable, missing values last).  N must
 * be the number of categories.  Returns SV_CHART_OK or SV_CHART_EINVAL.
 */
int sv_chart_order(const struct sv_chart *CHART, size_t *ORDER, size_t N);

/*
 * Fills SHARES[0..N-1] with the percentage share of each category in
 * series SERIES, rounded to one decimal with the largest-remainder method
 * so that they add up to exactly 100.0 (missing and negative values count
 * as 0).  When the total is 0 every share is 0.  N must be the number of
 * categories.  Returns SV_CHART_OK or SV_CHART_EINVAL.
 */
int sv_chart_shares(const struct sv_chart *CHART, size_t SERIES,
                    double *SHARES, size_t N);

/*
 * Formats VALUE as a percentage with DECIMALS decimals and '.' as the
 * decimal point ("92.5%"), whatever the locale.  Returns BUF.
 */
char *sv_chart_format_pct(char *BUF, size_t CAP, double VALUE, int DECIMALS);

/*
 * Formats VALUE with DECIMALS decimals and '.' as the decimal point, "-"
 * when not finite.  Returns BUF.
 */
char *sv_chart_format_num(char *BUF, size_t CAP, double VALUE, int DECIMALS);

/*
 * BUF holds text that was cut at CAP - 1 bytes (snprintf): cuts it further
 * back to a character boundary and ends it in "…", so that it stays valid
 * UTF-8 however the cut fell.
 */
void sv_chart_utf8_clip(char *BUF, size_t CAP);

/*
 * Writes a stable text dump of CHART to OUT (for golden tests): kind,
 * texts, options, then one line per category in display order with the
 * values, intervals, shares and highlight marks.  Returns SV_CHART_OK or
 * SV_CHART_EIO.
 */
int sv_chart_describe(const struct sv_chart *CHART, FILE *OUT);

/*
 * Checks that CHART can be drawn: at least one category and one series,
 * one series for pie and bar, two for quadrant.  Returns SV_CHART_OK or SV_CHART_EINVAL
 * with a message in ERR.
 */
int sv_chart_validate(const struct sv_chart *CHART, struct sv_error *ERR);

/* ------------------------------------------------------------------ */
/* Files                                                               */
/* ------------------------------------------------------------------ */

/*
 * Returns the format named by PATH's extension (.png, .pdf, .svg, case
 * insensitive), or SV_FORMAT_AUTO when there is none of these.
 */
enum sv_chart_format sv_chart_format_from_path(const char *PATH);

/*
 * Draws CHART on a WIDTH x HEIGHT point page and writes it to PATH in
 * FORMAT (SV_FORMAT_AUTO: from the extension).  The file is written to a
 * temporary file in the same folder and renamed into place only on
 * success; nothing is left behind on failure.  Returns SV_CHART_OK or an
 * error status with a message in ERR.
 */
int sv_chart_write(const struct sv_chart *CHART, const char *PATH,
                   enum sv_chart_format FORMAT, double WIDTH, double HEIGHT,
                   struct sv_error *ERR);

/*
 * Releases pango's process-wide default font map (for leak checkers;
 * cairo's own static caches stay: see tests/lsan.supp).  Call at most
 * once, at exit, after every chart and report has been freed.
 */
void sv_chart_cleanup(void);

/* ------------------------------------------------------------------ */
/* The report                                                          */
/* ------------------------------------------------------------------ */

/*
 * An A4 multi-page report (统计分析报告).  Blocks are recorded in order and
 * laid out by sv_report_finish(), twice, so that the footer can read
 * "第 2 页 / 共 N 页".  Opaque.
 */
struct sv_report;

/* Tone of a key figure's change line: colour and arrow. */
enum sv_report_tone {
    SV_TONE_NEUTRAL = 0,
    SV_TONE_GOOD, /* green, ▲ or ▼ according to the sign */
    SV_TONE_BAD   /* red */
};

/* One key-figure card.  All strings are copied. */
struct sv_report_card {
    const char *label;  /* "总满意率" */
    const char *value;  /* "92.4%" */
    const char *change; /* "较上期 +3.2 百分点（显著）", or NULL */
    enum sv_report_tone tone;
};

enum sv_report_align { SV_ALIGN_LEFT = 0, SV_ALIGN_RIGHT, SV_ALIGN_CENTER };

/*
 * A table.  CELLS holds NROWS * NCOLS strings row by row (NULL = empty).
 * ALIGN (may be NULL: first column left, others right) and WIDTHS
 * (relative column widths, may be NULL: from the content) have NCOLS
 * entries; HIGHLIGHT (may be NULL) has NROWS flags, non-zero rows are
 * drawn in the accent colour (e.g. weak items).  All data are copied.
 */
struct sv_report_table {
    size_t ncols;
    size_t nrows;
    const char *const *header;
    const char *const *cells;
    const enum sv_report_align *align;
    const double *widths;
    const unsigned char *highlight;
    const char *caption; /* "表 1  分项满意率", or NULL */
};

/*
 * Returns a new report that sv_report_finish() will write to PATH (a PDF).
 * TITLE is the document title (cover and PDF metadata).  Caller frees with
 * sv_report_free().  Returns NULL with a message in ERR when PATH does
 * not end in .pdf or memory runs out.
 */
struct sv_report *sv_report_new(const char *PATH, const char *TITLE,
                                 enum sv_chart_lang LANG, struct sv_error *ERR);

/* Frees REPORT (and the charts it took); sv_report_free(NULL) does nothing. */
void sv_report_free(struct sv_report *REPORT);

/*
 * Sets the font family list of the whole report (and of its charts that
 * have none of their own); NULL restores the default sans list.  Returns
 * SV_CHART_OK or SV_CHART_ENOMEM.
 */
int sv_report_set_font(struct sv_report *REPORT, const char *FAMILIES);

/*
 * Adds blocks.  Each returns SV_CHART_OK, SV_CHART_EINVAL (bad argument)
 * or SV_CHART_ENOMEM; on failure the report is unchanged.
 *
 * sv_report_cover: a cover page with the title, ORG (company or office),
 *   PERIOD ("2026 年第三季度") and DATE (printed as given); any may be NULL.
 * sv_report_heading: a section heading, starting a new page when little
 *   room is left.
 * sv_report_paragraph: body text, wrapped (Chinese text wraps anywhere).
 * sv_report_cards: a row of N (1-4) key-figure cards.
 * sv_report_table: a table that breaks across pages, repeating its header.
 * sv_report_chart_take: a chart HEIGHT points high across the text width;
 *   takes ownership of CHART, even on failure.
 * sv_report_page_break: starts a new page.
 */
int sv_report_cover(struct sv_report *REPORT, const char *ORG,
                    const char *PERIOD, const char *DATE);
int sv_report_heading(struct sv_report *REPORT, const char *TEXT);
int sv_report_paragraph(struct sv_report *REPORT, const char *TEXT);
int sv_report_cards(struct sv_report *REPORT,
                    const struct sv_report_card *CARDS, size_t N);
int sv_report_table(struct sv_report *REPORT,
                    const struct sv_report_table *TABLE);
int sv_report_chart_take(struct sv_report *REPORT, struct sv_chart *CHART,
                         double HEIGHT);
int sv_report_page_break(struct sv_report *REPORT);

/*
 * Formats a change line: "较上期 +3.2 百分点（显著）" or, in English,
 * "vs previous +3.2 pp (significant)".  DELTA is in percentage points;
 * SIGNIFICANT is 0 or 1, or -1 to omit the marker.  Returns BUF.
 */
char *sv_report_format_change(char *BUF, size_t CAP, double DELTA,
                              int SIGNIFICANT, enum sv_chart_lang LANG);

/*
 * Lays out the report and returns its number of pages, or -1 with a
 * message in ERR.
 */
int sv_report_page_count(struct sv_report *REPORT, struct sv_error *ERR);

/*
 * Renders page PAGE (1-based) alone to PATH, a PNG, PDF or SVG chosen by
 * extension (for review).  Atomic like sv_chart_write().  Returns
 * SV_CHART_OK or an error status with a message in ERR.
 */
int sv_report_write_page(struct sv_report *REPORT, int PAGE,
                         const char *PATH, struct sv_error *ERR);

/*
 * Writes the whole report to its PDF path atomically.  The report stays
 * valid (pages can still be rendered) until sv_report_free().  Returns
 * SV_CHART_OK or an error status with a message in ERR.
 */
int sv_report_finish(struct sv_report *REPORT, struct sv_error *ERR);

#ifdef __cplusplus
}
#endif

#endif /* SV_CHART_H */
