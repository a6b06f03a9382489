/*
 * test_stats.c — unit tests of libsurvey/stats.c.
 *
 * The reference tests read $SV_TOP/tests/reference/stats-expected.csv,
 * whose values R computed independently (tests/reference/stats.R), and
 * check every case with a relative tolerance of 1e-9 (NaN must match
 * NaN).  The direct tests pin the edge rules documented in survey.h.
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

#include <gsl/gsl_errno.h>

#include "internal.h"

#define REF_FILE "tests/reference/stats-expected.csv"
#define MAX_GROUPS 8
#define MAX_VALUES 64
#define MAX_CASES 256

/* One parsed reference case: named input vectors and the outputs. */
struct ref_case {
    char name[64];
    char func[16];
    size_t ngroups;
    size_t len[MAX_GROUPS];
    double in[MAX_GROUPS][MAX_VALUES];
    size_t nout;
    double out[MAX_VALUES];
};

struct ref_table {
    size_t n;
    struct ref_case cases[MAX_CASES];
};

/*
 * Relative tolerance 1e-9; NaN only matches NaN.  Differences below 1e-13
 * also pass: R leaves rounding noise such as -1.7e-15 where the exact
 * value is 0.
 */
static int ref_close(double got, double want)
{
    double d = fabs(got - want);

    if (isnan(got) || isnan(want))
        return isnan(got) && isnan(want);
    return d <= 1e-9 * fmax(fabs(got), fabs(want)) || d <= 1e-13;
}

/* Parses the space-separated numbers of S into V; returns the count. */
static size_t parse_vector(char *s, double *v, size_t cap)
{
    size_t n = 0;
    char *p = s;

    for (;;) {
        char *end;

        while (*p == ' ')
            p++;
        if (*p == '\0')
            return n;
        assert_true(n < cap);
        v[n] = strtod(p, &end);
        assert_true(end != p);
        assert_true(*end == ' ' || *end == '\0');
        n++;
        p = end;
    }
}

/* Splits S at ';' into C's input groups. */
static void parse_inputs(char *s, struct ref_case *c)
{
    char *p = s;

    c->ngroups = 0;
    for (;;) {
        char *semi = strchr(p, ';');

        assert_true(c->ngroups < MAX_GROUPS);
        if (semi != NULL)
            *semi = '\0';
        c->len[c->ngroups] = parse_vector(p, c->in[c->ngroups], MAX_VALUES);
        c->ngroups++;
        if (semi == NULL)
            return;
        p = semi + 1;
    }
}

/* Parses the ';'-separated outputs of S into C. */
static void parse_outputs(char *s, struct ref_case *c)
{
    char *p;

    for (p = s; *p != '\0'; p++)
        if (*p == ';')
            *p = ' ';
    c->nout = parse_vector(s, c->out, MAX_VALUES);
}

/* Copies the next ','-terminated field of *P into BUF and advances *P. */
static void next_field(char **p, char *buf, size_t cap)
{
    char *comma = strchr(*p, ',');
    size_t len;

    assert_non_null(comma);
    len = (size_t)(comma - *p);
    assert_true(len < cap);
    memcpy(buf, *p, len);
    buf[len] = '\0';
    *p = comma + 1;
}

/* Parses one data line "case,function,inputs,outputs" into C. */
static void parse_line(char *line, struct ref_case *c)
{
    char inputs[4096];
    char *p = line;
    size_t len = strlen(line);

    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        line[--len] = '\0';
    next_field(&p, c->name, sizeof c->name);
    next_field(&p, c->func, sizeof c->func);
    next_field(&p, inputs, sizeof inputs);
    parse_inputs(inputs, c);
    parse_outputs(p, c);
}

/* Reads the reference CSV into a new table (caller frees). */
static struct ref_table *load_table(void)
{
    const char *top = getenv("SV_TOP");
    char path[4096];
    char *line = NULL;
    size_t cap = 0;
    struct ref_table *t;
    FILE *fp;
    int len;

