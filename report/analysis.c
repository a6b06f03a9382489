/*
 * analysis.c — the 统计分析报告 of one period (a quarter by default; the
 * period key chooses month, half or year).  Reads the streams or cubes
 * into two cubes (by period, and by site and period), computes every
 * figure with libsurvey (score, compare, trend, site comparison, NPS,
 * comments) and lays the report out with sv_report_*.
 *
 * Pages: cover; headline figures; per-dimension table and bar chart;
 * composition (pie) and distributions (histograms); trends; sites;
 * common opinions; the complaint register (when given).
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis.h"
#include "chart.h"
#include "tables.h"

/* The rows of a table by two of its text columns, sorted once. */
struct rowidx {
    struct rowkey {
        const char *a, *b; /* borrowed from the table */
        size_t row;
    } *k;
    size_t n;
};

/* Everything the report is built from. */
/* Sites listed in table 4, its paragraph and its chart (README). */
#define REPORT_SITES 200
/* Sites a report is made for at most (README). */
#define REPORT_MAX_SITES 20000

/* An (all) row of the sites table and its satisfaction rate. */
struct site_rate {
    long row;
    double rate;
    const char *site;
};

struct an {
    const struct sv_analysis_options *o;
    struct sv_report *rep;
    struct sv_cube *cube_p, *cube_sp;
    struct sv_cube *cube_spq; /* half or year: sites by quarter (coverage) */
    struct sv_table *score_p, *score_sp, *freq_p, *trend_p, *nps_p, *nps_sp;
    struct sv_table *drivers_p;
    struct sv_cube *cube_all;  /* --site: the whole company by period */
    struct sv_table *score_all, *nps_all; /* its figures, or NULL */
    struct sv_households *hh;
    char period[16], prev[16];
    enum sv_period gran; /* the report's period: quarter unless the key says */
    int en, rc; /* rc: first report-builder failure */
    struct sv_error *err;
    struct sv_error chart_err; /* first chart that failed for want of
                                  memory or another reason than data */
    struct rowidx score_items, nps_items, nps_sites; /* (period, item),
                                                        (site, period) */
    struct rowidx all_items, nps_all_items; /* company (period, item) */
    int defined_rate, defined_overall; /* definitions given once, under
                                          the first use of the term */
    double coverage_target;    /* the values in force, for the captions */
    long window_days;
    struct site_rate *listed;  /* the (all) rows of the sites listed */
    const char **names;        /* their sites, sorted */
    size_t nlisted, nsites;    /* of the period's sites */
};

/* Chooses the fixed text of the report's language. */
static const char *L(const struct an *a, const char *zh, const char *en)
{
    return a->en ? en : zh;
}

/* Records the first sv_report_* failure. */
static void ok(struct an *a, int st)
{
    if (st != SV_CHART_OK && !a->rc)
        a->rc = st;
}

/*
 * Records why a chart could not be built.  Data the chart cannot show (no
 * rows for it) leaves it out of the report; any other failure is kept and
 * ends the report.
 */
static void chart_failed(struct an *a, const struct sv_error *err)
{
    if (err->code != SV_ERR_DATA && !a->chart_err.code)
        a->chart_err = *err;
}

void sv_analysis_options_init(struct sv_analysis_options *o)
{
    memset(o, 0, sizeof *o);
    o->target = SV_TARGET_DEFAULT;
    o->p_adjust = SV_P_ADJUST_HOLM;
    o->lang = SV_LANG_ZH;
}

/* ---- reading -------------------------------------------------------- */

/* Reads every input into a new cube by DIMS; KEEP: only that site's. */
static enum sv_status read_cube(const struct sv_analysis_options *o,
                                enum sv_period gran,
                                const char *const *dims, size_t ndims,
                                const char *keep, struct sv_cube **out,
                                struct sv_error *err)
{
    struct sv_cube *cube = sv_cube_new(dims, ndims, gran, err);
    enum sv_status st = cube ? sv_cube_keep_site(cube, keep, err)
                             : SV_ERR_NOMEM;

    for (size_t i = 0; st == SV_OK && i < o->nstreams; i++) {
        struct sv_csv *csv = sv_csv_open(o->streams[i], NULL, NULL, err);
        st = csv ? sv_cube_read(cube, csv, NULL, 0, err) : SV_ERR_IO;
        sv_csv_free(csv);
    }
    if (st == SV_OK)
        st = sv_cube_finish(cube, err);
    if (st != SV_OK) {
        sv_cube_free(cube);
        return st;
    }
    *out = cube;
    return SV_OK;
}

/* Value of column NAME in row R of T ("" when absent). */
static const char *cell(const struct sv_table *t, long r, const char *name)
{
    long c = sv_table_column(t, name);

    return r < 0 || c < 0 ? "" : sv_table_get(t, (size_t)r, (size_t)c);
}

/* Value of column NAME in row R of T as a number (NaN when empty). */
static double cellnum(const struct sv_table *t, long r, const char *name)
{
    long c = sv_table_column(t, name);

    return r < 0 || c < 0 ? NAN : sv_table_num(t, (size_t)r, (size_t)c);
}

/* True when the 0/1 column NAME is 1 in row R of T. */
static int flag(const struct sv_table *t, long r, const char *name)
{
    return cellnum(t, r, name) > 0.5;
}

static int rowkey_cmp(const void *pa, const void *pb)
{
    const struct rowkey *x = pa, *y = pb;
    int c = strcmp(x->a, y->a);

    if (!c)
        c = strcmp(x->b, y->b);
    return c ? c : (x->row > y->row) - (x->row < y->row);
}

/* Indexes the rows of T by columns A and B; SV_OK or SV_ERR_NOMEM. */
static enum sv_status rowidx_build(struct rowidx *x, const struct sv_table *t,
                                   const char *a, const char *b)
{
    x->n = sv_table_nrows(t);
    if (!(x->k = malloc((x->n + 1) * sizeof *x->k)))
        return SV_ERR_NOMEM;
    for (size_t r = 0; r < x->n; r++)
        x->k[r] = (struct rowkey){cell(t, (long)r, a), cell(t, (long)r, b), r};
    qsort(x->k, x->n, sizeof *x->k, rowkey_cmp);
    return SV_OK;
}

/* The first row whose columns hold A and B, or -1 (binary search). */
static long rowidx_find(const struct rowidx *x, const char *a, const char *b)
{
    size_t lo = 0, hi = x->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        struct rowkey k = {a, b, 0};
        if (rowkey_cmp(&x->k[mid], &k) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < x->n && !strcmp(x->k[lo].a, a) && !strcmp(x->k[lo].b, b))
        return (long)x->k[lo].row;
    return -1;
}

/* Row of the score or NPS table by period with item ITEM, or -1. */
static long find_row(const struct an *a, const struct sv_table *t,
                     const char *period, const char *item)
{
    const struct rowidx *x = t == a->nps_p ? &a->nps_items
                             : t == a->nps_all ? &a->nps_all_items
                             : t == a->score_all ? &a->all_items
                                                 : &a->score_items;

    return t ? rowidx_find(x, period, item) : -1;
}

/*
 * --site: that the office is in the input, else a usage error naming the
 * offices there are.
 */
static enum sv_status check_site(struct an *a)
{
    const struct sv_cube *c = a->cube_sp;
    char list[1024];
    size_t len = 0;

    for (size_t g = 0; g < sv_cube_ngroups(c); g++)
        if (!strcmp(sv_cube_key(c, g, 0), a->o->site))
            return SV_OK;
    list[0] = '\0';
    for (size_t g = 0; g < sv_cube_ngroups(c) && len < sizeof list; g++)
        if (!g || strcmp(sv_cube_key(c, g, 0), sv_cube_key(c, g - 1, 0)))
            len += (size_t)snprintf(list + len, sizeof list - len, "%s'%s'",
                                    len ? ", " : "", sv_cube_key(c, g, 0));
    if (len >= sizeof list)
        sv_chart_utf8_clip(list, sizeof list);
    return sv_error_set(a->err, SV_ERR_USAGE, NULL, 0, NULL,
                        "unknown --site '%s' (the input's sites: %s)",
                        a->o->site, list[0] ? list : "none");
}

/* --site: the company's figures by period, the office's reference. */
static enum sv_status compute_company(struct an *a,
                                      const struct sv_score_options *so)
{
    static const char *const dp[] = {"period"};
    enum sv_status st;

    if ((st = read_cube(a->o, a->gran, dp, 1, NULL, &a->cube_all, a->err)))
        return st;
    if (!(a->score_all = sv_score_table(a->cube_all, so, a->err))
        || !(a->nps_all = sv_nps_table(a->cube_all, 1, a->err)))
        return a->err ? a->err->code : SV_ERR_NOMEM;
    if (rowidx_build(&a->all_items, a->score_all, "period", "item")
        || rowidx_build(&a->nps_all_items, a->nps_all, "period", "item"))
        return sv_error_set(a->err, SV_ERR_NOMEM, NULL, 0, NULL,
                            "out of memory");
    return SV_OK;
}

/* Picks the report's period (given or latest) and the one before it. */
static enum sv_status choose_period(struct an *a)
{
    const struct sv_cube *c = a->cube_p;
    long want = 0, ord, best = -1, prev = -1;
    size_t ng = sv_cube_ngroups(c);

    if (!ng)
        return sv_error_set(a->err, SV_ERR_DATA, a->o->streams[0], 0, NULL,
                            "no questionnaires in the input");
    if (a->o->period)
        sv_period_ordinal(a->o->period, &want);
    for (size_t g = 0; g < ng; g++) {
        sv_period_ordinal(sv_cube_key(c, g, 0), &ord);
        if (a->o->period ? ord == want : (best < 0 || ord > best))
            best = (long)g, want = ord;
    }
    if (best < 0)
        return sv_error_set(a->err, SV_ERR_DATA, NULL, 0, NULL,
                            "no questionnaires in period %s", a->o->period);
    snprintf(a->period, sizeof a->period, "%s", sv_cube_key(c, best, 0));
    for (size_t g = 0; g < ng; g++) {
        sv_period_ordinal(sv_cube_key(c, g, 0), &ord);
        if (ord < want && (prev < 0 || ord > prev)) {
            prev = ord;
            snprintf(a->prev, sizeof a->prev, "%s", sv_cube_key(c, g, 0));
        }
    }
    return SV_OK;
}

/* First row of T in PERIOD (any item), or -1. */
static long period_row(const struct sv_table *t, const char *period)
{
    for (size_t r = 0; r < sv_table_nrows(t); r++)
        if (!strcmp(cell(t, (long)r, "period"), period))
            return (long)r;
    return -1;
}

/* ---- computing ------------------------------------------------------ */

/*
 * A half or a year: the offices by quarter, so that survey-score makes
 * their coverage the mean over the quarters with questionnaires (PRODUCT.md
 * 4.1).  Inputs without quarters (cubes by half or year) keep the period's
 * own figures, and coverage is then the period's questionnaires over the
 * households, labelled cumulative.
 */
static enum sv_status quarterly_sites(struct an *a)
{
    static const char *const dsp[] = {"site", "period"};
    struct sv_error err;

    if (read_cube(a->o, SV_PERIOD_QUARTER, dsp, 2, NULL, &a->cube_spq, &err)
        == SV_OK)
        return SV_OK;
    a->cube_spq = NULL;
    return err.code == SV_ERR_DATA ? SV_OK : sv_error_set(a->err, err.code,
        err.file, err.line, err.column[0] ? err.column : NULL, "%s",
        err.msg);
}

static int rated_row(const struct sv_table *t, long r);

