/*
 * score.c — satisfaction metrics from a frequency cube (docs/metrics.md):
 * n, missing, sat_pct with its Wilson interval, mean score with its t
 * interval, the pooled (all) item, complaint rates, weak items,
 * coverage and the pooling of sites inside a group (weighted rates with
 * Kish's n_eff).  Keys, change since the previous period, trend and the
 * comparison of sites come from the metric skeleton (metric.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metric.h"

/* The columns: X(ID, name, zh, TYPE, decimals, WHEN, SRC, arg). */
#define SCORE_COLS(X)                                                          \
    SV_MCOLS_ITEM_ROLE(X)                                                      \
    X(RESPONSES, "responses", "回收份数", COUNT, 0, MAIN, VALUE, 0)            \
    X(N, "n", "有效答卷", COUNT, 0, MAIN, VALUE, 0)                            \
    X(MISSING, "missing", "未答", COUNT, 0, MAIN, VALUE, 0)                    \
    X(SMALL_N, "small_n", "样本不足", INT, 0, MAIN, VALUE, 0)                  \
    X(N_EFF, "n_eff", "有效样本量", NUM, 2, POOL, VALUE, 0)                    \
    X(SAT_PCT, "sat_pct", "满意率", NUM, 2, MAIN, VALUE, 0)                    \
    X(SAT_CI_LOW, "sat_ci_low", "满意率下限", NUM, 2, MAIN, VALUE, 0)          \
    X(SAT_CI_HIGH, "sat_ci_high", "满意率上限", NUM, 2, MAIN, VALUE, 0)        \
    X(MEAN, "mean_score", "平均分", NUM, 2, MAIN, VALUE, 0)                    \
    X(SD, "sd", "标准差", NUM, 2, MAIN, VALUE, 0)                              \
    X(MEAN_LOW, "mean_ci_low", "平均分下限", NUM, 2, MAIN, VALUE, 0)           \
    X(MEAN_HIGH, "mean_ci_high", "平均分上限", NUM, 2, MAIN, VALUE, 0)         \
    X(COMPLAINT_PCT, "complaint_pct", "投诉率", NUM, 2, MAIN, VALUE, 0)        \
    X(REPEAT_PCT, "repeat_pct", "重复投诉率", NUM, 2, MAIN, VALUE, 0)          \
    X(WEAK, "weak", "短板", INT, 0, MAIN, VALUE, 0)                            \
    X(HOUSEHOLDS, "households", "户数", INT, 0, HOUSEHOLDS, VALUE, 0)          \
    X(COVERAGE, "coverage_pct", "覆盖率", NUM, 2, HOUSEHOLDS, VALUE, 0)        \
    X(COVERAGE_LOW, "coverage_low", "覆盖不足", INT, 0, HOUSEHOLDS, VALUE, 0)  \
    X(PREV, "prev_period", "上期", TEXT, 0, COMPARE, PREV_PERIOD, 0)           \
    X(DELTA, "delta_pct", "变化", NUM, 2, COMPARE, DELTA, 0)                   \
    X(DELTA_LOW, "delta_ci_low", "变化下限", NUM, 2, COMPARE, DELTA_CI_LOW, 0) \
    X(DELTA_HIGH, "delta_ci_high", "变化上限", NUM, 2, COMPARE, DELTA_CI_HIGH, \
      0)                                                                       \
    X(DELTA_P, "delta_p", "变化p值", P, 0, COMPARE, DELTA_P, 0)                \
    X(DELTA_P_ADJ, "delta_p_adj", "校正p值", P, 0, COMPARE, DELTA_P_ADJ, 0)   \
    X(SIGNIFICANT, "significant", "显著", INT, 0, COMPARE, SIGNIFICANT, 0)     \
    X(CHI2, "chi2", "卡方", NUM, 4, SITES, CHI2, 0)                            \
    X(DF, "df", "自由度", INT, 0, SITES, DF, 0)                                \
    X(CHI2_P, "chi2_p", "卡方p值", P, 0, SITES, CHI2_P, 0)

