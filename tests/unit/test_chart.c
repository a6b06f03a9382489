/*
 * test_chart.c — unit tests of the rendering library: the chart model,
 * files of every kind and format, and a two-page report.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chart.h"

static const char *const items[] = {"保卫治安", "保洁卫生", "环境绿化",
                                    "车辆管理", "维修服务", "业主接待"};
static const char *const levels[] = {"满意", "较满意", "不满意"};
static const char *const periods[] = {"2026Q1", "2026Q2", "2026Q3",
                                      "2026Q4"};

static char tmpdir[64];

static int setup_dir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_chart.XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

/* Removes the files the tests wrote, then the directory. */
static int teardown_dir(void **state)
{
    char cmd[128];

    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void path_in_tmp(char *buf, size_t cap, const char *name)
{
    snprintf(buf, cap, "%s/%s", tmpdir, name);
}

static struct sv_chart *make_hist(size_t nitems)
{
    static const double counts[6][3] = {{210, 70, 20}, {182, 96, 22},
                                        {150, 110, 40}, {120, 120, 60},
                                        {160, 100, 40}, {230, 60, 10}};
    struct sv_chart *c = sv_chart_new(SV_CHART_HIST);
    size_t i;

    assert_non_null(c);
    assert_int_equal(sv_chart_set_title(c, "保洁卫生满意度分布"), 0);
    for (i = 0; i < 3; i++)
        assert_int_equal(sv_chart_add_category(c, levels[i]), (int)i);
    for (i = 0; i < nitems; i++)
        assert_int_equal(sv_chart_add_series(c, nitems > 1 ? items[i] : NULL,
                                             counts[i], 3),
                         (int)i);
    sv_chart_set_flags(c, SV_CHART_ORDINAL);
    return c;
}

static struct sv_chart *make_pie(void)
{
    static const char *const cats[] = {"维修不及时", "噪音扰民", "停车问题",
                                       "保洁不到位", "绿化养护", "服务态度",
                                       "其他"};
    static const double v[] = {21, 12, 9, 7, 4, 2, 2};
    struct sv_chart *c = sv_chart_new(SV_CHART_PIE);
    size_t i;

    sv_chart_set_title(c, "投诉类别构成");
    for (i = 0; i < 7; i++)
        sv_chart_add_category(c, cats[i]);
    assert_int_equal(sv_chart_add_series(c, NULL, v, 7), 0);
    return c;
}

static struct sv_chart *make_bar(void)
{
    static const double v[] = {93.3, 92.7, 86.7, 80.0, 86.7, 96.7};
    struct sv_chart *c = sv_chart_new(SV_CHART_BAR);
    size_t i;

    sv_chart_set_title(c, "分项满意率");
    for (i = 0; i < 6; i++)
        sv_chart_add_category(c, items[i]);
    sv_chart_add_series(c, NULL, v, 6);
    for (i = 0; i < 6; i++) {
        assert_int_equal(sv_chart_set_interval(c, 0, i, v[i] - 3, v[i] + 3),
                         0);
        sv_chart_set_highlight(c, i, v[i] < 90);
    }
    sv_chart_set_target(c, 90, NULL);
    sv_chart_set_flags(c, SV_CHART_SORT_DESC);
    return c;
}

static struct sv_chart *make_trend(void)
{
    static const double a[] = {88.2, 89.5, 91.0, 92.4};
    static const double b[] = {85.0, 84.1, NAN, 90.3};
    struct sv_chart *c = sv_chart_new(SV_CHART_TREND);
    size_t i;

    sv_chart_set_title(c, "总满意率趋势");
    for (i = 0; i < 4; i++)
        sv_chart_add_category(c, periods[i]);
    sv_chart_add_series(c, "天成美雅管理处", a, 4);
    sv_chart_add_series(c, "翠湖花园服务中心", b, 4);
    for (i = 0; i < 4; i++)
        sv_chart_set_interval(c, 0, i, a[i] - 2, a[i] + 2);
    sv_chart_set_target(c, 90, NULL);
    return c;
}

/* Nine items: four of them crowded near (0.60, 80 %). */
static struct sv_chart *make_quadrant(void)
{
    static const char *const names[] = {"保卫治安", "保洁卫生", "环境绿化",
                                        "车辆管理", "维修服务", "业主接待",
                                        "供电供水", "公共设施", "服务态度"};
    static const double imp[] = {0.6123, 0.5811, 0.4012, 0.3520, 0.6011,
                                 0.4512, NAN, 0.5901, 0.6050};
    static const double sat[] = {92.66, 80.22, 90.91, 78.82, 79.78,
                                 91.30, 95.00, 80.10, 80.50};
    struct sv_chart *c = sv_chart_new(SV_CHART_QUADRANT);
    size_t i;

    sv_chart_set_title(c, "重要性—满意率四分图");
    for (i = 0; i < 9; i++)
        sv_chart_add_category(c, names[i]);
    assert_int_equal(sv_chart_add_series(c, "重要性", imp, 9), 0);
    assert_int_equal(sv_chart_add_series(c, "满意率", sat, 9), 1);
    return c;
}

/* ---- model ---------------------------------------------------------- */

static void test_chart_shares_add_up(void **state)
{
    static const double thirds[] = {1, 1, 1};
    struct sv_chart *c = sv_chart_new(SV_CHART_PIE);
    double s[3], sum = 0;
    size_t i;

    (void)state;
    for (i = 0; i < 3; i++)
        sv_chart_add_category(c, levels[i]);
    sv_chart_add_series(c, NULL, thirds, 3);
    assert_int_equal(sv_chart_shares(c, 0, s, 3), SV_CHART_OK);
    for (i = 0; i < 3; i++)
        sum += s[i];
    assert_true(fabs(sum - 100.0) < 1e-9);
    assert_true(fabs(s[0] - 33.4) < 1e-9);
    assert_true(fabs(s[2] - 33.3) < 1e-9);
    sv_chart_free(c);

    c = make_pie();
    {
        double p[7];
        sum = 0;
        assert_int_equal(sv_chart_shares(c, 0, p, 7), SV_CHART_OK);
        for (i = 0; i < 7; i++)
            sum += p[i];
        assert_true(fabs(sum - 100.0) < 1e-9);
    }
    sv_chart_free(c);
}

static void test_chart_shares_zero_total(void **state)
{
    static const double zero[] = {0, 0, 0};
    struct sv_chart *c = sv_chart_new(SV_CHART_HIST);
    double s[3];
    size_t i;

    (void)state;
    for (i = 0; i < 3; i++)
        sv_chart_add_category(c, levels[i]);
    sv_chart_add_series(c, NULL, zero, 3);
    assert_int_equal(sv_chart_shares(c, 0, s, 3), SV_CHART_OK);
    for (i = 0; i < 3; i++)
        assert_true(fabs(s[i]) < 1e-12);
    assert_int_equal(sv_chart_shares(c, 1, s, 3), SV_CHART_EINVAL);
    sv_chart_free(c);
}

static void test_chart_label_order(void **state)
{
    struct sv_chart *c = make_bar();
    size_t order[6];

    (void)state;
    assert_string_equal(sv_chart_category_label(c, 0), "保卫治安");
    assert_int_equal(sv_chart_order(c, order, 6), SV_CHART_OK);
    assert_string_equal(sv_chart_category_label(c, order[0]), "业主接待");
    assert_string_equal(sv_chart_category_label(c, order[5]), "车辆管理");
    /* Ties keep insertion order: 环境绿化 before 维修服务. */
    assert_int_equal(order[3], 2);
    assert_int_equal(order[4], 4);
    sv_chart_set_flags(c, 0);
    sv_chart_order(c, order, 6);
    assert_int_equal(order[0], 0);
    sv_chart_free(c);
}

/* A setter's failure the caller ignored still stops the chart. */
static void test_chart_failed_setter_sticks(void **state)
{
    struct sv_chart *c = make_pie();
    struct sv_error err = {0};

    (void)state;
    assert_int_equal(sv_chart_validate(c, &err), SV_CHART_OK);
    assert_int_equal(sv_chart_set_value(c, 0, 99, 1.0), SV_CHART_EINVAL);
    assert_int_equal(sv_chart_set_title(c, "后来的标题"), SV_CHART_OK);
    assert_int_equal(sv_chart_validate(c, &err), SV_CHART_EINVAL);
    assert_int_equal(err.code, SV_ERR_DATA);
    assert_non_null(strstr(err.msg, "building the chart failed"));
    sv_chart_free(c);
}

static void test_chart_empty_rejected(void **state)
{
    struct sv_chart *c = sv_chart_new(SV_CHART_BAR);
    struct sv_error err = {0};
    char path[128];

    (void)state;
    assert_int_equal(sv_chart_validate(c, &err), SV_CHART_EINVAL);
    assert_non_null(strstr(err.msg, "no categories"));
    assert_int_equal(err.code, SV_ERR_DATA);
    path_in_tmp(path, sizeof path, "empty.png");
    assert_int_equal(sv_chart_write(c, path, SV_FORMAT_AUTO, 400, 300, &err),
                     SV_CHART_EINVAL);
    assert_int_not_equal(access(path, F_OK), 0);
    assert_int_equal(sv_chart_add_series(c, NULL, NULL, 3), -1);
    sv_chart_free(c);
    sv_chart_free(NULL);
}

static void test_chart_format_pct(void **state)
{
    char buf[64];

    (void)state;
    assert_string_equal(sv_chart_format_pct(buf, sizeof buf, 92.45, 1),
                        "92.5%");
    assert_string_equal(sv_chart_format_pct(buf, sizeof buf, 100, 0),
                        "100%");
    assert_string_equal(sv_chart_format_pct(buf, sizeof buf, -1.25, 2),
                        "-1.25%");
    assert_string_equal(sv_report_format_change(buf, sizeof buf, 3.2, 1,
                                                SV_LANG_EN),
                        "vs previous +3.2 pp (significant)");
}

static void test_chart_describe(void **state)
{
    struct sv_chart *c = make_bar();
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);

    (void)state;
    assert_int_equal(sv_chart_describe(c, mem), SV_CHART_OK);
    fclose(mem);
    assert_non_null(strstr(text, "chart: bar\ntitle: 分项满意率\n"));
    assert_non_null(strstr(text, "target: 90.00\n"));
    assert_non_null(strstr(text, "  业主接待\t96.70\t[93.70, 99.70]\n"));
    assert_non_null(strstr(text, "  车辆管理\t80.00\t[77.00, 83.00]\t"
                                 "highlight\n"));
    assert_true(strstr(text, "业主接待") < strstr(text, "车辆管理"));
    assert_null(strstr(text, "reference:"));
    free(text);
    sv_chart_free(c);
}

