/*
 * stats.c — the statistics behind the survey metrics (PRODUCT.md 4):
 * Wilson intervals, moments of frequency tables, two-proportion z tests,
 * OLS trends, chi-square tests of sites, NPS and medians; Newcombe's
 * interval of a change, Holm and Benjamini-Hochberg adjustment, Pearson's
 * r and Cronbach's alpha from mergeable sums, Kish's effective n.  GSL
 * does the distribution functions, the fit and the sorting.
 */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

/*
 * Wilson score interval (E. B. Wilson, JASA 22, 1927, p. 209):
 *   centre = (x + z^2/2) / (n + z^2)
 *   half   = z / (n + z^2) * sqrt(x (n - x) / n + z^2 / 4)
 * The bounds are exactly 0 for x = 0 and exactly 1 for x = n.
 */
void sv_wilson(uint64_t x, uint64_t n, double *low, double *high)
{
    double z2 = SV_Z95 * SV_Z95;
    double dn, dx, centre, half;

    if (n == 0 || x > n) {
        *low = NAN;
        *high = NAN;
        return;
    }
    dn = (double)n;
    dx = (double)x;
    centre = (dx + z2 / 2.0) / (dn + z2);
    half = SV_Z95 / (dn + z2) * sqrt(dx * (dn - dx) / dn + z2 / 4.0);
    *low = x == 0 ? 0.0 : fmax(0.0, centre - half);
    *high = x == n ? 1.0 : fmin(1.0, centre + half);
}

/* Sum of COUNTS[i] * (VALUES[i] - CENTRE)^P for P = 1 or 2. */
static double freq_sum(const double *values, const uint64_t *counts,
                       size_t k, double centre, int power)
{
    double s = 0.0;
    size_t i;

    for (i = 0; i < k; i++) {
        double d = values[i] - centre;

        if (counts[i] > 0)
            s += (double)counts[i] * (power == 2 ? d * d : d);
    }
    return s;
}

/*
 * t(0.975, DF) for whole DF: every group of a table asks for it, and GSL's
 * quantile costs far more than the rest of a row (a fifth of the time of
 * a 400 000-group table).  The first SV_T_CACHE degrees of freedom are
 * remembered per thread, so the values are GSL's, computed once each.
 */
#define SV_T_CACHE 4096

static double t975(uint64_t df)
{
    static _Thread_local double cache[SV_T_CACHE];

    if (df >= SV_T_CACHE)
        return gsl_cdf_tdist_Pinv(0.975, (double)df);
    if (!(cache[df] > 0.0)) /* t(0.975) is positive: 0 is "not yet" */
        cache[df] = gsl_cdf_tdist_Pinv(0.975, (double)df);
    return cache[df];
}

/*
 * Two-pass mean and sample variance (n - 1) of the expanded data, and the
 * Student t interval mean +- t(0.975, n - 1) sd / sqrt(n).
 */
uint64_t sv_freq_moments(const double *values, const uint64_t *counts,
                         size_t k, double *mean, double *sd, double *ci_low,
                         double *ci_high)
{
    uint64_t total = 0;
    double m, s, half;
    size_t i;

    for (i = 0; i < k; i++)
        total += counts[i];
    *mean = *sd = *ci_low = *ci_high = NAN;
    if (total == 0)
        return 0;
    m = freq_sum(values, counts, k, 0.0, 1) / (double)total;
    /* Second pass: the mean of the residuals corrects rounding in M. */
    m += freq_sum(values, counts, k, m, 1) / (double)total;
    *mean = m;
    if (total < 2)
        return total;
    s = sqrt(freq_sum(values, counts, k, m, 2) / (double)(total - 1));
    *sd = s;
    half = t975(total - 1) * s / sqrt((double)total);
    *ci_low = m - half;
    *ci_high = m + half;
    return total;
}

