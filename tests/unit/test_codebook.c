/*
 * test_codebook.c — unit tests of libsurvey/codebook.c: the codebooks of
 * data-samples/ (found through $SV_TOP) and a table of bad codebooks,
 * written to a private temporary directory, whose errors must name the
 * file, line and column.
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

#include "survey.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static char tmpdir[64];
static char path[128];

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/sv-test-codebook.XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    snprintf(path, sizeof path, "%s/cb.csv", tmpdir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    return rmdir(tmpdir);
}

static void write_file(const char *text)
{
    FILE *fp = fopen(path, "wb");

    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

static struct sv_codebook *load_sample(const char *name)
{
    const char *top = getenv("SV_TOP");
    char p[1024];
    struct sv_error err;
    struct sv_codebook *cb;

    snprintf(p, sizeof p, "%s/data-samples/%s", top ? top : ".", name);
    cb = sv_codebook_load(p, &err);
    if (!cb)
        fail_msg("%s:%lu: %s", err.file, err.line, err.msg);
    return cb;
}

struct entry_case {
    const char *column;
    enum sv_role role;
    const char *scale; /* NULL: no scale */
    const char *label;
};

static void check_entries(const struct sv_codebook *cb,
                          const struct entry_case *e, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct sv_column *c = sv_codebook_find(cb, e[i].column);
        if (!c)
            fail_msg("column '%s' not found", e[i].column);
        assert_string_equal(c->column, e[i].column);
        assert_int_equal(c->role, e[i].role);
        assert_string_equal(c->label, e[i].label);
        if (e[i].scale)
            assert_string_equal(sv_scale_name(c->scale), e[i].scale);
        else
            assert_null(c->scale);
    }
}

static void test_codebook_6item(void **state)
{
    static const struct entry_case e[] = {
        {"序号", SV_ROLE_IGNORE, NULL, "序号"},
        {"填表日期", SV_ROLE_DATE, NULL, "填表日期"},
        {"管理处", SV_ROLE_SITE, NULL, "管理处"},
        {"单元号", SV_ROLE_ID, NULL, "单元号"},
        {"楼栋", SV_ROLE_GROUP, NULL, "楼栋"},
        {"保洁卫生", SV_ROLE_DIMENSION, "abc3", "保洁卫生"},
        {"总体满意度", SV_ROLE_OVERALL, "abc3", "总体满意度"},
        {"推荐意愿", SV_ROLE_NPS, "nps11", "推荐意愿"},
        {"本季度是否投诉过", SV_ROLE_COMPLAINT, "yesno", "投诉"},
        {"是否重复投诉", SV_ROLE_REPEAT_COMPLAINT, "yesno", "重复投诉"},
        {"意见和建议", SV_ROLE_COMMENT, NULL, "意见和建议"},
        {"联系电话", SV_ROLE_PII, NULL, "联系电话"},
    };
    struct sv_codebook *cb = load_sample("codebook-6item.csv");

    (void)state;
    assert_int_equal(sv_codebook_count(cb), 18);
    assert_false(sv_codebook_is_register(cb));
    check_entries(cb, e, NELEM(e));
    assert_string_equal(sv_codebook_entry(cb, 0)->column, "序号");
    assert_string_equal(sv_codebook_entry(cb, 17)->column, "联系电话");
    assert_null(sv_codebook_entry(cb, 18));
    assert_null(sv_codebook_find(cb, "no such column"));
    assert_null(sv_codebook_find(cb, "保洁"));
    sv_codebook_free(cb);
}

