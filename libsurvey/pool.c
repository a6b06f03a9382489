/*
 * pool.c — output groups made of several cube groups (PRODUCT.md 4.1):
 * the cube is counted by the requested keys plus what a figure needs
 * inside a group (the site, for pooling sites; quarters, for coverage
 * over a half or a year), and the output groups collect its groups by
 * the requested keys, with the period re-keyed to the requested
 * granularity.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* qsort has no context argument: sort cube groups paired with the view. */
struct mref {
    const struct sv_pool *p;
    size_t g;
    long ord; /* the output period's ordinal */
};

static int mref_cmp(const void *pa, const void *pb)
{
    const struct mref *a = pa, *b = pb;
    const struct sv_pool *p = a->p;
    size_t nd = sv_cube_ndims(p->c);

    for (size_t d = 0; d < nd; d++) {
        int r;
        if ((long)d == p->period_dim && d < p->nkeys && a->ord != b->ord)
            return a->ord < b->ord ? -1 : 1;
        if ((long)d == p->period_dim)
            continue; /* the cube's own period: after every key */
        r = strcmp(sv_cube_key(p->c, a->g, d), sv_cube_key(p->c, b->g, d));
        if (r)
            return r;
    }
    /* the cube's groups are sorted with periods in time order */
    return a->g < b->g ? -1 : a->g > b->g;
}

/* The output period key of cube group G into BUF (16 bytes). */
static void out_period(const struct sv_pool *p, size_t g, char *buf)
{
    const char *k = sv_cube_key(p->c, g, (size_t)p->period_dim);

    if (p->period == SV_PERIOD_NONE ||
        sv_period_rekey(k, p->period, buf, 16) != SV_OK)
        snprintf(buf, 16, "%s", k);
}

/* Sorts the cube's groups by output key into P->member; SV_OK or NOMEM. */
static enum sv_status sort_members(struct sv_pool *p, struct mref *r)
{
    size_t n = sv_cube_ngroups(p->c);
    char buf[16];

    for (size_t g = 0; g < n; g++) {
        r[g] = (struct mref){p, g, 0};
        if (p->period_dim >= 0) {
            out_period(p, g, buf);
            sv_period_ordinal(buf, &r[g].ord);
        }
    }
    if (n)
        qsort(r, n, sizeof *r, mref_cmp);
    for (size_t g = 0; g < n; g++)
        p->member[g] = r[g].g;
    return SV_OK;
}

/* True when cube groups A and B fall into the same output group. */
static int same_output(const struct sv_pool *p, size_t a, size_t b)
{
    char ka[16], kb[16];

    for (size_t d = 0; d < p->nkeys; d++)
        if ((long)d != p->period_dim &&
            strcmp(sv_cube_key(p->c, a, d), sv_cube_key(p->c, b, d)))
            return 0;
    if (p->period_dim < 0)
        return 1;
    out_period(p, a, ka);
    out_period(p, b, kb);
    return strcmp(ka, kb) == 0;
}

/* Cuts the sorted members into output groups. */
static enum sv_status cut_groups(struct sv_pool *p)
{
    size_t n = sv_cube_ngroups(p->c);

    p->ngroups = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || !same_output(p, p->member[i - 1], p->member[i])) {
            p->start[p->ngroups] = i;
            if (p->period_dim >= 0)
                out_period(p, p->member[i], p->pkey[p->ngroups]);
            p->ngroups++;
        }
    p->start[p->ngroups] = n;
    return SV_OK;
}

enum sv_status sv_pool_init(struct sv_pool *p, const struct sv_cube *c,
                            size_t nkeys, enum sv_period period)
{
    size_t n = sv_cube_ngroups(c);
    struct mref *r;
    enum sv_status st = SV_ERR_NOMEM;

    memset(p, 0, sizeof *p);
    p->c = c;
    p->nkeys = nkeys && nkeys < sv_cube_ndims(c) ? nkeys : sv_cube_ndims(c);
    p->period = period;
    p->period_dim = sv_cube_dim_index(c, "period");
    p->site_dim = sv_cube_dim_index(c, "site");
    r = malloc((n + 1) * sizeof *r);
    p->member = malloc((n + 1) * sizeof *p->member);
    p->start = malloc((n + 2) * sizeof *p->start);
    p->pkey = malloc((n + 1) * sizeof *p->pkey);
    if (r && p->member && p->start && p->pkey && !sort_members(p, r))
        st = cut_groups(p);
    free(r);
    if (st)
        sv_pool_release(p);
    return st;
}

void sv_pool_release(struct sv_pool *p)
{
    free(p->member);
    free(p->start);
    free(p->pkey);
    p->member = p->start = NULL;
    p->pkey = NULL;
}

static const char *pool_key(const void *src, size_t g, size_t d)
{
    const struct sv_pool *p = src;

    if ((long)d == p->period_dim)
        return p->pkey[g];
    return sv_cube_key(p->c, p->member[p->start[g]], d);
}

void sv_keyview_pool(struct sv_keyview *v, const struct sv_pool *p)
{
    v->src = p;
    v->ngroups = p->ngroups;
    v->ndims = p->nkeys;
    v->period_dim = p->period_dim < (long)p->nkeys ? p->period_dim : -1;
    v->key = pool_key;
}

static const char *const pooling_names[] = {"respondents", "sites",
                                            "households"};

const char *sv_pooling_name(enum sv_pooling pooling)
{
    return (size_t)pooling < 3 ? pooling_names[pooling] : "?";
}

enum sv_status sv_pooling_parse(const char *s, enum sv_pooling *out)
{
    for (size_t i = 0; i < 3; i++)
        if (strcmp(s, pooling_names[i]) == 0) {
            *out = (enum sv_pooling)i;
            return SV_OK;
        }
    return SV_ERR_USAGE;
}