/*
 * Pooled two-proportion z test (e.g. Agresti, Categorical Data Analysis,
 * 3rd ed., 3.1.3): p = (x1 + x2) / (n1 + n2),
 * z = (x2/n2 - x1/n1) / sqrt(p (1 - p) (1/n1 + 1/n2)), two-sided.
 */
double sv_two_prop_p(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2)
{
    double p1, p2, pool, se, z;

    if (n1 == 0 || n2 == 0 || x1 > n1 || x2 > n2)
        return NAN;
    if (x1 + x2 == 0 || x1 + x2 == n1 + n2)
        return 1.0;
    p1 = (double)x1 / (double)n1;
    p2 = (double)x2 / (double)n2;
    pool = ((double)x1 + (double)x2) / ((double)n1 + (double)n2);
    se = sqrt(pool * (1.0 - pool) * (1.0 / (double)n1 + 1.0 / (double)n2));
    z = (p2 - p1) / se;
    return 2.0 * gsl_cdf_ugaussian_Q(fabs(z));
}

/*
 * The same test on rates P1, P2 of (effective) sizes N1, N2: a weighted
 * rate with Kish's n_eff is tested as an unweighted sample of that size.
 */
double sv_two_prop_p_rate(double p1, double n1, double p2, double n2)
{
    double pool, se;

    if (!(n1 > 0.0 && n2 > 0.0 && p1 >= 0.0 && p1 <= 1.0 && p2 >= 0.0 &&
          p2 <= 1.0))
        return NAN;
    pool = (p1 * n1 + p2 * n2) / (n1 + n2);
    se = sqrt(pool * (1.0 - pool) * (1.0 / n1 + 1.0 / n2));
    if (!(se > 0.0))
        return 1.0; /* both rates 0 or both 1 */
    return 2.0 * gsl_cdf_ugaussian_Q(fabs(p2 - p1) / se);
}

/*
 * Weighted mean and standard deviation of K scores VALUES with weight
 * sums W[i] (sum of w) and W2[i] (sum of w^2): the variance with
 * reliability weights, sum w (x - m)^2 / (V1 - V2 / V1), V1 = sum w,
 * V2 = sum w^2 (as numpy.cov with aweights), and the t interval
 * m -+ t(0.975, n_eff - 1) sd / sqrt(n_eff), n_eff = V1^2 / V2 (Kish).
 * Returns n_eff (0 without weight).
 */
double sv_weighted_moments(const double *values, const double *w,
                           const double *w2, size_t k, double *mean,
                           double *sd, double *ci_low, double *ci_high)
{
    double v1 = 0, v2 = 0, sx = 0, ss = 0, m, neff, half;

    *mean = *sd = *ci_low = *ci_high = NAN;
    for (size_t i = 0; i < k; i++) {
        v1 += w[i];
        v2 += w2[i];
        sx += w[i] * values[i];
    }
    if (!(v1 > 0.0) || !(v2 > 0.0))
        return 0.0;
    m = sx / v1;
    for (size_t i = 0; i < k; i++)
        ss += w[i] * (values[i] - m) * (values[i] - m);
    *mean = m;
    neff = sv_kish_neff(v1, v2);
    if (!(v1 - v2 / v1 > 0.0) || !(neff > 1.0))
        return neff;
    *sd = sqrt(ss / (v1 - v2 / v1));
    half = gsl_cdf_tdist_Pinv(0.975, neff - 1.0) * *sd / sqrt(neff);
    *ci_low = m - half;
    *ci_high = m + half;
    return neff;
}

/* True when any of the N values in Y is NaN. */
static int any_nan(const double *y, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (isnan(y[i]))
            return 1;
    return 0;
}

/*
 * P-value of a perfect fit, judged as R's summary.lm does: residual
 * variance <= 1e-30 (mean(fit)^2 + var(fit)).  Returns 0 for a perfect
 * fit, NaN for a perfect flat fit (slope 0), and -1 when the fit is not
 * perfect.  SS_FIT is the fitted sum of squares about the mean.
 */
