/*
 * groups.c — walking sorted groups by their keys: the same group in other
 * periods (change since the previous period, trends) or at other sites.
 * Shared by the metric modules (score, nps, complaints).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *cube_key(const void *src, size_t g, size_t d)
{
    return sv_cube_key(src, g, d);
}

void sv_keyview_cube(struct sv_keyview *v, const struct sv_cube *c)
{
    v->src = c;
    v->ngroups = sv_cube_ngroups(c);
    v->ndims = sv_cube_ndims(c);
    v->period_dim = sv_cube_dim_index(c, "period");
    v->key = cube_key;
}

int sv_keyview_same_except(const struct sv_keyview *v, size_t a, size_t b,
                           long skip)
{
    for (size_t d = 0; d < v->ndims; d++)
        if ((long)d != skip &&
            strcmp(v->key(v->src, a, d), v->key(v->src, b, d)))
            return 0;
    return 1;
}

int sv_keyview_first(const struct sv_keyview *v, size_t g, long skip)
{
    for (size_t h = 0; h < g; h++)
        if (sv_keyview_same_except(v, g, h, skip))
            return 0;
    return 1;
}

long sv_keyview_period_ord(const struct sv_keyview *v, size_t g)
{
    long ord = 0;

    if (v->period_dim >= 0)
        sv_period_ordinal(v->key(v->src, g, (size_t)v->period_dim), &ord);
    return ord;
}

long sv_keyview_previous(const struct sv_keyview *v, size_t g,
                         sv_group_pred has, const void *ctx)
{
    long best = -1, ord = sv_keyview_period_ord(v, g), best_ord = 0;

    if (v->period_dim < 0)
        return -1;
    for (size_t h = 0; h < v->ngroups; h++) {
        long o = sv_keyview_period_ord(v, h);
        if (o >= ord || (best >= 0 && o <= best_ord) ||
            !sv_keyview_same_except(v, g, h, v->period_dim) || !has(ctx, h))
            continue;
        best = (long)h;
        best_ord = o;
    }
    return best;
}

enum sv_status sv_keyview_series(const struct sv_keyview *v, size_t g0,
                                 sv_group_value value, const void *ctx,
                                 struct sv_series *s)
{
    long first_ord = 0;

    memset(s, 0, sizeof *s);
    s->x = malloc((v->ngroups + 1) * sizeof *s->x);
    s->y = malloc((v->ngroups + 1) * sizeof *s->y);
    if (!s->x || !s->y) {
        sv_series_release(s);
        return SV_ERR_NOMEM;
    }
    for (size_t h = 0; h < v->ngroups; h++) {
        double y;
        if (!sv_keyview_same_except(v, g0, h, v->period_dim) ||
            isnan(y = value(ctx, h)))
            continue;
        if (!s->k) {
            s->first = h;
            first_ord = sv_keyview_period_ord(v, h);
        }
        s->last = h;
        s->x[s->k] = (double)(sv_keyview_period_ord(v, h) - first_ord);
        s->y[s->k++] = y;
    }
    return SV_OK;
}

void sv_series_release(struct sv_series *s)
{
    free(s->x);
    free(s->y);
    s->x = s->y = NULL;
    s->k = 0;
}

void sv_series_trend(const struct sv_series *s, double *slope, double *p)
{
    sv_ols_trend_at(s->x, s->y, s->k, slope, p);
}

enum sv_status sv_mitems_build(const struct sv_cube *c, sv_role_pred keep,
                               struct sv_mitem **items, size_t *n)
{
    size_t nc = sv_cube_nitems(c);
    struct sv_mitem *m = calloc(nc + 1, sizeof *m);

    *items = m;
    *n = 0;
    if (!m)
        return SV_ERR_NOMEM;
    for (size_t i = 0; i < nc; i++) {
        struct sv_cube_item it = sv_cube_item(c, i);
        size_t k = 0;
        if (!keep(it.role))
            continue;
        while (k < *n && (m[k].role != it.role || strcmp(m[k].label, it.label)))
            k++;
        if (k == *n) {
            m[k].label = it.label;
            m[k].role = it.role;
            if (!(m[k].cube_items = calloc(nc, sizeof *m[k].cube_items)))
                return SV_ERR_NOMEM;
            (*n)++;
        }
        m[k].cube_items[m[k].n++] = i;
    }
    return SV_OK;
}

void sv_mitems_free(struct sv_mitem *items, size_t n)
{
    for (size_t i = 0; items && i < n; i++)
        free(items[i].cube_items);
    free(items);
}

enum sv_status sv_dims_copy(const char *const *dims, size_t ndims,
                            char ***out, size_t *copied, long *period_dim)
{
    *copied = 0;
    *period_dim = -1;
    if (!(*out = calloc(ndims + 1, sizeof **out)))
        return SV_ERR_NOMEM;
    for (size_t d = 0; d < ndims; d++) {
        if (!((*out)[d] = strdup(dims[d])))
            return SV_ERR_NOMEM;
        (*copied)++;
        if (strcmp(dims[d], "period") == 0)
            *period_dim = (long)d;
    }
    return SV_OK;
}
