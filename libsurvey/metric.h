/*
 * metric.h — the one skeleton of the metric tables (score, nps,
 * complaints; inside libsurvey only).
 *
 * A metric describes its columns in a table (name, Chinese name, type,
 * decimals, which rows carry it and who fills it) and supplies value
 * functions; the skeleton writes the key columns, the item labels, the
 * change since the previous period, the (sites) rows and the trend table.
 * Keep a metric's column enum and its table in one X-macro list so their
 * order cannot drift:
 *
 *     #define MY_COLS(X) X(N, "n", "有效答卷", COUNT, 0, MAIN, VALUE, 0) ...
 *     enum { SV_MCOL_ENUM(MY_COLS) };
 *     static const struct sv_mcol cols[] = {SV_MCOL_TABLE(MY_COLS)};
 *
 * A row function that fails for another reason than memory fills ERR
 * itself and sets the row's status.
 */
#ifndef SV_METRIC_H
#define SV_METRIC_H

#include "internal.h"

/* Which rows carry a column: always, or only with an option. */
enum sv_mwhen {
    SV_MW_MAIN = 1,       /* every row */
    SV_MW_HOUSEHOLDS = 2, /* with a households file */
    SV_MW_COMPARE = 4,    /* with the change since the previous period */
    SV_MW_SITES = 8,      /* with the (sites) rows */
    SV_MW_POOL = 16       /* with --pool */
};

/* Who fills a column. */
enum sv_msrc {
    SV_MS_VALUE,        /* the metric's row function */
    SV_MS_LABEL,        /* the item's label number ARG */
    SV_MS_MEASURE,      /* the name of the measure (trend rows) */
    SV_MS_PREV_PERIOD,  /* the previous period with data */
    SV_MS_DELTA,        /* change of measure ARG (estimate now - before) */
    SV_MS_DELTA_P,      /* its two-sided p-value */
    SV_MS_DELTA_CI_LOW, /* Newcombe's 95 % interval of a change of rates */
    SV_MS_DELTA_CI_HIGH,
    SV_MS_DELTA_P_ADJ,  /* the p-value adjusted over the family of items
                           of the group (measure 0), else the p-value */
    SV_MS_SIGNIFICANT,  /* 1 when the adjusted p < SV_ALPHA */
    SV_MS_CHI2,         /* (sites) rows: chi-square across sites */
    SV_MS_DF,
    SV_MS_CHI2_P,
    SV_MS_PERIODS,      /* trend rows: periods with data */
    SV_MS_FIRST_PERIOD,
    SV_MS_LAST_PERIOD,
    SV_MS_FIRST,        /* the measure in the first and last period */
    SV_MS_LAST,
    SV_MS_SLOPE,        /* OLS slope per period and its p-value */
    SV_MS_SLOPE_P
};

/* One column of a metric table. */
struct sv_mcol {
    struct sv_colspec c;
    unsigned when; /* enum sv_mwhen */
    enum sv_msrc src;
    int arg;
};

