/*
 * test_score.c — unit tests of libsurvey/score.c on small cubes with
 * explicit counts: the metrics of one row, (all) pooling scales through
 * scores and satisfied flags, n = 0 items, all satisfied (Wilson upper
 * bound 100), complaint and repeat rates, weak items (target and the
 * significance rule), coverage, change (including p = 1 when both rates
 * are 100 %), trend (two periods give the change per period position
 * without a p-value, one period gives none) and the site
 * comparison leaving out sites without answers.
 *
 * Expected figures were computed with numpy/scipy through the functions
 * of tests/reference/score_reference.py (wilson, moments, two_prop_p,
 * trend, chisq), not with libsurvey.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "survey.h"

#define HEAD "site,period,item,role,scale,level,label,score,sat,count,pct\n"
#define Q(s, p, l, lab, sc, sat, n) \
    s "," p ",q,dimension,abc3," l "," lab "," sc "," sat "," n ",\n"
#define R(s, p, l, lab, sc, sat, n) \
    s "," p ",r,dimension,likert5," l "," lab "," sc "," sat "," n ",\n"

/*
 * Site A: 2026Q1 q 6 满意 + 4 较满意 (all satisfied), r likert5 2/3/3/1/1,
 * complaint 3 yes of 10, repeat 1 yes 1 no; 2026Q2 q all missing, r 4 + 4
 * (all satisfied), complaint 0 of 8; 2026Q3 q 5/5, r 1 + 1.
 * Site B (no r): 2026Q1 q 1 满意 4 不满意, complaint 5 of 5; 2026Q2 q
 * 3 较满意 3 不满意, complaint 6 of 6.
 */
static const char cube_text[] =
    HEAD
    "A,2026Q1,(responses),,,,,,,10,\n"
    Q("A", "2026Q1", "3", "满意", "100", "1", "6")
    Q("A", "2026Q1", "2", "较满意", "50", "1", "4")
    R("A", "2026Q1", "5", "非常满意", "100", "1", "2")
    R("A", "2026Q1", "4", "满意", "75", "1", "3")
    R("A", "2026Q1", "3", "一般", "50", "0", "3")
    R("A", "2026Q1", "2", "不满意", "25", "0", "1")
    R("A", "2026Q1", "1", "非常不满意", "0", "0", "1")
    "A,2026Q1,c,complaint,yesno,1,是,100,0,3,\n"
    "A,2026Q1,c,complaint,yesno,0,否,0,0,7,\n"
    "A,2026Q1,rc,repeat_complaint,yesno,1,是,100,0,1,\n"
    "A,2026Q1,rc,repeat_complaint,yesno,0,否,0,0,1,\n"
    "A,2026Q1,rc,repeat_complaint,yesno,,(missing),,,8,\n"
    "A,2026Q2,(responses),,,,,,,8,\n"
    "A,2026Q2,q,dimension,abc3,,(missing),,,8,\n"
    R("A", "2026Q2", "5", "非常满意", "100", "1", "4")
    R("A", "2026Q2", "4", "满意", "75", "1", "4")
    "A,2026Q2,c,complaint,yesno,0,否,0,0,8,\n"
    "A,2026Q2,rc,repeat_complaint,yesno,,(missing),,,8,\n"
    "A,2026Q3,(responses),,,,,,,10,\n"
    Q("A", "2026Q3", "3", "满意", "100", "1", "5")
    Q("A", "2026Q3", "1", "不满意", "0", "0", "5")
    R("A", "2026Q3", "5", "非常满意", "100", "1", "1")
    R("A", "2026Q3", "1", "非常不满意", "0", "0", "1")
    "B,2026Q1,(responses),,,,,,,5,\n"
    Q("B", "2026Q1", "3", "满意", "100", "1", "1")
    Q("B", "2026Q1", "1", "不满意", "0", "0", "4")
    "B,2026Q1,c,complaint,yesno,1,是,100,0,5,\n"
    "B,2026Q2,(responses),,,,,,,6,\n"
    Q("B", "2026Q2", "2", "较满意", "50", "1", "3")
    Q("B", "2026Q2", "1", "不满意", "0", "0", "3")
    "B,2026Q2,c,complaint,yesno,1,是,100,0,6,\n"
    ",,(end),,,,,,,32,\n";

