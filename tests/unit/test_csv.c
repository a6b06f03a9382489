/*
 * test_csv.c — unit tests of libsurvey/csv-reader.c.
 *
 * Each table case writes its bytes to a file in a private temporary
 * directory, reads it back with sv_csv_open() and compares a dump of the
 * records ("LINE:field|field\n", embedded newlines shown as \n) or the
 * error (status, line and a part of the message).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <csv.h>

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "survey.h"

#include "testutil.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define DUMP_MAX 4096

/* Appends S to the dump, showing CR and LF as \r and \n. */
static void dump_text(char *out, size_t *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n && *o + 3 < DUMP_MAX; i++) {
        if (s[i] == '\n' || s[i] == '\r') {
            out[(*o)++] = '\\';
            out[(*o)++] = s[i] == '\n' ? 'n' : 'r';
        } else {
            out[(*o)++] = s[i];
        }
    }
    out[*o] = '\0';
}

/* Reads every record of CSV into OUT; returns the final status. */
static enum sv_status dump(struct sv_csv *csv, char *out,
                           struct sv_error *err)
{
    size_t o = 0, nf;
    enum sv_status st;

    out[0] = '\0';
    while ((st = sv_csv_next(csv, &nf, err)) == SV_OK && nf > 0) {
        char num[32];
        int k = snprintf(num, sizeof num, "%lu:", sv_csv_line(csv));
        dump_text(out, &o, num, (size_t)k);
        assert_int_equal(sv_csv_nfields(csv), nf);
        for (size_t i = 0; i < nf; i++) {
            const char *f = sv_csv_field(csv, i);
            assert_int_equal(strlen(f), sv_csv_field_len(csv, i));
            if (i)
                dump_text(out, &o, "|", 1);
            dump_text(out, &o, f, sv_csv_field_len(csv, i));
        }
        if (o + 2 < DUMP_MAX) {
            out[o++] = '\n';
            out[o] = '\0';
        }
    }
    return st;
}

struct csv_case {
    const char *name;
    const char *bytes;
    size_t len; /* 0: strlen(bytes) */
    int delimiter;
    enum sv_encoding enc;
    const char *want;     /* the dump, when the input is good */
    unsigned long line;   /* the error line, when it is bad */
    const char *err_part; /* part of the error message */
};

