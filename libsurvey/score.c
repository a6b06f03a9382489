/*
 * score.c — satisfaction metrics from a frequency cube (PRODUCT.md 4):
 * n, missing, sat_pct with its Wilson interval, mean score with its t
 * interval, the pooled (all) item, complaint rates, weak items, coverage,
 * change since the previous period, trend and the comparison of sites.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define ALL ((size_t)-1) /* metric item index of (all) */

struct ctx {
    const struct sv_cube *c;
    const struct sv_score_options *o;
    struct sv_mitem *items;
    size_t nitems;
    size_t *dims_items; /* cube indices of all dimension items */
    size_t ndims_items;
    struct sv_table *t;
    long period_dim, site_dim;
    struct sv_keyview kv;
};

/* Pooled answers of some cube items in one group. */
struct agg {
    uint64_t n, missing, sat, yes;
    double mean, sd, mean_lo, mean_hi;
};

static int rated_role(enum sv_role r)
{
    return r == SV_ROLE_DIMENSION || r == SV_ROLE_OVERALL ||
           r == SV_ROLE_COMPLAINT || r == SV_ROLE_REPEAT_COMPLAINT;
}

static void aggregate(const struct sv_cube *c, size_t g, const size_t *items,
                      size_t nitems, struct agg *a)
{
    size_t cap = nitems * (SV_CUBE_MAX_CODE + 1) + 1, k = 0;
    double *val = malloc(cap * sizeof *val);
    uint64_t *cnt = malloc(cap * sizeof *cnt);

    memset(a, 0, sizeof *a);
    for (size_t j = 0; j < nitems; j++) {
        a->missing += sv_cube_count(c, g, items[j], -1);
        for (int code = 0; code <= SV_CUBE_MAX_CODE; code++) {
            double score;
            int sat;
            uint64_t n = sv_cube_count(c, g, items[j], code);
            if (!sv_cube_level(c, items[j], code, NULL, &score, &sat) || !n)
                continue;
            a->sat += sat ? n : 0;
            a->yes += code == 1 ? n : 0;
            if (val && cnt) {
                val[k] = score;
                cnt[k++] = n;
            }
        }
    }
    a->n = sv_freq_moments(val, cnt, val && cnt ? k : 0, &a->mean, &a->sd,
                           &a->mean_lo, &a->mean_hi);
    free(val);
    free(cnt);
}

static void agg_of(const struct ctx *x, size_t g, size_t mi, struct agg *a)
{
    if (mi == ALL)
        aggregate(x->c, g, x->dims_items, x->ndims_items, a);
    else
        aggregate(x->c, g, x->items[mi].cube_items, x->items[mi].n, a);
}

static const char *item_label(const struct ctx *x, size_t mi)
{
    return mi == ALL ? SV_ITEM_ALL : x->items[mi].label;
}

static enum sv_role item_role(const struct ctx *x, size_t mi)
{
    return mi == ALL ? SV_ROLE_DIMENSION : x->items[mi].role;
}

/* Complaint "yes" answers in group G (denominator of repeat_pct). */
static uint64_t complaints_yes(const struct ctx *x, size_t g)
{
    uint64_t yes = 0;

    for (size_t i = 0; i < x->nitems; i++)
        if (x->items[i].role == SV_ROLE_COMPLAINT) {
            struct agg a;
            agg_of(x, g, i, &a);
            yes += a.yes;
        }
    return yes;
}

/* The row's headline rate as X out of N (sat, complaint or repeat). */
static void rate_of(const struct ctx *x, size_t g, size_t mi, uint64_t *num,
                    uint64_t *den)
{
    enum sv_role r = item_role(x, mi);
    struct agg a;

    agg_of(x, g, mi, &a);
    *num = r == SV_ROLE_COMPLAINT || r == SV_ROLE_REPEAT_COMPLAINT ? a.yes
                                                                   : a.sat;
    *den = r == SV_ROLE_REPEAT_COMPLAINT ? complaints_yes(x, g) : a.n;
    if (a.n + a.missing == 0)
        *den = 0; /* the item is not asked in this group */
}

