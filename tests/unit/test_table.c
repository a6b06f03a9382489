/*
 * test_table.c — unit tests of libsurvey/table.c: cells and number
 * formatting, and the four output formats (CSV quoting, TSV without
 * quoting, JSON with null for empty numeric cells, the aligned terminal
 * table counting CJK characters as two columns), Chinese headers and the
 * workbook, read back through the library's own .xlsx record source.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "survey.h"

/* Writes T in format F into a fresh string (caller frees). */
static char *render(const struct sv_table *t, enum sv_format f)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    struct sv_error err;

    assert_non_null(fp);
    assert_int_equal(sv_table_write(t, f, fp, &err), SV_OK);
    assert_int_equal(fclose(fp), 0);
    return buf;
}

/* A two-column table: name (text) and value (numeric). */
static struct sv_table *pair_table(void)
{
    struct sv_table *t = sv_table_new();

    assert_non_null(t);
    assert_int_equal(sv_table_add_column(t, "name", 0), SV_OK);
    assert_int_equal(sv_table_add_column(t, "value", 1), SV_OK);
    return t;
}

static void add_pair(struct sv_table *t, const char *name, const char *value)
{
    assert_int_equal(sv_table_add_row(t), SV_OK);
    assert_int_equal(sv_table_set(t, 0, name), SV_OK);
    if (value)
        assert_int_equal(sv_table_set(t, 1, value), SV_OK);
}

static void check(struct sv_table *t, enum sv_format f, const char *want)
{
    char *got = render(t, f);

    assert_string_equal(got, want);
    free(got);
}

static void test_table_format_parse(void **state)
{
    static const struct {
        const char *s;
        enum sv_status st;
        enum sv_format f;
    } cases[] = {
        {"csv", SV_OK, SV_FORMAT_CSV},     {"tsv", SV_OK, SV_FORMAT_TSV},
        {"json", SV_OK, SV_FORMAT_JSON},   {"table", SV_OK, SV_FORMAT_TABLE},
        {"xlsx", SV_OK, SV_FORMAT_XLSX},
        {"CSV", SV_ERR_USAGE, SV_FORMAT_CSV}, {"", SV_ERR_USAGE, SV_FORMAT_CSV},
        {"xml", SV_ERR_USAGE, SV_FORMAT_CSV},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        enum sv_format f = SV_FORMAT_CSV;
        assert_int_equal(sv_format_parse(cases[i].s, &f), cases[i].st);
        if (cases[i].st == SV_OK)
            assert_int_equal(f, cases[i].f);
    }
}

static void test_table_cells(void **state)
{
    struct sv_table *t = pair_table();

    (void)state;
    /* no row yet: setting a cell is a usage error */
    assert_int_equal(sv_table_set(t, 0, "x"), SV_ERR_USAGE);
    add_pair(t, "a", "1");
    assert_int_equal(sv_table_set(t, 2, "x"), SV_ERR_USAGE);
    /* columns are fixed once rows exist */
    assert_int_equal(sv_table_add_column(t, "late", 0), SV_ERR_USAGE);
    assert_int_equal(sv_table_ncols(t), 2);
    assert_int_equal(sv_table_nrows(t), 1);
    assert_int_equal(sv_table_column(t, "value"), 1);
    assert_int_equal(sv_table_column(t, "nope"), -1);
    assert_string_equal(sv_table_name(t, 1), "value");
    assert_string_equal(sv_table_name(t, 9), "");
    assert_string_equal(sv_table_get(t, 0, 0), "a");
    assert_string_equal(sv_table_get(t, 1, 0), "");
    assert_string_equal(sv_table_get(t, 0, 5), "");
    /* a set replaces the previous value; unset cells read as "" */
    assert_int_equal(sv_table_set(t, 0, "b"), SV_OK);
    assert_string_equal(sv_table_get(t, 0, 0), "b");
    assert_int_equal(sv_table_add_row(t), SV_OK);
    assert_string_equal(sv_table_get(t, 1, 1), "");
    sv_table_free(t);
    sv_table_free(NULL);
}

/* Many rows: the cell array grows past its first allocation. */
static void test_table_many_rows(void **state)
{
    struct sv_table *t = pair_table();
    char name[32];

    (void)state;
    for (int i = 0; i < 1000; i++) {
        snprintf(name, sizeof name, "r%d", i);
        add_pair(t, name, NULL);
        assert_int_equal(sv_table_setf(t, 1, "%d", i * 2), SV_OK);
    }
    assert_int_equal(sv_table_nrows(t), 1000);
    assert_string_equal(sv_table_get(t, 0, 0), "r0");
    assert_string_equal(sv_table_get(t, 999, 0), "r999");
    assert_string_equal(sv_table_get(t, 999, 1), "1998");
    sv_table_free(t);
}