    len = snprintf(path, sizeof path, "%s/%s", top ? top : ".", REF_FILE);
    if (len < 0 || (size_t)len >= sizeof path)
        return NULL;
    fp = fopen(path, "r");
    t = calloc(1, sizeof *t);
    if (fp == NULL || t == NULL || getline(&line, &cap, fp) < 0) {
        fprintf(stderr, "test_stats: cannot read '%s'\n", path);
        free(t);
        t = NULL;
    }
    while (t != NULL && getline(&line, &cap, fp) >= 0 && t->n < MAX_CASES)
        parse_line(line, &t->cases[t->n++]);
    free(line);
    if (fp != NULL)
        fclose(fp);
    return t;
}

static int setup(void **state)
{
    gsl_set_error_handler_off();
    *state = load_table();
    return *state == NULL ? -1 : 0;
}

static int teardown(void **state)
{
    free(*state);
    return 0;
}

/* Input group G of C as counts. */
static void as_counts(const struct ref_case *c, size_t g, uint64_t *v)
{
    size_t i;

    for (i = 0; i < c->len[g]; i++)
        v[i] = (uint64_t)c->in[g][i];
}

/* Runs case C through stats.c, writing its outputs into GOT. */
static size_t run_wilson(const struct ref_case *c, double *got)
{
    sv_wilson((uint64_t)c->in[0][0], (uint64_t)c->in[1][0], &got[0],
              &got[1]);
    return 2;
}

static size_t run_moments(const struct ref_case *c, double *got)
{
    uint64_t counts[MAX_VALUES];

    assert_int_equal(c->len[0], c->len[1]);
    as_counts(c, 1, counts);
    got[0] = (double)sv_freq_moments(c->in[0], counts, c->len[0], &got[1],
                                     &got[2], &got[3], &got[4]);
    return 5;
}

static size_t run_two_prop(const struct ref_case *c, double *got)
{
    got[0] = sv_two_prop_p((uint64_t)c->in[0][0], (uint64_t)c->in[1][0],
                           (uint64_t)c->in[2][0], (uint64_t)c->in[3][0]);
    return 1;
}

static size_t run_ols(const struct ref_case *c, double *got)
{
    sv_ols_trend(c->in[0], c->len[0], &got[0], &got[1]);
    return 2;
}

static size_t run_ols_at(const struct ref_case *c, double *got)
{
    assert_int_equal(c->len[0], c->len[1]);
    sv_ols_trend_at(c->in[0], c->in[1], c->len[0], &got[0], &got[1]);
    return 2;
}

static size_t run_chisq(const struct ref_case *c, double *got)
{
    uint64_t sat[MAX_VALUES], n[MAX_VALUES];
    int df;

    assert_int_equal(c->len[0], c->len[1]);
    as_counts(c, 0, sat);
    as_counts(c, 1, n);
    sv_chisq_sat(sat, n, c->len[0], &got[0], &df, &got[2]);
    got[1] = df;
    return 3;
}

static size_t run_nps(const struct ref_case *c, double *got)
{
    uint64_t counts[MAX_VALUES];
    struct sv_nps r;

    assert_int_equal(c->len[0], 11);
    as_counts(c, 0, counts);
    sv_nps_compute(counts, &r);
    got[0] = (double)r.n;
    got[1] = (double)r.promoters;
    got[2] = (double)r.passives;
    got[3] = (double)r.detractors;
    got[4] = r.promoters_pct;
    got[5] = r.passives_pct;
    got[6] = r.detractors_pct;
    got[7] = r.nps;
    got[8] = r.se;
    got[9] = r.ci_low;
    got[10] = r.ci_high;
    return 11;
}

static size_t run_nps_diff(const struct ref_case *c, double *got)
{
    got[0] = sv_nps_diff_p(c->in[0][0], c->in[1][0], c->in[2][0],
                           c->in[3][0]);
    return 1;
}

static size_t run_median(const struct ref_case *c, double *got)
{
    double data[MAX_VALUES];

    memcpy(data, c->in[0], c->len[0] * sizeof data[0]);
    got[0] = sv_median(data, c->len[0]);
    return 1;
}

static size_t run_wilson_rate(const struct ref_case *c, double *got)
{
    sv_wilson_rate(c->in[0][0], c->in[1][0], &got[0], &got[1]);
    return 2;
}

