# stats.R - reference values for libsurvey/stats.c, computed independently
# with R's own statistics (prop.test, t.test, lm, chisq.test, median) and,
# for NPS, the closed form of PRODUCT.md section 4.
#
# Re-run from the repository root, then review and commit both files:
#     Rscript tests/reference/stats.R
# It rewrites tests/reference/stats-expected.csv (read by
# tests/unit/test_stats.c).
#
# CSV columns: case,function,inputs,outputs.  INPUTS and OUTPUTS are lists
# separated by ';'; an input list that is a vector has its values separated
# by spaces.  Outputs have 15 significant digits; "NaN" means undefined.
# Where the library documents a rule for an undefined or degenerate case
# (survey.h, Statistics), the rule is applied here explicitly and marked
# "documented rule".

z95 <- 1.959964                 # PRODUCT.md 4: not qnorm(0.975)
conf95 <- 2 * pnorm(z95) - 1    # the confidence level whose z is z95

out_file <- file.path("tests", "reference", "stats-expected.csv")
rows <- character(0)

num <- function(v) ifelse(is.na(v), "NaN", sprintf("%.15g", v))
exact <- function(v) ifelse(is.na(v), "NaN", sprintf("%.17g", v))
cnt <- function(v) sprintf("%.0f", v)
vec <- function(v, f = num) paste(f(v), collapse = " ")
add <- function(name, fun, inputs, outputs) {
    rows <<- c(rows, paste(name, fun, paste(inputs, collapse = ";"),
                           paste(num(outputs), collapse = ";"), sep = ","))
}
# two R routes to one figure must agree far inside the test's 1e-9
same <- function(a, b) {
    stopifnot(isTRUE(all.equal(a, b, tolerance = 1e-10)))
}

# --- Wilson score interval: prop.test(correct = FALSE) ---------------------
wilson <- function(x, n) {
    if (n == 0) return(c(NaN, NaN))
    ci <- suppressWarnings(
        prop.test(x, n, conf.level = conf95, correct = FALSE)$conf.int)
    ci <- as.numeric(ci)
    # closed form (Wilson 1927) as a cross-check of prop.test
    c0 <- (x + z95^2 / 2) / (n + z95^2)
    h <- z95 / (n + z95^2) * sqrt(x * (n - x) / n + z95^2 / 4)
    same(ci, c(max(0, c0 - h), min(1, c0 + h)))
    if (x == 0) ci[1] <- 0      # documented rule: exact bounds
    if (x == n) ci[2] <- 1
    ci
}
wilson_cases <- list(
    c("n0", 0, 0), c("x0", 0, 10), c("all_sat", 10, 10), c("n1_sat", 1, 1),
    c("n1_unsat", 0, 1), c("half", 5, 10), c("typical", 81, 100),
    c("rare", 1, 1000), c("odd", 3, 7), c("large_all", 1e9, 1e9),
    c("large_near_all", 999999999, 1e9), c("large_mid", 123456789, 1e9))
for (w in wilson_cases) {
    x <- as.numeric(w[2]); n <- as.numeric(w[3])
    add(paste0("wilson_", w[1]), "wilson", c(cnt(x), cnt(n)), wilson(x, n))
}

# --- mean, sd, t interval of a frequency table: t.test ---------------------
moments <- function(values, counts) {
    d <- rep(values, counts)
    n <- length(d)
    if (n == 0) return(c(0, NaN, NaN, NaN, NaN))
    if (n == 1) return(c(1, d, NaN, NaN, NaN))
    if (sd(d) == 0) return(c(n, mean(d), 0, mean(d), mean(d)))
    tt <- t.test(d, conf.level = 0.95)
    c(n, mean(d), sd(d), as.numeric(tt$conf.int))
}
moment_cases <- list(
    list("abc3", c(100, 50, 0), c(30, 15, 5)),
    list("likert5", c(100, 75, 50, 25, 0), c(12, 20, 9, 3, 1)),
    list("custom", c(100, 80, 60, 0), c(7, 0, 2, 1)),
    list("n0", c(100, 0), c(0, 0)),
    list("k0", numeric(0), numeric(0)),
    list("n1", c(100, 0), c(1, 0)),
    list("n2", c(100, 0), c(1, 1)),
    list("constant", c(80, 60), c(5, 0)),
    list("large", c(100, 60, 0), c(40000, 30000, 5000)),
    list("fractional", c(66.7, 33.3, 12.5), c(3, 4, 2)))
