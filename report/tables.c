/*
 * tables.c — chart models from result tables (frequency cube, metrics,
 * complaints).  Columns are found by header name; rows are filtered by
 * site and period, then summed or placed by item, site and period.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tables.h"

/* ---- reading a CSV into a table ------------------------------------- */

static enum sv_status read_rows(struct sv_csv *csv, struct sv_table *t,
                                struct sv_error *err)
{
    size_t nf, ncols = sv_table_ncols(t);
    enum sv_status st;

    while ((st = sv_csv_next(csv, &nf, err)) == SV_OK && nf > 0) {
        if ((st = sv_stream_check_failure(csv, err)) != SV_OK)
            return st;
        if (nf != ncols)
            return sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv),
                                sv_csv_line(csv), NULL,
                                "%zu fields, the header has %zu", nf, ncols);
        if (sv_table_add_row(t) != SV_OK)
            return sv_error_set(err, SV_ERR_NOMEM, NULL, 0, NULL,
                                "out of memory");
        for (size_t i = 0; i < nf; i++)
            if (sv_table_set(t, i, sv_csv_field(csv, i)) != SV_OK)
                return sv_error_set(err, SV_ERR_NOMEM, NULL, 0, NULL,
                                    "out of memory");
    }
    return st;
}

/*
 * A cube (survey-score --freq) ends with its (end) row counting the rows
 * before it; without it the cube was cut off.
 */
static enum sv_status check_cube_end(const struct sv_table *t,
                                     struct sv_csv *csv, struct sv_error *err)
{
    long item = sv_table_column(t, sv_cube_col_name(SV_CCOL_ITEM));
    long count = sv_table_column(t, sv_cube_col_name(SV_CCOL_COUNT));
    size_t n = sv_table_nrows(t);
    char want[32];

    if (item < 0 || count < 0 ||
        sv_table_column(t, sv_cube_col_name(SV_CCOL_LEVEL)) < 0)
        return SV_OK;
    snprintf(want, sizeof want, "%zu", n ? n - 1 : 0);
    if (n && !strcmp(sv_table_get(t, n - 1, (size_t)item), "(end)")
        && !strcmp(sv_table_get(t, n - 1, (size_t)count), want))
        return SV_OK;
    return sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv), 0, NULL,
                        "the cube is incomplete: it does not end with its "
                        "(end) line (cut off?)");
}

struct sv_table *sv_chart_table_read(const char *path, struct sv_error *err)
{
    struct sv_csv *csv = sv_csv_open(path, NULL, NULL, err);
    struct sv_table *t = NULL;
    enum sv_status st;
    size_t nf;

    if (!csv)
        return NULL;
    st = sv_csv_next(csv, &nf, err);
    if (st == SV_OK && nf == 0)
        st = sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv), 1, NULL,
                          "empty input (no header)");
    if (st == SV_OK && !(t = sv_table_new()))
        st = sv_error_set(err, SV_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    for (size_t i = 0; st == SV_OK && i < nf; i++)
        if (sv_table_add_column(t, sv_csv_field(csv, i), 0) != SV_OK)
            st = sv_error_set(err, SV_ERR_NOMEM, NULL, 0, NULL,
                              "out of memory");
    if (st == SV_OK && sv_stream_is_failure(sv_csv_field(csv, 0)))
        st = sv_stream_check_failure(csv, err);
    if (st == SV_OK)
        st = read_rows(csv, t, err);
    if (st == SV_OK)
        st = check_cube_end(t, csv, err);
    sv_csv_free(csv);
    if (st != SV_OK) {
        sv_table_free(t);
        return NULL;
    }
    return t;
}

/* ---- helpers -------------------------------------------------------- */

void sv_chart_select_init(struct sv_chart_select *sel)
{
    memset(sel, 0, sizeof *sel);
    sel->metric = "sat_pct";
    sel->target = NAN;
    sel->lang = SV_LANG_ZH;
}

/* Column indexes used by the builders (-1 = absent). */
struct cols {
    long site, period, item, role, scale, level, label, count, value, low,
        high, weak, n, category, complaints;
};

static void find_cols(const struct sv_table *t, const char *metric,
                      struct cols *c)
{
    char lo[64], hi[64];

    snprintf(lo, sizeof lo, "%s_ci_low", metric ? metric : "sat_pct");
    snprintf(hi, sizeof hi, "%s_ci_high", metric ? metric : "sat_pct");
    c->site = sv_table_column(t, "site");
    c->period = sv_table_column(t, "period");
    c->item = sv_table_column(t, "item");
    c->role = sv_table_column(t, "role");
    c->scale = sv_table_column(t, "scale");
    c->level = sv_table_column(t, "level");
    c->label = sv_table_column(t, "label");
    c->count = sv_table_column(t, "count");
    c->value = sv_table_column(t, metric ? metric : "sat_pct");
    if (metric && !strcmp(metric, "sat_pct")) {
        c->low = sv_table_column(t, "sat_ci_low");
        c->high = sv_table_column(t, "sat_ci_high");
    } else {
        c->low = sv_table_column(t, lo);
        c->high = sv_table_column(t, hi);
        if (c->low < 0)
            c->low = sv_table_column(t, "ci_low");
        if (c->high < 0)
            c->high = sv_table_column(t, "ci_high");
    }
    c->weak = sv_table_column(t, "weak");
    c->n = sv_table_column(t, "n");
    c->category = sv_table_column(t, "category");
    c->complaints = sv_table_column(t, "complaints");
}