static double perfect_fit_p(double sumsq, double ss_fit, double ybar,
                            size_t n)
{
    if (sumsq / (double)(n - 2) >
        1e-30 * (ybar * ybar + ss_fit / (double)(n - 1)))
        return -1.0;
    return ss_fit <= 1e-30 * ybar * ybar ? NAN : 0.0;
}

/* Position I of a series: X[I], or I when X is NULL. */
static double pos(const double *x, size_t i)
{
    return x ? x[i] : (double)i;
}

/*
 * OLS slope of Y on X (0..N-1 when X is NULL) from centred sums, as
 * gsl_fit_linear computes it, and the two-sided p-value of t = slope /
 * se(slope) with N - 2 degrees of freedom, se^2 = (SSE / (N - 2)) / Sxx
 * (e.g. Draper and Smith, Applied Regression Analysis, 3rd ed., 1.4).
 * Two points give their difference per position (the line through them)
 * and no p-value.  Nothing is allocated, so nothing can fail.
 */
void sv_ols_trend_at(const double *x, const double *y, size_t n,
                     double *slope, double *p)
{
    double xbar = 0.0, ybar = 0.0, dx2 = 0.0, dxdy = 0.0, sumsq = 0.0;
    double c1, pp;
    size_t i;

    *slope = *p = NAN;
    if (n < 2 || any_nan(y, n) || (x && any_nan(x, n)))
        return;
    if (n == 2) {
        double dx = pos(x, 1) - pos(x, 0);

        if (dx > 0.0 || dx < 0.0)
            *slope = (y[1] - y[0]) / dx;
        return;
    }
    /* running means, in the order gsl_fit_linear takes them */
    for (i = 0; i < n; i++) {
        xbar += (pos(x, i) - xbar) / (double)(i + 1);
        ybar += (y[i] - ybar) / (double)(i + 1);
    }
    for (i = 0; i < n; i++) {
        double dx = pos(x, i) - xbar, dy = y[i] - ybar;
        dx2 += (dx * dx - dx2) / (double)(i + 1);
        dxdy += (dx * dy - dxdy) / (double)(i + 1);
    }
    if (!(dx2 > 0.0))
        return;
    c1 = dxdy / dx2;
    for (i = 0; i < n; i++) {
        double d = (y[i] - ybar) - c1 * (pos(x, i) - xbar);
        sumsq += d * d;
    }
    *slope = c1;
    pp = perfect_fit_p(sumsq, c1 * c1 * dx2 * (double)n, ybar, n);
    if (isnan(pp) || pp >= 0.0)
        *p = pp;
    else
        *p = 2.0 * gsl_cdf_tdist_Q(
                       fabs(c1) / sqrt(sumsq / (double)(n - 2) /
                                       ((double)n * dx2)),
                       (double)(n - 2));
}

void sv_ols_trend(const double *y, size_t n, double *slope, double *p)
{
    sv_ols_trend_at(NULL, y, n, slope, p);
}

/* Pearson X^2 of the K x 2 table, rows with N[i] = 0 left out. */
static double chisq_stat(const uint64_t *sat, const uint64_t *n, size_t k,
                         double p_sat)
{
    double x2 = 0.0;
    size_t i;

    for (i = 0; i < k; i++) {
        double e1, e0, d1, d0;

        if (n[i] == 0)
            continue;
        e1 = (double)n[i] * p_sat;
        e0 = (double)n[i] * (1.0 - p_sat);
        d1 = (double)sat[i] - e1;
        d0 = (double)(n[i] - sat[i]) - e0;
        x2 += d1 * d1 / e1 + d0 * d0 / e0;
    }
    return x2;
}

/*
 * Pearson chi-square test of homogeneity (Pearson 1900; e.g. Agresti,
 * Categorical Data Analysis, 3rd ed., 3.2.1): expected E = row total *
 * column total / grand total, X^2 = sum (O - E)^2 / E, df = rows - 1.
 */