for (m in moment_cases) {
    add(paste0("moments_", m[[1]]), "moments",
        c(vec(m[[2]]), vec(m[[3]], cnt)), moments(m[[2]], m[[3]]))
}

# --- pooled two-proportion z test: prop.test(correct = FALSE) --------------
two_prop <- function(x1, n1, x2, n2) {
    if (n1 == 0 || n2 == 0) return(NaN)
    if (x1 + x2 == 0 || x1 + x2 == n1 + n2) return(1)  # documented rule
    p <- suppressWarnings(prop.test(c(x1, x2), c(n1, n2),
                                    correct = FALSE)$p.value)
    pool <- (x1 + x2) / (n1 + n2)
    z <- (x2 / n2 - x1 / n1) / sqrt(pool * (1 - pool) * (1 / n1 + 1 / n2))
    same(p, 2 * pnorm(-abs(z)))
    p
}
two_prop_cases <- list(
    c("typical", 45, 50, 40, 50), c("rise", 80, 100, 90, 100),
    c("none_sat", 0, 10, 0, 20), c("all_sat", 10, 10, 20, 20),
    c("n1_zero", 0, 0, 5, 10), c("n2_zero", 5, 10, 0, 0),
    c("n1_each", 1, 1, 0, 1), c("extreme", 0, 10, 10, 10),
    c("equal_rates", 50, 100, 25, 50), c("unequal_n", 3, 5, 200, 400),
    c("mid", 500, 1000, 520, 1000),
    c("large", 900000000, 1e9, 900030000, 1e9))
for (t in two_prop_cases) {
    v <- as.numeric(t[2:5])
    add(paste0("two_prop_", t[1]), "two_prop", cnt(v),
        two_prop(v[1], v[2], v[3], v[4]))
}

# --- OLS trend: lm / summary.lm ---------------------------------------------
trend <- function(y, x = 0:(length(y) - 1)) {
    n <- length(y)
    if (n < 2 || any(is.na(y))) return(c(NaN, NaN))  # documented rule
    if (n == 2)                 # PRODUCT.md 4: the line through two points
        return(c(unname(coef(lm(y ~ x))[2]), NaN))
    fit <- lm(y ~ x)
    slope <- unname(coef(fit)[2])
    f <- fitted(fit)
    # summary.lm's "essentially perfect fit" test; the library documents
    # p = 0 for a perfect fit and NaN when it is also flat
    if (sum(residuals(fit)^2) / (n - 2) <= (mean(f)^2 + var(f)) * 1e-30) {
        flat <- sum((f - mean(f))^2) <= 1e-30 * mean(f)^2
        return(c(slope, if (flat) NaN else 0))
    }
    c(slope, summary(fit)$coefficients[2, 4])
}
trend_cases <- list(
    list("n0", numeric(0)), list("n1", 80), list("two_periods", c(80, 85)),
    list("three", c(80, 82.5, 81)),
    list("perfect_up", c(80, 82, 84, 86)),
    list("perfect_down", c(90, 87.5, 85)),
    list("constant", c(85, 85, 85, 85)), list("zeros", c(0, 0, 0)),
    list("six", c(88.2, 89.1, 87.5, 90.3, 91, 90.8)),
    list("zigzag", c(80, 90, 80, 90, 80)),
    list("nan_input", c(80, NaN, 82)),
    list("twelve", c(91.3, 90.8, 92.1, 92.6, 91.9, 93.4, 93.0, 94.2, 93.8,
                     95.1, 94.7, 95.6)))
for (t in trend_cases) {
    add(paste0("ols_", t[[1]]), "ols", vec(t[[2]]), trend(t[[2]]))
}
# periods with gaps: x is the period's position in calendar time
trend_at_cases <- list(
    list("gap_q3", c(0, 1, 3), c(80, 82.5, 86)),
    list("gaps_months", c(0, 1, 2, 3, 4, 6, 7, 9, 10), c(88, 87.5, 89, 90.5,
                                                       90, 91.2, 90.4, 92,
                                                       93.1)),
    list("gap_perfect", c(0, 2, 3), c(80, 84, 86)),
    list("two_with_gap", c(0, 2), c(80, 85)))
