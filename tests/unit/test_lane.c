/*
 * test_lane.c — the raw path's fast lane (libsurvey/cube-lane.c) against
 * the ordinary path: every file is counted twice, with the lane and
 * without, and must give the same status, the same message and the same
 * frequency table.  The files warm the lane up with ordinary lines and
 * then hold one line of each kind the lane must leave to the ordinary
 * path, or must count as the ordinary path would.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cube-internal.h"

static const char codebook[] =
    "column,role,scale,label\n"
    "序号,ignore,,\n"
    "日期,date,,\n"
    "管理处,site,,\n"
    "楼栋,group,,\n"
    "电话,pii,,\n"
    "保洁,dimension,abc3,保洁\n"
    "绿化,dimension,abc3,绿化\n"
    "总体,overall,abc3,总体\n"
    "投诉,complaint,yesno,投诉\n"
    "重复,repeat_complaint,yesno,重复\n"
    "意见,comment,,\n";

#define HEAD "序号,日期,管理处,楼栋,电话,保洁,绿化,总体,投诉,重复,意见\n"

/* Lines the lane learns from: each site, date and answer seen once. */
#define WARM                                                              \
    "1,2026-01-05,东区管理处,1栋,13800000000,满意,较满意,满意,否,否,\n"     \
    "2,2026-02-07,西区管理处,2栋,13900000000,不满意,满意,较满意,是,否,好\n" \
    "3,2026-01-05,西区管理处,1栋,13700000000,较满意,不满意,不满意,是,是,\n" \
    "4,2026-02-07,东区管理处,,,满意,满意,满意,否,否,\n"

/* The same lines again: the lane counts them. */
#define AGAIN                                                             \
    "5,2026-01-05,东区管理处,1栋,13800000001,满意,较满意,满意,否,否,\n"     \
    "6,2026-02-07,西区管理处,2栋,13900000001,不满意,满意,较满意,是,否,好\n" \
    "7,2026-01-05,西区管理处,1栋,13700000001,较满意,不满意,不满意,是,是,\n"