static const char *get(const struct sv_table *t, size_t r, long c)
{
    return c < 0 ? "" : sv_table_get(t, r, (size_t)c);
}

/*
 * The cell as a number: the unrounded value of a computed table (so a
 * chart rounds it once, as the report's tables do), a CSV cell parsed.
 */
static double num(const struct sv_table *t, size_t r, long c)
{
    return c < 0 ? NAN : sv_table_num(t, r, (size_t)c);
}

/* True when row R passes the site and period filters of SEL. */
static int selected(const struct sv_table *t, size_t r, const struct cols *c,
                    const struct sv_chart_select *sel)
{
    if (c->site >= 0 && !strcmp(get(t, r, c->site), SV_ITEM_SITES))
        return 0;
    if (sel->site && c->site >= 0 && strcmp(get(t, r, c->site), sel->site))
        return 0;
    if (sel->period && c->period >= 0
        && strcmp(get(t, r, c->period), sel->period))
        return 0;
    return 1;
}

static int is_rated(const char *role)
{
    return !strcmp(role, "dimension") || !strcmp(role, "overall");
}

static enum sv_status missing_col(struct sv_error *err, const char *name,
                                  const char *col)
{
    return sv_error_set(err, SV_ERR_DATA, name, 1, col,
                        "no column '%s' in the header", col);
}

/* A growing list of distinct names (borrowed from the table). */
struct names {
    const char **v;
    size_t n, cap;
};

/* Index of S in L, adding it when absent; -1 when out of memory. */
static long name_index(struct names *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i], s))
            return (long)i;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        const char **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n] = s;
    return (long)l->n++;
}

static long name_find(const struct names *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i], s))
            return (long)i;
    return -1;
}

static struct sv_chart *nomem(struct sv_chart *c, struct sv_error *err)
{
    sv_chart_free(c);
    sv_error_set(err, SV_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    return NULL;
}

static int zh(const struct sv_chart_select *sel)
{
    return sel->lang != SV_LANG_EN;
}

/* "2026Q4 · 翠湖花园 · n = 300" from the filters and a total. */
static void subtitle(struct sv_chart *c, const struct sv_chart_select *sel,
                     double total, const char *what)
{
    char buf[512];
    int len = 0;

    buf[0] = '\0';
    if (sel->period)
        len += snprintf(buf + len, sizeof buf - (size_t)len, "%s · ",
                        sel->period);
    if (sel->site && len < (int)sizeof buf)
        len += snprintf(buf + len, sizeof buf - (size_t)len, "%s · ",
                        sel->site);
    if (isfinite(total) && len < (int)sizeof buf)
        len += snprintf(buf + len, sizeof buf - (size_t)len, "%s = %.0f",
                        what, total);
    else if (len >= 4 && len < (int)sizeof buf)
        buf[len - 4] = '\0'; /* drop the trailing " · " */
    sv_chart_set_subtitle(c, buf[0] ? buf : NULL);
}

/* ---- counts of levels (hist, pie) ----------------------------------- */

/* Level counts: categories (labels) x series (items). */
struct counts {
    struct names cats, series;
    double *v; /* series x cats */
    double total;
};

static void counts_release(struct counts *k)
{
    free(k->cats.v);
    free(k->series.v);
    free(k->v);
}

/* True when freq row R is a level row that SEL's chart counts. */
static int level_row(const struct sv_table *t, size_t r, const struct cols *c,
                     const struct sv_chart_select *sel, const char *scale,
                     int pool)
{
    const char *item = get(t, r, c->item);

    if (!selected(t, r, c, sel) || !*get(t, r, c->level))
        return 0;
    if (pool)
        return !strcmp(get(t, r, c->role), "dimension")
               && strcmp(item, SV_ITEM_ALL)
               && (!scale || !strcmp(get(t, r, c->scale), scale));
    if (sel->item)
        return !strcmp(item, sel->item);
    return is_rated(get(t, r, c->role)) && strcmp(item, SV_ITEM_ALL)
           && (!scale || !strcmp(get(t, r, c->scale), scale));
}

/* Collects level counts; POOL pools every dimension item into one series. */
static int collect_levels(const struct sv_table *t, const struct cols *c,
                          const struct sv_chart_select *sel, int pool,
                          struct counts *k)
{
    const char *scale = sel->scale;
    size_t nr = sv_table_nrows(t);