static void test_table_numbers(void **state)
{
    static const struct {
        double x;
        int decimals;
        const char *want;
    } nums[] = {
        {12.345678, 2, "12.35"},  {100.0, 2, "100.00"}, {0.0, 2, "0.00"},
        {-0.004, 2, "0.00"},      /* no "-0.00" */
        {-0.0, 2, "0.00"},        {-0.006, 2, "-0.01"}, {-12.5, 2, "-12.50"},
        {3.14159, 4, "3.1416"},   {-0.00004, 4, "0.0000"}, {7.0, 0, "7"},
        {0.125, 2, "0.12"},       /* exact binary tie: printf rounds to even */
        {NAN, 2, ""},
    };
    static const struct {
        double p;
        const char *want;
    } ps[] = {
        {1.0, "1"},          {0.05, "0.05"},        {0.123456, "0.1235"},
        {3.347e-05, "3.347e-05"}, {0.0, "0"},       {0.99994, "0.9999"}, {0.999951, "1"},
        {0.000123449, "0.0001234"}, {NAN, ""},
    };
    struct sv_table *t = pair_table();

    (void)state;
    for (size_t i = 0; i < sizeof nums / sizeof *nums; i++) {
        add_pair(t, "x", NULL);
        assert_int_equal(sv_table_set_num(t, 1, nums[i].x, nums[i].decimals),
                         SV_OK);
        assert_string_equal(sv_table_get(t, i, 1), nums[i].want);
    }
    for (size_t i = 0; i < sizeof ps / sizeof *ps; i++) {
        size_t row = sizeof nums / sizeof *nums + i;
        add_pair(t, "p", NULL);
        assert_int_equal(sv_table_set_p(t, 1, ps[i].p), SV_OK);
        assert_string_equal(sv_table_get(t, row, 1), ps[i].want);
    }
    sv_table_free(t);
}

static void test_table_csv_quoting(void **state)
{
    struct sv_table *t = pair_table();

    (void)state;
    add_pair(t, "plain", "1");
    add_pair(t, "a,b", "2");
    add_pair(t, "say \"hi\"", "3");
    add_pair(t, "two\nlines", "");
    add_pair(t, "cr\rx", NULL);
    add_pair(t, " spaced ", "4");
    add_pair(t, "保洁卫生，全角逗号", "5");
    check(t, SV_FORMAT_CSV,
          "name,value\n"
          "plain,1\n"
          "\"a,b\",2\n"
          "\"say \"\"hi\"\"\",3\n"
          "\"two\nlines\",\n"
          "\"cr\rx\",\n"
          " spaced ,4\n"
          "保洁卫生，全角逗号,5\n");
    sv_table_free(t);
}

static void test_table_tsv(void **state)
{
    struct sv_table *t = pair_table();

    (void)state;
    add_pair(t, "a,b \"q\"", "1");
    add_pair(t, "tab\there", "2");
    add_pair(t, "new\nline\r", NULL);
    check(t, SV_FORMAT_TSV,
          "name\tvalue\n"
          "a,b \"q\"\t1\n"
          "tab here\t2\n"
          "new line \t\n");
    sv_table_free(t);
}

static void test_table_json(void **state)
{
    struct sv_table *t = pair_table();

    (void)state;
    check(t, SV_FORMAT_JSON, "[]\n");
    add_pair(t, "翠湖", "85.95");
    add_pair(t, "", NULL); /* empty text stays "", empty number is null */
    add_pair(t, "q\"b\\s\nn\tt\x01", "-0.33");
    check(t, SV_FORMAT_JSON,
          "[\n"
          "  {\"name\": \"翠湖\", \"value\": 85.95},\n"
          "  {\"name\": \"\", \"value\": null},\n"
          "  {\"name\": \"q\\\"b\\\\s\\nn\\u0009t\\u0001\", \"value\": -0.33}\n"
          "]\n");
    sv_table_free(t);
}