/* The reference line (an office's report: the company's rate). */
static void test_chart_reference(void **state)
{
    struct sv_chart *c = make_bar();
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    struct sv_error err = {0};
    char path[128];

    (void)state;
    path_in_tmp(path, sizeof path, "reference.png");
    assert_int_equal(sv_chart_set_reference(c, 84.3, "公司整体 84.3%"),
                     SV_CHART_OK);
    assert_int_equal(sv_chart_describe(c, mem), SV_CHART_OK);
    fclose(mem);
    assert_non_null(strstr(text, "target: 90.00\nreference: 84.30 "
                                 "公司整体 84.3%\n"));
    assert_int_equal(sv_chart_write(c, path, SV_FORMAT_AUTO, 400, 300, &err), SV_CHART_OK);
    assert_int_equal(access(path, F_OK), 0);
    free(text);
    sv_chart_free(c);
}

/* ---- files ---------------------------------------------------------- */

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* Runs CMD and returns its output (caller frees). */
static char *run(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    char *out = calloc(1, 65536);
    size_t n;

    assert_non_null(p);
    assert_non_null(out);
    n = fread(out, 1, 65535, p);
    out[n] = '\0';
    pclose(p);
    return out;
}

static void check_png(const char *path, int w, int h)
{
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    unsigned char *d;
    int stride, x, y, differ = 0;
    uint32_t first;

    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    assert_int_equal(cairo_image_surface_get_width(s), w);
    assert_int_equal(cairo_image_surface_get_height(s), h);
    d = cairo_image_surface_get_data(s);
    stride = cairo_image_surface_get_stride(s);
    memcpy(&first, d, 4);
    for (y = 0; y < h && !differ; y += 3)
        for (x = 0; x < w && !differ; x++) {
            uint32_t px;
            memcpy(&px, d + y * stride + x * 4, 4);
            differ = (px & 0xffffff) != (first & 0xffffff);
        }
    assert_true(differ);
    cairo_surface_destroy(s);
}