static const struct csv_case cases[] = {
    {"simple", "a,b\n1,2\n", 0, 0, SV_ENC_AUTO, "1:a|b\n2:1|2\n", 0, NULL},
    {"bom crlf", "\xEF\xBB\xBF" "a,b\r\n1,2\r\n", 0, 0, SV_ENC_AUTO,
     "1:a|b\n2:1|2\n", 0, NULL},
    {"quoted comma and quotes", "a,b\n\"x,y\",\"he said \"\"hi\"\"\"\n", 0,
     0, SV_ENC_AUTO, "1:a|b\n2:x,y|he said \"hi\"\n", 0, NULL},
    /* an all-empty row is a blank line, not a record (issue 13) */
    {"empty fields", "a,b,c\n,,\n\"\",x,\n", 0, 0, SV_ENC_AUTO,
     "1:a|b|c\n3:|x|\n", 0, NULL},
    {"excel trailing empty rows", "a,b,c\r\n1,2,3\r\n,,\r\n\"\",,\r\n,\r\n",
     0, 0, SV_ENC_AUTO, "1:a|b|c\n2:1|2|3\n", 0, NULL},
    {"embedded newline", "h1,h2\n\"line1\nline2\",x\ny,z\n", 0, 0,
     SV_ENC_AUTO, "1:h1|h2\n2:line1\\nline2|x\n4:y|z\n", 0, NULL},
    {"two embedded newlines", "h\n\"a\n\nb\"\nc\n\"d\ne\"\nf\n", 0, 0,
     SV_ENC_AUTO, "1:h\n2:a\\n\\nb\n5:c\n6:d\\ne\n8:f\n", 0, NULL},
    {"excel crlf with bare lf inside quotes", "h,x\r\n\"a\nb\",1\r\nc,2\r\n",
     0, 0, SV_ENC_AUTO, "1:h|x\n2:a\\nb|1\n4:c|2\n", 0, NULL},
    {"tab detected", "a\tb\tc\n1,5\t2\t3\n", 0, 0, SV_ENC_AUTO,
     "1:a|b|c\n2:1,5|2|3\n", 0, NULL},
    {"semicolon detected", "a;b\n1,5;2\n", 0, 0, SV_ENC_AUTO,
     "1:a|b\n2:1,5|2\n", 0, NULL},
    {"comma wins over fewer semicolons", "a,b,c;d\n1,2,3;4\n", 0, 0,
     SV_ENC_AUTO, "1:a|b|c;d\n2:1|2|3;4\n", 0, NULL},
    {"quoted delimiters do not count", "\"a;b;c\",d\n1,2\n", 0, 0,
     SV_ENC_AUTO, "1:a;b;c|d\n2:1|2\n", 0, NULL},
    {"forced semicolon", "a,b;c\n1,2;3\n", 0, ';', SV_ENC_AUTO,
     "1:a,b|c\n2:1,2|3\n", 0, NULL},
    {"forced tab", "a,b\tc\n", 0, '\t', SV_ENC_AUTO, "1:a,b|c\n", 0, NULL},
    {"no final newline", "a,b\n1,2", 0, 0, SV_ENC_AUTO, "1:a|b\n2:1|2\n", 0,
     NULL},
    {"no final newline, quoted", "a\n\"x\ny\"", 0, 0, SV_ENC_AUTO,
     "1:a\n2:x\\ny\n", 0, NULL},
    {"blank lines skipped", "\na\n\n\nb\n  \n\r\nc\n\n", 0, 0, SV_ENC_AUTO,
     "2:a\n5:b\n8:c\n", 0, NULL},
    {"header only", "a,b\n", 0, 0, SV_ENC_AUTO, "1:a|b\n", 0, NULL},
    {"header only, no newline", "a,b", 0, 0, SV_ENC_AUTO, "1:a|b\n", 0, NULL},
    {"empty file", "", 0, 0, SV_ENC_AUTO, "", 0, NULL},
    {"only a BOM", "\xEF\xBB\xBF", 0, 0, SV_ENC_AUTO, "", 0, NULL},
    {"only blank lines", "\n\n\r\n", 0, 0, SV_ENC_AUTO, "", 0, NULL},
    {"utf-8 kept", "满意,较满意\n不满意,\"N/A\"\n", 0, 0, SV_ENC_AUTO,
     "1:满意|较满意\n2:不满意|N/A\n", 0, NULL},
    /* errors */
    {"unterminated quote", "a,b\n1,\"open\n2,3\n", 0, 0, SV_ENC_AUTO, NULL,
     2, "unterminated"},
    {"unterminated quote after good rows", "a\nb\nc\n\"d\ne\nf", 0, 0,
     SV_ENC_AUTO, "1:a\n2:b\n3:c\n", 4, "unterminated"},
    {"stray quote", "a,b\n1,x\"y\n", 0, 0, SV_ENC_AUTO, NULL, 2, "quote"},
    {"NUL byte", "a,b\n1,x\0y\n", 10, 0, SV_ENC_AUTO, "1:a|b\n", 2, "NUL"},
    {"NUL byte in header", "a\0,b\n", 5, 0, SV_ENC_AUTO, NULL, 1, "NUL"},
    {"bare CR", "a,b\r1,2\r", 0, 0, SV_ENC_AUTO, NULL, 1, "CR"},
    {"forced utf-8 on GB bytes", "a\n\xC2\xFA\xD2\xE2\n", 0, 0, SV_ENC_UTF8,
     "1:a\n", 2, "invalid UTF-8"},
    /* issue 16: strict UTF-8 (RFC 3629) */
    {"surrogate", "a\nx\xED\xA0\x80y\n", 0, 0, SV_ENC_UTF8, "1:a\n", 2,
     "invalid UTF-8"},
    {"above U+10FFFF", "a\n\xF4\x90\x80\x80\n", 0, 0, SV_ENC_UTF8,
     "1:a\n", 2, "invalid UTF-8"},
    {"F5 lead", "a\n\xF5\x80\x80\x80\n", 0, 0, SV_ENC_UTF8, "1:a\n", 2,
     "invalid UTF-8"},
    {"overlong three bytes", "a\n\xE0\x80\xAF\n", 0, 0, SV_ENC_UTF8,
     "1:a\n", 2, "invalid UTF-8"},
    {"overlong four bytes", "a\n\xF0\x8F\xBF\xBF\n", 0, 0, SV_ENC_UTF8,
     "1:a\n", 2, "invalid UTF-8"},
    {"edges of the ranges", "\xED\x9F\xBF,\xEE\x80\x80,\xF0\x90\x80\x80,"
     "\xF4\x8F\xBF\xBF,\xE0\xA0\x80\n", 0, 0, SV_ENC_UTF8,
     "1:\xED\x9F\xBF|\xEE\x80\x80|\xF0\x90\x80\x80|\xF4\x8F\xBF\xBF|"
     "\xE0\xA0\x80\n", 0, NULL},
};

