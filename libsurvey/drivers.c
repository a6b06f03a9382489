/*
 * drivers.c — what to fix first: the importance-performance matrix
 * (GB/T 19038-2009 appendix D, 四分图) and the questionnaire's reliability
 * from a frequency cube (docs/metrics.md, PRODUCT.md 4 Drivers):
 *
 *   importance  Pearson's r of a dimension item's score with the outcome
 *               (the one overall item, else the mean of the respondent's
 *               other dimension items) over the respondents with both
 *               (pairs), from the cube's co-moments; importance_p from
 *               Student's t with pairs - 2 df (sv_pearson);
 *   quadrant    against the means over the group's items that have an
 *               importance (a value equal to its mean counts as high);
 *   alpha       Cronbach's alpha of the dimension items over the complete
 *               respondents (alpha_n), on the (all) row.
 *
 * Keys and rows come from the metric skeleton (metric.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metric.h"

/* The columns: X(ID, name, zh, TYPE, decimals, WHEN, SRC, arg). */
#define DRIVERS_COLS(X)                                                        \
    SV_MCOLS_ITEM_ROLE(X)                                                      \
    X(N, "n", "有效答卷", COUNT, 0, MAIN, VALUE, 0)                            \
    X(PAIRS, "pairs", "配对数", COUNT, 0, MAIN, VALUE, 0)                      \
    X(IMPORTANCE, "importance", "重要性", NUM, 4, MAIN, VALUE, 0)              \
    X(IMPORTANCE_P, "importance_p", "重要性p值", P, 0, MAIN, VALUE, 0)         \
    X(SAT_PCT, "sat_pct", "满意率", NUM, 2, MAIN, VALUE, 0)                    \
    X(QUADRANT, "quadrant", "象限", TEXT, 0, MAIN, VALUE, 0)                   \
    X(ALPHA, "alpha", "克隆巴赫系数", NUM, 4, MAIN, VALUE, 0)                  \
    X(ALPHA_N, "alpha_n", "完整答卷", COUNT, 0, MAIN, VALUE, 0)

enum { SV_MCOL_ENUM(DRIVERS_COLS) };
static const struct sv_mcol drivers_cols[] = {SV_MCOL_TABLE(DRIVERS_COLS)};
static const char *const measures[] = {"sat_pct"};

struct ctx {
    const struct sv_cube *c;
    struct sv_mitem *items; /* items[0] is (all) when there are dimensions */
    size_t nitems;
};

/* Valid answers and satisfied answers of cube items ITEMS in group G. */
static void rate_of(const struct ctx *x, size_t g, const size_t *items,
                    size_t n, uint64_t *valid, uint64_t *sat,
                    uint64_t *missing)
{
    *valid = *sat = *missing = 0;
    for (size_t j = 0; j < n; j++) {
        *missing += sv_cube_count(x->c, g, items[j], -1);
        for (int code = 0; code <= SV_CUBE_MAX_CODE; code++) {
            uint64_t k = sv_cube_count(x->c, g, items[j], code);
            double score;
            int s;
            if (!k || !sv_cube_level(x->c, items[j], code, NULL, &score, &s))
                continue;
            *valid += k;
            *sat += s ? k : 0;
        }
    }
}

/*
 * The co-moments of item MI (its cube items pooled: Chan, Golub and
 * LeVeque's update of centred sums) in group G.
 */
static void pair_of(const struct ctx *x, size_t g, size_t mi,
                    struct sv_cube_pair *p)
{
    const struct sv_mitem *it = &x->items[mi];