static void check_pdf(const char *path, const char *title)
{
    char cmd[512], *out;
    size_t len;
    char *data = read_all(path, &len);

    assert_true(len > 1000);
    assert_memory_equal(data, "%PDF", 4);
    assert_null(strstr(data, "/CreationDate"));
    free(data);
    snprintf(cmd, sizeof cmd, "pdffonts '%s' 2>&1", path);
    out = run(cmd);
    assert_non_null(strstr(out, "NotoSans"));
    assert_non_null(strstr(out, " yes "));
    free(out);
    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 '%s' - 2>&1", path);
    out = run(cmd);
    assert_non_null(strstr(out, title));
    free(out);
}

static void check_svg(const char *path)
{
    size_t len;
    char *data = read_all(path, &len);

    assert_true(len > 500);
    assert_true(strncmp(data, "<?xml", 5) == 0
                || strncmp(data, "<svg", 4) == 0);
    free(data);
}

static void write_all_formats(struct sv_chart *c, const char *stem,
                              const char *title)
{
    static const char *const ext[] = {"png", "pdf", "svg"};
    struct sv_error err = {0};
    char path[160];
    size_t i;

    for (i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s.%s", tmpdir, stem, ext[i]);
        assert_int_equal(sv_chart_write(c, path, SV_FORMAT_AUTO, 640, 400,
                                        &err),
                         SV_CHART_OK);
    }
    snprintf(path, sizeof path, "%s/%s.png", tmpdir, stem);
    check_png(path, 1280, 800);
    snprintf(path, sizeof path, "%s/%s.pdf", tmpdir, stem);
    check_pdf(path, title);
    snprintf(path, sizeof path, "%s/%s.svg", tmpdir, stem);
    check_svg(path);
}