static double pct(uint64_t num, uint64_t den)
{
    return den ? 100.0 * (double)num / (double)den : NAN;
}

static enum sv_status build_items(struct ctx *x)
{
    size_t n = sv_cube_nitems(x->c);
    enum sv_status st = sv_mitems_build(x->c, rated_role, &x->items,
                                        &x->nitems);

    if (st || !(x->dims_items = calloc(n + 1, sizeof *x->dims_items)))
        return SV_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        if (sv_cube_item(x->c, i).role == SV_ROLE_DIMENSION)
            x->dims_items[x->ndims_items++] = i;
    return SV_OK;
}

static void free_items(struct ctx *x)
{
    sv_mitems_free(x->items, x->nitems);
    free(x->dims_items);
}

void sv_score_options_init(struct sv_score_options *o)
{
    memset(o, 0, sizeof *o);
    o->target = 90.0;
    o->coverage_target = 70.0;
}

static const char *const base_cols[] = {
    "item", "role", "responses", "n", "missing", "sat_pct", "sat_ci_low",
    "sat_ci_high", "mean_score", "sd", "mean_ci_low", "mean_ci_high",
    "complaint_pct", "repeat_pct", "weak", NULL};
static const char *const cover_cols[] = {"households", "coverage_pct",
                                         "coverage_low", NULL};
static const char *const compare_cols[] = {"prev_period", "delta_pct",
                                           "delta_p", "significant", NULL};
static const char *const sites_cols[] = {"chi2", "df", "chi2_p", NULL};

static enum sv_status add_cols(struct sv_table *t, const char *const *names)
{
    enum sv_status st = SV_OK;

    for (size_t i = 0; names[i] && !st; i++)
        st = sv_table_add_column(t, names[i],
                                 strcmp(names[i], "item") &&
                                     strcmp(names[i], "role") &&
                                     strcmp(names[i], "prev_period"));
    return st;
}

static enum sv_status make_columns(struct ctx *x)
{
    enum sv_status st = SV_OK;

    for (size_t d = 0; d < sv_cube_ndims(x->c) && !st; d++)
        st = sv_table_add_column(x->t, sv_cube_dim(x->c, d), 0);
    st = st ? st : add_cols(x->t, base_cols);
    if (!st && x->o->households)
        st = add_cols(x->t, cover_cols);
    if (!st && x->o->compare)
        st = add_cols(x->t, compare_cols);
    if (!st && x->o->sites)
        st = add_cols(x->t, sites_cols);
    return st;
}

static size_t col(const struct ctx *x, const char *name)
{
    return (size_t)sv_table_column(x->t, name);
}

static enum sv_status set_num(struct ctx *x, const char *name, double v,
                              int decimals)
{
    return sv_table_set_num(x->t, col(x, name), v, decimals);
}

/* Weak: below target, or significantly below the group's (all) rate. */
static int is_weak(const struct ctx *x, size_t g, const struct agg *a)
{
    struct agg all;
    double p;

    if (a->n == 0)
        return 0;
    if (pct(a->sat, a->n) < x->o->target)
        return 1;
    agg_of(x, g, ALL, &all);
    p = sv_two_prop_p(a->sat, a->n, all.sat, all.n);
    return p < 0.05 && pct(a->sat, a->n) < pct(all.sat, all.n);
}

static enum sv_status put_sat(struct ctx *x, size_t g, size_t mi,
                              const struct agg *a)
{
    double lo, hi;
    enum sv_status st;

    sv_wilson(a->sat, a->n, &lo, &hi);
    if ((st = set_num(x, "sat_pct", pct(a->sat, a->n), 2)) ||
        (st = set_num(x, "sat_ci_low", 100 * lo, 2)) ||
        (st = set_num(x, "sat_ci_high", 100 * hi, 2)) ||
        (st = set_num(x, "mean_score", a->mean, 2)) ||
        (st = set_num(x, "sd", a->sd, 2)) ||
        (st = set_num(x, "mean_ci_low", a->mean_lo, 2)) ||
        (st = set_num(x, "mean_ci_high", a->mean_hi, 2)))
        return st;
    if (a->n == 0)
        return SV_OK;
    if (mi == ALL)
        return set_num(x, "weak", pct(a->sat, a->n) < x->o->target, 0);
    return set_num(x, "weak", is_weak(x, g, a), 0);
}

