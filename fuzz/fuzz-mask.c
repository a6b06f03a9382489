/*
 * fuzz-mask.c — libFuzzer harness for masking personal data in comments
 * (sv_mask_pii) and counting their common opinions.  The input is one
 * comment; the masked text must never be longer than the input, masking
 * must fail cleanly when the output buffer is too small, and the masked
 * text is counted as the report counts it (themes, words and phrases).
 */
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    char *in = malloc(size + 1), *out = malloc(size + 1);
    struct sv_opinions *o = sv_opinions_new(NULL);
    struct sv_words *w = sv_words_new(NULL);
    size_t n;

    if (!in || !out || !o || !w)
        goto done;
    memcpy(in, data, size);
    in[size] = '\0';
    n = sv_mask_pii(in, out, size + 1);
    if (n == (size_t)-1 || n > strlen(in) || strlen(out) != n)
        abort();
    (void)sv_mask_pii(in, out, size / 2 + 1);
    (void)sv_opinions_add(o, out, NULL);
    (void)sv_words_add(w, out, NULL);
done:
    sv_words_free(w);
    sv_opinions_free(o);
    free(in);
    free(out);
    return 0;
}
