/*
 * test_opinion.c — unit tests of opinion.c: masking personal numbers in
 * comments and counting themes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "survey.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct mask_case {
    const char *in;
    const char *want;
};

static void test_mask_pii(void **state)
{
    static const struct mask_case cases[] = {
        {"", ""},
        {"没有意见", "没有意见"},
        {"电话13812345678请回电", "电话****请回电"},
        {"13812345678", "****"},
        {"tel: 138-1234-5678.", "tel: ****."},
        {"tel 138 1234 5678", "tel ****"},
        {"+8613812345678", "+****"},
        {"+86 138 1234 5678", "+****"},
        {"身份证110101199003074514", "身份证****"},
        {"身份证11010119900307451X号", "身份证****号"},
        {"身份证11010119900307451x", "身份证****"},
        /* full-width digits (１３８…) */
        {"\xef\xbc\x91\xef\xbc\x93\xef\xbc\x98\xef\xbc\x91\xef\xbc\x92"
         "\xef\xbc\x93\xef\xbc\x94\xef\xbc\x95\xef\xbc\x96\xef\xbc\x97"
         "\xef\xbc\x98", "****"},
        /* not personal: other lengths, other prefixes, dates, units */
        {"12812345678", "12812345678"},
        {"138123456789", "138123456789"},
        {"1381234567", "1381234567"},
        {"2026-01-05 报修3次", "2026-01-05 报修3次"},
        {"2栋3单元1102室", "2栋3单元1102室"},
        {"2026-01-05 12:30", "2026-01-05 12:30"},
        {"3.5 分, 120 元, 86 86 86 86 86 86 86", "3.5 分, 120 元, 86 86 86 86 86 86 86"},
        {"123456789012345678901", "123456789012345678901"},
        {"a@b", "a@b"},
        {"user@localhost", "user@localhost"},
        /* issue 16: the forms the first masking missed */
        {"0755-12345678", "****"},
        {"座机(010) 12345678", "座机(****"},
        {"010 1234 5678", "****"},
        {"008613800138000", "****"},
        {"138.0013.8000", "****"},
        {"138\xef\xbc\x8d" "0013\xef\xbc\x8d" "8000", "****"},
        {"138\xe3\x80\x80" "0013\xe3\x80\x80" "8000", "****"},
        {"138\xc2\xa0" "0013\xc2\xa0" "8000", "****"},
        {"1380 013 8000", "****"},
        {"138 - 0013 - 8000", "****"},
        {"110101 19900307 123X", "****"},
        {"110101-19900307-1234", "****"},
        {"身份证11010119900307451X.", "身份证****."},
        {"mail: zhang.san+1@example.com.cn.", "mail: ****."},
        {"13812345678@qq.com", "****"},
        {"电话：13800138000，邮箱a_b@163.com", "电话：****，邮箱****"},
        {"2026-01-05 13812345678", "2026-01-05 ****"},
        {"1234567890123456789", "1234567890123456789"},
        {"a13812345678b", "a****b"},
        {"13812345678,13912345678", "****,****"},
        /* issue 16, second pass: slashes, underscores, tildes */
        {"138/0013/8000", "****"},
        {"138_0013_8000", "****"},
        {"138~0013~8000", "****"},
        {"138\xef\xbc\x8f" "0013\xef\xbc\x8f" "8000", "****"},
        {"138\xef\xbd\x9e" "0013\xef\xbd\x9e" "8000", "****"},
        {"2026/07/15 来访", "2026/07/15 来访"},
        /* issue 16, third pass: addresses beyond ASCII, Chinese numerals */
        {"联系张三@例子.公司", "****"},
        {"邮箱user@例子.cn，谢谢", "邮箱****，谢谢"},
        {"邮箱abc@qq.com谢谢", "邮箱****谢谢"},
        {"邮箱zhang\xef\xbc\xa0qq.com", "邮箱****"},
        {"邮箱zhang\xef\xbc\xa0qq\xef\xbc\x8e" "com。", "邮箱****。"},
        {"a@例子", "a@例子"},
        {"张三@例子.1", "张三@例子.1"},
        {"电话一三八 零零一三 八零零零", "电话****"},
        {"电话幺三八零零幺三八零零零。", "电话****。"},
        {"电话一三八零零一三八零零零", "电话****"},
        {"电话壹叁捌零零壹叁捌零零零", "电话****"},
        {"一三八〇〇一三八〇〇〇", "****"},
        {"138零零13八000", "****"},
        {"我一直觉得三五个保安不够", "我一直觉得三五个保安不够"},
        {"二〇二六年七月一五日", "二〇二六年七月一五日"},
        {"一三八零零一三八零零", "一三八零零一三八零零"},
        {"王五一三八零零一三八零零零", "王五****"},
        {"张三幺三八零零幺三八零零零", "张三****"},
    };
    char out[256];

    (void)state;
    for (size_t i = 0; i < NELEM(cases); i++) {
        size_t n = sv_mask_pii(cases[i].in, out, sizeof out);
        if (n == (size_t)-1 || strcmp(out, cases[i].want))
            fail_msg("sv_mask_pii(\"%s\") = \"%s\", want \"%s\"",
                     cases[i].in, n == (size_t)-1 ? "(error)" : out,
                     cases[i].want);
        assert_int_equal(n, strlen(cases[i].want));
    }
}

