/*
 * testutil.h — set-up shared by the unit tests: a temporary input file,
 * GSL's abort handler turned off, and the comparison of a result table
 * with a reference CSV computed independently (tests/reference/, pandas
 * or R), by value.
 */
#ifndef SV_TESTUTIL_H
#define SV_TESTUTIL_H

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

#include <gsl/gsl_errno.h>

#include "survey.h"

/* The temporary folder and input file of a test group (test_tmp_setup). */
struct test_tmp {
    char dir[192];
    char path[256];
};

static inline struct test_tmp *test_tmp(void)
{
    static struct test_tmp t;

    return &t;
}

/* The input file every test of the group writes and reads. */
static inline const char *test_path(void)
{
    return test_tmp()->path;
}

static inline const char *test_dir(void)
{
    return test_tmp()->dir;
}

/* Group set-up: a fresh temporary folder holding the path in.csv. */
static inline int test_tmp_setup(void **state)
{
    struct test_tmp *t = test_tmp();
    int n = snprintf(t->dir, sizeof t->dir, "%s/sv-test.XXXXXX", P_tmpdir);

    (void)state;
    if (n < 0 || (size_t)n >= sizeof t->dir || !mkdtemp(t->dir))
        return -1;
    n = snprintf(t->path, sizeof t->path, "%s/in.csv", t->dir);
    return n < 0 || (size_t)n >= sizeof t->path ? -1 : 0;
}

static inline int test_tmp_teardown(void **state)
{
    (void)state;
    unlink(test_tmp()->path);
    return rmdir(test_tmp()->dir);
}

/* Writes the LEN bytes at BYTES to the group's input file. */
static inline void write_file(const char *bytes, size_t len)
{
    FILE *fp = fopen(test_path(), "wb");

    assert_non_null(fp);
    assert_int_equal(fwrite(bytes, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

/* Group set-up: GSL errors return codes instead of aborting. */
static inline int test_gsl_setup(void **state)
{
    (void)state;
    gsl_set_error_handler_off();
    return 0;
}

/* $SV_TOP/REL into BUF (the repository root; "." without SV_TOP). */
static inline const char *ref_path(char *buf, size_t cap, const char *rel)
{
    const char *top = getenv("SV_TOP");
    int n = snprintf(buf, cap, "%s/%s", top ? top : ".", rel);

    assert_true(n > 0 && (size_t)n < cap);
    return buf;
}

/*
 * Half a unit of the last digit the reference printed in S: a number
 * that rounds to S lies within it.  P-values print with 4 significant
 * digits (trailing zeros dropped), so their unit follows the magnitude.
 */
static inline double ref_tolerance(const char *s, double v, int p_value)
{
    const char *dot = strchr(s, '.');
    const char *e = strpbrk(s, "eE");
    long exp10 = e ? strtol(e + 1, NULL, 10) : 0;
    long dec = dot ? (long)((e ? e : s + strlen(s)) - dot - 1) : 0;

    if (p_value)
        return v > 0 ? 0.5 * pow(10, floor(log10(v)) - 3) : 1e-12;
    return 0.5 * pow(10, (double)(exp10 - dec)) + 1e-12;
}

/* Cell (ROW, COL) of T against the reference text WANT. */
static inline void ref_cell(const struct sv_table *t, size_t row, size_t col,
                            const char *want, const char *path)
{
    const struct sv_colspec *c = sv_table_col(t, col);
    char *end;
    double w, got;

    if (!*want) {
        if (!sv_table_empty(t, row, col))
            fail_msg("%s: row %zu %s: '%s', expected empty", path, row + 1,
                     c->name, sv_table_get(t, row, col));
        return;
    }
    if (c->type == SV_TYPE_TEXT) {
        if (strcmp(sv_table_get(t, row, col), want) != 0)
            fail_msg("%s: row %zu %s: '%s', expected '%s'", path, row + 1,
                     c->name, sv_table_get(t, row, col), want);
        return;
    }
    w = strtod(want, &end);
    assert_true(*end == '\0');
    got = sv_table_num(t, row, col);
    if (!(fabs(got - w) <= ref_tolerance(want, w, c->type == SV_TYPE_P)))
        fail_msg("%s: row %zu %s: %.17g, expected %s", path, row + 1,
                 c->name, got, want);
}

/*
 * Asserts that T holds the figures of the reference CSV REL (relative to
 * the repository root): the same columns, the same rows in the same
 * order; text cells equal, numbers within half a unit of the reference's
 * last printed digit, and empty where the reference is empty.
 */
static inline void assert_table_matches_ref(const struct sv_table *t,
                                            const char *rel)
{
    char path[1024];
    struct sv_error err;
    struct sv_csv *csv = sv_csv_open(ref_path(path, sizeof path, rel), rel,
                                     NULL, &err);
    size_t nf, row = 0;

    if (!csv)
        fail_msg("%s: %s", rel, err.msg);
    assert_int_equal(sv_csv_next(csv, &nf, &err), SV_OK);
    assert_int_equal(nf, sv_table_ncols(t));
    for (size_t c = 0; c < nf; c++)
        assert_string_equal(sv_table_name(t, c), sv_csv_field(csv, c));
    while (sv_csv_next(csv, &nf, &err) == SV_OK && nf > 0) {
        assert_true(row < sv_table_nrows(t));
        assert_int_equal(nf, sv_table_ncols(t));
        for (size_t c = 0; c < nf; c++)
            ref_cell(t, row, c, sv_csv_field(csv, c), rel);
        row++;
    }
    assert_int_equal(row, sv_table_nrows(t));
    sv_csv_free(csv);
}

#endif
