/*
 * test_template.c — unit tests of libsurvey/template.c: the roles, scales
 * and labels guessed for a codebook skeleton from header texts and sample
 * values (survey-import --template).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "survey.h"

#include "testutil.h"

/* Guesses the template of the CSV text IN; caller frees. */
static struct sv_table *guess(const char *in, size_t max_rows)
{
    struct sv_error err;
    FILE *fp = fmemopen((void *)in, strlen(in), "r");
    struct sv_source *src;
    struct sv_table *t;

    assert_non_null(fp);
    src = sv_source_open_stream(fp, "t.csv", NULL, &err);
    assert_non_null(src);
    t = sv_template_guess(src, max_rows, &err);
    sv_source_free(src);
    fclose(fp);
    return t;
}

/* Asserts row ROW of T reads COLUMN,ROLE,SCALE,LABEL. */
static void expect_row(const struct sv_table *t, size_t row,
                       const char *column, const char *role,
                       const char *scale, const char *label)
{
    assert_string_equal(sv_table_get(t, row, 0), column);
    assert_string_equal(sv_table_get(t, row, 1), role);
    assert_string_equal(sv_table_get(t, row, 2), scale);
    assert_string_equal(sv_table_get(t, row, 3), label);
}

static void test_template_questionnaire(void **state)
{
    static const char in[] =
        "序号,填表日期,管理处,单元号,业主姓名,联系电话,楼栋,"
        "3、您对小区保洁卫生服务的满意程度,维修服务,总体满意度,推荐意愿,"
        "本季度是否投诉过,是否重复投诉,意见和建议\n"
        "1,2026-07-15,翠湖,5-101,张三,13800000000,5栋,满意,非常满意,较满意,9,否,,"
        "电梯经常坏\n"
        "2,2026/7/16 10:23,翠湖,5-102,李四,13900000000,6栋,不满意,一般,满意,3,是,"
        "是,\n"
        "3,2026年7月17日,翠湖,5-103,,,6栋,B,不满意,不适用,10,否,否,\n";
    struct sv_table *t = guess(in, 100);

    (void)state;
    assert_non_null(t);
    assert_int_equal(sv_table_nrows(t), 14);
    assert_string_equal(sv_table_name(t, 0), "column");
    assert_string_equal(sv_table_name(t, 3), "label");
    expect_row(t, 0, "序号", "ignore", "", "");
    expect_row(t, 1, "填表日期", "date", "", "");
    expect_row(t, 2, "管理处", "site", "", "");
    expect_row(t, 3, "单元号", "id", "", "");
    expect_row(t, 4, "业主姓名", "pii", "", "");
    expect_row(t, 5, "联系电话", "pii", "", "");
    expect_row(t, 6, "楼栋", "group", "", "");
    expect_row(t, 7, "3、您对小区保洁卫生服务的满意程度", "dimension", "abc3",
               "小区保洁卫生服务");
    expect_row(t, 8, "维修服务", "dimension", "likert5", "");
    expect_row(t, 9, "总体满意度", "overall", "abc3", "");
    expect_row(t, 10, "推荐意愿", "nps", "nps11", "");
    expect_row(t, 11, "本季度是否投诉过", "complaint", "yesno", "");
    expect_row(t, 12, "是否重复投诉", "repeat_complaint", "yesno", "");
    expect_row(t, 13, "意见和建议", "comment", "", "");
    sv_table_free(t);
}

static void test_template_values_decide(void **state)
{
    /* no name hints: the values alone; 1-5 digits are likert5, 0-10 nps */
    static const char in[] =
        "Q1. 保安,Q2,Q3,Q4,Q5,Q6\n"
        "A,5,0,是,2026-01-02,x\n"
        "C,1,10,否,2026-01-03,y\n"
        "b,3,7,,2026-01-04,z\n";
    struct sv_table *t = guess(in, 100);

    (void)state;
    assert_non_null(t);
    expect_row(t, 0, "Q1. 保安", "dimension", "abc3", "保安");
    expect_row(t, 1, "Q2", "dimension", "likert5", "");
    expect_row(t, 2, "Q3", "nps", "nps11", "");
    expect_row(t, 3, "Q4", "group", "", "");
    expect_row(t, 4, "Q5", "date", "", "");
    expect_row(t, 5, "Q6", "ignore", "", "");
    sv_table_free(t);
}

static void test_template_names_beat_items(void **state)
{
    /* "项目" names a site, but answers on a scale make it an item; a time
     * column without times is not a date; the sample stops at MAX_ROWS */
    static const char in[] =
        "您对以下项目的满意度,所用时间,备注\n"
        "满意,123秒,\n"
        "不满意,98秒,\n"
        "not a label,1秒,\n";
    struct sv_table *t = guess(in, 2);

    (void)state;
    assert_non_null(t);
    expect_row(t, 0, "您对以下项目的满意度", "dimension", "abc3", "以下项目");
    expect_row(t, 1, "所用时间", "ignore", "", "");
    expect_row(t, 2, "备注", "comment", "", "");
    sv_table_free(t);
}

