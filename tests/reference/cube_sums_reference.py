#!/usr/bin/python3
"""cube_sums_reference.py - reference values for the multi-item sums of the
cube (survey-score --freq), computed independently of libsurvey.

It reads the RAW questionnaires with the reader of score_reference.py
(pandas, its own label -> score mapping and no-answer tokens) and computes,
per site x quarter and dimension item, with Python integers (exact):

  (pairs), (pair x), (pair y), (pair xx), (pair yy), (pair xy)
      over the respondents who answered the item and have an outcome y:
      the codebook's one `overall` item, else the mean of the respondent's
      other answered dimension items (README "The frequency cube");
  (complete), (complete x), (complete xx)
      over the respondents who answered every dimension item;
  and for item (total) the same three of those respondents' totals.

Scores are fixed point: x = round(score * 10^6); a mean of other items is
rounded to that unit, halves away from zero.  Output: site,period,item,
label,value sorted, compared by tests/cli/survey-score/030-cube-sums-
reference with the sum rows of the tools' cubes.  Run from the repository
root, review the diff, commit:

    /usr/bin/python3 tests/reference/cube_sums_reference.py
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from score_reference import read_raw  # noqa: E402

UNIT = 10 ** 6
SAMPLES = "data-samples"
SETS = [("codebook-8item.csv", "tianchengmeiya-2026Q%d.csv"),
        ("codebook-wjx.csv", "jinguiyuan-wjx-2026Q%d.csv")]


def div_round(num, den):
    q, r = divmod(abs(num), den)
    if 2 * r >= den:
        q += 1
    return q if num >= 0 else -q


def sums_of(codebook, paths):
    out = {}
    for path in paths:
        resp, ans, items = read_raw(codebook, path, "quarter")
        dims = [lab for lab, role in items if role == "dimension"]
        overall = [lab for lab, role in items if role == "overall"]
        for rid, a in ans.groupby("_id", sort=False):
            site, period = a["site"].iloc[0], a["period"].iloc[0]
            g = out.setdefault((site, period), {})
            x = {}
            y_over = None
            for _, r in a.iterrows():
                if r["score"] is None or r["score"] != r["score"]:
                    continue
                fx = round(r["score"] * UNIT)
                if r["role"] == "dimension":
                    x[r["item"]] = fx
                elif r["role"] == "overall" and len(overall) == 1:
                    y_over = fx
            total = sum(x.values())
            for item, xi in x.items():
                s = g.setdefault(item, dict.fromkeys(
                    ["(pairs)", "(pair x)", "(pair y)", "(pair xx)",
                     "(pair yy)", "(pair xy)", "(complete)", "(complete x)",
                     "(complete xx)"], 0))
                if len(overall) == 1:
                    y = y_over
                elif len(x) >= 2:
                    y = div_round(total - xi, len(x) - 1)
                else:
                    y = None
                if y is not None:
                    s["(pairs)"] += 1
                    s["(pair x)"] += xi
                    s["(pair y)"] += y
                    s["(pair xx)"] += xi * xi
                    s["(pair yy)"] += y * y
                    s["(pair xy)"] += xi * y
                if len(x) == len(dims):
                    s["(complete)"] += 1
                    s["(complete x)"] += xi
                    s["(complete xx)"] += xi * xi
            if dims and len(x) == len(dims):
                t = g.setdefault("(total)", {"(complete)": 0,
                                             "(complete x)": 0,
                                             "(complete xx)": 0})
                t["(complete)"] += 1
                t["(complete x)"] += total
                t["(complete xx)"] += total * total
    return out


def main():
    rows = []
    for codebook, pattern in SETS:
        cb = os.path.join(SAMPLES, codebook)
        paths = [os.path.join(SAMPLES, pattern % q) for q in (1, 2, 3, 4)]
        for (site, period), g in sums_of(cb, paths).items():
            for item, s in g.items():
                for label, v in s.items():
                    rows.append("%s,%s,%s,%s,%d" % (site, period, item,
                                                    label, v))
    out = os.path.join("tests", "reference", "cube_sums.csv")
    with open(out, "w", encoding="utf-8") as f:
        f.write("".join(r + "\n" for r in sorted(rows)))


if __name__ == "__main__":
    main()
