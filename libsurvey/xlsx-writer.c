/*
 * xlsx-writer.c — a result table as an Excel workbook (--format xlsx),
 * written with libxlsxwriter: numbers stay numbers and show the decimals
 * the CSV prints, the header row is bold and frozen, columns fit their
 * widest cell.  Text is written as text, so no cell ever runs as a formula
 * (PRODUCT.md 5).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "internal.h"

enum { MAX_DECIMALS = 17, MAX_WIDTH = 60 };

struct book {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *bold;
    lxw_format *dec[MAX_DECIMALS + 1]; /* "0", "0.0", "0.00" ... */
};

/* The decimals printed in S ("85.95" 2, "12" 0); -1 for "1.2e-05". */
static int printed_decimals(const char *s)
{
    const char *dot = strchr(s, '.');

    if (strpbrk(s, "eE"))
        return -1;
    return dot ? (int)strlen(dot + 1) : 0;
}

/* The number format showing D decimals (made once per workbook). */
static lxw_format *decimals_format(struct book *b, int d)
{
    char code[MAX_DECIMALS + 3] = "0.";

    if (d < 0)
        return NULL; /* General shows 1.2E-05 as it is */
    if (d > MAX_DECIMALS)
        d = MAX_DECIMALS;
    if (!b->dec[d] && (b->dec[d] = workbook_add_format(b->wb))) {
        memset(code + 2, '0', (size_t)d);
        code[d ? d + 2 : 1] = '\0';
        format_set_num_format(b->dec[d], code);
    }
    return b->dec[d];
}

/* Writes cell (R, C) of T into worksheet row ROW; an lxw_error. */
static lxw_error put_cell(struct book *b, const struct sv_table *t, size_t r,
                          size_t c, size_t row)
{
    const char *s = sv_table_get(t, r, c);
    double x;

    if (!*s)
        return LXW_NO_ERROR;
    if (sv_table_numeric(t, c) && sv_parse_double(s, &x) == SV_OK)
        return worksheet_write_number(b->ws, (lxw_row_t)row, (lxw_col_t)c, x,
                                      decimals_format(b, printed_decimals(s)));
    return worksheet_write_string(b->ws, (lxw_row_t)row, (lxw_col_t)c, s,
                                  NULL);
}

/* Fills ERR from libxlsxwriter's E; the status. */
static enum sv_status book_error(lxw_error e, struct sv_error *err)
{
    if (e == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED)
        return sv_error_set(err, SV_ERR_DATA, NULL, 0, NULL,
                            "a cell is longer than a workbook cell may be "
                            "(32767 characters)");
    return sv_error_set(err, SV_ERR_IO, NULL, 0, NULL,
                        "cannot write the workbook: %s", lxw_strerror(e));
}

/* Copies the file at PATH to FP; 0 or -1 (errno set). */
static int copy_out(const char *path, FILE *fp)
{
    FILE *in = fopen(path, "rb");
    char buf[65536];
    size_t n;
    int bad = 0;

    if (!in)
        return -1;
    while (!bad && (n = fread(buf, 1, sizeof buf, in)) > 0)
        bad = fwrite(buf, 1, n, fp) != n;
    bad |= ferror(in);
    fclose(in);
    return bad ? -1 : 0;
}

/* A workbook being written in constant memory, in a temporary file. */
struct sv_xlsx_stream {
    struct book b;
    char path[4096];
};

/* Opens the temporary workbook of S; SV_OK or SV_ERR_IO in S->err. */
static enum sv_status book_open(struct sv_table_stream *s)
{
    const char *dir = getenv("TMPDIR");
    struct sv_xlsx_stream *x = calloc(1, sizeof *x);
    lxw_workbook_options wo = {.constant_memory = LXW_TRUE};
    int fd;