struct fixture {
    struct sv_cube *cube;
    struct sv_table *t;
};

static struct sv_cube *cube_from(const char *text, const char *const *dims,
                                 size_t ndims, enum sv_period p)
{
    FILE *fp = fmemopen((void *)text, strlen(text), "r");
    struct sv_error err;
    struct sv_cube *c = sv_cube_new(dims, ndims, p, &err);
    struct sv_csv *csv;

    assert_non_null(fp);
    assert_non_null(c);
    csv = sv_csv_open_stream(fp, "cube.csv", NULL, &err);
    assert_non_null(csv);
    if (sv_cube_read(c, csv, NULL, 0, &err) != SV_OK)
        fail_msg("%s:%lu: %s", err.file, err.line, err.msg);
    assert_int_equal(sv_cube_finish(c, &err), SV_OK);
    sv_csv_free(csv);
    fclose(fp);
    return c;
}

static struct sv_cube *site_quarter(void)
{
    const char *dims[] = {"site", "period"};

    return cube_from(cube_text, dims, 2, SV_PERIOD_QUARTER);
}

/* Row index of (SITE, PERIOD, ITEM) in T, or -1 (PERIOD NULL: no period). */
static long find_row(const struct sv_table *t, const char *site,
                     const char *period, const char *item)
{
    long cs = sv_table_column(t, "site"), cp = sv_table_column(t, "period");
    long ci = sv_table_column(t, "item");

    for (size_t r = 0; r < sv_table_nrows(t); r++)
        if ((cs < 0 || strcmp(sv_table_get(t, r, (size_t)cs), site) == 0) &&
            (!period || strcmp(sv_table_get(t, r, (size_t)cp), period) == 0) &&
            strcmp(sv_table_get(t, r, (size_t)ci), item) == 0)
            return (long)r;
    return -1;
}

/*
 * Asserts cell (R, C) of T against the reference WANT, written as printed:
 * "" = empty; text columns compare as text; numbers compare as numbers,
 * within half a unit of WANT's last digit (4 significant digits for
 * p-values), so the table's unrounded value is what is checked.
 */
static int cell_matches(const struct sv_table *t, size_t r, size_t c,
                        const char *want)
{
    const struct sv_colspec *col = sv_table_col(t, c);
    const char *dot = strchr(want, '.');
    double w, got = sv_table_num(t, r, c), tol;
    char *end;

    if (!*want)
        return sv_table_empty(t, r, c);
    if (col->type == SV_TYPE_TEXT)
        return strcmp(sv_table_get(t, r, c), want) == 0;
    w = strtod(want, &end);
    assert_true(*end == '\0');
    tol = 0.5 * pow(10, -(dot ? (double)strlen(dot + 1) : 0));
    if (col->type == SV_TYPE_P)
        tol = fabs(w) * 5e-4;
    if (col->type == SV_TYPE_COUNT || col->type == SV_TYPE_INT)
        tol = 0;
    return fabs(got - w) <= tol + 1e-12;
}

/* Asserts the cells NAMES[i] = WANT[i] of row (SITE, PERIOD, ITEM). */
static void expect(const struct sv_table *t, const char *site,
                   const char *period, const char *item,
                   const char *const *names, const char *const *want,
                   size_t n)
{
    long r = find_row(t, site, period, item);

    if (r < 0)
        fail_msg("no row %s %s %s", site, period ? period : "", item);
    for (size_t i = 0; i < n; i++) {
        long c = sv_table_column(t, names[i]);
        assert_true(c >= 0);
        if (!cell_matches(t, (size_t)r, (size_t)c, want[i]))
            fail_msg("%s %s %s %s: got %.17g ('%s'), want '%s'", site,
                     period ? period : "", item, names[i],
                     sv_table_num(t, (size_t)r, (size_t)c),
                     sv_table_get(t, (size_t)r, (size_t)c), want[i]);
    }
}

