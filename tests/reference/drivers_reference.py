#!/usr/bin/python3
"""drivers_reference.py - reference values for survey-score --drivers,
computed independently of libsurvey.

The fixture (tests/reference/drivers_fixtures/) is raw questionnaires
with a known structure, written once by `--make-fixture` from a seeded
generator:

  overall.csv (codebook-overall.csv: four likert5 dimensions and an
  overall question, so the outcome is the overall score)
    东区管理处  60 questionnaires: 维修 drives the overall answer
                (strongly related), 保洁 weakly, 安保 not at all; some
                answers missing, so pairs differ from n and complete
                respondents (alpha_n) from both
    西区管理处  12 questionnaires; 绿化 is 非常满意 in every one (an
                item at 100 %: zero variance, importance empty)
    南区管理处  2 questionnaires (fewer than 3 pairs: importance empty)
  nooverall.csv (codebook-nooverall.csv: five abc3 dimensions, no
  overall question, so the outcome is the mean score of the respondent's
  other answered dimensions: corrected item-total)
    北区管理处  45 questionnaires with missing answers

This script reads the raw files with pandas and its own answer -> score
mapping (README.md "The codebook": likert5 100/75/50/25/0, abc3
100/50/0, the top two levels satisfied) and computes per site and
dimension item (PRODUCT.md 4 Drivers):

  pairs, importance, importance_p   scipy.stats.pearsonr over the
                                    respondents with the item and the
                                    outcome (empty below 3 pairs or with
                                    zero variance)
  sat_pct                           100 * satisfied / answered
  quadrant                          against the means of importance and
                                    sat_pct over the site's items that
                                    have an importance; ties are high
  alpha, alpha_n                    on the (all) row: k / (k - 1) *
                                    (1 - sum of item variances / variance
                                    of the total), pandas var (ddof = 1),
                                    over the respondents who answered
                                    every dimension item

Figures are printed as survey-score prints them: importance and alpha
with 4 decimals, p with "%.4g", sat_pct with 2 decimals, empty cells for
undefined figures.  Run from the repository root and review the diff:

    /usr/bin/python3 tests/reference/drivers_reference.py
"""

import csv
import math
import os
import random
import sys

import numpy as np
import pandas as pd
from scipy import stats

FIX = os.path.join("tests", "reference", "drivers_fixtures")
LIKERT5 = {"非常满意": 100.0, "满意": 75.0, "一般": 50.0, "不满意": 25.0,
           "非常不满意": 0.0}
ABC3 = {"满意": 100.0, "较满意": 50.0, "不满意": 0.0}
SAT = {"非常满意", "满意", "较满意"}


def f2(x, d=2):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    s = "%.*f" % (d, x)
    return s[1:] if s.startswith("-") and float(s) == 0 else s


def fp(p):
    return "" if p is None or math.isnan(p) else "%.4g" % p


# --------------------------------------------------------------------------
# The fixture (written once; committed)
# --------------------------------------------------------------------------

def level(rng, mean, labels):
    """A level near MEAN (0 = best .. len-1 = worst), clipped."""
    v = int(round(mean + rng.gauss(0, 0.7)))
    return labels[min(max(v, 0), len(labels) - 1)]


def make_fixture():
    rng = random.Random(14)
    lk = list(LIKERT5)
    with open(os.path.join(FIX, "codebook-overall.csv"), "w",
              encoding="utf-8") as f:
        f.write("column,role,scale,label\n日期,date,,\n管理处,site,,\n"
                "安保,dimension,likert5,\n保洁,dimension,likert5,\n"
                "绿化,dimension,likert5,\n维修,dimension,likert5,\n"
                "总体,overall,likert5,\n")
    rows = []
    for i in range(60):
        q = rng.choice([0, 1, 1, 2, 3])          # latent quality
        rows.append(["2026-0%d-1%d" % (i % 3 + 1, i % 10), "东区管理处",
                     level(rng, 1.2, lk),           # 安保: unrelated
                     level(rng, (q + 1.5) / 2, lk),  # 保洁: weak
                     level(rng, 0.8, lk),
                     level(rng, q, lk),              # 维修: strong
                     level(rng, q, lk)])
    for r in rows[::7]:
        r[2 + rng.randrange(5)] = ""                 # missing answers
    for i in range(12):
        rows.append(["2026-02-1%d" % (i % 10), "西区管理处",
                     level(rng, 1, lk), level(rng, 1, lk), "非常满意",
                     level(rng, 1.5, lk), level(rng, 1, lk)])
    rows.append(["2026-03-01", "南区管理处", "满意", "一般", "满意", "满意",
                 "满意"])
    rows.append(["2026-03-02", "南区管理处", "一般", "满意", "非常满意", "",
                 "一般"])
    with open(os.path.join(FIX, "overall.csv"), "w", newline="",
              encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["日期", "管理处", "安保", "保洁", "绿化", "维修", "总体"])
        w.writerows(rows)
    ab = list(ABC3)
    with open(os.path.join(FIX, "codebook-nooverall.csv"), "w",
              encoding="utf-8") as f:
        f.write("column,role,scale,label\n日期,date,,\n管理处,site,,\n" +
                "".join("%s,dimension,abc3,\n" % n
                        for n in ["门岗", "卫生", "设施", "停车", "接待"]))
    rows = []
    for i in range(45):
        q = rng.choice([0, 0, 1, 2])
        rows.append(["2026-01-%02d" % (i % 28 + 1), "北区管理处"] +
                    [level(rng, q * w_, ab) for w_ in (0.9, 0.6, 0.3, 1.0,
                                                       0.5)])
    for r in rows[::4]:
        r[2 + rng.randrange(5)] = ""
    with open(os.path.join(FIX, "nooverall.csv"), "w", newline="",
              encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["日期", "管理处", "门岗", "卫生", "设施", "停车", "接待"])
        w.writerows(rows)