for (t in trend_at_cases) {
    add(paste0("ols_at_", t[[1]]), "ols_at", c(vec(t[[2]]), vec(t[[3]])),
        trend(t[[3]], t[[2]]))
}

# --- chi-square k x 2: chisq.test(correct = FALSE) --------------------------
chisq <- function(sat, n) {
    keep <- n > 0
    if (sum(keep) < 2 || sum(sat) == 0 || sum(sat) == sum(n))
        return(c(NaN, 0, NaN))                        # documented rule
    tab <- cbind(sat[keep], n[keep] - sat[keep])
    r <- suppressWarnings(chisq.test(tab, correct = FALSE))
    c(unname(r$statistic), unname(r$parameter), r$p.value)
}
chisq_cases <- list(
    list("three", c(80, 70, 90), c(100, 100, 100)),
    list("two_by_two", c(45, 30), c(50, 50)),
    list("site_n0", c(80, 0, 70), c(100, 0, 90)),
    list("all_sat", c(10, 20), c(10, 20)),
    list("none_sat", c(0, 0), c(10, 20)),
    list("one_row", c(5, 0), c(10, 0)),
    list("k0", numeric(0), numeric(0)),
    list("equal_rates", c(50, 25), c(100, 50)),
    list("five_small", c(3, 7, 1, 10, 0), c(5, 9, 4, 12, 3)),
    list("large", c(900000000, 899990000, 900020000), c(1e9, 1e9, 1e9)))
for (t in chisq_cases) {
    add(paste0("chisq_", t[[1]]), "chisq",
        c(vec(t[[2]], cnt), vec(t[[3]], cnt)), chisq(t[[2]], t[[3]]))
}

# --- NPS: closed form of PRODUCT.md 4 ---------------------------------------
nps <- function(counts) {
    n <- sum(counts)
    pro <- sum(counts[10:11]); pas <- sum(counts[8:9]); det <- sum(counts[1:7])
    if (n == 0) return(c(0, 0, 0, 0, rep(NaN, 7)))
    P <- pro / n; D <- det / n
    score <- 100 * (P - D)
    se <- 100 * sqrt(max(0, P + D - (P - D)^2) / n)
    c(n, pro, pas, det, 100 * P, 100 * pas / n, 100 * D, score, se,
      max(-100, score - z95 * se), min(100, score + z95 * se))
}
nps_cases <- list(
    list("typical", c(2, 1, 0, 3, 1, 5, 4, 10, 12, 20, 42)),
    list("second", c(5, 2, 3, 4, 6, 8, 10, 15, 17, 12, 18)),
    list("n0", rep(0, 11)),
    list("n1_promoter", c(rep(0, 10), 1)),
    list("n1_detractor", c(1, rep(0, 10))),
    list("n1_passive", c(rep(0, 7), 1, rep(0, 3))),
    list("all_promoters", c(rep(0, 9), 500, 1500)),
    list("all_passives", c(rep(0, 7), 3, 4, 0, 0)),
    list("clamp_high", c(rep(0, 8), 1, 4, 5)),
    list("clamp_low", c(5, 4, rep(0, 6), 1, 0, 0)),
    list("large", c(0, 0, 0, 250000000, 0, 0, 0, 0, 350000000, 0,
                    400000000)))
nps_res <- list()
for (t in nps_cases) {
    r <- nps(t[[2]])
    nps_res[[t[[1]]]] <- r
    add(paste0("nps_", t[[1]]), "nps", vec(t[[2]], cnt), r)
}

