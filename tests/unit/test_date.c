/*
 * test_date.c — unit tests of libsurvey/date.c: the date forms of
 * PRODUCT.md 3.1, calendar validity, day numbers and period keys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "survey.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct parse_case {
    const char *s;
    int y, m, d, has_time, hh, mm, ss;
};

static void test_date_parse_valid(void **state)
{
    static const struct parse_case cases[] = {
        {"2026-07-15", 2026, 7, 15, 0, 0, 0, 0},
        {"2026/7/15", 2026, 7, 15, 0, 0, 0, 0},
        {"2026/7/15 10:23:45", 2026, 7, 15, 1, 10, 23, 45},
        {"2026/07/05 9:05", 2026, 7, 5, 1, 9, 5, 0},
        {"2026.7.15", 2026, 7, 15, 0, 0, 0, 0},
        {"2026年7月15日", 2026, 7, 15, 0, 0, 0, 0},
        {"2026年07月05日 08:30", 2026, 7, 5, 1, 8, 30, 0},
        {"2026年7月15号", 2026, 7, 15, 0, 0, 0, 0},
        {"2026-07-15T10:23:45", 2026, 7, 15, 1, 10, 23, 45},
        {"2026-07-15 23:59:59", 2026, 7, 15, 1, 23, 59, 59},
        {"  2026-01-01  ", 2026, 1, 1, 0, 0, 0, 0},
        {"2024-02-29", 2024, 2, 29, 0, 0, 0, 0},
        {"2000-02-29", 2000, 2, 29, 0, 0, 0, 0},
        {"2026-12-31", 2026, 12, 31, 0, 0, 0, 0},
        {"2026-04-30", 2026, 4, 30, 0, 0, 0, 0},
    };

    (void)state;
    for (size_t i = 0; i < NELEM(cases); i++) {
        const struct parse_case *c = &cases[i];
        struct sv_date d;
        if (sv_date_parse(c->s, &d) != SV_OK)
            fail_msg("sv_date_parse(\"%s\") failed", c->s);
        if (d.year != c->y || d.month != c->m || d.day != c->d ||
            d.has_time != c->has_time || d.hour != c->hh || d.min != c->mm ||
            d.sec != c->ss)
            fail_msg("sv_date_parse(\"%s\") = %d-%d-%d %d %d:%d:%d", c->s,
                     d.year, d.month, d.day, d.has_time, d.hour, d.min,
                     d.sec);
    }
}

static void test_date_parse_invalid(void **state)
{
    static const char *const bad[] = {
        "2026-02-30", "2025-02-29", "1900-02-29", "2026-13-01",
        "2026-00-10", "2026-04-31", "2026-01-00", "2026-01-32",
        "garbage", "", "   ", "2026", "2026-07", "2026-07-", "26-07-15",
        "20260715", "2026-7/15", "2026/07-15", "2026年7月", "2026年7月15",
        "2026年7-15日", "2026-07-15x", "2026-07-15 25:00", "2026-07-15 10:60",
        "2026-07-15 10", "2026-07-15 10:23:", "2026-07-15 10:23:45 x",
        "2026-07-015", "12026-07-15", "2026-07-15T", /* see below */
    };

    (void)state;
    for (size_t i = 0; i < NELEM(bad); i++) {
        struct sv_date d = {.year = -7};
        enum sv_status st = sv_date_parse(bad[i], &d);
        if (strcmp(bad[i], "2026-07-15T") == 0) {
            /* a dangling 'T' with no time is tolerated as a plain date */
            assert_int_equal(st, SV_OK);
            assert_int_equal(d.has_time, 0);
            continue;
        }
        if (st != SV_ERR_DATA)
            fail_msg("sv_date_parse(\"%s\") accepted", bad[i]);
        assert_int_equal(d.year, -7); /* *OUT untouched on error */
    }
}

struct days_case {
    int y, m, d;
    long days;
};

static void test_date_days(void **state)
{
    static const struct days_case cases[] = {
        {1970, 1, 1, 0},      {1970, 1, 2, 1},      {1969, 12, 31, -1},
        {2000, 1, 1, 10957},  {2000, 3, 1, 11017},  {2024, 2, 29, 19782},
        {2024, 3, 1, 19783},  {2026, 1, 1, 20454},  {2026, 7, 15, 20649},
        {2026, 12, 31, 20818}, {1900, 1, 1, -25567},
    };

    (void)state;
    for (size_t i = 0; i < NELEM(cases); i++) {
        struct sv_date d = {cases[i].y, cases[i].m, cases[i].d, 0, 0, 0, 0};
        if (sv_date_days(&d) != cases[i].days)
            fail_msg("sv_date_days(%d-%d-%d) = %ld, want %ld", cases[i].y,
                     cases[i].m, cases[i].d, sv_date_days(&d),
                     cases[i].days);
    }
}