# --------------------------------------------------------------------------
# The reference
# --------------------------------------------------------------------------

def drivers(path, dims, overall, scale):
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    out = []
    for site in sorted(raw["管理处"].unique()):
        d = raw[raw["管理处"] == site]
        score = {c: d[c].map(lambda v: scale.get(v, np.nan)) for c in dims}
        sat = {c: d[c].map(lambda v: np.nan if v == "" else float(v in SAT))
               for c in dims}
        if overall:
            y_all = d[overall].map(lambda v: scale.get(v, np.nan))
        items = []
        for c in dims:
            x = score[c]
            if overall:
                y = y_all
            else:   # mean of the other answered dimension items
                others = pd.concat([score[o] for o in dims if o != c], axis=1)
                y = others.mean(axis=1, skipna=True)
            ok = x.notna() & y.notna()
            xs, ys = x[ok].to_numpy(), y[ok].to_numpy()
            r = p = math.nan
            if len(xs) >= 3 and np.var(xs) > 0 and np.var(ys) > 0:
                r, p = stats.pearsonr(xs, ys)
            n = int(sat[c].notna().sum())
            pct = 100 * sat[c].sum() / n if n else math.nan
            items.append([c, n, len(xs), float(r), float(p), pct])
        rated = [it for it in items if not math.isnan(it[3])]
        mr = sum(it[3] for it in rated) / len(rated) if rated else math.nan
        ms = sum(it[5] for it in rated) / len(rated) if rated else math.nan
        comp = pd.concat([score[c] for c in dims], axis=1).dropna()
        alpha = math.nan
        if len(comp) >= 2 and comp.sum(axis=1).var(ddof=1) > 0:
            k = len(dims)
            alpha = k / (k - 1) * (1 - comp.var(ddof=1).sum() /
                                   comp.sum(axis=1).var(ddof=1))
        allsat = pd.concat([sat[c] for c in dims])
        nall = int(allsat.notna().sum())
        out.append([site, "(all)", "dimension", nall, "", "", "",
                    f2(100 * allsat.sum() / nall), "", f2(alpha, 4),
                    len(comp)])
        for c, n, pairs, r, p, pct in items:
            quad = ""
            if not math.isnan(r):
                hi_r, hi_s = r >= mr, pct >= ms
                quad = ("strength" if hi_s else "fix") if hi_r else \
                    ("maintain" if hi_s else "opportunity")
            out.append([site, c, "dimension", n, pairs, f2(r, 4), fp(p),
                        f2(pct), quad, "", ""])
    return out


HEADER = ["site", "item", "role", "n", "pairs", "importance", "importance_p",
          "sat_pct", "quadrant", "alpha", "alpha_n"]


def write(name, rows):
    path = os.path.join("tests", "reference", name)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(rows)
    print("wrote %s (%d rows)" % (path, len(rows)))


def main():
    if "--make-fixture" in sys.argv:
        make_fixture()
    write("drivers-overall.csv",
          drivers(os.path.join(FIX, "overall.csv"),
                  ["安保", "保洁", "绿化", "维修"], "总体", LIKERT5))
    write("drivers-nooverall.csv",
          drivers(os.path.join(FIX, "nooverall.csv"),
                  ["门岗", "卫生", "设施", "停车", "接待"], None, ABC3))


if __name__ == "__main__":
    sys.exit(main())
