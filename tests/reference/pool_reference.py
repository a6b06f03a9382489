#!/usr/bin/python3
"""pool_reference.py - expected values for survey-score --pool and for
coverage over halves and years, computed independently with pandas, numpy
and scipy from the RAW questionnaire fixture (not from our stream, cube or
code).

Definitions (PRODUCT.md 4 "Pooling sites", 4.1 "Coverage"):
- every answer of site s in the group weighs w = 1 (respondents), 1 / n_s
  (sites: n_s = valid answers of s to the item, or to every dimension for
  (all)) or H_s / R_s (households: households of s / questionnaires of s
  in the period);
- sat_pct = 100 sum(w sat) / sum(w); n_eff = (sum w)^2 / sum(w^2) (Kish);
  Wilson interval of that rate with n = n_eff;
- mean_score = sum(w x) / sum(w); sd = sqrt of numpy.cov(x, aweights=w)
  (reliability weights, sum w (x - m)^2 / (V1 - V2 / V1)); mean interval
  m -+ t(0.975, n_eff - 1) sd / sqrt(n_eff) (scipy.stats.t), clipped to
  [0, 100];
- change: previous quarter of the same item with answers; delta_p = the
  pooled two-proportion z test on the weighted rates with sizes n_eff;
  Newcombe's hybrid score interval (method 10) from the two Wilson
  intervals of size n_eff; delta_p_adj = Holm over the dimension items of
  the group and period ((all) and overall keep their p); significant when
  delta_p_adj < 0.05;
- weak: sat_pct < 90, or significantly below the group's (all) rate (the
  same z test);
- trend: scipy.stats.linregress of the weighted sat_pct on the quarter's
  position;
- coverage over a half or a year: the mean over its quarters with
  questionnaires of 100 questionnaires / households.

The fixture (three offices, one with 12 questionnaires in a quarter,
missing answers, an abc3 and a likert5 dimension and an overall question)
is generated here with a fixed seed.  Run from the repository root with
/usr/bin/python3:
    /usr/bin/python3 tests/reference/pool_reference.py
It rewrites the fixture of tests/cli/survey-score/079-pool-reference and
tests/reference/pool-*.csv; review, then commit.
"""
import csv
import math
import os
import random

import numpy as np
import pandas as pd
from scipy import stats

REF = os.path.join("tests", "reference")
CASE = os.path.join("tests", "cli", "survey-score", "079-pool-reference")
Z = 1.959964
HOUSEHOLDS = {"甲管理处": 40, "乙管理处": 300, "丙管理处": 30}
# questionnaires per office and quarter (甲: 12 in 2026Q1)
PLAN = {("甲管理处", "2026-02-10"): 12, ("甲管理处", "2026-05-12"): 30,
        ("乙管理处", "2026-02-11"): 60, ("乙管理处", "2026-05-13"): 45,
        ("乙管理处", "2026-08-14"): 33,
        ("丙管理处", "2026-02-12"): 25, ("丙管理处", "2026-08-15"): 20}
# answer probabilities per office (best level first)
ABC = {"甲管理处": (0.3, 0.3, 0.4), "乙管理处": (0.7, 0.25, 0.05),
       "丙管理处": (0.5, 0.3, 0.2)}
LIK = {"甲管理处": (0.1, 0.3, 0.3, 0.2, 0.1),
       "乙管理处": (0.5, 0.3, 0.1, 0.05, 0.05),
       "丙管理处": (0.3, 0.3, 0.2, 0.1, 0.1)}
ABC_LABELS = ["满意", "较满意", "不满意"]
ABC_SCORE = {"满意": 100.0, "较满意": 50.0, "不满意": 0.0}
LIK_SCORE = {"5": 100.0, "4": 75.0, "3": 50.0, "2": 25.0, "1": 0.0}
ITEMS = [("保洁", "dimension"), ("安保", "dimension"), ("总体", "overall")]


def make_fixture():
    rng = random.Random(20261129)
    rows = []
    for (site, day), n in sorted(PLAN.items(), key=lambda kv: kv[0][1]):
        for _ in range(n):
            a = rng.choices(ABC_LABELS, ABC[site])[0]
            b = rng.choices(["5", "4", "3", "2", "1"], LIK[site])[0]
            o = rng.choices(ABC_LABELS, ABC[site])[0]
            if rng.random() < 0.08:
                a = ""
            if rng.random() < 0.08:
                b = "不适用"
            rows.append([len(rows) + 1, day, site, a, b, o])
    os.makedirs(CASE, exist_ok=True)
    with open(os.path.join(CASE, "survey.csv"), "w", newline="",
              encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["编号", "日期", "管理处", "保洁", "安保", "总体"])
        w.writerows(rows)
    with open(os.path.join(CASE, "codebook.csv"), "w", newline="",
              encoding="utf-8") as f:
        f.write("column,role,scale,label\n编号,id,,\n日期,date,,\n"
                "管理处,site,,\n保洁,dimension,abc3,\n"
                "安保,dimension,likert5,\n总体,overall,abc3,\n")
    with open(os.path.join(CASE, "households.csv"), "w", newline="",
              encoding="utf-8") as f:
        f.write("site,households\n")
        for s, h in HOUSEHOLDS.items():
            f.write("%s,%d\n" % (s, h))