static void run_case(const struct csv_case *c)
{
    struct sv_csv_options opts = {.delimiter = c->delimiter,
                                  .encoding = c->enc};
    struct sv_error err;
    char out[DUMP_MAX];
    struct sv_csv *csv;
    enum sv_status st;

    write_file(c->bytes, c->len ? c->len : strlen(c->bytes));
    sv_error_clear(&err);
    csv = sv_csv_open(test_path(), "in.csv", &opts, &err);
    if (!csv)
        fail_msg("%s: open failed: %s", c->name, err.msg);
    st = dump(csv, out, &err);
    if (c->err_part) {
        if (st == SV_OK)
            fail_msg("%s: no error; dump:\n%s", c->name, out);
        if (err.line != c->line || !strstr(err.msg, c->err_part) ||
            strcmp(err.file, "in.csv") != 0)
            fail_msg("%s: error %s:%lu: %s", c->name, err.file, err.line,
                     err.msg);
        if (c->want && strcmp(out, c->want) != 0)
            fail_msg("%s: records before the error:\n%s", c->name, out);
    } else {
        if (st != SV_OK)
            fail_msg("%s: error %s:%lu: %s", c->name, err.file, err.line,
                     err.msg);
        if (strcmp(out, c->want) != 0)
            fail_msg("%s: dump\n%s\nwant\n%s", c->name, out, c->want);
    }
    sv_csv_free(csv);
}

static void test_csv_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < NELEM(cases); i++)
        run_case(&cases[i]);
}

/*
 * Issue 16: after a record-level error the reader resumes at the next
 * record (the message names the field's header); a quote error does not.
 */
static void test_csv_resumes_after_record_error(void **state)
{
    static const char bytes[] = "h1,h2\n1,\"x\0y\n\"\"z\"\"\"\n2,\xED\xA0\x80\n"
                                "3,ok\n4,\"open\n";
    struct sv_error err;
    struct sv_csv *csv;
    size_t nf;

    (void)state;
    write_file(bytes, sizeof bytes - 1);
    csv = sv_csv_open(test_path(), "in.csv", NULL, &err);
    assert_non_null(csv);
    assert_int_equal(sv_csv_next(csv, &nf, &err), SV_OK);
    assert_int_equal(sv_csv_next(csv, &nf, &err), SV_ERR_DATA);
    assert_int_equal(err.line, 2);
    assert_string_equal(err.column, "h2");
    assert_true(sv_csv_resumable(csv));
    assert_int_equal(sv_csv_next(csv, &nf, &err), SV_ERR_DATA);
    assert_int_equal(err.line, 4);
    assert_non_null(strstr(err.msg, "invalid UTF-8"));
    assert_true(sv_csv_resumable(csv));
    assert_int_equal(sv_csv_next(csv, &nf, &err), SV_OK);
    assert_int_equal(nf, 2);
    assert_string_equal(sv_csv_field(csv, 0), "3");
    assert_int_equal(sv_csv_line(csv), 5);
    assert_int_equal(sv_csv_next(csv, &nf, &err), SV_ERR_DATA);
    assert_non_null(strstr(err.msg, "unterminated"));
    assert_false(sv_csv_resumable(csv));
    sv_csv_free(csv);
    /* UTF-16 (Excel's "Unicode Text") is recognised when opened */
    write_file("\xFF\xFE" "a\0,\0b\0\n\0", 10);
    assert_null(sv_csv_open(test_path(), "in.csv", NULL, &err));
    assert_non_null(strstr(err.msg, "CSV UTF-8"));
}

static void test_csv_delimiter_reported(void **state)
{
    static const struct {
        const char *bytes;
        int forced, want;
    } d[] = {{"a,b\n", 0, ','}, {"a\tb\n", 0, '\t'}, {"a;b\n", 0, ';'},
             {"single\n", 0, ','}, {"a,b\n", ';', ';'}, {"", 0, ','}};

    (void)state;
    for (size_t i = 0; i < NELEM(d); i++) {
        struct sv_csv_options opts = {.delimiter = d[i].forced};
        struct sv_csv *csv;
        size_t nf;

        write_file(d[i].bytes, strlen(d[i].bytes));
        csv = sv_csv_open(test_path(), NULL, &opts, NULL);
        assert_non_null(csv);
        assert_int_equal(sv_csv_next(csv, &nf, NULL), SV_OK);
        assert_int_equal(sv_csv_delimiter(csv), d[i].want);
        sv_csv_free(csv);
    }
}

/* Converts UTF-8 text to GB18030 with iconv; returns the byte length. */
static size_t to_gb18030(const char *utf8, char *out, size_t cap)
{
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    char *in = (char *)utf8, *o = out;
    size_t inleft = strlen(utf8), outleft = cap;

    assert_true(cd != (iconv_t)-1);
    assert_true(iconv(cd, &in, &inleft, &o, &outleft) != (size_t)-1);
    assert_int_equal(inleft, 0);
    iconv_close(cd);
    return cap - outleft;
}