static enum sv_status put_coverage(struct ctx *x, size_t g)
{
    long h = sv_households_get(x->o->households,
                               sv_cube_key(x->c, g, (size_t)x->site_dim));
    double cov;
    enum sv_status st;

    if (h <= 0)
        return SV_OK;
    cov = 100.0 * (double)sv_cube_responses(x->c, g) / (double)h;
    if ((st = set_num(x, "households", (double)h, 0)) ||
        (st = set_num(x, "coverage_pct", cov, 2)))
        return st;
    return set_num(x, "coverage_low", cov < x->o->coverage_target, 0);
}

/* Context of has_rate(): item MI of the table being filled. */
struct rate_ctx {
    const struct ctx *x;
    size_t mi;
};

static int has_rate(const void *p, size_t h)
{
    const struct rate_ctx *r = p;
    uint64_t num, den;

    rate_of(r->x, h, r->mi, &num, &den);
    return den > 0;
}

/* The latest earlier period of the same group with answers, or -1. */
static long previous(const struct ctx *x, size_t g, size_t mi)
{
    struct rate_ctx r = {x, mi};

    return sv_keyview_previous(&x->kv, g, has_rate, &r);
}

static enum sv_status put_change(struct ctx *x, size_t g, size_t mi)
{
    uint64_t x1, n1, x2, n2;
    long prev = previous(x, g, mi);
    double p;
    enum sv_status st;

    if (prev < 0)
        return SV_OK;
    rate_of(x, (size_t)prev, mi, &x1, &n1);
    rate_of(x, g, mi, &x2, &n2);
    if (!n2)
        return SV_OK;
    p = sv_two_prop_p(x1, n1, x2, n2);
    if ((st = sv_table_set(x->t, col(x, "prev_period"),
                           sv_cube_key(x->c, (size_t)prev,
                                       (size_t)x->period_dim))) ||
        (st = set_num(x, "delta_pct", pct(x2, n2) - pct(x1, n1), 2)) ||
        (st = sv_table_set_p(x->t, col(x, "delta_p"), p)))
        return st;
    return isnan(p) ? SV_OK : set_num(x, "significant", p < 0.05, 0);
}

static enum sv_status put_keys(struct ctx *x, size_t g, const char *item,
                               const char *role)
{
    enum sv_status st = sv_table_add_row(x->t);

    for (size_t d = 0; d < sv_cube_ndims(x->c) && !st; d++)
        st = sv_table_set(x->t, d, sv_cube_key(x->c, g, d));
    st = st ? st : sv_table_set(x->t, col(x, "item"), item);
    return st ? st : sv_table_set(x->t, col(x, "role"), role);
}

static enum sv_status put_row(struct ctx *x, size_t g, size_t mi)
{
    enum sv_role r = item_role(x, mi);
    struct agg a;
    enum sv_status st;
    uint64_t num, den;

    agg_of(x, g, mi, &a);
    if (a.n + a.missing == 0)
        return SV_OK;
    st = put_keys(x, g, item_label(x, mi), sv_role_name(r));
    st = st ? st : set_num(x, "responses", (double)sv_cube_responses(x->c, g), 0);
    st = st ? st : set_num(x, "n", (double)a.n, 0);
    st = st ? st : set_num(x, "missing", (double)a.missing, 0);
    rate_of(x, g, mi, &num, &den);
    if (!st && r == SV_ROLE_COMPLAINT)
        st = set_num(x, "complaint_pct", pct(num, den), 2);
    else if (!st && r == SV_ROLE_REPEAT_COMPLAINT)
        st = set_num(x, "repeat_pct", pct(num, den), 2);
    else if (!st)
        st = put_sat(x, g, mi, &a);
    if (!st && x->o->households)
        st = put_coverage(x, g);
    if (!st && x->o->compare)
        st = put_change(x, g, mi);
    return st;
}