def load():
    df = pd.read_csv(os.path.join(CASE, "survey.csv"), dtype=str,
                     keep_default_na=False)
    df["quarter"] = pd.to_datetime(df["日期"]).dt.to_period("Q").astype(str)
    long = []
    for _, r in df.iterrows():
        for col, role in ITEMS:
            v = r[col].strip()
            if v in ("", "不适用"):
                x = sat = None
            elif col == "安保":
                x, sat = LIK_SCORE[v], v in ("5", "4")
            else:
                x, sat = ABC_SCORE[v], v in ("满意", "较满意")
            long.append({"site": r["管理处"], "quarter": r["quarter"],
                         "id": r["编号"], "item": col, "role": role,
                         "x": x, "sat": sat})
    return df, pd.DataFrame(long)


def f2(x):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    s = "%.2f" % x
    return "0.00" if s == "-0.00" else s


def p4(p):
    return "" if p is None or math.isnan(p) else "%.4g" % p


def wilson(p, n):
    if not n > 0:
        return math.nan, math.nan
    c = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    h = Z / (1 + Z * Z / n) * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return (0.0 if p <= 0 else max(0.0, c - h),
            1.0 if p >= 1 else min(1.0, c + h))


def ztest(p1, n1, p2, n2):
    pool = (p1 * n1 + p2 * n2) / (n1 + n2)
    se = math.sqrt(pool * (1 - pool) * (1 / n1 + 1 / n2))
    if se == 0:
        return 1.0
    return 2 * stats.norm.sf(abs(p2 - p1) / se)


def newcombe(p1, n1, p2, n2):
    l1, u1 = wilson(p1, n1)
    l2, u2 = wilson(p2, n2)
    d = p2 - p1
    return (d - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2),
            d + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2))


def holm(ps):
    idx = [i for i, p in enumerate(ps) if not math.isnan(p)]
    order = sorted(idx, key=lambda i: ps[i])
    out = list(ps)
    run = 0.0
    for k, i in enumerate(order):
        run = max(run, min(1.0, (len(order) - k) * ps[i]))
        out[i] = run
    return out


def figures(ans, resp, mode):
    """Weighted figures of the answers ANS (one group, one item set)."""
    valid = ans[ans["x"].notna()].copy()
    r = {"n": len(valid), "missing": int(ans["x"].isna().sum())}
    if len(valid) == 0:
        return r
    ns = valid.groupby("site").size()
    if mode == "sites":
        w = valid["site"].map(lambda s: 1.0 / ns[s])
    elif mode == "households":
        w = valid["site"].map(lambda s: HOUSEHOLDS[s] / resp[s])
    else:
        w = pd.Series(1.0, index=valid.index)
    x = valid["x"].astype(float).to_numpy()
    w = w.to_numpy()
    sat = valid["sat"].astype(bool).to_numpy()
    r["neff"] = w.sum() ** 2 / (w * w).sum()
    r["p"] = (w * sat).sum() / w.sum()
    r["mean"] = np.average(x, weights=w)
    r["sd"] = r["lo"] = r["hi"] = math.nan
    if r["neff"] > 1:
        r["sd"] = math.sqrt(np.cov(x, aweights=w))
        h = stats.t.ppf(0.975, r["neff"] - 1) * r["sd"] / math.sqrt(r["neff"])
        r["lo"], r["hi"] = max(0.0, r["mean"] - h), min(100.0, r["mean"] + h)
    return r


def group_rows(df, long, q, mode):
    g = long[long["quarter"] == q]
    resp = df[df["quarter"] == q].groupby("管理处").size()
    sets = [("(all)", "dimension", g[g["role"] == "dimension"])]
    sets += [(c, role, g[g["item"] == c]) for c, role in ITEMS]
    out = [(name, role, figures(a, resp, mode), len(df[df["quarter"] == q]))
           for name, role, a in sets]
    return out