static void test_csv_gb18030(void **state)
{
    static const char text[] = "管理处,保洁卫生\n翠湖花园服务中心,较满意\n"
                               "\"意见，建议\n第二行\",不满意\n";
    static const char want[] = "1:管理处|保洁卫生\n2:翠湖花园服务中心|较满意\n"
                               "3:意见，建议\\n第二行|不满意\n";
    struct sv_csv_options gb = {.encoding = SV_ENC_GB18030};
    struct sv_csv_options utf8 = {.encoding = SV_ENC_UTF8};
    char bytes[512], out[DUMP_MAX];
    size_t n = to_gb18030(text, bytes, sizeof bytes);
    struct sv_error err;
    struct sv_csv *csv;

    (void)state;
    assert_true(n < strlen(text)); /* really converted: 2 bytes per hanzi */
    write_file(bytes, n);
    /* auto-detected */
    csv = sv_csv_open(test_path(), NULL, NULL, &err);
    assert_non_null(csv);
    assert_int_equal(dump(csv, out, &err), SV_OK);
    assert_string_equal(out, want);
    sv_csv_free(csv);
    /* forced */
    csv = sv_csv_open(test_path(), NULL, &gb, &err);
    assert_non_null(csv);
    assert_int_equal(dump(csv, out, &err), SV_OK);
    assert_string_equal(out, want);
    sv_csv_free(csv);
    /* forced utf-8: the first record is already bad */
    csv = sv_csv_open(test_path(), NULL, &utf8, &err);
    assert_non_null(csv);
    assert_int_equal(dump(csv, out, &err), SV_ERR_DATA);
    assert_int_equal(err.line, 1);
    assert_non_null(strstr(err.msg, "invalid UTF-8"));
    sv_csv_free(csv);
    /* a truncated GB18030 character at the very end of a small file */
    write_file("a\n\xC2", 3);
    assert_null(sv_csv_open(test_path(), "t.csv", &gb, &err));
    assert_int_equal(err.code, SV_ERR_DATA);
    assert_non_null(strstr(err.msg, "truncated GB18030"));
}

/*
 * Issue 16: a record with a NUL byte, a stray quote or text after a closing
 * quote is read to its end: its fields are kept for the rejects file, the
 * message names the column, and the next record is read.
 */
static void test_csv_rejected_record_fields(void **state)
{
    static const char bytes[] = "h1,h2,h3\n1,a\0b,c\n2,he said \"hi\",x\n"
                                "3,\"q\"r,\"y\nz\"\n4,ok,ok\n";
    static const struct {
        unsigned long line;
        const char *column, *msg, *f1, *f2;
        size_t len1;
    } want[] = {
        {2, "h2", "NUL byte", "a", "c", 3},
        {3, "h2", "stray quote in an unquoted field", "he said \"hi\"", "x",
         12},
        {4, "h2", "text after its closing quote", "q\"r", "y\nz", 3},
    };
    struct sv_error err;
    struct sv_csv *csv;
    size_t nf;

    (void)state;
    write_file(bytes, sizeof bytes - 1);
    csv = sv_csv_open(test_path(), "in.csv", NULL, &err);
    assert_non_null(csv);
    assert_int_equal(sv_csv_next(csv, &nf, &err), SV_OK);
    for (size_t i = 0; i < NELEM(want); i++) {
        assert_int_equal(sv_csv_next(csv, &nf, &err), SV_ERR_DATA);
        assert_true(sv_csv_resumable(csv));
        assert_int_equal(err.line, want[i].line);
        assert_string_equal(err.column, want[i].column);
        assert_non_null(strstr(err.msg, want[i].msg));
        assert_int_equal(sv_csv_nfields(csv), 3);
        assert_string_equal(sv_csv_field(csv, 1), want[i].f1);
        assert_int_equal(sv_csv_field_len(csv, 1), want[i].len1);
        assert_string_equal(sv_csv_field(csv, 2), want[i].f2);
    }
    assert_int_equal(sv_csv_next(csv, &nf, &err), SV_OK);
    assert_int_equal(nf, 3);
    assert_string_equal(sv_csv_field(csv, 0), "4");
    assert_int_equal(sv_csv_line(csv), 6);
    assert_int_equal(sv_csv_next(csv, &nf, &err), SV_OK);
    assert_int_equal(nf, 0);
    sv_csv_free(csv);
}

/*
 * Issue 16: a byte sequence that is not GB18030 rejects its record only;
 * the message names the column and the next record is read.
 */
