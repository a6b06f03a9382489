/*
 * test_source.c — unit tests of libsurvey/source.c, the record-source
 * interface: CSV read through it from a file, a pipe, a byte range and a
 * borrowed sv_csv, with the location of every record (name, line); the
 * content sniffing that picks the format; and the open errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "survey.h"

#include "testutil.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define DUMP_MAX 1024

/*
 * Reads every record of SRC into "LINE:field|field\n" lines (a newline
 * or CR inside a field shown as \n, \r), checking each length against strlen.
 */
static void dump(struct sv_source *src, char *out)
{
    struct sv_error err;
    size_t nf, o = 0;

    out[0] = '\0';
    while (sv_source_next(src, &nf, &err) == SV_OK && nf > 0) {
        assert_int_equal(sv_source_nfields(src), nf);
        o += (size_t)snprintf(out + o, DUMP_MAX - o, "%lu:",
                              sv_source_line(src));
        for (size_t i = 0; i < nf; i++) {
            const char *f = sv_source_field(src, i);
            assert_int_equal(sv_source_field_len(src, i), strlen(f));
            for (; *f && o + 4 < DUMP_MAX; f++)
                o += (size_t)snprintf(out + o, DUMP_MAX - o, "%s",
                                      *f == '\n'   ? "\\n"
                                      : *f == '\r' ? "\\r"
                                                   : (char[]){*f, 0});
            o += (size_t)snprintf(out + o, DUMP_MAX - o, "%s",
                                  i + 1 < nf ? "|" : "\n");
        }
        /* past the last field: empty, never out of bounds */
        assert_string_equal(sv_source_field(src, nf), "");
        assert_int_equal(sv_source_field_len(src, nf), 0);
    }
    assert_int_equal(sv_source_next(src, &nf, &err), SV_OK);
    assert_int_equal(nf, 0);
}

/* A header, a quoted field over two lines, a blank line, CRLF ends. */
static const char text[] = "\xEF\xBB\xBF"
                           "id;管理处;意见\r\n"
                           "1;翠湖;\"好\r\n很好\"\r\n"
                           "\r\n"
                           "2;\"a;b\";\r\n"
                           "3;绿城;x\r\n";
static const char want[] = "1:id|管理处|意见\n"
                           "2:1|翠湖|好\\r\\n很好\n"
                           "5:2|a;b|\n"
                           "6:3|绿城|x\n";

static void test_source_csv_file(void **state)
{
    char out[DUMP_MAX];
    struct sv_error err;
    struct sv_source *src;

    (void)state;
    write_file(text, sizeof text - 1);
    src = sv_source_open(test_path(), "in.csv", NULL, &err);
    assert_non_null(src);
    assert_int_equal(sv_source_kind(src), SV_SOURCE_CSV);
    assert_int_equal(sv_source_encoding(src), SV_ENC_UTF8);
    assert_int_equal(sv_source_delimiter(src), ';');
    assert_string_equal(sv_source_name(src), "in.csv");
    assert_int_equal(sv_source_line(src), 0);
    dump(src, out);
    assert_string_equal(out, want);
    sv_source_free(src);

    /* the name defaults to the path */
    src = sv_source_open(test_path(), NULL, NULL, &err);
    assert_non_null(src);
    assert_string_equal(sv_source_name(src), test_path());
    sv_source_free(src);
}

/* A stream that cannot seek back: the sniffed bytes are handed out again. */
static void test_source_csv_pipe(void **state)
{
    char out[DUMP_MAX];
    struct sv_error err;
    struct sv_source *src;
    int fd[2];
    FILE *fp;

    (void)state;
    assert_int_equal(pipe(fd), 0);
    assert_int_equal(write(fd[1], text, sizeof text - 1),
                     (ssize_t)(sizeof text - 1));
    close(fd[1]);
    fp = fdopen(fd[0], "rb");
    assert_non_null(fp);
    src = sv_source_open_stream(fp, NULL, NULL, &err);
    assert_non_null(src);
    assert_string_equal(sv_source_name(src), "<stdin>");
    dump(src, out);
    assert_string_equal(out, want);
    sv_source_free(src);
    /* not closed by sv_source_free() */
    assert_int_equal(fclose(fp), 0);
}