void sv_chisq_sat(const uint64_t *sat, const uint64_t *n, size_t k,
                  double *chi2, int *df, double *p)
{
    uint64_t rows = 0, tot_sat = 0, tot = 0;
    size_t i;

    *chi2 = *p = NAN;
    *df = 0;
    for (i = 0; i < k; i++) {
        if (sat[i] > n[i])
            return;
        if (n[i] > 0)
            rows++;
        tot_sat += sat[i];
        tot += n[i];
    }
    if (rows < 2 || tot_sat == 0 || tot_sat == tot)
        return;
    *chi2 = chisq_stat(sat, n, k, (double)tot_sat / (double)tot);
    *df = (int)(rows - 1);
    *p = gsl_cdf_chisq_Q(*chi2, (double)*df);
}

/*
 * Net Promoter Score (Reichheld 2003) with the multinomial standard error
 * of P - D: Var = (P + D - (P - D)^2) / n (PRODUCT.md 4), on the 0-100
 * scale; the interval is clamped to the score's range [-100, 100].
 */
void sv_nps_compute(const uint64_t counts[11], struct sv_nps *out)
{
    double pp, pd, var;
    int i;

    out->n = out->promoters = out->passives = out->detractors = 0;
    for (i = 0; i <= 10; i++) {
        if (i >= 9)
            out->promoters += counts[i];
        else if (i >= 7)
            out->passives += counts[i];
        else
            out->detractors += counts[i];
    }
    out->n = out->promoters + out->passives + out->detractors;
    if (out->n == 0) {
        out->promoters_pct = out->passives_pct = out->detractors_pct = NAN;
        out->nps = out->se = out->ci_low = out->ci_high = NAN;
        return;
    }
    pp = (double)out->promoters / (double)out->n;
    pd = (double)out->detractors / (double)out->n;
    out->promoters_pct = 100.0 * pp;
    out->passives_pct = 100.0 * (double)out->passives / (double)out->n;
    out->detractors_pct = 100.0 * pd;
    out->nps = 100.0 * (pp - pd);
    var = pp + pd - (pp - pd) * (pp - pd);
    out->se = 100.0 * sqrt(fmax(var, 0.0) / (double)out->n);
    out->ci_low = fmax(-100.0, out->nps - SV_Z95 * out->se);
    out->ci_high = fmin(100.0, out->nps + SV_Z95 * out->se);
}

/*
 * Wald z test of the difference of two independent estimates:
 * z = (NPS2 - NPS1) / sqrt(SE1^2 + SE2^2), p = 2 Q(|z|).
 */
double sv_nps_diff_p(double nps1, double se1, double nps2, double se2)
{
    double se;

    if (isnan(nps1) || isnan(se1) || isnan(nps2) || isnan(se2))
        return NAN;
    if (se1 < 0.0 || se2 < 0.0)
        return NAN;
    se = sqrt(se1 * se1 + se2 * se2);
    if (se <= 0.0)
        return sv_near(nps1, nps2) ? 1.0 : 0.0;
    return 2.0 * gsl_cdf_ugaussian_Q(fabs(nps2 - nps1) / se);
}

/* Median by sorting (gsl_sort, gsl_stats_median_from_sorted_data). */
double sv_median(double *data, size_t n)
{
    if (n == 0 || any_nan(data, n))
        return NAN;
    gsl_sort(data, 1, n);
    return gsl_stats_median_from_sorted_data(data, 1, n);
}

/*
 * Wilson score interval of a rate P with (effective) sample size N: the
 * formula of sv_wilson() with x = P N, so that a weighted rate with
 * Kish's n_eff gets the interval of an unweighted sample of that size.
 */
void sv_wilson_rate(double p, double n, double *low, double *high)
{
    double z2 = SV_Z95 * SV_Z95;
    double centre, half;

    *low = *high = NAN;
    if (!(n > 0.0) || !(p >= 0.0 && p <= 1.0) || isinf(n))
        return;
    centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    half = SV_Z95 / (1.0 + z2 / n) *
           sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n));
    *low = p <= 0.0 ? 0.0 : fmax(0.0, centre - half);
    *high = p >= 1.0 ? 1.0 : fmin(1.0, centre + half);
}

