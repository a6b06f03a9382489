/*
 * test_nps.c — unit tests of libsurvey/nps.c: the NPS table (counts,
 * shares, nps, its standard error and interval, small_n, the change since
 * the previous period with its p-value) and the trend table, read as
 * numbers from the tables and compared with the values that
 * tests/reference/nps_reference.py computes with pandas and scipy from
 * the same raw questionnaires (the edge fixture: an office of all
 * detractors, one whose last quarter has no answer, one with a single
 * quarter; and the data samples of three offices over four quarters).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "survey.h"

#include "testutil.h"

#define EDGE "tests/cli/survey-nps/001-reference-edge/"

/* A cube keyed by site and quarter of the raw FILES read with CODEBOOK. */
static struct sv_cube *raw_cube(const char *codebook, const char *const *files,
                                size_t nfiles)
{
    const char *dims[] = {"site", "period"};
    char path[1024];
    struct sv_error err;
    struct sv_codebook *cb = sv_codebook_load(
        ref_path(path, sizeof path, codebook), &err);
    struct sv_cube *c = sv_cube_new(dims, 2, SV_PERIOD_QUARTER, &err);

    assert_non_null(cb);
    assert_non_null(c);
    for (size_t i = 0; i < nfiles; i++)
        if (sv_cube_read_file(c, ref_path(path, sizeof path, files[i]), NULL,
                              cb, 0, 1, &err) != SV_OK)
            fail_msg("%s:%lu: %s", err.file, err.line, err.msg);
    assert_int_equal(sv_cube_finish(c, &err), SV_OK);
    sv_codebook_free(cb);
    return c;
}

static void test_nps_edge_compare(void **state)
{
    const char *files[] = {EDGE "survey.csv"};
    struct sv_cube *c = raw_cube(EDGE "codebook.csv", files, 1);
    struct sv_error err;
    struct sv_table *t = sv_nps_table(c, 1, &err);

    (void)state;
    assert_non_null(t);
    assert_table_matches_ref(t, "tests/reference/nps-edge-compare.csv");
    sv_table_free(t);
    sv_cube_free(c);
}

static void test_nps_edge_trend(void **state)
{
    const char *files[] = {EDGE "survey.csv"};
    struct sv_cube *c = raw_cube(EDGE "codebook.csv", files, 1);
    struct sv_error err;
    struct sv_table *t = sv_nps_trend_table(c, &err);

    (void)state;
    assert_non_null(t);
    assert_table_matches_ref(t, "tests/reference/nps-edge-trend.csv");
    sv_table_free(t);
    sv_cube_free(c);
}

/* The three offices of data-samples/, each read with its own codebook. */
static struct sv_cube *samples_cube(void)
{
    const char *dims[] = {"site", "period"};
    static const char *const sets[][5] = {
        {"data-samples/codebook-8item.csv",
         "data-samples/tianchengmeiya-2026Q1.csv",
         "data-samples/tianchengmeiya-2026Q2.csv",
         "data-samples/tianchengmeiya-2026Q3.csv",
         "data-samples/tianchengmeiya-2026Q4.csv"},
        {"data-samples/codebook-6item.csv", "data-samples/cuihu-2026Q1.csv",
         "data-samples/cuihu-2026Q2.csv", "data-samples/cuihu-2026Q3.csv",
         "data-samples/cuihu-2026Q4.csv"},
        {"data-samples/codebook-wjx.csv",
         "data-samples/jinguiyuan-wjx-2026Q1.csv",
         "data-samples/jinguiyuan-wjx-2026Q2.csv",
         "data-samples/jinguiyuan-wjx-2026Q3.csv",
         "data-samples/jinguiyuan-wjx-2026Q4.csv"}};
    char path[1024];
    struct sv_error err;
    struct sv_cube *c = sv_cube_new(dims, 2, SV_PERIOD_QUARTER, &err);

    assert_non_null(c);
    for (size_t s = 0; s < 3; s++) {
        struct sv_codebook *cb = sv_codebook_load(
            ref_path(path, sizeof path, sets[s][0]), &err);
        assert_non_null(cb);
        for (size_t i = 1; i < 5; i++)
            if (sv_cube_read_file(c, ref_path(path, sizeof path, sets[s][i]),
                                  NULL, cb, 0, 1, &err) != SV_OK)
                fail_msg("%s:%lu: %s", err.file, err.line, err.msg);
        sv_codebook_free(cb);
    }
    assert_int_equal(sv_cube_finish(c, &err), SV_OK);
    return c;
}

static void test_nps_samples(void **state)
{
    struct sv_cube *c = samples_cube();
    struct sv_error err;
    struct sv_table *t = sv_nps_table(c, 1, &err);
    struct sv_table *tr = sv_nps_trend_table(c, &err);

    (void)state;
    assert_non_null(t);
    assert_non_null(tr);
    assert_table_matches_ref(t, "tests/reference/nps-samples-compare.csv");
    assert_table_matches_ref(tr, "tests/reference/nps-samples-trend.csv");
    sv_table_free(tr);
    sv_table_free(t);
    sv_cube_free(c);
}

/* A trend needs a period key: SV_ERR_USAGE, and ERR says why. */
static void test_nps_trend_needs_period(void **state)
{
    const char *dims[] = {"site"};
    struct sv_error err;
    struct sv_cube *c = sv_cube_new(dims, 1, SV_PERIOD_QUARTER, &err);

    (void)state;
    assert_non_null(c);
    assert_int_equal(sv_cube_finish(c, &err), SV_OK);
    memset(&err, 0, sizeof err);
    assert_null(sv_nps_trend_table(c, &err));
    assert_int_equal(err.code, SV_ERR_USAGE);
    assert_true(err.msg[0] != '\0');
    sv_cube_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nps_edge_compare),
        cmocka_unit_test(test_nps_edge_trend),
        cmocka_unit_test(test_nps_samples),
        cmocka_unit_test(test_nps_trend_needs_period),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
