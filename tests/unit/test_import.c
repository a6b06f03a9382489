/*
 * test_import.c — unit tests of libsurvey/import.c and stream.c: header
 * mapping, validated questionnaire and register rows, row errors (file,
 * line, column label) and the stream lines written for a record.
 *
 * Codebooks and inputs are written to a private temporary directory.
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
static char cb_path[128];
static char in_path[128];

static const char questionnaire_cb[] =
    "column,role,scale,label\n"
    "id,id,,\n"
    "日期,date,,\n"
    "管理处,site,,\n"
    "楼栋,group,,楼\n"
    "Q1,dimension,abc3,保洁卫生\n"
    "Q2,dimension,likert5,绿化\n"
    "总体,overall,abc3,\n"
    "推荐,nps,,\n"
    "投诉,complaint,,\n"
    "重复,repeat_complaint,,\n"
    "意见,comment,,\n"
    "电话,pii,,\n"
    "备注,ignore,,\n";

static const char header[] =
    "id,日期,管理处,楼栋,Q1,Q2,总体,推荐,投诉,重复,意见,电话,备注\n";

static const char register_cb[] =
    "column,role,scale,label\n"
    "编号,ignore,,\n"
    "受理时间,received,,\n"
    "房号,household,,\n"
    "管理处,site,,\n"
    "类别,category,,\n"
    "紧急,urgency,yesno,\n"
    "完成时间,closed,,\n"
    "状态,status,,\n"
    "结果,comment,,\n"
    "投诉人,pii,,\n";

static const char register_header[] =
    "编号,受理时间,房号,管理处,类别,紧急,完成时间,状态,结果,投诉人\n";

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/sv-test-import.XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    snprintf(cb_path, sizeof cb_path, "%s/cb.csv", tmpdir);
    snprintf(in_path, sizeof in_path, "%s/in.csv", tmpdir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(cb_path);
    unlink(in_path);
    return rmdir(tmpdir);
}

static void write_file(const char *p, const char *a, const char *b)
{
    FILE *fp = fopen(p, "wb");

    assert_non_null(fp);
    fputs(a, fp);
    if (b)
        fputs(b, fp);
    assert_int_equal(fclose(fp), 0);
}

/* An open import: codebook, importer and reader, header not yet read. */
struct fixture {
    struct sv_codebook *cb;
    struct sv_import *imp;
    struct sv_source *src;
};

static void open_fixture(struct fixture *f, const char *cb, const char *head,
                         const char *rows, enum sv_import_flags flags)
{
    struct sv_error err;

    write_file(cb_path, cb, NULL);
    write_file(in_path, head, rows);
    f->cb = sv_codebook_load(cb_path, &err);
    if (!f->cb)
        fail_msg("codebook: %s:%lu: %s", err.file, err.line, err.msg);
    f->imp = sv_import_new(f->cb, flags, &err);
    assert_non_null(f->imp);
    f->src = sv_source_open(in_path, "in.csv", NULL, &err);
    assert_non_null(f->src);
}

static void close_fixture(struct fixture *f)
{
    sv_source_free(f->src);
    sv_import_free(f->imp);
    sv_codebook_free(f->cb);
}

/* Reads the next row of F and validates it into REC. */
static enum sv_status next_row(struct fixture *f, struct sv_record *rec,
                               struct sv_error *err)
{
    size_t nf;

    assert_int_equal(sv_source_next(f->src, &nf, err), SV_OK);
    assert_true(nf > 0);
    sv_error_clear(err);
    return sv_import_row(f->imp, f->src, rec, err);
}

static void expect_error(const struct sv_error *err, unsigned long line,
                         const char *column, const char *msg)
{
    if (err->code != SV_ERR_DATA || err->line != line ||
        strcmp(err->column, column) != 0 || strcmp(err->file, "in.csv") != 0 ||
        !strstr(err->msg, msg))
        fail_msg("got %s:%lu column '%s': %s; want line %lu column '%s': %s",
                 err->file, err->line, err->column, err->msg, line, column,
                 msg);
}

struct header_case {
    const char *name, *head;
    enum sv_import_flags flags;
    enum sv_status want;
    const char *column, *msg;
};