static void test_chart_render_hist(void **state)
{
    struct sv_chart *c = make_hist(1), *g = make_hist(6);

    (void)state;
    write_all_formats(c, "hist", "保洁卫生满意度分布");
    write_all_formats(g, "hist-grid", "保洁卫生满意度分布");
    sv_chart_free(c);
    sv_chart_free(g);
}

static void test_chart_render_pie(void **state)
{
    struct sv_chart *c = make_pie();

    (void)state;
    write_all_formats(c, "pie", "投诉类别构成");
    sv_chart_free(c);
}

static void test_chart_render_bar(void **state)
{
    struct sv_chart *c = make_bar();

    (void)state;
    write_all_formats(c, "bar", "分项满意率");
    sv_chart_free(c);
}

static void test_chart_render_trend(void **state)
{
    struct sv_chart *c = make_trend();

    (void)state;
    write_all_formats(c, "trend", "总满意率趋势");
    sv_chart_free(c);
}

/* Means over the items with both values; ties count as high. */
static void test_chart_quadrant_classes(void **state)
{
    static const double imp[] = {0.5, 0.3, 0.7, NAN, 0.5};
    static const double sat[] = {80, 90, 70, 99, 90};
    struct sv_chart *c = sv_chart_new(SV_CHART_QUADRANT);
    double mx, my;
    size_t i;

    (void)state;
    for (i = 0; i < 5; i++)
        sv_chart_add_category(c, items[i]);
    assert_int_equal(sv_chart_validate(c, NULL), SV_CHART_EINVAL);
    assert_int_equal(sv_chart_quadrant_means(c, &mx, &my), SV_CHART_EINVAL);
    sv_chart_add_series(c, NULL, imp, 5);
    assert_int_equal(sv_chart_validate(c, NULL), SV_CHART_EINVAL);
    sv_chart_add_series(c, NULL, sat, 5);
    assert_int_equal(sv_chart_validate(c, NULL), SV_CHART_OK);
    assert_int_equal(sv_chart_quadrant_means(c, &mx, &my), SV_CHART_OK);
    assert_true(fabs(mx - 0.5) < 1e-12 && fabs(my - 82.5) < 1e-12);
    /* importance 0.5 = mean: high; 80 < 82.5: low */
    assert_int_equal(sv_chart_quadrant(c, 0), SV_QUAD_FIX);
    assert_int_equal(sv_chart_quadrant(c, 1), SV_QUAD_MAINTAIN);
    assert_int_equal(sv_chart_quadrant(c, 2), SV_QUAD_FIX);
    assert_int_equal(sv_chart_quadrant(c, 3), SV_QUAD_NONE);
    assert_int_equal(sv_chart_quadrant(c, 4), SV_QUAD_STRENGTH);
    /* the table's own class wins over the means of rounded values */
    assert_int_equal(sv_chart_set_quadrant(c, 0, SV_QUAD_OPPORTUNITY), 0);
    assert_int_equal(sv_chart_quadrant(c, 0), SV_QUAD_OPPORTUNITY);
    assert_int_equal(sv_chart_set_quadrant(c, 9, SV_QUAD_FIX),
                     SV_CHART_EINVAL);
    assert_string_equal(sv_chart_quadrant_name(SV_QUAD_FIX, SV_LANG_ZH),
                        "修补区");
    assert_string_equal(sv_chart_quadrant_name(SV_QUAD_STRENGTH, SV_LANG_EN),
                        "strength");
    assert_string_equal(sv_chart_quadrant_name(SV_QUAD_NONE, SV_LANG_ZH), "");
    assert_int_equal(sv_chart_quadrant_parse("maintain"), SV_QUAD_MAINTAIN);
    assert_int_equal(sv_chart_quadrant_parse("opportunity"),
                     SV_QUAD_OPPORTUNITY);
    assert_int_equal(sv_chart_quadrant_parse(""), SV_QUAD_NONE);
    assert_int_equal(sv_chart_quadrant_parse("Fix"), SV_QUAD_NONE);
    sv_chart_free(c);
}

