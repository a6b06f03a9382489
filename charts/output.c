/*
 * output.c — the only place that creates PNG, PDF and SVG surfaces and
 * knows file names (layer 3).  Files are rendered into memory, then
 * written to a temporary file in the target's folder and renamed into
 * place, so a reader never sees half a file.
 */
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "chart-cairo.h"
#include "chart-internal.h"
#include "survey.h"

struct membuf {
    unsigned char *data;
    size_t len, cap;
    int failed;
};

static cairo_status_t mem_write(void *closure, const unsigned char *data,
                                unsigned int length)
{
    struct membuf *m = closure;

    if (m->len + length > m->cap) {
        size_t cap = m->cap ? m->cap : 65536;
        unsigned char *p;
        while (cap < m->len + length)
            cap *= 2;
        p = realloc(m->data, cap);
        if (!p) {
            m->failed = 1;
            return CAIRO_STATUS_WRITE_ERROR;
        }
        m->data = p;
        m->cap = cap;
    }
    memcpy(m->data + m->len, data, length);
    m->len += length;
    return CAIRO_STATUS_SUCCESS;
}

enum sv_chart_format sv_chart_format_from_path(const char *path)
{
    const char *dot = path ? strrchr(path, '.') : NULL;

    if (!dot || strchr(dot, '/'))
        return SV_FORMAT_AUTO;
    if (strcasecmp(dot, ".png") == 0)
        return SV_FORMAT_PNG;
    if (strcasecmp(dot, ".pdf") == 0)
        return SV_FORMAT_PDF;
    if (strcasecmp(dot, ".svg") == 0)
        return SV_FORMAT_SVG;
    return SV_FORMAT_AUTO;
}

/*
 * cairo 1.16 numbers SVG surfaces from a process-wide counter, so a second
 * chart drawn by the same process gets other ids.  Renumber "surfaceN" in
 * order of first appearance to make the bytes depend on the chart only.
 */
static int svg_renumber(struct membuf *m)
{
    static const char key[] = "surface";
    const size_t klen = sizeof key - 1;
    struct membuf out = {0};
    long *seen = NULL;
    size_t nseen = 0, i = 0;

    while (i < m->len) {
        size_t j = i + klen, k;
        long id = 0;
        char num[32];
        if (i + klen < m->len && memcmp(m->data + i, key, klen) == 0
            && isdigit(m->data[j])) {
            for (; j < m->len && isdigit(m->data[j]) && id < 100000000; j++)
                id = id * 10 + (m->data[j] - '0');
            for (k = 0; k < nseen && seen[k] != id; k++)
                ;
            if (k == nseen) {
                long *p = realloc(seen, (nseen + 1) * sizeof *p);
                if (!p)
                    goto nomem;
                seen = p;
                seen[nseen++] = id;
            }
            snprintf(num, sizeof num, "%s%zu", key, k + 1);
            if (mem_write(&out, (const unsigned char *)num,
                          (unsigned)strlen(num)))
                goto nomem;
            i = j;
            continue;
        }
        if (mem_write(&out, m->data + i, 1))
            goto nomem;
        i++;
    }
    free(seen);
    free(m->data);
    *m = out;
    return 0;
nomem:
    free(seen);
    free(out.data);
    return -1;
}

/*
 * Writes M to PATH through a temporary file beside the file PATH names
 * (a device or FIFO is written in place; see sv_outfile_open).
 */
static int write_atomic(const char *path, const struct membuf *m,
                        struct sv_error *err)
{
    struct sv_outfile f;
    struct sv_error oe;
    size_t off = 0;
    int e = 0;

    if (sv_outfile_open(&f, path, &oe) != SV_OK)
        return sv_chart_fail(err, SV_CHART_EIO, "'%s': %s", path,
                             oe.msg);
    while (off < m->len && !e) {
        ssize_t n = write(f.fd, m->data + off, m->len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            e = n < 0 ? errno : EIO;
        else
            off += (size_t)n;
    }
    if (close(f.fd) != 0 && !e)
        e = errno;
    if (e) {
        sv_outfile_abort(&f);
        return sv_chart_fail(err, SV_CHART_EIO, "'%s': %s", path,
                             strerror(e));
    }
    if (sv_outfile_commit(&f, path, &oe) != SV_OK)
        return sv_chart_fail(err, SV_CHART_EIO, "'%s': %s", path,
                             oe.msg);
    return SV_CHART_OK;
}

/* Fixes the PDF creation date: SOURCE_DATE_EPOCH, or none at all. */
static void pdf_metadata(cairo_surface_t *s, const char *title)
{
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    char date[32] = "";

    if (epoch && *epoch) {
        char *end;
        long long t = strtoll(epoch, &end, 10);
        struct tm tm;
        time_t tt = (time_t)t;
        if (*end == '\0' && t >= 0 && gmtime_r(&tt, &tm))
            strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    /* An empty date makes cairo 1.16 omit /CreationDate, which it would
       otherwise set to the current time. */
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, date);
    if (title)
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
}

static cairo_surface_t *make_surface(enum sv_chart_format fmt, double w,
                                     double h, struct membuf *m,
                                     const char *title)
{
    cairo_surface_t *s;

    switch (fmt) {
    case SV_FORMAT_PNG:
        return cairo_image_surface_create(
            CAIRO_FORMAT_RGB24, (int)(w * SV_CHART_PNG_SCALE + 0.5),
            (int)(h * SV_CHART_PNG_SCALE + 0.5));
    case SV_FORMAT_PDF:
        s = cairo_pdf_surface_create_for_stream(mem_write, m, w, h);
        if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS)
            pdf_metadata(s, title);
        return s;
    default:
        s = cairo_svg_surface_create_for_stream(mem_write, m, w, h);
        if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS)
            cairo_svg_surface_restrict_to_version(s, CAIRO_SVG_VERSION_1_1);
        return s;
    }
}