static void test_csv_gb18030_invalid_resumes(void **state)
{
    struct sv_csv_options gb = {.encoding = SV_ENC_GB18030};
    char bytes[256];
    size_t n = to_gb18030("管理处,意见\n翠湖,好\n金桂,", bytes, sizeof bytes);
    struct sv_error err;
    struct sv_csv *csv;
    size_t nf;

    (void)state;
    memcpy(bytes + n, "\x81\x20x\n", 4); /* 0x81 0x20: no GB18030 */
    n += 4;
    n += to_gb18030("天成,差\n", bytes + n, sizeof bytes - n);
    write_file(bytes, n);
    csv = sv_csv_open(test_path(), "gb.csv", &gb, &err);
    assert_non_null(csv);
    assert_int_equal(sv_csv_next(csv, &nf, &err), SV_OK);
    assert_int_equal(sv_csv_next(csv, &nf, &err), SV_OK);
    assert_int_equal(sv_csv_next(csv, &nf, &err), SV_ERR_DATA);
    assert_true(sv_csv_resumable(csv));
    assert_int_equal(err.line, 3);
    assert_string_equal(err.column, "意见");
    assert_non_null(strstr(err.msg, "invalid GB18030"));
    assert_int_equal(sv_csv_nfields(csv), 2);
    assert_string_equal(sv_csv_field(csv, 0), "金桂");
    assert_int_equal(sv_csv_next(csv, &nf, &err), SV_OK);
    assert_int_equal(nf, 2);
    assert_string_equal(sv_csv_field(csv, 1), "差");
    assert_int_equal(sv_csv_line(csv), 4);
    sv_csv_free(csv);
}

/*
 * Big inputs: records cross the reader's blocks (1 MiB of text, 256 KiB of
 * GB18030 bytes), and line numbers stay right.
 */
static void test_csv_block_boundaries(void **state)
{
    const size_t nlines = 200000;
    char line[64], bytes[64];
    struct sv_csv_options gb = {.encoding = SV_ENC_GB18030};
    struct sv_csv *csv;
    struct sv_error err;
    unsigned long count = 0;
    uint64_t done, total;
    size_t nf;
    FILE *fp;

    (void)state;
    /* UTF-8, each record spanning two physical lines */
    fp = fopen(test_path(), "wb");
    assert_non_null(fp);
    fputs("h1,h2\n", fp);
    for (size_t i = 0; i < nlines / 2; i++)
        fprintf(fp, "\"满意\n%zu\",较满意\n", i);
    assert_int_equal(fclose(fp), 0);
    csv = sv_csv_open(test_path(), NULL, NULL, &err);
    assert_non_null(csv);
    assert_int_equal(sv_csv_next(csv, &nf, &err), SV_OK);
    while (sv_csv_next(csv, &nf, &err) == SV_OK && nf > 0) {
        if (nf != 2 || sv_csv_line(csv) != 2 + 2 * count)
            fail_msg("record %lu: %zu fields at line %lu", count, nf,
                     sv_csv_line(csv));
        snprintf(line, sizeof line, "满意\n%lu", count);
        assert_string_equal(sv_csv_field(csv, 0), line);
        assert_string_equal(sv_csv_field(csv, 1), "较满意");
        count++;
    }
    assert_int_equal(count, nlines / 2);
    sv_csv_progress(csv, &done, &total);
    assert_true(total > (1u << 20));
    assert_true(done == total);
    sv_csv_free(csv);

    /* GB18030: "hh\n" puts a 2-byte character across 256 KiB */
    fp = fopen(test_path(), "wb");
    assert_non_null(fp);
    fputs("hh\n", fp);
    for (size_t i = 0; i < nlines / 4; i++) {
        size_t n = to_gb18030("满意,不满意\n", bytes, sizeof bytes);
        assert_int_equal(n, 12);
        fwrite(bytes, 1, n, fp);
    }
    assert_int_equal(fclose(fp), 0);
    /* forced, then auto-detected (regression: both lost or overran data) */
    for (int pass = 0; pass < 2; pass++) {
        csv = sv_csv_open(test_path(), NULL, pass ? NULL : &gb, &err);
        assert_non_null(csv);
        assert_int_equal(sv_csv_next(csv, &nf, &err), SV_OK);
        assert_string_equal(sv_csv_field(csv, 0), "hh");
        count = 0;
        while (sv_csv_next(csv, &nf, &err) == SV_OK && nf > 0) {
            if (nf != 2 || strcmp(sv_csv_field(csv, 0), "满意") != 0 ||
                strcmp(sv_csv_field(csv, 1), "不满意") != 0 ||
                sv_csv_line(csv) != 2 + count)
                fail_msg("GB record %lu at line %lu: %s|%s", count,
                         sv_csv_line(csv), sv_csv_field(csv, 0),
                         sv_csv_field(csv, 1));
            count++;
        }
        assert_int_equal(count, nlines / 4);
        sv_csv_free(csv);
    }
}

static void test_csv_zero_bytes(void **state)
{
    struct sv_csv *csv;
    size_t nf = 99;

    (void)state;
    write_file("", 0);
    csv = sv_csv_open(test_path(), NULL, NULL, NULL);
    assert_non_null(csv);
    assert_int_equal(sv_csv_next(csv, &nf, NULL), SV_OK);
    assert_int_equal(nf, 0);
    /* and again: end of input stays end of input */
    nf = 99;
    assert_int_equal(sv_csv_next(csv, &nf, NULL), SV_OK);
    assert_int_equal(nf, 0);
    assert_string_equal(sv_csv_field(csv, 0), "");
    sv_csv_free(csv);
}