#define SCORE_TREND_COLS(X)                                                    \
    X(T_ITEM, "item", "分项", TEXT, 0, MAIN, LABEL, 0)                         \
    X(T_ROLE, "role", "类型", TEXT, 0, MAIN, LABEL, 1)                         \
    SV_MCOLS_TREND(X, "first_pct", "首期满意率", "last_pct", "末期满意率")

enum { SV_MCOL_ENUM(SCORE_COLS) };
static const struct sv_mcol score_cols[] = {SV_MCOL_TABLE(SCORE_COLS)};
enum trend_col { SV_MCOL_ENUM(SCORE_TREND_COLS) };
static const struct sv_mcol trend_cols[] = {SV_MCOL_TABLE(SCORE_TREND_COLS)};
static const char *const measures[] = {"sat_pct"};

struct ctx {
    const struct sv_cube *c;
    const struct sv_score_options *o;
    struct sv_pool pool;    /* output groups of cube groups */
    enum sv_pooling pooling;
    struct sv_mitem *items; /* items[0] is (all) when there are dimensions */
    size_t nitems;
    size_t *dims_items;     /* cube indices of all dimension items */
    size_t ndims_items;
    double *val;            /* scratch of aggregate() */
    uint64_t *cnt;
    double *w, *w2;         /* scratch of weigh() */
    long site_dim;          /* output site key, or -1 */
};

/* Pooled answers of some cube items in one group. */
struct agg {
    uint64_t n, missing, sat, yes;
    double mean, sd, mean_lo, mean_hi;
    int weighted;           /* sites weighted: P and NEFF hold the rate */
    double p, neff;
};

/* Questionnaires of the cube groups POOL.member[FROM..TO). */
static uint64_t responses_in(const struct ctx *x, size_t from, size_t to)
{
    uint64_t r = 0;

    for (size_t i = from; i < to; i++)
        r += sv_cube_responses(x->c, x->pool.member[i]);
    return r;
}

static uint64_t responses(const struct ctx *x, size_t g)
{
    return responses_in(x, x->pool.start[g], x->pool.start[g + 1]);
}

/* Count of level CODE of cube item ITEM in output group G. */
static uint64_t count(const struct ctx *x, size_t g, size_t item, int code)
{
    uint64_t n = 0;

    for (size_t i = x->pool.start[g]; i < x->pool.start[g + 1]; i++)
        n += sv_cube_count(x->c, x->pool.member[i], item, code);
    return n;
}

static int rated_role(enum sv_role r)
{
    return r == SV_ROLE_DIMENSION || r == SV_ROLE_OVERALL ||
           r == SV_ROLE_COMPLAINT || r == SV_ROLE_REPEAT_COMPLAINT;
}

static void aggregate(const struct ctx *x, size_t g, const size_t *items,
                      size_t nitems, struct agg *a)
{
    size_t k = 0;

    memset(a, 0, sizeof *a);
    for (size_t j = 0; j < nitems; j++) {
        a->missing += count(x, g, items[j], -1);
        for (int code = 0; code <= SV_CUBE_MAX_CODE; code++) {
            double score;
            int sat;
            uint64_t n = count(x, g, items[j], code);
            if (!n || !sv_cube_level(x->c, items[j], code, NULL, &score, &sat))
                continue;
            a->sat += sat ? n : 0;
            a->yes += code == 1 ? n : 0;
            x->val[k] = score;
            x->cnt[k++] = n;
        }
    }
    a->n = sv_freq_moments(x->val, x->cnt, k, &a->mean, &a->sd, &a->mean_lo,
                           &a->mean_hi);
}

static int is_all(const struct ctx *x, size_t mi)
{
    return mi == 0 && x->ndims_items > 0;
}

/* The end of the run of members from I on that share I's site. */
static size_t site_run_end(const struct ctx *x, size_t i, size_t to)
{
    const char *s;
    size_t e = i + 1;

    if (x->pool.site_dim < 0)
        return to;
    s = sv_cube_key(x->c, x->pool.member[i], (size_t)x->pool.site_dim);
    while (e < to && strcmp(s, sv_cube_key(x->c, x->pool.member[e],
                                           (size_t)x->pool.site_dim)) == 0)
        e++;
    return e;
}