static void test_import_header(void **state)
{
    static const struct header_case h[] = {
        {"exact", header, 0, SV_OK, NULL, NULL},
        {"other order",
         "备注,电话,意见,重复,投诉,推荐,总体,Q2,Q1,楼栋,管理处,日期,id\n", 0,
         SV_OK, NULL, NULL},
        {"unknown column",
         "id,日期,管理处,楼栋,Q1,Q2,总体,推荐,投诉,重复,意见,电话,备注,Q9\n",
         0, SV_ERR_DATA, "Q9", "not in the codebook"},
        {"unknown column ignored",
         "id,日期,管理处,楼栋,Q1,Q2,总体,推荐,投诉,Q9,重复,意见,电话,备注\n",
         SV_IMPORT_IGNORE_UNKNOWN, SV_OK, NULL, NULL},
        {"codebook column missing",
         "id,日期,管理处,楼栋,Q1,总体,推荐,投诉,重复,意见,电话,备注\n", 0,
         SV_ERR_DATA, "Q2", "codebook column 'Q2' is missing from the header"},
        {"missing even with ignore-unknown",
         "id,日期,管理处,楼栋,Q1,总体,推荐,投诉,重复,意见,电话,备注,X\n",
         SV_IMPORT_IGNORE_UNKNOWN, SV_ERR_DATA, "Q2", "missing from the header"},
        {"duplicate header",
         "id,日期,管理处,楼栋,Q1,Q2,Q1,总体,推荐,投诉,重复,意见,电话,备注\n", 0,
         SV_ERR_DATA, "Q1", "duplicate header 'Q1' (fields 5 and 7)"},
        {"duplicate unknown header, ignored",
         "id,日期,管理处,楼栋,Q1,Q2,总体,推荐,投诉,重复,意见,电话,备注,X,X\n",
         SV_IMPORT_IGNORE_UNKNOWN, SV_ERR_DATA, "X", "duplicate header 'X'"},
    };

    (void)state;
    for (size_t i = 0; i < NELEM(h); i++) {
        struct fixture f;
        struct sv_error err;
        enum sv_status st;

        open_fixture(&f, questionnaire_cb, h[i].head, NULL, h[i].flags);
        sv_error_clear(&err);
        st = sv_import_header(f.imp, f.src, &err);
        if (st != h[i].want)
            fail_msg("%s: status %d (%s)", h[i].name, st, err.msg);
        if (h[i].column)
            expect_error(&err, 1, h[i].column, h[i].msg);
        close_fixture(&f);
    }
}

static void test_import_empty_input(void **state)
{
    struct fixture f;
    struct sv_error err;

    (void)state;
    open_fixture(&f, questionnaire_cb, "", NULL, 0);
    assert_int_equal(sv_import_header(f.imp, f.src, &err), SV_ERR_DATA);
    assert_non_null(strstr(err.msg, "empty input"));
    assert_string_equal(err.file, "in.csv");
    close_fixture(&f);
}

static void test_import_items(void **state)
{
    static const struct {
        const char *label;
        enum sv_role role;
    } items[] = {{"保洁卫生", SV_ROLE_DIMENSION}, {"绿化", SV_ROLE_DIMENSION},
                 {"总体", SV_ROLE_OVERALL},      {"推荐", SV_ROLE_NPS},
                 {"投诉", SV_ROLE_COMPLAINT},    {"重复", SV_ROLE_REPEAT_COMPLAINT},
                 {"意见", SV_ROLE_COMMENT}};
    struct fixture f;

    (void)state;
    open_fixture(&f, questionnaire_cb, header, NULL, 0);
    assert_false(sv_import_is_register(f.imp));
    assert_int_equal(sv_import_nitems(f.imp), NELEM(items));
    for (size_t i = 0; i < NELEM(items); i++) {
        assert_string_equal(sv_import_item(f.imp, i)->label, items[i].label);
        assert_int_equal(sv_import_item(f.imp, i)->role, items[i].role);
    }
    assert_null(sv_import_item(f.imp, NELEM(items)));
    assert_int_equal(sv_import_ngroups(f.imp), 1);
    assert_string_equal(sv_import_group_label(f.imp, 0), "楼");
    assert_string_equal(sv_import_group_label(f.imp, 1), "");
    assert_int_equal(sv_import_header(f.imp, f.src, NULL), SV_OK);
    for (size_t i = 0; i < 13; i++)
        assert_int_equal(sv_import_field_is_pii(f.imp, i), i == 11);
    assert_int_equal(sv_import_field_is_pii(f.imp, 13), 0);
    close_fixture(&f);
}