static size_t run_newcombe(const struct ref_case *c, double *got)
{
    double n1 = c->in[1][0], n2 = c->in[3][0];

    sv_newcombe(n1 > 0.0 ? c->in[0][0] / n1 : 0.0, n1,
                n2 > 0.0 ? c->in[2][0] / n2 : 0.0, n2, &got[0], &got[1]);
    return 2;
}

/* Adjusts C's p-values with METHOD into GOT. */
static size_t run_adjust(const struct ref_case *c, double *got,
                         enum sv_p_adjust method)
{
    struct sv_error err;

    memcpy(got, c->in[0], c->len[0] * sizeof got[0]);
    assert_int_equal(sv_p_adjust(got, c->len[0], method, &err), SV_OK);
    return c->len[0];
}

static size_t run_holm(const struct ref_case *c, double *got)
{
    return run_adjust(c, got, SV_P_ADJUST_HOLM);
}

static size_t run_bh(const struct ref_case *c, double *got)
{
    return run_adjust(c, got, SV_P_ADJUST_BH);
}

/* Pearson's r from the raw sums of the two input vectors. */
static size_t run_pearson(const struct ref_case *c, double *got)
{
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    size_t i;

    assert_int_equal(c->len[0], c->len[1]);
    for (i = 0; i < c->len[0]; i++) {
        double x = c->in[0][i], y = c->in[1][i];

        sx += x;
        sy += y;
        sxx += x * x;
        syy += y * y;
        sxy += x * y;
    }
    sv_pearson_sums(c->len[0], sx, sy, sxx, syy, sxy, &got[0], &got[1]);
    /* the same from centred sums (two passes), as a cube gives them */
    {
        double mx = sx / (double)c->len[0], my = sy / (double)c->len[0];
        double cxx = 0, cyy = 0, cxy = 0, r2, p2;

        for (i = 0; i < c->len[0]; i++) {
            cxx += (c->in[0][i] - mx) * (c->in[0][i] - mx);
            cyy += (c->in[1][i] - my) * (c->in[1][i] - my);
            cxy += (c->in[0][i] - mx) * (c->in[1][i] - my);
        }
        sv_pearson(c->len[0], cxx, cyy, cxy, &r2, &p2);
        if (!ref_close(r2, got[0]) || !ref_close(p2, got[1]))
            return 0; /* reported as an output-count mismatch */
    }
    return 2;
}

/* Cronbach's alpha from the sums of each input vector (one per item). */
static size_t run_alpha(const struct ref_case *c, double *got)
{
    double sum[MAX_GROUPS] = {0}, sumsq[MAX_GROUPS] = {0}, ts = 0, tss = 0;
    size_t i, j, n = c->len[0];

    for (i = 0; i < n; i++) {
        double total = 0.0;

        for (j = 0; j < c->ngroups; j++) {
            double v = c->in[j][i];

            assert_int_equal(c->len[j], n);
            sum[j] += v;
            sumsq[j] += v * v;
            total += v;
        }
        ts += total;
        tss += total * total;
    }
    got[0] = sv_cronbach_alpha(n, c->ngroups, sum, sumsq, ts, tss);
    /* the same from centred sums of squares */
    if (n >= 2) {
        double ss[MAX_GROUPS], tot = 0.0, tmean = ts / (double)n, a;

        for (j = 0; j < c->ngroups; j++) {
            double m = sum[j] / (double)n;

            ss[j] = 0.0;
            for (i = 0; i < n; i++)
                ss[j] += (c->in[j][i] - m) * (c->in[j][i] - m);
        }
        for (i = 0; i < n; i++) {
            double t = -tmean;

            for (j = 0; j < c->ngroups; j++)
                t += c->in[j][i];
            tot += t * t;
        }
        a = sv_cronbach_alpha_ss(c->ngroups, ss, tot < 1e-9 ? 0.0 : tot);
        if (!ref_close(a, got[0]))
            return 0;
    }
    return 1;
}