static const char *const tails[] = {
    AGAIN,
    /* spaces and tabs the reader trims, around known texts */
    "8,2026-01-05, 东区管理处,1栋,1,满意,满意,满意,否,否,\n" AGAIN,
    "8,2026-01-05,东区管理处\t,1栋,1,满意,满意,满意,否,否,\n" AGAIN,
    "8, 2026-01-05,东区管理处,1栋,1,满意,满意,满意,否,否,\n" AGAIN,
    "8,2026-01-05,东区管理处,1栋,1,满意 ,满意,满意,否,否,\n" AGAIN,
    "8,2026-01-05,东区管理处,1栋,1,\" 满意\",满意,满意,否,否,\n"
    "9,2026-01-05,东区管理处,1栋,1, 满意,满意,满意,否,否,\n" AGAIN,
    "8,2026-01-05,\" 东区管理处\",\" 1栋\",1,\" 满意\",满意,满意,否,否,\n"
    "9,2026-01-05, 东区管理处, 1栋,1, 满意,满意,满意,否,否,\n"
    "10,2026-01-05,\" 东区管理处\",\" 1栋\",1,\" 满意\",满意,满意,否,否,\n"
    "11,2026-01-05, 东区管理处, 1栋,1, 满意,满意,满意,否,否,\n" AGAIN,
    "8,2026-01-05,东区管理处, 1栋 ,1 3,满意,满意,满意,否,否, 有 空格 \n" AGAIN,
    /* quotes, CRLF, blank and empty lines */
    "8,2026-01-05,\"东区管理处\",1栋,1,满意,满意,满意,否,否,\"a,b\"\n" AGAIN,
    "8,2026-01-05,东区管理处,1栋,1,满意,满意,满意,否,否,\r\n" AGAIN,
    "\n,,,,,,,,,,\n   \n" AGAIN,
    "8,2026-01-05,\"东区,管理处\",1栋,1,满意,满意,满意,否,否,\n" AGAIN,
    "8,2026-01-05,东区管理处,1栋,1,满意,满意,满意,否,否,\"多\n行\"\n" AGAIN,
    /* bytes the reader rejects, in fields the lane does not look up */
    "8,2026-01-05,东区管理处,1栋,1\xff,满意,满意,满意,否,否,\n" AGAIN,
    "8,2026-01-05,东区管理处,1栋,1,满意,满意,满意,否,否,\xed\xa0\x80\n",
    "8,2026-01-05,东区管理处,1栋,1,满意,满意,满意,否,否,\xe5\xa5\n",
    "8,2026-01-05,东区管理处,1栋,1,满意,满意,满意,否,否,a\rb\n",
    "8\xc0\xaf,2026-01-05,东区管理处,1栋,1,满意,满意,满意,否,否,\n",
    "8,2026-01-05,东区管理处,1\xff栋,1,满意,满意,满意,否,否,\n",
    /* rows the importer rejects */
    "8,2026-01-05,东区管理处,1栋,1,满意,满意,满意,否,否\n",
    "8,2026-01-05,东区管理处,1栋,1,满意,满意,满意,否,否,,\n",
    "8,2026-02-30,东区管理处,1栋,1,满意,满意,满意,否,否,\n",
    "8,,东区管理处,1栋,1,满意,满意,满意,否,否,\n",
    "8,2026-01-05,,1栋,1,满意,满意,满意,否,否,\n",
    "8,2026-01-05,东区管理处,1栋,1,满意,满意,满意,否,是,\n",
    "8,2026-01-05,东区管理处,1栋,1,好极了,满意,满意,否,否,\n",
    "8,2026-01-05,东区管理处,"
    "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
    "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
    "一二三四五六七八九十一二三四五六七八九十,1,满意,满意,满意,否,否,\n",
    /* new texts the lane has not seen: dates with a time, other forms */
    "8,2026-01-05 10:20:30,东区管理处,1栋,1,满意,满意,满意,否,否,\n"
    "9,2026/1/6,东区管理处,1栋,1,满意,满意,满意,否,否,\n"
    "10,2026-03-01,北区管理处,1栋,1,满意,满意,满意,否,否,\n"
    "11,2026-03-01,北区管理处,1栋,1,满意,满意,满意,否,否,\n" AGAIN,
    /* a long site, remembered or not */
    "8,2026-01-05,一二三四五六七八九十一二三四五六七八九十管理处,1栋,1,满意,满意,"
    "满意,否,否,\n"
    "9,2026-01-05,一二三四五六七八九十一二三四五六七八九十管理处,1栋,1,满意,满意,"
    "满意,否,否,\n",
    /* answers left blank, and the no-answer words */
    "8,2026-01-05,东区管理处,1栋,1,,满意,,否,,\n"
    "9,2026-01-05,东区管理处,1栋,1,,满意,,否,,\n" AGAIN,
};

static char *cb_path;

static int setup(void **state)
{
    static char path[] = "/tmp/test_lane_cbXXXXXX";
    int fd = mkstemp(path);
    FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;

    (void)state;
    if (!fp || fputs(codebook, fp) < 0 || fclose(fp) != 0)
        return -1;
    cb_path = path;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return cb_path ? unlink(cb_path) : 0;
}

struct run {
    enum sv_status st;
    struct sv_error err;
    char *freq; /* the --freq table, or NULL after an error */
    uint64_t lane_rows;
};

/* Ends run R of cube C: its --freq table when it read well, its lane rows. */
static void finish(struct sv_cube *c, struct run *r)
{
    size_t len = 0;

    if (r->st == SV_OK && (r->st = sv_cube_finish(c, &r->err)) == SV_OK) {
        FILE *out = open_memstream(&r->freq, &len);
        assert_non_null(out);
        assert_int_equal(sv_cube_write_freq(c, SV_FORMAT_CSV, SV_HEADER_EN, out,
                                            &r->err),
                         SV_OK);
        fclose(out);
    }
    r->lane_rows = sv_cube_lane_rows(c);
}