    /* answers on different scales are never mixed: the first item's scale */
    for (size_t r = 0; r < nr && !scale && !sel->item; r++)
        if (level_row(t, r, c, sel, NULL, pool))
            scale = get(t, r, c->scale);
    for (size_t r = 0; r < nr; r++)
        if (level_row(t, r, c, sel, scale, pool)
            && (name_index(&k->cats, get(t, r, c->label)) < 0
                || name_index(&k->series, pool ? SV_ITEM_ALL
                                               : get(t, r, c->item)) < 0))
            return -1;
    if (!k->cats.n || !(k->v = calloc(k->cats.n * k->series.n, sizeof *k->v)))
        return k->cats.n ? -1 : 0;
    for (size_t r = 0; r < nr; r++) {
        double v;
        if (!level_row(t, r, c, sel, scale, pool))
            continue;
        v = num(t, r, c->count);
        if (isnan(v))
            v = 0;
        k->v[name_find(&k->series, pool ? SV_ITEM_ALL : get(t, r, c->item))
                 * k->cats.n
             + (size_t)name_find(&k->cats, get(t, r, c->label))] += v;
        k->total += v;
    }
    return 0;
}

static struct sv_chart *chart_from_counts(enum sv_chart_kind kind,
                                          const struct counts *k, int named,
                                          struct sv_error *err)
{
    struct sv_chart *ch = sv_chart_new(kind);

    if (!ch)
        return nomem(NULL, err);
    for (size_t i = 0; i < k->cats.n; i++)
        if (sv_chart_add_category(ch, k->cats.v[i]) < 0)
            return nomem(ch, err);
    for (size_t s = 0; s < k->series.n; s++) {
        double sum = 0;
        for (size_t i = 0; i < k->cats.n; i++)
            sum += k->v[s * k->cats.n + i];
        /* an item of another form, with no answers here: no empty panel */
        if (named && kind == SV_CHART_HIST && !(sum > 0) && k->total > 0)
            continue;
        if (sv_chart_add_series(ch, named ? k->series.v[s] : NULL,
                                k->v + s * k->cats.n, k->cats.n) < 0)
            return nomem(ch, err);
    }
    return ch;
}

struct sv_chart *sv_chart_hist_from_freq(const struct sv_table *t,
                                         const char *name,
                                         const struct sv_chart_select *sel,
                                         struct sv_error *err)
{
    struct cols c;
    struct counts k = {0};
    struct sv_chart *ch = NULL;
    char title[256];

    find_cols(t, NULL, &c);
    if (c.item < 0 || c.level < 0 || c.count < 0 || c.label < 0)
        return missing_col(err, name, c.item < 0 ? "item" : c.level < 0
                           ? "level" : c.label < 0 ? "label" : "count"),
               NULL;
    if (collect_levels(t, &c, sel, 0, &k))
        return counts_release(&k), nomem(NULL, err);
    if (!k.cats.n) {
        counts_release(&k);
        sv_error_set(err, SV_ERR_DATA, name, 0, NULL, "no answers for %s",
                     sel->item ? sel->item : "any item");
        return NULL;
    }
    if ((ch = chart_from_counts(SV_CHART_HIST, &k, !sel->item, err))) {
        if (sel->item)
            snprintf(title, sizeof title, zh(sel) ? "%s满意度分布"
                     : "%s: answer distribution", sel->item);
        else
            snprintf(title, sizeof title, "%s", zh(sel) ? "各分项满意度分布"
                     : "Answer distribution by item");
        sv_chart_set_title(ch, title);
        subtitle(ch, sel, k.series.n == 1 ? k.total : NAN, "n");
        sv_chart_set_lang(ch, sel->lang);
        sv_chart_set_flags(ch, SV_CHART_ORDINAL);
    }
    counts_release(&k);
    return ch;
}

/* Complaint categories: rows counted, or a `complaints` column summed. */
static int collect_categories(const struct sv_table *t, const struct cols *c,
                              const struct sv_chart_select *sel,
                              struct counts *k)
{
    size_t nr = sv_table_nrows(t);

    for (size_t r = 0; r < nr; r++) {
        const char *cat = get(t, r, c->category);
        if (selected(t, r, c, sel) && *cat && strcmp(cat, SV_ITEM_ALL)
            && name_index(&k->cats, cat) < 0)
            return -1;
    }
    if (name_index(&k->series, "") < 0)
        return -1;
    if (!k->cats.n || !(k->v = calloc(k->cats.n, sizeof *k->v)))
        return k->cats.n ? -1 : 0;
    for (size_t r = 0; r < nr; r++) {
        const char *cat = get(t, r, c->category);
        double v = c->complaints >= 0 ? num(t, r, c->complaints) : 1;
        if (!selected(t, r, c, sel) || !*cat || !strcmp(cat, SV_ITEM_ALL))
            continue;
        if (isnan(v))
            v = 0;
        k->v[name_find(&k->cats, cat)] += v;
        k->total += v;
    }
    return 0;
}

struct sv_chart *sv_chart_pie_from_table(const struct sv_table *t,
                                         const char *name,
                                         const struct sv_chart_select *sel,
                                         struct sv_error *err)
{
    struct cols c;
    struct counts k = {0};
    struct sv_chart *ch;
    const char *item = sel->item ? sel->item : SV_ITEM_ALL;
    int pool = !strcmp(item, SV_ITEM_ALL), cats;
    struct sv_chart_select s = *sel;
    char title[256];

