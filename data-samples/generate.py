#!/usr/bin/env python3
"""Generate the demo inputs in data-samples/ (deterministic, standard library only).

Run from the repository root:

    python3 data-samples/generate.py

Every file is rewritten from a fixed seed, so running the script twice gives
byte-identical output.  All data are fictitious: names and phone numbers are
random combinations, not real people.

What is written (see data-samples/README.md for the full description):

  tianchengmeiya-2026Q{1..4}.csv   8-item paper form, UTF-8 + BOM, CRLF
  cuihu-2026Q{1,3,4}.csv           6-item paper form, UTF-8, LF
  cuihu-2026Q2.csv                 same form, GB18030, LF
  twins/cuihu-2026Q2.utf8.csv      UTF-8 twin of the GB18030 file
  cuihu-2026Q4-handtyped.csv       hand-typed supplement with 3 bad rows
  jinguiyuan-wjx-2026Q{1..4}.csv   wjx (问卷星) export, likert5, UTF-8, LF
  complaints-2026.csv              complaint register, UTF-8 + BOM, CRLF
  households.csv                   households per site (coverage)
  codebook-8item.csv, codebook-6item.csv, codebook-wjx.csv,
  codebook-register.csv            codebooks (UTF-8, LF)
"""

import csv
import datetime as dt
import io
import math
import os
import random
import sys

SEED = 20260715
HERE = os.path.dirname(os.path.abspath(__file__))

SITE_TC = "天成美雅管理处"
SITE_CH = "翠湖花园服务中心"
SITE_JG = "金桂苑管理处"

QUARTERS = ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]
# survey fieldwork window per quarter (inclusive)
FIELDWORK = {
    "2026Q1": (dt.date(2026, 1, 5), dt.date(2026, 3, 20)),
    "2026Q2": (dt.date(2026, 4, 1), dt.date(2026, 5, 31)),
    "2026Q3": (dt.date(2026, 7, 1), dt.date(2026, 8, 31)),
    "2026Q4": (dt.date(2026, 10, 1), dt.date(2026, 11, 15)),
}

# returned questionnaires per office and quarter (coverage is rows / households)
ROWS = {
    SITE_TC: {"2026Q1": 118, "2026Q2": 131, "2026Q3": 104, "2026Q4": 96},
    SITE_CH: {"2026Q1": 112, "2026Q2": 88, "2026Q3": 121, "2026Q4": 97},
    SITE_JG: {"2026Q1": 140, "2026Q2": 131, "2026Q3": 148, "2026Q4": 122},
}
HANDTYPED_ROWS = 18

# --------------------------------------------------------------------------
# forms
# --------------------------------------------------------------------------
ITEMS_8 = ["供电管理", "供水管理", "消防治安管理", "卫生管理",
           "绿化管理", "公共设施管理", "维修服务", "服务态度"]
ITEMS_6 = ["保卫治安", "保洁卫生", "环境绿化", "车辆管理", "维修服务", "业主接待"]

# satisfaction rate (top-2 share, %) per item as a function of quarter index k
SAT_TC = {  # 天成美雅: trending down over the year
    "供电管理": lambda k: 97 - 0.5 * k,
    "供水管理": lambda k: 96 - 1.0 * k,
    "消防治安管理": lambda k: 93 - 1.5 * k,
    "卫生管理": lambda k: 92 - 2.0 * k,
    "绿化管理": lambda k: 94 - 1.0 * k,
    "公共设施管理": lambda k: 88 - 3.0 * k,
    "维修服务": lambda k: 85 - 4.0 * k,
    "服务态度": lambda k: 95 - 2.5 * k,
}
SAT_CH = {  # 翠湖: 保洁 improving, 车辆管理 and 维修服务 weak
    "保卫治安": lambda k: 94,
    "保洁卫生": lambda k: 76 + 6 * k,
    "环境绿化": lambda k: 92,
    "车辆管理": lambda k: 71 + 1 * k,
    "维修服务": lambda k: 81,
    "业主接待": lambda k: 95,
}
WJX_ITEMS = [  # (header, short label, sat function)
    ("2、您对小区保卫治安服务的满意程度", "保卫治安", lambda k: 88 + 1 * k),
    ("3、您对小区保洁卫生服务的满意程度", "保洁卫生", lambda k: 87 + 1 * k),
    ("4、您对小区环境绿化服务的满意程度", "环境绿化", lambda k: 91),
    ("5、您对小区维修服务的满意程度", "维修服务", lambda k: 77 + 1.5 * k),
    ("6、您对客服中心接待服务的满意程度", "客服接待", lambda k: 89 + 1 * k),
    ("7、您对社区文化活动的满意程度", "社区文化活动", lambda k: 70 + 2 * k),
]
NPS_MU = {
    SITE_TC: lambda k: 8.1 - 0.35 * k,
    SITE_CH: lambda k: 7.5 + 0.25 * k,
    SITE_JG: lambda k: 7.2 + 0.15 * k,
}

