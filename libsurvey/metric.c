/*
 * metric.c — the one skeleton of the metric tables (metric.h): key
 * columns, item labels, change since the previous period, the (sites)
 * rows and the trend table, written once for score, nps and complaints.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metric.h"

/* Item's change of measure 0: the previous period with data, or -1, the
 * estimates there (A) and now (B) and the p-value of the change. */
struct change {
    long prev;
    struct sv_est a, b;
    double p;
};

struct skel {
    const struct sv_metric *m;
    struct sv_table *t;
    long *map;   /* metric column -> table column, or -1 */
    size_t nkeys; /* key columns written */
    long skip;   /* the key dimension left out (trend: the period) */
    struct sv_keyindex by_period, by_site;
    struct change *chg; /* each item's change into group CHG_G */
    double *adj;        /* their adjusted p-values (the family's) */
    long chg_g;
    enum sv_status adj_st; /* a failed adjustment (out of memory) */
};

void sv_mrow_count(struct sv_mrow *r, int col, uint64_t n)
{
    if (!r->st && r->map[col] >= 0)
        r->st = sv_table_set_count(r->t, (size_t)r->map[col], n);
}

void sv_mrow_int(struct sv_mrow *r, int col, long long i)
{
    if (!r->st && r->map[col] >= 0)
        r->st = sv_table_set_int(r->t, (size_t)r->map[col], i);
}

void sv_mrow_num(struct sv_mrow *r, int col, double x)
{
    if (!r->st && r->map[col] >= 0)
        r->st = sv_table_set_double(r->t, (size_t)r->map[col], x);
}

void sv_mrow_text(struct sv_mrow *r, int col, const char *s)
{
    if (!r->st && r->map[col] >= 0)
        r->st = sv_table_set(r->t, (size_t)r->map[col], s);
}

/* Key columns (all but SKIP), then the columns of COLS in force. */
static enum sv_status make_columns(struct skel *k, const struct sv_mcol *cols,
                                   size_t ncols)
{
    enum sv_status st = SV_OK;
    size_t next = 0;

    for (size_t d = 0; d < k->m->kv->ndims && !st; d++)
        if ((long)d != k->skip) {
            struct sv_colspec c = {k->m->dims[d], NULL, SV_TYPE_TEXT, 0};
            st = sv_table_add_col(k->t, &c);
            next++;
        }
    k->nkeys = next;
    for (size_t i = 0; i < ncols && !st; i++) {
        unsigned w = cols[i].when;
        k->map[i] = -1;
        if (w != SV_MW_MAIN && !(w & k->m->opts))
            continue;
        st = sv_table_add_col(k->t, &cols[i].c);
        k->map[i] = (long)next++;
    }
    return st;
}

/* A new row with the keys of group G (but the skipped one). */
static enum sv_status put_keys(struct skel *k, size_t g)
{
    const struct sv_keyview *v = k->m->kv;
    enum sv_status st = sv_table_add_row(k->t);

    for (size_t d = 0, o = 0; d < v->ndims && !st; d++)
        if ((long)d != k->skip)
            st = sv_table_set(k->t, o++, v->key(v->src, g, d));
    return st;
}

/* Writes the columns of COLS filled from SRC with text S. */
static void put_src_text(const struct skel *k, const struct sv_mcol *cols,
                         size_t ncols, struct sv_mrow *r, enum sv_msrc src,
                         const char *s)
{
    for (size_t i = 0; i < ncols; i++)
        if (cols[i].src == src)
            sv_mrow_text(r, (int)i, s);
    (void)k;
}

static void put_labels(const struct skel *k, const struct sv_mcol *cols,
                       size_t ncols, struct sv_mrow *r, size_t mi)
{
    for (size_t i = 0; i < ncols; i++)
        if (cols[i].src == SV_MS_LABEL)
            sv_mrow_text(r, (int)i, k->m->label(k->m->ctx, mi, cols[i].arg));
}