/* Fewer bytes than the sniffer looks at, through a pipe and a file. */
static void test_source_short_inputs(void **state)
{
    static const char *const tiny[] = {"a\n", "a", "PK", ""};
    char out[DUMP_MAX];
    struct sv_error err;
    struct sv_source *src;

    (void)state;
    for (size_t k = 0; k < NELEM(tiny); k++) {
        int fd[2];
        FILE *fp;
        size_t n = strlen(tiny[k]);

        assert_int_equal(pipe(fd), 0);
        assert_int_equal(write(fd[1], tiny[k], n), (ssize_t)n);
        close(fd[1]);
        fp = fdopen(fd[0], "rb");
        src = sv_source_open_stream(fp, "p", NULL, &err);
        assert_non_null(src);
        dump(src, out);
        if (n)
            assert_int_equal(out[0], '1');
        else
            assert_string_equal(out, "");
        sv_source_free(src);
        fclose(fp);
        write_file(tiny[k], n);
        src = sv_source_open(test_path(), NULL, NULL, &err);
        assert_non_null(src);
        dump(src, out);
        assert_int_equal(strlen(out) > 0, n > 0);
        sv_source_free(src);
    }
}

static void test_source_gb18030(void **state)
{
    /* "管理处,得分\n翠湖,满意\n" in GB18030 */
    static const char gb[] = "\xB9\xDC\xC0\xED\xB4\xA6,\xB5\xC3\xB7\xD6\n"
                             "\xB4\xE4\xBA\xFE,\xC2\xFA\xD2\xE2\n";
    char out[DUMP_MAX];
    struct sv_error err;
    struct sv_source *src;

    (void)state;
    write_file(gb, sizeof gb - 1);
    src = sv_source_open(test_path(), "gb.csv", NULL, &err);
    assert_non_null(src);
    assert_int_equal(sv_source_encoding(src), SV_ENC_GB18030);
    dump(src, out);
    assert_string_equal(out, "1:管理处|得分\n2:翠湖|满意\n");
    sv_source_free(src);
}

/* Errors carry the source's name and the line where the record starts. */
static void test_source_errors(void **state)
{
    static const char bad[] = "a,b\n1,2\n3,\"x\ny\n";
    struct sv_error err;
    struct sv_source *src;
    size_t nf;

    (void)state;
    write_file(bad, sizeof bad - 1);
    src = sv_source_open(test_path(), "bad.csv", NULL, &err);
    assert_non_null(src);
    assert_int_equal(sv_source_next(src, &nf, &err), SV_OK);
    assert_int_equal(sv_source_next(src, &nf, &err), SV_OK);
    assert_int_equal(sv_source_line(src), 2);
    assert_int_equal(sv_source_next(src, &nf, &err), SV_ERR_DATA);
    assert_int_equal(nf, 0);
    assert_string_equal(err.file, "bad.csv");
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.msg, "unterminated"));
    sv_source_free(src);

    assert_null(sv_source_open(test_dir(), "dir", NULL, &err));
    assert_int_equal(err.code, SV_ERR_IO);
    assert_string_equal(err.file, "dir");
    assert_string_equal(err.msg, "is a directory");
    unlink(test_path());
    assert_null(sv_source_open(test_path(), "gone.csv", NULL, &err));
    assert_int_equal(err.code, SV_ERR_IO);
    assert_string_equal(err.file, "gone.csv");
    assert_non_null(strstr(err.msg, "cannot open"));
    assert_null(sv_source_open(test_path(), NULL, NULL, NULL));
    sv_source_free(NULL);
}

