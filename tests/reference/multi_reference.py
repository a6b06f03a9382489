#!/usr/bin/python3
"""Multi-select counts per group, computed independently with pandas
(PRODUCT.md 4: per option, count = respondents who chose it, pct = 100 *
count / respondents who answered the question), for the golden case
survey-score/094-multi-select-counts.

    /usr/bin/python3 tests/reference/multi_reference.py CODEBOOK RAW... > OUT

Reads the raw files (UTF-8, else GB18030) with their codebook (roles
date, site and multi), groups the questionnaires by site and quarter and
prints the multi-select rows of the frequency cube, in its layout:
site,period,item,role,scale,level,label,score,sat,count,pct; per group
(site, then period in time order) and item (codebook order): one row per
option (an options= list in its order, else every option met anywhere in
the byte order of its text), then (answered) and (missing).

An answer is split at any of the joiners ┋ | ； ; 、, options are trimmed
of spaces and tabs and counted once per respondent; a cell that is empty
or one of the no-answer spellings (README: N/A, NA, -, —, 不适用, 未回答,
未作答, (空), (跳过), -2, -3, full-width forms alike) is no answer; so is a
cell whose options are all empty.

    python3 multi_reference.py multi_fixtures/codebook.csv \\
        multi_fixtures/raw.csv > multi-fixture.csv
    python3 multi_reference.py multi_fixtures/codebook-wjx.csv \\
        ../exports/wjx.csv > multi-wjx.csv

(codebook-wjx.csv is what the template makes of wjx.csv: an input.)
"""

import re
import sys
import unicodedata

import pandas as pd

JOINERS = re.compile("[┋|；;、]")
NO_ANSWER = {"", "n/a", "na", "-", "—", "不适用", "未回答", "未作答",
             "(空)", "(跳过)", "-2", "-3"}
DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def read_text(path):
    raw = open(path, "rb").read()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def read_csv(path):
    import io
    return pd.read_csv(io.StringIO(read_text(path)), dtype=str,
                       keep_default_na=False, skip_blank_lines=True)


def no_answer(cell):
    norm = unicodedata.normalize("NFKC", cell).strip().lower()
    return norm in NO_ANSWER


def options_of(cell):
    """The options a respondent chose, once each, or None (no answer)."""
    if no_answer(cell):
        return None
    chosen = []
    for part in JOINERS.split(cell):
        part = part.strip(" \t")
        if part and part not in chosen:
            chosen.append(part)
    return chosen or None


def quarter(cell):
    m = DATE.search(cell)
    y, mo = int(m.group(1)), int(m.group(2))
    return f"{y}Q{(mo - 1) // 3 + 1}"


def main(cbpath, raws):
    cb = read_csv(cbpath)
    date = cb.loc[cb.role == "date", "column"].iloc[0]
    site = cb.loc[cb.role == "site", "column"].iloc[0]
    multis = cb[cb.role == "multi"]
    frames = []
    for path in raws:
        df = read_csv(path)
        df = df[(df != "").any(axis=1)]  # Excel's all-empty rows
        frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    df["_site"] = df[site]
    df["_period"] = df[date].map(quarter)
    out = []
    items = []
    for _, m in multis.iterrows():
        label = m["label"] if m["label"] else m["column"]
        scale = m["scale"] if isinstance(m["scale"], str) else ""
        chosen = df[m["column"]].map(options_of)
        if scale.startswith("options="):
            opts = scale[len("options="):].split("|")
        else:
            seen = {o for c in chosen.dropna() for o in c}
            opts = sorted(seen, key=lambda s: s.encode("utf-8"))
        items.append((label, scale, chosen, opts))
    groups = sorted(df.groupby(["_site", "_period"]).groups.items(),
                    key=lambda kv: (kv[0][0].encode("utf-8"), kv[0][1]))
    for (s, p), idx in groups:
        for label, scale, chosen, opts in items:
            g = chosen.loc[idx]
            answered = int(g.notna().sum())
            missing = int(g.isna().sum())
            for o in opts:
                n = int(g.dropna().map(lambda c: o in c).sum())
                pct = f"{100.0 * n / answered:.2f}" if answered else ""
                out.append([s, p, label, "multi", scale, "", o, "", "",
                            str(n), pct])
            out.append([s, p, label, "multi", scale, "", "(answered)", "",
                        "", str(answered), ""])
            out.append([s, p, label, "multi", scale, "", "(missing)", "",
                        "", str(missing), ""])
    pd.DataFrame(out).to_csv(sys.stdout, header=False, index=False,
                             lineterminator="\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
