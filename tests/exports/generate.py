#!/usr/bin/python3
"""Write a 问卷星 (wjx) and a 腾讯问卷 (Tencent) export the way those sites
and Excel make them, for the tests of issue 13.

    /usr/bin/python3 tests/exports/generate.py OUTDIR

The committed copies beside this script are what the golden cases
survey-import/027-* and 028-* copy: regenerate with OUTDIR tests/exports.

Writes into OUTDIR (fixed seed; the CSVs are byte-identical on every run):

  wjx.csv       问卷星 "按选项文本下载": 序号, 提交答卷时间, 所用时间 (123秒),
                来源, 来自IP; numbered stems (3、您对小区保安服务是否满意？);
                likert5 answers with 比较满意 and 很满意 spellings; (跳过) for
                skipped and (空) for empty answers; a multi-select column
                joined by ┋; re-saved by Excel: GB18030, CRLF, and trailing
                all-comma rows.
  tencent.csv   腾讯问卷: 编号, 开始答题时间, 结束答题时间, 答题时长 (seconds),
                地理位置; 满意/基本满意/不满意 answers with one stray 很满意;
                a multi-select column joined by |; GB18030, CRLF, trailing
                empty rows.

  wjx.xlsx, tencent.xlsx
                the same answers as workbooks (Debian's python3-openpyxl):
                times as date-formatted cells (tencent.xlsx in the 1904
                date system), numbers as numbers, sheets Sheet1 and 答卷数据.

  edge.xlsx     a small hand-made workbook: inline and rich strings,
                phonetic runs, booleans, built-in and custom date formats,
                a serial number without a date format, gaps, an empty row,
                and a second sheet.

Both exports hold 3 offices and 2 quarters.  Names and phone numbers are random
combinations, not real people.
"""

import csv
import datetime as dt
import io
import os
import random
import sys

SEED = 20260413
SITES = ["金桂苑管理处", "翠湖花园服务中心", "天成美雅管理处"]
QUARTERS = [(dt.date(2026, 4, 1), dt.date(2026, 6, 20)),
            (dt.date(2026, 7, 1), dt.date(2026, 9, 20))]
ROWS_PER = 14  # questionnaires per office and quarter

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军"]
OPTIONS = ["保安", "保洁", "绿化", "停车", "维修", "其他"]
OPINIONS = ["电梯经常坏，希望尽快维修", "地下车库灯光太暗", "保安巡逻再勤一些",
            "垃圾清运要及时", "绿化带杂草多", "快递柜不够用", "希望多组织社区活动",
            "楼道堆放杂物没人管", "维修师傅态度很好，点赞"]
LIKERT = ["非常满意", "满意", "一般", "不满意", "非常不满意"]
ABC = ["满意", "基本满意", "不满意"]


def pick(rng, levels, weights):
    return rng.choices(levels, weights)[0]


def when(rng, q):
    start, end = QUARTERS[q]
    day = start + dt.timedelta(days=rng.randrange((end - start).days))
    return dt.datetime(day.year, day.month, day.day, rng.randrange(8, 22),
                       rng.randrange(60), rng.randrange(60))


def person(rng):
    name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2)))
    phone = "1" + rng.choice("3589") + "".join(rng.choices("0123456789", k=9))
    return name, phone


def unit(rng):
    return f"{rng.randint(1, 12)}栋{rng.randint(1, 3)}单元{rng.randint(1, 18)}0{rng.randint(1, 4)}"


def multi(rng, joiner):
    k = rng.choices([0, 1, 2, 3], [2, 4, 3, 1])[0]
    return joiner.join(rng.sample(OPTIONS, k)) if k else None


def nps(rng, site):
    base = [2, 1, 1, 2, 2, 4, 5, 9, 12, 10, 8] if site else [1] * 11
    return str(rng.choices(range(11), base)[0])


