/*
 * test_text.c — unit tests of libsurvey/text.c: number parsing, label
 * normalisation, "no answer" tokens, display width, the formula guard
 * read back and the natural order of names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "survey.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct long_case {
    const char *s;
    long min, max;
    enum sv_status want;
    long value;
};

static void test_text_parse_long(void **state)
{
    static const struct long_case cases[] = {
        {"0", 0, 10, SV_OK, 0},
        {"10", 0, 10, SV_OK, 10},
        {"-5", -10, 10, SV_OK, -5},
        {"+7", 0, 10, SV_OK, 7},
        {"007", 0, 10, SV_OK, 7},
        {"11", 0, 10, SV_ERR_DATA, 0},
        {"-1", 0, 10, SV_ERR_DATA, 0},
        {"", 0, 10, SV_ERR_DATA, 0},
        {" 5", 0, 10, SV_ERR_DATA, 0},
        {"5 ", 0, 10, SV_ERR_DATA, 0},
        {"5x", 0, 10, SV_ERR_DATA, 0},
        {"x5", 0, 10, SV_ERR_DATA, 0},
        {"5.0", 0, 10, SV_ERR_DATA, 0},
        {"1e3", 0, 10000, SV_ERR_DATA, 0},
        {"0x10", 0, 100, SV_ERR_DATA, 0},
        {"-", 0, 10, SV_ERR_DATA, 0},
        {"99999999999999999999999", LONG_MIN, LONG_MAX, SV_ERR_DATA, 0},
        {"9223372036854775807", LONG_MIN, LONG_MAX, SV_OK, LONG_MAX},
    };

    (void)state;
    for (size_t i = 0; i < NELEM(cases); i++) {
        long v = -12345;
        enum sv_status st =
            sv_parse_long(cases[i].s, cases[i].min, cases[i].max, &v);
        if (st != cases[i].want)
            fail_msg("sv_parse_long(\"%s\"): status %d, want %d", cases[i].s,
                     st, cases[i].want);
        if (st == SV_OK)
            assert_int_equal(v, cases[i].value);
        else
            assert_int_equal(v, -12345); /* *OUT untouched on error */
    }
    assert_int_equal(sv_parse_long(NULL, 0, 1, &(long){0}), SV_ERR_DATA);
}

struct double_case {
    const char *s;
    enum sv_status want;
    double value;
};

static void test_text_parse_double(void **state)
{
    static const struct double_case cases[] = {
        {"0", SV_OK, 0.0},
        {"1.5", SV_OK, 1.5},
        {"-2.25", SV_OK, -2.25},
        {"1e3", SV_OK, 1000.0},
        {".5", SV_OK, 0.5},
        {"100", SV_OK, 100.0},
        {"", SV_ERR_DATA, 0},
        {" 1", SV_ERR_DATA, 0},
        {"1 ", SV_ERR_DATA, 0},
        {"1,5", SV_ERR_DATA, 0},
        {"abc", SV_ERR_DATA, 0},
        {"nan", SV_ERR_DATA, 0},
        {"inf", SV_ERR_DATA, 0},
        {"-infinity", SV_ERR_DATA, 0},
        {"1e400", SV_ERR_DATA, 0},
    };

    (void)state;
    for (size_t i = 0; i < NELEM(cases); i++) {
        double v = -1;
        enum sv_status st = sv_parse_double(cases[i].s, &v);
        if (st != cases[i].want)
            fail_msg("sv_parse_double(\"%s\"): status %d, want %d",
                     cases[i].s, st, cases[i].want);
        if (st == SV_OK && !sv_near(v, cases[i].value))
            fail_msg("sv_parse_double(\"%s\") = %g", cases[i].s, v);
    }
}

static void test_text_near(void **state)
{
    (void)state;
    assert_true(sv_near(1.0, 1.0 + 1e-12));
    assert_true(sv_near(0.0, 1e-12));
    assert_true(sv_near(1e12, 1e12 + 1.0));
    assert_false(sv_near(1.0, 1.001));
    assert_true(sv_near(NAN, NAN));
    assert_false(sv_near(NAN, 0.0));
}

