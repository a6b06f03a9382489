#!/usr/bin/env python3
"""Seeded generator of large questionnaire CSVs for `make bench`.

    python3 bench/generate.py ROWS OUT.csv [--codebook CB.csv] [--numeric NUM.csv]
                              [--seed N] [--quarter 2026Q3]
                              [--sites N] [--comments P]

Writes ROWS questionnaires of an 8-dimension paper form (abc3 answers in
Chinese: 满意 / 较满意 / 不满意, with blanks and the odd "N/A"), 20 sites,
dates spread over 2026 (or over one quarter with --quarter), unit numbers,
phone numbers (pii) and a free-text comment that is usually empty and
sometimes quoted because it holds commas, quotes or a newline.  Same seed,
same bytes.

--sites N names N offices office000000 ... (the many-groups measurements
of bench/notes.md) instead of the 20 real-looking ones; --comments P gives
a share P of the rows a comment, varied with a few random characters so
that the comments are not ten repeated texts.

--codebook writes the matching codebook; --numeric writes the numeric copy
the peers that cannot recode labels read (site, then score 100/50/0 and
satisfied 1/0 of every dimension, empty when unanswered).

Standard library only.
"""

import argparse
import random

SITES = [
    "天成美雅管理处", "翠湖花园服务中心", "金桂苑管理处", "碧水湾管理处",
    "锦绣华庭服务中心", "御景台管理处", "枫林苑管理处", "海棠湾服务中心",
    "紫荆花园管理处", "观澜府管理处", "银杏里服务中心", "云顶雅苑管理处",
    "星河湾管理处", "丽景园服务中心", "翰林苑管理处", "桃源居管理处",
    "东方明珠服务中心", "滨江一号管理处", "南山郡管理处", "凤凰城服务中心",
]
DIMS = ["保卫治安", "保洁卫生", "环境绿化", "车辆管理", "维修服务",
        "业主接待", "公共设施", "服务态度"]
LABELS = ["满意", "较满意", "不满意"]
SCORE = {"满意": "100", "较满意": "50", "不满意": "0"}
SAT = {"满意": "1", "较满意": "1", "不满意": "0"}
COMMENTS = [
    "电梯经常坏,希望尽快维修", "保安态度很好", "绿化修剪不及时,杂草多",
    "停车位太少,晚上\"一位难求\"", "希望增加快递柜", "垃圾清运不及时,有异味",
    "物业费偏高", "维修人员上门及时\n服务态度好", "小区路灯不亮", "无",
]
VARY = "东南西北楼门灯水电梯车位草树路墙窗管网费慢快脏吵漏坏修"
HEADER = ["序号", "填表日期", "管理处", "单元号", "电话"] + DIMS + ["意见和建议"]
QUARTER_START = {"1": (1, 1), "2": (4, 1), "3": (7, 1), "4": (10, 1)}
DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def quote(s):
    if any(ch in s for ch in ",\"\r\n"):
        return '"' + s.replace('"', '""') + '"'
    return s


def dates(quarter):
    """All dates of 2026, or of one quarter, as strings."""
    out = []
    for m in range(1, 13):
        if quarter and (m - 1) // 3 + 1 != int(quarter[-1]):
            continue
        out += ["2026-%02d-%02d" % (m, d) for d in range(1, DAYS[m - 1] + 1)]
    return out


def answer_table(rng):
    """1024 precomputed answers per site quality, drawn with blanks."""
    tables = []
    for q in range(20):
        good = 0.55 + 0.02 * (q % 10)
        w = [good, (1 - good) * 0.7, (1 - good) * 0.3 - 0.03, 0.03]
        tables.append(rng.choices(LABELS + [""], weights=w, k=4096))
    return tables


def write_codebook(path):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("column,role,scale,label\n")
        f.write("序号,ignore,,\n填表日期,date,,\n管理处,site,,\n单元号,id,,\n")
        f.write("电话,pii,,\n")
        for d in DIMS:
            f.write("%s,dimension,abc3,%s\n" % (d, d))
        f.write("意见和建议,comment,,\n")


def generate(args):
    rng = random.Random(args.seed)
    tables = answer_table(rng)
    days = dates(args.quarter)
    raw = open(args.out, "w", encoding="utf-8", newline="")
    num = open(args.numeric, "w", encoding="utf-8", newline="") if args.numeric else None
    raw.write(",".join(HEADER) + "\n")
    if num:
        num.write(",".join(["site"] + ["d%d" % i for i in range(1, 9)] +
                           ["s%d" % i for i in range(1, 9)]) + "\n")
    lines, nlines = [], []
    rnd = rng.random
    nsites = args.sites or len(SITES)
    names = SITES if not args.sites else None
    for r in range(1, args.rows + 1):
        s = int(rnd() * nsites)
        site = names[s] if names else "office%06d" % s
        t = tables[s % 20]
        base = int(rnd() * 4096)
        ans = [t[(base + 509 * k) & 4095] for k in range(8)]
        if rnd() < 0.01:
            ans[int(rnd() * 8)] = "N/A"
        c = COMMENTS[int(rnd() * len(COMMENTS))] if rnd() < args.comments else ""
        if c and args.comments != 0.08:
            c += "".join(VARY[int(rnd() * len(VARY))] for _ in range(4))
        unit = "%d-%d-%d%02d" % (1 + int(rnd() * 30), 1 + int(rnd() * 4),
                                 1 + int(rnd() * 33), 1 + int(rnd() * 4))
        phone = "1%010d" % int(rnd() * 1e10)
        lines.append("%d,%s,%s,%s,%s,%s,%s\n" % (
            r, days[int(rnd() * len(days))], site, unit, phone,
            ",".join(ans), quote(c)))
        if num:
            sc = [SCORE.get(a, "") for a in ans]
            sa = [SAT.get(a, "") for a in ans]
            nlines.append(site + "," + ",".join(sc) + "," + ",".join(sa) + "\n")
        if len(lines) == 8192:
            raw.write("".join(lines))
            lines = []
            if num:
                num.write("".join(nlines))
                nlines = []
    raw.write("".join(lines))
    raw.close()
    if num:
        num.write("".join(nlines))
        num.close()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("rows", type=int)
    p.add_argument("out")
    p.add_argument("--codebook")
    p.add_argument("--numeric")
    p.add_argument("--seed", type=int, default=20260715)
    p.add_argument("--quarter", help="dates within one quarter, e.g. 2026Q3")
    p.add_argument("--sites", type=int, help="N offices named office000000...")
    p.add_argument("--comments", type=float, default=0.08,
                   help="share of rows with a comment (varied unless 0.08)")
    args = p.parse_args()
    if args.codebook:
        write_codebook(args.codebook)
    generate(args)


if __name__ == "__main__":
    main()
