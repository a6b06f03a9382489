#!/usr/bin/python3
"""score_reference.py - reference values for survey-score, computed
independently of libsurvey.

It reads the RAW questionnaire CSVs and their codebooks with its own logic
(pandas.read_csv, its own label -> level/score/satisfied mapping written from
the scale table of README.md "The codebook", its own no-answer tokens and
date forms) and computes the figures of PRODUCT.md section 4 with numpy and
scipy:

  n, missing, responses       pandas counting
  sat_pct, Wilson interval    closed form (Wilson 1927, z = 1.959964),
                              cross-checked with scipy.stats.binomtest
  mean_score, sd, t interval  numpy (ddof = 1), scipy.stats.t.interval
  (all)                       every dimension answer of the group pooled
                              (0-100 scores for the mean, satisfied flags
                              for the rate)
  complaint_pct, repeat_pct   yes / answered, repeat yes / complaint yes
  weak                        sat_pct < target, or p < 0.05 and below (all)
                              by the pooled two-proportion z test
  coverage                    100 * responses / households, low below 70
  small_n                     n < 30
  mean_ci_low, mean_ci_high   clipped to [0, 100] (scores live there)
  delta_pct, delta_p          change against the latest earlier period with
                              answers; p from scipy.stats.chi2_contingency
                              (correction=False) of the 2 x 2 table, which
                              equals the pooled two-proportion z test
                              (chi2 = z^2; cross-checked with norm.sf)
  delta_ci_low, delta_ci_high statsmodels confint_proportions_2indep
                              (method "newcomb": Newcombe's method 10)
  delta_p_adj, significant    statsmodels multipletests ("holm") over the
                              dimension items of the same group and period;
                              (all), overall and yes/no items keep their
                              own p; significant = delta_p_adj < 0.05
  slope, slope_p              scipy.stats.linregress of the rate on the
                              period's calendar position (ordinal minus the
                              first period's), periods with answers only,
                              so a missing period leaves a gap
  chi2, df, chi2_p            scipy.stats.chi2_contingency(correction=False)
                              of satisfied vs not across the sites with
                              answers

Figures are formatted like the tools print them: percentages and means with
2 decimals ("-0.00" printed as "0.00"), chi2 with 4 decimals, p-values with
"%.4g", an undefined figure as an empty cell.  Documented rules that are
not a matter of computation are applied explicitly and marked "rule":
Wilson bounds exactly 0 / 100 at x = 0 / x = n; delta_p = 1 when both
proportions are 0 % or both 100 %; two periods give the line through
them (slope_p empty); slope_p empty for a perfectly flat series (survey.h,
sv_ols_trend).

Run from the repository root; it rewrites tests/reference/score_*.csv
(the expected outputs compared by the golden cases in
tests/cli/survey-score/).  Review the diff, then commit:

    /usr/bin/python3 tests/reference/score_reference.py
"""

import csv
import io
import math
import os
import re
import sys

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep

Z = 1.959964          # PRODUCT.md 4 (not norm.ppf(0.975))
REF = os.path.join("tests", "reference")
FIX = os.path.join(REF, "score_fixtures")
SAMPLES = "data-samples"

# --------------------------------------------------------------------------
# Answers: normalisation, no-answer tokens, scales (README.md "The codebook")
# --------------------------------------------------------------------------

NO_ANSWER = {"", "n/a", "na", "-", "--", "\u2014", "\u2014\u2014", "不适用",
             "未回答", "未作答", "(跳过)", "(空)"}


def normalise(s):
    """Trim (ASCII and ideographic spaces), full-width -> half-width,
    lower-case ASCII."""
    s = s.strip(" \t\r\n\u3000")
    s = "".join(chr(ord(ch) - 0xFEE0) if 0xFF01 <= ord(ch) <= 0xFF5E else ch
                for ch in s)
    s = s.strip(" \t\r\n")
    return "".join(ch.lower() if "A" <= ch <= "Z" else ch for ch in s)


