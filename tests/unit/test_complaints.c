/*
 * test_complaints.c — unit tests of libsurvey/complaints.c: the register
 * table (complaints, repeats within the window looking back across
 * periods and into a history register, resolution, timeliness against
 * default and per-category deadlines, median hours to close,
 * complaints per 100 households, the change since the previous period)
 * and the trend table, read as numbers and compared with the values that
 * tests/reference/complaints_reference.py computes with pandas and scipy
 * from the same raw registers (the edge fixture and the data sample), and
 * a register holding every complaint twice counted once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "survey.h"

#include "testutil.h"

#define EDGE "tests/cli/survey-complaints/001-reference-edge/"

/* The register stream of the raw register REL (codebook CB_REL). */
static char *import_register(const char *cb_rel, const char *rel)
{
    char path[1024], *buf = NULL;
    size_t len = 0, nf;
    struct sv_error err;
    struct sv_codebook *cb = sv_codebook_load(
        ref_path(path, sizeof path, cb_rel), &err);
    struct sv_import *imp = cb ? sv_import_new(cb, 0, &err) : NULL;
    struct sv_source *src = sv_source_open(ref_path(path, sizeof path, rel),
                                           rel, NULL, &err);
    FILE *fp = open_memstream(&buf, &len);
    struct sv_record rec;

    assert_non_null(imp);
    assert_non_null(src);
    assert_non_null(fp);
    assert_int_equal(sv_import_header(imp, src, &err), SV_OK);
    sv_stream_write_header(imp, fp);
    while (sv_source_next(src, &nf, &err) == SV_OK && nf > 0) {
        if (sv_import_row(imp, src, &rec, &err) != SV_OK)
            fail_msg("%s:%lu: %s", err.file, err.line, err.msg);
        sv_stream_write_record(imp, &rec, fp);
    }
    fclose(fp);
    sv_source_free(src);
    sv_import_free(imp);
    sv_codebook_free(cb);
    return buf;
}

/* Reads the stream TEXT into R (as history with HISTORY). */
static void add_stream(struct sv_complaints *r, const char *text, int history)
{
    FILE *fp = fmemopen((void *)text, strlen(text), "r");
    struct sv_error err;
    struct sv_csv *csv = sv_csv_open_stream(fp, "stream", NULL, &err);

    assert_non_null(csv);
    if (sv_complaints_read(r, csv, history, &err) != SV_OK)
        fail_msg("%s:%lu: %s", err.file, err.line, err.msg);
    sv_csv_free(csv);
    fclose(fp);
}

struct edge {
    char *main, *history;
};

static int edge_setup(void **state)
{
    static struct edge e;

    e.main = import_register(EDGE "codebook.csv", EDGE "register.csv");
    e.history = import_register(EDGE "codebook.csv", EDGE "history.csv");
    *state = &e;
    return 0;
}

static int edge_teardown(void **state)
{
    struct edge *e = *state;

    free(e->main);
    free(e->history);
    return 0;
}

/* A register of E's complaints keyed by DIMS, with or without history. */
static struct sv_complaints *edge_register(const struct edge *e,
                                           const char *const *dims,
                                           size_t ndims, int with_history)
{
    struct sv_error err;
    struct sv_complaints *r = sv_complaints_new(dims, ndims,
                                                SV_PERIOD_QUARTER, &err);

    assert_non_null(r);
    if (with_history)
        add_stream(r, e->history, 1);
    add_stream(r, e->main, 0);
    assert_int_equal(sv_complaints_finish(r, &err), SV_OK);
    return r;
}

/* REF's figures from R's table (TREND: the trend table) with options O. */
static void expect_ref(const struct sv_complaints *r,
                       const struct sv_complaints_options *o, int trend,
                       const char *ref)
{
    struct sv_error err;
    struct sv_table *t = trend ? sv_complaints_trend_table(r, o, &err)
                               : sv_complaints_table(r, o, &err);

    if (!t)
        fail_msg("%s", err.msg);
    assert_table_matches_ref(t, ref);
    sv_table_free(t);
}

static void test_complaints_edge_compare(void **state)
{
    const char *dims[] = {"site", "period"};
    struct sv_complaints *r = edge_register(*state, dims, 2, 1);
    struct sv_complaints_options o;

    sv_complaints_options_init(&o);
    o.compare = 1;
    expect_ref(r, &o, 0, "tests/reference/complaints-edge-compare.csv");
    sv_complaints_free(r);
}