    find_cols(t, NULL, &c);
    cats = c.category >= 0;
    if (!cats && (c.item < 0 || c.level < 0 || c.count < 0 || c.label < 0))
        return missing_col(err, name, c.item < 0 ? "item" : c.level < 0
                           ? "level" : c.label < 0 ? "label" : "count"),
               NULL;
    s.item = pool ? NULL : item;
    if (cats ? collect_categories(t, &c, &s, &k)
             : collect_levels(t, &c, &s, pool, &k))
        return counts_release(&k), nomem(NULL, err);
    if (!k.cats.n) {
        counts_release(&k);
        sv_error_set(err, SV_ERR_DATA, name, 0, NULL, "no answers for %s",
                     cats ? "any category" : item);
        return NULL;
    }
    if ((ch = chart_from_counts(SV_CHART_PIE, &k, 0, err))) {
        if (cats)
            snprintf(title, sizeof title, "%s",
                     zh(sel) ? "投诉类别构成" : "Complaints by category");
        else if (pool)
            snprintf(title, sizeof title, "%s", zh(sel)
                     ? "总体满意度构成（全部分项）"
                     : "Answers to all items");
        else
            snprintf(title, sizeof title, zh(sel) ? "%s满意度构成"
                     : "%s: answers", item);
        sv_chart_set_title(ch, title);
        subtitle(ch, sel, k.total, "n");
        sv_chart_set_lang(ch, sel->lang);
        if (!cats)
            sv_chart_set_flags(ch, SV_CHART_ORDINAL);
    }
    counts_release(&k);
    return ch;
}

/* ---- metrics (bar, trend) ------------------------------------------- */

static int is_nps(const struct sv_chart_select *sel)
{
    return sel->metric && !strcmp(sel->metric, "nps");
}

/* True when metric row R belongs to the chart (item or site rows). */
static int metric_row(const struct sv_table *t, size_t r,
                      const struct cols *c, const struct sv_chart_select *sel,
                      const char *item)
{
    const char *it = get(t, r, c->item);

    if (!selected(t, r, c, sel))
        return 0;
    if (item)
        return !strcmp(it, item);
    if (is_nps(sel))
        return 1;
    return c->role < 0 || is_rated(get(t, r, c->role));
}

static void axis_and_target(struct sv_chart *ch,
                            const struct sv_chart_select *sel)
{
    if (is_nps(sel)) {
        sv_chart_set_range(ch, -100, 100);
        sv_chart_set_unit(ch, SV_UNIT_COUNT);
        sv_chart_set_axis_labels(ch, NULL, "NPS");
    }
    if (isfinite(sel->target))
        sv_chart_set_target(ch, sel->target, NULL);
    sv_chart_set_lang(ch, sel->lang);
}

/* The bar chart's title: per item or per site, sat_pct or nps. */
static void bar_title(struct sv_chart *ch, const struct sv_chart_select *sel,
                      const char *item)
{
    char title[256];
    const char *what = is_nps(sel) ? "NPS" : zh(sel) ? "满意率" : "Satisfaction";

    if (sel->by_site)
        snprintf(title, sizeof title, zh(sel) ? "各管理处%s（%s）"
                 : "%s by site (%s)", what,
                 strcmp(item, SV_ITEM_ALL) ? item : zh(sel) ? "总体" : "all");
    else
        snprintf(title, sizeof title, zh(sel) ? "分项%s" : "%s by item",
                 what);
    sv_chart_set_title(ch, title);
}

static enum sv_status dup_error(struct sv_error *err, const char *name,
                                const char *what)
{
    sv_error_set(err, SV_ERR_DATA, name, 0, NULL, "several rows for %s",
                 what);
    sv_error_hint(err, SV_HINT_ONE_GROUP);
    return SV_ERR_DATA;
}

/* Adds bar R of metric table T to CH; returns 0, -1 (memory) or 1 (dup). */
static int add_bar(struct sv_chart *ch, const struct sv_table *t, size_t r,
                   const struct cols *c, const char *label)
{
    int k;

    for (size_t i = 0; i < sv_chart_categories(ch); i++)
        if (!strcmp(sv_chart_category_label(ch, i), label))
            return 1;
    if ((k = sv_chart_add_category(ch, label)) < 0)
        return -1;
    sv_chart_set_value(ch, 0, (size_t)k, num(t, r, c->value));
    sv_chart_set_interval(ch, 0, (size_t)k, num(t, r, c->low),
                          num(t, r, c->high));
    if (!strcmp(get(t, r, c->weak), "1"))
        sv_chart_set_highlight(ch, (size_t)k, 1);
    return 0;
}

/* A row of a metric table and the label of its bar. */
struct bar_ref {
    const char *label;
    size_t row;
};

static int bar_ref_cmp(const void *pa, const void *pb)
{
    const struct bar_ref *x = pa, *y = pb;
    int c = sv_natural_cmp(x->label, y->label);

    return c ? c : (x->row > y->row) - (x->row < y->row);
}

/*
 * The rows of T in the order their bars are added: by site, the natural
 * order of the sites (sv_natural_cmp), which the stable sort by value
 * keeps for sites of equal value (第2号 before 第12号); else the table's.
 * Caller frees; NULL when out of memory.
 */
static struct bar_ref *bar_rows(const struct sv_table *t,
                                const struct cols *c,
                                const struct sv_chart_select *sel)
{
    size_t n = sv_table_nrows(t);
    struct bar_ref *b = malloc((n + 1) * sizeof *b);

    if (!b)
        return NULL;
    for (size_t r = 0; r < n; r++)
        b[r] = (struct bar_ref){get(t, r, sel->by_site ? c->site : c->item),
                                r};
    if (sel->by_site)
        qsort(b, n, sizeof *b, bar_ref_cmp);
    return b;
}

/* True when the chart's rows come from more than one site. */
static int several_sites(const struct sv_table *t, const struct cols *c,
                         const struct sv_chart_select *sel, const char *item)
{
    const char *first = NULL;

    if (c->site < 0 || sel->by_site || sel->site)
        return 0;
    for (size_t r = 0; r < sv_table_nrows(t); r++) {
        if (!metric_row(t, r, c, sel, item))
            continue;
        if (!first)
            first = get(t, r, c->site);
        else if (strcmp(first, get(t, r, c->site)))
            return 1;
    }
    return 0;
}

/* Index of category (or series, SERIES = 1) LABEL of CH, added if new. */
static int find_or_add(struct sv_chart *ch, const char *label, int series)
{
    size_t n = series ? sv_chart_series(ch) : sv_chart_categories(ch);

    for (size_t i = 0; i < n; i++)
        if (!strcmp(series ? sv_chart_series_name(ch, i)
                           : sv_chart_category_label(ch, i), label))
            return (int)i;
    return series ? sv_chart_add_series(ch, label, NULL,
                                        sv_chart_categories(ch))
                  : sv_chart_add_category(ch, label);
}

/*
 * Items side by side for every site (survey-score --by site without
 * --site): the items are the categories, each site a series.
 */
static struct sv_chart *bar_by_site_series(const struct sv_table *t,
                                           const char *name,
                                           const struct cols *c,
                                           const struct sv_chart_select *sel,
                                           const char *item,
                                           struct sv_error *err)
{
    struct sv_chart *ch = sv_chart_new(SV_CHART_BAR);
    char title[256];
    int k, j;