# --- NPS difference: Wald z, 2 * pnorm(-|z|) --------------------------------
nps_diff <- function(a, sa, b, sb) {
    if (any(is.na(c(a, sa, b, sb)))) return(NaN)
    se <- sqrt(sa^2 + sb^2)
    if (se == 0) return(if (a == b) 1 else 0)       # documented rule
    2 * pnorm(-abs(b - a) / se)
}
diff_inputs <- list(
    list("typical_second", nps_res$typical[8:9], nps_res$second[8:9]),
    list("typical_large", nps_res$typical[8:9], nps_res$large[8:9]),
    list("equal_se0", c(100, 0), c(100, 0)),
    list("differ_se0", c(100, 0), c(-100, 0)),
    list("one_se0", c(0, 0), c(10, 4)),
    list("equal", c(10.5, 3.2), c(10.5, 3.2)),
    list("plain", c(30, 5), c(40, 6)),
    list("nan_nps", c(NaN, 5), c(10, 5)),
    list("nan_se", nps_res$n0[8:9], nps_res$typical[8:9]))
for (t in diff_inputs) {
    v <- c(t[[2]], t[[3]])
    add(paste0("nps_diff_", t[[1]]), "nps_diff", exact(v),
        nps_diff(v[1], v[2], v[3], v[4]))
}

# --- median: median() --------------------------------------------------------
median_cases <- list(
    list("n0", numeric(0)), list("n1", 5), list("odd", c(3, 1, 2)),
    list("even", c(4, 1, 3, 2)),
    list("hours", c(0.5, 24, 3.25, 72, 1.75)),
    list("ties", c(2, 2, 2, 9)), list("negative", c(-3.5, -1, -7, 10)),
    list("nan_input", c(1, NaN, 3)))
for (t in median_cases) {
    m <- if (length(t[[2]]) == 0) NaN else median(t[[2]])
    add(paste0("median_", t[[1]]), "median", vec(t[[2]]), m)
}

# --- weighted Wilson: the closed form with x = p n ---------------------------
wilson_rate <- function(p, n) {
    if (n <= 0) return(c(NaN, NaN))
    c0 <- (p + z95^2 / (2 * n)) / (1 + z95^2 / n)
    h <- z95 / (1 + z95^2 / n) * sqrt(p * (1 - p) / n + z95^2 / (4 * n^2))
    ci <- c(max(0, c0 - h), min(1, c0 + h))
    if (p == 0) ci[1] <- 0      # documented rule: exact bounds
    if (p == 1) ci[2] <- 1
    ci
}
# an integral p n must give prop.test's interval
same(wilson_rate(81 / 100, 100), wilson(81, 100))
same(wilson_rate(3 / 7, 7), wilson(3, 7))
wilson_rate_cases <- list(
    c("integral", 0.81, 100), c("kish", 0.8731, 57.25), c("zero", 0, 12.5),
    c("one", 1, 3.4), c("n_below_1", 0.5, 0.6), c("n0", 0.5, 0))
for (w in wilson_rate_cases) {
    v <- as.numeric(w[2:3])
    add(paste0("wilson_rate_", w[1]), "wilson_rate", exact(v),
        wilson_rate(v[1], v[2]))
}

# --- Newcombe's hybrid score interval (method 10) of p2 - p1 ----------------
# from the two prop.test Wilson intervals above
newcombe <- function(x1, n1, x2, n2) {
    if (n1 == 0 || n2 == 0) return(c(NaN, NaN))
    p1 <- x1 / n1; p2 <- x2 / n2
    a <- wilson(x1, n1); b <- wilson(x2, n2)
    d <- p2 - p1
    c(d - sqrt((p2 - b[1])^2 + (a[2] - p1)^2),
      d + sqrt((b[2] - p2)^2 + (p1 - a[1])^2))
}
# Newcombe (1998), Table II, method 10, rounded to 4 decimals there (his
# difference is p1 - p2, ours p_now - p_prev: arguments swapped)
stopifnot(all(round(newcombe(48, 80, 56, 70), 4) == c(0.0524, 0.3339)),
          all(round(newcombe(3, 10, 9, 10), 4) == c(0.1705, 0.8090)),
          all(round(newcombe(2, 7, 6, 7), 4) == c(0.0582, 0.8062)),
          all(round(newcombe(0, 29, 5, 56), 4) == c(-0.0381, 0.1926)))