    memset(p, 0, sizeof *p);
    for (size_t j = 0; j < it->n; j++) {
        struct sv_cube_pair q;
        double n, dx, dy;
        if (!sv_cube_pair(x->c, g, it->cube_items[j], &q) || q.n == 0)
            continue;
        if (p->n == 0) {
            *p = q;
            continue;
        }
        n = (double)(p->n + q.n);
        dx = q.mean_x - p->mean_x;
        dy = q.mean_y - p->mean_y;
        p->sxx += q.sxx + dx * dx * (double)p->n * (double)q.n / n;
        p->syy += q.syy + dy * dy * (double)p->n * (double)q.n / n;
        p->sxy += q.sxy + dx * dy * (double)p->n * (double)q.n / n;
        p->mean_x += dx * (double)q.n / n;
        p->mean_y += dy * (double)q.n / n;
        p->n += q.n;
    }
}

static int is_all(const struct ctx *x, size_t mi)
{
    return mi == 0 && x->items[0].cube_items == NULL;
}

/* Importance and sat_pct of dimension item MI in group G (NaN: none). */
static void figures(const struct ctx *x, size_t g, size_t mi, double *r,
                    double *p, double *sat_pct)
{
    const struct sv_mitem *it = &x->items[mi];
    struct sv_cube_pair q;
    uint64_t n, sat, missing;

    pair_of(x, g, mi, &q);
    sv_pearson(q.n, q.sxx, q.syy, q.sxy, r, p);
    rate_of(x, g, it->cube_items, it->n, &n, &sat, &missing);
    *sat_pct = n ? 100.0 * (double)sat / (double)n : NAN;
}

/* True when A is at least B, ties within rounding included. */
static int high(double a, double b)
{
    return a >= b - 1e-12 * fmax(1.0, fabs(b));
}

/* The quadrant code of an item of group G at (R, SAT), or NULL. */
static const char *quadrant(const struct ctx *x, size_t g, double r,
                            double sat)
{
    double sr = 0.0, ss = 0.0, mr, ms;
    size_t k = 0;

    if (isnan(r) || isnan(sat))
        return NULL;
    for (size_t i = 0; i < x->nitems; i++) {
        double ri, pi, si;
        if (is_all(x, i))
            continue;
        figures(x, g, i, &ri, &pi, &si);
        if (isnan(ri) || isnan(si))
            continue;
        sr += ri;
        ss += si;
        k++;
    }
    mr = sr / (double)k;
    ms = ss / (double)k;
    if (high(r, mr))
        return high(sat, ms) ? "strength" : "fix";
    return high(sat, ms) ? "maintain" : "opportunity";
}

/* Cronbach's alpha of the group's dimension items and its n. */
static void put_alpha(const struct ctx *x, size_t g, struct sv_mrow *row)
{
    size_t n = sv_cube_nitems(x->c), k = 0;
    double *ss = malloc((n + 1) * sizeof *ss);
    struct sv_cube_moments tot, m;

    if (!ss) {
        row->st = SV_ERR_NOMEM;
        return;
    }
    sv_cube_alpha_total(x->c, g, &tot);
    /* the items every complete respondent answered (one form) */
    for (size_t i = 0; i < n; i++)
        if (sv_cube_alpha_item(x->c, g, i, &m) && m.n > 0 && m.n == tot.n)
            ss[k++] = m.ss;
    sv_mrow_num(row, C_ALPHA,
                tot.n >= 2 ? sv_cronbach_alpha_ss(k, ss, tot.ss) : NAN);
    sv_mrow_count(row, C_ALPHA_N, tot.n);
    free(ss);
}