    if (!ch)
        return nomem(NULL, err);
    for (size_t r = 0; r < sv_table_nrows(t); r++) {
        const char *it = get(t, r, c->item);
        if (!metric_row(t, r, c, sel, item)
            || (!sel->item && !strcmp(it, SV_ITEM_ALL)))
            continue;
        if ((k = find_or_add(ch, it, 0)) < 0
            || (j = find_or_add(ch, get(t, r, c->site), 1)) < 0)
            return nomem(ch, err);
        if (isfinite(sv_chart_value(ch, (size_t)j, (size_t)k))) {
            sv_chart_free(ch);
            return dup_error(err, name, it), NULL;
        }
        sv_chart_set_value(ch, (size_t)j, (size_t)k, num(t, r, c->value));
        sv_chart_set_interval(ch, (size_t)j, (size_t)k, num(t, r, c->low),
                              num(t, r, c->high));
    }
    snprintf(title, sizeof title, "%s", zh(sel)
             ? (is_nps(sel) ? "分项 NPS（各管理处）" : "分项满意率（各管理处）")
             : (is_nps(sel) ? "NPS by item and site"
                            : "Satisfaction by item and site"));
    sv_chart_set_title(ch, title);
    subtitle(ch, sel, NAN, NULL);
    axis_and_target(ch, sel);
    return ch;
}

struct sv_chart *sv_chart_bar_from_metrics(const struct sv_table *t,
                                           const char *name,
                                           const struct sv_chart_select *sel,
                                           struct sv_error *err)
{
    struct cols c;
    struct sv_chart *ch = NULL;
    struct bar_ref *rows;
    const char *item = sel->by_site && !sel->item && !is_nps(sel)
                           ? SV_ITEM_ALL : sel->item;
    int rc = 0;