static void test_codebook_other_samples(void **state)
{
    static const struct entry_case wjx[] = {
        {"提交答卷时间", SV_ROLE_DATE, NULL, "提交时间"},
        {"3、您对小区保洁卫生服务的满意程度", SV_ROLE_DIMENSION, "likert5",
         "保洁卫生"},
        {"8、您向亲友推荐我们物业服务的可能性有多大?", SV_ROLE_NPS, "nps11",
         "推荐意愿"},
        {"所属项目", SV_ROLE_SITE, NULL, "所属项目"},
    };
    static const struct entry_case reg[] = {
        {"受理时间", SV_ROLE_RECEIVED, NULL, "受理时间"},
        {"房号", SV_ROLE_HOUSEHOLD, NULL, "房号"},
        {"投诉类别", SV_ROLE_CATEGORY, NULL, "投诉类别"},
        {"是否紧急", SV_ROLE_URGENCY, "yesno", "紧急"},
        {"完成时间", SV_ROLE_CLOSED, NULL, "完成时间"},
        {"处理状态", SV_ROLE_STATUS, NULL, "处理状态"},
        {"处理结果", SV_ROLE_COMMENT, NULL, "处理结果"},
        {"投诉人", SV_ROLE_PII, NULL, "投诉人"},
    };
    struct sv_codebook *cb;

    (void)state;
    cb = load_sample("codebook-8item.csv");
    assert_int_equal(sv_codebook_count(cb), 20);
    assert_false(sv_codebook_is_register(cb));
    sv_codebook_free(cb);
    cb = load_sample("codebook-wjx.csv");
    assert_int_equal(sv_codebook_count(cb), 18);
    check_entries(cb, wjx, NELEM(wjx));
    sv_codebook_free(cb);
    cb = load_sample("codebook-register.csv");
    assert_int_equal(sv_codebook_count(cb), 12);
    assert_true(sv_codebook_is_register(cb));
    check_entries(cb, reg, NELEM(reg));
    sv_codebook_free(cb);
}

struct good_case {
    const char *name, *text;
    size_t count;
};

static void test_codebook_good_variants(void **state)
{
    static const struct good_case good[] = {
        {"reordered header, no label column",
         "role,column,scale\ndimension,q1,abc3\n", 1},
        {"BOM and CRLF", "\xEF\xBB\xBF" "column,role,scale,label\r\n"
                         "q1,dimension,abc3,\r\n",
         1},
        {"default scales", "column,role,scale,label\nn,nps,,\nc,complaint,,\n"
                           "r,repeat_complaint,,\n",
         3},
        {"custom scale", "column,role,scale,label\n"
                         "q,dimension,\"levels=很好:100|好:80|一般:60|差:0;"
                         "top=2\",\n",
         1},
        {"quoted multi-line label", "column,role,scale,label\n"
                                    "q1,dimension,abc3,\"two\nlines\"\n"
                                    "q2,dimension,abc3,\n",
         2},
        {"blank lines", "column,role,scale,label\n\nq1,id,,\n\n", 1},
    };

    (void)state;
    for (size_t i = 0; i < NELEM(good); i++) {
        struct sv_error err;
        struct sv_codebook *cb;

        write_file(good[i].text);
        cb = sv_codebook_load(path, &err);
        if (!cb)
            fail_msg("%s: %s:%lu: %s", good[i].name, err.file, err.line,
                     err.msg);
        assert_int_equal(sv_codebook_count(cb), good[i].count);
        sv_codebook_free(cb);
    }
    write_file("column,role,scale,label\nn,nps,,\nc,complaint,,\n");
    {
        struct sv_codebook *cb = sv_codebook_load(path, NULL);
        assert_non_null(cb);
        assert_string_equal(sv_scale_name(sv_codebook_find(cb, "n")->scale),
                            "nps11");
        assert_string_equal(sv_scale_name(sv_codebook_find(cb, "c")->scale),
                            "yesno");
        sv_codebook_free(cb);
    }
}

struct bad_case {
    const char *name, *text;
    enum sv_status code;
    unsigned long line;
    const char *column; /* err.column */
    const char *msg;    /* part of err.msg */
};

