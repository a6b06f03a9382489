/*
 * nps.c — Net Promoter Score per group x nps item from a frequency cube
 * (PRODUCT.md 4): counts and shares of promoters, passives and detractors,
 * the score with its standard error and clamped 95 % interval
 * (sv_nps_compute), the change since the previous period (difference of
 * two independent estimates, sv_nps_diff_p) and the OLS trend.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct ctx {
    const struct sv_cube *c;
    int compare;
    struct sv_mitem *items;
    size_t nitems;
    struct sv_table *t;
    struct sv_keyview kv;
};

/* Answers of item MI in group G: COUNTS[0..10] and *MISSING. */
static void counts_of(const struct ctx *x, size_t g, size_t mi,
                      uint64_t counts[11], uint64_t *missing)
{
    const struct sv_mitem *it = &x->items[mi];

    memset(counts, 0, 11 * sizeof *counts);
    *missing = 0;
    for (size_t j = 0; j < it->n; j++) {
        *missing += sv_cube_count(x->c, g, it->cube_items[j], -1);
        for (int code = 0; code <= 10; code++)
            counts[code] += sv_cube_count(x->c, g, it->cube_items[j], code);
    }
}

static void nps_of(const struct ctx *x, size_t g, size_t mi,
                   struct sv_nps *out, uint64_t *missing)
{
    uint64_t counts[11];

    counts_of(x, g, mi, counts, missing);
    sv_nps_compute(counts, out);
}

static int nps_role(enum sv_role r)
{
    return r == SV_ROLE_NPS;
}

static enum sv_status build_items(struct ctx *x)
{
    return sv_mitems_build(x->c, nps_role, &x->items, &x->nitems);
}

static void free_items(struct ctx *x)
{
    sv_mitems_free(x->items, x->nitems);
}

static const char *const base_cols[] = {
    "item", "responses", "n", "missing", "promoters", "passives",
    "detractors", "promoters_pct", "passives_pct", "detractors_pct", "nps",
    "nps_se", "nps_ci_low", "nps_ci_high", NULL};
static const char *const compare_cols[] = {"prev_period", "delta_nps",
                                           "delta_p", "significant", NULL};
static const char *const trend_cols[] = {"item", "periods", "first_period",
                                         "last_period", "first_nps",
                                         "last_nps", "slope", "slope_p",
                                         NULL};

static enum sv_status add_cols(struct sv_table *t, const char *const *names)
{
    enum sv_status st = SV_OK;

    for (size_t i = 0; names[i] && !st; i++)
        st = sv_table_add_column(t, names[i],
                                 strcmp(names[i], "item") &&
                                     strcmp(names[i], "prev_period") &&
                                     strcmp(names[i], "first_period") &&
                                     strcmp(names[i], "last_period"));
    return st;
}

/* Key columns (all dimensions but SKIP), then NAMES. */
static enum sv_status make_columns(struct ctx *x, long skip,
                                   const char *const *names)
{
    enum sv_status st = SV_OK;

    for (size_t d = 0; d < sv_cube_ndims(x->c) && !st; d++)
        if ((long)d != skip)
            st = sv_table_add_column(x->t, sv_cube_dim(x->c, d), 0);
    return st ? st : add_cols(x->t, names);
}

static enum sv_status set_num(struct ctx *x, const char *name, double v,
                              int decimals)
{
    return sv_table_set_num(x->t, (size_t)sv_table_column(x->t, name), v,
                            decimals);
}

/* A new row with the keys of group G (but SKIP) and item MI. */
static enum sv_status put_keys(struct ctx *x, size_t g, long skip, size_t mi)
{
    enum sv_status st = sv_table_add_row(x->t);

    for (size_t d = 0, o = 0; d < sv_cube_ndims(x->c) && !st; d++)
        if ((long)d != skip)
            st = sv_table_set(x->t, o++, sv_cube_key(x->c, g, d));
    return st ? st : sv_table_set(x->t, (size_t)sv_table_column(x->t, "item"),
                                  x->items[mi].label);
}

static enum sv_status put_figures(struct ctx *x, const struct sv_nps *s)
{
    enum sv_status st;

    if ((st = set_num(x, "n", (double)s->n, 0)) ||
        (st = set_num(x, "promoters", (double)s->promoters, 0)) ||
        (st = set_num(x, "passives", (double)s->passives, 0)) ||
        (st = set_num(x, "detractors", (double)s->detractors, 0)) ||
        (st = set_num(x, "promoters_pct", s->promoters_pct, 2)) ||
        (st = set_num(x, "passives_pct", s->passives_pct, 2)) ||
        (st = set_num(x, "detractors_pct", s->detractors_pct, 2)) ||
        (st = set_num(x, "nps", s->nps, 2)) ||
        (st = set_num(x, "nps_se", s->se, 2)) ||
        (st = set_num(x, "nps_ci_low", s->ci_low, 2)))
        return st;
    return set_num(x, "nps_ci_high", s->ci_high, 2);
}

/* Context of has_answers(): item MI of the table being filled. */
struct item_ctx {
    const struct ctx *x;
    size_t mi;
};

static int has_answers(const void *p, size_t h)
{
    const struct item_ctx *r = p;
    struct sv_nps s;
    uint64_t missing;

    nps_of(r->x, h, r->mi, &s, &missing);
    return s.n > 0;
}