static size_t run_kish(const struct ref_case *c, double *got)
{
    double sw = 0.0, sw2 = 0.0;
    size_t i;

    for (i = 0; i < c->len[0]; i++) {
        sw += c->in[0][i];
        sw2 += c->in[0][i] * c->in[0][i];
    }
    got[0] = sv_kish_neff(sw, sw2);
    return 1;
}

/* One answer per value: weight sums w and w^2 of a single weight. */
static size_t run_wmoments(const struct ref_case *c, double *got)
{
    double w2[MAX_VALUES];

    assert_int_equal(c->len[0], c->len[1]);
    for (size_t i = 0; i < c->len[1]; i++)
        w2[i] = c->in[1][i] * c->in[1][i];
    got[0] = sv_weighted_moments(c->in[0], c->in[1], w2, c->len[0], &got[1],
                                 &got[2], &got[3], &got[4]);
    return 5;
}

static size_t run_two_prop_rate(const struct ref_case *c, double *got)
{
    got[0] = sv_two_prop_p_rate(c->in[0][0], c->in[1][0], c->in[2][0],
                                c->in[3][0]);
    return 1;
}

typedef size_t (*run_fn)(const struct ref_case *c, double *got);

/* Checks C's outputs; prints each mismatch and returns their number. */
static int check_case(const struct ref_case *c, run_fn run)
{
    double got[MAX_VALUES];
    int bad = 0;
    size_t i, nout = run(c, got);

    if (nout != c->nout) {
        print_error("%s: %zu outputs, expected %zu\n", c->name, nout,
                    c->nout);
        return 1;
    }
    for (i = 0; i < nout; i++) {
        if (!ref_close(got[i], c->out[i])) {
            print_error("%s: output %zu is %.17g, expected %.17g\n",
                        c->name, i + 1, got[i], c->out[i]);
            bad++;
        }
    }
    return bad;
}

/* Checks every case of function FUNC; there must be at least one. */
static void check_function(void **state, const char *func, run_fn run)
{
    const struct ref_table *t = *state;
    size_t i, seen = 0;
    int bad = 0;

    for (i = 0; i < t->n; i++) {
        if (strcmp(t->cases[i].func, func) != 0)
            continue;
        seen++;
        bad += check_case(&t->cases[i], run);
    }
    assert_true(seen > 0);
    assert_int_equal(bad, 0);
}

static void test_stats_ref_wilson(void **state)
{
    check_function(state, "wilson", run_wilson);
}

static void test_stats_ref_moments(void **state)
{
    check_function(state, "moments", run_moments);
}

static void test_stats_ref_two_prop(void **state)
{
    check_function(state, "two_prop", run_two_prop);
}

static void test_stats_ref_ols(void **state)
{
    check_function(state, "ols", run_ols);
    check_function(state, "ols_at", run_ols_at);
}

static void test_stats_ref_chisq(void **state)
{
    check_function(state, "chisq", run_chisq);
}

static void test_stats_ref_nps(void **state)
{
    check_function(state, "nps", run_nps);
}

static void test_stats_ref_nps_diff(void **state)
{
    check_function(state, "nps_diff", run_nps_diff);
}

static void test_stats_ref_median(void **state)
{
    check_function(state, "median", run_median);
}

static void test_stats_ref_wilson_rate(void **state)
{
    check_function(state, "wilson_rate", run_wilson_rate);
}

static void test_stats_ref_newcombe(void **state)
{
    check_function(state, "newcombe", run_newcombe);
}

static void test_stats_ref_p_adjust(void **state)
{
    check_function(state, "holm", run_holm);
    check_function(state, "bh", run_bh);
}

static void test_stats_ref_pearson(void **state)
{
    check_function(state, "pearson", run_pearson);
}

static void test_stats_ref_alpha(void **state)
{
    check_function(state, "alpha", run_alpha);
}

static void test_stats_ref_kish(void **state)
{
    check_function(state, "kish", run_kish);
}

/* True when V is exactly E (documented exact bounds, not computed). */
static int is_exactly(double v, double e)
{
    return !(v < e) && !(v > e);
}

static void test_stats_ref_wmoments(void **state)
{
    check_function(state, "wmoments", run_wmoments);
}