static int name_cmp(const void *pa, const void *pb)
{
    return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

/* True when SITE is one of the sites listed. */
static int listed(const struct an *a, const char *site)
{
    return bsearch(&site, a->names, a->nlisted, sizeof *a->names,
                   name_cmp) != NULL;
}

/*
 * T itself, or, when the sites listed are fewer than the sites, a copy of
 * the columns of T and its rows of the sites listed in *COPY (the
 * caller frees it); NULL when out of memory.
 */
static const struct sv_table *listed_rows(const struct an *a,
                                          const struct sv_table *t,
                                          struct sv_table **copy)
{
    struct sv_table *c;
    enum sv_status st = SV_OK;

    *copy = NULL;
    if (a->nsites <= a->nlisted)
        return t;
    if (!(c = sv_table_new()))
        return NULL;
    for (size_t k = 0; k < sv_table_ncols(t) && !st; k++)
        st = sv_table_add_col(c, sv_table_col(t, k));
    for (size_t r = 0; r < sv_table_nrows(t) && !st; r++) {
        if (!listed(a, cell(t, (long)r, "site")))
            continue;
        st = sv_table_add_row(c);
        for (size_t k = 0; k < sv_table_ncols(t) && !st; k++)
            if (!sv_table_empty(t, r, k))
                st = sv_table_col(t, k)->type != SV_TYPE_TEXT
                         ? sv_table_set_double(c, k, sv_table_num(t, r, k))
                         : sv_table_set(c, k, sv_table_get(t, r, k));
    }
    if (st) {
        sv_table_free(c);
        return NULL;
    }
    return *copy = c;
}

/*
 * Orders (all) rows by satisfaction rate, lowest first, sites of equal
 * rate in the natural order of their names (第2号 before 第12号), then by
 * row.
 */
static int by_rate(const void *pa, const void *pb)
{
    const struct site_rate *x = pa, *y = pb;
    int c;

    if (isnan(x->rate) != isnan(y->rate))
        return isnan(x->rate) ? 1 : -1;
    if (!isnan(x->rate) && x->rate < y->rate)
        return -1;
    if (!isnan(x->rate) && x->rate > y->rate)
        return 1;
    if ((c = sv_natural_cmp(x->site, y->site)))
        return c;
    return (x->row > y->row) - (x->row < y->row);
}

/*
 * The (all) rows of the period's sites that the report lists: every site
 * up to REPORT_SITES, else the REPORT_SITES with the lowest satisfaction
 * rate, lowest first (README: a report of many sites).  SV_ERR_NOMEM or
 * SV_OK.
 */
static enum sv_status list_sites(struct an *a)
{
    const struct sv_table *t = a->score_sp;
    struct site_rate *all = malloc((sv_table_nrows(t) + 1) * sizeof *all);
    size_t n = 0;

    if (!all)
        return SV_ERR_NOMEM;
    for (size_t r = 0; r < sv_table_nrows(t); r++)
        if (!strcmp(cell(t, (long)r, "period"), a->period)
            && rated_row(t, (long)r)
            && strcmp(cell(t, (long)r, "site"), SV_ITEM_SITES)
            && !strcmp(cell(t, (long)r, "item"), SV_ITEM_ALL))
            all[n++] = (struct site_rate){(long)r,
                                          cellnum(t, (long)r, "sat_pct"),
                                          cell(t, (long)r, "site")};
    a->nsites = n;
    if (n > REPORT_SITES) {
        qsort(all, n, sizeof *all, by_rate);
        n = REPORT_SITES;
    }
    a->listed = all;
    a->nlisted = n;
    if (!(a->names = malloc((n + 1) * sizeof *a->names)))
        return SV_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        a->names[i] = cell(t, all[i].row, "site");
    qsort(a->names, n, sizeof *a->names, name_cmp);
    return SV_OK;
}

/* FNV-1a, 64 bits: the sites are told apart by their hash. */
static uint64_t site_hash(const char *s)
{
    uint64_t h = UINT64_C(14695981039346656037);

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
    return h ? h : 1;
}

/* Adds H to the set SET of CAP slots (a power of two); 1 when new. */
static int hash_add(uint64_t *set, size_t cap, uint64_t h)
{
    for (size_t i = (size_t)h & (cap - 1);; i = (i + 1) & (cap - 1)) {
        if (set[i] == h)
            return 0;
        if (!set[i]) {
            set[i] = h;
            return 1;
        }
    }
}

/*
 * Counts the sites of stream or cube PATH into SET, up to past the limit;
 * an input that cannot be read is left to the cube reader to report.
 */
static void count_sites(const char *path, uint64_t *set, size_t cap,
                        size_t *n)
{
    struct sv_error err;
    struct sv_csv *csv = sv_csv_open(path, NULL, NULL, &err);
    size_t nf;
    long col = -1;

    if (!csv)
        return;
    if (sv_csv_next(csv, &nf, &err) == SV_OK)
        for (size_t i = 0; i < nf && col < 0; i++)
            if (!strcmp(sv_csv_field(csv, i), "site"))
                col = (long)i;
    while (col >= 0 && *n <= REPORT_MAX_SITES
           && sv_csv_next(csv, &nf, &err) == SV_OK && nf > 0)
        if ((size_t)col < nf && *sv_csv_field(csv, (size_t)col))
            *n += (size_t)hash_add(set, cap,
                                   site_hash(sv_csv_field(csv, (size_t)col)));
    sv_csv_free(csv);
}

/*
 * The report is made for at most REPORT_MAX_SITES sites (README): past
 * that, its tables of every site and period would take gigabytes, so
 * the inputs' sites are counted first, in a few bytes each.
 */
static enum sv_status check_sites(struct an *a)
{
    size_t cap = 2 * REPORT_MAX_SITES + 2, n = 0;
    uint64_t *set;

    while (cap & (cap - 1))
        cap &= cap - 1;
    cap *= 2;
    if (!(set = calloc(cap, sizeof *set)))
        return sv_error_set(a->err, SV_ERR_NOMEM, NULL, 0, NULL,
                            "out of memory");
    for (size_t i = 0; i < a->o->nstreams; i++)
        count_sites(a->o->streams[i], set, cap, &n);
    free(set);
    if (n <= REPORT_MAX_SITES)
        return SV_OK;
    return sv_error_set(a->err, SV_ERR_LIMIT, NULL, 0, NULL,
                        "a report compares at most %d sites and the input "
                        "has more: report on fewer sites (a stream stays "
                        "valid after grep or mlr filter), or table every "
                        "site with survey-score --by site", REPORT_MAX_SITES);
}

static enum sv_status compute(struct an *a)
{
    static const char *const dp[] = {"period"}, *const dsp[] = {"site",
                                                                "period"};
    struct sv_score_options so;
    enum sv_status st;

    if ((st = check_sites(a))
        || (st = read_cube(a->o, a->gran, dsp, 2, NULL, &a->cube_sp, a->err))
        || (a->o->site && (st = check_site(a)))
        || (st = read_cube(a->o, a->gran, dp, 1, a->o->site, &a->cube_p,
                           a->err))
        || (st = choose_period(a)))
        return st;
    if (a->o->households
        && !(a->hh = sv_households_load(a->o->households, a->err)))
        return a->err ? a->err->code : SV_ERR_IO;
    sv_score_options_init(&so);
    so.target = a->o->target;
    so.p_adjust = a->o->p_adjust;
    a->coverage_target = so.coverage_target;
    so.compare = 1;
    if (a->o->site && (st = compute_company(a, &so)))
        return st;
    if (!(a->score_p = sv_score_table(a->cube_p, &so, a->err))
        || !(a->freq_p = sv_cube_freq_table(a->cube_p, a->err))
        || !(a->trend_p = sv_score_trend_table(a->cube_p, a->err))
        || !(a->nps_p = sv_nps_table(a->cube_p, 1, a->err))
        || !(a->nps_sp = sv_nps_table(a->cube_sp, 1, a->err))
        || !(a->drivers_p = sv_drivers_table(a->cube_p, a->err)))
        return a->err ? a->err->code : SV_ERR_NOMEM;
    so.sites = 1;
    so.households = a->hh;
    if (a->hh && (a->gran == SV_PERIOD_HALF || a->gran == SV_PERIOD_YEAR)
        && (st = quarterly_sites(a)) != SV_OK)
        return st;
    if (a->cube_spq)
        so.period = a->gran;
    if (!(a->score_sp = sv_score_table(a->cube_spq ? a->cube_spq
                                                   : a->cube_sp, &so, a->err)))
        return a->err ? a->err->code : SV_ERR_NOMEM;
    if (rowidx_build(&a->score_items, a->score_p, "period", "item")
        || rowidx_build(&a->nps_items, a->nps_p, "period", "item")
        || rowidx_build(&a->nps_sites, a->nps_sp, "site", "period")
        || list_sites(a))
        return sv_error_set(a->err, SV_ERR_NOMEM, NULL, 0, NULL,
                            "out of memory");
    return SV_OK;
}

/* ---- text helpers --------------------------------------------------- */

/* "84.3%" ("—" when unknown). */
static char *pct1(char *buf, size_t cap, double v)
{
    if (!isfinite(v)) {
        snprintf(buf, cap, "—");
        return buf;
    }
    return sv_chart_format_pct(buf, cap, v, 1);
}

static char *fmt(char *buf, size_t cap, const char *f, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Formats into BUF; text longer than CAP is cut at a character boundary
 * and ends in "…", never inside a multi-byte character.
 */
static char *fmt(char *buf, size_t cap, const char *f, ...)
{
    va_list ap;
    int n;

    va_start(ap, f);
    n = vsnprintf(buf, cap, f, ap);
    va_end(ap);
    if (n < 0)
        buf[0] = '\0';
    else if ((size_t)n >= cap)
        sv_chart_utf8_clip(buf, cap);
    return buf;
}

/*
 * Every figure of the report is rounded here, once, from the unrounded
 * value of the result table, so that a card, a table, a chart and the
 * summary never show one figure two ways.
 */

/* V to DEC decimals ("—" when unknown). */
static char *dnum(char *buf, size_t cap, double v, int dec)
{
    if (!isfinite(v))
        return fmt(buf, cap, "—");
    return sv_chart_format_num(buf, cap, v, dec);
}

/* A change to DEC decimals with its sign: "+3.2", "-0.1", "0.0", "+20". */
static char *dchg(char *buf, size_t cap, double v, int dec)
{
    char n[48];

    if (!isfinite(v))
        return fmt(buf, cap, "—");
    sv_chart_format_num(n, sizeof n, v, dec);
    return fmt(buf, cap, "%s%s", v > 0 && strspn(n, "0.") != strlen(n)
                                     ? "+" : "", n);
}

/* A p-value: "< 0.0001" below that, else four significant digits. */
static char *pval(char *buf, size_t cap, double p)
{
    if (!isfinite(p))
        return fmt(buf, cap, "—");
    if (p < 0.0001)
        return fmt(buf, cap, "< 0.0001");
    return fmt(buf, cap, "%#.4g", p);
}

/* "82.5–88.3%" from two bounds. */
static char *interval(char *buf, size_t cap, double lo, double hi)
{
    char l[48], h[48];

    if (!isfinite(lo) || !isfinite(hi))
        return fmt(buf, cap, "—");
    return fmt(buf, cap, "%s–%s%%", dnum(l, sizeof l, lo, 1),
               dnum(h, sizeof h, hi, 1));
}

/* "2026 年第四季度", "2026 年下半年", "2026 年度", "2026 年 7 月" (or English). */
static char *period_name(const struct an *a, char *buf, size_t cap,
                         const char *key)
{
    static const char *const q[] = {"一", "二", "三", "四"};
    long ord;
    enum sv_period p = sv_period_ordinal(key, &ord);
    int n = p == SV_PERIOD_MONTH ? atoi(key + 5) : key[5] - '0';

    switch (p) {
    case SV_PERIOD_QUARTER:
        return a->en ? fmt(buf, cap, "Q%d %.4s", n, key)
                     : fmt(buf, cap, "%.4s 年第%s季度", key, q[n - 1]);
    case SV_PERIOD_HALF:
        return a->en ? fmt(buf, cap, "H%d %.4s", n, key)
                     : fmt(buf, cap, "%.4s 年%s半年", key, n == 1 ? "上" : "下");
    case SV_PERIOD_YEAR:
        return a->en ? fmt(buf, cap, "Year %s", key)
                     : fmt(buf, cap, "%s 年度", key);
    case SV_PERIOD_MONTH:
        return a->en ? fmt(buf, cap, "%s", key)
                     : fmt(buf, cap, "%.4s 年 %d 月", key, n);
    case SV_PERIOD_NONE:
        break;
    }
    return fmt(buf, cap, "%s", key);
}

/* Tone of a change: GOOD_UP says whether a rise is good. */
static enum sv_report_tone tone(double delta, int significant, int good_up)
{
    if (!significant || !isfinite(delta))
        return SV_TONE_NEUTRAL;
    return (delta > 0) == (good_up != 0) ? SV_TONE_GOOD : SV_TONE_BAD;
}

/* ---- a table under construction ------------------------------------- */

struct grid {
    size_t ncols, nrows, cap;
    const enum sv_report_align *align; /* NULL: first left, others right */
    char **cells;
    unsigned char *hl;
    int fail;
};

static void grid_row(struct grid *g, int highlight)
{
    if (g->fail)
        return;
    if (g->nrows == g->cap) {
        size_t cap = g->cap ? 2 * g->cap : 16;
        char **c = realloc(g->cells, cap * g->ncols * sizeof *c);
        unsigned char *h = c ? realloc(g->hl, cap) : NULL;
        if (c)
            g->cells = c;
        if (!h) {
            g->fail = 1;
            return;
        }
        g->hl = h;
        g->cap = cap;
    }
    memset(g->cells + g->nrows * g->ncols, 0, g->ncols * sizeof *g->cells);
    g->hl[g->nrows++] = (unsigned char)(highlight != 0);
}

/* Sets cell COL of the last row to a copy of S. */
static void grid_set(struct grid *g, size_t col, const char *s)
{
    char **c;

    if (g->fail || !g->nrows)
        return;
    c = &g->cells[(g->nrows - 1) * g->ncols + col];
    free(*c);
    if (!(*c = strdup(s)))
        g->fail = 1;
}

static void grid_free(struct grid *g)
{
    for (size_t i = 0; i < g->nrows * g->ncols; i++)
        free(g->cells[i]);
    free(g->cells);
    free(g->hl);
}

/* Adds G to the report with HEADER, WIDTHS and CAPTION, then frees G. */
static void grid_emit(struct an *a, struct grid *g, const char *const *header,
                      const double *widths, const char *caption)
{
    struct sv_report_table t = {0};

    if (g->fail) {
        ok(a, SV_CHART_ENOMEM);
    } else if (g->nrows) {
        t.ncols = g->ncols;
        t.nrows = g->nrows;
        t.header = header;
        t.cells = (const char *const *)g->cells;
        t.widths = widths;
        t.align = g->align;
        t.highlight = g->hl;
        t.caption = caption;
        ok(a, sv_report_table(a->rep, &t));
    }
    grid_free(g);
}

/* ---- sections ------------------------------------------------------- */

static void section_cover(struct an *a)
{
    char org[512], per[64], pn[64];
    const char *c = a->o->company;
    const char *off = a->o->site ? a->o->site : a->o->office;

    if (c && off)
        fmt(org, sizeof org, "%s · %s", c, off);
    else
        fmt(org, sizeof org, "%s", c ? c : off ? off : "");
    period_name(a, pn, sizeof pn, a->period);
    fmt(per, sizeof per, a->en ? "%s (%s)" : "%s（%s）", pn, a->period);
    ok(a, sv_report_cover(a->rep, org[0] ? org : NULL, per, a->o->date));
}

/* First row of T in PERIOD (and SITE) whose role is ROLE. */
static long find_role(const struct sv_table *t, const char *site,
                      const char *period, const char *role)
{
    for (size_t r = 0; r < sv_table_nrows(t); r++)
        if (!strcmp(cell(t, (long)r, "role"), role)
            && !strcmp(cell(t, (long)r, "period"), period)
            && (!site || !strcmp(cell(t, (long)r, "site"), site)))
            return (long)r;
    return -1;
}

/*
 * Coverage of period PERIOD over the sites with known households (SITE
 * only, when not NULL): the sites' coverage weighed by their households,
 * which is questionnaires / households for a quarter and, for a half or a
 * year, the mean over its quarters as every site's coverage is.
 */
static double coverage(const struct an *a, const char *period,
                       const char *site)
{
    double resp = 0, hh = 0;

    for (size_t r = 0; a->hh && r < sv_table_nrows(a->score_sp); r++) {
        double h = cellnum(a->score_sp, (long)r, "households");
        if (strcmp(cell(a->score_sp, (long)r, "item"), SV_ITEM_ALL)
            || strcmp(cell(a->score_sp, (long)r, "period"), period)
            || (site && strcmp(cell(a->score_sp, (long)r, "site"), site))
            || !isfinite(h))
            continue;
        resp += h * cellnum(a->score_sp, (long)r, "coverage_pct") / 100;
        hh += h;
    }
    return hh > 0 ? 100 * resp / hh : NAN;
}

/* A change line in points (NPS) or with a unit: "较上期 +3.2 分（显著）". */
static char *change_line(const struct an *a, char *buf, size_t cap,
                         double delta, int sig, const char *unit_zh,
                         const char *unit_en, int decimals)
{
    const char *mark = sig == 1 ? L(a, "（显著）", " (significant)")
                       : sig == 0 ? L(a, "（不显著）", " (not significant)")
                                  : "";
    char d[48];

    if (!isfinite(delta))
        return fmt(buf, cap, "%s", L(a, "无上期数据", "no previous period"));
    return fmt(buf, cap, "%s %s %s%s", L(a, "较上期", "vs previous"),
               dchg(d, sizeof d, delta, decimals), L(a, unit_zh, unit_en),
               mark);
}

/* Under the first use of 总满意率: what it pools (once per report). */
static void define_rate(struct an *a)
{
    if (a->defined_rate++)
        return;
    ok(a, sv_report_paragraph(a->rep, L(a,
        "总满意率 = 全部分项的满意回答 ÷ 全部分项的有效回答（各分项的回答合并"
        "计算，不含总体评价题、NPS 和投诉题）。",
        "Overall satisfaction = satisfied answers ÷ valid answers over every "
        "item together (not the overall question, NPS or complaints).")));
}

/*
 * Under the first use of the overall question (总体满意度): that it is
 * one question of its own (once per report, when the period has one).
 */
static void define_overall(struct an *a)
{
    const struct sv_table *t = a->score_p;
    char text[512];

    for (size_t r = 0; r < sv_table_nrows(t) && !a->defined_overall; r++)
        if (!strcmp(cell(t, (long)r, "period"), a->period)
            && !strcmp(cell(t, (long)r, "role"), "overall")) {
            a->defined_overall = 1;
            fmt(text, sizeof text, a->en
                ? "%s: the questionnaire's own question on the service as a "
                  "whole; its rate is shown as one item and is not part of "
                  "the overall satisfaction rate."
                : "%s：问卷中对物业服务的总体评价一题，其满意率单列一项，不计入"
                  "总满意率。", cell(t, (long)r, "item"));
            ok(a, sv_report_paragraph(a->rep, text));
        }
}

/* One headline figure: a card and a row of the headline table. */
struct figure {
    const char *label;
    double value, low, high, prev, delta, p;
    int sig;     /* 1, 0, or -1 (no test) */
    int good_up; /* a rise is good */
    int kind;    /* 0 percent, 1 count, 2 NPS points */
    double ref;  /* --site: the company's figure (NaN: none) */
    const struct sv_table *table; /* rate_figure: the figure's table */
};

/* The figure's value V as printed: "84.3%", "315", "7.9". */
static char *fig_value(char *buf, size_t cap, const struct figure *f,
                       double v)
{
    return f->kind == 0 ? pct1(buf, cap, v)
                        : dnum(buf, cap, v, f->kind == 1 ? 0 : 1);
}

/* The company's figure in an office's report: "公司整体 84.3%". */
static const char *company_label(const struct an *a)
{
    return L(a, "公司整体", "Company");
}

static void figure_card(const struct an *a, const struct figure *f,
                        struct sv_report_card *c, char *val, char *chg,
                        size_t cap)
{
    c->label = f->label;
    if (!isfinite(f->value))
        fmt(val, cap, "—");
    else if (f->kind == 0)
        pct1(val, cap, f->value);
    else
        dnum(val, cap, f->value, f->kind == 1 ? 0 : 1);
    c->value = val;
    if (f->kind == 1)
        change_line(a, chg, cap, f->delta, -1, "份", "", 0);
    else if (f->kind == 2)
        change_line(a, chg, cap, f->delta, f->sig, "分", "points", 1);
    else if (isfinite(f->delta))
        sv_report_format_change(chg, cap, f->delta, f->sig,
                                a->en ? SV_LANG_EN : SV_LANG_ZH);
    else
        change_line(a, chg, cap, NAN, -1, "", "", 0);
    if (isfinite(f->ref)) {
        size_t len = strlen(chg);
        char v[48];
        fmt(chg + len, cap - len, "\n%s %s", company_label(a),
            fig_value(v, sizeof v, f, f->ref));
    }
    c->change = isfinite(f->value) ? chg : NULL;
    c->tone = tone(f->delta, f->sig == 1, f->good_up);
}

static void figure_row(const struct an *a, struct grid *g,
                       const struct figure *f)
{
    char b[64], l[48], h[48];
    int dec = f->kind == 1 ? 0 : 1;

    grid_row(g, f->sig == 1 && f->good_up != (f->delta > 0));
    grid_set(g, 0, f->label);
    grid_set(g, 1, f->kind == 0 ? pct1(b, sizeof b, f->value)
                                : dnum(b, sizeof b, f->value, dec));
    grid_set(g, 2, f->kind == 2 ? fmt(b, sizeof b, "%s – %s",
                                      dnum(l, sizeof l, f->low, 1),
                                      dnum(h, sizeof h, f->high, 1))
             : f->kind == 0 ? interval(b, sizeof b, f->low, f->high) : "");
    if (!isfinite(f->low))
        grid_set(g, 2, "");
    grid_set(g, 3, f->kind == 0 ? pct1(b, sizeof b, f->prev)
                                : dnum(b, sizeof b, f->prev, dec));
    grid_set(g, 4, dchg(b, sizeof b, f->delta, dec));
    grid_set(g, 5, pval(b, sizeof b, f->p));
    grid_set(g, 6, f->sig == 1 ? L(a, "是", "yes")
             : f->sig == 0 ? L(a, "否", "no") : "");
    if (g->ncols > 7)
        grid_set(g, 7, fig_value(b, sizeof b, f, f->ref));
}

/* A questionnaire rate (总满意率, 投诉率 ...) from the pooled table. */
static void rate_figure(struct figure *f, long r, long rp, const char *col)
{
    const struct sv_table *t = f->table;
    int sat = !strcmp(col, "sat_pct");

    f->value = cellnum(t, r, col);
    f->low = sat ? cellnum(t, r, "sat_ci_low") : NAN;
    f->high = sat ? cellnum(t, r, "sat_ci_high") : NAN;
    f->prev = cellnum(t, rp, col);
    f->delta = cellnum(t, r, "delta_pct");
    f->p = cellnum(t, r, "delta_p");
    f->sig = isfinite(f->p) ? flag(t, r, "significant") : -1;
}

/*
 * Fills the headline figures, of the report's input or (COMPANY, with
 * --site) of the whole company; returns how many.
 */
static size_t headline_figures(const struct an *a, struct figure *f,
                               int company)
{
    const struct sv_table *t = company ? a->score_all : a->score_p;
    const struct sv_table *n = company ? a->nps_all : a->nps_p;
    const char *site = company ? NULL : a->o->site;
    long r = find_row(a, t, a->period, SV_ITEM_ALL);
    long rp = a->prev[0] ? find_row(a, t, a->prev, SV_ITEM_ALL) : -1;
    size_t k = 0;

    memset(f, 0, 6 * sizeof *f);
    f[k] = (struct figure){L(a, "回收问卷（份）", "Questionnaires"),
        cellnum(t, r, "responses"), NAN, NAN, cellnum(t, rp, "responses"),
        NAN, NAN, -1, 1, 1, NAN, t};
    f[k].delta = f[k].value - f[k].prev;
    k++;
    /* returned / households: over a year this adds up every survey wave */
    f[k] = (struct figure){a->gran == SV_PERIOD_QUARTER
        ? L(a, "调查覆盖率", "Coverage")
        : a->cube_spq ? L(a, "调查覆盖率（各季平均）", "Coverage (mean of "
                                                             "quarters)")
        : L(a, "调查覆盖率（期内累计）", "Coverage (cumulative)"), coverage(a,
        a->period, site), NAN, NAN, a->prev[0] ? coverage(a, a->prev, site)
                                               : NAN, NAN,
        NAN, -1, 1, 0, NAN, t};
    f[k].delta = f[k].value - f[k].prev;
    k++;
    for (size_t i = 2; i < 6; i++)
        f[i].table = t;
    f[k].label = L(a, "总满意率", "Overall satisfaction");
    f[k].good_up = 1;
    rate_figure(&f[k++], r, rp, "sat_pct");
    f[k] = (struct figure){"NPS", NAN, NAN, NAN, NAN, NAN, NAN, -1, 1, 2, NAN,
                           t};
    if ((r = period_row(n, a->period)) >= 0) {
        f[k].value = cellnum(n, r, "nps");
        f[k].low = cellnum(n, r, "nps_ci_low");
        f[k].high = cellnum(n, r, "nps_ci_high");
        f[k].prev = cellnum(n, find_row(a, n, cell(n, r, "prev_period"),
                                        cell(n, r, "item")), "nps");
        f[k].delta = cellnum(n, r, "delta_nps");
        f[k].p = cellnum(n, r, "delta_p");
        f[k].sig = isfinite(f[k].p) ? flag(n, r, "significant")
                                    : -1;
    }
    k++;
    f[k].label = L(a, "投诉率（问卷）", "Complaint rate (survey)");
    rate_figure(&f[k], find_role(t, NULL, a->period, "complaint"),
                a->prev[0] ? find_role(t, NULL, a->prev, "complaint") : -1,
                "complaint_pct");
    k++;
    f[k].label = L(a, "重复投诉率", "Repeat-complaint rate");
    rate_figure(&f[k],
                find_role(t, NULL, a->period, "repeat_complaint"),
                a->prev[0] ? find_role(t, NULL, a->prev, "repeat_complaint")
                           : -1, "repeat_pct");
    return ++k;
}

static void headline_cards(struct an *a, const struct figure *f, size_t n)
{
    struct sv_report_card cards[6];
    char val[6][64], chg[6][128];
    size_t i, k = 0, idx[6];

    for (i = 0; i < n; i++)
        if (isfinite(f[i].value) || i == 2)
            idx[k++] = i;
    for (i = 0; i < k; i++)
        figure_card(a, &f[idx[i]], &cards[i], val[i], chg[i], 128);
    for (i = 0; i < k; i += (k - i > 4 || k == 6) ? 3 : 4)
        ok(a, sv_report_cards(a->rep, cards + i,
                              k - i > 4 || k == 6 ? 3 : k - i));
}

/* The p-value adjustment in force, as a clause of the method note. */
static const char *adjust_note(const struct an *a)
{
    switch (a->o->p_adjust) {
    case SV_P_ADJUST_HOLM:
        return L(a, "各分项的变化同时检验，其 p 值按 Holm 法在同一期的全部分项"
                    "间做多重比较校正，以免偶然波动被当作变化",
                 "the items' changes are tested together, their p-values "
                 "adjusted over all items of the period by Holm's method so "
                 "that chance does not pass for change");
    case SV_P_ADJUST_BH:
        return L(a, "各分项的变化同时检验，其 p 值按 Benjamini–Hochberg 法在同"
                    "一期的全部分项间校正（控制错误发现率）",
                 "the items' changes are tested together, their p-values "
                 "adjusted over all items of the period by the "
                 "Benjamini-Hochberg method (false discovery rate)");
    case SV_P_ADJUST_NONE:
        break;
    }
    return L(a, "各分项的 p 值未做多重比较校正（--p-adjust none）：同时检验"
                "多个分项时，偶然波动也可能显得显著",
             "the items' p-values are not adjusted for testing many items at "
             "once (--p-adjust none): chance may pass for change");
}

/*
 * How company-wide figures pool the offices, as one sentence of the
 * method note: every questionnaire weighs the same (respondents), the one
 * pooling the report computes.
 */
static const char *pooling_note(const struct an *a)
{
    return L(a, "全部管理处合计的指标按问卷汇总：每份问卷权重相同（答卷多的"
                "管理处占比大）。",
             "Company-wide figures pool the questionnaires: each weighs the "
             "same, so an office that returned more of them counts more.");
}

/* "Holm 校正后 " before a p-value in a caption ("" without adjustment). */
static const char *adjust_label(const struct an *a)
{
    switch (a->o->p_adjust) {
    case SV_P_ADJUST_HOLM:
        return L(a, "Holm 校正后 ", "Holm-adjusted");
    case SV_P_ADJUST_BH:
        return L(a, "BH 校正后 ", "BH-adjusted");
    case SV_P_ADJUST_NONE:
        break;
    }
    return "";
}

/* 说明: the tests, the p-value adjustment and the pooling in force. */
static void method_note(struct an *a)
{
    char notes[2048];

    fmt(notes, sizeof notes, !a->en
        ? "说明：满意率区间为 Wilson 95%% 置信区间；变化为百分点（NPS 为分），"
          "显著性按双侧检验 p < %g 判定（比例用合并两比例 z 检验，NPS 用"
          "两独立估计之差的 z 检验）；%s。p 值小于 0.0001 记为“< 0.0001”。"
          "回答不足 %d 个的数字标注“样本不足”。%s"
        : "Notes: intervals are 95%% Wilson intervals (NPS: normal); changes "
          "are in percentage points (NPS: points), significant when the "
          "two-sided p < %g (pooled two-proportion z test; NPS: z test of "
          "the difference); %s.  p-values below 0.0001 read \"< 0.0001\".  "
          "Figures from fewer than %d answers are marked \"small n\".  %s",
        SV_ALPHA, adjust_note(a), SV_SMALL_N, pooling_note(a));
    ok(a, sv_report_paragraph(a->rep, notes));
}

static void section_headline(struct an *a)
{
    const char *header[] = {L(a, "指标", "Figure"), L(a, "本期", "Now"),
        L(a, "95% 区间", "95% interval"), L(a, "上期", "Previous"),
        L(a, "变化", "Change"), L(a, "p 值", "p"), L(a, "显著", "Sig."),
        NULL};
    struct figure f[6], fc[6];
    struct grid g = {7 + (a->score_all != NULL), 0, 0, NULL, NULL, NULL, 0};
    char cap[128], pn[64];
    size_t n = headline_figures(a, f, 0);

    if (a->score_all)
        headline_figures(a, fc, 1);
    for (size_t i = 0; i < n; i++)
        f[i].ref = a->score_all ? fc[i].value : NAN;
    header[7] = company_label(a);

    ok(a, sv_report_heading(a->rep, L(a, "一、核心指标", "1. Key figures")));
    headline_cards(a, f, n);
    define_rate(a);
    for (size_t i = 0; i < n; i++)
        if (isfinite(f[i].value))
            figure_row(a, &g, &f[i]);
    fmt(cap, sizeof cap, a->en ? "Table 1  Key figures, %s vs %s"
                               : "表 1  核心指标（%s，对比 %s）",
        period_name(a, pn, sizeof pn, a->period),
        a->prev[0] ? a->prev : L(a, "无", "none"));
    grid_emit(a, &g, header, NULL, cap);
    method_note(a);
}

/* True when row R of T is a rated item (dimension or overall) or (all). */
static int rated_row(const struct sv_table *t, long r)
{
    const char *role = cell(t, r, "role");

    return !strcmp(role, "dimension") || !strcmp(role, "overall");
}

static void dimension_row(const struct an *a, struct grid *g, long r)
{
    const struct sv_table *t = a->score_p;
    const char *item = cell(t, r, "item");
    int weak = flag(t, r, "weak");
    long rp = a->prev[0] ? find_row(a, t, a->prev, item) : -1;
    char b[64], c[48];
    double d = cellnum(t, r, "delta_pct"), p = cellnum(t, r, "delta_p_adj");
    int sig = flag(t, r, "significant");

    grid_row(g, weak);
    grid_set(g, 0, strcmp(item, SV_ITEM_ALL) ? item
                   : L(a, "总满意率", "All items"));
    grid_set(g, 1, flag(t, r, "small_n")
                       ? fmt(b, sizeof b, "%s %s", cell(t, r, "n"),
                             L(a, "样本不足", "small n"))
                       : cell(t, r, "n"));
    grid_set(g, 2, pct1(b, sizeof b, cellnum(t, r, "sat_pct")));
    grid_set(g, 3, interval(b, sizeof b, cellnum(t, r, "sat_ci_low"),
                            cellnum(t, r, "sat_ci_high")));
    grid_set(g, 4, rp < 0 ? "—" : pct1(b, sizeof b, cellnum(t, rp,
                                                             "sat_pct")));
    dchg(c, sizeof c, d, 1);
    grid_set(g, 5, isfinite(d) ? fmt(b, sizeof b, "%s%s", c, sig ? " *" : "")
                               : "—");
    grid_set(g, 6, pval(b, sizeof b, p));
    grid_set(g, 7, weak ? L(a, "短板", "weak") : "");
    if (a->score_all) /* the company's rate instead of the previous one */
        grid_set(g, 4, pct1(b, sizeof b, cellnum(a->score_all,
                                                 find_row(a, a->score_all,
                                                          a->period, item),
                                                 "sat_pct")));
}

/* --site: the company's overall rate as the bar chart's reference line. */
static void company_line(struct an *a, struct sv_chart *ch)
{
    double v = cellnum(a->score_all, find_row(a, a->score_all, a->period,
                                              SV_ITEM_ALL), "sat_pct");
    char label[96], num[48];

    if (!isfinite(v))
        return;
    fmt(label, sizeof label, "%s%s %s", company_label(a),
        L(a, "总满意率", " overall"), pct1(num, sizeof num, v));
    ok(a, sv_chart_set_reference(ch, v, label));
}

/* Appends ", item" for every weak dimension of PERIOD to BUF. */
static size_t weak_list(const struct an *a, char *buf, size_t cap)
{
    const struct sv_table *t = a->score_p;
    size_t n = 0, len = 0;

    buf[0] = '\0';
    for (size_t r = 0; r < sv_table_nrows(t); r++) {
        const char *item = cell(t, (long)r, "item");
        if (strcmp(cell(t, (long)r, "period"), a->period)
            || !rated_row(t, (long)r) || !strcmp(item, SV_ITEM_ALL)
            || !flag(t, (long)r, "weak"))
            continue;
        len += (size_t)snprintf(buf + len, len < cap ? cap - len : 0, "%s%s",
                                n++ ? L(a, "、", ", ") : "", item);
    }
    return n;
}

static void section_dimensions(struct an *a)
{
    const char *header[] = {L(a, "分项", "Item"), L(a, "回答数", "Answers"),
        L(a, "满意率", "Satisfied"), L(a, "95% 区间", "95% interval"),
        L(a, "上期", "Previous"), L(a, "变化", "Change"),
        a->o->p_adjust == SV_P_ADJUST_NONE ? L(a, "p 值", "p")
                                           : L(a, "校正 p 值", "Adjusted p"),
        L(a, "短板", "Weak")};
    struct grid g = {8, 0, 0, NULL, NULL, NULL, 0};
    struct sv_chart_select sel;
    struct sv_error err;
    char weak[1024], text[1400];
    const struct sv_table *t = a->score_p;

    ok(a, sv_report_heading(a->rep, L(a, "二、分项满意率", "2. Satisfaction "
                                                       "by item")));
    for (size_t r = 0; r < sv_table_nrows(t); r++)
        if (!strcmp(cell(t, (long)r, "period"), a->period)
            && rated_row(t, (long)r))
            dimension_row(a, &g, (long)r);
    fmt(text, sizeof text, a->en
        ? "Table 2  Satisfaction by item (answers: the valid answers to the "
          "item, one per questionnaire; the all-items row adds up every "
          "item's answers; * significant change: %s p < %g)"
        : "表 2  分项满意率（回答数：该分项的有效回答，每份问卷一个；总满意率"
          "一行为全部分项回答之和，不是问卷份数；* 变化显著：%sp < %g）",
        adjust_label(a), SV_ALPHA);
    if (a->score_all)
        header[4] = company_label(a);
    grid_emit(a, &g, header, NULL, text);
    define_overall(a);
    if (weak_list(a, weak, sizeof weak))
        fmt(text, sizeof text, a->en
            ? "Weak items (below the %.0f%% target or significantly below "
              "the overall rate): %s."
            : "短板分项（低于目标 %.0f%% 或显著低于总满意率）：%s。",
            a->o->target, weak);
    else
        fmt(text, sizeof text, "%s", L(a, "本期没有短板分项。",
                                       "No weak items this period."));
    ok(a, sv_report_paragraph(a->rep, text));
    sv_chart_select_init(&sel);
    sel.period = a->period;
    sel.target = a->o->target;
    sel.lang = a->o->lang;
    struct sv_chart *ch = sv_chart_bar_from_metrics(t, "report", &sel, &err);
    if (ch && a->score_all)
        company_line(a, ch);
    if (ch) {
        size_t n = sv_chart_categories(ch);
        ok(a, sv_report_chart_take(a->rep, ch, 110 + 24.0 * (double)n));
    } else
        chart_failed(a, &err);
}

/* ---- what to fix first (四分图) ------------------------------------ */

/* Rows of the drivers table in the period whose quadrant is fix. */
static size_t fix_rows(const struct an *a, long *rows, size_t cap)
{
    const struct sv_table *t = a->drivers_p;
    size_t n = 0;

    for (size_t r = 0; r < sv_table_nrows(t) && n < cap; r++)
        if (!strcmp(cell(t, (long)r, "period"), a->period)
            && !strcmp(cell(t, (long)r, "quadrant"), "fix"))
            rows[n++] = (long)r;
    /* by importance, largest first (insertion sort: a handful of rows) */
    for (size_t i = 1; i < n; i++) {
        long k = rows[i];
        size_t j = i;
        while (j > 0 && cellnum(t, rows[j - 1], "importance")
                            < cellnum(t, k, "importance")) {
            rows[j] = rows[j - 1];
            j--;
        }
        rows[j] = k;
    }
    return n;
}

static void fix_table(struct an *a)
{
    const char *header[] = {L(a, "分项", "Item"),
        L(a, "重要性 r", "Importance r"), L(a, "p 值", "p"),
        L(a, "满意率", "Satisfied"), L(a, "配对数", "Pairs")};
    const struct sv_table *t = a->drivers_p;
    struct grid g = {5, 0, 0, NULL, NULL, NULL, 0};
    long rows[256];
    char b[64];
    size_t n = fix_rows(a, rows, sizeof rows / sizeof rows[0]);

    if (!n) {
        ok(a, sv_report_paragraph(a->rep, L(a,
            "本期没有修补区分项。", "No item is in the fix quadrant this "
                                    "period.")));
        return;
    }
    for (size_t i = 0; i < n; i++) {
        grid_row(&g, 1);
        grid_set(&g, 0, cell(t, rows[i], "item"));
        grid_set(&g, 1, dnum(b, sizeof b, cellnum(t, rows[i], "importance"),
                             2));
        grid_set(&g, 2, pval(b, sizeof b, cellnum(t, rows[i],
                                                  "importance_p")));
        grid_set(&g, 3, pct1(b, sizeof b, cellnum(t, rows[i], "sat_pct")));
        grid_set(&g, 4, cell(t, rows[i], "pairs"));
    }
    grid_emit(a, &g, header, NULL, L(a,
        "表 2b  修补区分项（重要但满意率偏低，按重要性排序，应优先改进）",
        "Table 2b  Items to fix first (important but below average, by "
        "importance)"));
}

/* Cronbach's alpha of the period, as one sentence. */
static void alpha_note(struct an *a)
{
    const struct sv_table *t = a->drivers_p;
    char text[512];
    long r = -1;

    for (size_t i = 0; i < sv_table_nrows(t) && r < 0; i++)
        if (!strcmp(cell(t, (long)i, "period"), a->period)
            && !strcmp(cell(t, (long)i, "item"), SV_ITEM_ALL))
            r = (long)i;
    if (r < 0)
        return;
    if (!isfinite(cellnum(t, r, "alpha"))) {
        ok(a, sv_report_paragraph(a->rep, L(a,
            "问卷信度（Cronbach's α）：本期没有足够多答全同一问卷全部分项的"
            "答卷（几种问卷合并时不计算）。",
            "Reliability (Cronbach's alpha): too few respondents answered "
            "every item of one questionnaire this period (not computed when "
            "several questionnaires are pooled).")));
        return;
    }
    fmt(text, sizeof text, a->en
        ? "Reliability: Cronbach's alpha = %.2f over the %s respondents who "
          "answered every item (0.7 or more is usually read as reliable)."
        : "问卷信度：Cronbach's α = %.2f（答全全部分项的问卷 %s 份；通常 "
          "0.7 以上视为可靠）。", cellnum(t, r, "alpha"),
        cell(t, r, "alpha_n"));
    ok(a, sv_report_paragraph(a->rep, text));
}

static void section_priorities(struct an *a)
{
    struct sv_chart_select sel;
    struct sv_error err;
    struct sv_chart *ch;

    ok(a, sv_report_heading(a->rep, L(a, "三、改进优先级",
                                      "3. What to fix first")));
    ok(a, sv_report_paragraph(a->rep, L(a,
        "重要性为各分项得分与总体满意度的相关系数 r（问卷没有总体题时，为与"
        "其余分项平均分的相关）：r 越大，该分项的好坏越决定住户的总体评价。"
        "以各分项重要性与满意率的平均值为界分为四区：优势区（重要且满意率"
        "高，保持）、修补区（重要但满意率低，优先改进）、维持区（满意率高、"
        "相对次要）、机会区（满意率低、相对次要，资源允许时改进）。",
        "Importance is the correlation r of an item's score with the overall "
        "verdict (without an overall question: with the mean of the other "
        "items); the larger r, the more the item decides how residents rate "
        "the service.  The averages of importance and satisfaction split the "
        "items into strengths (keep), fix first (important but low), "
        "maintain (high, less important) and opportunities (low, less "
        "important).")));
    sv_chart_select_init(&sel);
    sel.period = a->period;
    sel.lang = a->o->lang;
    ch = sv_chart_quadrant_from_drivers(a->drivers_p, "report", &sel, &err);
    if (ch)
        ok(a, sv_report_chart_take(a->rep, ch, 300));
    else
        chart_failed(a, &err);
    fix_table(a);
    alpha_note(a);
}

/* Distinct scales of the rated items answered in the period (borrowed). */
static size_t period_scales(const struct an *a, const char **out, size_t cap)
{
    const struct sv_table *t = a->freq_p;
    size_t n = 0;

    for (size_t r = 0; r < sv_table_nrows(t); r++) {
        const char *sc = cell(t, (long)r, "scale");
        size_t i;
        if (strcmp(cell(t, (long)r, "period"), a->period)
            || strcmp(cell(t, (long)r, "role"), "dimension") || !*sc
            || !(cellnum(t, (long)r, "count") > 0))
            continue; /* (another form's items have no answers here) */
        for (i = 0; i < n && strcmp(out[i], sc); i++)
            ;
        if (i == n && n < cap)
            out[n++] = sc;
    }
    return n;
}

static void select_defaults(const struct an *a, struct sv_chart_select *sel)
{
    sv_chart_select_init(sel);
    sel->period = a->period;
    sel->lang = a->o->lang;
}

/* " · 三级量表" after a title when the period mixes scales. */
static void scale_title(const struct an *a, char *buf, size_t cap,
                        const char *base, const char *scale, size_t ns)
{
    const char *name = !strcmp(scale, "abc3") ? L(a, "三级量表", "3 levels")
                       : !strcmp(scale, "likert5") ? L(a, "五级量表",
                                                      "5 levels")
                                                   : scale;

    if (ns > 1)
        fmt(buf, cap, "%s · %s", base, name);
    else
        fmt(buf, cap, "%s", base);
}

static void multi_charts(struct an *a);

/* Pies of every dimension answer, then histograms, one per scale. */
static void section_composition(struct an *a)
{
    const char *scales[8];
    size_t ns = period_scales(a, scales, 8);
    struct sv_chart_select sel;
    struct sv_error err;
    struct sv_chart *ch;
    char title[256];

    ok(a, sv_report_heading(a->rep, L(a, "四、满意度构成与分布",
                                      "4. Composition and distribution")));
    ok(a, sv_report_paragraph(a->rep, L(a,
        "饼图汇总全部分项的全部有效答案；直方图按分项列出各等级的份数占比。"
        "不同量表（如三级、五级）分开绘制。",
        "The pie pools every valid answer to every item; the histograms "
        "show each item's answers by level.  Different scales are drawn "
        "separately.")));
    for (size_t i = 0; i < 2 * ns; i++) {
        select_defaults(a, &sel);
        sel.scale = scales[i % ns];
        if (i < ns
            && (ch = sv_chart_pie_from_table(a->freq_p, "report", &sel,
                                             &err))) {
            scale_title(a, title, sizeof title, L(a, "全部分项答案构成",
                        "All answers"), sel.scale, ns);
            ok(a, sv_chart_set_title(ch, title));
            ok(a, sv_report_chart_take(a->rep, ch, 230));
        } else if (i >= ns && (ch = sv_chart_hist_from_freq(
                                   a->freq_p, "report", &sel, &err))) {
            size_t n = sv_chart_series(ch);
            size_t cols = (size_t)ceil(sqrt((double)n));
            size_t rows = (n + cols - 1) / cols;
            scale_title(a, title, sizeof title, L(a, "各分项答案分布",
                        "Answers by item"), sel.scale, ns);
            ok(a, sv_chart_set_title(ch, title));
            ok(a, sv_report_chart_take(a->rep, ch,
                                       fmin(690, 90 + 135.0 * (double)rows)));
        } else
            chart_failed(a, &err);
    }
    multi_charts(a);
}

/* Most options a multi-select bar chart of the report shows. */
#define REPORT_MAX_OPTIONS 15

/*
 * The REPORT_MAX_OPTIONS options of CH chosen most, titled so (free text
 * typed into a 其他 box can make dozens of options of one or two
 * respondents each); CH itself when it has no more.  Takes ownership of
 * CH; NULL only when out of memory (sv_report_chart_take reports it).
 */
static struct sv_chart *top_options(struct an *a, struct sv_chart *ch,
                                    const char *item)
{
    size_t n = sv_chart_categories(ch), order[64];
    struct sv_chart *top;
    char title[512];

    if (n <= REPORT_MAX_OPTIONS || n > 64 ||
        sv_chart_order(ch, order, n) != SV_CHART_OK)
        return ch;
    top = sv_chart_slice(ch, order, REPORT_MAX_OPTIONS);
    sv_chart_free(ch);
    if (!top) {
        ok(a, SV_CHART_ENOMEM);
        return NULL;
    }
    fmt(title, sizeof title, a->en ? "%s (multiple choice; the %d options "
        "chosen most of %zu)" : "%s（多选，列出选择最多的 %d 项，共 %zu 项）",
        item, REPORT_MAX_OPTIONS, n);
    ok(a, sv_chart_set_title(top, title));
    return top;
}

/* A bar of option shares for every multi-select question of the period. */
static void multi_charts(struct an *a)
{
    const char *items[32];
    struct sv_chart_select sel;
    struct sv_error err;
    struct sv_chart *ch;
    size_t n;

    select_defaults(a, &sel);
    n = sv_chart_multi_items(a->freq_p, &sel, items, 32);
    for (size_t i = 0; i < n; i++) {
        sel.item = items[i];
        if (!(ch = sv_chart_bar_from_multi(a->freq_p, "report", &sel, &err))) {
            chart_failed(a, &err);
            continue;
        }
        if ((ch = top_options(a, ch, items[i])))
            ok(a, sv_report_chart_take(a->rep, ch,
                                       110 + 24.0 * (double)
                                                 sv_chart_categories(ch)));
    }
}

static void trend_row(const struct an *a, struct grid *g, long r)
{
    const struct sv_table *t = a->trend_p;
    const char *item = cell(t, r, "item");
    double slope = cellnum(t, r, "slope"), p = cellnum(t, r, "slope_p");
    char b[64];

    grid_row(g, isfinite(p) && p < SV_ALPHA && slope < 0);
    grid_set(g, 0, strcmp(item, SV_ITEM_ALL) ? item
                   : L(a, "总满意率", "All items"));
    grid_set(g, 1, cell(t, r, "periods"));
    grid_set(g, 2, fmt(b, sizeof b, "%s – %s", cell(t, r, "first_period"),
                       cell(t, r, "last_period")));
    grid_set(g, 3, pct1(b, sizeof b, cellnum(t, r, "first_pct")));
    grid_set(g, 4, pct1(b, sizeof b, cellnum(t, r, "last_pct")));
    grid_set(g, 5, dchg(b, sizeof b, slope, 2));
    grid_set(g, 6, pval(b, sizeof b, p));
}

/*
 * --site: the company's line beside the office's in a trend chart, from
 * the company table T (score or NPS by period), METRIC of ITEM.
 */
static void company_series(struct an *a, struct sv_chart *ch,
                           const struct sv_table *t, const char *metric,
                           const char *item)
{
    size_t n = sv_chart_categories(ch);
    int s = sv_chart_add_series(ch, company_label(a), NULL, n);

    if (s < 0) {
        ok(a, SV_CHART_ENOMEM);
        return;
    }
    for (size_t k = 0; k < n; k++)
        ok(a, sv_chart_set_value(ch, (size_t)s, k,
                                 cellnum(t, find_row(a, t,
                                         sv_chart_category_label(ch, k),
                                         item), metric)));
}

static void trend_chart(struct an *a, const struct sv_table *t,
                        const char *metric, const char *item,
                        const char *title)
{
    struct sv_chart_select sel;
    struct sv_error err;
    struct sv_chart *ch;

    sv_chart_select_init(&sel);
    sel.lang = a->o->lang;
    sel.by_site = 1;
    sel.site = a->o->site;
    sel.metric = metric;
    sel.item = item;
    if (!strcmp(metric, "sat_pct"))
        sel.target = a->o->target;
    if ((ch = sv_chart_trend_from_metrics(t, "report", &sel, &err))) {
        if (a->score_all)
            company_series(a, ch, strcmp(metric, "nps") ? a->score_all
                                                        : a->nps_all,
                           metric, item);
        ok(a, sv_chart_set_title(ch, title));
        if (!strcmp(metric, "nps"))
            ok(a, sv_chart_set_axis_labels(ch, NULL, "NPS"));
        ok(a, sv_report_chart_take(a->rep, ch, 250));
    } else
        chart_failed(a, &err);
}

static void section_trends(struct an *a)
{
    const char *header[] = {L(a, "分项", "Item"), L(a, "期数", "Periods"),
        L(a, "期间", "Range"), L(a, "首期", "First"), L(a, "末期", "Last"),
        L(a, "斜率", "Slope"), L(a, "p 值", "p")};
    struct grid g = {7, 0, 0, NULL, NULL, NULL, 0};
    const struct sv_table *t = a->trend_p;
    long nr = period_row(a->nps_sp, a->period);

    struct sv_table *sc, *nc;
    const struct sv_table *st = listed_rows(a, a->score_sp, &sc);
    const struct sv_table *nt = listed_rows(a, a->nps_sp, &nc);
    int few = a->nsites > a->nlisted;

    ok(a, sv_report_heading(a->rep, L(a, "五、趋势分析", "5. Trends")));
    if (!st || !nt)
        ok(a, SV_CHART_ENOMEM);
    if (st)
        trend_chart(a, st, "sat_pct", SV_ITEM_ALL, a->o->site
                    ? L(a, "总满意率趋势（本处与公司整体）",
                        "Overall satisfaction, this site and the company")
                    : few ? L(a, "本期总满意率最低的管理处的总满意率趋势",
                              "Overall satisfaction of the sites lowest "
                              "this period")
                    : L(a, "各管理处总满意率趋势",
                        "Overall satisfaction by site"));
    if (nt && nr >= 0)
        trend_chart(a, nt, "nps", cell(a->nps_sp, nr, "item"),
                    a->o->site ? L(a, "NPS 趋势（本处与公司整体）",
                                   "NPS, this site and the company")
                    : few ? L(a, "本期总满意率最低的管理处的 NPS 趋势",
                              "NPS of the sites lowest this period")
                    : L(a, "各管理处 NPS 趋势", "NPS by site"));
    sv_table_free(sc);
    sv_table_free(nc);
    for (size_t r = 0; r < sv_table_nrows(t); r++)
        if (rated_row(t, (long)r))
            trend_row(a, &g, (long)r);
    grid_emit(a, &g, header, NULL, a->o->site ? L(a,
        "表 3  满意率趋势（本管理处；斜率为最小二乘法，单位百分点/期，"
        "三期及以上才检验）",
        "Table 3  Satisfaction trend (this site; OLS slope in percentage "
        "points per period, tested from three periods)") : L(a,
        "表 3  满意率趋势（全部管理处合计；斜率为最小二乘法，单位百分点/期，"
        "三期及以上才检验）",
        "Table 3  Satisfaction trend (all sites; OLS slope in percentage "
        "points per period, tested from three periods)"));
}

/*
 * The weak items of the site whose (all) row is R, joined by 、: the rows
 * after R of the same site and period (a group's items are together).
 */
static void site_weak(const struct an *a, long r, char *buf, size_t cap)
{
    const struct sv_table *t = a->score_sp;
    const char *site = cell(t, r, "site");
    size_t len = 0, n = 0;

    buf[0] = '\0';
    for (size_t i = (size_t)r + 1; i < sv_table_nrows(t)
         && !strcmp(cell(t, (long)i, "site"), site)
         && !strcmp(cell(t, (long)i, "period"), a->period); i++)
        if (rated_row(t, (long)i)
            && strcmp(cell(t, (long)i, "item"), SV_ITEM_ALL)
            && flag(t, (long)i, "weak"))
            len += (size_t)snprintf(buf + len, len < cap ? cap - len : 0,
                                    "%s%s", n++ ? L(a, "、", ", ") : "",
                                    cell(t, (long)i, "item"));
}

static void site_row(const struct an *a, struct grid *g, long r)
{
    const struct sv_table *t = a->score_sp;
    const char *site = cell(t, r, "site");
    long nr;
    double d = cellnum(t, r, "delta_pct"), p = cellnum(t, r, "delta_p");
    char b[64], c[48];

    nr = rowidx_find(&a->nps_sites, site, a->period);
    grid_row(g, flag(t, r, "weak"));
    grid_set(g, 0, site);
    grid_set(g, 1, cell(t, r, "responses"));
    grid_set(g, 2, !*cell(t, r, "coverage_pct") ? "—"
                   : fmt(b, sizeof b, "%s%s", pct1(c, sizeof c, cellnum(t, r,
                                                          "coverage_pct")),
                         flag(t, r, "coverage_low") ? " !" : ""));
    grid_set(g, 3, pct1(b, sizeof b, cellnum(t, r, "sat_pct")));
    grid_set(g, 4, interval(b, sizeof b, cellnum(t, r, "sat_ci_low"),
                            cellnum(t, r, "sat_ci_high")));
    dchg(c, sizeof c, d, 1);
    grid_set(g, 5, isfinite(d) ? fmt(b, sizeof b, "%s%s", c,
                                     p < SV_ALPHA ? " *" : "") : "—");
    grid_set(g, 6, dnum(b, sizeof b, nr < 0 ? NAN
                        : cellnum(a->nps_sp, nr, "nps"), 1));
}

static void chi2_row(const struct an *a, struct grid *g, long r)
{
    const struct sv_table *t = a->score_sp;
    const char *item = cell(t, r, "item");
    double p = cellnum(t, r, "chi2_p");
    char b[64];

    grid_row(g, isfinite(p) && p < SV_ALPHA);
    grid_set(g, 0, strcmp(item, SV_ITEM_ALL) ? item
                   : L(a, "总满意率", "All items"));
    grid_set(g, 1, dnum(b, sizeof b, cellnum(t, r, "chi2"), 2));
    grid_set(g, 2, *cell(t, r, "df") ? cell(t, r, "df") : "—");
    grid_set(g, 3, pval(b, sizeof b, p));
    grid_set(g, 4, !isfinite(p) ? L(a, "（仅一个管理处作答）", "(one site)")
                   : p < SV_ALPHA ? L(a, "有显著差异", "differ")
                              : L(a, "无显著差异", "no difference"));
}

/* One paragraph naming the weak items of every listed site. */
static void sites_weak(struct an *a)
{
    char *buf = NULL, weak[1024], head[160];
    size_t len = 0;
    const char *sep = "";
    FILE *f = open_memstream(&buf, &len);

    if (!f) {
        ok(a, SV_CHART_ENOMEM);
        return;
    }
    if (a->nsites > a->nlisted)
        fmt(head, sizeof head, a->en ? "Weak items of the %zu sites with "
                                       "the lowest satisfaction rate: "
                                     : "总满意率最低的 %zu 个管理处的短板分项：",
            a->nlisted);
    else
        fmt(head, sizeof head, "%s", L(a, "各管理处短板分项：",
                                       "Weak items by site: "));
    fputs(head, f);
    for (size_t i = 0; i < a->nlisted; i++) {
        long r = a->listed[i].row;
        site_weak(a, r, weak, sizeof weak);
        fprintf(f, "%s%s%s%s", sep, cell(a->score_sp, r, "site"),
                L(a, "——", ": "), weak[0] ? weak : L(a, "无", "none"));
        sep = L(a, "；", "; ");
    }
    fputs(L(a, "。", "."), f);
    if (fclose(f) != 0 || !buf)
        ok(a, SV_CHART_ENOMEM);
    else
        ok(a, sv_report_paragraph(a->rep, buf));
    free(buf);
}

static void sites_chart(struct an *a)
{
    struct sv_chart_select sel;
    struct sv_error err;
    struct sv_chart *ch;

    struct sv_table *few;
    const struct sv_table *t = listed_rows(a, a->score_sp, &few);

    select_defaults(a, &sel);
    sel.by_site = 1;
    sel.target = a->o->target;
    if (!t) {
        ok(a, SV_CHART_ENOMEM);
        return;
    }
    if ((ch = sv_chart_bar_from_metrics(t, "report", &sel, &err)))
        ok(a, sv_report_chart_take(a->rep, ch, fmax(240, 110 + 28.0 *
                                   (double)sv_chart_categories(ch))));
    else
        chart_failed(a, &err);
    sv_table_free(few);
}

static void section_sites(struct an *a)
{
    char cap[256];
    const char *h1[] = {L(a, "管理处", "Site"),
        L(a, "问卷（份）", "Questionnaires"),
        L(a, "覆盖率", "Coverage"), L(a, "总满意率", "Satisfied"),
        L(a, "95% 区间", "95% interval"), L(a, "变化", "Change"), "NPS"};
    const char *h2[] = {L(a, "分项", "Item"), "χ²", L(a, "自由度", "df"),
        L(a, "p 值", "p"), L(a, "结论", "Result")};
    static const enum sv_report_align a2[] = {SV_ALIGN_LEFT, SV_ALIGN_RIGHT,
        SV_ALIGN_RIGHT, SV_ALIGN_RIGHT, SV_ALIGN_LEFT};
    struct grid g1 = {7, 0, 0, NULL, NULL, NULL, 0};
    struct grid g2 = {5, 0, 0, a2, NULL, NULL, 0};
    const struct sv_table *t = a->score_sp;

    ok(a, sv_report_heading(a->rep, L(a, "六、各管理处对比",
                                      "6. Comparison of sites")));
    for (size_t i = 0; i < a->nlisted; i++)
        site_row(a, &g1, a->listed[i].row);
    for (size_t r = 0; r < sv_table_nrows(t); r++)
        if (!strcmp(cell(t, (long)r, "period"), a->period)
            && rated_row(t, (long)r)
            && !strcmp(cell(t, (long)r, "site"), SV_ITEM_SITES))
            chi2_row(a, &g2, (long)r);
    if (a->nsites > a->nlisted)
        fmt(cap, sizeof cap, a->en
            ? "Table 4  The %zu of %zu sites with the lowest satisfaction "
              "rate this period (! coverage below %g%%; * significant)"
            : "表 4  本期总满意率最低的 %zu 个管理处（共 %zu 个；! 覆盖率"
              "低于 %g%%；* 变化显著）",
            a->nlisted, a->nsites, a->coverage_target);
    else
        fmt(cap, sizeof cap, a->en ? "Table 4  Sites this period (! coverage "
                                     "below %g%%; * significant)"
                                   : "表 4  各管理处本期指标（! 覆盖率低于 "
                                     "%g%%；* 变化显著）", a->coverage_target);
    grid_emit(a, &g1, h1, NULL, cap);
    sites_weak(a);
    sites_chart(a);
    grid_emit(a, &g2, h2, NULL, L(a,
        "表 5  管理处间差异检验（Pearson 卡方检验：满意与否 × 管理处）",
        "Table 5  Differences between sites (Pearson chi-square)"));
}

/* ---- common opinions ------------------------------------------------ */

#define OPINION_WORDS 8 /* words, and phrases, listed in table 6b */

/* The period's comments, masked, with their site. */
struct comments {
    struct sv_opinions *op;
    struct sv_words *words;
    char **text, **site;
    size_t n, cap;
};

static void comments_free(struct comments *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->text[i]);
        free(c->site[i]);
    }
    free(c->text);
    free(c->site);
    sv_opinions_free(c->op);
    sv_words_free(c->words);
}