static enum sv_status put_change(struct ctx *x, size_t g, size_t mi,
                                 const struct sv_nps *now)
{
    struct item_ctx r = {x, mi};
    long prev = sv_keyview_previous(&x->kv, g, has_answers, &r);
    struct sv_nps before;
    uint64_t missing;
    double p;
    enum sv_status st;

    if (prev < 0 || now->n == 0)
        return SV_OK;
    nps_of(x, (size_t)prev, mi, &before, &missing);
    p = sv_nps_diff_p(before.nps, before.se, now->nps, now->se);
    if ((st = sv_table_set(x->t, (size_t)sv_table_column(x->t, "prev_period"),
                           sv_cube_key(x->c, (size_t)prev,
                                       (size_t)x->kv.period_dim))) ||
        (st = set_num(x, "delta_nps", now->nps - before.nps, 2)) ||
        (st = sv_table_set_p(x->t, (size_t)sv_table_column(x->t, "delta_p"),
                             p)))
        return st;
    return isnan(p) ? SV_OK : set_num(x, "significant", p < 0.05, 0);
}

static enum sv_status put_row(struct ctx *x, size_t g, size_t mi)
{
    struct sv_nps s;
    uint64_t missing;
    enum sv_status st;

    nps_of(x, g, mi, &s, &missing);
    if (s.n + missing == 0)
        return SV_OK; /* the item is not asked in this group */
    st = put_keys(x, g, -1, mi);
    st = st ? st : set_num(x, "responses",
                           (double)sv_cube_responses(x->c, g), 0);
    st = st ? st : set_num(x, "missing", (double)missing, 0);
    st = st ? st : put_figures(x, &s);
    if (!st && x->compare)
        st = put_change(x, g, mi, &s);
    return st;
}

static enum sv_status fill(struct ctx *x, struct sv_error *err)
{
    enum sv_status st;

    if (x->compare && x->kv.period_dim < 0)
        return sv_error_set(err, SV_ERR_USAGE, NULL, 0, NULL,
                            "--compare needs a period key (--period)");
    st = build_items(x);
    st = st ? st : make_columns(x, -1, base_cols);
    if (!st && x->compare)
        st = add_cols(x->t, compare_cols);
    for (size_t g = 0; g < sv_cube_ngroups(x->c) && !st; g++)
        for (size_t i = 0; i < x->nitems && !st; i++)
            st = put_row(x, g, i);
    if (st)
        sv_error_set(err, st, NULL, 0, NULL, "out of memory");
    return st;
}

struct sv_table *sv_nps_table(const struct sv_cube *cube, int compare,
                              struct sv_error *err)
{
    struct ctx x = {.c = cube, .compare = compare};
    enum sv_status st;

    sv_keyview_cube(&x.kv, cube);
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

static enum sv_status put_trend(struct ctx *x, size_t g0, size_t mi,
                                const struct sv_series *s)
{
    size_t pd = (size_t)x->kv.period_dim;
    double slope, p;
    enum sv_status st = put_keys(x, g0, x->kv.period_dim, mi);

    sv_series_trend(s, &slope, &p);
    st = st ? st : set_num(x, "periods", (double)s->k, 0);
    st = st ? st : sv_table_set(x->t, (size_t)sv_table_column(x->t,
                                "first_period"), sv_cube_key(x->c, s->first, pd));
    st = st ? st : sv_table_set(x->t, (size_t)sv_table_column(x->t,
                                "last_period"), sv_cube_key(x->c, s->last, pd));
    st = st ? st : set_num(x, "first_nps", s->y[0], 2);
    st = st ? st : set_num(x, "last_nps", s->y[s->k - 1], 2);
    st = st ? st : set_num(x, "slope", slope, 2);
    return st ? st : sv_table_set_p(x->t, (size_t)sv_table_column(x->t,
                                    "slope_p"), p);
}

/* An NPS item of one context, as a series value callback's context. */
struct item_ref {
    struct ctx *x;
    size_t mi;
};

static double nps_value(const void *ctx, size_t g)
{
    const struct item_ref *r = ctx;
    struct sv_nps s;
    uint64_t missing;

    nps_of(r->x, g, r->mi, &s, &missing);
    return s.n ? s.nps : NAN;
}

/* NPS per period of item MI for the groups like G0 but for the period. */
static enum sv_status trend_row(struct ctx *x, size_t g0, size_t mi)
{
    struct item_ref ref = {x, mi};
    struct sv_series s;
    enum sv_status st = sv_keyview_series(&x->kv, g0, nps_value, &ref, &s);

    if (!st && s.k)
        st = put_trend(x, g0, mi, &s);
    sv_series_release(&s);
    return st;
}

static enum sv_status fill_trend(struct ctx *x)
{
    enum sv_status st = build_items(x);

    st = st ? st : make_columns(x, x->kv.period_dim, trend_cols);
    for (size_t g = 0; g < sv_cube_ngroups(x->c) && !st; g++) {
        if (!sv_keyview_first(&x->kv, g, x->kv.period_dim))
            continue;
        for (size_t i = 0; i < x->nitems && !st; i++)
            st = trend_row(x, g, i);
    }
    return st;
}

struct sv_table *sv_nps_trend_table(const struct sv_cube *cube,
                                    struct sv_error *err)
{
    struct ctx x = {.c = cube};
    enum sv_status st;

    sv_keyview_cube(&x.kv, cube);
    if (x.kv.period_dim < 0) {
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
