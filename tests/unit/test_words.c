/*
 * test_words.c — unit tests of words.c: comments segmented into words by
 * ICU's dictionary-based word break iterator, stop words dropped, words
 * and two-word phrases counted once per comment with a masked example,
 * and the bound on the table.
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

/* Count of TEXT among the N entries of W, 0 when absent. */
static size_t count_of(const struct sv_word *w, size_t n, const char *text)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(w[i].text, text))
            return w[i].count;
    return 0;
}

static struct sv_words *collect(const char *const *comments, size_t n)
{
    struct sv_error err;
    struct sv_words *o = sv_words_new(&err);

    assert_non_null(o);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(sv_words_add(o, comments[i], &err), SV_OK);
    return o;
}

/* Words, not character n-grams: 停车位 and 电梯, never 车位太 or 梯经. */
static void test_words_segmented(void **state)
{
    static const char *const c[] = {
        "小区停车位太少，电梯经常坏。请回电13812345678",
        "停车位不够，电梯经常坏",
        "我们希望电梯经常维修，电梯电梯",
    };
    struct sv_words *o = collect(c, 3);
    struct sv_word w[32];
    size_t n = sv_words_top(o, 0, 1, w, 32, NULL);

    (void)state;
    assert_int_equal(sv_words_comments(o), 3);
    assert_int_equal(count_of(w, n, "电梯"), 3); /* once per comment */
    assert_int_equal(count_of(w, n, "停车位"), 2);
    assert_int_equal(count_of(w, n, "维修"), 1);
    assert_int_equal(count_of(w, n, "车位太"), 0);
    assert_int_equal(count_of(w, n, "梯经"), 0);
    /* stop words and single characters are not themes */
    assert_int_equal(count_of(w, n, "我们"), 0);
    assert_int_equal(count_of(w, n, "希望"), 0);
    assert_int_equal(count_of(w, n, "经常"), 0);
    assert_int_equal(count_of(w, n, "坏"), 0);
    /* most frequent first; the example is the first comment, masked */
    assert_string_equal(w[0].text, "电梯");
    assert_string_equal(w[0].example,
                        "小区停车位太少，电梯经常坏。请回电****");
    assert_int_equal(sv_words_top(o, 0, 3, w, 32, NULL), 1);
    sv_words_free(o);
}

/* Two content words in a row are a phrase; a stop word between is not. */
static void test_words_phrases(void **state)
{
    static const char *const c[] = {
        "地下车库太暗\n漏水",
        "地下车库漏水",
        "地下的车库",
        "装修噪音大，地下车库",
    };
    struct sv_words *o = collect(c, 4);
    struct sv_word w[32];
    size_t n = sv_words_top(o, 1, 1, w, 32, NULL);

    (void)state;
    assert_int_equal(count_of(w, n, "地下车库"), 3);
    assert_int_equal(count_of(w, n, "装修噪音"), 1);
    assert_int_equal(count_of(w, n, "地下的车库"), 0);
    assert_string_equal(w[0].text, "地下车库");
    assert_string_equal(w[0].example, "地下车库太暗 漏水"); /* one line */
    sv_words_free(o);
}

/* A long comment's example is cut at a character boundary with "…". */
static void test_words_example_cut(void **state)
{
    char text[1024] = "电梯";
    struct sv_words *o;
    struct sv_word w[4];

    (void)state;
    for (int i = 0; i < 150; i++)
        strcat(text, "很");
    o = collect((const char *const[]){text}, 1);
    assert_int_equal(sv_words_top(o, 0, 1, w, 4, NULL), 1);
    assert_int_equal(strlen(w[0].example), 240 + 3);
    assert_string_equal(w[0].example + 240, "\xe2\x80\xa6");
    sv_words_free(o);
}

/* More distinct words than SV_WORDS_MAX: the table stays bounded and the
 * words seen in every comment keep their exact count. */
static void test_words_bound(void **state)
{
    struct sv_error err;
    struct sv_words *o = sv_words_new(&err);
    struct sv_word w[2];
    char text[64 * 8 + 64];
    size_t made = 0;

    (void)state;
    assert_non_null(o);
    while (made < SV_WORDS_MAX + 5000) {
        size_t len = (size_t)snprintf(text, sizeof text, "elevator");
        for (int k = 0; k < 60; k++, made++)
            len += (size_t)snprintf(text + len, sizeof text - len, " w%zx",
                                    made + 0xa00000);
        assert_int_equal(sv_words_add(o, text, &err), SV_OK);
    }
    assert_int_equal(sv_words_top(o, 0, 1, w, 2, NULL), 2);
    assert_string_equal(w[0].text, "elevator");
    assert_int_equal(w[0].count, sv_words_comments(o));
    sv_words_free(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_words_segmented),
        cmocka_unit_test(test_words_phrases),
        cmocka_unit_test(test_words_example_cut),
        cmocka_unit_test(test_words_bound),
    };
    return cmocka_run_group_tests_name("words", tests, NULL, NULL);
}