static enum sv_status comment_add(struct comments *c, const char *text,
                                  const char *site, struct sv_error *err)
{
    size_t len = strlen(text);
    char *m = malloc(len + 1);

    if (m && c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 64;
        char **t = realloc(c->text, cap * sizeof *t);
        char **s = t ? realloc(c->site, cap * sizeof *s) : NULL;
        if (t)
            c->text = t;
        if (s)
            c->site = s, c->cap = cap;
    }
    if (!m || c->n == c->cap || sv_mask_pii(text, m, len + 1) == (size_t)-1
        || !(c->site[c->n] = strdup(site))) {
        free(m);
        return sv_error_set(err, SV_ERR_NOMEM, NULL, 0, NULL,
                            "out of memory");
    }
    c->text[c->n++] = m;
    if (sv_words_add(c->words, m, err) != SV_OK)
        return err ? err->code : SV_ERR_NOMEM;
    return sv_opinions_add(c->op, m, err);
}

/* True when the current record of CSV is a questionnaire stream header. */
static int stream_header(struct sv_csv *csv)
{
    return !strcmp(sv_csv_field(csv, 0), sv_stream_col_name(SV_SCOL_DATE))
           && sv_csv_nfields(csv) > SV_SCOL_SITE
           && !strcmp(sv_csv_field(csv, SV_SCOL_SITE),
                      sv_stream_col_name(SV_SCOL_SITE));
}