    if (!x)
        return sv_error_set(s->err, SV_ERR_NOMEM, NULL, 0, NULL,
                            "out of memory");
    if (!dir || !*dir)
        dir = P_tmpdir;
    if (snprintf(x->path, sizeof x->path, "%s/sv-xlsx.XXXXXX", dir) >=
            (int)sizeof x->path || (fd = mkstemp(x->path)) < 0) {
        free(x);
        return sv_error_set(s->err, SV_ERR_IO, NULL, 0, NULL,
                            "cannot make a temporary workbook in '%s': %s",
                            dir, strerror(errno));
    }
    close(fd);
    s->xlsx = x;
    wo.tmpdir = (char *)dir;
    if (!(x->b.wb = workbook_new_opt(x->path, &wo)))
        return book_error(LXW_ERROR_CREATING_XLSX_FILE, s->err);
    x->b.ws = workbook_add_worksheet(x->b.wb, NULL);
    x->b.bold = workbook_add_format(x->b.wb);
    if (!x->b.ws || !x->b.bold)
        return book_error(LXW_ERROR_MEMORY_MALLOC_FAILED, s->err);
    format_set_bold(x->b.bold);
    return SV_OK;
}

enum sv_status sv_xlsx_stream_begin(struct sv_table_stream *s,
                                    const struct sv_table *t)
{
    enum sv_status st = book_open(s);
    lxw_error e = LXW_NO_ERROR;

    for (size_t c = 0; c < sv_table_ncols(t) && !st && !e; c++)
        e = worksheet_write_string(s->xlsx->b.ws, 0, (lxw_col_t)c,
                                   sv_table_header(t, c, s->h),
                                   s->xlsx->b.bold);
    return st ? st : e ? book_error(e, s->err) : SV_OK;
}

enum sv_status sv_xlsx_stream_row(struct sv_table_stream *s,
                                  const struct sv_table *t, size_t r)
{
    lxw_error e = LXW_NO_ERROR;

    if (s->written + 1 >= SV_XLSX_MAX_ROWS)
        return sv_error_set(s->err, SV_ERR_DATA, NULL, 0, NULL,
                            "more than %d rows do not fit in a worksheet",
                            SV_XLSX_MAX_ROWS - 1);
    for (size_t c = 0; c < sv_table_ncols(t) && !e; c++)
        e = put_cell(&s->xlsx->b, t, r, c, s->written + 1);
    return e ? book_error(e, s->err) : SV_OK;
}

/*
 * Column widths in Excel's character units (the widest cell plus a
 * margin), the frozen header with its filter; closes the book.
 */
static lxw_error finish(struct book *b, const struct sv_table_stream *s,
                        size_t nc)
{
    lxw_error e = LXW_NO_ERROR, ce;

    for (size_t c = 0; c < nc && !e; c++) {
        size_t w = s->width[c] + 2 > MAX_WIDTH ? MAX_WIDTH : s->width[c] + 2;
        e = worksheet_set_column(b->ws, (lxw_col_t)c, (lxw_col_t)c,
                                 (double)w, NULL);
    }
    if (!e)
        worksheet_freeze_panes(b->ws, 1, 0);
    if (!e && nc)
        e = worksheet_autofilter(b->ws, 0, 0, (lxw_row_t)s->written,
                                 (lxw_col_t)(nc - 1));
    ce = workbook_close(b->wb);
    b->wb = NULL;
    return e ? e : ce;
}

enum sv_status sv_xlsx_stream_end(struct sv_table_stream *s,
                                  const struct sv_table *t)
{
    struct sv_xlsx_stream *x = s->xlsx;
    lxw_error e = finish(&x->b, s, sv_table_ncols(t));
    enum sv_status st = SV_OK;

    if (e)
        st = book_error(e, s->err);
    else if (copy_out(x->path, s->fp))
        st = sv_error_set(s->err, SV_ERR_IO, NULL, 0, NULL,
                          "cannot copy the workbook: %s", strerror(errno));
    sv_xlsx_stream_abandon(s);
    return st;
}

void sv_xlsx_stream_abandon(struct sv_table_stream *s)
{
    struct sv_xlsx_stream *x = s->xlsx;

    if (!x)
        return;
    if (x->b.wb)
        workbook_close(x->b.wb);
    unlink(x->path);
    free(x);
    s->xlsx = NULL;
}