/* Counts TEXT by DIMS with codebook CB, with the lane or without. */
static struct run count(const struct sv_codebook *cb, const char *text,
                        const char *const *dims, size_t ndims, int lane)
{
    struct run r = {SV_OK, {0}, NULL, 0};
    struct sv_cube *c = sv_cube_new(dims, ndims, SV_PERIOD_MONTH, &r.err);
    FILE *fp = fmemopen((void *)text, strlen(text), "r");
    struct sv_source *src;

    assert_non_null(c);
    assert_non_null(fp);
    src = sv_source_open_stream(fp, "t.csv", NULL, &r.err);
    assert_non_null(src);
    sv_cube_use_lane(c, lane);
    r.st = sv_cube_read_raw(c, src, cb, 0, &r.err);
    finish(c, &r);
    sv_source_free(src);
    fclose(fp);
    sv_cube_free(c);
    return r;
}

/*
 * The lane's run A and the ordinary path's run B of TEXT agree: status,
 * message and --freq table.  Returns the rows the lane counted.
 */
static uint64_t same_runs(struct run a, struct run b, const char *text)
{
    assert_int_equal(b.lane_rows, 0);
    if (a.st != b.st || strcmp(a.err.msg, b.err.msg) != 0 ||
        (a.st && (a.err.line != b.err.line ||
                  strcmp(a.err.column, b.err.column) != 0)))
        fail_msg("lane %d %lu [%s] %s / ordinary %d %lu [%s] %s in:\n%s",
                 a.st, a.err.line, a.err.column, a.err.msg, b.st, b.err.line,
                 b.err.column, b.err.msg, text);
    if (a.st == SV_OK && strcmp(a.freq, b.freq) != 0)
        fail_msg("tables differ for:\n%s\nlane:\n%s\nordinary:\n%s", text,
                 a.freq, b.freq);
    free(a.freq);
    free(b.freq);
    return a.lane_rows;
}

/* Both paths agree on raw TEXT; returns the rows the lane counted. */
static uint64_t agree(const struct sv_codebook *cb, const char *text,
                      const char *const *dims, size_t ndims)
{
    return same_runs(count(cb, text, dims, ndims, 1),
                     count(cb, text, dims, ndims, 0), text);
}

static void test_lane_agrees(void **state)
{
    static const char *const by_site[] = {"site"};
    static const char *const by_both[] = {"period", "site"};
    static const char *const by_month[] = {"period"};
    static const char *const by_group[] = {"site", "楼栋"};
    struct sv_error err;
    struct sv_codebook *cb = sv_codebook_load(cb_path, &err);
    uint64_t taken = 0;

    (void)state;
    assert_non_null(cb);
    for (size_t i = 0; i < sizeof tails / sizeof *tails; i++) {
        size_t n = strlen(HEAD WARM) + strlen(tails[i]) + 1;
        char *text = malloc(n);
        assert_non_null(text);
        snprintf(text, n, "%s%s", HEAD WARM, tails[i]);
        taken += agree(cb, text, by_site, 1);
        taken += agree(cb, text, by_both, 2);
        taken += agree(cb, text, by_month, 1);
        /* another group column: the lane stays out */
        assert_int_equal(agree(cb, text, by_group, 2), 0);
        free(text);
    }
    /* the lane did count the lines it knew */
    assert_true(taken > 3 * sizeof tails / sizeof *tails);
    sv_codebook_free(cb);
}

