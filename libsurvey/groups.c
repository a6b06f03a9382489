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

long sv_keyview_period_ord(const struct sv_keyview *v, size_t g)
{
    long ord = 0;

    if (v->period_dim >= 0)
        sv_period_ordinal(v->key(v->src, g, (size_t)v->period_dim), &ord);
    return ord;
}

/* qsort has no context argument: sort groups paired with their index. */
struct gref {
    const struct sv_keyindex *x;
    size_t g;
};

static int gref_cmp(const void *pa, const void *pb)
{
    const struct gref *a = pa, *b = pb;
    const struct sv_keyview *v = a->x->v;

    for (size_t d = 0; d < v->ndims; d++) {
        int c;
        if ((long)d == a->x->skip)
            continue;
        if ((c = strcmp(v->key(v->src, a->g, d), v->key(v->src, b->g, d))))
            return c;
    }
    return a->g < b->g ? -1 : a->g > b->g;
}

enum sv_status sv_keyindex_init(struct sv_keyindex *x,
                                const struct sv_keyview *v, long skip)
{
    size_t n = v->ngroups;
    struct gref *r = malloc((n + 1) * sizeof *r);

    memset(x, 0, sizeof *x);
    x->v = v;
    x->skip = skip;
    x->order = malloc((n + 1) * sizeof *x->order);
    x->pos = malloc((n + 1) * sizeof *x->pos);
    x->start = malloc((n + 1) * sizeof *x->start);
    x->end = malloc((n + 1) * sizeof *x->end);
    if (!r || !x->order || !x->pos || !x->start || !x->end) {
        free(r);
        sv_keyindex_release(x);
        return SV_ERR_NOMEM;
    }
    for (size_t g = 0; g < n; g++)
        r[g] = (struct gref){x, g};
    if (n)
        qsort(r, n, sizeof *r, gref_cmp);
    for (size_t i = 0, first = 0; i < n; i++) {
        if (i && !sv_keyview_same_except(v, r[i - 1].g, r[i].g, skip))
            first = i;
        x->order[i] = r[i].g;
        x->pos[r[i].g] = i;
        x->start[r[i].g] = first;
    }
    for (size_t i = n; i-- > 0;)
        x->end[x->order[i]] = i + 1 < n && x->start[x->order[i + 1]] ==
                                               x->start[x->order[i]]
                                  ? x->end[x->order[i + 1]]
                                  : i + 1;
    free(r);
    return SV_OK;
}

void sv_keyindex_release(struct sv_keyindex *x)
{
    free(x->order);
    free(x->pos);
    free(x->start);
    free(x->end);
    x->order = x->pos = x->start = x->end = NULL;
}

int sv_keyindex_first(const struct sv_keyindex *x, size_t g)
{
    return x->pos[g] == x->start[g];
}

long sv_keyindex_previous(const struct sv_keyindex *x, size_t g,
                          sv_group_pred has, const void *ctx)
{
    for (size_t i = x->pos[g]; i-- > x->start[g];)
        if (has(ctx, x->order[i]))
            return (long)x->order[i];
    return -1;
}

enum sv_status sv_keyindex_series(const struct sv_keyindex *x, size_t g0,
                                  sv_group_value value, const void *ctx,
                                  struct sv_series *s)
{
    size_t from = x->start[g0], to = x->end[g0];
    long first_ord = 0;

    memset(s, 0, sizeof *s);
    s->x = malloc((to - from + 1) * sizeof *s->x);
    s->y = malloc((to - from + 1) * sizeof *s->y);
    if (!s->x || !s->y) {
        sv_series_release(s);
        return SV_ERR_NOMEM;
    }
    for (size_t i = from; i < to; i++) {
        size_t h = x->order[i];
        double y = value(ctx, h);
        if (isnan(y))
            continue;
        if (!s->k) {
            s->first = h;
            first_ord = sv_keyview_period_ord(x->v, h);
        }
        s->last = h;
        s->x[s->k] = (double)(sv_keyview_period_ord(x->v, h) - first_ord);
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

enum sv_status sv_mitems_prepend_all(struct sv_mitem **items, size_t *n)
{
    struct sv_mitem *m = realloc(*items, (*n + 1) * sizeof *m);

    if (!m)
        return SV_ERR_NOMEM;
    memmove(m + 1, m, *n * sizeof *m);
    m[0] = (struct sv_mitem){SV_ITEM_ALL, SV_ROLE_DIMENSION, NULL, 0};
    *items = m;
    (*n)++;
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