static void test_csv_field_accessors(void **state)
{
    struct sv_csv *csv;
    size_t nf;

    (void)state;
    write_file("a,bc\n", 5);
    csv = sv_csv_open(test_path(), NULL, NULL, NULL);
    assert_non_null(csv);
    assert_string_equal(sv_csv_name(csv), test_path());
    assert_int_equal(sv_csv_next(csv, &nf, NULL), SV_OK);
    assert_int_equal(nf, 2);
    assert_string_equal(sv_csv_field(csv, 1), "bc");
    assert_int_equal(sv_csv_field_len(csv, 1), 2);
    assert_string_equal(sv_csv_field(csv, 2), "");
    assert_int_equal(sv_csv_field_len(csv, 2), 0);
    sv_csv_free(csv);
    sv_csv_free(NULL);
}

static void test_csv_open_errors(void **state)
{
    struct sv_error err;
    char missing[160];

    (void)state;
    snprintf(missing, sizeof missing, "%s/no-such.csv", test_dir());
    assert_null(sv_csv_open(missing, "no-such.csv", NULL, &err));
    assert_int_equal(err.code, SV_ERR_IO);
    assert_string_equal(err.file, "no-such.csv");
    assert_null(sv_csv_open(test_dir(), "dir", NULL, &err));
    assert_int_equal(err.code, SV_ERR_IO);
    assert_null(sv_csv_open(missing, NULL, NULL, NULL));
}

static void test_csv_limits(void **state)
{
    struct sv_csv_options few = {.max_fields = 2};
    struct sv_csv_options small = {.max_field = 1000};
    struct sv_error err;
    struct sv_csv *csv;
    char big[4000];
    size_t nf;

    (void)state;
    write_file("a,b\n1,2,3\n", 10);
    csv = sv_csv_open(test_path(), NULL, &few, &err);
    assert_non_null(csv);
    assert_int_equal(sv_csv_next(csv, &nf, &err), SV_OK);
    assert_int_equal(sv_csv_next(csv, &nf, &err), SV_ERR_LIMIT);
    assert_int_equal(err.line, 2);
    sv_csv_free(csv);

    memset(big, 'x', sizeof big);
    memcpy(big, "a\n", 2);
    big[sizeof big - 1] = '\n';
    write_file(big, sizeof big);
    csv = sv_csv_open(test_path(), NULL, &small, &err);
    assert_non_null(csv);
    assert_int_equal(sv_csv_next(csv, &nf, &err), SV_OK);
    assert_int_equal(sv_csv_next(csv, &nf, &err), SV_ERR_LIMIT);
    assert_int_equal(err.line, 2);
    sv_csv_free(csv);
}

/*
 * Issue 16, third pass: a record with a field over the limit is read to
 * its end, rejected with all its fields (the long one whole) and the
 * column named; the records after it are read as before.
 */
static void test_csv_long_field_record_kept(void **state)
{
    static const char bytes[] = "h1,h2,h3\n1,xxxxxxxxxxxx,\"y\nz\"\n"
                                "2,\"q\nqqqqqqqqqqqq\",w\n3,ok,ok\n";
    struct sv_csv_options small = {.max_field = 8};
    struct sv_error err;
    struct sv_csv *csv;
    size_t nf;

    (void)state;
    write_file(bytes, sizeof bytes - 1);
    csv = sv_csv_open(test_path(), "in.csv", &small, &err);
    assert_non_null(csv);
    assert_int_equal(sv_csv_next(csv, &nf, &err), SV_OK);
    for (unsigned long line = 2; line <= 4; line += 2) {
        assert_int_equal(sv_csv_next(csv, &nf, &err), SV_ERR_LIMIT);
        assert_true(sv_csv_resumable(csv));
        assert_int_equal(err.line, line);
        assert_string_equal(err.column, "h2");
        assert_string_equal(err.msg, "field longer than 8 bytes");
        assert_int_equal(sv_csv_nfields(csv), 3);
    }
    assert_string_equal(sv_csv_field(csv, 1), "q\nqqqqqqqqqqqq");
    assert_string_equal(sv_csv_field(csv, 2), "w");
    assert_int_equal(sv_csv_next(csv, &nf, &err), SV_OK);
    assert_int_equal(nf, 3);
    assert_string_equal(sv_csv_field(csv, 0), "3");
    assert_int_equal(sv_csv_line(csv), 6);
    sv_csv_free(csv);
}

