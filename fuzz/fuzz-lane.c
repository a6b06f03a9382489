/*
 * fuzz-lane.c — libFuzzer harness comparing the raw path's fast lane
 * (libsurvey/cube-lane.c) with the ordinary path.  The input's lines
 * follow a header and warm-up lines that teach the lane every site, date
 * and answer; the file is counted with the lane and without, and any
 * difference in status, message or frequency table aborts.  Byte 0 picks
 * the grouping (site, site x month, month) and the CSV options; its top
 * bit reads the input as a normalised stream after a stream's warm-up.
 */
#include "fuzz-common.h"

#include "cube-internal.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

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

static const char warm[] =
    "序号,日期,管理处,楼栋,电话,保洁,绿化,总体,投诉,重复,意见\n"
    "1,2026-01-05,东区,1栋,138,满意,较满意,满意,否,否,\n"
    "2,2026-02-07,西区,2栋,139,不满意,满意,较满意,是,否,好\n"
    "3,2026-01-05,西区,1栋,137,较满意,不满意,不满意,是,是,\n"
    "4,2026-02-07,东区,,,满意,满意,,否,否,\n";

static const char stream_warm[] =
    "date,month,quarter,half,year,site,楼栋,保洁{dimension:abc3},"
    "总体{overall:abc3},投诉{complaint:yesno},意见{comment}\n"
    "2026-01-05,2026-01,2026Q1,2026H1,2026,东区,1栋,3,2,0,\n"
    "2026-02-07,2026-02,2026Q1,2026H1,2026,西区,2栋,1,3,1,好\n"
    "2026-05-07,2026-05,2026Q2,2026H1,2026,西区,,2,,,\n";

static struct sv_codebook *cb;

static struct sv_codebook *load_codebook(void)
{
    char path[64];
    int fd = fuzz_memfd(codebook, sizeof codebook - 1, path, sizeof path);
    struct sv_codebook *c;

    if (fd < 0)
        abort();
    c = sv_codebook_load(path, NULL);
    close(fd);
    if (!c)
        abort();
    return c;
}

struct run {
    enum sv_status st;
    struct sv_error err;
    char *freq;
};

static struct run count(const char *text, size_t n, unsigned char pick,
                        int lane)
{
    static const char *const dims[][2] = {
        {"site", NULL}, {"site", "period"}, {"period", NULL}};
    size_t d = pick % 3, len = 0;
    struct sv_source_options o = {0};
    struct sv_csv_options co = fuzz_options((unsigned char)(pick / 3 & 0x3F));
    struct run r = {SV_OK, {0}, NULL};
    struct sv_cube *c = sv_cube_new(dims[d], d == 1 ? 2 : 1, SV_PERIOD_MONTH,
                                    &r.err);
    FILE *fp = fmemopen((void *)text, n, "r");
    struct sv_source *src = NULL;
    struct sv_csv *csv = NULL;

    if (!c || !fp)
        abort();
    o.csv = co;
    sv_cube_use_lane(c, lane);
    if (pick & 0x80) {
        csv = sv_csv_open_stream(fp, "f.csv", &co, &r.err);
        r.st = csv ? sv_cube_read(c, csv, NULL, 0, &r.err) : r.err.code;
    } else {
        src = sv_source_open_stream(fp, "f.csv", &o, &r.err);
        r.st = src ? sv_cube_read_raw(c, src, cb, 0, &r.err) : r.err.code;
    }
    if ((src || csv) && r.st == SV_OK &&
        (r.st = sv_cube_finish(c, &r.err)) == SV_OK) {
        FILE *out = open_memstream(&r.freq, &len);
        if (!out || sv_cube_write_freq(c, SV_FORMAT_CSV, SV_HEADER_EN, out,
                                       &r.err) != SV_OK)
            abort();
        fclose(out);
    }
    sv_source_free(src);
    sv_csv_free(csv);
    fclose(fp);
    sv_cube_free(c);
    return r;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    struct run a, b;
    const char *head;
    char *text;
    size_t n, hn;

    if (size < 1)
        return 0;
    if (!cb)
        cb = load_codebook();
    head = data[0] & 0x80 ? stream_warm : warm;
    hn = strlen(head);
    n = hn + size - 1;
    if (!(text = malloc(n + 1)))
        return 0;
    memcpy(text, head, hn);
    memcpy(text + hn, data + 1, size - 1);
    a = count(text, n, data[0], 1);
    b = count(text, n, data[0], 0);
    if (a.st != b.st || strcmp(a.err.msg, b.err.msg) != 0 ||
        (a.st && (a.err.line != b.err.line ||
                  strcmp(a.err.column, b.err.column) != 0)) ||
        ((a.freq || b.freq) &&
         (!a.freq || !b.freq || strcmp(a.freq, b.freq) != 0))) {
        fprintf(stderr, "lane: %d %lu [%s] %s\nordinary: %d %lu [%s] %s\n",
                a.st, a.err.line, a.err.column, a.err.msg, b.st, b.err.line,
                b.err.column, b.err.msg);
        abort();
    }
    free(a.freq);
    free(b.freq);
    free(text);
    return 0;
}
