#!/usr/bin/python3
"""Prints a workbook written by --format xlsx or --rejects FILE.xlsx as
text for the golden tests: the frozen pane, each cell with its type
(n: a number with its number format, s: text, FORMULA: a formula), whether the header is
bold, and that every column is at least as wide as its widest cell.
Reads with openpyxl (Debian's python3-openpyxl), not with our code."""
import sys
import unicodedata

import openpyxl


def display_width(text):
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1
               for ch in text)


def main(path):
    ws = openpyxl.load_workbook(path).active
    print("sheets: %d, frozen: %s" % (len(ws.parent.worksheets),
                                      ws.freeze_panes))
    narrow = []
    for col in ws.iter_cols():
        letter = col[0].column_letter
        widest = max(display_width(str(c.value)) for c in col
                     if c.value is not None)
        if ws.column_dimensions[letter].width < widest:
            narrow.append(letter)
    print("columns narrower than their text: %s" % (narrow or "none"))
    for r, row in enumerate(ws.iter_rows()):
        cells = []
        for c in row:
            if c.value is None:
                cells.append("")
            elif c.data_type == "f":
                cells.append("FORMULA:" + str(c.value))
            elif isinstance(c.value, (int, float)):
                cells.append("n:%r:%s" % (c.value, c.number_format))
            else:
                cells.append("s:" + str(c.value))
        bold = all(c.font.b for c in row if c.value is not None)
        print(("bold " if r == 0 and bold else "") + "|".join(cells))


main(sys.argv[1])