/*
 * The weight of each answer of the site of members FROM..TO (PRODUCT.md
 * 4 Pooling sites): 1 / n_s of the items, or H_s / R_s; 0 without answers.
 */
static double site_weight(const struct ctx *x, size_t from, size_t to,
                          const size_t *items, size_t nitems)
{
    uint64_t n = 0;
    long h;

    for (size_t i = from; i < to; i++)
        for (size_t j = 0; j < nitems; j++)
            for (int code = 0; code <= SV_CUBE_MAX_CODE; code++)
                if (sv_cube_level(x->c, items[j], code, NULL, NULL, NULL))
                    n += sv_cube_count(x->c, x->pool.member[i], items[j],
                                       code);
    if (!n)
        return 0.0;
    if (x->pooling == SV_POOL_SITES)
        return 1.0 / (double)n;
    h = sv_households_get(x->o->households,
                          sv_cube_key(x->c, x->pool.member[from],
                                      (size_t)x->pool.site_dim));
    return (double)h / (double)responses_in(x, from, to);
}

/* Adds the answers of members FROM..TO with weight W into the scratch. */
static void weigh_run(const struct ctx *x, size_t from, size_t to,
                      const size_t *items, size_t nitems, double w,
                      double *wsat)
{
    for (size_t i = from; i < to; i++)
        for (size_t j = 0; j < nitems; j++)
            for (int code = 0; code <= SV_CUBE_MAX_CODE; code++) {
                size_t k = j * (SV_CUBE_MAX_CODE + 1) + (size_t)code;
                double n = (double)sv_cube_count(x->c, x->pool.member[i],
                                                 items[j], code);
                int sat;
                if (!(n > 0.0) ||
                    !sv_cube_level(x->c, items[j], code, NULL, NULL, &sat))
                    continue;
                x->w[k] += w * n;
                x->w2[k] += w * w * n;
                *wsat += sat ? w * n : 0.0;
            }
}

/* The weighted rate, mean and n_eff of some items in group G into A. */
static void weigh(const struct ctx *x, size_t g, const size_t *items,
                  size_t nitems, struct agg *a)
{
    size_t to = x->pool.start[g + 1], nv = nitems * (SV_CUBE_MAX_CODE + 1);
    size_t k = 0;
    double wsat = 0.0, sw = 0.0;

    memset(x->w, 0, (nv + 1) * sizeof *x->w);
    memset(x->w2, 0, (nv + 1) * sizeof *x->w2);
    for (size_t i = x->pool.start[g], e; i < to; i = e) {
        e = site_run_end(x, i, to);
        weigh_run(x, i, e, items, nitems,
                  site_weight(x, i, e, items, nitems), &wsat);
    }
    for (size_t v = 0; v < nv; v++) {
        double score;
        if (!(x->w[v] > 0.0))
            continue;
        sv_cube_level(x->c, items[v / (SV_CUBE_MAX_CODE + 1)],
                      (int)(v % (SV_CUBE_MAX_CODE + 1)), NULL, &score, NULL);
        sw += x->w[v];
        x->val[k] = score;
        x->w[k] = x->w[v];
        x->w2[k++] = x->w2[v];
    }
    a->weighted = 1;
    a->p = sw > 0.0 ? wsat / sw : NAN;
    a->neff = sv_weighted_moments(x->val, x->w, x->w2, k, &a->mean, &a->sd,
                                  &a->mean_lo, &a->mean_hi);
}

static void agg_of(const struct ctx *x, size_t g, size_t mi, struct agg *a)
{
    const size_t *items = x->items[mi].cube_items;
    size_t n = x->items[mi].n;
    enum sv_role r = x->items[mi].role;

    if (is_all(x, mi)) {
        items = x->dims_items;
        n = x->ndims_items;
    }
    aggregate(x, g, items, n, a);
    if (x->pooling != SV_POOL_RESPONDENTS && a->n &&
        (r == SV_ROLE_DIMENSION || r == SV_ROLE_OVERALL))
        weigh(x, g, items, n, a);
}

