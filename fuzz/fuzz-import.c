/*
 * fuzz-import.c — libFuzzer harness for the CSV reader, the import of raw
 * rows against a codebook, the stream writer, and the raw-to-cube path
 * with scoring.  Byte 0 picks the CSV options, byte 1 the codebook (a
 * questionnaire or a complaint register); the rest is the raw CSV.
 */
#include "fuzz-common.h"

/* tests/bad/in/cb.csv, so that the bad-input corpus serves as seeds */
static const char questionnaire[] =
    "column,role,scale,label\n"
    "date,date,,\n"
    "site,site,,\n"
    "building,group,,楼栋\n"
    "q1,dimension,abc3,保洁\n"
    "q2,dimension,likert5,绿化\n"
    "rec,nps,nps11,推荐\n"
    "complained,complaint,yesno,投诉\n"
    "comment,comment,,意见\n"
    "name,pii,,\n"
    "phone,pii,,\n";

/* data-samples/codebook-register.csv */
static const char complaints[] =
    "column,role,scale,label\n"
    "投诉编号,ignore,,\n"
    "受理时间,received,,受理时间\n"
    "房号,household,,房号\n"
    "管理处,site,,\n"
    "受理方式,group,,受理方式\n"
    "投诉类别,category,,投诉类别\n"
    "是否紧急,urgency,yesno,紧急\n"
    "完成时间,closed,,完成时间\n"
    "处理状态,status,,处理状态\n"
    "处理结果,comment,,处理结果\n"
    "投诉人,pii,,\n"
    "联系电话,pii,,\n";

static struct sv_codebook *books[2];

static void load_books(void)
{
    const char *text[2] = {questionnaire, complaints};
    char path[64];
    struct sv_error err;

    for (int i = 0; i < 2; i++) {
        int fd = fuzz_memfd(text[i], strlen(text[i]), path, sizeof path);
        books[i] = fd < 0 ? NULL : sv_codebook_load(path, &err);
        if (!books[i])
            abort();
        close(fd);
    }
}

static void import_all(const unsigned char *data, size_t size,
                       const struct sv_csv_options *o,
                       const struct sv_codebook *cb, enum sv_import_flags fl)
{
    struct sv_source_options so = {*o, NULL};
    struct sv_error err;
    struct sv_record rec;
    char *copy;
    FILE *in = fuzz_file(data, size, &copy), *out = fopen("/dev/null", "w");
    struct sv_source *src =
        in ? sv_source_open_stream(in, "fuzz", &so, &err) : NULL;
    struct sv_import *imp = sv_import_new(cb, fl, &err);
    size_t nf;

    if (src && imp && sv_import_header(imp, src, &err) == SV_OK) {
        sv_stream_write_header(imp, out);
        /* a record-level error is skipped, as survey-import --rejects does */
        for (;;) {
            enum sv_status st = sv_source_next(src, &nf, &err);
            if (st != SV_OK && sv_source_resumable(src))
                continue;
            if (st != SV_OK || !nf)
                break;
            if (sv_import_row(imp, src, &rec, &err) == SV_OK)
                sv_stream_write_record(imp, &rec, out);
        }
    }
    sv_import_free(imp);
    sv_source_free(src);
    if (in)
        fclose(in);
    fclose(out);
    free(copy);
}

static void cube_all(const unsigned char *data, size_t size,
                     const struct sv_csv_options *o,
                     const struct sv_codebook *cb, enum sv_import_flags fl)
{
    static const char *const dims[] = {"site", "period", "楼栋"};
    struct sv_error err;
    struct sv_score_options so;
    char *copy;
    FILE *in = fuzz_file(data, size, &copy);
    struct sv_csv *csv = in ? sv_csv_open_stream(in, "fuzz", o, &err) : NULL;
    struct sv_cube *cube = sv_cube_new(dims, 3, SV_PERIOD_QUARTER, &err);

    sv_score_options_init(&so);
    so.compare = so.sites = 1;
    if (csv && cube && sv_cube_read(cube, csv, cb, fl, &err) == SV_OK &&
        sv_cube_finish(cube, &err) == SV_OK) {
        sv_table_free(sv_cube_freq_table(cube, &err));
        sv_table_free(sv_score_table(cube, &so, &err));
        sv_table_free(sv_score_trend_table(cube, &err));
    }
    sv_cube_free(cube);
    sv_csv_free(csv);
    if (in)
        fclose(in);
    free(copy);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    struct sv_csv_options o;
    const struct sv_codebook *cb;
    enum sv_import_flags fl;

    if (!books[0])
        load_books();
    if (size < 2)
        return 0;
    o = fuzz_options(data[0]);
    cb = books[data[1] & 1];
    fl = (data[1] & 2) ? SV_IMPORT_IGNORE_UNKNOWN : 0;
    import_all(data + 2, size - 2, &o, cb, fl);
    if (!sv_codebook_is_register(cb))
        cube_all(data + 2, size - 2, &o, cb, fl);
    return 0;
}
