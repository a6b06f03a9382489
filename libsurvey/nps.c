/*
 * nps.c — Net Promoter Score per group x nps item from a frequency cube
 * (docs/metrics.md): counts and shares of promoters, passives and detractors,
 * the score with its standard error and clamped 95 % interval
 * (sv_nps_compute), the change since the previous period (difference of
 * two independent estimates, sv_nps_diff_p) and the OLS trend.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metric.h"

/* The columns: X(ID, name, zh, TYPE, decimals, WHEN, SRC, arg). */
#define NPS_COLS(X)                                                            \
    X(ITEM, "item", "分项", TEXT, 0, MAIN, LABEL, 0)                           \
    X(RESPONSES, "responses", "回收份数", COUNT, 0, MAIN, VALUE, 0)            \
    X(N, "n", "有效答卷", COUNT, 0, MAIN, VALUE, 0)                            \
    X(MISSING, "missing", "未答", COUNT, 0, MAIN, VALUE, 0)                    \
    X(SMALL_N, "small_n", "样本不足", INT, 0, MAIN, VALUE, 0)                  \
    X(PROMOTERS, "promoters", "推荐者", COUNT, 0, MAIN, VALUE, 0)              \
    X(PASSIVES, "passives", "中立者", COUNT, 0, MAIN, VALUE, 0)                \
    X(DETRACTORS, "detractors", "贬损者", COUNT, 0, MAIN, VALUE, 0)            \
    X(PROMOTERS_PCT, "promoters_pct", "推荐者占比", NUM, 2, MAIN, VALUE, 0)    \
    X(PASSIVES_PCT, "passives_pct", "中立者占比", NUM, 2, MAIN, VALUE, 0)      \
    X(DETRACTORS_PCT, "detractors_pct", "贬损者占比", NUM, 2, MAIN, VALUE, 0)  \
    X(NPS, "nps", "净推荐值", NUM, 2, MAIN, VALUE, 0)                          \
    X(NPS_SE, "nps_se", "标准误", NUM, 2, MAIN, VALUE, 0)                      \
    X(NPS_LOW, "nps_ci_low", "净推荐值下限", NUM, 2, MAIN, VALUE, 0)           \
    X(NPS_HIGH, "nps_ci_high", "净推荐值上限", NUM, 2, MAIN, VALUE, 0)         \
    X(PREV, "prev_period", "上期", TEXT, 0, COMPARE, PREV_PERIOD, 0)           \
    X(DELTA, "delta_nps", "变化", NUM, 2, COMPARE, DELTA, 0)                   \
    X(DELTA_LOW, "delta_ci_low", "变化下限", NUM, 2, COMPARE, DELTA_CI_LOW, 0) \
    X(DELTA_HIGH, "delta_ci_high", "变化上限", NUM, 2, COMPARE, DELTA_CI_HIGH, \
      0)                                                                       \
    X(DELTA_P, "delta_p", "变化p值", P, 0, COMPARE, DELTA_P, 0)                \
    X(DELTA_P_ADJ, "delta_p_adj", "校正p值", P, 0, COMPARE, DELTA_P_ADJ, 0)   \
    X(SIGNIFICANT, "significant", "显著", INT, 0, COMPARE, SIGNIFICANT, 0)

#define NPS_TREND_COLS(X)                                                      \
    X(T_ITEM, "item", "分项", TEXT, 0, MAIN, LABEL, 0)                         \
    SV_MCOLS_TREND(X, "first_nps", "首期净推荐值", "last_nps", "末期净推荐值")

enum { SV_MCOL_ENUM(NPS_COLS) };
static const struct sv_mcol nps_cols[] = {SV_MCOL_TABLE(NPS_COLS)};
enum trend_col { SV_MCOL_ENUM(NPS_TREND_COLS) };
static const struct sv_mcol trend_cols[] = {SV_MCOL_TABLE(NPS_TREND_COLS)};
static const char *const measures[] = {"nps"};