#define EXPECT(t, s, p, item, names, ...)                                   \
    do {                                                                    \
        const char *w_[] = {__VA_ARGS__};                                   \
        expect(t, s, p, item, names, w_, sizeof w_ / sizeof *w_);           \
    } while (0)

static const char *const sat_cols[] = {
    "responses", "n", "missing", "sat_pct", "sat_ci_low", "sat_ci_high",
    "mean_score", "sd", "mean_ci_low", "mean_ci_high", "weak"};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    struct sv_score_options o;
    struct sv_error err;

    sv_score_options_init(&o);
    o.compare = 1;
    o.sites = 1;
    f->cube = site_quarter();
    f->t = sv_score_table(f->cube, &o, &err);
    *state = f;
    return f->t ? 0 : -1;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    sv_table_free(f->t);
    sv_cube_free(f->cube);
    free(f);
    return 0;
}

static void test_score_options_defaults(void **state)
{
    struct sv_score_options o;

    (void)state;
    memset(&o, 0xff, sizeof o);
    sv_score_options_init(&o);
    assert_true(o.target > 89.999 && o.target < 90.001);
    assert_true(o.coverage_target > 69.999 && o.coverage_target < 70.001);
    assert_int_equal(o.compare, 0);
    assert_int_equal(o.sites, 0);
    assert_null(o.households);
}

static void test_score_columns_and_order(void **state)
{
    struct fixture *f = *state;
    static const char *const cols[] = {
        "site", "period", "item", "role", "responses", "n", "missing",
        "small_n", "sat_pct", "sat_ci_low", "sat_ci_high", "mean_score", "sd",
        "mean_ci_low", "mean_ci_high", "complaint_pct", "repeat_pct", "weak",
        "prev_period", "delta_pct", "delta_ci_low", "delta_ci_high",
        "delta_p", "delta_p_adj", "significant", "chi2", "df", "chi2_p"};
    /* (all) first, items in cube order, B has no r row; then (sites) rows */
    static const char *const rows[][3] = {
        {"A", "2026Q1", "(all)"}, {"A", "2026Q1", "q"}, {"A", "2026Q1", "r"},
        {"A", "2026Q1", "c"},     {"A", "2026Q1", "rc"},
        {"A", "2026Q2", "(all)"}, {"A", "2026Q2", "q"}, {"A", "2026Q2", "r"},
        {"A", "2026Q2", "c"},     {"A", "2026Q2", "rc"},
        {"A", "2026Q3", "(all)"}, {"A", "2026Q3", "q"}, {"A", "2026Q3", "r"},
        {"B", "2026Q1", "(all)"}, {"B", "2026Q1", "q"}, {"B", "2026Q1", "c"},
        {"B", "2026Q2", "(all)"}, {"B", "2026Q2", "q"}, {"B", "2026Q2", "c"},
        {"(sites)", "2026Q1", "(all)"}, {"(sites)", "2026Q1", "q"},
        {"(sites)", "2026Q1", "r"},
        {"(sites)", "2026Q2", "(all)"}, {"(sites)", "2026Q2", "q"},
        {"(sites)", "2026Q2", "r"},
        {"(sites)", "2026Q3", "(all)"}, {"(sites)", "2026Q3", "q"},
        {"(sites)", "2026Q3", "r"}};

    assert_int_equal(sv_table_ncols(f->t), sizeof cols / sizeof *cols);
    for (size_t c = 0; c < sizeof cols / sizeof *cols; c++)
        assert_string_equal(sv_table_name(f->t, c), cols[c]);
    assert_int_equal(sv_table_nrows(f->t), sizeof rows / sizeof *rows);
    for (size_t r = 0; r < sizeof rows / sizeof *rows; r++) {
        assert_string_equal(sv_table_get(f->t, r, 0), rows[r][0]);
        assert_string_equal(sv_table_get(f->t, r, 1), rows[r][1]);
        assert_string_equal(sv_table_get(f->t, r, 2), rows[r][2]);
    }
}