/* The satisfaction rate of A in percent (weighted when pooled). */
static double sat_rate(const struct agg *a)
{
    if (a->weighted)
        return 100.0 * a->p;
    return a->n ? 100.0 * (double)a->sat / (double)a->n : NAN;
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

static double pct(uint64_t num, uint64_t den)
{
    return den ? 100.0 * (double)num / (double)den : NAN;
}

/* The row's headline rate as X out of N (sat, complaint or repeat). */
static void measure(const void *p, size_t g, size_t mi, size_t m,
                    struct sv_est *e)
{
    const struct ctx *x = p;
    enum sv_role r = x->items[mi].role;
    struct agg a;

    (void)m;
    agg_of(x, g, mi, &a);
    memset(e, 0, sizeof *e);
    e->x = r == SV_ROLE_COMPLAINT || r == SV_ROLE_REPEAT_COMPLAINT ? a.yes
                                                                   : a.sat;
    e->n = r == SV_ROLE_REPEAT_COMPLAINT ? complaints_yes(x, g) : a.n;
    if (a.n + a.missing == 0)
        e->n = 0; /* the item is not asked in this group */
    e->value = pct(e->x, e->n);
    if (a.weighted && e->n) {
        e->weighted = 1;
        e->wp = a.p;
        e->wn = a.neff;
        e->value = sat_rate(&a);
    }
}

/* Weak: below target, or significantly below the group's (all) rate. */
static int is_weak(const struct ctx *x, size_t g, size_t mi,
                   const struct agg *a)
{
    struct agg all;
    double p;

    if (sat_rate(a) < x->o->target)
        return 1;
    if (is_all(x, mi) || !x->ndims_items)
        return 0;
    agg_of(x, g, 0, &all);
    if (a->weighted && all.weighted)
        p = sv_two_prop_p_rate(a->p, a->neff, all.p, all.neff);
    else
        p = sv_two_prop_p(a->sat, a->n, all.sat, all.n);
    return p < SV_ALPHA && sat_rate(a) < sat_rate(&all);
}

static void put_sat(const struct ctx *x, size_t g, size_t mi,
                    const struct agg *a, struct sv_mrow *r)
{
    double lo, hi;

    if (a->weighted)
        sv_wilson_rate(a->p, a->neff, &lo, &hi);
    else
        sv_wilson(a->sat, a->n, &lo, &hi);
    sv_mrow_num(r, C_N_EFF, a->weighted ? a->neff : (double)a->n);
    sv_mrow_num(r, C_SAT_PCT, sat_rate(a));
    sv_mrow_num(r, C_SAT_CI_LOW, 100 * lo);
    sv_mrow_num(r, C_SAT_CI_HIGH, 100 * hi);
    sv_mrow_num(r, C_MEAN, a->mean);
    sv_mrow_num(r, C_SD, a->sd);
    /* Scores live in [0, 100], so does the interval of their mean. */
    sv_mrow_num(r, C_MEAN_LOW, isnan(a->mean_lo) ? NAN : fmax(a->mean_lo, 0));
    sv_mrow_num(r, C_MEAN_HIGH,
                isnan(a->mean_hi) ? NAN : fmin(a->mean_hi, 100));
    if (a->n)
        sv_mrow_int(r, C_WEAK, is_weak(x, g, mi, a));
}

/*
 * Coverage of output group G: questionnaires / households, over a half or
 * a year the mean over its quarters with questionnaires (PRODUCT.md 4.1;
 * the group's cube groups are then its quarters).
 */
static void put_coverage(const struct ctx *x, size_t g, struct sv_mrow *r)
{
    struct sv_keyview kv;
    long h;
    double cov = 0.0;
    size_t k = 0;

    sv_keyview_pool(&kv, &x->pool);
    h = sv_households_get(x->o->households,
                          kv.key(kv.src, g, (size_t)x->site_dim));
    if (h <= 0)
        return;
    for (size_t i = x->pool.start[g]; i < x->pool.start[g + 1]; i++) {
        uint64_t n = sv_cube_responses(x->c, x->pool.member[i]);
        if (n) {
            cov += 100.0 * (double)n / (double)h;
            k++;
        }
    }
    cov = k ? cov / (double)k : 0.0;
    sv_mrow_int(r, C_HOUSEHOLDS, h);
    sv_mrow_num(r, C_COVERAGE, cov);
    sv_mrow_int(r, C_COVERAGE_LOW, cov < x->o->coverage_target);
}

static void row(const void *p, size_t g, size_t mi, struct sv_mrow *r)
{
    const struct ctx *x = p;
    enum sv_role role = x->items[mi].role;
    struct sv_est e;
    struct agg a;

    agg_of(x, g, mi, &a);
    if (a.n + a.missing == 0) {
        r->absent = 1;
        return;
    }
    sv_mrow_count(r, C_RESPONSES, responses(x, g));
    sv_mrow_count(r, C_N, a.n);
    sv_mrow_count(r, C_MISSING, a.missing);
    sv_mrow_int(r, C_SMALL_N, a.n < SV_SMALL_N);
    measure(x, g, mi, 0, &e);
    if (role == SV_ROLE_COMPLAINT)
        sv_mrow_num(r, C_COMPLAINT_PCT, e.value);
    else if (role == SV_ROLE_REPEAT_COMPLAINT)
        sv_mrow_num(r, C_REPEAT_PCT, e.value);
    else
        put_sat(x, g, mi, &a, r);
    if (x->o && x->o->households && x->site_dim >= 0)
        put_coverage(x, g, r);
}

static const char *label(const void *p, size_t mi, int k)
{
    const struct ctx *x = p;

    return k == 0 ? x->items[mi].label : sv_role_name(x->items[mi].role);
}

static int sites_item(const void *p, size_t mi)
{
    const struct ctx *x = p;

    return x->items[mi].role == SV_ROLE_DIMENSION ||
           x->items[mi].role == SV_ROLE_OVERALL;
}

/* The changes adjusted together: the group's dimension items. */
static int family(const void *p, size_t mi)
{
    const struct ctx *x = p;

    return !is_all(x, mi) && x->items[mi].role == SV_ROLE_DIMENSION;
}

/* The metric items: (all) first (pooling every dimension item), then the
 * cube's items pooled by label and role. */
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
    x->val = malloc((n * (SV_CUBE_MAX_CODE + 1) + 1) * sizeof *x->val);
    x->cnt = malloc((n * (SV_CUBE_MAX_CODE + 1) + 1) * sizeof *x->cnt);
    x->w = malloc((n * (SV_CUBE_MAX_CODE + 1) + 1) * sizeof *x->w);
    x->w2 = malloc((n * (SV_CUBE_MAX_CODE + 1) + 1) * sizeof *x->w2);
    if (!x->val || !x->cnt || !x->w || !x->w2)
        return SV_ERR_NOMEM;
    if (!x->ndims_items)
        return SV_OK;
    return sv_mitems_prepend_all(&x->items, &x->nitems);
}

