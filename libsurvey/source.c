/*
 * source.c — record sources: one interface over the raw-file formats.
 *
 * The generic layer opens the input, looks at its first bytes to choose
 * the format (the only place that knows which formats exist: open_kind())
 * and forwards records; each format's reader fills the current record of
 * struct sv_source (internal.h).  CSV is read by csv-reader.c.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "internal.h"

#define SNIFF_BYTES 4

enum sv_source_kind sv_source_sniff(const unsigned char *head, size_t n)
{
    /* a zip archive, or a compound file (an encrypted workbook, an .xls) */
    if (n >= 4 && (memcmp(head, "PK\x03\x04", 4) == 0 ||
                   memcmp(head, "\xD0\xCF\x11\xE0", 4) == 0))
        return SV_SOURCE_XLSX;
    return SV_SOURCE_CSV;
}

/* --- reading the first bytes of a stream that cannot seek back -------- */

struct head_stream {
    FILE *real;
    unsigned char head[SNIFF_BYTES];
    size_t n, pos;
};

static ssize_t head_read(void *cookie, char *buf, size_t size)
{
    struct head_stream *h = cookie;
    size_t r;

    if (h->pos < h->n) {
        r = h->n - h->pos < size ? h->n - h->pos : size;
        memcpy(buf, h->head + h->pos, r);
        h->pos += r;
        return (ssize_t)r;
    }
    r = fread(buf, 1, size, h->real);
    return r == 0 && ferror(h->real) ? -1 : (ssize_t)r;
}

static int head_close(void *cookie)
{
    free(cookie);
    return 0;
}

/*
 * Reads the first bytes of FP into HEAD (*N of them) and makes SRC->fp a
 * stream that still starts at them: FP itself, sought back, or a wrapper
 * that hands them out again (pipes).  Takes ownership of FP when OWN.
 */
static enum sv_status peek(struct sv_source *src, FILE *fp, int own,
                           unsigned char *head, size_t *n,
                           struct sv_error *err)
{
    static const cookie_io_functions_t io = {.read = head_read,
                                             .close = head_close};
    off_t at = ftello(fp);
    struct head_stream *h;

    *n = fread(head, 1, SNIFF_BYTES, fp);
    if (at >= 0 && fseeko(fp, at, SEEK_SET) == 0) {
        src->fp = fp;
        src->own_fp = own;
        return SV_OK;
    }
    clearerr(fp);
    src->under = fp;
    src->own_under = own;
    if (!(h = calloc(1, sizeof *h)))
        return sv_error_set(err, SV_ERR_NOMEM, src->name, 0, NULL,
                            "out of memory");
    h->real = fp;
    memcpy(h->head, head, *n);
    h->n = *n;
    if (!(src->fp = fopencookie(h, "r", io))) {
        free(h);
        return sv_error_set(err, SV_ERR_NOMEM, src->name, 0, NULL,
                            "out of memory");
    }
    src->own_fp = 1;
    return SV_OK;
}

/* Calls the constructor of format KIND: the one place to add a format. */
static enum sv_status open_kind(struct sv_source *src, enum sv_source_kind kind,
                                const struct sv_source_options *opts,
                                struct sv_error *err)
{
    switch (kind) {
    case SV_SOURCE_CSV:
        return sv_csv_source_init(src, src->fp, opts, err);
    case SV_SOURCE_XLSX:
        return sv_xlsx_source_init(src, src->fp, opts, err);
    }
    return sv_error_set(err, SV_ERR_USAGE, src->name, 0, NULL,
                        "unknown input format");
}

void sv_source_free(struct sv_source *src)
{
    if (!src)
        return;
    if (src->ops && src->ops->release)
        src->ops->release(src);
    if (src->fp && src->own_fp)
        fclose(src->fp);
    if (src->under && src->own_under)
        fclose(src->under);
    free(src);
}

/* A source over FP (owned when OWN, even on failure). */
static struct sv_source *open_fp(FILE *fp, int own, const char *name,
                                 const struct sv_source_options *opts,
                                 struct sv_error *err)
{
    static const struct sv_source_options none;
    struct sv_source *src = calloc(1, sizeof *src);
    unsigned char head[SNIFF_BYTES];
    size_t n;

    if (!src) {
        if (own)
            fclose(fp);
        sv_error_set(err, SV_ERR_NOMEM, name, 0, NULL, "out of memory");
        return NULL;
    }
    snprintf(src->name, sizeof src->name, "%s", name);
    src->enc = SV_ENC_UTF8;
    if (peek(src, fp, own, head, &n, err) ||
        open_kind(src, sv_source_sniff(head, n), opts ? opts : &none, err)) {
        src->ops = NULL; /* a failed constructor cleaned up after itself */
        sv_source_free(src);
        return NULL;
    }
    return src;
}

struct sv_source *sv_source_open_stream(FILE *fp, const char *name,
                                        const struct sv_source_options *opts,
                                        struct sv_error *err)
{
    return open_fp(fp, 0, name ? name : "<stdin>", opts, err);
}

struct sv_source *sv_source_open(const char *path, const char *name,
                                 const struct sv_source_options *opts,
                                 struct sv_error *err)
{
    FILE *fp = sv_input_open(path, &name, err);

    return fp ? open_fp(fp, fp != stdin, name, opts, err) : NULL;
}

/* --- CSV --------------------------------------------------------------- */

struct csv_impl {
    struct sv_csv *csv;
    int own;
};

static enum sv_status csv_next(struct sv_source *src, struct sv_error *err)
{
    struct csv_impl *c = src->impl;
    size_t nf;
    enum sv_status st = sv_csv_next(c->csv, &nf, err);