static void test_csv_open_stream(void **state)
{
    FILE *fp = tmpfile();
    struct sv_csv *csv;
    char out[DUMP_MAX];

    (void)state;
    assert_non_null(fp);
    fputs("x;y\n1;2\n", fp);
    rewind(fp);
    csv = sv_csv_open_stream(fp, NULL, NULL, NULL);
    assert_non_null(csv);
    assert_string_equal(sv_csv_name(csv), "<stdin>");
    assert_int_equal(dump(csv, out, NULL), SV_OK);
    assert_string_equal(out, "1:x|y\n2:1|2\n");
    sv_csv_free(csv);
    /* the stream is not closed by sv_csv_free() */
    assert_int_equal(fclose(fp), 0);
}

/* --- the fast line splitter against libcsv itself ------------------------ */

struct ref {
    char *out;
    size_t o, rec_start;
    int nonempty, nf;
};

static void ref_field(void *s, size_t len, void *data)
{
    struct ref *r = data;

    if (r->nf++)
        dump_text(r->out, &r->o, "|", 1);
    dump_text(r->out, &r->o, s, len);
    r->nonempty |= len > 0;
}

static void ref_record(int c, void *data)
{
    struct ref *r = data;

    (void)c;
    if (!r->nonempty) /* an all-empty record is a blank line */
        r->o = r->rec_start;
    else if (r->o + 2 < DUMP_MAX)
        r->out[r->o++] = '\n';
    r->out[r->o] = '\0';
    r->rec_start = r->o;
    r->nonempty = r->nf = 0;
}

/* The records of DOC as libcsv alone splits them; -1 when it fails. */
static int ref_dump(const char *doc, size_t n, char *out)
{
    struct csv_parser p;
    struct ref r = {out, 0, 0, 0, 0};
    int bad;

    out[0] = '\0';
    assert_int_equal(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI), 0);
    bad = csv_parse(&p, doc, n, ref_field, ref_record, &r) != n ||
          csv_fini(&p, ref_field, ref_record, &r) != 0;
    csv_free(&p);
    return bad ? -1 : 0;
}

/* Like dump() without line numbers. */
static enum sv_status fields_dump(struct sv_csv *csv, char *out)
{
    size_t o = 0, nf;
    enum sv_status st;

    out[0] = '\0';
    while ((st = sv_csv_next(csv, &nf, NULL)) == SV_OK && nf > 0) {
        for (size_t i = 0; i < nf; i++) {
            if (i)
                dump_text(out, &o, "|", 1);
            dump_text(out, &o, sv_csv_field(csv, i), sv_csv_field_len(csv, i));
        }
        if (o + 2 < DUMP_MAX) {
            out[o++] = '\n';
            out[o] = '\0';
        }
    }
    return st;
}

/*
 * UTF-8 as RFC 3629 defines it, as the reader checks (issue 16): shortest
 * form only, no surrogates, nothing above U+10FFFF.
 */
