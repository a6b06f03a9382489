#!/usr/bin/python3
"""complaints_reference.py - expected values for survey-complaints, computed
independently with pandas from the RAW complaint registers (not from our
stream, not with our code).

Definitions (PRODUCT.md 4 and 4.1, README "survey-complaints"):
- a complaint is a repeat when an earlier complaint of the same site,
  household and category was received at most W days (W x 24 h) before
  it; equal received times: the one later in the input is the repeat;
  --history complaints are looked back on but not counted;
- resolution_pct = 100 closed / complaints ("closed": a closed time);
- timely_pct = 100 (closed within the deadline, inclusive) / closed;
  deadline: urgent -> "urgent" entry (default 0.5 h), otherwise the
  category's entry, else "normal" (default 24 h);
- median_hours_to_close over the closed complaints;
- complaints_per_100 = 100 complaints / households of the site;
- change: previous = latest earlier period of the same group with
  complaints; pooled two-proportion z test, p = 1 when the pooled
  proportion is 0 or 1 (documented rule);
- trend: OLS slope of the rate on the period index (periods where the
  rate is defined), p from scipy.stats.linregress; two periods give their
  difference as the slope and an empty p, one period empty cells; a
  perfect fit gives p = 0 (documented rule).

Run from the repository root with /usr/bin/python3 (pandas, scipy):
    /usr/bin/python3 tests/reference/complaints_reference.py
It rewrites tests/reference/complaints-*.csv; review, then commit.
complaints-copies*.csv: a register holding some complaints twice (issue
16), with the exact duplicate rows dropped by pandas.
The golden tests diff the tools' output with these files, and tests/unit/test_complaints.c
compares the library's tables with them value by value.
"""
import csv
import math
import os

import pandas as pd
from scipy import stats

REF = os.path.join("tests", "reference")
EDGE = os.path.join("tests", "cli", "survey-complaints", "001-reference-edge")
SAMPLES = "data-samples"

# raw column names of the two register layouts (fixture, data-samples)
COLUMNS = {"受理时间": "received", "完成时间": "closed", "房号": "household",
           "管理处": "site", "投诉类别": "category", "是否紧急": "urgent",
           "受理方式": "受理方式"}
YES = {"是", "有", "yes", "y", "true", "1"}
NO = {"否", "无", "没有", "no", "n", "false", "0"}


def read_raw(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False,
                       encoding="utf-8-sig")


def load(path):
    return prepare_raw(read_raw(path))


def prepare_raw(df):
    df = df.rename(columns=COLUMNS)
    df["received"] = pd.to_datetime(df["received"])
    df["closed"] = pd.to_datetime(df["closed"].replace("", None))

    def urgency(v):
        v = v.strip().lower()
        return True if v in YES else False if v in NO else None
    df["urgent"] = df["urgent"].map(urgency)
    return df


def mark_repeats(main, history, window_days):
    allc = pd.concat([history.assign(src=0), main.assign(src=1)],
                     ignore_index=True)
    allc["order"] = range(len(allc))
    allc = allc.sort_values(["site", "household", "category", "received",
                             "order"])
    gap = allc.groupby(["site", "household", "category"])["received"].diff()
    allc["repeat"] = gap.notna() & (gap <= pd.Timedelta(days=window_days))
    allc = allc[allc["src"] == 1].sort_values("order")
    return allc["repeat"].to_numpy()


def deadline_hours(row, deadlines):
    if row["urgent"] is True:
        return deadlines.get("urgent", 0.5)
    if row["category"] in deadlines:
        return deadlines[row["category"]]
    return deadlines.get("normal", 24.0)


def f2(x):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    s = "%.2f" % x
    return "0.00" if s == "-0.00" else s


def p4(p):
    return "" if p is None or math.isnan(p) else "%.4g" % p


def two_prop_p(x1, n1, x2, n2):
    pool = (x1 + x2) / (n1 + n2)
    if pool <= 0 or pool >= 1:
        return 1.0
    z = (x2 / n2 - x1 / n1) / math.sqrt(pool * (1 - pool) * (1 / n1 + 1 / n2))
    return math.erfc(abs(z) / math.sqrt(2))


def prepare(main, history, window, deadlines, period):
    df = main.copy()
    df["repeat"] = mark_repeats(main, history, window)
    df["hours"] = (df["closed"] - df["received"]).dt.total_seconds() / 3600
    df["is_closed"] = df["closed"].notna()
    limit = df.apply(lambda r: deadline_hours(r, deadlines), axis=1)
    df["timely"] = df["is_closed"] & (df["hours"] <= limit)
    freq = {"quarter": "Q", "month": "M", "half": None, "year": "Y"}[period]
    if period == "half":
        df["period"] = (df["received"].dt.year.astype(str) + "H" +
                        ((df["received"].dt.month > 6) + 1).astype(str))
    elif period == "month":
        df["period"] = df["received"].dt.strftime("%Y-%m")
    else:
        df["period"] = df["received"].dt.to_period(freq).astype(str)
    return df


RATES = [("repeat", "repeat", "n"), ("resolution", "is_closed", "n"),
         ("timely", "timely", "is_closed")]


def summary(df, keys):
    rows = []
    for key, g in df.groupby(keys if len(keys) > 1 else keys[0], sort=True):
        key = key if isinstance(key, tuple) else (key,)
        closed = g[g["is_closed"]]
        rows.append(dict(zip(keys, key), n=len(g), repeat=int(g["repeat"].sum()),
                         is_closed=len(closed), timely=int(g["timely"].sum()),
                         median=closed["hours"].median() if len(closed) else None))
    return rows