/*
 * Newcombe's hybrid score interval, method 10 of R. G. Newcombe,
 * Statistics in Medicine 17 (1998) 873-890, for D = P2 - P1 from the
 * Wilson intervals (l1, u1) of P1 and (l2, u2) of P2:
 *   low  = D - sqrt((P2 - l2)^2 + (u1 - P1)^2)
 *   high = D + sqrt((u2 - P2)^2 + (P1 - l1)^2)
 */
void sv_newcombe(double p1, double n1, double p2, double n2, double *low,
                 double *high)
{
    double l1, u1, l2, u2, d;

    sv_wilson_rate(p1, n1, &l1, &u1);
    sv_wilson_rate(p2, n2, &l2, &u2);
    *low = *high = NAN;
    if (isnan(l1) || isnan(l2))
        return;
    d = p2 - p1;
    *low = d - sqrt((p2 - l2) * (p2 - l2) + (u1 - p1) * (u1 - p1));
    *high = d + sqrt((u2 - p2) * (u2 - p2) + (p1 - l1) * (p1 - l1));
}

const char *sv_p_adjust_name(enum sv_p_adjust method)
{
    switch (method) {
    case SV_P_ADJUST_NONE:
        return "none";
    case SV_P_ADJUST_HOLM:
        return "holm";
    case SV_P_ADJUST_BH:
        return "bh";
    }
    return "?";
}

enum sv_status sv_p_adjust_parse(const char *s, enum sv_p_adjust *out)
{
    static const enum sv_p_adjust all[] = {SV_P_ADJUST_NONE, SV_P_ADJUST_HOLM,
                                           SV_P_ADJUST_BH};
    size_t i;

    for (i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (strcmp(s, sv_p_adjust_name(all[i])) == 0) {
            *out = all[i];
            return SV_OK;
        }
    }
    return SV_ERR_USAGE;
}

/*
 * Holm's step-down adjustment (S. Holm, Scand. J. Statist. 6 (1979)
 * 65-70) of the M sorted p-values Q[0..M-1], in place:
 *   q(i) = min(1, max over j <= i of (M - j) q(j))   (0-based)
 */
static void holm_sorted(double *q, size_t m)
{
    double run = 0.0;
    size_t i;

    for (i = 0; i < m; i++) {
        run = fmax(run, fmin(1.0, (double)(m - i) * q[i]));
        q[i] = run;
    }
}

/*
 * Benjamini-Hochberg step-up adjustment (JRSS B 57 (1995) 289-300) of
 * the M sorted p-values Q[0..M-1], in place:
 *   q(i) = min(1, min over j >= i of M / (j + 1) q(j))   (0-based)
 */
static void bh_sorted(double *q, size_t m)
{
    double run = 1.0;
    size_t i;

    for (i = m; i-- > 0;) {
        run = fmin(run, (double)m / (double)(i + 1) * q[i]);
        q[i] = run;
    }
}

/*
 * R's p.adjust(): NaN entries stay NaN and do not count in M.  Tied
 * p-values get equal adjusted values whatever order the sort leaves them
 * in, so the sort need not be stable.
 */
enum sv_status sv_p_adjust(double *p, size_t n, enum sv_p_adjust method,
                           struct sv_error *err)
{
    size_t *idx, i, m = 0;
    double *q, *sorted;

