/*
 * tables.h — chart models from the toolkit's result tables: the frequency
 * cube (survey-score --freq), metric tables (survey-score, survey-nps) and
 * complaint tables, whether computed in memory or read back from CSV.
 *
 * This is the bridge between libsurvey (survey.h) and the rendering
 * library (chart.h); columns are always found by their header name.
 */
#ifndef SV_REPORT_TABLES_H
#define SV_REPORT_TABLES_H

#include "chart.h"
#include "survey.h"

/*
 * Reads a CSV file with a header row (PATH "-" or NULL = stdin) into a new
 * table of text cells.  Caller frees with sv_table_free().
 */
struct sv_table *sv_chart_table_read(const char *path, struct sv_error *err);

/* Which rows of a table a chart shows, and how. */
struct sv_chart_select {
    const char *item;   /* one item; NULL: every item (hist, bar, trend)
                           or (all) (pie) */
    const char *site;   /* rows of this site only (NULL: any) */
    const char *period; /* rows of this period only (NULL: any) */
    const char *scale;  /* hist: items on this scale (NULL: the first) */
    int by_site;        /* bar, trend: one bar / line per site */
    const char *metric; /* "sat_pct" (default) or "nps" */
    double target;      /* bar, trend: target line (NaN: none) */
    enum sv_chart_lang lang;
};

/* Fills SEL with the defaults (no filter, sat_pct, no target, zh). */
void sv_chart_select_init(struct sv_chart_select *sel);

/*
 * Each returns a new chart (caller frees with sv_chart_free()), titled in
 * SEL->lang, or NULL with a data error naming NAME (the input's name).
 *
 * hist: levels of SEL->item, or every dimension and overall item on
 *   SEL->scale as small multiples; counts summed over the selected groups.
 * pie: levels of SEL->item; for (all), every dimension item's levels pooled
 *   by label.  A table with a `category` column (complaint register stream
 *   or a per-category complaints table) gives a pie of categories, counted
 *   by row or summed from a `complaints` column.
 * bar: SEL->metric per item (dimension and overall), or per site for
 *   SEL->item (default (all)) with SEL->by_site; Wilson whiskers, weak
 *   items (column `weak`) highlighted, sorted best first.
 * trend: SEL->metric per period, one line per item or site, intervals as
 *   bands; periods in time order.
 */
struct sv_chart *sv_chart_hist_from_freq(const struct sv_table *freq,
                                         const char *name,
                                         const struct sv_chart_select *sel,
                                         struct sv_error *err);
struct sv_chart *sv_chart_pie_from_table(const struct sv_table *t,
                                         const char *name,
                                         const struct sv_chart_select *sel,
                                         struct sv_error *err);
struct sv_chart *sv_chart_bar_from_metrics(const struct sv_table *t,
                                           const char *name,
                                           const struct sv_chart_select *sel,
                                           struct sv_error *err);
struct sv_chart *sv_chart_trend_from_metrics(const struct sv_table *t,
                                             const char *name,
                                             const struct sv_chart_select *sel,
                                             struct sv_error *err);

/*
 * The multi-select items of FREQ that have option rows in the groups SEL
 * selects, in table order, at most CAP into OUT (borrowed); returns how
 * many.
 */
size_t sv_chart_multi_items(const struct sv_table *freq,
                            const struct sv_chart_select *sel,
                            const char **out, size_t cap);

/*
 * bar of multi-select item SEL->item from a frequency cube: one bar per
 * option, its share of the respondents who answered the question (counts
 * summed over the selected groups), largest first, titled with the item.
 */
struct sv_chart *sv_chart_bar_from_multi(const struct sv_table *freq,
                                         const char *name,
                                         const struct sv_chart_select *sel,
                                         struct sv_error *err);

/*
 * quadrant: the importance-performance matrix of one group from a drivers
 * table (survey-score --drivers): one point per dimension item with its
 * `importance` (x) and `sat_pct` (y), in the quadrant the table's
 * `quadrant` column gives.  Several rows for one item: choose the group
 * with SEL->site and SEL->period.
 */
struct sv_chart *sv_chart_quadrant_from_drivers(const struct sv_table *t,
                                                const char *name,
                                                const struct sv_chart_select *sel,
                                                struct sv_error *err);

/* Latest period key in column `period` of T (borrowed), or NULL. */
const char *sv_chart_latest_period(const struct sv_table *t);

#endif /* SV_REPORT_TABLES_H */