/* Reads the comments of the period from one stream (cubes have none). */
static enum sv_status read_comments(const struct an *a, const char *path,
                                    struct comments *c)
{
    struct sv_csv *csv = sv_csv_open(path, NULL, NULL, a->err);
    long per = -1, site = -1;
    unsigned char *is_comment = NULL;
    size_t ncols = 0;
    enum sv_status st;
    size_t nf;

    if (!csv)
        return a->err ? a->err->code : SV_ERR_IO;
    while ((st = sv_csv_next(csv, &nf, a->err)) == SV_OK && nf > 0) {
        if ((st = sv_stream_check_failure(csv, a->err)) != SV_OK)
            break;
        if (stream_header(csv)) {
            unsigned char *m = realloc(is_comment, nf);
            per = site = -1;
            ncols = 0;
            if (!m) {
                st = sv_error_set(a->err, SV_ERR_NOMEM, NULL, 0, NULL,
                                  "out of memory");
                break;
            }
            is_comment = m;
            ncols = nf;
            for (size_t i = 0; i < nf; i++) {
                const char *h = sv_csv_field(csv, i), *spec;
                size_t len, slen;
                enum sv_role role;
                per = !strcmp(h, sv_stream_period_col(a->gran)) ? (long)i
                                                                : per;
                site = !strcmp(h, sv_stream_col_name(SV_SCOL_SITE))
                           ? (long)i : site;
                is_comment[i] = sv_stream_item_parse(h, &len, &role, &spec,
                                                     &slen)
                                && role == SV_ROLE_COMMENT;
            }
            continue;
        }
        if (per < 0 || nf != ncols
            || strcmp(sv_csv_field(csv, (size_t)per), a->period)
            || (a->o->site && (site < 0 || strcmp(sv_csv_field(csv,
                                                  (size_t)site), a->o->site))))
            continue;
        for (size_t i = 0; i < nf && st == SV_OK; i++)
            if (is_comment[i] && *sv_csv_field(csv, i))
                st = comment_add(c, sv_csv_field(csv, i),
                                 site < 0 ? ""
                                          : sv_csv_field(csv, (size_t)site),
                                 a->err);
        if (st != SV_OK)
            break;
    }
    free(is_comment);
    sv_csv_free(csv);
    return st;
}

