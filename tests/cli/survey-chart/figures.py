"""Card/table agreement of a report's repeated figures (issue 15).

Reads `pdftotext -layout` output on stdin and checks that every figure the
report prints more than once is printed the same way each time:

- the headline cards of section 一 against the rows of table 1 with the
  same label (value, and the card's change against the table's change);
- every item or site (a row with a 95 % interval: tables 2 and 4) against
  each other line that starts with its name and shows a percentage (the
  bar charts, table 2b, the summary's lists), outside the trend table
  (whose percentages are other periods) and the complaint register;
- each "LABEL X%" named in the summary (摘要) against the table rows.

Prints one line per check and one line per disagreement.
"""
import re
import sys

SPLIT = re.compile(r"\s{2,}")
INTERVAL = re.compile(r"^-?\d+\.\d–-?\d+\.\d%$")
NUMBER = re.compile(r"^(?:[-+]?\d+(?:\.\d+)?%?|—)$")
PCT = re.compile(r"(-?\d+\.\d%)")


def cells(line):
    return [c for c in SPLIT.split(line.strip()) if c]


def section(lines, start, stop):
    """Lines from the first line containing START to the next with STOP."""
    out, on = [], False
    for ln in lines:
        if not on and start in ln:
            on = True
        elif on and stop and stop in ln:
            break
        if on:
            out.append(ln)
    return out


def cards(lines, start="一、", stop="表 1"):
    """(label, value, change) of the cards between START and STOP."""
    body = [ln for ln in section(lines, start, stop) if ln.strip()]
    found = []
    for i in range(len(body) - 2):
        labels, values = cells(body[i]), cells(body[i + 1])
        if len(labels) != len(values) or not all(NUMBER.match(v)
                                                 for v in values):
            continue
        if any(NUMBER.match(x) for x in labels):
            continue
        changes = re.findall(r"较上期 (\S+)", body[i + 2])
        changes += [None] * (len(labels) - len(changes))
        found += list(zip(labels, values, changes))
    return found


def table1(lines):
    """label -> (value, change) of table 1's rows."""
    rows = {}
    for ln in section(lines, "表 1", "说明"):
        c = cells(ln)
        if len(c) < 4 or not NUMBER.match(c[1]):
            continue
        k = 2 + ("–" in c[2])
        rows[c[0]] = (c[1], c[k + 1] if k + 1 < len(c) else None)
    return rows


def repeated(lines):
    """name -> list of the percentages printed after it."""
    named = {}
    body = section(lines, "一、", "投诉登记分析")
    names = {cells(ln)[0] for ln in body
             if len(cells(ln)) > 3 and any(INTERVAL.match(x)
                                           for x in cells(ln))}
    for ln in body:
        c = cells(ln)
        if not c or c[0] not in names or re.search(r"\d – \d{4}", ln):
            continue
        iv = [i for i, x in enumerate(c) if INTERVAL.match(x)]
        if iv:  # the rate is the cell before its interval
            m = c[iv[0] - 1] if PCT.fullmatch(c[iv[0] - 1]) else None
        else:
            m = next((x for x in c[1:] if PCT.fullmatch(x)), None)
        if m:
            named.setdefault(c[0], []).append(m)
    return named


def summary_text(lines):
    return "".join(ln.strip() for ln in section(lines, "摘要", "一、")
                   if "第" not in ln or "页" not in ln)


def summary(text, values):
    """(name, value) pairs "NAME 12.3%" of the 摘要 for the known names."""
    pairs = []
    for name in sorted(values, key=len, reverse=True):
        pat = r"(?<![\w（])" + re.escape(name) + r"（?\s*(-?\d+(?:\.\d+)?%?)"
        for m in re.finditer(pat, text):
            pairs.append((name, m.group(1)))
    return pairs


def main():
    sys.stdout.reconfigure(encoding="utf-8")
    lines = sys.stdin.buffer.read().decode("utf-8").split("\n")
    bad = 0
    t1 = table1(lines)
    cs = cards(lines)
    for label, value, change in cs:
        row = t1.get(label)
        if not row or row[0] != value or (change and row[1] != change):
            print("DISAGREE card %s: %s %s, table 1: %s" % (label, value,
                                                          change, row))
            bad += 1
    print("cards vs table 1: %d cards, %d with a row" %
          (len(cs), sum(1 for c in cs if c[0] in t1)))
    named = repeated(lines)
    times = 0
    for name, values in sorted(named.items()):
        times += len(values)
        if len(set(values)) > 1:
            print("DISAGREE %s: %s" % (name, " ".join(values)))
            bad += 1
    print("items and sites: %d names, %d printed more than once, %d times"
          % (len(named), sum(1 for v in named.values() if len(v) > 1), times))
    text = summary_text(lines)
    values = {k: list(v) for k, v in named.items()}
    for label, value, _ in cs + cards(lines, "八、", "表 7"):
        values.setdefault(label, [value])
    pairs = summary(text, values)
    wrong = [(n, v) for n, v in pairs if v not in values[n]]
    for name, value in wrong:
        print("DISAGREE summary %s: %s, elsewhere: %s" % (name, value,
                                                          values[name]))
    bad += len(wrong)
    print("summary figures found elsewhere in the report: %d of %d" %
          (len(pairs) - len(wrong), len(pairs)))
    sentences = [x for x in text.split("。") if x.strip() and " = " not in x]
    traced = [x for x in sentences if re.search(r"（(表 ?\w+|[一二三四五六七八]、)", x)
              or re.search(r"\((table \w+|section \d)\)", x)]
    print("summary sentences naming their table: %d of %d" %
          (len(traced), len(sentences)))
    if "(all)" in text:  # the pooled row's key, not an item of the form
        print("DISAGREE summary names the key (all) as an item")
        bad += 1
    print("all repeated figures agree" if not bad
          else "%d disagreements" % bad)


main()