static void test_score_all_satisfied(void **state)
{
    struct fixture *f = *state;

    /* Wilson upper bound exactly 100 */
    EXPECT(f->t, "A", "2026Q1", "q", (const char *const *)sat_cols, "10", "10",
           "0", "100.00", "72.25", "100.00", "80.00", "25.82", "61.53",
           "98.47", "0");
    EXPECT(f->t, "A", "2026Q1", "r", (const char *const *)sat_cols, "10", "10",
           "0", "50.00", "23.66", "76.34", "60.00", "31.62", "37.38",
           "82.62", "1");
}

/* (all) pools abc3 and likert5 answers through scores and sat flags. */
static void test_score_all_pools_scales(void **state)
{
    struct fixture *f = *state;

    EXPECT(f->t, "A", "2026Q1", "(all)", (const char *const *)sat_cols, "10",
           "20", "0", "75.00", "53.13", "88.81", "70.00", "29.91", "56.00",
           "84.00", "1");
    /* its missing is the sum over dimensions (q all missing in Q2) */
    EXPECT(f->t, "A", "2026Q2", "(all)", (const char *const *)sat_cols, "8",
           "8", "8", "100.00", "67.56", "100.00", "87.50", "13.36", "76.33",
           "98.67", "0");
}

static void test_score_n_zero(void **state)
{
    struct fixture *f = *state;
    static const char *const cols[] = {
        "n", "missing", "sat_pct", "sat_ci_low", "mean_score", "sd", "weak",
        "prev_period", "delta_pct", "delta_p", "significant"};

    EXPECT(f->t, "A", "2026Q2", "q", cols, "0", "8", "", "", "", "", "", "",
           "", "", "");
}

static void test_score_complaints(void **state)
{
    struct fixture *f = *state;
    static const char *const cols[] = {"n", "missing", "sat_pct",
                                       "complaint_pct", "repeat_pct", "weak"};

    EXPECT(f->t, "A", "2026Q1", "c", cols, "10", "0", "", "30.00", "", "");
    /* repeat yes / complaint yes = 1 / 3 */
    EXPECT(f->t, "A", "2026Q1", "rc", cols, "2", "8", "", "", "33.33", "");
    /* no complaint in Q2: the repeat rate is undefined */
    EXPECT(f->t, "A", "2026Q2", "rc", cols, "0", "8", "", "", "", "");
    EXPECT(f->t, "A", "2026Q2", "c", cols, "8", "0", "", "0.00", "", "");
}

static void test_score_change(void **state)
{
    struct fixture *f = *state;
    static const char *const cols[] = {"prev_period", "delta_pct", "delta_p",
                                       "significant"};

    EXPECT(f->t, "A", "2026Q1", "r", cols, "", "", "", "");
    EXPECT(f->t, "A", "2026Q2", "r", cols, "2026Q1", "50.00", "0.0186", "1");
    EXPECT(f->t, "A", "2026Q2", "(all)", cols, "2026Q1", "25.00", "0.1187",
           "0");
    /* the latest earlier period WITH answers: Q2 had none for q */
    EXPECT(f->t, "A", "2026Q3", "q", cols, "2026Q1", "-50.00", "0.009823",
           "1");
    /* both 100 %: p = 1 */
    EXPECT(f->t, "B", "2026Q2", "c", cols, "2026Q1", "0.00", "1", "0");
    /* complaint rate change 30 % -> 0 % */
    EXPECT(f->t, "A", "2026Q2", "c", cols, "2026Q1", "-30.00", "0.08969",
           "0");
}

/*
 * A 2026Q3: q 10/10 -> 5/10 and r 8/8 -> 1/2 are the group's two
 * dimension changes, adjusted together (Holm by default); (all) and the
 * complaint keep their own p.  Expected values from statsmodels
 * (multipletests "holm", confint_proportions_2indep "newcomb").
 */