/* One chi-square row per item across the sites of one key combination. */
static enum sv_status sites_row(struct ctx *x, size_t g0, size_t mi)
{
    size_t ng = sv_cube_ngroups(x->c), k = 0;
    uint64_t *sat = calloc(ng, sizeof *sat), *n = calloc(ng, sizeof *n);
    double chi2, p;
    int df;
    enum sv_status st = SV_ERR_NOMEM;

    if (!sat || !n)
        goto out;
    for (size_t h = 0; h < ng; h++) {
        if (!sv_keyview_same_except(&x->kv, g0, h, x->site_dim))
            continue;
        rate_of(x, h, mi, &sat[k], &n[k]);
        k++;
    }
    sv_chisq_sat(sat, n, k, &chi2, &df, &p);
    st = put_keys(x, g0, item_label(x, mi), sv_role_name(item_role(x, mi)));
    st = st ? st : sv_table_set(x->t, (size_t)x->site_dim, SV_ITEM_SITES);
    st = st ? st : set_num(x, "chi2", chi2, 4);
    st = st ? st : (df ? set_num(x, "df", df, 0) : SV_OK);
    st = st ? st : sv_table_set_p(x->t, col(x, "chi2_p"), p);
out:
    free(sat);
    free(n);
    return st;
}

/* Site rows for the first group of every combination of the other keys. */
static enum sv_status sites_rows(struct ctx *x)
{
    enum sv_status st = SV_OK;

    for (size_t g = 0; g < sv_cube_ngroups(x->c) && !st; g++) {
        if (!sv_keyview_first(&x->kv, g, x->site_dim))
            continue;
        if (x->ndims_items)
            st = sites_row(x, g, ALL);
        for (size_t i = 0; i < x->nitems && !st; i++)
            if (x->items[i].role == SV_ROLE_DIMENSION ||
                x->items[i].role == SV_ROLE_OVERALL)
                st = sites_row(x, g, i);
    }
    return st;
}

static enum sv_status fill(struct ctx *x, struct sv_error *err)
{
    enum sv_status st = build_items(x);

    if (!st && x->o->households && x->site_dim < 0)
        return sv_error_set(err, SV_ERR_USAGE, NULL, 0, NULL,
                            "--households needs 'site' among the keys");
    if (!st && (x->o->compare) && x->period_dim < 0)
        return sv_error_set(err, SV_ERR_USAGE, NULL, 0, NULL,
                            "--compare needs a period key (--period)");
    if (!st && x->o->sites && x->site_dim < 0)
        return sv_error_set(err, SV_ERR_USAGE, NULL, 0, NULL,
                            "--sites needs 'site' among the keys");
    st = st ? st : make_columns(x);
    for (size_t g = 0; g < sv_cube_ngroups(x->c) && !st; g++) {
        if (x->ndims_items)
            st = put_row(x, g, ALL);
        for (size_t i = 0; i < x->nitems && !st; i++)
            st = put_row(x, g, i);
    }
    if (!st && x->o->sites)
        st = sites_rows(x);
    if (st)
        sv_error_set(err, st, NULL, 0, NULL, "out of memory");
    return st;
}

struct sv_table *sv_score_table(const struct sv_cube *c,
                                const struct sv_score_options *o,
                                struct sv_error *err)
{
    struct ctx x = {.c = c, .o = o};
    enum sv_status st;