/* Captures what FN writes into a string (caller frees). */
static char *stream_text(const struct fixture *f, const struct sv_record *rec,
                         int unused)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);

    (void)unused;
    assert_non_null(fp);
    if (rec)
        sv_stream_write_record(f->imp, rec, fp);
    else
        sv_stream_write_header(f->imp, fp);
    assert_int_equal(fclose(fp), 0);
    return buf;
}

static void test_import_good_row(void **state)
{
    static const char rows[] =
        "7,2026/7/15 10:23:45,翠湖,3栋,A,5,较满意,9,否,否,\"意见,很多\","
        "13800000000,x\n"
        "8,2026年8月1日,翠湖,,N/A,,不满意,,是,是,,,\n";
    /* the best of k levels is k: A = 3 of abc3, 5 = 5 of likert5 */
    static const int codes1[] = {3, 5, 2, 9, 0, 0, -1};
    static const int codes2[] = {-1, -1, 1, -1, 1, 1, -1};
    static const char want_header[] =
        "date,month,quarter,half,year,site,楼,保洁卫生{dimension:abc3},"
        "绿化{dimension:likert5},总体{overall:abc3},推荐{nps:nps11},"
        "投诉{complaint:yesno},重复{repeat_complaint:yesno},意见{comment}\n";
    static const char want1[] =
        "2026-07-15 10:23:45,2026-07,2026Q3,2026H2,2026,翠湖,3栋,"
        "3,5,2,9,0,0,\"意见,很多\"\n";
    static const char want2[] =
        "2026-08-01,2026-08,2026Q3,2026H2,2026,翠湖,,,,1,,1,1,\n";
    struct fixture f;
    struct sv_record rec;
    struct sv_error err;
    char *text;
    size_t nf;

    (void)state;
    open_fixture(&f, questionnaire_cb, header, rows, 0);
    assert_int_equal(sv_import_header(f.imp, f.src, &err), SV_OK);
    text = stream_text(&f, NULL, 0);
    assert_string_equal(text, want_header);
    free(text);

    assert_int_equal(next_row(&f, &rec, &err), SV_OK);
    assert_int_equal(rec.line, 2);
    assert_true(rec.has_date);
    assert_int_equal(rec.date.year, 2026);
    assert_int_equal(rec.date.hour, 10);
    assert_string_equal(rec.site, "翠湖");
    assert_int_equal(rec.ngroups, 1);
    assert_string_equal(rec.groups[0], "3栋");
    assert_int_equal(rec.nitems, NELEM(codes1));
    for (size_t i = 0; i < NELEM(codes1); i++)
        assert_int_equal(rec.codes[i], codes1[i]);
    assert_string_equal(rec.texts[6], "意见,很多");
    text = stream_text(&f, &rec, 1);
    assert_string_equal(text, want1);
    /* PII never reaches the stream */
    assert_null(strstr(text, "13800000000"));
    free(text);

    assert_int_equal(next_row(&f, &rec, &err), SV_OK);
    assert_int_equal(rec.line, 3);
    for (size_t i = 0; i < NELEM(codes2); i++)
        assert_int_equal(rec.codes[i], codes2[i]);
    assert_null(rec.texts[6]);
    assert_string_equal(rec.groups[0], "");
    text = stream_text(&f, &rec, 2);
    assert_string_equal(text, want2);
    free(text);

    assert_int_equal(sv_source_next(f.src, &nf, &err), SV_OK);
    assert_int_equal(nf, 0);
    close_fixture(&f);
}

struct row_case {
    const char *name, *row;
    unsigned long line;
    const char *column, *msg;
};