static void test_score_change_adjusted(void **state)
{
    struct fixture *f = *state;
    static const char *const cols[] = {"delta_ci_low", "delta_ci_high",
                                       "delta_p", "delta_p_adj",
                                       "significant"};
    struct sv_score_options o;
    struct sv_error err;
    struct sv_table *t;

    EXPECT(f->t, "A", "2026Q3", "q", cols, "-76.34", "-11.74", "0.009823",
           "0.01965", "1");
    EXPECT(f->t, "A", "2026Q3", "r", cols, "-90.55", "1.93", "0.03501",
           "0.03501", "1");
    /* one dimension change in the group: nothing to adjust */
    EXPECT(f->t, "A", "2026Q2", "r", cols, "8.21", "76.34", "0.0186",
           "0.0186", "1");
    EXPECT(f->t, "A", "2026Q2", "c", cols, "-60.32", "7.71", "0.08969",
           "0.08969", "0");
    sv_score_options_init(&o);
    o.compare = 1;
    o.p_adjust = SV_P_ADJUST_NONE;
    t = sv_score_table(f->cube, &o, &err);
    assert_non_null(t);
    EXPECT(t, "A", "2026Q3", "q", cols, "-76.34", "-11.74", "0.009823",
           "0.009823", "1");
    sv_table_free(t);
}

static void test_score_sites(void **state)
{
    struct fixture *f = *state;
    static const char *const cols[] = {"role", "responses", "n", "chi2", "df",
                                       "chi2_p"};

    EXPECT(f->t, "(sites)", "2026Q1", "q", cols, "dimension", "", "",
           "10.9091", "1", "0.0009569");
    EXPECT(f->t, "(sites)", "2026Q1", "(all)", cols, "dimension", "", "",
           "5.2517", "1", "0.02192");
    /* only A asks r */
    EXPECT(f->t, "(sites)", "2026Q1", "r", cols, "dimension", "", "", "", "",
           "");
    /* A's q has no answers in Q2: left out, one site remains */
    EXPECT(f->t, "(sites)", "2026Q2", "q", cols, "dimension", "", "", "", "",
           "");
}

static void test_score_trend(void **state)
{
    struct sv_cube *c = site_quarter();
    struct sv_error err;
    struct sv_table *t = sv_score_trend_table(c, &err);
    static const char *const cols[] = {"periods", "first_period",
                                       "last_period", "first_pct",
                                       "last_pct", "slope", "slope_p"};

    (void)state;
    assert_non_null(t);
    assert_int_equal(sv_table_column(t, "period"), -1);
    EXPECT(t, "A", NULL, "(all)", cols, "3", "2026Q1", "2026Q3", "75.00",
           "50.00", "-12.50", "0.6667");
    /* slope 0 but not flat: p = 1 */
    EXPECT(t, "A", NULL, "r", cols, "3", "2026Q1", "2026Q3", "50.00", "50.00",
           "0.00", "1");
    /* periods with answers only: two, 2026Q2 a gap, so -50 over 2 */
    EXPECT(t, "A", NULL, "q", cols, "2", "2026Q1", "2026Q3", "100.00",
           "50.00", "-25.00", "");
    EXPECT(t, "B", NULL, "c", cols, "2", "2026Q1", "2026Q2", "100.00",
           "100.00", "0.00", "");
    /* repeat: only Q1 had complaints */
    EXPECT(t, "A", NULL, "rc", cols, "1", "2026Q1", "2026Q1", "33.33",
           "33.33", "", "");
    sv_table_free(t);
    sv_cube_free(c);
}

/* A trend needs a period key. */
static void test_score_trend_needs_period(void **state)
{
    const char *dims[] = {"site"};
    struct sv_cube *c = cube_from(cube_text, dims, 1, SV_PERIOD_NONE);
    struct sv_error err;

    (void)state;
    assert_null(sv_score_trend_table(c, &err));
    assert_int_equal(err.code, SV_ERR_USAGE);
    assert_string_equal(err.msg, "a trend needs a period key");
    sv_cube_free(c);
}

