/*
 * fuzz-cube.c — libFuzzer harness for the cube reader (sv_cube_read on
 * normalised streams and cubes, without a codebook) and everything that
 * is computed from a cube: frequency, score and trend tables.  Byte 0
 * picks the CSV options, byte 1 the grouping keys and the period.
 */
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static const char *const keys[] = {"site", "period", "楼栋", "item"};
    struct sv_csv_options o;
    struct sv_score_options so;
    struct sv_error err;
    struct sv_cube *cube;
    struct sv_csv *csv = NULL;
    char *copy;
    FILE *in;
    size_t ndims;

    if (size < 2)
        return 0;
    o = fuzz_options(data[0]);
    o.max_field = o.max_fields = 0;
    ndims = data[1] % 5;
    cube = sv_cube_new(keys, ndims, (enum sv_period)((data[1] >> 3) % 4 + 1),
                       &err);
    in = fuzz_file(data + 2, size - 2, &copy);
    if (in)
        csv = sv_csv_open_stream(in, "fuzz", &o, &err);
    sv_score_options_init(&so);
    so.compare = data[1] >> 5 & 1;
    so.sites = data[1] >> 6 & 1;
    if (cube && csv && sv_cube_read(cube, csv, NULL, 0, &err) == SV_OK &&
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
    return 0;
}