struct norm_case {
    const char *in;
    const char *want;
};

static void test_text_normalize_label(void **state)
{
    static const struct norm_case cases[] = {
        {"满意", "满意"},
        {" 满意 ", "满意"},
        {"\t满意\r\n", "满意"},
        {"\xe3\x80\x80满意\xe3\x80\x80", "满意"},     /* U+3000 both ends */
        {"\xc2\xa0" "A\xc2\xa0", "a"},              /* U+00A0 both ends */
        {"\xef\xbc\xa1", "a"},                      /* full-width A */
        {"\xef\xbd\x81", "a"},                      /* full-width a */
        {"\xef\xbc\x91\xef\xbc\x90", "10"},         /* full-width 10 */
        {"\xef\xbc\xae\xef\xbc\x8f\xef\xbc\xa1", "n/a"}, /* Ｎ／Ａ */
        {"\xef\xbd\x9e", "~"},                      /* U+FF5E, last folded */
        {"\xef\xbd\x9f", "\xef\xbd\x9f"},           /* U+FF5F, not folded */
        {"YES", "yes"},
        {"Very Satisfied", "very satisfied"},
        {"a\xe3\x80\x80" "b", "a b"},               /* inner U+3000 */
        {"  ", ""},
        {"", ""},
        {"\xe3\x80\x80", ""},
        {"不满意", "不满意"},
    };

    (void)state;
    for (size_t i = 0; i < NELEM(cases); i++) {
        char out[64];
        size_t n = sv_normalize_label(cases[i].in, strlen(cases[i].in), out,
                                      sizeof out);
        if (n == (size_t)-1 || strcmp(out, cases[i].want) != 0)
            fail_msg("sv_normalize_label(\"%s\") = \"%s\", want \"%s\"",
                     cases[i].in, n == (size_t)-1 ? "(overflow)" : out,
                     cases[i].want);
        assert_int_equal(n, strlen(cases[i].want));
    }
}

static void test_text_normalize_label_len_and_cap(void **state)
{
    char out[8];

    (void)state;
    /* LEN bounds the input: no NUL terminator needed */
    assert_int_equal(sv_normalize_label("AbcDEF", 3, out, sizeof out), 3);
    assert_string_equal(out, "abc");
    /* exactly fits: 7 bytes + NUL */
    assert_int_equal(sv_normalize_label("abcdefg", 7, out, sizeof out), 7);
    assert_string_equal(out, "abcdefg");
    /* one byte too many */
    assert_int_equal(sv_normalize_label("abcdefgh", 8, out, sizeof out),
                     (size_t)-1);
    /* a CJK label of 3 x 3 bytes does not fit into 8 */
    assert_int_equal(sv_normalize_label("非常满", 9, out, sizeof out),
                     (size_t)-1);
    /* CAP 1 holds only the empty string */
    assert_int_equal(sv_normalize_label("  ", 2, out, 1), 0);
    assert_string_equal(out, "");
    assert_int_equal(sv_normalize_label("a", 1, out, 1), (size_t)-1);
    /* CAP 0: nothing may be written, not even the NUL */
    out[0] = 'z';
    assert_int_equal(sv_normalize_label("", 0, out, 0), (size_t)-1);
    assert_int_equal(out[0], 'z');
}

static void test_text_no_answer(void **state)
{
    static const char *const yes[] = {"", "N/A", "n/a", "NA", "-", "--",
                                      "不适用", "未回答", " 未回答 ",
                                      "\xef\xbc\xae\xef\xbc\x8f\xef\xbc\xa1",
                                      "(空)", "(跳过)", "-2", "-3"};
    static const char *const no[] = {"满意", "0", "no", "否", "无",
                                     "n", "a", "---", "不", "未",
                                     "-1", "2", "(其他)"};

    (void)state;
    for (size_t i = 0; i < NELEM(yes); i++) {
        char norm[64];
        sv_normalize_label(yes[i], strlen(yes[i]), norm, sizeof norm);
        if (!sv_is_no_answer(norm))
            fail_msg("\"%s\" should be no answer", yes[i]);
    }
    for (size_t i = 0; i < NELEM(no); i++) {
        char norm[64];
        sv_normalize_label(no[i], strlen(no[i]), norm, sizeof norm);
        if (sv_is_no_answer(norm))
            fail_msg("\"%s\" should be an answer", no[i]);
    }
}