static void test_score_option_errors(void **state)
{
    const char *dims[] = {"period"};
    struct sv_cube *c = cube_from(cube_text, dims, 1, SV_PERIOD_QUARTER);
    const char *sdims[] = {"site"};
    struct sv_cube *s = cube_from(cube_text, sdims, 1, SV_PERIOD_NONE);
    struct sv_score_options o;
    struct sv_error err;

    (void)state;
    sv_score_options_init(&o);
    o.sites = 1;
    assert_null(sv_score_table(c, &o, &err));
    assert_int_equal(err.code, SV_ERR_USAGE);
    assert_string_equal(err.msg,
                        "the comparison of sites needs a 'site' key");
    sv_score_options_init(&o);
    o.compare = 1;
    assert_null(sv_score_table(s, &o, &err));
    assert_int_equal(err.code, SV_ERR_USAGE);
    assert_string_equal(
        err.msg, "the change since the previous period needs a period key");
    sv_cube_free(c);
    sv_cube_free(s);
}

/* Weak: below target (equal is not weak), or significantly below (all). */
static void test_score_weak(void **state)
{
    static const char text[] =
        HEAD
        "C,2026Q1,(responses),,,,,,,1100,\n"
        Q("C", "2026Q1", "3", "满意", "100", "1", "85")
        Q("C", "2026Q1", "1", "不满意", "0", "0", "15")
        R("C", "2026Q1", "5", "非常满意", "100", "1", "1000")
        "C,2026Q1,e,dimension,abc3,3,满意,100,1,8,\n"
        "C,2026Q1,e,dimension,abc3,1,不满意,0,0,2,\n"
        ",,(end),,,,,,,6,\n";
    const char *dims[] = {"site"};
    struct sv_cube *c = cube_from(text, dims, 1, SV_PERIOD_NONE);
    struct sv_score_options o;
    struct sv_error err;
    struct sv_table *t;
    static const char *const cols[] = {"sat_pct", "weak"};

    (void)state;
    sv_score_options_init(&o);
    o.target = 80;
    t = sv_score_table(c, &o, &err);
    assert_non_null(t);
    /* 85 % >= 80 % but p = 9.0e-16 against (all) 1093 / 1110 */
    EXPECT(t, "C", NULL, "q", cols, "85.00", "1");
    /* at the target (not below it), but p = 6.7e-06 against (all) */
    EXPECT(t, "C", NULL, "e", cols, "80.00", "1");
    EXPECT(t, "C", NULL, "r", cols, "100.00", "0");
    /* (all) is weak only against the target */
    EXPECT(t, "C", NULL, "(all)", cols, "98.47", "0");
    sv_table_free(t);
    o.target = 98.47;
    t = sv_score_table(c, &o, &err);
    assert_non_null(t);
    EXPECT(t, "C", NULL, "(all)", cols, "98.47", "1");
    sv_table_free(t);
    sv_cube_free(c);
}

/* Households A 40, B 6, loaded from a temporary file. */
static struct sv_households *households_ab(void)
{
    char path[] = "/tmp/test_score_hh.XXXXXX";
    int fd = mkstemp(path);
    FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    struct sv_households *hh;
    struct sv_error err;

    assert_non_null(fp);
    fputs("site,households\nA,40\nB,6\n", fp);
    fclose(fp);
    hh = sv_households_load(path, &err);
    unlink(path);
    assert_non_null(hh);
    return hh;
}