/* Overlap area of two rectangles. */
static double rect_overlap(const struct sv_chart_rect *a,
                           const struct sv_chart_rect *b)
{
    double w = fmin(a->x + a->w, b->x + b->w) - fmax(a->x, b->x);
    double h = fmin(a->y + a->h, b->y + b->h) - fmax(a->y, b->y);

    return w > 0 && h > 0 ? w * h : 0.0;
}

/*
 * Twelve points in a tight cluster, each with a 40 x 12 label: every
 * label finds a place inside the area, clear of the other labels, of
 * every marker and of a blocked corner.
 */
static void test_chart_labels_do_not_overlap(void **state)
{
    double px[13], py[13], w[13], h[13];
    struct sv_chart_rect out[13], area = {0, 0, 400, 300};
    struct sv_chart_rect block = {0, 0, 60, 20};
    size_t i, j;

    (void)state;
    for (i = 0; i < 12; i++) {
        px[i] = 200 + 6.0 * (double)(i % 4);
        py[i] = 150 + 5.0 * (double)(i / 4);
        w[i] = 40;
        h[i] = 12;
    }
    px[12] = NAN;
    py[12] = 10;
    w[12] = h[12] = 10;
    assert_int_equal(sv_chart_place_labels(px, py, 13, 3, w, h, area, &block,
                                           1, out),
                     0);
    for (i = 0; i < 12; i++) {
        assert_true(out[i].x >= 0 && out[i].y >= 0);
        assert_true(out[i].x + out[i].w <= 400 && out[i].y + out[i].h <= 300);
        assert_true(rect_overlap(&out[i], &block) <= 0.0);
        for (j = 0; j < 12; j++) {
            struct sv_chart_rect m = {px[j] - 3, py[j] - 3, 6, 6};
            assert_true(rect_overlap(&out[i], &m) <= 0.0);
            if (j != i)
                assert_true(rect_overlap(&out[i], &out[j]) <= 0.0);
        }
    }
    /* no room at all: reported, not hidden */
    area.w = 30;
    area.h = 30;
    assert_true(sv_chart_place_labels(px, py, 12, 3, w, h, area, NULL, 0,
                                      out) > 0);
}

static void test_chart_render_quadrant(void **state)
{
    struct sv_chart *c = make_quadrant();

    (void)state;
    write_all_formats(c, "quadrant", "重要性—满意率四分图");
    sv_chart_free(c);
}

static void test_chart_deterministic(void **state)
{
    static const char *const ext[] = {"pdf", "svg", "png"};
    struct sv_chart *c = make_trend();
    struct sv_error err = {0};
    char a[160], b[160];
    size_t i, la, lb;

    (void)state;
    for (i = 0; i < 3; i++) {
        char *da, *db;
        snprintf(a, sizeof a, "%s/det-a.%s", tmpdir, ext[i]);
        snprintf(b, sizeof b, "%s/det-b.%s", tmpdir, ext[i]);
        assert_int_equal(sv_chart_write(c, a, 0, 500, 300, &err), 0);
        assert_int_equal(sv_chart_write(c, b, 0, 500, 300, &err), 0);
        da = read_all(a, &la);
        db = read_all(b, &lb);
        assert_int_equal(la, lb);
        assert_memory_equal(da, db, la);
        free(da);
        free(db);
    }
    sv_chart_free(c);
}

static void test_chart_bad_extension(void **state)
{
    struct sv_chart *c = make_pie();
    struct sv_error err = {0};
    char path[160];

    (void)state;
    path_in_tmp(path, sizeof path, "pie.gif");
    assert_int_equal(sv_chart_write(c, path, 0, 400, 300, &err),
                     SV_CHART_EINVAL);
    assert_non_null(strstr(err.msg, "unknown output format"));
    assert_int_equal(err.code, SV_ERR_DATA);
    path_in_tmp(path, sizeof path, "no-such-dir/pie.png");
    assert_int_equal(sv_chart_write(c, path, 0, 400, 300, &err),
                     SV_CHART_EIO);
    assert_int_equal(err.code, SV_ERR_IO);
    assert_non_null(strstr(err.msg, "no-such-dir/pie.png"));
    sv_chart_free(c);
}

