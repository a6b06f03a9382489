/*
 * test_scale.c — unit tests of libsurvey/scale.c: the built-in scales of
 * PRODUCT.md 3.2 with their aliases, scores and top levels, and inline
 * custom scales.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "survey.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct code_case {
    const char *answer;
    int code; /* -1 no answer, -2 unknown */
};

static void check_codes(const char *spec, const struct code_case *c,
                        size_t n)
{
    struct sv_error err;
    struct sv_scale *s = sv_scale_parse(spec, &err);

    if (!s)
        fail_msg("sv_scale_parse(\"%s\"): %s", spec, err.msg);
    for (size_t i = 0; i < n; i++) {
        int got = sv_scale_code(s, c[i].answer, strlen(c[i].answer));
        if (got != c[i].code)
            fail_msg("%s: code of \"%s\" = %d, want %d", spec, c[i].answer,
                     got, c[i].code);
    }
    sv_scale_free(s);
}

static void test_scale_abc3_codes(void **state)
{
    static const struct code_case c[] = {
        {"满意", 3}, {"A", 3}, {"a", 3}, {"\xef\xbc\xa1", 3} /* Ａ */,
        {" 满意 ", 3}, {"\xe3\x80\x80满意", 3}, {"Satisfied", 3},
        {"SATISFIED", 3},
        {"较满意", 2}, {"比较满意", 2}, {"基本满意", 2}, {"B", 2},
        {"\xef\xbd\x82", 2},
        {"Fairly Satisfied", 2},
        {"不满意", 1}, {"C", 1}, {"c", 1}, {"dissatisfied", 1},
        {"", -1}, {"  ", -1}, {"N/A", -1}, {"不适用", -1}, {"未回答", -1},
        {"-", -1}, {"(空)", -1}, {"（跳过）", -1}, {"-2", -1}, {"-3", -1},
        {"很满意", -2}, {"D", -2}, {"满 意", -2}, {"1", -2}, {"AB", -2},
        {"非常满意", -2},
    };

    (void)state;
    check_codes("abc3", c, NELEM(c));
}

static void test_scale_likert5_codes(void **state)
{
    static const struct code_case c[] = {
        {"非常满意", 5}, {"5", 5}, {"\xef\xbc\x95", 5} /* ５ */,
        {"Very Satisfied", 5},
        {"满意", 4}, {"比较满意", 4}, {"4", 4}, {"satisfied", 4},
        {"一般", 3}, {"3", 3}, {"Neutral", 3},
        {"不满意", 2}, {"不太满意", 2}, {"2", 2},
        {"非常不满意", 1}, {"1", 1}, {"very dissatisfied", 1},
        {"", -1}, {"N/A", -1},
        {"0", -2}, {"6", -2}, {"较满意", -2}, {"基本满意", -2}, {"A", -2},
        {"4.0", -2},
    };

    (void)state;
    check_codes("likert5", c, NELEM(c));
}

static void test_scale_nps11_codes(void **state)
{
    static const struct code_case c[] = {
        {"0", 0}, {"1", 1}, {"5", 5}, {"9", 9}, {"10", 10}, {" 7 ", 7},
        {"\xef\xbc\x91\xef\xbc\x90", 10}, /* １０ */
        {"", -1}, {"N/A", -1},
        {"11", -2}, {"-1", -2}, {"5.5", -2}, {"05", -2}, {"ten", -2},
        {"100", -2},
    };

    (void)state;
    check_codes("nps11", c, NELEM(c));
}

static void test_scale_yesno_codes(void **state)
{
    static const struct code_case c[] = {
        {"是", 1}, {"有", 1}, {"yes", 1}, {"YES", 1}, {"Y", 1}, {"y", 1},
        {"true", 1}, {"True", 1}, {"1", 1},
        {"否", 0}, {"无", 0}, {"no", 0}, {"No", 0}, {"n", 0}, {"N", 0},
        {"false", 0}, {"0", 0},
        {"", -1}, {"不适用", -1},
        {"2", -2}, {"maybe", -2}, {"是的", -2},
    };

    (void)state;
    check_codes("yesno", c, NELEM(c));
}

/* Expected shape of a scale: kind, levels, top, labels, scores, sat. */
struct shape {
    const char *spec;
    const char *name;
    enum sv_scale_kind kind;
    int levels, top, first_code;
    const char *labels[SV_SCALE_MAX_LEVELS];
    double scores[SV_SCALE_MAX_LEVELS];
    int sat[SV_SCALE_MAX_LEVELS];
};