HEADER_8 = (["序号", "填表日期", "管理处", "单元号", "楼栋"] + ITEMS_8 +
            ["总体满意度", "推荐意愿", "本季度是否投诉过", "是否重复投诉",
             "意见和建议", "业主签名", "电话"])
HEADER_6 = (["序号", "填表日期", "管理处", "单元号", "楼栋"] + ITEMS_6 +
            ["总体满意度", "推荐意愿", "本季度是否投诉过", "是否重复投诉",
             "意见和建议", "业主姓名", "联系电话"])
HEADER_WJX = (["序号", "提交答卷时间", "所用时间", "来源", "来自IP",
               "1、您的房号"] + [h for h, _, _ in WJX_ITEMS] +
              ["8、您向亲友推荐我们物业服务的可能性有多大?",
               "9、过去三个月您是否投诉过物业?",
               "10、您对我们的意见和建议", "11、您的姓名", "12、您的手机号",
               "所属项目"])

# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余杜叶程魏苏吕丁任沈姚卢钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向汤")
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳",
         "杰", "娟", "涛", "明", "超", "秀英", "霞", "平", "刚", "桂英", "建华",
         "志强", "丽娟", "海燕", "建国", "晓东", "文博", "子涵", "雨桐", "浩然",
         "欣怡", "思远", "国庆", "红梅", "春花", "卫东", "振华", "美玲", "德明",
         "淑珍", "玉兰", "俊杰", "家豪", "嘉欣", "宇航", "梓萱", "立新", "永康"]


def sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


def logit(p):
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def rand_name(rng):
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def rand_phone(rng):
    prefix = rng.choice(["13", "15", "18"]) + str(rng.choice(
        [0, 1, 2, 3, 5, 6, 7, 8, 9]))
    return prefix + "".join(str(rng.randrange(10)) for _ in range(8))


def rand_date(rng, quarter):
    lo, hi = FIELDWORK[quarter]
    return lo + dt.timedelta(days=rng.randrange((hi - lo).days + 1))


def date_iso(d):
    return "%04d-%02d-%02d" % (d.year, d.month, d.day)


def date_cn(d):
    return "%d年%d月%d日" % (d.year, d.month, d.day)