static void test_table_aligned_cjk(void **state)
{
    struct sv_table *t = sv_table_new();

    (void)state;
    assert_int_equal(sv_table_add_column(t, "site", 0), SV_OK);
    assert_int_equal(sv_table_add_column(t, "n", 1), SV_OK);
    assert_int_equal(sv_table_add_column(t, "item", 0), SV_OK);
    add_pair(t, "翠湖花园服务中心", "676");
    assert_int_equal(sv_table_set(t, 2, "(all)"), SV_OK);
    add_pair(t, "X", "5");
    assert_int_equal(sv_table_set(t, 2, "保卫治安"), SV_OK);
    add_pair(t, "Ａ全角", NULL);
    /*
     * 翠湖花园服务中心 is 8 CJK characters = 16 columns; numbers are
     * right-aligned; the last (text) column is not padded.
     */
    check(t, SV_FORMAT_TABLE,
          "site                n  item\n"
          "翠湖花园服务中心  676  (all)\n"
          "X                   5  保卫治安\n"
          "Ａ全角                 \n");
    sv_table_free(t);
}

/* Every formatted row has the same display width up to its last column. */
static void test_table_aligned_widths(void **state)
{
    struct sv_table *t = sv_table_new();
    char *out, *line, *save = NULL;
    size_t width = 0;

    (void)state;
    assert_int_equal(sv_table_add_column(t, "单位", 0), SV_OK);
    assert_int_equal(sv_table_add_column(t, "sat_pct", 1), SV_OK);
    assert_int_equal(sv_table_add_column(t, "weak", 1), SV_OK);
    add_pair(t, "金桂苑管理处", "82.55");
    assert_int_equal(sv_table_set(t, 2, "1"), SV_OK);
    add_pair(t, "天成美雅", "100.00");
    assert_int_equal(sv_table_set(t, 2, "0"), SV_OK);
    add_pair(t, "ab", "");
    out = render(t, SV_FORMAT_TABLE);
    for (line = strtok_r(out, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        size_t w = sv_display_width(line);
        if (!width)
            width = w;
        assert_int_equal(w, width);
    }
    assert_int_equal(width, 12 + 2 + 7 + 2 + 4);
    free(out);
    sv_table_free(t);
}

/* Typed cells keep their value; the column's type decides how they print. */
static void test_table_typed(void **state)
{
    static const struct sv_colspec cols[] = {
        {"item", "分项", SV_TYPE_TEXT, 0}, {"n", "有效答卷", SV_TYPE_COUNT, 0},
        {"sat_pct", "满意率", SV_TYPE_NUM, 2}, {"delta_p", NULL, SV_TYPE_P, 0},
        {"weak", NULL, SV_TYPE_INT, 0}};
    struct sv_table *t = sv_table_new();
    char *out;

    (void)state;
    for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
        assert_int_equal(sv_table_add_col(t, &cols[i]), SV_OK);
    assert_string_equal(sv_table_col(t, 2)->zh, "满意率");
    assert_null(sv_table_col(t, 3)->zh);
    assert_int_equal(sv_table_add_row(t), SV_OK);
    assert_int_equal(sv_table_set(t, 0, "保洁"), SV_OK);
    assert_int_equal(sv_table_set_count(t, 1, UINT64_C(9007199254740993)),
                     SV_OK);
    assert_int_equal(sv_table_set_double(t, 2, 84.2527582748), SV_OK);
    assert_int_equal(sv_table_set_double(t, 3, 0.000123449), SV_OK);
    assert_int_equal(sv_table_set_int(t, 4, 1), SV_OK);
    /* the value is not rounded until it is printed */
    assert_true(fabs(sv_table_num(t, 0, 2) - 84.2527582748) < 1e-12);
    assert_true(fabs(sv_table_num(t, 0, 3) - 0.000123449) < 1e-15);
    assert_true(sv_table_num(t, 0, 4) > 0.5 && sv_table_num(t, 0, 4) < 1.5);
    assert_true(isnan(sv_table_num(t, 0, 0)));
    assert_int_equal(sv_table_add_row(t), SV_OK);
    assert_int_equal(sv_table_set_double(t, 2, NAN), SV_OK);
    assert_int_equal(sv_table_set_double(t, 3, -0.0001), SV_OK);
    assert_true(sv_table_empty(t, 1, 2));
    assert_true(isnan(sv_table_num(t, 1, 2)));
    assert_false(sv_table_empty(t, 1, 3));
    out = render(t, SV_FORMAT_CSV);
    assert_string_equal(out, "item,n,sat_pct,delta_p,weak\n"
                             "保洁,9007199254740993,84.25,0.0001234,1\n"
                             ",,,-0.0001,\n");
    free(out);
    out = render(t, SV_FORMAT_JSON);
    assert_non_null(strstr(out, "\"n\": 9007199254740993, \"sat_pct\": 84.25"));
    assert_non_null(strstr(out, "\"sat_pct\": null"));
    free(out);
    sv_table_free(t);
}

/* Chinese headers: the colspec's own, the built-in key names, else as is. */
static void test_table_header_zh(void **state)
{
    struct sv_table *t = sv_table_new();
    struct sv_colspec rate = {"sat_pct", "满意率", SV_TYPE_NUM, 2};
    char *out;

    (void)state;
    assert_int_equal(sv_table_add_column(t, "site", 0), SV_OK);
    assert_int_equal(sv_table_add_column(t, "楼栋", 0), SV_OK);
    assert_int_equal(sv_table_add_col(t, &rate), SV_OK);
    assert_string_equal(sv_table_header(t, 0, SV_HEADER_ZH), "管理处");
    assert_string_equal(sv_table_header(t, 1, SV_HEADER_ZH), "楼栋");
    assert_string_equal(sv_table_header(t, 2, SV_HEADER_ZH), "满意率");
    assert_string_equal(sv_table_header(t, 2, SV_HEADER_EN), "sat_pct");
    assert_string_equal(sv_table_header(t, 3, SV_HEADER_ZH), "");
    out = render(t, SV_FORMAT_CSV);
    assert_string_equal(out, "site,楼栋,sat_pct\n");
    free(out);
    sv_table_free(t);
}

/* A workbook read back cell by cell: numbers as printed, text as is. */
static void test_table_xlsx_round_trip(void **state)
{
    static const char *const want[][3] = {
        {"管理处", "满意率", "delta_p"},
        {"=1+1", "85.95", "0.8669"},
        {"翠湖花园服务中心", "100", ""},
    };
    struct sv_colspec p = {"delta_p", NULL, SV_TYPE_P, 0};
    struct sv_colspec rate = {"sat_pct", "满意率", SV_TYPE_NUM, 2};
    struct sv_table *t = sv_table_new();
    struct sv_source *src;
    struct sv_error err;
    const char *dir = getenv("TMPDIR");
    char tmpl[4096];
    FILE *fp;
    size_t nf;
    int fd;

    (void)state;
    snprintf(tmpl, sizeof tmpl, "%s/test_table.XXXXXX",
             dir && *dir ? dir : P_tmpdir);
    assert_true((fd = mkstemp(tmpl)) >= 0);
    assert_non_null(fp = fdopen(fd, "w"));
    assert_int_equal(sv_table_add_column(t, "site", 0), SV_OK);
    assert_int_equal(sv_table_add_col(t, &rate), SV_OK);
    assert_int_equal(sv_table_add_col(t, &p), SV_OK);
    assert_int_equal(sv_table_add_row(t), SV_OK);
    assert_int_equal(sv_table_set(t, 0, "=1+1"), SV_OK);
    assert_int_equal(sv_table_set_double(t, 1, 85.9541), SV_OK);
    assert_int_equal(sv_table_set_double(t, 2, 0.866912), SV_OK);
    assert_int_equal(sv_table_add_row(t), SV_OK);
    assert_int_equal(sv_table_set(t, 0, "翠湖花园服务中心"), SV_OK);
    assert_int_equal(sv_table_set_double(t, 1, 100), SV_OK);
    assert_int_equal(sv_table_write_as(t, SV_FORMAT_XLSX, SV_HEADER_ZH, fp,
                                       &err), SV_OK);
    assert_int_equal(fclose(fp), 0);
    src = sv_source_open(tmpl, NULL, NULL, &err);
    assert_non_null(src);
    for (size_t r = 0; r < 3; r++) {
        assert_int_equal(sv_source_next(src, &nf, &err), SV_OK);
        for (size_t c = 0; c < 3; c++)
            assert_string_equal(sv_source_field(src, c), want[r][c]);
    }
    assert_int_equal(sv_source_next(src, &nf, &err), SV_OK);
    assert_int_equal(nf, 0);
    sv_source_free(src);
    unlink(tmpl);
    sv_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_format_parse),
        cmocka_unit_test(test_table_cells),
        cmocka_unit_test(test_table_many_rows),
        cmocka_unit_test(test_table_numbers),
        cmocka_unit_test(test_table_csv_quoting),
        cmocka_unit_test(test_table_tsv),
        cmocka_unit_test(test_table_json),
        cmocka_unit_test(test_table_aligned_cjk),
        cmocka_unit_test(test_table_aligned_widths),
        cmocka_unit_test(test_table_typed),
        cmocka_unit_test(test_table_header_zh),
        cmocka_unit_test(test_table_xlsx_round_trip),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