    src->nf = 0;
    src->line = sv_csv_line(c->csv);
    src->resumable = st && sv_csv_resumable(c->csv);
    if (src->resumable)
        nf = sv_csv_nfields(c->csv); /* the rejected record's fields */
    if ((st && !src->resumable) || !nf)
        return st;
    sv_csv_record(c->csv, &src->field, &src->len);
    src->nf = nf;
    return st;
}

static void csv_progress(const struct sv_source *src, uint64_t *done,
                         uint64_t *total)
{
    sv_csv_progress(((const struct csv_impl *)src->impl)->csv, done, total);
}

static void csv_release(struct sv_source *src)
{
    struct csv_impl *c = src->impl;

    if (!c)
        return;
    if (c->own)
        sv_csv_free(c->csv);
    free(c);
}

static int csv_plain(struct sv_source *src, struct sv_plain_line *pl)
{
    return sv_csv_plain_line(((struct csv_impl *)src->impl)->csv, pl);
}

static void csv_take(struct sv_source *src)
{
    sv_csv_take_plain(((struct csv_impl *)src->impl)->csv);
}

static const struct sv_source_ops csv_ops = {SV_SOURCE_CSV, csv_next,
                                             csv_progress, csv_release,
                                             csv_plain, csv_take};

/* Makes SRC read CSV (owned when OWN, even on failure). */
static enum sv_status csv_attach(struct sv_source *src, struct sv_csv *csv,
                                 int own, struct sv_error *err)
{
    struct csv_impl *c = calloc(1, sizeof *c);

    if (!c) {
        if (own)
            sv_csv_free(csv);
        return sv_error_set(err, SV_ERR_NOMEM, src->name, 0, NULL,
                            "out of memory");
    }
    c->csv = csv;
    c->own = own;
    src->impl = c;
    src->ops = &csv_ops;
    src->enc = sv_csv_encoding(csv);
    src->delim = sv_csv_delimiter(csv);
    return SV_OK;
}

enum sv_status sv_csv_source_init(struct sv_source *src, FILE *fp,
                                  const struct sv_source_options *opts,
                                  struct sv_error *err)
{
    struct sv_csv *csv = sv_csv_open_stream(fp, src->name, &opts->csv, err);

    if (!csv)
        return err ? err->code : SV_ERR_IO;
    return csv_attach(src, csv, 1, err);
}

struct sv_source *sv_source_from_csv(struct sv_csv *csv, struct sv_error *err)
{
    struct sv_source *src = calloc(1, sizeof *src);

    if (!src) {
        sv_error_set(err, SV_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        return NULL;
    }
    snprintf(src->name, sizeof src->name, "%s", sv_csv_name(csv));
    if (csv_attach(src, csv, 0, err)) {
        free(src);
        return NULL;
    }
    return src;
}

/* The kind of the regular file PATH from its first bytes. */
static enum sv_source_kind file_kind(const char *path)
{
    unsigned char head[SNIFF_BYTES];
    FILE *fp = fopen(path, "rb");
    size_t n = fp ? fread(head, 1, sizeof head, fp) : 0;

    if (fp)
        fclose(fp);
    return sv_source_sniff(head, n);
}

struct sv_source *sv_source_open_range(const char *path,
                                       const struct sv_source_options *opts,
                                       uint64_t start, uint64_t end,
                                       struct sv_error *err)
{
    static const struct sv_source_options none;
    struct sv_source *src;
    struct sv_csv *csv;

    if (file_kind(path) != SV_SOURCE_CSV) {
        sv_error_set(err, SV_ERR_USAGE, path, 0, NULL,
                     "byte ranges of a file that is not CSV");
        return NULL;
    }
    if (!(csv = sv_csv_open_range(path, &(opts ? opts : &none)->csv, start,
                                  end, err)))
        return NULL;
    if (!(src = calloc(1, sizeof *src))) {
        sv_csv_free(csv);
        sv_error_set(err, SV_ERR_NOMEM, path, 0, NULL, "out of memory");
        return NULL;
    }
    snprintf(src->name, sizeof src->name, "%s", sv_csv_name(csv));
    if (csv_attach(src, csv, 1, err)) {
        free(src);
        return NULL;
    }
    return src;
}

/* --- the interface ------------------------------------------------------ */

enum sv_status sv_source_next(struct sv_source *src, size_t *nfields,
                              struct sv_error *err)
{
    enum sv_status st = src->ops->next(src, err);

    *nfields = st ? 0 : src->nf;
    return st;
}

int sv_source_plain_line(struct sv_source *src, struct sv_plain_line *pl)
{
    return src->ops->plain && src->ops->plain(src, pl);
}

void sv_source_take_plain(struct sv_source *src)
{
    src->ops->take(src);
}

int sv_source_resumable(const struct sv_source *src)
{
    return src->resumable;
}

const char *sv_source_field(const struct sv_source *src, size_t i)
{
    return i < src->nf ? src->field[i] : "";
}

size_t sv_source_field_len(const struct sv_source *src, size_t i)
{
    return i < src->nf ? src->len[i] : 0;
}

size_t sv_source_nfields(const struct sv_source *src)
{
    return src->nf;
}

unsigned long sv_source_line(const struct sv_source *src)
{
    return src->line;
}

const char *sv_source_name(const struct sv_source *src)
{
    return src->name;
}

enum sv_source_kind sv_source_kind(const struct sv_source *src)
{
    return src->ops->kind;
}

enum sv_encoding sv_source_encoding(const struct sv_source *src)
{
    return src->enc;
}

int sv_source_delimiter(const struct sv_source *src)
{
    return src->delim;
}

void sv_source_progress(const struct sv_source *src, uint64_t *done,
                        uint64_t *total)
{
    *done = *total = 0;
    if (src->ops->progress)
        src->ops->progress(src, done, total);
}