/* ---- change since the previous period -------------------------------- */

/* Context of has_data(): item MI, measure 0, its estimate into E. */
struct item_ref {
    const struct sv_metric *m;
    size_t mi, meas;
    struct sv_est *e; /* where the estimate goes, or NULL */
};

static int has_data(const void *p, size_t g)
{
    const struct item_ref *r = p;
    struct sv_est e, *out = r->e ? r->e : &e;

    r->m->measure(r->m->ctx, g, r->mi, 0, out);
    return out->n > 0;
}

static double change_p(const struct sv_est *a, const struct sv_est *b)
{
    if (a->weighted && b->weighted)
        return sv_two_prop_p_rate(a->wp, a->wn, b->wp, b->wn);
    if (b->by_se)
        return sv_nps_diff_p(a->value, a->se, b->value, b->se);
    return sv_two_prop_p(a->x, a->n, b->x, b->n);
}

/* Item MI's change into group G: each group's measure is taken once (the
 * last group has_data() accepts leaves its estimate in A). */
static void item_change(const struct skel *k, size_t g, size_t mi,
                        struct change *c)
{
    struct item_ref ref = {k->m, mi, 0, &c->b};

    c->prev = -1;
    c->p = NAN;
    if (!has_data(&ref, g))
        return;
    ref.e = &c->a;
    c->prev = sv_keyindex_previous(&k->by_period, g, has_data, &ref);
    if (c->prev >= 0)
        c->p = change_p(&c->a, &c->b);
}

/*
 * The changes of every item into group G and the family's adjusted
 * p-values, computed once per group, when G is first asked for: the rows
 * and the adjustment read them.  SV_OK, or a failed adjustment's status.
 */
static enum sv_status group_changes(struct skel *k, size_t g)
{
    const struct sv_metric *m = k->m;

    if (k->chg_g == (long)g)
        return SV_OK;
    for (size_t i = 0; i < m->nitems; i++) {
        item_change(k, g, i, &k->chg[i]);
        k->adj[i] = m->family && m->family(m->ctx, i) ? k->chg[i].p : NAN;
    }
    if (m->family)
        k->adj_st = sv_p_adjust(k->adj, m->nitems, m->padjust, NULL);
    if (!k->adj_st)
        k->chg_g = (long)g;
    return k->adj_st;
}

/* The adjusted p-value of item MI's change (G's family), else P. */
static double adjusted_p(const struct skel *k, size_t mi, double p)
{
    const struct sv_metric *m = k->m;

    return m->family && m->family(m->ctx, mi) ? k->adj[mi] : p;
}

/*
 * The 95 % interval of a change: of rates, Newcombe's hybrid score
 * interval in percentage points; of estimates with standard errors (NPS),
 * the normal interval of the difference of two independent estimates,
 * delta -+ z sqrt(se_a^2 + se_b^2), clamped to the difference's range.
 */
static void change_ci(const struct sv_est *a, const struct sv_est *b,
                      double *lo, double *hi)
{
    *lo = *hi = NAN;
    if (a->by_se && b->by_se) {
        double d = b->value - a->value;
        double h = SV_Z95 * sqrt(a->se * a->se + b->se * b->se);
        *lo = fmax(d - h, -200.0);
        *hi = fmin(d + h, 200.0);
        return;
    }
    if (a->by_se || b->by_se)
        return;
    if (a->weighted && b->weighted)
        sv_newcombe(a->wp, a->wn, b->wp, b->wn, lo, hi);
    else
        sv_newcombe((double)a->x / (double)a->n, (double)a->n,
                    (double)b->x / (double)b->n, (double)b->n, lo, hi);
    *lo *= 100.0;
    *hi *= 100.0;
}

/* The change columns of measure MEAS of item MI's change C into G. */
static void put_measure_change(const struct skel *k, const struct change *c,
                               size_t g, size_t mi, size_t meas,
                               struct sv_mrow *r)
{
    const struct sv_metric *m = k->m;
    struct sv_est a = c->a, b = c->b;
    double p = c->p, padj, lo, hi;