    find_cols(t, sel->metric, &c);
    if (c.item < 0 || c.value < 0 || (sel->by_site && c.site < 0))
        return missing_col(err, name, c.item < 0 ? "item" : c.value < 0
                           ? sel->metric : "site"), NULL;
    if (several_sites(t, &c, sel, item))
        return bar_by_site_series(t, name, &c, sel, item, err);
    if (!(rows = bar_rows(t, &c, sel)) || !(ch = sv_chart_new(SV_CHART_BAR))
        || sv_chart_add_series(ch, NULL, NULL, 0) < 0) {
        free(rows);
        return nomem(ch, err);
    }
    for (size_t i = 0; i < sv_table_nrows(t) && !rc; i++) {
        size_t r = rows[i].row;
        const char *it = get(t, r, c.item);
        if (!metric_row(t, r, &c, sel, item)
            || (!sel->by_site && !sel->item && !strcmp(it, SV_ITEM_ALL)))
            continue;
        if ((rc = add_bar(ch, t, r, &c, rows[i].label)) > 0)
            dup_error(err, name, rows[i].label);
    }
    free(rows);
    if (rc) {
        sv_chart_free(ch);
        return rc < 0 ? nomem(NULL, err) : NULL;
    }
    if (!sv_chart_categories(ch)) {
        sv_chart_free(ch);
        sv_error_set(err, SV_ERR_DATA, name, 0, NULL, "no rows to chart");
        return NULL;
    }
    bar_title(ch, sel, item ? item : SV_ITEM_ALL);
    subtitle(ch, sel, NAN, NULL);
    sv_chart_set_flags(ch, SV_CHART_SORT_DESC);
    axis_and_target(ch, sel);
    return ch;
}

/* ---- multi-select items (bar of option shares) ---------------------- */

/* True when row R is an option row of multi item ITEM (or of any). */
static int multi_row(const struct sv_table *t, size_t r, const struct cols *c,
                     const struct sv_chart_select *sel, const char *item)
{
    const char *label = get(t, r, c->label);

    return !strcmp(get(t, r, c->role), "multi") && selected(t, r, c, sel)
           && (!item || !strcmp(get(t, r, c->item), item)) && *label
           && strcmp(label, "(missing)");
}

size_t sv_chart_multi_items(const struct sv_table *freq,
                            const struct sv_chart_select *sel,
                            const char **out, size_t cap)
{
    struct cols c;
    size_t n = 0;

    find_cols(freq, NULL, &c);
    for (size_t r = 0; c.item >= 0 && r < sv_table_nrows(freq); r++) {
        const char *it = get(freq, r, c.item);
        size_t i = 0;
        if (!multi_row(freq, r, &c, sel, NULL))
            continue;
        while (i < n && strcmp(out[i], it))
            i++;
        if (i == n && n < cap)
            out[n++] = it;
    }
    return n;
}

/*
 * Sums the option counts of ITEM over the selected rows: the options in
 * OPTS, their counts in *V (*VCAP of them), the respondents who answered
 * in *ANSWERED.  Returns -1 when out of memory.
 */
static int multi_counts(const struct sv_table *t, const struct cols *c,
                        const struct sv_chart_select *sel, const char *item,
                        struct names *opts, double **v, size_t *vcap,
                        double *answered)
{
    for (size_t r = 0; r < sv_table_nrows(t); r++) {
        const char *label = get(t, r, c->label);
        long k;
        if (!multi_row(t, r, c, sel, item))
            continue;
        if (!strcmp(label, "(answered)")) {
            *answered += num(t, r, c->count);
            continue;
        }
        if ((k = name_index(opts, label)) < 0)
            return -1;
        if (opts->n > *vcap) {
            double *p = realloc(*v, opts->cap * sizeof *p);
            if (!p)
                return -1;
            memset(p + *vcap, 0, (opts->cap - *vcap) * sizeof *p);
            *v = p;
            *vcap = opts->cap;
        }
        (*v)[k] += num(t, r, c->count);
    }
    return 0;
}

struct sv_chart *sv_chart_bar_from_multi(const struct sv_table *freq,
                                         const char *name,
                                         const struct sv_chart_select *sel,
                                         struct sv_error *err)
{
    struct cols c;
    struct names opts = {0};
    double *v = NULL, answered = 0;
    size_t vcap = 0;
    struct sv_chart *ch = NULL;
    char title[512];