static void test_complaints_edge_no_history(void **state)
{
    const char *dims[] = {"site"};
    struct sv_complaints *r = edge_register(*state, dims, 1, 0);
    struct sv_complaints_options o;

    sv_complaints_options_init(&o);
    expect_ref(r, &o, 0, "tests/reference/complaints-edge-no-history.csv");
    sv_complaints_free(r);
}

static void test_complaints_edge_trend(void **state)
{
    const char *dims[] = {"site", "period"};
    struct sv_complaints *r = edge_register(*state, dims, 2, 1);
    struct sv_complaints_options o;

    sv_complaints_options_init(&o);
    expect_ref(r, &o, 1, "tests/reference/complaints-edge-trend.csv");
    sv_complaints_free(r);
}

/* A 60-day window and deadlines per category and urgency. */
static void test_complaints_edge_deadlines(void **state)
{
    const char *dims[] = {"category"};
    struct sv_complaints *r = edge_register(*state, dims, 1, 1);
    struct sv_complaints_options o;
    struct sv_error err;
    char path[1024];
    struct sv_deadlines *d = sv_deadlines_load(
        ref_path(path, sizeof path, EDGE "deadlines.csv"), &err);

    assert_non_null(d);
    sv_complaints_options_init(&o);
    o.window_days = 60;
    o.deadlines = d;
    expect_ref(r, &o, 0, "tests/reference/complaints-edge-deadlines.csv");
    sv_deadlines_free(d);
    sv_complaints_free(r);
}

/* The data sample's register by site and quarter and its households. */
struct sample {
    char *stream;
    struct sv_complaints *r;
    struct sv_households *hh;
};

/* Reads the sample register COPIES times into S's register. */
static void sample_load(struct sample *s, int copies)
{
    const char *dims[] = {"site", "period"};
    struct sv_error err;
    char path[1024];

    s->stream = import_register("data-samples/codebook-register.csv",
                                "data-samples/complaints-2026.csv");
    s->r = sv_complaints_new(dims, 2, SV_PERIOD_QUARTER, &err);
    s->hh = sv_households_load(
        ref_path(path, sizeof path, "data-samples/households.csv"), &err);
    assert_non_null(s->r);
    assert_non_null(s->hh);
    for (int i = 0; i < copies; i++)
        add_stream(s->r, s->stream, 0);
    assert_int_equal(sv_complaints_finish(s->r, &err), SV_OK);
}

static void sample_release(struct sample *s)
{
    sv_households_free(s->hh);
    sv_complaints_free(s->r);
    free(s->stream);
}

/* The data sample by site and quarter with households, and its trend. */
static void test_complaints_samples(void **state)
{
    struct sample s;
    struct sv_complaints_options o;

    (void)state;
    sample_load(&s, 1);
    sv_complaints_options_init(&o);
    o.compare = 1;
    o.households = s.hh;
    expect_ref(s.r, &o, 0, "tests/reference/complaints-samples-quarter.csv");
    sv_complaints_options_init(&o);
    expect_ref(s.r, &o, 1, "tests/reference/complaints-samples-trend.csv");
    sample_release(&s);
}

/*
 * Issue 16: the sample register read twice is counted once (the figures
 * pandas gives after drop_duplicates), and the first copy is named.
 */
static void test_complaints_copies_counted_once(void **state)
{
    struct sample s;
    struct sv_error first;
    struct sv_complaints_options o;

    (void)state;
    sample_load(&s, 2);
    assert_int_equal(sv_complaints_copies(s.r, NULL), 190);
    assert_int_equal(sv_complaints_copies(s.r, &first), 190);
    assert_string_equal(first.file, "stream");
    assert_int_equal(first.line, 2);
    assert_non_null(strstr(first.msg, "identical to one read before "
                                      "(stream:2)"));
    sv_complaints_options_init(&o);
    o.compare = 1;
    o.households = s.hh;
    expect_ref(s.r, &o, 0, "tests/reference/complaints-copies.csv");
    sample_release(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_complaints_edge_compare),
        cmocka_unit_test(test_complaints_edge_no_history),
        cmocka_unit_test(test_complaints_edge_trend),
        cmocka_unit_test(test_complaints_edge_deadlines),
        cmocka_unit_test(test_complaints_samples),
        cmocka_unit_test(test_complaints_copies_counted_once),
    };

    return cmocka_run_group_tests(tests, edge_setup, edge_teardown);
}