/* Keyword lines: "停车 12 条（8.5%）" and the n-grams in one paragraph. */
static void opinion_themes(struct an *a, const struct comments *c)
{
    const char *header[] = {L(a, "主题", "Theme"), L(a, "提及条数",
        "Comments"), L(a, "占比", "Share"), L(a, "关键词", "Key words")};
    struct sv_keyword k[32];
    static const enum sv_report_align al[] = {SV_ALIGN_LEFT, SV_ALIGN_RIGHT,
        SV_ALIGN_RIGHT, SV_ALIGN_LEFT};
    struct grid g = {4, 0, 0, al, NULL, NULL, 0};
    size_t n = sv_opinions_theme_counts(c->op, k, 10), total = c->n;
    char b[64];

    for (size_t i = 0; i < n; i++) {
        grid_row(&g, 0);
        grid_set(&g, 0, k[i].text);
        grid_set(&g, 1, fmt(b, sizeof b, "%zu", k[i].count));
        grid_set(&g, 2, pct1(b, sizeof b, 100.0 * (double)k[i].count
                                           / (double)total));
        for (size_t t = 0; t < sv_opinion_themes(); t++)
            if (!strcmp(sv_opinion_theme_name(t), k[i].text))
                grid_set(&g, 3, sv_opinion_theme_words(t));
    }
    grid_emit(a, &g, header, NULL, L(a,
        "表 6  意见主题（按关键词计数，每条意见每个主题最多计一次）",
        "Table 6  Themes (keyword counts, once per comment)"));
}