newcombe_cases <- list(
    c("paper_a", 48, 80, 56, 70), c("typical", 45, 50, 40, 50),
    c("both_all", 10, 10, 20, 20), c("both_none", 0, 12, 0, 15),
    c("twelve", 9, 12, 11, 12), c("extreme", 0, 10, 10, 10),
    c("n1_zero", 0, 0, 5, 10), c("n2_zero", 5, 10, 0, 0),
    c("large", 900000000, 1e9, 900030000, 1e9))
for (t in newcombe_cases) {
    v <- as.numeric(t[2:5])
    add(paste0("newcombe_", t[1]), "newcombe", cnt(v),
        suppressWarnings(newcombe(v[1], v[2], v[3], v[4])))
}

# --- p.adjust: Holm and Benjamini-Hochberg -----------------------------------
p_sets <- list(
    list("five", c(0.01, 0.04, 0.03, 0.005, 0.2)),
    list("with_nan", c(0.01, NaN, 0.04, 0.03, 0.005)),
    list("ties", c(0.02, 0.02, 0.5, 0.001, 0.02)),
    list("capped", c(0.3, 0.6, 0.9)),
    list("one", 0.03),
    list("fifteen", c(0.001, 0.012, 0.049, 0.0031, 0.21, 0.044, 0.65,
                      0.0004, 0.038, 0.97, 0.02, 0.3, 0.0499, 0.008, 0.11)))
for (t in p_sets) {
    p <- t[[2]]
    add(paste0("holm_", t[[1]]), "holm", vec(p), p.adjust(p, "holm"))
    add(paste0("bh_", t[[1]]), "bh", vec(p), p.adjust(p, "BH"))
}

# --- Pearson r and its p: cor.test -------------------------------------------
pearson <- function(x, y) {
    if (length(x) < 3 || sd(x) == 0 || sd(y) == 0)
        return(c(NaN, NaN))                     # documented rule
    ct <- cor.test(x, y)
    c(unname(ct$estimate), ct$p.value)
}
pearson_cases <- list(
    list("typical", c(100, 75, 75, 50, 100, 25, 75, 50, 100, 75),
         c(100, 75, 50, 50, 100, 50, 75, 25, 75, 75)),
    list("negative", c(0, 50, 100, 50, 0, 100), c(100, 50, 0, 100, 50, 0)),
    list("two_pairs", c(100, 50), c(50, 100)),
    list("three_pairs", c(100, 50, 0), c(75, 75, 25)),
    list("zero_var_x", c(100, 100, 100, 100), c(0, 50, 100, 50)),
    list("zero_var_y", c(0, 50, 100, 50), c(75, 75, 75, 75)),
    list("perfect", c(0, 25, 50, 75), c(10, 35, 60, 85)),
    list("twelve", c(100, 100, 50, 100, 0, 50, 100, 50, 100, 100, 50, 0),
         c(75, 100, 50, 75, 25, 75, 100, 50, 75, 100, 25, 25)),
    list("fractional", c(100, 66.6666666666667, 33.3333333333333, 0, 100,
                         66.6666666666667, 33.3333333333333),
         c(91.6666666666667, 50, 58.3333333333333, 8.33333333333333, 75,
           75, 41.6666666666667)))
for (t in pearson_cases) {
    add(paste0("pearson_", t[[1]]), "pearson", c(vec(t[[2]]), vec(t[[3]])),
        pearson(t[[2]], t[[3]]))
}

# --- Cronbach's alpha: the formula on the item matrix ------------------------
# inputs: one vector per item over the same respondents
alpha <- function(items) {
    m <- do.call(cbind, items)
    k <- ncol(m)
    if (k < 2 || nrow(m) < 2 || var(rowSums(m)) == 0)
        return(NaN)                             # documented rule
    k / (k - 1) * (1 - sum(apply(m, 2, var)) / var(rowSums(m)))
}
alpha_cases <- list(
    list("four_items", list(c(100, 75, 50, 100, 75, 25, 100, 50),
                            c(100, 50, 50, 75, 75, 25, 100, 75),
                            c(75, 75, 25, 100, 50, 50, 100, 50),
                            c(100, 75, 50, 100, 100, 0, 75, 50))),
    list("two_items", list(c(100, 50, 0, 50, 100), c(50, 50, 0, 100, 100))),
    list("one_item", list(c(100, 50, 0))),
    list("one_respondent", list(100, 50, 75)),
    list("constant_total", list(c(100, 0, 50), c(0, 100, 50))),
    list("zero_var_item", list(c(100, 100, 100, 100), c(50, 100, 0, 75),
                               c(25, 100, 0, 75))),
    list("negative", list(c(100, 0, 100, 0), c(0, 100, 25, 75))),
    list("twelve", list(c(100, 100, 50, 100, 0, 50, 100, 50, 100, 100, 50, 0),
                        c(100, 50, 50, 100, 50, 50, 100, 0, 100, 50, 50, 0),
                        c(75, 100, 50, 75, 25, 75, 100, 50, 75, 100, 25, 25))))