    x.period_dim = sv_cube_dim_index(c, "period");
    x.site_dim = sv_cube_dim_index(c, "site");
    sv_keyview_cube(&x.kv, c);
    x.t = sv_table_new();
    st = x.t ? fill(&x, err)
             : sv_error_set(err, SV_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    free_items(&x);
    if (st) {
        sv_table_free(x.t);
        return NULL;
    }
    return x.t;
}

static const char *const trend_cols[] = {"item", "role", "periods",
                                         "first_period", "last_period",
                                         "first_pct", "last_pct", "slope",
                                         "slope_p", NULL};

/* A metric item of one context, as a series value callback's context. */
struct item_ref {
    const struct ctx *x;
    size_t mi;
};

static double rate_value(const void *ctx, size_t g)
{
    const struct item_ref *r = ctx;
    uint64_t num, den;

    rate_of(r->x, g, r->mi, &num, &den);
    return den ? pct(num, den) : NAN;
}

/* Rate per period of item MI for the groups like G0 but for the period. */
static enum sv_status trend_row(struct ctx *x, size_t g0, size_t mi)
{
    struct item_ref ref = {x, mi};
    struct sv_series s;
    size_t pd = (size_t)x->period_dim;
    double slope, p;
    enum sv_status st = sv_keyview_series(&x->kv, g0, rate_value, &ref, &s);

    if (st || !s.k)
        goto out;
    sv_series_trend(&s, &slope, &p);
    st = sv_table_add_row(x->t);
    for (size_t d = 0, o = 0; d < sv_cube_ndims(x->c) && !st; d++)
        if ((long)d != x->period_dim)
            st = sv_table_set(x->t, o++, sv_cube_key(x->c, g0, d));
    st = st ? st : sv_table_set(x->t, col(x, "item"), item_label(x, mi));
    st = st ? st : sv_table_set(x->t, col(x, "role"), sv_role_name(item_role(x, mi)));
    st = st ? st : set_num(x, "periods", (double)s.k, 0);
    st = st ? st : sv_table_set(x->t, col(x, "first_period"), sv_cube_key(x->c, s.first, pd));
    st = st ? st : sv_table_set(x->t, col(x, "last_period"), sv_cube_key(x->c, s.last, pd));
    st = st ? st : set_num(x, "first_pct", s.y[0], 2);
    st = st ? st : set_num(x, "last_pct", s.y[s.k - 1], 2);
    st = st ? st : set_num(x, "slope", slope, 2);
    st = st ? st : sv_table_set_p(x->t, col(x, "slope_p"), p);
out:
    sv_series_release(&s);
    return st;
}

static enum sv_status fill_trend(struct ctx *x)
{
    enum sv_status st = build_items(x);

    for (size_t d = 0; d < sv_cube_ndims(x->c) && !st; d++)
        if ((long)d != x->period_dim)
            st = sv_table_add_column(x->t, sv_cube_dim(x->c, d), 0);
    st = st ? st : add_cols(x->t, trend_cols);
    for (size_t g = 0; g < sv_cube_ngroups(x->c) && !st; g++) {
        if (!sv_keyview_first(&x->kv, g, x->period_dim))
            continue;
        if (x->ndims_items)
            st = trend_row(x, g, ALL);
        for (size_t i = 0; i < x->nitems && !st; i++)
            st = trend_row(x, g, i);
    }
    return st;
}

struct sv_table *sv_score_trend_table(const struct sv_cube *c,
                                      struct sv_error *err)
{
    struct ctx x = {.c = c};
    enum sv_status st;

    x.period_dim = sv_cube_dim_index(c, "period");
    x.site_dim = sv_cube_dim_index(c, "site");
    sv_keyview_cube(&x.kv, c);
    if (x.period_dim < 0) {
        sv_error_set(err, SV_ERR_USAGE, NULL, 0, NULL,
                     "--trend needs a period key");
        return NULL;
    }
    x.t = sv_table_new();
    st = x.t ? fill_trend(&x) : SV_ERR_NOMEM;
    free_items(&x);
    if (st) {
        sv_error_set(err, st, NULL, 0, NULL, "out of memory");
        sv_table_free(x.t);
        return NULL;
    }
    return x.t;
}
