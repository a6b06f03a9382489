/*
 * test_cube.c — unit tests of libsurvey/cube.c: counting streams, reading
 * cubes back, merging by addition, regrouping to coarser periods and fewer
 * keys, lookup, the order of groups, and the frequency table.  Inputs are
 * small CSV texts read through sv_csv_open_stream().
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

#define STREAM_HEAD \
    "date,month,quarter,half,year,site,楼栋,保洁{dimension:abc3}," \
    "投诉{complaint:yesno},意见{comment}\n"
#define CUBE_HEAD "site,period,item,role,scale,level,label,score,sat,count,pct\n"

/* Two respondents of site A in 2026Q1, one of site B in 2026Q3. */
static const char stream1[] =
    STREAM_HEAD
    "2026-01-05,2026-01,2026Q1,2026H1,2026,A,1栋,3,0,\"好,很好\"\n"
    "2026-02-01,2026-02,2026Q1,2026H1,2026,A,2栋,1,,\n"
    "2026-08-01,2026-08,2026Q3,2026H2,2026,B,1栋,2,1,\n";

/* Reads TEXT into CUBE; returns the status, ERR filled on failure. */
static enum sv_status read_text(struct sv_cube *cube, const char *text,
                                struct sv_error *err)
{
    FILE *fp = fmemopen((void *)text, strlen(text), "r");
    struct sv_csv *csv;
    enum sv_status st;

    assert_non_null(fp);
    csv = sv_csv_open_stream(fp, "t.csv", NULL, err);
    assert_non_null(csv);
    st = sv_cube_read(cube, csv, NULL, 0, err);
    sv_csv_free(csv);
    fclose(fp);
    return st;
}

static struct sv_cube *cube_of(const char *const *dims, size_t ndims,
                               enum sv_period p, const char *const *texts,
                               size_t ntexts)
{
    struct sv_error err;
    struct sv_cube *c = sv_cube_new(dims, ndims, p, &err);

    assert_non_null(c);
    for (size_t i = 0; i < ntexts; i++) {
        enum sv_status st = read_text(c, texts[i], &err);
        if (st != SV_OK)
            fail_msg("%s:%lu: %s", err.file, err.line, err.msg);
    }
    assert_int_equal(sv_cube_finish(c, &err), SV_OK);
    return c;
}

static long item_index(const struct sv_cube *c, const char *label)
{
    for (size_t i = 0; i < sv_cube_nitems(c); i++)
        if (strcmp(sv_cube_item(c, i).label, label) == 0)
            return (long)i;
    return -1;
}

static uint64_t count_of(const struct sv_cube *c, const char *const *keys,
                         const char *item, int code)
{
    long g = sv_cube_lookup(c, keys), i = item_index(c, item);

    assert_true(g >= 0);
    assert_true(i >= 0);
    return sv_cube_count(c, (size_t)g, (size_t)i, code);
}

/* Writes the --freq table of C as CSV into a string (caller frees). */
static char *freq_csv(const struct sv_cube *c)
{
    struct sv_error err;
    struct sv_table *t = sv_cube_freq_table(c, &err);
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);

    assert_non_null(t);
    assert_non_null(fp);
    assert_int_equal(sv_table_write(t, SV_FORMAT_CSV, fp, &err), SV_OK);
    fclose(fp);
    sv_table_free(t);
    return buf;
}

/* Row of T whose site, item and label columns are SITE, ITEM, LABEL. */
static size_t freq_find(const struct sv_table *t, const char *site,
                        const char *item, const char *label)
{
    long cs = sv_table_column(t, "site"), ci = sv_table_column(t, "item");
    long cl = sv_table_column(t, "label");

    for (size_t r = 0; r < sv_table_nrows(t); r++)
        if (strcmp(sv_table_get(t, r, (size_t)cs), site) == 0 &&
            strcmp(sv_table_get(t, r, (size_t)ci), item) == 0 &&
            strcmp(sv_table_get(t, r, (size_t)cl), label) == 0)
            return r;
    fail_msg("no row %s/%s/%s", site, item, label);
    return 0;
}

/* Two streams of a multi-select question: options met in other orders. */
static const char multi1[] =
    "date,month,quarter,half,year,site,改进{multi},范围{multi:options=甲|乙}\n"
    "2026-01-05,2026-01,2026Q1,2026H1,2026,A,保洁|保安,乙\n"
    "2026-01-06,2026-01,2026Q1,2026H1,2026,A,,甲|乙\n"
    "2026-01-07,2026-01,2026Q1,2026H1,2026,A,保安|保安|绿化,\n";
static const char multi2[] =
    "date,month,quarter,half,year,site,改进{multi},范围{multi:options=甲|乙}\n"
    "2026-02-01,2026-02,2026Q1,2026H1,2026,A,停车,\n";

/* Index of option OPT of multi item M, or -1. */
static long option_index(const struct sv_cube *c, size_t m, const char *opt)
{
    for (size_t o = 0; o < sv_cube_multi_noptions(c, m); o++)
        if (strcmp(sv_cube_multi_option(c, m, o), opt) == 0)
            return (long)o;
    return -1;
}

/*
 * Multi-select answers: each option counted once per respondent, the
 * respondents who answered kept as the denominator, options listed in
 * byte order (or the options= order) however they were met, cubes merged
 * option by option, and the --freq rows read back to the same counts.
 */