static void test_template_stray_answers(void **state)
{
    /* one stray answer in six still makes an abc3 item; half does not */
    static const char in[] =
        "保洁卫生,车辆管理\n"
        "满意,满意\n"
        "较满意,x\n"
        "很满意,y\n"
        "不满意,z\n"
        "满意,较满意\n"
        "满意,不满意\n";
    struct sv_table *t = guess(in, 100);

    (void)state;
    assert_non_null(t);
    expect_row(t, 0, "保洁卫生", "dimension", "abc3", "");
    expect_row(t, 1, "车辆管理", "ignore", "", "");
    sv_table_free(t);
}

/* issue 13: one site, one date, items by their answers, clean labels */
static void test_template_one_site_one_date(void **state)
{
    static const char in[] =
        "编号,开始答题时间,结束答题时间,1.您所在的小区,2.您的门牌号,"
        "3、您对小区保安服务是否满意？,4.您对小区物业服务的总体评价,"
        "5.您向小区邻居推荐我们的可能性,6.您是否向小区物业投诉过？,"
        "7.您希望小区改进哪些方面？,8.您对小区物业的意见和建议\n"
        "1,2026-04-01 10:00:00,2026-04-01 10:05:00,金桂苑,1-101,基本满意,满意,"
        "9,否,保安┋保洁,电梯太慢，希望尽快维修一下\n"
        "2,2026-04-02 10:00:00,2026-04-02 10:05:00,金桂苑,1-102,满意,不满意,"
        "3,是,停车,(空)\n"
        "3,2026-04-03 10:00:00,2026-04-03 10:05:00,翠湖,1-103,不满意,基本满意,"
        "10,否,保洁┋绿化┋停车,地下车库的灯光太暗了，晚上看不清楚路\n";
    struct sv_table *t = guess(in, 100);

    (void)state;
    assert_non_null(t);
    expect_row(t, 0, "编号", "ignore", "", "");
    expect_row(t, 1, "开始答题时间", "ignore", "", "");
    expect_row(t, 2, "结束答题时间", "date", "", "");
    expect_row(t, 3, "1.您所在的小区", "site", "", "");
    expect_row(t, 4, "2.您的门牌号", "id", "", "");
    expect_row(t, 5, "3、您对小区保安服务是否满意？", "dimension", "abc3",
               "小区保安服务");
    expect_row(t, 6, "4.您对小区物业服务的总体评价", "overall", "abc3",
               "小区物业服务的总体评价");
    expect_row(t, 7, "5.您向小区邻居推荐我们的可能性", "nps", "nps11",
               "推荐意愿");
    expect_row(t, 8, "6.您是否向小区物业投诉过？", "complaint", "yesno",
               "您是否向小区物业投诉过");
    expect_row(t, 9, "7.您希望小区改进哪些方面？", "multi", "",
               "您希望小区改进哪些方面");
    expect_row(t, 10, "8.您对小区物业的意见和建议", "comment", "",
               "小区物业的意见和建议");
    sv_table_free(t);
}

static void test_template_register(void **state)
{
    static const char in[] =
        "投诉编号,受理时间,房号,管理处,投诉类别,是否紧急,完成时间,处理状态,"
        "处理结果,投诉人,联系电话\n"
        "T1,2026-03-01 09:00,5-101,翠湖,维修,是,2026-03-01 10:00,已办结,"
        "已修好,张三,138\n";
    struct sv_table *t = guess(in, 100);

    (void)state;
    assert_non_null(t);
    expect_row(t, 0, "投诉编号", "ignore", "", "");
    expect_row(t, 1, "受理时间", "received", "", "");
    expect_row(t, 2, "房号", "household", "", "");
    expect_row(t, 3, "管理处", "site", "", "");
    expect_row(t, 4, "投诉类别", "category", "", "");
    expect_row(t, 5, "是否紧急", "urgency", "yesno", "");
    expect_row(t, 6, "完成时间", "closed", "", "");
    expect_row(t, 7, "处理状态", "status", "", "");
    expect_row(t, 8, "处理结果", "comment", "", "");
    expect_row(t, 9, "投诉人", "pii", "", "");
    sv_table_free(t);
}

static void test_template_empty_file(void **state)
{
    struct sv_error err;
    FILE *fp = fmemopen((void *)"\n", 1, "r");
    struct sv_source *src = sv_source_open_stream(fp, "e.csv", NULL, &err);

    (void)state;
    assert_non_null(src);
    assert_null(sv_template_guess(src, 10, &err));
    assert_int_equal(err.code, SV_ERR_DATA);
    sv_source_free(src);
    fclose(fp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_template_questionnaire),
        cmocka_unit_test(test_template_values_decide),
        cmocka_unit_test(test_template_names_beat_items),
        cmocka_unit_test(test_template_stray_answers),
        cmocka_unit_test(test_template_one_site_one_date),
        cmocka_unit_test(test_template_register),
        cmocka_unit_test(test_template_empty_file),
    };
    return cmocka_run_group_tests(tests, test_gsl_setup, NULL);
}