def wjx_rows(rng):
    head = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP",
            "1、您所在的管理处", "2、您的房号",
            "3、您对小区保安服务是否满意？", "4、您对小区保洁服务的满意程度",
            "5、您对小区绿化养护的满意程度", "6、您对小区停车管理的满意程度",
            "7、您对维修服务的满意程度", "8、您对小区物业服务的总体满意度",
            "9、您希望小区物业在哪些方面改进？",
            "10、您向亲友推荐本小区物业服务的可能性有多大？",
            "11、近三个月您是否向小区物业投诉过？",
            "12、您对小区物业还有哪些意见和建议？", "13、您的姓名",
            "14、您的联系电话"]
    rows, n = [], 0
    for q in range(2):
        for s, site in enumerate(SITES):
            for _ in range(ROWS_PER):
                n += 1
                w = [30 - 5 * s, 40, 15, 8 + 3 * s, 3]
                ans = [pick(rng, LIKERT, w) for _ in range(6)]
                if rng.random() < 0.15:
                    ans[0] = rng.choice(["比较满意", "很满意"])
                if rng.random() < 0.2:
                    ans[3] = "(跳过)"  # no car
                if rng.random() < 0.3:
                    ans[4] = "(跳过)"  # no repair this quarter
                name, phone = person(rng)
                m = multi(rng, "┋")
                rows.append([str(n), when(rng, q).strftime("%Y/%-m/%-d %H:%M:%S"),
                             f"{rng.randint(60, 600)}秒",
                             rng.choice(["微信", "手机提交", "链接"]), "N/A",
                             f"{rng.randint(1, 223)}.{rng.randint(0, 255)}."
                             f"{rng.randint(0, 255)}.{rng.randint(1, 254)}(广东-深圳)",
                             site, unit(rng)] + ans +
                            [m if m else "(空)", nps(rng, s),
                             rng.choice(["是", "否", "否", "否"]),
                             rng.choice(OPINIONS) if rng.random() < 0.35 else "(空)",
                             name, phone if rng.random() < 0.7 else "(空)"])
    return head, rows


def tencent_rows(rng):
    head = ["编号", "开始答题时间", "结束答题时间", "答题时长", "地理位置",
            "1.您所在的小区", "2.您的门牌号", "3.您对小区保安服务是否满意？",
            "4.您对小区保洁服务是否满意？", "5.您对小区绿化是否满意？",
            "6.您对维修服务是否满意？", "7.您对物业服务总体是否满意？",
            "8.您希望我们改进哪些方面？", "9.您有多大可能向朋友推荐我们？",
            "10.今年您是否投诉过物业？", "11.如投诉过，是否就同一问题再次投诉？",
            "12.您的其他意见或建议", "13.联系方式"]
    rows, n = [], 0
    for q in range(2):
        for s, site in enumerate(SITES):
            for _ in range(ROWS_PER):
                n += 1
                ans = [pick(rng, ABC, [55 - 5 * s, 35, 10 + 5 * s]) for _ in range(5)]
                if rng.random() < 0.25:
                    ans[3] = "(跳过)"
                end = when(rng, q)
                took = rng.randint(45, 900)
                complained = rng.random() < 0.25
                m = multi(rng, "|")
                rows.append([str(100000 + n),
                             (end - dt.timedelta(seconds=took)).strftime("%Y-%m-%d %H:%M:%S"),
                             end.strftime("%Y-%m-%d %H:%M:%S"), str(took),
                             "广东省深圳市", site, unit(rng)] + ans +
                            [m or "", nps(rng, s), "是" if complained else "否",
                             rng.choice(["是", "否"]) if complained else "(跳过)",
                             rng.choice(OPINIONS) if rng.random() < 0.3 else "",
                             person(rng)[1] if rng.random() < 0.5 else ""])
    rows[17][8] = "很满意"  # one typo: not an abc3 level
    return head, rows


def write(path, head, rows, trailing):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(head)
    w.writerows(rows)
    for _ in range(trailing):
        w.writerow([""] * len(head))
    with open(path, "wb") as f:
        f.write(buf.getvalue().encode("gb18030"))


def cell_value(text, column, dates, numbers):
    """The typed value a site's .xlsx download holds for one answer."""
    if column in dates and text:
        return dt.datetime.strptime(text.replace("/", "-"), "%Y-%m-%d %H:%M:%S")
    if column in numbers and text.isdigit():
        return int(text)
    return text if text != "" else None


def write_xlsx(path, head, rows, sheet, dates, numbers, epoch1904=False):
    import openpyxl  # Debian's python3-openpyxl
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    wb = openpyxl.Workbook()
    if epoch1904:
        wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = sheet
    ws.append(head)
    for row in rows:
        ws.append([cell_value(v, i, dates, numbers) for i, v in enumerate(row)])
        for i in dates:
            ws.cell(row=ws.max_row, column=i + 1).number_format = "yyyy/m/d h:mm:ss"
    wb.save(path)