for (t in alpha_cases) {
    add(paste0("alpha_", t[[1]]), "alpha",
        sapply(t[[2]], function(v) vec(v)), alpha(t[[2]]))
}

# --- Kish's effective n ------------------------------------------------------
kish_cases <- list(
    list("equal", rep(1, 7)), list("sites", c(rep(1 / 40, 40), rep(1 / 12, 12))),
    list("households", c(rep(2.5, 4), rep(7.25, 3), 1)), list("one", 3))
for (t in kish_cases) {
    w <- t[[2]]
    add(paste0("kish_", t[[1]]), "kish", vec(w), sum(w)^2 / sum(w^2))
}

# --- weighted moments (--pool): reliability weights, t with n_eff - 1 df ----
# per answer: score x, weight w; the variance as cov.wt(method = "unbiased")
wmoments <- function(x, w) {
    if (length(x) == 0 || sum(w) <= 0) return(c(0, NaN, NaN, NaN, NaN))
    m <- weighted.mean(x, w)
    neff <- sum(w)^2 / sum(w^2)
    if (neff <= 1) return(c(neff, m, NaN, NaN, NaN))
    v <- cov.wt(matrix(x), wt = w / sum(w), method = "unbiased")$cov[1, 1]
    same(v, sum(w * (x - m)^2) / (sum(w) - sum(w^2) / sum(w)))
    h <- qt(0.975, neff - 1) * sqrt(v) / sqrt(neff)
    c(neff, m, sqrt(v), m - h, m + h)
}
wmoment_cases <- list(
    list("equal", c(100, 50, 0, 100, 100), rep(1, 5)),
    list("sites", c(rep(100, 9), rep(0, 3), rep(100, 20), rep(50, 20)),
         c(rep(1 / 12, 12), rep(1 / 40, 40))),
    list("households", c(100, 75, 50, 25, 0, 100, 100),
         c(2.5, 2.5, 2.5, 7.25, 7.25, 7.25, 1)),
    list("one", c(75), c(3)),
    list("constant", c(50, 50, 50), c(1, 2, 3)))
for (t in wmoment_cases) {
    add(paste0("wmoments_", t[[1]]), "wmoments",
        c(vec(t[[2]]), vec(t[[3]])), wmoments(t[[2]], t[[3]]))
}

# --- the z test on weighted rates of effective sizes ------------------------
two_prop_rate <- function(p1, n1, p2, n2) {
    pool <- (p1 * n1 + p2 * n2) / (n1 + n2)
    se <- sqrt(pool * (1 - pool) * (1 / n1 + 1 / n2))
    if (se == 0) return(1)
    2 * pnorm(-abs(p2 - p1) / se)
}
# on counts it is the unweighted test (prop.test)
same(two_prop_rate(45 / 50, 50, 40 / 50, 50), two_prop(45, 50, 40, 50))
rate_cases <- list(c("counts", 0.9, 50, 0.8, 50),
                   c("neff", 0.6501, 114.37, 0.7277, 130.58),
                   c("both_full", 1, 12.5, 1, 40.2),
                   c("twelve", 0.75, 12, 0.5, 57.25))
for (t in rate_cases) {
    v <- as.numeric(t[2:5])
    add(paste0("two_prop_rate_", t[1]), "two_prop_rate", num(v),
        two_prop_rate(v[1], v[2], v[3], v[4]))
}

writeLines(c("case,function,inputs,outputs", rows), out_file)
cat(sprintf("wrote %d cases to %s\n", length(rows), out_file))