static const struct shape shapes[] = {
    {"abc3", "abc3", SV_SCALE_ORDINAL, 3, 2, 1,
     {"满意", "较满意", "不满意"}, {100, 50, 0}, {1, 1, 0}},
    {"likert5", "likert5", SV_SCALE_ORDINAL, 5, 2, 1,
     {"非常满意", "满意", "一般", "不满意", "非常不满意"},
     {100, 75, 50, 25, 0}, {1, 1, 0, 0, 0}},
    {"nps11", "nps11", SV_SCALE_NPS, 11, 0, 0,
     {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"},
     {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, {0}},
    {"yesno", "yesno", SV_SCALE_YESNO, 2, 0, 0, {"否", "是"}, {0, 100},
     {0, 0}},
    {"levels=很好:100|好:80|一般:60|差:0;top=2", "custom", SV_SCALE_ORDINAL,
     4, 2, 1, {"很好", "好", "一般", "差"}, {100, 80, 60, 0}, {1, 1, 0, 0}},
    {"levels=很好|好|一般|差", "custom", SV_SCALE_ORDINAL, 4, 2, 1,
     {"很好", "好", "一般", "差"}, {100, 200.0 / 3, 100.0 / 3, 0},
     {1, 1, 0, 0}},
    {"levels=优|良|中|差|劣;top=1", "custom", SV_SCALE_ORDINAL, 5, 1, 1,
     {"优", "良", "中", "差", "劣"}, {100, 75, 50, 25, 0}, {1, 0, 0, 0, 0}},
    {"top=3;levels=a:10|b|c:0", "custom", SV_SCALE_ORDINAL, 3, 3, 1,
     {"a", "b", "c"}, {10, 50, 0}, {1, 1, 1}},
    {"levels=很好/非常好:100|好:70|差:0;top=1", "custom", SV_SCALE_ORDINAL, 3,
     1, 1, {"很好", "好", "差"}, {100, 70, 0}, {1, 0, 0}},
    {"levels=yes:1|no:0", "custom", SV_SCALE_ORDINAL, 2, 1, 1, {"yes", "no"},
     {1, 0}, {1, 0}},
};

static void check_shape(const struct shape *sh)
{
    struct sv_error err;
    struct sv_scale *s = sv_scale_parse(sh->spec, &err);

    if (!s)
        fail_msg("sv_scale_parse(\"%s\"): %s", sh->spec, err.msg);
    assert_string_equal(sv_scale_name(s), sh->name);
    assert_int_equal(sv_scale_kind(s), sh->kind);
    assert_int_equal(sv_scale_levels(s), sh->levels);
    assert_int_equal(sv_scale_top(s), sh->top);
    for (int i = 0; i < sh->levels; i++) {
        /* ordinal labels are listed best first; the best of k is level k */
        int code = sh->kind == SV_SCALE_ORDINAL ? sh->levels - i
                                                : sh->first_code + i;
        const char *label = sv_scale_label(s, code);
        assert_string_equal(label, sh->labels[i]);
        /* the canonical label maps back to its code */
        assert_int_equal(sv_scale_code(s, label, strlen(label)), code);
        if (!sv_near(sv_scale_score(s, code), sh->scores[i]))
            fail_msg("%s: score of %d = %g, want %g", sh->spec, code,
                     sv_scale_score(s, code), sh->scores[i]);
        assert_int_equal(sv_scale_sat(s, code), sh->sat[i]);
    }
    /* out of range codes */
    assert_string_equal(sv_scale_label(s, sh->first_code - 1), "");
    assert_string_equal(sv_scale_label(s, sh->first_code + sh->levels), "");
    assert_true(isnan(sv_scale_score(s, sh->first_code + sh->levels)));
    assert_true(isnan(sv_scale_score(s, -1)));
    assert_int_equal(sv_scale_sat(s, -1), 0);
    assert_int_equal(sv_scale_sat(s, sh->first_code + sh->levels), 0);
    sv_scale_free(s);
}

static void test_scale_shapes(void **state)
{
    (void)state;
    for (size_t i = 0; i < NELEM(shapes); i++)
        check_shape(&shapes[i]);
}

static void test_scale_custom_aliases(void **state)
{
    static const struct code_case c[] = {
        {"很好", 4}, {"非常好", 4}, {" 非常好 ", 4}, {"好", 3}, {"一般", 2},
        {"差", 1}, {"", -1}, {"很差", -2}, {"非常", -2},
    };
    static const struct code_case ab[] = {
        {"A", 2}, {"a", 2}, {"\xef\xbc\xa1", 2}, {"Excellent", 2},
        {"b", 1}, {"GOOD", 1}, {"c", -2},
    };

    (void)state;
    check_codes("levels=很好/非常好:100|好:80|一般:60|差:0;top=2", c,
                NELEM(c));
    check_codes("levels=A/excellent|B/Good", ab, NELEM(ab));
}

static void test_scale_custom_malformed(void **state)
{
    static const char *const bad[] = {
        "",                               /* nothing */
        "abc4",                           /* unknown built-in name */
        "ABC3",                           /* names are exact */
        "likert",                         /* likewise */
        "levels=",                        /* no levels */
        "levels=好",                      /* one level */
        "levels=好|",                     /* empty level at the end */
        "levels=|好|差",                  /* empty first level */
        "levels=好||差",                  /* empty level in between */
        "levels=好:x|差:0",               /* bad score */
        "levels=好:|差:0",                /* empty score */
        "levels=好:nan|差:0",             /* not finite */
        "levels=:100|差:0",               /* empty label */
        "levels=好/:100|差:0",            /* empty alias */
        "levels=好|差;top=3",             /* top > levels */
        "levels=好|差;top=0",             /* top < 1 */
        "levels=好|差;top=x",             /* bad top */
        "levels=好|差;top=",              /* empty top */
        "levels=好|差;bottom=1",          /* unknown key */
        "levels=好|差;levels=a|b",        /* levels twice */
        "top=1",                          /* top without levels */
        "levels=好|好|差",                /* a label twice */
        "levels=A|a",                     /* the same after folding */
        "levels=很好/好|好|差",           /* an alias that is a label */
        "levels=好|-|差",                 /* a no-answer token */
        "levels=好|不适用",               /* likewise */
        "levels=1|2|3|4|5|6|7|8|9|10|11|12|13|14|15|16|17", /* > 16 */
    };

    (void)state;
    for (size_t i = 0; i < NELEM(bad); i++) {
        struct sv_error err;
        struct sv_scale *s;

        sv_error_clear(&err);
        s = sv_scale_parse(bad[i], &err);
        if (s) {
            sv_scale_free(s);
            fail_msg("sv_scale_parse(\"%s\") accepted", bad[i]);
        }
        if (err.code != SV_ERR_DATA || !err.msg[0])
            fail_msg("sv_scale_parse(\"%s\"): code %d msg '%s'", bad[i],
                     err.code, err.msg);
    }
    /* sixteen levels is the limit, not an error */
    {
        struct sv_scale *s = sv_scale_parse(
            "levels=1|2|3|4|5|6|7|8|9|10|11|12|13|14|15|16", NULL);
        assert_non_null(s);
        assert_int_equal(sv_scale_levels(s), SV_SCALE_MAX_LEVELS);
        assert_int_equal(sv_scale_top(s), 8);
        sv_scale_free(s);
    }
    assert_null(sv_scale_parse("levels=x", NULL)); /* ERR may be NULL */
    sv_scale_free(NULL);
}

static void test_scale_long_answer(void **state)
{
    char answer[400];
    struct sv_scale *s = sv_scale_parse("abc3", NULL);

    (void)state;
    assert_non_null(s);
    memset(answer, 'a', sizeof answer);
    /* too long to be any label: unknown, never a crash */
    assert_int_equal(sv_scale_code(s, answer, sizeof answer), -2);
    /* LEN bounds the answer: "a" followed by junk */
    assert_int_equal(sv_scale_code(s, "Axyz", 1), 3);
    sv_scale_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scale_abc3_codes),
        cmocka_unit_test(test_scale_likert5_codes),
        cmocka_unit_test(test_scale_nps11_codes),
        cmocka_unit_test(test_scale_yesno_codes),
        cmocka_unit_test(test_scale_shapes),
        cmocka_unit_test(test_scale_custom_aliases),
        cmocka_unit_test(test_scale_custom_malformed),
        cmocka_unit_test(test_scale_long_answer),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
