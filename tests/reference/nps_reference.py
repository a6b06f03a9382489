#!/usr/bin/python3
"""nps_reference.py - expected values for survey-nps, computed independently
with pandas from the RAW questionnaire files (not from our stream, not with
our code).

Definitions (PRODUCT.md 4): promoters 9-10, passives 7-8, detractors 0-6;
nps = 100 (P - D); nps_se = 100 sqrt((P + D - (P - D)^2) / n); 95 %
interval nps -+ 1.959964 nps_se clamped to [-100, 100]; change: previous =
latest earlier period of the same group with answers, z = delta /
sqrt(se1^2 + se2^2), two-sided normal p (both se 0: p = 1 when equal, else
0; documented rule); delta_ci_low, delta_ci_high = delta -+ 1.959964
sqrt(se1^2 + se2^2) clamped to [-200, 200] (PRODUCT.md defines no NPS
change interval: the normal interval of the difference of two
independent estimates, docs/metrics.md); delta_p_adj = delta_p (an NPS item is no dimension
item, PRODUCT.md 4); significant when p < 0.05; small_n when n < 30;
trend: OLS slope of nps on the period index (periods with answers), p
from scipy.stats.linregress; two periods give their difference as the
slope and an empty p, one period empty cells.  No-answer cells (empty, N/A, NA, -, 不适用,
未回答, 未作答) count as missing.

Run from the repository root with /usr/bin/python3 (pandas, scipy):
    /usr/bin/python3 tests/reference/nps_reference.py
It rewrites tests/reference/nps-*.csv; review, then commit.
The golden tests diff the tools' output with these files, and tests/unit/test_nps.c
compares the library's tables with them value by value.
"""
import csv
import math
import os
import re

import pandas as pd
from scipy import stats

REF = os.path.join("tests", "reference")
EDGE = os.path.join("tests", "cli", "survey-nps", "001-reference-edge")
S = "data-samples"
Z95 = 1.959964
NO_ANSWER = {"", "n/a", "na", "-", "—", "不适用", "未回答", "未作答"}
WJX_NPS = "8、您向亲友推荐我们物业服务的可能性有多大?"