/* Rows of the most frequent words (PHRASES = 0) or phrases into G. */
static void word_rows(struct an *a, const struct comments *c,
                      struct grid *g, int phrases)
{
    struct sv_word w[OPINION_WORDS];
    size_t n = sv_words_top(c->words, phrases, 3, w, OPINION_WORDS, NULL);
    char b[64];

    if (n == (size_t)-1) {
        ok(a, SV_CHART_ENOMEM);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        grid_row(g, 0);
        grid_set(g, 0, w[i].text);
        grid_set(g, 1, phrases ? L(a, "词组", "phrase") : L(a, "词", "word"));
        grid_set(g, 2, fmt(b, sizeof b, "%zu", w[i].count));
        grid_set(g, 3, w[i].example);
    }
}

/*
 * The words and two-word phrases used in at least 3 comments (ICU word
 * segmentation, libsurvey/words.c), OPINION_WORDS of each, with an
 * example comment each.
 */
static void opinion_words(struct an *a, const struct comments *c)
{
    const char *header[] = {L(a, "词或词组", "Word or phrase"),
        L(a, "类别", "Kind"), L(a, "意见条数", "Comments"),
        L(a, "例句", "Example")};
    static const enum sv_report_align al[] = {SV_ALIGN_LEFT, SV_ALIGN_LEFT,
        SV_ALIGN_RIGHT, SV_ALIGN_LEFT};
    static const double widths[] = {14, 10, 13, 63};
    struct grid g = {4, 0, 0, al, NULL, NULL, 0};

    word_rows(a, c, &g, 0);
    word_rows(a, c, &g, 1);
    grid_emit(a, &g, header, widths, L(a,
        "表 6b  高频词与词组（分词计数，至少 3 条意见，每条意见计一次；"
        "例句已隐去个人信息）",
        "Table 6b  Frequent words and phrases (word segmentation, in 3+ "
        "comments, once per comment; examples with personal numbers "
        "removed)"));
}

