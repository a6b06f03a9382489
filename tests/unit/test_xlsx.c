/*
 * test_xlsx.c — unit tests of libsurvey/xlsx-reader.c: content sniffing,
 * Excel serial dates in both date systems, and the cells of the hand-made
 * workbook tests/exports/edge.xlsx as records of a source.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#include "testutil.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static void test_xlsx_sniff(void **state)
{
    static const unsigned char zip[] = "PK\x03\x04rest";
    static const unsigned char cfb[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    static const unsigned char csv[] = "a,b\n1,2\n";

    (void)state;
    assert_int_equal(sv_source_sniff(zip, 8), SV_SOURCE_XLSX);
    assert_int_equal(sv_source_sniff(cfb, 8), SV_SOURCE_XLSX);
    assert_int_equal(sv_source_sniff(csv, 8), SV_SOURCE_CSV);
    assert_int_equal(sv_source_sniff(zip, 3), SV_SOURCE_CSV);
}

static void path_of(char *p, size_t cap, const char *name)
{
    const char *top = getenv("SV_TOP");

    snprintf(p, cap, "%s/tests/exports/%s", top ? top : ".", name);
}

/* The next record of SRC as "a|b|c"; 0 at the end. */
static int next_row(struct sv_source *csv, char *out, size_t cap)
{
    struct sv_error err;
    size_t nf, used = 0;

    if (sv_source_next(csv, &nf, &err) != SV_OK)
        fail_msg("%s:%lu: %s", err.file, err.line, err.msg);
    out[0] = '\0';
    for (size_t i = 0; i < nf; i++)
        used += (size_t)snprintf(out + used, cap - used, "%s%s", i ? "|" : "",
                                 sv_source_field(csv, i));
    return nf > 0;
}

static void test_xlsx_cells(void **state)
{
    static const char *const want[][2] = {
        {"1", "管理处|日期|保洁|投诉|意见"},
        {"2", "翠湖|2026-04-03|满意|FALSE|2.5"},
        {"3", "翠湖|2026-04-04 10:30:00|不满意|TRUE|电梯太慢"},
        {"5", "翠湖||3||"},
        {"6", "翠湖|46117|满意||"},
    };
    struct sv_source_options o = {.sheet = "数据"};
    struct sv_error err;
    struct sv_date d;
    char p[512], row[512];
    struct sv_source *csv;

    (void)state;
    path_of(p, sizeof p, "edge.xlsx");
    csv = sv_source_open(p, "edge.xlsx", &o, &err);
    if (!csv)
        fail_msg("%s: %s", err.file, err.msg);
    assert_string_equal(sv_source_name(csv), "edge.xlsx:数据");
    for (size_t i = 0; i < NELEM(want); i++) {
        assert_true(next_row(csv, row, sizeof row));
        assert_string_equal(row, want[i][1]);
        assert_int_equal(sv_source_line(csv), strtoul(want[i][0], NULL, 10));
    }
    assert_int_equal(sv_source_serial_date(csv, "46117", &d), 0);
    assert_int_equal(d.year * 10000 + d.month * 100 + d.day, 20260405);
    assert_int_equal(sv_source_serial_date(csv, "x", &d), -1);
    assert_false(next_row(csv, row, sizeof row));
    sv_source_free(csv);
}

static void test_xlsx_errors(void **state)
{
    struct sv_source_options o = {.sheet = "3"};
    struct sv_error err;
    struct sv_date d;
    char p[512];
    struct sv_source *csv;

    (void)state;
    path_of(p, sizeof p, "edge.xlsx");
    assert_null(sv_source_open(p, "edge.xlsx", &o, &err));
    assert_non_null(strstr(err.msg, "no sheet '3' (sheets: '说明', '数据')"));
    path_of(p, sizeof p, "generate.py");
    csv = sv_source_open(p, NULL, NULL, &err);
    assert_non_null(csv); /* not a workbook: read as CSV text */
    assert_int_equal(sv_source_serial_date(csv, "46117", &d), -1);
    sv_source_free(csv);
}

/* 1900 system with Excel's fake 1900-02-29; 1904 system (tencent.xlsx). */
static void test_xlsx_serial_dates(void **state)
{
    static const struct {
        const char *serial;
        long ymd;
    } cases[] = {{"1", 19000101}, {"59", 19000228}, {"61", 19000301},
                 {"45658", 20250101}, {"46115.5", 20260403}};
    struct sv_source_options o = {0};
    struct sv_error err;
    struct sv_date d;
    char p[512];
    struct sv_source *csv;

    (void)state;
    path_of(p, sizeof p, "wjx.xlsx");
    csv = sv_source_open(p, "wjx.xlsx", &o, &err);
    assert_non_null(csv);
    for (size_t i = 0; i < NELEM(cases); i++) {
        assert_int_equal(sv_source_serial_date(csv, cases[i].serial, &d), 0);
        assert_int_equal(d.year * 10000L + d.month * 100 + d.day,
                         cases[i].ymd);
    }
    assert_int_equal(d.hour, 12);
    assert_int_equal(sv_source_serial_date(csv, "0", &d), -1);
    sv_source_free(csv);
    path_of(p, sizeof p, "tencent.xlsx");
    csv = sv_source_open(p, "tencent.xlsx", &o, &err);
    assert_non_null(csv);
    assert_int_equal(sv_source_serial_date(csv, "0", &d), -1);
    assert_int_equal(sv_source_serial_date(csv, "44196", &d), 0);
    assert_int_equal(d.year * 10000L + d.month * 100 + d.day, 20250101);
    sv_source_free(csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xlsx_sniff),
        cmocka_unit_test(test_xlsx_cells),
        cmocka_unit_test(test_xlsx_errors),
        cmocka_unit_test(test_xlsx_serial_dates),
    };
    return cmocka_run_group_tests(tests, test_gsl_setup, NULL);
}
