/*
 * cli-io.c — what the tools add around libsurvey's reading and writing:
 * Excel-friendly output (--bom, --output-encoding gb18030) and the
 * progress line on a terminal.  Both wrap a stdio stream with
 * fopencookie(), so every tool gets them through cli_output_open() and
 * cli_csv_open() or cli_source_open() without the library printing anything.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static int want_bom;
static int want_gb18030;
static int quiet;

/*
 * Inputs (a struct sv_csv or sv_source) opened through a progress stream,
 * closed by cli_csv_free() or cli_source_free().
 */
struct csv_stream {
    const void *reader;
    FILE *fp;
};
static struct csv_stream cli_csv_streams[8];
static size_t cli_csv_streams_n;

/* ------------------------------------------------------------------ */
/* Output: BOM and GB18030                                             */
/* ------------------------------------------------------------------ */

struct enc_out {
    FILE *real;
    iconv_t cd;        /* (iconv_t)-1: UTF-8 passes through */
    int bom_pending;
    char carry[4];     /* an incomplete UTF-8 sequence from the last write */
    size_t ncarry;
    /* formula neutralising: where the CSV text is, and a held cell */
    int cell;          /* CELL_START, CELL_PLAIN, CELL_QUOTED, CELL_QUOTE */
    int opened;        /* the quote that opened the cell was seen */
    char *held;        /* a cell starting with = + - @, until it is judged */
    size_t nheld, capheld;
    int holding;
};

enum { CELL_START, CELL_PLAIN, CELL_QUOTED, CELL_QUOTE };

/* The wrapped outputs open at a time (the -o output and the rejects). */
static struct wrapped {
    FILE *out, *real;
} wrapped[2];

/* Converts IN (LEN bytes of UTF-8) to GB18030 into the real stream. */
static int convert(struct enc_out *e, const char *in, size_t len)
{
    char buf[8192];

    while (len) {
        char *src = (char *)in, *dst = buf;
        size_t inleft = len, outleft = sizeof buf;
        size_t r = iconv(e->cd, &src, &inleft, &dst, &outleft);
        int saved = errno;

        if (dst > buf && fwrite(buf, 1, (size_t)(dst - buf), e->real) !=
                             (size_t)(dst - buf))
            return -1;
        in = src;
        len = inleft;
        if (r != (size_t)-1 || saved == E2BIG)
            continue;
        if (saved == EINVAL && len < sizeof e->carry) {
            memmove(e->carry, in, len);
            e->ncarry = len;
            return 0;
        }
        errno = EILSEQ;
        return -1;
    }
    return 0;
}

/* Writes N bytes at P after the BOM, converted when asked; 0 or -1. */
static int out_bytes(struct enc_out *e, const char *p, size_t n)
{
    char *joined;
    size_t len;
    int r;

    if (e->bom_pending) {
        if (fwrite("\xEF\xBB\xBF", 1, 3, e->real) != 3)
            return -1;
        e->bom_pending = 0;
    }
    if (e->cd == (iconv_t)-1)
        return fwrite(p, 1, n, e->real) == n ? 0 : -1;
    if (!e->ncarry)
        return convert(e, p, n);
    /* a character was split between two writes: join the pieces */
    if (!(joined = malloc(e->ncarry + n)))
        return -1;
    memcpy(joined, e->carry, e->ncarry);
    memcpy(joined + e->ncarry, p, n);
    len = e->ncarry + n;
    e->ncarry = 0;
    r = convert(e, joined, len);
    free(joined);
    return r;
}

/*
 * Ends a held cell: one that starts with = + - @ is written after a "'"
 * so that Excel shows it as text and never runs it as a formula, unless
 * it is a number (-3.5, +5) or a lone "-" (PRODUCT.md 5).
 */
static int release(struct enc_out *e, int formula_even_if_number)
{
    double x;
    int safe;

    if (!e->holding)
        return 0;
    e->holding = 0;
    e->held[e->nheld] = '\0';
    safe = !formula_even_if_number
           && (sv_parse_double(e->held, &x) == SV_OK
               || strcmp(e->held, "-") == 0);
    if (!safe && out_bytes(e, "'", 1))
        return -1;
    return out_bytes(e, e->held, e->nheld);
}

static int hold(struct enc_out *e, char c)
{
    if (e->nheld + 2 > e->capheld) {
        size_t cap = e->capheld ? 2 * e->capheld : 64;
        char *h = realloc(e->held, cap);
        if (!h)
            return -1;
        e->held = h;
        e->capheld = cap;
    }
    e->held[e->nheld++] = c;
    return 0;
}