/* Up to five verbatim comments, one per leading theme. */
static void opinion_quotes(struct an *a, const struct comments *c)
{
    struct sv_keyword k[5];
    size_t n = sv_opinions_theme_counts(c->op, k, 5);
    unsigned char *used = calloc(c->n + 1, 1);
    char buf[1200];

    if (!used) {
        ok(a, SV_CHART_ENOMEM);
        return;
    }
    ok(a, sv_report_paragraph(a->rep, L(a,
        "意见摘录（电话、身份证号等个人信息已隐去）：",
        "Comments (personal numbers removed):")));
    for (size_t i = 0; i < n; i++) {
        size_t t = 0;
        while (t < sv_opinion_themes()
               && strcmp(sv_opinion_theme_name(t), k[i].text))
            t++;
        for (size_t j = 0; j < c->n; j++)
            if (!used[j] && strlen(c->text[j]) <= 300
                && sv_opinion_mentions(c->text[j], t)) {
                for (size_t d = 0; d < c->n; d++)
                    used[d] |= !strcmp(c->text[d], c->text[j]);
                fmt(buf, sizeof buf, a->en ? "[%s] \"%s\" (%s)"
                                           : "【%s】“%s”（%s）",
                    k[i].text, c->text[j], c->site[j]);
                ok(a, sv_report_paragraph(a->rep, buf));
                break;
            }
    }
    free(used);
}

static enum sv_status section_opinions(struct an *a)
{
    struct comments c = {0};
    enum sv_status st = SV_OK;
    char b[256];

    if (!(c.op = sv_opinions_new(a->err))
        || !(c.words = sv_words_new(a->err))) {
        comments_free(&c);
        return a->err ? a->err->code : SV_ERR_NOMEM;
    }
    for (size_t i = 0; st == SV_OK && i < a->o->nstreams; i++)
        st = read_comments(a, a->o->streams[i], &c);
    if (st == SV_OK) {
        ok(a, sv_report_heading(a->rep, L(a, "七、共性意见",
                                          "7. Common opinions")));
        fmt(b, sizeof b, a->en ? "%zu written comments this period."
                               : "本期共收到书面意见 %zu 条。", c.n);
        ok(a, sv_report_paragraph(a->rep, b));
    }
    if (st == SV_OK && c.n) {
        opinion_themes(a, &c);
        opinion_words(a, &c);
        opinion_quotes(a, &c);
    }
    comments_free(&c);
    return st;
}

/* ---- the complaint register ----------------------------------------- */

/* Reads the register grouped by DIMS into its metrics table. */
static struct sv_table *register_table(const struct an *a,
                                       const char *const *dims, size_t n,
                                       int per_site)
{
    struct sv_complaints *reg = sv_complaints_new(dims, n, a->gran, a->err);
    struct sv_complaints_options o;
    struct sv_csv *csv = NULL;
    struct sv_table *t = NULL;

    sv_complaints_options_init(&o);
    o.compare = 1;
    o.window_days = a->window_days;
    o.households = per_site ? a->hh : NULL;
    if (reg && (csv = sv_csv_open(a->o->complaints, NULL, NULL, a->err))
        && sv_complaints_read(reg, csv, 0, a->err) == SV_OK
        && sv_complaints_finish(reg, a->err) == SV_OK)
        t = sv_complaints_table(reg, &o, a->err);
    sv_csv_free(csv);
    sv_complaints_free(reg);
    return t;
}

/* Cards of the register's figures in the period (row R of T). */
static void register_cards(struct an *a, const struct sv_table *t, long r)
{
    struct sv_report_card c[4] = {{0}};
    char v[4][64], ch[4][128];
    static const char *const cols[] = {"repeat_pct", "resolution_pct",
                                       "timely_pct"};
    const char *labels[] = {L(a, "投诉件数", "Complaints"),
        L(a, "重复投诉率", "Repeat rate"), L(a, "解决率", "Resolution rate"),
        L(a, "及时率", "Timeliness")};

    for (int i = 0; i < 4; i++) {
        char dc[64], pc[64];
        double d, p;
        c[i].label = labels[i];
        if (i == 0) {
            fmt(v[0], 64, "%s", cell(t, r, "complaints"));
            c[0].value = v[0];
            fmt(ch[0], 128, "%s %s %s", L(a, "处理时长中位数", "median"),
                dnum(dc, sizeof dc, cellnum(t, r, "median_hours_to_close"),
                     1), L(a, "小时", "hours"));
            c[0].change = ch[0];
            continue;
        }
        fmt(dc, sizeof dc, "delta_%s", cols[i - 1]);
        fmt(pc, sizeof pc, "delta_%.*s_p",
            (int)(strlen(cols[i - 1]) - 4), cols[i - 1]);
        d = cellnum(t, r, dc);
        p = cellnum(t, r, pc);
        c[i].value = pct1(v[i], 64, cellnum(t, r, cols[i - 1]));
        c[i].change = isfinite(d) ? sv_report_format_change(
            ch[i], 128, d, isfinite(p) ? p < SV_ALPHA : -1,
            a->en ? SV_LANG_EN : SV_LANG_ZH) : NULL;
        c[i].tone = tone(d, isfinite(p) && p < SV_ALPHA, i > 1);
    }
    ok(a, sv_report_cards(a->rep, c, 4));
}

static void register_site_row(const struct an *a, struct grid *g,
                              const struct sv_table *t, long r)
{
    char b[64];

    grid_row(g, 0);
    grid_set(g, 0, cell(t, r, "site"));
    grid_set(g, 1, cell(t, r, "complaints"));
    grid_set(g, 2, dnum(b, sizeof b, cellnum(t, r, "complaints_per_100"), 2));
    grid_set(g, 3, pct1(b, sizeof b, cellnum(t, r, "repeat_pct")));
    grid_set(g, 4, pct1(b, sizeof b, cellnum(t, r, "resolution_pct")));
    grid_set(g, 5, pct1(b, sizeof b, cellnum(t, r, "timely_pct")));
    grid_set(g, 6, dnum(b, sizeof b, cellnum(t, r, "median_hours_to_close"),
                        1));
    (void)a;
}

static void register_pie(struct an *a)
{
    static const char *const dims[] = {"site", "period", "category"};
    struct sv_table *t = a->o->site ? register_table(a, dims, 3, 0)
                                    : register_table(a, dims + 1, 2, 0);
    struct sv_chart_select sel;
    struct sv_chart *ch;

    if (!t)
        return;
    select_defaults(a, &sel);
    sel.site = a->o->site;
    if ((ch = sv_chart_pie_from_table(t, "report", &sel, a->err)))
        ok(a, sv_report_chart_take(a->rep, ch, 280));
    sv_table_free(t);
}

static enum sv_status section_register(struct an *a)
{
    char cap[256];
    static const char *const dp[] = {"period"}, *const ds[] = {"site",
                                                               "period"};
    const char *header[] = {L(a, "管理处", "Site"), L(a, "投诉", "Complaints"),
        L(a, "每百户", "Per 100 hh"), L(a, "重复率", "Repeat"),
        L(a, "解决率", "Resolved"), L(a, "及时率", "Timely"),
        L(a, "时长中位数（时）", "Median hours")};
    struct sv_table *tp = register_table(a, dp, 1, 0), *ts = NULL;
    struct grid g = {7, 0, 0, NULL, NULL, NULL, 0};
    long r;

    if (!tp || !(ts = register_table(a, ds, 2, 1))) {
        sv_table_free(tp);
        return a->err ? a->err->code : SV_ERR_NOMEM;
    }
    ok(a, sv_report_heading(a->rep, L(a, "八、投诉登记分析",
                                      "8. Complaint register")));
    r = period_row(tp, a->period);
    if (a->o->site) /* the office's own row */
        for (r = 0; r < (long)sv_table_nrows(ts)
                    && (strcmp(cell(ts, r, "period"), a->period)
                        || strcmp(cell(ts, r, "site"), a->o->site)); r++)
            ;
    if (r >= (long)sv_table_nrows(ts))
        r = -1;
    if (r >= 0)
        register_cards(a, a->o->site ? ts : tp, r);
    else
        ok(a, sv_report_paragraph(a->rep, L(a, "本期没有登记投诉。",
                                            "No complaints this period.")));
    for (size_t i = 0; i < sv_table_nrows(ts); i++)
        if (!strcmp(cell(ts, (long)i, "period"), a->period))
            register_site_row(a, &g, ts, (long)i);
    fmt(cap, sizeof cap, a->en
        ? "Table 7  Register by site (repeat: same household and category "
          "within %ld days; timely: closed within the deadline)"
        : "表 7  各管理处投诉登记（重复：同一住户同类投诉 %ld 天内再次发生；"
          "及时：在时限内办结）", a->window_days);
    grid_emit(a, &g, header, NULL, cap);
    if (r >= 0)
        register_pie(a);
    sv_table_free(tp);
    sv_table_free(ts);
    return SV_OK;
}

/* ---- 摘要: the first page after the cover ----------------------------- */

/* "，较上期 -0.1 百分点，变化不显著" of figure F (UNIT after the number). */
static void summary_change(const struct an *a, FILE *o, const struct figure *f,
                           const char *unit_zh, const char *unit_en)
{
    char d[48];

    if (!isfinite(f->delta)) {
        fputs(L(a, "，无上期可比", ", no previous period to compare"), o);
        return;
    }
    fprintf(o, a->en ? ", %s %s vs the previous period%s" : "，较上期 %s %s%s",
            dchg(d, sizeof d, f->delta, f->kind == 1 ? 0 : 1),
            L(a, unit_zh, unit_en),
            f->sig == 1 ? L(a, "，变化显著", " (significant)")
            : f->sig == 0 ? L(a, "，变化不显著", " (not significant)") : "");
}