/* ---- report --------------------------------------------------------- */

static void test_report_two_pages(void **state)
{
    static const char *const hdr[] = {"分项", "有效份数", "满意率"};
    static const char *const cells[] = {
        "保卫治安", "300", "93.3%", "保洁卫生", "297", "92.7%",
        "环境绿化", "294", "86.7%", "车辆管理", "291", "80.0%"};
    static const unsigned char hl[] = {0, 0, 1, 1};
    struct sv_report_table t = {3, 4, hdr, cells, NULL, NULL, hl,
                                "表 1  分项满意率"};
    struct sv_report_card cards[2] = {
        {"总满意率", "89.4%", "较上期 +3.2 个百分点 (显著)", SV_TONE_GOOD},
        {"回收份数", "300", NULL, SV_TONE_NEUTRAL}};
    struct sv_error err = {0};
    char path[160], png[160], *out, cmd[400];
    struct sv_report *r;

    (void)state;
    path_in_tmp(path, sizeof path, "report.pdf");
    path_in_tmp(png, sizeof png, "page2.png");
    assert_null(sv_report_new("x.png", "t", SV_LANG_ZH, &err));
    assert_int_equal(err.code, SV_ERR_USAGE);
    r = sv_report_new(path, "业主满意度调查统计分析报告", SV_LANG_ZH, &err);
    assert_non_null(r);
    assert_int_equal(sv_report_cover(r, "天成美雅管理处", "2026 年第三季度",
                                     "2026 年 10 月 12 日"),
                     0);
    assert_int_equal(sv_report_heading(r, "一、调查概况"), 0);
    assert_int_equal(sv_report_paragraph(r, "本季度共回收有效问卷 300 份。"),
                     0);
    assert_int_equal(sv_report_cards(r, cards, 2), 0);
    assert_int_equal(sv_report_table(r, &t), 0);
    assert_int_equal(sv_report_chart_take(r, make_bar(), 260), 0);
    assert_int_equal(sv_report_page_count(r, &err), 2);
    assert_int_equal(sv_report_finish(r, &err), SV_CHART_OK);
    assert_int_equal(sv_report_write_page(r, 2, png, &err), 0);
    assert_int_equal(sv_report_write_page(r, 3, png, &err),
                     SV_CHART_EINVAL);
    sv_report_free(r);
    check_png(png, 1191, 1684);
    check_pdf(path, "车辆管理");
    snprintf(cmd, sizeof cmd, "pdfinfo '%s' 2>&1", path);
    out = run(cmd);
    {
        const char *p = strstr(out, "Pages:");
        assert_non_null(p);
        assert_int_equal(strtol(p + 6, NULL, 10), 2);
    }
    free(out);
    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 '%s' - 2>&1", path);
    out = run(cmd);
    /* pdftotext drops the space before 共; match the two halves. */
    assert_non_null(strstr(out, "第 2 页"));
    assert_non_null(strstr(out, "共 2 页"));
    assert_non_null(strstr(out, "业主满意度调查统计分析报告"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chart_shares_add_up),
        cmocka_unit_test(test_chart_shares_zero_total),
        cmocka_unit_test(test_chart_label_order),
        cmocka_unit_test(test_chart_empty_rejected),
        cmocka_unit_test(test_chart_failed_setter_sticks),
        cmocka_unit_test(test_chart_format_pct),
        cmocka_unit_test(test_chart_describe),
        cmocka_unit_test(test_chart_reference),
        cmocka_unit_test(test_chart_render_hist),
        cmocka_unit_test(test_chart_render_pie),
        cmocka_unit_test(test_chart_render_bar),
        cmocka_unit_test(test_chart_render_trend),
        cmocka_unit_test(test_chart_quadrant_classes),
        cmocka_unit_test(test_chart_labels_do_not_overlap),
        cmocka_unit_test(test_chart_render_quadrant),
        cmocka_unit_test(test_chart_deterministic),
        cmocka_unit_test(test_chart_bad_extension),
        cmocka_unit_test(test_report_two_pages),
    };

    int failed = cmocka_run_group_tests(tests, setup_dir, teardown_dir);

    sv_chart_cleanup();
    return failed;
}