/* X(ID, name, zh, TYPE, decimals, WHEN, SRC, arg) lists expand to these. */
#define SV_MCOL_ID(id, name, zh, type, dec, when, src, arg) C_##id,
#define SV_MCOL_ROW(id, name, zh, type, dec, when, src, arg)                  \
    {{name, zh, SV_TYPE_##type, dec}, SV_MW_##when, SV_MS_##src, arg},
#define SV_MCOL_ENUM(LIST) LIST(SV_MCOL_ID)

/* The item and role label columns most metrics start with. */
#define SV_MCOLS_ITEM_ROLE(X)                                                  \
    X(ITEM, "item", "分项", TEXT, 0, MAIN, LABEL, 0)                           \
    X(ROLE, "role", "类型", TEXT, 0, MAIN, LABEL, 1)

/* The trend columns the skeleton fills; FIRST and LAST name the measure in
 * the first and last period (first_pct, last_nps ...). */
#define SV_MCOLS_TREND(X, first, first_zh, last, last_zh)                      \
    X(T_PERIODS, "periods", "期数", COUNT, 0, MAIN, PERIODS, 0)                \
    X(T_FIRST_PERIOD, "first_period", "首期", TEXT, 0, MAIN, FIRST_PERIOD, 0)  \
    X(T_LAST_PERIOD, "last_period", "末期", TEXT, 0, MAIN, LAST_PERIOD, 0)     \
    X(T_FIRST, first, first_zh, NUM, 2, MAIN, FIRST, 0)                        \
    X(T_LAST, last, last_zh, NUM, 2, MAIN, LAST, 0)                            \
    X(T_SLOPE, "slope", "斜率", NUM, 2, MAIN, SLOPE, 0)                        \
    X(T_SLOPE_P, "slope_p", "斜率p值", P, 0, MAIN, SLOPE_P, 0)
#define SV_MCOL_TABLE(LIST) LIST(SV_MCOL_ROW)
#define SV_NELEMS(a) (sizeof(a) / sizeof *(a))

/*
 * A measure of item MI in group G: VALUE with its evidence, either X of N
 * (a proportion: change tested by the pooled two-proportion z test) or,
 * with BY_SE, an estimate with its standard error SE (z test of the
 * difference of two independent estimates), or, with WEIGHTED, a weighted
 * rate WP of effective size WN (tested as x/n would be; X and N stay the
 * unweighted counts).  N == 0: no data there.
 */
struct sv_est {
    double value;
    uint64_t x, n;
    double se;
    int by_se;
    int weighted;
    double wp, wn;
};

/* The row being written: its table, the column map and a sticky status. */
struct sv_mrow {
    struct sv_table *t;
    const long *map; /* metric column -> table column, or -1 */
    enum sv_status st;
    int absent;      /* set by the row function: no row for this item */
};

void sv_mrow_count(struct sv_mrow *r, int col, uint64_t n);
void sv_mrow_int(struct sv_mrow *r, int col, long long i);
void sv_mrow_num(struct sv_mrow *r, int col, double x);
void sv_mrow_text(struct sv_mrow *r, int col, const char *s);

/* A metric: its column tables and value functions over a key view. */
struct sv_metric {
    const struct sv_mcol *cols;  /* the main table (after the keys) */
    size_t ncols;
    const struct sv_mcol *tcols; /* the trend table (after the keys) */
    size_t ntcols;
    const char *const *measures; /* their names; measure 0 decides the
                                    previous period */
    size_t nmeasures;
    size_t nitems;
    unsigned opts;               /* enum sv_mwhen flags in force */
    const struct sv_keyview *kv;
    const char *const *dims;     /* key column names, kv->ndims */
    long site_dim;
    const void *ctx;
    /* Label K of item MI (borrowed). */
    const char *(*label)(const void *ctx, size_t mi, int k);
    /* Fills the SV_MS_VALUE columns of item MI in group G. */
    void (*row)(const void *ctx, size_t g, size_t mi, struct sv_mrow *r);
    /* Measure M of item MI in group G. */
    void (*measure)(const void *ctx, size_t g, size_t mi, size_t m,
                    struct sv_est *e);
    /* True when item MI gets a (sites) row (NULL: none do). */
    int (*sites_item)(const void *ctx, size_t mi);
    /*
     * True when the change of item MI is one of the tests adjusted
     * together with PADJUST within each group (NULL: every item keeps
     * its own p-value).
     */
    int (*family)(const void *ctx, size_t mi);
    enum sv_p_adjust padjust;
};

/*
 * Checks that the keys of M carry what its options need: a 'site' key for
 * households figures and the (sites) rows, a period key for the change
 * since the previous period and (TREND) for trends.  SV_OK or
 * SV_ERR_USAGE in ERR.
 */
enum sv_status sv_metric_check(const struct sv_metric *m, int trend,
                               struct sv_error *err);

/*
 * Returns the metric table of M (one row per group x item, then the
 * (sites) rows) or, with TREND, its trend table (one row per group
 * without period x item x measure).  Caller frees with sv_table_free().
 */
struct sv_table *sv_metric_table(const struct sv_metric *m, int trend,
                                 struct sv_error *err);

/*
 * Writes the table sv_metric_table() returns to OUT a group at a time,
 * never holding more than one group's rows (the aligned table is made
 * twice: its column widths first).  SV_OK, or the error in ERR.
 */
enum sv_status sv_metric_write(const struct sv_metric *m, int trend,
                               const struct sv_table_output *out,
                               struct sv_error *err);

#endif