static void test_cube_multi_options(void **state)
{
    const char *texts[] = {multi1, multi2};
    struct sv_cube *c = cube_of(NULL, 0, SV_PERIOD_NONE, texts, 2);
    char *freq = freq_csv(c);
    const char *again[] = {freq, freq};
    struct sv_cube *d;

    (void)state;
    assert_int_equal(sv_cube_nitems(c), 0);
    assert_int_equal(sv_cube_nmulti(c), 2);
    assert_int_equal(sv_cube_multi(c, 0).role, SV_ROLE_MULTI);
    assert_string_equal(sv_cube_multi(c, 1).scale, "options=甲|乙");
    assert_int_equal(sv_cube_multi_noptions(c, 0), 4);
    /* UTF-8 byte order is code point order: 保 U+4FDD, 停 U+505C, 绿 U+7EFF */
    assert_string_equal(sv_cube_multi_option(c, 0, 0), "保安");
    assert_string_equal(sv_cube_multi_option(c, 0, 1), "保洁");
    assert_string_equal(sv_cube_multi_option(c, 0, 2), "停车");
    assert_string_equal(sv_cube_multi_option(c, 0, 3), "绿化");
    assert_int_equal(sv_cube_multi_count(c, 0, 0, 0), 2); /* 保安 once each */
    assert_int_equal(sv_cube_multi_count(c, 0, 0, 2), 1);
    assert_int_equal(sv_cube_multi_answered(c, 0, 0), 3);
    assert_int_equal(sv_cube_multi_answered(c, 0, 1), 2);
    assert_int_equal(sv_cube_multi_count(c, 0, 1, (size_t)option_index(c, 1,
                                                                 "乙")), 2);
    assert_string_equal(sv_cube_multi_option(c, 1, 0), "甲");
    assert_string_equal(sv_cube_multi_option(c, 0, 9), "");
    assert_int_equal(sv_cube_multi_count(c, 5, 0, 0), 0);
    assert_non_null(strstr(freq, "\n改进,multi,,,保安,,,2,66.67\n"));
    assert_non_null(strstr(freq, "\n改进,multi,,,(answered),,,3,\n"));
    assert_non_null(strstr(freq, "\n改进,multi,,,(missing),,,1,\n"));
    d = cube_of(NULL, 0, SV_PERIOD_NONE, again, 2);
    assert_int_equal(sv_cube_multi_count(d, 0, 0, 0), 4);
    assert_int_equal(sv_cube_multi_answered(d, 0, 0), 6);
    assert_int_equal(sv_cube_responses(d, 0), 8);
    sv_cube_free(d);
    free(freq);
    sv_cube_free(c);
}

/* The --freq table holds typed values: counts, levels, scores, shares. */
static void test_cube_freq_typed(void **state)
{
    const char *dims[] = {"site"};
    const char *texts[] = {stream1};
    struct sv_cube *c = cube_of(dims, 1, SV_PERIOD_NONE, texts, 1);
    struct sv_error err;
    struct sv_table *t = sv_cube_freq_table(c, &err);
    size_t k = 1, r;

    (void)state;
    assert_non_null(t);
    assert_int_equal(sv_table_col(t, k + SV_CCOL_COUNT)->type, SV_TYPE_COUNT);
    assert_int_equal(sv_table_col(t, k + SV_CCOL_LEVEL)->type, SV_TYPE_INT);
    assert_int_equal(sv_table_col(t, k + SV_CCOL_SAT)->type, SV_TYPE_INT);
    assert_int_equal(sv_table_col(t, k + SV_CCOL_SCORE)->type, SV_TYPE_NUM);
    assert_int_equal(sv_table_col(t, k + SV_CCOL_PCT)->type, SV_TYPE_NUM);
    assert_int_equal(sv_table_col(t, k + SV_CCOL_ITEM)->type, SV_TYPE_TEXT);
    /* site A: 保洁 满意 once, 不满意 once; 投诉 否 once, once missing */
    r = freq_find(t, "A", "(responses)", "");
    assert_float_equal(sv_table_num(t, r, k + SV_CCOL_COUNT), 2.0, 1e-9);
    r = freq_find(t, "A", "保洁", "满意");
    assert_float_equal(sv_table_num(t, r, k + SV_CCOL_LEVEL), 3.0, 1e-9);
    assert_float_equal(sv_table_num(t, r, k + SV_CCOL_COUNT), 1.0, 1e-9);
    assert_float_equal(sv_table_num(t, r, k + SV_CCOL_SCORE), 100.0, 1e-9);
    assert_float_equal(sv_table_num(t, r, k + SV_CCOL_SAT), 1.0, 1e-9);
    assert_float_equal(sv_table_num(t, r, k + SV_CCOL_PCT), 50.0, 1e-9);
    r = freq_find(t, "A", "保洁", "较满意");
    assert_float_equal(sv_table_num(t, r, k + SV_CCOL_COUNT), 0.0, 1e-9);
    assert_float_equal(sv_table_num(t, r, k + SV_CCOL_SCORE), 50.0, 1e-9);
    assert_float_equal(sv_table_num(t, r, k + SV_CCOL_SAT), 1.0, 1e-9);
    assert_float_equal(sv_table_num(t, r, k + SV_CCOL_PCT), 0.0, 1e-9);
    r = freq_find(t, "A", "保洁", "不满意");
    assert_float_equal(sv_table_num(t, r, k + SV_CCOL_SAT), 0.0, 1e-9);
    r = freq_find(t, "A", "投诉", "(missing)");
    assert_float_equal(sv_table_num(t, r, k + SV_CCOL_COUNT), 1.0, 1e-9);
    assert_true(sv_table_empty(t, r, k + SV_CCOL_PCT));
    /* the trailer counts the rows before it */
    r = sv_table_nrows(t) - 1;
    assert_string_equal(sv_table_get(t, r, k + SV_CCOL_ITEM), "(end)");
    assert_float_equal(sv_table_num(t, r, k + SV_CCOL_COUNT), (double)r, 1e-9);
    sv_table_free(t);
    sv_cube_free(c);
}