def write_csv(name, header, rows, encoding="utf-8", bom=False, eol="\n"):
    """Write with the csv module into a string, then encode: exact bytes."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator=eol, quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    for r in rows:
        assert len(r) == len(header), (name, r)
        w.writerow(r)
    data = buf.getvalue().encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    path = os.path.join(HERE, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    return path


# --------------------------------------------------------------------------
# households (unit numbers)
# --------------------------------------------------------------------------
def pool_tc():  # 5 buildings x 2 units x floors 2-9 x 2 rooms = 160
    return ["%d-%d-%d%02d" % (b, u, f, r) for b in range(1, 6)
            for u in (1, 2) for f in range(2, 10) for r in (1, 2)]


def pool_ch():  # 5 buildings x 2 units x floors 1-5 x 3 rooms = 150
    return ["%d-%d-%d%02d" % (b, u, f, r) for b in range(1, 6)
            for u in (1, 2) for f in range(1, 6) for r in (1, 2, 3)]


def pool_jg():  # 5 buildings x 2 units x floors 3-12 x 2 rooms = 200
    return ["%d栋%d单元%d%02d" % (b, u, f, r) for b in range(1, 6)
            for u in (1, 2) for f in range(3, 13) for r in (1, 2)]


POOLS = {SITE_TC: pool_tc(), SITE_CH: pool_ch(), SITE_JG: pool_jg()}


def building_of(unit):
    if "栋" in unit:
        return unit.split("栋")[0] + "栋"
    return unit.split("-")[0] + "栋"


# --------------------------------------------------------------------------
# comments
# --------------------------------------------------------------------------
COMMENTS_COMMON = [
    "无",
    "没有",
    "无意见",
    "总体还可以，继续保持。",
    "保安很负责，晚上巡逻很到位，点赞！",
    "楼道灯不亮,已经报修两次了,还没有人来修",
    "维修师傅上门很快，但是材料费收费不透明，希望公示价格。",
    "电梯经常停运，维修不及时，老人上下楼很不方便",
    "物业费的收支能否每季度公示一次？",
    "希望加强对装修噪音的管理，中午和晚上还在施工。",
    "保洁阿姨很辛苦，谢谢！",
    "小区宠物粪便没人管，希望物业多宣传文明养犬",
    "客服态度好，但是反映的问题总是\"已登记\"就没有下文了",
    "前台说\"这个不归我们管\"，请问到底归谁管？",
    "1.地下车库太暗\n2.垃圾清运不及时\n3.快递柜不够用",
    "绿化带里的树很久没修剪了,挡住了二楼的采光,请尽快处理",
    "门禁卡经常失灵，外来人员随便进出，存在安全隐患。",
    "希望多组织\"邻里节\"之类的社区活动，增进邻里感情",
    "雨季地下室渗水，\n已经反映过多次，请彻底解决。",
    "整体满意，个别保安值班时玩手机。",
    "健身器材有损坏，请及时维修，避免小孩受伤",
    "水压不稳，高峰期高层用水困难",
    "建议增加充电桩, 电动车乱停乱放, 楼道里充电很危险",
    "服务比去年有进步",
]
COMMENTS_SITE = {
    SITE_TC: [
        "最近停电两次都没有提前通知，请改进。",
        "消防通道被车辆占用，物业要管一管",
        "维修报修后要等三四天才来，太慢了",
        "公共设施老化，儿童游乐场的滑梯生锈了",
        "感觉今年服务不如以前了，人员流动太大。",
        "管理处换了经理以后，\"服务态度\"明显变差",
    ],
    SITE_CH: [
        "停车位太少，晚上回来根本没地方停车",
        "外来车辆随意进出，车辆管理需要加强",
        "今年保洁明显好多了，垃圾桶也按时清理了，表扬！",
        "车库出入口道闸经常坏,高峰期排长队",
        "维修要预约好几次才来，效率太低。",
        "保洁比上半年好，楼道干净多了",
    ],
    SITE_JG: [
        "社区活动太少了，基本没有",
        "希望周末能组织一些亲子活动",
        "客服电话经常打不通",
        "报修后没有回访，不知道修好没有",
        "绿化很漂亮，环境不错",
        "小区文化活动形式单一，年轻人不愿意参加",
    ],
}

# --------------------------------------------------------------------------
# answer generation
# --------------------------------------------------------------------------
ABC = ["满意", "较满意", "不满意"]
L5 = ["非常满意", "满意", "一般", "不满意", "非常不满意"]


def abc3_level(rng, sat_pct, mood, top_share=0.62):
    """0 = 满意, 1 = 较满意, 2 = 不满意."""
    p_dis = sigmoid(logit(1 - sat_pct / 100.0) + 0.8 * mood)
    if rng.random() < p_dis:
        return 2
    p_top = sigmoid(logit(top_share) - 0.8 * mood)
    return 0 if rng.random() < p_top else 1


def likert5_level(rng, sat_pct, mood, top_share=0.45):
    """0 = 非常满意 ... 4 = 非常不满意; top 2 are satisfied."""
    p_low = sigmoid(logit(1 - sat_pct / 100.0) + 0.8 * mood)
    if rng.random() < p_low:
        x = rng.random()
        return 2 if x < 0.60 else (3 if x < 0.88 else 4)
    p_top = sigmoid(logit(top_share) - 0.8 * mood)
    return 0 if rng.random() < p_top else 1


def nps_value(rng, mu, mood):
    v = round(mu - 1.3 * mood + rng.gauss(0, 1.2))
    return max(0, min(10, v))


def abc3_text_tc(rng, level):
    """天成美雅: labels as typed in Excel from paper forms, with variants."""
    x = rng.random()
    if x < 0.035:
        s = "ABC"[level]
    elif x < 0.045:
        s = "ＡＢＣ"[level]             # full-width letter
    elif x < 0.075 and level == 1:
        s = "比较满意"
    else:
        s = ABC[level]
    y = rng.random()
    if y < 0.02:
        s = " " + s
    elif y < 0.04:
        s = s + " "
    elif y < 0.045:
        s = " " + s + "  "
    return s


def abc3_text_ch(rng, level):
    x = rng.random()
    if x < 0.04 and level == 1:
        return "比较满意"
    return ABC[level]


NOANS_CH = ["", "", "不适用", "未回答", "-"]


def survey_rows_paper(rng, site, quarter, k, items, satf, date_fmt, noans,
                      label_fn, n_rows, pool, p_missing):
    """Rows for the 8-item and 6-item paper forms (header HEADER_8/HEADER_6)."""
    units = rng.sample(pool, n_rows)
    dates = sorted(rand_date(rng, quarter) for _ in range(n_rows))
    comments = COMMENTS_COMMON + COMMENTS_SITE[site]
    rows = []
    for i in range(n_rows):
        mood = rng.gauss(0, 1)
        unit = units[i]
        levels = [abc3_level(rng, satf[it](k), mood) for it in items]
        answers = []
        for lv in levels:
            if rng.random() < p_missing:
                answers.append(rng.choice(noans))
            else:
                answers.append(label_fn(rng, lv))
        avg_sat = sum(satf[it](k) for it in items) / len(items)
        ov = abc3_level(rng, avg_sat + 2, mood)
        overall = (rng.choice(noans) if rng.random() < p_missing * 0.6
                   else label_fn(rng, ov))
        nps = ("" if rng.random() < p_missing * 0.8
               else str(nps_value(rng, NPS_MU[site](k), mood)))
        p_c = sigmoid(logit(0.13) + 0.9 * mood)
        if rng.random() < p_missing * 0.4:
            comp, rep = rng.choice(noans), ""
        elif rng.random() < p_c:
            comp = "是"
            rep = ("是" if rng.random() < 0.32 else "否")
            if rng.random() < 0.06:
                rep = ""
        else:
            comp, rep = "否", ""
        cm = ""
        p_comment = 0.28 + 0.15 * max(mood, 0)
        if rng.random() < p_comment:
            cm = rng.choice(comments)
        name = rand_name(rng) if rng.random() > 0.04 else ""
        phone = rand_phone(rng) if rng.random() > 0.10 else ""
        rows.append([str(i + 1), date_fmt(dates[i]), site, unit,
                     building_of(unit)] + answers +
                    [overall, nps, comp, rep, cm, name, phone])
    return rows


def survey_rows_wjx(rng, quarter, k, n_rows, pool):
    units = rng.sample(pool, n_rows)
    lo, hi = FIELDWORK[quarter]
    # submit timestamps, sorted like a wjx export
    stamps = []
    for _ in range(n_rows):
        d = lo + dt.timedelta(days=rng.randrange((hi - lo).days + 1))
        hour = rng.choice([7, 8, 9, 10, 11, 12, 12, 13, 19, 20, 20, 21, 21,
                           22, 22, 23, 14, 15, 16, 17, 18])
        stamps.append(dt.datetime(d.year, d.month, d.day, hour,
                                  rng.randrange(60), rng.randrange(60)))
    stamps.sort()
    comments = COMMENTS_COMMON + COMMENTS_SITE[SITE_JG]
    rows = []
    for i in range(n_rows):
        mood = rng.gauss(0, 1)
        t = stamps[i]
        when = "%d/%d/%d %d:%02d:%02d" % (t.year, t.month, t.day, t.hour,
                                          t.minute, t.second)
        used = "%d秒" % rng.randint(38, 420)
        src = rng.choice(["微信", "微信", "微信", "手机提交", "链接"])
        ip = "%d.%d.%d.%d(%s)" % (rng.choice([113, 117, 120, 183, 223, 39]),
                                  rng.randrange(256), rng.randrange(256),
                                  rng.randrange(1, 255),
                                  rng.choice(["广东-深圳", "广东-深圳",
                                              "广东-广州", "广东-东莞",
                                              "湖南-长沙"]))
        answers = []
        for _, _, f in WJX_ITEMS:
            lv = likert5_level(rng, f(k), mood)
            answers.append("" if rng.random() < 0.045 else L5[lv])
        nps = ("" if rng.random() < 0.03
               else str(nps_value(rng, NPS_MU[SITE_JG](k), mood)))
        p_c = sigmoid(logit(0.11) + 0.9 * mood)
        comp = ("" if rng.random() < 0.02
                else ("是" if rng.random() < p_c else "否"))
        cm = rng.choice(comments) if rng.random() < 0.33 else ""
        name = rand_name(rng) if rng.random() > 0.25 else ""
        phone = rand_phone(rng) if rng.random() > 0.15 else ""
        rows.append([str(i + 1), when, used, src, ip, units[i]] + answers +
                    [nps, comp, cm, name, phone, SITE_JG])
    return rows


# --------------------------------------------------------------------------
# hand-typed supplement with exactly three bad rows
# --------------------------------------------------------------------------
# data row number (1-based) -> what is wrong; physical line = row + 1
BAD_ROWS = {
    5: ("保洁卫生", "很满意"),
    11: ("车辆管理", "满意的"),
    16: ("填表日期", "2026-02-30"),
}


def handtyped_rows(rng, used_units):
    free = [u for u in POOLS[SITE_CH] if u not in used_units]
    units = rng.sample(free, HANDTYPED_ROWS)
    dates = sorted(dt.date(2026, 11, 10) + dt.timedelta(days=rng.randrange(6))
                   for _ in range(HANDTYPED_ROWS))
    plain = [c for c in COMMENTS_COMMON + COMMENTS_SITE[SITE_CH]
             if "\n" not in c]
    rows = []
    for i in range(HANDTYPED_ROWS):
        mood = rng.gauss(0, 1)
        answers = []
        for it in ITEMS_6:
            lv = abc3_level(rng, SAT_CH[it](3), mood)
            answers.append("" if rng.random() < 0.04 else ABC[lv])
        ov = ABC[abc3_level(rng, 88, mood)]
        nps = str(nps_value(rng, NPS_MU[SITE_CH](3), mood))
        comp = "是" if rng.random() < sigmoid(logit(0.13) + 0.9 * mood) else "否"
        rep = ("是" if rng.random() < 0.3 else "否") if comp == "是" else ""
        cm = rng.choice(plain) if rng.random() < 0.3 else ""
        row = [str(i + 1), date_iso(dates[i]), SITE_CH, units[i],
               building_of(units[i])] + answers + [
            ov, nps, comp, rep, cm, rand_name(rng), rand_phone(rng)]
        bad = BAD_ROWS.get(i + 1)
        if bad:
            row[HEADER_6.index(bad[0])] = bad[1]
        rows.append(row)
    return rows


# --------------------------------------------------------------------------
# complaint register
# --------------------------------------------------------------------------
CATEGORIES = ["维修", "保洁", "噪音", "停车", "安保", "绿化", "收费", "服务态度"]
CAT_WEIGHTS = {
    SITE_TC: [30, 10, 10, 8, 10, 6, 10, 16],
    SITE_CH: [24, 14, 10, 30, 8, 5, 5, 4],
    SITE_JG: [28, 10, 14, 10, 8, 6, 12, 12],
}
N_COMPLAINTS = {SITE_TC: 68, SITE_CH: 64, SITE_JG: 58}
RESULTS = {
    "维修": ["已派维修工上门更换水龙头阀芯，业主确认正常",
             "电梯故障已由维保单位修复,已回访业主",
             "更换楼道感应灯3盏，已恢复照明",
             "外墙渗水已做防水处理，需观察雨季效果",
             "已疏通下水管道，业主满意"],
    "保洁": ["已安排保洁员重新清扫楼道并加强巡查",
             "垃圾桶清运频次调整为每日两次",
             "已对保洁班长进行\"现场整改\"通报"],
    "噪音": ["已上门劝导装修户遵守施工时间",
             "已联系广场舞队调整活动时间和音量",
             "空调外机噪音已协调业主加装减震垫"],
    "停车": ["已清理占用消防通道车辆并张贴告示",
             "外来车辆已劝离，加强岗亭登记",
             "车位纠纷已约双方协调，暂时解决"],
    "安保": ["调取监控后已报警处理，业主已知悉",
             "加强夜间巡逻频次，门岗严格登记",
             "门禁系统已维修，恢复刷卡"],
    "绿化": ["已修剪遮挡采光的树枝",
             "草坪补种完成，已回访",
             "已喷洒药物处理蚊虫"],
    "收费": ["已向业主解释物业费计费标准，业主表示理解",
             "多收的水电公摊费已退回",
             "已提供收费明细，业主仍有异议，\n转财务部跟进"],
    "服务态度": ["已对当班客服进行批评教育，并向业主道歉",
                 "已约谈相关保安,扣除当月绩效,业主接受处理结果",
                 "管理处主任已上门致歉"],
}
CHANNELS = ["电话", "电话", "来访", "微信", "400热线"]


def rand_received(rng, lo, hi):
    """A plausible received time between two dates (mostly working hours)."""
    while True:
        d = lo + dt.timedelta(days=rng.randrange((hi - lo).days + 1))
        weekend = d.weekday() >= 5
        if weekend and rng.random() < 0.6:
            continue
        if rng.random() < 0.85:
            h = rng.randint(8, 17)
            m = rng.randrange(60)
            if h == 8 and m < 30:
                m += 30
        else:
            h = rng.choice([7, 18, 19, 20, 21])
            m = rng.randrange(60)
        return dt.datetime(d.year, d.month, d.day, h, m)


def fmt_ts(t):
    return "%04d-%02d-%02d %02d:%02d" % (t.year, t.month, t.day, t.hour,
                                         t.minute)


def complaint_register(rng):
    """Return (rows without id, notes) sorted by received time."""
    recs = []  # dicts
    reserved = {}  # site -> households used by the designed cases

    def rec(site, unit, cat, received, urgent, minutes, channel=None,
            result=None):
        closed = (None if minutes is None
                  else received + dt.timedelta(minutes=minutes))
        assert unit in POOLS[site], unit
        recs.append(dict(site=site, unit=unit, cat=cat, received=received,
                         urgent=urgent, closed=closed,
                         channel=channel or rng.choice(CHANNELS),
                         result=result))
        reserved.setdefault(site, []).append(unit)

    D = dt.datetime
    # --- designed cases (each household is used only by its own case) ---
    # exactly 90 days later, same category: a repeat (window inclusive)
    t0 = D(2026, 3, 2, 9, 15)
    rec(SITE_TC, "2-1-702", "维修", t0, "否", 300)
    rec(SITE_TC, "2-1-702", "维修", t0 + dt.timedelta(days=90), "否", 420)
    # 91 days later, same category: not a repeat
    t1 = D(2026, 4, 10, 14, 20)
    rec(SITE_CH, "3-2-401", "停车", t1, "否", 180)
    rec(SITE_CH, "3-2-401", "停车", t1 + dt.timedelta(days=91), "否", 240)
    # a chain of three (2nd and 3rd are repeats)
    rec(SITE_JG, "4栋1单元901", "噪音", D(2026, 5, 6, 10, 5), "否", 360)
    rec(SITE_JG, "4栋1单元901", "噪音", D(2026, 5, 26, 19, 40), "否", 900)
    rec(SITE_JG, "4栋1单元901", "噪音", D(2026, 6, 30, 11, 12), "否", 1200)
    # same household, different category within the window: not a repeat
    rec(SITE_TC, "5-2-302", "保洁", D(2026, 8, 3, 9, 0), "否", 150)
    rec(SITE_TC, "5-2-302", "停车", D(2026, 8, 20, 17, 30), "否", 600)
    # urgent: closed within 30 min, exactly 30 min, beyond 30 min
    rec(SITE_TC, "1-1-501", "维修", D(2026, 7, 8, 10, 12), "是", 22,
        result="水管爆裂，维修工20分钟内到场关阀抢修，已恢复供水")
    rec(SITE_CH, "2-2-102", "安保", D(2026, 9, 14, 21, 5), "是", 30,
        result="业主报有陌生人尾随，保安30分钟内到场处理，已报警")
    rec(SITE_JG, "2栋2单元1102", "维修", D(2026, 1, 19, 8, 40), "是", 75,
        result="电梯困人，维保单位到场较慢，75分钟后救出，已向业主道歉")
    # general: closed exactly at 24 h, and well beyond 24 h
    rec(SITE_CH, "4-1-203", "维修", D(2026, 6, 11, 15, 0), "否", 24 * 60,
        result="次日同一时间更换了损坏的门禁读卡器")
    rec(SITE_TC, "4-2-902", "收费", D(2026, 10, 12, 11, 30), "否",
        3 * 24 * 60 + 95, result="财务核对后退回多收费用，业主满意")
    # open complaints (no closed time)
    rec(SITE_JG, "1栋1单元1201", "维修", D(2026, 12, 18, 16, 45), "否", None,
        result="已派单，等待配件到货")
    rec(SITE_TC, "3-1-801", "绿化",
        D(2026, 12, 22, 9, 50), "否", None, result="已安排园林公司评估")
    rec(SITE_CH, "5-1-302", "停车", D(2026, 12, 29, 18, 10), "是", None,
        result="")
    designed = len(recs)

    # --- random background complaints ---
    for site in (SITE_TC, SITE_CH, SITE_JG):
        free = [u for u in POOLS[site] if u not in reserved.get(site, [])]
        n = N_COMPLAINTS[site] - sum(1 for r in recs if r["site"] == site)
        # some households complain more often than others
        frequent = rng.sample(free, 12)
        for _ in range(n):
            while True:
                unit = (rng.choice(frequent) if rng.random() < 0.35
                        else rng.choice(free))
                # unit numbers repeat between estates; keep each number to
                # one site in the register so repeats never depend on
                # whether the site is part of the household key
                if not any(r["unit"] == unit and r["site"] != site
                           for r in recs):
                    break
            cat = rng.choices(CATEGORIES, weights=CAT_WEIGHTS[site])[0]
            received = rand_received(rng, dt.date(2026, 1, 3),
                                     dt.date(2026, 12, 30))
            urgent = "是" if (cat in ("维修", "安保") and
                             rng.random() < 0.22) else "否"
            if received >= D(2026, 12, 15) and rng.random() < 0.6:
                minutes = None                      # still open
            elif rng.random() < 0.03:
                minutes = None                      # long-running
            elif urgent == "是":
                minutes = (rng.randint(8, 30) if rng.random() < 0.8
                           else rng.randint(31, 120))
            else:
                minutes = (rng.randint(40, 23 * 60) if rng.random() < 0.82
                           else rng.randint(24 * 60 + 1, 96 * 60))
            recs.append(dict(site=site, unit=unit, cat=cat, received=received,
                             urgent=urgent,
                             closed=(None if minutes is None else received +
                                     dt.timedelta(minutes=minutes)),
                             channel=rng.choice(CHANNELS), result=None))
    recs.sort(key=lambda r: (r["received"], r["site"], r["unit"]))
    rows = []
    for i, r in enumerate(recs):
        if r["result"] is None:
            if r["closed"] is None:
                result = rng.choice(["已派单处理中", "等待业主确认时间上门",
                                     "已联系相关部门，跟进中", ""])
            else:
                result = rng.choice(RESULTS[r["cat"]])
        else:
            result = r["result"]
        status = "处理中" if r["closed"] is None else "已完成"
        rows.append(["TS2026%04d" % (i + 1), fmt_ts(r["received"]),
                     r["unit"], r["site"], r["channel"], r["cat"], r["urgent"],
                     "" if r["closed"] is None else fmt_ts(r["closed"]),
                     status, result, rand_name(rng), rand_phone(rng)])
    return rows, designed


HEADER_REG = ["投诉编号", "受理时间", "房号", "管理处", "受理方式", "投诉类别",
              "是否紧急", "完成时间", "处理状态", "处理结果", "投诉人", "联系电话"]


def register_stats(rows, window=90, with_site=True):
    """Reference figures (printed with -v): per site n, repeats, open, timely.

    Repeat: same household and category within the previous `window` days
    (inclusive).  Timely: closed within 0.5 h (urgent) or 24 h (inclusive).
    """
    idx = {h: i for i, h in enumerate(HEADER_REG)}

    def parse(s):
        return dt.datetime.strptime(s, "%Y-%m-%d %H:%M")

    hist = {}
    out = {}
    for r in sorted(rows, key=lambda r: r[idx["受理时间"]]):
        site = r[idx["管理处"]]
        st = out.setdefault(site, dict(n=0, repeats=0, open=0, closed=0,
                                       timely=0))
        key = ((site,) if with_site else ()) + (r[idx["房号"]],
                                                r[idx["投诉类别"]])
        t = parse(r[idx["受理时间"]])
        prev = hist.setdefault(key, [])
        st["n"] += 1
        if any(t - p <= dt.timedelta(days=window) for p in prev):
            st["repeats"] += 1
        prev.append(t)
        if r[idx["完成时间"]]:
            st["closed"] += 1
            h = (parse(r[idx["完成时间"]]) - t).total_seconds() / 3600
            if h <= (0.5 if r[idx["是否紧急"]] == "是" else 24):
                st["timely"] += 1
        else:
            st["open"] += 1
    return out


# --------------------------------------------------------------------------
# codebooks
# --------------------------------------------------------------------------
def codebook_paper(header, items, name_col, phone_col):
    rows = []
    for h in header:
        if h == "序号":
            rows.append([h, "ignore", "", ""])
        elif h == "填表日期":
            rows.append([h, "date", "", "填表日期"])
        elif h == "管理处":
            rows.append([h, "site", "", ""])
        elif h == "单元号":
            rows.append([h, "id", "", "单元号"])
        elif h == "楼栋":
            rows.append([h, "group", "", "楼栋"])
        elif h in items:
            rows.append([h, "dimension", "abc3", h])
        elif h == "总体满意度":
            rows.append([h, "overall", "abc3", "总体满意度"])
        elif h == "推荐意愿":
            rows.append([h, "nps", "nps11", "推荐意愿"])
        elif h == "本季度是否投诉过":
            rows.append([h, "complaint", "yesno", "投诉"])
        elif h == "是否重复投诉":
            rows.append([h, "repeat_complaint", "yesno", "重复投诉"])
        elif h == "意见和建议":
            rows.append([h, "comment", "", "意见和建议"])
        elif h in (name_col, phone_col):
            rows.append([h, "pii", "", ""])
        else:
            raise SystemExit("no codebook row for " + h)
    return rows


def codebook_wjx():
    rows = []
    labels = {h: lab for h, lab, _ in WJX_ITEMS}
    for h in HEADER_WJX:
        if h in ("序号", "所用时间", "来源", "来自IP"):
            rows.append([h, "ignore", "", ""])
        elif h == "提交答卷时间":
            rows.append([h, "date", "", "提交时间"])
        elif h == "1、您的房号":
            rows.append([h, "id", "", "房号"])
        elif h in labels:
            rows.append([h, "dimension", "likert5", labels[h]])
        elif h.startswith("8、"):
            rows.append([h, "nps", "nps11", "推荐意愿"])
        elif h.startswith("9、"):
            rows.append([h, "complaint", "yesno", "投诉"])
        elif h.startswith("10、"):
            rows.append([h, "comment", "", "意见和建议"])
        elif h.startswith("11、") or h.startswith("12、"):
            rows.append([h, "pii", "", ""])
        elif h == "所属项目":
            rows.append([h, "site", "", ""])
        else:
            raise SystemExit("no codebook row for " + h)
    return rows


CODEBOOK_REG = [
    ["投诉编号", "ignore", "", ""],
    ["受理时间", "received", "", "受理时间"],
    ["房号", "household", "", "房号"],
    ["管理处", "site", "", ""],
    ["受理方式", "group", "", "受理方式"],
    ["投诉类别", "category", "", "投诉类别"],
    ["是否紧急", "urgency", "yesno", "紧急"],
    ["完成时间", "closed", "", "完成时间"],
    ["处理状态", "status", "", "处理状态"],
    ["处理结果", "comment", "", "处理结果"],
    ["投诉人", "pii", "", ""],
    ["联系电话", "pii", "", ""],
]
CB_HEADER = ["column", "role", "scale", "label"]


# --------------------------------------------------------------------------
def main():
    summary = []

    # 天成美雅: 8-item form, UTF-8 + BOM, CRLF
    for k, q in enumerate(QUARTERS):
        r = random.Random("%d/%s/%s" % (SEED, SITE_TC, q))
        rows = survey_rows_paper(r, SITE_TC, q, k, ITEMS_8, SAT_TC, date_iso,
                                 [""] * 9 + ["-"], abc3_text_tc,
                                 ROWS[SITE_TC][q], POOLS[SITE_TC], 0.05)
        name = "tianchengmeiya-%s.csv" % q
        write_csv(name, HEADER_8, rows, bom=True, eol="\r\n")
        summary.append((name, len(rows)))

    # 翠湖: 6-item form, UTF-8 LF; Q2 in GB18030 plus a UTF-8 twin
    ch_q4_units = []
    for k, q in enumerate(QUARTERS):
        r = random.Random("%d/%s/%s" % (SEED, SITE_CH, q))
        rows = survey_rows_paper(r, SITE_CH, q, k, ITEMS_6, SAT_CH, date_cn,
                                 NOANS_CH, abc3_text_ch, ROWS[SITE_CH][q],
                                 POOLS[SITE_CH], 0.055)
        name = "cuihu-%s.csv" % q
        if q == "2026Q2":
            write_csv(name, HEADER_6, rows, encoding="gb18030")
            write_csv("twins/cuihu-2026Q2.utf8.csv", HEADER_6, rows)
            summary.append(("twins/cuihu-2026Q2.utf8.csv", len(rows)))
        else:
            write_csv(name, HEADER_6, rows)
        if q == "2026Q4":
            ch_q4_units = [row[3] for row in rows]
        summary.append((name, len(rows)))

    # hand-typed supplement: UTF-8 + BOM, CRLF, ISO dates, 3 bad rows
    r = random.Random("%d/handtyped" % SEED)
    rows = handtyped_rows(r, ch_q4_units)
    write_csv("cuihu-2026Q4-handtyped.csv", HEADER_6, rows, bom=True,
              eol="\r\n")
    summary.append(("cuihu-2026Q4-handtyped.csv", len(rows)))

    # 金桂苑: wjx export, likert5, UTF-8, LF
    for k, q in enumerate(QUARTERS):
        r = random.Random("%d/%s/%s" % (SEED, SITE_JG, q))
        rows = survey_rows_wjx(r, q, k, ROWS[SITE_JG][q], POOLS[SITE_JG])
        name = "jinguiyuan-wjx-%s.csv" % q
        write_csv(name, HEADER_WJX, rows)
        summary.append((name, len(rows)))

    # complaint register: UTF-8 + BOM, CRLF
    r = random.Random("%d/complaints" % SEED)
    reg_rows, designed = complaint_register(r)
    write_csv("complaints-2026.csv", HEADER_REG, reg_rows, bom=True,
              eol="\r\n")
    summary.append(("complaints-2026.csv", len(reg_rows)))

    # households and codebooks
    write_csv("households.csv", ["site", "households"],
              [[s, str(len(POOLS[s]))] for s in (SITE_TC, SITE_CH, SITE_JG)])
    write_csv("codebook-8item.csv", CB_HEADER,
              codebook_paper(HEADER_8, ITEMS_8, "业主签名", "电话"))
    write_csv("codebook-6item.csv", CB_HEADER,
              codebook_paper(HEADER_6, ITEMS_6, "业主姓名", "联系电话"))
    write_csv("codebook-wjx.csv", CB_HEADER, codebook_wjx())
    write_csv("codebook-register.csv", CB_HEADER, CODEBOOK_REG)

    if "-v" in sys.argv[1:]:
        for name, n in summary:
            print("%-34s %4d rows" % (name, n))
        for s in (SITE_TC, SITE_CH, SITE_JG):
            hh = len(POOLS[s])
            print("%s households=%d coverage %s" % (s, hh, " ".join(
                "%s=%.2f%%" % (q, 100.0 * ROWS[s][q] / hh) for q in QUARTERS)))
        st = register_stats(reg_rows)
        assert st == register_stats(reg_rows, with_site=False)
        for site in (SITE_TC, SITE_CH, SITE_JG):
            print("register", site, st[site])


if __name__ == "__main__":
    main()
