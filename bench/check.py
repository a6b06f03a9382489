#!/usr/bin/env python3
"""Correctness guard of `make bench`: every output agrees on every figure.

    python3 bench/check.py REFERENCE.csv OURS.csv... [--numeric PEER.csv --kind datamash|mlr]

REFERENCE is pandas_score.py's output (unrounded); each OURS is a
survey-score table (site,item,...,n,...,sat_pct,...,mean_score,...).
Rounded figures must equal the reference rounded the same way (2 decimals,
with a 1e-6 slack for ties).  Exits 1, naming the first disagreement.
"""
import csv
import sys

DIMS = ["保卫治安", "保洁卫生", "环境绿化", "车辆管理", "维修服务",
        "业主接待", "公共设施", "服务态度"]


def load_ref(path):
    ref = {}
    with open(path, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            ref[(r["site"], r["item"])] = (int(r["n"]), float(r["mean_score"]),
                                           float(r["sat_pct"]))
    return ref


def load_ours(path):
    got = {}
    with open(path, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["item"] in DIMS:
                got[(r["site"], r["item"])] = (int(r["n"]), float(r["mean_score"]),
                                               float(r["sat_pct"]))
    return got


def load_peer(path, kind):
    """datamash (no header: site, 8 counts, 8 means, 8 sat means) or mlr."""
    got = {}
    with open(path, encoding="utf-8") as f:
        rows = list(csv.reader(f))
    if kind == "mlr":
        head, rows = rows[0], rows[1:]
        for r in rows:
            v = dict(zip(head, r))
            for i, d in enumerate(DIMS, 1):
                got[(v["site"], d)] = (int(v["d%d_count" % i]), float(v["d%d_mean" % i]),
                                       100 * float(v["s%d_mean" % i]))
    else:
        for r in rows:
            for i, d in enumerate(DIMS):
                got[(r[0], d)] = (int(r[1 + i]), float(r[9 + i]), 100 * float(r[17 + i]))
    return got


def agree(ref, got, name, rounded):
    if set(ref) != set(got):
        sys.exit("bench: %s: groups differ from pandas (%d vs %d)" % (name, len(got), len(ref)))
    for k, (n, mean, sat) in ref.items():
        gn, gmean, gsat = got[k]
        tol = 0.005 + 1e-6 if rounded else 1e-6
        if gn != n or abs(gmean - mean) > tol or abs(gsat - sat) > tol:
            sys.exit("bench: %s disagrees with pandas at %s/%s: n %d vs %d, mean %.6f "
                     "vs %.6f, sat %.6f vs %.6f" % (name, k[0], k[1], gn, n, gmean,
                                                     mean, gsat, sat))
    print("bench: %s agrees with pandas on %d figures" % (name, 3 * len(ref)))


def main():
    args = sys.argv[1:]
    ref = load_ref(args[0])
    if "--numeric" in args:
        i = args.index("--numeric")
        agree(ref, load_peer(args[i + 1], args[i + 3]), args[i + 3], False)
        return
    for path in args[1:]:
        agree(ref, load_ours(path), path.rsplit("/", 1)[-1], True)


if __name__ == "__main__":
    main()