    find_cols(freq, NULL, &c);
    if (c.item < 0 || c.role < 0 || c.label < 0 || c.count < 0)
        return missing_col(err, name, c.item < 0 ? "item" : c.role < 0
                           ? "role" : c.label < 0 ? "label" : "count"), NULL;
    if (multi_counts(freq, &c, sel, sel->item, &opts, &v, &vcap, &answered)
        || !(ch = sv_chart_new(SV_CHART_BAR))
        || sv_chart_add_series(ch, NULL, NULL, 0) < 0)
        goto nomem;
    for (size_t k = 0; answered > 0 && k < opts.n; k++)
        if (sv_chart_add_category(ch, opts.v[k]) < 0
            || sv_chart_set_value(ch, 0, k, 100.0 * v[k] / answered))
            goto nomem;
    free(opts.v);
    free(v);
    if (!sv_chart_categories(ch)) {
        sv_chart_free(ch);
        sv_error_set(err, SV_ERR_DATA, name, 0, NULL, "no answers of "
                     "multi-select item '%s' to chart",
                     sel->item ? sel->item : "");
        return NULL;
    }
    snprintf(title, sizeof title, zh(sel) ? "%s（多选）" : "%s (multiple "
             "choice)", sel->item ? sel->item : "");
    sv_chart_set_title(ch, title);
    snprintf(title, sizeof title, zh(sel)
             ? "%s%s%s%s作答 %.0f 人 · 可多选，各项合计可超过 100%%"
             : "%s%s%s%s%.0f answered · several options each, shares may add "
               "up to more than 100%%",
             sel->period ? sel->period : "", sel->period ? " · " : "",
             sel->site ? sel->site : "", sel->site ? " · " : "", answered);
    sv_chart_set_subtitle(ch, title);
    sv_chart_set_unit(ch, SV_UNIT_PERCENT);
    sv_chart_set_flags(ch, SV_CHART_SORT_DESC);
    sv_chart_set_axis_labels(ch, zh(sel) ? "选择该项的人数占作答人数的比例"
                                         : "Share of the respondents who "
                                           "answered", NULL);
    return ch;
nomem:
    free(opts.v);
    free(v);
    return nomem(ch, err);
}

static int cmp_period(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    long ox = 0, oy = 0;
    enum sv_period px = sv_period_ordinal(x, &ox),
                   py = sv_period_ordinal(y, &oy);

    if (px != py)
        return px < py ? -1 : 1;
    if (ox != oy)
        return ox < oy ? -1 : 1;
    return strcmp(x, y);
}

const char *sv_chart_latest_period(const struct sv_table *t)
{
    long c = sv_table_column(t, "period");
    const char *best = NULL;

    for (size_t r = 0; c >= 0 && r < sv_table_nrows(t); r++) {
        const char *p = sv_table_get(t, r, (size_t)c);
        if (*p && (!best || cmp_period(&p, &best) > 0))
            best = p;
    }
    return best;
}

/* Periods and series (items or sites) of a trend, in display order. */
static int trend_keys(const struct sv_table *t, const struct cols *c,
                      const struct sv_chart_select *sel, const char *item,
                      struct names *periods, struct names *series)
{
    for (size_t r = 0; r < sv_table_nrows(t); r++)
        if (metric_row(t, r, c, sel, item)
            && (name_index(periods, get(t, r, c->period)) < 0
                || name_index(series, get(t, r, sel->by_site ? c->site
                                                             : c->item)) < 0))
            return -1;
    if (periods->n)
        qsort(periods->v, periods->n, sizeof *periods->v, cmp_period);
    return 0;
}

static void trend_title(struct sv_chart *ch, const struct sv_chart_select *sel)
{
    char title[256];
    const char *what = is_nps(sel) ? "NPS" : zh(sel) ? "满意率" : "satisfaction";

    snprintf(title, sizeof title, zh(sel) ? "%s变化趋势" : "%s trend", what);
    sv_chart_set_title(ch, title);
    if (!zh(sel) && !is_nps(sel))
        sv_chart_set_title(ch, "Satisfaction trend");
}

/* Places every row of the trend; 1 when two rows hit the same point. */
static int trend_fill(struct sv_chart *ch, const struct sv_table *t,
                      const struct cols *c, const struct sv_chart_select *sel,
                      const char *item, const struct names *periods,
                      const struct names *series)
{
    size_t np = periods->n;
    unsigned char *seen = calloc(np * series->n + 1, 1);

    if (!seen)
        return -1;
    for (size_t r = 0; r < sv_table_nrows(t); r++) {
        size_t p, s;
        if (!metric_row(t, r, c, sel, item))
            continue;
        p = (size_t)name_find(periods, get(t, r, c->period));
        s = (size_t)name_find(series, get(t, r, sel->by_site ? c->site
                                                              : c->item));
        if (seen[s * np + p]++) {
            free(seen);
            return 1;
        }
        sv_chart_set_value(ch, s, p, num(t, r, c->value));
        sv_chart_set_interval(ch, s, p, num(t, r, c->low), num(t, r, c->high));
    }
    free(seen);
    return 0;
}

struct sv_chart *sv_chart_trend_from_metrics(const struct sv_table *t,
                                             const char *name,
                                             const struct sv_chart_select *sel,
                                             struct sv_error *err)
{
    struct cols c;
    struct names periods = {0}, series = {0};
    struct sv_chart *ch = NULL;
    const char *item = sel->by_site && !sel->item && !is_nps(sel)
                           ? SV_ITEM_ALL : sel->item;
    int rc = -1;