static const struct bad_case bad[] = {
    {"unknown role", "column,role,scale,label\nq0,id,,\nq1,dimensoin,abc3,\n",
     SV_ERR_DATA, 3, "role", "unknown role 'dimensoin'"},
    {"empty role", "column,role,scale,label\nq1,,,\n", SV_ERR_DATA, 2, "role",
     "unknown role ''"},
    {"role in capitals", "column,role,scale,label\nq1,Dimension,abc3,\n",
     SV_ERR_DATA, 2, "role", "unknown role"},
    {"malformed inline scale",
     "column,role,scale,label\nq1,dimension,levels=好,\n", SV_ERR_DATA, 2,
     "scale", "at least 2 levels"},
    {"unknown scale name", "column,role,scale,label\nq1,dimension,abc5,\n",
     SV_ERR_DATA, 2, "scale", "malformed scale 'abc5'"},
    {"bad custom score",
     "column,role,scale,label\nq1,dimension,\"levels=好:x|差:0\",\n",
     SV_ERR_DATA, 2, "scale", "bad score 'x'"},
    {"duplicate column", "column,role,scale,label\na,id,,\nb,site,,\na,date,,\n",
     SV_ERR_DATA, 4, "column", "column 'a' is described twice"},
    {"missing scale for a dimension",
     "column,role,scale,label\nq1,dimension,,\n", SV_ERR_DATA, 2, "scale",
     "role 'dimension' needs a scale"},
    {"missing scale for overall", "column,role,scale,label\nq1,overall,,\n",
     SV_ERR_DATA, 2, "scale", "needs a scale"},
    {"scale on a site", "column,role,scale,label\ns,site,abc3,\n",
     SV_ERR_DATA, 2, "scale", "takes no scale"},
    {"empty column name", "column,role,scale,label\n,id,,\n", SV_ERR_DATA, 2,
     "column", "empty column name"},
    {"header without role", "column,scale,label\nq1,abc3,\n", SV_ERR_DATA, 1,
     "", "needs 'column' and 'role'"},
    {"header without column", "role,scale\nid,\n", SV_ERR_DATA, 1, "",
     "needs 'column' and 'role'"},
    {"unknown header column", "column,role,kind\nq1,id,x\n", SV_ERR_DATA, 1,
     "kind", "unknown codebook column 'kind'"},
    {"empty codebook", "", SV_ERR_DATA, 0, "", "empty codebook"},
    {"header only", "column,role,scale,label\n", SV_ERR_DATA, 0, "",
     "describes no columns"},
    {"two dates", "column,role,scale,label\nd1,date,,\nd2,date,,\n",
     SV_ERR_DATA, 0, "role", "more than one 'date'"},
    {"two sites", "column,role,scale,label\ns1,site,,\ns2,site,,\n",
     SV_ERR_DATA, 0, "role", "more than one 'site'"},
    {"reserved group label", "column,role,scale,label\n楼栋,group,,item\n",
     SV_ERR_DATA, 0, "label", "reserved"},
    {"two groups, one label",
     "column,role,scale,label\ng1,group,,楼\ng2,group,,楼\n", SV_ERR_DATA, 0,
     "label", "two group columns"},
    {"register without received",
     "column,role,scale,label\nh,household,,\nc,category,,\n", SV_ERR_DATA, 0,
     "role", "needs a 'received'"},
    {"error line after a multi-line label",
     "column,role,scale,label\nq1,dimension,abc3,\"a\nb\nc\"\nq2,bogus,,\n",
     SV_ERR_DATA, 5, "role", "unknown role 'bogus'"},
    {"unterminated quote", "column,role,scale,label\nq1,id,,\"open\n",
     SV_ERR_DATA, 2, "", "unterminated"},
    {"neither utf-8 nor gb18030", "column,role,scale,label\n\xFF\xFF,id,,\n",
     SV_ERR_DATA, 2, "column", "GB18030"}, /* names the column (issue 16) */
};

static void test_codebook_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < NELEM(bad); i++) {
        const struct bad_case *b = &bad[i];
        struct sv_error err;
        struct sv_codebook *cb;

        write_file(b->text);
        sv_error_clear(&err);
        cb = sv_codebook_load(path, &err);
        if (cb) {
            sv_codebook_free(cb);
            fail_msg("%s: accepted", b->name);
        }
        if (err.code != b->code || err.line != b->line ||
            strcmp(err.column, b->column) != 0 || !strstr(err.msg, b->msg) ||
            strcmp(err.file, path) != 0)
            fail_msg("%s: got code %d %s:%lu column '%s': %s", b->name,
                     err.code, err.file, err.line, err.column, err.msg);
    }
}