static void test_import_bad_rows(void **state)
{
    /* every bad row is followed by a good one: the reader stays usable */
    static const char good[] = "1,2026-07-15,翠湖,1栋,A,4,B,10,否,否,,,\n";
    static const struct row_case r[] = {
        {"unknown answer", "2,2026-07-15,翠湖,1栋,很满意,4,B,10,否,否,,,\n",
         2, "保洁卫生", "unknown answer \"很满意\" (scale abc3)"},
        {"unknown likert answer",
         "2,2026-07-15,翠湖,1栋,A,6,B,10,否,否,,,\n", 2, "绿化",
         "unknown answer \"6\" (scale likert5)"},
        {"nps out of range", "2,2026-07-15,翠湖,1栋,A,4,B,11,否,否,,,\n", 2,
         "推荐", "unknown answer \"11\" (scale nps11)"},
        {"nps not an integer",
         "2,2026-07-15,翠湖,1栋,A,4,B,5.5,否,否,,,\n", 2, "推荐",
         "unknown answer \"5.5\" (scale nps11)"},
        {"bad yes/no", "2,2026-07-15,翠湖,1栋,A,4,B,10,也许,否,,,\n", 2,
         "投诉", "unknown answer \"也许\" (scale yesno)"},
        {"too few fields", "2,2026-07-15,翠湖,1栋,A,4,B,10,否,否,,\n", 2, "",
         "expected 13 fields as in the header, found 12"},
        {"too many fields", "2,2026-07-15,翠湖,1栋,A,4,B,10,否,否,,,,\n", 2,
         "", "expected 13 fields as in the header, found 14"},
        {"bad date", "2,2026-02-30,翠湖,1栋,A,4,B,10,否,否,,,\n", 2, "日期",
         "unparseable date \"2026-02-30\""},
        {"garbage date", "2,soon,翠湖,1栋,A,4,B,10,否,否,,,\n", 2, "日期",
         "unparseable date \"soon\""},
        {"missing date", "2, ,翠湖,1栋,A,4,B,10,否,否,,,\n", 2, "日期",
         "missing date"},
        {"missing site", "2,2026-07-15,,1栋,A,4,B,10,否,否,,,\n", 2, "管理处",
         "missing value"},
        {"repeat without complaint",
         "2,2026-07-15,翠湖,1栋,A,4,B,10,否,是,,,\n", 2, "重复",
         "repeat complaint without a complaint"},
        {"line after a multi-line comment",
         "2,2026-07-15,翠湖,1栋,A,4,B,10,否,否,\"a\nb\",,\n"
         "3,2026-07-15,翠湖,1栋,X,4,B,10,否,否,,,\n",
         4, "保洁卫生", "unknown answer \"X\""},
    };

    (void)state;
    for (size_t i = 0; i < NELEM(r); i++) {
        struct fixture f;
        struct sv_record rec;
        struct sv_error err;
        char rows[512];
        size_t nf;

        snprintf(rows, sizeof rows, "%s%s", r[i].row, good);
        open_fixture(&f, questionnaire_cb, header, rows, 0);
        assert_int_equal(sv_import_header(f.imp, f.src, &err), SV_OK);
        if (r[i].line == 4) /* the multi-line case: its first row is good */
            assert_int_equal(next_row(&f, &rec, &err), SV_OK);
        if (next_row(&f, &rec, &err) == SV_OK)
            fail_msg("%s: accepted", r[i].name);
        expect_error(&err, r[i].line, r[i].column, r[i].msg);
        if (next_row(&f, &rec, &err) != SV_OK)
            fail_msg("%s: the good row after it failed: %s", r[i].name,
                     err.msg);
        assert_int_equal(rec.line, r[i].line + 1);
        assert_int_equal(sv_source_next(f.src, &nf, &err), SV_OK);
        assert_int_equal(nf, 0);
        close_fixture(&f);
    }
}

static void test_import_ignore_unknown_row(void **state)
{
    struct fixture f;
    struct sv_record rec;
    struct sv_error err;

    (void)state;
    open_fixture(&f, questionnaire_cb,
                 "Extra,id,日期,管理处,楼栋,Q1,Q2,总体,推荐,投诉,重复,意见,电话,"
                 "备注\n",
                 "whatever,1,2026-07-15,翠湖,1栋,C,3,B,0,否,否,,,\n",
                 SV_IMPORT_IGNORE_UNKNOWN);
    assert_int_equal(sv_import_header(f.imp, f.src, &err), SV_OK);
    assert_int_equal(next_row(&f, &rec, &err), SV_OK);
    assert_int_equal(rec.codes[0], 1); /* C of abc3 */
    assert_int_equal(rec.codes[1], 3); /* 3 of likert5 */
    assert_int_equal(rec.codes[3], 0);
    assert_int_equal(sv_import_field_is_pii(f.imp, 12), 1);
    close_fixture(&f);
}