struct width_case {
    const char *s;
    size_t width;
};

static void test_text_display_width(void **state)
{
    static const struct width_case cases[] = {
        {"", 0},
        {"abc", 3},
        {"满意", 4},
        {"保洁卫生 (all)", 14},
        {"\xef\xbc\xa1", 2},        /* full-width A */
        {"\xe3\x80\x80", 2},        /* ideographic space */
        {"e\xcc\x81", 1},           /* e + combining acute */
        {"\xed\x95\x9c", 2},        /* Hangul */
        {"\xf0\xa0\x80\x80", 2},    /* U+20000, CJK extension B */
        {"\xc3\xa9", 1},            /* é */
        {"\xff" "a", 2},            /* a bad byte counts as one column */
        {"\xe6\xbb", 2},            /* a cut sequence: two bad bytes */
    };

    (void)state;
    for (size_t i = 0; i < NELEM(cases); i++)
        if (sv_display_width(cases[i].s) != cases[i].width)
            fail_msg("sv_display_width(case %zu) = %zu, want %zu", i,
                     sv_display_width(cases[i].s), cases[i].width);
}

/* The "'" before = + - @ that Excel-bound outputs add, and nothing else. */
static void test_text_formula_unguard(void **state)
{
    static const char *const cases[][2] = {
        {"'=HYPERLINK(\"http://x\")", "=HYPERLINK(\"http://x\")"},
        {"'+86 138", "+86 138"},
        {"'-见附件", "-见附件"},
        {"'@翠湖", "@翠湖"},
        {"''=x", "''=x"}, /* no guard: a quote follows */
        {"'", "'"},       /* a lone quote is text */
        {"'a", "'a"},     /* a quote before other text is the text's */
        {"'1", "'1"},
        {"' =x", "' =x"},
        {"'＝x", "'＝x"}, /* full-width = runs no formula */
        {"=x", "=x"},
        {"x'=y", "x'=y"},
        {"", ""},
    };

    (void)state;
    for (size_t i = 0; i < NELEM(cases); i++)
        assert_string_equal(sv_formula_unguard(cases[i][0]), cases[i][1]);
}

static int sign(int c)
{
    return (c > 0) - (c < 0);
}

/* Pairs in natural order: A before B (and B after A). */
static void test_text_natural_cmp_pairs(void **state)
{
    static const char *const before[][2] = {
        {"第1号", "第2号"},
        {"第2号", "第12号"},
        {"第1号", "第12号"},
        {"office2", "office10"},
        {"office9", "office10"},
        {"a", "a0"},            /* a prefix first */
        {"", "0"},
        {"1", "01"},            /* equal value: the narrower first */
        {"01", "001"},
        {"001", "2"},           /* value before width */
        {"a01b1", "a1b2"},      /* any value before the widths */
        {"a1b01", "a01b1"},     /* equal values: the first width decides */
        {"office007", "office10"},
        {"x!", "x9"},           /* digit against other bytes: bytewise */
        {"x!", "x0"},
        {"x9", "xa"},
        {"1号楼", "2号楼"},
        {"99999999999999999999", "100000000000000000000"}, /* no overflow */
        {"翠湖2期", "翠湖10期"},
        {"Z", "a"},             /* no case folding */
    };
    static const char *const equal[] = {"", "第12号", "office0010", "abc"};

    (void)state;
    for (size_t i = 0; i < NELEM(before); i++) {
        if (sign(sv_natural_cmp(before[i][0], before[i][1])) != -1)
            fail_msg("'%s' should sort before '%s'", before[i][0],
                     before[i][1]);
        if (sign(sv_natural_cmp(before[i][1], before[i][0])) != 1)
            fail_msg("'%s' should sort after '%s'", before[i][1],
                     before[i][0]);
    }
    for (size_t i = 0; i < NELEM(equal); i++)
        assert_int_equal(sv_natural_cmp(equal[i], equal[i]), 0);
}