/* Many sites and dates: the lane's tables overflow, the counts agree. */
static void test_lane_many_keys(void **state)
{
    static const char *const by_both[] = {"site", "period"};
    static const char *const answers[] = {"满意", "较满意", "不满意", ""};
    struct sv_error err;
    struct sv_codebook *cb = sv_codebook_load(cb_path, &err);
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);

    (void)state;
    assert_non_null(cb);
    assert_non_null(fp);
    fputs(HEAD, fp);
    for (unsigned i = 0; i < 60000; i++)
        fprintf(fp, "%u,2026-%02u-%02u,第%u号管理处,%u栋,1,%s,%s,%s,否,否,\n", i,
                i % 12 + 1, i % 28 + 1, (i * 7919u) % 5003u, i % 7,
                answers[i % 4], answers[i / 4 % 4], answers[i / 16 % 4]);
    fclose(fp);
    agree(cb, text, by_both, 2);
    free(text);
    sv_codebook_free(cb);
}

#define STREAM_HEAD                                                       \
    "date,month,quarter,half,year,site,楼栋,保洁{dimension:abc3},"          \
    "总体{overall:abc3},投诉{complaint:yesno},意见{comment}\n"
#define STREAM_WARM                                                       \
    "2026-01-05,2026-01,2026Q1,2026H1,2026,东区管理处,1栋,3,2,0,\n"        \
    "2026-02-07,2026-02,2026Q1,2026H1,2026,西区管理处,2栋,1,3,1,好\n"      \
    "2026-05-07,2026-05,2026Q2,2026H1,2026,西区管理处,,2,,,\n"
#define STREAM_AGAIN STREAM_WARM STREAM_WARM

static const char *const stream_tails[] = {
    STREAM_AGAIN,
    "2026-01-05,2026-01,2026Q1,2026H1,2026,东区管理处 ,1栋,3,2,0,\n" STREAM_AGAIN,
    "2026-01-05,2026-01,2026Q1,2026H1,2026,\"东区管理处\",1栋,3,2,0,\n" STREAM_AGAIN,
    /* a key with a space, quoted (kept) and then bare (trimmed) */
    "2026-01-05,2026-01,2026Q1,2026H1,2026,\" 东区管理处\",1栋,3,2,0,\n"
    "2026-01-05,2026-01,2026Q1,2026H1,2026, 东区管理处,1栋,3,2,0,\n"
    "2026-01-05,2026-01,2026Q1,2026H1,2026,\" 东区管理处\",1栋,3,2,0,\n"
    "2026-01-05,2026-01,2026Q1,2026H1,2026, 东区管理处,1栋,3,2,0,\n",
    "2026-01-05,2026-01,2026Q1,2026H1,2026,东区管理处,1栋, 3,2,0,\n",
    "2026-01-05,2026-01,2026Q1,2026H1,2026,东区管理处,1栋,03,2,0,\n" STREAM_AGAIN,
    "2026-01-05,2026-01,2026Q1,2026H1,2026,东区管理处,1栋,0003,2,0,\n",
    "2026-01-05,2026-01,2026Q1,2026H1,2026,东区管理处,1栋,4,2,0,\n",
    "2026-01-05,2026-01,2026Q1,2026H1,2026,东区管理处,1栋,0,2,0,\n",
    "2026-01-05,2026-01,2026Q1,2026H1,2026,东区管理处,1栋,a,2,0,\n",
    "2026-01-05,2026-01,2026Q1,2026H1,2026,东区管理处,1栋,3,2,0,\xff\n",
    "2026-01-05,2026-01,2026Q1,2026H1,2026,东区管理处,1栋,3,2,0,\xe5\xa5\n",
    "2026-01-05,2026-01,2026Q1,2026H1,2026,东区管理处,1栋,3,2,0\n",
    "2026-01-05,2026-01,2026Q1,2026H1,2026,东区管理处,1栋,3,2,0,,\n",
    "2026-01-05,2026-01,2026Q1,2026H1,2026,东区管理处,1栋,3,2,0,\r\n" STREAM_AGAIN,
    STREAM_HEAD STREAM_AGAIN,
    "date,month,quarter,half,year,site,保洁{dimension:abc3}\n"
    "2026-01-05,2026-01,2026Q1,2026H1,2026,东区管理处,3\n",
    SV_STREAM_FAILED "disk full\n" STREAM_AGAIN,
    STREAM_AGAIN SV_STREAM_FAILED "2026-01-05,2026-01,2026Q1,2026H1,2026,"
                                  "东区管理处,1栋,3,2,0,\n",
    /* an office named "site", then the header again */
    "2026-01-05,2026-01,2026Q1,2026H1,2026,site,1栋,3,2,0,\n"
    "2026-01-05,2026-01,2026Q1,2026H1,2026,site,1栋,3,2,0,\n"
    STREAM_HEAD STREAM_AGAIN,
    "date,2026-01,2026Q1,2026H1,2026,东区管理处,1栋,3,2,0,\n",
    "2026-01-05,2026-01,2026Q1,2026H1,2026,"
    "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
    "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
    "一二三四五六七八九十一二三四五六七八九十,1栋,3,2,0,\n",
    "2026-01-05,2026-01,2026Q1,2026H1,2026,北区管理处,1栋,3,2,0,\n" STREAM_AGAIN
    "2026-01-05,2026-01,2026Q1,2026H1,2026,北区管理处,1栋,3,2,0,\n",
};