static void test_cube_stream_counts(void **state)
{
    const char *dims[] = {"site", "period"};
    const char *texts[] = {stream1};
    struct sv_cube *c = cube_of(dims, 2, SV_PERIOD_QUARTER, texts, 1);
    const char *a1[] = {"A", "2026Q1"}, *b3[] = {"B", "2026Q3"};
    const char *nope[] = {"A", "2026Q3"};
    const char *label;
    double score;
    int sat;

    (void)state;
    assert_int_equal(sv_cube_ndims(c), 2);
    assert_string_equal(sv_cube_dim(c, 1), "period");
    assert_int_equal(sv_cube_dim_index(c, "site"), 0);
    assert_int_equal(sv_cube_dim_index(c, "楼栋"), -1);
    assert_int_equal(sv_cube_ngroups(c), 2);
    assert_int_equal(sv_cube_lookup(c, nope), -1);
    /* comments are not items */
    assert_int_equal(sv_cube_nitems(c), 2);
    assert_int_equal(item_index(c, "意见"), -1);
    assert_int_equal(sv_cube_item(c, 1).role, SV_ROLE_COMPLAINT);
    assert_string_equal(sv_cube_item(c, 1).scale, "yesno");
    assert_int_equal(sv_cube_responses(c, (size_t)sv_cube_lookup(c, a1)), 2);
    assert_int_equal(sv_cube_responses(c, (size_t)sv_cube_lookup(c, b3)), 1);
    assert_int_equal(count_of(c, a1, "保洁", 3), 1);
    assert_int_equal(count_of(c, a1, "保洁", 2), 0);
    assert_int_equal(count_of(c, a1, "保洁", 1), 1);
    assert_int_equal(count_of(c, a1, "投诉", 0), 1);
    assert_int_equal(count_of(c, a1, "投诉", -1), 1);
    assert_int_equal(count_of(c, b3, "投诉", 1), 1);
    /* out-of-range queries are 0 */
    assert_int_equal(sv_cube_count(c, 9, 0, 1), 0);
    assert_int_equal(sv_cube_count(c, 0, 0, SV_CUBE_MAX_CODE + 1), 0);
    /* every level of a built-in scale is defined, even one nobody chose */
    assert_true(sv_cube_level(c, 0, 2, &label, &score, &sat));
    assert_string_equal(label, "较满意");
    assert_true(score > 49.999 && score < 50.001);
    assert_int_equal(sat, 1);
    assert_true(sv_cube_level(c, 0, 1, &label, NULL, &sat));
    assert_string_equal(label, "不满意");
    assert_int_equal(sat, 0);
    assert_true(sv_cube_level(c, 0, 3, &label, NULL, &sat));
    assert_string_equal(label, "满意");
    assert_int_equal(sat, 1);
    assert_false(sv_cube_level(c, 0, 4, NULL, NULL, NULL));
    assert_false(sv_cube_level(c, 0, -1, NULL, NULL, NULL));
    sv_cube_free(c);
}

/* Keys: a group label, and a cube without keys (one group). */
static void test_cube_group_label_and_no_keys(void **state)
{
    const char *dims[] = {"楼栋"};
    const char *texts[] = {stream1};
    struct sv_cube *c = cube_of(dims, 1, SV_PERIOD_NONE, texts, 1);
    const char *b1[] = {"1栋"}, *b2[] = {"2栋"};

    (void)state;
    assert_int_equal(sv_cube_ngroups(c), 2);
    assert_int_equal(sv_cube_responses(c, (size_t)sv_cube_lookup(c, b1)), 2);
    assert_int_equal(sv_cube_responses(c, (size_t)sv_cube_lookup(c, b2)), 1);
    assert_int_equal(count_of(c, b1, "保洁", 2), 1);
    sv_cube_free(c);
    c = cube_of(NULL, 0, SV_PERIOD_NONE, texts, 1);
    assert_int_equal(sv_cube_ngroups(c), 1);
    assert_int_equal(sv_cube_responses(c, 0), 3);
    assert_int_equal(count_of(c, NULL, "保洁", 3), 1);
    sv_cube_free(c);
}

/* Reading the same stream twice doubles every count (merge by addition). */
static void test_cube_merge_adds(void **state)
{
    const char *dims[] = {"site", "period"};
    const char *texts[] = {stream1, stream1};
    struct sv_cube *c = cube_of(dims, 2, SV_PERIOD_QUARTER, texts, 2);
    const char *a1[] = {"A", "2026Q1"};

    (void)state;
    assert_int_equal(sv_cube_ngroups(c), 2);
    assert_int_equal(sv_cube_responses(c, (size_t)sv_cube_lookup(c, a1)), 4);
    assert_int_equal(count_of(c, a1, "保洁", 3), 2);
    assert_int_equal(count_of(c, a1, "投诉", -1), 2);
    sv_cube_free(c);
}

/* A cube's --freq output read back gives the same cube. */
static void test_cube_freq_round_trip(void **state)
{
    const char *dims[] = {"site", "period"};
    const char *texts[] = {stream1};
    struct sv_cube *c = cube_of(dims, 2, SV_PERIOD_QUARTER, texts, 1);
    char *first = freq_csv(c), *second;
    const char *again[1];
    struct sv_cube *d;

    (void)state;
    again[0] = first;
    d = cube_of(dims, 2, SV_PERIOD_QUARTER, again, 1);
    second = freq_csv(d);
    assert_string_equal(first, second);
    /*
     * the freq table: (responses) first, levels best first, (missing), the
     * sums of a dimension item (one item: no outcome, so no pairs; both
     * respondents answered it: complete), the totals, the (end) line
     */
    assert_non_null(strstr(first,
        "site,period,item,role,scale,level,label,score,sat,count,pct\n"
        "A,2026Q1,(responses),,,,,,,2,\n"
        "A,2026Q1,保洁,dimension,abc3,3,满意,100,1,1,50.00\n"
        "A,2026Q1,保洁,dimension,abc3,2,较满意,50,1,0,0.00\n"
        "A,2026Q1,保洁,dimension,abc3,1,不满意,0,0,1,50.00\n"
        "A,2026Q1,保洁,dimension,abc3,,(missing),,,0,\n"
        "A,2026Q1,保洁,dimension,abc3,,(pairs),,,0,\n"
        "A,2026Q1,保洁,dimension,abc3,,(pair x),,,0,\n"
        "A,2026Q1,保洁,dimension,abc3,,(pair y),,,0,\n"
        "A,2026Q1,保洁,dimension,abc3,,(pair xx),,,0,\n"
        "A,2026Q1,保洁,dimension,abc3,,(pair yy),,,0,\n"
        "A,2026Q1,保洁,dimension,abc3,,(pair xy),,,0,\n"
        "A,2026Q1,保洁,dimension,abc3,,(complete),,,2,\n"
        "A,2026Q1,保洁,dimension,abc3,,(complete x),,,100000000,\n"
        "A,2026Q1,保洁,dimension,abc3,,(complete xx),,,10000000000000000,\n"
        "A,2026Q1,投诉,complaint,yesno,0,否,0,0,1,100.00\n"
        "A,2026Q1,投诉,complaint,yesno,1,是,100,0,0,0.00\n"
        "A,2026Q1,投诉,complaint,yesno,,(missing),,,1,\n"
        "A,2026Q1,(total),,,,(complete),,,2,\n"
        "A,2026Q1,(total),,,,(complete x),,,100000000,\n"
        "A,2026Q1,(total),,,,(complete xx),,,10000000000000000,\n"
        "B,2026Q3,(responses),,,,,,,1,\n"));
    assert_non_null(strstr(first, ",,(end),,,,,,,40,\n"));
    free(first);
    free(second);
    sv_cube_free(c);
    sv_cube_free(d);
}