static void row(const void *p, size_t g, size_t mi, struct sv_mrow *r)
{
    const struct ctx *x = p;
    const struct sv_mitem *it = &x->items[mi];
    uint64_t n, sat, missing;
    size_t nall = sv_cube_nitems(x->c), k = 0;
    struct sv_cube_pair q;
    double imp, imp_p, pct;
    const char *quad;

    if (is_all(x, mi)) {
        size_t *dims = malloc((nall + 1) * sizeof *dims);
        if (!dims) {
            r->st = SV_ERR_NOMEM;
            return;
        }
        for (size_t i = 0; i < nall; i++)
            if (sv_cube_item(x->c, i).role == SV_ROLE_DIMENSION)
                dims[k++] = i;
        rate_of(x, g, dims, k, &n, &sat, &missing);
        free(dims);
        if (n + missing == 0) {
            r->absent = 1;
            return;
        }
        sv_mrow_count(r, C_N, n);
        sv_mrow_num(r, C_SAT_PCT, n ? 100.0 * (double)sat / (double)n : NAN);
        put_alpha(x, g, r);
        return;
    }
    rate_of(x, g, it->cube_items, it->n, &n, &sat, &missing);
    if (n + missing == 0) {
        r->absent = 1; /* the item is not asked in this group */
        return;
    }
    pair_of(x, g, mi, &q);
    figures(x, g, mi, &imp, &imp_p, &pct);
    quad = quadrant(x, g, imp, pct);
    sv_mrow_count(r, C_N, n);
    sv_mrow_count(r, C_PAIRS, q.n);
    sv_mrow_num(r, C_IMPORTANCE, imp);
    sv_mrow_num(r, C_IMPORTANCE_P, imp_p);
    sv_mrow_num(r, C_SAT_PCT, pct);
    if (quad)
        sv_mrow_text(r, C_QUADRANT, quad);
}

/* The satisfied share of item MI (the skeleton's measure 0). */
static void measure(const void *p, size_t g, size_t mi, size_t m,
                    struct sv_est *e)
{
    const struct ctx *x = p;
    uint64_t missing;

    (void)m;
    memset(e, 0, sizeof *e);
    if (!is_all(x, mi))
        rate_of(x, g, x->items[mi].cube_items, x->items[mi].n, &e->n, &e->x,
                &missing);
    e->value = e->n ? 100.0 * (double)e->x / (double)e->n : NAN;
}

static const char *label(const void *p, size_t mi, int k)
{
    const struct ctx *x = p;

    return k == 0 ? x->items[mi].label : sv_role_name(x->items[mi].role);
}

static int dimension_role(enum sv_role r)
{
    return r == SV_ROLE_DIMENSION;
}

/* (all) first, then the cube's dimension items pooled by label. */
static enum sv_status build_items(struct ctx *x)
{
    if (sv_mitems_build(x->c, dimension_role, &x->items, &x->nitems))
        return SV_ERR_NOMEM;
    return x->nitems ? sv_mitems_prepend_all(&x->items, &x->nitems) : SV_OK;
}

/*
 * The drivers table of CUBE, returned, or written to OUT (then NULL is
 * returned and *ST says how it went).
 */
static struct sv_table *run(const struct sv_cube *cube,
                            const struct sv_table_output *out,
                            enum sv_status *st, struct sv_error *err)
{
    struct ctx x = {.c = cube};
    struct sv_keyview kv;
    struct sv_table *t = NULL;
    struct sv_metric m = {
        .cols = drivers_cols, .ncols = SV_NELEMS(drivers_cols),
        .measures = measures, .nmeasures = 1, .kv = &kv,
        .ctx = &x, .label = label, .row = row, .measure = measure};

    sv_keyview_cube(&kv, cube);
    m.site_dim = sv_cube_dim_index(cube, "site");
    m.dims = sv_cube_dims(cube);
    *st = build_items(&x);
    m.nitems = x.nitems;
    if (*st)
        sv_error_set(err, SV_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    else if (out)
        *st = sv_metric_write(&m, 0, out, err);
    else if (!(t = sv_metric_table(&m, 0, err)))
        *st = err ? err->code : SV_ERR_NOMEM;
    sv_mitems_free(x.items, x.nitems);
    return t;
}

struct sv_table *sv_drivers_table(const struct sv_cube *cube,
                                  struct sv_error *err)
{
    enum sv_status st;

    return run(cube, NULL, &st, err);
}

enum sv_status sv_drivers_write(const struct sv_cube *cube,
                                const struct sv_table_output *out,
                                struct sv_error *err)
{
    enum sv_status st;

    run(cube, out, &st, err);
    return st;
}