static void test_stats_ref_two_prop_rate(void **state)
{
    check_function(state, "two_prop_rate", run_two_prop_rate);
}

static void test_stats_wilson_exact_bounds(void **state)
{
    static const uint64_t ns[] = {1, 2, 3, 7, 10, 97, 1000, 123456789,
                                  1000000000};
    double lo, hi;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof ns / sizeof ns[0]; i++) {
        sv_wilson(ns[i], ns[i], &lo, &hi);
        assert_true(is_exactly(hi, 1.0));
        assert_true(lo > 0.0 && lo < 1.0);
        sv_wilson(0, ns[i], &lo, &hi);
        assert_true(is_exactly(lo, 0.0));
        assert_true(hi > 0.0 && hi < 1.0);
    }
    sv_wilson(0, 0, &lo, &hi);
    assert_true(isnan(lo) && isnan(hi));
}

static void test_stats_moments_small_n(void **state)
{
    static const double values[] = {100.0, 50.0};
    uint64_t one[] = {0, 1}, none[] = {0, 0};
    double mean, sd, lo, hi;

    (void)state;
    assert_int_equal(sv_freq_moments(values, one, 2, &mean, &sd, &lo, &hi),
                     1);
    assert_true(sv_near(mean, 50.0));
    assert_true(isnan(sd) && isnan(lo) && isnan(hi));
    assert_int_equal(sv_freq_moments(values, none, 2, &mean, &sd, &lo, &hi),
                     0);
    assert_true(isnan(mean) && isnan(sd) && isnan(lo) && isnan(hi));
}

static void test_stats_two_prop_edges(void **state)
{
    (void)state;
    assert_true(is_exactly(sv_two_prop_p(0, 5, 0, 9), 1.0));
    assert_true(is_exactly(sv_two_prop_p(5, 5, 9, 9), 1.0));
    assert_true(isnan(sv_two_prop_p(0, 0, 3, 9)));
    assert_true(isnan(sv_two_prop_p(3, 9, 0, 0)));
    /* The test is symmetric in its two samples. */
    assert_true(sv_near(sv_two_prop_p(30, 40, 20, 40),
                        sv_two_prop_p(20, 40, 30, 40)));
}

static void test_stats_ols_edges(void **state)
{
    double up[] = {80.0, 83.0, 81.5, 86.0}, down[] = {86.0, 81.5, 83.0, 80.0};
    double flat[] = {70.0, 70.0, 70.0}, line[] = {1.0, 3.0, 5.0};
    double s1, p1, s2, p2;

    (void)state;
    sv_ols_trend(up, 1, &s1, &p1);
    assert_true(isnan(s1) && isnan(p1));
    sv_ols_trend(up, 2, &s1, &p1);
    assert_true(sv_near(s1, 3.0) && isnan(p1));
    sv_ols_trend(up, 4, &s1, &p1);
    sv_ols_trend(down, 4, &s2, &p2);
    assert_true(sv_near(s1, -s2) && sv_near(p1, p2));
    sv_ols_trend(flat, 3, &s1, &p1);
    assert_true(sv_near(s1, 0.0) && isnan(p1));
    sv_ols_trend(line, 3, &s1, &p1);
    assert_true(sv_near(s1, 2.0) && is_exactly(p1, 0.0));
}

static void test_stats_chisq_empty_rows(void **state)
{
    uint64_t sat_a[] = {80, 0, 70, 0}, n_a[] = {100, 0, 90, 0};
    uint64_t sat_b[] = {80, 70}, n_b[] = {100, 90};
    uint64_t sat_c[] = {10, 0, 20}, n_c[] = {10, 0, 20};
    double x_a, p_a, x_b, p_b;
    int df_a, df_b;

    (void)state;
    sv_chisq_sat(sat_a, n_a, 4, &x_a, &df_a, &p_a);
    sv_chisq_sat(sat_b, n_b, 2, &x_b, &df_b, &p_b);
    assert_int_equal(df_a, 1);
    assert_int_equal(df_b, 1);
    assert_true(sv_near(x_a, x_b) && sv_near(p_a, p_b));
    sv_chisq_sat(sat_c, n_c, 3, &x_a, &df_a, &p_a);
    assert_true(isnan(x_a) && isnan(p_a));
    assert_int_equal(df_a, 0);
}

