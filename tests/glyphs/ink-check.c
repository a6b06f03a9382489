/*
 * ink-check.c — test helper: ink-check STEXT DPI PAGE.pgm...
 *
 * STEXT is `mutool draw -F stext` of a PDF, the PGM files are its pages
 * rasterised at DPI by `pdftoppm -gray`.  For every character that is not
 * a space, looks for ink (a pixel darker than 192) in the box from its
 * origin to its advance and from 0.9 em above to 0.25 em below its
 * baseline.  Prints each character without ink and, per font, how many
 * characters were checked; exits 1 when one has no ink.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct page {
    int w, h;
    unsigned char *px;
};

struct font_count {
    char name[256];
    long checked, blank;
};

static int load_pgm(const char *path, struct page *p)
{
    FILE *f = fopen(path, "rb");
    int maxval;
    size_t n;

    if (!f)
        return -1;
    if (fscanf(f, "P5 %d %d %d", &p->w, &p->h, &maxval) != 3 ||
        maxval != 255 || fgetc(f) == EOF || p->w <= 0 || p->h <= 0) {
        fclose(f);
        return -1;
    }
    n = (size_t)p->w * (size_t)p->h;
    p->px = malloc(n);
    if (!p->px || fread(p->px, 1, n, f) != n) {
        fclose(f);
        return -1;
    }
    fclose(f);
    return 0;
}

static int has_ink(const struct page *p, double x0, double y0, double x1,
                   double y1)
{
    int ix0 = (int)x0, iy0 = (int)y0, ix1 = (int)(x1 + 0.999),
        iy1 = (int)(y1 + 0.999), x, y;

    if (ix0 < 0)
        ix0 = 0;
    if (iy0 < 0)
        iy0 = 0;
    if (ix1 > p->w)
        ix1 = p->w;
    if (iy1 > p->h)
        iy1 = p->h;
    for (y = iy0; y < iy1; y++)
        for (x = ix0; x < ix1; x++)
            if (p->px[(size_t)y * (size_t)p->w + (size_t)x] < 192)
                return 1;
    return 0;
}

/* Copies attribute NAME of the element in LINE into OUT; 0 if absent. */
static int attr(const char *line, const char *name, char *out, size_t cap)
{
    char key[32];
    const char *s, *e;

    snprintf(key, sizeof key, " %s=\"", name);
    s = strstr(line, key);
    if (!s)
        return 0;
    s += strlen(key);
    e = strchr(s, '"');
    if (!e || (size_t)(e - s) >= cap)
        return 0;
    memcpy(out, s, (size_t)(e - s));
    out[e - s] = '\0';
    return 1;
}

static struct font_count *count_for(struct font_count *fc, int *nfc,
                                    const char *name)
{
    int i;

    for (i = 0; i < *nfc; i++)
        if (strcmp(fc[i].name, name) == 0)
            return &fc[i];
    if (*nfc == 16)
        return &fc[15];
    snprintf(fc[*nfc].name, sizeof fc[*nfc].name, "%s", name);
    return &fc[(*nfc)++];
}

int main(int argc, char **argv)
{
    struct font_count fc[16] = {{{0}, 0, 0}};
    struct page *pages;
    char line[4096], font[256] = "?", v[256], c[64];
    struct font_count *n;
    double scale, size = 12, q[8], x, y;
    int npages, page = -1, nfc = 0, i, bad = 0;
    FILE *f;

    if (argc < 4)
        return 2;
    scale = strtod(argv[2], NULL) / 72.0;
    npages = argc - 3;
    pages = calloc((size_t)npages, sizeof *pages);
    for (i = 0; pages && i < npages; i++)
        if (load_pgm(argv[3 + i], &pages[i]) != 0) {
            fprintf(stderr, "ink-check: cannot read %s\n", argv[3 + i]);
            return 2;
        }
    f = fopen(argv[1], "r");
    if (!f || !pages)
        return 2;
    while (fgets(line, sizeof line, f)) {
        if (strstr(line, "<page ")) {
            page++;
        } else if (strstr(line, "<font ")) {
            if (attr(line, "name", v, sizeof v))
                snprintf(font, sizeof font, "%s", v);
            if (attr(line, "size", v, sizeof v))
                size = strtod(v, NULL);
        } else if (strstr(line, "<char ") && page >= 0 && page < npages) {
            if (!attr(line, "quad", v, sizeof v) ||
                sscanf(v, "%lf %lf %lf %lf %lf %lf %lf %lf", &q[0], &q[1],
                       &q[2], &q[3], &q[4], &q[5], &q[6], &q[7]) != 8 ||
                !attr(line, "y", v, sizeof v) || !attr(line, "c", c, sizeof c))
                continue;
            if (strcmp(c, " ") == 0)
                continue;
            y = strtod(v, NULL);
            x = q[0];
            n = count_for(fc, &nfc, font);
            n->checked++;
            if (!has_ink(&pages[page], x * scale, (y - 0.9 * size) * scale,
                         q[2] * scale, (y + 0.25 * size) * scale)) {
                n->blank++;
                bad = 1;
                printf("no ink: %s in %s, page %d at %.1f,%.1f\n", c, font,
                       page + 1, x, y);
            }
        }
    }
    fclose(f);
    for (i = 0; i < nfc; i++)
        printf("%s: %ld characters, %ld without ink\n", fc[i].name,
               fc[i].checked, fc[i].blank);
    for (i = 0; i < npages; i++)
        free(pages[i].px);
    free(pages);
    return bad;
}