/* Quarter cubes regroup to years and to fewer keys; counts add up. */
static void test_cube_regroup(void **state)
{
    static const char quarters[] =
        CUBE_HEAD
        "A,2026Q1,(responses),,,,,,,10,\n"
        "A,2026Q1,q,dimension,abc3,3,满意,100,1,6,\n"
        "A,2026Q1,q,dimension,abc3,1,不满意,0,0,3,\n"
        "A,2026Q1,q,dimension,abc3,,(missing),,,1,\n"
        "A,2026Q4,(responses),,,,,,,5,\n"
        "A,2026Q4,q,dimension,abc3,3,满意,100,1,5,\n"
        "B,2025Q4,(responses),,,,,,,7,\n"
        "B,2025Q4,q,dimension,abc3,2,较满意,50,1,7,\n"
        "A,2025Q3,(responses),,,,,,,2,\n"
        "A,2025Q3,q,dimension,abc3,1,不满意,0,0,2,\n"
        ",,(end),,,,,,,10,\n";
    const char *texts[] = {quarters};
    const char *dims[] = {"site", "period"}, *site[] = {"site"};
    const char *a26[] = {"A", "2026"}, *a25[] = {"A", "2025"};
    const char *b25[] = {"B", "2025"}, *a[] = {"A"}, *b[] = {"B"};
    const char *h2[] = {"A", "2026H2"};
    struct sv_cube *c = cube_of(dims, 2, SV_PERIOD_YEAR, texts, 1);

    (void)state;
    assert_int_equal(sv_cube_ngroups(c), 3);
    assert_int_equal(sv_cube_responses(c, (size_t)sv_cube_lookup(c, a26)), 15);
    assert_int_equal(count_of(c, a26, "q", 3), 11);
    assert_int_equal(count_of(c, a26, "q", 1), 3);
    assert_int_equal(count_of(c, a26, "q", -1), 1);
    assert_int_equal(count_of(c, a25, "q", 1), 2);
    assert_int_equal(count_of(c, b25, "q", 2), 7);
    sv_cube_free(c);
    c = cube_of(dims, 2, SV_PERIOD_HALF, texts, 1);
    assert_int_equal(sv_cube_ngroups(c), 4);
    assert_int_equal(count_of(c, h2, "q", 3), 5);
    sv_cube_free(c);
    c = cube_of(site, 1, SV_PERIOD_NONE, texts, 1);
    assert_int_equal(sv_cube_ngroups(c), 2);
    assert_int_equal(sv_cube_responses(c, (size_t)sv_cube_lookup(c, a)), 17);
    assert_int_equal(sv_cube_responses(c, (size_t)sv_cube_lookup(c, b)), 7);
    assert_int_equal(count_of(c, a, "q", 1), 5);
    sv_cube_free(c);
}

/* Groups sort by key, periods in time order (not by text). */
static void test_cube_sort_order(void **state)
{
    static const char cube[] =
        CUBE_HEAD
        "乙,2026Q2,(responses),,,,,,,1,\n"
        "甲,2026Q1,(responses),,,,,,,1,\n"
        "乙,2025Q4,(responses),,,,,,,1,\n"
        "Z,2026Q1,(responses),,,,,,,1,\n"
        "甲,2025Q1,(responses),,,,,,,1,\n"
        ",,(end),,,,,,,5,\n";
    static const char months[] =
        "period,site,item,role,scale,level,label,score,sat,count,pct\n"
        "2026-10,X,(responses),,,,,,,1,\n"
        "2026-02,X,(responses),,,,,,,1,\n"
        "2025-12,X,(responses),,,,,,,1,\n"
        ",,(end),,,,,,,3,\n";
    const char *texts[] = {cube}, *mtexts[] = {months};
    const char *dims[] = {"site", "period"}, *pdims[] = {"period", "site"};
    static const char *const want[][2] = {
        {"Z", "2026Q1"}, {"乙", "2025Q4"}, {"乙", "2026Q2"},
        {"甲", "2025Q1"}, {"甲", "2026Q1"}};
    static const char *const mwant[] = {"2025-12", "2026-02", "2026-10"};
    struct sv_cube *c = cube_of(dims, 2, SV_PERIOD_QUARTER, texts, 1);

    (void)state;
    assert_int_equal(sv_cube_ngroups(c), 5);
    for (size_t g = 0; g < 5; g++) {
        assert_string_equal(sv_cube_key(c, g, 0), want[g][0]);
        assert_string_equal(sv_cube_key(c, g, 1), want[g][1]);
        /* lookup still finds every group after sorting */
        assert_int_equal(sv_cube_lookup(c, want[g]), (long)g);
    }
    assert_string_equal(sv_cube_key(c, 9, 0), "");
    sv_cube_free(c);
    c = cube_of(pdims, 2, SV_PERIOD_MONTH, mtexts, 1);
    for (size_t g = 0; g < 3; g++)
        assert_string_equal(sv_cube_key(c, g, 0), mwant[g]);
    sv_cube_free(c);
}

/* Many groups: the hash grows and every group stays findable. */
static void test_cube_many_groups(void **state)
{
    const char *dims[] = {"site"};
    struct sv_error err;
    struct sv_cube *c = sv_cube_new(dims, 1, SV_PERIOD_NONE, &err);
    size_t cap = 64 + 3000 * 40, len;
    char *text = malloc(cap), key[32];
    const char *keys[1] = {key};

    (void)state;
    assert_non_null(c);
    assert_non_null(text);
    len = (size_t)snprintf(text, cap, "site,item,role,scale,level,label,"
                           "score,sat,count,pct\n");
    for (int i = 0; i < 3000; i++)
        len += (size_t)snprintf(text + len, cap - len,
                                "s%d,(responses),,,,,,,%d,\n", i, i + 1);
    len += (size_t)snprintf(text + len, cap - len, ",(end),,,,,,,3000,\n");
    assert_int_equal(read_text(c, text, &err), SV_OK);
    assert_int_equal(sv_cube_finish(c, &err), SV_OK);
    assert_int_equal(sv_cube_ngroups(c), 3000);
    for (int i = 0; i < 3000; i += 7) {
        long g;
        snprintf(key, sizeof key, "s%d", i);
        g = sv_cube_lookup(c, keys);
        assert_true(g >= 0);
        assert_int_equal(sv_cube_responses(c, (size_t)g), (uint64_t)i + 1);
    }
    free(text);
    sv_cube_free(c);
}