static void test_stats_nps_clamped(void **state)
{
    uint64_t all_pro[11] = {0}, mostly[11] = {0}, none[11] = {0};
    struct sv_nps r;

    (void)state;
    all_pro[10] = 3;
    sv_nps_compute(all_pro, &r);
    assert_true(is_exactly(r.nps, 100.0) && is_exactly(r.se, 0.0));
    assert_true(is_exactly(r.ci_low, 100.0) && is_exactly(r.ci_high, 100.0));
    mostly[9] = 9;
    mostly[7] = 1;
    sv_nps_compute(mostly, &r);
    assert_true(is_exactly(r.ci_high, 100.0) && r.ci_low < r.nps);
    sv_nps_compute(none, &r);
    assert_int_equal(r.n, 0);
    assert_true(isnan(r.nps) && isnan(r.se) && isnan(r.ci_low));
}

static void test_stats_nps_diff_rules(void **state)
{
    (void)state;
    assert_true(is_exactly(sv_nps_diff_p(100.0, 0.0, 100.0, 0.0), 1.0));
    assert_true(is_exactly(sv_nps_diff_p(-100.0, 0.0, 0.0, 0.0), 0.0));
    assert_true(isnan(sv_nps_diff_p(NAN, 1.0, 2.0, 1.0)));
    assert_true(isnan(sv_nps_diff_p(1.0, 1.0, 2.0, NAN)));
    assert_true(sv_near(sv_nps_diff_p(10.0, 3.0, 10.0, 4.0), 1.0));
}

static void test_stats_median_sorts(void **state)
{
    double v[] = {9.0, 1.0, 5.0, 3.0};

    (void)state;
    assert_true(sv_near(sv_median(v, 4), 4.0));
    assert_true(v[0] < v[1] && v[1] < v[2] && v[2] < v[3]);
    assert_true(isnan(sv_median(v, 0)));
}

static void test_stats_p_adjust_names(void **state)
{
    double p[] = {0.01, 0.02, NAN};
    enum sv_p_adjust m;

    (void)state;
    assert_int_equal(sv_p_adjust_parse("holm", &m), SV_OK);
    assert_int_equal(m, SV_P_ADJUST_HOLM);
    assert_int_equal(sv_p_adjust_parse("bh", &m), SV_OK);
    assert_int_equal(m, SV_P_ADJUST_BH);
    assert_int_equal(sv_p_adjust_parse("none", &m), SV_OK);
    assert_int_equal(m, SV_P_ADJUST_NONE);
    assert_int_equal(sv_p_adjust_parse("Holm", &m), SV_ERR_USAGE);
    assert_int_equal(sv_p_adjust_parse("", &m), SV_ERR_USAGE);
    assert_string_equal(sv_p_adjust_name(SV_P_ADJUST_BH), "bh");
    assert_int_equal(sv_p_adjust(p, 3, SV_P_ADJUST_NONE, NULL), SV_OK);
    assert_true(is_exactly(p[0], 0.01) && is_exactly(p[1], 0.02));
    assert_true(isnan(p[2]));
    assert_int_equal(sv_p_adjust(p, 0, SV_P_ADJUST_HOLM, NULL), SV_OK);
}

/*
 * A constant non-integral score (an abc4-like 33.33...) added up 1000
 * times leaves rounding in the raw sums; it is still zero variance.
 */
static void test_stats_pearson_constant_rounding(void **state)
{
    double x = 100.0 / 3.0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    double r, p;
    int i;

    (void)state;
    for (i = 0; i < 1000; i++) {
        double y = (double)(i % 5) * 25.0;

        sx += x;
        sy += y;
        sxx += x * x;
        syy += y * y;
        sxy += x * y;
    }
    sv_pearson_sums(1000, sx, sy, sxx, syy, sxy, &r, &p);
    assert_true(isnan(r) && isnan(p));
    sv_pearson_sums(1000, sy, sx, syy, sxx, sxy, &r, &p);
    assert_true(isnan(r) && isnan(p));
}

