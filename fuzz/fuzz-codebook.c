/*
 * fuzz-codebook.c — libFuzzer harness for codebook loading and scale
 * parsing.  The whole input is loaded as a codebook CSV (through a memory
 * file, since sv_codebook_load takes a path); each of its lines is also
 * parsed as a scale cell and a few answers are coded on every scale.
 */
#include "fuzz-common.h"

static void try_scale(const char *spec)
{
    static const char *const answers[] = {"满意", "A", "5", "10", "是",
                                          " Ｂ ", "N/A", "很好", ""};
    struct sv_error err;
    struct sv_scale *s = sv_scale_parse(spec, &err);

    if (!s)
        return;
    for (size_t i = 0; i < sizeof answers / sizeof *answers; i++) {
        int code = sv_scale_code(s, answers[i], strlen(answers[i]));
        (void)sv_scale_label(s, code);
        (void)sv_scale_score(s, code);
        (void)sv_scale_sat(s, code);
    }
    for (int k = -1; k <= sv_scale_levels(s) + 1; k++)
        (void)sv_scale_label(s, k);
    sv_scale_free(s);
}

static void try_lines(const unsigned char *data, size_t size)
{
    char *buf = malloc(size + 1), *p, *nl;

    if (!buf)
        return;
    memcpy(buf, data, size);
    buf[size] = '\0';
    for (p = buf; p; p = nl) {
        nl = strchr(p, '\n');
        if (nl)
            *nl++ = '\0';
        try_scale(p);
    }
    free(buf);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    struct sv_error err;
    struct sv_codebook *cb;
    char path[64];
    int fd = fuzz_memfd((const char *)data, size, path, sizeof path);

    if (fd >= 0) {
        cb = sv_codebook_load(path, &err);
        if (cb) {
            struct sv_import *imp = sv_import_new(cb, 0, &err);
            for (size_t i = 0; i < sv_codebook_count(cb); i++)
                (void)sv_codebook_find(cb, sv_codebook_entry(cb, i)->column);
            sv_import_free(imp);
        }
        sv_codebook_free(cb);
        close(fd);
    }
    try_lines(data, size);
    return 0;
}