/* Follows the CSV text byte by byte: quotes, cell starts and ends. */
static int filter_byte(struct enc_out *e, char c)
{
    int end = 0;

    switch (e->cell) {
    case CELL_START:
        if (c == '"' && !e->opened) {
            e->opened = 1;
            return out_bytes(e, &c, 1);
        }
        e->cell = e->opened ? CELL_QUOTED : CELL_PLAIN;
        e->opened = 0;
        if (c == '=' || c == '+' || c == '-' || c == '@') {
            e->holding = 1;
            e->nheld = 0;
            return hold(e, c);
        }
        return filter_byte(e, c);
    case CELL_PLAIN:
        end = c == ',' || c == '\t' || c == '\n' || c == '\r' || c == ';';
        break;
    case CELL_QUOTED:
        if (c == '"') {
            e->cell = CELL_QUOTE;
            if (release(e, 1)) /* a number holds no quote */
                return -1;
        }
        break;
    case CELL_QUOTE:
        if (c == '"') {
            e->cell = CELL_QUOTED;
            break;
        }
        end = 1;
        break;
    }
    if (end) {
        if (release(e, 0))
            return -1;
        e->cell = CELL_START;
    } else if (e->holding) {
        return hold(e, c);
    }
    return out_bytes(e, &c, 1);
}

static ssize_t enc_write(void *cookie, const char *p, size_t n)
{
    struct enc_out *e = cookie;
    size_t i = 0;

    while (i < n) {
        size_t j = i;
        /* most bytes change nothing: pass runs of them at once */
        while (j < n && !e->holding && p[j] != '"'
               && (e->cell == CELL_QUOTED
                   || (e->cell == CELL_PLAIN && p[j] != ',' && p[j] != '\t'
                       && p[j] != '\n' && p[j] != '\r' && p[j] != ';')))
            j++;
        if (j > i && out_bytes(e, p + i, j - i))
            return -1;
        if (j < n && filter_byte(e, p[j]))
            return -1;
        i = j + 1;
    }
    return (ssize_t)n;
}

static int enc_close(void *cookie)
{
    struct enc_out *e = cookie;
    int bad = release(e, 0) != 0;

    if (e->bom_pending)
        bad |= fwrite("\xEF\xBB\xBF", 1, 3, e->real) != 3;
    if (e->ncarry) {
        errno = EILSEQ;
        bad = 1;
    }
    if (e->cd != (iconv_t)-1)
        iconv_close(e->cd);
    free(e->held);
    free(e);
    return bad ? -1 : 0;
}

int cli_output_encoded(void)
{
    return want_bom || want_gb18030;
}

FILE *cli_output_wrap(FILE *real)
{
    static const cookie_io_functions_t io = {.write = enc_write,
                                             .close = enc_close};
    struct enc_out *e;
    struct wrapped *w;
    FILE *fp = NULL;

    if (!real || (!want_bom && !want_gb18030))
        return real;
    if (!(e = calloc(1, sizeof *e)))
        return NULL;
    e->real = real;
    e->bom_pending = want_bom;
    e->cd = want_gb18030 ? iconv_open("GB18030", "UTF-8") : (iconv_t)-1;
    if (want_gb18030 && e->cd == (iconv_t)-1) {
        cli_msg("cannot convert output to GB18030: %s", strerror(errno));
        free(e);
        return NULL;
    }
    w = wrapped[0].out ? &wrapped[1] : &wrapped[0];
    if (w->out || !(fp = fopencookie(e, "w", io))) {
        enc_close(e);
        return NULL;
    }
    *w = (struct wrapped){fp, real};
    return fp;
}

FILE *cli_output_unwrap(FILE *fp, int *bad)
{
    struct wrapped *w = NULL;
    FILE *real;

    for (size_t i = 0; fp && i < sizeof wrapped / sizeof wrapped[0]; i++)
        if (wrapped[i].out == fp)
            w = &wrapped[i];
    if (!w)
        return fp;
    real = w->real;
    *w = (struct wrapped){NULL, NULL};
    if (fclose(fp) != 0) {
        if (errno == EILSEQ)
            cli_msg("output is not valid UTF-8: cannot convert it to GB18030");
        *bad = 1;
    }
    return real;
}

/* ------------------------------------------------------------------ */
/* Progress on a terminal                                              */
/* ------------------------------------------------------------------ */

struct progress {
    FILE *real;
    int own;
    uint64_t done, total, lines;
    double start, last;
    int shown;
};

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Prints "NAME: 12.3 of 95.0 MiB (13%), 412000 lines/s" over itself. */
static void progress_show(struct progress *pr)
{
    double t = now(), mib = 1024.0 * 1024.0;
    double rate = pr->lines / (t - pr->start > 0 ? t - pr->start : 1);

    if (t - pr->start < 1.0 || t - pr->last < 0.25)
        return;
    pr->last = t;
    pr->shown = 1;
    if (pr->total)
        fprintf(stderr, "\r%s: %.1f of %.1f MiB (%d%%), %.0f lines/s\033[K",
                cli_name(), pr->done / mib, pr->total / mib,
                (int)(100.0 * pr->done / pr->total), rate);
    else
        fprintf(stderr, "\r%s: %.1f MiB, %.0f lines/s\033[K", cli_name(),
                pr->done / mib, rate);
    fflush(stderr);
}