/* Counts stream TEXT by DIMS, with the lane or without (PERIOD keys). */
static struct run count_stream(const char *text, const char *const *dims,
                               size_t ndims, const char *keep, int lane)
{
    struct run r = {SV_OK, {0}, NULL, 0};
    struct sv_cube *c = sv_cube_new(dims, ndims, SV_PERIOD_QUARTER, &r.err);
    FILE *fp = fmemopen((void *)text, strlen(text), "r");
    struct sv_csv *csv;

    assert_non_null(c);
    assert_non_null(fp);
    csv = sv_csv_open_stream(fp, "s.csv", NULL, &r.err);
    assert_non_null(csv);
    sv_cube_use_lane(c, lane);
    if (keep)
        assert_int_equal(sv_cube_keep_site(c, keep, &r.err), SV_OK);
    r.st = sv_cube_read(c, csv, NULL, 0, &r.err);
    finish(c, &r);
    sv_csv_free(csv);
    fclose(fp);
    sv_cube_free(c);
    return r;
}

/* Both paths agree on stream TEXT; returns the rows the lane counted. */
static uint64_t agree_stream(const char *text, const char *const *dims,
                             size_t ndims, const char *keep)
{
    return same_runs(count_stream(text, dims, ndims, keep, 1),
                     count_stream(text, dims, ndims, keep, 0), text);
}

static void test_lane_stream_agrees(void **state)
{
    static const char *const by_site[] = {"site"};
    static const char *const by_both[] = {"site", "period"};
    static const char *const by_group[] = {"楼栋", "period", "site"};
    uint64_t taken = 0;

    (void)state;
    for (size_t i = 0; i < sizeof stream_tails / sizeof *stream_tails; i++) {
        size_t n = strlen(STREAM_HEAD STREAM_WARM) + strlen(stream_tails[i]) + 1;
        char *text = malloc(n);
        assert_non_null(text);
        snprintf(text, n, "%s%s", STREAM_HEAD STREAM_WARM, stream_tails[i]);
        taken += agree_stream(text, by_site, 1, NULL);
        taken += agree_stream(text, by_both, 2, NULL);
        taken += agree_stream(text, by_group, 3, NULL);
        /* one site kept: the lane stays out */
        assert_int_equal(agree_stream(text, by_site, 1, "西区管理处"), 0);
        free(text);
    }
    assert_true(taken > 3 * sizeof stream_tails / sizeof *stream_tails);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lane_agrees),
        cmocka_unit_test(test_lane_many_keys),
        cmocka_unit_test(test_lane_stream_agrees),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