    if (meas) {
        m->measure(m->ctx, (size_t)c->prev, mi, meas, &a);
        m->measure(m->ctx, g, mi, meas, &b);
        if (!a.n || !b.n)
            return;
        p = change_p(&a, &b);
    }
    padj = meas == 0 ? adjusted_p(k, mi, p) : p;
    change_ci(&a, &b, &lo, &hi);
    for (size_t i = 0; i < m->ncols; i++) {
        if ((size_t)m->cols[i].arg != meas)
            continue;
        switch (m->cols[i].src) {
        case SV_MS_DELTA:
            sv_mrow_num(r, (int)i, b.value - a.value);
            break;
        case SV_MS_DELTA_P:
            sv_mrow_num(r, (int)i, p);
            break;
        case SV_MS_DELTA_CI_LOW:
            sv_mrow_num(r, (int)i, lo);
            break;
        case SV_MS_DELTA_CI_HIGH:
            sv_mrow_num(r, (int)i, hi);
            break;
        case SV_MS_DELTA_P_ADJ:
            sv_mrow_num(r, (int)i, padj);
            break;
        case SV_MS_SIGNIFICANT:
            if (!isnan(padj))
                sv_mrow_int(r, (int)i, padj < SV_ALPHA);
            break;
        default:
            break;
        }
    }
}

static void put_change(struct skel *k, size_t g, size_t mi,
                       struct sv_mrow *r)
{
    const struct sv_metric *m = k->m;
    const struct change *c = &k->chg[mi];

    if (group_changes(k, g) || c->prev < 0)
        return;
    put_src_text(k, m->cols, m->ncols, r, SV_MS_PREV_PERIOD,
                 m->kv->key(m->kv->src, (size_t)c->prev,
                            (size_t)m->kv->period_dim));
    for (size_t meas = 0; meas < m->nmeasures; meas++)
        put_measure_change(k, c, g, mi, meas, r);
}

/* ---- main rows ---------------------------------------------------------- */

static enum sv_status put_row(struct skel *k, size_t g, size_t mi)
{
    const struct sv_metric *m = k->m;
    struct sv_mrow r = {k->t, k->map, SV_OK, 0};

    r.st = put_keys(k, g);
    put_labels(k, m->cols, m->ncols, &r, mi);
    if (!r.st)
        m->row(m->ctx, g, mi, &r);
    if (!r.st && r.absent) {
        sv_table_drop_row(k->t);
        return SV_OK;
    }
    if (!r.st && (m->opts & SV_MW_COMPARE))
        put_change(k, g, mi, &r);
    if (!r.st && k->adj_st)
        r.st = k->adj_st;
    return r.st;
}

/* One chi-square row of item MI across the sites of G0's class. */
static enum sv_status sites_row(struct skel *k, size_t g0, size_t mi)
{
    const struct sv_metric *m = k->m;
    const struct sv_keyindex *x = &k->by_site;
    size_t from = x->start[g0], to = x->end[g0], n = 0;
    uint64_t *sat = calloc(to - from + 1, sizeof *sat);
    uint64_t *tot = calloc(to - from + 1, sizeof *tot);
    struct sv_mrow r = {k->t, k->map, SV_ERR_NOMEM, 0};
    double chi2, p;
    int df;

    if (sat && tot) {
        for (size_t i = from; i < to; i++, n++) {
            struct sv_est e;
            m->measure(m->ctx, x->order[i], mi, 0, &e);
            sat[n] = e.x;
            tot[n] = e.n;
        }
        sv_chisq_sat(sat, tot, n, &chi2, &df, &p);
        r.st = put_keys(k, g0);
        r.st = r.st ? r.st
                    : sv_table_set(k->t, (size_t)m->site_dim, SV_ITEM_SITES);
        put_labels(k, m->cols, m->ncols, &r, mi);
        for (size_t i = 0; i < m->ncols; i++) {
            enum sv_msrc s = m->cols[i].src;
            if (s == SV_MS_CHI2)
                sv_mrow_num(&r, (int)i, chi2);
            else if (s == SV_MS_DF && df)
                sv_mrow_int(&r, (int)i, df);
            else if (s == SV_MS_CHI2_P)
                sv_mrow_num(&r, (int)i, p);
        }
    }
    free(sat);
    free(tot);
    return r.st;
}