static void test_source_sniff(void **state)
{
    static const unsigned char zip[] = "PK\x03\x04\x14\x00";
    struct sv_error err;

    (void)state;
    assert_int_equal(sv_source_sniff(zip, 6), SV_SOURCE_XLSX);
    assert_int_equal(sv_source_sniff(zip, 4), SV_SOURCE_XLSX);
    assert_int_equal(sv_source_sniff(zip, 3), SV_SOURCE_CSV);
    assert_int_equal(sv_source_sniff((const unsigned char *)"PK,x\n", 5),
                     SV_SOURCE_CSV);
    assert_int_equal(sv_source_sniff((const unsigned char *)"", 0),
                     SV_SOURCE_CSV);
    /* a workbook is recognised by content whatever its name */
    write_file((const char *)zip, 6);
    assert_null(sv_source_open(test_path(), "book.csv", NULL, &err));
    assert_string_equal(err.file, "book.csv");
    assert_non_null(strstr(err.msg, "not a readable workbook"));
    /* ... and cannot be cut into byte ranges */
    assert_null(sv_source_open_range(test_path(), NULL, 0, 6, &err));
    assert_int_equal(err.code, SV_ERR_USAGE);
}

static void test_source_range(void **state)
{
    static const char rows[] = "a,b\n1,x\n2,y\n3,z\n";
    char out[DUMP_MAX];
    struct sv_error err;
    struct sv_source *src;

    (void)state;
    write_file(rows, sizeof rows - 1);
    /* the second and third rows: lines count from the range's start */
    src = sv_source_open_range(test_path(), NULL, 4, 12, &err);
    assert_non_null(src);
    assert_string_equal(sv_source_name(src), test_path());
    dump(src, out);
    assert_string_equal(out, "1:1|x\n2:2|y\n");
    sv_source_free(src);
}

static void test_source_from_csv(void **state)
{
    char out[DUMP_MAX];
    struct sv_error err;
    struct sv_csv *csv;
    struct sv_source *src;
    size_t nf;

    (void)state;
    write_file(text, sizeof text - 1);
    csv = sv_csv_open(test_path(), "c.csv", NULL, &err);
    assert_non_null(csv);
    assert_int_equal(sv_csv_next(csv, &nf, &err), SV_OK); /* the header */
    src = sv_source_from_csv(csv, &err);
    assert_non_null(src);
    assert_string_equal(sv_source_name(src), "c.csv");
    assert_int_equal(sv_source_delimiter(src), ';');
    dump(src, out);
    assert_string_equal(out, "2:1|翠湖|好\\r\\n很好\n5:2|a;b|\n6:3|绿城|x\n");
    sv_source_free(src);
    /* borrowed: still open, at its end */
    assert_int_equal(sv_csv_next(csv, &nf, &err), SV_OK);
    assert_int_equal(nf, 0);
    sv_csv_free(csv);
}

static void test_source_progress(void **state)
{
    struct sv_error err;
    struct sv_source *src;
    uint64_t done, total;
    char out[DUMP_MAX];

    (void)state;
    write_file(text, sizeof text - 1);
    src = sv_source_open(test_path(), NULL, NULL, &err);
    assert_non_null(src);
    dump(src, out);
    sv_source_progress(src, &done, &total);
    assert_int_equal(done, sizeof text - 1);
    assert_int_equal(total, sizeof text - 1);
    sv_source_free(src);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_source_csv_file),
        cmocka_unit_test(test_source_csv_pipe),
        cmocka_unit_test(test_source_short_inputs),
        cmocka_unit_test(test_source_gb18030),
        cmocka_unit_test(test_source_errors),
        cmocka_unit_test(test_source_sniff),
        cmocka_unit_test(test_source_range),
        cmocka_unit_test(test_source_from_csv),
        cmocka_unit_test(test_source_progress),
    };

    return cmocka_run_group_tests(tests, test_tmp_setup, test_tmp_teardown);
}