def table(df, long, mode):
    quarters = sorted(long["quarter"].unique())
    rows, prev = [], {}
    for q in quarters:
        grp = group_rows(df, long, q, mode)
        allr = grp[0][2]
        change = {}
        for name, role, r, resp in grp:
            if r["n"] and name in prev:
                pq, pr = prev[name]
                change[name] = (pq, pr, ztest(pr["p"], pr["neff"], r["p"],
                                              r["neff"]))
        fam = [name for name, role, r, _ in grp
               if role == "dimension" and name != "(all)" and name in change]
        adj = dict(zip(fam, holm([change[n][2] for n in fam])))
        for name, role, r, resp in grp:
            line = [q, name, role, resp, r["n"], r["missing"],
                    int(r["n"] < 30)]
            if r["n"]:
                lo, hi = wilson(r["p"], r["neff"])
                weak = 100 * r["p"] < 90
                if name != "(all)" and not weak:
                    pz = ztest(r["p"], r["neff"], allr["p"], allr["neff"])
                    weak = pz < 0.05 and r["p"] < allr["p"]
                line += [f2(r["neff"]), f2(100 * r["p"]), f2(100 * lo),
                         f2(100 * hi), f2(r["mean"]), f2(r["sd"]),
                         f2(r["lo"]), f2(r["hi"]), "", "", int(weak)]
            else:
                line += [""] * 11
            if name in change:
                pq, pr, p = change[name]
                lo, hi = newcombe(pr["p"], pr["neff"], r["p"], r["neff"])
                pa = adj.get(name, p)
                line += [pq, f2(100 * (r["p"] - pr["p"])), f2(100 * lo),
                         f2(100 * hi), p4(p), p4(pa), int(pa < 0.05)]
            else:
                line += [""] * 7
            rows.append(line)
            if r["n"]:
                prev[name] = (q, r)
    header = ["period", "item", "role", "responses", "n", "missing",
              "small_n", "n_eff", "sat_pct", "sat_ci_low", "sat_ci_high",
              "mean_score", "sd", "mean_ci_low", "mean_ci_high",
              "complaint_pct", "repeat_pct", "weak", "prev_period",
              "delta_pct", "delta_ci_low", "delta_ci_high", "delta_p",
              "delta_p_adj", "significant"]
    return header, rows


def trend(df, long, mode):
    """The trend of the weighted sat_pct over the quarters (linregress)."""
    quarters = sorted(long["quarter"].unique())
    per = [dict((name, r) for name, _, r, _ in group_rows(df, long, q, mode))
           for q in quarters]
    rows = []
    for name, role in [("(all)", "dimension")] + ITEMS:
        pts = [(q, 100 * g[name]["p"]) for q, g in zip(quarters, per)
               if g[name]["n"]]
        pos = [int(q[-1]) - int(pts[0][0][-1]) for q, _ in pts]
        fit = stats.linregress(pos, [y for _, y in pts])
        rows.append([name, role, len(pts), pts[0][0], pts[-1][0],
                     f2(pts[0][1]), f2(pts[-1][1]), f2(fit.slope),
                     p4(fit.pvalue)])
    return ["item", "role", "periods", "first_period", "last_period",
            "first_pct", "last_pct", "slope", "slope_p"], rows


def coverage(df, kind):
    """site,period,households,coverage_pct,coverage_low by half or year."""
    d = df.copy()
    d["q"] = pd.to_datetime(d["日期"]).dt.quarter
    d["y"] = pd.to_datetime(d["日期"]).dt.year
    if kind == "half":
        d["period"] = d["y"].astype(str) + "H" + ((d["q"] + 1) // 2).astype(str)
    else:
        d["period"] = d["y"].astype(str)
    per_q = d.groupby(["管理处", "period", "q"]).size().reset_index(name="r")
    rows = []
    for (site, per), g in per_q.groupby(["管理处", "period"], sort=True):
        cov = (100.0 * g["r"] / HOUSEHOLDS[site]).mean()
        rows.append([site, per, HOUSEHOLDS[site], f2(cov), int(cov < 70)])
    return ["site", "period", "households", "coverage_pct",
            "coverage_low"], rows


def write(name, result):
    header, rows = result
    with open(os.path.join(REF, name), "w", newline="",
              encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main():
    make_fixture()
    df, long = load()
    for mode in ("respondents", "sites", "households"):
        write("pool-%s.csv" % mode, table(df, long, mode))
        write("pool-%s-trend.csv" % mode, trend(df, long, mode))
    write("coverage-year.csv", coverage(df, "year"))
    write("coverage-half.csv", coverage(df, "half"))


if __name__ == "__main__":
    main()
