/*
 * render-text.c — test helper: render-text PREFIX N < TEXT draws the UTF-8
 * TEXT through the charts text path, N characters to a PDF document of its
 * own (PREFIX-00001.pdf, ...), each with a space after it so that every
 * character has a box of its own: the N characters in regular weight on the
 * first line, in bold on the second (see tests/shell/glyphs.sh).
 *
 * Small documents because cairo subsets fonts per document: a character
 * whose subset is broken can be rescued by another glyph of a large subset
 * that happens to mark the subroutine it needs.
 */
#include <cairo-pdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart-internal.h"

#define SIZE 12.0
#define PITCH (SIZE * 1.9)
#define MARGIN 10.0

/* Length of the UTF-8 sequence starting with byte C. */
static size_t seq_len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

/* Copies up to N characters of TEXT (skipping blanks) into LINE, each
 * followed by a space; returns the bytes of TEXT consumed. */
static size_t take(const char *text, size_t len, size_t n, char *line)
{
    size_t i = 0, k = 0, used = 0, step;

    for (; k < n && i < len; i += step) {
        step = seq_len((unsigned char)text[i]);
        if (text[i] == '\n' || text[i] == ' ' || i + step > len)
            continue;
        memcpy(line + used, text + i, step);
        used += step;
        line[used++] = ' ';
        k++;
    }
    line[used] = '\0';
    return i;
}

static int write_doc(const char *path, const char *line, size_t n)
{
    struct sv_text_style st = {NULL, SIZE, SV_TEXT_REGULAR, 0, 0, 0};
    cairo_surface_t *s = cairo_pdf_surface_create(
        path, 2 * MARGIN + (double)n * SIZE * 1.4, 2 * MARGIN + 2 * PITCH);
    cairo_t *cr = cairo_create(s);
    int status;

    sv_chart_text_draw(cr, &st, line, MARGIN, MARGIN, 0, 0, 0, 0);
    st.weight = SV_TEXT_BOLD;
    sv_chart_text_draw(cr, &st, line, MARGIN, MARGIN + PITCH, 0, 0, 0, 0);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    status = cairo_surface_status(s) != CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(s);
    return status;
}

static char *read_all(FILE *f, size_t *len)
{
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap + 1), *bigger;

    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            bigger = realloc(buf, 2 * cap + 1);
            if (!bigger) {
                free(buf);
                return NULL;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    if (buf)
        buf[n] = '\0';
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    char path[4096], *line, *text;
    size_t len, i = 0, n, doc = 0;
    int status = 0;

    if (argc != 3 || (n = strtoul(argv[2], NULL, 10)) == 0 || n > 1000) {
        fprintf(stderr, "usage: render-text PREFIX N < TEXT\n");
        return 2;
    }
    text = read_all(stdin, &len);
    line = malloc(n * 5 + 1);
    if (!text || !line)
        return 1;
    while (i < len && status == 0) {
        i += take(text + i, len - i, n, line);
        if (!line[0])
            break;
        snprintf(path, sizeof path, "%s-%05zu.pdf", argv[1], ++doc);
        status = write_doc(path, line, n);
    }
    free(line);
    free(text);
    sv_chart_cleanup();
    return status;
}
