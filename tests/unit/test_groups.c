/*
 * test_groups.c — unit tests of libsurvey/groups.c: the key index that
 * finds the same group in other periods (previous period with data,
 * series for trends) and the first group of each class, on a small view
 * whose groups are sorted by key with periods in time order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "internal.h"

/* site, period: B's 2026Q2 is missing; C has one period. */
static const char *const keys[][2] = {
    {"A", "2026Q1"}, {"A", "2026Q2"}, {"A", "2026Q3"}, {"B", "2026Q1"},
    {"B", "2026Q3"}, {"B", "2026Q4"}, {"C", "2026Q2"}};
enum { NG = sizeof keys / sizeof *keys };

/* A figure per group; NaN: no data there. */
static const double value[NG] = {10, NAN, 30, 1, 3, 4, 7};

static const char *key(const void *src, size_t g, size_t d)
{
    (void)src;
    return keys[g][d];
}

static void view(struct sv_keyview *v)
{
    v->src = keys;
    v->ngroups = NG;
    v->ndims = 2;
    v->period_dim = 1;
    v->key = key;
}

static int has(const void *ctx, size_t g)
{
    (void)ctx;
    return !isnan(value[g]);
}

static double val(const void *ctx, size_t g)
{
    (void)ctx;
    return value[g];
}

static void test_groups_previous_with_data(void **state)
{
    struct sv_keyview v;
    struct sv_keyindex x;

    (void)state;
    view(&v);
    assert_int_equal(sv_keyindex_init(&x, &v, v.period_dim), SV_OK);
    assert_int_equal(sv_keyindex_previous(&x, 0, has, NULL), -1);
    /* A 2026Q2 has no data: A 2026Q3 looks back to 2026Q1 */
    assert_int_equal(sv_keyindex_previous(&x, 2, has, NULL), 0);
    /* B 2026Q3 follows B 2026Q1 across the missing quarter */
    assert_int_equal(sv_keyindex_previous(&x, 4, has, NULL), 3);
    assert_int_equal(sv_keyindex_previous(&x, 5, has, NULL), 4);
    assert_int_equal(sv_keyindex_previous(&x, 6, has, NULL), -1);
    sv_keyindex_release(&x);
}

static void test_groups_first_of_class(void **state)
{
    struct sv_keyview v;
    struct sv_keyindex x;
    static const int first_by_period[NG] = {1, 0, 0, 1, 0, 0, 1};
    static const int first_by_site[NG] = {1, 1, 1, 0, 0, 1, 0};

    (void)state;
    view(&v);
    assert_int_equal(sv_keyindex_init(&x, &v, v.period_dim), SV_OK);
    for (size_t g = 0; g < NG; g++)
        assert_int_equal(sv_keyindex_first(&x, g), first_by_period[g]);
    sv_keyindex_release(&x);
    /* by site: A/B/C share 2026Q1 (A, B), 2026Q2 (A, C), 2026Q3 (A, B) */
    assert_int_equal(sv_keyindex_init(&x, &v, 0), SV_OK);
    for (size_t g = 0; g < NG; g++)
        assert_int_equal(sv_keyindex_first(&x, g), first_by_site[g]);
    assert_int_equal(x.end[3] - x.start[3], 2);
    assert_int_equal(x.end[5] - x.start[5], 1);
    sv_keyindex_release(&x);
}

static void test_groups_series_keeps_gaps(void **state)
{
    struct sv_keyview v;
    struct sv_keyindex x;
    struct sv_series s;

    (void)state;
    view(&v);
    assert_int_equal(sv_keyindex_init(&x, &v, v.period_dim), SV_OK);
    assert_int_equal(sv_keyindex_series(&x, 3, val, NULL, &s), SV_OK);
    assert_int_equal(s.k, 3);
    assert_int_equal(s.first, 3);
    assert_int_equal(s.last, 5);
    /* calendar positions: Q1 = 0, Q3 = 2, Q4 = 3 */
    assert_true(fabs(s.x[1] - 2) < 1e-12 && fabs(s.x[2] - 3) < 1e-12);
    assert_true(fabs(s.y[2] - 4) < 1e-12);
    sv_series_release(&s);
    /* NaN values are left out: A has Q1 and Q3 */
    assert_int_equal(sv_keyindex_series(&x, 1, val, NULL, &s), SV_OK);
    assert_int_equal(s.k, 2);
    assert_true(fabs(s.x[1] - 2) < 1e-12);
    sv_series_release(&s);
    sv_keyindex_release(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_groups_previous_with_data),
        cmocka_unit_test(test_groups_first_of_class),
        cmocka_unit_test(test_groups_series_keeps_gaps),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