EDGE_PARTS = {
    "[Content_Types].xml":
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
        'openxmlformats.org/package/2006/content-types"/>',
    "xl/workbook.xml":
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas'
        '.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships"><workbookPr/>'
        '<sheets><sheet name="说明" sheetId="1" r:id="rId1"/><sheet name="数据" '
        'sheetId="2" r:id="rId2"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels":
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://'
        'schemas.openxmlformats.org/package/2006/relationships"><Relationship '
        'Id="rId1" Target="worksheets/sheet1.xml" Type="ws"/><Relationship '
        'Id="rId2" Target="/xl/worksheets/sheet2.xml" Type="ws"/></Relationships>',
    "xl/sharedStrings.xml":
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.'
        'openxmlformats.org/spreadsheetml/2006/main"><si><t>管理处</t></si>'
        '<si><t>日期</t></si><si><t>保洁</t></si><si><r><t>满</t></r><r><t>意'
        '</t></r><rPh><t>まんい</t></rPh></si><si><t xml:space="preserve"> '
        '意见 </t></si><si><t>翠湖</t></si><si><t>投诉</t></si></sst>',
    "xl/styles.xml":
        '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://'
        'schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2">'
        '<numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d'
        '&quot;日&quot;"/><numFmt numFmtId="165" formatCode="0.0&quot;m&quot;"/>'
        '</numFmts><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/>'
        '<xf numFmtId="164"/><xf numFmtId="165"/></cellXfs></styleSheet>',
    "xl/worksheets/sheet1.xml":
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas'
        '.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c '
        'r="A1" t="inlineStr"><is><t>read the second sheet</t></is></c></row>'
        '</sheetData></worksheet>',
    # header; a built-in date; a custom 年月日 date with a time; a plain
    # serial number; an empty row; a gap (B5 missing); a boolean; a number
    # with a 'm' suffix format that is not a date; inline rich text
    "xl/worksheets/sheet2.xml":
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas'
        '.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>6</v></c><c r="E1" '
        't="s"><v>4</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>5</v></c><c r="B2" s="1"><v>46115</v>'
        '</c><c r="C2" t="s"><v>3</v></c><c r="D2" t="b"><v>0</v></c><c r="E2" '
        's="3"><v>2.5</v></c></row>'
        '<row r="3"><c r="A3" t="s"><v>5</v></c><c r="B3" s="2"><v>46116.4375'
        '</v></c><c r="C3" t="str"><v>不满意</v></c><c r="D3" t="b"><v>1</v>'
        '</c><c r="E3" t="inlineStr"><is><r><t>电梯</t></r><r><t>太慢</t></r>'
        '</is></c></row>'
        '<row r="4"/>'
        '<row r="5"><c r="A5" t="s"><v>5</v></c><c r="C5"><v>3</v></c>'
        '</row>'
        '<row r="6"><c r="A6" t="s"><v>5</v></c><c r="B6"><v>46117</v></c>'
        '<c r="C6" t="s"><v>3</v></c></row>'
        '</sheetData></worksheet>',
}


def write_edge(path):
    """A hand-made workbook with the cell kinds openpyxl never writes."""
    import zipfile
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in EDGE_PARTS.items():
            z.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), text)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: generate.py OUTDIR")
    out = sys.argv[1]
    rng = random.Random(SEED)
    wjx, tencent = wjx_rows(rng), tencent_rows(rng)
    write(os.path.join(out, "wjx.csv"), *wjx, trailing=3)
    write(os.path.join(out, "tencent.csv"), *tencent, trailing=2)
    # the same answers as the sites' .xlsx downloads: dates and numbers typed
    write_xlsx(os.path.join(out, "wjx.xlsx"), *wjx, "Sheet1", {1}, {0, 15})
    write_xlsx(os.path.join(out, "tencent.xlsx"), *tencent, "答卷数据", {1, 2},
               {0, 3, 13}, epoch1904=True)
    write_edge(os.path.join(out, "edge.xlsx"))


if __name__ == "__main__":
    main()