/* Excel on Chinese Windows saves a codebook in GBK (issue 13). */
static void test_codebook_gbk(void **state)
{
    struct sv_error err;
    struct sv_codebook *cb;

    (void)state;
    /* 所属项目,site / 满意度,dimension,abc3,保洁 in GBK */
    write_file("column,role,scale,label\r\n\xcb\xf9\xca\xf4\xcf\xee\xc4\xbf,"
               "site,,\r\nq1,dimension,abc3,\xb1\xa3\xbd\xe0\r\n");
    cb = sv_codebook_load(path, &err);
    if (!cb)
        fail_msg("%s:%lu: %s", err.file, err.line, err.msg);
    assert_non_null(sv_codebook_find(cb, "所属项目"));
    assert_string_equal(sv_codebook_find(cb, "q1")->label, "保洁");
    sv_codebook_free(cb);
}

struct collected {
    int n;
    char msgs[4][SV_ERR_MSG_MAX];
    unsigned long lines[4];
};

static void collect(void *ctx, const struct sv_error *e)
{
    struct collected *c = ctx;

    if (c->n < 4) {
        c->lines[c->n] = e->line;
        snprintf(c->msgs[c->n], sizeof c->msgs[0], "%s", e->msg);
    }
    c->n++;
}

/* Every error of a codebook in one run: rows, then the whole-file rules. */
static void test_codebook_all_errors(void **state)
{
    struct collected c = {0};
    struct sv_codebook_options o = {.on_error = collect, .ctx = &c};
    struct sv_error err;

    (void)state;
    write_file("column,role,scale,label\nq1,dimensoin,abc3,\ns1,site,,\n"
               "q2,dimension,abc5,\ns2,site,,\n");
    assert_null(sv_codebook_open(path, &o, &err));
    assert_int_equal(c.n, 2);
    assert_int_equal(c.lines[0], 2);
    assert_non_null(strstr(c.msgs[0], "unknown role 'dimensoin'"));
    assert_int_equal(c.lines[1], 4);
    assert_non_null(strstr(c.msgs[1], "abc5"));
    assert_int_equal(err.line, 0);
    assert_non_null(strstr(err.msg, "more than one 'site' column ('s1', 's2'"));
    /* without a callback the first error stops the load */
    assert_null(sv_codebook_open(path, NULL, &err));
    assert_int_equal(err.line, 2);
}

static void test_codebook_missing_file(void **state)
{
    struct sv_error err;
    char p[160];

    (void)state;
    snprintf(p, sizeof p, "%s/nope.csv", tmpdir);
    assert_null(sv_codebook_load(p, &err));
    assert_int_equal(err.code, SV_ERR_IO);
    assert_string_equal(err.file, p);
    assert_null(sv_codebook_load(p, NULL));
    sv_codebook_free(NULL);
}

static void test_codebook_roles(void **state)
{
    enum sv_role r;

    (void)state;
    for (int i = SV_ROLE_ID; i <= SV_ROLE_STATUS; i++) {
        const char *name = sv_role_name((enum sv_role)i);
        assert_true(name[0] != '\0');
        assert_int_equal(sv_role_parse(name, &r), SV_OK);
        assert_int_equal(r, i);
    }
    assert_string_equal(sv_role_name(SV_ROLE_REPEAT_COMPLAINT),
                        "repeat_complaint");
    assert_string_equal(sv_role_name(SV_ROLE_NONE), "");
    assert_string_equal(sv_role_name((enum sv_role)999), "");
    assert_int_equal(sv_role_parse("", &r), SV_ERR_DATA);
    assert_int_equal(sv_role_parse("repeat-complaint", &r), SV_ERR_DATA);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codebook_6item),
        cmocka_unit_test(test_codebook_other_samples),
        cmocka_unit_test(test_codebook_good_variants),
        cmocka_unit_test(test_codebook_errors),
        cmocka_unit_test(test_codebook_gbk),
        cmocka_unit_test(test_codebook_all_errors),
        cmocka_unit_test(test_codebook_missing_file),
        cmocka_unit_test(test_codebook_roles),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