def parse_date(s):
    m = re.match(r"\s*(\d{4})\D+(\d{1,2})\D+(\d{1,2})", s)
    return pd.Timestamp(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def load(path, date_col, site_col, nps_col, encoding="utf-8-sig"):
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
    out = pd.DataFrame({"site": df[site_col]})
    out["date"] = df[date_col].map(parse_date)
    raw = df[nps_col].str.strip()
    out["answer"] = [None if v.lower() in NO_ANSWER else int(v) for v in raw]
    out["quarter"] = out["date"].dt.to_period("Q").astype(str)
    return out


def f2(x):
    if x is None or math.isnan(x):
        return ""
    s = "%.2f" % x
    return "0.00" if s == "-0.00" else s


def p4(p):
    return "" if p is None or math.isnan(p) else "%.4g" % p


def nps(answers):
    a = [int(v) for v in answers if pd.notna(v)]
    n = len(a)
    r = {"responses": len(answers), "n": n, "missing": len(answers) - n,
         "promoters": sum(v >= 9 for v in a),
         "passives": sum(7 <= v <= 8 for v in a),
         "detractors": sum(v <= 6 for v in a)}
    if n == 0:
        r.update(pp=math.nan, pa=math.nan, pd=math.nan, nps=math.nan,
                 se=math.nan, lo=math.nan, hi=math.nan)
        return r
    p, d = r["promoters"] / n, r["detractors"] / n
    score = 100 * (p - d)
    se = 100 * math.sqrt(max(p + d - (p - d) ** 2, 0) / n)
    r.update(pp=100 * p, pa=100 * r["passives"] / n, pd=100 * d, nps=score,
             se=se, lo=max(-100, score - Z95 * se),
             hi=min(100, score + Z95 * se))
    return r


def diff_p(a, b):
    se = math.sqrt(a["se"] ** 2 + b["se"] ** 2)
    if se == 0:
        return 1.0 if abs(a["nps"] - b["nps"]) < 1e-9 else 0.0
    return math.erfc(abs(b["nps"] - a["nps"]) / se / math.sqrt(2))


def groups(df):
    return [(site, q, nps(list(g["answer"])))
            for (site, q), g in df.groupby(["site", "quarter"], sort=True)]


def table(df):
    rows = groups(df)
    header = ["site", "period", "item", "responses", "n", "missing",
              "small_n", "promoters", "passives", "detractors", "promoters_pct",
              "passives_pct", "detractors_pct", "nps", "nps_se",
              "nps_ci_low", "nps_ci_high", "prev_period", "delta_nps",
              "delta_ci_low", "delta_ci_high", "delta_p", "delta_p_adj", "significant"]
    out = []
    for site, q, r in rows:
        line = [site, q, "推荐意愿", r["responses"], r["n"], r["missing"],
                int(r["n"] < 30), r["promoters"], r["passives"], r["detractors"], f2(r["pp"]),
                f2(r["pa"]), f2(r["pd"]), f2(r["nps"]), f2(r["se"]),
                f2(r["lo"]), f2(r["hi"])]
        prev = [(q2, r2) for s2, q2, r2 in rows
                if s2 == site and q2 < q and r2["n"] > 0]
        if prev and r["n"] > 0:
            q2, r2 = prev[-1]
            p = diff_p(r2, r)
            # one NPS item, no dimension family: delta_p_adj = delta_p
            d = r["nps"] - r2["nps"]
            h = Z95 * math.sqrt(r["se"] ** 2 + r2["se"] ** 2)
            line += [q2, f2(d), f2(max(-200, d - h)), f2(min(200, d + h)),
                     p4(p), p4(p), int(p < 0.05)]
        else:
            line += [""] * 7
        out.append(line)
    return header, out


def trend(df):
    header = ["site", "item", "periods", "first_period", "last_period",
              "first_nps", "last_nps", "slope", "slope_p"]
    out = []
    rows = groups(df)
    for site in sorted(set(s for s, _, _ in rows)):
        pts = [(q, r["nps"]) for s, q, r in rows if s == site and r["n"] > 0]
        y = [v for _, v in pts]
        slope = p = math.nan
        if len(y) == 2:                # rule: the line through two points
            slope = y[1] - y[0]
        if len(y) >= 3:
            fit = stats.linregress(range(len(y)), y)
            slope, p = fit.slope, fit.pvalue
        out.append([site, "推荐意愿", len(y), pts[0][0], pts[-1][0], f2(y[0]),
                    f2(y[-1]), f2(slope), p4(p)])
    return header, out


def write(name, result):
    header, rows = result
    with open(os.path.join(REF, name), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def samples():
    parts = []
    for q in range(1, 5):
        parts.append(load(os.path.join(S, "tianchengmeiya-2026Q%d.csv" % q),
                          "填表日期", "管理处", "推荐意愿"))
        parts.append(load(os.path.join(S, "cuihu-2026Q%d.csv" % q), "填表日期",
                          "管理处", "推荐意愿",
                          "gb18030" if q == 2 else "utf-8-sig"))
        parts.append(load(os.path.join(S, "jinguiyuan-wjx-2026Q%d.csv" % q),
                          "提交答卷时间", "所属项目", WJX_NPS))
    return pd.concat(parts, ignore_index=True)


def main():
    edge = load(os.path.join(EDGE, "survey.csv"), "日期", "管理处", "推荐")
    write("nps-edge-compare.csv", table(edge))
    write("nps-edge-trend.csv", trend(edge))
    df = samples()
    write("nps-samples-compare.csv", table(df))
    write("nps-samples-trend.csv", trend(df))


if __name__ == "__main__":
    main()