static int ref_utf8(const unsigned char *s, size_t n)
{
    static const unsigned long min[5] = {0, 0, 0x80, 0x800, 0x10000};

    for (size_t i = 0; i < n;) {
        size_t k = s[i] < 0x80 ? 1 : s[i] < 0xC0 ? 0 : s[i] < 0xE0 ? 2
                 : s[i] < 0xF0 ? 3 : s[i] < 0xF8 ? 4 : 0;
        unsigned long cp;
        if (!k || i + k > n)
            return 0;
        cp = k == 1 ? s[i] : s[i] & (0x7Fu >> k);
        for (size_t j = 1; j < k; j++) {
            if ((s[i + j] & 0xC0) != 0x80)
                return 0;
            cp = cp << 6 | (s[i + j] & 0x3Fu);
        }
        if (cp < min[k] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += k;
    }
    return 1;
}

/*
 * Random documents of plain, spaced, quoted (with "", commas, CRLF and LF
 * inside), empty and malformed fields, LF and CRLF line ends: the reader,
 * which splits most lines itself, gives the records libcsv gives, and
 * fails where libcsv fails.
 */
static void test_csv_matches_libcsv(void **state)
{
    static const char *const tok[] = {
        "a", "满意", " b ", "\tc", "", "\"x,y\"", "\"q\"\"q\"", "\"\"",
        "\"m\nl\"", "\"m\r\nl\"", "较满意 ", "\"\"\"\"", "12345678901234567",
        "a\"b", "\"x\" ", " \"y\"", "\"z", "\"w,\"\",\"", ",", "  ",
        "\"满\"\"意\"", "\"较\"\"满意\"\"\"", "满意满意满意较满意",
        "x满意yé", "\xE6\xBB", "\xFF", "\xC0\x80", "\xF0\x9F\x98\x80",
        "\xC3\xA9\xC3\xA9", "\xED\xA0\x80", "\"\xE6,\"", "a\xE6\xBB\xA1\xE6",
        "\xE0\x80\xAF", "\xF4\x90\x80\x80", "\xED\x9F\xBF", "\xE0\xA0\x80",
        "\xE0\xA0\x80\xED\x9F\xBF"};
    static const struct sv_csv_options utf8 = {.encoding = SV_ENC_UTF8};
    uint32_t seed = 12345;
    char doc[2048], got[DUMP_MAX], want[DUMP_MAX];

    (void)state;
    for (int round = 0; round < 6000; round++) {
        size_t n = (size_t)snprintf(doc, sizeof doc, "h1,h2,h3\n");
        int lines = 1 + (int)((seed >> 16) % 12);
        struct sv_csv *csv;
        int ref;

        for (int l = 0; l < lines; l++) {
            int nf = 1 + (int)((seed >> 20) % 4);
            for (int f = 0; f < nf && n + 64 < sizeof doc; f++) {
                seed = seed * 1103515245u + 12345u;
                n += (size_t)snprintf(doc + n, sizeof doc - n, "%s%s",
                                      f ? "," : "", tok[(seed >> 16) % NELEM(tok)]);
            }
            seed = seed * 1103515245u + 12345u;
            n += (size_t)snprintf(doc + n, sizeof doc - n, "%s",
                                  (seed >> 16) % 3 ? "\n" : "\r\n");
        }
        write_file(doc, n);
        ref = ref_dump(doc, n, want);
        csv = sv_csv_open(test_path(), NULL, &utf8, NULL);
        assert_non_null(csv);
        if (fields_dump(csv, got) != SV_OK) {
            if (ref == 0 && ref_utf8((const unsigned char *)doc, n))
                fail_msg("round %d: reader failed, libcsv did not: %s", round,
                         doc);
        } else if (!ref_utf8((const unsigned char *)doc, n)) {
            fail_msg("round %d: invalid UTF-8 read: %s", round, doc);
        } else {
            if (ref != 0)
                fail_msg("round %d: libcsv failed, reader did not: %s", round,
                         doc);
            if (strcmp(got, want) != 0)
                fail_msg("round %d: %s\ngot:\n%s\nwant:\n%s", round, doc,
                         got, want);
        }
        sv_csv_free(csv);
    }
}

struct write_case {
    const char *in, *out;
};

static void test_csv_write_field(void **state)
{
    static const struct write_case w[] = {
        {"plain", "plain"},
        {"", ""},
        {"a,b", "\"a,b\""},
        {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {"two\nlines", "\"two\nlines\""},
        {"cr\r", "\"cr\r\""},
        {"满意", "满意"},
    };

    (void)state;
    for (size_t i = 0; i < NELEM(w); i++) {
        char buf[64] = "";
        FILE *fp = fmemopen(buf, sizeof buf, "w");
        assert_non_null(fp);
        sv_csv_write_field(fp, w[i].in);
        fclose(fp);
        assert_string_equal(buf, w[i].out);
    }
}

static void test_csv_encoding_parse(void **state)
{
    enum sv_encoding e;

    (void)state;
    assert_int_equal(sv_encoding_parse("auto", &e), SV_OK);
    assert_int_equal(e, SV_ENC_AUTO);
    assert_int_equal(sv_encoding_parse("utf-8", &e), SV_OK);
    assert_int_equal(e, SV_ENC_UTF8);
    assert_int_equal(sv_encoding_parse("UTF8", &e), SV_OK);
    assert_int_equal(e, SV_ENC_UTF8);
    assert_int_equal(sv_encoding_parse("gb18030", &e), SV_OK);
    assert_int_equal(e, SV_ENC_GB18030);
    assert_int_equal(sv_encoding_parse("GBK", &e), SV_OK);
    assert_int_equal(e, SV_ENC_GB18030);
    assert_int_equal(sv_encoding_parse("gb2312", &e), SV_OK);
    assert_int_equal(e, SV_ENC_GB18030);
    assert_int_equal(sv_encoding_parse("latin1", &e), SV_ERR_USAGE);
    assert_int_equal(sv_encoding_parse("", &e), SV_ERR_USAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_table),
        cmocka_unit_test(test_csv_delimiter_reported),
        cmocka_unit_test(test_csv_resumes_after_record_error),
        cmocka_unit_test(test_csv_rejected_record_fields),
        cmocka_unit_test(test_csv_gb18030_invalid_resumes),
        cmocka_unit_test(test_csv_gb18030),
        cmocka_unit_test(test_csv_block_boundaries),
        cmocka_unit_test(test_csv_zero_bytes),
        cmocka_unit_test(test_csv_field_accessors),
        cmocka_unit_test(test_csv_open_errors),
        cmocka_unit_test(test_csv_limits),
        cmocka_unit_test(test_csv_long_field_record_kept),
        cmocka_unit_test(test_csv_open_stream),
        cmocka_unit_test(test_csv_matches_libcsv),
        cmocka_unit_test(test_csv_write_field),
        cmocka_unit_test(test_csv_encoding_parse),
    };

    return cmocka_run_group_tests(tests, test_tmp_setup, test_tmp_teardown);
}
