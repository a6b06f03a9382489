/*
 * score.c — satisfaction metrics from a frequency cube (docs/metrics.md):
 * n, missing, sat_pct with its Wilson interval, mean score with its t
 * interval, the pooled (all) item, complaint rates, weak items and
 * coverage.  Keys, change since the previous period, trend and the
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
    struct sv_mitem *items; /* items[0] is (all) when there are dimensions */
    size_t nitems;
    size_t *dims_items;     /* cube indices of all dimension items */
    size_t ndims_items;
    double *val;            /* scratch of aggregate() */
    uint64_t *cnt;
    long site_dim;
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

static void aggregate(const struct ctx *x, size_t g, const size_t *items,
                      size_t nitems, struct agg *a)
{
    size_t k = 0;

    memset(a, 0, sizeof *a);
    for (size_t j = 0; j < nitems; j++) {
        a->missing += sv_cube_count(x->c, g, items[j], -1);
        for (int code = 0; code <= SV_CUBE_MAX_CODE; code++) {
            double score;
            int sat;
            uint64_t n = sv_cube_count(x->c, g, items[j], code);
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

static void agg_of(const struct ctx *x, size_t g, size_t mi, struct agg *a)
{
    if (is_all(x, mi))
        aggregate(x, g, x->dims_items, x->ndims_items, a);
    else
        aggregate(x, g, x->items[mi].cube_items, x->items[mi].n, a);
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
}

/* Weak: below target, or significantly below the group's (all) rate. */
static int is_weak(const struct ctx *x, size_t g, size_t mi,
                   const struct agg *a)
{
    struct agg all;
    double p;

    if (pct(a->sat, a->n) < x->o->target)
        return 1;
    if (is_all(x, mi) || !x->ndims_items)
        return 0;
    agg_of(x, g, 0, &all);
    p = sv_two_prop_p(a->sat, a->n, all.sat, all.n);
    return p < SV_ALPHA && pct(a->sat, a->n) < pct(all.sat, all.n);
}

static void put_sat(const struct ctx *x, size_t g, size_t mi,
                    const struct agg *a, struct sv_mrow *r)
{
    double lo, hi;

    sv_wilson(a->sat, a->n, &lo, &hi);
    sv_mrow_num(r, C_SAT_PCT, pct(a->sat, a->n));
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

static void put_coverage(const struct ctx *x, size_t g, struct sv_mrow *r)
{
    long h = sv_households_get(x->o->households,
                               sv_cube_key(x->c, g, (size_t)x->site_dim));
    double cov;

    if (h <= 0)
        return;
    cov = 100.0 * (double)sv_cube_responses(x->c, g) / (double)h;
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
    sv_mrow_count(r, C_RESPONSES, sv_cube_responses(x->c, g));
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
    if (x->o && x->o->households)
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
    if (!x->val || !x->cnt)
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
}

void sv_score_options_init(struct sv_score_options *o)
{
    memset(o, 0, sizeof *o);
    o->target = SV_TARGET_DEFAULT;
    o->coverage_target = SV_COVERAGE_TARGET_DEFAULT;
    o->p_adjust = SV_P_ADJUST_HOLM;
}

/* The score metric of cube C with options O (NULL: the trend table). */
static struct sv_table *run(const struct sv_cube *c,
                            const struct sv_score_options *o,
                            struct sv_error *err)
{
    struct ctx x = {.c = c, .o = o};
    struct sv_keyview kv;
    struct sv_table *t = NULL;
    struct sv_metric m = {
        .cols = score_cols, .ncols = SV_NELEMS(score_cols),
        .tcols = trend_cols, .ntcols = SV_NELEMS(trend_cols),
        .measures = measures, .nmeasures = 1,
        .kv = &kv, .ctx = &x, .label = label, .row = row,
        .measure = measure, .sites_item = sites_item, .family = family,
        .padjust = o ? o->p_adjust : SV_P_ADJUST_NONE};
    const char **dims = calloc(sv_cube_ndims(c) + 1, sizeof *dims);

    sv_keyview_cube(&kv, c);
    x.site_dim = m.site_dim = sv_cube_dim_index(c, "site");
    for (size_t d = 0; dims && d < sv_cube_ndims(c); d++)
        dims[d] = sv_cube_dim(c, d);
    m.dims = dims;
    if (o)
        m.opts = (o->households ? SV_MW_HOUSEHOLDS : 0) |
                 (o->compare ? SV_MW_COMPARE : 0) |
                 (o->sites ? SV_MW_SITES : 0);
    if (!dims || build_items(&x))
        sv_error_set(err, SV_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    else {
        m.nitems = x.nitems;
        t = sv_metric_table(&m, !o, err);
    }
    free_items(&x);
    free(dims);
    return t;
}

struct sv_table *sv_score_table(const struct sv_cube *c,
                                const struct sv_score_options *o,
                                struct sv_error *err)
{
    return run(c, o, err);
}

struct sv_table *sv_score_trend_table(const struct sv_cube *c,
                                      struct sv_error *err)
{
    return run(c, NULL, err);
}