class Scale:
    """Levels best first: (canonical label, spellings, score); TOP best
    levels are satisfied.  Codes: ordinal 1..k, yesno 1/0."""

    def __init__(self, name, kind, levels, top=0):
        self.name, self.kind, self.top = name, kind, top
        self.levels = levels
        self.lookup = {}
        for i, (label, spellings, score) in enumerate(levels):
            code = i + 1 if kind == "ordinal" else (1 if i == 0 else 0)
            for sp in [label] + spellings:
                self.lookup[normalise(sp)] = (code, score,
                                              kind == "ordinal" and i < top)

    def answer(self, raw):
        """(code, score, sat) or None for no answer."""
        key = normalise(raw)
        if key in NO_ANSWER:
            return None
        if key not in self.lookup:
            raise ValueError("unknown answer %r for scale %s" % (raw,
                                                                 self.name))
        return self.lookup[key]


def ordinal(name, labels, top, scores=None):
    k = len(labels)
    if scores is None:
        scores = [None] * k
    levels = []
    for i, (spellings, score) in enumerate(zip(labels, scores)):
        if score is None:
            score = (k - 1 - i) / (k - 1) * 100.0   # best = 100, worst = 0
        levels.append((spellings[0], spellings[1:], score))
    return Scale(name, "ordinal", levels, top)


ABC3 = ordinal("abc3", [["满意", "A", "satisfied"],
                        ["较满意", "比较满意", "B", "fairly satisfied"],
                        ["不满意", "C", "dissatisfied", "unsatisfied",
                         "not satisfied"]], 2)
LIKERT5 = ordinal("likert5", [["非常满意", "很满意", "5", "very satisfied"],
                              ["满意", "4", "satisfied"],
                              ["一般", "3", "neutral"],
                              ["不满意", "2", "dissatisfied"],
                              ["非常不满意", "很不满意", "1",
                               "very dissatisfied"]], 2)
YESNO = Scale("yesno", "yesno",
              [("是", ["有", "yes", "y", "true", "1"], 100.0),
               ("否", ["无", "没有", "no", "n", "false", "0"], 0.0)])


def custom_scale(spec):
    """levels=很好/非常好:100|好:80|一般:60|差:0;top=2"""
    parts = dict(p.split("=", 1) for p in spec.split(";"))
    labels, scores = [], []
    for lv in parts["levels"].split("|"):
        names, _, score = lv.partition(":")
        labels.append(names.split("/"))
        scores.append(float(score) if score else None)
    top = int(parts["top"]) if "top" in parts else len(labels) // 2
    return ordinal("custom", labels, top, scores)


def scale_of(spec):
    if spec == "abc3":
        return ABC3
    if spec == "likert5":
        return LIKERT5
    if spec == "yesno":
        return YESNO
    if spec.startswith("levels="):
        return custom_scale(spec)
    return None      # nps11: not scored by survey-score


RATED = ("dimension", "overall", "complaint", "repeat_complaint")
DEFAULT_SCALE = {"complaint": "yesno", "repeat_complaint": "yesno"}

# --------------------------------------------------------------------------
# Reading raw files
# --------------------------------------------------------------------------

DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def period_key(date, kind):
    m = DATE.match(date)
    if not m:
        raise ValueError("bad date %r" % date)
    y, mo = int(m.group(1)), int(m.group(2))
    return {"month": "%04d-%02d" % (y, mo),
            "quarter": "%04dQ%d" % (y, (mo - 1) // 3 + 1),
            "half": "%04dH%d" % (y, (mo - 1) // 6 + 1),
            "year": "%04d" % y}[kind]


def period_ordinal(key):
    m = re.fullmatch(r"(\d{4})(?:-(\d\d)|Q(\d)|H(\d))?", key)
    y = int(m.group(1))
    if m.group(2):
        return y * 12 + int(m.group(2)) - 1
    if m.group(3):
        return y * 4 + int(m.group(3)) - 1
    if m.group(4):
        return y * 2 + int(m.group(4)) - 1
    return y


def read_text(path):
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")
    return text.lstrip("\ufeff")


def read_codebook(path):
    cb = pd.read_csv(path, dtype=str, keep_default_na=False)
    entries = []
    for _, e in cb.iterrows():
        label = e["label"] or e["column"]
        spec = e["scale"] or DEFAULT_SCALE.get(e["role"], "")
        entries.append({"column": e["column"], "role": e["role"],
                        "label": label, "scale": scale_of(spec)})
    return entries


def read_raw(codebook, path, period):
    """Returns (responses, answers): one row per questionnaire with its key
    values, and one row per questionnaire x rated item."""
    entries = read_codebook(codebook)
    text = read_text(path)
    header = text.split("\n", 1)[0]
    sep = max([",", "\t", ";"], key=header.count)
    df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str,
                     keep_default_na=False)
    resp, ans = [], []
    for idx, row in df.iterrows():
        r = {"_id": "%s#%d" % (path, idx)}
        for e in entries:
            if e["role"] == "site":
                r["site"] = row[e["column"]].strip()
            elif e["role"] == "group":
                r[e["label"]] = row[e["column"]].strip()
            elif e["role"] == "date":
                r["period"] = period_key(row[e["column"]], period)
        resp.append(r)
        for e in entries:
            if e["role"] not in RATED:
                continue
            a = e["scale"].answer(row[e["column"]])
            ans.append(dict(r, item=e["label"], role=e["role"],
                            code=None if a is None else a[0],
                            score=None if a is None else a[1],
                            sat=None if a is None else a[2]))
    items = [(e["label"], e["role"]) for e in entries if e["role"] in RATED]
    return pd.DataFrame(resp), pd.DataFrame(ans), items


def load(inputs, period):
    resp, ans, items = [], [], []
    for codebook, path in inputs:
        r, a, it = read_raw(codebook, path, period)
        resp.append(r)
        ans.append(a)
        items += [i for i in it if i not in items]
    return pd.concat(resp, ignore_index=True), pd.concat(ans,
                                                         ignore_index=True), items

# --------------------------------------------------------------------------
# Statistics
# --------------------------------------------------------------------------


def wilson(x, n):
    if n == 0:
        return math.nan, math.nan
    p = x / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z / (1 + Z * Z / n) * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    lo, hi = max(0.0, centre - half), min(1.0, centre + half)
    ci = stats.binomtest(x, n).proportion_ci(0.95, method="wilson")
    assert abs(ci.low - lo) < 1e-6 and abs(ci.high - hi) < 1e-6
    if x == 0:
        lo = 0.0          # rule: exact bounds
    if x == n:
        hi = 1.0
    return 100 * lo, 100 * hi


def moments(scores):
    v = np.asarray(scores, dtype=float)
    if len(v) == 0:
        return (math.nan,) * 4
    mean = float(np.mean(v))
    if len(v) < 2:
        return mean, math.nan, math.nan, math.nan
    sd = float(np.std(v, ddof=1))
    half = stats.t.ppf(0.975, len(v) - 1) * sd / math.sqrt(len(v))
    if sd > 0:      # t.interval needs scale > 0; sd = 0 gives mean +- 0
        lo, hi = stats.t.interval(0.95, len(v) - 1, loc=mean,
                                  scale=sd / math.sqrt(len(v)))
        assert abs(lo - (mean - half)) < 1e-9 and abs(hi - (mean + half)) < 1e-9
    return mean, sd, float(mean - half), float(mean + half)


def two_prop_p(x1, n1, x2, n2):
    if n1 == 0 or n2 == 0:
        return math.nan
    if x1 + x2 == 0 or x1 + x2 == n1 + n2:
        return 1.0        # rule: no difference to test
    res = stats.chi2_contingency([[x1, n1 - x1], [x2, n2 - x2]],
                                 correction=False)
    pool = (x1 + x2) / (n1 + n2)
    z = (x2 / n2 - x1 / n1) / math.sqrt(pool * (1 - pool) * (1 / n1 + 1 / n2))
    assert abs(2 * stats.norm.sf(abs(z)) - res[1]) <= 1e-9 * max(res[1], 1e-300) + 1e-15
    return float(res[1])


def newcombe(x1, n1, x2, n2):
    """Newcombe's hybrid score interval of x2/n2 - x1/n1, in points."""
    lo, hi = confint_proportions_2indep(x2, n2, x1, n1, method="newcomb",
                                        compare="diff")
    return 100 * lo, 100 * hi


def holm(ps):
    """Holm-adjusted p-values of the defined entries of PS (NaN stays)."""
    idx = [i for i, p in enumerate(ps) if not math.isnan(p)]
    out = list(ps)
    if idx:
        adj = multipletests([ps[i] for i in idx], method="holm")[1]
        for i, a in zip(idx, adj):
            out[i] = float(a)
    return out


def trend(y, x=None):
    if x is None:
        x = list(range(len(y)))
    if len(y) < 2:
        return math.nan, math.nan
    if len(y) == 2:                   # rule: the line through two points
        return (y[1] - y[0]) / (x[1] - x[0]), math.nan
    if all(v == y[0] for v in y):
        return 0.0, math.nan          # rule: perfectly flat, no test
    r = stats.linregress(np.asarray(x, dtype=float), np.asarray(y))
    return float(r.slope), float(r.pvalue)


def chisq(sat, n):
    rows = [[s, k - s] for s, k in zip(sat, n) if k > 0]
    if len(rows) < 2:
        return math.nan, 0, math.nan
    tab = np.array(rows)
    if tab[:, 0].sum() == 0 or tab[:, 1].sum() == 0:
        return math.nan, 0, math.nan
    res = stats.chi2_contingency(tab, correction=False)
    return float(res[0]), int(res[2]), float(res[1])

# --------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------


def f2(x, d=2):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    if abs(x) < 0.5 * 10 ** -d:
        x = 0.0
    return "%.*f" % (d, x)


def fp(p):
    return "" if math.isnan(p) else "%.4g" % p


def fint(v):
    return "%d" % v


def pct(num, den):
    return 100.0 * num / den if den else math.nan

# --------------------------------------------------------------------------
# The tables
# --------------------------------------------------------------------------


class Scorer:
    def __init__(self, inputs, keys, period, target=90.0, households=None):
        self.keys = keys
        self.resp, self.ans, self.items = load(inputs, period)
        self.target = target
        self.households = None
        if households:
            h = pd.read_csv(households, dtype={"site": str})
            self.households = dict(zip(h["site"], h["households"]))
        gkeys = self.resp[keys].drop_duplicates().itertuples(index=False)
        self.groups = sorted((tuple(g) for g in gkeys), key=self.sort_key)
        self.has_dims = any(r == "dimension" for _, r in self.items)

    def sort_key(self, g):
        return tuple((period_ordinal(v), "") if k == "period" else (0, v)
                     for k, v in zip(self.keys, g))

    def select(self, frame, g):
        m = np.ones(len(frame), dtype=bool)
        for k, v in zip(self.keys, g):
            m &= (frame[k] == v).to_numpy()
        return frame[m]

    def answers(self, g, item):
        a = self.select(self.ans, g)
        if item is None:
            return a[a["role"] == "dimension"]
        return a[(a["item"] == item[0]) & (a["role"] == item[1])]

    def agg(self, g, item):
        a = self.answers(g, item)
        valid = a[a["code"].notna()]
        return {"n": len(valid), "missing": len(a) - len(valid),
                "asked": len(a) > 0,
                "sat": int(valid["sat"].astype(bool).sum()),
                "yes": int((valid["code"] == 1).sum()),
                "scores": valid["score"].astype(float).tolist()}

    def rate(self, g, item):
        """(numerator, denominator) of the row's headline rate."""
        role = "dimension" if item is None else item[1]
        a = self.agg(g, item)
        if not a["asked"]:
            return 0, 0
        if role == "complaint":
            return a["yes"], a["n"]
        if role == "repeat_complaint":
            yes = sum(self.agg(g, it)["yes"] for it in self.items
                      if it[1] == "complaint")
            return a["yes"], yes
        return a["sat"], a["n"]

    def responses(self, g):
        return len(self.select(self.resp, g))

    def others(self, g, skip):
        return tuple(v for k, v in zip(self.keys, g) if k != skip)

    def row(self, g, item, compare):
        role = "dimension" if item is None else item[1]
        a = self.agg(g, item)
        if not a["asked"]:
            return None
        out = dict(zip(self.keys, g))
        out.update(item="(all)" if item is None else item[0], role=role,
                   responses=fint(self.responses(g)), n=fint(a["n"]),
                   missing=fint(a["missing"]), small_n=fint(a["n"] < 30))
        num, den = self.rate(g, item)
        if role == "complaint":
            out["complaint_pct"] = f2(pct(num, den))
        elif role == "repeat_complaint":
            out["repeat_pct"] = f2(pct(num, den))
        else:
            lo, hi = wilson(a["sat"], a["n"])
            mean, sd, mlo, mhi = moments(a["scores"])
            out.update(sat_pct=f2(pct(a["sat"], a["n"])), sat_ci_low=f2(lo),
                       sat_ci_high=f2(hi), mean_score=f2(mean), sd=f2(sd),
                       mean_ci_low=f2(max(mlo, 0.0) if not math.isnan(mlo)
                                      else mlo),
                       mean_ci_high=f2(min(mhi, 100.0) if not math.isnan(mhi)
                                       else mhi))
            if a["n"]:
                out["weak"] = fint(self.weak(g, item, a))
        if self.households is not None:
            h = self.households.get(g[self.keys.index("site")])
            if h:
                cov = pct(self.responses(g), h)
                out.update(households=fint(h), coverage_pct=f2(cov),
                           coverage_low=fint(cov < 70))
        if compare:
            out.update(self.change(g, item))
        return out

    def weak(self, g, item, a):
        rate = pct(a["sat"], a["n"])
        if rate < self.target:
            return 1
        if item is None:
            return 0
        al = self.agg(g, None)
        p = two_prop_p(a["sat"], a["n"], al["sat"], al["n"])
        return int(p < 0.05 and rate < pct(al["sat"], al["n"]))

    def change(self, g, item):
        c = self.raw_change(g, item)
        if c is None:
            return {}
        prev, x1, n1, x2, n2, p = c
        padj = p
        if item is not None and item[1] == "dimension":
            fam = [it for it in self.items if it[1] == "dimension"]
            ps = [self.raw_change(g, it) for it in fam]
            ps = holm([math.nan if c is None else c[5] for c in ps])
            padj = ps[fam.index(item)]
        lo, hi = newcombe(x1, n1, x2, n2)
        return {"prev_period": prev,
                "delta_pct": f2(pct(x2, n2) - pct(x1, n1)),
                "delta_ci_low": f2(lo), "delta_ci_high": f2(hi),
                "delta_p": fp(p), "delta_p_adj": fp(padj),
                "significant": fint(padj < 0.05)}

    def raw_change(self, g, item):
        pi = self.keys.index("period")
        mine = self.others(g, "period")
        prev = [h for h in self.groups if self.others(h, "period") == mine
                and period_ordinal(h[pi]) < period_ordinal(g[pi])
                and self.rate(h, item)[1] > 0]
        x2, n2 = self.rate(g, item)
        if not prev or n2 == 0:
            return None
        h = max(prev, key=lambda h: period_ordinal(h[pi]))
        x1, n1 = self.rate(h, item)
        return h[pi], x1, n1, x2, n2, two_prop_p(x1, n1, x2, n2)

    def item_list(self, roles=RATED):
        return ([None] if self.has_dims else []) + \
            [it for it in self.items if it[1] in roles]

    def first_of_each(self, skip):
        seen, out = set(), []
        for g in self.groups:
            o = self.others(g, skip)
            if o not in seen:
                seen.add(o)
                out.append(g)
        return out

    def sites_rows(self):
        rows = []
        for g0 in self.first_of_each("site"):
            mine = self.others(g0, "site")
            peers = [h for h in self.groups if self.others(h, "site") == mine]
            for item in self.item_list(("dimension", "overall")):
                rates = [self.rate(h, item) for h in peers]
                chi2, df, p = chisq([r[0] for r in rates],
                                    [r[1] for r in rates])
                out = dict(zip(self.keys, g0))
                out.update(site="(sites)",
                           item="(all)" if item is None else item[0],
                           role="dimension" if item is None else item[1],
                           chi2=f2(chi2, 4), df=fint(df) if df else "",
                           chi2_p=fp(p))
                rows.append(out)
        return rows

    def score_table(self, compare=False, sites=False):
        cols = self.keys + ["item", "role", "responses", "n", "missing",
                            "small_n", "sat_pct", "sat_ci_low", "sat_ci_high",
                            "mean_score", "sd", "mean_ci_low", "mean_ci_high",
                            "complaint_pct", "repeat_pct", "weak"]
        if self.households is not None:
            cols += ["households", "coverage_pct", "coverage_low"]
        if compare:
            cols += ["prev_period", "delta_pct", "delta_ci_low",
                     "delta_ci_high", "delta_p", "delta_p_adj", "significant"]
        if sites:
            cols += ["chi2", "df", "chi2_p"]
        rows = []
        for g in self.groups:
            for item in self.item_list():
                r = self.row(g, item, compare)
                if r:
                    rows.append(r)
        if sites:
            rows += self.sites_rows()
        return cols, rows

    def trend_table(self):
        pi = self.keys.index("period")
        keys = [k for k in self.keys if k != "period"]
        cols = keys + ["item", "role", "periods", "first_period",
                       "last_period", "first_pct", "last_pct", "slope",
                       "slope_p"]
        rows = []
        for g0 in self.first_of_each("period"):
            mine = self.others(g0, "period")
            series = [h for h in self.groups
                      if self.others(h, "period") == mine]
            for item in self.item_list():
                pts = [(h[pi], pct(*self.rate(h, item))) for h in series
                       if self.rate(h, item)[1] > 0]
                if not pts:
                    continue
                slope, p = trend([v for _, v in pts],
                                 [period_ordinal(k) - period_ordinal(pts[0][0])
                                  for k, _ in pts])
                out = dict(zip(keys, mine))
                out.update(item="(all)" if item is None else item[0],
                           role="dimension" if item is None else item[1],
                           periods=fint(len(pts)), first_period=pts[0][0],
                           last_period=pts[-1][0], first_pct=f2(pts[0][1]),
                           last_pct=f2(pts[-1][1]), slope=f2(slope),
                           slope_p=fp(p))
                rows.append(out)
        return cols, rows


def write(name, table):
    cols, rows = table
    path = os.path.join(REF, name + ".csv")
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(cols)
        for r in rows:
            w.writerow([r.get(c, "") for c in cols])
    print("wrote %s (%d rows)" % (path, len(rows)))

# --------------------------------------------------------------------------
# The cases (each one is run by a golden case of the same name)
# --------------------------------------------------------------------------


def fx(name):
    return os.path.join(FIX, name)


FIXTURE = [(fx("codebook-a.csv"), fx("survey-a.csv")),
           (fx("codebook-b.csv"), fx("survey-b.csv"))]
SAMPLE = ([(os.path.join(SAMPLES, "codebook-8item.csv"),
            os.path.join(SAMPLES, "tianchengmeiya-2026Q%d.csv" % q))
           for q in range(1, 5)] +
          [(os.path.join(SAMPLES, "codebook-6item.csv"),
            os.path.join(SAMPLES, "cuihu-2026Q%d.csv" % q))
           for q in range(1, 5)] +
          [(os.path.join(SAMPLES, "codebook-wjx.csv"),
            os.path.join(SAMPLES, "jinguiyuan-wjx-2026Q%d.csv" % q))
           for q in range(1, 5)])


def main():
    fx_q = Scorer(FIXTURE, ["site", "period"], "quarter",
                  households=fx("households.csv"))
    write("score_fixture_site_quarter", fx_q.score_table(compare=True,
                                                         sites=True))
    write("score_fixture_trend", fx_q.trend_table())
    write("score_fixture_half",
          Scorer(FIXTURE, ["period"], "half").score_table(compare=True))
    write("score_fixture_building",
          Scorer(FIXTURE[:1], ["楼栋", "period"], "year",
                 target=75).score_table(sites=False))
    sm_q = Scorer(SAMPLE, ["site", "period"], "quarter",
                  households=os.path.join(SAMPLES, "households.csv"))
    write("score_samples_site_quarter", sm_q.score_table(compare=True,
                                                         sites=True))
    write("score_samples_trend", sm_q.trend_table())
    write("score_samples_quarter",
          Scorer(SAMPLE, ["period"], "quarter").score_table())
    write("score_samples_site",
          Scorer(SAMPLE, ["site"], "quarter").score_table())


if __name__ == "__main__":
    sys.exit(main())