/* Concatenated streams with different group columns re-read the header. */
static void test_cube_concatenated_headers(void **state)
{
    static const char text[] =
        STREAM_HEAD
        "2026-01-05,2026-01,2026Q1,2026H1,2026,A,1栋,3,,\n"
        "date,month,quarter,half,year,site,保洁{dimension:abc3}\n"
        "2026-01-06,2026-01,2026Q1,2026H1,2026,A,2\n"
        STREAM_HEAD
        "2026-01-07,2026-01,2026Q1,2026H1,2026,A,3栋,1,,\n";
    const char *texts[] = {text}, *dims[] = {"site"}, *a[] = {"A"};
    struct sv_cube *c = cube_of(dims, 1, SV_PERIOD_NONE, texts, 1);

    (void)state;
    assert_int_equal(sv_cube_responses(c, 0), 3);
    assert_int_equal(count_of(c, a, "保洁", 1), 1);
    assert_int_equal(count_of(c, a, "保洁", 2), 1);
    assert_int_equal(count_of(c, a, "保洁", 3), 1);
    sv_cube_free(c);
}

static void test_cube_errors(void **state)
{
    static const struct {
        const char *text;
        unsigned long line;
        const char *column, *msg;
    } cases[] = {
        {CUBE_HEAD "A,2026Q1,q,dimension,abc3,1,满意,100,1,-1,\n", 2, "count",
         "invalid count '-1' (expected a non-negative integer)"},
        {CUBE_HEAD "A,2026Q1,q,dimension,abc3,1,满意,100,1,,\n", 2, "count",
         "invalid count '' (expected a non-negative integer)"},
        {CUBE_HEAD "A,2026Q1,q,dimension,abc3,1,满意,100,1,3x,\n", 2, "count",
         "invalid count '3x' (expected a non-negative integer)"},
        {CUBE_HEAD "A,2026Q1,q,dimension,abc3,1,满意,100,1\n", 2, "",
         "expected 11 fields as in the header, found 9"},
        {CUBE_HEAD "A,2026,q,dimension,abc3,1,满意,100,1,1,\n", 2, "period",
         "period '2026' is a year and cannot be split into quarter periods "
         "(count the cube by quarter or finer)"},
        {CUBE_HEAD "A,2026X1,q,dimension,abc3,1,满意,100,1,1,\n", 2, "period",
         "invalid period key '2026X1'"},
        {CUBE_HEAD "A,2026Q1,q,dimension,abc3,-1,满意,100,1,1,\n", 2, "level",
         "invalid level '-1' (expected 0-16)"},
        {"site,item\nA,q\n", 1, "",
         "not a normalised stream or a cube"},
        {"site,quarter,item,role,scale,level,label,score,sat,count\n", 1, "",
         "no key column 'period' in this cube (its keys: site, quarter)"},
        {"", 0, "", "empty input (no header line)"},
    };
    const char *dims[] = {"site", "period"};

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct sv_error err;
        struct sv_cube *c = sv_cube_new(dims, 2, SV_PERIOD_QUARTER, &err);
        assert_non_null(c);
        assert_int_equal(read_text(c, cases[i].text, &err), SV_ERR_DATA);
        assert_string_equal(err.file, "t.csv");
        assert_int_equal(err.line, cases[i].line);
        assert_string_equal(err.column, cases[i].column);
        assert_string_equal(err.msg, cases[i].msg);
        sv_cube_free(c);
    }
}

/* The multi-item sums, checked against sums worked out by hand. */
static void test_cube_sums(void **state)
{
    static const char with_overall[] =
        "date,month,quarter,half,year,site,a{dimension:abc3},"
        "b{dimension:abc3},c{dimension:abc3},总体{overall:abc3}\n"
        ",,,,,A,3,2,1,3\n"  /* x 100 50 0, y 100, complete, total 150 */
        ",,,,,A,2,,3,2\n"   /* x 50 - 100, y 50, not complete */
        ",,,,,A,1,3,3,\n";  /* no outcome: no pairs; complete, total 200 */
    static const char without[] =
        "date,month,quarter,half,year,site,a{dimension:abc3},"
        "b{dimension:abc3},c{dimension:abc3}\n"
        ",,,,,A,3,2,1\n"    /* y of a: mean(50, 0) = 25 */
        ",,,,,A,2,,3\n"     /* y of a: 100 (the one other answer) */
        ",,,,,A,1,3,3\n";   /* y of a: 100 */
    const char *texts[] = {with_overall}, *texts2[] = {without};
    const char *dims[] = {"site"};
    struct sv_cube *c = cube_of(dims, 1, SV_PERIOD_NONE, texts, 1);
    struct sv_cube_pair p;
    struct sv_cube_moments m;
    char *freq;

    (void)state;
    assert_true(sv_cube_pair(c, 0, 0, &p));
    assert_int_equal(p.n, 2);
    assert_true(p.mean_x > 74.999 && p.mean_x < 75.001);
    assert_true(p.mean_y > 74.999 && p.mean_y < 75.001);
    assert_true(p.sxx > 1249.999 && p.sxx < 1250.001);
    assert_true(p.syy > 1249.999 && p.syy < 1250.001);
    assert_true(p.sxy > 1249.999 && p.sxy < 1250.001);
    assert_true(sv_cube_pair(c, 0, 1, &p));
    assert_int_equal(p.n, 1);
    assert_true(p.sxx > -0.001 && p.sxx < 0.001);
    /* the overall item itself has no pairs */
    assert_false(sv_cube_pair(c, 0, 3, &p));
    assert_true(sv_cube_alpha_item(c, 0, 2, &m));
    assert_int_equal(m.n, 2);
    assert_true(m.mean > 49.999 && m.mean < 50.001);
    assert_true(m.ss > 4999.999 && m.ss < 5000.001);
    assert_true(sv_cube_alpha_total(c, 0, &m));
    assert_int_equal(m.n, 2);
    assert_true(m.mean > 174.999 && m.mean < 175.001);
    assert_true(m.ss > 1249.999 && m.ss < 1250.001);
    assert_false(sv_cube_alpha_total(c, 1, &m));
    freq = freq_csv(c);
    assert_non_null(strstr(freq,
        "A,a,dimension,abc3,,(pairs),,,2,\n"
        "A,a,dimension,abc3,,(pair x),,,150000000,\n"
        "A,a,dimension,abc3,,(pair y),,,150000000,\n"
        "A,a,dimension,abc3,,(pair xx),,,12500000000000000,\n"
        "A,a,dimension,abc3,,(pair yy),,,12500000000000000,\n"
        "A,a,dimension,abc3,,(pair xy),,,12500000000000000,\n"
        "A,a,dimension,abc3,,(complete),,,2,\n"
        "A,a,dimension,abc3,,(complete x),,,100000000,\n"
        "A,a,dimension,abc3,,(complete xx),,,10000000000000000,\n"));
    assert_non_null(strstr(freq,
        "A,(total),,,,(complete),,,2,\n"
        "A,(total),,,,(complete x),,,350000000,\n"
        "A,(total),,,,(complete xx),,,62500000000000000,\n"));
    free(freq);
    sv_cube_free(c);

    c = cube_of(dims, 1, SV_PERIOD_NONE, texts2, 1);
    assert_true(sv_cube_pair(c, 0, 0, &p));
    assert_int_equal(p.n, 3);
    assert_true(p.mean_x > 49.999 && p.mean_x < 50.001);
    assert_true(p.mean_y > 74.999 && p.mean_y < 75.001);
    assert_true(p.sxx > 4999.999 && p.sxx < 5000.001);
    assert_true(p.syy > 3749.999 && p.syy < 3750.001);
    assert_true(p.sxy > -3750.001 && p.sxy < -3749.999);
    sv_cube_free(c);
}