static void test_date_seconds_and_format(void **state)
{
    struct sv_date d;
    char buf[32];

    (void)state;
    assert_int_equal(sv_date_parse("2026/7/15 10:23:45", &d), SV_OK);
    assert_true(sv_date_seconds(&d) == 20649LL * 86400 + 10 * 3600 + 23 * 60 + 45);
    sv_date_format(&d, buf, sizeof buf);
    assert_string_equal(buf, "2026-07-15 10:23:45");
    assert_int_equal(sv_date_parse("2026年7月5日", &d), SV_OK);
    assert_true(sv_date_seconds(&d) == (long long)sv_date_days(&d) * 86400);
    sv_date_format(&d, buf, sizeof buf);
    assert_string_equal(buf, "2026-07-05");
}

struct key_case {
    const char *date;
    const char *month, *quarter, *half, *year;
};

static void test_date_period_key(void **state)
{
    static const struct key_case cases[] = {
        {"2026-01-01", "2026-01", "2026Q1", "2026H1", "2026"},
        {"2026-03-31", "2026-03", "2026Q1", "2026H1", "2026"},
        {"2026-04-01", "2026-04", "2026Q2", "2026H1", "2026"},
        {"2026-06-30", "2026-06", "2026Q2", "2026H1", "2026"},
        {"2026-07-15", "2026-07", "2026Q3", "2026H2", "2026"},
        {"2026-09-30", "2026-09", "2026Q3", "2026H2", "2026"},
        {"2026-10-01", "2026-10", "2026Q4", "2026H2", "2026"},
        {"2026-12-31 23:59", "2026-12", "2026Q4", "2026H2", "2026"},
    };

    (void)state;
    for (size_t i = 0; i < NELEM(cases); i++) {
        struct sv_date d;
        char k[16];
        assert_int_equal(sv_date_parse(cases[i].date, &d), SV_OK);
        sv_period_key(&d, SV_PERIOD_MONTH, k, sizeof k);
        assert_string_equal(k, cases[i].month);
        sv_period_key(&d, SV_PERIOD_QUARTER, k, sizeof k);
        assert_string_equal(k, cases[i].quarter);
        sv_period_key(&d, SV_PERIOD_HALF, k, sizeof k);
        assert_string_equal(k, cases[i].half);
        sv_period_key(&d, SV_PERIOD_YEAR, k, sizeof k);
        assert_string_equal(k, cases[i].year);
    }
}

static void test_date_period_parse_kind(void **state)
{
    enum sv_period p = SV_PERIOD_NONE;

    (void)state;
    assert_int_equal(sv_period_parse_kind("month", &p), SV_OK);
    assert_int_equal(p, SV_PERIOD_MONTH);
    assert_int_equal(sv_period_parse_kind("quarter", &p), SV_OK);
    assert_int_equal(p, SV_PERIOD_QUARTER);
    assert_int_equal(sv_period_parse_kind("half", &p), SV_OK);
    assert_int_equal(p, SV_PERIOD_HALF);
    assert_int_equal(sv_period_parse_kind("year", &p), SV_OK);
    assert_int_equal(p, SV_PERIOD_YEAR);
    assert_int_equal(sv_period_parse_kind("week", &p), SV_ERR_USAGE);
    assert_int_equal(sv_period_parse_kind("", &p), SV_ERR_USAGE);
    assert_int_equal(sv_period_parse_kind("Month", &p), SV_ERR_USAGE);
}

struct rekey_case {
    const char *key;
    enum sv_period to;
    enum sv_status want;
    const char *out;
};