/* Draws every page on S; returns a status. */
static int draw_pages(cairo_surface_t *s, enum sv_chart_format fmt, double w,
                      double h, int npages, sv_chart_page_fn fn, void *ctx,
                      struct sv_error *err)
{
    cairo_t *cr = cairo_create(s);
    int rc = SV_CHART_OK, p;

    if (fmt == SV_FORMAT_PNG)
        cairo_scale(cr, SV_CHART_PNG_SCALE, SV_CHART_PNG_SCALE);
    for (p = 0; p < npages && rc == SV_CHART_OK; p++) {
        cairo_save(cr);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
        cairo_restore(cr);
        rc = fn(ctx, cr, p, w, h, err);
        if (rc == SV_CHART_OK && fmt == SV_FORMAT_PDF)
            cairo_show_page(cr);
        if (rc == SV_CHART_OK && cairo_status(cr) != CAIRO_STATUS_SUCCESS)
            rc = sv_chart_fail(err, SV_CHART_ECAIRO,
                               "drawing failed: %s",
                               cairo_status_to_string(cairo_status(cr)));
    }
    cairo_destroy(cr);
    return rc;
}

int sv_chart_output(const char *path, enum sv_chart_format fmt,
                    const char *title, double w, double h, int npages,
                    sv_chart_page_fn fn, void *ctx, struct sv_error *err)
{
    struct membuf m = {0};
    cairo_surface_t *s;
    cairo_status_t st;
    int rc;

    if (fmt == SV_FORMAT_AUTO)
        fmt = sv_chart_format_from_path(path);
    if (fmt == SV_FORMAT_AUTO)
        return sv_chart_fail(err, SV_CHART_EINVAL,
                             "'%s': unknown output format (expected .png, "
                             ".pdf or .svg)", path);
    if (!(w >= 1 && h >= 1 && w <= 20000 && h <= 20000) || npages < 1
        || (npages > 1 && fmt != SV_FORMAT_PDF))
        return sv_chart_fail(err, SV_CHART_EINVAL,
                             "invalid page size or count");
    s = make_surface(fmt, w, h, &m, title);
    rc = draw_pages(s, fmt, w, h, npages, fn, ctx, err);
    if (fmt == SV_FORMAT_PNG && rc == SV_CHART_OK) {
        cairo_surface_flush(s);
        st = cairo_surface_write_to_png_stream(s, mem_write, &m);
    } else {
        cairo_surface_finish(s);
        st = cairo_surface_status(s);
    }
    cairo_surface_destroy(s);
    if (rc == SV_CHART_OK && (st != CAIRO_STATUS_SUCCESS || m.failed))
        rc = sv_chart_fail(err, m.failed ? SV_CHART_ENOMEM
                                                    : SV_CHART_ECAIRO,
                           "'%s': %s", path,
                           m.failed ? "out of memory"
                                    : cairo_status_to_string(st));
    if (rc == SV_CHART_OK && fmt == SV_FORMAT_SVG && svg_renumber(&m) != 0)
        rc = sv_chart_fail(err, SV_CHART_ENOMEM, "out of memory");
    if (rc == SV_CHART_OK)
        rc = write_atomic(path, &m, err);
    free(m.data);
    return rc;
}

struct chart_page {
    const struct sv_chart *chart;
};

static int chart_page(void *ctx, cairo_t *cr, int page, double w, double h,
                      struct sv_error *err)
{
    const struct chart_page *cp = ctx;

    (void)page;
    return sv_chart_draw(cp->chart, cr, 0, 0, w, h, err);
}

int sv_chart_write(const struct sv_chart *chart, const char *path,
                   enum sv_chart_format fmt, double w, double h,
                   struct sv_error *err)
{
    struct chart_page cp = {chart};
    int rc = sv_chart_validate(chart, err);

    if (rc != SV_CHART_OK)
        return rc;
    return sv_chart_output(path, fmt, chart->title, w, h, 1, chart_page, &cp,
                           err);
}
