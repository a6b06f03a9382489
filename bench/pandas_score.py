#!/usr/bin/env python3
"""pandas peer for `make bench`: per site, n, mean score and satisfaction
rate of every dimension of a generated raw file (bench/generate.py).

    python3 bench/pandas_score.py RAW.csv > out.csv

Output: site,item,n,mean_score,sat_pct (unrounded).
"""
import sys

import pandas as pd

DIMS = ["保卫治安", "保洁卫生", "环境绿化", "车辆管理", "维修服务",
        "业主接待", "公共设施", "服务态度"]
SCORE = {"满意": 100.0, "较满意": 50.0, "不满意": 0.0}


def main():
    df = pd.read_csv(sys.argv[1], usecols=["管理处"] + DIMS, dtype=str,
                     encoding="utf-8-sig")
    out = []
    for d in DIMS:
        s = df[d].str.strip().map(SCORE)
        g = pd.DataFrame({"site": df["管理处"], "score": s,
                          "sat": (s >= 50).where(s.notna())}).groupby("site")
        r = g.agg(n=("score", "count"), mean_score=("score", "mean"),
                  sat=("sat", "mean"))
        for site, row in r.iterrows():
            out.append((site, d, int(row.n), row.mean_score, 100 * row.sat))
    print("site,item,n,mean_score,sat_pct")
    for o in sorted(out):
        print("%s,%s,%d,%.10f,%.10f" % o)


if __name__ == "__main__":
    main()