/* Sums merge by addition: a cube read back twice has twice the sums. */
static void test_cube_sums_merge(void **state)
{
    static const char text[] =
        "date,month,quarter,half,year,site,a{dimension:likert5},"
        "b{dimension:likert5}\n"
        ",,,,,A,5,2\n"
        ",,,,,A,4,4\n";
    const char *texts[] = {text}, *dims[] = {"site"};
    struct sv_cube *c = cube_of(dims, 1, SV_PERIOD_NONE, texts, 1);
    char *one = freq_csv(c);
    const char *twice[] = {one, one};
    struct sv_cube *d = cube_of(dims, 1, SV_PERIOD_NONE, twice, 2);
    const char *both[] = {text, text};
    struct sv_cube *e = cube_of(dims, 1, SV_PERIOD_NONE, both, 2);
    char *two = freq_csv(d), *direct = freq_csv(e);

    (void)state;
    assert_string_equal(two, direct);
    /* x = 100, 75; y = 25, 75 (each the other item): xy = 2500 + 5625 */
    assert_non_null(strstr(direct, "A,a,dimension,likert5,,(pair xy),,,"
                                   "16250000000000000,\n"));
    free(one);
    free(two);
    free(direct);
    sv_cube_free(c);
    sv_cube_free(d);
    sv_cube_free(e);
}

/* Appends N copies of LINE to the text at *P (room is the caller's). */
static char *repeat(char *p, const char *line, int n)
{
    size_t len = strlen(line);

    for (int i = 0; i < n; i++, p += len)
        memcpy(p, line, len);
    *p = '\0';
    return p;
}

/*
 * Sums beyond 64 bits: 1000 x (a 100, b 100, c 0), 500 x (100, 50, -)
 * and 300 x (0, 50, 100); the outcome is the mean of the other items.
 * By hand, for item a: pairs 1800, pair x 1500 x 10^8, pair y
 * (1000 x 50 + 500 x 50 + 300 x 75) x 10^6, pair xx 1500 x 10^16,
 * pair yy (1000 x 2500 + 500 x 2500 + 300 x 5625) x 10^12, pair xy
 * (1000 + 500) x 5000 x 10^12; complete 1300, x 1000 x 10^8, xx 10^19;
 * totals of the 1300 complete ones: 1000 x 200 + 300 x 150 (x 10^6),
 * squares 1000 x 40000 + 300 x 22500 (x 10^12).  Read back twice, every
 * sum doubles; streams in one and in two halves give the same cube.
 */
static void test_cube_sums_spill(void **state)
{
    static const char head[] =
        "date,month,quarter,half,year,site,a{dimension:abc3},"
        "b{dimension:abc3},c{dimension:abc3}\n";
    static const char *const want[] = {
        "A,a,dimension,abc3,,(pairs),,,1800,\n",
        "A,a,dimension,abc3,,(pair x),,,150000000000,\n",
        "A,a,dimension,abc3,,(pair y),,,97500000000,\n",
        "A,a,dimension,abc3,,(pair xx),,,15000000000000000000,\n",
        "A,a,dimension,abc3,,(pair yy),,,5437500000000000000,\n",
        "A,a,dimension,abc3,,(pair xy),,,7500000000000000000,\n",
        "A,a,dimension,abc3,,(complete),,,1300,\n",
        "A,a,dimension,abc3,,(complete x),,,100000000000,\n",
        "A,a,dimension,abc3,,(complete xx),,,10000000000000000000,\n",
        "A,(total),,,,(complete),,,1300,\n",
        "A,(total),,,,(complete x),,,245000000000,\n",
        "A,(total),,,,(complete xx),,,46750000000000000000,\n",
        "A,a,dimension,abc3,,(pair xx),,,30000000000000000000,\n",
        "A,(total),,,,(complete xx),,,93500000000000000000,\n",
    };
    const char *dims[] = {"site"};
    char *text = malloc(64 * 1024), *half = malloc(64 * 1024), *p;
    struct sv_cube *c, *d, *e;
    char *one, *twice, *halves;

    (void)state;
    assert_non_null(text);
    assert_non_null(half);
    p = repeat(text, head, 1);
    p = repeat(p, ",,,,,A,3,3,1\n", 1000);
    p = repeat(p, ",,,,,A,3,2,\n", 500);
    repeat(p, ",,,,,A,1,2,3\n", 300);
    c = cube_of(dims, 1, SV_PERIOD_NONE, (const char *[]){text}, 1);
    one = freq_csv(c);
    for (size_t i = 0; i < 12; i++)
        if (!strstr(one, want[i]))
            fail_msg("missing %s", want[i]);
    d = cube_of(dims, 1, SV_PERIOD_NONE, (const char *[]){one, one}, 2);
    twice = freq_csv(d);
    assert_non_null(strstr(twice, want[12]));
    assert_non_null(strstr(twice, want[13]));
    /* the same respondents in two streams, merged while counting */
    p = repeat(half, head, 1);
    p = repeat(p, ",,,,,A,3,3,1\n", 1000);
    p = strstr(text, ",,,,,A,3,2,\n");
    assert_non_null(p);
    memmove(text + strlen(head), p, strlen(p) + 1);
    e = cube_of(dims, 1, SV_PERIOD_NONE, (const char *[]){text, half}, 2);
    halves = freq_csv(e);
    assert_string_equal(one, halves);
    free(one);
    free(twice);
    free(halves);
    free(text);
    free(half);
    sv_cube_free(c);
    sv_cube_free(d);
    sv_cube_free(e);
}