static int natural_qsort(const void *a, const void *b)
{
    return sv_natural_cmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * A total order: every pair is told apart (0 only for the same text),
 * antisymmetric and transitive over a set with leading zeros, equal
 * values of different width and mixed runs, so a sort gives one order.
 */
static void test_text_natural_cmp_total(void **state)
{
    static const char *const names[] = {
        "第12号", "第1号", "第2号", "第01号", "第001号", "第10号", "office10",
        "office2", "office02", "office", "office1a", "office01b", "1", "01",
        "10", "0", "00", "", "a", "a1", "a01", "a1b2", "a01b1", "a1b01",
        "x!", "x0", "xa", "1号楼", "12号楼", "02号楼"};
    static const char *const sorted[] = {
        "", "0", "00", "1", "01", "1号楼", "02号楼", "10", "12号楼", "a",
        "a1", "a01", "a1b01", "a01b1", "a1b2", "office", "office1a",
        "office01b", "office2", "office02", "office10", "x!", "x0", "xa",
        "第1号", "第01号", "第001号", "第2号", "第10号", "第12号"};
    const char *v[NELEM(names)];
    size_t n = NELEM(names);

    (void)state;
    assert_int_equal(NELEM(sorted), n);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            int ij = sign(sv_natural_cmp(names[i], names[j]));
            assert_int_equal(ij, -sign(sv_natural_cmp(names[j], names[i])));
            assert_int_equal(ij == 0, strcmp(names[i], names[j]) == 0);
            for (size_t k = 0; k < n && ij < 0; k++)
                if (sv_natural_cmp(names[j], names[k]) < 0 &&
                    sv_natural_cmp(names[i], names[k]) >= 0)
                    fail_msg("not transitive: '%s' < '%s' < '%s'", names[i],
                             names[j], names[k]);
        }
    memcpy(v, names, sizeof v);
    qsort(v, n, sizeof *v, natural_qsort);
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], sorted[i]))
            fail_msg("position %zu: '%s', want '%s'", i, v[i], sorted[i]);
}

static void test_text_error_set(void **state)
{
    struct sv_error err;
    char longname[600];

    (void)state;
    assert_int_equal(sv_error_set(&err, SV_ERR_DATA, "a.csv", 7, "保洁卫生",
                                  "bad %s", "thing"),
                     SV_ERR_DATA);
    assert_int_equal(err.code, SV_ERR_DATA);
    assert_string_equal(err.file, "a.csv");
    assert_int_equal(err.line, 7);
    assert_string_equal(err.column, "保洁卫生");
    assert_string_equal(err.msg, "bad thing");
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    sv_error_set(&err, SV_ERR_IO, longname, 0, NULL, "%s", longname);
    assert_int_equal(strlen(err.file), SV_ERR_FILE_MAX - 1);
    assert_int_equal(strlen(err.msg), SV_ERR_MSG_MAX - 1);
    assert_string_equal(err.column, "");
    sv_error_clear(&err);
    assert_int_equal(err.code, SV_OK);
    assert_string_equal(err.file, "");
    assert_int_equal(sv_error_set(NULL, SV_ERR_LIMIT, NULL, 0, NULL, "x"),
                     SV_ERR_LIMIT);
    sv_error_clear(NULL);
    assert_non_null(sv_strerror(SV_ERR_DATA));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_parse_long),
        cmocka_unit_test(test_text_parse_double),
        cmocka_unit_test(test_text_near),
        cmocka_unit_test(test_text_normalize_label),
        cmocka_unit_test(test_text_normalize_label_len_and_cap),
        cmocka_unit_test(test_text_no_answer),
        cmocka_unit_test(test_text_display_width),
        cmocka_unit_test(test_text_formula_unguard),
        cmocka_unit_test(test_text_natural_cmp_pairs),
        cmocka_unit_test(test_text_natural_cmp_total),
        cmocka_unit_test(test_text_error_set),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