/* Sums of two halves added up give the figures of the whole. */
static void test_stats_alpha_merges(void **state)
{
    static const double a[] = {100, 75, 50, 100, 25, 0}, b[] = {75, 75, 25,
                                                               100, 50, 25};
    double sum[2] = {0}, sq[2] = {0}, h_sum[2][2] = {{0}}, h_sq[2][2] = {{0}};
    double ts = 0, tss = 0, hts[2] = {0}, htss[2] = {0};
    size_t i;

    (void)state;
    for (i = 0; i < 6; i++) {
        size_t h = i < 3 ? 0 : 1;
        double t = a[i] + b[i];

        sum[0] += a[i];
        sum[1] += b[i];
        sq[0] += a[i] * a[i];
        sq[1] += b[i] * b[i];
        h_sum[h][0] += a[i];
        h_sum[h][1] += b[i];
        h_sq[h][0] += a[i] * a[i];
        h_sq[h][1] += b[i] * b[i];
        ts += t;
        tss += t * t;
        hts[h] += t;
        htss[h] += t * t;
    }
    for (i = 0; i < 2; i++) {
        h_sum[0][i] += h_sum[1][i];
        h_sq[0][i] += h_sq[1][i];
    }
    assert_true(sv_near(sv_cronbach_alpha(6, 2, sum, sq, ts, tss),
                        sv_cronbach_alpha(6, 2, h_sum[0], h_sq[0],
                                          hts[0] + hts[1],
                                          htss[0] + htss[1])));
    assert_true(isnan(sv_cronbach_alpha(1, 2, sum, sq, ts, tss)));
    assert_true(isnan(sv_cronbach_alpha(6, 1, sum, sq, ts, tss)));
}

/* 100 % in both periods: no change, and the interval holds 0. */
static void test_stats_newcombe_both_full(void **state)
{
    double lo, hi;

    (void)state;
    sv_newcombe(1.0, 12.0, 1.0, 40.0, &lo, &hi);
    assert_true(lo < 0.0 && hi > 0.0);
    sv_newcombe(0.5, 0.0, 0.5, 10.0, &lo, &hi);
    assert_true(isnan(lo) && isnan(hi));
    sv_newcombe(1.0, 10.0, 0.0, 10.0, &lo, &hi);
    assert_true(is_exactly(lo, -1.0) || lo > -1.0);
    assert_true(hi < 0.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stats_ref_wilson),
        cmocka_unit_test(test_stats_ref_moments),
        cmocka_unit_test(test_stats_ref_two_prop),
        cmocka_unit_test(test_stats_ref_ols),
        cmocka_unit_test(test_stats_ref_chisq),
        cmocka_unit_test(test_stats_ref_nps),
        cmocka_unit_test(test_stats_ref_nps_diff),
        cmocka_unit_test(test_stats_ref_median),
        cmocka_unit_test(test_stats_ref_wilson_rate),
        cmocka_unit_test(test_stats_ref_newcombe),
        cmocka_unit_test(test_stats_ref_p_adjust),
        cmocka_unit_test(test_stats_ref_pearson),
        cmocka_unit_test(test_stats_ref_alpha),
        cmocka_unit_test(test_stats_ref_kish),
        cmocka_unit_test(test_stats_ref_wmoments),
        cmocka_unit_test(test_stats_ref_two_prop_rate),
        cmocka_unit_test(test_stats_wilson_exact_bounds),
        cmocka_unit_test(test_stats_moments_small_n),
        cmocka_unit_test(test_stats_two_prop_edges),
        cmocka_unit_test(test_stats_ols_edges),
        cmocka_unit_test(test_stats_chisq_empty_rows),
        cmocka_unit_test(test_stats_nps_clamped),
        cmocka_unit_test(test_stats_nps_diff_rules),
        cmocka_unit_test(test_stats_median_sorts),
        cmocka_unit_test(test_stats_p_adjust_names),
        cmocka_unit_test(test_stats_pearson_constant_rounding),
        cmocka_unit_test(test_stats_alpha_merges),
        cmocka_unit_test(test_stats_newcombe_both_full),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