/*
 * Levels and items that first appear in a later group move the counts of
 * the groups before them (each item keeps only the slots of its levels);
 * the cube written a group at a time is the table's bytes.
 */
/*
 * A larger score arriving later: 3000 x (a = 10 on nps11), then 2000 x
 * (a 10, b 100 on abc3).  The first stream's sums take terms of 10^14
 * (10 x 10^6 squared), the second's outcome y of a is b's 10^8, whose
 * square overflows 64 bits after 922 terms: the exact sums are
 * 2000 x 10^16 (pair yy of a), 2000 x 10^15 (pair xy) and
 * 5000 x 10^14 (complete xx of a).
 */
static void test_cube_sums_bound_grows(void **state)
{
    static const char head1[] = "date,month,quarter,half,year,site,"
                                "a{dimension:nps11}\n";
    static const char head2[] = "date,month,quarter,half,year,site,"
                                "a{dimension:nps11},b{dimension:abc3}\n";
    const char *dims[] = {"site"};
    char *one = malloc(64 * 1024), *two = malloc(64 * 1024), *freq;
    struct sv_cube *c;

    (void)state;
    assert_non_null(one);
    assert_non_null(two);
    repeat(repeat(one, head1, 1), ",,,,,A,10\n", 3000);
    repeat(repeat(two, head2, 1), ",,,,,A,10,3\n", 2000);
    c = cube_of(dims, 1, SV_PERIOD_NONE, (const char *[]){one, two}, 2);
    freq = freq_csv(c);
    assert_non_null(strstr(freq, "A,a,dimension,nps11,,(pair yy),,,"
                                 "20000000000000000000,\n"));
    assert_non_null(strstr(freq, "A,a,dimension,nps11,,(pair xy),,,"
                                 "2000000000000000000,\n"));
    assert_non_null(strstr(freq, "A,a,dimension,nps11,,(complete xx),,,"
                                 "500000000000000000,\n"));
    free(freq);
    free(one);
    free(two);
    sv_cube_free(c);
}

static void test_cube_late_levels(void **state)
{
    static const char text[] =
        CUBE_HEAD
        "A,2026Q1,(responses),,,,,,,5,\n"
        "A,2026Q1,p,dimension,abc3,3,满意,100,1,2,\n"
        "A,2026Q1,q,overall,x,1,差,0,0,3,\n"
        "A,2026Q1,s,overall,z,1,低,0,0,5,\n"
        "B,2026Q1,(responses),,,,,,,4,\n"
        "B,2026Q1,p,dimension,abc3,1,不满意,0,0,4,\n"
        "B,2026Q1,q,overall,x,2,好,100,1,4,\n"
        "B,2026Q1,r,overall,y,7,七,70,1,1,\n"
        ",,(end),,,,,,,8,\n";
    const char *dims[] = {"site", "period"}, *a[] = {"A", "2026Q1"},
               *b[] = {"B", "2026Q1"};
    struct sv_cube *c = cube_of(dims, 2, SV_PERIOD_QUARTER,
                                (const char *[]){text}, 1), *d;
    struct sv_error err;
    char *table = freq_csv(c), *streamed = NULL, *again;
    size_t len = 0;
    FILE *fp = open_memstream(&streamed, &len);

    (void)state;
    assert_int_equal(count_of(c, a, "p", 3), 2);
    assert_int_equal(count_of(c, b, "p", 1), 4);
    assert_int_equal(count_of(c, a, "q", 1), 3);
    assert_int_equal(count_of(c, a, "q", 2), 0);
    assert_int_equal(count_of(c, b, "q", 2), 4);
    assert_int_equal(count_of(c, a, "s", 1), 5);
    assert_int_equal(count_of(c, b, "s", 1), 0);
    assert_int_equal(count_of(c, a, "r", 7), 0);
    assert_int_equal(count_of(c, b, "r", 7), 1);
    assert_int_equal(count_of(c, b, "r", 16), 0);
    assert_non_null(fp);
    assert_int_equal(sv_cube_write_freq(c, SV_FORMAT_CSV, SV_HEADER_EN, fp,
                                        &err), SV_OK);
    fclose(fp);
    assert_string_equal(table, streamed);
    d = cube_of(dims, 2, SV_PERIOD_QUARTER, (const char *[]){table}, 1);
    again = freq_csv(d);
    assert_string_equal(table, again);
    free(table);
    free(streamed);
    free(again);
    sv_cube_free(c);
    sv_cube_free(d);
}