static void test_mask_pii_capacity(void **state)
{
    char out[8];

    (void)state;
    assert_int_equal(sv_mask_pii("abcdefg", out, 8), 7);
    assert_string_equal(out, "abcdefg");
    assert_int_equal(sv_mask_pii("abcdefgh", out, 8), (size_t)-1);
    assert_int_equal(sv_mask_pii("13812345678", out, 5), 4);
    assert_string_equal(out, "****");
    assert_int_equal(sv_mask_pii("13812345678", out, 4), (size_t)-1);
    assert_int_equal(sv_mask_pii("x", out, 0), (size_t)-1);
}

static double seconds(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/*
 * Issue 16: 1 MB of adversarial text (a 360 KB comment of "86 86 86 ..."
 * overflowed the stack, 12 KB took 60 s) is masked in well under the
 * limit, even under ASan; every pattern is tried on its own.
 */
static void test_mask_pii_adversarial(void **state)
{
    static const char *const units[] = {
        "86 ", "1", "8", "13812345678 ", "0", "1-", "86 138 ", "x@",
        "\xef\xbc\x91\xe3\x80\x80", "a.", "1 ", "张@", "张@例.",
        "一三八 ", "幺", "一", "三五", "a@b.", "\xef\xbc\xa0\xef\xbc\x8e", "例.",
    };
    size_t size = 1 << 20, len;
    char *in = malloc(size + 16), *out = malloc(size + 16);

    (void)state;
    assert_non_null(in);
    assert_non_null(out);
    for (size_t u = 0; u < NELEM(units); u++) {
        double t0 = seconds();
        for (len = 0; len + strlen(units[u]) <= size;
             len += strlen(units[u]))
            memcpy(in + len, units[u], strlen(units[u]));
        in[len] = '\0';
        assert_true(sv_mask_pii(in, out, size + 16) <= len);
        if (seconds() - t0 > 5.0)
            fail_msg("masking 1 MB of \"%s...\" took %.1f s", units[u],
                     seconds() - t0);
    }
    free(in);
    free(out);
}

static void test_opinion_themes(void **state)
{
    struct sv_opinions *o = sv_opinions_new(NULL);
    struct sv_keyword k[32];
    size_t n;

    (void)state;
    assert_non_null(o);
    assert_int_equal(sv_opinions_add(o, "停车位太少，晚上乱停车", NULL),
                     SV_OK);
    assert_int_equal(sv_opinions_add(o, "电梯经常坏，停车也难", NULL), SV_OK);
    assert_int_equal(sv_opinions_add(o, "保洁很好，表扬", NULL), SV_OK);
    assert_int_equal(sv_opinions_comments(o), 3);
    n = sv_opinions_theme_counts(o, k, NELEM(k));
    assert_int_equal(n, 4);
    assert_string_equal(k[0].text, "停车"); /* once per comment */
    assert_int_equal(k[0].count, 2);
    assert_int_equal(k[1].count, 1);
    n = sv_opinions_theme_counts(o, k, 1);
    assert_int_equal(n, 1);
    sv_opinions_free(o);
    sv_opinions_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mask_pii),
        cmocka_unit_test(test_mask_pii_capacity),
        cmocka_unit_test(test_mask_pii_adversarial),
        cmocka_unit_test(test_opinion_themes),
    };
    return cmocka_run_group_tests_name("opinion", tests, NULL, NULL);
}