/* "，公司整体 84.3%" in an office's report. */
static void summary_ref(const struct an *a, FILE *o, const struct figure *f)
{
    char v[48];

    if (isfinite(f->ref))
        fprintf(o, a->en ? ", %s %s" : "，%s %s", company_label(a),
                fig_value(v, sizeof v, f, f->ref));
}

/* Sentence 1: questionnaires and 总满意率 (table 1). */
static void summary_rate(const struct an *a, FILE *o, const struct figure *f)
{
    char pn[64], n[48], v[48], iv[64];

    fprintf(o, a->en ? "%s: %s questionnaires returned; overall satisfaction "
                       "%s (95%% interval %s)"
                     : "%s共回收问卷 %s 份，总满意率 %s（95%% 区间 %s）",
            period_name(a, pn, sizeof pn, a->period),
            dnum(n, sizeof n, f[0].value, 0), pct1(v, sizeof v, f[2].value),
            interval(iv, sizeof iv, f[2].low, f[2].high));
    summary_change(a, o, &f[2], "百分点", "pp");
    summary_ref(a, o, &f[2]);
    fputs(L(a, "（表 1）。", " (table 1)."), o);
}

/* Sentence 2: the three lowest dimension items and the weak count (表 2). */
static void summary_weakest(const struct an *a, FILE *o)
{
    const struct sv_table *t = a->score_p;
    long rows[256];
    size_t n = 0, nweak;
    char v[48], weak[1024];

    for (size_t r = 0; r < sv_table_nrows(t) && n < 256; r++)
        if (!strcmp(cell(t, (long)r, "period"), a->period)
            && !strcmp(cell(t, (long)r, "role"), "dimension")
            && strcmp(cell(t, (long)r, "item"), SV_ITEM_ALL)
            && isfinite(cellnum(t, (long)r, "sat_pct")))
            rows[n++] = (long)r;
    nweak = weak_list(a, weak, sizeof weak); /* as listed under table 2 */
    if (!n)
        return;
    for (size_t i = 1; i < n; i++) { /* by rate, lowest first */
        long k = rows[i];
        size_t j = i;
        while (j > 0 && cellnum(t, rows[j - 1], "sat_pct")
                            > cellnum(t, k, "sat_pct")) {
            rows[j] = rows[j - 1];
            j--;
        }
        rows[j] = k;
    }
    fputs(L(a, "满意率最低的分项为", "The lowest items are "), o);
    for (size_t i = 0; i < n && i < 3; i++)
        fprintf(o, "%s%s %s", i ? L(a, "、", ", ") : "",
                cell(t, rows[i], "item"),
                pct1(v, sizeof v, cellnum(t, rows[i], "sat_pct")));
    fprintf(o, a->en ? "; %zu items are weak (below the %.0f%% target or "
                       "significantly below the overall rate) (table 2). "
                     : "；共 %zu 个分项为短板（低于目标 %.0f%% 或显著低于"
                       "总满意率）（表 2）。", nweak, a->o->target);
}

/* Sentence 3: the 修补区 items (table 2b). */
static void summary_fix(const struct an *a, FILE *o)
{
    long rows[256];
    size_t n = fix_rows(a, rows, 256);
    char v[48];

    if (!n) {
        fputs(L(a, "四分图中没有修补区分项（三、改进优先级）。",
                "No item is in the fix quadrant (section 3). "), o);
        return;
    }
    fputs(L(a, "应优先改进的修补区分项（重要但满意率偏低）：",
            "Fix first (important but below average): "), o);
    for (size_t i = 0; i < n && i < 5; i++)
        fprintf(o, "%s%s %s", i ? L(a, "、", ", ") : "",
                cell(a->drivers_p, rows[i], "item"),
                pct1(v, sizeof v, cellnum(a->drivers_p, rows[i], "sat_pct")));
    fprintf(o, "%s%s", n > 5 ? L(a, " 等", " and more") : "",
            L(a, "（表 2b）。", " (table 2b). "));
}

/* Sentence 4: NPS and the questionnaire's complaint rates (table 1). */
static void summary_nps(const struct an *a, FILE *o, const struct figure *f)
{
    char v[48], c[48], r[48];

    if (isfinite(f[3].value)) {
        fprintf(o, "NPS %s", dnum(v, sizeof v, f[3].value, 1));
        summary_change(a, o, &f[3], "分", "points");
        summary_ref(a, o, &f[3]);
        fputs(L(a, "；", "; "), o);
    }
    if (isfinite(f[4].value))
        fprintf(o, a->en ? "complaint rate (survey) %s" : "投诉率（问卷）%s",
                pct1(c, sizeof c, f[4].value));
    if (isfinite(f[5].value))
        fprintf(o, a->en ? ", repeat-complaint rate %s" : "，重复投诉率 %s",
                pct1(r, sizeof r, f[5].value));
    fputs(L(a, "（表 1）。", " (table 1). "), o);
}

/* Sentence 5: the register's complaints and timeliness (section 八). */
static void summary_register(const struct an *a, FILE *o)
{
    static const char *const ds[] = {"site", "period"}, *const dp[] = {
        "period"};
    struct sv_table *t = a->o->site ? register_table(a, ds, 2, 0)
                                    : register_table(a, dp, 1, 0);
    char v[48], w[48], x[48];
    long r = -1;

    for (size_t i = 0; t && i < sv_table_nrows(t) && r < 0; i++)
        if (!strcmp(cell(t, (long)i, "period"), a->period)
            && (!a->o->site || !strcmp(cell(t, (long)i, "site"), a->o->site)))
            r = (long)i;
    if (r >= 0)
        fprintf(o, a->en ? "The register holds %s complaints, %s resolved, "
                           "%s on time (section 8)."
                         : "登记的投诉件数 %s 件，解决率 %s，及时率 %s（八、"
                           "投诉登记分析）。",
                dnum(v, sizeof v, cellnum(t, r, "complaints"), 0),
                pct1(w, sizeof w, cellnum(t, r, "resolution_pct")),
                pct1(x, sizeof x, cellnum(t, r, "timely_pct")));
    sv_table_free(t);
}

/*
 * The page after the cover: a few sentences generated from the figures,
 * each naming the table (or section) it comes from.
 */
static void section_summary(struct an *a)
{
    struct figure f[6], fc[6];
    size_t n = headline_figures(a, f, 0);
    char *buf = NULL;
    size_t len = 0;
    FILE *o;

    if (a->score_all)
        headline_figures(a, fc, 1);
    for (size_t i = 0; i < n; i++)
        f[i].ref = a->score_all ? fc[i].value : NAN;
    ok(a, sv_report_heading(a->rep, L(a, "摘要", "Summary")));
    if (!(o = open_memstream(&buf, &len))) {
        ok(a, SV_CHART_ENOMEM);
        return;
    }
    summary_rate(a, o, f);
    fputc('\n', o);
    summary_weakest(a, o);
    summary_fix(a, o);
    fputc('\n', o);
    summary_nps(a, o, f);
    if (a->o->complaints)
        summary_register(a, o);
    if (fclose(o) != 0 || !buf) {
        ok(a, SV_CHART_ENOMEM);
    } else {
        for (char *p = buf, *e; p && *p; p = e ? e + 1 : NULL) {
            if ((e = strchr(p, '\n')))
                *e = '\0';
            ok(a, sv_report_paragraph(a->rep, p));
        }
    }
    free(buf);
    define_rate(a);
}

/* ---- the whole report ----------------------------------------------- */

static void an_free(struct an *a)
{
    sv_report_free(a->rep);
    sv_table_free(a->score_p);
    sv_table_free(a->score_sp);
    free(a->listed);
    free(a->names);
    sv_table_free(a->freq_p);
    sv_table_free(a->trend_p);
    sv_table_free(a->nps_p);
    sv_table_free(a->nps_sp);
    free(a->score_items.k);
    free(a->nps_items.k);
    free(a->nps_sites.k);
    free(a->all_items.k);
    free(a->nps_all_items.k);
    sv_table_free(a->score_all);
    sv_table_free(a->nps_all);
    sv_cube_free(a->cube_all);
    sv_table_free(a->drivers_p);
    sv_households_free(a->hh);
    sv_cube_free(a->cube_p);
    sv_cube_free(a->cube_sp);
    sv_cube_free(a->cube_spq);
}

static enum sv_status build_report(struct an *a, const char *path)
{
    enum sv_status st;

    a->rep = sv_report_new(path, L(a, "物业服务满意度调查统计分析报告",
                                   "Customer Satisfaction Survey Report"),
                           a->o->lang, a->err);
    if (!a->rep)
        return a->err->code;
    if (a->o->font)
        ok(a, sv_report_set_font(a->rep, a->o->font));
    section_cover(a);
    section_summary(a);
    section_headline(a);
    section_dimensions(a);
    section_priorities(a);
    section_composition(a);
    section_trends(a);
    section_sites(a);
    if ((st = section_opinions(a)))
        return st;
    if (a->o->complaints && (st = section_register(a)))
        return st;
    if (a->chart_err.code) {
        *a->err = a->chart_err;
        return a->err->code;
    }
    if (a->rc)
        return sv_error_set(a->err, a->rc == SV_CHART_ENOMEM ? SV_ERR_NOMEM
                                    : a->rc == SV_CHART_EIO ? SV_ERR_IO
                                                            : SV_ERR_DATA,
                            NULL, 0, NULL, "report: %s",
                            sv_chart_strerror(a->rc));
    return SV_OK;
}

/* Renders every page to PREFIX-N.png. */
static enum sv_status write_pages(struct an *a, const char *prefix, int n)
{
    char path[4096];

    for (int p = 1; p <= n; p++) {
        snprintf(path, sizeof path, "%s-%d.png", prefix, p);
        if (sv_report_write_page(a->rep, p, path, a->err))
            return a->err->code;
    }
    return SV_OK;
}

/* Tries to create PATH's temporary (and removes it): can it be written? */
static enum sv_status probe(struct an *a, const char *path)
{
    struct sv_outfile f;
    struct stat st;

    /* a device or FIFO is written in place: opening it twice could block */
    if (!strncmp(path, "/dev/", 5) || !strncmp(path, "/proc/", 6)
        || (stat(path, &st) == 0 && !S_ISREG(st.st_mode)
            && !S_ISDIR(st.st_mode)))
        return SV_OK;
    if (sv_outfile_open(&f, path, a->err) != SV_OK)
        return a->err->code;
    close(f.fd);
    sv_outfile_abort(&f);
    return sv_outfile_check(&f, path, a->err);
}

/*
 * The report's outputs are committed together as far as can be known in
 * advance: both destinations are probed before anything is written, and
 * the page PNGs are written before the PDF, so a failing --pages never
 * leaves a replaced PDF behind.
 */
static enum sv_status probe_outputs(struct an *a, const char *path,
                                    const char *prefix)
{
    char page[4096];
    enum sv_status st = probe(a, path);

    if (st != SV_OK || !prefix)
        return st;
    if (snprintf(page, sizeof page, "%s-1.png", prefix) >= (int)sizeof page)
        return sv_error_set(a->err, SV_ERR_IO, prefix, 0, NULL,
                            "file name too long");
    return probe(a, page);
}

enum sv_status sv_analysis_report(const struct sv_analysis_options *o,
                                  const char *path, const char *pages_prefix,
                                  int *npages, struct sv_error *err)
{
    struct an a = {0};
    struct sv_error local;
    enum sv_status st;
    int n = 0;

    a.o = o;
    a.en = o->lang == SV_LANG_EN;
    a.err = err ? err : &local;
    a.gran = SV_PERIOD_QUARTER;
    {
        struct sv_complaints_options co;
        sv_complaints_options_init(&co);
        a.window_days = co.window_days;
    }
    if (o->period && !(a.gran = sv_period_ordinal(o->period, &(long){0})))
        return sv_error_set(a.err, SV_ERR_USAGE, NULL, 0, NULL,
                            "invalid period key '%s' (expected a period "
                            "key such as 2026Q4, 2026H2, 2026 or 2026-07)",
                            o->period);
    for (size_t i = 0; i < o->nstreams; i++)
        if (!strcmp(o->streams[i], "-"))
            return sv_error_set(a.err, SV_ERR_USAGE, NULL, 0, NULL,
                                "the report reads its streams several "
                                "times: give files, not stdin");
    st = compute(&a);
    if (st == SV_OK)
        st = build_report(&a, path);
    if (st == SV_OK && (n = sv_report_page_count(a.rep, a.err)) < 0)
        st = a.err->code;
    if (st == SV_OK)
        st = probe_outputs(&a, path, pages_prefix);
    if (st == SV_OK && pages_prefix)
        st = write_pages(&a, pages_prefix, n);
    if (st == SV_OK && sv_report_finish(a.rep, a.err))
        st = a.err->code;
    if (npages)
        *npages = n;
    an_free(&a);
    return st;
}