/* A cube cut off, or with lines removed, is refused; so is a failed import. */
/* sv_cube_keep_site: one office's lines of a stream or a cube file. */
static void test_cube_keep_site(void **state)
{
    const char *dsp[] = {"site", "period"}, *dp[] = {"period"};
    const char *texts[] = {stream1};
    const char *q1[] = {"2026Q1"}, *q3[] = {"2026Q3"};
    struct sv_cube *bysite = cube_of(dsp, 2, SV_PERIOD_QUARTER, texts, 1);
    struct sv_cube *flat = cube_of(dp, 1, SV_PERIOD_QUARTER, texts, 1);
    char *cube = freq_csv(bysite), *nosite = freq_csv(flat);
    const char *inputs[] = {stream1, cube};
    struct sv_error err;

    (void)state;
    for (int k = 0; k < 2; k++) { /* the stream, then the cube file */
        struct sv_cube *c = sv_cube_new(dp, 1, SV_PERIOD_QUARTER, &err);
        assert_int_equal(sv_cube_keep_site(c, "A", &err), SV_OK);
        assert_int_equal(read_text(c, inputs[k], &err), SV_OK);
        assert_int_equal(sv_cube_finish(c, &err), SV_OK);
        assert_int_equal(sv_cube_ngroups(c), 1);
        assert_int_equal(sv_cube_responses(c, 0), 2);
        assert_int_equal(count_of(c, q1, "保洁", 3), 1);
        assert_int_equal(count_of(c, q1, "保洁", 1), 1);
        assert_int_equal(sv_cube_lookup(c, q3), -1);
        sv_cube_free(c);
    }
    {   /* NULL keeps every site again */
        struct sv_cube *c = sv_cube_new(dp, 1, SV_PERIOD_QUARTER, &err);
        assert_int_equal(sv_cube_keep_site(c, "B", &err), SV_OK);
        assert_int_equal(sv_cube_keep_site(c, NULL, &err), SV_OK);
        assert_int_equal(read_text(c, cube, &err), SV_OK);
        assert_int_equal(sv_cube_finish(c, &err), SV_OK);
        assert_int_equal(sv_cube_ngroups(c), 2);
        assert_int_equal(count_of(c, q3, "保洁", 2), 1);
        sv_cube_free(c);
    }
    {   /* a cube without a site key cannot be cut to one site */
        struct sv_cube *c = sv_cube_new(dp, 1, SV_PERIOD_QUARTER, &err);
        assert_int_equal(sv_cube_keep_site(c, "A", &err), SV_OK);
        assert_int_equal(read_text(c, nosite, &err), SV_ERR_DATA);
        assert_string_equal(err.msg, "this cube has no site key, so site "
                            "'A' cannot be kept apart (it must be counted "
                            "by site)");
        sv_cube_free(c);
    }
    free(cube);
    free(nosite);
    sv_cube_free(bysite);
    sv_cube_free(flat);
}

static void test_cube_incomplete(void **state)
{
    static const struct {
        const char *text;
        unsigned long line;
        const char *msg;
    } cases[] = {
        {CUBE_HEAD "A,2026Q1,(responses),,,,,,,2,\n", 2,
         "the cube is incomplete: no (end) line after line 2 (cut off?)"},
        {CUBE_HEAD "A,2026Q1,(responses),,,,,,,2,\n" CUBE_HEAD
                   "A,2026Q1,(responses),,,,,,,2,\n,,(end),,,,,,,1,\n", 2,
         "the cube is incomplete: no (end) line after line 2 (cut off?)"},
        {CUBE_HEAD "A,2026Q1,(responses),,,,,,,2,\n,,(end),,,,,,,2,\n", 3,
         "the cube's (end) line counts 2 lines, but 1 were read (lines "
         "removed or added?)"},
        {CUBE_HEAD ",,(end),,,,,,,0,\nA,2026Q1,(responses),,,,,,,2,\n", 3,
         "a line after the cube's (end) line"},
        {STREAM_HEAD "2026-01-05,2026-01,2026Q1,2026H1,2026,A,1栋,3,0,\n"
                     "\"survey-import failed: q.csv:3: column 保洁: unknown "
                     "answer \"\"很满意\"\"\",,,,,,,,,\n", 3,
         "the input is incomplete: survey-import failed: q.csv:3: column "
         "保洁: unknown answer \"很满意\""},
        {"\"survey-import failed: cb.csv: no such file\"\n", 1,
         "the input is incomplete: survey-import failed: cb.csv: no such "
         "file"},
        {STREAM_HEAD "2026-01-05,2026-01,2026Q1,2026H1,2026,A,1栋,4,0,\n", 2,
         "invalid level '4' (expected 1-3 or empty)"},
        {STREAM_HEAD "2026-01-05,2026-01,2026Q1,2026H1,2026,A,1栋,3,是,\n", 2,
         "invalid level '是' (expected 0-1 or empty)"},
        {"resp,date,month,quarter,half,year,site,item,role,scale,level,"
         "label,score,sat,text\n", 1,
         "a one-line-per-answer stream of an earlier version: import the "
         "raw file again"},
        {"date,month,quarter,half,year,site,q{dimension:levels=好}\n", 1,
         "bad scale in the header: custom scale needs at least 2 levels"},
    };
    const char *dims[] = {"site", "period"};

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct sv_error err;
        struct sv_cube *c = sv_cube_new(dims, 2, SV_PERIOD_QUARTER, &err);
        assert_non_null(c);
        assert_int_equal(read_text(c, cases[i].text, &err), SV_ERR_DATA);
        assert_int_equal(err.line, cases[i].line);
        assert_string_equal(err.msg, cases[i].msg);
        sv_cube_free(c);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cube_stream_counts),
        cmocka_unit_test(test_cube_freq_typed),
        cmocka_unit_test(test_cube_group_label_and_no_keys),
        cmocka_unit_test(test_cube_merge_adds),
        cmocka_unit_test(test_cube_freq_round_trip),
        cmocka_unit_test(test_cube_regroup),
        cmocka_unit_test(test_cube_sort_order),
        cmocka_unit_test(test_cube_many_groups),
        cmocka_unit_test(test_cube_concatenated_headers),
        cmocka_unit_test(test_cube_errors),
        cmocka_unit_test(test_cube_sums),
        cmocka_unit_test(test_cube_sums_merge),
        cmocka_unit_test(test_cube_sums_spill),
        cmocka_unit_test(test_cube_sums_bound_grows),
        cmocka_unit_test(test_cube_late_levels),
        cmocka_unit_test(test_cube_incomplete),
        cmocka_unit_test(test_cube_keep_site),
        cmocka_unit_test(test_cube_multi_options),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