struct ctx {
    const struct sv_cube *c;
    struct sv_mitem *items;
    size_t nitems;
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

static void measure(const void *p, size_t g, size_t mi, size_t m,
                    struct sv_est *e)
{
    struct sv_nps s;
    uint64_t missing;

    (void)m;
    nps_of(p, g, mi, &s, &missing);
    *e = (struct sv_est){.value = s.nps, .n = s.n, .se = s.se, .by_se = 1};
}

static void row(const void *p, size_t g, size_t mi, struct sv_mrow *r)
{
    const struct ctx *x = p;
    struct sv_nps s;
    uint64_t missing;

    nps_of(x, g, mi, &s, &missing);
    if (s.n + missing == 0) {
        r->absent = 1; /* the item is not asked in this group */
        return;
    }
    sv_mrow_count(r, C_RESPONSES, sv_cube_responses(x->c, g));
    sv_mrow_count(r, C_MISSING, missing);
    sv_mrow_count(r, C_N, s.n);
    sv_mrow_int(r, C_SMALL_N, s.n < SV_SMALL_N);
    sv_mrow_count(r, C_PROMOTERS, s.promoters);
    sv_mrow_count(r, C_PASSIVES, s.passives);
    sv_mrow_count(r, C_DETRACTORS, s.detractors);
    sv_mrow_num(r, C_PROMOTERS_PCT, s.promoters_pct);
    sv_mrow_num(r, C_PASSIVES_PCT, s.passives_pct);
    sv_mrow_num(r, C_DETRACTORS_PCT, s.detractors_pct);
    sv_mrow_num(r, C_NPS, s.nps);
    sv_mrow_num(r, C_NPS_SE, s.se);
    sv_mrow_num(r, C_NPS_LOW, s.ci_low);
    sv_mrow_num(r, C_NPS_HIGH, s.ci_high);
}

static const char *label(const void *p, size_t mi, int k)
{
    (void)k;
    return ((const struct ctx *)p)->items[mi].label;
}

/*
 * The NPS metric of CUBE (TREND: its trend table), returned, or written to
 * OUT (then NULL is returned and *ST says how it went).
 */
static struct sv_table *run(const struct sv_cube *cube, int compare,
                            int trend, const struct sv_table_output *out,
                            enum sv_status *st, struct sv_error *err)
{
    struct ctx x = {.c = cube};
    struct sv_keyview kv;
    struct sv_table *t = NULL;
    struct sv_metric m = {
        .cols = nps_cols, .ncols = SV_NELEMS(nps_cols),
        .tcols = trend_cols, .ntcols = SV_NELEMS(trend_cols),
        .measures = measures, .nmeasures = 1,
        .opts = compare ? SV_MW_COMPARE : 0, .kv = &kv, .site_dim = -1,
        .ctx = &x, .label = label, .row = row, .measure = measure};

    sv_keyview_cube(&kv, cube);
    m.dims = sv_cube_dims(cube);
    *st = sv_mitems_build(cube, nps_role, &x.items, &x.nitems);
    m.nitems = x.nitems;
    if (*st)
        sv_error_set(err, SV_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    else if (out)
        *st = sv_metric_write(&m, trend, out, err);
    else if (!(t = sv_metric_table(&m, trend, err)))
        *st = err ? err->code : SV_ERR_NOMEM;
    sv_mitems_free(x.items, x.nitems);
    return t;
}

struct sv_table *sv_nps_table(const struct sv_cube *cube, int compare,
                              struct sv_error *err)
{
    enum sv_status st;

    return run(cube, compare, 0, NULL, &st, err);
}

struct sv_table *sv_nps_trend_table(const struct sv_cube *cube,
                                    struct sv_error *err)
{
    enum sv_status st;

    return run(cube, 0, 1, NULL, &st, err);
}

enum sv_status sv_nps_write(const struct sv_cube *cube, int compare,
                            int trend, const struct sv_table_output *out,
                            struct sv_error *err)
{
    enum sv_status st;

    run(cube, compare && !trend, trend, out, &st, err);
    return st;
}