def table(main, history, keys, period="quarter", window=90, deadlines=None,
          households=None, compare=False):
    df = prepare(main, history, window, deadlines or {}, period)
    rows = summary(df, keys)
    out = []
    for r in rows:
        n, c = r["n"], r["is_closed"]
        line = [r[k] for k in keys] + [
            n, r["repeat"], f2(100 * r["repeat"] / n), c, n - c,
            f2(100 * c / n), r["timely"],
            f2(100 * r["timely"] / c) if c else "", f2(r["median"])]
        if households is not None:
            h = households[r["site"]]
            line += [h, f2(100 * n / h)]
        if compare:
            line += change(rows, r, keys)
        out.append(line)
    header = keys + ["complaints", "repeats", "repeat_pct", "closed", "open",
                     "resolution_pct", "timely", "timely_pct",
                     "median_hours_to_close"]
    if households is not None:
        header += ["households", "complaints_per_100"]
    if compare:
        header += ["prev_period", "delta_repeat_pct", "delta_repeat_p",
                   "delta_resolution_pct", "delta_resolution_p",
                   "delta_timely_pct", "delta_timely_p"]
    return header, out


def change(rows, r, keys):
    others = [k for k in keys if k != "period"]
    earlier = [q for q in rows if all(q[k] == r[k] for k in others)
               and q["period"] < r["period"] and q["n"] > 0]
    if not earlier:
        return [""] * 7
    q = max(earlier, key=lambda q: q["period"])
    cells = [q["period"]]
    for _, num, den in RATES:
        x1, n1, x2, n2 = q[num], q[den], r[num], r[den]
        if n1 == 0 or n2 == 0:
            cells += ["", ""]
            continue
        cells += [f2(100 * x2 / n2 - 100 * x1 / n1), p4(two_prop_p(x1, n1, x2, n2))]
    return cells


def trend(main, history, keys, period="quarter", window=90, deadlines=None):
    df = prepare(main, history, window, deadlines or {}, period)
    rows = summary(df, keys + ["period"])
    out = []
    for key, _ in df.groupby(keys if len(keys) > 1 else keys[0], sort=True):
        key = key if isinstance(key, tuple) else (key,)
        mine = [q for q in rows if tuple(q[k] for k in keys) == key]
        for name, num, den in RATES:
            pts = [(q["period"], 100 * q[num] / q[den]) for q in mine if q[den]]
            if not pts:
                continue
            y = [v for _, v in pts]
            slope = p = None
            if len(y) == 2:            # rule: the line through two points
                slope = y[1] - y[0]
            if len(y) >= 3:
                fit = stats.linregress(range(len(y)), y)
                slope = fit.slope
                resid = sum((y[i] - fit.intercept - slope * i) ** 2
                            for i in range(len(y)))
                p = fit.pvalue if resid > 1e-18 else (0.0 if abs(slope) > 1e-12
                                                       else float("nan"))
            out.append(list(key) + [name + "_pct", len(y), pts[0][0], pts[-1][0],
                                    f2(y[0]), f2(y[-1]),
                                    f2(slope if slope is not None else float("nan")),
                                    p4(p if p is not None else float("nan"))])
    header = keys + ["measure", "periods", "first_period", "last_period",
                     "first_pct", "last_pct", "slope", "slope_p"]
    return header, out


def write(name, result):
    header, rows = result
    with open(os.path.join(REF, name), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main():
    edge = load(os.path.join(EDGE, "register.csv"))
    hist = load(os.path.join(EDGE, "history.csv"))
    none = hist.iloc[0:0]
    write("complaints-edge-compare.csv",
          table(edge, hist, ["site", "period"], compare=True))
    write("complaints-edge-no-history.csv", table(edge, none, ["site"]))
    write("complaints-edge-trend.csv", trend(edge, hist, ["site"]))
    write("complaints-edge-deadlines.csv",
          table(edge, hist, ["category"], window=60,
                deadlines={"维修": 48.0, "urgent": 1.0, "normal": 12.0}))
    reg = load(os.path.join(SAMPLES, "complaints-2026.csv"))
    hh = pd.read_csv(os.path.join(SAMPLES, "households.csv"))
    hh = dict(zip(hh["site"], hh["households"]))
    write("complaints-samples-quarter.csv",
          table(reg, none, ["site", "period"], households=hh, compare=True))
    write("complaints-samples-trend.csv", trend(reg, none, ["site"]))
    write("complaints-samples-category.csv",
          table(reg, none, ["category", "period"], period="year"))
    # issue 16: the sample register with every 7th complaint (raw lines 2,
    # 9, 16, ...) appended again, as two overlapping exports read together;
    # pandas drops the exact duplicate rows, and the tool must count each
    # complaint once and say how many copies it dropped
    raw = read_raw(os.path.join(SAMPLES, "complaints-2026.csv"))
    doubled = pd.concat([raw, raw.iloc[::7]], ignore_index=True)
    with open(os.path.join(REF, "complaints-copies-count.csv"), "w",
              encoding="utf-8") as f:
        f.write("copies\n%d\n" % int(doubled.duplicated().sum()))
    write("complaints-copies.csv",
          table(prepare_raw(doubled.drop_duplicates()), none,
                ["site", "period"], households=hh, compare=True))


if __name__ == "__main__":
    main()