static void free_items(struct ctx *x)
{
    sv_mitems_free(x->items, x->nitems);
    free(x->dims_items);
    free(x->val);
    free(x->cnt);
    free(x->w);
    free(x->w2);
    sv_pool_release(&x->pool);
}

void sv_score_options_init(struct sv_score_options *o)
{
    memset(o, 0, sizeof *o);
    o->target = SV_TARGET_DEFAULT;
    o->coverage_target = SV_COVERAGE_TARGET_DEFAULT;
    o->p_adjust = SV_P_ADJUST_HOLM;
}

/* What pooling by sites or households needs of cube C: SV_OK or ERR. */
static enum sv_status check_pooling(const struct ctx *x, struct sv_error *err)
{
    long sd = x->pool.site_dim;

    if (x->pooling == SV_POOL_RESPONDENTS)
        return SV_OK;
    if (sd < 0)
        return sv_error_set(err, SV_ERR_USAGE, NULL, 0, NULL,
                            "pooling by %s needs the site of each answer (a "
                            "'site' key in the cube)",
                            sv_pooling_name(x->pooling));
    if (x->pooling == SV_POOL_SITES)
        return SV_OK;
    if (!x->o->households)
        return sv_error_set(err, SV_ERR_USAGE, NULL, 0, NULL,
                            "pooling by households needs the households "
                            "per site");
    for (size_t g = 0; g < sv_cube_ngroups(x->c); g++) {
        const char *site = sv_cube_key(x->c, g, (size_t)sd);
        if (sv_households_get(x->o->households, site) <= 0)
            return sv_error_set(err, SV_ERR_DATA, NULL, 0, NULL,
                                "site '%s' has no household count (pooling "
                                "by households)", site);
    }
    return SV_OK;
}