    find_cols(t, sel->metric, &c);
    if (c.item < 0 || c.value < 0 || c.period < 0
        || (sel->by_site && c.site < 0))
        return missing_col(err, name, c.item < 0 ? "item" : c.value < 0
                           ? sel->metric : c.period < 0 ? "period" : "site"),
               NULL;
    if (trend_keys(t, &c, sel, item, &periods, &series)
        || !(ch = sv_chart_new(SV_CHART_TREND)))
        goto out;
    for (size_t i = 0; i < periods.n; i++)
        if (sv_chart_add_category(ch, periods.v[i]) < 0)
            goto out;
    for (size_t s = 0; s < series.n; s++)
        if (sv_chart_add_series(ch, !strcmp(series.v[s], SV_ITEM_ALL)
                                && zh(sel) ? "总体" : series.v[s],
                                NULL, periods.n) < 0)
            goto out;
    rc = trend_fill(ch, t, &c, sel, item, &periods, &series);
out:
    free(periods.v);
    free(series.v);
    if (rc < 0)
        return nomem(ch, err);
    if (rc > 0 || !periods.n) {
        sv_chart_free(ch);
        if (rc > 0)
            dup_error(err, name, "one period");
        else
            sv_error_set(err, SV_ERR_DATA, name, 0, NULL, "no rows to chart");
        return NULL;
    }
    trend_title(ch, sel);
    subtitle(ch, sel, NAN, NULL);
    sv_chart_set_flags(ch, SV_CHART_BAND);
    axis_and_target(ch, sel);
    return ch;
}

/* ---- importance-performance quadrant -------------------------------- */

/* Adds point R of drivers table T; returns 0, -1 (memory) or 1 (dup). */
static int add_point(struct sv_chart *ch, const struct sv_table *t, size_t r,
                     const struct cols *c, long imp, long quad)
{
    const char *label = get(t, r, c->item), *q = get(t, r, quad);
    int k;

    for (size_t i = 0; i < sv_chart_categories(ch); i++)
        if (!strcmp(sv_chart_category_label(ch, i), label))
            return 1;
    if ((k = sv_chart_add_category(ch, label)) < 0)
        return -1;
    sv_chart_set_value(ch, 0, (size_t)k, num(t, r, imp));
    sv_chart_set_value(ch, 1, (size_t)k, num(t, r, c->value));
    if (quad >= 0)
        sv_chart_set_quadrant(ch, (size_t)k, sv_chart_quadrant_parse(q));
    return 0;
}

struct sv_chart *sv_chart_quadrant_from_drivers(const struct sv_table *t,
                                                const char *name,
                                                const struct sv_chart_select *sel,
                                                struct sv_error *err)
{
    long imp = sv_table_column(t, "importance");
    long quad = sv_table_column(t, "quadrant");
    struct sv_chart *ch;
    struct cols c;
    double mx, my;
    int rc;

    find_cols(t, "sat_pct", &c);
    if (c.item < 0 || c.value < 0 || imp < 0)
        return missing_col(err, name, c.item < 0 ? "item" : c.value < 0
                           ? "sat_pct" : "importance"), NULL;
    if (!(ch = sv_chart_new(SV_CHART_QUADRANT))
        || sv_chart_add_series(ch, zh(sel) ? "重要性" : "importance", NULL,
                               0) < 0
        || sv_chart_add_series(ch, zh(sel) ? "满意率" : "sat_pct", NULL, 0)
               < 0)
        return nomem(ch, err);
    for (size_t r = 0; r < sv_table_nrows(t); r++) {
        const char *it = get(t, r, c.item);
        if (!selected(t, r, &c, sel) || !strcmp(it, SV_ITEM_ALL)
            || (c.role >= 0 && strcmp(get(t, r, c.role), "dimension")))
            continue;
        if ((rc = add_point(ch, t, r, &c, imp, quad))) {
            sv_chart_free(ch);
            return rc < 0 ? nomem(NULL, err)
                          : (dup_error(err, name, it), NULL);
        }
    }
    if (sv_chart_quadrant_means(ch, &mx, &my) != SV_CHART_OK) {
        sv_chart_free(ch);
        sv_error_set(err, SV_ERR_DATA, name, 0, NULL,
                     "no item with an importance to chart");
        return NULL;
    }
    sv_chart_set_title(ch, zh(sel) ? "重要性—满意率四分图"
                                   : "Importance and satisfaction");
    subtitle(ch, sel, NAN, NULL);
    sv_chart_set_unit(ch, SV_UNIT_PERCENT);
    sv_chart_set_lang(ch, sel->lang);
    return ch;
}