static void test_date_period_rekey(void **state)
{
    static const struct rekey_case cases[] = {
        {"2026-07", SV_PERIOD_MONTH, SV_OK, "2026-07"},
        {"2026-07", SV_PERIOD_QUARTER, SV_OK, "2026Q3"},
        {"2026-07", SV_PERIOD_HALF, SV_OK, "2026H2"},
        {"2026-07", SV_PERIOD_YEAR, SV_OK, "2026"},
        {"2026-03", SV_PERIOD_QUARTER, SV_OK, "2026Q1"},
        {"2026-06", SV_PERIOD_HALF, SV_OK, "2026H1"},
        {"2026-12", SV_PERIOD_QUARTER, SV_OK, "2026Q4"},
        {"2026Q3", SV_PERIOD_HALF, SV_OK, "2026H2"},
        {"2026Q2", SV_PERIOD_HALF, SV_OK, "2026H1"},
        {"2026Q4", SV_PERIOD_YEAR, SV_OK, "2026"},
        {"2026Q1", SV_PERIOD_QUARTER, SV_OK, "2026Q1"},
        {"2026H2", SV_PERIOD_YEAR, SV_OK, "2026"},
        {"2026", SV_PERIOD_YEAR, SV_OK, "2026"},
        /* finer than the key: error */
        {"2026Q3", SV_PERIOD_MONTH, SV_ERR_DATA, NULL},
        {"2026H1", SV_PERIOD_QUARTER, SV_ERR_DATA, NULL},
        {"2026", SV_PERIOD_HALF, SV_ERR_DATA, NULL},
        {"2026", SV_PERIOD_MONTH, SV_ERR_DATA, NULL},
        {"2026-07", SV_PERIOD_NONE, SV_ERR_DATA, NULL},
        /* not a key */
        {"2026-13", SV_PERIOD_YEAR, SV_ERR_DATA, NULL},
        {"2026-00", SV_PERIOD_YEAR, SV_ERR_DATA, NULL},
        {"2026-7", SV_PERIOD_YEAR, SV_ERR_DATA, NULL},
        {"2026Q5", SV_PERIOD_YEAR, SV_ERR_DATA, NULL},
        {"2026Q0", SV_PERIOD_YEAR, SV_ERR_DATA, NULL},
        {"2026H3", SV_PERIOD_YEAR, SV_ERR_DATA, NULL},
        {"2026q3", SV_PERIOD_YEAR, SV_ERR_DATA, NULL},
        {"2026-07-15", SV_PERIOD_YEAR, SV_ERR_DATA, NULL},
        {"26Q1", SV_PERIOD_YEAR, SV_ERR_DATA, NULL},
        {"", SV_PERIOD_YEAR, SV_ERR_DATA, NULL},
        {"abcd", SV_PERIOD_YEAR, SV_ERR_DATA, NULL},
    };

    (void)state;
    for (size_t i = 0; i < NELEM(cases); i++) {
        char buf[16] = "";
        enum sv_status st =
            sv_period_rekey(cases[i].key, cases[i].to, buf, sizeof buf);
        if (st != cases[i].want)
            fail_msg("sv_period_rekey(\"%s\", %d) = %d, want %d",
                     cases[i].key, cases[i].to, st, cases[i].want);
        if (st == SV_OK)
            assert_string_equal(buf, cases[i].out);
    }
}

/* Every key of a sequence differs by one from the one before it. */
static void check_consecutive(const char *const *keys, size_t n,
                              enum sv_period kind)
{
    long prev = 0;

    for (size_t i = 0; i < n; i++) {
        long ord = 0;
        enum sv_period p = sv_period_ordinal(keys[i], &ord);
        if (p != kind)
            fail_msg("sv_period_ordinal(\"%s\") kind %d, want %d", keys[i], p,
                     kind);
        if (i > 0 && ord != prev + 1)
            fail_msg("ordinal of \"%s\" is %ld after %ld", keys[i], ord,
                     prev);
        prev = ord;
    }
}

static void test_date_period_ordinal(void **state)
{
    static const char *const months[] = {"2025-11", "2025-12", "2026-01",
                                         "2026-02", "2026-09", "2026-10"};
    static const char *const quarters[] = {"2025Q3", "2025Q4", "2026Q1",
                                           "2026Q2", "2026Q3", "2026Q4",
                                           "2027Q1"};
    static const char *const halves[] = {"2025H1", "2025H2", "2026H1",
                                         "2026H2", "2027H1"};
    static const char *const years[] = {"2024", "2025", "2026", "2027"};
    long ord = 99;

    (void)state;
    check_consecutive(months, 4, SV_PERIOD_MONTH);
    check_consecutive(months + 4, 2, SV_PERIOD_MONTH);
    check_consecutive(quarters, NELEM(quarters), SV_PERIOD_QUARTER);
    check_consecutive(halves, NELEM(halves), SV_PERIOD_HALF);
    check_consecutive(years, NELEM(years), SV_PERIOD_YEAR);
    assert_int_equal(sv_period_ordinal("2026Q9", &ord), SV_PERIOD_NONE);
    assert_int_equal(sv_period_ordinal("x", &ord), SV_PERIOD_NONE);
    assert_int_equal(sv_period_ordinal("", &ord), SV_PERIOD_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_parse_valid),
        cmocka_unit_test(test_date_parse_invalid),
        cmocka_unit_test(test_date_days),
        cmocka_unit_test(test_date_seconds_and_format),
        cmocka_unit_test(test_date_period_key),
        cmocka_unit_test(test_date_period_parse_kind),
        cmocka_unit_test(test_date_period_rekey),
        cmocka_unit_test(test_date_period_ordinal),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