static enum sv_status fill_main(struct skel *k)
{
    const struct sv_metric *m = k->m;
    size_t ng = m->kv->ngroups;
    enum sv_status st = make_columns(k, m->cols, m->ncols);

    for (size_t g = 0; g < ng && !st; g++) {
        for (size_t i = 0; i < m->nitems && !st; i++)
            st = put_row(k, g, i);
        st = st ? st : sv_table_flush(k->t);
    }
    if (st || !(m->opts & SV_MW_SITES) || !m->sites_item)
        return st;
    for (size_t g = 0; g < ng && !st; g++) {
        if (!sv_keyindex_first(&k->by_site, g))
            continue;
        for (size_t i = 0; i < m->nitems && !st; i++)
            if (m->sites_item(m->ctx, i))
                st = sites_row(k, g, i);
        st = st ? st : sv_table_flush(k->t);
    }
    return st;
}

/* ---- trend rows --------------------------------------------------------- */

static double measure_value(const void *p, size_t g)
{
    const struct item_ref *r = p;
    struct sv_est e;

    r->m->measure(r->m->ctx, g, r->mi, r->meas, &e);
    return e.n ? e.value : NAN;
}

static void put_trend_values(const struct skel *k, const struct sv_series *s,
                             struct sv_mrow *r)
{
    const struct sv_metric *m = k->m;
    const struct sv_keyview *v = m->kv;
    size_t pd = (size_t)v->period_dim;
    double slope, p;

    sv_series_trend(s, &slope, &p);
    for (size_t i = 0; i < m->ntcols; i++)
        switch (m->tcols[i].src) {
        case SV_MS_PERIODS:
            sv_mrow_count(r, (int)i, s->k);
            break;
        case SV_MS_FIRST_PERIOD:
            sv_mrow_text(r, (int)i, v->key(v->src, s->first, pd));
            break;
        case SV_MS_LAST_PERIOD:
            sv_mrow_text(r, (int)i, v->key(v->src, s->last, pd));
            break;
        case SV_MS_FIRST:
            sv_mrow_num(r, (int)i, s->y[0]);
            break;
        case SV_MS_LAST:
            sv_mrow_num(r, (int)i, s->y[s->k - 1]);
            break;
        case SV_MS_SLOPE:
            sv_mrow_num(r, (int)i, slope);
            break;
        case SV_MS_SLOPE_P:
            sv_mrow_num(r, (int)i, p);
            break;
        default:
            break;
        }
}

/* The trend row of item MI, measure MEAS, over the periods of G0's class. */
static enum sv_status trend_row(struct skel *k, size_t g0, size_t mi,
                                size_t meas)
{
    const struct sv_metric *m = k->m;
    struct item_ref ref = {m, mi, meas, NULL};
    struct sv_series s;
    struct sv_mrow r = {k->t, k->map, SV_OK, 0};

    r.st = sv_keyindex_series(&k->by_period, g0, measure_value, &ref, &s);
    if (!r.st && s.k) {
        r.st = put_keys(k, g0);
        put_labels(k, m->tcols, m->ntcols, &r, mi);
        put_src_text(k, m->tcols, m->ntcols, &r, SV_MS_MEASURE,
                     m->measures[meas]);
        put_trend_values(k, &s, &r);
    }
    sv_series_release(&s);
    return r.st;
}