/* The metric description of X with options O (NULL: defaults). */
static void describe(struct ctx *x, const struct sv_score_options *o,
                     struct sv_keyview *kv, struct sv_metric *m)
{
    long sd = sv_cube_dim_index(x->c, "site");

    sv_keyview_pool(kv, &x->pool);
    x->site_dim = m->site_dim = sd >= 0 && (size_t)sd < kv->ndims ? sd : -1;
    if (!o)
        return;
    m->opts = (o->households && x->site_dim >= 0 ? SV_MW_HOUSEHOLDS : 0) |
              (o->compare ? SV_MW_COMPARE : 0) |
              (o->sites ? SV_MW_SITES : 0) |
              (o->pool_column ? SV_MW_POOL : 0);
}

/*
 * The score metric of cube C with options O (TREND: its trend table),
 * returned, or written to OUT (then NULL is returned, *ST says how it went).
 */
static struct sv_table *run(const struct sv_cube *c,
                            const struct sv_score_options *o, int trend,
                            const struct sv_table_output *out,
                            enum sv_status *st, struct sv_error *err)
{
    struct ctx x = {.c = c, .o = o, .pooling = o ? o->pooling : 0};
    struct sv_keyview kv;
    struct sv_table *t = NULL;
    struct sv_metric m = {
        .cols = score_cols, .ncols = SV_NELEMS(score_cols),
        .tcols = trend_cols, .ntcols = SV_NELEMS(trend_cols),
        .measures = measures, .nmeasures = 1,
        .kv = &kv, .ctx = &x, .label = label, .row = row,
        .measure = measure, .sites_item = sites_item, .family = family,
        .padjust = o ? o->p_adjust : SV_P_ADJUST_NONE};

    m.dims = sv_cube_dims(c);
    if (sv_pool_init(&x.pool, c, o ? o->nkeys : 0,
                     o ? o->period : SV_PERIOD_NONE) ||
        build_items(&x))
        *st = sv_error_set(err, SV_ERR_NOMEM, NULL, 0, NULL,
                           "out of memory");
    else if (!(*st = check_pooling(&x, err))) {
        describe(&x, o, &kv, &m);
        m.nitems = x.nitems;
        if (out)
            *st = sv_metric_write(&m, trend, out, err);
        else if (!(t = sv_metric_table(&m, trend, err)))
            *st = err ? err->code : SV_ERR_NOMEM;
    }
    free_items(&x);
    return t;
}

struct sv_table *sv_score_table(const struct sv_cube *c,
                                const struct sv_score_options *o,
                                struct sv_error *err)
{
    enum sv_status st;

    return run(c, o, o && o->trend, NULL, &st, err);
}

enum sv_status sv_score_write(const struct sv_cube *c,
                              const struct sv_score_options *o,
                              const struct sv_table_output *out,
                              struct sv_error *err)
{
    enum sv_status st;

    run(c, o, o && o->trend, out, &st, err);
    return st;
}

struct sv_table *sv_score_trend_table(const struct sv_cube *c,
                                      struct sv_error *err)
{
    enum sv_status st;

    return run(c, NULL, 1, NULL, &st, err);
}