static void test_import_register(void **state)
{
    static const char rows[] =
        "1,2026-03-01 09:00,3-2-801,翠湖,维修,是,2026-03-01 09:30,已完成,"
        "已修好,张三\n"
        "2,2026/3/2 10:00:00,3-2-802,翠湖,保洁,否,,处理中,,李四\n"
        "3,2026-03-05 12:00,3-2-803,翠湖,保洁,,2026-03-05 11:59,已完成,,王五\n"
        "4,2026-03-05,3-2-804,翠湖,保洁,也许,,处理中,,赵六\n"
        "5,2026-03-05,,翠湖,保洁,否,,处理中,,钱七\n"
        "6,,3-2-806,翠湖,保洁,否,,处理中,,孙八\n"
        "7,2026-03-06,3-2-807,翠湖,保洁,否,2026-03-08 12:00,已完成,\"好\n了\","
        "周九\n";
    static const char want_header[] =
        "received,closed,month,quarter,half,year,site,household,category,"
        "urgent,status,text\n";
    struct fixture f;
    struct sv_record rec;
    struct sv_error err;
    char *text;

    (void)state;
    open_fixture(&f, register_cb, register_header, rows, 0);
    assert_true(sv_import_is_register(f.imp));
    assert_int_equal(sv_import_nitems(f.imp), 0);
    assert_int_equal(sv_import_header(f.imp, f.src, &err), SV_OK);
    text = stream_text(&f, NULL, 0);
    assert_string_equal(text, want_header);
    free(text);

    /* closed, urgent */
    assert_int_equal(next_row(&f, &rec, &err), SV_OK);
    assert_true(rec.has_date && rec.has_closed);
    assert_int_equal(rec.urgent, 1);
    assert_string_equal(rec.household, "3-2-801");
    assert_string_equal(rec.category, "维修");
    assert_string_equal(rec.status, "已完成");
    assert_string_equal(rec.text, "已修好");
    text = stream_text(&f, &rec, 1);
    assert_string_equal(text, "2026-03-01 09:00:00,2026-03-01 09:30:00,"
                              "2026-03,2026Q1,2026H1,2026,翠湖,3-2-801,维修,"
                              "1,已完成,已修好\n");
    assert_null(strstr(text, "张三"));
    free(text);

    /* open complaint: no closed time, no hours */
    assert_int_equal(next_row(&f, &rec, &err), SV_OK);
    assert_false(rec.has_closed);
    assert_int_equal(rec.urgent, 0);
    text = stream_text(&f, &rec, 2);
    assert_string_equal(text, "2026-03-02 10:00:00,,2026-03,2026Q1,2026H1,"
                              "2026,翠湖,3-2-802,保洁,0,处理中,\n");
    free(text);

    /* closed one minute before it was received; urgency blank */
    assert_int_equal(next_row(&f, &rec, &err), SV_ERR_DATA);
    expect_error(&err, 4, "完成时间", "closed before received");
    /* unknown urgency */
    assert_int_equal(next_row(&f, &rec, &err), SV_ERR_DATA);
    expect_error(&err, 5, "紧急", "unknown answer \"也许\" (scale yesno)");
    /* missing household */
    assert_int_equal(next_row(&f, &rec, &err), SV_ERR_DATA);
    expect_error(&err, 6, "房号", "missing value");
    /* missing received time */
    assert_int_equal(next_row(&f, &rec, &err), SV_ERR_DATA);
    expect_error(&err, 7, "受理时间", "missing date");
    /* a date without time; a multi-line result */
    assert_int_equal(next_row(&f, &rec, &err), SV_OK);
    assert_int_equal(rec.line, 8);
    text = stream_text(&f, &rec, 7);
    assert_string_equal(text, "2026-03-06,2026-03-08 12:00:00,2026-03,2026Q1,"
                              "2026H1,2026,翠湖,3-2-807,保洁,0,已完成,"
                              "\"好 了\"\n"); /* one line per record */
    free(text);
    close_fixture(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_header),
        cmocka_unit_test(test_import_empty_input),
        cmocka_unit_test(test_import_items),
        cmocka_unit_test(test_import_good_row),
        cmocka_unit_test(test_import_bad_rows),
        cmocka_unit_test(test_import_ignore_unknown_row),
        cmocka_unit_test(test_import_register),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