/* Coverage: responses / households, flagged under 70 %; unknown site empty. */
static void test_score_coverage(void **state)
{
    const char *dims[] = {"site"};
    struct sv_cube *c = cube_from(cube_text, dims, 1, SV_PERIOD_NONE);
    struct sv_households *hh = households_ab();
    struct sv_score_options o;
    struct sv_error err;
    struct sv_table *t;
    static const char *const cols[] = {"responses", "households",
                                       "coverage_pct", "coverage_low"};

    (void)state;
    sv_score_options_init(&o);
    o.households = hh;
    t = sv_score_table(c, &o, &err);
    assert_non_null(t);
    EXPECT(t, "A", NULL, "(all)", cols, "28", "40", "70.00", "0");
    /* 11 responses for 6 households: over 100 % is reported as it is */
    EXPECT(t, "B", NULL, "q", cols, "11", "6", "183.33", "0");
    sv_table_free(t);
    sv_households_free(hh);
    sv_cube_free(c);
}

/*
 * Coverage by half from a quarterly cube: the mean over the quarters with
 * questionnaires (A: 10, 8 and 10 of 40 households; B: 5 and 6 of 6).
 */
static void test_score_coverage_half(void **state)
{
    struct sv_cube *c = site_quarter();
    struct sv_households *hh = households_ab();
    struct sv_score_options o;
    struct sv_error err;
    struct sv_table *t;
    static const char *const cols[] = {"responses", "coverage_pct",
                                       "coverage_low"};

    (void)state;
    sv_score_options_init(&o);
    o.households = hh;
    o.period = SV_PERIOD_HALF;
    t = sv_score_table(c, &o, &err);
    assert_non_null(t);
    EXPECT(t, "A", "2026H1", "(all)", cols, "18", "22.50", "1");
    EXPECT(t, "A", "2026H2", "(all)", cols, "10", "25.00", "1");
    EXPECT(t, "B", "2026H1", "q", cols, "11", "91.67", "0");
    sv_table_free(t);
    sv_households_free(hh);
    sv_cube_free(c);
}

/*
 * --pool sites over sites A and B in 2026Q1, item q: A 6 x 100 + 4 x 50
 * (w = 1/10), B 1 x 100 + 4 x 0 (w = 1/5).  Expected values from numpy
 * (average, cov with aweights) and scipy.stats.t, not from libsurvey.
 */
static void test_score_pool_sites(void **state)
{
    const char *dims[] = {"period", "site"};
    struct sv_cube *c = cube_from(cube_text, dims, 2, SV_PERIOD_QUARTER);
    struct sv_score_options o;
    struct sv_error err;
    struct sv_table *t;
    static const char *const cols[] = {
        "responses", "n", "n_eff", "sat_pct", "sat_ci_low", "sat_ci_high",
        "mean_score", "sd", "mean_ci_low", "mean_ci_high"};

    (void)state;
    sv_score_options_init(&o);
    o.pooling = SV_POOL_SITES;
    o.pool_column = 1;
    o.nkeys = 1;
    t = sv_score_table(c, &o, &err);
    assert_non_null(t);
    assert_int_equal(sv_table_column(t, "site"), -1);
    EXPECT(t, "", "2026Q1", "q", cols, "15", "15", "13.33", "60.00", "34.49",
           "81.04", "50.00", "46.50", "22.34", "77.66");
    sv_table_free(t);
    o.pooling = SV_POOL_HOUSEHOLDS; /* without households: an error */
    assert_null(sv_score_table(c, &o, &err));
    assert_int_equal(err.code, SV_ERR_USAGE);
    sv_cube_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_score_options_defaults),
        cmocka_unit_test(test_score_columns_and_order),
        cmocka_unit_test(test_score_all_satisfied),
        cmocka_unit_test(test_score_all_pools_scales),
        cmocka_unit_test(test_score_n_zero),
        cmocka_unit_test(test_score_complaints),
        cmocka_unit_test(test_score_change),
        cmocka_unit_test(test_score_change_adjusted),
        cmocka_unit_test(test_score_sites),
        cmocka_unit_test(test_score_trend),
        cmocka_unit_test(test_score_trend_needs_period),
        cmocka_unit_test(test_score_option_errors),
        cmocka_unit_test(test_score_weak),
        cmocka_unit_test(test_score_coverage),
        cmocka_unit_test(test_score_coverage_half),
        cmocka_unit_test(test_score_pool_sites),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