static ssize_t progress_read(void *cookie, char *buf, size_t n)
{
    struct progress *pr = cookie;
    size_t got = fread(buf, 1, n, pr->real);

    if (got == 0 && ferror(pr->real))
        return -1;
    pr->done += got;
    for (const char *p = buf, *end = buf + got;
         (p = memchr(p, '\n', (size_t)(end - p))); p++)
        pr->lines++;
    progress_show(pr);
    return (ssize_t)got;
}

static int progress_close(void *cookie)
{
    struct progress *pr = cookie;
    int r = pr->own ? fclose(pr->real) : 0;

    if (pr->shown)
        fputs("\r\033[K", stderr);
    free(pr);
    return r;
}

/* A stream over PATH that reports progress, or NULL to read normally. */
static FILE *progress_open(const char *path)
{
    static const cookie_io_functions_t io = {.read = progress_read,
                                             .close = progress_close};
    int is_stdin = !path || strcmp(path, "-") == 0;
    struct progress *pr;
    struct stat st;
    FILE *fp;

    if (quiet || !isatty(STDERR_FILENO) || !(pr = calloc(1, sizeof *pr)))
        return NULL;
    pr->real = is_stdin ? stdin : fopen(path, "rb");
    pr->own = !is_stdin;
    if (!pr->real) {
        free(pr); /* the reader's open reports the error */
        return NULL;
    }
    if (fstat(fileno(pr->real), &st) == 0 && S_ISREG(st.st_mode))
        pr->total = (uint64_t)st.st_size;
    else if (!is_stdin) {
        /* a folder or a device: the reader's open says what is wrong */
        progress_close(pr);
        return NULL;
    }
    pr->start = pr->last = now();
    if (!(fp = fopencookie(pr, "r", io)))
        progress_close(pr);
    return fp;
}

struct sv_csv *cli_csv_open(const char *path,
                            const struct sv_csv_options *opts,
                            struct sv_error *err)
{
    FILE *fp = progress_open(path);
    struct sv_csv *csv;
    const char *name = !path || strcmp(path, "-") == 0 ? "<stdin>" : path;

    if (!fp)
        return sv_csv_open(path, NULL, opts, err);
    /* the stream's cookie closes it; sv_csv_free() leaves it open */
    csv = sv_csv_open_stream(fp, name, opts, err);
    if (!csv) {
        fclose(fp);
        return NULL;
    }
    if (cli_csv_streams_n < sizeof cli_csv_streams / sizeof *cli_csv_streams)
        cli_csv_streams[cli_csv_streams_n++] = (struct csv_stream){csv, fp};
    return csv;
}

/* Closes the progress stream under READER, if it has one. */
static void progress_forget(const void *reader)
{
    for (size_t i = 0; i < cli_csv_streams_n; i++)
        if (cli_csv_streams[i].reader == reader) {
            fclose(cli_csv_streams[i].fp);
            cli_csv_streams[i] = cli_csv_streams[--cli_csv_streams_n];
            break;
        }
}

void cli_csv_free(struct sv_csv *csv)
{
    sv_csv_free(csv);
    progress_forget(csv);
}

struct sv_source *cli_source_open(const char *path,
                                  const struct sv_source_options *opts,
                                  struct sv_error *err)
{
    FILE *fp = progress_open(path);
    struct sv_source *src;
    const char *name = !path || strcmp(path, "-") == 0 ? "<stdin>" : path;

    if (!fp)
        return sv_source_open(path, NULL, opts, err);
    /* the stream's cookie closes it; sv_source_free() leaves it open */
    src = sv_source_open_stream(fp, name, opts, err);
    if (!src) {
        fclose(fp);
        return NULL;
    }
    if (cli_csv_streams_n < sizeof cli_csv_streams / sizeof *cli_csv_streams)
        cli_csv_streams[cli_csv_streams_n++] = (struct csv_stream){src, fp};
    return src;
}

void cli_source_free(struct sv_source *src)
{
    sv_source_free(src);
    progress_forget(src);
}

/* ------------------------------------------------------------------ */
/* Options                                                             */
/* ------------------------------------------------------------------ */

void cli_set_quiet(int q)
{
    quiet = q;
}

int cli_io_option(int c, const char *arg)
{
    enum sv_encoding enc;

    switch (c) {
    case 'q':
        quiet = 1;
        return 0;
    case CLI_OPT_BOM:
        want_bom = 1;
        break;
    case CLI_OPT_OUTPUT_ENCODING:
        if (sv_encoding_parse(arg, &enc) != SV_OK || enc == SV_ENC_AUTO)
            return cli_usage("invalid output encoding '%s' (expected utf-8 "
                             "or gb18030)", arg);
        want_gb18030 = enc == SV_ENC_GB18030;
        break;
    default:
        return cli_option_error(c, NULL);
    }
    if (want_bom && want_gb18030)
        return cli_usage("--bom is for UTF-8 output; GB18030 needs none");
    return 0;
}