static enum sv_status fill_trend(struct skel *k)
{
    const struct sv_metric *m = k->m;
    enum sv_status st = make_columns(k, m->tcols, m->ntcols);

    for (size_t g = 0; g < m->kv->ngroups && !st; g++) {
        if (!sv_keyindex_first(&k->by_period, g))
            continue;
        for (size_t i = 0; i < m->nitems && !st; i++)
            for (size_t j = 0; j < m->nmeasures && !st; j++)
                st = trend_row(k, g, i, j);
        st = st ? st : sv_table_flush(k->t);
    }
    return st;
}

enum sv_status sv_metric_check(const struct sv_metric *m, int trend,
                               struct sv_error *err)
{
    const char *what = NULL;

    if ((m->opts & SV_MW_HOUSEHOLDS) && m->site_dim < 0)
        what = "figures per household need a 'site' key";
    else if ((m->opts & SV_MW_SITES) && m->site_dim < 0)
        what = "the comparison of sites needs a 'site' key";
    else if ((m->opts & SV_MW_COMPARE) && m->kv->period_dim < 0)
        what = "the change since the previous period needs a period key";
    else if (trend && m->kv->period_dim < 0)
        what = "a trend needs a period key";
    if (what)
        return sv_error_set(err, SV_ERR_USAGE, NULL, 0, NULL, "%s", what);
    return SV_OK;
}

/*
 * Makes the table of M (TREND: its trend table) into *OUT, or, with the
 * stream S, writes its rows as each group is done and sets *OUT to NULL.
 */
static enum sv_status build(const struct sv_metric *m, int trend,
                            struct sv_table_stream *s, struct sv_table **out,
                            struct sv_error *err)
{
    struct skel k = {.m = m, .skip = trend ? m->kv->period_dim : -1,
                     .chg_g = -1};
    size_t n = trend ? m->ntcols : m->ncols;
    enum sv_status st = SV_ERR_NOMEM;

    *out = NULL;
    if ((st = sv_metric_check(m, trend, err)))
        return st;
    st = SV_ERR_NOMEM;
    k.t = sv_table_new();
    k.map = malloc((n + 1) * sizeof *k.map);
    k.adj = malloc((m->nitems + 1) * sizeof *k.adj);
    k.chg = malloc((m->nitems + 1) * sizeof *k.chg);
    if (k.t && k.map && k.adj && k.chg &&
        !sv_keyindex_init(&k.by_period, m->kv, m->kv->period_dim)) {
        sv_table_attach(k.t, s);
        if (!sv_keyindex_init(&k.by_site, m->kv, m->site_dim))
            st = trend ? fill_trend(&k) : fill_main(&k);
        if (!st && s)
            st = sv_table_stream_end(s, k.t);
        sv_keyindex_release(&k.by_site);
    }
    sv_keyindex_release(&k.by_period);
    free(k.map);
    free(k.adj);
    free(k.chg);
    if (st == SV_ERR_NOMEM)
        sv_error_set(err, st, NULL, 0, NULL, "out of memory");
    if (st || s)
        sv_table_free(k.t);
    else
        *out = k.t;
    return st;
}

struct sv_table *sv_metric_table(const struct sv_metric *m, int trend,
                                 struct sv_error *err)
{
    struct sv_table *t;

    build(m, trend, NULL, &t, err);
    return t;
}

enum sv_status sv_metric_write(const struct sv_metric *m, int trend,
                               const struct sv_table_output *out,
                               struct sv_error *err)
{
    struct sv_table_stream s = {.f = out->format, .h = out->header,
                                .fp = out->fp, .err = err};
    enum sv_status st = SV_OK;
    struct sv_table *t;

    /* The aligned table is made twice: its widths, then its lines. */
    for (int pass = out->format == SV_FORMAT_TABLE ? 0 : 1; pass < 2 && !st;
         pass++) {
        s.measuring = pass == 0;
        st = build(m, trend, &s, &t, err);
    }
    sv_table_stream_release(&s);
    return st;
}