    if (method == SV_P_ADJUST_NONE || n == 0)
        return SV_OK;
    idx = malloc(n * sizeof *idx);
    q = malloc(n * sizeof *q);
    sorted = malloc(n * sizeof *sorted);
    if (idx == NULL || q == NULL || sorted == NULL) {
        free(idx);
        free(q);
        free(sorted);
        return sv_error_set(err, SV_ERR_NOMEM, NULL, 0, NULL,
                            "out of memory adjusting %zu p-values", n);
    }
    for (i = 0; i < n; i++)
        if (!isnan(p[i]))
            q[m++] = p[i];
    gsl_sort_index(idx, q, 1, m);
    for (i = 0; i < m; i++)
        sorted[i] = q[idx[i]];
    if (method == SV_P_ADJUST_HOLM)
        holm_sorted(sorted, m);
    else
        bh_sorted(sorted, m);
    for (i = 0; i < m; i++)
        q[idx[i]] = sorted[i];
    for (i = 0, m = 0; i < n; i++)
        if (!isnan(p[i]))
            p[i] = q[m++];
    free(idx);
    free(q);
    free(sorted);
    return SV_OK;
}

/*
 * Corrected sum of squares S - SUM^2 / N from raw sums; 0 when it is
 * within rounding of 0 (all values equal), so that zero variance is
 * recognised however the sums were added up.
 */
static double centred_ss(double n, double sum, double sumsq)
{
    double ss = sumsq - sum * sum / n;

    return ss > 1e-12 * fabs(sumsq) ? ss : 0.0;
}

/*
 * Pearson's r from the co-moments (e.g. Snedecor and Cochran, Statistical
 * Methods, 8th ed., 10.1): r = Sxy / sqrt(Sxx Syy) with the corrected
 * sums; the p-value is that of t = r sqrt((n - 2) / (1 - r^2)) with
 * n - 2 degrees of freedom, as R's cor.test() computes it.
 */
void sv_pearson(uint64_t n, double sxx, double syy, double sxy, double *r,
                double *p)
{
    double dn = (double)n, rr, t;

    *r = *p = NAN;
    if (n < 3 || !(sxx > 0.0) || !(syy > 0.0) || isnan(sxy))
        return;
    rr = fmax(-1.0, fmin(1.0, sxy / sqrt(sxx * syy)));
    *r = rr;
    if (1.0 - rr * rr <= 0.0) {
        *p = 0.0;
        return;
    }
    t = rr * sqrt((dn - 2.0) / (1.0 - rr * rr));
    *p = 2.0 * gsl_cdf_tdist_Q(fabs(t), dn - 2.0);
}

void sv_pearson_sums(uint64_t n, double sx, double sy, double sxx,
                     double syy, double sxy, double *r, double *p)
{
    double dn = (double)n;

    *r = *p = NAN;
    if (n < 3)
        return;
    sv_pearson(n, centred_ss(dn, sx, sxx), centred_ss(dn, sy, syy),
               sxy - sx * sy / dn, r, p);
}

/*
 * Cronbach's alpha (L. J. Cronbach, Psychometrika 16 (1951) 297-334):
 *   alpha = k / (k - 1) (1 - sum of item variances / variance of total)
 * with sample variances (n - 1) from the raw sums.
 */
double sv_cronbach_alpha_ss(size_t k, const double *item_ss,
                            double total_ss)
{
    double items = 0.0;
    size_t i;

    if (k < 2 || !(total_ss > 0.0))
        return NAN;
    for (i = 0; i < k; i++)
        items += item_ss[i];
    return (double)k / (double)(k - 1) * (1.0 - items / total_ss);
}

double sv_cronbach_alpha(uint64_t n, size_t k, const double *sum,
                         const double *sumsq, double total_sum,
                         double total_sumsq)
{
    double dn = (double)n, ss[64];
    size_t i;

    if (n < 2 || k < 2 || k > sizeof ss / sizeof ss[0])
        return NAN;
    for (i = 0; i < k; i++)
        ss[i] = centred_ss(dn, sum[i], sumsq[i]);
    return sv_cronbach_alpha_ss(k, ss, centred_ss(dn, total_sum,
                                                  total_sumsq));
}

/* Kish's effective sample size (Survey Sampling, 1965, 11.7). */
double sv_kish_neff(double sum_w, double sum_w2)
{
    if (!(sum_w2 > 0.0))
        return NAN;
    return sum_w * sum_w / sum_w2;
}
