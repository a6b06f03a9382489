/*
 * stats.c — the statistics behind the survey metrics (PRODUCT.md 4):
 * Wilson intervals, moments of frequency tables, two-proportion z tests,
 * OLS trends, chi-square tests of sites, NPS and medians.  GSL does the
 * distribution functions, the fit and the sorting.
 */
#include "survey.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fit.h>
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
    half = gsl_cdf_tdist_Pinv(0.975, (double)(total - 1)) * s /
           sqrt((double)total);
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

/*
 * OLS slope of Y on X (0..N-1 when X is NULL) with gsl_fit_linear and the
 * two-sided p-value of t = slope / se(slope) with N - 2 degrees of
 * freedom (e.g. Draper and Smith, Applied Regression Analysis, 3rd ed.,
 * 1.4).
 */
void sv_ols_trend_at(const double *x, const double *y, size_t n,
                     double *slope, double *p)
{
    double c0, c1, cov00, cov01, cov11, sumsq, ss_fit, ybar, xbar, sxx, pp;
    double *xs;
    size_t i;
    int status;

    *slope = *p = NAN;
    if (n < 3 || any_nan(y, n) || (x && any_nan(x, n)))
        return;
    xs = malloc(n * sizeof *xs);
    if (xs == NULL)
        return;
    for (i = 0, xbar = 0.0; i < n; i++)
        xbar += (xs[i] = x ? x[i] : (double)i) / (double)n;
    for (i = 0, sxx = 0.0; i < n; i++)
        sxx += (xs[i] - xbar) * (xs[i] - xbar);
    status = gsl_fit_linear(xs, 1, y, 1, n, &c0, &c1, &cov00, &cov01, &cov11,
                            &sumsq);
    free(xs);
    if (status != 0 || !(sxx > 0.0))
        return;
    *slope = c1;
    ss_fit = c1 * c1 * sxx;
    ybar = c0 + c1 * xbar;
    pp = perfect_fit_p(sumsq, ss_fit, ybar, n);
    if (isnan(pp) || pp >= 0.0)
        *p = pp;
    else
        *p = 2.0 * gsl_cdf_tdist_Q(fabs(c1) / sqrt(cov11), (double)(n - 2));
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
